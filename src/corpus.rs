//! Synthetic newsletters for benchmarks: N newsletters built deterministically from a seed by
//! recombining the sections of the bundled ones, with other issue dates, other organisations
//! from the reference list and other people's names — so that the extractor does the same
//! kind of work as on real text, at any scale.

use std::fmt::Write as _;

use crate::extract::Lexicon;
use crate::ingest::{BlockKind, IngestLimits, parse_bytes};
use crate::reference::BUNDLED_NEWSLETTERS;

/// A small, fast, well-mixed generator (SplitMix64): the same seed gives the same corpus on
/// every machine, without a dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Common Swedish surnames (SCB's most frequent), for the generated people.
const SURNAMES: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Olofsson",
    "Lindström",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lundgren",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Eklund",
    "Danielsson",
    "Lundin",
    "Håkansson",
    "Björk",
    "Bergman",
    "Gunnarsson",
    "Holm",
    "Nyström",
];

/// Given names the generated people get (all in the bundled given-name list).
const GIVEN: &[&str] = &[
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kerstin", "Johanna", "Sofia", "Erik", "Lars", "Karl",
    "Anders", "Johan", "Per", "Mikael", "Jan", "Peter", "Thomas", "Daniel", "Fredrik", "Magnus", "Jonas",
];

const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Mars",
    "April",
    "Maj",
    "Juni",
    "Juli",
    "Augusti",
    "September",
    "Oktober",
    "November",
    "December",
];

/// One section of a bundled newsletter: its heading and paragraphs.
#[derive(Debug, Clone)]
struct Section {
    heading: String,
    paragraphs: Vec<String>,
}

/// The material a corpus is made from: sections, the organisations and people they name, and
/// the organisations that may take their place.
#[derive(Debug, Clone)]
pub struct Material {
    sections: Vec<Section>,
    organisation_names: Vec<String>,
    people: Vec<String>,
    replacements: Vec<String>,
}

impl Material {
    /// Reads the bundled newsletters with `lexicon` (their organisations and people are what
    /// the generated ones vary).
    pub fn bundled(lexicon: &Lexicon) -> Self {
        let mut material = Self {
            sections: Vec::new(),
            organisation_names: Vec::new(),
            people: Vec::new(),
            replacements: Vec::new(),
        };
        for (name, bytes) in BUNDLED_NEWSLETTERS {
            let Ok(document) = parse_bytes(name, bytes, IngestLimits::default()) else {
                continue;
            };
            let extraction = crate::extract::extract(&document, lexicon, None);
            material
                .organisation_names
                .extend(extraction.organisations.values().map(|o| o.name.clone()));
            material
                .people
                .extend(extraction.people.values().map(|p| p.name.clone()));
            let mut current: Option<Section> = None;
            // The first blocks are the title and the date line: the generated ones have their own.
            for block in document.blocks.iter().skip(2) {
                match block.kind {
                    BlockKind::Heading(_) => {
                        material.sections.extend(current.take());
                        current = Some(Section {
                            heading: block.text.clone(),
                            paragraphs: Vec::new(),
                        });
                    }
                    _ => {
                        if let Some(section) = current.as_mut() {
                            section.paragraphs.push(block.text.clone());
                        }
                    }
                }
            }
            material.sections.extend(current);
        }
        // Longest first, so "Statens tjänstepensionsverk" is replaced before a shorter name in it.
        material
            .organisation_names
            .sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
        material.organisation_names.dedup();
        material.people.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
        material.people.dedup();
        material.replacements = lexicon
            .gazetteer
            .names()
            .filter(|name| name.chars().count() >= 6 && !name.contains('('))
            .map(str::to_string)
            .collect();
        material.replacements.sort();
        material
    }

    /// Newsletter `n` of a corpus seeded `seed`: its file name and text.
    pub fn newsletter(&self, seed: u64, n: usize) -> (String, String) {
        let mut rng = Rng::new(seed ^ (n as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        let year = 2030 + (n / 12) % 400;
        let month = n % 12;
        let mut text = format!("Nyhetsbrev från eSam\n\n{} {year}\n\n", MONTHS[month]);
        let organisations: Vec<(&str, &str)> = self
            .organisation_names
            .iter()
            .map(|name| (name.as_str(), rng.pick(&self.replacements).as_str()))
            .collect();
        let people: Vec<(&str, String)> = self
            .people
            .iter()
            .map(|name| (name.as_str(), format!("{} {}", rng.pick(GIVEN), rng.pick(SURNAMES))))
            .collect();
        let count = 4 + rng.below(6);
        for _ in 0..count {
            let section = rng.pick(&self.sections);
            let _ = write!(text, "{}\n\n", section.heading);
            for paragraph in &section.paragraphs {
                let mut paragraph = paragraph.clone();
                for (from, to) in &organisations {
                    paragraph = paragraph.replace(from, to);
                }
                for (from, to) in &people {
                    paragraph = paragraph.replace(from, to);
                }
                let _ = write!(text, "{paragraph}\n\n");
            }
        }
        // Every newsletter differs, so none is refused as a copy of another.
        let _ = writeln!(text, "Nyhetsbrev nummer {n} från eSams kansli.");
        (format!("esam-nyhetsbrev-{year}-{:02}-{n:05}.txt", month + 1), text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corpus_is_deterministic_varied_and_read_like_the_real_newsletters() {
        let lexicon = crate::extract::tests_support::lexicon();
        let material = Material::bundled(&lexicon);
        assert!(material.sections.len() > 10 && !material.people.is_empty());
        let (name, first) = material.newsletter(7, 3);
        assert_eq!(name, "esam-nyhetsbrev-2030-04-00003.txt");
        assert_eq!(material.newsletter(7, 3).1, first, "the same seed gives the same text");
        assert_ne!(material.newsletter(8, 3).1, first, "another seed, another text");
        let document = parse_bytes(&name, first.as_bytes(), IngestLimits::default()).unwrap();
        let extraction = crate::extract::extract(&document, &lexicon, None);
        assert_eq!(extraction.issued.map(|(d, _)| d.iso()), Some("2030-04".to_string()));
        assert!(
            extraction.organisations.len() >= 3,
            "{:?}",
            extraction.organisations.keys()
        );
        assert!(!extraction.people.is_empty());
    }
}
