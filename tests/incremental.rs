//! A rebuild after an edit gives exactly what a cold build of the same files gives: the
//! same bytes at the same paths, and the same problems.
//!
//! A rebuild renders only the routes the outputs say an edit touches, so a route an
//! output forgot about keeps its old bytes and nothing else notices: the page is just
//! quietly out of date. These tests walk the bundled site through the edits people
//! make (text, titles, new and renamed pages, announcements, drafts, data files, the
//! theme, mistakes and their fixes) and after every single step compare the rebuild
//! with a fresh build from scratch, file by file.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;
use yorisoi::diagnostics::{Diagnostic, Problem};
use yorisoi::{BuildOptions, Engine, MemorySink, Report};

/// A writable copy of the bundled site and its theme, an engine that has built it, and
/// what that engine has put in memory so far.
struct Session {
    _dir: TempDir,
    content: PathBuf,
    theme: PathBuf,
    options: BuildOptions,
    engine: Engine,
    sink: MemorySink,
    steps: usize,
}

impl Session {
    /// Copies the bundled site and the default theme into a temporary folder. Nothing
    /// is built until [`Session::start`], so the copy can be set up first.
    fn new(include_drafts: bool) -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let content = dir.path().join("content");
        let theme = dir.path().join("themes/default");
        // The checked-in site: the steps below name its files and count its
        // announcements.
        common::copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
            &content,
        );
        common::copy_dir(&common::theme_dir(), &theme);
        let options = BuildOptions {
            content: content.clone(),
            output: dir.path().join("public"),
            theme_dir: Some(theme.clone()),
            base_url: None,
            include_drafts,
            served_from: None,
            // Today, as staff build: whatever the bundled pages are dated, they are
            // published, and every rebuild is compared with a cold build at this moment.
            now: common::bundled_now(),
        };
        Session {
            _dir: dir,
            content,
            theme,
            engine: Engine::new(options.clone()),
            options,
            sink: MemorySink::default(),
            steps: 0,
        }
    }

    /// The first, cold build of the engine that then rebuilds after each edit.
    fn start(mut self) -> Self {
        let report = self.engine.build(&self.sink);
        assert!(
            !report.has_errors(),
            "the bundled site should build: {:#?}",
            report.diagnostics
        );
        assert!(
            self.sink.files().len() > 20,
            "a whole site was built into memory"
        );
        self
    }

    /// Writes a file of the content folder and returns its absolute path.
    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.content.join(rel);
        fs::create_dir_all(path.parent().expect("a file has a parent")).expect("mkdir");
        fs::write(&path, text).expect("write content file");
        path
    }

    /// Replaces the one occurrence of `from` in a file below `root`; the edit must
    /// change something, or a step would compare two builds of the same files.
    fn replace_in(root: &Path, rel: &str, from: &str, to: &str) -> PathBuf {
        let path = root.join(rel);
        let text = fs::read_to_string(&path).expect("read file to edit");
        assert_eq!(
            text.matches(from).count(),
            1,
            "{rel} should contain {from:?} once"
        );
        fs::write(&path, text.replacen(from, to, 1)).expect("write edited file");
        path
    }

    fn replace(&self, rel: &str, from: &str, to: &str) -> PathBuf {
        Self::replace_in(&self.content, rel, from, to)
    }

    fn append(&self, rel: &str, more: &str) -> PathBuf {
        let path = self.content.join(rel);
        let mut text = fs::read_to_string(&path).expect("read file to edit");
        text.push_str(more);
        fs::write(&path, text).expect("write edited file");
        path
    }

    fn remove(&self, rel: &str) -> PathBuf {
        let path = self.content.join(rel);
        fs::remove_file(&path).expect("remove content file");
        path
    }

    /// Renames a file; both paths are what a watcher reports.
    fn rename(&self, from: &str, to: &str) -> Vec<PathBuf> {
        let (old, new) = (self.content.join(from), self.content.join(to));
        fs::rename(&old, &new).expect("rename content file");
        vec![old, new]
    }

    /// Rebuilds after `changed`, builds the same files again from scratch, and fails
    /// on the first difference. Returns the rebuild's report.
    fn step(&mut self, what: &str, changed: &[PathBuf]) -> Report {
        self.steps += 1;
        let what = format!("step {} ({what})", self.steps);
        let report = self.engine.rebuild(changed, &self.sink);
        let cold_sink = MemorySink::default();
        let cold = Engine::new(self.options.clone()).build(&cold_sink);
        assert_same_files(&what, &self.sink.files(), &cold_sink.files());
        assert_same_diagnostics(&what, &report.diagnostics, &cold.diagnostics);
        assert_eq!(report.pages, cold.pages, "{what}: pages counted");
        report
    }

    /// The files of the current output (after the last step).
    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        self.sink.files()
    }

    fn text_of(&self, path: &str) -> String {
        let bytes = self
            .sink
            .get(path)
            .unwrap_or_else(|| panic!("{path} should be in the output"));
        String::from_utf8(bytes).expect("UTF-8 output")
    }
}

