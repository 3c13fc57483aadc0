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

/// How many days ahead `check` looks for announcements that are about to end.
pub const EXPIRES_SOON_DAYS: i64 = 14;

/// The findings of `check` that a build does not report. `site_toml` is the text of
/// `site.toml`, to locate the base URL; it is `None` when the `--base-url` flag set it.
pub fn review(site: &Site, now: Moment, site_toml: Option<(&Path, &str)>) -> Vec<Diagnostic> {
    let mut found = expiring_soon(site, now);
    found.extend(unlinked_files(site));
    found.extend(easy_numbers(site));
    found.extend(credited_sources(site));
    found.extend(super::claims::review(site));
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

/// Sources a page's text names that its front matter's `sources` does not: a source is
/// named by the title in 「」 of its default-language title (宮城県ホームページ
/// 「宮城県ひきこもり地域支援センターについて」 is named by the words in 「」), or by
/// that whole title where it has none, in any language's page. One warning per source
/// and page, at the `sources` line or the first line of the page.
fn credited_sources(site: &Site) -> Vec<Diagnostic> {
    let names: Vec<(&str, String)> = site
        .data
        .sources
        .iter()
        .filter_map(|source| {
            let title = source.title.get(&site.config.default_language)?;
            let named = match title
                .split_once('「')
                .and_then(|(_, rest)| rest.split_once('」'))
            {
                Some((inner, _)) => inner,
                None => title,
            };
            // A name of a few characters would be found in any text.
            (named.chars().count() >= 8).then(|| (source.id.as_str(), named.to_owned()))
        })
        .collect();
    let mut found = Vec::new();
    for page in &site.pages {
        let front = &page.parsed.front;
        let text = crate::ruby::plain(&page.parsed.body.text[page.parsed.body.start..]);
        for (id, named) in &names {
            if front.sources.iter().any(|s| s == id) || !text.contains(named.as_str()) {
                continue;
            }
            let line = front.key_lines.get("sources").copied().unwrap_or(1);
            found.push(
                Diagnostic::warning(Problem::CreditedSourceNotListed {
                    id: (*id).to_owned(),
                    title: named.clone(),
                })
                .at(&page.parsed.source, line, 1, Some(&page.parsed.body.text)),
            );
        }
    }
    found
}

/// Numbers a page in やさしい日本語 states that its page in the language it is a way of
/// writing does not: simpler words tell the same facts, so every age, count, hour and
/// date of the easy page must be one the standard page gives (午後5時 is 17時). Each
/// is reported once per page, at its first place in the file.
fn easy_numbers(site: &Site) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for page in &site.pages {
        let Some(standard_lang) = site
            .config
            .languages
            .get(page.lang())
            .and_then(|l| l.variant_of.as_deref())
        else {
            continue;
        };
        let Some(standard) = site.page(&page.key, standard_lang) else {
            continue;
        };
        let known: BTreeSet<String> = numbers_stated(&standard.parsed).into_iter().collect();
        let mut reported = BTreeSet::new();
        let file = &page.parsed.body.text;
        for number in numbers_stated(&page.parsed) {
            if known.contains(&number) || !reported.insert(number.clone()) {
                continue;
            }
            // Where it is written: as read, or (a time written with 午後, a number
            // with furigana on its unit) its digits, in the text after the front matter.
            let digits: String = number.chars().take_while(char::is_ascii_digit).collect();
            let body = page.parsed.body.start;
            let at = file[body..]
                .find(&number)
                .or_else(|| file[body..].find(&digits))
                .map_or(body, |at| body + at);
            let line = file[..at].matches('\n').count() + 1;
            found.push(
                Diagnostic::warning(Problem::EasyNumberNotInStandard {
                    number,
                    standard: standard.parsed.source.display().to_string(),
                })
                .at(&page.parsed.source, line, 1, Some(file)),
            );
        }
    }
    found
}

/// The numbers a page states with what they count (`18歳`, `2つ`, `17時`, `2014年`),
/// in its title, description and text as read (furigana's bases alone), in order.
/// Full-width digits are read as digits, and a time with 午後 as the 24-hour time; a
/// number that is part of a phone number or an address (`0229-23-0024`, `7-20`) is
/// not a count, and is left to the data files' checks.
fn numbers_stated(page: &crate::parse::ParsedPage) -> Vec<String> {
    let mut text = String::new();
    text.push_str(&page.front.title);
    text.push('\n');
    text.push_str(page.front.description.as_deref().unwrap_or_default());
    for (event, _) in crate::parse::markdown_events(page.markdown()) {
        if let pulldown_cmark::Event::Text(words) = event {
            text.push('\n');
            text.push_str(&words);
        }
    }
    let text: Vec<char> = crate::ruby::plain(&text)
        .chars()
        .map(crate::width::ascii_digit)
        .collect();
    let mut numbers = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if !text[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < text.len() && text[i].is_ascii_digit() {
            i += 1;
        }
        let joined = |at: Option<&char>| at.is_some_and(|c| matches!(c, '-' | '－' | ':' | '.'));
        if joined(start.checked_sub(1).and_then(|b| text.get(b))) || joined(text.get(i)) {
            continue;
        }
        let Some(&unit) = text.get(i).filter(|c| c.is_alphabetic() && !c.is_ascii()) else {
            continue;
        };
        let digits: String = text[start..i].iter().collect();
        // 午後 before it, spaces aside: read from `start` back, not from the page's start.
        let mut back = start;
        while back > 0 && text[back - 1].is_whitespace() {
            back -= 1;
        }
        let after_gogo = back >= 2 && text[back - 2..back] == ['午', '後'];
        let value = match digits.parse::<u32>() {
            Ok(hour) if unit == '時' && after_gogo && hour < 12 => (hour + 12).to_string(),
            _ => digits,
        };
        numbers.push(format!("{value}{unit}{}", bound_after(&text[i + 1..])));
    }
    numbers
}

/// The bound a number's words put on it, read from the words after its unit, in one
/// wording per meaning: `以上` (18歳以上, 18歳から 上), `以下`, `未満` (18歳未満, 18歳より
/// 下) and `より上` (18歳より 上, 18歳超). `18歳より 上` leaves out 18-year-olds where
/// `18歳以上` takes them in: the same number, another fact.
fn bound_after(after: &[char]) -> &'static str {
    let words: String = after
        .iter()
        .take(6)
        .filter(|c| !c.is_whitespace())
        .collect();
    if words.starts_with("以上") || words.starts_with("から上") {
        "以上"
    } else if words.starts_with("以下") {
        "以下"
    } else if words.starts_with("未満") || words.starts_with("より下") {
        "未満"
    } else if words.starts_with("より上") || words.starts_with('超') {
        "より上"
    } else {
        ""
    }
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
        Some((file, text)) => notice.at(file, site.config.key_line("base_url"), 1, Some(text)),
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
