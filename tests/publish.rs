//! `yorisoi publish`: a built site copied into a folder a server reads, never half of it,
//! never over a folder it did not make, removing only what it published.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::Duration;

use common::{Workspace, snapshot, yorisoi_command};
use yorisoi::diagnostics::Problem;
use yorisoi::publish::{PUBLISHED_LIST, publish};
use yorisoi::write::MARKER;

/// The files of a published folder, without publish's own list.
fn published(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(dir);
    files.remove(PUBLISHED_LIST);
    files
}

#[test]
fn a_publish_copies_the_site_and_the_next_one_only_what_changed() {
    let site = Workspace::copy_of("basic");
    for (lang, title) in [("ja", "臨時のご案内"), ("en", "Temporary notice")] {
        site.write(
            &format!("extra.{lang}.md"),
            format!("+++\ntitle = \"{title}\"\n+++\n\n{title}\n"),
        );
    }
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let dest = site.dir.path().join("www");
    let first = publish(&site.output, &dest).expect("published");
    assert_eq!(published(&dest), snapshot(&site.output));
    assert!(first.copied > 10 && first.removed == 0);

    // Someone else's file in the folder is theirs, and stays.
    fs::write(dest.join("google1234.html"), "verification").unwrap();
    site.write(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\n+++\n\n書き直した本文です。\n",
    );
    fs::remove_file(site.content.join("extra.ja.md")).unwrap();
    fs::remove_file(site.content.join("extra.en.md")).unwrap();
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let second = publish(&site.output, &dest).expect("published again");
    let mut expected = snapshot(&site.output);
    expected.insert("google1234.html".into(), b"verification".to_vec());
    assert_eq!(published(&dest), expected);
    assert!(
        !dest.join("extra/index.html").exists(),
        "a removed page is gone"
    );
    assert!(!dest.join("extra").exists(), "and its emptied folder");
    assert!(second.removed >= 2, "{second:?}");
    assert!(
        second.unchanged > 0 && second.copied < first.copied,
        "{second:?}"
    );
}

#[test]
fn a_folder_yorisoi_did_not_make_is_left_as_it_is() {
    let site = Workspace::copy_of("basic");
    assert!(site.build().written);
    let dest = site.dir.path().join("www");
    fs::create_dir_all(&dest).unwrap();
    fs::write(dest.join("index.html"), "someone's page").unwrap();
    let refused = publish(&site.output, &dest).expect_err("refused");
    assert!(
        matches!(refused.problem, Problem::PublishNotOurs { .. }),
        "{refused:?}"
    );
    assert_eq!(
        fs::read_to_string(dest.join("index.html")).unwrap(),
        "someone's page"
    );
    assert_eq!(snapshot(&dest).len(), 1);

    // Only a folder build wrote is published, and never into itself.
    let not_built = publish(&site.content, &site.dir.path().join("other")).expect_err("refused");
    assert!(
        matches!(not_built.problem, Problem::NotBuilt { .. }),
        "{not_built:?}"
    );
    let inside = publish(&site.output, &site.output.join("www")).expect_err("refused");
    assert!(
        matches!(inside.problem, Problem::PublishOverlaps { .. }),
        "{inside:?}"
    );
}

#[test]
fn a_list_of_published_files_written_by_someone_else_removes_nothing_outside() {
    let site = Workspace::copy_of("basic");
    assert!(site.build().written);
    let dest = site.dir.path().join("www");
    publish(&site.output, &dest).expect("published");
    let outside = site.dir.path().join("keep.txt");
    fs::write(&outside, "keep").unwrap();
    fs::write(
        dest.join(PUBLISHED_LIST),
        "../keep.txt\n/etc/hostname\na//b\n",
    )
    .unwrap();
    publish(&site.output, &dest).expect("published again");
    assert!(outside.is_file());
}

#[test]
fn a_publish_killed_at_any_moment_leaves_every_page_with_its_files_and_the_next_finishes() {
    let site = Workspace::copy_of("basic");
    // Enough downloads that a publish takes a while to copy.
    let chunk = vec![b'x'; 64 * 1024];
    for n in 0..600 {
        site.write(&format!("files/part-{n:04}.txt"), &chunk);
    }
    assert!(site.build().written);
    let expected = snapshot(&site.output);
    for (round, wait) in [2u64, 15, 40, 80].into_iter().enumerate() {
        let dest = site.dir.path().join(format!("www-{round}"));
        let mut child = yorisoi_command()
            .arg("publish")
            .arg(&dest)
            .arg("--from")
            .arg(&site.output)
            .spawn()
            .expect("publish starts");
        std::thread::sleep(Duration::from_millis(wait));
        let _ = child.kill();
        let _ = child.wait();
        if dest.exists() {
            let now = snapshot(&dest);
            // Whatever is there is whole, and a page is there only with every file.
            for (rel, bytes) in &now {
                if rel == PUBLISHED_LIST || rel.ends_with(".yorisoi-part") {
                    continue;
                }
                assert_eq!(Some(bytes), expected.get(rel), "round {round}: {rel}");
            }
            // A page's compressed copy is sent in its place: it counts as the page.
            let is_page = |f: &str| {
                yorisoi::precompress::copy_of(f)
                    .map_or(f, |(original, _)| original)
                    .ends_with(".html")
            };
            if now.keys().any(|f| is_page(f)) {
                for rel in expected.keys().filter(|f| !is_page(f)) {
                    assert!(now.contains_key(rel), "round {round}: a page before {rel}");
                }
            }
            assert!(
                now.is_empty() || now.contains_key(MARKER),
                "round {round}: the marker comes first"
            );
        }
        let done = publish(&site.output, &dest).expect("the next publish finishes");
        assert_eq!(published(&dest), expected, "round {round}: {done:?}");
    }
}
