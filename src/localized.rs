//! Text written in several languages, as data: one value holds every language's words,
//! so nothing in the code picks fields named after a language.
//!
//! Owns the choice of words for a reader: the reader's language if the text has it,
//! else the language it is a variant of (`ja-easy` reads `ja`), else the site's default
//! language. The words chosen always come with the language they are in, so a page can
//! mark a Japanese name on an English page with `lang="ja"`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Words in one or more languages, by language code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Localized {
    texts: BTreeMap<String, String>,
}

/// How a localized value is written in TOML: `"…"` (the default language only) or
/// `{ ja = "…", en = "…" }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum LocalizedSource {
    One(String),
    Many(BTreeMap<String, String>),
}

/// The words chosen for a reader, and their language when it differs from the page's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    pub text: String,
    /// Set only when the text is not in the page's language, for a `lang` attribute.
    pub lang: Option<String>,
}

/// Why a written localized value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalizedError {
    /// A language code the site does not declare.
    UnknownLanguage(String),
    /// The default language's words are missing; every other language falls back to
    /// them, so they are required.
    MissingDefault,
}

impl Localized {
    /// Checks a written value against the site's languages. `languages` starts with the
    /// default language.
    pub fn from_source(
        source: LocalizedSource,
        languages: &[String],
    ) -> Result<Localized, LocalizedError> {
        let default = languages.first().cloned().unwrap_or_default();
        let texts = match source {
            LocalizedSource::One(text) => BTreeMap::from([(default.clone(), text)]),
            LocalizedSource::Many(texts) => texts,
        };
        if let Some(unknown) = texts.keys().find(|k| !languages.contains(k)) {
            return Err(LocalizedError::UnknownLanguage(unknown.clone()));
        }
        if !texts.contains_key(&default) {
            return Err(LocalizedError::MissingDefault);
        }
        Ok(Localized { texts })
    }

    /// Words meant only for the languages given (a note English readers need and
    /// Japanese readers do not): no default language is required, and a reader of
    /// another language gets nothing rather than another language's words.
    pub fn partial(
        source: LocalizedSource,
        languages: &[String],
    ) -> Result<Localized, LocalizedError> {
        let default = languages.first().cloned().unwrap_or_default();
        let texts = match source {
            LocalizedSource::One(text) => BTreeMap::from([(default, text)]),
            LocalizedSource::Many(texts) => texts,
        };
        match texts.keys().find(|k| !languages.contains(k)) {
            Some(unknown) => Err(LocalizedError::UnknownLanguage(unknown.clone())),
            None => Ok(Localized { texts }),
        }
    }

    /// The words for a reader of `lang` (or the language it is a variant of), without
    /// falling back to any other language.
    pub fn shown_if_written(&self, lang: &str) -> Option<Shown> {
        let base = lang.split_once('-').map_or(lang, |(base, _)| base);
        [lang, base].into_iter().find_map(|l| {
            self.texts.get(l).map(|text| Shown {
                text: text.clone(),
                lang: (l != lang).then(|| l.to_owned()),
            })
        })
    }

    /// Words in one language only, for values that exist only in that language.
    pub fn only(lang: &str, text: &str) -> Localized {
        Localized {
            texts: BTreeMap::from([(lang.to_owned(), text.to_owned())]),
        }
    }

    /// The words for a reader of `lang`, with `default` as the last resort, and the
    /// language they are in.
    pub fn pick<'a>(&'a self, lang: &str, default: &str) -> Option<(&'a str, &'a str)> {
        let base = lang.split_once('-').map_or(lang, |(base, _)| base);
        [lang, base, default]
            .into_iter()
            .find_map(|l| self.texts.get_key_value(l))
            .or_else(|| self.texts.iter().next())
            .map(|(l, t)| (t.as_str(), l.as_str()))
    }

    /// The words for a page in `lang`, marked with their language if it differs.
    pub fn shown(&self, lang: &str, default: &str) -> Shown {
        match self.pick(lang, default) {
            Some((text, text_lang)) => Shown {
                text: text.to_owned(),
                lang: (text_lang != lang).then(|| text_lang.to_owned()),
            },
            None => Shown {
                text: String::new(),
                lang: None,
            },
        }
    }

    /// The words in exactly `lang`, without falling back.
    pub fn get(&self, lang: &str) -> Option<&str> {
        self.texts.get(lang).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.texts.values().all(|t| t.trim().is_empty())
    }

    /// Every language's words, for checks that look at all of them.
    pub fn texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.texts.iter().map(|(l, t)| (l.as_str(), t.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn languages() -> Vec<String> {
        vec!["ja".into(), "en".into()]
    }

    fn many(pairs: &[(&str, &str)]) -> LocalizedSource {
        LocalizedSource::Many(
            pairs
                .iter()
                .map(|(l, t)| ((*l).to_owned(), (*t).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn a_reader_gets_their_language_or_the_default_marked_as_such() {
        let name = Localized::from_source(
            many(&[("ja", "塩竈市"), ("en", "Shiogama City")]),
            &languages(),
        )
        .unwrap();
        assert_eq!(
            name.shown("en", "ja"),
            Shown {
                text: "Shiogama City".into(),
                lang: None
            }
        );
        let address = Localized::from_source(many(&[("ja", "塩竈市北浜")]), &languages()).unwrap();
        assert_eq!(
            address.shown("en", "ja"),
            Shown {
                text: "塩竈市北浜".into(),
                lang: Some("ja".into())
            }
        );
        assert_eq!(address.shown("ja", "ja").lang, None);
    }

    #[test]
    fn a_variant_reads_its_base_language_first() {
        let text = Localized::from_source(
            many(&[("ja", "相談"), ("en", "Consultation")]),
            &languages(),
        )
        .unwrap();
        assert_eq!(text.pick("ja-easy", "ja"), Some(("相談", "ja")));
        assert_eq!(text.shown("ja-easy", "ja").lang, Some("ja".into()));
    }

    #[test]
    fn a_plain_string_is_the_default_language() {
        let text =
            Localized::from_source(LocalizedSource::One("相談".into()), &languages()).unwrap();
        assert_eq!(text.get("ja"), Some("相談"));
        assert_eq!(text.get("en"), None);
    }

    #[test]
    fn unknown_languages_and_a_missing_default_are_refused() {
        assert_eq!(
            Localized::from_source(many(&[("ja", "x"), ("jp", "y")]), &languages()),
            Err(LocalizedError::UnknownLanguage("jp".into()))
        );
        assert_eq!(
            Localized::from_source(many(&[("en", "x")]), &languages()),
            Err(LocalizedError::MissingDefault)
        );
    }
}
