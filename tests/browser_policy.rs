//! The policy a reader's browser enforces: every HTML file the build writes carries the
//! one Content-Security-Policy and the no-referrer policy before anything that loads,
//! every link to another site says `noopener noreferrer`, and content may not ask for
//! `rel="opener"`.

mod common;

use std::path::Path;

use common::*;
use scraper::{ElementRef, Html};
use url::Url;
use yorisoi::browser_policy::{CONTENT_SECURITY_POLICY, EXTERNAL_LINK_REL, REFERRER_POLICY};
use yorisoi::diagnostics::Problem;
use yorisoi::report::MessageLanguage;

/// Elements that make the browser fetch something, or change where it fetches from: a
/// policy in a `<meta>` governs only what comes after it.
const LOADERS: [&str; 13] = [
    "link", "script", "style", "img", "picture", "video", "audio", "source", "iframe", "object",
    "embed", "base", "image",
];

/// A page of the `basic` fixture with every kind of link to another site: a Markdown
/// link, a protocol-relative one, raw HTML with the author's own `rel` and a new window.
const LINKS_PAGE: &str = "+++\ntitle = \"リンク集\"\n+++\n\n\
    [宮城県](https://www.pref.miyagi.jp/)と[仙台市](https://www.city.sendai.jp/)のページです。\n\n\
    <p><a href=\"https://www.mhlw.go.jp/\" rel=\"nofollow\" target=\"_blank\">厚生労働省</a>\
    と<a href=\"https://www.pref.miyagi.jp/soshiki/\" rel=\"noreferrer external\">県の窓口</a>\
    、<a href=\"/support/access/\">アクセス</a></p>\n";

/// Every HTML file of an output, parsed, with the policy checks of this file run on it.
/// Returns how many links to other sites were found.
fn assert_policy_on_every_page(output: &Path, base_url: &str) -> usize {
    let files: Vec<String> = list_files(output)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert!(files.contains(&"404.html".to_owned()), "{files:?}");
    let mut leaving = 0;
    for file in &files {
        let text = std::fs::read_to_string(output.join(file)).expect("an HTML file");
        let doc = Html::parse_document(&text);
        assert_policy_meta(file, &doc);
        leaving += assert_external_links_rel(file, &doc, base_url);
    }
    leaving
}

/// Exactly one CSP `<meta>`, equal to the one definition, and the referrer `<meta>`,
/// both in `<head>` before any element that loads something.
fn assert_policy_meta(file: &str, doc: &Html) {
    let csp: Vec<ElementRef> = select(doc, "meta[http-equiv]")
        .into_iter()
        .filter(|m| attr(*m, "http-equiv").eq_ignore_ascii_case("content-security-policy"))
        .collect();
    assert_eq!(csp.len(), 1, "{file}: one Content-Security-Policy <meta>");
    assert_eq!(attr(csp[0], "content"), CONTENT_SECURITY_POLICY, "{file}");
    let referrer = select(doc, "head > meta[name=referrer]");
    assert_eq!(referrer.len(), 1, "{file}: one referrer <meta>");
    assert_eq!(attr(referrer[0], "content"), REFERRER_POLICY, "{file}");
    assert_eq!(
        select(doc, "head > meta[http-equiv]").len(),
        1,
        "{file}: in <head>"
    );

    // Document order: the position of each element among all of them.
    let order: Vec<ElementRef> = doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .collect();
    let position = |e: ElementRef| order.iter().position(|o| o.id() == e.id());
    let first_loader = order
        .iter()
        .position(|e| LOADERS.contains(&e.value().name()));
    for (what, meta) in [("the CSP", csp[0]), ("the referrer policy", referrer[0])] {
        let at = position(meta).expect("the meta is in the document");
        assert!(
            first_loader.is_none_or(|first| at < first),
            "{file}: {what} comes after {:?}",
            first_loader.map(|i| order[i].html())
        );
    }
}

/// Every `<a>` whose address, read as a browser reads it on this page, is on another
/// host carries the tokens of [`EXTERNAL_LINK_REL`]. Returns how many there are.
fn assert_external_links_rel(file: &str, doc: &Html, base_url: &str) -> usize {
    let mut leaving = 0;
    let own = Url::parse(base_url).expect("the site's base_url");
    let page = page_address(doc).unwrap_or_else(|| own.clone());
    for link in select(doc, "a[href]") {
        let Ok(target) = page.join(attr(link, "href")) else {
            continue;
        };
        let leaves = matches!(target.scheme(), "http" | "https") && target.origin() != own.origin();
        if !leaves {
            continue;
        }
        leaving += 1;
        let rel: Vec<String> = link
            .value()
            .attr("rel")
            .unwrap_or_default()
            .split_ascii_whitespace()
            .map(str::to_ascii_lowercase)
            .collect();
        for word in EXTERNAL_LINK_REL.split_ascii_whitespace() {
            assert_eq!(
                rel.iter().filter(|r| *r == word).count(),
                1,
                "{file}: {} should say {word} once",
                link.html()
            );
        }
    }
    leaving
}

