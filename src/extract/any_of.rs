//! Whether a text holds any of a few fixed strings, asked of every word (event words) or
//! every sentence (building-block names) before the full search.
//!
//! An Aho-Corasick DFA walked here byte by byte: `AhoCorasick::is_match` goes through a
//! boxed automaton, an `Input` and the general search loop, which for a word of eight bytes
//! cost more than the walk itself (callgrind, 2026-12-03: about 190 instructions a word).

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, BuildError};

/// A set of strings and the DFA that finds them.
#[derive(Debug, Clone)]
pub struct AnyOf {
    dfa: DFA,
}

impl AnyOf {
    /// The set of `patterns`, found in either ASCII case when `ascii_case_insensitive`.
    pub fn new<I, P>(patterns: I, ascii_case_insensitive: bool) -> Result<Self, BuildError>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        let dfa = DFA::builder()
            .ascii_case_insensitive(ascii_case_insensitive)
            // Without a prefilter no start state is special: the loop below asks one
            // question a byte, and only match states (or none) answer it.
            .prefilter(false)
            .build(patterns)?;
        Ok(Self { dfa })
    }

    /// Whether `haystack` holds one of the strings anywhere.
    pub fn occurs_in(&self, haystack: &[u8]) -> bool {
        // An unanchored DFA (the builder's default) always has an unanchored start state.
        let Ok(mut state) = self.dfa.start_state(Anchored::No) else {
            return true;
        };
        if self.dfa.is_match(state) {
            return true; // an empty string is in every text
        }
        for &byte in haystack {
            state = self.dfa.next_state(Anchored::No, state, byte);
            if self.dfa.is_special(state) {
                // Under the standard match semantics a match state is entered where a
                // string ends. A start state may be special too; walking on is right then.
                if self.dfa.is_match(state) {
                    return true;
                }
                if self.dfa.is_dead(state) {
                    return false;
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_string_anywhere_and_only_then() {
        let set = AnyOf::new(["möte", "temadag", "sdk"], false).expect("three strings make a DFA");
        for text in ["möte", "temamötet", "en temadag i maj", "via sdk", "xsdkx"] {
            assert!(set.occurs_in(text.as_bytes()), "{text}");
        }
        for text in ["", "mö", "möt", "Temadag", "SDK", "dag", "sd k"] {
            assert!(!set.occurs_in(text.as_bytes()), "{text}");
        }
    }

    #[test]
    fn ascii_case_insensitive_finds_either_case() {
        let set = AnyOf::new(["sdk", "mina meddelanden"], true).expect("two strings make a DFA");
        assert!(set.occurs_in(b"Anslut till SDK."));
        assert!(set.occurs_in(b"MINA Meddelanden"));
        assert!(!set.occurs_in(b"Mina medelanden"));
    }

    #[test]
    fn agrees_with_aho_corasick_on_every_prefix_and_suffix() {
        let patterns = ["möte", "årsmöte", "workshop", "hackathon", "hackaton", "ab", "b"];
        let set = AnyOf::new(patterns, true).expect("a DFA");
        let reference = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(patterns)
            .expect("an automaton");
        let text = "Ett årsMÖTE, en WorkShop och ett hackaton: abba, möten och Hackathon.";
        for start in 0..text.len() {
            for end in start..=text.len() {
                let slice = &text.as_bytes()[start..end];
                assert_eq!(
                    set.occurs_in(slice),
                    reference.is_match(slice),
                    "{:?}",
                    String::from_utf8_lossy(slice)
                );
            }
        }
    }
}
