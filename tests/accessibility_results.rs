//! The accessibility test-results page (試験結果): built from the audit's record and
//! people's judgements, it declares no conformance the results do not support, and the
//! record's and judgements' mistakes are found at their lines.

mod common;

use common::{Workspace, attr, list_files, select};
use scraper::Html;
use yorisoi::diagnostics::{Diagnostic, Problem, Severity};
use yorisoi::report::MessageLanguage;
use yorisoi::wcag::CRITERIA;

/// The criteria the record's own checks decide when they pass everywhere: the media
/// criteria (no audio or video) and 4.1.1 (the Nu HTML Checker).
const DECIDED_BY_MACHINE: [&str; 7] = [
    "1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5", "1.4.2", "4.1.1",
];

const CHECKS: &str = r#"
[[check]]
id = "axe:image-alt"
criteria = ["1.1.1"]
name.ja = "画像には代替テキストがなければなりません"
name.en = "Images must have alternative text"

[[check]]
id = "keyboard:focus-visible"
criteria = ["2.4.7"]
name.ja = "フォーカスが見える"
name.en = "Focus is visible"

[[check]]
id = "media:none"
criteria = ["1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5", "1.4.2"]
on_pass = "not-applicable"
name.ja = "音声・映像がない"
name.en = "No audio or video"

[[check]]
id = "vnu:html"
criteria = ["4.1.1"]
on_pass = "met"
name.ja = "HTML の構文エラーがない"
name.en = "No HTML error"
"#;

const ALL_CHECKS: [&str; 4] = [
    "axe:image-alt",
    "keyboard:focus-visible",
    "media:none",
    "vnu:html",
];

/// The basic fixture with the results page in both languages.
fn site() -> Workspace {
    let site = Workspace::copy_of("basic");
    site.write(
        "accessibility-results.ja.md",
        "+++\ntitle = \"試験結果\"\ntemplate = \"accessibility-results.html\"\n+++\n\n試験の結果です。\n",
    );
    site.write(
        "accessibility-results.en.md",
        "+++\ntitle = \"Test results\"\ntemplate = \"accessibility-results.html\"\n+++\n\nThe results.\n",
    );
    site
}

/// Every page the site builds, as the audit names them: `/about/`, `/404.html`.
fn page_paths(site: &Workspace) -> Vec<String> {
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    list_files(&site.output)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| match f.strip_suffix("index.html") {
            Some(folder) => format!("/{folder}"),
            None => format!("/{f}"),
        })
        .collect()
}

/// The results page's site with every page recorded as tested (passing every check but
/// those `failed` gives, by page index) and these judgements: the site and its pages.
fn tested(failed: &[(usize, &str)], judged: String) -> (Workspace, Vec<String>) {
    let site = site();
    let pages = page_paths(&site);
    let failed: Vec<(&str, &str)> = failed
        .iter()
        .map(|(i, check)| (pages[*i].as_str(), *check))
        .collect();
    site.write(
        "accessibility-results.toml",
        record(pages.len(), &pages, &failed),
    );
    site.write("accessibility-judgements.toml", judged);
    (site, pages)
}

