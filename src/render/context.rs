//! The plain data a template sees. Templates get values, never access to the site model,
//! so nothing in a template can reach back into loading or linking; and each page gets
//! only what it shows, built from the site's indexes, so the cost of a page does not grow
//! with the size of the site.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::data_view::{ContactView, DataView};
use super::structured_data;
use super::{LanguageCx, RenderCx};
use crate::address::paged_url;
use crate::browser_policy;
use crate::dates::{DateStyle, DisplayDate, display};
use crate::site::{NEWS_SECTION, Page, PageKind, Schedule, Site};
use crate::theme::{Strings, Theme};

/// Everything a page template receives.
#[derive(Serialize)]
pub struct PageContext<'a> {
    pub lang: &'a str,
    /// The language the page is written in, for `lang` attributes: `lang` itself, or
    /// for a variant (`ja-easy`) the language it is a way of writing (`ja`).
    pub html_lang: &'a str,
    /// The site's default language, in which official names are given.
    pub default_lang: &'a str,
    pub site: SiteView<'a>,
    pub page: PageView,
    /// `<link rel="alternate" hreflang>`: every existing translation, this page included.
    pub alternates: Vec<Alternate>,
    /// The default-language version, for `hreflang="x-default"`, if it exists.
    pub x_default: Option<String>,
    pub switcher: Vec<SwitchLink>,
    /// The pages above this one, outermost first; the page itself is not included.
    pub breadcrumbs: Vec<LinkView>,
    pub menu: Vec<MenuLink>,
    /// For sections: the pages inside, newest first where dated.
    pub children: Vec<Summary>,
    /// For the home page: the newest announcements.
    pub latest: Vec<Summary>,
    /// UI strings of the page's language: those its template reads.
    pub t: StringsRead<'a>,
    /// The data files in the page's language, for the templates that show them.
    pub data: Option<&'a DataView>,
    /// Every page of the language as a tree, for the template of the HTML site map.
    pub site_map: Option<Vec<SiteMapEntry>>,
    /// The site search and the keyword index, on a page whose template reads them.
    pub site_search: Option<super::search::SearchView>,
    /// Links shown in the footer on every page (site.toml `footer`), where they exist.
    pub footer_links: &'a [LinkView],
    pub help_now_href: Option<&'a str>,
    pub search_href: Option<&'a str>,
    pub contact_href: Option<&'a str>,
    pub news_href: Option<&'a str>,
    /// This language's announcement feed, for `<link rel="alternate">` on every page.
    pub feed: Option<&'a FeedLink>,
    /// On the pages of a long list: where this page sits and links to its neighbours.
    pub pagination: Option<Pagination>,
    /// The theme's `shared/` templates, rendered once for the language.
    pub shared: &'a BTreeMap<String, String>,
    /// The text of the page's `<script type="application/ld+json">`, already escaped
    /// for it (see [`super::structured_data`]).
    pub structured_data: Option<String>,
}

/// The interface texts a template reads, serialised without the ones it does not: a
/// page's context is built for every page, and most texts are read by few templates.
pub struct StringsRead<'a> {
    pub all: &'a Strings,
    /// `None`: every text.
    pub read: Option<&'a BTreeSet<String>>,
}

impl Serialize for StringsRead<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let Some(read) = self.read else {
            return self.all.serialize(serializer);
        };
        let mut map = serializer.serialize_map(Some(read.len()))?;
        for key in read {
            if let Some(text) = self.all.get(key) {
                map.serialize_entry(key, text)?;
            }
        }
        map.end()
    }
}

/// What a `shared/` template receives: everything of its language, nothing of a page.
#[derive(Serialize)]
pub struct SharedContext<'a> {
    pub lang: &'a str,
    pub default_lang: &'a str,
    pub site: SiteView<'a>,
    pub t: &'a Strings,
    pub data: &'a DataView,
    pub footer_links: &'a [LinkView],
    pub help_now_href: Option<&'a str>,
    pub contact_href: Option<&'a str>,
    pub news_href: Option<&'a str>,
    pub feed: Option<&'a FeedLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    pub title: String,
    pub href: String,
    /// The full address, shown so readers can copy it into a feed reader.
    pub permalink: String,
}

