//! Markdown events to HTML, with the site's transforms applied.
//!
//! The transforms run as passes over the events, each small and separate:
//! - links go to the URLs the link stage resolved (so `@/access.ja.md` and relative
//!   paths work wherever the site is published), and say when they leave the site or
//!   lead to a file, with its format and size;
//! - headings get stable ids for in-page links;
//! - tables sit in a labelled region that scrolls on its own on a narrow screen;
//! - raw HTML links that open a new window say so;
//! - every link to another site, Markdown or raw HTML, gets `rel="noopener noreferrer"`
//!   (the last pass, over the HTML written);
//! - words in the other language are marked with `lang`, so screen readers switch voice.
//!
//! Every pass only adds markup and its own notes: the author's words reach the page
//! unchanged, none dropped and none repeated. Raw HTML is followed as a browser reads it
//! (see [`HtmlScanner`]), so nothing is inserted where it would show as literal text.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{CowStr, Event, Tag, TagEnd, html};
use url::Url;

use super::data_view::file_size;
use crate::browser_policy::EXTERNAL_LINK_REL;
use crate::html::{HtmlScanner, TagToken};
use crate::lint::is_japanese;
use crate::locale::{Locale, Script, SizeStyle};
use crate::site::{Page, Target};
use crate::theme::{Strings, escape_markup};
use crate::url_class::{self, Frame, UrlClass};

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
    /// The script of the page's language, and the language runs of the other script are
    /// marked with (none: they are left unmarked).
    pub script: Script,
    pub other_lang: Option<&'a str>,
    pub size_style: SizeStyle,
    /// `（外部サイト）`
    pub external: &'a str,
    /// `（新しいウィンドウで開きます）`
    pub new_window: &'a str,
    /// The name given to a table's scrolling region: `表`.
    pub table: &'a str,
    /// `（{format}：{size}）`
    pub file: &'a str,
    /// `（{link}）` after a link to a download that has a page with the same content.
    pub alternative: &'a str,
    /// The words of that page's link: `同じ内容のページ`.
    pub alternative_link: &'a str,
}

impl<'a> Notes<'a> {
    pub fn new(t: &'a Strings, locale: &'a Locale) -> Self {
        let get = |key: &str| t.get(key).map_or("", String::as_str);
        Notes {
            script: locale.script,
            other_lang: locale.other_script_lang.as_deref(),
            size_style: locale.size_style,
            external: get("external_site"),
            new_window: get("new_window"),
            table: get("table_label"),
            file: get("file_note"),
            alternative: get("download_alternative_note"),
            alternative_link: get("download_alternative"),
        }
    }

    fn file_note(&self, format: &str, size: u64) -> String {
        self.file
            .replace("{format}", format)
            .replace("{size}", &file_size(size, self.size_style))
    }
}

/// Renders a page's Markdown body to HTML. The text is parsed again here rather than
/// kept as events from the parse stage: parsing is cheaper than holding every page's
/// events in memory from parsing until rendering.
pub fn to_html(page: &Page, base: LinkBase, notes: Notes) -> String {
    let markdown = page.parsed.markdown();
    let events = crate::parse::markdown_events(markdown);
    if !crate::ruby::may_have_ruby(markdown) {
        // No furigana possible: the events as they are, without gathering text runs.
        return transform(
            events.map(|(event, _)| event).collect(),
            &page.links,
            base,
            notes,
        );
    }
    render_with_ruby(markdown, events, &page.links, base, notes)
}

/// [`transform`] of [`with_ruby`], for a body that may hold furigana. Without raw HTML
/// in the body, the events flow from the parser through the furigana and the fused
/// passes into the HTML one at a time, so that memory stays near the size of the HTML
/// written: each furigana becomes three events, and holding them all (twice over, with
/// the passes' readings) took about 100 bytes per byte of a page.
pub(crate) fn render_with_ruby<'a>(
    markdown: &'a str,
    events: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
    targets: &BTreeMap<String, Target>,
    base: LinkBase,
    notes: Notes,
) -> String {
    // Raw HTML needs the passes that read the whole body as a browser would. Without a
    // `<` there is none; with one, a second parse (cheap, and holding nothing) tells.
    let has_raw_html = markdown.contains('<')
        && crate::parse::markdown_events(markdown)
            .any(|(event, _)| matches!(event, Event::Html(_) | Event::InlineHtml(_)));
    if has_raw_html {
        return transform(with_ruby(markdown, events), targets, base, notes);
    }
    // Furigana markup is longer than its source: room for it from the start, so the
    // HTML is not copied as it grows (room never written takes no memory).
    let mut out = String::with_capacity(markdown.len().saturating_mul(4));
    let may_leave = Cell::new(false);
    html::push_html(
        &mut out,
        fused(
            RubyEvents::new(markdown, events),
            targets,
            base,
            notes,
            &may_leave,
        ),
    );
    rel_if_leaving(out, base, may_leave.get())
}

/// [`rel_on_links_leaving`] where the fused walk saw a link that may leave the site. In
/// text without raw HTML every `<a>` is a Markdown link, and one whose target is a page,
/// a file or a heading of this site is written with the site's own address: only the
/// others can lead away, and most pages have none, so their HTML is not read again.
fn rel_if_leaving(html: String, base: LinkBase, may_leave: bool) -> String {
    if may_leave {
        rel_on_links_leaving(html, base)
    } else {
        html
    }
}

/// Furigana (`{漢字|かんじ}`) in the text become `<ruby>` markup, before any other pass;
/// code keeps its braces, and an image's alternative text (which cannot hold markup)
/// keeps the base alone. pulldown-cmark starts a new text event after a backslash
/// escape, so a `{` that opens an event right after a `\` in the source was written
/// `\{` and stays text. Runs of text events are merged first, since a `\|` in a
/// table cell splits one. A malformed ruby stays as written: the parse stage has
/// already reported it.
pub(crate) fn with_ruby<'a>(
    markdown: &'a str,
    events: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
) -> Vec<Event<'a>> {
    RubyEvents::new(markdown, events).collect()
}

/// The events of [`with_ruby`], made as they are taken: a run of text is gathered, then
/// given out a furigana at a time, so that no more than one run and one furigana's
/// events are held at once.
pub(crate) struct RubyEvents<'a, I> {
    markdown: &'a str,
    events: I,
    /// The run of text being gathered, or given out.
    run: String,
    /// Offsets in `run` of `{` written `\{`.
    escaped: Vec<usize>,
    /// While a run with furigana is given out: where its pieces are.
    giving: Option<crate::ruby::PiecesAt>,
    /// The event that ended the run, given after it.
    held: Option<Event<'a>>,
    /// Events ready to be taken.
    ready: std::collections::VecDeque<Event<'a>>,
    code: usize,
    image: usize,
    ended: bool,
}

impl<'a, I: Iterator<Item = (Event<'a>, std::ops::Range<usize>)>> RubyEvents<'a, I> {
    pub(crate) fn new(markdown: &'a str, events: I) -> Self {
        RubyEvents {
            markdown,
            events,
            run: String::new(),
            escaped: Vec::new(),
            giving: None,
            held: None,
            ready: std::collections::VecDeque::new(),
            code: 0,
            image: 0,
            ended: false,
        }
    }

    /// The run just ended: as it is, as its plain text (in an image's description,
    /// which cannot hold markup), or to be given out a piece at a time. A malformed
    /// ruby leaves the run as written: the parse stage has already reported it.
    fn end_run(&mut self) {
        if self.run.is_empty() {
            return;
        }
        if !crate::ruby::may_have_ruby(&self.run)
            || crate::ruby::first_error(&self.run, &self.escaped).is_some()
        {
            self.escaped.clear();
            let text = std::mem::take(&mut self.run);
            self.ready.push_back(Event::Text(text.into()));
            return;
        }
        if self.image > 0 {
            let plain: String = crate::ruby::Pieces::new(&self.run, &self.escaped)
                .filter_map(Result::ok)
                .map(|p| match p {
                    crate::ruby::Piece::Text(t) => t,
                    crate::ruby::Piece::Ruby { base, .. } => base,
                })
                .collect();
            self.run.clear();
            self.escaped.clear();
            self.ready.push_back(Event::Text(plain.into()));
            return;
        }
        self.giving = Some(crate::ruby::PiecesAt::default());
    }

    /// The next piece of the run being given out, as events; at the run's end, the
    /// event that ended it.
    fn give_piece(&mut self, at: crate::ruby::PiecesAt) {
        let mut pieces = crate::ruby::Pieces::resume(&self.run, &self.escaped, at);
        match pieces.next() {
            Some(Ok(crate::ruby::Piece::Text(t))) => {
                self.ready.push_back(Event::Text(t.to_owned().into()));
            }
            // The base stays text, so that heading ids, table labels and the other
            // passes read the word; the reading is markup.
            Some(Ok(crate::ruby::Piece::Ruby { base, readings })) => {
                for (base, reading) in crate::ruby::pairs(base, &readings) {
                    self.ready
                        .push_back(Event::InlineHtml(crate::ruby::RUBY_OPEN.into()));
                    self.ready.push_back(Event::Text(base.to_owned().into()));
                    self.ready.push_back(Event::InlineHtml(
                        crate::ruby::reading_markup(&escape_markup(reading)).into(),
                    ));
                }
            }
            // Checked whole before: no error comes here.
            Some(Err(_)) | None => {
                self.giving = None;
                self.run.clear();
                self.escaped.clear();
                return;
            }
        }
        self.giving = Some(pieces.position());
    }

    /// Counts code blocks and images around `event`, and makes it ready.
    fn pass(&mut self, event: Event<'a>) {
        match &event {
            Event::Start(Tag::CodeBlock(_)) => self.code += 1,
            Event::End(TagEnd::CodeBlock) => self.code = self.code.saturating_sub(1),
            Event::Start(Tag::Image { .. }) => self.image += 1,
            Event::End(TagEnd::Image) => self.image = self.image.saturating_sub(1),
            _ => {}
        }
        self.ready.push_back(event);
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, std::ops::Range<usize>)>> Iterator for RubyEvents<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Some(event);
            }
            if let Some(at) = self.giving {
                self.give_piece(at);
                continue;
            }
            if let Some(event) = self.held.take() {
                self.pass(event);
                continue;
            }
            if self.ended {
                return None;
            }
            match self.events.next() {
                Some((Event::Text(text), range)) if self.code == 0 => {
                    // pulldown-cmark starts a new text event after a backslash escape.
                    let written_escaped = text.starts_with('{')
                        && range.start > 0
                        && self.markdown.as_bytes().get(range.start - 1) == Some(&b'\\');
                    if written_escaped {
                        self.escaped.push(self.run.len());
                    }
                    self.run.push_str(&text);
                }
                Some((event, _)) => {
                    self.end_run();
                    self.held = Some(event);
                }
                None => {
                    self.end_run();
                    self.ended = true;
                }
            }
        }
    }
}

