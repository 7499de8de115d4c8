//! Working groups, projects and eSam's standing bodies: the eSam families
//! ("hSam", "KomSam", "dSam"), named projects ("Projektet Finansiell status",
//! "Arbetsgruppen för AI-mönster för tillämpningar"), and bodies (styrgrupp,
//! samordningsgrupp, expert-, sakområdes- and koordineringsgrupper,
//! utvecklingsforum). Unnamed groups ("en arbetsgrupp") are left out.

use super::Analysed;
use crate::model::{EntityKey, GroupKind};

/// A group named in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupFound {
    /// Canonical name.
    pub name: String,
    /// Kind.
    pub kind: GroupKind,
    /// First token.
    pub first: usize,
    /// Last token (inclusive).
    pub last: usize,
}

impl GroupFound {
    fn project(name: String, first: usize, last: usize) -> Self {
        Self {
            name,
            kind: GroupKind::Project,
            first,
            last,
        }
    }

    /// The group's key.
    pub fn key(&self) -> EntityKey {
        EntityKey::from_name(&self.name)
    }
}

/// The canonical name of eSam's steering group.
pub const STEERING_GROUP: &str = "eSams styrgrupp";

/// An eSam family name: a short prefix and "Sam" ("hSam", "KomSam", "dSam"), not "eSam" itself.
fn family(word: &str) -> Option<String> {
    let word = word
        .strip_suffix(":s")
        .or_else(|| word.strip_suffix('s').filter(|w| w.ends_with("Sam")))
        .unwrap_or(word);
    let prefix = word.strip_suffix("Sam")?;
    let ok = (1..=4).contains(&prefix.chars().count())
        && prefix.chars().all(char::is_alphabetic)
        && prefix != "e"
        && prefix.chars().skip(1).all(char::is_lowercase);
    ok.then(|| format!("{prefix}Sam"))
}

/// Body words and their topics: "expertgrupp juridik", "sakområdesgrupp kommunikation".
const TOPIC_BODIES: &[&str] = &["expertgrupp", "sakområdesgrupp", "koordineringsgrupp", "arbetsgrupp"];

/// Words that introduce a project's name ("Projektet Finansiell status").
const PROJECT_CUES: &[&str] = &[
    "projektet",
    "förstudien",
    "uppdraget",
    "projekt",
    "förstudie",
    "satsningen",
];

/// Words that end a project name.
const NAME_STOPS: &[&str] = &[
    "är", "har", "som", "kommer", "ska", "var", "blev", "och", "samt", "syftar", "leds", "startade", "pågår", "tar",
    "kan", "med", "i", "på", "inom", "där", "men", "eller", "till", "efter", "under", "genom", "fick", "gick",
    "lämnas", "gör",
];

/// Groups named in a sentence.
pub fn find(sentence: &Analysed<'_>) -> Vec<GroupFound> {
    let tokens = &sentence.tokens;
    let chars = &sentence.sentence.chars;
    let mut found: Vec<GroupFound> = Vec::new();
    let lower: Vec<&str> = tokens.iter().map(|t| &*t.lower).collect();
    let mut i = 0;
    while i < tokens.len() {
        let word = lower[i];
        let text = tokens[i].text;
        let mut push = |name: String, kind: GroupKind, last: usize| {
            found.push(GroupFound {
                name,
                kind,
                first: i,
                last,
            })
        };
        if let Some(name) = family(text) {
            push(name, GroupKind::Project, i);
        } else if word.starts_with("styrgrupp") && !word.starts_with("styrgruppsmöte") {
            push(STEERING_GROUP.to_string(), GroupKind::Body, i);
        } else if word.starts_with("samordningsgrupp") {
            push("Samordningsgruppen".to_string(), GroupKind::Body, i);
        } else if word == "utvecklingsforums" && lower.get(i + 1).is_some_and(|w| *w == "utskott") {
            push("utvecklingsforums utskott".to_string(), GroupKind::Body, i + 1);
            i += 1;
        } else if word.starts_with("utvecklingsforum") {
            push("Utvecklingsforum".to_string(), GroupKind::Body, i);
        } else if word == "expert-" || word == "expert" && lower.get(i + 1).is_some_and(|w| *w == "och") {
            // "expert- och sakområdesgrupp säkerhet"
            if lower.get(i + 2).is_some_and(|w| w.starts_with("sakområdesgrupp"))
                && let Some(topic) = lower.get(i + 3).filter(|t| is_topic(t))
            {
                push(format!("expert- och sakområdesgrupp {topic}"), GroupKind::Body, i + 3);
                i += 3;
            }
        } else if let Some(body) = TOPIC_BODIES
            .iter()
            .find(|b| word == **b || word.strip_suffix("en") == Some(**b))
        {
            if let Some(topic) = lower.get(i + 1).filter(|t| is_topic(t)) {
                push(format!("{body} {topic}"), GroupKind::Body, i + 1);
                i += 1;
            } else if *body != "arbetsgrupp" && i > 0 && lower[i - 1].ends_with("iska") {
                // "den juridiska expertgruppen" → "expertgrupp juridik"
                let adjective = &lower[i - 1];
                let topic = format!("{}ik", &adjective[..adjective.len() - "iska".len()]);
                found.push(GroupFound {
                    name: format!("{body} {topic}"),
                    kind: GroupKind::Body,
                    first: i - 1,
                    last: i,
                });
            } else if *body == "arbetsgrupp"
                && word == "arbetsgruppen"
                && lower.get(i + 1).is_some_and(|w| *w == "för")
                && let Some((name, last)) = project_name(sentence, i + 2)
            {
                found.push(GroupFound::project(name, i, last));
                i = last;
            }
        } else if PROJECT_CUES.contains(&word) {
            let start = if lower.get(i + 1).is_some_and(|w| *w == "för") {
                i + 2
            } else {
                i + 1
            };
            let separated_by_space = tokens
                .get(start)
                .is_some_and(|t| chars[tokens[start - 1].end..t.start].iter().all(|c| *c == ' '));
            if separated_by_space && let Some((name, last)) = project_name(sentence, start) {
                found.push(GroupFound::project(name, i, last));
                i = last;
            }
        }
        i += 1;
    }
    found
}

