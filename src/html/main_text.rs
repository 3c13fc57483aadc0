//! The words of a page as the site search takes them: the text of its `<main>`, read the
//! way a browser's tokenizer reads the shapes of HTML a page has.
//!
//! It is read here, a tag at a time between `memchr` jumps, rather than by html5ever's
//! tokenizer, which took as long as rendering the page. So that the two cannot
//! disagree, a property test reads pages built from the pieces tokenizers get wrong
//! (comments, character references, quotes, attributes without values, void and
//! self-closing tags, stray end tags) with both and requires the same result; what the
//! result is made of (blocks, headings, furigana, what is skipped) is decided once, in
//! [`Reader`], for both.

use std::borrow::Cow;

/// What the site search takes from a page: the text of its `<main>`, the headings
/// there with their ids, and each furigana's base and reading.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MainText {
    /// The text, one line per block (paragraph, list item, cell, heading), spaces
    /// collapsed; furigana readings left out, as a reader who sees no ruby reads it.
    pub text: String,
    /// `<h2>`–`<h4>` with an `id`: (id, text).
    pub headings: Vec<(String, String)>,
    /// (base, reading) of every `<ruby>`.
    pub readings: Vec<(String, String)>,
}

/// The attribute that keeps an element of `<main>` out of the search: what pages share
/// in their words (the list of a page's sources, the dates). The `<h1>` is left out
/// too: it is the page's title.
pub const SEARCH_SKIP: (&str, &str) = ("data-search", "skip");

/// Whether an element's start and end separate blocks of text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "td"
            | "th"
            | "tr"
            | "div"
            | "section"
            | "article"
            | "aside"
            | "ul"
            | "ol"
            | "dl"
            | "table"
            | "caption"
            | "blockquote"
            | "pre"
            | "figure"
            | "figcaption"
            | "br"
    )
}

/// Whether an element has no end tag.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Whether an element's content is text up to its own end tag; a page's `<main>` has
/// none, and whatever one would hold is not read.
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
    )
}

/// The text of a page's `<main>`.
pub fn main_text(page: &str) -> MainText {
    let mut reader = Reader::default();
    read_tags(main_part(page), &mut reader);
    reader.finish()
}

/// `<main>` to `</main>`: the header and footer around it are most of a page. The
/// generator writes one `<main>` per page, and `<` is escaped in every attribute value
/// before it, so the first `<main` is its start tag.
fn main_part(page: &str) -> &str {
    let from = page.find("<main").unwrap_or(0);
    let to = page
        .rfind("</main>")
        .map_or(page.len(), |at| at + "</main>".len());
    page.get(from..to.max(from)).unwrap_or(page)
}

/// Whether `c` ends a tag's name or an attribute's name, as the tokenizer reads it.
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// Reads tags and text of `html` into `reader`.
fn read_tags<'a>(html: &'a str, reader: &mut Reader<'a>) {
    let bytes = html.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) else {
            reader.text(&decode(&html[at..]));
            break;
        };
        if lt > at {
            reader.text(&decode(&html[at..lt]));
        }
        let rest = &bytes[lt + 1..];
        match rest.first() {
            Some(b'!') if rest.starts_with(b"!--") => {
                // A comment: to the first `-->` (`<!-->` and `<!--->` end at once).
                let body = lt + 4;
                at = if html[body..].starts_with('>') {
                    body + 1
                } else if html[body..].starts_with("->") {
                    body + 2
                } else {
                    html[body..]
                        .find("-->")
                        .map_or(bytes.len(), |i| body + i + 3)
                };
            }
            Some(b'!' | b'?') => {
                at = memchr::memchr(b'>', rest).map_or(bytes.len(), |i| lt + 1 + i + 1);
            }
            Some(b'/') if rest.get(1).is_some_and(u8::is_ascii_alphabetic) => {
                let name_end = rest[1..]
                    .iter()
                    .position(|&b| is_space(b) || b == b'/' || b == b'>')
                    .map_or(rest.len(), |i| i + 1);
                let name = lower(&html[lt + 2..lt + 1 + name_end]);
                at = tag_end(bytes, lt + 1 + name_end).unwrap_or(bytes.len());
                reader.end_tag(&name);
            }
            Some(b'/') => {
                // `</>` is nothing; `</ x>` a bogus comment.
                at = memchr::memchr(b'>', rest).map_or(bytes.len(), |i| lt + 1 + i + 1);
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let (tag, end) = start_tag(html, lt);
                at = end;
                let raw_text = is_raw_text(&tag.name);
                let close = raw_text.then(|| format!("</{}", tag.name));
                reader.start_tag(tag.name, &tag.attributes, tag.self_closing);
                if let Some(close) = close {
                    // Its content is text to its own end tag: skipped, as not read.
                    let lower = html[at..].to_ascii_lowercase();
                    at = lower.find(&close).map_or(bytes.len(), |i| at + i);
                }
            }
            _ => {
                // A `<` that opens no tag is text.
                reader.text("<");
                at = lt + 1;
            }
        }
    }
}

