//! The bad-input suite: every folder under `tests/bad_input/` is one mistake staff make,
//! holding the files that differ from the `basic` fixture and the messages the mistake
//! must give, in Japanese and in English. Each case runs the real `yorisoi` command in a
//! copy of the site, once per language. A case that must fail must also leave every file
//! (the last good output above all) byte for byte as it was.
//!
//! How a case folder is laid out is described in `tests/bad_input/README.md`.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{NOW, copy_dir, fixture, snapshot};
use rayon::prelude::*;
use serde::Deserialize;

/// What a case runs and what must hold, from its `case.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// The mistake, for people reading the suite.
    #[allow(dead_code)]
    about: String,
    /// `build` or `check`.
    #[serde(default = "build")]
    command: String,
    /// Whether the command must fail (exit code 1) rather than succeed (0).
    #[serde(default = "yes")]
    fails: bool,
    /// `--output`, relative to the site folder; `public` when not given.
    output: Option<String>,
    /// Build the unbroken site into the output folder before breaking it, so that a
    /// failing build is seen to keep it. By default, for a failing `build`.
    build_first: Option<bool>,
    /// Files of the content folder to delete (a page renamed).
    #[serde(default)]
    remove: Vec<String>,
    /// Files of the case to save in another encoding than the UTF-8 they are kept in:
    /// `shift_jis`, `utf-16` or `utf-8-bom-crlf`.
    #[serde(default)]
    encode: BTreeMap<String, String>,
    /// Run in an empty folder: no site at all.
    #[serde(default)]
    empty_folder: bool,
    /// The change must be accepted silently: the messages equal those of the unbroken
    /// site run the same way.
    #[serde(default)]
    silent: bool,
    /// Words that must appear in neither language's messages.
    #[serde(default)]
    absent: Vec<String>,
}

fn build() -> String {
    "build".to_owned()
}

fn yes() -> bool {
    true
}

/// Words of the TOML reader and of serde that must never reach a Japanese message.
const ENGLISH_LEAKS: [&str; 9] = [
    "expected",
    "invalid type",
    "invalid value",
    "unknown field",
    "missing field",
    "duplicate key",
    "untagged",
    "TOML parse",
    "not a folder",
];

/// Words of the TOML reader and of serde, which staff never see in either language: the
/// messages are the program's own.
const READER_WORDS: [&str; 9] = [
    "invalid type",
    "invalid value",
    "unknown field",
    "missing field",
    "untagged",
    "TOML parse",
    "missing comma",
    "unquoted key",
    "the TOML reader says",
];

const LANGUAGES: [&str; 2] = ["ja", "en"];

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input")
}

/// Files of a case that describe it rather than being part of the site.
fn is_case_file(name: &str) -> bool {
    name == "case.toml" || (name.starts_with("expected.") && name.ends_with(".txt"))
}

