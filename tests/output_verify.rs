//! The output verifier: whatever the content and the theme put into a published file, a
//! file that breaks the site's policy fails the build, is named with where it came
//! from, and nothing is written. Each case is one an input check alone lets through (a
//! theme's templates, style sheets and static files are nobody's input).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use yorisoi::diagnostics::{BrowserPolicy, Diagnostic, OutputRefusal, Problem};
use yorisoi::report::MessageLanguage;

/// A copy of the `basic` fixture with its own copy of the default theme, which a test
/// may break.
struct Site {
    workspace: Workspace,
    theme: PathBuf,
}

impl Site {
    fn new() -> Site {
        let workspace = Workspace::copy_of("basic");
        let theme = workspace.dir.path().join("themes/default");
        copy_dir(&theme_dir(), &theme);
        Site { workspace, theme }
    }

    /// Replaces `from` with `to` in a file of the theme (which must contain it).
    fn edit_theme(&self, rel: &str, from: &str, to: &str) {
        let path = self.theme.join(rel);
        let text = fs::read_to_string(&path).expect("a file of the theme");
        assert!(text.contains(from), "{rel} has no {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).expect("write the theme");
    }

    fn add_to_theme(&self, rel: &str, bytes: &[u8]) {
        let path = self.theme.join(rel);
        fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        fs::write(path, bytes).expect("write the theme");
    }

    fn build(&self) -> yorisoi::Outcome {
        let mut options = self.workspace.options();
        options.theme_dir = Some(self.theme.clone());
        yorisoi::build(&options)
    }

    /// Builds and expects the build to fail on an output refusal matching `expected`,
    /// with nothing written; returns that error.
    /// Builds, expecting a failure that writes nothing.
    fn failed_with_nothing_written(&self) -> yorisoi::Outcome {
        let outcome = self.build();
        assert!(
            !outcome.written && outcome.has_errors(),
            "{:#?}",
            outcome.diagnostics
        );
        assert!(
            !self.workspace.output.exists() || list_files(&self.workspace.output).is_empty(),
            "nothing may be written: {:?}",
            list_files(&self.workspace.output)
        );
        outcome
    }

    /// Builds, expecting a failure with nothing written, on the input check's `problem`
    /// at a file whose path ends in `file`, or else on the output refusal `refusal`.
    fn refused_at_input_or_output(
        &self,
        file: &str,
        problem: impl Fn(&Problem) -> bool,
        refusal: impl Fn(&OutputRefusal) -> bool,
    ) {
        let outcome = self.failed_with_nothing_written();
        let at_input = outcome.diagnostics.iter().any(|d| {
            d.is_error()
                && problem(&d.problem)
                && d.location.as_ref().is_some_and(|l| l.file.ends_with(file))
        });
        let at_output = outcome
            .diagnostics
            .iter()
            .any(|d| matches!(&d.problem, Problem::OutputRefused { refusal: r, .. } if refusal(r)));
        assert!(at_input || at_output, "{:#?}", outcome.diagnostics);
    }

    fn refused(&self, expected: impl Fn(&OutputRefusal) -> bool) -> Diagnostic {
        let outcome = self.failed_with_nothing_written();
        let found = outcome
            .diagnostics
            .iter()
            .find(|d| matches!(&d.problem, Problem::OutputRefused { refusal, .. } if expected(refusal)))
            .unwrap_or_else(|| panic!("no such refusal: {:#?}", outcome.diagnostics))
            .clone();
        assert!(found.is_error(), "{found:?}");
        // Worded in both languages, naming the file.
        let Problem::OutputRefused { output, .. } = &found.problem else {
            unreachable!()
        };
        for lang in [MessageLanguage::Japanese, MessageLanguage::English] {
            let message = self.workspace.message(&found, lang);
            assert!(message.contains(output.as_str()), "{message}");
        }
        found
    }
}

/// The output and whether it was made from templates or copied, of an output refusal.
fn output_of(d: &Diagnostic) -> (&str, bool, usize) {
    match &d.problem {
        Problem::OutputRefused {
            output,
            copied,
            others,
            ..
        } => (output.as_str(), *copied, *others),
        other => panic!("not an output refusal: {other:?}"),
    }
}

#[test]
fn the_fixture_and_its_theme_build_clean_through_the_verifier() {
    let site = Site::new();
    let outcome = site.build();
    assert!(
        outcome.written && !outcome.has_errors(),
        "{:#?}",
        outcome.diagnostics
    );
}

#[test]
fn an_inline_script_in_a_template_is_refused_once_for_every_page() {
    let site = Site::new();
    site.edit_theme(
        "templates/base.html",
        "</body>",
        "<script>alert(1)</script>\n</body>",
    );
    let found = site.refused(|r| *r == OutputRefusal::InlineScript);
    let (output, copied, others) = output_of(&found);
    assert!(output.ends_with(".html"), "{output}");
    assert!(!copied);
    assert!(others > 0, "every page carries it: {found:?}");
    let english = site.workspace.message(&found, MessageLanguage::English);
    assert!(english.contains("templates"), "{english}");
}

#[test]
fn a_style_sheet_from_another_host_is_refused() {
    let site = Site::new();
    site.edit_theme(
        "templates/base.html",
        "</head>",
        "<link rel=\"stylesheet\" href=\"https://cdn.example/x.css\">\n</head>",
    );
    site.refused(|r| {
        *r == OutputRefusal::OtherHost {
            url: "https://cdn.example/x.css".into(),
        }
    });
}

#[test]
fn an_image_from_a_protocol_relative_address_is_refused() {
    let site = Site::new();
    site.edit_theme(
        "templates/base.html",
        "</main>",
        "<img src=\"//evil.example/x\" alt=\"\">\n</main>",
    );
    site.refused(|r| {
        *r == OutputRefusal::OtherHost {
            url: "//evil.example/x".into(),
        }
    });
}

#[test]
fn an_event_handler_in_a_template_is_refused() {
    let site = Site::new();
    site.edit_theme(
        "templates/base.html",
        "<body class=",
        "<body onload=\"alert(1)\" class=",
    );
    site.refused(|r| {
        *r == OutputRefusal::EventHandler {
            name: "onload".into(),
        }
    });
}

#[test]
fn a_theme_style_sheet_may_not_import_from_another_host() {
    let site = Site::new();
    let css = site.theme.join("static/css/site.css");
    let text = fs::read_to_string(&css).expect("the theme's style sheet");
    fs::write(
        &css,
        format!("@import url(https://evil.example/a.css);\n{text}"),
    )
    .expect("write");
    let found = site.refused(|r| *r == OutputRefusal::ScriptInStyle);
    let (output, copied, _) = output_of(&found);
    assert!(
        output.starts_with("css/site-") && yorisoi::fingerprint::is_hashed_name(output),
        "{output}"
    );
    assert!(copied);
    let location = found
        .location
        .as_ref()
        .expect("located at the theme's file");
    assert_eq!(
        location.file.canonicalize().expect("exists"),
        css.canonicalize().expect("exists")
    );
}

#[test]
fn a_theme_style_sheet_may_not_hide_a_url_in_a_custom_property() {
    let site = Site::new();
    let css = site.theme.join("static/css/site.css");
    let text = fs::read_to_string(&css).expect("the theme's style sheet");
    fs::write(
        &css,
        format!(
            "{text}\n.x {{ --u:\"https://evil.example/p.png\";background-image:image-set(var(--u) 1x) }}\n"
        ),
    )
    .expect("write");
    site.refused(|r| *r == OutputRefusal::UrlInVariable);
}

// A theme's static files meet the input check first (`file_kinds`, the SVG check), which
// names the file where it is; the verifier's own reading of such files is tested in
// `verify`'s unit tests. Here: whichever refuses, nothing is published.

#[test]
fn a_theme_static_page_is_refused_before_it_is_published() {
    let site = Site::new();
    site.add_to_theme("static/x.html", b"<script>alert(1)</script>");
    site.refused_at_input_or_output(
        "static/x.html",
        |p| matches!(p, Problem::UnpublishableFile { .. }),
        |r| *r == OutputRefusal::InlineScript,
    );
}

#[test]
fn a_theme_static_file_of_no_publishable_kind_is_refused() {
    let site = Site::new();
    site.add_to_theme("static/x.php", b"<?php echo 1; ?>");
    site.refused_at_input_or_output(
        "static/x.php",
        |p| matches!(p, Problem::UnpublishableFile { .. }),
        |r| *r == OutputRefusal::FileKind,
    );
}

#[test]
fn an_svg_with_a_style_sheet_instruction_is_refused_from_the_theme_and_the_content() {
    let svg = b"<?xml-stylesheet href=\"https://evil.example/a.xsl\" type=\"text/xsl\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><rect width=\"1\" height=\"1\"/></svg>";
    let instruction = |p: &Problem| matches!(p, Problem::SvgProcessingInstruction { .. });
    let refusal = |r: &OutputRefusal| matches!(r, OutputRefusal::ProcessingInstruction { .. });
    let site = Site::new();
    site.add_to_theme("static/icon.svg", svg);
    site.refused_at_input_or_output("static/icon.svg", instruction, refusal);

    let site = Site::new();
    site.workspace.write("files/map.svg", svg);
    site.refused_at_input_or_output("files/map.svg", instruction, refusal);
}

/// Whether the input checks already refused something in `rel` (then the output
/// refusal, which would repeat it, is left out).
fn input_refused(outcome: &yorisoi::Outcome, rel: &str) -> bool {
    outcome.diagnostics.iter().any(|d| {
        d.is_error()
            && !matches!(d.problem, Problem::OutputRefused { .. })
            && d.location
                .as_ref()
                .is_some_and(|l| l.file == Path::new(rel))
    })
}

/// Builds with `about.ja.md` holding `body` and expects the build to fail with nothing
/// written, on the output refusal `expected` unless an input check refused the page
/// itself first.
fn page_refused(body: &str, expected: OutputRefusal) {
    let site = Site::new();
    site.workspace.write(
        "about.ja.md",
        format!("+++\ntitle = \"センターについて\"\n+++\n\n{body}"),
    );
    let outcome = site.build();
    assert!(!outcome.written && outcome.has_errors(), "{body}");
    assert!(!site.workspace.output.exists(), "{body}");
    if input_refused(&outcome, "about.ja.md") {
        return;
    }
    let found = site.refused(|r| *r == expected);
    assert_eq!(output_of(&found).0, "about/index.html");
    let location = found.location.as_ref().expect("located at the page");
    assert_eq!(location.file, Path::new("about.ja.md"));
}

#[test]
fn an_unfinished_tag_finished_by_the_next_block_is_refused_as_published() {
    page_refused(
        "<div>\n<img src=\"/x\" alt=\"\" title=\"\n\n<b title=\" onerror=alert(document.domain) \">x</b>\n",
        OutputRefusal::EventHandler {
            name: "onerror".into(),
        },
    );
}

#[test]
fn a_heading_attribute_that_runs_script_is_refused_as_published() {
    page_refused(
        "## 見出し {tabindex=0 autofocus onfocus=alert(document.domain)}\n\n本文です。\n",
        OutputRefusal::EventHandler {
            name: "onfocus".into(),
        },
    );
}

#[test]
fn a_feed_whose_title_carries_a_noncharacter_is_never_published() {
    let site = Site::new();
    site.workspace.write(
        "news/_index.ja.md",
        "+++\ntitle = \"お知らせ\"\ndescription = \"お知らせです。\"\n+++\n",
    );
    site.workspace.write(
        "news/2026-03-01-a.ja.md",
        "+++\ntitle = \"お知らせ\\uFFFF\"\ndate = 2026-03-01\n+++\n\n本文です。\n",
    );
    let outcome = site.build();
    assert!(!outcome.written && outcome.has_errors());
    assert!(!site.workspace.output.exists());
    if input_refused(&outcome, "news/2026-03-01-a.ja.md") {
        return;
    }
    site.refused(|r| {
        matches!(
            r,
            OutputRefusal::Character { code: 0xFFFF } | OutputRefusal::NotWellFormed { .. }
        )
    });
}

#[test]
fn a_theme_whose_pages_carry_no_content_security_policy_is_refused() {
    let site = Site::new();
    site.edit_theme(
        "templates/base.html",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{{ site.content_security_policy }}\">",
        "",
    );
    let found = site.refused(|r| {
        *r == OutputRefusal::PolicyMissing {
            policy: BrowserPolicy::ContentSecurity,
        }
    });
    let english = site.workspace.message(&found, MessageLanguage::English);
    assert!(
        english.contains("{{ site.content_security_policy }}"),
        "{english}"
    );
}

#[test]
fn a_theme_whose_pages_carry_another_content_security_policy_is_refused() {
    let site = Site::new();
    site.edit_theme(
        "templates/base.html",
        "content=\"{{ site.content_security_policy }}\"",
        "content=\"default-src *\"",
    );
    site.refused(|r| {
        *r == OutputRefusal::PolicyDiffers {
            policy: BrowserPolicy::ContentSecurity,
            value: "default-src *".into(),
        }
    });
}

#[test]
fn a_theme_whose_pages_load_a_style_sheet_before_their_policy_is_refused() {
    let site = Site::new();
    site.edit_theme(
        "templates/base.html",
        "<meta charset=\"utf-8\">",
        "<meta charset=\"utf-8\">\n<link rel=\"stylesheet\" href=\"{{ site.base_path }}css/site.css\">",
    );
    site.refused(|r| {
        *r == OutputRefusal::PolicyLate {
            policy: BrowserPolicy::ContentSecurity,
        }
    });
}

#[test]
fn a_theme_whose_pages_send_the_referrer_is_refused() {
    let site = Site::new();
    site.edit_theme(
        "templates/base.html",
        "content=\"{{ site.referrer_policy }}\"",
        "content=\"unsafe-url\"",
    );
    site.refused(|r| {
        *r == OutputRefusal::PolicyDiffers {
            policy: BrowserPolicy::Referrer,
            value: "unsafe-url".into(),
        }
    });
}
