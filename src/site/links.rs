//! Where every link in the Markdown goes.
//!
//! Owns link resolution: a destination as the author wrote it (`/access/`,
//! `../access/`, `@/access.ja.md`, `/files/map.pdf`, `tel:…`, `https://…`) becomes a
//! [`Target`], checked against the route table, so a link is valid exactly when
//! something is written where it points. A link that goes nowhere is an error at its
//! line and column, with a suggestion when a route has a close name. What a destination
//! is (a place on the page, a path on the site, another site) is decided by
//! [`crate::url_class`], as a browser decides it, so a link resolved here as a page of
//! the site is one a browser also keeps on the site.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::routes::{RouteKind, RouteTable};
use super::{Page, Site};
use crate::diagnostics::{Diagnostic, LineCursor, Problem};
use crate::parse::LinkRef;
use crate::phone::PhoneNumber;
use crate::suggest::closest;
use crate::url_class::{self, Frame, UrlClass};

/// Where a link goes, once resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// Another page of the site; `url` is below the site root, fragment included.
    Page { url: String },
    /// A file from `content/files/` or the theme.
    File {
        url: String,
        size: u64,
        format: String,
        /// The page with the same content, below the site root, in the linking page's
        /// language where there is one (`publications.toml`'s `alternative`).
        alternative: Option<String>,
    },
    /// Something the generator writes itself (a feed, the sitemap).
    Generated { url: String },
    /// A `tel:` link: the number checked, dialled as `PhoneNumber::tel_uri` decides.
    Phone { number: PhoneNumber },
    /// Another site or a mail address: left as written.
    External,
    /// A place on the same page.
    Fragment,
}

impl Target {
    /// Whether the link is written with this site's own address (a page, a file, a
    /// heading), so that it cannot lead to another site.
    pub fn is_on_site(&self) -> bool {
        matches!(
            self,
            Target::Page { .. } | Target::File { .. } | Target::Generated { .. } | Target::Fragment
        )
    }
}

/// Suggestions compare a broken link with every route; after this many in one build,
/// the rest are reported without one, so a page of broken links stays linear to check.
const SUGGESTIONS_PER_BUILD: usize = 50;

/// Resolves the links of every page (in parallel) and of every page that failed to
/// parse, against `routes`.
pub fn resolve(site: &mut Site, routes: &RouteTable) -> Vec<Diagnostic> {
    let resolver = Resolver::new(site, routes);
    let resolved: Vec<_> = site
        .pages
        .par_iter()
        .map(|p| resolver.resolve_page(p))
        .collect();
    let mut problems = Vec::new();
    for u in &site.absent.unparsed {
        let url = super::url_of(&site.config, &u.key, &u.lang);
        problems.extend(
            resolver
                .resolve_links(&u.source, &u.text, &u.links, &url, &u.lang)
                .1,
        );
    }
    for (page, (links, mut found)) in site.pages.iter_mut().zip(resolved) {
        page.links = links;
        problems.append(&mut found);
    }
    problems
}

/// Finds the page each publication names as its `alternative`, in every language (the
/// default language's where a language has no translation), into
/// [`Site::alternatives`]; one that leads to no page is an error at its line.
pub fn resolve_alternatives(site: &mut Site, routes: &RouteTable) -> Vec<Diagnostic> {
    let mut alternatives = BTreeMap::new();
    let mut problems = Vec::new();
    {
        let resolver = Resolver::new(site, routes);
        let languages = site.config.language_codes();
        for publication in &site.data.publications {
            let (Some(file), Some(alternative)) = (&publication.file, &publication.alternative)
            else {
                continue;
            };
            let default = &site.config.default_language;
            let Ok(Target::Page { url: fallback }) =
                resolver.resolve(&alternative.dest, "/", default)
            else {
                problems.push(alternative.if_not_a_page.clone());
                continue;
            };
            // The page found is in the language its address is; each language gets its
            // translation where there is one (an `@/…md` written without a language is
            // read in each language anyway).
            let key = site
                .pages
                .iter()
                .find(|p| p.url == fallback.split('#').next().unwrap_or(&fallback))
                .map(|p| p.key.clone());
            let by_language: BTreeMap<String, String> = languages
                .iter()
                .map(|lang| {
                    let translated = key
                        .as_ref()
                        .and_then(|k| site.page(k, lang))
                        .map(|p| p.url.clone());
                    let url = match translated {
                        Some(url) if !alternative.dest.starts_with("@/") => url,
                        _ => match resolver.resolve(&alternative.dest, "/", lang) {
                            Ok(Target::Page { url }) => url,
                            _ => fallback.clone(),
                        },
                    };
                    (lang.clone(), url)
                })
                .collect();
            alternatives.insert(file.clone(), by_language);
        }
    }
    site.alternatives = alternatives;
    problems
}

