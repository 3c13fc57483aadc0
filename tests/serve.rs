//! `yorisoi serve` as staff and browsers use it: the real command on a free port,
//! spoken to over HTTP, while files of the content folder are edited, broken and fixed.
//!
//! Waits are bounded (a test fails instead of hanging) but never measure speed: the
//! save-to-reload time is the benchmark's business.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::*;
use yorisoi::engine::{Engine, MemorySink};
use yorisoi::report::MessageLanguage;
use yorisoi::serve::Session;
use yorisoi::serve::preview::PreviewFile;

/// The longest any one wait may take before the test gives up.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `yorisoi serve`, stopped when dropped.
struct Served {
    child: Child,
    port: u16,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port free now and given to no other test of this program: the system may give
/// the same free port to two tests running at once, and one would then talk to the
/// other's preview.
fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<std::collections::BTreeSet<u16>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    loop {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("its address").port();
        if GIVEN.lock().expect("ports given").insert(port) {
            return port;
        }
    }
}

/// Starts `yorisoi serve` on the workspace and waits until it answers.
fn serve(site: &Workspace, extra: &[&str]) -> Served {
    serve_within(site, extra, None)
}

/// Starts `yorisoi serve`, with at most `open_files` file descriptors if given
/// (`ulimit -n`), and returns once it listens: its first build has begun.
fn serve_listening(site: &Workspace, extra: &[&str], open_files: Option<u32>) -> Served {
    let port = free_port();
    let mut command = match open_files {
        Some(limit) => {
            let mut shell = std::process::Command::new("sh");
            shell
                .arg("-c")
                .arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\""))
                .arg(yorisoi_command().get_program());
            shell
        }
        None => yorisoi_command(),
    };
    for name in ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
        command.env_remove(name);
    }
    let child = command
        .args(["serve", "--content", "content", "--now", NOW, "--theme"])
        .arg(theme_dir())
        .args(["--port", &port.to_string()])
        .args(extra)
        .current_dir(site.dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start yorisoi serve");
    let served = Served { child, port };
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < PATIENCE, "serve never listened");
        std::thread::sleep(Duration::from_millis(20));
    }
    served
}

/// [`serve_listening`], then waits for the first build: listening comes before it, and
/// the first answer waits for it.
fn serve_within(site: &Workspace, extra: &[&str], open_files: Option<u32>) -> Served {
    let served = serve_listening(site, extra, open_files);
    wait_until(|| get(served.port, "/support/").status != 500);
    served
}

struct Answer {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

/// One request, written as a browser or a crafted client would send it.
fn request(port: u16, method: &str, target: &str) -> Answer {
    exchange(
        port,
        &format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    )
}

/// Sends `raw` as it is and reads the answer, until the server closes.
fn exchange(port: u16, raw: &str) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the answer");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    Answer {
        status,
        head,
        body: raw[split + 4..].to_vec(),
    }
}

fn get(port: u16, target: &str) -> Answer {
    request(port, "GET", target)
}

fn wait_until(mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(started.elapsed() < PATIENCE, "gave up waiting");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The generation a page was served at, from its reload script.
fn generation(page: &str) -> u64 {
    let at = page.find("since=").expect("the reload script") + "since=".len();
    page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

/// Listens for the next reload, as an open page does.
struct Listener {
    lines: BufReader<TcpStream>,
}

impl Listener {
    fn open(port: u16, since: u64) -> Listener {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "GET /__yorisoi/events?since={since} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
        )
        .unwrap();
        let mut lines = BufReader::new(stream);
        let mut line = String::new();
        lines.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        Listener { lines }
    }

    /// Blocks until the server says to reload.
    fn reload(mut self) {
        let mut line = String::new();
        loop {
            line.clear();
            let read = self.lines.read_line(&mut line).expect("the event stream");
            assert!(read > 0, "the event stream ended without a reload");
            if line.trim() == "data: reload" {
                return;
            }
        }
    }
}

/// Saves a file as many editors do: written beside it and renamed into place, so that
/// the save is one event however loaded the machine is.
fn save(site: &Workspace, rel: &str, text: &str) {
    let path = site.content.join(rel);
    let beside = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&beside, text).unwrap();
    std::fs::rename(&beside, &path).unwrap();
}

