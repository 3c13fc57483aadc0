//! Helpers shared by the integration tests: fixture sites, builds with a pinned clock,
//! the built output read back as parsed HTML, and byte snapshots of folders.

// Each test file is its own crate and uses only some of these helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;
use yorisoi::diagnostics::{Diagnostic, Problem};
use yorisoi::report::{self, MessageLanguage};
use yorisoi::{BuildOptions, Outcome};

/// The fixed "now" of every build, so that results never depend on the day tests run.
pub const NOW: &str = "2026-11-21";

/// `base_url` of the `basic` fixture. It has a path so that every URL the generator
/// writes must carry it.
pub const BASE_URL: &str = "https://example.jp/support/";

/// The path part of [`BASE_URL`]: what root-relative links in the output start with.
pub const BASE_PATH: &str = "/support/";

/// The `yorisoi` command, with the locale variables that choose its message language
/// cleared, so a test reads the same messages on any machine.
pub fn yorisoi_command() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_yorisoi"));
    for name in ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
        command.env_remove(name);
    }
    command
}

/// `tests/fixtures/<name>/content`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .join("content")
}

/// The content folder of the bundled site: the repository's `content/`, or the folder
/// `YORISOI_BUNDLED_CONTENT` names. CI runs the bundled-site tests a second time on a copy
/// with what staff add on an ordinary day (an announcement dated that day, a draft page),
/// so that they prove to hold for any content `check` accepts.
pub fn bundled_content() -> PathBuf {
    match std::env::var_os("YORISOI_BUNDLED_CONTENT") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
    }
}

/// The moment the bundled site is built at: the clock, as `build` reads it, so that what
/// the tests see published is what staff publish today. Fixtures use [`NOW`].
pub fn bundled_now() -> yorisoi::dates::Moment {
    yorisoi::dates::Moment {
        at: chrono::Utc::now().with_timezone(&yorisoi::dates::jst()),
        has_time: true,
        month_only: false,
    }
}

/// Build options for the bundled site, at [`bundled_now`].
pub fn bundled_options(output: &Path) -> BuildOptions {
    BuildOptions {
        now: bundled_now(),
        ..options(&bundled_content(), output)
    }
}

/// The real default theme, so fixtures are rendered the way sites are.
pub fn theme_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default")
}

pub fn options(content: &Path, output: &Path) -> BuildOptions {
    BuildOptions {
        content: content.to_path_buf(),
        output: output.to_path_buf(),
        theme_dir: Some(theme_dir()),
        base_url: None,
        include_drafts: false,
        served_from: None,
        now: yorisoi::dates::parse_moment(NOW).expect("NOW is a valid date"),
    }
}

/// A writable copy of a fixture site in a temporary folder: `<tmp>/content`, with the
/// output going to `<tmp>/public`. Tests break one file of the copy and build it.
pub struct Workspace {
    pub dir: TempDir,
    pub content: PathBuf,
    pub output: PathBuf,
}

impl Workspace {
    pub fn copy_of(fixture_name: &str) -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let content = dir.path().join("content");
        copy_dir(&fixture(fixture_name), &content);
        let output = dir.path().join("public");
        Workspace {
            dir,
            content,
            output,
        }
    }

    /// Writes (or overwrites) a file of the content folder, creating folders as needed.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.content.join(rel);
        fs::create_dir_all(path.parent().expect("a file has a parent")).expect("mkdir");
        fs::write(&path, bytes).expect("write content file");
    }

    pub fn options(&self) -> BuildOptions {
        options(&self.content, &self.output)
    }

    pub fn build(&self) -> Outcome {
        yorisoi::build(&self.options())
    }

    pub fn check(&self) -> Outcome {
        yorisoi::check(&self.options())
    }

    /// `report::format` of a diagnostic of this workspace.
    pub fn message(&self, d: &Diagnostic, lang: MessageLanguage) -> String {
        report::format(d, &self.content, lang)
    }
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// Every file below `dir` (hidden ones and symbolic links included), by slash-separated
/// relative path.
pub fn list_files(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    collect_files(dir, "", &mut files);
    files.sort();
    files
}

fn collect_files(dir: &Path, prefix: &str, files: &mut Vec<String>) {
    for entry in fs::read_dir(dir).expect("read folder") {
        let entry = entry.expect("folder entry");
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type().expect("file type").is_dir() {
            collect_files(&entry.path(), &format!("{name}/"), files);
        } else {
            files.push(name);
        }
    }
}

/// Every file below `dir` with its bytes, to compare whole folders. A symbolic link
/// counts as the path it points to; it is not followed.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    list_files(dir)
        .into_iter()
        .map(|rel| {
            let path = dir.join(&rel);
            let bytes = match fs::read_link(&path) {
                Ok(target) => target.to_string_lossy().as_bytes().to_vec(),
                Err(_) => fs::read(&path).expect("read file"),
            };
            (rel, bytes)
        })
        .collect()
}

/// A fixture built into a temporary folder, with the outcome of the build.
pub struct Built {
    _dir: TempDir,
    pub output: PathBuf,
    pub outcome: Outcome,
}

impl Built {
    /// Builds a fixture as it is checked in.
    pub fn fixture(name: &str) -> Self {
        Self::with(name, |_| {})
    }

    /// Builds the bundled site ([`bundled_content`]) as of today ([`bundled_now`]).
    pub fn bundled() -> Self {
        Self::with("basic", |o| {
            *o = bundled_options(&o.output);
        })
    }

