//! Markdown events to HTML, with the site's transforms applied.
//!
//! The transforms run as passes over the events, each small and separate:
//! - links go to the URLs the link stage resolved (so `@/access.ja.md` and relative
//!   paths work wherever the site is published), and say when they leave the site or
//!   lead to a file, with its format and size;
//! - headings get stable ids for in-page links;
//! - tables sit in a labelled region that scrolls on its own on a narrow screen;
//! - raw HTML links that open a new window say so;
//! - words in the other language are marked with `lang`, so screen readers switch voice.

use std::collections::BTreeSet;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd, html};

use super::data_view::file_size;
use crate::link::{Page, Target};
use crate::lint::is_japanese;
use crate::theme::{Strings, escape_markup};

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

/// The words the transforms add, in the page's language, from the theme's interface
/// texts.
#[derive(Debug, Clone, Copy)]
pub struct Notes<'a> {
    pub lang: &'a str,
    /// `（外部サイト）`
    pub external: &'a str,
    /// `（新しいウィンドウで開きます）`
    pub new_window: &'a str,
    /// The name given to a table's scrolling region: `表`.
    pub table: &'a str,
    /// `（{format}：{size}）`
    pub file: &'a str,
}

impl<'a> Notes<'a> {
    pub fn new(t: &'a Strings, lang: &'a str) -> Self {
        let get = |key: &str| t.get(key).map_or("", String::as_str);
        Notes {
            lang,
            external: get("external_site"),
            new_window: get("new_window"),
            table: get("table_label"),
            file: get("file_note"),
        }
    }

    fn file_note(&self, format: &str, size: u64) -> String {
        self.file
            .replace("{format}", format)
            .replace("{size}", &file_size(size, self.lang))
    }
}

/// Renders a page's Markdown body to HTML.
pub fn to_html(page: &Page, base: LinkBase, notes: Notes) -> String {
    let events: Vec<Event> = page.parsed.body.events.clone();
    let events = links(events, page, base, notes);
    let events = heading_ids(events);
    let events = table_regions(events, notes);
    let events = new_window_notes(events, notes);
    let events = other_language_runs(events, notes.lang);
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

/// Rewrites each link and image to its resolved address, and adds to each link the
/// note its target calls for.
fn links<'a>(events: Vec<Event<'a>>, page: &Page, base: LinkBase, notes: Notes) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut pending_note: Option<String> = None;
    for event in events {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let target = page.links.get(dest_url.as_ref());
                pending_note = target.and_then(|t| link_note(t, &dest_url, notes));
                out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: resolve(dest_url, target, base),
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                if let Some(note) = pending_note.take() {
                    out.push(note_html(&note));
                }
                out.push(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let target = page.links.get(dest_url.as_ref());
                out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: resolve(dest_url, target, base),
                    title,
                    id,
                }));
            }
            other => out.push(other),
        }
    }
    out
}

fn resolve<'a>(dest: CowStr<'a>, target: Option<&Target>, base: LinkBase) -> CowStr<'a> {
    match target {
        Some(target) => href(target, &dest, base).into(),
        None => dest,
    }
}

/// Other sites are announced as such; files say what they are and how big, so nobody
/// on a phone plan downloads 1 MB by surprise.
fn link_note(target: &Target, written: &str, notes: Notes) -> Option<String> {
    match target {
        Target::External if leaves_for_web(written) => Some(notes.external.to_owned()),
        Target::File { format, size, .. } => Some(notes.file_note(format, *size)),
        _ => None,
    }
}

/// `https:` and `//host` links go to another web site; `tel:` and `mailto:` do not.
fn leaves_for_web(written: &str) -> bool {
    let lower = written.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

fn note_html(note: &str) -> Event<'static> {
    Event::InlineHtml(format!("<span class=\"link-note\">{}</span>", escape_markup(note)).into())
}

/// Gives headings their ids (see [`HeadingIds`]).
fn heading_ids(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut ids = HeadingIds::default();
    let mut out = Vec::with_capacity(events.len());
    let mut heading: Option<Vec<Event>> = None;
    for event in events {
        match (&mut heading, event) {
            (None, e @ Event::Start(Tag::Heading { .. })) => heading = Some(vec![e]),
            (Some(buffer), e @ Event::End(TagEnd::Heading(_))) => {
                buffer.push(e);
                out.extend(ids.assign(std::mem::take(buffer)));
                heading = None;
            }
            (Some(buffer), e) => buffer.push(e),
            (None, e) => out.push(e),
        }
    }
    out
}