/// Page `current` of `total` of the news list. Link texts name the direction and page
/// number, so a screen reader listing links can tell them apart.
#[derive(Serialize)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    /// "Page 2 of 3".
    pub label: String,
    pub newer: Option<LinkView>,
    pub older: Option<LinkView>,
}

/// One page in the HTML site map. The tree is given flat, in reading order, with what
/// a template needs to nest lists: a site of any depth then renders in a loop, where a
/// recursive macro (and a recursive structure to serialise) would run out of stack
/// past some hundreds of levels.
#[derive(Serialize)]
pub struct SiteMapEntry {
    pub title: String,
    pub href: String,
    /// A new list starts before this entry: it is the first inside its section.
    pub opens: bool,
    /// Pages inside it follow, so its list item stays open.
    pub has_children: bool,
    /// For an entry without children: how many lists end after it, each with the item
    /// of the section it was in.
    pub closes: usize,
}

/// What every page knows about the site in its language.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    /// Root-relative prefix for theme files and links: `/` or `/sub/`.
    pub base_path: &'a str,
    /// The theme's files by their names in the theme (`css/site.css`), each to its
    /// published name below the site root (`css/site-<hash>.css`, see `fingerprint`).
    pub assets: &'a BTreeMap<String, String>,
    pub home_href: String,
    /// The centre's contact details, in this language.
    pub contact: Option<&'a ContactView>,
    /// The policy the reader's browser enforces, for the `<meta>` elements at the top
    /// of every page's `<head>` (see [`crate::browser_policy`]): templates read it
    /// here rather than writing it out, so there is one definition.
    pub content_security_policy: &'static str,
    pub referrer_policy: &'static str,
    /// The `rel` of every link a template writes to another site.
    pub external_link_rel: &'static str,
}

#[derive(Serialize)]
pub struct PageView {
    pub title: String,
    pub description: String,
    pub kind: &'static str,
    pub href: String,
    pub permalink: String,
    pub content: String,
    pub date: Option<DisplayDate>,
    /// When what an announcement tells of happened, if the author gave it.
    pub event_date: Option<DisplayDate>,
    /// Only when it differs from the published date.
    pub updated: Option<DisplayDate>,
    /// The last day an announcement is current, if it has one.
    pub expires: Option<DisplayDate>,
    pub draft: bool,
    /// `current`, `scheduled` (shown only by `serve`) or `ended`.
    pub schedule: &'static str,
    /// The sources the page's text relies on, as its front matter names them.
    pub sources: Vec<super::data_view::SourceView>,
}

#[derive(Serialize)]
pub struct Alternate {
    pub hreflang: String,
    pub permalink: String,
    /// The language's `og_locale` (`ja_JP`), for `og:locale:alternate`; empty if the
    /// theme does not give one.
    pub og_locale: String,
}

/// One entry of the language switcher.
#[derive(Serialize)]
pub struct SwitchLink {
    pub lang: String,
    /// For `lang` and `hreflang` attributes (see [`PageContext::html_lang`]).
    pub html_lang: String,
    /// The language named in itself.
    pub name: String,
    pub href: String,
    pub current: bool,
    /// False when this page has no translation and the link goes to that language's home.
    pub translated: bool,
    /// Said in the target language when the page is not translated.
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub title: String,
    pub href: String,
}

/// An item of a language's menu, built once for the language.
#[derive(Debug, Clone)]
pub struct MenuItem {
    pub key: String,
    pub title: String,
    pub href: String,
}

#[derive(Serialize)]
pub struct MenuLink {
    pub title: String,
    pub href: String,
    /// The link is to this very page.
    pub current: bool,
    /// This page lies inside the linked section.
    pub current_section: bool,
}

#[derive(Serialize)]
pub struct Summary {
    pub title: String,
    pub href: String,
    pub description: String,
    pub date: Option<DisplayDate>,
    pub draft: bool,
    pub schedule: &'static str,
}

fn schedule_name(schedule: Schedule) -> &'static str {
    match schedule {
        Schedule::Current => "current",
        Schedule::Scheduled => "scheduled",
        Schedule::Ended => "ended",
    }
}

