//! What a build may do to folders: replace its own output whole and only after a
//! successful build, give the same bytes for the same input, and never delete a folder
//! it did not make, least of all the content folder or the folder holding it.

mod common;

use std::fs;
use std::path::PathBuf;

use common::*;
use yorisoi::diagnostics::Problem;
use yorisoi::write::MARKER;

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let site = Workspace::copy_of("basic");
    assert!(site.build().written);
    let before = snapshot(&site.output);
    let beside_before = list_files(site.dir.path());

    site.write("about.ja.md", "+++\ntitel = \"センターについて\"\n+++\n");
    let outcome = site.build();
    assert!(outcome.has_errors());
    assert!(!outcome.written);
    assert_eq!(snapshot(&site.output), before, "the output folder changed");
    // Nothing was left beside it either (no half-written staging folder).
    let content_changes = |files: Vec<String>| -> Vec<String> {
        files
            .into_iter()
            .filter(|f| !f.starts_with("content/"))
            .collect()
    };
    assert_eq!(
        content_changes(list_files(site.dir.path())),
        content_changes(beside_before)
    );
}

#[test]
fn a_successful_build_replaces_the_output_whole() {
    let site = Workspace::copy_of("basic");
    site.write("events.ja.md", "+++\ntitle = \"催し\"\n+++\n");
    site.write("events.en.md", "+++\ntitle = \"Events\"\n+++\n");
    assert!(site.build().written);
    assert!(site.output.join("en/events/index.html").is_file());
    fs::remove_file(site.content.join("events.ja.md")).unwrap();
    fs::remove_file(site.content.join("events.en.md")).unwrap();
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    assert!(
        !site.output.join("events").exists(),
        "a removed page must disappear"
    );
    assert!(
        !site.output.join("en/events").exists(),
        "a removed page must disappear"
    );
    assert!(site.output.join(MARKER).is_file());
    let leftovers: Vec<_> = fs::read_dir(site.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("yorisoi"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "left beside the output: {leftovers:?}"
    );
}

#[test]
fn building_twice_gives_identical_bytes() {
    let site = Workspace::copy_of("basic");
    let first = site.dir.path().join("first");
    let second = site.dir.path().join("second");
    for output in [&first, &second] {
        let outcome = yorisoi::build(&options(&site.content, output));
        assert!(outcome.written);
    }
    let (a, b) = (snapshot(&first), snapshot(&second));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (file, bytes) in &a {
        assert!(b[file] == *bytes, "{file} differs between two builds");
    }
    // Rebuilding into the same folder changes nothing either.
    assert!(yorisoi::build(&options(&site.content, &first)).written);
    assert_eq!(snapshot(&first), b);
}

#[test]
fn check_never_writes() {
    let site = Workspace::copy_of("basic");
    let outcome = site.check();
    assert!(!outcome.has_errors() && !outcome.written);
    assert!(!site.output.exists());
}

#[test]
fn an_empty_existing_folder_may_be_used() {
    let site = Workspace::copy_of("basic");
    fs::create_dir(&site.output).unwrap();
    assert!(site.build().written);
    assert!(site.output.join("index.html").is_file());
}

/// Builds `site` into `output`, which must be refused with `expected`, and checks that
/// nothing in the workspace changed.
fn assert_refused(site: &Workspace, output: PathBuf, expected: fn(&Problem) -> bool) {
    let before = snapshot(site.dir.path());
    let outcome = yorisoi::build(&options(&site.content, &output));
    assert!(!outcome.written);
    let d = only_error(&outcome);
    assert!(expected(&d.problem), "{output:?}: {:?}", d.problem);
    assert_eq!(
        snapshot(site.dir.path()),
        before,
        "{output:?}: files changed"
    );
}

#[test]
fn a_folder_without_the_marker_is_not_replaced() {
    let site = Workspace::copy_of("basic");
    fs::create_dir(&site.output).unwrap();
    fs::write(site.output.join("notes.txt"), "大事なメモ").unwrap();
    assert_refused(&site, site.output.clone(), |p| {
        matches!(p, Problem::OutputNotOurs { .. })
    });
    assert_eq!(
        fs::read_to_string(site.output.join("notes.txt")).unwrap(),
        "大事なメモ"
    );
}

#[test]
fn a_file_in_place_of_the_output_folder_is_not_replaced() {
    let site = Workspace::copy_of("basic");
    fs::write(&site.output, "not a folder").unwrap();
    assert_refused(&site, site.output.clone(), |p| {
        matches!(p, Problem::OutputNotOurs { .. })
    });
}

#[test]
fn the_folder_holding_the_content_is_refused() {
    let site = Workspace::copy_of("basic");
    // Make the project folder look like an old output: the marker must not matter.
    fs::write(site.dir.path().join(MARKER), "").unwrap();
    assert_refused(&site, site.dir.path().to_path_buf(), |p| {
        matches!(p, Problem::OutputContainsContent { .. })
    });
    // The same folder named through the content folder.
    assert_refused(&site, site.content.join(".."), |p| {
        matches!(p, Problem::OutputContainsContent { .. })
    });
}

#[test]
fn the_content_folder_itself_is_refused() {
    let site = Workspace::copy_of("basic");
    assert_refused(&site, site.content.clone(), |p| {
        matches!(p, Problem::OutputContainsContent { .. })
    });
    assert_refused(&site, site.content.join("."), |p| {
        matches!(p, Problem::OutputContainsContent { .. })
    });
}

#[test]
fn a_folder_inside_the_content_folder_is_refused() {
    let site = Workspace::copy_of("basic");
    assert_refused(&site, site.content.join("public"), |p| {
        matches!(p, Problem::OutputInsideContent { .. })
    });
}

/// A link that leads to the content folder is the content folder.
#[cfg(unix)]
#[test]
fn a_symlink_to_the_content_folder_is_refused() {
    let site = Workspace::copy_of("basic");
    let link = site.dir.path().join("public-link");
    std::os::unix::fs::symlink(&site.content, &link).unwrap();
    assert_refused(&site, link, |p| {
        matches!(p, Problem::OutputContainsContent { .. })
    });
}
