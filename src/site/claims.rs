//! What a page's own words may not claim, because the facts belong to the data files
//! and their sources: a use or a limit for a phone line, when lines can be called, and
//! a publication date earlier than the sources the page relies on.
//!
//! Owns the reading of a page's text as sentences for these findings. The words looked
//! for are few and exact (「以外の」 in a sentence about a phone, 「いつでも」, "at any
//! time"), so that a finding points at a sentence a person would also question; the
//! data files' own texts are not read here, they carry their sources.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use pulldown_cmark::{Event, Tag, TagEnd};

use super::Site;
use crate::data::AsOf;
use crate::diagnostics::{Diagnostic, Problem};
use crate::parse::ParsedPage;

/// Words that make a sentence about a phone line.
const PHONE_WORDS: [&str; 9] = [
    "電話",
    "ダイヤル",
    "番号",
    "おかけ",
    "かけて",
    "phone",
    "call",
    "number",
    "dial",
];

/// Words that give a phone line a use or put a limit on it.
const LIMIT_WORDS: [&str; 11] = [
    "以外の",
    "専用",
    "ではない",
    "では ない",
    "ではありません",
    "では ありません",
    "じゃない",
    "other than",
    "only for",
    "not for",
    "except for",
];

/// The endings of a name in 「」 that names a phone line.
const LINE_NAME_ENDINGS: [&str; 5] = ["電話", "ダイヤル", "相談", "窓口", "番号"];

/// Blanket statements of when lines can be called.
const AVAILABILITY_WORDS: [&str; 16] = [
    "それ以外の時間",
    "ほかの時間",
    "他の時間",
    "いつでも",
    "24時間365日",
    "年中無休",
    "夜間も",
    "休日も",
    "土日も",
    "any time",
    "anytime",
    "at other times",
    "at all hours",
    "round the clock",
    "around the clock",
    "day or night",
];

/// The findings about every page's words, in page order.
pub fn review(site: &Site) -> Vec<Diagnostic> {
    let names = line_names(site);
    let mut found = Vec::new();
    for page in &site.pages {
        found.extend(published_before_sources(site, &page.parsed));
        let file = &page.parsed.body.text;
        // At the words themselves where they are written as read (no furigana in
        // them), else at the start of the sentence's text.
        let at = |problem, offset: usize, words: &str| {
            let offset = offset.min(file.len());
            let line_start = file[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line = file[..offset].matches('\n').count() + 1;
            let line_end = file[offset..].find('\n').map_or(file.len(), |i| offset + i);
            // Found in the lower-cased line only where lower-casing kept every offset.
            let rest = &file[offset..line_end];
            let lower = rest.to_lowercase();
            let column = Some(lower.len())
                .filter(|len| *len == rest.len())
                .and_then(|_| lower.find(words))
                .map_or(offset, |i| offset + i);
            let column = file[line_start..column].chars().count() + 1;
            Diagnostic::warning(problem).at(&page.parsed.source, line, column, Some(file))
        };
        // Each sentence is its own mistake: one finding for each that has one.
        for (sentence, offset) in sentences(&page.parsed) {
            let folded = sentence.to_lowercase();
            if let Some(words) = availability_words(&folded) {
                let problem = Problem::AvailabilityInText {
                    words: words.to_owned(),
                };
                found.push(at(problem, offset, words));
            }
            if !PHONE_WORDS.iter().any(|w| folded.contains(w)) {
                continue;
            }
            // One finding per sentence, naming everything in it that gives a use.
            let limit = LIMIT_WORDS.iter().find(|w| folded.contains(**w));
            let unknown_names = quoted(&sentence).into_iter().filter(|name| {
                LINE_NAME_ENDINGS.iter().any(|e| name.ends_with(e)) && !names.contains(name)
            });
            let words: Vec<String> = limit
                .map(|w| (*w).to_owned())
                .into_iter()
                .chain(unknown_names)
                .collect();
            if let Some(first) = words.first() {
                let at = at(
                    Problem::PhoneRoleInText {
                        words: words.clone(),
                    },
                    offset,
                    first,
                );
                found.push(at);
            }
        }
    }
    found
}

fn availability_words(folded: &str) -> Option<&'static str> {
    AVAILABILITY_WORDS
        .iter()
        .copied()
        .find(|w| folded.contains(w))
}

