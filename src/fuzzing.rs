//! Entry points for the fuzz targets in `fuzz/` and for the regression tests that
//! replay what they found (`tests/fuzz_regressions.rs`).
//!
//! Owns nothing of the build: each function feeds arbitrary input to one part of it, the
//! way a file from `content/` or a request to `serve` reaches it, and checks the
//! promises that part makes beyond not panicking. A panic here is a finding. Not for
//! any other use.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use crate::config::SiteConfig;
use crate::content_policy::{self, UrlUse};
use crate::data::glossary::Glossary;
use crate::engine::{BuildOptions, Engine, NoSink};
use crate::html::{HtmlScanner, TagToken};
use crate::load::{self, SourceFile};
use crate::locale::{Locale, Script, SizeStyle};
use crate::parse::{self, Rules, markdown_events};
use crate::render::markdown::{LinkBase, Notes, transform};
use crate::serve::http::{Located, locate};
use crate::serve::preview::{Files, PreviewFile};
use crate::site::Target;

const LANGUAGES: [&str; 2] = ["ja", "en"];

/// A site's settings for the inputs that need one.
const SITE_TOML: &str = "base_url = \"https://example.jp/centre/\"\ndefault_language = \"ja\"\n\
    [languages.ja]\nname = \"日本語\"\ntitle = \"センター\"\n\
    [languages.en]\nname = \"English\"\ntitle = \"Centre\"\n";

/// A page file, front matter and Markdown, through the parse stage and its lint.
pub fn page_file(text: &str) {
    let languages: Vec<String> = LANGUAGES.iter().map(|l| (*l).to_owned()).collect();
    let glossary = Glossary::default();
    let locales: BTreeMap<String, Locale> = languages
        .iter()
        .map(|l| (l.clone(), Locale::default()))
        .collect();
    let easy_japanese = BTreeMap::from([("ja".to_owned(), 50)]);
    let rules = Rules {
        languages: &languages,
        glossary: &glossary,
        locales: &locales,
        easy_japanese: &easy_japanese,
    };
    for name in ["about.ja.md", "news/2026-04-08-a.en.md", "_index.ja.md"] {
        let file = SourceFile {
            rel: PathBuf::from(name),
            text: text.into(),
        };
        let _ = parse::parse_page(&file, rules);
    }
}

/// The data files a site may have; the first byte of the input chooses one.
const DATA_FILES: [&str; 6] = [
    "site.toml",
    "sources.toml",
    "directory.toml",
    "publications.toml",
    "helplines.toml",
    "glossary.toml",
];

/// One data file, read as the data stage reads it beside a valid `site.toml` (or as
/// `site.toml` itself).
pub fn data_file(input: &[u8]) {
    let Some((&choice, rest)) = input.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let name = DATA_FILES[usize::from(choice) % DATA_FILES.len()];
    let file = SourceFile {
        rel: PathBuf::from(name),
        text: text.into(),
    };
    let site_toml = if name == "site.toml" {
        file.clone()
    } else {
        SourceFile {
            rel: PathBuf::from("site.toml"),
            text: SITE_TOML.into(),
        }
    };
    let Ok(config) = SiteConfig::parse(&site_toml) else {
        return;
    };
    let mut sources = load::Sources::default();
    sources.data.push(site_toml);
    if name != "site.toml" {
        sources.data.push(file);
    }
    let _ = crate::data::load(&sources, &config);
}

/// Markdown through every transform, in each language; the promise checked is that
/// the text pulldown-cmark alone would show is all still there, in order.
pub fn markdown(text: &str) {
    let targets: BTreeMap<String, Target> = BTreeMap::new();
    for lang in LANGUAGES {
        let notes = Notes {
            script: if lang == "ja" {
                Script::Japanese
            } else {
                Script::Latin
            },
            other_lang: Some(if lang == "ja" { "en" } else { "ja" }),
            size_style: SizeStyle::Metric,
            external: " (external site)",
            new_window: " (opens in a new window)",
            table: "Table",
            file: " ({format}, {size})",
            alternative: " ({link})",
            alternative_link: "the same as a web page",
        };
        let events: Vec<_> = markdown_events(text).map(|(event, _)| event).collect();
        let _ = transform(events, &targets, LinkBase::site("/centre/"), notes);
    }
}

