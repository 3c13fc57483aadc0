//! The site search: for each language, an index of its pages' main text that the search
//! page's own script reads in the reader's browser, and the keyword index that page
//! shows with or without script.
//!
//! Owns what is indexed (a published page's title, description and the text of its
//! `<main>` as rendered; never a draft, a scheduled or ended announcement, the news
//! list, the site map or the search page), the readings a kana query finds kanji
//! through (the site's furigana, the directory's `kana`), the index files and their
//! paths, and the keyword index. Terms are made by [`crate::search_terms`], as the
//! script makes them of a query.
//!
//! The index of a language lives under `_search/<code>/` (no page's path can hold `_`):
//! `index.json` (the count of pages and of term files, and a stamp that changes with
//! the index, so a browser never mixes files of two builds), `readings.json` (the
//! readings its kana queries find kanji through, for the script to mark those kanji),
//! `t/<n>.json` (the terms filed there by [`crate::search_terms::file_of`], each with the
//! pages that hold it and a score) and `d/<n>.json` (page `n`: address, title, section,
//! text, for a result and its excerpt). A query loads the few files its terms are in
//! and the pages it shows, never the whole index. The script is
//! `_search/search-<hash>.js` (named by its content, see `fingerprint`), the same bytes
//! for every site, and nothing else may be published under that name.
//!
//! The pages are rendered first; the engine renders these routes (and the search page,
//! which reads [`SearchView`]) after them, from what [`SearchDocs`] collected.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{Body, Changes, Output, RenderCx};
use crate::diagnostics::{Diagnostic, Problem, RouteOwner};
use crate::html::MainText;
use crate::kana;
use crate::search_terms::{self, Term, file_of, for_each_term, normalize};
use crate::site::routes::{Claim, Route, RouteKind};
use crate::site::{Page, Schedule, Site};
use crate::theme::Theme;

/// The key of the search page in every language.
pub const SEARCH_PAGE: &str = "search";

/// The folder of the search's files, below the site root.
pub const SEARCH_FOLDER: &str = "_search";

/// The search page's script: the site's own, the same for every site.
pub const SCRIPT: &str = include_str!("search.js");

/// The script's path below the output folder, named by its content (`fingerprint`) so
/// that browsers may keep it until the script changes.
pub fn script_path() -> String {
    static PATH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        crate::fingerprint::hashed_name(&format!("{SEARCH_FOLDER}/search.js"), SCRIPT.as_bytes())
    })
    .clone()
}

/// Whether `path` (below the output folder) is a file of the search's index.
pub fn is_index_file(path: &str) -> bool {
    path.strip_prefix(SEARCH_FOLDER)
        .is_some_and(|rest| rest.starts_with('/') && rest.ends_with(".json"))
}

/// Whether `path` is the file of one page of the index.
pub fn is_page_file(path: &str) -> bool {
    is_index_file(path) && path.rsplit('/').nth(1) == Some("d")
}

/// Pages per file of terms: the more pages, the more files, so that a file stays small
/// whatever the size of the site.
const PAGES_PER_TERM_FILE: usize = 4;

/// How much each place a term is written counts, in halves of a word of the text. A
/// title or heading that has it adds its own share (see [`score`]); a heading's words
/// are in the text already.
const DESCRIPTION_WEIGHT: u32 = 4;
const TEXT_WEIGHT: u32 = 2;
const READING_WEIGHT: u32 = 1;

/// Pages a keyword links to, at most: a heading many pages share ("お問い合わせ") is a
/// keyword of a few, not a list of the site.
const KEYWORD_PAGES: usize = 5;

/// Whether a page is searched: the search is on, and the page is [`is_searchable`]:
/// published in this build as it is (not a draft, not scheduled, not ended), and a
/// page of its own words rather than a list of others.
pub fn is_indexed(site: &Site, page: &Page) -> bool {
    site.config.search && is_searchable(page)
}

/// Whether a page's words are the search's and the keyword index's, whether the
/// search is on or not.
pub fn is_searchable(page: &Page) -> bool {
    page.schedule == Schedule::Current
        && !page.parsed.front.draft
        && !page.is_news_list()
        && page.key != SEARCH_PAGE
        && page.key != "sitemap"
}

/// The pages of `lang` in the index, in the site's order: page `n` of the index is the
/// `n`th.
fn indexed_pages<'s>(site: &'s Site, lang: &str) -> Vec<(usize, &'s Page)> {
    site.pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.lang() == lang && is_indexed(site, p))
        .collect()
}

fn term_files(pages: usize) -> usize {
    pages.div_ceil(PAGES_PER_TERM_FILE).max(1)
}

/// The folder of a language's index, below the site root, without slashes around it.
pub fn index_folder(lang: &str) -> String {
    format!("{SEARCH_FOLDER}/{lang}")
}

