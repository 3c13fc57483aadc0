//! The site model: a pile of parsed pages made into one connected site.
//!
//! Owns everything that needs more than one file to decide: which pages are published,
//! which files are translations of one page, the URL of every page, the section tree,
//! and the indexes every output reads instead of scanning all pages (children of a
//! section, each language's menu and announcements, the translations of a page). Built
//! once per build in time linear in the number of pages; the outputs then read it
//! without changing it. [`routes`] claims every output path once; [`links`] resolves
//! every link in the Markdown against those routes.

mod claims;
pub mod links;
pub mod review;
pub mod routes;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::data::Data;
use crate::dates::Moment;
use crate::diagnostics::{Diagnostic, Problem};
use crate::load::{Asset, slash_path};
pub use crate::parse::NEWS_SECTION;
use crate::parse::{ParsedPage, UnparsedPage};
pub use links::Target;

/// What a page is in the site's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    Home,
    Section,
    Page,
}

/// One published page in one language.
#[derive(Debug, Clone)]
pub struct Page {
    pub parsed: Arc<ParsedPage>,
    pub key: String,
    pub kind: PageKind,
    /// Path below the site root: `/about/`, `/en/about/`.
    pub url: String,
    /// Every link destination as written in the Markdown, and where it really goes; set
    /// by [`links::resolve`].
    pub links: BTreeMap<String, Target>,
    /// Where a dated page stands at the build's "now".
    pub schedule: Schedule,
}

/// Where a page stands in time. Only `serve` ever publishes a `Scheduled` page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Schedule {
    #[default]
    Current,
    /// Dated after "now": shown only by `serve`, labelled.
    Scheduled,
    /// Past its `expires` date: off the home page and the feed, its page says so.
    Ended,
}

impl Schedule {
    fn of(page: &ParsedPage, now: Moment) -> Self {
        let front = &page.front;
        if front.date.is_some_and(|d| d > now) {
            Schedule::Scheduled
        } else if front.expires.is_some_and(|e| has_passed(e, now)) {
            Schedule::Ended
        } else {
            Schedule::Current
        }
    }
}

/// `expires = 2026-04-30` keeps an announcement up for the whole of that day in Japan;
/// with a time, it ends at that moment.
fn has_passed(expires: Moment, now: Moment) -> bool {
    if expires.has_time {
        now >= expires
    } else {
        now.date() > expires.date()
    }
}

impl Page {
    pub fn lang(&self) -> &str {
        &self.parsed.lang
    }

    pub fn title(&self) -> &str {
        &self.parsed.front.title
    }

    /// The key of the section this page belongs to; `None` for the home page.
    pub fn parent_key(&self) -> Option<&str> {
        parent_key(&self.key, self.kind)
    }

    /// Whether this is the list of announcements of its language.
    pub fn is_news_list(&self) -> bool {
        self.kind == PageKind::Section && self.key == NEWS_SECTION
    }

    /// Whether this is one announcement.
    pub fn is_announcement(&self) -> bool {
        self.parsed.dir == NEWS_SECTION && self.kind == PageKind::Page
    }
}

fn parent_key(key: &str, kind: PageKind) -> Option<&str> {
    if kind == PageKind::Home {
        return None;
    }
    Some(key.rsplit_once('/').map_or("", |(p, _)| p))
}

/// What decides whether a page is published in this build.
#[derive(Debug, Clone, Copy)]
pub struct Publishing {
    /// `serve` shows drafts; `build` never does.
    pub include_drafts: bool,
    /// The moment the build counts as "now", for scheduled announcements.
    pub now: Moment,
}

/// The whole site, connected. Pages are ordered by URL.
#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// The typed data files (sources, directory, publications, helplines).
    pub data: Data,
    /// For each download (`files/book.pdf`) that `publications.toml` gives an
    /// `alternative`, the page with the same content in each language, below the site
    /// root; filled by [`links::resolve_alternatives`] once the routes are known.
    pub alternatives: BTreeMap<String, BTreeMap<String, String>>,
    /// Pages that exist but are not published (drafts, scheduled) or could not be
    /// parsed, for link checking: a link to one is explained, not called broken.
    pub absent: Absent,
    index: Index,
}

