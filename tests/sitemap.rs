//! `sitemap.xml`: well-formed XML listing every page once, each with `xhtml:link`
//! alternates that agree with the page's own `hreflang` links, and within what the
//! sitemaps.org schema allows (CI also validates the bundled site's sitemap against the
//! schemas in `tests/schemas/`).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use chrono::{DateTime, NaiveDate};
use common::*;
use roxmltree::{Document, Node};

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// The text of `sitemap.xml`, which must start with an XML declaration.
fn sitemap_text(built: &Built) -> String {
    let text = built.read("sitemap.xml");
    assert!(
        text.starts_with("<?xml"),
        "sitemap.xml should start with an XML declaration"
    );
    text
}

/// Parses the sitemap; an XML parser rather than an HTML one, so anything that is not
/// well-formed fails the test.
fn parse(text: &str) -> Document<'_> {
    Document::parse(text).unwrap_or_else(|e| panic!("sitemap.xml is not well-formed: {e}"))
}

/// `<url>` entries as loc → (hreflang → href). Every element must be in the namespace
/// it belongs to: the sitemap's own elements in the sitemaps.org one, alternates as
/// `link` in the XHTML one.
fn entries(doc: &Document) -> BTreeMap<String, BTreeMap<String, String>> {
    let root = doc.root_element();
    assert!(root.has_tag_name((SITEMAP_NS, "urlset")), "{root:?}");
    let mut entries = BTreeMap::new();
    for url in root.children().filter(Node::is_element) {
        assert!(url.has_tag_name((SITEMAP_NS, "url")), "{url:?}");
        let loc = only_child(url, "loc")
            .text()
            .unwrap_or("")
            .trim()
            .to_owned();
        let mut alternates = BTreeMap::new();
        for child in url.children().filter(Node::is_element) {
            if child.has_tag_name((XHTML_NS, "link")) {
                assert_eq!(child.attribute("rel"), Some("alternate"), "{loc}");
                let hreflang = child.attribute("hreflang").expect("hreflang").to_owned();
                let href = child.attribute("href").expect("href").to_owned();
                alternates.insert(hreflang, href);
            } else {
                assert!(
                    child.has_tag_name((SITEMAP_NS, "loc"))
                        || child.has_tag_name((SITEMAP_NS, "lastmod")),
                    "{loc}: unexpected {:?}",
                    child.tag_name()
                );
            }
        }
        let previous = entries.insert(loc.clone(), alternates);
        assert!(previous.is_none(), "{loc} is listed twice");
    }
    entries
}

/// The one sitemap-namespace child with this name; fails the test if there is none or
/// several.
fn only_child<'a, 'input>(parent: Node<'a, 'input>, name: &str) -> Node<'a, 'input> {
    let found: Vec<Node> = parent
        .children()
        .filter(|c| c.has_tag_name((SITEMAP_NS, name)))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "<{}> should have one <{name}>",
        parent.tag_name().name()
    );
    found[0]
}

#[test]
fn the_sitemap_declares_the_sitemap_and_xhtml_namespaces() {
    let built = Built::fixture("basic");
    let text = sitemap_text(&built);
    let doc = parse(&text);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(root.tag_name().namespace(), Some(SITEMAP_NS));
    assert_eq!(root.default_namespace(), Some(SITEMAP_NS));
    assert_eq!(root.lookup_namespace_uri(Some("xhtml")), Some(XHTML_NS));
}

#[test]
fn the_sitemap_lists_every_page_and_nothing_else() {
    let built = Built::fixture("basic");
    let text = sitemap_text(&built);
    let listed: BTreeSet<String> = entries(&parse(&text)).into_keys().collect();
    let pages: BTreeSet<String> = built.pages().iter().map(|(f, _)| url_of_file(f)).collect();
    assert_eq!(listed, pages);
}

#[test]
fn sitemap_alternates_match_each_pages_hreflang_links() {
    let built = Built::fixture("basic");
    let text = sitemap_text(&built);
    for (loc, in_sitemap) in entries(&parse(&text)) {
        let file = file_of_url(&loc).expect("loc on the site");
        let in_page = alternates(&built.html(&file));
        let translated = in_page.contains_key("ja") && in_page.contains_key("en");
        if translated {
            assert_eq!(in_sitemap, in_page, "{loc}");
        } else {
            // A page in one language has nothing to offer instead; whatever the sitemap
            // lists must still agree with the page.
            for (hreflang, href) in &in_sitemap {
                assert_eq!(in_page.get(hreflang), Some(href), "{loc}: {hreflang}");
            }
        }
    }
}

#[test]
fn sitemap_entries_include_themselves_and_their_translations() {
    let built = Built::fixture("basic");
    let text = sitemap_text(&built);
    let entries = entries(&parse(&text));
    let about = &entries[&format!("{BASE_URL}about/")];
    assert_eq!(about.get("ja"), Some(&format!("{BASE_URL}about/")));
    assert_eq!(about.get("en"), Some(&format!("{BASE_URL}en/about/")));
    assert_eq!(about.get("x-default"), Some(&format!("{BASE_URL}about/")));
    let english = &entries[&format!("{BASE_URL}en/about/")];
    assert_eq!(english, about, "both versions list the same alternates");
    let visit = &entries[&format!("{BASE_URL}services/visit/")];
    assert!(!visit.contains_key("en"), "{visit:?}");
}