/// A record of `pages`, each passing every check but those `failed` gives it.
fn record(site_pages: usize, pages: &[String], failed: &[(&str, &str)]) -> String {
    let mut toml = format!(
        "tested = 2026-12-01\nsite_pages = {site_pages}\nseed = 20261201\ntools = [\"axe-core 4.14.1\"]\ntechnologies = [\"HTML\", \"CSS\"]\n{CHECKS}"
    );
    for (i, path) in pages.iter().enumerate() {
        let fails: Vec<&str> = failed
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, c)| *c)
            .collect();
        let quoted = |ids: Vec<&str>| {
            ids.iter()
                .map(|id| format!("\"{id}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let passes = ALL_CHECKS
            .iter()
            .copied()
            .filter(|c| !fails.contains(c))
            .collect();
        toml.push_str(&format!(
            "\n[[page]]\npath = \"{path}\"\nchosen = {}\npassed = [{}]\nfailed = [{}]\nreview = []\n",
            i % 2 == 0,
            quoted(passes),
            quoted(fails)
        ));
    }
    toml
}

/// People's judgements: every criterion the machine does not decide, met, but those
/// left out of `skip`, with `verdicts` where given.
fn judgements(skip: &[&str], verdicts: &[(&str, &str)]) -> String {
    let mut toml = String::from("tested_by = { ja = \"センター職員\", en = \"Centre staff\" }\n");
    for c in CRITERIA
        .iter()
        .filter(|c| !DECIDED_BY_MACHINE.contains(&c.number))
    {
        if skip.contains(&c.number) {
            continue;
        }
        let verdict = verdicts
            .iter()
            .find(|(n, _)| *n == c.number)
            .map_or("met", |(_, v)| v);
        toml.push_str(&format!(
            "\n[[judgement]]\ncriterion = \"{}\"\nresult = \"{verdict}\"\nby = \"センター職員\"\ndate = 2026-12-02\n",
            c.number
        ));
    }
    toml
}

fn page(site: &Workspace, rel: &str) -> Html {
    Html::parse_document(
        &std::fs::read_to_string(site.output.join(rel)).expect("the results page is built"),
    )
}

fn text_of(doc: &Html, css: &str) -> Vec<String> {
    select(doc, css)
        .into_iter()
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

fn located(outcome: &yorisoi::Outcome, wanted: impl Fn(&Problem) -> bool) -> Vec<(String, usize)> {
    outcome
        .diagnostics
        .iter()
        .filter(|d| wanted(&d.problem))
        .map(|d: &Diagnostic| {
            let at = d.location.as_ref().expect("located");
            (at.file.display().to_string(), at.line)
        })
        .collect()
}

#[test]
fn every_criterion_decided_and_met_on_every_page_conforms_in_both_languages() {
    let (site, pages) = tested(&[], judgements(&[], &[]));
    let outcome = site.check();
    let about_the_test: Vec<&Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| {
            d.location
                .as_ref()
                .is_some_and(|at| at.file.starts_with("accessibility"))
        })
        .collect();
    assert!(about_the_test.is_empty(), "{about_the_test:#?}");
    let outcome = site.build();
    assert!(outcome.written);

    let ja = page(&site, "accessibility-results/index.html");
    assert_eq!(
        text_of(&ja, ".results-level"),
        ["JIS X 8341-3:2016 のレベルAAに準拠"]
    );
    assert!(select(&ja, ".results-reasons").is_empty());
    let rows = select(&ja, "#results-criteria tbody tr");
    assert_eq!(rows.len(), 38);
    let numbers: Vec<String> = text_of(&ja, "#results-criteria tbody th");
    assert_eq!(
        numbers,
        CRITERIA.iter().map(|c| c.number).collect::<Vec<_>>()
    );
    // The machine decided the media criteria (no audio or video) and 4.1.1.
    let results: Vec<String> = text_of(&ja, "#results-criteria tbody td:nth-of-type(4)");
    for (c, result) in CRITERIA.iter().zip(&results) {
        let expected = if c.number.starts_with("1.2.") || c.number == "1.4.2" {
            "適用なし"
        } else {
            "適合"
        };
        assert_eq!(result, expected, "{}", c.number);
    }
    // Every tested page is listed, linked to where it is.
    let listed: Vec<String> = select(&ja, ".results-pages a")
        .into_iter()
        .map(|a| attr(a, "href").to_owned())
        .collect();
    assert_eq!(listed.len(), pages.len());
    for href in &listed {
        let rel = href.trim_start_matches("/support/");
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_owned()
        };
        assert!(site.output.join(&file).is_file(), "{href}");
    }
    assert!(
        text_of(&ja, ".results-facts dd")
            .iter()
            .any(|t| t == "センター職員")
    );

    let en = page(&site, "en/accessibility-results/index.html");
    assert_eq!(
        text_of(&en, ".results-level"),
        ["Conforms to JIS X 8341-3:2016 level AA"]
    );
    assert_eq!(select(&en, "#results-criteria tbody tr").len(), 38);
}

