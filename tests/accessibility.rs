//! Accessibility by construction: what the Markdown pipeline adds for screen-reader,
//! keyboard and phone users, and the build-time rules that stop inaccessible text.

mod common;

use common::*;
use yorisoi::diagnostics::Problem;
use yorisoi::locale::Script;
use yorisoi::report::MessageLanguage;

/// The basic site with `about.<lang>.md` replaced by `body` under a plain front matter.
fn site_with_about(lang: &str, body: &str) -> Workspace {
    let site = Workspace::copy_of("basic");
    let title = if lang == "ja" {
        "センターについて"
    } else {
        "About the centre"
    };
    site.write(
        &format!("about.{lang}.md"),
        format!("+++\ntitle = \"{title}\"\n+++\n\n{body}"),
    );
    site
}

/// Builds and returns the `about` page of that language, parsed.
fn about_html(lang: &str, body: &str) -> scraper::Html {
    let site = site_with_about(lang, body);
    let outcome = site.build();
    assert!(!outcome.has_errors(), "{:#?}", outcome.diagnostics);
    let rel = if lang == "ja" {
        "about/index.html"
    } else {
        "en/about/index.html"
    };
    let text = std::fs::read_to_string(site.output.join(rel)).expect("about page");
    scraper::Html::parse_document(&text)
}

/// The one diagnostic matching `wanted` and its message in Japanese.
fn reported(site: &Workspace, wanted: impl Fn(&Problem) -> bool) -> (bool, String) {
    let outcome = site.build();
    let found = find(&outcome, wanted);
    assert_eq!(found.len(), 1, "{:#?}", outcome.diagnostics);
    (
        found[0].is_error(),
        site.message(found[0], MessageLanguage::Japanese),
    )
}

// --- transforms -------------------------------------------------------------------

#[test]
fn external_links_say_they_leave_the_site_inside_the_link() {
    let ja = about_html(
        "ja",
        "[宮城県](https://www.pref.miyagi.jp/) と [電話](tel:0229-23-0024)\n",
    );
    let links = select(&ja, ".prose a");
    assert_eq!(text(links[0]), "宮城県（外部サイト）");
    assert_eq!(text(links[1]), "電話", "a phone link stays on the phone");
    let en = about_html("en", "See [the prefecture](https://www.pref.miyagi.jp/).\n");
    assert_eq!(text(one(&en, ".prose a")), "the prefecture (external site)");
}

#[test]
fn file_links_give_format_and_size_in_each_language() {
    // The fixture's leaflet.pdf: its size is measured, not written anywhere.
    let size = std::fs::metadata(fixture("basic").join("files/leaflet.pdf"))
        .expect("leaflet")
        .len();
    let ja = about_html("ja", "[リーフレット](/files/leaflet.pdf)\n");
    assert_eq!(
        text(one(&ja, ".prose a")),
        format!("リーフレット（PDF：{}KB）", size.div_ceil(1024))
    );
    let en = about_html("en", "[Leaflet](/files/leaflet.pdf)\n");
    assert_eq!(
        text(one(&en, ".prose a")),
        format!("Leaflet (PDF, {} KB)", size.div_ceil(1024))
    );
}

#[test]
fn a_link_that_opens_a_new_window_says_so() {
    let ja = about_html(
        "ja",
        "<a href=\"https://www.pref.miyagi.jp/\" target=\"_blank\" rel=\"noopener\">宮城県</a> と <a href=\"/access/\">アクセス</a>\n",
    );
    let links = select(&ja, ".prose a");
    assert_eq!(text(links[0]), "宮城県（新しいウィンドウで開きます）");
    assert_eq!(text(links[1]), "アクセス");
    let en = about_html(
        "en",
        "<p><a href=\"/en/access/\" target=_blank>Access</a></p>\n",
    );
    assert_eq!(text(one(&en, ".prose a")), "Access (opens in a new window)");
}

