//! The site search: the index the build writes, read by the search page's own script
//! (`src/render/search.js`, run here in Node), on fixture sites; and what holds of the
//! bundled site's search whatever its content.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{Built, Workspace, select};
use proptest::prelude::*;
use serde_json::{Value, json};
use yorisoi::search_terms;

const SCRIPT: &str = "src/render/search.js";

/// Runs the search script in Node with one request; its answer.
fn run_script(request: Value) -> Value {
    let mut child = Command::new("node")
        .arg("tests/search/runner.cjs")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs (the browser tests need it too)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(request.to_string().as_bytes())
        .expect("request written");
    let output = child.wait_with_output().expect("node finishes");
    assert!(
        output.status.success(),
        "the search script failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the runner answers JSON")
}

/// The URLs of what the script finds for each query in `lang`, best first.
fn found(site: &Path, lang: &str, queries: &[&str]) -> BTreeMap<String, Vec<String>> {
    let answer = run_script(json!({
        "script": SCRIPT, "site": site, "lang": lang, "queries": queries, "all": true,
    }));
    queries
        .iter()
        .map(|q| {
            let urls = answer["results"][*q]
                .as_array()
                .expect("results for every query")
                .iter()
                .map(|r| r["url"].as_str().expect("a url").to_owned())
                .collect();
            ((*q).to_owned(), urls)
        })
        .collect()
}

fn excerpts(site: &Path, lang: &str, query: &str) -> Vec<String> {
    let answer = run_script(json!({
        "script": SCRIPT, "site": site, "lang": lang, "queries": [query],
    }));
    answer["results"][query]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["excerpt"].as_str().expect("an excerpt").to_owned())
        .collect()
}

/// Texts where a second reading of the rules could differ: scripts, widths, cases,
/// marks, numbers, symbols.
const SAMPLES: &[&str] = &[
    "家族会のご案内",
    "ひきこもりの相談",
    "サポートブック・リーフレット",
    "ｻﾎﾟｰﾄﾌﾞｯｸ　ｶﾞｲﾄﾞ",
    "Ｆａｍｉｌｙ　Ｍｅｅｔｉｎｇｓ ２０２６",
    "JR東北新幹線・陸羽東線をご利用の場合：古川駅",
    "「の」と「を」",
    "〇〇市々、ゝヽヾー",
    "İstanbul STRASSE straße ΣΑΣ Ǆemal",
    "café naïve résumé e\u{301}",
    "families classes bus analysis focus process",
    "0229-23-1603 ①② ¼ Ⅻ ٣",
    "🙂 emoji 👨‍👩‍👧 and ZWJ",
    "𠮷野家 𩸽",
    "한국어 ไทย עברית العربية",
    "ヷヸヹヺ ㇰㇱ ｰ",
    "（相談）：０２２　ＡＢＣ〜、。「」『』【】〈〉《》〃々〆〇〒〓〔〕〝〟・ー",
    "か\u{3099}キ\u{309A} ゛゜ゟヿ ㈱ ㍻ ① ｶﾞｷﾞ",
    "ＦＵＬＬ－ＷＩＤＴＨ＿ａｎｄ～ｔｉｌｄｅ＼",
];

