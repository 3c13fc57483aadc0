//! The preview's HTTP/1.1 server, on `std::net`: who may speak to it, how much, and
//! for how long.
//!
//! Owns the connection; what a request gets is [`super::http`]'s business. The preview
//! listens on 127.0.0.1 only, but a web page open in the same browser can still reach
//! it, so it refuses what a browser on another site could send:
//!
//! - **Another host.** A `Host` other than `127.0.0.1`, `localhost` or `[::1]` with the
//!   preview's port gets 403. A page whose own name was made to resolve to 127.0.0.1
//!   (DNS rebinding) sends its own name, so it cannot read the preview, drafts
//!   included. A request without `Host` is refused too (HTTP/1.0 allows one): nothing
//!   shows it was meant for this server, and every browser sends it.
//! - **Too much.** The request line and headers are read into one buffer of
//!   [`Limits::max_head`] bytes, never more: past it, 431 and the connection closes,
//!   however much the sender goes on sending.
//! - **Too slowly.** The head must arrive whole within [`Limits::head_timeout`] of the
//!   connection (or, on a kept-alive connection, of its first byte); a kept-alive
//!   connection idle for [`Limits::idle_timeout`] closes; a reader that takes nothing
//!   for [`Limits::write_timeout`] is dropped.
//! - **Too many at once.** At most [`Limits::max_connections`] are open. The next one
//!   is not accepted until one closes: it waits in the system's queue of the listening
//!   socket, and is served late rather than refused (a 503 would show the staff an
//!   error page after a burst of requests that the preview can serve a moment later).
//!   Every wait above is bounded, so a slot held by a silent client always comes back.
//! - **Out of file descriptors.** An error from `accept` (`EMFILE`, `ENFILE`, no
//!   memory, no thread to be had) never ends the listener: it pauses, longer each time
//!   up to half a second, and tries again; connections that close give the
//!   descriptors back.
//!
//! Written here rather than taken from a crate because the server crate used before
//! (tiny_http) owns its accept loop, whose thread panicked when descriptors ran out
//! and left the port closed, and reads headers without any limit.
//!
//! `GET` and `HEAD` only reach the answer with a length known in advance (or an open
//! stream of events, after which the connection closes); a request with a body is
//! answered and its connection closed, so a body is never read as a next request.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

/// How much, how long and how many the server allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The request line and headers together, in bytes.
    pub max_head: usize,
    /// The longest a head may take to arrive.
    pub head_timeout: Duration,
    /// The longest a kept-alive connection waits for its next request.
    pub idle_timeout: Duration,
    /// The longest a reader may take no bytes at all of an answer.
    pub write_timeout: Duration,
    /// Connections open at once.
    pub max_connections: usize,
}

impl Default for Limits {
    /// Far above what a browser sends or needs (a browser's head is under 2 KB; it
    /// opens at most six connections to one server), far below what would hurt.
    fn default() -> Self {
        Limits {
            max_head: 16 * 1024,
            head_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(15),
            write_timeout: Duration::from_secs(60),
            max_connections: 64,
        }
    }
}

/// The first pause after `accept` fails, and the longest.
const FIRST_PAUSE: Duration = Duration::from_millis(10);
const LONGEST_PAUSE: Duration = Duration::from_millis(500);

/// After an answer that closes the connection, what the client still sends is read
/// and dropped for at most this long and this much, so that it reads the answer
/// instead of a reset; then the connection closes whatever is left.
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: usize = 1024 * 1024;

/// A request that reached the answer: its method and its target as sent
/// (`/en/about/?x=1`, always beginning with `/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub target: String,
}

/// An answer: status, headers (`Content-Length` and `Connection` are the server's),
/// body.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
}

/// Writes an open-ended answer (server-sent events) until it ends or the reader goes.
pub type Stream = Box<dyn FnOnce(&mut dyn Write) -> io::Result<()> + Send>;

pub enum Body {
    Bytes(Vec<u8>),
    Shared(Arc<[u8]>),
    /// A file from disk, streamed: this many bytes of it.
    File(File, u64),
    /// No length; the connection closes after it.
    Stream(Stream),
}

/// What answers each request.
pub type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// A listening socket on 127.0.0.1, not yet serving.
pub struct Server {
    listener: TcpListener,
    port: u16,
    limits: Limits,
    open: Arc<OpenConnections>,
}