    /// Builds a fixture with some options changed.
    pub fn with(name: &str, adjust: impl FnOnce(&mut BuildOptions)) -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let output = dir.path().join("public");
        let mut options = options(&fixture(name), &output);
        adjust(&mut options);
        let outcome = yorisoi::build(&options);
        assert!(
            outcome.written && !outcome.has_errors(),
            "the {name} fixture should build: {:#?}",
            outcome.diagnostics
        );
        Built {
            _dir: dir,
            output,
            outcome,
        }
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.output.join(rel).is_file()
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.output.join(rel))
            .unwrap_or_else(|e| panic!("{rel} should be in the output: {e}"))
    }

    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }

    /// Every HTML file of the output, 404.html included.
    pub fn html_files(&self) -> Vec<String> {
        list_files(&self.output)
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect()
    }

    /// The HTML files that are pages of the site (everything but the 404 pages, one
    /// per language), parsed.
    pub fn pages(&self) -> Vec<(String, Html)> {
        self.html_files()
            .into_iter()
            .filter(|f| !is_not_found_page(f))
            .map(|f| {
                let html = self.html(&f);
                (f, html)
            })
            .collect()
    }
}

/// A language's 404 page: `404.html`, `en/404.html`.
pub fn is_not_found_page(rel: &str) -> bool {
    rel == "404.html"
        || rel
            .strip_suffix("/404.html")
            .is_some_and(|f| !f.contains('/'))
}

/// The language a page should be in, from where it is in the output: English under
/// `en/`, Japanese (the default language) everywhere else.
pub fn language_of_file(rel: &str) -> &'static str {
    if rel.starts_with("en/") {
        "en"
    } else if rel.starts_with("easy/") {
        "ja-easy"
    } else {
        "ja"
    }
}

/// `about/index.html` → `https://example.jp/support/about/`.
pub fn url_of_file(rel: &str) -> String {
    format!(
        "{BASE_URL}{}",
        rel.strip_suffix("index.html").unwrap_or(rel)
    )
}

/// The output file that serves an absolute URL of the site, if the URL is on the site.
pub fn file_of_url(url: &str) -> Option<String> {
    url.strip_prefix(BASE_URL).map(file_of_path)
}

/// The output file that serves a root-relative href (`/support/about/`), if it is on
/// the site.
pub fn file_of_href(href: &str) -> Option<String> {
    let path = href.split(['#', '?']).next().unwrap_or("");
    path.strip_prefix(BASE_PATH).map(file_of_path)
}

/// Pretty URLs: a folder is served by its `index.html`.
fn file_of_path(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    }
}

pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"))
}

/// Every element of a document matching `css`.
pub fn select<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&selector(css)).collect()
}

/// Every element below `element` matching `css`.
pub fn select_in<'a>(element: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    element.select(&selector(css)).collect()
}

/// The one element matching `css`; fails the test if there is none or several.
pub fn one<'a>(doc: &'a Html, css: &str) -> ElementRef<'a> {
    let found = select(doc, css);
    assert_eq!(
        found.len(),
        1,
        "expected exactly one {css}, found {}",
        found.len()
    );
    found[0]
}

/// An element's text with runs of white space folded, as a reader sees it.
pub fn text(element: ElementRef) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// An element's text without the readings of its furigana (`<rt>`, `<rp>`), folded
/// like [`text`]: what the base text says, as titles and descriptions carry it.
pub fn base_text(element: ElementRef) -> String {
    element
        .descendants()
        .filter(|node| {
            !node.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "rt" | "rp"))
            })
        })
        .filter_map(|node| node.value().as_text().map(|t| t.to_string()))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn attr<'a>(element: ElementRef<'a>, name: &str) -> &'a str {
    element
        .attr(name)
        .unwrap_or_else(|| panic!("{} should have {name}", element.html()))
}

/// `<link rel="alternate" hreflang>` of a page, as hreflang → href.
pub fn alternates(doc: &Html) -> BTreeMap<String, String> {
    select(doc, r#"head link[rel="alternate"][hreflang]"#)
        .into_iter()
        .map(|l| (attr(l, "hreflang").to_owned(), attr(l, "href").to_owned()))
        .collect()
}

pub fn errors(outcome: &Outcome) -> Vec<&Diagnostic> {
    outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect()
}

/// The one error of a build; fails the test if there are none or several.
pub fn only_error(outcome: &Outcome) -> &Diagnostic {
    let found = errors(outcome);
    assert_eq!(
        found.len(),
        1,
        "expected one error: {:#?}",
        outcome.diagnostics
    );
    found[0]
}

/// The diagnostics of a build whose problem matches `wanted`.
pub fn find(outcome: &Outcome, wanted: impl Fn(&Problem) -> bool) -> Vec<&Diagnostic> {
    outcome
        .diagnostics
        .iter()
        .filter(|d| wanted(&d.problem))
        .collect()
}

/// Asserts that a broken `about.ja.md` produced exactly one error, of the expected kind,
/// and no "missing translation" report about the page it broke.
pub fn assert_no_follow_on_reports(outcome: &Outcome, expected: impl Fn(&Problem) -> bool) {
    let d = only_error(outcome);
    assert!(expected(&d.problem), "{:?}", d.problem);
    let about_warnings = find(
        outcome,
        |p| matches!(p, Problem::MissingTranslation { expected, .. } if expected.starts_with("about")),
    );
    assert!(about_warnings.is_empty(), "{about_warnings:#?}");
}
