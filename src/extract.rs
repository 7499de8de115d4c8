//! Document → [`Extraction`]: the passes and their order. The document is split into
//! sections and sentences, each sentence into words ([`tokens`]) and dates; the issue date
//! (`issue`) decides what a name two organisations bore means ([`orgs`]); then the language,
//! the title, and people, groups, events and decisions (`reading`) — each fact with the
//! sentence it came from. Never fails and never panics on any text; what it cannot establish
//! becomes a diagnostic.

pub mod blocks;
pub mod dates;
pub mod decisions;
pub mod events;
pub mod groups;
pub mod language;
pub mod numbers;
pub mod orgs;
pub mod people;
pub mod sentences;
pub mod suppress;
pub mod tokens;

mod issue;
mod reading;

use crate::ingest::{Block, BlockKind, Document};
use crate::model::{Diagnostic, Evidence, Extraction, GroupRef, IssuedBasis, PartialDate, SectionInfo};
pub use orgs::{Gazetteer, GazetteerEntry};
pub use people::GivenNames;

/// The reference knowledge the extractor reads with.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Organisations.
    pub gazetteer: Gazetteer,
    /// Common given names.
    pub given_names: GivenNames,
    /// DIGG's building blocks.
    pub building_blocks: blocks::BlockNames,
}

/// A sentence with its words, organisations and dates found.
#[derive(Debug, Clone)]
pub struct Analysed<'d> {
    /// The sentence.
    pub sentence: Sentence<'d>,
    /// Its words.
    pub tokens: Vec<tokens::Token<'d>>,
    /// Organisations in it.
    pub orgs: Vec<orgs::Found>,
    /// Dates in it.
    pub dates: Vec<dates::DateMention>,
}

impl Analysed<'_> {
    /// The organisation covering token `index`.
    pub fn org_at(&self, index: usize) -> Option<&orgs::Found> {
        let token = self.tokens.get(index)?;
        self.orgs.iter().find(|o| o.start <= token.start && token.start < o.end)
    }

    /// The first token of an organisation found here.
    pub fn first_token_of(&self, org: &orgs::Found) -> Option<usize> {
        self.tokens.iter().position(|t| t.start >= org.start)
    }

    /// The last token of an organisation found here.
    pub fn last_token_of(&self, org: &orgs::Found) -> Option<usize> {
        self.tokens.iter().rposition(|t| t.end <= org.end)
    }

    /// The sentence as text.
    pub fn text(&self) -> String {
        self.sentence.text()
    }

    /// Its words in lower case.
    pub fn lower_words(&self) -> Vec<&str> {
        self.tokens.iter().map(|t| &*t.lower).collect()
    }
}

/// Words, organisations and dates of a sentence of an undated text.
pub fn analyse_sentence<'d>(sentence: Sentence<'d>, gazetteer: &Gazetteer) -> Analysed<'d> {
    let mut analysed = words_and_dates(sentence);
    analysed.orgs = orgs::find(gazetteer, analysed.sentence.chars, &analysed.tokens, None);
    analysed
}

/// Words and dates of a sentence; its organisations wait for the issue date, which decides
/// what a name two organisations bore means.
fn words_and_dates(sentence: Sentence<'_>) -> Analysed<'_> {
    let tokens = tokens::tokenize(sentence.chars, sentence.text);
    Analysed {
        dates: dates::find_in_words(sentence.chars, sentence.text, &tokens),
        tokens,
        orgs: Vec::new(),
        sentence,
    }
}

/// A sentence of the document with where it sits.
#[derive(Debug, Clone)]
pub struct Sentence<'d> {
    /// Index of its section.
    pub section: usize,
    /// The block it is in.
    pub block: &'d Block,
    /// Its characters: a slice of the block's.
    pub chars: &'d [char],
    /// The same as text: a slice of the block's (several passes search it).
    pub text: &'d str,
    /// Character index of its first character in the block.
    pub block_start: usize,
}

impl Sentence<'_> {
    /// The sentence as text.
    pub fn text(&self) -> String {
        self.text.to_string()
    }

    /// Evidence for a fact read from this whole sentence.
    pub fn evidence(&self) -> Evidence {
        Evidence {
            section: self.section,
            quote: self.text(),
            start: self.block.source_offset(self.block_start),
            end: self
                .block
                .source_offset(self.block_start + self.chars.len().saturating_sub(1))
                + 1,
        }
    }
}