/// Fails naming the first path whose bytes differ, with the first differing lines.
fn assert_same_files(
    what: &str,
    rebuilt: &BTreeMap<String, Vec<u8>>,
    cold: &BTreeMap<String, Vec<u8>>,
) {
    let paths: std::collections::BTreeSet<&String> = rebuilt.keys().chain(cold.keys()).collect();
    for path in paths {
        match (rebuilt.get(path), cold.get(path)) {
            (Some(a), Some(b)) if a == b => {}
            (Some(a), Some(b)) => panic!(
                "{what}: {path} differs from a cold build\n{}",
                short_diff(a, b)
            ),
            (Some(_), None) => panic!("{what}: {path} is left over; a cold build has none"),
            (None, Some(_)) => panic!("{what}: {path} is missing; a cold build writes it"),
            (None, None) => unreachable!("the path came from one of the maps"),
        }
    }
}

/// The first line where two files part, with a little context, as `-` (rebuilt) and
/// `+` (cold) lines.
fn short_diff(rebuilt: &[u8], cold: &[u8]) -> String {
    let (a, b) = (
        String::from_utf8_lossy(rebuilt),
        String::from_utf8_lossy(cold),
    );
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let first = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let mut out = format!("first difference at line {}:\n", first + 1);
    for line in a.iter().skip(first.saturating_sub(2)).take(5) {
        out.push_str(&format!("- {line}\n"));
    }
    for line in b.iter().skip(first.saturating_sub(2)).take(5) {
        out.push_str(&format!("+ {line}\n"));
    }
    out
}

/// Fails listing the problems only one of the two builds found.
fn assert_same_diagnostics(what: &str, rebuilt: &[Diagnostic], cold: &[Diagnostic]) {
    if rebuilt == cold {
        return;
    }
    let only_rebuilt: Vec<_> = rebuilt.iter().filter(|d| !cold.contains(d)).collect();
    let only_cold: Vec<_> = cold.iter().filter(|d| !rebuilt.contains(d)).collect();
    panic!(
        "{what}: the problems differ from a cold build\nonly in the rebuild: {only_rebuilt:#?}\n\
         only in the cold build: {only_cold:#?}\n(same sets in another order or count: {})",
        only_rebuilt.is_empty() && only_cold.is_empty()
    );
}

fn errors(report: &Report) -> Vec<&Diagnostic> {
    report.diagnostics.iter().filter(|d| d.is_error()).collect()
}

fn has(report: &Report, file: &str, wanted: impl Fn(&Problem) -> bool) -> bool {
    report.diagnostics.iter().any(|d| {
        wanted(&d.problem)
            && d.location
                .as_ref()
                .is_some_and(|l| l.file == Path::new(file))
    })
}

/// How many HTML pages of one language a build has (the 404 pages aside): the bundled site
/// puts English below `en/`.
fn pages_in(files: &BTreeMap<String, Vec<u8>>, lang: &str) -> usize {
    files
        .keys()
        .filter(|f| f.ends_with(".html") && !common::is_not_found_page(f))
        .filter(|f| common::language_of_file(f) == lang)
        .count()
}

