//! `esam-kg check`: the store's invariants, verified on the data as it is — the default graph
//! is exactly the merge of the named graphs, every graph that states its size (`void:triples`)
//! has that size, and every fact of a document graph carries its provenance (section, quote,
//! offsets). For operators after a crash or an upgrade, and for the crash and concurrency tests.

use std::fmt;

use oxigraph::model::{GraphNameRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, QuadRef, Term};
use oxigraph::store::StorageError;

use crate::store::Store;
use crate::vocab::{esam, org, prov, rdf, schema, void};

/// At most this many examples of one kind of problem are listed (the count is always whole).
const EXAMPLES: usize = 10;

/// Something the store holds that breaks an invariant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A triple of the default graph that no named graph states.
    NotStated(String),
    /// A triple a named graph states that the default graph lacks.
    NotMerged(String),
    /// A graph whose stated size is not its size.
    WrongSize {
        /// The graph.
        graph: String,
        /// Its `void:triples`.
        stated: String,
        /// Quads it holds.
        holds: usize,
    },
    /// A fact of a document graph without a part of its provenance.
    NoProvenance {
        /// The graph.
        graph: String,
        /// The fact node.
        fact: String,
        /// What it lacks (`prov:wasDerivedFrom`, `esam:quote` …).
        lacks: &'static str,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotStated(triple) => write!(f, "the default graph has {triple}, which no named graph states"),
            Self::NotMerged(triple) => write!(f, "the default graph lacks {triple}, which a named graph states"),
            Self::WrongSize { graph, stated, holds } => {
                write!(f, "the graph {graph} says it has {stated} triples and holds {holds}")
            }
            Self::NoProvenance { graph, fact, lacks } => write!(f, "in {graph}, the fact {fact} has no {lacks}"),
        }
    }
}

/// How many problems of each kind `check` found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Triples of the default graph that no named graph states.
    pub not_stated: usize,
    /// Stated triples the default graph lacks.
    pub not_merged: usize,
    /// Graphs whose stated size is wrong.
    pub wrong_size: usize,
    /// Missing pieces of provenance.
    pub no_provenance: usize,
}

impl Counts {
    fn of(&mut self, problem: &Problem) -> &mut usize {
        match problem {
            Problem::NotStated(_) => &mut self.not_stated,
            Problem::NotMerged(_) => &mut self.not_merged,
            Problem::WrongSize { .. } => &mut self.wrong_size,
            Problem::NoProvenance { .. } => &mut self.no_provenance,
        }
    }
}

/// What `check` found: the problems (at most [`EXAMPLES`] of a kind) and how many of each.
#[derive(Debug, Default)]
pub struct Report {
    /// Examples of problems.
    pub problems: Vec<Problem>,
    /// Counts by kind.
    pub counts: Counts,
    /// Named graphs checked.
    pub graphs: usize,
    /// Facts checked.
    pub facts: usize,
}

impl Report {
    /// Whether every invariant holds.
    pub fn is_sound(&self) -> bool {
        self.counts == Counts::default()
    }

    fn found(&mut self, problem: Problem) {
        let count = self.counts.of(&problem);
        *count += 1;
        if *count <= EXAMPLES {
            self.problems.push(problem);
        }
    }
}

/// Checks every invariant of `store`.
pub fn check(store: &Store) -> Result<Report, StorageError> {
    let mut report = Report::default();
    let inner = store.oxigraph();
    check_merge(store, &mut report)?;
    for graph in inner.named_graphs() {
        let graph = graph?;
        report.graphs += 1;
        check_size(store, graph.as_ref(), &mut report)?;
        check_provenance(store, graph.as_ref(), &mut report)?;
    }
    Ok(report)
}

/// Every triple of the default graph is stated by a named graph, and every stated one is in it.
/// Asked of the store (encoded terms), never by comparing decoded values.
fn check_merge(store: &Store, report: &mut Report) -> Result<(), StorageError> {
    let inner = store.oxigraph();
    for quad in inner.quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph)) {
        let quad = quad?;
        let stated = inner
            .quads_for_pattern(
                Some(quad.subject.as_ref()),
                Some(quad.predicate.as_ref()),
                Some(quad.object.as_ref()),
                None,
            )
            .map(|q| q.map(|q| !q.graph_name.is_default_graph()))
            .find(|named| !matches!(named, Ok(false)))
            .transpose()?
            .unwrap_or(false);
        if !stated {
            report.found(Problem::NotStated(triple_text(&quad)));
        }
    }
    for quad in store.quads() {
        let quad = quad?;
        let in_default = QuadRef::new(
            quad.subject.as_ref(),
            quad.predicate.as_ref(),
            quad.object.as_ref(),
            GraphNameRef::DefaultGraph,
        );
        if !inner.contains(in_default)? {
            report.found(Problem::NotMerged(triple_text(&quad)));
        }
    }
    Ok(())
}

fn triple_text(quad: &Quad) -> String {
    format!("{} {} {}", quad.subject, quad.predicate, quad.object)
}

