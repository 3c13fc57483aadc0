//! The success criteria of JIS X 8341-3:2016 at levels A and AA: WCAG 2.0's 38, with the
//! names the Japanese standard gives them and WCAG's English names.
//!
//! Owns the one list the test-results page (試験結果) is built on, so a criterion is
//! named the same way in the judgements file's messages, the table and the conformance
//! wording.

/// A conformance level of a success criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    A,
    AA,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::A => "A",
            Level::AA => "AA",
        }
    }
}

/// One success criterion.
#[derive(Debug, PartialEq, Eq)]
pub struct Criterion {
    /// `1.1.1`.
    pub number: &'static str,
    pub level: Level,
    /// As JIS X 8341-3:2016 names it.
    pub ja: &'static str,
    /// As WCAG 2.0 names it.
    pub en: &'static str,
}

const fn c(number: &'static str, level: Level, ja: &'static str, en: &'static str) -> Criterion {
    Criterion {
        number,
        level,
        ja,
        en,
    }
}

/// Every criterion of levels A and AA, in the standard's order.
#[rustfmt::skip]
pub const CRITERIA: [Criterion; 38] = [
    c("1.1.1", Level::A, "非テキストコンテンツ", "Non-text Content"),
    c("1.2.1", Level::A, "音声のみ及び映像のみ（収録済）", "Audio-only and Video-only (Prerecorded)"),
    c("1.2.2", Level::A, "キャプション（収録済）", "Captions (Prerecorded)"),
    c("1.2.3", Level::A, "音声解説又はメディアに対する代替（収録済）", "Audio Description or Media Alternative (Prerecorded)"),
    c("1.2.4", Level::AA, "キャプション（ライブ）", "Captions (Live)"),
    c("1.2.5", Level::AA, "音声解説（収録済）", "Audio Description (Prerecorded)"),
    c("1.3.1", Level::A, "情報及び関係性", "Info and Relationships"),
    c("1.3.2", Level::A, "意味のある順序", "Meaningful Sequence"),
    c("1.3.3", Level::A, "感覚的な特徴", "Sensory Characteristics"),
    c("1.4.1", Level::A, "色の使用", "Use of Color"),
    c("1.4.2", Level::A, "音声の制御", "Audio Control"),
    c("1.4.3", Level::AA, "コントラスト（最低限）", "Contrast (Minimum)"),
    c("1.4.4", Level::AA, "テキストのサイズ変更", "Resize text"),
    c("1.4.5", Level::AA, "文字画像", "Images of Text"),
    c("2.1.1", Level::A, "キーボード", "Keyboard"),
    c("2.1.2", Level::A, "キーボードトラップなし", "No Keyboard Trap"),
    c("2.2.1", Level::A, "タイミング調整可能", "Timing Adjustable"),
    c("2.2.2", Level::A, "一時停止、停止及び非表示", "Pause, Stop, Hide"),
    c("2.3.1", Level::A, "3回のせん（閃）光、又はしきい（閾）値以下", "Three Flashes or Below Threshold"),
    c("2.4.1", Level::A, "ブロックスキップ", "Bypass Blocks"),
    c("2.4.2", Level::A, "ページタイトル", "Page Titled"),
    c("2.4.3", Level::A, "フォーカス順序", "Focus Order"),
    c("2.4.4", Level::A, "リンクの目的（コンテキスト内）", "Link Purpose (In Context)"),
    c("2.4.5", Level::AA, "複数の手段", "Multiple Ways"),
    c("2.4.6", Level::AA, "見出し及びラベル", "Headings and Labels"),
    c("2.4.7", Level::AA, "フォーカスの可視化", "Focus Visible"),
    c("3.1.1", Level::A, "ページの言語", "Language of Page"),
    c("3.1.2", Level::AA, "一部分の言語", "Language of Parts"),
    c("3.2.1", Level::A, "フォーカス時", "On Focus"),
    c("3.2.2", Level::A, "入力時", "On Input"),
    c("3.2.3", Level::AA, "一貫したナビゲーション", "Consistent Navigation"),
    c("3.2.4", Level::AA, "一貫した識別性", "Consistent Identification"),
    c("3.3.1", Level::A, "エラーの特定", "Error Identification"),
    c("3.3.2", Level::A, "ラベル又は説明", "Labels or Instructions"),
    c("3.3.3", Level::AA, "エラー修正の提案", "Error Suggestion"),
    c("3.3.4", Level::AA, "エラー回避（法的、金融及びデータ）", "Error Prevention (Legal, Financial, Data)"),
    c("4.1.1", Level::A, "構文解析", "Parsing"),
    c("4.1.2", Level::A, "名前（name）・役割（role）及び値（value）", "Name, Role, Value"),
];

/// The criterion numbered `number`, if it is one of the 38.
pub fn criterion(number: &str) -> Option<&'static Criterion> {
    CRITERIA.iter().find(|c| c.number == number)
}

/// Whether `number` is written as a success criterion's number (`1.4.10`): a check may
/// bear on criteria of later WCAG versions, which the standard's table leaves out.
pub fn is_criterion_number(number: &str) -> bool {
    let parts: Vec<&str> = number.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_has_25_criteria_at_a_and_13_at_aa_each_once() {
        let a = CRITERIA.iter().filter(|c| c.level == Level::A).count();
        let aa = CRITERIA.iter().filter(|c| c.level == Level::AA).count();
        assert_eq!((a, aa), (25, 13));
        let mut numbers: Vec<_> = CRITERIA.iter().map(|c| c.number).collect();
        numbers.dedup();
        assert_eq!(numbers.len(), 38);
        assert!(CRITERIA.iter().all(|c| is_criterion_number(c.number)));
    }

    #[test]
    fn numbers_are_read_as_written() {
        assert_eq!(criterion("2.4.7").map(|c| c.ja), Some("フォーカスの可視化"));
        assert!(criterion("1.4.10").is_none());
        assert!(is_criterion_number("1.4.10"));
        assert!(!is_criterion_number("1.4"));
        assert!(!is_criterion_number("1.4.x"));
    }
}
