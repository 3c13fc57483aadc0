//! `content/site.toml`: the site's languages, address and contact block, as typed data.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::localized::LocalizedSource;

use crate::address::SiteAddress;
use crate::diagnostics::{Diagnostic, Problem};
use crate::load::SourceFile;
use crate::toml_file::Document;
use toml::de::DeValue;

/// The whole of `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Where the site is published, as written: `https://example.jp/hikikomori/`.
    #[serde(rename = "base_url")]
    base_url_written: String,
    /// The same, checked; set by [`SiteConfig::parse`].
    #[serde(skip)]
    pub address: SiteAddress,
    /// The line each top-level key (`base_url`, `contact`) is written on, for messages
    /// later stages find; set by [`SiteConfig::parse`] from the reading of the file.
    #[serde(skip)]
    pub key_lines: BTreeMap<String, usize>,
    /// The language served at `/`; the others live under `/<code>/`.
    pub default_language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Per language: its own name, the site title and description.
    pub languages: BTreeMap<String, Language>,
    /// The centre's contact details as written; the data stage checks them against
    /// their sources. A site without the table has no consultation line.
    #[serde(default)]
    pub contact: Option<ContactEntry>,
    #[serde(default)]
    pub feed: FeedSettings,
    #[serde(default)]
    pub news: NewsSettings,
    /// Keys of pages linked from every page's footer (e.g. `accessibility`).
    #[serde(default)]
    pub footer: Vec<String>,
    /// Whether `build` writes the site search's index and the search page runs its
    /// script (`search = false` turns both off; the page's index of keywords stays).
    #[serde(default = "default_search")]
    pub search: bool,
    /// Which servers' settings `build` writes beside the pages.
    #[serde(default)]
    pub hosting: HostingSettings,
    /// The data the site publishes for reuse (the municipal desks as CSV and JSON).
    #[serde(default)]
    pub open_data: OpenDataSettings,
}

/// `[open_data]`: the licence the data files are published under. Without one they are
/// not published: data nobody may reuse is no open data.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OpenDataSettings {
    pub license: Option<License>,
}

/// A licence, by its SPDX identifier (the government's 公共データ利用規約 as `PDL-1.0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum License {
    #[serde(rename = "CC-BY-4.0")]
    CcBy4,
    #[serde(rename = "CC0-1.0")]
    Cc0,
    #[serde(rename = "PDL-1.0")]
    Pdl1,
}

fn default_search() -> bool {
    true
}

/// The servers a site is published on, whose settings `build` writes from the site's
/// one policy: `apache` (`.htaccess`), `nginx` (`yorisoi-nginx.conf`, to `include`),
/// `static` (`_headers`, for hosts that read one). All three unless `site.toml` says.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HostingSettings {
    #[serde(default = "default_servers")]
    pub servers: Vec<Server>,
    /// Compressed copies (`.gz`, `.br`) beside every page, feed, style sheet and search
    /// file worth one, for servers to send as they are (`precompress`).
    #[serde(default = "default_precompress")]
    pub precompress: bool,
}

fn default_precompress() -> bool {
    true
}

impl Default for HostingSettings {
    fn default() -> Self {
        HostingSettings {
            servers: default_servers(),
            precompress: default_precompress(),
        }
    }
}

fn default_servers() -> Vec<Server> {
    vec![Server::Apache, Server::Nginx, Server::Static]
}

/// A kind of server a site is published on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Server {
    Apache,
    Nginx,
    Static,
}

fn default_theme() -> String {
    "default".to_owned()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// The language named in itself: 日本語, English.
    pub name: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The folder its pages are published in (`easy` for `/easy/`); by default its code.
    #[serde(default)]
    pub path: Option<String>,
    /// For a way of writing another language rather than a language of its own
    /// (やさしい日本語 is Japanese): that language's code. Its pages say they are in it
    /// (`lang="ja"`), are never given as translations in `hreflang`, and may cover only
    /// some of the site's pages.
    #[serde(default)]
    pub variant_of: Option<String>,
    /// The rules of the easy-Japanese guideline are checked on its pages when present.
    #[serde(default)]
    pub easy_japanese: Option<EasyJapanese>,
}

/// Settings of the easy-Japanese check ("在留支援のためのやさしい日本語ガイドライン").
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EasyJapanese {
    /// The longest sentence, in characters, before it is pointed out.
    #[serde(default = "default_max_sentence")]
    pub max_sentence: usize,
}

fn default_max_sentence() -> usize {
    50
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FeedSettings {
    /// How many announcements a feed carries.
    #[serde(default = "default_feed_limit")]
    pub limit: usize,
}

impl Default for FeedSettings {
    fn default() -> Self {
        FeedSettings {
            limit: default_feed_limit(),
        }
    }
}

fn default_feed_limit() -> usize {
    20
}

/// How announcements are listed on the site.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewsSettings {
    /// Announcements per page of the news list; older ones continue on further pages.
    #[serde(default = "default_per_page")]
    pub per_page: usize,
    /// How many of the newest announcements the home page shows.
    #[serde(default = "default_on_home")]
    pub on_home: usize,
}

