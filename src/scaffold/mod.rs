//! `yorisoi new news <slug>` and `yorisoi new page <path>`: start an announcement or a
//! page in every language of the site; `yorisoi init <dir>`: start a whole new site.
//!
//! Not a build stage: it only writes new files into the content folder, and never
//! replaces one. The files start as drafts, so nothing half-written is published by
//! mistake, and their placeholder words stop the build if they are still there once the
//! draft line is gone.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use include_dir::{Dir, include_dir};

use crate::config::{self, SiteConfig};
use crate::diagnostics::{Diagnostic, Problem};
use crate::load::SourceFile;
use crate::parse::{NEWS_SECTION, is_slug, slug_suggestion};
use crate::starter::Starter;
use crate::theme::Theme;

/// The site `init` starts from: a bilingual home page and one page, `site.toml` with a
/// placeholder address and no contact line yet, and a `sources.toml` that explains
/// itself. It builds, and passes `check`.
static NEW_SITE: Dir = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/new-site");

/// The default theme, copied into a new site so that it can be changed there.
static DEFAULT_THEME: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Creates a new site in `dir` (made if missing): `content/` and `themes/default/`.
/// Returns the two folders. Nothing is written if either exists already.
pub fn new_site(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let content = dir.join("content");
    let theme = dir.join("themes").join("default");
    for folder in [&content, &theme] {
        if folder.exists() {
            return Err(Diagnostic::error(Problem::AlreadyExists).in_file(folder));
        }
    }
    write_tree(&NEW_SITE, dir)?;
    write_tree(&DEFAULT_THEME, &theme)?;
    Ok(vec![content, theme])
}

/// Writes every file of an embedded folder below `to`, never replacing one. Entries know
/// their path from the top of the embedded folder, at every depth.
fn write_tree(tree: &Dir, to: &Path) -> Result<(), Diagnostic> {
    for entry in tree.entries() {
        let target = to.join(entry.path());
        match entry {
            include_dir::DirEntry::Dir(sub) => {
                std::fs::create_dir_all(&target).map_err(|e| write_failed(&target, &e))?;
                write_tree(sub, to)?;
            }
            include_dir::DirEntry::File(file) => {
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| write_failed(parent, &e))?;
                }
                create_new(&target)?
                    .write_all(file.contents())
                    .map_err(|e| write_failed(&target, &e))?;
            }
        }
    }
    Ok(())
}

/// Opens a file that must not exist yet.
fn create_new(path: &Path) -> Result<std::fs::File, Diagnostic> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                Diagnostic::error(Problem::AlreadyExists).in_file(path)
            }
            _ => write_failed(path, &e),
        })
}

/// What `new` starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewContent {
    /// `news/<date>-<slug>.<lang>.md`, dated today.
    Announcement,
    /// `<path>.<lang>.md`, where the path may name a section folder
    /// (`services/family-class`).
    Page,
}

/// Creates the files of a new announcement or page, one per language in `site.toml`,
/// and returns their paths. Nothing is written if the name is unusable or any of the
/// files exists.
pub fn new_content(
    content: &Path,
    theme_dir: Option<&Path>,
    kind: NewContent,
    name: &str,
    today: NaiveDate,
) -> Result<Vec<PathBuf>, Diagnostic> {
    let segments: Vec<&str> = name.split('/').collect();
    let usable = match kind {
        NewContent::Announcement => is_slug(name),
        NewContent::Page => segments.iter().all(|s| is_slug(s)),
    };
    if !usable {
        return Err(Diagnostic::error(Problem::BadSlug {
            name: name.to_owned(),
            suggestion: slug_suggestion(name),
        }));
    }
    crate::load::require_content_folder(content)?;
    let config = site_config(content)?;
    // A variant (やさしい日本語) is written for some pages only, by choice: starting one
    // for every new page would leave drafts nobody asked for.
    let languages: Vec<String> = config
        .language_codes()
        .into_iter()
        .filter(|lang| !config.is_variant(lang))
        .collect();
    let theme_dir = theme_dir.map_or_else(|| config.default_theme_dir(content), Path::to_path_buf);
    let theme = Theme::load(&theme_dir, &config)
        .map(|(theme, _)| theme)
        .map_err(|mut problems| problems.swap_remove(0))?;
    let (folder, stem) = match kind {
        NewContent::Announcement => (
            content.join(NEWS_SECTION),
            format!("{}-{name}", today.format("%Y-%m-%d")),
        ),
        NewContent::Page => {
            let (last, dirs) = segments.split_last().unwrap_or((&name, &[]));
            (
                dirs.iter().fold(content.to_path_buf(), |p, d| p.join(d)),
                (*last).to_owned(),
            )
        }
    };
    let paths: Vec<(String, PathBuf)> = languages
        .into_iter()
        .map(|lang| {
            let path = folder.join(format!("{stem}.{lang}.md"));
            (lang, path)
        })
        .collect();
    if let Some((_, existing)) = paths.iter().find(|(_, p)| p.exists()) {
        return Err(Diagnostic::error(Problem::AlreadyExists).in_file(existing));
    }
    std::fs::create_dir_all(&folder).map_err(|e| write_failed(&folder, &e))?;
    for (lang, path) in &paths {
        // Refuses to replace a file that appeared since the check above.
        let mut file = create_new(path)?;
        let locale = theme.locale(lang);
        let text = match kind {
            NewContent::Announcement => starter_text(&locale.starter, Some(today)),
            NewContent::Page => starter_text(&locale.page_starter, None),
        };
        file.write_all(text.as_bytes())
            .map_err(|e| write_failed(path, &e))?;
    }
    Ok(paths.into_iter().map(|(_, p)| p).collect())
}

/// `site.toml`, for the languages and the theme.
fn site_config(content: &Path) -> Result<SiteConfig, Diagnostic> {
    let path = content.join(config::FILE_NAME);
    let bytes = std::fs::read(&path)
        .map_err(|_| Diagnostic::error(Problem::MissingConfig).in_file(&path))?;
    // Saved as Shift_JIS, it is there: saying so is the one thing to say.
    let text = crate::load::decode(&bytes).map_err(|p| Diagnostic::error(p).in_file(&path))?;
    let file = SourceFile {
        rel: path.clone(),
        text: text.into(),
    };
    SiteConfig::parse(&file).map_err(|mut problems| problems.swap_remove(0))
}

fn write_failed(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(Problem::WriteFailed {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })
}

/// The first text of a new announcement (dated) or page: front matter filled in, a
/// draft until the author removes the `draft` line.
fn starter_text(starter: &Starter, date: Option<NaiveDate>) -> String {
    let Starter {
        title,
        description,
        body,
        how_to_publish: publish,
    } = starter;
    let date = date
        .map(|d| format!("date = {}\n", d.format("%Y-%m-%d")))
        .unwrap_or_default();
    format!(
        "+++\ntitle = \"{title}\"\n{date}description = \"{description}\"\n# {publish}\ndraft = true\n+++\n\n{body}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_text_is_a_dated_draft() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let starter = Starter {
            title: "お知らせの題名".into(),
            description: "短い説明".into(),
            body: "ここに本文を書きます。".into(),
            how_to_publish: "draft の行を消すと公開されます。".into(),
        };
        let text = starter_text(&starter, Some(today));
        assert!(text.starts_with("+++\ntitle = \"お知らせの題名\"\ndate = 2026-11-21\n"));
        assert!(text.contains("\ndraft = true\n+++\n"));
    }
}
