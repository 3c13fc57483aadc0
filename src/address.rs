//! Where the site is published, and how a path below its root becomes a link.
//!
//! Owns the one way of joining the base URL with a path, so that every link the site
//! writes carries the base path (`/centre/` when the site lives below a sub-path) and
//! every absolute address (canonical links, feeds, the sitemap) is the published one.
//! Paths below the root are written `/en/about/`, with a leading and, for pages, a
//! trailing slash; they never contain the base path.

use url::Url;

/// The published address of the site, parsed once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteAddress {
    /// `https://example.jp/centre/`, always with one trailing slash.
    base_url: String,
    /// `/centre/` or `/`.
    base_path: String,
}

/// Why a written base URL cannot be the site's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseUrlFlaw {
    /// Not a URL at all, or not written `http://…` / `https://…` (`https:/x`, which a
    /// browser would read as `https://x/`).
    NotAUrl,
    /// A scheme other than `http` or `https` (`javascript:`, `ftp:`).
    Scheme,
    /// A name and password before the host (`https://user:pw@…`).
    Credentials,
    /// A `?query` or `#fragment`, which no page address can carry after it.
    QueryOrFragment,
    /// A backslash, which browsers read as `/`.
    Backslash,
    /// An empty segment in the path (`//`): every root-relative link would then start
    /// with `//` and lead to another host.
    EmptySegment,
}

impl SiteAddress {
    /// An `http` or `https` URL with a host, parsed by the browser's rules (WHATWG);
    /// the path gets exactly one trailing slash. Refused: another scheme, a name and
    /// password, a query or fragment, a backslash or an empty path segment anywhere
    /// (`https://a.jp//b.example` would make every root-relative link lead to
    /// `b.example`), and anything a browser would only read by repairing it
    /// (`https:/x`).
    pub fn parse(text: &str) -> Result<SiteAddress, BaseUrlFlaw> {
        let text = text.trim();
        // Checked on the text as written, since the parser turns `\` into `/` and
        // drops tabs and newlines.
        if text.contains('\\') {
            return Err(BaseUrlFlaw::Backslash);
        }
        let url = Url::parse(text).map_err(|_| BaseUrlFlaw::NotAUrl)?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(BaseUrlFlaw::Scheme);
        }
        let written_as_parsed = text
            .get(..url.scheme().len() + 3)
            .is_some_and(|start| start.eq_ignore_ascii_case(&format!("{}://", url.scheme())));
        if !written_as_parsed
            || text.chars().any(|c| c.is_control() || c == ' ')
            || url.host_str().is_none_or(str::is_empty)
        {
            return Err(BaseUrlFlaw::NotAUrl);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(BaseUrlFlaw::Credentials);
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(BaseUrlFlaw::QueryOrFragment);
        }
        let path = url.path().trim_end_matches('/');
        if path.split('/').skip(1).any(str::is_empty) || url.path().ends_with("//") {
            return Err(BaseUrlFlaw::EmptySegment);
        }
        let base_path = format!("{path}/");
        let mut base = url.clone();
        base.set_path(&base_path);
        Ok(SiteAddress {
            base_url: base.to_string(),
            base_path,
        })
    }

    /// The same site shown from another origin (`http://127.0.0.1:1111`), keeping its
    /// path, so that a preview below `/centre/` links the way the published site does.
    pub fn served_from(&self, origin: &str) -> Option<SiteAddress> {
        SiteAddress::parse(&format!(
            "{}{}",
            origin.trim_end_matches('/'),
            self.base_path
        ))
        .ok()
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// A root-relative link for the site's own pages: `/about/` → `/centre/about/`.
    pub fn href(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }

    /// The full address: `/about/` → `https://example.jp/centre/about/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// Whether the site is published at the root of its host, where crawlers look for
    /// `robots.txt`.
    pub fn is_host_root(&self) -> bool {
        self.base_path == "/"
    }

    /// `https://example.jp`, the host part of the address.
    pub fn host_root(&self) -> &str {
        self.base_url
            .strip_suffix(&self.base_path)
            .unwrap_or(&self.base_url)
    }
}

