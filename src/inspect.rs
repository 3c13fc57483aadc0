//! What a download holds for a reader who cannot see it: a PDF or an Office file looked
//! inside at build time, as a screen reader and the PDF/UA machine checks (veraPDF's)
//! would look at it.
//!
//! Owns the checks of downloads' accessibility. A PDF must be tagged (`/MarkInfo`
//! `/Marked true` and a `/StructTreeRoot`), say its language (`/Lang`), have a title
//! shown as the window's title (`/Title` or XMP `dc:title`, with `/DisplayDocTitle
//! true`), hold text (a scanned page is a picture of text, which nothing reads aloud),
//! give every figure alternative text, and not be locked against assistive technology.
//! An Office file (`.docx`, `.xlsx`, `.pptx`, `.odt`, `.ods`, `.odp`) must have a title
//! and a language. Each finding is a warning at the file (`DownloadFinding`), worded
//! in `report`; a file too damaged to read is one finding, never a stop.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use lopdf::{Dictionary, Document, Object};

use crate::diagnostics::{Diagnostic, DownloadFinding, NotLookedInto, Problem};

/// Larger files are not looked inside: a reader holds the whole document in memory,
/// and the build must not need gigabytes for one download.
const LARGEST: u64 = 64 * 1024 * 1024;

/// How many structure elements are visited at most in one PDF's tag tree.
const MOST_ELEMENTS: usize = 200_000;

/// The Office formats from before 2007, whose binary files are not read, and the format
/// each is saved again as to be looked inside.
const OLD_OFFICE: [(&str, &str); 3] = [("doc", "docx"), ("xls", "xlsx"), ("ppt", "pptx")];

/// The findings of one download, as warnings at `rel`; none for a kind not looked into
/// (pictures, archives, …), and a notice for a document that was not (too large, or in
/// an old Office format), so that nobody takes silence for a pass.
pub fn inspect(path: &Path, rel: &Path) -> Vec<Diagnostic> {
    let extension = rel
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let not_looked_into =
        |reason| vec![Diagnostic::notice(Problem::DownloadNotLookedInto { reason }).in_file(rel)];
    if let Some((old, newer)) = OLD_OFFICE.iter().find(|(old, _)| *old == extension) {
        return not_looked_into(NotLookedInto::OldFormat {
            format: old.to_ascii_uppercase(),
            newer: newer.to_string(),
        });
    }
    let looked_into = matches!(
        extension.as_str(),
        "pdf" | "docx" | "xlsx" | "pptx" | "odt" | "ods" | "odp"
    );
    if !looked_into {
        return Vec::new();
    }
    if let Some(size) = std::fs::metadata(path).ok().map(|m| m.len())
        && size > LARGEST
    {
        return not_looked_into(NotLookedInto::TooLarge {
            megabytes: size.div_ceil(1024 * 1024),
        });
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return vec![
                Diagnostic::error(Problem::Unreadable {
                    detail: e.to_string(),
                })
                .in_file(rel),
            ];
        }
    };
    let findings = if extension == "pdf" {
        pdf(&bytes)
    } else {
        office(&bytes, &extension)
    };
    findings
        .into_iter()
        .map(|finding| Diagnostic::warning(Problem::InaccessibleDownload { finding }).in_file(rel))
        .collect()
}