impl Server {
    /// Listens on `127.0.0.1:port` (0 for any free port).
    pub fn bind(port: u16, limits: Limits) -> io::Result<Server> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
        let port = listener.local_addr()?.port();
        Ok(Server {
            listener,
            port,
            limits,
            open: Arc::default(),
        })
    }

    /// The port listened on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Accepts connections and answers each on its own thread, for as long as the
    /// process runs.
    pub fn run(self, handler: Arc<Handler>) -> ! {
        let mut pause = FIRST_PAUSE;
        loop {
            self.open.wait_below(self.limits.max_connections);
            let stream = match self.listener.accept() {
                Ok((stream, _)) => stream,
                // Gone before it was taken: nothing to wait for.
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionAborted
                            | io::ErrorKind::ConnectionReset
                            | io::ErrorKind::Interrupted
                    ) =>
                {
                    continue;
                }
                // Out of descriptors or memory: the waiting connection stays queued,
                // so trying again at once would only spin.
                Err(_) => {
                    thread::sleep(pause);
                    pause = (pause * 2).min(LONGEST_PAUSE);
                    continue;
                }
            };
            let slot = self.open.enter();
            let handler = Arc::clone(&handler);
            let (limits, port) = (self.limits, self.port);
            let started = thread::Builder::new()
                .name("preview connection".to_owned())
                .spawn(move || {
                    let _slot = slot;
                    Connection::new(stream, limits, port).serve(&*handler);
                });
            match started {
                Ok(_) => pause = FIRST_PAUSE,
                // No thread to be had: the connection was dropped with the closure.
                Err(_) => {
                    thread::sleep(pause);
                    pause = (pause * 2).min(LONGEST_PAUSE);
                }
            }
        }
    }

    #[cfg(test)]
    fn open_connections(&self) -> Arc<OpenConnections> {
        Arc::clone(&self.open)
    }
}

/// The count of open connections, and a wake-up when one closes.
#[derive(Debug, Default)]
struct OpenConnections {
    count: Mutex<usize>,
    closed: Condvar,
}