impl Default for NewsSettings {
    fn default() -> Self {
        NewsSettings {
            per_page: default_per_page(),
            on_home: default_on_home(),
        }
    }
}

fn default_per_page() -> usize {
    10
}

fn default_on_home() -> usize {
    5
}

impl SiteConfig {
    /// Reads and checks `site.toml`; every problem comes back located in the file.
    pub fn parse(file: &SourceFile) -> Result<SiteConfig, Vec<Diagnostic>> {
        // One reading of the file: its values, and where each is written.
        let document = Document::parse(&file.rel, &file.text, "")?;
        let mut config: SiteConfig = document.read().map_err(|d| vec![d])?;
        let mut problems = Vec::new();
        if !config.languages.contains_key(&config.default_language) {
            problems.push(document.at_key(
                &["default_language"],
                Diagnostic::error(Problem::DefaultLanguageNotDeclared {
                    lang: config.default_language.clone(),
                }),
            ));
        }
        // Settings reach every page and the feed; a character written as an escape
        // (`"\uFFFF"`) is not seen by the scan of the file's own characters.
        let mut cursor = crate::diagnostics::LineCursor::new(&file.text);
        for (offset, c) in crate::content_policy::escaped_forbidden_characters(&file.text) {
            problems.push(
                Diagnostic::error(Problem::ControlCharacter { code: u32::from(c) }).at_offset(
                    &file.rel,
                    cursor.position(offset),
                    &file.text,
                ),
            );
        }
        problems.extend(language_problems(&config, &document));
        problems.extend(language_code_problems(&document));
        if !is_one_folder_name(&config.theme) {
            problems.push(document.at_key(
                &["theme"],
                Diagnostic::error(Problem::InvalidThemeName {
                    name: config.theme.clone(),
                }),
            ));
        }
        config.key_lines = document
            .top_level_places()
            .into_iter()
            .map(|(key, place)| (key, place.key.0))
            .collect();
        match SiteAddress::parse(&config.base_url_written) {
            Ok(address) => config.address = address,
            Err(flaw) => problems.push(document.at_key(
                &["base_url"],
                Diagnostic::error(Problem::InvalidBaseUrl {
                    value: config.base_url_written.clone(),
                    flaw,
                }),
            )),
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// The line a top-level key of `site.toml` is written on; 1 when it is not written.
    pub fn key_line(&self, key: &str) -> usize {
        self.key_lines.get(key).copied().unwrap_or(1)
    }

    /// Replaces the base URL (the `--base-url` flag, or `serve`'s local address).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), Diagnostic> {
        self.address = SiteAddress::parse(url).map_err(|flaw| {
            Diagnostic::error(Problem::InvalidBaseUrl {
                value: url.to_owned(),
                flaw,
            })
        })?;
        Ok(())
    }

    /// `content/../themes/<name>`: the theme sits beside the content it dresses.
    pub fn default_theme_dir(&self, content: &Path) -> PathBuf {
        themes_dir(content).join(&self.theme)
    }

    /// Declared language codes, the default first.
    pub fn language_codes(&self) -> Vec<String> {
        let mut codes = vec![self.default_language.clone()];
        codes.extend(
            self.languages
                .keys()
                .filter(|c| **c != self.default_language)
                .cloned(),
        );
        codes
    }

    /// `""` for the default language, `"/en"` (or the language's `path`, `"/easy"`) for
    /// the others.
    pub fn language_prefix(&self, lang: &str) -> String {
        if lang == self.default_language {
            return String::new();
        }
        let path = self.languages.get(lang).and_then(|l| l.path.as_deref());
        format!("/{}", path.unwrap_or(lang))
    }

    /// The language a page of `lang` is written in, for `lang` attributes: the code
    /// itself, or for a variant the language it is a variant of.
    pub fn html_lang<'a>(&'a self, lang: &'a str) -> &'a str {
        self.languages
            .get(lang)
            .and_then(|l| l.variant_of.as_deref())
            .unwrap_or(lang)
    }

    /// The languages written in やさしい日本語, with the longest sentence each allows.
    pub fn easy_japanese(&self) -> BTreeMap<String, usize> {
        self.languages
            .iter()
            .filter_map(|(code, l)| Some((code.clone(), l.easy_japanese.as_ref()?.max_sentence)))
            .collect()
    }

    /// Whether `lang` is a way of writing another language (see [`Language::variant_of`]).
    pub fn is_variant(&self, lang: &str) -> bool {
        self.languages
            .get(lang)
            .is_some_and(|l| l.variant_of.is_some())
    }
}

/// `[contact]` as written in `site.toml`; read into [`Contact`] once the sources are
/// known.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactEntry {
    /// The centre's name as the contact block gives it.
    pub name: Option<Spanned<LocalizedSource>>,
    /// What the consultation line is called: 「ひきこもり相談」.
    pub phone_label: Option<Spanned<LocalizedSource>>,
    pub phone: Option<Spanned<String>>,
    pub phone_source: Option<Spanned<String>>,
    pub hours: Option<Spanned<LocalizedSource>>,
    /// What kind of hours `hours` are: `always`, `set-times` or `by-area`.
    pub open: Option<Spanned<String>>,
    pub hours_source: Option<Spanned<String>>,
    pub address: Option<Spanned<LocalizedSource>>,
    pub address_source: Option<Spanned<String>>,
    /// The centre's other numbers, as a source lists them.
    #[serde(default)]
    pub inquiry_phones: Vec<Spanned<String>>,
    /// What the source calls the other numbers: its heading for them (「お問い合わせ先」).
    pub inquiry_label: Option<Spanned<LocalizedSource>>,
    /// The office that answers the enquiry numbers.
    pub inquiry_unit: Option<Spanned<LocalizedSource>>,
    pub inquiry_source: Option<Spanned<String>>,
    pub fax: Option<Spanned<String>>,
    pub fax_source: Option<Spanned<String>>,
    /// A note shown with the details, such as "confirm by phone".
    pub note: Option<Spanned<LocalizedSource>>,
    /// `hours` as days and times, for search engines; from `hours_source`.
    pub opening_hours: Option<Spanned<OpeningHoursEntry>>,
    /// Where the people the centre serves live, as the source says it.
    pub area_served: Option<Spanned<LocalizedSource>>,
    pub area_served_source: Option<Spanned<String>>,
    /// The organization the centre is part of, as the source says it.
    pub parent_organization: Option<Spanned<LocalizedSource>>,
    pub parent_organization_source: Option<Spanned<String>>,
    /// The source of every fact above that names none of its own.
    pub source: Option<Spanned<String>>,
}

