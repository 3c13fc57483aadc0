//! The `yorisoi` command as staff run it: exit codes of `build` and `check`, and
//! messages on stderr that start with the file and line to fix.

mod common;

use std::fs;
use std::process::Output;

use common::*;

/// Runs `yorisoi <args>` from inside the workspace, so paths are given as people type
/// them (`--content content`) and appear that way in messages.
fn yorisoi(site: &Workspace, args: &[&str]) -> Output {
    yorisoi_command()
        .args(args)
        .args(["--content", "content", "--now", NOW, "--theme"])
        .arg(theme_dir())
        .current_dir(site.dir.path())
        .output()
        .expect("run yorisoi")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("messages are UTF-8")
}

fn exit_code(output: &Output) -> i32 {
    output.status.code().expect("yorisoi exits normally")
}

/// The basic site with every page translated: nothing to warn about.
fn complete_site() -> Workspace {
    let site = Workspace::copy_of("basic");
    site.write(
        "services/visit.en.md",
        "+++\ntitle = \"Visiting the centre\"\n+++\n\nBy appointment.\n",
    );
    site
}

#[test]
fn build_succeeds_despite_a_warning_and_shows_it() {
    let site = Workspace::copy_of("basic");
    let run = yorisoi(&site, &["build"]);
    let messages = stderr(&run);
    assert_eq!(exit_code(&run), 0, "{messages}");
    assert!(site.output.join("index.html").is_file());
    assert!(
        messages.contains("content/services/visit.ja.md:1:1: 警告"),
        "{messages}"
    );
    assert!(
        messages.contains("services/visit.en.md"),
        "the missing file is named: {messages}"
    );
}

#[test]
fn check_fails_on_a_warning_and_writes_nothing() {
    let site = Workspace::copy_of("basic");
    let run = yorisoi(&site, &["check", "--messages", "en"]);
    let messages = stderr(&run);
    assert_eq!(exit_code(&run), 1, "{messages}");
    assert!(
        messages.contains("content/services/visit.ja.md:1:1: warning:"),
        "{messages}"
    );
    assert!(!site.output.exists());
}

#[test]
fn check_passes_a_site_without_problems() {
    let site = complete_site();
    let run = yorisoi(&site, &["check"]);
    assert_eq!(exit_code(&run), 0, "{}", stderr(&run));
    let build = yorisoi(&site, &["build"]);
    assert_eq!(exit_code(&build), 0, "{}", stderr(&build));
}

#[test]
fn build_fails_on_an_error_and_says_where_it_is() {
    let site = complete_site();
    site.write(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\ntitel = \"センター\"\n+++\n",
    );
    let run = yorisoi(&site, &["build"]);
    let messages = stderr(&run);
    assert_eq!(exit_code(&run), 1, "{messages}");
    assert!(
        messages.contains("content/about.ja.md:3:1: エラー"),
        "{messages}"
    );
    assert!(messages.contains("「title」"), "{messages}");
    // The offending line is quoted under the message.
    assert!(messages.contains(" 3 | titel = \"センター\""), "{messages}");
    assert!(!site.output.exists(), "nothing is written on error");
}

#[test]
fn messages_can_be_in_english() {
    let site = complete_site();
    site.write(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\ntitel = \"x\"\n+++\n",
    );
    let run = yorisoi(&site, &["check", "--messages", "en"]);
    let messages = stderr(&run);
    assert_eq!(exit_code(&run), 1, "{messages}");
    assert!(
        messages.contains("content/about.ja.md:3:1: error:"),
        "{messages}"
    );
    assert!(messages.contains("Did you mean \"title\"?"), "{messages}");
}

/// `check` on a site with one misspelt key, in the environment given.
fn check_with_locale(vars: &[(&str, &str)], args: &[&str]) -> String {
    let site = complete_site();
    site.write(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\ntitel = \"x\"\n+++\n",
    );
    let run = yorisoi_command()
        .envs(vars.iter().copied())
        .args(["check", "--content", "content", "--now", NOW, "--theme"])
        .arg(theme_dir())
        .args(args)
        .current_dir(site.dir.path())
        .output()
        .expect("run yorisoi");
    assert_eq!(exit_code(&run), 1);
    stderr(&run)
}