/// Saves a file and waits until the open pages are told to reload. The file is saved
/// as many editors do, written beside it and renamed into place, so that the save is
/// one event however loaded the machine is (a file truncated and then written could
/// otherwise be seen half-way, empty, by a slow watcher).
fn save_and_wait(served: &Served, site: &Workspace, rel: &str, text: &str) {
    let since = generation(&get(served.port, "/support/").text());
    let listener = Listener::open(served.port, since);
    save(site, rel, text);
    listener.reload();
}

const ABOUT: &str = "+++\ntitle = \"センターについて\"\n+++\n\nセンターの紹介です。\n";

/// A save made while the first build runs is built and shown: the folders are watched
/// before that build starts. (The watch used to start after it, so a save between the
/// build's reading of the file and the watch was lost until the next one.)
#[test]
fn a_save_made_during_the_first_build_is_shown() {
    let site = Workspace::copy_of("basic");
    // Enough pages that the first build is still running when the save is made.
    for n in 0..1500 {
        for lang in ["ja", "en"] {
            site.write(
                &format!("services/extra-{n:04}.{lang}.md"),
                format!("+++\ntitle = \"Extra {n}\"\n+++\n\nText {n}.\n"),
            );
        }
    }
    let served = serve_listening(&site, &[], None);
    // The build read `about.ja.md` first thing (its load stage reads every file before
    // anything is rendered); the save comes after that, while pages are being made.
    std::thread::sleep(Duration::from_millis(200));
    save(&site, "about.ja.md", ABOUT);
    wait_until(|| {
        let about = get(served.port, "/support/about/");
        about.status == 200 && about.text().contains("センターの紹介です。")
    });
}

#[test]
fn the_preview_never_writes_to_disk_and_shows_drafts_labelled() {
    let site = Workspace::copy_of("basic");
    assert!(!site.build().has_errors());
    let published = snapshot(&site.output);
    let around = list_files(site.dir.path());
    site.write(
        "draft-page.ja.md",
        "+++\ntitle = \"準備中のページ\"\ndraft = true\n+++\n\n下書きです。\n",
    );
    let served = serve(&site, &[]);
    let draft = get(served.port, "/support/draft-page/");
    assert_eq!(draft.status, 200);
    assert!(draft.text().contains("下書き"), "{}", draft.text());
    save_and_wait(&served, &site, "about.ja.md", ABOUT);
    let about = get(served.port, "/support/about/").text();
    assert!(about.contains("センターの紹介です。"));
    // Links lead into the preview, not to the published address.
    assert!(about.contains(&format!("http://127.0.0.1:{}/support/about/", served.port)));
    drop(served);
    assert_eq!(
        snapshot(&site.output),
        published,
        "the output folder changed"
    );
    let mut expected = around;
    expected.push("content/draft-page.ja.md".to_owned());
    expected.sort();
    assert_eq!(
        list_files(site.dir.path()),
        expected,
        "files appeared beside it"
    );
}

#[test]
fn a_mistake_shows_over_the_last_good_page_until_the_next_good_save() {
    let site = Workspace::copy_of("basic");
    let served = serve(&site, &["--messages", "en"]);
    save_and_wait(&served, &site, "about.ja.md", ABOUT);
    save_and_wait(
        &served,
        &site,
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\ntitel = \"x\"\n+++\n\n壊れた版\n",
    );
    let page = get(served.port, "/support/about/");
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("role=\"alert\""), "{text}");
    assert!(text.contains("content/about.ja.md:3:1: error:"), "{text}");
    assert!(
        text.contains("titel = &quot;x&quot;"),
        "the source line: {text}"
    );
    assert!(
        text.contains("センターの紹介です。"),
        "the last good page: {text}"
    );
    assert!(!text.contains("壊れた版"));
    // Every page shows it, not only the broken one.
    assert!(
        get(served.port, "/support/en/")
            .text()
            .contains("role=\"alert\"")
    );
    save_and_wait(&served, &site, "about.ja.md", ABOUT);
    let text = get(served.port, "/support/about/").text();
    assert!(!text.contains("role=\"alert\""), "{text}");
}