/// A small real site, built once, whose links the link target resolves against.
fn link_site() -> &'static Option<Engine> {
    static SITE: OnceLock<Option<Engine>> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("yorisoi-fuzz-site-{}", std::process::id()));
        if !dir.join("content").is_dir() {
            crate::scaffold::new_site(&dir).ok()?;
        }
        let mut engine = Engine::new(BuildOptions {
            content: dir.join("content"),
            output: dir.join("public"),
            theme_dir: None,
            base_url: None,
            include_drafts: false,
            served_from: None,
            now: crate::dates::parse_moment("2026-04-08")?,
        });
        engine.build(&NoSink);
        Some(engine)
    })
}

/// A link destination as an author may write it, resolved from a page of a real site;
/// a page target must be a path of the site.
pub fn link(dest: &str) {
    let Some(engine) = link_site() else {
        return;
    };
    for (page_url, lang) in [("/about/", "ja"), ("/en/", "en")] {
        let resolved = engine.resolve_link(dest, page_url, lang);
        if let Some(Ok(Target::Page { url })) = &resolved {
            assert!(
                url.is_empty() || url.starts_with('/') || url.starts_with('#'),
                "{dest} → {url}"
            );
        }
        // A link the build takes for a page or file of the site is one a browser also
        // keeps on the site's host (`/\\host` is not: it names a host).
        if let Some(Ok(Target::Page { .. } | Target::File { .. } | Target::Generated { .. })) =
            resolved
        {
            let page = url::Url::parse("https://site.invalid/").and_then(|r| r.join(page_url));
            if let Ok(joined) = page.and_then(|p| p.join(dest)) {
                assert_eq!(joined.host_str(), Some("site.invalid"), "{dest}");
            }
        }
    }
}

/// A request path to the preview server: it must find a file of the preview or
/// redirect within the host, whatever the path.
pub fn serve_path(path: &str) {
    static FILES: OnceLock<Files> = OnceLock::new();
    let files = FILES.get_or_init(|| {
        [
            "index.html",
            "en/index.html",
            "about/index.html",
            "files/a b.pdf",
            "site.css",
        ]
        .into_iter()
        .map(|k| {
            let file: Arc<PreviewFile> = Arc::new(PreviewFile::Bytes(Arc::from(&b"x"[..])));
            (k.to_owned(), file)
        })
        .collect()
    });
    // Base paths as a hostile base_url gives them too: empty segments, a backslash.
    for base in ["/", "/centre/", "//other.example/", "/\\evil.example/"] {
        match locate(files, base, path) {
            Located::File(key) => assert!(files.contains_key(&key), "{path} → {key}"),
            Located::Redirect(to) => {
                assert!(to.starts_with('/'), "{path} → {to}");
                assert!(
                    !to.starts_with("//") && !to.starts_with("/\\"),
                    "{path} → {to}"
                );
                assert!(!to.contains(['\r', '\n']), "{path} → {to:?}");
            }
            Located::NotFound => {}
        }
    }
}

