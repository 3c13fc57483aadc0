//! `sitemap.xml` with language alternates, and `robots.txt` pointing at it.
//!
//! The sitemap follows the sitemaps.org 0.9 schema: per `<url>`, `<loc>`, then
//! `<lastmod>` if known, then the `xhtml:link` alternates Google reads for hreflang
//! (any element of another namespace must come last). `tests/schemas/` holds the
//! schemas CI validates the bundled site's sitemap against.

use std::fmt::Write;

use super::{Body, Changes, Output, RenderCx};
use crate::diagnostics::{Diagnostic, RouteOwner};
use crate::site::routes::{Claim, Route, RouteKind};
use crate::site::{Page, Site};
use crate::theme::{Theme, escape_markup as escape};

/// `sitemap.xml`: every published page, each with `xhtml:link` alternates to its
/// existing translations.
pub struct Sitemap;

impl Output for Sitemap {
    fn claims(&self, _site: &Site, _theme: &Theme, output: usize) -> Vec<Claim> {
        vec![generated("sitemap.xml", "sitemap.xml", output)]
    }

    fn render(&self, _route: &Route, cx: &RenderCx) -> Result<Body, Diagnostic> {
        Ok(Body::Bytes(sitemap(cx.site).into_bytes()))
    }

    fn affected(&self, _route: &Route, changes: &Changes, _cx: &RenderCx) -> bool {
        changes.everything || !changes.summaries.is_empty()
    }
}

/// `robots.txt` naming the sitemap, only where crawlers read it: at the root of the
/// host. One at `https://example.jp/support/robots.txt` would be ignored, and the
/// output folder's root is not the host's root there; the build then says so once.
pub struct Robots;

impl Output for Robots {
    fn claims(&self, site: &Site, _theme: &Theme, output: usize) -> Vec<Claim> {
        if site.config.address.is_host_root() {
            vec![generated("robots.txt", "robots.txt", output)]
        } else {
            Vec::new()
        }
    }

    fn render(&self, _route: &Route, cx: &RenderCx) -> Result<Body, Diagnostic> {
        let text = format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            cx.site.config.address.permalink("/sitemap.xml")
        );
        Ok(Body::Bytes(text.into_bytes()))
    }

    fn affected(&self, _route: &Route, changes: &Changes, _cx: &RenderCx) -> bool {
        changes.everything
    }
}

/// A claim on a file every site has.
pub fn generated(path: &str, what: &'static str, output: usize) -> Claim {
    Claim {
        path: path.to_owned(),
        url: format!("/{path}"),
        kind: RouteKind::Generated,
        output,
        item: 0,
        part: 0,
        owner: RouteOwner::Generated { what },
    }
}

fn sitemap(site: &Site) -> String {
    let address = &site.config.address;
    let mut xml = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" ",
        "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
    ));
    for page in &site.pages {
        let _ = writeln!(
            xml,
            "  <url>\n    <loc>{}</loc>",
            escape(&address.permalink(&page.url))
        );
        if let Some(modified) = last_modified(page) {
            let _ = writeln!(xml, "    <lastmod>{modified}</lastmod>");
        }
        let translations = site.hreflang_translations(page);
        if translations.len() > 1 {
            for t in &translations {
                alternate(&mut xml, t.lang(), &address.permalink(&t.url));
            }
            if let Some(default) = site.page(&page.key, &site.config.default_language) {
                alternate(&mut xml, "x-default", &address.permalink(&default.url));
            }
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `<lastmod>` for a page: `updated`, else `date`, as `2026-04-08` or with its time.
///
/// The schema takes only a whole date or a date and time. A month-only date (`2015-08`)
/// gives none: inventing a day would tell crawlers something the source does not say.
/// An older whole `date` is not used instead of a month-only `updated` either, since
/// the page did change after it.
fn last_modified(page: &Page) -> Option<String> {
    let front = &page.parsed.front;
    let modified = front.updated.or(front.date)?;
    (!modified.month_only).then(|| modified.iso())
}

fn alternate(xml: &mut String, hreflang: &str, href: &str) {
    let _ = writeln!(
        xml,
        "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
        escape(hreflang),
        escape(href)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(escape("a&b<c>\"'"), "a&amp;b&lt;c&gt;&quot;&#39;");
        assert_eq!(escape("相談"), "相談");
    }
}
