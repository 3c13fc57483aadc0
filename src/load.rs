//! Stage 1, load: walks `content/`, reads every file once and decodes it to clean text.
//!
//! Owns the raw inputs: page and data sources as UTF-8 text with BOMs stripped and line
//! endings normalised, and the list of downloadable files under `content/files/`. Nothing
//! here knows what a page means; that is the parse stage's job.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Problem, SavedAs};

/// Files under this folder of `content/` are published as they are.
pub const FILES_DIR: &str = "files";

/// A text file of the content folder, decoded.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the content folder, used in every message.
    pub rel: PathBuf,
    /// Shared, so that a parsed page keeps the text without a copy.
    pub text: Arc<str>,
}

/// A file under `content/files/`, copied verbatim to `/files/...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Path relative to the content folder (`files/book.pdf`).
    pub rel: PathBuf,
    pub abs: PathBuf,
    pub size: u64,
}

impl Asset {
    /// The URL path below the site root, with forward slashes: `files/book.pdf`.
    pub fn url_path(&self) -> String {
        slash_path(&self.rel)
    }

    /// The link to the file below the site root, each part of its path
    /// percent-encoded: `/files/%E7%9B%B8%E8%AB%87%20a.pdf` for `files/相談 a.pdf`, so
    /// that the link reaches the file whatever its name holds.
    pub fn href(&self) -> String {
        self.rel
            .components()
            .map(|c| {
                percent_encoding::utf8_percent_encode(&c.as_os_str().to_string_lossy(), PATH_PART)
                    .to_string()
            })
            .fold(String::new(), |href, part| href + "/" + &part)
    }
}

/// What a part of a link's path may not hold as it is: everything but the letters,
/// digits and `-._~` that RFC 3986 leaves unreserved.
const PATH_PART: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Everything read from the content folder.
#[derive(Debug, Default)]
pub struct Sources {
    /// `*.md` files outside `files/`.
    pub pages: Vec<SourceFile>,
    /// Page files that exist but could not be read as text; reported already, and
    /// remembered so that links to them are not reported as broken too.
    pub unreadable_pages: Vec<PathBuf>,
    /// `*.toml` files at the top of the content folder, `site.toml` among them.
    pub data: Vec<SourceFile>,
    /// Data files that exist but could not be read as text; reported already, and
    /// remembered so that they are not reported as missing too, nor the facts they hold.
    pub unreadable_data: Vec<PathBuf>,
    pub assets: Vec<Asset>,
}

/// Refuses to go on without a content folder at `content`: one message saying so, rather
/// than a "missing" message for every file the site needs.
pub fn require_content_folder(content: &Path) -> Result<(), Diagnostic> {
    if content.is_dir() {
        Ok(())
    } else {
        // Absolute, so that the message shows where the command looked.
        Err(Diagnostic::error(Problem::NoContentFolder {
            path: std::path::absolute(content).unwrap_or_else(|_| content.to_path_buf()),
        }))
    }
}

