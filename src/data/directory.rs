//! `content/directory.toml`: the municipal contact directory.
//!
//! Every municipality of the prefecture, grouped into districts served by a prefectural
//! health-and-welfare office, with its hikikomori desk where a source gives one. A desk
//! no source gives stays absent, and the page says what to do instead; it is never
//! filled in by guessing.

use serde::Deserialize;
use toml::Spanned;

use super::Fact;
use super::reader::FileReader;
use crate::diagnostics::Problem;
use crate::localized::{Localized, LocalizedSource};
use crate::phone::PhoneNumber;
use crate::toml_file::text_of;

#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub districts: Vec<District>,
    pub offices: Vec<Office>,
    pub municipalities: Vec<Municipality>,
}

/// An area served by one prefectural health-and-welfare office.
#[derive(Debug, Clone)]
pub struct District {
    pub id: String,
    pub name: Localized,
    /// The office serving it (an `office` id); none for Sendai City.
    pub office: Option<String>,
    pub note: Option<Localized>,
    /// The source for which municipalities the district takes in.
    pub area_source: Option<String>,
}

/// A prefectural health-and-welfare office (保健福祉事務所).
#[derive(Debug, Clone)]
pub struct Office {
    pub id: String,
    pub name: Localized,
    pub phone: Option<Fact<PhoneNumber>>,
    /// The team that answers the number.
    pub phone_unit: Option<Localized>,
    pub address: Option<Fact<Localized>>,
    /// What it offers people experiencing hikikomori and their families.
    pub service: Option<Fact<Localized>>,
}

/// One municipality and, where a source gives it, its hikikomori desk.
#[derive(Debug, Clone)]
pub struct Municipality {
    /// 地方公共団体コード, five digits.
    pub code: String,
    pub name: Localized,
    pub kana: String,
    pub district: String,
    pub desk: Option<Desk>,
    /// Set when another body serves its residents instead (Sendai City).
    pub served_by: Option<Fact<Localized>>,
    /// That body's number, where its source gives one.
    pub served_by_phone: Option<Fact<PhoneNumber>>,
}

