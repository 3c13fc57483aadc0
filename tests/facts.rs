//! Facts as data: phone numbers are checked and linked one way everywhere, every fact
//! names its source, a source's own date is told apart from a check by a person, and the
//! glossary's wordings are enforced.

mod common;

use common::*;
use yorisoi::diagnostics::{Problem, Severity};
use yorisoi::localized::LocalizedError;
use yorisoi::phone::PhoneError;
use yorisoi::report::MessageLanguage;

/// The fixture's `[contact]`, with `phone` replaced.
fn site_toml_with_phone(site: &Workspace, phone: &str) {
    let text = std::fs::read_to_string(site.content.join("site.toml")).unwrap();
    site.write(
        "site.toml",
        text.replace("phone = \"022-123-4567\"", &format!("phone = \"{phone}\"")),
    );
}

#[test]
fn a_full_width_number_is_shown_half_width_and_linked_internationally() {
    let site = Workspace::copy_of("basic");
    site_toml_with_phone(&site, "０２２－１２３－４５６７");
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let doc = scraper::Html::parse_document(
        &std::fs::read_to_string(site.output.join("index.html")).unwrap(),
    );
    let link = one(&doc, ".help-line-number a");
    assert_eq!(text(link), "022-123-4567");
    assert_eq!(attr(link, "href"), "tel:+81-22-123-4567");
}

#[test]
fn a_number_of_the_wrong_shape_is_an_error_at_its_line_naming_the_field() {
    let site = Workspace::copy_of("basic");
    site_toml_with_phone(&site, "022-123-456");
    let outcome = site.build();
    assert!(!outcome.written);
    let d = only_error(&outcome);
    assert!(
        matches!(&d.problem, Problem::InvalidPhone { field, reason: PhoneError::Shape, .. } if field == "phone"),
        "{:?}",
        d.problem
    );
    let en = site.message(d, MessageLanguage::English);
    assert!(
        en.contains("content/site.toml:21:9: error: [contact]: phone \"022-123-456\""),
        "{en}"
    );
    assert!(
        en.contains("0229-23-0024"),
        "the message shows the expected shape: {en}"
    );
    let ja = site.message(d, MessageLanguage::Japanese);
    assert!(ja.contains("電話番号として読めません"), "{ja}");
}

#[test]
fn the_consultation_number_is_required() {
    let site = Workspace::copy_of("basic");
    site_toml_with_phone(&site, "");
    let outcome = site.build();
    assert!(!outcome.written);
    let d = only_error(&outcome);
    assert_eq!(d.problem, Problem::MissingConsultationPhone);
    assert!(
        site.message(d, MessageLanguage::English)
            .contains("content/site.toml:16:1:")
    );
}

const DIRECTORY: &str = r#"
[[district]]
id = "sennan"
name = { ja = "仙南", en = "Sennan" }

[[municipality]]
code = "04206"
name = { ja = "白石市", en = "Shiroishi City" }
kana = "しろいしし"
district = "sennan"
[municipality.desk]
name = { ja = "白石市の窓口", en = "Shiroishi desk" }
phone = "0224-22-1362"
source = "leaflet-2026"
"#;

fn directory_site(directory: &str) -> Workspace {
    let site = Workspace::copy_of("basic");
    site.write("directory.toml", directory);
    for (lang, title) in [("ja", "窓口の一覧"), ("en", "Desks")] {
        site.write(
            &format!("directory.{lang}.md"),
            format!("+++\ntitle = \"{title}\"\ntemplate = \"directory.html\"\n+++\n"),
        );
    }
    site
}

#[test]
fn a_desk_is_shown_with_its_source_and_the_sources_own_date() {
    let site = directory_site(DIRECTORY);
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let ja = scraper::Html::parse_document(
        &std::fs::read_to_string(site.output.join("directory/index.html")).unwrap(),
    );
    let source = text(one(&ja, ".municipality .source"));
    assert_eq!(
        source,
        "相談窓口・電話の出典: みやぎ相談センターのリーフレット（2026年（令和8年）4月1日掲載）"
    );
    let en = scraper::Html::parse_document(
        &std::fs::read_to_string(site.output.join("en/directory/index.html")).unwrap(),
    );
    let source = text(one(&en, ".municipality .source"));
    assert_eq!(
        source,
        "Source for the desk, the phone number: The Miyagi Support Centre's leaflet (published 1 April 2026)"
    );
    let time = one(&en, ".municipality .source time");
    assert_eq!(attr(time, "datetime"), "2026-04-01");
}

