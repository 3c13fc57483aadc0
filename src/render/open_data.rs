//! The municipal desks as open data: `opendata/municipal-desks.csv` and
//! `opendata/municipal-desks.json`, for the prefecture's catalogue, municipal sites and
//! support organisations to reuse without copying by hand.
//!
//! Owns both files' columns and bytes. The columns are those of the Digital Agency's
//! 自治体標準オープンデータセット 公共施設一覧, in its order, where one fits (there is no
//! dataset of consultation desks), then the site's own: the fact's source, the source's
//! own date and the day a person checked it. A column the data has no sourced value for
//! stays empty: nothing is inferred (an English name that is the site's translation, a
//! reading, hours). The CSV is UTF-8 with a byte order mark and CRLF line ends, as the
//! agency's datasets are and as Excel reads Japanese text; the JSON holds the same rows
//! as objects with the same keys. Files are written only when `site.toml` gives their
//! licence (`[open_data] license`).

use serde::Serialize;

use super::sitemap::generated;
use super::{Body, Changes, Output, RenderCx};
use crate::config::License;
use crate::data::{AsOf, Fact, Municipality, Source, Sources};
use crate::diagnostics::Diagnostic;
use crate::local_government::{self, MIYAGI_PREFECTURE_NAME};
use crate::localized::Localized;
use crate::phone::PhoneNumber;
use crate::site::Site;
use crate::site::routes::{Claim, Route};
use crate::theme::Theme;

pub const CSV_PATH: &str = "opendata/municipal-desks.csv";
pub const JSON_PATH: &str = "opendata/municipal-desks.json";

/// Whether the output verifier reads `path` as open data.
pub fn is_open_data_file(path: &str) -> bool {
    path == CSV_PATH || path == JSON_PATH
}

/// The columns, in order: the standard's, then the site's own.
pub const COLUMNS: [&str; 23] = [
    "全国地方公共団体コード",
    "ID",
    "地方公共団体名",
    "名称",
    "名称_カナ",
    "名称_英字",
    "住所",
    "方書",
    "電話番号",
    "内線番号",
    "利用可能曜日",
    "開始時間",
    "終了時間",
    "利用可能日時特記事項",
    "説明",
    "URL",
    "備考",
    // The site's own.
    "FAX番号",
    "出典ID",
    "出典",
    "出典URL",
    "出典の日付",
    "出典の確認日",
];

/// One desk as a row: a value for each of [`COLUMNS`].
pub type Row = [String; COLUMNS.len()];

pub struct OpenData;

impl Output for OpenData {
    fn claims(&self, site: &Site, _theme: &Theme, output: usize) -> Vec<Claim> {
        if site.config.open_data.license.is_none() {
            return Vec::new();
        }
        vec![
            generated(CSV_PATH, "opendata/municipal-desks.csv", output),
            generated(JSON_PATH, "opendata/municipal-desks.json", output),
        ]
    }

    fn render(&self, route: &Route, cx: &RenderCx) -> Result<Body, Diagnostic> {
        let files = cx.open_data.as_ref();
        let bytes = files.map(|f| {
            if route.path == CSV_PATH {
                &f.csv
            } else {
                &f.json
            }
        });
        Ok(Body::Bytes(bytes.cloned().unwrap_or_default()))
    }

    fn affected(&self, _route: &Route, changes: &Changes, _cx: &RenderCx) -> bool {
        // Only data files and site.toml change what the rows say.
        changes.everything
    }
}

/// Every municipality whose desk (or the body that serves its residents) a source
/// gives, in the directory's order.
pub fn rows(site: &Site) -> Vec<Row> {
    let default = &site.config.default_language;
    let sources = &site.data.sources;
    site.data
        .directory
        .municipalities
        .iter()
        .filter_map(|m| row(m, sources, default))
        .collect()
}

