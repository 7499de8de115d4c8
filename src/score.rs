//! How close the importer's readings come to a careful reader's: precision, recall and F1
//! per kind of fact, and how often the details of the facts both found agree.
//!
//! Facts are paired one to one, best pairs first. Organisations and people pair by name
//! (case and spacing aside); groups by name, or by most of their words when the reader
//! wrote a longer form ("den juridiska expertgruppen inom eSam" for "expertgrupp juridik");
//! events by their words, or by date and type together; decisions by their words, since a
//! reader paraphrases and the importer quotes. Words are compared by their first five
//! letters, so inflected forms meet ("expertgruppen", "expertgrupp").

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::summary::Reading;

/// Found, expected and agreed counts of one kind of fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// In the careful reading.
    pub gold: usize,
    /// In the importer's.
    pub ours: usize,
    /// Paired.
    pub matched: usize,
}

impl Counts {
    /// Share of ours that the reader has too (1 when we found nothing).
    pub fn precision(self) -> f64 {
        ratio(self.matched, self.ours)
    }

    /// Share of the reader's that we found (1 when there was nothing to find).
    pub fn recall(self) -> f64 {
        ratio(self.matched, self.gold)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }

    fn add(&mut self, other: Counts) {
        self.gold += other.gold;
        self.ours += other.ours;
        self.matched += other.matched;
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 { 1.0 } else { part as f64 / whole as f64 }
}

/// Agreement on one detail over the facts both readings have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Agreement {
    /// Pairs whose detail agrees (both absent agrees too).
    pub agreed: usize,
    /// Pairs compared.
    pub compared: usize,
}

impl Agreement {
    fn record(&mut self, agrees: bool) {
        self.compared += 1;
        self.agreed += usize::from(agrees);
    }
}

/// The kinds of fact, in the order reported.
pub const KINDS: [&str; 7] = [
    "organisations",
    "people",
    "groups",
    "group members",
    "group leads",
    "events",
    "decisions",
];

/// The details compared on paired facts, in the order reported.
pub const DETAILS: [&str; 7] = [
    "person organisation",
    "person role",
    "event date",
    "event type",
    "event participants",
    "decision by",
    "decision date",
];

/// Scores of a set of documents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scores {
    /// Per kind of fact, as [`KINDS`].
    pub kinds: [Counts; 7],
    /// Per detail, as [`DETAILS`].
    pub details: [Agreement; 7],
    /// Documents of the careful reading the importer has no reading of.
    pub unread: Vec<String>,
}

impl Scores {
    /// The counts of one kind (one of [`KINDS`]).
    pub fn kind(&self, name: &str) -> Counts {
        KINDS
            .iter()
            .position(|k| *k == name)
            .map(|i| self.kinds[i])
            .unwrap_or_default()
    }

    /// All kinds together (every fact counts once).
    pub fn total(&self) -> Counts {
        let mut total = Counts::default();
        self.kinds.iter().for_each(|c| total.add(*c));
        total
    }

    /// The scores as JSON: per kind its counts, precision, recall and F1; per detail its
    /// agreement.
    pub fn to_json(&self) -> serde_json::Value {
        let kind = |counts: Counts| {
            serde_json::json!({
                "gold": counts.gold,
                "ours": counts.ours,
                "matched": counts.matched,
                "precision": counts.precision(),
                "recall": counts.recall(),
                "f1": counts.f1(),
            })
        };
        let mut kinds: serde_json::Map<String, serde_json::Value> = KINDS
            .iter()
            .zip(&self.kinds)
            .map(|(n, c)| (n.to_string(), kind(*c)))
            .collect();
        kinds.insert("all".into(), kind(self.total()));
        let details: serde_json::Map<String, serde_json::Value> = DETAILS
            .iter()
            .zip(&self.details)
            .map(|(n, a)| {
                (
                    n.to_string(),
                    serde_json::json!({"agreed": a.agreed, "compared": a.compared}),
                )
            })
            .collect();
        serde_json::json!({"facts": kinds, "details": details, "not_read": self.unread})
    }

