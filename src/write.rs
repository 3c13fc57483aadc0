//! Stage 5, write: puts the rendered site on disk without ever losing anything.
//!
//! Owns the output folder. The site is written into a staging folder beside the output
//! and swapped in only when every file is written, so a failed build leaves the
//! previous output exactly as it was. A marker file identifies folders this generator
//! made; it replaces or removes no folder without that marker, and refuses an output
//! path that would contain, or sit inside, the content folder or a theme folder.

use std::fs;
use std::io::{self, BufRead};
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Diagnostic, Problem};
use crate::engine::Sink;
use crate::render::Body;

/// Present in every output folder this generator wrote.
pub const MARKER: &str = ".yorisoi-output";

const MARKER_TEXT: &str = "This folder is written by yorisoi. Every build replaces it whole:\n\
    edit the content folder, not these files.\n\
    このフォルダーは yorisoi が作成しています。ビルドのたびに置き換わるため、\n\
    ここではなく content フォルダーを編集してください。\n";

/// Refuses output folders that are not safe to replace: one that holds or sits inside
/// the content folder or one of the `themes` folders (replacing the output would delete
/// them; or their files would be published, and the next build would publish the
/// output again inside itself), or one this generator did not make. Call before any
/// work is done.
pub fn check_output(output: &Path, content: &Path, themes: &[PathBuf]) -> Result<(), Diagnostic> {
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
    for theme in themes {
        let theme_abs = absolute(theme);
        if theme_abs.starts_with(&output_abs) {
            return Err(Diagnostic::error(Problem::OutputContainsTheme {
                output: output.to_path_buf(),
                theme: theme.clone(),
            }));
        }
        if output_abs.starts_with(&theme_abs) {
            return Err(Diagnostic::error(Problem::OutputInsideTheme {
                output: output.to_path_buf(),
                theme: theme.clone(),
            }));
        }
    }
    if !is_replaceable(output) {
        return Err(Diagnostic::error(Problem::OutputNotOurs {
            output: output.to_path_buf(),
        }));
    }
    Ok(())
}

/// A build being written: a staging folder beside the output, filled by the render
/// stage as routes are rendered, then swapped in for the output in one rename. The
/// marker file is written first, so that a staging folder left by a build that was
/// killed is recognised as ours and cleared by the next build.
///
/// A file whose bytes equal the output's file of the same path is hard-linked from it
/// instead of written, so it keeps its modification time: tools such as `rsync` then
/// copy only the files that changed.
pub struct Staging {
    output: PathBuf,
    root: PathBuf,
    previous: PathBuf,
}

impl Staging {
    /// Clears what an earlier, interrupted build left beside `output` (only if it is
    /// ours) and starts an empty staging folder.
    pub fn begin(output: &Path) -> Result<Staging, Diagnostic> {
        let output = absolute(output);
        let root = sibling(&output, "staging");
        let previous = sibling(&output, "previous");
        // A build killed between moving the old site aside and moving the new one in
        // (where folders cannot be exchanged in one step) left no output: the old site
        // goes back first.
        if !output.exists() && previous.join(MARKER).is_file() {
            fs::rename(&previous, &output).map_err(|e| failed(&output, &e))?;
        }
        for leftover in [&root, &previous] {
            if !is_replaceable(leftover) {
                return Err(Diagnostic::error(Problem::OutputNotOurs {
                    output: leftover.clone(),
                }));
            }
            remove_ours(leftover).map_err(|e| failed(leftover, &e))?;
        }
        fs::create_dir_all(&root).map_err(|e| failed(&root, &e))?;
        // Linked from the output when it is unchanged, like every other file, so that
        // a copy to the web server does not send it again on every build.
        let marker = root.join(MARKER);
        let previous_marker = output.join(MARKER);
        if !(same_bytes(&previous_marker, MARKER_TEXT.as_bytes())
            && fs::hard_link(&previous_marker, &marker).is_ok())
        {
            fs::write(&marker, MARKER_TEXT).map_err(|e| failed(&marker, &e))?;
        }
        Ok(Staging {
            output,
            root,
            previous,
        })
    }

    /// Swaps the staging folder in for the output. If the previous output cannot be
    /// removed afterwards, the new site is live all the same: that is a warning.
    pub fn commit(self) -> Result<Option<Diagnostic>, Diagnostic> {
        swap_in(&self.root, &self.output, &self.previous)
    }

    /// Removes the staging folder; the output stays exactly as it was.
    pub fn abandon(self) {
        let _ = remove_ours(&self.root);
    }
}

