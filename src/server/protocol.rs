//! What the handlers read from a request: form-encoded pairs and their parameters, header
//! text, and content negotiation by `Accept` (q-values, wildcards).

use axum::http::{HeaderMap, StatusCode, header};

use super::ApiError;
use crate::sparql::ResultFormat;

/// Decodes `application/x-www-form-urlencoded` text (query strings and form bodies).
pub(super) fn pairs(text: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(text.as_bytes()).into_owned().collect()
}

/// The first value of a parameter.
pub(super) fn param(pairs: &[(String, String)], key: &str) -> Option<String> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// A request header as text, if present and readable.
pub(super) fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The one value of a protocol parameter that must appear at most once (`query`, `update`).
pub(super) fn single(pairs: &[(String, String)], key: &str) -> Result<Option<String>, ApiError> {
    let mut values = pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone());
    let first = values.next();
    if values.next().is_some() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the request has more than one {key:?} parameter; send one {key} per request"),
        ));
    }
    Ok(first)
}

/// The media type of the request body, lower case, without parameters.
pub(super) fn media_type(headers: &HeaderMap) -> String {
    header_text(headers, header::CONTENT_TYPE)
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The operation a POST carries (SPARQL 1.1 Protocol, query §2.1.2–3, update §2.2.1–2): the
/// body itself when it has the media type `direct` (`application/sparql-query` or
/// `-update`), or the form field `field`; with the URL's and the form's parameters together.
pub(super) fn posted_operation(
    headers: &HeaderMap,
    uri: &axum::http::Uri,
    body: &[u8],
    direct: &str,
    field: &str,
) -> Result<(String, Vec<(String, String)>), ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "the request body is not UTF-8"))?;
    let mut url_pairs = pairs(uri.query().unwrap_or(""));
    let operation = match media_type(headers).as_str() {
        media if media == direct => text.to_string(),
        "application/x-www-form-urlencoded" => {
            url_pairs.extend(pairs(text));
            single(&url_pairs, field)?
                .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, format!("the form has no '{field}' field")))?
        }
        other => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("unsupported request body type {other:?}: use {direct} or application/x-www-form-urlencoded"),
            ));
        }
    };
    Ok((operation, url_pairs))
}

/// Picks the format for an `Accept` header, honouring q-values.
pub fn negotiate(accept: &str, is_graph: bool) -> Option<ResultFormat> {
    let offers: &[(&str, &str)] = if is_graph {
        &[
            ("text/turtle", "ttl"),
            ("application/n-triples", "nt"),
            ("application/ld+json", "jsonld"),
            ("application/rdf+xml", "rdfxml"),
            ("application/n-quads", "nq"),
            ("application/trig", "trig"),
        ]
    } else {
        &[
            ("application/sparql-results+json", "json"),
            ("application/json", "json"),
            ("application/sparql-results+xml", "xml"),
            ("application/xml", "xml"),
            ("text/csv", "csv"),
            ("text/tab-separated-values", "tsv"),
        ]
    };
    pick(accept, offers).and_then(ResultFormat::from_name)
}

/// The first offer (media type, value) that the `Accept` header ranks highest:
/// q-values first, then the header's order; `*/*` and `type/*` match in the offers' order.
pub fn pick<T: Copy>(accept: &str, offers: &[(&str, T)]) -> Option<T> {
    let mut ranges: Vec<(f32, usize, String)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(position, part)| {
            let mut pieces = part.split(';');
            let range = pieces.next()?.trim().to_ascii_lowercase();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (!range.is_empty() && q > 0.0).then_some((q, position, range))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.into_iter().find_map(|(_, _, range)| {
        offers
            .iter()
            .find(|(media, _)| {
                range == "*/*"
                    || range == *media
                    || range
                        .strip_suffix("/*")
                        .is_some_and(|major| media.starts_with(&format!("{major}/")))
            })
            .map(|(_, value)| *value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::sparql::results::QueryResultsFormat;

    #[test]
    fn negotiation_honours_q_values_and_wildcards() {
        assert_eq!(
            negotiate("*/*", false),
            Some(ResultFormat::Solutions(QueryResultsFormat::Json))
        );
        assert_eq!(
            negotiate("text/csv;q=0.5, application/sparql-results+xml", false),
            Some(ResultFormat::Solutions(QueryResultsFormat::Xml))
        );
        assert_eq!(
            negotiate("text/csv;q=0.9, application/sparql-results+xml;q=0.1", false),
            Some(ResultFormat::Solutions(QueryResultsFormat::Csv))
        );
        assert_eq!(negotiate("image/png", false), None);
        assert_eq!(negotiate("text/*", true), ResultFormat::from_name("ttl"));
    }
}
