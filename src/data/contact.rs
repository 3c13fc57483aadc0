//! The centre's own contact details: the `[contact]` table of `site.toml`.
//!
//! The consultation line is shown on every page, so it is required; each of its facts
//! (the number, the hours, the address, the enquiry numbers) names its own source.

use chrono::{NaiveDate, NaiveTime, Weekday};
use toml::Spanned;

use super::helplines::Open;
use super::reader::FileReader;
use super::{DateValue, Fact};
use crate::config::{ContactEntry, OpeningHoursEntry};
use crate::diagnostics::Problem;
use crate::localized::{Localized, LocalizedSource};
use crate::phone::PhoneNumber;

/// The centre's contact details, checked.
#[derive(Debug, Clone)]
pub struct Contact {
    pub name: Localized,
    pub phone_label: Localized,
    pub phone: Fact<PhoneNumber>,
    pub hours: Option<Fact<Localized>>,
    /// What kind of hours `hours` are; from the same source.
    pub open: Option<Open>,
    pub address: Option<Fact<Localized>>,
    pub inquiry_phones: Option<Fact<Vec<PhoneNumber>>>,
    /// What the other numbers' source calls them; a page adds no use of its own.
    pub inquiry_label: Option<Localized>,
    pub inquiry_unit: Option<Localized>,
    pub fax: Option<Fact<PhoneNumber>>,
    pub note: Option<Localized>,
    /// `hours` as days and times; from the same source.
    pub opening_hours: Option<Fact<OpeningHours>>,
    pub area_served: Option<Fact<Localized>>,
    pub parent_organization: Option<Fact<Localized>>,
}

/// The days and times the words of `hours` give, for machines to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningHours {
    /// In the order of the week, Monday first, each once.
    pub days: Vec<Weekday>,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
    /// The first day the source gives these hours for, if it gives one.
    pub valid_from: Option<NaiveDate>,
}

/// The names a day may be written with: English, and Japanese with or without 曜日.
const WEEKDAY_NAMES: [(Weekday, &str, &str); 7] = [
    (Weekday::Mon, "monday", "月"),
    (Weekday::Tue, "tuesday", "火"),
    (Weekday::Wed, "wednesday", "水"),
    (Weekday::Thu, "thursday", "木"),
    (Weekday::Fri, "friday", "金"),
    (Weekday::Sat, "saturday", "土"),
    (Weekday::Sun, "sunday", "日"),
];

fn weekday(written: &str) -> Option<Weekday> {
    let written = written.trim();
    let japanese = written.strip_suffix("曜日").unwrap_or(written);
    WEEKDAY_NAMES
        .iter()
        .find(|(_, english, kanji)| written.eq_ignore_ascii_case(english) || japanese == *kanji)
        .map(|(day, _, _)| *day)
}

/// A time of day as `09:00`: two digits for the hour, two for the minutes.
fn clock_time(written: &str) -> Option<NaiveTime> {
    let bytes = written.as_bytes();
    if bytes.len() != 5 || bytes[2] != b':' {
        return None;
    }
    NaiveTime::parse_from_str(written, "%H:%M").ok()
}

fn opening_hours(reader: &mut FileReader, entry: &OpeningHoursEntry) -> Option<OpeningHours> {
    let mut days = Vec::new();
    let mut fine = true;
    for written in &entry.days {
        match weekday(written.get_ref()) {
            Some(day) if days.contains(&day) => {
                reader.error(
                    written.span(),
                    Problem::RepeatedWeekday {
                        value: written.get_ref().clone(),
                    },
                );
                fine = false;
            }
            Some(day) => days.push(day),
            None => {
                reader.error(
                    written.span(),
                    Problem::UnknownWeekday {
                        value: written.get_ref().clone(),
                    },
                );
                fine = false;
            }
        }
    }
    days.sort_by_key(|day| day.num_days_from_monday());
    let time = |reader: &mut FileReader, key: &str, written: &Spanned<String>| {
        let time = clock_time(written.get_ref());
        if time.is_none() {
            reader.error(
                written.span(),
                Problem::InvalidClockTime {
                    key: key.to_owned(),
                    value: written.get_ref().clone(),
                },
            );
        }
        time
    };
    let opens = time(reader, "opens", &entry.opens);
    let closes = time(reader, "closes", &entry.closes);
    if let (Some(opens), Some(closes)) = (opens, closes)
        && closes <= opens
    {
        reader.error(
            entry.closes.span(),
            Problem::ClosesNotAfterOpens {
                opens: entry.opens.get_ref().clone(),
                closes: entry.closes.get_ref().clone(),
            },
        );
        fine = false;
    }
    let valid_from = match &entry.valid_from {
        Some(date) => {
            let span = date.span();
            let value = Spanned::new(span, DateValue::Date(*date.get_ref()));
            let day = reader.day("valid_from", value);
            fine &= day.is_some();
            day
        }
        None => None,
    };
    if !fine {
        return None;
    }
    Some(OpeningHours {
        days,
        opens: opens?,
        closes: closes?,
        valid_from,
    })
}

