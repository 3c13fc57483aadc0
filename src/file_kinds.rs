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

/// The kind of a file by its name, or `None` for a name no reader may be given: more
/// than one extension, none, a trailing dot or space, or an extension the site does not
/// publish (`.php`, `.shtml`, `.xsl`, `.js`, …).
pub fn kind_of(name: &str) -> Option<FileKind> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_taken_as_servers_take_it() {
        assert_eq!(kind_of("files/book.pdf"), Some(FileKind::Inert));
        assert_eq!(kind_of("files/Book.PDF"), Some(FileKind::Inert));
        assert_eq!(kind_of("news/index.html"), Some(FileKind::Page));
        assert_eq!(kind_of("news/feed.xml"), Some(FileKind::Xml));
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
            "files/x.js",
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
}
