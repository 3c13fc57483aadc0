//! The accessibility test-results page (試験結果) as one language reads it: every item of
//! the format Japanese public bodies publish under JIS X 8341-3:2016, built from the
//! audit's record and people's judgements (`data::accessibility`), never typed.
//!
//! The conformance wording and each criterion's result come from
//! [`AccessibilityTest::outcome`]; this module only words them, with the interface texts
//! of the theme, and links every check named as the basis of a result to its row.

use serde::Serialize;

use crate::address::SiteAddress;
use crate::data::accessibility::{
    AccessibilityTest, Check, Conformance, Decision, OnPass, TestedPage, Verdict,
};
use crate::dates;
use crate::locale::Locale;
use crate::localized::Shown;
use crate::theme::Strings;
use crate::wcag::{self, Criterion};

pub const STANDARD: &str = "JIS X 8341-3:2016";
/// The level the site aims at, as its accessibility policy says.
pub const TARGET: &str = "AA";

#[derive(Debug, Serialize)]
pub struct TestResultsView {
    pub standard: &'static str,
    pub target: &'static str,
    /// `conforms`, `partly` or `considered`, for styling.
    pub level_kind: &'static str,
    /// 「JIS X 8341-3:2016 のレベルAAに一部準拠」.
    pub level: String,
    /// What keeps the level where it is, one sentence each.
    pub level_reasons: Vec<String>,
    /// The day of the test, in words and for `<time>`.
    pub tested: Option<(String, String)>,
    pub tested_by: Option<Shown>,
    pub tools: Vec<String>,
    pub technologies: Vec<String>,
    pub site_url: String,
    pub selection: String,
    pub criteria: Vec<CriterionView>,
    pub pages: Vec<TestedPageView>,
    pub checks: Vec<CheckView>,
}

#[derive(Debug, Serialize)]
pub struct CriterionView {
    pub number: &'static str,
    pub name: &'static str,
    pub level: &'static str,
    pub applies: String,
    pub result: String,
    /// `met`, `not-met`, `not-applicable` or `undecided`, for styling.
    pub result_kind: &'static str,
    /// Why, in words, with the checks named linked to their rows.
    pub basis: String,
    pub basis_checks: Vec<CheckLink>,
    pub note: Option<Shown>,
}

#[derive(Debug, Serialize)]
pub struct CheckLink {
    pub id: String,
    pub anchor: String,
}

