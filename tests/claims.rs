//! A page says only what its sources say: no use for a phone number that the data does
//! not give, no blanket statement of when lines can be called, and no publication date
//! earlier than its sources. Which line can be called when is generated from the data,
//! in every language; an announcement's own date and the date of what it tells of are
//! two fields, shown as such.

mod common;

use std::fs;

use common::*;
use yorisoi::diagnostics::{Diagnostic, Problem, Severity};

/// A page in both languages with the given text, at `key`.
fn page(site: &Workspace, key: &str, ja: &str, en: &str) {
    for (lang, title, text) in [("ja", "ページ", ja), ("en", "A page", en)] {
        site.write(
            &format!("{key}.{lang}.md"),
            format!("+++\ntitle = \"{title}\"\n+++\n\n{text}\n"),
        );
    }
}

fn located(d: &Diagnostic) -> (String, usize, usize) {
    let at = d.location.as_ref().expect("located");
    (at.file.display().to_string(), at.line, at.column)
}

/// The sentences the site once had: a use no source gives to a number (「ご相談以外の
/// お問い合わせ」 on a line named 「お問い合わせ電話」, which no data names), and a promise
/// of lines at other times that the data does not back.
#[test]
fn a_use_for_a_number_and_a_blanket_promise_of_hours_are_found_at_their_words() {
    let site = Workspace::copy_of("basic");
    page(
        &site,
        "contact",
        "ご相談以外のお問い合わせは「お問い合わせ電話」におかけください。",
        "For anything other than a consultation, please call the enquiries number.",
    );
    page(
        &site,
        "help-now",
        "それ以外の時間にも、上の相談先があります。",
        "There are lines to call at any time.",
    );
    let checked = site.check();
    let roles = find(&checked, |p| matches!(p, Problem::PhoneRoleInText { .. }));
    let mut found: Vec<_> = roles
        .iter()
        .map(|d| match &d.problem {
            Problem::PhoneRoleInText { words } => (located(d), words.clone()),
            _ => unreachable!(),
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (
                ("contact.en.md".to_owned(), 5, 14),
                vec!["other than".to_owned()]
            ),
            (
                ("contact.ja.md".to_owned(), 5, 4),
                vec!["以外の".to_owned(), "お問い合わせ電話".to_owned()]
            ),
        ],
        "one finding per sentence, at its first words: {roles:#?}"
    );
    let hours = find(&checked, |p| {
        matches!(p, Problem::AvailabilityInText { .. })
    });
    let mut found: Vec<_> = hours
        .iter()
        .map(|d| match &d.problem {
            Problem::AvailabilityInText { words } => (located(d), words.clone()),
            _ => unreachable!(),
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (("help-now.en.md".to_owned(), 5, 28), "any time".to_owned()),
            (
                ("help-now.ja.md".to_owned(), 5, 1),
                "それ以外の時間".to_owned()
            ),
        ]
    );
    assert!(
        roles
            .iter()
            .chain(&hours)
            .all(|d| d.severity == Severity::Warning)
    );
    // `check` reports them; a build, which publishes, does not stop for them.
    let built = site.build();
    assert!(find(&built, |p| matches!(p, Problem::PhoneRoleInText { .. })).is_empty());

    // The same pages naming the line as the data names it, with no use of their own and
    // no hours, are accepted.
    page(
        &site,
        "contact",
        "「相談電話」の番号と受付時間は、下のとおりです。",
        "The consultation line's number and hours are below.",
    );
    page(
        &site,
        "help-now",
        "つらいときは、上の相談先に電話をしてみてください。",
        "If you need someone to listen, try one of the lines above.",
    );
    let checked = site.check();
    assert!(
        find(&checked, |p| matches!(
            p,
            Problem::PhoneRoleInText { .. } | Problem::AvailabilityInText { .. }
        ))
        .is_empty(),
        "{:#?}",
        checked.diagnostics
    );
}

