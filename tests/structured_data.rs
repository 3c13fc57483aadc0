//! The centre and each page's breadcrumbs described for search engines in JSON-LD:
//! every value from the sourced facts of `[contact]` and none they do not give, the
//! breadcrumbs the page shows, each page in its own language, and whatever a fact's text
//! holds, data the browser never runs.

mod common;

use common::*;
use scraper::Html;
use serde_json::{Value, json};
use yorisoi::diagnostics::Problem;

/// The basic fixture's `[contact]` with lines added after its `source`.
fn with_contact_lines(site: &Workspace, lines: &str) {
    let text = std::fs::read_to_string(site.content.join("site.toml")).expect("site.toml");
    let marker = "source = \"leaflet-2026\"\n";
    assert!(
        text.contains(marker),
        "the fixture's [contact] ends with its source"
    );
    site.write(
        "site.toml",
        text.replacen(marker, &format!("{marker}{lines}\n"), 1),
    );
}

const OPENING_HOURS: &str = r#"
[contact.opening_hours]
days = ["friday", "月曜日", "Tuesday", "水", "木曜"]
opens = "09:00"
closes = "17:00"
valid_from = 2026-04-01
"#;

/// The one JSON-LD block of a page, read as a search engine reads it.
fn json_ld(doc: &Html) -> Option<Value> {
    let blocks = select(doc, r#"script[type="application/ld+json"]"#);
    assert!(blocks.len() <= 1, "one block at most");
    let block = blocks.first()?;
    assert_eq!(
        block.value().attrs().count(),
        1,
        "type and nothing else: {}",
        block.html()
    );
    let text: String = block.text().collect();
    Some(serde_json::from_str(&text).expect("JSON"))
}

fn graph_item<'v>(data: &'v Value, kind: &str) -> Option<&'v Value> {
    data["@graph"]
        .as_array()
        .expect("a graph")
        .iter()
        .find(|item| item["@type"] == kind)
}

fn built_with(lines: &str) -> Workspace {
    let site = Workspace::copy_of("basic");
    with_contact_lines(&site, lines);
    let outcome = site.build();
    assert!(
        outcome.written && !outcome.has_errors(),
        "{:#?}",
        outcome.diagnostics
    );
    site
}

fn page(site: &Workspace, rel: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(site.output.join(rel)).expect(rel))
}

#[test]
fn the_centre_is_described_from_its_facts_and_nothing_else_in_each_language() {
    let site = built_with(OPENING_HOURS);
    let hours = json!({
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        "opens": "09:00",
        "closes": "17:00",
        "validFrom": "2026-04-01",
    });
    let expected = |name: &str, url: &str, address: &str, line: &str| {
        json!({
            "@type": "GovernmentOffice",
            "@id": "https://example.jp/support/#centre",
            "name": name,
            "url": url,
            "telephone": "+81-22-123-4567",
            "address": {"@type": "PostalAddress", "streetAddress": address},
            "openingHoursSpecification": hours,
            "contactPoint": [{
                "@type": "ContactPoint",
                "contactType": line,
                "telephone": "+81-22-123-4567",
                "hoursAvailable": hours,
            }],
        })
    };
    let ja = expected(
        "みやぎ相談センター",
        "https://example.jp/support/",
        "宮城県仙台市青葉区本町一丁目1-1",
        "相談電話",
    );
    let en = expected(
        "Miyagi Support Centre",
        "https://example.jp/support/en/",
        "1-1-1 Honcho, Aoba-ku, Sendai, Miyagi",
        "Consultation line",
    );
    let pages = list_files(&site.output)
        .into_iter()
        .filter(|f| f.ends_with(".html") && !is_not_found_page(f))
        .collect::<Vec<_>>();
    assert!(pages.len() > 4, "{pages:?}");
    for rel in pages {
        let data = json_ld(&page(&site, &rel)).unwrap_or_else(|| panic!("{rel} has JSON-LD"));
        assert_eq!(data["@context"], "https://schema.org", "{rel}");
        let centre = graph_item(&data, "GovernmentOffice").expect("the centre");
        let wanted = if language_of_file(&rel) == "en" {
            &en
        } else {
            &ja
        };
        assert_eq!(centre, wanted, "{rel}");
    }
}

#[test]
fn what_the_facts_do_not_give_is_left_out() {
    // No structured hours, no area, no parent, no fax, no other numbers: none appears,
    // and no hours come from the words of `hours` alone.
    let site = built_with("");
    let data = json_ld(&page(&site, "index.html")).expect("JSON-LD");
    let centre = graph_item(&data, "GovernmentOffice").expect("the centre");
    let keys: Vec<&str> = centre
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "@id",
            "@type",
            "address",
            "contactPoint",
            "name",
            "telephone",
            "url"
        ]
    );
    assert_eq!(
        centre["contactPoint"],
        json!([{"@type": "ContactPoint", "contactType": "相談電話", "telephone": "+81-22-123-4567"}])
    );

    // Hours from a source that gives no first day have no validFrom.
    let site = built_with(&OPENING_HOURS.replace("valid_from = 2026-04-01\n", ""));
    let data = json_ld(&page(&site, "index.html")).expect("JSON-LD");
    let centre = graph_item(&data, "GovernmentOffice").expect("the centre");
    assert_eq!(centre["openingHoursSpecification"].get("validFrom"), None);
}