/// Pages that exist as files but are not in the output.
#[derive(Debug, Default)]
pub struct Absent {
    /// Drafts and scheduled pages, by URL and by source path.
    pub withheld_urls: BTreeSet<String>,
    pub withheld_sources: BTreeSet<String>,
    /// The drafts among them, by key and language.
    pub drafts: BTreeSet<(String, String)>,
    /// Files that failed to parse: they count as present, so that their own error is
    /// not followed by reports of broken links to them.
    pub unparsed: Vec<UnparsedPage>,
    pub unparsed_urls: BTreeSet<String>,
    pub unparsed_sources: BTreeSet<String>,
}

/// The indexes every output reads, built once.
#[derive(Debug, Default)]
struct Index {
    by_key: BTreeMap<(String, String), usize>,
    by_source: BTreeMap<String, usize>,
    /// Per page, the pages directly inside it (a section's children), in list order.
    children: Vec<Vec<usize>>,
    /// Per key, the page in each language that has it, in the site's language order.
    translations: BTreeMap<String, Vec<usize>>,
    /// Per language, the pages marked `menu = true`, by weight.
    menu: BTreeMap<String, Vec<usize>>,
}

impl Site {
    pub fn page(&self, key: &str, lang: &str) -> Option<&Page> {
        self.page_index(key, lang).map(|i| &self.pages[i])
    }

    pub fn page_index(&self, key: &str, lang: &str) -> Option<usize> {
        self.index
            .by_key
            .get(&(key.to_owned(), lang.to_owned()))
            .copied()
    }

    /// The published page written in `source` (`news/x.ja.md`), if any.
    pub fn page_by_source(&self, source: &str) -> Option<&Page> {
        self.page_index_by_source(source).map(|i| &self.pages[i])
    }

    pub fn page_index_by_source(&self, source: &str) -> Option<usize> {
        self.index.by_source.get(source).copied()
    }

    /// The page in every declared language that has it, in the site's language order.
    pub fn translations(&self, page: &Page) -> Vec<&Page> {
        self.index
            .translations
            .get(&page.key)
            .map(|ids| ids.iter().map(|&i| &self.pages[i]).collect())
            .unwrap_or_default()
    }

    /// The translations of a page that `hreflang` names: none for a page in a variant
    /// (やさしい日本語 is Japanese, not a translation of it), and no variant pages for
    /// the others.
    pub fn hreflang_translations(&self, page: &Page) -> Vec<&Page> {
        if self.config.is_variant(page.lang()) {
            return Vec::new();
        }
        self.translations(page)
            .into_iter()
            .filter(|p| !self.config.is_variant(p.lang()))
            .collect()
    }

    /// The home page and sections above `page`, outermost first, in its language.
    pub fn ancestors(&self, page: &Page) -> Vec<&Page> {
        let mut chain = Vec::new();
        let mut key = page.parent_key();
        while let Some(k) = key {
            if let Some(p) = self.page(k, page.lang()) {
                chain.push(p);
            }
            key = match k {
                "" => None,
                k => Some(k.rsplit_once('/').map_or("", |(p, _)| p)),
            };
        }
        chain.reverse();
        chain
    }

    /// Pages directly inside a section: newest first where dated, then by weight and title.
    pub fn children(&self, section: &Page) -> Vec<&Page> {
        self.children_of(section)
            .iter()
            .map(|&i| &self.pages[i])
            .collect()
    }

    fn children_of(&self, section: &Page) -> &[usize] {
        self.page_index(&section.key, section.lang())
            .and_then(|i| self.index.children.get(i))
            .map_or(&[], Vec::as_slice)
    }

