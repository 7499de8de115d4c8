//! The on-disk Oxigraph store (RocksDB), synchronous. One named graph per
//! source document, replaced in one transaction; the reference data and the
//! ontology in graphs of their own.
//!
//! The store's own default graph holds the *merge* of all named graphs (each triple once,
//! however many graphs state it), kept up to date in the same transaction as every write.
//! Queries then run on Oxigraph's native, encoded evaluation with that default graph,
//! instead of merging graphs term by term at query time. Data changes only at import, so
//! the merge is paid once per write, not once per query. Nothing is stored in the default
//! graph directly: writes addressed to it go to a named graph the caller names
//! (`…/graph/default`), which is part of the merge like any other.

use std::io::Write;
use std::path::{Path, PathBuf};

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, Triple};
use oxigraph::store::{StorageError, Store as OxStore, Transaction};

use crate::vocab;

pub mod blank_nodes;

/// A store failure, naming the store directory.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store could not be opened.
    #[error("cannot open the store at {path}: {source}")]
    Open {
        /// Store directory.
        path: PathBuf,
        /// Cause.
        source: StorageError,
    },
    /// Another process has the store open for writing.
    #[error(
        "the store at {0} is in use by another process (is `esam-kg serve` running on it?); stop it, use another --store, or send each newsletter to the running server (started with --update-token): curl -H 'Authorization: Bearer TOKEN' --data-binary @FILE 'http://HOST:PORT/import?name=FILE'"
    )]
    InUse(PathBuf),
    /// There is no store at the path (for read-only verbs).
    #[error("there is no store at {0} (run `esam-kg import` first, or pass --store)")]
    Missing(PathBuf),
    /// An older version wrote the store, before the default graph held the merge of the
    /// named graphs; read-only, it cannot be brought up to date.
    #[error(
        "the store at {0} was written by an older esam-kg, whose default graph does not hold the merge of the named graphs; open it once for writing (`esam-kg import` of any file, or `esam-kg serve` on it) and it is brought up to date"
    )]
    NotMerged(PathBuf),
    /// A storage operation failed.
    #[error("store operation failed: {0}")]
    Storage(#[from] StorageError),
    /// Writing output failed.
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
    /// A graph's blank nodes nest too deep to be canonicalised (for a dump).
    #[error(
        "the graph {graph} cannot be canonicalised: {source}; remove or rewrite it (DELETE /store?graph=…) and ask again"
    )]
    Nesting {
        /// The graph.
        graph: String,
        /// How deep, or the cycle.
        source: blank_nodes::NestingError,
    },
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// N-Quads, one quad per line, sorted (byte-stable).
    NQuads,
    /// TriG with prefixes.
    TriG,
    /// Turtle (one graph: `--graph`, or the union of all graphs).
    Turtle,
}

/// The store.
#[derive(Clone)]
pub struct Store {
    inner: OxStore,
    path: PathBuf,
    /// Quads written or removed since the store was last flushed (shared by every clone).
    unflushed: Arc<AtomicUsize>,
}

/// Quad changes (named graphs and merge) after which a write flushes the store. RocksDB keeps
/// every write in memory tables, 64 MiB per column family before it flushes one on its own,
/// and Oxigraph has eleven: a server re-importing newsletters grew by hundreds of MiB without
/// this (TESTING.md, "Soak"). Estimated, not measured: a change costs about 100 bytes in each
/// of three indexes, so the memory tables hold some tens of MiB at most.
const FLUSH_AFTER_CHANGES: usize = 100_000;

/// Memory the bulk loader may use (Oxigraph's default is about 2 GB per thread). Measured
/// importing 10,000 synthetic newsletters (2026-12-02): 256 MB gave 45.6 s and 573 MiB peak,
/// 128 MB 56.9 s and 388 MiB (`oxigraph load` of the same quads: 35 s, 1,648 MiB).
const BULK_MEMORY_MB: usize = 128;

