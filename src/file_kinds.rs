//! What kind of file a name is, as browsers and web servers will take it.
//!
//! Owns the one list of the kinds of file the site publishes, by extension. Downloads
//! under `content/files/` may be only documents, images, audio and video, archives and
//! plain data; the output verifier reads every written file with the reader its kind
//! calls for. A name is taken as servers take it: Apache acts on every extension of
//! `a.html.ja`, and Windows hosting drops a trailing dot or space (`c.html.` is
//! `c.html`), so a publishable name has exactly one extension and ends in neither.

/// How a reader will take a file the site publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An HTML page: parsed by the browser as a whole document.
    Page,
    /// An XML document the site writes (feeds, the sitemap).
    Xml,
    /// An SVG image: XML that a browser runs as a document when it is opened.
    Svg,
    /// A style sheet.
    StyleSheet,
    /// A script: only ever the generator's own (the site search's), never a file of
    /// the content or the theme.
    Script,
    /// A server's settings the generator writes at the top of the site
    /// ([`SERVER_SETTINGS`]): read by the server, never served.
    ServerSettings,
    /// Plain text the site writes (`robots.txt`) or publishes as data.
    Text,
    /// Documents, images, audio, video, archives and data: shown or saved, never run.
    Inert,
}

/// Extensions of files a browser or server shows or saves without running them: the
/// downloads staff may publish, beside SVG (checked as a document) and plain text.
const INERT_EXTENSIONS: [&str; 33] = [
    // documents
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf",
    // images
    "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", // audio and video
    "mp3", "m4a", "ogg", "oga", "opus", "wav", "mp4", "m4v", "webm", "vtt",
    // archives and data
    "zip", "csv", "json", // fonts a theme ships
    "woff", "woff2",
];

/// The names of the servers' settings `build` writes at the top of the output, from
/// the site's one policy: Apache's `.htaccess`, the `_headers` static hosts read, and an
/// nginx snippet to `include`.
pub const SERVER_SETTINGS: [&str; 3] = [".htaccess", "_headers", "yorisoi-nginx.conf"];

/// The kind of a file by its name, or `None` for a name no reader may be given: more
/// than one extension, none, a trailing dot or space, or an extension the site does not
/// publish (`.php`, `.shtml`, `.xsl`, …). A `.js` file is a [`FileKind::Script`],
/// which no download or theme file may be.
pub fn kind_of(name: &str) -> Option<FileKind> {
    if SERVER_SETTINGS.contains(&name) {
        return Some(FileKind::ServerSettings);
    }
    let file = name.rsplit('/').next().unwrap_or(name);
    if file.ends_with(['.', ' ']) {
        return None;
    }
    let (stem, extension) = file.rsplit_once('.')?;
    if stem.is_empty() || stem.contains('.') {
        return None;
    }
    let extension = extension.to_ascii_lowercase();
    match extension.as_str() {
        "html" => Some(FileKind::Page),
        "xml" => Some(FileKind::Xml),
        "svg" => Some(FileKind::Svg),
        "css" => Some(FileKind::StyleSheet),
        "js" => Some(FileKind::Script),
        "txt" => Some(FileKind::Text),
        e if INERT_EXTENSIONS.contains(&e) => Some(FileKind::Inert),
        _ => None,
    }
}

/// Whether staff may publish a file of this name under `files/`: one that a browser
/// shows or saves, never one it runs as a page of the site (HTML, XML, style sheets).
pub fn is_publishable_download(name: &str) -> bool {
    matches!(
        kind_of(name),
        Some(FileKind::Svg | FileKind::Text | FileKind::Inert)
    )
}

/// Why a file cannot be published under its name: what a message says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameFlaw {
    /// An extension not on the list (`php`, `xml`), lower-cased.
    Extension(String),
    /// No extension at all.
    NoExtension,
    /// More than one extension (`html.ja`): a server may act on any of them.
    SeveralExtensions(String),
    /// The name ends in a dot or a space, which Windows hosting drops.
    TrailingDotOrSpace,
    /// A character no link can reach the file through reliably: `\` (a `/` to
    /// browsers), `%`, `#` and `?` (they end or change a URL's path), or a control
    /// character such as a tab or a line break.
    Character(char),
}

/// The extensions a download may have, in the order a message lists them.
pub fn download_extensions() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = INERT_EXTENSIONS.to_vec();
    all.extend(["svg", "txt"]);
    all
}

