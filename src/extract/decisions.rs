//! Decisions: what the text presents as decided ("styrgruppen beslutade",
//! "beslutades den 1 december", "välkomnade tre nya medlemmar", "kom överens
//! om", "fattat beslut"), with the deciding body, the date when stated and
//! what it concerns. Intentions and expectations ("beslutet förväntas") are not
//! decisions.

use super::Analysed;

/// How a sentence presents a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// "beslutade", "beslutades", "har beslutat", "fattat beslut".
    Decided,
    /// "välkomna(de) … nya medlemmar".
    WelcomedMembers,
    /// "kom överens", "kom fram till".
    Agreed,
}

/// The decision cue of a sentence, if it reports a decision taken.
pub fn cue(sentence: &Analysed<'_>) -> Option<Cue> {
    cue_and_verb(sentence).map(|(cue, _)| cue)
}

/// The decision cue of a sentence and the index of the word that carries it ("beslutade",
/// "välkomnade"): what stands right before it is the subject, a date before it the time.
pub fn cue_and_verb(sentence: &Analysed<'_>) -> Option<(Cue, usize)> {
    let words = CueWords::of(&sentence.lower_words());
    let cue = cue_of(words, sentence)?;
    Some((cue, words.verb.unwrap_or(0)))
}

fn cue_of(words: CueWords, sentence: &Analysed<'_>) -> Option<Cue> {
    let hedged = words.has(CueWords::HEDGE) || sentence.sentence.chars.last() == Some(&'?');
    if hedged {
        return None;
    }
    // "välkomnade tre nya medlemmar", "välkomnade styrgruppen Kemikalieinspektionen till eSam".
    if words.has(CueWords::WELCOMED) && (words.has(CueWords::MEMBERS) || words.has(CueWords::TO_ESAM)) {
        return Some(Cue::WelcomedMembers);
    }
    let overens = words.has(CueWords::OVERENS) && words.has(CueWords::CAME);
    if overens || words.has(CueWords::CAME_TO) {
        return Some(Cue::Agreed);
    }
    words.has(CueWords::DECIDED).then_some(Cue::Decided)
}

/// Which of the words the decision rules ask for a sentence holds, found in one pass over
/// its words (every sentence is asked, most hold none of them).
#[derive(Debug, Clone, Copy, Default)]
struct CueWords {
    flags: u8,
    /// The first word that says something was decided, welcomed or agreed.
    verb: Option<usize>,
}

impl CueWords {
    /// An intention or expectation ("förväntas", "planerar", "kanske"), or a decision still
    /// to come ("ska besluta", "kommer att besluta").
    const HEDGE: u8 = 1;
    /// "välkomnade/välkomnar/att välkomna", not "medlemmar … är välkomna".
    const WELCOMED: u8 = 1 << 1;
    /// A word starting with "medlem".
    const MEMBERS: u8 = 1 << 2;
    /// "överens".
    const OVERENS: u8 = 1 << 3;
    /// "kom" or "kommit".
    const CAME: u8 = 1 << 4;
    /// "kom fram till", also inverted: "kom deltagarna fram till".
    const CAME_TO: u8 = 1 << 5;
    /// "beslutade", "fastställdes", "godkände" …, or "fattat/tog … beslut".
    const DECIDED: u8 = 1 << 6;
    /// "till eSam" (not "till eSams …").
    const TO_ESAM: u8 = 1 << 7;
    /// The flags that mark the decision's verb.
    const VERBS: u8 = Self::WELCOMED | Self::OVERENS | Self::CAME_TO | Self::DECIDED;

    fn of(lower: &[&str]) -> Self {
        let mut found = Self::default();
        for (i, &word) in lower.iter().enumerate() {
            let previous = i.checked_sub(1).map(|k| lower[k]);
            let next = lower.get(i + 1).copied();
            let flag = match word {
                "förväntas" | "planerar" | "föreslår" | "föreslog" | "kanske" => Self::HEDGE,
                "ska" | "skall" | "att" if next == Some("besluta") => Self::HEDGE,
                "välkomnade" | "välkomnar" | "välkomnades" | "välkomnats" => Self::WELCOMED,
                "välkomna" if previous == Some("att") => Self::WELCOMED,
                "överens" => Self::OVERENS,
                "kom" | "kommit" => Self::CAME,
                "fram"
                    if next == Some("till")
                        && lower[i.saturating_sub(3)..i]
                            .iter()
                            .any(|t| *t == "kom" || *t == "kommit") =>
                {
                    Self::CAME_TO
                }
                "beslutade" | "beslöt" | "beslutar" | "beslutat" | "beslutades" | "beslutats" | "fastställde"
                | "fastställdes" | "antog" | "antogs" | "godkände" | "godkändes" => Self::DECIDED,
                "fattat" | "fattade" | "efter" | "tog" | "tagit" if next == Some("beslut") => Self::DECIDED,
                "till" if next == Some("esam") => Self::TO_ESAM,
                _ if word.starts_with("medlem") => Self::MEMBERS,
                _ => 0,
            };
            if flag & Self::VERBS != 0 && found.verb.is_none() {
                found.verb = Some(i);
            }
            found.flags |= flag;
        }
        found
    }

