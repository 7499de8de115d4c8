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
//!
//! `merge` keeps that invariant, `export` writes the store out, `blank_nodes` bounds how deep
//! blank nodes nest.

use std::path::{Path, PathBuf};

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, Triple};
use oxigraph::store::{StorageError, Store as OxStore, Transaction};

pub mod blank_nodes;
mod export;
mod merge;

pub use export::{with_prefixes, write_graph};
use merge::{rebuild_default_graph, triples_of, update_merge};

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
        let dir = temp_dir::TempDir::new().unwrap();
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

    /// A store as an older version wrote it (named graphs only, no merge, no marker) is
    /// refused read-only, with what to do, and migrated when opened for writing.
    #[cfg(feature = "rocksdb")]
    #[test]
    fn an_older_store_is_refused_read_only_and_migrated_for_writing() {
        let dir = temp_dir::TempDir::new().unwrap();
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
        assert_eq!(merge::tests::default_graph(&migrated).len(), 3);
        assert_eq!(crate::sparql::count(&migrated, distinct).unwrap(), 3);
        assert_eq!(migrated.len().unwrap(), 4);
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
