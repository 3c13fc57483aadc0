//! Data files: the facts the site publishes, each tied to the source it comes from.
//!
//! Owns `content/sources.toml`, `content/directory.toml`, `content/publications.toml`,
//! `content/helplines.toml`, the `[contact]` table of `site.toml`, and the accessibility
//! test's record and judgements. They are read as
//! typed values (every key checked, every problem located at its value), phone numbers
//! become [`PhoneNumber`]s, words in several languages become [`Localized`] values, and
//! every fact names a source of `sources.toml`. Facts such as phone numbers live here,
//! never in page prose, so they are checked once and shown with their source everywhere.

pub mod accessibility;
pub mod contact;
mod directory;
pub mod glossary;
mod helplines;
mod publications;
mod reader;
mod registers;
pub mod source;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::load::{self, SourceFile};
use reader::FileReader;

pub use contact::Contact;
pub use directory::{Desk, Directory, District, Municipality, Office};
pub use helplines::{Emergency, Helpline, Open};
pub use publications::Publication;
pub use source::{AsOf, Source, Sources};

pub const DIRECTORY_FILE: &str = "directory.toml";
pub const PUBLICATIONS_FILE: &str = "publications.toml";
pub const HELPLINES_FILE: &str = "helplines.toml";

/// Everything the data files hold. Absent files are empty.
#[derive(Debug, Clone, Default)]
pub struct Data {
    pub sources: Sources,
    /// The centre's own contact details, from `site.toml`.
    pub contact: Option<Contact>,
    pub directory: Directory,
    pub publications: Vec<Publication>,
    pub emergency: Vec<Emergency>,
    pub helplines: Vec<Helpline>,
    /// The site's vocabulary: one translation per term, and wordings to avoid.
    pub glossary: glossary::Glossary,
    /// The accessibility test: the audit's record and people's judgements.
    pub accessibility: accessibility::AccessibilityTest,
    /// How many facts rest on each source.
    pub source_uses: BTreeMap<String, usize>,
    /// Some data file could not be read: the facts it holds are unknown, so no source is
    /// reported as unused for want of them.
    pub incomplete: bool,
}

/// A value the site publishes as fact, and the id of the source that backs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact<T> {
    pub value: T,
    pub source: String,
}

/// A date written as a TOML date (`2025-11-12`) or as text (`"2015-08"`, since TOML
/// has no year-and-month value).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum DateValue {
    Date(toml::value::Datetime),
    Text(String),
}

impl DateValue {
    fn written(self) -> String {
        match self {
            DateValue::Date(d) => d.to_string(),
            DateValue::Text(t) => t,
        }
    }
}

/// Reads every data file of what was loaded; file sizes come from its downloads,
/// languages from `config`.
pub fn load(loaded: &load::Sources, config: &SiteConfig) -> (Data, Vec<Diagnostic>) {
    let files = &loaded.data;
    let assets = &loaded.assets;
    let languages = config.language_codes();
    let easy_japanese = config.easy_japanese();
    let mut problems = Vec::new();
    let mut data = Data {
        incomplete: !loaded.unreadable_data.is_empty(),
        ..Data::default()
    };
    for file in files {
        problems.extend(crate::content_policy::control_character_problems(
            &file.rel, &file.text,
        ));
    }
    let empty = Sources::default();
    let mut glossary = glossary::Glossary::default();
    if let Some(file) = find(files, glossary::GLOSSARY_FILE) {
        let mut reader = FileReader::new(file, &languages, &empty);
        glossary = registers::read_glossary(&mut reader);
        problems.append(&mut reader.problems);
    }
    if let Some(file) = find(files, source::SOURCES_FILE) {
        let mut reader = FileReader::new(file, &languages, &empty);
        data.sources = registers::read_sources(&mut reader);
        problems.append(&mut reader.problems);
    } else if loaded.is_unreadable_data(Path::new(source::SOURCES_FILE)) {
        data.sources.mark_unreadable();
    }
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    let mut incomplete = data.incomplete;
    let mut finish = |reader: FileReader, problems: &mut Vec<Diagnostic>| {
        for (id, n) in reader.uses {
            *uses.entry(id).or_default() += n;
        }
        incomplete |= reader.unreadable;
        problems.extend(reader.problems);
    };
    if let Some(file) = find(files, crate::config::FILE_NAME) {
        let mut reader = FileReader::new(file, &languages, &data.sources)
            .with_glossary(&glossary)
            .with_easy_japanese(&easy_japanese);
        data.contact = match &config.contact {
            Some(entry) => contact::read(&mut reader, entry, config.key_line("contact")),
            None => {
                // Allowed (a new site has no number yet), but a support site without
                // one is rarely meant: `check` points it out.
                reader.problems.push(
                    Diagnostic::notice(crate::diagnostics::Problem::NoConsultationLine)
                        .at(&file.rel, 1, 1, None),
                );
                None
            }
        };
        finish(reader, &mut problems);
    }
    if let Some(file) = find(files, DIRECTORY_FILE) {
        let mut reader = FileReader::new(file, &languages, &data.sources)
            .with_glossary(&glossary)
            .with_easy_japanese(&easy_japanese);
        data.directory = directory::read(&mut reader);
        finish(reader, &mut problems);
    }
    if let Some(file) = find(files, PUBLICATIONS_FILE) {
        let mut reader = FileReader::new(file, &languages, &data.sources)
            .with_glossary(&glossary)
            .with_easy_japanese(&easy_japanese);
        data.publications = publications::read(&mut reader, assets);
        finish(reader, &mut problems);
    }
    if let Some(file) = find(files, HELPLINES_FILE) {
        let mut reader = FileReader::new(file, &languages, &data.sources)
            .with_glossary(&glossary)
            .with_easy_japanese(&easy_japanese);
        (data.emergency, data.helplines) = helplines::read(&mut reader);
        finish(reader, &mut problems);
    }
    if let Some(file) = find(files, accessibility::RESULTS_FILE) {
        let mut reader = FileReader::new(file, &languages, &data.sources);
        data.accessibility.results = accessibility::read_results(&mut reader, &languages);
        problems.append(&mut reader.problems);
    }
    if let Some(file) = find(files, accessibility::JUDGEMENTS_FILE) {
        let mut reader = FileReader::new(file, &languages, &data.sources);
        (data.accessibility.judgements, data.accessibility.tested_by) =
            accessibility::read_judgements(&mut reader);
        problems.append(&mut reader.problems);
    }
    problems.extend(data.accessibility.contradictions());
    data.source_uses = uses;
    data.incomplete = incomplete;
    data.glossary = glossary;
    (data, problems)
}

fn find<'a>(files: &'a [SourceFile], name: &str) -> Option<&'a SourceFile> {
    files.iter().find(|f| f.rel == Path::new(name))
}

/// Notices about sources whose facts may have changed since (see
/// [`source::stale_sources`]); `cited` counts the pages whose text relies on each.
pub fn stale_sources(
    data: &Data,
    cited: &BTreeMap<String, usize>,
    today: chrono::NaiveDate,
) -> Vec<Diagnostic> {
    let mut uses = data.source_uses.clone();
    for (id, pages) in cited {
        *uses.entry(id.clone()).or_default() += pages;
    }
    source::stale_sources(&data.sources, &uses, !data.incomplete, today)
}
