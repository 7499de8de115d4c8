//! DIGG's building blocks named in the text ("byggblock Tillitsramverk", "Mina
//! meddelanden", "Säker digital kommunikation", "SDK"): matched by their reference
//! names as whole words, case-insensitively, and tied to the group the section is
//! about, so that "Finansiell status" relates to the Tillitsramverk block.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use super::Analysed;
use crate::model::{BlockMention, EntityKey, Extraction};

/// Building blocks and the names the text may use for them.
#[derive(Debug, Clone, Default)]
pub struct BlockNames {
    entries: Vec<(EntityKey, Vec<String>)>,
    /// Every name of every block, for one pass over a sentence; pattern `k` is `names[k]`.
    automaton: Option<AhoCorasick>,
    /// (entry, name) of each pattern.
    names: Vec<(usize, usize)>,
    /// For each name its longest run of ASCII characters, searched for in the sentence as
    /// written, ASCII capitals or not, and the two other characters that lower-case to ASCII
    /// (see [`Self::may_occur_in`]): a sentence without any names no block, and is not
    /// lower-cased. `None` when a name has no ASCII character.
    prefilter: Option<AhoCorasick>,
}

impl BlockNames {
    /// From (key, names) pairs; names shorter than three characters are ignored.
    pub fn new(entries: Vec<(EntityKey, Vec<String>)>) -> Self {
        let entries: Vec<(EntityKey, Vec<String>)> = entries
            .into_iter()
            .map(|(key, names)| {
                let names = names
                    .into_iter()
                    .filter(|n| n.chars().count() >= 3)
                    .map(|n| n.to_lowercase())
                    .collect();
                (key, names)
            })
            .collect();
        let names: Vec<(usize, usize)> = entries
            .iter()
            .enumerate()
            .flat_map(|(entry, (_, names))| (0..names.len()).map(move |name| (entry, name)))
            .collect();
        // Building fails only for patterns beyond the automaton's size limits, which a list
        // of some dozen names does not reach; without an automaton no block is found.
        // A DFA: every sentence is searched, and a DFA takes a few instructions a byte where
        // the default (an NFA for so few patterns) takes dozens; the matches are the same.
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .build(names.iter().map(|&(entry, name)| &entries[entry].1[name]))
            .ok();
        let runs: Option<Vec<&str>> = names
            .iter()
            .map(|&(entry, name)| longest_ascii_run(&entries[entry].1[name]))
            .collect();
        // The two characters that lower-case to ASCII without being ASCII are among the
        // strings looked for, so that one walk over the sentence answers.
        let prefilter = runs.and_then(|runs| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(runs.into_iter().chain(["\u{212A}", "\u{130}"]))
                .ok()
        });
        Self {
            entries,
            automaton,
            names,
            prefilter,
        }
    }

    /// Whether `text` (as written) may name a block, which then needs lower-casing and the
    /// full search. Its lower case holds a name only if the text holds the name's ASCII run
    /// in either case: a character lower-cases to an ASCII one only if it is ASCII, or the
    /// Kelvin sign ("K" to "k") or "İ" (to "i" and a combining dot), which send the text the
    /// long way.
    fn may_occur_in(&self, text: &str) -> bool {
        match &self.prefilter {
            None => true,
            Some(prefilter) => prefilter.is_match(text),
        }
    }

    /// Every whole-word occurrence of a block name in `lower` (a lower-case sentence):
    /// (entry, name, byte offset), the first occurrence of each name only.
    fn occurrences(&self, lower: &str) -> Vec<(usize, usize, usize)> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        // Most sentences name no block: `is_match` says so for less than setting up the
        // overlapping search, as for event words.
        if !automaton.is_match(lower) {
            return found;
        }
        for hit in automaton.find_overlapping_iter(lower) {
            let (entry, name) = self.names[hit.pattern().as_usize()];
            if is_whole_word(lower, hit.start(), hit.end()) && !found.iter().any(|f| (f.0, f.1) == (entry, name)) {
                found.push((entry, name, hit.start()));
            }
        }
        found
    }

    /// How many blocks are known.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether none are known.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The longest run of ASCII characters in `name`, if it has one.
fn longest_ascii_run(name: &str) -> Option<&str> {
    name.split(|c: char| !c.is_ascii())
        .max_by_key(|run| run.len())
        .filter(|run| !run.is_empty())
}

/// Whether `text[start..end]` is whole words: no letter or digit just before or after.
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Where `name` first occurs in `text` (both lower-case) as whole words.
#[cfg(test)]
fn whole_words(text: &str, name: &str) -> Option<usize> {
    text.match_indices(name)
        .map(|(at, _)| at)
        .find(|&at| is_whole_word(text, at, at + name.len()))
}

/// Whether words matching a block's name name the block rather than saying the ordinary
/// words ("identitet", "mina meddelanden"): an abbreviation, or a capitalised name
/// that does not merely open the sentence, or any form right after "byggblock(et)".
fn names_the_block(before: &str, surface: &str) -> bool {
    let after_byggblock = before
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .is_some_and(|word| word.starts_with("byggblock"));
    let abbreviation = surface.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    let capitalised = surface.chars().next().is_some_and(char::is_uppercase);
    let opens_sentence = before.trim().is_empty();
    after_byggblock || abbreviation || (capitalised && !opens_sentence)
}

