//! The reference organisations as the extractor matches them: each label split into words
//! and indexed by its first word, a label's dates, genitive endings ("Skatteverkets",
//! "SKR:s"), and the fuzzy look-up by a bounded edit distance.

use rustc_hash::FxHashMap;

use super::starts_upper;
use crate::extract::tokens::{Token, tokenize};
use crate::model::{EntityKey, PartialDate, Validity};

/// One organisation of the reference data, as the extractor needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GazetteerEntry {
    /// Its key.
    pub key: EntityKey,
    /// Its official Swedish name.
    pub name: String,
    /// Every name it goes by: official name, short forms, abbreviations, former names.
    pub labels: Vec<String>,
    /// When the organisation existed (its end, when it has ended).
    pub validity: Validity,
    /// Labels that were in use for a stated time only (the names of a renamed agency).
    pub dated_labels: Vec<(String, Validity)>,
    /// The official names it bore, each with its time (a renamed agency has several).
    pub dated_names: Vec<(String, Validity)>,
}

impl GazetteerEntry {
    /// An organisation of the reference data with no stated dates.
    pub fn new(key: EntityKey, name: &str, labels: Vec<String>) -> Self {
        Self {
            key,
            name: name.to_string(),
            labels,
            validity: Validity::default(),
            dated_labels: Vec::new(),
            dated_names: Vec::new(),
        }
    }

    /// The official name on `date`: the dated name whose time covers it, else the name in
    /// force now ("Ekonomistyrningsverket" in 2021 for the agency named Statskontoret from 2026).
    pub fn name_on(&self, date: Option<PartialDate>) -> &str {
        date.and_then(|date| {
            self.dated_names
                .iter()
                .filter(|(_, validity)| validity.covers(date))
                // Of two names whose records both cover the date (an end not sourced), the later one.
                .max_by_key(|(_, validity)| validity.from)
        })
        .map_or(self.name.as_str(), |(name, _)| name.as_str())
    }

    /// When `label` was a name of this organisation.
    fn validity_of(&self, label: &str) -> Validity {
        self.dated_labels
            .iter()
            .find(|(dated, _)| dated == label)
            .map_or(self.validity, |(_, validity)| *validity)
    }
}

/// A label split into tokens, pointing at its entry; what matching needs of it is worked out
/// once here, since every word of every sentence is compared with the labels it may start.
#[derive(Debug, Clone)]
struct Label {
    entry: usize,
    tokens: Vec<LabelToken>,
    /// Whether its first word is capitalised, and whether it is one of the institutions
    /// Swedish writes in lower case.
    starts_upper: bool,
    lower_case_name: bool,
    validity: Validity,
    /// The first byte a second word of text must start with to match the label's second
    /// word (in the case that word compares in): a word matches only a word it starts with
    /// (itself, or itself with a genitive ending). Most labels that share a first word
    /// ("Sveriges …", "Statens …") are ruled out by it before their words are compared.
    second_starts: Option<u8>,
}

/// A word of a label: abbreviations ("SKR", "MSB") match case-sensitively, words in any case.
#[derive(Debug, Clone)]
struct LabelToken {
    text: String,
    lower: String,
    abbreviation: bool,
}

impl LabelToken {
    fn new(text: String) -> Self {
        Self {
            lower: text.to_lowercase(),
            abbreviation: is_abbreviation(&text),
            text,
        }
    }

    /// The word as text is compared with it: as written for an abbreviation, else in lower case.
    fn compared(&self) -> &str {
        if self.abbreviation { &self.text } else { &self.lower }
    }

    /// The form of a word of text that is compared with this word.
    fn candidate<'w>(&self, word: &'w Token) -> &'w str {
        if self.abbreviation { word.text } else { &word.lower }
    }

    /// Whether a word of text is this word; the last word of a label may carry a genitive
    /// ("Skatteverkets", "SKR:s"), but a plain "s" is not a genitive after another "s".
    fn matches(&self, word: &Token, last: bool) -> bool {
        let (candidate, label) = (self.candidate(word), self.compared());
        candidate == label
            || last
                // Asked first: a genitive is longer than the word and, like every ending, ends in "s".
                && candidate.len() > label.len()
                && candidate.ends_with('s')
                && GENITIVES.iter().any(|suffix| {
                    candidate
                        .strip_suffix(suffix)
                        .is_some_and(|stem| (!stem.ends_with('s') || suffix.len() > 1) && stem == label)
                })
    }
}

/// Genitive endings: "Skatteverkets", "SKR:s", "DIGG’s".
const GENITIVES: [&str; 4] = ["s", ":s", "’s", "'s"];

impl Label {
    /// Whether the word after the first may match the label's second word (always, for a
    /// label of one word): a cheap test before the words are compared.
    fn second_may_match(&self, word: Option<&Token>) -> bool {
        let (Some(byte), Some(second)) = (self.second_starts, self.tokens.get(1)) else {
            return true;
        };
        word.is_some_and(|word| second.candidate(word).as_bytes().first() == Some(&byte))
    }