#[test]
fn everything_the_sitemap_names_exists_in_the_output() {
    let built = Built::fixture("basic");
    let text = sitemap_text(&built);
    for (loc, alternates) in entries(&parse(&text)) {
        for url in std::iter::once(&loc).chain(alternates.values()) {
            let file = file_of_url(url).unwrap_or_else(|| panic!("{url} is off the site"));
            assert!(built.exists(&file), "{loc}: {url} → missing {file}");
        }
    }
}

/// Every `<url>` as (loc, its `<lastmod>` if any).
fn lastmods(doc: &Document) -> Vec<(String, Option<String>)> {
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name((SITEMAP_NS, "url")))
        .map(|url| {
            let loc = only_child(url, "loc")
                .text()
                .unwrap_or("")
                .trim()
                .to_owned();
            let lastmod = url
                .children()
                .find(|c| c.has_tag_name((SITEMAP_NS, "lastmod")))
                .map(|c| c.text().unwrap_or("").to_owned());
            (loc, lastmod)
        })
        .collect()
}

/// What the schema's `lastmod` type takes: an `xsd:date` or an `xsd:dateTime`. The
/// site writes them as `2026-04-08` or RFC 3339 (`2026-04-08T09:30:00+09:00`).
fn is_whole_date_or_date_time(text: &str) -> bool {
    let date = text.len() == 10 && NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok();
    date || DateTime::parse_from_rfc3339(text).is_ok()
}

#[test]
fn every_lastmod_of_the_bundled_site_is_a_whole_date_or_a_date_and_time() {
    let built = Built::bundled();
    let text = sitemap_text(&built);
    let doc = parse(&text);
    let all = lastmods(&doc);
    assert!(
        all.iter().any(|(_, lastmod)| lastmod.is_some()),
        "the bundled site has dated pages"
    );
    for (loc, lastmod) in &all {
        if let Some(lastmod) = lastmod {
            assert!(
                is_whole_date_or_date_time(lastmod),
                "{loc}: <lastmod>{lastmod}</lastmod> is neither a date nor a date and time"
            );
        }
    }
    // The announcement dated only "2015-08" has no day to give: its lastmod can only
    // come from a whole `updated` date, never an invented day of that month.
    let month_only: Vec<_> = all
        .iter()
        .filter(|(loc, _)| loc.contains("/news/2015-08-south-branch-opened/"))
        .collect();
    assert_eq!(month_only.len(), 2, "both languages are listed: {all:#?}");
    for (loc, lastmod) in month_only {
        if let Some(lastmod) = lastmod {
            assert!(!lastmod.starts_with("2015-08"), "{loc}: {lastmod}");
        }
    }
}

#[test]
fn each_url_gives_loc_then_lastmod_then_its_alternates() {
    // The schema's order: loc, lastmod (optional), and elements of other namespaces
    // (the xhtml:link alternates) only after the sitemap's own.
    let built = Built::bundled();
    let text = sitemap_text(&built);
    let doc = parse(&text);
    for url in doc.root_element().children().filter(Node::is_element) {
        let names: Vec<(Option<&str>, &str)> = url
            .children()
            .filter(Node::is_element)
            .map(|c| (c.tag_name().namespace(), c.tag_name().name()))
            .collect();
        let own = names
            .iter()
            .take_while(|(ns, _)| *ns == Some(SITEMAP_NS))
            .map(|(_, name)| *name)
            .collect::<Vec<_>>();
        assert!(own == ["loc"] || own == ["loc", "lastmod"], "{names:?}");
        for (ns, name) in &names[own.len()..] {
            assert_eq!((*ns, *name), (Some(XHTML_NS), "link"), "{names:?}");
        }
    }
}

/// The basic site with `about` carrying the given extra front matter in Japanese; the
/// `<lastmod>` of its entry, if any.
fn lastmod_of_about_with(front: &str) -> Option<String> {
    let site = Workspace::copy_of("basic");
    site.write(
        "about.ja.md",
        format!("+++\ntitle = \"センターについて\"\n{front}\n+++\n\nセンターの紹介です。\n"),
    );
    let outcome = site.build();
    assert!(
        outcome.written && !outcome.has_errors(),
        "{:#?}",
        outcome.diagnostics
    );
    let text = fs::read_to_string(site.output.join("sitemap.xml")).expect("sitemap.xml");
    let doc = parse(&text);
    let about = format!("{BASE_URL}about/");
    lastmods(&doc)
        .into_iter()
        .find(|(loc, _)| *loc == about)
        .unwrap_or_else(|| panic!("{about} is listed"))
        .1
}

#[test]
fn a_month_only_date_gives_no_lastmod_but_a_whole_updated_date_does() {
    assert_eq!(lastmod_of_about_with("date = \"2015-08\""), None);
    assert_eq!(
        lastmod_of_about_with("date = \"2015-08\"\nupdated = 2015-09-14"),
        Some("2015-09-14".to_owned())
    );
    assert_eq!(
        lastmod_of_about_with("updated = 2026-04-08T09:30"),
        Some("2026-04-08T09:30:00+09:00".to_owned())
    );
    // An update known only by its month is later than the whole date, which would
    // understate when the page last changed: no lastmod either.
    assert_eq!(
        lastmod_of_about_with("date = 2015-08-03\nupdated = \"2016-02\""),
        None
    );
}