impl Sink for Staging {
    /// Makes every folder the routes need, once, before they are written in parallel.
    fn prepare(&self, paths: &[&str]) -> Result<(), Diagnostic> {
        let mut dirs = Vec::with_capacity(paths.len());
        for path in paths {
            let rel = Path::new(path);
            if !is_plain_relative(rel) {
                return Err(failed(
                    rel,
                    &io::Error::other("path leaves the output folder"),
                ));
            }
            if let Some((parent, _)) = path.rsplit_once('/') {
                dirs.push(parent);
            }
        }
        dirs.sort_unstable();
        dirs.dedup();
        for dir in dirs {
            let dir = self.root.join(dir);
            fs::create_dir_all(&dir).map_err(|e| failed(&dir, &e))?;
        }
        Ok(())
    }

    fn put(&self, path: &str, body: Body) -> Result<(), Diagnostic> {
        let rel = Path::new(path);
        if !is_plain_relative(rel) {
            return Err(failed(
                rel,
                &io::Error::other("path leaves the output folder"),
            ));
        }
        let target = self.root.join(rel);
        let previous = self.output.join(rel);
        match body {
            Body::Bytes(bytes) => {
                if same_bytes(&previous, &bytes) && fs::hard_link(&previous, &target).is_ok() {
                    return Ok(());
                }
                with_parent(&target, || fs::write(&target, &bytes))
            }
            Body::Copy(from) => {
                if same_file_bytes(&previous, &from) && fs::hard_link(&previous, &target).is_ok() {
                    return Ok(());
                }
                with_parent(&target, || fs::copy(&from, &target).map(|_| ()))
            }
        }
    }

    /// A fresh staging folder holds no file a route no longer has.
    fn remove(&self, _path: &str) {}

    /// What is written here is what servers send.
    fn wants_compressed_copies(&self) -> bool {
        true
    }
}

/// Runs `write`; if the folder for `target` is missing (a route not announced to
/// [`Sink::prepare`]), makes it and tries once more.
fn with_parent(target: &Path, write: impl Fn() -> io::Result<()>) -> Result<(), Diagnostic> {
    match write() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|e| failed(parent, &e))?;
            }
            write().map_err(|e| failed(target, &e))
        }
        other => other.map_err(|e| failed(target, &e)),
    }
}

/// Whether the file at `path` holds exactly `bytes` (its size is compared first). The
/// file is read a chunk at a time, so the comparison costs no memory beyond `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::File::open(path).is_ok_and(|file| same_stream(file, &mut &bytes[..]))
}

/// Whether the files at `path` and `from` hold the same bytes: sizes first, then both
/// read side by side a chunk at a time, so that a download of any size is compared in
/// a fixed amount of memory (reading both whole took twice the file's size).
fn same_file_bytes(path: &Path, from: &Path) -> bool {
    match (fs::metadata(path), fs::metadata(from)) {
        (Ok(a), Ok(b)) if a.is_file() && b.is_file() && a.len() == b.len() => {
            match (fs::File::open(path), fs::File::open(from)) {
                (Ok(a), Ok(mut b)) => same_stream(a, &mut b),
                _ => false,
            }
        }
        _ => false,
    }
}

/// How much of each side [`same_stream`] holds at once.
const COMPARE_CHUNK: usize = 64 * 1024;

/// Whether two readers give the same bytes to their ends; a read error counts as a
/// difference (the file is then written afresh).
fn same_stream(a: impl io::Read, b: &mut impl io::Read) -> bool {
    let mut a = io::BufReader::with_capacity(COMPARE_CHUNK, a);
    let mut chunk = vec![0; COMPARE_CHUNK];
    loop {
        let from_a = match a.fill_buf() {
            Ok(buffer) => buffer,
            Err(_) => return false,
        };
        let want = from_a.len();
        if want == 0 {
            // `a` ended: the two are the same if `b` ends too.
            return matches!(b.read(&mut chunk[..1]), Ok(0));
        }
        // Read exactly as much of `b` as `a` gave.
        if b.read_exact(&mut chunk[..want]).is_err() || chunk[..want] != *from_a {
            return false;
        }
        a.consume(want);
    }
}

