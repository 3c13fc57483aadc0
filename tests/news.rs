//! Announcements as residents and feed readers meet them: the news list and its pages,
//! the home page, each announcement's own page, and the RSS feed of each language, all
//! with a pinned "now".

mod common;

use std::fs;

use common::*;
use rss::Channel;
use rss::validation::Validate;
use yorisoi::diagnostics::Problem;
use yorisoi::report::MessageLanguage;

/// The basic fixture with a news section in both languages.
fn site_with_news() -> Workspace {
    let site = Workspace::copy_of("basic");
    site.write(
        "news/_index.ja.md",
        "+++\ntitle = \"お知らせ\"\ndescription = \"センターからのお知らせです。\"\n+++\n",
    );
    site.write(
        "news/_index.en.md",
        "+++\ntitle = \"Announcements\"\ndescription = \"News from the centre.\"\n+++\n",
    );
    site
}

/// Writes one announcement in both languages with the same extra front matter.
fn announce(site: &Workspace, stem: &str, front: &str, ja_title: &str, en_title: &str) {
    site.write(
        &format!("news/{stem}.ja.md"),
        format!("+++\ntitle = \"{ja_title}\"\n{front}\n+++\n\n{ja_title}の本文です。\n"),
    );
    site.write(
        &format!("news/{stem}.en.md"),
        format!("+++\ntitle = \"{en_title}\"\n{front}\n+++\n\nText of {en_title}.\n"),
    );
}

fn build_at(site: &Workspace, now: &str, include_drafts: bool) -> yorisoi::Outcome {
    let mut options = site.options();
    options.now = yorisoi::dates::parse_moment(now).expect("a valid now");
    options.include_drafts = include_drafts;
    let outcome = yorisoi::build(&options);
    assert!(
        outcome.written && !outcome.has_errors(),
        "{:#?}",
        outcome.diagnostics
    );
    outcome
}

