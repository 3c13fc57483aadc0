//! The rules of やさしい日本語, checked on the pages written in it.
//!
//! Owns the check of the "在留支援のためのやさしい日本語ガイドライン" (Immigration Services
//! Agency and Agency for Cultural Affairs, 2020) as far as a program can apply it: short
//! sentences, no long runs of kanji or katakana, no double negatives, no honorific or
//! humble forms, one style of sentence ending, Western years, no 「〜」 for ranges, times
//! with 午前 or 午後, and a reading for every kanji. Each finding is a warning at the
//! place it is written, with the reason in plain words; the text is read as a reader
//! sees it, each furigana's base without its reading.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::ruby::{self, Piece};

/// One rule of the guideline a piece of text does not follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EasyRule {
    /// A sentence longer than the page's limit.
    LongSentence { length: usize, max: usize },
    /// Six or more kanji in a row.
    KanjiRun { run: String },
    /// Ten or more katakana in a row.
    KatakanaRun { run: String },
    /// A double negative (〜ないわけではない).
    DoubleNegative { found: String },
    /// An honorific or humble form (いらっしゃる, ご覧, ございます).
    Honorific { found: String },
    /// The page ends sentences both with です・ます and with だ・である.
    MixedEndings,
    /// A year in the Japanese era (令和7年).
    EraYear { found: String },
    /// 「〜」 or 「～」 for a range.
    TildeRange,
    /// A time without 午前 or 午後 (9時, 9:00).
    TimeWithoutHalf { found: String },
    /// A kanji with no reading.
    KanjiWithoutReading { kanji: String },
}

/// A finding, at a byte offset of the Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub offset: usize,
    pub rule: EasyRule,
}

/// Honorific (尊敬語) and humble (謙譲語) forms the guideline asks to replace with plain
/// polite ones (来ます, 見ます, 言います, あります).
const HONORIFICS: [&str; 14] = [
    "いらっしゃ",
    "ご覧",
    "御覧",
    "申し上げ",
    "ございま",
    "おっしゃ",
    "召し上が",
    "拝見",
    "伺い",
    "伺う",
    "参りま",
    "存じ",
    "お越し",
    "なさい",
];

const DOUBLE_NEGATIVES: [&str; 5] = [
    "ないわけではない",
    "ないわけではありません",
    "なくはない",
    "ないことはない",
    "ないとは限らない",
];

const ERAS: [&str; 5] = ["令和", "平成", "昭和", "大正", "明治"];

fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '々')
}

/// A katakana letter or the long-vowel mark; the middle dot (・) and the double hyphen
/// (゠) separate words rather than belong to one.
fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9D}')
}

/// A character of the text as read: where it is written, and whether it is the base of
/// a furigana.
#[derive(Clone, Copy)]
struct Read {
    c: char,
    offset: usize,
    has_reading: bool,
}

/// A block of text (a paragraph, a heading, a list item, a table cell) as it is read.
struct Block {
    chars: Vec<Read>,
}

/// Checks a page's Markdown body, given as events with their ranges.
pub fn check<'a>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
    max_sentence: usize,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut polite: Option<usize> = None;
    let mut plain: Option<usize> = None;
    // Each block is checked as soon as it ends: holding every block's characters (24
    // bytes each) until the end cost several times the page's size.
    blocks(events, |block| {
        check_block(&block, max_sentence, &mut findings, &mut polite, &mut plain);
    });
    if let (Some(polite_at), Some(plain_at)) = (polite, plain) {
        findings.push(Finding {
            offset: polite_at.max(plain_at),
            rule: EasyRule::MixedEndings,
        });
    }
    findings.sort_by_key(|f| f.offset);
    findings
}

/// Checks one line of text, such as a title: every rule but the one about the page's
/// sentence endings.
pub fn check_line(text: &str, max_sentence: usize) -> Vec<EasyRule> {
    let block = Block {
        chars: read_text(text, 0),
    };
    let mut findings = Vec::new();
    let (mut polite, mut plain) = (None, None);
    check_block(&block, max_sentence, &mut findings, &mut polite, &mut plain);
    findings.into_iter().map(|f| f.rule).collect()
}

