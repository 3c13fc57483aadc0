//! Outputs: everything the site writes, each kind behind one seam.
//!
//! Owns HTML and XML. Every kind of output ([`pages::Pages`], [`feed::Feeds`],
//! [`sitemap::Sitemap`], [`sitemap::Robots`], [`not_found::NotFound`], [`files::Files`])
//! implements [`Output`]: it claims the paths it writes (so the route table can refuse
//! two claims on one file and links can be checked against it), renders one of its
//! routes from the site model, and says which of its routes a change touches (so a
//! rebuild renders only those). Adding a format means one new file here and one line in
//! [`outputs`].
//!
//! What every page of a language shares (its menu, its footer and consultation line,
//! its interface texts, the data files in its words) is built once per language in
//! [`LanguageCx`]; a page's own template data is then built from the site's indexes,
//! so nothing proportional to the whole site is built or copied per page.

pub mod context;
pub mod data_view;
pub mod feed;
pub mod files;
pub mod hosting;
pub mod markdown;
pub mod not_found;
pub mod open_data;
pub mod pages;
pub mod search;
pub mod sitemap;
pub mod structured_data;
pub mod test_results;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Problem};
use crate::locale::Locale;
use crate::site::routes::{Claim, Route, RouteTable};
use crate::site::{NEWS_SECTION, Page, Site};
use crate::theme::{Strings, Theme, tera_error_chain};
use context::{FeedLink, LinkView, MenuItem, SiteView};
use data_view::DataView;

/// What an output puts at one route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Bytes(Vec<u8>),
    /// A file copied as it is, from this path on disk.
    Copy(PathBuf),
}

/// One kind of output.
pub trait Output: Send + Sync {
    /// The paths this output writes, for the route table. `output` is this output's
    /// position in [`outputs`], to be put in every claim.
    fn claims(&self, site: &Site, theme: &Theme, output: usize) -> Vec<Claim>;

    /// What to write at one of its routes.
    fn render(&self, route: &Route, cx: &RenderCx) -> Result<Body, Diagnostic>;

    /// Whether one of its routes must be rendered again after `changes`.
    fn affected(&self, route: &Route, changes: &Changes, cx: &RenderCx) -> bool;

    /// Whether a route is rendered after every other: it reads what the site search
    /// collected from the pages as rendered.
    fn later(&self, _route: &Route, _cx: &RenderCx) -> bool {
        false
    }
}

/// Every output of a site, in the order their claims are made: pages first, so that a
/// page clashing with a generated file is reported on the generated file's side only
/// when no page is involved.
pub fn outputs() -> Vec<Box<dyn Output>> {
    vec![
        Box::new(pages::Pages),
        Box::new(feed::Feeds),
        Box::new(sitemap::Sitemap),
        Box::new(sitemap::Robots),
        Box::new(not_found::NotFound),
        Box::new(files::Files),
        Box::new(open_data::OpenData),
        Box::new(search::Search),
        Box::new(hosting::Hosting),
    ]
}

/// What changed since the last render, in terms the outputs understand.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// The theme, `site.toml`, a data file or a downloadable file changed: render all.
    pub everything: bool,
    /// Pages (key, language) whose text or links changed, and nothing else.
    pub texts: BTreeSet<(String, String)>,
    /// Pages (key, language) added, removed, or changed in what lists, menus and other
    /// pages show of them (title, URL, dates, description, order).
    pub summaries: BTreeSet<(String, String)>,
    /// Languages in which every page shows something that changed (a menu item, a
    /// footer link, the consultation-line page).
    pub languages: BTreeSet<String>,
}

impl Changes {
    pub fn everything() -> Self {
        Changes {
            everything: true,
            ..Changes::default()
        }
    }

    /// Adds what `other` changed: routes that missed one render catch up on both.
    pub fn merge(&mut self, other: &Changes) {
        self.everything |= other.everything;
        self.texts.extend(other.texts.iter().cloned());
        self.summaries.extend(other.summaries.iter().cloned());
        self.languages.extend(other.languages.iter().cloned());
    }

    pub fn is_empty(&self) -> bool {
        !self.everything
            && self.texts.is_empty()
            && self.summaries.is_empty()
            && self.languages.is_empty()
    }