/// Wraps each table in a region that scrolls sideways on its own, so a wide table never
/// makes the whole page scroll. The region is focusable, so keyboard users can scroll
/// it, and named after the heading above the table.
fn table_regions<'a>(events: Vec<Event<'a>>, notes: Notes) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len() + 4);
    let mut last_heading = String::new();
    let mut in_heading = false;
    for event in events {
        match &event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                last_heading.clear();
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) if in_heading => last_heading.push_str(t),
            Event::Start(Tag::Table(_)) => {
                let label = match last_heading.trim() {
                    "" => notes.table.to_owned(),
                    heading => format!("{}: {heading}", notes.table),
                };
                out.push(Event::Html(
                    format!(
                        "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">\n",
                        escape_markup(&label)
                    )
                    .into(),
                ));
            }
            _ => {}
        }
        let closes_table = matches!(event, Event::End(TagEnd::Table));
        out.push(event);
        if closes_table {
            out.push(Event::Html("</div>\n".into()));
        }
    }
    out
}

/// Raw HTML links with `target="_blank"` get a note before their `</a>`, so nobody is
/// moved to a new window unwarned. The note may land in a later event than the tag.
fn new_window_notes<'a>(events: Vec<Event<'a>>, notes: Notes) -> Vec<Event<'a>> {
    let mut pending = false;
    let note = format!(
        "<span class=\"link-note\">{}</span>",
        escape_markup(notes.new_window)
    );
    events
        .into_iter()
        .map(|event| match event {
            Event::Html(html) => {
                Event::Html(annotate_new_windows(&html, &mut pending, &note).into())
            }
            Event::InlineHtml(html) => {
                Event::InlineHtml(annotate_new_windows(&html, &mut pending, &note).into())
            }
            other => other,
        })
        .collect()
}

fn annotate_new_windows(html: &str, pending: &mut bool, note: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len() + note.len());
    let mut at = 0;
    loop {
        if *pending {
            let Some(close) = lower[at..].find("</a").map(|i| at + i) else {
                break;
            };
            out.push_str(&html[at..close]);
            out.push_str(note);
            at = close;
            *pending = false;
            continue;
        }
        let Some(open) = find_tag(&lower, at, "a") else {
            break;
        };
        let end = lower[open..]
            .find('>')
            .map_or(lower.len(), |e| open + e + 1);
        *pending = opens_new_window(&lower[open..end]);
        out.push_str(&html[at..end]);
        at = end;
    }
    out.push_str(&html[at..]);
    out
}

/// Where the next `<name` tag (not `<nameX`) starts at or after `from`.
fn find_tag(lower: &str, from: usize, name: &str) -> Option<usize> {
    let open = format!("<{name}");
    let mut at = from;
    while let Some(i) = lower[at..].find(&open) {
        let start = at + i;
        let next = lower[start + open.len()..].chars().next();
        if next.is_some_and(|c| c.is_ascii_whitespace() || c == '>') {
            return Some(start);
        }
        at = start + open.len();
    }
    None
}

fn opens_new_window(tag: &str) -> bool {
    let compact: String = tag.chars().filter(|c| !c.is_whitespace()).collect();
    ["target=\"_blank\"", "target='_blank'", "target=_blank"]
        .iter()
        .any(|form| compact.contains(form))
}

