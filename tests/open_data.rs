//! The municipal desks as open data: the CSV and JSON read back, as a spreadsheet and a
//! program read them, equal to the data file, Japanese intact; codes computed and held
//! to Miyagi's list; nothing published without a licence or with a cell a spreadsheet
//! would run.

mod common;

use common::{Workspace, attr, select};
use scraper::Html;
use yorisoi::diagnostics::{OutputRefusal, Problem, Severity};
use yorisoi::render::open_data::{COLUMNS, CSV_PATH, JSON_PATH};

const SOURCES: &str = r#"
[[source]]
id = "shiogama-page"
title.ja = "塩竈市「ひきこもり相談」"
title.en = "Shiogama City: hikikomori consultation"
url = "https://www.city.shiogama.miyagi.jp/"
published = 2025-04-01

[[source]]
id = "centre-2014"
title.ja = "センター開設の資料"
title.en = "The centre's opening presentation"
year = 2014
"#;

fn directory(shiogama_code: &str, shiogama_name: &str) -> String {
    format!(
        r#"
[[district]]
id = "sendai"
name.ja = "仙台"
name.en = "Sendai area"

[[municipality]]
code = "04100"
name.ja = "仙台市"
name.en = "Sendai City"
kana = "せんだいし"
district = "sendai"
[municipality.served_by]
name.ja = "仙台市ひきこもり地域支援センター"
name.en = "Sendai City Hikikomori Regional Support Centre"
phone = "022-285-3581"
source = "centre-2014"

[[municipality]]
code = "{shiogama_code}"
name.ja = "{shiogama_name}"
name.en = "Shiogama City"
kana = "しおがまし"
district = "sendai"
[municipality.desk]
name.ja = "塩竈市保健センター \"ひきこもり\" 相談, 窓口"
name.en = "Shiogama City Health Centre"
phone = "022-364-4786"
fax = "022-364-4787"
address.ja = "宮城県塩竈市北浜四丁目8-13"
source = "shiogama-page"

[[municipality]]
code = "04406"
name.ja = "利府町"
name.en = "Rifu Town"
kana = "りふちょう"
district = "sendai"
"#
    )
}

fn site(license: bool) -> Workspace {
    let site = Workspace::copy_of("basic");
    let sources = std::fs::read_to_string(site.content.join("sources.toml")).expect("sources");
    site.write("sources.toml", format!("{sources}{SOURCES}"));
    site.write("directory.toml", directory("04203", "塩竈市"));
    site.write(
        "directory.ja.md",
        "+++\ntitle = \"市町村の窓口\"\ntemplate = \"directory.html\"\n+++\n\n市町村の窓口です。\n",
    );
    site.write(
        "directory.en.md",
        "+++\ntitle = \"Municipal desks\"\ntemplate = \"directory.html\"\n+++\n\nThe desks.\n",
    );
    if license {
        let toml = std::fs::read_to_string(site.content.join("site.toml")).expect("site.toml");
        site.write(
            "site.toml",
            format!("{toml}\n[open_data]\nlicense = \"CC-BY-4.0\"\n"),
        );
    }
    site
}

fn value<'a>(row: &'a csv::StringRecord, column: &str) -> &'a str {
    let i = COLUMNS.iter().position(|c| *c == column).expect("a column");
    &row[i]
}

