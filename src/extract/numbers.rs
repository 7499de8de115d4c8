//! Numbers as Swedish texts write them: digits ("11") or words ("elva", "sju").

/// The number a number word (in lower case) names; "en"/"ett" are articles, not counts.
fn number_word(lower: &str) -> Option<u32> {
    // A `match` on strings compiles to a length switch and a few comparisons: this runs for
    // every word of the sentences that may state a count.
    match lower {
        "två" => Some(2),
        "tre" => Some(3),
        "fyra" => Some(4),
        "fem" => Some(5),
        "sex" => Some(6),
        "sju" => Some(7),
        "åtta" => Some(8),
        "nio" => Some(9),
        "tio" => Some(10),
        "elva" => Some(11),
        "tolv" => Some(12),
        "tretton" => Some(13),
        "fjorton" => Some(14),
        "femton" => Some(15),
        "sexton" => Some(16),
        "sjutton" => Some(17),
        "arton" => Some(18),
        "nitton" => Some(19),
        "tjugo" => Some(20),
        "trettio" => Some(30),
        "fyrtio" => Some(40),
        "femtio" => Some(50),
        "hundra" => Some(100),
        _ => None,
    }
}

/// A count from digits (up to six) or a number word; "en"/"ett" are not counted (they are articles).
pub fn parse(word: &str) -> Option<u32> {
    parse_lower(&word.to_lowercase())
}

/// [`parse`] for a word already in lower case (a token's `lower`).
pub fn parse_lower(lower: &str) -> Option<u32> {
    if !lower.is_empty() && lower.len() <= 6 && lower.bytes().all(|b| b.is_ascii_digit()) {
        return lower.parse().ok();
    }
    number_word(lower)
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