    /// How many pages are directly inside a section.
    pub fn child_count(&self, section: &Page) -> usize {
        self.children_of(section).len()
    }

    /// The announcements of a language, newest first.
    pub fn announcements(&self, lang: &str) -> Vec<&Page> {
        self.page(NEWS_SECTION, lang)
            .map(|news| self.children(news))
            .unwrap_or_default()
    }

    /// Pages marked `menu = true` in a language, ordered by weight.
    pub fn menu(&self, lang: &str) -> Vec<&Page> {
        self.index
            .menu
            .get(lang)
            .map(|ids| ids.iter().map(|&i| &self.pages[i]).collect())
            .unwrap_or_default()
    }
}

/// Connects the parsed pages: publishing rules, URLs, indexes. Links are resolved
/// afterwards, against the routes every output claims ([`links::resolve`]).
pub fn assemble(
    config: SiteConfig,
    parsed: Vec<Arc<ParsedPage>>,
    unparsed: Vec<UnparsedPage>,
    assets: Vec<Asset>,
    data: Data,
    publishing: Publishing,
) -> (Site, Vec<Diagnostic>) {
    let mut problems = differing_dates(&parsed, &config.default_language);
    let mut absent = Absent {
        unparsed,
        ..Absent::default()
    };
    let (published, withheld): (Vec<_>, Vec<_>) = parsed
        .into_iter()
        .partition(|p| is_published(p, publishing));
    for p in &withheld {
        absent
            .withheld_urls
            .insert(url_of(&config, &p.key(), &p.lang));
        absent.withheld_sources.insert(slash_path(&p.source));
        if p.front.draft {
            absent.drafts.insert((p.key(), p.lang.clone()));
        }
    }
    let pages = assign_urls(&config, published, &mut absent, &mut problems, publishing);
    for u in &absent.unparsed {
        absent
            .unparsed_urls
            .insert(url_of(&config, &u.key, &u.lang));
        absent.unparsed_sources.insert(slash_path(&u.source));
    }
    let index = Index::new(&config, &pages);
    let site = Site {
        config,
        pages,
        assets,
        data,
        alternatives: BTreeMap::new(),
        absent,
        index,
    };
    problems.extend(missing_translations(&site));
    problems.extend(unknown_cited_sources(&site));
    (site, problems)
}

/// Drafts and not-yet-due announcements are withheld (except by `serve`).
fn is_published(page: &ParsedPage, publishing: Publishing) -> bool {
    (publishing.include_drafts || !page.front.draft)
        && page
            .front
            .date
            .is_none_or(|d| d <= publishing.now || publishing.include_drafts)
}

/// `/about/`, `/en/news/`: the URL of a page of `key` in `lang`.
pub fn url_of(config: &SiteConfig, key: &str, lang: &str) -> String {
    let prefix = config.language_prefix(lang);
    if key.is_empty() {
        format!("{prefix}/")
    } else {
        format!("{prefix}/{key}/")
    }
}

/// Gives each page its URL. Of two pages claiming one URL, the second is reported and
/// set aside as unparsed, so it still counts as present and its links are still checked.
fn assign_urls(
    config: &SiteConfig,
    mut parsed: Vec<Arc<ParsedPage>>,
    absent: &mut Absent,
    problems: &mut Vec<Diagnostic>,
    publishing: Publishing,
) -> Vec<Page> {
    parsed.sort_by(|a, b| a.source.cmp(&b.source));
    let mut claimed: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut pages = Vec::with_capacity(parsed.len());
    for p in parsed {
        let key = p.key();
        let url = url_of(config, &key, &p.lang);
        if let Some(other) = claimed.get(&url) {
            problems.push(
                Diagnostic::error(Problem::DuplicateUrl {
                    url: url.clone(),
                    other: other.clone(),
                })
                .in_file(&p.source),
            );
            absent.unparsed.push(UnparsedPage {
                key,
                lang: p.lang.clone(),
                links: p.body.links.clone(),
                source: p.source.clone(),
                text: Arc::clone(&p.body.text),
            });
            continue;
        }
        claimed.insert(url.clone(), p.source.clone());
        let kind = match (key.as_str(), p.is_section()) {
            ("", _) => PageKind::Home,
            (_, true) => PageKind::Section,
            _ => PageKind::Page,
        };
        let schedule = Schedule::of(&p, publishing.now);
        pages.push(Page {
            parsed: p,
            key,
            kind,
            url,
            links: BTreeMap::new(),
            schedule,
        });
    }
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    pages
}