    /// How well the label fits a text of date `at` when two organisations share it: a name
    /// in use that day first (one with a stated start before one without), then a name still
    /// in use, then a former one.
    fn fitness(&self, at: Option<PartialDate>) -> u8 {
        match at {
            Some(day) if self.validity.covers(day) => 3 + u8::from(self.validity.from.is_some()),
            _ if self.validity.is_current() => 1,
            _ => 0,
        }
    }
}

/// The reference organisations, indexed for matching.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    entries: Vec<GazetteerEntry>,
    /// Labels by their first word in lower case. Every word of every sentence is looked up
    /// here, and the default SipHash took more instructions than the rest of the look-up; its
    /// protection against keys chosen to collide is not needed, as the table is built from the
    /// reference data and only read while text is matched.
    by_first_token: FxHashMap<String, Vec<Label>>,
    /// The labels a fuzzy look-up may return (eight characters or more), by first character,
    /// then in reference order: a look-up compares only those that start as the name does,
    /// and of equally close ones takes the first in the reference data.
    fuzzy_labels: Vec<FuzzyLabel>,
}

/// A label as the fuzzy look-up compares it.
#[derive(Debug, Clone)]
struct FuzzyLabel {
    first: char,
    chars: usize,
    lower: String,
    letters: LetterCounts,
    entry: usize,
}

/// How often each letter occurs in a text, letters folded into 64 buckets: the counts of
/// two texts bound their edit distance from below (an edit changes at most one count up and
/// one down), so most labels are ruled out without computing the distance.
#[derive(Debug, Clone)]
struct LetterCounts([u16; 64]);

impl LetterCounts {
    fn of(text: &str) -> Self {
        let mut counts = [0u16; 64];
        for c in text.chars() {
            let bucket = &mut counts[(u32::from(c) % 64) as usize];
            *bucket = bucket.saturating_add(1);
        }
        Self(counts)
    }

    /// A lower bound of the edit distance between the two texts.
    fn distance_at_least(&self, other: &Self) -> usize {
        let (mut more, mut fewer) = (0usize, 0usize);
        for (a, b) in self.0.iter().zip(&other.0) {
            match a.cmp(b) {
                std::cmp::Ordering::Greater => more += usize::from(a - b),
                std::cmp::Ordering::Less => fewer += usize::from(b - a),
                std::cmp::Ordering::Equal => {}
            }
        }
        more.max(fewer)
    }
}

impl Gazetteer {
    /// Indexes `entries`.
    pub fn new(entries: Vec<GazetteerEntry>) -> Self {
        let mut by_first_token: FxHashMap<String, Vec<Label>> = FxHashMap::default();
        for (index, entry) in entries.iter().enumerate() {
            for label in &entry.labels {
                let tokens: Vec<LabelToken> = tokenize(&label.chars().collect::<Vec<_>>(), label)
                    .into_iter()
                    .map(|t| LabelToken::new(t.text.to_string()))
                    .collect();
                if let Some(first) = tokens.first() {
                    let second_starts = tokens.get(1).and_then(|second| second.compared().bytes().next());
                    by_first_token.entry(first.lower.clone()).or_default().push(Label {
                        second_starts,
                        entry: index,
                        starts_upper: starts_upper(&first.text),
                        lower_case_name: LOWER_CASE_NAMES.contains(&label.to_lowercase().as_str()),
                        tokens,
                        validity: entry.validity_of(label),
                    });
                }
            }
        }
        for labels in by_first_token.values_mut() {
            labels.sort_by_key(|l| std::cmp::Reverse(l.tokens.len()));
        }
        let mut fuzzy_labels: Vec<FuzzyLabel> = entries
            .iter()
            .enumerate()
            .flat_map(|(entry, e)| {
                e.labels.iter().filter_map(move |label| {
                    let lower = label.to_lowercase();
                    Some(FuzzyLabel {
                        first: label.chars().next()?,
                        chars: label.chars().count(),
                        letters: LetterCounts::of(&lower),
                        lower,
                        entry,
                    })
                })
            })
            .filter(|label| label.chars >= 8)
            .collect();
        fuzzy_labels.sort_by_key(|label| label.first);
        Self {
            entries,
            by_first_token,
            fuzzy_labels,
        }
    }