#[test]
fn editor_leftovers_do_not_rebuild_and_folders_renamed_or_deleted_are_followed() {
    let site = Workspace::copy_of("basic");
    site.write(
        "extra/page.ja.md",
        "+++\ntitle = \"追加\"\n+++\n\n追加のページ\n",
    );
    site.write(
        "extra/page.en.md",
        "+++\ntitle = \"Extra\"\n+++\n\nAn extra page\n",
    );
    let served = serve(&site, &[]);
    assert_eq!(get(served.port, "/support/extra/page/").status, 200);
    let before = generation(&get(served.port, "/support/").text());
    site.write(".about.ja.md.swp", "swap");
    site.write("about.ja.md~", "backup");
    site.write("4913", "");
    std::thread::sleep(Duration::from_millis(300));
    save_and_wait(&served, &site, "about.ja.md", ABOUT);
    let after = generation(&get(served.port, "/support/").text());
    assert_eq!(after, before + 1, "leftovers caused a rebuild of their own");

    let since = after;
    let listener = Listener::open(served.port, since);
    std::fs::rename(site.content.join("extra"), site.content.join("more")).unwrap();
    listener.reload();
    wait_until(|| get(served.port, "/support/more/page/").status == 200);
    assert_eq!(get(served.port, "/support/extra/page/").status, 404);

    let since = generation(&get(served.port, "/support/").text());
    let listener = Listener::open(served.port, since);
    std::fs::remove_dir_all(site.content.join("more")).unwrap();
    listener.reload();
    wait_until(|| get(served.port, "/support/more/page/").status == 404);
    assert_eq!(get(served.port, "/support/about/").status, 200);
}

#[test]
fn the_base_path_is_honoured_and_redirects_stay_on_the_site() {
    let site = Workspace::copy_of("basic");
    let served = serve(&site, &[]);
    let port = served.port;
    let home = get(port, "/support/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("href=\"/support/about/\""));
    let root = get(port, "/");
    assert_eq!(root.status, 301);
    assert_eq!(root.header("Location").as_deref(), Some("/support/"));
    let pretty = get(port, "/support/about?from=mail&x=1");
    assert_eq!(pretty.status, 301);
    assert_eq!(
        pretty.header("Location").as_deref(),
        Some("/support/about/?from=mail&x=1")
    );
    for doubled in ["//support/en", "//support//en", "/support//en"] {
        let answer = get(port, doubled);
        if answer.status == 301 {
            let to = answer.header("Location").unwrap();
            assert!(
                to.starts_with('/') && !to.starts_with("//"),
                "{doubled} → {to}"
            );
        }
    }
    assert_eq!(get(port, "/about/").status, 404);
}

#[test]
fn only_files_of_the_preview_are_served() {
    let site = Workspace::copy_of("basic");
    let secret = site.dir.path().join("secret.txt");
    std::fs::write(&secret, "not for the web").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, site.content.join("files/secret.txt")).unwrap();
    let served = serve(&site, &[]);
    for target in [
        "/support/../secret.txt",
        "/support/%2e%2e/secret.txt",
        "/support/files/%2e%2e/%2e%2e/secret.txt",
        "/support/..%2f..%2fsecret.txt",
        "/support/files/secret.txt",
        "/secret.txt",
        "/support/%5c..%5csecret.txt",
    ] {
        let answer = get(served.port, target);
        assert_eq!(answer.status, 404, "{target}");
        assert!(!answer.text().contains("not for the web"), "{target}");
    }
    let missing = get(served.port, "/support/no-such-page/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("Content-Type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(
        missing.text().contains("<html lang=\"ja\""),
        "the site's 404 page"
    );
    // Outside the site's path, and at its very top, the default language's.
    for target in ["/elsewhere/", "/support/no-such-page"] {
        let missing = get(served.port, target);
        assert_eq!(missing.status, 404, "{target}");
        assert!(missing.text().contains("<html lang=\"ja\""), "{target}");
    }
    // Below a language's folder, that language's own, as the servers' settings send.
    for target in ["/support/en/no-such-page/", "/support/en/a/b/c.html"] {
        let missing = get(served.port, target);
        assert_eq!(missing.status, 404, "{target}");
        assert!(missing.text().contains("<html lang=\"en\""), "{target}");
    }
}

