//! Japanese phone numbers as a type: read once where a number is written in the data,
//! checked against the shapes Japan's numbering plan allows, and then shown and linked
//! the same way everywhere.
//!
//! Owns what a phone number is. A number that does not have a valid shape, or that is
//! not among the numbers Japan's numbering plan has allocated (as libphonenumber records
//! them), is refused at load, so a typo such as a missing digit stops the build instead
//! of sending a worried reader to the wrong door. Full-width digits and hyphens, as
//! Japanese word processors write them, are accepted and shown half-width; the grouping
//! the author chose is kept, because that is how readers recognise a number
//! (`0229-23-0024`, not `022-923-0024`), and a number written without hyphens is shown
//! grouped at its area code (`0223822456` as `022-382-2456`).

use std::fmt;
use std::sync::LazyLock;

use phonenumber::metadata::Database;
use serde::Serialize;

/// Japan's part of libphonenumber's metadata, read once. The crate's own database holds
/// every country and takes about 70 ms to load, on every build; Japan's alone takes a
/// few. `None` only if the file kept in the program were broken, which a test rules out.
static JAPAN: LazyLock<Option<Database>> =
    LazyLock::new(|| Database::parse(include_str!("phone/jp-metadata.xml")).ok());

/// A phone number with a valid Japanese shape.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PhoneNumber {
    /// As written, in half-width digits with ASCII hyphens: `0229-23-0024`.
    written: String,
    kind: PhoneKind,
}

/// The kinds of number the numbering plan gives people to call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhoneKind {
    /// A fixed line: ten digits, an area code of two to five digits (`0229-23-0024`).
    Fixed,
    /// A mobile number: `070`, `080` or `090` and eight digits.
    Mobile,
    /// An IP phone: `050` and eight digits.
    Ip,
    /// Free dial: `0120` and six digits, or `0800` and seven.
    FreeDial,
    /// Navi dial, charged to the caller: `0570` and six digits.
    NaviDial,
    /// 110 (police), 118 (coast guard) or 119 (fire and ambulance).
    Emergency,
}

/// Why a written number is not a phone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneError {
    Empty,
    /// A character other than digits and hyphens (a space, a bracket, a letter).
    Character(char),
    /// Digits and hyphens, but not a shape the numbering plan allows.
    Shape,
    /// A shape the plan allows, but not a number it has allocated (an area code that
    /// does not exist, a block no carrier holds).
    NotAllocated,
}

/// The three-digit numbers that reach the emergency services.
const EMERGENCY: [&str; 3] = ["110", "118", "119"];

/// Prefixes that are not area codes, with the kind they start and the digit counts
/// (including the leading 0) the plan gives them.
const NON_GEOGRAPHIC: [(&str, PhoneKind, usize); 7] = [
    ("0120", PhoneKind::FreeDial, 10),
    ("0800", PhoneKind::FreeDial, 11),
    ("0570", PhoneKind::NaviDial, 10),
    ("050", PhoneKind::Ip, 11),
    ("070", PhoneKind::Mobile, 11),
    ("080", PhoneKind::Mobile, 11),
    ("090", PhoneKind::Mobile, 11),
];

/// Prefixes reserved for services that are not for people to call (machine-to-machine,
/// pagers, premium lines): never a fixed line's area code.
const NOT_FOR_PEOPLE: [&str; 3] = ["020", "0990", "0180"];

