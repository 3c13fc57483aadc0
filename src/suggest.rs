//! "Did you mean …?": the known name closest to a mistyped one.
//!
//! Owns the one way of suggesting a name, for front-matter keys and link targets alike:
//! the smallest edit distance (a swapped pair of letters counts as one edit), offered
//! only when it is small next to the name's length, so that an unrelated name is never
//! suggested.

/// The candidate closest to `wanted`, if any is close enough to be a typing slip.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(wanted, c), c))
        .filter(|(distance, c)| *distance <= 2.max(c.chars().count() / 3))
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_close_names_are_suggested() {
        let keys = ["title", "menu", "date"];
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("menue", keys), Some("menu"));
        assert_eq!(closest("colour", keys), None);
        let urls = ["/access/", "/about/", "/services/"];
        assert_eq!(closest("/acess/", urls), Some("/access/"));
        assert_eq!(closest("/completely-different-thing/", urls), None);
    }
}
