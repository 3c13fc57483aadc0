//! The centre's own contact details: the `[contact]` table of `site.toml`.
//!
//! The consultation line is shown on every page, so it is required; each of its facts
//! (the number, the hours, the address, the enquiry numbers) names its own source.

use chrono::{NaiveDate, NaiveTime, Timelike, Weekday};
use toml::Spanned;

use super::helplines::Open;
use super::reader::FileReader;
use super::{DateValue, Fact};
use crate::config::{ContactEntry, OpeningHoursEntry};
use crate::diagnostics::{Diagnostic, Problem};
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

/// The names a day may be written with: English, and Japanese with or without 曜日 (月曜日,
/// 月曜, 月).
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
    let japanese = written
        .strip_suffix("曜日")
        .or_else(|| written.strip_suffix('曜'))
        .unwrap_or(written);
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

/// Whether words about hours give the opening and closing times: as a clock time
/// (`9:00`, `17:00`, `５:00 pm`, `9am`) or in hours (`9時`, `午後5時`, `9時30分`, both
/// of `9～17時`), in half- or full-width digits. Days are not compared: the words name them too many ways.
fn says_times(words: &str, hours: &OpeningHours) -> bool {
    let said = times_in_words(&crate::ruby::plain(words));
    let minutes = |t: NaiveTime| t.hour() * 60 + t.minute();
    said.contains(&minutes(hours.opens)) && said.contains(&minutes(hours.closes))
}

/// The times of day words give, in minutes after midnight.
fn times_in_words(words: &str) -> Vec<u32> {
    let chars: Vec<char> = words
        .chars()
        .map(|c| match c {
            '：' => ':',
            c => crate::width::ascii_digit(c),
        })
        .filter(|c| *c != ' ' && *c != '\u{3000}')
        .collect();
    let number_at = |at: usize| -> Option<(u32, usize)> {
        let digits: String = chars[at..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        let value = digits.parse().ok()?;
        Some((value, at + digits.len()))
    };
    let mut times = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        if !chars[at].is_ascii_digit() || (at > 0 && chars[at - 1].is_ascii_digit()) {
            at += 1;
            continue;
        }
        let Some((hour, after)) = number_at(at) else {
            at += 1;
            continue;
        };
        // Only the two characters before it: 午後.
        let after_gogo = at >= 2 && chars[at - 2..at] == ['午', '後'];
        let mut minute = None;
        let mut end = after;
        match chars.get(after) {
            Some(':') => {
                if let Some((m, next)) = number_at(after + 1) {
                    minute = Some(m);
                    end = next;
                }
            }
            Some('時') => {
                minute = Some(0);
                end = after + 1;
                if chars.get(end) == Some(&'半') {
                    minute = Some(30);
                    end += 1;
                } else if let Some((m, next)) = number_at(end)
                    && chars.get(next) == Some(&'分')
                {
                    minute = Some(m);
                    end = next + 1;
                }
            }
            _ => {
                let rest: String = chars[after..]
                    .iter()
                    .take(4)
                    .collect::<String>()
                    .to_lowercase();
                // `9am`, `5 p.m.`; or the first of two hours that share one unit,
                // `9～17時`, `9から17時`.
                let range_end = match chars.get(after) {
                    Some('～' | '〜' | '~' | '-' | '–') => Some(after + 1),
                    Some('か') if chars.get(after + 1) == Some(&'ら') => Some(after + 2),
                    _ => None,
                };
                let shares_unit = range_end
                    .and_then(number_at)
                    .is_some_and(|(_, next)| chars.get(next) == Some(&'時'));
                if ["am", "a.m.", "pm", "p.m."]
                    .iter()
                    .any(|m| rest.starts_with(m))
                    || shares_unit
                {
                    minute = Some(0);
                }
            }
        }
        if let Some(minute) = minute {
            let rest: String = chars[end..]
                .iter()
                .take(4)
                .collect::<String>()
                .to_lowercase();
            let afternoon = after_gogo || rest.starts_with("pm") || rest.starts_with("p.m.");
            let hour = if afternoon && hour < 12 {
                hour + 12
            } else {
                hour
            };
            if hour <= 24 && minute < 60 {
                times.push(hour * 60 + minute);
            }
        }
        at = end.max(at + 1);
    }
    times
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
            // One mistake, one message: every language whose words lack the times.
            if let (Some(hours), Some(words)) = (&value, &hours) {
                let lacking: Vec<(String, String)> = words
                    .value
                    .texts()
                    .filter(|(_, text)| !says_times(text, hours))
                    .map(|(lang, text)| (lang.to_owned(), crate::ruby::plain(text)))
                    .collect();
                if !lacking.is_empty() {
                    let warning = Diagnostic::warning(Problem::OpeningHoursNotInWords {
                        opens: hours.opens.format("%H:%M").to_string(),
                        closes: hours.closes.format("%H:%M").to_string(),
                        words: lacking,
                    });
                    let located = reader.located(written.span(), warning);
                    reader.problems.push(located);
                }
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(opens: &str, closes: &str) -> OpeningHours {
        OpeningHours {
            days: vec![Weekday::Mon],
            opens: clock_time(opens).expect("opens"),
            closes: clock_time(closes).expect("closes"),
            valid_from: None,
        }
    }

    #[test]
    fn times_are_read_from_words_as_people_write_them() {
        for words in [
            "月曜日～金曜日 9時～17時（面接相談は予約制）",
            "{午前|ごぜん}9{時|じ}から {午後|ごご}5{時|じ}まで",
            "Monday to Friday, 9:00 to 17:00",
            "9:00 a.m. to 5:00 p.m.",
            "９：００～１７：００",
            "平日 ９時から１７時まで",
            "月～金 9～17時",
            "平日9から17時",
            "9am to 5pm",
            "9 a.m.–5 p.m.",
        ] {
            assert!(says_times(words, &hours("09:00", "17:00")), "{words}");
        }
        assert!(says_times(
            "8時30分から17時15分まで",
            &hours("08:30", "17:15")
        ));
        assert!(says_times("9時半～午後4時半", &hours("09:30", "16:30")));
        for words in [
            "月曜日～金曜日 9時～17時",
            "9:00 to 17:00",
            "平日の日中",
            "電話 0229-23-0024",
            "9～17日",
        ] {
            assert!(!says_times(words, &hours("09:00", "17:30")), "{words}");
        }
    }
}