    /// A plain-text table.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<22} {:>5} {:>5} {:>7} {:>9} {:>6} {:>5}",
            "facts", "gold", "ours", "matched", "precision", "recall", "F1"
        );
        let total = self.total();
        for (name, counts) in KINDS
            .iter()
            .zip(&self.kinds)
            .chain([("all", &total)].iter().map(|(n, c)| (n, *c)))
        {
            let _ = writeln!(
                out,
                "{:<22} {:>5} {:>5} {:>7} {:>9.2} {:>6.2} {:>5.2}",
                name,
                counts.gold,
                counts.ours,
                counts.matched,
                counts.precision(),
                counts.recall(),
                counts.f1()
            );
        }
        let _ = writeln!(out, "\n{:<22} {:>7}", "details of pairs", "agreed");
        for (name, agreement) in DETAILS.iter().zip(&self.details) {
            let _ = writeln!(out, "{:<22} {:>3}/{:<3}", name, agreement.agreed, agreement.compared);
        }
        for doc in &self.unread {
            let _ = writeln!(out, "\nnot read: {doc} (counted as nothing found)");
        }
        out
    }
}

/// Scores the importer's readings `ours` against the careful readings `gold`, document by
/// document (paired by `doc`); a gold document we did not read counts as nothing found.
pub fn score(gold: &[Reading], ours: &[Reading]) -> Scores {
    let mut scores = Scores::default();
    for expected in gold {
        let found = match ours.iter().find(|r| r.doc == expected.doc) {
            Some(found) => found.clone(),
            None => {
                scores.unread.push(expected.doc.clone());
                empty(&expected.doc)
            }
        };
        score_document(expected, &found, &mut scores);
    }
    scores
}

fn empty(doc: &str) -> Reading {
    Reading {
        doc: doc.to_string(),
        issued: None,
        organisations: Vec::new(),
        people: Vec::new(),
        groups: Vec::new(),
        events: Vec::new(),
        decisions: Vec::new(),
    }
}