fn announcement(title: &str, date: &str, text: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = {date}\ndescription = \"{title}。\"\n+++\n\n{text}\n")
}

#[test]
fn page_edits_rebuild_like_a_cold_build() {
    let mut s = Session::new(false).start();

    // Text only: the page itself is rendered again, and little else.
    let about = s.append(
        "about.ja.md",
        "\nご不明な点は、どうぞお気軽にお問い合わせください。\n",
    );
    let report = s.step("text of about.ja.md", &[about]);
    assert!(
        (1..10).contains(&report.rendered),
        "a text edit renders a handful of routes, not {}",
        report.rendered
    );
    assert!(s.text_of("about/index.html").contains("どうぞお気軽に"));

    // A path relative to the content folder.
    s.append("about.en.md", "\nPlease ask us if anything is unclear.\n");
    let report = s.step(
        "text of about.en.md, relative path",
        &["about.en.md".into()],
    );
    assert!((1..10).contains(&report.rendered), "{}", report.rendered);

    // A path may be written the way people type it.
    s.append("access.ja.md", "\nお車でお越しの際はご相談ください。\n");
    s.step("text of access.ja.md, ./ path", &["./access.ja.md".into()]);

    // A page file without a language in its name is refused, and then renamed right.
    let unnamed = s.write(
        "services/outreach.md",
        "+++\ntitle = \"訪問\"\n+++\n\n訪問します。\n",
    );
    let report = s.step("page without a language", std::slice::from_ref(&unnamed));
    assert!(has(&report, "services/outreach.md", |p| matches!(
        p,
        Problem::NoLanguageInFileName { .. }
    )));
    let renamed = s.rename("services/outreach.md", "services/outreach.ja.md");
    s.step("page given its language", &renamed);
    s.remove("services/outreach.ja.md");
    s.step("page removed", &["services/outreach.ja.md".into()]);

    // A menu page's title is on every page of its language.
    let about = s.replace(
        "about.ja.md",
        "title = \"ひきこもりとは\"",
        "title = \"「ひきこもり」について\"",
    );
    let report = s.step("title of a menu page", &[about]);
    let ja_pages = pages_in(&s.files(), "ja");
    assert!(
        report.rendered >= ja_pages,
        "a menu title renders every Japanese page ({ja_pages}), not {}",
        report.rendered
    );
    assert!(s.text_of("index.html").contains("「ひきこもり」について"));

    // A title shown in a section's list, the site map and the breadcrumbs below it.
    let families = s.replace(
        "services/families.ja.md",
        "title = \"ご本人・ご家族の方へ\"",
        "title = \"ご本人とご家族の方へ\"",
    );
    s.step("title of a page in a section", &[families]);

    // A new page and its translation.
    let ja = s.write(
        "services/groups.ja.md",
        "+++\ntitle = \"家族会\"\ndescription = \"家族会のご案内です。\"\n+++\n\n毎月開いています。\n",
    );
    let en = s.write(
        "services/groups.en.md",
        "+++\ntitle = \"Family meetings\"\ndescription = \"About the family meetings.\"\n+++\n\nHeld every month.\n",
    );
    s.step("new page and its translation", &[ja, en]);
    assert!(s.files().contains_key("en/services/groups/index.html"));

    // A page in one language only is published with a warning.
    let ja = s.write(
        "services/visits.ja.md",
        "+++\ntitle = \"訪問支援\"\ndescription = \"訪問支援のご案内です。\"\n+++\n\nご相談ください。\n",
    );
    let report = s.step("page without a translation", &[ja]);
    assert!(has(&report, "services/visits.ja.md", |p| matches!(
        p,
        Problem::MissingTranslation { lang, .. } if lang == "en"
    )));

    // An easy-Japanese version of that page: the easy menu, the switcher of the
    // standard page (now leading to it) and the notice of the variant's coverage.
    let easy = s.write(
        "services/visits.ja-easy.md",
        "+++\ntitle = \"{家|いえ}に {行|い}く {支援|しえん}\"\nmenu = true\n+++\n\n{相談|そうだん}して ください。\n",
    );
    s.step("new easy-Japanese page", &[easy]);
    assert!(s.files().contains_key("easy/services/visits/index.html"));
    let easy_word = s.replace(
        "services/visits.ja-easy.md",
        "{相談|そうだん}して",
        "{電話|でんわ}して",
    );
    s.step("edit an easy-Japanese page", &[easy_word]);
    let lint = s.replace(
        "services/visits.ja-easy.md",
        "{電話|でんわ}して",
        "電話して",
    );
    let report = s.step("an easy-Japanese page breaking a rule", &[lint]);
    assert!(has(&report, "services/visits.ja-easy.md", |p| matches!(
        p,
        Problem::EasyJapanese { .. }
    )));
    let gone = s.remove("services/visits.ja-easy.md");
    s.step("delete an easy-Japanese page", &[gone]);
    assert!(!s.files().contains_key("easy/services/visits/index.html"));

    // Deleting a page, and its translation's warning.
    let en = s.remove("services/groups.en.md");
    let report = s.step("delete a page", &[en]);
    assert!(!s.files().contains_key("en/services/groups/index.html"));
    assert!(has(&report, "services/groups.ja.md", |p| matches!(
        p,
        Problem::MissingTranslation { .. }
    )));

    // Renaming a page another page links to breaks that link in both builds alike...
    let renamed = s.rename(
        "news/2025-01-31-support-handbook.ja.md",
        "news/2025-01-31-handbook.ja.md",
    );
    let report = s.step("rename a linked page", &renamed);
    assert!(
        has(&report, "services/supporters.ja.md", |p| matches!(
            p,
            Problem::BrokenLink { .. }
        )),
        "{:#?}",
        report.diagnostics
    );
    // ...and fixing the links clears it.
    let fixed: Vec<PathBuf> = ["services/supporters.ja.md", "about.ja.md"]
        .into_iter()
        .map(|rel| {
            s.replace(
                rel,
                "@/news/2025-01-31-support-handbook.md",
                "@/news/2025-01-31-handbook.md",
            )
        })
        .collect();
    let report = s.step("fix the links", &fixed);
    assert!(errors(&report).is_empty(), "{:#?}", errors(&report));

    // A text edit together with a change other pages show: both are rendered.
    let privacy = s.append("privacy.ja.md", "\nこのページは随時見直します。\n");
    let visits = s.remove("services/visits.ja.md");
    s.step("text edit and a deletion at once", &[privacy, visits]);

    // A page becomes a section when pages are put inside it: the site map shows them
    // below it from then on, though nothing it shows of itself changed.
    let ja = s.write(
        "services/families/meetings.ja.md",
        "+++\ntitle = \"家族会\"\ndescription = \"家族会のご案内です。\"\n+++\n\n毎月開いています。\n",
    );
    s.step("a page inside a page", &[ja]);
    let mut moved = s.rename("services/families.ja.md", "services/families/_index.ja.md");
    moved.extend(s.rename("services/families.en.md", "services/families/_index.en.md"));
    s.step("the page made a section", &moved);
    moved.reverse();
    for pair in moved.chunks(2) {
        fs::rename(&pair[0], &pair[1]).expect("move back");
    }
    s.step("the section made a page again", &moved);
    let meetings = s.remove("services/families/meetings.ja.md");
    s.step("the page inside removed", &[meetings]);

    // A page whose front matter is broken is an error in both builds, and other pages
    // linking to it are not reported too; fixing it recovers the site.
    let about_text = fs::read_to_string(s.content.join("about.ja.md")).expect("read");
    let about = s.write(
        "about.ja.md",
        &about_text.replacen("title = ", "title = = ", 1),
    );
    let report = s.step("invalid front matter", std::slice::from_ref(&about));
    assert!(
        has(&report, "about.ja.md", |p| matches!(
            p,
            Problem::InvalidToml { .. }
        )),
        "{:#?}",
        report.diagnostics
    );
    s.write("about.ja.md", &about_text);
    let report = s.step("front matter fixed", &[about]);
    assert!(errors(&report).is_empty(), "{:#?}", errors(&report));
}

