//! Reading the TOML files people write (`site.toml`, the data files, front matter):
//! errors located at the line and column of the mistake, with a guess at the office
//! mistake behind a syntax error, and positions of values for later checks.

use std::path::Path;

use crate::diagnostics::{Diagnostic, LineIndex, Problem, TomlHint};

/// A TOML syntax or type error in a whole file (site.toml, data files), located.
pub fn toml_error(rel: &Path, text: &str, error: &toml::de::Error) -> Diagnostic {
    toml_error_at(rel, text, text, 1, error)
}

/// A TOML error in `fragment`, which starts on `first_line` of the file `text`.
pub fn toml_error_at(
    rel: &Path,
    text: &str,
    fragment: &str,
    first_line: usize,
    error: &toml::de::Error,
) -> Diagnostic {
    let offset = error.span().map_or(0, |s| s.start);
    let (line, column) = LineIndex::new(fragment).position(fragment, offset);
    let line_text = fragment.lines().nth(line - 1).unwrap_or("");
    Diagnostic::error(Problem::InvalidToml {
        detail: error.message().trim().to_owned(),
        hint: toml_hint(line_text),
    })
    .at(rel, line + first_line - 1, column, Some(text))
}

/// Guesses the office mistake behind a TOML error from the line it is on.
fn toml_hint(line: &str) -> Option<TomlHint> {
    let (key, value) = line.split_once(['=', '＝']).unwrap_or((line, ""));
    if line.contains('\u{3000}') {
        Some(TomlHint::FullWidthSpace)
    } else if line.contains('＝') {
        Some(TomlHint::FullWidthEquals)
    } else if ["date", "updated", "expires"].contains(&key.trim()) {
        Some(TomlHint::DateForm)
    } else if !value.trim().is_empty()
        && !value.trim_start().starts_with(['"', '\'', '[', '{'])
        && !value
            .trim()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-:.+_".contains(c))
    {
        Some(TomlHint::UnquotedText)
    } else {
        None
    }
}

/// The line on which `key = ` is written, for locating semantic errors.
pub fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

/// Locates a diagnostic at a byte offset of a file, with the line it points into.
pub fn at_offset(rel: &Path, text: &str, offset: usize, diagnostic: Diagnostic) -> Diagnostic {
    let (line, column) = LineIndex::new(text).position(text, offset);
    diagnostic.at(rel, line, column, Some(text))
}

/// Parses a whole TOML file into `T`, or gives the located error.
pub fn parse_file<T: serde::de::DeserializeOwned>(rel: &Path, text: &str) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|e| toml_error(rel, text, &e))
}

/// The line on which the table `[name]` starts, for problems with the table as a whole.
pub fn line_of_table(text: &str, name: &str) -> usize {
    let header = format!("[{name}]");
    text.lines()
        .position(|l| l.trim() == header)
        .map_or(1, |i| i + 1)
}
