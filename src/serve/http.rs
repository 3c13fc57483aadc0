//! The preview's web server: the site as a browser will see it once published.
//!
//! Owns the answer to each request. Only files of the preview are served, by their
//! path below the site's base path (`/centre/` when the site is published there);
//! nothing on disk is reachable by a crafted path, since a request is looked up among
//! the preview's own paths and never joined onto a folder. Pretty URLs redirect to
//! their trailing slash with the query kept, and a redirect never leaves the host.
//! `GET` and `HEAD` only. Files from disk are streamed, and each request has its own
//! thread, so a slow reader of a large file holds up nobody else.
//!
//! Pages get a small script, here and never in `build`'s output, that listens on
//! [`EVENTS`] (same origin) and reloads the page when a newer build is shown; when the
//! latest build failed, its messages are shown over the page.

use std::fs::File;
use std::io::{self, Cursor, Read, Write};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use super::preview::{Files, Preview, PreviewFile, Shown};
use crate::report::{self, MessageLanguage};
use crate::theme::escape_markup;

/// Where a preview page listens for newer builds. Outside any route a site can have:
/// page and section names are lower-case letters, digits and hyphens.
pub const EVENTS: &str = "/__yorisoi/events";

/// How often an idle event stream sends a comment, so that a closed tab is noticed and
/// its thread ends.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Located {
    /// A file of the preview, by its key.
    File(String),
    /// Somewhere else on this server: an address with a trailing slash, or the base
    /// path. Always a path on this host.
    Redirect(String),
    NotFound,
}

/// Characters that stay as they are in a redirect's path segment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Looks a request path up among the preview's files, below `base_path`.
pub fn locate(files: &Files, base_path: &str, raw_path: &str) -> Located {
    let Ok(decoded) = percent_decode_str(raw_path).decode_utf8() else {
        return Located::NotFound;
    };
    if decoded.contains(['\\', '\0']) {
        return Located::NotFound;
    }
    // Empty segments (`//en`) are dropped, so nothing can read as another host.
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Located::NotFound;
    }
    let base: Vec<&str> = base_path.split('/').filter(|s| !s.is_empty()).collect();
    if !segments.starts_with(&base) {
        return if segments.is_empty() {
            Located::Redirect(base_path.to_owned())
        } else {
            Located::NotFound
        };
    }
    let key = segments[base.len()..].join("/");
    if !key.is_empty() && files.contains_key(&key) {
        return Located::File(key);
    }
    let index = if key.is_empty() {
        "index.html".to_owned()
    } else {
        format!("{key}/index.html")
    };
    if !files.contains_key(&index) {
        return Located::NotFound;
    }
    if decoded.ends_with('/') || (key.is_empty() && base.is_empty()) {
        return Located::File(index);
    }
    let mut location = base_path.to_owned();
    for segment in key.split('/').filter(|s| !s.is_empty()) {
        location.extend(utf8_percent_encode(segment, SEGMENT));
        location.push('/');
    }
    Located::Redirect(location)
}

/// The `Content-Type` of a file, by its extension; text always says it is UTF-8.
pub fn content_type(key: &str) -> &'static str {
    let extension = key.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "doc" => "application/msword",
        "xls" => "application/vnd.ms-excel",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Answers every request on its own thread, until the server stops.
pub fn serve(server: Server, preview: Arc<Preview>, lang: MessageLanguage) {
    let server = Arc::new(server);
    for request in server.incoming_requests() {
        let preview = Arc::clone(&preview);
        thread::spawn(move || respond(request, &preview, lang));
    }
}

fn respond(request: Request, preview: &Preview, lang: MessageLanguage) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = Response::from_string("405 Method Not Allowed")
            .with_status_code(StatusCode(405))
            .with_header(header("Allow", "GET, HEAD"))
            .with_header(header("Content-Type", "text/plain; charset=utf-8"));
        let _ = request.respond(response);
        return;
    }
    let url = request.url().to_owned();
    let (path, query) = match url.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (url.as_str(), None),
    };
    if path == EVENTS {
        let since = query
            .into_iter()
            .flat_map(|q| q.split('&'))
            .find_map(|pair| pair.strip_prefix("since="))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        stream_events(request, preview, since);
        return;
    }
    let shown = preview.current();
    let Some(files) = &shown.files else {
        // No build has succeeded yet: the messages are all there is to show.
        let page = not_built_page(&shown, lang);
        let _ = request.respond(html_response(page, 500));
        return;
    };
    // A browser went away mid-answer: nothing to report.
    let _ = match locate(files, &shown.base_path, path) {
        Located::File(key) => match file_response(&key, &files[&key], &shown, lang) {
            Some(response) => request.respond(response),
            None => request.respond(not_found(files, &shown, lang)),
        },
        Located::Redirect(mut location) => {
            // A query goes along, unless it holds what cannot be in a header.
            if let Some(query) = query.filter(|q| !q.contains(|c: char| c.is_control())) {
                location.push('?');
                location.push_str(query);
            }
            let response = Response::empty(StatusCode(301))
                .with_header(header("Location", &location))
                .with_header(header("Cache-Control", "no-store"));
            request.respond(boxed(response))
        }
        Located::NotFound => request.respond(not_found(files, &shown, lang)),
    };
}

