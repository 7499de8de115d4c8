//! Swedish dates in running text: "den 1 december", "19 november 2021",
//! "1 jan 2022", "i januari", "december 2023", "årsskiftet 2021/2022",
//! "2021-12-01", and ranges ("14–15 december"). A missing year is taken from
//! a reference date (the newsletter's issue date) as the nearest such date.

use crate::model::PartialDate;

/// A date found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMention {
    /// Character index where the expression starts.
    pub start: usize,
    /// Just past its end.
    pub end: usize,
    /// Day, if stated.
    pub day: Option<u8>,
    /// Month, if stated.
    pub month: Option<u8>,
    /// Year, if stated.
    pub year: Option<i32>,
    /// Last day of a range ("14–15 december"), if any.
    pub end_day: Option<u8>,
}

impl DateMention {
    /// The date, with the year taken from `reference` (nearest) when the text omits it.
    pub fn resolve(&self, reference: Option<PartialDate>) -> Option<PartialDate> {
        let year = match (self.year, reference) {
            (Some(year), _) => year,
            (None, Some(reference)) => nearest_year(self.month?, reference),
            (None, None) => return None,
        };
        PartialDate::at_precision(year, self.month, self.day.filter(|_| self.month.is_some()))
    }
}

/// The year that puts `month` closest to `reference` ("i januari" in a December issue is next January).
fn nearest_year(month: u8, reference: PartialDate) -> i32 {
    let target = |year: i32| {
        PartialDate {
            year,
            month: Some(month),
            day: None,
        }
        .month_index()
    };
    let here = reference.month_index();
    [reference.year, reference.year - 1, reference.year + 1]
        .into_iter()
        .min_by_key(|year| (target(*year) - here).abs())
        .unwrap_or(reference.year)
}

/// The month a Swedish month name or accepted abbreviation (in lower case) names.
fn month_of_name(lower: &str) -> Option<u8> {
    match lower {
        "januari" | "jan" => Some(1),
        "februari" | "feb" => Some(2),
        "mars" | "mar" => Some(3),
        "april" | "apr" => Some(4),
        "maj" => Some(5),
        "juni" | "jun" => Some(6),
        "juli" | "jul" => Some(7),
        "augusti" | "aug" => Some(8),
        "september" | "sep" | "sept" => Some(9),
        "oktober" | "okt" => Some(10),
        "november" | "nov" => Some(11),
        "december" | "dec" => Some(12),
        _ => None,
    }
}

/// The month number of a Swedish month word (any case, optional trailing full stop).
pub fn month_number(word: &str) -> Option<u8> {
    month_of_name(&word.trim_end_matches('.').to_lowercase())
}

/// A word of the sentence: its text (a slice of the sentence's text) and character range.
#[derive(Debug, Clone)]
struct Token<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

/// The words of `chars`, whose text is `text`: the tokens borrow it, one allocation per
/// sentence rather than one per word.
fn tokens<'t>(chars: &[char], text: &'t str) -> Vec<Token<'t>> {
    let mut tokens = Vec::new();
    // The byte offset of `chars[i]` in `text`, kept in step with `i`.
    let mut byte = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphanumeric() {
            let (start, start_byte) = (i, byte);
            // Digits joined by '/' or '-' stay one token only after a year ("2021/2022", "2021-12-01").
            let starts_with_year = chars.len() >= start + 4 && chars[start..start + 4].iter().all(char::is_ascii_digit);
            while i < chars.len()
                && (chars[i].is_alphanumeric()
                    || starts_with_year
                        && matches!(chars[i], '/' | '-')
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit))
            {
                byte += chars[i].len_utf8();
                i += 1;
            }
            tokens.push(Token {
                text: &text[start_byte..byte],
                start,
                end: i,
            });
        } else {
            if matches!(chars[i], '–' | '-') {
                tokens.push(Token {
                    text: "-",
                    start: i,
                    end: i + 1,
                });
            }
            byte += chars[i].len_utf8();
            i += 1;
        }
    }
    tokens
}

