//! A build killed at any moment leaves the published site whole: all of the old one or
//! all of the new one, never a mix and never nothing, and the next build runs normally
//! and cleans up what the killed one left.
//!
//! The test builds a site of a few hundred pages, then again and again starts a build of
//! a changed version of it, kills the process (SIGKILL, as a power cut would) at a
//! moment spread over the whole length of a build, and looks at the output. It runs
//! [`KILLS`] times (`YORISOI_KILLS` sets another number, for a longer run by hand).

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

const KILLS: usize = 24;

/// A site with enough pages that a build takes a while, every page changing between
/// the two versions (the site title is on every page).
fn site() -> Workspace {
    let site = Workspace::copy_of("basic");
    for i in 0..300 {
        for (lang, text) in [("ja", "ご案内の本文です。"), ("en", "The text of a guide.")]
        {
            site.write(
                &format!("guides/guide-{i:03}.{lang}.md"),
                format!("+++\ntitle = \"Guide {i}\"\n+++\n\n{}\n", text.repeat(40)),
            );
        }
    }
    site
}

/// Sets the site title of one of the two versions.
fn version(site: &Workspace, which: usize) {
    let config = std::fs::read_to_string(site.content.join("site.toml")).unwrap();
    let title_line = config
        .lines()
        .find(|l| l.starts_with("title ="))
        .expect("a title in site.toml")
        .to_owned();
    site.write(
        "site.toml",
        config.replacen(&title_line, &format!("title = \"Version {which}\""), 1),
    );
}

fn build(site: &Workspace) -> std::process::Child {
    yorisoi_command()
        .args(["build", "--content", "content", "--now", NOW, "--theme"])
        .arg(theme_dir())
        .current_dir(site.dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start yorisoi build")
}

fn build_to_end(site: &Workspace) {
    let status = build(site).wait().unwrap();
    assert!(status.success());
}

/// What sits beside the output: nothing once a build has finished.
fn leftovers(site: &Workspace) -> Vec<String> {
    std::fs::read_dir(site.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("yorisoi"))
        .collect()
}

type Snapshot = BTreeMap<String, Vec<u8>>;

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one_whole() {
    let kills: usize = std::env::var("YORISOI_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(KILLS);
    let site = site();
    // What each version's output is, built to the end; and how long a build takes.
    let mut expected: [Snapshot; 2] = Default::default();
    let mut longest = Duration::ZERO;
    for which in [0, 1] {
        version(&site, which);
        let started = Instant::now();
        build_to_end(&site);
        longest = longest.max(started.elapsed());
        expected[which] = snapshot(&site.output);
    }
    assert_ne!(expected[0], expected[1]);
    let mut current = 1;
    let (mut old_kept, mut new_found) = (0, 0);
    // A spread of moments over a build and a little past it, in an order that is not
    // a steady sweep.
    let span = longest.mul_f64(1.2).as_micros() as u64;
    for kill in 0..kills {
        let next = 1 - current;
        version(&site, next);
        let at =
            Duration::from_micros((kill as u64 * 7_919) % (kills as u64) * span / kills as u64);
        let mut child = build(&site);
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        let output = snapshot(&site.output);
        if output == expected[current] {
            old_kept += 1;
        } else if output == expected[next] {
            new_found += 1;
        } else {
            panic!("killed after {at:?}: the output is neither the old site nor the new one whole");
        }
        // The next build runs as if nothing had happened.
        build_to_end(&site);
        assert_eq!(snapshot(&site.output), expected[next], "after kill {kill}");
        assert_eq!(leftovers(&site), Vec::<String>::new(), "after kill {kill}");
        current = next;
    }
    eprintln!(
        "{kills} builds killed: the old site whole {old_kept} times, the new one whole {new_found} times"
    );
    assert!(old_kept > 0, "no kill landed during a build");
}

#[test]
fn an_output_named_from_inside_it_or_with_a_trailing_dot_is_built_beside_it() {
    let site = Workspace::copy_of("basic");
    build_to_end(&site);
    let first = snapshot(&site.output);
    for (cwd, output) in [
        (site.output.clone(), "."),
        (site.dir.path().to_path_buf(), "public/."),
    ] {
        let run = yorisoi_command()
            .args(["build", "--output", output, "--now", NOW, "--theme"])
            .arg(theme_dir())
            .arg("--content")
            .arg(&site.content)
            .current_dir(&cwd)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "--output {output}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert_eq!(snapshot(&site.output), first, "--output {output}");
        assert_eq!(leftovers(&site), Vec::<String>::new(), "--output {output}");
        assert!(
            !Path::new(&site.output)
                .join(".public.yorisoi-staging")
                .exists()
        );
    }
}
