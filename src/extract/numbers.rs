//! Numbers as Swedish texts write them: digits ("11") or words ("elva", "sju").

const WORDS: &[(&str, u32)] = &[
    ("en", 1),
    ("ett", 1),
    ("två", 2),
    ("tre", 3),
    ("fyra", 4),
    ("fem", 5),
    ("sex", 6),
    ("sju", 7),
    ("åtta", 8),
    ("nio", 9),
    ("tio", 10),
    ("elva", 11),
    ("tolv", 12),
    ("tretton", 13),
    ("fjorton", 14),
    ("femton", 15),
    ("sexton", 16),
    ("sjutton", 17),
    ("arton", 18),
    ("nitton", 19),
    ("tjugo", 20),
    ("trettio", 30),
    ("fyrtio", 40),
    ("femtio", 50),
    ("hundra", 100),
];

/// A count from digits (up to six) or a number word; "en"/"ett" are not counted (they are articles).
pub fn parse(word: &str) -> Option<u32> {
    if !word.is_empty() && word.len() <= 6 && word.chars().all(|c| c.is_ascii_digit()) {
        return word.parse().ok();
    }
    let lower = word.to_lowercase();
    WORDS
        .iter()
        .find(|(w, _)| *w == lower && *w != "en" && *w != "ett")
        .map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn digits_and_words() {
        assert_eq!(parse("75"), Some(75));
        assert_eq!(parse("elva"), Some(11));
        assert_eq!(parse("Sju"), Some(7));
        assert_eq!(parse("en"), None);
        assert_eq!(parse("2021x"), None);
        assert_eq!(parse("1234567"), None);
    }
}
