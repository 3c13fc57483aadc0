//! The last check before anything is published: every file the build writes, read the
//! way its reader will read it, held to one policy.
//!
//! Owns the output verifier. The input checks (`content_policy`, `lint`) find mistakes
//! where they are written, at their line; but a page a reader receives is assembled
//! from fragments, templates, settings and data that no input check sees whole (a raw
//! HTML block ending inside a tag is finished by the next one; a theme's templates and
//! style sheets are nobody's input). So the engine hands every rendered file to
//! [`Verifier::verify`] before it reaches a sink, and a refusal fails the build with
//! nothing published. This check is the guarantee; the input checks are for the
//! messages.
//!
//! Each file is read as its reader reads it, chosen by [`kind_of`] its name: HTML as a
//! whole document by html5ever's tree builder (the algorithm browsers follow, so
//! attributes merged into `<html>` and `<body>`, foster-parented text and the like are
//! seen as a browser sees them), feeds, the sitemap and SVG with roxmltree (a
//! conforming XML reader that refuses DTDs), style sheets with cssparser through
//! `content_policy`'s CSS scan. The elements and attributes allowed are
//! `content_policy`'s allow-lists, plus the few that only a document's frame uses
//! (`<html>`, `<head>`, `<meta>`, `<link>`, `<main>`, `<h1>`, `<script src>`), written
//! here once. Every URL a browser fetches by itself is resolved with the `url` crate
//! (WHATWG rules) against the file's own address and must land on the site's origin;
//! every navigation must be relative or `https`, `http`, `mailto` or `tel`.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, LocalName, ParseOpts, QualName, local_name, ns};
use url::Url;

use crate::content_policy::{self, Refusal};
use crate::diagnostics::OutputRefusal;
use crate::file_kinds::{FileKind, kind_of};

/// At most this many refusals are kept per file: a theme mistake repeated in every
/// element must not fill memory, and the first ones say what to fix.
const MOST_FINDINGS: usize = 10;

/// One thing refused in a file, at its line when the reader knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub line: Option<usize>,
    pub refusal: OutputRefusal,
}

/// Holds every file the build writes to the site's policy; built once per render, from
/// the site's address.
#[derive(Debug, Clone)]
pub struct Verifier {
    /// The site's root (`https://example.jp/centre/`): files are placed below it, and
    /// whatever a browser fetches must share its origin.
    site: Url,
    known: Known,
}

/// What the allow-lists allow, as html5ever's atoms (its names of elements and
/// attributes), made once per verifier: nearly every element and attribute of a page
/// is found here by comparing numbers, not text. Whatever is not found here is decided
/// by the lists themselves, so this only ever allows what they allow.
#[derive(Debug, Clone)]
struct Known {
    /// Elements of a page's text, and of the document's frame.
    document_elements: Vec<LocalName>,
    /// Elements of a page's text alone, for the HTML of feeds.
    fragment_elements: Vec<LocalName>,
    /// Attributes any allowed element may have.
    global_attributes: Vec<LocalName>,
    /// Attributes of particular elements.
    element_attributes: Vec<(LocalName, LocalName)>,
}

impl Known {
    fn new() -> Known {
        let atoms = |names: &[&str]| names.iter().map(|n| LocalName::from(*n)).collect();
        let text_elements: Vec<&str> = content_policy::ELEMENTS.to_vec();
        let mut document_elements = text_elements.clone();
        document_elements.extend(DOCUMENT_ELEMENTS);
        let mut fragment_elements = text_elements;
        fragment_elements.extend(FRAGMENT_ELEMENTS);
        let mut global_attributes = content_policy::GLOBAL_ATTRIBUTES.to_vec();
        global_attributes.push("style");
        Known {
            document_elements: atoms(&document_elements),
            fragment_elements: atoms(&fragment_elements),
            global_attributes: atoms(&global_attributes),
            element_attributes: content_policy::ELEMENT_ATTRIBUTES
                .iter()
                .chain(DOCUMENT_ATTRIBUTES.iter())
                .flat_map(|(element, names)| {
                    names
                        .iter()
                        .map(|n| (LocalName::from(*element), LocalName::from(*n)))
                })
                .collect(),
        }
    }
}

/// What a page's HTML may hold beyond a text's: the frame every page of a theme has.
const DOCUMENT_ELEMENTS: [&str; 9] = [
    "html", "head", "body", "title", "meta", "link", "main", "h1", "script",
];

/// What the HTML of a feed may hold beyond a text's: the frame a fragment is read in.
const FRAGMENT_ELEMENTS: [&str; 3] = ["h1", "html", "body"];

/// Attributes the generator itself writes, beside `content_policy`'s lists: those of
/// the document's frame, and the keyboard stop of a table's scrolling region (in pages
/// and in the HTML of feeds alike).
const DOCUMENT_ATTRIBUTES: [(&str, &[&str]); 5] = [
    (
        "meta",
        &["charset", "name", "content", "property", "http-equiv"],
    ),
    (
        "link",
        &["rel", "href", "hreflang", "type", "sizes", "media", "as"],
    ),
    // The skip link moves focus to the main text.
    ("main", &["tabindex"]),
    // A table's scrolling region is reached with the keyboard.
    ("div", &["tabindex"]),
    ("script", &["src", "type", "defer", "async"]),
];

/// `<link rel>` values a page may use. The others (`preconnect`, `dns-prefetch`,
/// `prefetch`, `prerender`) contact hosts before anyone follows a link.
const LINK_RELS: [&str; 13] = [
    "alternate",
    "canonical",
    "stylesheet",
    "icon",
    "apple-touch-icon",
    "manifest",
    "preload",
    "modulepreload",
    "next",
    "prev",
    "author",
    "license",
    "help",
];

/// `<link rel>` values whose `href` the browser fetches as the page loads.
const LOADING_LINK_RELS: [&str; 6] = [
    "stylesheet",
    "icon",
    "apple-touch-icon",
    "manifest",
    "preload",
    "modulepreload",
];

/// Schemes a reader may follow a link on.
const NAVIGABLE_SCHEMES: [&str; 4] = ["https", "http", "mailto", "tel"];

/// The only `http-equiv` a page may carry: the content security policy.
const ALLOWED_HTTP_EQUIV: &str = "content-security-policy";

const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

