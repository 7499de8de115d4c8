//! The SPARQL 1.1 Protocol's query operation (`GET` and `POST /sparql`): the query and its
//! dataset from the request, the answer negotiated, tagged and streamed; the service
//! description (or the query UI, for a browser) when no query is given.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{
    ApiError, AppState, CACHE_CONTROL, ROWS_CAPPED_HEADER, ROWS_CAPPED_JSON_MEMBER, entity_tag, evaluate, header_text,
    internal, negotiate, not_modified, ops, page_lang, pairs, param, posted_operation, single, ui,
};
use crate::sparql::{self, Dataset, ResultFormat, SparqlError};

/// The dataset a protocol request names, with relative IRIs resolved against the server's base.
pub(super) fn request_dataset(state: &AppState, pairs: &[(String, String)]) -> Result<Dataset, ApiError> {
    Ok(Dataset {
        base: Some(state.ids.base().to_string()),
        ..dataset_from_pairs(pairs)?
    })
}

fn dataset_from_pairs(pairs: &[(String, String)]) -> Result<Dataset, ApiError> {
    let iri = |value: &str| {
        oxigraph::model::NamedNode::new(value)
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("invalid graph IRI {value:?}: {e}")))
    };
    let mut dataset = Dataset::default();
    for (key, value) in pairs {
        match key.as_str() {
            "default-graph-uri" => dataset.default_graphs.push(iri(value)?),
            "named-graph-uri" => dataset.named_graphs.push(iri(value)?),
            _ => {}
        }
    }
    Ok(dataset)
}

/// The client's address, when the request came over a connection (not in process).
type Client = Option<axum::Extension<evaluate::ClientAddr>>;

pub(super) async fn sparql_get(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Result<Response, ApiError> {
    let pairs = pairs(uri.query().unwrap_or(""));
    let Some(query) = single(&pairs, "query")? else {
        return Ok(service_description(&state, &headers));
    };
    let dataset = request_dataset(&state, &pairs)?;
    answer(state, client, headers, query, param(&pairs, "format"), dataset).await
}

pub(super) async fn sparql_post(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (query, url_pairs) = posted_operation(&headers, &uri, &body, "application/sparql-query", "query")?;
    let format = param(&url_pairs, "format");
    let dataset = request_dataset(&state, &url_pairs)?;
    answer(state, client, headers, query, format, dataset).await
}

async fn answer(
    state: AppState,
    client: Client,
    headers: HeaderMap,
    query: String,
    format: Option<String>,
    dataset: Dataset,
) -> Result<Response, ApiError> {
    let explicit = match format.as_deref() {
        Some(name) => Some(
            ResultFormat::from_name(name)
                .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, format!("unknown format {name:?}")))?,
        ),
        None => None,
    };
    let etag = entity_tag(&state.version(), &query, &format, &dataset, &headers);
    if let Some(response) = not_modified(&headers, &etag) {
        return Ok(response);
    }
    let accept = header_text(&headers, header::ACCEPT).unwrap_or("*/*").to_string();
    let policy = state.policy;
    let store = state.store.clone();
    let hash = ops::query_hash(&query);
    let keep = Some((Arc::clone(&state.cache), etag.clone()));
    let client = client.map(|axum::Extension(client)| client);
    let mut response = evaluate::stream(&state, client, keep, move |writer| {
        let prepared = sparql::prepare(&query, &dataset)?;
        let media_type = writer.media_type();
        let choose = |results: &oxigraph::sparql::QueryResults<'_>| {
            let is_graph = matches!(results, oxigraph::sparql::QueryResults::Graph(_));
            let format = match explicit {
                Some(format) => format,
                None => negotiate(&accept, is_graph).ok_or(SparqlError::NotAcceptable(accept.clone()))?,
            };
            let _ = media_type.set(format.media_type());
            Ok(format)
        };
        let (written, format) = sparql::run_with_policy(&store, prepared, choose, policy, &mut *writer)?;
        let mut extra = Vec::new();
        if written.capped
            && let Some(cap) = policy.max_rows
        {
            extra.push((ROWS_CAPPED_HEADER, cap.to_string()));
            if format == ResultFormat::Solutions(oxigraph::sparql::results::QueryResultsFormat::Json) {
                writer.append_json_member(&format!("\"{ROWS_CAPPED_JSON_MEMBER}\":{cap}"));
            }
        }
        Ok(extra)
    })
    .await?;
    response.extensions_mut().insert(ops::QueryHash(hash));
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    headers.insert(header::ETAG, HeaderValue::from_str(&etag).map_err(internal)?);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    Ok(response)
}

fn service_description(state: &AppState, headers: &HeaderMap) -> Response {
    let wants_html = header_text(headers, header::ACCEPT).is_some_and(|a| a.contains("text/html"));
    if wants_html {
        return ui::page(state, page_lang(headers)).into_response();
    }
    let description = "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n\
        [] a sd:Service ;\n  sd:endpoint <> ;\n  sd:supportedLanguage sd:SPARQL11Query ;\n  sd:feature sd:UnionDefaultGraph ;\n\
        sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>, <http://www.w3.org/ns/formats/SPARQL_Results_XML>, \
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV>, <http://www.w3.org/ns/formats/SPARQL_Results_TSV>, \
        <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>, <http://www.w3.org/ns/formats/JSON-LD>, \
        <http://www.w3.org/ns/formats/RDF_XML> .\n";
    ([(header::CONTENT_TYPE, "text/turtle")], description).into_response()
}
