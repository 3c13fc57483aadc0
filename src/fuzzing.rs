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