#[test]
fn get_and_head_only_with_the_right_types() {
    let site = Workspace::copy_of("basic");
    let served = serve(&site, &[]);
    let port = served.port;
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let answer = request(port, method, "/support/");
        assert_eq!(answer.status, 405, "{method}");
        assert_eq!(
            answer.header("Allow").as_deref(),
            Some("GET, HEAD"),
            "{method}"
        );
    }
    let get_home = get(port, "/support/");
    let head = request(port, "HEAD", "/support/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("Content-Length"),
        Some(get_home.body.len().to_string())
    );
    let home = get_home.text();
    let css_at = home
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the home page links its style sheet");
    assert!(css_at.starts_with("/support/css/site-"), "{css_at}");
    let css = get(port, css_at);
    assert_eq!(css.status, 200);
    assert_eq!(
        css.header("Content-Type").as_deref(),
        Some("text/css; charset=utf-8")
    );
    let sitemap = get(port, "/support/sitemap.xml");
    assert_eq!(sitemap.status, 200);
    assert_eq!(
        sitemap.header("Content-Type").as_deref(),
        Some("application/xml; charset=utf-8")
    );
    let pdf = get(port, "/support/files/leaflet.pdf");
    assert_eq!(pdf.status, 200);
    assert_eq!(
        pdf.header("Content-Type").as_deref(),
        Some("application/pdf")
    );
    assert_eq!(
        pdf.body,
        std::fs::read(site.content.join("files/leaflet.pdf")).unwrap()
    );
}

