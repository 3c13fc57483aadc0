//! Furigana, written the Denden Markdown way: `{漢字|かんじ}` gives a whole word its
//! reading, `{漢字|かん|じ}` gives each character its own.
//!
//! Owns the notation: where a ruby starts and ends, what is wrong with a malformed one
//! (and where), and the two ways it is shown: as `<ruby>` markup, with `<rp>`
//! parentheses for browsers that cannot place the reading above the text, and as plain
//! text (the base alone) where markup cannot go, such as a page's `<title>`. A `{` that
//! does not start a ruby (`{note}`, with no `|` before its `}`) is ordinary text, and a
//! `\{` is always one. The base and the reading reach the page exactly as written.

/// A run of text, or a word with its reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// `readings` has one entry for the whole base, or one per character of it.
    Ruby {
        base: &'a str,
        readings: Vec<&'a str>,
    },
}

/// What is wrong with a ruby, and the byte offset of its `{`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubyError {
    pub at: usize,
    pub problem: RubyProblem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RubyProblem {
    /// `{漢字|かんじ` with no `}` before the line ends.
    Unclosed,
    /// `{|かんじ}`
    EmptyBase,
    /// `{漢字|}` or `{漢字|かん|}`
    EmptyReading,
    /// `{漢字|か|ん|じ}`: per-character readings, but not one per character.
    ReadingCount { characters: usize, readings: usize },
}

/// Whether a text may hold a ruby at all: the cheap test before [`pieces`].
pub fn may_have_ruby(text: &str) -> bool {
    text.contains('{') && text.contains('|')
}

/// The pieces of a text. `escaped` lists, in increasing order, byte offsets of `{`
/// characters that were written escaped (`\{`) and so are text.
pub fn pieces<'a>(text: &'a str, escaped: &[usize]) -> Result<Vec<Piece<'a>>, RubyError> {
    Pieces::new(text, escaped).collect()
}

/// The pieces of a text one at a time, so that a long text is read without holding all
/// of its pieces at once (see [`pieces`]). After the first error it gives nothing more.
#[derive(Debug, Clone)]
pub struct Pieces<'a, 'e> {
    text: &'a str,
    escaped: &'e [usize],
    at: PiecesAt,
}

/// Where [`Pieces`] is in its text: enough to go on from there with
/// [`Pieces::resume`] (a caller that owns the text cannot keep a borrowing iterator
/// beside it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PiecesAt {
    /// The start of text not yet given.
    plain_from: usize,
    /// Where to look for the next `{`.
    search_from: usize,
    /// An error was given: the text is not read further.
    failed: bool,
}

impl<'a, 'e> Pieces<'a, 'e> {
    pub fn new(text: &'a str, escaped: &'e [usize]) -> Self {
        Self::resume(text, escaped, PiecesAt::default())
    }

    /// Goes on from where an earlier iterator over the same text stopped.
    pub fn resume(text: &'a str, escaped: &'e [usize], at: PiecesAt) -> Self {
        Pieces { text, escaped, at }
    }

    /// Where this iterator is, for [`Pieces::resume`].
    pub fn position(&self) -> PiecesAt {
        self.at
    }
}

impl<'a> Iterator for Pieces<'a, '_> {
    type Item = Result<Piece<'a>, RubyError>;

    fn next(&mut self) -> Option<Self::Item> {
        let text = self.text;
        let at = &mut self.at;
        if at.failed {
            return None;
        }
        while let Some(found) = text.get(at.search_from..).and_then(|t| t.find('{')) {
            let open = at.search_from + found;
            at.search_from = open + 1;
            // `escaped` is in order: found by halving, so that a text of many `\{`
            // stays linear.
            if self.escaped.binary_search(&open).is_ok() {
                continue;
            }
            let rest = &text[open + 1..];
            // The ruby's body runs to the first `}`; a `{` or a line end before it
            // means there is none here.
            let end = rest
                .find(['}', '{', '\n'])
                .filter(|i| rest.as_bytes()[*i] == b'}');
            let body = &rest[..end.unwrap_or_else(|| rest.find(['{', '\n']).unwrap_or(rest.len()))];
            if !body.contains('|') {
                // `{note}`: text.
                continue;
            }
            let Some(end) = end else {
                at.failed = true;
                return Some(Err(RubyError {
                    at: open,
                    problem: RubyProblem::Unclosed,
                }));
            };
            let mut parts = body.split('|');
            let base = parts.next().unwrap_or_default();
            let readings: Vec<&str> = parts.collect();
            let problem = if base.is_empty() {
                Some(RubyProblem::EmptyBase)
            } else if readings.iter().any(|r| r.is_empty()) {
                Some(RubyProblem::EmptyReading)
            } else if readings.len() > 1 && readings.len() != base.chars().count() {
                Some(RubyProblem::ReadingCount {
                    characters: base.chars().count(),
                    readings: readings.len(),
                })
            } else {
                None
            };
            if let Some(problem) = problem {
                at.failed = true;
                return Some(Err(RubyError { at: open, problem }));
            }
            if at.plain_from < open {
                // The text before the ruby first; the ruby is read again next time.
                let before = &text[at.plain_from..open];
                at.plain_from = open;
                at.search_from = open;
                return Some(Ok(Piece::Text(before)));
            }
            at.plain_from = open + 1 + end + 1;
            at.search_from = at.plain_from;
            return Some(Ok(Piece::Ruby { base, readings }));
        }
        if at.plain_from < text.len() {
            let rest = &text[at.plain_from..];
            at.plain_from = text.len();
            at.search_from = text.len();
            return Some(Ok(Piece::Text(rest)));
        }
        None
    }
}

