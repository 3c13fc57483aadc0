//! Inputs built to crash or stall a build: each must end, in time, with a site or with
//! located errors, never a crash or a hang.
//!
//! Every case runs the real command as a child process under a watchdog: past
//! [`BUDGET`] the child is killed and the case fails. The budget is generous (a debug
//! build on a busy two-core machine); it catches a hang or a cost that grows with the
//! square of the input, and is not a performance assertion. A crash (a stack overflow
//! aborts the process) fails the case too. CI runs this file in debug and in release.

mod common;

use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// How long one build may take before it counts as a hang.
const BUDGET: Duration = Duration::from_secs(180);

/// What a finished run left: its exit status and messages.
struct Finished {
    status: ExitStatus,
    stderr: String,
    /// The most memory the process held at once, in bytes (its peak resident set, as
    /// the system last reported it while the process ran), where the system says.
    peak_memory: Option<u64>,
}

/// A process's peak resident set so far, in bytes: `VmHWM` of `/proc/<pid>/status`.
fn peak_resident(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

/// Runs `yorisoi <args>` on the workspace under the watchdog.
fn run(site: &Workspace, args: &[&str]) -> Finished {
    let mut command: Command = yorisoi_command();
    command
        .args(args)
        .args([
            "--content",
            "content",
            "--now",
            NOW,
            "--messages",
            "en",
            "--theme",
        ])
        .arg(theme_dir())
        .current_dir(site.dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("start yorisoi");
    // Read stderr on its own thread, so a chatty child never blocks on a full pipe.
    let mut pipe = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut pipe, &mut text);
        text
    });
    let started = Instant::now();
    let mut peak_memory = None;
    let status = loop {
        // Read before each check for the end: the peak only grows, and the last
        // reading before the process ends is the one kept.
        peak_memory = peak_resident(child.id()).or(peak_memory);
        if let Some(status) = child.try_wait().expect("wait for yorisoi") {
            break status;
        }
        if started.elapsed() > BUDGET {
            let _ = child.kill();
            let _ = child.wait();
            panic!("yorisoi {args:?} ran past {BUDGET:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = reader.join().unwrap_or_default();
    // Exit codes 0 and 1 are answers; a signal or anything else is a crash.
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "yorisoi {args:?} crashed ({status}):\n{stderr}"
    );
    Finished {
        status,
        stderr,
        peak_memory,
    }
}

/// Asserts that a run held at most `per_byte` bytes of memory per byte of `input`,
/// above what a build of the small fixture site holds anyway. Where the system does
/// not report memory, there is nothing to assert.
fn memory_within(finished: &Finished, input: usize, per_byte: u64) {
    /// Generous for the fixture site, the program and its threads.
    const FLOOR: u64 = 96 * 1024 * 1024;
    if let Some(peak) = finished.peak_memory {
        let limit = FLOOR + per_byte * input as u64;
        assert!(
            peak <= limit,
            "held {} MB at once for {} MB of input (at most {} MB)",
            peak >> 20,
            input >> 20,
            limit >> 20
        );
    }
}

/// The basic site with one page's text replaced by `body`.
fn site_with_body(body: &str) -> Workspace {
    let site = Workspace::copy_of("basic");
    site.write(
        "about.ja.md",
        format!("+++\ntitle = \"センターについて\"\n+++\n\n{body}"),
    );
    site
}

/// Builds `site`; it must succeed and write the page.
fn builds(site: &Workspace) {
    let finished = run(site, &["build"]);
    assert!(finished.status.success(), "{}", finished.stderr);
    assert!(site.output.join("about/index.html").is_file());
}

#[test]
fn lists_nested_ten_thousand_deep() {
    let body: String = (0..10_000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    let site = site_with_body(&body);
    let finished = run(&site, &["build"]);
    // Either a site or a located message: both are answers.
    if !finished.status.success() {
        assert!(
            finished.stderr.contains("about.ja.md:"),
            "{}",
            finished.stderr
        );
    }
}

#[test]
fn quotes_nested_ten_thousand_deep() {
    let body = format!("{} quoted\n", ">".repeat(10_000));
    let site = site_with_body(&body);
    let finished = run(&site, &["build"]);
    if !finished.status.success() {
        assert!(
            finished.stderr.contains("about.ja.md:"),
            "{}",
            finished.stderr
        );
    }
}

#[test]
fn a_one_megabyte_line() {
    let body = format!("{}\n", "相談".repeat(350_000));
    builds(&site_with_body(&body));
}

#[test]
fn twenty_thousand_links_on_one_line() {
    let body = format!("{}\n", "[相談](/services/) ".repeat(20_000));
    builds(&site_with_body(&body));
}

#[test]
fn twenty_thousand_broken_links_on_one_line_are_each_reported() {
    let body = format!("{}\n", "[x](/missing/) ".repeat(20_000));
    let finished = run(&site_with_body(&body), &["check"]);
    assert!(!finished.status.success());
    assert!(
        finished.stderr.contains("about.ja.md:5:"),
        "{}",
        &finished.stderr[..400]
    );
}

#[test]
fn twenty_thousand_identical_headings() {
    let body = "## 相談\n\n本文\n\n".repeat(20_000);
    builds(&site_with_body(&body));
}

#[test]
fn a_long_raw_html_line_of_repeated_attributes_and_tags() {
    let attributes = format!("<div {}>x</div>\n", "onon".repeat(25_000));
    let finished = run(&site_with_body(&attributes), &["build"]);
    assert!(!finished.status.success());
    let images = format!("{}\n", "<img".repeat(100_000));
    run(&site_with_body(&images), &["build"]);
}

#[test]
fn a_thousand_nested_sections() {
    let site = Workspace::copy_of("basic");
    let mut dir = String::new();
    // One letter a level, so that the deepest path stays within the system's limit.
    for depth in 0..1_000 {
        dir.push_str("s/");
        for lang in ["ja", "en"] {
            site.write(
                &format!("{dir}_index.{lang}.md"),
                format!("+++\ntitle = \"S{depth}\"\n+++\n"),
            );
        }
    }
    // The site map lists them all, nested.
    for lang in ["ja", "en"] {
        site.write(
            &format!("sitemap.{lang}.md"),
            "+++\ntitle = \"Site map\"\ntemplate = \"sitemap.html\"\n+++\n",
        );
    }
    builds(&site);
    let page = std::fs::read_to_string(site.output.join("sitemap/index.html")).unwrap();
    let start = page
        .find("<nav class=\"html-sitemap\"")
        .expect("the site map");
    let map = &page[start..start + page[start..].find("</nav>").expect("its end")];
    assert_eq!(map.matches("<ul>").count(), map.matches("</ul>").count());
    assert!(map.matches("<ul>").count() > 1_000, "every level is a list");
}

#[test]
fn zero_bytes_and_invalid_utf8() {
    let site = site_with_body("本文\u{0}です\n");
    let finished = run(&site, &["build"]);
    assert!(!finished.status.success());
    assert!(
        finished.stderr.contains("about.ja.md:5:3: error"),
        "{}",
        finished.stderr
    );

    let site = Workspace::copy_of("basic");
    site.write(
        "about.ja.md",
        b"+++\ntitle = \"x\"\n+++\n\n\xff\xfe\xfd invalid\n",
    );
    let finished = run(&site, &["build"]);
    assert!(!finished.status.success());
    assert!(
        finished.stderr.contains("about.ja.md"),
        "{}",
        finished.stderr
    );
}

#[test]
fn a_hundred_megabyte_download() {
    let site = Workspace::copy_of("basic");
    let path = site.content.join("files/large.pdf");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(100 * 1024 * 1024).unwrap();
    site.write(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\n+++\n\n[資料](/files/large.pdf)\n",
    );
    builds(&site);
    assert_eq!(
        std::fs::metadata(site.output.join("files/large.pdf"))
            .unwrap()
            .len(),
        100 * 1024 * 1024
    );
}

#[test]
fn a_publication_size_that_would_overflow() {
    let site = Workspace::copy_of("basic");
    site.write(
        "publications.toml",
        "[[publication]]\ntitle.ja = \"冊子\"\npage_url = \"https://example.jp/\"\nformat = \"PDF\"\nsize_kb = 18014398509481984\nsource = \"leaflet-2026\"\n",
    );
    let finished = run(&site, &["build"]);
    assert!(!finished.status.success());
    assert!(
        finished.stderr.contains("publications.toml:5:"),
        "{}",
        finished.stderr
    );
}

#[test]
fn twenty_thousand_links_to_other_sites_on_one_line_each_get_their_rel() {
    // Markdown links and raw HTML ones with the author's own `rel`: each start tag is
    // written again with `noopener noreferrer`, in one pass over the page.
    let body = format!(
        "{}\n",
        "[県](https://www.pref.miyagi.jp/) <a href=\"https://www.city.sendai.jp/\" rel=\"nofollow\">市</a> "
            .repeat(10_000)
    );
    let site = site_with_body(&body);
    builds(&site);
    let page = std::fs::read_to_string(site.output.join("about/index.html")).expect("the page");
    assert_eq!(page.matches("rel=\"noopener noreferrer\"").count(), 10_000);
    assert_eq!(
        page.matches("rel=\"nofollow noopener noreferrer\"").count(),
        10_000
    );
}

#[test]
fn an_svg_of_three_hundred_thousand_elements() {
    // Each element's line was counted from the start of the file: quadratic.
    let site = Workspace::copy_of("basic");
    let shapes = "<rect width=\"1\" height=\"1\"/>\n".repeat(300_000);
    site.write(
        "files/map.svg",
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><title>地図</title>\n{shapes}</svg>\n"),
    );
    site.write(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\n+++\n\n![地図](/files/map.svg)\n",
    );
    builds(&site);
    // And as many refused ones, each reported at its own line.
    let scripts = "<script/>\n".repeat(300_000);
    site.write(
        "files/map.svg",
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\">\n{scripts}</svg>\n"),
    );
    let finished = run(&site, &["build"]);
    assert!(!finished.status.success());
    assert!(
        finished.stderr.contains("files/map.svg:300001:1:"),
        "{}",
        &finished.stderr[finished.stderr.len().saturating_sub(2000)..]
    );
}

#[test]
fn six_hundred_thousand_refused_tags_in_one_raw_html_block() {
    // A block comes line by line; finding each finding's line among the block's lines
    // from the end made it quadratic.
    let body = format!("<div>\n{}</div>\n", "<embed>\n".repeat(600_000));
    let finished = run(&site_with_body(&body), &["build"]);
    assert!(!finished.status.success());
    assert!(
        finished.stderr.contains("about.ja.md:600005:1:"),
        "{}",
        &finished.stderr[finished.stderr.len().saturating_sub(2000)..]
    );
}

#[test]
fn eight_megabytes_of_furigana_in_one_page() {
    // Each furigana became three events, all held at once, twice over: about 100 bytes
    // of memory per byte of the page.
    let line = "{相談|そうだん}の{窓口|まど|ぐち}です。".repeat(20);
    let body = format!("{line}\n\n").repeat(7_000);
    let site = site_with_body(&body);
    let finished = run(&site, &["build"]);
    assert!(finished.status.success(), "{}", finished.stderr);
    let page = std::fs::read_to_string(site.output.join("about/index.html")).unwrap();
    assert_eq!(page.matches("<ruby>").count(), 7_000 * 20 * 3);
    memory_within(&finished, body.len(), 20);
}

#[test]
fn a_rebuild_compares_a_large_download_in_little_memory() {
    // The download and its last copy were read whole to be compared: twice its size.
    let site = Workspace::copy_of("basic");
    let size = 300 * 1024 * 1024;
    let file = std::fs::File::create(site.content.join("files/large.pdf")).unwrap();
    file.set_len(size).unwrap();
    site.write(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\n+++\n\n[資料](/files/large.pdf)\n",
    );
    builds(&site);
    let finished = run(&site, &["build"]);
    assert!(finished.status.success(), "{}", finished.stderr);
    memory_within(&finished, 0, 0);
}
