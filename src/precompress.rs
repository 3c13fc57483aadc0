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
    /// And one inflate state, for reading each copy back.
    static INFLATE: RefCell<Option<flate2::Decompress>> = const { RefCell::new(None) };
}

/// The gzip header of every copy: deflate, no flags, no time, no extra flags, an
/// unknown system. A browser reads it as the whole header.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];

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
            Encoding::Gzip => gunzips_to(copy, original),
            Encoding::Brotli => same(brotli::Decompressor::new(copy, 4096), original),
        }
    }
}

/// gzip (RFC 1952) with no name and a zero time, so that nothing of the day it was made
/// is in it: a 10-byte header, the deflate stream, the CRC-32 and the length.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
    out.extend_from_slice(&GZIP_HEADER);
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

/// Whether a gzip copy holds exactly `original`, read as a gzip reader reads it: the
/// header (only the one `gzip` writes is taken), the deflate stream inflated a piece at
/// a time and compared as it comes, ending where the trailer starts, and the trailer's
/// CRC-32 and length those of `original`. One inflate state per thread, reset for each
/// copy: a gzip reader made for each of thousands of files cost more than inflating.
fn gunzips_to(copy: &[u8], original: &[u8]) -> bool {
    let Some(body) = copy.strip_prefix(&GZIP_HEADER) else {
        return false;
    };
    let Some(deflated_len) = body.len().checked_sub(8) else {
        return false;
    };
    let (deflated, trailer) = body.split_at(deflated_len);
    let mut crc = flate2::Crc::new();
    crc.update(original);
    let length = u32::try_from(original.len() % (1 << 32)).unwrap_or_default();
    if trailer[..4] != crc.sum().to_le_bytes() || trailer[4..] != length.to_le_bytes() {
        return false;
    }
    INFLATE.with(|cell| {
        let mut cell = cell.borrow_mut();
        let inflate = cell.get_or_insert_with(|| flate2::Decompress::new(false));
        inflate.reset(false);
        let mut chunk = [0u8; 16 * 1024];
        loop {
            let read = usize::try_from(inflate.total_in()).unwrap_or(usize::MAX);
            let written = usize::try_from(inflate.total_out()).unwrap_or(usize::MAX);
            let Some(rest) = deflated.get(read..) else {
                return false;
            };
            let status = inflate.decompress(rest, &mut chunk, flate2::FlushDecompress::None);
            let now_read = usize::try_from(inflate.total_in()).unwrap_or(usize::MAX);
            let produced = usize::try_from(inflate.total_out()).unwrap_or(usize::MAX) - written;
            if original.get(written..written + produced) != Some(&chunk[..produced]) {
                return false;
            }
            match status {
                Ok(flate2::Status::StreamEnd) => {
                    return now_read == deflated.len() && written + produced == original.len();
                }
                // A stream that stops short, or goes on past the trailer's start.
                Ok(_) if produced == 0 && now_read == read => return false,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
    })
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
        let gz = Encoding::Gzip.encode(&page);
        // A trailer that does not match what the stream holds, or is cut short.
        let mut wrong_crc = gz.clone();
        let at = wrong_crc.len() - 8;
        wrong_crc[at] ^= 1;
        assert!(!Encoding::Gzip.decodes_to(&wrong_crc, &page));
        assert!(!Encoding::Gzip.decodes_to(&gz[..gz.len() - 1], &page));
        // Bytes after the stream, before the trailer.
        let mut longer = gz[..gz.len() - 8].to_vec();
        longer.push(0);
        longer.extend_from_slice(&gz[gz.len() - 8..]);
        assert!(!Encoding::Gzip.decodes_to(&longer, &page));
        // Another header than the one `gzip` writes (here with a file name).
        let mut named = gz.clone();
        named[3] = 0x08;
        named.splice(10..10, b"index.html\0".iter().copied());
        assert!(!Encoding::Gzip.decodes_to(&named, &page));
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