/// Raw HTML, CSS, SVG and URLs through the content policy; a URL let through for
/// following must be relative or use an allowed scheme.
pub fn content_policy(text: &str) {
    let _ = content_policy::check_html(text);
    let _ = content_policy::check_style(text);
    let _ = content_policy::check_svg(text);
    if content_policy::check_url(text, UrlUse::Navigate).is_ok() {
        let cleaned: String = text
            .trim_matches(|c: char| c <= ' ')
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        if let Some((scheme, _)) = cleaned.split_once(':') {
            let is_scheme = scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic());
            if is_scheme {
                assert!(
                    ["http", "https", "mailto", "tel"]
                        .contains(&scheme.to_ascii_lowercase().as_str()),
                    "{text:?} let through"
                );
            }
        }
        // And a browser takes it where the build thinks it goes: it stays on the page's
        // host, or goes to the same place from a page fetched over https as over http
        // (`/\\host` and `https:host` do neither).
        let from = |scheme: &str| {
            url::Url::parse(&format!("{scheme}://site.invalid/page/"))
                .and_then(|page| page.join(text))
        };
        if let (Ok(on_https), Ok(on_http)) = (from("https"), from("http")) {
            let stays = [&on_https, &on_http]
                .iter()
                .all(|u| u.host_str() == Some("site.invalid"));
            assert!(stays || on_https == on_http, "{text:?} let through");
        }
    }
}

/// HTML read by the scanner the Markdown transforms use ([`crate::html`]) and by
/// html5ever's tokenizer, which the content policy uses and browsers' behaviour is
/// specified by: both must find the same tags, attributes and values, and agree on
/// whether a tag written after the HTML would be read as one. Left out is what the
/// build never gives the scanner to read in a page it publishes: NUL and carriage
/// returns (refused, and normalised, as content is read) and `<script>`, whose `<!--`
/// escapes the scanner does not follow (the content policy refuses it).
pub fn html_scanner(text: &str) {
    if text.contains(['\0', '\r']) || text.to_ascii_lowercase().contains("<script") {
        return;
    }
    let (ours, theirs) = html_readings(text);
    assert_eq!(ours, theirs, "{text:?}");
}

/// What a reader of HTML reports, for comparison: the tags it reads in a text (name,
/// whether an end tag, attributes), and whether a tag written after it would be read as
/// one.
pub type HtmlReading = (Vec<ReadTag>, bool);

/// A tag as a reader of HTML reports it: name, whether an end tag, attributes.
pub type ReadTag = (String, bool, Vec<(String, String)>);

/// The scanner's reading of `html`, then html5ever's.
pub fn html_readings(html: &str) -> (HtmlReading, HtmlReading) {
    let mut scanner = HtmlScanner::default();
    let mut found: Vec<TagToken> = Vec::new();
    scanner.feed(html, 0, &mut found);
    let ours = found
        .into_iter()
        .map(|t| (t.name, t.end, t.attributes))
        .collect();
    ((ours, scanner.reads_tags()), html5ever_reading::read(html))
}

mod html5ever_reading {
    use std::cell::RefCell;

    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::states::RawKind;
    use html5ever::tokenizer::{
        BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };

    use super::{HtmlReading, ReadTag};

    #[derive(Default)]
    struct Reference {
        tags: RefCell<Vec<ReadTag>>,
    }

    impl TokenSink for Reference {
        type Handle = ();

        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            match token {
                Token::TagToken(tag) => {
                    let name = tag.name.to_string();
                    let end = tag.kind == TagKind::EndTag;
                    let attributes = tag
                        .attrs
                        .iter()
                        .map(|a| (a.name.local.to_string(), a.value.to_string()))
                        .collect();
                    self.tags.borrow_mut().push((name.clone(), end, attributes));
                    // The raw-text elements the scanner knows, each in the state the
                    // tree builder puts the tokenizer in for it.
                    match name.as_str() {
                        _ if end => TokenSinkResult::Continue,
                        "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                        "style" | "xmp" | "iframe" | "noscript" | "noembed" | "noframes" => {
                            TokenSinkResult::RawData(RawKind::Rawtext)
                        }
                        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                        "plaintext" => TokenSinkResult::Plaintext,
                        _ => TokenSinkResult::Continue,
                    }
                }
                _ => TokenSinkResult::Continue,
            }
        }
    }

    const PROBE: &str = "x-probe";

    /// The tags html5ever reads in `html`, and whether it would read a tag written right
    /// after it as a tag: `<x-probe>` is fed, and must come out as that tag, and alone.
    /// A `<` at the very end is left open (the tokenizer's tag open state, the only one
    /// that reads the probe as a tag all the same, after making the `<` text).
    pub fn read(html: &str) -> HtmlReading {
        let options = TokenizerOpts {
            // The scanner keeps a byte order mark as text; so must the reference.
            discard_bom: false,
            ..TokenizerOpts::default()
        };
        let tokenizer = Tokenizer::new(Reference::default(), options);
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(html));
        let _ = tokenizer.feed(&input);
        let before = tokenizer.sink.tags.borrow().len();
        input.push_back(StrTendril::from_slice(&format!("<{PROBE}>")));
        let _ = tokenizer.feed(&input);
        let mut tags = tokenizer.sink.tags.take();
        let after = tags.split_off(before);
        let probe_read = after == [(PROBE.to_owned(), false, Vec::new())] && !html.ends_with('<');
        (tags, probe_read)
    }
}