#[derive(Debug, Serialize)]
pub struct TestedPageView {
    pub url: String,
    pub href: String,
    pub chosen: bool,
    /// 「不合格の自動チェック：2件」, when any failed.
    pub failed_note: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CheckView {
    pub id: String,
    pub anchor: String,
    pub name: Shown,
    pub criteria: String,
    pub passed: usize,
    pub failed: usize,
    pub review: usize,
}

/// The page's data in `lang`.
pub fn view(
    test: &AccessibilityTest,
    address: &SiteAddress,
    lang: &str,
    default: &str,
    t: &Strings,
    locale: &Locale,
) -> TestResultsView {
    let words = Words { t };
    let outcome = test.outcome();
    let japanese = lang.split('-').next() == Some("ja");
    let name_of = |c: &Criterion| if japanese { c.ja } else { c.en };
    let list_of = |numbers: &[&str]| -> String {
        numbers
            .iter()
            .filter_map(|n| wcag::criterion(n))
            .map(|c| format!("{} {}", c.number, name_of(c)))
            .collect::<Vec<_>>()
            .join(words.get("results_list_separator"))
    };
    let (level_kind, level_key, mut level_reasons) = match &outcome.level {
        Conformance::Conforms => ("conforms", "results_level_conforms", Vec::new()),
        Conformance::PartlyConforms { unmet } => (
            "partly",
            "results_level_partly",
            vec![words.fill("results_unmet", &[("list", &list_of(unmet))])],
        ),
        Conformance::Considered {
            untested,
            short_sample,
            undecided,
            unmet,
        } => {
            let mut reasons = Vec::new();
            if *untested {
                reasons.push(words.get("results_untested").to_owned());
            }
            if *short_sample {
                reasons.push(words.get("results_short_sample").to_owned());
            }
            if !unmet.is_empty() {
                reasons.push(words.fill("results_unmet", &[("list", &list_of(unmet))]));
            }
            if !undecided.is_empty() {
                reasons.push(words.fill(
                    "results_undecided",
                    &[
                        ("count", &undecided.len().to_string()),
                        ("list", &list_of(undecided)),
                    ],
                ));
            }
            ("considered", "results_level_considered", reasons)
        }
    };
    level_reasons.retain(|r| !r.is_empty());
    let level = words.fill(level_key, &[("standard", STANDARD), ("target", TARGET)]);
    let results = test.results.as_ref();
    // Without a record there are no checks and no pages; only people may have judged.
    let (checks, pages): (&[Check], &[TestedPage]) =
        results.map_or((&[], &[]), |r| (&r.checks, &r.pages));
    let anchor = |id: &str| -> String {
        let slug: String = id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        format!("check-{slug}")
    };
    let link = |i: usize| CheckLink {
        id: checks[i].id.clone(),
        anchor: anchor(&checks[i].id),
    };
    let day = |date: chrono::NaiveDate| dates::day_or_month(date, true, locale.date_style);
    let criteria = outcome
        .criteria
        .iter()
        .map(|o| {
            let (result_kind, result_key) = match o.verdict {
                Some(Verdict::Met) => ("met", "results_met"),
                Some(Verdict::NotMet) => ("not-met", "results_not_met"),
                Some(Verdict::NotApplicable) => ("not-applicable", "results_not_applicable"),
                None => ("undecided", "results_undecided_mark"),
            };
            let applies_key = match o.verdict {
                Some(Verdict::NotApplicable) => "results_applies_no",
                None => "results_undecided_mark",
                _ => "results_applies_yes",
            };
            let mut note = None;
            let (basis, basis_checks) = match &o.decided_by {
                Decision::Failed { checks, pages } => (
                    words.fill(
                        "results_basis_failed",
                        &[("pages", &pages.len().to_string())],
                    ),
                    checks.iter().map(|&i| link(i)).collect(),
                ),
                Decision::Person(i) => {
                    let j = &test.judgements[*i];
                    note = j.note.as_ref().map(|n| n.shown(lang, default));
                    let by = j.by.shown(lang, default);
                    (
                        words.fill(
                            "results_basis_person",
                            &[("by", &by.text), ("date", &day(j.date))],
                        ),
                        o.checks
                            .iter()
                            .filter(|&&c| pages.iter().all(|p| !p.failed.contains(&c)))
                            .map(|&c| link(c))
                            .collect(),
                    )
                }
                Decision::Machine(i) => (
                    words
                        .get(match checks[*i].on_pass {
                            OnPass::NotApplicable => "results_basis_absent",
                            _ => "results_basis_machine",
                        })
                        .to_owned(),
                    vec![link(*i)],
                ),
                Decision::Undecided => (
                    words
                        .get(if o.checks.is_empty() {
                            "results_basis_undecided"
                        } else {
                            "results_basis_undecided_evidence"
                        })
                        .to_owned(),
                    o.checks.iter().map(|&c| link(c)).collect(),
                ),
            };
            CriterionView {
                number: o.criterion.number,
                name: name_of(o.criterion),
                level: o.criterion.level.as_str(),
                applies: words.get(applies_key).to_owned(),
                result: words.get(result_key).to_owned(),
                result_kind,
                basis,
                basis_checks,
                note,
            }
        })
        .collect();
    let sample = outcome.sample;
    let total = pages.len();
    let selection = if results.is_none() {
        String::new()
    } else if sample.site_pages <= total {
        words.fill("results_selection_all", &[("site", &total.to_string())])
    } else {
        words.fill(
            "results_selection_sample",
            &[
                ("site", &sample.site_pages.to_string()),
                ("chosen", &sample.chosen.to_string()),
                ("random", &sample.random.to_string()),
                ("total", &total.to_string()),
                (
                    "seed",
                    &results
                        .and_then(|r| r.seed)
                        .map_or_else(String::new, |s| s.to_string()),
                ),
            ],
        )
    };
    let count = |i: usize, pick: fn(&TestedPage) -> &Vec<usize>| {
        pages.iter().filter(|p| pick(p).contains(&i)).count()
    };
    TestResultsView {
        standard: STANDARD,
        target: TARGET,
        level_kind,
        level,
        level_reasons,
        tested: results.map(|r| (day(r.tested), r.tested.format("%Y-%m-%d").to_string())),
        tested_by: test.tested_by.as_ref().map(|b| b.shown(lang, default)),
        tools: results.map(|r| r.tools.clone()).unwrap_or_default(),
        technologies: results.map(|r| r.technologies.clone()).unwrap_or_default(),
        site_url: address.base_url().to_owned(),
        selection,
        criteria,
        pages: pages
            .iter()
            .map(|p| TestedPageView {
                url: address.permalink(&p.path),
                href: address.href(&p.path),
                chosen: p.chosen,
                failed_note: (!p.failed.is_empty()).then(|| {
                    words.fill(
                        "results_page_failed",
                        &[("count", &p.failed.len().to_string())],
                    )
                }),
            })
            .collect(),
        checks: checks
            .iter()
            .enumerate()
            .map(|(i, c)| CheckView {
                id: c.id.clone(),
                anchor: anchor(&c.id),
                name: c.name.shown(lang, default),
                criteria: c.criteria.join(", "),
                passed: count(i, |p| &p.passed),
                failed: count(i, |p| &p.failed),
                review: count(i, |p| &p.review),
            })
            .collect(),
    }
}

/// The theme's interface texts for this page, with `{name}` filled in.
struct Words<'a> {
    t: &'a Strings,
}

impl Words<'_> {
    fn get(&self, key: &str) -> &str {
        self.t.get(key).map_or("", String::as_str)
    }

    fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        crate::theme::fill_in(self.get(key), values)
    }
}