/// What is wrong with the name of a file published as it is, or `None` if nothing:
/// a download under `files/` (`theme` false) or a file of the theme's `static/`
/// folder, which may also be a style sheet (`theme` true). `path` is the path below
/// the folder, with `/`; every part of it is checked for characters.
pub fn published_name_flaw(path: &str, theme: bool) -> Option<NameFlaw> {
    if let Some(c) = path
        .chars()
        .find(|c| matches!(c, '\\' | '%' | '#' | '?') || c.is_control())
    {
        return Some(NameFlaw::Character(c));
    }
    let file = path.rsplit('/').next().unwrap_or(path);
    if file.ends_with(['.', ' ']) {
        return Some(NameFlaw::TrailingDotOrSpace);
    }
    let Some((stem, extension)) = file.split_once('.') else {
        return Some(NameFlaw::NoExtension);
    };
    if stem.is_empty() {
        return Some(NameFlaw::NoExtension);
    }
    if extension.contains('.') {
        return Some(NameFlaw::SeveralExtensions(extension.to_ascii_lowercase()));
    }
    let publishable = match kind_of(path) {
        Some(FileKind::StyleSheet) => theme,
        Some(FileKind::Svg | FileKind::Text | FileKind::Inert) => true,
        _ => false,
    };
    (!publishable).then(|| NameFlaw::Extension(extension.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_taken_as_servers_take_it() {
        assert_eq!(kind_of("files/book.pdf"), Some(FileKind::Inert));
        assert_eq!(kind_of("files/Book.PDF"), Some(FileKind::Inert));
        assert_eq!(kind_of("news/index.html"), Some(FileKind::Page));
        assert_eq!(kind_of("news/feed.xml"), Some(FileKind::Xml));
        // A script is a kind of its own, which only the generator's search script is.
        assert_eq!(kind_of("_search/search.js"), Some(FileKind::Script));
        assert!(!is_publishable_download("files/x.js"));
        assert!(published_name_flaw("x.js", true).is_some());
        for refused in [
            "files/a.html.ja",
            "files/c.html.",
            "files/d.htm ",
            "files/x.php",
            "files/x.shtml",
            "files/x.xsl",
            "files/x.phtml",
            "files/x.jsp",
            "files/x.asp",
            "files/x.cgi",
            "files/x.pl",
            "files/noextension",
            "files/.pdf",
        ] {
            assert_eq!(kind_of(refused), None, "{refused}");
        }
    }

    #[test]
    fn downloads_are_never_pages_feeds_or_style_sheets() {
        assert!(is_publishable_download("files/book.pdf"));
        assert!(is_publishable_download("files/map.svg"));
        assert!(is_publishable_download("files/list.csv"));
        for refused in [
            "files/x.xml",
            "files/x.html",
            "files/x.css",
            "files/a.tar.gz",
        ] {
            assert!(!is_publishable_download(refused), "{refused}");
        }
    }

    #[test]
    fn each_refused_name_says_why() {
        use NameFlaw::*;
        for (name, flaw) in [
            ("files/x.php", Extension("php".into())),
            ("files/x.XML", Extension("xml".into())),
            ("files/x.shtml", Extension("shtml".into())),
            ("files/x.css", Extension("css".into())),
            ("files/a.html.ja", SeveralExtensions("html.ja".into())),
            ("files/a.tar.gz", SeveralExtensions("tar.gz".into())),
            ("files/c.html.", TrailingDotOrSpace),
            ("files/d.htm ", TrailingDotOrSpace),
            ("files/README", NoExtension),
            ("files/a#b.pdf", Character('#')),
            ("files/a?b.pdf", Character('?')),
            ("files/a%2e.pdf", Character('%')),
            ("files/a\\b.pdf", Character('\\')),
            ("files/a\tb.pdf", Character('\t')),
            ("files/a\nb.pdf", Character('\n')),
            ("files/a#b/c.pdf", Character('#')),
        ] {
            assert_eq!(published_name_flaw(name, false), Some(flaw), "{name:?}");
        }
        for good in [
            "files/book.pdf",
            "files/相談 案内.pdf",
            "files/map.svg",
            "files/a.txt",
        ] {
            assert_eq!(published_name_flaw(good, false), None, "{good}");
        }
        assert_eq!(published_name_flaw("css/site.css", true), None);
        assert_eq!(published_name_flaw("fonts/a.woff2", true), None);
        assert_eq!(
            published_name_flaw("x.html", true),
            Some(Extension("html".into()))
        );
        assert_eq!(
            published_name_flaw("x.js", true),
            Some(Extension("js".into()))
        );
    }
}
