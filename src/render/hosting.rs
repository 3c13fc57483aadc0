//! The servers' settings: what Apache, nginx and static hosts need to send every
//! answer of the site with its headers, written from the one policy the pages carry
//! (`browser_policy::response_headers`), so that a host invents none of them.
//!
//! Owns `.htaccess` (mod_headers, `always`, so 404s and redirects carry them too; a
//! default charset; no directory listings; each language's 404 page; mod_rewrite rules
//! that send the compressed copies), `yorisoi-nginx.conf` (a `location` for the site's
//! path to `include` in a `server` block, every header `always` in it: nginx drops
//! inherited headers in a `location` that adds its own, so the snippet's own locations
//! add none, but the one for the lasting files, which repeats them all; `gzip_static`),
//! and `_headers` (for hosts that read one). Each refuses to serve the others. Files
//! named by their content (`fingerprint`) are kept a year, `immutable`; everything else
//! is asked for again. `site.toml`'s `[hosting]` says which settings are written and
//! whether compressed copies are made.

use super::{Body, Changes, Output, RenderCx};
use crate::browser_policy;
use crate::config::Server;
use crate::diagnostics::{Diagnostic, Problem, RouteOwner};
use crate::site::Site;
use crate::site::routes::{Claim, Route, RouteKind};
use crate::theme::Theme;

/// How a browser keeps what the site sends: asked again every time (whether it changed
/// is a quick question), since a page keeps its address when its text changes.
const CACHE_CONTROL: &str = "no-cache";

/// How a browser keeps a file named by its content (`fingerprint`): a year, never asked
/// again, since new content comes under a new name.
const LASTING_CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

/// The first line of every file: who wrote it and that it is written again.
const WRITTEN_BY: &str = "Written by yorisoi build from the site's one policy \
(src/browser_policy.rs); edits are lost at the next build.";

/// What every server's settings say, read from the site once.
pub struct Served {
    /// The site's path: `/` or `/support/`.
    base: String,
    /// The headers every answer carries, in the order written, `Cache-Control` last.
    headers: Vec<(&'static str, String)>,
    /// Files named by their content, below the site root, kept for a year.
    lasting: Vec<String>,
    /// Each language's folder below the site root (`en/`) and its 404 page; the
    /// default language's (`""`, `404.html`) last.
    not_found: Vec<(String, String)>,
    /// Whether compressed copies (`precompress`) lie beside the files.
    precompressed: bool,
}

impl Served {
    pub fn of(cx: &RenderCx) -> Served {
        let site = cx.site;
        let https = site.config.address.base_url().starts_with("https://");
        let mut headers = browser_policy::response_headers(https);
        headers.push(("Cache-Control", CACHE_CONTROL.to_owned()));
        let mut lasting: Vec<String> = cx
            .theme
            .static_files
            .iter()
            .filter(|f| f.published != f.url_path)
            .map(|f| f.published.clone())
            .collect();
        let script = super::search::script_path();
        if cx.routes.by_path(&script).is_some() {
            lasting.push(script);
        }
        lasting.sort();
        let mut not_found: Vec<(String, String)> = site
            .config
            .language_codes()
            .iter()
            .map(|lang| {
                let path = super::not_found::not_found_path(site, lang);
                let folder = path.trim_end_matches("404.html").to_owned();
                (folder, path)
            })
            .collect();
        // Longest folder first, for servers that take the first rule that matches.
        not_found.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
        Served {
            base: site.config.address.base_path().to_owned(),
            headers,
            lasting,
            not_found,
            precompressed: site.config.hosting.precompress,
        }
    }

    /// The headers of a lasting file: every other header, and its own `Cache-Control`.
    fn lasting_headers(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.headers.iter().map(|(name, value)| match *name {
            "Cache-Control" => (*name, LASTING_CACHE_CONTROL),
            _ => (*name, value.as_str()),
        })
    }

