//! The bundled site shows its authors' words exactly as written: on every page, the text
//! of `.prose` is the text of the page's Markdown rendered by pulldown-cmark alone. The
//! generator only adds markup and its notes (other sites, files, new windows), never a
//! changed, dropped or repeated character.

mod common;

use std::fs;

use pulldown_cmark::html;
use scraper::{ElementRef, Html, Node};
use walkdir::WalkDir;

use common::*;

/// What a reader gets from `root`: its text and its images' `alt` texts, without the
/// generator's notes, with runs of white space folded as a browser shows normal text.
/// U+3000 is not folded: browsers keep the ideographic space.
fn visible_text(root: ElementRef) -> String {
    let mut text = String::new();
    for node in root.descendants() {
        let in_note = node.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| e.classes().any(|c| c == "link-note"))
        });
        match node.value() {
            _ if in_note => {}
            Node::Text(t) => text.push_str(t),
            Node::Element(e) if e.name() == "img" => text.push_str(e.attr("alt").unwrap_or("")),
            _ => {}
        }
    }
    text.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text as a reader without ruby support sees it: each `{漢字|かんじ}` as
/// 漢字（かんじ）, each `{漢字|かん|じ}` as 漢（かん）字（じ）. Everything else unchanged.
fn with_readings(text: &str) -> String {
    let pieces = yorisoi::ruby::pieces(text, &[]).expect("the bundled furigana are well formed");
    let mut shown = String::new();
    for piece in pieces {
        match piece {
            yorisoi::ruby::Piece::Text(t) => shown.push_str(t),
            yorisoi::ruby::Piece::Ruby { base, readings } if readings.len() == 1 => {
                shown.push_str(&format!("{base}（{}）", readings[0]));
            }
            yorisoi::ruby::Piece::Ruby { base, readings } => {
                for (c, reading) in base.chars().zip(readings) {
                    shown.push_str(&format!("{c}（{reading}）"));
                }
            }
        }
    }
    shown
}

/// Both texts from a little before where they part, so a long page's difference is
/// easy to see.
fn around_difference(written: &str, shown: &str) -> (String, String) {
    let same = written
        .chars()
        .zip(shown.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let from = same.saturating_sub(30);
    let excerpt = |text: &str| text.chars().skip(from).take(80).collect();
    (excerpt(written), excerpt(shown))
}

/// The Markdown body: everything after the `+++` line that closes the front matter.
fn body<'a>(rel: &str, source: &'a str) -> &'a str {
    let mut lines = source.split_inclusive('\n');
    let opening = lines.next().unwrap_or("");
    assert_eq!(opening.trim_end(), "+++", "{rel} should open with `+++`");
    let mut offset = opening.len();
    for line in lines {
        offset += line.len();
        if line.trim_end() == "+++" {
            return &source[offset..];
        }
    }
    panic!("{rel}: the front matter is never closed");
}

/// The page a source becomes: `about.en.md` → `en/about/index.html`,
/// `services/_index.ja.md` → `services/index.html`. Japanese, the default language, is
/// at the root.
fn output_file(rel: &str) -> String {
    let (path, lang) = rel
        .strip_suffix(".md")
        .and_then(|r| r.rsplit_once('.'))
        .unwrap_or_else(|| panic!("{rel} should be named NAME.LANG.md"));
    let folder = match path.strip_suffix("_index") {
        Some(section) => section.to_owned(),
        None => format!("{path}/"),
    };
    // As content/site.toml places each language.
    let root = match lang {
        "ja" => String::new(),
        "ja-easy" => "easy/".to_owned(),
        other => format!("{other}/"),
    };
    format!("{root}{folder}index.html")
}

#[test]
fn sources_map_to_their_pages() {
    assert_eq!(output_file("about.ja.md"), "about/index.html");
    assert_eq!(output_file("about.en.md"), "en/about/index.html");
    assert_eq!(output_file("services/_index.ja.md"), "services/index.html");
    assert_eq!(output_file("_index.en.md"), "en/index.html");
    assert_eq!(output_file("_index.ja.md"), "index.html");
    assert_eq!(output_file("access.ja-easy.md"), "easy/access/index.html");
}

/// Whether a page file is kept back from a build made before `now`: a draft, or dated
/// after it.
fn is_withheld(source: &str, now: yorisoi::dates::Moment) -> bool {
    let front = source
        .strip_prefix("+++")
        .and_then(|rest| rest.split_once("\n+++"))
        .map_or("", |(front, _)| front);
    let Ok(table) = front.parse::<toml::Table>() else {
        return false;
    };
    let draft = table.get("draft").and_then(toml::Value::as_bool) == Some(true);
    let later = table
        .get("date")
        .map(|d| match d {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .and_then(|d| yorisoi::dates::parse_moment(&d))
        .is_some_and(|date| date > now);
    draft || later
}

#[test]
fn every_page_shows_the_text_of_its_markdown() {
    let built = Built::bundled();
    // Taken after the build: a page due between the two is withheld by both.
    let now = bundled_now();
    let content = bundled_content();
    let mut sources: Vec<String> = WalkDir::new(&content)
        .into_iter()
        .map(|entry| entry.expect("readable content folder"))
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let rel = entry.path().strip_prefix(&content).expect("below content/");
            rel.to_string_lossy().replace('\\', "/")
        })
        .filter(|rel| rel.ends_with(".md") && !rel.starts_with("files/"))
        .collect();
    sources.sort();
    assert!(!sources.is_empty(), "no Markdown found in {content:?}");

    let mut checked = 0;
    let mut withheld = 0;
    let mut differences = Vec::new();
    for rel in &sources {
        let source = fs::read_to_string(content.join(rel))
            .unwrap_or_else(|e| panic!("{rel} should be readable: {e}"));
        // A draft, or an announcement dated after the build's "now", is not published:
        // it must not be, and has no page to compare.
        if is_withheld(&source, now) {
            assert!(!built.exists(&output_file(rel)), "{rel} is published");
            withheld += 1;
            continue;
        }
        let mut plain = String::new();
        // As the generator reads Markdown (a heading's `{#id}` block is markup), before any
        // of its transforms.
        let events = yorisoi::parse::markdown_events(body(rel, &source)).map(|(event, _)| event);
        html::push_html(&mut plain, events);
        let written = with_readings(&visible_text(Html::parse_fragment(&plain).root_element()));

        let file = output_file(rel);
        let page = built.html(&file);
        let prose = select(&page, ".prose");
        assert!(
            prose.len() <= 1,
            "{file} has {} .prose elements",
            prose.len()
        );
        // A page with no body may have no `.prose`; then it must show no text of one.
        let shown = prose.first().map_or_else(String::new, |p| visible_text(*p));
        if shown != written {
            let (written, shown) = around_difference(&written, &shown);
            differences.push(format!(
                "{rel} → {file}\n  written: …{written}\n  shown:   …{shown}"
            ));
        }
        checked += 1;
    }
    assert!(
        differences.is_empty(),
        "pages whose text differs from their Markdown:\n\n{}",
        differences.join("\n\n")
    );
    assert_eq!(checked + withheld, sources.len(), "every source is checked");
    assert_eq!(
        checked, built.outcome.pages,
        "every published page is one of the sources checked"
    );
}
