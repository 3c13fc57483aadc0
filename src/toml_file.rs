//! Reading the TOML files people write (`site.toml`, the data files, front matter).
//!
//! Owns turning every mistake in them into a typed [`Problem`] located at its line and
//! column, naming the entry (`[[municipality]]「仙台市」`) and the key it is in. The TOML
//! reader's and serde's own English words never reach a message: syntax errors are told
//! apart by the line they are on (`syntax_problem`), the key a type error is about is
//! found by where it points in the parsed document, and serde's messages, whose shapes
//! are stable, are read in one function only (`serde_mistake`).

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::dates::everyday_date;
use crate::diagnostics::{Diagnostic, Entry, LineIndex, Problem, TomlHint, ValueKind};
use crate::suggest::closest;

/// Keys whose values are dates, in front matter and in data files: a mistake in their
/// value is reported as a date that cannot be read, with the date it seems to mean.
const DATE_KEYS: [&str; 6] = [
    "date",
    "updated",
    "expires",
    "published",
    "dated",
    "verified",
];

/// Keys an entry may be called by, in order of preference: a source's `id`, a
/// municipality's `name`, a publication's `title`, a glossary term's `words`.
const NAME_KEYS: [&str; 5] = ["id", "name", "title", "words", "number"];

/// A TOML file read into a tree that keeps where every key and value is written, and
/// the heading of every entry, so that any later problem can be located and named.
pub struct Document<'t> {
    rel: PathBuf,
    text: &'t str,
    index: LineIndex,
    root: Spanned<DeTable<'t>>,
    /// Where each heading starts, and the entry it belongs to, in the order written.
    headings: Vec<(usize, Entry)>,
}

/// Where a key and its value are written: (line, column) of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPlace {
    pub key: (usize, usize),
    pub value: (usize, usize),
}

/// One entry under a `[[heading]]`: how messages name it, the entry as written, and its
/// typed value if it could be read (its problems are reported otherwise).
pub struct EntryRead<'d, 't, T> {
    pub entry: Entry,
    pub raw: &'d DeTable<'t>,
    pub value: Option<T>,
}

impl<'t> Document<'t> {
    /// Parses `text`; `language` is the one entries are named in when their name is
    /// given per language. Every syntax mistake is reported, one per line.
    pub fn parse(rel: &Path, text: &'t str, language: &str) -> Result<Self, Vec<Diagnostic>> {
        let (root, errors) = DeTable::parse_recoverable(text);
        let mut headings = Vec::new();
        collect_headings(
            text,
            root.get_ref(),
            &mut Vec::new(),
            None,
            language,
            &mut headings,
        );
        headings.sort_by_key(|(start, _)| *start);
        let document = Document {
            rel: rel.to_path_buf(),
            text,
            index: LineIndex::new(text),
            root,
            headings,
        };
        if errors.is_empty() {
            return Ok(document);
        }
        // One message per line, and one per mistake: `name = …` before `name.ja` and
        // `name.en` is one mistake the reader finds twice.
        let mut problems: Vec<Diagnostic> = Vec::new();
        for error in &errors {
            let offset = error.span().map_or(0, |s| s.start);
            let d =
                syntax_error(rel, text, &document.index, error).in_entry(document.entry_at(offset));
            let line = d.location.as_ref().map(|l| l.line);
            if problems.iter().any(|p| {
                p.location.as_ref().map(|l| l.line) == line
                    || (p.problem == d.problem && p.entry == d.entry)
            }) {
                continue;
            }
            problems.push(d);
        }
        Err(problems)
    }

    /// The entry the text at byte `offset` belongs to: the last heading before it.
    pub fn entry_at(&self, offset: usize) -> Option<Entry> {
        let i = self.headings.partition_point(|(start, _)| *start <= offset);
        i.checked_sub(1).map(|i| self.headings[i].1.clone())
    }