    fn summary_in(&self, lang: &str, key_matches: impl Fn(&str) -> bool) -> bool {
        self.summaries
            .iter()
            .any(|(k, l)| l == lang && key_matches(k))
    }
}

/// Everything an output renders from: the site, its routes, the theme, and what every
/// page of a language shares.
pub struct RenderCx<'a> {
    pub site: &'a Site,
    pub routes: &'a RouteTable,
    pub theme: &'a Theme,
    pub languages: BTreeMap<String, LanguageCx>,
    /// The pages as the search keeps them, and its index once built.
    pub search: search::SearchCx<'a>,
    /// The open data's files, made once: their outputs write them, pages give their size.
    pub open_data: Option<open_data::Files>,
}

/// What every page of one language shares, built once per build.
#[derive(Debug)]
pub struct LanguageCx {
    pub lang: String,
    pub strings: Strings,
    /// How the language writes dates and sizes.
    pub locale: Locale,
    pub data: DataView,
    pub menu: Vec<MenuItem>,
    pub footer_links: Vec<LinkView>,
    pub help_now_href: Option<String>,
    /// The search page, linked from every page's header.
    pub search_href: Option<String>,
    pub contact_href: Option<String>,
    pub news_href: Option<String>,
    pub feed: Option<FeedLink>,
    /// The theme's `shared/` templates rendered for this language, by name (`footer`).
    pub shared: BTreeMap<String, String>,
    /// The centre described for search engines in this language, for every page's
    /// JSON-LD.
    pub centre: Option<String>,
}

/// The page linked beside the consultation line on every page.
pub const HELP_NOW_PAGE: &str = "help-now";

/// The page with the centre's contact details and where they come from, linked from the
/// consultation line on every page.
pub const CONTACT_PAGE: &str = "contact";

/// Pages every page of their language links to: a change to one is a change to all.
pub fn is_linked_from_every_page(site: &Site, key: &str) -> bool {
    [
        HELP_NOW_PAGE,
        CONTACT_PAGE,
        NEWS_SECTION,
        "",
        "sitemap",
        search::SEARCH_PAGE,
    ]
    .contains(&key)
        || site.config.footer.iter().any(|f| f == key)
}

impl<'a> RenderCx<'a> {
    /// Builds what each language shares; problems are those of the `shared/` templates.
    pub fn new(
        site: &'a Site,
        routes: &'a RouteTable,
        theme: &'a Theme,
        search_docs: &'a search::SearchDocs,
    ) -> (RenderCx<'a>, Vec<Diagnostic>) {
        let mut cx = RenderCx {
            site,
            routes,
            theme,
            languages: BTreeMap::new(),
            search: search::SearchCx::new(site, search_docs),
            open_data: open_data::Files::new(site),
        };
        let mut problems = Vec::new();
        for lang in site.config.language_codes() {
            let (language, mut found) = cx.language(&lang);
            problems.append(&mut found);
            cx.languages.insert(lang, language);
        }
        (cx, problems)
    }

