//! `yorisoi serve`: the staff's live preview.
//!
//! Owns the editing loop: build the site into memory, show it on this computer only,
//! watch the content and theme folders, rebuild what a save changed, and reload the
//! open pages. The preview never writes to disk, so it can never touch the folder that
//! gets published; drafts and scheduled pages appear only here, labelled. A failed
//! rebuild keeps the last good preview on screen, with the messages over it, and the
//! next good save clears them; the server never stops on a mistake in the content.
//!
//! [`preview`] holds what is shown, [`watch`] turns a storm of file events into one
//! change, [`server`] keeps the connections within bounds, [`http`] answers the
//! browser.

pub mod http;
pub mod preview;
pub mod server;
pub mod watch;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostic;
use crate::engine::{BuildOptions, Engine, Report};
use crate::report::{self, MessageLanguage};
use preview::{Preview, PreviewSink};

/// A preview being kept up to date: the engine, its working copy, and what is shown.
pub struct Session {
    engine: Engine,
    sink: PreviewSink,
    preview: Arc<Preview>,
    lang: MessageLanguage,
}

impl Session {
    /// Builds the preview for the first time and shows it.
    pub fn start(options: BuildOptions, lang: MessageLanguage) -> (Session, Report) {
        let mut engine = Engine::new(options);
        engine.defer_later_routes();
        let mut session = Session {
            engine,
            sink: PreviewSink::default(),
            preview: Arc::new(Preview::default()),
            lang,
        };
        let report = session.engine.build(&session.sink);
        session.show(&report);
        (session, report)
    }

    /// Builds again after `changed` files were saved, added or deleted, and shows the
    /// result: the new site, or the messages over the last good one.
    pub fn update(&mut self, changed: &[PathBuf]) -> Report {
        let report = self.engine.rebuild(changed, &self.sink);
        self.show(&report);
        if !report.has_errors() {
            self.search_after_reload();
        }
        report
    }

    /// The site search's index, made from the pages after the edit is on screen, so
    /// that saving and seeing the change takes no longer for it; swapped in without a
    /// reload. Its own problems, if any, are shown as any build's.
    fn search_after_reload(&mut self) {
        let Some(report) = self.engine.render_later(&self.sink) else {
            return;
        };
        if report.has_errors() {
            self.show(&report);
        } else if report.rendered > 0 {
            self.preview.refresh_site(self.sink.snapshot());
        }
    }

    pub fn preview(&self) -> Arc<Preview> {
        Arc::clone(&self.preview)
    }

    /// The theme folder in use, to be watched.
    pub fn theme_dir(&self) -> Option<&Path> {
        self.engine.theme_dir()
    }

    fn show(&self, report: &Report) {
        if report.has_errors() {
            let content = &self.engine.options().content;
            let messages: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| report::format(d, content, self.lang))
                .collect();
            self.preview.show_problems(messages.join("\n\n"));
        } else {
            let base_path = self.engine.base_path().unwrap_or("/");
            self.preview.show_site(self.sink.snapshot(), base_path);
        }
    }
}

/// Why the preview could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The address could not be listened on; the message says why and what to do.
    Listen(String),
}

/// Serves the preview on `127.0.0.1:port` and keeps it up to date until the process is
/// stopped. The port is taken before anything is built, so a port in use is reported
/// at once.
pub fn run(options: BuildOptions, port: u16, lang: MessageLanguage) -> Result<(), ServeError> {
    let address = format!("127.0.0.1:{port}");
    let server = server::Server::bind(port, server::Limits::default()).map_err(|e| {
        ServeError::Listen(if e.kind() == io::ErrorKind::AddrInUse {
            report::port_in_use(port, lang)
        } else {
            report::cannot_listen(&address, &e.to_string(), lang)
        })
    })?;
    // The port asked for, or the one given when 0 asked for any.
    let address = format!("127.0.0.1:{}", server.port());
    let options = BuildOptions {
        include_drafts: true,
        served_from: Some(format!("http://{address}")),
        ..options
    };
    let content = std::path::absolute(&options.content).unwrap_or(options.content.clone());
    let content = content.canonicalize().unwrap_or(content);
    let shown_content = options.content.clone();
    // Watched before the first build, so that a save made while it runs (a large site
    // takes a second or more) is a change to build again, not lost between the build's
    // reading of the file and the start of the watch. The theme is watched as early
    // where it is known before the build: given with `--theme`, or in the usual
    // `themes/` folder beside the content.
    let watch = watch::Watch::new(&content).map(|mut watch| {
        let early_theme = match &options.theme_dir {
            Some(theme) => Some(std::path::absolute(theme).unwrap_or(theme.clone())),
            None => content.parent().map(|site| site.join("themes")),
        };
        if let Some(theme) = early_theme.filter(|t| t.is_dir()) {
            watch.add(&theme);
        }
        watch
    });
    let (mut session, report) = Session::start(options, lang);
    let shows_site = |session: &Session| session.preview.current().files.is_some();
    print_report(
        &report,
        &shown_content,
        lang,
        true,
        None,
        shows_site(&session),
    );
    let preview = session.preview();
    std::thread::spawn(move || http::serve(server, preview, lang));
    let base_path = session.preview.current().base_path.clone();
    let url = format!(
        "http://{address}{}",
        if base_path.is_empty() {
            "/"
        } else {
            &base_path
        }
    );
    eprintln!("{}", report::serving(&url, lang));

    let mut watch = match watch {
        Ok(watch) => watch,
        Err(e) => {
            // The preview still works; it only stops following saves.
            eprintln!("{}", report::cannot_watch(&e.to_string(), lang));
            loop {
                std::thread::park();
            }
        }
    };
    if let Some(theme) = session.theme_dir() {
        watch.add(theme);
    }
    while let Some(changed) = watch.next_change() {
        let started = Instant::now();
        let report = session.update(&changed);
        let took = Some(started.elapsed());
        let kept = shows_site(&session);
        print_report(&report, &shown_content, lang, false, took, kept);
        if let Some(theme) = session.theme_dir() {
            watch.add(theme);
        }
    }
    Ok(())
}

/// The messages of a build, as `build` prints them; notices only the first time, since
/// they do not change while someone edits.
fn print_report(
    report: &Report,
    content: &Path,
    lang: MessageLanguage,
    first: bool,
    took: Option<Duration>,
    kept_last_good: bool,
) {
    let shown = |d: &&Diagnostic| first || d.is_error() || d.is_warning();
    for d in report.diagnostics.iter().filter(shown) {
        eprintln!("{}\n", report::format(d, content, lang));
    }
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = report.diagnostics.iter().filter(|d| d.is_warning()).count();
    eprintln!(
        "{}",
        report::preview_built(
            report.rendered,
            errors,
            warnings,
            took,
            kept_last_good,
            lang
        )
    );
}