/// A file in the store directory that says the default graph holds the merge.
const MERGED_MARKER: &str = "esam-kg-default-graph-is-the-merge";

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if needed) the store at `path` for reading and writing.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let open_error = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(path).map_err(|e| open_error(e.into()))?;
        let inner = on_disk::open(path).map_err(|source| {
            // RocksDB allows one writer: say who the other one probably is.
            if source.to_string().contains("LOCK") {
                StoreError::InUse(path.to_path_buf())
            } else {
                open_error(source)
            }
        })?;
        let store = Self {
            inner,
            path: path.to_path_buf(),
            unflushed: Arc::default(),
        };
        store.ensure_merged_default_graph()?;
        Ok(store)
    }

    /// Builds the merge in the default graph of a store written before it was kept there.
    fn ensure_merged_default_graph(&self) -> Result<(), StoreError> {
        let marker = self.path.join(MERGED_MARKER);
        if !marker.exists() {
            let mut transaction = self.inner.start_transaction()?;
            rebuild_default_graph(&mut transaction)?;
            transaction.commit()?;
            std::fs::write(
                &marker,
                "The default graph of this store is the merge of its named graphs.\n",
            )?;
        }
        Ok(())
    }

    /// Opens an existing store read-only (works beside a running server).
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        if !path.join("CURRENT").exists() {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let inner = on_disk::open_read_only(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        if !path.join(MERGED_MARKER).exists() {
            return Err(StoreError::NotMerged(path.to_path_buf()));
        }
        Ok(Self {
            inner,
            path: path.to_path_buf(),
            unflushed: Arc::default(),
        })
    }

    /// An in-memory store (tests, previews).
    pub fn in_memory() -> Result<Self, StoreError> {
        Ok(Self {
            inner: OxStore::new()?,
            path: PathBuf::from(":memory:"),
            unflushed: Arc::default(),
        })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying Oxigraph store (for SPARQL evaluation).
    pub fn oxigraph(&self) -> &OxStore {
        &self.inner
    }

    /// Replaces the content of `graph` by `quads` in one transaction: readers
    /// see the old graph or the new one, never a mix; on error nothing changes.
    pub fn replace_graph(&self, graph: &NamedNode, quads: &[Quad]) -> Result<(), StoreError> {
        let mut transaction = self.inner.start_transaction()?;
        let old = triples_of(&transaction, graph.into())?;
        transaction.clear_graph(graph)?;
        transaction.insert_named_graph(graph);
        for quad in quads {
            transaction.insert(quad);
        }
        let new: Vec<Triple> = quads.iter().map(|q| Triple::from(q.clone())).collect();
        let changes = 2 * (old.len() + new.len());
        update_merge(&mut transaction, old, &new)?;
        transaction.commit()?;
        Ok(self.written(changes)?)
    }

    /// Adds graphs that are not in the store yet, with their triples in the merge, by Oxigraph's
    /// bulk loader: one commit, all or nothing, several times faster than a transaction per
    /// graph. Only for a store that no other writer uses meanwhile (the command line's import).
    pub fn add_new_graphs<'q>(
        &self,
        graphs: impl Iterator<Item = (&'q NamedNode, &'q [Quad])> + Clone,
    ) -> Result<(), StoreError> {
        let mut loader = self
            .inner
            .bulk_loader()
            .with_max_memory_size_in_megabytes(BULK_MEMORY_MB);
        let named = graphs.clone().flat_map(|(_, quads)| quads.iter().cloned());
        let merge = graphs.flat_map(|(_, quads)| {
            quads.iter().map(|q| {
                Quad::new(
                    q.subject.clone(),
                    q.predicate.clone(),
                    q.object.clone(),
                    GraphName::DefaultGraph,
                )
            })
        });
        loader.load_quads(named.chain(merge))?;
        loader.commit()?;
        Ok(())
    }

    /// Adds `triples` to the named graph `graph` in one transaction.
    pub fn add_to_graph(&self, graph: &NamedNode, triples: &[Triple]) -> Result<(), StoreError> {
        let mut transaction = self.inner.start_transaction()?;
        transaction.insert_named_graph(graph);
        for triple in triples {
            transaction.insert(triple.as_ref().in_graph(graph));
        }
        update_merge(&mut transaction, Vec::new(), triples)?;
        transaction.commit()?;
        Ok(self.written(2 * triples.len())?)
    }

    /// Removes a named graph and its triples; whether there was one.
    pub fn drop_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        let mut transaction = self.inner.start_transaction()?;
        let existed = transaction.contains_named_graph(graph)?;
        let old = triples_of(&transaction, graph.into())?;
        let changes = 2 * old.len();
        transaction.remove_named_graph(graph)?;
        update_merge(&mut transaction, old, &[])?;
        transaction.commit()?;
        self.written(changes)?;
        Ok(existed)
    }

    /// Runs `update` (a SPARQL Update, say) in one transaction and keeps the merge: what it
    /// wrote into the default graph goes to `default_writes` (a named graph, part of the
    /// merge), what it deleted from the default graph is deleted there, and the default graph
    /// is made the merge again. Scans the store: meant for administrative writes, not imports.
    pub fn update_with<E: From<StorageError>>(
        &self,
        default_writes: &NamedNode,
        update: impl FnOnce(&mut Transaction<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let before = self.default_triples()?;
        let mut transaction = self.inner.start_transaction()?;
        update(&mut transaction)?;
        let after: HashSet<Triple> = triples_of(&transaction, GraphNameRef::DefaultGraph)?
            .into_iter()
            .collect();
        let written: Vec<&Triple> = after.difference(&before).collect();
        if !written.is_empty() {
            transaction.insert_named_graph(default_writes);
        }
        for triple in written {
            transaction.insert(triple.as_ref().in_graph(default_writes));
        }
        for triple in before.difference(&after) {
            transaction.remove(triple.as_ref().in_graph(default_writes));
        }
        // The default graph is rebuilt: every triple of the merge is written again.
        let changes = 2 * after.len() + before.len();
        rebuild_default_graph(&mut transaction)?;
        transaction.commit()?;
        Ok(self.written(changes)?)
    }

    /// Counts `changes` written, and flushes the store once [`FLUSH_AFTER_CHANGES`] have
    /// piled up since the last flush (the write is committed either way; a failed flush only
    /// leaves the data in the log, where the next open finds it).
    fn written(&self, changes: usize) -> Result<(), StorageError> {
        let pending = self.unflushed.fetch_add(changes, Ordering::Relaxed) + changes;
        if pending >= FLUSH_AFTER_CHANGES {
            self.flush_memory_tables()?;
        }
        Ok(())
    }

    fn flush_memory_tables(&self) -> Result<(), StorageError> {
        self.unflushed.store(0, Ordering::Relaxed);
        #[cfg(feature = "rocksdb")]
        self.inner.flush()?;
        Ok(())
    }

    /// The default graph's triples (committed data).
    fn default_triples(&self) -> Result<HashSet<Triple>, StorageError> {
        self.inner
            .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
            .map(|q| q.map(Triple::from))
            .collect()
    }

    /// Every quad of the named graphs (the default graph, the merge, repeats them), for
    /// exports and dumps.
    pub fn quads(&self) -> impl Iterator<Item = Result<Quad, StorageError>> + use<> {
        self.inner
            .quads_for_pattern(None, None, None, None)
            .filter(|q| !matches!(q, Ok(q) if q.graph_name.is_default_graph()))
    }

    /// Writes what is in memory to disk, so that the next open need not replay the log
    /// (without it a server start replays every import since the last flush).
    pub fn flush(&self) -> Result<(), StoreError> {
        Ok(self.flush_memory_tables()?)
    }

    /// Whether `graph` holds exactly `quads` (no more, no fewer; blank nodes never compare
    /// equal, so a graph with them is never "exactly" a new parse of itself).
    pub fn holds_exactly(&self, graph: &NamedNode, quads: &[Quad]) -> Result<bool, StoreError> {
        if self.count_quads(Some(graph))? != quads.len() {
            return Ok(false);
        }
        for quad in quads {
            if !self.inner.contains(quad)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// How many quads `graph` holds, or all named graphs together; counted natively on
    /// encoded terms (iterating quads would decode every string of every one).
    fn count_quads(&self, graph: Option<&NamedNode>) -> Result<usize, StorageError> {
        let failed = |e: &dyn std::fmt::Display| StorageError::Other(e.to_string().into());
        let mut query = oxigraph::sparql::SparqlEvaluator::new()
            .parse_query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
            .map_err(|e| failed(&e))?;
        if let Some(graph) = graph {
            query
                .dataset_mut()
                .set_available_named_graphs(vec![graph.clone().into()]);
        }
        let oxigraph::sparql::QueryResults::Solutions(mut solutions) =
            query.on_store(&self.inner).execute().map_err(|e| failed(&e))?
        else {
            return Err(failed(&"a COUNT query gave no solutions"));
        };
        let solution = solutions.next().transpose().map_err(|e| failed(&e))?;
        match solution.as_ref().and_then(|s| s.get("n")) {
            Some(oxigraph::model::Term::Literal(n)) => n.value().parse().map_err(|e| failed(&e)),
            _ => Err(failed(&"a COUNT query gave no number")),
        }
    }

    /// Whether the store has no document graphs yet (only reference/ontology or nothing).
    pub fn has_documents(&self, ignore: &[NamedNode]) -> Result<bool, StoreError> {
        for graph in self.inner.named_graphs() {
            match graph? {
                NamedOrBlankNode::NamedNode(name) if ignore.contains(&name) => {}
                _ => return Ok(true),
            }
        }
        Ok(false)
    }

    /// Number of quads in the named graphs (the merge in the default graph not counted).
    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.count_quads(None)?)
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.inner.is_empty()?)
    }

    /// Named graphs, sorted.
    pub fn graphs(&self) -> Result<Vec<NamedOrBlankNode>, StoreError> {
        let mut graphs = self.inner.named_graphs().collect::<Result<Vec<_>, _>>()?;
        graphs.sort_by_cached_key(ToString::to_string);
        Ok(graphs)
    }

    /// Writes the store (or one graph) to `writer`. N-Quads output is sorted so
    /// that the same content always gives the same bytes.
    pub fn export(
        &self,
        format: ExportFormat,
        graph: Option<&NamedNode>,
        writer: impl Write,
    ) -> Result<(), StoreError> {
        match format {
            ExportFormat::NQuads => {
                let quads: Box<dyn Iterator<Item = Result<Quad, StorageError>>> = match graph {
                    Some(graph) => Box::new(self.inner.quads_for_pattern(None, None, None, Some(graph.into()))),
                    None => Box::new(self.quads()),
                };
                let mut lines = quads
                    .map(|q| q.map(|q| format!("{q} .\n")))
                    .collect::<Result<Vec<_>, _>>()?;
                lines.sort_unstable();
                let mut writer = std::io::BufWriter::new(writer);
                for line in lines {
                    writer.write_all(line.as_bytes())?;
                }
                writer.flush()?;
            }
            ExportFormat::TriG => {
                let serializer = with_prefixes(RdfSerializer::from_format(RdfFormat::TriG));
                match graph {
                    Some(graph) => {
                        let mut out = serializer.for_writer(writer);
                        for quad in self.inner.quads_for_pattern(None, None, None, Some(graph.into())) {
                            out.serialize_quad(&quad?)?;
                        }
                        out.finish()?;
                    }
                    None => {
                        let mut out = serializer.for_writer(writer);
                        for quad in self.quads() {
                            out.serialize_quad(&quad?)?;
                        }
                        out.finish()?;
                    }
                }
            }
            ExportFormat::Turtle => self.write_triples(graph, RdfFormat::Turtle, writer)?,
        }
        Ok(())
    }

    /// A fingerprint of the data: changes whenever a graph is added, removed or
    /// changes size (every document graph states its size in `void:triples`).
    pub fn data_version(&self) -> Result<String, StoreError> {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.inner.len()?.hash(&mut hasher);
        for graph in self.graphs()? {
            graph.to_string().hash(&mut hasher);
        }
        for quad in self
            .inner
            .quads_for_pattern(None, Some(crate::vocab::void::TRIPLES), None, None)
        {
            quad?.to_string().hash(&mut hasher);
        }
        Ok(format!("{:016x}", hasher.finish()))
    }

    /// Whether a named graph exists.
    pub fn contains_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        Ok(self.inner.contains_named_graph(graph)?)
    }

    /// Writes the triples of one graph, or of all graphs merged (each triple
    /// once), in a triple format (Turtle, N-Triples, RDF/XML, JSON-LD …).
    pub fn write_triples(
        &self,
        graph: Option<&NamedNode>,
        format: RdfFormat,
        writer: impl Write,
    ) -> Result<(), StoreError> {
        let mut out = with_prefixes(RdfSerializer::from_format(format)).for_writer(writer);
        // One graph, or the merge: the default graph holds it.
        let graph = graph.map_or(GraphNameRef::DefaultGraph, GraphNameRef::from);
        for quad in self.inner.quads_for_pattern(None, None, None, Some(graph)) {
            out.serialize_triple(&Triple::from(quad?))?;
        }
        out.finish()?;
        Ok(())
    }
}