/// The kinds of file the output verifier reads; the first byte of the input chooses one.
const VERIFIED_FILES: [&str; 4] = [
    "about/index.html",
    "news/feed.xml",
    "files/map.svg",
    "css/site.css",
];

/// The address of the site the output verifier is run for.
const VERIFIED_SITE: &str = "https://example.jp/centre/";

/// A file about to be published, through the output verifier. Beyond not panicking,
/// whatever it accepts is read again by other code than the verifier's (html5ever's
/// tokenizer rather than its tree builder, plain token walks), which must find no event
/// handler, no script of its own and nothing fetched from another host.
///
/// A page is tried twice: as it comes, and after the head every page of the theme
/// starts with (so that random text past it can pass, the policy `<meta>`s being
/// there). Each time, a page the quick reader passes must pass the tree builder too.
pub fn output_verifier(input: &[u8]) {
    let Some((&choice, rest)) = input.split_first() else {
        return;
    };
    let path = VERIFIED_FILES[usize::from(choice) % VERIFIED_FILES.len()];
    verified_then_read_again(path, rest);
    if path.ends_with(".html") {
        let mut page = crate::verify::policy_head().into_bytes();
        page.extend_from_slice(rest);
        verified_then_read_again(path, &page);
    }
}

fn verified_then_read_again(path: &str, rest: &[u8]) {
    let verifier = crate::verify::Verifier::new(VERIFIED_SITE);
    if let Ok(text) = std::str::from_utf8(rest) {
        assert!(
            !verifier.quick_reader_passes_what_the_tree_builder_refuses(path, text),
            "the quick reader passed what the tree builder refuses: {text:?}"
        );
    }
    if !verifier.verify(path, rest).is_empty() {
        return;
    }
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let address = url::Url::parse(VERIFIED_SITE)
        .and_then(|site| site.join(path))
        .expect("the address of a fixed path parses");
    let broken = match path {
        "about/index.html" => recheck::html(text, &address),
        "news/feed.xml" => recheck::xml(text, &address),
        "files/map.svg" => recheck::svg(text, &address),
        _ => recheck::css(text, &address),
    };
    assert!(broken.is_empty(), "accepted, yet {broken:?} in {text:?}");
}

/// A second reading of what the output verifier accepted, written apart from it.
mod recheck {
    use std::cell::RefCell;

    use cssparser::{Parser, Token};
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::states::RawKind;
    use html5ever::tokenizer::{
        BufferQueue, TagKind, Token as HtmlToken, TokenSink, TokenSinkResult, Tokenizer,
        TokenizerOpts,
    };
    use url::Url;

    /// Whether a URL the browser fetches stays on the site.
    fn loads_from_site(value: &str, base: &Url) -> bool {
        base.join(value).is_ok_and(|u| u.origin() == base.origin())
    }

