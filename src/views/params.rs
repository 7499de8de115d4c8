//! Request parameters → RDF terms, checked against the view's declarations
//! before any SPARQL runs. Names given for IRI parameters are resolved to the
//! entity whose label matches (case, diacritics and genitive -s ignored).

use oxigraph::model::{Literal, NamedNode, Term};
use oxigraph::sparql::QueryResults;

use super::ViewError;
use super::spec::{GLOBAL_PARAMS, ParamKind, View};
use crate::sparql::{self, Dataset, fold};
use crate::store::Store;
use crate::vocab::xsd;

/// Rows per page when the request does not say.
pub const DEFAULT_LIMIT: usize = 100;
/// The largest page when the server sets no row cap.
pub const MAX_PAGE: usize = 10_000;
/// Longest accepted text value.
const MAX_TEXT: usize = 200;

/// A request's parameters, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// Variable name → value, for every parameter given or defaulted.
    pub bindings: Vec<(String, Term)>,
    /// Rows per page.
    pub limit: usize,
    /// Rows skipped.
    pub offset: usize,
}

fn bad(name: &str, message: impl Into<String>) -> ViewError {
    ViewError::Param {
        name: name.to_string(),
        message: message.into(),
    }
}

/// Validates `pairs` (the query string) for `view`. `today` is `YYYY-MM-DD`;
/// `max_limit` bounds `limit`.
pub fn bind(
    store: &Store,
    view: &View,
    pairs: &[(String, String)],
    today: &str,
    max_limit: usize,
) -> Result<Bound, ViewError> {
    for (index, (key, _)) in pairs.iter().enumerate() {
        if view.param(key).is_none() && !GLOBAL_PARAMS.contains(&key.as_str()) {
            let known: Vec<&str> = view.params.iter().map(|p| p.name.as_str()).collect();
            return Err(bad(
                key,
                format!(
                    "this view has no such parameter; it takes {} and {}",
                    if known.is_empty() {
                        "none of its own".to_string()
                    } else {
                        known.join(", ")
                    },
                    GLOBAL_PARAMS.join(", ")
                ),
            ));
        }
        if pairs[..index].iter().any(|(k, _)| k == key) {
            return Err(bad(key, "given more than once"));
        }
    }
    let given = |name: &str| {
        pairs
            .iter()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    };
    let mut bindings = Vec::new();
    for param in &view.params {
        let value = match (given(&param.name), &param.default) {
            (Some(value), _) => value.to_string(),
            (None, Some(default)) if default == "today" => today.to_string(),
            (None, Some(default)) => default.clone(),
            (None, None) if param.required => return Err(bad(&param.name, "is required")),
            (None, None) => continue,
        };
        if !param.values.is_empty() && !param.values.contains(&value) {
            return Err(bad(&param.name, format!("must be one of {}", param.values.join(", "))));
        }
        let term = match &param.kind {
            ParamKind::Date => Term::from(date(&value).ok_or_else(|| bad(&param.name, "expected a date YYYY-MM-DD"))?),
            ParamKind::Integer => {
                let n: i64 = value.parse().map_err(|_| bad(&param.name, "expected a whole number"))?;
                Literal::from(n).into()
            }
            ParamKind::Text => {
                if value.chars().count() > MAX_TEXT {
                    return Err(bad(&param.name, format!("longer than {MAX_TEXT} characters")));
                }
                Literal::new_simple_literal(value).into()
            }
            ParamKind::Iri(classes) => resolve(store, classes, &value).map_err(|m| bad(&param.name, m))?.into(),
        };
        bindings.push((param.name.clone(), term));
    }
    let number = |name: &str, default: usize| -> Result<usize, ViewError> {
        given(name).map_or(Ok(default), |v| {
            v.parse()
                .map_err(|_| bad(name, "expected a whole number of rows, 0 or more"))
        })
    };
    let limit = number("limit", DEFAULT_LIMIT.min(max_limit))?;
    if limit == 0 || limit > max_limit {
        return Err(bad("limit", format!("must be between 1 and {max_limit}")));
    }
    Ok(Bound {
        bindings,
        limit,
        offset: number("offset", 0)?,
    })
}

/// `YYYY-MM-DD` as an `xsd:date`, if it is a real day.
pub fn date(text: &str) -> Option<Literal> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
    };
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    (1..=days_in_month(year as i32, month)?)
        .contains(&day)
        .then(|| Literal::new_typed_literal(text, xsd::DATE))
}

/// Days in a month of the proleptic Gregorian calendar (`None` for no such month).
pub(crate) fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    Some(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    })
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (year, month, day) = civil_from_days((seconds / 86_400) as i64);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The labels an entity can be found by.
const LABELS: &str = "SELECT DISTINCT ?entity ?label WHERE { BIND(esam:param(\"class\") AS ?class) \
    ?entity a ?class ; skos:prefLabel|skos:altLabel|foaf:name|schema:name|rdfs:label ?label }";

