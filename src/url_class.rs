//! What a URL is, read as a browser reads it.
//!
//! Owns the one answer to "where does this URL go?" for every part of the build that
//! decides it: the content policy (which schemes a link may use, what may be fetched),
//! link resolution (which Markdown links are pages of the site), and the Markdown
//! transforms (which links get the "external site" note). Each used to answer on its own,
//! with patterns that a browser does not follow: `[窓口](/\evil.example/)` was resolved
//! by one as the home page while a browser goes to `evil.example`.
//!
//! A URL is read with the `url` crate, which implements the WHATWG URL Standard that
//! browsers follow: spaces and C0 controls around it are dropped, tabs and line breaks
//! inside it are dropped (`java\tscript:` is `javascript:`), a backslash is a slash in
//! an `http(s)` URL (`/\host`, `\\host` and `//host` all name a host), and `https:x`
//! with no slashes is a path on a page served over `https` but the host `x` on one
//! served over `http`. A relative reference is joined with the page's own URL
//! ([`Url::join`]) and the result's origin compared with the site's.
//!
//! It lives in the core layer, beside nothing it depends on, because both the input
//! layer (`content_policy`, `lint`, `data`) and the site model (`site::links`) and the
//! outputs (`render::markdown`) ask it; the policy of which kinds are allowed stays with
//! `content_policy`, which is about what content may do, not what a URL is.
//! HTML character references (`&#106;avascript:`) are not URLs' business: they are
//! decoded by the HTML reader before a URL reaches this module.

use url::Url;

/// What a URL written on a page is, once a browser has read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlClass {
    /// A place on the same page: `#hours`, or nothing at all.
    SameDocument,
    /// A path on this site: `path` is where the browser goes, below the site's root and
    /// starting with `/`, as the `url` crate writes it (percent-encoded, `.` and `..`
    /// folded away); the query and fragment are left out.
    ThisSite { path: String },
    /// Another web site: `http:` or `https:` with a host, read the same way whichever
    /// page it is written on.
    OtherSite,
    /// A `mailto:` address.
    Mail,
    /// A `tel:` number, as written after `tel:`.
    Phone { number: String },
    /// A URL that looks like a path but that a browser reads as naming another host
    /// (`//host`, `/\host`, `\\host`, `///host`), or an `http(s):` URL without `//`
    /// (`https:host`) whose meaning depends on how the page itself was fetched.
    HostWrittenAsPath,
    /// Any other scheme (`javascript`, `data`, `file`, `vbscript`, `blob`, …), lower-cased.
    OtherScheme { scheme: String },
    /// A URL a browser cannot read at all (`https://exa mple.jp/`, `https:///`):
    /// following it goes nowhere.
    Unreadable,
}

/// Where a URL is written: the page it is on and the root of the site that page is in.
#[derive(Debug, Clone)]
pub struct Frame {
    page: Url,
    /// The site's root; `None` for the stand-in frame, where only relative references
    /// can be this site (see [`Frame::below_root`]).
    root: Option<Url>,
}

/// The stand-in origin for [`Frame::below_root`]: what matters is that its root is the
/// host's root and that it is `https`, as the published site is.
const STAND_IN_ROOT: &str = "https://site.invalid/";

impl Frame {
    /// A page at `page_path` (`/en/news/`, below the site's root) in a site whose root is
    /// the root of its host. This is how Markdown is written: `/access/` there means the
    /// site's own `access` page wherever the site is published (the build adds the base
    /// path), so a stand-in origin takes the place of the real one. An absolute URL is
    /// never this site in this frame, even one naming the site's own host: it is left as
    /// written, as the author wrote it.
    pub fn below_root(page_path: &str) -> Frame {
        let root = stand_in_root();
        let page = root.join(page_path).unwrap_or(root);
        Frame { page, root: None }
    }

    /// [`Frame::below_root`] of the site's first page, `/`, where an address means the
    /// same as on any page (content checks read links there): made once.
    pub fn at_root() -> &'static Frame {
        static AT_ROOT: std::sync::LazyLock<Frame> =
            std::sync::LazyLock::new(|| Frame::below_root("/"));
        &AT_ROOT
    }

    /// A page at `page_path` below the site's real root `root` (the `base_url`, such as
    /// `https://example.jp/support/`), as the published page is read by a browser.
    pub fn published(root: &Url, page_path: &str) -> Frame {
        let page = root
            .join(page_path.trim_start_matches('/'))
            .unwrap_or_else(|_| root.clone());
        Frame {
            page,
            root: Some(root.clone()),
        }
    }

    /// The root of the site, for comparison: the real one, or the stand-in.
    fn root(&self) -> Url {
        self.root.clone().unwrap_or_else(stand_in_root)
    }
}

fn stand_in_root() -> Url {
    static ROOT: std::sync::LazyLock<Url> =
        std::sync::LazyLock::new(|| Url::parse(STAND_IN_ROOT).expect("a literal URL parses"));
    ROOT.clone()
}

