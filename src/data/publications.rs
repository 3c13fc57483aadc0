//! `content/publications.toml`: the support book, leaflets and posters.
//!
//! A publication held under `content/files/` is measured: its format and size come from
//! the file, never from what someone typed. One held elsewhere gives the page that
//! offers it and the format and size that page states.

use serde::Deserialize;
use toml::Spanned;

use super::reader::FileReader;
use crate::diagnostics::Problem;
use crate::load::Asset;
use crate::localized::{Localized, LocalizedSource};

#[derive(Debug, Clone)]
pub struct Publication {
    pub title: Localized,
    pub description: Option<Localized>,
    /// Below the site root, for a file held here, percent-encoded:
    /// `/files/book.pdf`, `/files/%E7%9B%B8%E8%AB%87.pdf` (see [`Asset::href`]).
    pub href: Option<String>,
    /// For a publication not held here: the page that offers it.
    pub page_url: String,
    /// `PDF`, as people know the format.
    pub format: String,
    /// Bytes, measured for a file held here, as stated otherwise.
    pub size: Option<u64>,
    pub source: String,
    /// The file held here, below the site root as written: `files/book.pdf`.
    pub file: Option<String>,
    /// The page that gives the same information, for readers who cannot use the file.
    pub alternative: Option<Alternative>,
}

/// A page named as giving a download's content: a link as a page's Markdown writes one
/// (`/services/` or `@/services/_index.md`), checked once the site's pages are known.
#[derive(Debug, Clone)]
pub struct Alternative {
    pub dest: String,
    /// The error, at its line, if it leads to no page.
    pub if_not_a_page: crate::diagnostics::Diagnostic,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublicationEntry {
    title: Spanned<LocalizedSource>,
    description: Option<Spanned<LocalizedSource>>,
    /// A file under `content/files/`.
    file: Option<Spanned<String>>,
    page_url: Option<Spanned<String>>,
    #[serde(default)]
    format: String,
    size_kb: Option<Spanned<u64>>,
    source: Spanned<String>,
    alternative: Option<Spanned<String>>,
}

pub(super) fn read(reader: &mut FileReader, assets: &[Asset]) -> Vec<Publication> {
    let Some(document) = reader.document(&["publication"]) else {
        return Vec::new();
    };
    let mut publications = Vec::new();
    for read in reader.entries::<PublicationEntry>(&document, "publication") {
        let Some(entry) = read.value else { continue };
        reader.enter(read.entry);
        let source = reader.source(&entry.source);
        let description = entry
            .description
            .and_then(|d| reader.text("description", d));
        let (href, format, size) = match &entry.file {
            Some(file) => match measure(file.get_ref(), assets) {
                Some(found) => found,
                None => {
                    reader.error(
                        file.span(),
                        Problem::MissingFile {
                            path: file.get_ref().clone(),
                        },
                    );
                    continue;
                }
            },
            None => {
                let size = entry.size_kb.as_ref().and_then(|kb| {
                    let bytes = kb.get_ref().checked_mul(1024);
                    if bytes.is_none() {
                        reader.error(kb.span(), Problem::SizeTooLarge { kb: *kb.get_ref() });
                    }
                    bytes
                });
                (None, entry.format.clone(), size)
            }
        };
        let page_url = reader.web_address(entry.page_url);
        let alternative = entry.alternative.map(|a| Alternative {
            if_not_a_page: reader.located(
                a.span(),
                crate::diagnostics::Diagnostic::error(Problem::AlternativeNotAPage {
                    dest: a.get_ref().clone(),
                }),
            ),
            dest: a.into_inner(),
        });
        let file = entry
            .file
            .as_ref()
            .map(|f| f.get_ref().trim_start_matches('/').to_owned());
        let (Some(title), Some(source)) = (reader.text("title", entry.title), source) else {
            continue;
        };
        publications.push(Publication {
            title,
            description,
            href,
            page_url,
            format,
            size,
            source,
            file,
            alternative,
        });
    }
    publications
}

/// The link, format and size of a file under `content/files/`.
fn measure(wanted: &str, assets: &[Asset]) -> Option<(Option<String>, String, Option<u64>)> {
    let wanted = wanted.trim_start_matches('/');
    let asset = assets.iter().find(|a| a.url_path() == wanted)?;
    Some((
        Some(asset.href()),
        crate::load::file_format(wanted),
        Some(asset.size),
    ))
}
