//! What the bundled site's pages carry for a reader on a phone, sharing a link, printing
//! or listening: the folded menu, help-now's order, the index of municipalities by name,
//! link cards and icons from the site itself, and text that reads well without styles.
//! (How the pages look at 320 px is measured in a browser, by `tests/browser/audit.mjs`.)

mod common;

use common::*;
use scraper::{ElementRef, Html};

/// The elements directly inside `parent`, in order.
fn children<'a>(parent: ElementRef<'a>) -> Vec<ElementRef<'a>> {
    parent.children().filter_map(ElementRef::wrap).collect()
}

#[test]
fn help_now_puts_danger_first_and_then_the_first_line_to_call() {
    let site = Built::bundled();
    for page in ["help-now/index.html", "en/help-now/index.html"] {
        let doc = site.html(page);
        let h1 = one(&doc, "main h1");
        let after: Vec<ElementRef> = h1.next_siblings().filter_map(ElementRef::wrap).collect();
        assert!(
            after[0].value().classes().any(|c| c == "emergency"),
            "{page}: the first thing under the heading is what to do in danger"
        );
        let emergency = select_in(after[0], ".emergency-number a");
        assert!(attr(emergency[0], "href").starts_with("tel:119"), "{page}");
        assert!(
            after[1].value().classes().any(|c| c == "helplines-section"),
            "{page}: then the lines to call, with nothing before them"
        );
        let first = select_in(after[1], ".helpline")[0];
        let number = select_in(first, ".helpline-number a")[0];
        assert!(attr(number, "href").starts_with("tel:"), "{page}");
    }
}

#[test]
fn the_menu_folds_into_one_details_element_and_the_banner_marks_help_now_as_current() {
    let site = Built::bundled();
    for (rel, doc) in site.pages() {
        let menus = select(&doc, "nav.main-menu");
        assert_eq!(menus.len(), 1, "{rel}: one menu, not one per screen size");
        let details = select(&doc, "details.site-menu");
        assert_eq!(details.len(), 1, "{rel}");
        assert!(
            details[0].value().attr("open").is_none(),
            "{rel}: folded until used"
        );
        let summary = children(details[0]);
        assert_eq!(summary[0].value().name(), "summary", "{rel}");
        assert!(!text(summary[0]).trim().is_empty(), "{rel}");
        let now = select(&doc, ".help-line-now a");
        assert_eq!(now.len(), 1, "{rel}");
        let on_help_now = rel.ends_with("help-now/index.html");
        assert_eq!(
            now[0].value().attr("aria-current"),
            on_help_now.then_some("page"),
            "{rel}"
        );
    }
}

#[test]
fn every_municipality_is_in_the_index_by_name_once_in_gojuon_order_in_japanese() {
    let site = Built::bundled();
    for (page, lang) in [
        ("directory/index.html", "ja"),
        ("en/directory/index.html", "en"),
    ] {
        let doc = site.html(page);
        let entries = select(&doc, ".municipality h4[id]");
        let indexed = select(&doc, ".name-index a");
        assert_eq!(entries.len(), 35, "{page}: the prefecture's municipalities");
        assert_eq!(
            indexed.len(),
            entries.len(),
            "{page}: each once in the index"
        );
        let ids: std::collections::BTreeSet<String> = entries
            .iter()
            .map(|e| format!("#{}", attr(*e, "id")))
            .collect();
        for link in &indexed {
            assert!(
                ids.contains(attr(*link, "href")),
                "{page}: {}",
                attr(*link, "href")
            );
        }
        let headings: Vec<String> = select(&doc, ".name-index h3")
            .into_iter()
            .map(text)
            .collect();
        if lang == "ja" {
            assert_eq!(
                headings,
                [
                    "あ行", "か行", "さ行", "た行", "な行", "は行", "ま行", "や行", "ら行", "わ行"
                ]
            );
            // 大河原町 (おおがわら) comes before 大崎市 (おおさき): が sorts as か.
            let names: Vec<String> = indexed.iter().map(|a| text(*a)).collect();
            let position = |name: &str| names.iter().position(|n| n == name).unwrap();
            assert!(position("大河原町") < position("大崎市"));
            assert!(position("石巻市") < position("岩沼市"));
        } else {
            let names: Vec<String> = indexed.iter().map(|a| text(*a)).collect();
            let mut sorted = names.clone();
            sorted.sort_by_key(|n| n.to_lowercase());
            assert_eq!(names, sorted, "{page}: A to Z");
        }
    }
}