/// A PDF's findings, in the order a person fixes them.
pub fn pdf(bytes: &[u8]) -> Vec<DownloadFinding> {
    let doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        // An encrypted file whose password is not empty cannot be opened at all, by a
        // screen reader either.
        Err(
            lopdf::Error::Decryption(_)
            | lopdf::Error::InvalidPassword
            | lopdf::Error::UnsupportedSecurityHandler(_),
        ) => return vec![DownloadFinding::PdfLocked],
        Err(_) if memchr::memmem::find(bytes, b"/Encrypt").is_some() => {
            return vec![DownloadFinding::PdfLocked];
        }
        Err(_) => return vec![DownloadFinding::PdfUnreadable],
    };
    let mut found = Vec::new();
    if locked_against_assistive_technology(&doc) {
        found.push(DownloadFinding::PdfLocked);
    }
    let Ok(catalog) = doc.catalog() else {
        // Encrypted with a password it was not opened with: its objects stay unread.
        if doc.trailer.has(b"Encrypt") {
            return vec![DownloadFinding::PdfLocked];
        }
        return vec![DownloadFinding::PdfUnreadable];
    };
    let marked = dict(&doc, catalog.get(b"MarkInfo").ok())
        .and_then(|m| m.get(b"Marked").ok())
        .is_some_and(|m| matches!(deref(&doc, m), Object::Boolean(true)));
    let tree = dict(&doc, catalog.get(b"StructTreeRoot").ok());
    if !marked || tree.is_none() {
        found.push(DownloadFinding::PdfUntagged);
    }
    let language = catalog
        .get(b"Lang")
        .ok()
        .and_then(|l| text(deref(&doc, l)))
        .is_some_and(|l| !l.trim().is_empty());
    if !language {
        found.push(DownloadFinding::PdfNoLanguage);
    }
    if !has_title(&doc, catalog) {
        found.push(DownloadFinding::PdfNoTitle);
    } else {
        let shown = dict(&doc, catalog.get(b"ViewerPreferences").ok())
            .and_then(|v| v.get(b"DisplayDocTitle").ok())
            .is_some_and(|d| matches!(deref(&doc, d), Object::Boolean(true)));
        if !shown {
            found.push(DownloadFinding::PdfTitleNotShown);
        }
    }
    if !has_text(&doc) {
        found.push(DownloadFinding::PdfNoText);
    }
    if let Some(tree) = tree {
        let missing = figures_without_alt(&doc, tree);
        if missing > 0 {
            found.push(DownloadFinding::PdfFiguresWithoutAlt { count: missing });
        }
    }
    found
}

fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    doc.dereference(object).map_or(object, |(_, o)| o)
}