/// Classifies `written`, a URL as it appears on a page in `frame`.
pub fn classify(written: &str, frame: &Frame) -> UrlClass {
    let cleaned = browser_cleaned(written);
    if cleaned.is_empty() || cleaned.starts_with('#') {
        return UrlClass::SameDocument;
    }
    match scheme_of(&cleaned) {
        Some(scheme) => classify_absolute(&cleaned, &scheme.to_ascii_lowercase(), frame),
        None => classify_relative(&cleaned, frame),
    }
}

/// What a browser does before reading a URL: C0 controls and spaces around it go, tabs
/// and line breaks inside it go.
pub fn browser_cleaned(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// The scheme of a cleaned URL (`javascript` of `javascript:x`), if it has one: an ASCII
/// letter, then letters, digits, `+`, `-` or `.`, then `:`, as the URL Standard's scheme
/// state reads it.
fn scheme_of(url: &str) -> Option<&str> {
    let end = url.find(':')?;
    let scheme = &url[..end];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

fn classify_absolute(cleaned: &str, scheme: &str, frame: &Frame) -> UrlClass {
    match scheme {
        "http" | "https" => {
            // Read on its own, and joined with a page fetched over each scheme: an
            // `https:x` is a path on an https page and the host `x` on an http one, so
            // only a URL that means the same thing everywhere counts as an address.
            let alone = Url::parse(cleaned).ok();
            let on_https = Url::parse("https://site.invalid/page/").and_then(|p| p.join(cleaned));
            let on_http = Url::parse("http://site.invalid/page/").and_then(|p| p.join(cleaned));
            let Some(alone) = alone else {
                return UrlClass::Unreadable;
            };
            match (on_https, on_http) {
                (Ok(a), Ok(b)) if alone == a && alone == b && alone.host().is_some() => {
                    match frame.root.as_ref().and_then(|root| below(root, &alone)) {
                        Some(path) => UrlClass::ThisSite { path },
                        None => UrlClass::OtherSite,
                    }
                }
                _ => UrlClass::HostWrittenAsPath,
            }
        }
        "mailto" => UrlClass::Mail,
        "tel" => UrlClass::Phone {
            number: cleaned[scheme.len() + 1..].to_owned(),
        },
        _ => UrlClass::OtherScheme {
            scheme: scheme.to_owned(),
        },
    }
}

fn classify_relative(cleaned: &str, frame: &Frame) -> UrlClass {
    // In an `http(s)` URL a backslash is a slash, and two of them start a host: the
    // URL Standard's relative slash state. Said here, not only found by the join, so
    // that a host is refused even when it is the site's own (or the stand-in's).
    if cleaned.starts_with(['/', '\\']) && cleaned[1..].starts_with(['/', '\\']) {
        return UrlClass::HostWrittenAsPath;
    }
    let Some(resolved) = resolve(cleaned, &frame.page) else {
        // Not a path to a browser either: it follows nothing.
        return UrlClass::Unreadable;
    };
    if !same_origin(&resolved, &frame.page) {
        return UrlClass::HostWrittenAsPath;
    }
    match below(&frame.root(), &resolved) {
        Some(path) => UrlClass::ThisSite { path },
        // `../../` above a site published below a path: the same host, another site.
        None => UrlClass::OtherSite,
    }
}

/// Where `written` leads from a file published at `base`, as a browser reads it: by the
/// URL Standard's parser, which drops spaces and C0 controls around it and tabs and line
/// breaks inside it, joined with `base`. `None`: no browser can read it. The output
/// verifier reads every URL of a written file this way.
pub fn resolve(written: &str, base: &Url) -> Option<Url> {
    base.join(written).ok()
}

/// Whether two URLs have one origin (scheme, host and port, a default port counted as
/// given): the unit of a browser's same-origin rules and of `'self'` in a
/// Content-Security-Policy.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.origin() == b.origin()
}

/// `url`'s path below `root` (starting with `/`), when `url` is on the same origin and
/// within `root`'s path.
fn below(root: &Url, url: &Url) -> Option<String> {
    if !same_origin(url, root) {
        return None;
    }
    let rest = url.path().strip_prefix(root.path())?;
    Some(format!("/{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(written: &str) -> UrlClass {
        classify(written, &Frame::below_root("/news/"))
    }

    fn this_site(path: &str) -> UrlClass {
        UrlClass::ThisSite {
            path: path.to_owned(),
        }
    }

    #[test]
    fn a_backslash_after_a_slash_names_another_host() {
        // What a browser does with them: https://evil.example/.
        for written in [
            "/\\evil.example/",
            "\\\\evil.example",
            "\\/evil.example",
            "//evil.example",
            "///evil.example",
            "\t//evil.example",
            " //evil.example",
            "\u{1}//evil.example",
            "/\t/evil.example",
            "/\n\\evil.example/",
            // Even the stand-in's own host: a host is never a path.
            "//site.invalid/access/",
        ] {
            assert_eq!(class(written), UrlClass::HostWrittenAsPath, "{written:?}");
        }
    }

    #[test]
    fn https_without_slashes_depends_on_the_page_and_is_no_address() {
        // On an https page `https:evil.example` is a path; on an http page, a host.
        for written in [
            "https:evil.example",
            "http:evil.example",
            "https:/evil.example",
            "HTTPS:evil.example",
        ] {
            assert_eq!(class(written), UrlClass::HostWrittenAsPath, "{written:?}");
        }
        for written in ["https:///", "https://exa mple.jp/", "http://[::1/"] {
            assert_eq!(class(written), UrlClass::Unreadable, "{written:?}");
        }
        let https_page = Url::parse("https://site.invalid/news/").unwrap();
        let http_page = Url::parse("http://site.invalid/news/").unwrap();
        assert_eq!(
            https_page.join("https:evil.example").unwrap().as_str(),
            "https://site.invalid/news/evil.example"
        );
        assert_eq!(
            http_page.join("https:evil.example").unwrap().as_str(),
            "https://evil.example/"
        );
    }

    #[test]
    fn other_sites_are_http_or_https_with_a_host() {
        for written in [
            "https://www.pref.miyagi.jp/",
            "HTTPS://X",
            "http://example.jp/a?b#c",
            " https://example.jp/ ",
            // Backslashes after the scheme are slashes, whatever the page.
            "https:\\\\example.jp/",
            "https:///example.jp/",
        ] {
            assert_eq!(class(written), UrlClass::OtherSite, "{written:?}");
        }
    }

    #[test]
    fn schemes_are_read_after_tabs_and_line_breaks_go() {
        for (written, scheme) in [
            ("javascript:alert(1)", "javascript"),
            ("java\tscript:alert(1)", "javascript"),
            ("JAVA\nSCRIPT:alert(1)", "javascript"),
            ("\u{0}javascript:alert(1)", "javascript"),
            ("data:text/html,x", "data"),
            ("file:///etc/passwd", "file"),
            ("vbscript:x", "vbscript"),
            ("blob:https://example.jp/x", "blob"),
            ("c:\\x", "c"),
        ] {
            assert_eq!(
                class(written),
                UrlClass::OtherScheme {
                    scheme: scheme.to_owned()
                },
                "{written:?}"
            );
        }
        // A character reference is the HTML reader's to decode: as a URL, a path.
        assert_eq!(class("&#106;avascript:alert(1)"), this_site("/news/&"));
    }

    #[test]
    fn mail_phone_and_places_on_the_page() {
        assert_eq!(class("mailto:a@example.jp"), UrlClass::Mail);
        assert_eq!(class("MailTo:a@example.jp"), UrlClass::Mail);
        assert_eq!(
            class("TEL:0229-23-0024"),
            UrlClass::Phone {
                number: "0229-23-0024".to_owned()
            }
        );
        assert_eq!(class("#hours"), UrlClass::SameDocument);
        assert_eq!(class(""), UrlClass::SameDocument);
        assert_eq!(class(" #hours"), UrlClass::SameDocument);
    }

    #[test]
    fn relative_paths_resolve_against_the_page_folder() {
        assert_eq!(class("../access/"), this_site("/access/"));
        assert_eq!(class("meeting/"), this_site("/news/meeting/"));
        assert_eq!(class("/access?x#y"), this_site("/access"));
        assert_eq!(class("?page=2"), this_site("/news/"));
        assert_eq!(class("../../.."), this_site("/"));
        assert_eq!(class("/%2e%2e/%2E/access/"), this_site("/access/"));
        assert_eq!(class("files\\a.pdf"), this_site("/news/files/a.pdf"));
        assert_eq!(class("@/access.ja.md"), this_site("/news/@/access.ja.md"));
        assert_eq!(
            classify("../access/", &Frame::below_root("/en/news/")),
            this_site("/en/access/")
        );
        assert_eq!(
            class("/files/相談.pdf"),
            this_site("/files/%E7%9B%B8%E8%AB%87.pdf")
        );
    }

    #[test]
    fn a_published_page_compares_with_the_sites_own_origin_and_path() {
        let root = Url::parse("https://example.jp/support/").unwrap();
        let frame = Frame::published(&root, "/news/");
        assert_eq!(classify("../access/", &frame), this_site("/access/"));
        assert_eq!(
            classify("https://example.jp/support/access/", &frame),
            this_site("/access/")
        );
        assert_eq!(
            classify("//example.jp/support/", &frame),
            UrlClass::HostWrittenAsPath
        );
        // The same host outside the site's path, another origin, another host.
        assert_eq!(classify("/other/", &frame), UrlClass::OtherSite);
        assert_eq!(classify("../../../", &frame), UrlClass::OtherSite);
        assert_eq!(
            classify("http://example.jp/support/", &frame),
            UrlClass::OtherSite
        );
        assert_eq!(
            classify("/\\evil.example/", &frame),
            UrlClass::HostWrittenAsPath
        );
    }
}
