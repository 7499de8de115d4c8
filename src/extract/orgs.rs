//! Organisation recognition: names, short forms and abbreviations from the
//! reference data (with genitives "Skatteverkets", "SKR:s", "DIGGs"), small
//! typos by a bounded edit distance, and organisations outside the reference
//! data by Swedish naming patterns ("…verket", "…myndigheten", "Myndigheten för
//! …", "Statens …", companies ending in "AB").

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use crate::model::{EntityKey, PartialDate, Recognition, Validity};

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
}

/// A word of text with its character range. It borrows the sentence's text, and its lower
/// case too when that is the same (most words): tokenizing allocates only for capitals.
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

impl Token<'static> {
    /// `&` at character `at`: a word of its own.
    fn ampersand(at: usize) -> Self {
        Token {
            text: "&",
            lower: Cow::Borrowed("&"),
            start: at,
            end: at + 1,
        }
    }
}

/// Words: letters and digits, joined by inner `-`, `:` or `’`; `&` is a word of its own.
/// `text` is `chars` as a string: a token's text is a slice of it.
pub fn tokenize<'t>(chars: &[char], text: &'t str) -> Vec<Token<'t>> {
    // About one word in six characters; a quarter leaves room, so that few sentences regrow.
    let mut tokens = Vec::with_capacity(chars.len() / 4 + 1);
    // The byte offset of `chars[i]` in `text`, kept in step with `i`.
    let mut byte = 0;
    let mut i = 0;
    while i < chars.len() {
        let class = CharClass::of(chars[i]);
        if chars[i] == '&' {
            tokens.push(Token::ampersand(i));
            byte += 1;
            i += 1;
        } else if class.alphanumeric {
            let (start, start_byte) = (i, byte);
            // Whether the word's lower case differs, asked of each character on the way.
            let mut changes = false;
            let mut class = class;
            loop {
                changes |= class.changes_in_lower_case;
                byte += class.utf8_len;
                i += 1;
                let Some(&next) = chars.get(i) else { break };
                class = CharClass::of(next);
                let joined = class.joiner && chars.get(i + 1).is_some_and(|c| super::is_alphanumeric(*c));
                if !class.alphanumeric && !joined {
                    break;
                }
            }
            let word = &text[start_byte..byte];
            tokens.push(Token {
                text: word,
                lower: super::lowered(word, changes),
                start,
                end: i,
            });
        } else {
            byte += class.utf8_len;
            i += 1;
        }
    }
    tokens
}

/// What the tokenizer asks of a character, answered from a table for ASCII (most characters
/// of Swedish prose), where the three questions asked one by one were most of its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CharClass {
    alphanumeric: bool,
    /// `-`, `:`, `’` or `'`: joins two runs of letters and digits into one word.
    joiner: bool,
    changes_in_lower_case: bool,
    utf8_len: usize,
}

impl CharClass {
    #[inline]
    fn of(c: char) -> Self {
        match ASCII_CLASSES.get(c as usize) {
            Some(class) => *class,
            None => Self::non_ascii(c),
        }
    }

    const fn ascii(byte: u8) -> Self {
        Self {
            alphanumeric: byte.is_ascii_alphanumeric(),
            joiner: matches!(byte, b'-' | b':' | b'\''),
            changes_in_lower_case: byte.is_ascii_uppercase(),
            utf8_len: 1,
        }
    }

    fn non_ascii(c: char) -> Self {
        Self {
            alphanumeric: super::is_alphanumeric(c),
            joiner: c == '’',
            changes_in_lower_case: super::lower_case_changes(c),
            utf8_len: c.len_utf8(),
        }
    }
}

static ASCII_CLASSES: [CharClass; 128] = {
    let mut classes = [CharClass::ascii(0); 128];
    let mut byte = 0;
    while byte < 128 {
        classes[byte as usize] = CharClass::ascii(byte);
        byte += 1;
    }
    classes
};

/// An organisation found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The organisation's key.
    pub key: EntityKey,
    /// Its name (official, or as found).
    pub name: String,
    /// How it was recognised.
    pub recognition: Recognition,
    /// The text as written.
    pub surface: String,
    /// First character in the sentence.
    pub start: usize,
    /// Just past the last.
    pub end: usize,
}

fn is_abbreviation(token: &str) -> bool {
    let letters: Vec<char> = token.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

fn starts_upper(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_uppercase)
}