impl Verifier {
    /// A verifier for a site published at `base_url`. An address that is not a URL
    /// (which `site.toml`'s check never lets through) leaves a verifier under which
    /// nothing absolute is the site's own.
    pub fn new(base_url: &str) -> Verifier {
        let site = Url::parse(base_url)
            .or_else(|_| Url::parse("https://site.invalid/"))
            .expect("a constant address parses");
        Verifier {
            site,
            known: Known::new(),
        }
    }

    /// Whether a file copied as it is must be read to be verified: pages, XML, SVG,
    /// style sheets and text are; documents, images and media pass by their kind.
    pub fn reads(path: &str) -> bool {
        !matches!(kind_of(path), Some(FileKind::Inert) | None)
    }

    /// Everything refused in the file that would be published at `path` (below the
    /// output folder) with these bytes; empty when it may be published.
    pub fn verify(&self, path: &str, bytes: &[u8]) -> Vec<Finding> {
        let Some(kind) = kind_of(path) else {
            return vec![Finding {
                line: None,
                refusal: OutputRefusal::FileKind,
            }];
        };
        if kind == FileKind::Inert {
            return Vec::new();
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            // A text file in another encoding is shown as text, and runs nothing.
            if kind == FileKind::Text {
                return Vec::new();
            }
            return vec![Finding {
                line: None,
                refusal: OutputRefusal::NotUtf8,
            }];
        };
        let address = self.address_of(path);
        let mut found = Found::default();
        match kind {
            FileKind::Page => self.html(text, &address, Frame::Document, &mut found),
            FileKind::Xml => self.xml(text, &address, &mut found),
            FileKind::Svg => self.svg(text, &address, &mut found),
            FileKind::StyleSheet => css(text, None, &mut found),
            FileKind::Text => characters(text, None, &mut found),
            FileKind::Inert => {}
        }
        found.0
    }

    /// [`Verifier::verify`] for a file copied as it is, read from `file`. Plain text,
    /// which may be a large download, is read a piece at a time in fixed memory.
    pub fn verify_file(&self, path: &str, file: &std::path::Path) -> std::io::Result<Vec<Finding>> {
        if kind_of(path) != Some(FileKind::Text) {
            return Ok(self.verify(path, &std::fs::read(file)?));
        }
        let mut reader = std::fs::File::open(file)?;
        let mut buffer = vec![0u8; 64 * 1024];
        // Bytes of a character cut by the end of the last piece.
        let mut carried = 0;
        loop {
            let read = std::io::Read::read(&mut reader, &mut buffer[carried..])?;
            let filled = carried + read;
            let (text, rest) = match std::str::from_utf8(&buffer[..filled]) {
                Ok(text) => (text, 0),
                // Cut inside a character: the rest starts the next piece.
                Err(e) if e.error_len().is_none() && read > 0 => {
                    let valid = e.valid_up_to();
                    let text = std::str::from_utf8(&buffer[..valid]).unwrap_or_default();
                    (text, filled - valid)
                }
                // Text in another encoding is shown as text, and runs nothing.
                Err(_) => return Ok(Vec::new()),
            };
            if let Some(c) = forbidden_character(text) {
                return Ok(vec![Finding {
                    line: None,
                    refusal: character(c),
                }]);
            }
            if read == 0 {
                return Ok(Vec::new());
            }
            buffer.copy_within(filled - rest..filled, 0);
            carried = rest;
        }
    }

    /// The address a file is published at, which its relative URLs resolve against.
    fn address_of(&self, path: &str) -> Url {
        // `./` keeps a first segment with a colon (`a:b.html`) from reading as a scheme.
        self.site
            .join(&format!("./{path}"))
            .unwrap_or_else(|_| self.site.clone())
    }

    /// Whether a URL resolved is on the site's origin.
    fn is_own_origin(&self, url: &Url) -> bool {
        url.scheme() == self.site.scheme()
            && url.host_str() == self.site.host_str()
            && url.port_or_known_default() == self.site.port_or_known_default()
    }

    /// A URL the browser fetches by itself, written in the file at `base`.
    fn check_load(&self, value: &str, base: &Url) -> Result<(), OutputRefusal> {
        if stays_on_origin(value) {
            return Ok(());
        }
        match base.join(value) {
            Ok(url) if self.is_own_origin(&url) => Ok(()),
            Ok(url) if !matches!(url.scheme(), "http" | "https") => Err(OutputRefusal::Scheme {
                url: value.to_owned(),
                scheme: url.scheme().to_owned(),
            }),
            _ => Err(OutputRefusal::OtherHost {
                url: value.to_owned(),
            }),
        }
    }

    /// A URL a reader may follow, written in the file at `base`.
    fn check_navigation(&self, value: &str, base: &Url) -> Result<(), OutputRefusal> {
        if stays_on_origin(value)
            || ["https://", "http://", "mailto:", "tel:"]
                .iter()
                .any(|p| value.starts_with(p))
        {
            return Ok(());
        }
        match base.join(value) {
            Ok(url) if NAVIGABLE_SCHEMES.contains(&url.scheme()) => Ok(()),
            Ok(url) => Err(OutputRefusal::Scheme {
                url: value.to_owned(),
                scheme: url.scheme().to_owned(),
            }),
            // What no browser can read is followed nowhere; it is still not a link to
            // publish.
            Err(_) => Err(OutputRefusal::Scheme {
                url: value.to_owned(),
                scheme: String::new(),
            }),
        }
    }

    /// A link of a feed or the sitemap: an `http(s)` address on the site's own host.
    fn check_site_link(&self, value: &str, base: &Url) -> Result<(), OutputRefusal> {
        match base.join(value.trim()) {
            Ok(url)
                if matches!(url.scheme(), "http" | "https")
                    && url.host_str() == self.site.host_str() =>
            {
                Ok(())
            }
            _ => Err(OutputRefusal::LinkElsewhere {
                url: value.to_owned(),
            }),
        }
    }

    /// An HTML document, or a fragment of one (the HTML a feed carries).
    fn html(&self, text: &str, address: &Url, frame: Frame, found: &mut Found) {
        let sink = HtmlSink {
            verifier: self,
            address,
            frame,
            nodes: RefCell::new(vec![Node::other()]),
            line: Cell::new(1),
            found: RefCell::new(Found::default()),
        };
        let input = StrTendril::from_slice(text);
        let result = match frame {
            Frame::Document => html5ever::parse_document(sink, ParseOpts::default()).one(input),
            Frame::Fragment => html5ever::parse_fragment(
                sink,
                ParseOpts::default(),
                QualName::new(None, ns!(html), local_name!("body")),
                Vec::new(),
                false,
            )
            .one(input),
        };
        found.extend(result);
    }

