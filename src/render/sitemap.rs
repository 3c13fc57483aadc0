//! `sitemap.xml` with language alternates, and `robots.txt` pointing at it.

use std::fmt::Write;

use crate::link::Site;
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
        let front = &page.parsed.front;
        if let Some(modified) = front.updated.or(front.date) {
            let _ = writeln!(xml, "    <lastmod>{}</lastmod>", modified.iso());
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

fn alternate(xml: &mut String, hreflang: &str, href: &str) {
    let _ = writeln!(
        xml,
        "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
        escape(hreflang),
        escape(href)
    );
}

pub fn robots(site: &Site) -> OutputFile {
    let text = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        site.config.base_url
    );
    OutputFile {
        path: "robots.txt".to_owned(),
        bytes: text.into_bytes(),
    }
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