/// The document split into sections and sentences.
pub fn sentences(document: &Document) -> (Vec<SectionInfo>, Vec<Sentence<'_>>) {
    let mut sections: Vec<SectionInfo> = Vec::new();
    let mut sentences = Vec::new();
    for block in &document.blocks {
        let block_start = block.source_offset(0);
        let block_end = block.offsets.last().copied().unwrap_or(block_start);
        if matches!(block.kind, BlockKind::Heading(_)) || sections.is_empty() {
            let heading = if matches!(block.kind, BlockKind::Heading(_)) {
                block.text.clone()
            } else {
                String::new()
            };
            sections.push(SectionInfo {
                heading,
                start: block_start,
                end: block_end,
            });
        }
        let section = sections.len() - 1;
        if let Some(current) = sections.last_mut() {
            current.end = block_end;
        }
        let chars = &block.chars;
        // Byte offsets of the sentence ranges, counted on from the previous range (they come
        // in text order): cheaper than the offset of every character.
        let mut at = (0, 0);
        let mut byte_of = |index: usize| {
            let (from, byte) = at;
            let byte = byte + chars[from..index].iter().map(|c| c.len_utf8()).sum::<usize>();
            at = (index, byte);
            byte
        };
        for range in sentences::split(chars) {
            let (start, end) = (byte_of(range.start), byte_of(range.end));
            sentences.push(Sentence {
                section,
                block,
                chars: &chars[range.start..range.end],
                text: &block.text[start..end],
                block_start: range.start,
            });
        }
    }
    (sections, sentences)
}

/// Reads a document. `issued` is the operator's issue date, which wins over the text's.
pub fn extract(document: &Document, lexicon: &Lexicon, issued: Option<PartialDate>) -> Extraction {
    let (sections, sentences) = sentences(document);
    let mut analysed: Vec<Analysed<'_>> = sentences.into_iter().map(words_and_dates).collect();
    let mut extraction = Extraction {
        sections,
        ..Extraction::default()
    };
    extraction.issued = match issued {
        Some(date) => Some((date, IssuedBasis::Given)),
        None => issue::issue_date(document, &analysed),
    };
    let at = extraction.issued.map(|(date, _)| date);
    for sentence in &mut analysed {
        sentence.orgs = orgs::find(&lexicon.gazetteer, sentence.sentence.chars, &sentence.tokens, at);
    }
    if extraction.issued.is_none() {
        extraction.diagnostics.push(Diagnostic {
            at: None,
            message: "no issue date: no date line, and the text states no dates to infer it from (use --issued)".into(),
        });
    }
    if let Some(note) = issue::conflicting_dates(&analysed, extraction.issued) {
        extraction.diagnostics.push(note);
    }
    // The words of the sentences: runs of letters with their inner hyphens ("e-tjänst" is one
    // word), not numbers.
    let words = analysed
        .iter()
        .flat_map(|sentence| &sentence.tokens)
        .filter(|token| token.text.chars().next().is_some_and(char::is_alphabetic))
        .map(|token| &*token.lower);
    let language = language::guess_lower(words);
    extraction.language = language.language;
    if let Some(message) = language.note() {
        extraction.diagnostics.push(Diagnostic { at: None, message });
    }
    extraction.title = issue::title(document, extraction.issued.map(|(d, _)| d));
    reading::read(&analysed, lexicon, &mut extraction);
    date_memberships_by_their_decision(&mut extraction);
    extraction
}

/// A membership stated in a decision's own sentence ("Styrgruppen har beslutat att välkomna
/// tre nya medlemmar …") starts when that decision was taken, unless the text gives a start.
fn date_memberships_by_their_decision(extraction: &mut Extraction) {
    for participation in &mut extraction.participations {
        if participation.from.is_some() {
            continue;
        }
        let decided = extraction.decisions.iter().find(|d| {
            d.evidence.start == participation.evidence.start
                && d.concerns
                    .iter()
                    .any(|c| *c == GroupRef::Organisation(participation.organisation.clone()))
        });
        if let Some(date) = decided.and_then(|d| d.date) {
            participation.from = Some(date);
        }
    }
}

