//! Stage 2, parse: turns decoded sources into typed pages.
//!
//! Owns the meaning of a single file: its language and slug (from the file name), its
//! front matter (typed, every key checked) and its Markdown (scanned once here for its
//! links, its summary and the accessibility lint; the events are not kept, since the
//! render stage parses the text again when it needs them, which costs less than holding
//! every page's events in memory). Files are parsed in parallel and
//! all problems are collected, so staff see every mistake of a build at once.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::content_policy::{control_character_problems, first_control_character};
use crate::data::glossary::Glossary;
use crate::dates::{Moment, everyday_date, parse_moment};
use crate::diagnostics::{Diagnostic, Problem, ValueKind};
use crate::lint::{Linter, avoided_terms};
use crate::load::{SourceFile, slash_path};
use crate::locale::{Locale, Script};
use crate::starter::{Part, Starter};
use crate::suggest::closest;
use crate::toml_file::{Document, KeyPlace};

/// The section whose pages are announcements: dated, listed newest first, in feeds.
pub const NEWS_SECTION: &str = "news";

/// The keys a page's front matter may have.
pub const FRONT_MATTER_KEYS: [&str; 11] = [
    "title",
    "description",
    "date",
    "event_date",
    "updated",
    "expires",
    "draft",
    "weight",
    "menu",
    "template",
    "sources",
];

/// A page file, parsed: one language of one page.
#[derive(Debug, Clone)]
pub struct ParsedPage {
    pub source: PathBuf,
    /// Folder below `content/`, forward slashes, `""` at the top.
    pub dir: String,
    /// File stem without language: `about`, or `_index` for a section's own page.
    pub stem: String,
    pub lang: String,
    pub front: FrontMatter,
    pub body: Body,
    /// Accessibility findings in the text; moved to the build's problems by
    /// [`parse_pages`].
    pub lints: Vec<Diagnostic>,
}

impl ParsedPage {
    /// The Markdown of the page, after its front matter.
    pub fn markdown(&self) -> &str {
        &self.body.text[self.body.start..]
    }
}

impl ParsedPage {
    /// The path shared by all translations of this page: `about`, `news`, `` (home).
    pub fn key(&self) -> String {
        page_key(&self.dir, &self.stem)
    }

    pub fn is_section(&self) -> bool {
        self.stem == "_index"
    }
}

/// Typed front matter. Absent optional keys are `None`/`false`.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: String,
    pub description: Option<String>,
    /// When this site published the page.
    pub date: Option<Moment>,
    /// When what an announcement tells of happened (the centre opened), if it is not
    /// the day it was published; shown as such, never in place of `date`.
    pub event_date: Option<Moment>,
    pub updated: Option<Moment>,
    pub expires: Option<Moment>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub menu: bool,
    pub template: Option<String>,
    /// The ids (in `sources.toml`) of the sources the page's text relies on; the page
    /// lists them, each with its own date.
    pub sources: Vec<String>,
    /// Line of each key in the file, for problems found by later stages.
    pub key_lines: BTreeMap<String, usize>,
}

/// The Markdown of a page, and what the later stages need from it without parsing it
/// again: its links, ready to check, and its first paragraph, for feeds.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// The whole file, shared, not copied.
    pub text: Arc<str>,
    /// Where the Markdown starts, after the front matter.
    pub start: usize,
    pub links: Vec<LinkRef>,
    /// The first paragraph as plain text, whole; cut to length where it is shown.
    pub summary: String,
}

/// A link or image in the Markdown, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub dest: String,
    /// Byte offset in the file; turned into a line and column only for a message.
    pub offset: usize,
}

/// A page file that exists but could not be parsed. Later stages count it as present,
/// so that its own error is not followed by "broken link" and "missing translation"
/// reports about it.
#[derive(Debug, Clone)]
pub struct UnparsedPage {
    pub source: PathBuf,
    pub key: String,
    pub lang: String,
    /// Links of its body, still checked so one build reports every problem.
    pub links: Vec<LinkRef>,
    /// Its text, for the lines shown under messages about its links.
    pub text: Arc<str>,
}

/// The result of parsing every page file.
#[derive(Debug, Default)]
pub struct ParsedPages {
    pub pages: Vec<ParsedPage>,
    pub unparsed: Vec<UnparsedPage>,
    pub problems: Vec<Diagnostic>,
}