    /// Every tag of an HTML text, as html5ever's tokenizer reads them, switched into
    /// raw text where a browser switches.
    pub fn html(text: &str, base: &Url) -> Vec<String> {
        let sink = Tags {
            base: base.clone(),
            broken: RefCell::new(Vec::new()),
        };
        let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(text));
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        tokenizer.sink.broken.into_inner()
    }

    struct Tags {
        base: Url,
        broken: RefCell<Vec<String>>,
    }

    impl TokenSink for Tags {
        type Handle = ();

        fn process_token(&self, token: HtmlToken, _line: u64) -> TokenSinkResult<()> {
            let HtmlToken::TagToken(tag) = token else {
                return TokenSinkResult::Continue;
            };
            if tag.kind != TagKind::StartTag {
                return TokenSinkResult::Continue;
            }
            let name = tag.name.to_string();
            let mut broken = self.broken.borrow_mut();
            let value = |n: &str| {
                tag.attrs
                    .iter()
                    .find(|a| &*a.name.local == n)
                    .map(|a| a.value.to_string())
            };
            if name == "script" && value("src").is_none() {
                broken.push("inline script".into());
            }
            let rel = value("rel").unwrap_or_default().to_ascii_lowercase();
            let fetched_link = name == "link"
                && rel
                    .split_ascii_whitespace()
                    .any(|r| matches!(r, "stylesheet" | "icon" | "preload" | "prefetch"));
            for attribute in &tag.attrs {
                let attribute_name = attribute.name.local.to_string().to_ascii_lowercase();
                let v = &*attribute.value;
                if attribute_name.starts_with("on") {
                    broken.push(format!("handler {attribute_name}"));
                }
                let fetched = matches!(attribute_name.as_str(), "src" | "poster")
                    || (fetched_link && attribute_name == "href");
                if fetched && !loads_from_site(v, &self.base) {
                    broken.push(format!("{attribute_name}={v}"));
                }
                if attribute_name == "srcset" {
                    for url in srcset(v) {
                        if !loads_from_site(&url, &self.base) {
                            broken.push(format!("srcset {url}"));
                        }
                    }
                }
                if attribute_name == "style" {
                    broken.extend(css(v, &self.base));
                }
                if attribute_name == "http-equiv"
                    && !v.trim().eq_ignore_ascii_case("content-security-policy")
                {
                    broken.push(format!("http-equiv {v}"));
                }
            }
            // Not `<frame>`: outside a `<frameset>` (which is refused) browsers drop it.
            if matches!(name.as_str(), "base" | "iframe" | "object" | "embed") {
                broken.push(format!("<{name}>"));
            }
            match name.as_str() {
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

    /// The URLs of a `srcset`, by the HTML standard's steps, character by character.
    fn srcset(value: &str) -> Vec<String> {
        let mut urls = Vec::new();
        let mut chars = value.chars().peekable();
        loop {
            while chars
                .next_if(|c| c.is_ascii_whitespace() || *c == ',')
                .is_some()
            {}
            let mut url = String::new();
            while let Some(c) = chars.next_if(|c| !c.is_ascii_whitespace()) {
                url.push(c);
            }
            if url.is_empty() {
                return urls;
            }
            if url.ends_with(',') {
                urls.push(url.trim_end_matches(',').to_owned());
                continue;
            }
            urls.push(url);
            let mut depth = 0usize;
            for c in chars.by_ref() {
                match c {
                    '(' => depth += 1,
                    ')' => depth = depth.saturating_sub(1),
                    ',' if depth == 0 => break,
                    _ => {}
                }
            }
        }
    }

    /// CSS read token by token: no `@import`, no `expression()`, and every URL the
    /// browser would fetch on the site.
    pub fn css(text: &str, base: &Url) -> Vec<String> {
        let mut parser = Parser::new(text);
        let mut broken = Vec::new();
        walk(&mut parser, base, false, &mut broken);
        broken
    }

    fn walk(parser: &mut Parser, base: &Url, loading: bool, broken: &mut Vec<String>) {
        while let Ok(token) = parser.next_including_whitespace_and_comments() {
            let token = token.clone();
            match token {
                Token::UnquotedUrl(url) if !loads_from_site(&url, base) => {
                    broken.push(format!("url({url})"));
                }
                Token::QuotedString(url) if loading && !loads_from_site(&url, base) => {
                    broken.push(format!("\"{url}\""));
                }
                Token::AtKeyword(name) if name.eq_ignore_ascii_case("import") => {
                    broken.push("@import".into());
                }
                Token::Function(name) => {
                    let name = name.to_ascii_lowercase();
                    if name == "expression" {
                        broken.push("expression()".into());
                    }
                    if loading && name == "var" {
                        broken.push("var() in a loading function".into());
                    }
                    let loads = loading
                        || matches!(
                            name.as_str(),
                            "url" | "src" | "image" | "image-set" | "-webkit-image-set"
                        );
                    let _ = parser.parse_nested_block(|inner| {
                        walk(inner, base, loads, broken);
                        Ok::<(), cssparser::ParseError<()>>(())
                    });
                }
                Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock => {
                    let _ = parser.parse_nested_block(|inner| {
                        walk(inner, base, loading, broken);
                        Ok::<(), cssparser::ParseError<()>>(())
                    });
                }
                _ => {}
            }
        }
    }

    /// An SVG: no script, no HTML inside, no handler, no processing instruction, and
    /// every reference inside the file or on the site.
    pub fn svg(text: &str, base: &Url) -> Vec<String> {
        let Ok(document) = roxmltree::Document::parse(text) else {
            return vec!["accepted SVG that is not XML".into()];
        };
        let mut broken = Vec::new();
        for node in document.descendants() {
            if node.is_pi() {
                broken.push("processing instruction".into());
            }
            if !node.is_element() {
                continue;
            }
            let name = node.tag_name().name();
            if matches!(name, "script" | "foreignObject" | "iframe" | "a") {
                broken.push(format!("<{name}>"));
            }
            if name == "style" {
                let style: String = node.children().filter_map(|c| c.text()).collect();
                broken.extend(css(&style, base));
            }
            for attribute in node.attributes() {
                let v = attribute.value();
                if attribute.name().to_ascii_lowercase().starts_with("on") {
                    broken.push(format!("handler {}", attribute.name()));
                }
                if attribute.name() == "href"
                    && !v.trim().starts_with('#')
                    && !loads_from_site(v, base)
                {
                    broken.push(format!("href {v}"));
                }
                if attribute.name() == "style" || v.contains('(') {
                    broken.extend(css(v, base));
                }
            }
        }
        broken
    }

    /// A feed or sitemap: no processing instruction, links on the site's host, and the
    /// HTML it carries read again as HTML.
    pub fn xml(text: &str, base: &Url) -> Vec<String> {
        let Ok(document) = roxmltree::Document::parse(text) else {
            return vec!["accepted XML that is not XML".into()];
        };
        let mut broken = Vec::new();
        let on_host = |v: &str| {
            base.join(v.trim()).is_ok_and(|u| {
                matches!(u.scheme(), "http" | "https") && u.host_str() == base.host_str()
            })
        };
        for node in document.descendants() {
            if node.is_pi() {
                broken.push("processing instruction".into());
            }
            if !node.is_element() {
                continue;
            }
            let name = node.tag_name().name();
            let text: String = node.children().filter_map(|c| c.text()).collect();
            if matches!(name, "link" | "loc") && !text.trim().is_empty() && !on_host(&text) {
                broken.push(format!("<{name}>{text}"));
            }
            if let Some(href) = node.attribute("href")
                && !on_host(href)
            {
                broken.push(format!("href {href}"));
            }
            if matches!(name, "description" | "encoded") {
                broken.extend(html(&text, base));
            }
        }
        broken
    }
}