/// The words of a message say what was found and where the words belong.
#[test]
fn the_messages_name_the_words_and_where_uses_and_hours_belong() {
    let site = Workspace::copy_of("basic");
    page(
        &site,
        "contact",
        "この番号は相談専用です。",
        "This number is only for consultations.",
    );
    let checked = site.check();
    let roles = find(&checked, |p| matches!(p, Problem::PhoneRoleInText { .. }));
    let ja = roles
        .iter()
        .find(|d| located(d).0 == "contact.ja.md")
        .expect("found in Japanese");
    let ja = site.message(ja, yorisoi::report::MessageLanguage::Japanese);
    assert!(ja.contains("本文の「専用」は、電話番号の用途"), "{ja}");
    assert!(ja.contains("phone_label"), "{ja}");
    let en = roles
        .iter()
        .find(|d| located(d).0 == "contact.en.md")
        .expect("found in English");
    let en = site.message(en, yorisoi::report::MessageLanguage::English);
    assert!(
        en.contains("the text gives a phone number a use or a limit: \"only for\""),
        "{en}"
    );

    // In the description, at the description's line and words.
    site.write(
        "about.ja.md",
        "+++\ntitle = \"概要\"\ndescription = \"相談はいつでもどうぞ。\"\n+++\n\n概要です。\n",
    );
    let checked = site.check();
    let hours = find(
        &checked,
        |p| matches!(p, Problem::AvailabilityInText { words } if words == "いつでも"),
    );
    assert_eq!(hours.len(), 1, "{:#?}", checked.diagnostics);
    assert_eq!(located(hours[0]), ("about.ja.md".to_owned(), 3, 19));
}

/// `date` is when this site published an announcement; what it tells of happened on
/// `event_date`. A date before the page's sources cannot be a publication date.
#[test]
fn an_announcement_dated_before_its_sources_is_found_and_its_event_date_is_shown_as_such() {
    let site = Workspace::copy_of("basic");
    site.write("news/_index.ja.md", "+++\ntitle = \"お知らせ\"\n+++\n");
    site.write("news/_index.en.md", "+++\ntitle = \"News\"\n+++\n");
    let announce = |dates: &str| {
        for (lang, title) in [("ja", "分室を開設しました"), ("en", "A branch opened")] {
            site.write(
                &format!("news/branch.{lang}.md"),
                format!(
                    "+++\ntitle = \"{title}\"\n{dates}\nsources = [\"leaflet-2026\"]\n+++\n\n{title}\n"
                ),
            );
        }
    };
    announce("date = \"2015-08\"");
    let checked = site.check();
    let early = find(&checked, |p| {
        matches!(p, Problem::PublishedBeforeSource { .. })
    });
    assert_eq!(
        early.len(),
        2,
        "one per language: {:#?}",
        checked.diagnostics
    );
    assert_eq!(located(early[0]).1, 3, "at the date line");
    assert!(matches!(
        &early[0].problem,
        Problem::PublishedBeforeSource { date, id, source_date }
            if date == "2015-08" && id == "leaflet-2026" && source_date == "2026-04-01"
    ));

    announce("date = 2026-11-01\nevent_date = \"2015-08\"");
    let built = site.build();
    assert!(errors(&built).is_empty(), "{:#?}", built.diagnostics);
    let checked = site.check();
    assert!(
        find(&checked, |p| matches!(
            p,
            Problem::PublishedBeforeSource { .. }
        ))
        .is_empty()
    );
    let html = fs::read_to_string(site.output.join("news/branch/index.html")).expect("page");
    let doc = scraper::Html::parse_document(&html);
    let dates: Vec<(String, String)> = select(&doc, ".page-dates div")
        .into_iter()
        .map(|row| {
            let label = text(select_in(row, "dt")[0]);
            let time = attr(select_in(row, "time")[0], "datetime").to_owned();
            (label, time)
        })
        .collect();
    assert_eq!(
        dates,
        [
            ("掲載日".to_owned(), "2026-11-01".to_owned()),
            ("出来事の日".to_owned(), "2015-08".to_owned()),
        ]
    );
    // The feed tells when it was published, and never gives the month-only event a day.
    let feed = fs::read_to_string(site.output.join("news/feed.xml")).expect("feed");
    let channel = rss::Channel::read_from(feed.as_bytes()).expect("RSS");
    assert_eq!(
        channel.items()[0].pub_date(),
        Some("Sun, 01 Nov 2026 00:00:00 +0900")
    );
    assert!(!feed.contains("2015"), "{feed}");
}