/// Warnings for pages the accessibility test's record lists that the site no longer
/// has: the results would speak of a page readers cannot find.
pub fn tested_pages_gone(site: &Site, routes: &RouteTable) -> Vec<Diagnostic> {
    let Some(results) = &site.data.accessibility.results else {
        return Vec::new();
    };
    results
        .pages
        .iter()
        // A page, or a 404 page (which the generator writes as `Generated`).
        .filter(|page| {
            !routes
                .find(&page.path)
                .is_some_and(|r| r.path.ends_with(".html"))
        })
        .map(|page| page.if_gone.clone())
        .collect()
}

/// Resolves the links of one page again, after its text changed and nothing else.
pub fn resolve_one(
    site: &Site,
    routes: &RouteTable,
    page: &Page,
) -> (BTreeMap<String, Target>, Vec<Diagnostic>) {
    Resolver::new(site, routes).resolve_page(page)
}

/// Where one link destination goes from a page at `page_url` in `lang`: what a link in
/// that page's Markdown would resolve to.
pub fn resolve_dest(
    site: &Site,
    routes: &RouteTable,
    dest: &str,
    page_url: &str,
    lang: &str,
) -> Result<Target, Problem> {
    Resolver::new(site, routes).resolve(dest, page_url, lang)
}

struct Resolver<'a> {
    site: &'a Site,
    routes: &'a RouteTable,
    suggestions_left: AtomicUsize,
}

impl<'a> Resolver<'a> {
    fn new(site: &'a Site, routes: &'a RouteTable) -> Self {
        Resolver {
            site,
            routes,
            suggestions_left: AtomicUsize::new(SUGGESTIONS_PER_BUILD),
        }
    }

    fn resolve_page(&self, page: &Page) -> (BTreeMap<String, Target>, Vec<Diagnostic>) {
        let parsed = &page.parsed;
        self.resolve_links(
            &parsed.source,
            &parsed.body.text,
            &parsed.body.links,
            &page.url,
            &parsed.lang,
        )
    }

    fn resolve_links(
        &self,
        source: &Path,
        text: &str,
        page_links: &[LinkRef],
        page_url: &str,
        lang: &str,
    ) -> (BTreeMap<String, Target>, Vec<Diagnostic>) {
        let mut links = BTreeMap::new();
        let mut problems = Vec::new();
        // Made only for a page with a problem; links come in the order they are
        // written, so finding all their lines and columns reads the text once.
        let mut cursor: Option<LineCursor> = None;
        for link in page_links {
            if links.contains_key(&link.dest) {
                continue;
            }
            match self.resolve(&link.dest, page_url, lang) {
                Ok(target) => {
                    links.insert(link.dest.clone(), target);
                }
                Err(problem) => {
                    let at = cursor
                        .get_or_insert_with(|| LineCursor::new(text))
                        .position(link.offset);
                    problems.push(Diagnostic::error(problem).at_offset(source, at, text));
                }
            }
        }
        (links, problems)
    }