fn read(site: &Workspace, rel: &str) -> String {
    fs::read_to_string(site.output.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn html(site: &Workspace, rel: &str) -> scraper::Html {
    scraper::Html::parse_document(&read(site, rel))
}

fn feed(site: &Workspace, rel: &str) -> Channel {
    Channel::read_from(read(site, rel).as_bytes()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn item_titles(channel: &Channel) -> Vec<&str> {
    channel.items().iter().filter_map(|i| i.title()).collect()
}

fn link_texts(doc: &scraper::Html, css: &str) -> Vec<String> {
    select(doc, css).into_iter().map(text).collect()
}

/// One announcement a day from the 1st of `month` (`2026-01`), titled お知らせN / Notice N.
fn announce_daily(site: &Workspace, month: &str, days: u32) {
    for day in 1..=days {
        announce(
            site,
            &format!("{month}-{day:02}-n"),
            &format!("date = {month}-{day:02}"),
            &format!("お知らせ{day}"),
            &format!("Notice {day}"),
        );
    }
}

/// Three announcements, the newest with a time of day and an update, one linking to a
/// page, a file and a heading of its own.
fn three_announcements() -> Workspace {
    let site = site_with_news();
    announce(
        &site,
        "2026-04-08-family-meeting",
        "date = 2026-04-08\ndescription = \"4月の家族会のご案内です。\"",
        "4月の家族会",
        "Family meeting in April",
    );
    announce(
        &site,
        "2026-05-01-closure",
        "date = 2026-05-01T09:30\nupdated = 2026-05-02",
        "休館のお知らせ",
        "Closure",
    );
    site.write(
        "news/2026-03-01-leaflet.ja.md",
        "+++\ntitle = \"リーフレット\"\ndate = 2026-03-01\n+++\n\n[リーフレット](/files/leaflet.pdf)と[アクセス](@/access.md)、[下へ](#map)。\n\n![地図](/files/leaflet.pdf)\n\n## 地図 {#map}\n",
    );
    site.write(
        "news/2026-03-01-leaflet.en.md",
        "+++\ntitle = \"Leaflet\"\ndate = 2026-03-01\n+++\n\nThe [leaflet](/files/leaflet.pdf), [access](@/access.md), [below](#map).\n",
    );
    site
}

#[test]
fn each_language_has_a_feed_with_every_channel_field() {
    let site = three_announcements();
    build_at(&site, NOW, false);
    for (rel, lang, page, title) in [
        (
            "news/feed.xml",
            "ja",
            "news/",
            "お知らせ | みやぎ相談センター",
        ),
        (
            "en/news/feed.xml",
            "en",
            "en/news/",
            "Announcements | Miyagi Support Centre",
        ),
    ] {
        let channel = feed(&site, rel);
        channel.validate().expect("a valid RSS 2.0 channel");
        assert_eq!(channel.title(), title);
        assert_eq!(channel.link(), format!("{BASE_URL}{page}"));
        assert!(!channel.description().is_empty());
        assert_eq!(channel.language(), Some(lang));
        // The newest change to any item (the closure's update), not the build time.
        assert_eq!(
            channel.last_build_date(),
            Some("Sat, 02 May 2026 00:00:00 +0900")
        );
        let atom = channel.atom_ext().expect("atom:link");
        let own = &atom.links()[0];
        assert_eq!(own.rel(), "self");
        assert_eq!(own.href(), format!("{BASE_URL}{rel}"));
        assert_eq!(own.mime_type(), Some("application/rss+xml"));
        assert_eq!(channel.items().len(), 3);
    }
}

#[test]
fn items_carry_permalinks_japan_dates_and_plain_descriptions() {
    let site = three_announcements();
    build_at(&site, NOW, false);
    let channel = feed(&site, "news/feed.xml");
    assert_eq!(
        item_titles(&channel),
        ["休館のお知らせ", "4月の家族会", "リーフレット"],
        "newest first"
    );
    let pub_dates: Vec<_> = channel.items().iter().map(|i| i.pub_date()).collect();
    assert_eq!(
        pub_dates,
        [
            Some("Fri, 01 May 2026 09:30:00 +0900"),
            Some("Wed, 08 Apr 2026 00:00:00 +0900"),
            Some("Sun, 01 Mar 2026 00:00:00 +0900"),
        ]
    );
    for item in channel.items() {
        let link = item.link().expect("every item has a link");
        assert!(link.starts_with(BASE_URL), "{link}");
        let guid = item.guid().expect("every item has a guid");
        assert_eq!(guid.value(), link);
        assert!(guid.is_permalink());
        // The page the link names exists and says it is that page.
        let file = file_of_url(link).expect("the link is on the site");
        let doc = html(&site, &file);
        assert_eq!(
            attr(one(&doc, r#"link[rel="canonical"]"#), "href"),
            link,
            "{file}"
        );
        assert_eq!(text(one(&doc, "h1")), item.title().unwrap_or_default());
        let description = item.description().expect("every item has a description");
        assert!(!description.contains('<'), "plain text: {description}");
    }
    let meeting = &channel.items()[1];
    assert_eq!(meeting.description(), Some("4月の家族会のご案内です。"));
    let closure = &channel.items()[0];
    assert_eq!(
        closure.description(),
        Some("休館のお知らせの本文です。"),
        "without a description, the first paragraph"
    );
}

/// A source that gives only a month is shown as a month, and the feed names no day for
/// it: RSS dates name a day, and the first of the month would be one nobody stated.
#[test]
fn a_month_only_announcement_gets_no_day_in_the_feed() {
    let site = site_with_news();
    announce(
        &site,
        "2015-08-branch",
        "date = \"2015-08\"",
        "南支所",
        "South branch",
    );
    build_at(&site, NOW, false);
    let channel = feed(&site, "news/feed.xml");
    let item = &channel.items()[0];
    assert_eq!(item.title(), Some("南支所"));
    assert_eq!(item.pub_date(), None, "no day for a month");
    assert_eq!(channel.last_build_date(), None, "no day to build on");
    let page = read(&site, "news/2015-08-branch/index.html");
    assert!(page.contains("2015年（平成27年）8月"), "{page}");
    assert!(!page.contains("8月1日"), "{page}");
}

#[test]
fn item_content_has_absolute_links_and_images() {
    let site = three_announcements();
    build_at(&site, NOW, false);
    let channel = feed(&site, "news/feed.xml");
    let leaflet = channel
        .items()
        .iter()
        .find(|i| i.title() == Some("リーフレット"))
        .expect("the leaflet item");
    let content = leaflet.content().expect("content:encoded");
    let doc = scraper::Html::parse_fragment(content);
    let item_link = leaflet.link().expect("link");
    let hrefs: Vec<&str> = select(&doc, "a[href]")
        .into_iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            format!("{BASE_URL}files/leaflet.pdf"),
            format!("{BASE_URL}access/"),
            format!("{item_link}#map"),
        ]
    );
    let src = attr(one(&doc, "img"), "src");
    assert_eq!(src, format!("{BASE_URL}files/leaflet.pdf"));
    for href in hrefs.iter().copied().chain([src]) {
        let file = file_of_url(href.split('#').next().unwrap_or(href));
        assert!(
            file.is_some_and(|f| site.output.join(f).is_file()),
            "{href} opens a file of the site"
        );
    }
}

#[test]
fn titles_with_markup_characters_emoji_and_cjk_stay_valid_xml() {
    let site = site_with_news();
    let title = "R&D <会議> \\\"ご案内\\\" 🌸 ]]> end";
    announce(&site, "2026-04-08-odd", "date = 2026-04-08", title, title);
    build_at(&site, NOW, false);
    for rel in ["news/feed.xml", "en/news/feed.xml"] {
        let xml = read(&site, rel);
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{rel} is XML: {e}"));
        let channel = feed(&site, rel);
        assert_eq!(
            item_titles(&channel),
            ["R&D <会議> \"ご案内\" 🌸 ]]> end"],
            "the title survives whole"
        );
        let content = channel.items()[0].content().expect("content");
        assert!(content.contains("]]&gt;"), "{content}");
    }
}

#[test]
fn a_control_character_written_as_an_escape_in_a_title_is_an_error_at_its_line() {
    let site = site_with_news();
    let title = "Meeting \\u0001end";
    announce(&site, "2026-04-08-odd", "date = 2026-04-08", title, "会議");
    let outcome = yorisoi::build(&site.options());
    let d = outcome
        .diagnostics
        .iter()
        .find(|d| matches!(d.problem, Problem::ControlCharacter { code: 1 }))
        .unwrap_or_else(|| panic!("{:#?}", outcome.diagnostics));
    assert!(d.is_error());
    assert_eq!(d.location.as_ref().unwrap().line, 2, "the title line");
    assert!(!outcome.written);
}

#[test]
fn the_feed_limit_comes_from_site_toml_and_defaults_to_twenty() {
    let site = site_with_news();
    announce_daily(&site, "2026-01", 25);
    build_at(&site, NOW, false);
    let channel = feed(&site, "news/feed.xml");
    assert_eq!(channel.items().len(), 20);
    assert_eq!(channel.items()[0].title(), Some("お知らせ25"));

    let config = fs::read_to_string(site.content.join("site.toml")).expect("site.toml");
    site.write("site.toml", format!("{config}\n[feed]\nlimit = 3\n"));
    build_at(&site, NOW, false);
    assert_eq!(
        item_titles(&feed(&site, "en/news/feed.xml")),
        ["Notice 25", "Notice 24", "Notice 23"]
    );
}

#[test]
fn the_same_content_gives_the_same_feed_bytes_on_any_day() {
    let site = three_announcements();
    build_at(&site, NOW, false);
    let first = read(&site, "news/feed.xml");
    build_at(&site, "2027-01-01T12:00", false);
    assert_eq!(first, read(&site, "news/feed.xml"));
}

#[test]
fn every_page_announces_its_own_languages_feed() {
    let site = three_announcements();
    build_at(&site, NOW, false);
    let files = list_files(&site.output);
    let pages: Vec<&String> = files.iter().filter(|f| f.ends_with("index.html")).collect();
    assert!(pages.len() > 10);
    for rel in pages {
        let doc = html(&site, rel);
        let link = one(
            &doc,
            r#"head link[rel="alternate"][type="application/rss+xml"]"#,
        );
        let expected = match language_of_file(rel) {
            "en" => format!("{BASE_PATH}en/news/feed.xml"),
            _ => format!("{BASE_PATH}news/feed.xml"),
        };
        assert_eq!(attr(link, "href"), expected, "{rel}");
        assert!(!attr(link, "title").is_empty());
    }
}

#[test]
fn the_news_page_shows_its_feed_and_says_what_a_feed_is() {
    let site = three_announcements();
    build_at(&site, NOW, false);
    let doc = html(&site, "news/index.html");
    let section = one(&doc, ".feed-info");
    let link = select_in(section, "a")[0];
    assert_eq!(attr(link, "href"), format!("{BASE_PATH}news/feed.xml"));
    assert_eq!(text(link), format!("{BASE_URL}news/feed.xml"));
    assert!(
        text(section).contains("フィードリーダー"),
        "{}",
        text(section)
    );
    let en = html(&site, "en/news/index.html");
    assert!(text(one(&en, ".feed-info")).contains("feed-reader app"));
}

#[test]
fn the_news_list_is_newest_first_with_time_elements() {
    let site = three_announcements();
    build_at(&site, NOW, false);
    let doc = html(&site, "news/index.html");
    assert_eq!(
        link_texts(&doc, ".news-list h2 a"),
        ["休館のお知らせ", "4月の家族会", "リーフレット"]
    );
    let times: Vec<&str> = select(&doc, ".news-list time")
        .into_iter()
        .map(|t| attr(t, "datetime"))
        .collect();
    assert_eq!(
        times,
        ["2026-05-01T09:30:00+09:00", "2026-04-08", "2026-03-01"]
    );
    assert!(select(&doc, ".pager").is_empty(), "one page needs no pager");
}

#[test]
fn an_announcement_page_shows_published_and_updated_dates() {
    let site = three_announcements();
    build_at(&site, NOW, false);
    let doc = html(&site, "news/2026-05-01-closure/index.html");
    let dates = text(one(&doc, ".page-dates"));
    assert!(dates.contains("掲載日2026年（令和8年）5月1日"), "{dates}");
    let times: Vec<&str> = select(&doc, ".page-dates time")
        .into_iter()
        .map(|t| attr(t, "datetime"))
        .collect();
    assert_eq!(times, ["2026-05-01T09:30:00+09:00", "2026-05-02"]);
    assert!(dates.contains("更新日2026年（令和8年）5月2日"), "{dates}");
    let en = html(&site, "en/news/2026-05-01-closure/index.html");
    assert!(text(one(&en, ".page-dates")).contains("2 May 2026"));
}

#[test]
fn the_home_page_shows_the_latest_few_and_links_to_all() {
    let site = site_with_news();
    announce_daily(&site, "2026-02", 8);
    build_at(&site, NOW, false);
    let doc = html(&site, "index.html");
    assert_eq!(
        link_texts(&doc, "#latest-heading ~ ul a"),
        [
            "お知らせ8",
            "お知らせ7",
            "お知らせ6",
            "お知らせ5",
            "お知らせ4"
        ]
    );
    assert_eq!(
        attr(one(&doc, ".more-link a"), "href"),
        format!("{BASE_PATH}news/")
    );
}

/// 23 announcements, one a day in January 2026.
fn many_announcements() -> Workspace {
    let site = site_with_news();
    announce_daily(&site, "2026-01", 23);
    site
}

#[test]
fn the_news_list_is_paginated_ten_to_a_page() {
    let site = many_announcements();
    build_at(&site, NOW, false);
    let first = html(&site, "news/index.html");
    let second = html(&site, "news/page/2/index.html");
    let third = html(&site, "news/page/3/index.html");
    assert_eq!(select(&first, ".news-list li").len(), 10);
    assert_eq!(select(&second, ".news-list li").len(), 10);
    assert_eq!(
        link_texts(&third, ".news-list h2 a"),
        ["お知らせ3", "お知らせ2", "お知らせ1"]
    );
    assert!(!site.output.join("news/page/4").exists());
    assert!(
        !site.output.join("news/page/1").exists(),
        "page 1 is /news/ only"
    );
}

#[test]
fn pager_links_say_which_way_and_which_page() {
    let site = many_announcements();
    build_at(&site, NOW, false);
    let second = html(&site, "news/page/2/index.html");
    let pager = one(&second, "nav.pager");
    assert_eq!(attr(pager, "aria-label"), "お知らせの一覧のページ");
    let links: Vec<(String, &str, &str)> = select_in(pager, "a")
        .into_iter()
        .map(|a| (text(a), attr(a, "href"), attr(a, "rel")))
        .collect();
    assert_eq!(
        links,
        [
            (
                "新しいお知らせ（1ページ目）".to_owned(),
                "/support/news/",
                "prev"
            ),
            (
                "古いお知らせ（3ページ目）".to_owned(),
                "/support/news/page/3/",
                "next"
            ),
        ]
    );
    assert!(text(pager).contains("2ページ目（全3ページ）"));
    let en = html(&site, "en/news/page/3/index.html");
    assert_eq!(
        link_texts(&en, "nav.pager a"),
        ["Newer announcements (page 2)"]
    );
    let first = html(&site, "en/news/index.html");
    assert_eq!(
        link_texts(&first, "nav.pager a"),
        ["Older announcements (page 2)"]
    );
}

#[test]
fn later_pages_have_their_own_title_address_and_translations() {
    let site = many_announcements();
    build_at(&site, NOW, false);
    let second = html(&site, "news/page/2/index.html");
    assert_eq!(text(one(&second, "h1")), "お知らせ（2ページ目）");
    assert!(text(one(&second, "title")).starts_with("お知らせ（2ページ目） | "));
    assert_eq!(
        attr(one(&second, r#"link[rel="canonical"]"#), "href"),
        format!("{BASE_URL}news/page/2/")
    );
    let alternates = alternates(&second);
    assert_eq!(alternates["en"], format!("{BASE_URL}en/news/page/2/"));
    assert_eq!(alternates["ja"], format!("{BASE_URL}news/page/2/"));
    let crumbs = link_texts(&second, "nav.breadcrumbs a");
    assert_eq!(crumbs[1..], ["お知らせ", "お知らせ（2ページ目）"]);
    assert!(
        select(&second, r#".main-menu a[aria-current="page"]"#).is_empty(),
        "the menu's news link is page 1, not this page"
    );
}

#[test]
fn a_later_page_without_a_translated_counterpart_has_no_alternate_for_it() {
    let site = many_announcements();
    // Three English announcements fewer: English has only two pages.
    for day in 21..=23 {
        fs::remove_file(site.content.join(format!("news/2026-01-{day:02}-n.en.md")))
            .expect("remove");
    }
    let mut options = site.options();
    options.now = yorisoi::dates::parse_moment(NOW).expect("now");
    let outcome = yorisoi::build(&options);
    assert!(outcome.written);
    let third = html(&site, "news/page/3/index.html");
    let alternates = alternates(&third);
    assert!(!alternates.contains_key("en"), "{alternates:?}");
    assert!(
        !alternates.contains_key("x-default") || alternates["x-default"].ends_with("/news/page/3/")
    );
    let switch = select(&third, ".language-switcher a")[0];
    assert_eq!(attr(switch, "href"), format!("{BASE_PATH}en/news/"));
}

#[test]
fn a_future_announcement_waits_for_its_date_in_japan_time() {
    let site = three_announcements();
    announce(
        &site,
        "2026-11-21-afternoon",
        "date = 2026-11-21T15:00",
        "午後のお知らせ",
        "Afternoon notice",
    );
    // 14:59 in Japan: not yet.
    build_at(&site, "2026-11-21T14:59", false);
    assert!(!site.output.join("news/2026-11-21-afternoon").exists());
    assert!(!item_titles(&feed(&site, "news/feed.xml")).contains(&"午後のお知らせ"));
    assert!(!read(&site, "news/index.html").contains("午後のお知らせ"));
    assert!(!read(&site, "index.html").contains("午後のお知らせ"));
    assert!(!read(&site, "sitemap.xml").contains("afternoon"));
    // 06:00 UTC is 15:00 in Japan: published.
    build_at(&site, "2026-11-21T06:00:00Z", false);
    assert!(
        site.output
            .join("news/2026-11-21-afternoon/index.html")
            .is_file()
    );
    assert_eq!(
        item_titles(&feed(&site, "en/news/feed.xml"))[0],
        "Afternoon notice"
    );
    assert!(read(&site, "index.html").contains("午後のお知らせ"));
}

#[test]
fn an_expired_announcement_leaves_the_home_page_and_feed_but_its_page_stays() {
    let site = three_announcements();
    announce(
        &site,
        "2026-11-01-course",
        "date = 2026-11-01\nexpires = 2026-11-20",
        "研修会の参加者募集",
        "Training course: applications open",
    );
    // On its last day it is still current.
    build_at(&site, "2026-11-20T23:59", false);
    assert!(item_titles(&feed(&site, "news/feed.xml")).contains(&"研修会の参加者募集"));
    assert!(read(&site, "index.html").contains("研修会の参加者募集"));

    build_at(&site, NOW, false);
    assert!(!item_titles(&feed(&site, "news/feed.xml")).contains(&"研修会の参加者募集"));
    assert!(!read(&site, "index.html").contains("研修会の参加者募集"));
    let page = html(&site, "news/2026-11-01-course/index.html");
    let notice = text(one(&page, ".ended-notice"));
    assert!(notice.contains("掲載は終了しました"), "{notice}");
    assert!(notice.contains("2026年（令和8年）11月20日"), "{notice}");
    let en = html(&site, "en/news/2026-11-01-course/index.html");
    assert!(text(one(&en, ".ended-notice")).contains("has ended"));
    let list = html(&site, "news/index.html");
    let entry = select(&list, ".news-list li")
        .into_iter()
        .find(|li| text(*li).contains("研修会の参加者募集"))
        .expect("still in the news list");
    assert_eq!(text(select_in(entry, ".tag")[0]), "掲載終了");
    assert!(read(&site, "sitemap.xml").contains("2026-11-01-course"));
}

#[test]
fn drafts_are_never_built_but_serve_shows_them_labelled() {
    let site = three_announcements();
    announce(
        &site,
        "2026-11-10-draft",
        "date = 2026-11-10\ndraft = true",
        "下書きのお知らせ",
        "Draft notice",
    );
    build_at(&site, NOW, false);
    assert!(!site.output.join("news/2026-11-10-draft").exists());
    assert!(!read(&site, "news/index.html").contains("下書きのお知らせ"));
    assert!(!read(&site, "news/feed.xml").contains("下書き"));

    build_at(&site, NOW, true);
    let page = html(&site, "news/2026-11-10-draft/index.html");
    assert_eq!(
        text(one(&page, ".draft-label")),
        "下書き（公開されていません）"
    );
    let list = html(&site, "news/index.html");
    let entry = select(&list, ".news-list li")
        .into_iter()
        .find(|li| text(*li).contains("下書きのお知らせ"))
        .expect("listed for checking");
    assert!(text(entry).contains("下書き（公開されていません）"));
    assert!(
        !item_titles(&feed(&site, "news/feed.xml")).contains(&"下書きのお知らせ"),
        "a feed never carries a draft"
    );
}

#[test]
fn serve_shows_scheduled_announcements_labelled_and_keeps_them_out_of_the_feed() {
    let site = three_announcements();
    announce(
        &site,
        "2026-12-24-holiday",
        "date = 2026-12-24",
        "年末年始の休館",
        "Closed over the new year",
    );
    build_at(&site, NOW, true);
    let page = html(&site, "en/news/2026-12-24-holiday/index.html");
    assert!(text(one(&page, ".draft-label")).starts_with("Scheduled announcement"));
    assert!(!item_titles(&feed(&site, "en/news/feed.xml")).contains(&"Closed over the new year"));
}

#[test]
fn an_announcement_without_a_date_is_an_error_showing_the_form() {
    let site = site_with_news();
    site.write(
        "news/2026-04-08-meeting.ja.md",
        "+++\ntitle = \"家族会\"\n+++\n\n本文\n",
    );
    site.write(
        "news/2026-04-08-meeting.en.md",
        "+++\ntitle = \"Family meeting\"\ndate = 2026-04-08\n+++\n\nText\n",
    );
    let outcome = site.build();
    let d = only_error(&outcome);
    assert!(matches!(d.problem, Problem::MissingDate));
    let message = site.message(d, MessageLanguage::Japanese);
    assert!(
        message.contains("news/2026-04-08-meeting.ja.md:2:1: エラー: お知らせに date"),
        "{message}"
    );
    assert!(message.contains("date = 2026-04-08"), "{message}");
    assert!(!outcome.written);
}

#[test]
fn malformed_dates_are_errors_at_their_line_showing_the_form() {
    for (written, shown) in [
        ("\"2026/4/8\"", "2026/4/8"),
        ("\"2026-02-30\"", "2026-02-30"),
    ] {
        let site = site_with_news();
        announce(
            &site,
            "2026-04-08-meeting",
            "date = 2026-04-08",
            "家族会",
            "Family meeting",
        );
        site.write(
            "news/2026-04-08-meeting.ja.md",
            format!("+++\ntitle = \"家族会\"\n\ndate = {written}\n+++\n\n本文\n"),
        );
        let outcome = site.build();
        let d = only_error(&outcome);
        let message = site.message(d, MessageLanguage::Japanese);
        assert!(
            message.contains(&format!(
                "news/2026-04-08-meeting.ja.md:4:8: エラー: date の「{shown}」は日付として読めません"
            )),
            "{message}"
        );
        // The form, or the date itself when the text names one.
        assert!(
            message.contains("2026-04-08 の形") || message.contains("2026-04-08 と書いて"),
            "{message}"
        );
        let english = site.message(d, MessageLanguage::English);
        assert!(english.contains("as 2026-04-08"), "{english}");
    }
}

#[test]
fn translations_with_different_dates_are_reported() {
    let site = three_announcements();
    site.write(
        "news/2026-04-08-family-meeting.en.md",
        "+++\ntitle = \"Family meeting in April\"\ndate = 2026-04-09\n+++\n\nText.\n",
    );
    let outcome = site.check();
    let found = find(&outcome, |p| {
        matches!(p, Problem::TranslationDateDiffers { .. })
    });
    assert_eq!(found.len(), 1, "{:#?}", outcome.diagnostics);
    let message = site.message(found[0], MessageLanguage::Japanese);
    assert!(
        message.contains("news/2026-04-08-family-meeting.en.md:3:1: 警告:"),
        "{message}"
    );
    assert!(message.contains("2026-04-09") && message.contains("2026-04-08"));
}

#[test]
fn a_translation_held_back_by_its_date_is_still_reported() {
    let site = three_announcements();
    site.write(
        "news/2026-04-08-family-meeting.en.md",
        "+++\ntitle = \"Family meeting in April\"\ndate = 2027-04-08\n+++\n\nText.\n",
    );
    let outcome = site.check();
    let found = find(&outcome, |p| {
        matches!(p, Problem::TranslationDateDiffers { .. })
    });
    assert_eq!(found.len(), 1);
    // One mistake, one message: the translation exists, so it is not "missing", and
    // neither date is absent, so there is no note about "-".
    assert!(
        find(&outcome, |p| matches!(p, Problem::MissingTranslation { expected, .. } if expected.ends_with("2026-04-08-family-meeting.en.md"))).is_empty(),
        "{:#?}",
        outcome.diagnostics
    );
    let message = site.message(found[0], MessageLanguage::Japanese);
    assert!(!message.contains("指定なし"), "{message}");
    let message = site.message(found[0], MessageLanguage::English);
    assert!(!message.contains("not given"), "{message}");
}

/// A translation still being written is named as a draft, not as missing.
#[test]
fn a_translation_that_is_a_draft_is_named_as_one() {
    let site = three_announcements();
    site.write(
        "news/2026-04-08-family-meeting.en.md",
        "+++\ntitle = \"Family meeting in April\"\ndate = 2026-04-08\ndraft = true\n+++\n\nText.\n",
    );
    let outcome = site.check();
    assert!(
        find(&outcome, |p| matches!(p, Problem::MissingTranslation { expected, .. } if expected.ends_with("2026-04-08-family-meeting.en.md"))).is_empty(),
        "{:#?}",
        outcome.diagnostics
    );
    let drafts = find(
        &outcome,
        |p| matches!(p, Problem::TranslationIsDraft { lang, .. } if lang == "en"),
    );
    assert_eq!(drafts.len(), 1, "{:#?}", outcome.diagnostics);
    let message = site.message(drafts[0], MessageLanguage::English);
    assert!(
        message.contains("is still a draft — Delete the line draft = true in"),
        "{message}"
    );
}

#[test]
fn an_end_before_the_start_is_an_error() {
    let site = site_with_news();
    announce(
        &site,
        "2026-04-08-meeting",
        "date = 2026-04-08\nexpires = 2025-04-30",
        "家族会",
        "Family meeting",
    );
    let outcome = site.build();
    let found = find(&outcome, |p| matches!(p, Problem::ExpiresBeforeDate { .. }));
    assert_eq!(
        found.len(),
        2,
        "one per language: {:#?}",
        outcome.diagnostics
    );
    let message = site.message(found[1], MessageLanguage::Japanese);
    assert!(message.contains(":4:1: エラー: expires"), "{message}");
}

#[test]
fn translations_that_end_on_different_days_are_reported() {
    let site = three_announcements();
    site.write(
        "news/2026-04-08-family-meeting.ja.md",
        "+++\ntitle = \"4月の家族会\"\ndate = 2026-04-08\nexpires = 2026-04-30\n+++\n\n本文\n",
    );
    let outcome = site.check();
    let found = find(
        &outcome,
        |p| matches!(p, Problem::TranslationDateDiffers { key, .. } if key == "expires"),
    );
    assert_eq!(found.len(), 1, "{:#?}", outcome.diagnostics);
    let message = site.message(found[0], MessageLanguage::English);
    assert!(
        message.contains("has expires -, but its ja version has 2026-04-30"),
        "{message}"
    );
}
