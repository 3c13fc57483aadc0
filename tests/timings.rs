//! `--timings` and build progress: the time of each stage after the summary, in the
//! language of the messages, and counts of rendered routes for a progress display that
//! never shows outside a terminal.

mod common;

use std::process::Output;
use std::sync::Mutex;

use common::*;
use yorisoi::Progress;

/// Runs `yorisoi <args>` on a copy of the `basic` fixture, stderr piped as in a script.
fn yorisoi(site: &Workspace, args: &[&str]) -> Output {
    yorisoi_command()
        .args(args)
        .args(["--content", "content", "--now", NOW, "--theme"])
        .arg(theme_dir())
        .current_dir(site.dir.path())
        .output()
        .expect("run yorisoi")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("messages are UTF-8")
}

/// The lines after `heading`, which must come after the summary line.
fn timing_lines(messages: &str, summary: &str, heading: &str) -> Vec<String> {
    let at_summary = messages.find(summary).expect(messages);
    let at_heading = messages.find(heading).expect(messages);
    assert!(
        at_summary < at_heading,
        "timings follow the summary: {messages}"
    );
    messages[at_heading + heading.len()..]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// The stage names of timing lines (`   12.3  load`), and checks each starts with a
/// number of milliseconds.
fn stages(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|line| {
            let (ms, stage) = line.trim().split_once("  ").expect(line);
            ms.parse::<f64>().expect(line);
            stage.trim().to_owned()
        })
        .collect()
}

#[test]
fn build_timings_follow_the_summary_in_english() {
    let site = Workspace::copy_of("basic");
    let run = yorisoi(&site, &["build", "--timings", "--messages", "en"]);
    let messages = stderr(&run);
    assert!(run.status.success(), "{messages}");
    let lines = timing_lines(&messages, "Wrote ", "Time per stage (ms):");
    assert_eq!(
        stages(&lines),
        [
            "load", "parse", "link", "render", "verify", "search", "total"
        ],
        "{messages}"
    );
}

#[test]
fn check_timings_are_worded_in_japanese_by_default() {
    let site = Workspace::copy_of("basic");
    let run = yorisoi(&site, &["check", "--timings"]);
    let messages = stderr(&run);
    let lines = timing_lines(&messages, "エラー 0 件", "各段階の処理時間（ミリ秒）:");
    assert_eq!(
        stages(&lines),
        [
            "load", "parse", "link", "render", "verify", "search", "合計"
        ],
        "{messages}"
    );
}

#[test]
fn without_the_flag_or_a_terminal_nothing_but_messages_is_printed() {
    let site = Workspace::copy_of("basic");
    let run = yorisoi(&site, &["build", "--messages", "en"]);
    let messages = stderr(&run);
    assert!(run.status.success(), "{messages}");
    assert!(!messages.contains("Time per stage"), "{messages}");
    assert!(
        !messages.contains('\u{1b}') && !messages.contains('\r'),
        "no progress bar in a pipe: {messages:?}"
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn progress_counts_every_rendered_route_up_to_the_total() {
    let site = Workspace::copy_of("basic");
    let seen = Mutex::new(Vec::new());
    let outcome = yorisoi::build_with_progress(&site.options(), &|p: Progress| {
        seen.lock().unwrap().push(p);
    });
    assert!(outcome.written, "{:?}", outcome.diagnostics);
    let seen = seen.into_inner().unwrap();
    let total = seen[0].total;
    assert_eq!(
        seen[0].done, 0,
        "the total is known before any route is put"
    );
    assert_eq!(
        seen.len(),
        total + 1,
        "one report per route, after the first"
    );
    assert!(seen.iter().all(|p| p.total == total && p.done <= total));
    let mut done: Vec<usize> = seen.iter().map(|p| p.done).collect();
    done.sort_unstable();
    assert_eq!(done, (0..=total).collect::<Vec<_>>());
    assert_eq!(
        total,
        list_files(&site.output)
            .iter()
            .filter(|f| f.as_str() != yorisoi::write::MARKER)
            .filter(|f| yorisoi::precompress::copy_of(f).is_none())
            .count(),
        "every route is a file of the output (besides its compressed copies)"
    );
}
