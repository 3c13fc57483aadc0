//! Stage 3, link: turns a pile of parsed pages into one connected site.
//!
//! Owns everything that needs more than one file to decide: which pages are published,
//! which files are translations of one page, the URL of every page, the section tree and
//! menus, and where every link in the Markdown goes. A link that goes nowhere, two pages
//! claiming one URL, and a page missing a translation are found here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::data::Data;
use crate::dates::Moment;
use crate::diagnostics::{Diagnostic, Problem};
use crate::load::{Asset, file_format, slash_path};
pub use crate::parse::NEWS_SECTION;
use crate::parse::{LinkRef, ParsedPage, UnparsedPage};
use crate::phone::PhoneNumber;

/// What a page is in the site's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    Section,
    Page,
}

/// One published page in one language.
#[derive(Debug, Clone)]
pub struct Page {
    pub parsed: ParsedPage,
    pub key: String,
    pub kind: PageKind,
    /// Path below the site root: `/about/`, `/en/about/`.
    pub url: String,
    /// Every link destination as written in the Markdown, and where it really goes.
    pub links: BTreeMap<String, Target>,
    /// Where a dated page stands at the build's "now".
    pub schedule: Schedule,
}

/// Where a page stands in time. Only `serve` ever publishes a `Scheduled` page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
    pub fn parent_key(&self) -> Option<String> {
        if self.kind == PageKind::Home {
            return None;
        }
        Some(self.key.rsplit_once('/').map_or("", |(p, _)| p).to_owned())
    }
}

/// Where a link goes, once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Another page of the site; `url` is below the site root, fragment included.
    Page { url: String },
    /// A file from `content/files/`.
    File {
        url: String,
        size: u64,
        format: String,
    },
    /// Something the generator writes itself (a feed, the sitemap).
    Generated { url: String },
    /// A `tel:` link: the number checked and dialled in its international form.
    Phone { number: PhoneNumber },
    /// Another site, a phone number or a mail address: left as written.
    External,
    /// A place on the same page.
    Fragment,
}

/// The whole site, connected. Pages are ordered by URL.
#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// The typed data files (directory, publications, helplines).
    pub data: Data,
    by_key: BTreeMap<(String, String), usize>,
}

/// What decides whether a page is published in this build.
#[derive(Debug, Clone, Copy)]
pub struct Publishing {
    /// `serve` shows drafts; `build` never does.
    pub include_drafts: bool,
    /// The moment the build counts as "now", for scheduled announcements.
    pub now: Moment,
}

impl Site {
    pub fn page(&self, key: &str, lang: &str) -> Option<&Page> {
        self.by_key
            .get(&(key.to_owned(), lang.to_owned()))
            .map(|&i| &self.pages[i])
    }

    /// The page in every declared language that has it, in the site's language order.
    pub fn translations(&self, page: &Page) -> Vec<&Page> {
        self.config
            .language_codes()
            .iter()
            .filter_map(|lang| self.page(&page.key, lang))
            .collect()
    }

    /// The home page and sections above `page`, outermost first, in its language.
    pub fn ancestors(&self, page: &Page) -> Vec<&Page> {
        let mut chain = Vec::new();
        let mut key = page.parent_key();
        while let Some(k) = key {
            let parent = self.page(&k, page.lang());
            if let Some(p) = parent {
                chain.push(p);
            }
            key = match k.as_str() {
                "" => None,
                k => Some(k.rsplit_once('/').map_or("", |(p, _)| p).to_owned()),
            };
        }
        chain.reverse();
        chain
    }

    /// Pages directly inside a section: newest first where dated, then by weight and title.
    pub fn children(&self, section: &Page) -> Vec<&Page> {
        let mut children: Vec<&Page> = self
            .pages
            .iter()
            .filter(|p| p.lang() == section.lang())
            .filter(|p| p.parent_key().as_deref() == Some(section.key.as_str()))
            .collect();
        children.sort_by(|a, b| {
            let (fa, fb) = (&a.parsed.front, &b.parsed.front);
            fb.date
                .cmp(&fa.date)
                .then(fa.weight.unwrap_or(0).cmp(&fb.weight.unwrap_or(0)))
                .then(a.title().cmp(b.title()))
                .then(a.url.cmp(&b.url))
        });
        children
    }

    /// The announcements of a language, newest first.
    pub fn announcements(&self, lang: &str) -> Vec<&Page> {
        self.page(NEWS_SECTION, lang)
            .map(|news| self.children(news))
            .unwrap_or_default()
    }

