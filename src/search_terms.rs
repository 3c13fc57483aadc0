//! How text becomes the terms of the site search: one rule, kept here for the build and
//! in the reader's browser by the search script (`render/search.js`), which a test runs
//! beside this code on the same texts (`tests/search.rs`).
//!
//! Owns the normal form of text (NFKC, as `String.prototype.normalize` gives it, then
//! lower case, then katakana read as hiragana, so that サポート, ｻﾎﾟｰﾄ and さぽーと are one
//! word), the split of text into runs of Japanese script and runs of other letters and
//! digits, the terms of each run, and which file of the index holds a term.
//!
//! A Japanese run gives every pair of neighbouring characters, and each kanji alone. A
//! word is then found whole wherever it stands, with no dictionary to split it wrongly:
//! 新幹線 is 新幹 + 幹線, which 新千歳空港 does not hold; ひきこもり and サポートブック are
//! their pairs, all of which a page must have. A query is made of the same terms, and a
//! page matches when it has every one. Other runs are words, lower-cased, with the `s`
//! of an English plural taken off (`meetings` is `meeting`).

use std::borrow::Cow;

/// Whether `c` is written in Japanese script: kana, kanji and the marks that belong to
/// them (the long vowel ー, the repeat marks 々 ゝ ヽ).
pub fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3005}'..='\u{3007}' // 々 〆 〇
        | '\u{3041}'..='\u{309F}' // hiragana and its marks
        | '\u{30A1}'..='\u{30FA}' // katakana
        | '\u{30FC}'..='\u{30FF}' // ー ヽ ヾ ヿ
        | '\u{31F0}'..='\u{31FF}' // small katakana for Ainu
    ) || is_kanji(c)
}

/// Whether `c` is a kanji: a term by itself, so that a one-character query (県, 市)
/// finds its pages.
pub fn is_kanji(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}'
    )
}

/// Whether `c` belongs to a word of another script: what a browser's `\p{Alphabetic}`
/// and `\p{N}` match.
fn is_word_character(c: char) -> bool {
    (c.is_alphabetic() || c.is_numeric()) && !is_japanese(c)
}

/// Text in the form terms are taken from: NFKC (full-width letters and half-width kana
/// made ordinary), lower case, katakana as the hiragana they read as.
pub fn normalize(text: &str) -> String {
    if let Some(quick) = normalize_quickly(text) {
        return quick;
    }
    let nfkc = icu_normalizer::ComposingNormalizerBorrowed::new_nfkc().normalize(text);
    // Σ is the one letter whose lower case depends on where it stands (σ, or ς at a
    // word's end), which only `str::to_lowercase` knows; every other text is lowered a
    // character at a time, in one pass with the kana.
    if nfkc.contains('Σ') {
        return nfkc.to_lowercase().chars().map(hiragana).collect();
    }
    let mut out = String::with_capacity(nfkc.len());
    for c in nfkc.chars() {
        match c {
            _ if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            // Kana and kanji have no case.
            '\u{3000}'..='\u{9FFF}' => out.push(hiragana(c)),
            _ => out.extend(c.to_lowercase().map(hiragana)),
        }
    }
    out
}

/// [`normalize`] of a text made only of characters NFKC leaves alone or maps one to
/// one (ASCII, full-width ASCII, the ideographic space, kana, kanji, Japanese
/// punctuation), as nearly all of a Japanese page is, without the full normaliser;
/// `None` for any other text.
fn normalize_quickly(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let n = u32::from(c);
        match n {
            0..=0x7F => out.push(c.to_ascii_lowercase()),
            // Full-width ASCII is ASCII under NFKC.
            0xFF01..=0xFF5E => out.push(char::from_u32(n - 0xFEE0)?.to_ascii_lowercase()),
            0x3000 => out.push(' '),
            // 、。〃 々〆〇 the brackets 〈〉《》「」『』【】〔〕, 〒 〜 and the quotation
            // marks, hiragana (without the combining and spacing sound marks), katakana,
            // ・ and ー, kanji.
            0x3001..=0x301F | 0x3041..=0x3096 | 0x30A1..=0x30FC | 0x4E00..=0x9FFF => {
                out.push(hiragana(c))
            }
            _ => return None,
        }
    }
    Some(out)
}

/// A katakana as its hiragana (ァ–ヶ sit 0x60 above ぁ–ゖ); anything else as it is.
fn hiragana(c: char) -> char {
    match c {
        '\u{30A1}'..='\u{30F6}' => char::from_u32(u32::from(c) - 0x60).unwrap_or(c),
        _ => c,
    }
}

/// The `s` of an English plural taken off (`meetings`, `families` → `family`); a word
/// with other letters, or one ending in `ss`, `us` or `is`, is kept.
fn stem(word: &str) -> Cow<'_, str> {
    if !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(word);
    }
    if word.len() > 4 && word.ends_with("ies") {
        return Cow::Owned(format!("{}y", &word[..word.len() - 3]));
    }
    if word.len() > 3
        && word.ends_with('s')
        && !(word.ends_with("ss") || word.ends_with("us") || word.ends_with("is"))
    {
        return Cow::Borrowed(&word[..word.len() - 1]);
    }
    Cow::Borrowed(word)
}

/// A term as the index counts it: a pair of Japanese characters or one character
/// (packed in a number, so that counting them hashes no string), or a word.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Term<'a> {
    Japanese(u64),
    Word(Cow<'a, str>),
}

