//! Publishing a built site into a folder a server reads, or that a sync tool uploads,
//! so that no reader ever meets half of it.
//!
//! Owns `yorisoi publish`: files are copied in the order a reader needs them — new and
//! changed files that are not pages first (style sheets, images, downloads, the search's
//! index), then pages, then files the site no longer has are removed — each written
//! beside its place and renamed into it, so a page never names a file that is not there
//! yet and no file is ever half written. It publishes only into an empty folder or one
//! it published before (carrying the output marker), and removes only files it
//! published itself: the list of them is kept in the folder, written before anything
//! is copied so that a publish cut short still knows what is its own.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Problem};
use crate::write::{MARKER, is_replaceable};

/// The list of files a publish put in the folder, one path a line.
pub const PUBLISHED_LIST: &str = ".yorisoi-published";

/// The end of the name a file is written under before it is renamed into place.
const PART: &str = ".yorisoi-part";

/// What a publish did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Published {
    /// New or changed files written.
    pub copied: usize,
    pub unchanged: usize,
    /// Files of an earlier publish that the site no longer has.
    pub removed: usize,
}

/// Publishes the site `build` wrote in `from` into `to`.
pub fn publish(from: &Path, to: &Path) -> Result<Published, Diagnostic> {
    if !from.join(MARKER).is_file() {
        return Err(Diagnostic::error(Problem::NotBuilt {
            folder: from.to_owned(),
        }));
    }
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    let (from_abs, to_abs) = (absolute(from), absolute(to));
    if from_abs.starts_with(&to_abs) || to_abs.starts_with(&from_abs) {
        return Err(Diagnostic::error(Problem::PublishOverlaps {
            from: from.to_owned(),
            to: to.to_owned(),
        }));
    }
    if !is_replaceable(to) {
        return Err(Diagnostic::error(Problem::PublishNotOurs {
            folder: to.to_owned(),
        }));
    }
    let failed = |path: &Path, e: io::Error| {
        Diagnostic::error(Problem::PublishFailed {
            path: path.to_owned(),
            detail: e.to_string(),
        })
    };
    fs::create_dir_all(to).map_err(|e| failed(to, e))?;
    // The marker first: a folder cut short is still known as ours.
    let marker = to.join(MARKER);
    if !marker.is_file() {
        fs::copy(from.join(MARKER), &marker).map_err(|e| failed(&marker, e))?;
    }
    remove_leftovers(to).map_err(|e| failed(to, e))?;
    let before = read_list(to);
    let files = site_files(from).map_err(|e| failed(from, e))?;
    let now: BTreeSet<String> = files.iter().cloned().collect();
    // Ours before anything is copied: what a publish cut short put there is removed by
    // the next one if the site no longer has it.
    write_list(to, before.union(&now)).map_err(|e| failed(to, e))?;
    let mut done = Published::default();
    let (pages, others): (Vec<&String>, Vec<&String>) = files.iter().partition(|f| is_page(f));
    for rel in others.into_iter().chain(pages) {
        let source = from.join(rel);
        let target = to.join(rel);
        if same_bytes(&source, &target) {
            done.unchanged += 1;
            continue;
        }
        copy_into_place(&source, &target).map_err(|e| failed(&target, e))?;
        done.copied += 1;
    }
    for rel in before.difference(&now) {
        let target = to.join(rel);
        match fs::remove_file(&target) {
            Ok(()) => done.removed += 1,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(failed(&target, e)),
        }
        remove_empty_parents(to, &target);
    }
    write_list(to, now.iter()).map_err(|e| failed(to, e))?;
    Ok(done)
}

/// Every file of the built site, as paths with `/`, in order.
fn site_files(from: &Path) -> io::Result<Vec<String>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(from)
            .map_err(io::Error::other)?
            .to_string_lossy()
            .replace('\\', "/");
        if rel != MARKER {
            files.push(rel);
        }
    }
    Ok(files)
}

fn read_list(to: &Path) -> BTreeSet<String> {
    fs::read_to_string(to.join(PUBLISHED_LIST))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.is_empty() && !l.split('/').any(|part| part == ".." || part.is_empty()))
        .map(String::from)
        .collect()
}

fn write_list<'a>(to: &Path, files: impl Iterator<Item = &'a String>) -> io::Result<()> {
    let mut text = String::new();
    for f in files {
        text.push_str(f);
        text.push('\n');
    }
    let list = to.join(PUBLISHED_LIST);
    let part = to.join(format!("{PUBLISHED_LIST}{PART}"));
    fs::write(&part, text)?;
    fs::rename(&part, &list)
}

fn same_bytes(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(ma), Ok(mb)) if ma.len() == mb.len() && mb.is_file() => {
            matches!((fs::read(a), fs::read(b)), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    }
}

/// Writes `source`'s bytes beside `target` and renames them into its place: a reader
/// gets the old file or the new one, never part of one.
fn copy_into_place(source: &Path, target: &Path) -> io::Result<()> {
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut part = target.as_os_str().to_owned();
    part.push(PART);
    let part = PathBuf::from(part);
    fs::copy(source, &part)?;
    fs::rename(&part, target)
}

/// Removes what a publish killed before renaming left beside its files.
fn remove_leftovers(to: &Path) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(to) {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_file() && entry.file_name().to_string_lossy().ends_with(PART) {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Removes the folders above a removed file that it left empty, up to the top.
fn remove_empty_parents(top: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == top || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// A page, or a compressed copy of one (`index.html.gz`): both go after every other file,
/// so that whichever a browser is sent, what it loads is there.
fn is_page(rel: &str) -> bool {
    let file = crate::precompress::copy_of(rel).map_or(rel, |(original, _)| original);
    file.ends_with(".html")
}
