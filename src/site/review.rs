//! What `check` reports beyond what a build finds: things that are not wrong today but
//! soon will be, or that nobody would otherwise notice.
//!
//! Owns three findings about the site as a whole. An announcement that ends within
//! [`EXPIRES_SOON_DAYS`] (someone may want to extend it, or prepare its successor); a
//! file in `content/files/` that no page and no publication links to (published, but
//! nobody can find it, and it may be an old version left behind); and a `base_url` that
//! is still a placeholder such as `example.jp`, which would put wrong addresses into
//! the feeds, the sitemap and every canonical link. The first two are warnings, so
//! `check` fails on them; the last is a notice, failing it only with `--strict`.

use std::collections::BTreeSet;
use std::path::Path;

use super::links::Target;
use super::{Schedule, Site};
use crate::dates::Moment;
use crate::diagnostics::{Diagnostic, Problem};
use crate::toml_file::line_of_key;

/// How many days ahead `check` looks for announcements that are about to end.
pub const EXPIRES_SOON_DAYS: i64 = 14;

/// The findings of `check` that a build does not report. `site_toml` is the text of
/// `site.toml`, to locate the base URL; it is `None` when the `--base-url` flag set it.
pub fn review(site: &Site, now: Moment, site_toml: Option<(&Path, &str)>) -> Vec<Diagnostic> {
    let mut found = expiring_soon(site, now);
    found.extend(unlinked_files(site));
    found.extend(placeholder_address(site, site_toml));
    found
}

fn expiring_soon(site: &Site, now: Moment) -> Vec<Diagnostic> {
    let today = now.date();
    site.pages
        .iter()
        .filter(|page| page.schedule == Schedule::Current)
        .filter_map(|page| {
            let expires = page.parsed.front.expires?;
            let days = (expires.last_day() - today).num_days();
            if !(0..=EXPIRES_SOON_DAYS).contains(&days) {
                return None;
            }
            let line = page
                .parsed
                .front
                .key_lines
                .get("expires")
                .copied()
                .unwrap_or(1);
            Some(
                Diagnostic::warning(Problem::ExpiresSoon {
                    date: expires.iso(),
                    days,
                })
                .at(&page.parsed.source, line, 1, Some(&page.parsed.body.text)),
            )
        })
        .collect()
}

fn unlinked_files(site: &Site) -> Vec<Diagnostic> {
    let mut linked: BTreeSet<&str> = BTreeSet::new();
    for page in &site.pages {
        for target in page.links.values() {
            if let Target::File { url, .. } = target {
                linked.insert(url.split(['#', '?']).next().unwrap_or(url));
            }
        }
    }
    // A publication's link is percent-encoded, as it is written into the page.
    let published: BTreeSet<&str> = site
        .data
        .publications
        .iter()
        .filter_map(|p| p.href.as_deref())
        .collect();
    site.assets
        .iter()
        .filter(|asset| {
            let url = format!("/{}", asset.url_path());
            !linked.contains(url.as_str()) && !published.contains(asset.href().as_str())
        })
        .map(|asset| {
            Diagnostic::warning(Problem::UnlinkedFile {
                url: format!("/{}", asset.url_path()),
            })
            .in_file(&asset.rel)
        })
        .collect()
}

fn placeholder_address(site: &Site, site_toml: Option<(&Path, &str)>) -> Option<Diagnostic> {
    let url = site.config.address.base_url();
    let host = url::Url::parse(url).ok()?.host_str()?.to_ascii_lowercase();
    if !is_placeholder_host(&host) {
        return None;
    }
    let notice = Diagnostic::notice(Problem::PlaceholderBaseUrl {
        url: url.to_owned(),
    });
    Some(match site_toml {
        Some((file, text)) => notice.at(file, line_of_key(text, "base_url"), 1, Some(text)),
        None => notice,
    })
}

/// Hosts kept for examples and tests (RFC 2606 and RFC 6761): `example.jp`,
/// `www.example.org`, anything under `.example`, `.test`, `.invalid` or `.localhost`.
fn is_placeholder_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let reserved_tld = matches!(
        labels.last(),
        Some(&("example" | "test" | "invalid" | "localhost"))
    );
    reserved_tld || labels.contains(&"example") || host == "localhost"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_hosts_are_placeholders() {
        for host in [
            "example.jp",
            "www.example.org",
            "hikikomori.example.jp",
            "example.com",
            "site.example",
            "centre.test",
            "localhost",
        ] {
            assert!(is_placeholder_host(host), "{host}");
        }
        for host in ["www.pref.miyagi.jp", "examples.jp", "myexample.org"] {
            assert!(!is_placeholder_host(host), "{host}");
        }
    }
}
