//! One RSS 2.0 feed of announcements per language, written with the `rss` crate.
//!
//! A feed is read away from the site, so every link in it is absolute. Its
//! `lastBuildDate` is the newest announcement's date, never the time of the build, so
//! the same content always gives the same bytes.

use rss::extension::atom::{AtomExtension, Link};
use rss::{Channel, Guid, Item};

use super::markdown::{self, LinkBase, Notes};
use super::{Body, Changes, Output, RenderCx};
use crate::address::output_path;
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Problem, RouteOwner};
use crate::parse::shorten;
use crate::site::routes::{Claim, Route, RouteKind};
use crate::site::{NEWS_SECTION, Page, Schedule, Site};
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

/// A feed for every language that has a news section; a route's `item` is the news
/// list's page.
pub struct Feeds;

impl Output for Feeds {
    fn claims(&self, site: &Site, _theme: &Theme, output: usize) -> Vec<Claim> {
        site.config
            .language_codes()
            .iter()
            .filter_map(|lang| site.page_index(NEWS_SECTION, lang))
            .map(|item| {
                let news = &site.pages[item];
                let url = feed_url(&site.config, news.lang());
                Claim {
                    path: output_path(&url),
                    url,
                    kind: RouteKind::Generated,
                    output,
                    item,
                    part: 0,
                    owner: RouteOwner::Feed {
                        source: news.parsed.source.clone(),
                    },
                }
            })
            .collect()
    }

    fn render(&self, route: &Route, cx: &RenderCx) -> Result<Body, Diagnostic> {
        let Some(news) = cx.page(route) else {
            return Err(Diagnostic::error(Problem::FeedFailed {
                detail: format!("no news list for {}", route.path),
            }));
        };
        let strings = &cx.language_cx(news.lang()).strings;
        feed(
            cx.site,
            news,
            Notes::new(strings, &cx.language_cx(news.lang()).locale),
        )
        .map(Body::Bytes)
        .map_err(|d| d.in_file(&news.parsed.source))
    }

    fn affected(&self, route: &Route, changes: &Changes, cx: &RenderCx) -> bool {
        let Some(news) = cx.page(route) else {
            return true;
        };
        let lang = news.lang();
        let in_news = |k: &str| k == NEWS_SECTION || k.starts_with("news/");
        changes.everything
            || changes
                .texts
                .iter()
                .chain(&changes.summaries)
                .any(|(k, l)| l == lang && in_news(k))
    }
}

fn feed(site: &Site, news: &Page, notes: Notes) -> Result<Vec<u8>, Diagnostic> {
    let config = &site.config;
    let address = &config.address;
    let lang = news.lang();
    let url = feed_url(config, lang);
    let entries = feed_items(site, lang);
    // The newest day an announcement gives; a month alone names no day to build on.
    let newest = entries
        .iter()
        .flat_map(|p| [p.parsed.front.date, p.parsed.front.updated])
        .flatten()
        .filter(|m| !m.month_only)
        .max();
    let mut channel = Channel {
        title: feed_text(&format!(
            "{} | {}",
            news.title(),
            config.languages[lang].title
        )),
        link: address.permalink(&news.url),
        description: feed_text(
            news.parsed
                .front
                .description
                .as_deref()
                .unwrap_or(&config.languages[lang].description),
        ),
        language: Some(config.html_lang(lang).to_owned()),
        last_build_date: newest.and_then(|m| m.rfc822()),
        items: entries.iter().map(|p| item(config, p, notes)).collect(),
        ..Channel::default()
    };
    channel.set_atom_ext(AtomExtension {
        links: vec![Link {
            href: address.permalink(&url),
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
    Ok(bytes)
}

fn item(config: &SiteConfig, page: &Page, notes: Notes) -> Item {
    let link = config.address.permalink(&page.url);
    let front = &page.parsed.front;
    let base = LinkBase {
        prefix: config.address.base_url(),
        fragment_prefix: &link,
    };
    let content = xml_safe(&markdown::to_html(page, base, notes));
    Item {
        title: Some(feed_text(&front.title)),
        link: Some(link.clone()),
        description: Some(feed_text(&front.description.clone().unwrap_or_else(|| {
            shorten(
                &crate::ruby::plain(&page.parsed.body.summary),
                SUMMARY_CHARS,
            )
        }))),
        guid: Some(Guid {
            value: link,
            permalink: true,
        }),
        pub_date: front.date.and_then(|d| d.rfc822()),
        content: Some(content),
        ..Item::default()
    }
}

/// A title or description as a feed reader shows it: plain text, furigana left out
/// (`{相談|そうだん}` reads 相談), nothing XML cannot hold.
fn feed_text(text: &str) -> String {
    xml_safe(&crate::ruby::plain(text))
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