#[test]
fn the_csv_and_json_read_back_equal_to_the_data_file() {
    let site = site(true);
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let bytes = std::fs::read(site.output.join(CSV_PATH)).expect("the CSV is written");
    // UTF-8 with its byte order mark, lines ending in CRLF, as Excel and the Digital
    // Agency's datasets have them.
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let text = std::str::from_utf8(&bytes).expect("UTF-8");
    assert!(text.ends_with("\r\n"));
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());

    let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    // Rifu has no sourced desk: no row, nothing guessed.
    assert_eq!(rows.len(), 2);
    let sendai = &rows[0];
    assert_eq!(value(sendai, "全国地方公共団体コード"), "041009");
    assert_eq!(value(sendai, "地方公共団体名"), "宮城県仙台市");
    assert_eq!(value(sendai, "名称"), "仙台市ひきこもり地域支援センター");
    assert_eq!(value(sendai, "電話番号"), "022-285-3581");
    assert_eq!(value(sendai, "出典ID"), "centre-2014");
    assert_eq!(value(sendai, "出典の日付"), "2014");
    assert_eq!(value(sendai, "住所"), "");
    let shiogama = &rows[1];
    assert_eq!(value(shiogama, "全国地方公共団体コード"), "042030");
    assert_eq!(value(shiogama, "ID"), "042030");
    assert_eq!(
        value(shiogama, "名称"),
        "塩竈市保健センター \"ひきこもり\" 相談, 窓口"
    );
    assert_eq!(value(shiogama, "住所"), "宮城県塩竈市北浜四丁目8-13");
    assert_eq!(value(shiogama, "FAX番号"), "022-364-4787");
    assert_eq!(value(shiogama, "出典"), "塩竈市「ひきこもり相談」");
    assert_eq!(
        value(shiogama, "出典URL"),
        "https://www.city.shiogama.miyagi.jp/"
    );
    assert_eq!(value(shiogama, "出典の日付"), "2025-04-01");
    // What no source gives stays empty: the English name is the site's translation.
    for column in [
        "名称_カナ",
        "名称_英字",
        "利用可能曜日",
        "開始時間",
        "終了時間",
        "URL",
    ] {
        assert_eq!(value(shiogama, column), "", "{column}");
    }

    // The JSON holds the same rows, with the same keys.
    let json: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_slice(
        &std::fs::read(site.output.join(JSON_PATH)).expect("the JSON is written"),
    )
    .expect("JSON");
    assert_eq!(json.len(), rows.len());
    for (object, row) in json.iter().zip(&rows) {
        assert_eq!(object.len(), COLUMNS.len());
        for (column, value) in COLUMNS.iter().zip(row.iter()) {
            assert_eq!(object[*column], value, "{column}");
        }
    }

    // The directory links both, with their licence and date, in each language.
    let ja = Html::parse_document(
        &std::fs::read_to_string(site.output.join("directory/index.html")).expect("page"),
    );
    let links: Vec<&str> = select(&ja, "#open-data ~ ul a")
        .into_iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(
        links,
        [
            "/support/opendata/municipal-desks.csv",
            "/support/opendata/municipal-desks.json"
        ]
    );
    let licence = select(&ja, "#open-data ~ dl a");
    assert_eq!(
        attr(licence[0], "href"),
        "https://creativecommons.org/licenses/by/4.0/deed.ja"
    );
    assert_eq!(
        attr(select(&ja, "#open-data ~ dl time")[0], "datetime"),
        "2025-04-01"
    );
    let en = std::fs::read_to_string(site.output.join("en/directory/index.html")).expect("page");
    assert!(en.contains("https://creativecommons.org/licenses/by/4.0/deed.en"));
}

#[test]
fn without_a_licence_nothing_is_published_as_open_data() {
    let site = site(false);
    let outcome = site.build();
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    assert!(!site.output.join(CSV_PATH).exists());
    assert!(!site.output.join(JSON_PATH).exists());
    let ja = std::fs::read_to_string(site.output.join("directory/index.html")).expect("page");
    assert!(!ja.contains("id=\"open-data\""));
}

#[test]
fn a_code_is_held_to_miyagis_list_and_its_name_at_its_line() {
    for (code, name, wanted) in [
        ("04999", "塩竈市", "unknown"),
        ("04202", "塩竈市", "another"),
        ("042030", "塩竈市", "invalid"),
    ] {
        let site = site(true);
        site.write("directory.toml", directory(code, name));
        let outcome = site.build();
        assert!(!outcome.written);
        let errors: Vec<_> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert_eq!(errors.len(), 1, "{code}: {errors:#?}");
        let found = match &errors[0].problem {
            Problem::UnknownMunicipalityCode { .. } => "unknown",
            Problem::MunicipalityCodeNamesAnother { listed, .. } => {
                assert_eq!(listed, "石巻市");
                "another"
            }
            Problem::InvalidMunicipalityCode { .. } => "invalid",
            other => panic!("{other:?}"),
        };
        assert_eq!(found, wanted);
        let at = errors[0].location.as_ref().expect("located");
        assert_eq!(at.file, std::path::Path::new("directory.toml"));
        let text = std::fs::read_to_string(site.content.join("directory.toml")).expect("file");
        let line = text
            .lines()
            .position(|l| l == format!("code = \"{code}\""))
            .expect("written")
            + 1;
        assert_eq!(at.line, line);
        for lang in [
            yorisoi::report::MessageLanguage::Japanese,
            yorisoi::report::MessageLanguage::English,
        ] {
            assert!(site.message(errors[0], lang).contains(code));
        }
    }
}

#[test]
fn a_cell_a_spreadsheet_would_run_is_never_published() {
    let site = site(true);
    let toml = directory("04203", "塩竈市").replace(
        "name.ja = \"塩竈市保健センター \\\"ひきこもり\\\" 相談, 窓口\"",
        "name.ja = \"=HYPERLINK(\\\"http://attacker.example/\\\")\"",
    );
    assert!(toml.contains("HYPERLINK"));
    site.write("directory.toml", toml);
    let outcome = site.build();
    assert!(!outcome.written);
    let refused: Vec<&str> = outcome
        .diagnostics
        .iter()
        .filter_map(|d| match &d.problem {
            Problem::OutputRefused {
                output, refusal, ..
            } if **refusal == OutputRefusal::SpreadsheetFormula => Some(output.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(refused, [CSV_PATH]);
}
