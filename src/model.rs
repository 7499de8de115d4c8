//! Domain types of what a newsletter says, without RDF.
//!
//! `extract` produces an [`Extraction`]; `graph` turns it into the quads of one
//! document's named graph. Entities are referred to by [`EntityKey`]s (readable
//! slugs) that `ids` turns into IRIs.

use std::collections::BTreeMap;
use std::fmt;

/// The kinds of entity that get their own IRI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityKind {
    /// An organisation (authority, association, company, EU body …).
    Organisation,
    /// A named person.
    Person,
    /// A working group, project or standing body.
    Group,
    /// A meeting, training, theme day …
    Event,
    /// A decision.
    Decision,
    /// A role ("kanslichef").
    Role,
    /// One of DIGG's Ena building blocks (reference data).
    BuildingBlock,
}

impl EntityKind {
    /// The path segment used in IRIs and the word used in reports.
    pub fn segment(self) -> &'static str {
        match self {
            EntityKind::Organisation => "org",
            EntityKind::Person => "person",
            EntityKind::Group => "group",
            EntityKind::Event => "event",
            EntityKind::Decision => "decision",
            EntityKind::Role => "role",
            EntityKind::BuildingBlock => "building-block",
        }
    }
}

/// A readable, stable key of an entity of some kind, e.g. `skatteverket`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityKey(String);

impl EntityKey {
    /// A key from a name: lower case, ASCII, words joined by `-`.
    pub fn from_name(name: &str) -> Self {
        Self(slug(name))
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EntityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lower-case ASCII slug with Swedish letters transliterated ("Öhrnell" → "ohrnell").
pub fn slug(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

/// A calendar date at the precision the text gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// Year.
    pub year: i32,
    /// Month 1–12, if known.
    pub month: Option<u8>,
    /// Day of month, if known (only with a month).
    pub day: Option<u8>,
}

impl PartialDate {
    /// A full date, if the day exists in that month.
    pub fn ymd(year: i32, month: u8, day: u8) -> Option<Self> {
        (1..=12).contains(&month).then_some(())?;
        (day >= 1 && day <= days_in_month(year, month)).then_some(Self {
            year,
            month: Some(month),
            day: Some(day),
        })
    }

    /// A year and month.
    pub fn ym(year: i32, month: u8) -> Option<Self> {
        (1..=12).contains(&month).then_some(Self {
            year,
            month: Some(month),
            day: None,
        })
    }

    /// Months since year 0, for distances between dates.
    pub fn month_index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month.unwrap_or(6)) - 1
    }

    /// `2021-12-01`, `2021-12` or `2021` (the lexical forms of xsd:date, gYearMonth, gYear).
    pub fn iso(self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }
}

impl PartialDate {
    /// Reads the lexical forms [`PartialDate::iso`] writes (`2021-12-01`, `2021-12`, `2021`).
    pub fn parse_iso(text: &str) -> Option<Self> {
        let mut parts = text.split('-');
        let year = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
        let month: Option<u8> = parts.next().map(str::parse).transpose().ok()?;
        let day: Option<u8> = parts.next().map(str::parse).transpose().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Self::at_precision(year, month, day)
    }

    /// A date at the precision given (a day needs its month), if it exists.
    pub fn at_precision(year: i32, month: Option<u8>, day: Option<u8>) -> Option<Self> {
        match (month, day) {
            (Some(m), Some(d)) => Self::ymd(year, m, d),
            (Some(m), None) => Self::ym(year, m),
            (None, None) => Some(Self {
                year,
                month: None,
                day: None,
            }),
            (None, Some(_)) => None,
        }
    }

    /// Whether `self` is on or before `other`, compared at the coarser precision of the two
    /// ("2021-12" is on or before "2021-12-15", and so is "2021-12-15" before "2021-12").
    pub fn not_after(self, other: Self) -> bool {
        let month = |d: Self, o: Self| if o.month.is_some() { d.month } else { None };
        let day = |d: Self, o: Self| if o.day.is_some() { d.day } else { None };
        let a = (self.year, month(self, other), day(self, other));
        let b = (other.year, month(other, self), day(other, self));
        a <= b
    }
}

/// The days a name (or an organisation) was in use, as far as the source says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Validity {
    /// First day, when stated.
    pub from: Option<PartialDate>,
    /// Last day, when stated (none: still in use, as far as known).
    pub through: Option<PartialDate>,
}

