//! Which language a text is in, by its function words: the extractor reads Swedish, so a
//! newsletter in another language is imported with a note saying why little was found, and
//! its graph states the language it is in.

/// Common Swedish words that are rare in other languages.
static SWEDISH: FunctionWords<30> = FunctionWords::new([
    "och", "att", "det", "som", "för", "på", "är", "med", "av", "till", "den", "har", "en", "ett", "om", "vi", "inte",
    "från", "kommer", "eller", "under", "också", "samt", "vid", "ska", "kan", "sig", "inom", "våra", "vår",
]);

/// Common English words.
static ENGLISH: FunctionWords<30> = FunctionWords::new([
    "the", "and", "of", "to", "is", "in", "that", "for", "with", "on", "are", "was", "be", "this", "by", "from",
    "will", "have", "has", "it", "an", "or", "as", "which", "their", "we", "our", "not", "at", "were",
]);

/// Function words of at most eight bytes, each as [`pack`] makes it, sorted: a word is
/// looked up by one number in a binary search, not compared with each word of its length.
struct FunctionWords<const N: usize>([u64; N]);

impl<const N: usize> FunctionWords<N> {
    const fn new(words: [&str; N]) -> Self {
        let mut packed_words = [0u64; N];
        let mut i = 0;
        while i < N {
            assert!(words[i].len() <= 8, "a function word is longer than eight bytes");
            packed_words[i] = pack(words[i].as_bytes());
            // Insertion sort: the lists are short and sorted once, at compile time.
            let mut k = i;
            while k > 0 && packed_words[k - 1] > packed_words[k] {
                let swap = packed_words[k - 1];
                packed_words[k - 1] = packed_words[k];
                packed_words[k] = swap;
                k -= 1;
            }
            i += 1;
        }
        Self(packed_words)
    }

    fn contains(&self, packed_word: u64) -> bool {
        self.0.binary_search(&packed_word).is_ok()
    }
}

/// Up to eight bytes as one number, the first byte lowest.
const fn pack(bytes: &[u8]) -> u64 {
    let mut packed = 0u64;
    let mut i = 0;
    while i < bytes.len() && i < 8 {
        packed |= (bytes[i] as u64) << (8 * i);
        i += 1;
    }
    packed
}

/// `word` in lower case, [`pack`]ed, when it has at most eight bytes and is ASCII and
/// Latin-1 letters: their lower case (as [`str::to_lowercase`] makes it) is one byte changed,
/// an ASCII capital's or, after the lead byte 0xC3, a Latin-1 capital's ("Å" C3 85 → "å"
/// C3 A5). `None` for any other word.
fn packed_lower(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    if bytes.len() > 8 {
        return None;
    }
    let mut lower = [0u8; 8];
    let mut after_c3 = false;
    for (at, &byte) in bytes.iter().enumerate() {
        lower[at] = if after_c3 {
            after_c3 = false;
            // U+00C0..=U+00DE are capitals but for "×" (U+00D7).
            if (0x80..=0x9e).contains(&byte) && byte != 0x97 {
                byte + 0x20
            } else {
                byte
            }
        } else if byte == 0xc3 {
            after_c3 = true;
            byte
        } else if byte.is_ascii() {
            byte.to_ascii_lowercase()
        } else {
            return None;
        };
    }
    Some(pack(&lower[..bytes.len()]))
}

/// The counts a guess rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guess {
    /// `"sv"`, `"en"`, or `None` when neither language's words dominate.
    pub language: Option<&'static str>,
    /// Words read.
    pub words: usize,
    /// Swedish function words among them.
    pub swedish: usize,
    /// English function words among them.
    pub english: usize,
}

impl Guess {
    /// Counts one word, and the function word it may be.
    fn count(&mut self, word: &str) {
        self.words += 1;
        // Most words are ASCII or Latin-1 letters: lower-cased and looked up as one number.
        // Others lower-case the long way (the Kelvin sign "K" to "k"), if they are no longer
        // than the longest function word (six letters; no character lower-cases to none).
        let lower = match packed_lower(word) {
            Some(lower) => lower,
            None if word.chars().nth(6).is_none() => match packed_lower(&super::lower_case(word)) {
                Some(lower) => lower,
                None => return,
            },
            None => return,
        };
        // "in", "an", "on" etc. are English only; "den", "en" Swedish only: the lists are disjoint.
        let (swedish, english) = (SWEDISH.contains(lower), ENGLISH.contains(lower));
        if swedish {
            self.swedish += 1;
        } else if english {
            self.english += 1;
        }
    }

