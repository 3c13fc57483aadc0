//! The pages a good site builds into: what every page's `<head>` carries, where links
//! go, breadcrumbs, robots.txt, the 404 page and copied files.

mod common;

use std::collections::BTreeSet;
use std::fs;

use common::*;
use yorisoi::diagnostics::{Problem, Severity};
use yorisoi::report::MessageLanguage;

#[test]
fn the_basic_site_builds_with_only_the_expected_warning() {
    let built = Built::fixture("basic");
    assert!(built.outcome.written);
    assert_eq!(built.outcome.pages, 11);
    // The fixture is published below /support/, so the build also says, once, that it
    // wrote no robots.txt; that notice is allowed here and nothing else.
    let (robots, others): (Vec<_>, Vec<_>) = built
        .outcome
        .diagnostics
        .iter()
        .partition(|d| matches!(d.problem, Problem::RobotsNotWritten { .. }));
    assert_eq!(robots.len(), 1, "{:#?}", built.outcome.diagnostics);
    assert_eq!(robots[0].severity, Severity::Notice);
    // services/visit exists only in Japanese; that is worth a warning, nothing more.
    let [warning] = others.as_slice() else {
        panic!("expected one warning: {:#?}", built.outcome.diagnostics);
    };
    assert_eq!(warning.severity, Severity::Warning);
    match &warning.problem {
        Problem::MissingTranslation { lang, expected } => {
            assert_eq!(lang, "en");
            assert_eq!(expected, std::path::Path::new("services/visit.en.md"));
        }
        other => panic!("unexpected {other:?}"),
    }
    let location = warning.location.as_ref().expect("located");
    assert_eq!(location.file, std::path::Path::new("services/visit.ja.md"));
}

#[test]
fn pages_are_written_at_pretty_urls_per_language() {
    let built = Built::fixture("basic");
    let expected = [
        "index.html",
        "about/index.html",
        "access/index.html",
        "services/index.html",
        "services/phone/index.html",
        "services/visit/index.html",
        "en/index.html",
        "en/about/index.html",
        "en/access/index.html",
        "en/services/index.html",
        "en/services/phone/index.html",
        "404.html",
        "en/404.html",
        "sitemap.xml",
        "files/leaflet.pdf",
        yorisoi::write::MARKER,
    ];
    for file in expected {
        assert!(built.exists(file), "{file} should be in the output");
    }
    assert!(
        !built.exists("en/services/visit/index.html"),
        "no English visit page was written"
    );
}

#[test]
fn every_page_declares_its_language_on_the_html_element() {
    let built = Built::fixture("basic");
    for file in built.html_files() {
        let doc = built.html(&file);
        let html = one(&doc, "html");
        // Each language's 404 page leads with that language.
        assert_eq!(attr(html, "lang"), language_of_file(&file), "{file}");
    }
}

#[test]
fn every_page_has_a_charset_and_a_title_of_its_own() {
    let built = Built::fixture("basic");
    let mut titles = BTreeSet::new();
    for file in built.html_files() {
        let doc = built.html(&file);
        let charset = attr(one(&doc, "head meta[charset]"), "charset");
        assert!(
            charset.eq_ignore_ascii_case("utf-8"),
            "{file}: charset {charset}"
        );
        let title = text(one(&doc, "head title"));
        assert!(!title.is_empty(), "{file} has an empty title");
        assert!(
            titles.insert(title.clone()),
            "{file} repeats the title {title:?}"
        );
    }
}

