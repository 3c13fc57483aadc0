//! The centre's own contact details: the `[contact]` table of `site.toml`.
//!
//! The consultation line is shown on every page, so it is required; each of its facts
//! (the number, the hours, the address, the enquiry numbers) names its own source.

use toml::Spanned;

use super::Fact;
use super::helplines::Open;
use super::reader::FileReader;
use crate::config::ContactEntry;
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
    })
}