impl OpenConnections {
    fn wait_below(&self, max: usize) {
        let mut count = lock(&self.count);
        while *count >= max {
            count = self.closed.wait(count).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn enter(self: &Arc<Self>) -> Slot {
        *lock(&self.count) += 1;
        Slot(Arc::clone(self))
    }

    #[cfg(test)]
    fn count(&self) -> usize {
        *lock(&self.count)
    }
}

/// One open connection's place in the count, given back however its thread ends.
struct Slot(Arc<OpenConnections>);

impl Drop for Slot {
    fn drop(&mut self) {
        *lock(&self.0.count) -= 1;
        self.0.closed.notify_one();
    }
}

/// A counter left poisoned by a panicked thread is still a valid count: every change
/// under the lock is one assignment.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Why no head was read.
#[derive(Debug, PartialEq, Eq)]
enum NoHead {
    /// The client closed the connection, or it broke.
    Closed,
    /// Time ran out; `begun` when part of a head had arrived.
    TimedOut { begun: bool },
    /// The buffer filled without the end of the head.
    TooLarge,
}

/// What a head says, as far as the server is concerned.
#[derive(Debug, PartialEq, Eq)]
struct Head {
    request: Request,
    /// The `Host` header, if there was exactly one.
    host: Option<String>,
    /// HTTP/1.0, or `Connection: close`: the connection ends after the answer.
    closes: bool,
    /// A body follows (`Content-Length` other than 0, or `Transfer-Encoding`).
    has_body: bool,
}

struct Connection {
    stream: TcpStream,
    limits: Limits,
    port: u16,
    /// The head being read, and whatever followed it (a next, pipelined request).
    buffer: Vec<u8>,
    filled: usize,
}

impl Connection {
    fn new(stream: TcpStream, limits: Limits, port: u16) -> Connection {
        Connection {
            stream,
            limits,
            port,
            buffer: vec![0; limits.max_head.max(1)],
            filled: 0,
        }
    }

    fn serve(mut self, handler: &Handler) {
        let _ = self.stream.set_nodelay(true);
        if self
            .stream
            .set_write_timeout(Some(self.limits.write_timeout))
            .is_err()
        {
            return;
        }
        let mut first = true;
        loop {
            let end = match self.read_head(first) {
                Ok(end) => end,
                Err(NoHead::Closed | NoHead::TimedOut { begun: false }) => return,
                Err(NoHead::TimedOut { begun: true }) => return self.refuse(408),
                Err(NoHead::TooLarge) => return self.refuse(431),
            };
            first = false;
            let head = parse_head(&self.buffer[..end]);
            self.consume(end);
            let head = match head {
                Ok(head) => head,
                Err(status) => return self.refuse(status),
            };
            if !head
                .host
                .as_deref()
                .is_some_and(|host| is_this_host(host, self.port))
            {
                return self.refuse(403);
            }
            let response = handler(&head.request);
            let keep_alive =
                !head.closes && !head.has_body && !matches!(response.body, Body::Stream(_));
            let head_only = head.request.method == "HEAD";
            let sent = self.send(response, head_only, keep_alive);
            if !sent {
                return;
            }
            if !keep_alive {
                return self.close();
            }
        }
    }

    /// Reads until the buffer holds a whole head; its length.
    fn read_head(&mut self, first: bool) -> Result<usize, NoHead> {
        // A new connection has `head_timeout` for everything; a kept-alive one waits
        // `idle_timeout` for a first byte, then has `head_timeout` from it.
        let mut begun = self.filled > 0;
        let mut deadline = Instant::now()
            + if first || begun {
                self.limits.head_timeout
            } else {
                self.limits.idle_timeout
            };
        let mut scanned = 0;
        loop {
            // Empty lines before a request line are skipped (RFC 9112, 2.2).
            let blank = self.buffer[..self.filled]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            if blank > 0 {
                self.consume(blank);
                scanned = 0;
            }
            if let Some(end) = head_end(&self.buffer[..self.filled], scanned) {
                return Ok(end);
            }
            // The end of a head is at most three bytes back from what is read.
            scanned = self.filled.saturating_sub(3);
            if self.filled == self.buffer.len() {
                return Err(NoHead::TooLarge);
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(NoHead::TimedOut { begun });
            }
            if self.stream.set_read_timeout(Some(deadline - now)).is_err() {
                return Err(NoHead::Closed);
            }
            match self.stream.read(&mut self.buffer[self.filled..]) {
                Ok(0) => return Err(NoHead::Closed),
                Ok(read) => {
                    if !begun && !first {
                        deadline = Instant::now() + self.limits.head_timeout;
                    }
                    begun = true;
                    self.filled += read;
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock
                            | io::ErrorKind::TimedOut
                            | io::ErrorKind::Interrupted
                    ) => {}
                Err(_) => return Err(NoHead::Closed),
            }
        }
    }

    /// Drops the first `count` bytes of the buffer, keeping what follows.
    fn consume(&mut self, count: usize) {
        self.buffer.copy_within(count..self.filled, 0);
        self.filled -= count;
    }

    /// Writes an answer; whether all of it went out.
    fn send(&mut self, response: Response, head_only: bool, keep_alive: bool) -> bool {
        let Response {
            status,
            headers,
            body,
        } = response;
        let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
        for (name, value) in &headers {
            // A value that could end the header line is never written.
            if value.bytes().any(|b| b.is_ascii_control() && b != b'\t') {
                continue;
            }
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        let length = match &body {
            Body::Bytes(bytes) => Some(bytes.len() as u64),
            Body::Shared(bytes) => Some(bytes.len() as u64),
            Body::File(_, length) => Some(*length),
            Body::Stream(_) => None,
        };
        if let Some(length) = length {
            head.push_str(&format!("Content-Length: {length}\r\n"));
        }
        if !keep_alive {
            head.push_str("Connection: close\r\n");
        }
        head.push_str("\r\n");
        let mut out = BufWriter::with_capacity(16 * 1024, &self.stream);
        let written = (|| -> io::Result<bool> {
            out.write_all(head.as_bytes())?;
            if head_only {
                return Ok(true);
            }
            match body {
                Body::Bytes(bytes) => out.write_all(&bytes)?,
                Body::Shared(bytes) => out.write_all(&bytes)?,
                Body::File(file, length) => {
                    // A file that shrank since it was measured cannot fill the length
                    // promised: the connection must end so the reader knows.
                    if io::copy(&mut file.take(length), &mut out)? < length {
                        return Ok(false);
                    }
                }
                Body::Stream(stream) => {
                    out.flush()?;
                    stream(&mut out)?;
                }
            }
            Ok(true)
        })();
        matches!(written, Ok(true)) && out.flush().is_ok()
    }

    /// Answers with a status alone, and closes.
    fn refuse(mut self, status: u16) {
        let response = Response {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".to_owned())],
            body: Body::Bytes(format!("{status} {}\n", reason(status)).into_bytes()),
        };
        if self.send(response, false, false) {
            self.close();
        }
    }

    /// Closes after an answer: says so, then reads and drops what the client still
    /// sends for a moment, so the answer is not lost to a reset.
    fn close(mut self) {
        if self.stream.shutdown(Shutdown::Write).is_err() {
            return;
        }
        let until = Instant::now() + LINGER;
        let mut left = LINGER_BYTES;
        while left > 0 {
            let now = Instant::now();
            if now >= until || self.stream.set_read_timeout(Some(until - now)).is_err() {
                return;
            }
            match self.stream.read(&mut self.buffer) {
                Ok(0) => return,
                Ok(read) => left = left.saturating_sub(read),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return,
            }
        }
    }
}

/// Where the head in `bytes` ends (just past its empty line), looking from `from`.
/// Lines end with CRLF, or LF alone (RFC 9112, 2.2).
fn head_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(found) = bytes.get(at..)?.iter().position(|b| *b == b'\n') {
        let newline = at + found;
        match bytes.get(newline + 1..) {
            Some([b'\n', ..]) => return Some(newline + 2),
            Some([b'\r', b'\n', ..]) => return Some(newline + 3),
            _ => {}
        }
        at = newline + 1;
    }
    None
}

/// Reads a head; the status to refuse it with if it is not one.
fn parse_head(bytes: &[u8]) -> Result<Head, u16> {
    let mut lines = bytes.split(|b| *b == b'\n').map(|line| match line {
        [rest @ .., b'\r'] => rest,
        line => line,
    });
    let request_line = std::str::from_utf8(lines.next().unwrap_or_default()).map_err(|_| 400u16)?;
    if request_line.bytes().any(|b| b.is_ascii_control()) {
        return Err(400);
    }
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    if method.is_empty() || !method.bytes().all(is_token) {
        return Err(400);
    }
    // Only a path: an absolute address (`GET http://other/`) would name a host of its
    // own, past the `Host` check.
    if !target.starts_with('/') {
        return Err(400);
    }
    let mut closes = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ if version.starts_with("HTTP/") => return Err(505),
        _ => return Err(400),
    };
    let mut host = None;
    let mut hosts = 0;
    let mut has_body = false;
    for line in lines.filter(|line| !line.is_empty()) {
        // A line folded onto the one before (obsolete) or a stray CR: not a header.
        if matches!(line.first(), Some(b' ' | b'\t')) || line.contains(&b'\r') {
            return Err(400);
        }
        let colon = line.iter().position(|b| *b == b':').ok_or(400u16)?;
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        if name.is_empty() || !name.iter().copied().all(is_token) {
            return Err(400);
        }
        let value = value.trim_ascii();
        if name.eq_ignore_ascii_case(b"host") {
            hosts += 1;
            host = std::str::from_utf8(value).ok().map(str::to_owned);
        } else if name.eq_ignore_ascii_case(b"connection") {
            closes |= value
                .split(|b| *b == b',')
                .any(|token| token.trim_ascii().eq_ignore_ascii_case(b"close"));
        } else if name.eq_ignore_ascii_case(b"content-length") {
            if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
                return Err(400);
            }
            has_body |= value.iter().any(|b| *b != b'0');
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            has_body = true;
        }
    }
    if hosts > 1 {
        return Err(400);
    }
    Ok(Head {
        request: Request {
            method: method.to_owned(),
            target: target.to_owned(),
        },
        host,
        closes,
        has_body,
    })
}