#[test]
fn shared_links_get_a_card_and_every_page_an_icon_all_from_the_site() {
    let site = Built::bundled();
    let base = "https://hikikomori.example.jp/";
    for (rel, doc) in site.pages() {
        let meta = |property: &str| {
            select(&doc, &format!("meta[property=\"{property}\"]"))
                .first()
                .map(|m| attr(*m, "content").to_owned())
        };
        let canonical = attr(one(&doc, "link[rel=canonical]"), "href");
        assert_eq!(meta("og:url").as_deref(), Some(canonical), "{rel}");
        let title = base_text(one(&doc, "main h1"));
        assert_eq!(meta("og:title").as_deref(), Some(title.trim()), "{rel}");
        assert!(meta("og:site_name").is_some(), "{rel}");
        let description = attr(one(&doc, "meta[name=description]"), "content");
        assert_eq!(
            meta("og:description").as_deref(),
            Some(description),
            "{rel}"
        );
        let image = meta("og:image").expect("a card image");
        let local = image
            .strip_prefix(base)
            .expect("the card comes from the site");
        assert!(site.exists(local), "{rel}: {local}");
        let locale = meta("og:locale").expect("og:locale");
        let lang = language_of_file(&rel);
        assert_eq!(
            locale,
            // やさしい日本語 is Japanese: the same locale as the standard pages.
            if lang == "en" { "en_GB" } else { "ja_JP" },
            "{rel}"
        );
        // An alternate locale only where the page has a translation.
        let alternates = select(&doc, "meta[property=\"og:locale:alternate\"]");
        let hreflangs = select(
            &doc,
            "link[rel=alternate][hreflang]:not([hreflang=x-default])",
        );
        // A variant page (やさしい日本語) claims no translation, so has neither.
        assert_eq!(alternates.len(), hreflangs.len().saturating_sub(1), "{rel}");
        assert_eq!(
            attr(one(&doc, "meta[name=\"twitter:card\"]"), "content"),
            "summary_large_image"
        );
        for icon in select(&doc, "link[rel=icon], link[rel=apple-touch-icon]") {
            let href = attr(icon, "href");
            assert!(href.starts_with('/'), "{rel}: {href}");
            assert!(site.exists(href.trim_start_matches('/')), "{rel}: {href}");
        }
        assert_eq!(
            select(&doc, "link[rel=icon]").len(),
            2,
            "{rel}: SVG and PNG"
        );
    }
}

/// The text of a page as a text browser shows it, roughly: each block on its own line.
fn block_texts(doc: &Html, css: &str) -> Vec<String> {
    select(doc, css).into_iter().map(text).collect()
}

#[test]
fn dates_in_lists_are_blocks_of_their_own_apart_from_the_titles() {
    let site = Built::bundled();
    for page in ["index.html", "en/index.html"] {
        let doc = site.html(page);
        for item in select(&doc, ".page-list li") {
            let blocks = children(item);
            assert_eq!(blocks[0].value().name(), "p", "{page}");
            assert!(select_in(blocks[0], "time").len() == 1, "{page}");
            assert_eq!(blocks[1].value().name(), "p", "{page}");
            assert!(select_in(blocks[1], "a").len() == 1, "{page}");
        }
        assert!(
            !block_texts(&doc, ".page-list .list-title").is_empty(),
            "{page}"
        );
    }
    // The breadcrumb separator is drawn by the style sheet, never written in the page.
    let doc = site.html("about/index.html");
    assert!(!text(one(&doc, ".breadcrumbs")).contains('›'));
}
