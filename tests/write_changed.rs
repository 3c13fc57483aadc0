//! A build rewrites only the files whose bytes changed, and never leaves a half-written
//! site behind.
//!
//! Files that come out the same are hard-linked from the previous output, so they keep
//! their modification time and inode: copying the site to a server with `rsync` then
//! sends only what changed. The new site is put together in a staging folder beside the
//! output and swapped in whole, so a build that fails, or one that is killed, leaves
//! the last good site exactly as it was.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::{Duration, SystemTime};

use common::*;
use yorisoi::Sink;
use yorisoi::render::Body;
use yorisoi::write::Staging;

/// When each file of a folder was last written, and which inode holds it.
fn stamps(dir: &Path) -> BTreeMap<String, (SystemTime, u64)> {
    list_files(dir)
        .into_iter()
        .map(|rel| {
            let meta = fs::metadata(dir.join(&rel)).expect("metadata");
            let stamp = (meta.modified().expect("modification time"), meta.ino());
            (rel, stamp)
        })
        .collect()
}

/// Everything in the workspace's folder besides the content and the output: a staging
/// or previous folder left behind would show here.
fn beside_output(site: &Workspace) -> Vec<String> {
    fs::read_dir(site.dir.path())
        .expect("read workspace")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != "content" && name != "public")
        .collect()
}

fn build_ok(site: &Workspace) {
    let outcome = site.build();
    assert!(
        outcome.written && !outcome.has_errors(),
        "{:#?}",
        outcome.diagnostics
    );
}

/// The same content built into a fresh folder: what a complete, correct output holds.
fn fresh_build(site: &Workspace) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let output = dir.path().join("public");
    let outcome = yorisoi::build(&options(&site.content, &output));
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    snapshot(&output)
}

#[test]
fn only_changed_files_are_written_again() {
    let site = Workspace::copy_of("basic");
    site.write("files/timetable.txt", "Open 9:00 to 17:00.\n");
    build_ok(&site);
    let bytes_before = snapshot(&site.output);
    let before = stamps(&site.output);
    assert!(bytes_before.contains_key("files/timetable.txt"));

    // Enough for a file written again to carry a later modification time.
    std::thread::sleep(Duration::from_millis(20));
    let about = site.content.join("about.ja.md");
    let text = fs::read_to_string(&about).expect("about.ja.md");
    site.write(
        "about.ja.md",
        format!("{text}\n予約は不要です。お気軽にお越しください。\n"),
    );
    fs::remove_file(site.content.join("files/timetable.txt")).expect("remove download");
    build_ok(&site);
    let bytes_after = snapshot(&site.output);
    let after = stamps(&site.output);

    assert!(
        !bytes_after.contains_key("files/timetable.txt"),
        "a file removed from content is gone from the output"
    );
    let mut changed = Vec::new();
    for (rel, bytes) in &bytes_after {
        let Some(old) = bytes_before.get(rel) else {
            panic!("{rel} is new, though no page was added");
        };
        if bytes == old {
            assert_eq!(
                after[rel], before[rel],
                "{rel} did not change, so it keeps its time and inode"
            );
        } else {
            assert!(
                after[rel].0 > before[rel].0,
                "{rel} changed, so it was written again"
            );
            assert_ne!(after[rel].1, before[rel].1, "{rel} is a new file");
            changed.push(rel.as_str());
        }
    }
    // The site search's index of the page's language holds its words too.
    // A compressed copy changes with its file.
    let (copies, changed): (Vec<&str>, Vec<&str>) = changed
        .iter()
        .partition(|rel| yorisoi::precompress::copy_of(rel).is_some());
    for copy in &copies {
        let (file, _) = yorisoi::precompress::copy_of(copy).expect("a copy");
        assert!(changed.contains(&file), "{copy} changed, but not {file}");
    }
    assert!(copies.contains(&"about/index.html.gz"), "{copies:?}");
    let (index, pages): (Vec<&str>, Vec<&str>) =
        changed.iter().partition(|rel| rel.starts_with("_search/"));
    assert_eq!(pages, ["about/index.html"], "only the edited page changed");
    assert!(
        index.iter().all(|rel| rel.starts_with("_search/ja/")),
        "only its language's index changed: {index:?}"
    );
    assert!(
        index.contains(&"_search/ja/index.json"),
        "its index changed: {index:?}"
    );
    assert!(String::from_utf8_lossy(&bytes_after["about/index.html"]).contains("予約は不要です"));
    assert!(
        beside_output(&site).is_empty(),
        "{:?}",
        beside_output(&site)
    );
}

#[test]
fn a_build_after_a_killed_one_is_complete() {
    let site = Workspace::copy_of("basic");
    build_ok(&site);

    // A build killed halfway: its staging folder, with part of a site, stays behind.
    let staging = Staging::begin(&site.output).expect("a staging folder");
    staging
        .put("about/index.html", Body::Bytes(b"<p>half".to_vec()))
        .expect("a half-written page");
    std::mem::forget(staging);
    assert!(!beside_output(&site).is_empty(), "the leftover is there");
    assert!(
        !fs::read_to_string(site.output.join("about/index.html"))
            .expect("the output is untouched")
            .contains("<p>half")
    );

    build_ok(&site);
    assert_eq!(snapshot(&site.output), fresh_build(&site));
    assert!(
        beside_output(&site).is_empty(),
        "{:?}",
        beside_output(&site)
    );
}

#[test]
fn a_failed_build_leaves_the_output_as_it_was() {
    let site = Workspace::copy_of("basic");
    build_ok(&site);
    let before = snapshot(&site.output);
    let times = stamps(&site.output);

    site.write(
        "about.ja.md",
        "+++\ntitle = = \"センターについて\"\n+++\n\n本文。\n",
    );
    let outcome = site.build();
    assert!(outcome.has_errors(), "{:#?}", outcome.diagnostics);
    assert!(!outcome.written);
    assert_eq!(snapshot(&site.output), before);
    assert_eq!(stamps(&site.output), times, "not even touched");
    assert!(
        beside_output(&site).is_empty(),
        "{:?}",
        beside_output(&site)
    );
}
