//! Ordering Japanese names the way a Japanese index does: 五十音順 (gojūon order).
//!
//! Owns the two things an index of names written in kana needs: a sort key, in which
//! a voiced or half-voiced kana (が, ぱ) sorts with its plain one (か, は) and a small
//! kana (ゃ, っ) with its full-size one, the written form deciding only between names
//! that are otherwise equal; and the row of the table a name starts in (あ, か, さ, …),
//! under which the index groups it. Katakana are read as their hiragana.

/// The first kana of each row of the gojūon table.
const ROWS: [char; 10] = ['あ', 'か', 'さ', 'た', 'な', 'は', 'ま', 'や', 'ら', 'わ'];

/// The kana as it sorts: plain, full-size hiragana. Anything else stays as it is.
fn plain(c: char) -> char {
    // Katakana (ァ–ヶ) sit 0x60 above the hiragana they read as.
    let c = match c {
        'ァ'..='ヶ' => char::from_u32(u32::from(c) - 0x60).unwrap_or(c),
        _ => c,
    };
    match c {
        'ぁ' => 'あ',
        'ぃ' => 'い',
        'ぅ' | 'ゔ' => 'う',
        'ぇ' => 'え',
        'ぉ' => 'お',
        'が' => 'か',
        'ぎ' => 'き',
        'ぐ' => 'く',
        'げ' => 'け',
        'ご' => 'こ',
        'ざ' => 'さ',
        'じ' => 'し',
        'ず' => 'す',
        'ぜ' => 'せ',
        'ぞ' => 'そ',
        'だ' => 'た',
        'ぢ' => 'ち',
        'っ' | 'づ' => 'つ',
        'で' => 'て',
        'ど' => 'と',
        'ば' | 'ぱ' => 'は',
        'び' | 'ぴ' => 'ひ',
        'ぶ' | 'ぷ' => 'ふ',
        'べ' | 'ぺ' => 'へ',
        'ぼ' | 'ぽ' => 'ほ',
        'ゃ' => 'や',
        'ゅ' => 'ゆ',
        'ょ' => 'よ',
        'ゎ' => 'わ',
        other => other,
    }
}

/// The key a name written in kana sorts by: its plain form first, then the name as
/// written (code point order: plain before voiced, small before full-size), so that
/// `かき` comes before `がき` and both before `かく`.
pub fn sort_key(kana: &str) -> (String, String) {
    (kana.chars().map(plain).collect(), kana.to_owned())
}

/// The row of the gojūon table the name starts in (`あ` for あいうえお, `か` for
/// かきくけこ and がぎぐげご, …), or `None` if it does not start with a kana.
pub fn row(kana: &str) -> Option<char> {
    let first = plain(kana.chars().next()?);
    if !('あ'..='ん').contains(&first) {
        return None;
    }
    if first == 'ん' {
        return Some('わ');
    }
    ROWS.iter().rev().find(|head| **head <= first).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voiced_and_small_kana_sort_with_their_plain_kana() {
        let mut names = vec![
            "がくでん",
            "かみ",
            "かく",
            "きゃく",
            "きやく",
            "ざおう",
            "さくら",
        ];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            [
                "かく",
                "がくでん",
                "かみ",
                "きゃく",
                "きやく",
                "ざおう",
                "さくら"
            ]
        );
    }

    #[test]
    fn names_fall_in_the_row_they_start_in() {
        for (name, expected) in [
            ("いしのまきし", 'あ'),
            ("おながわちょう", 'あ'),
            ("かくだし", 'か'),
            ("ざおうまち", 'さ'),
            ("とめし", 'た'),
            ("なとりし", 'な'),
            ("ひがしまつしまし", 'は'),
            ("まるもりまち", 'ま'),
            ("やまもとちょう", 'や'),
            ("りふちょう", 'ら'),
            ("わくやちょう", 'わ'),
            ("ワタリ", 'わ'),
        ] {
            assert_eq!(row(name), Some(expected), "{name}");
        }
        assert_eq!(row("Sendai"), None);
        assert_eq!(row(""), None);
    }
}
