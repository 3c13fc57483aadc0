//! Inputs refused or warned about where they are written, for what a bad-input case
//! folder cannot hold: symbolic links, file names with a tab, a line break, `?` or a
//! trailing dot or space, download links that must reach files with any other name,
//! and addresses given on the command line.

mod common;

use common::*;
use yorisoi::diagnostics::Problem;
use yorisoi::file_kinds::NameFlaw;
use yorisoi::report::MessageLanguage;
use yorisoi::{Engine, MemorySink};

const PAGE: &str = "+++\ntitle = \"リンク\"\n+++\n\n本文です。\n";

/// The messages of `outcome` about `file`, in both languages.
fn messages_about(site: &Workspace, outcome: &yorisoi::Outcome, file: &str) -> Vec<String> {
    outcome
        .diagnostics
        .iter()
        .filter(|d| {
            d.location
                .as_ref()
                .is_some_and(|l| l.file == std::path::Path::new(file))
        })
        .flat_map(|d| {
            [MessageLanguage::Japanese, MessageLanguage::English].map(|l| site.message(d, l))
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_page_data_file_or_download_is_warned_about_at_the_file() {
    let site = Workspace::copy_of("basic");
    let outside = site.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("page.ja.md"), PAGE).unwrap();
    std::fs::write(outside.join("glossary.toml"), "").unwrap();
    std::fs::write(outside.join("secret.pdf"), "%PDF-1.4\n").unwrap();
    for (target, link) in [
        ("page.ja.md", "linked.ja.md"),
        ("glossary.toml", "glossary.toml"),
        ("secret.pdf", "files/secret.pdf"),
    ] {
        std::os::unix::fs::symlink(outside.join(target), site.content.join(link)).unwrap();
    }
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    for link in ["linked.ja.md", "glossary.toml", "files/secret.pdf"] {
        let found = outcome.diagnostics.iter().any(|d| {
            d.is_warning()
                && matches!(d.problem, Problem::SymlinkNotFollowed)
                && d.location
                    .as_ref()
                    .is_some_and(|l| l.file == std::path::Path::new(link))
        });
        assert!(found, "{link}: {:#?}", outcome.diagnostics);
        let messages = messages_about(&site, &outcome, link);
        assert!(
            messages
                .iter()
                .any(|m| m.contains(&format!("content/{link}:1:1: 警告: シンボリックリンク"))),
            "{messages:#?}"
        );
        assert!(
            messages.iter().any(|m| m.contains(&format!(
                "content/{link}:1:1: warning: a symbolic link is not read"
            ))),
            "{messages:#?}"
        );
    }
    assert!(!site.output.join("linked/index.html").exists());
    assert!(!site.output.join("files/secret.pdf").exists());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_page_made_while_the_preview_runs_is_not_followed() {
    let site = Workspace::copy_of("basic");
    let mut engine = Engine::new(site.options());
    let sink = MemorySink::default();
    let first = engine.build(&sink);
    assert!(!first.has_errors(), "{:#?}", first.diagnostics);
    let outside = site.dir.path().join("secret.ja.md");
    std::fs::write(&outside, PAGE.replace("本文です。", "秘密の下書き")).unwrap();
    let link = site.content.join("linked.ja.md");
    std::os::unix::fs::symlink(&outside, &link).unwrap();
    let report = engine.rebuild(&[link], &sink);
    assert!(
        report.diagnostics.iter().any(|d| {
            matches!(d.problem, Problem::SymlinkNotFollowed)
                && d.location
                    .as_ref()
                    .is_some_and(|l| l.file == std::path::Path::new("linked.ja.md"))
        }),
        "{:#?}",
        report.diagnostics
    );
    assert!(
        sink.files()
            .values()
            .all(|bytes| !String::from_utf8_lossy(bytes).contains("秘密の下書き")),
        "the linked file was published"
    );
}

#[test]
fn a_download_name_no_link_reaches_or_a_server_mistakes_is_refused() {
    let site = Workspace::copy_of("basic");
    let names = [
        ("files/a\tb.pdf", NameFlaw::Character('\t')),
        ("files/a\nb.pdf", NameFlaw::Character('\n')),
        ("files/what?.pdf", NameFlaw::Character('?')),
        ("files/a\\b.pdf", NameFlaw::Character('\\')),
        ("files/c.html.", NameFlaw::TrailingDotOrSpace),
        ("files/d.htm ", NameFlaw::TrailingDotOrSpace),
    ];
    for (name, _) in &names {
        site.write(name, "x");
    }
    let outcome = site.build();
    assert!(!outcome.written);
    for (name, flaw) in names {
        let found: Vec<_> = outcome
            .diagnostics
            .iter()
            .filter(|d| {
                d.location
                    .as_ref()
                    .is_some_and(|l| l.file == std::path::Path::new(name))
            })
            .collect();
        assert_eq!(found.len(), 1, "{name:?}: {found:#?}");
        assert_eq!(
            found[0].problem,
            Problem::UnpublishableFile { flaw, theme: false },
            "{name:?}"
        );
    }
    let messages = messages_about(&site, &outcome, "files/a\tb.pdf");
    assert!(messages[0].contains("「U+0009」"), "{}", messages[0]);
    assert!(messages[1].contains("\"U+0009\""), "{}", messages[1]);
}

#[test]
fn a_publication_link_is_percent_encoded_and_reaches_the_file() {
    let site = Workspace::copy_of("basic");
    let name = "相談 案内&2026.pdf";
    std::fs::copy(
        site.content.join("files/leaflet.pdf"),
        site.content.join("files").join(name),
    )
    .unwrap();
    site.write(
        "publications.toml",
        format!(
            "[[publication]]\ntitle.ja = \"相談案内\"\ntitle.en = \"Guide\"\nfile = \"files/{name}\"\nsource = \"leaflet-2026\"\n\n[[publication]]\ntitle.ja = \"リーフレット\"\ntitle.en = \"Leaflet\"\nfile = \"files/leaflet.pdf\"\nsource = \"leaflet-2026\"\n"
        ),
    );
    for (lang, title) in [("ja", "配布物"), ("en", "Downloads")] {
        site.write(
            &format!("downloads.{lang}.md"),
            format!("+++\ntitle = \"{title}\"\ntemplate = \"downloads.html\"\n+++\n"),
        );
    }
    let outcome = site.check();
    assert!(
        !outcome
            .diagnostics
            .iter()
            .any(|d| matches!(d.problem, Problem::UnlinkedFile { .. })),
        "a file linked from publications.toml is linked: {:#?}",
        outcome.diagnostics
    );
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let doc = scraper::Html::parse_document(
        &std::fs::read_to_string(site.output.join("downloads/index.html")).unwrap(),
    );
    let hrefs: Vec<&str> = select(&doc, ".publication a")
        .into_iter()
        .map(|a| attr(a, "href"))
        .collect();
    let encoded = format!("{BASE_PATH}files/%E7%9B%B8%E8%AB%87%20%E6%A1%88%E5%86%85%262026.pdf");
    assert!(hrefs.contains(&encoded.as_str()), "{hrefs:?}");
    // The link, decoded as a server decodes it, names the file written.
    let path = percent_encoding::percent_decode_str(encoded.trim_start_matches(BASE_PATH))
        .decode_utf8()
        .unwrap()
        .into_owned();
    assert!(site.output.join(&path).is_file(), "{path}");
}

#[test]
fn a_base_url_on_the_command_line_that_leads_elsewhere_is_a_message() {
    let site = Workspace::copy_of("basic");
    for bad in [
        "https://hikikomori.example.jp//tracker.example",
        "https://hikikomori.example.jp/\\tracker.example",
        "https:/x",
    ] {
        let out = yorisoi_command()
            .current_dir(site.dir.path())
            .args(["build", "--messages", "en", "--base-url", bad])
            .args(["--theme", theme_dir().to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{bad}: {stdout}{stderr}");
        let all = format!("{stdout}{stderr}");
        assert!(
            all.contains(&format!(
                "error: base_url \"{bad}\" cannot be the site's address"
            )),
            "{all}"
        );
        assert!(!all.contains("panicked"), "{all}");
    }
}

#[test]
fn the_preview_refuses_a_base_url_that_leads_elsewhere_before_it_starts() {
    let site = Workspace::copy_of("basic");
    let mut child = yorisoi_command()
        .current_dir(site.dir.path())
        .args(["serve", "--messages", "en", "--port", "0"])
        .args([
            "--base-url",
            "https://hikikomori.example.jp//tracker.example",
        ])
        .args(["--theme", theme_dir().to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(status.and_then(|s| s.code()), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: base_url \"https://hikikomori.example.jp//tracker.example\" cannot be the site's address"),
        "{stderr}"
    );
}

/// A copy of the default theme beside the workspace's content, for a test to change.
fn theme_copy(site: &Workspace) -> std::path::PathBuf {
    let theme = site.dir.path().join("themes/default");
    copy_dir(&theme_dir(), &theme);
    theme
}

#[cfg(unix)]
#[test]
fn a_theme_static_file_is_held_to_the_kinds_published_and_its_links_not_followed() {
    let site = Workspace::copy_of("basic");
    let theme = theme_copy(&site);
    let outside = site.dir.path().join("private.png");
    std::fs::write(&outside, "not for the web").unwrap();
    std::os::unix::fs::symlink(&outside, theme.join("static/linked.png")).unwrap();
    let mut options = site.options();
    options.theme_dir = Some(theme.clone());
    let outcome = yorisoi::build(&options);
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    assert!(
        outcome.diagnostics.iter().any(|d| {
            d.is_warning()
                && matches!(d.problem, Problem::SymlinkNotFollowed)
                && d.location
                    .as_ref()
                    .is_some_and(|l| l.file.ends_with("static/linked.png"))
        }),
        "{:#?}",
        outcome.diagnostics
    );
    assert!(!site.output.join("linked.png").exists());
    assert!(
        common::list_files(&site.output.join("css"))
            .iter()
            .any(|f| f.starts_with("site-") && f.ends_with(".css")),
        "a theme ships CSS, named by its content"
    );

    // An SVG of the theme is read as a download's is.
    std::fs::write(
        theme.join("static/badge.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<script>alert(1)</script>\n</svg>\n",
    )
    .unwrap();
    let outcome = yorisoi::build(&options);
    assert!(!outcome.written);
    assert!(
        outcome.diagnostics.iter().any(|d| {
            matches!(d.problem, Problem::ScriptInContent)
                && d.location
                    .as_ref()
                    .is_some_and(|l| l.file.ends_with("static/badge.svg") && l.line == 2)
        }),
        "{:#?}",
        outcome.diagnostics
    );
}

/// A theme may hand the interface texts on whole (to a variable, a macro) and read one
/// through it: the page gets that text, as if read as `t.key`.
#[test]
fn a_template_reading_an_interface_text_through_a_variable_gets_it() {
    let site = Workspace::copy_of("basic");
    let theme = theme_copy(&site);
    std::fs::write(
        theme.join("templates/page.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n<div class=\"wrap\">\n{% set words = t %}<p class=\"handed-on\">{{ words.feed_heading }}</p>\n{% include \"partials/intro.html\" %}\n</div>\n{% endblock main %}\n",
    )
    .unwrap();
    let mut options = site.options();
    options.theme_dir = Some(theme);
    let outcome = yorisoi::build(&options);
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let page = std::fs::read_to_string(site.output.join("about/index.html")).unwrap();
    assert!(
        page.contains("<p class=\"handed-on\">お知らせをフィード（RSS）で受け取る</p>"),
        "{page}"
    );
}
