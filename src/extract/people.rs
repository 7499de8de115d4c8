//! People: full names (two to four capitalised words, double surnames,
//! Swedish letters), recognised by a common given name, by bold type, or by the
//! company they keep ("säger X", "X, avdelningschef på Y", "X från Y",
//! "färdledare X vid Y"); and the organisation and role the sentence ties
//! them to.

use std::collections::HashSet;

use super::Analysed;
use super::tokens::Token;
use crate::model::EntityKey;

/// Common given names (`data/reference/given-names.txt`).
#[derive(Debug, Clone, Default)]
pub struct GivenNames(HashSet<String>);

impl GivenNames {
    /// Parses the bundled list: names separated by whitespace, `#` comments.
    pub fn parse(text: &str) -> Self {
        Self(
            text.lines()
                .filter(|line| !line.trim_start().starts_with('#'))
                .flat_map(str::split_whitespace)
                .map(str::to_string)
                .collect(),
        )
    }

    fn contains(&self, name: &str) -> bool {
        self.0.contains(name)
    }
}

/// Verbs that introduce or follow a speaker.
pub const SPEECH_VERBS: &[&str] = &[
    "säger",
    "sa",
    "sade",
    "berättar",
    "berättade",
    "kommenterar",
    "kommenterade",
    "avslutar",
    "menar",
    "konstaterar",
    "förklarar",
    "understryker",
    "betonar",
    "tycker",
    "säjer",
    "framhåller",
    "påpekar",
    "skriver",
    "fortsätter",
    "svarar",
    "inleder",
    "tillägger",
];

/// Words that tie a person to an organisation that follows.
const AT: &[&str] = &["på", "från", "vid", "hos", "inom"];

/// Capitalised words that start sentences or name things, never people.
const NOT_NAMES: &[&str] = &[
    "Det",
    "Den",
    "De",
    "Detta",
    "Denna",
    "Dessa",
    "Vi",
    "Jag",
    "Han",
    "Hon",
    "Ni",
    "Man",
    "Här",
    "Nu",
    "Men",
    "Och",
    "Att",
    "Som",
    "För",
    "Med",
    "Inom",
    "Under",
    "Efter",
    "Vid",
    "Till",
    "Från",
    "Om",
    "En",
    "Ett",
    "Alla",
    "Många",
    "Flera",
    "Läs",
    "Mer",
    "Nyhetsbrev",
    "Nyhetsbrevet",
    "Kalendarium",
    "Temamöte",
    "Utbildning",
    "Sverige",
    "Sveriges",
    "Norge",
    "Finland",
    "Tyskland",
    "Ukraina",
    "Danmark",
    "EU",
    "God",
    "Gott",
    "Chief",
    "Digital",
    "Officer",
    "Teams",
    "Linux",
    "Microsoft",
    "Google",
    "Vision",
    "Projektet",
    "Arbetet",
    "Arbetsgruppen",
    "Styrgruppen",
    "Beslut",
    "Tankar",
];

/// Endings and words that make a role ("kanslichef", "projektledare", "GD").
const ROLE_ENDINGS: &[&str] = &[
    "chef",
    "ledare",
    "direktör",
    "ordförande",
    "ansvarig",
    "handläggare",
    "jurist",
    "arkitekt",
    "strateg",
    "samordnare",
    "koordinator",
    "expert",
    "specialist",
    "rådgivare",
    "utredare",
    "sekreterare",
    "analytiker",
    "kronofogde",
    "utvecklare",
    "konsult",
    "advokat",
    "officer",
    "representant",
    "ombud",
    "ledamot",
    "talesperson",
    "projektägare",
    "handledare",
    // "civilminister", "digitaliseringsminister", "statsminister".
    "minister",
];
const ROLE_WORDS: &[&str] = &[
    "GD",
    "vd",
    "VD",
    "CIO",
    "CDO",
    "CISO",
    "CTO",
    "DPO",
    "generaldirektör",
    "överdirektör",
    "ordförande",
];

/// The singular of a plural definite role word ("färdledarna" → "färdledare",
/// "projektledarna" → "projektledare"); `None` for other words ("deltagarna").
pub fn singular_role(lower: &str) -> Option<String> {
    let stem = lower.strip_suffix("arna")?;
    let singular = format!("{stem}are");
    is_role_word(&singular).then_some(singular)
}

/// Whether a word is a role word.
pub fn is_role_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    ROLE_WORDS.contains(&word) || ROLE_ENDINGS.iter().any(|ending| lower.ends_with(ending))
}