/// The first malformed ruby of a text, read without holding its pieces.
pub fn first_error(text: &str, escaped: &[usize]) -> Option<RubyError> {
    Pieces::new(text, escaped).find_map(Result::err)
}

/// The `<ruby>` markup of a word and its reading; `escape` escapes text for HTML.
pub fn markup(base: &str, readings: &[&str], escape: impl Fn(&str) -> String) -> String {
    pairs(base, readings)
        .into_iter()
        .map(|(base, reading)| {
            format!(
                "{RUBY_OPEN}{}{}",
                escape(base),
                reading_markup(&escape(reading))
            )
        })
        .collect()
}

/// What a ruby is shown as: (base, reading) pairs, each its own `<ruby>`. One pair for
/// a whole word; one per character for per-character readings, rather than one `<ruby>`
/// with several `<rt>`: Chromium exposes only the first `<rt>` of a `<ruby>` to screen
/// readers (as its description), so later readings would be lost to them. On the screen
/// the two look the same.
pub fn pairs<'a>(base: &'a str, readings: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    match readings {
        [whole] => vec![(base, *whole)],
        per_character => base
            .char_indices()
            .map(|(at, c)| &base[at..at + c.len_utf8()])
            .zip(per_character.iter().copied())
            .collect(),
    }
}

/// Opens one ruby, before its base.
pub const RUBY_OPEN: &str = "<ruby>";

/// Closes one ruby after its base: the reading (already escaped), in fallback
/// parentheses for browsers and text readers that cannot place it above the base.
pub fn reading_markup(escaped_reading: &str) -> String {
    format!("<rp>（</rp><rt>{escaped_reading}</rt><rp>）</rp></ruby>")
}

/// A text with its rubies as markup and everything else escaped; a malformed ruby is
/// left as written (the input stages report it).
pub fn to_html(text: &str, escape: impl Fn(&str) -> String) -> String {
    if !may_have_ruby(text) {
        return escape(text);
    }
    match pieces(text, &[]) {
        Ok(pieces) => pieces
            .iter()
            .map(|piece| match piece {
                Piece::Text(t) => escape(t),
                Piece::Ruby { base, readings } => markup(base, readings, &escape),
            })
            .collect(),
        Err(_) => escape(text),
    }
}

/// The text as it reads without readings: each ruby's base alone.
pub fn plain(text: &str) -> String {
    if !may_have_ruby(text) {
        return text.to_owned();
    }
    match pieces(text, &[]) {
        Ok(pieces) => pieces
            .iter()
            .map(|piece| match piece {
                Piece::Text(t) => *t,
                Piece::Ruby { base, .. } => base,
            })
            .collect(),
        Err(_) => text.to_owned(),
    }
}

/// The first malformed ruby of a text, if any.
pub fn check(text: &str) -> Result<(), RubyError> {
    first_error(text, &[]).map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain_escape(text: &str) -> String {
        text.replace('<', "&lt;")
    }

    #[test]
    fn a_word_gets_its_reading_and_each_character_its_own() {
        assert_eq!(
            to_html("{相談|そうだん}の{窓口|まど|ぐち}", plain_escape),
            "<ruby>相談<rp>（</rp><rt>そうだん</rt><rp>）</rp></ruby>の\
             <ruby>窓<rp>（</rp><rt>まど</rt><rp>）</rp></ruby><ruby>口<rp>（</rp><rt>ぐち</rt><rp>）</rp></ruby>"
        );
        assert_eq!(plain("{相談|そうだん}の{窓口|まど|ぐち}"), "相談の窓口");
    }

    #[test]
    fn a_brace_that_starts_no_ruby_is_text() {
        for text in ["{note}", "a { b", "{}", "x } y", "{a}{b}", "{a\n|b}"] {
            assert_eq!(pieces(text, &[]), Ok(vec![Piece::Text(text)]), "{text:?}");
        }
        // Written escaped, even a complete ruby is text.
        assert_eq!(
            pieces("{漢字|かんじ}", &[0]),
            Ok(vec![Piece::Text("{漢字|かんじ}")])
        );
    }

    #[test]
    fn a_malformed_ruby_is_an_error_at_its_brace() {
        for (text, at, problem) in [
            ("あ{漢字|かんじ", 3, RubyProblem::Unclosed),
            ("{漢字|かんじ\n}", 0, RubyProblem::Unclosed),
            ("{|かんじ}", 0, RubyProblem::EmptyBase),
            ("{漢字|}", 0, RubyProblem::EmptyReading),
            ("{漢字|かん|}", 0, RubyProblem::EmptyReading),
            (
                "{漢字|か|ん|じ}",
                0,
                RubyProblem::ReadingCount {
                    characters: 2,
                    readings: 3,
                },
            ),
        ] {
            assert_eq!(check(text), Err(RubyError { at, problem }), "{text:?}");
        }
    }

    #[test]
    fn markup_characters_in_base_and_reading_are_escaped() {
        assert_eq!(
            to_html("{<b>|x}", plain_escape),
            "<ruby>&lt;b><rp>（</rp><rt>x</rt><rp>）</rp></ruby>"
        );
    }
}