/// Where the tag whose attributes start at `from` ends: after its `>`, skipping `>`
/// inside quoted values.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    let mut quote: Option<u8> = None;
    let mut after_equals = false;
    while at < bytes.len() {
        let b = bytes[at];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'>' => return Some(at + 1),
                b'"' | b'\'' if after_equals => quote = Some(b),
                b'=' => {
                    after_equals = true;
                    at += 1;
                    continue;
                }
                _ if is_space(b) => {
                    at += 1;
                    continue;
                }
                _ => {}
            },
        }
        after_equals = false;
        at += 1;
    }
    None
}

struct StartTag<'a> {
    name: Cow<'a, str>,
    attributes: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    self_closing: bool,
}

/// A name as HTML reads it: lower-cased (borrowed when it already is).
fn lower(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// The start tag whose `<` is at `lt`, and where it ends.
fn start_tag(html: &str, lt: usize) -> (StartTag<'_>, usize) {
    let bytes = html.as_bytes();
    let mut at = lt + 1;
    while at < bytes.len() && !is_space(bytes[at]) && bytes[at] != b'/' && bytes[at] != b'>' {
        at += 1;
    }
    let mut tag = StartTag {
        name: lower(&html[lt + 1..at]),
        attributes: Vec::new(),
        self_closing: false,
    };
    loop {
        while at < bytes.len() && is_space(bytes[at]) {
            at += 1;
        }
        match bytes.get(at) {
            None => return (tag, bytes.len()),
            Some(b'>') => return (tag, at + 1),
            Some(b'/') => {
                at += 1;
                if bytes.get(at) == Some(&b'>') {
                    tag.self_closing = true;
                    return (tag, at + 1);
                }
                continue;
            }
            Some(_) => {}
        }
        // An attribute's name: up to a space, `/`, `>` or `=` (a first `=` is part of
        // it).
        let name_start = at;
        at += 1;
        while at < bytes.len() && !is_space(bytes[at]) && !matches!(bytes[at], b'/' | b'>' | b'=') {
            at += 1;
        }
        let name = lower(&html[name_start..at]);
        let mut probe = at;
        while probe < bytes.len() && is_space(bytes[probe]) {
            probe += 1;
        }
        let mut value = Cow::Borrowed("");
        if bytes.get(probe) == Some(&b'=') {
            at = probe + 1;
            while at < bytes.len() && is_space(bytes[at]) {
                at += 1;
            }
            match bytes.get(at) {
                Some(&q @ (b'"' | b'\'')) => {
                    let from = at + 1;
                    let to = memchr::memchr(q, &bytes[from..]).map_or(bytes.len(), |i| from + i);
                    value = decode(&html[from..to]);
                    at = (to + 1).min(bytes.len());
                }
                Some(b'>') | None => {}
                Some(_) => {
                    let from = at;
                    while at < bytes.len() && !is_space(bytes[at]) && bytes[at] != b'>' {
                        at += 1;
                    }
                    value = decode(&html[from..at]);
                }
            }
        }
        // A repeated attribute: the first is kept, as browsers keep it.
        if !tag.attributes.iter().any(|(n, _)| *n == name) {
            tag.attributes.push((name, value));
        }
    }
}

/// Text with its character references decoded: `&amp;`, `&#12354;`, `&#x3042;` and every
/// other name HTML knows, written with their `;`. A reference without one is left as
/// written (the generator writes none).
fn decode(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match reference(after) {
            Some((decoded, used)) => {
                out.push_str(&decoded);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The characters a reference (after its `&`) stands for, and the bytes it takes.
fn reference(after: &str) -> Option<(String, usize)> {
    let semicolon = after.find(';')?;
    let body = &after[..semicolon];
    if let Some(number) = body.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                u32::from_str_radix(hex, 16).ok()
            }
            None if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => {
                number.parse::<u32>().ok()
            }
            _ => None,
        }?;
        let c = match code {
            0 => '\u{FFFD}',
            c => char::from_u32(c).unwrap_or('\u{FFFD}'),
        };
        return Some((c.to_string(), semicolon + 1));
    }
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let &(first, second) = html5ever::data::NAMED_ENTITIES.get(&after[..=semicolon])?;
    let mut decoded = String::new();
    decoded.extend(char::from_u32(first));
    if second != 0 {
        decoded.extend(char::from_u32(second));
    }
    Some((decoded, semicolon + 1))
}

/// What a page's tags and text make of its words: decided here once, whichever reader
/// found them.
#[derive(Default)]
struct Reader<'a> {
    found: MainText,
    /// Open elements inside `<main>`, with `<main>` first; empty outside it.
    open: Vec<Cow<'a, str>>,
    /// Depth at which a skipped element opened.
    skip_at: Option<usize>,
    /// The heading being read: (depth, id, text so far).
    heading: Option<(usize, String, String)>,
    /// The base of the `<ruby>` being read, and its reading when inside `<rt>`.
    ruby_base: Option<String>,
    reading: Option<String>,
    /// Inside `<rp>`: the brackets shown where ruby is not.
    in_rp: bool,
}