/// Organisations in one sentence (its characters and their `tokens`) of a text dated `at`,
/// longest match first, without overlaps. A name two organisations bore ("Statskontoret")
/// means the one that bore it on that date.
pub fn find(gazetteer: &Gazetteer, chars: &[char], tokens: &[Token], at: Option<PartialDate>) -> Vec<Found> {
    let mut covered = vec![false; tokens.len()];
    let mut found = Vec::new();
    let surface = |from: usize, to: usize| chars[tokens[from].start..tokens[to].end].iter().collect::<String>();

    // 1. Reference names.
    let mut i = 0;
    while i < tokens.len() {
        match reference_match(gazetteer, tokens, i, at) {
            Some((entry, length)) => {
                let last = i + length - 1;
                covered[i..=last].iter_mut().for_each(|c| *c = true);
                found.push(Found {
                    key: entry.key.clone(),
                    name: entry.name.clone(),
                    recognition: Recognition::Reference,
                    surface: surface(i, last),
                    start: tokens[i].start,
                    end: tokens[last].end,
                });
                i = last + 1;
            }
            None => i += 1,
        }
    }

    // 2. "Europaparlamentet och rådet": the Council of the EU.
    for i in 2..tokens.len() {
        if tokens[i].text == "rådet"
            && tokens[i - 1].text == "och"
            && tokens[i - 2].text.starts_with("Europaparlamentet")
            && !covered[i]
            && let Some(entry) = gazetteer.entries.iter().find(|e| e.name == "Europeiska unionens råd")
        {
            covered[i] = true;
            found.push(Found {
                key: entry.key.clone(),
                name: entry.name.clone(),
                recognition: Recognition::Reference,
                surface: tokens[i].text.to_string(),
                start: tokens[i].start,
                end: tokens[i].end,
            });
        }
    }

    // 3. Naming patterns, then a fuzzy look-up of what they found.
    for (from, to) in pattern_spans(tokens, &covered) {
        if covered[from..=to].iter().any(|c| *c) {
            continue;
        }
        covered[from..=to].iter_mut().for_each(|c| *c = true);
        let surface_text = surface(from, to);
        let name = strip_genitive(&surface_text);
        let (key, name, recognition) = match gazetteer.fuzzy(&name) {
            Some(entry) => (entry.key.clone(), entry.name.clone(), Recognition::Reference),
            None => (EntityKey::from_name(&name), name, Recognition::Pattern),
        };
        found.push(Found {
            key,
            name,
            recognition,
            surface: surface_text,
            start: tokens[from].start,
            end: tokens[to].end,
        });
    }
    found.sort_by_key(|f| f.start);
    found
}

fn reference_match<'g>(
    gazetteer: &'g Gazetteer,
    tokens: &[Token],
    i: usize,
    at: Option<PartialDate>,
) -> Option<(&'g GazetteerEntry, usize)> {
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
        .filter_map(|key| gazetteer.by_first_token.get(key))
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
        .map(|label| (&gazetteer.entries[label.entry], label.tokens.len()))
}

/// Institutions that Swedish text names in lower case mid-sentence.
const LOWER_CASE_NAMES: &[&str] = &["regeringen", "regeringskansliet", "riksdagen", "eu-kommissionen"];

/// Endings of Swedish authority names.
const AGENCY_SUFFIXES: &[&str] = &[
    "myndigheten",
    "verket",
    "styrelsen",
    "nämnden",
    "inspektionen",
    "kollegiet",
    "ombudsmannen",
    "institutet",
    "verk",
    "domstolen",
    "rätten",
    "kammaren",
    "centralen",
    "byrån",
];

/// Common nouns that end like authorities ("ramverket", "nätverket").
const COMMON_COMPOUNDS: &[&str] = &[
    "ramverket",
    "nätverket",
    "regelverket",
    "hantverket",
    "kraftverket",
    "konstverket",
    "stödverket",
];

/// Words that are not organisations although they end like one.
const NOT_ORGANISATIONS: &[&str] = &[
    "myndigheten",
    "verket",
    "styrelsen",
    "nämnden",
    "institutet",
    "domstolen",
    "rätten",
    "verk",
    "kammaren",
    "byrån",
];