#[test]
fn a_failed_check_makes_its_criterion_not_met_whatever_a_person_judged() {
    let (site, pages) = tested(&[(1, "axe:image-alt")], judgements(&[], &[]));
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    // The person's "met" is contradicted, at the judgement's line.
    let text = std::fs::read_to_string(site.content.join("accessibility-judgements.toml"))
        .expect("judgements");
    let line = text
        .lines()
        .position(|l| l == "criterion = \"1.1.1\"")
        .expect("1.1.1 is judged")
        + 1;
    assert_eq!(
        located(&outcome, |p| matches!(
            p,
            Problem::JudgementContradicted { .. }
        )),
        [("accessibility-judgements.toml".to_owned(), line)]
    );
    let warning = outcome
        .diagnostics
        .iter()
        .find(|d| matches!(d.problem, Problem::JudgementContradicted { .. }))
        .expect("warned");
    assert_eq!(warning.severity, Severity::Warning);
    assert!(
        site.message(warning, MessageLanguage::Japanese)
            .contains("axe:image-alt")
    );
    assert!(
        site.message(warning, MessageLanguage::English)
            .contains("axe:image-alt")
    );

    let ja = page(&site, "accessibility-results/index.html");
    assert_eq!(
        text_of(&ja, ".results-level"),
        ["JIS X 8341-3:2016 のレベルAAに一部準拠"]
    );
    let reasons = text_of(&ja, ".results-reasons li");
    assert_eq!(
        reasons,
        ["満たしていない達成基準があります：1.1.1 非テキストコンテンツ"]
    );
    let first = select(&ja, "#results-criteria tbody tr")[0];
    let cells: Vec<String> = first
        .select(&common::selector("td"))
        .map(|td| td.text().collect::<String>())
        .collect();
    assert_eq!(cells[3], "不適合");
    assert!(
        cells[4].starts_with("自動チェックで不合格（1ページ）"),
        "{}",
        cells[4]
    );
    let basis = first
        .select(&common::selector("a"))
        .map(|a| attr(a, "href").to_owned())
        .collect::<Vec<_>>();
    assert_eq!(basis, ["#check-axe-image-alt"]);
    // The check's row exists, with its counts.
    let row = text_of(&ja, "#check-axe-image-alt td");
    assert_eq!(
        row[2..],
        [
            format!("{}", pages.len() - 1),
            "1".to_owned(),
            "0".to_owned()
        ]
    );
}

#[test]
fn a_criterion_nobody_judged_or_too_few_pages_keep_the_level_at_consideration() {
    let (site, pages) = tested(&[], judgements(&["3.3.4", "1.4.1"], &[]));
    site.build();
    let ja = page(&site, "accessibility-results/index.html");
    assert_eq!(
        text_of(&ja, ".results-level"),
        ["JIS X 8341-3:2016 のレベルAAに配慮"]
    );
    let reasons = text_of(&ja, ".results-reasons li");
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(reasons[0].starts_with("2項目の達成基準は、まだ判定されていません"));
    assert!(reasons[0].ends_with("1.4.1 色の使用、3.3.4 エラー回避（法的、金融及びデータ）"));

    // A site of 60 pages, of which these few were tested: not the sample the guideline
    // asks for, however good the results.
    site.write("accessibility-results.toml", record(60, &pages, &[]));
    site.write("accessibility-judgements.toml", judgements(&[], &[]));
    site.build();
    let en = page(&site, "en/accessibility-results/index.html");
    assert_eq!(
        text_of(&en, ".results-level"),
        ["Designed with JIS X 8341-3:2016 level AA in mind (not yet shown to conform)"]
    );
    let reasons = text_of(&en, ".results-reasons li");
    assert_eq!(reasons.len(), 1);
    assert!(reasons[0].starts_with("Fewer pages were tested"));
}

