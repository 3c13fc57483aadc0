//! Full-width digits read as the ASCII digits they stand for.
//!
//! Japanese text often writes numbers in full width (`０２２９`, `９時`, `２０２６年`).
//! Every reader of numbers in text (phone numbers, dates, times, counts) reads them
//! through this one mapping, so that no two readers disagree on what a digit is.

/// A full-width digit (`０`–`９`) as its ASCII digit; any other character as it is.
pub fn ascii_digit(c: char) -> char {
    match c {
        '０'..='９' => {
            char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
        }
        c => c,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn full_width_digits_read_as_ascii_and_nothing_else_changes() {
        let read: String = "０１２３４５６７８９ 9時 Ａ－"
            .chars()
            .map(super::ascii_digit)
            .collect();
        assert_eq!(read, "0123456789 9時 Ａ－");
    }
}
