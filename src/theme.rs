//! The theme: tera templates compiled once, UI strings per language, static files.
//!
//! A theme folder holds `templates/*.html`, `i18n/<lang>.toml` (flat `key = "text"`)
//! and `static/` (copied to the site root). It is an input like `content/`, loaded
//! before linking so that links to theme files can be checked.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use tera::Tera;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Problem};
use crate::load::{decode, slash_path};
use crate::locale::Locale;
use crate::toml_file::parse_file;

/// UI strings of one language, complete: gaps are filled from the default language.
pub type Strings = BTreeMap<String, String>;

/// UI strings of every language, by language code.
pub type AllStrings = BTreeMap<String, Strings>;

pub struct Theme {
    pub dir: PathBuf,
    pub tera: Tera,
    pub strings: AllStrings,
    /// Files under `static/`, copied to the site root.
    pub static_files: Vec<StaticFile>,
    /// Each static file's name in the theme to its published name.
    asset_names: BTreeMap<String, String>,
    /// What each template reads that not every page is given.
    needs: BTreeMap<String, Needs>,
    /// How each language writes dates and sizes, and its script.
    locales: BTreeMap<String, Locale>,
}

/// A file of the theme's `static/` folder.
#[derive(Debug, Clone)]
pub struct StaticFile {
    pub path: PathBuf,
    /// Below the site root, as in the folder: `css/site.css`, the name templates use.
    pub url_path: String,
    /// Below the site root, as published: `css/site-<hash>.css` (see `fingerprint`).
    pub published: String,
    /// A style sheet's bytes with the names of the theme's files it loads changed to
    /// their published names; `None` for a file published as it is.
    pub rewritten: Option<Vec<u8>>,
    pub size: u64,
}

/// The parts of the template data a template reads that are costly to build for every
/// page: the data files' views, the whole-site map, and which interface texts (`t.…`).
/// Found by reading the template's text and the texts it includes, extends or imports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    pub data: bool,
    pub site_map: bool,
    /// The site search's keyword index of the language (`site_search`), which is built
    /// from every other page as rendered, so the page is rendered after them.
    pub site_search: bool,
    /// The centre's contact details, which the shared parts show on every page anyway.
    pub contact: bool,
    /// The interface texts it reads; `None` if it reads them by a computed key
    /// (`t[key]`), and so may read any.
    pub strings: Option<BTreeSet<String>>,
}

impl Theme {
    /// Loads and compiles everything; problems are reported, never panicked on.
    pub fn load(
        dir: &Path,
        config: &SiteConfig,
    ) -> Result<(Theme, Vec<Diagnostic>), Vec<Diagnostic>> {
        let (tera, sources) = compile_templates(dir)?;
        let (strings, mut warnings) = load_strings(dir, config)?;
        let mut locales = BTreeMap::new();
        for (lang, texts) in &strings {
            let (locale, unknown) = Locale::from_texts(|k| texts.get(k).cloned());
            let file = dir.join("i18n").join(format!("{lang}.toml"));
            warnings.extend(unknown.into_iter().map(|u| {
                Diagnostic::warning(Problem::UnknownSetting {
                    key: u.key.to_owned(),
                    value: u.value,
                    allowed: u.allowed.to_vec(),
                })
                .in_file(&file)
            }));
            locales.insert(lang.clone(), locale);
        }
        let (static_files, static_problems) = list_static(dir, config.address.base_path());
        if static_problems.iter().any(Diagnostic::is_error) {
            return Err(static_problems);
        }
        warnings.extend(static_problems);
        warnings.extend(files_named_in_templates(dir, &sources, &static_files));
        Ok((
            Theme {
                dir: dir.to_path_buf(),
                tera,
                strings,
                asset_names: static_files
                    .iter()
                    .map(|f| (f.url_path.clone(), f.published.clone()))
                    .collect(),
                static_files,
                needs: template_needs(&sources),
                locales,
            },
            warnings,
        ))
    }

