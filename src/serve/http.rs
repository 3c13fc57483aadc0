//! What the preview answers: the site as a browser will see it once published.
//!
//! Owns the answer to each request; the connection (who may ask, how much, how long)
//! is [`super::server`]'s. Only files of the preview are served, by their path below
//! the site's base path (`/centre/` when the site is published there); nothing on disk
//! is reachable by a crafted path, since a request is looked up among the preview's
//! own paths and never joined onto a folder. Pretty URLs redirect to their trailing
//! slash with the query kept, and a redirect is always a path on this host: one `/`,
//! then segments that are never empty and hold no `/` or `\` of their own, whatever
//! the request or the base path holds. `GET` and `HEAD` only. Files from disk are
//! streamed, and each connection has its own thread, so a slow reader of a large file
//! holds up nobody else.
//!
//! Pages get, here and never in `build`'s output, one element: a script from
//! [`SCRIPT`], which listens on [`EVENTS`] (same origin) and reloads the page when a
//! newer build is shown. When the latest build failed, its messages are put over the
//! page, styled by [`STYLE`]. No inline script and no `style` attribute, so both work
//! under the pages' Content-Security-Policy (`script-src 'self'`, `style-src 'self'`,
//! `connect-src 'self'`). The preview's own paths begin with [`RESERVED`] and are
//! answered before the site's files are looked at, so no file of a site (a download
//! or a theme file may have any name) can take their place.

use std::fs::File;
use std::io::{self, Write};
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use super::preview::{Files, Preview, PreviewFile, Shown};
use super::server::{Body, Request, Response, Server};
use crate::browser_policy;
use crate::report::{self, MessageLanguage};
use crate::theme::escape_markup;

/// Where the preview's own paths begin. Outside any page a site can have (page and
/// section names are lower-case letters, digits and hyphens); a file of the site that
/// lies there is not shown by the preview.
pub const RESERVED: &str = "/__yorisoi/";

/// Where a preview page listens for newer builds.
pub const EVENTS: &str = "/__yorisoi/events";

/// The reload script each page loads.
pub const SCRIPT: &str = "/__yorisoi/preview.js";

/// The style sheet of the messages shown over a page after a failed build.
pub const STYLE: &str = "/__yorisoi/preview.css";

const SCRIPT_TEXT: &str = include_str!("preview.js");
const STYLE_TEXT: &str = include_str!("preview.css");

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

/// Looks a request path up among the preview's files, below `base_path` (as the site's
/// address gives it: percent-encoded, and perhaps with empty segments that are
/// dropped here, so that no redirect can read as another host).
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
    let base: Vec<String> = base_path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    let below_base = segments.len() >= base.len()
        && segments
            .iter()
            .zip(&base)
            .all(|(segment, base)| segment == base);
    if !below_base {
        return if segments.is_empty() {
            Located::Redirect(path_on_this_host(base.iter().map(String::as_str)))
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
    Located::Redirect(path_on_this_host(
        base.iter().map(String::as_str).chain(key.split('/')),
    ))
}

/// `/a/b/` from segments: one leading `/`, each segment percent-encoded so that none
/// holds a `/`, `\` or `%` of its own, empty ones dropped. Never `//` or `/\`, so a
/// browser always reads it as a path on this host.
fn path_on_this_host<'a>(segments: impl Iterator<Item = &'a str>) -> String {
    let mut path = "/".to_owned();
    for segment in segments.filter(|s| !s.is_empty()) {
        path.extend(utf8_percent_encode(segment, SEGMENT));
        path.push('/');
    }
    path
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
        // The open data, which a browser shows or saves as the servers send it.
        "csv" => "text/csv; charset=utf-8",
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

/// Answers requests until the process ends.
pub fn serve(server: Server, preview: Arc<Preview>, lang: MessageLanguage) -> ! {
    server.run(Arc::new(move |request: &Request| {
        answer(request, &preview, lang)
    }))
}

/// The answer to one request that the server let through, with the headers the
/// published site's servers send (`browser_policy::response_headers`), so that what the
/// policy refuses is refused while editing too.
pub fn answer(request: &Request, preview: &Arc<Preview>, lang: MessageLanguage) -> Response {
    let mut response = unpoliced_answer(request, preview, lang);
    for (name, value) in browser_policy::response_headers(false) {
        if !response.headers.iter().any(|(n, _)| *n == name) {
            response.headers.push((name, value));
        }
    }
    response
}

fn unpoliced_answer(request: &Request, preview: &Arc<Preview>, lang: MessageLanguage) -> Response {
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        return Response {
            status: 405,
            headers: vec![
                ("Allow", "GET, HEAD".to_owned()),
                ("Content-Type", "text/plain; charset=utf-8".to_owned()),
            ],
            body: Body::Bytes(b"405 Method Not Allowed".to_vec()),
        };
    }
    let (path, query) = match request.target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (request.target.as_str(), None),
    };
    if path.starts_with(RESERVED) {
        return own_file(path, query, preview);
    }
    let shown = preview.current();
    let Some(files) = &shown.files else {
        // No build has succeeded yet: the messages are all there is to show.
        return html_response(not_built_page(&shown, lang), 500);
    };
    match locate(files, &shown.base_path, path) {
        Located::File(key) => file_response(&key, &files[&key], &shown, lang)
            .unwrap_or_else(|| not_found(files, &shown, path, lang)),
        Located::Redirect(mut location) => {
            // A query goes along, unless it holds what cannot be in a header.
            if let Some(query) = query.filter(|q| !q.contains(|c: char| c.is_control())) {
                location.push('?');
                location.push_str(query);
            }
            Response {
                status: 301,
                headers: vec![
                    ("Location", location),
                    ("Cache-Control", "no-store".to_owned()),
                ],
                body: Body::Bytes(Vec::new()),
            }
        }
        Located::NotFound => not_found(files, &shown, path, lang),
    }
}

