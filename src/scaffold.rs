//! `yorisoi new news <slug>`: starts an announcement in every language of the site.
//!
//! Not a build stage: it only writes new files into `content/news/`, and never replaces
//! one. The files start as drafts, so nothing half-written is published by mistake.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::{self, SiteConfig};
use crate::diagnostics::{Diagnostic, Problem};
use crate::load::SourceFile;
use crate::parse::{NEWS_SECTION, is_slug, slug_suggestion};
use crate::starter::Starter;
use crate::theme::Theme;

/// Creates `news/<date>-<slug>.<lang>.md` for every language in `site.toml` and returns
/// their paths. Nothing is written if the slug is unusable or any of the files exists.
pub fn new_announcement(
    content: &Path,
    theme_dir: Option<&Path>,
    slug: &str,
    today: NaiveDate,
) -> Result<Vec<PathBuf>, Diagnostic> {
    if !is_slug(slug) {
        return Err(Diagnostic::error(Problem::BadSlug {
            name: slug.to_owned(),
            suggestion: slug_suggestion(slug),
        }));
    }
    crate::load::require_content_folder(content)?;
    let config = site_config(content)?;
    let languages = config.language_codes();
    let theme_dir = theme_dir.map_or_else(|| config.default_theme_dir(content), Path::to_path_buf);
    let theme = Theme::load(&theme_dir, &config)
        .map(|(theme, _)| theme)
        .map_err(|mut problems| problems.swap_remove(0))?;
    let folder = content.join(NEWS_SECTION);
    let stem = format!("{}-{slug}", today.format("%Y-%m-%d"));
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
        // `create_new` refuses to replace a file that appeared since the check above.
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => {
                    Diagnostic::error(Problem::AlreadyExists).in_file(path)
                }
                _ => write_failed(path, &e),
            })?;
        let starter = &theme.locale(lang).starter;
        file.write_all(starter_text(starter, today).as_bytes())
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

/// The first text of a new announcement: front matter filled in, a draft until the
/// author removes the `draft` line.
fn starter_text(starter: &Starter, today: NaiveDate) -> String {
    let Starter {
        title,
        description,
        body,
        how_to_publish: publish,
    } = starter;
    format!(
        "+++\ntitle = \"{title}\"\ndate = {date}\ndescription = \"{description}\"\n# {publish}\ndraft = true\n+++\n\n{body}\n",
        date = today.format("%Y-%m-%d"),
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
        let text = starter_text(&starter, today);
        assert!(text.starts_with("+++\ntitle = \"お知らせの題名\"\ndate = 2026-11-21\n"));
        assert!(text.contains("\ndraft = true\n+++\n"));
    }
}