#[test]
fn tables_scroll_in_a_labelled_focusable_region() {
    let ja = about_html(
        "ja",
        "## 開館時間\n\n| 曜日 | 時間 |\n| --- | --- |\n| 月曜日 | 9時～17時 |\n",
    );
    let region = one(&ja, ".prose .table-scroll");
    assert_eq!(attr(region, "role"), "region");
    assert_eq!(attr(region, "tabindex"), "0");
    assert_eq!(attr(region, "aria-label"), "表: 開館時間");
    assert_eq!(select_in(region, "table").len(), 1);
    let en = about_html(
        "en",
        "| Day | Hours |\n| --- | --- |\n| Monday | 9 to 5 |\n",
    );
    assert_eq!(attr(one(&en, ".table-scroll"), "aria-label"), "Table");
}

#[test]
fn headings_get_ids_for_in_page_links() {
    let ja = about_html(
        "ja",
        "[時間へ](#hours)\n\n## 開館時間 {#hours}\n\n## 電話・面接相談\n\n## 電話・面接相談\n",
    );
    let ids: Vec<&str> = select(&ja, ".prose h2")
        .into_iter()
        .map(|h| attr(h, "id"))
        .collect();
    assert_eq!(ids, ["hours", "電話面接相談", "電話面接相談-2"]);
    assert_eq!(attr(one(&ja, ".prose a"), "href"), "#hours");
}