/// Residents served by another body (Sendai City's own centre) get its number where
/// a source gives one, dialled like every number, with that source.
#[test]
fn a_body_serving_a_municipality_instead_is_shown_with_its_number_and_source() {
    let site = directory_site(&format!(
        "{DIRECTORY}\n[[district]]\nid = \"sendai-city\"\nname = {{ ja = \"仙台市\", en = \"Sendai City\" }}\n\n\
         [[municipality]]\ncode = \"04100\"\nname = {{ ja = \"仙台市\", en = \"Sendai City\" }}\n\
         kana = \"せんだいし\"\ndistrict = \"sendai-city\"\n[municipality.served_by]\n\
         name = {{ ja = \"仙台市の支援センター\", en = \"Sendai's centre\" }}\n\
         phone = \"022-285-3581\"\nsource = \"leaflet-2026\"\n"
    ));
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let ja = scraper::Html::parse_document(
        &std::fs::read_to_string(site.output.join("directory/index.html")).unwrap(),
    );
    let sendai = one(&ja, "#m-04100")
        .parent()
        .and_then(scraper::ElementRef::wrap)
        .unwrap();
    let link = select_in(sendai, "a[href^=\"tel:\"]");
    assert_eq!(link.len(), 1);
    assert_eq!(text(link[0]), "022-285-3581");
    assert_eq!(attr(link[0], "href"), "tel:+81-22-285-3581");
    assert_eq!(
        text(select_in(sendai, ".source")[0]),
        "相談先・電話の出典: みやぎ相談センターのリーフレット（2026年（令和8年）4月1日掲載）"
    );
}

/// A page names the sources its text relies on in its front matter: the page lists
/// each with its own date, a source nobody has is an error at that line, and a cited
/// source counts as used.
#[test]
fn a_page_lists_the_sources_its_front_matter_names() {
    let site = Workspace::copy_of("basic");
    let about = std::fs::read_to_string(site.content.join("about.ja.md")).unwrap();
    let cited = about.replacen("+++\n", "+++\nsources = [\"leaflet-2026\"]\n", 1);
    site.write("about.ja.md", &cited);
    let outcome = site.check();
    assert!(!outcome.has_errors(), "{:#?}", outcome.diagnostics);
    assert!(
        !outcome
            .diagnostics
            .iter()
            .any(|d| matches!(&d.problem, Problem::UnusedSource { id } if id == "leaflet-2026")),
        "a cited source is used: {:#?}",
        outcome.diagnostics
    );
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let doc = scraper::Html::parse_document(
        &std::fs::read_to_string(site.output.join("about/index.html")).unwrap(),
    );
    assert_eq!(text(one(&doc, ".page-sources h2")), "このページの出典");
    assert_eq!(
        text(one(&doc, ".page-sources .source")),
        "出典: みやぎ相談センターのリーフレット（2026年（令和8年）4月1日掲載）"
    );
    // A source sources.toml does not have.
    site.write("about.ja.md", cited.replace("leaflet-2026", "leaflet-2025"));
    let outcome = site.build();
    assert!(!outcome.written);
    let d = only_error(&outcome);
    assert!(
        matches!(&d.problem, Problem::UnknownReference { id, known } if id == "leaflet-2025" && known.contains(&"leaflet-2026".to_owned())),
        "{d:#?}"
    );
    let message = site.message(d, MessageLanguage::English);
    assert!(message.contains("content/about.ja.md:2:1:"), "{message}");
}

