//! The sources facts come from, in `content/sources.toml`, and when each holds.
//!
//! Owns the difference between two dates that are easy to confuse. A source's own date
//! (its 掲載日 or 更新日, the year of a document, the fiscal year of a schedule) says when
//! the facts taken from it held. A verification date says that a person compared the
//! facts with the live source on that day; only such a person may set it. The site shows
//! the first always and the second only when it exists, so it never claims a check that
//! did not happen.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::NaiveDate;

use crate::dates::Moment;

use crate::diagnostics::{AsOfDate, Diagnostic, Problem};
use crate::localized::Localized;

pub const SOURCES_FILE: &str = "sources.toml";

/// Facts whose source is older than this are reported by `check`, so that someone
/// re-checks them against the live source.
pub const STALE_AFTER_DAYS: i64 = 365;

/// When the facts of a source held, as the source itself says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// The page's 掲載日.
    Published(Moment),
    /// The page's 更新日.
    Updated(Moment),
    /// A date the page gives without saying what kind it is.
    Dated(Moment),
    /// A document that gives only its year.
    Year(i32),
    /// A schedule or report for a Japanese fiscal year (April to March): `2024` is
    /// 令和6年度, April 2024 to March 2025.
    FiscalYear(i32),
    /// The source gives no date.
    Undated,
}

impl AsOf {
    /// The last day the source speaks for; `None` if it gives no date.
    pub fn last_day(&self) -> Option<NaiveDate> {
        match *self {
            AsOf::Published(d) | AsOf::Updated(d) | AsOf::Dated(d) => Some(d.last_day()),
            AsOf::Year(y) => NaiveDate::from_ymd_opt(y, 12, 31),
            AsOf::FiscalYear(y) => NaiveDate::from_ymd_opt(y + 1, 3, 31),
            AsOf::Undated => None,
        }
    }
}

/// One source: a page, a document, a schedule.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub title: Localized,
    /// Where it can be read, if it is public.
    pub url: String,
    pub as_of: AsOf,
    /// The day a person compared the facts with the live source, if anyone has.
    pub verified: Option<NaiveDate>,
    /// Anything a reader should know about the source (an archived copy, a conflict).
    pub note: Option<Localized>,
    /// Where it is written, for messages about it.
    pub line: usize,
}

impl Source {
    /// The date its facts hold at, as a message names it.
    pub fn as_of_written(&self) -> AsOfDate {
        if let Some(v) = self.verified {
            return AsOfDate::Date(v.format("%Y-%m-%d").to_string());
        }
        match self.as_of {
            AsOf::Published(d) | AsOf::Updated(d) | AsOf::Dated(d) => AsOfDate::Date(d.iso()),
            AsOf::Year(y) => AsOfDate::Year(y),
            AsOf::FiscalYear(y) => AsOfDate::FiscalYear(y),
            AsOf::Undated => AsOfDate::Date(String::new()),
        }
    }

    /// The date the facts are known to hold at: the verification if there is one, the
    /// source's own date otherwise.
    pub fn holds_at(&self) -> Option<NaiveDate> {
        self.verified.or_else(|| self.as_of.last_day())
    }
}

/// Every source of the site, by id, in the order of the file.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    list: Vec<Source>,
    by_id: BTreeMap<String, usize>,
    /// Ids written in `sources.toml` whose entries have a mistake, reported there.
    broken: BTreeSet<String>,
    /// `sources.toml` is there but could not be read; that is reported already.
    unreadable: bool,
}

impl Sources {
    /// Remembers a source whose entry could not be read, so that the facts naming it
    /// are not reported too.
    pub fn mark_broken(&mut self, id: &str) {
        self.broken.insert(id.to_owned());
    }

    /// Remembers that `sources.toml` could not be read, so that no fact is reported for
    /// naming a source it may well hold.
    pub fn mark_unreadable(&mut self) {
        self.unreadable = true;
    }