pub fn site_view<'a>(site: &'a Site, theme: &'a Theme, language: &'a LanguageCx) -> SiteView<'a> {
    let config = &site.config;
    let lang = &language.lang;
    let settings = &config.languages[lang];
    SiteView {
        title: &settings.title,
        description: &settings.description,
        base_url: config.address.base_url(),
        base_path: config.address.base_path(),
        assets: theme.asset_names(),
        home_href: config
            .address
            .href(&format!("{}/", config.language_prefix(lang))),
        contact: language.data.contact.as_ref(),
        content_security_policy: browser_policy::CONTENT_SECURITY_POLICY,
        referrer_policy: browser_policy::REFERRER_POLICY,
        external_link_rel: browser_policy::EXTERNAL_LINK_REL,
    }
}

/// The announcement feed of a language, if it has a news section.
pub fn feed_link(site: &Site, lang: &str) -> Option<FeedLink> {
    let news = site.page(NEWS_SECTION, lang)?;
    let url = super::feed::feed_url(&site.config, lang);
    Some(FeedLink {
        title: format!("{} | {}", news.title(), site.config.languages[lang].title),
        href: site.config.address.href(&url),
        permalink: site.config.address.permalink(&url),
    })
}

/// Builds the context of one page (or one page `part` of a list). `content` is its
/// rendered Markdown.
pub fn page_context<'a>(
    cx: &'a RenderCx<'a>,
    page: &'a Page,
    part: usize,
    content: String,
    template: &str,
) -> PageContext<'a> {
    let site = cx.site;
    let lang = page.lang();
    let language = cx.language_cx(lang);
    let address = &site.config.address;
    let needs = cx.theme.needs(template);
    let mut site_data = site_view(site, cx.theme, language);
    if !needs.contact {
        site_data.contact = None;
    }
    let mut context = PageContext {
        lang,
        html_lang: site.config.html_lang(lang),
        default_lang: &site.config.default_language,
        site: site_data,
        page: page_view(site, page, content, language),
        alternates: alternates(site, cx.theme, page, 1),
        x_default: site
            .page(&page.key, &site.config.default_language)
            .map(|p| address.permalink(&p.url)),
        switcher: switcher(cx, page),
        breadcrumbs: site
            .ancestors(page)
            .into_iter()
            .map(|p| LinkView {
                title: p.title().to_owned(),
                href: address.href(&p.url),
            })
            .collect(),
        menu: language
            .menu
            .iter()
            .map(|item| MenuLink {
                title: item.title.clone(),
                href: item.href.clone(),
                current: item.key == page.key,
                current_section: page.key.starts_with(&format!("{}/", item.key)),
            })
            .collect(),
        children: children(site, page, language.locale.date_style),
        latest: latest(site, page, language.locale.date_style),
        t: StringsRead {
            all: &language.strings,
            read: needs.strings.as_ref(),
        },
        data: needs.data.then_some(&language.data),
        site_search: needs
            .site_search
            .then(|| super::search::search_view(cx, lang)),
        site_map: needs.site_map.then(|| {
            site.page("", lang)
                .map(|home| site_map_entries(site, home))
                .unwrap_or_default()
        }),
        footer_links: &language.footer_links,
        help_now_href: language.help_now_href.as_deref(),
        search_href: language.search_href.as_deref(),
        contact_href: language.contact_href.as_deref(),
        news_href: language.news_href.as_deref(),
        feed: language.feed.as_ref(),
        pagination: None,
        shared: &language.shared,
        structured_data: None,
    };
    if page.is_news_list() {
        paginate(cx, page, part, language, &mut context);
    }
    // From the breadcrumbs as shown, after `paginate`, which gives a later page of a list
    // its own title and address and puts the list's first page in its breadcrumbs.
    let permalinks: Vec<String> = context
        .breadcrumbs
        .iter()
        .map(|crumb| format!("{}{}", address.host_root(), crumb.href))
        .collect();
    let mut steps: Vec<(&str, &str)> = context
        .breadcrumbs
        .iter()
        .zip(&permalinks)
        .map(|(crumb, permalink)| (crumb.title.as_str(), permalink.as_str()))
        .collect();
    steps.push((&context.page.title, &context.page.permalink));
    let trail = structured_data::Trail { steps };
    context.structured_data = structured_data::page_data(language.centre.as_deref(), &trail);
    context
}

