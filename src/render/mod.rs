//! Stage 4, render: turns the linked site into output files in memory.
//!
//! Owns HTML and XML: Markdown to HTML with the site's transforms, page contexts for the
//! templates, and the files every site has (sitemap, robots.txt, 404 page). Pages render
//! in parallel against templates compiled once; output order never depends on threads.

pub mod context;
pub mod data_view;
pub mod feed;
pub mod markdown;
mod sitemap;

pub use sitemap::writes_robots_txt;

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Problem};
use crate::link::{NEWS_SECTION, Page, PageKind, Site};
use crate::theme::{Strings, Theme, tera_error_chain};
use context::{ContextBuilder, PageContext};
use markdown::{LinkBase, Notes};

/// One file of the output, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Everything the write stage needs: files made here, and files to copy as they are.
#[derive(Debug, Default)]
pub struct Rendered {
    pub files: Vec<OutputFile>,
    /// (source on disk, path relative to the output folder)
    pub copies: Vec<(PathBuf, String)>,
}

/// Renders every page and the site-wide files.
pub fn render(site: &Site, theme: &Theme) -> (Rendered, Vec<Diagnostic>) {
    let views = context::language_views(site, &theme.strings);
    let builder = ContextBuilder {
        site,
        strings: &theme.strings,
        views: &views,
    };
    let results: Vec<Result<Vec<OutputFile>, Diagnostic>> = site
        .pages
        .par_iter()
        .map(|page| render_page(&builder, theme, page))
        .collect();
    let (mut files, mut problems) = feed::feeds(site, theme);
    files.reserve(results.len() + 3);
    for result in results {
        match result {
            Ok(mut f) => files.append(&mut f),
            Err(d) => problems.push(d),
        }
    }
    match render_not_found(&builder, theme) {
        Ok(f) => files.push(f),
        Err(d) => problems.push(d),
    }
    files.push(sitemap::sitemap(site));
    match sitemap::robots(site) {
        Some(f) => files.push(f),
        // Said once for the site as a whole, as a notice: nothing in the content can
        // change where the site is published, so it must not fail `check`.
        None => problems.push(Diagnostic::notice(Problem::RobotsNotWritten {
            base_url: site.config.base_url.clone(),
        })),
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut copies: Vec<(PathBuf, String)> = site
        .assets
        .iter()
        .map(|a| (a.abs.clone(), a.url_path()))
        .collect();
    copies.extend(theme.static_files.iter().cloned());
    copies.sort_by(|a, b| a.1.cmp(&b.1));
    (Rendered { files, copies }, problems)
}

/// `/en/about/` → `en/about/index.html`.
pub fn output_path(url: &str) -> String {
    format!("{}index.html", url.trim_start_matches('/'))
}

/// A page's HTML; the news list gives one file per page of announcements.
fn render_page(
    builder: &ContextBuilder,
    theme: &Theme,
    page: &Page,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let template = template_for(page, theme)?;
    let notes = Notes::new(builder.strings(page.lang()), page.lang());
    let base = LinkBase::site(builder.site.config.base_path());
    let content = markdown::to_html(page, base, notes);
    let contexts: Vec<(String, PageContext)> = if is_news_list(page) {
        builder.news_pages(page, &content)
    } else {
        vec![(page.url.clone(), builder.page(page, content))]
    };
    contexts
        .into_iter()
        .map(|(url, context)| {
            let html = render_template(theme, &template, &context)
                .map_err(|d| d.in_file(&page.parsed.source))?;
            Ok(OutputFile {
                path: output_path(&url),
                bytes: html.into_bytes(),
            })
        })
        .collect()
}

fn is_news_list(page: &Page) -> bool {
    page.kind == PageKind::Section && page.key == NEWS_SECTION
}

/// The theme's template for the news list, if it has one.
const NEWS_TEMPLATE: &str = "news.html";

fn template_for(page: &Page, theme: &Theme) -> Result<String, Diagnostic> {
    let front = &page.parsed.front;
    let Some(name) = &front.template else {
        return Ok(match page.kind {
            PageKind::Home => "index.html",
            PageKind::Section if is_news_list(page) && theme.has_template(NEWS_TEMPLATE) => {
                NEWS_TEMPLATE
            }
            PageKind::Section => "section.html",
            PageKind::Page => "page.html",
        }
        .to_owned());
    };
    if theme.has_template(name) {
        return Ok(name.clone());
    }
    let line = front.key_lines.get("template").copied().unwrap_or(1);
    Err(Diagnostic::error(Problem::UnknownTemplate {
        name: name.clone(),
        available: theme.template_names(),
    })
    .at(&page.parsed.source, line, 1, None))
}

fn render_template<T: Serialize>(
    theme: &Theme,
    name: &str,
    context: &T,
) -> Result<String, Diagnostic> {
    let context = tera::Context::from_serialize(context).map_err(|e| {
        Diagnostic::error(Problem::Template {
            detail: tera_error_chain(&e),
        })
    })?;
    theme.tera.render(name, &context).map_err(|e| {
        Diagnostic::error(Problem::Template {
            detail: tera_error_chain(&e),
        })
    })
}

/// The 404 page serves every language at once: a lost visitor may read either.
#[derive(Serialize)]
struct NotFoundContext<'a> {
    lang: &'a str,
    default_lang: &'a str,
    help_now_href: Option<String>,
    contact_href: Option<String>,
    site: context::SiteView<'a>,
    languages: Vec<NotFoundLanguage<'a>>,
    footer_links: Vec<context::LinkView>,
    feed: Option<context::FeedLink>,
    t: &'a Strings,
}

#[derive(Serialize)]
struct NotFoundLanguage<'a> {
    lang: String,
    name: &'a str,
    title: &'a str,
    home_href: String,
    sitemap_href: Option<String>,
    t: &'a Strings,
}

fn render_not_found(builder: &ContextBuilder, theme: &Theme) -> Result<OutputFile, Diagnostic> {
    let site = builder.site;
    let config = &site.config;
    let default = config.default_language.as_str();
    let languages = config
        .language_codes()
        .into_iter()
        .map(|lang| NotFoundLanguage {
            name: &config.languages[&lang].name,
            title: &config.languages[&lang].title,
            home_href: builder.href(&format!("{}/", config.language_prefix(&lang))),
            sitemap_href: site.page("sitemap", &lang).map(|p| builder.href(&p.url)),
            t: theme.strings(&lang),
            lang,
        })
        .collect();
    let context = NotFoundContext {
        lang: default,
        default_lang: default,
        help_now_href: builder.page_href("help-now", default),
        contact_href: builder.page_href("contact", default),
        site: builder.site_view(default),
        languages,
        footer_links: builder.footer_links(default),
        feed: builder.feed_link(default),
        t: theme.strings(default),
    };
    let html = render_template(theme, "404.html", &context)?;
    Ok(OutputFile {
        path: "404.html".to_owned(),
        bytes: html.into_bytes(),
    })
}