    pub fn root(&self) -> &DeTable<'t> {
        self.root.get_ref()
    }

    /// Line and column of byte `offset`.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        self.index.position(self.text, offset)
    }

    /// Where the key at `path` (`["languages", "ja", "path"]`) and its value are written,
    /// whether its tables are headings (`[languages.ja]`) or dotted keys.
    pub fn place_of(&self, path: &[&str]) -> Option<KeyPlace> {
        let (last, tables) = path.split_last()?;
        let mut table = self.root();
        for name in tables {
            match table.get(*name)?.get_ref() {
                DeValue::Table(inner) => table = inner,
                _ => return None,
            }
        }
        let (key, value) = table.get_key_value(*last)?;
        Some(KeyPlace {
            key: self.position(key.span().start),
            value: self.position(value.span().start),
        })
    }

    /// A diagnostic at the key `path`, or at the top of the file when it is not written.
    pub fn at_key(&self, path: &[&str], diagnostic: Diagnostic) -> Diagnostic {
        let (line, column) = self.place_of(path).map_or((1, 1), |p| p.key);
        diagnostic.at(&self.rel, line, column, Some(self.text))
    }

    /// Where each top-level key and its value are written, as (line, column) pairs:
    /// every later problem with a key or a value points there.
    pub fn top_level_places(&self) -> std::collections::BTreeMap<String, KeyPlace> {
        self.root()
            .iter()
            .map(|(key, value)| {
                let place = KeyPlace {
                    key: self.position(key.span().start),
                    value: self.position(value.span().start),
                };
                (key.get_ref().to_string(), place)
            })
            .collect()
    }

    /// A diagnostic located at byte `offset`, with the line it points into.
    pub fn located(&self, offset: usize, diagnostic: Diagnostic) -> Diagnostic {
        let (line, column) = self.index.position(self.text, offset);
        diagnostic.at(&self.rel, line, column, Some(self.text))
    }

    /// Problems with the top-level keys of a data file: each must be one of `allowed`.
    pub fn unknown_sections(&self, allowed: &[&str]) -> Vec<Diagnostic> {
        self.root()
            .iter()
            .filter(|(key, _)| !allowed.contains(&key.get_ref().as_ref()))
            .map(|(key, _)| {
                let problem = unknown_key(key.get_ref(), allowed.iter().copied());
                self.located(key.span().start, Diagnostic::error(problem))
            })
            .collect()
    }

    /// The whole document as a `T`, or the first problem found, located and named.
    pub fn read<T: Deserialize<'t>>(&self) -> Result<T, Diagnostic> {
        let root = Spanned::new(
            self.root.span(),
            DeValue::Table(self.root.get_ref().clone()),
        );
        T::deserialize(root.clone().into_deserializer())
            .map_err(|e| self.value_error(&root, &e, None, true))
    }

    /// The entries under `[[heading]]`, each read on its own: a mistake in one is
    /// reported with the entry's name, and hides neither the other entries nor their
    /// mistakes. Absent, there are none.
    pub fn entries<'d, T: Deserialize<'t>>(
        &'d self,
        heading: &str,
    ) -> (Vec<EntryRead<'d, 't, T>>, Vec<Diagnostic>) {
        let mut read = Vec::new();
        let mut problems = Vec::new();
        let Some((key, value)) = self.root().get_key_value(heading) else {
            return (read, problems);
        };
        let items = match value.get_ref() {
            DeValue::Array(items) if items.iter().all(|i| i.get_ref().is_table()) => items,
            _ => {
                let problem = Problem::WrongType {
                    key: heading.to_owned(),
                    expected: ValueKind::Entries,
                    written: None,
                };
                problems.push(self.located(key.span().start, Diagnostic::error(problem)));
                return (read, problems);
            }
        };
        for item in items.iter() {
            let DeValue::Table(raw) = item.get_ref() else {
                continue;
            };
            let entry = self.entry_at(item.span().start).unwrap_or_else(|| Entry {
                heading: format!("[[{heading}]]"),
                name: None,
                number: None,
            });
            let value = match T::deserialize(item.clone().into_deserializer()) {
                Ok(value) => Some(value),
                Err(e) => {
                    problems.push(self.value_error(item, &e, Some(entry.clone()), false));
                    None
                }
            };
            read.push(EntryRead { entry, raw, value });
        }
        (read, problems)
    }

    /// A serde error met while reading `within`, as a typed problem at the place it
    /// points to, naming the key: found by where the error points in the tree, since
    /// the messages of type errors do not name it. When `within` is the whole document,
    /// the keys the entry's heading names are left out of the key (`from_root`).
    fn value_error(
        &self,
        within: &Spanned<DeValue<'t>>,
        error: &toml::de::Error,
        entry: Option<Entry>,
        from_root: bool,
    ) -> Diagnostic {
        let mut span = error.span().unwrap_or_else(|| within.span());
        let mut path = Vec::new();
        let mut node = value_at(within, &span, &mut path);
        if node.is_none() {
            path.clear();
        }
        let mut mistake = serde_mistake(error.message());
        // Words given per language (`name.en = 3`), one of which is not text: that one
        // is the mistake, and where it is written is where to point.
        if let (SerdeMistake::NoVariantMatched { name }, Some(DeValue::Table(texts))) =
            (&mistake, node.map(Spanned::get_ref))
            && untagged_kind(name) == Some(ValueKind::Words)
            && let Some((lang, text)) = texts.iter().find(|(_, v)| !v.get_ref().is_str())
        {
            path.push(lang.get_ref().to_string());
            span = text.span();
            node = Some(text);
            mistake = SerdeMistake::InvalidType {
                expected: "a string",
            };
        }
        let entry = entry.or_else(|| self.entry_at(span.start));
        // Keys are named from the entry's heading on: `phone` in `[contact]`, not
        // `contact.phone`.
        let skip = match &entry {
            Some(e) if from_root => heading_depth(&e.heading).min(path.len()),
            _ => 0,
        };
        let key_path = |last: Option<&str>| {
            let mut keys: Vec<&str> = path[skip..].iter().map(String::as_str).collect();
            if let Some(last) = last
                && keys.last() != Some(&last)
            {
                keys.push(last);
            }
            keys.join(".")
        };
        // A table's span is its heading or its key, not a value written.
        let written = match node {
            Some(n) if !n.get_ref().is_table() => {
                self.text.get(span.clone()).unwrap_or("").trim().to_owned()
            }
            _ => String::new(),
        };
        let problem = match mistake {
            SerdeMistake::UnknownField { field, expected } => {
                let mut problem = unknown_key(field, expected.iter().copied());
                if let Problem::UnknownKey { key, .. } = &mut problem {
                    *key = key_path(Some(field));
                }
                problem
            }
            SerdeMistake::MissingField { field } => Problem::MissingKey {
                key: key_path(Some(field)),
            },
            SerdeMistake::DuplicateField { field } => Problem::DuplicateKey {
                key: key_path(Some(field)),
            },
            SerdeMistake::InvalidType { expected } | SerdeMistake::InvalidValue { expected } => {
                wrong_value(key_path(None), value_kind(expected), written)
            }
            SerdeMistake::NoVariantMatched { name } => {
                wrong_value(key_path(None), untagged_kind(name), written)
            }
            SerdeMistake::UnknownVariant { variant, expected } => Problem::NotOneOf {
                key: key_path(None),
                value: variant.to_owned(),
                allowed: expected.iter().map(|s| (*s).to_owned()).collect(),
            },
            SerdeMistake::Other => Problem::InvalidValue {
                key: Some(key_path(None)).filter(|k| !k.is_empty()),
            },
        };
        self.located(span.start, Diagnostic::error(problem))
            .in_entry(entry)
    }
}