/// `[contact.opening_hours]` as written: the days and times `hours` gives in words.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpeningHoursEntry {
    /// `"monday"` or `"月曜日"`, …
    pub days: Vec<Spanned<String>>,
    /// `"09:00"`.
    pub opens: Spanned<String>,
    pub closes: Spanned<String>,
    /// The first day the source gives these hours for (a centre's opening day).
    pub valid_from: Option<Spanned<toml::value::Datetime>>,
}

/// `content/../themes`: the folder of themes beside the content folder.
pub fn themes_dir(content: &Path) -> PathBuf {
    content
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("themes"), |parent| parent.join("themes"))
}

/// Reads `site.toml` from the content folder, if it is there.
pub fn find(files: &[SourceFile]) -> Option<&SourceFile> {
    files.iter().find(|f| f.rel == Path::new(FILE_NAME))
}

/// The site's settings file, at the top of the content folder.
pub const FILE_NAME: &str = "site.toml";

/// Whether `theme` names one folder under `themes/`: not empty, not hidden, and no
/// separator or parent step that would take the theme from anywhere on the computer.
fn is_one_folder_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':'])
        && !name.chars().any(char::is_control)
        && !Path::new(name).is_absolute()
}

/// Whether `code` is a well-formed BCP 47 language tag (`ja`, `en`, `zh-Hant`,
/// `pt-BR`), read by ICU4X's parser of Unicode locale identifiers. A code is written
/// into `lang` and `hreflang` attributes, file names and, without a `path`, the
/// language's folder; a well-formed tag holds only ASCII letters, digits and hyphens.
/// Only the form is checked, not the registry: `ja-easy` (a script subtag in form) is
/// the file-name code of a variant whose pages say `lang="ja"` (see
/// [`SiteConfig::html_lang`]).
pub fn is_language_tag(code: &str) -> bool {
    code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && icu_locale_core::Locale::try_from_str(code).is_ok()
}

/// Language codes of `[languages]` that are not BCP 47 tags, each at the place its
/// code is written (`[languages."ja JP"]`, `[languages.""]`).
fn language_code_problems(document: &Document) -> Vec<Diagnostic> {
    let Some(DeValue::Table(languages)) = document.root().get("languages").map(|v| v.get_ref())
    else {
        return Vec::new();
    };
    languages
        .iter()
        .filter(|(code, _)| !is_language_tag(code.get_ref()))
        .map(|(code, _)| {
            document.located(
                code.span().start,
                Diagnostic::error(Problem::InvalidLanguageCode {
                    code: code.get_ref().to_string(),
                }),
            )
        })
        .collect()
}

