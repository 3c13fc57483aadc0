//! Replays every input kept under `fuzz/regressions/<target>/` through the entry point
//! its fuzz target calls (`yorisoi::fuzzing`), so that what a fuzzer once found stays
//! fixed. Each target's folder also holds hand-picked edge cases, so none is empty.

use std::path::Path;

fn replay(target: &str, run: impl Fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("an entry").path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "{target}: no inputs to replay");
    for input in inputs {
        let bytes = std::fs::read(&input).expect("readable");
        // A panic names the input that caused it.
        eprintln!("{target}: {}", input.display());
        run(&bytes);
    }
}

fn as_text(run: fn(&str)) -> impl Fn(&[u8]) {
    move |bytes| {
        if let Ok(text) = std::str::from_utf8(bytes) {
            run(text);
        }
    }
}

#[test]
fn page_files() {
    replay("page_file", as_text(yorisoi::fuzzing::page_file));
}

#[test]
fn data_files() {
    replay("data_file", yorisoi::fuzzing::data_file);
}

#[test]
fn markdown() {
    replay("markdown", as_text(yorisoi::fuzzing::markdown));
}

#[test]
fn links() {
    replay("link", as_text(yorisoi::fuzzing::link));
}

#[test]
fn serve_paths() {
    replay("serve_path", as_text(yorisoi::fuzzing::serve_path));
}

#[test]
fn content_policy() {
    replay("content_policy", as_text(yorisoi::fuzzing::content_policy));
}

#[test]
fn html_scanner() {
    replay("html_scanner", as_text(yorisoi::fuzzing::html_scanner));
}

#[test]
fn output_verifier() {
    replay("output_verifier", yorisoi::fuzzing::output_verifier);
}
