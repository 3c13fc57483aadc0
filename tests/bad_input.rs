//! Mistakes in the content folder: each is an error of the right kind, located at the
//! file and line where it was made, in the message people read.
//!
//! Every case starts from a copy of the `basic` fixture and writes one broken file, so
//! the broken text sits right in the test beside what is expected of it.

mod common;

use common::*;
use yorisoi::diagnostics::{Diagnostic, Problem, TomlHint};
use yorisoi::report::MessageLanguage;

/// Builds the basic site with one file replaced or added; the build must fail.
fn build_with(rel: &str, text: &str) -> (Workspace, yorisoi::Outcome) {
    let site = Workspace::copy_of("basic");
    site.write(rel, text);
    let outcome = site.build();
    assert!(outcome.has_errors(), "{rel} should not build");
    assert!(!outcome.written);
    (site, outcome)
}

/// The problem is located at `file:line`, and both the Japanese and the English
/// message start from that place so an editor can jump to it.
fn assert_located(site: &Workspace, d: &Diagnostic, file: &str, line: usize) {
    let location = d.location.as_ref().expect("the problem has a location");
    assert_eq!(location.file, std::path::Path::new(file), "{d:?}");
    assert_eq!(location.line, line, "{d:?}");
    let place = format!("{}:{line}:", site.content.join(file).display());
    for lang in [MessageLanguage::Japanese, MessageLanguage::English] {
        let message = site.message(d, lang);
        assert!(message.starts_with(&place), "{message}");
    }
}

#[test]
fn invalid_toml_in_front_matter() {
    let (site, outcome) = build_with(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\ndescription = 相談窓口です\n+++\n\n本文\n",
    );
    let d = only_error(&outcome);
    assert!(
        matches!(
            d.problem,
            Problem::InvalidToml {
                hint: Some(TomlHint::UnquotedText),
                ..
            }
        ),
        "{:?}",
        d.problem
    );
    assert_located(&site, d, "about.ja.md", 3);
    // The message shows the offending line under the location.
    let message = site.message(d, MessageLanguage::Japanese);
    assert!(message.contains("description = 相談窓口です"), "{message}");
}