/// What parsing a page needs to know of the site: its languages (the default first),
/// its glossary, and how each language is written.
#[derive(Clone, Copy)]
pub struct Rules<'a> {
    pub languages: &'a [String],
    pub glossary: &'a Glossary,
    pub locales: &'a BTreeMap<String, Locale>,
    /// The languages written in やさしい日本語, with the longest sentence each allows.
    pub easy_japanese: &'a BTreeMap<String, usize>,
}

/// Parses every page in parallel, collecting every problem. `unreadable` are page files
/// that could not be decoded: they still count as present.
pub fn parse_pages(files: &[SourceFile], unreadable: &[PathBuf], rules: Rules) -> ParsedPages {
    let languages = rules.languages;
    let results: Vec<_> = files
        .par_iter()
        .map(|f| (f, parse_page(f, rules)))
        .collect();
    let mut parsed = ParsedPages::default();
    for (file, result) in results {
        match result {
            Ok(mut page) => {
                parsed.problems.append(&mut page.lints);
                parsed.pages.push(page);
            }
            Err(mut ds) => {
                parsed.problems.append(&mut ds);
                if let Ok((dir, stem, lang)) = name_parts(&file.rel, languages) {
                    let links = split_front_matter(&file.text)
                        .map(|(_, body)| parse_markdown(&file.text, body, None).0.links)
                        .unwrap_or_default();
                    parsed.unparsed.push(UnparsedPage {
                        source: file.rel.clone(),
                        key: page_key(&dir, &stem),
                        lang,
                        links,
                        text: Arc::clone(&file.text),
                    });
                }
            }
        }
    }
    for rel in unreadable {
        if let Ok((dir, stem, lang)) = name_parts(rel, languages) {
            parsed.unparsed.push(UnparsedPage {
                source: rel.clone(),
                key: page_key(&dir, &stem),
                lang,
                links: Vec::new(),
                text: Arc::from(""),
            });
        }
    }
    parsed
}

/// The path shared by all translations of a page: `about`, `news`, `` (home).
fn page_key(dir: &str, stem: &str) -> String {
    match (dir, stem) {
        (dir, "_index") => dir.to_owned(),
        ("", stem) => stem.to_owned(),
        (dir, stem) => format!("{dir}/{stem}"),
    }
}

/// Parses one page file.
pub fn parse_page(file: &SourceFile, rules: Rules) -> Result<ParsedPage, Vec<Diagnostic>> {
    let languages = rules.languages;
    let mut problems = Vec::new();
    let name = match name_parts(&file.rel, languages) {
        Ok(n) => Some(n),
        Err(d) => {
            problems.push(*d);
            None
        }
    };
    // Reported with everything else, without stopping the page from being read: the
    // rest of its problems show in the same build.
    let controls = control_character_problems(&file.rel, &file.text);
    let (front, body) = match split_front_matter(&file.text) {
        Ok(split) => split,
        Err(d) => {
            problems.push(d.at(&file.rel, 1, 1, Some(&file.text)));
            problems.extend(controls);
            return Err(problems);
        }
    };
    let front = match parse_front_matter(file, front) {
        Ok(f) => Some(f),
        Err(mut ds) => {
            problems.append(&mut ds);
            None
        }
    };
    // An escape in the front matter (`"\u001b"`) writes a control character that the
    // file itself does not contain. Furigana in the title and description are checked
    // as in the text.
    if let Some(front) = &front {
        for (key, value) in [
            ("title", Some(&front.title)),
            ("description", front.description.as_ref()),
        ] {
            if let Some(Err(error)) = value.map(|v| crate::ruby::check(v)) {
                let line = front.key_lines.get(key).copied().unwrap_or(1);
                problems.push(
                    Diagnostic::error(Problem::MalformedRuby {
                        problem: error.problem,
                    })
                    .at(&file.rel, line, 1, Some(&file.text)),
                );
            }
        }
        for (key, value) in [
            ("title", Some(&front.title)),
            ("description", front.description.as_ref()),
        ] {
            if let Some(c) = value.and_then(|v| first_control_character(v)) {
                let line = front.key_lines.get(key).copied().unwrap_or(1);
                // Written as it is (not escaped), it is reported at its place already.
                let written_as_is = file
                    .text
                    .lines()
                    .nth(line.saturating_sub(1))
                    .is_some_and(|l| l.contains(c));
                if written_as_is {
                    continue;
                }
                problems.push(
                    Diagnostic::error(Problem::ControlCharacter { code: u32::from(c) }).at(
                        &file.rel,
                        line,
                        1,
                        Some(&file.text),
                    ),
                );
            }
        }
    }
    if let (Some((dir, stem, _)), Some(front)) = (&name, &front) {
        problems.extend(announcement_problems(file, dir, stem, front));
    }
    if let Some(front) = &front
        && !front.draft
    {
        problems.extend(placeholder_problems(file, front, body, rules.locales));
    }
    match (name, front) {
        (Some((dir, stem, lang)), Some(front)) if problems.is_empty() => {
            let script = rules
                .locales
                .get(&lang)
                .map(|l| l.script)
                .unwrap_or_default();
            let (body, mut lints) =
                parse_markdown(&file.text, body, Some((&file.rel, &lang, script)));
            let default = languages.first().map_or("", String::as_str);
            lints.extend(avoided_terms(file, &lang, default, rules.glossary));
            lints.extend(controls);
            if let Some(&max) = rules.easy_japanese.get(&lang) {
                lints.extend(easy_japanese_problems(file, &front, body.start, max));
            }
            Ok(ParsedPage {
                source: file.rel.clone(),
                dir,
                stem,
                lang,
                front,
                body,
                lints,
            })
        }
        _ => {
            problems.extend(controls);
            Err(problems)
        }
    }
}