/// `check` points out a source the text names (its title, or the words in 「」 of it)
/// that the page's `sources` leaves out.
#[test]
fn a_source_the_text_names_must_be_in_the_pages_sources() {
    let site = Workspace::copy_of("basic");
    site.write(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\n+++\n\n開館日は、みやぎ相談センターのリーフレットによります。\n",
    );
    let credited = |outcome: &yorisoi::Outcome| -> Vec<String> {
        outcome
            .diagnostics
            .iter()
            .filter_map(|d| match &d.problem {
                Problem::CreditedSourceNotListed { id, .. } => {
                    assert_eq!(d.severity, Severity::Warning);
                    assert!(
                        site.message(d, MessageLanguage::English)
                            .contains("content/about.ja.md:1:")
                    );
                    Some(id.clone())
                }
                _ => None,
            })
            .collect()
    };
    assert_eq!(credited(&site.check()), ["leaflet-2026"]);
    site.write(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\nsources = [\"leaflet-2026\"]\n+++\n\n開館日は、みやぎ相談センターのリーフレットによります。\n",
    );
    assert_eq!(credited(&site.check()), Vec::<String>::new());
}

/// Where the consultation line and the other numbers come from sources of different
/// dates, every list of them gives the newer source's numbers first.
#[test]
fn numbers_of_the_newer_source_come_first() {
    let order = |inquiry_source_date: &str| -> Vec<String> {
        let site = Workspace::copy_of("basic");
        let config = std::fs::read_to_string(site.content.join("site.toml")).unwrap();
        site.write(
            "site.toml",
            config.replace(
                "source = \"leaflet-2026\"",
                "source = \"leaflet-2026\"\ninquiry_phones = [\"022-123-9999\"]\ninquiry_source = \"page-other\"",
            ),
        );
        let sources = std::fs::read_to_string(site.content.join("sources.toml")).unwrap();
        site.write(
            "sources.toml",
            format!(
                "{sources}\n[[source]]\nid = \"page-other\"\ntitle.ja = \"県のページ\"\ntitle.en = \"The prefecture's page\"\npublished = {inquiry_source_date}\n"
            ),
        );
        let outcome = site.build();
        assert!(outcome.written, "{:#?}", outcome.diagnostics);
        let doc = scraper::Html::parse_document(
            &std::fs::read_to_string(site.output.join("index.html")).unwrap(),
        );
        select(&doc, ".contact-block a[href^=\"tel:\"]")
            .into_iter()
            .map(text)
            .collect()
    };
    assert_eq!(order("2026-11-12"), ["022-123-9999", "022-123-4567"]);
    assert_eq!(order("2020-01-01"), ["022-123-4567", "022-123-9999"]);
}

/// The centre's other numbers carry the name their source gives them (`inquiry_label`),
/// and without one only the theme's plain "other phone numbers": no use of its own.
#[test]
fn the_other_numbers_are_named_as_their_source_names_them() {
    let labels = |label: &str| -> Vec<String> {
        let site = Workspace::copy_of("basic");
        let config = std::fs::read_to_string(site.content.join("site.toml")).unwrap();
        site.write(
            "site.toml",
            config.replace(
                "source = \"leaflet-2026\"",
                &format!("source = \"leaflet-2026\"\ninquiry_phones = [\"022-123-9999\"]\n{label}"),
            ),
        );
        let outcome = site.build();
        assert!(outcome.written, "{:#?}", outcome.diagnostics);
        let doc = scraper::Html::parse_document(
            &std::fs::read_to_string(site.output.join("index.html")).unwrap(),
        );
        select(&doc, ".contact-block dt")
            .into_iter()
            .filter(|dt| {
                dt.next_siblings()
                    .filter_map(scraper::ElementRef::wrap)
                    .any(|dd| text(dd).contains("022-123-9999"))
            })
            .map(text)
            .collect()
    };
    assert_eq!(
        labels("inquiry_label.ja = \"お問い合わせ先\"\ninquiry_label.en = \"Contact\""),
        ["お問い合わせ先"]
    );
    assert_eq!(labels(""), ["そのほかの電話番号"]);
}

#[test]
fn a_fact_without_a_source_is_refused() {
    let site = directory_site(&DIRECTORY.replace("source = \"leaflet-2026\"\n", ""));
    let outcome = site.build();
    assert!(!outcome.written);
    let errors = errors(&outcome);
    assert!(
        errors.iter().any(|d| matches!(
            &d.problem,
            Problem::MissingKey { .. } | Problem::MissingSource { .. }
        )),
        "{errors:#?}"
    );
}

#[test]
fn a_source_that_does_not_exist_is_named_with_the_ones_that_do() {
    let site = directory_site(&DIRECTORY.replace("leaflet-2026", "leaflet-2062"));
    let outcome = site.build();
    let d = only_error(&outcome);
    assert!(
        matches!(&d.problem, Problem::UnknownSource { id, known, closest } if id == "leaflet-2062" && known == &["leaflet-2026"] && closest.as_deref() == Some("leaflet-2026")),
        "{:?}",
        d.problem
    );
    let en = site.message(d, MessageLanguage::English);
    assert!(en.contains("content/directory.toml:14:10:"), "{en}");
}

#[test]
fn text_without_the_default_language_is_refused() {
    let site = directory_site(&DIRECTORY.replace(
        "name = { ja = \"白石市\", en = \"Shiroishi City\" }",
        "name = { en = \"Shiroishi City\" }",
    ));
    let d = only_error(&site.build()).clone();
    assert!(
        matches!(&d.problem, Problem::InvalidText { field, reason: LocalizedError::MissingDefault, .. } if field == "name"),
        "{:?}",
        d.problem
    );
}

#[test]
fn a_verification_is_shown_only_when_a_person_made_one() {
    let site = directory_site(DIRECTORY);
    let sources = std::fs::read_to_string(site.content.join("sources.toml")).unwrap();
    site.write("sources.toml", format!("{sources}verified = 2026-11-20\n"));
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let en = scraper::Html::parse_document(
        &std::fs::read_to_string(site.output.join("en/directory/index.html")).unwrap(),
    );
    let source = text(one(&en, ".municipality .source"));
    assert!(
        source.ends_with(
            "(published 1 April 2026, re-checked against the source on 20 November 2026)"
        ),
        "{source}"
    );
}

#[test]
fn check_lists_old_and_undated_sources_as_notices_once_each() {
    let site = directory_site(DIRECTORY);
    site.write(
        "sources.toml",
        "[[source]]\nid = \"leaflet-2026\"\ntitle.ja = \"古い資料\"\nyear = 2014\n\n[[source]]\nid = \"unused\"\ntitle.ja = \"使われない資料\"\n",
    );
    let outcome = site.check();
    assert!(!outcome.has_errors(), "{:#?}", outcome.diagnostics);
    let notices: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Notice)
        .map(|d| d.problem.clone())
        .filter(|p| {
            !matches!(
                p,
                Problem::RobotsNotWritten { .. } | Problem::PlaceholderBaseUrl { .. }
            )
        })
        .collect();
    assert_eq!(notices.len(), 2, "{notices:#?}");
    assert!(
        matches!(&notices[0], Problem::StaleSource { id, facts: 5, .. } if id == "leaflet-2026")
    );
    assert!(matches!(&notices[1], Problem::UnusedSource { id } if id == "unused"));
    // A build says nothing about them: they are for the person checking.
    let built = site.build();
    assert!(built.written);
    assert!(find(&built, |p| matches!(p, Problem::StaleSource { .. })).is_empty());
}