#[test]
fn unknown_front_matter_key_names_the_closest_allowed_key() {
    let (site, outcome) = build_with(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\ntitel = \"センター\"\n+++\n",
    );
    let d = only_error(&outcome);
    match &d.problem {
        Problem::UnknownKey {
            key,
            allowed,
            closest,
        } => {
            assert_eq!(key, "titel");
            assert_eq!(closest.as_deref(), Some("title"));
            for expected in ["title", "description", "date", "draft", "menu"] {
                assert!(
                    allowed.iter().any(|a| a == expected),
                    "{allowed:?} lacks {expected}"
                );
            }
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_located(&site, d, "about.ja.md", 3);
    let english = site.message(d, MessageLanguage::English);
    assert!(english.contains("\"titel\""), "{english}");
    assert!(english.contains("Did you mean \"title\"?"), "{english}");
    assert!(english.contains("title, description, date"), "{english}");
    let japanese = site.message(d, MessageLanguage::Japanese);
    assert!(japanese.contains("「title」"), "{japanese}");
}

#[test]
fn missing_title() {
    let (site, outcome) = build_with(
        "about.ja.md",
        "+++\ndescription = \"題名のないページ\"\n+++\n\n本文\n",
    );
    let d = only_error(&outcome);
    assert_eq!(d.problem, Problem::MissingTitle);
    assert_located(&site, d, "about.ja.md", 1);
}

#[test]
fn a_date_written_with_slashes_as_text() {
    let (site, outcome) = build_with(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\ndate = \"2026/4/8\"\n+++\n",
    );
    let d = only_error(&outcome);
    assert_eq!(
        d.problem,
        Problem::InvalidDate {
            key: "date".into(),
            value: "2026/4/8".into(),
            suggestion: Some("2026-04-08".into())
        }
    );
    assert_located(&site, d, "about.ja.md", 3);
}

#[test]
fn a_day_that_does_not_exist_as_text() {
    let (site, outcome) = build_with(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\ndate = \"2026-02-30\"\n+++\n",
    );
    let d = only_error(&outcome);
    assert_eq!(
        d.problem,
        Problem::InvalidDate {
            key: "date".into(),
            value: "2026-02-30".into(),
            suggestion: None
        }
    );
    assert_located(&site, d, "about.ja.md", 3);
}

/// Written without quotes, the date is already refused by the TOML reader; the message
/// must still name the date as one that cannot be read, at its value.
#[test]
fn a_day_that_does_not_exist_as_a_toml_date() {
    let (site, outcome) = build_with(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\nupdated = 2026-02-30\n+++\n",
    );
    let d = only_error(&outcome);
    assert_eq!(
        d.problem,
        Problem::InvalidDate {
            key: "updated".into(),
            value: "2026-02-30".into(),
            suggestion: None
        }
    );
    assert_located(&site, d, "about.ja.md", 3);
    assert_eq!(d.location.as_ref().unwrap().column, 11);
}

#[test]
fn two_pages_producing_one_url() {
    let (site, outcome) = build_with("about/_index.ja.md", "+++\ntitle = \"センター\"\n+++\n");
    let [d] = find(&outcome, |p| matches!(p, Problem::DuplicateUrl { .. }))[..] else {
        panic!("expected one DuplicateUrl: {:#?}", outcome.diagnostics);
    };
    let Problem::DuplicateUrl { url, other } = &d.problem else {
        unreachable!()
    };
    assert_eq!(url, "/about/");
    // One of the two files carries the error and the message names the other.
    let here = d.location.as_ref().unwrap().file.clone();
    let pair = [here.to_str().unwrap(), other.to_str().unwrap()];
    assert!(
        pair == ["about.ja.md", "about/_index.ja.md"]
            || pair == ["about/_index.ja.md", "about.ja.md"],
        "{pair:?}"
    );
    assert_located(&site, d, pair[0], 1);
    assert!(site.message(d, MessageLanguage::English).contains(pair[1]));
}

/// Both files exist, so links to either of them are not broken: the one mistake is
/// the clash, and the message about it is the only one the build should give.
#[test]
fn two_pages_producing_one_url_is_the_only_error() {
    // The home page links `@/about.md`, which names about.ja.md.
    let (_site, outcome) = build_with("about/_index.ja.md", "+++\ntitle = \"センター\"\n+++\n");
    let d = only_error(&outcome);
    assert!(
        matches!(d.problem, Problem::DuplicateUrl { .. }),
        "{:?}",
        d.problem
    );
}

/// Each of the clashing files may have other mistakes too; one build should list them.
#[test]
fn links_in_both_pages_producing_one_url_are_checked() {
    let site = Workspace::copy_of("basic");
    site.write(
        "about.ja.md",
        "+++\ntitle = \"センター\"\n+++\n\n[地図](/map/)\n",
    );
    site.write(
        "about/_index.ja.md",
        "+++\ntitle = \"センター\"\n+++\n\n[地図](/chizu/)\n",
    );
    let outcome = site.build();
    let broken: Vec<_> = find(&outcome, |p| matches!(p, Problem::BrokenLink { .. }))
        .into_iter()
        .map(|d| {
            d.location
                .as_ref()
                .unwrap()
                .file
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(broken.contains(&"about.ja.md".to_owned()), "{broken:?}");
    assert!(
        broken.contains(&"about/_index.ja.md".to_owned()),
        "{broken:?}"
    );
}

/// `access.ja.md` with one link on line 5, after three Japanese characters, so the
/// column (4) shows that columns count characters, not bytes.
fn build_with_link(dest: &str) -> (Workspace, yorisoi::Outcome) {
    build_with(
        "access.ja.md",
        &format!("+++\ntitle = \"アクセス\"\n+++\n\n地図は[こちら]({dest})です。\n"),
    )
}

fn assert_broken_link(dest: &str) -> Option<String> {
    let (site, outcome) = build_with_link(dest);
    let d = only_error(&outcome);
    let Problem::BrokenLink { target, suggestion } = &d.problem else {
        panic!("unexpected {:?}", d.problem);
    };
    assert_eq!(target, dest);
    assert_located(&site, d, "access.ja.md", 5);
    assert_eq!(d.location.as_ref().unwrap().column, 4);
    let message = site.message(d, MessageLanguage::Japanese);
    assert!(message.contains("access.ja.md:5:4:"), "{message}");
    assert!(message.contains(dest), "{message}");
    suggestion.clone()
}

#[test]
fn a_root_relative_link_to_a_missing_page() {
    // A near miss of an existing page is answered with that page.
    assert_eq!(assert_broken_link("/acces/").as_deref(), Some("/access/"));
}

#[test]
fn a_relative_link_to_a_missing_page() {
    assert_broken_link("../map/");
}

#[test]
fn a_source_link_to_a_missing_page() {
    assert_broken_link("@/missing.ja.md");
}

#[test]
fn a_source_link_without_language_to_a_page_missing_in_that_language() {
    // services/visit exists only in Japanese, so from an English page it is missing.
    let (site, outcome) = build_with(
        "access.en.md",
        "+++\ntitle = \"Access\"\n+++\n\nSee [visits](@/services/visit.md).\n",
    );
    let d = only_error(&outcome);
    assert!(
        matches!(&d.problem, Problem::BrokenLink { target, .. } if target == "@/services/visit.md")
    );
    assert_located(&site, d, "access.en.md", 5);
}

/// An address no browser can read (a space in the host) leads nowhere, in a data file
/// as in a page; it used to be published as a link.
#[test]
fn a_source_address_a_browser_cannot_read() {
    let (site, outcome) = build_with(
        "sources.toml",
        "[[source]]\nid = \"leaflet-2026\"\ntitle.ja = \"リーフレット\"\nurl = \"https://exa mple.jp/\"\npublished = 2026-04-01\n",
    );
    let d = only_error(&outcome);
    assert!(
        matches!(&d.problem, Problem::BrokenLink { target, .. } if target == "https://exa mple.jp/"),
        "{d:?}"
    );
    assert_located(&site, d, "sources.toml", 4);
}

#[test]
fn a_link_to_a_missing_file() {
    assert_broken_link("/files/nothing.pdf");
}

#[test]
fn a_language_not_declared_in_site_toml() {
    let (site, outcome) = build_with("about.fr.md", "+++\ntitle = \"À propos\"\n+++\n");
    let d = only_error(&outcome);
    match &d.problem {
        Problem::UnknownLanguage { lang, declared } => {
            assert_eq!(lang, "fr");
            assert_eq!(declared, &["ja", "en"]);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_located(&site, d, "about.fr.md", 1);
    let english = site.message(d, MessageLanguage::English);
    assert!(
        english.contains("\"fr\"") && english.contains("ja, en"),
        "{english}"
    );
}

#[test]
fn every_problem_of_a_build_is_reported_at_once() {
    let site = Workspace::copy_of("basic");
    site.write(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\ntitel = \"x\"\n+++\n",
    );
    site.write(
        "access.en.md",
        "+++\ntitle = \"Access\"\n+++\n\n[Map](/en/map/)\n",
    );
    let outcome = site.build();
    assert!(!outcome.written);
    let found: Vec<_> = errors(&outcome)
        .into_iter()
        .map(|d| {
            let at = d.location.as_ref().unwrap();
            (at.file.to_str().unwrap().to_owned(), at.line)
        })
        .collect();
    // In file order, whatever order the files were parsed in.
    assert_eq!(
        found,
        [
            ("about.ja.md".to_owned(), 3),
            ("access.en.md".to_owned(), 5)
        ]
    );
    assert!(matches!(
        errors(&outcome)[0].problem,
        Problem::UnknownKey { .. }
    ));
    assert!(matches!(
        errors(&outcome)[1].problem,
        Problem::BrokenLink { .. }
    ));
}

/// A page whose front matter is broken still exists: links to it are not broken and its
/// translation is not missing, so its one mistake gives one message.
#[test]
fn a_page_that_fails_to_parse_causes_no_further_reports() {
    let site = Workspace::copy_of("basic");
    // The home page links @/about.md; about.en.md is its translation.
    site.write("about.ja.md", "+++\ntitle = センターについて\n+++\n");
    let outcome = site.build();
    assert_no_follow_on_reports(&outcome, |p| matches!(p, Problem::InvalidToml { .. }));
}

/// ...while its own links are still checked, so one build lists every problem.
#[test]
fn links_in_a_page_that_fails_to_parse_are_still_checked() {
    let (site, outcome) = build_with(
        "about.ja.md",
        "+++\ntitle = センターについて\n+++\n\n[地図](/map/)\n",
    );
    let found = errors(&outcome);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(matches!(found[0].problem, Problem::InvalidToml { .. }));
    assert!(matches!(&found[1].problem, Problem::BrokenLink { target, .. } if target == "/map/"));
    assert_located(&site, found[1], "about.ja.md", 5);
}

#[test]
fn check_finds_the_same_problems_as_build_without_writing() {
    let site = Workspace::copy_of("basic");
    site.write("about.ja.md", "+++\ndescription = \"x\"\n+++\n");
    let checked = site.check();
    assert!(!site.output.exists(), "check must not write");
    let built = site.build();
    // Everything a build finds, and beyond it only what `check` alone looks for.
    for d in &built.diagnostics {
        assert!(checked.diagnostics.contains(d), "{d:?}");
    }
    for d in &checked.diagnostics {
        assert!(
            built.diagnostics.contains(d)
                || matches!(d.problem, Problem::PlaceholderBaseUrl { .. }),
            "{d:?}"
        );
    }
    assert!(!checked.written);
}
