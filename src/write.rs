//! Stage 5, write: puts the rendered site on disk without ever losing anything.
//!
//! Owns the output folder. The site is written into a staging folder beside the output
//! and swapped in only when every file is written, so a failed build leaves the
//! previous output exactly as it was. A marker file identifies folders this generator
//! made; it replaces or removes no folder without that marker, and refuses an output
//! path that would contain, or sit inside, the content folder.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Problem};
use crate::render::Rendered;

/// Present in every output folder this generator wrote.
pub const MARKER: &str = ".yorisoi-output";

const MARKER_TEXT: &str = "This folder is written by yorisoi. Every build replaces it whole:\n\
    edit the content folder, not these files.\n\
    このフォルダーは yorisoi が作成しています。ビルドのたびに置き換わるため、\n\
    ここではなく content フォルダーを編集してください。\n";

/// Refuses output folders that are not safe to replace. Call before any work is done.
pub fn check_output(output: &Path, content: &Path) -> Result<(), Diagnostic> {
    let output_abs = absolute(output);
    let content_abs = absolute(content);
    if content_abs.starts_with(&output_abs) {
        return Err(Diagnostic::error(Problem::OutputContainsContent {
            output: output.to_path_buf(),
        }));
    }
    if output_abs.starts_with(&content_abs) {
        return Err(Diagnostic::error(Problem::OutputInsideContent {
            output: output.to_path_buf(),
        }));
    }
    if !is_replaceable(output) {
        return Err(Diagnostic::error(Problem::OutputNotOurs {
            output: output.to_path_buf(),
        }));
    }
    Ok(())
}

/// Writes everything into a staging folder, then swaps it in for the output folder.
pub fn publish(output: &Path, rendered: &Rendered) -> Result<(), Diagnostic> {
    let staging = sibling(output, "staging");
    let previous = sibling(output, "previous");
    for leftover in [&staging, &previous] {
        if !is_replaceable(leftover) {
            return Err(Diagnostic::error(Problem::OutputNotOurs {
                output: leftover.clone(),
            }));
        }
        remove_if_exists(leftover).map_err(|e| failed(leftover, &e))?;
    }
    if let Err(e) = write_tree(&staging, rendered) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    swap_in(&staging, output, &previous)
}

/// An absent folder, an empty one, or one carrying our marker.
fn is_replaceable(dir: &Path) -> bool {
    match fs::symlink_metadata(dir) {
        Err(_) => true,
        Ok(meta) if meta.is_dir() => {
            dir.join(MARKER).is_file()
                || fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
        }
        Ok(_) => false,
    }
}

/// `public` → `.public.yorisoi-staging`, beside it, so the final rename stays on one disk.
fn sibling(output: &Path, role: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_owned());
    output.with_file_name(format!(".{name}.yorisoi-{role}"))
}

fn write_tree(root: &Path, rendered: &Rendered) -> Result<(), Diagnostic> {
    let targets = rendered
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(rendered.copies.iter().map(|(_, to)| to.as_str()));
    let mut dirs = BTreeSet::new();
    for target in targets {
        let path = Path::new(target);
        if !is_plain_relative(path) {
            return Err(failed(
                path,
                &io::Error::other("path leaves the output folder"),
            ));
        }
        if let Some(parent) = path.parent() {
            dirs.insert(root.join(parent));
        }
    }
    dirs.insert(root.to_path_buf());
    for dir in &dirs {
        fs::create_dir_all(dir).map_err(|e| failed(dir, &e))?;
    }
    rendered.files.par_iter().try_for_each(|file| {
        let path = root.join(&file.path);
        fs::write(&path, &file.bytes).map_err(|e| failed(&path, &e))
    })?;
    rendered.copies.par_iter().try_for_each(|(from, to)| {
        fs::copy(from, root.join(to))
            .map(|_| ())
            .map_err(|e| failed(from, &e))
    })?;
    let marker = root.join(MARKER);
    fs::write(&marker, MARKER_TEXT).map_err(|e| failed(&marker, &e))
}

fn swap_in(staging: &Path, output: &Path, previous: &Path) -> Result<(), Diagnostic> {
    let had_output = output.exists();
    if had_output {
        fs::rename(output, previous).map_err(|e| failed(output, &e))?;
    }
    if let Err(e) = fs::rename(staging, output) {
        if had_output {
            let _ = fs::rename(previous, output);
        }
        let _ = fs::remove_dir_all(staging);
        return Err(failed(output, &e));
    }
    if had_output {
        fs::remove_dir_all(previous).map_err(|e| failed(previous, &e))?;
    }
    Ok(())
}

fn remove_if_exists(dir: &Path) -> io::Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

fn is_plain_relative(path: &Path) -> bool {
    path.components().all(|c| matches!(c, Component::Normal(_)))
}

fn failed(path: &Path, error: &io::Error) -> Diagnostic {
    Diagnostic::error(Problem::WriteFailed {
        path: path.to_path_buf(),
        detail: error.to_string(),
    })
}

/// The absolute form of a path that may not exist yet, with symlinks of the part that
/// exists resolved, so `public/..` and `./` compare equal to the folder they name.
fn absolute(path: &Path) -> PathBuf {
    let joined = std::env::current_dir().unwrap_or_default().join(path);
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut result = real;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        result.pop();
                    }
                    Component::CurDir => {}
                    other => result.push(other),
                }
            }
            return result;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return joined,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_content_folder_and_its_parents() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        fs::create_dir(&content).unwrap();
        for output in [
            tmp.path().to_path_buf(),
            content.clone(),
            content.join(".."),
        ] {
            let err = check_output(&output, &content).unwrap_err();
            assert!(
                matches!(err.problem, Problem::OutputContainsContent { .. }),
                "{output:?}"
            );
        }
        let err = check_output(&content.join("public"), &content).unwrap_err();
        assert!(matches!(err.problem, Problem::OutputInsideContent { .. }));
        assert!(check_output(&tmp.path().join("public"), &content).is_ok());
    }

    #[test]
    fn refuses_a_folder_without_the_marker() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        let output = tmp.path().join("site");
        fs::create_dir_all(&content).unwrap();
        fs::create_dir_all(&output).unwrap();
        assert!(
            check_output(&output, &content).is_ok(),
            "an empty folder is fine"
        );
        fs::write(output.join("notes.txt"), "mine").unwrap();
        let err = check_output(&output, &content).unwrap_err();
        assert!(matches!(err.problem, Problem::OutputNotOurs { .. }));
        fs::write(output.join(MARKER), "").unwrap();
        assert!(check_output(&output, &content).is_ok());
    }

    #[test]
    fn publish_replaces_the_whole_output() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("public");
        let rendered = |path: &str| Rendered {
            files: vec![crate::render::OutputFile {
                path: path.to_owned(),
                bytes: b"x".to_vec(),
            }],
            copies: Vec::new(),
        };
        publish(&output, &rendered("a/index.html")).unwrap();
        assert!(output.join("a/index.html").is_file());
        assert!(output.join(MARKER).is_file());
        publish(&output, &rendered("b/index.html")).unwrap();
        assert!(!output.join("a/index.html").exists());
        assert!(output.join("b/index.html").is_file());
        assert!(!sibling(&output, "staging").exists());
        assert!(!sibling(&output, "previous").exists());
    }

    #[test]
    fn rejects_paths_that_leave_the_output() {
        assert!(is_plain_relative(Path::new("en/about/index.html")));
        assert!(!is_plain_relative(Path::new("../x")));
        assert!(!is_plain_relative(Path::new("/etc/x")));
    }
}