impl Validity {
    /// Whether the name may have been valid on `day`: no stated start after it and no stated
    /// end before it.
    pub fn covers(&self, day: PartialDate) -> bool {
        let started = self.from.is_none_or(|from| from.not_after(day));
        let not_ended = self.through.is_none_or(|through| day.not_after(through));
        started && not_ended
    }

    /// Whether the name has no stated end (current as far as the source knows).
    pub fn is_current(&self) -> bool {
        self.through.is_none()
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Where a fact was read: the section, the quoted sentence and its character
/// offsets in the document text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Index of the section in [`Extraction::sections`].
    pub section: usize,
    /// The sentence, exactly as in the text (inline markup removed).
    pub quote: String,
    /// Offset (in characters) of the sentence's first character in the source text.
    pub start: usize,
    /// Offset (in characters) just past the sentence's last character.
    pub end: usize,
}

/// How an organisation was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recognition {
    /// By the names and abbreviations of the reference data.
    Reference,
    /// By a Swedish naming pattern ("…verket", "Myndigheten för …", "… AB").
    Pattern,
}

/// An organisation the document names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    /// Its key (the reference entry's key, or a slug of the name found).
    pub key: EntityKey,
    /// The official name (reference) or the name as found (pattern).
    pub name: String,
    /// How it was recognised.
    pub recognition: Recognition,
}

/// One occurrence of an organisation in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgMention {
    /// Which organisation.
    pub org: EntityKey,
    /// The form used in the text ("SKR:s").
    pub surface: String,
    /// Where.
    pub evidence: Evidence,
}

/// A section of the document: its heading and position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionInfo {
    /// The heading as written ("" for the untitled opening).
    pub heading: String,
    /// Offset of the section's first character.
    pub start: usize,
    /// Offset just past its last character.
    pub end: usize,
}

/// How the issue date was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuedBasis {
    /// Given by the operator (`--issued`).
    Given,
    /// A date line or the title ("December 2023").
    DateLine,
    /// Inferred from the dates the content states.
    Content,
}

/// A named person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Key from the name.
    pub key: EntityKey,
    /// Full name as written.
    pub name: String,
}

/// A person's tie to an organisation (or group), with a role in the text's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affiliation {
    /// The person.
    pub person: EntityKey,
    /// The organisation, when the text ties the person to one.
    pub organisation: Option<EntityKey>,
    /// The role ("kanslichef", "Chief Digital Officer"), when stated.
    pub role: Option<String>,
    /// Where.
    pub evidence: Evidence,
}

/// What kind of group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// A named project or working group ("Finansiell status", "hSam").
    Project,
    /// One of eSam's standing bodies (styrgrupp, kansli, expert groups …).
    Body,
}

/// A working group, project or standing body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Key from the canonical name.
    pub key: EntityKey,
    /// Canonical name ("eSams styrgrupp", "Finansiell status").
    pub name: String,
    /// Its kind.
    pub kind: GroupKind,
    /// Other names the text uses for it.
    pub alt_names: Vec<String>,
}

/// An organisation taking part in a group (or eSam membership).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participation {
    /// The group or organisation joined (a group key, or an organisation key for eSam membership).
    pub group: GroupRef,
    /// The participating organisation.
    pub organisation: EntityKey,
    /// Role ("medlem", "adjungerad"), when stated.
    pub role: Option<String>,
    /// From when, if stated.
    pub from: Option<PartialDate>,
    /// Where.
    pub evidence: Evidence,
}

/// A group or an organisation (things that have members or decide).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupRef {
    /// A working group, project or body.
    Group(EntityKey),
    /// An organisation.
    Organisation(EntityKey),
}

/// Who leads a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    /// The group.
    pub group: EntityKey,
    /// The person leading it.
    pub person: EntityKey,
    /// Where.
    pub evidence: Evidence,
}

/// A number of participants the text states for a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedCount {
    /// The group.
    pub group: EntityKey,
    /// The number.
    pub count: u32,
    /// Where.
    pub evidence: Evidence,
}

/// A meeting, training, theme day, calendar entry …
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Label ("Temamöte: AI-mönster för tillämpningar", "Koordineringsgrupp arkitektur").
    pub label: String,
    /// Type in Swedish ("temamöte", "utbildning", "möte" …).
    pub kind: String,
    /// Date at the precision given.
    pub date: Option<PartialDate>,
    /// Last day, for ranges.
    pub end_date: Option<PartialDate>,
    /// Stated number of participants.
    pub participants: Option<u32>,
    /// Organiser, when stated.
    pub organiser: Option<GroupRef>,
    /// The group it is a meeting of or about.
    pub about: Option<EntityKey>,
    /// Where.
    pub evidence: Evidence,
}

