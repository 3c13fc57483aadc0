//! One RSS 2.0 feed of announcements per language, written with the `rss` crate.
//!
//! A feed is read away from the site, so every link in it is absolute. Its
//! `lastBuildDate` is the newest announcement's date, never the time of the build, so
//! the same content always gives the same bytes.

use rss::extension::atom::{AtomExtension, Link};
use rss::{Channel, Guid, Item};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Problem};
use crate::link::{NEWS_SECTION, Page, Schedule, Site};

use super::OutputFile;
use super::markdown::{self, LinkBase, Notes};
use crate::theme::Theme;

/// How long a description drawn from the text may be, in characters.
const SUMMARY_CHARS: usize = 120;

/// The feed's path below the site root: `/news/feed.xml`, `/en/news/feed.xml`.
pub fn feed_url(config: &SiteConfig, lang: &str) -> String {
    format!("{}/{NEWS_SECTION}/feed.xml", config.language_prefix(lang))
}

/// The announcements a feed carries: published, not ended, newest first, up to the limit.
pub fn feed_items<'s>(site: &'s Site, lang: &str) -> Vec<&'s Page> {
    site.announcements(lang)
        .into_iter()
        .filter(|p| p.schedule == Schedule::Current && !p.parsed.front.draft)
        .take(site.config.feed.limit)
        .collect()
}

/// A feed for every language that has a news section.
pub fn feeds(site: &Site, theme: &Theme) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for lang in site.config.language_codes() {
        let Some(news) = site.page(NEWS_SECTION, &lang) else {
            continue;
        };
        match feed(site, news, Notes::new(theme.strings(&lang), &lang)) {
            Ok(file) => files.push(file),
            Err(d) => problems.push(d.in_file(&news.parsed.source)),
        }
    }
    (files, problems)
}

fn feed(site: &Site, news: &Page, notes: Notes) -> Result<OutputFile, Diagnostic> {
    let config = &site.config;
    let lang = news.lang();
    let permalink = |url: &str| format!("{}{}", config.base_url, url.trim_start_matches('/'));
    let url = feed_url(config, lang);
    let entries = feed_items(site, lang);
    let newest = entries
        .iter()
        .filter_map(|p| {
            let front = &p.parsed.front;
            front.date.max(front.updated)
        })
        .max();
    let mut channel = Channel {
        title: xml_safe(&format!(
            "{} | {}",
            news.title(),
            config.languages[lang].title
        )),
        link: permalink(&news.url),
        description: news.parsed.front.description.clone().map_or_else(
            || config.languages[lang].description.clone(),
            |d| xml_safe(&d),
        ),
        language: Some(lang.to_owned()),
        last_build_date: newest.map(|m| m.rfc822()),
        items: entries.iter().map(|p| item(config, p, notes)).collect(),
        ..Channel::default()
    };
    channel.set_atom_ext(AtomExtension {
        links: vec![Link {
            href: permalink(&url),
            rel: "self".to_owned(),
            mime_type: Some("application/rss+xml".to_owned()),
            ..Link::default()
        }],
    });
    let mut bytes = channel.pretty_write_to(Vec::new(), b' ', 2).map_err(|e| {
        Diagnostic::error(Problem::FeedFailed {
            detail: e.to_string(),
        })
    })?;
    bytes.push(b'\n');
    Ok(OutputFile {
        path: url.trim_start_matches('/').to_owned(),
        bytes,
    })
}

fn item(config: &SiteConfig, page: &Page, notes: Notes) -> Item {
    let link = format!("{}{}", config.base_url, page.url.trim_start_matches('/'));
    let front = &page.parsed.front;
    let base = LinkBase {
        prefix: &config.base_url,
        fragment_prefix: &link,
    };
    let content = xml_safe(&markdown::to_html(page, base, notes));
    Item {
        title: Some(xml_safe(&front.title)),
        link: Some(link.clone()),
        description: Some(xml_safe(&front.description.clone().unwrap_or_else(|| {
            markdown::plain_summary(&page.parsed.body.events, SUMMARY_CHARS)
        }))),
        guid: Some(Guid {
            value: link,
            permalink: true,
        }),
        pub_date: front.date.map(|d| d.rfc822()),
        content: Some(content),
        ..Item::default()
    }
}

/// Drops the control characters XML 1.0 cannot hold at all, escaped or not; a stray
/// one pasted into a title must not make the whole feed unreadable.
fn xml_safe(text: &str) -> String {
    text.chars()
        .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped_and_text_kept() {
        assert_eq!(
            xml_safe("会議\u{1}のお知らせ & <日程> 🌸"),
            "会議のお知らせ & <日程> 🌸"
        );
        assert_eq!(xml_safe("line\nbreak\ttab"), "line\nbreak\ttab");
    }
}