fn strip_genitive(name: &str) -> String {
    for suffix in [":s", "’s", "'s"] {
        if let Some(stem) = name.strip_suffix(suffix) {
            return stem.to_string();
        }
    }
    if let Some(stem) = name.strip_suffix('s')
        && AGENCY_SUFFIXES
            .iter()
            .any(|suffix| stem.to_lowercase().ends_with(suffix))
    {
        return stem.to_string();
    }
    name.to_string()
}

/// Token ranges (inclusive) that look like organisation names.
fn pattern_spans(tokens: &[Token], covered: &[bool]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if covered[i] {
            continue;
        }
        // Companies: capitalised words (and "&") ending in "AB".
        if token.text == "AB" && i > 0 {
            let mut from = i;
            while from > 0
                && (starts_upper(tokens[from - 1].text) || tokens[from - 1].text == "&")
                && !covered[from - 1]
            {
                from -= 1;
            }
            if from < i && tokens[from].text != "&" {
                spans.push((from, i));
            }
            continue;
        }
        if !starts_upper(token.text) {
            continue;
        }
        // "Myndigheten för …": the lower-case words that follow, up to a stop word.
        if token.text == "Myndigheten" && tokens.get(i + 1).is_some_and(|t| t.text == "för") {
            let to = myndigheten_for_end(tokens, i + 1);
            if to > i + 1 {
                spans.push((i, to));
            }
            continue;
        }
        // "Statens …verk" and single words with an authority ending.
        let lower = strip_genitive(token.text).to_lowercase();
        // A single word names an authority in the definite form ("Fiskeriverket"), never the
        // bare "…verk", and not when it is a common compound ("Tillitsramverket", "nätverket").
        let has_suffix = AGENCY_SUFFIXES
            .iter()
            .filter(|suffix| **suffix != "verk")
            .any(|suffix| lower.ends_with(suffix) && lower.chars().count() > suffix.chars().count() + 2)
            && !COMMON_COMPOUNDS.iter().any(|c| lower.ends_with(c));
        if token.text == "Statens" || token.text == "Svenska" {
            if let Some(next) = tokens.get(i + 1) {
                let next_lower = strip_genitive(next.text).to_lowercase();
                if !starts_upper(next.text) && AGENCY_SUFFIXES.iter().any(|s| next_lower.ends_with(s)) {
                    spans.push((i, i + 1));
                }
            }
            continue;
        }
        if has_suffix && !NOT_ORGANISATIONS.contains(&lower.as_str()) && !lower.contains('-') {
            spans.push((i, i));
        }
    }
    spans
}

/// The last token of "Myndigheten för …" whose "för" is at `for_index`: an
/// optional adjective and a noun, and "och" with one more word ("Myndigheten för
/// vård- och omsorgsanalys", "… för tillväxtpolitiska utvärderingar och analyser").
fn myndigheten_for_end(tokens: &[Token], for_index: usize) -> usize {
    let usable = |t: &Token| !starts_upper(t.text) && !STOP_WORDS.contains(&t.text);
    let mut to = for_index;
    let mut words = 0;
    while let Some(next) = tokens.get(to + 1) {
        if !usable(next) {
            break;
        }
        if next.text == "och" {
            if words > 0 && tokens.get(to + 2).is_some_and(|t| usable(t) && t.text != "och") {
                to += 2;
            }
            break;
        }
        to += 1;
        words += 1;
        let adjective = ["al", "ell", "isk", "iska", "ig", "iga", "a"]
            .iter()
            .any(|ending| next.text.ends_with(ending));
        let continues_with_och = tokens.get(to + 1).is_some_and(|t| t.text == "och");
        if (words >= 2 || !adjective) && !continues_with_och {
            break;
        }
    }
    to
}