    /// Each static file's name in the theme (`css/site.css`) to its published name.
    pub fn asset_names(&self) -> &BTreeMap<String, String> {
        &self.asset_names
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    pub fn template_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .tera
            .get_template_names()
            .filter(|n| {
                !n.starts_with("partials/")
                    && !n.starts_with("shared/")
                    && !["base.html", "macros.html"].contains(n)
            })
            .map(str::to_owned)
            .collect();
        names.sort();
        names
    }

    /// How a language writes dates and sizes; the default settings for a language the
    /// theme has no texts for.
    pub fn locale(&self, lang: &str) -> &Locale {
        static DEFAULT: std::sync::OnceLock<Locale> = std::sync::OnceLock::new();
        self.locales
            .get(lang)
            .unwrap_or_else(|| DEFAULT.get_or_init(Locale::default))
    }

    /// Every language's settings.
    pub fn locales(&self) -> &BTreeMap<String, Locale> {
        &self.locales
    }

    /// What a template reads beyond a page's own data.
    pub fn needs(&self, template: &str) -> &Needs {
        static ALL: Needs = Needs {
            data: true,
            site_map: true,
            site_search: true,
            contact: true,
            strings: None,
        };
        self.needs.get(template).unwrap_or(&ALL)
    }

    /// The templates under `shared/`: rendered once per language, and given to every
    /// page as `shared.<name>` (`shared/help-line.html` is `shared.help_line`).
    pub fn shared_templates(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .tera
            .get_template_names()
            .filter(|n| n.starts_with("shared/"))
            .map(str::to_owned)
            .collect();
        names.sort();
        names
    }

    pub fn strings(&self, lang: &str) -> &Strings {
        static EMPTY: Strings = BTreeMap::new();
        self.strings.get(lang).unwrap_or(&EMPTY)
    }
}

/// Compiles every template; also returns each one's text by name, for [`template_needs`].
fn compile_templates(dir: &Path) -> Result<(Tera, BTreeMap<String, String>), Vec<Diagnostic>> {
    let templates_dir = dir.join("templates");
    if !templates_dir.is_dir() {
        return Err(vec![Diagnostic::error(Problem::MissingThemeFile {
            path: templates_dir,
        })]);
    }
    let files: Vec<(PathBuf, Option<String>)> = WalkDir::new(&templates_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && e.path()
                    .extension()
                    .is_some_and(|x| x == "html" || x == "xml")
        })
        .map(|e| {
            let name = slash_path(e.path().strip_prefix(&templates_dir).unwrap_or(e.path()));
            (e.path().to_path_buf(), Some(name))
        })
        .collect();
    let sources: BTreeMap<String, String> = files
        .iter()
        .filter_map(|(path, name)| Some((name.clone()?, fs::read_to_string(path).ok()?)))
        .collect();
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_markup);
    // `{{ text | ruby | safe }}` shows furigana as `<ruby>` markup, the rest escaped;
    // `{{ text | plain }}` is the text without readings, for a `<title>` or an
    // attribute. Both take the text as written, `{漢字|かんじ}` and all.
    tera.register_filter("ruby", ruby_filter);
    tera.register_filter("plain", plain_filter);
    tera.add_template_files(files).map_err(|e| {
        vec![
            Diagnostic::error(Problem::Template {
                detail: tera_error_chain(&e),
            })
            .in_file(&templates_dir),
        ]
    })?;
    for required in ["page.html", "section.html", "index.html", "404.html"] {
        if !tera.get_template_names().any(|n| n == required) {
            return Err(vec![Diagnostic::error(Problem::MissingThemeFile {
                path: templates_dir.join(required),
            })]);
        }
    }
    Ok((tera, sources))
}