impl Index {
    fn new(config: &SiteConfig, pages: &[Page]) -> Index {
        let mut index = Index {
            children: vec![Vec::new(); pages.len()],
            ..Index::default()
        };
        for (i, p) in pages.iter().enumerate() {
            index.by_key.insert((p.key.clone(), p.lang().to_owned()), i);
            index.by_source.insert(slash_path(&p.parsed.source), i);
        }
        let order: BTreeMap<String, usize> = config
            .language_codes()
            .into_iter()
            .enumerate()
            .map(|(n, l)| (l, n))
            .collect();
        for (i, p) in pages.iter().enumerate() {
            if let Some(parent) = p.parent_key()
                && let Some(&section) = index.by_key.get(&(parent.to_owned(), p.lang().to_owned()))
            {
                index.children[section].push(i);
            }
            index.translations.entry(p.key.clone()).or_default().push(i);
            if p.parsed.front.menu {
                index.menu.entry(p.lang().to_owned()).or_default().push(i);
            }
        }
        for children in &mut index.children {
            children.sort_by(|&a, &b| list_order(&pages[a], &pages[b]));
        }
        for ids in index.translations.values_mut() {
            ids.sort_by_key(|&i| order.get(pages[i].lang()).copied().unwrap_or(usize::MAX));
        }
        for ids in index.menu.values_mut() {
            ids.sort_by_key(|&i| {
                (
                    pages[i].parsed.front.weight.unwrap_or(0),
                    pages[i].url.clone(),
                )
            });
        }
        index
    }
}

/// Lists show the newest first where dated, then by weight and title.
fn list_order(a: &Page, b: &Page) -> std::cmp::Ordering {
    let (fa, fb) = (&a.parsed.front, &b.parsed.front);
    // Published the same day: what happened later first, as on the date of publication.
    fb.date
        .cmp(&fa.date)
        .then(fb.event_date.cmp(&fa.event_date))
        .then(fa.weight.unwrap_or(0).cmp(&fb.weight.unwrap_or(0)))
        .then(a.title().cmp(b.title()))
        .then(a.url.cmp(&b.url))
}

/// Every page key should exist in every declared language.
fn missing_translations(site: &Site) -> Vec<Diagnostic> {
    let unparsed: BTreeSet<(&str, &str)> = site
        .absent
        .unparsed
        .iter()
        .map(|u| (u.key.as_str(), u.lang.as_str()))
        .collect();
    let exists = |key: &str, lang: &str| {
        site.page_index(key, lang).is_some() || unparsed.contains(&(key, lang))
    };
    let default = &site.config.default_language;
    let mut problems = Vec::new();
    for page in &site.pages {
        if page.lang() != default && exists(&page.key, default) {
            continue; // reported once, from the default-language file
        }
        // A variant (やさしい日本語) covers some pages by design: its gaps are counted
        // once below, not reported page by page.
        for lang in site
            .config
            .language_codes()
            .into_iter()
            .filter(|l| !site.config.is_variant(l))
        {
            if exists(&page.key, &lang) {
                continue;
            }
            let expected = page
                .parsed
                .source
                .with_file_name(format!("{}.{lang}.md", page.parsed.stem));
            let url = url_of(&site.config, &page.key, &lang);
            // A translation that exists but is withheld is not missing: a draft is
            // named as such; one dated later is the date mismatch already reported.
            let problem = if site
                .absent
                .drafts
                .contains(&(page.key.clone(), lang.clone()))
            {
                Problem::TranslationIsDraft {
                    lang,
                    file: expected,
                }
            } else if site.absent.withheld_urls.contains(&url) {
                continue;
            } else {
                Problem::MissingTranslation { lang, expected }
            };
            problems.push(Diagnostic::warning(problem).in_file(&page.parsed.source));
        }
    }
    // How much of the site each variant covers, as one notice: on the pages it lacks,
    // the language switcher leads to the variant's home page and says so.
    let keys: BTreeSet<&str> = site
        .pages
        .iter()
        .filter(|p| !site.config.is_variant(p.lang()))
        .map(|p| p.key.as_str())
        .collect();
    for lang in site.config.language_codes() {
        if !site.config.is_variant(&lang) {
            continue;
        }
        let covered = keys.iter().filter(|k| exists(k, &lang)).count();
        if covered < keys.len() {
            problems.push(Diagnostic::notice(Problem::PartialVariant {
                name: site.config.languages[&lang].name.clone(),
                pages: covered,
                of: keys.len(),
            }));
        }
    }
    problems
}