/// A value of the wrong kind: a date that cannot be read is named as such, with the day
/// it seems to mean; any other, with the kind of value the key takes.
fn wrong_value(key: String, kind: Option<ValueKind>, written: String) -> Problem {
    match kind {
        Some(ValueKind::Date) => {
            let value = written.trim_matches(['"', '\'']).to_owned();
            Problem::InvalidDate {
                suggestion: everyday_date(&value).map(|d| d.format("%Y-%m-%d").to_string()),
                key,
                value,
            }
        }
        Some(expected) => Problem::WrongType {
            key,
            expected,
            written: Some(written).filter(|w| !w.is_empty()),
        },
        None => Problem::InvalidValue {
            key: Some(key).filter(|k| !k.is_empty()),
        },
    }
}

/// `[[municipality]]` → 1, `[languages.en]` → 2: how many keys of a path the heading
/// of an entry already names.
fn heading_depth(heading: &str) -> usize {
    heading.trim_matches(['[', ']']).split('.').count()
}

fn unknown_key<'a>(key: &str, allowed: impl Iterator<Item = &'a str> + Clone) -> Problem {
    Problem::UnknownKey {
        key: key.to_owned(),
        allowed: allowed.clone().map(str::to_owned).collect(),
        closest: closest(key, allowed).map(str::to_owned),
    }
}

/// The value below `value` whose key or itself is written at exactly `span` (`value`
/// itself if it is), with the keys to it in `path`; `None` if there is none.
fn value_at<'v, 't>(
    value: &'v Spanned<DeValue<'t>>,
    span: &Range<usize>,
    path: &mut Vec<String>,
) -> Option<&'v Spanned<DeValue<'t>>> {
    if value.span() == *span {
        return Some(value);
    }
    match value.get_ref() {
        DeValue::Table(table) => {
            for (key, child) in table.iter() {
                path.push(key.get_ref().to_string());
                if key.span() == *span {
                    return Some(child);
                }
                if let Some(found) = value_at(child, span, path) {
                    return Some(found);
                }
                path.pop();
            }
            None
        }
        DeValue::Array(items) => items.iter().find_map(|item| value_at(item, span, path)),
        _ => None,
    }
}