/// What each template reads, directly or through the templates it includes, extends or
/// imports: `data.` for the data files, `site_map` for the whole-site map.
fn template_needs(sources: &BTreeMap<String, String>) -> BTreeMap<String, Needs> {
    let direct: BTreeMap<&str, (Needs, Vec<String>)> = sources
        .iter()
        .map(|(name, text)| {
            let needs = Needs {
                data: text.contains("data.") || text.contains("data["),
                site_map: text.contains("site_map"),
                site_search: text.contains("site_search"),
                contact: text.contains("site.contact"),
                strings: strings_read(text),
            };
            (name.as_str(), (needs, referenced_templates(text)))
        })
        .collect();
    fn visit(
        name: &str,
        direct: &BTreeMap<&str, (Needs, Vec<String>)>,
        seen: &mut BTreeSet<String>,
        needs: &mut Needs,
    ) {
        if !seen.insert(name.to_owned()) {
            return;
        }
        if let Some((own, referenced)) = direct.get(name) {
            needs.data |= own.data;
            needs.site_map |= own.site_map;
            needs.site_search |= own.site_search;
            needs.contact |= own.contact;
            match (&mut needs.strings, &own.strings) {
                (Some(all), Some(these)) => all.extend(these.iter().cloned()),
                (all, _) => *all = None,
            }
            for r in referenced {
                visit(r, direct, seen, needs);
            }
        }
    }
    direct
        .keys()
        .map(|name| {
            let mut needs = Needs {
                strings: Some(BTreeSet::new()),
                ..Needs::default()
            };
            visit(name, &direct, &mut BTreeSet::new(), &mut needs);
            ((*name).to_owned(), needs)
        })
        .collect()
}

/// The interface texts a template reads as `t.key`; `None` (every text) if its code
/// uses `t` in any other way: indexed with a computed key (`t[name]`), or handed on
/// whole (`{% set words = t %}`, a macro's argument), when no reading of the template
/// can tell which texts it will ask for.
fn strings_read(text: &str) -> Option<BTreeSet<String>> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut keys = BTreeSet::new();
    for code in template_code(text) {
        for (at, _) in code.match_indices('t') {
            let before = code[..at].chars().next_back();
            let after = code[at + 1..].chars().next();
            if before.is_some_and(|c| is_ident(c) || c == '.') || after.is_some_and(is_ident) {
                continue;
            }
            let rest = &code[at + 1..];
            let key = rest.strip_prefix('.')?;
            let key: String = key.chars().take_while(|c| is_ident(*c)).collect();
            if key.is_empty() {
                return None;
            }
            keys.insert(key);
        }
    }
    Some(keys)
}

/// The code of a template: what is inside `{{ … }}` and `{% … %}`, without its comments
/// and the HTML around it, where a `t` is only a letter.
fn template_code(text: &str) -> Vec<&str> {
    let mut code = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(['{']) {
        let after = &rest[start..];
        let close = if after.starts_with("{{") {
            "}}"
        } else if after.starts_with("{%") {
            "%}"
        } else {
            rest = &after[1..];
            continue;
        };
        let inner = &after[2..];
        let end = inner.find(close).unwrap_or(inner.len());
        code.push(&inner[..end]);
        rest = &inner[end..];
    }
    code
}

/// The names in `{% include "…" %}`, `{% extends "…" %}` and `{% import "…" as … %}`.
fn referenced_templates(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in text.split("{%").skip(1) {
        let tag = tag.trim_start_matches('-').trim_start();
        let Some(rest) = ["include", "extends", "import"]
            .iter()
            .find_map(|k| tag.strip_prefix(k))
        else {
            continue;
        };
        let rest = rest.trim_start();
        if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'')
            && let Some(end) = rest[1..].find(quote)
        {
            found.push(rest[1..1 + end].to_owned());
        }
    }
    found
}

/// An interface text with its `{name}`s replaced by `values`, in one pass over the text:
/// a value is never read again, so a person's words that hold `{date}` are shown as
/// written. Braces that name no value (furigana, `{漢字|かんじ}`) stay as they are.
pub fn fill_in(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn ruby_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    // Read in place rather than through `try_get_value!`, which copies the string.
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("the ruby filter takes text"))?;
    Ok(tera::Value::String(crate::ruby::to_html(
        text,
        escape_markup,
    )))
}