fn year_of(text: &str) -> Option<i32> {
    (text.len() == 4 && text.chars().all(|c| c.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
}

fn day_of(text: &str) -> Option<u8> {
    (text.len() <= 2 && text.chars().all(|c| c.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
        .filter(|d| (1..=31).contains(d))
}

/// Whether a word of `text` is a month's name.
fn names_a_month(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|word| !word.is_empty() && month_number(word).is_some())
}

/// All date expressions in `chars` (whose text is `text`), left to right, without overlaps.
pub fn find(chars: &[char], text: &str) -> Vec<DateMention> {
    // Without a digit, only a month named after a preposition ("i januari") is a date.
    if !text.bytes().any(|b| b.is_ascii_digit()) && !names_a_month(text) {
        return Vec::new();
    }
    find_all(chars, text)
}

/// [`find`] for a sentence already split into `words` ([`super::tokens::tokenize`] of the same
/// text): the words tell whether a month is named without another pass over the characters.
pub fn find_in_words(chars: &[char], text: &str, words: &[super::tokens::Token<'_>]) -> Vec<DateMention> {
    if !text.bytes().any(|b| b.is_ascii_digit()) && !words.iter().any(word_names_a_month) {
        return Vec::new();
    }
    find_all(chars, text)
}

/// Whether a word of the tokenizer names a month. Such a word may join runs of letters by an
/// inner `-`, `:` or apostrophe ("mars-april"), each of which is a word to [`names_a_month`];
/// a word without them is a month name when its lower case (made by the tokenizer) is one.
fn word_names_a_month(word: &super::tokens::Token<'_>) -> bool {
    if word.text.chars().any(|c| matches!(c, '-' | ':' | '\'' | '’')) {
        names_a_month(word.text)
    } else {
        month_of_name(&word.lower).is_some()
    }
}

fn find_all(chars: &[char], text: &str) -> Vec<DateMention> {
    let tokens = tokens(chars, text);
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match date_at(&tokens, i) {
            Some((mention, next)) => {
                found.push(mention);
                i = next;
            }
            None => i += 1,
        }
    }
    found
}

fn date_at(tokens: &[Token], i: usize) -> Option<(DateMention, usize)> {
    let text = |k: usize| tokens.get(k).map(|t| t.text);
    let current = text(i)?;
    // ISO date 2021-12-01.
    if let Some(date) = iso_date(current) {
        return Some((
            DateMention {
                start: tokens[i].start,
                end: tokens[i].end,
                ..date
            },
            i + 1,
        ));
    }
    // "årsskiftet 2021/2022" → the turn of the year, January of the later year.
    if current.eq_ignore_ascii_case("årsskiftet")
        && let Some((_, later)) = text(i + 1).and_then(|t| t.split_once('/'))
        && let Some(year) = year_of(later)
    {
        let mention = DateMention {
            start: tokens[i].start,
            end: tokens[i + 1].end,
            day: None,
            month: Some(1),
            year: Some(year),
            end_day: None,
        };
        return Some((mention, i + 2));
    }
    // Day [– day] month [year].
    if let Some(day) = day_of(current) {
        let (end_day, month_index) = if text(i + 1) == Some("-") && text(i + 2).and_then(day_of).is_some() {
            (text(i + 2).and_then(day_of), i + 3)
        } else {
            (None, i + 1)
        };
        let month = text(month_index).and_then(month_number)?;
        let year = text(month_index + 1).and_then(year_of);
        let last = if year.is_some() { month_index + 1 } else { month_index };
        let mention = DateMention {
            start: tokens[i].start,
            end: tokens[last].end,
            day: Some(day),
            month: Some(month),
            year,
            end_day,
        };
        return Some((mention, last + 1));
    }
    // Month year, or "i|under|från|till|sedan|före|efter month" without a day.
    if let Some(month) = month_number(current) {
        // Short forms ("mar", "jun") alone are too ambiguous without a day or year.
        let is_full_name = current.chars().count() >= 4 || current.eq_ignore_ascii_case("maj");
        if let Some(year) = text(i + 1).and_then(year_of) {
            let mention = DateMention {
                start: tokens[i].start,
                end: tokens[i + 1].end,
                day: None,
                month: Some(month),
                year: Some(year),
                end_day: None,
            };
            return Some((mention, i + 2));
        }
        let preceded = i > 0
            && text(i - 1).is_some_and(|p| {
                [
                    "i", "under", "från", "till", "sedan", "före", "efter", "början", "slutet", "mitten",
                ]
                .contains(&p.to_lowercase().as_str())
            })
            // "i början av april", "i slutet av februari".
            || i > 1
                && text(i - 1).is_some_and(|p| p.eq_ignore_ascii_case("av"))
                && text(i - 2).is_some_and(|p| ["början", "slutet", "mitten"].contains(&p.to_lowercase().as_str()));
        if is_full_name && preceded {
            let mention = DateMention {
                start: tokens[i].start,
                end: tokens[i].end,
                day: None,
                month: Some(month),
                year: None,
                end_day: None,
            };
            return Some((mention, i + 1));
        }
    }
    None
}

fn iso_date(text: &str) -> Option<DateMention> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let year = year_of(y)?;
    let month: u8 = m.parse().ok()?;
    let day: u8 = d.parse().ok()?;
    PartialDate::ymd(year, month, day)?;
    Some(DateMention {
        start: 0,
        end: 0,
        day: Some(day),
        month: Some(month),
        year: Some(year),
        end_day: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_in_words_has_the_dates_of_its_characters() {
        let sentences = [
            "Mötet hölls i januari.",
            "Under mars-april arbetade gruppen.",
            "Nästa möte är i SEPT. med alla.",
            "Vi ses den 1 december!",
            "Ingen månad här, bara ord som marsch och juni’s.",
            "Gruppen träffades i Östersund:maj.",
            "Inget datum alls.",
        ];
        for text in sentences {
            let chars: Vec<char> = text.chars().collect();
            let words = crate::extract::tokens::tokenize(&chars, text);
            assert_eq!(find_in_words(&chars, text, &words), find(&chars, text), "{text}");
        }
        let chars: Vec<char> = "Under mars-april".chars().collect();
        let words = crate::extract::tokens::tokenize(&chars, "Under mars-april");
        assert!(!find_in_words(&chars, "Under mars-april", &words).is_empty());
    }

    fn first(text: &str, reference: Option<PartialDate>) -> Option<String> {
        let chars: Vec<char> = text.chars().collect();
        find(&chars, text)
            .first()
            .and_then(|m| m.resolve(reference))
            .map(PartialDate::iso)
    }

    #[test]
    fn reads_swedish_dates() {
        let december_2021 = PartialDate::ym(2021, 12);
        for (text, expected) in [
            ("På styrgruppsmötet den 1 december, välkomnade", Some("2021-12-01")),
            ("ett temamöte den 19 november 2021 där", Some("2021-11-19")),
            ("Förändringen gäller från 1 januari 2022.", Some("2022-01-01")),
            ("från 1 jan 2022", Some("2022-01-01")),
            ("Grupperna startar arbetet i januari", Some("2022-01")),
            ("kring årsskiftet 2021/2022.", Some("2022-01")),
            ("December 2023", Some("2023-12")),
            ("beslut 2021-12-01 om", Some("2021-12-01")),
            ("- 14–15 december, möte", Some("2021-12-14")),
            ("den 31 februari", None),
            ("Vi ses i mars", Some("2022-03")),
            ("Detta gäller 11 myndigheter", None),
        ] {
            assert_eq!(first(text, december_2021).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn years_are_not_invented_without_a_reference() {
        assert_eq!(first("den 1 december", None), None);
        assert_eq!(first("den 1 december 2021", None).as_deref(), Some("2021-12-01"));
    }

    #[test]
    fn ranges_keep_their_last_day() {
        let text = "14-15 december";
        let chars: Vec<char> = text.chars().collect();
        let found = find(&chars, text);
        assert_eq!(found[0].end_day, Some(15));
    }
}