/// Records every heading below `table` (whose keys are `path`), with the entry it
/// belongs to: a `[[list]]` item is an entry of its own, and so is a `[table]`, unless
/// it sits inside an item (`inside`: `[municipality.desk]` is part of its municipality).
fn collect_headings(
    text: &str,
    table: &DeTable,
    path: &mut Vec<String>,
    inside: Option<&Entry>,
    language: &str,
    found: &mut Vec<(usize, Entry)>,
) {
    for (key, value) in table.iter() {
        path.push(key.get_ref().to_string());
        match value.get_ref() {
            DeValue::Table(child) => {
                if is_heading(value, text) {
                    let entry = inside.cloned().unwrap_or_else(|| Entry {
                        heading: format!("[{}]", path.join(".")),
                        name: None,
                        number: None,
                    });
                    found.push((value.span().start, entry));
                }
                collect_headings(text, child, path, inside, language, found);
            }
            DeValue::Array(items) if items.iter().any(|item| is_heading(item, text)) => {
                for (i, item) in items.iter().enumerate() {
                    let DeValue::Table(child) = item.get_ref() else {
                        continue;
                    };
                    let entry = inside.cloned().unwrap_or_else(|| Entry {
                        heading: format!("[[{}]]", path.join(".")),
                        name: entry_name(child, language, text),
                        number: Some(i + 1),
                    });
                    found.push((item.span().start, entry.clone()));
                    collect_headings(text, child, path, Some(&entry), language, found);
                }
            }
            _ => {}
        }
        path.pop();
    }
}

/// A table written under a heading of its own (`[contact]`, `[[source]]`), rather than
/// one made by dotted keys (`name.ja = …`) or written inline: the parser gives a table
/// the span of its heading when it has one, and the span of its key otherwise.
fn is_heading(value: &Spanned<DeValue>, text: &str) -> bool {
    value.get_ref().is_table()
        && text
            .get(value.span())
            .is_some_and(|written| written.starts_with('['))
}

/// What an entry is called: its first `NAME_KEYS` value, in `language` when given
/// per language. Only a value written as a string is a name: what the reader made of
/// a line with a mistake (`name.ja = 塩竈市"`) would name the entry by the mistake.
fn entry_name(entry: &DeTable, language: &str, text: &str) -> Option<String> {
    let written = |value: &Spanned<DeValue>| -> Option<String> {
        let quoted = text
            .get(value.span())
            .is_some_and(|w| w.starts_with(['"', '\'']));
        quoted.then(|| value.get_ref().as_str().map(str::to_owned))?
    };
    NAME_KEYS.iter().find_map(|key| {
        let value = entry.get(*key)?;
        match value.get_ref() {
            DeValue::String(_) => written(value),
            DeValue::Table(texts) => texts
                .get(language)
                .or_else(|| texts.iter().next().map(|(_, v)| v))
                .and_then(written),
            _ => None,
        }
    })
}

/// The text of `key` in an entry as written, if it is text.
pub fn text_of<'a>(entry: &'a DeTable, key: &str) -> Option<&'a str> {
    entry.get(key)?.get_ref().as_str()
}

/// Parses a whole TOML file into `T` (`site.toml`, a theme's texts): every syntax
/// mistake, or else the first mistake of value.
pub fn parse_file<'t, T: Deserialize<'t>>(rel: &Path, text: &'t str) -> Result<T, Vec<Diagnostic>> {
    Document::parse(rel, text, "")?.read().map_err(|d| vec![d])
}

/// A TOML syntax error of the file `text`, located at its line and named by what the
/// line shows.
fn syntax_error(rel: &Path, text: &str, index: &LineIndex, error: &toml::de::Error) -> Diagnostic {
    let offset = error.span().map_or(0, |s| s.start);
    let (line, column) = index.position(text, offset);
    let line_text = text.lines().nth(line - 1).unwrap_or("");
    let (problem, at) = syntax_problem(line_text, column, error.message());
    Diagnostic::error(problem).at(rel, line, at, Some(text))
}

/// The typed problem behind a TOML syntax error on `line`, reported by the TOML reader
/// at `column` with `message`; and the column to point at, which is the offending
/// character itself when one is known (a full-width space).
fn syntax_problem(line: &str, column: usize, message: &str) -> (Problem, usize) {
    let written = LineParts::of(line);
    let key = written.key.clone();
    let what = message.split(", expected").next().unwrap_or(message).trim();
    if let Some(at) = outside_quotes(line, '\u{3000}') {
        return (invalid(key, TomlHint::FullWidthSpace), at);
    }
    if let Some(at) = outside_quotes(line, '＝') {
        return (invalid(key, TomlHint::FullWidthEquals), at);
    }
    if what == "duplicate key" {
        return (
            Problem::DuplicateKey {
                key: key.unwrap_or_default(),
            },
            column,
        );
    }
    // `title.en = …` after `title = …`: `title` is given twice, once as text and once
    // per language.
    if what.starts_with("cannot extend value of type") {
        let key = key.unwrap_or_default();
        let given = key.rsplit_once('.').map_or(key.as_str(), |(head, _)| head);
        return (
            Problem::DuplicateKey {
                key: given.to_owned(),
            },
            column,
        );
    }
    let in_value = written.value_column.is_some_and(|v| column >= v);
    if let Some(key) = &key
        && in_value
        && DATE_KEYS.contains(&key.rsplit('.').next().unwrap_or(key))
        && !written.value.is_empty()
    {
        let value = written.value.trim_matches(['"', '\'']).to_owned();
        return (
            Problem::InvalidDate {
                key: key.clone(),
                suggestion: everyday_date(&value).map(|d| d.format("%Y-%m-%d").to_string()),
                value,
            },
            written.value_column.unwrap_or(column),
        );
    }
    let digits_as_text = !written.value.is_empty()
        && written
            .value
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-')
        && written.value.starts_with('0');
    let hint = match what {
        _ if in_value && digits_as_text => Some(TomlHint::LeadingZero),
        "unexpected leading zero" => Some(TomlHint::LeadingZero),
        "string values must be quoted" if written.value.is_empty() => Some(TomlHint::MissingValue),
        "string values must be quoted" | "invalid value" | "missing opening quote" => {
            Some(TomlHint::UnquotedText)
        }
        "invalid basic string" | "invalid literal string" => Some(TomlHint::UnclosedQuote),
        "key with no value" if written.value_column.is_some() => Some(TomlHint::KeyCharacters),
        "invalid unquoted key" => Some(TomlHint::KeyCharacters),
        "key with no value" | "unquoted keys cannot be empty" | "unexpected content" => {
            Some(TomlHint::NotKeyValue)
        }
        "unclosed table" | "unclosed array table" | "unclosed array" | "unclosed inline table" => {
            Some(TomlHint::UnclosedBracket)
        }
        "missing comma between array elements" => Some(TomlHint::MissingComma),
        _ => None,
    };
    match hint {
        Some(hint) => (invalid(key, hint), column),
        None => (Problem::InvalidToml { key, hint: None }, column),
    }
}