#[test]
fn a_person_judging_a_criterion_not_met_gives_partial_conformance() {
    let (site, _) = tested(
        &[],
        judgements(&[], &[("1.4.3", "not-met"), ("3.3.4", "not-applicable")]),
    );
    site.build();
    let en = page(&site, "en/accessibility-results/index.html");
    assert_eq!(
        text_of(&en, ".results-level"),
        ["Partially conforms to JIS X 8341-3:2016 level AA"]
    );
    assert_eq!(
        text_of(&en, ".results-reasons li"),
        ["These success criteria are not met: 1.4.3 Contrast (Minimum)"]
    );
}

#[test]
fn without_a_record_the_page_says_so_and_declares_consideration_only() {
    let site = site();
    site.build();
    let ja = page(&site, "accessibility-results/index.html");
    assert_eq!(
        text_of(&ja, ".results-level"),
        ["JIS X 8341-3:2016 のレベルAAに配慮"]
    );
    assert_eq!(
        text_of(&ja, ".results-reasons li"),
        ["試験の記録がありません。"]
    );
    assert!(select(&ja, ".results-pages").is_empty());
}

#[test]
fn a_tested_page_the_site_no_longer_has_is_found_at_its_line() {
    let site = site();
    let mut pages = page_paths(&site);
    pages.push("/no-such-page/".to_owned());
    site.write(
        "accessibility-results.toml",
        record(pages.len(), &pages, &[]),
    );
    let outcome = site.check();
    let text =
        std::fs::read_to_string(site.content.join("accessibility-results.toml")).expect("record");
    let line = text
        .lines()
        .position(|l| l == "path = \"/no-such-page/\"")
        .expect("listed")
        + 1;
    assert_eq!(
        located(&outcome, |p| matches!(p, Problem::TestedPageGone { .. })),
        [("accessibility-results.toml".to_owned(), line)]
    );
    assert!(
        outcome
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Warning
                && matches!(d.problem, Problem::TestedPageGone { .. }))
    );
}

#[test]
fn mistakes_in_the_record_and_the_judgements_are_found_at_their_lines_in_both_languages() {
    let site = site();
    site.write(
        "accessibility-results.toml",
        format!(
            "tested = 2026-12-01\nsite_pages = 1\n{CHECKS}\n[[page]]\npath = \"/\"\npassed = [\"axe:no-such-rule\"]\n"
        ),
    );
    site.write(
        "accessibility-judgements.toml",
        "[[judgement]]\ncriterion = \"9.9.9\"\nresult = \"met\"\nby = \"職員\"\ndate = 2026-12-02\n\n\
         [[judgement]]\ncriterion = \"1.4.3\"\nresult = \"passed\"\nby = \"職員\"\ndate = 2026-12-02\n\n\
         [[judgement]]\ncriterion = \"2.4.7\"\nresult = \"met\"\nby = \"職員\"\ndate = 2026-12-02\n\n\
         [[judgement]]\ncriterion = \"2.4.7\"\nresult = \"not-met\"\nby = \"職員\"\ndate = 2026-12-03\n",
    );
    let outcome = site.build();
    assert!(!outcome.written);
    let mut found: Vec<(String, usize, &str)> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let at = d.location.as_ref().expect("located");
            let kind = match &d.problem {
                Problem::UnknownCheck { .. } => "unknown check",
                Problem::UnknownCriterion { .. } => "unknown criterion",
                Problem::NotOneOf { .. } => "not one of",
                Problem::DuplicateJudgement { .. } => "duplicate",
                _ => "other",
            };
            (at.file.display().to_string(), at.line, kind)
        })
        .collect();
    found.sort();
    let record_line = CHECKS.lines().count() + 6;
    assert_eq!(
        found,
        [
            (
                "accessibility-judgements.toml".to_owned(),
                2,
                "unknown criterion"
            ),
            ("accessibility-judgements.toml".to_owned(), 9, "not one of"),
            ("accessibility-judgements.toml".to_owned(), 20, "duplicate"),
            (
                "accessibility-results.toml".to_owned(),
                record_line,
                "unknown check"
            ),
        ]
    );
    for d in outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
    {
        let ja = site.message(d, MessageLanguage::Japanese);
        let en = site.message(d, MessageLanguage::English);
        assert!(
            !ja.contains("unknown variant") && !en.is_empty(),
            "{ja}\n{en}"
        );
    }
}
