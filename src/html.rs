//! Reading HTML the way a browser's tokenizer does, just far enough for the few facts
//! the site needs: where tags are, their names and attributes, and whether text sits
//! inside a raw-text element, a comment or a tag; and (`main_text`) the words of a page
//! as the site search takes them.
//!
//! Owns the scanner the Markdown transforms use to know where markup may be inserted
//! and which raw links open a new window. It is written here rather than taken from a
//! crate because the transforms must know the tokenizer's state between pieces of HTML
//! and at byte offsets inside them, which html5ever's tokenizer does not expose. It
//! runs in one pass, linear in its input. It decides nothing about safety: whether raw
//! HTML may be published at all is the [`content_policy`](crate::content_policy)'s
//! call, made with html5ever before any transform runs.
//!
//! So that the two readers cannot disagree, a property test feeds both the same HTML
//! (built from the pieces tokenizers get wrong: comments, bogus comments, raw-text end
//! tags, quotes, character references) and requires the same tags, attributes and
//! values, and the same answer to "would a tag written here be read as one". Values
//! are decoded by html5ever itself (`target="&#95;blank"` is `_blank`).

use std::cell::RefCell;

mod main_text;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Elements whose content a browser reads as text up to their own end tag (`<plaintext>`:
/// to the end of the page). Markup written inside one would show as literal tags.
pub const RAW_TEXT_ELEMENTS: [&str; 10] = [
    "textarea",
    "title",
    "script",
    "style",
    "xmp",
    "iframe",
    "noscript",
    "noembed",
    "noframes",
    "plaintext",
];

/// A tag, as a browser reads it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TagToken {
    /// Lower-case, as HTML names are.
    pub name: String,
    pub end: bool,
    /// The first `target` attribute's value, if any, decoded (`&#95;blank` is `_blank`).
    pub target: Option<String>,
    /// Where its `<` is in the piece of HTML it ends in; `None` when it began in an
    /// earlier piece.
    pub start: Option<usize>,
    /// Every attribute, names lower-cased and character references in values decoded,
    /// in the order written (a repeated name kept once, as browsers keep the first).
    pub attributes: Vec<(String, String)>,
}

/// The states of the HTML tokenizer that tell text from tags, comments and raw text,
/// after the HTML standard. Character references and doctypes need no states here: they
/// never hide a tag.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum ScanState {
    #[default]
    Data,
    TagOpen,
    EndTagOpen,
    TagName,
    BeforeAttributeName,
    AttributeName,
    AfterAttributeName,
    BeforeAttributeValue,
    /// Quoted by the character, or unquoted.
    AttributeValue(Option<char>),
    /// After `<!`, with the dashes seen (a comment opens with `<!--`).
    MarkupDeclaration(u8),
    CommentStart,
    CommentStartDash,
    /// With the dashes seen last, up to two: `-->` closes the comment.
    Comment(u8),
    CommentEndBang,
    /// `<?…>`, `<!DOCTYPE …>`, `</ …>`: ends at the first `>`.
    BogusComment,
    /// Inside a raw-text element, with how many characters of `</name` are seen.
    RawText(usize),
    Plaintext,
}

/// Reads HTML the way a browser's tokenizer does, just far enough to know where tags
/// are and whether text is inside a raw-text element, a comment or a tag. It follows
/// neither foreign content (`<svg>`, `<math>`: an SVG `<title>` counts as raw text,
/// which only leaves markup out; a CDATA section is taken to end at its first `>`) nor
/// the `<!--` escapes inside `<script>`: pages are not written with either.
#[derive(Debug, Default)]
pub struct HtmlScanner {
    state: ScanState,
    /// The raw-text element being read, while in [`ScanState::RawText`].
    raw_text: &'static str,
    tag: TagToken,
    attribute: String,
    value: String,
}

impl HtmlScanner {
    /// Whether a tag written now would be read as a tag: not inside a raw-text element,
    /// a comment or another tag.
    pub fn reads_tags(&self) -> bool {
        self.state == ScanState::Data
    }

    /// Reads more of the current piece, which starts `offset` bytes before `html`;
    /// adds the tags completed in it to `tags`.
    pub fn feed(&mut self, html: &str, offset: usize, tags: &mut Vec<TagToken>) {
        for (at, c) in html.char_indices() {
            self.state = self.step(offset + at, c, tags);
        }
    }