/// The characters of a text as read: furigana give their base, marked as read.
fn read_text(text: &str, offset: usize) -> Vec<Read> {
    let mut chars = Vec::new();
    // A malformed ruby leaves the text as written (the parse stage reports it).
    let pieces: Box<dyn Iterator<Item = Piece>> = match ruby::first_error(text, &[]) {
        None => Box::new(ruby::Pieces::new(text, &[]).filter_map(Result::ok)),
        Some(_) => Box::new(std::iter::once(Piece::Text(text))),
    };
    for piece in pieces {
        let (part, has_reading) = match piece {
            Piece::Text(t) => (t, false),
            Piece::Ruby { base, .. } => (base, true),
        };
        let start = part.as_ptr() as usize - text.as_ptr() as usize;
        for (i, c) in part.char_indices() {
            chars.push(Read {
                c,
                offset: offset + start + i,
                has_reading,
            });
        }
    }
    chars
}

/// The text blocks of a body, outside code, each given to `take` as it ends.
fn blocks<'a>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
    mut take: impl FnMut(Block),
) {
    let mut current: Vec<Read> = Vec::new();
    let mut code = false;
    for (event, range) in events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code = true,
            Event::End(TagEnd::CodeBlock) => code = false,
            Event::Text(text) if !code => current.extend(read_text(&text, range.start)),
            Event::SoftBreak | Event::HardBreak => {}
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::TableCell
                | Tag::BlockQuote(_),
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) if !current.is_empty() => take(Block {
                chars: std::mem::take(&mut current),
            }),
            _ => {}
        }
    }
    if !current.is_empty() {
        take(Block { chars: current });
    }
}

