//! How long the engine takes to rebuild after one page's text is edited, the wait that
//! `serve` puts between saving a file and seeing it.
//!
//! Usage: `cargo bench --bench incremental -- CONTENT_DIR`, on a corpus made by
//! `benches/bench.sh` (the generated pages with `benches/site.toml`). Builds the site
//! cold into memory, then edits the text of a different guide page each time, rebuilds
//! as `serve` does and times the rebuild (what is shown on reload) apart from the site
//! search's index that `serve` makes after it; every edited file is put back as it was,
//! even on a panic. Prints the median and the slowest of each. Times are printed, never
//! checked: they depend on the machine.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use yorisoi::dates::parse_moment;
use yorisoi::{BuildOptions, Engine, MemorySink};

/// Enough edits for a stable median, few enough to keep the run short.
const EDITS: usize = 20;

/// A page file whose original bytes are written back when this is dropped, so that an
/// interrupted run never leaves the corpus edited.
struct Restore {
    path: PathBuf,
    original: Vec<u8>,
}

impl Drop for Restore {
    fn drop(&mut self) {
        if let Err(e) = std::fs::write(&self.path, &self.original) {
            eprintln!("could not restore {}: {e}", self.path.display());
        }
    }
}

fn main() -> ExitCode {
    // Cargo adds `--bench` to the arguments; the content folder is the one that is not
    // a flag.
    let Some(content) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        eprintln!(
            "usage: cargo bench --bench incremental -- CONTENT_DIR\n\
             (benches/bench.sh makes a corpus and runs this on it)"
        );
        return ExitCode::from(2);
    };
    let content = PathBuf::from(content);
    let content = content.canonicalize().unwrap_or(content);
    let options = BuildOptions {
        content: content.clone(),
        // Never written: the site is kept in memory.
        output: std::env::temp_dir().join("yorisoi-incremental-unused"),
        theme_dir: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default")),
        base_url: None,
        include_drafts: false,
        served_from: None,
        now: parse_moment("2026-11-25").expect("a valid date"),
    };

    let sink = MemorySink::default();
    let mut engine = Engine::new(options);
    engine.defer_later_routes();
    let started = Instant::now();
    let cold = engine.build(&sink);
    let cold_time = started.elapsed();
    assert!(
        !cold.has_errors(),
        "the corpus builds without errors: {:?}",
        cold.diagnostics
    );

    let mut times = Vec::with_capacity(EDITS);
    let mut later_times = Vec::with_capacity(EDITS);
    let mut rendered = 0;
    let mut later_rendered = 0;
    for i in 0..EDITS {
        let path = content.join(format!("guides/guide-{i:05}.ja.md"));
        let original = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{} (is this a generated corpus?): {e}", path.display()));
        let restore = Restore {
            path: path.clone(),
            original,
        };
        let mut edited = restore.original.clone();
        edited.extend_from_slice(format!("\n\n{i} 回目の編集で書き足した一文です。\n").as_bytes());
        std::fs::write(&path, &edited).expect("write the edited page");

        let started = Instant::now();
        let report = engine.rebuild(std::slice::from_ref(&path), &sink);
        times.push(started.elapsed());
        assert!(!report.has_errors(), "{:?}", report.diagnostics);
        rendered += report.rendered;
        let started = Instant::now();
        if let Some(later) = engine.render_later(&sink) {
            assert!(!later.has_errors(), "{:?}", later.diagnostics);
            later_rendered += later.rendered;
        }
        later_times.push(started.elapsed());
        drop(restore);
    }

    times.sort();
    later_times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = (times[(EDITS - 1) / 2] + times[EDITS / 2]) / 2;
    let slowest = times[EDITS - 1];
    let later_median = (later_times[(EDITS - 1) / 2] + later_times[EDITS / 2]) / 2;
    println!(
        "cold build: {:.0} ms, {} pages, {} routes",
        ms(cold_time),
        cold.pages,
        cold.rendered
    );
    println!(
        "rebuild after a one-page text edit: median {:.2} ms, max {:.2} ms \
         ({EDITS} edits, {:.1} routes rendered each)",
        ms(median),
        ms(slowest),
        rendered as f64 / EDITS as f64
    );
    println!(
        "then the site search's index: median {:.2} ms, max {:.2} ms ({:.1} routes rendered each)",
        ms(later_median),
        ms(later_times[EDITS - 1]),
        later_rendered as f64 / EDITS as f64
    );
    ExitCode::SUCCESS
}