#[test]
fn messages_follow_the_locale_unless_the_flag_says_otherwise() {
    const ENGLISH: &str = "content/about.ja.md:3:1: error:";
    const JAPANESE: &str = "content/about.ja.md:3:1: エラー:";
    // The environment, the flags, and the start of the message they give.
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str], &'a str);
    let cases: [Case; 7] = [
        (&[], &[], JAPANESE),
        (&[("LANG", "C")], &[], JAPANESE),
        (&[("LANG", "en_US.UTF-8")], &[], ENGLISH),
        (&[("LANG", "ja_JP.UTF-8")], &[], JAPANESE),
        (
            &[("LC_ALL", "ja_JP.UTF-8"), ("LANG", "en_US.UTF-8")],
            &[],
            JAPANESE,
        ),
        (
            &[("LC_MESSAGES", "en_GB.UTF-8"), ("LANG", "ja_JP.UTF-8")],
            &[],
            ENGLISH,
        ),
        (&[("LANG", "en_US.UTF-8")], &["--messages", "ja"], JAPANESE),
    ];
    for (vars, args, expected) in cases {
        let messages = check_with_locale(vars, args);
        assert!(messages.contains(expected), "{vars:?} {args:?}: {messages}");
    }
}

#[test]
fn a_failed_build_keeps_the_last_good_site() {
    let site = complete_site();
    assert_eq!(exit_code(&yorisoi(&site, &["build"])), 0);
    let before = snapshot(&site.output);
    site.write(
        "access.en.md",
        "+++\ntitle = \"Access\"\n+++\n\n[Map](/en/map/)\n",
    );
    let run = yorisoi(&site, &["build"]);
    assert_eq!(exit_code(&run), 1);
    assert!(
        stderr(&run).contains("content/access.en.md:5:1:"),
        "{}",
        stderr(&run)
    );
    assert_eq!(snapshot(&site.output), before);
}

#[test]
fn build_refuses_the_project_folder_as_output() {
    let site = complete_site();
    let before = snapshot(site.dir.path());
    for output in [".", "content", "content/.."] {
        let run = yorisoi(&site, &["build", "--output", output]);
        assert_eq!(exit_code(&run), 1, "--output {output}: {}", stderr(&run));
        assert_eq!(
            snapshot(site.dir.path()),
            before,
            "--output {output} changed files"
        );
    }
}