    /// Pages marked `menu = true` in a language, ordered by weight.
    pub fn menu(&self, lang: &str) -> Vec<&Page> {
        let mut items: Vec<&Page> = self
            .pages
            .iter()
            .filter(|p| p.lang() == lang && p.parsed.front.menu)
            .collect();
        items.sort_by_key(|p| (p.parsed.front.weight.unwrap_or(0), p.url.clone()));
        items
    }
}

/// Connects the parsed pages. `generated` lists URLs the render stage will write
/// (feeds, the sitemap, theme files) so that links to them count as valid.
pub fn link(
    config: SiteConfig,
    parsed: Vec<ParsedPage>,
    mut unparsed: Vec<UnparsedPage>,
    assets: Vec<Asset>,
    generated: &BTreeSet<String>,
    publishing: Publishing,
) -> (Site, Vec<Diagnostic>) {
    let mut problems = differing_dates(&parsed, &config.default_language);
    let (published, withheld) = split_published(parsed, publishing);
    let mut pages = assign_urls(&config, published, &mut unparsed, &mut problems);
    let by_key = pages
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.key.clone(), p.lang().to_owned()), i))
        .collect();
    let resolver = Resolver::new(&pages, &withheld, &unparsed, &assets, generated, &config);
    let resolved: Vec<_> = pages
        .par_iter()
        .map(|p| resolver.resolve_all(&p.parsed, &p.url))
        .collect();
    for u in &unparsed {
        let url = url_of(&config, &u.key, &u.lang);
        problems.extend(resolver.resolve_links(&u.source, &u.links, &url, &u.lang).1);
    }
    for (page, (links, mut found)) in pages.iter_mut().zip(resolved) {
        page.links = links;
        page.schedule = Schedule::of(&page.parsed, publishing.now);
        problems.append(&mut found);
    }
    let site = Site {
        config,
        pages,
        assets,
        data: Data::default(),
        by_key,
    };
    problems.extend(missing_translations(&site, &unparsed));
    (site, problems)
}

/// Drafts and not-yet-due announcements are withheld; their URLs are kept so that a
/// link to one can say why it does not work yet.
fn split_published(
    parsed: Vec<ParsedPage>,
    publishing: Publishing,
) -> (Vec<ParsedPage>, Vec<ParsedPage>) {
    parsed.into_iter().partition(|p| {
        (publishing.include_drafts || !p.front.draft)
            && p.front
                .date
                .is_none_or(|d| d <= publishing.now || publishing.include_drafts)
    })
}

fn url_of(config: &SiteConfig, key: &str, lang: &str) -> String {
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
    mut parsed: Vec<ParsedPage>,
    unparsed: &mut Vec<UnparsedPage>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    parsed.sort_by(|a, b| a.source.cmp(&b.source));
    let mut claimed: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut pages = Vec::new();
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
            unparsed.push(UnparsedPage {
                key,
                lang: p.lang,
                links: p.body.links,
                source: p.source,
            });
            continue;
        }
        claimed.insert(url.clone(), p.source.clone());
        let kind = match (key.as_str(), p.is_section()) {
            ("", _) => PageKind::Home,
            (_, true) => PageKind::Section,
            _ => PageKind::Page,
        };
        pages.push(Page {
            parsed: p,
            key,
            kind,
            url,
            links: BTreeMap::new(),
            schedule: Schedule::Current,
        });
    }
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    pages
}

/// Every page key should exist in every declared language.
fn missing_translations(site: &Site, unparsed: &[UnparsedPage]) -> Vec<Diagnostic> {
    let exists = |key: &str, lang: &str| {
        site.page(key, lang).is_some() || unparsed.iter().any(|u| u.key == key && u.lang == lang)
    };
    let mut problems = Vec::new();
    for page in &site.pages {
        if page.lang() != site.config.default_language
            && exists(&page.key, &site.config.default_language)
        {
            continue; // reported once, from the default-language file
        }
        for lang in site.config.language_codes() {
            if !exists(&page.key, &lang) {
                let expected = page
                    .parsed
                    .source
                    .with_file_name(format!("{}.{lang}.md", page.parsed.stem));
                problems.push(
                    Diagnostic::warning(Problem::MissingTranslation { lang, expected })
                        .in_file(&page.parsed.source),
                );
            }
        }
    }
    problems
}