    /// Starts a new piece: a tag still open began in an earlier one.
    pub fn next_piece(&mut self) {
        self.tag.start = None;
    }

    fn step(&mut self, at: usize, c: char, tags: &mut Vec<TagToken>) -> ScanState {
        use ScanState::*;
        let space = matches!(c, '\t' | '\n' | '\x0C' | '\r' | ' ');
        match self.state {
            Data => self.tag_opens_if(c == '<', at, Data),
            TagOpen => match c {
                '/' => EndTagOpen,
                '!' => MarkupDeclaration(0),
                '?' => BogusComment,
                c if c.is_ascii_alphabetic() => {
                    self.tag.name.push(c.to_ascii_lowercase());
                    TagName
                }
                c => self.tag_opens_if(c == '<', at, Data),
            },
            EndTagOpen => match c {
                c if c.is_ascii_alphabetic() => {
                    self.tag.end = true;
                    self.tag.name.push(c.to_ascii_lowercase());
                    TagName
                }
                '>' => Data,
                _ => BogusComment,
            },
            TagName => match c {
                '>' => self.finish_tag(tags),
                '/' => BeforeAttributeName,
                _ if space => BeforeAttributeName,
                c => {
                    self.tag.name.push(c.to_ascii_lowercase());
                    TagName
                }
            },
            BeforeAttributeName => match c {
                '>' => self.finish_tag(tags),
                '/' => BeforeAttributeName,
                _ if space => BeforeAttributeName,
                c => self.attribute_name_starts(c),
            },
            AttributeName => match c {
                '>' => {
                    self.finish_attribute();
                    self.finish_tag(tags)
                }
                '=' => BeforeAttributeValue,
                '/' => {
                    self.finish_attribute();
                    BeforeAttributeName
                }
                _ if space => AfterAttributeName,
                c => {
                    self.attribute.push(c.to_ascii_lowercase());
                    AttributeName
                }
            },
            AfterAttributeName => match c {
                '>' => {
                    self.finish_attribute();
                    self.finish_tag(tags)
                }
                '=' => BeforeAttributeValue,
                '/' => {
                    self.finish_attribute();
                    BeforeAttributeName
                }
                _ if space => AfterAttributeName,
                c => {
                    self.finish_attribute();
                    self.attribute_name_starts(c)
                }
            },
            BeforeAttributeValue => match c {
                '"' | '\'' => AttributeValue(Some(c)),
                '>' => {
                    self.finish_attribute();
                    self.finish_tag(tags)
                }
                _ if space => BeforeAttributeValue,
                c => {
                    self.value.push(c);
                    AttributeValue(None)
                }
            },
            AttributeValue(Some(quote)) if c == quote => {
                self.finish_attribute();
                BeforeAttributeName
            }
            AttributeValue(None) if c == '>' => {
                self.finish_attribute();
                self.finish_tag(tags)
            }
            AttributeValue(None) if space => {
                self.finish_attribute();
                BeforeAttributeName
            }
            AttributeValue(quote) => {
                self.value.push(c);
                AttributeValue(quote)
            }
            MarkupDeclaration(0) if c == '-' => MarkupDeclaration(1),
            MarkupDeclaration(1) if c == '-' => CommentStart,
            MarkupDeclaration(_) if c == '>' => Data,
            MarkupDeclaration(_) => BogusComment,
            CommentStart | CommentStartDash if c == '>' => Data,
            CommentStart if c == '-' => CommentStartDash,
            CommentStartDash if c == '-' => Comment(2),
            CommentStart | CommentStartDash => Comment(0),
            Comment(dashes) => match c {
                '-' => Comment((dashes + 1).min(2)),
                '>' if dashes == 2 => Data,
                '!' if dashes == 2 => CommentEndBang,
                _ => Comment(0),
            },
            CommentEndBang => match c {
                '>' => Data,
                '-' => Comment(1),
                _ => Comment(0),
            },
            BogusComment => {
                if c == '>' {
                    Data
                } else {
                    BogusComment
                }
            }
            RawText(seen) => self.raw_text_step(seen, at, c, space, tags),
            Plaintext => Plaintext,
        }
    }

    /// A `<` starts a new tag, or what may become one; other characters stay `otherwise`.
    fn tag_opens_if(&mut self, opens: bool, at: usize, otherwise: ScanState) -> ScanState {
        if opens {
            self.tag = TagToken {
                start: Some(at),
                ..TagToken::default()
            };
            ScanState::TagOpen
        } else {
            otherwise
        }
    }