fn plain_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("the plain filter takes text"))?;
    Ok(tera::Value::String(crate::ruby::plain(text)))
}

/// Escapes the five characters that matter in HTML and XML text and attributes; unlike
/// tera's default it leaves `/` alone, so URLs stay readable in the output. A control
/// character (which the input stages refuse, so only a theme's own text could carry
/// one) becomes U+FFFD: it is invalid in XML and has no place in a page.
pub fn escape_markup(text: &str) -> String {
    // Nearly every text needs nothing: found by passes the compiler makes on many bytes
    // at a time, before any is copied one by one.
    let has_markup = text
        .as_bytes()
        .iter()
        .fold(false, |hit, b| hit | is_markup_byte(*b));
    if !has_markup
        && crate::content_policy::control_characters(text)
            .next()
            .is_none()
    {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if crate::content_policy::is_forbidden_control(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The bytes [`escape_markup`] writes as character references.
fn is_markup_byte(byte: u8) -> bool {
    matches!(byte, b'&' | b'<' | b'>' | b'"' | b'\'')
}

/// Tera hides the useful part of an error in its source chain.
pub fn tera_error_chain(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn load_strings(
    dir: &Path,
    config: &SiteConfig,
) -> Result<(AllStrings, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut raw = BTreeMap::new();
    let mut problems = Vec::new();
    let easy_japanese = config.easy_japanese();
    for lang in config.language_codes() {
        let path = dir.join("i18n").join(format!("{lang}.toml"));
        match read_strings(&path) {
            Ok(Some(s)) => {
                if let Some(&max_sentence) = easy_japanese.get(&lang) {
                    problems.extend(easy_japanese_problems(&path, &s, max_sentence));
                }
                raw.insert(lang, s);
            }
            Ok(None) if lang == config.default_language => {
                return Err(vec![Diagnostic::error(Problem::MissingThemeFile { path })]);
            }
            Ok(None) => problems.push(Diagnostic::warning(Problem::MissingThemeFile { path })),
            Err(ds) => return Err(ds),
        }
    }
    let default = raw
        .get(&config.default_language)
        .cloned()
        .unwrap_or_default();
    let mut complete = BTreeMap::new();
    for lang in config.language_codes() {
        let mut strings = raw.remove(&lang).unwrap_or_default();
        let file = dir.join("i18n").join(format!("{lang}.toml"));
        for (key, text) in &default {
            if !strings.contains_key(key) {
                if file.exists() {
                    problems.push(
                        Diagnostic::warning(Problem::MissingUiString {
                            lang: lang.clone(),
                            key: key.clone(),
                            fallback: config.default_language.clone(),
                        })
                        .in_file(&file),
                    );
                }
                strings.insert(key.clone(), text.clone());
            }
        }
        complete.insert(lang, strings);
    }
    Ok((complete, problems))
}

/// The interface texts of a language written in やさしい日本語 that do not follow its
/// rules: they are shown on every one of its pages, so they are held to the same lint,
/// each at its key's line.
fn easy_japanese_problems(path: &Path, strings: &Strings, max_sentence: usize) -> Vec<Diagnostic> {
    let file_text = fs::read(path)
        .ok()
        .and_then(|bytes| decode(&bytes).ok())
        .unwrap_or_default();
    let line_of = |key: &str| {
        file_text
            .lines()
            .position(|line| {
                line.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
            .map_or(1, |at| at + 1)
    };
    let mut problems = Vec::new();
    for (key, text) in strings {
        for rule in crate::easy_japanese::check_line(text, max_sentence) {
            problems.push(Diagnostic::warning(Problem::EasyJapanese { rule }).at(
                path,
                line_of(key),
                1,
                Some(&file_text),
            ));
        }
    }
    problems
}

fn read_strings(path: &Path) -> Result<Option<Strings>, Vec<Diagnostic>> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(vec![
                Diagnostic::error(Problem::Unreadable {
                    detail: e.to_string(),
                })
                .in_file(path),
            ]);
        }
    };
    let text = decode(&bytes).map_err(|p| vec![Diagnostic::error(p).in_file(path)])?;
    parse_file(path, &text).map(Some)
}

/// The files of the theme's `static/` folder, published as they are, and what is wrong
/// with them: the same kinds of file as downloads, and style sheets (see
/// [`file_kinds::published_name_flaw`](crate::file_kinds::published_name_flaw)); an SVG
/// checked as a download is; a symbolic link not followed, with a warning.
fn list_static(dir: &Path, base_path: &str) -> (Vec<StaticFile>, Vec<Diagnostic>) {
    let static_dir = dir.join("static");
    let mut files = Vec::new();
    let mut problems = Vec::new();
    if !static_dir.is_dir() {
        return (files, problems);
    }
    // Hidden files and editor leftovers (`.DS_Store`, `site.css~`) are never
    // published, as in the content folder.
    let walker = WalkDir::new(&static_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::load::is_hidden_or_temporary(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(&static_dir).to_path_buf();
                problems.push(
                    Diagnostic::error(Problem::Unreadable {
                        detail: e.to_string(),
                    })
                    .in_file(&path),
                );
                continue;
            }
        };
        let path = entry.path();
        if entry.file_type().is_symlink() {
            problems.push(Diagnostic::warning(Problem::SymlinkNotFollowed).in_file(path));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let url_path = slash_path(path.strip_prefix(&static_dir).unwrap_or(path));
        if let Some(flaw) = crate::file_kinds::published_name_flaw(&url_path, true) {
            problems.push(
                Diagnostic::error(Problem::UnpublishableFile { flaw, theme: true }).in_file(path),
            );
            continue;
        }
        if crate::file_kinds::kind_of(&url_path) == Some(crate::file_kinds::FileKind::Svg) {
            problems.extend(crate::load::svg_problems(path, path));
        }
        files.push(StaticFile {
            published: url_path.clone(),
            url_path,
            rewritten: None,
            size: entry.metadata().map_or(0, |m| m.len()),
            path: path.to_path_buf(),
        });
    }
    if let Err(problem) = name_by_content(&mut files, base_path) {
        problems.push(problem);
    }
    (files, problems)
}

/// Where a template names a theme file by its name in the theme (`{{ site.base_path
/// }}css/site.css`) rather than through `site.assets`: the file is published under
/// another name, so the page would load nothing. Once per template and file, at the
/// first such place.
fn files_named_in_templates(
    dir: &Path,
    sources: &BTreeMap<String, String>,
    static_files: &[StaticFile],
) -> Vec<Diagnostic> {
    let renamed: Vec<&StaticFile> = static_files
        .iter()
        .filter(|f| f.published != f.url_path)
        .collect();
    let mut found = Vec::new();
    for (name, text) in sources {
        for file in &renamed {
            let path = file.url_path.as_str();
            let at = text.match_indices(path).map(|(at, _)| at).find(|&at| {
                let before = &text[..at];
                let after = &text[at + path.len()..];
                // Inside `assets["…"]` it is the key that names it rightly.
                let through_assets = before.ends_with("assets[\"") || before.ends_with("assets['");
                let starts_a_path =
                    before.is_empty() || before.ends_with(['/', '}', '"', '\'', '(', ' ', '=']);
                let ends_the_path = after.is_empty()
                    || after.starts_with(['"', '\'', '?', '#', ')', ' ', '\n', '<', '>']);
                !through_assets && starts_a_path && ends_the_path
            });
            if let Some(at) = at {
                let position = crate::diagnostics::LineCursor::new(text).position(at);
                found.push(
                    Diagnostic::warning(Problem::ThemeFileByName {
                        path: path.to_owned(),
                    })
                    .at_offset(
                        &dir.join("templates").join(name),
                        position,
                        text,
                    ),
                );
            }
        }
    }
    found
}

/// Gives each static file its published name, with its content's hash: first the files
/// style sheets may load, then the style sheets, their loads renamed (a style sheet's
/// hash is that of what is published).
fn name_by_content(files: &mut [StaticFile], base_path: &str) -> Result<(), Diagnostic> {
    let is_style = |f: &StaticFile| {
        crate::file_kinds::kind_of(&f.url_path) == Some(crate::file_kinds::FileKind::StyleSheet)
    };
    let read = |f: &StaticFile| {
        fs::read(&f.path).map_err(|e| {
            Diagnostic::error(Problem::Unreadable {
                detail: e.to_string(),
            })
            .in_file(&f.path)
        })
    };
    for file in files.iter_mut().filter(|f| !is_style(f)) {
        if !crate::fingerprint::keeps_its_name(&file.url_path) {
            file.published = crate::fingerprint::hashed_name(&file.url_path, &read(file)?);
        }
    }
    let names: BTreeMap<String, String> = files
        .iter()
        .filter(|f| !is_style(f))
        .map(|f| (f.url_path.clone(), f.published.clone()))
        .collect();
    for file in files.iter_mut().filter(|f| is_style(f)) {
        let bytes = read(file)?;
        let rewritten = match std::str::from_utf8(&bytes) {
            Ok(css) => rename_loads(css, &file.url_path, base_path, &names),
            // The verifier refuses it, by name, with the rest of the output.
            Err(_) => None,
        };
        let published = rewritten.as_deref().map_or(&bytes[..], str::as_bytes);
        file.published = crate::fingerprint::hashed_name(&file.url_path, published);
        file.size = published.len() as u64;
        file.rewritten = rewritten.map(String::into_bytes);
    }
    Ok(())
}

/// A style sheet with each `url()` that leads to one of the theme's files renamed to
/// that file's published name; `None` when it names none.
fn rename_loads(
    css: &str,
    css_path: &str,
    base_path: &str,
    names: &BTreeMap<String, String>,
) -> Option<String> {
    let mut out = String::with_capacity(css.len());
    let mut written = 0;
    for load in crate::content_policy::style_sheet_urls(css) {
        let Some(renamed) = renamed_url(&load.url, css_path, base_path, names) else {
            continue;
        };
        out.push_str(&css[written..load.token.start]);
        let token = &css[load.token.clone()];
        let quoted = token.starts_with(['"', '\'']);
        if !quoted {
            out.push_str("url(");
        }
        out.push('"');
        for c in renamed.chars() {
            match c {
                '"' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                '\n' => out.push_str("\\a "),
                c => out.push(c),
            }
        }
        out.push('"');
        if !quoted {
            out.push(')');
        }
        written = load.token.end;
    }
    if written == 0 {
        return None;
    }
    out.push_str(&css[written..]);
    Some(out)
}

/// `../img/a.png?v#x` written in `css/site.css`, where `img/a.png` is published as
/// `img/a-<hash>.png`: `../img/a-<hash>.png?v#x`. `None` for a URL to anything else.
fn renamed_url(
    url: &str,
    css_path: &str,
    base_path: &str,
    names: &BTreeMap<String, String>,
) -> Option<String> {
    let path_end = url.find(['?', '#']).unwrap_or(url.len());
    let path = &url[..path_end];
    if path.is_empty() || path.starts_with("//") || path.contains(':') {
        return None;
    }
    let (mut segments, relative): (Vec<&str>, &str) = match path.strip_prefix(base_path) {
        Some(rest) if path.starts_with('/') => (Vec::new(), rest),
        _ if path.starts_with('/') => return None,
        _ => {
            let dir: Vec<&str> = css_path.split('/').collect();
            (dir[..dir.len() - 1].to_vec(), path)
        }
    };
    for segment in relative.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                segments.pop()?;
            }
            s => segments.push(s),
        }
    }
    let target = segments.join("/");
    let published = names.get(&target)?;
    if *published == target {
        return None;
    }
    let new_file = published.rsplit('/').next().unwrap_or(published);
    let file_start = path.rfind('/').map_or(0, |slash| slash + 1);
    Some(format!(
        "{}{new_file}{}",
        &path[..file_start],
        &url[path_end..]
    ))
}