/// What the index keeps of one page, taken from it as rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    pub href: String,
    pub title: String,
    /// The title as written, furigana and all, for the keyword index to show.
    pub title_html: String,
    pub description: String,
    /// The title of the section it is in, as its breadcrumbs name it.
    pub section: Option<String>,
    pub main: MainText,
}

/// The pages as rendered, kept between builds: a rebuild renders only what changed.
#[derive(Debug, Default)]
pub struct SearchDocs(Mutex<BTreeMap<(String, String), Arc<SearchDoc>>>);

impl SearchDocs {
    /// Keeps what `page` shows, rendered as `html`.
    pub fn record(&self, site: &Site, page: &Page, html: &[u8]) {
        let Ok(html) = std::str::from_utf8(html) else {
            return;
        };
        let address = &site.config.address;
        let doc = SearchDoc {
            href: address.href(&page.url),
            title: crate::ruby::plain(page.title()),
            title_html: crate::ruby::to_html(page.title(), crate::theme::escape_markup),
            description: page
                .parsed
                .front
                .description
                .as_deref()
                .map(crate::ruby::plain)
                .unwrap_or_default(),
            section: site
                .ancestors(page)
                .last()
                .filter(|p| !p.key.is_empty())
                .map(|p| crate::ruby::plain(p.title())),
            main: crate::html::main_text(html),
        };
        let key = (page.lang().to_owned(), page.key.clone());
        if let Ok(mut docs) = self.0.lock() {
            docs.insert(key, Arc::new(doc));
        }
    }

    /// Forgets what `page` showed: it could not be rendered, and a cold build would have
    /// nothing of it either.
    pub fn forget(&self, page: &Page) {
        if let Ok(mut docs) = self.0.lock() {
            docs.remove(&(page.lang().to_owned(), page.key.clone()));
        }
    }

    fn get(&self, lang: &str, key: &str) -> Option<Arc<SearchDoc>> {
        let docs = self.0.lock().ok()?;
        docs.get(&(lang.to_owned(), key.to_owned())).cloned()
    }

    /// Every furigana of the pages of `languages`.
    fn readings(&self, languages: &BTreeSet<String>) -> Vec<(String, String)> {
        let Ok(docs) = self.0.lock() else {
            return Vec::new();
        };
        docs.iter()
            .filter(|((lang, _), _)| languages.contains(lang))
            .flat_map(|(_, d)| d.main.readings.iter().cloned())
            .collect()
    }
}

/// The search's state in one render: the pages collected, and each language's index,
/// built once, by the first of its routes rendered.
#[derive(Debug)]
pub struct SearchCx<'a> {
    pub docs: &'a SearchDocs,
    built: BTreeMap<String, OnceLock<Arc<LanguageIndex>>>,
    readings: BTreeMap<String, OnceLock<Readings>>,
    /// Each language's indexed pages' keys, by their number in its index.
    keys: BTreeMap<String, OnceLock<Vec<String>>>,
}

impl<'a> SearchCx<'a> {
    pub fn new(site: &Site, docs: &'a SearchDocs) -> Self {
        SearchCx {
            docs,
            built: site
                .config
                .language_codes()
                .into_iter()
                .map(|l| (l, OnceLock::new()))
                .collect(),
            readings: site
                .config
                .language_codes()
                .into_iter()
                .map(|l| (l, OnceLock::new()))
                .collect(),
            keys: site
                .config
                .language_codes()
                .into_iter()
                .map(|l| (l, OnceLock::new()))
                .collect(),
        }
    }

    /// The readings a query in `lang` finds kanji through; none for a language not
    /// written in Japanese.
    fn readings(&self, site: &Site, lang: &str) -> Option<&Readings> {
        if site.config.html_lang(lang) != "ja" {
            return None;
        }
        let cell = self.readings.get(lang)?;
        Some(cell.get_or_init(|| Readings::new(site, self.docs, lang)))
    }

    /// The keys of `lang`'s indexed pages, page `n` of the index `n`th.
    fn keys(&self, site: &Site, lang: &str) -> &[String] {
        match self.keys.get(lang) {
            Some(cell) => cell.get_or_init(|| {
                indexed_pages(site, lang)
                    .into_iter()
                    .map(|(_, p)| p.key.clone())
                    .collect()
            }),
            None => &[],
        }
    }

    /// Builds the indexes `routes` are files of at once, each on its own thread, before
    /// any of their files is rendered.
    pub fn prepare(&self, site: &Site, routes: &[&Route]) {
        if !site.config.search {
            return;
        }
        let wanted: BTreeSet<&str> = routes
            .iter()
            .filter_map(|r| r.path.strip_prefix(SEARCH_FOLDER)?.strip_prefix('/'))
            .filter_map(|rest| rest.split_once('/').map(|(lang, _)| lang))
            .collect();
        self.built
            .par_iter()
            .filter(|(lang, _)| wanted.contains(lang.as_str()))
            .for_each(|(lang, _)| {
                self.index(site, lang);
            });
    }

