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
    // At the site's own path, with each language's own 404 page.
    assert!(apache.contains("ErrorDocument 404 /support/404.html\n"));
    assert!(apache.contains(
        "<If \"%{REQUEST_URI} =~ m#^/support/en/#\">\n  ErrorDocument 404 /support/en/404.html\n</If>"
    ));
    assert!(nginx.contains("location /support/ {\n"));
    assert!(nginx.contains("error_page 404 /support/404.html;"));
    assert!(nginx.contains(
        "    location /support/en/ {\n        error_page 404 /support/en/404.html;\n    }"
    ));
    assert!(static_host.contains("\n/support/*\n"));
    // No listings, one charset, and none of the settings served.
    assert!(apache.contains("Options -Indexes") && apache.contains("AddDefaultCharset utf-8"));
    assert!(nginx.contains("autoindex off;") && nginx.contains("charset utf-8;"));
    assert!(apache.contains("Require all denied") && apache.contains("_headers"));
    assert!(nginx.contains("return 404;") && nginx.contains("\\.htaccess"));
    // nginx drops every inherited header in a location that adds one of its own: the
    // snippet's nested locations add none, but for the lasting files', which add them
    // all.
    let nested = nginx.split("location ~").nth(1).expect("a nested location");
    assert!(!nested.contains("add_header"), "{nested}");
    let language = nginx.split("location /support/en/").nth(1).expect("en");
    assert!(
        !language
            .split('}')
            .next()
            .unwrap_or_default()
            .contains("add_header")
    );
    let lasting = nginx
        .split("location ~ ^/support/(")
        .nth(1)
        .expect("lasting");
    for (name, value) in &headers {
        let value = if *name == "Cache-Control" {
            LASTING
        } else {
            value.as_str()
        };
        assert!(lasting.contains(&format!("add_header {name} \"{value}\" always;\n")));
    }
}

const LASTING: &str = "public, max-age=31536000, immutable";

/// The file of the output whose name starts with `start` and ends with `end`.
fn published(site: &Workspace, folder: &str, start: &str, end: &str) -> String {
    let found: Vec<String> = common::list_files(&site.output.join(folder))
        .into_iter()
        .filter(|f| f.starts_with(start) && f.ends_with(end) && !f.contains('/'))
        .collect();
    assert_eq!(found.len(), 1, "{folder}/{start}…{end}: {found:?}");
    format!("{folder}/{}", found[0])
        .trim_start_matches('/')
        .to_owned()
}

#[test]
fn files_named_by_their_content_are_kept_a_year_and_the_rest_asked_for_again() {
    let site = Workspace::copy_of("basic");
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let css = published(&site, "css", "site-", ".css");
    let script = published(&site, "_search", "search-", ".js");
    for lasting in [&css, &script] {
        assert!(yorisoi::fingerprint::is_hashed_name(lasting), "{lasting}");
        let bytes = fs::read(site.output.join(lasting)).expect("published");
        assert!(lasting.contains(&yorisoi::fingerprint::content_hash(&bytes)));
    }
    let page = read(&site, "index.html");
    assert!(
        page.contains(&format!("href=\"/support/{css}\"")),
        "the page names it"
    );
    let apache = read(&site, ".htaccess");
    let nginx = read(&site, "yorisoi-nginx.conf");
    let static_host = read(&site, "_headers");
    assert!(apache.contains("Header always set Cache-Control \"no-cache\""));
    assert!(nginx.contains("add_header Cache-Control \"no-cache\" always;"));
    for lasting in [&css, &script] {
        let escaped = lasting.replace('.', "\\.");
        let name = escaped.rsplit('/').next().unwrap_or_default();
        let files_match = apache
            .split("<FilesMatch \"^(")
            .nth(1)
            .expect("the lasting files' rule");
        assert!(files_match.contains(name), "{name} in .htaccess");
        assert!(
            nginx
                .split("location ~ ^/support/(")
                .nth(1)
                .is_some_and(|l| l.contains(&escaped)),
            "{escaped} in the nginx snippet"
        );
        assert!(static_host.contains(&format!("/support/{lasting}\n  Cache-Control: {LASTING}\n")));
    }
    // Static hosts join the values of two rules: the site-wide one sets no Cache-Control.
    let site_wide = static_host
        .split("\n/support/*\n")
        .nth(1)
        .expect("the rule");
    let site_wide = site_wide.split("\n/").next().unwrap_or_default();
    assert!(!site_wide.contains("Cache-Control"), "{site_wide}");
    // A page, a download and the sitemap keep their names.
    for plain in [
        "index.html",
        "files/leaflet.pdf",
        "sitemap.xml",
        "en/404.html",
    ] {
        assert!(site.output.join(plain).is_file(), "{plain}");
    }
}