fn row(m: &Municipality, sources: &Sources, default: &str) -> Option<Row> {
    let code = local_government::six_digit(&m.code)?;
    let listed = local_government::miyagi_municipality(&m.code)?;
    // The municipality's own desk, or else the body that serves its residents.
    let (name, phone, fax, address) = match (&m.desk, &m.served_by) {
        (Some(desk), _) => (
            &desk.name,
            desk.phone.as_ref(),
            desk.fax.as_ref(),
            desk.address.as_ref(),
        ),
        (None, Some(served_by)) => (served_by, m.served_by_phone.as_ref(), None, None),
        (None, None) => return None,
    };
    let words = |fact: Option<&Fact<Localized>>| {
        fact.and_then(|f| f.value.get(default))
            .unwrap_or_default()
            .to_owned()
    };
    let number = |fact: Option<&Fact<PhoneNumber>>| {
        fact.map(|f| f.value.as_str().to_owned())
            .unwrap_or_default()
    };
    let source = sources.get(&name.source);
    let mut row: Row = Default::default();
    let mut put = |column: &str, value: String| {
        if let Some(i) = COLUMNS.iter().position(|c| *c == column) {
            row[i] = value;
        }
    };
    put("全国地方公共団体コード", code.clone());
    put("ID", code);
    put(
        "地方公共団体名",
        format!("{MIYAGI_PREFECTURE_NAME}{listed}"),
    );
    put("名称", words(Some(name)));
    put("住所", words(address));
    put("電話番号", number(phone));
    put("FAX番号", number(fax));
    put("出典ID", name.source.clone());
    if let Some(source) = source {
        put(
            "出典",
            source.title.get(default).unwrap_or_default().to_owned(),
        );
        put("出典URL", source.url.clone());
        put("出典の日付", own_date(source));
        put(
            "出典の確認日",
            source
                .verified
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        );
    }
    Some(row)
}

/// The source's own date as data: `2025-11-12`, `2015-08`, `2014`, `2024年度`.
fn own_date(source: &Source) -> String {
    match source.as_of {
        AsOf::Published(d) | AsOf::Updated(d) | AsOf::Dated(d) => d.iso(),
        AsOf::Year(y) => y.to_string(),
        AsOf::FiscalYear(y) => format!("{y}年度"),
        AsOf::Undated => String::new(),
    }
}