/// What is wrong with the languages' own settings: a `path` that is not one folder
/// name (it would put pages outside the site), and a `variant_of` that names no
/// language of its own.
fn language_problems(config: &SiteConfig, document: &Document) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let at = |code: &str, key: &str, d: Diagnostic| document.at_key(&["languages", code, key], d);
    for (code, language) in &config.languages {
        if let Some(path) = &language.path {
            let usable = !path.is_empty()
                && path
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !usable {
                problems.push(at(
                    code,
                    "path",
                    Diagnostic::error(Problem::InvalidLanguagePath {
                        lang: code.clone(),
                        path: path.clone(),
                    }),
                ));
            }
        }
        if let Some(of) = &language.variant_of {
            let own_language = of != code
                && config
                    .languages
                    .get(of)
                    .is_some_and(|l| l.variant_of.is_none());
            if !own_language {
                problems.push(at(
                    code,
                    "variant_of",
                    Diagnostic::error(Problem::InvalidVariantOf {
                        lang: code.clone(),
                        of: of.clone(),
                    }),
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            rel: PathBuf::from("site.toml"),
            text: text.into(),
        }
    }

    const MINIMAL: &str = r#"
base_url = "https://example.jp/sub"
default_language = "ja"
[languages.ja]
name = "日本語"
title = "サイト"
[languages.en]
name = "English"
title = "Site"
"#;

    #[test]
    fn base_url_gets_one_trailing_slash_and_a_path() {
        let config = SiteConfig::parse(&file(MINIMAL)).unwrap();
        assert_eq!(config.address.base_url(), "https://example.jp/sub/");
        assert_eq!(config.address.base_path(), "/sub/");
        assert_eq!(config.language_codes(), vec!["ja", "en"]);
        assert_eq!(config.language_prefix("en"), "/en");
        assert_eq!(config.language_prefix("ja"), "");
    }

    #[test]
    fn an_undeclared_default_language_is_located() {
        let text = MINIMAL.replace("default_language = \"ja\"", "default_language = \"fr\"");
        let errors = SiteConfig::parse(&file(&text)).unwrap_err();
        assert_eq!(errors[0].location.as_ref().unwrap().line, 3);
        assert!(matches!(
            errors[0].problem,
            Problem::DefaultLanguageNotDeclared { .. }
        ));
    }

    #[test]
    fn a_theme_is_one_folder_name_under_themes() {
        for bad in [
            "../../../x",
            "/etc",
            "a/b",
            "a\\b",
            "",
            ".hidden",
            "..",
            "C:x",
        ] {
            let text = MINIMAL.replace(
                "default_language = \"ja\"",
                &format!("default_language = \"ja\"\ntheme = {bad:?}"),
            );
            let errors = SiteConfig::parse(&file(&text)).unwrap_err();
            assert!(
                matches!(&errors[0].problem, Problem::InvalidThemeName { name } if name == bad),
                "{bad}: {errors:?}"
            );
            assert_eq!(errors[0].location.as_ref().map(|l| l.line), Some(4));
        }
        let text = MINIMAL.replace(
            "default_language = \"ja\"",
            "default_language = \"ja\"\ntheme = \"centre-2026\"",
        );
        assert_eq!(
            SiteConfig::parse(&file(&text)).unwrap().theme,
            "centre-2026"
        );
    }

    #[test]
    fn language_codes_are_bcp47_tags() {
        for good in [
            "ja",
            "en",
            "ja-easy",
            "zh-Hant",
            "pt-BR",
            "de-1996",
            "ja-x-easy",
        ] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in [
            "",
            "\"",
            "?",
            "#",
            "ja jp",
            "ja_JP",
            "ja-",
            "-ja",
            "日本語",
            "ja?",
        ] {
            assert!(!is_language_tag(bad), "{bad:?}");
        }
        let text = MINIMAL.replace("[languages.en]", "[languages.\"en?\"]");
        let errors = SiteConfig::parse(&file(&text)).unwrap_err();
        assert!(
            matches!(&errors[0].problem, Problem::InvalidLanguageCode { code } if code == "en?"),
            "{errors:?}"
        );
        let location = errors[0].location.as_ref().unwrap();
        assert_eq!((location.line, location.column), (7, 12));
    }

    #[test]
    fn an_unknown_key_is_located_and_named_in_its_table() {
        let text = format!("{MINIMAL}\ncolour = \"red\"\n");
        let errors = SiteConfig::parse(&file(&text)).unwrap_err();
        assert!(
            matches!(&errors[0].problem, Problem::UnknownKey { key, .. } if key == "colour"),
            "{:?}",
            errors[0].problem
        );
        assert_eq!(errors[0].location.as_ref().map(|l| l.line), Some(11));
        // Written after [languages.en], it belongs to that table.
        assert_eq!(
            errors[0].entry.as_ref().map(|e| e.heading.as_str()),
            Some("[languages.en]")
        );
    }
}