    fn index(&self, site: &Site, lang: &str) -> Option<Arc<LanguageIndex>> {
        let cell = self.built.get(lang)?;
        Some(
            cell.get_or_init(|| Arc::new(LanguageIndex::build(site, lang, self)))
                .clone(),
        )
    }
}

/// `lang` and the languages that are ways of writing it (やさしい日本語 of Japanese):
/// its index reads their furigana, so a change to any of them changes it.
fn language_family(site: &Site, lang: &str) -> BTreeSet<String> {
    site.config
        .languages
        .iter()
        .filter(|(code, l)| *code == lang || l.variant_of.as_deref() == Some(lang))
        .map(|(code, _)| code.clone())
        .collect()
}

/// Whether `changes` touch a page of one of `languages`, or everything.
fn touches(changes: &Changes, languages: &BTreeSet<String>) -> bool {
    changes.everything
        || changes.languages.iter().any(|l| languages.contains(l))
        || changes
            .texts
            .iter()
            .chain(&changes.summaries)
            .any(|(_, l)| languages.contains(l))
}

/// The readings the site gives kanji words, base → readings, as normalised text.
#[derive(Debug)]
struct Readings {
    bases: Vec<String>,
    readings: Vec<Vec<String>>,
    /// Finds the bases in a text, the longest first.
    finder: Option<AhoCorasick>,
}

impl Readings {
    /// Every furigana of the pages of `lang` and of its variants (the easy-Japanese
    /// pages give the standard pages' readings), and every municipality's `kana`. A
    /// base of one kanji is read only where its furigana is written: alone it has many
    /// readings.
    fn new(site: &Site, docs: &SearchDocs, lang: &str) -> Readings {
        let family = language_family(site, lang);
        let mut by_base: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut add = |base: &str, reading: &str| {
            let (base, reading) = (normalize(base), normalize(reading));
            if base.chars().count() >= 2
                && base.chars().any(search_terms::is_kanji)
                && reading.chars().all(search_terms::is_japanese)
            {
                by_base.entry(base).or_default().insert(reading);
            }
        };
        for (base, reading) in docs.readings(&family) {
            add(&base, &reading);
        }
        let default = &site.config.default_language;
        for m in &site.data.directory.municipalities {
            if let Some((name, _)) = m.name.pick(lang, default) {
                add(name, &m.kana);
            }
        }
        let (bases, readings): (Vec<String>, Vec<Vec<String>>) = by_base
            .into_iter()
            .map(|(b, r)| (b, r.into_iter().collect()))
            .unzip();
        let finder = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&bases)
            .ok();
        Readings {
            bases,
            readings,
            finder,
        }
    }

    /// Every (base, reading), for the script to mark the kanji a kana query found.
    fn file(&self) -> Vec<u8> {
        let pairs: Vec<(&str, &str)> = self
            .bases
            .iter()
            .zip(&self.readings)
            .flat_map(|(b, rs)| rs.iter().map(move |r| (b.as_str(), r.as_str())))
            .collect();
        serde_json::to_vec(&pairs).unwrap_or_default()
    }

    /// Each (base, reading) found in normalised text, at every place it is written.
    fn found_in<'r>(&'r self, text: &str) -> Vec<(&'r str, &'r str)> {
        let Some(finder) = &self.finder else {
            return Vec::new();
        };
        finder
            .find_iter(text)
            .flat_map(|m| {
                let i = m.pattern().as_usize();
                self.readings[i]
                    .iter()
                    .map(move |r| (self.bases[i].as_str(), r.as_str()))
            })
            .collect()
    }

    /// How a text reads from its start, as far as it can be read: kana and Latin as
    /// written, a word with a reading by it, up to the first kanji without one; leading
    /// brackets and marks are passed over. For the row and order of the keyword index:
    /// 「ひきこもり」とは is under は, 電話 (でんわ) under た, 出典 (no reading) under
    /// その他.
    fn reading_of(&self, text: &str) -> String {
        let text = normalize(text);
        let start = text
            .char_indices()
            .find(|(_, c)| c.is_alphanumeric() || search_terms::is_japanese(*c))
            .map_or(text.len(), |(at, _)| at);
        let mut reading = String::new();
        let mut at = start;
        let mut found = self
            .finder
            .as_ref()
            .map(|f| f.find_iter(&text[start..]).collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .peekable();
        while let Some(c) = text[at..].chars().next() {
            if let Some(m) = found.peek()
                && m.start() + start == at
            {
                reading.push_str(&self.readings[m.pattern().as_usize()][0]);
                at = m.end() + start;
                found.next();
                continue;
            }
            if search_terms::is_kanji(c) {
                break;
            }
            reading.push(c);
            at += c.len_utf8();
        }
        reading
    }
}

