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

use std::cell::RefCell;

use std::path::Path;

use cssparser::{Parser, Token};
use html5ever::tendril::StrTendril;

use crate::diagnostics::{Diagnostic, LineCursor, Problem};
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
            Refusal::UrlInVariable => Problem::UrlInCssVariable,
        }
    }
}

/// Link schemes a reader may follow.
const NAVIGABLE_SCHEMES: [&str; 4] = ["https", "http", "mailto", "tel"];

/// Checks a URL as written in a link, an image or an attribute.
pub fn check_url(url: &str, usage: UrlUse) -> Result<(), Refusal> {
    // What a browser does before reading a URL: C0 controls and spaces around it go,
    // tabs and line breaks inside it go (`java\tscript:` is `javascript:`).
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if let Some(scheme) = scheme_of(&cleaned) {
        let scheme = scheme.to_ascii_lowercase();
        return match usage {
            UrlUse::Navigate if NAVIGABLE_SCHEMES.contains(&scheme.as_str()) => Ok(()),
            UrlUse::Load if scheme == "http" || scheme == "https" => Err(Refusal::OtherHost {
                url: url.to_owned(),
            }),
            _ => Err(Refusal::Scheme {
                url: url.to_owned(),
                scheme,
            }),
        };
    }
    // `//host/x` and `/\host/x` (which browsers read the same way) name another host.
    let other_host = cleaned.starts_with("//")
        || cleaned.starts_with("/\\")
        || cleaned.starts_with("\\\\")
        || cleaned.starts_with("\\/");
    if other_host && usage == UrlUse::Load {
        return Err(Refusal::OtherHost {
            url: url.to_owned(),
        });
    }
    Ok(())
}

/// The scheme of a URL (`javascript` of `javascript:x`), if it has one.
fn scheme_of(url: &str) -> Option<&str> {
    let end = url.find(':')?;
    let scheme = &url[..end];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
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
}

/// Reads a piece of raw HTML as a browser would, and finds what the site refuses.
pub fn check_html(html: &str) -> HtmlFindings {
    let sink = PolicySink::default();
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.found.into_inner()
}

#[derive(Default)]
struct PolicySink {
    found: RefCell<HtmlFindings>,
}

/// `onclick`, `onerror`: attributes that run script.
pub fn is_event_handler(name: &str) -> bool {
    name.len() > 2 && name.starts_with("on")
}

impl TokenSink for PolicySink {
    type Handle = ();

    fn process_token(&self, token: HtmlToken, line_number: u64) -> TokenSinkResult<()> {
        let HtmlToken::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let line = usize::try_from(line_number).unwrap_or(usize::MAX);
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
    scan_css_level(parser, found, false);
}

/// One level of [`scan_css`]. `in_custom_property` is set inside the value of a custom
/// property (`--u: …`), whose strings and URLs are refused: `var(--u)` would bring them
/// into `image-set()` or `src()` unseen (`--u:"https://…"; image-set(var(--u) 1x)`).
fn scan_css_level(parser: &mut Parser, found: &mut Vec<Refusal>, in_custom_property: bool) {
    // Between a custom property's name and its colon, and from the colon to the `;`.
    let mut custom_name = false;
    let mut custom_value = in_custom_property;
    loop {
        let token = match parser.next_including_whitespace_and_comments() {
            Ok(token) => token.clone(),
            Err(_) => return,
        };
        match token {
            Token::UnquotedUrl(url) => {
                if let Err(r) = check_url(&url, UrlUse::Load) {
                    found.push(r);
                }
                if custom_value {
                    found.push(Refusal::UrlInVariable);
                }
            }
            Token::QuotedString(_) if custom_value => found.push(Refusal::UrlInVariable),
            Token::Ident(name) if name.starts_with("--") => custom_name = true,
            Token::Colon if custom_name => {
                custom_name = false;
                custom_value = true;
            }
            Token::Semicolon => {
                custom_name = false;
                custom_value = in_custom_property;
            }
            // It brings in a style sheet nobody has checked.
            Token::AtKeyword(name) if name.eq_ignore_ascii_case("import") => {
                found.push(Refusal::ScriptInStyle)
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
                if loads && custom_value {
                    found.push(Refusal::UrlInVariable);
                }
                let _ = parser.parse_nested_block(|inner| {
                    if loads {
                        scan_loaded_strings(inner, found);
                    } else {
                        scan_css_level(inner, found, custom_value);
                    }
                    Ok::<(), cssparser::ParseError<()>>(())
                });
            }
            Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock => {
                let _ = parser.parse_nested_block(|inner| {
                    scan_css_level(inner, found, custom_value);
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

/// Everything refused in an SVG image, each with its line. An SVG opened on its own is
/// a document the browser runs like a page, so it is held to the same rules: no
/// script, nothing fetched from elsewhere. A file that is not well-formed XML (or
/// declares a DTD, whose entities could expand without end) is refused whole.
pub fn check_svg(text: &str) -> Vec<(usize, Refusal)> {
    let document = match roxmltree::Document::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let line = usize::try_from(e.pos().row).unwrap_or(1);
            return vec![(
                line,
                Refusal::NotWellFormed {
                    detail: e.to_string(),
                },
            )];
        }
    };
    let mut found = Vec::new();
    for node in document.descendants().filter(|n| n.is_element()) {
        let line = usize::try_from(document.text_pos_at(node.range().start).row).unwrap_or(1);
        let name = node.tag_name().name();
        if !SVG_ELEMENTS.contains(&name) {
            found.push((
                line,
                Refusal::Element {
                    name: name.to_owned(),
                },
            ));
            continue;
        }
        if name == "style" {
            let css: String = node.children().filter_map(|c| c.text()).collect();
            found.extend(check_style(&css).into_iter().map(|r| (line, r)));
        }
        for attribute in node.attributes() {
            let attribute_name = attribute.name();
            let value = attribute.value();
            if is_event_handler(attribute_name) {
                found.push((
                    line,
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
                found.extend(refused.map(|r| (line, r)));
            } else if attribute_name == "style" || value.contains("url(") {
                found.extend(check_style(value).into_iter().map(|r| (line, r)));
            }
        }
    }
    found
}

/// The control characters of a text that no page, feed or terminal should receive: C0
/// controls other than tab and line break, DEL, and the C1 controls. Byte offsets.
pub fn control_characters(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    // Nearly every text has none, and a scan by characters is slow on Japanese text.
    // Control characters are C0 and DEL (single bytes) and C1 (0xC2 then 0x80–0x9F), so
    // a scan by bytes rules them out first.
    let suspect = text
        .bytes()
        .any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F || b == 0xC2);
    let scanned = if suspect { text } else { "" };
    scanned
        .char_indices()
        .filter(|(_, c)| is_forbidden_control(*c))
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

/// A control character that has no business in a page's text.
pub fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
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
            "//www.pref.miyagi.jp/",
        ] {
            assert_eq!(check_url(ok, UrlUse::Navigate), Ok(()), "{ok}");
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
                check_style(css).contains(&Refusal::UrlInVariable),
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
    fn control_characters_are_found_but_tabs_and_line_breaks_are_text() {
        let found: Vec<_> = control_characters("a\tb\nc\u{0}d\u{1b}[2Je\u{85}f").collect();
        assert_eq!(found, vec![(5, '\u{0}'), (7, '\u{1b}'), (12, '\u{85}')]);
    }
}
