//! Files as office editors save them: Shift_JIS is refused with a message that says so,
//! while UTF-8 with a byte-order mark and Windows line endings is read as usual.

mod common;

use common::*;
use yorisoi::diagnostics::{Problem, SavedAs};
use yorisoi::report::MessageLanguage;

/// A page the way Notepad on older Windows saves it by default.
fn shift_jis(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(
        !unmappable,
        "the test text must be expressible in Shift_JIS"
    );
    bytes.into_owned()
}

/// UTF-8 with a BOM and CRLF line endings, as Windows editors often save it.
fn utf8_bom_crlf(text: &str) -> Vec<u8> {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    bytes
}

/// The basic site with its about.ja.md saved as Shift_JIS.
fn site_with_shift_jis_page() -> (Workspace, yorisoi::Outcome) {
    let site = Workspace::copy_of("basic");
    site.write(
        "about.ja.md",
        shift_jis("+++\ntitle = \"センターについて\"\n+++\n\nひきこもり相談の窓口です。\n"),
    );
    let outcome = site.build();
    assert!(!outcome.written);
    (site, outcome)
}

#[test]
fn a_shift_jis_page_is_an_error_that_names_the_encoding() {
    let (site, outcome) = site_with_shift_jis_page();
    let [d] = find(&outcome, |p| matches!(p, Problem::NotUtf8 { .. }))[..] else {
        panic!("expected one NotUtf8: {:#?}", outcome.diagnostics);
    };
    assert_eq!(
        d.problem,
        Problem::NotUtf8 {
            saved_as: SavedAs::ShiftJis
        }
    );
    assert_eq!(
        d.location.as_ref().unwrap().file,
        std::path::Path::new("about.ja.md")
    );
    for lang in [MessageLanguage::Japanese, MessageLanguage::English] {
        let message = site.message(d, lang);
        assert!(message.contains("about.ja.md:1:"), "{message}");
        assert!(message.contains("Shift_JIS"), "{message}");
        assert!(
            message.contains("UTF-8"),
            "the fix should be named: {message}"
        );
    }
}

/// The file is there, only unreadable: links to it are not broken and its translation
/// is not missing, so re-saving it as UTF-8 is the one thing to do.
#[test]
fn a_shift_jis_page_causes_no_further_reports() {
    let (_site, outcome) = site_with_shift_jis_page();
    // The home page links @/about.md; about.en.md is its translation.
    assert_no_follow_on_reports(&outcome, |p| matches!(p, Problem::NotUtf8 { .. }));
}

/// The file is refused as saved the way `saved_as` says, and the message does not blame
/// Shift_JIS for it.
fn assert_not_utf8_nor_shift_jis(bytes: &[u8], saved_as: SavedAs) {
    let site = Workspace::copy_of("basic");
    site.write("about.ja.md", bytes);
    let outcome = site.build();
    let [d] = find(&outcome, |p| matches!(p, Problem::NotUtf8 { .. }))[..] else {
        panic!("expected one NotUtf8: {:#?}", outcome.diagnostics);
    };
    assert_eq!(d.problem, Problem::NotUtf8 { saved_as });
    let message = site.message(d, MessageLanguage::English);
    assert!(!message.contains("Shift_JIS"), "{message}");
}

#[test]
fn a_latin1_page_is_not_called_shift_jis() {
    // "café" with é as the single byte 0xE9, which no Shift_JIS text contains here.
    assert_not_utf8_nor_shift_jis(b"+++\ntitle = \"caf\xE9\"\n+++\n", SavedAs::Unknown);
}

/// Notepad's "Unicode" choice: UTF-16 little-endian with its byte-order mark.
#[test]
fn a_utf16_page_is_not_called_shift_jis() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "+++\ntitle = \"センターについて\"\n+++\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    assert_not_utf8_nor_shift_jis(&bytes, SavedAs::Utf16);
}

#[test]
fn utf8_with_bom_and_crlf_builds_like_any_other_page() {
    let site = Workspace::copy_of("basic");
    site.write(
        "about.ja.md",
        utf8_bom_crlf(
            "+++\ntitle = \"センターについて\"\nmenu = true\n+++\n\n[相談のご案内](../services/)\n",
        ),
    );
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    assert!(!outcome.has_errors());
    let page = std::fs::read_to_string(site.output.join("about/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&page);
    // Neither the BOM nor a carriage return leaks into what visitors see.
    assert_eq!(text(one(&doc, "main h1")), "センターについて");
    assert!(!page.contains('\u{FEFF}') && !page.contains('\r'));
    let link = one(&doc, "main .prose a");
    assert_eq!(attr(link, "href"), "/support/services/");
}

#[test]
fn problems_in_a_crlf_file_are_reported_on_the_right_line() {
    let site = Workspace::copy_of("basic");
    site.write(
        "about.ja.md",
        utf8_bom_crlf("+++\ntitle = \"センターについて\"\n+++\n\n[地図](/map/)\n"),
    );
    let outcome = site.build();
    let d = only_error(&outcome);
    assert!(matches!(d.problem, Problem::BrokenLink { .. }));
    let at = d.location.as_ref().unwrap();
    assert_eq!((at.line, at.column), (5, 1));
    let message = site.message(d, MessageLanguage::English);
    assert!(message.contains("about.ja.md:5:1:"), "{message}");
    assert!(!message.contains('\r'), "{message:?}");
}