/// The easy-Japanese rules a page does not follow, in its title, description and text.
fn easy_japanese_problems(
    file: &SourceFile,
    front: &FrontMatter,
    body_start: usize,
    max_sentence: usize,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (key, value) in [
        ("title", Some(&front.title)),
        ("description", front.description.as_ref()),
    ] {
        let Some(value) = value else { continue };
        let line = front.key_lines.get(key).copied().unwrap_or(1);
        for rule in crate::easy_japanese::check_line(value, max_sentence) {
            found.push(Diagnostic::warning(Problem::EasyJapanese { rule }).at(
                &file.rel,
                line,
                1,
                Some(&file.text),
            ));
        }
    }
    let markdown = &file.text[body_start..];
    let events = markdown_events(markdown);
    let mut cursor = crate::diagnostics::LineCursor::new(&file.text);
    for finding in crate::easy_japanese::check(events, max_sentence) {
        let at = cursor.position(body_start + finding.offset);
        found.push(
            Diagnostic::warning(Problem::EasyJapanese { rule: finding.rule })
                .at_offset(&file.rel, at, &file.text),
        );
    }
    found
}

/// An announcement must say when it was published, and cannot end before it starts.
fn announcement_problems(
    file: &SourceFile,
    dir: &str,
    stem: &str,
    front: &FrontMatter,
) -> Vec<Diagnostic> {
    if dir != NEWS_SECTION || stem == "_index" {
        return Vec::new();
    }
    let line_of = |key: &str| front.key_lines.get(key).copied().unwrap_or(1);
    let located =
        |problem, line| Diagnostic::error(problem).at(&file.rel, line, 1, Some(&file.text));
    match (front.date, front.expires) {
        (None, _) if !front.key_lines.contains_key("date") => {
            vec![located(Problem::MissingDate, line_of("title"))]
        }
        (Some(date), Some(expires)) if expires.date() < date.date() => vec![located(
            Problem::ExpiresBeforeDate {
                date: date.iso(),
                expires: expires.iso(),
            },
            line_of("expires"),
        )],
        _ => Vec::new(),
    }
}

/// A page that is no longer a draft but still carries words `new news` or `new page`
/// wrote for the author to replace: its title, its description, or the starter sentence of its text.
fn placeholder_problems(
    file: &SourceFile,
    front: &FrontMatter,
    body_start: usize,
    locales: &BTreeMap<String, Locale>,
) -> Vec<Diagnostic> {
    // Every language's placeholders: an author may copy one file into another language.
    let starters: Vec<&Starter> = locales
        .values()
        .flat_map(|l| [&l.starter, &l.page_starter])
        .collect();
    let line_of = |key: &str| front.key_lines.get(key).copied().unwrap_or(1);
    let located = |field: &str, line| {
        Diagnostic::error(Problem::PlaceholderText {
            field: field.to_owned(),
        })
        .at(&file.rel, line, 1, Some(&file.text))
    };
    let mut found = Vec::new();
    if starters
        .iter()
        .any(|s| s.is_placeholder(&front.title, Part::Title))
    {
        found.push(located("title", line_of("title")));
    }
    if let Some(description) = &front.description
        && starters
            .iter()
            .any(|s| s.is_placeholder(description, Part::Description))
    {
        found.push(located("description", line_of("description")));
    }
    // The text is searched once per language; lines only where a placeholder is in it.
    let body = &file.text[body_start..];
    let in_body: Vec<&&Starter> = starters
        .iter()
        .filter(|s| s.is_placeholder(body, Part::Body))
        .collect();
    if !in_body.is_empty() {
        let first_body_line = file.text[..body_start].matches('\n').count() + 1;
        for (i, line) in body.lines().enumerate() {
            if in_body.iter().any(|s| s.is_placeholder(line, Part::Body)) {
                found.push(located("text", first_body_line + i));
            }
        }
    }
    found
}

