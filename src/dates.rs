//! Dates as the site means them: Japan time, written the way each language writes them.
//!
//! Japan has no daylight saving, so a fixed +09:00 offset is exact and needs no time-zone
//! database. A date without a time means the start of that day in Japan.

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike,
};
use serde::Serialize;

/// Japan Standard Time, UTC+9.
pub fn jst() -> FixedOffset {
    // 9 hours is always in range for a UTC offset.
    FixedOffset::east_opt(9 * 3600).expect("UTC+9 is a valid offset")
}

/// A moment given in content: a date, or a date and time, in Japan time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moment {
    pub at: DateTime<FixedOffset>,
    /// Whether the author gave a time of day; a bare date shows without one.
    pub has_time: bool,
    /// The source gives only a month (`2015-08`): shown without a day, never with an
    /// invented one.
    pub month_only: bool,
}

impl Moment {
    pub fn from_date(date: NaiveDate) -> Self {
        Moment {
            at: at_jst(date.and_time(NaiveTime::MIN)),
            has_time: false,
            month_only: false,
        }
    }

    pub fn date(&self) -> NaiveDate {
        self.at.with_timezone(&jst()).date_naive()
    }

    /// The last day the moment speaks for: its own day, or the end of its month.
    pub fn last_day(&self) -> NaiveDate {
        let date = self.date();
        if !self.month_only {
            return date;
        }
        let (y, m) = if date.month() == 12 {
            (date.year() + 1, 1)
        } else {
            (date.year(), date.month() + 1)
        };
        NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or(date)
    }

    /// `2026-04-08` or `2026-04-08T09:30:00+09:00`, for `<time datetime>`.
    pub fn iso(&self) -> String {
        if self.month_only {
            self.date().format("%Y-%m").to_string()
        } else if self.has_time {
            self.at.with_timezone(&jst()).to_rfc3339()
        } else {
            self.date().format("%Y-%m-%d").to_string()
        }
    }

    /// RFC 822 as RSS wants it, always in +0900; `None` for a month, since an RSS date
    /// names a day and no source gives one (the first of the month would be a day
    /// nobody stated).
    pub fn rfc822(&self) -> Option<String> {
        (!self.month_only).then(|| {
            self.at
                .with_timezone(&jst())
                .format("%a, %d %b %Y %H:%M:%S %z")
                .to_string()
        })
    }

    /// RFC 3339 for machines (sitemaps).
    pub fn rfc3339(&self) -> String {
        self.at.with_timezone(&jst()).to_rfc3339()
    }
}

fn at_jst(naive: NaiveDateTime) -> DateTime<FixedOffset> {
    // A fixed offset maps every local time to exactly one instant.
    jst()
        .from_local_datetime(&naive)
        .single()
        .unwrap_or_else(|| jst().from_utc_datetime(&naive))
}

/// The years a date may have. Outside them a date is a typing slip (`0026-04-08`,
/// `20260-04-08`) that would otherwise reach feeds and the sitemap as nonsense.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// A day or a month, without a time: `2025-11-12`, `2015-08`. How sources are dated.
pub fn parse_date(text: &str) -> Option<Moment> {
    parse_moment(text).filter(|m| !m.has_time)
}

/// Reads the forms staff write: `2026-04-08`, `2026-04-08T09:30`, `2026-04-08 09:30:00`,
/// a month as `2015-08`, or with an explicit offset. Returns `None` for anything else
/// (`2026/4/8`, `2026-02-30`, a year outside [`YEARS`]).
pub fn parse_moment(text: &str) -> Option<Moment> {
    read_moment(text).filter(|m| YEARS.contains(&m.date().year()))
}

fn read_moment(text: &str) -> Option<Moment> {
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return (text.len() == 10).then(|| Moment::from_date(date));
    }
    if let Some(month) = parse_month(text) {
        return Some(Moment {
            month_only: true,
            ..Moment::from_date(month)
        });
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(Moment {
            at,
            has_time: true,
            month_only: false,
        });
    }
    for form in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, form) {
            return Some(Moment {
                at: at_jst(naive),
                has_time: true,
                month_only: false,
            });
        }
    }
    None
}

/// `2015-08` → the first of that month.
fn parse_month(text: &str) -> Option<NaiveDate> {
    let (year, month) = text.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
}