/// Something the text presents as decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// What was decided, in the text's words.
    pub label: String,
    /// Who decided, when stated.
    pub by: Option<GroupRef>,
    /// When, if stated.
    pub date: Option<PartialDate>,
    /// What it concerns (organisations, groups).
    pub concerns: Vec<GroupRef>,
    /// Where.
    pub evidence: Evidence,
}

/// A building block the text names, and the groups of that section it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockMention {
    /// The building block (reference data key).
    pub block: EntityKey,
    /// The words the text used.
    pub surface: String,
    /// The groups the section is about (those with members, leads or events stated there).
    pub groups: Vec<EntityKey>,
    /// Where.
    pub evidence: Evidence,
}

/// Everything extracted from one document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Extraction {
    /// The document's title.
    pub title: String,
    /// Issue date and how it was found.
    pub issued: Option<(PartialDate, IssuedBasis)>,
    /// Sections in order.
    pub sections: Vec<SectionInfo>,
    /// Organisations named, by key.
    pub organisations: BTreeMap<EntityKey, Organisation>,
    /// Every occurrence of an organisation.
    pub mentions: Vec<OrgMention>,
    /// People named, by key.
    pub people: BTreeMap<EntityKey, Person>,
    /// People's organisations and roles.
    pub affiliations: Vec<Affiliation>,
    /// Groups named, by key.
    pub groups: BTreeMap<EntityKey, Group>,
    /// Organisations taking part in groups (and in eSam).
    pub participations: Vec<Participation>,
    /// Group leads.
    pub leads: Vec<Lead>,
    /// Stated participant counts of groups.
    pub counts: Vec<StatedCount>,
    /// Events.
    pub events: Vec<Event>,
    /// Decisions.
    pub decisions: Vec<Decision>,
    /// Building blocks named.
    pub blocks: Vec<BlockMention>,
    /// Things the extractor wants a human to know (no date found …).
    pub diagnostics: Vec<Diagnostic>,
    /// The language the text is in (`"sv"`, `"en"`), `None` when not recognised.
    pub language: Option<&'static str>,
}

/// A note from extraction about the text (never an error: extraction does not fail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Character offset the note is about, if any.
    pub at: Option<usize>,
    /// What was noticed.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_compares_at_the_coarser_precision() {
        let date = |s: &str| PartialDate::parse_iso(s).unwrap();
        assert_eq!(date("2021-12-01").iso(), "2021-12-01");
        assert_eq!(date("2025").iso(), "2025");
        assert!(PartialDate::parse_iso("2021-13").is_none() && PartialDate::parse_iso("21-12").is_none());
        let esv = Validity {
            from: Some(date("1998-07-01")),
            through: Some(date("2025-12-31")),
        };
        assert!(esv.covers(date("2021-12")) && esv.covers(date("2025")) && !esv.covers(date("2026-01")));
        assert!(!esv.covers(date("1998-06")) && esv.covers(date("1998-07")) && esv.covers(date("1998")));
        let old = Validity {
            from: None,
            through: Some(date("2025")),
        };
        assert!(old.covers(date("2021-12-01")) && old.covers(date("2025-12-31")) && !old.covers(date("2026-01-01")));
        assert!(!old.is_current() && Validity::default().is_current());
    }

    #[test]
    fn slugs_are_readable_ascii() {
        for (name, expected) in [
            ("Skatteverket", "skatteverket"),
            ("Fia Ekelöf", "fia-ekelof"),
            ("Jonas Öhrnell", "jonas-ohrnell"),
            (
                "Myndigheten för samhällsskydd och beredskap",
                "myndigheten-for-samhallsskydd-och-beredskap",
            ),
            ("Wikström & Partners Advokatbyrå AB", "wikstrom-partners-advokatbyra-ab"),
            ("  ", "x"),
        ] {
            assert_eq!(slug(name), expected, "{name}");
        }
    }

    #[test]
    fn partial_dates_validate_and_print_iso() {
        assert_eq!(
            PartialDate::ymd(2021, 12, 1).map(PartialDate::iso).as_deref(),
            Some("2021-12-01")
        );
        assert_eq!(PartialDate::ymd(2023, 2, 29), None);
        assert!(PartialDate::ymd(2024, 2, 29).is_some());
        assert_eq!(
            PartialDate::ym(2021, 12).map(PartialDate::iso).as_deref(),
            Some("2021-12")
        );
        assert_eq!(PartialDate::ym(2021, 13), None);
    }
}