/// The preview's own paths: the event stream, the reload script, the messages' style.
fn own_file(path: &str, query: Option<&str>, preview: &Arc<Preview>) -> Response {
    let text = |kind: &str, body: &'static str| Response {
        status: 200,
        headers: vec![
            ("Content-Type", kind.to_owned()),
            ("Cache-Control", "no-store".to_owned()),
            ("X-Content-Type-Options", "nosniff".to_owned()),
        ],
        body: Body::Bytes(body.as_bytes().to_vec()),
    };
    match path {
        EVENTS => {
            let since = query
                .into_iter()
                .flat_map(|q| q.split('&'))
                .find_map(|pair| pair.strip_prefix("since="))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let preview = Arc::clone(preview);
            Response {
                status: 200,
                headers: vec![
                    (
                        "Content-Type",
                        "text/event-stream; charset=utf-8".to_owned(),
                    ),
                    ("Cache-Control", "no-store".to_owned()),
                ],
                body: Body::Stream(Box::new(move |out| stream_events(out, &preview, since))),
            }
        }
        SCRIPT => text("text/javascript; charset=utf-8", SCRIPT_TEXT),
        STYLE => text("text/css; charset=utf-8", STYLE_TEXT),
        _ => {
            let mut missing = text("text/plain; charset=utf-8", "404 Not Found");
            missing.status = 404;
            missing
        }
    }
}

fn file_response(
    key: &str,
    file: &PreviewFile,
    shown: &Shown,
    lang: MessageLanguage,
) -> Option<Response> {
    let kind = content_type(key);
    let body = match file {
        PreviewFile::Bytes(bytes) if kind.starts_with("text/html") => {
            return Some(html_response(with_preview_script(bytes, shown, lang), 200));
        }
        PreviewFile::Bytes(bytes) => Body::Shared(Arc::clone(bytes)),
        PreviewFile::Disk(path) => {
            // Only a plain file: a symbolic link put in its place since the build is
            // not followed out of the site.
            let metadata = std::fs::symlink_metadata(path).ok()?;
            if !metadata.is_file() {
                return None;
            }
            Body::File(File::open(path).ok()?, metadata.len())
        }
    };
    Some(Response {
        status: 200,
        headers: vec![
            ("Content-Type", kind.to_owned()),
            ("Cache-Control", "no-store".to_owned()),
            ("X-Content-Type-Options", "nosniff".to_owned()),
        ],
        body,
    })
}

/// The site's 404 page nearest the address asked for, as the servers' settings choose
/// it: `en/404.html` for an address under `/en/`, else `404.html`.
fn not_found(files: &Files, shown: &Shown, raw_path: &str, lang: MessageLanguage) -> Response {
    let below_base = raw_path
        .strip_prefix(shown.base_path.as_str())
        .unwrap_or_default();
    let decoded = percent_decode_str(below_base).decode_utf8_lossy();
    let folders: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    // From the folder the address is in up to the site's root, whose page every
    // address has, even one outside the site's path.
    let page = (0..folders.len().max(1))
        .rev()
        .map(|n| {
            let mut key = folders[..n].join("/");
            if !key.is_empty() {
                key.push('/');
            }
            key + "404.html"
        })
        .find_map(|key| files.get(&key));
    let body = match page.map(|f| &**f) {
        Some(PreviewFile::Bytes(bytes)) => with_preview_script(bytes, shown, lang),
        _ => with_preview_script(
            b"<!DOCTYPE html><title>404</title><body></body>",
            shown,
            lang,
        ),
    };
    html_response(body, 404)
}

