//! What a page may contain, so that reading it can neither attack nor track anyone.
//!
//! Owns the site's allow-lists. A person reading about hikikomori must not be followed
//! by another site, nor run anyone's script: so links may use only `https`, `http`,
//! `mailto` and `tel` (or stay on the site), anything the browser fetches by itself (an
//! image, a video, a style's `url()`) must come from the site, and raw HTML in the
//! Markdown is limited to the elements and attributes of a public-information page:
//! no `<script>`, no event handlers, no frames, objects or forms, nothing that reads
//! differently in one browser than another. `build` refuses everything else, so the
//! privacy rule holds before any audit runs.
//!
//! Raw HTML is read with html5ever's tokenizer, the one browsers' behaviour is
//! specified by, and CSS with cssparser, so that entities (`&#106;avascript:`), escapes
//! (`u\72l(…)`) and odd spacing are read as a browser reads them, not as a pattern
//! guesses.

use std::cell::{Cell, RefCell};

use std::path::Path;

use cssparser::{Delimiter, Parser, Token};
use html5ever::tendril::StrTendril;

use crate::diagnostics::{Diagnostic, LineCursor, Position, Problem};
use crate::url_class::{self, Frame, UrlClass};
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token as HtmlToken, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// How a URL is used: followed by the reader, or fetched by the browser on its own as
/// the page loads (which tells the other host that someone is reading this page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlUse {
    Navigate,
    Load,
}

/// Why a piece of content is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A URL with a scheme that is not allowed (`javascript:`, `data:`, `file:`).
    Scheme { url: String, scheme: String },
    /// Something the browser would fetch from another host.
    OtherHost { url: String },
    /// An element that may not appear in a page's text.
    Element { name: String },
    /// An attribute that may not appear on that element.
    Attribute { element: String, name: String },
    /// An attribute that runs script (`onclick`).
    EventHandler { name: String },
    /// CSS that runs script or binds behaviour (`expression()`, `behavior`).
    ScriptInStyle,
    /// An SVG file that is not well-formed XML, or declares a DTD.
    NotWellFormed { detail: String },
    /// A link whose `rel` asks for `opener`: the page it opens could take this one over.
    OpenerLink,
    /// A processing instruction in an SVG file (`<?xml-stylesheet href="…"?>` loads a
    /// style sheet or an XSL transform that nobody has checked).
    ProcessingInstruction { target: String },
    /// A CSS custom property (`--name`) holding a string or a `url()`: another
    /// property can take it in through `var()` where no check sees a URL
    /// (`image-set(var(--u) 1x)`).
    CustomPropertyValue { name: String },
    /// A link that looks like a path but that a browser reads as another host
    /// (`/\evil.example/`, `//evil.example`, `https:evil.example`).
    HostWrittenAsPath { url: String },
    /// A string or URL in a CSS custom property (`--u: "https://…"`), or a `var()`
    /// inside a function that fetches: a URL the check cannot see where it is used.
    UrlInVariable,
}

impl Refusal {
    /// The problem this refusal is reported as.
    pub fn into_problem(self) -> Problem {
        match self {
            Refusal::Scheme { url, scheme } => Problem::UnsafeUrl { url, scheme },
            Refusal::OtherHost { url } => Problem::ExternalResource { url },
            Refusal::Element { name } if name == "script" => Problem::ScriptInContent,
            Refusal::Element { name } => Problem::ElementNotAllowed { name },
            Refusal::Attribute { element, name } => Problem::AttributeNotAllowed { element, name },
            Refusal::EventHandler { name } => Problem::InlineEventHandler { attribute: name },
            Refusal::ScriptInStyle => Problem::ScriptInStyle,
            Refusal::NotWellFormed { detail } => Problem::SvgNotWellFormed { detail },
            Refusal::OpenerLink => Problem::OpenerLink,
            Refusal::ProcessingInstruction { target } => {
                Problem::SvgProcessingInstruction { target }
            }
            Refusal::CustomPropertyValue { name } => Problem::StyleCustomPropertyValue { name },
            Refusal::HostWrittenAsPath { url } => Problem::HostWrittenAsPath { url },
            Refusal::UrlInVariable => Problem::UrlInCssVariable,
        }
    }
}

/// Checks a URL as written in a link, an image or an attribute, as a browser reads it
/// (see [`url_class`]).
pub fn check_url(url: &str, usage: UrlUse) -> Result<(), Refusal> {
    let refused_scheme = |scheme: &str| Refusal::Scheme {
        url: url.to_owned(),
        scheme: scheme.to_owned(),
    };
    let other_host = || Refusal::OtherHost {
        url: url.to_owned(),
    };
    // A reader may follow `https`, `http`, `mailto` and `tel` links and links within the
    // site; the browser may fetch by itself only what is on the site.
    match (url_class::classify(url, Frame::at_root()), usage) {
        (UrlClass::SameDocument | UrlClass::ThisSite { .. }, _) => Ok(()),
        (UrlClass::OtherSite | UrlClass::Mail | UrlClass::Phone { .. }, UrlUse::Navigate) => Ok(()),
        // A browser fetches nothing for an unreadable address, nor follows it; where
        // it is a Markdown link, link resolution reports it as going nowhere.
        (UrlClass::Unreadable, UrlUse::Navigate) => Ok(()),
        (
            UrlClass::OtherSite | UrlClass::HostWrittenAsPath | UrlClass::Unreadable,
            UrlUse::Load,
        ) => Err(other_host()),
        (UrlClass::HostWrittenAsPath, UrlUse::Navigate) => Err(Refusal::HostWrittenAsPath {
            url: url.to_owned(),
        }),
        (UrlClass::Mail, UrlUse::Load) => Err(refused_scheme("mailto")),
        (UrlClass::Phone { .. }, UrlUse::Load) => Err(refused_scheme("tel")),
        (UrlClass::OtherScheme { scheme }, _) => Err(refused_scheme(&scheme)),
    }
}

