//! Sentence splitting for Swedish prose: splits after `.`, `!`, `?` (and `:` at
//! a line end) when the next word starts a sentence, but not after common
//! abbreviations ("bl.a.", "t.ex.", "d.v.s.", "ca.") or initials.

/// A sentence as a range of character indices in its block's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceRange {
    /// First character.
    pub start: usize,
    /// Just past the last character.
    pub end: usize,
}

const ABBREVIATIONS: &[&str] = &[
    "bl.a", "t.ex", "d.v.s", "dvs", "m.m", "ca", "t.o.m", "fr.o.m", "s.k", "jfr", "resp", "inkl", "exkl", "el", "nr",
    "kl", "tel", "st", "osv", "etc", "mfl", "m.fl", "a.k.a", "f.d", "p.g.a", "pga", "bl", "t", "ev", "dr", "prof",
];

/// Splits `chars` (a block's text) into sentences; whitespace between sentences is dropped.
pub fn split(chars: &[char]) -> Vec<SentenceRange> {
    let mut sentences = Vec::new();
    let mut start = skip_space(chars, 0);
    let mut i = start;
    while i < chars.len() {
        // Straight to the next character that can end a sentence.
        let Some(next) = next_stop(chars, i) else {
            break;
        };
        i = next;
        // A line break always ends a sentence; a full stop, `!` or `?` when the next word starts one.
        let line_break = chars[i] == '\n';
        if line_break || is_boundary(chars, i) {
            let end = if line_break { i } else { extend_closers(chars, i + 1) };
            push(&mut sentences, chars, start, end);
            start = skip_space(chars, end);
            i = start;
        } else {
            i += 1;
        }
    }
    push(&mut sentences, chars, start, chars.len());
    sentences
}

/// The first index from `from` on whose character may end a sentence (`.`, `!`, `?`, a line
/// break).
fn next_stop(chars: &[char], from: usize) -> Option<usize> {
    let at = chars
        .get(from..)?
        .iter()
        .position(|c| matches!(c, '.' | '!' | '?' | '\n'))?;
    Some(from + at)
}

/// The longest sentence passed on, in characters. Every fact quotes its sentence and several
/// passes look across a sentence, so a text with a run of prose that never ends a sentence
/// (one line of 1 MB) cost memory of its length times the facts in it: 24 GB for 1 MB. Real
/// sentences are far shorter (the longest in the bundled newsletters: about 400 characters),
/// so a run longer than this is cut into pieces at spaces, and memory stays linear.
pub const MAX_SENTENCE_CHARS: usize = 1_000;

fn push(sentences: &mut Vec<SentenceRange>, chars: &[char], start: usize, end: usize) {
    let mut start = start;
    loop {
        let mut end = end;
        while end > start && chars[end - 1].is_whitespace() {
            end -= 1;
        }
        if end <= start {
            return;
        }
        if end - start <= MAX_SENTENCE_CHARS {
            sentences.push(SentenceRange { start, end });
            return;
        }
        let mut piece_end = cut_point(chars, start);
        while chars[piece_end - 1].is_whitespace() {
            piece_end -= 1;
        }
        sentences.push(SentenceRange { start, end: piece_end });
        start = skip_space(chars, piece_end);
    }
}

/// Where a piece of an over-long run starting at `start` ends: after the last space of its
/// second half, so that no word is cut; at the limit itself when that half has none.
fn cut_point(chars: &[char], start: usize) -> usize {
    let limit = start + MAX_SENTENCE_CHARS;
    (start + MAX_SENTENCE_CHARS / 2..limit)
        .rev()
        .find(|&i| chars[i].is_whitespace())
        .unwrap_or(limit)
}

fn skip_space(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    i
}

fn extend_closers(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && matches!(chars[i], '"' | '”' | '’' | '\'' | ')' | '»' | '.' | '!' | '?') {
        i += 1;
    }
    i
}