#[test]
fn many_requests_at_once_and_a_slow_reader_hold_up_nobody() {
    let site = Workspace::copy_of("basic");
    // Larger than any socket buffer, so a reader that stops reading leaves the server
    // with most of it still to send.
    let large = vec![b'%'; 64 * 1024 * 1024];
    site.write("files/large.pdf", &large);
    let served = serve(&site, &[]);
    let port = served.port;

    let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        slow,
        "GET /support/files/large.pdf HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let mut first = [0u8; 16];
    slow.read_exact(&mut first).unwrap();

    let answered: Vec<u16> = std::thread::scope(|scope| {
        let asking: Vec<_> = (0..200)
            .map(|i| {
                scope.spawn(move || {
                    let target = if i % 2 == 0 {
                        "/support/"
                    } else {
                        "/support/about/"
                    };
                    get(port, target).status
                })
            })
            .collect();
        asking.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(answered.len(), 200);
    assert!(answered.iter().all(|s| *s == 200), "{answered:?}");
    drop(slow);
}

#[test]
fn a_port_in_use_is_reported_before_anything_is_built() {
    let site = Workspace::copy_of("basic");
    site.write("about.ja.md", "+++\ntitel = \"x\"\n+++\n");
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    for (lang, expected) in [
        (
            "ja",
            format!("ポート {port} はほかのプログラムが使っています"),
        ),
        ("en", format!("Port {port} is in use")),
    ] {
        let run = yorisoi_command()
            .args(["serve", "--content", "content", "--port", &port.to_string()])
            .args(["--messages", lang])
            .current_dir(site.dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(&expected), "{stderr}");
        assert!(stderr.contains("--port"), "{stderr}");
        assert!(!stderr.contains("titel"), "it built first: {stderr}");
    }
    drop(taken);
}

/// The bytes of every file the preview shows.
fn preview_bytes(session: &Session) -> std::collections::BTreeMap<String, Vec<u8>> {
    let shown = session.preview().current();
    let files = shown.files.as_ref().expect("a good build");
    files
        .iter()
        .map(|(key, file)| {
            let bytes = match &**file {
                PreviewFile::Bytes(b) => b.to_vec(),
                PreviewFile::Disk(path) => std::fs::read(path).unwrap(),
            };
            (key.clone(), bytes)
        })
        .collect()
}

fn cold_build(site: &Workspace) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut options = site.options();
    options.include_drafts = true;
    options.served_from = Some("http://127.0.0.1:1111".to_owned());
    let sink = MemorySink::default();
    Engine::new(options).build(&sink);
    sink.files()
}

#[test]
fn after_saves_and_mistakes_the_preview_equals_a_cold_build() {
    let site = Workspace::copy_of("basic");
    let mut options = site.options();
    options.include_drafts = true;
    options.served_from = Some("http://127.0.0.1:1111".to_owned());
    let (mut session, report) = Session::start(options, MessageLanguage::English);
    assert!(!report.has_errors());
    let path = |rel: &str| -> PathBuf { site.content.join(rel) };
    // A file, its new text (or deleted), and whether the build then fails.
    let edits: [(&str, Option<&str>, bool); 6] = [
        ("about.ja.md", Some(ABOUT), false),
        ("about.ja.md", Some("+++\ntitel = \"x\"\n+++\n"), true),
        (
            "access.en.md",
            Some("+++\ntitle = \"Getting here\"\n+++\n\nBy bus.\n"),
            true,
        ),
        ("about.ja.md", Some(ABOUT), false),
        (
            "services/extra.ja.md",
            Some("+++\ntitle = \"追加\"\n+++\n"),
            false,
        ),
        ("services/extra.ja.md", None, false),
    ];
    for (rel, text, fails) in edits {
        match text {
            Some(text) => site.write(rel, text),
            None => std::fs::remove_file(path(rel)).unwrap(),
        }
        let before = session.preview().current().generation;
        let report = session.update(&[path(rel)]);
        assert_eq!(report.has_errors(), fails, "after {rel}");
        if fails {
            continue;
        }
        // The site search's index, made after the edit is shown, is swapped in without
        // a second reload of open pages.
        assert_eq!(
            session.preview().current().generation,
            before + 1,
            "after {rel}"
        );
        assert_eq!(preview_bytes(&session), cold_build(&site), "after {rel}");
    }
}

#[test]
fn a_page_on_another_host_cannot_read_the_preview_drafts_included() {
    let site = Workspace::copy_of("basic");
    site.write(
        "draft-page.ja.md",
        "+++\ntitle = \"準備中のページ\"\ndraft = true\n+++\n\n下書きです。\n",
    );
    let served = serve(&site, &[]);
    let port = served.port;
    let ask = |version: &str, target: &str, host: Option<&str>| {
        let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
        exchange(
            port,
            &format!("GET {target} {version}\r\n{host}Connection: close\r\n\r\n"),
        )
    };
    for target in ["/support/draft-page/", "/__yorisoi/events?since=0", "/"] {
        // What a page whose name was made to resolve to 127.0.0.1 sends (DNS
        // rebinding): its own name, with or without the preview's port.
        for host in [
            "evil.example:1111".to_owned(),
            "127.0.0.1.evil.example".to_owned(),
            format!("evil.example:{port}"),
            format!("127.0.0.1.evil.example:{port}"),
        ] {
            let answer = ask("HTTP/1.1", target, Some(&host));
            assert_eq!(answer.status, 403, "{target} {host}");
            assert!(!answer.text().contains("下書き"), "{target} {host}");
        }
        // A request that names no host is refused too, in HTTP/1.0 as in 1.1.
        assert_eq!(ask("HTTP/1.1", target, None).status, 403, "{target}");
        assert_eq!(ask("HTTP/1.0", target, None).status, 403, "{target}");
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let draft = ask("HTTP/1.1", "/support/draft-page/", Some(&host));
        assert_eq!(draft.status, 200, "{host}");
        assert!(draft.text().contains("下書き"), "{host}");
    }
}

#[test]
fn an_oversized_head_gets_431_and_the_preview_answers_on() {
    let site = Workspace::copy_of("basic");
    let served = serve(&site, &[]);
    let port = served.port;
    let mut reading = TcpStream::connect(("127.0.0.1", port)).unwrap();
    reading.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut writing = reading.try_clone().unwrap();
    // A header that never ends: the server must answer without reading it all.
    const SENT: usize = 256 * 1024 * 1024;
    let sender = std::thread::spawn(move || {
        let mut sent = 0;
        let head = format!("GET /support/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Big: ");
        if writing.write_all(head.as_bytes()).is_err() {
            return sent;
        }
        let chunk = vec![b'a'; 64 * 1024];
        while sent < SENT {
            match writing.write(&chunk) {
                Ok(n) => sent += n,
                Err(_) => break,
            }
        }
        sent
    });
    let mut answer = Vec::new();
    // The connection may end in a reset once the server stops listening to it.
    let _ = reading.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 431 "), "{answer}");
    let sent = sender.join().unwrap();
    assert!(sent < SENT, "all {sent} bytes were taken in");
    assert_eq!(get(port, "/support/").status, 200);
}

/// The file descriptors `pid` has open (Linux).
#[cfg(target_os = "linux")]
fn open_files(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|dir| dir.count())
        .unwrap_or(0)
}