#[test]
fn announcements_rebuild_like_a_cold_build() {
    let mut s = Session::new(false).start();
    let newest = |f: &BTreeMap<String, Vec<u8>>| {
        String::from_utf8(f["news/feed.xml"].clone()).expect("UTF-8 feed")
    };

    let ja = s.write(
        "news/2026-11-24-open-day.ja.md",
        &announcement("見学会を開きます", "2026-11-24", "どなたでもどうぞ。"),
    );
    let en = s.write(
        "news/2026-11-24-open-day.en.md",
        &announcement("Open day", "2026-11-24", "Everyone is welcome."),
    );
    s.step("new announcement", &[ja, en]);
    assert!(newest(&s.files()).contains("見学会を開きます"));
    assert!(s.text_of("index.html").contains("見学会を開きます"));

    // An earlier date moves it down every list.
    let ja = s.replace(
        "news/2026-11-24-open-day.ja.md",
        "date = 2026-11-24",
        "date = 2020-04-01",
    );
    let en = s.replace(
        "news/2026-11-24-open-day.en.md",
        "date = 2026-11-24",
        "date = 2020-04-01",
    );
    s.step("announcement date changed", &[ja, en]);

    // Only the text of an announcement: its page and the feed that carries it.
    let ja = s.append("news/2026-11-24-open-day.ja.md", "\n申し込みは不要です。\n");
    let report = s.step("announcement text", &[ja]);
    // Its page, its feed and the few search files its words are in: a small part of
    // the site, however many pages it has.
    let site_files = s.files().len();
    assert!(
        report.rendered >= 1 && report.rendered * 5 < site_files,
        "{} of {site_files}",
        report.rendered
    );
    assert!(newest(&s.files()).contains("申し込みは不要です"));

    // One language's date differs from the other's: a warning on the translation,
    // which moves with the line it points at.
    let en = s.replace(
        "news/2026-11-24-open-day.en.md",
        "date = 2020-04-01",
        "date = 2020-04-02",
    );
    let report = s.step("translation dated differently", &[en]);
    assert!(has(
        &report,
        "news/2026-11-24-open-day.en.md",
        |p| matches!(p, Problem::TranslationDateDiffers { .. })
    ));
    let en = s.replace(
        "news/2026-11-24-open-day.en.md",
        "+++\ntitle",
        "+++\n# Translated by the centre.\ntitle",
    );
    s.step("a comment moves the translation's date line", &[en]);

    // Announcements dated after "now" wait; nothing of them is published.
    let ja = s.write(
        "news/2027-01-05-new-year.ja.md",
        &announcement("年始のお知らせ", "2027-01-05", "1月5日から開いています。"),
    );
    s.step("future announcement", &[ja]);
    assert!(
        !s.files()
            .contains_key("news/2027-01-05-new-year/index.html")
    );

    // Past its end: off the home page and the feed, its own page says so.
    let ja = s.replace(
        "news/2026-11-24-open-day.ja.md",
        "date = 2020-04-01",
        "date = 2020-04-01\nexpires = 2020-05-01",
    );
    s.step("announcement ended", std::slice::from_ref(&ja));
    assert!(!newest(&s.files()).contains("見学会を開きます"));
    s.replace(
        "news/2026-11-24-open-day.ja.md",
        "\nexpires = 2020-05-01",
        "",
    );
    s.step("announcement current again", &[ja]);

    // The title of the news list names every feed and is in the menu.
    let news = s.replace(
        "news/_index.ja.md",
        "title = \"お知らせ\"",
        "title = \"センターからのお知らせ\"",
    );
    s.step("news list title", &[news]);

    let ja = s.remove("news/2026-11-24-open-day.ja.md");
    let en = s.remove("news/2026-11-24-open-day.en.md");
    s.step("announcement deleted", &[ja, en]);
    assert!(!newest(&s.files()).contains("見学会を開きます"));

    // A draft page is withdrawn from every list, and comes back.
    let supporters = s.replace(
        "services/supporters.ja.md",
        "+++\ntitle",
        "+++\ndraft = true\ntitle",
    );
    s.step("draft = true", std::slice::from_ref(&supporters));
    assert!(!s.files().contains_key("services/supporters/index.html"));
    s.replace("services/supporters.ja.md", "draft = true\n", "");
    s.step("draft removed", &[supporters]);
    assert!(s.files().contains_key("services/supporters/index.html"));
}