#[test]
fn japanese_on_english_pages_and_english_phrases_on_japanese_pages_are_marked() {
    let en = about_html(
        "en",
        "Call the 宮城県精神保健福祉センター at 古川旭五丁目7-20 for help.\n",
    );
    let marked: Vec<String> = select(&en, r#".prose span[lang="ja"]"#)
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(marked, ["宮城県精神保健福祉センター", "古川旭五丁目7-20"]);
    let ja = about_html(
        "ja",
        "厚生労働省の「Hikikomori Support Handbook」をPDFでご覧いただけます。\n",
    );
    let marked: Vec<String> = select(&ja, r#".prose span[lang="en"]"#)
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(marked, ["Hikikomori Support Handbook"]);
}

// --- lints: errors ----------------------------------------------------------------

#[test]
fn an_image_without_alternative_text_is_an_error_at_its_line() {
    let site = site_with_about("ja", "本文です。\n\n![](/files/leaflet.pdf)\n");
    let (error, message) = reported(&site, |p| matches!(p, Problem::ImageWithoutAlt));
    assert!(error);
    assert!(
        message.contains("about.ja.md:7:1: エラー: 画像に代替テキストがありません"),
        "{message}"
    );
    assert!(
        message.contains("alt=\"\""),
        "says how to mark decoration: {message}"
    );
}

#[test]
fn a_raw_img_needs_alt_but_alt_empty_marks_decoration() {
    let site = site_with_about("ja", "本文です。\n\n<img src=\"/files/leaflet.pdf\">\n");
    let (error, message) = reported(&site, |p| matches!(p, Problem::ImageWithoutAlt));
    assert!(error && message.contains("about.ja.md:7:1:"), "{message}");
    let decorative = site_with_about(
        "ja",
        "本文です。\n\n<img src=\"/files/leaflet.pdf\" alt=\"\">\n",
    );
    let outcome = decorative.build();
    assert!(
        find(&outcome, |p| matches!(p, Problem::ImageWithoutAlt)).is_empty(),
        "{:#?}",
        outcome.diagnostics
    );
}

#[test]
fn a_top_level_heading_in_the_text_is_an_error() {
    let site = site_with_about("ja", "# センターについて\n\n本文です。\n");
    let (error, message) = reported(&site, |p| matches!(p, Problem::HeadingLevelOne));
    assert!(error);
    assert!(
        message.contains("about.ja.md:5:1: エラー: 本文に大見出し"),
        "{message}"
    );
}

#[test]
fn a_skipped_heading_level_is_an_error() {
    let site = site_with_about("ja", "## 相談\n\n本文。\n\n#### 電話\n");
    let (error, message) = reported(&site, |p| {
        matches!(p, Problem::SkippedHeading { from: 2, to: 4 })
    });
    assert!(error);
    assert!(
        message.contains("about.ja.md:9:1: エラー: 見出しのレベルが ## から #### に飛んでいます"),
        "{message}"
    );
    let first = site_with_about("en", "### Phone\n");
    let (error, _) = reported(&first, |p| {
        matches!(p, Problem::SkippedHeading { from: 1, to: 3 })
    });
    assert!(error, "the first heading of the text comes after the title");
}

#[test]
fn an_empty_link_is_an_error_but_a_described_image_names_its_link() {
    let site = site_with_about("ja", "本文と [](/access/)。\n");
    let (error, message) = reported(&site, |p| matches!(p, Problem::EmptyLink));
    assert!(error);
    assert!(
        message.contains("about.ja.md:5:5: エラー: リンクに文字がありません"),
        "{message}"
    );
    let image_link = site_with_about("ja", "[![アクセスの地図](/files/leaflet.pdf)](/access/)\n");
    let outcome = image_link.build();
    assert!(!outcome.has_errors(), "{:#?}", outcome.diagnostics);
}

// --- lints: warnings, which fail `check` ------------------------------------------

#[test]
fn vague_link_texts_are_warnings_in_both_languages() {
    for (lang, body, shown) in [
        (
            "ja",
            "詳しくは[こちら](/access/)をご覧ください。\n",
            "こちら",
        ),
        ("ja", "[ここ](/access/)\n", "ここ"),
        (
            "en",
            "For directions [click here](/en/access/).\n",
            "click here",
        ),
        ("en", "[More](/en/access/)\n", "More"),
        ("en", "Directions are [here](/en/access/).\n", "here"),
    ] {
        let site = site_with_about(lang, body);
        let (error, message) = reported(&site, |p| matches!(p, Problem::VagueLinkText { .. }));
        assert!(!error, "a warning");
        assert!(message.contains(&format!("「{shown}」")), "{message}");
        assert!(
            message.contains(&format!("about.{lang}.md:5:")),
            "{message}"
        );
        assert!(site.check().has_warnings());
    }
}

#[test]
fn script_and_inline_event_handlers_are_errors() {
    let site = site_with_about("ja", "本文。\n\n<script>alert(1)</script>\n");
    let (error, message) = reported(&site, |p| matches!(p, Problem::ScriptInContent));
    assert!(
        error && message.contains("about.ja.md:7:1: エラー:"),
        "{message}"
    );
    let handler = site_with_about("ja", "<p onclick=\"go()\">送信</p>\n");
    let (error, message) = reported(
        &handler,
        |p| matches!(p, Problem::InlineEventHandler { attribute } if attribute == "onclick"),
    );
    assert!(error && message.contains("onclick"), "{message}");
}

#[test]
fn a_page_in_the_wrong_language_for_its_file_name_is_a_warning() {
    let site = site_with_about(
        "ja",
        "The centre supports people in hikikomori and their families across Miyagi.\n",
    );
    let (error, message) = reported(
        &site,
        |p| matches!(p, Problem::LanguageMismatch { declared, looks: Script::Latin } if declared == "ja"),
    );
    assert!(!error);
    assert!(
        message.contains("about.ja.md:1:1: 警告: ファイル名の言語は ja"),
        "{message}"
    );
    let english_file = site_with_about(
        "en",
        "当センターは、ひきこもりの状態にあるご本人とご家族のための相談窓口です。宮城県内にお住まいの方のご相談をお受けしています。\n",
    );
    reported(&english_file, |p| {
        matches!(
            p,
            Problem::LanguageMismatch {
                looks: Script::Japanese,
                ..
            }
        )
    });
}

#[test]
fn english_pages_quoting_japanese_names_are_not_flagged() {
    let site = site_with_about(
        "en",
        "Families can join the monthly family meeting, 青年期（ひきこもり）家族会, held at the centre in Osaki. Ask the consultation line for the date.\n",
    );
    let outcome = site.build();
    assert!(
        find(&outcome, |p| matches!(p, Problem::LanguageMismatch { .. })).is_empty(),
        "{:#?}",
        outcome.diagnostics
    );
}
