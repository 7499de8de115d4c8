//! Linked-data publication of single resources: what a resource's description
//! contains (one SPARQL CONSTRUCT, `linked/describe.rq`, so the SPARQL endpoint can
//! reproduce it), whether an IRI is known, retired or replaced, the labels to show
//! for IRIs, and the HTML page (`linked::page`).

pub mod dataset;
pub mod ontology;
pub mod page;

use std::collections::HashMap;

use oxigraph::model::{Literal, NamedNode, Term, Triple};
use oxigraph::sparql::QueryResults;

use crate::sparql::{self, Dataset, SparqlError};
use crate::store::Store;
use crate::vocab::{dcterms, foaf, owl, rdfs, schema, skos};

/// The description of a resource: its own statements, the statements that point at
/// it, the labels of everything linked, and for every fact pointing at it the
/// sentence, section and newsletter it came from. `?r` is bound to the IRI.
pub const DESCRIBE_QUERY: &str = include_str!("linked/describe.rq");

/// What an IRI under the base is, for dereferencing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The store says something about it.
    Known,
    /// It was replaced: `dcterms:isReplacedBy` the given IRI (308).
    Replaced(NamedNode),
    /// It was retired: `owl:deprecated true` with nothing replacing it (410).
    Retired,
    /// Nothing is known about it (404).
    Unknown,
}

fn solutions(store: &Store, query: &str, resource: &NamedNode) -> Result<Vec<Vec<Option<Term>>>, SparqlError> {
    let prepared = sparql::prepare_with_params(
        query,
        &Dataset::default(),
        vec![("resource".to_string(), resource.clone().into())],
    )?;
    let mut rows = Vec::new();
    if let QueryResults::Solutions(found) = sparql::execute(store, prepared)? {
        for solution in found {
            rows.push(solution?.values().to_vec());
        }
    }
    Ok(rows)
}

/// Whether `iri` is known, replaced, retired or unknown.
pub fn status(store: &Store, iri: &NamedNode) -> Result<Status, SparqlError> {
    let rows = solutions(
        store,
        "SELECT ?replacement ?deprecated ?known WHERE { BIND(esam:param(\"resource\") AS ?r) \
         OPTIONAL { ?r dcterms:isReplacedBy ?replacement } OPTIONAL { ?r owl:deprecated ?deprecated } \
         BIND(EXISTS { { ?r ?p ?o } UNION { ?s ?p ?r } } AS ?known) } LIMIT 1",
        iri,
    )?;
    let row = rows.first().cloned().unwrap_or_default();
    Ok(match row.as_slice() {
        [Some(Term::NamedNode(replacement)), ..] => Status::Replaced(replacement.clone()),
        [_, Some(Term::Literal(deprecated)), ..] if deprecated.value() == "true" => Status::Retired,
        [_, _, Some(Term::Literal(known))] if known.value() == "true" => Status::Known,
        _ => Status::Unknown,
    })
}

/// The triples describing `iri` ([`DESCRIBE_QUERY`]), sorted.
pub fn describe(store: &Store, iri: &NamedNode) -> Result<Vec<Triple>, SparqlError> {
    // The resource is an initial binding, so every branch looks it up rather than scanning.
    let prepared = sparql::prepare(DESCRIBE_QUERY, &Dataset::default())?.substitute("r", iri.clone());
    let mut triples = Vec::new();
    if let QueryResults::Graph(found) = sparql::execute(store, prepared)? {
        for triple in found {
            triples.push(triple?);
        }
    }
    triples.sort_by_cached_key(ToString::to_string);
    triples.dedup();
    Ok(triples)
}

/// The predicates whose values name a resource, in order of preference.
pub const LABEL_PREDICATES: [&str; 5] = [
    skos::PREF_LABEL.as_str(),
    foaf::NAME.as_str(),
    schema::NAME.as_str(),
    rdfs::LABEL.as_str(),
    dcterms::TITLE.as_str(),
];

/// The best label of every subject in `triples`, for the preferred languages
/// (e.g. `["sv", "en"]`): a preferred language first, then untagged, then any.
pub fn labels(triples: &[Triple], languages: &[&str]) -> HashMap<String, String> {
    let rank = |literal: &Literal, predicate: &str| {
        let language = literal.language().unwrap_or("");
        let by_language = languages
            .iter()
            .position(|l| *l == language)
            .unwrap_or(if language.is_empty() {
                languages.len()
            } else {
                languages.len() + 1
            });
        let by_predicate = LABEL_PREDICATES.iter().position(|p| *p == predicate).unwrap_or(9);
        (by_language, by_predicate)
    };
    let mut best: HashMap<String, ((usize, usize), String)> = HashMap::new();
    for triple in triples {
        let predicate = triple.predicate.as_str();
        if !LABEL_PREDICATES.contains(&predicate) {
            continue;
        }
        let (oxigraph::model::NamedOrBlankNode::NamedNode(subject), Term::Literal(label)) =
            (&triple.subject, &triple.object)
        else {
            continue;
        };
        let candidate = (rank(label, predicate), label.value().to_string());
        best.entry(subject.as_str().to_string())
            .and_modify(|current| {
                if candidate.0 < current.0 {
                    *current = candidate.clone();
                }
            })
            .or_insert(candidate);
    }
    best.into_iter().map(|(iri, (_, label))| (iri, label)).collect()
}

/// The languages to show labels in, from `Accept-Language` (Swedish, then English, by default).
pub fn languages(accept_language: Option<&str>) -> Vec<&'static str> {
    let mut ranked: Vec<(f32, &'static str)> = Vec::new();
    for part in accept_language.unwrap_or("").split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
            .unwrap_or(1.0);
        let language = match tag.split('-').next().unwrap_or("") {
            "sv" => "sv",
            "en" => "en",
            _ => continue,
        };
        if q > 0.0 && !ranked.iter().any(|(_, l)| *l == language) {
            ranked.push((q, language));
        }
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut languages: Vec<&'static str> = ranked.into_iter().map(|(_, l)| l).collect();
    for fallback in ["sv", "en"] {
        if !languages.contains(&fallback) {
            languages.push(fallback);
        }
    }
    languages
}

/// Whether a predicate links out of the dataset (shown as an external link).
pub fn is_outbound(predicate: &str) -> bool {
    predicate == owl::SAME_AS.as_str() || predicate == foaf::HOMEPAGE.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_orders_labels() {
        assert_eq!(languages(None), ["sv", "en"]);
        assert_eq!(languages(Some("en-GB,en;q=0.9,sv;q=0.5")), ["en", "sv"]);
        assert_eq!(languages(Some("de, fr;q=0.5")), ["sv", "en"]);
    }

    #[test]
    fn labels_prefer_the_language_then_the_predicate() {
        let s = NamedNode::new_unchecked("http://x/s");
        let triple = |p: oxigraph::model::NamedNodeRef<'_>, l: Literal| Triple::new(s.clone(), p.into_owned(), l);
        let triples = vec![
            triple(
                skos::PREF_LABEL,
                Literal::new_language_tagged_literal_unchecked("Tax Agency", "en"),
            ),
            triple(
                skos::PREF_LABEL,
                Literal::new_language_tagged_literal_unchecked("Skatteverket", "sv"),
            ),
            triple(rdfs::LABEL, Literal::new_simple_literal("skatteverket")),
        ];
        assert_eq!(labels(&triples, &["sv", "en"])["http://x/s"], "Skatteverket");
        assert_eq!(labels(&triples, &["en", "sv"])["http://x/s"], "Tax Agency");
    }
}