impl PhoneNumber {
    /// Reads a number as staff write it. Full-width digits and the hyphen-like
    /// characters word processors produce are taken as their ASCII forms.
    pub fn parse(text: &str) -> Result<PhoneNumber, PhoneError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(PhoneError::Empty);
        }
        let mut written = String::with_capacity(text.len());
        for c in text.chars() {
            match half_width(c) {
                Some(c) => written.push(c),
                None => return Err(PhoneError::Character(c)),
            }
        }
        let kind = shape(&written).ok_or(PhoneError::Shape)?;
        if kind == PhoneKind::Emergency {
            return Ok(PhoneNumber { written, kind });
        }
        let written = allocated(&written).ok_or(PhoneError::NotAllocated)?;
        Ok(PhoneNumber { written, kind })
    }

    /// The number as Japanese readers write it: `0229-23-0024`, `119`.
    pub fn as_str(&self) -> &str {
        &self.written
    }

    pub fn kind(&self) -> PhoneKind {
        self.kind
    }

    /// A `tel:` URI. Numbers that reach their line from abroad too are in the
    /// international form phones dial from anywhere (`tel:+81-229-23-0024`). Numbers
    /// that work only inside Japan are dialled as written: the emergency numbers
    /// (`tel:119`), free dial (`tel:0120-783-556`) and navi dial (`tel:0570-064-556`),
    /// which have no international form, and which some phones and IP phone services
    /// do not connect when given one.
    pub fn tel_uri(&self) -> String {
        match self.kind {
            PhoneKind::Emergency | PhoneKind::FreeDial | PhoneKind::NaviDial => {
                format!("tel:{}", self.written)
            }
            PhoneKind::Fixed | PhoneKind::Mobile | PhoneKind::Ip => {
                // Every other kind starts with a 0 that is not part of a one-digit group.
                let national = &self.written[1..];
                let separator = if self.written.contains('-') { "-" } else { "" };
                format!("tel:+81{separator}{national}")
            }
        }
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

/// Templates see a number and its link, never a bare string to build a link from.
impl Serialize for PhoneNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("PhoneNumber", 3)?;
        s.serialize_field("number", &self.written)?;
        s.serialize_field("href", &self.tel_uri())?;
        s.serialize_field("kind", &self.kind)?;
        s.end()
    }
}

/// The ASCII digit or hyphen a character stands for, if it stands for one.
fn half_width(c: char) -> Option<char> {
    match c {
        '0'..='9' | '-' => Some(c),
        '０'..='９' => Some(crate::width::ascii_digit(c)),
        // Full-width hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash,
        // minus sign: all typed in place of a hyphen in Japanese documents.
        '－' | '‐' | '‑' | '‒' | '–' | '−' => Some('-'),
        _ => None,
    }
}

/// Phone numbers written in running text, each with its byte offset and as written: ten
/// or eleven digits from a 0, half- or full-width, with or without hyphens or brackets
/// around the area code (`０２２－３８２－２４５６`, `0223822456`, `(022)382-2456`), in a
/// shape Japan's numbering plan allows. A date (`2026-04-08`) or a postal code
/// (`989-6117`) is not one: it does not start with 0, or has too few digits. Whether the
/// number is allocated is not asked here (it costs a pattern match per number, on every
/// page): it belongs in a data file, where it will be.
pub fn numbers_in_text(text: &str) -> Vec<(usize, String)> {
    // Most text has no digit at all; a full-width digit starts with the byte 0xEF.
    if !text.bytes().any(|b| b.is_ascii_digit() || b == 0xEF) {
        return Vec::new();
    }
    let part_of_number = |c: char| half_width(c).is_some() || matches!(c, '(' | ')' | '（' | '）');
    let mut found = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !part_of_number(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(at, next)) = chars.peek() {
            if !part_of_number(next) {
                break;
            }
            end = at + next.len_utf8();
            chars.next();
        }
        let (lead, run) = number_within(&text[start..end]);
        let digits: String = run
            .chars()
            .filter_map(half_width)
            .filter(char::is_ascii_digit)
            .collect();
        if digits.starts_with('0') && (10..=11).contains(&digits.len()) && shape(&digits).is_some()
        {
            found.push((start + lead, run.to_owned()));
        }
    }
    found
}