fn page_view(site: &Site, page: &Page, content: String, language: &LanguageCx) -> PageView {
    let style = language.locale.date_style;
    let front = &page.parsed.front;
    let lang = page.lang();
    let address = &site.config.address;
    PageView {
        title: front.title.clone(),
        description: front
            .description
            .clone()
            .unwrap_or_else(|| site.config.languages[lang].description.clone()),
        kind: match page.kind {
            PageKind::Home => "home",
            PageKind::Section => "section",
            PageKind::Page => "page",
        },
        href: address.href(&page.url),
        permalink: address.permalink(&page.url),
        content,
        date: front.date.map(|d| display(&d, style)),
        event_date: front.event_date.map(|d| display(&d, style)),
        updated: front
            .updated
            .filter(|u| Some(u.date()) != front.date.map(|d| d.date()))
            .map(|u| display(&u, style)),
        expires: front.expires.map(|e| display(&e, style)),
        draft: front.draft,
        schedule: schedule_name(page.schedule),
        sources: front
            .sources
            .iter()
            .filter_map(|id| language.data.sources.get(id).cloned())
            .collect(),
    }
}

/// Every translation of page `part` of a page: for part 1 the translations themselves,
/// for a later page of a list only those whose list has that many pages.
fn alternates(site: &Site, theme: &Theme, page: &Page, part: usize) -> Vec<Alternate> {
    site.hreflang_translations(page)
        .into_iter()
        .filter(|p| part <= 1 || list_pages(site, p) >= part)
        .map(|p| Alternate {
            hreflang: p.lang().to_owned(),
            permalink: site.config.address.permalink(&paged_url(&p.url, part)),
            og_locale: theme
                .strings(p.lang())
                .get("og_locale")
                .cloned()
                .unwrap_or_default(),
        })
        .collect()
}

fn switcher(cx: &RenderCx, page: &Page) -> Vec<SwitchLink> {
    let site = cx.site;
    let config = &site.config;
    config
        .language_codes()
        .into_iter()
        .map(|lang| {
            let translation = site.page(&page.key, &lang);
            let url = translation.map_or_else(
                || format!("{}/", config.language_prefix(&lang)),
                |p| p.url.clone(),
            );
            let note = match translation {
                Some(_) => String::new(),
                None => cx
                    .language_cx(&lang)
                    .strings
                    .get("not_translated")
                    .cloned()
                    .unwrap_or_default(),
            };
            SwitchLink {
                name: config.languages[&lang].name.clone(),
                href: config.address.href(&url),
                current: lang == page.lang(),
                translated: translation.is_some(),
                note,
                html_lang: config.html_lang(&lang).to_owned(),
                lang,
            }
        })
        .collect()
}

fn children(site: &Site, page: &Page, style: DateStyle) -> Vec<Summary> {
    // The news list is filled one page of announcements at a time by `paginate`.
    if page.kind != PageKind::Section || page.is_news_list() {
        return Vec::new();
    }
    site.children(page)
        .into_iter()
        .map(|p| summary(site, p, style))
        .collect()
}

/// The newest announcements that have not ended, for the home page.
fn latest(site: &Site, page: &Page, style: DateStyle) -> Vec<Summary> {
    if page.kind != PageKind::Home {
        return Vec::new();
    }
    site.announcements(page.lang())
        .into_iter()
        .filter(|p| p.schedule != Schedule::Ended)
        .take(site.config.news.on_home)
        .map(|p| summary(site, p, style))
        .collect()
}

pub fn summary(site: &Site, page: &Page, style: DateStyle) -> Summary {
    let front = &page.parsed.front;
    Summary {
        title: front.title.clone(),
        href: site.config.address.href(&page.url),
        description: front.description.clone().unwrap_or_default(),
        date: front.date.map(|d| display(&d, style)),
        draft: front.draft,
        schedule: schedule_name(page.schedule),
    }
}