#[test]
fn every_number_area_and_parent_carries_only_what_its_source_says() {
    let site = built_with(
        r#"inquiry_phones = ["022-123-4568", "022-123-4569"]
inquiry_label.ja = "お問い合わせ先"
inquiry_label.en = "Contact"
inquiry_unit.ja = "相談班"
inquiry_unit.en = "Consultation team"
fax = "022-123-4560"
area_served.ja = "宮城県内（仙台市を除く）"
area_served.en = "Miyagi Prefecture, except Sendai City"
parent_organization.ja = "宮城県精神保健福祉センター"
parent_organization.en = "Miyagi Prefectural Mental Health and Welfare Centre"
"#,
    );
    let data = json_ld(&page(&site, "en/index.html")).expect("JSON-LD");
    let centre = graph_item(&data, "GovernmentOffice").expect("the centre");
    assert_eq!(centre["faxNumber"], "+81-22-123-4560");
    assert_eq!(
        centre["areaServed"],
        "Miyagi Prefecture, except Sendai City"
    );
    assert_eq!(
        centre["parentOrganization"],
        json!({"@type": "GovernmentOrganization", "name": "Miyagi Prefectural Mental Health and Welfare Centre"})
    );
    let enquiry = |number: &str| {
        json!({
            "@type": "ContactPoint",
            "contactType": "Contact",
            "name": "Consultation team",
            "telephone": number,
        })
    };
    assert_eq!(
        centre["contactPoint"],
        json!([
            {"@type": "ContactPoint", "contactType": "Consultation line", "telephone": "+81-22-123-4567"},
            enquiry("+81-22-123-4568"),
            enquiry("+81-22-123-4569"),
        ])
    );
    // Every number in the data is one the page links to.
    let doc = page(&site, "en/index.html");
    let linked: Vec<String> = select(&doc, "a[href^='tel:']")
        .into_iter()
        .map(|a| attr(a, "href").trim_start_matches("tel:").to_owned())
        .collect();
    for point in centre["contactPoint"].as_array().expect("points") {
        let number = point["telephone"].as_str().expect("a number");
        assert!(linked.iter().any(|l| l == number), "{number} in {linked:?}");
    }
}

#[test]
fn the_breadcrumb_list_is_the_breadcrumbs_the_page_shows() {
    // A news list long enough for later pages, whose breadcrumbs name its first page.
    let site = Workspace::copy_of("basic");
    for (lang, title) in [("ja", "お知らせ"), ("en", "Announcements")] {
        site.write(
            &format!("news/_index.{lang}.md"),
            format!("+++\ntitle = \"{title}\"\n+++\n"),
        );
        for day in 1..=12 {
            site.write(
                &format!("news/2026-01-{day:02}-n.{lang}.md"),
                format!(
                    "+++\ntitle = \"{title} {day}\"\ndate = 2026-01-{day:02}\n+++\n\n{title} {day}.\n"
                ),
            );
        }
    }
    let mut options = site.options();
    options.now = yorisoi::dates::parse_moment("2026-02-01").expect("a day");
    let outcome = yorisoi::build(&options);
    assert!(
        outcome.written && !outcome.has_errors(),
        "{:#?}",
        outcome.diagnostics
    );
    assert!(site.output.join("news/page/2/index.html").is_file());
    let mut trails = 0;
    for rel in list_files(&site.output)
        .into_iter()
        .filter(|f| f.ends_with(".html") && !is_not_found_page(f))
    {
        let doc = page(&site, &rel);
        let data = json_ld(&doc).expect("JSON-LD");
        let shown: Vec<(String, String)> = select(&doc, "nav.breadcrumbs li a")
            .into_iter()
            .map(|a| {
                let href = attr(a, "href");
                (base_text(a), format!("https://example.jp{href}"))
            })
            .collect();
        let listed: Vec<(String, String)> = match graph_item(&data, "BreadcrumbList") {
            None => Vec::new(),
            Some(list) => list["itemListElement"]
                .as_array()
                .expect("items")
                .iter()
                .enumerate()
                .map(|(n, item)| {
                    assert_eq!(item["@type"], "ListItem");
                    assert_eq!(item["position"], n + 1, "{rel}");
                    (
                        item["name"].as_str().expect("name").to_owned(),
                        item["item"].as_str().expect("item").to_owned(),
                    )
                })
                .collect(),
        };
        assert_eq!(listed, shown, "{rel}");
        trails += usize::from(!listed.is_empty());
    }
    assert!(trails > 2, "pages below the home page have trails");
    let later = json_ld(&page(&site, "news/page/2/index.html")).expect("JSON-LD");
    let list = graph_item(&later, "BreadcrumbList").expect("a trail");
    assert_eq!(
        list["itemListElement"][1]["item"], "https://example.jp/support/news/",
        "the list's first page stands in a later page's trail, as shown"
    );
}