fn extension_of(rel: &Path) -> String {
    rel.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// An SVG is a document the browser runs when it is opened: what the content policy
/// refuses in it, each at its line.
pub(crate) fn svg_problems(path: &Path, rel: &Path) -> Vec<Diagnostic> {
    let text = match fs::read(path).map(|bytes| decode(&bytes)) {
        Ok(Ok(text)) => text,
        Ok(Err(problem)) => return vec![Diagnostic::error(problem).in_file(rel)],
        Err(e) => {
            return vec![
                Diagnostic::error(Problem::Unreadable {
                    detail: e.to_string(),
                })
                .in_file(rel),
            ];
        }
    };
    // Placed from offsets found in one pass: a line looked up from the file's start for
    // each finding made many findings quadratic.
    crate::content_policy::check_svg_at(&text)
        .into_iter()
        .map(|(at, refusal)| Diagnostic::error(refusal.into_problem()).at_offset(rel, at, &text))
        .collect()
}

/// What is wrong with a download's name, by the site's one list of the kinds of file
/// it publishes ([`file_kinds`](crate::file_kinds)): a kind a browser or server would
/// run, more than one extension, a trailing dot or space, or a character no link
/// reaches the file through.
fn download_name_problem(rel: &Path) -> Option<Diagnostic> {
    let below = rel.strip_prefix(FILES_DIR).unwrap_or(rel);
    let flaw = crate::file_kinds::published_name_flaw(&slash_path(below), false)?;
    Some(Diagnostic::error(Problem::UnpublishableFile { flaw, theme: false }).in_file(rel))
}

/// Reads the content folder. Unreadable files become diagnostics, not a stop.
pub fn load(content: &Path) -> (Sources, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut text_paths = Vec::new();
    // Downloads to look inside, with where to report what is found.
    let mut inspected: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut sources = Sources::default();
    let walker = WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden_or_temporary(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e.path().map(|p| relative(content, p)).unwrap_or_default();
                problems.push(
                    Diagnostic::error(Problem::Unreadable {
                        detail: e.to_string(),
                    })
                    .in_file(&rel),
                );
                continue;
            }
        };
        if entry.file_type().is_symlink() {
            // Followed, it could publish anything on the computer; so it is not, and
            // the person who made it is told why the file is missing.
            let rel = relative(content, entry.path());
            problems.push(Diagnostic::warning(Problem::SymlinkNotFollowed).in_file(&rel));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative(content, entry.path());
        let kind = kind_of(&rel);
        if kind == Kind::Asset
            && let Some(problem) = download_name_problem(&rel)
        {
            problems.push(problem);
            continue;
        }
        match kind {
            Kind::Asset if extension_of(&rel) == "svg" => {
                problems.extend(svg_problems(entry.path(), &rel));
                match entry.metadata() {
                    Ok(meta) => sources.assets.push(Asset {
                        rel,
                        abs: entry.path().to_path_buf(),
                        size: meta.len(),
                    }),
                    Err(e) => problems.push(
                        Diagnostic::error(Problem::Unreadable {
                            detail: e.to_string(),
                        })
                        .in_file(&rel),
                    ),
                }
            }
            Kind::Asset => match entry.metadata() {
                Ok(meta) => {
                    inspected.push((entry.path().to_path_buf(), rel.clone()));
                    sources.assets.push(Asset {
                        rel,
                        abs: entry.path().to_path_buf(),
                        size: meta.len(),
                    })
                }
                Err(e) => problems.push(
                    Diagnostic::error(Problem::Unreadable {
                        detail: e.to_string(),
                    })
                    .in_file(&rel),
                ),
            },
            Kind::Page | Kind::Data => text_paths.push(rel),
            Kind::Ignored => problems.push(Diagnostic::warning(Problem::IgnoredFile).in_file(&rel)),
        }
    }
    // Each PDF or Office file is looked inside for what keeps readers out, on every
    // core; the findings keep the files' order.
    let findings: Vec<Vec<Diagnostic>> = inspected
        .par_iter()
        .map(|(abs, rel)| crate::inspect::inspect(abs, rel))
        .collect();
    problems.extend(findings.into_iter().flatten());
    let read: Vec<_> = text_paths
        .into_par_iter()
        .map(|rel| (read_text(content, &rel), rel))
        .collect();
    for (result, rel) in read {
        let is_page = kind_of(&rel) == Kind::Page;
        match result {
            Ok(file) if is_page => sources.pages.push(file),
            Ok(file) => sources.data.push(file),
            Err(d) => {
                problems.push(d);
                if is_page {
                    sources.unreadable_pages.push(rel);
                } else {
                    sources.unreadable_data.push(rel);
                }
            }
        }
    }
    (sources, problems)
}

/// What a file of the content folder is to the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Kind {
    Page,
    Data,
    Asset,
    Ignored,
}

/// What a file is, from its path below the content folder.
pub fn kind_of(rel: &Path) -> Kind {
    let top_level = rel.components().count() == 1;
    let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
    if rel.starts_with(FILES_DIR) {
        Kind::Asset
    } else if ext == "md" {
        Kind::Page
    } else if ext == "toml" && top_level {
        Kind::Data
    } else {
        Kind::Ignored
    }
}