/// `news/2026-04-08-meeting.ja.md` → (`news`, `2026-04-08-meeting`, `ja`).
fn name_parts(
    rel: &Path,
    languages: &[String],
) -> Result<(String, String, String), Box<Diagnostic>> {
    let file_name = rel
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let without_md = file_name.strip_suffix(".md").unwrap_or(&file_name);
    let (stem, lang) = match without_md.rsplit_once('.') {
        Some((stem, lang)) => (stem.to_owned(), lang.to_owned()),
        None => {
            let default = languages.first().map_or("ja", String::as_str);
            return Err(Box::new(
                Diagnostic::error(Problem::NoLanguageInFileName {
                    suggestion: format!("{without_md}.{default}.md"),
                })
                .in_file(rel),
            ));
        }
    };
    if !languages.contains(&lang) {
        return Err(Box::new(
            Diagnostic::error(Problem::UnknownLanguage {
                lang,
                declared: languages.to_vec(),
            })
            .in_file(rel),
        ));
    }
    let dir = rel.parent().map(slash_path).unwrap_or_default();
    let bad = dir
        .split('/')
        .filter(|s| !s.is_empty())
        .chain((stem != "_index").then_some(stem.as_str()))
        .find(|s| !is_slug(s));
    if let Some(bad) = bad {
        return Err(Box::new(
            Diagnostic::error(Problem::BadSlug {
                name: bad.to_owned(),
                suggestion: slug_suggestion(bad),
            })
            .in_file(rel),
        ));
    }
    Ok((dir, stem, lang))
}

/// The one rule for the names in a page's path (its folders and file name, which become
/// its URL): lower-case ASCII letters, digits and hyphens, not starting with a hyphen.
/// Safe in every URL and every shell; `new news`, `new page` and every build apply it.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A name made usable in URLs, when only its spaces or capitals are wrong:
/// `Family Meeting` → `family-meeting`. `None` for a name in Japanese, which no rule can
/// turn into the words its author would choose.
pub fn slug_suggestion(name: &str) -> Option<String> {
    let mut slug = String::new();
    for c in name.trim().chars() {
        match c {
            ' ' | '\u{3000}' | '-' | '_' => {
                if !slug.is_empty() && !slug.ends_with('-') {
                    slug.push('-');
                }
            }
            c => slug.extend(c.to_lowercase()),
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    (is_slug(&slug) && slug != name).then_some(slug)
}

/// A page's front matter sits between two `+++` lines at the very top.
/// Returns the front matter text and the byte offset where the body starts.
fn split_front_matter(text: &str) -> Result<(&str, usize), Diagnostic> {
    let Some(rest) = text.strip_prefix("+++\n") else {
        return Err(Diagnostic::error(Problem::MissingFrontMatter));
    };
    let mut offset = 4;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok((&rest[..offset - 4], offset + line.len()));
        }
        offset += line.len();
    }
    Err(Diagnostic::error(Problem::UnclosedFrontMatter))
}

/// The front matter starts on line 2 of the file, after the opening `+++`.
const FRONT_MATTER_FIRST_LINE: usize = 2;

