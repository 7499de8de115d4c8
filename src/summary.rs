//! One document's extraction in the plain shape of a careful reader's notes: the
//! organisations, people, groups, events and decisions it names, by name, without
//! RDF or evidence. `esam-kg read` prints it; `score` compares it with a hand-made
//! reading in the same shape (the gold readings of `tests/gold/`).
//!
//! Names follow the readers' conventions: an organisation under the official name it bore
//! when the newsletter was issued (MSB in 2021 is "Myndigheten för samhällsskydd och
//! beredskap", not the name it bears now), groups under their canonical names, dates ISO
//! at the precision the text gives.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::extract::orgs::Gazetteer;
use crate::model::{EntityKey, Extraction, GroupRef, PartialDate};

/// What one document says, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    /// The document (its file name without extension).
    pub doc: String,
    /// Issue date, ISO, at the precision known.
    pub issued: Option<String>,
    /// Official names of the organisations named.
    pub organisations: Vec<String>,
    /// Named people.
    pub people: Vec<PersonReading>,
    /// Named groups, projects and standing bodies.
    pub groups: Vec<GroupReading>,
    /// Meetings, trainings, theme days …
    pub events: Vec<EventReading>,
    /// What the text presents as decided.
    pub decisions: Vec<DecisionReading>,
}

/// A person, with the organisation the text ties them to and their role in its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonReading {
    /// Full name.
    pub name: String,
    /// Official name of their organisation.
    pub organisation: Option<String>,
    /// Role ("kanslichef").
    pub role: Option<String>,
}

/// A group with the organisations taking part and who leads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupReading {
    /// Canonical name.
    pub name: String,
    /// Official names of the organisations the text says take part.
    pub members: Vec<String>,
    /// The person the text says leads it.
    pub lead: Option<String>,
}

/// An event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventReading {
    /// Label.
    pub label: String,
    /// Type in Swedish ("temamöte").
    #[serde(rename = "type")]
    pub kind: String,
    /// Date, ISO, at the precision given.
    pub date: Option<String>,
    /// Stated number of participants.
    pub participants_count: Option<u32>,
}

/// A decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionReading {
    /// What was decided.
    pub label: String,
    /// Who decided (a group or an organisation).
    pub by: Option<String>,
    /// When, ISO.
    pub date: Option<String>,
}

impl Reading {
    /// The reading of document `doc`'s extraction; organisations of the reference data are
    /// named as on the issue date.
    pub fn of(doc: &str, extraction: &Extraction, gazetteer: &Gazetteer) -> Self {
        let names = Names {
            extraction,
            gazetteer,
            issued: extraction.issued.map(|(date, _)| date),
        };
        let mut organisations: Vec<String> = Vec::new();
        for mention in &extraction.mentions {
            push_unique(&mut organisations, names.organisation(&mention.org));
        }
        Self {
            doc: doc.to_string(),
            issued: names.issued.map(PartialDate::iso),
            organisations,
            people: people(extraction, &names),
            groups: groups(extraction, &names),
            events: extraction
                .events
                .iter()
                .map(|event| EventReading {
                    label: event.label.clone(),
                    kind: event.kind.clone(),
                    date: event.date.map(PartialDate::iso),
                    participants_count: event.participants,
                })
                .collect(),
            decisions: extraction
                .decisions
                .iter()
                .map(|decision| DecisionReading {
                    label: decision.label.clone(),
                    by: decision.by.as_ref().map(|by| names.body(by)),
                    date: decision.date.map(PartialDate::iso),
                })
                .collect(),
        }
    }
}

/// People in the order the text names them; the first organisation and the first role
/// stated for them.
fn people(extraction: &Extraction, names: &Names<'_>) -> Vec<PersonReading> {
    let mut people: Vec<PersonReading> = Vec::new();
    for affiliation in &extraction.affiliations {
        let name = names.person(&affiliation.person);
        let index = match people.iter().position(|p| p.name == name) {
            Some(index) => index,
            None => {
                people.push(PersonReading {
                    name,
                    organisation: None,
                    role: None,
                });
                people.len() - 1
            }
        };
        let person = &mut people[index];
        if person.organisation.is_none() {
            person.organisation = affiliation.organisation.as_ref().map(|o| names.organisation(o));
        }
        if person.role.is_none() {
            person.role.clone_from(&affiliation.role);
        }
    }
    for person in extraction.people.values() {
        if !people.iter().any(|p| p.name == person.name) {
            people.push(PersonReading {
                name: person.name.clone(),
                organisation: None,
                role: None,
            });
        }
    }
    people
}

/// Groups with their members (eSam's own membership is not a group's) and first lead.
fn groups(extraction: &Extraction, names: &Names<'_>) -> Vec<GroupReading> {
    extraction
        .groups
        .values()
        .map(|group| {
            let mut members = Vec::new();
            for participation in &extraction.participations {
                if participation.group == GroupRef::Group(group.key.clone()) {
                    push_unique(&mut members, names.organisation(&participation.organisation));
                }
            }
            GroupReading {
                name: group.name.clone(),
                members,
                lead: extraction
                    .leads
                    .iter()
                    .find(|lead| lead.group == group.key)
                    .map(|lead| names.person(&lead.person)),
            }
        })
        .collect()
}

fn push_unique(list: &mut Vec<String>, name: String) {
    if !list.contains(&name) {
        list.push(name);
    }
}

/// Entity keys to names.
struct Names<'a> {
    extraction: &'a Extraction,
    gazetteer: &'a Gazetteer,
    issued: Option<PartialDate>,
}

impl Names<'_> {
    fn organisation(&self, key: &EntityKey) -> String {
        if let Some(entry) = self.gazetteer.entry(key) {
            return entry.name_on(self.issued).to_string();
        }
        self.extraction
            .organisations
            .get(key)
            .map_or_else(|| key.to_string(), |o| o.name.clone())
    }

    fn person(&self, key: &EntityKey) -> String {
        self.extraction
            .people
            .get(key)
            .map_or_else(|| key.to_string(), |p| p.name.clone())
    }

    fn body(&self, body: &GroupRef) -> String {
        match body {
            GroupRef::Group(key) => self
                .extraction
                .groups
                .get(key)
                .map_or_else(|| key.to_string(), |g| g.name.clone()),
            GroupRef::Organisation(key) => self.organisation(key),
        }
    }
}

/// Why a folder of readings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadingError {
    /// A file or the folder could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// What.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file is not a reading (serde's message names the line and column).
    #[error("{} is not a reading: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// Where and why.
        source: serde_json::Error,
    },
    /// The folder has no `*.json` file.
    #[error("{} holds no readings (*.json files)", path.display())]
    Empty {
        /// The folder.
        path: PathBuf,
    },
}

/// The readings in the `*.json` files of `dir`, in file-name order.
pub fn read_readings(dir: &Path) -> Result<Vec<Reading>, ReadingError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ReadingError::Io { path, source }
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .map(|entry| entry.map(|e| e.path()).map_err(io(dir)))
        .collect::<Result<Vec<_>, _>>()?;
    files.retain(|path| path.extension().is_some_and(|e| e == "json"));
    files.sort();
    if files.is_empty() {
        return Err(ReadingError::Empty {
            path: dir.to_path_buf(),
        });
    }
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(io(path))?;
            serde_json::from_str(&text).map_err(|source| ReadingError::Json {
                path: path.clone(),
                source,
            })
        })
        .collect()
}
