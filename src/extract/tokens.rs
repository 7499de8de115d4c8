//! The words of a sentence, as every pass reads them: runs of letters and digits joined by
//! an inner `-`, `:` or apostrophe ("e-tjänst", "SKR:s", "CSN’s"), with `&` a word of its
//! own, each with its character range and its lower case.

use std::borrow::Cow;

/// A word of text with its character range. It borrows the sentence's text, and its lower
/// case too when that is the same (most words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'t> {
    /// The word.
    pub text: &'t str,
    /// The word in lower case (made once: most rules compare words case-insensitively).
    pub lower: Cow<'t, str>,
    /// Its first character.
    pub start: usize,
    /// Just past its last character.
    pub end: usize,
}

/// Words: letters and digits, joined by inner `-`, `:` or `’`; `&` is a word of its own.
/// `text` is `chars` as a string: a token's text is a slice of it.
pub fn tokenize<'t>(chars: &[char], text: &'t str) -> Vec<Token<'t>> {
    let joins = |at: usize| {
        matches!(chars[at], '-' | ':' | '’' | '\'') && chars.get(at + 1).is_some_and(|c| c.is_alphanumeric())
    };
    let mut tokens = Vec::new();
    // The byte offset of `chars[i]` in `text`, kept in step with `i`.
    let (mut byte, mut i) = (0, 0);
    while i < chars.len() {
        if chars[i] == '&' || chars[i].is_alphanumeric() {
            let (start, start_byte) = (i, byte);
            if chars[i] == '&' {
                byte += 1;
                i += 1;
            } else {
                while i < chars.len() && (chars[i].is_alphanumeric() || joins(i)) {
                    byte += chars[i].len_utf8();
                    i += 1;
                }
            }
            let word = &text[start_byte..byte];
            tokens.push(Token {
                text: word,
                lower: lower_case(word),
                start,
                end: i,
            });
        } else {
            byte += chars[i].len_utf8();
            i += 1;
        }
    }
    tokens
}

/// `word` in lower case ([`str::to_lowercase`]), borrowed when that is the word itself. A
/// word of lower-case letters is its own lower case (a test below asks this of every
/// character): most words of running text are, and are not lower-cased again.
pub fn lower_case(word: &str) -> Cow<'_, str> {
    if word.chars().all(char::is_lowercase) {
        return Cow::Borrowed(word);
    }
    let lower = word.to_lowercase();
    if lower == word {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(lower)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(&str, String, usize, usize)> {
        let chars: Vec<char> = text.chars().collect();
        tokenize(&chars, text)
            .into_iter()
            .map(|t| (t.text, t.lower.into_owned(), t.start, t.end))
            .collect()
    }

    #[test]
    fn words_are_runs_of_letters_and_digits_with_inner_joiners() {
        let text = "Skatteverkets och MSB:s e-tjänster – Försäkringskassan & CSN’s 12 möten, -x y- a--b";
        let found: Vec<(&str, String)> = words(text).into_iter().map(|(t, l, _, _)| (t, l)).collect();
        let expected = [
            ("Skatteverkets", "skatteverkets"),
            ("och", "och"),
            ("MSB:s", "msb:s"),
            ("e-tjänster", "e-tjänster"),
            ("Försäkringskassan", "försäkringskassan"),
            ("&", "&"),
            ("CSN’s", "csn’s"),
            ("12", "12"),
            ("möten", "möten"),
            ("x", "x"),
            ("y", "y"),
            ("a", "a"),
            ("b", "b"),
        ];
        let expected: Vec<(&str, String)> = expected.iter().map(|(t, l)| (*t, l.to_string())).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn ranges_count_characters_and_texts_are_slices() {
        // Characters of two, three and four bytes before and inside words.
        let text = "Å ”ÄÖ” 😀x\u{212A}elvin ΣΟΦΙΑ";
        let found = words(text);
        assert_eq!(
            found,
            [
                ("Å", "å".to_string(), 0, 1),
                ("ÄÖ", "äö".to_string(), 3, 5),
                ("x\u{212A}elvin", "xkelvin".to_string(), 8, 15),
                ("ΣΟΦΙΑ", "σοφια".to_string(), 16, 21),
            ]
        );
    }

    #[test]
    fn a_lower_case_character_is_its_own_lower_case() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if c.is_lowercase() {
                assert!(c.to_lowercase().eq([c]), "{c:?}");
            }
        }
    }

    #[test]
    fn lower_case_is_to_lowercase_and_borrows_what_does_not_change() {
        for word in [
            "skatteverket",
            "Skatteverket",
            "SKR:s",
            "e-tjänster",
            "ÅTTA",
            "ΣΟΦΙΑ",
            "ǅemal",
            "İstanbul",
            "\u{212A}elvin",
            "straße",
            "",
            "2021",
        ] {
            let lower = lower_case(word);
            assert_eq!(lower, word.to_lowercase(), "{word}");
            assert_eq!(matches!(lower, Cow::Borrowed(_)), word == word.to_lowercase(), "{word}");
        }
    }
}