/// A page file read again after it changed.
pub enum Reread {
    Text(SourceFile),
    /// It exists but is not text the site can read; the problem says why.
    Unreadable(Diagnostic),
    /// It is a symbolic link, which is not followed; the warning says so.
    NotFollowed(Diagnostic),
    /// It no longer exists.
    Gone,
}

impl Sources {
    /// Whether the data file `rel` (`site.toml`) exists but could not be read as text.
    pub fn is_unreadable_data(&self, rel: &Path) -> bool {
        self.unreadable_data.iter().any(|p| p == rel)
    }

    /// Reads one page file again and updates the sources to match.
    pub fn reread_page(&mut self, content: &Path, rel: &Path) -> Reread {
        self.pages.retain(|f| f.rel != rel);
        self.unreadable_pages.retain(|p| p != rel);
        let hidden = rel
            .components()
            .any(|c| is_hidden_or_temporary(c.as_os_str()));
        // Looked at without following a symbolic link: followed, it would publish
        // whatever it points to, as loading the folder never does.
        let Ok(meta) = fs::symlink_metadata(content.join(rel)) else {
            return Reread::Gone;
        };
        if hidden {
            return Reread::Gone;
        }
        if meta.file_type().is_symlink() {
            return Reread::NotFollowed(
                Diagnostic::warning(Problem::SymlinkNotFollowed).in_file(rel),
            );
        }
        if !meta.is_file() {
            return Reread::Gone;
        }
        match read_text(content, rel) {
            Ok(file) => {
                self.pages.push(file.clone());
                Reread::Text(file)
            }
            Err(d) => {
                self.unreadable_pages.push(rel.to_path_buf());
                Reread::Unreadable(d)
            }
        }
    }
}

/// Editor leftovers and hidden files are never content: hidden files and lock files
/// (`.about.ja.md.swp`, `.#about.ja.md`), backups (`about.ja.md~`, `~$about.xlsx`),
/// autosaves (`#about.ja.md#`), the temporary files editors write before renaming
/// them into place (`about.ja.md.tmp`, JetBrains' `___jb_tmp___`), and the numbered
/// file Vim writes to test that a folder is writable (`4913`).
pub fn is_hidden_or_temporary(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    const ENDINGS: [&str; 7] = [
        "~",
        ".swp",
        ".swx",
        ".swo",
        ".tmp",
        "___jb_tmp___",
        "___jb_old___",
    ];
    name.starts_with(['.', '~', '#'])
        || ENDINGS.iter().any(|e| name.ends_with(e))
        || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()))
}

fn read_text(content: &Path, rel: &Path) -> Result<SourceFile, Diagnostic> {
    let bytes = fs::read(content.join(rel)).map_err(|e| {
        Diagnostic::error(Problem::Unreadable {
            detail: e.to_string(),
        })
        .in_file(rel)
    })?;
    let text = decode(&bytes).map_err(|p| Diagnostic::error(p).in_file(rel))?;
    Ok(SourceFile {
        rel: rel.to_path_buf(),
        text: text.into(),
    })
}

/// UTF-8 with or without a BOM, any line endings, becomes UTF-8 with `\n`.
/// Anything else is refused, naming how it seems to have been saved (Shift_JIS,
/// UTF-16) so that the message can say how to save it again.
pub fn decode(bytes: &[u8]) -> Result<String, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        // UTF-16 of plain ASCII without its byte-order mark is valid UTF-8, with a zero
        // byte beside every letter. A stray zero byte in real text is left to the
        // control-character check, which says where it is.
        Ok(text) if !looks_like_utf16(bytes) => Ok(normalise_newlines(text)),
        _ => Err(Problem::NotUtf8 {
            saved_as: saved_as(bytes),
        }),
    }
}

/// How bytes that are not UTF-8 seem to have been saved. UTF-16 is told first, by its
/// byte-order mark or by the zero byte beside every ASCII character: it would otherwise
/// decode cleanly as Shift_JIS and be misnamed.
fn saved_as(bytes: &[u8]) -> SavedAs {
    if looks_like_utf16(bytes) {
        return SavedAs::Utf16;
    }
    let (_, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    if had_errors {
        SavedAs::Unknown
    } else {
        SavedAs::ShiftJis
    }
}

/// A UTF-16 byte-order mark, or a zero byte beside most ASCII characters.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    // Most files hold no zero byte at all, which `contains` finds out fastest.
    let zeros = if bytes.contains(&0) {
        bytes.iter().filter(|b| **b == 0).count()
    } else {
        0
    };
    bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") || zeros * 4 > bytes.len()
}