#[test]
fn the_script_and_the_build_make_the_same_terms_and_files() {
    let files: Vec<(String, u32)> = SAMPLES
        .iter()
        .flat_map(|t| search_terms::terms(t))
        .map(|t| (t, 97))
        .collect();
    let answer = run_script(json!({ "script": SCRIPT, "terms": SAMPLES, "files": files }));
    for (text, theirs) in SAMPLES
        .iter()
        .zip(answer["terms"].as_array().expect("terms"))
    {
        let ours: Vec<Value> = search_terms::terms(text)
            .into_iter()
            .map(Value::from)
            .collect();
        assert_eq!(
            theirs.as_array().expect("a list"),
            &ours,
            "terms of {text:?}"
        );
    }
    for ((term, count), theirs) in files.iter().zip(answer["files"].as_array().expect("files")) {
        assert_eq!(
            theirs.as_u64(),
            Some(u64::from(search_terms::file_of(term, *count))),
            "file of {term:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]
    /// Random texts from the characters the rules treat apart, many per run of Node.
    /// (`-` last in the class, so that it is itself and not a range: `!-（` took in
    /// every character up to U+FF08, among them ones assigned in one Unicode version
    /// and not the other, which the build and a browser may read differently.)
    #[test]
    fn random_texts_give_the_same_terms_in_both(texts in proptest::collection::vec(
        "[あいうかがアイウカガｱｲｳｶﾞ゙ー々〆家族会相談新幹線𠮷aAbBsSiIeé\u{301}\u{3099}ＡＢａ０9١ 　・。、!（）「」-]{0,24}",
        32,
    )) {
        let answer = run_script(json!({ "script": SCRIPT, "terms": texts }));
        for (text, theirs) in texts.iter().zip(answer["terms"].as_array().expect("terms")) {
            let ours: Vec<Value> = search_terms::terms(text).into_iter().map(Value::from).collect();
            prop_assert_eq!(theirs.as_array().expect("a list"), &ours, "terms of {:?}", text);
        }
    }
}

/// A fixture with pages whose words the queries below are about.
fn searchable_site() -> Workspace {
    let site = Workspace::copy_of("basic");
    let page = |key: &str, lang: &str, title: &str, body: &str| {
        site.write(
            &format!("{key}.{lang}.md"),
            format!(
                "+++\ntitle = \"{title}\"\ndescription = \"{title}のページです。\"\n+++\n\n{body}\n"
            ),
        );
    };
    for lang in ["ja", "en"] {
        let title = if lang == "ja" {
            "サイト内検索"
        } else {
            "Search"
        };
        site.write(
            &format!("search.{lang}.md"),
            format!("+++\ntitle = \"{title}\"\ntemplate = \"search.html\"\n+++\n"),
        );
    }
    page(
        "train",
        "ja",
        "新幹線で来る",
        "東北新幹線の駅から歩きます。",
    );
    page("train", "en", "By train", "Walk from the station.");
    page(
        "airport",
        "ja",
        "空港",
        "新千歳空港と幹線道路のご案内です。",
    );
    page(
        "airport",
        "en",
        "Airport",
        "About the airport and the trunk road.",
    );
    page(
        "easy-words",
        "ja",
        "やさしい言葉",
        "{相談|そうだん}は {電話|でんわ}で できます。",
    );
    page(
        "easy-words",
        "en",
        "Plain words",
        "You can call us to talk.",
    );
    page(
        "book",
        "ja",
        "サポートブック",
        "サポートブックを配っています。",
    );
    page(
        "book",
        "en",
        "Support book",
        "We hand out the support book.",
    );
    page(
        "meeting",
        "en",
        "Family meeting",
        "Families meet once a month at the family meeting.",
    );
    page("meeting", "ja", "家族会", "ご家族が集まる家族会です。");
    site
}

#[test]
fn queries_find_their_pages_as_a_reader_types_them() {
    let site = searchable_site();
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let ja = found(
        &site.output,
        "ja",
        &[
            "新幹線",
            "家族会",
            "ｻﾎﾟｰﾄﾌﾞｯｸ",
            "さぽーとぶっく",
            "でんわ",
            "空港",
            "幹線道路",
            "該当なしの言葉",
        ],
    );
    assert_eq!(
        ja["新幹線"],
        ["/support/train/"],
        "a compound is found whole, and only there"
    );
    assert_eq!(
        ja["家族会"].first().map(String::as_str),
        Some("/support/meeting/")
    );
    assert_eq!(
        ja["ｻﾎﾟｰﾄﾌﾞｯｸ"].first().map(String::as_str),
        Some("/support/book/")
    );
    assert_eq!(
        ja["さぽーとぶっく"], ja["ｻﾎﾟｰﾄﾌﾞｯｸ"],
        "katakana read as hiragana"
    );
    assert!(ja["でんわ"].contains(&"/support/easy-words/".to_owned()));
    assert_eq!(ja["空港"], ["/support/airport/"]);
    assert_eq!(ja["幹線道路"], ["/support/airport/"]);
    assert!(ja["該当なしの言葉"].is_empty());
    let en = found(
        &site.output,
        "en",
        &["family meetings", "famil", "airports", "search"],
    );
    assert_eq!(
        en["family meetings"].first().map(String::as_str),
        Some("/support/en/meeting/"),
        "a plural finds its singular, and the page named for it comes first"
    );
    assert_eq!(
        en["famil"].first().map(String::as_str),
        Some("/support/en/meeting/"),
        "a word typed in part"
    );
    assert_eq!(en["airports"], ["/support/en/airport/"]);
    assert!(
        en["search"].is_empty(),
        "the search page itself is not searched"
    );
}

#[test]
fn a_kana_query_finds_kanji_through_the_sites_furigana() {
    let site = searchable_site();
    // The reading is given on one page; another page writes the word without it.
    site.write(
        "desk.ja.md",
        "+++\ntitle = \"窓口\"\ndescription = \"窓口のご案内です。\"\n+++\n\n窓口で相談を受け付けます。\n",
    );
    site.write(
        "desk.en.md",
        "+++\ntitle = \"Desk\"\ndescription = \"The desk.\"\n+++\n\nThe desk takes questions.\n",
    );
    assert!(site.build().written);
    let ja = found(&site.output, "ja", &["そうだん", "ソウダン"]);
    assert!(
        ja["そうだん"].contains(&"/support/desk/".to_owned()),
        "{:?}",
        ja["そうだん"]
    );
    assert_eq!(ja["そうだん"], ja["ソウダン"]);
    let marked = excerpts(&site.output, "ja", "そうだん");
    assert!(
        marked.iter().any(|e| e.contains("[相談]")),
        "the kanji the reading found is marked: {marked:?}"
    );
}

#[test]
fn the_excerpt_marks_the_match_and_keeps_the_authors_text() {
    let site = searchable_site();
    assert!(site.build().written);
    let marked = excerpts(&site.output, "ja", "新幹線");
    assert_eq!(marked, ["東北[新幹線]の駅から歩きます。"]);
    let marked = excerpts(&site.output, "en", "family");
    assert_eq!(
        marked[0],
        "[Families] meet once a month at the [family] meeting."
    );
}

/// Every file of the index, as text.
fn index_text(output: &Path) -> String {
    let mut all = String::new();
    for file in common::list_files(&output.join("_search")) {
        all.push_str(&fs::read_to_string(output.join("_search").join(&file)).unwrap_or_default());
    }
    all
}

#[test]
fn drafts_scheduled_and_ended_announcements_and_shared_parts_are_never_indexed() {
    let site = searchable_site();
    site.write(
        "secret.ja.md",
        "+++\ntitle = \"下書き\"\ndraft = true\n+++\n\nもくもくれんこん\n",
    );
    site.write(
        "news/2099-01-01-later.ja.md",
        "+++\ntitle = \"先の話\"\ndate = 2099-01-01\n+++\n\nぐるぐるれんこん\n",
    );
    site.write(
        "news/2020-01-01-over.ja.md",
        "+++\ntitle = \"終わった話\"\ndate = 2020-01-01\nexpires = 2020-02-01\n+++\n\nざくざくれんこん\n",
    );
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let index = index_text(&site.output);
    assert!(!index.is_empty());
    for word in [
        "もくもく",
        "ぐるぐる",
        "ざくざく",
        "下書き",
        "先の話",
        "終わった話",
    ] {
        assert!(!index.contains(word), "{word} is in the index");
    }
    // The consultation line, on every page, is in no page's text but where its page
    // says it: the header, footer and sources are not the page's words.
    for doc in common::list_files(&site.output.join("_search/ja/d")) {
        let text = fs::read_to_string(site.output.join("_search/ja/d").join(&doc)).expect("doc");
        let doc: Value = serde_json::from_str(&text).expect("JSON");
        let words = doc["text"].as_str().expect("text");
        assert!(!words.contains("022-123-4567"), "{}: {words}", doc["url"]);
        assert!(
            !words.contains("掲載日"),
            "the dates are not the text: {words}"
        );
    }
}

#[test]
fn search_false_writes_no_index_and_no_script_but_keeps_the_keyword_index() {
    let site = searchable_site();
    let config = fs::read_to_string(site.content.join("site.toml")).expect("site.toml");
    site.write("site.toml", format!("search = false\n{config}"));
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    assert!(!site.output.join("_search").exists());
    let page = fs::read_to_string(site.output.join("search/index.html")).expect("search page");
    // Only the page's data for search engines, which never runs.
    let doc = scraper::Html::parse_document(&page);
    assert!(
        select(&doc, "script:not([type=\"application/ld+json\"])").is_empty(),
        "no script without an index"
    );
    assert!(!page.contains("search-form"));
    assert!(page.contains("keywords-heading"), "the keyword index stays");
    assert!(page.contains("新幹線で来る"));
}

#[test]
fn the_keyword_index_orders_by_reading_and_links_every_title() {
    let site = searchable_site();
    assert!(site.build().written);
    let page = scraper::Html::parse_document(
        &fs::read_to_string(site.output.join("search/index.html")).expect("search page"),
    );
    let rows: Vec<String> = select(&page, ".keyword-group h3")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    let mut sorted = rows.clone();
    sorted.sort();
    let kana: Vec<&String> = rows
        .iter()
        .filter(|r| r.chars().all(|c| ('あ'..='ん').contains(&c)))
        .collect();
    assert!(!kana.is_empty(), "{rows:?}");
    assert!(
        kana.windows(2).all(|w| w[0] < w[1]),
        "rows in gojūon order: {rows:?}"
    );
    let links: Vec<String> = select(&page, ".keyword-group a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(String::from))
        .collect();
    for url in ["/support/train/", "/support/book/", "/support/meeting/"] {
        assert!(
            links.iter().any(|l| l == url),
            "{url} is in the keyword index"
        );
    }
    // サポートブック is kana: under さ.
    let sa = select(&page, ".keyword-group")
        .into_iter()
        .find(|g| g.text().collect::<String>().trim_start().starts_with('さ'))
        .expect("a さ row");
    assert!(sa.text().collect::<String>().contains("サポートブック"));
}

/// The output file of a root-relative href of a site published at `/`.
fn file_of_root_href(href: &str) -> String {
    let path = href
        .split(['#', '?'])
        .next()
        .unwrap_or("")
        .trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    }
}

#[test]
fn every_page_of_the_bundled_site_links_its_search_page_and_the_index_names_only_pages_that_exist()
{
    let built = Built::bundled();
    let mut searched = Vec::new();
    for lang in ["ja", "en", "ja-easy"] {
        let folder = built.output.join("_search").join(lang);
        if !folder.exists() {
            continue;
        }
        searched.push(lang);
        let meta: Value =
            serde_json::from_str(&fs::read_to_string(folder.join("index.json")).expect("meta"))
                .expect("JSON");
        let pages = meta["pages"].as_u64().expect("a count") as usize;
        let page_files = common::list_files(&folder.join("d"));
        let page_files = page_files.iter().filter(|f| f.ends_with(".json"));
        assert_eq!(page_files.count(), pages);
        for n in 0..pages {
            let doc: Value = serde_json::from_str(
                &fs::read_to_string(folder.join(format!("d/{n}.json"))).expect("doc"),
            )
            .expect("JSON");
            let url = doc["url"].as_str().expect("url");
            let file = file_of_root_href(url);
            assert!(
                built.exists(&file),
                "{url} is in the {lang} index but not built"
            );
            assert_eq!(
                common::language_of_file(&file),
                lang,
                "{url} in the {lang} index"
            );
            let page = built.html(&file);
            assert!(
                select(&page, ".draft-label").is_empty(),
                "{url}: a draft or scheduled page is in the index"
            );
        }
    }
    assert!(!searched.is_empty(), "the bundled site has a search");
    for (file, page) in built.pages() {
        let lang = common::language_of_file(&file);
        let search_page = match lang {
            "ja" => "search/index.html",
            "en" => "en/search/index.html",
            _ => "easy/search/index.html",
        };
        if !built.exists(search_page) {
            continue;
        }
        let links = select(&page, ".site-header .header-search a");
        assert_eq!(
            links.len(),
            1,
            "{file}: one link to the search page in the header"
        );
        let href = links[0].value().attr("href").expect("href");
        assert_eq!(file_of_root_href(href), search_page, "{file}");
    }
    let bytes: u64 = common::list_files(&built.output.join("_search"))
        .iter()
        .map(|f| fs::metadata(built.output.join("_search").join(f)).map_or(0, |m| m.len()))
        .sum();
    assert!(
        bytes < 1024 * 1024,
        "the bundled site's search is {bytes} bytes"
    );
}
