//! The servers' settings `build` writes beside the pages, from the site's one policy.
//! (That Debian's nginx and Apache send them is `tests/servers/servers.mjs`, run by CI.)

mod common;

use std::fs;

use common::Workspace;
use yorisoi::browser_policy::response_headers;

fn read(site: &Workspace, name: &str) -> String {
    fs::read_to_string(site.output.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_server_gets_every_header_of_the_policy_at_the_sites_path() {
    let site = Workspace::copy_of("basic");
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let apache = read(&site, ".htaccess");
    let nginx = read(&site, "yorisoi-nginx.conf");
    let static_host = read(&site, "_headers");
    // The fixture is published over HTTPS, so HSTS is among them.
    let headers = response_headers(true);
    assert!(
        headers
            .iter()
            .any(|(n, _)| *n == "Strict-Transport-Security")
    );
    for (name, value) in &headers {
        assert!(
            apache.contains(&format!("Header always set {name} \"{value}\"\n")),
            "{name} in .htaccess"
        );
        assert!(
            nginx.contains(&format!("add_header {name} \"{value}\" always;\n")),
            "{name} in the nginx snippet"
        );
        assert!(
            static_host.contains(&format!("  {name}: {value}\n")),
            "{name} in _headers"
        );
    }
    // At the site's own path, with its own 404 page.
    assert!(apache.contains("ErrorDocument 404 /support/404.html\n"));
    assert!(nginx.contains("location /support/ {\n"));
    assert!(nginx.contains("error_page 404 /support/404.html;"));
    assert!(static_host.contains("\n/support/*\n"));
    // No listings, one charset, and none of the settings served.
    assert!(apache.contains("Options -Indexes") && apache.contains("AddDefaultCharset utf-8"));
    assert!(nginx.contains("autoindex off;") && nginx.contains("charset utf-8;"));
    assert!(apache.contains("Require all denied") && apache.contains("_headers"));
    assert!(nginx.contains("return 404;") && nginx.contains("\\.htaccess"));
    // nginx drops every inherited header in a location that adds one of its own: the
    // snippet's nested location adds none.
    let nested = nginx.split("location ~").nth(1).expect("a nested location");
    assert!(!nested.contains("add_header"), "{nested}");
}

#[test]
fn site_toml_chooses_the_servers_and_http_gets_no_hsts() {
    let site = Workspace::copy_of("basic");
    let config = fs::read_to_string(site.content.join("site.toml")).expect("site.toml");
    let config = config.replace("https://example.jp/support/", "http://example.jp/support/");
    site.write(
        "site.toml",
        format!("{config}\n[hosting]\nservers = [\"apache\"]\n"),
    );
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    assert!(site.output.join(".htaccess").is_file());
    assert!(!site.output.join("_headers").exists());
    assert!(!site.output.join("yorisoi-nginx.conf").exists());
    assert!(!read(&site, ".htaccess").contains("Strict-Transport-Security"));
}

#[test]
fn an_unknown_server_is_a_mistake_in_site_toml() {
    let site = Workspace::copy_of("basic");
    let config = fs::read_to_string(site.content.join("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        format!("{config}\n[hosting]\nservers = [\"iis\"]\n"),
    );
    let outcome = site.build();
    assert!(!outcome.written);
    let error = outcome
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error");
    let location = error.location.as_ref().expect("located");
    assert!(location.file.ends_with("site.toml"), "{location:?}");
}

#[test]
fn a_site_path_that_would_change_a_servers_settings_is_refused_where_it_is_written() {
    let site = Workspace::copy_of("basic");
    let config = fs::read_to_string(site.content.join("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        config.replace(
            "https://example.jp/support/",
            "https://example.jp/a;autoindex$on/",
        ),
    );
    let outcome = site.build();
    assert!(!outcome.written);
    let error = outcome
        .diagnostics
        .iter()
        .find(|d| {
            matches!(
                d.problem,
                yorisoi::diagnostics::Problem::ServerPathUnsafe { .. }
            )
        })
        .expect("the path is refused");
    let location = error.location.as_ref().expect("located");
    assert!(location.file.ends_with("site.toml"), "{location:?}");
    assert!(location.line > 1, "at base_url: {location:?}");
}
