//! Accessibility rules checked on each page's Markdown as it is parsed (part of stage 2).
//!
//! Owns what can be wrong with a page's text for a screen-reader or keyboard user before
//! any template is involved: images without alternative text, headings that skip a
//! level, links with no text or with text that says nothing out of context, and a page
//! written in another language than its file name says. It also applies the
//! [`content_policy`](crate::content_policy) to every link, image and piece of raw
//! HTML, so that nothing in the text can run script or load from another host, and
//! finds phone numbers typed into the text: numbers live in the data files with their
//! sources, and a page shows them from there. Each finding is located at the line and
//! column where the author can fix it.

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use crate::content_policy::{self, UrlUse};
use crate::data::glossary::Glossary;
use crate::diagnostics::{Diagnostic, LineCursor, Problem};
use crate::load::SourceFile;
use crate::locale::Script;

/// Link texts that say nothing when a screen reader lists a page's links.
const VAGUE_LINK_TEXTS: [&str; 16] = [
    "こちら",
    "ここ",
    "こちらをクリック",
    "ここをクリック",
    "クリック",
    "詳しくはこちら",
    "詳細はこちら",
    "詳細",
    "click here",
    "click",
    "here",
    "more",
    "read more",
    "this",
    "this page",
    "link",
];

/// Below this many letters a page is too short to judge its language.
const LANGUAGE_SAMPLE: usize = 40;

/// The letters counted to judge a page's language; the rest of a long page is not read
/// for it.
const LANGUAGE_SAMPLE_MAX: usize = 4000;

/// Watches a page's Markdown events, with their byte ranges in the body.
pub struct Linter<'a> {
    source: &'a Path,
    text: &'a str,
    body_start: usize,
    cursor: LineCursor<'a>,
    lang: &'a str,
    /// The script the page's language is written in.
    script: Script,
    /// The page title is the `<h1>`, so the body starts below it.
    last_heading: usize,
    link: Option<Collected>,
    image: Option<Collected>,
    in_code: bool,
    /// The raw HTML block being read: pulldown-cmark gives it line by line, and a tag
    /// may span lines, so it is checked whole at its end.
    html_block: Option<HtmlBlock>,
    /// The run of text being read, for its furigana: (text, where each piece of it is
    /// in the body, offsets of `{` written escaped).
    ruby_run: (String, Vec<(usize, usize)>, Vec<usize>),
    /// Whether the body could hold a furigana at all; most pages cannot, and then
    /// their text runs are not gathered.
    may_have_ruby: bool,
    japanese: usize,
    latin: usize,
    findings: Vec<Diagnostic>,
}

/// A raw HTML block as it comes, and where each piece of it is in the body.
#[derive(Default)]
struct HtmlBlock {
    text: String,
    /// (offset in `text`, offset in the body) of each piece.
    pieces: Vec<(usize, usize)>,
}

/// The text of a link or image while its events go by.
struct Collected {
    text: String,
    start: usize,
    /// For a link: it holds an image with alternative text, which then names it.
    has_named_image: bool,
}

impl<'a> Linter<'a> {
    pub fn new(
        source: &'a Path,
        text: &'a str,
        body_start: usize,
        lang: &'a str,
        script: Script,
    ) -> Self {
        Linter {
            source,
            text,
            body_start,
            cursor: LineCursor::new(text),
            lang,
            script,
            last_heading: 1,
            link: None,
            image: None,
            in_code: false,
            html_block: None,
            ruby_run: (String::new(), Vec::new(), Vec::new()),
            may_have_ruby: crate::ruby::may_have_ruby(&text[body_start..]),
            japanese: 0,
            latin: 0,
            findings: Vec::new(),
        }
    }

