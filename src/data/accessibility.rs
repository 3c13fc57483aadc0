//! `content/accessibility-results.toml` (what the browser audit recorded, written by
//! `tests/browser/audit.mjs --record`) and `content/accessibility-judgements.toml` (what
//! people judged that no machine check can), and what the two support under
//! JIS X 8341-3:2016: each success criterion's result with what decided it, and the
//! conformance wording (準拠, 一部準拠 or 配慮) computed from them, never written by hand.
//!
//! A machine check that failed on a tested page decides its criteria as not met, whatever
//! a person wrote; a person's judgement decides the rest; a check the audit marks as
//! enough on its own (`on_pass`) decides a criterion only when it passed on every tested
//! page. A criterion nothing decided is 未判定, and keeps the level at 配慮.

use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::IgnoredAny;
use toml::Spanned;

use super::DateValue;
use super::reader::FileReader;
use crate::diagnostics::{Diagnostic, Problem};
use crate::localized::{Localized, LocalizedSource};
use crate::wcag::{self, Criterion};

pub const RESULTS_FILE: &str = "accessibility-results.toml";
pub const JUDGEMENTS_FILE: &str = "accessibility-judgements.toml";

/// A site of more pages than this is tested on a sample (みんなの公共サイト運用ガイドライン):
/// at least [`RANDOM_PAGES`] chosen at random and [`CHOSEN_PAGES`] chosen as representative.
pub const ALL_PAGES_UP_TO: usize = 40;
pub const RANDOM_PAGES: usize = 25;
pub const CHOSEN_PAGES: usize = 15;

/// Everything recorded about the site's accessibility test.
#[derive(Debug, Clone, Default)]
pub struct AccessibilityTest {
    /// The browser audit's record; `None` when the site has none.
    pub results: Option<TestResults>,
    pub judgements: Vec<Judgement>,
    /// Who tested (試験実施者), as the judgements file names them.
    pub tested_by: Option<Localized>,
}

#[derive(Debug, Clone)]
pub struct TestResults {
    /// The day of the audit, in Japan time.
    pub tested: NaiveDate,
    /// How many pages the site had when it was tested.
    pub site_pages: usize,
    /// The seed of the random sample, so that anyone can draw it again.
    pub seed: Option<u64>,
    /// The browser, the checkers and their versions.
    pub tools: Vec<String>,
    /// The web technologies the tested pages relied on (HTML, CSS, …).
    pub technologies: Vec<String>,
    pub checks: Vec<Check>,
    pub pages: Vec<TestedPage>,
}

/// One check the audit ran, and the success criteria it bears on.
#[derive(Debug, Clone)]
pub struct Check {
    pub id: String,
    pub name: Localized,
    /// Success criteria numbers (`1.1.1`), of any WCAG version.
    pub criteria: Vec<String>,
    pub on_pass: OnPass,
}

/// What passing a check on every tested page says about its criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnPass {
    /// Evidence a person weighs; it decides nothing alone.
    Evidence,
    /// The criteria are met (the Nu HTML Checker for 4.1.1).
    Met,
    /// The criteria do not apply (no audio or video anywhere).
    NotApplicable,
}

/// One tested page and the checks it passed, failed, or left to a person.
#[derive(Debug, Clone)]
pub struct TestedPage {
    /// Below the site root: `/en/about/`, `/404.html`.
    pub path: String,
    /// Chosen as representative, rather than drawn at random.
    pub chosen: bool,
    /// Indexes into [`TestResults::checks`].
    pub passed: Vec<usize>,
    pub failed: Vec<usize>,
    pub review: Vec<usize>,
    /// The warning, at its line, if the site no longer has the page.
    pub if_gone: Diagnostic,
}

/// A person's judgement of one criterion.
#[derive(Debug, Clone)]
pub struct Judgement {
    pub criterion: &'static Criterion,
    pub verdict: Verdict,
    pub by: Localized,
    pub date: NaiveDate,
    pub note: Option<Localized>,
    /// The warning, at its line, if a machine check failed on the criterion.
    pub if_contradicted: Diagnostic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Met,
    NotMet,
    NotApplicable,
}

