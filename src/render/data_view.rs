//! The data files as one language reads them, built once per language per build.
//!
//! Templates get names in the page's language with the official Japanese name beside
//! them, numbers with their `tel:` links, and every source with its dates written out,
//! so a template never picks fields by language itself.

use serde::Serialize;

use crate::data::{Data, Desk, Directory, Municipality, Office, Publication, Source, SourceDate};

use super::context::tel_href;

#[derive(Debug, Default, Serialize)]
pub struct DataView {
    pub districts: Vec<DistrictView>,
    pub municipality_count: usize,
    pub publications: Vec<PublicationView>,
    pub helplines: Vec<HelplineView>,
}

#[derive(Debug, Serialize)]
pub struct DistrictView {
    pub id: String,
    pub name: String,
    pub name_ja: String,
    pub note: String,
    pub office: Option<OfficeView>,
    pub municipalities: Vec<MunicipalityView>,
}

#[derive(Debug, Serialize)]
pub struct OfficeView {
    pub name: String,
    pub name_ja: String,
    pub phone: Option<PhoneView>,
    pub phone_unit_ja: String,
    pub address_ja: String,
    pub service: String,
    pub source: SourceView,
}

#[derive(Debug, Serialize)]
pub struct MunicipalityView {
    pub code: String,
    pub name: String,
    pub name_ja: String,
    pub kana: String,
    pub served_by: String,
    pub desk: Option<DeskView>,
    pub source: SourceView,
}

#[derive(Debug, Serialize)]
pub struct DeskView {
    pub name: String,
    pub name_ja: String,
    pub phone: Option<PhoneView>,
    pub fax: String,
    pub address_ja: String,
}

#[derive(Debug, Serialize)]
pub struct PhoneView {
    pub number: String,
    pub href: String,
}

#[derive(Debug, Serialize)]
pub struct SourceView {
    pub title: String,
    pub url: String,
    /// The date the source gives, written out; empty if it gives none.
    pub dated: String,
    pub dated_iso: String,
    /// When the entry was last compared with the source, written out.
    pub checked: String,
    pub checked_iso: String,
}

#[derive(Debug, Serialize)]
pub struct PublicationView {
    pub title: String,
    pub title_ja: String,
    pub description: String,
    /// Below the site root when the file is held here; empty otherwise.
    pub href: String,
    pub page_url: String,
    pub format: String,
    /// `1,409KB` or `1.4 MB`, as each language writes sizes.
    pub size: String,
    pub source: SourceView,
}

#[derive(Debug, Serialize)]
pub struct HelplineView {
    pub name: String,
    pub name_ja: String,
    pub phone: PhoneView,
    pub hours: String,
    pub charge: String,
    pub note: String,
    pub source: SourceView,
}

/// Picks the text of `lang` from a Japanese/English pair, falling back to Japanese.
fn pick(lang: &str, ja: &str, en: &str) -> String {
    if lang == "ja" || en.is_empty() {
        ja.to_owned()
    } else {
        en.to_owned()
    }
}

fn phone(number: &str) -> Option<PhoneView> {
    (!number.is_empty()).then(|| PhoneView {
        number: number.to_owned(),
        href: tel_href(number),
    })
}

fn written(date: &str, lang: &str) -> (String, String) {
    match SourceDate::parse(date) {
        Some(d) => {
            let text = if lang == "ja" {
                d.japanese()
            } else {
                d.english()
            };
            (text, date.to_owned())
        }
        None => (String::new(), String::new()),
    }
}

fn source(s: &Source, lang: &str) -> SourceView {
    let (dated, dated_iso) = written(&s.dated, lang);
    let (checked, checked_iso) = written(&s.checked, lang);
    SourceView {
        title: pick(lang, &s.title_ja, &s.title_en),
        url: s.url.clone(),
        dated,
        dated_iso,
        checked,
        checked_iso,
    }
}