    /// Looks for the element's own end tag: `</name` then a space, `/` or `>`. Nothing
    /// else ends raw text.
    fn raw_text_step(
        &mut self,
        seen: usize,
        at: usize,
        c: char,
        space: bool,
        tags: &mut Vec<TagToken>,
    ) -> ScanState {
        let name = self.raw_text.as_bytes();
        let matches = match seen {
            1 => c == '/',
            n if (2..name.len() + 2).contains(&n) => {
                c.to_ascii_lowercase() == char::from(name[n - 2])
            }
            n if n == name.len() + 2 && (space || c == '/' || c == '>') => {
                self.tag.end = true;
                self.tag.name = self.raw_text.to_owned();
                return if c == '>' {
                    self.finish_tag(tags)
                } else {
                    ScanState::BeforeAttributeName
                };
            }
            _ => false,
        };
        if matches {
            ScanState::RawText(seen + 1)
        } else if c == '<' {
            self.tag = TagToken {
                start: Some(at),
                ..TagToken::default()
            };
            ScanState::RawText(1)
        } else {
            ScanState::RawText(0)
        }
    }

    fn attribute_name_starts(&mut self, c: char) -> ScanState {
        self.attribute.clear();
        self.value.clear();
        self.attribute.push(c.to_ascii_lowercase());
        ScanState::AttributeName
    }

    /// Keeps the attribute; a repeated one is ignored, as browsers do.
    fn finish_attribute(&mut self) {
        let name = std::mem::take(&mut self.attribute);
        let mut value = std::mem::take(&mut self.value);
        if value.contains('&') {
            value = decode_attribute_value(&value);
        }
        if name == "target" && self.tag.target.is_none() {
            self.tag.target = Some(value.clone());
        }
        if !self.tag.attributes.iter().any(|(n, _)| *n == name) {
            self.tag.attributes.push((name, value));
        }
    }

    fn finish_tag(&mut self, tags: &mut Vec<TagToken>) -> ScanState {
        let tag = std::mem::take(&mut self.tag);
        let raw = RAW_TEXT_ELEMENTS.iter().find(|n| **n == tag.name);
        let next = match raw {
            Some(&"plaintext") if !tag.end => ScanState::Plaintext,
            Some(name) if !tag.end => {
                self.raw_text = *name;
                ScanState::RawText(0)
            }
            _ => ScanState::Data,
        };
        tags.push(tag);
        next
    }
}

impl TagToken {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An attribute's value with its character references decoded (`&#95;blank` is
/// `_blank`), by html5ever, so that the rules for references in attributes (a legacy
/// `&amp` before `=` or a letter stays as written) are the browser's. `value` was read
/// up to its closing quote, so it lacks that quote; one with both quotes was unquoted,
/// and so holds no space or `>`.
fn decode_attribute_value(value: &str) -> String {
    let tag = if !value.contains('"') {
        format!("<x v=\"{value}\">")
    } else if !value.contains('\'') {
        format!("<x v='{value}'>")
    } else {
        format!("<x v={value}>")
    };
    let tokenizer = Tokenizer::new(FirstValue::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&tag));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer
        .sink
        .value
        .take()
        .unwrap_or_else(|| value.to_owned())
}

/// Takes the value of the first attribute of the first tag.
#[derive(Default)]
struct FirstValue {
    value: RefCell<Option<String>>,
}

impl TokenSink for FirstValue {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token {
            let mut value = self.value.borrow_mut();
            if value.is_none() {
                *value = tag.attrs.first().map(|a| a.value.to_string());
            }
        }
        TokenSinkResult::Continue
    }
}

/// The tags a browser reads in a piece of HTML on its own.
pub fn tags(html: &str) -> Vec<TagToken> {
    let mut scanner = HtmlScanner::default();
    let mut tags = Vec::new();
    scanner.feed(html, 0, &mut tags);
    tags
}

