//! The import pipeline: paths → files → documents → extraction → quads → store,
//! one transaction per document. A bad file is reported and the rest imported.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::extract;
use crate::graph::{self, SourceInfo};
use crate::ids::Ids;
use crate::ingest::{self, Document, IngestError, IngestLimits};
use crate::model::{EntityKey, Extraction, PartialDate};
use crate::reference::Reference;
use crate::store::{Store, StoreError};

/// The name standard input is read under (`import -`).
pub const STDIN_NAME: &str = "stdin";

/// File extensions imported from folders (files named explicitly are always tried).
pub const EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm", "xhtml"];

/// Why one input failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read or parsed.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// A folder could not be listed.
    #[error("{path}: cannot list folder: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The same text is already stored as another document.
    #[error(
        "{path}: the same newsletter is already imported as {existing} (the text is identical); not imported \
         again under a second name — re-import it under its first name, or delete that graph first"
    )]
    Duplicate {
        /// The file.
        path: PathBuf,
        /// The document graph that holds the same text.
        existing: String,
    },
    /// The store refused the document.
    #[error("{path}: {source}")]
    Store {
        /// The file.
        path: PathBuf,
        /// Cause.
        source: StoreError,
    },
}

/// A document extracted and turned into quads, ready to be stored.
#[derive(Debug, Clone)]
pub struct Prepared {
    id: String,
    source: String,
    path: PathBuf,
    text_digest: String,
    encoding: ingest::Encoding,
    graph_name: oxigraph::model::NamedNode,
    extraction: Extraction,
    quads: Vec<oxigraph::model::Quad>,
}

/// What was imported from one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentReport {
    /// Document id.
    pub id: String,
    /// File name.
    pub source: String,
    /// Triples in its graph.
    pub triples: usize,
    /// The encoding its bytes were read in.
    pub encoding: ingest::Encoding,
    /// The extraction (for summaries and `--explain`).
    pub extraction: Extraction,
    /// What went wrong besides storing (the data itself is stored).
    pub warnings: Vec<String>,
}

/// The result of an import run, as running tallies: a run of any length keeps the distinct
/// entity keys it saw, not every document's extraction (which grew the command line's memory
/// by about 45 KB per newsletter: 721 MiB for 10,000).
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Documents imported.
    pub documents: usize,
    /// Triples written into their graphs.
    pub triples: usize,
    organisations: HashSet<EntityKey>,
    people: HashSet<EntityKey>,
    groups: HashSet<EntityKey>,
    events: usize,
    decisions: usize,
    /// Inputs that failed, with why.
    pub failures: Vec<ImportError>,
}

impl ImportReport {
    /// Counts one imported document.
    pub fn add(&mut self, document: &DocumentReport) {
        let extraction = &document.extraction;
        self.documents += 1;
        self.triples += document.triples;
        self.organisations.extend(extraction.organisations.keys().cloned());
        self.people.extend(extraction.people.keys().cloned());
        self.groups.extend(extraction.groups.keys().cloned());
        self.events += extraction.events.len();
        self.decisions += extraction.decisions.len();
    }

    /// Distinct entities by kind over all documents (events and decisions: all of them).
    pub fn entity_counts(&self) -> BTreeMap<&'static str, usize> {
        BTreeMap::from([
            ("organisations", self.organisations.len()),
            ("people", self.people.len()),
            ("groups", self.groups.len()),
            ("events", self.events),
            ("decisions", self.decisions),
        ])
    }
}

/// Everything an import needs besides the store.
#[derive(Debug, Clone)]
pub struct Importer {
    ids: Ids,
    reference: Reference,
    limits: IngestLimits,
    issued: Option<PartialDate>,
    suppressed: Vec<String>,
}

impl Importer {
    /// An importer minting IRIs with `ids`.
    pub fn new(ids: Ids, reference: Reference, limits: IngestLimits, issued: Option<PartialDate>) -> Self {
        Self {
            ids,
            reference,
            limits,
            issued,
            suppressed: crate::extract::suppress::parse_list(crate::reference::SUPPRESSED_PEOPLE),
        }
    }

    /// The same importer with another suppression list (names of people not to publish).
    pub fn with_suppressed(mut self, names: Vec<String>) -> Self {
        self.suppressed = names;
        self
    }

    /// Writes the reference and ontology graphs, unless the store holds them already as they
    /// are (every start of the server and every import would otherwise rewrite them).
    pub fn store_reference(&self, store: &Store) -> Result<(), StoreError> {
        for (graph, quads) in [
            (self.ids.reference_graph(), &self.reference.reference_quads),
            (self.ids.ontology_graph(), &self.reference.ontology_quads),
        ] {
            if !store.holds_exactly(&graph, quads)? {
                store.replace_graph(&graph, quads)?;
            }
        }
        Ok(())
    }