#[test]
fn base_url_flag_sets_the_published_address() {
    let site = complete_site();
    let run = yorisoi(
        &site,
        &["build", "--base-url", "https://www.example.org/centre"],
    );
    assert_eq!(exit_code(&run), 0, "{}", stderr(&run));
    let page = fs::read_to_string(site.output.join("en/access/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&page);
    let canonical = attr(one(&doc, r#"link[rel="canonical"]"#), "href");
    assert_eq!(canonical, "https://www.example.org/centre/en/access/");
}

#[test]
fn an_unreadable_now_is_refused_before_building() {
    let site = complete_site();
    let run = yorisoi_command()
        .args(["build", "--content", "content", "--now", "2026/4/8"])
        .current_dir(site.dir.path())
        .output()
        .unwrap();
    assert!(!run.status.success());
    assert!(stderr(&run).contains("2026/4/8"), "{}", stderr(&run));
    assert!(!site.output.exists());
}

/// Runs `yorisoi new news <slug>` in the workspace, dated by the pinned "now".
fn new_news(site: &Workspace, slug: &str) -> Output {
    yorisoi_command()
        .args([
            "new",
            "news",
            slug,
            "--content",
            "content",
            "--now",
            NOW,
            "--theme",
        ])
        .arg(theme_dir())
        .current_dir(site.dir.path())
        .output()
        .expect("run yorisoi new")
}

#[test]
fn new_news_starts_a_dated_draft_in_each_language_and_prints_the_paths() {
    let site = complete_site();
    site.write("news/_index.ja.md", "+++\ntitle = \"お知らせ\"\n+++\n");
    site.write("news/_index.en.md", "+++\ntitle = \"Announcements\"\n+++\n");
    let run = new_news(&site, "family-meeting");
    assert_eq!(exit_code(&run), 0, "{}", stderr(&run));
    let printed = String::from_utf8(run.stdout).expect("UTF-8");
    assert_eq!(
        printed,
        "content/news/2026-11-21-family-meeting.ja.md\ncontent/news/2026-11-21-family-meeting.en.md\n"
    );
    let ja = fs::read_to_string(site.content.join("news/2026-11-21-family-meeting.ja.md"))
        .expect("the Japanese file");
    assert!(ja.contains("\ndate = 2026-11-21\n"), "{ja}");
    assert!(ja.contains("\ndraft = true\n"), "{ja}");
    let en = fs::read_to_string(site.content.join("news/2026-11-21-family-meeting.en.md"))
        .expect("the English file");
    assert!(en.contains("title = \"Title of the announcement\""), "{en}");
    // The new files are valid content: the site still checks clean, and as drafts they
    // are not published.
    let check = yorisoi(&site, &["check"]);
    assert_eq!(exit_code(&check), 0, "{}", stderr(&check));
    let build = yorisoi(&site, &["build"]);
    assert_eq!(exit_code(&build), 0, "{}", stderr(&build));
    assert!(!site.output.join("news/2026-11-21-family-meeting").exists());
}

#[test]
fn new_news_refuses_to_overwrite_and_creates_nothing() {
    let site = complete_site();
    site.write(
        "news/2026-11-21-family-meeting.en.md",
        "+++\ntitle = \"Already written\"\ndate = 2026-11-21\n+++\n",
    );
    let run = new_news(&site, "family-meeting");
    assert_eq!(exit_code(&run), 1);
    let messages = stderr(&run);
    assert!(
        messages.contains(
            "content/news/2026-11-21-family-meeting.en.md:1:1: エラー: このファイルはすでにあります"
        ),
        "{messages}"
    );
    assert!(run.stdout.is_empty());
    assert!(
        !site
            .content
            .join("news/2026-11-21-family-meeting.ja.md")
            .exists(),
        "no half-made pair"
    );
    let kept = fs::read_to_string(site.content.join("news/2026-11-21-family-meeting.en.md"))
        .expect("kept");
    assert!(kept.contains("Already written"));
}

#[test]
fn new_news_rejects_a_slug_that_cannot_be_a_url() {
    let site = complete_site();
    let run = new_news(&site, "家族会");
    assert_eq!(exit_code(&run), 1);
    assert!(stderr(&run).contains("「家族会」は URL に使えない名前です"));
    assert!(!site.content.join("news").exists());
}

#[test]
fn a_new_announcement_published_with_its_placeholders_stops_the_build() {
    let site = complete_site();
    site.write("news/_index.ja.md", "+++\ntitle = \"お知らせ\"\n+++\n");
    site.write("news/_index.en.md", "+++\ntitle = \"Announcements\"\n+++\n");
    let run = new_news(&site, "family-meeting");
    assert_eq!(exit_code(&run), 0, "{}", stderr(&run));
    let before = snapshot_after_build(&site);
    // The author deletes the draft line but forgets to write the announcement.
    for lang in ["ja", "en"] {
        let path = site
            .content
            .join(format!("news/2026-11-21-family-meeting.{lang}.md"));
        let text = fs::read_to_string(&path).expect("the new file");
        fs::write(&path, text.replace("draft = true\n", "")).expect("write");
    }
    let build = yorisoi(&site, &["build"]);
    let messages = stderr(&build);
    assert_eq!(exit_code(&build), 1, "{messages}");
    assert!(
        messages.contains("content/news/2026-11-21-family-meeting.ja.md:2:1: エラー: 題名（title）が、yorisoi new が入れた仮の文のままです"),
        "{messages}"
    );
    assert!(
        messages.contains("content/news/2026-11-21-family-meeting.en.md:8:1: エラー: 本文が"),
        "{messages}"
    );
    assert_eq!(
        snapshot(&site.output),
        before,
        "the published site is untouched"
    );
}

/// Builds the site and returns the bytes of its output.
fn snapshot_after_build(site: &Workspace) -> std::collections::BTreeMap<String, Vec<u8>> {
    let build = yorisoi(site, &["build"]);
    assert_eq!(exit_code(&build), 0, "{}", stderr(&build));
    snapshot(&site.output)
}

#[test]
fn check_shows_notices_and_fails_on_them_only_when_strict() {
    let site = complete_site();
    site.write(
        "sources.toml",
        "[[source]]\nid = \"leaflet-2026\"\ntitle.ja = \"古い資料\"\nyear = 2014\n",
    );
    let run = yorisoi(&site, &["check", "--messages", "en"]);
    let messages = stderr(&run);
    assert_eq!(exit_code(&run), 0, "{messages}");
    assert!(
        messages.contains("content/sources.toml:2:1: notice: the 3 facts from the source \"leaflet-2026\" hold as of 2014, over a year ago"),
        "{messages}"
    );
    assert!(
        messages.contains(" (they do not stop publishing)"),
        "{messages}"
    );
    // It says why it failed: the notices, under --strict.
    let strict = yorisoi(&site, &["check", "--strict"]);
    assert_eq!(exit_code(&strict), 1, "{}", stderr(&strict));
    assert!(
        stderr(&strict).contains(" 件。--strict では要確認も失敗として扱うため、この確認は失敗です（終了コード 1）。上の「要確認」をひとつずつ確かめて直してください。公開を止めない知らせとして見るだけなら、--strict なしで実行してください。"),
        "{}",
        stderr(&strict)
    );
    let strict = yorisoi(&site, &["check", "--strict", "--messages", "en"]);
    assert!(
        stderr(&strict).contains(
            ". With --strict, notices count as failures, so this check failed (exit code 1)"
        ),
        "{}",
        stderr(&strict)
    );
    assert!(!stderr(&strict).contains("they do not stop publishing"));
}

/// `check` fails on warnings, and says so under the counts.
#[test]
fn check_says_it_fails_on_warnings() {
    let site = complete_site();
    site.write(
        "extra.ja.md",
        "+++\ntitle = \"追加\"\n+++\n\n追加のページです。\n",
    );
    let run = yorisoi(&site, &["check", "--messages", "en"]);
    assert_eq!(exit_code(&run), 1, "{}", stderr(&run));
    assert!(
        stderr(&run).contains("check fails on warnings (exit code 1): correct the warnings above."),
        "{}",
        stderr(&run)
    );
    let built = yorisoi(&site, &["build", "--messages", "en"]);
    assert_eq!(exit_code(&built), 0, "{}", stderr(&built));
    assert!(!stderr(&built).contains("fails on warnings"));
}

/// Runs `yorisoi new page <path>` in the workspace.
fn new_page(site: &Workspace, path: &str) -> Output {
    yorisoi_command()
        .args(["new", "page", path, "--content", "content", "--theme"])
        .arg(theme_dir())
        .current_dir(site.dir.path())
        .output()
        .expect("run yorisoi new page")
}

#[test]
fn new_page_starts_a_draft_in_each_language_and_never_overwrites() {
    let site = complete_site();
    let run = new_page(&site, "services/family-class");
    assert_eq!(exit_code(&run), 0, "{}", stderr(&run));
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "content/services/family-class.ja.md\ncontent/services/family-class.en.md\n"
    );
    let ja = fs::read_to_string(site.content.join("services/family-class.ja.md")).unwrap();
    assert!(ja.starts_with("+++\ntitle = \"ページの題名\"\n"), "{ja}");
    assert!(ja.contains("\ndraft = true\n+++\n"), "{ja}");
    assert!(!ja.contains("date ="), "a page is not dated: {ja}");
    // A draft builds, and is not published.
    let build = yorisoi(&site, &["build"]);
    assert_eq!(exit_code(&build), 0, "{}", stderr(&build));
    assert!(!site.output.join("services/family-class").exists());

    site.write("services/family-class.en.md", "Already written");
    let again = new_page(&site, "services/family-class");
    assert_eq!(exit_code(&again), 1);
    assert!(
        stderr(&again).contains("このファイルはすでにあります"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        fs::read_to_string(site.content.join("services/family-class.en.md")).unwrap(),
        "Already written"
    );
    for bad in [
        "Family",
        "family class",
        "../outside",
        "services//x",
        "家族教室",
        "family_class",
    ] {
        let run = new_page(&site, bad);
        assert_eq!(exit_code(&run), 1, "{bad}");
        assert!(run.stdout.is_empty(), "{bad}");
    }
    // The README's one rule, with the name it should have had.
    let run = new_page(&site, "family_class");
    assert!(stderr(&run).contains("family-class"), "{}", stderr(&run));
    assert!(!site.dir.path().join("outside.ja.md").exists());
}

#[test]
fn a_new_page_published_with_its_placeholders_stops_the_build() {
    let site = complete_site();
    assert_eq!(exit_code(&new_page(&site, "family-class")), 0);
    for lang in ["ja", "en"] {
        let path = site.content.join(format!("family-class.{lang}.md"));
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace("draft = true\n", "")).unwrap();
    }
    let build = yorisoi(&site, &["build", "--messages", "en"]);
    let messages = stderr(&build);
    assert_eq!(exit_code(&build), 1, "{messages}");
    assert!(
        messages.contains("content/family-class.en.md:2:1: error: the title is still the placeholder that yorisoi new wrote"),
        "{messages}"
    );
}

#[test]
fn init_makes_a_site_that_builds_and_passes_check_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new-centre");
    let run = yorisoi_command().arg("init").arg(&dir).output().unwrap();
    assert_eq!(exit_code(&run), 0, "{}", stderr(&run));
    assert!(stderr(&run).contains("新しいサイトを"), "{}", stderr(&run));
    // The theme it carries is the default theme as it stands, file for file.
    let theme = snapshot(&dir.join("themes/default"));
    assert_eq!(theme, snapshot(&theme_dir()));

    let in_site = |args: &[&str]| {
        yorisoi_command()
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    let check = in_site(&["check", "--messages", "en"]);
    assert_eq!(exit_code(&check), 0, "{}", stderr(&check));
    assert!(
        stderr(&check).contains("0 errors, 0 warnings"),
        "{}",
        stderr(&check)
    );
    let build = in_site(&["build"]);
    assert_eq!(exit_code(&build), 0, "{}", stderr(&build));
    for page in [
        "index.html",
        "en/index.html",
        "about/index.html",
        "en/about/index.html",
    ] {
        assert!(dir.join("public").join(page).is_file(), "{page}");
    }

    let before = snapshot(&dir);
    let again = yorisoi_command().arg("init").arg(&dir).output().unwrap();
    assert_eq!(exit_code(&again), 1);
    assert_eq!(snapshot(&dir), before, "nothing changed");
}

/// `yorisoi <args>` with nothing but the locale set, as a person types it.
fn in_locale(locale: &str, args: &[&str]) -> Output {
    yorisoi_command()
        .env("LANG", locale)
        .args(args)
        .output()
        .expect("run yorisoi")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("help is UTF-8")
}

/// Every command's help is in the locale's language: under a Japanese locale, none of
/// clap's English words (its headings, defaults, possible values, its help flag).
#[test]
fn help_of_every_command_follows_the_locale() {
    let commands: [&[&str]; 8] = [
        &[],
        &["build"],
        &["check"],
        &["serve"],
        &["new"],
        &["new", "news"],
        &["new", "page"],
        &["init"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let ja = in_locale("ja_JP.UTF-8", &args);
        assert_eq!(exit_code(&ja), 0, "{command:?}");
        let help = stdout(&ja);
        assert!(help.contains("使い方: yorisoi"), "{command:?}: {help}");
        for english in [
            "Usage",
            "Options",
            "Commands",
            "Arguments",
            "Print help",
            "default:",
            "possible values",
            "[OPTIONS]",
            "<COMMAND>",
            "Build",
            "Check",
            "Start",
        ] {
            assert!(
                !help.contains(english),
                "{command:?} says {english:?}: {help}"
            );
        }
        let en = in_locale("en_US.UTF-8", &args);
        assert!(stdout(&en).contains("Usage: yorisoi"), "{command:?}");
        // --messages chooses, whatever the locale.
        args.extend(["--messages", "en"]);
        assert!(
            stdout(&in_locale("ja_JP.UTF-8", &args)).contains("Usage: yorisoi"),
            "{command:?}"
        );
    }
    // `yorisoi help check` is `yorisoi check --help`.
    let help = in_locale("ja_JP.UTF-8", &["help", "check"]);
    assert_eq!(exit_code(&help), 0);
    assert!(stdout(&help).contains("--strict"), "{}", stdout(&help));
    assert!(stdout(&help).contains("「要確認」"), "{}", stdout(&help));
}

/// A command typed wrong is answered in the locale's language, with what was probably
/// meant, the command's usage and where to read more; exit code 2.
#[test]
fn a_command_typed_wrong_is_answered_in_the_locale() {
    let typo = in_locale("ja_JP.UTF-8", &["biuld"]);
    assert_eq!(exit_code(&typo), 2);
    assert_eq!(
        stderr(&typo),
        "エラー: 「biuld」というコマンドはありません。「build」のことですか？\n\n使い方: yorisoi <コマンド>\n\n詳しくは yorisoi --help をご覧ください（コマンドごとに yorisoi build --help など）。\n"
    );
    let flag = in_locale("ja_JP.UTF-8", &["build", "--outptu", "x"]);
    assert_eq!(exit_code(&flag), 2);
    assert!(
        stderr(&flag).starts_with("エラー: 「--outptu」というオプションはありません。「--output」のことですか？\n\n使い方: yorisoi build [オプション]"),
        "{}",
        stderr(&flag)
    );
    let value = in_locale("C", &["check", "--messages", "fr"]);
    assert!(
        stderr(&value)
            .starts_with("エラー: --messages <LANG> の値「fr」は使えません。使える値: ja, en"),
        "{}",
        stderr(&value)
    );
    let missing = in_locale("ja_JP.UTF-8", &["new", "page"]);
    assert!(
        stderr(&missing).starts_with("エラー: <PATH> を指定してください。"),
        "{}",
        stderr(&missing)
    );
    let english = in_locale("en_GB.UTF-8", &["biuld"]);
    assert!(
        stderr(&english).contains("unrecognized subcommand 'biuld'"),
        "{}",
        stderr(&english)
    );
}
