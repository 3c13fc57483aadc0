//! Reading one data file: typed values out of TOML, every problem located at the value
//! it is about and named with its entry, and every fact tied to a source that exists.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::glossary::Glossary;
use super::source::{Sources, plausible_year};
use super::{DateValue, Fact};
use crate::dates::{Moment, everyday_date, parse_date};
use crate::diagnostics::{Diagnostic, Entry, LineIndex, Problem};
use crate::load::SourceFile;
use crate::localized::{Localized, LocalizedError, LocalizedSource};
use crate::phone::PhoneNumber;
use crate::toml_file::{Document, EntryRead};
use crate::url_class::{self, Frame, UrlClass};

pub(crate) struct FileReader<'a> {
    pub file: &'a SourceFile,
    index: LineIndex,
    /// The site's languages, the default first.
    languages: &'a [String],
    sources: &'a Sources,
    /// Wordings to point out in every text read, when the glossary is known.
    glossary: Option<&'a Glossary>,
    /// The languages written in やさしい日本語 and the longest sentence each allows: a
    /// text in one of them is shown on its pages, so it is held to the same lint.
    easy_japanese: Option<&'a BTreeMap<String, usize>>,
    /// How many facts rest on each source, for the stale-source report.
    pub uses: BTreeMap<String, usize>,
    /// The entry being read, named in every problem found meanwhile.
    entry: Option<Entry>,
    /// The file is not TOML: its mistakes are reported, and its facts unknown.
    pub unreadable: bool,
    pub problems: Vec<Diagnostic>,
}

impl<'a> FileReader<'a> {
    pub fn new(file: &'a SourceFile, languages: &'a [String], sources: &'a Sources) -> Self {
        FileReader {
            file,
            index: LineIndex::new(&file.text),
            languages,
            sources,
            glossary: None,
            easy_japanese: None,
            uses: BTreeMap::new(),
            entry: None,
            unreadable: false,
            problems: Vec::new(),
        }
    }

    /// Points out the glossary's avoided wordings in every text this reader reads.
    pub fn with_glossary(mut self, glossary: &'a Glossary) -> Self {
        self.glossary = Some(glossary);
        self
    }

    /// Holds every text in a language written in やさしい日本語 to that language's lint,
    /// as its pages are.
    pub fn with_easy_japanese(mut self, languages: &'a BTreeMap<String, usize>) -> Self {
        self.easy_japanese = Some(languages);
        self
    }

    /// Warns where a text in やさしい日本語, read at `span` as `field`, does not follow
    /// its rules: at the line of that language's words.
    fn check_easy_japanese(&mut self, field: &str, text: &Localized, span: Range<usize>) {
        let Some(languages) = self.easy_japanese else {
            return;
        };
        for (lang, words) in text.texts() {
            let Some(&max_sentence) = languages.get(lang) else {
                continue;
            };
            let at = self.language_key_at(&span, field, lang);
            for rule in crate::easy_japanese::check_line(words, max_sentence) {
                let d = self.located(at..at, Diagnostic::warning(Problem::EasyJapanese { rule }));
                self.problems.push(d);
            }
        }
    }

    /// Where the words of `lang` of the text `field`, read at `span`, are written: the
    /// key `name.ja-easy` of dotted keys, or `ja-easy` in an inline table, searched in
    /// the entry (up to the next table header); the start of `span` when not found.
    fn language_key_at(&self, span: &Range<usize>, field: &str, lang: &str) -> usize {
        let text = &self.file.text;
        let key = field.rsplit('.').next().unwrap_or(field);
        let entry_end = text[span.start..]
            .match_indices("\n[")
            .next()
            .map_or(text.len(), |(at, _)| span.start + at);
        let entry = &text[span.start..entry_end];
        let dotted = format!("{key}.{lang}");
        let inline = format!("{lang} =");
        entry
            .find(&dotted)
            .or_else(|| text[span.clone()].find(&inline))
            .map_or(span.start, |at| span.start + at)
    }

    /// Warns about avoided wordings in a text that was read at `span`.
    fn check_wording(&mut self, text: &Localized, span: Range<usize>) {
        let Some(glossary) = self.glossary else {
            return;
        };
        let default = self.languages.first().map_or("", String::as_str);
        for (lang, words) in text.texts() {
            for found in glossary.avoided_in(words, lang, default) {
                let d = self.located(
                    span.clone(),
                    Diagnostic::warning(Problem::AvoidedTerm {
                        found: found.found,
                        preferred: found.preferred,
                    }),
                );
                self.problems.push(d);
            }
        }
    }