fn html_response(body: Vec<u8>, status: u16) -> Response {
    Response {
        status,
        headers: vec![
            ("Content-Type", "text/html; charset=utf-8".to_owned()),
            ("Cache-Control", "no-store".to_owned()),
            ("X-Content-Type-Options", "nosniff".to_owned()),
        ],
        body: Body::Bytes(body),
    }
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
/// script that reloads the page when a newer build is shown. Elements and attributes
/// only: the look is in [`STYLE`], the behaviour in [`SCRIPT`].
fn preview_markup(shown: &Shown, lang: MessageLanguage) -> String {
    let mut markup = String::new();
    if let Some(problems) = &shown.problems {
        markup.push_str(&format!(
            concat!(
                "<link rel=\"stylesheet\" href=\"{}\">",
                "<div role=\"alert\" id=\"yorisoi-preview-problems\" lang=\"{}\">",
                "<p>{}</p><pre>{}</pre></div>"
            ),
            STYLE,
            lang.code(),
            escape_markup(report::preview_failed(lang)),
            escape_markup(problems)
        ));
    }
    // The generation travels in the script's own address, where the script reads it.
    markup.push_str(&format!(
        "<script src=\"{SCRIPT}?since={}\" defer></script>",
        shown.generation
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
fn stream_events(out: &mut dyn Write, preview: &Preview, since: u64) -> io::Result<()> {
    write_now(out, b": yorisoi preview\n\n")?;
    loop {
        let newest = preview.wait_newer(since, KEEP_ALIVE);
        if newest > since {
            return write_now(out, b"data: reload\n\n");
        }
        write_now(out, b": still here\n\n")?;
    }
}

fn write_now(out: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    out.write_all(bytes)?;
    out.flush()
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
        assert_eq!(
            content_type("opendata/municipal-desks.csv"),
            "text/csv; charset=utf-8"
        );
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
            page.starts_with(concat!(
                "<body><p>x</p><link rel=\"stylesheet\" href=\"/__yorisoi/preview.css\">",
                "<div role=\"alert\" id=\"yorisoi-preview-problems\" lang=\"en\">"
            )),
            "{page}"
        );
        assert!(page.contains("a.ja.md:1:1: &lt;script&gt;"), "{page}");
        assert!(
            page.ends_with(
                "<script src=\"/__yorisoi/preview.js?since=7\" defer></script></body></html>"
            ),
            "{page}"
        );
        // Nothing a Content-Security-Policy without 'unsafe-inline' would block.
        assert!(!page.contains("style="), "{page}");
        assert_eq!(page.matches("<script").count(), 1, "{page}");
    }

    #[test]
    fn a_base_path_with_empty_segments_or_backslashes_redirects_on_this_host() {
        let files = files(&["index.html", "en/index.html"]);
        for base in [
            "//other/",
            "//other.example//x/",
            "/\\evil/",
            "/centre//evil.example/",
        ] {
            for path in ["/", "//", "/other", "/other/en", "//other/en"] {
                if let Located::Redirect(to) = locate(&files, base, path) {
                    assert!(
                        to.starts_with('/') && !to.starts_with("//") && !to.starts_with("/\\"),
                        "{base} {path} → {to}"
                    );
                }
            }
        }
        assert_eq!(
            locate(&files, "//other/", "/"),
            Located::Redirect("/other/".into())
        );
        assert_eq!(
            locate(&files, "//other/", "/other/en"),
            Located::Redirect("/other/en/".into())
        );
        assert_eq!(
            locate(&files, "/\\evil/", "/"),
            Located::Redirect("/%5Cevil/".into())
        );
    }

    #[test]
    fn a_base_path_outside_ascii_is_matched_decoded() {
        let files = files(&["index.html", "en/index.html"]);
        let base = "/%E3%82%BB%E3%83%B3%E3%82%BF%E3%83%BC/";
        assert_eq!(
            locate(&files, base, base),
            Located::File("index.html".into())
        );
        assert_eq!(
            locate(&files, base, "/%E3%82%BB%E3%83%B3%E3%82%BF%E3%83%BC/en"),
            Located::Redirect("/%E3%82%BB%E3%83%B3%E3%82%BF%E3%83%BC/en/".into())
        );
        assert_eq!(locate(&files, base, "/"), Located::Redirect(base.into()));
    }

    fn answer_to(preview: &Arc<Preview>, target: &str) -> Response {
        let request = Request {
            method: "GET".into(),
            target: target.into(),
        };
        answer(&request, preview, MessageLanguage::English)
    }

    fn body_text(response: &Response) -> String {
        match &response.body {
            Body::Bytes(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            Body::Shared(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            _ => String::new(),
        }
    }

    fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
        response
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn the_preview_serves_its_own_script_and_style_and_the_site_cannot_take_their_place() {
        let preview = Arc::new(Preview::default());
        let mut site = files(&["index.html"]);
        // A file of the site at the very path of the preview's script.
        site.insert(
            "__yorisoi/preview.js".into(),
            Arc::new(PreviewFile::Bytes(Arc::from(&b"alert(1)"[..]))),
        );
        preview.show_site(Arc::new(site), "/");
        let script = answer_to(&preview, "/__yorisoi/preview.js?since=3");
        assert_eq!(script.status, 200);
        assert_eq!(
            header(&script, "Content-Type"),
            Some("text/javascript; charset=utf-8")
        );
        assert!(body_text(&script).contains("new EventSource("));
        let style = answer_to(&preview, STYLE);
        assert_eq!(
            header(&style, "Content-Type"),
            Some("text/css; charset=utf-8")
        );
        assert!(body_text(&style).contains("#yorisoi-preview-problems"));
        assert_eq!(answer_to(&preview, "/__yorisoi/other").status, 404);
        let events = answer_to(&preview, "/__yorisoi/events?since=0");
        assert!(matches!(events.body, Body::Stream(_)));
    }
}