    /// Whether `store` holds any document yet.
    pub fn store_has_documents(&self, store: &Store) -> Result<bool, StoreError> {
        store.has_documents(&[self.ids.reference_graph(), self.ids.ontology_graph()])
    }

    /// What the importer reads in `document`, by name (`summary`).
    pub fn read(&self, document: &Document) -> crate::summary::Reading {
        let extraction = self.extract(document);
        // Named by the file, as a reader names the notes of a file ("esam-nyhetsbrev-2021-12").
        let doc = Path::new(&document.source)
            .file_stem()
            .map_or_else(|| document.id.clone(), |stem| stem.to_string_lossy().into_owned());
        crate::summary::Reading::of(&doc, &extraction, &self.reference.lexicon.gazetteer)
    }

    /// Extracts `document` (no store involved).
    pub fn extract(&self, document: &Document) -> Extraction {
        let mut extraction = extract::extract(document, &self.reference.lexicon, self.issued);
        extract::suppress::apply(&mut extraction, &self.suppressed);
        extraction
    }

    /// Everything an import does before it touches the store: extraction and the document's
    /// quads. The server does this outside its write lock, so readers wait only for the
    /// store's own transaction.
    pub fn prepare(&self, document: &Document, path: &Path) -> Prepared {
        let extraction = self.extract(document);
        // Standard input has no file name: its issue date names it ("2023-12").
        let id = match (document.source.as_str(), extraction.issued) {
            (STDIN_NAME, Some((issued, _))) => issued.iso(),
            _ => document.id.clone(),
        };
        let text_digest = crate::dump::sha256_hex(document.text.as_bytes());
        let source = SourceInfo {
            id: &id,
            file_name: &document.source,
            text_digest: &text_digest,
        };
        let quads = graph::document_quads(&self.ids, &source, &extraction);
        Prepared {
            graph_name: self.ids.document(&id),
            id,
            source: document.source.clone(),
            path: path.to_path_buf(),
            text_digest,
            encoding: document.encoding,
            extraction,
            quads,
        }
    }

    /// Reads named bytes and prepares their import.
    pub fn prepare_bytes(&self, name: &str, bytes: &[u8]) -> Result<Prepared, ImportError> {
        let path = Path::new(name);
        let document = ingest::parse_bytes(name, bytes, self.limits).map_err(|f| ImportError::Ingest(f.at(path)))?;
        Ok(self.prepare(&document, path))
    }

    /// Replaces the prepared document's graph in `store` in one transaction, unless another
    /// document graph holds the same text; then records the change.
    pub fn store_prepared(&self, store: &Store, prepared: Prepared) -> Result<DocumentReport, ImportError> {
        let store_error = |source| ImportError::Store {
            path: prepared.path.clone(),
            source,
        };
        if let Some(existing) =
            stored_with_digest(store, &prepared.text_digest, &prepared.graph_name).map_err(store_error)?
        {
            return Err(ImportError::Duplicate {
                path: prepared.path,
                existing,
            });
        }
        let before = mentioned_in(store, &prepared.graph_name).map_err(store_error)?;
        store
            .replace_graph(&prepared.graph_name, &prepared.quads)
            .map_err(store_error)?;
        Ok(stored(store, prepared, before))
    }

    /// Reads `path` and imports it.
    pub fn import_file(&self, store: &Store, path: &Path) -> Result<DocumentReport, ImportError> {
        self.store_prepared(store, self.prepare_file(path)?)
    }

    /// Reads `path` and prepares its import.
    pub fn prepare_file(&self, path: &Path) -> Result<Prepared, ImportError> {
        let document = ingest::read_file(path, self.limits)?;
        Ok(self.prepare(&document, path))
    }

    /// Imports named bytes (bundled data, standard input).
    pub fn import_bytes(&self, store: &Store, name: &str, bytes: &[u8]) -> Result<DocumentReport, ImportError> {
        self.store_prepared(store, self.prepare_bytes(name, bytes)?)
    }
}

