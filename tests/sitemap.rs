//! `sitemap.xml`: well-formed XML listing every page once, each with `xhtml:link`
//! alternates that agree with the page's own `hreflang` links.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::xml::{self, Element};
use common::*;

fn sitemap(built: &Built) -> Element {
    let text = built.read("sitemap.xml");
    assert!(
        text.starts_with("<?xml"),
        "sitemap.xml should start with an XML declaration"
    );
    xml::parse(&text).unwrap_or_else(|e| panic!("sitemap.xml is not well-formed: {e}"))
}

/// `<url>` entries as loc → (hreflang → href).
fn entries(root: &Element) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut entries = BTreeMap::new();
    for url in root.children_named("url") {
        let loc = url.only_child("loc").text.trim().to_owned();
        let alternates = url
            .children_named("xhtml:link")
            .map(|link| {
                assert_eq!(link.attr("rel"), Some("alternate"), "{loc}");
                let hreflang = link.attr("hreflang").expect("hreflang").to_owned();
                (hreflang, link.attr("href").expect("href").to_owned())
            })
            .collect();
        let previous = entries.insert(loc.clone(), alternates);
        assert!(previous.is_none(), "{loc} is listed twice");
    }
    entries
}

#[test]
fn the_sitemap_declares_the_sitemap_and_xhtml_namespaces() {
    let built = Built::fixture("basic");
    let root = sitemap(&built);
    assert_eq!(root.name, "urlset");
    assert_eq!(
        root.attr("xmlns"),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    assert_eq!(
        root.attr("xmlns:xhtml"),
        Some("http://www.w3.org/1999/xhtml")
    );
}

#[test]
fn the_sitemap_lists_every_page_and_nothing_else() {
    let built = Built::fixture("basic");
    let listed: BTreeSet<String> = entries(&sitemap(&built)).into_keys().collect();
    let pages: BTreeSet<String> = built.pages().iter().map(|(f, _)| url_of_file(f)).collect();
    assert_eq!(listed, pages);
}

#[test]
fn sitemap_alternates_match_each_pages_hreflang_links() {
    let built = Built::fixture("basic");
    for (loc, in_sitemap) in entries(&sitemap(&built)) {
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
    let entries = entries(&sitemap(&built));
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
    for (loc, alternates) in entries(&sitemap(&built)) {
        for url in std::iter::once(&loc).chain(alternates.values()) {
            let file = file_of_url(url).unwrap_or_else(|| panic!("{url} is off the site"));
            assert!(built.exists(&file), "{loc}: {url} → missing {file}");
        }
    }
}

/// The reader above is only a check if it refuses broken XML.
#[test]
fn the_xml_reader_refuses_what_is_not_well_formed() {
    let good = r#"<?xml version="1.0"?><a x="1"><b/><c>t &amp; u</c></a>"#;
    let root = xml::parse(good).unwrap();
    assert_eq!(root.only_child("c").text, "t & u");
    for bad in [
        "<a><b></a></b>",
        "<a>",
        "<a x=1></a>",
        "<a>&</a>",
        "<a></a><b></b>",
        r#"<a x="1" x="2"/>"#,
    ] {
        assert!(xml::parse(bad).is_err(), "accepted {bad}");
    }
}