fn is_name_word(word: &str) -> bool {
    let mut chars = word.chars();
    // Most words are not capitalised: they are done at the first letter.
    if !chars.next().is_some_and(char::is_uppercase) {
        return false;
    }
    let rest = chars.as_str();
    !rest.is_empty()
        && rest.chars().all(|c| c.is_alphabetic() || c == '-')
        && rest.chars().any(char::is_lowercase)
        && !word.ends_with('-')
        && !word.contains(':')
        && !NOT_NAMES.contains(&word)
        && super::dates::month_number(word).is_none()
}

/// A name found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameFound {
    /// The full name.
    pub name: String,
    /// First token.
    pub first: usize,
    /// Last token (inclusive).
    pub last: usize,
}

impl NameFound {
    /// The person's key.
    pub fn key(&self) -> EntityKey {
        EntityKey::from_name(&self.name)
    }
}

/// Names of people in a sentence.
pub fn find(sentence: &Analysed<'_>, given: &GivenNames) -> Vec<NameFound> {
    let tokens = &sentence.tokens;
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // Asked first: most words are not capitalised, and a name starts with a name word.
        if !is_name_word(tokens[i].text) {
            i += 1;
            continue;
        }
        let mut last = i;
        while last + 1 < tokens.len()
            && last - i < 3
            && is_name_word(tokens[last + 1].text)
            && single_space_between(sentence, &tokens[last], &tokens[last + 1])
            && sentence.org_at(last + 1).is_none()
        {
            last += 1;
        }
        let usable = last > i && sentence.org_at(i).is_none();
        if usable {
            let name: String = sentence.sentence.chars[tokens[i].start..tokens[last].end]
                .iter()
                .collect();
            let candidate = NameFound { name, first: i, last };
            if given.contains(tokens[i].text)
                || is_emphasised(sentence, &candidate.name)
                || has_person_context(sentence, &candidate)
            {
                found.push(candidate);
                i = last + 1;
                continue;
            }
        }
        i += 1;
    }
    found
}

fn single_space_between(sentence: &Analysed<'_>, a: &Token, b: &Token) -> bool {
    b.start == a.end + 1 && sentence.sentence.chars[a.end] == ' '
}

fn is_emphasised(sentence: &Analysed<'_>, name: &str) -> bool {
    sentence.sentence.block.emphasis.iter().any(|e| e.trim() == name)
}

fn word<'a>(sentence: &'a Analysed<'_>, index: usize) -> Option<&'a str> {
    sentence.tokens.get(index).map(|t| t.text)
}

/// The character right after token `index` (skipping nothing).
fn char_after(sentence: &Analysed<'_>, index: usize) -> Option<char> {
    sentence
        .tokens
        .get(index)
        .and_then(|t| sentence.sentence.chars.get(t.end).copied())
}

fn has_person_context(sentence: &Analysed<'_>, name: &NameFound) -> bool {
    let before = name.first.checked_sub(1).and_then(|k| word(sentence, k));
    let after = word(sentence, name.last + 1);
    let speech_before = before.is_some_and(|w| SPEECH_VERBS.contains(&w) || w == "av" || is_role_word(w));
    let speech_after = after.is_some_and(|w| SPEECH_VERBS.contains(&w));
    let role_after_comma = char_after(sentence, name.last) == Some(',') && after.is_some_and(is_role_word);
    let at_org = after.is_some_and(|w| AT.contains(&w)) && sentence.org_at(name.last + 2).is_some();
    speech_before || speech_after || role_after_comma || at_org
}

/// What a sentence says about a named person's organisation and role.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tie {
    /// The organisation.
    pub organisation: Option<EntityKey>,
    /// The role, in the text's words.
    pub role: Option<String>,
    /// Whether the person speaks here ("berättar X", "X säger").
    pub speaks: bool,
}

fn span_text(sentence: &Analysed<'_>, first: usize, last: usize) -> String {
    let chars = &sentence.sentence.chars;
    chars[sentence.tokens[first].start..sentence.tokens[last].end]
        .iter()
        .collect::<String>()
        .trim()
        .to_string()
}

