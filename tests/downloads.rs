//! Downloads looked inside (`inspect`): PDFs and Office files made here, good and bad in
//! each way a reader can be kept out, get exactly the findings they should, at the file.

mod common;

use std::io::Write;

use common::Workspace;
use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, Stream, StringFormat, dictionary};
use yorisoi::diagnostics::{DownloadFinding, Problem};
use yorisoi::inspect::{office, pdf};

/// What a made PDF has.
#[derive(Clone, Copy)]
struct Pdf {
    tagged: bool,
    language: bool,
    title: bool,
    title_shown: bool,
    text: bool,
    figure_alt: bool,
    locked: bool,
}

const GOOD: Pdf = Pdf {
    tagged: true,
    language: true,
    title: true,
    title_shown: true,
    text: true,
    figure_alt: true,
    locked: false,
};

fn utf16(text: &str) -> Object {
    let mut bytes = vec![0xfe, 0xff];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// A one-page PDF with what `spec` says, as lopdf writes it.
fn make_pdf(spec: Pdf) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let image_id = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![0x80],
    ));
    let operations = if spec.text {
        vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("Td", vec![72.into(), 720.into()]),
            Operation::new("Tj", vec![Object::string_literal("Support book")]),
            Operation::new("ET", vec![]),
        ]
    } else {
        // A scan: the page is one picture.
        vec![
            Operation::new("q", vec![]),
            Operation::new(
                "cm",
                vec![
                    600.into(),
                    0.into(),
                    0.into(),
                    800.into(),
                    0.into(),
                    0.into(),
                ],
            ),
            Operation::new("Do", vec!["Im1".into()]),
            Operation::new("Q", vec![]),
        ]
    };
    let content = Content { operations };
    let content_id = doc.add_object(Stream::new(
        dictionary! {},
        content.encode().expect("content"),
    ));
    let mut resources = Dictionary::new();
    if spec.text {
        resources.set("Font", dictionary! { "F1" => font_id });
    } else {
        resources.set("XObject", dictionary! { "Im1" => image_id });
    }
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "Resources" => resources, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 },
        ),
    );
    let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => pages_id };
    if spec.tagged {
        let mut figure = dictionary! { "Type" => "StructElem", "S" => "Figure", "Pg" => page_id };
        if spec.figure_alt {
            figure.set("Alt", utf16("センターの外観の写真"));
        }
        let figure_id = doc.add_object(figure);
        let paragraph_id =
            doc.add_object(dictionary! { "Type" => "StructElem", "S" => "P", "Pg" => page_id });
        let document_id = doc.add_object(dictionary! {
            "Type" => "StructElem", "S" => "Document",
            "K" => vec![paragraph_id.into(), figure_id.into()],
        });
        let tree_id =
            doc.add_object(dictionary! { "Type" => "StructTreeRoot", "K" => document_id });
        catalog.set("MarkInfo", dictionary! { "Marked" => true });
        catalog.set("StructTreeRoot", tree_id);
    }
    if spec.language {
        catalog.set("Lang", Object::string_literal("ja"));
    }
    if spec.title_shown {
        catalog.set(
            "ViewerPreferences",
            dictionary! { "DisplayDocTitle" => true },
        );
    }
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", catalog_id);
    if spec.title {
        let info_id = doc.add_object(dictionary! { "Title" => utf16("ひきこもりサポートブック") });
        doc.trailer.set("Info", info_id);
    }
    if spec.locked {
        // The standard security handler with "extract for accessibility" (bit 10 of
        // /P) denied, and an owner password: no reader gets the text out.
        let encrypt_id = doc.add_object(dictionary! {
            "Filter" => "Standard", "V" => 1, "R" => 2,
            "O" => Object::String(vec![1; 32], StringFormat::Hexadecimal),
            "U" => Object::String(vec![2; 32], StringFormat::Hexadecimal),
            "P" => !(1_i64 << 9),
        });
        doc.trailer.set("Encrypt", encrypt_id);
        doc.trailer.set(
            "ID",
            vec![
                Object::String(vec![3; 16], StringFormat::Hexadecimal),
                Object::String(vec![3; 16], StringFormat::Hexadecimal),
            ],
        );
    }
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("a PDF");
    bytes
}

