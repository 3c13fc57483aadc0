//! The data files as one language reads them, built once per language per build.
//!
//! Templates get words in the page's language (marked with their own language where
//! they fall back to another), the official name beside a translated one, numbers with
//! their `tel:` links, and every fact's source written out next to it, saying which facts
//! it backs and as of when. A template never picks fields by language itself.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::data::{
    AsOf, Contact, Data, Desk, Directory, District, Emergency, Fact, Helpline, Municipality,
    Office, Open, Publication, Source,
};
use crate::dates;
use crate::locale::{Locale, Script, SizeStyle};
use crate::localized::{Localized, Shown};
use crate::phone::PhoneNumber;
use crate::theme::Strings;

#[derive(Debug, Default, Serialize)]
pub struct DataView {
    pub contact: Option<ContactView>,
    pub districts: Vec<DistrictView>,
    /// Every municipality by name, grouped as the language indexes names.
    pub municipality_index: Vec<IndexGroup>,
    pub municipality_count: usize,
    pub publications: Vec<PublicationView>,
    pub emergency: Vec<EmergencyView>,
    pub helplines: Vec<HelplineView>,
    /// Which of the lines above can be called when, as their sources give it.
    pub open_groups: Vec<OpenGroup>,
    /// The accessibility test-results page's data (試験結果).
    pub test_results: Option<super::test_results::TestResultsView>,
    /// The municipal desks as open data, where the site publishes them.
    pub open_data: Option<super::open_data::OpenDataView>,
    /// Every source, by id, for the pages that cite them.
    #[serde(skip)]
    pub sources: BTreeMap<String, SourceView>,
}

/// A date in words with the phrase around it: `（` `2025年（令和7年）11月12日` `掲載）`.
#[derive(Debug, Clone, Serialize)]
pub struct Dated {
    pub before: String,
    pub date: String,
    /// For `<time datetime>`, where the date has a machine form.
    pub iso: Option<String>,
    pub after: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub id: String,
    pub title: Shown,
    pub url: String,
    /// When the source's facts held, as the source says: its 掲載日, its year.
    pub as_of: Dated,
    /// The day a person compared the facts with the live source, if anyone has.
    pub verified: Option<Dated>,
    pub note: Option<Shown>,
}

/// The facts of one entry that a source backs: "phone and address: source X".
#[derive(Debug, Clone, Serialize)]
pub struct Backing {
    /// What the source backs, in words: `電話・所在地`.
    pub facts: String,
    pub source: SourceView,
}

#[derive(Debug, Serialize)]
pub struct ContactView {
    pub name: Shown,
    pub phone_label: Shown,
    pub phone: PhoneNumber,
    pub hours: Option<Shown>,
    pub address: Option<Shown>,
    pub inquiry_phones: Vec<PhoneNumber>,
    pub inquiry_label: Option<Shown>,
    pub inquiry_unit: Option<Shown>,
    pub fax: Option<PhoneNumber>,
    pub note: Option<Shown>,
    /// The source of the consultation line, for the note beside it on every page.
    pub phone_source: Option<SourceView>,
    /// Whether the other numbers' source is newer than the consultation line's: lists
    /// of both give the newer source's numbers first, neither replacing the other.
    pub inquiry_is_newer: bool,
    pub sources: Vec<Backing>,
}

#[derive(Debug, Serialize)]
pub struct DistrictView {
    pub id: String,
    pub name: Shown,
    /// The official (default-language) name, when the page shows a translation.
    pub official: Option<String>,
    pub note: Option<Shown>,
    pub office: Option<OfficeView>,
    pub municipalities: Vec<MunicipalityView>,
    /// The source for which municipalities belong to the district.
    pub area_source: Option<SourceView>,
}

#[derive(Debug, Serialize)]
pub struct OfficeView {
    pub name: Shown,
    pub official: Option<String>,
    pub phone: Option<PhoneNumber>,
    pub phone_unit: Option<Shown>,
    pub address: Option<Shown>,
    pub service: Option<Shown>,
    pub sources: Vec<Backing>,
}