/// A graph that states its own size (`<g> void:triples n` in `g`) holds n quads.
fn check_size(store: &Store, graph: NamedOrBlankNodeRef<'_>, report: &mut Report) -> Result<(), StorageError> {
    let inner = store.oxigraph();
    let in_graph = GraphNameRef::from(graph);
    for stated in inner.quads_for_pattern(Some(graph), Some(void::TRIPLES), None, Some(in_graph)) {
        let stated = stated?.object;
        let holds = inner.quads_for_pattern(None, None, None, Some(in_graph)).count();
        let matches = matches!(&stated, Term::Literal(n) if n.value().parse::<usize>() == Ok(holds));
        if !matches {
            let stated = match &stated {
                Term::Literal(n) => n.value().to_string(),
                other => other.to_string(),
            };
            report.found(Problem::WrongSize {
                graph: graph.to_string(),
                stated,
                holds,
            });
        }
    }
    Ok(())
}

/// Every fact (mention, membership, event, decision) a document graph states has its section,
/// quote and offsets in the same graph. Reference data states memberships without a
/// sentence: only graphs that state their size are documents.
fn check_provenance(store: &Store, graph: NamedOrBlankNodeRef<'_>, report: &mut Report) -> Result<(), StorageError> {
    let inner = store.oxigraph();
    let in_graph = GraphNameRef::from(graph);
    if inner
        .quads_for_pattern(Some(graph), Some(void::TRIPLES), None, Some(in_graph))
        .next()
        .is_none()
    {
        return Ok(());
    }
    let needed = [
        (prov::WAS_DERIVED_FROM, "prov:wasDerivedFrom (section)"),
        (esam::QUOTE, "esam:quote"),
        (esam::CHAR_START, "esam:charStart"),
        (esam::CHAR_END, "esam:charEnd"),
    ];
    for kind in [esam::MENTION, org::MEMBERSHIP, schema::EVENT, esam::DECISION] {
        for typed in inner.quads_for_pattern(None, Some(rdf::TYPE), Some(kind.into()), Some(in_graph)) {
            let fact: NamedOrBlankNode = typed?.subject;
            report.facts += 1;
            for (property, lacks) in needed {
                let has = inner
                    .quads_for_pattern(Some(fact.as_ref()), Some(property), None, Some(in_graph))
                    .next()
                    .transpose()?
                    .is_some();
                if !has {
                    report.found(Problem::NoProvenance {
                        graph: graph.to_string(),
                        fact: fact.to_string(),
                        lacks,
                    });
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    fn iri(local: &str) -> NamedNode {
        NamedNode::new(format!("http://example.com/{local}")).unwrap()
    }

    #[test]
    fn a_store_written_through_the_store_api_is_sound() {
        let store = Store::in_memory().unwrap();
        let g = iri("doc");
        let fact = iri("doc/mention/0");
        let quads = vec![
            Quad::new(fact.clone(), rdf::TYPE, esam::MENTION, g.clone()),
            Quad::new(fact.clone(), prov::WAS_DERIVED_FROM, iri("doc/section/0"), g.clone()),
            Quad::new(
                fact.clone(),
                esam::QUOTE,
                Literal::from("Skatteverket deltar."),
                g.clone(),
            ),
            Quad::new(fact.clone(), esam::CHAR_START, Literal::from(3), g.clone()),
            Quad::new(fact.clone(), esam::CHAR_END, Literal::from(23), g.clone()),
            Quad::new(g.clone(), void::TRIPLES, Literal::from(6), g.clone()),
        ];
        store.replace_graph(&g, &quads).unwrap();
        store.replace_graph(&g, &quads).unwrap();
        let report = check(&store).unwrap();
        assert!(report.is_sound(), "{:?}", report.problems);
        assert_eq!((report.graphs, report.facts), (1, 1));
    }

    #[test]
    fn each_broken_invariant_is_named() {
        let store = Store::in_memory().unwrap();
        let g = iri("doc");
        let fact = iri("doc/event/0");
        store
            .replace_graph(
                &g,
                &[
                    Quad::new(fact.clone(), rdf::TYPE, schema::EVENT, g.clone()),
                    Quad::new(fact.clone(), esam::QUOTE, Literal::from("Ett möte."), g.clone()),
                    Quad::new(g.clone(), void::TRIPLES, Literal::from(7), g.clone()),
                ],
            )
            .unwrap();
        // Written around the store API: a triple only in the default graph, one only in g.
        let inner = store.oxigraph();
        inner
            .insert(QuadRef::new(
                iri("s").as_ref(),
                iri("p").as_ref(),
                iri("o").as_ref(),
                GraphNameRef::DefaultGraph,
            ))
            .unwrap();
        inner
            .remove(QuadRef::new(
                fact.as_ref(),
                esam::QUOTE,
                Literal::from("Ett möte.").as_ref(),
                GraphNameRef::DefaultGraph,
            ))
            .unwrap();
        let report = check(&store).unwrap();
        assert!(!report.is_sound());
        let counts = Counts {
            not_stated: 1,
            not_merged: 1,
            wrong_size: 1,
            no_provenance: 3,
        };
        assert_eq!(report.counts, counts, "{:#?}", report.problems);
        let text: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        assert!(
            text.iter().any(|t| t.contains("says it has 7 triples and holds 3")),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t.contains("has no esam:charStart")), "{text:?}");
        assert!(
            text.iter().any(|t| t.contains("which no named graph states")),
            "{text:?}"
        );
    }
}