#[test]
fn a_good_pdf_has_no_finding_and_each_flaw_is_found_alone() {
    use DownloadFinding::*;
    assert_eq!(pdf(&make_pdf(GOOD)), []);
    let cases: [(Pdf, Vec<DownloadFinding>); 7] = [
        (
            Pdf {
                tagged: false,
                ..GOOD
            },
            vec![PdfUntagged],
        ),
        (
            Pdf {
                language: false,
                ..GOOD
            },
            vec![PdfNoLanguage],
        ),
        (
            Pdf {
                title: false,
                ..GOOD
            },
            vec![PdfNoTitle],
        ),
        (
            Pdf {
                title_shown: false,
                ..GOOD
            },
            vec![PdfTitleNotShown],
        ),
        (
            Pdf {
                text: false,
                ..GOOD
            },
            vec![PdfNoText],
        ),
        (
            Pdf {
                figure_alt: false,
                ..GOOD
            },
            vec![PdfFiguresWithoutAlt { count: 1 }],
        ),
        (
            Pdf {
                locked: true,
                ..GOOD
            },
            vec![PdfLocked],
        ),
    ];
    for (n, (spec, expected)) in cases.into_iter().enumerate() {
        assert_eq!(pdf(&make_pdf(spec)), expected, "case {n}");
    }
    // Everything wrong at once: every finding, in the order a person fixes them.
    let worst = Pdf {
        tagged: false,
        language: false,
        title: false,
        title_shown: false,
        text: false,
        figure_alt: false,
        locked: false,
    };
    assert_eq!(
        pdf(&make_pdf(worst)),
        [PdfUntagged, PdfNoLanguage, PdfNoTitle, PdfNoText]
    );
    assert_eq!(pdf(b"%PDF-1.7\nnot really"), [PdfUnreadable]);
}

/// An Office package with the given parts.
fn make_zip(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut bytes);
        let options = zip::write::SimpleFileOptions::default();
        for (name, text) in parts {
            zip.start_file(*name, options).expect("a part");
            zip.write_all(text.as_bytes()).expect("written");
        }
        zip.finish().expect("a zip");
    }
    bytes.into_inner()
}

fn core(title: Option<&str>, language: Option<&str>) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\">{}{}</cp:coreProperties>",
        title
            .map(|t| format!("<dc:title>{t}</dc:title>"))
            .unwrap_or_default(),
        language
            .map(|l| format!("<dc:language>{l}</dc:language>"))
            .unwrap_or_default(),
    )
}

const WORD_STYLES: &str = "<?xml version=\"1.0\"?><w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val=\"ja-JP\"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>";

#[test]
fn office_files_need_a_title_and_a_language() {
    use DownloadFinding::*;
    let types = ("[Content_Types].xml", "<Types/>");
    let good = make_zip(&[
        types,
        (
            "docProps/core.xml",
            &core(Some("家族会のご案内"), Some("ja-JP")),
        ),
    ]);
    assert_eq!(office(&good, "xlsx"), []);
    let untitled = make_zip(&[
        types,
        ("docProps/core.xml", &core(Some("  "), Some("ja-JP"))),
    ]);
    assert_eq!(
        office(&untitled, "pptx"),
        [OfficeNoTitle {
            format: "PPTX".into()
        }]
    );
    let no_language = make_zip(&[types, ("docProps/core.xml", &core(Some("案内"), None))]);
    assert_eq!(
        office(&no_language, "xlsx"),
        [OfficeNoLanguage {
            format: "XLSX".into()
        }]
    );
    // Word gives its text's language in its default style.
    let word = make_zip(&[
        types,
        ("docProps/core.xml", &core(Some("案内"), None)),
        ("word/styles.xml", WORD_STYLES),
    ]);
    assert_eq!(office(&word, "docx"), []);
    // OpenDocument keeps both in meta.xml.
    let odt = make_zip(&[(
        "meta.xml",
        "<office:document-meta xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><office:meta><dc:title>案内</dc:title>\
         <dc:language>ja-JP</dc:language></office:meta></office:document-meta>",
    )]);
    assert_eq!(office(&odt, "odt"), []);
    assert_eq!(
        office(&make_zip(&[types]), "docx"),
        [
            OfficeNoTitle {
                format: "DOCX".into()
            },
            OfficeNoLanguage {
                format: "DOCX".into()
            }
        ]
    );
    assert_eq!(
        office(b"PK not a zip", "docx"),
        [OfficeUnreadable {
            format: "DOCX".into()
        }]
    );
}