/// The organisation and role tied to `name` in its sentence.
pub fn tie(sentence: &Analysed<'_>, name: &NameFound) -> Tie {
    let mut tie = Tie::default();
    let tokens = &sentence.tokens;
    let before = name.first.checked_sub(1).and_then(|k| word(sentence, k));
    // "berättar X", "X säger", and "berättar generaldirektör X" (a role between verb and name).
    let before_role = before
        .filter(|w| is_role_word(w))
        .and_then(|_| name.first.checked_sub(2))
        .and_then(|k| word(sentence, k));
    tie.speaks = before.is_some_and(|w| SPEECH_VERBS.contains(&w))
        || before_role.is_some_and(|w| SPEECH_VERBS.contains(&w))
        || word(sentence, name.last + 1).is_some_and(|w| SPEECH_VERBS.contains(&w));

    // "ORG:s ROLE NAME" ("eSams jurist Linda Lindström"), "ROLE NAME" ("färdledare Eric Thorén").
    if let Some(role) = before.filter(|w| is_role_word(w)) {
        tie.role = Some(role.to_string());
        if let Some(org) = name.first.checked_sub(2).and_then(|k| sentence.org_at(k)) {
            tie.organisation = Some(org.key.clone());
        }
    }

    // "Skatteverkets Anna Andersson": a genitive organisation right before the name.
    if tie.organisation.is_none()
        && let Some(org) = name.first.checked_sub(1).and_then(|k| sentence.org_at(k))
        && (org.surface.ends_with('s') || org.surface.ends_with(":s"))
        && org.surface != org.name
    {
        tie.organisation = Some(org.key.clone());
    }

    // "Anna Andersson (Skatteverket)".
    if char_after(sentence, name.last).is_some_and(|c| c == ' ' || c == '(')
        && sentence.sentence.chars[tokens[name.last].end..]
            .iter()
            .collect::<String>()
            .trim_start()
            .starts_with('(')
        && let Some(org) = sentence.org_at(name.last + 1)
    {
        tie.organisation = Some(org.key.clone());
        return tie;
    }

    // "X som är en av medlemmarna i arbetsgruppen berättar"
    if word(sentence, name.last + 1) == Some("som") && word(sentence, name.last + 2) == Some("är") {
        let from = name.last + 3;
        let to = (from..tokens.len())
            .take_while(|&k| !SPEECH_VERBS.contains(&tokens[k].text))
            .last();
        if let Some(to) = to {
            tie.role = Some(span_text(sentence, from, to));
            tie.speaks |= tokens.get(to + 1).is_some_and(|t| SPEECH_VERBS.contains(&t.text));
        }
        return tie;
    }

    // The apposition after the name: ", kanslichef eSam", ", SKR:s Chief Digital Officer",
    // ", ordförande för eSams styrgrupp och GD på Skatteverket", ", från Wikström & Partners AB".
    let comma = char_after(sentence, name.last) == Some(',');
    let next = name.last + 1;
    let opens_apposition = comma
        || word(sentence, next).is_some_and(is_role_word)
        || word(sentence, next).is_some_and(|w| AT.contains(&w));
    if !opens_apposition || next >= tokens.len() {
        return tie;
    }
    let mut end = next;
    while end + 1 < tokens.len() {
        let w = tokens[end + 1].text;
        let gap: String = sentence.sentence.chars[tokens[end].end..tokens[end + 1].start]
            .iter()
            .collect();
        if SPEECH_VERBS.contains(&w)
            || gap.contains(',')
            || gap.contains(':')
            || gap.contains('(')
            || ["som", "har", "är", "hade", "var"].contains(&w)
        {
            break;
        }
        end += 1;
    }
    let role_between = |from: usize, to: usize| {
        (from <= to)
            .then(|| span_text(sentence, from, to))
            .filter(|r| looks_like_role(r))
    };
    // 1. "… på/från/vid/hos ORG": the organisation, and the words before it as the role.
    if let Some(k) = (next..=end)
        .rev()
        .find(|&k| (AT.contains(&tokens[k].text) || tokens[k].text == "för") && sentence.org_at(k + 1).is_some())
    {
        tie.organisation = sentence.org_at(k + 1).map(|org| org.key.clone());
        tie.role = k
            .checked_sub(1)
            .and_then(|to| role_between(next, to))
            .or(tie.role.take());
        return tie;
    }
    // 2. "ORG:s ROLE": a genitive organisation first, the role after it.
    if let Some(org) = sentence.org_at(next) {
        let org_last = sentence.last_token_of(org).unwrap_or(next);
        tie.organisation = Some(org.key.clone());
        tie.role = role_between(org_last + 1, end).or(tie.role.take());
        return tie;
    }
    // 3. "ROLE ORG": the organisation last ("kanslichef eSam").
    if let Some(org) = sentence.org_at(end) {
        let org_first = sentence.first_token_of(org).unwrap_or(end);
        tie.organisation = Some(org.key.clone());
        tie.role = org_first
            .checked_sub(1)
            .and_then(|to| role_between(next, to))
            .or(tie.role.take());
        return tie;
    }
    // 4. A role without an organisation.
    if comma {
        tie.role = role_between(next, end).or(tie.role.take());
    }
    tie
}

