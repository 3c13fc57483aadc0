//! Furigana written `{漢字|かんじ}` in pages, titles, descriptions and data files: shown
//! as `<ruby>` on the page, as plain text where markup cannot go, and a malformed one is
//! an error where it is written.

mod common;

use common::*;
use yorisoi::diagnostics::Problem;
use yorisoi::ruby::RubyProblem;

const RUBY: &str = "<ruby>相談<rp>（</rp><rt>そうだん</rt><rp>）</rp></ruby>";

#[test]
fn furigana_in_a_title_and_text_show_as_ruby_and_plain_where_markup_cannot_go() {
    let site = Workspace::copy_of("basic");
    site.write(
        "about.ja.md",
        "+++\ntitle = \"{相談|そうだん}について\"\ndescription = \"{相談|そうだん}の説明\"\nmenu = true\n+++\n\n{相談|そうだん}は{無料|む|りょう}です。\n",
    );
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let page = std::fs::read_to_string(site.output.join("about/index.html")).unwrap();
    assert!(page.contains(&format!("<h1>{RUBY}について</h1>")), "{page}");
    assert!(page.contains("<title>相談について | "), "{page}");
    assert!(
        page.contains("<meta name=\"description\" content=\"相談の説明\">"),
        "{page}"
    );
    assert!(
        page.contains("<meta property=\"og:title\" content=\"相談について\">"),
        "{page}"
    );
    assert!(
        page.contains("<ruby>無<rp>（</rp><rt>む</rt><rp>）</rp></ruby><ruby>料<rp>（</rp><rt>りょう</rt><rp>）</rp></ruby>です"),
        "{page}"
    );
    // The menu shows the title with its reading too.
    let home = std::fs::read_to_string(site.output.join("index.html")).unwrap();
    assert!(home.contains(&format!("{RUBY}について</a>")), "{home}");
}

#[test]
fn furigana_in_data_file_text_show_as_ruby() {
    let site = Workspace::copy_of("basic");
    let config = std::fs::read_to_string(site.content.join("site.toml")).unwrap();
    let hours = config
        .lines()
        .find(|l| l.starts_with("hours.ja"))
        .expect("hours in the fixture")
        .to_owned();
    site.write(
        "site.toml",
        config.replace(&hours, "hours.ja = \"{平日|へいじつ}の昼\""),
    );
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let page = std::fs::read_to_string(site.output.join("about/index.html")).unwrap();
    assert!(
        page.contains("<ruby>平日<rp>（</rp><rt>へいじつ</rt><rp>）</rp></ruby>の昼"),
        "{page}"
    );
}

fn malformed(rel: &str, text: &str, line: usize, column: usize, expected: RubyProblem) {
    let site = Workspace::copy_of("basic");
    site.write(rel, text);
    let outcome = site.build();
    assert!(!outcome.written);
    let d = outcome
        .diagnostics
        .iter()
        .find(|d| matches!(&d.problem, Problem::MalformedRuby { problem } if *problem == expected))
        .unwrap_or_else(|| panic!("{text}: {:#?}", outcome.diagnostics));
    let location = d.location.as_ref().unwrap();
    assert_eq!((location.line, location.column), (line, column), "{text}");
    for lang in [
        yorisoi::report::MessageLanguage::Japanese,
        yorisoi::report::MessageLanguage::English,
    ] {
        let message = site.message(d, lang);
        assert!(message.contains("{漢字|かんじ}"), "{message}");
    }
}

#[test]
fn a_malformed_ruby_is_an_error_where_it_is_written() {
    let front = "+++\ntitle = \"センターについて\"\n+++\n\n";
    malformed(
        "about.ja.md",
        &format!("{front}本文の{{漢字|かんじ\n"),
        5,
        4,
        RubyProblem::Unclosed,
    );
    malformed(
        "about.ja.md",
        &format!("{front}ここに{{|かんじ}}\n"),
        5,
        4,
        RubyProblem::EmptyBase,
    );
    malformed(
        "about.ja.md",
        &format!("{front}- {{漢字|}}\n"),
        5,
        3,
        RubyProblem::EmptyReading,
    );
    malformed(
        "about.ja.md",
        &format!("{front}{{漢字|か|ん|じ}}\n"),
        5,
        1,
        RubyProblem::ReadingCount {
            characters: 2,
            readings: 3,
        },
    );
    malformed(
        "about.ja.md",
        "+++\ntitle = \"{相談|}\"\n+++\n",
        2,
        1,
        RubyProblem::EmptyReading,
    );
    malformed(
        "about.ja.md",
        "+++\ntitle = \"x\"\ndescription = \"{相談|そうだん\"\n+++\n",
        3,
        1,
        RubyProblem::Unclosed,
    );
    malformed(
        "sources.toml",
        "[[source]]\nid = \"leaflet-2026\"\ntitle.ja = \"{資料|}\"\npublished = 2026-04-01\n",
        3,
        1,
        RubyProblem::EmptyReading,
    );
}
