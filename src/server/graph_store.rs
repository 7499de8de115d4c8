//! The Graph Store Protocol's read side: `GET /store?graph=IRI` or `GET /store?default`, in
//! the RDF triple format the client accepts. The write side is [`super::write`].

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{ApiError, AppState, evaluate, header_text, internal, negotiate, pairs};
use crate::sparql::ResultFormat;

/// Graph Store Protocol, read side: `GET /store?graph=IRI` (one document's graph, the
/// reference data, the ontology) or `GET /store?default` (all graphs merged, as the
/// SPARQL default graph), in the RDF format the client accepts.
pub(super) async fn store_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Result<Response, ApiError> {
    let params = pairs(uri.query().unwrap_or(""));
    let graph = match (
        params.iter().find(|(k, _)| k == "graph"),
        params.iter().any(|(k, _)| k == "default"),
    ) {
        (Some((_, iri)), false) => Some(
            oxigraph::model::NamedNode::new(iri)
                .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("invalid graph IRI {iri:?}: {e}")))?,
        ),
        (None, true) => None,
        _ => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "give exactly one of ?graph=IRI or ?default",
            ));
        }
    };
    let accept = header_text(&headers, header::ACCEPT)
        .unwrap_or("text/turtle")
        .to_string();
    let format = match negotiate(&accept, true) {
        Some(ResultFormat::Graph(format)) if !format.supports_datasets() => format,
        _ => {
            return Err(ApiError::new(
                StatusCode::NOT_ACCEPTABLE,
                format!("no RDF triple format matches Accept: {accept}"),
            ));
        }
    };
    let body = evaluate::blocking(move || {
        if let Some(graph) = &graph
            && !state.store.contains_graph(graph).map_err(internal)?
        {
            return Err(ApiError::new(StatusCode::NOT_FOUND, format!("no graph {graph}")));
        }
        let mut body = Vec::new();
        state
            .store
            .write_triples(graph.as_ref(), format, &mut body)
            .map_err(internal)?;
        Ok(body)
    })
    .await??;
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(format.media_type()));
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}