/// Whether the punctuation at `i` ends a sentence.
fn is_boundary(chars: &[char], i: usize) -> bool {
    let after = extend_closers(chars, i + 1);
    let Some(&space) = chars.get(after) else {
        return true;
    };
    if !space.is_whitespace() {
        return false;
    }
    let next = skip_space(chars, after);
    let Some(&next_char) = chars.get(next) else {
        return true;
    };
    // Brand-like words start sentences in lower case: "eSams styrgrupp har beslutat".
    let camel_case = next_char.is_lowercase() && chars.get(next + 1).is_some_and(|c| c.is_uppercase());
    let starts_sentence = next_char.is_uppercase()
        || camel_case
        || next_char.is_ascii_digit()
        || matches!(next_char, '-' | '–' | '"' | '”' | '(' | '•');
    if !starts_sentence {
        return false;
    }
    if chars[i] != '.' {
        return true;
    }
    // The word before the full stop: an abbreviation or a single initial does not end a sentence.
    let word_start = chars[..i]
        .iter()
        .rposition(|c| c.is_whitespace() || *c == '(')
        .map_or(0, |p| p + 1);
    let word: String = chars[word_start..i].iter().collect::<String>().to_lowercase();
    let is_initial = word.chars().count() == 1 && word.chars().all(char::is_alphabetic) && next_char.is_uppercase();
    !(ABBREVIATIONS.contains(&word.as_str()) || is_initial)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_stop_is_found_from_any_index() {
        for (at, stop) in [(0, '.'), (15, '!'), (16, '?'), (17, '\n'), (40, '.')] {
            let mut chars = vec!['a'; 50];
            chars[at] = stop;
            assert_eq!(next_stop(&chars, 0), Some(at), "{at}");
            assert_eq!(next_stop(&chars, at), Some(at), "{at}");
            assert_eq!(next_stop(&chars, at + 1), None, "{at}");
        }
        assert_eq!(next_stop(&['a'; 3], 3), None);
        assert_eq!(next_stop(&['a'; 3], 4), None);
    }

    fn sentences(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        split(&chars)
            .into_iter()
            .map(|r| chars[r.start..r.end].iter().collect())
            .collect()
    }

    #[test]
    fn a_run_that_never_ends_a_sentence_is_cut_at_spaces_into_bounded_pieces() {
        let words = ["Skatteverket", "och", "Försäkringskassan", "samt", "MSB,"];
        let run: String = (0..40_000)
            .map(|i| words[i % words.len()])
            .collect::<Vec<_>>()
            .join(" ");
        let pieces = sentences(&run);
        assert!(pieces.len() > 200, "{}", pieces.len());
        for piece in &pieces {
            let length = piece.chars().count();
            assert!(
                (MAX_SENTENCE_CHARS / 2 - 20..=MAX_SENTENCE_CHARS).contains(&length) || piece == pieces.last().unwrap()
            );
            assert!(!piece.starts_with(' ') && !piece.ends_with(' '));
            assert!(
                words.contains(&piece.split(' ').next().unwrap()),
                "a word was cut: {piece:.40}"
            );
        }
        assert_eq!(pieces.join(" "), run, "nothing lost, nothing doubled");
        // Without a space to cut at, the piece ends at the limit.
        let solid = "x".repeat(2 * MAX_SENTENCE_CHARS + 7);
        let lengths: Vec<usize> = sentences(&solid).iter().map(|p| p.chars().count()).collect();
        assert_eq!(lengths, [MAX_SENTENCE_CHARS, MAX_SENTENCE_CHARS, 7]);
        // Ordinary sentences are untouched.
        assert_eq!(sentences("En mening. En till."), ["En mening.", "En till."]);
    }

    #[test]
    fn splits_swedish_prose() {
        for (text, expected) in [
            ("Det är bra. Nu börjar vi!", vec!["Det är bra.", "Nu börjar vi!"]),
            (
                "Vi har bl.a. haft ett möte. Sedan",
                vec!["Vi har bl.a. haft ett möte.", "Sedan"],
            ),
            (
                "Ca 75 deltagare t.ex. Skatteverket.",
                vec!["Ca 75 deltagare t.ex. Skatteverket."],
            ),
            ("Summan var 349.2 kB i år.", vec!["Summan var 349.2 kB i år."]),
            ("Rad ett\nRad två.", vec!["Rad ett", "Rad två."]),
            (
                "En bestämmelse. eSams styrgrupp har beslutat.",
                vec!["En bestämmelse.", "eSams styrgrupp har beslutat."],
            ),
            (
                "Han sa \"klart.\" Sedan gick han.",
                vec!["Han sa \"klart.\"", "Sedan gick han."],
            ),
            ("", vec![]),
        ] {
            assert_eq!(sentences(text), expected, "{text}");
        }
    }
}
