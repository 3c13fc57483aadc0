//! What `check` reports beyond a build: announcements about to end, files nothing links
//! to, a placeholder `base_url`, and messages grouped by file.

mod common;

use std::process::Output;

use common::*;
use yorisoi::diagnostics::{Problem, Severity};

/// Runs `yorisoi <args>` in the workspace, messages in the language given.
fn yorisoi(site: &Workspace, args: &[&str], lang: &str) -> Output {
    yorisoi_command()
        .args(args)
        .args(["--content", "content", "--now", NOW, "--theme"])
        .arg(theme_dir())
        .args(["--messages", lang])
        .current_dir(site.dir.path())
        .output()
        .expect("run yorisoi")
}

fn stderr(run: &Output) -> String {
    String::from_utf8_lossy(&run.stderr).into_owned()
}

/// An announcement in both languages ending on `expires`.
fn announce(site: &Workspace, expires: &str) {
    for (lang, title) in [("ja", "家族教室"), ("en", "Family class")] {
        site.write(
            &format!("news/2026-11-01-class.{lang}.md"),
            format!(
                "+++\ntitle = \"{title}\"\ndate = 2026-11-01\nexpires = {expires}\n+++\n\n{title}\n"
            ),
        );
    }
}

fn news_section(site: &Workspace) {
    site.write("news/_index.ja.md", "+++\ntitle = \"お知らせ\"\n+++\n");
    site.write("news/_index.en.md", "+++\ntitle = \"Announcements\"\n+++\n");
}

#[test]
fn an_announcement_ending_within_two_weeks_fails_check_but_not_build() {
    let site = Workspace::copy_of("basic");
    news_section(&site);
    // NOW is 2026-11-21: the 30th is nine days away.
    announce(&site, "2026-11-30");
    let checked = site.check();
    let soon: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| matches!(d.problem, Problem::ExpiresSoon { days: 9, .. }))
        .collect();
    assert_eq!(
        soon.len(),
        2,
        "one per language: {:#?}",
        checked.diagnostics
    );
    assert!(soon.iter().all(|d| d.severity == Severity::Warning));
    let location = soon[0].location.as_ref().unwrap();
    assert_eq!(location.line, 4, "at the expires line");
    assert!(
        !site
            .build()
            .diagnostics
            .iter()
            .any(|d| matches!(d.problem, Problem::ExpiresSoon { .. }))
    );

    let run = yorisoi(&site, &["check"], "en");
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("content/news/2026-11-01-class.en.md:4:1: warning: this announcement ends in 9 days (2026-11-30)"),
        "{}",
        stderr(&run)
    );
    let run = yorisoi(&site, &["check"], "ja");
    assert!(
        stderr(&run).contains("あと 9 日（2026-11-30）で掲載終了です"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn an_announcement_ending_later_or_already_ended_is_not_pointed_out() {
    for expires in ["2026-12-31", "2026-11-01"] {
        let site = Workspace::copy_of("basic");
        news_section(&site);
        announce(&site, expires);
        let checked = site.check();
        assert!(
            !checked
                .diagnostics
                .iter()
                .any(|d| matches!(d.problem, Problem::ExpiresSoon { .. })),
            "{expires}: {:#?}",
            checked.diagnostics
        );
    }
}

#[test]
fn a_file_nothing_links_to_fails_check_until_a_page_links_it() {
    let site = Workspace::copy_of("basic");
    site.write("files/old-leaflet.pdf", b"%PDF-1.4 old");
    let checked = site.check();
    let unlinked: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| matches!(&d.problem, Problem::UnlinkedFile { url } if url == "/files/old-leaflet.pdf"))
        .collect();
    assert_eq!(unlinked.len(), 1, "{:#?}", checked.diagnostics);
    assert_eq!(unlinked[0].severity, Severity::Warning);
    // The fixture's own leaflet is linked from a page, so it is not reported.
    assert!(!checked.diagnostics.iter().any(
        |d| matches!(&d.problem, Problem::UnlinkedFile { url } if url == "/files/leaflet.pdf")
    ));
    let run = yorisoi(&site, &["check"], "en");
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("nothing links to /files/old-leaflet.pdf"),
        "{}",
        stderr(&run)
    );

    site.write(
        "about.en.md",
        "+++\ntitle = \"About\"\n+++\n\nThe [old leaflet](/files/old-leaflet.pdf).\n",
    );
    assert!(
        !site
            .check()
            .diagnostics
            .iter()
            .any(|d| matches!(d.problem, Problem::UnlinkedFile { .. }))
    );
}

#[test]
fn a_placeholder_base_url_is_a_notice_that_fails_only_strict_check() {
    let site = Workspace::copy_of("basic");
    // The fixture's one warning, a page without its translation, is answered.
    site.write(
        "services/visit.en.md",
        "+++\ntitle = \"Visiting us\"\n+++\n\nCome and talk.\n",
    );
    let checked = site.check();
    let notice = checked
        .diagnostics
        .iter()
        .find(|d| matches!(d.problem, Problem::PlaceholderBaseUrl { .. }))
        .expect("example.jp is a placeholder");
    assert_eq!(notice.severity, Severity::Notice);
    assert_eq!(
        notice.location.as_ref().unwrap().line,
        3,
        "at base_url in site.toml"
    );
    assert_eq!(yorisoi(&site, &["check"], "en").status.code(), Some(0));
    let strict = yorisoi(&site, &["check", "--strict"], "en");
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        stderr(&strict).contains("base_url is still an example address"),
        "{}",
        stderr(&strict)
    );

    let real = yorisoi(
        &site,
        &[
            "check",
            "--strict",
            "--base-url",
            "https://www.pref.miyagi.jp/site/hikikomori/",
        ],
        "en",
    );
    assert!(
        !stderr(&real).contains("example address"),
        "{}",
        stderr(&real)
    );
    assert!(
        !site
            .build()
            .diagnostics
            .iter()
            .any(|d| matches!(d.problem, Problem::PlaceholderBaseUrl { .. }))
    );
}

#[test]
fn messages_are_grouped_under_their_file() {
    let site = Workspace::copy_of("basic");
    site.write("files/unused.pdf", b"%PDF-1.4");
    site.write(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\n+++\n\n[こちら](/access/)\n",
    );
    let messages = stderr(&yorisoi(&site, &["check"], "en"));
    let about = messages
        .find("── content/about.ja.md (1 message)")
        .expect(&messages);
    // Nothing links to it, and it is not a PDF inside.
    let file = messages
        .find("── content/files/unused.pdf (2 messages)")
        .expect(&messages);
    let site_toml = messages
        .find("── content/site.toml (1 message)")
        .expect(&messages);
    assert!(about < file && file < site_toml, "{messages}");
    let ja = stderr(&yorisoi(&site, &["check"], "ja"));
    assert!(ja.contains("── content/about.ja.md（1 件）"), "{ja}");
}