type Answer = Response<Box<dyn Read + Send>>;

fn boxed<R: Read + Send + 'static>(response: Response<R>) -> Answer {
    response.boxed()
}

fn file_response(
    key: &str,
    file: &PreviewFile,
    shown: &Shown,
    lang: MessageLanguage,
) -> Option<Answer> {
    let kind = content_type(key);
    let response = match file {
        PreviewFile::Bytes(bytes) if kind.starts_with("text/html") => {
            return Some(html_response(with_preview_script(bytes, shown, lang), 200));
        }
        PreviewFile::Bytes(bytes) => {
            let length = bytes.len();
            boxed(Response::new(
                StatusCode(200),
                Vec::new(),
                Cursor::new(Arc::clone(bytes)),
                Some(length),
                None,
            ))
        }
        PreviewFile::Disk(path) => {
            // Only a plain file: a symbolic link put in its place since the build is
            // not followed out of the site.
            let metadata = std::fs::symlink_metadata(path).ok()?;
            if !metadata.is_file() {
                return None;
            }
            let file = File::open(path).ok()?;
            boxed(Response::new(
                StatusCode(200),
                Vec::new(),
                file,
                usize::try_from(metadata.len()).ok(),
                None,
            ))
        }
    };
    Some(
        response
            .with_header(header("Content-Type", kind))
            .with_header(header("Cache-Control", "no-store"))
            .with_header(header("X-Content-Type-Options", "nosniff")),
    )
}

fn not_found(files: &Files, shown: &Shown, lang: MessageLanguage) -> Answer {
    let body = match files.get("404.html").map(|f| &**f) {
        Some(PreviewFile::Bytes(bytes)) => with_preview_script(bytes, shown, lang),
        _ => with_preview_script(
            b"<!DOCTYPE html><title>404</title><body></body>",
            shown,
            lang,
        ),
    };
    html_response(body, 404)
}

fn html_response(body: Vec<u8>, status: u16) -> Answer {
    let length = body.len();
    boxed(Response::new(
        StatusCode(status),
        Vec::new(),
        Cursor::new(body),
        Some(length),
        None,
    ))
    .with_header(header("Content-Type", "text/html; charset=utf-8"))
    .with_header(header("Cache-Control", "no-store"))
    .with_header(header("X-Content-Type-Options", "nosniff"))
}

