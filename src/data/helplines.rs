//! `content/helplines.toml`: what to do in immediate danger, and lines to call when
//! someone needs to talk now.
//!
//! Only numbers a source gives are listed; a number whose sources conflict is left out.
//! Hours and charges are facts like the numbers: each names its source, and where no
//! source gives them they are absent and the page says so.

use serde::Deserialize;
use toml::Spanned;

use super::Fact;
use super::reader::FileReader;
use crate::diagnostics::Problem;
use crate::localized::{Localized, LocalizedSource};
use crate::phone::{PhoneKind, PhoneNumber};

/// An emergency number: 119 or 110.
#[derive(Debug, Clone)]
pub struct Emergency {
    pub number: PhoneNumber,
    pub name: Localized,
    /// When to call it.
    pub when: Localized,
    pub source: String,
}

/// A line for someone who needs to talk now.
#[derive(Debug, Clone)]
pub struct Helpline {
    pub name: Localized,
    pub phone: Fact<PhoneNumber>,
    pub hours: Option<Fact<Localized>>,
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
    source: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HelplineEntry {
    name: Spanned<LocalizedSource>,
    phone: Spanned<String>,
    hours: Option<Spanned<LocalizedSource>>,
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
        let when = reader.text("when", entry.when);
        let name = reader.text("name", entry.name);
        if let (Some(number), Some(name), Some(when), Some(source)) = (number, name, when, source) {
            emergency.push(Emergency {
                number,
                name,
                when,
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
        let charge = reader.text_fact("charge", &entry.charge, entry.charge_source.as_ref(), whole);
        let note = entry.note.and_then(|n| reader.partial_text("note", n));
        let name = reader.text("name", entry.name);
        if let (Some(name), Some(phone)) = (name, phone) {
            helplines.push(Helpline {
                name,
                phone,
                hours,
                charge,
                note,
            });
        }
    }
    (emergency, helplines)
}