#[test]
fn a_wording_the_glossary_avoids_is_pointed_out_where_it_is_written() {
    let site = Workspace::copy_of("basic");
    site.write(
        "glossary.toml",
        "[[term]]\nwords = { ja = \"面接相談\", en = \"in-person consultation\" }\navoid.en = [\"interview\", \"interviews\"]\n",
    );
    site.write(
        "about.en.md",
        "+++\ntitle = \"About us\"\n+++\n\nWe offer consultation by phone.\nInterviews are by appointment.\n",
    );
    let outcome = site.check();
    let found = find(&outcome, |p| matches!(p, Problem::AvoidedTerm { .. }));
    assert_eq!(found.len(), 1, "{:#?}", outcome.diagnostics);
    let en = site.message(found[0], MessageLanguage::English);
    assert!(
        en.contains("content/about.en.md:6:1: warning: \"interviews\" is a wording"),
        "{en}"
    );
    assert!(en.contains("\"in-person consultation\""), "{en}");
}

#[test]
fn a_phone_link_in_the_text_is_checked_and_dialled_internationally() {
    let site = Workspace::copy_of("basic");
    site.write(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\n+++\n\n[相談電話](tel:０２２－１２３－４５６７)におかけください。\n",
    );
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let doc = scraper::Html::parse_document(
        &std::fs::read_to_string(site.output.join("about/index.html")).unwrap(),
    );
    let link = one(&doc, ".prose a[href^='tel:']");
    assert_eq!(attr(link, "href"), "tel:+81-22-123-4567");
    assert_eq!(text(link), "相談電話", "the author's words stay");

    // The number typed into the text as well, as its words: numbers are shown from
    // the data files, so the build stops at it.
    site.write(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\n+++\n\n[相談電話 ０２２－１２３－４５６７](tel:０２２－１２３－４５６７)におかけください。\n",
    );
    let outcome = site.check();
    let found = find(&outcome, |p| matches!(p, Problem::PhoneInText { .. }));
    assert_eq!(found.len(), 1, "{:#?}", outcome.diagnostics);
    let d = found[0];
    assert!(d.is_warning());
    assert!(
        matches!(&d.problem, Problem::PhoneInText { written } if written == "０２２－１２３－４５６７"),
        "{:?}",
        d.problem
    );
    assert!(
        site.message(d, MessageLanguage::English)
            .contains("content/about.ja.md:5:7:"),
        "{}",
        site.message(d, MessageLanguage::English)
    );

    site.write(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\n+++\n\n[相談電話](tel:022-123-456)におかけください。\n",
    );
    let outcome = site.build();
    let d = only_error(&outcome);
    assert!(
        matches!(&d.problem, Problem::InvalidPhone { field, value, reason: PhoneError::Shape } if field == "tel:" && value == "022-123-456"),
        "{:?}",
        d.problem
    );
    assert!(
        site.message(d, MessageLanguage::English)
            .contains("content/about.ja.md:5:1:")
    );
}