/// Every name the data gives a phone line, in every language, as read: the centre's
/// labels, the helplines' and emergency numbers' names, and the words in 「」 of the
/// sources' titles (a page may name where a number is written).
fn line_names(site: &Site) -> BTreeSet<String> {
    let data = &site.data;
    let mut localized = Vec::new();
    if let Some(contact) = &data.contact {
        localized.push(&contact.phone_label);
        localized.extend(contact.inquiry_label.as_ref());
        localized.push(&contact.name);
    }
    localized.extend(data.helplines.iter().map(|h| &h.name));
    localized.extend(data.emergency.iter().map(|e| &e.name));
    localized.extend(data.sources.iter().map(|s| &s.title));
    let mut names = BTreeSet::new();
    for texts in localized {
        for (_, text) in texts.texts() {
            let plain = crate::ruby::plain(text);
            names.extend(quoted(&plain));
            names.insert(plain);
        }
    }
    names
}

/// The words inside each 「」 of a sentence.
fn quoted(sentence: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = sentence;
    while let Some((_, after)) = rest.split_once('「') {
        let Some((inner, next)) = after.split_once('」') else {
            break;
        };
        found.push(inner.to_owned());
        rest = next;
    }
    found
}

/// The sentences of a page's title, description and text as read (furigana's bases
/// alone), each with the byte offset in the file of the text it starts in.
fn sentences(page: &ParsedPage) -> Vec<(String, usize)> {
    let body = page.body.start;
    let file = &page.body.text;
    // The title and description are found at their keys' lines.
    let key_offset = |key: &str| {
        let line = page.front.key_lines.get(key).copied().unwrap_or(1);
        file.match_indices('\n')
            .nth(line.saturating_sub(2))
            .filter(|_| line > 1)
            .map_or(0, |(i, _)| i + 1)
    };
    let mut blocks: Vec<Vec<(String, usize)>> = vec![
        vec![(page.front.title.clone(), key_offset("title"))],
        vec![(
            page.front.description.clone().unwrap_or_default(),
            key_offset("description"),
        )],
    ];
    let mut block: Vec<(String, usize)> = Vec::new();
    for (event, range) in crate::parse::markdown_events(page.markdown()) {
        match event {
            Event::Text(text) | Event::Code(text) => {
                block.push((text.into_string(), body + range.start))
            }
            Event::SoftBreak | Event::HardBreak => block.push((" ".to_owned(), body + range.start)),
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::TableCell)
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) if !block.is_empty() => blocks.push(std::mem::take(&mut block)),
            _ => {}
        }
    }
    blocks.push(block);
    let mut sentences = Vec::new();
    for block in blocks {
        let mut sentence = String::new();
        let mut start = None;
        for (text, offset) in block {
            for c in crate::ruby::plain(&text).chars() {
                start.get_or_insert(offset);
                sentence.push(c);
                if matches!(c, '。' | '！' | '？' | '!' | '?')
                    || (c == '.' && !sentence.ends_with(".."))
                {
                    sentences.push((
                        std::mem::take(&mut sentence),
                        start.take().unwrap_or(offset),
                    ));
                }
            }
        }
        if !sentence.trim().is_empty() {
            sentences.push((sentence, start.unwrap_or(0)));
        }
    }
    sentences
}

/// A page dated before a source it relies on: its `date` cannot be when this site
/// published it, so it is the date of what it tells of, which belongs in `event_date`.
fn published_before_sources(site: &Site, page: &ParsedPage) -> Vec<Diagnostic> {
    let Some(date) = page.front.date else {
        return Vec::new();
    };
    let line = page.front.key_lines.get("date").copied().unwrap_or(1);
    page.front
        .sources
        .iter()
        .filter_map(|id| site.data.sources.get(id))
        .filter_map(|source| {
            let first_day = first_day(&source.as_of)?;
            (date.last_day() < first_day).then(|| {
                Diagnostic::warning(Problem::PublishedBeforeSource {
                    date: date.iso(),
                    id: source.id.clone(),
                    source_date: first_day.format("%Y-%m-%d").to_string(),
                })
                .at(&page.source, line, 1, Some(&page.body.text))
            })
        })
        .collect()
}

/// The first day a source's facts can have been read: its date, or the first day of
/// its year. A fiscal year's schedule may be published before the year begins, and an
/// undated source says nothing, so neither gives one.
fn first_day(as_of: &AsOf) -> Option<NaiveDate> {
    match as_of {
        AsOf::Published(d) | AsOf::Updated(d) | AsOf::Dated(d) => Some(d.date()),
        AsOf::Year(y) => NaiveDate::from_ymd_opt(*y, 1, 1),
        AsOf::FiscalYear(_) | AsOf::Undated => None,
    }
}