fn parse_front_matter(file: &SourceFile, front: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
    // Read by the one TOML reader, with the lines before it left empty, so that every
    // line and column it finds is the file's.
    let mut placed = "\n".repeat(FRONT_MATTER_FIRST_LINE - 1);
    placed.push_str(front);
    let document = Document::parse(&file.rel, &placed, "")?;
    let table: toml::Table = document.read().map_err(|d| vec![d])?;
    let places = document.top_level_places();
    let key_lines: BTreeMap<String, usize> = places
        .iter()
        .map(|(key, place)| (key.clone(), place.key.0))
        .collect();
    let mut reader = FrontMatterReader {
        file,
        places: &places,
        problems: Vec::new(),
    };
    for key in table.keys() {
        if !FRONT_MATTER_KEYS.contains(&key.as_str()) {
            reader.problem(
                key,
                Problem::UnknownKey {
                    key: key.clone(),
                    allowed: FRONT_MATTER_KEYS.map(str::to_owned).to_vec(),
                    closest: closest(key, FRONT_MATTER_KEYS).map(str::to_owned),
                },
            );
        }
    }
    let front = FrontMatter {
        title: reader.text(&table, "title").unwrap_or_default(),
        description: reader.text(&table, "description"),
        date: reader.moment(&table, "date"),
        event_date: reader.moment(&table, "event_date"),
        updated: reader.moment(&table, "updated"),
        expires: reader.moment(&table, "expires"),
        draft: reader.boolean(&table, "draft"),
        weight: reader.integer(&table, "weight"),
        menu: reader.boolean(&table, "menu"),
        template: reader.text(&table, "template"),
        sources: reader.text_list(&table, "sources"),
        key_lines: key_lines.clone(),
    };
    match table.get("title") {
        None => reader
            .problems
            .push(Diagnostic::error(Problem::MissingTitle).at(&file.rel, 1, 1, Some(&file.text))),
        Some(toml::Value::String(s)) if s.trim().is_empty() => {
            reader.value_problem("title", Problem::EmptyTitle)
        }
        _ => {}
    }
    if reader.problems.is_empty() {
        Ok(front)
    } else {
        Err(reader.problems)
    }
}

/// Reads typed values out of the front matter table, recording located type errors.
struct FrontMatterReader<'a> {
    file: &'a SourceFile,
    /// Where each key and its value are written, as the TOML reader found them.
    places: &'a BTreeMap<String, KeyPlace>,
    problems: Vec<Diagnostic>,
}

impl FrontMatterReader<'_> {
    /// A problem with a key, pointed at the key.
    fn problem(&mut self, key: &str, problem: Problem) {
        let (line, column) = self.places.get(key).map_or((1, 1), |p| p.key);
        self.problems.push(Diagnostic::error(problem).at(
            &self.file.rel,
            line,
            column,
            Some(&self.file.text),
        ));
    }

    /// A problem with the value of a key, pointed at the value.
    fn value_problem(&mut self, key: &str, problem: Problem) {
        let (line, column) = self.places.get(key).map_or((1, 1), |p| p.value);
        self.problems.push(Diagnostic::error(problem).at(
            &self.file.rel,
            line,
            column,
            Some(&self.file.text),
        ));
    }

    fn wrong_type(&mut self, key: &str, expected: ValueKind, found: &toml::Value) {
        self.value_problem(
            key,
            Problem::WrongType {
                key: key.to_owned(),
                expected,
                written: Some(found.to_string()),
            },
        );
    }

    fn text(&mut self, table: &toml::Table, key: &str) -> Option<String> {
        match table.get(key)? {
            toml::Value::String(s) => Some(s.clone()),
            other => {
                self.wrong_type(key, ValueKind::Text, other);
                None
            }
        }
    }

    /// A list of texts (`["a", "b"]`); empty when absent or refused.
    fn text_list(&mut self, table: &toml::Table, key: &str) -> Vec<String> {
        let Some(value) = table.get(key) else {
            return Vec::new();
        };
        let texts: Option<Vec<String>> = match value {
            toml::Value::Array(items) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect(),
            _ => None,
        };
        texts.unwrap_or_else(|| {
            self.wrong_type(key, ValueKind::List, value);
            Vec::new()
        })
    }

    fn boolean(&mut self, table: &toml::Table, key: &str) -> bool {
        match table.get(key) {
            None => false,
            Some(toml::Value::Boolean(b)) => *b,
            Some(other) => {
                self.wrong_type(key, ValueKind::Bool, other);
                false
            }
        }
    }

    fn integer(&mut self, table: &toml::Table, key: &str) -> Option<i64> {
        match table.get(key)? {
            toml::Value::Integer(i) => Some(*i),
            other => {
                self.wrong_type(key, ValueKind::Integer, other);
                None
            }
        }
    }

    /// Dates may be written as TOML dates (`2026-04-08`) or as text (`"2026-04-08"`).
    fn moment(&mut self, table: &toml::Table, key: &str) -> Option<Moment> {
        let written = match table.get(key)? {
            toml::Value::Datetime(d) => d.to_string(),
            toml::Value::String(s) => s.clone(),
            other => {
                self.wrong_type(key, ValueKind::Date, other);
                return None;
            }
        };
        let moment = parse_moment(&written);
        if moment.is_none() {
            self.value_problem(
                key,
                Problem::InvalidDate {
                    key: key.to_owned(),
                    suggestion: everyday_date(&written).map(|d| d.format("%Y-%m-%d").to_string()),
                    value: written,
                },
            );
        }
        moment
    }
}

