//! `404.html`: the page servers show for an address that leads nowhere, one per
//! language (`404.html`, `en/404.html`), which the servers' settings show for an address
//! under that language's path. Each speaks every language, its own first, since a lost
//! visitor may read another.

use serde::Serialize;

use super::context::{FeedLink, LinkView, SiteView};
use super::sitemap::generated;
use super::{Body, Changes, Output, RenderCx, render_template};
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::site::routes::{Claim, Route};
use crate::theme::{Strings, Theme};
use std::collections::BTreeMap;

pub struct NotFound;

/// Where a language's 404 page is, below the output folder: `404.html` for the default
/// language, `en/404.html` for one at `/en/`.
pub fn not_found_path(site: &Site, lang: &str) -> String {
    match site.config.language_prefix(lang).trim_start_matches('/') {
        "" => "404.html".to_owned(),
        folder => format!("{folder}/404.html"),
    }
}

#[derive(Serialize)]
struct NotFoundContext<'a> {
    lang: &'a str,
    default_lang: &'a str,
    site: SiteView<'a>,
    languages: Vec<NotFoundLanguage<'a>>,
    footer_links: &'a [LinkView],
    help_now_href: Option<&'a str>,
    search_href: Option<&'a str>,
    contact_href: Option<&'a str>,
    feed: Option<&'a FeedLink>,
    t: &'a Strings,
    shared: &'a BTreeMap<String, String>,
}

#[derive(Serialize)]
struct NotFoundLanguage<'a> {
    lang: String,
    /// For `lang` and `hreflang` attributes: a variant's own language.
    html_lang: String,
    name: &'a str,
    title: &'a str,
    home_href: String,
    sitemap_href: Option<String>,
    t: &'a Strings,
}

impl Output for NotFound {
    fn claims(&self, site: &Site, _theme: &Theme, output: usize) -> Vec<Claim> {
        site.config
            .language_codes()
            .iter()
            .enumerate()
            .map(|(item, lang)| Claim {
                item,
                ..generated(&not_found_path(site, lang), "404.html", output)
            })
            .collect()
    }

    fn render(&self, route: &Route, cx: &RenderCx) -> Result<Body, Diagnostic> {
        let config = &cx.site.config;
        let mut codes = config.language_codes();
        // The route's language leads.
        let lead = codes.remove(route.item.min(codes.len().saturating_sub(1)));
        codes.insert(0, lead);
        let default = codes[0].as_str();
        let language = cx.language_cx(default);
        let languages = codes
            .clone()
            .into_iter()
            .map(|lang| NotFoundLanguage {
                name: &config.languages[&lang].name,
                title: &config.languages[&lang].title,
                home_href: config
                    .address
                    .href(&format!("{}/", config.language_prefix(&lang))),
                sitemap_href: cx
                    .site
                    .page("sitemap", &lang)
                    .map(|p| config.address.href(&p.url)),
                t: &cx.language_cx(&lang).strings,
                html_lang: config.html_lang(&lang).to_owned(),
                lang,
            })
            .collect();
        let context = NotFoundContext {
            lang: config.html_lang(default),
            default_lang: &config.default_language,
            site: cx.site_view(default),
            languages,
            footer_links: &language.footer_links,
            help_now_href: language.help_now_href.as_deref(),
            search_href: language.search_href.as_deref(),
            contact_href: language.contact_href.as_deref(),
            feed: language.feed.as_ref(),
            t: &language.strings,
            shared: &language.shared,
        };
        render_template(cx.theme, "404.html", &context).map(|html| Body::Bytes(html.into_bytes()))
    }

    fn affected(&self, _route: &Route, changes: &Changes, _cx: &RenderCx) -> bool {
        changes.everything || !changes.languages.is_empty()
    }
}
