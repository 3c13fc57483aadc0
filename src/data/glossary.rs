//! `content/glossary.toml`: one translation for every name and term the site uses, and
//! the wordings it has decided against.
//!
//! Owns the site's vocabulary. Offices, teams and services are named the same way on
//! every page and in every data file, and wordings that speak about people rather than to
//! them (or frame a person as a problem) are listed under `avoid`, so that `check` can
//! point at each use with the preferred term.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::localized::Localized;

pub const GLOSSARY_FILE: &str = "glossary.toml";

/// A term in every language, and what not to write instead of it.
#[derive(Debug, Clone)]
pub struct Term {
    pub words: Localized,
    /// Per language, wordings to replace with this term.
    pub avoid: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct Glossary {
    pub terms: Vec<Term>,
    /// Per language, one automaton for all of its avoided wordings, so a text is read
    /// once however many there are; with, for each pattern, its term and wording.
    finders: BTreeMap<String, (AhoCorasick, Vec<(usize, String)>)>,
}

/// An avoided wording found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvoidedUse {
    /// Byte offset in the text.
    pub offset: usize,
    pub found: String,
    pub preferred: String,
}

impl Glossary {
    pub fn new(terms: Vec<Term>) -> Glossary {
        let mut patterns: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
        for (i, term) in terms.iter().enumerate() {
            for (lang, wordings) in &term.avoid {
                for w in wordings.iter().filter(|w| !w.is_empty()) {
                    patterns
                        .entry(lang.clone())
                        .or_default()
                        .push((i, w.clone()));
                }
            }
        }
        let finders = patterns
            .into_iter()
            .filter_map(|(lang, found)| {
                let finder = AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(found.iter().map(|(_, w)| w))
                    .ok()?;
                Some((lang, (finder, found)))
            })
            .collect();
        Glossary { terms, finders }
    }

    /// Every avoided wording in `text`, written in `lang`, in one pass. Latin wordings
    /// match whole words, ignoring case; Japanese ones match anywhere.
    pub fn avoided_in(&self, text: &str, lang: &str, default: &str) -> Vec<AvoidedUse> {
        let Some((finder, patterns)) = self.finders.get(lang) else {
            return Vec::new();
        };
        finder
            .find_iter(text)
            .filter(|m| is_whole(text, m.start(), m.end() - m.start()))
            .map(|m| {
                let (term, wording) = &patterns[m.pattern().as_usize()];
                AvoidedUse {
                    offset: m.start(),
                    found: wording.clone(),
                    preferred: self.terms[*term]
                        .words
                        .pick(lang, default)
                        .map_or("", |(t, _)| t)
                        .to_owned(),
                }
            })
            .collect()
    }
}

/// A Latin wording must not be part of a longer word (`interview` in `interviewer`).
fn is_whole(text: &str, at: usize, len: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + len..].chars().next();
    let latin_edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let starts_latin = text[at..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let ends_latin = text[..at + len]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    (!starts_latin || !latin_edge(before)) && (!ends_latin || !latin_edge(after))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        Glossary::new(vec![Term {
            words: Localized::only("en", "in-person consultation"),
            avoid: BTreeMap::from([(
                "en".to_owned(),
                vec!["interview".to_owned(), "interviews".to_owned()],
            )]),
        }])
    }

    #[test]
    fn avoided_wordings_match_whole_words_ignoring_case() {
        let text = "Interviews are by appointment; an interviewer will call.";
        let found = glossary().avoided_in(text, "en", "ja");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].offset, 0);
        assert_eq!(found[0].preferred, "in-person consultation");
        assert!(glossary().avoided_in(text, "ja", "ja").is_empty());
    }
}