#[cfg(test)]
mod needs_tests {
    use super::*;

    #[test]
    fn the_texts_a_template_reads_are_found_through_its_includes() {
        let sources = BTreeMap::from([
            (
                "page.html".to_owned(),
                "{% extends \"base.html\" %}{{ t.published }} {{ page.title }}".to_owned(),
            ),
            (
                "base.html".to_owned(),
                "{{ t.skip_to_content }}{% include \"partials/x.html\" %}{{ data.districts }}"
                    .to_owned(),
            ),
            (
                "partials/x.html".to_owned(),
                "{{ l.t.nested }}{{ t.menu_label }}".to_owned(),
            ),
            ("dynamic.html".to_owned(), "{{ t[key] }}".to_owned()),
            (
                "handed-on.html".to_owned(),
                "{% set words = t %}{{ words.published }}".to_owned(),
            ),
            (
                "letters.html".to_owned(),
                "<p>don't t. t[</p>{{ t.published }}{# t #}".to_owned(),
            ),
        ]);
        let needs = template_needs(&sources);
        let page = &needs["page.html"];
        assert!(page.data && !page.site_map);
        let keys: Vec<&str> = page
            .strings
            .as_ref()
            .unwrap()
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["menu_label", "published", "skip_to_content"]);
        assert_eq!(needs["dynamic.html"].strings, None);
        // `t` handed on whole: every text, since any may be read through it.
        assert_eq!(needs["handed-on.html"].strings, None);
        // A `t` in the HTML around the code is a letter.
        let letters = needs["letters.html"].strings.as_ref().unwrap();
        assert_eq!(letters.iter().collect::<Vec<_>>(), ["published"]);
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn values_are_filled_in_once_and_other_braces_kept() {
        assert_eq!(
            fill_in(
                "{by}が判定（{date}）",
                &[("by", "職員 {date}"), ("date", "12月2日")]
            ),
            "職員 {date}が判定（12月2日）"
        );
        assert_eq!(
            fill_in("{相談|そうだん} {n}件 {missing} {", &[("n", "3")]),
            "{相談|そうだん} 3件 {missing} {"
        );
    }

