//! Events: calendar entries ("- 3 december, koordineringsgrupp arkitektur"),
//! items whose heading names an event ("Temamöte: …", "Nätverksträff för …"),
//! and sentences that date an event ("Den 9 november hade arbetsgruppen ett
//! digitalt informationsmöte"), with type, date, stated participant count and
//! organiser.

use super::{Analysed, groups, numbers};
use crate::model::{EntityKey, GroupRef, PartialDate};

/// Event words and the type they give (stems: "temamötet" starts with "temamöte").
const EVENT_WORDS: &[(&str, &str)] = &[
    ("styrgruppsmöte", "möte"),
    ("temamöte", "temamöte"),
    ("temadag", "temadag"),
    ("nätverksträff", "nätverksträff"),
    ("nätverksmöte", "nätverksträff"),
    ("informationsmöte", "informationsmöte"),
    ("informationsträff", "informationsmöte"),
    ("utbildning", "utbildning"),
    ("workshop", "workshop"),
    ("webbinar", "webbinarium"),
    ("seminari", "seminarium"),
    ("frukostseminari", "seminarium"),
    ("konferens", "konferens"),
    ("hackaton", "hackaton"),
    ("hackathon", "hackaton"),
    ("dialogmöte", "möte"),
    ("stormöte", "möte"),
    ("årsmöte", "möte"),
    ("möte", "möte"),
];

/// The event type a word (in lower case) names ("temamötet" → "temamöte"); plain "möten"
/// (plural) is not an event.
pub fn event_type(lower: &str) -> Option<&'static str> {
    // The shortest stem, "möte", has five bytes: shorter words (half of running text) hold none.
    if lower == "möten" || lower.ends_with("frågor") || lower.len() < "möte".len() {
        return None;
    }
    // The first event word in list order that the word starts with (at most four letters
    // more) or contains ("möte" aside: inside a compound it is too common); one scan of the
    // word finds every stem in it, since this runs for every word of every sentence.
    let fits = |found: &aho_corasick::Match| {
        let stem = EVENT_WORDS[found.pattern().as_usize()].0;
        found.start() == 0 && lower.len() <= stem.len() + 4 || stem != "möte" && lower.len() <= stem.len() + 14
    };
    // Most words contain no stem: `is_match` says so for less than setting up the
    // overlapping search.
    let stems = event_stems();
    if !stems.is_match(lower) {
        return None;
    }
    let first = stems
        .find_overlapping_iter(lower)
        .filter(fits)
        .map(|found| found.pattern().as_usize())
        .min()?;
    Some(EVENT_WORDS[first].1)
}

/// The automaton of [`EVENT_WORDS`]' stems.
fn event_stems() -> &'static aho_corasick::AhoCorasick {
    static STEMS: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    STEMS.get_or_init(|| {
        // A DFA, as for building blocks: the same matches, fewer instructions a byte.
        aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(EVENT_WORDS.iter().map(|(stem, _)| stem))
            .unwrap_or_else(|error| unreachable!("nineteen short stems make an automaton: {error}"))
    })
}

/// The first event word of a sentence: (token index, type).
pub fn event_word(sentence: &Analysed<'_>) -> Option<(usize, &'static str)> {
    sentence
        .tokens
        .iter()
        .enumerate()
        .find_map(|(i, t)| event_type(&t.lower).map(|kind| (i, kind)))
}

/// Whether an event word is the plural of its type ("temamöten", "utbildningarna").
pub fn is_plural(lower: &str, kind: &str) -> bool {
    let Some(rest) = lower.strip_prefix(kind) else {
        return false;
    };
    match rest {
        "n" | "na" => kind.ends_with('e'),
        "ar" | "arna" => !kind.ends_with('e'),
        _ => false,
    }
}

