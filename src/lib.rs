//! yorisoi: a static-site generator for a bilingual public-information site.
//!
//! A build runs five stages, each in its own module, with data flowing one way:
//!
//! 1. [`load`] reads `content/` into decoded text and a list of downloadable files;
//! 2. [`parse`] types the front matter and parses Markdown, per file, in parallel;
//! 3. [`link`] pairs translations, gives pages URLs and resolves every link;
//! 4. [`render`] turns the linked site into HTML and XML in memory, in parallel;
//! 5. [`write`] swaps the result into the output folder only if nothing failed.
//!
//! Problems are collected as typed [`diagnostics`] across all stages and turned into
//! words for people in one place, [`report`].

pub mod config;
pub mod data;
pub mod dates;
pub mod diagnostics;
pub mod link;
pub mod lint;
pub mod load;
pub mod localized;
pub mod parse;
pub mod phone;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod starter;
pub mod theme;
pub mod toml_file;
pub mod write;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use config::SiteConfig;
use dates::Moment;
use diagnostics::{Diagnostic, Diagnostics, Problem};
use link::{Publishing, Site};
use theme::Theme;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub content: PathBuf,
    pub output: PathBuf,
    /// The theme folder; by default `themes/<theme>` beside the content folder.
    pub theme_dir: Option<PathBuf>,
    /// Replaces `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Drafts and scheduled pages are shown (for `serve`), never for `build`.
    pub include_drafts: bool,
    /// What counts as "now" for scheduled announcements. Passed in, never read from the
    /// clock here, so builds are reproducible and tests can pin it.
    pub now: Moment,
}

/// What a build found and did.
#[derive(Debug)]
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    pub pages: usize,
    /// Whether the output folder was replaced.
    pub written: bool,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn has_warnings(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_warning)
    }

    /// Facts due for re-checking: shown by `check`, failing it only with `--strict`.
    pub fn has_notices(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == diagnostics::Severity::Notice)
    }
}

/// Builds the site and, if nothing is wrong, replaces the output folder.
pub fn build(options: &BuildOptions) -> Outcome {
    run(options, true)
}

/// Runs every check of a build without writing anything.
pub fn check(options: &BuildOptions) -> Outcome {
    run(options, false)
}

fn run(options: &BuildOptions, write_output: bool) -> Outcome {
    let mut diagnostics = Diagnostics::default();
    if write_output && let Err(d) = write::check_output(&options.output, &options.content) {
        return finish(diagnostics, Some(d), 0, false);
    }
    let Some((site, theme)) = prepare(options, &mut diagnostics) else {
        return finish(diagnostics, None, 0, false);
    };
    if !write_output {
        diagnostics.extend(data::stale_sources(&site.data, options.now.date()));
    }
    let (rendered, problems) = render::render(&site, &theme);
    diagnostics.extend(problems);
    let pages = site.pages.len();
    if diagnostics.has_errors() || !write_output {
        return finish(diagnostics, None, pages, false);
    }
    match write::publish(&options.output, &rendered) {
        Ok(()) => finish(diagnostics, None, pages, true),
        Err(d) => finish(diagnostics, Some(d), pages, false),
    }
}

/// Load, parse and link: everything before rendering. `None` if the site cannot be
/// assembled at all (no usable `site.toml` or theme).
fn prepare(options: &BuildOptions, diagnostics: &mut Diagnostics) -> Option<(Site, Theme)> {
    if !options.content.is_dir() {
        diagnostics.push(
            Diagnostic::error(Problem::Unreadable {
                detail: "not a folder".to_owned(),
            })
            .in_file(&options.content),
        );
        return None;
    }
    let (sources, problems) = load::load(&options.content);
    diagnostics.extend(problems);
    let mut config = read_config(&sources, options, diagnostics)?;
    if let Some(url) = &options.base_url
        && let Err(d) = config.set_base_url(url)
    {
        diagnostics.push(d);
        return None;
    }
    let theme_dir = options
        .theme_dir
        .clone()
        .unwrap_or_else(|| default_theme_dir(&options.content, &config));
    // Absolute, so messages about theme files are not mistaken for content paths.
    let theme_dir = theme_dir.canonicalize().unwrap_or(theme_dir);
    let theme = match Theme::load(&theme_dir, &config) {
        Ok((theme, warnings)) => {
            diagnostics.extend(warnings);
            theme
        }
        Err(problems) => {
            diagnostics.extend(problems);
            return None;
        }
    };
    let languages = config.language_codes();
    let (data, problems) = data::load(&sources.data, &sources.assets, &config);
    diagnostics.extend(problems);
    let parsed = parse::parse_pages(
        &sources.pages,
        &sources.unreadable_pages,
        &languages,
        &data.glossary,
    );
    diagnostics.extend(parsed.problems);
    let publishing = Publishing {
        include_drafts: options.include_drafts,
        now: options.now,
    };
    let generated = generated_urls(&theme, &config, &parsed.pages);
    let (mut site, problems) = link::link(
        config,
        parsed.pages,
        parsed.unparsed,
        sources.assets,
        &generated,
        publishing,
    );
    diagnostics.extend(problems);
    site.data = data;
    Some((site, theme))
}

fn read_config(
    sources: &load::Sources,
    options: &BuildOptions,
    diagnostics: &mut Diagnostics,
) -> Option<SiteConfig> {
    let Some(file) = config::find(&sources.data) else {
        diagnostics.push(
            Diagnostic::error(Problem::MissingConfig).in_file(&options.content.join("site.toml")),
        );
        return None;
    };
    match SiteConfig::parse(file) {
        Ok(c) => Some(c),
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    }
}

/// `content/../themes/<name>`: the theme sits beside the content it dresses.
fn default_theme_dir(content: &Path, config: &SiteConfig) -> PathBuf {
    let parent = content
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join("themes").join(&config.theme)
}

/// URLs that exist in the output without being pages, so links to them are valid: theme
/// files, the sitemap, `robots.txt` when it is written, and a feed for each language
/// with a news section.
fn generated_urls(
    theme: &Theme,
    config: &SiteConfig,
    pages: &[parse::ParsedPage],
) -> BTreeSet<String> {
    let mut urls = theme.static_urls();
    for fixed in ["/sitemap.xml", "/404.html"] {
        urls.insert(fixed.to_owned());
    }
    if render::writes_robots_txt(config) {
        urls.insert("/robots.txt".to_owned());
    }
    let news_languages = pages
        .iter()
        .filter(|p| p.key() == parse::NEWS_SECTION && p.is_section() && !p.front.draft);
    urls.extend(news_languages.map(|p| render::feed::feed_url(config, &p.lang)));
    urls
}

fn finish(
    mut diagnostics: Diagnostics,
    fatal: Option<Diagnostic>,
    pages: usize,
    written: bool,
) -> Outcome {
    if let Some(d) = fatal {
        diagnostics.push(d);
    }
    Outcome {
        diagnostics: diagnostics.into_sorted(),
        pages,
        written,
    }
}