#[test]
fn a_site_with_a_good_and_a_bad_file_of_each_kind_gets_exactly_their_findings() {
    use DownloadFinding::*;
    let site = Workspace::copy_of("basic");
    let types = ("[Content_Types].xml", "<Types/>");
    site.write("files/good.pdf", make_pdf(GOOD));
    site.write(
        "files/scan.pdf",
        make_pdf(Pdf {
            tagged: false,
            text: false,
            ..GOOD
        }),
    );
    site.write(
        "files/good.docx",
        make_zip(&[
            types,
            ("docProps/core.xml", &core(Some("案内"), None)),
            ("word/styles.xml", WORD_STYLES),
        ]),
    );
    site.write(
        "files/bad.xlsx",
        make_zip(&[types, ("docProps/core.xml", &core(None, None))]),
    );
    let outcome = site.build();
    assert!(
        outcome.written,
        "warnings do not stop a build: {:#?}",
        outcome.diagnostics
    );
    let mut found: Vec<(String, DownloadFinding)> = outcome
        .diagnostics
        .iter()
        .filter_map(|d| match &d.problem {
            Problem::InaccessibleDownload { finding } => {
                assert!(d.is_warning(), "{d:?}");
                let file = d.location.as_ref().expect("at the file").file.clone();
                Some((file.to_string_lossy().replace('\\', "/"), finding.clone()))
            }
            _ => None,
        })
        .collect();
    found.sort_by_key(|f| format!("{f:?}"));
    assert_eq!(
        found,
        [
            (
                "files/bad.xlsx".to_owned(),
                OfficeNoLanguage {
                    format: "XLSX".into()
                }
            ),
            (
                "files/bad.xlsx".to_owned(),
                OfficeNoTitle {
                    format: "XLSX".into()
                }
            ),
            ("files/scan.pdf".to_owned(), PdfNoText),
            ("files/scan.pdf".to_owned(), PdfUntagged),
        ]
    );
    // Each in both languages, with what to do.
    use yorisoi::report::{MessageLanguage, format};
    let said = |lang| -> String {
        outcome
            .diagnostics
            .iter()
            .filter(|d| matches!(d.problem, Problem::InaccessibleDownload { .. }))
            .map(|d| format(d, &site.content, lang))
            .collect()
    };
    let japanese = said(MessageLanguage::Japanese);
    assert!(japanese.contains("files/scan.pdf"), "{japanese}");
    assert!(japanese.contains("PDF にタグがありません"), "{japanese}");
    assert!(
        japanese.contains("「タグ付き PDF」を選んで書き出し直す"),
        "{japanese}"
    );
    let english = said(MessageLanguage::English);
    assert!(english.contains("files/bad.xlsx"), "{english}");
    assert!(
        english.contains("the PDF has no text (scanned pages only)"),
        "{english}"
    );
}

/// `publications.toml` naming `files/scan.pdf`, with `alternative` as given.
fn publication_with(alternative: &str) -> String {
    format!(
        "[[publication]]\ntitle.ja = \"サポートブック\"\ntitle.en = \"Support book\"\n\
         file = \"files/scan.pdf\"\nsource = \"leaflet-2026\"\nalternative = \"{alternative}\"\n"
    )
}

#[test]
fn a_download_with_a_page_of_the_same_content_links_it_and_needs_no_tags() {
    let site = Workspace::copy_of("basic");
    site.write(
        "files/scan.pdf",
        make_pdf(Pdf {
            tagged: false,
            text: false,
            language: false,
            ..GOOD
        }),
    );
    site.write("publications.toml", publication_with("/about/"));
    site.write(
        "access.ja.md",
        "+++\ntitle = \"アクセス\"\n+++\n\n[サポートブック](/files/scan.pdf)\n",
    );
    site.write(
        "access.en.md",
        "+++\ntitle = \"Access\"\n+++\n\n[Support book](/files/scan.pdf)\n",
    );
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let findings: Vec<&DownloadFinding> = outcome
        .diagnostics
        .iter()
        .filter_map(|d| match &d.problem {
            Problem::InaccessibleDownload { finding } => Some(finding),
            _ => None,
        })
        .collect();
    // The page answers for the missing tags and text; not for the missing language,
    // which the file still needs.
    assert_eq!(findings, [&DownloadFinding::PdfNoLanguage]);
    // Beside every link to the file, after it (a link inside a link is no link), the
    // page in the reader's language.
    let ja = std::fs::read_to_string(site.output.join("access/index.html")).expect("page");
    assert!(
        ja.contains(
            "</a><span class=\"link-note\">（<a href=\"/support/about/\">同じ内容のページ</a>）</span>"
        ),
        "{ja}"
    );
    let en = std::fs::read_to_string(site.output.join("en/access/index.html")).expect("page");
    assert!(
        en.contains(
            "</a><span class=\"link-note\"> (<a href=\"/support/en/about/\">the same as a web page</a>)</span>"
        ),
        "{en}"
    );
    // The file's own note stays inside its link.
    assert!(
        ja.contains("サポートブック<span class=\"link-note\">（PDF："),
        "{ja}"
    );
}

