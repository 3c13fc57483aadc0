//! やさしい日本語 (easy Japanese): a variant of Japanese configured as a language of its
//! own, with pages under its own path, `lang="ja"`, and a lint of the easy-Japanese
//! rules at `file:line:column`.

mod common;

use common::*;
use yorisoi::diagnostics::{Problem, Severity};
use yorisoi::easy_japanese::EasyRule;
use yorisoi::report::MessageLanguage;

const EASY_LANGUAGE: &str = "\n[languages.ja-easy]\nname = \"やさしい日本語\"\ntitle = \"みやぎ {相談|そうだん}センター\"\ndescription = \"みやぎの {相談|そうだん}の ところです。\"\npath = \"easy\"\nvariant_of = \"ja\"\n";

/// The `basic` fixture with an easy-Japanese variant; `lint` is the
/// `[languages.ja-easy.easy_japanese]` table's body, or `None` for no lint.
fn easy_site(lint: Option<&str>) -> Workspace {
    let site = Workspace::copy_of("basic");
    let mut config = std::fs::read_to_string(site.content.join("site.toml")).unwrap();
    config.push_str(EASY_LANGUAGE);
    if let Some(table) = lint {
        config.push_str(&format!("[languages.ja-easy.easy_japanese]\n{table}"));
    }
    site.write("site.toml", config);
    site.write(
        "_index.ja-easy.md",
        "+++\ntitle = \"はじめの ページ\"\n+++\n\n{相談|そうだん}の ページです。\n",
    );
    site
}

