//! Reads the two files every other data file is checked against: `sources.toml`, the
//! sources facts come from, and `glossary.toml`, the site's vocabulary.
//!
//! They are read first, with the same reader as the rest, so that their own mistakes are
//! reported the same way; the registers they fill ([`Sources`], [`Glossary`]) sit below
//! the reader, which consults them for every later file.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::DateValue;
use super::glossary::{Glossary, Term};
use super::reader::FileReader;
use super::source::{AsOf, Source, Sources};
use crate::diagnostics::Problem;
use crate::localized::LocalizedSource;
use crate::toml_file::text_of;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceEntry {
    id: Spanned<String>,
    title: Spanned<LocalizedSource>,
    url: Option<Spanned<String>>,
    published: Option<Spanned<DateValue>>,
    updated: Option<Spanned<DateValue>>,
    dated: Option<Spanned<DateValue>>,
    year: Option<Spanned<i64>>,
    fiscal_year: Option<Spanned<i64>>,
    verified: Option<Spanned<DateValue>>,
    note: Option<Spanned<LocalizedSource>>,
}

/// Reads `sources.toml`. A source whose entry has a mistake is remembered as such, so
/// that the facts naming it are not reported as well.
pub(super) fn read_sources(reader: &mut FileReader) -> Sources {
    let mut sources = Sources::default();
    let Some(document) = reader.document(&["source"]) else {
        sources.mark_unreadable();
        return sources;
    };
    for read in reader.entries::<SourceEntry>(&document, "source") {
        let Some(entry) = read.value else {
            if let Some(id) = text_of(read.raw, "id") {
                sources.mark_broken(id);
            }
            continue;
        };
        reader.enter(read.entry);
        let id = entry.id.get_ref().clone();
        let line = reader.line_of(entry.id.span().start);
        if sources.get(&id).is_some() {
            reader.error(entry.id.span(), Problem::DuplicateId { id: id.clone() });
            continue;
        }
        let as_of = as_of(reader, &entry);
        let Some(title) = reader.text("title", entry.title) else {
            sources.mark_broken(&id);
            continue;
        };
        let verified = entry.verified.and_then(|v| {
            let span = v.span();
            let date = reader.date("verified", v)?;
            if date.month_only {
                reader.error(span, Problem::VerifiedNeedsDay);
                return None;
            }
            Some(date.date())
        });
        let note = entry.note.and_then(|n| reader.text("note", n));
        let url = reader.web_address(entry.url);
        sources.add(Source {
            id,
            title,
            url,
            as_of,
            verified,
            note,
            line,
        });
    }
    sources
}

/// A source gives one kind of date; a page may give both its 掲載日 and 更新日, and then
/// the 更新日 is when its facts held.
fn as_of(reader: &mut FileReader, entry: &SourceEntry) -> AsOf {
    let published = entry
        .published
        .clone()
        .and_then(|d| reader.date("published", d));
    let updated = entry
        .updated
        .clone()
        .and_then(|d| reader.date("updated", d));
    let dated = entry.dated.clone().and_then(|d| reader.date("dated", d));
    let year = entry.year.as_ref().and_then(|y| reader.year("year", y));
    let fiscal_year = entry
        .fiscal_year
        .as_ref()
        .and_then(|y| reader.year("fiscal_year", y));
    let kinds = [
        published.is_some() || updated.is_some(),
        dated.is_some(),
        year.is_some(),
        fiscal_year.is_some(),
    ];
    if kinds.iter().filter(|k| **k).count() > 1 {
        reader.error(entry.id.span(), Problem::SeveralSourceDates);
    }
    match (updated, published, dated, year, fiscal_year) {
        (Some(d), ..) => AsOf::Updated(d),
        (None, Some(d), ..) => AsOf::Published(d),
        (None, None, Some(d), ..) => AsOf::Dated(d),
        (None, None, None, Some(y), _) => AsOf::Year(y),
        (None, None, None, None, Some(y)) => AsOf::FiscalYear(y),
        _ => AsOf::Undated,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TermEntry {
    words: Spanned<LocalizedSource>,
    #[serde(default)]
    avoid: BTreeMap<String, Vec<String>>,
    /// Why the term is worded so; for the people editing, not shown on the site.
    #[serde(default)]
    #[allow(dead_code)]
    note: String,
}

/// Reads `glossary.toml`.
pub(super) fn read_glossary(reader: &mut FileReader) -> Glossary {
    let Some(document) = reader.document(&["term"]) else {
        return Glossary::default();
    };
    let mut terms = Vec::new();
    for read in reader.entries::<TermEntry>(&document, "term") {
        let Some(entry) = read.value else {
            continue;
        };
        reader.enter(read.entry);
        if let Some(words) = reader.text("words", entry.words) {
            terms.push(Term {
                words,
                avoid: entry.avoid,
            });
        }
    }
    Glossary::new(terms)
}