/// The passes, in order, on a body's events; `targets` are the resolved links, by
/// destination as written. Separate from [`to_html`] so that the passes can be checked
/// on any Markdown, without a whole site around it.
///
/// Text with raw HTML in it is read as a browser would before each pass, to know where
/// markup may go; text without any (most pages) cannot hide a tag, a comment or raw
/// text, so its passes run fused in one walk over the events.
pub(crate) fn transform(
    events: Vec<Event<'_>>,
    targets: &BTreeMap<String, Target>,
    base: LinkBase,
    notes: Notes,
) -> String {
    let has_raw_html = events
        .iter()
        .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let mut out = String::with_capacity(events.len() * 24);
    if !has_raw_html {
        let may_leave = Cell::new(false);
        html::push_html(
            &mut out,
            fused(events.into_iter(), targets, base, notes, &may_leave),
        );
        return rel_if_leaving(out, base, may_leave.get());
    }
    let events = links(events, targets, base, notes);
    let events = heading_ids(events);
    let events = table_regions(events, notes);
    let events = new_window_notes(events, notes);
    let events = other_language_runs(events, notes);
    html::push_html(&mut out, events.into_iter());
    rel_on_links_leaving(out, base)
}

/// The passes of [`transform`] in one walk, for text without raw HTML: there every
/// event's markup is read as markup, except inside an image's description, which is
/// written into its `alt` attribute. The events are made as they are taken. `may_leave`
/// is set on the first link that does not lead into this site by its target.
fn fused<'a, 'n, 't>(
    events: impl Iterator<Item = Event<'a>>,
    targets: &'t BTreeMap<String, Target>,
    base: LinkBase<'t>,
    notes: Notes<'n>,
    may_leave: &'t Cell<bool>,
) -> impl Iterator<Item = Event<'a>> {
    let mut walk = Fused {
        out: std::collections::VecDeque::new(),
        notes,
        ids: HeadingIds::default(),
        last_heading: String::new(),
        heading: None,
        in_code: 0,
        image_depth: 0,
    };
    let mut pending_notes: Vec<LinkNotes> = Vec::new();
    // The link pass's own count of open images; `walk` keeps another for the later
    // passes, which see a heading's events only when the heading ends.
    let mut image_depth = 0usize;
    let mut events = events;
    std::iter::from_fn(move || {
        loop {
            if let Some(event) = walk.out.pop_front() {
                return Some(event);
            }
            let event = events.next()?;
            let in_image = image_depth > 0;
            match event {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let target = targets.get(dest_url.as_ref()).filter(|_| !in_image);
                    if !target.is_some_and(Target::is_on_site) {
                        may_leave.set(true);
                    }
                    pending_notes.push(link_notes(target, &dest_url, notes, base));
                    walk.after_links(Event::Start(Tag::Link {
                        link_type,
                        dest_url: resolve(dest_url, target, base),
                        title,
                        id,
                    }));
                }
                Event::End(TagEnd::Link) => {
                    let link = pending_notes.pop().unwrap_or_default();
                    if let Some(note) = link.inside.filter(|_| !in_image) {
                        walk.after_links(note_html(&note));
                    }
                    walk.after_links(Event::End(TagEnd::Link));
                    if let Some(after) = link.after.filter(|_| !in_image) {
                        walk.after_links(Event::InlineHtml(after.into()));
                    }
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let target = targets.get(dest_url.as_ref()).filter(|_| !in_image);
                    walk.after_links(Event::Start(Tag::Image {
                        link_type,
                        dest_url: resolve(dest_url, target, base),
                        title,
                        id,
                    }));
                    image_depth += 1;
                }
                Event::End(TagEnd::Image) => {
                    image_depth = image_depth.saturating_sub(1);
                    walk.after_links(Event::End(TagEnd::Image));
                }
                other => walk.after_links(other),
            }
        }
    })
}

/// The state of [`fused`] between events.
struct Fused<'a, 'n> {
    /// Events ready to be taken.
    out: std::collections::VecDeque<Event<'a>>,
    notes: Notes<'n>,
    ids: HeadingIds,
    /// The text of the last heading, which names the tables below it.
    last_heading: String,
    /// A heading's events, held until its end, when its id is known.
    heading: Option<Vec<Event<'a>>>,
    in_code: usize,
    image_depth: usize,
}

impl<'a> Fused<'a, '_> {
    /// Takes an event from the link pass: headings wait for their end to get an id.
    fn after_links(&mut self, event: Event<'a>) {
        match (&mut self.heading, event) {
            (None, e @ Event::Start(Tag::Heading { .. })) => self.heading = Some(vec![e]),
            (Some(buffer), e @ Event::End(TagEnd::Heading(_))) => {
                buffer.push(e);
                let events = self.ids.assign(std::mem::take(buffer));
                self.heading = None;
                self.last_heading = heading_text(&events);
                for e in events {
                    self.after_ids(e);
                }
            }
            (Some(buffer), e) => buffer.push(e),
            (None, e) => self.after_ids(e),
        }
    }

    /// The table regions, then the runs of the other language.
    fn after_ids(&mut self, event: Event<'a>) {
        match &event {
            Event::Start(Tag::Table(_)) => {
                self.out
                    .push_back(table_region_start(&self.last_heading, self.notes));
            }
            Event::Start(Tag::CodeBlock(_)) => self.in_code += 1,
            Event::End(TagEnd::CodeBlock) => self.in_code = self.in_code.saturating_sub(1),
            Event::Start(Tag::Image { .. }) => self.image_depth += 1,
            Event::End(TagEnd::Image) => self.image_depth = self.image_depth.saturating_sub(1),
            _ => {}
        }
        let closes_table = matches!(event, Event::End(TagEnd::Table));
        match event {
            Event::Text(text) if self.in_code == 0 && self.image_depth == 0 => {
                push_language_runs(&mut self.out, text, self.notes);
            }
            other => self.out.push_back(other),
        }
        if closes_table {
            self.out.push_back(Event::Html("</div>\n".into()));
        }
    }
}

/// The text of a heading's events, as its id and the tables below it are named from.
fn heading_text(events: &[Event]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

/// The opening of a table's scrolling region, named after the heading above it.
fn table_region_start(last_heading: &str, notes: Notes) -> Event<'static> {
    let label = match last_heading.trim() {
        "" => notes.table.to_owned(),
        heading => format!("{}: {heading}", notes.table),
    };
    Event::Html(
        format!(
            "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">\n",
            escape_markup(&label)
        )
        .into(),
    )
}

/// The href a resolved link gets in the output.
pub fn href(target: &Target, written: &str, base: LinkBase) -> String {
    match target {
        Target::Page { url } | Target::File { url, .. } | Target::Generated { url } => {
            format!("{}{}", base.prefix, url.trim_start_matches('/'))
        }
        Target::Fragment => format!("{}{written}", base.fragment_prefix),
        Target::External => written.to_owned(),
        Target::Phone { number } => number.tel_uri(),
    }
}