/// The part of a run of digits, hyphens and brackets that can be a number, with its
/// byte offset in the run: without hyphens at its ends, a bracket that closes or opens
/// nothing in it (`電話 0123-45-0449）` ends at the 9), or brackets around it all.
fn number_within(run: &str) -> (usize, &str) {
    let opens = |s: &str| s.chars().filter(|c| matches!(c, '(' | '（')).count();
    let closes = |s: &str| s.chars().filter(|c| matches!(c, ')' | '）')).count();
    let (mut start, mut end) = (0, run.len());
    loop {
        let part = &run[start..end];
        let Some(last) = part.chars().next_back() else {
            return (start, part);
        };
        let first = part.chars().next().unwrap_or(last);
        if half_width(last) == Some('-')
            || (matches!(last, ')' | '）') && closes(part) > opens(part))
        {
            end -= last.len_utf8();
        } else if half_width(first) == Some('-')
            || (matches!(first, '(' | '（') && opens(part) > closes(part))
        {
            start += first.len_utf8();
        } else if matches!(first, '(' | '（')
            && matches!(last, ')' | '）')
            && opens(part) == 1
            && closes(part) == 1
        {
            // Brackets around the whole number.
            start += first.len_utf8();
            end -= last.len_utf8();
        } else {
            return (start, part);
        }
    }
}

/// The number as it is to be shown, if the numbering plan has allocated it: as written
/// when the author grouped it, else grouped as Japan writes it (`022-382-2456`). Without
/// the metadata (never, as a test proves) every number is taken.
fn allocated(written: &str) -> Option<String> {
    let digits: String = written.chars().filter(char::is_ascii_digit).collect();
    let Some(japan) = JAPAN.as_ref() else {
        return Some(written.to_owned());
    };
    let number =
        phonenumber::parse_with(japan, Some(phonenumber::country::Id::JP), &digits).ok()?;
    if !phonenumber::is_valid_with(japan, &number) {
        return None;
    }
    // Grouping reads the numbering plan's formats, whose patterns take tens of
    // milliseconds to prepare: only for a number that needs it.
    if written.contains('-') {
        return Some(written.to_owned());
    }
    let national = number
        .format_with(japan)
        .mode(phonenumber::Mode::National)
        .to_string();
    // The national form keeps every digit, the leading 0 included, with hyphens only.
    let same = national
        .chars()
        .filter(char::is_ascii_digit)
        .eq(digits.chars())
        && national.chars().all(|c| c.is_ascii_digit() || c == '-');
    Some(if same { national } else { written.to_owned() })
}

/// The kind of a number written with ASCII digits and hyphens, if its shape is valid.
fn shape(written: &str) -> Option<PhoneKind> {
    let groups: Vec<&str> = written.split('-').collect();
    if groups.iter().any(|g| g.is_empty()) {
        return None;
    }
    let digits: String = groups.concat();
    if groups.len() == 1 && EMERGENCY.contains(&digits.as_str()) {
        return Some(PhoneKind::Emergency);
    }
    if !digits.starts_with('0') || digits[1..].starts_with('0') || groups.len() > 3 {
        return None;
    }
    if NOT_FOR_PEOPLE.iter().any(|p| digits.starts_with(p)) {
        return None;
    }
    if let Some(&(prefix, kind, length)) =
        NON_GEOGRAPHIC.iter().find(|(p, ..)| digits.starts_with(p))
    {
        let grouped_at_prefix = groups.len() == 1 || groups[0] == prefix;
        return (digits.len() == length && grouped_at_prefix).then_some(kind);
    }
    fixed_line(&groups, &digits).then_some(PhoneKind::Fixed)
}