pub use main_text::{MainText, SEARCH_SKIP, main_text};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scanner_finds_raw_text_as_a_browser_does() {
        let inside_after = |pieces: &[&str]| {
            let mut scanner = HtmlScanner::default();
            for piece in pieces {
                scanner.feed(piece, 0, &mut Vec::new());
            }
            !scanner.reads_tags()
        };
        assert!(inside_after(&["<textarea>"]));
        assert!(inside_after(&["<TextArea rows=3>", "<b>", "</textareax>"]));
        assert!(!inside_after(&["<textarea>", "a</b>", "</TEXTAREA >"]));
        assert!(!inside_after(&["<title>x</title\n>"]));
        assert!(
            inside_after(&["<script>", "</style>"]),
            "only its own end tag"
        );
        assert!(
            !inside_after(&["<span title=\"<textarea>\">"]),
            "in a value"
        );
        assert!(!inside_after(&["<!-- <textarea> -->"]), "in a comment");
        assert!(
            inside_after(&["<!--", "-- >"]),
            "a comment ends only at `-->`"
        );
        assert!(!inside_after(&["<!-->", "<!--->"]), "empty comments");
        assert!(inside_after(&["<textarea/>"]), "`/>` does not close it");
        assert!(
            inside_after(&["<plaintext>", "</plaintext>"]),
            "nothing ends it"
        );
        assert!(!inside_after(&["a < b <3 </> <? x ?>"]), "not tags");
    }

    #[test]
    fn attributes_are_read_whole_and_once() {
        let found = tags("<img SRC=a.png alt=\"\" onError = 'x()' src=b.png><p>text</p>");
        assert_eq!(found[0].name, "img");
        assert_eq!(found[0].attribute("src"), Some("a.png"));
        assert_eq!(found[0].attribute("alt"), Some(""));
        assert_eq!(found[0].attribute("onerror"), Some("x()"));
        assert_eq!(found.len(), 3);
    }

    mod agreement {
        use proptest::prelude::*;

        /// Pieces of HTML where tokenizers are easy to get wrong. `<script>` is left out:
        /// its `<!--` escapes are not followed by the scanner, and
        /// the content policy refuses it anyway.
        const PIECES: &[&str] = &[
            "<",
            "</",
            ">",
            "/",
            "/>",
            "=",
            "\"",
            "'",
            " ",
            "\n",
            "\t",
            "-",
            "--",
            "!",
            "?",
            "<!",
            "<!-",
            "<!--",
            "-->",
            "--!>",
            "<!-->",
            "<!--->",
            "<?x",
            "<!DOCTYPE html>",
            "<![CDATA[",
            "]]>",
            "a",
            "b",
            "x",
            "A",
            "宮",
            "target",
            "=_blank",
            "_blank",
            "href",
            "title",
            "&amp;",
            "&amp",
            "&#95;",
            "&lowbar;",
            "&",
            "&#x",
            "<a",
            "</a",
            "<a ",
            "<A ",
            "<b",
            "</b",
            "<p",
            "<span",
            "<textarea",
            "</textarea",
            "<TextArea",
            "<title",
            "</title",
            "<style",
            "</style",
            "<xmp",
            "</xmp",
            "<iframe",
            "</iframe",
            "<noscript",
            "</noscript",
            "<noembed",
            "</noembed",
            "<noframes",
            "</noframes",
            "<plaintext",
        ];

        fn html() -> impl Strategy<Value = String> {
            prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|p| p.concat())
        }

        fn assert_agree(html: &str) -> Result<(), TestCaseError> {
            let (ours, theirs) = crate::fuzzing::html_readings(html);
            prop_assert_eq!(ours, theirs, "{:?}", html);
            Ok(())
        }

        #[test]
        fn known_cases_agree() {
            for html in [
                "<a href=x target=_blank>A</a>",
                "<a href=x target=\"&#95;blank\">A</a>",
                "<a target=&lowbar;blank title='&amp=x&amp;y' lang=\"a&quot'b\">",
                "a < b <3 </> <? x ?>",
                "<!-- <textarea> --> <!--> <!---> x",
                "<!----!> <textarea>",
                "<textarea>a</b></TEXTAREA >",
                "<title>x</title\n>",
                "<span title=\"<textarea>\">",
                "<!--",
                "<a href=\"x",
                "<",
                "<textarea/>",
                "<plaintext></plaintext>",
                "<!DOCTYPE html><p>",
                "<img SRC=a.png alt=\"\" onError = 'x()' src=b.png>",
            ] {
                assert_agree(html).unwrap();
            }
        }

        proptest! {
            /// The scanner and html5ever read the same tags, and agree on whether a tag
            /// written after any HTML would be read as one: the build cannot place its
            /// markup where a browser reads something else.
            #[test]
            fn the_scanner_reads_html_as_html5ever_does(html in html()) {
                assert_agree(&html)?;
            }
        }
    }
}