fn score_document(gold: &Reading, ours: &Reading, scores: &mut Scores) {
    let [orgs, people, groups, members, leads, events, decisions] = &mut scores.kinds;
    let [
        person_org,
        person_role,
        event_date,
        event_type,
        event_count,
        decision_by,
        decision_date,
    ] = &mut scores.details;

    orgs.add(pair_counts(&gold.organisations, &ours.organisations, |g, o| {
        (fold(g) == fold(o)).then_some(1.0)
    }));

    let pairs = pair(&gold.people, &ours.people, |g, o| {
        (fold(&g.name) == fold(&o.name)).then_some(1.0)
    });
    people.add(counts(gold.people.len(), ours.people.len(), pairs.len()));
    for (g, o) in &pairs {
        let (g, o) = (&gold.people[*g], &ours.people[*o]);
        person_org.record(same(&g.organisation, &o.organisation));
        person_role.record(same(&g.role, &o.role));
    }

    let pairs = pair(&gold.groups, &ours.groups, |g, o| {
        if fold(&g.name) == fold(&o.name) {
            return Some(2.0);
        }
        let similarity = dice(&words(&g.name), &words(&o.name));
        (similarity >= 0.6).then_some(similarity)
    });
    groups.add(counts(gold.groups.len(), ours.groups.len(), pairs.len()));
    // Members and leads as (gold group, name) pairs: ours under the gold name of their group.
    let our_group_name = |index: usize| {
        pairs
            .iter()
            .find(|(_, o)| *o == index)
            .map_or_else(|| fold(&ours.groups[index].name), |(g, _)| fold(&gold.groups[*g].name))
    };
    let gold_members: BTreeSet<(String, String)> = gold
        .groups
        .iter()
        .flat_map(|g| g.members.iter().map(|m| (fold(&g.name), fold(m))))
        .collect();
    let our_members: BTreeSet<(String, String)> = (0..ours.groups.len())
        .flat_map(|i| ours.groups[i].members.iter().map(move |m| (i, fold(m))))
        .map(|(i, m)| (our_group_name(i), m))
        .collect();
    members.add(counts(
        gold_members.len(),
        our_members.len(),
        gold_members.intersection(&our_members).count(),
    ));
    let gold_leads: BTreeSet<(String, String)> = gold
        .groups
        .iter()
        .filter_map(|g| Some((fold(&g.name), fold(g.lead.as_ref()?))))
        .collect();
    let our_leads: BTreeSet<(String, String)> = (0..ours.groups.len())
        .filter_map(|i| Some((our_group_name(i), fold(ours.groups[i].lead.as_ref()?))))
        .collect();
    leads.add(counts(
        gold_leads.len(),
        our_leads.len(),
        gold_leads.intersection(&our_leads).count(),
    ));

    let pairs = pair(&gold.events, &ours.events, |g, o| {
        let similarity = dice(&words(&g.label), &words(&o.label));
        let same_day = g.date.is_some() && g.date == o.date;
        let same_type = fold(&g.kind) == fold(&o.kind);
        let score = similarity + f64::from(u8::from(same_day)) + 0.5 * f64::from(u8::from(same_type));
        (similarity >= 0.5 || (same_day && same_type)).then_some(score)
    });
    events.add(counts(gold.events.len(), ours.events.len(), pairs.len()));
    for (g, o) in &pairs {
        let (g, o) = (&gold.events[*g], &ours.events[*o]);
        event_date.record(g.date == o.date);
        event_type.record(fold(&g.kind) == fold(&o.kind));
        event_count.record(g.participants_count == o.participants_count);
    }

    let pairs = pair(&gold.decisions, &ours.decisions, |g, o| {
        let similarity = overlap(&words(&g.label), &words(&o.label));
        let score =
            similarity + 0.25 * f64::from(u8::from(same(&g.by, &o.by))) + 0.25 * f64::from(u8::from(g.date == o.date));
        (similarity >= 0.5).then_some(score)
    });
    decisions.add(counts(gold.decisions.len(), ours.decisions.len(), pairs.len()));
    for (g, o) in &pairs {
        let (g, o) = (&gold.decisions[*g], &ours.decisions[*o]);
        decision_by.record(same(&g.by, &o.by));
        decision_date.record(g.date == o.date);
    }
}

fn counts(gold: usize, ours: usize, matched: usize) -> Counts {
    Counts { gold, ours, matched }
}

fn pair_counts<T>(gold: &[T], ours: &[T], similarity: impl Fn(&T, &T) -> Option<f64>) -> Counts {
    counts(gold.len(), ours.len(), pair(gold, ours, similarity).len())
}

/// One-to-one pairs (gold index, our index), the most similar first; `similarity` is `None`
/// for two facts that are not the same.
fn pair<G, O>(gold: &[G], ours: &[O], similarity: impl Fn(&G, &O) -> Option<f64>) -> Vec<(usize, usize)> {
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (g, expected) in gold.iter().enumerate() {
        for (o, found) in ours.iter().enumerate() {
            if let Some(score) = similarity(expected, found) {
                candidates.push((score, g, o));
            }
        }
    }
    // Best first; equal scores in text order, so the result does not depend on the sort.
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut gold_used, mut ours_used) = (vec![false; gold.len()], vec![false; ours.len()]);
    let mut pairs = Vec::new();
    for (_, g, o) in candidates {
        if !gold_used[g] && !ours_used[o] {
            gold_used[g] = true;
            ours_used[o] = true;
            pairs.push((g, o));
        }
    }
    pairs.sort_unstable();
    pairs
}

fn same(a: &Option<String>, b: &Option<String>) -> bool {
    a.as_deref().map(fold) == b.as_deref().map(fold)
}