    fn language(&self, lang: &str) -> (LanguageCx, Vec<Diagnostic>) {
        let site = self.site;
        let default = &site.config.default_language;
        let strings = self.theme.strings(lang).clone();
        let address = &site.config.address;
        let href_of = |key: &str| site.page(key, lang).map(|p| address.href(&p.url));
        let locale = self.theme.locale(lang).clone();
        let mut language = LanguageCx {
            lang: lang.to_owned(),
            data: data_view::data_view(
                &site.data,
                &site.alternatives,
                lang,
                default,
                &strings,
                &locale,
            ),
            locale,
            menu: site
                .menu(lang)
                .into_iter()
                .map(|p| MenuItem {
                    key: p.key.clone(),
                    title: p.title().to_owned(),
                    href: address.href(&p.url),
                })
                .collect(),
            footer_links: site
                .config
                .footer
                .iter()
                .filter_map(|key| site.page(key, lang))
                .map(|p| LinkView {
                    title: p.title().to_owned(),
                    href: address.href(&p.url),
                })
                .collect(),
            help_now_href: href_of(HELP_NOW_PAGE),
            search_href: href_of(search::SEARCH_PAGE),
            contact_href: href_of(CONTACT_PAGE),
            news_href: href_of(NEWS_SECTION),
            feed: context::feed_link(site, lang),
            shared: BTreeMap::new(),
            centre: structured_data::centre(site, lang),
            strings,
        };
        language.data.test_results = Some(test_results::view(
            &site.data.accessibility,
            address,
            lang,
            default,
            &language.strings,
            &language.locale,
        ));
        language.data.open_data = self
            .open_data
            .as_ref()
            .map(|files| files.view(site, lang, &language.locale));
        let mut problems = Vec::new();
        for name in self.theme.shared_templates() {
            let context = context::SharedContext {
                lang,
                default_lang: default,
                site: context::site_view(site, self.theme, &language),
                t: &language.strings,
                data: &language.data,
                footer_links: &language.footer_links,
                help_now_href: language.help_now_href.as_deref(),
                contact_href: language.contact_href.as_deref(),
                news_href: language.news_href.as_deref(),
                feed: language.feed.as_ref(),
            };
            match render_template(self.theme, &name, &context) {
                Ok(html) => {
                    let key = name
                        .trim_start_matches("shared/")
                        .trim_end_matches(".html")
                        .replace('-', "_");
                    // Trimmed, so that a template with nothing to show (no contact
                    // line) is empty and a page can test for it.
                    language.shared.insert(key, html.trim().to_owned());
                }
                Err(d) => problems.push(d),
            }
        }
        (language, problems)
    }

    pub fn language_cx(&self, lang: &str) -> &LanguageCx {
        // Every declared language has one; a page's language is always declared.
        self.languages
            .get(lang)
            .or_else(|| self.languages.values().next())
            .expect("a site has at least its default language")
    }

    pub fn site_view(&self, lang: &str) -> SiteView<'_> {
        context::site_view(self.site, self.theme, self.language_cx(lang))
    }

    pub fn page(&self, route: &Route) -> Option<&'a Page> {
        self.site.pages.get(route.item)
    }
}

/// Renders a template with a serialisable context, reporting a template problem.
pub fn render_template<T: Serialize>(
    theme: &Theme,
    name: &str,
    context: &T,
) -> Result<String, Diagnostic> {
    let bytes = render_bytes(theme, name, context)?;
    // Tera writes only text from `str`s, so this never fails.
    String::from_utf8(bytes).map_err(|e| {
        Diagnostic::error(Problem::Template {
            detail: e.to_string(),
        })
    })
}

/// Renders a template into bytes, without checking again that they are UTF-8: for
/// files written as they are.
pub fn render_bytes<T: Serialize>(
    theme: &Theme,
    name: &str,
    context: &T,
) -> Result<Vec<u8>, Diagnostic> {
    let problem = |e: tera::Error| {
        Diagnostic::error(Problem::Template {
            detail: tera_error_chain(&e),
        })
    };
    let context = tera::Context::from_serialize(context).map_err(problem)?;
    render_context(theme, name, &context, 0)
}

/// [`render_bytes`] for a context made for this one file: it is dropped once tera has
/// its own copy, and the output is given room for `size_hint` bytes more from the
/// start. A page's body can be tens of megabytes; holding it twice beside the output,
/// and copying the output as it grows, tripled the memory a long page takes.
pub fn render_bytes_once<T: Serialize>(
    theme: &Theme,
    name: &str,
    context: T,
    size_hint: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let tera_context = tera::Context::from_serialize(&context).map_err(|e| {
        Diagnostic::error(Problem::Template {
            detail: tera_error_chain(&e),
        })
    })?;
    drop(context);
    render_context(theme, name, &tera_context, size_hint)
}

fn render_context(
    theme: &Theme,
    name: &str,
    context: &tera::Context,
    size_hint: usize,
) -> Result<Vec<u8>, Diagnostic> {
    // Room never written takes no memory, so a generous guess costs nothing.
    let mut bytes = Vec::with_capacity(16 * 1024 + size_hint.saturating_add(size_hint / 4));
    theme
        .tera
        .render_to(name, context, &mut bytes)
        .map_err(|e| {
            Diagnostic::error(Problem::Template {
                detail: tera_error_chain(&e),
            })
        })?;
    Ok(bytes)
}