/// The report of a document just stored, whose graph mentioned `before` (`None`: it was new);
/// records the change.
fn stored(store: &Store, prepared: Prepared, before: Option<BTreeSet<String>>) -> DocumentReport {
    let Prepared {
        id,
        source,
        graph_name,
        extraction,
        quads,
        encoding,
        ..
    } = prepared;
    let after: BTreeSet<String> = quads
        .iter()
        .filter(|q| q.predicate.as_ref() == crate::vocab::schema::MENTIONS)
        .filter_map(|q| match &q.object {
            oxigraph::model::Term::NamedNode(entity) => Some(entity.as_str().to_string()),
            _ => None,
        })
        .collect();
    let change = crate::changes::Change::between(
        graph_name.as_str(),
        &extraction.title,
        &source,
        quads.len(),
        before,
        &after,
    );
    // The data is stored; a change log that cannot be written costs the feed an entry, not the import.
    let warnings = match crate::changes::append(store, &change) {
        Ok(()) => Vec::new(),
        Err(error) => vec![format!("the change log could not be written: {error}")],
    };
    DocumentReport {
        id,
        source,
        triples: quads.len(),
        encoding,
        extraction,
        warnings,
    }
}

/// How many new documents one bulk load commits at once (a few hundred thousand quads at most).
const BULK_DOCUMENTS: usize = 250;

/// An import run of many documents into a store no one else writes (the command line).
/// Documents new to the store are loaded with Oxigraph's bulk loader, [`BULK_DOCUMENTS`] to a
/// commit — each commit all or nothing, as a transaction is, at several times its speed;
/// documents that replace a stored one go through [`Importer::store_prepared`].
pub struct BulkImport<'a> {
    importer: &'a Importer,
    store: &'a Store,
    pending: Vec<Prepared>,
    /// Text digests and graph names of the pending documents.
    digests: HashMap<String, oxigraph::model::NamedNode>,
    graphs: HashSet<oxigraph::model::NamedNode>,
}

impl<'a> BulkImport<'a> {
    /// A run into `store`.
    pub fn new(importer: &'a Importer, store: &'a Store) -> Self {
        Self {
            importer,
            store,
            pending: Vec::new(),
            digests: HashMap::new(),
            graphs: HashSet::new(),
        }
    }

    /// Takes a prepared document; returns the documents stored meanwhile (or why not).
    pub fn add(&mut self, prepared: Prepared) -> Vec<Result<DocumentReport, ImportError>> {
        let store_error = |source| ImportError::Store {
            path: prepared.path.clone(),
            source,
        };
        let replaces = match self.store.contains_graph(&prepared.graph_name) {
            Ok(stored) => stored || self.graphs.contains(&prepared.graph_name),
            Err(error) => return vec![Err(store_error(error))],
        };
        if replaces {
            // In order: what is pending goes first, then this one replaces what it must.
            let mut done = self.flush();
            done.push(self.importer.store_prepared(self.store, prepared));
            return done;
        }
        let duplicate = match stored_with_digest(self.store, &prepared.text_digest, &prepared.graph_name) {
            Ok(found) => found.or_else(|| {
                self.digests
                    .get(&prepared.text_digest)
                    .map(|graph| graph.as_str().to_string())
            }),
            Err(error) => return vec![Err(store_error(error))],
        };
        if let Some(existing) = duplicate {
            return vec![Err(ImportError::Duplicate {
                path: prepared.path,
                existing,
            })];
        }
        self.digests
            .insert(prepared.text_digest.clone(), prepared.graph_name.clone());
        self.graphs.insert(prepared.graph_name.clone());
        self.pending.push(prepared);
        if self.pending.len() >= BULK_DOCUMENTS {
            self.flush()
        } else {
            Vec::new()
        }
    }

    /// Stores what is pending.
    pub fn finish(mut self) -> Vec<Result<DocumentReport, ImportError>> {
        self.flush()
    }

    fn flush(&mut self) -> Vec<Result<DocumentReport, ImportError>> {
        self.digests.clear();
        self.graphs.clear();
        let pending = std::mem::take(&mut self.pending);
        if pending.is_empty() {
            return Vec::new();
        }
        let loaded = self
            .store
            .add_new_graphs(pending.iter().map(|p| (&p.graph_name, p.quads.as_slice())));
        match loaded {
            Ok(()) => pending.into_iter().map(|p| Ok(stored(self.store, p, None))).collect(),
            Err(error) => {
                let reason = error.to_string();
                pending
                    .into_iter()
                    .map(|p| {
                        Err(ImportError::Store {
                            path: p.path,
                            source: StoreError::Storage(oxigraph::store::StorageError::Other(reason.clone().into())),
                        })
                    })
                    .collect()
            }
        }
    }
}