#[test]
fn every_case_gives_its_messages_in_both_languages_and_keeps_every_file() {
    let mut names: Vec<String> = fs::read_dir(cases_dir())
        .expect("tests/bad_input exists")
        .map(|e| e.expect("case folder").path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 30, "only {} cases", names.len());
    let failures: Vec<String> = names
        .par_iter()
        .filter_map(|name| run_case(name).err().map(|e| format!("── {name}\n{e}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        names.len(),
        failures.join("\n\n")
    );
}

/// Runs one case; `Err` says everything that did not hold.
fn run_case(name: &str) -> Result<(), String> {
    let dir = cases_dir().join(name);
    let case: Case = toml::from_str(
        &fs::read_to_string(dir.join("case.toml")).map_err(|e| format!("case.toml: {e}"))?,
    )
    .map_err(|e| format!("case.toml: {e}"))?;
    let expected: BTreeMap<&str, Vec<Vec<String>>> = LANGUAGES
        .iter()
        .map(|lang| Ok((*lang, expectations(&dir, lang)?)))
        .collect::<Result<_, String>>()?;

    let site = tempfile::tempdir().map_err(|e| e.to_string())?;
    let root = site.path();
    if !case.empty_folder {
        copy_dir(&fixture("basic"), &root.join("content"));
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes"),
            &root.join("themes"),
        );
    }
    // Folders beside the content (someone's own files) are there from the start.
    overlay(&dir, root, |rel| !rel.starts_with("content"))?;
    let build_first = case
        .build_first
        .unwrap_or(case.fails && case.command == "build");
    if build_first {
        let good = yorisoi(root, &case, "build", "ja");
        if good.0 != 0 {
            return Err(format!("the unbroken site did not build:\n{}", good.1));
        }
    }
    // The unbroken site's own messages, for a case that must change none of them.
    let unbroken: BTreeMap<&str, String> = if case.silent {
        LANGUAGES
            .iter()
            .map(|lang| (*lang, yorisoi(root, &case, &case.command, lang).1))
            .collect()
    } else {
        BTreeMap::new()
    };
    overlay(&dir, root, |rel| rel.starts_with("content"))?;
    for rel in &case.remove {
        fs::remove_file(root.join("content").join(rel)).map_err(|e| format!("{rel}: {e}"))?;
    }
    for (rel, encoding) in &case.encode {
        encode(&root.join(rel), encoding)?;
    }
    let before = snapshot(root);

    let mut problems = Vec::new();
    for lang in LANGUAGES {
        let (code, messages) = yorisoi(root, &case, &case.command, lang);
        let wanted = if case.fails { 1 } else { 0 };
        if code != wanted {
            problems.push(format!("[{lang}] exit code {code}, wanted {wanted}"));
        }
        for block in &expected[lang] {
            if !contains_block(&messages, block) {
                problems.push(format!("[{lang}] missing:\n{}", block.join("\n")));
            }
        }
        for word in &case.absent {
            if messages.contains(word.as_str()) {
                problems.push(format!("[{lang}] should not say \"{word}\""));
            }
        }
        for leak in READER_WORDS {
            if messages.contains(leak) {
                problems.push(format!("[{lang}] has the reader's own words \"{leak}\""));
            }
        }
        if lang == "ja" {
            for leak in ENGLISH_LEAKS {
                if messages.contains(leak) {
                    problems.push(format!("[ja] leaks the English \"{leak}\""));
                }
            }
        }
        if case.silent && unbroken.get(lang) != Some(&messages) {
            problems.push(format!(
                "[{lang}] says more than the unbroken site:\n{}",
                unbroken.get(lang).map_or("", String::as_str)
            ));
        }
        if case.fails && snapshot(root) != before {
            problems.push(format!(
                "[{lang}] files changed: {}",
                changed_files(&before, &snapshot(root)).join(", ")
            ));
        }
        if !problems.is_empty() {
            problems.push(format!("[{lang}] the messages were:\n{messages}"));
            break;
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Runs `yorisoi <command>` in `root` as staff do, with the language chosen by flag and
/// the locale variables cleared, since they may choose it too: (exit code, stderr).
fn yorisoi(root: &Path, case: &Case, command: &str, lang: &str) -> (i32, String) {
    let mut run = Command::new(env!("CARGO_BIN_EXE_yorisoi"));
    run.arg(command)
        .args(["--messages", lang, "--now", NOW])
        .current_dir(root)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    if let Some(output) = &case.output {
        run.args(["--output", output]);
    }
    let output = run.output().expect("run yorisoi");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The blocks of `expected.<lang>.txt`: lines separated by blank lines; `#` starts a
/// comment line. A case without any is a mistake of the suite: it would assert nothing.
fn expectations(dir: &Path, lang: &str) -> Result<Vec<Vec<String>>, String> {
    let file = format!("expected.{lang}.txt");
    let text = fs::read_to_string(dir.join(&file)).map_err(|e| format!("{file}: {e}"))?;
    let mut blocks = vec![Vec::new()];
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            blocks.push(Vec::new());
        } else if let Some(block) = blocks.last_mut() {
            block.push(line.to_owned());
        }
    }
    blocks.retain(|b| !b.is_empty());
    if blocks.is_empty() {
        return Err(format!(
            "{file} expects nothing: every case must assert something"
        ));
    }
    Ok(blocks)
}

/// Whether `block`'s lines appear, each within one line, on consecutive lines of `text`:
/// so that a marker line `   |      ^` is checked under the line it marks.
fn contains_block(text: &str, block: &[String]) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    (0..lines.len()).any(|start| {
        block.iter().enumerate().all(|(i, wanted)| {
            lines
                .get(start + i)
                .is_some_and(|line| line.contains(wanted.as_str()))
        })
    })
}

/// Copies the files of a case folder whose path (below it) `wanted` takes into `root`.
fn overlay(dir: &Path, root: &Path, wanted: impl Fn(&Path) -> bool) -> Result<(), String> {
    for rel in common::list_files(dir) {
        let rel = PathBuf::from(rel);
        if is_case_file(&rel.to_string_lossy()) || !wanted(&rel) {
            continue;
        }
        let target = root.join(&rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        fs::copy(dir.join(&rel), &target).map_err(|e| format!("{}: {e}", rel.display()))?;
    }
    Ok(())
}

/// Saves a UTF-8 file again as editors on Windows may.
fn encode(path: &Path, encoding: &str) -> Result<(), String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let bytes = match encoding {
        "shift_jis" => {
            let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
            if unmappable {
                return Err(format!("{} has no Shift_JIS form", path.display()));
            }
            bytes.into_owned()
        }
        "utf-16" => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        "utf-8-bom-crlf" => [0xEF, 0xBB, 0xBF]
            .into_iter()
            .chain(text.replace('\n', "\r\n").into_bytes())
            .collect(),
        other => return Err(format!("unknown encoding {other}")),
    };
    fs::write(path, bytes).map_err(|e| e.to_string())
}

fn changed_files(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The suite's own checks, so that a broken harness cannot pass every case.
#[test]
fn a_block_matches_only_consecutive_lines() {
    let text = "a:1:1: error\n 1 | x\n   |  ^\nother";
    let block = |lines: &[&str]| lines.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
    assert!(contains_block(
        text,
        &block(&["a:1:1", " 1 | x", "   |  ^"])
    ));
    assert!(!contains_block(text, &block(&["a:1:1", "   |  ^"])));
    assert!(!contains_block(text, &block(&[" 1 | x", "   | ^"])));
}

#[test]
fn a_case_without_expectations_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("expected.ja.txt"), "# only a comment\n\n").unwrap();
    assert!(expectations(dir.path(), "ja").is_err());
    assert!(expectations(dir.path(), "en").is_err(), "a missing file");
}
