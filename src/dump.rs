//! Canonical dumps: the whole dataset as N-Quads and the union of its graphs as
//! Turtle, blank nodes named by RDF Dataset Canonicalization (RDFC-1.0, SHA-256)
//! and statements sorted, so the same data always gives the same bytes and the
//! same SHA-256 — which is published with the dump and in the dataset description.

use std::io::Write;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
use oxigraph::model::{Dataset, Graph, Quad, Triple};
use sha2::{Digest, Sha256};

use crate::store::{Store, StoreError, blank_nodes, with_prefixes};

/// The canonical serialisations of a store.
#[derive(Debug, Clone)]
pub struct Dump {
    /// Every quad, canonical N-Quads, one statement per line, sorted.
    pub nquads: Vec<u8>,
    /// The union of all graphs (each triple once), Turtle in canonical statement order.
    pub turtle: Vec<u8>,
}

const RDFC: CanonicalizationAlgorithm = CanonicalizationAlgorithm::Rdfc10 {
    hash_algorithm: CanonicalizationHashAlgorithm::Sha256,
};

/// The canonical dump of everything in `store`.
pub fn canonical(store: &Store) -> Result<Dump, StoreError> {
    let mut dataset = Dataset::new();
    for quad in store.quads() {
        dataset.insert(&quad?);
    }
    refuse_deep_blank_nodes(&dataset)?;
    dataset.canonicalize(RDFC);
    let nquads = {
        let mut lines: Vec<String> = dataset.iter().map(|q| format!("{} .\n", Quad::from(q))).collect();
        lines.sort_unstable();
        lines.dedup();
        lines.concat().into_bytes()
    };
    // One copy of the data in memory at a time: the union is made, then the dataset let go.
    let mut union = Graph::new();
    for quad in dataset.iter() {
        union.insert(&Triple::from(Quad::from(quad)));
    }
    drop(dataset);
    union.canonicalize(RDFC);
    let mut triples: Vec<Triple> = union.iter().map(Into::into).collect();
    triples.sort_by_cached_key(ToString::to_string);
    let mut turtle = Vec::new();
    let mut out = with_prefixes(RdfSerializer::from_format(RdfFormat::Turtle)).for_writer(&mut turtle);
    for triple in &triples {
        out.serialize_triple(triple)?;
    }
    out.finish()?;
    Ok(Dump { nquads, turtle })
}

/// Canonicalisation recurses through nested blank nodes (a stack overflow at 10,000 deep, and
/// minutes at 1,000): a dataset with blank nodes nested deeper than the store accepts is
/// refused, naming the graph. Writes refuse such data; this catches what an older version,
/// or a SPARQL Update, let in.
fn refuse_deep_blank_nodes(dataset: &Dataset) -> Result<(), StoreError> {
    let triples = || {
        dataset
            .iter()
            .map(|q| oxigraph::model::TripleRef::new(q.subject, q.predicate, q.object))
    };
    let Err(whole) = blank_nodes::check(triples()) else {
        return Ok(());
    };
    // Which graph: blank nodes belong to one graph each, so one of them fails alone.
    let mut graphs: Vec<_> = dataset.iter().map(|q| q.graph_name).collect();
    graphs.sort_unstable_by_key(ToString::to_string);
    graphs.dedup();
    for graph in graphs {
        let in_graph = dataset
            .quads_for_graph_name(graph)
            .map(|q| oxigraph::model::TripleRef::new(q.subject, q.predicate, q.object));
        if let Err(source) = blank_nodes::check(in_graph) {
            return Err(StoreError::Nesting {
                graph: graph.to_string(),
                source,
            });
        }
    }
    Err(StoreError::Nesting {
        graph: "(several graphs together)".into(),
        source: whole,
    })
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Gzip with a fixed header (no time stamp, no name): the same input gives the same bytes.
pub fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_and_gzip_are_stable() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(gzip(b"hello").unwrap(), gzip(b"hello").unwrap());
    }
}
