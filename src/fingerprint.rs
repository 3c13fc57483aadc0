//! Names that change with their content: the theme's style sheets and images and the
//! search script are published as `site-<hash>.css`, so that a server may tell browsers
//! to keep them for a year (`immutable`) and a new build is still seen at once: its
//! pages name the new files.
//!
//! Owns the content hash (the first 16 hex digits of the file's SHA-256, as Hugo's
//! `fingerprint` and Django's manifest storage do, in the name rather than a query
//! string, which caches and servers' rules ignore) and the names that are never changed
//! (those browsers and other programs ask for without being told: `favicon.ico`,
//! `apple-touch-icon.png`, …).

use sha2::{Digest, Sha256};

/// Hex digits of the hash in a name: 64 bits, so two versions of one file never share a
/// name in practice.
const HASH_DIGITS: usize = 16;

/// Root files that programs fetch by their well-known names, without a link to them.
const WELL_KNOWN_NAMES: [&str; 6] = [
    "favicon.ico",
    "apple-touch-icon.png",
    "apple-touch-icon-precomposed.png",
    "browserconfig.xml",
    "humans.txt",
    "security.txt",
];

/// The hash of some bytes as it is written into a name.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(HASH_DIGITS);
    for byte in digest.iter().take(HASH_DIGITS / 2) {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// Whether a file below the site root keeps its name: one fetched by a well-known name.
pub fn keeps_its_name(path: &str) -> bool {
    !path.contains('/') && WELL_KNOWN_NAMES.contains(&path)
}

/// `css/site.css` with bytes hashing to `h` is published as `css/site-h.css`: the hash
/// goes before the extension, which keeps the file's one extension and so its kind.
pub fn hashed_name(path: &str, bytes: &[u8]) -> String {
    let hash = content_hash(bytes);
    let file_start = path.rfind('/').map_or(0, |slash| slash + 1);
    match path[file_start..].rfind('.') {
        Some(dot) if dot > 0 => {
            let dot = file_start + dot;
            format!("{}-{hash}{}", &path[..dot], &path[dot..])
        }
        _ => format!("{path}-{hash}"),
    }
}

/// Whether a name ends in a hash as [`hashed_name`] writes it: `…-<16 hex>.<ext>`.
pub fn is_hashed_name(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    stem.len() > HASH_DIGITS
        && stem.as_bytes()[stem.len() - HASH_DIGITS - 1] == b'-'
        && stem[stem.len() - HASH_DIGITS..]
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_goes_before_the_extension_and_changes_with_the_bytes() {
        let a = hashed_name("css/site.css", b"p{}");
        let b = hashed_name("css/site.css", b"p{ }");
        assert!(a.starts_with("css/site-") && a.ends_with(".css"), "{a}");
        assert_ne!(a, b);
        assert_eq!(a, hashed_name("css/site.css", b"p{}"));
        assert_eq!(a.len(), "css/site-.css".len() + HASH_DIGITS);
        assert!(is_hashed_name(&a) && is_hashed_name(&b));
        assert!(!is_hashed_name("css/site.css"));
        assert!(!is_hashed_name("css/report-2025.css"));
        let plain = hashed_name("v1.0/LICENSE", b"x");
        assert!(plain.starts_with("v1.0/LICENSE-"), "{plain}");
    }

    #[test]
    fn well_known_root_names_are_kept() {
        assert!(keeps_its_name("favicon.ico"));
        assert!(keeps_its_name("apple-touch-icon.png"));
        assert!(!keeps_its_name("img/favicon.ico"));
        assert!(!keeps_its_name("card.png"));
    }

    #[test]
    fn the_hash_is_the_start_of_the_sha256() {
        // SHA-256 of the empty string: e3b0c442 98fc1c14 …
        assert_eq!(content_hash(b""), "e3b0c44298fc1c14");
    }
}