/// A character of an HTTP token (a method or a header name).
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Whether `host` names this preview: `127.0.0.1`, `localhost` or `[::1]`, with its
/// port (without one only on port 80, where browsers leave it out).
fn is_this_host(host: &str, port: u16) -> bool {
    let (name, given_port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((inside, after)) => (inside, after),
            None => return false,
        },
        None => host.split_at(host.find(':').unwrap_or(host.len())),
    };
    let is_ipv6 = host.starts_with('[');
    let named = if is_ipv6 {
        name == "::1"
    } else {
        name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost")
    };
    let port_matches = match given_port.strip_prefix(':') {
        Some(given) => given == port.to_string(),
        None => given_port.is_empty() && port == 80,
    };
    named && port_matches
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The longest any wait in these tests may take before the test gives up.
    const PATIENCE: Duration = Duration::from_secs(60);

    /// A server answering every request with its target, on a free port.
    fn started(limits: Limits) -> (u16, Arc<OpenConnections>) {
        let server = Server::bind(0, limits).unwrap();
        let (port, open) = (server.port(), server.open_connections());
        thread::spawn(move || {
            server.run(Arc::new(|request: &Request| Response {
                status: 200,
                headers: vec![("Content-Type", "text/plain".to_owned())],
                body: Body::Bytes(request.target.clone().into_bytes()),
            }))
        });
        (port, open)
    }

    fn connect(port: u16) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream
    }

    /// Sends `raw` and reads until the server closes; what it said, even if the close
    /// was a reset.
    fn exchange(port: u16, raw: &str) -> String {
        let mut stream = connect(port);
        stream.write_all(raw.as_bytes()).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    }

    fn status(answer: &str) -> &str {
        answer.split(' ').nth(1).unwrap_or("")
    }

    fn wait_until(mut ready: impl FnMut() -> bool) {
        let started = Instant::now();
        while !ready() {
            assert!(started.elapsed() < PATIENCE, "gave up waiting");
            thread::sleep(Duration::from_millis(10));
        }
    }

    #[test]
    fn only_this_host_with_this_port_is_answered() {
        let (port, _) = started(Limits::default());
        let ask = |version: &str, headers: &str| {
            exchange(
                port,
                &format!("GET /x {version}\r\n{headers}Connection: close\r\n\r\n"),
            )
        };
        for host in [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("LocalHost:{port}"),
            format!("[::1]:{port}"),
        ] {
            let answer = ask("HTTP/1.1", &format!("Host: {host}\r\n"));
            assert_eq!(status(&answer), "200", "{host}: {answer}");
            assert!(answer.ends_with("\r\n\r\n/x"), "{answer}");
        }
        for host in [
            "evil.example:1111".to_owned(),
            "127.0.0.1.evil.example".to_owned(),
            format!("127.0.0.1.evil.example:{port}"),
            format!("evil.example:{port}"),
            format!("127.0.0.1:{port}.evil.example"),
            format!("127.0.0.1:{}", port.wrapping_add(1)),
            format!("127.0.0.1:0{port}"),
            format!("localhost.:{port}"),
            format!("[::2]:{port}"),
            format!("[::1]{port}"),
            format!("[::1:{port}"),
            "127.0.0.1".to_owned(),
            "localhost".to_owned(),
            "[::1]".to_owned(),
            String::new(),
        ] {
            let answer = ask("HTTP/1.1", &format!("Host: {host}\r\n"));
            assert_eq!(status(&answer), "403", "{host:?}: {answer}");
            assert!(!answer.contains("/x"), "{answer}");
        }
        // Without a Host, in either version, nothing shows the request is for here.
        assert_eq!(status(&ask("HTTP/1.1", "")), "403");
        assert_eq!(status(&ask("HTTP/1.0", "")), "403");
        // Two hosts, or an address of its own in the request line: not a request.
        let twice = format!("Host: 127.0.0.1:{port}\r\nHost: evil.example\r\n");
        assert_eq!(status(&ask("HTTP/1.1", &twice)), "400");
        let absolute = exchange(
            port,
            &format!("GET http://evil.example/x HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"),
        );
        assert_eq!(status(&absolute), "400", "{absolute}");
    }

    #[test]
    fn the_port_may_be_left_out_only_on_port_80() {
        assert!(is_this_host("127.0.0.1", 80));
        assert!(is_this_host("[::1]", 80));
        assert!(is_this_host("localhost:80", 80));
        assert!(!is_this_host("127.0.0.1", 8080));
        assert!(!is_this_host("127.0.0.1:", 80));
    }

    #[test]
    fn a_head_past_the_cap_gets_431_without_being_held_and_the_server_answers_on() {
        let limits = Limits {
            max_head: 1024,
            ..Limits::default()
        };
        let (port, _) = started(limits);
        let mut reading = connect(port);
        let mut writing = reading.try_clone().unwrap();
        // Far more than the cap and the system's buffers together: it could only all
        // be sent if the server kept reading it.
        const SENT: usize = 256 * 1024 * 1024;
        let sender = thread::spawn(move || {
            let mut sent = 0;
            let head = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Big: ");
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
        let _ = reading.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        assert_eq!(status(&answer), "431", "{answer}");
        assert!(answer.contains("Connection: close"), "{answer}");
        let sent = sender.join().unwrap();
        assert!(sent < SENT, "the server read all {sent} bytes");
        let after = exchange(
            port,
            &format!("GET /next HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(status(&after), "200", "{after}");
        // Just under the cap is a head like any other.
        let padding = "a".repeat(900);
        let near = exchange(
            port,
            &format!(
                "GET /near HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Pad: {padding}\r\nConnection: close\r\n\r\n"
            ),
        );
        assert_eq!(status(&near), "200", "{near}");
    }

    #[test]
    fn a_head_that_comes_too_slowly_is_cut_off_at_its_timeout() {
        let limits = Limits {
            head_timeout: Duration::from_millis(300),
            ..Limits::default()
        };
        let (port, _) = started(limits);
        // A byte now and then never extends the time a head has.
        let mut reading = connect(port);
        let mut writing = reading.try_clone().unwrap();
        let trickle = thread::spawn(move || {
            let started = Instant::now();
            if write!(writing, "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n").is_err() {
                return;
            }
            while started.elapsed() < PATIENCE && writing.write_all(b"X: a\r\n").is_ok() {
                thread::sleep(Duration::from_millis(20));
            }
        });
        let mut answer = Vec::new();
        let _ = reading.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        assert_eq!(status(&answer), "408", "{answer}");
        drop(reading);
        trickle.join().unwrap();
        // A connection that sends nothing at all is closed without a word.
        assert_eq!(exchange(port, ""), "");
    }

    #[test]
    fn a_kept_alive_connection_closes_when_idle_and_pipelined_requests_come_in_order() {
        let limits = Limits {
            idle_timeout: Duration::from_millis(200),
            ..Limits::default()
        };
        let (port, _) = started(limits);
        // Kept alive after both answers; closed once idle.
        let answer = exchange(
            port,
            &format!(
                "GET /a HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\nGET /b HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
            ),
        );
        assert_eq!(answer.matches("HTTP/1.1 200 OK").count(), 2, "{answer}");
        let a = answer.find("\r\n\r\n/a").expect("/a answered");
        let b = answer.find("\r\n\r\n/b").expect("/b answered");
        assert!(a < b, "{answer}");
        assert!(!answer.contains("Connection: close"), "{answer}");
    }

    #[test]
    fn a_connection_beyond_the_bound_is_served_once_another_closes() {
        let limits = Limits {
            max_connections: 3,
            ..Limits::default()
        };
        let (port, open) = started(limits);
        let mut idle: Vec<TcpStream> = (0..3).map(|_| connect(port)).collect();
        wait_until(|| open.count() == 3);
        let mut waiting = connect(port);
        write!(
            waiting,
            "GET /late HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        // Not taken while three are open: the accepting thread waits for a slot.
        assert_eq!(open.count(), 3);
        idle.pop();
        let mut answer = String::new();
        waiting.read_to_string(&mut answer).unwrap();
        assert_eq!(status(&answer), "200", "{answer}");
        assert!(answer.ends_with("/late"), "{answer}");
        drop(idle);
        wait_until(|| open.count() == 0);
    }

    #[test]
    fn malformed_heads_are_refused() {
        let (port, _) = started(Limits::default());
        let host = format!("Host: 127.0.0.1:{port}\r\n");
        for (raw, expected) in [
            (format!("GET /\r\n{host}\r\n"), "400"),
            (format!("GET  / HTTP/1.1\r\n{host}\r\n"), "400"),
            (format!("GET / HTTP/2.0\r\n{host}\r\n"), "505"),
            (format!("GET / HTTP/1.1\r\n{host} folded\r\n\r\n"), "400"),
            (
                format!("GET / HTTP/1.1\r\n{host}Bad Name: x\r\n\r\n"),
                "400",
            ),
            (
                format!("GET / HTTP/1.1\r\n{host}Content-Length: x\r\n\r\n"),
                "400",
            ),
            (format!("GET / HTTP/1.1\r\n{host}X: a\rb\r\n\r\n"), "400"),
        ] {
            let answer = exchange(port, &raw);
            assert_eq!(status(&answer), expected, "{raw:?}: {answer}");
        }
        // A body is never read as a next request: the connection closes after it.
        let answer = exchange(
            port,
            &format!(
                "GET /a HTTP/1.1\r\n{host}Content-Length: 40\r\n\r\nGET /b HTTP/1.1\r\n{host}\r\n\r\n"
            ),
        );
        assert_eq!(answer.matches("HTTP/1.1").count(), 1, "{answer}");
        assert!(answer.contains("Connection: close"), "{answer}");
    }
}