#[test]
fn drafts_shown_by_serve_rebuild_like_a_cold_build() {
    let mut s = Session::new(true).start();

    let ja = s.write(
        "news/2027-01-05-new-year.ja.md",
        &announcement("年始のお知らせ", "2027-01-05", "1月5日から開いています。"),
    );
    let en = s.write(
        "news/2027-01-05-new-year.en.md",
        &announcement("New year", "2027-01-05", "Open from 5 January."),
    );
    s.step("scheduled announcement shown", &[ja.clone(), en.clone()]);
    assert!(
        s.files()
            .contains_key("news/2027-01-05-new-year/index.html")
    );

    let ja = s.replace(
        "news/2027-01-05-new-year.ja.md",
        "date = 2027-01-05",
        "date = 2026-11-01",
    );
    let en = s.replace(
        "news/2027-01-05-new-year.en.md",
        "date = 2027-01-05",
        "date = 2026-11-01",
    );
    s.step("now current", &[ja, en]);

    let access = s.replace("access.en.md", "+++\ntitle", "+++\ndraft = true\ntitle");
    s.step("draft = true on a menu page", std::slice::from_ref(&access));
    assert!(
        s.files().contains_key("en/access/index.html"),
        "serve shows drafts"
    );
    s.replace("access.en.md", "draft = true\n", "");
    s.step("draft removed", &[access]);
}

