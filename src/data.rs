//! Data files: the municipal directory, the publications and the helplines, typed.
//!
//! Owns `content/directory.toml`, `content/publications.toml` and
//! `content/helplines.toml`. They are parsed like front matter (every key checked,
//! errors located) and then checked against each other and the files under
//! `content/files/`: a municipality must name a district that exists, a publication's
//! local file must exist (its format and size are then measured, not typed). Facts such
//! as phone numbers live here, never in page prose, so they can be checked and shown
//! with their source and the date they were confirmed.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::line_of_key;
use crate::diagnostics::{Diagnostic, Problem};
use crate::load::{Asset, SourceFile};
use crate::parse::toml_error;

pub const DIRECTORY_FILE: &str = "directory.toml";
pub const PUBLICATIONS_FILE: &str = "publications.toml";
pub const HELPLINES_FILE: &str = "helplines.toml";

/// Everything the data files hold. Absent files are empty.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Data {
    pub directory: Directory,
    pub publications: Vec<Publication>,
    pub helplines: Vec<Helpline>,
}

/// A date as sources give them: a day, or only a month (`2026-11`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SourceDate {
    pub year: i32,
    pub month: u32,
    pub day: Option<u32>,
}

impl SourceDate {
    pub fn parse(text: &str) -> Option<SourceDate> {
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str, len: usize| (s.len() == len).then(|| s.parse().ok()).flatten();
        let (year, month) = (number(parts.first()?, 4)?, number(parts.get(1)?, 2)?);
        let day = match parts.get(2) {
            Some(d) => Some(number(d, 2)?),
            None => None,
        };
        let valid = match day {
            Some(d) => chrono::NaiveDate::from_ymd_opt(year as i32, month, d).is_some(),
            None => (1..=12).contains(&month),
        };
        (valid && parts.len() <= 3).then_some(SourceDate {
            year: year as i32,
            month,
            day,
        })
    }

    /// `2026年（令和8年）11月` or `2022年（令和4年）4月13日`.
    pub fn japanese(&self) -> String {
        let first = chrono::NaiveDate::from_ymd_opt(self.year, self.month, self.day.unwrap_or(1));
        match (first, self.day) {
            (Some(date), Some(_)) => crate::dates::japanese(date),
            (Some(date), None) => {
                let full = crate::dates::japanese(date);
                full.rsplit_once('月')
                    .map_or(full.clone(), |(ym, _)| format!("{ym}月"))
            }
            (None, _) => String::new(),
        }
    }

    /// `November 2026` or `13 April 2022`.
    pub fn english(&self) -> String {
        match chrono::NaiveDate::from_ymd_opt(self.year, self.month, self.day.unwrap_or(1)) {
            Some(date) if self.day.is_some() => crate::dates::english(date),
            Some(date) => date.format("%B %Y").to_string(),
            None => String::new(),
        }
    }

    /// Days from this date (its first day, for a month) to `today`.
    pub fn days_until(&self, today: chrono::NaiveDate) -> i64 {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month, self.day.unwrap_or(1))
            .map_or(0, |d| (today - d).num_days())
    }
}

/// The municipal contact directory.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Directory {
    #[serde(default)]
    pub district: Vec<District>,
    #[serde(default)]
    pub office: Vec<Office>,
    #[serde(default)]
    pub municipality: Vec<Municipality>,
}

/// An area served by one prefectural health-and-welfare office.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct District {
    pub id: String,
    pub name_ja: String,
    pub name_en: String,
    /// The office serving it (an `office` id), or empty (Sendai City).
    #[serde(default)]
    pub office: String,
    #[serde(default)]
    pub note_ja: String,
    #[serde(default)]
    pub note_en: String,
}

/// A prefectural health-and-welfare office (保健福祉事務所).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    pub id: String,
    pub name_ja: String,
    pub name_en: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub phone_unit_ja: String,
    #[serde(default)]
    pub address_ja: String,
    #[serde(default)]
    pub service_ja: String,
    #[serde(default)]
    pub service_en: String,
    pub source: Source,
}

/// One municipality and, where sourced, its hikikomori desk.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    /// 地方公共団体コード, five digits.
    pub code: String,
    pub name_ja: String,
    pub kana: String,
    pub name_en: String,
    pub district: String,
    /// Set when another body serves its residents instead (Sendai City).
    #[serde(default)]
    pub served_by_ja: String,
    #[serde(default)]
    pub served_by_en: String,
    #[serde(default)]
    pub desk: Option<Desk>,
    pub source: Source,
}

/// A municipality's hikikomori desk, as its own page gives it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Desk {
    pub name_ja: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub fax: String,
    #[serde(default)]
    pub address_ja: String,
}

/// Where a fact comes from and when it was confirmed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title_ja: String,
    pub title_en: String,
    #[serde(default)]
    pub url: String,
    /// The date the source itself gives (掲載日・更新日), `YYYY-MM-DD` or `YYYY-MM`.
    #[serde(default)]
    pub dated: String,
    /// When this entry was last compared with the source.
    pub checked: String,
}

