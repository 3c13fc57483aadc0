//! How each language of the site writes things: dates, file sizes, its script, and the
//! placeholder words of a new announcement.
//!
//! Owns the difference between languages, so that nothing else in the code names one.
//! The settings come from the theme's interface texts (`i18n/<lang>.toml`), where a
//! language is added without touching the code: `date_style`, `size_style`, `script`,
//! `other_script_lang` and the `starter_*` texts.

use crate::dates::DateStyle;
use crate::starter::Starter;

/// How file sizes are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SizeStyle {
    /// `1,409KB`, as Japanese public bodies write sizes.
    Kilobytes,
    /// `1.4 MB`, `934 KB`.
    #[default]
    Metric,
}

/// The script a language's text is written in, for telling a page's language from its
/// text and for marking runs of another script with their language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Script {
    /// Kana and kanji.
    Japanese,
    /// Latin letters.
    #[default]
    Latin,
}

/// A language's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Locale {
    pub date_style: DateStyle,
    pub size_style: SizeStyle,
    pub script: Script,
    /// The language of runs of the other script in this language's text (on a Japanese
    /// page, English phrases are marked `lang="en"`); none leaves them unmarked.
    pub other_script_lang: Option<String>,
    /// The placeholder words of `new news`.
    pub starter: Starter,
    /// The placeholder words of `new page`, with the same publishing note.
    pub page_starter: Starter,
}

/// A setting with a value the code does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSetting {
    pub key: &'static str,
    pub value: String,
    pub allowed: &'static [&'static str],
}

impl Locale {
    /// Reads the settings from a language's interface texts; a missing setting takes its
    /// default, an unknown value is reported and takes the default too.
    pub fn from_texts(get: impl Fn(&str) -> Option<String>) -> (Locale, Vec<UnknownSetting>) {
        let mut unknown = Vec::new();
        let mut setting = |key: &'static str, allowed: &'static [&'static str]| {
            let value = get(key)?;
            if allowed.contains(&value.as_str()) {
                Some(value)
            } else {
                unknown.push(UnknownSetting {
                    key,
                    value,
                    allowed,
                });
                None
            }
        };
        let date_style = match setting("date_style", &DATE_STYLES).as_deref() {
            Some("japanese") => DateStyle::Japanese,
            Some("japanese-western") => DateStyle::JapaneseWestern,
            _ => DateStyle::DayMonthYear,
        };
        let size_style = match setting("size_style", &SIZE_STYLES).as_deref() {
            Some("kilobytes") => SizeStyle::Kilobytes,
            _ => SizeStyle::Metric,
        };
        let script = match setting("script", &SCRIPTS).as_deref() {
            Some("japanese") => Script::Japanese,
            _ => Script::Latin,
        };
        let text = |key: &str| get(key).unwrap_or_default();
        let locale = Locale {
            date_style,
            size_style,
            script,
            other_script_lang: get("other_script_lang").filter(|l| !l.is_empty()),
            starter: Starter {
                title: text("starter_title"),
                description: text("starter_description"),
                body: text("starter_body"),
                how_to_publish: text("starter_how_to_publish"),
            },
            page_starter: Starter {
                title: text("starter_page_title"),
                description: text("starter_page_description"),
                body: text("starter_page_body"),
                how_to_publish: text("starter_how_to_publish"),
            },
        };
        (locale, unknown)
    }
}

const DATE_STYLES: [&str; 3] = ["japanese", "japanese-western", "day-month-year"];
const SIZE_STYLES: [&str; 2] = ["kilobytes", "metric"];
const SCRIPTS: [&str; 2] = ["japanese", "latin"];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn settings_come_from_the_interface_texts() {
        let texts = BTreeMap::from([
            ("date_style", "japanese"),
            ("size_style", "kilobytes"),
            ("script", "japanese"),
            ("other_script_lang", "en"),
            ("starter_title", "お知らせの題名"),
        ]);
        let (locale, unknown) = Locale::from_texts(|k| texts.get(k).map(|v| (*v).to_owned()));
        assert!(unknown.is_empty());
        assert_eq!(locale.date_style, DateStyle::Japanese);
        assert_eq!(locale.size_style, SizeStyle::Kilobytes);
        assert_eq!(locale.script, Script::Japanese);
        assert_eq!(locale.other_script_lang.as_deref(), Some("en"));
        assert_eq!(locale.starter.title, "お知らせの題名");
    }

    #[test]
    fn an_unknown_value_is_reported_and_defaults() {
        let (locale, unknown) =
            Locale::from_texts(|k| (k == "date_style").then(|| "martian".to_owned()));
        assert_eq!(locale.date_style, DateStyle::DayMonthYear);
        assert_eq!(unknown[0].key, "date_style");
    }
}