fn invalid(key: Option<String>, hint: TomlHint) -> Problem {
    Problem::InvalidToml {
        key,
        hint: Some(hint),
    }
}

/// A line of TOML as people write it: `key = value`, or a `[heading]`.
struct LineParts {
    /// The key, or the heading's name.
    key: Option<String>,
    /// The value as written, without a trailing comment.
    value: String,
    /// The column (1-based, in characters) the value starts at, for `key = value`.
    value_column: Option<usize>,
}

impl LineParts {
    fn of(line: &str) -> LineParts {
        let trimmed = line.trim_matches([' ', '\t', '\u{3000}']);
        if trimmed.starts_with('[') {
            let name = trimmed.trim_matches(['[', ']', ' ']).to_owned();
            return LineParts {
                key: Some(name).filter(|n| !n.is_empty()),
                value: String::new(),
                value_column: None,
            };
        }
        let Some((key, value)) = line.split_once(['=', '＝']) else {
            let key = trimmed.to_owned();
            return LineParts {
                key: Some(key).filter(|k| !k.is_empty()),
                value: String::new(),
                value_column: None,
            };
        };
        let key = key.trim_matches([' ', '\t', '\u{3000}']).trim_matches('"');
        let value_start = line.len() - value.len();
        let leading = value.len() - value.trim_start_matches([' ', '\t', '\u{3000}']).len();
        let value_column = line[..value_start + leading].chars().count() + 1;
        let value = value.trim_matches([' ', '\t', '\u{3000}']);
        // A comment is cut only outside quotes: `"#1"` is text.
        let value = match outside_quotes(value, '#') {
            Some(at) => value.chars().take(at - 1).collect::<String>(),
            None => value.to_owned(),
        };
        LineParts {
            key: Some(key.to_owned()).filter(|k| !k.is_empty()),
            value: value.trim_end().to_owned(),
            value_column: Some(value_column),
        }
    }
}

/// The column (1-based, in characters) of the first `wanted` outside `"…"` and `'…'`.
fn outside_quotes(line: &str, wanted: char) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.chars().enumerate() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == wanted => return Some(i + 1),
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' => return None,
            None => {}
        }
    }
    None
}

/// What serde's message says went wrong. Its messages come from the provided methods of
/// `serde::de::Error` and have kept these shapes for years; this is the one function that
/// reads them. Anything else is [`SerdeMistake::Other`], worded generically.
#[derive(Debug, PartialEq, Eq)]
enum SerdeMistake<'m> {
    UnknownField {
        field: &'m str,
        expected: Vec<&'m str>,
    },
    MissingField {
        field: &'m str,
    },
    DuplicateField {
        field: &'m str,
    },
    /// `invalid type: string "x", expected an integer`: `expected` is serde's words for
    /// the kind of value wanted.
    InvalidType {
        expected: &'m str,
    },
    /// `invalid value: integer `-1`, expected usize`.
    InvalidValue {
        expected: &'m str,
    },
    UnknownVariant {
        variant: &'m str,
        expected: Vec<&'m str>,
    },
    /// No variant of an untagged enum (`name`) took the value.
    NoVariantMatched {
        name: &'m str,
    },
    Other,
}