/// The support book, a leaflet or a poster.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    pub title_ja: String,
    pub title_en: String,
    #[serde(default)]
    pub description_ja: String,
    #[serde(default)]
    pub description_en: String,
    /// A file under `content/files/`; its format and size are measured.
    #[serde(default)]
    pub file: String,
    /// For a publication not held here: the page that offers it.
    #[serde(default)]
    pub page_url: String,
    /// For a publication not held here: the format and size its page states.
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub size_kb: u64,
    pub source: Source,
    /// Filled in from the file: URL below the site root.
    #[serde(skip_deserializing)]
    pub href: String,
    /// Filled in from the file or `size_kb`: bytes.
    #[serde(skip_deserializing)]
    pub size: u64,
}

/// A helpline for someone who needs to talk now.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Helpline {
    pub name_ja: String,
    pub name_en: String,
    pub phone: String,
    pub hours_ja: String,
    pub hours_en: String,
    pub charge_ja: String,
    pub charge_en: String,
    #[serde(default)]
    pub note_ja: String,
    #[serde(default)]
    pub note_en: String,
    pub source: Source,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublicationsFile {
    #[serde(default)]
    publication: Vec<Publication>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HelplinesFile {
    #[serde(default)]
    helpline: Vec<Helpline>,
}

/// Parses and checks every data file; files sizes come from `assets`.
pub fn load(files: &[SourceFile], assets: &[Asset]) -> (Data, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut data = Data::default();
    if let Some(file) = find(files, DIRECTORY_FILE)
        && let Some(directory) = typed::<Directory>(file, &mut problems)
    {
        problems.extend(check_directory(&directory, file));
        data.directory = directory;
    }
    if let Some(file) = find(files, PUBLICATIONS_FILE)
        && let Some(mut parsed) = typed::<PublicationsFile>(file, &mut problems)
    {
        for p in &mut parsed.publication {
            problems.extend(measure(p, assets, file));
        }
        problems.extend(check_sources(
            parsed.publication.iter().map(|p| &p.source),
            file,
        ));
        data.publications = parsed.publication;
    }
    if let Some(file) = find(files, HELPLINES_FILE)
        && let Some(parsed) = typed::<HelplinesFile>(file, &mut problems)
    {
        problems.extend(check_sources(
            parsed.helpline.iter().map(|h| &h.source),
            file,
        ));
        data.helplines = parsed.helpline;
    }
    (data, problems)
}

fn find<'a>(files: &'a [SourceFile], name: &str) -> Option<&'a SourceFile> {
    files.iter().find(|f| f.rel == Path::new(name))
}

fn typed<T: serde::de::DeserializeOwned>(
    file: &SourceFile,
    problems: &mut Vec<Diagnostic>,
) -> Option<T> {
    toml::from_str(&file.text)
        .map_err(|e| problems.push(toml_error(&file.rel, &file.text, &e)))
        .ok()
}

/// A problem with a value, located at the line where that value is written.
fn at_value(file: &SourceFile, key: &str, value: &str, problem: Problem) -> Diagnostic {
    let line = file
        .text
        .lines()
        .position(|l| l.trim_start().starts_with(key) && l.contains(&format!("\"{value}\"")))
        .map_or_else(|| line_of_key(&file.text, key), |i| i + 1);
    Diagnostic::error(problem).at(&file.rel, line, 1, Some(&file.text))
}

fn check_directory(directory: &Directory, file: &SourceFile) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let office_ids: Vec<&str> = directory.office.iter().map(|o| o.id.as_str()).collect();
    let district_ids: Vec<&str> = directory.district.iter().map(|d| d.id.as_str()).collect();
    for d in &directory.district {
        if !d.office.is_empty() && !office_ids.contains(&d.office.as_str()) {
            problems.push(at_value(
                file,
                "office",
                &d.office,
                unknown_id(&d.office, &office_ids),
            ));
        }
    }
    for m in &directory.municipality {
        if !district_ids.contains(&m.district.as_str()) {
            problems.push(at_value(
                file,
                "district",
                &m.district,
                unknown_id(&m.district, &district_ids),
            ));
        }
    }
    let sources = directory
        .office
        .iter()
        .map(|o| &o.source)
        .chain(directory.municipality.iter().map(|m| &m.source));
    problems.extend(check_sources(sources, file));
    problems
}

fn unknown_id(id: &str, known: &[&str]) -> Problem {
    Problem::UnknownReference {
        id: id.to_owned(),
        known: known.iter().map(|s| (*s).to_owned()).collect(),
    }
}

fn check_sources<'a>(
    sources: impl Iterator<Item = &'a Source>,
    file: &SourceFile,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for source in sources {
        for (key, value, required) in [
            ("checked", &source.checked, true),
            ("dated", &source.dated, false),
        ] {
            let ok = (value.is_empty() && !required) || SourceDate::parse(value).is_some();
            if !ok {
                problems.push(at_value(
                    file,
                    key,
                    value,
                    Problem::InvalidDate {
                        key: key.to_owned(),
                        value: value.clone(),
                    },
                ));
            }
        }
    }
    problems
}