/// A body's topic: a lower-case subject word ("juridik", "arkitektur", "säkerhet").
fn is_topic(word: &str) -> bool {
    const TOPICS: &[&str] = &[
        "juridik",
        "arkitektur",
        "säkerhet",
        "kommunikation",
        "informationssäkerhet",
        "it-säkerhet",
        "hr",
        "ekonomi",
        "inköp",
        "upphandling",
        "dataskydd",
        "informationshantering",
        "digitalisering",
        "ai",
        "molntjänster",
        "it-avtal",
        "e-arkiv",
        "tillgänglighet",
        "kompetensförsörjning",
        "styrning",
        "verksamhetsutveckling",
        "statistik",
        "grunddata",
    ];
    TOPICS.contains(&word)
}

/// A project name starting at token `start`: a capitalised first word, then words
/// up to a verb, a conjunction or punctuation.
fn project_name(sentence: &Analysed<'_>, start: usize) -> Option<(String, usize)> {
    let tokens = &sentence.tokens;
    let chars = &sentence.sentence.chars;
    let first = tokens.get(start)?;
    if !first.text.chars().next().is_some_and(char::is_uppercase) || sentence.org_at(start).is_some() {
        return None;
    }
    let mut last = start;
    while last + 1 < tokens.len() && last - start < 7 {
        let next = &tokens[last + 1];
        let gap: String = chars[tokens[last].end..next.start].iter().collect();
        let lower = next.text.to_lowercase();
        if gap != " "
            || NAME_STOPS.contains(&lower.as_str()) && lower != "för"
            || super::people::SPEECH_VERBS.contains(&lower.as_str())
        {
            break;
        }
        if sentence.org_at(last + 1).is_some() || next.text.chars().all(|c| c.is_ascii_digit()) {
            break;
        }
        last += 1;
    }
    // A name does not end on "för".
    while last > start && tokens[last].text == "för" {
        last -= 1;
    }
    let name: String = chars[first.start..tokens[last].end].iter().collect();
    Some((name, last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::tests_support::{analyse_text, lexicon};

    fn groups(text: &str) -> Vec<String> {
        let lexicon = lexicon();
        analyse_text(text, &lexicon)
            .iter()
            .flat_map(find)
            .map(|g| g.name)
            .collect()
    }

    #[test]
    fn recognises_families_projects_and_bodies() {
        for (text, expected) in [
            ("som har lett arbetet i hSam där 11 myndigheter deltagit", vec!["hSam"]),
            (
                "Arbetet har pågått under namnen hSam och KomSam för att",
                vec!["hSam", "KomSam"],
            ),
            ("digital samarbetsplattform för offentlig sektor - dSam.", vec!["dSam"]),
            (
                "Projektet Finansiell status är ett samarbete mellan Kronofogden och CSN.",
                vec!["Finansiell status"],
            ),
            (
                "Slutrapport från förstudien Finansiell status kommer att lämnas.",
                vec!["Finansiell status"],
            ),
            (
                "Arbetsgruppen för AI-mönster för tillämpningar, tar nu behoven vidare.",
                vec!["AI-mönster för tillämpningar"],
            ),
            (
                "att ta vidare i uppdraget för AI-mönster för tillämpningar.",
                vec!["AI-mönster för tillämpningar"],
            ),
            ("Styrgruppen har beslutat att starta.", vec!["eSams styrgrupp"]),
            ("nu har eSams styrgrupp beslutat", vec!["eSams styrgrupp"]),
            (
                "möte med eSam expertgrupp juridik för diskussion",
                vec!["expertgrupp juridik"],
            ),
            (
                "ett underlag som den juridiska expertgruppen inom eSam kan bedöma",
                vec!["expertgrupp juridik"],
            ),
            (
                "14 december, expert- och sakområdesgrupp säkerhet",
                vec!["expert- och sakområdesgrupp säkerhet"],
            ),
            (
                "15 december, utvecklingsforums utskott",
                vec!["utvecklingsforums utskott"],
            ),
            ("8 december, temamöte Samordningsgruppen", vec!["Samordningsgruppen"]),
            (
                "3 december, koordineringsgrupp arkitektur",
                vec!["koordineringsgrupp arkitektur"],
            ),
        ] {
            assert_eq!(groups(text), expected, "{text}");
        }
    }

    #[test]
    fn unnamed_groups_and_meetings_are_not_groups() {
        for text in [
            "en arbetsgrupp inom eSam har arbetat fram en promemoria",
            "Arbetsgruppen har intervjuat representanter från Norge.",
            "På styrgruppsmötet den 1 december välkomnades de.",
            "eSam är ett samarbete.",
            "Projektet har inneburit att vi kunnat utgå från kraven.",
        ] {
            assert_eq!(groups(text), Vec::<String>::new(), "{text}");
        }
    }
}