#[test]
fn a_longer_news_list_rebuilds_like_a_cold_build() {
    let s = Session::new(false);
    // Two to a page, so that one announcement more or less adds or removes a page of
    // the list in one language while the other keeps its own.
    s.append("site.toml", "\n[news]\nper_page = 2\non_home = 2\n");
    let mut s = s.start();
    assert!(s.files().contains_key("news/page/2/index.html"));
    assert!(s.files().contains_key("en/news/page/2/index.html"));

    let first = s.remove("news/2014-01-06-centre-opened.ja.md");
    let report = s.step("Japanese list down to one page", &[first]);
    assert!(!s.files().contains_key("news/page/2/index.html"));
    assert!(has(
        &report,
        "news/2014-01-06-centre-opened.en.md",
        |p| matches!(p, Problem::MissingTranslation { .. })
    ));

    let mut added = Vec::new();
    for day in 1..=4 {
        added.push(s.write(
            &format!("news/2026-10-0{day}-notice.ja.md"),
            &announcement(
                &format!("10月{day}日のお知らせ"),
                &format!("2026-10-0{day}"),
                "お知らせです。",
            ),
        ));
    }
    s.step("Japanese list up to three pages", &added);
    assert!(s.files().contains_key("news/page/3/index.html"));

    let one = s.remove("news/2026-10-04-notice.ja.md");
    s.step("one announcement fewer", &[one]);
    let two = s.remove("news/2026-10-03-notice.ja.md");
    s.step("a page of the list fewer", &[two]);
}

