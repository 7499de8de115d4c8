//! The invariant of the default graph: it holds the merge of the named graphs (each triple
//! once, however many graphs state it), kept in the transaction of every write. Whether a
//! triple is still stated is asked of the store, never decided by comparing decoded values
//! (Oxigraph reads `"7"^^xsd:nonNegativeInteger` back as an `xsd:integer`).

use std::collections::HashSet;

use oxigraph::model::{GraphNameRef, Triple};
use oxigraph::store::{StorageError, Transaction};

/// The triples of `graph` as a transaction sees them.
pub(super) fn triples_of(transaction: &Transaction<'_>, graph: GraphNameRef<'_>) -> Result<Vec<Triple>, StorageError> {
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
pub(super) fn update_merge(
    transaction: &mut Transaction<'_>,
    old: Vec<Triple>,
    new: &[Triple],
) -> Result<(), StorageError> {
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
pub(super) fn stated_by_a_named_graph(transaction: &Transaction<'_>, triple: &Triple) -> Result<bool, StorageError> {
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
pub(super) fn rebuild_default_graph(transaction: &mut Transaction<'_>) -> Result<(), StorageError> {
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

#[cfg(test)]
pub(super) mod tests {
    use oxigraph::model::{Literal, NamedNode, Quad};
    use oxigraph::store::StorageError;

    use super::*;
    use oxigraph::io::RdfFormat;

    use crate::store::{ExportFormat, Store};

    pub(crate) fn default_graph(store: &Store) -> Vec<String> {
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
