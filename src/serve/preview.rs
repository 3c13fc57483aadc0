//! The preview in memory: what the engine renders for `serve`, and what the server
//! shows of it.
//!
//! Owns the rule that a failed rebuild never replaces what is shown. The engine renders
//! into a working copy ([`PreviewSink`]); only a build without errors is published as
//! the site the server shows. A failed one is published as its messages alone, shown
//! over the last good site. The working copy keeps what a failed rebuild rendered all
//! the same, because the next rebuild renders only what changes after it: once it
//! succeeds, the working copy equals a cold build again.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::diagnostics::Diagnostic;
use crate::engine::Sink;
use crate::render::Body;

/// One file of the preview: rendered bytes, or a file served from disk as it is (a
/// download or a theme file), streamed rather than held in memory.
#[derive(Debug)]
pub enum PreviewFile {
    Bytes(Arc<[u8]>),
    Disk(PathBuf),
}

/// Every file of a preview, by its path below the site's root (`en/about/index.html`).
pub type Files = BTreeMap<String, Arc<PreviewFile>>;

/// The engine's sink for `serve`: the working copy of the preview.
#[derive(Debug, Default)]
pub struct PreviewSink {
    files: Mutex<Files>,
}

impl PreviewSink {
    /// The files as they stand, to be published.
    pub fn snapshot(&self) -> Arc<Files> {
        Arc::new(lock(&self.files).clone())
    }
}

impl Sink for PreviewSink {
    fn put(&self, path: &str, body: Body) -> Result<(), Diagnostic> {
        let file = match body {
            Body::Bytes(bytes) => PreviewFile::Bytes(bytes.into()),
            Body::Copy(from) => PreviewFile::Disk(from),
        };
        lock(&self.files).insert(path.to_owned(), Arc::new(file));
        Ok(())
    }

    fn remove(&self, path: &str) {
        lock(&self.files).remove(path);
    }
}

/// What the server shows at one moment.
#[derive(Debug, Clone, Default)]
pub struct Shown {
    /// Counts what was shown: it grows each time a build finishes, so an open page
    /// knows whether it is out of date.
    pub generation: u64,
    /// The last site built without errors; `None` until one is.
    pub files: Option<Arc<Files>>,
    /// The path the site lives under (`/` or `/centre/`), as of the last good build.
    pub base_path: String,
    /// The messages of the latest build if it failed, as the terminal shows them.
    pub problems: Option<Arc<str>>,
}

/// The preview shared between the builder and the server's threads.
#[derive(Debug, Default)]
pub struct Preview {
    shown: Mutex<Arc<Shown>>,
    changed: Condvar,
}

impl Preview {
    /// What is shown now.
    pub fn current(&self) -> Arc<Shown> {
        Arc::clone(&lock(&self.shown))
    }

    /// Shows a build without errors: its files, and no messages.
    pub fn show_site(&self, files: Arc<Files>, base_path: &str) {
        self.replace(|before| Shown {
            generation: before.generation + 1,
            files: Some(files),
            base_path: base_path.to_owned(),
            problems: None,
        });
    }

    /// Puts files in place of the site shown without telling open pages to reload: the
    /// site search's index, made after the pages an edit changed were shown.
    pub fn refresh_site(&self, files: Arc<Files>) {
        self.replace(|before| Shown {
            files: Some(files),
            ..before.clone()
        });
    }

    /// Shows the messages of a failed build over the last good site.
    pub fn show_problems(&self, messages: String) {
        self.replace(|before| Shown {
            generation: before.generation + 1,
            problems: Some(messages.into()),
            ..before.clone()
        });
    }

    fn replace(&self, next: impl FnOnce(&Shown) -> Shown) {
        let mut shown = lock(&self.shown);
        *shown = Arc::new(next(&shown));
        self.changed.notify_all();
    }

    /// Waits until something newer than `generation` is shown, or `timeout` passes;
    /// the generation shown then.
    pub fn wait_newer(&self, generation: u64, timeout: Duration) -> u64 {
        let shown = lock(&self.shown);
        let (shown, _) = self
            .changed
            .wait_timeout_while(shown, timeout, |s| s.generation <= generation)
            .unwrap_or_else(|e| e.into_inner());
        shown.generation
    }
}

/// A lock that a panicked thread left poisoned still guards valid data here: every
/// change under it is a single assignment.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_build_keeps_the_last_good_files_and_adds_its_messages() {
        let preview = Preview::default();
        let sink = PreviewSink::default();
        sink.put("index.html", Body::Bytes(b"one".to_vec()))
            .unwrap();
        preview.show_site(sink.snapshot(), "/");
        sink.put("index.html", Body::Bytes(b"two".to_vec()))
            .unwrap();
        preview.show_problems("about.ja.md:3:1: error".to_owned());
        let shown = preview.current();
        assert_eq!(shown.generation, 2);
        let files = shown.files.as_ref().unwrap();
        assert!(matches!(&*files["index.html"], PreviewFile::Bytes(b) if &**b == b"one"));
        assert_eq!(shown.problems.as_deref(), Some("about.ja.md:3:1: error"));
        preview.show_site(sink.snapshot(), "/");
        let shown = preview.current();
        assert!(shown.problems.is_none());
        let files = shown.files.as_ref().unwrap();
        assert!(matches!(&*files["index.html"], PreviewFile::Bytes(b) if &**b == b"two"));
    }

    #[test]
    fn a_waiting_reader_wakes_when_something_newer_is_shown() {
        let preview = Arc::new(Preview::default());
        let waiting = {
            let preview = Arc::clone(&preview);
            std::thread::spawn(move || preview.wait_newer(0, Duration::from_secs(10)))
        };
        std::thread::sleep(Duration::from_millis(20));
        preview.show_problems(String::new());
        assert_eq!(waiting.join().unwrap(), 1);
        // Nothing newer: the wait ends with the timeout, at the same generation.
        assert_eq!(preview.wait_newer(1, Duration::from_millis(10)), 1);
    }
}