/// Translations of an announcement must share its date and end, or one language
/// publishes or withdraws it on another day. Checked before drafts and scheduled pages
/// are set aside, so a mismatch that withholds one translation is still found.
/// Reported on each translation, against the default language's value.
fn differing_dates(parsed: &[ParsedPage], default: &str) -> Vec<Diagnostic> {
    let originals: BTreeMap<String, &ParsedPage> = parsed
        .iter()
        .filter(|p| p.lang == default && p.dir == NEWS_SECTION)
        .map(|p| (p.key(), p))
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

/// Resolves link destinations against everything the site will contain.
struct Resolver<'a> {
    page_urls: BTreeSet<&'a str>,
    /// Pages whose files failed to parse: links to them are not reported again.
    unparsed_urls: BTreeSet<String>,
    unparsed_sources: BTreeSet<String>,
    withheld_urls: BTreeSet<String>,
    sources: BTreeMap<String, &'a str>,
    withheld_sources: BTreeSet<String>,
    files: BTreeMap<String, &'a Asset>,
    generated: &'a BTreeSet<String>,
}

impl<'a> Resolver<'a> {
    fn new(
        pages: &'a [Page],
        withheld: &[ParsedPage],
        unparsed: &[UnparsedPage],
        assets: &'a [Asset],
        generated: &'a BTreeSet<String>,
        config: &SiteConfig,
    ) -> Self {
        Resolver {
            page_urls: pages.iter().map(|p| p.url.as_str()).collect(),
            unparsed_urls: unparsed
                .iter()
                .map(|u| url_of(config, &u.key, &u.lang))
                .collect(),
            unparsed_sources: unparsed.iter().map(|u| slash_path(&u.source)).collect(),
            withheld_urls: withheld
                .iter()
                .map(|p| url_of(config, &p.key(), &p.lang))
                .collect(),
            sources: pages
                .iter()
                .map(|p| (slash_path(&p.parsed.source), p.url.as_str()))
                .collect(),
            withheld_sources: withheld.iter().map(|p| slash_path(&p.source)).collect(),
            files: assets
                .iter()
                .map(|a| (format!("/{}", a.url_path()), a))
                .collect(),
            generated,
        }
    }

    fn resolve_all(
        &self,
        page: &ParsedPage,
        page_url: &str,
    ) -> (BTreeMap<String, Target>, Vec<Diagnostic>) {
        self.resolve_links(&page.source, &page.body.links, page_url, &page.lang)
    }

    fn resolve_links(
        &self,
        source: &Path,
        page_links: &[LinkRef],
        page_url: &str,
        lang: &str,
    ) -> (BTreeMap<String, Target>, Vec<Diagnostic>) {
        let mut links = BTreeMap::new();
        let mut problems = Vec::new();
        for link in page_links {
            match self.resolve(&link.dest, page_url, lang) {
                Ok(target) => {
                    links.insert(link.dest.clone(), target);
                }
                Err(problem) => problems.push(
                    Diagnostic::error(problem)
                        .at(source, link.line, link.column, None)
                        .with_line(&link.line_text),
                ),
            }
        }
        (links, problems)
    }

    fn resolve(&self, dest: &str, page_url: &str, lang: &str) -> Result<Target, Problem> {
        if dest.is_empty() || dest.starts_with('#') {
            return Ok(Target::Fragment);
        }
        if let Some(number) = strip_prefix_ignore_case(dest, "tel:") {
            let decoded = percent_decode(number);
            return PhoneNumber::parse(&decoded)
                .map(|number| Target::Phone { number })
                .map_err(|reason| Problem::InvalidPhone {
                    field: "tel:".to_owned(),
                    value: decoded,
                    reason,
                });
        }
        if is_external(dest) {
            return Ok(Target::External);
        }
        let (path, suffix) = split_suffix(dest);
        if let Some(source) = path.strip_prefix("@/") {
            return self
                .resolve_source(source, lang, dest)
                .map(|url| Target::Page {
                    url: format!("{url}{suffix}"),
                });
        }
        let absolute = normalise(&percent_decode(path), page_url);
        self.resolve_url(&absolute, suffix, dest)
    }

    /// `@/access.ja.md` names a source file; `@/access.md` means the same language.
    fn resolve_source(&self, source: &str, lang: &str, dest: &str) -> Result<String, Problem> {
        let source = source.trim_start_matches('/');
        // `about.md` has no language of its own: it means this page's language.
        let wanted = match source.strip_suffix(".md") {
            Some(stem) if !stem.rsplit('/').next().unwrap_or(stem).contains('.') => {
                format!("{stem}.{lang}.md")
            }
            _ => source.to_owned(),
        };
        if let Some(url) = self.sources.get(&wanted) {
            return Ok((*url).to_owned());
        }
        if self.unparsed_sources.contains(&wanted) {
            return Ok(String::new());
        }
        if self.withheld_sources.contains(&wanted) {
            return Err(Problem::LinkToDraft {
                target: dest.to_owned(),
            });
        }
        Err(Problem::BrokenLink {
            target: dest.to_owned(),
            suggestion: nearest(&wanted, self.sources.keys().map(String::as_str))
                .map(|s| format!("@/{s}")),
        })
    }

