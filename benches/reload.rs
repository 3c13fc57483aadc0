//! Save-to-reload: how long after a file is written an open preview page is told to
//! reload, with `yorisoi serve` as staff run it (the real command, its file watcher
//! with the default quiet period, its event stream).
//!
//! Usage: `cargo bench --bench reload -- CONTENT_DIR PAGE_FILE`, for example
//! `cargo bench --bench reload -- content about.ja.md` for the bundled site, or on a
//! corpus made by `benches/bench.sh`. It starts `yorisoi serve` on a free port, opens
//! the event stream a page opens, and then, again and again, appends a sentence to
//! PAGE_FILE and times from the moment the write returns until the reload event
//! arrives. It also reads the time `serve` reports for each update (the engine's
//! rebuild and the publishing of the preview), so that the cost of watching and
//! notifying shows as the difference. The file is put back as it was, even on a panic.
//! Times are printed, never checked: they depend on the machine.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// Enough saves for a stable median, few enough to keep the run short.
const SAVES: usize = 20;

/// The longest any step may take before the benchmark gives up.
const PATIENCE: Duration = Duration::from_secs(120);

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

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [content, page] = args.as_slice() else {
        eprintln!("usage: cargo bench --bench reload -- CONTENT_DIR PAGE_FILE");
        return ExitCode::from(2);
    };
    let content = PathBuf::from(content);
    let page_path = content.join(page);
    let Ok(original) = std::fs::read(&page_path) else {
        eprintln!("cannot read {}", page_path.display());
        return ExitCode::from(2);
    };
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let mut child = Command::new(env!("CARGO_BIN_EXE_yorisoi"))
        .args(["serve", "--messages", "en", "--now", "2026-11-25", "--port"])
        .arg(port.to_string())
        .arg("--content")
        .arg(&content)
        .arg("--theme")
        .arg(&theme)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start yorisoi serve");
    let updates = report_lines(child.stderr.take().expect("piped stderr"));
    let _served = Served(child);
    let restore = Restore {
        path: page_path.clone(),
        original: original.clone(),
    };

    // The first build ends with the line saying where the preview is.
    let ready = wait_for_line(&updates, "Showing the preview at");
    // `Showing the preview at http://127.0.0.1:PORT/centre/ (…` → `/centre/`.
    let home = ready
        .split_whitespace()
        .nth(4)
        .and_then(|url| url.strip_prefix(&format!("http://127.0.0.1:{port}")))
        .unwrap_or("/")
        .to_owned();
    let mut latencies = Vec::new();
    let mut updated = Vec::new();
    for save in 0..SAVES {
        let mut events = open_events(port, &home);
        let mut text = original.clone();
        text.extend_from_slice(format!("\n\nSentence added by save {save}.\n").as_bytes());
        std::fs::write(&page_path, &text).expect("save the page");
        let saved = Instant::now();
        wait_for_reload(&mut events);
        latencies.push(saved.elapsed());
        if let Some(ms) = update_ms(&wait_for_line(&updates, "Updated (")) {
            updated.push(ms);
        }
        // Let the machine settle, so saves do not fall into step with anything.
        std::thread::sleep(Duration::from_millis(150 + (save as u64 * 37) % 100));
    }
    drop(restore);

    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    let mut latency: Vec<f64> = latencies.iter().map(ms).collect();
    latency.sort_by(f64::total_cmp);
    updated.sort_by(f64::total_cmp);
    let median = |v: &[f64]| v.get(v.len() / 2).copied().unwrap_or(f64::NAN);
    println!(
        "save to reload event: median {:.1} ms, min {:.1} ms, max {:.1} ms ({} saves)",
        median(&latency),
        latency.first().copied().unwrap_or(f64::NAN),
        latency.last().copied().unwrap_or(f64::NAN),
        latency.len()
    );
    println!(
        "update as serve reports it (engine and publishing): median {:.1} ms",
        median(&updated)
    );
    ExitCode::SUCCESS
}

/// The lines `serve` prints, as they come.
fn report_lines(stderr: impl Read + Send + 'static) -> Receiver<String> {
    let (send, receive) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { return };
            if send.send(line).is_err() {
                return;
            }
        }
    });
    receive
}

fn wait_for_line(lines: &Receiver<String>, start: &str) -> String {
    loop {
        let line = lines
            .recv_timeout(PATIENCE)
            .expect("serve stopped or said nothing");
        if line.starts_with(start) {
            return line;
        }
    }
}

/// `Updated (1 files made in 3 ms, 0 warnings).` → 3.
fn update_ms(line: &str) -> Option<f64> {
    let before = line.split(" ms").next()?;
    before.rsplit(' ').next()?.parse().ok()
}

/// The event stream an open page listens on, from the generation the home page was
/// served at.
fn open_events(port: u16, home: &str) -> BufReader<TcpStream> {
    let mut page = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        page,
        "GET {home} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut body = String::new();
    page.read_to_string(&mut body).unwrap();
    let since: u64 = body
        .split("since=")
        .nth(1)
        .map(|rest| {
            rest.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .and_then(|n| n.parse().ok())
        .expect("the home page carries the reload script");
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET /__yorisoi/events?since={since} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let mut events = BufReader::new(stream);
    // The header block and the stream's opening comment.
    let mut line = String::new();
    while events.read_line(&mut line).is_ok_and(|n| n > 0) {
        if line.starts_with(": yorisoi preview") {
            break;
        }
        line.clear();
    }
    events
}

fn wait_for_reload(events: &mut BufReader<TcpStream>) {
    let mut line = String::new();
    loop {
        line.clear();
        let read = events.read_line(&mut line).expect("the event stream");
        assert!(read > 0, "the event stream ended");
        if line.trim() == "data: reload" {
            return;
        }
    }
}