/// Lower case, single spaces, no surrounding punctuation.
fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// Words that carry no content in these labels.
const FUNCTION_WORDS: &[&str] = &[
    "att", "av", "de", "den", "det", "en", "ett", "för", "i", "inom", "med", "och", "om", "på", "som", "till", "vid",
];

/// The content words of a label, each by its first five letters.
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty() && !FUNCTION_WORDS.contains(&w.as_str()))
        .map(|w| w.chars().take(5).collect())
        .collect()
}

/// Dice coefficient: shared words over the mean size.
fn dice(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    2.0 * a.intersection(b).count() as f64 / (a.len() + b.len()) as f64
}

/// Shared words over the smaller set: a paraphrase inside a quoted sentence scores high.
fn overlap(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / smaller as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::{DecisionReading, EventReading, GroupReading, PersonReading};

    fn reading() -> Reading {
        empty("doc")
    }

    fn event(label: &str, kind: &str, date: Option<&str>) -> EventReading {
        EventReading {
            label: label.into(),
            kind: kind.into(),
            date: date.map(Into::into),
            participants_count: None,
        }
    }

    fn group(name: &str, members: &[&str], lead: Option<&str>) -> GroupReading {
        GroupReading {
            name: name.into(),
            members: members.iter().map(|m| m.to_string()).collect(),
            lead: lead.map(Into::into),
        }
    }

    #[test]
    fn precision_recall_and_f1_count_each_pair_once() {
        let mut gold = reading();
        gold.organisations = vec!["Skatteverket".into(), "Bolagsverket".into(), "Boverket".into()];
        let mut ours = reading();
        ours.organisations = vec!["skatteverket".into(), "Bolagsverket ".into(), "Trafikverket".into()];
        let counts = score(&[gold], &[ours]).kind("organisations");
        assert_eq!(
            counts,
            Counts {
                gold: 3,
                ours: 3,
                matched: 2
            }
        );
        assert!((counts.precision() - 2.0 / 3.0).abs() < 1e-9 && (counts.f1() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(
            Counts::default().f1(),
            1.0,
            "nothing to find and nothing found is perfect"
        );
        assert_eq!(
            Counts {
                gold: 2,
                ours: 0,
                matched: 0
            }
            .f1(),
            0.0
        );
    }

    #[test]
    fn a_document_not_read_counts_as_nothing_found() {
        let mut gold = reading();
        gold.people = vec![PersonReading {
            name: "Fia Ekelöf".into(),
            organisation: None,
            role: None,
        }];
        let scores = score(&[gold], &[]);
        assert_eq!(
            scores.kind("people"),
            Counts {
                gold: 1,
                ours: 0,
                matched: 0
            }
        );
        assert_eq!(scores.unread, vec!["doc".to_string()]);
        assert!(scores.table().contains("not read: doc"));
    }

    #[test]
    fn groups_pair_by_name_or_by_most_of_their_words() {
        let mut gold = reading();
        gold.groups = vec![
            group("den juridiska expertgruppen inom eSam", &[], None),
            group("sakområdesgrupp arkitektur", &["Skatteverket", "CSN"], Some("Eva Ek")),
        ];
        let mut ours = reading();
        ours.groups = vec![
            group("koordineringsgrupp arkitektur", &["Skatteverket"], Some("Eva Ek")),
            group("juridiska expertgruppen eSam", &[], None),
        ];
        let scores = score(&[gold], &[ours]);
        // "koordineringsgrupp arkitektur" shares one word of two: another group.
        assert_eq!(
            scores.kind("groups"),
            Counts {
                gold: 2,
                ours: 2,
                matched: 1
            }
        );
        assert_eq!(
            scores.kind("group members"),
            Counts {
                gold: 2,
                ours: 1,
                matched: 0
            }
        );
        assert_eq!(
            scores.kind("group leads"),
            Counts {
                gold: 1,
                ours: 1,
                matched: 0
            }
        );
    }

    #[test]
    fn members_of_a_paired_group_count_under_the_readers_name() {
        let mut gold = reading();
        gold.groups = vec![group(
            "den juridiska expertgruppen inom eSam",
            &["Skatteverket"],
            Some("Eva Ek"),
        )];
        let mut ours = reading();
        ours.groups = vec![group(
            "juridiska expertgruppen eSam",
            &["Skatteverket", "CSN"],
            Some("Eva Ek"),
        )];
        let scores = score(&[gold], &[ours]);
        assert_eq!(
            scores.kind("group members"),
            Counts {
                gold: 1,
                ours: 2,
                matched: 1
            }
        );
        assert_eq!(
            scores.kind("group leads"),
            Counts {
                gold: 1,
                ours: 1,
                matched: 1
            }
        );
    }

    #[test]
    fn events_pair_by_words_or_by_date_and_type_and_details_are_compared() {
        let mut gold = reading();
        gold.events = vec![
            event("Sakområdesgrupp kommunikation", "möte", Some("2021-12-08")),
            event("Temamöte Samordningsgruppen", "temamöte", Some("2021-12-08")),
            event("Expertgrupp juridik", "möte", Some("2021-12-16")),
        ];
        let mut ours = reading();
        ours.events = vec![
            event("Samordningsgruppens temamöte", "temamöte", Some("2021-12-08")),
            event("Möte i sakområdesgruppen", "möte", Some("2021-12-08")),
            event("Något annat", "utbildning", Some("2021-12-16")),
        ];
        let scores = score(&[gold], &[ours]);
        assert_eq!(
            scores.kind("events"),
            Counts {
                gold: 3,
                ours: 3,
                matched: 2
            }
        );
        let [.., date, kind, count, _, _] = scores.details;
        assert_eq!((date.agreed, kind.agreed, count.agreed), (2, 2, 2));
        assert_eq!(date.compared, 2);
    }

    #[test]
    fn decisions_pair_when_the_paraphrase_is_inside_the_quote() {
        let mut gold = reading();
        gold.decisions = vec![DecisionReading {
            label: "Välkomna Ekonomistyrningsverket och Folkhälsomyndigheten som nya medlemmar i eSam".into(),
            by: Some("eSams styrgrupp".into()),
            date: Some("2021-12-01".into()),
        }];
        let mut ours = reading();
        ours.decisions = vec![
            DecisionReading {
                label: "Styrgruppen beslutade att Teams inte räcker".into(),
                by: Some("eSams styrgrupp".into()),
                date: Some("2021-12-01".into()),
            },
            DecisionReading {
                label: "eSams styrgrupp beslutade den 1 december att välkomna Ekonomistyrningsverket och \
                        Folkhälsomyndigheten som nya medlemmar i eSam"
                    .into(),
                by: None,
                date: Some("2021-12-01".into()),
            },
        ];
        let scores = score(&[gold], &[ours]);
        assert_eq!(
            scores.kind("decisions"),
            Counts {
                gold: 1,
                ours: 2,
                matched: 1
            }
        );
        let [.., by, date] = scores.details;
        assert_eq!((by.agreed, by.compared, date.agreed), (0, 1, 1));
    }

    #[test]
    fn people_details_agree_when_both_are_absent() {
        let person = |org: Option<&str>, role: Option<&str>| PersonReading {
            name: "Eva Ek".into(),
            organisation: org.map(Into::into),
            role: role.map(Into::into),
        };
        let mut gold = reading();
        gold.people = vec![person(Some("Skatteverket"), None)];
        let mut ours = reading();
        ours.people = vec![person(Some("skatteverket"), Some("jurist"))];
        let scores = score(&[gold], &[ours]);
        let [org, role, ..] = scores.details;
        assert_eq!((org.agreed, role.agreed, role.compared), (1, 0, 1));
    }
}
