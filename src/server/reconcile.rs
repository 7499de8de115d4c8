//! `GET`/`POST /reconcile`: the W3C Reconciliation Service API (v0.2, as OpenRefine
//! uses it). Without `queries` it answers the service manifest; with `queries` (a JSON
//! object of named queries, in the query string or a form body) it answers ranked
//! candidates per query. `callback` wraps the answer for JSONP.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::{ApiError, AppState, header_text, pairs, param};
use crate::reconcile::{self, TYPES};

/// Most candidates per query.
const MAX_LIMIT: usize = 25;

/// Most queries in one batch (OpenRefine sends 10 at a time): one request with 5,000 kept a
/// core busy for five minutes.
pub const MAX_BATCH: usize = 100;

/// Longest name to reconcile, in characters (names are compared by edit distance).
pub const MAX_QUERY_CHARS: usize = 500;

fn manifest(state: &AppState) -> Value {
    json!({
        "versions": ["0.1", "0.2"],
        "name": "esam-kg: organisationer och personer i eSams nyhetsbrev",
        "identifierSpace": state.ids.base(),
        "schemaSpace": "http://www.w3.org/ns/org#",
        "defaultTypes": TYPES.iter().map(|(id, name)| json!({"id": id, "name": name})).collect::<Vec<_>>(),
        "view": {"url": "{{id}}"},
    })
}

fn answer(value: &Value, callback: Option<String>) -> Response {
    match callback.filter(|c| c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '.')) {
        Some(callback) => (
            [(header::CONTENT_TYPE, "application/javascript; charset=utf-8")],
            format!("{callback}({value});"),
        )
            .into_response(),
        None => axum::Json(value.clone()).into_response(),
    }
}

/// Runs the named queries of a `queries` object, all within the query time limit.
fn run_queries(state: &AppState, queries: &Map<String, Value>) -> Result<Value, ApiError> {
    let started = std::time::Instant::now();
    let mut results = Map::new();
    for (key, query) in queries {
        if started.elapsed() > state.policy.time_limit {
            return Err(ApiError::from(crate::sparql::SparqlError::TimedOut(
                state.policy.time_limit,
            )));
        }
        let text = query
            .get("query")
            .and_then(Value::as_str)
            .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, format!("query {key:?} has no \"query\" text")))?;
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("query {key:?} is longer than {MAX_QUERY_CHARS} characters; reconcile a name, not a text"),
            ));
        }
        let types: Vec<&str> = match query.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if let Some(unknown) = types.iter().find(|t| !TYPES.iter().any(|(id, _)| id == *t)) {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                format!(
                    "query {key:?}: unknown type {unknown:?}; this service reconciles {}",
                    TYPES.map(|(id, _)| id).join(" and ")
                ),
            ));
        }
        let limit = query
            .get("limit")
            .and_then(Value::as_u64)
            .map_or(3, |l| l as usize)
            .clamp(1, MAX_LIMIT);
        let ranked = reconcile::candidates(&state.store, text, &types, limit)?;
        let matched = reconcile::is_match(&ranked);
        let result: Vec<Value> = ranked
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let name = TYPES.iter().find(|(id, _)| *id == c.kind).map_or("", |(_, n)| n);
                json!({
                    "id": c.id.as_str(),
                    "name": c.name,
                    "score": c.score,
                    "match": i == 0 && matched,
                    "type": [{"id": c.kind, "name": name}],
                })
            })
            .collect();
        results.insert(key.clone(), json!({ "result": result }));
    }
    Ok(Value::Object(results))
}

/// `GET /reconcile` and `POST /reconcile` (form body).
pub(super) async fn reconcile(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut all = pairs(uri.query().unwrap_or(""));
    let form =
        header_text(&headers, header::CONTENT_TYPE).is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if form {
        let text = std::str::from_utf8(&body)
            .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "the request body is not UTF-8"))?;
        all.extend(pairs(text));
    }
    let callback = param(&all, "callback");
    let Some(queries) = param(&all, "queries") else {
        return Ok(answer(&manifest(&state), callback));
    };
    let queries: Map<String, Value> = serde_json::from_str(&queries).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("\"queries\" is not a JSON object of queries: {e}"),
        )
    })?;
    if queries.len() > MAX_BATCH {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "{} queries in one request; send at most {MAX_BATCH} at a time",
                queries.len()
            ),
        ));
    }
    let task_state = state.clone();
    let results = super::evaluate::bounded(&state, move || run_queries(&task_state, &queries)).await?;
    Ok(answer(&results, callback))
}