fn serde_mistake(message: &str) -> SerdeMistake<'_> {
    let message = message.trim();
    // The first name in backquotes, and every one after it.
    let quoted = |text: &'static str| -> Option<(&str, Vec<&str>)> {
        let rest = message.strip_prefix(text)?;
        let mut parts = rest.split('`').skip(1).step_by(2);
        let first = parts.next()?;
        Some((first, parts.collect()))
    };
    if let Some((field, expected)) = quoted("unknown field ") {
        return SerdeMistake::UnknownField { field, expected };
    }
    if let Some((variant, expected)) = quoted("unknown variant ") {
        return SerdeMistake::UnknownVariant { variant, expected };
    }
    if let Some((field, _)) = quoted("missing field ") {
        return SerdeMistake::MissingField { field };
    }
    if let Some((field, _)) = quoted("duplicate field ") {
        return SerdeMistake::DuplicateField { field };
    }
    let expected = || {
        message
            .rsplit_once(", expected ")
            .map(|(_, e)| e.trim())
            .unwrap_or_default()
    };
    if message.starts_with("invalid type: ") {
        return SerdeMistake::InvalidType {
            expected: expected(),
        };
    }
    if message.starts_with("invalid value: ") {
        return SerdeMistake::InvalidValue {
            expected: expected(),
        };
    }
    if let Some(name) = message.strip_prefix("data did not match any variant of untagged enum ") {
        return SerdeMistake::NoVariantMatched { name: name.trim() };
    }
    SerdeMistake::Other
}

/// The kind of value serde's words for it name (`a string`, `usize`, `a sequence`).
fn value_kind(expected: &str) -> Option<ValueKind> {
    Some(match expected {
        "a string" | "a borrowed string" | "a character" => ValueKind::Text,
        "a boolean" => ValueKind::Bool,
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "an integer" => ValueKind::Integer,
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => ValueKind::Count,
        "a sequence" => ValueKind::List,
        e if e.starts_with("a map") || e.starts_with("struct ") => ValueKind::Table,
        e if e.contains("datetime") => ValueKind::Date,
        _ => return None,
    })
}