/// The Markdown extensions the site is written with. Public so that tests can render a
/// body the way the generator parses it.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The events of a Markdown body, with their byte ranges, as the site reads it. Every
/// reader of a body (the parse stage, the lint, the renderer) takes its events from here.
///
/// One thing differs from pulldown-cmark's own parse: a heading that ends with furigana,
/// `## {相談|そうだん}の {会|かい}`, keeps them. With heading attributes on (for
/// `{#id}`), pulldown-cmark would take the trailing `{会|かい}` for an attribute block
/// and drop it from the heading's text. An attribute block never holds a `|`, so in a
/// heading whose block did, every `{` is text: the body is read again with those braces
/// swapped for another punctuation mark (so that emphasis around them parses the same),
/// and each affected event takes its text back from the body as written. Byte offsets do
/// not change, so every range still points into the body.
pub fn markdown_events(markdown: &str) -> MarkdownEvents<'_> {
    fn parse(
        text: &str,
    ) -> pulldown_cmark::OffsetIter<'_, pulldown_cmark::DefaultBrokenLinkCallback> {
        Parser::new_ext(text, markdown_options()).into_offset_iter()
    }
    if !(markdown.contains('{') && markdown.contains('|')) {
        return MarkdownEvents::Parsed(Box::new(parse(markdown)));
    }
    let taken: Vec<Range<usize>> = parse(markdown)
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }) => {
                let piped = id.iter().chain(&classes).any(|s| s.contains('|'))
                    || attrs.iter().any(|(key, value)| {
                        key.contains('|') || value.as_ref().is_some_and(|v| v.contains('|'))
                    });
                piped.then_some(range)
            }
            _ => None,
        })
        .collect();
    if taken.is_empty() {
        return MarkdownEvents::Parsed(Box::new(parse(markdown)));
    }
    let mut mended = markdown.to_owned();
    for range in &taken {
        let heading = mended[range.clone()].replace('{', "$");
        mended.replace_range(range.clone(), &heading);
    }
    let events: Vec<(Event<'static>, Range<usize>)> = parse(&mended)
        .map(|(event, range)| {
            let event = event.into_static();
            if taken
                .iter()
                .any(|t| t.start <= range.start && range.end <= t.end)
            {
                let written = WrittenText {
                    original: &markdown[range.clone()],
                    read: &mended[range.clone()],
                };
                (written.restore(event), range)
            } else {
                (event, range)
            }
        })
        .collect();
    MarkdownEvents::Mended(events.into_iter())
}

/// One event's stretch of a body, as written and as read with its braces swapped.
struct WrittenText<'a> {
    original: &'a str,
    read: &'a str,
}

impl WrittenText<'_> {
    /// A string of the event as the author wrote it: where it stands in the stretch as
    /// read, the same bytes of the stretch as written. A string that does not stand in
    /// the stretch as it is (an entity, decoded) held no swapped brace.
    fn text(&self, s: pulldown_cmark::CowStr<'static>) -> pulldown_cmark::CowStr<'static> {
        match self.read.find(&*s) {
            Some(at) if self.original.is_char_boundary(at + s.len()) => {
                pulldown_cmark::CowStr::from(self.original[at..at + s.len()].to_owned())
            }
            _ => s,
        }
    }

    fn restore(&self, event: Event<'static>) -> Event<'static> {
        match event {
            Event::Text(s) => Event::Text(self.text(s)),
            Event::Code(s) => Event::Code(self.text(s)),
            Event::InlineHtml(s) => Event::InlineHtml(self.text(s)),
            Event::Html(s) => Event::Html(self.text(s)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: self.text(dest_url),
                title: self.text(title),
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: self.text(dest_url),
                title: self.text(title),
                id,
            }),
            other => other,
        }
    }
}

