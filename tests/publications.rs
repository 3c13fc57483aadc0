//! Downloads: the generator measures format and size of files it holds, and writes the
//! size the way each language does.

mod common;

use common::*;

const PUBLICATIONS: &str = r#"
[[publication]]
title.ja = "リーフレット"
title.en = "Leaflet"
file = "files/leaflet.pdf"
source = "leaflet-2026"
"#;

#[test]
fn a_held_file_is_shown_with_its_measured_format_and_size() {
    let site = Workspace::copy_of("basic");
    site.write("publications.toml", PUBLICATIONS);
    for (lang, title) in [("ja", "配布物"), ("en", "Downloads")] {
        site.write(
            &format!("downloads.{lang}.md"),
            format!("+++\ntitle = \"{title}\"\ntemplate = \"downloads.html\"\n+++\n"),
        );
    }
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let size = std::fs::metadata(site.content.join("files/leaflet.pdf"))
        .unwrap()
        .len();
    let kb = size.div_ceil(1024);
    for (file, expected) in [
        ("downloads/index.html", format!("（PDF：{kb}KB）")),
        ("en/downloads/index.html", format!("(PDF, {kb} KB)")),
    ] {
        let doc = scraper::Html::parse_document(
            &std::fs::read_to_string(site.output.join(file)).unwrap(),
        );
        // Inside the link, so that a screen reader listing links hears it too.
        let info = one(&doc, ".publication a .link-note");
        assert_eq!(text(info), expected, "{file}");
        let link = one(&doc, ".publication a[href$='leaflet.pdf']");
        assert_eq!(attr(link, "href"), format!("{BASE_PATH}files/leaflet.pdf"));
    }
}

#[test]
fn a_missing_file_is_an_error_in_publications_toml() {
    let site = Workspace::copy_of("basic");
    site.write(
        "publications.toml",
        PUBLICATIONS.replace("leaflet.pdf", "nothing.pdf"),
    );
    let outcome = site.build();
    let d = only_error(&outcome);
    let message = site.message(d, yorisoi::report::MessageLanguage::English);
    assert!(message.contains("publications.toml:5:"), "{message}");
    assert!(message.contains("files/nothing.pdf"), "{message}");
}