    /// A feed, the sitemap, or another XML file.
    fn xml(&self, text: &str, address: &Url, found: &mut Found) {
        let Some(document) = read_xml(text, found) else {
            return;
        };
        // Nodes come in document order: one cursor finds every line in a single pass,
        // however many are refused (each counted from the start was quadratic).
        let cursor = std::cell::RefCell::new(crate::diagnostics::LineCursor::new(text));
        let line_of =
            |node: roxmltree::Node| Some(cursor.borrow_mut().position(node.range().start).line);
        for node in document.descendants() {
            if found.is_full() {
                return;
            }
            match node.node_type() {
                roxmltree::NodeType::PI => found.push(line_of(node), processing_instruction(node)),
                roxmltree::NodeType::Text => {
                    if let Some(c) = node.text().and_then(forbidden_character) {
                        found.push(line_of(node), character(c));
                    }
                }
                roxmltree::NodeType::Element => {
                    let name = node.tag_name().name();
                    let mut refused = Vec::new();
                    xml_attributes(node, &mut refused);
                    for attribute in node.attributes() {
                        let is_link = attribute.name() == "href"
                            || (name == "enclosure" && attribute.name() == "url");
                        if is_link && let Err(r) = self.check_site_link(attribute.value(), address)
                        {
                            refused.push(r);
                        }
                    }
                    let permalink = match name {
                        "link" | "loc" => true,
                        "guid" => node.attribute("isPermaLink") != Some("false"),
                        _ => false,
                    };
                    let own_text =
                        || -> String { node.children().filter_map(|c| c.text()).collect() };
                    if permalink {
                        let link = own_text();
                        if !link.trim().is_empty()
                            && let Err(r) = self.check_site_link(&link, address)
                        {
                            refused.push(r);
                        }
                    }
                    // Feed readers show these as HTML.
                    if matches!(name, "description" | "encoded") {
                        let mut inner = Found::default();
                        self.html(&own_text(), address, Frame::Fragment, &mut inner);
                        refused.extend(inner.0.into_iter().map(|f| f.refusal));
                    }
                    if !refused.is_empty() {
                        let line = line_of(node);
                        for r in refused {
                            found.push(line, r);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// An SVG image: a document the browser runs when it is opened on its own.
    fn svg(&self, text: &str, address: &Url, found: &mut Found) {
        let Some(document) = read_xml(text, found) else {
            return;
        };
        // Nodes come in document order: one cursor finds every line in a single pass,
        // however many are refused (each counted from the start was quadratic).
        let cursor = std::cell::RefCell::new(crate::diagnostics::LineCursor::new(text));
        let line_of =
            |node: roxmltree::Node| Some(cursor.borrow_mut().position(node.range().start).line);
        for node in document.descendants() {
            if found.is_full() {
                return;
            }
            match node.node_type() {
                roxmltree::NodeType::PI => found.push(line_of(node), processing_instruction(node)),
                roxmltree::NodeType::Text => {
                    if let Some(c) = node.text().and_then(forbidden_character) {
                        found.push(line_of(node), character(c));
                    }
                }
                roxmltree::NodeType::Element => {
                    let name = node.tag_name().name();
                    let in_svg = node
                        .tag_name()
                        .namespace()
                        .is_none_or(|n| n == SVG_NAMESPACE);
                    if !in_svg || !content_policy::SVG_ELEMENTS.contains(&name) {
                        found.push(
                            line_of(node),
                            OutputRefusal::Element {
                                name: name.to_owned(),
                            },
                        );
                        continue;
                    }
                    let mut refused = Vec::new();
                    xml_attributes(node, &mut refused);
                    if name == "style" {
                        let style: String = node.children().filter_map(|c| c.text()).collect();
                        refused.extend(
                            content_policy::check_style(&style)
                                .into_iter()
                                .map(from_policy),
                        );
                    }
                    for attribute in node.attributes() {
                        let (attribute_name, value) = (attribute.name(), attribute.value());
                        if content_policy::is_event_handler(attribute_name) {
                            refused.push(OutputRefusal::EventHandler {
                                name: attribute_name.to_owned(),
                            });
                        } else if attribute_name == "href" {
                            if !value.trim_start().starts_with('#')
                                && let Err(r) = self.check_load(value, address)
                            {
                                refused.push(r);
                            }
                        } else if attribute_name == "style" || value.contains('(') {
                            // Presentation attributes are CSS (`fill="URL(…)"`): any
                            // function in one is read as the browser reads CSS.
                            refused.extend(
                                content_policy::check_style(value)
                                    .into_iter()
                                    .map(from_policy),
                            );
                        }
                    }
                    if !refused.is_empty() {
                        let line = line_of(node);
                        for r in refused {
                            found.push(line, r);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// What is refused in one file, at most [`MOST_FINDINGS`] of it.
#[derive(Debug, Default)]
struct Found(Vec<Finding>);

impl Found {
    fn push(&mut self, line: Option<usize>, refusal: OutputRefusal) {
        if !self.is_full() && !self.0.iter().any(|f| f.refusal == refusal) {
            self.0.push(Finding { line, refusal });
        }
    }

    fn extend(&mut self, findings: Found) {
        for f in findings.0 {
            self.push(f.line, f.refusal);
        }
    }

    fn is_full(&self) -> bool {
        self.0.len() >= MOST_FINDINGS
    }
}

/// Whether a URL stays on the page's origin whatever the page's address: a path from
/// the root (`/x`, not `//host`), a fragment, a query, or a relative path with no
/// scheme. Checked without parsing, since nearly every URL a page has is one of these;
/// anything else is resolved in full.
fn stays_on_origin(value: &str) -> bool {
    let bytes = value.as_bytes();
    match bytes.first() {
        None | Some(b'#' | b'?') => true,
        Some(b'/') => !matches!(bytes.get(1), Some(b'/' | b'\\' | b'\t' | b'\n' | b'\r')),
        Some(c) if c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b'%' | b'~') => {
            // A colon before the first `/`, `?` or `#` could end a scheme.
            let head = value.split(['/', '?', '#']).next().unwrap_or(value);
            !head.contains(':') && !head.bytes().any(|b| b <= b' ' || b == b'\\')
        }
        _ => false,
    }
}

/// Reads an XML file with a conforming reader, no DTD, no `<!DOCTYPE>` at all.
fn read_xml<'a>(text: &'a str, found: &mut Found) -> Option<roxmltree::Document<'a>> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    match roxmltree::Document::parse_with_options(text, options) {
        Ok(document) => {
            // roxmltree accepts a DOCTYPE without declarations; none is needed, and a
            // reader may act on one.
            let prolog = &text[..document.root_element().range().start];
            if prolog.contains("<!DOCTYPE") {
                found.push(
                    Some(line_at(&document, prolog.find("<!DOCTYPE").unwrap_or(0)).unwrap_or(1)),
                    OutputRefusal::Element {
                        name: "!DOCTYPE".into(),
                    },
                );
            }
            Some(document)
        }
        Err(e) => {
            found.push(
                usize::try_from(e.pos().row).ok(),
                OutputRefusal::NotWellFormed {
                    detail: e.to_string(),
                },
            );
            None
        }
    }
}

/// The line of a byte offset of an XML document. Found from the start each time, so
/// only asked for what is refused (at most [`MOST_FINDINGS`] per file).
fn line_at(document: &roxmltree::Document, offset: usize) -> Option<usize> {
    usize::try_from(document.text_pos_at(offset).row).ok()
}

fn processing_instruction(node: roxmltree::Node) -> OutputRefusal {
    OutputRefusal::ProcessingInstruction {
        target: node.pi().map(|pi| pi.target.to_owned()).unwrap_or_default(),
    }
}

/// What every XML element's attributes are held to: no characters readers should not
/// get, and no `xml:base`, which would move every relative URL below it elsewhere.
fn xml_attributes(node: roxmltree::Node, refused: &mut Vec<OutputRefusal>) {
    for attribute in node.attributes() {
        if let Some(c) = forbidden_character(attribute.value()) {
            refused.push(character(c));
        }
        if attribute.namespace() == Some(XML_NAMESPACE) && attribute.name() == "base" {
            refused.push(OutputRefusal::Attribute {
                element: node.tag_name().name().to_owned(),
                name: "xml:base".into(),
            });
        }
    }
}

/// A style sheet, a `<style>` element or a `style` attribute, through the content
/// policy's CSS scan.
fn css(text: &str, line: Option<usize>, found: &mut Found) {
    for refusal in content_policy::check_style(text) {
        found.push(line, from_policy(refusal));
    }
}

/// Plain text: only its characters are checked.
fn characters(text: &str, line: Option<usize>, found: &mut Found) {
    if let Some(c) = forbidden_character(text) {
        found.push(line, character(c));
    }
}

fn character(c: char) -> OutputRefusal {
    OutputRefusal::Character { code: u32::from(c) }
}

/// A refusal of the content policy, as the output verifier words it.
fn from_policy(refusal: Refusal) -> OutputRefusal {
    match refusal {
        Refusal::Scheme { url, scheme } => OutputRefusal::Scheme { url, scheme },
        Refusal::OtherHost { url } => OutputRefusal::OtherHost { url },
        Refusal::Element { name } => OutputRefusal::Element { name },
        Refusal::Attribute { element, name } => OutputRefusal::Attribute { element, name },
        Refusal::EventHandler { name } => OutputRefusal::EventHandler { name },
        Refusal::ScriptInStyle => OutputRefusal::ScriptInStyle,
        Refusal::UrlInVariable => OutputRefusal::UrlInVariable,
        Refusal::NotWellFormed { detail } => OutputRefusal::NotWellFormed { detail },
        Refusal::OpenerLink => OutputRefusal::Opener,
        Refusal::ProcessingInstruction { target } => {
            OutputRefusal::ProcessingInstruction { target }
        }
        Refusal::CustomPropertyValue { .. } => OutputRefusal::UrlInVariable,
        // Written out, a link a browser reads as another host goes there: to the
        // verifier it is a URL leading elsewhere.
        Refusal::HostWrittenAsPath { url } => OutputRefusal::LinkElsewhere { url },
    }
}

/// The first character of a text that no reader should receive: the content policy's
/// one list (control characters other than tab and line breaks, noncharacters, which
/// make XML ill-formed, and bidirectional overrides and isolates), found by its scan.
pub fn forbidden_character(text: &str) -> Option<char> {
    content_policy::control_characters(text)
        .next()
        .map(|(_, c)| c)
}

/// Whether HTML is a whole page or the HTML a feed carries (text-level elements only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    Document,
    Fragment,
}

/// The HTML tree builder's sink: it keeps no tree, only what the checks need (each
/// node's name, for the builder's questions; the text of `<script>` and `<style>`)
/// and checks every element as it is made, every attribute merged into one, and every
/// piece of text as it is put anywhere.
struct HtmlSink<'v> {
    verifier: &'v Verifier,
    address: &'v Url,
    frame: Frame,
    /// Every node made, by handle; the document is 0.
    nodes: RefCell<Vec<Node>>,
    /// The line of the token being built, as the tokenizer says.
    line: Cell<u64>,
    found: RefCell<Found>,
}

struct Node {
    name: QualName,
    /// `<script>` or `<style>` in the HTML namespace: their text is read.
    raw: Option<Raw>,
    line: u64,
    has_src: bool,
    text: String,
    /// A `<template>`'s contents, a node of their own.
    contents: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Raw {
    Script,
    Style,
}

impl Node {
    fn other() -> Node {
        Node {
            name: QualName::new(None, ns!(), LocalName::from("")),
            raw: None,
            line: 0,
            has_src: false,
            text: String::new(),
            contents: None,
        }
    }
}

impl HtmlSink<'_> {
    fn line(&self) -> Option<usize> {
        usize::try_from(self.line.get()).ok()
    }

    fn refuse(&self, refusal: OutputRefusal) {
        self.found.borrow_mut().push(self.line(), refusal);
    }

    fn add(&self, node: Node) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(node);
        nodes.len() - 1
    }

    fn element_allowed(&self, name: &LocalName) -> bool {
        let known = &self.verifier.known;
        let (atoms, frame_elements): (_, &[&str]) = match self.frame {
            Frame::Document => (&known.document_elements, &DOCUMENT_ELEMENTS),
            Frame::Fragment => (&known.fragment_elements, &FRAGMENT_ELEMENTS),
        };
        atoms.contains(name)
            || content_policy::element_allowed(name)
            || frame_elements.contains(&&**name)
    }

    fn attribute_allowed(&self, element: &LocalName, name: &LocalName) -> bool {
        let known = &self.verifier.known;
        known.global_attributes.contains(name)
            || known
                .element_attributes
                .iter()
                .any(|(e, a)| a == name && e == element)
            || content_policy::attribute_allowed(element, name)
            || DOCUMENT_ATTRIBUTES
                .iter()
                .any(|(e, names)| **e == **element && names.contains(&&**name))
    }

    /// Checks an element as the tree builder makes it (or merges attributes into it).
    fn check_element(&self, name: &QualName, attributes: &[Attribute]) {
        let element_atom = &name.local;
        let element = &**element_atom;
        if name.ns != ns!(html) || !self.element_allowed(element_atom) {
            self.refuse(OutputRefusal::Element {
                name: element.to_owned(),
            });
            return;
        }
        let loads = element == "link"
            && attributes.iter().any(|a| {
                &*a.name.local == "rel"
                    && a.value
                        .split_ascii_whitespace()
                        .any(|r| LOADING_LINK_RELS.iter().any(|l| r.eq_ignore_ascii_case(l)))
            });
        for attribute in attributes {
            let name = &*attribute.name.local;
            let value = &*attribute.value;
            if let Some(c) = forbidden_character(value) {
                self.refuse(character(c));
            }
            // The tokenizer lowers the case of names in HTML.
            if content_policy::is_event_handler(name) {
                self.refuse(OutputRefusal::EventHandler {
                    name: name.to_owned(),
                });
                continue;
            }
            if attribute.name.ns != ns!()
                || !self.attribute_allowed(element_atom, &attribute.name.local)
            {
                self.refuse(OutputRefusal::Attribute {
                    element: element.to_owned(),
                    name: name.to_owned(),
                });
                continue;
            }
            let verifier = self.verifier;
            let checked = match name {
                "style" => {
                    let mut found = Found::default();
                    css(value, self.line(), &mut found);
                    self.found.borrow_mut().extend(found);
                    Ok(())
                }
                "rel" => self.check_rel(element, value),
                "http-equiv" if !value.trim().eq_ignore_ascii_case(ALLOWED_HTTP_EQUIV) => {
                    Err(OutputRefusal::HttpEquiv {
                        value: value.to_owned(),
                    })
                }
                "srcset" => {
                    srcset_urls(value).try_for_each(|url| verifier.check_load(url, self.address))
                }
                "href" if loads => verifier.check_load(value, self.address),
                _ => match content_policy::url_use(name) {
                    Some(content_policy::UrlUse::Load) => verifier.check_load(value, self.address),
                    Some(content_policy::UrlUse::Navigate) => {
                        verifier.check_navigation(value, self.address)
                    }
                    None => Ok(()),
                },
            };
            if let Err(r) = checked {
                self.refuse(r);
            }
        }
    }

    /// `rel` on a link: never `opener`; on `<link>`, only what the policy knows.
    fn check_rel(&self, element: &str, value: &str) -> Result<(), OutputRefusal> {
        for rel in value.split_ascii_whitespace() {
            if rel.eq_ignore_ascii_case("opener") {
                return Err(OutputRefusal::Opener);
            }
            if element == "link" && !LINK_RELS.iter().any(|l| rel.eq_ignore_ascii_case(l)) {
                return Err(OutputRefusal::LinkRel {
                    rel: rel.to_owned(),
                });
            }
        }
        Ok(())
    }

    fn text(&self, parent: Option<usize>, text: &str) {
        if let Some(c) = forbidden_character(text) {
            self.refuse(character(c));
        }
        let mut nodes = self.nodes.borrow_mut();
        if let Some(node) = parent.and_then(|p| nodes.get_mut(p))
            && node.raw.is_some()
        {
            node.text.push_str(text);
        }
    }
}

/// The URLs of a `srcset`, split as the HTML standard splits it: each candidate is a
/// run of non-space characters (commas inside it kept, trailing ones dropped) followed
/// by descriptors up to a comma outside parentheses.
fn srcset_urls(value: &str) -> impl Iterator<Item = &str> {
    let mut rest = value;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let (url, after) = rest.split_at(end);
        if url.ends_with(',') {
            rest = after;
            return Some(url.trim_end_matches(','));
        }
        // Descriptors: up to a comma outside parentheses.
        let mut depth = 0usize;
        let mut stop = after.len();
        for (i, c) in after.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    stop = i;
                    break;
                }
                _ => {}
            }
        }
        rest = &after[stop..];
        Some(url)
    })
}

impl TreeSink for HtmlSink<'_> {
    type Handle = usize;
    type Output = Found;
    type ElemName<'a>
        = Ref<'a, QualName>
    where
        Self: 'a;