/// Elements a page's text may use: text structure, tables, figures, media from the site.
pub(crate) const ELEMENTS: [&str; 74] = [
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "audio",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "nav",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "source",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "track",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// Attributes every allowed element may have.
pub(crate) const GLOBAL_ATTRIBUTES: [&str; 7] =
    ["id", "class", "lang", "dir", "title", "translate", "role"];

/// Attributes particular elements may have.
pub(crate) const ELEMENT_ATTRIBUTES: [(&str, &[&str]); 20] = [
    (
        "a",
        &["href", "hreflang", "rel", "target", "type", "download"],
    ),
    (
        "img",
        &[
            "src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding",
        ],
    ),
    (
        "source",
        &["src", "srcset", "type", "media", "sizes", "width", "height"],
    ),
    (
        "video",
        &[
            "src",
            "poster",
            "controls",
            "width",
            "height",
            "preload",
            "muted",
            "loop",
            "playsinline",
        ],
    ),
    ("audio", &["src", "controls", "preload", "muted", "loop"]),
    ("track", &["src", "kind", "srclang", "label", "default"]),
    ("td", &["colspan", "rowspan", "headers"]),
    ("th", &["colspan", "rowspan", "headers", "scope", "abbr"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("time", &["datetime"]),
    ("data", &["value"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("q", &["cite"]),
    ("blockquote", &["cite"]),
    ("details", &["open"]),
    ("bdo", &["dir"]),
];

pub(crate) fn element_allowed(name: &str) -> bool {
    ELEMENTS.contains(&name)
}

pub(crate) fn attribute_allowed(element: &str, name: &str) -> bool {
    GLOBAL_ATTRIBUTES.contains(&name)
        || name == "style"
        || name.starts_with("aria-")
        || name.starts_with("data-")
        || ELEMENT_ATTRIBUTES
            .iter()
            .any(|(e, names)| *e == element && names.contains(&name))
}

/// How an attribute's value is used as a URL, if it is one.
pub(crate) fn url_use(name: &str) -> Option<UrlUse> {
    match name {
        "href" | "cite" => Some(UrlUse::Navigate),
        "src" | "poster" | "srcset" => Some(UrlUse::Load),
        _ => None,
    }
}

/// What reading a piece of raw HTML found, each with the line (from 1) of the text given
/// on which its tag starts.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct HtmlFindings {
    pub refusals: Vec<(usize, Refusal)>,
    /// `<img>` tags without an `alt` attribute (an empty one marks decoration, and is
    /// fine): screen readers would read out the file name instead.
    pub images_without_alt: Vec<usize>,
    /// The line of the last complete token before the end, when the piece ends inside a
    /// tag, an attribute value, a comment or a declaration. The browser reads what
    /// follows in the page (the next block) as part of it, so a later block's harmless
    /// text could finish the tag with an event handler.
    pub unfinished: Option<usize>,
}

/// Reads a piece of raw HTML as a browser would, and finds what the site refuses.
pub fn check_html(html: &str) -> HtmlFindings {
    let sink = PolicySink::default();
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    // What the tokenizer emits from here on, it emits because the input ended.
    tokenizer.sink.ending.set(true);
    tokenizer.end();
    tokenizer.sink.found.into_inner()
}

#[derive(Default)]
struct PolicySink {
    found: RefCell<HtmlFindings>,
    /// Set once all the input is fed: the tokenizer is finishing at its end.
    ending: Cell<bool>,
    /// The line of the last token emitted before the end.
    last_line: Cell<usize>,
}

impl PolicySink {
    /// Whether a token emitted at the end shows that the input ended inside something
    /// the browser would go on reading into what follows: an unclosed tag or attribute
    /// value (html5ever reports "Saw EOF in state …" and drops the tag), or a comment,
    /// bogus comment (`<!x`, `<?x`) or declaration that only the end closed.
    fn ended_inside(token: &HtmlToken) -> bool {
        match token {
            HtmlToken::ParseError(message) => message.starts_with("Saw EOF"),
            HtmlToken::CommentToken(_) | HtmlToken::DoctypeToken(_) => true,
            _ => false,
        }
    }
}

/// `onclick`, `onerror`: attributes that run script.
pub fn is_event_handler(name: &str) -> bool {
    name.len() > 2 && name.starts_with("on")
}

impl TokenSink for PolicySink {
    type Handle = ();

    fn process_token(&self, token: HtmlToken, line_number: u64) -> TokenSinkResult<()> {
        let line = usize::try_from(line_number).unwrap_or(usize::MAX);
        if self.ending.get() {
            if Self::ended_inside(&token) {
                let mut findings = self.found.borrow_mut();
                findings
                    .unfinished
                    .get_or_insert(self.last_line.get().max(1));
            }
        } else if !matches!(token, HtmlToken::ParseError(_)) {
            self.last_line.set(line);
        }
        let HtmlToken::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let name = tag.name.to_string();
        let mut findings = self.found.borrow_mut();
        if name == "img" && !tag.attrs.iter().any(|a| &*a.name.local == "alt") {
            findings.images_without_alt.push(line);
        }
        let found = &mut findings.refusals;
        if !element_allowed(&name) {
            found.push((line, Refusal::Element { name: name.clone() }));
        } else {
            for attribute in &tag.attrs {
                let attribute_name = attribute.name.local.to_string();
                let value = &attribute.value;
                if is_event_handler(&attribute_name) {
                    found.push((
                        line,
                        Refusal::EventHandler {
                            name: attribute_name,
                        },
                    ));
                    continue;
                }
                if !attribute_allowed(&name, &attribute_name) {
                    found.push((
                        line,
                        Refusal::Attribute {
                            element: name.clone(),
                            name: attribute_name,
                        },
                    ));
                    continue;
                }
                match (attribute_name.as_str(), url_use(&attribute_name)) {
                    ("srcset", _) => {
                        for candidate in srcset_urls(value) {
                            if let Err(r) = check_url(candidate, UrlUse::Load) {
                                found.push((line, r));
                            }
                        }
                    }
                    (_, Some(usage)) => {
                        if let Err(r) = check_url(value, usage) {
                            found.push((line, r));
                        }
                    }
                    ("style", None) => {
                        found.extend(check_style(value).into_iter().map(|r| (line, r)));
                    }
                    // `opener` hands the page a link opens a way to replace this one
                    // (and overrides the `noopener` every link to another site gets).
                    ("rel", None) if asks_for_opener(value) => {
                        found.push((line, Refusal::OpenerLink));
                    }
                    _ => {}
                }
            }
        }
        // What follows these is text to the browser, not markup: read it so.
        match &*name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}

/// Whether a `rel` value holds the word `opener`, as a browser reads its words.
fn asks_for_opener(rel: &str) -> bool {
    rel.split_ascii_whitespace()
        .any(|word| word.eq_ignore_ascii_case("opener"))
}

/// The URLs of a `srcset`: comma-separated candidates, each a URL and a descriptor.
fn srcset_urls(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(',')
        .filter_map(|candidate| candidate.split_whitespace().next())
}

/// Everything refused in a `style` attribute's CSS.
pub fn check_style(css: &str) -> Vec<Refusal> {
    // cssparser stops nesting at 75 blocks deep, which bounds the recursion below.
    let mut parser = Parser::new(css);
    let mut found = Vec::new();
    scan_css(&mut parser, &mut found);
    found
}

/// Functions whose arguments the browser fetches.
const LOADING_FUNCTIONS: [&str; 6] = [
    "url",
    "src",
    "image",
    "image-set",
    "-webkit-image-set",
    "cross-fade",
];

/// Walks CSS tokens, nested blocks included, iteratively at each level.
fn scan_css(parser: &mut Parser, found: &mut Vec<Refusal>) {
    // The custom property (`--u`) whose name was the last token, waiting for its `:`.
    let mut custom_property: Option<String> = None;
    loop {
        let token = match parser.next_including_whitespace_and_comments() {
            Ok(token) => token.clone(),
            Err(_) => return,
        };
        match &token {
            Token::WhiteSpace(_) | Token::Comment(_) => continue,
            Token::Colon => {
                if let Some(name) = custom_property.take() {
                    // The value runs to the declaration's `;` (or the block's end).
                    let _ = parser.parse_until_before(Delimiter::Semicolon, |value| {
                        if custom_value_carries_url(value) {
                            found.push(Refusal::CustomPropertyValue { name });
                        }
                        Ok::<(), cssparser::ParseError<()>>(())
                    });
                    continue;
                }
            }
            Token::Ident(name) if name.starts_with("--") => {
                custom_property = Some(name.to_string());
                continue;
            }
            _ => {}
        }
        custom_property = None;
        match token {
            Token::UnquotedUrl(url) => {
                if let Err(r) = check_url(&url, UrlUse::Load) {
                    found.push(r);
                }
            }
            // It brings in a style sheet nobody has checked.
            Token::AtKeyword(name) if name.eq_ignore_ascii_case("import") => {
                found.push(Refusal::ScriptInStyle)
            }
            // `@property --u { initial-value: "https://…" }` gives a custom property a
            // value as its declaration would: held to the same rule.
            Token::AtKeyword(name) if name.eq_ignore_ascii_case("property") => {
                let mut property = String::new();
                loop {
                    match parser.next_including_whitespace_and_comments() {
                        Ok(Token::Ident(name)) if property.is_empty() => {
                            property = name.to_string()
                        }
                        Ok(Token::CurlyBracketBlock) => {
                            let _ = parser.parse_nested_block(|inner| {
                                if custom_value_carries_url(inner) {
                                    found.push(Refusal::CustomPropertyValue {
                                        name: std::mem::take(&mut property),
                                    });
                                }
                                Ok::<(), cssparser::ParseError<()>>(())
                            });
                            break;
                        }
                        Ok(Token::Semicolon) | Err(_) => break,
                        Ok(_) => {}
                    }
                }
            }
            Token::Ident(name)
                if name.eq_ignore_ascii_case("behavior")
                    || name.eq_ignore_ascii_case("-moz-binding") =>
            {
                found.push(Refusal::ScriptInStyle)
            }
            Token::Function(name) => {
                let name = name.to_ascii_lowercase();
                if name == "expression" {
                    found.push(Refusal::ScriptInStyle);
                }
                let loads = LOADING_FUNCTIONS.contains(&name.as_str());
                let _ = parser.parse_nested_block(|inner| {
                    if loads {
                        scan_loaded_strings(inner, found);
                    } else {
                        scan_css(inner, found);
                    }
                    Ok::<(), cssparser::ParseError<()>>(())
                });
            }
            Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock => {
                let _ = parser.parse_nested_block(|inner| {
                    scan_css(inner, found);
                    Ok::<(), cssparser::ParseError<()>>(())
                });
            }
            _ => {}
        }
    }
}

/// A URL a style sheet loads, as written, and the bytes of its token (`url(x.png)` or
/// the string `"x.png"` inside `url()` or `image-set()`), for a rewrite to replace whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyleSheetUrl {
    pub url: String,
    pub token: std::ops::Range<usize>,
}

/// Every URL a style sheet loads, in order: the URLs [`check_style`] holds to the
/// policy, read by the same tokenizer.
pub fn style_sheet_urls(css: &str) -> Vec<StyleSheetUrl> {
    fn walk(parser: &mut Parser, loading: bool, found: &mut Vec<StyleSheetUrl>) {
        loop {
            let start = parser.position().byte_index();
            let token = match parser.next_including_whitespace_and_comments() {
                Ok(token) => token.clone(),
                Err(_) => return,
            };
            let token_range = start..parser.position().byte_index();
            match token {
                Token::UnquotedUrl(url) => found.push(StyleSheetUrl {
                    url: url.to_string(),
                    token: token_range,
                }),
                Token::QuotedString(url) if loading => found.push(StyleSheetUrl {
                    url: url.to_string(),
                    token: token_range,
                }),
                Token::Function(name) => {
                    let loads = loading
                        || LOADING_FUNCTIONS
                            .iter()
                            .any(|f| name.eq_ignore_ascii_case(f));
                    let _ = parser.parse_nested_block(|inner| {
                        walk(inner, loads, found);
                        Ok::<(), cssparser::ParseError<()>>(())
                    });
                }
                Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock => {
                    let _ = parser.parse_nested_block(|inner| {
                        walk(inner, loading, found);
                        Ok::<(), cssparser::ParseError<()>>(())
                    });
                }
                _ => {}
            }
        }
    }
    let mut parser = Parser::new(css);
    let mut found = Vec::new();
    walk(&mut parser, false, &mut found);
    found
}

/// Whether a custom property's value holds a string or a URL anywhere, nested blocks
/// included. Such a value is refused whatever it names: where it is used (`var(--u)`
/// inside `image-set()`, `src()`, …) it may become a URL that no check reads as one.
fn custom_value_carries_url(parser: &mut Parser) -> bool {
    let mut carries = false;
    loop {
        let token = match parser.next_including_whitespace_and_comments() {
            Ok(token) => token.clone(),
            Err(_) => return carries,
        };
        match token {
            Token::QuotedString(_)
            | Token::UnquotedUrl(_)
            | Token::BadString(_)
            | Token::BadUrl(_) => carries = true,
            Token::Function(_)
            | Token::ParenthesisBlock
            | Token::SquareBracketBlock
            | Token::CurlyBracketBlock => {
                let _ = parser.parse_nested_block(|inner| {
                    carries |= custom_value_carries_url(inner);
                    Ok::<(), cssparser::ParseError<()>>(())
                });
            }
            _ => {}
        }
    }
}
/// Functions that stand for a value written elsewhere: inside a function that fetches,
/// they would hide its URL from this check.
const SUBSTITUTING_FUNCTIONS: [&str; 3] = ["var", "env", "attr"];

/// Inside `url("…")` or `image-set("…" 1x)`: every string is a URL the browser fetches.
fn scan_loaded_strings(parser: &mut Parser, found: &mut Vec<Refusal>) {
    loop {
        let token = match parser.next_including_whitespace_and_comments() {
            Ok(token) => token.clone(),
            Err(_) => return,
        };
        match token {
            Token::QuotedString(url) | Token::UnquotedUrl(url) => {
                if let Err(r) = check_url(&url, UrlUse::Load) {
                    found.push(r);
                }
            }
            Token::Function(name)
                if SUBSTITUTING_FUNCTIONS
                    .iter()
                    .any(|f| name.eq_ignore_ascii_case(f)) =>
            {
                found.push(Refusal::UrlInVariable);
            }
            Token::Function(_)
            | Token::ParenthesisBlock
            | Token::SquareBracketBlock
            | Token::CurlyBracketBlock => {
                let _ = parser.parse_nested_block(|inner| {
                    scan_loaded_strings(inner, found);
                    Ok::<(), cssparser::ParseError<()>>(())
                });
            }
            _ => {}
        }
    }
}

/// SVG elements a published image may use: shapes, text, grouping, paint servers and
/// filters. Not `script`, `foreignObject` (HTML inside), `a`, or the animation
/// elements (which can rewrite a link into script).
pub(crate) const SVG_ELEMENTS: [&str; 44] = [
    "svg",
    "g",
    "defs",
    "symbol",
    "use",
    "title",
    "desc",
    "metadata",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "pattern",
    "marker",
    "style",
    "image",
    "filter",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feFlood",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "feDropShadow",
    "feFuncA",
    "feFuncR",
    "feFuncG",
    "feFuncB",
    "feTile",
];

/// Everything refused in an SVG image, each with its line. See [`check_svg_at`].
pub fn check_svg(text: &str) -> Vec<(usize, Refusal)> {
    check_svg_at(text)
        .into_iter()
        .map(|(at, refusal)| (at.line, refusal))
        .collect()
}

/// Everything refused in an SVG image, each at its place. An SVG opened on its own is
/// a document the browser runs like a page, so it is held to the same rules: no
/// script, nothing fetched from elsewhere, no processing instruction (an
/// `xml-stylesheet` one would load a style sheet or an XSL transform). A file that is
/// not well-formed XML (or declares a DTD, whose entities could expand without end) is
/// refused whole.
pub fn check_svg_at(text: &str) -> Vec<(Position, Refusal)> {
    let document = match roxmltree::Document::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let row = usize::try_from(e.pos().row).unwrap_or(1).max(1);
            // The start of that line: one count, for the only finding.
            let offset = text
                .match_indices('\n')
                .nth(row.saturating_sub(2))
                .filter(|_| row > 1)
                .map_or(0, |(i, _)| i + 1);
            let at = LineCursor::new(text).position(offset);
            return vec![(
                at,
                Refusal::NotWellFormed {
                    detail: e.to_string(),
                },
            )];
        }
    };
    let mut found = Vec::new();
    // Nodes come in document order, so one cursor finds every line in a single pass
    // over the text; asking the document for each node's line counted from the start
    // of the file every time (300,000 elements took 80 s).
    let mut cursor = LineCursor::new(text);
    for node in document.descendants() {
        let at = cursor.position(node.range().start);
        if let Some(pi) = node.pi() {
            found.push((
                at,
                Refusal::ProcessingInstruction {
                    target: pi.target.to_owned(),
                },
            ));
            continue;
        }
        if !node.is_element() {
            continue;
        }
        let name = node.tag_name().name();
        if !SVG_ELEMENTS.contains(&name) {
            found.push((
                at,
                Refusal::Element {
                    name: name.to_owned(),
                },
            ));
            continue;
        }
        if name == "style" {
            let css: String = node.children().filter_map(|c| c.text()).collect();
            found.extend(check_style(&css).into_iter().map(|r| (at, r)));
        }
        for attribute in node.attributes() {
            let attribute_name = attribute.name();
            let value = attribute.value();
            if is_event_handler(attribute_name) {
                found.push((
                    at,
                    Refusal::EventHandler {
                        name: attribute_name.to_owned(),
                    },
                ));
            } else if attribute_name == "href" {
                // `use` may only point inside the file: it can load other documents.
                let refused = if name == "use" && !value.trim_start().starts_with('#') {
                    Some(Refusal::OtherHost {
                        url: value.to_owned(),
                    })
                } else {
                    check_url(value, UrlUse::Load).err()
                };
                found.extend(refused.map(|r| (at, r)));
            } else if attribute_name == "style" || value.contains('(') {
                // Presentation attributes (`fill`, `filter`, `mask`) take CSS values,
                // and a CSS function is named in any case and may be escaped
                // (`URL(`, `u\72l(`): every value with a function is read as CSS.
                found.extend(check_style(value).into_iter().map(|r| (at, r)));
            }
        }
    }
    found
}

/// The characters of a text that no page, feed or terminal should receive, with their
/// byte offsets: C0 controls other than tab and line break, DEL, the C1 controls, the
/// bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069, which make text
/// read in another order than it is written), and the noncharacters (U+FDD0–U+FDEF and
/// the last two code points of every plane, which XML forbids: a title holding U+FFFF
/// made the feed unreadable).
pub fn control_characters(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    // Nearly every text has none, and a scan by characters is slow on Japanese text. A
    // piece of fixed length is tested whole, each byte with the one after it, by
    // comparisons without branches that the compiler makes on many bytes at a time;
    // only a piece that may hold one (rare: the test is nearly exact) and the short
    // tail are read byte by byte.
    const PIECE: usize = 32;
    const WINDOW: usize = PIECE + 1;
    let bytes = text.as_bytes();
    let whole = bytes.len().saturating_sub(1) / PIECE;
    let pieces = (0..whole)
        .filter(move |n| {
            bytes[n * PIECE..]
                .first_chunk::<WINDOW>()
                .is_none_or(may_hold_forbidden)
        })
        .map(|n| n * PIECE..(n + 1) * PIECE)
        .chain(std::iter::once(whole * PIECE..bytes.len()));
    pieces
        .flat_map(move |piece| piece.filter(move |&at| forbidden_starts_at(bytes, at)))
        .filter_map(move |at| Some((at, text.get(at..)?.chars().next()?)))
}

/// Whether one of the first `WINDOW - 1` bytes may start a character that
/// [`forbidden_starts_at`] finds, judged from it and the byte after it: C0 and DEL, `C2`
/// before `80`–`9F`, `E2 80`/`81`, `EF B7`/`BF`, and any start of a character past the
/// Basic Multilingual Plane. Written without branches, so that it runs on many bytes at
/// once; Japanese text (`E3`–`E9`, `EF BC`/`BD` for full-width forms) never matches.
fn may_hold_forbidden<const WINDOW: usize>(window: &[u8; WINDOW]) -> bool {
    let mut hit = false;
    for at in 0..WINDOW - 1 {
        let (b0, b1) = (window[at], window[at + 1]);
        hit |= (b0 < 0x20) & (b0 != b'\t') & (b0 != b'\n') & (b0 != b'\r')
            | (b0 == 0x7F)
            | ((b0 == 0xC2) & (b1 < 0xA0))
            | ((b0 == 0xE2) & ((b1 & 0xFE) == 0x80))
            | ((b0 == 0xEF) & ((b1 == 0xB7) | (b1 == 0xBF)))
            | (b0 >= 0xF0);
    }
    hit
}

/// Whether the character [`is_forbidden_control`] refuses starts at byte `at` of UTF-8
/// text, judged from its bytes: C0 and DEL are single bytes, C1 is `C2 80`–`C2 9F`, the
/// bidi controls are `E2 80 AA`–`E2 80 AE` and `E2 81 A6`–`E2 81 A9`, and the
/// noncharacters `EF B7 90`–`EF B7 AF`, `EF BF BE`/`BF` and `F0`–`F4 ?F BF BE`/`BF`
/// (every code point ending in FFFE or FFFF). No continuation byte starts one.
fn forbidden_starts_at(bytes: &[u8], at: usize) -> bool {
    let byte = |k: usize| bytes.get(at + k).copied().unwrap_or(0);
    match byte(0) {
        b'\t' | b'\n' | b'\r' => false,
        0x00..=0x1F | 0x7F => true,
        0xC2 => matches!(byte(1), 0x80..=0x9F),
        0xE2 => matches!(
            (byte(1), byte(2)),
            (0x80, 0xAA..=0xAE) | (0x81, 0xA6..=0xA9)
        ),
        0xEF => matches!(
            (byte(1), byte(2)),
            (0xB7, 0x90..=0xAF) | (0xBF, 0xBE..=0xBF)
        ),
        0xF0..=0xF4 => byte(1) & 0x0F == 0x0F && byte(2) == 0xBF && byte(3) >= 0xBE,
        _ => false,
    }
}

/// At most this many control characters are reported per file: a binary file saved
/// as text would otherwise fill the terminal.
const CONTROL_CHARACTERS_REPORTED: usize = 10;

/// Errors for the control characters written in a text file, each at its place.
pub fn control_character_problems(file: &Path, text: &str) -> Vec<Diagnostic> {
    let mut cursor: Option<LineCursor> = None;
    control_characters(text)
        .take(CONTROL_CHARACTERS_REPORTED)
        .map(|(offset, c)| {
            let at = cursor
                .get_or_insert_with(|| LineCursor::new(text))
                .position(offset);
            Diagnostic::error(Problem::ControlCharacter { code: u32::from(c) })
                .at_offset(file, at, text)
        })
        .collect()
}

/// The first control character of a value read from a file (TOML's `"\u001b"` escapes
/// make one out of plain text).
pub fn first_control_character(value: &str) -> Option<char> {
    value.chars().find(|c| is_forbidden_control(*c))
}

/// Characters that TOML escapes (`"\u202E"`, `"\U0000FFFF"`) in `text` write and
/// [`is_forbidden_control`] refuses, with the byte offset of each escape: the file
/// itself holds only plain letters there, so the scan of its characters cannot see
/// them. A `\u` after an escaped backslash (`\\u`) is text, not an escape.
pub fn escaped_forbidden_characters(text: &str) -> Vec<(usize, char)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for (at, _) in text.match_indices('\\') {
        let digits = match bytes.get(at + 1) {
            Some(b'u') => 4,
            Some(b'U') => 8,
            _ => continue,
        };
        // An odd run of backslashes ending here: this one starts an escape.
        let run = bytes[..at]
            .iter()
            .rev()
            .take_while(|b| **b == b'\\')
            .count();
        if run % 2 == 1 {
            continue;
        }
        let escaped = text
            .get(at + 2..at + 2 + digits)
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32);
        if let Some(c) = escaped.filter(|c| is_forbidden_control(*c)) {
            found.push((at, c));
        }
    }
    found
}