    /// What to tell the operator when the text is not Swedish (the importer reads Swedish).
    pub fn note(&self) -> Option<String> {
        let what = match self.language {
            Some("sv") => return None,
            Some("en") => "it looks English",
            _ => "the language was not recognised",
        };
        Some(format!(
            "the text does not look Swedish ({} of {} words are Swedish function words, {} English; {what}): \
             the importer reads Swedish, so little may be recognised",
            self.swedish, self.words, self.english
        ))
    }
}

/// Fewer words than this say too little to tell.
const MIN_WORDS: usize = 30;

/// Guesses the language of `text`. Short texts are taken to be Swedish (a calendar entry or a
/// heading tells nothing); otherwise the language whose function words are at least twice as
/// frequent as the other's, if they make up at least one word in twenty.
pub fn guess(text: &str) -> Guess {
    let mut guess = Guess {
        language: None,
        words: 0,
        swedish: 0,
        english: 0,
    };
    // The words: the runs of letters, as `text.split(|c| !c.is_alphabetic())` gives them
    // (without the empty ones).
    let mut word_start = None;
    for (at, c) in text.char_indices() {
        if super::is_alphabetic(c) {
            word_start.get_or_insert(at);
        } else if let Some(from) = word_start.take() {
            guess.count(&text[from..at]);
        }
    }
    if let Some(from) = word_start {
        guess.count(&text[from..]);
    }
    let enough = |count: usize| count * 20 >= guess.words;
    let swedish = guess.swedish >= 2 * guess.english && enough(guess.swedish);
    guess.language = if guess.words < MIN_WORDS || swedish {
        Some("sv")
    } else if guess.english >= 2 * guess.swedish && enough(guess.english) {
        Some("en")
    } else {
        None
    };
    guess
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_are_found_in_any_case_and_nothing_else() {
        let listed = [
            "och", "för", "på", "är", "också", "våra", "kommer", "which", "the", "at",
        ];
        for word in listed {
            let mut chars = word.chars();
            let capitalised: String = chars
                .next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .chain(chars)
                .collect();
            for form in [word.to_string(), word.to_uppercase(), capitalised] {
                let lower = packed_lower(&form).or_else(|| packed_lower(&crate::extract::lower_case(&form)));
                let found = lower.is_some_and(|l| SWEDISH.contains(l) || ENGLISH.contains(l));
                assert!(found, "{form}");
            }
        }
        for word in ["ochs", "fo", "pa", "ar", "ä", "thé", "×", "kommers", "", "o"] {
            let lower = packed_lower(word);
            assert!(
                !lower.is_some_and(|l| SWEDISH.contains(l) || ENGLISH.contains(l)),
                "{word}"
            );
        }
        // A character outside Latin-1 whose lower case is ASCII: the long way.
        assert_eq!(packed_lower("\u{212A}an"), None);
        assert_eq!(guess("\u{212A}an").swedish, 1);
        assert_eq!(packed_lower("ÅÄÖ×ß"), packed_lower("åäö×ß"));
    }

    #[test]
    fn tells_swedish_from_english_and_from_neither() {
        let swedish = "Styrgruppen har beslutat att välkomna tre nya medlemmar och projektet Finansiell status \
            kommer att fortsätta under våren. Det är ett samarbete mellan Skatteverket, Bolagsverket och \
            Försäkringskassan som vi följer med intresse, och arbetet leds av kansliet.";
        assert_eq!(guess(swedish).language, Some("sv"), "{:?}", guess(swedish));
        let english = "The steering group has decided to welcome three new members and the project will \
            continue in the spring. It is a collaboration between the Tax Agency and the Companies \
            Registration Office, which we follow with interest, and the work is led by the secretariat.";
        assert_eq!(guess(english).language, Some("en"), "{:?}", guess(english));
        let finnish = "Ohjausryhmä päätti toivottaa tervetulleeksi kolme uutta jäsentä ja hanke jatkuu keväällä. \
            Kyseessä on verohallinnon ja patentti- ja rekisterihallituksen yhteistyö, jota seuraamme \
            kiinnostuneina, ja työtä johtaa sihteeristö yhdessä kumppaneiden kanssa koko vuoden ajan.";
        assert_eq!(guess(finnish).language, None, "{:?}", guess(finnish));
        assert_eq!(
            guess("- 3 december, koordineringsgrupp arkitektur").language,
            Some("sv")
        );
    }
}