/// `line` is where the `[contact]` table is written, for a problem with it as a whole.
pub(super) fn read(reader: &mut FileReader, entry: &ContactEntry, line: usize) -> Option<Contact> {
    reader.enter(crate::diagnostics::Entry {
        heading: "[contact]".to_owned(),
        name: None,
        number: None,
    });
    let whole = entry.source.as_ref();
    let text = |reader: &mut FileReader, field: &str, value: &Option<Spanned<LocalizedSource>>| {
        value.clone().and_then(|v| reader.text(field, v))
    };
    let phone =
        match &entry.phone {
            Some(p) if !p.get_ref().trim().is_empty() => {
                let number = reader.phone("phone", p);
                reader.fact(
                    number,
                    "phone",
                    p.span(),
                    entry.phone_source.as_ref(),
                    whole,
                )
            }
            _ => {
                let d = crate::diagnostics::Diagnostic::error(Problem::MissingConsultationPhone)
                    .at(&reader.file.rel, line, 1, Some(&reader.file.text));
                reader.problems.push(d);
                None
            }
        };
    let hours = reader.text_fact("hours", &entry.hours, entry.hours_source.as_ref(), whole);
    let open = super::helplines::open_of(reader, entry.open.as_ref(), entry.hours.is_some());
    let address = reader.text_fact(
        "address",
        &entry.address,
        entry.address_source.as_ref(),
        whole,
    );
    let inquiry_phones = match entry.inquiry_phones.first() {
        None => None,
        Some(first) => {
            let numbers: Option<Vec<PhoneNumber>> = entry
                .inquiry_phones
                .iter()
                .map(|p| reader.phone("inquiry_phones", p))
                .collect();
            reader.fact(
                numbers,
                "inquiry_phones",
                first.span(),
                entry.inquiry_source.as_ref(),
                whole,
            )
        }
    };
    let fax = reader.phone_fact("fax", &entry.fax, entry.fax_source.as_ref(), whole);
    let name = text(reader, "name", &entry.name).unwrap_or_default();
    let phone_label = text(reader, "phone_label", &entry.phone_label).unwrap_or_default();
    let inquiry_label = text(reader, "inquiry_label", &entry.inquiry_label);
    let inquiry_unit = text(reader, "inquiry_unit", &entry.inquiry_unit);
    let note = text(reader, "note", &entry.note);
    let opening_hours = match &entry.opening_hours {
        Some(written) => {
            if entry.hours.is_none() {
                reader.error(written.span(), Problem::OpeningHoursWithoutWords);
            }
            let value = opening_hours(reader, written.get_ref());
            reader.fact(
                value,
                "opening_hours",
                written.span(),
                entry.hours_source.as_ref(),
                whole,
            )
        }
        None => None,
    };
    let area_served = reader.text_fact(
        "area_served",
        &entry.area_served,
        entry.area_served_source.as_ref(),
        whole,
    );
    let parent_organization = reader.text_fact(
        "parent_organization",
        &entry.parent_organization,
        entry.parent_organization_source.as_ref(),
        whole,
    );
    Some(Contact {
        name,
        phone_label,
        phone: phone?,
        hours,
        open,
        address,
        inquiry_phones,
        inquiry_label,
        inquiry_unit,
        fax,
        note,
        opening_hours,
        area_served,
        parent_organization,
    })
}