    /// Whether a source that is not here was reported already as the mistake of its
    /// own entry, or of the file.
    pub fn is_reported_broken(&self, id: &str) -> bool {
        self.unreadable || self.broken.contains(id)
    }

    pub fn get(&self, id: &str) -> Option<&Source> {
        self.by_id.get(id).map(|&i| &self.list[i])
    }

    pub fn ids(&self) -> Vec<String> {
        self.list.iter().map(|s| s.id.clone()).collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Source> {
        self.list.iter()
    }

    /// Adds a source; `false`, and nothing added, if its id is already taken.
    pub fn add(&mut self, source: Source) -> bool {
        if self.by_id.contains_key(&source.id) {
            return false;
        }
        self.by_id.insert(source.id.clone(), self.list.len());
        self.list.push(source);
        true
    }
}

/// Notices for sources whose facts are over [`STALE_AFTER_DAYS`] old or undated, and a
/// warning for a verification dated after today. One message per source, however many
/// facts rest on it. Unused sources are told only when every data file was read
/// (`all_read`): otherwise the facts that use them may be in the file that was not.
pub fn stale_sources(
    sources: &Sources,
    used: &BTreeMap<String, usize>,
    all_read: bool,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    let file = Path::new(SOURCES_FILE);
    let mut found = Vec::new();
    for source in sources.iter() {
        let facts = used.get(&source.id).copied().unwrap_or(0);
        let located = |d: Diagnostic| d.at(file, source.line, 1, None);
        if source.verified.is_some_and(|v| v > today) {
            found.push(located(Diagnostic::warning(Problem::VerifiedInFuture {
                id: source.id.clone(),
            })));
        }
        if facts == 0 {
            if all_read {
                found.push(located(Diagnostic::notice(Problem::UnusedSource {
                    id: source.id.clone(),
                })));
            }
            continue;
        }
        match source.holds_at() {
            None => found.push(located(Diagnostic::notice(Problem::UndatedSource {
                id: source.id.clone(),
                facts,
            }))),
            Some(date) if (today - date).num_days() > STALE_AFTER_DAYS => {
                found.push(located(Diagnostic::notice(Problem::StaleSource {
                    id: source.id.clone(),
                    holds_at: source.as_of_written(),
                    facts,
                })))
            }
            Some(_) => {}
        }
    }
    found
}

/// The year of a source, checked to be plausible.
pub(super) fn plausible_year(year: i64) -> Option<i32> {
    i32::try_from(year)
        .ok()
        .filter(|y| crate::dates::YEARS.contains(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_dates_take_a_day_or_a_month() {
        use crate::dates::parse_date;
        let day = parse_date("2022-04-13").unwrap();
        assert_eq!(day.iso(), "2022-04-13");
        assert_eq!(
            day.last_day(),
            NaiveDate::from_ymd_opt(2022, 4, 13).unwrap()
        );
        let month = parse_date("2015-08").unwrap();
        assert!(month.month_only);
        assert_eq!(
            month.last_day(),
            NaiveDate::from_ymd_opt(2015, 8, 31).unwrap()
        );
        let december = parse_date("2015-12").unwrap();
        assert_eq!(
            december.last_day(),
            NaiveDate::from_ymd_opt(2015, 12, 31).unwrap()
        );
        for bad in [
            "2026/11",
            "2026-13",
            "2026-02-30",
            "26-11",
            "2026-1",
            "",
            "0000-01-01",
            "-001-01-01",
            "2026-11-21-1",
            "２０２６-11",
            "2026-11-21T09:00",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_fiscal_year_runs_to_the_end_of_march() {
        assert_eq!(
            AsOf::FiscalYear(2024).last_day(),
            NaiveDate::from_ymd_opt(2025, 3, 31)
        );
        assert_eq!(
            AsOf::Year(2014).last_day(),
            NaiveDate::from_ymd_opt(2014, 12, 31)
        );
        assert_eq!(AsOf::Undated.last_day(), None);
    }
}