/// Records every building block a sentence names, tied to its section's topic group.
pub fn find(
    sentences: &[Analysed<'_>],
    names: &BlockNames,
    topics: &BTreeMap<usize, EntityKey>,
    extraction: &mut Extraction,
) {
    for sentence in sentences {
        let text = &sentence.sentence.text;
        if !names.may_occur_in(text) {
            continue;
        }
        let lower = text.to_lowercase();
        let found = names.occurrences(&lower);
        let name_of = |&(entry, name, _): &(usize, usize, usize)| names.entries[entry].1[name].as_str();
        for (index, (block, _)) in names.entries.iter().enumerate() {
            // The longest name that matches ("Tillitsramverk för Svensk e-legitimation" over "Tillitsramverk").
            let Some(best) = found.iter().filter(|f| f.0 == index).max_by_key(|f| name_of(f).len()) else {
                continue;
            };
            let (name, at) = (name_of(best), best.2);
            // A longer block name covering the same words wins ("Tillitsramverk för Svensk e-legitimation").
            let longer_elsewhere = found.iter().any(|other| {
                let other_name = name_of(other);
                other.0 != index && other_name.len() > name.len() && other_name.contains(name)
            });
            if longer_elsewhere {
                continue;
            }
            let surface: String = text
                .chars()
                .skip(lower[..at].chars().count())
                .take(name.chars().count())
                .collect();
            if !names_the_block(&lower[..at], &surface) {
                continue;
            }
            extraction.blocks.push(BlockMention {
                block: block.clone(),
                surface,
                groups: topics.get(&sentence.sentence.section).cloned().into_iter().collect(),
                evidence: sentence.sentence.evidence(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_words_are_not_blocks() {
        assert!(names_the_block(
            "möte med representanter för byggblock ",
            "Tillitsramverk"
        ));
        assert!(names_the_block("meddelanden skickas via ", "Mina meddelanden"));
        assert!(names_the_block("anslutning till ", "SDK"));
        assert!(!names_the_block("kontroll av ", "identitet"));
        assert!(!names_the_block("", "Identitet"));
        assert!(names_the_block("enligt byggblocket ", "identitet"));
    }

    #[test]
    fn a_news_item_links_its_project_to_the_blocks_it_names() {
        let lexicon = crate::extract::tests_support::lexicon();
        assert!(lexicon.building_blocks.len() > 30);
        let sentences = crate::extract::tests_support::analyse_text(
            "Projektet Digital kvittens\n\nArbetsgruppen ska ansluta till Säker digital kommunikation (SDK) \
             och använda Mina meddelanden. Kontroll av identitet görs av varje myndighet.\n",
            &lexicon,
        );
        let topics: BTreeMap<usize, EntityKey> = sentences
            .iter()
            .map(|s| (s.sentence.section, EntityKey::from_name("Digital kvittens")))
            .collect();
        let mut extraction = Extraction::default();
        find(&sentences, &lexicon.building_blocks, &topics, &mut extraction);
        let named: Vec<String> = extraction.blocks.iter().map(|b| b.block.to_string()).collect();
        assert!(named.contains(&"saker-digital-kommunikation".to_string()), "{named:?}");
        assert!(named.contains(&"mina-meddelanden".to_string()), "{named:?}");
        assert!(!named.contains(&"identitet".to_string()), "{named:?}");
        assert!(
            extraction
                .blocks
                .iter()
                .all(|b| b.groups == [EntityKey::from_name("Digital kvittens")])
        );
    }

    /// The prefilter's premise: no other character lower-cases to an ASCII one.
    #[test]
    fn only_ascii_the_kelvin_sign_and_dotted_capital_i_lower_case_to_ascii() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if !c.is_ascii() && !matches!(c, '\u{212A}' | '\u{130}') {
                assert!(c.to_lowercase().all(|l| !l.is_ascii()), "{c:?}");
            }
        }
    }

    #[test]
    fn capitals_and_odd_characters_still_reach_the_full_search() {
        let lexicon = crate::extract::tests_support::lexicon();
        let names = &lexicon.building_blocks;
        assert!(names.prefilter.is_some());
        assert!(names.may_occur_in("ANSLUTNING TILL SÄKER DIGITAL KOMMUNIKATION"));
        assert!(names.may_occur_in("via Mina Meddelanden"));
        assert!(names.may_occur_in("MIN\u{130} meddelanden"));
        assert!(!names.may_occur_in("Styrgruppen möttes i december."));
        for text in [
            "ANSLUTNING TILL SÄKER DIGITAL KOMMUNIKATION.\n",
            "Vi använder Mina Meddelanden.\n",
        ] {
            let sentences = crate::extract::tests_support::analyse_text(text, &lexicon);
            let mut extraction = Extraction::default();
            find(&sentences, names, &BTreeMap::new(), &mut extraction);
            assert_eq!(extraction.blocks.len(), 1, "{text}");
        }
    }

    #[test]
    fn whole_words_only() {
        assert_eq!(whole_words("byggblock tillitsramverk.", "tillitsramverk"), Some(10));
        assert_eq!(whole_words("tillitsramverken", "tillitsramverk"), None);
        assert_eq!(whole_words("via sdk och", "sdk"), Some(4));
    }
}