/// An IRI (which must be of one of `classes`, when given) or a name resolved to one.
fn resolve(store: &Store, classes: &[NamedNode], value: &str) -> Result<NamedNode, String> {
    let wanted = if classes.is_empty() {
        "an entity".to_string()
    } else {
        classes.iter().map(ToString::to_string).collect::<Vec<_>>().join(" or ")
    };
    if value.starts_with("http://") || value.starts_with("https://") || value.starts_with("urn:") {
        let iri = NamedNode::new(value).map_err(|e| format!("{value:?} is not a valid IRI: {e}"))?;
        return if is_labelled(store, classes, &iri).map_err(|e| e.to_string())? {
            Ok(iri)
        } else {
            Err(format!("{iri} is not {wanted} in this dataset"))
        };
    }
    let candidates = labelled(store, classes).map_err(|e| e.to_string())?;
    let needle = fold(value);
    // Swedish endings a name may carry in running text: the genitive ("Skatteverkets",
    // "SKR:s") and the definite form ("styrgruppen", "kansliet").
    let stems: Vec<&str> = [":s", "s", "en", "et", "n"]
        .iter()
        .filter_map(|ending| needle.strip_suffix(ending))
        .filter(|stem| stem.chars().count() >= 2)
        .collect();
    let score = |label: &str| {
        let label = fold(label);
        if label == needle {
            3
        } else if stems.iter().any(|s| label == *s) {
            2
        } else if [needle.as_str()]
            .iter()
            .chain(&stems)
            .any(|n| n.chars().count() >= 3 && label.contains(n))
        {
            1
        } else {
            0
        }
    };
    let best = candidates.iter().map(|(_, l)| score(l)).max().unwrap_or(0);
    if best == 0 {
        return Err(format!("nothing named {value:?} is {wanted} in this dataset"));
    }
    let mut matches: Vec<&NamedNode> = candidates
        .iter()
        .filter(|(_, l)| score(l) == best)
        .map(|(e, _)| e)
        .collect();
    matches.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    matches.dedup();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        many => Err(format!(
            "{value:?} is ambiguous: it could be {}; give the IRI",
            many.iter()
                .take(5)
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Whether `entity` is one of [`labelled`]'s entities: asked of it alone (an IRI given, as a
/// link from a resource page gives it, need not gather every label of the class: measured on
/// the bundled data, the organisation view took 45 ms a request that way, 27 of them for the
/// labels of every organisation).
const IS_LABELLED: &str = "ASK { BIND(esam:param(\"entity\") AS ?entity) BIND(esam:param(\"class\") AS ?class) \
    ?entity a ?class ; skos:prefLabel|skos:altLabel|foaf:name|schema:name|rdfs:label ?label }";

fn is_labelled(store: &Store, classes: &[NamedNode], entity: &NamedNode) -> Result<bool, sparql::SparqlError> {
    let ask = |class: Option<&NamedNode>| -> Result<bool, sparql::SparqlError> {
        let mut params = vec![("entity".to_string(), entity.clone().into())];
        params.extend(class.map(|c| ("class".to_string(), c.clone().into())));
        let query = sparql::prepare_with_params(IS_LABELLED, &Dataset::default(), params)?;
        Ok(matches!(sparql::execute(store, query)?, QueryResults::Boolean(true)))
    };
    if classes.is_empty() {
        return ask(None);
    }
    for class in classes {
        if ask(Some(class))? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Every (entity, label) of the classes (of any class when none are given).
pub(crate) fn labelled(store: &Store, classes: &[NamedNode]) -> Result<Vec<(NamedNode, String)>, sparql::SparqlError> {
    let mut found = Vec::new();
    let mut collect = |class: Option<&NamedNode>| -> Result<(), sparql::SparqlError> {
        let params = class
            .map(|c| ("class".to_string(), c.clone().into()))
            .into_iter()
            .collect();
        let query = sparql::prepare_with_params(LABELS, &Dataset::default(), params)?;
        if let QueryResults::Solutions(solutions) = sparql::execute(store, query)? {
            for solution in solutions {
                let solution = solution?;
                if let (Some(Term::NamedNode(entity)), Some(Term::Literal(label))) =
                    (solution.get("entity"), solution.get("label"))
                {
                    found.push((entity.clone(), label.value().to_string()));
                }
            }
        }
        Ok(())
    };
    if classes.is_empty() {
        collect(None)?;
    }
    for class in classes {
        collect(Some(class))?;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_real_days() {
        assert!(date("2024-02-29").is_some());
        assert!(date("2023-02-29").is_none());
        assert!(date("2023-13-01").is_none());
        assert!(date("2023-1-01").is_none());
        assert!(date("2023-01-01\"").is_none());
        assert!(date("२०२३-01-01").is_none());
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(today().len(), 10);
    }
}