/// Words that end the name in "Myndigheten för …".
const STOP_WORDS: &[&str] = &[
    "som", "har", "är", "att", "i", "på", "med", "till", "ska", "kommer", "vill", "var", "blev", "deltar", "samt",
    "men", "eller", "under", "inom", "från", "vid", "om", "kan", "har", "hade", "tar", "ger", "driver", "leder",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokenizer as first written, a character at a time through the standard library's
    /// questions: what the table-driven one must agree with.
    fn tokenize_plainly<'t>(chars: &[char], text: &'t str) -> Vec<Token<'t>> {
        let mut tokens = Vec::new();
        let (mut byte, mut i) = (0, 0);
        while i < chars.len() {
            if chars[i] == '&' {
                tokens.push(Token::ampersand(i));
                byte += 1;
                i += 1;
            } else if chars[i].is_alphanumeric() {
                let (start, start_byte) = (i, byte);
                while i < chars.len()
                    && (chars[i].is_alphanumeric()
                        || matches!(chars[i], '-' | ':' | '’' | '\'')
                            && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric()))
                {
                    byte += chars[i].len_utf8();
                    i += 1;
                }
                let word = &text[start_byte..byte];
                tokens.push(Token {
                    text: word,
                    lower: Cow::Owned(word.to_lowercase()),
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

    #[test]
    fn the_tokenizer_agrees_with_the_plain_one_on_odd_text() {
        // Letters, digits, joiners, `&`, and characters whose lower case is another length
        // or that no table holds (Kelvin sign, dotted capital I, Greek, emoji).
        let alphabet: Vec<char> = "aZz09 -:'’&.,\nÅäÖéÉß\u{212a}\u{130}ΣςΩ😀–\u{a0}²½ǅ".chars().collect();
        let mut seed: u64 = 9;
        for length in 0..400 {
            let text: String = (0..length % 60)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                })
                .collect();
            let chars: Vec<char> = text.chars().collect();
            let (fast, plain) = (tokenize(&chars, &text), tokenize_plainly(&chars, &text));
            assert_eq!(fast, plain, "{text:?}");
        }
        let text = "Skatteverkets och MSB:s e-tjänster – Försäkringskassan & CSN’s 12 möten";
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(tokenize(&chars, text), tokenize_plainly(&chars, text));
    }

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

    fn gazetteer() -> Gazetteer {
        let entry = |name: &str, alts: &[&str]| {
            let labels = std::iter::once(name).chain(alts.iter().copied()).map(str::to_string);
            GazetteerEntry::new(EntityKey::from_name(name), name, labels.collect())
        };
        Gazetteer::new(vec![
            entry("Skatteverket", &["SKV"]),
            entry("Sveriges Kommuner och Regioner", &["SKR"]),
            entry("Myndigheten för digital förvaltning", &["DIGG", "Digg"]),
            entry("Kronofogdemyndigheten", &["Kronofogden"]),
            entry("Statens tjänstepensionsverk", &["SPV"]),
            entry("Centrala studiestödsnämnden", &["CSN"]),
            entry("Länsstyrelserna", &["Länsstyrelsen"]),
            entry("eSamverkansprogrammet", &["eSam"]),
            entry("Europeiska unionens råd", &[]),
            entry("Europaparlamentet", &[]),
            entry("Regeringen", &[]),
        ])
    }

    fn names(text: &str) -> Vec<(String, String, Recognition)> {
        let chars: Vec<char> = text.chars().collect();
        find(&gazetteer(), &chars, &tokenize(&chars, text), None)
            .into_iter()
            .map(|f| (f.name, f.surface, f.recognition))
            .collect()
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

    #[test]
    fn a_name_two_organisations_bore_means_the_one_that_bore_it_then() {
        let date = |s: &str| PartialDate::parse_iso(s);
        let mut renamed = GazetteerEntry::new(
            EntityKey::from_name("Ekonomistyrningsverket"),
            "Statskontoret",
            vec!["Statskontoret".into(), "Ekonomistyrningsverket".into(), "ESV".into()],
        );
        let named = |from: &str, through: Option<&str>| Validity {
            from: date(from),
            through: through.and_then(date),
        };
        renamed.dated_labels = vec![
            ("Ekonomistyrningsverket".into(), named("1998-07-01", Some("2025-12-31"))),
            ("Statskontoret".into(), named("2026-01-01", None)),
        ];
        let mut old = GazetteerEntry::new(
            EntityKey::from_name("Statskontoret gamla"),
            "Statskontoret",
            vec!["Statskontoret".into()],
        );
        old.validity.through = date("2025");
        let gazetteer = Gazetteer::new(vec![renamed, old]);
        let text = "Statskontoret och ESV deltog.";
        let chars: Vec<char> = text.chars().collect();
        let tokens = tokenize(&chars, text);
        let keys = |at: Option<&str>| -> Vec<String> {
            find(&gazetteer, &chars, &tokens, at.and_then(date))
                .into_iter()
                .map(|f| f.key.to_string())
                .collect()
        };
        assert_eq!(keys(Some("2021-12")), ["statskontoret-gamla", "ekonomistyrningsverket"]);
        assert_eq!(
            keys(Some("2026-03-01")),
            ["ekonomistyrningsverket", "ekonomistyrningsverket"]
        );
        // Undated text: the name as it is now.
        assert_eq!(keys(None), ["ekonomistyrningsverket", "ekonomistyrningsverket"]);
    }

    fn just_names(text: &str) -> Vec<String> {
        names(text).into_iter().map(|(n, _, _)| n).collect()
    }

    #[test]
    fn recognises_reference_names_abbreviations_and_genitives() {
        for (text, expected) in [
            ("Skatteverkets vägledning", vec!["Skatteverket"]),
            ("SKR:s Chief Digital Officer", vec!["Sveriges Kommuner och Regioner"]),
            ("genom DIGGs strukturer", vec!["Myndigheten för digital förvaltning"]),
            (
                "Sveriges kommuner och regioner övergår",
                vec!["Sveriges Kommuner och Regioner"],
            ),
            (
                "från Kronofogden och Centrala Studiestödsnämnden (CSN)",
                vec![
                    "Kronofogdemyndigheten",
                    "Centrala studiestödsnämnden",
                    "Centrala studiestödsnämnden",
                ],
            ),
            ("eSams styrgrupp", vec!["eSamverkansprogrammet"]),
            ("Länsstyrelsen anordnade", vec!["Länsstyrelserna"]),
            (
                "mellan Europaparlamentet och rådet om",
                vec!["Europaparlamentet", "Europeiska unionens råd"],
            ),
        ] {
            assert_eq!(just_names(text), expected, "{text}");
        }
    }

    /// Labels sharing their first word are told apart by the second, genitive or not: the
    /// look-up rules labels out by their second word's first byte before comparing them.
    #[test]
    fn labels_sharing_a_first_word_are_told_apart_by_the_second() {
        let entry = |name: &str| GazetteerEntry::new(EntityKey::from_name(name), name, vec![name.to_string()]);
        let gazetteer = Gazetteer::new(vec![
            entry("Statens tjänstepensionsverk"),
            entry("Statens servicecenter"),
            entry("Statens skolverk"),
        ]);
        let found = |text: &str| -> Vec<String> {
            let chars: Vec<char> = text.chars().collect();
            find(&gazetteer, &chars, &tokenize(&chars, text), None)
                .into_iter()
                .map(|f| f.name)
                .collect()
        };
        assert_eq!(
            found("Statens tjänstepensionsverks rapport"),
            ["Statens tjänstepensionsverk"]
        );
        assert_eq!(found("Statens servicecenters kontor"), ["Statens servicecenter"]);
        assert_eq!(
            found("Statens Servicecenter och Statens skolverk"),
            ["Statens servicecenter", "Statens skolverk"]
        );
        assert!(found("Statens tjänster").is_empty());
    }

    #[test]
    fn corrects_small_typos_by_edit_distance() {
        assert_eq!(
            just_names("Camilla Persson på Statens tjänstepensionverk har lett"),
            vec!["Statens tjänstepensionsverk"]
        );
    }

    #[test]
    fn finds_unknown_organisations_by_pattern() {
        let found = names(
            "Christina Wikström, från Wikström & Partners Advokatbyrå AB guidade. Tandvårds- och läkemedelsförmånsverket och Myndigheten för vård- och omsorgsanalys deltog, liksom Fiskeriverkets experter.",
        );
        let pattern: Vec<&str> = found
            .iter()
            .filter(|f| f.2 == Recognition::Pattern)
            .map(|f| f.0.as_str())
            .collect();
        assert_eq!(
            pattern,
            vec![
                "Wikström & Partners Advokatbyrå AB",
                "Myndigheten för vård- och omsorgsanalys",
                "Fiskeriverket"
            ]
        );
    }

    #[test]
    fn does_not_take_common_words_or_lowercase_for_organisations() {
        for text in [
            "ett möte med representanter för byggblock Tillitsramverk.",
            "Tillitsramverket och Nätverket är viktiga.",
            "myndigheten har beslutat",
            "Teams kan inte vara en lösning",
            "kommunens socialnämnd fattar beslut",
            "Myndigheten ska",
            "det skatteverket sa",
            "skr och csn",
        ] {
            assert_eq!(just_names(text), Vec::<String>::new(), "{text}");
        }
    }
}