/// "ca 75 deltagare", "de 65 deltagarna", "deltog inte mindre än 30 myndigheter".
pub fn participant_count(sentence: &Analysed<'_>) -> Option<u32> {
    let tokens = &sentence.tokens;
    let lower: Vec<&str> = tokens.iter().map(|t| &*t.lower).collect();
    let took_part = lower
        .iter()
        .any(|w| w.starts_with("deltog") || w.starts_with("deltagit") || *w == "kom");
    // Without such a verb only "… deltagare" states a count: most sentences have neither.
    if !took_part && !lower.iter().any(|w| w.starts_with("deltagar")) {
        return None;
    }
    for (i, word) in lower.iter().enumerate() {
        let in_date = sentence
            .dates
            .iter()
            .any(|d| d.start <= tokens[i].start && tokens[i].start < d.end);
        // "flera hundra deltagare", "några hundra": a size, not a count.
        let vague = i > 0 && ["flera", "några", "många", "par"].contains(&lower[i - 1]) && *word == "hundra";
        let Some(n) = numbers::parse_lower(word).filter(|_| !in_date && !vague) else {
            continue;
        };
        let following = &lower[i + 1..(i + 3).min(lower.len())];
        if following.iter().any(|w| w.starts_with("deltagar")) {
            return Some(n);
        }
        if took_part
            && following
                .first()
                .is_some_and(|w| ["myndigheter", "organisationer", "personer", "medlemmar"].contains(w))
        {
            return Some(n);
        }
    }
    None
}

/// An organiser: "anordnades av ORG", "ORG anordnade", "anordnade ORG en …".
pub fn organiser(sentence: &Analysed<'_>) -> Option<EntityKey> {
    let lower = sentence.lower_words();
    let at = lower
        .iter()
        .position(|w| w.starts_with("anordna") || w.starts_with("arrangera") || *w == "bjöd")?;
    let candidates = [at + 2, at + 1, at.wrapping_sub(1)];
    candidates
        .into_iter()
        .filter(|&k| k < lower.len())
        .filter(|&k| k != at + 2 || lower[at + 1] == "av")
        .find_map(|k| sentence.org_at(k).map(|org| org.key.clone()))
}

/// An event before documents are merged.
#[derive(Debug, Clone)]
pub struct EventFound {
    /// Label.
    pub label: String,
    /// Type.
    pub kind: &'static str,
    /// Date.
    pub date: Option<PartialDate>,
    /// Last day of a range.
    pub end_date: Option<PartialDate>,
    /// Participants.
    pub participants: Option<u32>,
    /// Organiser.
    pub organiser: Option<GroupRef>,
    /// Group it is a meeting of.
    pub about: Option<EntityKey>,
    /// Index of the sentence it was read from.
    pub sentence: usize,
}

/// Whether a heading announces a calendar.
pub fn is_calendar_heading(heading: &str) -> bool {
    let lower = heading.to_lowercase();
    [
        "kalendarium",
        "kalender",
        "kommande aktiviteter",
        "kommande möten",
        "datum att boka",
    ]
    .iter()
    .any(|h| lower.contains(h))
}

/// A calendar entry: a list item that starts with a date, then the label.
pub fn calendar_entry(sentence: &Analysed<'_>, index: usize, issued: Option<PartialDate>) -> Option<EventFound> {
    let first = sentence.dates.first().filter(|d| d.start <= 1 && d.day.is_some())?;
    let rest: String = sentence.sentence.chars[first.end..].iter().collect();
    let label = rest
        .trim_start_matches([',', ':', ' ', '–', '-'])
        .trim()
        .trim_end_matches('.')
        .to_string();
    if label.is_empty() {
        return None;
    }
    let kind = sentence
        .tokens
        .iter()
        .find_map(|t| (t.start >= first.end).then(|| event_type(&t.lower)).flatten())
        .unwrap_or("möte");
    let about = groups::find(sentence).into_iter().next().map(|g| g.key());
    Some(EventFound {
        label: capitalise(&label),
        kind,
        date: first.resolve(issued),
        end_date: first.end_day.and_then(|day| {
            first
                .resolve(issued)
                .and_then(|d| PartialDate::ymd(d.year, d.month?, day))
        }),
        participants: None,
        organiser: None,
        about,
        sentence: index,
    })
}