/// The events of [`markdown_events`]: pulldown-cmark's own, or, for a body with a
/// heading that ends in furigana, those of its second reading.
pub enum MarkdownEvents<'a> {
    Parsed(Box<pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>>),
    Mended(std::vec::IntoIter<(Event<'static>, Range<usize>)>),
}

impl<'a> Iterator for MarkdownEvents<'a> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            MarkdownEvents::Parsed(events) => events.next(),
            MarkdownEvents::Mended(events) => events.next(),
        }
    }
}

/// Scans the body once, for its located links and its summary; with the file's path
/// and language, the text is also linted for accessibility.
fn parse_markdown(
    text: &Arc<str>,
    body_start: usize,
    lint: Option<(&Path, &str, Script)>,
) -> (Body, Vec<Diagnostic>) {
    let markdown = &text[body_start..];
    let mut linter =
        lint.map(|(source, lang, script)| Linter::new(source, text, body_start, lang, script));
    let mut body = Body {
        text: Arc::clone(text),
        start: body_start,
        ..Body::default()
    };
    let mut summary = SummaryCollector::default();
    for (event, range) in markdown_events(markdown) {
        if let Some(linter) = &mut linter {
            linter.observe(&event, range.clone());
        }
        summary.observe(&event);
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &event {
            body.links.push(LinkRef {
                dest: dest_url.to_string(),
                offset: body_start + range.start,
            });
        }
    }
    body.summary = summary.text.trim().to_owned();
    (body, linter.map(Linter::finish).unwrap_or_default())
}

/// Collects the first paragraph (not a heading) as plain text.
#[derive(Default)]
struct SummaryCollector {
    text: String,
    in_paragraph: bool,
    done: bool,
}

impl SummaryCollector {
    fn observe(&mut self, event: &Event) {
        if self.done {
            return;
        }
        match event {
            Event::Start(Tag::Paragraph) => self.in_paragraph = true,
            Event::End(TagEnd::Paragraph) => {
                self.in_paragraph = false;
                self.done = !self.text.trim().is_empty();
            }
            Event::Text(t) | Event::Code(t) if self.in_paragraph => self.text.push_str(t),
            Event::SoftBreak | Event::HardBreak if self.in_paragraph => self.text.push(' '),
            _ => {}
        }
    }
}