/// Rewrites each link and image to its resolved address, and adds to each link the
/// note its target calls for. Where a browser would not read the link's tags as tags
/// (inside a raw-text element, a comment, or an image's `alt` text) the link is left as
/// written and gets no note, which would show as words.
fn links<'a>(
    events: Vec<Event<'a>>,
    targets: &BTreeMap<String, Target>,
    base: LinkBase,
    notes: Notes,
) -> Vec<Event<'a>> {
    let readings = read_as_browser(&events);
    let mut out = Vec::with_capacity(events.len());
    // One entry per open link: an image's description may hold a link of its own.
    let mut pending_notes: Vec<LinkNotes> = Vec::new();
    for (event, reading) in events.into_iter().zip(readings) {
        let target_of = |dest: &str| targets.get(dest).filter(|_| reading.takes_markup);
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let target = target_of(&dest_url);
                pending_notes.push(link_notes(target, &dest_url, notes, base));
                out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: resolve(dest_url, target, base),
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                let link = pending_notes.pop().unwrap_or_default();
                if let Some(note) = link.inside.filter(|_| reading.takes_markup) {
                    out.push(note_html(&note));
                }
                out.push(Event::End(TagEnd::Link));
                if let Some(after) = link.after.filter(|_| reading.takes_markup) {
                    out.push(Event::InlineHtml(after.into()));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let target = target_of(&dest_url);
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

/// What a link gets beside its words: a note inside it, as text, and markup after it.
#[derive(Default)]
struct LinkNotes {
    inside: Option<String>,
    after: Option<String>,
}

/// Other sites are announced as such; files say what they are and how big, so nobody
/// on a phone plan downloads 1 MB by surprise; a download that some readers cannot use
/// is followed by a link to the page with the same content, when it has one.
fn link_notes(target: Option<&Target>, written: &str, notes: Notes, base: LinkBase) -> LinkNotes {
    match target {
        Some(Target::External) if leaves_for_web(written) => LinkNotes {
            inside: Some(notes.external.to_owned()),
            after: None,
        },
        Some(Target::File {
            format,
            size,
            alternative,
            ..
        }) => LinkNotes {
            inside: Some(notes.file_note(format, *size)),
            after: alternative.as_deref().map(|url| {
                let href = format!("{}{}", base.prefix, url.trim_start_matches('/'));
                alternative_html(notes.alternative, notes.alternative_link, &href)
            }),
        },
        _ => LinkNotes::default(),
    }
}

/// `（<a href="/services/">同じ内容のページ</a>）`, from the theme's `（{link}）`, in a
/// note of its own.
fn alternative_html(note: &str, words: &str, href: &str) -> String {
    let (before, after) = note.split_once("{link}").unwrap_or((note, ""));
    format!(
        "<span class=\"link-note\">{}<a href=\"{}\">{}</a>{}</span>",
        escape_markup(before),
        escape_markup(href),
        escape_markup(words),
        escape_markup(after)
    )
}

/// `https:` links go to another web site; `tel:` and `mailto:` do not. The page a link
/// is on does not matter: an absolute address means the same from every page.
fn leaves_for_web(written: &str) -> bool {
    url_class::classify(written, Frame::at_root()) == UrlClass::OtherSite
}

fn note_html(note: &str) -> Event<'static> {
    Event::InlineHtml(format!("<span class=\"link-note\">{}</span>", escape_markup(note)).into())
}

/// Where the links of a body are read from, for telling which of them leave the site:
/// the site's own full address in a feed, and on the site's pages the stand-in root of
/// [`Frame::below_root`], so that only a link that names a host leaves it.
fn link_frame(base: LinkBase) -> Frame {
    match Url::parse(base.prefix) {
        Ok(root) => Frame::published(&root, "/"),
        Err(_) => Frame::below_root(base.prefix),
    }
}

/// Every link of a body that leads to another site gets `rel="noopener noreferrer"`
/// ([`EXTERNAL_LINK_REL`]): the other page gets no handle on this one and is not told
/// where its reader came from, even in a browser that ignores the page's referrer
/// policy. The last pass, over the HTML as written, so that it sees every `<a>` a
/// browser reads, whether a Markdown link or raw HTML wrote it; a `rel` the author gave
/// keeps its words, with the two added (an `opener`, which the content check refuses,
/// is dropped rather than contradicted).
fn rel_on_links_leaving(html: String, base: LinkBase) -> String {
    let may_have_link = html
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && w[1].eq_ignore_ascii_case(&b'a'));
    if !may_have_link {
        return html;
    }
    let frame = link_frame(base);
    let mut scanner = HtmlScanner::default();
    let mut tags = Vec::new();
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut from = 0;
    // A tag ends only at a `>`: fed up to each one in turn, the scanner completes at
    // most one tag per piece, which ends there.
    for (at, _) in html.match_indices('>') {
        scanner.feed(&html[from..=at], from, &mut tags);
        from = at + 1;
        let Some(tag) = tags.pop() else { continue };
        if tag.name == "a"
            && !tag.end
            && let Some(start) = tag.start
            && tag
                .attribute("href")
                .is_some_and(|href| leaves_site(href, &frame))
            && let Some(rewritten) = with_external_rel(&tag)
        {
            edits.push((start..at + 1, rewritten));
        }
    }
    if edits.is_empty() {
        return html;
    }
    let mut out = String::with_capacity(html.len() + edits.len() * 32);
    let mut at = 0;
    for (range, tag) in edits {
        out.push_str(&html[at..range.start]);
        out.push_str(&tag);
        at = range.end;
    }
    out.push_str(&html[at..]);
    out
}

/// Whether an `href`, as written in HTML, takes the reader to another web site: read
/// by the one URL classifier, after the HTML reader's decoding of character references.
/// `//host`, `/\host` and `http:host` name another host as surely as `https://host`.
fn leaves_site(written: &str, frame: &Frame) -> bool {
    let href = if written.contains('&') {
        decoded_attribute(written)
    } else {
        written.to_owned()
    };
    matches!(
        url_class::classify(&href, frame),
        UrlClass::OtherSite | UrlClass::HostWrittenAsPath
    )
}

/// An attribute value as written (character references and all) as the browser reads
/// it, by html5ever's tokenizer, which follows the standard on references without `;`.
fn decoded_attribute(written: &str) -> String {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{
        BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    #[derive(Default)]
    struct FirstValue(RefCell<Option<String>>);
    impl TokenSink for FirstValue {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let Token::TagToken(tag) = token
                && let Some(attribute) = tag.attrs.first()
            {
                self.0
                    .borrow_mut()
                    .get_or_insert_with(|| attribute.value.to_string());
            }
            TokenSinkResult::Continue
        }
    }
    let tokenizer = Tokenizer::new(FirstValue::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&format!(
        "<a v=\"{}\">",
        written.replace('"', "&quot;")
    )));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.into_inner().unwrap_or_default()
}

/// A link's start tag written again with [`EXTERNAL_LINK_REL`] in its `rel`; `None`
/// for an attribute name that could not be written back as it was read (such an
/// attribute is refused by the content check, so no page with it is published).
fn with_external_rel(tag: &TagToken) -> Option<String> {
    let mut out = String::from("<a");
    let mut has_rel = false;
    for (name, value) in &tag.attributes {
        let writable = name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
        if !writable {
            return None;
        }
        let value = if name == "rel" {
            has_rel = true;
            merged_rel(value)
        } else {
            value.clone()
        };
        // The value stays as written, character references and all, which read the
        // same between double quotes as between single ones or none.
        out.push_str(&format!(" {name}=\"{}\"", value.replace('"', "&quot;")));
    }
    if !has_rel {
        out.push_str(&format!(" rel=\"{EXTERNAL_LINK_REL}\""));
    }
    out.push('>');
    Some(out)
}

/// The author's `rel` words, each once, with those of [`EXTERNAL_LINK_REL`] added.
fn merged_rel(written: &str) -> String {
    let mut words: Vec<&str> = Vec::new();
    let wanted = EXTERNAL_LINK_REL.split_ascii_whitespace();
    for word in written.split_ascii_whitespace().chain(wanted) {
        let repeated = words.iter().any(|w| w.eq_ignore_ascii_case(word));
        if !repeated && !word.eq_ignore_ascii_case("opener") {
            words.push(word);
        }
    }
    words.join(" ")
}

/// Gives headings their ids (see [`HeadingIds`]). A heading inside a raw-text element
/// is only text, and an id would show as part of it.
fn heading_ids(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let readings = read_as_browser(&events);
    let mut ids = HeadingIds::default();
    let mut out = Vec::with_capacity(events.len());
    let mut heading: Option<Vec<Event>> = None;
    for (event, reading) in events.into_iter().zip(readings) {
        match (&mut heading, event) {
            (None, e @ Event::Start(Tag::Heading { .. })) if reading.takes_markup => {
                heading = Some(vec![e]);
            }
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
/// it, and named after the heading above the table. Neither tag of the wrapper is
/// written where it would show as text.
fn table_regions<'a>(events: Vec<Event<'a>>, notes: Notes) -> Vec<Event<'a>> {
    let readings = read_as_browser(&events);
    let mut out = Vec::with_capacity(events.len() + 4);
    let mut last_heading = String::new();
    let mut in_heading = false;
    // For each open table, whether its region was opened.
    let mut regions: Vec<bool> = Vec::new();
    for (i, event) in events.into_iter().enumerate() {
        match &event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                last_heading.clear();
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) if in_heading => last_heading.push_str(t),
            Event::Start(Tag::Table(_)) => {
                regions.push(readings[i].takes_markup);
                if readings[i].takes_markup {
                    out.push(table_region_start(&last_heading, notes));
                }
            }
            _ => {}
        }
        let closes_table = matches!(event, Event::End(TagEnd::Table));
        out.push(event);
        // The region closes after the table, where the next event starts.
        if closes_table && regions.pop() == Some(true) && readings[i + 1].takes_markup {
            out.push(Event::Html("</div>\n".into()));
        }
    }
    out
}

