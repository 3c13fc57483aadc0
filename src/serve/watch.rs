//! Watching the content and theme folders for saves, with `notify`.
//!
//! Owns what counts as one change. An editor's save is a storm of events (a temporary
//! file written, the old file renamed to a backup, the new one renamed into place, a
//! swap file touched); they are gathered until the folders have been quiet for a short
//! while and handed on as one set of paths, so one save is one rebuild. Editor
//! leftovers are dropped here, and a save that touched nothing else causes no rebuild.
//! A content folder that is deleted and made again (a branch switched, a folder
//! restored from a backup) is watched again when it reappears.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::load::is_hidden_or_temporary;

/// How long the folders must be quiet before a change is handed on: longer than the
/// gaps inside one editor's save, short enough not to be noticed.
pub const QUIET: Duration = Duration::from_millis(30);

/// The longest a change is held back while events keep coming (a folder being copied
/// in), so the preview still follows along.
pub const LONGEST_WAIT: Duration = Duration::from_secs(1);

/// The watched folders and the events they send.
pub struct Watch {
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
    content: PathBuf,
    /// Folders watched with everything inside them.
    roots: BTreeSet<PathBuf>,
}

impl Watch {
    /// Watches `content` (absolute), and its parent folder for the content folder
    /// itself coming and going.
    pub fn new(content: &Path) -> notify::Result<Watch> {
        let (sender, events) = channel();
        let watcher = notify::recommended_watcher(sender)?;
        let mut watch = Watch {
            watcher,
            events,
            content: content.to_path_buf(),
            roots: BTreeSet::new(),
        };
        if let Some(parent) = content.parent() {
            // Not fatal: without it, only a re-made content folder goes unnoticed.
            let _ = watch.watcher.watch(parent, RecursiveMode::NonRecursive);
        }
        watch.add(content);
        Ok(watch)
    }

    /// Also watches `dir` and everything in it (the theme), if it is not yet watched.
    pub fn add(&mut self, dir: &Path) {
        if self.roots.contains(dir) {
            return;
        }
        if self.watcher.watch(dir, RecursiveMode::Recursive).is_ok() {
            self.roots.insert(dir.to_path_buf());
        }
    }

    /// Waits for the next change and returns the paths it touched, gathered until the
    /// folders are quiet for [`QUIET`]. `None` when the watcher has stopped.
    pub fn next_change(&mut self) -> Option<Vec<PathBuf>> {
        loop {
            let paths = gather(&self.events, QUIET, LONGEST_WAIT)?;
            if paths.iter().any(|p| p == &self.content) {
                // Made again: its old watch went with the folder it watched.
                self.roots.remove(&self.content);
                let content = self.content.clone();
                self.add(&content);
            }
            let wanted: Vec<PathBuf> = paths
                .into_iter()
                .filter(|p| p == &self.content || self.is_watched_content(p))
                .collect();
            if !wanted.is_empty() {
                return Some(wanted);
            }
        }
    }

    /// Whether `path` lies in a watched folder and is not an editor leftover there.
    fn is_watched_content(&self, path: &Path) -> bool {
        self.roots.iter().any(|root| {
            path.strip_prefix(root).is_ok_and(|rel| {
                !rel.as_os_str().is_empty()
                    && !rel
                        .components()
                        .any(|c| is_hidden_or_temporary(c.as_os_str()))
            })
        })
    }
}

/// The paths of the next burst of events: waits for one event that may change a
/// file, then takes more until none has come for `quiet`, or `longest` has passed.
/// `None` when the sender is gone.
fn gather(
    events: &Receiver<notify::Result<Event>>,
    quiet: Duration,
    longest: Duration,
) -> Option<Vec<PathBuf>> {
    let mut paths = BTreeSet::new();
    while paths.is_empty() {
        take(events.recv().ok()?, &mut paths);
    }
    let started = Instant::now();
    loop {
        let left = longest.saturating_sub(started.elapsed());
        if left.is_zero() {
            break;
        }
        match events.recv_timeout(quiet.min(left)) {
            Ok(event) => take(event, &mut paths),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    Some(paths.into_iter().collect())
}

/// Adds the paths of an event that may have changed a file. Reading a file changes
/// nothing; an error of the watcher (a folder gone) is a reason to look at everything.
fn take(event: notify::Result<Event>, paths: &mut BTreeSet<PathBuf>) {
    match event {
        Ok(event) if matches!(event.kind, EventKind::Access(_)) => {}
        Ok(event) => paths.extend(event.paths),
        Err(error) => paths.extend(error.paths),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, ModifyKind};
    use std::sync::mpsc::Sender;

    fn send(to: &Sender<notify::Result<Event>>, kind: EventKind, path: &str) {
        to.send(Ok(Event::new(kind).add_path(PathBuf::from(path))))
            .unwrap();
    }

    #[test]
    fn a_storm_of_events_is_one_change_and_reads_are_no_change() {
        let (to, events) = channel();
        send(&to, EventKind::Access(AccessKind::Any), "/c/about.ja.md");
        send(&to, EventKind::Create(CreateKind::File), "/c/4913");
        send(&to, EventKind::Modify(ModifyKind::Any), "/c/about.ja.md");
        send(&to, EventKind::Modify(ModifyKind::Any), "/c/about.ja.md");
        send(&to, EventKind::Modify(ModifyKind::Any), "/c/access.ja.md");
        let paths = gather(&events, Duration::from_millis(20), LONGEST_WAIT).unwrap();
        assert_eq!(
            paths,
            ["/c/4913", "/c/about.ja.md", "/c/access.ja.md"].map(PathBuf::from)
        );
        drop(to);
        assert_eq!(gather(&events, QUIET, LONGEST_WAIT), None);
    }

    #[test]
    fn a_change_waits_no_longer_than_the_longest_wait() {
        let (to, events) = channel();
        let sending = std::thread::spawn(move || {
            for _ in 0..200 {
                send(&to, EventKind::Modify(ModifyKind::Any), "/c/a.ja.md");
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        let paths = gather(
            &events,
            Duration::from_millis(50),
            Duration::from_millis(100),
        );
        assert_eq!(paths, Some(vec![PathBuf::from("/c/a.ja.md")]));
        sending.join().unwrap();
    }

    #[test]
    fn editor_leftovers_inside_the_folders_are_dropped_but_the_folders_may_be_anywhere() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join(".hidden-parent").join("content");
        std::fs::create_dir_all(&content).unwrap();
        let watch = Watch::new(&content).unwrap();
        assert!(watch.is_watched_content(&content.join("about.ja.md")));
        assert!(watch.is_watched_content(&content.join("news/x.ja.md")));
        assert!(!watch.is_watched_content(&content.join(".about.ja.md.swp")));
        assert!(!watch.is_watched_content(&content.join("about.ja.md~")));
        assert!(!watch.is_watched_content(&content.join("4913")));
        assert!(!watch.is_watched_content(&tmp.path().join("public/index.html")));
    }
}