    fn finish(self) -> Found {
        let mut found = self.found.into_inner();
        for node in self.nodes.into_inner() {
            let line = usize::try_from(node.line).ok();
            match node.raw {
                Some(Raw::Script) if !node.has_src || !node.text.trim().is_empty() => {
                    found.push(line, OutputRefusal::InlineScript);
                }
                Some(Raw::Style) => css(&node.text, line, &mut found),
                _ => {}
            }
        }
        found
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> usize {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> Ref<'a, QualName> {
        Ref::map(self.nodes.borrow(), |nodes| {
            // Handles are only ever made by `add`, so every one is in the list.
            &nodes.get(*target).unwrap_or(&nodes[0]).name
        })
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> usize {
        self.check_element(&name, &attrs);
        let raw = if name.ns == ns!(html) {
            match &*name.local {
                "script" => Some(Raw::Script),
                "style" => Some(Raw::Style),
                _ => None,
            }
        } else {
            None
        };
        let has_src = attrs.iter().any(|a| &*a.name.local == "src");
        let contents = flags.template.then(|| self.add(Node::other()));
        self.add(Node {
            name,
            raw,
            line: self.line.get(),
            has_src,
            text: String::new(),
            contents,
        })
    }

    fn create_comment(&self, _text: StrTendril) -> usize {
        self.add(Node::other())
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
        self.add(Node::other())
    }

    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        if let NodeOrText::AppendText(text) = child {
            self.text(Some(*parent), &text);
        }
    }

    fn append_based_on_parent_node(
        &self,
        _element: &usize,
        _prev_element: &usize,
        child: NodeOrText<usize>,
    ) {
        // Foster-parented text, next to a table: never inside `<script>` or `<style>`.
        if let NodeOrText::AppendText(text) = child {
            self.text(None, &text);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &usize) -> usize {
        self.nodes
            .borrow()
            .get(*target)
            .and_then(|n| n.contents)
            .unwrap_or(0)
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, _sibling: &usize, child: NodeOrText<usize>) {
        if let NodeOrText::AppendText(text) = child {
            self.text(None, &text);
        }
    }

    fn add_attrs_if_missing(&self, target: &usize, attrs: Vec<Attribute>) {
        // `<body onload>` later in the page adds to the body already made: checked as
        // the element it joins.
        let name = self.nodes.borrow().get(*target).map(|n| n.name.clone());
        if let Some(name) = name {
            self.check_element(&name, &attrs);
        }
    }

    fn remove_from_parent(&self, _target: &usize) {}

    fn reparent_children(&self, _node: &usize, _new_parent: &usize) {}

    fn set_current_line(&self, line_number: u64) {
        self.line.set(line_number);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verifier() -> Verifier {
        Verifier::new("https://example.jp/centre/")
    }

    fn refusals(path: &str, text: &str) -> Vec<OutputRefusal> {
        verifier()
            .verify(path, text.as_bytes())
            .into_iter()
            .map(|f| f.refusal)
            .collect()
    }

    fn page(head: &str, body: &str) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>t</title>\n{head}\n</head>\n<body class=\"page\">\n{body}\n</body>\n</html>\n"
        )
    }

    #[test]
    fn a_page_of_the_theme_passes() {
        let html = page(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">\n\
             <meta name=\"referrer\" content=\"no-referrer\">\n\
             <link rel=\"canonical\" href=\"https://example.jp/centre/about/\">\n\
             <link rel=\"alternate\" hreflang=\"en\" href=\"https://example.jp/centre/en/about/\">\n\
             <link rel=\"stylesheet\" href=\"/centre/css/site.css\">\n\
             <link rel=\"icon\" href=\"/centre/favicon.svg\" type=\"image/svg+xml\">\n\
             <meta property=\"og:image\" content=\"https://example.jp/centre/card.png\">\n\
             <script src=\"/centre/reload.js\" defer></script>",
            "<a class=\"skip-link\" href=\"#main\">skip</a>\n<main id=\"main\" tabindex=\"-1\">\n\
             <h1>見出し</h1><p><a href=\"https://www.pref.miyagi.jp/\" rel=\"noopener noreferrer\">県</a>\
             <a href=\"mailto:a@example.jp\">m</a><a href=\"tel:+81-22-000-0000\">t</a>\
             <img src=\"../files/a.png\" srcset=\"a.png 1x, /centre/b.png 2x\" alt=\"\">\
             <img src=\"https://example.jp/centre/c.png\" alt=\"\"></p>\
             <ruby>漢<rp>(</rp><rt>かん</rt><rp>)</rp></ruby>\
             <span style=\"color: red\">x</span>\
             <div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"表\">\
             <table><tr><th scope=\"col\">a</th></tr><tr><td>b</td></tr></table></div></main>",
        );
        assert_eq!(refusals("about/index.html", &html), Vec::new());
    }

    #[test]
    fn script_handlers_and_frames_are_refused_in_a_page() {
        for (head, body, expected) in [
            ("", "<script>alert(1)</script>", OutputRefusal::InlineScript),
            (
                "<script src=\"https://cdn.example/x.js\"></script>",
                "",
                OutputRefusal::OtherHost {
                    url: "https://cdn.example/x.js".into(),
                },
            ),
            (
                "",
                "<img src=\"/x\" alt=\"\" onerror=\"alert(1)\">",
                OutputRefusal::EventHandler {
                    name: "onerror".into(),
                },
            ),
            (
                "",
                "<iframe src=\"/x\"></iframe>",
                OutputRefusal::Element {
                    name: "iframe".into(),
                },
            ),
            (
                "<base href=\"https://evil.example/\">",
                "",
                OutputRefusal::Element {
                    name: "base".into(),
                },
            ),
            (
                "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
                "",
                OutputRefusal::HttpEquiv {
                    value: "refresh".into(),
                },
            ),
            (
                "<link rel=\"stylesheet\" href=\"https://cdn.example/a.css\">",
                "",
                OutputRefusal::OtherHost {
                    url: "https://cdn.example/a.css".into(),
                },
            ),
            (
                "<link rel=\"preconnect\" href=\"https://cdn.example/\">",
                "",
                OutputRefusal::LinkRel {
                    rel: "preconnect".into(),
                },
            ),
            (
                "",
                "<img src=\"//evil.example/x\" alt=\"\">",
                OutputRefusal::OtherHost {
                    url: "//evil.example/x".into(),
                },
            ),
            (
                "",
                "<img src=\"/\\evil.example/x\" alt=\"\">",
                OutputRefusal::OtherHost {
                    url: "/\\evil.example/x".into(),
                },
            ),
            (
                "",
                "<img src=\"/\t/evil.example/x\" alt=\"\">",
                OutputRefusal::OtherHost {
                    url: "/\t/evil.example/x".into(),
                },
            ),
            (
                "",
                "<img src=\"/a.png\" srcset=\"/a.png 1x, https://evil.example/b.png 2x\" alt=\"\">",
                OutputRefusal::OtherHost {
                    url: "https://evil.example/b.png".into(),
                },
            ),
            (
                "",
                "<a href=\"&#106;avascript:alert(1)\">x</a>",
                OutputRefusal::Scheme {
                    url: "javascript:alert(1)".into(),
                    scheme: "javascript".into(),
                },
            ),
            (
                "",
                "<a href=\"https://example.org/\" rel=\"opener\">x</a>",
                OutputRefusal::Opener,
            ),
            (
                "",
                "<details open ontoggle=\"alert(1)\"><summary>x</summary></details>",
                OutputRefusal::EventHandler {
                    name: "ontoggle".into(),
                },
            ),
            (
                "",
                "<h2 tabindex=\"0\">x</h2>",
                OutputRefusal::Attribute {
                    element: "h2".into(),
                    name: "tabindex".into(),
                },
            ),
            (
                "",
                "<svg><a href=\"/x\">x</a></svg>",
                OutputRefusal::Element { name: "svg".into() },
            ),
            (
                "",
                "<span style=\"background: url(https://evil.example/p.gif)\">x</span>",
                OutputRefusal::OtherHost {
                    url: "https://evil.example/p.gif".into(),
                },
            ),
            (
                "<style>@import url(/x.css);</style>",
                "",
                OutputRefusal::Element {
                    name: "style".into(),
                },
            ),
            ("", "a\u{202E}b", OutputRefusal::Character { code: 0x202E }),
            ("", "a\u{FFFF}b", OutputRefusal::Character { code: 0xFFFF }),
            (
                "",
                "<p title=\"\u{2066}x\">y</p>",
                OutputRefusal::Character { code: 0x2066 },
            ),
        ] {
            let html = page(head, body);
            let found = refusals("about/index.html", &html);
            assert!(found.contains(&expected), "{head}{body}: {found:?}");
        }
    }

    #[test]
    fn attributes_merged_into_the_body_are_checked() {
        let html = page("", "<p>x</p><body onload=\"alert(1)\">");
        assert_eq!(
            refusals("index.html", &html),
            vec![OutputRefusal::EventHandler {
                name: "onload".into()
            }]
        );
    }

    #[test]
    fn a_tag_finished_by_the_next_block_is_read_as_the_browser_reads_it() {
        // Two Markdown blocks, each harmless alone: the browser reads one <img>.
        let html = page(
            "",
            "<div>\n<img src=\"/x\" alt=\"\" title=\"\n<p><b title=\" onerror=alert(document.domain) \">x</b></p>",
        );
        let found = verifier().verify("about/index.html", html.as_bytes());
        assert!(
            found.iter().any(|f| f.refusal
                == OutputRefusal::EventHandler {
                    name: "onerror".into()
                }),
            "{found:?}"
        );
    }

    #[test]
    fn refusals_carry_the_line_of_the_output() {
        let html = "<!DOCTYPE html>\n<html>\n<head><title>t</title></head>\n<body>\n<p>x</p>\n<iframe></iframe>\n</body></html>";
        let found = verifier().verify("index.html", html.as_bytes());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, Some(6));
    }