/// One language's index, as the files it is written in.
#[derive(Debug)]
struct LanguageIndex {
    meta: Vec<u8>,
    readings: Vec<u8>,
    term_files: Vec<Vec<u8>>,
}

/// Where a term is on a page, beside its text.
#[derive(Debug, Default, Clone, Copy)]
struct Place {
    /// Its weight in the page's words.
    weight: u32,
    in_title: bool,
    in_heading: bool,
}

/// A page's terms as they are counted: Japanese ones by their packed characters, so
/// that counting hashes a number, not a string.
struct Places<'a> {
    japanese: FxHashMap<u64, Place>,
    words: FxHashMap<Cow<'a, str>, Place>,
}

impl<'a> Places<'a> {
    fn with_capacity(japanese: usize) -> Self {
        Places {
            japanese: FxHashMap::with_capacity_and_hasher(japanese, Default::default()),
            words: FxHashMap::default(),
        }
    }

    fn at(&mut self, term: Term<'a>) -> &mut Place {
        match term {
            Term::Japanese(packed) => self.japanese.entry(packed).or_default(),
            Term::Word(word) => self.words.entry(word).or_default(),
        }
    }
}

/// What one page gives the index: its terms, written one after another, and for each
/// its file and score. Kept this small so that a site of any size is indexed in little
/// memory.
struct PageEntries {
    terms: String,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    file: u32,
    start: u32,
    length: u16,
    score: u8,
}

impl PageEntries {
    fn term(&self, entry: &Entry) -> &str {
        let start = entry.start as usize;
        self.terms
            .get(start..start + usize::from(entry.length))
            .unwrap_or_default()
    }
}

/// How long a page's words are, for the score: its characters, weighted as its terms
/// are, counted before any page is read into terms so that each page is read once.
fn words_length(doc: &SearchDoc) -> u32 {
    let count = |s: &str| u32::try_from(s.chars().count()).unwrap_or(u32::MAX);
    count(&doc.main.text)
        .saturating_mul(TEXT_WEIGHT)
        .saturating_add(count(&doc.description).saturating_mul(DESCRIPTION_WEIGHT))
        .max(1)
}

fn page_entries(
    doc: &SearchDoc,
    readings: Option<&Readings>,
    files: u32,
    average: f64,
) -> PageEntries {
    let title = normalize(&doc.title);
    let description = normalize(&doc.description);
    let text = normalize(&doc.main.text);
    let headings: Vec<String> = doc
        .main
        .headings
        .iter()
        .map(|(_, h)| normalize(h))
        .collect();
    let found = readings.map(|r| r.found_in(&text)).unwrap_or_default();
    let mut places = Places::with_capacity(text.len() / 4);
    let mut title_terms = 0;
    for_each_term(&title, |t| {
        title_terms += 1;
        places.at(t).in_title = true;
    });
    for heading in &headings {
        for_each_term(heading, |t| places.at(t).in_heading = true);
    }
    for_each_term(&description, |t| places.at(t).weight += DESCRIPTION_WEIGHT);
    for_each_term(&text, |t| places.at(t).weight += TEXT_WEIGHT);
    for (_, reading) in &found {
        for_each_term(reading, |t| places.at(t).weight += READING_WEIGHT);
    }
    let length = words_length(doc);
    let count = places.japanese.len() + places.words.len();
    let mut terms = String::with_capacity(count * 6);
    let mut entries = Vec::with_capacity(count);
    let japanese = places
        .japanese
        .iter()
        .map(|(&packed, place)| (Term::Japanese(packed), place));
    let words = places
        .words
        .iter()
        .map(|(word, place)| (Term::Word(Cow::Borrowed(word)), place));
    for (term, place) in japanese.chain(words) {
        let start = terms.len();
        term.write(&mut terms);
        // A word longer than any a reader types is left out rather than cut.
        let Ok(term_length) = u16::try_from(terms.len() - start) else {
            terms.truncate(start);
            continue;
        };
        entries.push(Entry {
            file: file_of(&terms[start..], files),
            start: start as u32,
            length: term_length,
            score: score(place, title_terms, length, average),
        });
    }
    entries.sort_unstable_by_key(|e| e.file);
    PageEntries { terms, entries }
}

/// A term's score on a page, 1–255, computed here once so that the script only adds
/// scores: BM25's saturation of its weight in the page's words, against the page's
/// length, with a share for a title that has it (the more, the shorter the title: of
/// `title_terms` terms) or else a heading — a page named for what is asked comes
/// before pages that often mention it.
fn score(place: &Place, title_terms: u32, length: u32, average: f64) -> u8 {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    const TITLE_SHARE: f64 = 0.4;
    const SHORT_TITLE: f64 = 8.0;
    let tf = f64::from(place.weight) / f64::from(TEXT_WEIGHT);
    let norm = 1.0 - B + B * f64::from(length) / average.max(1.0);
    let text = tf * (K1 + 1.0) / (tf + K1 * norm) / (K1 + 1.0);
    let named = if place.in_title {
        0.5 + 0.5 * (SHORT_TITLE / f64::from(title_terms.max(1))).min(1.0)
    } else if place.in_heading {
        0.5
    } else {
        0.0
    };
    let s = (1.0 - TITLE_SHARE) * text + TITLE_SHARE * named;
    (s * 255.0).round().clamp(1.0, 255.0) as u8
}