/// Translations of an announcement must share its date and end, or one language
/// publishes or withdraws it on another day. Checked before drafts and scheduled pages
/// are set aside, so a mismatch that withholds one translation is still found.
/// Reported on each translation, against the default language's value.
fn differing_dates(parsed: &[Arc<ParsedPage>], default: &str) -> Vec<Diagnostic> {
    let originals: BTreeMap<String, &ParsedPage> = parsed
        .iter()
        .filter(|p| p.lang == default && p.dir == NEWS_SECTION)
        .map(|p| (p.key(), p.as_ref()))
        .collect();
    let mut problems = Vec::new();
    for page in parsed
        .iter()
        .filter(|p| p.lang != default && p.dir == NEWS_SECTION)
    {
        let Some(original) = originals.get(&page.key()) else {
            continue;
        };
        let pairs = [
            ("date", page.front.date, original.front.date),
            ("expires", page.front.expires, original.front.expires),
        ];
        for (key, here, there) in pairs {
            if here.map(|m| m.at) == there.map(|m| m.at) {
                continue;
            }
            let written = |m: Option<Moment>| m.map_or_else(|| "-".to_owned(), |m| m.iso());
            let line = page.front.key_lines.get(key).copied().unwrap_or(1);
            problems.push(
                Diagnostic::warning(Problem::TranslationDateDiffers {
                    key: key.to_owned(),
                    date: written(here),
                    other_lang: default.to_owned(),
                    other_date: written(there),
                })
                .at(&page.source, line, 1, None),
            );
        }
    }
    problems
}

/// How many pages cite each source in their front matter (`sources = [...]`).
pub fn cited_sources(site: &Site) -> BTreeMap<String, usize> {
    let mut cited = BTreeMap::new();
    for page in &site.pages {
        for id in &page.parsed.front.sources {
            *cited.entry(id.clone()).or_default() += 1;
        }
    }
    cited
}

/// A source a page cites that `sources.toml` does not have: an error at the page's
/// `sources` line, naming the ones it has. Not told while `sources.toml` could not be
/// read (its own error says so).
fn unknown_cited_sources(site: &Site) -> Vec<Diagnostic> {
    if site.data.incomplete {
        return Vec::new();
    }
    let known = site.data.sources.ids();
    let mut found = Vec::new();
    for page in &site.pages {
        let front = &page.parsed.front;
        for id in &front.sources {
            if site.data.sources.get(id).is_none() {
                let line = front.key_lines.get("sources").copied().unwrap_or(1);
                found.push(
                    Diagnostic::error(Problem::UnknownReference {
                        id: id.clone(),
                        known: known.clone(),
                    })
                    .at(
                        &page.parsed.source,
                        line,
                        1,
                        Some(&page.parsed.body.text),
                    ),
                );
            }
        }
    }
    found
}