#[test]
fn every_page_has_a_canonical_url_from_base_url() {
    let built = Built::fixture("basic");
    for (file, doc) in built.pages() {
        let canonical = attr(one(&doc, r#"head link[rel="canonical"]"#), "href");
        assert_eq!(canonical, url_of_file(&file), "{file}");
    }
}

#[test]
fn base_url_option_replaces_the_one_in_site_toml() {
    let built = Built::with("basic", |o| {
        o.base_url = Some("https://other.example.org".into())
    });
    let doc = built.html("en/about/index.html");
    let canonical = attr(one(&doc, r#"head link[rel="canonical"]"#), "href");
    assert_eq!(canonical, "https://other.example.org/en/about/");
    // The new address has no path, so links inside the site no longer carry /support/.
    let switcher_link = one(&doc, r#"nav.language-switcher a[hreflang="ja"]"#);
    assert_eq!(attr(switcher_link, "href"), "/about/");
}

#[test]
fn links_of_every_kind_lead_to_the_intended_page() {
    let built = Built::fixture("basic");
    let cases = [
        // (page, link text, expected href)
        ("index.html", "アクセス", "/support/access/"), // root-relative
        ("index.html", "センターについて", "/support/about/"), // @/about.md, same language
        ("index.html", "相談のご案内", "/support/services/"), // @/services/_index.ja.md
        (
            "index.html",
            "リーフレット（PDF：2KB）",
            "/support/files/leaflet.pdf",
        ), // a file, with its format and size
        ("en/index.html", "About the centre", "/support/en/about/"), // @/about.md in English
        ("about/index.html", "相談のご案内", "/support/services/"), // ../services/
        (
            "en/services/index.html",
            "By telephone",
            "/support/en/services/phone/",
        ), // phone/
        (
            "services/phone/index.html",
            "来所相談",
            "/support/services/visit/",
        ), // ../visit/
        ("services/phone/index.html", "アクセス", "/support/access/"), // ../../access/
        (
            "en/services/phone/index.html",
            "Access",
            "/support/en/access/",
        ),
        // @/services/visit.ja.md: an explicit language wins over the page's own.
        (
            "en/services/phone/index.html",
            "in Japanese",
            "/support/services/visit/",
        ),
    ];
    for (file, link_text, href) in cases {
        let doc = built.html(file);
        let links: Vec<_> = select(&doc, "main a")
            .into_iter()
            .filter(|a| text(*a) == link_text)
            .map(|a| attr(a, "href"))
            .collect();
        assert_eq!(links, vec![href], "{file}: link {link_text:?}");
    }
}

#[test]
fn every_link_inside_the_site_points_to_a_file_in_the_output() {
    let built = Built::fixture("basic");
    for file in built.html_files() {
        let doc = built.html(&file);
        for element in select(&doc, "a[href], link[href], img[src], script[src]") {
            let target = element.attr("href").or(element.attr("src")).unwrap_or("");
            let resolved = if target.starts_with('/') {
                file_of_href(target)
                    .unwrap_or_else(|| panic!("{file}: {target} leaves the base path {BASE_PATH}"))
            } else if let Some(resolved) = file_of_url(target) {
                resolved // canonical and alternate links are absolute
            } else {
                continue; // another site, tel:, or a place on the same page
            };
            assert!(
                built.exists(&resolved),
                "{file}: {target} → missing {resolved}"
            );
        }
    }
}

#[test]
fn files_are_copied_byte_for_byte() {
    let built = Built::fixture("basic");
    let original = fs::read(fixture("basic").join("files/leaflet.pdf")).unwrap();
    let copied = fs::read(built.output.join("files/leaflet.pdf")).unwrap();
    assert_eq!(copied, original);
}

#[test]
fn breadcrumbs_lead_from_home_to_the_current_page() {
    let built = Built::fixture("basic");
    let cases = [
        (
            "services/phone/index.html",
            vec![
                ("ホーム", "/support/"),
                ("相談のご案内", "/support/services/"),
                ("電話相談", "/support/services/phone/"),
            ],
        ),
        (
            "en/services/phone/index.html",
            vec![
                ("Home", "/support/en/"),
                ("Consultation", "/support/en/services/"),
                ("Telephone consultation", "/support/en/services/phone/"),
            ],
        ),
        (
            "about/index.html",
            vec![
                ("ホーム", "/support/"),
                ("センターについて", "/support/about/"),
            ],
        ),
    ];
    for (file, expected) in cases {
        let doc = built.html(file);
        let nav = one(&doc, "nav.breadcrumbs");
        let crumbs: Vec<_> = select_in(nav, "li a")
            .into_iter()
            .map(|a| (text(a), attr(a, "href").to_owned()))
            .collect();
        let expected: Vec<_> = expected
            .into_iter()
            .map(|(t, h)| (t.to_owned(), h.to_owned()))
            .collect();
        assert_eq!(crumbs, expected, "{file}");
        // Only the last crumb, the page itself, is marked as the current page.
        let current = select_in(nav, r#"[aria-current="page"]"#);
        assert_eq!(current.len(), 1, "{file}");
        assert_eq!(text(current[0]), expected.last().unwrap().0, "{file}");
    }
}

/// A site at the root of its host, where crawlers read its robots.txt.
const ROOT_URL: &str = "https://example.jp/";

#[test]
fn at_the_root_of_the_host_robots_txt_points_to_the_sitemap() {
    let built = Built::with("basic", |o| o.base_url = Some(ROOT_URL.to_owned()));
    let robots = built.read("robots.txt");
    let sitemaps: Vec<_> = robots
        .lines()
        .filter_map(|l| l.strip_prefix("Sitemap:"))
        .map(str::trim)
        .collect();
    assert_eq!(sitemaps, vec![format!("{ROOT_URL}sitemap.xml")]);
    assert!(built.exists("sitemap.xml"));
    assert!(robots.lines().any(|l| l.trim() == "User-agent: *"));
    let said = find(&built.outcome, |p| {
        matches!(p, Problem::RobotsNotWritten { .. })
    });
    assert!(said.is_empty(), "{said:#?}");
}

#[test]
fn below_a_path_no_robots_txt_is_written_and_the_build_says_so_once() {
    // Crawlers read only https://example.jp/robots.txt; one at /support/robots.txt
    // would be ignored.
    let built = Built::fixture("basic");
    assert!(!built.exists("robots.txt"));
    let said = find(&built.outcome, |p| {
        matches!(p, Problem::RobotsNotWritten { .. })
    });
    let [notice] = said.as_slice() else {
        panic!("expected one notice: {:#?}", built.outcome.diagnostics);
    };
    assert_eq!(notice.severity, Severity::Notice);
    assert_eq!(
        notice.problem,
        Problem::RobotsNotWritten {
            base_url: BASE_URL.to_owned()
        }
    );
    assert_eq!(notice.location, None, "about the site as a whole");
    // Both languages name where crawlers do look and the sitemap to give them instead.
    for lang in [MessageLanguage::Japanese, MessageLanguage::English] {
        let (what, how) = yorisoi::report::describe(&notice.problem, lang);
        assert!(what.contains("robots.txt"), "{what}");
        assert!(how.contains("https://example.jp/robots.txt"), "{how}");
        assert!(how.contains(&format!("{BASE_URL}sitemap.xml")), "{how}");
    }
}

#[test]
fn below_a_path_links_to_robots_txt_are_broken() {
    // robots.txt counts as part of the site only where it is written.
    let site = Workspace::copy_of("basic");
    site.write(
        "about.en.md",
        "+++\ntitle = \"About the centre\"\n+++\n\n[Rules for crawlers](/robots.txt)\n",
    );
    let outcome = site.check();
    let broken = find(
        &outcome,
        |p| matches!(p, Problem::BrokenLink { target, .. } if target.contains("robots.txt")),
    );
    assert_eq!(broken.len(), 1, "{:#?}", outcome.diagnostics);
}

#[test]
fn the_404_page_speaks_both_languages() {
    let built = Built::fixture("basic");
    let doc = built.html("404.html");
    for (lang, home) in [("ja", "/support/"), ("en", "/support/en/")] {
        let parts = select(&doc, &format!(r#"main [lang="{lang}"]"#));
        let said: String = parts.iter().map(|p| text(*p)).collect();
        assert!(!said.is_empty(), "404.html has no text marked lang={lang}");
        // Each language's part leads to that language's home page.
        let homes: Vec<_> = parts
            .iter()
            .flat_map(|p| select_in(*p, "a[href]"))
            .map(|a| attr(a, "href"))
            .collect();
        assert!(
            homes.contains(&home),
            "404.html ({lang}) links {homes:?}, not {home}"
        );
    }
    // Its text differs per language: the English part is not a copy of the Japanese.
    let ja = text(select(&doc, r#"main [lang="ja"]"#)[0]);
    let en = text(select(&doc, r#"main [lang="en"]"#)[0]);
    assert_ne!(ja, en);
    // Each language has its own, which servers send for an address below its folder:
    // in that language first, the others after it.
    for (file, lead, other) in [("404.html", "ja", "en"), ("en/404.html", "en", "ja")] {
        let doc = built.html(file);
        assert_eq!(attr(one(&doc, "html"), "lang"), lead, "{file}");
        let heading = one(&doc, "main h1");
        let section = heading.parent().and_then(scraper::ElementRef::wrap);
        assert_eq!(section.map(|s| attr(s, "lang")), Some(lead), "{file}");
        assert_eq!(
            select(&doc, &format!(r#"main [lang="{other}"] h2"#)).len(),
            1,
            "{file}"
        );
    }
}

/// `aria-current="page"` tells screen-reader users "this link is the page you are on",
/// so every link that carries it must lead to the page itself (a section above it in
/// the menu is not the current page).
#[test]
fn only_links_to_the_page_itself_are_marked_as_the_current_page() {
    let built = Built::fixture("basic");
    for (file, doc) in built.pages() {
        let own = format!("{BASE_PATH}{}", file.strip_suffix("index.html").unwrap());
        for link in select(&doc, r#"a[aria-current="page"]"#) {
            assert_eq!(attr(link, "href"), own, "{file}: {}", link.html());
        }
    }
}

/// Announcements can be written ahead of time: a page dated after "now" is withheld
/// until a build on or after its date, and a draft is never published by `build`.
#[test]
fn scheduled_pages_and_drafts_are_not_published() {
    let site = Workspace::copy_of("basic");
    for lang in ["ja", "en"] {
        site.write(
            &format!("later.{lang}.md"),
            "+++\ntitle = \"Later\"\ndate = 2026-12-01\n+++\n",
        );
        site.write(
            &format!("draft.{lang}.md"),
            "+++\ntitle = \"Draft\"\ndraft = true\n+++\n",
        );
    }
    assert!(site.build().written);
    for file in [
        "later/index.html",
        "en/later/index.html",
        "draft/index.html",
    ] {
        assert!(!site.output.join(file).exists(), "{file} was published");
    }
    let mut on_the_day = site.options();
    on_the_day.now = yorisoi::dates::parse_moment("2026-12-01").unwrap();
    assert!(yorisoi::build(&on_the_day).written);
    assert!(site.output.join("later/index.html").is_file());
    assert!(site.output.join("en/later/index.html").is_file());
    assert!(!site.output.join("draft/index.html").exists());
}