    /// Number of organisations.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The official names of the organisations that exist (no end date).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(|e| e.validity.is_current())
            .map(|e| e.name.as_str())
    }

    /// The entry with this key.
    pub fn entry(&self, key: &EntityKey) -> Option<&GazetteerEntry> {
        self.entries.iter().find(|e| &e.key == key)
    }

    /// The reference entry a name (as found by a pattern) most likely means,
    /// allowing a small edit distance: one edit per ten characters, at least one.
    pub fn fuzzy(&self, name: &str) -> Option<&GazetteerEntry> {
        let lower = name.to_lowercase();
        let length = lower.chars().count();
        let budget = (length / 10).max(1);
        let first = name.chars().next()?;
        let from = self.fuzzy_labels.partition_point(|label| label.first < first);
        let to = self.fuzzy_labels.partition_point(|label| label.first <= first);
        let letters = LetterCounts::of(&lower);
        self.fuzzy_labels[from..to]
            .iter()
            .filter(|label| label.chars.abs_diff(length) <= budget)
            .filter(|label| label.letters.distance_at_least(&letters) <= budget)
            .map(|label| (strsim::levenshtein(&label.lower, &lower), label))
            .filter(|(distance, _)| *distance <= budget)
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, label)| &self.entries[label.entry])
    }

    /// The entry whose official name is `name`.
    pub(super) fn entry_named(&self, name: &str) -> Option<&GazetteerEntry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// The longest label that the words from `tokens[i]` on spell, as its entry and its
    /// number of words; of two organisations that bore it, the one that fits date `at`.
    pub(super) fn match_at(
        &self,
        tokens: &[Token],
        i: usize,
        at: Option<PartialDate>,
    ) -> Option<(&GazetteerEntry, usize)> {
        let first = &tokens[i];
        let capitalised = starts_upper(first.text);
        // Every genitive ending ends in "s": other words (most) need no stripping.
        let genitive = first.lower.ends_with('s');
        let stems = GENITIVES
            .iter()
            .filter(|_| genitive)
            .filter_map(|suffix| first.lower.strip_suffix(suffix));
        std::iter::once(&*first.lower)
            .chain(stems)
            .filter_map(|key| self.by_first_token.get(key))
            .flatten()
            .filter(|label| {
                let n = label.tokens.len();
                // Names are proper nouns: the text capitalises them as the label does, except
                // the few institutions Swedish writes in lower case ("regeringen"). Asked first:
                // a lower-case word ("svenska", "styrelsen") is then compared with few labels.
                (capitalised || !label.starts_upper || label.lower_case_name)
                    && i + n <= tokens.len()
                    && label.second_may_match(tokens.get(i + 1))
                    && label
                        .tokens
                        .iter()
                        .zip(&tokens[i..])
                        .enumerate()
                        .all(|(k, (lt, word))| lt.matches(word, k + 1 == n))
            })
            .max_by_key(|label| (label.tokens.len(), label.fitness(at)))
            .map(|label| (&self.entries[label.entry], label.tokens.len()))
    }
}

/// Institutions that Swedish text names in lower case mid-sentence.
const LOWER_CASE_NAMES: &[&str] = &["regeringen", "regeringskansliet", "riksdagen", "eu-kommissionen"];

fn is_abbreviation(token: &str) -> bool {
    let letters: Vec<char> = token.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_counts_never_exceed_the_edit_distance() {
        let texts = [
            "myndigheten för digital förvaltning",
            "myndigheten för digitalförvaltning",
            "myndigheten för samhällsskydd och beredskap",
            "tjänstepensionverk",
            "pensionsmyndigheten",
            "statens tjänstepensionsverk",
            "",
            "åäö",
        ];
        for a in texts {
            for b in texts {
                let bound = LetterCounts::of(a).distance_at_least(&LetterCounts::of(b));
                assert!(bound <= strsim::levenshtein(a, b), "{a:?} / {b:?}");
            }
        }
        // It rules out what is far: this pair differs in many letters.
        assert!(LetterCounts::of(texts[0]).distance_at_least(&LetterCounts::of(texts[2])) > 3);
    }

    #[test]
    fn an_organisation_is_named_as_it_was_called_on_a_date() {
        let date = |s: &str| PartialDate::parse_iso(s);
        let mut renamed = GazetteerEntry::new(
            EntityKey::from_name("Ekonomistyrningsverket"),
            "Statskontoret",
            vec!["Statskontoret".into(), "Ekonomistyrningsverket".into()],
        );
        renamed.dated_names = vec![
            (
                "Ekonomistyrningsverket".into(),
                Validity {
                    from: date("1998-07-01"),
                    through: date("2025-12-31"),
                },
            ),
            (
                "Statskontoret".into(),
                Validity {
                    from: date("2026-01-01"),
                    through: None,
                },
            ),
        ];
        assert_eq!(renamed.name_on(date("2021-12")), "Ekonomistyrningsverket");
        assert_eq!(renamed.name_on(date("2025-12-31")), "Ekonomistyrningsverket");
        assert_eq!(renamed.name_on(date("2026-01-01")), "Statskontoret");
        assert_eq!(
            renamed.name_on(date("1990")),
            "Statskontoret",
            "before every record: the name now"
        );
        assert_eq!(renamed.name_on(None), "Statskontoret");
        // An old name whose end is not sourced covers every later date; the later record wins.
        renamed.dated_names[0].1.through = None;
        assert_eq!(renamed.name_on(date("2027")), "Statskontoret");
        assert_eq!(renamed.name_on(date("2021")), "Ekonomistyrningsverket");
    }
}