    fn has(self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// Content-word stems of a text, for telling whether two sentences report the same decision.
pub fn stems(text: &str) -> std::collections::BTreeSet<String> {
    const FUNCTION_WORDS: &[&str] = &[
        "att",
        "och",
        "som",
        "för",
        "med",
        "den",
        "det",
        "de",
        "en",
        "ett",
        "i",
        "på",
        "av",
        "till",
        "om",
        "har",
        "nu",
        "vi",
        "är",
        "var",
        "sin",
        "sina",
        "från",
        "under",
        "eller",
        "samt",
        "också",
        "även",
        "esams",
        "esam",
        "styrgrupp",
        "styrgruppen",
        "beslutat",
        "beslutade",
        "beslutades",
    ];
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() > 2 && !FUNCTION_WORDS.contains(&w.as_str()))
        .filter(|w| {
            !w.starts_with("styrgrupp")
                && super::dates::month_number(w).is_none()
                && !w.chars().any(|c| c.is_ascii_digit())
        })
        .map(|w| w.chars().take(4).collect())
        .collect()
}

/// How much two stem sets overlap: shared stems over the smaller set's size
/// (a short report of a decision is contained in a longer one).
pub fn similarity(a: &std::collections::BTreeSet<String>, b: &std::collections::BTreeSet<String>) -> f64 {
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / smaller as f64
}

/// Two reports at least this similar are taken for the same decision.
pub const SAME_DECISION: f64 = 0.4;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::tests_support::{analyse_text, lexicon};

    #[test]
    fn decision_cues() {
        let lexicon = lexicon();
        for (text, expected) in [
            ("Styrgruppen har beslutat att starta ett arbete.", Some(Cue::Decided)),
            (
                "eSams allmänna villkor för it-projekt beslutades den 1 december.",
                Some(Cue::Decided),
            ),
            (
                "På styrgruppsmötet den 1 december, välkomnade eSam tre nya medlemmar:",
                Some(Cue::WelcomedMembers),
            ),
            (
                "kom eSam och SKR överens om att SKR ska bli adjungerade.",
                Some(Cue::Agreed),
            ),
            (
                "Därför kom deltagarna fram till att bilda två grupper.",
                Some(Cue::Agreed),
            ),
            (
                "Eftersom vi precis fattat beslut om att Teams inte kommer att kunna vara aktuell.",
                Some(Cue::Decided),
            ),
            ("och beslutet förväntas komma inom kort.", None),
            ("Styrgruppen ska ta ställning i vår.", None),
            ("Styrgruppen ska besluta om detta i vår.", None),
            (
                "Grupperna startar i januari och medlemmar som vill ansluta är välkomna.",
                None,
            ),
            (
                "Nu har styrgruppen, som bedömer att det skulle vara till nytta, beslutat att ta ett första steg.",
                Some(Cue::Decided),
            ),
            ("Vad beslutade styrgruppen?", None),
            (
                "I början av april välkomnade styrgruppen Kemikalieinspektionen till eSam.",
                Some(Cue::WelcomedMembers),
            ),
            ("Styrgruppen välkomnade deltagarna till eSams temamöte.", None),
        ] {
            let sentences = analyse_text(text, &lexicon);
            assert_eq!(cue(&sentences[0]), expected, "{text}");
        }
    }

    #[test]
    fn same_decision_reported_twice_is_similar() {
        let a = stems("Styrgruppen har också beslutat att välkomna tre nya medlemmar i eSam, Ekonomistyrningsverket.");
        let b = stems("På styrgruppsmötet den 1 december, välkomnade eSam tre nya medlemmar:");
        let c = stems(
            "Styrgruppen har beslutat att i början på nästa år, starta ett arbete för att realisera lösningarna.",
        );
        assert!(similarity(&a, &b) > similarity(&a, &c));
        assert!(similarity(&a, &b) >= SAME_DECISION, "{}", similarity(&a, &b));
        assert!(similarity(&b, &c) < SAME_DECISION);
        let d = stems(
            "På styrgruppsmötet den 1 december kom eSam och SKR överens om att SKR ska gå över från ett ordinarie medlemskap till att vara adjungerade i eSam.",
        );
        assert!(similarity(&b, &d) < SAME_DECISION, "{}", similarity(&b, &d));
    }
}