/// `1,409KB` (as Japanese public bodies write sizes) or `1.4 MB`.
pub fn file_size(bytes: u64, lang: &str) -> String {
    if lang == "ja" {
        let kb = bytes.div_ceil(1024).to_string();
        let mut grouped = String::new();
        for (i, c) in kb.chars().enumerate() {
            if i > 0 && (kb.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("{grouped}KB")
    } else if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

pub fn data_view(data: &Data, lang: &str) -> DataView {
    DataView {
        districts: districts(&data.directory, lang),
        municipality_count: data.directory.municipality.len(),
        publications: data
            .publications
            .iter()
            .map(|p| publication(p, lang))
            .collect(),
        helplines: data
            .helplines
            .iter()
            .map(|h| HelplineView {
                name: pick(lang, &h.name_ja, &h.name_en),
                name_ja: h.name_ja.clone(),
                phone: PhoneView {
                    number: h.phone.clone(),
                    href: tel_href(&h.phone),
                },
                hours: pick(lang, &h.hours_ja, &h.hours_en),
                charge: pick(lang, &h.charge_ja, &h.charge_en),
                note: pick(lang, &h.note_ja, &h.note_en),
                source: source(&h.source, lang),
            })
            .collect(),
    }
}

fn districts(directory: &Directory, lang: &str) -> Vec<DistrictView> {
    directory
        .district
        .iter()
        .map(|d| DistrictView {
            id: d.id.clone(),
            name: pick(lang, &d.name_ja, &d.name_en),
            name_ja: d.name_ja.clone(),
            note: pick(lang, &d.note_ja, &d.note_en),
            office: directory
                .office
                .iter()
                .find(|o| o.id == d.office)
                .map(|o| office(o, lang)),
            municipalities: directory
                .municipality
                .iter()
                .filter(|m| m.district == d.id)
                .map(|m| municipality(m, lang))
                .collect(),
        })
        .collect()
}

fn office(o: &Office, lang: &str) -> OfficeView {
    OfficeView {
        name: pick(lang, &o.name_ja, &o.name_en),
        name_ja: o.name_ja.clone(),
        phone: phone(&o.phone),
        phone_unit_ja: o.phone_unit_ja.clone(),
        address_ja: o.address_ja.clone(),
        service: pick(lang, &o.service_ja, &o.service_en),
        source: source(&o.source, lang),
    }
}

fn municipality(m: &Municipality, lang: &str) -> MunicipalityView {
    MunicipalityView {
        code: m.code.clone(),
        name: pick(lang, &m.name_ja, &m.name_en),
        name_ja: m.name_ja.clone(),
        kana: m.kana.clone(),
        served_by: pick(lang, &m.served_by_ja, &m.served_by_en),
        desk: m.desk.as_ref().map(|d| desk(d, lang)),
        source: source(&m.source, lang),
    }
}

fn desk(d: &Desk, lang: &str) -> DeskView {
    DeskView {
        name: pick(lang, &d.name_ja, &d.name_en),
        name_ja: d.name_ja.clone(),
        phone: phone(&d.phone),
        fax: d.fax.clone(),
        address_ja: d.address_ja.clone(),
    }
}

fn publication(p: &Publication, lang: &str) -> PublicationView {
    PublicationView {
        title: pick(lang, &p.title_ja, &p.title_en),
        title_ja: p.title_ja.clone(),
        description: pick(lang, &p.description_ja, &p.description_en),
        href: p.href.clone(),
        page_url: p.page_url.clone(),
        format: p.format.clone(),
        size: if p.size > 0 {
            file_size(p.size, lang)
        } else {
            String::new()
        },
        source: source(&p.source, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_written_per_language() {
        assert_eq!(file_size(1409 * 1024, "ja"), "1,409KB");
        assert_eq!(file_size(1409 * 1024, "en"), "1.4 MB");
        assert_eq!(file_size(934 * 1024, "en"), "934 KB");
        assert_eq!(file_size(500, "ja"), "1KB");
        assert_eq!(file_size(12_345 * 1024, "ja"), "12,345KB");
    }
}
