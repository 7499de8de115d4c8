//! Reconciliation: ranking the organisations and people of the graph against a
//! name someone has in a spreadsheet — abbreviations, genitives, definite forms,
//! missing diacritics and small typos included — for the W3C Reconciliation
//! Service API that OpenRefine speaks (served at `/reconcile`).

use std::collections::HashMap;

use oxigraph::model::{NamedNode, Term};

use crate::sparql::{SparqlError, fold};
use crate::store::Store;
use crate::vocab::{foaf, org, skos};

/// A type a query may ask for: (IRI, name).
pub const TYPES: [(&str, &str); 2] = [
    (org::ORGANIZATION.as_str(), "Organisation"),
    (foaf::PERSON.as_str(), "Person"),
];

/// One candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The entity.
    pub id: NamedNode,
    /// Its best name (the label that matched when it is a preferred one).
    pub name: String,
    /// 0–100.
    pub score: f64,
    /// The type asked for (or found).
    pub kind: &'static str,
}

/// How well `label` matches what was asked (both folded), 0–100.
fn score(query: &str, label: &str) -> f64 {
    if query.is_empty() {
        return 0.0;
    }
    if label == query {
        return 100.0;
    }
    // Genitive and definite endings of running Swedish text.
    for ending in [":s", "s", "en", "et", "n"] {
        if query
            .strip_suffix(ending)
            .is_some_and(|stem| stem.chars().count() >= 2 && stem == label)
        {
            return 92.0;
        }
    }
    let similarity = strsim::normalized_levenshtein(query, label);
    if similarity >= 0.85 {
        return 70.0 + 20.0 * similarity;
    }
    if query.chars().count() >= 3 && label.contains(query) {
        return 40.0 + 40.0 * query.chars().count() as f64 / label.chars().count() as f64;
    }
    0.0
}

/// The best `limit` candidates for `query` among entities of `types` (all known types when empty).
pub fn candidates(store: &Store, query: &str, types: &[&str], limit: usize) -> Result<Vec<Candidate>, SparqlError> {
    let needle = fold(query.trim());
    let mut best: HashMap<String, Candidate> = HashMap::new();
    for (kind, _) in TYPES.iter().filter(|(t, _)| types.is_empty() || types.contains(t)) {
        let class = NamedNode::new_unchecked(*kind);
        for (entity, label) in crate::views::params::labelled(store, std::slice::from_ref(&class))? {
            let points = score(&needle, &fold(&label));
            if points <= 0.0 {
                continue;
            }
            let entry = best.entry(entity.as_str().to_string()).or_insert_with(|| Candidate {
                id: entity.clone(),
                name: label.clone(),
                score: 0.0,
                kind,
            });
            if points > entry.score {
                entry.score = points;
                entry.name = label;
            }
        }
    }
    let mut ranked: Vec<Candidate> = best.into_values().collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.as_str().cmp(b.id.as_str())));
    ranked.truncate(limit);
    for candidate in &mut ranked {
        if let Some(name) = preferred_name(store, &candidate.id)? {
            candidate.name = name;
        }
    }
    Ok(ranked)
}

/// The entity's Swedish preferred label, else its untagged one, else its FOAF name.
fn preferred_name(store: &Store, entity: &NamedNode) -> Result<Option<String>, SparqlError> {
    let mut found: Option<(u8, String)> = None;
    for predicate in [skos::PREF_LABEL, foaf::NAME] {
        for quad in store
            .oxigraph()
            .quads_for_pattern(Some(entity.as_ref().into()), Some(predicate), None, None)
        {
            let quad = quad.map_err(|e| SparqlError::Output(std::io::Error::other(e)))?;
            if let Term::Literal(label) = quad.object {
                let rank = match label.language() {
                    Some("sv") => 0,
                    None => 1,
                    Some(_) => 2,
                };
                if found.as_ref().is_none_or(|(r, _)| rank < *r) {
                    found = Some((rank, label.value().to_string()));
                }
            }
        }
    }
    Ok(found.map(|(_, name)| name))
}

/// Whether the first candidate is a confident match: a strong score and clearly ahead.
pub fn is_match(ranked: &[Candidate]) -> bool {
    match ranked {
        [first] => first.score >= 90.0,
        [first, second, ..] => first.score >= 90.0 && first.score - second.score >= 5.0,
        [] => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_rank_exact_then_inflected_then_typos() {
        assert_eq!(score("forsakringskassan", "forsakringskassan"), 100.0);
        assert_eq!(score("forsakringskassans", "forsakringskassan"), 92.0);
        assert!(score("forsakringskasan", "forsakringskassan") > 85.0);
        assert!(score("kassan", "forsakringskassan") > 0.0);
        assert_eq!(score("skatteverket", "bolagsverket"), 0.0);
    }
}