/// What the test supports, criterion by criterion and as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub criteria: Vec<CriterionOutcome>,
    pub level: Conformance,
    pub sample: Sample,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionOutcome {
    pub criterion: &'static Criterion,
    /// `None`: nobody and nothing has decided it (未判定).
    pub verdict: Option<Verdict>,
    pub decided_by: Decision,
    /// The checks bearing on the criterion that ran, by index.
    pub checks: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// These checks failed on these pages (indexes).
    Failed {
        checks: Vec<usize>,
        pages: Vec<usize>,
    },
    /// The judgement of this index.
    Person(usize),
    /// This check passed on every tested page, and is enough on its own.
    Machine(usize),
    Undecided,
}

/// How the tested pages were chosen, against what the guideline asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    pub chosen: usize,
    pub random: usize,
    pub site_pages: usize,
    /// Every page, for a site of up to 40; else at least 25 random and 15 chosen.
    pub enough: bool,
}

/// The conformance wording of WAIC's 対応度表記ガイドライン, computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conformance {
    /// 準拠: every criterion decided, each met or not applicable, on a sample the
    /// guideline accepts.
    Conforms,
    /// 一部準拠: every criterion decided on such a sample, these not met.
    PartlyConforms { unmet: Vec<&'static str> },
    /// 配慮: the test is not complete (or there is none).
    Considered {
        untested: bool,
        short_sample: bool,
        undecided: Vec<&'static str>,
        unmet: Vec<&'static str>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResultsHead {
    tested: Spanned<DateValue>,
    site_pages: usize,
    seed: Option<u64>,
    #[serde(default)]
    tools: Vec<String>,
    #[serde(default)]
    technologies: Vec<String>,
    // Read entry by entry below, so that a mistake in one is reported with its entry.
    #[serde(default)]
    #[serde(rename = "check")]
    _check: IgnoredAny,
    #[serde(default)]
    #[serde(rename = "page")]
    _page: IgnoredAny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckEntry {
    id: Spanned<String>,
    name: Spanned<std::collections::BTreeMap<String, String>>,
    #[serde(default)]
    criteria: Vec<Spanned<String>>,
    on_pass: Option<OnPass>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageEntry {
    path: Spanned<String>,
    #[serde(default)]
    chosen: bool,
    #[serde(default)]
    passed: Vec<Spanned<String>>,
    #[serde(default)]
    failed: Vec<Spanned<String>>,
    #[serde(default)]
    review: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JudgementsHead {
    tested_by: Option<Spanned<LocalizedSource>>,
    #[serde(default)]
    #[serde(rename = "judgement")]
    _judgement: IgnoredAny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JudgementEntry {
    criterion: Spanned<String>,
    result: Verdict,
    by: Spanned<LocalizedSource>,
    date: Spanned<DateValue>,
    note: Option<Spanned<LocalizedSource>>,
}

/// Reads the audit's record.
pub(super) fn read_results(reader: &mut FileReader, languages: &[String]) -> Option<TestResults> {
    let document = reader.document(&[
        "tested",
        "site_pages",
        "seed",
        "tools",
        "technologies",
        "check",
        "page",
    ])?;
    let head = match document.read::<ResultsHead>() {
        Ok(head) => head,
        Err(problem) => {
            reader.problems.push(problem);
            return None;
        }
    };
    let tested = reader.day("tested", head.tested)?;
    let mut checks: Vec<Check> = Vec::new();
    for read in reader.entries::<CheckEntry>(&document, "check") {
        let Some(entry) = read.value else { continue };
        reader.enter(read.entry);
        if checks.iter().any(|c| c.id == *entry.id.get_ref()) {
            reader.error(
                entry.id.span(),
                Problem::DuplicateId {
                    id: entry.id.get_ref().clone(),
                },
            );
            continue;
        }
        let mut criteria = Vec::new();
        for number in entry.criteria {
            if wcag::is_criterion_number(number.get_ref()) {
                criteria.push(number.into_inner());
            } else {
                reader.error(
                    number.span(),
                    Problem::UnknownCriterion {
                        number: number.get_ref().clone(),
                    },
                );
            }
        }
        // The audit names its checks in the languages it knows; the site shows those of
        // its own.
        let span = entry.name.span();
        let known = entry
            .name
            .into_inner()
            .into_iter()
            .filter(|(lang, _)| languages.contains(lang))
            .collect();
        let Some(name) =
            reader.partial_text("name", Spanned::new(span, LocalizedSource::Many(known)))
        else {
            continue;
        };
        checks.push(Check {
            id: entry.id.into_inner(),
            name,
            criteria,
            on_pass: entry.on_pass.unwrap_or(OnPass::Evidence),
        });
    }
    let mut pages: Vec<TestedPage> = Vec::new();
    for read in reader.entries::<PageEntry>(&document, "page") {
        let Some(entry) = read.value else { continue };
        reader.enter(read.entry);
        let ids = |list: Vec<Spanned<String>>, reader: &mut FileReader| -> Vec<usize> {
            list.into_iter()
                .filter_map(|id| {
                    let found = checks.iter().position(|c| c.id == *id.get_ref());
                    if found.is_none() {
                        reader.error(
                            id.span(),
                            Problem::UnknownCheck {
                                id: id.get_ref().clone(),
                            },
                        );
                    }
                    found
                })
                .collect()
        };
        let passed = ids(entry.passed, reader);
        let failed = ids(entry.failed, reader);
        let review = ids(entry.review, reader);
        let path = entry.path.get_ref().clone();
        if pages.iter().any(|p| p.path == path) {
            reader.error(entry.path.span(), Problem::DuplicateId { id: path });
            continue;
        }
        pages.push(TestedPage {
            if_gone: reader.located(
                entry.path.span(),
                Diagnostic::warning(Problem::TestedPageGone { path: path.clone() }),
            ),
            path,
            chosen: entry.chosen,
            passed,
            failed,
            review,
        });
    }
    Some(TestResults {
        tested,
        site_pages: head.site_pages,
        seed: head.seed,
        tools: head.tools,
        technologies: head.technologies,
        checks,
        pages,
    })
}

/// Reads the people's judgements.
pub(super) fn read_judgements(reader: &mut FileReader) -> (Vec<Judgement>, Option<Localized>) {
    let Some(document) = reader.document(&["tested_by", "judgement"]) else {
        return (Vec::new(), None);
    };
    let tested_by = match document.read::<JudgementsHead>() {
        Ok(head) => head.tested_by.and_then(|t| reader.text("tested_by", t)),
        Err(problem) => {
            reader.problems.push(problem);
            None
        }
    };
    let mut judgements: Vec<Judgement> = Vec::new();
    for read in reader.entries::<JudgementEntry>(&document, "judgement") {
        let Some(entry) = read.value else { continue };
        reader.enter(read.entry);
        let number = entry.criterion.get_ref();
        let Some(criterion) = wcag::criterion(number) else {
            reader.error(
                entry.criterion.span(),
                Problem::UnknownCriterion {
                    number: number.clone(),
                },
            );
            continue;
        };
        if judgements.iter().any(|j| j.criterion == criterion) {
            reader.error(
                entry.criterion.span(),
                Problem::DuplicateJudgement {
                    criterion: criterion.number.to_owned(),
                },
            );
            continue;
        }
        let if_contradicted = reader.located(
            entry.criterion.span(),
            Diagnostic::warning(Problem::JudgementContradicted {
                criterion: criterion.number.to_owned(),
                checks: Vec::new(),
            }),
        );
        let date = reader.day("date", entry.date);
        let by = reader.text("by", entry.by);
        let note = entry.note.and_then(|n| reader.text("note", n));
        let (Some(date), Some(by)) = (date, by) else {
            continue;
        };
        judgements.push(Judgement {
            criterion,
            verdict: entry.result,
            by,
            date,
            note,
            if_contradicted,
        });
    }
    (judgements, tested_by)
}

impl AccessibilityTest {
    /// What the recorded test supports.
    pub fn outcome(&self) -> Outcome {
        let Some(results) = &self.results else {
            let criteria = wcag::CRITERIA
                .iter()
                .map(|criterion| self.judged_alone(criterion))
                .collect();
            return Outcome {
                level: Conformance::Considered {
                    untested: true,
                    short_sample: false,
                    undecided: Vec::new(),
                    unmet: Vec::new(),
                },
                criteria,
                sample: Sample {
                    chosen: 0,
                    random: 0,
                    site_pages: 0,
                    enough: false,
                },
            };
        };
        let criteria: Vec<CriterionOutcome> = wcag::CRITERIA
            .iter()
            .map(|criterion| self.decide(results, criterion))
            .collect();
        let sample = results.sample();
        let numbers = |verdict: Option<Verdict>| -> Vec<&'static str> {
            criteria
                .iter()
                .filter(|c| c.verdict == verdict)
                .map(|c| c.criterion.number)
                .collect()
        };
        let undecided = numbers(None);
        let unmet = numbers(Some(Verdict::NotMet));
        let level = if !undecided.is_empty() || !sample.enough {
            Conformance::Considered {
                untested: false,
                short_sample: !sample.enough,
                undecided,
                unmet,
            }
        } else if !unmet.is_empty() {
            Conformance::PartlyConforms { unmet }
        } else {
            Conformance::Conforms
        };
        Outcome {
            criteria,
            level,
            sample,
        }
    }

    /// A criterion with no machine record: only a person can have decided it.
    fn judged_alone(&self, criterion: &'static Criterion) -> CriterionOutcome {
        let judged = self
            .judgements
            .iter()
            .position(|j| j.criterion == criterion);
        CriterionOutcome {
            criterion,
            verdict: judged.map(|i| self.judgements[i].verdict),
            decided_by: judged.map_or(Decision::Undecided, Decision::Person),
            checks: Vec::new(),
        }
    }

    fn decide(&self, results: &TestResults, criterion: &'static Criterion) -> CriterionOutcome {
        let checks: Vec<usize> = results
            .checks
            .iter()
            .enumerate()
            .filter(|(_, c)| c.criteria.iter().any(|n| n == criterion.number))
            .map(|(i, _)| i)
            .filter(|&i| results.pages.iter().any(|p| p.ran(i)))
            .collect();
        let failed_checks: Vec<usize> = checks
            .iter()
            .copied()
            .filter(|&i| results.pages.iter().any(|p| p.failed.contains(&i)))
            .collect();
        if !failed_checks.is_empty() {
            let pages = results
                .pages
                .iter()
                .enumerate()
                .filter(|(_, p)| failed_checks.iter().any(|i| p.failed.contains(i)))
                .map(|(i, _)| i)
                .collect();
            return CriterionOutcome {
                criterion,
                verdict: Some(Verdict::NotMet),
                decided_by: Decision::Failed {
                    checks: failed_checks,
                    pages,
                },
                checks,
            };
        }
        let judged = self.judged_alone(criterion);
        if judged.verdict.is_some() {
            return CriterionOutcome { checks, ..judged };
        }
        let sufficient = checks.iter().copied().find(|&i| {
            results.checks[i].on_pass != OnPass::Evidence
                && !results.pages.is_empty()
                && results.pages.iter().all(|p| p.passed.contains(&i))
        });
        match sufficient {
            Some(i) => CriterionOutcome {
                criterion,
                verdict: Some(match results.checks[i].on_pass {
                    OnPass::NotApplicable => Verdict::NotApplicable,
                    _ => Verdict::Met,
                }),
                decided_by: Decision::Machine(i),
                checks,
            },
            None => CriterionOutcome {
                criterion,
                verdict: None,
                decided_by: Decision::Undecided,
                checks,
            },
        }
    }

    /// Warnings for judgements that a failed machine check contradicts: the failure
    /// stands, and the person should look again.
    pub fn contradictions(&self) -> Vec<Diagnostic> {
        let Some(results) = &self.results else {
            return Vec::new();
        };
        self.outcome()
            .criteria
            .iter()
            .filter_map(|outcome| {
                let Decision::Failed { checks, .. } = &outcome.decided_by else {
                    return None;
                };
                let judgement = self
                    .judgements
                    .iter()
                    .find(|j| j.criterion == outcome.criterion)?;
                if judgement.verdict == Verdict::NotMet {
                    return None;
                }
                let mut d = judgement.if_contradicted.clone();
                d.problem = Problem::JudgementContradicted {
                    criterion: outcome.criterion.number.to_owned(),
                    checks: checks
                        .iter()
                        .map(|&i| results.checks[i].id.clone())
                        .collect(),
                };
                Some(d)
            })
            .collect()
    }
}

impl TestResults {
    pub fn sample(&self) -> Sample {
        let chosen = self.pages.iter().filter(|p| p.chosen).count();
        let random = self.pages.len() - chosen;
        let enough = if self.site_pages <= ALL_PAGES_UP_TO {
            self.pages.len() >= self.site_pages && self.site_pages > 0
        } else {
            random >= RANDOM_PAGES && chosen >= CHOSEN_PAGES
        };
        Sample {
            chosen,
            random,
            site_pages: self.site_pages,
            enough,
        }
    }
}

impl TestedPage {
    /// Whether the check of this index ran on the page.
    pub fn ran(&self, check: usize) -> bool {
        self.passed.contains(&check) || self.failed.contains(&check) || self.review.contains(&check)
    }
}

/// A notice when the recorded test is more than a year old on `today`: the guideline
/// asks for one a year.
pub fn review(test: &AccessibilityTest, today: NaiveDate) -> Option<Diagnostic> {
    let results = test.results.as_ref()?;
    let age = today.signed_duration_since(results.tested).num_days();
    (age > 365).then(|| {
        Diagnostic::notice(Problem::TestResultsOld {
            tested: results.tested.format("%Y-%m-%d").to_string(),
        })
        .at(std::path::Path::new(RESULTS_FILE), 1, 1, None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Criteria the generated checks bear on: some of the standard's, and one of a later
    /// WCAG, which the table leaves out.
    const POOL: [&str; 6] = ["1.1.1", "1.4.3", "2.4.7", "4.1.1", "1.2.1", "1.4.10"];

    fn placeholder() -> Diagnostic {
        Diagnostic::warning(Problem::TestedPageGone {
            path: String::new(),
        })
    }

    fn test_from(
        checks: Vec<(Vec<usize>, u8)>,
        pages: Vec<(bool, Vec<u8>)>,
        judged: Vec<(usize, u8)>,
        site_pages: usize,
    ) -> AccessibilityTest {
        let checks: Vec<Check> = checks
            .into_iter()
            .enumerate()
            .map(|(i, (criteria, on_pass))| Check {
                id: format!("check-{i}"),
                name: Localized::only("ja", "チェック"),
                criteria: criteria.into_iter().map(|c| POOL[c].to_owned()).collect(),
                on_pass: [OnPass::Evidence, OnPass::Met, OnPass::NotApplicable][on_pass as usize],
            })
            .collect();
        let n = checks.len();
        let pages = pages
            .into_iter()
            .enumerate()
            .map(|(i, (chosen, states))| {
                let mut page = TestedPage {
                    path: format!("/p{i}/"),
                    chosen,
                    passed: Vec::new(),
                    failed: Vec::new(),
                    review: Vec::new(),
                    if_gone: placeholder(),
                };
                for (c, state) in states.into_iter().take(n).enumerate() {
                    match state {
                        0 => page.passed.push(c),
                        1 => page.failed.push(c),
                        2 => page.review.push(c),
                        _ => {}
                    }
                }
                page
            })
            .collect();
        let mut judgements: Vec<Judgement> = Vec::new();
        for (c, verdict) in judged {
            let criterion = &wcag::CRITERIA[c];
            if judgements.iter().any(|j| j.criterion == criterion) {
                continue;
            }
            judgements.push(Judgement {
                criterion,
                verdict: [Verdict::Met, Verdict::NotMet, Verdict::NotApplicable][verdict as usize],
                by: Localized::only("ja", "職員"),
                date: NaiveDate::from_ymd_opt(2026, 12, 1).expect("a day"),
                note: None,
                if_contradicted: placeholder(),
            });
        }
        AccessibilityTest {
            results: Some(TestResults {
                tested: NaiveDate::from_ymd_opt(2026, 12, 1).expect("a day"),
                site_pages,
                seed: Some(1),
                tools: Vec::new(),
                technologies: Vec::new(),
                checks,
                pages,
            }),
            judgements,
            tested_by: None,
        }
    }

    fn any_test() -> impl Strategy<Value = AccessibilityTest> {
        (
            prop::collection::vec((prop::collection::vec(0..POOL.len(), 1..3), 0u8..3), 1..6),
            prop::collection::vec((any::<bool>(), prop::collection::vec(0u8..4, 6)), 0..45),
            prop::collection::vec((0..wcag::CRITERIA.len(), 0u8..3), 0..60),
            1usize..90,
        )
            .prop_map(|(checks, pages, judged, site_pages)| {
                test_from(checks, pages, judged, site_pages)
            })
    }

    proptest! {
        /// The declared level never says more than the results: 準拠 only when every
        /// criterion is decided and met (or not applicable) on a sample the guideline
        /// accepts; a failed check always makes its criteria not met; a criterion is met
        /// only by a person's judgement or by a sufficient check that passed everywhere.
        #[test]
        fn the_level_never_says_more_than_the_results(test in any_test()) {
            let results = test.results.as_ref().expect("a record");
            let outcome = test.outcome();
            prop_assert_eq!(outcome.criteria.len(), 38);
            for o in &outcome.criteria {
                let bearing: Vec<usize> = results.checks.iter().enumerate()
                    .filter(|(_, c)| c.criteria.iter().any(|n| n == o.criterion.number))
                    .map(|(i, _)| i).collect();
                let failed = bearing.iter().any(|i| results.pages.iter().any(|p| p.failed.contains(i)));
                if failed {
                    prop_assert_eq!(o.verdict, Some(Verdict::NotMet));
                    continue;
                }
                let judged = test.judgements.iter().find(|j| j.criterion == o.criterion);
                match (o.verdict, judged) {
                    (verdict, Some(j)) => prop_assert_eq!(verdict, Some(j.verdict)),
                    (None, None) => {}
                    (Some(verdict), None) => {
                        let Decision::Machine(i) = o.decided_by else {
                            return Err(TestCaseError::fail("decided by nothing"));
                        };
                        prop_assert!(bearing.contains(&i));
                        prop_assert!(results.pages.iter().all(|p| p.passed.contains(&i)));
                        let expected = match results.checks[i].on_pass {
                            OnPass::Met => Verdict::Met,
                            OnPass::NotApplicable => Verdict::NotApplicable,
                            OnPass::Evidence => return Err(TestCaseError::fail("evidence decided")),
                        };
                        prop_assert_eq!(verdict, expected);
                    }
                }
            }
            let all_decided = outcome.criteria.iter().all(|o| o.verdict.is_some());
            let none_unmet = outcome.criteria.iter().all(|o| o.verdict != Some(Verdict::NotMet));
            let sample = outcome.sample;
            let enough = if results.site_pages <= ALL_PAGES_UP_TO {
                results.pages.len() >= results.site_pages
            } else {
                sample.random >= RANDOM_PAGES && sample.chosen >= CHOSEN_PAGES
            };
            prop_assert_eq!(sample.enough, enough);
            match &outcome.level {
                Conformance::Conforms => prop_assert!(enough && all_decided && none_unmet),
                Conformance::PartlyConforms { unmet } => {
                    prop_assert!(enough && all_decided && !none_unmet);
                    prop_assert!(!unmet.is_empty());
                }
                Conformance::Considered { untested, undecided, short_sample, .. } => {
                    prop_assert!(!untested);
                    prop_assert!(!enough || !all_decided);
                    prop_assert_eq!(*short_sample, !enough);
                    prop_assert_eq!(undecided.is_empty(), all_decided);
                }
            }
        }
    }

    #[test]
    fn no_record_is_consideration_whatever_people_judged() {
        let mut test = test_from(
            vec![(vec![0], 1)],
            Vec::new(),
            (0..38).map(|c| (c, 0)).collect(),
            1,
        );
        test.results = None;
        let outcome = test.outcome();
        assert!(matches!(
            outcome.level,
            Conformance::Considered { untested: true, .. }
        ));
        assert!(
            outcome
                .criteria
                .iter()
                .all(|o| o.verdict == Some(Verdict::Met))
        );
    }
}