/// The page as built, with the reload script and, after a failed build, its messages
/// put in just before `</body>`.
fn with_preview_script(page: &[u8], shown: &Shown, lang: MessageLanguage) -> Vec<u8> {
    let addition = preview_markup(shown, lang);
    let end = find_last(page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + addition.len());
    out.extend_from_slice(&page[..end]);
    out.extend_from_slice(addition.as_bytes());
    out.extend_from_slice(&page[end..]);
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The messages of a failed build (over the page, in the staff's language) and the
/// script that reloads the page when a newer build is shown.
fn preview_markup(shown: &Shown, lang: MessageLanguage) -> String {
    let mut markup = String::new();
    if let Some(problems) = &shown.problems {
        markup.push_str(&format!(
            concat!(
                "<div role=\"alert\" lang=\"{}\" style=\"position:fixed;top:0;left:0;right:0;",
                "max-height:70vh;overflow:auto;z-index:2147483647;background:#fff;",
                "color:#000;border-bottom:4px solid #b00020;padding:1rem;",
                "box-shadow:0 2px 8px rgba(0,0,0,.4)\">",
                "<p style=\"margin:0 0 .5rem;font:bold 1rem/1.5 sans-serif;color:#b00020\">{}</p>",
                "<pre style=\"margin:0;white-space:pre-wrap;font:.875rem/1.5 monospace\">{}</pre>",
                "</div>"
            ),
            lang.code(),
            escape_markup(report::preview_failed(lang)),
            escape_markup(problems)
        ));
    }
    markup.push_str(&format!(
        concat!(
            "<script>new EventSource(\"{}?since={}\")",
            ".onmessage=function(){{location.reload()}};</script>"
        ),
        EVENTS, shown.generation
    ));
    markup
}

fn not_built_page(shown: &Shown, lang: MessageLanguage) -> Vec<u8> {
    let page = format!(
        "<!DOCTYPE html><html lang=\"{}\"><meta charset=\"utf-8\"><title>yorisoi</title><body></body></html>",
        lang.code()
    );
    with_preview_script(page.as_bytes(), shown, lang)
}

/// Server-sent events: `reload` once something newer than `since` is shown, and a
/// comment now and then to notice a closed tab.
fn stream_events(request: Request, preview: &Preview, since: u64) {
    let mut out = request.into_writer();
    let head = concat!(
        "HTTP/1.1 200 OK\r\n",
        "Content-Type: text/event-stream; charset=utf-8\r\n",
        "Cache-Control: no-store\r\n",
        "Connection: close\r\n\r\n",
        ": yorisoi preview\n\n"
    );
    if write_now(&mut out, head.as_bytes()).is_err() {
        return;
    }
    loop {
        let newest = preview.wait_newer(since, KEEP_ALIVE);
        let message: &[u8] = if newest > since {
            b"data: reload\n\n"
        } else {
            b": still here\n\n"
        };
        if write_now(&mut out, message).is_err() || newest > since {
            return;
        }
    }
}

fn write_now(out: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    out.write_all(bytes)?;
    out.flush()
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|()| Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).expect("static"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(keys: &[&str]) -> Files {
        keys.iter()
            .map(|k| {
                (
                    (*k).to_owned(),
                    Arc::new(PreviewFile::Bytes(Arc::from(&b"x"[..]))),
                )
            })
            .collect()
    }

    #[test]
    fn pretty_urls_redirect_to_their_slash_and_nothing_escapes() {
        let files = files(&[
            "index.html",
            "en/about/index.html",
            "site.css",
            "files/a b.pdf",
        ]);
        let at = |path| locate(&files, "/", path);
        assert_eq!(at("/"), Located::File("index.html".into()));
        assert_eq!(
            at("/en/about/"),
            Located::File("en/about/index.html".into())
        );
        assert_eq!(at("/en/about"), Located::Redirect("/en/about/".into()));
        assert_eq!(at("/site.css"), Located::File("site.css".into()));
        assert_eq!(
            at("/files/a%20b.pdf"),
            Located::File("files/a b.pdf".into())
        );
        for escape in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/en/%2E%2E/%2E%2E/etc/passwd",
            "/..%2f..%2fetc/passwd",
            "/en/about/..",
            "/%5c..%5cetc",
            "/missing/",
            "/%ff",
        ] {
            assert_eq!(at(escape), Located::NotFound, "{escape}");
        }
    }

    #[test]
    fn a_doubled_slash_never_redirects_to_another_host() {
        let files = files(&["index.html", "en/index.html"]);
        for path in ["//en", "///en", "//en/", "/%2fen", "/%2F%2Fen"] {
            match locate(&files, "/", path) {
                Located::Redirect(to) => {
                    assert!(
                        to.starts_with('/') && !to.starts_with("//"),
                        "{path} → {to}"
                    )
                }
                Located::File(key) => assert_eq!(key, "en/index.html"),
                Located::NotFound => {}
            }
        }
        assert_eq!(
            locate(&files, "/", "//en"),
            Located::Redirect("/en/".into())
        );
    }

    #[test]
    fn below_a_base_path_only_that_path_is_served() {
        let files = files(&["index.html", "en/index.html"]);
        let at = |path| locate(&files, "/centre/", path);
        assert_eq!(at("/centre/"), Located::File("index.html".into()));
        assert_eq!(at("/centre"), Located::Redirect("/centre/".into()));
        assert_eq!(at("/centre/en"), Located::Redirect("/centre/en/".into()));
        assert_eq!(at("/"), Located::Redirect("/centre/".into()));
        assert_eq!(at("/en/"), Located::NotFound);
    }

    #[test]
    fn text_says_it_is_utf8() {
        assert_eq!(content_type("en/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("news/feed.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("site.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("files/book.PDF"), "application/pdf");
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body_and_messages_are_escaped() {
        let shown = Shown {
            generation: 7,
            problems: Some("a.ja.md:1:1: <script>".into()),
            ..Shown::default()
        };
        let page = with_preview_script(
            b"<body><p>x</p></body></html>",
            &shown,
            MessageLanguage::English,
        );
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.starts_with("<body><p>x</p><div role=\"alert\" lang=\"en\""),
            "{page}"
        );
        assert!(page.contains("a.ja.md:1:1: &lt;script&gt;"), "{page}");
        assert!(page.contains("/__yorisoi/events?since=7"), "{page}");
        assert!(page.ends_with("</script></body></html>"), "{page}");
    }
}