/// The triples of `graph` as a transaction sees them.
fn triples_of(transaction: &Transaction<'_>, graph: GraphNameRef<'_>) -> Result<Vec<Triple>, StorageError> {
    transaction
        .quads_for_pattern(None, None, None, Some(graph))
        .map(|q| q.map(Triple::from))
        .collect()
}

/// Keeps the default graph the merge after `graph` went from stating `old` to stating `new`
/// (the transaction already holds the new state of `graph`): what it states now is in the
/// merge; what it no longer states leaves the merge unless some named graph still states it.
///
/// "Still states it" is asked of the store, never answered by comparing decoded terms: the
/// store keeps values, not spellings (`"7"^^xsd:nonNegativeInteger` is stored as the integer
/// 7 and read back as `"7"^^xsd:integer`; `"01"^^xsd:integer` as `1`), so a triple read back
/// from the old graph can differ from the same triple as it is written again. Comparing them
/// as Rust values once removed every whole number of a re-imported document from the merge.
fn update_merge(transaction: &mut Transaction<'_>, old: Vec<Triple>, new: &[Triple]) -> Result<(), StorageError> {
    for triple in new {
        transaction.insert(triple.as_ref().in_graph(GraphNameRef::DefaultGraph));
    }
    // Only a shortcut: a triple equal as a value is certainly still stated.
    let kept: HashSet<&Triple> = new.iter().collect();
    for triple in old.iter().filter(|t| !kept.contains(t)) {
        if !stated_by_a_named_graph(transaction, triple)? {
            transaction.remove(triple.as_ref().in_graph(GraphNameRef::DefaultGraph));
        }
    }
    Ok(())
}

