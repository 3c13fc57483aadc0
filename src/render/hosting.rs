//! The servers' settings: what Apache, nginx and static hosts need to send every
//! answer of the site with its headers, written from the one policy the pages carry
//! (`browser_policy::response_headers`), so that a host invents none of them.
//!
//! Owns `.htaccess` (mod_headers, `always`, so 404s and redirects carry them too; a
//! default charset; no directory listings; the site's 404 page), `yorisoi-nginx.conf`
//! (a `location` for the site's path to `include` in a `server` block, every header
//! `always` in it: nginx drops inherited headers in a `location` that adds its own, so
//! the snippet's own locations add none), and `_headers` (for hosts that read one). Each
//! refuses to serve the others. `site.toml`'s `[hosting] servers` says which are
//! written.

use super::{Body, Changes, Output, RenderCx};
use crate::browser_policy;
use crate::config::Server;
use crate::diagnostics::{Diagnostic, Problem, RouteOwner};
use crate::site::Site;
use crate::site::routes::{Claim, Route, RouteKind};
use crate::theme::Theme;

/// How a browser keeps what the site sends: asked again every time (whether it changed
/// is a quick question), since file names do not change with their content.
const CACHE_CONTROL: &str = "no-cache";

/// The first line of every file: who wrote it and that it is written again.
const WRITTEN_BY: &str = "Written by yorisoi build from the site's one policy \
(src/browser_policy.rs); edits are lost at the next build.";

/// The headers every answer carries, in the order written.
fn headers(site: &Site) -> Vec<(&'static str, String)> {
    let https = site.config.address.base_url().starts_with("https://");
    let mut headers = browser_policy::response_headers(https);
    headers.push(("Cache-Control", CACHE_CONTROL.to_owned()));
    headers
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

/// Apache's `.htaccess`, read in the site's own folder.
pub fn apache(site: &Site) -> String {
    let base = site.config.address.base_path();
    let mut out = format!("# {WRITTEN_BY}\n");
    out.push_str("# Needs mod_headers and AllowOverride FileInfo Indexes Options AuthConfig.\n");
    out.push_str("AddDefaultCharset utf-8\nOptions -Indexes\n");
    out.push_str(&format!("ErrorDocument 404 {base}404.html\n"));
    out.push_str("<IfModule mod_headers.c>\n");
    for (name, value) in headers(site) {
        out.push_str(&format!("  Header always set {name} \"{value}\"\n"));
    }
    out.push_str("</IfModule>\n");
    out.push_str(&format!(
        "<FilesMatch \"^({})$\">\n  Require all denied\n</FilesMatch>\n",
        settings_pattern()
    ));
    out
}

/// nginx's snippet, to `include` in the `server` block whose `root` (or `alias`) serves
/// the site's folder at its path.
pub fn nginx(site: &Site) -> String {
    let base = site.config.address.base_path();
    let mut out = format!("# {WRITTEN_BY}\n");
    out.push_str(&format!(
        "# In the server block that serves this folder at {base}: include this file.\n"
    ));
    out.push_str(&format!("location {base} {{\n"));
    out.push_str("    charset utf-8;\n    autoindex off;\n");
    out.push_str(&format!("    error_page 404 {base}404.html;\n"));
    for (name, value) in headers(site) {
        out.push_str(&format!("    add_header {name} \"{value}\" always;\n"));
    }
    // No add_header of its own: it keeps every header above.
    out.push_str(&format!(
        "    location ~ (^|/)({})$ {{\n        return 404;\n    }}\n",
        settings_pattern()
    ));
    out.push_str("}\n");
    out
}

/// `_headers`, for static hosts that read one (Netlify, Cloudflare Pages).
pub fn static_host(site: &Site) -> String {
    let base = site.config.address.base_path();
    let mut out = format!("# {WRITTEN_BY}\n{base}*\n");
    for (name, value) in headers(site) {
        out.push_str(&format!("  {name}: {value}\n"));
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
        let text = match route.path.as_str() {
            ".htaccess" => apache(cx.site),
            "_headers" => static_host(cx.site),
            _ => nginx(cx.site),
        };
        Ok(Body::Bytes(text.into_bytes()))
    }

    fn affected(&self, _route: &Route, changes: &Changes, _cx: &RenderCx) -> bool {
        changes.everything
    }
}