/// Helpers for the extractor's unit tests: the bundled lexicon, and text split
/// into analysed sentences.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;
    use crate::ingest::{IngestLimits, parse_bytes};

    /// The bundled lexicon (reference organisations and given names).
    pub fn lexicon() -> Lexicon {
        crate::reference::Reference::load(&crate::ids::Ids::default())
            .unwrap()
            .lexicon
    }

    /// Text → analysed sentences (the document is leaked: tests only).
    pub fn analyse_text(text: &str, lexicon: &Lexicon) -> Vec<Analysed<'static>> {
        let document: &'static Document = Box::leak(Box::new(
            parse_bytes("test.txt", text.as_bytes(), IngestLimits::default()).unwrap(),
        ));
        sentences(document)
            .1
            .into_iter()
            .map(|s| analyse_sentence(s, &lexicon.gazetteer))
            .collect()
    }

    /// The same, under the name the people tests use.
    pub use analyse_text as analyse;

    /// (person, organisation, role) of every affiliation, by key.
    pub fn ties(extraction: &Extraction) -> Vec<(String, Option<String>, Option<String>)> {
        extraction
            .affiliations
            .iter()
            .map(|a| {
                (
                    a.person.to_string(),
                    a.organisation.as_ref().map(|k| k.to_string()),
                    a.role.clone(),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{IngestLimits, parse_bytes};

    fn document(text: &str) -> Document {
        parse_bytes("test.txt", text.as_bytes(), IngestLimits::default()).unwrap()
    }

    #[test]
    fn evidence_offsets_point_at_the_sentence_in_the_source() {
        let text = "Rubrik\n\nFörsta meningen. Sedan kom **Skatteverket** hit.\n";
        let doc = document(text);
        let lexicon = Lexicon {
            gazetteer: Gazetteer::new(vec![GazetteerEntry::new(
                crate::model::EntityKey::from_name("Skatteverket"),
                "Skatteverket",
                vec!["Skatteverket".into()],
            )]),
            given_names: GivenNames::default(),
            building_blocks: Default::default(),
        };
        let extraction = extract(&doc, &lexicon, None);
        let evidence = &extraction.mentions[0].evidence;
        assert_eq!(evidence.quote, "Sedan kom Skatteverket hit.");
        let source: String = text
            .chars()
            .skip(evidence.start)
            .take(evidence.end - evidence.start)
            .collect();
        assert_eq!(source, "Sedan kom **Skatteverket** hit.");
        assert_eq!(extraction.sections[evidence.section].heading, "Rubrik");
    }
}

#[cfg(test)]
mod news_item {
    use super::*;
    use crate::ingest::{IngestLimits, parse_bytes};
    use crate::model::GroupRef;

    /// A news item written here in the style of eSam's (not from the bundled corpus).
    const NEWS: &str = "Ny vägledning om molntjänster\n\nNu har eSam publicerat en vägledning om molntjänster. Vägledningen har tagits fram av eSams expertgrupp juridik tillsammans med Försäkringskassan, Pensionsmyndigheten och Skatteverket.\n\n– Det är ett viktigt stöd för myndigheterna, säger Maria Andersson, jurist på Pensionsmyndigheten.\n\nDen 12 mars hålls ett webbinarium om vägledningen där ca 120 deltagare har anmält sig. Webbinariet leds av Per Olsson från Skatteverket.\n\nStyrgruppen beslutade den 20 februari att anta vägledningen. Nästa år planerar vi att ta fram en ny version.\n\nProjektet Gemensam ingång är ett samarbete mellan Bolagsverket, Lantmäteriet och Tillväxtverket. Projektet leds av Sara Holm på Bolagsverket.\n";

    #[test]
    fn reads_a_news_item_it_has_never_seen() {
        let document = parse_bytes("nyhet.txt", NEWS.as_bytes(), IngestLimits::default()).unwrap();
        let extraction = extract(&document, &tests_support::lexicon(), PartialDate::ym(2024, 3));
        let key = |name: &str| crate::model::EntityKey::from_name(name);
        let ties = tests_support::ties(&extraction);
        assert!(
            ties.contains(&(
                "maria-andersson".into(),
                Some("pensionsmyndigheten".into()),
                Some("jurist".into())
            )),
            "{ties:?}"
        );
        assert!(
            ties.contains(&("per-olsson".into(), Some("skatteverket".into()), None)),
            "{ties:?}"
        );
        assert!(extraction.groups.contains_key(&key("expertgrupp juridik")));
        let leads: Vec<(String, String)> = extraction
            .leads
            .iter()
            .map(|l| (l.group.to_string(), l.person.to_string()))
            .collect();
        assert_eq!(leads, vec![("gemensam-ingang".to_string(), "sara-holm".to_string())]);
        let members: Vec<String> = extraction
            .participations
            .iter()
            .map(|p| p.organisation.to_string())
            .collect();
        assert_eq!(members, vec!["bolagsverket", "lantmateriet", "tillvaxtverket"]);
        let event = &extraction.events[0];
        assert_eq!(
            (event.kind.as_str(), event.date, event.participants),
            ("webbinarium", PartialDate::ymd(2024, 3, 12), Some(120))
        );
        assert_eq!(extraction.decisions.len(), 1);
        assert_eq!(
            extraction.decisions[0].by,
            Some(GroupRef::Group(key("eSams styrgrupp")))
        );
        assert_eq!(extraction.decisions[0].date, PartialDate::ymd(2024, 2, 20));
    }
}

/// Forms the bundled newsletters do not have, written for these tests in the way eSam's
/// news items put them (see tests/gold/README.md for the conventions).
#[cfg(test)]
mod unseen_forms {
    use super::*;
    use crate::ingest::{IngestLimits, parse_bytes};
    use crate::model::EntityKey;

    const TEXT: &str = "Nyhetsbrev från eSam\n\nApril 2025\n\nNy medlem i eSam\n\n\
I början av april välkomnade styrgruppen Kemikalieinspektionen till eSam. Här berättar generaldirektör Eva Berg om myndighetens arbete.\n\n\
Nya regler\n\n\
Reglerna ändrades samtidigt som regeringen beslutade om en ny förordning. Digitaliseringsminister Karl Ek gästade styrgruppens möte i mitten av april.\n\n\
Temamöten\n\n\
Under våren har vi hållit ett tiotal temamöten och 6 utbildningar, ibland med flera hundra deltagare.\n";

    fn extraction() -> Extraction {
        let document = parse_bytes("nyhet.txt", TEXT.as_bytes(), IngestLimits::default()).unwrap();
        extract(&document, &tests_support::lexicon(), None)
    }

    #[test]
    fn welcomed_to_esam_is_a_decision_of_the_steering_group_dated_before_its_verb() {
        let extraction = extraction();
        let key = |name: &str| EntityKey::from_name(name);
        let welcomed = extraction
            .decisions
            .iter()
            .find(|d| d.label.contains("Kemikalieinspektionen"))
            .expect("the welcome is a decision");
        assert_eq!(welcomed.by, Some(GroupRef::Group(key("eSams styrgrupp"))));
        assert_eq!(welcomed.date, PartialDate::ym(2025, 4));
        let members: Vec<(String, Option<String>)> = extraction
            .participations
            .iter()
            .map(|p| (p.organisation.to_string(), p.role.clone()))
            .collect();
        assert_eq!(
            members,
            vec![("kemikalieinspektionen".to_string(), Some("medlem".to_string()))]
        );
    }

    #[test]
    fn the_organisation_right_before_the_verb_decides() {
        let extraction = extraction();
        let by: Vec<Option<GroupRef>> = extraction
            .decisions
            .iter()
            .filter(|d| d.label.contains("förordning"))
            .map(|d| d.by.clone())
            .collect();
        assert_eq!(
            by,
            vec![Some(GroupRef::Organisation(EntityKey::from_name("Regeringen")))]
        );
    }

    #[test]
    fn a_speaker_introduced_by_role_speaks_for_the_organisation_of_the_item() {
        let extraction = extraction();
        let ties = tests_support::ties(&extraction);
        assert!(
            ties.contains(&(
                "eva-berg".into(),
                Some("kemikalieinspektionen".into()),
                Some("generaldirektör".into())
            )),
            "{ties:?}"
        );
        assert!(
            ties.contains(&("karl-ek".into(), None, Some("Digitaliseringsminister".into()))),
            "{ties:?}"
        );
    }

    #[test]
    fn a_groups_meeting_is_an_event_and_several_meetings_with_a_vague_size_are_not() {
        let extraction = extraction();
        let events: Vec<(String, String, Option<PartialDate>, Option<u32>)> = extraction
            .events
            .iter()
            .map(|e| (e.label.clone(), e.kind.clone(), e.date, e.participants))
            .collect();
        assert_eq!(
            events,
            vec![(
                "Styrgruppsmöte".to_string(),
                "möte".to_string(),
                PartialDate::ym(2025, 4),
                None
            )]
        );
    }
}

#[cfg(test)]
mod membership {
    use super::*;
    use crate::ingest::{IngestLimits, parse_bytes};

    #[test]
    fn new_members_from_a_stated_date() {
        let text = "Två nya medlemmar\n\nVid styrgruppsmötet den 24 februari beslutades att Kemikalieinspektionen och Arbetsmiljöverket blir medlemmar i eSam från den 1 mars.\n";
        let document = parse_bytes("nyhet.txt", text.as_bytes(), IngestLimits::default()).unwrap();
        let extraction = extract(&document, &tests_support::lexicon(), PartialDate::ym(2023, 2));
        let joined: Vec<(String, Option<String>, Option<PartialDate>)> = extraction
            .participations
            .iter()
            .map(|p| (p.organisation.to_string(), p.role.clone(), p.from))
            .collect();
        let march = PartialDate::ymd(2023, 3, 1);
        assert_eq!(
            joined,
            vec![
                ("kemikalieinspektionen".to_string(), Some("medlem".to_string()), march),
                ("arbetsmiljoverket".to_string(), Some("medlem".to_string()), march),
            ]
        );
        assert_eq!(extraction.decisions[0].date, PartialDate::ymd(2023, 2, 24));
    }
}

#[cfg(test)]
mod robustness {
    use super::*;
    use crate::ingest::{IngestLimits, parse_bytes};

    /// Pieces that exercise every rule: markup, dates, names, organisations, cues.
    const PIECES: &[&str] = &[
        "**",
        "[",
        "](",
        ")",
        "\\",
        "- ",
        "• ",
        "1) ",
        "#",
        "\n",
        "\n\n",
        " ",
        ", ",
        ". ",
        ": ",
        "?",
        "–",
        "den ",
        "1 ",
        "31 ",
        "december ",
        "2021",
        "/2022",
        "årsskiftet ",
        "i januari",
        "Skatteverkets ",
        "SKR:s ",
        "DIGG",
        "eSam",
        "Myndigheten för ",
        "Statens ",
        "AB",
        "&",
        "Fia Ekelöf",
        "Kenneth",
        " säger ",
        ", kanslichef ",
        " på ",
        " från ",
        "Projektet ",
        "Finansiell status",
        "hSam",
        "styrgruppen ",
        "beslutade ",
        "välkomnade ",
        "medlemmar",
        "temamöte ",
        "ca 75 deltagare",
        "Kalendarium",
        "leds av ",
        "som är ",
        "överens",
        "kom fram till",
        "é",
        "ß",
        "\u{200b}",
        "\u{feff}",
        "🙂",
        "<p>",
        "</p>",
        "<h2>",
        "&amp;",
        "0",
        "99999999999999999999",
    ];

    /// Deterministic pseudo-random texts (xorshift), so a failure is reproducible.
    fn texts(count: usize) -> impl Iterator<Item = String> {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        (0..count).map(move |_| {
            let mut next = || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state
            };
            let length = (next() % 80) as usize;
            (0..length)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect()
        })
    }

    #[test]
    fn extraction_never_panics_on_odd_text() {
        let lexicon = tests_support::lexicon();
        for (n, text) in texts(3000).enumerate() {
            let name = if n % 3 == 0 { "odd.html" } else { "odd.txt" };
            if let Ok(document) = parse_bytes(name, text.as_bytes(), IngestLimits::default()) {
                let extraction = extract(&document, &lexicon, None);
                for mention in &extraction.mentions {
                    assert!(mention.evidence.start <= mention.evidence.end, "{text:?}");
                    assert!(mention.evidence.end <= document.text.chars().count() + 1, "{text:?}");
                }
            }
        }
    }
}