#[derive(Serialize)]
struct Meta {
    format: u32,
    pages: usize,
    files: usize,
    stamp: String,
}

#[derive(Serialize)]
struct DocFile<'a> {
    url: &'a str,
    title: &'a str,
    section: Option<&'a str>,
    text: &'a str,
}

impl LanguageIndex {
    fn build(site: &Site, lang: &str, cx: &SearchCx) -> LanguageIndex {
        let pages = indexed_pages(site, lang);
        let readings = cx.readings(site, lang);
        let docs: Vec<Option<Arc<SearchDoc>>> = pages
            .iter()
            .map(|(_, p)| cx.docs.get(lang, &p.key))
            .collect();
        let lengths: Vec<u32> = docs.iter().flatten().map(|d| words_length(d)).collect();
        let average =
            lengths.iter().map(|&l| f64::from(l)).sum::<f64>() / (lengths.len().max(1) as f64);
        let files = term_files(pages.len());
        let per_page: Vec<Option<PageEntries>> = docs
            .par_iter()
            .map(|d| {
                d.as_ref()
                    .map(|d| page_entries(d, readings, files as u32, average))
            })
            .collect();
        // The files are made a run at a time, on every core: each page's entries are in
        // the order of their files, so a run's are found by two binary searches a page.
        let runs: Vec<std::ops::Range<usize>> = (0..files)
            .step_by(FILES_PER_RUN)
            .map(|start| start..(start + FILES_PER_RUN).min(files))
            .collect();
        let term_files: Vec<Vec<u8>> = runs
            .into_par_iter()
            .flat_map_iter(|run| term_files_of(&per_page, run))
            .collect();
        // Changes with every page's words, which every term file depends on.
        let mut stamp = rustc_hash::FxHasher::default();
        for bytes in &term_files {
            std::hash::Hasher::write(&mut stamp, bytes);
        }
        let meta = serde_json::to_vec(&Meta {
            format: 1,
            pages: pages.len(),
            files,
            stamp: format!("{:016x}", std::hash::Hasher::finish(&stamp)),
        })
        .unwrap_or_default();
        LanguageIndex {
            meta,
            readings: readings.map_or_else(|| b"[]".to_vec(), Readings::file),
            term_files,
        }
    }
}

/// Term files made together, from one pass over the pages.
const FILES_PER_RUN: usize = 64;

/// The term files numbered `run`.
fn term_files_of(per_page: &[Option<PageEntries>], run: std::ops::Range<usize>) -> Vec<Vec<u8>> {
    // Each term with its pages, in the order of the pages (read in order); then the
    // terms in order: the same bytes for the same site.
    let mut by_file: Vec<FxHashMap<&str, Vec<(u32, u8)>>> =
        run.clone().map(|_| FxHashMap::default()).collect();
    for (n, page) in per_page.iter().enumerate() {
        let Some(page) = page else { continue };
        let from = page
            .entries
            .partition_point(|e| (e.file as usize) < run.start);
        let to = page
            .entries
            .partition_point(|e| (e.file as usize) < run.end);
        for entry in &page.entries[from..to] {
            if let Some(terms) = by_file.get_mut(entry.file as usize - run.start) {
                terms
                    .entry(page.term(entry))
                    .or_default()
                    .push((n as u32, entry.score));
            }
        }
    }
    by_file
        .into_iter()
        .map(|terms| {
            let mut terms: Vec<(&str, Vec<(u32, u8)>)> = terms.into_iter().collect();
            terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
            term_file(&terms)
        })
        .collect()
}

/// A file of terms: `{"term":[page, score, page, score, …], …}`, pages ascending.
fn term_file(terms: &[(&str, Vec<(u32, u8)>)]) -> Vec<u8> {
    let size: usize = terms.iter().map(|(t, p)| t.len() + 4 + p.len() * 8).sum();
    let mut out = String::with_capacity(size + 2);
    out.push('{');
    for (i, (term, pages)) in terms.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(term).unwrap_or_default());
        out.push_str(":[");
        for (j, (page, score)) in pages.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            push_number(&mut out, *page);
            out.push(',');
            push_number(&mut out, u32::from(*score));
        }
        out.push(']');
    }
    out.push('}');
    out.into_bytes()
}