/// Another document graph than `graph` that holds a text with this digest.
fn stored_with_digest(
    store: &Store,
    digest: &str,
    graph: &oxigraph::model::NamedNode,
) -> Result<Option<String>, StoreError> {
    let digest = oxigraph::model::Literal::new_simple_literal(digest);
    for quad in store.oxigraph().quads_for_pattern(
        None,
        Some(crate::vocab::esam::TEXT_DIGEST),
        Some(digest.as_ref().into()),
        None,
    ) {
        let quad = quad?;
        if let oxigraph::model::GraphName::NamedNode(other) = &quad.graph_name
            && other != graph
        {
            return Ok(Some(other.as_str().to_string()));
        }
    }
    Ok(None)
}

/// The entities a stored document mentions, or `None` when it is not stored.
fn mentioned_in(store: &Store, document: &oxigraph::model::NamedNode) -> Result<Option<BTreeSet<String>>, StoreError> {
    if !store.contains_graph(document)? {
        return Ok(None);
    }
    let mut entities = BTreeSet::new();
    for quad in store.oxigraph().quads_for_pattern(
        Some(document.as_ref().into()),
        Some(crate::vocab::schema::MENTIONS),
        None,
        Some(document.as_ref().into()),
    ) {
        if let oxigraph::model::Term::NamedNode(entity) = quad?.object {
            entities.insert(entity.as_str().to_string());
        }
    }
    Ok(Some(entities))
}

/// The files to import: files as given, folders walked (sorted, hidden entries
/// and symlink loops skipped) for files with a known extension.
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<ImportError>) {
    let mut files = Vec::new();
    let mut failures = Vec::new();
    let mut visited = HashSet::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files, &mut failures, &mut visited);
        } else {
            files.push(path.clone());
        }
    }
    (files, failures)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, failures: &mut Vec<ImportError>, visited: &mut HashSet<PathBuf>) {
    let folder_error = |source| ImportError::Folder {
        path: dir.to_path_buf(),
        source,
    };
    match dir.canonicalize() {
        Ok(canonical) => {
            if !visited.insert(canonical) {
                return;
            }
        }
        Err(e) => return failures.push(folder_error(e)),
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return failures.push(folder_error(e)),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, files, failures, visited);
        } else if path
            .extension()
            .is_some_and(|e| EXTENSIONS.contains(&e.to_string_lossy().to_ascii_lowercase().as_str()))
        {
            files.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bulk_import_stores_new_documents_refuses_copies_and_replaces_in_order() {
        let ids = Ids::default();
        let reference = Reference::load(&ids).unwrap();
        let material = crate::corpus::Material::bundled(&reference.lexicon);
        let importer = Importer::new(ids.clone(), reference, IngestLimits::default(), None);
        let store = Store::in_memory().unwrap();
        let (name_a, text_a) = material.newsletter(3, 0);
        let (name_b, text_b) = material.newsletter(3, 1);
        let prepare = |name: &str, text: &str| importer.prepare_bytes(name, text.as_bytes()).unwrap();
        let mut bulk = BulkImport::new(&importer, &store);
        let mut results = Vec::new();
        results.extend(bulk.add(prepare(&name_a, &text_a)));
        results.extend(bulk.add(prepare(&name_b, &text_b)));
        // The same text under another name, and the first document again, changed.
        results.extend(bulk.add(prepare("copy.txt", &text_a)));
        results.extend(bulk.add(prepare(&name_a, &format!("{text_a}\nSkatteverket deltar.\n"))));
        results.extend(bulk.finish());
        let outcomes: Vec<String> = results
            .iter()
            .map(|r| match r {
                Ok(report) => format!("stored {}", report.source),
                Err(ImportError::Duplicate { .. }) => "duplicate".to_string(),
                Err(other) => format!("error {other}"),
            })
            .collect();
        assert_eq!(
            outcomes,
            [
                "duplicate".to_string(),
                format!("stored {name_a}"),
                format!("stored {name_b}"),
                format!("stored {name_a}")
            ],
            "the copy is refused at once, the pending ones stored before the replacement"
        );
        let graph = ids.document(&ingest::document_id(&name_a));
        let mut turtle = Vec::new();
        store
            .write_triples(Some(&graph), oxigraph::io::RdfFormat::NTriples, &mut turtle)
            .unwrap();
        assert!(
            String::from_utf8(turtle).unwrap().contains("Skatteverket deltar."),
            "the replacement won"
        );
        let mut merged = Vec::new();
        store
            .write_triples(None, oxigraph::io::RdfFormat::NTriples, &mut merged)
            .unwrap();
        let merged = String::from_utf8(merged).unwrap();
        assert!(
            merged.contains("Skatteverket deltar.") && merged.lines().count() > 100,
            "the merge holds both documents"
        );
    }
}