#[cfg(target_os = "linux")]
#[test]
fn running_out_of_file_descriptors_never_ends_the_listener() {
    let site = Workspace::copy_of("basic");
    const LIMIT: u32 = 64;
    let mut served = serve_within(&site, &[], Some(LIMIT));
    let port = served.port;
    let pid = served.child.id();
    // More idle connections than the process can hold: the system completes them and
    // queues the rest, and taking the next one fails for want of a descriptor.
    let idle: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("connect"))
        .collect();
    wait_until(|| open_files(pid) >= LIMIT as usize);
    drop(idle);
    // The descriptors come back, and the listener is still there to take requests.
    wait_until(|| get(port, "/support/").status == 200);
    assert!(served.child.try_wait().unwrap().is_none(), "serve stopped");
    assert_eq!(get(port, "/support/about/").status, 200);
}

#[test]
fn what_the_preview_adds_to_a_page_is_neither_inline_script_nor_inline_style() {
    let site = Workspace::copy_of("basic");
    let served = serve(&site, &["--messages", "en"]);
    let port = served.port;
    save_and_wait(
        &served,
        &site,
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\ntitel = \"x\"\n+++\n",
    );
    let page = get(port, "/support/about/");
    let text = page.text();
    assert!(text.contains("role=\"alert\""), "{text}");
    let doc = scraper::Html::parse_document(&text);
    // The page's data for search engines aside, which never runs.
    let scripts = select(&doc, "script:not([type=\"application/ld+json\"])");
    assert!(!scripts.is_empty(), "{text}");
    for script in &scripts {
        let src = script.value().attr("src").expect("a script from a file");
        assert!(src.starts_with("/__yorisoi/preview.js?since="), "{src}");
        assert_eq!(script.inner_html(), "", "{text}");
    }
    for element in select(&doc, "[role=alert], [role=alert] *") {
        assert!(
            element.value().attr("style").is_none(),
            "{}",
            element.html()
        );
    }
    assert_eq!(
        select(
            &doc,
            "link[rel=stylesheet][href=\"/__yorisoi/preview.css\"]"
        )
        .len(),
        1,
        "{text}"
    );
    let script = get(port, "/__yorisoi/preview.js?since=1");
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("Content-Type").as_deref(),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.text().contains("/__yorisoi/events?since="));
    let style = get(port, "/__yorisoi/preview.css");
    assert_eq!(style.status, 200);
    assert_eq!(
        style.header("Content-Type").as_deref(),
        Some("text/css; charset=utf-8")
    );
    assert!(style.text().contains("#yorisoi-preview-problems"));
}

#[test]
fn every_answer_of_the_preview_carries_the_sites_response_headers() {
    let site = Workspace::copy_of("basic");
    let served = serve(&site, &[]);
    let expected = yorisoi::browser_policy::response_headers(false);
    for target in [
        "/support/",
        "/support/css/site.css",
        "/support/news/feed.xml",
        "/support/no-such-page/",
        "/support/about",
        "/__yorisoi/preview.js",
    ] {
        let answer = get(served.port, target);
        for (name, value) in &expected {
            assert_eq!(
                answer.header(name).as_deref(),
                Some(value.as_str()),
                "{target}: {name}"
            );
        }
        assert!(
            answer
                .header("Content-Security-Policy")
                .is_some_and(|csp| csp.contains("frame-ancestors 'none'")),
            "{target}"
        );
    }
}