/// Announcements published on one day are listed with what happened last first.
#[test]
fn announcements_of_one_day_are_ordered_by_what_they_tell_of() {
    let site = Workspace::copy_of("basic");
    site.write("news/_index.ja.md", "+++\ntitle = \"お知らせ\"\n+++\n");
    site.write("news/_index.en.md", "+++\ntitle = \"News\"\n+++\n");
    for (slug, event) in [
        ("a-older", "2014-01-06"),
        ("b-newer", "2025-01-31"),
        ("c-month", "\"2015-08\""),
    ] {
        for lang in ["ja", "en"] {
            site.write(
                &format!("news/{slug}.{lang}.md"),
                format!("+++\ntitle = \"{slug}\"\ndate = 2026-11-01\nevent_date = {event}\n+++\n\n{slug}\n"),
            );
        }
    }
    let built = site.build();
    assert!(errors(&built).is_empty(), "{:#?}", built.diagnostics);
    let feed = fs::read_to_string(site.output.join("en/news/feed.xml")).expect("feed");
    let channel = rss::Channel::read_from(feed.as_bytes()).expect("RSS");
    let titles: Vec<&str> = channel.items().iter().filter_map(|i| i.title()).collect();
    assert_eq!(titles, ["b-newer", "c-month", "a-older"]);
}

/// The lines of a help-now page, grouped by what their sources give of their hours:
/// all day, set times (with the hours), by area, as given, or not given, in each
/// language, with no sentence written by hand.
#[test]
fn which_line_can_be_called_when_is_generated_from_the_data_in_every_language() {
    let site = Workspace::copy_of("basic");
    site.write(
        "helplines.toml",
        "[[emergency]]\nnumber = \"119\"\nname.ja = \"119番\"\nname.en = \"119\"\n\
         when.ja = \"救急のとき\"\nwhen.en = \"For an ambulance\"\nopen = \"always\"\nsource = \"leaflet-2026\"\n\n\
         [[helpline]]\nname.ja = \"夜の電話\"\nname.en = \"Night line\"\nphone = \"022-111-2222\"\n\
         hours.ja = \"毎日24時間\"\nhours.en = \"Every day, 24 hours\"\nopen = \"always\"\nsource = \"leaflet-2026\"\n\n\
         [[helpline]]\nname.ja = \"月一の電話\"\nname.en = \"Monthly line\"\nphone = \"0120-111-222\"\n\
         hours.ja = \"毎月10日\"\nhours.en = \"On the 10th of each month\"\nopen = \"set-times\"\nsource = \"leaflet-2026\"\n\n\
         [[helpline]]\nname.ja = \"全国の電話\"\nname.en = \"National line\"\nphone = \"0570-111-222\"\n\
         hours.ja = \"地域で異なる\"\nhours.en = \"Differs by area\"\nopen = \"by-area\"\nsource = \"leaflet-2026\"\n\n\
         [[helpline]]\nname.ja = \"時間のない電話\"\nname.en = \"Line without hours\"\nphone = \"0570-333-444\"\nsource = \"leaflet-2026\"\n",
    );
    for (lang, title) in [("ja", "今すぐ話したいとき"), ("en", "Help now")] {
        site.write(
            &format!("help-now.{lang}.md"),
            format!("+++\ntitle = \"{title}\"\ntemplate = \"help-now.html\"\n+++\n\n{title}\n"),
        );
    }
    let built = site.build();
    assert!(errors(&built).is_empty(), "{:#?}", built.diagnostics);
    let groups = |file: &str| -> Vec<(String, Vec<String>)> {
        let html = fs::read_to_string(site.output.join(file)).expect("page");
        let doc = scraper::Html::parse_document(&html);
        select(&doc, ".open-times h3")
            .into_iter()
            .map(|h3| {
                let list = h3
                    .next_siblings()
                    .filter_map(scraper::ElementRef::wrap)
                    .next()
                    .expect("a list after each heading");
                let lines = select_in(list, "li").into_iter().map(text).collect();
                (text(h3), lines)
            })
            .collect()
    };
    // The fixture's consultation line gives hours, and no `open`: as given.
    assert_eq!(
        groups("help-now/index.html"),
        [
            ("毎日24時間".to_owned(), vec!["119番 119 （2026年（令和8年）4月1日掲載）".to_owned(), "夜の電話 022-111-2222 （2026年（令和8年）4月1日掲載）".to_owned()]),
            ("決まった日・時間だけ".to_owned(), vec!["月一の電話 0120-111-222 （毎月10日） （2026年（令和8年）4月1日掲載）".to_owned()]),
            ("受付時間は地域によって異なる".to_owned(), vec!["全国の電話 0570-111-222 （2026年（令和8年）4月1日掲載）".to_owned()]),
            ("受付時間は出典に書かれているとおり".to_owned(), vec!["相談電話 022-123-4567 （月曜日～金曜日 9時～17時） （2026年（令和8年）4月1日掲載）".to_owned()]),
            ("受付時間は出典で確認できていません".to_owned(), vec!["時間のない電話 0570-333-444 （2026年（令和8年）4月1日掲載）".to_owned()]),
        ]
    );
    let english = groups("en/help-now/index.html");
    let headings: Vec<&str> = english.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(
        headings,
        [
            "Every day, 24 hours",
            "Only on set days and at set times",
            "Hours differ by area",
            "Hours as our sources give them",
            "Hours not given in our sources",
        ]
    );
    assert!(english[1].1[0].starts_with("Monthly line 0120-111-222 (On the 10th of each month)"));
}

