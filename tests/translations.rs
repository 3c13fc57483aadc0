//! How the two languages of a page find each other: `<link rel="alternate" hreflang>`
//! in every page's head, and the language switcher people click.

mod common;

use common::*;
use scraper::Html;

/// The other language's version of an output file, whether or not it was written:
/// `about/index.html` ↔ `en/about/index.html`.
fn counterpart(file: &str) -> String {
    match file.strip_prefix("en/") {
        Some(japanese) => japanese.to_owned(),
        None => format!("en/{file}"),
    }
}

fn other_language(lang: &str) -> &'static str {
    if lang == "ja" { "en" } else { "ja" }
}

/// The page's own root-relative href, as links inside the site are written.
fn href_of_file(file: &str) -> String {
    format!(
        "{BASE_PATH}{}",
        file.strip_suffix("index.html").unwrap_or(file)
    )
}

#[test]
fn alternates_list_the_page_itself_and_each_translation() {
    let built = Built::fixture("basic");
    for (file, doc) in built.pages() {
        let alts = alternates(&doc);
        let lang = language_of_file(&file);
        assert_eq!(
            alts.get(lang),
            Some(&url_of_file(&file)),
            "{file} must list itself"
        );
        let other = counterpart(&file);
        if built.exists(&other) {
            assert_eq!(
                alts.get(other_language(lang)),
                Some(&url_of_file(&other)),
                "{file} must list its translation"
            );
            let langs: Vec<_> = alts.keys().map(String::as_str).collect();
            assert_eq!(langs, ["en", "ja", "x-default"], "{file}");
        }
    }
}

#[test]
fn x_default_is_the_japanese_version() {
    let built = Built::fixture("basic");
    for (file, doc) in built.pages() {
        let alts = alternates(&doc);
        if let Some(x_default) = alts.get("x-default") {
            let japanese = file.strip_prefix("en/").unwrap_or(&file);
            assert_eq!(x_default, &url_of_file(japanese), "{file}");
        }
    }
}

#[test]
fn alternates_are_reciprocal() {
    let built = Built::fixture("basic");
    for (file, doc) in built.pages() {
        let lang = language_of_file(&file);
        for (hreflang, href) in alternates(&doc) {
            if hreflang == "x-default" {
                continue;
            }
            let target = file_of_url(&href).expect("an alternate on this site");
            let back = alternates(&built.html(&target));
            assert_eq!(
                back.get(lang),
                Some(&url_of_file(&file)),
                "{target} does not point back to {file}"
            );
        }
    }
}

#[test]
fn every_alternate_points_to_a_page_in_the_output() {
    let built = Built::fixture("basic");
    for (file, doc) in built.pages() {
        for (hreflang, href) in alternates(&doc) {
            let target = file_of_url(&href)
                .unwrap_or_else(|| panic!("{file}: {hreflang} alternate {href} is off the site"));
            assert!(
                built.exists(&target),
                "{file}: {hreflang} → missing {target}"
            );
        }
    }
}

#[test]
fn a_page_only_in_japanese_has_no_english_alternate() {
    let built = Built::fixture("basic");
    let doc = built.html("services/visit/index.html");
    let alts = alternates(&doc);
    assert_eq!(alts.get("ja"), Some(&format!("{BASE_URL}services/visit/")));
    assert!(!alts.contains_key("en"), "{alts:?}");
    // With nothing to choose between, a default choice may be absent, but if present it
    // must be the page itself.
    if let Some(x_default) = alts.get("x-default") {
        assert_eq!(x_default, &format!("{BASE_URL}services/visit/"));
    }
}

fn switcher(doc: &Html) -> scraper::ElementRef<'_> {
    one(doc, "nav.language-switcher")
}

#[test]
fn the_switcher_names_each_language_in_itself() {
    let built = Built::fixture("basic");
    for (file, doc) in built.pages() {
        let nav = switcher(&doc);
        for (lang, name) in [("ja", "日本語"), ("en", "English")] {
            let named = select_in(nav, &format!(r#"[lang="{lang}"]"#))
                .into_iter()
                .any(|e| text(e) == name);
            assert!(named, "{file}: no element lang={lang} reading {name:?}");
        }
    }
}

#[test]
fn switcher_links_carry_lang_and_hreflang_of_the_other_language() {
    let built = Built::fixture("basic");
    for (file, doc) in built.pages() {
        let links = select_in(switcher(&doc), "a");
        let other = other_language(language_of_file(&file));
        // The page's own language is shown but not linked; the other is linked.
        assert_eq!(links.len(), 1, "{file}");
        assert_eq!(attr(links[0], "lang"), other, "{file}");
        assert_eq!(attr(links[0], "hreflang"), other, "{file}");
    }
}

#[test]
fn the_switcher_links_the_translation_of_the_page() {
    let built = Built::fixture("basic");
    for (file, doc) in built.pages() {
        let translation = counterpart(&file);
        if !built.exists(&translation) {
            continue;
        }
        let link = one(&doc, "nav.language-switcher a");
        assert_eq!(attr(link, "href"), href_of_file(&translation), "{file}");
        // A translated page needs no note that the translation is missing.
        assert!(link.attr("aria-describedby").is_none(), "{file}");
    }
}

#[test]
fn on_an_untranslated_page_the_switcher_leads_home_with_a_note() {
    let built = Built::fixture("basic");
    let doc = built.html("services/visit/index.html");
    let link = one(&doc, "nav.language-switcher a");
    assert_eq!(attr(link, "href"), "/support/en/");
    assert_eq!(text(link), "English");
    // The note is tied to the link, so a screen reader reads it with the link, and it
    // is written in the language of the page it leads to.
    let note_id = attr(link, "aria-describedby");
    let note = one(&doc, &format!(r#"nav.language-switcher [id="{note_id}"]"#));
    assert_eq!(attr(note, "lang"), "en");
    let said = text(note);
    assert!(!said.is_empty() && said != "English", "note: {said:?}");
}