/// Raw HTML links with `target="_blank"` get a note at their end, so nobody is moved to
/// a new window unwarned. The note may land in a later event than the tag.
fn new_window_notes<'a>(events: Vec<Event<'a>>, notes: Notes) -> Vec<Event<'a>> {
    let readings = read_as_browser(&events);
    let note = format!(
        "<span class=\"link-note\">{}</span>",
        escape_markup(notes.new_window)
    );
    let mut out = Vec::with_capacity(events.len());
    let mut open = false;
    for (event, reading) in events.into_iter().zip(readings) {
        match event {
            Event::Html(html) => {
                let html = annotate_new_windows(&html, &reading.tags, &mut open, &note);
                out.push(Event::Html(html.into()));
            }
            Event::InlineHtml(html) => {
                let html = annotate_new_windows(&html, &reading.tags, &mut open, &note);
                out.push(Event::InlineHtml(html.into()));
            }
            other => {
                // A Markdown link or footnote mark writes `<a` or `</a>` itself, which
                // ends a raw link still open.
                let ends_link = reading
                    .tags
                    .iter()
                    .any(|t| t.name == "a" && t.start.is_some());
                if open && ends_link && reading.takes_markup {
                    out.push(Event::InlineHtml(note.clone().into()));
                }
                if reading.tags.iter().any(|t| t.name == "a") {
                    open = false;
                }
                out.push(other);
            }
        }
    }
    out
}

/// Puts `note` where each new-window link ends: before its `</a>`, or before the `<a`
/// of the next link, which ends it too in a browser. `tags` are the tags a browser reads
/// in `html` (none inside a comment or a raw-text element); `open` carries a new-window
/// link still open from one piece of HTML to the next. The note is left out when the
/// tag that ends the link began in an earlier piece.
fn annotate_new_windows(html: &str, tags: &[TagToken], open: &mut bool, note: &str) -> String {
    let mut out = String::with_capacity(html.len() + note.len());
    let mut at = 0;
    for tag in tags.iter().filter(|t| t.name == "a") {
        if *open && let Some(before) = tag.start.and_then(|start| html.get(at..start)) {
            out.push_str(before);
            out.push_str(note);
            at += before.len();
        }
        *open = !tag.end && tag.target.as_deref().is_some_and(opens_new_window);
    }
    out.push_str(&html[at..]);
    out
}

fn opens_new_window(target: &str) -> bool {
    target.trim().eq_ignore_ascii_case("_blank")
}

/// How a browser reads the HTML written for one event.
#[derive(Debug, Default)]
struct Reading {
    /// Whether markup written just before the event is read as markup: not inside a
    /// raw-text element, a comment, or a tag (an image's `alt` text is in its tag).
    takes_markup: bool,
    /// The tags that end in the event's HTML, at offsets into it.
    tags: Vec<TagToken>,
}

/// Reads, as a browser would, the HTML that `push_html` writes for `events`; one
/// [`Reading`] per event and one more for the place after the last. A pass reads its
/// own input: the markup the passes insert is whole elements, so it leaves the reading
/// of everything after it unchanged.
fn read_as_browser(events: &[Event]) -> Vec<Reading> {
    let follower = RefCell::new(Follower::default());
    let pulled = events
        .iter()
        .cloned()
        .inspect(|_| follower.borrow_mut().next_event());
    // `Follower` never fails to take text, so neither does the writing.
    let _ = html::write_html_fmt(FollowerWriter(&follower), pulled);
    let mut follower = follower.into_inner();
    follower.next_event();
    follower.readings
}

/// The state of [`read_as_browser`]. `push_html` takes an event, writes all of its HTML,
/// then takes the next, so each taking is where one event's HTML ends and the next's
/// begins.
#[derive(Debug, Default)]
struct Follower {
    scanner: HtmlScanner,
    /// Bytes written for the current event so far.
    written: usize,
    readings: Vec<Reading>,
}

impl Follower {
    fn next_event(&mut self) {
        self.readings.push(Reading {
            takes_markup: self.scanner.reads_tags(),
            tags: Vec::new(),
        });
        self.written = 0;
        self.scanner.next_piece();
    }
}

struct FollowerWriter<'a>(&'a RefCell<Follower>);

impl std::fmt::Write for FollowerWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let mut follower = self.0.borrow_mut();
        let Follower {
            scanner,
            written,
            readings,
        } = &mut *follower;
        if let Some(reading) = readings.last_mut() {
            scanner.feed(s, *written, &mut reading.tags);
        }
        *written += s.len();
        Ok(())
    }
}

/// Marks runs of the other language in text: Japanese on English pages, English phrases
/// on Japanese pages. Code and image descriptions are left alone, and so is text inside
/// a raw-text element, where a `<span>` would show as text.
fn other_language_runs<'a>(events: Vec<Event<'a>>, notes: Notes) -> Vec<Event<'a>> {
    let readings = read_as_browser(&events);
    let mut out = Vec::with_capacity(events.len());
    let mut in_code = 0usize;
    for (event, reading) in events.into_iter().zip(readings) {
        match &event {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Text(text) if in_code == 0 && reading.takes_markup => {
                push_language_runs(&mut out, text, notes);
            }
            other => out.push(other),
        }
    }
    out
}

/// A text event, with its runs of the other script each in a `<span lang>`.
fn push_language_runs<'a>(out: &mut impl Extend<Event<'a>>, text: CowStr<'a>, notes: Notes) {
    // Most text has no run at all: Latin phrases need Latin letters, Japanese runs
    // characters outside ASCII.
    let runs = match (notes.other_lang, notes.script) {
        (None, _) => Vec::new(),
        (Some(_), Script::Japanese) if text.bytes().any(|b| b.is_ascii_alphabetic()) => {
            english_runs(&text)
        }
        (Some(_), Script::Japanese) => Vec::new(),
        (Some(_), Script::Latin) if text.is_ascii() => Vec::new(),
        (Some(_), Script::Latin) => japanese_runs(&text),
    };
    let Some(other) = notes.other_lang.filter(|_| !runs.is_empty()) else {
        out.extend([Event::Text(text)]);
        return;
    };
    let mut at = 0;
    for (start, end) in runs {
        if start > at {
            out.extend([Event::Text(text[at..start].to_owned().into())]);
        }
        out.extend([Event::InlineHtml(format!("<span lang=\"{other}\">").into())]);
        out.extend([Event::Text(text[start..end].to_owned().into())]);
        out.extend([Event::InlineHtml("</span>".into())]);
        at = end;
    }
    if at < text.len() {
        out.extend([Event::Text(text[at..].to_owned().into())]);
    }
}

/// Byte ranges of Japanese runs, in order and never overlapping: kana, kanji and
/// Japanese punctuation, with the digits read with them kept in the run: digits between
/// them (`令和7年`), digits just before a kana or kanji (`2025年`), and an address number
/// just after one (`五丁目7-20`). A number before or after a bracket is not read with
/// it (`3-8-1（県庁）`). Runs that meet are one run, so a reader switches voice once.
fn japanese_runs(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let reads_numbers = |c: char| is_japanese(c) && c.is_alphanumeric();
    let mut runs = Vec::new();
    // Characters before `taken` are in a run already.
    let mut taken = 0;
    let mut i = 0;
    while i < chars.len() {
        if !is_japanese(chars[i].1) {
            i += 1;
            continue;
        }
        let mut start = i;
        if reads_numbers(chars[i].1) {
            // Never into the last run: its digits are written once.
            while start > taken && chars[start - 1].1.is_ascii_digit() {
                start -= 1;
            }
        }
        let mut end = i + 1;
        loop {
            // Digits between Japanese characters stay in the run (`令和7年`).
            let digits = chars[end..]
                .iter()
                .take_while(|(_, c)| c.is_ascii_digit())
                .count();
            if chars
                .get(end + digits)
                .is_some_and(|(_, c)| is_japanese(*c))
            {
                end += digits + 1;
                continue;
            }
            // An address number written straight after (`五丁目7-20`) is read with it,
            // and the run goes on if Japanese follows the number.
            if !reads_numbers(chars[end - 1].1) {
                break;
            }
            let mut number = end;
            while chars
                .get(number)
                .is_some_and(|(_, c)| c.is_ascii_digit() || *c == '-')
            {
                number += 1;
            }
            while number > end && chars[number - 1].1 == '-' {
                number -= 1;
            }
            if number == end {
                break;
            }
            end = number;
            if !chars.get(end).is_some_and(|(_, c)| is_japanese(*c)) {
                break;
            }
        }
        let to = chars.get(end).map_or(text.len(), |(b, _)| *b);
        runs.push((chars[start].0, to));
        taken = end;
        i = end;
    }
    runs
}