    /// A regular expression matching the lasting files' paths below the site root.
    fn lasting_pattern(&self) -> String {
        self.lasting
            .iter()
            .map(|path| regex_escape(path))
            .collect::<Vec<_>>()
            .join("|")
    }
}

/// `.` and the other characters a regular expression reads as more than themselves,
/// escaped (published names hold none but `.`, `-` and `_`; the rest is for safety).
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if !c.is_ascii_alphanumeric() && !matches!(c, '/' | '-' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A pattern matching the names of the settings and of yorisoi's own files (the output
/// marker, `publish`'s list, a file `publish` is still writing), for a server to refuse
/// them.
fn settings_pattern() -> String {
    let mut names: Vec<String> = crate::file_kinds::SERVER_SETTINGS
        .iter()
        .map(|name| name.replace('.', "\\."))
        .collect();
    names.extend([
        "\\.yorisoi-[a-z]+".to_owned(),
        ".*\\.yorisoi-part".to_owned(),
    ]);
    names.join("|")
}

fn file_name(server: Server) -> &'static str {
    match server {
        Server::Apache => ".htaccess",
        Server::Nginx => "yorisoi-nginx.conf",
        Server::Static => "_headers",
    }
}

/// The extensions of the files that may have compressed copies, for a pattern.
const COMPRESSED_KINDS: &str = "html|xml|svg|css|js|txt|json|csv";

/// Apache's `.htaccess`, read in the site's own folder.
pub fn apache(served: &Served) -> String {
    let base = &served.base;
    let mut out = format!("# {WRITTEN_BY}\n");
    out.push_str(
        "# Needs mod_headers and AllowOverride FileInfo Indexes Options AuthConfig;\n\
         # mod_rewrite, to send the compressed copies.\n",
    );
    // The default charset is for text/plain and text/html only; the open data's CSV
    // says it too.
    out.push_str("AddDefaultCharset utf-8\nAddCharset utf-8 .csv\nOptions -Indexes\n");
    for (folder, page) in &served.not_found {
        if folder.is_empty() {
            out.push_str(&format!("ErrorDocument 404 {base}{page}\n"));
        } else {
            out.push_str(&format!(
                "<If \"%{{REQUEST_URI}} =~ m#^{base}{}#\">\n  ErrorDocument 404 {base}{page}\n</If>\n",
                regex_escape(folder)
            ));
        }
    }
    out.push_str("<IfModule mod_headers.c>\n");
    for (name, value) in &served.headers {
        out.push_str(&format!("  Header always set {name} \"{value}\"\n"));
    }
    if !served.lasting.is_empty() {
        // By the file's own name, so that its compressed copy is matched too.
        let names: Vec<String> = served
            .lasting
            .iter()
            .map(|path| regex_escape(path.rsplit('/').next().unwrap_or(path)))
            .collect();
        out.push_str(&format!(
            "  <FilesMatch \"^({})(\\.gz|\\.br)?$\">\n    Header always set Cache-Control \"{LASTING_CACHE_CONTROL}\"\n  </FilesMatch>\n",
            names.join("|")
        ));
    }
    out.push_str("</IfModule>\n");
    if served.precompressed {
        // A browser that accepts brotli or gzip gets the copy beside the file, with the
        // file's type; caches keep one answer per encoding.
        out.push_str("<IfModule mod_rewrite.c>\n  RewriteEngine On\n");
        for (encoding, suffix) in [("br", "br"), ("gzip", "gz")] {
            out.push_str(&format!(
                "  RewriteCond %{{HTTP:Accept-Encoding}} \\b{encoding}\\b\n  RewriteCond %{{REQUEST_FILENAME}}.{suffix} -f\n  RewriteRule \\.({COMPRESSED_KINDS})$ %{{REQUEST_URI}}.{suffix} [L]\n"
            ));
        }
        for (extension, mime) in [
            ("html", "text/html"),
            ("xml", "application/xml"),
            ("svg", "image/svg+xml"),
            ("css", "text/css"),
            ("js", "text/javascript"),
            ("txt", "text/plain"),
            ("json", "application/json"),
            // Not a type the default charset covers: the charset is given here.
            ("csv", "text/csv;charset=utf-8"),
        ] {
            out.push_str(&format!(
                "  RewriteRule \\.{extension}\\.(gz|br)$ - [T={mime},E=no-gzip:1,E=no-brotli:1]\n"
            ));
        }
        out.push_str("</IfModule>\n");
        out.push_str(
            "<IfModule mod_headers.c>\n  <FilesMatch \"\\.gz$\">\n    Header set Content-Encoding gzip\n  </FilesMatch>\n  <FilesMatch \"\\.br$\">\n    Header set Content-Encoding br\n  </FilesMatch>\n",
        );
        out.push_str(&format!(
            "  <FilesMatch \"\\.({COMPRESSED_KINDS})(\\.gz|\\.br)?$\">\n    Header append Vary Accept-Encoding\n  </FilesMatch>\n</IfModule>\n"
        ));
    }
    out.push_str(&format!(
        "<FilesMatch \"^({})$\">\n  Require all denied\n</FilesMatch>\n",
        settings_pattern()
    ));
    out
}

/// nginx's snippet, to `include` in the `server` block whose `root` (or `alias`) serves
/// the site's folder at its path.
pub fn nginx(served: &Served) -> String {
    let base = &served.base;
    let mut out = format!("# {WRITTEN_BY}\n");
    out.push_str(&format!(
        "# In the server block that serves this folder at {base}: include this file.\n"
    ));
    out.push_str(&format!("location {base} {{\n"));
    out.push_str("    charset utf-8;\n    autoindex off;\n");
    if served.precompressed {
        out.push_str("    gzip_static on;\n    gzip_vary on;\n");
    }
    let root_page = served
        .not_found
        .iter()
        .find(|(folder, _)| folder.is_empty());
    if let Some((_, page)) = root_page {
        out.push_str(&format!("    error_page 404 {base}{page};\n"));
    }
    for (name, value) in &served.headers {
        out.push_str(&format!("    add_header {name} \"{value}\" always;\n"));
    }
    // Nested locations add no header of their own, and so keep every header above;
    // but the lasting files', which must repeat them all. nginx tries these regular
    // expressions after the language folders' locations too.
    out.push_str(&format!(
        "    location ~ (^|/)({})$ {{\n        return 404;\n    }}\n",
        settings_pattern()
    ));
    // nginx's own list of types has no CSV (the open data): it would be sent as
    // application/octet-stream.
    out.push_str(
        "    location ~ \\.csv$ {\n        types { text/csv csv; }\n        charset_types text/csv;\n    }\n",
    );
    for (folder, page) in served.not_found.iter().filter(|(f, _)| !f.is_empty()) {
        out.push_str(&format!(
            "    location {base}{folder} {{\n        error_page 404 {base}{page};\n"
        ));
        out.push_str("    }\n");
    }
    if !served.lasting.is_empty() {
        out.push_str(&lasting_location(served, "    "));
    }
    out.push_str("}\n");
    out
}

/// nginx's location for the lasting files, every header repeated with their own cache.
fn lasting_location(served: &Served, indent: &str) -> String {
    let mut out = format!(
        "{indent}location ~ ^{}({})$ {{\n",
        regex_escape(&served.base),
        served.lasting_pattern()
    );
    for (name, value) in served.lasting_headers() {
        out.push_str(&format!(
            "{indent}    add_header {name} \"{value}\" always;\n"
        ));
    }
    out.push_str(&format!("{indent}}}\n"));
    out
}

/// `_headers`, for static hosts that read one (Netlify, Cloudflare Pages). Such hosts
/// join the values of a header set by two rules, so `Cache-Control` is set only for the
/// lasting files; the rest keep the host's own, which asks again.
pub fn static_host(served: &Served) -> String {
    let base = &served.base;
    let mut out = format!("# {WRITTEN_BY}\n{base}*\n");
    for (name, value) in served.headers.iter().filter(|(n, _)| *n != "Cache-Control") {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    for path in &served.lasting {
        out.push_str(&format!(
            "{base}{path}\n  Cache-Control: {LASTING_CACHE_CONTROL}\n"
        ));
    }
    out
}

/// The servers' settings `site.toml` asks for, at the top of the output.
pub struct Hosting;

impl Output for Hosting {
    fn claims(&self, site: &Site, _theme: &Theme, output: usize) -> Vec<Claim> {
        let mut servers = site.config.hosting.servers.clone();
        servers.sort();
        servers.dedup();
        servers
            .into_iter()
            .enumerate()
            .map(|(item, server)| {
                let path = file_name(server).to_owned();
                Claim {
                    url: format!("/{path}"),
                    path,
                    kind: RouteKind::Generated,
                    output,
                    item,
                    part: 0,
                    owner: RouteOwner::Generated {
                        what: "server settings",
                    },
                }
            })
            .collect()
    }

    fn render(&self, route: &Route, cx: &RenderCx) -> Result<Body, Diagnostic> {
        // The path is written into each server's own syntax, where `;`, `$`, quotes or
        // spaces would end a directive or start another: only a plain path is written.
        let base = cx.site.config.address.base_path();
        if !base
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~'))
        {
            let line = cx.site.config.key_line("base_url");
            return Err(Diagnostic::error(Problem::ServerPathUnsafe {
                path: base.to_owned(),
            })
            .at(std::path::Path::new("site.toml"), line, 1, None));
        }
        let served = Served::of(cx);
        let text = match route.path.as_str() {
            ".htaccess" => apache(&served),
            "_headers" => static_host(&served),
            _ => nginx(&served),
        };
        Ok(Body::Bytes(text.into_bytes()))
    }

    fn affected(&self, _route: &Route, changes: &Changes, _cx: &RenderCx) -> bool {
        changes.everything
    }
}
