//! A small local web server for looking at the built site, as a browser would see it
//! once published: pretty URLs (`/about/` serves `about/index.html`), the 404 page for
//! anything missing, and nothing reachable outside the output folder.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use tiny_http::{Header, Response, Server, StatusCode};

/// What a request path maps to in the output folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    /// `/about` → `/about/`, so relative links inside the page keep working.
    Redirect(String),
    NotFound,
}

/// Maps a URL path to a file of `root`, refusing anything that climbs out of it.
pub fn resolve(root: &Path, url_path: &str) -> Resolved {
    let path = url_path.split(['?', '#']).next().unwrap_or("/");
    let decoded = crate::site::links::percent_decode(path);
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Resolved::NotFound;
    }
    let target = root.join(relative);
    if target.is_file() {
        return Resolved::File(target);
    }
    if target.is_dir() {
        if !path.ends_with('/') {
            return Resolved::Redirect(format!("{path}/"));
        }
        let index = target.join("index.html");
        if index.is_file() {
            return Resolved::File(index);
        }
    }
    Resolved::NotFound
}

/// The `Content-Type` for a file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

/// Serves `root` on `address` until the process ends.
pub fn serve(root: &Path, address: &str) -> io::Result<()> {
    let server = Server::http(address).map_err(io::Error::other)?;
    for request in server.incoming_requests() {
        let response = respond(root, request.url());
        // A browser that went away mid-response is not our problem to report.
        let _ = request.respond(response);
    }
    Ok(())
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|_| {
        Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).expect("static header")
    })
}

fn respond(root: &Path, url: &str) -> Response<io::Cursor<Vec<u8>>> {
    match resolve(root, url) {
        Resolved::File(path) => match fs::read(&path) {
            Ok(bytes) => Response::from_data(bytes)
                .with_header(header("Content-Type", content_type(&path)))
                .with_header(header("Cache-Control", "no-store")),
            Err(_) => not_found(root),
        },
        Resolved::Redirect(to) => Response::from_data(Vec::new())
            .with_status_code(StatusCode(301))
            .with_header(header("Location", &to)),
        Resolved::NotFound => not_found(root),
    }
}

fn not_found(root: &Path) -> Response<io::Cursor<Vec<u8>>> {
    let body = fs::read(root.join("404.html")).unwrap_or_else(|_| b"404 Not Found".to_vec());
    Response::from_data(body)
        .with_status_code(StatusCode(404))
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_urls_and_no_escape() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join("about")).unwrap();
        fs::write(root.join("about/index.html"), "x").unwrap();
        fs::write(root.join("site.css"), "x").unwrap();
        assert_eq!(
            resolve(root, "/about/"),
            Resolved::File(root.join("about/index.html"))
        );
        assert_eq!(
            resolve(root, "/about"),
            Resolved::Redirect("/about/".into())
        );
        assert_eq!(
            resolve(root, "/site.css?v=1"),
            Resolved::File(root.join("site.css"))
        );
        assert_eq!(resolve(root, "/../etc/passwd"), Resolved::NotFound);
        assert_eq!(resolve(root, "/%2e%2e/etc/passwd"), Resolved::NotFound);
        assert_eq!(resolve(root, "/missing/"), Resolved::NotFound);
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(
            content_type(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("feed.xml")),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("book.pdf")), "application/pdf");
    }
}