impl<'a> Reader<'a> {
    fn start_tag(
        &mut self,
        element: Cow<'a, str>,
        attributes: &[(Cow<str>, Cow<str>)],
        self_closing: bool,
    ) {
        let name: &str = &element;
        if self.open.is_empty() {
            if name == "main" {
                self.open.push(element);
            }
            return;
        }
        let attribute = |wanted: &str| {
            attributes
                .iter()
                .find(|(n, _)| n == wanted)
                .map(|(_, v)| &**v)
        };
        if is_block(name) && self.skip_at.is_none() {
            self.found.text.push('\n');
        }
        // The page's `<h1>` is its title, which the search takes on its own.
        if self.skip_at.is_none()
            && (name == "h1" || attribute(SEARCH_SKIP.0) == Some(SEARCH_SKIP.1))
        {
            self.skip_at = Some(self.open.len());
        }
        if self.skip_at.is_none() {
            match name {
                "h2" | "h3" | "h4" => {
                    if let Some(id) = attribute("id") {
                        self.heading = Some((self.open.len(), id.to_owned(), String::new()));
                    }
                }
                "ruby" => self.ruby_base = Some(String::new()),
                "rt" => self.reading = Some(String::new()),
                "rp" => self.in_rp = true,
                "img" => {
                    if let Some(alt) = attribute("alt") {
                        self.found.text.push(' ');
                        self.found.text.push_str(alt);
                        self.found.text.push(' ');
                    }
                }
                _ => {}
            }
        }
        if !is_void(name) && !self_closing {
            self.open.push(element);
        }
    }

    fn end_tag(&mut self, name: &str) {
        if self.open.is_empty() {
            return;
        }
        if is_block(name) && self.skip_at.is_none() {
            self.found.text.push('\n');
        }
        // Closes up to the element it ends (a stray end tag closes nothing).
        let Some(at) = self.open.iter().rposition(|n| *n == name) else {
            return;
        };
        self.open.truncate(at);
        if self.skip_at.is_some_and(|s| s >= at) {
            self.skip_at = None;
            return;
        }
        if self.skip_at.is_some() {
            return;
        }
        match name {
            "rt" => {
                if let (Some(base), Some(reading)) = (self.ruby_base.take(), self.reading.take()) {
                    let (base, reading) = (base.trim(), reading.trim());
                    if !base.is_empty() && !reading.is_empty() {
                        self.found
                            .readings
                            .push((base.to_owned(), reading.to_owned()));
                    }
                }
                self.ruby_base = Some(String::new());
            }
            "rp" => self.in_rp = false,
            "ruby" => {
                self.ruby_base = None;
                self.reading = None;
            }
            _ => {}
        }
        if self
            .heading
            .as_ref()
            .is_some_and(|(depth, ..)| *depth >= at)
            && let Some((_, id, text)) = self.heading.take()
        {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !text.is_empty() {
                self.found.headings.push((id, text));
            }
        }
    }

    fn text(&mut self, text: &str) {
        if self.open.is_empty() || self.skip_at.is_some() || self.in_rp {
            return;
        }
        if let Some(reading) = self.reading.as_mut() {
            reading.push_str(text);
            return;
        }
        if let Some(base) = self.ruby_base.as_mut() {
            base.push_str(text);
        }
        if let Some((_, _, heading)) = self.heading.as_mut() {
            heading.push_str(text);
        }
        self.found.text.push_str(text);
    }