/// Whether some named graph states `triple`, as the transaction sees the store.
fn stated_by_a_named_graph(transaction: &Transaction<'_>, triple: &Triple) -> Result<bool, StorageError> {
    for quad in transaction.quads_for_pattern(
        Some(triple.subject.as_ref()),
        Some(triple.predicate.as_ref()),
        Some(triple.object.as_ref()),
        None,
    ) {
        if !quad?.graph_name.is_default_graph() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Makes the default graph the merge of the named graphs, from scratch.
fn rebuild_default_graph(transaction: &mut Transaction<'_>) -> Result<(), StorageError> {
    transaction.clear_graph(GraphNameRef::DefaultGraph)?;
    let named: Vec<Triple> = transaction
        .quads_for_pattern(None, None, None, None)
        .filter(|q| !matches!(q, Ok(q) if q.graph_name.is_default_graph()))
        .map(|q| q.map(Triple::from))
        .collect::<Result<_, _>>()?;
    for triple in &named {
        transaction.insert(triple.as_ref().in_graph(GraphNameRef::DefaultGraph));
    }
    Ok(())
}

/// A serializer with the usual prefixes declared.
pub fn with_prefixes(mut serializer: RdfSerializer) -> RdfSerializer {
    for (prefix, iri) in vocab::PREFIXES {
        serializer = match serializer.clone().with_prefix(*prefix, *iri) {
            Ok(with) => with,
            Err(_) => serializer,
        };
    }
    serializer
}

/// Writes `triples` in `format` with the usual prefixes.
pub fn write_graph(
    triples: impl IntoIterator<Item = oxigraph::model::Triple>,
    format: RdfFormat,
    writer: impl std::io::Write,
) -> std::io::Result<()> {
    let mut out = with_prefixes(RdfSerializer::from_format(format)).for_writer(writer);
    for triple in triples {
        out.serialize_triple(&triple)?;
    }
    out.finish().map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Literal;

    #[test]
    fn replacing_a_graph_replaces_exactly_its_quads() {
        let store = Store::in_memory().unwrap();
        let g1 = NamedNode::new("http://example.com/g1").unwrap();
        let g2 = NamedNode::new("http://example.com/g2").unwrap();
        let s = NamedNode::new("http://example.com/s").unwrap();
        let quad = |g: &NamedNode, v: &str| Quad::new(s.clone(), s.clone(), Literal::from(v), g.clone());
        store.replace_graph(&g1, &[quad(&g1, "a"), quad(&g1, "b")]).unwrap();
        store.replace_graph(&g2, &[quad(&g2, "c")]).unwrap();
        store.replace_graph(&g1, &[quad(&g1, "d")]).unwrap();
        let mut out = Vec::new();
        store.export(ExportFormat::NQuads, None, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.contains("\"d\"") && text.contains("\"c\"") && !text.contains("\"a\""));
    }

    #[test]
    #[cfg(feature = "rocksdb")]
    fn writes_flush_the_memory_tables_once_enough_has_changed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let graph = NamedNode::new("http://example.com/g").unwrap();
        let s = NamedNode::new("http://example.com/s").unwrap();
        let quads = |n: usize, tag: &str| -> Vec<Quad> {
            (0..n)
                .map(|i| Quad::new(s.clone(), s.clone(), Literal::from(format!("{tag}{i}")), graph.clone()))
                .collect()
        };
        let pending = |store: &Store| store.unflushed.load(Ordering::Relaxed);
        store.replace_graph(&graph, &quads(1000, "a")).unwrap();
        assert_eq!(pending(&store), 2000, "1,000 quads in the graph and the merge");
        // Replacing 1,000 quads by 1,000 changes 4,000: the writes pile up until the limit…
        let mut replacements = 1;
        while pending(&store) + 4000 < FLUSH_AFTER_CHANGES {
            store
                .replace_graph(&graph, &quads(1000, &replacements.to_string()))
                .unwrap();
            replacements += 1;
        }
        assert!(pending(&store) > FLUSH_AFTER_CHANGES - 4000);
        // …and the write that reaches it flushes (a clone shares the count).
        store.clone().replace_graph(&graph, &quads(1000, "last")).unwrap();
        assert_eq!(pending(&store), 0);
        assert_eq!(store.len().unwrap(), 1000);
    }

    fn default_graph(store: &Store) -> Vec<String> {
        let mut triples: Vec<String> = store
            .default_triples()
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        triples.sort();
        triples
    }

    #[test]
    fn the_default_graph_is_the_merge_of_the_named_graphs_after_every_write() {
        let store = Store::in_memory().unwrap();
        let iri = |local: &str| NamedNode::new(format!("http://example.com/{local}")).unwrap();
        let (g1, g2, s) = (iri("g1"), iri("g2"), iri("s"));
        let triple = |v: &str| Triple::new(s.clone(), s.clone(), Literal::from(v));
        let quads = |g: &NamedNode, values: &[&str]| -> Vec<Quad> {
            values.iter().map(|v| triple(v).in_graph(g.clone())).collect()
        };
        let merge = |values: &[&str]| -> Vec<String> {
            let mut expected: Vec<String> = values.iter().map(|v| triple(v).to_string()).collect();
            expected.sort();
            expected
        };
        store.replace_graph(&g1, &quads(&g1, &["a", "b"])).unwrap();
        store.replace_graph(&g2, &quads(&g2, &["b", "c"])).unwrap();
        assert_eq!(default_graph(&store), merge(&["a", "b", "c"]));
        assert_eq!(store.len().unwrap(), 4, "the merge is not counted");
        // "b" stays: g2 still states it.
        store.replace_graph(&g1, &quads(&g1, &["d"])).unwrap();
        assert_eq!(default_graph(&store), merge(&["b", "c", "d"]));
        store.add_to_graph(&g1, &[triple("e")]).unwrap();
        assert!(store.drop_graph(&g2).unwrap());
        assert_eq!(default_graph(&store), merge(&["d", "e"]));
        let mut out = Vec::new();
        store.export(ExportFormat::NQuads, None, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap().lines().count(),
            2,
            "exports hold the named graphs only"
        );
    }

    /// Every kind of literal the graphs hold (and spellings the store keeps only as values):
    /// re-importing a graph unchanged, or another graph stating the same triples, leaves the
    /// merge exactly the union of the named graphs.
    fn literals_of_every_datatype() -> Vec<Literal> {
        use oxigraph::model::vocab::{rdf, xsd};
        let typed =
            |value: &str, datatype: oxigraph::model::NamedNodeRef<'_>| Literal::new_typed_literal(value, datatype);
        vec![
            Literal::from("plain"),
            Literal::new_language_tagged_literal("Skatteverket", "sv").unwrap(),
            typed("7", xsd::NON_NEGATIVE_INTEGER),
            typed("0", xsd::NON_NEGATIVE_INTEGER),
            typed("12", xsd::INTEGER),
            typed("012", xsd::INTEGER),
            typed("3", xsd::INT),
            typed("4", xsd::POSITIVE_INTEGER),
            typed("1.50", xsd::DECIMAL),
            typed("1e3", xsd::DOUBLE),
            typed("1", xsd::BOOLEAN),
            typed("true", xsd::BOOLEAN),
            typed("2021-12-01", xsd::DATE),
            typed("2021-12", xsd::G_YEAR_MONTH),
            typed("2021", xsd::G_YEAR),
            typed("2021-12-01T10:00:00Z", xsd::DATE_TIME),
            typed("2021-12-01T11:00:00+01:00", xsd::DATE_TIME),
            typed("P1D", xsd::DURATION),
            typed("0A1b", xsd::HEX_BINARY),
            typed("https://example.com/", xsd::ANY_URI),
            typed("<b>x</b>", rdf::HTML),
            typed("x", NamedNode::new("https://example.com/own-type").unwrap().as_ref()),
        ]
    }

    /// The union of the named graphs and the default graph, as the store reads them back.
    fn union_and_merge(store: &Store) -> (Vec<String>, Vec<String>) {
        let union: HashSet<String> = store.quads().map(|q| Triple::from(q.unwrap()).to_string()).collect();
        let mut union: Vec<String> = union.into_iter().collect();
        union.sort();
        (union, default_graph(store))
    }

    #[test]
    fn re_importing_a_graph_keeps_every_literal_in_the_merge() {
        let store = Store::in_memory().unwrap();
        let s = NamedNode::new("http://example.com/s").unwrap();
        let p = NamedNode::new("http://example.com/p").unwrap();
        let (g1, g2) = (
            NamedNode::new("http://example.com/g1").unwrap(),
            NamedNode::new("http://example.com/g2").unwrap(),
        );
        let quads = |g: &NamedNode| -> Vec<Quad> {
            literals_of_every_datatype()
                .into_iter()
                .map(|o| Quad::new(s.clone(), p.clone(), o, g.clone()))
                .collect()
        };
        store.replace_graph(&g1, &quads(&g1)).unwrap();
        let first = union_and_merge(&store);
        assert_eq!(first.0, first.1);
        // The same graph again, a second graph stating the same, and that one dropped.
        store.replace_graph(&g1, &quads(&g1)).unwrap();
        assert_eq!(union_and_merge(&store), first, "after re-importing g1");
        store.replace_graph(&g2, &quads(&g2)).unwrap();
        store.replace_graph(&g1, &quads(&g1)).unwrap();
        assert!(store.drop_graph(&g2).unwrap());
        assert_eq!(union_and_merge(&store), first, "after g2 came and went");
        let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
        assert_eq!(crate::sparql::count(&store, count).unwrap(), first.0.len() as u64);
        // And nothing stays behind once no graph states it.
        store.replace_graph(&g1, &[]).unwrap();
        assert_eq!(union_and_merge(&store), (Vec::new(), Vec::new()));
    }

    /// One write of the property test: which graph, and which of the shared triples it states.
    #[derive(Debug, Clone)]
    enum Write {
        Replace(usize, Vec<usize>),
        Add(usize, Vec<usize>),
        Drop(usize),
    }

    fn write_strategy() -> impl proptest::strategy::Strategy<Value = Write> {
        use proptest::prelude::*;
        let picks = || proptest::collection::vec(0..literals_of_every_datatype().len() * 2, 0..8);
        prop_oneof![
            (0..3usize, picks()).prop_map(|(g, t)| Write::Replace(g, t)),
            (0..3usize, picks()).prop_map(|(g, t)| Write::Add(g, t)),
            (0..3usize).prop_map(Write::Drop),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 200,
            // A failure prints its minimal case; nothing is written into the source tree.
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]
        /// After any sequence of imports, re-imports, additions and deletions over graphs that
        /// share triples, the default graph is exactly the union of the named graphs.
        #[test]
        fn the_merge_is_the_union_after_any_sequence_of_writes(
            writes in proptest::collection::vec(write_strategy(), 1..12)
        ) {
            let store = Store::in_memory().unwrap();
            let literals = literals_of_every_datatype();
            let p = NamedNode::new("http://example.com/p").unwrap();
            let subjects = [
                NamedNode::new("http://example.com/a").unwrap(),
                NamedNode::new("http://example.com/b").unwrap(),
            ];
            let triple = |i: usize| {
                Triple::new(subjects[i / literals.len()].clone(), p.clone(), literals[i % literals.len()].clone())
            };
            let graph = |g: usize| NamedNode::new(format!("http://example.com/g{g}")).unwrap();
            for write in writes {
                match write {
                    Write::Replace(g, picks) => {
                        let quads: Vec<Quad> = picks.iter().map(|&i| triple(i).in_graph(graph(g))).collect();
                        store.replace_graph(&graph(g), &quads).unwrap();
                    }
                    Write::Add(g, picks) => {
                        let triples: Vec<Triple> = picks.iter().map(|&i| triple(i)).collect();
                        store.add_to_graph(&graph(g), &triples).unwrap();
                    }
                    Write::Drop(g) => {
                        store.drop_graph(&graph(g)).unwrap();
                    }
                }
                let (union, merge) = union_and_merge(&store);
                proptest::prop_assert_eq!(union, merge);
            }
        }
    }

    /// A store as an older version wrote it (named graphs only, no merge, no marker) is
    /// refused read-only, with what to do, and migrated when opened for writing.
    #[cfg(feature = "rocksdb")]
    #[test]
    fn an_older_store_is_refused_read_only_and_migrated_for_writing() {
        let dir = tempfile::tempdir().unwrap();
        let s = NamedNode::new("http://example.com/s").unwrap();
        {
            let old = OxStore::open(dir.path()).unwrap();
            for (graph, values) in [("g1", ["a", "b"]), ("g2", ["b", "c"])] {
                let graph = NamedNode::new(format!("http://example.com/{graph}")).unwrap();
                for value in values {
                    old.insert(&Quad::new(s.clone(), s.clone(), Literal::from(value), graph.clone()))
                        .unwrap();
                }
            }
            old.flush().unwrap();
        }
        let distinct = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
        let refused = Store::open_read_only(dir.path()).unwrap_err();
        assert!(matches!(refused, StoreError::NotMerged(_)), "{refused}");
        assert!(refused.to_string().contains("open it once for writing"), "{refused}");
        let migrated = Store::open(dir.path()).unwrap();
        assert!(dir.path().join(MERGED_MARKER).exists());
        assert_eq!(default_graph(&migrated).len(), 3);
        assert_eq!(crate::sparql::count(&migrated, distinct).unwrap(), 3);
        assert_eq!(migrated.len().unwrap(), 4);
    }

    #[test]
    fn what_an_update_writes_into_the_default_graph_is_kept_in_a_named_graph() {
        let store = Store::in_memory().unwrap();
        let writes = NamedNode::new("http://example.com/graph/default").unwrap();
        let doc = NamedNode::new("http://example.com/doc").unwrap();
        let update = |text: &str| {
            store
                .update_with(&writes, |transaction| {
                    transaction.update(text).map_err(|e| StorageError::Other(e.into()))
                })
                .unwrap();
        };
        update(
            "INSERT DATA { <http://example.com/s> <http://example.com/p> 1, 2 . GRAPH <http://example.com/doc> { <http://example.com/s> <http://example.com/p> 3 } }",
        );
        assert_eq!(default_graph(&store).len(), 3);
        assert!(store.contains_graph(&writes).unwrap() && store.contains_graph(&doc).unwrap());
        update("DELETE DATA { <http://example.com/s> <http://example.com/p> 1 }");
        let mut kept = Vec::new();
        store
            .write_triples(Some(&writes), RdfFormat::NTriples, &mut kept)
            .unwrap();
        let kept = String::from_utf8(kept).unwrap();
        assert!(kept.contains("\"2\"") && !kept.contains("\"1\""), "{kept}");
        // The default graph is the merge again, also after writes into named graphs.
        update("INSERT DATA { GRAPH <http://example.com/doc> { <http://example.com/s> <http://example.com/p> 4 } }");
        assert_eq!(default_graph(&store).len(), 3, "2, 3 and 4");
    }
}

/// The on-disk store (RocksDB). Built without the `rocksdb` feature (the fuzz targets, which
/// need only the extractor), opening one is an error and only in-memory stores exist.
mod on_disk {
    use std::path::Path;

    use oxigraph::store::{StorageError, Store};

    #[cfg(feature = "rocksdb")]
    pub fn open(path: &Path) -> Result<Store, StorageError> {
        Store::open(path)
    }

    #[cfg(feature = "rocksdb")]
    pub fn open_read_only(path: &Path) -> Result<Store, StorageError> {
        Store::open_read_only(path)
    }

    #[cfg(not(feature = "rocksdb"))]
    pub fn open(path: &Path) -> Result<Store, StorageError> {
        Err(StorageError::Other(
            format!("{}: esam-kg was built without the rocksdb feature", path.display()).into(),
        ))
    }

    #[cfg(not(feature = "rocksdb"))]
    pub fn open_read_only(path: &Path) -> Result<Store, StorageError> {
        open(path)
    }
}