/// The file a page URL is written to: `/en/about/` → `en/about/index.html`.
pub fn output_path(path: &str) -> String {
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    }
}

/// `/news/` for page 1 of a list, `/news/page/2/` after it.
pub fn paged_url(url: &str, n: usize) -> String {
    if n <= 1 {
        url.to_owned()
    } else {
        format!("{url}page/{n}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_gets_one_trailing_slash_and_its_path() {
        let a = SiteAddress::parse("https://example.jp/sub").unwrap();
        assert_eq!(a.base_url(), "https://example.jp/sub/");
        assert_eq!(a.base_path(), "/sub/");
        assert_eq!(a.href("/about/"), "/sub/about/");
        assert_eq!(a.permalink("/en/"), "https://example.jp/sub/en/");
        assert!(!a.is_host_root());
        assert_eq!(a.host_root(), "https://example.jp");
        let root = SiteAddress::parse("http://127.0.0.1:1111").unwrap();
        assert_eq!(root.base_url(), "http://127.0.0.1:1111/");
        assert!(root.is_host_root());
    }

    #[test]
    fn a_preview_keeps_the_path_and_takes_its_own_origin() {
        let a = SiteAddress::parse("https://example.org/centre/").unwrap();
        let served = a.served_from("http://127.0.0.1:1111").unwrap();
        assert_eq!(served.base_url(), "http://127.0.0.1:1111/centre/");
        assert_eq!(served.base_path(), "/centre/");
        let root = SiteAddress::parse("https://example.org").unwrap();
        assert_eq!(
            root.served_from("http://127.0.0.1:1111/")
                .unwrap()
                .base_url(),
            "http://127.0.0.1:1111/"
        );
    }

    #[test]
    fn only_web_addresses_with_a_host_are_accepted() {
        for bad in [
            "ftp://x/",
            "https://",
            "example.jp",
            "https://example.jp/?q=1",
            "https://example.jp/#top",
            "https://user:pw@example.jp/",
            "javascript:alert(1)",
        ] {
            assert!(SiteAddress::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_address_that_would_send_links_to_another_host_is_refused() {
        use BaseUrlFlaw::*;
        for (bad, flaw) in [
            (
                "https://hikikomori.example.jp//tracker.example",
                EmptySegment,
            ),
            ("https://hikikomori.example.jp/a//b/", EmptySegment),
            ("https://hikikomori.example.jp/centre//", EmptySegment),
            ("https://hikikomori.example.jp/\\tracker.example", Backslash),
            ("https:\\\\tracker.example/", Backslash),
            ("https:/x", NotAUrl),
            ("https:x.example", NotAUrl),
            ("https://a.jp/\tb", NotAUrl),
            ("javascript:alert(1)", Scheme),
            ("https://user:pw@example.jp/", Credentials),
            ("https://user@example.jp/", Credentials),
            ("https://example.jp/?q=1", QueryOrFragment),
            ("https://example.jp/#top", QueryOrFragment),
        ] {
            assert_eq!(SiteAddress::parse(bad), Err(flaw), "{bad}");
        }
        for good in [
            "https://hikikomori.example.jp/",
            "HTTPS://hikikomori.example.jp/centre/",
            "http://127.0.0.1:1111",
            "https://example.jp/a/b",
        ] {
            assert!(SiteAddress::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn pages_are_written_as_index_files() {
        assert_eq!(output_path("/en/about/"), "en/about/index.html");
        assert_eq!(output_path("/"), "index.html");
        assert_eq!(output_path("/news/feed.xml"), "news/feed.xml");
        assert_eq!(paged_url("/news/", 1), "/news/");
        assert_eq!(paged_url("/en/news/", 3), "/en/news/page/3/");
    }
}