/// Names under one heading of an index (`あ行`, `A`).
#[derive(Debug, Serialize)]
pub struct IndexGroup {
    pub heading: String,
    pub entries: Vec<IndexEntry>,
}

/// A name in an index, and the code its entry is found by.
#[derive(Debug, Serialize)]
pub struct IndexEntry {
    pub code: String,
    pub name: Shown,
}

#[derive(Debug, Serialize)]
pub struct MunicipalityView {
    pub code: String,
    pub name: Shown,
    pub official: Option<String>,
    pub kana: String,
    pub served_by: Option<Shown>,
    pub served_by_phone: Option<PhoneNumber>,
    pub desk: Option<DeskView>,
    pub sources: Vec<Backing>,
}

#[derive(Debug, Serialize)]
pub struct DeskView {
    pub name: Shown,
    pub official: Option<String>,
    pub phone: Option<PhoneNumber>,
    pub fax: Option<PhoneNumber>,
    pub address: Option<Shown>,
}

#[derive(Debug, Serialize)]
pub struct PublicationView {
    pub title: Shown,
    pub official: Option<String>,
    pub description: Option<Shown>,
    /// Below the site root when the file is held here.
    pub href: Option<String>,
    pub page_url: String,
    pub format: String,
    /// `1,409KB` or `1.4 MB`, as each language writes sizes.
    pub size: Option<String>,
    pub source: Option<SourceView>,
    /// Below the site root: the page with the same content, for readers who cannot
    /// use the file.
    pub alternative: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct EmergencyView {
    pub number: PhoneNumber,
    pub name: Shown,
    pub when: Shown,
    pub source: Option<SourceView>,
}

/// The lines whose sources give one kind of hours; the template heads each group with
/// the theme's words for its kind (`t.open_always`, …).
#[derive(Debug, Serialize)]
pub struct OpenGroup {
    /// `always`, `set-times`, `by-area`, `as-given` (hours whose kind `open` does not
    /// say) or `unknown` (no source gives hours).
    pub kind: &'static str,
    pub lines: Vec<OpenLine>,
}

#[derive(Debug, Serialize)]
pub struct OpenLine {
    pub name: Shown,
    pub phone: PhoneNumber,
    /// The hours as the source gives them, where they say more than the heading.
    pub hours: Option<Shown>,
    /// When the source of the hours (or, without hours, of the number) held.
    pub as_of: Option<Dated>,
}

#[derive(Debug, Serialize)]
pub struct HelplineView {
    pub name: Shown,
    pub official: Option<String>,
    pub phone: PhoneNumber,
    pub hours: Option<Shown>,
    pub charge: Option<Shown>,
    pub note: Option<Shown>,
    pub sources: Vec<Backing>,
}

/// `1,409KB` (as Japanese public bodies write sizes) or `1.4 MB`.
pub fn file_size(bytes: u64, style: SizeStyle) -> String {
    if style == SizeStyle::Kilobytes {
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

/// Builds the views of one language.
pub struct ViewBuilder<'a> {
    data: &'a Data,
    /// Each download's page with the same content, by language (`Site::alternatives`).
    alternatives: &'a BTreeMap<String, BTreeMap<String, String>>,
    lang: &'a str,
    default: &'a str,
    t: &'a Strings,
    locale: &'a Locale,
}

pub fn data_view(
    data: &Data,
    alternatives: &BTreeMap<String, BTreeMap<String, String>>,
    lang: &str,
    default: &str,
    t: &Strings,
    locale: &Locale,
) -> DataView {
    let b = ViewBuilder {
        data,
        alternatives,
        lang,
        default,
        t,
        locale,
    };
    DataView {
        contact: data.contact.as_ref().map(|c| b.contact(c)),
        districts: b.districts(&data.directory),
        municipality_index: b.municipality_index(&data.directory),
        municipality_count: data.directory.municipalities.len(),
        publications: data.publications.iter().map(|p| b.publication(p)).collect(),
        emergency: data.emergency.iter().map(|e| b.emergency(e)).collect(),
        helplines: data.helplines.iter().map(|h| b.helpline(h)).collect(),
        open_groups: b.open_groups(),
        test_results: None,
        open_data: None,
        sources: data
            .sources
            .iter()
            .map(|source| (source.id.clone(), b.source_view(source)))
            .collect(),
    }
}

/// Which facts each source backs, in the order the facts are shown.
struct Backings<'b> {
    by_source: Vec<(String, Vec<&'b str>)>,
}

impl<'b> Backings<'b> {
    fn new() -> Self {
        Backings {
            by_source: Vec::new(),
        }
    }

    /// Notes that the fact labelled `label` (an interface-text key) rests on `source`.
    fn add<T>(&mut self, fact: Option<&Fact<T>>, label: &'b str) {
        let Some(fact) = fact else { return };
        match self.by_source.iter_mut().find(|(id, _)| *id == fact.source) {
            Some((_, labels)) => labels.push(label),
            None => self.by_source.push((fact.source.clone(), vec![label])),
        }
    }
}

impl ViewBuilder<'_> {
    fn text(&self, text: &Localized) -> Shown {
        text.shown(self.lang, self.default)
    }

    fn optional(&self, text: Option<&Localized>) -> Option<Shown> {
        text.filter(|t| !t.is_empty()).map(|t| self.text(t))
    }

    /// The default-language name, shown beside a translated one so that readers can say
    /// the official name on the phone.
    fn official(&self, name: &Localized) -> Option<String> {
        let (shown, shown_lang) = name.pick(self.lang, self.default)?;
        if shown_lang == self.default {
            return None;
        }
        // The same name with furigana (やさしい日本語), and with spaces between its
        // words, is no other name.
        let words =
            |text: &str| -> String { text.chars().filter(|c| !c.is_whitespace()).collect() };
        name.get(self.default)
            .filter(|official| words(&crate::ruby::plain(shown)) != words(official))
            .map(str::to_owned)
    }

    fn string(&self, key: &str) -> &str {
        self.t.get(key).map_or("", String::as_str)
    }

    /// A phrase from the interface texts with `{date}` in it, split around the date.
    fn dated(&self, key: &str, date: String, iso: Option<String>) -> Dated {
        let phrase = self.string(key);
        let (before, after) = phrase.split_once("{date}").unwrap_or((phrase, ""));
        Dated {
            before: before.to_owned(),
            date,
            iso,
            after: after.to_owned(),
        }
    }

    fn source(&self, id: &str) -> Option<SourceView> {
        self.data.sources.get(id).map(|s| self.source_view(s))
    }

    fn source_view(&self, source: &Source) -> SourceView {
        let style = self.locale.date_style;
        let as_of = match source.as_of {
            AsOf::Published(d) => self.dated(
                "source_published",
                dates::day_or_month(d.date(), !d.month_only, style),
                Some(d.iso()),
            ),
            AsOf::Updated(d) => self.dated(
                "source_updated",
                dates::day_or_month(d.date(), !d.month_only, style),
                Some(d.iso()),
            ),
            AsOf::Dated(d) => self.dated(
                "source_dated",
                dates::day_or_month(d.date(), !d.month_only, style),
                Some(d.iso()),
            ),
            AsOf::Year(y) => self.dated("source_year", dates::year(y, style), Some(y.to_string())),
            AsOf::FiscalYear(y) => {
                self.dated("source_fiscal_year", dates::fiscal_year(y, style), None)
            }
            AsOf::Undated => self.dated("source_undated", String::new(), None),
        };
        SourceView {
            id: source.id.clone(),
            title: self.text(&source.title),
            url: source.url.clone(),
            as_of,
            verified: source.verified.map(|d| {
                self.dated(
                    "source_verified",
                    dates::day_or_month(d, true, style),
                    Some(d.format("%Y-%m-%d").to_string()),
                )
            }),
            note: self.optional(source.note.as_ref()),
        }
    }

    fn backings(&self, backings: Backings) -> Vec<Backing> {
        let separator = self.string("list_separator");
        backings
            .by_source
            .into_iter()
            .filter_map(|(id, labels)| {
                let facts: Vec<&str> = labels.iter().map(|l| self.string(l)).collect();
                Some(Backing {
                    facts: facts.join(separator),
                    source: self.source(&id)?,
                })
            })
            .collect()
    }

    fn contact(&self, c: &Contact) -> ContactView {
        let mut backings = Backings::new();
        backings.add(Some(&c.phone), "fact_consultation_phone");
        backings.add(c.hours.as_ref(), "fact_hours");
        backings.add(c.address.as_ref(), "fact_address");
        backings.add(c.inquiry_phones.as_ref(), "fact_inquiry_phones");
        backings.add(c.fax.as_ref(), "fact_fax");
        ContactView {
            name: self.text(&c.name),
            phone_label: self.text(&c.phone_label),
            phone: c.phone.value.clone(),
            hours: self.optional(c.hours.as_ref().map(|h| &h.value)),
            address: self.optional(c.address.as_ref().map(|a| &a.value)),
            inquiry_phones: c
                .inquiry_phones
                .as_ref()
                .map(|f| f.value.clone())
                .unwrap_or_default(),
            inquiry_label: self.optional(c.inquiry_label.as_ref()),
            inquiry_unit: self.optional(c.inquiry_unit.as_ref()),
            fax: c.fax.as_ref().map(|f| f.value.clone()),
            note: self.optional(c.note.as_ref()),
            phone_source: self.source(&c.phone.source),
            inquiry_is_newer: c.inquiry_phones.as_ref().is_some_and(|inquiry| {
                let held = |id: &str| self.data.sources.get(id).and_then(|s| s.holds_at());
                held(&inquiry.source) > held(&c.phone.source)
            }),
            sources: self.backings(backings),
        }
    }

    fn districts(&self, directory: &Directory) -> Vec<DistrictView> {
        directory
            .districts
            .iter()
            .map(|d| self.district(d, directory))
            .collect()
    }

    /// An index of every municipality by name. A language written in Japanese script
    /// orders by the kana reading, in 五十音 rows (`directory_index_row` names a row,
    /// `{kana}行`); another orders the names as shown, under their first letter.
    fn municipality_index(&self, directory: &Directory) -> Vec<IndexGroup> {
        let entry = |m: &Municipality| IndexEntry {
            code: m.code.clone(),
            name: self.text(&m.name),
        };
        let mut keyed: Vec<(String, (String, String), IndexEntry)> = match self.locale.script {
            Script::Japanese => directory
                .municipalities
                .iter()
                .map(|m| {
                    let row = crate::kana::row(&m.kana)
                        .map(String::from)
                        .unwrap_or_default();
                    let heading = self.string("directory_index_row").replace("{kana}", &row);
                    (heading, crate::kana::sort_key(&m.kana), entry(m))
                })
                .collect(),
            Script::Latin => directory
                .municipalities
                .iter()
                .map(|m| {
                    let e = entry(m);
                    let folded = e.name.text.to_lowercase();
                    let heading = folded
                        .chars()
                        .next()
                        .map(|c| c.to_uppercase().collect())
                        .unwrap_or_default();
                    (heading, (folded, e.name.text.clone()), e)
                })
                .collect(),
        };
        keyed.sort_by(|a, b| a.1.cmp(&b.1));
        let mut groups: Vec<IndexGroup> = Vec::new();
        for (heading, _, entry) in keyed {
            match groups.last_mut() {
                Some(group) if group.heading == heading => group.entries.push(entry),
                _ => groups.push(IndexGroup {
                    heading,
                    entries: vec![entry],
                }),
            }
        }
        groups
    }

    fn district(&self, d: &District, directory: &Directory) -> DistrictView {
        DistrictView {
            id: d.id.clone(),
            name: self.text(&d.name),
            official: self.official(&d.name),
            note: self.optional(d.note.as_ref()),
            office: d
                .office
                .as_ref()
                .and_then(|id| directory.offices.iter().find(|o| o.id == *id))
                .map(|o| self.office(o)),
            municipalities: directory
                .municipalities
                .iter()
                .filter(|m| m.district == d.id)
                .map(|m| self.municipality(m))
                .collect(),
            area_source: d.area_source.as_deref().and_then(|id| self.source(id)),
        }
    }

    fn office(&self, o: &Office) -> OfficeView {
        let mut backings = Backings::new();
        backings.add(o.phone.as_ref(), "fact_phone");
        backings.add(o.address.as_ref(), "fact_address");
        backings.add(o.service.as_ref(), "fact_service");
        OfficeView {
            name: self.text(&o.name),
            official: self.official(&o.name),
            phone: o.phone.as_ref().map(|p| p.value.clone()),
            phone_unit: self.optional(o.phone_unit.as_ref()),
            address: self.optional(o.address.as_ref().map(|a| &a.value)),
            service: self.optional(o.service.as_ref().map(|s| &s.value)),
            sources: self.backings(backings),
        }
    }

    fn municipality(&self, m: &Municipality) -> MunicipalityView {
        let mut backings = Backings::new();
        backings.add(m.served_by.as_ref(), "fact_served_by");
        backings.add(m.served_by_phone.as_ref(), "fact_phone");
        if let Some(desk) = &m.desk {
            backings.add(Some(&desk.name), "fact_desk");
            backings.add(desk.phone.as_ref(), "fact_phone");
            backings.add(desk.fax.as_ref(), "fact_fax");
            backings.add(desk.address.as_ref(), "fact_address");
        }
        MunicipalityView {
            code: m.code.clone(),
            name: self.text(&m.name),
            official: self.official(&m.name),
            kana: m.kana.clone(),
            served_by: m.served_by.as_ref().map(|s| self.text(&s.value)),
            served_by_phone: m.served_by_phone.as_ref().map(|p| p.value.clone()),
            desk: m.desk.as_ref().map(|d| self.desk(d)),
            sources: self.backings(backings),
        }
    }

    fn desk(&self, d: &Desk) -> DeskView {
        DeskView {
            name: self.text(&d.name.value),
            official: self.official(&d.name.value),
            phone: d.phone.as_ref().map(|p| p.value.clone()),
            fax: d.fax.as_ref().map(|f| f.value.clone()),
            address: self.optional(d.address.as_ref().map(|a| &a.value)),
        }
    }

    fn publication(&self, p: &Publication) -> PublicationView {
        PublicationView {
            title: self.text(&p.title),
            official: self.official(&p.title),
            description: self.optional(p.description.as_ref()),
            href: p.href.clone(),
            page_url: p.page_url.clone(),
            format: p.format.clone(),
            size: p.size.map(|s| file_size(s, self.locale.size_style)),
            source: self.source(&p.source),
            alternative: p
                .file
                .as_ref()
                .and_then(|f| self.alternatives.get(f))
                .and_then(|by_language| by_language.get(self.lang))
                .cloned(),
        }
    }

    fn emergency(&self, e: &Emergency) -> EmergencyView {
        EmergencyView {
            number: e.number.clone(),
            name: self.text(&e.name),
            when: self.text(&e.when),
            source: self.source(&e.source),
        }
    }

    /// Every line of the page that lists lines to call (the emergency numbers, the
    /// helplines, the centre's consultation line), grouped by what its source gives of
    /// its hours; empty when the data has no helplines. Nothing here is worded by
    /// hand: the headings are the theme's, the names and hours the data's. Hours are
    /// shown where they say more than the heading (`set-times`, or of a kind not given).
    fn open_groups(&self) -> Vec<OpenGroup> {
        if self.data.helplines.is_empty() {
            return Vec::new();
        }
        let mut lines: Vec<(&'static str, OpenLine)> = Vec::new();
        let kind = |open: Option<Open>, has_hours: bool| match open {
            Some(Open::Always) => "always",
            Some(Open::SetTimes) => "set-times",
            Some(Open::ByArea) => "by-area",
            None if has_hours => "as-given",
            None => "unknown",
        };
        for e in &self.data.emergency {
            // An emergency number's hours are in its `when`; without `open`, its kind
            // is not known here.
            let line = OpenLine {
                name: self.text(&e.name),
                phone: e.number.clone(),
                hours: None,
                as_of: self.dated_source(&e.source),
            };
            lines.push((kind(e.open, false), line));
        }
        for h in &self.data.helplines {
            let hours = h.hours.as_ref().map(|x| &x.value);
            let source = h.hours.as_ref().map_or(&h.phone.source, |x| &x.source);
            // The heading says all of `always` and `by-area` hours.
            let says_more = matches!(h.open, None | Some(Open::SetTimes));
            let line = OpenLine {
                name: self.text(&h.name),
                phone: h.phone.value.clone(),
                hours: self.optional(hours).filter(|_| says_more),
                as_of: self.dated_source(source),
            };
            lines.push((kind(h.open, hours.is_some()), line));
        }
        if let Some(c) = &self.data.contact {
            let hours = c.hours.as_ref().map(|x| &x.value);
            let source = c.hours.as_ref().map_or(&c.phone.source, |x| &x.source);
            let says_more = matches!(c.open, None | Some(Open::SetTimes));
            let line = OpenLine {
                name: self.text(&c.phone_label),
                phone: c.phone.value.clone(),
                hours: self.optional(hours).filter(|_| says_more),
                as_of: self.dated_source(source),
            };
            lines.push((kind(c.open, hours.is_some()), line));
        }
        let mut groups: Vec<OpenGroup> = ["always", "set-times", "by-area", "as-given", "unknown"]
            .into_iter()
            .map(|kind| OpenGroup {
                kind,
                lines: Vec::new(),
            })
            .collect();
        for (kind, line) in lines {
            if let Some(group) = groups.iter_mut().find(|g| g.kind == kind) {
                group.lines.push(line);
            }
        }
        groups.retain(|g| !g.lines.is_empty());
        groups
    }

    /// When a source's facts held, if it says.
    fn dated_source(&self, id: &str) -> Option<Dated> {
        let source = self.data.sources.get(id)?;
        (source.as_of != AsOf::Undated || source.verified.is_some())
            .then(|| self.source_view(source).as_of)
    }

    fn helpline(&self, h: &Helpline) -> HelplineView {
        let mut backings = Backings::new();
        backings.add(Some(&h.phone), "fact_phone");
        backings.add(h.hours.as_ref(), "fact_hours");
        backings.add(h.charge.as_ref(), "fact_charge");
        HelplineView {
            name: self.text(&h.name),
            official: self.official(&h.name),
            phone: h.phone.value.clone(),
            hours: self.optional(h.hours.as_ref().map(|x| &x.value)),
            charge: self.optional(h.charge.as_ref().map(|x| &x.value)),
            note: h.note.as_ref().and_then(|n| n.shown_if_written(self.lang)),
            sources: self.backings(backings),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_written_per_language() {
        use SizeStyle::*;
        assert_eq!(file_size(1409 * 1024, Kilobytes), "1,409KB");
        assert_eq!(file_size(1409 * 1024, Metric), "1.4 MB");
        assert_eq!(file_size(934 * 1024, Metric), "934 KB");
        assert_eq!(file_size(500, Kilobytes), "1KB");
        assert_eq!(file_size(12_345 * 1024, Kilobytes), "12,345KB");
    }
}
