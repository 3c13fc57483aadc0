//! The HTML pages: one per page of the site, and one per page of the news list.

use super::context::{list_pages, page_context};
use super::markdown::{self, LinkBase, Notes};
use super::{Body, Changes, Output, RenderCx, render_bytes_once, search};
use crate::address::{output_path, paged_url};
use crate::diagnostics::{Diagnostic, Problem, RouteOwner};
use crate::site::routes::{Claim, Route, RouteKind};
use crate::site::{NEWS_SECTION, Page, PageKind, Site};
use crate::theme::Theme;

/// The theme's template for the news list, if it has one.
const NEWS_TEMPLATE: &str = "news.html";

pub struct Pages;

impl Output for Pages {
    fn claims(&self, site: &Site, _theme: &Theme, output: usize) -> Vec<Claim> {
        let mut claims = Vec::with_capacity(site.pages.len());
        for (item, page) in site.pages.iter().enumerate() {
            let source = page.parsed.source.clone();
            for part in 1..=list_pages(site, page) {
                let url = paged_url(&page.url, part);
                let owner = if part == 1 {
                    RouteOwner::Page {
                        source: source.clone(),
                    }
                } else {
                    RouteOwner::ListPage {
                        source: source.clone(),
                        page: part,
                    }
                };
                claims.push(Claim {
                    path: output_path(&url),
                    url,
                    kind: RouteKind::Page,
                    output,
                    item,
                    part,
                    owner,
                });
            }
        }
        claims
    }

    fn render(&self, route: &Route, cx: &RenderCx) -> Result<Body, Diagnostic> {
        let Some(page) = cx.page(route) else {
            return Err(Diagnostic::error(Problem::Template {
                detail: format!("no page for {}", route.path),
            }));
        };
        let html = match render_page(cx, page, route.part) {
            Ok(html) => html,
            Err(d) => {
                if route.part <= 1 {
                    cx.search.docs.forget(page);
                }
                return Err(d.in_file(&page.parsed.source));
            }
        };
        if route.part <= 1 && search::is_searchable(page) {
            cx.search.docs.record(cx.site, page, &html);
        }
        Ok(Body::Bytes(html))
    }

    fn later(&self, route: &Route, cx: &RenderCx) -> bool {
        // A page showing the keyword index is made from every other page.
        cx.page(route).is_some_and(|page| {
            template_for(page, cx.theme).is_ok_and(|t| cx.theme.needs(&t).site_search)
        })
    }

    fn affected(&self, route: &Route, changes: &Changes, cx: &RenderCx) -> bool {
        if changes.everything {
            return true;
        }
        let Some(page) = cx.page(route) else {
            return true;
        };
        let lang = page.lang();
        let is_here = |(k, l): &(String, String)| *k == page.key && l == lang;
        if changes.languages.contains(lang) || changes.texts.iter().any(is_here) {
            return true;
        }
        // Everything below depends on what other pages show of themselves; a change of
        // text alone (the usual edit) ends here, without work for each page.
        if changes.summaries.is_empty() {
            return false;
        }
        if changes.summaries.iter().any(is_here) {
            return true;
        }
        // Its breadcrumbs name the pages above it; its list, the pages inside it.
        let is_above = |k: &str| is_ancestor(k, &page.key);
        let is_inside = |k: &str| parent_of(k) == Some(page.key.as_str());
        if changes.summary_in(lang, |k| is_above(k) || is_inside(k)) {
            return true;
        }
        // The home page shows the newest announcements.
        if page.kind == PageKind::Home
            && changes.summary_in(lang, |k| parent_of(k) == Some(NEWS_SECTION))
        {
            return true;
        }
        // A later page of the news list names the same page of its translations' lists
        // (alternates, the language switcher), which exists only while their
        // announcements fill that many pages.
        if route.part > 1
            && changes
                .summaries
                .iter()
                .any(|(k, l)| l != lang && parent_of(k) == Some(page.key.as_str()))
        {
            return true;
        }
        // The language switcher and alternates name its translations.
        if changes
            .summaries
            .iter()
            .any(|(k, l)| *k == page.key && l != lang)
        {
            return true;
        }
        // The HTML site map lists every page of the language.
        let template = template_for(page, cx.theme).unwrap_or_default();
        let needs = cx.theme.needs(&template);
        if needs.site_search && search::keywords_affected(cx.site, lang, changes) {
            return true;
        }
        needs.site_map && changes.summary_in(lang, |_| true)
    }
}

/// `news/2026-04-08-x` is inside `news`; `about` is inside the home page, `""`.
fn parent_of(key: &str) -> Option<&str> {
    if key.is_empty() {
        None
    } else {
        Some(key.rsplit_once('/').map_or("", |(p, _)| p))
    }
}

/// Whether the page with key `above` is an ancestor of the page with key `key`.
fn is_ancestor(above: &str, key: &str) -> bool {
    !key.is_empty()
        && (above.is_empty() || key.strip_prefix(above).is_some_and(|r| r.starts_with('/')))
}

/// A page's HTML; for the news list, page `part` of it.
fn render_page(cx: &RenderCx, page: &Page, part: usize) -> Result<Vec<u8>, Diagnostic> {
    let template = template_for(page, cx.theme)?;
    let language = cx.language_cx(page.lang());
    let content = if part <= 1 {
        let notes = Notes::new(&language.strings, &language.locale);
        let base = LinkBase::site(cx.site.config.address.base_path());
        markdown::to_html(page, base, notes)
    } else {
        String::new()
    };
    let size_hint = content.len();
    let context = page_context(cx, page, part, content, &template);
    render_bytes_once(cx.theme, &template, context, size_hint)
}

/// The template a page is rendered with: its own `template`, or the kind's default.
pub fn template_for(page: &Page, theme: &Theme) -> Result<String, Diagnostic> {
    let front = &page.parsed.front;
    let Some(name) = &front.template else {
        return Ok(match page.kind {
            PageKind::Home => "index.html",
            PageKind::Section if page.is_news_list() && theme.has_template(NEWS_TEMPLATE) => {
                NEWS_TEMPLATE
            }
            PageKind::Section => "section.html",
            PageKind::Page => "page.html",
        }
        .to_owned());
    };
    if theme.has_template(name) {
        return Ok(name.clone());
    }
    let line = front.key_lines.get("template").copied().unwrap_or(1);
    Err(Diagnostic::error(Problem::UnknownTemplate {
        name: name.clone(),
        available: theme.template_names(),
    })
    .at(&page.parsed.source, line, 1, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_and_parents_by_key() {
        assert!(is_ancestor("", "about"));
        assert!(is_ancestor("news", "news/2026-04-08-x"));
        assert!(!is_ancestor("news", "newsletter"));
        assert!(!is_ancestor("", ""));
        assert_eq!(parent_of("news/x"), Some("news"));
        assert_eq!(parent_of("about"), Some(""));
        assert_eq!(parent_of(""), None);
    }
}