/// The second half of a [`Term::Japanese`] of one character.
const ALONE: u64 = u32::MAX as u64;

impl Term<'_> {
    fn one(c: char) -> Self {
        Term::Japanese((u64::from(c) << 32) | ALONE)
    }

    fn pair(first: char, second: char) -> Self {
        Term::Japanese((u64::from(first) << 32) | u64::from(second))
    }

    /// Writes the term's text.
    pub fn write(&self, out: &mut String) {
        match self {
            Term::Japanese(packed) => {
                out.extend(char::from_u32((packed >> 32) as u32));
                if packed & ALONE != ALONE {
                    out.extend(char::from_u32((packed & ALONE) as u32));
                }
            }
            Term::Word(word) => out.push_str(word),
        }
    }
}

/// What a character is to the terms: read for the common cases first.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Kanji,
    Kana,
    Word,
    Other,
}

fn class(c: char) -> Class {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            Class::Word
        } else {
            Class::Other
        };
    }
    if is_kanji(c) {
        Class::Kanji
    } else if is_japanese(c) {
        Class::Kana
    } else if is_word_character(c) {
        Class::Word
    } else {
        Class::Other
    }
}

/// Calls `term` with every term of `normalized` (text from [`normalize`]), in the order
/// they are written.
pub fn for_each_term<'a>(normalized: &'a str, mut term: impl FnMut(Term<'a>)) {
    let mut chars = normalized.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        match class(c) {
            Class::Kanji | Class::Kana => {
                let first = class(c);
                let mut previous = c;
                let mut alone = true;
                if first == Class::Kanji {
                    term(Term::one(c));
                }
                while let Some(&(_, next)) = chars.peek() {
                    let next_class = class(next);
                    if !matches!(next_class, Class::Kanji | Class::Kana) {
                        break;
                    }
                    chars.next();
                    alone = false;
                    term(Term::pair(previous, next));
                    if next_class == Class::Kanji {
                        term(Term::one(next));
                    }
                    previous = next;
                }
                // A kana standing alone between other characters is a term by itself.
                if alone && first == Class::Kana {
                    term(Term::one(c));
                }
            }
            Class::Word => {
                let mut end = start + c.len_utf8();
                while let Some(&(at, next)) = chars.peek() {
                    if class(next) != Class::Word {
                        break;
                    }
                    chars.next();
                    end = at + next.len_utf8();
                }
                term(Term::Word(stem(&normalized[start..end])));
            }
            Class::Other => {}
        }
    }
}

/// The terms of `text`, normalised, in order.
pub fn terms(text: &str) -> Vec<String> {
    let mut all = Vec::new();
    for_each_term(&normalize(text), |t| {
        let mut text = String::new();
        t.write(&mut text);
        all.push(text);
    });
    all
}

/// The part of a term that decides its file: a Japanese term whole; a word by its
/// first three characters, so that a word typed in part (`fami`) is found among the
/// terms of one file.
pub fn file_key(term: &str) -> &str {
    match term.chars().next() {
        Some(c) if is_japanese(c) => term,
        _ => match term.char_indices().nth(3) {
            Some((at, _)) => &term[..at],
            None => term,
        },
    }
}

/// Which of `files` files of the index holds `term`: FNV-1a of its key's UTF-8 bytes.
pub fn file_of(term: &str, files: u32) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for b in file_key(term).bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % files.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_runs_give_their_pairs_and_each_kanji() {
        assert_eq!(
            terms("家族会"),
            ["家", "家族", "族", "族会", "会"].map(String::from)
        );
        assert_eq!(
            terms("ひきこもり"),
            ["ひき", "きこ", "こも", "もり"].map(String::from)
        );
    }

    #[test]
    fn katakana_half_width_and_full_width_read_as_one() {
        assert_eq!(terms("サポート"), terms("ｻﾎﾟｰﾄ"));
        assert_eq!(terms("サポート"), terms("さぽーと"));
        assert_eq!(terms("ＦＡＭＩＬＹ"), terms("family"));
    }

    #[test]
    fn a_compound_is_not_found_in_another_that_shares_a_character() {
        let wanted = terms("新幹線");
        let other = terms("新千歳空港");
        let pairs: Vec<_> = wanted.iter().filter(|t| t.chars().count() == 2).collect();
        assert!(pairs.iter().all(|p| !other.contains(p)));
    }

    #[test]
    fn words_are_lower_cased_and_plurals_lose_their_s() {
        assert_eq!(
            terms("Family Meetings, families; access class"),
            ["family", "meeting", "family", "access", "class"].map(String::from)
        );
        assert_eq!(
            terms("0229-23-1603"),
            ["0229", "23", "1603"].map(String::from)
        );
    }

    #[test]
    fn a_lone_kana_is_a_term_and_punctuation_is_none() {
        assert_eq!(terms("「の」"), ["の"].map(String::from));
        assert!(terms("。、・！？ -- ()").is_empty());
    }

    #[test]
    fn a_word_is_filed_by_its_first_three_characters() {
        assert_eq!(file_key("family"), "fam");
        assert_eq!(file_key("ok"), "ok");
        assert_eq!(file_key("家族"), "家族");
        assert_eq!(file_of("family", 7), file_of("fami", 7));
        assert!(file_of("家族", 7) < 7);
        assert_eq!(file_of("x", 0), 0);
    }
}