    use super::{escape_markup, fill_in};
    use crate::content_policy::is_forbidden_control;

    /// The escaping as its rule says it, a character at a time.
    fn escaped_by_characters(text: &str) -> String {
        text.chars()
            .map(|c| match c {
                '&' => "&amp;".to_owned(),
                '<' => "&lt;".to_owned(),
                '>' => "&gt;".to_owned(),
                '"' => "&quot;".to_owned(),
                '\'' => "&#39;".to_owned(),
                c if is_forbidden_control(c) => '\u{FFFD}'.to_string(),
                c => c.to_string(),
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn escaping_by_bytes_equals_the_rule_by_characters(
            text in "(.|[&<>\"'\\u{0}-\\u{9f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{fffe}\\u{ffff}]){0,120}"
        ) {
            proptest::prop_assert_eq!(escape_markup(&text), escaped_by_characters(&text));
        }
    }

    #[test]
    fn markup_and_controls_are_escaped_and_the_rest_kept() {
        assert_eq!(
            escape_markup("相談<b>&\"'\u{202E}x\u{7}"),
            "相談&lt;b&gt;&amp;&quot;&#39;\u{FFFD}x\u{FFFD}"
        );
        assert_eq!(
            escape_markup("https://example.jp/a"),
            "https://example.jp/a"
        );
    }
}