    pub fn observe(&mut self, event: &Event, range: Range<usize>) {
        match event {
            _ if !self.may_have_ruby => {}
            Event::Text(text) if !self.in_code => {
                let (run, pieces, escaped) = &mut self.ruby_run;
                let source = &self.text[self.body_start..];
                if text.starts_with('{')
                    && range.start > 0
                    && source.as_bytes().get(range.start - 1) == Some(&b'\\')
                {
                    escaped.push(run.len());
                }
                pieces.push((run.len(), range.start));
                run.push_str(text);
            }
            _ => self.check_ruby(),
        }
        match event {
            Event::Start(Tag::Heading { level, attrs, .. }) => {
                self.heading(*level, range.start);
                self.heading_attributes(attrs, range.clone());
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                self.url(dest_url, UrlUse::Navigate, range.start);
                self.link = Some(Collected::at(range.start));
            }
            Event::End(TagEnd::Link) => self.end_link(),
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.url(dest_url, UrlUse::Load, range.start);
                self.image = Some(Collected::at(range.start));
            }
            Event::End(TagEnd::Image) => self.end_image(),
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::End(TagEnd::CodeBlock) => self.in_code = false,
            Event::Text(t) | Event::Code(t) => {
                self.text(t);
                self.phone_numbers(t, range);
            }
            Event::Start(Tag::HtmlBlock) => self.html_block = Some(HtmlBlock::default()),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(block) = self.html_block.take() {
                    self.raw_html(&block.text, &block.pieces);
                }
            }
            Event::Html(html) => match &mut self.html_block {
                Some(block) => {
                    block.pieces.push((block.text.len(), range.start));
                    block.text.push_str(html);
                }
                None => self.raw_html(html, &[(0, range.start)]),
            },
            Event::InlineHtml(html) => self.raw_html(html, &[(0, range.start)]),
            _ => {}
        }
    }

    /// The furigana of the text run that just ended, each malformed one at its `{`.
    fn check_ruby(&mut self) {
        let (run, pieces, escaped) = std::mem::take(&mut self.ruby_run);
        if !crate::ruby::may_have_ruby(&run) {
            return;
        }
        // Only the first error is wanted: found without holding the run's pieces.
        if let Some(error) = crate::ruby::first_error(&run, &escaped) {
            let (piece_start, body_start) = pieces
                .iter()
                .rev()
                .find(|(start, _)| *start <= error.at)
                .copied()
                .unwrap_or((0, 0));
            let offset = body_start + (error.at - piece_start);
            let d = self.locate(
                Problem::MalformedRuby {
                    problem: error.problem,
                },
                offset,
                true,
            );
            self.findings.push(d);
        }
    }

    pub fn finish(mut self) -> Vec<Diagnostic> {
        self.check_ruby();
        self.language();
        self.findings
    }

    fn locate(&mut self, problem: Problem, offset: usize, error: bool) -> Diagnostic {
        let position = self.cursor.position(self.body_start + offset);
        let diagnostic = if error {
            Diagnostic::error(problem)
        } else {
            Diagnostic::warning(problem)
        };
        diagnostic.at_offset(self.source, position, self.text)
    }

    fn heading(&mut self, level: HeadingLevel, offset: usize) {
        let level = level as usize;
        if level == 1 {
            let d = self.locate(Problem::HeadingLevelOne, offset, true);
            self.findings.push(d);
        } else if level > self.last_heading + 1 {
            let problem = Problem::SkippedHeading {
                from: self.last_heading,
                to: level,
            };
            let d = self.locate(problem, offset, true);
            self.findings.push(d);
        }
        self.last_heading = level;
    }

    /// The attributes of a heading's `{…}` block other than `#id` and `.class`: an error
    /// each, at the attribute, since any other (`onfocus`, `style`, `autofocus`) could
    /// run script or load from another host.
    fn heading_attributes(
        &mut self,
        attrs: &[(pulldown_cmark::CowStr, Option<pulldown_cmark::CowStr>)],
        range: Range<usize>,
    ) {
        if attrs.is_empty() {
            return;
        }
        let heading = self.text[self.body_start..]
            .get(range.clone())
            .unwrap_or_default();
        // pulldown-cmark takes the block from the heading's last `{`, so it holds none.
        // Its attributes come in the order written: each is looked for after the one
        // before, so a block of many attributes is read once.
        let block = heading.rfind('{').unwrap_or(0);
        let mut from = block;
        let mut lost = false;
        for (name, _) in attrs {
            let found = (!lost)
                .then(|| {
                    heading[from..].match_indices(name.as_ref()).find(|(i, _)| {
                        heading[..from + i]
                            .chars()
                            .next_back()
                            .is_some_and(|c| c == '{' || c.is_whitespace())
                    })
                })
                .flatten();
            let at = match found {
                Some((i, _)) => {
                    from += i + name.len();
                    from - name.len()
                }
                // Not found as written (an entity, say): the rest are shown at the
                // last one found rather than looked for again from there.
                None => {
                    lost = true;
                    from
                }
            };
            let d = self.locate(
                Problem::HeadingAttributeNotAllowed {
                    name: name.to_string(),
                },
                range.start + at,
                true,
            );
            self.findings.push(d);
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(image) = &mut self.image {
            image.text.push_str(text);
        } else if let Some(link) = &mut self.link {
            link.text.push_str(text);
        }
        // A few thousand letters tell a page's script as well as all of them would.
        if !self.in_code && self.japanese + self.latin < LANGUAGE_SAMPLE_MAX {
            for b in text.bytes() {
                if b.is_ascii_alphabetic() {
                    self.latin += 1;
                } else if starts_japanese(b) {
                    self.japanese += 1;
                }
            }
        }
    }

    /// A phone number typed into the text is reported: no source backs it, and a typo in
    /// it would send a reader to the wrong door.
    fn phone_numbers(&mut self, text: &str, range: Range<usize>) {
        for (at, written) in crate::phone::numbers_in_text(text) {
            // At the number where the text is the Markdown as written; where escapes
            // changed it, where the number is found in the Markdown, else at the text.
            let source = &self.text[self.body_start..];
            let written_here = source.get(range.clone());
            let offset = if written_here == Some(text) {
                range.start + at
            } else {
                written_here
                    .and_then(|s| s.find(&written))
                    .map_or(range.start, |i| range.start + i)
            };
            // A warning: `check` (and CI) fails on it, but an urgent announcement that quotes
            // a number is still published by `build`.
            let d = self.locate(Problem::PhoneInText { written }, offset, false);
            self.findings.push(d);
        }
    }

    fn end_image(&mut self) {
        let Some(image) = self.image.take() else {
            return;
        };
        if image.text.trim().is_empty() {
            let d = self.locate(Problem::ImageWithoutAlt, image.start, true);
            self.findings.push(d);
        } else if let Some(link) = &mut self.link {
            link.has_named_image = true;
        }
    }

    fn end_link(&mut self) {
        let Some(link) = self.link.take() else {
            return;
        };
        let text = link.text.trim();
        if text.is_empty() && !link.has_named_image {
            let d = self.locate(Problem::EmptyLink, link.start, true);
            self.findings.push(d);
        } else if is_vague(text) {
            let problem = Problem::VagueLinkText {
                text: text.to_owned(),
            };
            let d = self.locate(problem, link.start, false);
            self.findings.push(d);
        }
    }

    /// A link or image's destination, against the content policy.
    fn url(&mut self, dest: &str, usage: UrlUse, offset: usize) {
        if let Err(refusal) = content_policy::check_url(dest, usage) {
            let d = self.locate(refusal.into_problem(), offset, true);
            self.findings.push(d);
        }
    }

    /// Raw HTML, read as a browser reads it, against the content policy; `pieces` says
    /// where each part of `html` is in the body, to place each finding on its line.
    fn raw_html(&mut self, html: &str, pieces: &[(usize, usize)]) {
        let found = content_policy::check_html(html);
        if found.refusals.is_empty()
            && found.images_without_alt.is_empty()
            && found.unfinished.is_none()
        {
            return;
        }
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(html.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let body_offset = |line: usize| {
            let at = line_starts
                .get(line.saturating_sub(1))
                .copied()
                .unwrap_or(0);
            // The piece holding that line, and the line's place in it: found by halving,
            // since a block of many lines comes in as many pieces and a search from the
            // end for each finding made a block of many refused tags quadratic.
            let (piece_start, body_start) = pieces
                .partition_point(|(start, _)| *start <= at)
                .checked_sub(1)
                .and_then(|i| pieces.get(i))
                .copied()
                .unwrap_or((0, pieces.first().map_or(0, |p| p.1)));
            body_start + (at - piece_start)
        };
        for (line, refusal) in found.refusals {
            let d = self.locate(refusal.into_problem(), body_offset(line), true);
            self.findings.push(d);
        }
        for line in found.images_without_alt {
            let d = self.locate(Problem::ImageWithoutAlt, body_offset(line), true);
            self.findings.push(d);
        }
        if let Some(line) = found.unfinished {
            let d = self.locate(Problem::UnfinishedRawHtml, body_offset(line), true);
            self.findings.push(d);
        }
    }

    /// A page in a Japanese-script language is mostly kana and kanji; one in a Latin-script
    /// language mostly Latin letters, with Japanese names quoted here and there.
    fn language(&mut self) {
        let letters = self.japanese + self.latin;
        if letters < LANGUAGE_SAMPLE {
            return;
        }
        let japanese_share = self.japanese as f64 / letters as f64;
        let looks = match self.script {
            Script::Japanese if japanese_share < 0.2 => Script::Latin,
            Script::Latin if japanese_share > 0.5 => Script::Japanese,
            _ => return,
        };
        let problem = Problem::LanguageMismatch {
            declared: self.lang.to_owned(),
            looks,
        };
        let d = Diagnostic::warning(problem).in_file(self.source);
        self.findings.push(d);
    }
}

impl Collected {
    fn at(start: usize) -> Self {
        Collected {
            text: String::new(),
            start,
            has_named_image: false,
        }
    }
}

/// Wordings the site's glossary avoids, anywhere in a page file (its title, description
/// and text), each located where it is written so the editor can replace it.
pub fn avoided_terms(
    file: &SourceFile,
    lang: &str,
    default: &str,
    glossary: &Glossary,
) -> Vec<Diagnostic> {
    let uses = glossary.avoided_in(&file.text, lang, default);
    if uses.is_empty() {
        return Vec::new();
    }
    let mut cursor = LineCursor::new(&file.text);
    uses.into_iter()
        .map(|u| {
            let position = cursor.position(u.offset);
            Diagnostic::warning(Problem::AvoidedTerm {
                found: u.found,
                preferred: u.preferred,
            })
            .at_offset(&file.rel, position, &file.text)
        })
        .collect()
}

/// Whether a byte starts the UTF-8 form of a character that is most likely Japanese:
/// U+3000 to U+9FFF (punctuation, kana, kanji) and U+FF00 to U+FFEF (full-width forms).
/// Counting bytes rather than decoding characters keeps the language check cheap; the
/// few other characters in those ranges do not change a page's proportions.
fn starts_japanese(b: u8) -> bool {
    matches!(b, 0xE3..=0xE9 | 0xEF)
}

/// Hiragana, katakana, kanji and Japanese punctuation.
pub fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'   // CJK symbols and punctuation
        | '\u{3040}'..='\u{30FF}' // hiragana, katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FF01}'..='\u{FF60}' // full-width forms
        | '\u{FF61}'..='\u{FF9F}' // half-width katakana
    )
}

fn is_vague(text: &str) -> bool {
    let trimmed = text
        .trim_end_matches(['。', '.', '!', '！', ':', '：', '…', ' '])
        .to_lowercase();
    VAGUE_LINK_TEXTS.contains(&trimmed.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vague_texts_match_whole_and_ignore_case_and_full_stops() {
        assert!(is_vague("こちら"));
        assert!(is_vague("Click here."));
        assert!(is_vague("More"));
        assert!(!is_vague("相談窓口の一覧"));
        assert!(!is_vague("more about the family meeting"));
    }

    #[test]
    fn japanese_includes_kana_kanji_and_full_width_punctuation() {
        assert!("ひカ漢「」（）～".chars().all(is_japanese));
        assert!(!"Aa1 -.".chars().any(is_japanese));
    }
}
