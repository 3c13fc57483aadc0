//! Compressed copies beside the files a server sends as text: `index.html.gz` and
//! `index.html.br`, which nginx's `gzip_static` and the `.htaccess` rules send to a
//! browser that accepts them, instead of compressing every answer again.
//!
//! Owns which files get copies, and the two encodings with settings fixed here, so that
//! the same file gives the same bytes on every build (gzip without a file name or a
//! time, as `publish` and `rsync` copy only what changed). The copies are made from
//! bytes the verifier has read, and decoded again to be compared with them
//! (`verify::Verifier::verify_copy`), as a browser will read them.

use std::cell::RefCell;
use std::io::{Read, Write};

use crate::file_kinds::{FileKind, kind_of};

/// Smaller files are sent as they are: a copy saves less than a packet.
const SMALLEST: usize = 512;

/// gzip's level. Higher levels cost several times the build for a few per cent less
/// (measured on 10,000 pages: level 6 made the pages' copies 19% smaller than level 1
/// and took the build from 1.1 s to 3.5 s).
const GZIP_LEVEL: u32 = 1;

/// brotli's quality and largest window, for the files every reader fetches once and
/// keeps (the style sheet, the search script): the best, since there are few of them.
const BROTLI_QUALITY: u32 = 11;
const BROTLI_WINDOW: u32 = 22;

/// A compressed copy's encoding, named as in `Content-Encoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Encoding {
    Gzip,
    Brotli,
}

thread_local! {
    /// One deflate state per thread, reset for each file: a new one for each of
    /// thousands of pages cost more than compressing them.
    static DEFLATE: RefCell<Option<flate2::Compress>> = const { RefCell::new(None) };
}

impl Encoding {
    /// What the copy's name adds to the file's: `.gz`, `.br`.
    pub fn suffix(self) -> &'static str {
        match self {
            Encoding::Gzip => ".gz",
            Encoding::Brotli => ".br",
        }
    }

    /// The `Content-Encoding` a server sends with the copy.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Gzip => "gzip",
            Encoding::Brotli => "br",
        }
    }

    pub fn encode(self, bytes: &[u8]) -> Vec<u8> {
        match self {
            Encoding::Gzip => gzip(bytes),
            Encoding::Brotli => {
                let mut out = Vec::with_capacity(bytes.len() / 4 + 64);
                // A window no larger than the file: the encoder's tables grow with it.
                let window = (usize::BITS - bytes.len().leading_zeros()).clamp(10, BROTLI_WINDOW);
                let mut encoder =
                    brotli::CompressorWriter::new(&mut out, 4096, BROTLI_QUALITY, window);
                // Writing into a Vec cannot fail.
                let _ = encoder.write_all(bytes);
                let _ = encoder.flush();
                drop(encoder);
                out
            }
        }
    }

    /// Whether a browser decoding `copy` gets exactly `original`; read a piece at a
    /// time, so that no second copy of the file is made.
    pub fn decodes_to(self, copy: &[u8], original: &[u8]) -> bool {
        match self {
            Encoding::Gzip => same(flate2::read::GzDecoder::new(copy), original),
            Encoding::Brotli => same(brotli::Decompressor::new(copy, 4096), original),
        }
    }
}

/// gzip (RFC 1952) with no name and a zero time, so that nothing of the day it was made
/// is in it: a 10-byte header, the deflate stream, the CRC-32 and the length.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
    out.extend_from_slice(&HEADER);
    DEFLATE.with(|cell| {
        let mut cell = cell.borrow_mut();
        let deflate = cell.get_or_insert_with(|| {
            flate2::Compress::new(flate2::Compression::new(GZIP_LEVEL), false)
        });
        deflate.reset();
        loop {
            let read = deflate.total_in() as usize;
            out.reserve(bytes.len() / 4 + 1024);
            match deflate.compress_vec(&bytes[read..], &mut out, flate2::FlushCompress::Finish) {
                Ok(flate2::Status::StreamEnd) => break,
                Ok(_) => {}
                // Deflate over memory has no failure but a bug; the copy is then refused
                // by the verifier, as it does not decode to the file.
                Err(_) => break,
            }
        }
    });
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out
}

