//! The bundled Miyagi site: every page in both languages, phone numbers only from the
//! data files, the whole municipal directory, and the consultation line on every page.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::*;

/// The pages the site promises, by path below the language root.
const PAGES: [&str; 15] = [
    "",
    "about/",
    "services/",
    "services/families/",
    "services/supporters/",
    "directory/",
    "downloads/",
    "access/",
    "news/",
    "contact/",
    "help-now/",
    "accessibility/",
    "sitemap/",
    "privacy/",
    "news/2014-01-06-centre-opened/",
];

fn content_file(name: &str) -> toml::Table {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("content")
        .join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// Every string in a TOML value that is written like a Japanese phone number.
fn phone_numbers(value: &toml::Value, found: &mut BTreeSet<String>) {
    match value {
        toml::Value::String(s) => {
            let looks_like_phone = s.starts_with('0')
                && s.split('-').count() == 3
                && s.chars().all(|c| c.is_ascii_digit() || c == '-');
            if looks_like_phone {
                found.insert(s.clone());
            }
        }
        toml::Value::Array(items) => items.iter().for_each(|v| phone_numbers(v, found)),
        toml::Value::Table(table) => table.values().for_each(|v| phone_numbers(v, found)),
        _ => {}
    }
}

fn numbers_in_data() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for file in ["site.toml", "directory.toml", "helplines.toml"] {
        phone_numbers(&toml::Value::Table(content_file(file)), &mut found);
    }
    found
}

#[test]
fn every_page_exists_in_both_languages() {
    let site = Built::bundled();
    for page in PAGES {
        for prefix in ["", "en/"] {
            let file = format!("{prefix}{page}index.html");
            assert!(site.exists(&file), "{file} is missing");
            let doc = site.html(&file);
            let h1 = select(&doc, "h1");
            assert_eq!(h1.len(), 1, "{file} should have one h1");
            assert!(!text(h1[0]).is_empty(), "{file} has an empty h1");
        }
    }
}

#[test]
fn the_bundled_site_has_no_warnings() {
    let site = Built::bundled();
    assert!(
        site.outcome.diagnostics.is_empty(),
        "{:#?}",
        site.outcome.diagnostics
    );
}

#[test]
fn every_phone_link_is_a_number_kept_in_the_data_files() {
    let site = Built::bundled();
    let known = numbers_in_data();
    assert!(
        known.contains("0229-23-0024"),
        "the consultation line is in site.toml"
    );
    let mut seen = 0;
    for (file, doc) in site.pages() {
        for link in select(&doc, r#"a[href^="tel:"]"#) {
            let number = attr(link, "href").trim_start_matches("tel:");
            assert!(
                known.contains(number),
                "{file}: tel:{number} is not in the data files"
            );
            assert_eq!(text(link), number, "{file}: the link shows another number");
            seen += 1;
        }
    }
    assert!(seen > 0, "no phone links were found at all");
}