/// The kind of value an untagged enum of the data files stands for, by its name: the
/// only way serde's message names it.
fn untagged_kind(name: &str) -> Option<ValueKind> {
    match name {
        "LocalizedSource" => Some(ValueKind::Words),
        "DateValue" => Some(ValueKind::Date),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where a key is written comes from the reading of the file, never from searching
    /// its text: a heading however spaced, a key in its own table or dotted, a key
    /// whose name also begins another's.
    #[test]
    fn a_key_is_placed_where_the_reader_found_it() {
        let text = "a = 1\npathway = 0\n[ contact ]  # 連絡先\nphone = \"x\"\n[b]\nname = 2\npath = 3\n[c]\nd.path = 4\n";
        let document = Document::parse(Path::new("x.toml"), text, "").expect("TOML");
        let key = |path: &[&str]| document.place_of(path).map(|p| p.key);
        assert_eq!(key(&["contact"]), Some((3, 3)));
        assert_eq!(key(&["contact", "phone"]), Some((4, 1)));
        assert_eq!(key(&["b", "path"]), Some((7, 1)));
        assert_eq!(key(&["c", "d", "path"]), Some((9, 3)));
        assert_eq!(
            document.place_of(&["b", "path"]).map(|p| p.value),
            Some((7, 8))
        );
        assert_eq!(key(&["b", "title"]), None);
        let places = document.top_level_places();
        assert_eq!(places["pathway"].key, (2, 1));
    }

    #[test]
    fn serde_messages_are_read_by_their_shape() {
        use SerdeMistake::*;
        assert_eq!(
            serde_mistake("unknown field `nmae`, expected one of `code`, `name`, `kana`"),
            UnknownField {
                field: "nmae",
                expected: vec!["code", "name", "kana"]
            }
        );
        assert_eq!(
            serde_mistake("unknown field `colour`, expected `limit`"),
            UnknownField {
                field: "colour",
                expected: vec!["limit"]
            }
        );
        assert_eq!(
            serde_mistake("unknown field `x`, expected `a` or `b`"),
            UnknownField {
                field: "x",
                expected: vec!["a", "b"]
            }
        );
        assert_eq!(
            serde_mistake("unknown field `x`, there are no fields"),
            UnknownField {
                field: "x",
                expected: vec![]
            }
        );
        assert_eq!(
            serde_mistake("missing field `kana`"),
            MissingField { field: "kana" }
        );
        assert_eq!(
            serde_mistake("duplicate field `id`"),
            DuplicateField { field: "id" }
        );
        assert_eq!(
            serde_mistake("invalid type: string \"1409\", expected u64"),
            InvalidType { expected: "u64" }
        );
        // The value's own words cannot be mistaken for the expectation.
        assert_eq!(
            serde_mistake("invalid type: string \"a, expected b\", expected a sequence"),
            InvalidType {
                expected: "a sequence"
            }
        );
        assert_eq!(
            serde_mistake("invalid value: integer `-1`, expected usize"),
            InvalidValue { expected: "usize" }
        );
        assert_eq!(
            serde_mistake("unknown variant `daily`, expected `weekly` or `monthly`"),
            UnknownVariant {
                variant: "daily",
                expected: vec!["weekly", "monthly"]
            }
        );
        assert_eq!(
            serde_mistake("data did not match any variant of untagged enum LocalizedSource"),
            NoVariantMatched {
                name: "LocalizedSource"
            }
        );
        assert_eq!(
            serde_mistake("invalid length 3, expected a tuple of size 2"),
            Other
        );
        assert_eq!(serde_mistake("something new"), Other);
    }

    #[test]
    fn serde_names_of_kinds_map_to_value_kinds() {
        assert_eq!(value_kind("a string"), Some(ValueKind::Text));
        assert_eq!(value_kind("usize"), Some(ValueKind::Count));
        assert_eq!(value_kind("i64"), Some(ValueKind::Integer));
        assert_eq!(value_kind("a sequence"), Some(ValueKind::List));
        assert_eq!(value_kind("struct Language"), Some(ValueKind::Table));
        assert_eq!(value_kind("a tuple of size 2"), None);
    }

    /// The untagged enums named in [`untagged_kind`] are the ones serde names.
    #[test]
    fn untagged_enums_are_named_as_serde_names_them() {
        let wrong = "x = 3\n";
        let words = Document::parse(Path::new("a.toml"), wrong, "ja")
            .ok()
            .and_then(|d| {
                #[derive(Deserialize, Debug)]
                #[allow(dead_code)]
                struct W {
                    x: crate::localized::LocalizedSource,
                }
                d.read::<W>().err()
            })
            .expect("an integer is not words");
        assert!(
            matches!(
                &words.problem,
                Problem::WrongType {
                    expected: ValueKind::Words,
                    ..
                }
            ),
            "{:?}",
            words.problem
        );
    }

    fn problem_of(line: &str) -> (Problem, usize) {
        let error = toml::from_str::<toml::Table>(line).expect_err("not TOML");
        let offset = error.span().map_or(0, |s| s.start);
        let column = line[..offset].chars().count() + 1;
        syntax_problem(line, column, error.message())
    }

    fn hint_of(line: &str) -> Option<TomlHint> {
        match problem_of(line).0 {
            Problem::InvalidToml { hint, .. } => hint,
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn syntax_errors_are_told_apart_by_their_line() {
        assert_eq!(hint_of("title = 相談"), Some(TomlHint::UnquotedText));
        assert_eq!(hint_of("phone = 0227184343"), Some(TomlHint::LeadingZero));
        assert_eq!(hint_of("phone = 022-718-4343"), Some(TomlHint::LeadingZero));
        assert_eq!(hint_of("code = 04203"), Some(TomlHint::LeadingZero));
        assert_eq!(hint_of("title = \"相談"), Some(TomlHint::UnclosedQuote));
        assert_eq!(hint_of("title = "), Some(TomlHint::MissingValue));
        assert_eq!(hint_of("タイトル = \"x\""), Some(TomlHint::KeyCharacters));
        assert_eq!(hint_of("my key = 1"), Some(TomlHint::KeyCharacters));
        assert_eq!(hint_of("title"), Some(TomlHint::NotKeyValue));
        assert_eq!(hint_of("[contact"), Some(TomlHint::UnclosedBracket));
        assert_eq!(hint_of("a = [\"x\" \"y\"]"), Some(TomlHint::MissingComma));
        assert_eq!(
            problem_of("a = 1\na = 2").0,
            Problem::DuplicateKey { key: "a".into() }
        );
        assert_eq!(
            problem_of("title = \"x\"\ntitle.en = \"y\"").0,
            Problem::DuplicateKey {
                key: "title".into()
            }
        );
    }

    #[test]
    fn full_width_characters_are_pointed_at_exactly() {
        assert_eq!(
            problem_of("title\u{3000}= \"x\""),
            (
                Problem::InvalidToml {
                    key: Some("title".into()),
                    hint: Some(TomlHint::FullWidthSpace)
                },
                6
            )
        );
        let (problem, column) = problem_of("title ＝ \"x\"");
        assert!(
            matches!(
                problem,
                Problem::InvalidToml {
                    hint: Some(TomlHint::FullWidthEquals),
                    ..
                }
            ),
            "{problem:?}"
        );
        assert_eq!(column, 7);
        // A full-width space inside quotes is text, not the mistake.
        assert_eq!(
            hint_of("title = \"家族会　のお知らせ"),
            Some(TomlHint::UnclosedQuote)
        );
    }

    #[test]
    fn a_date_key_with_an_unreadable_value_is_an_invalid_date() {
        for (line, value, suggestion) in [
            ("date = 2026/4/8", "2026/4/8", Some("2026-04-08")),
            ("date = 令和8年4月8日", "令和8年4月8日", Some("2026-04-08")),
            ("updated = 2026-02-30", "2026-02-30", None),
            (
                "published = 2026-4-8 # 掲載日",
                "2026-4-8",
                Some("2026-04-08"),
            ),
        ] {
            let (problem, column) = problem_of(line);
            let key = line.split(' ').next().unwrap_or_default();
            assert_eq!(
                problem,
                Problem::InvalidDate {
                    key: key.into(),
                    value: value.into(),
                    suggestion: suggestion.map(str::to_owned)
                },
                "{line}"
            );
            assert_eq!(column, key.chars().count() + 4, "{line}");
        }
    }

    const DIRECTORY: &str = r#"# comment
[[municipality]]
code = "04100"
name.ja = "仙台市"
name.en = "Sendai City"

[[municipality]]
code = 4202
name.ja = "石巻市"

[[municipality]]
code = "04203"
nmae.ja = "塩竈市"
[municipality.desk]
phone = "022-364-4786"
source = "leaflet"
"#;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Municipality {
        code: String,
        name: crate::localized::LocalizedSource,
        desk: Option<Desk>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Desk {
        phone: String,
        source: String,
    }

    #[test]
    fn each_entry_is_read_on_its_own_and_named_in_its_problems() {
        let doc = Document::parse(Path::new("directory.toml"), DIRECTORY, "ja").unwrap();
        let (read, problems) = doc.entries::<Municipality>("municipality");
        assert_eq!(read.len(), 3);
        assert!(read[0].value.is_some());
        assert_eq!(read[0].entry.name.as_deref(), Some("仙台市"));
        let found: Vec<_> = problems
            .iter()
            .map(|d| {
                let at = d.location.as_ref().unwrap();
                (
                    d.problem.clone(),
                    at.line,
                    at.column,
                    d.entry.as_ref().and_then(|e| e.name.clone()),
                    d.entry.as_ref().and_then(|e| e.number),
                )
            })
            .collect();
        assert_eq!(
            found[0],
            (
                Problem::WrongType {
                    key: "code".into(),
                    expected: ValueKind::Text,
                    written: Some("4202".into())
                },
                8,
                8,
                Some("石巻市".into()),
                Some(2)
            )
        );
        // The third has no name: it is known by its place.
        assert!(
            matches!(&found[1].0, Problem::UnknownKey { key, closest, .. } if key == "nmae" && closest.as_deref() == Some("name")),
            "{:?}",
            found[1]
        );
        assert_eq!(
            (found[1].1, found[1].3.clone(), found[1].4),
            (13, None, Some(3))
        );
    }

    #[test]
    fn a_missing_key_points_at_its_entry_and_names_the_nested_table() {
        let text = DIRECTORY
            .replace("nmae", "name")
            .replace("source = \"leaflet\"\n", "");
        let doc = Document::parse(Path::new("directory.toml"), &text, "ja").unwrap();
        let (_, problems) = doc.entries::<Municipality>("municipality");
        let d = &problems[1];
        assert_eq!(
            d.problem,
            Problem::MissingKey {
                key: "desk.source".into()
            }
        );
        assert_eq!(d.location.as_ref().unwrap().line, 14);
        assert_eq!(d.entry.as_ref().unwrap().name.as_deref(), Some("塩竈市"));
        assert_eq!(d.entry.as_ref().unwrap().heading, "[[municipality]]");
    }

    #[test]
    fn keys_in_a_table_are_named_from_its_heading() {
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Site {
            feed: Feed,
        }
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Feed {
            limit: usize,
        }
        let text = "# settings\n\n[feed]\nlimit = \"20\"\n";
        let d = parse_file::<Site>(Path::new("site.toml"), text).unwrap_err();
        assert_eq!(
            d[0].problem,
            Problem::WrongType {
                key: "limit".into(),
                expected: ValueKind::Count,
                written: Some("\"20\"".into())
            }
        );
        assert_eq!(d[0].entry.as_ref().unwrap().heading, "[feed]");
        let at = d[0].location.as_ref().unwrap();
        assert_eq!((at.line, at.column), (4, 9));
    }

    #[test]
    fn every_syntax_error_is_reported_once_per_line_with_its_entry() {
        let text = "[[source]]\nid = \"a\"\nyear = 20 14\n\n[[source]]\nid = \"b\"\ntitle = 題\n";
        let problems = Document::parse(Path::new("sources.toml"), text, "ja")
            .err()
            .expect("two mistakes");
        let found: Vec<_> = problems
            .iter()
            .map(|d| {
                (
                    d.location.as_ref().unwrap().line,
                    d.entry.as_ref().and_then(|e| e.name.clone()),
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![(3, Some("a".to_owned())), (7, Some("b".to_owned()))]
        );
    }
}