#[test]
fn text_files_get_compressed_copies_that_decode_to_them_and_the_servers_send_them() {
    let site = Workspace::copy_of("basic");
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let css = published(&site, "css", "site-", ".css");
    let files = common::list_files(&site.output);
    let copies: Vec<&String> = files
        .iter()
        .filter(|f| yorisoi::precompress::copy_of(f).is_some())
        .collect();
    assert!(copies.iter().any(|f| *f == "index.html.gz"), "{copies:?}");
    assert!(copies.contains(&&format!("{css}.gz")) && copies.contains(&&format!("{css}.br")));
    for copy in &copies {
        let (file, encoding) = yorisoi::precompress::copy_of(copy).expect("a copy");
        let original = fs::read(site.output.join(file)).expect("its file");
        let bytes = fs::read(site.output.join(copy)).expect("the copy");
        assert!(encoding.decodes_to(&bytes, &original), "{copy}");
    }
    // No copy of what is compressed already, or never sent.
    for never in ["files/leaflet.pdf.gz", ".htaccess.gz", "_headers.gz"] {
        assert!(!site.output.join(never).exists(), "{never}");
    }
    // Built again, every copy has the same bytes.
    let first: Vec<Vec<u8>> = copies
        .iter()
        .map(|c| fs::read(site.output.join(c)).expect("copy"))
        .collect();
    assert!(site.build().written);
    for (copy, bytes) in copies.iter().zip(first) {
        assert_eq!(
            fs::read(site.output.join(copy)).expect("copy"),
            bytes,
            "{copy}"
        );
    }
    assert!(read(&site, "yorisoi-nginx.conf").contains("gzip_static on;"));
    assert!(read(&site, ".htaccess").contains("RewriteCond %{REQUEST_FILENAME}.gz -f"));

    // Without them, no copies and no rules for them.
    let config = fs::read_to_string(site.content.join("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        format!("{config}\n[hosting]\nprecompress = false\n"),
    );
    assert!(site.build().written);
    let files = common::list_files(&site.output);
    assert!(
        files
            .iter()
            .all(|f| yorisoi::precompress::copy_of(f).is_none()),
        "{files:?}"
    );
    assert!(!read(&site, "yorisoi-nginx.conf").contains("gzip_static"));
    assert!(!read(&site, ".htaccess").contains("RewriteEngine"));
}

#[test]
fn a_theme_style_sheet_loads_the_theme_files_by_their_published_names() {
    let site = Workspace::copy_of("basic");
    let theme = site.dir.path().join("themes/default");
    common::copy_dir(&common::theme_dir(), &theme);
    fs::create_dir_all(theme.join("static/img")).expect("mkdir");
    fs::write(
        theme.join("static/img/wave.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    )
    .expect("write");
    let css = theme.join("static/css/site.css");
    let text = fs::read_to_string(&css).expect("the style sheet");
    fs::write(
        &css,
        format!(
            "{text}\n.a {{ background: url(../img/wave.svg) }}\n\
             .b {{ background: url(\"/support/img/wave.svg#top\") }}\n\
             .c {{ background-image: image-set('../img/wave.svg' 1x) }}\n\
             .d {{ background: url(../img/elsewhere.svg) }}\n"
        ),
    )
    .expect("write");
    let mut options = site.options();
    options.theme_dir = Some(theme);
    let outcome = yorisoi::build(&options);
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let svg = published(&site, "img", "wave-", ".svg");
    let svg_name = svg.trim_start_matches("img/");
    let published_css = published(&site, "css", "site-", ".css");
    let out = read(&site, &published_css);
    assert!(
        out.contains(&format!(".a {{ background: url(\"../img/{svg_name}\") }}")),
        "{out}"
    );
    assert!(out.contains(&format!("url(\"/support/img/{svg_name}#top\")")));
    assert!(out.contains(&format!("image-set(\"../img/{svg_name}\" 1x)")));
    // What is not a file of the theme is left as written, and so is every other byte.
    assert!(out.contains(".d { background: url(../img/elsewhere.svg) }"));
    assert!(out.starts_with(&text));
    // The style sheet's name is the hash of what is published.
    assert!(published_css.contains(&yorisoi::fingerprint::content_hash(out.as_bytes())));
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

#[test]
fn a_template_naming_a_theme_file_by_its_plain_name_is_told_where() {
    let site = Workspace::copy_of("basic");
    let theme = site.dir.path().join("themes/default");
    common::copy_dir(&common::theme_dir(), &theme);
    let base = theme.join("templates/base.html");
    let text = fs::read_to_string(&base).expect("base.html");
    let through_assets = "{{ site.base_path }}{{ site.assets[\"css/site.css\"] }}";
    assert!(text.contains(through_assets));
    fs::write(
        &base,
        text.replacen(through_assets, "{{ site.base_path }}css/site.css", 1),
    )
    .expect("write");
    let mut options = site.options();
    options.theme_dir = Some(theme);
    let outcome = yorisoi::build(&options);
    let told: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| {
            matches!(&d.problem, yorisoi::diagnostics::Problem::ThemeFileByName { path } if path == "css/site.css")
        })
        .collect();
    assert_eq!(told.len(), 1, "{:#?}", outcome.diagnostics);
    assert!(told[0].is_warning());
    let location = told[0].location.as_ref().expect("located");
    assert!(
        location.file.ends_with("templates/base.html"),
        "{location:?}"
    );
    let line = text
        .lines()
        .position(|l| l.contains(through_assets))
        .expect("the line")
        + 1;
    assert_eq!(location.line, line);
    // The bundled theme names every file through site.assets.
    let bundled = Workspace::copy_of("basic").build();
    assert!(
        !bundled.diagnostics.iter().any(|d| matches!(
            d.problem,
            yorisoi::diagnostics::Problem::ThemeFileByName { .. }
        )),
        "{:#?}",
        bundled.diagnostics
    );
}