fn check_block(
    block: &Block,
    max_sentence: usize,
    findings: &mut Vec<Finding>,
    polite: &mut Option<usize>,
    plain: &mut Option<usize>,
) {
    let chars = &block.chars;
    let text: String = chars.iter().map(|r| r.c).collect();
    // Byte index in `text` → position in `chars`.
    let mut at_byte = Vec::with_capacity(text.len() + 1);
    for (i, r) in chars.iter().enumerate() {
        for _ in 0..r.c.len_utf8() {
            at_byte.push(i);
        }
    }
    at_byte.push(chars.len());
    let offset_of = |byte: usize| {
        chars
            .get(at_byte[byte.min(at_byte.len() - 1)])
            .or(chars.last())
            .map_or(0, |r| r.offset)
    };
    let mut add = |byte: usize, rule: EasyRule| {
        findings.push(Finding {
            offset: offset_of(byte),
            rule,
        })
    };

    // Sentences: up to 。！？ or the end of the block.
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if matches!(c, '。' | '！' | '？' | '!' | '?') || end == text.len() {
            let sentence = text[start..end].trim();
            let length = sentence.chars().count();
            if length > max_sentence {
                add(
                    start,
                    EasyRule::LongSentence {
                        length,
                        max: max_sentence,
                    },
                );
            }
            let body = sentence.trim_end_matches(['。', '！', '？', '!', '?', '」', '）']);
            if [
                "です",
                "ます",
                "ました",
                "でした",
                "ません",
                "ましょう",
                "ください",
            ]
            .iter()
            .any(|e| body.ends_with(e))
            {
                polite.get_or_insert(offset_of(start));
            } else if ["だ", "である", "だった", "であった", "ではない"]
                .iter()
                .any(|e| body.ends_with(e))
            {
                plain.get_or_insert(offset_of(start));
            }
            start = end;
        }
    }

    // Runs of kanji and of katakana.
    let mut run_start: Option<(usize, bool)> = None;
    let flush_run = |from: usize, to: usize, kanji: bool, add: &mut dyn FnMut(usize, EasyRule)| {
        let run = &text[from..to];
        let count = run.chars().count();
        if kanji && count >= 6 {
            add(
                from,
                EasyRule::KanjiRun {
                    run: run.to_owned(),
                },
            );
        } else if !kanji && count >= 10 {
            add(
                from,
                EasyRule::KatakanaRun {
                    run: run.to_owned(),
                },
            );
        }
    };
    for (i, c) in text.char_indices() {
        let kind = if is_kanji(c) {
            Some(true)
        } else if is_katakana(c) {
            Some(false)
        } else {
            None
        };
        match (run_start, kind) {
            (Some((_, was)), Some(now)) if was == now => {}
            (Some((from, was)), now) => {
                flush_run(from, i, was, &mut add);
                run_start = now.map(|k| (i, k));
            }
            (None, Some(now)) => run_start = Some((i, now)),
            (None, None) => {}
        }
    }
    if let Some((from, was)) = run_start {
        flush_run(from, text.len(), was, &mut add);
    }

    for pattern in DOUBLE_NEGATIVES {
        for (i, found) in text.match_indices(pattern) {
            add(
                i,
                EasyRule::DoubleNegative {
                    found: found.to_owned(),
                },
            );
        }
    }
    for pattern in HONORIFICS {
        for (i, found) in text.match_indices(pattern) {
            add(
                i,
                EasyRule::Honorific {
                    found: found.to_owned(),
                },
            );
        }
    }
    for era in ERAS {
        for (i, _) in text.match_indices(era) {
            let rest = &text[i + era.len()..];
            let year: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || matches!(c, '０'..='９' | '元'))
                .collect();
            if !year.is_empty() && rest[year.len()..].starts_with('年') {
                add(
                    i,
                    EasyRule::EraYear {
                        found: format!("{era}{year}年"),
                    },
                );
            }
        }
    }
    for (i, _) in text.match_indices(['〜', '～']) {
        add(i, EasyRule::TildeRange);
    }
    // A time: digits followed by 時, or a clock time 9:00; fine after 午前 or 午後.
    for (i, c) in text.char_indices() {
        if !c.is_ascii_digit() || text[..i].ends_with(|p: char| p.is_ascii_digit()) {
            continue;
        }
        let digits: String = text[i..].chars().take_while(char::is_ascii_digit).collect();
        let after = &text[i + digits.len()..];
        // 時間 after a number is a length of time (24時間), not a time of day.
        let is_time = (after.starts_with('時') && !after.starts_with("時間"))
            || (after.starts_with(':') && after[1..].starts_with(|d: char| d.is_ascii_digit()));
        let before = text[..i].trim_end();
        if is_time && !before.ends_with("午前") && !before.ends_with("午後") {
            // The time as written: 9時, 9時30分 or 9:30.
            let (mark, unit) = if after.starts_with('時') {
                ("時", Some('分'))
            } else {
                (":", None)
            };
            let rest = &after[mark.len()..];
            let minutes: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let found = match unit {
                Some(unit) if !minutes.is_empty() && rest[minutes.len()..].starts_with(unit) => {
                    format!("{digits}{mark}{minutes}{unit}")
                }
                Some(_) => format!("{digits}{mark}"),
                None => format!("{digits}{mark}{minutes}"),
            };
            add(i, EasyRule::TimeWithoutHalf { found });
        }
    }
    // Kanji without a reading: one finding per run, at its first kanji.
    let mut i = 0;
    while i < chars.len() {
        if is_kanji(chars[i].c) && !chars[i].has_reading {
            let run: String = chars[i..]
                .iter()
                .take_while(|r| is_kanji(r.c) && !r.has_reading)
                .map(|r| r.c)
                .collect();
            let len = run.chars().count();
            findings.push(Finding {
                offset: chars[i].offset,
                rule: EasyRule::KanjiWithoutReading { kanji: run },
            });
            i += len;
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn rules(markdown: &str) -> Vec<EasyRule> {
        let events = Parser::new(markdown).into_offset_iter();
        check(events, 50).into_iter().map(|f| f.rule).collect()
    }

    fn clean(markdown: &str) {
        assert_eq!(rules(markdown), Vec::new(), "{markdown}");
    }

    #[test]
    fn sentences_longer_than_the_limit() {
        clean("{相談|そうだん}は むりょうです。");
        let long = format!("{}です。", "あ".repeat(60));
        assert_eq!(
            rules(&long),
            vec![EasyRule::LongSentence {
                length: 63,
                max: 50
            }]
        );
    }

    #[test]
    fn runs_of_kanji_and_katakana() {
        clean("{精神|せいしん}の センターです。");
        assert!(matches!(
            rules("{精神保健福祉|せいしんほけんふくし}センターです。").as_slice(),
            [EasyRule::KanjiRun { run }] if run == "精神保健福祉"
        ));
        assert!(matches!(
            rules("サポートブックリーフレットです。").as_slice(),
            [EasyRule::KatakanaRun { .. }]
        ));
        clean("サポートブックです。");
        // A middle dot ends a word.
        clean("サポートブック・リーフレットです。");
    }

    #[test]
    fn double_negatives() {
        clean("{行|い}けます。");
        assert!(matches!(
            rules("{行|い}けないわけではない。").as_slice(),
            [EasyRule::DoubleNegative { .. }, ..]
        ));
    }

    #[test]
    fn honorific_and_humble_forms() {
        clean("{見|み}てください。");
        for text in [
            "ご{覧|らん}ください。",
            "{来|き}てくださいませ。いらっしゃい。",
            "ございます。",
        ] {
            assert!(
                rules(text)
                    .iter()
                    .any(|r| matches!(r, EasyRule::Honorific { .. })),
                "{text}"
            );
        }
    }

    #[test]
    fn one_style_of_ending() {
        clean("これは ペンです。あれも ペンです。");
        assert!(rules("これは ペンです。あれは ペンだ。").contains(&EasyRule::MixedEndings));
    }

    #[test]
    fn western_years_not_era_years() {
        clean("2014{年|ねん}です。");
        assert!(matches!(
            rules("{令和|れいわ}7{年|ねん}です。").as_slice(),
            [EasyRule::EraYear { found }] if found == "令和7年"
        ));
    }

    #[test]
    fn ranges_in_words_not_with_a_tilde() {
        clean("{月曜日|げつようび}から{金曜日|きんようび}までです。");
        assert_eq!(rules("あ～いです。"), vec![EasyRule::TildeRange]);
    }

    #[test]
    fn times_say_morning_or_afternoon() {
        clean("{午前|ごぜん}9{時|じ}から{午後|ごご}5{時|じ}までです。");
        // A length of time is no time of day.
        clean("24{時間|じかん} {電話|でんわ}できます。");
        clean("24{時|じ}{間|かん} {電話|でんわ}できます。");
        assert!(matches!(
            rules("9{時|じ}からです。").as_slice(),
            [EasyRule::TimeWithoutHalf { .. }]
        ));
        assert!(matches!(
            rules("9:30からです。").as_slice(),
            [EasyRule::TimeWithoutHalf { found }] if found == "9:30"
        ));
        // The finding names the time as written, and nothing after it.
        let found = |text: &str| -> Vec<String> {
            rules(text)
                .into_iter()
                .filter_map(|r| match r {
                    EasyRule::TimeWithoutHalf { found } => Some(found),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(
            found("9{時|じ}から5{時|じ}30{分|ぷん}まで です。"),
            ["9時", "5時30分"]
        );
    }

    #[test]
    fn every_kanji_has_a_reading() {
        clean("{電話|でんわ}を かけます。");
        assert!(matches!(
            rules("電話を かけます。").as_slice(),
            [EasyRule::KanjiWithoutReading { kanji }] if kanji == "電話"
        ));
        // Code is not read as text.
        clean("`電話`");
    }

    #[test]
    fn findings_are_placed_where_they_are_written() {
        let markdown = "{電話|でんわ}です。\n\n9{時|じ}です。";
        let events = Parser::new(markdown).into_offset_iter();
        let found = check(events, 50);
        assert_eq!(found.len(), 1);
        assert_eq!(&markdown[found[0].offset..found[0].offset + 1], "9");
    }
}
