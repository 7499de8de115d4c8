//! Entity tags: every response names the data version it shows (the store's version at start
//! and the writes since), so `If-None-Match` gets `304` until the data changes.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{ApiError, CACHE_CONTROL, header_text, internal, ops};
use crate::sparql::Dataset;

/// A strong entity tag for a response that depends only on the data and `request`.
pub(super) fn entity_tag_of(data_version: &str, request: &impl std::hash::Hash) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (data_version, request).hash(&mut hasher);
    ops::quoted_hex16(hasher.finish())
}

/// `304 Not Modified` when the client already holds `etag`.
pub(super) fn not_modified(headers: &HeaderMap, etag: &str) -> Option<Response> {
    let if_none_match = header_text(headers, header::IF_NONE_MATCH)?;
    if !if_none_match
        .split(',')
        .any(|tag| tag.trim() == etag || tag.trim() == "*")
    {
        return None;
    }
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    response
        .headers_mut()
        .insert(header::ETAG, HeaderValue::from_str(etag).ok()?);
    Some(response)
}

/// `ETag` and `Cache-Control` on a response whose content changes only at import.
pub(super) fn cache_headers(response: &mut Response, etag: &str) -> Result<(), ApiError> {
    let headers = response.headers_mut();
    headers.insert(header::ETAG, HeaderValue::from_str(etag).map_err(internal)?);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    Ok(())
}

/// The entity tag of a query response: the same data, query, dataset and format give the same bytes.
pub(super) fn entity_tag(
    data_version: &str,
    query: &str,
    format: &Option<String>,
    dataset: &Dataset,
    headers: &HeaderMap,
) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (data_version, query, format).hash(&mut hasher);
    // The two lists hash apart: default-graph-uri=A and named-graph-uri=A are different requests.
    let iris =
        |graphs: &[oxigraph::model::NamedNode]| graphs.iter().map(|g| g.as_str().to_string()).collect::<Vec<_>>();
    (iris(&dataset.default_graphs), iris(&dataset.named_graphs)).hash(&mut hasher);
    headers.get(header::ACCEPT).map(|v| v.as_bytes()).hash(&mut hasher);
    ops::quoted_hex16(hasher.finish())
}