/// Whether `reader` gives exactly `expected`, and then ends.
fn same(mut reader: impl Read, expected: &[u8]) -> bool {
    let mut chunk = [0u8; 16 * 1024];
    let mut at = 0;
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => return at == expected.len(),
            Ok(n) => {
                if expected.get(at..at + n) != Some(&chunk[..n]) {
                    return false;
                }
                at += n;
            }
            Err(_) => return false,
        }
    }
}

/// The copies a file gets: gzip for every text a browser reads (pages, feeds, style
/// sheets, the script, SVG, the search's JSON) large enough to be worth one; brotli too
/// for files named by their content (`fingerprint`), which every reader fetches and
/// keeps. Downloads such as PDF and images are compressed already; the servers'
/// settings are never sent.
pub fn copies_for(path: &str, len: usize) -> &'static [Encoding] {
    if len < SMALLEST {
        return &[];
    }
    let text = match kind_of(path) {
        Some(
            FileKind::Page
            | FileKind::Xml
            | FileKind::Svg
            | FileKind::StyleSheet
            | FileKind::Script
            | FileKind::Text,
        ) => true,
        Some(FileKind::Inert) => path.ends_with(".json") || path.ends_with(".csv"),
        Some(FileKind::ServerSettings) | None => false,
    };
    match (text, crate::fingerprint::is_hashed_name(path)) {
        (false, _) => &[],
        (true, false) => &[Encoding::Gzip],
        (true, true) => &[Encoding::Gzip, Encoding::Brotli],
    }
}

/// The file a copy is of (`a/index.html` for `a/index.html.gz`) and its encoding.
pub fn copy_of(path: &str) -> Option<(&str, Encoding)> {
    [Encoding::Gzip, Encoding::Brotli]
        .into_iter()
        .find_map(|encoding| {
            path.strip_suffix(encoding.suffix())
                .filter(|original| kind_of(original).is_some())
                .map(|original| (original, encoding))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Vec<u8> {
        "<!DOCTYPE html><p>ひきこもり地域支援センター</p>\n"
            .repeat(40)
            .into_bytes()
    }

    #[test]
    fn copies_read_back_to_the_file_and_are_the_same_every_time() {
        let page = page();
        for encoding in [Encoding::Gzip, Encoding::Brotli] {
            let copy = encoding.encode(&page);
            assert!(copy.len() < page.len() / 4, "{encoding:?}: {}", copy.len());
            assert!(encoding.decodes_to(&copy, &page));
            assert!(!encoding.decodes_to(&copy, &page[1..]));
            assert!(!encoding.decodes_to(&copy, &[&page[..], b"x"].concat()));
            assert_eq!(
                copy,
                encoding.encode(&page),
                "{encoding:?} is not repeatable"
            );
        }
        // A state reused for the next file starts afresh.
        let other = b"<p>other</p>".repeat(100);
        assert!(Encoding::Gzip.decodes_to(&Encoding::Gzip.encode(&other), &other));
        assert!(Encoding::Gzip.decodes_to(&Encoding::Gzip.encode(&[]), &[]));
        // gzip's header: no name, no time, so nothing of the build day is in it.
        let gz = Encoding::Gzip.encode(&page);
        assert_eq!(&gz[3..8], &[0, 0, 0, 0, 0]);
    }

    #[test]
    fn what_is_not_a_copy_is_not_read_as_one() {
        assert!(!Encoding::Gzip.decodes_to(b"not gzip", b"not gzip"));
        let page = page();
        assert!(!Encoding::Brotli.decodes_to(&Encoding::Gzip.encode(&page), &page));
    }

    #[test]
    fn only_text_a_browser_reads_gets_copies() {
        use Encoding::{Brotli, Gzip};
        assert_eq!(copies_for("index.html", 4096), [Gzip]);
        assert_eq!(copies_for("_search/ja/t/1.json", 4096), [Gzip]);
        assert_eq!(
            copies_for("css/site-0123456789abcdef.css", 4096),
            [Gzip, Brotli]
        );
        assert_eq!(copies_for("index.html", 100), []);
        assert_eq!(copies_for("files/book.pdf", 1 << 20), []);
        assert_eq!(copies_for(".htaccess", 4096), []);
        assert_eq!(copies_for("card-0123456789abcdef.png", 1 << 20), []);
        assert_eq!(
            copy_of("en/index.html.br"),
            Some(("en/index.html", Encoding::Brotli))
        );
        assert_eq!(copy_of("a.tar.gz"), None);
        assert_eq!(copy_of("index.html"), None);
    }
}
