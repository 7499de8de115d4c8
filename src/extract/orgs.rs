//! Organisations in a sentence: names, short forms and abbreviations from the reference
//! data (`gazetteer`, with genitives "Skatteverkets", "SKR:s", "DIGGs"), "Europaparlamentet
//! och rådet", and organisations outside the reference data by Swedish naming patterns
//! ("…verket", "…myndigheten", "Myndigheten för …", "Statens …", companies ending in "AB"),
//! looked up again with a small edit distance for typos.

mod gazetteer;

pub use gazetteer::{Gazetteer, GazetteerEntry};

use crate::extract::tokens::Token;
use crate::model::{EntityKey, PartialDate, Recognition};

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
        match gazetteer.match_at(tokens, i, at) {
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
            && let Some(entry) = gazetteer.entry_named("Europeiska unionens råd")
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
    use crate::extract::tokens::tokenize;
    use crate::model::Validity;

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