#[test]
fn markup_in_a_fact_stays_data_and_reads_back_as_written() {
    let name = "相談センター </script><script>alert(1)</script> <!-- & \"x\" -->";
    let site = Workspace::copy_of("basic");
    let text = std::fs::read_to_string(site.content.join("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        text.replacen(
            "name.ja = \"みやぎ相談センター\"",
            &format!("name.ja = {}", toml::Value::String(name.into())),
            1,
        ),
    );
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let html = std::fs::read_to_string(site.output.join("index.html")).expect("page");
    let doc = Html::parse_document(&html);
    assert!(
        select(&doc, "script:not([type])").is_empty(),
        "no script was made of the text"
    );
    let data = json_ld(&doc).expect("JSON-LD");
    let centre = graph_item(&data, "GovernmentOffice").expect("the centre");
    assert_eq!(centre["name"], name, "the author's words, every character");
}

#[test]
fn mistakes_in_the_opening_hours_are_each_reported_where_they_are() {
    for (lines, wanted, at) in [
        (
            OPENING_HOURS.replace("\"水\"", "\"水よう\""),
            Problem::UnknownWeekday {
                value: "水よう".into(),
            },
            "\"水よう\"",
        ),
        (
            OPENING_HOURS.replace("\"水\"", "\"friday\""),
            Problem::RepeatedWeekday {
                value: "friday".into(),
            },
            "\"friday\"]",
        ),
        (
            OPENING_HOURS.replace("\"09:00\"", "\"9時\""),
            Problem::InvalidClockTime {
                key: "opens".into(),
                value: "9時".into(),
            },
            "\"9時\"",
        ),
        (
            OPENING_HOURS.replace("\"17:00\"", "\"08:30\""),
            Problem::ClosesNotAfterOpens {
                opens: "09:00".into(),
                closes: "08:30".into(),
            },
            "\"08:30\"",
        ),
    ] {
        let site = Workspace::copy_of("basic");
        with_contact_lines(&site, &lines);
        let outcome = site.check();
        let error = only_error(&outcome);
        assert_eq!(error.problem, wanted);
        let location = error.location.as_ref().expect("located");
        let text = std::fs::read_to_string(site.content.join("site.toml")).expect("site.toml");
        let line = text.lines().nth(location.line - 1).expect("the line");
        let column = line
            .char_indices()
            .nth(location.column - 1)
            .map(|(i, _)| i)
            .expect("the column");
        // A repeated day is reported at its second mention, the last in the list.
        let found = match at.strip_suffix(']') {
            Some(last) => line.rfind(last),
            None => line.find(at),
        };
        assert_eq!(Some(column), found, "{wanted:?} at {location:?}: {line}");
    }
}

#[test]
fn days_and_times_no_page_shows_in_words_are_refused() {
    let site = Workspace::copy_of("basic");
    let text = std::fs::read_to_string(site.content.join("site.toml")).expect("site.toml");
    let without_hours: String = text
        .lines()
        .filter(|l| !l.starts_with("hours."))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write("site.toml", without_hours);
    with_contact_lines(&site, OPENING_HOURS);
    let outcome = site.check();
    assert_eq!(
        only_error(&outcome).problem,
        Problem::OpeningHoursWithoutWords
    );
}

#[test]
fn days_and_times_that_differ_from_the_words_are_one_warning() {
    // The times changed and the words not (or the other way): search engines would be
    // told other hours than the pages show.
    let site = Workspace::copy_of("basic");
    with_contact_lines(&site, &OPENING_HOURS.replace("\"17:00\"", "\"17:30\""));
    let outcome = site.check();
    let warnings: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| matches!(d.problem, Problem::OpeningHoursNotInWords { .. }))
        .collect();
    assert_eq!(warnings.len(), 1, "{:#?}", outcome.diagnostics);
    let Problem::OpeningHoursNotInWords {
        opens,
        closes,
        words,
    } = &warnings[0].problem
    else {
        unreachable!("filtered above")
    };
    assert_eq!((opens.as_str(), closes.as_str()), ("09:00", "17:30"));
    let langs: Vec<&str> = words.iter().map(|(lang, _)| lang.as_str()).collect();
    assert_eq!(langs, ["en", "ja"]);
    assert!(
        !outcome.has_errors() && outcome.has_warnings(),
        "check fails on it"
    );

    // The same times in both: nothing to say.
    let site = Workspace::copy_of("basic");
    with_contact_lines(&site, OPENING_HOURS);
    let outcome = site.check();
    assert!(
        !outcome
            .diagnostics
            .iter()
            .any(|d| matches!(d.problem, Problem::OpeningHoursNotInWords { .. })),
        "{:#?}",
        outcome.diagnostics
    );
}
