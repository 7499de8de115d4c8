//! The on-disk Oxigraph store (RocksDB), synchronous. One named graph per
//! source document, replaced in one transaction; the reference data and the
//! ontology in graphs of their own.

use std::io::Write;
use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, Quad};
use oxigraph::store::{StorageError, Store as OxStore};

use crate::vocab;

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
    /// A storage operation failed.
    #[error("store operation failed: {0}")]
    Storage(#[from] StorageError),
    /// Writing output failed.
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
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
}

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
        Ok(Self {
            inner,
            path: path.to_path_buf(),
        })
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
        Ok(Self {
            inner,
            path: path.to_path_buf(),
        })
    }

    /// An in-memory store (tests, previews).
    pub fn in_memory() -> Result<Self, StoreError> {
        Ok(Self {
            inner: OxStore::new()?,
            path: PathBuf::from(":memory:"),
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
        transaction.clear_graph(graph)?;
        transaction.insert_named_graph(graph);
        for quad in quads {
            transaction.insert(quad);
        }
        transaction.commit()?;
        Ok(())
    }

    /// Writes what is in memory to disk, so that the next open need not replay the log
    /// (without it a server start replays every import since the last flush).
    pub fn flush(&self) -> Result<(), StoreError> {
        #[cfg(feature = "rocksdb")]
        self.inner.flush()?;
        Ok(())
    }

    /// Whether `graph` holds exactly `quads` (no more, no fewer; blank nodes never compare
    /// equal, so a graph with them is never "exactly" a new parse of itself).
    pub fn holds_exactly(&self, graph: &NamedNode, quads: &[Quad]) -> Result<bool, StoreError> {
        let mut stored = 0;
        for quad in self.inner.quads_for_pattern(None, None, None, Some(graph.into())) {
            quad?;
            stored += 1;
        }
        if stored != quads.len() {
            return Ok(false);
        }
        for quad in quads {
            if !self.inner.contains(quad)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Adds `triples` to `graph` (the default graph when `None`) in one transaction.
    pub fn add_to_graph(
        &self,
        graph: Option<&NamedNode>,
        triples: &[oxigraph::model::Triple],
    ) -> Result<(), StoreError> {
        let graph_name = graph.map_or(oxigraph::model::GraphName::DefaultGraph, |g| g.clone().into());
        let mut transaction = self.inner.start_transaction()?;
        if let Some(graph) = graph {
            transaction.insert_named_graph(graph);
        }
        for triple in triples {
            transaction.insert(triple.clone().in_graph(graph_name.clone()).as_ref());
        }
        transaction.commit()?;
        Ok(())
    }

    /// Replaces the default graph's triples in one transaction.
    pub fn replace_default_graph(&self, triples: &[oxigraph::model::Triple]) -> Result<(), StoreError> {
        let mut transaction = self.inner.start_transaction()?;
        transaction.clear_graph(oxigraph::model::GraphNameRef::DefaultGraph)?;
        for triple in triples {
            transaction.insert(triple.as_ref().in_graph(oxigraph::model::GraphNameRef::DefaultGraph));
        }
        transaction.commit()?;
        Ok(())
    }

    /// Removes a named graph and its triples (or empties the default graph); whether there was anything.
    pub fn drop_graph(&self, graph: Option<&NamedNode>) -> Result<bool, StoreError> {
        let mut transaction = self.inner.start_transaction()?;
        let existed = match graph {
            Some(graph) => {
                let existed = transaction.contains_named_graph(graph)?;
                transaction.remove_named_graph(graph)?;
                existed
            }
            None => {
                let existed = transaction
                    .quads_for_pattern(None, None, None, Some(oxigraph::model::GraphNameRef::DefaultGraph))
                    .next()
                    .is_some();
                transaction.clear_graph(oxigraph::model::GraphNameRef::DefaultGraph)?;
                existed
            }
        };
        transaction.commit()?;
        Ok(existed)
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

    /// Number of quads.
    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.inner.len()?)
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
                let quads = match graph {
                    Some(graph) => self.inner.quads_for_pattern(None, None, None, Some(graph.into())),
                    None => self.inner.quads_for_pattern(None, None, None, None),
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
                    None => self
                        .inner
                        .dump_to_writer(serializer, writer)
                        .map(|_| ())
                        .map_err(into_store_error)?,
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
        let quads = match graph {
            Some(graph) => self
                .inner
                .quads_for_pattern(None, None, None, Some(GraphNameRef::from(graph))),
            None => self.inner.quads_for_pattern(None, None, None, None),
        };
        let mut seen = std::collections::BTreeSet::new();
        for quad in quads {
            let triple = oxigraph::model::Triple::from(quad?);
            if graph.is_some() || seen.insert(triple.to_string()) {
                out.serialize_triple(&triple)?;
            }
        }
        out.finish()?;
        Ok(())
    }
}

fn into_store_error(error: oxigraph::store::SerializerError) -> StoreError {
    match error {
        oxigraph::store::SerializerError::Io(e) => StoreError::Output(e),
        oxigraph::store::SerializerError::Storage(e) => StoreError::Storage(e),
        other => StoreError::Output(std::io::Error::other(other.to_string())),
    }
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