    /// The file as a TOML document whose top-level keys are among `sections`; `None`,
    /// with its mistakes reported, if it is not TOML.
    pub fn document(&mut self, sections: &[&str]) -> Option<Document<'a>> {
        let file: &'a SourceFile = self.file;
        let language = self.languages.first().map_or("", String::as_str);
        match Document::parse(&file.rel, &file.text, language) {
            Ok(document) => {
                self.problems.extend(document.unknown_sections(sections));
                Some(document)
            }
            Err(problems) => {
                self.problems.extend(problems);
                self.unreadable = true;
                None
            }
        }
    }

    /// The entries under `[[heading]]`, each read on its own (see
    /// [`Document::entries`]). The sources an entry that could not be read names count
    /// as used, so that its one mistake is not followed by notices of unused sources.
    pub fn entries<'d, T: serde::Deserialize<'a>>(
        &mut self,
        document: &'d Document<'a>,
        heading: &str,
    ) -> Vec<EntryRead<'d, 'a, T>> {
        let (read, problems) = document.entries(heading);
        self.problems.extend(problems);
        for unread in read.iter().filter(|r| r.value.is_none()) {
            self.count_sources_named(unread.raw);
        }
        read
    }

    fn count_sources_named(&mut self, table: &toml::de::DeTable) {
        for (key, value) in table.iter() {
            match value.get_ref() {
                toml::de::DeValue::String(id)
                    if key.get_ref().ends_with("source") && self.sources.get(id).is_some() =>
                {
                    *self.uses.entry(id.to_string()).or_default() += 1;
                }
                toml::de::DeValue::Table(inner) => self.count_sources_named(inner),
                _ => {}
            }
        }
    }

    /// The site's default language, in which official names are written.
    pub fn default_language(&self) -> &'a str {
        self.languages.first().map_or("", String::as_str)
    }

    /// Names `entry` in every problem found from now on.
    pub fn enter(&mut self, entry: Entry) {
        self.entry = Some(entry);
    }

    pub fn line_of(&self, offset: usize) -> usize {
        self.index.position(&self.file.text, offset).0
    }

    pub fn located(&self, span: Range<usize>, diagnostic: Diagnostic) -> Diagnostic {
        let (line, column) = self.index.position(&self.file.text, span.start);
        diagnostic
            .at(&self.file.rel, line, column, Some(&self.file.text))
            .in_entry(self.entry.clone())
    }

    pub fn error(&mut self, span: Range<usize>, problem: Problem) {
        let d = self.located(span, Diagnostic::error(problem));
        self.problems.push(d);
    }

    /// A web address of a source or a page: `https:` or `http:` only, since every one
    /// becomes a link readers may follow. Empty when absent or refused.
    pub fn web_address(&mut self, value: Option<Spanned<String>>) -> String {
        let Some(value) = value else {
            return String::new();
        };
        let span = value.span();
        let url = value.into_inner();
        if url.is_empty() {
            return url;
        }
        // Read as a browser will read the link it becomes (see `url_class`).
        let problem = match url_class::classify(&url, Frame::at_root()) {
            UrlClass::OtherSite
                if crate::content_policy::first_control_character(&url).is_none() =>
            {
                return url;
            }
            UrlClass::HostWrittenAsPath => Problem::HostWrittenAsPath { url },
            UrlClass::Unreadable => Problem::BrokenLink {
                target: url,
                suggestion: None,
            },
            UrlClass::OtherScheme { scheme } => Problem::UnsafeUrl { url, scheme },
            _ => {
                let scheme = url
                    .split_once(':')
                    .map(|(s, _)| s.to_ascii_lowercase())
                    .unwrap_or_default();
                Problem::UnsafeUrl { url, scheme }
            }
        };
        self.error(span, problem);
        String::new()
    }

    /// Words in the site's languages; the default language is required.
    pub fn text(&mut self, field: &str, value: Spanned<LocalizedSource>) -> Option<Localized> {
        self.localized(field, value, Localized::from_source)
    }

    /// Words for some of the site's languages only (see [`Localized::partial`]).
    pub fn partial_text(
        &mut self,
        field: &str,
        value: Spanned<LocalizedSource>,
    ) -> Option<Localized> {
        self.localized(field, value, Localized::partial)
    }

    fn localized(
        &mut self,
        field: &str,
        value: Spanned<LocalizedSource>,
        read: fn(LocalizedSource, &[String]) -> Result<Localized, LocalizedError>,
    ) -> Option<Localized> {
        let span = value.span();
        match read(value.into_inner(), self.languages) {
            Ok(text) => {
                // An escape (`"\u001b"`) writes a control character the file does not
                // contain: it would reach every page that shows the text.
                let control = text
                    .texts()
                    .find_map(|(_, words)| crate::content_policy::first_control_character(words));
                if let Some(c) = control {
                    self.error(span, Problem::ControlCharacter { code: u32::from(c) });
                    return None;
                }
                let ruby = text
                    .texts()
                    .find_map(|(_, words)| crate::ruby::check(words).err());
                if let Some(error) = ruby {
                    self.error(
                        span,
                        Problem::MalformedRuby {
                            problem: error.problem,
                        },
                    );
                    return None;
                }
                self.check_wording(&text, span.clone());
                self.check_easy_japanese(field, &text, span);
                Some(text)
            }
            Err(reason) => {
                self.error(
                    span,
                    Problem::InvalidText {
                        field: field.to_owned(),
                        reason,
                        default: self.languages.first().cloned().unwrap_or_default(),
                    },
                );
                None
            }
        }
    }

    /// Words that are a fact, with their source (see [`FileReader::fact`]).
    pub fn text_fact(
        &mut self,
        field: &str,
        value: &Option<Spanned<LocalizedSource>>,
        own: Option<&Spanned<String>>,
        entry: Option<&Spanned<String>>,
    ) -> Option<Fact<Localized>> {
        let value = value.clone()?;
        let span = value.span();
        let text = self.text(field, value);
        self.fact(text, field, span, own, entry)
    }

    /// A phone number and its source (see [`FileReader::fact`]).
    pub fn phone_fact(
        &mut self,
        field: &str,
        value: &Option<Spanned<String>>,
        own: Option<&Spanned<String>>,
        entry: Option<&Spanned<String>>,
    ) -> Option<Fact<PhoneNumber>> {
        let value = value.as_ref()?;
        let number = self.phone(field, value);
        self.fact(number, field, value.span(), own, entry)
    }

    pub fn phone(&mut self, field: &str, value: &Spanned<String>) -> Option<PhoneNumber> {
        match PhoneNumber::parse(value.get_ref()) {
            Ok(phone) => Some(phone),
            Err(reason) => {
                self.error(
                    value.span(),
                    Problem::InvalidPhone {
                        field: field.to_owned(),
                        value: value.get_ref().clone(),
                        reason,
                    },
                );
                None
            }
        }
    }

    pub fn date(&mut self, field: &str, value: Spanned<DateValue>) -> Option<Moment> {
        let span = value.span();
        let written = value.into_inner().written();
        let date = parse_date(&written);
        if date.is_none() {
            self.error(
                span,
                Problem::InvalidDate {
                    key: field.to_owned(),
                    suggestion: everyday_date(&written).map(|d| d.format("%Y-%m-%d").to_string()),
                    value: written,
                },
            );
        }
        date
    }

    /// A date that must name a day (the day of a test, the first day of some hours).
    pub fn day(&mut self, field: &str, value: Spanned<DateValue>) -> Option<chrono::NaiveDate> {
        let span = value.span();
        let moment = self.date(field, value)?;
        if moment.month_only {
            self.error(
                span,
                Problem::DateNeedsDay {
                    key: field.to_owned(),
                },
            );
            return None;
        }
        Some(moment.date())
    }

    pub fn year(&mut self, field: &str, value: &Spanned<i64>) -> Option<i32> {
        let year = plausible_year(*value.get_ref());
        if year.is_none() {
            self.error(
                value.span(),
                Problem::InvalidDate {
                    key: field.to_owned(),
                    value: value.get_ref().to_string(),
                    suggestion: None,
                },
            );
        }
        year
    }

    /// A reference to a source of `sources.toml`, counted as used. A source whose own
    /// entry has a mistake, or any source while `sources.toml` cannot be read, is not
    /// reported again here: that one mistake is reported where it was made.
    pub fn source(&mut self, id: &Spanned<String>) -> Option<String> {
        if self.sources.get(id.get_ref()).is_some() {
            *self.uses.entry(id.get_ref().clone()).or_default() += 1;
            return Some(id.get_ref().clone());
        }
        if self.sources.is_reported_broken(id.get_ref()) {
            return None;
        }
        let known = self.sources.ids();
        let closest = crate::suggest::closest(id.get_ref(), known.iter().map(String::as_str))
            .map(str::to_owned);
        self.error(
            id.span(),
            Problem::UnknownSource {
                id: id.get_ref().clone(),
                known,
                closest,
            },
        );
        None
    }

    /// A fact and its source: the field's own (`phone_source`) if given, else the
    /// entry's (`source`). A fact with neither is refused: nothing is published that no
    /// source backs.
    pub fn fact<T>(
        &mut self,
        value: Option<T>,
        field: &str,
        span: Range<usize>,
        own: Option<&Spanned<String>>,
        entry: Option<&Spanned<String>>,
    ) -> Option<Fact<T>> {
        let Some(id) = own.or(entry) else {
            self.error(
                span,
                Problem::MissingSource {
                    field: field.to_owned(),
                },
            );
            return None;
        };
        // Counted even when the value is refused, so that the source is not then
        // reported as unused too.
        let source = self.source(id);
        Some(Fact {
            value: value?,
            source: source?,
        })
    }
}
