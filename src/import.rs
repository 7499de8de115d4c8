//! The import pipeline: paths → files → documents → extraction → quads → store,
//! one transaction per document. A bad file is reported and the rest imported.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::extract;
use crate::graph::{self, SourceInfo};
use crate::ids::Ids;
use crate::ingest::{self, Document, IngestError, IngestLimits};
use crate::model::{Extraction, PartialDate};
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
    /// The extraction (for summaries and `--explain`).
    pub extraction: Extraction,
    /// What went wrong besides storing (the data itself is stored).
    pub warnings: Vec<String>,
}

/// The result of an import run.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Imported documents, in order.
    pub documents: Vec<DocumentReport>,
    /// Inputs that failed, with why.
    pub failures: Vec<ImportError>,
}

impl ImportReport {
    /// Total triples written.
    pub fn triples(&self) -> usize {
        self.documents.iter().map(|d| d.triples).sum()
    }

    /// Distinct entities by kind over all documents.
    pub fn entity_counts(&self) -> BTreeMap<&'static str, usize> {
        let distinct = |keys: &mut dyn Iterator<Item = String>| keys.collect::<HashSet<_>>().len();
        let docs = &self.documents;
        BTreeMap::from([
            (
                "organisations",
                distinct(
                    &mut docs
                        .iter()
                        .flat_map(|d| d.extraction.organisations.keys().map(|k| k.to_string())),
                ),
            ),
            (
                "people",
                distinct(
                    &mut docs
                        .iter()
                        .flat_map(|d| d.extraction.people.keys().map(|k| k.to_string())),
                ),
            ),
            (
                "groups",
                distinct(
                    &mut docs
                        .iter()
                        .flat_map(|d| d.extraction.groups.keys().map(|k| k.to_string())),
                ),
            ),
            ("events", docs.iter().map(|d| d.extraction.events.len()).sum()),
            ("decisions", docs.iter().map(|d| d.extraction.decisions.len()).sum()),
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

    /// Reads and extracts a document without storing it.
    pub fn extract(&self, document: &Document) -> Extraction {
        let mut extraction = extract::extract(document, &self.reference.lexicon, self.issued);
        extract::suppress::apply(&mut extraction, &self.suppressed);
        extraction
    }

    /// Extracts `document` and replaces its graph in `store`.
    pub fn import_document(
        &self,
        store: &Store,
        document: &Document,
        path: &Path,
    ) -> Result<DocumentReport, ImportError> {
        self.store_prepared(store, self.prepare(document, path))
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
        let Prepared {
            id,
            source,
            path,
            text_digest,
            graph_name,
            extraction,
            quads,
        } = prepared;
        let store_error = |source| ImportError::Store {
            path: path.clone(),
            source,
        };
        if let Some(existing) = stored_with_digest(store, &text_digest, &graph_name).map_err(store_error)? {
            return Err(ImportError::Duplicate { path, existing });
        }
        let before = mentioned_in(store, &graph_name).map_err(store_error)?;
        store.replace_graph(&graph_name, &quads).map_err(store_error)?;
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
        Ok(DocumentReport {
            id,
            source,
            triples: quads.len(),
            extraction,
            warnings,
        })
    }

    /// Reads `path` and imports it.
    pub fn import_file(&self, store: &Store, path: &Path) -> Result<DocumentReport, ImportError> {
        let document = ingest::read_file(path, self.limits)?;
        self.import_document(store, &document, path)
    }

    /// Imports named bytes (bundled data, standard input).
    pub fn import_bytes(&self, store: &Store, name: &str, bytes: &[u8]) -> Result<DocumentReport, ImportError> {
        self.store_prepared(store, self.prepare_bytes(name, bytes)?)
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