#[test]
fn site_files_rebuild_like_a_cold_build() {
    let mut s = Session::new(false).start();

    let directory = s.replace(
        "directory.toml",
        "name.en = \"Ishinomaki City\"",
        "name.en = \"City of Ishinomaki\"",
    );
    s.step("data file", &[directory]);
    assert!(
        s.text_of("en/directory/index.html")
            .contains("City of Ishinomaki")
    );

    let site = s.replace(
        "site.toml",
        "title = \"Miyagi Prefecture Hikikomori Regional Support Centre\"",
        "title = \"Hikikomori Regional Support Centre, Miyagi\"",
    );
    s.step("site title", &[site]);
    assert!(
        s.text_of("en/index.html")
            .contains("Hikikomori Regional Support Centre, Miyagi")
    );

    let template = Session::replace_in(
        &s.theme,
        "templates/page.html",
        "{% block main %}",
        "{% block main %}\n<p class=\"notice\">page</p>",
    );
    s.step("theme template", &[template]);
    assert!(
        s.text_of("about/index.html")
            .contains("<p class=\"notice\">page</p>")
    );

    // A download, and a link to it that works only while it is there.
    let file = s.write("files/notes.txt", "Opening hours over the holidays.\n");
    let page = s.append(
        "privacy.en.md",
        "\nSee [our holiday notes](/files/notes.txt).\n",
    );
    s.step("file added and linked", &[file, page]);
    assert!(s.files().contains_key("files/notes.txt"));
    let file = s.remove("files/notes.txt");
    let report = s.step("file removed", &[file]);
    assert!(!s.files().contains_key("files/notes.txt"));
    assert!(has(&report, "privacy.en.md", |p| matches!(
        p,
        Problem::BrokenLink { .. }
    )));
    let page = s.replace(
        "privacy.en.md",
        "\nSee [our holiday notes](/files/notes.txt).\n",
        "",
    );
    let report = s.step("link removed", &[page]);
    assert!(errors(&report).is_empty(), "{:#?}", errors(&report));
}

#[test]
fn files_the_site_does_not_use_rebuild_like_a_cold_build() {
    let mut s = Session::new(false).start();

    // Not part of the site, but reported, so that nobody waits for it to appear.
    let notes = s.write("notes.txt", "to do\n");
    let report = s.step("a file the site ignores", &[notes]);
    assert!(has(&report, "notes.txt", |p| matches!(
        p,
        Problem::IgnoredFile
    )));

    // An editor's leftover is not even reported.
    let swap = s.write(".about.ja.md.swp", "\0\0");
    let report = s.step("an editor's swap file", &[swap]);
    assert!(!has(&report, ".about.ja.md.swp", |_| true));

    // A whole folder removed, as a watcher reports it: by the folder's path.
    let services = s.content.join("services");
    fs::remove_dir_all(&services).expect("remove folder");
    s.step("folder removed", &[services]);
    assert!(!s.files().contains_key("services/index.html"));
}

#[test]
fn mistakes_that_stop_rendering_rebuild_like_a_cold_build() {
    let mut s = Session::new(false).start();

    // A page naming a template the theme lacks cannot be rendered: no file for it.
    let access = s.replace(
        "access.en.md",
        "+++\ntitle",
        "+++\ntemplate = \"missing.html\"\ntitle",
    );
    let report = s.step("unknown template", std::slice::from_ref(&access));
    assert!(has(&report, "access.en.md", |p| matches!(
        p,
        Problem::UnknownTemplate { .. }
    )));
    s.replace("access.en.md", "template = \"missing.html\"\n", "");
    s.step("template fixed", &[access]);
    assert!(s.files().contains_key("en/access/index.html"));

    // A theme template that does not render.
    let template = Session::replace_in(
        &s.theme,
        "templates/page.html",
        "{% block main %}",
        "{% block main %}{{ missing_value | upper }}",
    );
    let report = s.step("broken theme template", std::slice::from_ref(&template));
    assert!(!errors(&report).is_empty());
    Session::replace_in(
        &s.theme,
        "templates/page.html",
        "{{ missing_value | upper }}",
        "",
    );
    s.step("theme template fixed", &[template]);

    // A `site.toml` that cannot be read stops the build before any page; a page
    // deleted meanwhile must not come back when it is fixed.
    let site = s.replace(
        "site.toml",
        "default_language = \"ja\"",
        "default_language = ",
    );
    let report = s.step("broken site.toml", std::slice::from_ref(&site));
    assert!(!errors(&report).is_empty());
    let privacy = s.remove("privacy.en.md");
    s.step("page deleted while site.toml is broken", &[privacy]);
    s.replace(
        "site.toml",
        "default_language = ",
        "default_language = \"ja\"",
    );
    let report = s.step("site.toml fixed", &[site]);
    assert!(errors(&report).is_empty(), "{:#?}", errors(&report));
    assert!(!s.files().contains_key("en/privacy/index.html"));
}