/// An absent folder, an empty one, or one carrying our marker: one this generator may
/// write into (`build`'s output, `publish`'s destination).
pub fn is_replaceable(dir: &Path) -> bool {
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

/// Puts the staging folder in the output's place. Where the system can exchange two
/// folders in one step (Linux and macOS), the old site and the new swap places at once,
/// so that at every moment the output is the whole old site or the whole new one; the
/// old one, now at the staging path, is then removed. Elsewhere the old output is moved
/// aside first, and a build killed between the two renames is mended by the next
/// ([`Staging::begin`] puts the old site back).
fn swap_in(
    staging: &Path,
    output: &Path,
    previous: &Path,
) -> Result<Option<Diagnostic>, Diagnostic> {
    swap_in_removing_with(staging, output, previous, remove_ours)
}

/// [`swap_in`], with the removal of the old copy given, so that a test can make it fail.
fn swap_in_removing_with(
    staging: &Path,
    output: &Path,
    previous: &Path,
    remove_old: fn(&Path) -> io::Result<()>,
) -> Result<Option<Diagnostic>, Diagnostic> {
    let had_output = output.exists();
    if !had_output {
        fs::rename(staging, output).map_err(|e| failed(output, &e))?;
        return Ok(None);
    }
    let old_copy = match exchange(staging, output) {
        Ok(()) => staging,
        Err(_) => {
            fs::rename(output, previous).map_err(|e| failed(output, &e))?;
            if let Err(e) = fs::rename(staging, output) {
                let _ = fs::rename(previous, output);
                let _ = remove_ours(staging);
                return Err(failed(output, &e));
            }
            previous
        }
    };
    if let Err(e) = remove_old(old_copy) {
        // The new site is in place; only the old copy beside it is left over, and the
        // next build clears it.
        return Ok(Some(Diagnostic::warning(Problem::PreviousOutputLeft {
            path: old_copy.to_path_buf(),
            detail: e.to_string(),
        })));
    }
    Ok(None)
}

/// Exchanges two folders in one step, where the system can.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Removes a folder this generator made, its marker last: a removal cut short leaves a
/// folder that still says it is ours, which the next build may clear, rather than one
/// it must refuse to touch.
fn remove_ours(dir: &Path) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(&path)?;
        } else {
            fs::remove_file(&path)?;
        }
    }
    match fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
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
    use std::io::Read;

    #[test]
    fn files_of_one_length_are_compared_to_their_last_byte() {
        let tmp = tempfile::tempdir().unwrap();
        // Longer than one chunk, and not a multiple of it.
        let length = COMPARE_CHUNK * 3 + 17;
        let original: Vec<u8> = (0..length).map(|i| (i % 251) as u8).collect();
        let mut changed = original.clone();
        *changed.last_mut().unwrap() ^= 1;
        let (a, b, c) = (
            tmp.path().join("a"),
            tmp.path().join("b"),
            tmp.path().join("c"),
        );
        fs::write(&a, &original).unwrap();
        fs::write(&b, &original).unwrap();
        fs::write(&c, &changed).unwrap();
        assert!(same_file_bytes(&a, &b));
        assert!(!same_file_bytes(&a, &c));
        assert!(same_bytes(&a, &original));
        assert!(!same_bytes(&c, &original));
        let shorter = tmp.path().join("d");
        fs::write(&shorter, &original[..length - 1]).unwrap();
        assert!(!same_file_bytes(&a, &shorter));
        assert!(!same_bytes(&shorter, &original));
        // Compared as streams, a reader that gives its bytes in small pieces is no different.
        assert!(same_stream(
            &original[..],
            &mut original[..5].chain(&original[5..])
        ));
        assert!(!same_stream(&original[..], &mut &changed[..]));
        assert!(!same_stream(&original[..], &mut &original[..length - 1]));
        assert!(!same_stream(&original[..length - 1], &mut &original[..]));
    }

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
            let err = check_output(&output, &content, &[]).unwrap_err();
            assert!(
                matches!(err.problem, Problem::OutputContainsContent { .. }),
                "{output:?}"
            );
        }
        let err = check_output(&content.join("public"), &content, &[]).unwrap_err();
        assert!(matches!(err.problem, Problem::OutputInsideContent { .. }));
        assert!(check_output(&tmp.path().join("public"), &content, &[]).is_ok());
    }

    #[test]
    fn refuses_the_theme_folders_their_parents_and_what_is_inside_them() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        let themes = tmp.path().join("themes");
        fs::create_dir_all(&content).unwrap();
        fs::create_dir_all(themes.join("default/static")).unwrap();
        let protected = [themes.clone()];
        let err = check_output(&themes, &content, &protected).unwrap_err();
        assert!(matches!(err.problem, Problem::OutputContainsTheme { .. }));
        // The last one is not there yet, and would be empty: it would still be published
        // as a file of the theme, inside itself.
        for output in [themes.join("default"), themes.join("default/static/site")] {
            let err = check_output(&output, &content, &protected).unwrap_err();
            assert!(
                matches!(err.problem, Problem::OutputInsideTheme { .. }),
                "{output:?}"
            );
        }
        assert!(check_output(&tmp.path().join("public"), &content, &protected).is_ok());
    }

    #[test]
    fn refuses_a_folder_without_the_marker() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        let output = tmp.path().join("site");
        fs::create_dir_all(&content).unwrap();
        fs::create_dir_all(&output).unwrap();
        assert!(
            check_output(&output, &content, &[]).is_ok(),
            "an empty folder is fine"
        );
        fs::write(output.join("notes.txt"), "mine").unwrap();
        let err = check_output(&output, &content, &[]).unwrap_err();
        assert!(matches!(err.problem, Problem::OutputNotOurs { .. }));
        fs::write(output.join(MARKER), "").unwrap();
        assert!(check_output(&output, &content, &[]).is_ok());
    }

    #[test]
    fn staging_replaces_the_whole_output_and_reuses_unchanged_files() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("public");
        let build = |files: &[(&str, &[u8])]| {
            let staging = Staging::begin(&output).unwrap();
            for (path, bytes) in files {
                staging.put(path, Body::Bytes(bytes.to_vec())).unwrap();
            }
            staging.commit().unwrap()
        };
        assert_eq!(build(&[("a/index.html", b"x"), ("same.html", b"s")]), None);
        assert!(output.join("a/index.html").is_file());
        assert!(output.join(MARKER).is_file());
        let before = fs::metadata(output.join("same.html")).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        build(&[("b/index.html", b"y"), ("same.html", b"s")]);
        assert!(!output.join("a/index.html").exists());
        assert!(output.join("b/index.html").is_file());
        let after = fs::metadata(output.join("same.html")).unwrap();
        assert_eq!(
            before.modified().unwrap(),
            after.modified().unwrap(),
            "not written again"
        );
        assert!(!sibling(&output, "staging").exists());
        assert!(!sibling(&output, "previous").exists());
    }

    #[test]
    fn a_staging_folder_left_by_a_killed_build_is_ours_and_cleared() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("public");
        let left = Staging::begin(&output).unwrap();
        left.put("half.html", Body::Bytes(b"x".to_vec())).unwrap();
        std::mem::forget(left);
        let staging = Staging::begin(&output).expect("the leftover carries the marker");
        staging.commit().unwrap();
        assert!(!output.join("half.html").exists());
    }

    #[test]
    fn rejects_paths_that_leave_the_output() {
        assert!(is_plain_relative(Path::new("en/about/index.html")));
        assert!(!is_plain_relative(Path::new("../x")));
        assert!(!is_plain_relative(Path::new("/etc/x")));
    }

    #[test]
    fn a_swap_that_worked_is_a_success_even_if_the_old_copy_stays() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("public");
        let staging = tmp.path().join(".public.yorisoi-staging");
        let previous = tmp.path().join(".public.yorisoi-previous");
        for (dir, text) in [(&output, "old"), (&staging, "new")] {
            fs::create_dir_all(dir).unwrap();
            fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
            fs::write(dir.join("index.html"), text).unwrap();
        }
        let cannot_remove: fn(&Path) -> io::Result<()> =
            |_| Err(io::Error::other("the disk said no"));
        let warning = swap_in_removing_with(&staging, &output, &previous, cannot_remove)
            .expect("the swap itself worked")
            .expect("a warning about what is left");
        assert!(warning.is_warning());
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "new"
        );
        match warning.problem {
            Problem::PreviousOutputLeft { path, detail } => {
                assert!(path.join("index.html").is_file(), "it names the old copy");
                assert_eq!(fs::read_to_string(path.join("index.html")).unwrap(), "old");
                assert!(detail.contains("the disk said no"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn our_folders_are_removed_whole_and_an_absent_one_is_no_error() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("old");
        fs::create_dir_all(dir.join("a/b")).unwrap();
        fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
        fs::write(dir.join("a/b/index.html"), "x").unwrap();
        remove_ours(&dir).unwrap();
        assert!(!dir.exists());
        assert!(
            remove_ours(&dir).is_ok(),
            "an absent folder is removed already"
        );
    }
}