/// The rows as the Digital Agency's datasets are written: UTF-8 with a byte order mark,
/// CRLF, every field quoted (RFC 4180), quotes doubled.
pub fn csv(rows: &[Row]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let mut line = |fields: &mut dyn Iterator<Item = &str>| {
        let quoted: Vec<String> = fields
            .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
            .collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    };
    line(&mut COLUMNS.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out.into_bytes()
}

/// The same rows as a JSON array of objects, keys in the columns' order.
pub fn json(rows: &[Row]) -> Vec<u8> {
    #[derive(Serialize)]
    struct Object<'a>(#[serde(serialize_with = "in_order")] &'a Row);
    fn in_order<S: serde::Serializer>(row: &&Row, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(COLUMNS.len()))?;
        for (key, value) in COLUMNS.iter().zip(row.iter()) {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
    let objects: Vec<Object> = rows.iter().map(Object).collect();
    let mut bytes = serde_json::to_vec_pretty(&objects).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// What a page says of the files: where they are, how large, under which licence, and
/// as of when (the newest of their sources' own dates).
#[derive(Debug, Serialize)]
pub struct OpenDataView {
    pub csv_href: String,
    pub csv_size: String,
    pub json_href: String,
    pub json_size: String,
    pub rows: usize,
    pub license: &'static str,
    pub license_url: &'static str,
    /// In words and for `<time>`, when every row's source gives a day.
    pub as_of: Option<(String, String)>,
}

/// Both files' bytes, made once per build for the outputs and the pages that link them.
#[derive(Debug)]
pub struct Files {
    pub csv: Vec<u8>,
    pub json: Vec<u8>,
    rows: usize,
    license: License,
    /// The newest of the rows' sources' own dates.
    as_of: Option<chrono::NaiveDate>,
}

impl Files {
    /// `None` when the site publishes no open data (no licence).
    pub fn new(site: &Site) -> Option<Files> {
        let license = site.config.open_data.license?;
        let rows = rows(site);
        let as_of = site
            .data
            .directory
            .municipalities
            .iter()
            .filter_map(|m| {
                let fact = m.desk.as_ref().map(|d| &d.name).or(m.served_by.as_ref())?;
                site.data.sources.get(&fact.source)?.as_of.last_day()
            })
            .max();
        Some(Files {
            csv: csv(&rows),
            json: json(&rows),
            rows: rows.len(),
            license,
            as_of,
        })
    }

    /// The files as a page in `lang` links them.
    pub fn view(&self, site: &Site, lang: &str, locale: &crate::locale::Locale) -> OpenDataView {
        let address = &site.config.address;
        let (name, url) = license_words(self.license, lang);
        let size = |bytes: usize| super::data_view::file_size(bytes as u64, locale.size_style);
        OpenDataView {
            csv_href: address.href(&format!("/{CSV_PATH}")),
            csv_size: size(self.csv.len()),
            json_href: address.href(&format!("/{JSON_PATH}")),
            json_size: size(self.json.len()),
            rows: self.rows,
            license: name,
            license_url: url,
            as_of: self.as_of.map(|d| {
                (
                    crate::dates::day_or_month(d, true, locale.date_style),
                    d.format("%Y-%m-%d").to_string(),
                )
            }),
        }
    }
}

/// A licence as readers are told of it: its name and where its terms are, in `lang`.
pub fn license_words(license: License, lang: &str) -> (&'static str, &'static str) {
    let japanese = lang.split('-').next() == Some("ja");
    match (license, japanese) {
        (License::CcBy4, true) => (
            "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）",
            "https://creativecommons.org/licenses/by/4.0/deed.ja",
        ),
        (License::CcBy4, false) => (
            "Creative Commons Attribution 4.0 International (CC BY 4.0)",
            "https://creativecommons.org/licenses/by/4.0/deed.en",
        ),
        (License::Cc0, true) => (
            "CC0 1.0 全世界（パブリック・ドメイン提供）",
            "https://creativecommons.org/publicdomain/zero/1.0/deed.ja",
        ),
        (License::Cc0, false) => (
            "CC0 1.0 Universal (public domain dedication)",
            "https://creativecommons.org/publicdomain/zero/1.0/deed.en",
        ),
        (License::Pdl1, true) => (
            "公共データ利用規約（第1.0版）（PDL1.0）",
            "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
        ),
        (License::Pdl1, false) => (
            "Public Data License (Version 1.0) (PDL1.0)",
            "https://www.digital.go.jp/en/resources/open_data/public_data_license_v1.0",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_with_quotes_doubled_and_lines_end_in_crlf() {
        let mut row: Row = Default::default();
        row[3] = "窓口 \"A\", 2階".to_owned();
        let text = String::from_utf8(csv(&[row])).expect("UTF-8");
        assert!(text.starts_with("\u{feff}\"全国地方公共団体コード\",\"ID\","));
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines.len(), 3, "header, one row, and the end");
        assert_eq!(lines[2], "");
        assert!(lines[1].contains(",\"窓口 \"\"A\"\", 2階\","));
        assert!(!text.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn json_keeps_the_columns_order() {
        let mut row: Row = Default::default();
        row[0] = "042030".to_owned();
        let text = String::from_utf8(json(&[row])).expect("UTF-8");
        let first = text.find("全国地方公共団体コード").expect("key");
        let last = text.find("出典の確認日").expect("key");
        assert!(first < last);
        let back: Vec<serde_json::Map<String, serde_json::Value>> =
            serde_json::from_str(&text).expect("JSON");
        assert_eq!(back[0]["全国地方公共団体コード"], "042030");
        assert_eq!(back[0].len(), COLUMNS.len());
    }
}