/// A character that has no business in a page's text: a control character (but tab and
/// line breaks), a bidirectional override or isolate, or a noncharacter. See
/// [`control_characters`].
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_bidi_control(c) || is_noncharacter(c)
}

/// The bidirectional embeddings, overrides and isolates: they reorder the text around
/// them on screen (`U+202E` shows `txt.exe` as `exe.txt`). The marks U+200E and U+200F,
/// which only set the direction of neutral characters, stay allowed.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Code points Unicode keeps out of interchange, which XML documents may not hold.
fn is_noncharacter(c: char) -> bool {
    matches!(c, '\u{FDD0}'..='\u{FDEF}') || (u32::from(c) & 0xFFFE) == 0xFFFE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_may_use_only_web_mail_and_phone_schemes() {
        for ok in [
            "https://www.pref.miyagi.jp/",
            "HTTP://example.jp",
            "mailto:soudan@example.jp",
            "tel:+81-229-23-0024",
            "/access/",
            "../access/",
            "@/access.ja.md",
            "#map",
            "files/map.pdf",
        ] {
            assert_eq!(check_url(ok, UrlUse::Navigate), Ok(()), "{ok}");
        }
        // What a browser reads as another host, written as if a path: the address is
        // to be written in full, so nobody reads it as a page of the site.
        for bad in [
            "/\\evil.example/",
            "//www.pref.miyagi.jp/",
            "\\\\evil.example",
            " //evil.example",
            "https:evil.example",
        ] {
            assert!(
                matches!(
                    check_url(bad, UrlUse::Navigate),
                    Err(Refusal::HostWrittenAsPath { .. })
                ),
                "{bad}"
            );
        }
        for (bad, scheme) in [
            ("javascript:alert(1)", "javascript"),
            (" JavaScript:alert(1)", "javascript"),
            ("java\tscript:alert(1)", "javascript"),
            ("\u{1}javascript:alert(1)", "javascript"),
            ("vbscript:msgbox", "vbscript"),
            ("data:text/html,<script>", "data"),
            ("file:///etc/passwd", "file"),
        ] {
            assert!(
                matches!(check_url(bad, UrlUse::Navigate), Err(Refusal::Scheme { scheme: s, .. }) if s == scheme),
                "{bad}"
            );
        }
    }

    #[test]
    fn what_the_browser_fetches_must_come_from_the_site() {
        for ok in ["/files/map.png", "map.png", "../files/a.jpg"] {
            assert_eq!(check_url(ok, UrlUse::Load), Ok(()), "{ok}");
        }
        for bad in [
            "https://tracker.example/p.gif",
            "http://example.jp/a.png",
            "//cdn.example/a.png",
            "/\\cdn.example/a.png",
            "https:cdn.example/a.png",
        ] {
            assert!(
                matches!(check_url(bad, UrlUse::Load), Err(Refusal::OtherHost { .. })),
                "{bad}"
            );
        }
        assert!(matches!(
            check_url("data:image/png;base64,AAAA", UrlUse::Load),
            Err(Refusal::Scheme { .. })
        ));
    }

    fn refusals(html: &str) -> Vec<Refusal> {
        check_html(html)
            .refusals
            .into_iter()
            .map(|(_, r)| r)
            .collect()
    }

    #[test]
    fn raw_html_is_limited_to_a_public_information_page() {
        assert!(
            refusals(concat!(
                "<p class=\"note\" lang=\"en\">Text <a href=\"/access/\" target=\"_blank\">map</a></p>",
                "<img src=\"/files/map.png\" alt=\"\" width=\"300\">",
                "<table><tr><th scope=\"col\">a</th></tr></table>",
                "<details open><summary>More</summary>x</details><!-- a comment -->",
                "<span style=\"color: #333; background: url(/files/a.png)\">x</span>"
            ))
            .is_empty()
        );
        for (html, expected) in [
            (
                "<script>alert(1)</script>",
                Refusal::Element {
                    name: "script".into(),
                },
            ),
            (
                "<IFRAME src=x></IFRAME>",
                Refusal::Element {
                    name: "iframe".into(),
                },
            ),
            (
                "<object data=x>",
                Refusal::Element {
                    name: "object".into(),
                },
            ),
            (
                "<embed src=x>",
                Refusal::Element {
                    name: "embed".into(),
                },
            ),
            (
                "<form action=x>",
                Refusal::Element {
                    name: "form".into(),
                },
            ),
            (
                "<style>p{}</style>",
                Refusal::Element {
                    name: "style".into(),
                },
            ),
            (
                "<svg viewBox=\"0 0 1 1\">",
                Refusal::Element { name: "svg".into() },
            ),
            (
                "<meta http-equiv=refresh>",
                Refusal::Element {
                    name: "meta".into(),
                },
            ),
            ("<h1>Title</h1>", Refusal::Element { name: "h1".into() }),
            (
                "<img src=x alt=\"\" onerror=\"alert(1)\">",
                Refusal::EventHandler {
                    name: "onerror".into(),
                },
            ),
            (
                "<a href=\"/x/\" ping=\"https://t.example\">x</a>",
                Refusal::Attribute {
                    element: "a".into(),
                    name: "ping".into(),
                },
            ),
            (
                "<a href=\"&#106;avascript:alert(1)\">x</a>",
                Refusal::Scheme {
                    url: "javascript:alert(1)".into(),
                    scheme: "javascript".into(),
                },
            ),
            (
                "<img src=\"https://t.example/p.gif\" alt=\"\">",
                Refusal::OtherHost {
                    url: "https://t.example/p.gif".into(),
                },
            ),
            (
                "<img src=\"/a.png\" srcset=\"/a2.png 2x, https://t.example/b.png 3x\" alt=\"\">",
                Refusal::OtherHost {
                    url: "https://t.example/b.png".into(),
                },
            ),
        ] {
            assert_eq!(refusals(html), vec![expected], "{html}");
        }
    }

    #[test]
    fn the_text_inside_a_script_is_not_read_as_tags() {
        // One refusal, for the script; its text mentions tags that are not there.
        assert_eq!(
            refusals("<script>document.write('<iframe src=x>')</script>"),
            vec![Refusal::Element {
                name: "script".into()
            }]
        );
    }

    #[test]
    fn styles_may_not_load_from_elsewhere_or_run_script() {
        assert!(check_style("color: red; background: url('/files/a.png')").is_empty());
        for css in [
            "background: url(https://t.example/p.gif)",
            "background: URL( \"//t.example/p.gif\" )",
            "background: u\\72l(https://t.example/p.gif)",
            "background-image: image-set(\"https://t.example/a.png\" 1x)",
        ] {
            assert!(
                matches!(check_style(css).as_slice(), [Refusal::OtherHost { .. }]),
                "{css}: {:?}",
                check_style(css)
            );
        }
        for css in [
            "--u:\"https://t.example/p.gif\";background-image:image-set(var(--u) 1x)",
            "--u: url(/a.png)",
            "--u: { \"x\" }",
            "background-image: image-set(VAR(--u) 1x)",
            "background: src(env(x))",
        ] {
            assert!(
                check_style(css).iter().any(|r| matches!(
                    r,
                    Refusal::UrlInVariable | Refusal::CustomPropertyValue { .. }
                )),
                "{css}: {:?}",
                check_style(css)
            );
        }
        assert!(check_style("--text: #1a1a1a; color: var(--text)").is_empty());
        for css in [
            "width: expression(alert(1))",
            "behavior: url(/x.htc)",
            "@import 'x.css'",
        ] {
            assert!(check_style(css).contains(&Refusal::ScriptInStyle), "{css}");
        }
    }

    #[test]
    fn an_svg_may_draw_but_not_run_script_or_load_from_elsewhere() {
        let map = concat!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\" role=\"img\">\n",
            "<style>.a { fill: url(#g); }</style><title>Map</title>\n",
            "<defs><linearGradient id=\"g\"><stop offset=\"0\"/></linearGradient></defs>\n",
            "<rect class=\"a\" width=\"10\" height=\"10\" fill=\"url(#g)\"/><use href=\"#g\"/>\n",
            "</svg>"
        );
        assert_eq!(check_svg(map), Vec::new());
        for (svg, line) in [
            (
                "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<script>alert(1)</script></svg>",
                2,
            ),
            (
                "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
                1,
            ),
            (
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><foreignObject/></svg>",
                1,
            ),
            (
                "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:x=\"http://www.w3.org/1999/xlink\">\n\n<image x:href=\"https://t.example/p.png\"/></svg>",
                3,
            ),
            (
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><use href=\"/other.svg#a\"/></svg>",
                1,
            ),
            (
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><style>@import url(x.css);</style></svg>",
                1,
            ),
            (
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect fill=\"url(https://t.example/#a)\"/></svg>",
                1,
            ),
            (
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"javascript:x\"/></svg>",
                1,
            ),
            ("<!DOCTYPE svg [<!ENTITY a \"aaaa\">]><svg>&a;</svg>", 1),
        ] {
            let found = check_svg(svg);
            assert!(!found.is_empty(), "{svg}");
            assert_eq!(found[0].0, line, "{svg}: {found:?}");
        }
    }

    #[test]
    fn tags_are_placed_on_their_line() {
        let found = check_html("<div>\n<p>x</p>\n<script></script>\n<img src=a.png>\n</div>");
        assert_eq!(
            found.refusals,
            vec![(
                3,
                Refusal::Element {
                    name: "script".into()
                }
            )]
        );
        assert_eq!(found.images_without_alt, vec![4]);
        assert!(
            check_html("<img src=a.png alt=\"\">")
                .images_without_alt
                .is_empty()
        );
    }

    #[test]
    fn a_link_may_not_hand_its_page_an_opener() {
        for html in [
            "<a href=\"https://example.jp/\" rel=\"opener\">x</a>",
            "<a href=x rel='nofollow\tOpener'>x</a>",
            "<a href=x REL=\"OPENER noreferrer\">x</a>",
        ] {
            assert_eq!(refusals(html), vec![Refusal::OpenerLink], "{html}");
        }
        for html in [
            "<a href=x rel=\"noopener\">x</a>",
            "<a href=x rel=\"nofollow openers\">x</a>",
            "<a href=x title=\"opener\">x</a>",
        ] {
            assert!(refusals(html).is_empty(), "{html}");
        }
    }

    #[test]
    fn raw_html_that_ends_inside_a_tag_a_value_or_a_comment_is_unfinished() {
        // The browser joins this block with the next, whose text then finishes the tag.
        let split = "<div>\n<img src=\"/x\" alt=\"\" title=\"\n";
        assert_eq!(check_html(split).unfinished, Some(2));
        for html in [
            "<p>x</p><img src=\"/x\" alt=\"\" title=\"",
            "<img src=/x alt",
            "<img src=/x alt=",
            "<a href=\"/x/\"",
            "<div",
            "<",
            "</",
            "<!-- a comment",
            "<!-- a comment -",
            "<!x bogus comment",
            "<?x bogus comment",
            "<!DOCTYPE html",
        ] {
            assert_eq!(check_html(html).unfinished, Some(1), "{html:?}");
        }
        for html in [
            "<div>\n<img src=\"/x\" alt=\"\" title=\"t\">\n",
            "<!-- a comment -->",
            "<p>a < b &amp c &am",
            "<b title=\" onerror=alert(document.domain) \">x</b>",
            "",
        ] {
            assert_eq!(check_html(html).unfinished, None, "{html:?}");
        }
    }

    #[test]
    fn a_custom_property_may_not_carry_a_string_or_a_url() {
        for css in [
            "--u:\"https://t.example/p.gif\";background-image:image-set(var(--u) 1x)",
            "--u : url(/files/a.png)",
            "--u: x(y('https://t.example/'))",
            "color: red; --\\75 : 'x'",
            "@property --u { syntax: '<url>'; initial-value: \"https://t.example/\" }",
            "p { --u: \"x\" }",
        ] {
            assert!(
                check_style(css)
                    .iter()
                    .any(|r| matches!(r, Refusal::CustomPropertyValue { .. })),
                "{css}: {:?}",
                check_style(css)
            );
        }
        for css in [
            "--gap: 4px; margin: var(--gap)",
            "--colour: #333; color: var(--colour, black)",
            "p { --w: calc(1em + 2px) }",
        ] {
            assert_eq!(check_style(css), Vec::new(), "{css}");
        }
        // Two things are wrong there: the property carries a URL, and a loading
        // function takes a variable.
        assert_eq!(
            check_style("--u:\"https://t.example/p.gif\";background-image:image-set(var(--u) 1x)"),
            vec![
                Refusal::CustomPropertyValue { name: "--u".into() },
                Refusal::UrlInVariable
            ]
        );
    }

    #[test]
    fn an_svg_may_hold_no_processing_instruction_and_its_css_is_read_in_any_case() {
        let svg = |inner: &str| {
            format!(
                "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">\n{inner}</svg>"
            )
        };
        // The XML declaration is not a processing instruction.
        assert_eq!(check_svg(&svg("<rect/>")), Vec::new());
        assert_eq!(
            check_svg(
                "<?xml version=\"1.0\"?>\n<?xml-stylesheet href=\"https://t.example/s.css\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
            ),
            vec![(
                2,
                Refusal::ProcessingInstruction {
                    target: "xml-stylesheet".into()
                }
            )]
        );
        assert!(matches!(
            check_svg(&svg("<?x y?>")).as_slice(),
            [(3, Refusal::ProcessingInstruction { .. })]
        ));
        for inner in [
            "<rect fill=\"URL(https://t.example/#a)\"/>",
            "<rect fill=\"Url(https://t.example/#a)\"/>",
            "<rect filter=\"u\\72l(https://t.example/#a)\"/>",
            "<rect style=\"fill: URL('https://t.example/#a')\"/>",
        ] {
            assert!(
                matches!(
                    check_svg(&svg(inner)).as_slice(),
                    [(3, Refusal::OtherHost { .. })]
                ),
                "{inner}: {:?}",
                check_svg(&svg(inner))
            );
        }
        for inner in [
            "<style>.a{--u:\"https://t.example/p.png\"}.a{fill:image-set(var(--u) 1x)}</style>",
            "<rect style=\"--u:'https://t.example/p.png';fill:image-set(var(--u) 1x)\"/>",
        ] {
            assert!(
                matches!(
                    check_svg(&svg(inner)).as_slice(),
                    [
                        (3, Refusal::CustomPropertyValue { .. }),
                        (3, Refusal::UrlInVariable)
                    ]
                ),
                "{inner}: {:?}",
                check_svg(&svg(inner))
            );
        }
    }

    #[test]
    fn an_svg_finding_is_placed_at_its_line_and_column() {
        let text = "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <g/><script/>\n</svg>";
        let found = check_svg_at(text);
        assert_eq!(found.len(), 1);
        let (at, _) = &found[0];
        assert_eq!(
            (at.line, at.column, at.offset),
            (2, 7, text.find("<script").unwrap())
        );
    }

    #[test]
    fn bidi_controls_and_noncharacters_are_refused_like_control_characters() {
        for c in [
            '\u{202A}',
            '\u{202E}',
            '\u{2066}',
            '\u{2069}',
            '\u{FDD0}',
            '\u{FDEF}',
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{1FFFE}',
            '\u{2FFFF}',
            '\u{10FFFE}',
            '\u{10FFFF}',
        ] {
            let text = format!("相談{c}窓口");
            assert_eq!(
                control_characters(&text).collect::<Vec<_>>(),
                vec![(6, c)],
                "U+{:04X}",
                u32::from(c)
            );
            assert!(is_forbidden_control(c));
        }
        // Direction marks, the characters beside the ranges, and Japanese text stay.
        for text in [
            "\u{200E}\u{200F}\u{2029}\u{202F}\u{2065}\u{206A}",
            "\u{FDCF}\u{FDF0}\u{FFFD}\u{1FFFD}\u{10FFFD}",
            "ひきこもり地域支援センター（宮城県）— 相談は無料です…※",
        ] {
            assert_eq!(control_characters(text).count(), 0, "{text:?}");
        }
    }

    #[test]
    fn toml_escapes_of_refused_characters_are_found() {
        let text =
            "title = \"a\\u202Eb\"\nx = \"\\U0000FFFF\"\ny = \"\\\\u202E \\u0041 \\u00e9\"\n";
        assert_eq!(
            escaped_forbidden_characters(text),
            vec![
                (text.find("\\u202E").unwrap(), '\u{202E}'),
                (text.find("\\U0000").unwrap(), '\u{FFFF}')
            ]
        );
    }

    #[test]
    fn control_characters_are_found_but_tabs_and_line_breaks_are_text() {
        let found: Vec<_> = control_characters("a\tb\nc\u{0}d\u{1b}[2Je\u{85}f").collect();
        assert_eq!(found, vec![(5, '\u{0}'), (7, '\u{1b}'), (12, '\u{85}')]);
    }

    proptest::proptest! {
        /// The scan by bytes finds exactly the characters the rule by characters names,
        /// at their places, in any text (pieces meeting mid-character included).
        #[test]
        fn the_byte_scan_finds_what_the_character_rule_names(
            text in "(.|[\u{0}-\u{9f}\u{2028}-\u{206f}\u{fdc0}-\u{fdff}\u{fff0}-\u{ffff}\u{1fffe}\u{10ffff}]){0,200}"
        ) {
            let by_characters: Vec<_> = text
                .char_indices()
                .filter(|(_, c)| is_forbidden_control(*c))
                .collect();
            proptest::prop_assert_eq!(control_characters(&text).collect::<Vec<_>>(), by_characters);
        }
    }
}