/// Ten digits; when grouped, an area code of two to five digits (its 0 included), a
/// local exchange of one to four, and four subscriber digits.
fn fixed_line(groups: &[&str], digits: &str) -> bool {
    if digits.len() != 10 {
        return false;
    }
    match groups {
        [_] => true,
        [area, local, subscriber] => {
            (2..=5).contains(&area.len()) && (1..=4).contains(&local.len()) && subscriber.len() == 4
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Result<PhoneKind, PhoneError> {
        PhoneNumber::parse(text).map(|p| p.kind())
    }

    #[test]
    fn fixed_lines_keep_their_grouping_and_link_internationally() {
        let n = PhoneNumber::parse("0229-23-0024").unwrap();
        assert_eq!(n.kind(), PhoneKind::Fixed);
        assert_eq!(n.as_str(), "0229-23-0024");
        assert_eq!(n.tel_uri(), "tel:+81-229-23-0024");
        let sendai = PhoneNumber::parse("022-718-4343").unwrap();
        assert_eq!(sendai.tel_uri(), "tel:+81-22-718-4343");
        let tokyo = PhoneNumber::parse("03-1234-5678").unwrap();
        assert_eq!(tokyo.tel_uri(), "tel:+81-3-1234-5678");
        // Written without hyphens, grouped at its area code as Japan writes it.
        let ungrouped = PhoneNumber::parse("0229230024").unwrap();
        assert_eq!(ungrouped.as_str(), "0229-23-0024");
        assert_eq!(ungrouped.tel_uri(), "tel:+81-229-23-0024");
        let sendai = PhoneNumber::parse("０２２３８２２４５６").unwrap();
        assert_eq!(sendai.as_str(), "022-382-2456");
        assert_eq!(
            PhoneNumber::parse("0120783556").unwrap().as_str(),
            "0120-783-556"
        );
    }

    #[test]
    fn full_width_digits_and_hyphens_are_read_and_shown_half_width() {
        let n = PhoneNumber::parse("０２２９－２３－００２４").unwrap();
        assert_eq!(n.as_str(), "0229-23-0024");
        assert_eq!(
            PhoneNumber::parse("0229‐23‐0024").unwrap().as_str(),
            "0229-23-0024"
        );
        assert_eq!(
            PhoneNumber::parse(" 0229-23-0024 ").unwrap().as_str(),
            "0229-23-0024"
        );
    }

    #[test]
    fn every_kind_of_number_people_call() {
        assert_eq!(kind("090-1234-5678"), Ok(PhoneKind::Mobile));
        assert_eq!(kind("070-1234-5678"), Ok(PhoneKind::Mobile));
        assert_eq!(kind("050-1234-5678"), Ok(PhoneKind::Ip));
        assert_eq!(kind("0120-783-556"), Ok(PhoneKind::FreeDial));
        assert_eq!(kind("0120-27-9338"), Ok(PhoneKind::FreeDial));
        assert_eq!(kind("0800-123-4567"), Ok(PhoneKind::FreeDial));
        assert_eq!(kind("0570-064-556"), Ok(PhoneKind::NaviDial));
        assert_eq!(kind("119"), Ok(PhoneKind::Emergency));
        assert_eq!(kind("110"), Ok(PhoneKind::Emergency));
        assert_eq!(kind("１１９"), Ok(PhoneKind::Emergency));
        assert_eq!(
            PhoneNumber::parse("119").unwrap().tel_uri(),
            "tel:119",
            "emergency numbers have no international form"
        );
        assert_eq!(
            PhoneNumber::parse("0229-23-0024").unwrap().tel_uri(),
            "tel:+81-229-23-0024",
            "a fixed line is dialled in the international form"
        );
        assert_eq!(
            PhoneNumber::parse("090-1234-5678").unwrap().tel_uri(),
            "tel:+81-90-1234-5678"
        );
    }

    #[test]
    fn numbers_that_work_only_inside_japan_are_dialled_as_written() {
        for (written, uri) in [
            ("0120-783-556", "tel:0120-783-556"),
            ("0120-27-9338", "tel:0120-27-9338"),
            ("0800-123-4567", "tel:0800-123-4567"),
            ("0570-064-556", "tel:0570-064-556"),
            // Written without hyphens, shown and dialled grouped.
            ("0570064556", "tel:0570-064-556"),
            ("110", "tel:110"),
        ] {
            assert_eq!(
                PhoneNumber::parse(written).unwrap().tel_uri(),
                uri,
                "{written}"
            );
        }
    }

    #[test]
    fn wrong_shapes_are_refused() {
        for bad in [
            "0229-23-002",   // a digit short
            "0229-23-00244", // a digit too many
            "229-23-0024",   // no leading 0
            "0029-23-0024",  // no area code starts 00
            "0570-046-5566", // navi dial is ten digits
            "090-1234-567",  // mobile is eleven
            "0120-783-5566", // 0120 is ten digits
            "012-0783-556",  // 0120 split inside its prefix
            "0229-230-024",  // subscriber part is four digits
            "0229--23-0024", // empty group
            "-0229-23-0024", // leading hyphen
            "0229-2-3-0024", // four groups
            "020-1234-5678", // machine-to-machine, not for people
            "123",           // not an emergency number
            "0229-23",       // too short
        ] {
            assert_eq!(kind(bad), Err(PhoneError::Shape), "{bad}");
        }
        assert_eq!(kind(""), Err(PhoneError::Empty));
        assert_eq!(kind("  "), Err(PhoneError::Empty));
        assert_eq!(kind("0229 23 0024"), Err(PhoneError::Character(' ')));
        assert_eq!(kind("(0229)23-0024"), Err(PhoneError::Character('(')));
        assert_eq!(kind("+81-229-23-0024"), Err(PhoneError::Character('+')));
    }

    /// A number of a valid shape that Japan has not allocated is refused: `021` is no
    /// area code, and `0229-23-0024` with a digit dropped from its area code is another
    /// shape.
    #[test]
    fn numbers_japan_has_not_allocated_are_refused() {
        assert_eq!(kind("021-123-4567"), Err(PhoneError::NotAllocated));
        assert_eq!(kind("0211234567"), Err(PhoneError::NotAllocated));
        for allocated in [
            "0229-23-0024",
            "022-718-4343",
            "022-285-3581",
            "0120-783-556",
            "0570-064-556",
            "0800-123-4567",
            "090-1234-5678",
            "050-1234-5678",
        ] {
            assert!(PhoneNumber::parse(allocated).is_ok(), "{allocated}");
        }
    }

    /// The file of Japan's metadata kept in the program parses, and agrees with the
    /// crate's whole database: on every number above and on a sweep of area codes.
    #[test]
    fn the_japanese_metadata_kept_here_agrees_with_the_crates_own() {
        let japan = JAPAN.as_ref().expect("jp-metadata.xml parses");
        let jp = Some(phonenumber::country::Id::JP);
        let mut compared = 0;
        for area in 11..=999u32 {
            for tail in ["2345678", "9876543", "3000000"] {
                let digits = format!("0{area}{tail}");
                let digits = &digits[..10];
                let ours = phonenumber::parse_with(japan, jp, digits)
                    .map(|n| phonenumber::is_valid_with(japan, &n))
                    .unwrap_or(false);
                let theirs = phonenumber::parse(jp, digits)
                    .map(|n| phonenumber::is_valid(&n))
                    .unwrap_or(false);
                assert_eq!(ours, theirs, "{digits}");
                compared += 1;
            }
        }
        assert!(compared > 2000);
    }

    #[test]
    fn numbers_typed_into_text_are_found_in_any_width_and_grouping() {
        let found = numbers_in_text("お問い合わせは ０２２－３８２－２４５６ まで。");
        assert_eq!(found, [(22, "０２２－３８２－２４５６".to_owned())]);
        assert_eq!(
            numbers_in_text("電話 0223822456、(022)382-2456")[1].1,
            "(022)382-2456"
        );
        assert_eq!(numbers_in_text("電話 0223822456、(022)382-2456").len(), 2);
        // A bracket around the number is not part of it.
        assert_eq!(
            numbers_in_text("保険年金課（電話 0123-45-0449）"),
            [(25, "0123-45-0449".to_owned())]
        );
        assert_eq!(numbers_in_text("（0223822456）")[0].1, "0223822456");
        for not_a_number in [
            "2026-04-08 に開催",
            "〒989-6117",
            "141ページ、30の事例",
            "0120",
            "0012-345-6789",
            "no digits at all",
        ] {
            assert_eq!(numbers_in_text(not_a_number), [], "{not_a_number}");
        }
    }
}
