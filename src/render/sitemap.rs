//! `sitemap.xml` with language alternates, and `robots.txt` pointing at it.
//!
//! The sitemap follows the sitemaps.org 0.9 schema: per `<url>`, `<loc>`, then
//! `<lastmod>` if known, then the `xhtml:link` alternates Google reads for hreflang
//! (any element of another namespace must come last). `tests/schemas/` holds the
//! schemas CI validates the bundled site's sitemap against.

use std::fmt::Write;

use crate::config::SiteConfig;
use crate::link::{Page, Site};
use crate::theme::escape_markup as escape;

use super::OutputFile;

/// Every published page, each with `xhtml:link` alternates to its existing translations.
pub fn sitemap(site: &Site) -> OutputFile {
    let base = &site.config.base_url;
    let permalink = |url: &str| format!("{base}{}", url.trim_start_matches('/'));
    let mut xml = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" ",
        "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
    ));
    for page in &site.pages {
        let _ = writeln!(
            xml,
            "  <url>\n    <loc>{}</loc>",
            escape(&permalink(&page.url))
        );
        if let Some(modified) = last_modified(page) {
            let _ = writeln!(xml, "    <lastmod>{modified}</lastmod>");
        }
        let translations = site.translations(page);
        if translations.len() > 1 {
            for t in &translations {
                alternate(&mut xml, t.lang(), &permalink(&t.url));
            }
            if let Some(default) = site.page(&page.key, &site.config.default_language) {
                alternate(&mut xml, "x-default", &permalink(&default.url));
            }
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".to_owned(),
        bytes: xml.into_bytes(),
    }
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

/// `robots.txt` naming the sitemap; `None` for a site below a path, where crawlers
/// would never read it (see [`writes_robots_txt`]).
pub fn robots(site: &Site) -> Option<OutputFile> {
    if !writes_robots_txt(&site.config) {
        return None;
    }
    let text = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        site.config.base_url
    );
    Some(OutputFile {
        path: "robots.txt".to_owned(),
        bytes: text.into_bytes(),
    })
}

/// Whether the site gets a `robots.txt`: only at the root of its host. Crawlers read
/// `/robots.txt` and nothing below it, so one at `https://example.jp/support/robots.txt`
/// would be ignored, and the output folder's root is not the host's root there.
pub fn writes_robots_txt(config: &SiteConfig) -> bool {
    config.base_path() == "/"
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