/// Fills in a publication's link and size: measured from its file if it has one.
fn measure(p: &mut Publication, assets: &[Asset], file: &SourceFile) -> Vec<Diagnostic> {
    if p.file.is_empty() {
        p.size = p.size_kb * 1024;
        return Vec::new();
    }
    let wanted = p.file.trim_start_matches('/');
    match assets.iter().find(|a| a.url_path() == wanted) {
        Some(asset) => {
            p.href = format!("/{}", asset.url_path());
            p.size = asset.size;
            p.format = crate::link::file_format(wanted);
            Vec::new()
        }
        None => vec![at_value(
            file,
            "file",
            &p.file,
            Problem::MissingFile {
                path: p.file.clone(),
            },
        )],
    }
}

/// Entries last compared with their source longer ago than this are reported by `check`.
pub const STALE_AFTER_DAYS: i64 = 365;

/// Warnings for directory entries not confirmed within [`STALE_AFTER_DAYS`].
pub fn stale_entries(data: &Data, today: chrono::NaiveDate) -> Vec<Diagnostic> {
    let directory = &data.directory;
    directory
        .municipality
        .iter()
        .map(|m| (&m.name_ja, &m.source))
        .chain(directory.office.iter().map(|o| (&o.name_ja, &o.source)))
        .filter_map(|(name, source)| {
            let checked = SourceDate::parse(&source.checked)?;
            (checked.days_until(today) > STALE_AFTER_DAYS).then(|| {
                Diagnostic::warning(Problem::StaleEntry {
                    name: name.clone(),
                    checked: source.checked.clone(),
                })
                .in_file(Path::new(DIRECTORY_FILE))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile {
            rel: PathBuf::from(name),
            text: text.to_owned(),
        }
    }

    #[test]
    fn source_dates_take_a_day_or_a_month() {
        let day = SourceDate::parse("2022-04-13").unwrap();
        assert_eq!(day.japanese(), "2022年（令和4年）4月13日");
        assert_eq!(day.english(), "13 April 2022");
        let month = SourceDate::parse("2026-11").unwrap();
        assert_eq!(month.japanese(), "2026年（令和8年）11月");
        assert_eq!(month.english(), "November 2026");
        for bad in ["2026/11", "2026-13", "2026-02-30", "26-11", "2026-1", ""] {
            assert_eq!(SourceDate::parse(bad), None, "{bad}");
        }
    }

    const SOURCE: &str =
        "[municipality.source]\ntitle_ja = \"x\"\ntitle_en = \"x\"\nchecked = \"2026-11\"\n";

    #[test]
    fn a_municipality_must_name_a_known_district() {
        let text = format!(
            "[[district]]\nid = \"sennan\"\nname_ja = \"仙南\"\nname_en = \"Sennan\"\n\n[[municipality]]\ncode = \"04206\"\nname_ja = \"白石市\"\nkana = \"しろいしし\"\nname_en = \"Shiroishi City\"\ndistrict = \"senan\"\n{SOURCE}"
        );
        let (_, problems) = load(&[file(DIRECTORY_FILE, &text)], &[]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            matches!(&problems[0].problem, Problem::UnknownReference { id, .. } if id == "senan")
        );
        assert_eq!(problems[0].location.as_ref().unwrap().line, 11);
    }

    #[test]
    fn a_local_publication_is_measured_from_its_file() {
        let text = "[[publication]]\ntitle_ja = \"本\"\ntitle_en = \"Book\"\nfile = \"files/book.pdf\"\n[publication.source]\ntitle_ja = \"x\"\ntitle_en = \"x\"\nchecked = \"2026-11-21\"\n";
        let asset = Asset {
            rel: PathBuf::from("files/book.pdf"),
            abs: PathBuf::from("/nonexistent"),
            size: 1_442_816,
        };
        let (data, problems) = load(&[file(PUBLICATIONS_FILE, text)], &[asset]);
        assert!(problems.is_empty(), "{problems:?}");
        let p = &data.publications[0];
        assert_eq!(
            (p.format.as_str(), p.size, p.href.as_str()),
            ("PDF", 1_442_816, "/files/book.pdf")
        );
        let (_, problems) = load(&[file(PUBLICATIONS_FILE, text)], &[]);
        assert!(matches!(problems[0].problem, Problem::MissingFile { .. }));
        assert_eq!(problems[0].location.as_ref().unwrap().line, 4);
    }

    #[test]
    fn entries_checked_over_a_year_ago_are_stale() {
        let mut data = Data::default();
        let source = |checked: &str| Source {
            title_ja: String::new(),
            title_en: String::new(),
            url: String::new(),
            dated: String::new(),
            checked: checked.to_owned(),
        };
        for (name, checked) in [("古い", "2024-01"), ("新しい", "2026-11")] {
            data.directory.municipality.push(Municipality {
                code: String::new(),
                name_ja: name.to_owned(),
                kana: String::new(),
                name_en: String::new(),
                district: String::new(),
                served_by_ja: String::new(),
                served_by_en: String::new(),
                desk: None,
                source: source(checked),
            });
        }
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let stale = stale_entries(&data, today);
        assert_eq!(stale.len(), 1);
        assert!(matches!(&stale[0].problem, Problem::StaleEntry { name, .. } if name == "古い"));
    }
}
