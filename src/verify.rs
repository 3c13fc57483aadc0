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
//! seen as a browser sees them) — or first by a quick reader that follows the
//! standard's tokenizer over the shapes the generator writes and holds every start tag
//! to the same checks, leaving to the tree builder every page it is not sure of or
//! refuses (see `QuickPage`; the tree builder costs as much as the rest of a build);
//! every page must carry the site's content security and referrer policies as
//! `<meta>`s at the start of its `<head>` (`browser_policy`); feeds, the sitemap and SVG with roxmltree (a
//! conforming XML reader that refuses DTDs), style sheets with cssparser through
//! `content_policy`'s CSS scan. The elements and attributes allowed are
//! `content_policy`'s allow-lists, plus the few that only a document's frame uses
//! (`<html>`, `<head>`, `<meta>`, `<link>`, `<main>`, `<h1>`, `<script src>`), written
//! here once. Every URL a browser fetches by itself is resolved by `url_class` (the
//! `url` crate's WHATWG rules) against the file's own address and must land on the
//! site's origin;
//! every navigation must be relative or `https`, `http`, `mailto` or `tel`.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, LocalName, ParseOpts, QualName, local_name, ns};
use url::Url;

use crate::browser_policy;
use crate::content_policy::{self, Refusal};
use crate::diagnostics::{BrowserPolicy, OutputRefusal};
use crate::file_kinds::{FileKind, kind_of};
use crate::precompress::Encoding;
use crate::render::{open_data, search};
use crate::url_class;

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

/// Start tags the quick reader has read whole and passed, byte for byte from `<` to
/// `>`, with whether the element loads anything: the pages of one theme repeat the same
/// tags thousands of times (`<li>`, `<a href="/support/about/">`), and a tag already
/// passed is found with one hash instead of being read and checked again.
///
/// Only a tag whose verdict cannot depend on the page it is on, nor on the site's
/// address, is kept: it ends at its first `>` (so the same bytes up to there are the
/// same tag, read from the text state the quick reader is always in at a `<`), its
/// element is none of those the quick reader treats apart (`head`, `meta`, `script`,
/// `title` and the ones it leaves to the tree builder), and every URL in it stays on
/// the page's origin whatever the page's address ([`stays_on_origin`]); the allow-lists
/// are the same for every verifier. So one table per thread serves every verifier of
/// the process, and the threads of a build never wait on each other for it. Bounded, so
/// that a site of all-different tags only stops adding to it.
struct PassedTags;

/// At most this many tags are kept per thread (a few hundred kilobytes).
const PASSED_TAGS_KEPT: usize = 16_384;

thread_local! {
    static PASSED_TAGS: std::cell::RefCell<rustc_hash::FxHashMap<Box<[u8]>, bool>> =
        std::cell::RefCell::default();
}

impl PassedTags {
    /// Whether the tag loads anything, if it was passed before.
    fn get(tag: &[u8]) -> Option<bool> {
        PASSED_TAGS.with_borrow(|kept| kept.get(tag).copied())
    }

    /// Forgets every tag this thread kept, so that a test can verify as if for the
    /// first time.
    #[cfg(test)]
    fn forget() {
        PASSED_TAGS.with_borrow_mut(|kept| kept.clear());
    }

    fn keep(tag: &[u8], loads: bool) {
        PASSED_TAGS.with_borrow_mut(|kept| {
            if kept.len() < PASSED_TAGS_KEPT {
                kept.insert(tag.into(), loads);
            }
        });
    }
}

/// What the allow-lists allow, put in hash tables once per verifier so that each
/// element and attribute of a page is found with one comparison rather than a walk
/// through the lists (a large site has millions of them). Whatever is not found here is
/// decided by the lists themselves, so this only ever allows what they allow.
#[derive(Debug, Clone)]
struct Known {
    /// Elements of a page's text, and of the document's frame.
    document_elements: NameTable<&'static str>,
    /// Elements of a page's text alone, for the HTML of feeds.
    fragment_elements: NameTable<&'static str>,
    /// Attributes any allowed element may have.
    global_attributes: NameTable<&'static str>,
    /// Attributes of particular elements, as (element, attribute).
    element_attributes: NameTable<(&'static str, &'static str)>,
}

/// A key of a [`NameTable`]: a name, or an element's name with an attribute's.
trait NameKey: Copy {
    fn hash(self) -> u64;
}