fn dict<'a>(doc: &'a Document, object: Option<&'a Object>) -> Option<&'a Dictionary> {
    match deref(doc, object?) {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// A PDF text string as text: UTF-16 with its byte-order mark, or PDFDocEncoding (read
/// as Latin-1, enough to tell empty from not).
fn text(object: &Object) -> Option<String> {
    let Object::String(bytes, _) = object else {
        return None;
    };
    if let Some(utf16) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        return Some(String::from_utf16_lossy(&units));
    }
    Some(bytes.iter().map(|&b| char::from(b)).collect())
}

/// Encrypted with the permission to extract text "for accessibility" (bit 10 of `/P`)
/// taken away: a screen reader honouring it reads nothing.
fn locked_against_assistive_technology(doc: &Document) -> bool {
    let Ok(encrypt) = doc.trailer.get(b"Encrypt") else {
        return false;
    };
    let Some(encrypt) = dict(doc, Some(encrypt)) else {
        return false;
    };
    match encrypt.get(b"P").map(|p| deref(doc, p)) {
        Ok(Object::Integer(p)) => p & (1 << 9) == 0,
        _ => false,
    }
}

/// A title in the document information or in the XMP metadata's `dc:title`.
fn has_title(doc: &Document, catalog: &Dictionary) -> bool {
    let in_info = dict(doc, doc.trailer.get(b"Info").ok())
        .and_then(|info| info.get(b"Title").ok())
        .and_then(|t| text(deref(doc, t)))
        .is_some_and(|t| !t.trim().is_empty());
    if in_info {
        return true;
    }
    let Some(Object::Stream(stream)) = catalog.get(b"Metadata").ok().map(|m| deref(doc, m)) else {
        return false;
    };
    let content = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let xmp = String::from_utf8_lossy(&content);
    let Ok(xml) = roxmltree::Document::parse(&xmp) else {
        return false;
    };
    xml.descendants()
        .filter(|n| n.has_tag_name(("http://purl.org/dc/elements/1.1/", "title")))
        .any(|title| {
            title
                .descendants()
                .filter_map(|n| n.text())
                .any(|t| !t.trim().is_empty())
        })
}

/// Whether any page draws text with a font; a scanned document's pages hold only images.
fn has_text(doc: &Document) -> bool {
    doc.get_pages().values().any(|&page| {
        doc.get_page_fonts(page)
            .is_ok_and(|fonts| !fonts.is_empty())
            && content_shows_text(&doc.get_page_content(page))
    })
}

/// Whether a content stream has a text-showing operator (`Tj`, `TJ`, `'`, `"`).
fn content_shows_text(content: &[u8]) -> bool {
    lopdf::content::Content::decode(content).is_ok_and(|c| {
        c.operations
            .iter()
            .any(|op| matches!(op.operator.as_str(), "Tj" | "TJ" | "'" | "\""))
    })
}

/// How many `/Figure` elements of the tag tree have neither `/Alt` nor `/ActualText`.
fn figures_without_alt(doc: &Document, tree: &Dictionary) -> usize {
    let mut missing = 0;
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&Object> = tree.get(b"K").ok().into_iter().collect();
    while let Some(object) = stack.pop() {
        if seen.len() >= MOST_ELEMENTS {
            break;
        }
        if let Object::Reference(id) = object
            && !seen.insert(*id)
        {
            continue;
        }
        match deref(doc, object) {
            Object::Array(items) => stack.extend(items.iter()),
            Object::Dictionary(element) => {
                let figure = element
                    .get(b"S")
                    .is_ok_and(|s| matches!(deref(doc, s), Object::Name(n) if n == b"Figure"));
                let described = [b"Alt".as_slice(), b"ActualText"].iter().any(|key| {
                    element
                        .get(key)
                        .ok()
                        .and_then(|a| text(deref(doc, a)))
                        .is_some_and(|a| !a.trim().is_empty())
                });
                if figure && !described {
                    missing += 1;
                }
                if let Ok(kids) = element.get(b"K") {
                    stack.push(kids);
                }
            }
            _ => {}
        }
    }
    missing
}

/// An Office file's findings: its title and its language, from the package's metadata
/// (`docProps/core.xml`, or ODF's `meta.xml`) and, for a Word file, the language its
/// text is in by default (`word/styles.xml`).
pub fn office(bytes: &[u8], extension: &str) -> Vec<DownloadFinding> {
    let format = extension.to_ascii_uppercase();
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return vec![DownloadFinding::OfficeUnreadable { format }];
    };
    let mut read = |name: &str| -> Option<String> {
        let mut file = zip.by_name(name).ok()?;
        // A part larger than this is not metadata.
        let mut text = String::new();
        file.by_ref()
            .take(8 * 1024 * 1024)
            .read_to_string(&mut text)
            .ok()?;
        Some(text)
    };
    let odf = extension.starts_with("od");
    let metadata = read(if odf { "meta.xml" } else { "docProps/core.xml" });
    let styles = (extension == "docx")
        .then(|| read("word/styles.xml"))
        .flatten();
    let has = |xml: Option<&str>, namespace: &str, name: &str, attribute: Option<&str>| {
        xml.and_then(|x| roxmltree::Document::parse(x).ok())
            .is_some_and(|doc| {
                doc.descendants()
                    .filter(|n| n.has_tag_name((namespace, name)))
                    .any(|n| match attribute {
                        Some(a) => n
                            .attributes()
                            .any(|at| at.name() == a && !at.value().trim().is_empty()),
                        None => n.text().is_some_and(|t| !t.trim().is_empty()),
                    })
            })
    };
    const DC: &str = "http://purl.org/dc/elements/1.1/";
    const WORD: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let mut found = Vec::new();
    if !has(metadata.as_deref(), DC, "title", None) {
        found.push(DownloadFinding::OfficeNoTitle {
            format: format.clone(),
        });
    }
    let language = has(metadata.as_deref(), DC, "language", None)
        || has(styles.as_deref(), WORD, "lang", Some("val"));
    if !language {
        found.push(DownloadFinding::OfficeNoLanguage { format });
    }
    found
}
