//! The plain data a template sees. Templates get values, never access to the site model,
//! so nothing in a template can reach back into loading or linking.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::dates::{DisplayDate, display};
use crate::link::{NEWS_SECTION, Page, PageKind, Schedule, Site};
use crate::theme::Strings;

use super::data_view::{ContactView, DataView, data_view};
use super::feed::feed_url;

/// The page linked beside the consultation line on every page.
const HELP_NOW_PAGE: &str = "help-now";

/// The page with the centre's contact details and where they come from, linked from the
/// consultation line on every page.
const CONTACT_PAGE: &str = "contact";

/// Everything a page template receives.
#[derive(Serialize)]
pub struct PageContext<'a> {
    pub lang: &'a str,
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
    /// UI strings of the page's language.
    pub t: &'a Strings,
    /// The data files, in the page's language.
    pub data: &'a DataView,
    /// Every page of the language as a tree, for the HTML site map.
    pub site_map: &'a [SiteMapEntry],
    /// Links shown in the footer on every page (site.toml `footer`), where they exist.
    pub footer_links: Vec<LinkView>,
    /// The "if you need to talk now" page in this language, if it exists.
    pub help_now_href: Option<String>,
    /// The contact page in this language, if it exists.
    pub contact_href: Option<String>,
    /// The news page of this language, if it exists.
    pub news_href: Option<String>,
    /// This language's announcement feed, for `<link rel="alternate">` on every page.
    pub feed: Option<FeedLink>,
    /// On the pages of a long list: where this page sits and links to its neighbours.
    pub pagination: Option<Pagination>,
}

#[derive(Serialize)]
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

/// One page in the HTML site map, with the pages inside it.
#[derive(Serialize)]
pub struct SiteMapEntry {
    pub title: String,
    pub href: String,
    pub children: Vec<SiteMapEntry>,
}

/// What is the same for every page of one language, built once.
#[derive(Default)]
pub struct LanguageViews {
    pub data: DataView,
    pub site_map: Vec<SiteMapEntry>,
}

/// What every page knows about the site in its language.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    /// Root-relative prefix for theme files and links: `/` or `/sub/`.
    pub base_path: &'a str,
    pub home_href: String,
    /// The centre's contact details, in this language.
    pub contact: Option<&'a ContactView>,
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
    /// Only when it differs from the published date.
    pub updated: Option<DisplayDate>,
    /// The last day an announcement is current, if it has one.
    pub expires: Option<DisplayDate>,
    pub draft: bool,
    /// `current`, `scheduled` (shown only by `serve`) or `ended`.
    pub schedule: &'static str,
}

#[derive(Serialize)]
pub struct Alternate {
    pub hreflang: String,
    pub permalink: String,
}

/// One entry of the language switcher.
#[derive(Serialize)]
pub struct SwitchLink {
    pub lang: String,
    /// The language named in itself.
    pub name: String,
    pub href: String,
    pub current: bool,
    /// False when this page has no translation and the link goes to that language's home.
    pub translated: bool,
    /// Said in the target language when the page is not translated.
    pub note: String,
}

#[derive(Serialize)]
pub struct LinkView {
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

/// Builds the context of one page. `content` is its rendered Markdown.
pub struct ContextBuilder<'a> {
    pub site: &'a Site,
    /// UI strings of every language, complete.
    pub strings: &'a BTreeMap<String, Strings>,
    pub views: &'a BTreeMap<String, LanguageViews>,
}

/// Builds the per-language views once, before pages render in parallel.
pub fn language_views(
    site: &Site,
    strings: &BTreeMap<String, Strings>,
) -> BTreeMap<String, LanguageViews> {
    let default = &site.config.default_language;
    let empty = Strings::new();
    site.config
        .language_codes()
        .into_iter()
        .map(|lang| {
            let site_map = site
                .page("", &lang)
                .map(|home| site_map_entries(site, home))
                .unwrap_or_default();
            let views = LanguageViews {
                data: data_view(
                    &site.data,
                    &lang,
                    default,
                    strings.get(&lang).unwrap_or(&empty),
                ),
                site_map,
            };
            (lang, views)
        })
        .collect()
}