/// `open` takes one of its words, and says what kind the hours are: without hours, it
/// has nothing to say.
#[test]
fn open_takes_its_words_and_needs_hours() {
    let site = Workspace::copy_of("basic");
    site.write(
        "helplines.toml",
        "[[helpline]]\nname.ja = \"夜の電話\"\nname.en = \"Night line\"\nphone = \"022-111-2222\"\n\
         hours.ja = \"毎日\"\nhours.en = \"Every day\"\nopen = \"24h\"\nsource = \"leaflet-2026\"\n\n\
         [[helpline]]\nname.ja = \"朝の電話\"\nname.en = \"Morning line\"\nphone = \"022-111-3333\"\n\
         open = \"always\"\nsource = \"leaflet-2026\"\n",
    );
    let built = site.build();
    let found: Vec<(usize, &Problem)> = errors(&built)
        .into_iter()
        .map(|d| (located(d).1, &d.problem))
        .collect();
    assert!(
        matches!(
            found.as_slice(),
            [
                (7, Problem::NotOneOf { key, value, allowed }),
                (14, Problem::MissingKey { key: hours }),
            ] if key == "open" && value == "24h" && allowed.len() == 3 && hours == "hours"
        ),
        "{found:#?}"
    );
}

/// Each sentence is a mistake of its own: the same words twice on a page are found twice,
/// each at its line.
#[test]
fn the_same_words_in_two_sentences_are_two_findings() {
    let site = Workspace::copy_of("basic");
    page(
        &site,
        "contact",
        "相談以外の電話はこちらです。\n\nそれ以外の用件の電話番号はこちらです。",
        "Contact.",
    );
    let checked = site.check();
    let lines: Vec<usize> = find(&checked, |p| matches!(p, Problem::PhoneRoleInText { .. }))
        .iter()
        .map(|d| located(d).1)
        .collect();
    assert_eq!(lines, [5, 7], "{:#?}", checked.diagnostics);
}