/// The id of the fixture's first source, for data that must name one.
fn first_source_id(site: &Workspace) -> String {
    std::fs::read_to_string(site.content.join("sources.toml"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("id = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("the fixture has a source")
        .to_owned()
}

/// The easy-Japanese findings of a build, as (rule, line, column), in file order.
fn findings(outcome: &yorisoi::Outcome, file: &str) -> Vec<(EasyRule, usize, usize)> {
    let mut found: Vec<(EasyRule, usize, usize)> = outcome
        .diagnostics
        .iter()
        .filter_map(|d| match &d.problem {
            Problem::EasyJapanese { rule } => {
                let at = d.location.as_ref().expect("a finding has a place");
                assert_eq!(d.severity, Severity::Warning, "{d:?}");
                at.file
                    .ends_with(file)
                    .then(|| (rule.clone(), at.line, at.column))
            }
            _ => None,
        })
        .collect();
    found.sort_by_key(|(_, line, column)| (*line, *column));
    found
}

/// The easy-Japanese findings of a build, whatever their file.
fn easy_diagnostics(outcome: &yorisoi::Outcome) -> Vec<&yorisoi::diagnostics::Diagnostic> {
    outcome
        .diagnostics
        .iter()
        .filter(|d| matches!(d.problem, Problem::EasyJapanese { .. }))
        .collect()
}

/// One failing example per rule, each on its own line: what it is and where it starts.
const BREAKING: &[(&str, usize)] = &[
    // (line of text, column of the first character that breaks the rule: for text
    // with a reading, its first kanji)
    (
        "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん あいうえおです。",
        1,
    ),
    ("{精神保健福祉|せいしんほけんふくし}センターです。", 2),
    ("サポートブックリーフレットです。", 1),
    ("{行|い}けないわけではないです。", 7),
    ("ご{覧|らん}ください。", 1),
    ("{令和|れいわ}7{年|ねん}です。", 2),
    ("{月曜日|げつようび}～{金曜日|きんようび}です。", 12),
    ("9{時|じ}に きてください。", 1),
    ("{電話|でんわ}と 番号です。", 11),
];

#[test]
fn each_rule_warns_where_the_text_breaks_it_and_says_why_in_both_languages() {
    let site = easy_site(Some("max_sentence = 50\n"));
    let front = "+++\ntitle = \"{相談|そうだん}\"\n+++\n\n";
    let body: String = BREAKING
        .iter()
        .map(|(line, _)| format!("{line}\n\n"))
        .collect();
    site.write("about.ja-easy.md", format!("{front}{body}"));
    let outcome = site.build();
    assert!(
        outcome.written && !outcome.has_errors(),
        "{:#?}",
        outcome.diagnostics
    );
    let found = findings(&outcome, "about.ja-easy.md");
    let placed: Vec<(usize, usize)> = found.iter().map(|(_, l, c)| (*l, *c)).collect();
    let expected: Vec<(usize, usize)> = BREAKING
        .iter()
        .enumerate()
        .map(|(i, (_, column))| (5 + 2 * i, *column))
        .collect();
    assert_eq!(placed, expected, "{found:#?}");
    let rules: Vec<&EasyRule> = found.iter().map(|(rule, _, _)| rule).collect();
    assert!(matches!(rules[0], EasyRule::LongSentence { max: 50, .. }));
    assert!(matches!(rules[1], EasyRule::KanjiRun { run } if run == "精神保健福祉"));
    assert!(matches!(rules[2], EasyRule::KatakanaRun { .. }));
    assert!(matches!(rules[3], EasyRule::DoubleNegative { .. }));
    assert!(matches!(rules[4], EasyRule::Honorific { .. }));
    assert!(matches!(rules[5], EasyRule::EraYear { found } if found == "令和7年"));
    assert_eq!(*rules[6], EasyRule::TildeRange);
    assert!(matches!(rules[7], EasyRule::TimeWithoutHalf { .. }));
    assert!(matches!(rules[8], EasyRule::KanjiWithoutReading { kanji } if kanji == "番号"));

    // Each message says what and why, in the editor's language.
    for d in easy_diagnostics(&outcome) {
        let ja = site.message(d, MessageLanguage::Japanese);
        let en = site.message(d, MessageLanguage::English);
        assert!(ja.contains("やさしい日本語: "), "{ja}");
        assert!(ja.contains("about.ja-easy.md:"), "{ja}");
        assert!(en.contains("easy Japanese: "), "{en}");
    }
}

#[test]
fn mixed_endings_warn_once_for_the_page() {
    let site = easy_site(Some(""));
    site.write(
        "about.ja-easy.md",
        "+++\ntitle = \"センター\"\n+++\n\nここは センターです。\n\nあそこは えきだ。\n",
    );
    let outcome = site.build();
    assert_eq!(
        findings(&outcome, "about.ja-easy.md"),
        [(EasyRule::MixedEndings, 7, 1)]
    );
}

#[test]
fn titles_and_descriptions_are_held_to_the_rules_too() {
    let site = easy_site(Some(""));
    site.write(
        "about.ja-easy.md",
        "+++\ntitle = \"相談\"\ndescription = \"9{時|じ}からです。\"\n+++\n\nここは センターです。\n",
    );
    let outcome = site.build();
    let found = findings(&outcome, "about.ja-easy.md");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        matches!(&found[0], (EasyRule::KanjiWithoutReading { kanji }, 2, _) if kanji == "相談")
    );
    assert!(matches!(
        &found[1],
        (EasyRule::TimeWithoutHalf { .. }, 3, _)
    ));
}

/// A data file's text in やさしい日本語 is shown on the easy pages, so it is held to the
/// same rules, at the data file's line; its standard Japanese is not.
#[test]
fn texts_in_data_files_shown_on_easy_pages_are_held_to_the_rules_too() {
    let site = easy_site(Some(""));
    let id = first_source_id(&site);
    site.write(
        "helplines.toml",
        format!(
            "[[helpline]]\nname.ja = \"精神保健福祉相談電話\"\nname.en = \"A line\"\n\
             name.ja-easy = \"{{精神|せいしん}}{{保健|ほけん}}{{福祉|ふくし}}の {{電話|でんわ}}\"\n\
             phone = \"0229-23-0024\"\n\
             hours.ja = \"24時間\"\nhours.en = \"24 hours\"\n\
             hours.ja-easy = \"24{{時間|じかん}} {{電話|でんわ}}できます\"\n\
             source = \"{id}\"\n"
        ),
    );
    let outcome = site.build();
    let found = findings(&outcome, "helplines.toml");
    assert_eq!(found.len(), 1, "{found:#?}");
    // At the line of the easy words, `name.ja-easy`, not of `name.ja` above it.
    assert!(
        matches!(&found[0], (EasyRule::KanjiRun { run }, 4, _) if run == "精神保健福祉"),
        "{found:#?}"
    );
    // In an inline table, at its line too.
    site.write(
        "helplines.toml",
        format!(
            "[[helpline]]\nname = {{ ja = \"相談電話\", en = \"A line\", ja-easy = \"{{相談|そうだん}}の {{電話|でんわ}}\" }}\n\
             phone = \"0229-23-0024\"\n\
             hours = {{ ja = \"9時から\", en = \"from 9:00\",\n  ja-easy = \"9{{時|じ}}から\" }}\n\
             source = \"{id}\"\n"
        ),
    );
    let found = findings(&site.build(), "helplines.toml");
    assert!(
        matches!(found.as_slice(), [(EasyRule::TimeWithoutHalf { .. }, 5, 3)]),
        "{found:#?}"
    );
}

/// The theme's interface texts in やさしい日本語 are on every easy page: held to the same
/// rules, each at its key's line of the theme's file.
#[test]
fn interface_texts_shown_on_easy_pages_are_held_to_the_rules_too() {
    let site = easy_site(Some(""));
    let theme = site.dir.path().join("theme");
    copy_dir(&theme_dir(), &theme);
    let strings = theme.join("i18n/ja-easy.toml");
    let text = std::fs::read_to_string(&strings).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("skip_to_content"))
        .expect("the theme has the skip link's text")
        + 1;
    let changed: String = text
        .lines()
        .map(|l| {
            if l.starts_with("skip_to_content") {
                "skip_to_content = \"本文へ\"".to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&strings, changed).unwrap();
    let mut options = site.options();
    options.theme_dir = Some(theme);
    let outcome = yorisoi::build(&options);
    let found = findings(&outcome, "ja-easy.toml");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        matches!(&found[0], (EasyRule::KanjiWithoutReading { kanji }, l, 1) if kanji == "本文" && *l == line),
        "{found:#?}"
    );
}

/// `check` holds an easy page's numbers to its standard page's: an age whose bound
/// changed (18歳より上 leaves out the 18-year-olds of 18歳以上) and a count the standard
/// page does not give are found; the same facts in easy words (午後5時 for 17時, 18歳から
/// 上 for 18歳以上) pass.
#[test]
fn an_easy_page_keeps_every_number_of_its_standard_page() {
    let site = easy_site(Some(""));
    site.write(
        "about.ja.md",
        "+++\ntitle = \"センターについて\"\n+++\n\nおおむね18歳以上の方が対象です。受付は9時～17時です。\n",
    );
    let easy = |body: &str| format!("+++\ntitle = \"センター\"\n+++\n\n{body}\n");
    site.write(
        "about.ja-easy.md",
        easy(
            "だいたい 18{歳|さい}より {上|うえ}の {人|ひと}です。\n\n{電話|でんわ}は 2つ あります。\n\n\
             {午前|ごぜん}9{時|じ}から {午後|ごご}5{時|じ}までです。",
        ),
    );
    let numbers = |outcome: &yorisoi::Outcome| -> Vec<(String, usize)> {
        outcome
            .diagnostics
            .iter()
            .filter_map(|d| match &d.problem {
                Problem::EasyNumberNotInStandard { number, standard } => {
                    assert_eq!(standard, "about.ja.md");
                    assert_eq!(d.severity, Severity::Warning);
                    let at = d.location.as_ref().expect("placed");
                    assert!(at.file.ends_with("about.ja-easy.md"), "{at:?}");
                    Some((number.clone(), at.line))
                }
                _ => None,
            })
            .collect()
    };
    let outcome = site.check();
    assert_eq!(
        numbers(&outcome),
        [("18歳より上".to_owned(), 5), ("2つ".to_owned(), 7)],
        "{:#?}",
        outcome.diagnostics
    );
    let message = site.message(
        outcome
            .diagnostics
            .iter()
            .find(|d| matches!(d.problem, Problem::EasyNumberNotInStandard { .. }))
            .unwrap(),
        MessageLanguage::Japanese,
    );
    assert!(
        message.contains("もとのページ（about.ja.md）にない数"),
        "{message}"
    );
    site.write(
        "about.ja-easy.md",
        easy(
            "だいたい 18{歳|さい}から {上|うえ}の {人|ひと}です。\n\n\
             {午前|ごぜん}9{時|じ}から {午後|ごご}5{時|じ}までです。",
        ),
    );
    assert_eq!(numbers(&site.check()), []);
}

/// A source's title may have its own easy-Japanese wording, with furigana, for the
/// easy pages; the other pages keep the title as the source gives it.
#[test]
fn a_source_title_has_its_easy_wording_on_easy_pages() {
    let site = easy_site(Some(""));
    let sources = std::fs::read_to_string(site.content.join("sources.toml")).unwrap();
    let id = first_source_id(&site);
    site.write(
        "sources.toml",
        sources.replacen(
            &format!("id = \"{id}\"\n"),
            &format!("id = \"{id}\"\ntitle.ja-easy = \"センターの {{資料|しりょう}}\"\n"),
            1,
        ),
    );
    site.write(
        "_index.ja-easy.md",
        format!("+++\ntitle = \"はじめの ページ\"\nsources = [\"{id}\"]\n+++\n\n{{相談|そうだん}}の ページです。\n"),
    );
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let easy = scraper::Html::parse_document(
        &std::fs::read_to_string(site.output.join("easy/index.html")).unwrap(),
    );
    let title = one(&easy, ".page-sources .source span:not(.source-label)");
    assert_eq!(text(title), "センターの 資料（しりょう）");
    assert!(!select_in(title, "ruby").is_empty());
}

#[test]
fn text_that_follows_the_rules_passes_and_standard_japanese_is_not_held_to_them() {
    let site = easy_site(Some(""));
    let clean = "+++\ntitle = \"{相談|そうだん}の しかた\"\ndescription = \"{電話|でんわ}で {相談|そうだん}できます。\"\n+++\n\n{月曜日|げつようび}から {金曜日|きんようび}まで、{午前|ごぜん}9{時|じ}から {午後|ごご}5{時|じ}までです。\n\n2014{年|ねん}に できました。ご{家族|かぞく}も {相談|そうだん}できます。\n\n`コード の 漢字` は {読|よ}みません。\n";
    site.write("about.ja-easy.md", clean);
    // Standard Japanese may use every form the easy pages avoid.
    let body: String = BREAKING
        .iter()
        .map(|(line, _)| format!("{line}\n\n"))
        .collect();
    site.write(
        "about.ja.md",
        format!("+++\ntitle = \"センターについて\"\n+++\n\n{body}"),
    );
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let easy = easy_diagnostics(&outcome);
    assert!(easy.is_empty(), "{easy:#?}");
}

#[test]
fn the_sentence_limit_comes_from_the_site_and_the_lint_only_from_its_table() {
    let sentence = format!("{}です。", "あ".repeat(28)); // 31 characters
    let page = format!("+++\ntitle = \"センター\"\n+++\n\n{sentence}\n");

    let strict = easy_site(Some("max_sentence = 20\n"));
    strict.write("about.ja-easy.md", &page);
    assert_eq!(
        findings(&strict.build(), "about.ja-easy.md"),
        [(
            EasyRule::LongSentence {
                length: 31,
                max: 20
            },
            5,
            1
        )]
    );

    let default = easy_site(Some(""));
    default.write("about.ja-easy.md", &page);
    assert_eq!(findings(&default.build(), "about.ja-easy.md"), []);

    // Without the table, a variant is not linted at all.
    let unlinted = easy_site(None);
    unlinted.write(
        "about.ja-easy.md",
        "+++\ntitle = \"相談\"\n+++\n\n電話は9時からです。\n",
    );
    assert_eq!(findings(&unlinted.build(), "about.ja-easy.md"), []);
}

#[test]
fn a_variant_is_the_same_language_under_its_own_path_and_never_a_translation() {
    let site = easy_site(Some(""));
    site.write(
        "about.ja-easy.md",
        "+++\ntitle = \"センターの こと\"\nmenu = true\n+++\n\nセンターの ページです。\n",
    );
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let read = |rel: &str| {
        scraper::Html::parse_document(
            &std::fs::read_to_string(site.output.join(rel))
                .unwrap_or_else(|e| panic!("{rel}: {e}")),
        )
    };
    let easy = read("easy/about/index.html");
    assert_eq!(attr(one(&easy, "html"), "lang"), "ja");
    assert!(select(&easy, "link[rel=alternate][hreflang]").is_empty());
    let standard = read("about/index.html");
    let claimed = alternates(&standard);
    assert!(
        claimed.values().all(|href| !href.contains("/easy/")),
        "{claimed:?}"
    );
    assert_eq!(claimed.len(), 3, "ja, en and x-default: {claimed:?}");
    // The switcher names the variant and leads to its page, in Japanese.
    let link = select(&standard, ".language-switcher a")
        .into_iter()
        .find(|a| text(*a) == "やさしい日本語")
        .expect("the switcher names the variant");
    assert_eq!(attr(link, "href"), "/support/easy/about/");
    assert_eq!(attr(link, "lang"), "ja");
    // A page with no easy version leads to the easy home page, and says so.
    let access = read("access/index.html");
    let link = select(&access, ".language-switcher a")
        .into_iter()
        .find(|a| text(*a) == "やさしい日本語")
        .expect("the switcher names the variant");
    assert_eq!(attr(link, "href"), "/support/easy/");
    assert!(link.attr("aria-describedby").is_some());
    // The sitemap lists the variant's pages with no alternates of their own.
    let sitemap = std::fs::read_to_string(site.output.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.jp/support/easy/about/</loc>"));
    assert!(!sitemap.contains("hreflang=\"ja-easy\""), "{sitemap}");
    assert!(!sitemap.contains("href=\"https://example.jp/support/easy/"));
    // Only the one notice that the variant covers part of the site.
    let partial: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| matches!(d.problem, Problem::PartialVariant { .. }))
        .collect();
    assert_eq!(partial.len(), 1, "{:#?}", outcome.diagnostics);
    assert_eq!(partial[0].severity, Severity::Notice);
    assert!(
        !outcome.diagnostics.iter().any(
            |d| matches!(&d.problem, Problem::MissingTranslation { lang, .. } if lang == "ja-easy")
        ),
        "{:#?}",
        outcome.diagnostics
    );
}

/// The bundled site's easy pages, as a reader and a feed reader meet them.
#[test]
fn the_bundled_easy_pages_stand_on_their_own() {
    let site = Built::bundled();
    let easy: Vec<(String, scraper::Html)> = site
        .pages()
        .into_iter()
        .filter(|(rel, _)| rel.starts_with("easy/"))
        .collect();
    let names: Vec<&str> = easy.iter().map(|(rel, _)| rel.as_str()).collect();
    for wanted in [
        "easy/index.html",
        "easy/services/index.html",
        "easy/access/index.html",
        "easy/contact/index.html",
        "easy/help-now/index.html",
        "easy/news/index.html",
    ] {
        assert!(names.contains(&wanted), "{wanted} in {names:?}");
    }
    for (rel, doc) in &easy {
        assert_eq!(attr(one(doc, "html"), "lang"), "ja", "{rel}");
        assert!(
            select(doc, "link[rel=alternate][hreflang]").is_empty(),
            "{rel}: a variant claims no translation"
        );
        // Its own menu, help-now and home: every link of the header stays in the variant,
        // but for the switcher's links to the other languages.
        for a in select(doc, ".site-menu a, .help-line-now a, .site-name a") {
            assert!(attr(a, "href").starts_with("/easy/"), "{rel}: {}", a.html());
        }
        assert_eq!(
            attr(one(doc, ".help-line-now a"), "href"),
            "/easy/help-now/",
            "{rel}"
        );
        // Dates in Western years only.
        for time in select(doc, "time") {
            let shown = text(time);
            assert!(
                !["令和", "平成", "昭和"]
                    .iter()
                    .any(|era| shown.contains(era)),
                "{rel}: {shown}"
            );
        }
    }
    // Help-now in easy words: the data files' easy texts, with furigana, and a line's
    // name with furigana is not shown a second time as its "official" name.
    let help = site.html("easy/help-now/index.html");
    for h3 in select(&help, "main h3") {
        assert!(select_in(h3, "span[lang]").is_empty(), "{}", h3.html());
        assert!(!select_in(h3, "ruby").is_empty(), "{}", h3.html());
    }
    assert!(!select(&help, ".emergency ruby").is_empty());
    // Dates with furigana: 2026年11月21日 read ねん, がつ, にち.
    let published = select(&help, ".page-dates time")[0];
    let readings: Vec<String> = select_in(published, "rt").into_iter().map(text).collect();
    assert_eq!(readings, ["ねん", "がつ", "にち"]);
    // Standard pages: era years beside Western ones, and the variant in the switcher.
    let about = site.html("about/index.html");
    assert!(
        select(&about, "time")
            .iter()
            .any(|t| text(*t).contains("（令和")),
        "standard Japanese shows era years"
    );
    for (rel, doc) in site.pages() {
        let switcher = select(&doc, ".language-switcher li");
        assert!(
            switcher
                .iter()
                .any(|li| text(*li).starts_with("やさしい日本語")),
            "{rel}"
        );
        for href in alternates(&doc).values() {
            assert!(!href.contains("/easy/"), "{rel}: {href}");
        }
    }
    // Its own feed, in Japanese, of its own announcements.
    let feed = site.read("easy/news/feed.xml");
    assert!(feed.contains("<language>ja</language>"), "{feed}");
    assert!(feed.contains(
        "<link>https://hikikomori.example.jp/easy/news/2014-01-06-centre-opened/</link>"
    ));
    assert!(!site.read("news/feed.xml").contains("/easy/"));
    assert!(easy.iter().any(|(rel, doc)| {
        rel == "easy/index.html"
            && select(doc, "link[rel=alternate][type=\"application/rss+xml\"]")
                .iter()
                .any(|l| attr(*l, "href") == "/easy/news/feed.xml")
    }));
}

#[test]
fn the_bundled_easy_pages_lint_clean() {
    let outcome = yorisoi::check(&bundled_options(
        &tempfile::tempdir().unwrap().path().join("public"),
    ));
    assert!(outcome.pages > 0);
    let easy = easy_diagnostics(&outcome);
    assert!(easy.is_empty(), "{easy:#?}");
}

/// No furigana reaches a reader as notation: every `{漢字|かんじ}` became markup or
/// plain text, in pages, feeds and the sitemap alike.
#[test]
fn no_furigana_notation_is_left_in_the_bundled_output() {
    let site = Built::bundled();
    let mut checked = 0;
    for rel in list_files(&site.output) {
        if !(rel.ends_with(".html") || rel.ends_with(".xml")) {
            continue;
        }
        let text = site.read(&rel);
        let pieces = yorisoi::ruby::pieces(&text, &[]).unwrap_or_else(|e| panic!("{rel}: {e:?}"));
        let left: Vec<_> = pieces
            .iter()
            .filter(|p| matches!(p, yorisoi::ruby::Piece::Ruby { .. }))
            .collect();
        assert!(left.is_empty(), "{rel}: {left:?}");
        checked += 1;
    }
    assert!(checked > 40, "{checked} files");
}

/// An easy version is written for the pages that need one, by choice: `new` starts
/// drafts in the site's languages, not in the variant.
#[test]
fn new_pages_start_in_the_languages_not_the_variant() {
    let site = easy_site(Some(""));
    let run = yorisoi_command()
        .args([
            "new",
            "page",
            "services/family-class",
            "--content",
            "content",
            "--theme",
        ])
        .arg(theme_dir())
        .current_dir(site.dir.path())
        .output()
        .expect("run yorisoi new page");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "content/services/family-class.ja.md\ncontent/services/family-class.en.md\n"
    );
    assert!(
        !site
            .content
            .join("services/family-class.ja-easy.md")
            .exists()
    );
}