fn site_map_entries(site: &Site, parent: &Page) -> Vec<SiteMapEntry> {
    let mut children = site.children(parent);
    if parent.kind == PageKind::Home {
        children.sort_by_key(|p| (p.parsed.front.weight.unwrap_or(i64::MAX), p.url.clone()));
    }
    children
        .into_iter()
        .map(|p| SiteMapEntry {
            title: p.title().to_owned(),
            href: format!(
                "{}{}",
                site.config.base_path(),
                p.url.trim_start_matches('/')
            ),
            children: if p.kind == PageKind::Section {
                site_map_entries(site, p)
            } else {
                Vec::new()
            },
        })
        .collect()
}

impl<'a> ContextBuilder<'a> {
    pub fn strings(&self, lang: &str) -> &'a Strings {
        static EMPTY: Strings = BTreeMap::new();
        self.strings.get(lang).unwrap_or(&EMPTY)
    }

    pub fn href(&self, url: &str) -> String {
        format!(
            "{}{}",
            self.site.config.base_path(),
            url.trim_start_matches('/')
        )
    }

    pub fn permalink(&self, url: &str) -> String {
        format!(
            "{}{}",
            self.site.config.base_url,
            url.trim_start_matches('/')
        )
    }

    pub fn site_view(&self, lang: &'a str) -> SiteView<'a> {
        let config = &self.site.config;
        let language = &config.languages[lang];
        SiteView {
            title: &language.title,
            description: &language.description,
            base_url: &config.base_url,
            base_path: config.base_path(),
            home_href: self.href(&format!("{}/", config.language_prefix(lang))),
            contact: self.views.get(lang).and_then(|v| v.data.contact.as_ref()),
        }
    }

    pub fn page(&self, page: &'a Page, content: String) -> PageContext<'a> {
        let lang = page.lang();
        PageContext {
            lang,
            default_lang: &self.site.config.default_language,
            site: self.site_view(lang),
            page: self.page_view(page, content),
            alternates: self.alternates(page),
            x_default: self
                .site
                .page(&page.key, &self.site.config.default_language)
                .map(|p| self.permalink(&p.url)),
            switcher: self.switcher(page),
            breadcrumbs: self
                .site
                .ancestors(page)
                .into_iter()
                .map(|p| LinkView {
                    title: p.title().to_owned(),
                    href: self.href(&p.url),
                })
                .collect(),
            menu: self.menu(page),
            children: self.children(page),
            latest: self.latest(page),
            t: self.strings(lang),
            data: &self.views[lang].data,
            site_map: &self.views[lang].site_map,
            footer_links: self.footer_links(lang),
            help_now_href: self.page_href(HELP_NOW_PAGE, lang),
            contact_href: self.page_href(CONTACT_PAGE, lang),
            news_href: self
                .site
                .page(NEWS_SECTION, lang)
                .map(|p| self.href(&p.url)),
            feed: self.feed_link(lang),
            pagination: None,
        }
    }

    /// The address of a page of the site in a language, if it exists.
    pub fn page_href(&self, key: &str, lang: &str) -> Option<String> {
        self.site.page(key, lang).map(|p| self.href(&p.url))
    }

    pub fn feed_link(&self, lang: &str) -> Option<FeedLink> {
        let news = self.site.page(NEWS_SECTION, lang)?;
        let url = feed_url(&self.site.config, lang);
        Some(FeedLink {
            title: format!(
                "{} | {}",
                news.title(),
                self.site.config.languages[lang].title
            ),
            href: self.href(&url),
            permalink: self.permalink(&url),
        })
    }

    /// The news list split into pages: `/news/`, `/news/page/2/`, … Each comes with the
    /// URL it is written to. A list with no announcements still has its first page.
    pub fn news_pages(&self, page: &'a Page, content: &str) -> Vec<(String, PageContext<'a>)> {
        let per_page = self.site.config.news.per_page.max(1);
        let all = self.site.children(page);
        let total = page_count(all.len(), per_page);
        let t = self.strings(page.lang());
        // How many list pages each translation has, counted once for all pages.
        let counts: BTreeMap<String, usize> = self
            .site
            .translations(page)
            .into_iter()
            .map(|p| {
                (
                    p.lang().to_owned(),
                    page_count(self.site.children(p).len(), per_page),
                )
            })
            .collect();
        (1..=total)
            .map(|n| {
                let first = (n - 1) * per_page;
                let items = &all[first.min(all.len())..(first + per_page).min(all.len())];
                let content = if n == 1 {
                    content.to_owned()
                } else {
                    String::new()
                };
                let mut context = self.page(page, content);
                context.children = items.iter().map(|p| self.summary(p)).collect();
                let link = |n: usize, key: &str| LinkView {
                    title: fill(t, key, n, total),
                    href: self.href(&paged_url(&page.url, n)),
                };
                context.pagination = Some(Pagination {
                    current: n,
                    total,
                    label: fill(t, "pagination_page", n, total),
                    newer: (n > 1).then(|| link(n - 1, "pagination_newer")),
                    older: (n < total).then(|| link(n + 1, "pagination_older")),
                });
                if n > 1 {
                    self.turn_to_page(&mut context, page, n, total, &counts);
                }
                (paged_url(&page.url, n), context)
            })
            .collect()
    }

    /// Page `n` of a list is its own page: its own address and title, the first page
    /// in its breadcrumbs, and translations only where that language has page `n` too.
    fn turn_to_page(
        &self,
        context: &mut PageContext<'a>,
        page: &Page,
        n: usize,
        total: usize,
        counts: &BTreeMap<String, usize>,
    ) {
        let t = self.strings(page.lang());
        let url = paged_url(&page.url, n);
        context.page.title = fill(t, "pagination_title", n, total).replace("{title}", page.title());
        context.page.href = self.href(&url);
        context.page.permalink = self.permalink(&url);
        context.breadcrumbs.push(LinkView {
            title: page.title().to_owned(),
            href: self.href(&page.url),
        });
        for item in &mut context.menu {
            if item.current {
                item.current = false;
                item.current_section = true;
            }
        }
        let has_page_n = |p: &Page| counts.get(p.lang()).is_some_and(|&c| c >= n);
        let translations: Vec<&Page> = self
            .site
            .translations(page)
            .into_iter()
            .filter(|p| has_page_n(p))
            .collect();
        context.alternates = translations
            .iter()
            .map(|p| Alternate {
                hreflang: p.lang().to_owned(),
                permalink: self.permalink(&paged_url(&p.url, n)),
            })
            .collect();
        context.x_default = translations
            .iter()
            .find(|p| p.lang() == self.site.config.default_language)
            .map(|p| self.permalink(&paged_url(&p.url, n)));
        for link in &mut context.switcher {
            let other = self.site.page(&page.key, &link.lang);
            if let Some(other) = other.filter(|p| has_page_n(p)) {
                link.href = self.href(&paged_url(&other.url, n));
            }
        }
    }

    fn page_view(&self, page: &Page, content: String) -> PageView {
        let expires = page.parsed.front.expires.map(|e| display(&e, page.lang()));
        let front = &page.parsed.front;
        let lang = page.lang();
        let date = front.date.map(|d| display(&d, lang));
        let updated = front
            .updated
            .filter(|u| Some(u.date()) != front.date.map(|d| d.date()))
            .map(|u| display(&u, lang));
        PageView {
            title: front.title.clone(),
            description: front
                .description
                .clone()
                .unwrap_or_else(|| self.site.config.languages[lang].description.clone()),
            kind: match page.kind {
                PageKind::Home => "home",
                PageKind::Section => "section",
                PageKind::Page => "page",
            },
            href: self.href(&page.url),
            permalink: self.permalink(&page.url),
            content,
            date,
            updated,
            expires,
            draft: front.draft,
            schedule: schedule_name(page.schedule),
        }
    }

    fn alternates(&self, page: &Page) -> Vec<Alternate> {
        self.site
            .translations(page)
            .into_iter()
            .map(|p| Alternate {
                hreflang: p.lang().to_owned(),
                permalink: self.permalink(&p.url),
            })
            .collect()
    }

    fn switcher(&self, page: &Page) -> Vec<SwitchLink> {
        let config = &self.site.config;
        config
            .language_codes()
            .into_iter()
            .map(|lang| {
                let translation = self.site.page(&page.key, &lang);
                let url = translation.map_or_else(
                    || format!("{}/", config.language_prefix(&lang)),
                    |p| p.url.clone(),
                );
                let note = match translation {
                    Some(_) => String::new(),
                    None => self
                        .strings(&lang)
                        .get("not_translated")
                        .cloned()
                        .unwrap_or_default(),
                };
                SwitchLink {
                    name: config.languages[&lang].name.clone(),
                    href: self.href(&url),
                    current: lang == page.lang(),
                    translated: translation.is_some(),
                    note,
                    lang,
                }
            })
            .collect()
    }

    fn menu(&self, page: &Page) -> Vec<MenuLink> {
        self.site
            .menu(page.lang())
            .into_iter()
            .map(|p| MenuLink {
                title: p.title().to_owned(),
                href: self.href(&p.url),
                current: p.key == page.key,
                current_section: page.key.starts_with(&format!("{}/", p.key)),
            })
            .collect()
    }

    fn children(&self, page: &Page) -> Vec<Summary> {
        // The news list is filled one page of announcements at a time by `news_pages`.
        if page.kind != PageKind::Section || page.key == NEWS_SECTION {
            return Vec::new();
        }
        self.site
            .children(page)
            .into_iter()
            .map(|p| self.summary(p))
            .collect()
    }

    pub fn footer_links(&self, lang: &str) -> Vec<LinkView> {
        self.site
            .config
            .footer
            .iter()
            .filter_map(|key| self.site.page(key, lang))
            .map(|p| LinkView {
                title: p.title().to_owned(),
                href: self.href(&p.url),
            })
            .collect()
    }

    /// The newest announcements that have not ended, for the home page.
    fn latest(&self, page: &Page) -> Vec<Summary> {
        if page.kind != PageKind::Home {
            return Vec::new();
        }
        self.site
            .announcements(page.lang())
            .into_iter()
            .filter(|p| p.schedule != Schedule::Ended)
            .take(self.site.config.news.on_home)
            .map(|p| self.summary(p))
            .collect()
    }

    pub fn summary(&self, page: &Page) -> Summary {
        let front = &page.parsed.front;
        Summary {
            title: front.title.clone(),
            href: self.href(&page.url),
            description: front.description.clone().unwrap_or_default(),
            date: front.date.map(|d| display(&d, page.lang())),
            draft: front.draft,
            schedule: schedule_name(page.schedule),
        }
    }
}

/// How many pages a list of `items` fills; an empty list still has one.
fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

/// `/news/` for page 1, `/news/page/2/` after it.
pub fn paged_url(url: &str, n: usize) -> String {
    if n <= 1 {
        url.to_owned()
    } else {
        format!("{url}page/{n}/")
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
    fn lists_split_into_pages_with_stable_urls() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        assert_eq!(paged_url("/news/", 1), "/news/");
        assert_eq!(paged_url("/en/news/", 3), "/en/news/page/3/");
    }
}