/// Upper-cases the first letter.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::tests_support::{analyse_text, lexicon};

    #[test]
    fn event_words_and_types() {
        for (word, expected) in [
            ("temamöte", Some("temamöte")),
            ("Temamötet", Some("temamöte")),
            ("styrgruppsmötet", Some("möte")),
            ("informationsträffen", Some("informationsmöte")),
            ("utbildning", Some("utbildning")),
            ("hackaton", Some("hackaton")),
            ("årsmötet", Some("möte")),
            ("möten", None),
            ("mötesfrågor", None),
            ("samarbetsplattform", None),
        ] {
            assert_eq!(event_type(&word.to_lowercase()), expected, "{word}");
        }
    }

    #[test]
    fn plurals_of_event_types() {
        for (word, kind, plural) in [
            ("temamöten", "temamöte", true),
            ("temamötena", "temamöte", true),
            ("utbildningar", "utbildning", true),
            ("temamöte", "temamöte", false),
            ("temamötet", "temamöte", false),
            ("utbildningen", "utbildning", false),
        ] {
            assert_eq!(is_plural(word, kind), plural, "{word}");
        }
    }

    #[test]
    fn participant_counts() {
        let lexicon = lexicon();
        for (text, expected) in [
            (
                "Det var en välbesökt utbildning med ca 75 engagerade deltagare som frågade.",
                Some(75),
            ),
            (
                "I ett grupparbete fick de 65 deltagarna möjlighet att diskutera.",
                Some(65),
            ),
            (
                "Till informationsträffen kom ca 70 deltagare från myndigheter.",
                Some(70),
            ),
            ("I årets hackaton deltog inte mindre än 30 myndigheter i lag.", Some(30)),
            ("där 11 myndigheter deltagit, berättar", Some(11)),
            ("Vi har tre användarberättelser.", None),
            ("Vi har hållit temamöten, ibland med flera hundra deltagare.", None),
            ("Mötet hade hundra deltagare.", Some(100)),
            (
                "Arbetet startade med ett temamöte den 19 november 2021 där deltagarna fick exempel.",
                None,
            ),
        ] {
            let sentences = analyse_text(text, &lexicon);
            assert_eq!(participant_count(&sentences[0]), expected, "{text}");
        }
    }

    #[test]
    fn calendar_entries() {
        let lexicon = lexicon();
        let sentences = analyse_text(
            "- 8 december, temamöte Samordningsgruppen\n- 14–15 december, workshop om AI\n",
            &lexicon,
        );
        let issued = PartialDate::ym(2021, 12);
        let first = calendar_entry(&sentences[0], 0, issued).unwrap();
        assert_eq!(first.label, "Temamöte Samordningsgruppen");
        assert_eq!(first.kind, "temamöte");
        assert_eq!(first.date, PartialDate::ymd(2021, 12, 8));
        assert_eq!(
            first.about.map(|k| k.to_string()).as_deref(),
            Some("samordningsgruppen")
        );
        let second = calendar_entry(&sentences[1], 1, issued).unwrap();
        assert_eq!(second.kind, "workshop");
        assert_eq!(second.end_date, PartialDate::ymd(2021, 12, 15));
    }

    #[test]
    fn organisers() {
        let lexicon = lexicon();
        for (text, expected) in [
            (
                "Nätverksträffen, som denna gång anordnades av Länsstyrelsen, bjöd på en agenda.",
                Some("lansstyrelserna"),
            ),
            (
                "Den 25 november anordnade eSam en utbildning.",
                Some("esamverkansprogrammet"),
            ),
            ("Skatteverket anordnade ett möte.", Some("skatteverket")),
        ] {
            let sentences = analyse_text(text, &lexicon);
            assert_eq!(
                organiser(&sentences[0]).map(|k| k.to_string()).as_deref(),
                expected,
                "{text}"
            );
        }
    }
}