/// `text` cut at `max_chars` characters with an ellipsis.
pub fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{LineCursor, TomlHint};

    fn langs() -> Vec<String> {
        vec!["ja".into(), "en".into()]
    }

    /// The settings the default theme gives Japanese and English.
    fn locales() -> BTreeMap<String, Locale> {
        let ja = Locale {
            script: Script::Japanese,
            starter: Starter {
                title: "お知らせの題名".into(),
                description: "一覧とフィードに表示する短い説明（1～2文）".into(),
                body: "ここに本文を書きます。".into(),
                how_to_publish: String::new(),
            },
            ..Locale::default()
        };
        BTreeMap::from([("ja".into(), ja), ("en".into(), Locale::default())])
    }

    fn page(rel: &str, text: &str) -> Result<ParsedPage, Vec<Diagnostic>> {
        let file = SourceFile {
            rel: PathBuf::from(rel),
            text: text.into(),
        };
        let locales = locales();
        let rules = Rules {
            languages: &langs(),
            glossary: &Glossary::default(),
            locales: &locales,
            easy_japanese: &BTreeMap::new(),
        };
        parse_page(&file, rules)
    }

    fn problems(rel: &str, text: &str) -> Vec<(Problem, usize)> {
        page(rel, text)
            .unwrap_err()
            .into_iter()
            .map(|d| (d.problem, d.location.map_or(0, |l| l.line)))
            .collect()
    }

    #[test]
    fn reads_a_well_formed_page() {
        let p = page(
            "news/2026-04-08-meeting.ja.md",
            "+++\ntitle = \"家族会\"\ndate = 2026-04-08\nweight = 3\nmenu = true\n+++\n\n本文 [交通](/access/)\n",
        )
        .unwrap();
        assert_eq!(p.key(), "news/2026-04-08-meeting");
        assert_eq!(p.lang, "ja");
        assert_eq!(p.front.title, "家族会");
        assert_eq!(p.front.weight, Some(3));
        assert!(p.front.menu);
        assert_eq!(p.front.date.unwrap().iso(), "2026-04-08");
        assert_eq!(p.body.links.len(), 1);
        let at = LineCursor::new(&p.body.text).position(p.body.links[0].offset);
        assert_eq!((at.line, at.column), (8, 4));
        assert_eq!(p.body.summary, "本文 交通");
    }

    #[test]
    fn placeholder_words_are_refused_once_the_draft_line_is_gone() {
        let starter = "+++\ntitle = \"お知らせの題名\"\ndate = 2026-04-08\ndescription = \"一覧とフィードに表示する短い説明（1～2文）\"\n+++\n\nここに本文を書きます。\n";
        let found = problems("news/2026-04-08-x.ja.md", starter);
        let fields: Vec<(String, usize)> = found
            .into_iter()
            .map(|(p, line)| match p {
                Problem::PlaceholderText { field } => (field, line),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(
            fields,
            vec![
                ("title".into(), 2),
                ("description".into(), 4),
                ("text".into(), 7)
            ]
        );
        let draft = starter.replace("+++\n\n", "draft = true\n+++\n\n");
        assert!(
            page("news/2026-04-08-x.ja.md", &draft).is_ok(),
            "a draft may keep them"
        );
    }

    #[test]
    fn section_index_pages_take_their_folder_as_key() {
        let p = page("news/_index.en.md", "+++\ntitle = \"News\"\n+++\n").unwrap();
        assert!(p.is_section());
        assert_eq!(p.key(), "news");
        let home = page("_index.ja.md", "+++\ntitle = \"ホーム\"\n+++\n").unwrap();
        assert_eq!(home.key(), "");
    }

    #[test]
    fn unknown_key_names_the_closest_allowed_key() {
        let found = problems("about.ja.md", "+++\ntitle = \"x\"\ntitel = \"y\"\n+++\n");
        assert_eq!(found.len(), 1);
        match &found[0] {
            (Problem::UnknownKey { key, closest, .. }, 3) => {
                assert_eq!(key, "titel");
                assert_eq!(closest.as_deref(), Some("title"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn missing_title_and_bad_date_are_both_reported() {
        let found = problems("about.ja.md", "+++\ndate = \"2026/4/8\"\n+++\n");
        assert!(found.contains(&(Problem::MissingTitle, 1)));
        assert!(found.iter().any(
            |(p, line)| matches!(p, Problem::InvalidDate { value, .. } if value == "2026/4/8")
                && *line == 2
        ));
    }

    #[test]
    fn invalid_toml_is_located_in_the_file_with_a_hint() {
        let found = problems(
            "about.ja.md",
            "+++\ntitle = \"x\"\ndescription = 説明\n+++\n",
        );
        match &found[0] {
            (Problem::InvalidToml { hint, .. }, 3) => {
                assert_eq!(*hint, Some(TomlHint::UnquotedText))
            }
            other => panic!("unexpected {other:?}"),
        }
        let found = problems("about.ja.md", "+++\ntitle　= \"x\"\n+++\n");
        assert!(matches!(
            &found[0],
            (
                Problem::InvalidToml {
                    hint: Some(TomlHint::FullWidthSpace),
                    ..
                },
                2
            )
        ));
    }

    #[test]
    fn file_names_must_name_a_declared_language_and_a_slug() {
        assert!(matches!(
            problems("about.md", "+++\ntitle = \"x\"\n+++\n")[0].0,
            Problem::NoLanguageInFileName { ref suggestion } if suggestion == "about.ja.md"
        ));
        assert!(matches!(
            problems("about.fr.md", "+++\ntitle = \"x\"\n+++\n")[0].0,
            Problem::UnknownLanguage { ref lang, .. } if lang == "fr"
        ));
        assert!(matches!(
            problems("相談.ja.md", "+++\ntitle = \"x\"\n+++\n")[0].0,
            Problem::BadSlug { .. }
        ));
    }

    #[test]
    fn front_matter_must_open_and_close() {
        assert_eq!(
            problems("a.ja.md", "title = \"x\"\n")[0].0,
            Problem::MissingFrontMatter
        );
        assert_eq!(
            problems("a.ja.md", "+++\ntitle = \"x\"\n")[0].0,
            Problem::UnclosedFrontMatter
        );
    }

    #[test]
    fn wrong_types_are_named() {
        let found = problems("a.ja.md", "+++\ntitle = \"x\"\ndraft = \"yes\"\n+++\n");
        assert_eq!(
            found[0],
            (
                Problem::WrongType {
                    key: "draft".into(),
                    expected: ValueKind::Bool,
                    written: Some("\"yes\"".into())
                },
                3
            )
        );
    }
}
