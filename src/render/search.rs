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
//! the index, so a browser never mixes files of two builds), `t/<n>.json` (the terms
//! filed there by [`crate::search_terms::file_of`], each with the pages that hold it and
//! a score) and `d/<n>.json` (page `n`: address, title, section, text, readings, for a
//! result and its excerpt). A query loads the few files its terms are in and the pages
//! it shows, never the whole index. The script is `_search/search.js`, the same bytes
//! for every site, and nothing else may be published under that name.
//!
//! The pages are rendered first; the engine renders these routes (and the search page,
//! which reads [`SearchView`]) after them, from what [`SearchDocs`] collected.

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
use crate::search_terms::{self, file_of, for_each_term, normalize};
use crate::site::routes::{Claim, Route, RouteKind};
use crate::site::{Page, Schedule, Site};
use crate::theme::Theme;

/// The key of the search page in every language.
pub const SEARCH_PAGE: &str = "search";

/// The folder of the search's files, below the site root.
pub const SEARCH_FOLDER: &str = "_search";

/// The search page's script: the site's own, the same for every site.
pub const SCRIPT: &str = include_str!("search.js");

/// The script's path below the output folder.
pub fn script_path() -> String {
    format!("{SEARCH_FOLDER}/search.js")
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
const PAGES_PER_TERM_FILE: usize = 8;

/// How much each place a term is written counts, in halves of a word of the text. A
/// title or heading that has it adds its own share (see [`score`]); a heading's words
/// are in the text already.
const DESCRIPTION_WEIGHT: u32 = 4;
const TEXT_WEIGHT: u32 = 2;
const READING_WEIGHT: u32 = 1;

/// Pages a keyword of the glossary links to, at most.
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

    fn get(&self, lang: &str, key: &str) -> Option<Arc<SearchDoc>> {
        let docs = self.0.lock().ok()?;
        docs.get(&(lang.to_owned(), key.to_owned())).cloned()
    }

    /// Every furigana of the pages of the languages written in Japanese.
    fn readings(&self, japanese: &BTreeSet<String>) -> Vec<(String, String)> {
        let Ok(docs) = self.0.lock() else {
            return Vec::new();
        };
        docs.iter()
            .filter(|((lang, _), _)| japanese.contains(lang))
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
    readings: OnceLock<Readings>,
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
            readings: OnceLock::new(),
        }
    }

    fn readings(&self, site: &Site) -> &Readings {
        self.readings.get_or_init(|| Readings::new(site, self.docs))
    }

    fn index(&self, site: &Site, lang: &str) -> Option<Arc<LanguageIndex>> {
        let cell = self.built.get(lang)?;
        Some(
            cell.get_or_init(|| Arc::new(LanguageIndex::build(site, lang, self)))
                .clone(),
        )
    }
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
    /// Every furigana of the Japanese pages and every municipality's `kana`. A base of
    /// one kanji is read only where its furigana is written: alone it has many readings.
    fn new(site: &Site, docs: &SearchDocs) -> Readings {
        let japanese: BTreeSet<String> = site
            .config
            .language_codes()
            .into_iter()
            .filter(|l| site.config.html_lang(l) == "ja")
            .collect();
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
        for (base, reading) in docs.readings(&japanese) {
            add(&base, &reading);
        }
        for m in &site.data.directory.municipalities {
            for lang in &japanese {
                if let Some(name) = m.name.get(lang) {
                    add(name, &m.kana);
                }
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

    /// How a text reads, when every word of it is kana, Latin or a base with a reading:
    /// for the order of the keyword index.
    fn reading_of(&self, text: &str) -> Option<String> {
        let text = normalize(text);
        let mut reading = String::new();
        let mut at = 0;
        let finder = self.finder.as_ref();
        let mut found = finder
            .map(|f| f.find_iter(&text).collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .peekable();
        while at < text.len() {
            if let Some(m) = found.peek()
                && m.start() == at
            {
                reading.push_str(&self.readings[m.pattern().as_usize()][0]);
                at = m.end();
                found.next();
                continue;
            }
            let c = text[at..].chars().next()?;
            if search_terms::is_kanji(c) {
                return None;
            }
            reading.push(c);
            at += c.len_utf8();
        }
        Some(reading)
    }
}

/// One language's index, as the files it is written in.
#[derive(Debug)]
struct LanguageIndex {
    meta: Vec<u8>,
    term_files: Vec<Vec<u8>>,
    docs: Vec<Vec<u8>>,
}

/// Where a term is on a page, beside its text.
#[derive(Debug, Default, Clone, Copy)]
struct Place {
    /// Its weight in the page's words.
    weight: u32,
    in_title: bool,
    in_heading: bool,
}

/// What one page gives the index: each term with its place, and the length of its
/// words.
struct PageTerms {
    terms: FxHashMap<String, Place>,
    length: u32,
    /// How many terms its title has: a short title naming the term says more.
    title_terms: u32,
    /// Readings found in its text, for the excerpt to mark their kanji.
    readings: Vec<(String, String)>,
}

fn page_terms(doc: &SearchDoc, readings: Option<&Readings>) -> PageTerms {
    let mut terms: FxHashMap<String, Place> = FxHashMap::default();
    let mut title_terms = 0;
    for_each_term(&normalize(&doc.title), |t, _| {
        title_terms += 1;
        terms.entry(t.to_owned()).or_default().in_title = true;
    });
    for (_, heading) in &doc.main.headings {
        for_each_term(&normalize(heading), |t, _| {
            terms.entry(t.to_owned()).or_default().in_heading = true;
        });
    }
    let mut length = 0;
    let mut add = |text: &str, weight: u32| {
        let normalized = normalize(text);
        for_each_term(&normalized, |t, _| {
            length += weight;
            terms.entry(t.to_owned()).or_default().weight += weight;
        });
        normalized
    };
    add(&doc.description, DESCRIPTION_WEIGHT);
    let text = add(&doc.main.text, TEXT_WEIGHT);
    let mut found = BTreeSet::new();
    if let Some(readings) = readings {
        for (base, reading) in readings.found_in(&text) {
            for_each_term(reading, |t, _| {
                terms.entry(t.to_owned()).or_default().weight += READING_WEIGHT;
            });
            found.insert((base.to_owned(), reading.to_owned()));
        }
    }
    PageTerms {
        terms,
        length,
        title_terms,
        readings: found.into_iter().collect(),
    }
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
    readings: &'a [(String, String)],
}

impl LanguageIndex {
    fn build(site: &Site, lang: &str, cx: &SearchCx) -> LanguageIndex {
        let pages = indexed_pages(site, lang);
        let japanese = site.config.html_lang(lang) == "ja";
        let readings = japanese.then(|| cx.readings(site));
        let docs: Vec<Option<Arc<SearchDoc>>> = pages
            .iter()
            .map(|(_, p)| cx.docs.get(lang, &p.key))
            .collect();
        let per_page: Vec<Option<PageTerms>> = docs
            .par_iter()
            .map(|d| d.as_ref().map(|d| page_terms(d, readings)))
            .collect();
        let counted: Vec<&PageTerms> = per_page.iter().flatten().collect();
        let average = counted.iter().map(|p| f64::from(p.length)).sum::<f64>()
            / (counted.len().max(1) as f64);
        let files = term_files(pages.len());
        let mut filed: Vec<Vec<(&str, u32, u8)>> = vec![Vec::new(); files];
        for (n, page) in per_page.iter().enumerate() {
            let Some(page) = page else { continue };
            for (term, place) in &page.terms {
                let file = file_of(term, files as u32) as usize;
                let score = score(place, page.title_terms, page.length, average);
                filed[file].push((term, n as u32, score));
            }
        }
        let term_files: Vec<Vec<u8>> = filed
            .into_par_iter()
            .map(|mut entries| {
                // By term, then page: the order a reader of the file expects, and the
                // same bytes for the same site.
                entries.sort_unstable();
                term_file(&entries)
            })
            .collect();
        let docs: Vec<Vec<u8>> = docs
            .iter()
            .zip(&per_page)
            .map(|(doc, terms)| doc_file(doc.as_deref(), terms.as_ref()))
            .collect();
        let mut stamp: u64 = 0xcbf2_9ce4_8422_2325;
        for bytes in term_files.iter().chain(&docs) {
            for b in bytes {
                stamp ^= u64::from(*b);
                stamp = stamp.wrapping_mul(0x0100_0000_01b3);
            }
        }
        let meta = serde_json::to_vec(&Meta {
            format: 1,
            pages: pages.len(),
            files,
            stamp: format!("{stamp:016x}"),
        })
        .unwrap_or_default();
        LanguageIndex {
            meta,
            term_files,
            docs,
        }
    }
}

/// A file of terms: `{"term":[page, score, page, score, …], …}`, pages ascending.
fn term_file(entries: &[(&str, u32, u8)]) -> Vec<u8> {
    let mut out = String::with_capacity(entries.len() * 8 + 2);
    out.push('{');
    let mut current: Option<&str> = None;
    for &(term, page, score) in entries {
        if current != Some(term) {
            if current.is_some() {
                out.push_str("],");
            }
            out.push_str(&serde_json::to_string(term).unwrap_or_default());
            out.push_str(":[");
            current = Some(term);
        } else {
            out.push(',');
        }
        out.push_str(&page.to_string());
        out.push(',');
        out.push_str(&score.to_string());
    }
    if current.is_some() {
        out.push(']');
    }
    out.push('}');
    out.into_bytes()
}

fn doc_file(doc: Option<&SearchDoc>, terms: Option<&PageTerms>) -> Vec<u8> {
    let Some(doc) = doc else {
        return b"null".to_vec();
    };
    serde_json::to_vec(&DocFile {
        url: &doc.href,
        title: &doc.title,
        section: doc.section.as_deref(),
        text: &doc.main.text,
        readings: terms.map(|t| t.readings.as_slice()).unwrap_or_default(),
    })
    .unwrap_or_default()
}

/// The index's files; the script's route is the language list's first.
pub struct Search;

/// Route parts: 0 the summary, then the term files, then the pages.
const META_PART: usize = 0;

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
            let files = term_files(pages);
            for n in 0..files {
                claims.push(claim(format!("{folder}/t/{n}.json"), item, 1 + n));
            }
            for n in 0..pages {
                claims.push(claim(format!("{folder}/d/{n}.json"), item, 1 + files + n));
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
        let lang = cx
            .site
            .config
            .language_codes()
            .into_iter()
            .nth(route.item)
            .ok_or_else(failed)?;
        let index = cx.search.index(cx.site, &lang).ok_or_else(failed)?;
        let files = index.term_files.len();
        let bytes = match route.part {
            META_PART => &index.meta,
            n if n <= files => &index.term_files[n - 1],
            n => index.docs.get(n - 1 - files).ok_or_else(failed)?,
        };
        Ok(Body::Bytes(bytes.clone()))
    }

    fn affected(&self, route: &Route, changes: &Changes, _cx: &RenderCx) -> bool {
        // The script never changes; the index depends on every page.
        route.item != usize::MAX && !changes.is_empty()
    }

    fn later(&self, _route: &Route, _cx: &RenderCx) -> bool {
        true
    }
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
    pub links: Vec<KeywordLink>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct KeywordLink {
    pub title: String,
    pub href: String,
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
    let japanese = site.config.html_lang(lang) == "ja";
    let docs: Vec<Arc<SearchDoc>> = site
        .pages
        .iter()
        .filter(|p| p.lang() == lang && is_searchable(p))
        .filter_map(|p| cx.search.docs.get(lang, &p.key))
        .collect();
    let mut keywords: BTreeMap<String, BTreeSet<KeywordLink>> = BTreeMap::new();
    for doc in &docs {
        let page = KeywordLink {
            title: doc.title.clone(),
            href: doc.href.clone(),
        };
        keywords
            .entry(doc.title.clone())
            .or_default()
            .insert(page.clone());
        for (id, heading) in &doc.main.headings {
            keywords
                .entry(heading.clone())
                .or_default()
                .insert(KeywordLink {
                    title: doc.title.clone(),
                    href: format!("{}#{id}", doc.href),
                });
        }
    }
    for term in &site.data.glossary.terms {
        let Some(word) = term.words.get(lang) else {
            continue;
        };
        let wanted = normalize(word);
        let links: BTreeSet<KeywordLink> = docs
            .iter()
            .filter(|d| normalize(&d.main.text).contains(&wanted))
            .take(KEYWORD_PAGES)
            .map(|d| KeywordLink {
                title: d.title.clone(),
                href: d.href.clone(),
            })
            .collect();
        if !links.is_empty() {
            keywords.entry(word.to_owned()).or_default().extend(links);
        }
    }
    let readings = japanese.then(|| cx.search.readings(site));
    let mut groups: BTreeMap<(u8, String), Vec<(String, Keyword)>> = BTreeMap::new();
    for (text, links) in keywords {
        let (group, order) = match readings.map(|r| r.reading_of(&text)) {
            Some(Some(reading)) if kana::row(&reading).is_some() => {
                let row = kana::row(&reading).map(String::from).unwrap_or_default();
                let key = kana::sort_key(&reading);
                ((0, row), format!("{}\u{0}{}", key.0, key.1))
            }
            Some(Some(reading)) if reading.starts_with(|c: char| c.is_ascii_alphabetic()) => {
                ((1, reading[..1].to_ascii_uppercase()), reading)
            }
            Some(_) => ((2, String::new()), text.clone()),
            None => match text.chars().next() {
                Some(c) if c.is_ascii_alphabetic() => {
                    ((1, c.to_ascii_uppercase().to_string()), text.to_lowercase())
                }
                _ => ((2, String::new()), text.to_lowercase()),
            },
        };
        groups.entry(group).or_default().push((
            order,
            Keyword {
                text,
                links: links.into_iter().collect(),
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
        assert!(score(&text(10_000), 8, 100, 100.0) < score(&heading(2), 8, 100, 100.0));
        assert!(score(&heading(2), 8, 100, 100.0) < score(&title(2), 30, 100, 100.0));
        assert!(score(&title(2), 30, 100, 100.0) < score(&title(2), 4, 100, 100.0));
        assert_eq!(score(&title(10_000), 4, 100, 100.0), 255);
        assert!(score(&text(1), 8, 100_000, 100.0) >= 1);
    }

    #[test]
    fn a_term_file_lists_each_term_once_with_its_pages() {
        let file = term_file(&[("a", 0, 9), ("a", 3, 7), ("b\"", 1, 1)]);
        assert_eq!(String::from_utf8(file).unwrap(), r#"{"a":[0,9,3,7],"b\"":[1,1]}"#);
        assert_eq!(term_file(&[]), b"{}");
    }
}