/// Marks runs of the other language in text: Japanese on English pages, English phrases
/// on Japanese pages. Code and image descriptions are left alone.
fn other_language_runs<'a>(events: Vec<Event<'a>>, lang: &str) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut skip_depth = 0usize;
    for event in events {
        match &event {
            Event::Start(Tag::CodeBlock(_) | Tag::Image { .. }) => skip_depth += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Image) => {
                skip_depth = skip_depth.saturating_sub(1)
            }
            _ => {}
        }
        match event {
            Event::Text(text) if skip_depth == 0 => {
                let runs = match lang {
                    "ja" => english_runs(&text),
                    _ => japanese_runs(&text),
                };
                if runs.is_empty() {
                    out.push(Event::Text(text));
                    continue;
                }
                let other = if lang == "ja" { "en" } else { "ja" };
                let mut at = 0;
                for (start, end) in runs {
                    if start > at {
                        out.push(Event::Text(text[at..start].to_owned().into()));
                    }
                    out.push(Event::InlineHtml(format!("<span lang=\"{other}\">").into()));
                    out.push(Event::Text(text[start..end].to_owned().into()));
                    out.push(Event::InlineHtml("</span>".into()));
                    at = end;
                }
                if at < text.len() {
                    out.push(Event::Text(text[at..].to_owned().into()));
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Byte ranges of Japanese runs: kana, kanji and Japanese punctuation, with digits
/// inside, just before or just after them (`令和7年`, `2025年`, `五丁目7-20`) kept in the
/// run.
fn japanese_runs(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_japanese(chars[i].1) {
            i += 1;
            continue;
        }
        let mut start = i;
        while start > 0 && chars[start - 1].1.is_ascii_digit() {
            start -= 1;
        }
        let mut end = i + 1;
        loop {
            let gap = chars[end..]
                .iter()
                .take_while(|(_, c)| c.is_ascii_digit())
                .count();
            match chars.get(end + gap) {
                Some((_, c)) if is_japanese(*c) => end += gap + 1,
                _ => break,
            }
        }
        // An address number written straight after (`五丁目7-20`) is read with it.
        while chars
            .get(end)
            .is_some_and(|(_, c)| c.is_ascii_digit() || *c == '-')
        {
            end += 1;
        }
        while end > i + 1 && chars[end - 1].1 == '-' {
            end -= 1;
        }
        let to = chars.get(end).map_or(text.len(), |(b, _)| *b);
        runs.push((chars[start].0, to));
        i = end;
    }
    runs
}

/// Byte ranges of English phrases (two or more words with Latin letters) in Japanese
/// text. Single words such as `PDF` or `RSS` are read fine as they are.
fn english_runs(text: &str) -> Vec<(usize, usize)> {
    let is_word_char = |c: char| c.is_ascii_alphanumeric() || "'’.,-&".contains(c);
    let mut runs = Vec::new();
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut flush = |words: &mut Vec<(usize, usize)>| {
        let lettered = words
            .iter()
            .filter(|(s, e)| text[*s..*e].chars().any(|c| c.is_ascii_alphabetic()))
            .count();
        if lettered >= 2 {
            let start = words[0].0;
            let end = words[words.len() - 1].1;
            let trimmed = text[start..end].trim_end_matches(['.', ',']).len();
            runs.push((start, start + trimmed));
        }
        words.clear();
    };
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let Some(c) = rest.chars().next() else { break };
        if is_word_char(c) && c != '.' && c != ',' {
            let len: usize = rest
                .chars()
                .take_while(|&c| is_word_char(c))
                .map(char::len_utf8)
                .sum();
            words.push((at, at + len));
            at += len;
        } else if c == ' ' && !words.is_empty() {
            at += 1;
        } else {
            flush(&mut words);
            at += c.len_utf8();
        }
    }
    flush(&mut words);
    runs
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

    fn runs(text: &str, found: Vec<(usize, usize)>) -> Vec<&str> {
        found.into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn japanese_runs_keep_digits_inside_and_before() {
        let text = "Since 2025年（令和7年）, see 宮城県 and 古川旭五丁目7-20.";
        assert_eq!(
            runs(text, japanese_runs(text)),
            ["2025年（令和7年）", "宮城県", "古川旭五丁目7-20"]
        );
        assert!(japanese_runs("Plain English, 2025.").is_empty());
    }

    #[test]
    fn english_runs_are_phrases_not_single_words() {
        let text = "PDFの「Hikikomori Support Handbook」と RSS、Nu HTML Checker。";
        assert_eq!(
            runs(text, english_runs(text)),
            ["Hikikomori Support Handbook", "Nu HTML Checker"]
        );
    }

    #[test]
    fn new_window_notes_land_before_the_closing_tag() {
        let note = "<span>(new window)</span>";
        let mut pending = false;
        let one = annotate_new_windows(
            "<p><a href=\"x\" target=\"_blank\">A</a> <a href=\"y\">B</a></p>",
            &mut pending,
            note,
        );
        assert_eq!(
            one,
            "<p><a href=\"x\" target=\"_blank\">A<span>(new window)</span></a> <a href=\"y\">B</a></p>"
        );
        assert!(!pending);
        let open = annotate_new_windows("<a href=y target='_blank'>", &mut pending, note);
        assert_eq!(open, "<a href=y target='_blank'>");
        assert!(pending, "the note waits for the closing tag");
        assert_eq!(
            annotate_new_windows("</a>", &mut pending, note),
            format!("{note}</a>")
        );
        let abbr = annotate_new_windows("<abbr target=\"_blank\">x</abbr>", &mut pending, note);
        assert_eq!(abbr, "<abbr target=\"_blank\">x</abbr>");
    }

    #[test]
    fn repeated_headings_get_distinct_ids() {
        let mut ids = HeadingIds::default();
        assert_eq!(ids.unique("hours".into()), "hours");
        assert_eq!(ids.unique("hours".into()), "hours-2");
        assert_eq!(ids.unique(String::new()), "section");
    }
}