    /// Spaces collapsed, one line per block, no empty line.
    fn finish(mut self) -> MainText {
        let mut collapsed = String::with_capacity(self.found.text.len());
        for line in self.found.text.lines() {
            let mut words = line.split_whitespace();
            if let Some(first) = words.next() {
                if !collapsed.is_empty() {
                    collapsed.push('\n');
                }
                collapsed.push_str(first);
                for word in words {
                    collapsed.push(' ');
                    collapsed.push_str(word);
                }
            }
        }
        self.found.text = collapsed;
        self.found
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{
        BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    use proptest::prelude::*;

    use super::*;

    /// The same page read by html5ever's tokenizer into the same [`Reader`].
    fn by_html5ever(page: &str) -> MainText {
        struct Sink(RefCell<Reader<'static>>);
        impl TokenSink for Sink {
            type Handle = ();
            fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
                let mut reader = self.0.borrow_mut();
                match token {
                    Token::TagToken(tag) => {
                        let name = tag.name.to_string();
                        let attributes: Vec<(Cow<str>, Cow<str>)> = tag
                            .attrs
                            .iter()
                            .map(|a| {
                                (
                                    Cow::Owned(a.name.local.to_string()),
                                    Cow::Owned(a.value.to_string()),
                                )
                            })
                            .collect();
                        match tag.kind {
                            TagKind::StartTag => {
                                reader.start_tag(Cow::Owned(name), &attributes, tag.self_closing)
                            }
                            TagKind::EndTag => reader.end_tag(&name),
                        }
                    }
                    Token::CharacterTokens(text) => reader.text(&text),
                    Token::NullCharacterToken => reader.text("\0"),
                    _ => {}
                }
                TokenSinkResult::Continue
            }
        }
        let tokenizer = Tokenizer::new(
            Sink(RefCell::new(Reader::default())),
            TokenizerOpts::default(),
        );
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(main_part(page)));
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        tokenizer.sink.0.into_inner().finish()
    }

    #[test]
    fn the_main_text_is_read_as_a_reader_reads_it() {
        let page = "<html><head><title>T</title></head><body><header><p>menu</p></header>\
            <main id=\"main\"><h1>題</h1><p>ひきこもり<ruby>相談<rp>(</rp><rt>そうだん</rt><rp>)</rp></ruby>の\
            <a href=\"/x/\">案内</a> &amp; &#x3042;&#12354;</p><h2 id=\"kazoku\">家族<ruby>会<rp>(</rp><rt>かい</rt><rp>)</rp></ruby></h2>\
            <ul><li>一</li><li>二<br>三</li></ul><img src=\"a.png\" alt=\"地図 &quot;A&quot;\">\
            <section data-search=\"skip\"><h2 id=\"s\">出典</h2><p>県</p></section><!-- <p>x</p> --><p>後</p></main>\
            <footer>足</footer></body></html>";
        let found = main_text(page);
        assert_eq!(
            found.text,
            "ひきこもり相談の案内 & ああ\n家族会\n一\n二\n三\n地図 \"A\"\n後"
        );
        assert_eq!(found.headings, [("kazoku".to_owned(), "家族会".to_owned())]);
        assert_eq!(
            found.readings,
            [
                ("相談".to_owned(), "そうだん".to_owned()),
                ("会".to_owned(), "かい".to_owned())
            ]
        );
        assert_eq!(found, by_html5ever(page));
    }

    /// Pieces of HTML where tokenizers are easy to get wrong, and the elements whose
    /// meaning the reader gives.
    const PIECES: &[&str] = &[
        "<p>",
        "</p>",
        "<h2 id=\"a\">",
        "<h2 id=b>",
        "<h3 id='c d'>",
        "</h2>",
        "</h3>",
        "<ruby>",
        "</ruby>",
        "<rt>",
        "</rt>",
        "<rp>",
        "</rp>",
        "<br>",
        "<br/>",
        "<img alt=\"x>y\" src=a.png>",
        "<img alt='&lt;q&gt;'>",
        "<div data-search=\"skip\">",
        "<div data-search=skip>",
        "</div>",
        "<section>",
        "</section>",
        "<h1>",
        "</h1>",
        "<li>",
        "</li>",
        "<a href=\"/a?b=1&amp;c=2\">",
        "</a>",
        "<span title=\"<p>\">",
        "</span>",
        "<!-- <p> -->",
        "<!---->",
        "<!-->",
        "<!--->",
        "<!doctype x>",
        "<?pi?>",
        "</ x>",
        "</>",
        "< p",
        "a < b",
        "&amp;",
        "&lt;",
        "&#65;",
        "&#x42;",
        "&#0;",
        "&nosuch;",
        "& x",
        "&copy;",
        "相談",
        "text",
        " ",
        "\n",
        "\t",
        "<b>",
        "</b>",
        "<p class=x id=\"y\" hidden>",
        "<P>",
        "</P >",
        "<input disabled>",
        "<wbr>",
        "<hr/>",
        "<img alt=a alt=b>",
        "=",
        "\"",
        "'",
        ">",
        "/",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn the_quick_reading_agrees_with_html5evers(pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..40)) {
            let page = format!("<header>x</header><main>{}</main><footer>y</footer>", pieces.concat());
            prop_assert_eq!(main_text(&page), by_html5ever(&page), "{}", page);
        }
    }
}
