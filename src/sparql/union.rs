//! The dataset SPARQL queries run on: the store's named graphs as they are, and
//! a default graph that is their *merge* — each triple once, however many
//! documents state it. (Oxigraph's own "union default graph" is a bag: an
//! organisation's label stated in the reference graph and in a document graph
//! would match twice.)

use std::collections::HashSet;

use oxigraph::model::{GraphNameRef, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term, TermRef};
use oxigraph::store::{StorageError, Store};
use spareval::{InternalQuad, QueryableDataset};

/// A store seen through the merge of its graphs as default graph.
#[derive(Clone)]
pub struct MergedDefaultGraph {
    store: Store,
}

impl MergedDefaultGraph {
    /// The dataset of `store` (a cheap handle to the same store).
    pub fn new(store: &Store) -> Self {
        Self { store: store.clone() }
    }
}

fn internal(quad: Quad, in_default_graph: bool) -> InternalQuad<Term> {
    InternalQuad {
        subject: quad.subject.into(),
        predicate: quad.predicate.into(),
        object: quad.object,
        graph_name: if in_default_graph {
            None
        } else {
            quad.graph_name.into_term()
        },
    }
}

/// The graph name as a term (`None` for the default graph).
trait IntoTerm {
    fn into_term(self) -> Option<Term>;
}

impl IntoTerm for oxigraph::model::GraphName {
    fn into_term(self) -> Option<Term> {
        match self {
            oxigraph::model::GraphName::NamedNode(n) => Some(n.into()),
            oxigraph::model::GraphName::BlankNode(b) => Some(b.into()),
            oxigraph::model::GraphName::DefaultGraph => None,
        }
    }
}

impl<'a> QueryableDataset<'a> for MergedDefaultGraph {
    type InternalTerm = Term;
    type Error = StorageError;

    fn internal_quads_for_pattern(
        &self,
        subject: Option<&Term>,
        predicate: Option<&Term>,
        object: Option<&Term>,
        graph_name: Option<Option<&Term>>,
    ) -> impl Iterator<Item = Result<InternalQuad<Term>, StorageError>> + use<'a> {
        // A literal cannot be a subject, nor anything but an IRI a predicate: nothing matches.
        let subject: Option<Option<NamedOrBlankNodeRef<'_>>> = subject.map(|s| match s.as_ref() {
            TermRef::NamedNode(n) => Some(n.into()),
            TermRef::BlankNode(b) => Some(b.into()),
            _ => None,
        });
        let predicate: Option<Option<NamedNodeRef<'_>>> = predicate.map(|p| match p.as_ref() {
            TermRef::NamedNode(n) => Some(n),
            _ => None,
        });
        let graph: Option<Option<GraphNameRef<'_>>> = match graph_name {
            None => None,
            Some(None) => None, // the default graph: all graphs, merged below
            Some(Some(term)) => Some(match term.as_ref() {
                TermRef::NamedNode(n) => Some(n.into()),
                TermRef::BlankNode(b) => Some(b.into()),
                _ => None,
            }),
        };
        let impossible =
            matches!(subject, Some(None)) || matches!(predicate, Some(None)) || matches!(graph, Some(None));
        let merged = graph_name == Some(None);
        let iter: Box<dyn Iterator<Item = Result<InternalQuad<Term>, StorageError>> + 'a> = if impossible {
            Box::new(std::iter::empty())
        } else {
            let quads = self.store.quads_for_pattern(
                subject.flatten(),
                predicate.flatten(),
                object.map(Term::as_ref),
                graph.flatten(),
            );
            if merged {
                // A full scan lists graph by graph: only there are copies not adjacent.
                let full_scan = subject.is_none() && predicate.is_none() && object.is_none();
                Box::new(Merge {
                    quads,
                    pending: None,
                    seen: full_scan.then(HashSet::new),
                })
            } else {
                Box::new(quads.map(|q| q.map(|q| internal(q, false))))
            }
        };
        iter
    }

    fn internal_named_graphs(&self) -> impl Iterator<Item = Result<Term, StorageError>> + use<'a> {
        self.store
            .named_graphs()
            .map(|g| g.map(Term::from))
            .collect::<Vec<_>>()
            .into_iter()
    }

    fn contains_internal_graph_name(&self, graph_name: &Term) -> Result<bool, StorageError> {
        match graph_name.as_ref() {
            TermRef::NamedNode(n) => self.store.contains_named_graph(n),
            TermRef::BlankNode(b) => self.store.contains_named_graph(b),
            _ => Ok(false),
        }
    }

    fn internalize_term(&self, term: Term) -> Result<Term, StorageError> {
        Ok(term)
    }

    fn externalize_term(&self, term: Term) -> Result<Term, StorageError> {
        Ok(term)
    }
}

/// Each triple once. For a pattern with a bound term the store lists quads by
/// subject, predicate or object before the graph (its SPOG, POSG, OSPG indexes),
/// so the copies of a triple are adjacent and skipping the quads that repeat the one
/// about to be returned merges them lazily, without copying a term; a full scan goes
/// graph by graph (GSPO) and keeps the triples it has seen.
struct Merge<I> {
    quads: I,
    /// The quad read ahead: the first one that was not a copy of the last returned.
    pending: Option<Quad>,
    seen: Option<HashSet<(Term, Term, Term)>>,
}

fn same_triple(a: &Quad, b: &Quad) -> bool {
    a.subject == b.subject && a.predicate == b.predicate && a.object == b.object
}

impl<I: Iterator<Item = Result<Quad, StorageError>>> Iterator for Merge<I> {
    type Item = Result<InternalQuad<Term>, StorageError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let quad = match self.pending.take() {
                Some(quad) => quad,
                None => match self.quads.next()? {
                    Ok(quad) => quad,
                    Err(e) => return Some(Err(e)),
                },
            };
            if let Some(seen) = &mut self.seen {
                let key = (
                    Term::from(quad.subject.clone()),
                    Term::from(quad.predicate.clone()),
                    quad.object.clone(),
                );
                if !seen.insert(key) {
                    continue;
                }
                return Some(Ok(internal(quad, true)));
            }
            // Skip the adjacent copies, keeping the first other quad for the next call.
            loop {
                match self.quads.next() {
                    Some(Ok(next)) if same_triple(&next, &quad) => continue,
                    Some(Ok(next)) => {
                        self.pending = Some(next);
                        break;
                    }
                    Some(Err(e)) => return Some(Err(e)),
                    None => break,
                }
            }
            return Some(Ok(internal(quad, true)));
        }
    }
}