#[test]
fn an_alternative_that_is_no_page_is_an_error_at_its_line() {
    let site = Workspace::copy_of("basic");
    site.write("files/scan.pdf", make_pdf(GOOD));
    site.write("publications.toml", publication_with("/no-such-page/"));
    let outcome = site.build();
    assert!(!outcome.written);
    let error = outcome
        .diagnostics
        .iter()
        .find(|d| matches!(&d.problem, Problem::AlternativeNotAPage { dest } if dest == "/no-such-page/"))
        .expect("the alternative is refused");
    assert!(error.is_error());
    let location = error.location.as_ref().expect("located");
    assert!(location.file.ends_with("publications.toml"), "{location:?}");
    assert_eq!(location.line, 6);
}

#[test]
fn the_downloads_list_links_a_files_page_of_the_same_content() {
    let site = Workspace::copy_of("basic");
    site.write(
        "files/scan.pdf",
        make_pdf(Pdf {
            tagged: false,
            ..GOOD
        }),
    );
    site.write("publications.toml", publication_with("@/about.md"));
    site.write(
        "downloads.ja.md",
        "+++\ntitle = \"資料\"\ntemplate = \"downloads.html\"\n+++\n\n資料の一覧です。\n",
    );
    site.write(
        "downloads.en.md",
        "+++\ntitle = \"Downloads\"\ntemplate = \"downloads.html\"\n+++\n\nThe downloads.\n",
    );
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    for (page, words) in [
        (
            "downloads/index.html",
            "（<a href=\"/support/about/\">同じ内容のページ</a>）",
        ),
        (
            "en/downloads/index.html",
            " (<a href=\"/support/en/about/\">the same as a web page</a>)",
        ),
    ] {
        let html = std::fs::read_to_string(site.output.join(page)).expect("page");
        assert!(html.contains(words), "{page}: {html}");
    }
}

#[test]
fn a_document_not_looked_inside_is_a_notice_never_silence() {
    use yorisoi::diagnostics::{NotLookedInto, Severity};
    let dir = tempfile::tempdir().expect("temporary folder");
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        path
    };
    let old = write("leaflet.doc", b"\xd0\xcf\x11\xe0 an old Word file");
    let found = yorisoi::inspect::inspect(&old, std::path::Path::new("files/leaflet.doc"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].severity, Severity::Notice);
    assert_eq!(
        found[0].problem,
        Problem::DownloadNotLookedInto {
            reason: NotLookedInto::OldFormat {
                format: "DOC".into(),
                newer: "docx".into(),
            }
        }
    );
    let location = found[0].location.as_ref().expect("at the file");
    assert_eq!(location.file, std::path::Path::new("files/leaflet.doc"));

    // A large PDF, made sparse so that it takes no disk: not read, and said so.
    let big = write("book.pdf", b"");
    std::fs::File::options()
        .write(true)
        .open(&big)
        .and_then(|f| f.set_len(65 * 1024 * 1024 + 1))
        .expect("grow");
    let found = yorisoi::inspect::inspect(&big, std::path::Path::new("files/book.pdf"));
    assert_eq!(
        found.iter().map(|d| &d.problem).collect::<Vec<_>>(),
        [&Problem::DownloadNotLookedInto {
            reason: NotLookedInto::TooLarge { megabytes: 66 }
        }]
    );
    assert_eq!(found[0].severity, Severity::Notice);

    // Pictures and other kinds hold nothing these checks read: nothing to say.
    let picture = write("map.png", b"\x89PNG");
    assert!(yorisoi::inspect::inspect(&picture, std::path::Path::new("files/map.png")).is_empty());
}