/// Byte ranges of English phrases (two or more words with Latin letters) in Japanese
/// text. Single words such as `PDF` or `RSS` are read fine as they are.
fn english_runs(text: &str) -> Vec<(usize, usize)> {
    let is_word_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '\'' | '’' | '.' | ',' | '-' | '&');
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
/// A repeated id gets `-2`, `-3`, …; each base remembers the last number it gave, so a
/// page of many equal headings takes time linear in their number.
#[derive(Default)]
struct HeadingIds {
    used: BTreeSet<String>,
    next_number: BTreeMap<String, usize>,
}

impl HeadingIds {
    fn assign<'a>(&mut self, mut events: Vec<Event<'a>>) -> Vec<Event<'a>> {
        let text = heading_text(&events);
        if let Some(Event::Start(Tag::Heading { id, attrs, .. })) = events.first_mut() {
            let wanted = id.as_ref().map_or_else(|| slug(&text), |i| i.to_string());
            let unique = self.unique(wanted);
            *id = Some(unique.into());
            // Only `#id` and `.class` are kept: any other attribute of the `{…}` block
            // (`onfocus`, `style`) is refused at its line by the lint, and never written.
            attrs.clear();
        }
        events
    }

    fn unique(&mut self, wanted: String) -> String {
        let base = if wanted.is_empty() {
            "section".to_owned()
        } else {
            wanted
        };
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next_number.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
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

    fn runs(text: &str, found: Vec<(usize, usize)>) -> Vec<&str> {
        found.into_iter().map(|(s, e)| &text[s..e]).collect()
    }
    use proptest::prelude::*;
    use scraper::{Html, Node};

    #[test]
    fn slugs_keep_japanese_and_fold_ascii() {
        assert_eq!(slug("Phone consultation"), "phone-consultation");
        assert_eq!(slug("電話・面接相談"), "電話面接相談");
        assert_eq!(slug("  Q&A: hours?  "), "qa-hours");
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
    fn japanese_runs_never_overlap() {
        for text in [
            "宮城県大崎市古川旭五丁目7-20（宮城県精神保健福祉センター内）",
            "3-8-1（県庁）",
            "平成26-27年度",
            "五丁目7-年",
            "（県庁）12-3年",
            "年1-2-3-",
        ] {
            let found = japanese_runs(text);
            let mut end = 0;
            for &(s, e) in &found {
                assert!(end <= s && s <= e, "{text}: {found:?}");
                end = e;
            }
        }
    }

    #[test]
    fn english_runs_are_phrases_not_single_words() {
        let text = "PDFの「Hikikomori Support Handbook」と RSS、Nu HTML Checker。";
        assert_eq!(
            runs(text, english_runs(text)),
            ["Hikikomori Support Handbook", "Nu HTML Checker"]
        );
    }

    /// Runs `annotate_new_windows` on pieces of HTML in order, as the pass does.
    fn annotate(pieces: &[&str], note: &str) -> (Vec<String>, bool) {
        let mut scanner = HtmlScanner::default();
        let mut open = false;
        let out = pieces
            .iter()
            .map(|html| {
                let mut tags = Vec::new();
                scanner.next_piece();
                scanner.feed(html, 0, &mut tags);
                annotate_new_windows(html, &tags, &mut open, note)
            })
            .collect();
        (out, open)
    }

    #[test]
    fn new_window_notes_land_before_the_closing_tag() {
        let note = "<span>(new window)</span>";
        let (one, open) = annotate(
            &["<p><a href=\"x\" target=\"_blank\">A</a> <a href=\"y\">B</a></p>"],
            note,
        );
        assert_eq!(
            one,
            [
                "<p><a href=\"x\" target=\"_blank\">A<span>(new window)</span></a> <a href=\"y\">B</a></p>"
            ]
        );
        assert!(!open);
        let (split, open) = annotate(&["<a href=y target='_blank'>", "x", "</a>"], note);
        assert_eq!(
            split,
            ["<a href=y target='_blank'>", "x", &format!("{note}</a>")],
            "the note waits for the closing tag"
        );
        assert!(!open);
        let (abbr, _) = annotate(
            &["<a href=x target=_blank>A <abbr target=\"_blank\">B</abbr> C</a>"],
            note,
        );
        assert_eq!(
            abbr,
            [format!(
                "<a href=x target=_blank>A <abbr target=\"_blank\">B</abbr> C{note}</a>"
            )],
            "`</abbr>` does not end a link"
        );
        let (next, _) = annotate(&["<a target=\"_BLANK\">A<a href=y>B</a>"], note);
        assert_eq!(
            next,
            [format!("<a target=\"_BLANK\">A{note}<a href=y>B</a>")],
            "a second `<a` ends the first link"
        );
        let (quoted, _) = annotate(
            &["<a title=\"target=_blank\" href=x>A</a><!-- <a target=_blank> -->"],
            note,
        );
        assert_eq!(
            quoted,
            ["<a title=\"target=_blank\" href=x>A</a><!-- <a target=_blank> -->"],
            "only a real `target` attribute counts, and comments are no tags"
        );
    }

    #[test]
    fn a_target_written_with_a_character_reference_is_read_as_the_browser_reads_it() {
        let note = "<span>(new window)</span>";
        let (referenced, _) = annotate(&["<a href=x target=\"&#95;blank\">A</a>"], note);
        assert_eq!(
            referenced,
            [format!("<a href=x target=\"&#95;blank\">A{note}</a>")]
        );
    }

    #[test]
    fn repeated_headings_get_distinct_ids() {
        let mut ids = HeadingIds::default();
        assert_eq!(ids.unique("hours".into()), "hours");
        assert_eq!(ids.unique("hours".into()), "hours-2");
        assert_eq!(ids.unique(String::new()), "section");
    }

    // The author's text survives every pass: rendered with the site's passes and by
    // pulldown-cmark alone, a page reads the same but for the notes.

    const LANGUAGES: [&str; 2] = ["ja", "en"];

    /// The theme's notes, written out so the test needs no theme.
    fn notes(lang: &str) -> Notes<'static> {
        match lang {
            "ja" => Notes {
                script: Script::Japanese,
                other_lang: Some("en"),
                size_style: SizeStyle::Kilobytes,
                external: "（外部サイト）",
                new_window: "（新しいウィンドウで開きます）",
                table: "表",
                file: "（{format}：{size}）",
                alternative: "（{link}）",
                alternative_link: "同じ内容のページ",
            },
            _ => Notes {
                script: Script::Latin,
                other_lang: Some("ja"),
                size_style: SizeStyle::Metric,
                external: " (external site)",
                new_window: " (opens in a new window)",
                table: "Table",
                file: " ({format}, {size})",
                alternative: " ({link})",
                alternative_link: "the same as a web page",
            },
        }
    }

    /// Where the generated links go, as the link stage would resolve them.
    fn targets() -> BTreeMap<String, Target> {
        BTreeMap::from([
            ("https://example.jp/x".to_owned(), Target::External),
            (
                "tel:0229231110".to_owned(),
                Target::Phone {
                    number: crate::phone::PhoneNumber::parse("0229231110").expect("a fixed line"),
                },
            ),
            (
                "/files/a.pdf".to_owned(),
                Target::File {
                    url: "/files/a.pdf".to_owned(),
                    size: 1_234_567,
                    format: "PDF".to_owned(),
                    alternative: None,
                },
            ),
            (
                "@/access.ja.md".to_owned(),
                Target::Page {
                    url: "/access/".to_owned(),
                },
            ),
            ("#hours".to_owned(), Target::Fragment),
        ])
    }

    fn events(markdown: &str) -> Vec<Event<'_>> {
        crate::parse::markdown_events(markdown)
            .map(|(event, _)| event)
            .collect()
    }

    /// With the site's passes.
    fn render(markdown: &str, lang: &str) -> String {
        transform(
            events(markdown),
            &targets(),
            LinkBase::site("/"),
            notes(lang),
        )
    }

    /// With pulldown-cmark alone.
    fn render_plain(markdown: &str) -> String {
        let mut out = String::new();
        html::push_html(&mut out, events(markdown).into_iter());
        out
    }

    /// What a reader gets from the HTML: its text and the images' `alt` texts, without
    /// the notes, with runs of white space folded as a browser shows normal text.
    fn visible_text(html: &str) -> String {
        let fragment = Html::parse_fragment(html);
        let mut text = String::new();
        for node in fragment.root_element().descendants() {
            // The transforms' own notes: link notes, and the parentheses `<rp>` puts
            // around a reading for browsers that cannot place it above the text.
            let in_note = node.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| e.classes().any(|c| c == "link-note") || e.name() == "rp")
            });
            match node.value() {
                _ if in_note => {}
                Node::Text(t) => text.push_str(t),
                Node::Element(e) if e.name() == "img" => text.push_str(e.attr("alt").unwrap_or("")),
                _ => {}
            }
        }
        text.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn assert_keeps_text(markdown: &str) {
        let expected = visible_text(&render_plain(markdown));
        for lang in LANGUAGES {
            let html = render(markdown, lang);
            assert_eq!(
                visible_text(&html),
                expected,
                "{lang} page of {markdown:?}:\n{html}"
            );
        }
    }

    #[test]
    fn english_pages_write_each_digit_of_an_address_once() {
        let cases = [
            (
                "宮城県大崎市古川旭五丁目7-20（宮城県精神保健福祉センター内）",
                "<p><span lang=\"ja\">宮城県大崎市古川旭五丁目7-20（宮城県精神保健福祉センター内）</span></p>\n",
            ),
            (
                "3-8-1（県庁）",
                "<p>3-8-1<span lang=\"ja\">（県庁）</span></p>\n",
            ),
            (
                "平成26-27年度",
                "<p><span lang=\"ja\">平成26-27年度</span></p>\n",
            ),
            (
                "Honcho 3-8-1（県庁） since 平成26-27年度",
                "<p>Honcho 3-8-1<span lang=\"ja\">（県庁）</span> since <span lang=\"ja\">平成26-27年度</span></p>\n",
            ),
        ];
        for (markdown, html) in cases {
            assert_eq!(render(markdown, "en"), html, "{markdown}");
            assert_keeps_text(markdown);
        }
    }

    #[test]
    fn nothing_is_inserted_inside_raw_text_elements() {
        let markdown = "Type <textarea>宮城県 [a](https://example.jp/x) \
                        <a href=\"x\" target=\"_blank\">b</a></textarea> 宮城県\n\n\
                        Page <title>Nu HTML Checker と</title>";
        let textarea = "<textarea>宮城県 <a href=\"https://example.jp/x\">a</a> \
                        <a href=\"x\" target=\"_blank\">b</a></textarea>";
        assert_eq!(
            render(markdown, "en"),
            format!(
                "<p>Type {textarea} <span lang=\"ja\">宮城県</span></p>\n\
                 <p>Page <title>Nu HTML Checker と</title></p>\n"
            )
        );
        assert_eq!(
            render(markdown, "ja"),
            format!(
                "<p>Type {textarea} 宮城県</p>\n\
                 <p>Page <title>Nu HTML Checker と</title></p>\n"
            )
        );
        assert_keeps_text(markdown);
    }

    #[test]
    fn links_inside_raw_text_elements_are_left_as_written() {
        let markdown = "<abbr title=\"t\"><textarea>[宮](@/access.ja.md)</textarea></abbr>";
        assert_eq!(
            render(markdown, "ja"),
            "<p><abbr title=\"t\"><textarea><a href=\"@/access.ja.md\">宮</a></textarea></abbr></p>\n"
        );
        assert_keeps_text(markdown);
        assert_eq!(
            render("[宮](@/access.ja.md)", "ja"),
            "<p><a href=\"/access/\">宮</a></p>\n",
            "elsewhere links are resolved"
        );
    }

    #[test]
    fn an_unclosed_raw_text_element_takes_no_headings_ids_or_table_regions() {
        let markdown = "<xmp>\n\n## 相談 Hours\n\n| a |\n| - |\n| b |\n\n</xmp>\n\n## Hours\n\n| a |\n| - |\n| b |";
        let html = render(markdown, "en");
        assert_eq!(html.matches("table-scroll").count(), 1, "{html}");
        assert!(html.contains("<h2>相談 Hours</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"hours\">Hours</h2>"), "{html}");
        assert_keeps_text(markdown);
        assert_keeps_text(
            "<plaintext>\n\n## Hours\n\n| a |\n| - |\n| b |\n\n[a](https://example.jp/x) 宮城県",
        );
    }

    #[test]
    fn the_html_that_markdown_writes_counts_too() {
        // `<![` opens a bogus comment that the `>` of the list's `</li>` closes, so the
        // `<textarea>` after it is a real one and the link inside is only text.
        let markdown = "1. <noframes>宮</noframes>![<![宮](/files/a.pdf)](https://example.jp/x)\n\n\n\
                        <textarea>\n<a href=\"x\" target=\"_blank\">宮</a>\n</textarea>";
        assert!(!render(markdown, "ja").contains("link-note"));
        assert_keeps_text(markdown);
    }

    #[test]
    fn image_descriptions_take_no_notes() {
        // The description is written into `alt`, escaped: a note would be read in it.
        assert_eq!(
            render("![[宮](https://example.jp/x)](/files/a.pdf)", "ja"),
            "<p><img src=\"/files/a.pdf\" alt=\"宮\" /></p>\n"
        );
        assert_eq!(
            render(
                "![<a href=\"x\" target=\"_blank\">宮</a>](https://example.jp/x)",
                "ja"
            ),
            "<p><img src=\"https://example.jp/x\" alt=\"&lt;a href=&quot;x&quot; \
             target=&quot;_blank&quot;&gt;宮&lt;/a&gt;\" /></p>\n"
        );
    }

    #[test]
    fn a_run_before_an_ideographic_space_writes_its_digits_once() {
        assert_eq!(
            render("宮7-20\u{3000}です", "en"),
            "<p><span lang=\"ja\">宮7-20\u{3000}です</span></p>\n"
        );
    }

    /// Markdown whose text the passes once changed, as the property found it.
    #[test]
    fn found_cases_keep_their_text() {
        for markdown in [
            // A link's note, and a new-window note, inside an image's `alt` text.
            "1. ![[宮](https://example.jp/x)](/files/a.pdf)\n",
            "- ![<a href=\"x\" target=\"_blank\">宮</a>](https://example.jp/x)\n",
            "| [![<a href=\"x\" target=\"_blank\">宮</a>](https://example.jp/x)](#hours) |\n| --- |",
            "| ![![[宮](https://example.jp/x)](https://example.jp/x)](https://example.jp/x) |\n| --- |",
            // Digits written twice: `宮7-2020　`.
            "| [**宮7-20\u{3000}**](/files/a.pdf) |\n| --- |",
            // `lang` spans, notes, heading ids and table regions inside raw text.
            "> <xmp>宮</xmp>",
            "- <noscript>宮</noscript>\n",
            "[^n]: *<textarea>\u{3000}</textarea>*",
            "| <textarea>宮</textarea> |\n| --- |",
            "## <textarea>「</textarea>\n\n",
            "<textarea>\n<a href=\"x\" target=\"_blank\">宮</a>\n</textarea>",
            "|  | [<textarea>](/files/a.pdf) |\n| --- | --- |",
            "<plaintext>\n\n## ",
            "<plaintext>\n\n|  |\n| --- |",
            // A link resolved inside raw text.
            "| <textarea>[宮](@/access.ja.md)</textarea> |\n| --- |",
        ] {
            assert_keeps_text(markdown);
        }
    }

    fn pick(options: &'static [&'static str]) -> BoxedStrategy<String> {
        prop::sample::select(options)
            .prop_map(str::to_owned)
            .boxed()
    }

    /// 1 to `most` characters drawn from `letters`.
    fn letters(letters: &'static str, most: usize) -> BoxedStrategy<String> {
        let all: Vec<char> = letters.chars().collect();
        prop::collection::vec(prop::sample::select(all), 1..=most)
            .prop_map(String::from_iter)
            .boxed()
    }

    /// Plain text with nothing that Markdown reads as structure.
    fn word() -> BoxedStrategy<String> {
        prop_oneof![
            3 => letters("宮城県大崎市古川旭五丁目精神保健福祉平成令和年度庁内", 4),
            2 => letters("ひきこもりのごあんないですー々", 4),
            2 => letters("センターサポートブックﾃﾞｰﾀ", 4),
            1 => letters("０１２３４５６７８９", 3),
            2 => letters("0123456789", 4),
            1 => pick(&["-", "－", "‐", "7-20", "3-8-1", "26-27", "2025"]),
            2 => pick(&["Miyagi", "support", "PDF", "Centre", "don't", "A&B", "e.g.", "Hours"]),
            2 => pick(&[" ", "  ", "　"]),
            2 => pick(&["「", "」", "（", "）", "、", "。", "・", "～"]),
            1 => pick(&[".", ",", ":", "!", "?", "(", ")", "'", "\"", "&", "&amp;", "<", ">", "/"]),
        ]
        .boxed()
    }

    const RAW_TEXT: &[&str] = &[
        "textarea", "title", "script", "style", "xmp", "iframe", "noscript", "noembed", "noframes",
    ];

    /// Inline Markdown and raw inline HTML, nested.
    fn inline() -> BoxedStrategy<String> {
        word()
            .prop_recursive(3, 32, 4, |inner| {
                let seq = prop::collection::vec(inner, 1..4).prop_map(|v| v.concat());
                prop_oneof![
                    seq.clone().prop_map(|s| format!("*{s}*")),
                    seq.clone().prop_map(|s| format!("**{s}**")),
                    seq.clone()
                        .prop_map(|s| format!("`{}`", s.replace('`', ""))),
                    seq.clone()
                        .prop_map(|s| format!("[{s}](https://example.jp/x)")),
                    seq.clone().prop_map(|s| format!("[{s}](/files/a.pdf)")),
                    seq.clone().prop_map(|s| format!("[{s}](@/access.ja.md)")),
                    seq.clone().prop_map(|s| format!("[{s}](tel:0229231110)")),
                    seq.clone().prop_map(|s| format!("[{s}](#hours)")),
                    seq.clone().prop_map(|s| format!("![{s}](/files/a.pdf)")),
                    seq.clone()
                        .prop_map(|s| format!("![{s}](https://example.jp/x)")),
                    seq.clone().prop_map(|s| format!("<span>{s}</span>")),
                    seq.clone()
                        .prop_map(|s| format!("<a href=\"x\" target=\"_blank\">{s}</a>")),
                    seq.clone()
                        .prop_map(|s| format!("<abbr title=\"t\">{s}</abbr>")),
                    (prop::sample::select(RAW_TEXT), seq.clone())
                        .prop_map(|(name, s)| format!("<{name}>{s}</{name}>")),
                    pick(&[
                        "<br>",
                        "<textarea>",
                        "</textarea>",
                        "<title>",
                        "</title>",
                        "<a target=_blank>",
                        "</a>",
                        "<!-- c -->",
                        "<span title=\"<textarea>\">",
                        "</span>",
                        "[^n]",
                        "<https://example.jp/x>",
                        "<https://example.jp/y>",
                    ]),
                    seq.clone().prop_map(|s| format!("~~{s}~~")),
                    seq.clone().prop_map(|s| format!("[{s}][r]")),
                    seq.clone()
                        .prop_map(|s| format!("![{s}](/files/a.pdf \"t\")")),
                ]
            })
            .boxed()
    }

    /// A line of inline content; it may be empty.
    fn line() -> BoxedStrategy<String> {
        prop::collection::vec(inline(), 0..6)
            .prop_map(|v| v.concat())
            .boxed()
    }

    fn table() -> BoxedStrategy<String> {
        (1..4usize)
            .prop_flat_map(|columns| {
                prop::collection::vec(prop::collection::vec(line(), columns), 1..4)
            })
            .prop_map(|rows| {
                let row = |cells: &Vec<String>| format!("| {} |", cells.join(" | "));
                let mut lines = vec![row(&rows[0]), row(&vec!["---".to_owned(); rows[0].len()])];
                lines.extend(rows[1..].iter().map(row));
                lines.join("\n")
            })
            .boxed()
    }

    fn block() -> BoxedStrategy<String> {
        let items = prop::collection::vec(line(), 1..4);
        prop_oneof![
            4 => line(),
            2 => line().prop_map(|s| format!("## {s}")),
            1 => items.clone().prop_map(|items| items.iter().map(|i| format!("- {i}\n")).collect()),
            1 => items.prop_map(|items| items.iter().map(|i| format!("1. {i}\n")).collect()),
            2 => table(),
            1 => line().prop_map(|s| format!("> {s}")),
            1 => line().prop_map(|s| format!("[^n]: {s}")),
            1 => line().prop_map(|s| format!("```\n{s}\n```")),
            1 => line().prop_map(|s| format!("<div>\n{s}\n</div>")),
            1 => line().prop_map(|s| format!("<p><a href=\"x\" target=\"_blank\">{s}</a></p>")),
            1 => line().prop_map(|s| format!("<textarea>\n{s}\n</textarea>")),
            1 => Just("<plaintext>".to_owned()),
            1 => Just("[r]: https://example.jp/x".to_owned()),
            1 => line().prop_map(|s| format!("<!--\n{s}\n-->")),
            1 => line().prop_map(|s| format!("<script>\n{s}\n</script>")),
            1 => line().prop_map(|s| format!("<div\n  title=\"t\">\n{s}\n</div>")),
            1 => line().prop_map(|s| format!("<div>{s}\n\n{s}</div>")),
        ]
        .boxed()
    }

    /// With the site's passes, furigana first, as pages are rendered.
    fn render_page(markdown: &str, lang: &str) -> String {
        let events = crate::parse::markdown_events(markdown);
        transform(
            with_ruby(markdown, events),
            &targets(),
            LinkBase::site("/"),
            notes(lang),
        )
    }

    #[test]
    fn a_heading_keeps_only_its_id_and_class() {
        let html = render_page(
            "## 見出し {#flow .note tabindex=0 autofocus onfocus=alert(1) style=color:red}",
            "ja",
        );
        assert_eq!(html, "<h2 id=\"flow\" class=\"note\">見出し</h2>\n");
    }

    #[test]
    fn furigana_streamed_write_what_the_passes_write() {
        for markdown in [
            "{相談|そうだん}と{窓口|まど|ぐち}",
            "## {相談|そうだん}の {会|かい}\n\n| a |\n|---|\n| {漢字\\|かんじ} |\n",
            "![{地図|ちず}](/files/a.pdf) and [{窓口|まど|ぐち}](https://example.jp/x)",
            "\\{相談|そうだん} {note} `{a|b}`\n\n```\n{a|b}\n```\n",
            "English {Hello|はろー} world {窓口|まど|ぐち} Support Centre",
            "{漢字|かんじ\n\n{|x} and {a|b|c}",
            "- {相談|そうだん}\n- **{会|かい}** [^1]\n\n[^1]: {注|ちゅう}",
        ] {
            for lang in LANGUAGES {
                let streamed = render_with_ruby(
                    markdown,
                    crate::parse::markdown_events(markdown),
                    &targets(),
                    LinkBase::site("/"),
                    notes(lang),
                );
                assert_eq!(
                    streamed,
                    render_page(markdown, lang),
                    "{lang}: {markdown:?}"
                );
            }
        }
    }

    #[test]
    fn furigana_become_ruby_for_a_word_or_for_each_character() {
        assert_eq!(
            render_page("{相談|そうだん}と{窓口|まど|ぐち}", "ja"),
            "<p><ruby>相談<rp>（</rp><rt>そうだん</rt><rp>）</rp></ruby>と\
             <ruby>窓<rp>（</rp><rt>まど</rt><rp>）</rp></ruby><ruby>口<rp>（</rp><rt>ぐち</rt><rp>）</rp></ruby></p>\n"
        );
    }

    #[test]
    fn a_heading_ending_in_furigana_keeps_them_and_an_id_block_still_works() {
        let ruby = |base: &str, reading: &str| {
            format!("<ruby>{base}<rp>（</rp><rt>{reading}</rt><rp>）</rp></ruby>")
        };
        assert_eq!(
            render_page("## {相談|そうだん}の {会|かい}", "ja"),
            format!(
                "<h2 id=\"相談の-会\">{}の {}</h2>\n",
                ruby("相談", "そうだん"),
                ruby("会", "かい")
            )
        );
        assert_eq!(
            render_page("## **{会|かい}**{会|かい} ##", "ja"),
            format!(
                "<h2 id=\"会会\"><strong>{}</strong>{}</h2>\n",
                ruby("会", "かい"),
                ruby("会", "かい")
            )
        );
        assert_eq!(
            render_page("## `{a|b}` {会|かい}", "ja"),
            format!(
                "<h2 id=\"ab-会\"><code>{{a|b}}</code> {}</h2>\n",
                ruby("会", "かい")
            )
        );
        // Ids come from the base text alone; an attribute block with no `|` is still one.
        assert_eq!(
            render_page("## {会|かい} {#meeting}", "ja"),
            format!("<h2 id=\"meeting\">{}</h2>\n", ruby("会", "かい"))
        );
    }

    #[test]
    fn braces_that_are_no_ruby_escaped_ones_and_code_stay_as_written() {
        for (markdown, html) in [
            ("{メモ} と { です", "<p>{メモ} と { です</p>\n"),
            ("\\{漢字|かんじ}", "<p>{漢字|かんじ}</p>\n"),
            ("`{漢字|かんじ}`", "<p><code>{漢字|かんじ}</code></p>\n"),
            (
                "```\n{漢字|かんじ}\n```",
                "<pre><code>{漢字|かんじ}\n</code></pre>\n",
            ),
        ] {
            assert_eq!(render_page(markdown, "ja"), html, "{markdown:?}");
        }
        // Alternative text cannot hold markup: the base alone.
        assert!(render_page("![{地図|ちず}](/files/a.pdf)", "ja").contains("alt=\"地図\""));
    }

    #[test]
    fn a_ruby_in_a_table_cell_escapes_its_bar() {
        let html = render_page("| a |\n|---|\n| {漢字\\|かんじ} |", "ja");
        assert!(
            html.contains("<ruby>漢字<rp>（</rp><rt>かんじ</rt><rp>）</rp></ruby>"),
            "{html}"
        );
    }

    /// The `rel` of every link in `html`, by link text.
    fn rels(html: &str) -> BTreeMap<String, Option<String>> {
        let fragment = Html::parse_fragment(html);
        let links = scraper::Selector::parse("a").expect("a selector");
        fragment
            .select(&links)
            .map(|a| {
                let text: String = a.text().collect();
                let rel = a.value().attr("rel").map(str::to_owned);
                (text.trim().to_owned(), rel)
            })
            .collect()
    }

    #[test]
    fn links_to_other_sites_say_noopener_noreferrer_and_keep_the_authors_rel() {
        let markdown = "[A](https://example.jp/x) [B](@/access.ja.md) [C](tel:0229231110) \
                        [I](#hours)\n\n\
                        <a href=\"//other.example/\" rel=\"nofollow NoOpener\" target=_blank>D</a> \
                        <a href='https://o.example/?a=1&amp;b=\"2\"' rel='opener external'>E</a> \
                        <a href=\"/x\">F</a> <a href=\"/\\evil.example/\">G</a> \
                        <A HREF=\"http&#58;//h.example/\">H</A> <a href=http:j.example>J</a>\n\n\
                        <!-- <a href=\"https://c.example/\">K</a> -->\n";
        for lang in LANGUAGES {
            let html = render(markdown, lang);
            let found = rels(&html);
            // A link's text starts with its letter; a note may follow it.
            let rel = |text: &str| {
                found
                    .iter()
                    .find(|(k, _)| k.starts_with(text))
                    .and_then(|(_, v)| v.clone())
            };
            let external = Some(EXTERNAL_LINK_REL.to_owned());
            assert_eq!(rel("A"), external, "{html}");
            for text in ["B", "C", "I", "F"] {
                assert_eq!(rel(text), None, "{text} stays on the site: {html}");
            }
            assert_eq!(
                rel("D"),
                Some("nofollow NoOpener noreferrer".to_owned()),
                "the author's words kept, each once: {html}"
            );
            assert_eq!(
                rel("E"),
                Some("external noopener noreferrer".to_owned()),
                "{html}"
            );
            for text in ["G", "H", "J"] {
                assert_eq!(
                    rel(text),
                    external,
                    "{text} leaves as a browser reads it: {html}"
                );
            }
            assert!(
                html.contains("<!-- <a href=\"https://c.example/\">K</a> -->"),
                "a comment is no link: {html}"
            );
            let fragment = Html::parse_fragment(&html);
            let e = scraper::Selector::parse("a[rel~=external]").expect("a selector");
            let href = fragment
                .select(&e)
                .next()
                .and_then(|a| a.value().attr("href"));
            assert_eq!(href, Some("https://o.example/?a=1&b=\"2\""), "{html}");
        }
    }

    #[test]
    fn in_a_feed_links_to_the_site_itself_are_no_links_to_another_site() {
        let feed = LinkBase {
            prefix: "https://example.jp/support/",
            fragment_prefix: "https://example.jp/support/access/",
        };
        let html = transform(
            events(
                "[B](@/access.ja.md) [I](#hours) [A](https://example.jp/x) [O](https://other.example/)",
            ),
            &targets(),
            feed,
            notes("en"),
        );
        let found = rels(&html);
        assert_eq!(found.get("B").cloned().flatten(), None, "{html}");
        assert_eq!(found.get("I").cloned().flatten(), None, "{html}");
        let other = found
            .iter()
            .find(|(k, _)| k.starts_with('O'))
            .and_then(|(_, v)| v.clone());
        assert_eq!(other.as_deref(), Some(EXTERNAL_LINK_REL), "{html}");
    }

    /// Text with furigana in it, as staff write easy pages: words, rubies and a little
    /// inline Markdown.
    fn ruby_document() -> BoxedStrategy<String> {
        let kanji = prop::sample::select(vec!["相", "談", "窓", "口", "電", "話", "時", "間"]);
        let kana = prop::sample::select(vec![
            "そう", "だん", "まど", "ぐち", "でん", "わ", "じ", "かん",
        ]);
        let ruby = (prop::collection::vec((kanji, kana), 1..4), any::<bool>()).prop_map(
            |(pairs, whole)| {
                let base: String = pairs.iter().map(|(k, _)| *k).collect();
                if whole {
                    let reading: String = pairs.iter().map(|(_, r)| *r).collect();
                    format!("{{{base}|{reading}}}")
                } else {
                    let readings: Vec<&str> = pairs.iter().map(|(_, r)| *r).collect();
                    format!("{{{base}|{}}}", readings.join("|"))
                }
            },
        );
        let piece = prop_oneof![
            3 => ruby.clone(),
            3 => word(),
            1 => ruby.clone().prop_map(|r| format!("**{r}**")),
            1 => ruby.prop_map(|r| format!(" [{r}](#hours) ")),
        ];
        // Each block a paragraph or a heading of some kind: a heading ending in furigana
        // must keep them (heading attribute blocks are `{…}` too).
        let block = (
            // Never indented: four spaces would make an indented code block, where
            // the notation stays literal and the oracle below does not apply.
            prop::collection::vec(piece, 1..8).prop_map(|v| v.concat().trim_start().to_owned()),
            0..5usize,
        )
            .prop_map(|(text, kind)| match kind {
                0 => format!("## {text}"),
                1 => format!("{text}\n---"),
                2 => format!("- ## {text}"),
                3 => format!("> ## {text} ##"),
                _ => text,
            });
        prop::collection::vec(block, 1..4)
            .prop_map(|blocks| blocks.join("\n\n"))
            .boxed()
    }

    /// pulldown-cmark alone, without heading attributes: the oracle for texts that hold
    /// no `{#id}` blocks, where every brace is the author's.
    fn render_without_heading_attributes(markdown: &str) -> String {
        let options = markdown_options_without_attributes();
        let mut out = String::new();
        html::push_html(&mut out, pulldown_cmark::Parser::new_ext(markdown, options));
        out
    }

    fn markdown_options_without_attributes() -> pulldown_cmark::Options {
        let mut options = crate::parse::markdown_options();
        options.remove(pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES);
        options
    }

    /// The reading text of a plain rendering: each `{base|reading}` as the base followed
    /// by its reading, per character where readings are per character.
    fn with_readings(text: &str) -> String {
        match crate::ruby::pieces(text, &[]) {
            Ok(pieces) => pieces
                .iter()
                .map(|p| match p {
                    crate::ruby::Piece::Text(t) => (*t).to_owned(),
                    crate::ruby::Piece::Ruby { base, readings } if readings.len() == 1 => {
                        format!("{base}{}", readings[0])
                    }
                    crate::ruby::Piece::Ruby { base, readings } => base
                        .chars()
                        .zip(readings)
                        .map(|(c, r)| format!("{c}{r}"))
                        .collect(),
                })
                .collect(),
            Err(_) => text.to_owned(),
        }
    }

    fn document() -> impl Strategy<Value = String> {
        prop::collection::vec(block(), 1..6).prop_map(|blocks| blocks.join("\n\n"))
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Text without raw HTML takes the fused walk; it writes exactly what the
        /// separate passes write.
        #[test]
        fn the_fused_walk_equals_the_passes(
            markdown in document().prop_map(|d| d.replace('<', "&lt;"))
        ) {
            let events = events(&markdown);
            prop_assume!(!events.iter().any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_))));
            for lang in LANGUAGES {
                let mut separate = String::new();
                let passes = links(events.clone(), &targets(), LinkBase::site("/"), notes(lang));
                let passes = heading_ids(passes);
                let passes = table_regions(passes, notes(lang));
                let passes = new_window_notes(passes, notes(lang));
                let passes = other_language_runs(passes, notes(lang));
                html::push_html(&mut separate, passes.into_iter());
                let separate = rel_on_links_leaving(separate, LinkBase::site("/"));
                prop_assert_eq!(render(&markdown, lang), separate, "{} page of {:?}", lang, markdown);
            }
        }

        /// A page with furigana and no raw HTML is streamed through the fused walk; it
        /// writes exactly what the separate passes write.
        #[test]
        fn streamed_furigana_equal_the_passes(markdown in ruby_document()) {
            for lang in LANGUAGES {
                let streamed = render_with_ruby(
                    &markdown,
                    crate::parse::markdown_events(&markdown),
                    &targets(),
                    LinkBase::site("/"),
                    notes(lang),
                );
                prop_assert_eq!(streamed, render_page(&markdown, lang), "{} page of {:?}", lang, markdown);
            }
        }

        /// Furigana keep every character of the base and of the reading, once each.
        #[test]
        fn furigana_keep_base_and_reading_once_each(markdown in ruby_document()) {
            let expected =
                with_readings(&visible_text(&render_without_heading_attributes(&markdown)));
            for lang in LANGUAGES {
                let html = render_page(&markdown, lang);
                prop_assert_eq!(visible_text(&html), expected.clone(), "{} page of {:?}:\n{}", lang, markdown, html);
            }
        }

        /// No pass changes, drops or repeats a character of what the author wrote.
        #[test]
        fn the_passes_keep_the_authors_text(markdown in document()) {
            let expected = visible_text(&render_plain(&markdown));
            for lang in LANGUAGES {
                let html = render(&markdown, lang);
                prop_assert_eq!(
                    visible_text(&html),
                    expected.clone(),
                    "{} page of {:?}:\n{}",
                    lang,
                    markdown,
                    html
                );
            }
        }
    }
}
