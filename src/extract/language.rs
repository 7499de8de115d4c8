//! Which language a text is in, by its function words: the extractor reads Swedish, so a
//! newsletter in another language is imported with a note saying why little was found, and
//! its graph states the language it is in.

/// Common Swedish words that are rare in other languages.
fn is_swedish_function_word(lower: &str) -> bool {
    matches!(
        lower,
        "och"
            | "att"
            | "det"
            | "som"
            | "för"
            | "på"
            | "är"
            | "med"
            | "av"
            | "till"
            | "den"
            | "har"
            | "en"
            | "ett"
            | "om"
            | "vi"
            | "inte"
            | "från"
            | "kommer"
            | "eller"
            | "under"
            | "också"
            | "samt"
            | "vid"
            | "ska"
            | "kan"
            | "sig"
            | "inom"
            | "våra"
            | "vår"
    )
}

/// Common English words.
fn is_english_function_word(lower: &str) -> bool {
    matches!(
        lower,
        "the"
            | "and"
            | "of"
            | "to"
            | "is"
            | "in"
            | "that"
            | "for"
            | "with"
            | "on"
            | "are"
            | "was"
            | "be"
            | "this"
            | "by"
            | "from"
            | "will"
            | "have"
            | "has"
            | "it"
            | "an"
            | "or"
            | "as"
            | "which"
            | "their"
            | "we"
            | "our"
            | "not"
            | "at"
            | "were"
    )
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
    let words = text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty());
    guess_lower(words.map(str::to_lowercase))
}

/// [`guess`] from words already in lower case: the extractor's words of every sentence
/// ([`super::tokens::Token::lower`]), which saves a pass over the whole text.
pub fn guess_lower<W: AsRef<str>>(lower_words: impl IntoIterator<Item = W>) -> Guess {
    let mut guess = Guess {
        language: None,
        words: 0,
        swedish: 0,
        english: 0,
    };
    for lower in lower_words {
        let lower = lower.as_ref();
        guess.words += 1;
        // "in", "an", "on" etc. are English only; "den", "en" Swedish only: the lists are disjoint.
        if is_swedish_function_word(lower) {
            guess.swedish += 1;
        } else if is_english_function_word(lower) {
            guess.english += 1;
        }
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
        let counted = |word: &str| {
            let guess = guess(word);
            guess.swedish + guess.english
        };
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
                assert_eq!(counted(&form), 1, "{form}");
            }
        }
        for word in ["ochs", "fo", "pa", "ar", "ä", "thé", "×", "kommers", "", "o"] {
            assert_eq!(counted(word), 0, "{word}");
        }
        // A character outside Latin-1 whose lower case is ASCII.
        assert_eq!(guess("\u{212A}an").swedish, 1);
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
