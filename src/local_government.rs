//! 全国地方公共団体コード, the Ministry of Internal Affairs and Communications' codes of
//! local governments: the check digit that makes a five-digit code six, and the list of
//! Miyagi Prefecture's municipalities that a data file's codes are held to.
//!
//! Owns the one list of Miyagi's municipality codes. Source: 総務省「全国地方公共団体コード」
//! (<https://www.soumu.go.jp/denshijiti/code.html>), the 35 municipalities of Miyagi
//! (14 cities, 20 towns, 1 village) with their five-digit codes, as compiled in the
//! project's sourced facts (November 2026). A municipality that merges or is renamed
//! changes this list, never a data file alone.

/// Miyagi Prefecture's own code, five digits.
pub const MIYAGI_PREFECTURE: &str = "04000";

/// Miyagi Prefecture's name, as the list of codes gives it.
pub const MIYAGI_PREFECTURE_NAME: &str = "宮城県";

/// Every municipality of Miyagi: its five-digit code and its name.
pub const MIYAGI: [(&str, &str); 35] = [
    ("04100", "仙台市"),
    ("04202", "石巻市"),
    ("04203", "塩竈市"),
    ("04205", "気仙沼市"),
    ("04206", "白石市"),
    ("04207", "名取市"),
    ("04208", "角田市"),
    ("04209", "多賀城市"),
    ("04211", "岩沼市"),
    ("04212", "登米市"),
    ("04213", "栗原市"),
    ("04214", "東松島市"),
    ("04215", "大崎市"),
    ("04216", "富谷市"),
    ("04301", "蔵王町"),
    ("04302", "七ヶ宿町"),
    ("04321", "大河原町"),
    ("04322", "村田町"),
    ("04323", "柴田町"),
    ("04324", "川崎町"),
    ("04341", "丸森町"),
    ("04361", "亘理町"),
    ("04362", "山元町"),
    ("04401", "松島町"),
    ("04404", "七ヶ浜町"),
    ("04406", "利府町"),
    ("04421", "大和町"),
    ("04422", "大郷町"),
    ("04424", "大衡村"),
    ("04444", "色麻町"),
    ("04445", "加美町"),
    ("04501", "涌谷町"),
    ("04505", "美里町"),
    ("04581", "女川町"),
    ("04606", "南三陸町"),
];

/// The name of the Miyagi municipality with the five-digit `code`.
pub fn miyagi_municipality(code: &str) -> Option<&'static str> {
    MIYAGI
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
}

/// The six-digit code of a five-digit one: digits one to five weighted 6, 5, 4, 3, 2,
/// and the check digit `(11 - sum % 11) % 10`. `None` unless `code` is five digits.
pub fn six_digit(code: &str) -> Option<String> {
    let digits: Vec<u32> = code
        .chars()
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    if digits.len() != 5 || !code.is_ascii() {
        return None;
    }
    let sum: u32 = digits.iter().zip([6, 5, 4, 3, 2]).map(|(d, w)| d * w).sum();
    let check = (11 - sum % 11) % 10;
    Some(format!("{code}{check}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits_are_the_ministrys() {
        // Published six-digit codes: Miyagi Prefecture, Sendai, Shiogama, Rifu, Sapporo,
        // Tokyo's Chiyoda ward.
        for (five, six) in [
            ("04000", "040002"),
            ("04100", "041009"),
            ("04203", "042030"),
            ("04406", "044067"),
            ("01100", "011002"),
            ("13101", "131016"),
        ] {
            assert_eq!(six_digit(five).as_deref(), Some(six), "{five}");
        }
        assert_eq!(six_digit("0410"), None);
        assert_eq!(six_digit("041009"), None);
        assert_eq!(six_digit("04a00"), None);
        assert_eq!(six_digit("０４１００"), None);
    }

    #[test]
    fn the_list_holds_35_distinct_codes_of_miyagi() {
        let mut codes: Vec<&str> = MIYAGI.iter().map(|(c, _)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 35);
        assert!(
            codes
                .iter()
                .all(|c| c.starts_with("04") && six_digit(c).is_some())
        );
        assert_eq!(miyagi_municipality("04406"), Some("利府町"));
        assert_eq!(miyagi_municipality("04999"), None);
    }
}
