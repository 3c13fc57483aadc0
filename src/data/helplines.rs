//! `content/helplines.toml`: what to do in immediate danger, and lines to call when
//! someone needs to talk now.
//!
//! Only numbers a source gives are listed; a number whose sources conflict is left out.
//! Hours and charges are facts like the numbers: each names its source, and where no
//! source gives them they are absent and the page says so. `open` says, in one of
//! [`Open`]'s words, what kind of hours the source gives, so that a page can tell which
//! line can be called when without any sentence of its own.

use serde::Deserialize;
use toml::Spanned;

use super::Fact;
use super::reader::FileReader;
use crate::diagnostics::Problem;
use crate::localized::{Localized, LocalizedSource};
use crate::phone::{PhoneKind, PhoneNumber};

/// What kind of hours a source gives a line: the words of `open`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Open {
    /// Every day, all day and night.
    Always,
    /// Only on the days and at the times its `hours` give.
    SetTimes,
    /// Its hours differ by where the caller is.
    ByArea,
}

impl Open {
    /// Each kind as `open` writes it.
    pub const WRITTEN: [(&'static str, Open); 3] = [
        ("always", Open::Always),
        ("set-times", Open::SetTimes),
        ("by-area", Open::ByArea),
    ];
}

/// An emergency number: 119 or 110.
#[derive(Debug, Clone)]
pub struct Emergency {
    pub number: PhoneNumber,
    pub name: Localized,
    /// When to call it.
    pub when: Localized,
    /// When it can be called, as its source gives it.
    pub open: Option<Open>,
    pub source: String,
}

/// A line for someone who needs to talk now.
#[derive(Debug, Clone)]
pub struct Helpline {
    pub name: Localized,
    pub phone: Fact<PhoneNumber>,
    pub hours: Option<Fact<Localized>>,
    /// What kind of hours `hours` are; from the same source.
    pub open: Option<Open>,
    pub charge: Option<Fact<Localized>>,
    /// Only for the languages it is written in: a note for English readers, say.
    pub note: Option<Localized>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EmergencyEntry {
    number: Spanned<String>,
    name: Spanned<LocalizedSource>,
    when: Spanned<LocalizedSource>,
    open: Option<Spanned<String>>,
    source: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HelplineEntry {
    name: Spanned<LocalizedSource>,
    phone: Spanned<String>,
    hours: Option<Spanned<LocalizedSource>>,
    open: Option<Spanned<String>>,
    charge: Option<Spanned<LocalizedSource>>,
    note: Option<Spanned<LocalizedSource>>,
    source: Option<Spanned<String>>,
    phone_source: Option<Spanned<String>>,
    hours_source: Option<Spanned<String>>,
    charge_source: Option<Spanned<String>>,
}

pub(super) fn read(reader: &mut FileReader) -> (Vec<Emergency>, Vec<Helpline>) {
    let Some(document) = reader.document(&["emergency", "helpline"]) else {
        return (Vec::new(), Vec::new());
    };
    let mut emergency = Vec::new();
    for read in reader.entries::<EmergencyEntry>(&document, "emergency") {
        let Some(entry) = read.value else { continue };
        reader.enter(read.entry);
        let number = reader.phone("number", &entry.number);
        if number
            .as_ref()
            .is_some_and(|n| n.kind() != PhoneKind::Emergency)
        {
            reader.error(
                entry.number.span(),
                Problem::NotAnEmergencyNumber {
                    value: entry.number.get_ref().clone(),
                },
            );
            continue;
        }
        let source = reader.source(&entry.source);
        // An emergency number's hours are in its `when`.
        let open = open_of(reader, entry.open.as_ref(), true);
        let when = reader.text("when", entry.when);
        let name = reader.text("name", entry.name);
        if let (Some(number), Some(name), Some(when), Some(source)) = (number, name, when, source) {
            emergency.push(Emergency {
                number,
                name,
                when,
                open,
                source,
            });
        }
    }
    let mut helplines = Vec::new();
    for read in reader.entries::<HelplineEntry>(&document, "helpline") {
        let Some(entry) = read.value else { continue };
        reader.enter(read.entry);
        let whole = entry.source.as_ref();
        let phone = reader.phone_fact(
            "phone",
            &Some(entry.phone.clone()),
            entry.phone_source.as_ref(),
            whole,
        );
        let hours = reader.text_fact("hours", &entry.hours, entry.hours_source.as_ref(), whole);
        let open = open_of(reader, entry.open.as_ref(), entry.hours.is_some());
        let charge = reader.text_fact("charge", &entry.charge, entry.charge_source.as_ref(), whole);
        let note = entry.note.and_then(|n| reader.partial_text("note", n));
        let name = reader.text("name", entry.name);
        if let (Some(name), Some(phone)) = (name, phone) {
            helplines.push(Helpline {
                name,
                phone,
                hours,
                open,
                charge,
                note,
            });
        }
    }
    (emergency, helplines)
}

/// `open` as written: one of [`Open::WRITTEN`], and only beside the hours it says the
/// kind of (`has_hours`): without them, no source gives it.
pub(super) fn open_of(
    reader: &mut FileReader,
    written: Option<&Spanned<String>>,
    has_hours: bool,
) -> Option<Open> {
    let written = written?;
    if !has_hours {
        let problem = Problem::MissingKey {
            key: "hours".to_owned(),
        };
        reader.error(written.span(), problem);
        return None;
    }
    let word = written.get_ref().trim();
    let found = Open::WRITTEN
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, open)| *open);
    if found.is_none() {
        reader.error(
            written.span(),
            Problem::NotOneOf {
                key: "open".to_owned(),
                value: written.get_ref().clone(),
                allowed: Open::WRITTEN.iter().map(|(w, _)| (*w).to_owned()).collect(),
            },
        );
    }
    found
}