    fn resolve_url(&self, path: &str, suffix: &str, dest: &str) -> Result<Target, Problem> {
        let with_slash = format!("{}/", path.trim_end_matches('/'));
        let without_index = path.strip_suffix("index.html").unwrap_or(path);
        for candidate in [path, without_index, with_slash.as_str()] {
            if self.page_urls.contains(candidate) || self.unparsed_urls.contains(candidate) {
                return Ok(Target::Page {
                    url: format!("{candidate}{suffix}"),
                });
            }
        }
        if let Some(asset) = self.files.get(path) {
            return Ok(Target::File {
                url: format!("{path}{suffix}"),
                size: asset.size,
                format: file_format(path),
            });
        }
        if self.generated.contains(path) {
            return Ok(Target::Generated {
                url: format!("{path}{suffix}"),
            });
        }
        if self.withheld_urls.contains(path) || self.withheld_urls.contains(&with_slash) {
            return Err(Problem::LinkToDraft {
                target: dest.to_owned(),
            });
        }
        Err(Problem::BrokenLink {
            target: dest.to_owned(),
            suggestion: nearest(
                path,
                self.page_urls
                    .iter()
                    .copied()
                    .chain(self.files.keys().map(String::as_str)),
            )
            .map(str::to_owned),
        })
    }
}

/// `https:`, `mailto:`, `tel:` and protocol-relative `//host` links leave the site.
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    dest.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// `text` without `prefix`, compared without regard to ASCII case (`TEL:` is `tel:`).
fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Splits `/access/?q#map` into `/access/` and `?q#map`.
fn split_suffix(dest: &str) -> (&str, &str) {
    let at = dest.find(['?', '#']).unwrap_or(dest.len());
    dest.split_at(at)
}

/// Resolves `path` against the page's own URL (a folder, as URLs are pretty) and folds
/// `.` and `..` away, so `../access/` from `/en/news/` becomes `/en/access/`.
fn normalise(path: &str, page_url: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("{page_url}{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let trailing = if joined.ends_with('/') && !parts.is_empty() {
        "/"
    } else {
        ""
    };
    format!("/{}{trailing}", parts.join("/"))
}

/// File names with Japanese characters arrive percent-encoded from Markdown.
pub fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| path.to_owned())
}

/// The existing name closest to a broken one, when it is close enough to help.
fn nearest<'s>(wanted: &str, existing: impl Iterator<Item = &'s str>) -> Option<&'s str> {
    existing
        .map(|e| (strsim::levenshtein(wanted, e), e))
        .filter(|(d, e)| *d <= 3.max(e.len() / 3))
        .min()
        .map(|(_, e)| e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_resolve_against_the_page_folder() {
        assert_eq!(normalise("../access/", "/en/news/"), "/en/access/");
        assert_eq!(normalise("meeting/", "/news/"), "/news/meeting/");
        assert_eq!(normalise("/access", "/news/"), "/access");
        assert_eq!(normalise("../../..", "/a/"), "/");
    }

    #[test]
    fn phone_links_are_checked_and_dialled_internationally() {
        assert_eq!(
            strip_prefix_ignore_case("TEL:0229-23-0024", "tel:"),
            Some("0229-23-0024")
        );
        assert_eq!(strip_prefix_ignore_case("te", "tel:"), None);
    }

    #[test]
    fn externals_are_recognised_by_scheme() {
        assert!(is_external("https://www.pref.miyagi.jp/"));
        assert!(is_external("tel:0229-23-0024"));
        assert!(is_external("mailto:a@example.jp"));
        assert!(is_external("//cdn.example.com/x.js"));
        assert!(!is_external("/access/"));
        assert!(!is_external("../access/"));
        assert!(!is_external("@/access.ja.md"));
    }

    #[test]
    fn suffixes_and_percent_encoding() {
        assert_eq!(split_suffix("/access/#map"), ("/access/", "#map"));
        assert_eq!(
            percent_decode("/files/%E7%9B%B8%E8%AB%87.pdf"),
            "/files/相談.pdf"
        );
        assert_eq!(percent_decode("/files/100%"), "/files/100%");
    }

    #[test]
    fn nearest_suggests_only_close_names() {
        let urls = ["/access/", "/about/", "/services/"];
        assert_eq!(nearest("/acess/", urls.iter().copied()), Some("/access/"));
        assert_eq!(
            nearest("/completely-different-thing/", urls.iter().copied()),
            None
        );
    }
}