#[test]
fn every_page_shows_the_consultation_line_and_its_hours() {
    let site = Built::bundled();
    for (file, doc) in site.pages() {
        let line = one(&doc, ".help-line");
        let links = select_in(line, r#"a[href="tel:0229-23-0024"]"#);
        assert_eq!(links.len(), 1, "{file}: the consultation line is missing");
        let hours = select_in(line, ".help-line-hours");
        assert_eq!(hours.len(), 1, "{file}: the hours are missing");
        assert!(
            text(hours[0]).contains('9'),
            "{file}: hours say {}",
            text(hours[0])
        );
    }
}

#[test]
fn the_directory_lists_every_municipality_of_the_data_file() {
    let site = Built::bundled();
    let directory = content_file("directory.toml");
    let municipalities = directory["municipality"]
        .as_array()
        .expect("municipalities");
    assert_eq!(municipalities.len(), 35, "Miyagi has 35 municipalities");
    let ja = site.html("directory/index.html");
    let en = site.html("en/directory/index.html");
    for m in municipalities {
        let code = m["code"].as_str().unwrap();
        let name_ja = m["name_ja"].as_str().unwrap();
        let name_en = m["name_en"].as_str().unwrap();
        let heading_ja = one(&ja, &format!("h4#m-{code}"));
        assert!(
            text(heading_ja).contains(name_ja),
            "{name_ja} in the Japanese directory"
        );
        let heading_en = one(&en, &format!("h4#m-{code}"));
        assert!(
            text(heading_en).contains(name_en),
            "{name_en} in the English directory"
        );
        // The official name stays beside the translation, marked as Japanese.
        let official = select_in(heading_en, r#"span[lang="ja"]"#);
        assert!(
            official.iter().any(|s| text(*s) == name_ja),
            "{name_en}: the official name {name_ja} should be beside it"
        );
    }
}

#[test]
fn municipalities_without_a_sourced_desk_point_to_a_real_number() {
    let site = Built::bundled();
    let ja = site.html("directory/index.html");
    let unknown = select(&ja, ".unknown-desk");
    assert!(unknown.len() >= 30, "most desks are not sourced yet");
    for entry in unknown {
        let links = select_in(entry, r#"a[href^="tel:"]"#);
        assert_eq!(links.len(), 1);
        assert_eq!(attr(links[0], "href"), "tel:0229-23-0024");
    }
}

#[test]
fn every_directory_entry_shows_its_source_and_when_it_was_checked() {
    let site = Built::bundled();
    for file in ["directory/index.html", "en/directory/index.html"] {
        let doc = site.html(file);
        for entry in select(&doc, ".municipality") {
            let source = select_in(entry, ".source");
            assert_eq!(source.len(), 1, "{file}: {}", text(entry));
            let times = select_in(source[0], "time");
            assert!(
                !times.is_empty(),
                "{file}: no checked date in {}",
                text(source[0])
            );
        }
    }
}

#[test]
fn help_now_lists_no_number_whose_sources_conflict() {
    let site = Built::bundled();
    for file in ["help-now/index.html", "en/help-now/index.html"] {
        let doc = site.html(file);
        let numbers: Vec<String> = select(&doc, r#".helpline a[href^="tel:"]"#)
            .into_iter()
            .map(text)
            .collect();
        assert!(!numbers.is_empty(), "{file} lists helplines");
        for withheld in ["0120-279-226", "0120-279-338", "0570-046-556"] {
            assert!(
                !numbers.contains(&withheld.to_owned()),
                "{file} lists {withheld}"
            );
        }
    }
}

/// The announcements drawn from the sources, in the order a feed lists them.
const ANNOUNCEMENTS: [&str; 3] = [
    "news/2025-01-31-support-handbook/",
    "news/2015-08-south-branch-opened/",
    "news/2014-01-06-centre-opened/",
];

#[test]
fn both_feeds_carry_the_real_announcements_and_every_link_opens_its_page() {
    let site = Built::bundled();
    let config = content_file("site.toml");
    let base = config["base_url"].as_str().expect("base_url");
    for (feed, prefix) in [("news/feed.xml", ""), ("en/news/feed.xml", "en/")] {
        let channel = rss::Channel::read_from(site.read(feed).as_bytes()).expect("RSS");
        let links: Vec<&str> = channel.items().iter().filter_map(|i| i.link()).collect();
        let expected: Vec<String> = ANNOUNCEMENTS
            .iter()
            .map(|p| format!("{base}{prefix}{p}"))
            .collect();
        assert_eq!(links, expected, "{feed}");
        assert_eq!(channel.link(), format!("{base}{prefix}news/"));
        for item in channel.items() {
            let link = item.link().expect("link");
            let rel = format!("{}index.html", &link[base.len()..]);
            let page = site.html(&rel);
            assert_eq!(
                text(one(&page, "h1")),
                item.title().expect("title"),
                "{rel}"
            );
            assert_eq!(
                attr(one(&page, "html"), "lang"),
                channel.language().expect("language")
            );
            let content = scraper::Html::parse_fragment(item.content().expect("content"));
            for a in select(&content, "a[href]") {
                let href = attr(a, "href");
                assert!(
                    href.starts_with("https://") || href.starts_with("tel:"),
                    "{href} in {link} is absolute"
                );
                if let Some(path) = href.split('#').next().and_then(|h| h.strip_prefix(base)) {
                    let file = if path.ends_with('/') || path.is_empty() {
                        format!("{path}index.html")
                    } else {
                        path.to_owned()
                    };
                    assert!(site.exists(&file), "{href} in {link} opens a page");
                }
            }
        }
    }
}