fn normalise_newlines(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    }
}

/// The upper-case extension people know a file by: PDF, DOCX.
pub fn file_format(path: &str) -> String {
    path.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_uppercase())
        .unwrap_or_default()
}

fn relative(base: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(base).unwrap_or(path).to_path_buf()
}

/// A relative path with forward slashes whatever the platform.
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_not_content() {
        for leftover in [
            ".about.ja.md.swp",
            ".about.ja.md.swx",
            "about.ja.md~",
            "~$leaflet.docx",
            "#about.ja.md#",
            ".#about.ja.md",
            "about.ja.md.tmp",
            "about.ja.md___jb_tmp___",
            "4913",
        ] {
            assert!(is_hidden_or_temporary(leftover.as_ref()), "{leftover}");
        }
        for content in [
            "about.ja.md",
            "site.toml",
            "2026-04-08-meeting.ja.md",
            "map.pdf",
        ] {
            assert!(!is_hidden_or_temporary(content.as_ref()), "{content}");
        }
    }

    #[test]
    fn strips_bom_and_normalises_crlf() {
        let text = decode(b"\xEF\xBB\xBF+++\r\ntitle = \"x\"\r\n+++\r").unwrap();
        assert_eq!(text, "+++\ntitle = \"x\"\n+++\n");
    }

    #[test]
    fn recognises_shift_jis() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("ひきこもり相談");
        assert_eq!(
            decode(&bytes),
            Err(Problem::NotUtf8 {
                saved_as: SavedAs::ShiftJis
            })
        );
    }

    #[test]
    fn recognises_utf16_with_and_without_its_mark() {
        let units =
            |text: &str| -> Vec<u8> { text.encode_utf16().flat_map(u16::to_le_bytes).collect() };
        let mut marked = vec![0xFF, 0xFE];
        marked.extend(units("+++\ntitle = \"相談\"\n+++\n"));
        for bytes in [marked, units("+++\ntitle = \"x\"\n+++\n")] {
            assert_eq!(
                decode(&bytes),
                Err(Problem::NotUtf8 {
                    saved_as: SavedAs::Utf16
                })
            );
        }
    }

    #[test]
    fn sorts_files_by_kind() {
        assert_eq!(kind_of(Path::new("about.ja.md")), Kind::Page);
        assert_eq!(kind_of(Path::new("news/a.en.md")), Kind::Page);
        assert_eq!(kind_of(Path::new("site.toml")), Kind::Data);
        assert_eq!(kind_of(Path::new("news/x.toml")), Kind::Ignored);
        assert_eq!(kind_of(Path::new("files/book.pdf")), Kind::Asset);
        assert_eq!(kind_of(Path::new("files/readme.md")), Kind::Asset);
        assert_eq!(kind_of(Path::new("photo.jpg")), Kind::Ignored);
    }

    #[test]
    fn a_download_link_is_percent_encoded_part_by_part() {
        let asset = Asset {
            rel: PathBuf::from("files/相談 案内/a&b.pdf"),
            abs: PathBuf::new(),
            size: 0,
        };
        assert_eq!(
            asset.href(),
            "/files/%E7%9B%B8%E8%AB%87%20%E6%A1%88%E5%86%85/a%26b.pdf"
        );
    }

    #[test]
    fn formats_are_upper_case_extensions() {
        assert_eq!(file_format("/files/book.pdf"), "PDF");
        assert_eq!(file_format("files/a.b.docx"), "DOCX");
    }

    #[test]
    fn skips_editor_leftovers() {
        assert!(is_hidden_or_temporary("~$about.ja.md".as_ref()));
        assert!(is_hidden_or_temporary(".about.ja.md.swp".as_ref()));
        assert!(!is_hidden_or_temporary("about.ja.md".as_ref()));
    }
}