/// How a language writes dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateStyle {
    /// `2025年（令和7年）11月12日`: the Western year with the era year beside it.
    Japanese,
    /// `2025年11月12日`, times as `午前9時30分`: Japanese without era years, for readers
    /// who find them hard (やさしい日本語), with furigana on each kanji written in the
    /// `{年|ねん}` notation for the `ruby` filter.
    JapaneseWestern,
    /// `12 November 2025`.
    #[default]
    DayMonthYear,
}

/// The same date written for people, per language.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DisplayDate {
    /// For `<time datetime>`.
    pub iso: String,
    /// For reading: `2025年（令和7年）11月12日` or `12 November 2025`.
    pub text: String,
}

pub fn display(moment: &Moment, style: DateStyle) -> DisplayDate {
    let mut text = day_or_month(moment.date(), !moment.month_only, style);
    // Written for readers who find Japanese hard, a time says which half of the day
    // it is in, as the easy-Japanese guideline asks: 午前9時30分, 午後2時.
    if style == DateStyle::JapaneseWestern && moment.has_time {
        text.push(' ');
        text.push_str(&half_day_time(moment.at.hour(), moment.at.minute()));
    }
    DisplayDate {
        iso: moment.iso(),
        text,
    }
}

/// `午前9時30分`, `午後2時`, `午前0時`: a time on the twelve-hour clock of each half day,
/// with furigana (`{午前|ごぜん}9{時|じ}30{分|ぷん}`).
pub fn half_day_time(hour: u32, minute: u32) -> String {
    let (half, hour) = if hour < 12 {
        ("{午前|ごぜん}", hour)
    } else {
        ("{午後|ごご}", hour - 12)
    };
    if minute == 0 {
        format!("{half}{hour}{{時|じ}}")
    } else {
        // 分 is read ぷん after 1, 3, 4, 6, 8 and 0 (いっぷん, さんぷん, じゅっぷん), ふん
        // after the others (にふん, ごふん).
        let reading = match minute % 10 {
            1 | 3 | 4 | 6 | 8 | 0 => "ぷん",
            _ => "ふん",
        };
        format!("{half}{hour}{{時|じ}}{minute}{{分|{reading}}}")
    }
}

/// `2025{年|ねん}11{月|がつ}12{日|にち}`: a Western date with furigana. The days of the
/// month with their own readings (ついたち, ふつか, … とおか, はつか) take the reading over
/// the number and 日 together.
fn western_with_readings(date: NaiveDate, has_day: bool) -> String {
    let month = format!("{}{{年|ねん}}{}{{月|がつ}}", date.year(), date.month());
    if !has_day {
        return month;
    }
    let day = date.day();
    let own_reading = match day {
        1 => Some("ついたち"),
        2 => Some("ふつか"),
        3 => Some("みっか"),
        4 => Some("よっか"),
        5 => Some("いつか"),
        6 => Some("むいか"),
        7 => Some("なのか"),
        8 => Some("ようか"),
        9 => Some("ここのか"),
        10 => Some("とおか"),
        14 => Some("じゅうよっか"),
        20 => Some("はつか"),
        24 => Some("にじゅうよっか"),
        _ => None,
    };
    match own_reading {
        Some(reading) => format!("{month}{{{day}日|{reading}}}"),
        None => format!("{month}{day}{{日|にち}}"),
    }
}

/// `2025年（令和7年）11月12日`: the Western year first, the era year beside it, as
/// Japanese public bodies increasingly write dates.
pub fn japanese(date: NaiveDate) -> String {
    let era = era_name_and_year(date).unwrap_or_default();
    format!("{}年{}{}月{}日", date.year(), era, date.month(), date.day())
}

/// `2015年（平成27年）8月`, for sources that give only a month.
pub fn japanese_month(date: NaiveDate) -> String {
    let full = japanese(date);
    full.rsplit_once('月')
        .map_or(full.clone(), |(year_month, _)| format!("{year_month}月"))
}

