//! The bundled Miyagi site: every page in both languages, phone numbers only from the
//! data files, the whole municipal directory, and the consultation line on every page.

mod common;

use std::collections::BTreeSet;
use std::fs;

use common::*;
use yorisoi::diagnostics::Problem;

/// The pages the site promises, by path below the language root.
const PAGES: [&str; 14] = [
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
];

fn content_file(name: &str) -> toml::Table {
    let path = bundled_content().join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// Every string in a TOML value that is written like a Japanese phone number, or an
/// emergency number.
fn phone_numbers(value: &toml::Value, found: &mut BTreeSet<String>) {
    match value {
        toml::Value::String(s) => {
            let looks_like_phone = s.starts_with('0')
                && s.split('-').count() == 3
                && s.chars().all(|c| c.is_ascii_digit() || c == '-');
            if looks_like_phone || ["110", "118", "119"].contains(&s.as_str()) {
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
    for file in [
        "site.toml",
        "directory.toml",
        "helplines.toml",
        "publications.toml",
    ] {
        phone_numbers(&toml::Value::Table(content_file(file)), &mut found);
    }
    found
}

/// The `tel:` form a number must link to: international, except the numbers that work
/// only inside Japan (emergency, free dial `0120`/`0800`, navi dial `0570`), dialled as
/// written.
fn dialled(number: &str) -> String {
    let domestic_only = ["0120", "0800", "0570"]
        .iter()
        .any(|prefix| number.starts_with(prefix));
    match number.strip_prefix('0') {
        Some(national) if !domestic_only => format!("tel:+81-{national}"),
        _ => format!("tel:{number}"),
    }
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
    // One notice only: やさしい日本語 covers the main pages, not all of them.
    let others: Vec<_> = site
        .outcome
        .diagnostics
        .iter()
        .filter(|d| !matches!(&d.problem, Problem::PartialVariant { name, .. } if name == "やさしい日本語"))
        .collect();
    assert!(others.is_empty(), "{others:#?}");
}

/// What `check` finds in the words of pages against their sources does not depend on
/// the day: content that `check` accepts has none of it, so neither may the bundled site.
/// Every easy page's numbers are its standard page's; no page gives a number a use,
/// promises hours, names a source it does not list, or is dated before its sources.
#[test]
fn the_bundled_pages_say_nothing_their_sources_do_not() {
    let output = tempfile::tempdir().expect("temporary folder");
    let checked = yorisoi::check(&bundled_options(output.path()));
    let found: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.problem,
                Problem::EasyNumberNotInStandard { .. }
                    | Problem::CreditedSourceNotListed { .. }
                    | Problem::PhoneRoleInText { .. }
                    | Problem::AvailabilityInText { .. }
                    | Problem::PublishedBeforeSource { .. }
            )
        })
        .collect();
    assert!(found.is_empty(), "{found:#?}");
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
            let href = attr(link, "href");
            let number = known
                .iter()
                .find(|n| text(link).ends_with(n.as_str()) || text(link).starts_with(n.as_str()))
                .unwrap_or_else(|| {
                    panic!("{file}: {} is not a number in the data files", text(link))
                });
            assert_eq!(href, dialled(number), "{file}: {number} links elsewhere");
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
        let links = select_in(line, r#"a[href="tel:+81-229-23-0024"]"#);
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
        let name_ja = m["name"]["ja"].as_str().unwrap();
        let name_en = m["name"]["en"].as_str().unwrap();
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
        assert_eq!(attr(links[0], "href"), "tel:+81-229-23-0024");
    }
}

/// Sources hold as of their own dates; nobody has re-checked them against the live
/// pages, so no page may claim a check.
#[test]
fn every_source_shown_gives_its_own_date_and_claims_no_check() {
    let site = Built::bundled();
    let mut shown = 0;
    for (file, doc) in site.pages() {
        for source in select(&doc, ".source") {
            let words = text(source);
            let dated = !select_in(source, "time").is_empty()
                || words.contains("日付の記載なし")
                || words.contains("ひづけは ありません")
                || words.contains("undated")
                || words.contains("年度")
                || words.contains("fiscal year");
            assert!(dated, "{file}: {words} gives no date");
            for claim in ["確認", "たしかめた", "checked", "verified"] {
                assert!(!words.contains(claim), "{file}: {words} claims a check");
            }
            shown += 1;
        }
    }
    assert!(shown > 20, "sources are shown beside the facts ({shown})");
}

/// The prefectural page on regional headquarters backs which district a municipality
/// belongs to, nothing else: it is cited once per district, never under a desk.
#[test]
fn each_source_stands_beside_what_it_backs() {
    let site = Built::bundled();
    for (file, lang) in [
        ("directory/index.html", "ja"),
        ("en/directory/index.html", "en"),
    ] {
        let doc = site.html(file);
        let regional = "covid-19/23.html";
        for entry in select(&doc, ".municipality") {
            for a in select_in(entry, ".source a") {
                assert!(
                    !attr(a, "href").contains(regional),
                    "{file}: {}",
                    text(entry)
                );
            }
            if !select_in(entry, ".unknown-desk").is_empty() {
                assert!(
                    select_in(entry, ".source").is_empty(),
                    "{file}: an unknown desk cites nothing: {}",
                    text(entry)
                );
            }
        }
        for district in select(&doc, ".district") {
            let area: Vec<_> = select_in(district, ".source a")
                .into_iter()
                .filter(|a| attr(*a, "href").contains(regional))
                .collect();
            let name = text(select_in(district, "h2")[0]);
            if name.contains("仙台市") && !name.contains("仙台地") {
                continue;
            }
            assert_eq!(area.len(), 1, "{file}: {name} cites its area once");
        }
        // Sendai City's centre is named as the 2014 document names it, and credited to it.
        let sendai = one(&doc, "#m-04100");
        let entry = sendai.parent().and_then(scraper::ElementRef::wrap).unwrap();
        let words = text(entry);
        let (name, year) = match lang {
            "ja" => ("仙台市ひきこもり地域支援センター", "2014"),
            _ => ("Sendai City Hikikomori Regional Support Centre", "2014"),
        };
        assert!(
            words.contains(name) && words.contains(year),
            "{file}: {words}"
        );
        assert!(
            !words.contains("ほわっと"),
            "{file}: a name no source gives: {words}"
        );
    }
    // An office's facts from a fiscal year's schedule say which year.
    let doc = site.html("directory/index.html");
    let office = select(&doc, ".office")
        .into_iter()
        .find(|o| text(*o).contains("022-365-3153"))
        .expect("the Sendai office");
    assert!(
        text(office).contains("2024年度（令和6年度）"),
        "{}",
        text(office)
    );
    let doc = site.html("en/directory/index.html");
    let office = select(&doc, ".office")
        .into_iter()
        .find(|o| text(*o).contains("022-365-3153"))
        .expect("the Sendai office");
    assert!(
        text(office).contains("fiscal year 2024"),
        "{}",
        text(office)
    );
}

/// Each fact about the consultation line says it comes from the 2014 document, on every
/// page (through the line's note) and in full where it is stated.
#[test]
fn the_consultation_line_says_it_is_from_2014() {
    let site = Built::bundled();
    for (file, doc) in site.pages() {
        let note = one(&doc, ".help-line-as-of");
        assert!(text(note).contains("2014"), "{file}: {}", text(note));
        let link = select_in(note, "a")[0];
        assert!(
            attr(link, "href").ends_with("contact/#contact-sources"),
            "{file}"
        );
    }
    for file in ["contact/index.html", "en/contact/index.html"] {
        let doc = site.html(file);
        assert_eq!(select(&doc, "#contact-sources").len(), 1, "{file}");
        let sources: Vec<String> = select(&doc, ".contact-details .source")
            .into_iter()
            .map(text)
            .collect();
        assert!(
            sources.iter().any(|s| s.contains("2014")),
            "{file}: {sources:?}"
        );
        assert!(
            sources.iter().any(|s| s.contains("2025")),
            "{file}: {sources:?}"
        );
    }
    for file in [
        "services/index.html",
        "en/services/index.html",
        "services/families/index.html",
        "en/services/families/index.html",
    ] {
        let prose = text(one(&site.html(file), ".prose"));
        assert!(
            prose.contains("2014"),
            "{file} states the hours without their date"
        );
    }
    // On help-now, the hours are in the list generated from the data, with their date.
    for file in ["help-now/index.html", "en/help-now/index.html"] {
        let hours = text(one(&site.html(file), ".open-times"));
        assert!(hours.contains("2014"), "{file}: {hours}");
    }
}

/// Claims no source backs are not on any page.
#[test]
fn no_page_promises_what_no_source_backs() {
    let site = Built::bundled();
    let unbacked = [
        "秘密は守ります",
        "kept confidential",
        "keep what you tell us confidential",
        "通話料がかかります（",
        "Normal call charges apply",
        "someone you trust can call",
        "at night and at weekends",
        "夜間や休日",
        "ほわっと",
        "Howatto",
        "the number at the top",
        "ページ上部",
        "being confirmed",
        "確認中",
        "よくご覧いただく",
        "新着のお知らせ",
        "Latest announcements",
    ];
    for file in site.html_files() {
        let words = text(site.html(&file).root_element());
        for phrase in unbacked {
            assert!(!words.contains(phrase), "{file} says {phrase:?}");
        }
    }
    for feed in ["news/feed.xml", "en/news/feed.xml"] {
        let xml = site.read(feed);
        for phrase in ["ページ上部", "top of the page"] {
            assert!(!xml.contains(phrase), "{feed} says {phrase:?}");
        }
    }
}

/// Help-now opens with what to do in immediate danger, before any other line.
#[test]
fn help_now_starts_with_the_emergency_numbers() {
    let site = Built::bundled();
    for file in ["help-now/index.html", "en/help-now/index.html"] {
        let doc = site.html(file);
        let links: Vec<&str> = select(&doc, r#"main a[href^="tel:"]"#)
            .into_iter()
            .map(|a| attr(a, "href"))
            .collect();
        assert_eq!(&links[..2], ["tel:119", "tel:110"], "{file}: {links:?}");
        assert!(links.len() > 2, "{file} lists helplines after them");
    }
}

/// The directory points to the prefecture's official list, and the services page says
/// what the 2014 document lists at the health-and-welfare offices, with its date.
#[test]
fn what_the_sources_give_residents_is_on_the_site() {
    let site = Built::bundled();
    for file in ["directory/index.html", "en/directory/index.html"] {
        let doc = site.html(file);
        let official = select(&doc, ".prose a").into_iter().any(|a| {
            attr(a, "href") == "https://www.pref.miyagi.jp/soshiki/seihocnt/hikikomori.html"
        });
        assert!(
            official,
            "{file} links the prefecture's page with the official list"
        );
    }
    let ja = text(one(&site.html("services/index.html"), ".prose"));
    assert!(
        ja.contains("訪問支援") && ja.contains("家族教室") && ja.contains("2014"),
        "{ja}"
    );
    let en = text(one(&site.html("en/services/index.html"), ".prose"));
    assert!(
        en.contains("home visits") && en.contains("family classes") && en.contains("2014"),
        "{en}"
    );
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

/// The announcements of a language as published: every page below `news/` (not the
/// list's own pages), with whether it has ended.
fn published_announcements(site: &Built, prefix: &str) -> Vec<(String, bool)> {
    let news = format!("{prefix}news/");
    site.html_files()
        .into_iter()
        .filter_map(|file| {
            let rest = file.strip_prefix(&news)?.strip_suffix("/index.html")?;
            if rest.contains('/') || rest == "page" {
                return None;
            }
            let ended = !select(&site.html(&file), ".ended-notice").is_empty();
            Some((format!("{news}{rest}/"), ended))
        })
        .collect()
}

/// Whatever announcements staff add: each feed lists every published announcement of
/// its language that has not ended (up to the feed's limit), newest publication date
/// first, and every link in it opens its page.
#[test]
fn both_feeds_carry_the_published_announcements_and_every_link_opens_its_page() {
    let site = Built::bundled();
    let config = content_file("site.toml");
    let base = config["base_url"].as_str().expect("base_url");
    let limit = config
        .get("feed")
        .and_then(|f| f.get("limit"))
        .and_then(toml::Value::as_integer)
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(usize::MAX);
    for (feed, prefix) in [("news/feed.xml", ""), ("en/news/feed.xml", "en/")] {
        let channel = rss::Channel::read_from(site.read(feed).as_bytes()).expect("RSS");
        let links: BTreeSet<String> = channel
            .items()
            .iter()
            .filter_map(|i| i.link())
            .map(|l| l.strip_prefix(base).unwrap_or(l).to_owned())
            .collect();
        let current: BTreeSet<String> = published_announcements(&site, prefix)
            .into_iter()
            .filter(|(_, ended)| !ended)
            .map(|(path, _)| path)
            .collect();
        assert_eq!(links.len(), channel.items().len(), "{feed}: no item twice");
        assert!(
            links.is_subset(&current),
            "{feed}: {links:?} of {current:?}"
        );
        assert_eq!(links.len(), current.len().min(limit), "{feed}");
        let dates: Vec<chrono::DateTime<chrono::FixedOffset>> = channel
            .items()
            .iter()
            .map(|i| {
                chrono::DateTime::parse_from_rfc2822(i.pub_date().expect("pubDate"))
                    .expect("an RFC 822 date")
            })
            .collect();
        assert!(
            dates.windows(2).all(|pair| pair[0] >= pair[1]),
            "{feed}: newest first: {dates:?}"
        );
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

/// Whatever the record and the judgements say, a results page (試験結果) declares no
/// more than its own table shows, lists all 38 criteria, and links only pages built.
#[test]
fn a_results_page_declares_no_level_its_table_does_not_support() {
    let site = Built::bundled();
    for (file, doc) in site.pages() {
        let levels = select(&doc, ".results-level");
        if levels.is_empty() {
            continue;
        }
        assert_eq!(levels.len(), 1, "{file}");
        let level = attr(levels[0], "class");
        let results: Vec<&str> = select(&doc, "#results-criteria tbody td[class^=result-]")
            .into_iter()
            .map(|td| attr(td, "class"))
            .collect();
        assert_eq!(results.len(), 38, "{file}");
        let count = |kind: &str| results.iter().filter(|c| **c == kind).count();
        let reasons = select(&doc, ".results-reasons li").len();
        if level.ends_with("-conforms") {
            assert_eq!(
                count("result-met") + count("result-not-applicable"),
                38,
                "{file}"
            );
            assert_eq!(reasons, 0, "{file}");
        } else if level.ends_with("-partly") {
            assert_eq!(count("result-undecided"), 0, "{file}");
            assert!(count("result-not-met") > 0, "{file}");
        } else {
            assert!(level.ends_with("-considered"), "{file}: {level}");
            assert!(reasons > 0, "{file}: the page says why");
            assert!(
                count("result-undecided") > 0 || reasons > usize::from(count("result-not-met") > 0),
                "{file}: consideration with every criterion decided needs another reason"
            );
        }
        for a in select(&doc, ".results-pages a") {
            let href = attr(a, "href");
            // Written from the site's root, as every link of the bundled site is.
            let path = href
                .strip_prefix('/')
                .unwrap_or_else(|| panic!("{file}: {href}"));
            let target = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_owned()
            };
            assert!(
                site.exists(&target),
                "{file} lists {href}, which is not built"
            );
        }
    }
}

/// Every number a JSON-LD value holds, wherever it is.
fn numbers_in_json(value: &serde_json::Value, key: &str, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            map.iter().for_each(|(k, v)| numbers_in_json(v, k, found))
        }
        serde_json::Value::Array(items) => {
            items.iter().for_each(|v| numbers_in_json(v, key, found))
        }
        serde_json::Value::String(s) if matches!(key, "telephone" | "faxNumber") => {
            found.push(s.clone());
        }
        _ => {}
    }
}

#[test]
fn every_pages_data_for_search_engines_holds_only_the_contacts_numbers_and_its_breadcrumbs() {
    let site = Built::bundled();
    let contact = content_file("site.toml")
        .get("contact")
        .cloned()
        .unwrap_or(toml::Value::Table(toml::Table::new()));
    let mut numbers = BTreeSet::new();
    phone_numbers(&contact, &mut numbers);
    let dialled_numbers: BTreeSet<String> = numbers
        .iter()
        .map(|n| dialled(n).trim_start_matches("tel:").to_owned())
        .collect();
    let base = content_file("site.toml")["base_url"]
        .as_str()
        .expect("base_url")
        .to_owned();
    let origin = url::Url::parse(&base)
        .expect("base_url")
        .origin()
        .ascii_serialization();
    for (file, doc) in site.pages() {
        let blocks = select(&doc, r#"script[type="application/ld+json"]"#);
        assert!(blocks.len() <= 1, "{file}");
        let Some(block) = blocks.first() else {
            continue;
        };
        let data: serde_json::Value =
            serde_json::from_str(&block.text().collect::<String>()).expect("JSON");
        let mut found = Vec::new();
        numbers_in_json(&data, "", &mut found);
        for number in found {
            assert!(dialled_numbers.contains(&number), "{file}: {number}");
        }
        let shown: Vec<(String, String)> = select(&doc, "nav.breadcrumbs li a")
            .into_iter()
            .map(|a| (base_text(a), format!("{origin}{}", attr(a, "href"))))
            .collect();
        let listed: Vec<(String, String)> = data["@graph"]
            .as_array()
            .expect("a graph")
            .iter()
            .filter(|item| item["@type"] == "BreadcrumbList")
            .flat_map(|list| {
                list["itemListElement"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .map(|item| {
                (
                    item["name"].as_str().unwrap_or_default().to_owned(),
                    item["item"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        assert_eq!(listed, shown, "{file}");
    }
}