/// FNV-1a, continued from `state`: names are a few bytes long, and known in advance.
fn fnv(state: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(state, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

impl NameKey for &str {
    fn hash(self) -> u64 {
        fnv(FNV_START, self.as_bytes())
    }
}

impl NameKey for (&str, &str) {
    fn hash(self) -> u64 {
        fnv(fnv(FNV_START, self.0.as_bytes()) ^ 0xff, self.1.as_bytes())
    }
}

/// A set of names with open addressing, at most half full.
#[derive(Debug, Clone)]
struct NameTable<K> {
    slots: Vec<Option<K>>,
}

impl<K: NameKey> NameTable<K> {
    fn new<'k>(keys: impl IntoIterator<Item = K>) -> NameTable<K>
    where
        K: PartialEq<K> + 'k,
    {
        let keys: Vec<K> = keys.into_iter().collect();
        let size = (keys.len() * 2).next_power_of_two().max(8);
        let mut table = NameTable {
            slots: vec![None; size],
        };
        for key in keys {
            if !table.contains(key) {
                let mask = size - 1;
                // At most half full: a free slot is always found.
                let mut at = (key.hash() as usize) & mask;
                while table.slots[at].is_some() {
                    at = (at + 1) & mask;
                }
                table.slots[at] = Some(key);
            }
        }
        table
    }

    fn contains<Q: NameKey + PartialEq<K>>(&self, key: Q) -> bool {
        let mask = self.slots.len() - 1;
        let mut at = (key.hash() as usize) & mask;
        while let Some(slot) = self.slots[at] {
            if key == slot {
                return true;
            }
            at = (at + 1) & mask;
        }
        false
    }
}

impl Known {
    fn new() -> Known {
        let text_elements: Vec<&'static str> = content_policy::ELEMENTS.to_vec();
        let mut document_elements = text_elements.clone();
        document_elements.extend(DOCUMENT_ELEMENTS);
        let mut fragment_elements = text_elements;
        fragment_elements.extend(FRAGMENT_ELEMENTS);
        let mut global_attributes = content_policy::GLOBAL_ATTRIBUTES.to_vec();
        global_attributes.push("style");
        // What the search page's script shows only once it has something to show.
        global_attributes.push("hidden");
        Known {
            document_elements: NameTable::new(document_elements),
            fragment_elements: NameTable::new(fragment_elements),
            global_attributes: NameTable::new(global_attributes),
            element_attributes: NameTable::new(
                content_policy::ELEMENT_ATTRIBUTES
                    .iter()
                    .chain(DOCUMENT_ATTRIBUTES.iter())
                    .flat_map(|(element, names)| names.iter().map(move |n| (*element, *n))),
            ),
        }
    }

    fn element_allowed(&self, frame: Frame, name: &str) -> bool {
        let (names, frame_elements): (_, &[&str]) = match frame {
            Frame::Document => (&self.document_elements, &DOCUMENT_ELEMENTS),
            Frame::Fragment => (&self.fragment_elements, &FRAGMENT_ELEMENTS),
        };
        names.contains(name)
            || content_policy::element_allowed(name)
            || frame_elements.contains(&name)
    }

    fn attribute_allowed(&self, element: &str, name: &str) -> bool {
        self.global_attributes.contains(name)
            || self.element_attributes.contains((element, name))
            || content_policy::attribute_allowed(element, name)
            || DOCUMENT_ATTRIBUTES
                .iter()
                .any(|(e, names)| *e == element && names.contains(&name))
    }
}

/// What a page's HTML may hold beyond a text's: the frame every page of a theme has.
const DOCUMENT_ELEMENTS: [&str; 13] = [
    "html", "head", "body", "title", "meta", "link", "main", "h1", "script", "form", "label",
    "input", "button",
];

/// What the HTML of a feed may hold beyond a text's: the frame a fragment is read in.
const FRAGMENT_ELEMENTS: [&str; 3] = ["h1", "html", "body"];

/// Attributes the generator itself writes, beside `content_policy`'s lists: those of
/// the document's frame, and the keyboard stop of a table's scrolling region (in pages
/// and in the HTML of feeds alike).
const DOCUMENT_ATTRIBUTES: [(&str, &[&str]); 9] = [
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
    // The search page's form: sent to the site only (`action` is checked as a load).
    ("form", &["action", "method"]),
    ("label", &["for"]),
    (
        "input",
        &[
            "type",
            "name",
            "value",
            "autocomplete",
            "enterkeyhint",
            "spellcheck",
            "autocapitalize",
        ],
    ),
    ("button", &["type"]),
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

    /// A compressed copy of a file these checks passed, read as a browser reads it:
    /// decoded, it must be that file byte for byte.
    pub fn verify_copy(original: &[u8], encoding: Encoding, copy: &[u8]) -> Vec<Finding> {
        if encoding.decodes_to(copy, original) {
            return Vec::new();
        }
        vec![Finding {
            line: None,
            refusal: OutputRefusal::CompressedCopy,
        }]
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
        if kind == FileKind::Script {
            // No script but the generator's own, whole, at its one path.
            if path == search::script_path() && bytes == search::SCRIPT.as_bytes() {
                return Vec::new();
            }
            return vec![Finding {
                line: None,
                refusal: OutputRefusal::ForeignScript,
            }];
        }
        if kind == FileKind::Inert
            && !search::is_index_file(path)
            && !open_data::is_open_data_file(path)
        {
            return Vec::new();
        }
        // Checked many bytes at a time: on Japanese pages the standard library's check
        // takes longer than all of the quick reader.
        let Ok(text) = simdutf8::basic::from_utf8(bytes) else {
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
        if search::is_index_file(path) {
            self.search_index(path, text, &address, &mut found);
            return found.0;
        }
        if open_data::is_open_data_file(path) {
            characters(text, None, &mut found);
            open_data_file(path, text, &mut found);
            return found.0;
        }
        match kind {
            // Nearly every page the build writes is read completely by the quick reader;
            // whatever it is not sure of (and anything refused, for its line and its
            // every finding) is read again by the tree builder.
            FileKind::Page if self.quick_page(text, &address) => {}
            FileKind::Page => self.html(text, &address, Frame::Document, &mut found),
            FileKind::Xml => self.xml(text, &address, &mut found),
            FileKind::Svg => self.svg(text, &address, &mut found),
            FileKind::StyleSheet => css(text, None, &mut found),
            FileKind::Text | FileKind::ServerSettings => characters(text, None, &mut found),
            FileKind::Inert | FileKind::Script => {}
        }
        found.0
    }

    /// A file of the site search's index, read as its script reads it: JSON, whose
    /// strings the script shows as text (never as markup), with every page's address
    /// on the site.
    fn search_index(&self, path: &str, text: &str, address: &Url, found: &mut Found) {
        /// What the script takes from a page's file as an address.
        #[derive(serde::Deserialize)]
        struct PageFile<'a> {
            #[serde(borrow)]
            url: Cow<'a, str>,
        }
        characters(text, None, found);
        let readable = if search::is_page_file(path) {
            match serde_json::from_str::<Option<PageFile>>(text) {
                Ok(Some(page)) => {
                    page.url.starts_with('/') && self.check_load(&page.url, address).is_ok()
                }
                Ok(None) => true,
                Err(_) => false,
            }
        } else {
            serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
        };
        if !readable {
            found.push(None, OutputRefusal::SearchIndex);
        }
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
        url_class::same_origin(url, &self.site)
    }

    /// A URL the browser fetches by itself, written in the file at `base`.
    fn check_load(&self, value: &str, base: &Url) -> Result<(), OutputRefusal> {
        if stays_on_origin(value) {
            return Ok(());
        }
        match url_class::resolve(value, base) {
            Some(url) if self.is_own_origin(&url) => Ok(()),
            Some(url) if !matches!(url.scheme(), "http" | "https") => Err(OutputRefusal::Scheme {
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
        match url_class::resolve(value, base) {
            Some(url) if NAVIGABLE_SCHEMES.contains(&url.scheme()) => Ok(()),
            Some(url) => Err(OutputRefusal::Scheme {
                url: value.to_owned(),
                scheme: url.scheme().to_owned(),
            }),
            // What no browser can read is followed nowhere; it is still not a link to
            // publish.
            None => Err(OutputRefusal::Scheme {
                url: value.to_owned(),
                scheme: String::new(),
            }),
        }
    }

    /// A link of a feed or the sitemap: an `http(s)` address on the site's own host.
    fn check_site_link(&self, value: &str, base: &Url) -> Result<(), OutputRefusal> {
        match url_class::resolve(value.trim(), base) {
            Some(url)
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
            head: Cell::new(None),
            loaded: Cell::new(false),
            policy_metas: RefCell::new(Vec::new()),
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
        walk_xml(text, found, |node| {
            let name = node.tag_name().name();
            let mut refused = Vec::new();
            xml_attributes(node, &mut refused);
            for attribute in node.attributes() {
                let is_link = attribute.name() == "href"
                    || (name == "enclosure" && attribute.name() == "url");
                if is_link && let Err(r) = self.check_site_link(attribute.value(), address) {
                    refused.push(r);
                }
            }
            let permalink = match name {
                "link" | "loc" => true,
                "guid" => node.attribute("isPermaLink") != Some("false"),
                _ => false,
            };
            let own_text = || -> String { node.children().filter_map(|c| c.text()).collect() };
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
            refused
        });
    }

    /// An SVG image: a document the browser runs when it is opened on its own.
    fn svg(&self, text: &str, address: &Url, found: &mut Found) {
        walk_xml(text, found, |node| {
            let name = node.tag_name().name();
            let in_svg = node
                .tag_name()
                .namespace()
                .is_none_or(|n| n == SVG_NAMESPACE);
            if !in_svg || !content_policy::SVG_ELEMENTS.contains(&name) {
                return vec![OutputRefusal::Element {
                    name: name.to_owned(),
                }];
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
            refused
        });
    }
}

/// Whether a `<script>` is the one kind of data block a page may hold: JSON-LD for
/// search engines, `type="application/ld+json"` exactly and no other attribute. A
/// script whose type names no script language is never run; only the generator's own
/// spelling is taken, so no other spelling has to be judged.
fn is_data_block<'v>(mut attributes: impl Iterator<Item = (&'v str, &'v str)>) -> bool {
    attributes.next() == Some(("type", "application/ld+json")) && attributes.next().is_none()
}

/// Whether a data block's text is JSON with no `<`: then no end tag or comment can
/// start inside it, and every reader finds the same text.
fn is_data_block_text(text: &str) -> bool {
    !text.contains('<') && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

/// The quick reader of pages.
///
/// html5ever's tokenizer and tree builder read about 60 MB of HTML a second, which on a
/// large site costs as much as building it. The quick reader follows the HTML standard's
/// tokenizer over the shapes the generator and its templates write, and gives up ("not
/// sure") on every other shape, so that what it passes is exactly what the tree
/// builder would pass: its tokens are the tokenizer's, and a check of every start tag
/// is stricter than a check of the tree, since the tree builder only adds safe implied
/// elements, moves or drops elements, copies attributes already seen, and merges later
/// `<html>` and `<body>` attributes, all of which are on start tags read here. It gives
/// up on:
/// - any refusal (the tree builder then finds all of them, each at its line);
/// - any forbidden character anywhere in the file, and any character reference but
///   `&amp;`, `&lt;`, `&gt;`, `&quot;` and numeric ones to ordinary characters;
/// - a tag or attribute name in capitals or other than ASCII letters, digits, `-`, `_`,
///   `:` and `.`, a repeated attribute, an attribute value holding a carriage return,
///   an unquoted value with a quote, `<`, `=` or backtick, an end tag with anything
///   after its name, `<?`, `</>`, `<!` that is not `<!--` or `<!DOCTYPE html>`, a
///   comment that ends abruptly or holds `--!`, a file ending inside a tag;
/// - any element that changes how the tokenizer reads what follows (`<svg>`, `<math>`,
///   `<style>`, `<textarea>`, `<iframe>`, `<noscript>`, `<plaintext>`, `<xmp>`,
///   `<noembed>`, `<noframes>`, `<template>`), except a `<script src>` closed at once
///   and a `<title>` holding no `<` before its `</title>`, which read the same in
///   every state the tree builder could put the tokenizer in;
/// - a page whose policy `<meta>`s are not each there once, with the site's value,
///   after `<head>`, before any end tag, any text but space and any element but
///   `<html>`, `<head>`, `<meta>` and `<title>` (text before them puts them in the
///   body, where the browser ignores them).
struct QuickPage {
    seen_head: bool,
    head_closed: bool,
    loaded: bool,
    content_security: usize,
    referrer: usize,
}

/// Whether a byte is space to the HTML tokenizer (a carriage return is read as a line
/// feed before tokenizing).
fn is_html_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

/// Whether a byte may be part of a name the quick reader reads.
fn is_quick_name_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b':' | b'.')
}

/// A character reference at `at` (an `&`): `Some((decoded, end))`, where `decoded` is
/// `None` for an `&` that starts none, or `None` when the quick reader is not sure.
fn quick_reference(text: &str, at: usize) -> Option<(Option<char>, usize)> {
    let rest = text.get(at + 1..)?;
    let bytes = rest.as_bytes();
    match bytes.first() {
        Some(b) if b.is_ascii_alphanumeric() => {
            for (name, c) in [("amp;", '&'), ("lt;", '<'), ("gt;", '>'), ("quot;", '"')] {
                if rest.starts_with(name) {
                    return Some((Some(c), at + 1 + name.len()));
                }
            }
            None
        }
        Some(b'#') => {
            let (digits, radix, skip) = match bytes.get(1) {
                Some(b'x' | b'X') => (&rest[2..], 16, 2),
                _ => (&rest[1..], 10, 1),
            };
            let length = digits
                .bytes()
                .take_while(|b| b.is_ascii_hexdigit() && (radix == 16 || b.is_ascii_digit()))
                .count();
            if length == 0 || length > 6 || digits.as_bytes().get(length) != Some(&b';') {
                return None;
            }
            let code = u32::from_str_radix(&digits[..length], radix).ok()?;
            // Zero, C1 controls (remapped to Windows-1252), surrogates and what lies
            // past Unicode are each read in a way of their own: left to the tree builder.
            let c = char::from_u32(code)?;
            let ordinary =
                c == '\t' || c == '\n' || (c >= ' ' && !('\u{7F}'..='\u{9F}').contains(&c));
            if !ordinary || forbidden_character(c.encode_utf8(&mut [0; 4])).is_some() {
                return None;
            }
            Some((Some(c), at + 1 + skip + length + 1))
        }
        _ => Some((None, at + 1)),
    }
}

/// An attribute's value with its character references replaced, or `None` when the
/// quick reader is not sure.
fn quick_value(raw: &str) -> Option<Cow<'_, str>> {
    if raw.contains('\r') {
        return None;
    }
    if !raw.contains('&') {
        return Some(Cow::Borrowed(raw));
    }
    let mut value = String::with_capacity(raw.len());
    let mut at = 0;
    while let Some(found) = raw[at..].find('&') {
        let amp = at + found;
        value.push_str(&raw[at..amp]);
        let (decoded, end) = quick_reference(raw, amp)?;
        value.push(decoded.unwrap_or('&'));
        at = end;
    }
    value.push_str(&raw[at..]);
    Some(Cow::Owned(value))
}

impl Verifier {
    /// Whether a whole page is read completely by the quick reader and passes; `false`
    /// when it is refused or the reader is not sure (see [`QuickPage`]).
    fn quick_page(&self, text: &str, address: &Url) -> bool {
        if forbidden_character(text).is_some() {
            return false;
        }
        let mut page = QuickPage {
            seen_head: false,
            head_closed: false,
            loaded: false,
            content_security: 0,
            referrer: 0,
        };
        let bytes = text.as_bytes();
        let mut attributes: Vec<(&str, Cow<str>)> = Vec::with_capacity(16);
        let mut at = 0;
        while let Some(found) = memchr::memchr2(b'<', b'&', &bytes[at..]) {
            let i = at + found;
            // Text other than space ends the head (and before `<head>`, starts the
            // body): a policy `<meta>` after it is not in the head.
            if !page.loaded && (bytes[i] == b'&' || !bytes[at..i].iter().all(|b| is_html_space(*b)))
            {
                page.loaded = true;
            }
            if bytes[i] == b'&' {
                // Text: only the characters it stands for are checked.
                let Some((_, end)) = quick_reference(text, i) else {
                    return false;
                };
                at = end;
                continue;
            }
            match bytes.get(i + 1) {
                Some(b) if b.is_ascii_alphabetic() => {
                    let Some(end) =
                        self.quick_start_tag(text, i + 1, address, &mut page, &mut attributes)
                    else {
                        return false;
                    };
                    at = end;
                }
                Some(b'/') => {
                    // `</name>`, and nothing else, after which the head is over.
                    let start = i + 2;
                    let length = bytes[start.min(bytes.len())..]
                        .iter()
                        .take_while(|b| is_quick_name_byte(**b))
                        .count();
                    if length == 0
                        || !bytes[start].is_ascii_lowercase()
                        || bytes.get(start + length) != Some(&b'>')
                    {
                        return false;
                    }
                    page.head_closed = true;
                    at = start + length + 1;
                }
                Some(b'!') => {
                    let rest = &text[i + 2..];
                    if let Some(comment) = rest.strip_prefix("--") {
                        if comment.starts_with('>') || comment.starts_with("->") {
                            return false;
                        }
                        let Some(close) = comment.find("-->") else {
                            return false;
                        };
                        if comment[..close + 2].contains("--!") {
                            return false;
                        }
                        at = i + 4 + close + 3;
                    } else if rest
                        .get(..13)
                        .is_some_and(|d| d.eq_ignore_ascii_case("DOCTYPE html>"))
                    {
                        at = i + 15;
                    } else {
                        return false;
                    }
                }
                Some(b'?') | None => return false,
                // A `<` that starts no tag is text.
                Some(_) => {
                    page.loaded = true;
                    at = i + 1;
                }
            }
        }
        page.content_security == 1 && page.referrer == 1
    }

    /// Whether the quick reader passes a page that the tree builder refuses: never, as
    /// the fuzz target for the verifier holds it to.
    pub(crate) fn quick_reader_passes_what_the_tree_builder_refuses(
        &self,
        path: &str,
        text: &str,
    ) -> bool {
        let address = self.address_of(path);
        if !self.quick_page(text, &address) {
            return false;
        }
        let mut found = Found::default();
        self.html(text, &address, Frame::Document, &mut found);
        !found.0.is_empty()
    }

    /// Reads the start tag whose name begins at `start` and checks it: where reading
    /// goes on, or `None` when refused or not sure.
    fn quick_start_tag<'t>(
        &self,
        text: &'t str,
        start: usize,
        address: &Url,
        page: &mut QuickPage,
        attributes: &mut Vec<(&'t str, Cow<'t, str>)>,
    ) -> Option<usize> {
        let bytes = text.as_bytes();
        // The tag up to its first `>`, as the cache of passed tags knows it.
        let first_close = memchr::memchr(b'>', &bytes[start..]).map(|at| start + at);
        if let Some(close) = first_close
            && let Some(loads) = PassedTags::get(&bytes[start - 1..=close])
        {
            if loads {
                page.loaded = true;
            }
            return Some(close + 1);
        }
        let name_end = start
            + bytes[start..]
                .iter()
                .take_while(|b| is_quick_name_byte(**b))
                .count();
        let element = &text[start..name_end];
        attributes.clear();
        let mut at = name_end;
        loop {
            while bytes.get(at).is_some_and(|b| is_html_space(*b)) {
                at += 1;
            }
            match bytes.get(at)? {
                b'>' => {
                    at += 1;
                    break;
                }
                b'/' if bytes.get(at + 1) == Some(&b'>') => {
                    at += 2;
                    break;
                }
                b if is_quick_name_byte(*b) && at > name_end && is_html_space(bytes[at - 1]) => {}
                _ => return None,
            }
            let name_start = at;
            while bytes.get(at).is_some_and(|b| is_quick_name_byte(*b)) {
                at += 1;
            }
            let name = &text[name_start..at];
            while bytes.get(at).is_some_and(|b| is_html_space(*b)) {
                at += 1;
            }
            let raw = if bytes.get(at) == Some(&b'=') {
                at += 1;
                while bytes.get(at).is_some_and(|b| is_html_space(*b)) {
                    at += 1;
                }
                match bytes.get(at)? {
                    quote @ (b'"' | b'\'') => {
                        let close = at + 1 + memchr::memchr(*quote, &bytes[at + 1..])?;
                        let value = &text[at + 1..close];
                        at = close + 1;
                        // The tokenizer reads on without a space; the quick reader
                        // asks for one, or for the tag's end.
                        if !bytes
                            .get(at)
                            .is_some_and(|b| is_html_space(*b) || matches!(b, b'>' | b'/'))
                        {
                            return None;
                        }
                        value
                    }
                    b'>' => return None,
                    _ => {
                        let value_start = at;
                        while bytes
                            .get(at)
                            .is_some_and(|b| !is_html_space(*b) && *b != b'>')
                        {
                            if matches!(bytes[at], b'"' | b'\'' | b'<' | b'=' | b'`') {
                                return None;
                            }
                            at += 1;
                        }
                        &text[value_start..at]
                    }
                }
            } else {
                if !bytes
                    .get(at)
                    .is_some_and(|b| is_html_space(*b) || matches!(b, b'>' | b'/'))
                    && bytes.get(at - 1).is_some_and(|b| !is_html_space(*b))
                {
                    return None;
                }
                ""
            };
            if attributes.iter().any(|(n, _)| *n == name) {
                return None;
            }
            attributes.push((name, quick_value(raw)?));
        }
        let mut refused = false;
        let listed = attributes.iter().map(|(n, v)| (*n, &**v));
        self.check_tag(
            Frame::Document,
            element,
            listed.clone(),
            address,
            &mut |_| {
                refused = true;
            },
        );
        if refused {
            return None;
        }
        match element {
            "head" => page.seen_head = true,
            "meta" => {
                if let Some((policy, value)) = policy_meta(listed) {
                    let count = match policy {
                        BrowserPolicy::ContentSecurity => &mut page.content_security,
                        BrowserPolicy::Referrer => &mut page.referrer,
                    };
                    *count += 1;
                    if value != policy_value(policy)
                        || !page.seen_head
                        || page.head_closed
                        || page.loaded
                    {
                        return None;
                    }
                }
            }
            "script" if is_data_block(attributes.iter().map(|(n, v)| (*n, v.as_ref()))) => {
                // Its text up to the first `<`, which must start its end tag: read the
                // same in every script state, and checked as the tree builder checks it.
                let close = at + memchr::memchr(b'<', &bytes[at..])?;
                if !text
                    .get(close..close + 9)
                    .is_some_and(|t| t.eq_ignore_ascii_case("</script>"))
                    || !is_data_block_text(&text[at..close])
                {
                    return None;
                }
                at = close + 9;
            }
            "script" => {
                // Only a script from a file, closed at once: no text to read in the
                // script states.
                let closed = text
                    .get(at..at + 9)
                    .is_some_and(|t| t.eq_ignore_ascii_case("</script>"));
                if !closed || !attributes.iter().any(|(n, _)| *n == "src") {
                    return None;
                }
                at += 9;
            }
            "title" => {
                // Read the same as text and as RCDATA: no `<` before `</title>`.
                let close = at + memchr::memchr(b'<', &bytes[at..])?;
                if !text
                    .get(close..close + 8)
                    .is_some_and(|t| t.eq_ignore_ascii_case("</title>"))
                {
                    return None;
                }
                let mut inner = at;
                while let Some(found) = memchr::memchr(b'&', &bytes[inner..close]) {
                    inner = quick_reference(text, inner + found)?.1;
                }
                at = close + 8;
            }
            "svg" | "math" | "style" | "textarea" | "iframe" | "noscript" | "plaintext" | "xmp"
            | "noembed" | "noframes" | "template" => return None,
            _ => {
                let same_on_every_page = attributes.iter().all(|(name, value)| match *name {
                    "srcset" => srcset_urls(value).all(stays_on_origin),
                    "href" => stays_on_origin(value),
                    name if content_policy::url_use(name).is_some() => stays_on_origin(value),
                    _ => true,
                });
                if same_on_every_page && first_close == Some(at - 1) {
                    PassedTags::keep(&bytes[start - 1..at], !loads_nothing(element));
                }
            }
        }
        if !loads_nothing(element) {
            page.loaded = true;
        }
        Some(at)
    }
}

/// The start of a page as the default theme writes it, up to and with its policy
/// `<meta>`s: what the tests and the fuzz target put before the HTML they try.
#[doc(hidden)]
pub fn policy_head() -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"referrer\" content=\"{}\">\n",
        browser_policy::CONTENT_SECURITY_POLICY.replace('\'', "&#39;"),
        browser_policy::REFERRER_POLICY
    )
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

/// Walks an XML file's nodes in document order, holding every node to what any XML
/// file is held to (no processing instruction, no forbidden character in text) and each
/// element to what `element` refuses; each refusal is placed at its node's line, found
/// by one cursor in a single pass, however many there are (each counted from the start
/// was quadratic).
fn walk_xml(
    text: &str,
    found: &mut Found,
    mut element: impl FnMut(roxmltree::Node) -> Vec<OutputRefusal>,
) {
    let Some(document) = read_xml(text, found) else {
        return;
    };
    let mut cursor = crate::diagnostics::LineCursor::new(text);
    for node in document.descendants() {
        if found.is_full() {
            return;
        }
        let refused = match node.node_type() {
            roxmltree::NodeType::PI => vec![processing_instruction(node)],
            roxmltree::NodeType::Text => node
                .text()
                .and_then(forbidden_character)
                .map(character)
                .into_iter()
                .collect(),
            roxmltree::NodeType::Element => element(node),
            _ => continue,
        };
        if !refused.is_empty() {
            let line = Some(cursor.position(node.range().start).line);
            for r in refused {
                found.push(line, r);
            }
        }
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
    /// The first `<head>` made, where the policy `<meta>`s must be put.
    head: Cell<Option<usize>>,
    /// Whether an element other than the head's frame (`<html>`, `<head>`, `<meta>`,
    /// `<title>`) has been made: one that may load something.
    loaded: Cell<bool>,
    /// Every policy `<meta>` made, in order.
    policy_metas: RefCell<Vec<PolicyMeta>>,
}

/// A `<meta>` that states one of the browser's policies, as the tree builder made it.
struct PolicyMeta {
    policy: BrowserPolicy,
    handle: usize,
    value: String,
    line: Option<usize>,
    /// Made before any element that may load something.
    early: bool,
    /// Put in the document's `<head>`.
    in_head: bool,
}

/// Which policy a `<meta>` with these attributes states, if any: the same question
/// for both readers of a page.
fn policy_meta<'a>(
    mut attributes: impl Iterator<Item = (&'a str, &'a str)> + Clone,
) -> Option<(BrowserPolicy, &'a str)> {
    let content = attributes
        .clone()
        .find(|(name, _)| *name == "content")
        .map_or("", |(_, value)| value);
    attributes.find_map(|(name, value)| match name {
        "http-equiv" if value.trim().eq_ignore_ascii_case(ALLOWED_HTTP_EQUIV) => {
            Some((BrowserPolicy::ContentSecurity, content))
        }
        "name" if value.trim().eq_ignore_ascii_case("referrer") => {
            Some((BrowserPolicy::Referrer, content))
        }
        _ => None,
    })
}

/// The value a policy `<meta>` must carry: the one definition of the policy.
fn policy_value(policy: BrowserPolicy) -> &'static str {
    match policy {
        BrowserPolicy::ContentSecurity => browser_policy::CONTENT_SECURITY_POLICY,
        BrowserPolicy::Referrer => browser_policy::REFERRER_POLICY,
    }
}

/// Whether an element belongs to the head's frame and loads nothing (the policy
/// `<meta>`s may follow it).
fn loads_nothing(element: &str) -> bool {
    matches!(element, "html" | "head" | "meta" | "title")
}

/// What is refused about a page's policy `<meta>`s: each policy exactly once, with the
/// site's value, in `<head>` before anything that loads.
fn check_policy_metas(metas: &[PolicyMeta], found: &mut Found) {
    for policy in [BrowserPolicy::ContentSecurity, BrowserPolicy::Referrer] {
        let mut stated = metas.iter().filter(|m| m.policy == policy);
        let Some(first) = stated.next() else {
            found.push(None, OutputRefusal::PolicyMissing { policy });
            continue;
        };
        if let Some(second) = stated.next() {
            found.push(second.line, OutputRefusal::PolicyRepeated { policy });
        }
        if first.value != policy_value(policy) {
            found.push(
                first.line,
                OutputRefusal::PolicyDiffers {
                    policy,
                    value: first.value.clone(),
                },
            );
        }
        if !first.early || !first.in_head {
            found.push(first.line, OutputRefusal::PolicyLate { policy });
        }
    }
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
    /// A `<script>` the browser keeps as data and never runs (see [`is_data_block`]).
    DataBlock,
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

    /// Checks an element as the tree builder makes it (or merges attributes into it).
    fn check_element(&self, name: &QualName, attributes: &[Attribute]) {
        if name.ns != ns!(html) {
            self.refuse(OutputRefusal::Element {
                name: name.local.to_string(),
            });
            return;
        }
        for attribute in attributes {
            if let Some(c) = forbidden_character(&attribute.value) {
                self.refuse(character(c));
            }
            // An attribute in a namespace is only ever made in foreign content, which
            // is refused above; named as written, it is refused below all the same.
            if attribute.name.ns != ns!() {
                self.refuse(OutputRefusal::Attribute {
                    element: name.local.to_string(),
                    name: attribute.name.local.to_string(),
                });
            }
        }
        self.verifier.check_tag(
            self.frame,
            &name.local,
            attributes.iter().map(|a| (&*a.name.local, &*a.value)),
            self.address,
            &mut |refusal| self.refuse(refusal),
        );
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

impl Verifier {
    /// Checks one start tag of HTML in a namespace of HTML: its element and every
    /// attribute, whichever reader found it. Characters are the caller's to check.
    fn check_tag<'a>(
        &self,
        frame: Frame,
        element: &str,
        attributes: impl Iterator<Item = (&'a str, &'a str)> + Clone,
        address: &Url,
        refuse: &mut dyn FnMut(OutputRefusal),
    ) {
        if !self.known.element_allowed(frame, element) {
            refuse(OutputRefusal::Element {
                name: element.to_owned(),
            });
            return;
        }
        let loads = element == "link"
            && attributes.clone().any(|(name, value)| {
                name == "rel"
                    && value
                        .split_ascii_whitespace()
                        .any(|r| LOADING_LINK_RELS.iter().any(|l| r.eq_ignore_ascii_case(l)))
            });
        for (name, value) in attributes {
            // The tokenizer lowers the case of names in HTML.
            if content_policy::is_event_handler(name) {
                refuse(OutputRefusal::EventHandler {
                    name: name.to_owned(),
                });
                continue;
            }
            if !self.known.attribute_allowed(element, name) {
                refuse(OutputRefusal::Attribute {
                    element: element.to_owned(),
                    name: name.to_owned(),
                });
                continue;
            }
            let checked = match name {
                "style" => {
                    for refusal in content_policy::check_style(value) {
                        refuse(from_policy(refusal));
                    }
                    Ok(())
                }
                "rel" => check_rel(element, value),
                "http-equiv" if !value.trim().eq_ignore_ascii_case(ALLOWED_HTTP_EQUIV) => {
                    Err(OutputRefusal::HttpEquiv {
                        value: value.to_owned(),
                    })
                }
                "srcset" => srcset_urls(value).try_for_each(|url| self.check_load(url, address)),
                "href" if loads => self.check_load(value, address),
                // A form sends what a reader typed: only ever to the site.
                "action" => self.check_load(value, address),
                _ => match content_policy::url_use(name) {
                    Some(content_policy::UrlUse::Load) => self.check_load(value, address),
                    Some(content_policy::UrlUse::Navigate) => self.check_navigation(value, address),
                    None => Ok(()),
                },
            };
            if let Err(r) = checked {
                refuse(r);
            }
        }
    }
}

/// `rel` on a link: never `opener`; on `<link>`, only what the policy knows.
fn check_rel(element: &str, value: &str) -> Result<(), OutputRefusal> {
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
        if self.frame == Frame::Document {
            check_policy_metas(&self.policy_metas.into_inner(), &mut found);
        }
        for node in self.nodes.into_inner() {
            let line = usize::try_from(node.line).ok();
            match node.raw {
                Some(Raw::DataBlock) if !is_data_block_text(&node.text) => {
                    found.push(line, OutputRefusal::StructuredData);
                }
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
                "script" if is_data_block(attrs.iter().map(|a| (&*a.name.local, &*a.value))) => {
                    Some(Raw::DataBlock)
                }
                "script" => Some(Raw::Script),
                "style" => Some(Raw::Style),
                _ => None,
            }
        } else {
            None
        };
        let has_src = attrs.iter().any(|a| &*a.name.local == "src");
        let contents = flags.template.then(|| self.add(Node::other()));
        let in_html = name.ns == ns!(html);
        let element = name.local.clone();
        let handle = self.add(Node {
            name,
            raw,
            line: self.line.get(),
            has_src,
            text: String::new(),
            contents,
        });
        if in_html && &*element == "head" && self.head.get().is_none() {
            self.head.set(Some(handle));
        }
        let policy = (in_html && &*element == "meta")
            .then(|| policy_meta(attrs.iter().map(|a| (&*a.name.local, &*a.value))))
            .flatten();
        if let Some((policy, value)) = policy {
            self.policy_metas.borrow_mut().push(PolicyMeta {
                policy,
                handle,
                value: value.to_owned(),
                line: self.line(),
                early: !self.loaded.get(),
                in_head: false,
            });
        } else if !in_html || !loads_nothing(&element) {
            self.loaded.set(true);
        }
        handle
    }

    fn create_comment(&self, _text: StrTendril) -> usize {
        self.add(Node::other())
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
        self.add(Node::other())
    }

    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        match child {
            NodeOrText::AppendText(text) => self.text(Some(*parent), &text),
            NodeOrText::AppendNode(child) => {
                if self.head.get() == Some(*parent) {
                    for meta in self.policy_metas.borrow_mut().iter_mut() {
                        if meta.handle == child {
                            meta.in_head = true;
                        }
                    }
                }
            }
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

/// Open data read as its readers read it: the CSV as a spreadsheet opens it (rows of the
/// header's length, no cell it would run as a formula), the JSON as a list of rows whose
/// values are text.
fn open_data_file(path: &str, text: &str, found: &mut Found) {
    if path.ends_with(".csv") {
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(false)
            .from_reader(body.as_bytes());
        for record in reader.records() {
            let Ok(record) = record else {
                found.push(None, OutputRefusal::OpenData);
                return;
            };
            if record.iter().any(runs_as_a_formula) {
                let line = record.position().map(|p| p.line() as usize);
                found.push(line, OutputRefusal::SpreadsheetFormula);
            }
        }
    } else {
        type Rows = Vec<std::collections::BTreeMap<String, String>>;
        if serde_json::from_str::<Rows>(text).is_err() {
            found.push(None, OutputRefusal::OpenData);
        }
    }
}

/// Whether a spreadsheet would take a cell for a formula (OWASP's CSV injection).
fn runs_as_a_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
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
            "{}<title>t</title>\n{head}\n</head>\n<body class=\"page\">\n{body}\n</body>\n</html>\n",
            policy_head()
        )
    }

    #[test]
    fn a_page_of_the_theme_passes() {
        let html = page(
            "<link rel=\"canonical\" href=\"https://example.jp/centre/about/\">\n\
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

    /// A page as the theme writes it, with text of every shape the generator writes.
    fn theme_page() -> String {
        page(
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <link rel=\"canonical\" href=\"https://example.jp/centre/about/\">\n\
             <link rel=\"stylesheet\" href=\"/centre/css/site.css\">\n\
             <meta property=\"og:title\" content=\"A &amp; B &quot;c&quot; &#39;d&#39;\">\n\
             <script src=\"/centre/reload.js\" defer></script>\n\
             <script type=\"application/ld+json\">{\"@context\": \"https://schema.org\", \
             \"name\": \"a \\u003c/script\\u003e & b\"}</script>",
            "<!-- a comment -- with dashes -->\n<main id=main tabindex=\"-1\">\
             <h1>見出し &lt;x&gt; &#x2014; &#8212; a & b 1 < 2</h1><br/><hr >\
             <p title='x > y'><a href=\"/centre/a/?q=1&amp;r=2\">a</a></p>\
             <details open><summary>s</summary></details></main>",
        )
    }

    #[test]
    fn a_page_holds_data_for_search_engines_only_as_json_with_no_markup() {
        let block = |attributes: &str, text: &str| {
            page(&format!("<script{attributes}>{text}</script>"), "")
        };
        let json_ld = " type=\"application/ld+json\"";
        for (attributes, text, expected) in [
            (json_ld, "{\"name\": \"a \\u003c b\"}", vec![]),
            (json_ld, "[1, 2]", vec![]),
            (
                json_ld,
                "{\"name\": \"a\"",
                vec![OutputRefusal::StructuredData],
            ),
            (json_ld, "", vec![OutputRefusal::StructuredData]),
            (
                json_ld,
                "{\"name\": \"<!--\"}",
                vec![OutputRefusal::StructuredData],
            ),
            // The first `</script>` ends the element: what follows is read as markup.
            (
                json_ld,
                "{\"name\": \"</script><script>alert(1)</script>\"}",
                vec![OutputRefusal::StructuredData, OutputRefusal::InlineScript],
            ),
            // Any other spelling, type or attribute is a script, and runs.
            (
                " type=\"Application/LD+JSON\"",
                "{}",
                vec![OutputRefusal::InlineScript],
            ),
            (
                " type=\"text/javascript\"",
                "{}",
                vec![OutputRefusal::InlineScript],
            ),
            (" type=\"module\"", "{}", vec![OutputRefusal::InlineScript]),
            (
                " type=\"application/ld+json\" id=\"x\"",
                "{}",
                vec![OutputRefusal::InlineScript],
            ),
        ] {
            let html = block(attributes, text);
            assert_eq!(refusals("about/index.html", &html), expected, "{html}");
        }
    }

    #[test]
    fn the_quick_reader_reads_a_theme_page_completely() {
        let address = verifier().address_of("about/index.html");
        assert!(verifier().quick_page(&theme_page(), &address));
        assert_eq!(refusals("about/index.html", &theme_page()), Vec::new());
    }

    #[test]
    fn the_quick_reader_gives_up_on_what_it_does_not_read_as_the_tokenizer_does() {
        // Each shape passes the tree builder, or is refused by it; the quick reader
        // leaves every one to it.
        let address = verifier().address_of("about/index.html");
        for body in [
            "<P>x</P>",
            "<p CLASS=\"a\">x</p>",
            "<p>&hellip;</p>",
            "<p>&amp</p>",
            "<p title=\"&#0;\">x</p>",
            "<p>&#x80;</p>",
            "<p>&#x202E;</p>",
            "<p class=\"a\"class=\"b\">x</p>",
            "<p class=\"a\" class=\"b\">x</p>",
            "<p class=a\"b>x</p>",
            "<p>x</p\n>",
            "<p>x</ p>",
            "</>",
            "<?x?>",
            "<!x>",
            "<!-->",
            "<!--->",
            "<!-- a --!><p>x</p>-->",
            "<svg></svg>",
            "<style>p{}</style>",
            "<textarea></textarea>",
            "<title>a<b>c</b></title>",
            "<script src=\"/a.js\"> </script>",
            "<script></script>",
            "<p title=\"a\rb\">x</p>",
            "<p title=\"x",
            "<p>\u{202E}</p>",
        ] {
            let html = page("", body);
            assert!(!verifier().quick_page(&html, &address), "{body}");
        }
    }

    /// Tags of every kind the cache of passed tags must tell apart: URLs that stay on
    /// the origin wherever the page is and ones that do not, `>` inside values, and
    /// tags refused outright.
    const CACHE_PIECES: [&str; 16] = [
        "<p>x</p>",
        "<a href=\"/centre/x/\">a</a>",
        "<a href=\"../../x/\">a</a>",
        "<a href=\"//evil.example/\">a</a>",
        "<a href=\"https://example.jp/centre/x/\">a</a>",
        "<a href=\"javascript:alert(1)\">a</a>",
        "<a href=\"x\" onclick=\"y\">a</a>",
        "<img src=\"x.png\" alt=\"\">",
        "<img src=\"https://evil.example/x.png\" alt=\"\">",
        "<img src=\"https://example.jp/centre/x.png\" alt=\"\">",
        "<img src=\"/x.png\" alt=\"\" title=\"a>b\">",
        "<img srcset=\"a.png 1x, //evil.example/b.png 2x\" alt=\"\">",
        "<p title=\"a>b\">x</p>",
        "<p title=\"a\">",
        "<meta name=\"x\" content=\"y\">",
        "<link rel=\"stylesheet\" href=\"/centre/a.css\">",
    ];

    proptest::proptest! {
        /// A verifier, after other pages of other sites were read on its thread (and
        /// their passed tags kept), judges each page exactly as if none had been,
        /// wherever the page is.
        #[test]
        fn a_verifier_that_has_read_other_pages_judges_each_as_a_fresh_one(
            pages in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["https://example.jp/centre/", "https://other.example/"]),
                    proptest::sample::select(vec!["index.html", "a/index.html", "a/b/c/index.html"]),
                    proptest::collection::vec(proptest::sample::select(CACHE_PIECES.to_vec()), 0..10),
                ),
                1..8,
            )
        ) {
            // Tags are kept per thread, for every verifier: sites of other addresses
            // take turns here.
            for (site, path, pieces) in pages {
                let html = page("", &pieces.concat());
                let with_kept_tags = Verifier::new(site).verify(path, html.as_bytes());
                PassedTags::forget();
                let fresh = Verifier::new(site).verify(path, html.as_bytes());
                proptest::prop_assert_eq!(with_kept_tags, fresh, "{} {} {}", site, path, html);
                // Keep this page's tags for the next one.
                Verifier::new(site).verify(path, html.as_bytes());
            }
        }
    }

    #[test]
    fn the_quick_reader_never_passes_what_the_tree_builder_refuses_one_character_away() {
        // Every place in a theme page, with one character or tag put in or one
        // character taken out: whatever the quick reader then passes, the tree
        // builder passes.
        let page = theme_page();
        let verifier = verifier();
        let places: Vec<usize> = (0..=page.len())
            .filter(|i| page.is_char_boundary(*i))
            .collect();
        for &at in &places {
            for c in [
                "\"",
                "'",
                "<",
                ">",
                "&",
                "=",
                "/",
                "-",
                "!",
                " ",
                "x",
                "<p>",
                "</p>",
                "<table>",
                "<select>",
                "<template>",
                "</head>",
                "<body>",
                "<!--",
                "&#39;",
                "<math>",
            ] {
                let mut changed = page.clone();
                changed.insert_str(at, c);
                assert!(
                    !verifier.quick_reader_passes_what_the_tree_builder_refuses(
                        "about/index.html",
                        &changed
                    ),
                    "{c:?} at {at}: {changed}"
                );
            }
            if let Some(c) = page[at..].chars().next() {
                let mut changed = page.clone();
                changed.replace_range(at..at + c.len_utf8(), "");
                assert!(
                    !verifier.quick_reader_passes_what_the_tree_builder_refuses(
                        "about/index.html",
                        &changed
                    ),
                    "without {c:?} at {at}: {changed}"
                );
            }
        }
    }

    #[test]
    fn every_page_carries_the_browser_policy_once_at_the_start_of_its_head() {
        let csp = browser_policy::CONTENT_SECURITY_POLICY.replace('\'', "&#39;");
        let start = "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n";
        let csp_meta = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n");
        let referrer_meta = "<meta name=\"referrer\" content=\"no-referrer\">\n";
        let link = "<link rel=\"stylesheet\" href=\"/centre/css/site.css\">\n";
        let end = "<title>t</title>\n</head>\n<body>\n<p>x</p>\n</body>\n</html>\n";
        let content_security = BrowserPolicy::ContentSecurity;
        let referrer = BrowserPolicy::Referrer;
        for (head, expected) in [
            (
                format!("{referrer_meta}{link}"),
                OutputRefusal::PolicyMissing {
                    policy: content_security,
                },
            ),
            (
                format!("{csp_meta}{link}"),
                OutputRefusal::PolicyMissing { policy: referrer },
            ),
            (
                format!(
                    "<meta http-equiv=\"content-security-policy\" content=\"default-src *\">\n{referrer_meta}"
                ),
                OutputRefusal::PolicyDiffers {
                    policy: content_security,
                    value: "default-src *".into(),
                },
            ),
            (
                format!("{csp_meta}<meta name=\"referrer\" content=\"unsafe-url\">\n"),
                OutputRefusal::PolicyDiffers {
                    policy: referrer,
                    value: "unsafe-url".into(),
                },
            ),
            (
                format!("{csp_meta}{referrer_meta}{csp_meta}"),
                OutputRefusal::PolicyRepeated {
                    policy: content_security,
                },
            ),
            (
                format!("{link}{csp_meta}{referrer_meta}"),
                OutputRefusal::PolicyLate {
                    policy: content_security,
                },
            ),
        ] {
            let html = format!("{start}{head}{end}");
            let found = refusals("about/index.html", &html);
            assert!(found.contains(&expected), "{head}: {found:?}");
        }
        // In the body, the browser ignores a content security policy.
        let html = format!("{start}{referrer_meta}</head><body><p>x</p>{csp_meta}</body></html>");
        assert!(
            refusals("about/index.html", &html).contains(&OutputRefusal::PolicyLate {
                policy: content_security
            })
        );
        // The HTML a feed carries is no page, and needs none.
        let feed = format!(
            "{FEED_HEAD}<item><description>&lt;p&gt;x&lt;/p&gt;</description></item></channel></rss>"
        );
        assert_eq!(refusals("news/feed.xml", &feed), Vec::new());
    }

    #[test]
    fn a_compressed_copy_must_decode_to_its_file() {
        let page = b"<!DOCTYPE html><p>\xe7\x9b\xb8\xe8\xab\x87</p>".repeat(30);
        for encoding in [Encoding::Gzip, Encoding::Brotli] {
            let copy = encoding.encode(&page);
            assert!(Verifier::verify_copy(&page, encoding, &copy).is_empty());
            let mut other = page.clone();
            other[20] = b'x';
            let refused = Verifier::verify_copy(&other, encoding, &copy);
            assert_eq!(refused.len(), 1);
            assert_eq!(refused[0].refusal, OutputRefusal::CompressedCopy);
        }
        let refused = Verifier::verify_copy(&page, Encoding::Gzip, b"not gzip");
        assert_eq!(refused[0].refusal, OutputRefusal::CompressedCopy);
    }

    #[test]
    fn no_script_but_the_sites_own_search_script_is_published() {
        let refusals = |path: &str, bytes: &[u8]| -> Vec<OutputRefusal> {
            verifier()
                .verify(path, bytes)
                .into_iter()
                .map(|f| f.refusal)
                .collect()
        };
        let own = search::SCRIPT.as_bytes();
        assert!(refusals(&search::script_path(), own).is_empty());
        assert_eq!(
            refusals(&search::script_path(), b"alert(1)"),
            [OutputRefusal::ForeignScript]
        );
        assert_eq!(
            refusals("files/search.js", own),
            [OutputRefusal::ForeignScript]
        );
    }

    #[test]
    fn the_search_index_is_read_as_its_script_reads_it() {
        let refusals = |path: &str, text: &str| -> Vec<OutputRefusal> {
            verifier()
                .verify(path, text.as_bytes())
                .into_iter()
                .map(|f| f.refusal)
                .collect()
        };
        let page = |url: &str| {
            format!(r#"{{"url":"{url}","title":"t","section":null,"text":"x","readings":[]}}"#)
        };
        assert!(refusals("_search/ja/d/0.json", &page("/centre/about/")).is_empty());
        assert!(refusals("_search/ja/t/0.json", r#"{"家族":[0,9]}"#).is_empty());
        for url in [
            "https://evil.example/",
            "//evil.example/x",
            "javascript:alert(1)",
        ] {
            assert_eq!(
                refusals("_search/ja/d/0.json", &page(url)),
                [OutputRefusal::SearchIndex],
                "{url}"
            );
        }
        assert_eq!(
            refusals("_search/ja/t/0.json", "{\"a\":[0,"),
            [OutputRefusal::SearchIndex]
        );
        assert_eq!(
            refusals("_search/ja/index.json", "{\"x\":\"\u{202E}\"}"),
            [OutputRefusal::Character { code: 0x202E }]
        );
        // A download named like JSON is not the index, and passes by its kind.
        assert!(refusals("files/data.json", "{").is_empty());
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
        let html = format!(
            "{}<title>t</title></head>\n<body>\n<p>x</p>\n<iframe></iframe>\n</body></html>",
            policy_head()
        );
        let found = verifier().verify("index.html", html.as_bytes());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, Some(10));
    }

    #[test]
    fn a_name_without_a_kind_is_refused_and_inert_files_pass_unread() {
        for name in ["x.php", "a.html.ja", "c.html.", "noextension"] {
            assert_eq!(refusals(name, ""), vec![OutputRefusal::FileKind], "{name}");
        }
        assert_eq!(refusals("x.js", ""), vec![OutputRefusal::ForeignScript]);
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
