//! Markdown events to HTML, with the site's transforms applied.
//!
//! Links are rewritten to the URLs the link stage resolved (so `@/access.ja.md` and
//! relative paths work wherever the site is published) and headings get stable ids for
//! in-page links.

use std::collections::BTreeSet;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd, html};

use crate::link::{Page, Target};

/// What links to the site's own pages and files start with.
#[derive(Debug, Clone, Copy)]
pub struct LinkBase<'a> {
    /// `/` or `/sub/` on the site's pages; the full `https://…/` in feeds, which are
    /// read away from the site.
    pub prefix: &'a str,
    /// What an in-page link (`#hours`) is appended to: nothing on the page itself, the
    /// page's full address in a feed.
    pub fragment_prefix: &'a str,
}

impl<'a> LinkBase<'a> {
    /// Root-relative links, for the site's own pages.
    pub fn site(base_path: &'a str) -> Self {
        LinkBase {
            prefix: base_path,
            fragment_prefix: "",
        }
    }
}

/// Renders a page's Markdown body to HTML.
pub fn to_html(page: &Page, base: LinkBase) -> String {
    let mut ids = HeadingIds::default();
    let mut events: Vec<Event> = Vec::with_capacity(page.parsed.body.events.len());
    let mut heading: Option<Vec<Event>> = None;
    for event in &page.parsed.body.events {
        let event = rewrite_link(event.clone(), page, base);
        match (&mut heading, event) {
            (None, e @ Event::Start(Tag::Heading { .. })) => heading = Some(vec![e]),
            (Some(buffer), e @ Event::End(TagEnd::Heading(_))) => {
                buffer.push(e);
                events.extend(ids.assign(std::mem::take(buffer)));
                heading = None;
            }
            (Some(buffer), e) => buffer.push(e),
            (None, e) => events.push(e),
        }
    }
    let mut out = String::with_capacity(page.parsed.body.events.len() * 16);
    html::push_html(&mut out, events.into_iter());
    out
}

/// The first paragraph (not a heading) as plain text, cut at `max_chars` with an ellipsis: a summary
/// for pages that have no `description`.
pub fn plain_summary(events: &[Event], max_chars: usize) -> String {
    let mut text = String::new();
    let mut in_paragraph = false;
    for event in events {
        match event {
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::End(TagEnd::Paragraph) if !text.trim().is_empty() => break,
            Event::End(TagEnd::Paragraph) => in_paragraph = false,
            Event::Text(t) | Event::Code(t) if in_paragraph => text.push_str(t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => text.push(' '),
            _ => {}
        }
    }
    let text = text.trim();
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_owned(),
    }
}

/// The href a resolved link gets in the output.
pub fn href(target: &Target, written: &str, base: LinkBase) -> String {
    match target {
        Target::Page { url } | Target::File { url, .. } | Target::Generated { url } => {
            format!("{}{}", base.prefix, url.trim_start_matches('/'))
        }
        Target::Fragment => format!("{}{written}", base.fragment_prefix),
        Target::External => written.to_owned(),
    }
}

fn rewrite_link<'a>(event: Event<'a>, page: &Page, base: LinkBase) -> Event<'a> {
    let resolve = |dest: CowStr<'a>| -> CowStr<'a> {
        match page.links.get(dest.as_ref()) {
            Some(target) => href(target, &dest, base).into(),
            None => dest,
        }
    };
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: resolve(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: resolve(dest_url),
            title,
            id,
        }),
        other => other,
    }
}

/// Gives every heading a unique id: the author's `{#id}` if given, else one made from
/// its text. Japanese text is kept as it is; HTML ids may hold any character but space.
#[derive(Default)]
struct HeadingIds {
    used: BTreeSet<String>,
}

impl HeadingIds {
    fn assign<'a>(&mut self, mut events: Vec<Event<'a>>) -> Vec<Event<'a>> {
        let text: String = events
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        if let Some(Event::Start(Tag::Heading { id, .. })) = events.first_mut() {
            let wanted = id.as_ref().map_or_else(|| slug(&text), |i| i.to_string());
            let unique = self.unique(wanted);
            *id = Some(unique.into());
        }
        events
    }

    fn unique(&mut self, wanted: String) -> String {
        let base = if wanted.is_empty() {
            "section".to_owned()
        } else {
            wanted
        };
        let mut candidate = base.clone();
        let mut n = 2;
        while !self.used.insert(candidate.clone()) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        candidate
    }
}

/// Lower-case words joined by hyphens; punctuation dropped; other scripts kept.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_japanese_and_fold_ascii() {
        assert_eq!(slug("Phone consultation"), "phone-consultation");
        assert_eq!(slug("電話・面接相談"), "電話面接相談");
        assert_eq!(slug("  Q&A: hours?  "), "qa-hours");
    }

    #[test]
    fn summaries_take_the_first_paragraph_as_plain_text() {
        let events: Vec<Event> =
            pulldown_cmark::Parser::new("# Title\n\nSee [the *map*](/access/).\n\nMore.").collect();
        assert_eq!(
            plain_summary(&events, 120),
            "See the map.",
            "headings are skipped"
        );
        let events: Vec<Event> =
            pulldown_cmark::Parser::new("See [the *map*](/access/).\n\nMore.").collect();
        assert_eq!(plain_summary(&events, 120), "See the map.");
        assert_eq!(plain_summary(&events, 7), "See the…");
        let japanese: Vec<Event> = pulldown_cmark::Parser::new("相談窓口のご案内です。").collect();
        assert_eq!(plain_summary(&japanese, 4), "相談窓口…");
    }

    #[test]
    fn repeated_headings_get_distinct_ids() {
        let mut ids = HeadingIds::default();
        assert_eq!(ids.unique("hours".into()), "hours");
        assert_eq!(ids.unique("hours".into()), "hours-2");
        assert_eq!(ids.unique(String::new()), "section");
    }
}