/// A municipality's hikikomori desk, as a source gives it.
#[derive(Debug, Clone)]
pub struct Desk {
    pub name: Fact<Localized>,
    pub phone: Option<Fact<PhoneNumber>>,
    pub fax: Option<Fact<PhoneNumber>>,
    pub address: Option<Fact<Localized>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DistrictEntry {
    id: Spanned<String>,
    name: Spanned<LocalizedSource>,
    office: Option<Spanned<String>>,
    note: Option<Spanned<LocalizedSource>>,
    area_source: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficeEntry {
    id: Spanned<String>,
    name: Spanned<LocalizedSource>,
    phone: Option<Spanned<String>>,
    phone_unit: Option<Spanned<LocalizedSource>>,
    address: Option<Spanned<LocalizedSource>>,
    service: Option<Spanned<LocalizedSource>>,
    source: Option<Spanned<String>>,
    phone_source: Option<Spanned<String>>,
    address_source: Option<Spanned<String>>,
    service_source: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MunicipalityEntry {
    code: Spanned<String>,
    name: Spanned<LocalizedSource>,
    kana: String,
    district: Spanned<String>,
    desk: Option<DeskEntry>,
    served_by: Option<ServedByEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeskEntry {
    name: Spanned<LocalizedSource>,
    phone: Option<Spanned<String>>,
    fax: Option<Spanned<String>>,
    address: Option<Spanned<LocalizedSource>>,
    source: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServedByEntry {
    name: Spanned<LocalizedSource>,
    phone: Option<Spanned<String>>,
    source: Spanned<String>,
}

pub(super) fn read(reader: &mut FileReader) -> Directory {
    let Some(document) = reader.document(&["district", "office", "municipality"]) else {
        return Directory::default();
    };
    let offices = reader.entries::<OfficeEntry>(&document, "office");
    let districts = reader.entries::<DistrictEntry>(&document, "district");
    let municipalities = reader.entries::<MunicipalityEntry>(&document, "municipality");
    // Every id written, also of entries with a mistake of their own, so that naming one
    // is not reported as well.
    let office_ids: Vec<String> = offices
        .iter()
        .filter_map(|o| text_of(o.raw, "id").map(str::to_owned))
        .collect();
    let district_ids: Vec<String> = districts
        .iter()
        .filter_map(|d| text_of(d.raw, "id").map(str::to_owned))
        .collect();
    let mut directory = Directory::default();
    for read in offices {
        let Some(entry) = read.value else { continue };
        reader.enter(read.entry);
        if let Some(office) = office(reader, entry) {
            directory.offices.push(office);
        }
    }
    for read in districts {
        let Some(entry) = read.value else { continue };
        reader.enter(read.entry);
        if let Some(office) = &entry.office
            && !office_ids.contains(office.get_ref())
        {
            reader.error(office.span(), unknown(office.get_ref(), &office_ids));
        }
        let area_source = entry.area_source.as_ref().and_then(|s| reader.source(s));
        let note = entry.note.and_then(|n| reader.text("note", n));
        if let Some(name) = reader.text("name", entry.name) {
            directory.districts.push(District {
                id: entry.id.into_inner(),
                name,
                office: entry.office.map(Spanned::into_inner),
                note,
                area_source,
            });
        }
    }
    for read in municipalities {
        let Some(entry) = read.value else { continue };
        reader.enter(read.entry);
        if !district_ids.contains(entry.district.get_ref()) {
            reader.error(
                entry.district.span(),
                unknown(entry.district.get_ref(), &district_ids),
            );
        }
        let code = entry.code.get_ref();
        if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
            reader.error(
                entry.code.span(),
                Problem::InvalidMunicipalityCode { code: code.clone() },
            );
        } else {
            // The code names the municipality the open data and the index say it is.
            let written = name_in(&entry.name, reader.default_language());
            match crate::local_government::miyagi_municipality(code) {
                None => reader.error(
                    entry.code.span(),
                    Problem::UnknownMunicipalityCode { code: code.clone() },
                ),
                Some(listed) if written.is_some_and(|w| w != listed) => reader.error(
                    entry.code.span(),
                    Problem::MunicipalityCodeNamesAnother {
                        code: code.clone(),
                        listed: listed.to_owned(),
                        written: written.unwrap_or_default().to_owned(),
                    },
                ),
                Some(_) => {}
            }
        }
        let desk = entry.desk.and_then(|d| desk(reader, d));
        let (served_by, served_by_phone) = match entry.served_by {
            Some(s) => (
                reader.text_fact("served_by.name", &Some(s.name), Some(&s.source), None),
                reader.phone_fact("served_by.phone", &s.phone, Some(&s.source), None),
            ),
            None => (None, None),
        };
        if let Some(name) = reader.text("name", entry.name) {
            directory.municipalities.push(Municipality {
                code: entry.code.into_inner(),
                name,
                kana: entry.kana,
                district: entry.district.into_inner(),
                desk,
                served_by,
                served_by_phone,
            });
        }
    }
    directory
}

fn office(reader: &mut FileReader, entry: OfficeEntry) -> Option<Office> {
    let whole = entry.source.as_ref();
    let phone = entry.phone.as_ref().and_then(|p| {
        let number = reader.phone("phone", p);
        reader.fact(
            number,
            "phone",
            p.span(),
            entry.phone_source.as_ref(),
            whole,
        )
    });
    let address = entry.address.clone().and_then(|a| {
        let span = a.span();
        let value = reader.text("address", a);
        reader.fact(value, "address", span, entry.address_source.as_ref(), whole)
    });
    let service = entry.service.clone().and_then(|s| {
        let span = s.span();
        let value = reader.text("service", s);
        reader.fact(value, "service", span, entry.service_source.as_ref(), whole)
    });
    let phone_unit = entry.phone_unit.and_then(|u| reader.text("phone_unit", u));
    let name = reader.text("name", entry.name)?;
    Some(Office {
        id: entry.id.into_inner(),
        name,
        phone,
        phone_unit,
        address,
        service,
    })
}

fn desk(reader: &mut FileReader, entry: DeskEntry) -> Option<Desk> {
    let source = Some(&entry.source);
    let phone = reader.phone_fact("desk.phone", &entry.phone, source, None);
    let fax = reader.phone_fact("desk.fax", &entry.fax, source, None);
    let address = reader.text_fact("desk.address", &entry.address, source, None);
    let name = reader.text_fact("desk.name", &Some(entry.name), source, None)?;
    Some(Desk {
        name,
        phone,
        fax,
        address,
    })
}

/// The words of `lang` in a localized value as written, before it is read.
fn name_in<'v>(name: &'v Spanned<LocalizedSource>, lang: &str) -> Option<&'v str> {
    match name.get_ref() {
        LocalizedSource::One(text) => Some(text),
        LocalizedSource::Many(texts) => texts.get(lang).map(String::as_str),
    }
}

fn unknown(id: &str, known: &[String]) -> Problem {
    Problem::UnknownReference {
        id: id.to_owned(),
        known: known.to_vec(),
    }
}