    fn resolve(&self, dest: &str, page_url: &str, lang: &str) -> Result<Target, Problem> {
        // What the link is, as a browser would read it from this page; Markdown's `/`
        // is the site's root wherever it is published, hence the frame below the root.
        let path = match url_class::classify(dest, &Frame::below_root(page_url)) {
            UrlClass::SameDocument => return Ok(Target::Fragment),
            UrlClass::Phone { number } => {
                let decoded = percent_decode(&number);
                return PhoneNumber::parse(&decoded)
                    .map(|number| Target::Phone { number })
                    .map_err(|reason| Problem::InvalidPhone {
                        field: "tel:".to_owned(),
                        value: decoded,
                        reason,
                    });
            }
            // Left as written, where a browser takes them; a scheme the content policy
            // refuses, or another host written as a path, is reported by it.
            UrlClass::OtherSite
            | UrlClass::Mail
            | UrlClass::OtherScheme { .. }
            | UrlClass::HostWrittenAsPath => return Ok(Target::External),
            UrlClass::Unreadable => {
                return Err(Problem::BrokenLink {
                    target: dest.to_owned(),
                    suggestion: None,
                });
            }
            UrlClass::ThisSite { path } => path,
        };
        let (written_path, suffix) = split_suffix(dest);
        if let Some(source) = written_path.strip_prefix("@/") {
            return self
                .resolve_source(source, lang, dest)
                .map(|url| Target::Page {
                    url: format!("{url}{suffix}"),
                });
        }
        let target = self.resolve_path(&percent_decode(&path), suffix, dest)?;
        Ok(match target {
            Target::File {
                url,
                size,
                format,
                alternative: None,
            } => Target::File {
                alternative: self.alternative_of(&url, lang),
                url,
                size,
                format,
            },
            other => other,
        })
    }

    /// The page `publications.toml` names as giving a download's content, in `lang`.
    fn alternative_of(&self, file_url: &str, lang: &str) -> Option<String> {
        let file = file_url.split(['#', '?']).next().unwrap_or(file_url);
        let file = percent_decode(file.trim_start_matches('/'));
        self.site.alternatives.get(&file)?.get(lang).cloned()
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
        if let Some(page) = self.site.page_by_source(&wanted) {
            return Ok(page.url.clone());
        }
        let absent = &self.site.absent;
        if absent.unparsed_sources.contains(&wanted) {
            return Ok(String::new());
        }
        if absent.withheld_sources.contains(&wanted) {
            return Err(Problem::LinkToDraft {
                target: dest.to_owned(),
            });
        }
        let suggestion = self.suggest(|| {
            let sources = self.site.pages.iter().map(|p| p.parsed.source.as_path());
            closest(&wanted, sources.map(|s| s.to_str().unwrap_or("")))
                .map(|s| format!("@/{}", s.replace('\\', "/")))
        });
        Err(Problem::BrokenLink {
            target: dest.to_owned(),
            suggestion,
        })
    }

    fn resolve_path(&self, path: &str, suffix: &str, dest: &str) -> Result<Target, Problem> {
        if let Some(route) = self.routes.find(path) {
            let url = format!("{}{suffix}", route.url);
            return Ok(match &route.kind {
                RouteKind::Page => Target::Page { url },
                RouteKind::File { size, format } => Target::File {
                    url,
                    size: *size,
                    format: format.clone(),
                    alternative: None,
                },
                RouteKind::Generated => Target::Generated { url },
            });
        }
        let with_slash = format!("{}/", path.trim_end_matches('/'));
        let without_index = path.strip_suffix("index.html").unwrap_or(path);
        let absent = &self.site.absent;
        for candidate in [path, without_index, with_slash.as_str()] {
            if absent.unparsed_urls.contains(candidate) {
                return Ok(Target::Page {
                    url: format!("{candidate}{suffix}"),
                });
            }
        }
        if absent.withheld_urls.contains(path) || absent.withheld_urls.contains(&with_slash) {
            return Err(Problem::LinkToDraft {
                target: dest.to_owned(),
            });
        }
        let suggestion = self.suggest(|| closest(path, self.routes.urls()).map(str::to_owned));
        Err(Problem::BrokenLink {
            target: dest.to_owned(),
            suggestion,
        })
    }

    /// A suggestion, while the build's allowance lasts.
    fn suggest(&self, find: impl FnOnce() -> Option<String>) -> Option<String> {
        let left = self
            .suggestions_left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1));
        left.ok().and_then(|_| find())
    }
}

/// Splits `/access/?q#map` into `/access/` and `?q#map`.
fn split_suffix(dest: &str) -> (&str, &str) {
    let at = dest.find(['?', '#']).unwrap_or(dest.len());
    dest.split_at(at)
}

/// File names with Japanese characters arrive percent-encoded from Markdown.
pub fn percent_decode(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_or_else(|_| path.to_owned(), |p| p.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_and_percent_encoding() {
        assert_eq!(split_suffix("/access/#map"), ("/access/", "#map"));
        assert_eq!(
            percent_decode("/files/%E7%9B%B8%E8%AB%87.pdf"),
            "/files/相談.pdf"
        );
        assert_eq!(percent_decode("/files/100%"), "/files/100%");
    }
}