/// A role phrase starts with a role word or a lower-case word and is short.
fn looks_like_role(role: &str) -> bool {
    let words: Vec<&str> = role.split_whitespace().collect();
    let Some(first) = words.first() else { return false };
    words.len() <= 10 && (is_role_word(first) || words.iter().any(|w| is_role_word(w)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::tests_support::{analyse, lexicon};
    use crate::extract::{Analysed, Lexicon};

    fn people(text: &str) -> Vec<(String, Option<String>, Option<String>)> {
        let lexicon: Lexicon = lexicon();
        let sentences = analyse(text, &lexicon);
        sentences
            .iter()
            .flat_map(|s: &Analysed<'_>| {
                find(s, &lexicon.given_names).into_iter().map(move |n| {
                    let tie = tie(s, &n);
                    let org = tie.organisation.map(|k| k.to_string());
                    (n.name, org, tie.role)
                })
            })
            .collect()
    }

    fn person(name: &str, org: Option<&str>, role: Option<&str>) -> (String, Option<String>, Option<String>) {
        (name.to_string(), org.map(str::to_string), role.map(str::to_string))
    }

    #[test]
    fn plural_role_words_have_a_singular() {
        assert_eq!(singular_role("färdledarna").as_deref(), Some("färdledare"));
        assert_eq!(singular_role("projektledarna").as_deref(), Some("projektledare"));
        assert_eq!(singular_role("deltagarna"), None);
        assert_eq!(singular_role("färdledare"), None);
    }

    #[test]
    fn names_with_their_organisation_and_role() {
        for (text, expected) in [
            (
                "Fia Ekelöf, kanslichef eSam",
                person("Fia Ekelöf", Some("esamverkansprogrammet"), Some("kanslichef")),
            ),
            (
                "Fia Ekelöf kanslichef eSam",
                person("Fia Ekelöf", Some("esamverkansprogrammet"), Some("kanslichef")),
            ),
            (
                "Patrik Sundström, SKR:s Chief Digital Officer kommenterar beslutet:",
                person(
                    "Patrik Sundström",
                    Some("sveriges-kommuner-och-regioner"),
                    Some("Chief Digital Officer"),
                ),
            ),
            (
                "Katrin Westling Palm, ordförande för eSams styrgrupp och GD på Skatteverket säger:",
                person(
                    "Katrin Westling Palm",
                    Some("skatteverket"),
                    Some("ordförande för eSams styrgrupp och GD"),
                ),
            ),
            (
                "vilket minskar risken, säger Annemieke Ålenius, avdelningschef på E-hälsomyndigheten.",
                person("Annemieke Ålenius", Some("e-halsomyndigheten"), Some("avdelningschef")),
            ),
            (
                "Arbetet leds av Jonas Öhrnell från Bolagsverket och utgår från behoven.",
                person("Jonas Öhrnell", Some("bolagsverket"), None),
            ),
            (
                "eSams jurist Linda Lindström, berättade om arbetet.",
                person("Linda Lindström", Some("esamverkansprogrammet"), Some("jurist")),
            ),
            (
                "berättar färdledare Eric Thorén vid Skatteverket.",
                person("Eric Thorén", Some("skatteverket"), Some("färdledare")),
            ),
            (
                "Lena Höglund på Arbetsförmedlingen, som har lett arbetet i hSam, berättar:",
                person("Lena Höglund", Some("arbetsformedlingen"), None),
            ),
            (
                "frågor till Christina Wikström, från Wikström & Partners Advokatbyrå AB som guidade",
                person("Christina Wikström", Some("wikstrom-partners-advokatbyra-ab"), None),
            ),
        ] {
            assert_eq!(people(text), vec![expected], "{text}");
        }
    }

    #[test]
    fn things_that_are_not_people() {
        for text in [
            "Den nya NGS-tjänsten är en del i Vision e-hälsa 2025.",
            "Teams kan inte vara en lösning.",
            "Nyhetsbrev från eSam",
            "Statens tjänstepensionverk har lett arbetet.",
            "Wikström & Partners Advokatbyrå AB guidade.",
            "Digitala tjänster på kommunikationsområdet - KomSam - sända och lagra video",
            "Europaparlamentet och rådet enades.",
        ] {
            assert_eq!(people(text), vec![], "{text}");
        }
    }
}
