//! yorisoi: a static-site generator for a bilingual public-information site.
//!
//! The code is layered, each layer using only those below it:
//!
//! 1. command line: `main.rs`, [`serve`], [`scaffold`];
//! 2. build: [`engine`] runs the stages and rebuilds what changed; [`verify`] holds every
//!    file written to the site's policy; [`write`] puts the result on disk without ever
//!    losing the last good site; [`publish`] copies it to where it is served, never half;
//! 3. outputs: [`render`], one implementation per kind of file written, with [`theme`];
//! 4. site model: [`site`] connects the pages, claims every route, resolves every link;
//! 5. input: [`load`] reads `content/`, [`config`], [`data`], [`parse`] and [`lint`]
//!    type what was read;
//! 6. core: [`diagnostics`] and [`report`] (problems, and the one place they are put into
//!    words), [`address`], [`dates`], [`phone`], [`localized`], [`html`], [`toml_file`],
//!    [`starter`], [`url_class`] (what a URL is, read as a browser reads it),
//!    [`file_kinds`] (what kind of file a name is), [`browser_policy`] (the policy
//!    every page asks the browser to enforce).
//!
//! Problems are collected as typed [`diagnostics`] across all stages and turned into
//! words for people in one place, [`report`].

pub mod address;
pub mod browser_policy;
pub mod config;
pub mod content_policy;
pub mod data;
pub mod dates;
pub mod diagnostics;
pub mod easy_japanese;
pub mod engine;
pub mod file_kinds;
pub mod fingerprint;
#[doc(hidden)]
pub mod fuzzing;
pub mod html;
pub mod inspect;
pub mod kana;
pub mod lint;
pub mod load;
pub mod local_government;
pub mod locale;
pub mod localized;
pub mod parse;
pub mod phone;
pub mod precompress;
pub mod publish;
pub mod render;
pub mod report;
pub mod ruby;
pub mod scaffold;
pub mod search_terms;
pub mod serve;
pub mod site;
pub mod starter;
pub mod suggest;
pub mod theme;
pub mod toml_file;
pub mod url_class;
pub mod verify;
pub mod wcag;
pub mod width;
pub mod write;

use std::sync::atomic::{AtomicUsize, Ordering};

use diagnostics::{Diagnostic, Diagnostics};
pub use engine::{BuildOptions, Engine, MemorySink, NoSink, Report, Sink};

/// What a build found and did.
#[derive(Debug)]
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    pub pages: usize,
    /// Whether the output folder was replaced.
    pub written: bool,
    /// The time each stage took.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn has_warnings(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_warning)
    }

    /// Facts due for re-checking: shown by `check`, failing it only with `--strict`.
    pub fn has_notices(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == diagnostics::Severity::Notice)
    }
}

/// How far a build has got in rendering its routes, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Routes rendered and handed to the output so far.
    pub done: usize,
    /// Routes the build renders.
    pub total: usize,
}

/// Builds the site and, if nothing is wrong, replaces the output folder.
pub fn build(options: &BuildOptions) -> Outcome {
    build_with_progress(options, &|_| {})
}

/// [`build`], telling `progress` how many routes there are once they are known, and again
/// after each one is written. Only counts are reported, so that how to show them (a bar
/// on a terminal, nothing in a pipe) stays with the command line. `progress` is called
/// from several threads at once.
pub fn build_with_progress(
    options: &BuildOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Outcome {
    // Without a content folder there is nothing to build, and an output folder is not
    // worth a message: the one problem is where the command was run.
    if let Err(d) = load::require_content_folder(&options.content) {
        return outcome(vec![d], 0, false, Vec::new());
    }
    let mut themes = vec![config::themes_dir(&options.content)];
    themes.extend(options.theme_dir.clone());
    if let Err(d) = write::check_output(&options.output, &options.content, &themes) {
        return outcome(vec![d], 0, false, Vec::new());
    }
    let staging = match write::Staging::begin(&options.output) {
        Ok(s) => s,
        Err(d) => return outcome(vec![d], 0, false, Vec::new()),
    };
    let counting = Counting {
        inner: &staging,
        progress,
        total: AtomicUsize::new(0),
        done: AtomicUsize::new(0),
    };
    let report = Engine::new(options.clone()).build(&counting);
    if report.has_errors() {
        staging.abandon();
        return outcome(report.diagnostics, report.pages, false, report.timings);
    }
    let mut diagnostics = report.diagnostics;
    match staging.commit() {
        Ok(warning) => {
            diagnostics.extend(warning);
            outcome(diagnostics, report.pages, true, report.timings)
        }
        Err(d) => {
            diagnostics.push(d);
            outcome(diagnostics, report.pages, false, report.timings)
        }
    }
}

/// A sink that passes everything on and counts what was put, for [`Progress`].
struct Counting<'a> {
    inner: &'a dyn Sink,
    progress: &'a (dyn Fn(Progress) + Sync),
    total: AtomicUsize,
    done: AtomicUsize,
}

impl Sink for Counting<'_> {
    fn prepare(&self, paths: &[&str]) -> Result<(), Diagnostic> {
        self.inner.prepare(paths)?;
        self.total.store(paths.len(), Ordering::Relaxed);
        (self.progress)(Progress {
            done: self.done.load(Ordering::Relaxed),
            total: paths.len(),
        });
        Ok(())
    }

    fn wants_compressed_copies(&self) -> bool {
        self.inner.wants_compressed_copies()
    }

    /// Not counted: the progress is in routes.
    fn put_copy(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        self.inner.put_copy(path, bytes)
    }

    fn put(&self, path: &str, body: render::Body) -> Result<(), Diagnostic> {
        let result = self.inner.put(path, body);
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        (self.progress)(Progress {
            done,
            total: self.total.load(Ordering::Relaxed),
        });
        result
    }

    fn remove(&self, path: &str) {
        self.inner.remove(path);
    }
}

/// Runs every check of a build without writing anything, and what only `check`
/// reports (see [`Engine::review`]).
pub fn check(options: &BuildOptions) -> Outcome {
    let mut engine = Engine::new(options.clone());
    let report = engine.build(&NoSink);
    let mut diagnostics = report.diagnostics;
    if let Some(review) = engine.review() {
        diagnostics.extend(review);
    }
    outcome(diagnostics, report.pages, false, report.timings)
}

fn outcome(
    diagnostics: Vec<Diagnostic>,
    pages: usize,
    written: bool,
    timings: Vec<(&'static str, std::time::Duration)>,
) -> Outcome {
    let mut all = Diagnostics::default();
    all.extend(diagnostics);
    Outcome {
        diagnostics: all.into_sorted(),
        pages,
        written,
        timings,
    }
}