fn site_map_entries(site: &Site, home: &Page) -> Vec<SiteMapEntry> {
    let children_of = |parent: &Page| {
        let mut children = site.children(parent);
        if parent.kind == PageKind::Home {
            children.sort_by_key(|p| (p.parsed.front.weight.unwrap_or(i64::MAX), p.url.clone()));
        }
        children
    };
    // Pre-order, with an explicit stack: (page, depth, whether pages sit inside it).
    let mut order: Vec<(&Page, usize, bool)> = Vec::new();
    let mut stack: Vec<(&Page, usize)> = children_of(home)
        .into_iter()
        .rev()
        .map(|p| (p, 1))
        .collect();
    while let Some((page, depth)) = stack.pop() {
        let children = if page.kind == PageKind::Section {
            children_of(page)
        } else {
            Vec::new()
        };
        order.push((page, depth, !children.is_empty()));
        stack.extend(children.into_iter().rev().map(|p| (p, depth + 1)));
    }
    let depth_at = |i: usize| order.get(i).map_or(1, |(_, d, _)| *d);
    (0..order.len())
        .map(|i| {
            let (page, depth, has_children) = order[i];
            SiteMapEntry {
                title: page.title().to_owned(),
                href: site.config.address.href(&page.url),
                opens: i == 0 || depth > depth_at(i - 1),
                has_children,
                closes: if has_children {
                    0
                } else {
                    depth.saturating_sub(depth_at(i + 1))
                },
            }
        })
        .collect()
}

/// How many pages a list of `items` fills; an empty list still has one.
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// How many pages the news list `page` has.
pub fn list_pages(site: &Site, page: &Page) -> usize {
    if page.is_news_list() {
        page_count(site.child_count(page), site.config.news.per_page)
    } else {
        1
    }
}

/// Fills page `n` of the news list: its announcements, its pager, and for a later page
/// its own address, title and translations.
fn paginate(
    cx: &RenderCx,
    page: &Page,
    n: usize,
    language: &LanguageCx,
    context: &mut PageContext,
) {
    let site = cx.site;
    let t = &language.strings;
    let per_page = site.config.news.per_page.max(1);
    let all = site.children(page);
    let total = page_count(all.len(), per_page);
    let first = (n - 1) * per_page;
    let items = &all[first.min(all.len())..(first + per_page).min(all.len())];
    let address = &site.config.address;
    context.children = items
        .iter()
        .map(|p| summary(site, p, language.locale.date_style))
        .collect();
    let link = |n: usize, key: &str| LinkView {
        title: fill(t, key, n, total),
        href: address.href(&paged_url(&page.url, n)),
    };
    context.pagination = Some(Pagination {
        current: n,
        total,
        label: fill(t, "pagination_page", n, total),
        newer: (n > 1).then(|| link(n - 1, "pagination_newer")),
        older: (n < total).then(|| link(n + 1, "pagination_older")),
    });
    if n <= 1 {
        return;
    }
    // Page `n` of a list is its own page: its own address and title, the first page
    // in its breadcrumbs, and translations only where that language has page `n` too.
    let url = paged_url(&page.url, n);
    context.page.title = fill(t, "pagination_title", n, total).replace("{title}", page.title());
    context.page.href = address.href(&url);
    context.page.permalink = address.permalink(&url);
    context.page.content = String::new();
    context.breadcrumbs.push(LinkView {
        title: page.title().to_owned(),
        href: address.href(&page.url),
    });
    for item in &mut context.menu {
        if item.current {
            item.current = false;
            item.current_section = true;
        }
    }
    context.alternates = alternates(site, cx.theme, page, n);
    context.x_default = site
        .page(&page.key, &site.config.default_language)
        .filter(|p| list_pages(site, p) >= n)
        .map(|p| address.permalink(&paged_url(&p.url, n)));
    for link in &mut context.switcher {
        let other = site.page(&page.key, &link.lang);
        if let Some(other) = other.filter(|p| list_pages(site, p) >= n) {
            link.href = address.href(&paged_url(&other.url, n));
        }
    }
}

/// An interface text with `{n}` and `{total}` filled in.
fn fill(t: &Strings, key: &str, n: usize, total: usize) -> String {
    t.get(key)
        .map(String::as_str)
        .unwrap_or_default()
        .replace("{n}", &n.to_string())
        .replace("{total}", &total.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_into_pages() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        assert_eq!(page_count(5, 0), 5, "a per_page of 0 counts as 1");
    }
}