/// The page's own address: its canonical URL; none for the 404 page, which is served at
/// any address.
fn page_address(doc: &Html) -> Option<Url> {
    let canonical = select(doc, "link[rel=canonical]");
    let href = attr(*canonical.first()?, "href");
    Some(Url::parse(href).expect("an absolute canonical URL"))
}

#[test]
fn every_page_of_the_fixture_carries_the_policy_and_its_links_to_other_sites_say_so() {
    let site = Workspace::copy_of("basic");
    site.write("links.ja.md", LINKS_PAGE);
    let outcome = site.build();
    assert!(
        outcome.written && !outcome.has_errors(),
        "{:#?}",
        outcome.diagnostics
    );
    let leaving = assert_policy_on_every_page(&site.output, BASE_URL);
    assert!(
        leaving >= 4,
        "the links page's four links to other sites: {leaving}"
    );

    // The links themselves: the author's `rel` words kept, each once; a link on the site
    // left alone. (The templates' links to sources' and publications' pages are in the
    // bundled site, below.)
    let read = |rel: &str| {
        Html::parse_document(&std::fs::read_to_string(site.output.join(rel)).expect("a page"))
    };
    let doc = read("links/index.html");
    let rel_of = |href: &str| {
        select(&doc, &format!("main a[href=\"{href}\"]"))
            .first()
            .and_then(|a| a.value().attr("rel"))
            .map(str::to_owned)
    };
    assert_eq!(
        rel_of("https://www.pref.miyagi.jp/").as_deref(),
        Some(EXTERNAL_LINK_REL)
    );
    assert_eq!(
        rel_of("https://www.city.sendai.jp/").as_deref(),
        Some(EXTERNAL_LINK_REL)
    );
    assert_eq!(
        rel_of("https://www.mhlw.go.jp/").as_deref(),
        Some("nofollow noopener noreferrer")
    );
    assert_eq!(
        rel_of("https://www.pref.miyagi.jp/soshiki/").as_deref(),
        Some("noreferrer external noopener")
    );
    assert_eq!(rel_of("/support/access/"), None, "a link on the site");
}

#[test]
fn every_page_of_the_bundled_site_carries_the_policy() {
    // The bundled site has what the fixture lacks: announcements, easy Japanese, the site
    // map, the sources' and publications' pages on other sites, linked by the templates.
    let built = Built::bundled();
    let site_toml =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/site.toml"))
            .expect("the bundled site.toml");
    let base_url = site_toml
        .lines()
        .find_map(|l| l.strip_prefix("base_url = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("a base_url line");
    let leaving = assert_policy_on_every_page(&built.output, base_url);
    assert!(leaving > 0, "the bundled site links to other sites");
}

#[test]
fn a_link_asking_for_opener_is_an_error_at_its_line_in_both_languages() {
    let site = Workspace::copy_of("basic");
    site.write(
        "links.ja.md",
        "+++\ntitle = \"リンク集\"\n+++\n\n県の窓口は\n\
         <a href=\"https://www.pref.miyagi.jp/\" rel=\"nofollow Opener\">宮城県</a>です。\n",
    );
    let outcome = site.build();
    assert!(!outcome.written);
    let found = only_error(&outcome);
    assert_eq!(found.problem, Problem::OpenerLink, "{found:?}");
    let location = found.location.as_ref().expect("located");
    assert_eq!(location.file, std::path::Path::new("links.ja.md"));
    assert_eq!(location.line, 6, "{found:?}");
    let ja = site.message(found, MessageLanguage::Japanese);
    assert!(
        ja.contains("links.ja.md:6:") && ja.contains("opener を削除"),
        "{ja}"
    );
    let en = site.message(found, MessageLanguage::English);
    assert!(
        en.contains("links.ja.md:6:") && en.contains("Remove opener"),
        "{en}"
    );
}

#[test]
fn the_theme_reads_the_policy_rather_than_writing_it_out() {
    // A template that wrote the policy itself would keep it when the one definition
    // changes: every page would carry an old policy and no test of the output would see
    // a difference until the two drifted apart.
    let templates = theme_dir().join("templates");
    let mut read = 0;
    for file in list_files(&templates) {
        let text = std::fs::read_to_string(templates.join(&file)).expect("a template");
        for written in [
            "default-src",
            "'self'",
            "no-referrer",
            "noopener",
            "noreferrer",
        ] {
            assert!(!text.contains(written), "{file} writes {written} itself");
        }
        read += usize::from(text.contains("site.content_security_policy"));
    }
    assert_eq!(
        read, 2,
        "base.html and 404.html, the two pages that extend nothing"
    );
}