    #[test]
    fn a_name_without_a_kind_is_refused_and_inert_files_pass_unread() {
        for name in ["x.php", "a.html.ja", "c.html.", "noextension", "x.js"] {
            assert_eq!(refusals(name, ""), vec![OutputRefusal::FileKind], "{name}");
        }
        assert_eq!(refusals("files/a.pdf", "<script>"), Vec::new());
        assert!(Verifier::reads("css/site.css"));
        assert!(!Verifier::reads("files/a.png"));
        assert_eq!(refusals("robots.txt", "User-agent: *\n"), Vec::new());
        assert_eq!(
            refusals("robots.txt", "a\u{202E}"),
            vec![OutputRefusal::Character { code: 0x202E }]
        );
    }

    #[test]
    fn a_large_text_file_is_read_a_piece_at_a_time() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let file = dir.path().join("a.txt");
        // Characters of three bytes across every 64 KiB boundary, then a bidi override.
        let mut text = "あ".repeat(100_000);
        std::fs::write(&file, &text).expect("write");
        assert_eq!(
            verifier().verify_file("files/a.txt", &file).expect("read"),
            Vec::new()
        );
        text.push('\u{202E}');
        std::fs::write(&file, &text).expect("write");
        assert_eq!(
            verifier().verify_file("files/a.txt", &file).expect("read"),
            vec![Finding {
                line: None,
                refusal: OutputRefusal::Character { code: 0x202E }
            }]
        );
        std::fs::write(&file, b"\x82\xa0 Shift_JIS").expect("write");
        assert_eq!(
            verifier().verify_file("files/a.txt", &file).expect("read"),
            Vec::new()
        );
    }

    #[test]
    fn style_sheets_may_not_import_or_hide_urls() {
        assert_eq!(
            refusals(
                "css/site.css",
                ":root { --text: #111; } body { color: var(--text); background: url(../a.png); }"
            ),
            Vec::new()
        );
        assert_eq!(
            refusals("css/site.css", "@import url(https://evil.example/a.css);"),
            vec![
                OutputRefusal::ScriptInStyle,
                OutputRefusal::OtherHost {
                    url: "https://evil.example/a.css".into()
                }
            ]
        );
        assert!(
            refusals(
                "css/site.css",
                "p { --u:\"https://evil.example/a.png\"; background-image: image-set(var(--u) 1x); }"
            )
            .contains(&OutputRefusal::UrlInVariable)
        );
        assert_eq!(
            refusals("css/site.css", "p { width: EXPRESSION(alert(1)) }"),
            vec![OutputRefusal::ScriptInStyle]
        );
    }

    const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 4 4\">";

    #[test]
    fn an_svg_draws_and_runs_nothing() {
        assert_eq!(
            refusals(
                "favicon.svg",
                &format!(
                    "<?xml version=\"1.0\"?>\n{SVG}<title>x</title><defs><linearGradient id=\"g\"/></defs>\
                     <rect fill=\"url(#g)\" width=\"4\" height=\"4\"/><use href=\"#g\"/>\
                     <image href=\"/centre/a.png\"/></svg>"
                )
            ),
            Vec::new()
        );
        for (svg, expected) in [
            (
                format!("<?xml-stylesheet href=\"https://evil.example/a.xsl\"?>\n{SVG}</svg>"),
                OutputRefusal::ProcessingInstruction {
                    target: "xml-stylesheet".into(),
                },
            ),
            (
                format!("{SVG}<script>alert(1)</script></svg>"),
                OutputRefusal::Element {
                    name: "script".into(),
                },
            ),
            (
                format!("{SVG}<foreignObject/></svg>"),
                OutputRefusal::Element {
                    name: "foreignObject".into(),
                },
            ),
            (
                format!("{SVG}<rect onclick=\"alert(1)\"/></svg>"),
                OutputRefusal::EventHandler {
                    name: "onclick".into(),
                },
            ),
            (
                format!("{SVG}<image xlink:href=\"https://evil.example/a.png\"/></svg>"),
                OutputRefusal::OtherHost {
                    url: "https://evil.example/a.png".into(),
                },
            ),
            (
                format!("{SVG}<rect fill=\"URL(https://evil.example/#a)\"/></svg>"),
                OutputRefusal::OtherHost {
                    url: "https://evil.example/#a".into(),
                },
            ),
            (
                format!(
                    "{SVG}<style>rect {{ --u: \"https://evil.example/a.png\"; fill: image-set(var(--u) 1x) }}</style></svg>"
                ),
                OutputRefusal::UrlInVariable,
            ),
            (
                format!("{SVG}<g xml:base=\"https://evil.example/\"/></svg>"),
                OutputRefusal::Attribute {
                    element: "g".into(),
                    name: "xml:base".into(),
                },
            ),
        ] {
            let found = refusals("files/map.svg", &svg);
            assert!(found.contains(&expected), "{svg}: {found:?}");
        }
    }

    #[test]
    fn an_svg_declares_no_doctype() {
        for doctype in [
            "<!DOCTYPE svg>",
            "<!DOCTYPE svg []>",
            "<!DOCTYPE svg [<!ENTITY a \"b\">]>",
        ] {
            let found = refusals("favicon.svg", &format!("{doctype}\n{SVG}</svg>"));
            assert!(
                matches!(
                    found.as_slice(),
                    [OutputRefusal::NotWellFormed { .. } | OutputRefusal::Element { .. }]
                ),
                "{doctype}: {found:?}"
            );
        }
    }

    const FEED_HEAD: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>";

    #[test]
    fn a_feed_links_only_to_the_site_and_carries_only_allowed_html() {
        let good = format!(
            "{FEED_HEAD}<title>t</title><link>https://example.jp/centre/news/</link>\
             <atom:link href=\"https://example.jp/centre/news/feed.xml\" rel=\"self\"/>\
             <item><title>a</title><link>https://example.jp/centre/news/a/</link>\
             <guid>https://example.jp/centre/news/a/</guid>\
             <description><![CDATA[<p>x <a href=\"https://www.pref.miyagi.jp/\">県</a></p>]]></description>\
             <content:encoded><![CDATA[<h2 id=\"a\">a</h2><div class=\"table-scroll\" role=\"region\" tabindex=\"0\"><table><tr><td>x</td></tr></table></div><p><img src=\"https://example.jp/centre/files/a.png\" alt=\"\"></p>]]></content:encoded>\
             </item></channel></rss>"
        );
        assert_eq!(refusals("news/feed.xml", &good), Vec::new());
        for (item, expected) in [
            (
                "<link>https://evil.example/</link>",
                OutputRefusal::LinkElsewhere {
                    url: "https://evil.example/".into(),
                },
            ),
            (
                "<guid>javascript:alert(1)</guid>",
                OutputRefusal::LinkElsewhere {
                    url: "javascript:alert(1)".into(),
                },
            ),
            (
                "<enclosure url=\"https://evil.example/a.mp3\" length=\"1\" type=\"audio/mpeg\"/>",
                OutputRefusal::LinkElsewhere {
                    url: "https://evil.example/a.mp3".into(),
                },
            ),
            (
                "<description>&lt;img src=x onerror=alert(1)&gt;</description>",
                OutputRefusal::EventHandler {
                    name: "onerror".into(),
                },
            ),
            (
                "<content:encoded><![CDATA[<script>alert(1)</script>]]></content:encoded>",
                OutputRefusal::Element {
                    name: "script".into(),
                },
            ),
            (
                "<title>a\u{FFFF}</title>",
                OutputRefusal::NotWellFormed {
                    detail: String::new(),
                },
            ),
            (
                "<?xml-stylesheet href=\"/a.xsl\"?>",
                OutputRefusal::ProcessingInstruction {
                    target: "xml-stylesheet".into(),
                },
            ),
        ] {
            let feed = format!("{FEED_HEAD}<item>{item}</item></channel></rss>");
            let found = refusals("news/feed.xml", &feed);
            let matches = found.iter().any(|f| match (&expected, f) {
                // roxmltree names the character and its place in its own words.
                (OutputRefusal::NotWellFormed { .. }, OutputRefusal::NotWellFormed { .. })
                | (OutputRefusal::NotWellFormed { .. }, OutputRefusal::Character { .. }) => true,
                _ => f == &expected,
            });
            assert!(matches, "{item}: {found:?}");
        }
    }

    #[test]
    fn a_guid_that_is_not_a_permalink_is_not_a_link() {
        let feed = format!(
            "{FEED_HEAD}<item><guid isPermaLink=\"false\">tag:example.jp,2026:1</guid></item></channel></rss>"
        );
        assert_eq!(refusals("news/feed.xml", &feed), Vec::new());
    }

    #[test]
    fn a_large_sitemap_or_svg_is_read_in_one_pass() {
        // A line looked up for each element (not only for what is refused) made these
        // quadratic: minutes for a sitemap of a large site.
        let urls: String = (0..30_000)
            .map(|i| format!("<url>\n<loc>https://example.jp/centre/p{i}/</loc>\n</url>\n"))
            .collect();
        let sitemap = format!(
            "<?xml version=\"1.0\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n{urls}</urlset>"
        );
        assert_eq!(refusals("sitemap.xml", &sitemap), Vec::new());
        let rects = "<rect width=\"1\" height=\"1\"/>\n".repeat(30_000);
        assert_eq!(
            refusals("files/map.svg", &format!("{SVG}{rects}</svg>")),
            Vec::new()
        );
    }

    #[test]
    fn srcset_candidates_are_split_as_the_standard_splits_them() {
        let urls: Vec<_> = srcset_urls(" a.png 1x,b,c.png 2x , d.png (x,y) 3x, e.png").collect();
        assert_eq!(urls, ["a.png", "b,c.png", "d.png", "e.png"]);
    }

    #[test]
    fn only_plain_paths_are_taken_as_staying_on_the_site_without_parsing() {
        for same in ["", "#a", "/a/", "a/b", "../x.png", "a.png?x=1:2"] {
            assert!(stays_on_origin(same), "{same}");
        }
        for other in [
            "//a",
            "/\\a",
            "javascript:x",
            " /a",
            "a:b",
            "\\\\a",
            "/\t/a",
        ] {
            assert!(!stays_on_origin(other), "{other}");
        }
    }

    #[test]
    fn forbidden_characters_are_found_by_their_bytes() {
        assert_eq!(forbidden_character("日本語（テスト）…—"), None);
        assert_eq!(forbidden_character("a\u{FDD0}"), Some('\u{FDD0}'));
        assert_eq!(forbidden_character("a\u{1FFFE}"), Some('\u{1FFFE}'));
        assert_eq!(forbidden_character("a\u{85}"), Some('\u{85}'));
        assert_eq!(forbidden_character("a\u{1b}[2J"), Some('\u{1b}'));
        assert_eq!(forbidden_character("\u{2069}"), Some('\u{2069}'));
        assert_eq!(forbidden_character("a\tb\r\nc\u{200F}"), None);
    }
}