/// `n` in decimal: a term file is mostly numbers, and the formatting machinery took
/// longer than the rest of writing it.
fn push_number(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

fn doc_file(doc: Option<&SearchDoc>) -> Vec<u8> {
    let Some(doc) = doc else {
        return b"null".to_vec();
    };
    serde_json::to_vec(&DocFile {
        url: &doc.href,
        title: &doc.title,
        section: doc.section.as_deref(),
        text: &doc.main.text,
    })
    .unwrap_or_default()
}

/// The index's files; the script's route is the language list's first.
pub struct Search;

/// Route parts: the summary, the readings, then the term files, then the pages.
const META_PART: usize = 0;
const READINGS_PART: usize = 1;
const FIRST_TERM_PART: usize = 2;

/// What a route of a language's index is.
enum IndexPart {
    Meta,
    Readings,
    Terms(usize),
    Page(usize),
}

impl IndexPart {
    fn of(part: usize, files: usize) -> IndexPart {
        match part {
            META_PART => IndexPart::Meta,
            READINGS_PART => IndexPart::Readings,
            n if n < FIRST_TERM_PART + files => IndexPart::Terms(n - FIRST_TERM_PART),
            n => IndexPart::Page(n - FIRST_TERM_PART - files),
        }
    }
}

/// The language of a route of the index.
fn route_lang(route: &Route, site: &Site) -> Option<String> {
    site.config.language_codes().into_iter().nth(route.item)
}

impl Output for Search {
    fn claims(&self, site: &Site, _theme: &Theme, output: usize) -> Vec<Claim> {
        if !site.config.search {
            return Vec::new();
        }
        let owner = || RouteOwner::Generated { what: "search" };
        let claim = |path: String, item: usize, part: usize| Claim {
            url: format!("/{path}"),
            path,
            kind: RouteKind::Generated,
            output,
            item,
            part,
            owner: owner(),
        };
        let mut claims = Vec::new();
        for (item, lang) in site.config.language_codes().iter().enumerate() {
            let pages = indexed_pages(site, lang).len();
            if pages == 0 {
                continue;
            }
            if claims.is_empty() {
                claims.push(claim(script_path(), usize::MAX, 0));
            }
            let folder = index_folder(lang);
            claims.push(claim(format!("{folder}/index.json"), item, META_PART));
            claims.push(claim(
                format!("{folder}/readings.json"),
                item,
                READINGS_PART,
            ));
            let files = term_files(pages);
            for n in 0..files {
                claims.push(claim(
                    format!("{folder}/t/{n}.json"),
                    item,
                    FIRST_TERM_PART + n,
                ));
            }
            for n in 0..pages {
                let part = FIRST_TERM_PART + files + n;
                claims.push(claim(format!("{folder}/d/{n}.json"), item, part));
            }
        }
        claims
    }

    fn render(&self, route: &Route, cx: &RenderCx) -> Result<Body, Diagnostic> {
        if route.item == usize::MAX {
            return Ok(Body::Bytes(SCRIPT.as_bytes().to_vec()));
        }
        let failed = || {
            Diagnostic::error(Problem::Template {
                detail: format!("no search index for {}", route.path),
            })
        };
        let lang = route_lang(route, cx.site).ok_or_else(failed)?;
        let index = cx.search.index(cx.site, &lang).ok_or_else(failed)?;
        let bytes = match IndexPart::of(route.part, index.term_files.len()) {
            IndexPart::Meta => &index.meta,
            IndexPart::Readings => &index.readings,
            IndexPart::Terms(n) => index.term_files.get(n).ok_or_else(failed)?,
            IndexPart::Page(n) => {
                let key = cx.search.keys(cx.site, &lang).get(n).ok_or_else(failed)?;
                return Ok(Body::Bytes(doc_file(
                    cx.search.docs.get(&lang, key).as_deref(),
                )));
            }
        };
        Ok(Body::Bytes(bytes.clone()))
    }

    /// A page's file changes with that page (or with the numbering of the pages, when
    /// one is added, removed or renamed); the rest of a language's index, with any page
    /// of it or of its variants, whose furigana it reads.
    fn affected(&self, route: &Route, changes: &Changes, cx: &RenderCx) -> bool {
        if route.item == usize::MAX {
            return false;
        }
        let site = cx.site;
        let Some(lang) = route_lang(route, site) else {
            return true;
        };
        let keys = cx.search.keys(site, &lang);
        match IndexPart::of(route.part, term_files(keys.len())) {
            IndexPart::Page(n) => {
                changes.everything
                    || changes.languages.contains(&lang)
                    || changes.summaries.iter().any(|(_, l)| *l == lang)
                    || keys
                        .get(n)
                        .is_none_or(|key| changes.texts.contains(&(key.clone(), lang.clone())))
            }
            _ => touches(changes, &language_family(site, &lang)),
        }
    }

    fn later(&self, _route: &Route, _cx: &RenderCx) -> bool {
        true
    }
}

/// Whether the search page of `lang` must be rendered again after `changes`: its
/// keyword index names every page's title and headings, ordered by readings that its
/// variants' pages may give.
pub fn keywords_affected(site: &Site, lang: &str, changes: &Changes) -> bool {
    touches(changes, &language_family(site, lang))
}

/// What the search page shows of the search: where its index and script are, and the
/// keyword index.
#[derive(Debug, Serialize)]
pub struct SearchView {
    /// The index's folder, with a slash at the end; `None` when the search is off.
    pub index_href: Option<String>,
    pub script_href: Option<String>,
    pub keywords: Vec<KeywordGroup>,
}

/// Keywords that start alike: a row of the gojūon table, or a letter.
#[derive(Debug, Serialize)]
pub struct KeywordGroup {
    /// あ, か, …; A, B, …; empty for the rest.
    pub label: String,
    pub id: String,
    pub keywords: Vec<Keyword>,
}

#[derive(Debug, Serialize)]
pub struct Keyword {
    pub text: String,
    /// The keyword as shown, with its furigana.
    pub html: String,
    pub links: Vec<KeywordLink>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct KeywordLink {
    pub title: String,
    /// The page's title as shown, with its furigana.
    pub title_html: String,
    pub href: String,
}

/// A heading as shown, with the furigana its page gives its words: the heading's text
/// comes from the page without them, and the page's `<ruby>` pairs put them back.
fn heading_html(heading: &str, readings: &[(String, String)]) -> String {
    let escape = crate::theme::escape_markup;
    let mut html = String::with_capacity(heading.len());
    let mut rest = heading;
    while let Some(c) = rest.chars().next() {
        let longest = readings
            .iter()
            .filter(|(base, _)| rest.starts_with(base.as_str()))
            .max_by_key(|(base, _)| base.len());
        match longest {
            Some((base, reading)) => {
                html.push_str(&crate::ruby::markup(base, &[reading.as_str()], escape));
                rest = &rest[base.len()..];
            }
            None => {
                html.push_str(&escape(&rest[..c.len_utf8()]));
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    html
}

/// The search page's view of the search in `lang`.
pub fn search_view(cx: &RenderCx, lang: &str) -> SearchView {
    let site = cx.site;
    let address = &site.config.address;
    let has_index = site.config.search && !indexed_pages(site, lang).is_empty();
    SearchView {
        index_href: has_index.then(|| address.href(&format!("/{}/", index_folder(lang)))),
        script_href: has_index.then(|| address.href(&format!("/{}", script_path()))),
        keywords: keyword_index(cx, lang),
    }
}

/// Titles, headings and the glossary's words of `lang`, each with the pages it leads
/// to, grouped by how they start: the gojūon row of their reading for Japanese, the
/// letter otherwise.
fn keyword_index(cx: &RenderCx, lang: &str) -> Vec<KeywordGroup> {
    let site = cx.site;
    let docs: Vec<Arc<SearchDoc>> = site
        .pages
        .iter()
        .filter(|p| p.lang() == lang && is_searchable(p))
        .filter_map(|p| cx.search.docs.get(lang, &p.key))
        .collect();
    // Each keyword's text, how it is shown, and the pages it leads to.
    let mut keywords: BTreeMap<String, (String, BTreeSet<KeywordLink>)> = BTreeMap::new();
    let link = |doc: &SearchDoc, href: String| KeywordLink {
        title: doc.title.clone(),
        title_html: doc.title_html.clone(),
        href,
    };
    for doc in &docs {
        keywords
            .entry(doc.title.clone())
            .or_insert_with(|| (doc.title_html.clone(), BTreeSet::new()))
            .1
            .insert(link(doc, doc.href.clone()));
        for (id, heading) in &doc.main.headings {
            keywords
                .entry(heading.clone())
                .or_insert_with(|| (heading_html(heading, &doc.main.readings), BTreeSet::new()))
                .1
                .insert(link(doc, format!("{}#{id}", doc.href)));
        }
    }
    // The glossary's words, each linked to the first pages whose text has it: every
    // page's text is read once for all of them.
    let words: Vec<&str> = site
        .data
        .glossary
        .terms
        .iter()
        .filter_map(|t| t.words.get(lang))
        .collect();
    let finder = AhoCorasick::new(words.iter().map(|w| normalize(w))).ok();
    let mut pages_of: Vec<BTreeSet<KeywordLink>> = vec![BTreeSet::new(); words.len()];
    if let Some(finder) = &finder {
        for doc in &docs {
            let text = normalize(&doc.main.text);
            for m in finder.find_overlapping_iter(&text) {
                let pages = &mut pages_of[m.pattern().as_usize()];
                if pages.len() < KEYWORD_PAGES {
                    pages.insert(link(doc, doc.href.clone()));
                }
            }
        }
    }
    for (word, links) in words.into_iter().zip(pages_of) {
        if !links.is_empty() {
            keywords
                .entry(word.to_owned())
                .or_insert_with(|| (crate::theme::escape_markup(word), BTreeSet::new()))
                .1
                .extend(links);
        }
    }
    let readings = cx.search.readings(site, lang);
    let mut groups: BTreeMap<(u8, String), Vec<(String, Keyword)>> = BTreeMap::new();
    for (text, (html, links)) in keywords {
        let (group, order) = match readings.map(|r| r.reading_of(&text)) {
            Some(reading) if kana::row(&reading).is_some() => {
                let row = kana::row(&reading).map(String::from).unwrap_or_default();
                let key = kana::sort_key(&reading);
                ((0, row), format!("{}\u{0}{}", key.0, key.1))
            }
            Some(reading) if reading.starts_with(|c: char| c.is_ascii_alphabetic()) => {
                ((1, reading[..1].to_ascii_uppercase()), reading)
            }
            Some(_) => ((2, String::new()), text.clone()),
            None => {
                let letters = text.trim_start_matches(|c: char| !c.is_alphanumeric());
                match letters.chars().next() {
                    Some(c) if c.is_ascii_alphabetic() => (
                        (1, c.to_ascii_uppercase().to_string()),
                        letters.to_lowercase(),
                    ),
                    _ => ((2, String::new()), text.to_lowercase()),
                }
            }
        };
        groups.entry(group).or_default().push((
            order,
            Keyword {
                text,
                html,
                links: links.into_iter().take(KEYWORD_PAGES).collect(),
            },
        ));
    }
    groups
        .into_iter()
        .enumerate()
        .map(|(n, ((_, label), mut keywords))| {
            keywords.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.text.cmp(&b.1.text)));
            KeywordGroup {
                label,
                id: format!("keywords-{}", n + 1),
                keywords: keywords.into_iter().map(|(_, k)| k).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_saturate_and_favour_short_pages() {
        let text = |weight| Place {
            weight,
            ..Place::default()
        };
        let title = |weight| Place {
            in_title: true,
            ..text(weight)
        };
        let heading = |weight| Place {
            in_heading: true,
            ..text(weight)
        };
        assert!(score(&text(2), 8, 100, 100.0) < score(&text(16), 8, 100, 100.0));
        assert!(score(&text(2), 8, 50, 100.0) > score(&text(2), 8, 400, 100.0));
        assert!(score(&text(2), 8, 100, 100.0) < score(&heading(2), 8, 100, 100.0));
        assert!(score(&heading(2), 8, 100, 100.0) < score(&title(2), 30, 100, 100.0));
        assert!(score(&title(2), 30, 100, 100.0) < score(&title(2), 4, 100, 100.0));
        assert_eq!(score(&title(10_000), 4, 100, 100.0), 255);
        assert!(score(&text(1), 8, 100_000, 100.0) >= 1);
    }

    #[test]
    fn a_keyword_reads_from_its_start_as_far_as_the_readings_go() {
        let bases = vec!["電話".to_owned(), "相談".to_owned()];
        let readings = Readings {
            finder: AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&bases)
                .ok(),
            bases,
            readings: vec![vec!["でんわ".to_owned()], vec!["そうだん".to_owned()]],
        };
        assert_eq!(readings.reading_of("電話相談"), "でんわそうだん");
        assert_eq!(
            readings.reading_of("「ひきこもり」とは"),
            "ひきこもり」とは"
        );
        assert_eq!(
            readings.reading_of("いつ電話できるか（出典による）"),
            "いつでんわできるか("
        );
        assert_eq!(readings.reading_of("出典"), "");
        assert_eq!(readings.reading_of("ウェブ"), "うぇぶ");
        assert_eq!(kana::row(&readings.reading_of("電話")), Some('た'));
    }

    #[test]
    fn a_heading_gets_back_the_furigana_of_its_page() {
        let readings = [
            ("電話".to_owned(), "でんわ".to_owned()),
            ("電話番号".to_owned(), "でんわばんごう".to_owned()),
        ];
        let html = heading_html("電話番号と <所>", &readings);
        assert!(html.starts_with("<ruby>電話番号"), "{html}");
        assert!(html.contains("でんわばんごう"), "{html}");
        assert!(html.ends_with("と &lt;所&gt;"), "{html}");
        assert_eq!(heading_html("a & b", &[]), "a &amp; b");
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 10, 255, 4_294_967_295] {
            let mut out = String::new();
            push_number(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn a_term_file_lists_each_term_once_with_its_pages() {
        let file = term_file(&[("a", vec![(0, 9), (3, 7)]), ("b\"", vec![(1, 1)])]);
        assert_eq!(
            String::from_utf8(file).unwrap(),
            r#"{"a":[0,9,3,7],"b\"":[1,1]}"#
        );
        assert_eq!(term_file(&[]), b"{}");
    }
}