/// `12 November 2025`, the day-month-year order of British and Japanese-government English.
pub fn english(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// A date that may lack its day, as sources give them: `2025年（令和7年）11月12日`,
/// `2015年（平成27年）8月`, `12 November 2025`, `August 2015`.
pub fn day_or_month(date: NaiveDate, has_day: bool, style: DateStyle) -> String {
    match (style, has_day) {
        (DateStyle::Japanese, true) => japanese(date),
        (DateStyle::Japanese, false) => japanese_month(date),
        (DateStyle::JapaneseWestern, has_day) => western_with_readings(date, has_day),
        (DateStyle::DayMonthYear, true) => english(date),
        (DateStyle::DayMonthYear, false) => date.format("%B %Y").to_string(),
    }
}

/// A calendar year: `2014年（平成26年）`, `2014年` or `2014`.
pub fn year(year: i32, style: DateStyle) -> String {
    match (style, NaiveDate::from_ymd_opt(year, 12, 31)) {
        (DateStyle::Japanese, Some(end)) => {
            // The era in force at the end of the year, as documents of that year name it
            // from their second half on.
            let era = era_name_and_year(end).unwrap_or_default();
            format!("{year}年{era}")
        }
        (DateStyle::JapaneseWestern, _) => format!("{year}{{年|ねん}}"),
        (DateStyle::Japanese, _) => format!("{year}年"),
        (DateStyle::DayMonthYear, _) => year.to_string(),
    }
}

/// A Japanese fiscal year, April to March: `2024年度（令和6年度）`, `2024年度` or
/// `fiscal year 2024 (April 2024 to March 2025)`.
pub fn fiscal_year(year: i32, style: DateStyle) -> String {
    // Named after the era in force at the end of its first calendar year: April 2019 to
    // March 2020 is 令和元年度 although it began in 平成31年, and April 1988 to March 1989
    // is 昭和63年度 although it ended in 平成元年.
    match (style, NaiveDate::from_ymd_opt(year, 12, 31)) {
        (DateStyle::Japanese, Some(named_at)) => {
            let era = era_year(named_at)
                .map(|(name, y)| format!("（{name}{}年度）", era_number(y)))
                .unwrap_or_default();
            format!("{year}年度{era}")
        }
        (DateStyle::JapaneseWestern, _) => format!("{year}{{年度|ねんど}}"),
        (DateStyle::Japanese, _) => format!("{year}年度"),
        (DateStyle::DayMonthYear, _) => format!(
            "fiscal year {year} (April {year} to March {})",
            year.saturating_add(1)
        ),
    }
}

fn era_number(year: i32) -> String {
    if year == 1 {
        "元".to_owned()
    } else {
        year.to_string()
    }
}

/// `（令和7年）`, the era and its year for a date.
fn era_name_and_year(date: NaiveDate) -> Option<String> {
    era_year(date).map(|(name, year)| format!("（{name}{}年）", era_number(year)))
}

/// The Japanese names of the eras the Japanese calendar counts years in, by the codes
/// CLDR gives them. When each began is the calendar's business: ICU4X's Japanese
/// calendar, kept up to date with each new era, decides which era a day falls in.
const ERA_NAMES: [(&str, &str); 5] = [
    ("reiwa", "令和"),
    ("heisei", "平成"),
    ("showa", "昭和"),
    ("taisho", "大正"),
    ("meiji", "明治"),
];

/// The era and the year of it a day falls in (`令和`, 7), for days since the Meiji era.
fn era_year(date: NaiveDate) -> Option<(&'static str, i32)> {
    let month = u8::try_from(date.month()).ok()?;
    let day = u8::try_from(date.day()).ok()?;
    let iso = icu_calendar::Date::try_new_iso(date.year(), month, day).ok()?;
    let japanese = iso.to_calendar(icu_calendar::cal::Japanese::new());
    let era = japanese.era_year();
    let name = ERA_NAMES
        .iter()
        .find(|(code, _)| *code == era.era.as_str())
        .map(|(_, name)| *name)?;
    Some((name, era.year))
}

/// The day a Japanese-calendar date names (`令和`, 8, 4, 8 is 2026-04-08), if that era
/// had that year on that day.
fn from_era(name: &str, year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let (code, _) = ERA_NAMES.iter().find(|(_, n)| *n == name)?;
    let date = icu_calendar::Date::try_new_japanese_with_calendar(
        code,
        year,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
        icu_calendar::cal::Japanese::new(),
    )
    .ok()?;
    let iso = date.to_calendar(icu_calendar::cal::Iso);
    let naive = NaiveDate::from_ymd_opt(
        iso.era_year().extended_year,
        u32::from(iso.month().ordinal),
        u32::from(iso.day_of_month().0),
    )?;
    // The calendar counts on past an era's end and back before its start; the day only
    // exists in this era if the day's own era is this one.
    (era_year(naive) == Some((ERA_NAMES.iter().find(|(_, n)| *n == name)?.1, year)))
        .then_some(naive)
}

/// The day named by a date written the everyday ways the site does not take as a date —
/// `2026/4/8`, `2026.4.8`, `2026年4月8日`, `令和8年4月8日`, `平成元年1月8日`, in full-width
/// digits too — so that a message can give it as the site writes it (`2026-04-08`).
/// `None` if the text names no real day, or gives an era year the era did not have on
/// that day (`令和1年4月1日` was still 平成).
pub fn everyday_date(text: &str) -> Option<NaiveDate> {
    let text: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '／' => '/',
            '．' => '.',
            '－' => '-',
            _ => crate::width::ascii_digit(c),
        })
        .collect();
    let era = ERA_NAMES
        .iter()
        .map(|(_, name)| *name)
        .find(|name| text.starts_with(name));
    let rest = era.map_or(text.as_str(), |name| &text[name.len()..]);
    // Three numbers (the first year of an era is written 元), each followed by 年・月・日
    // or separated by / . - : nothing else.
    let mut numbers: Vec<String> = Vec::new();
    let mut after_number = false;
    for c in rest.chars() {
        match c {
            '0'..='9' if after_number => numbers.last_mut()?.push(c),
            '0'..='9' => {
                numbers.push(c.to_string());
                after_number = true;
            }
            '元' if !after_number && numbers.is_empty() && era.is_some() => {
                numbers.push("1".to_owned());
                after_number = true;
            }
            '年' | '月' | '日' | '/' | '.' | '-' if after_number => after_number = false,
            ' ' | '\u{3000}' => {}
            _ => return None,
        }
    }
    let [year, month, day] = numbers.as_slice() else {
        return None;
    };
    let (month, day): (u32, u32) = (month.parse().ok()?, day.parse().ok()?);
    let date = match era {
        Some(name) => from_era(name, year.parse().ok().filter(|y| *y >= 1)?, month, day)?,
        None if year.len() == 4 => NaiveDate::from_ymd_opt(year.parse().ok()?, month, day)?,
        None => return None,
    };
    YEARS.contains(&date.year()).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easy_japanese_dates_have_western_years_and_times_in_halves_of_the_day() {
        let at =
            |text: &str| display(&parse_moment(text).unwrap(), DateStyle::JapaneseWestern).text;
        let shown = |text: &str| crate::ruby::plain(&at(text));
        assert_eq!(shown("2025-11-12"), "2025年11月12日");
        assert_eq!(shown("2025-11-12T09:30"), "2025年11月12日 午前9時30分");
        assert_eq!(shown("2025-11-12T14:00"), "2025年11月12日 午後2時");
        assert_eq!(shown("2025-11-12T00:05"), "2025年11月12日 午前0時5分");
        // With furigana on every kanji, read as the number before it asks.
        assert_eq!(
            at("2025-11-12T09:30"),
            "2025{年|ねん}11{月|がつ}12{日|にち} {午前|ごぜん}9{時|じ}30{分|ぷん}"
        );
        assert_eq!(at("2026-04-01"), "2026{年|ねん}4{月|がつ}{1日|ついたち}");
        assert_eq!(at("2026-04-20"), "2026{年|ねん}4{月|がつ}{20日|はつか}");
        assert_eq!(
            at("2026-04-24T17:05"),
            "2026{年|ねん}4{月|がつ}{24日|にじゅうよっか} {午後|ごご}5{時|じ}5{分|ふん}"
        );
        assert_eq!(at("2026-04"), "2026{年|ねん}4{月|がつ}");
        // Standard Japanese keeps the era year and shows no time.
        assert_eq!(
            display(
                &parse_moment("2025-11-12T09:30").unwrap(),
                DateStyle::Japanese
            )
            .text,
            "2025年（令和7年）11月12日"
        );
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn japanese_dates_carry_the_era_year() {
        assert_eq!(japanese(ymd(2025, 11, 12)), "2025年（令和7年）11月12日");
        assert_eq!(japanese(ymd(2019, 5, 1)), "2019年（令和元年）5月1日");
        assert_eq!(japanese(ymd(2019, 4, 30)), "2019年（平成31年）4月30日");
        assert_eq!(japanese(ymd(2014, 1, 6)), "2014年（平成26年）1月6日");
    }

    #[test]
    fn years_and_fiscal_years_carry_their_era() {
        use DateStyle::*;
        assert_eq!(year(2014, Japanese), "2014年（平成26年）");
        assert_eq!(year(2014, JapaneseWestern), "2014{年|ねん}");
        assert_eq!(fiscal_year(2024, JapaneseWestern), "2024{年度|ねんど}");
        assert_eq!(year(2014, DayMonthYear), "2014");
        assert_eq!(fiscal_year(2024, Japanese), "2024年度（令和6年度）");
        assert_eq!(fiscal_year(2019, Japanese), "2019年度（令和元年度）");
        assert_eq!(fiscal_year(1988, Japanese), "1988年度（昭和63年度）");
        assert_eq!(
            fiscal_year(2024, DayMonthYear),
            "fiscal year 2024 (April 2024 to March 2025)"
        );
        assert_eq!(
            day_or_month(ymd(2015, 8, 1), false, Japanese),
            "2015年（平成27年）8月"
        );
        assert_eq!(
            day_or_month(ymd(2015, 8, 1), false, DayMonthYear),
            "August 2015"
        );
        assert_eq!(
            day_or_month(ymd(2025, 11, 12), true, JapaneseWestern),
            "2025{年|ねん}11{月|がつ}12{日|にち}"
        );
    }

    #[test]
    fn english_dates_are_day_month_year() {
        assert_eq!(english(ymd(2025, 11, 12)), "12 November 2025");
        assert_eq!(english(ymd(2014, 1, 6)), "6 January 2014");
    }

    #[test]
    fn parses_the_forms_staff_write() {
        let d = parse_moment("2026-04-08").unwrap();
        assert!(!d.has_time);
        assert_eq!(
            d.rfc822().as_deref(),
            Some("Wed, 08 Apr 2026 00:00:00 +0900")
        );
        let t = parse_moment("2026-04-08T09:30").unwrap();
        assert_eq!(
            t.rfc822().as_deref(),
            Some("Wed, 08 Apr 2026 09:30:00 +0900")
        );
        let utc = parse_moment("2026-04-08T00:00:00Z").unwrap();
        assert_eq!(
            utc.rfc822().as_deref(),
            Some("Wed, 08 Apr 2026 09:00:00 +0900")
        );
    }

    #[test]
    fn a_month_only_date_never_shows_a_day() {
        let m = parse_moment("2015-08").unwrap();
        assert!(m.month_only);
        assert_eq!(m.iso(), "2015-08");
        assert_eq!(
            display(&m, DateStyle::Japanese).text,
            "2015年（平成27年）8月"
        );
        assert_eq!(display(&m, DateStyle::DayMonthYear).text, "August 2015");
        assert_eq!(m.rfc822(), None, "a feed date names a day");
        assert_eq!(
            parse_moment("2015-08-03").unwrap().rfc822().as_deref(),
            Some("Mon, 03 Aug 2015 00:00:00 +0900")
        );
    }

    #[test]
    fn everyday_dates_are_read_for_the_form_the_site_takes() {
        let read = |text: &str| everyday_date(text).map(|d| d.format("%Y-%m-%d").to_string());
        for (written, iso) in [
            ("2026/4/8", "2026-04-08"),
            ("2026/04/08", "2026-04-08"),
            ("2026.4.8", "2026-04-08"),
            ("2026年4月8日", "2026-04-08"),
            ("２０２６年４月８日", "2026-04-08"),
            ("２０２６／４／８", "2026-04-08"),
            ("令和8年4月8日", "2026-04-08"),
            ("令和８年４月８日", "2026-04-08"),
            ("令和元年5月1日", "2019-05-01"),
            ("令和1年5月1日", "2019-05-01"),
            ("平成31年4月30日", "2019-04-30"),
            ("平成元年1月8日", "1989-01-08"),
            ("平成27年8月1日", "2015-08-01"),
            ("昭和64年1月7日", "1989-01-07"),
        ] {
            assert_eq!(read(written).as_deref(), Some(iso), "{written}");
        }
        for wrong in [
            // Before 令和 began, and after 平成 ended.
            "令和元年4月30日",
            "平成31年5月1日",
            "平成元年1月7日",
            "令和0年5月1日",
            "2026/2/30",
            "26/4/8",
            "2026/4",
            "2026年4月8日午後",
            "令和元年",
            "明日",
            "",
        ] {
            assert_eq!(read(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn rejects_slashes_and_impossible_days() {
        assert_eq!(parse_moment("2026/4/8"), None);
        assert_eq!(parse_moment("2026-02-30"), None);
        assert_eq!(parse_moment("2026-4-8"), None);
        assert_eq!(parse_moment(""), None);
    }
}
