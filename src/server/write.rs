//! Writes, all behind the operator's token (`Authorization: Bearer …`, compared in
//! constant time) and off when no token is set: SPARQL 1.1 Update at `POST /update`,
//! the Graph Store Protocol's `PUT`/`POST`/`DELETE /store`, and `POST /import` of a
//! newsletter (extracted and stored like `esam-kg import`, replacing its graph in one
//! transaction). Every write bumps the data version, so ETags change with the data.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, Triple};
use serde_json::json;

use super::{ApiError, AppState, header_text, internal, media_type, pairs, param, posted_operation};
use crate::sparql;

/// Equal without telling a timing observer how much of a guess was right.
fn constant_time_eq(given: &[u8], expected: &[u8]) -> bool {
    // The length is not secret enough to hide; the content is compared in full either way.
    let mut difference = given.len() ^ expected.len();
    for (i, byte) in expected.iter().enumerate() {
        difference |= usize::from(byte ^ given.get(i).copied().unwrap_or(0));
    }
    difference == 0
}

/// 403 when writes are off or the token is wrong, 401 when none is given.
fn authorise(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = &state.update_token else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "writes are disabled on this server (it was started without --update-token)",
        ));
    };
    let Some(given) = header_text(headers, header::AUTHORIZATION) else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "this write needs the header Authorization: Bearer <token>",
        ));
    };
    let token = given
        .strip_prefix("Bearer ")
        .or_else(|| given.strip_prefix("bearer "))
        .unwrap_or("");
    if constant_time_eq(token.trim().as_bytes(), expected.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "the bearer token is not the update token",
        ))
    }
}

/// The token checked from the headers alone, before a write's body is read: a refused request
/// costs no memory however large its body (reads of `/store` need none).
pub(super) async fn token_first(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let method = request.method();
    if method == axum::http::Method::GET || method == axum::http::Method::HEAD {
        return next.run(request).await;
    }
    match authorise(&state, request.headers()) {
        Ok(()) => next.run(request).await,
        Err(refused) => challenge(refused),
    }
}

/// A 401 carries the scheme the client should use.
fn challenge(error: ApiError) -> Response {
    let unauthorised = error.status == StatusCode::UNAUTHORIZED;
    let mut response = error.into_response();
    if unauthorised {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"esam-kg\""),
        );
    }
    response
}

/// Runs a write on the blocking pool; on success the data version moves on.
async fn write<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let task_state = state.clone();
    let result = super::evaluate::blocking(move || {
        // One write at a time: each keeps the merge from what the store held before it.
        let _writing = task_state
            .writing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        work(&task_state)
    })
    .await??;
    state.writes.fetch_add(1, Ordering::SeqCst);
    // Kept answers are of the old data now: none of them can be asked for again.
    state.cache.clear();
    Ok(result)
}

/// `POST /update`: `application/sparql-update` body, or a form with `update=`
/// (and `using-graph-uri`/`using-named-graph-uri`).
pub(super) async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: Bytes,
) -> Response {
    match run_update(state, headers, uri, body).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => challenge(error),
    }
}

async fn run_update(state: AppState, headers: HeaderMap, uri: axum::http::Uri, body: Bytes) -> Result<(), ApiError> {
    authorise(&state, &headers)?;
    let (update, url_pairs) = posted_operation(&headers, &uri, &body, "application/sparql-update", "update")?;
    let rename = |key: &str| match key {
        "using-graph-uri" => "default-graph-uri".to_string(),
        "using-named-graph-uri" => "named-graph-uri".to_string(),
        other => other.to_string(),
    };
    let using: Vec<(String, String)> = url_pairs
        .iter()
        .filter(|(k, _)| k.starts_with("using-"))
        .map(|(k, v)| (rename(k), v.clone()))
        .collect();
    let using = super::endpoint::request_dataset(&state, &using)?;
    write(&state, move |state| {
        Ok(sparql::update(
            &state.store,
            &update,
            &using,
            &state.ids.default_writes_graph(),
        )?)
    })
    .await
}

/// The graph a Graph Store request names: `?graph=IRI` or `?default` (`None`).
fn target_graph(uri: &axum::http::Uri) -> Result<Option<NamedNode>, ApiError> {
    let params = pairs(uri.query().unwrap_or(""));
    match (
        params.iter().find(|(k, _)| k == "graph"),
        params.iter().any(|(k, _)| k == "default"),
    ) {
        (Some((_, iri)), false) => NamedNode::new(iri)
            .map(Some)
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("invalid graph IRI {iri:?}: {e}"))),
        (None, true) => Ok(None),
        _ => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "give exactly one of ?graph=IRI or ?default",
        )),
    }
}

/// The triples of an RDF body in the format its `Content-Type` names, all parsed before
/// anything is written: a body that does not parse is a 400 and changes nothing.
fn parse_triples(headers: &HeaderMap, body: &[u8], base: Option<&NamedNode>) -> Result<Vec<Triple>, ApiError> {
    let media_type = media_type(headers);
    // JSON-LD may name graphs (refused below); the other dataset formats always may.
    let format = RdfFormat::from_media_type(&media_type)
        .filter(|f| !f.supports_datasets() || matches!(f, RdfFormat::JsonLd { .. }))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("unsupported RDF body type {media_type:?}: use Turtle, N-Triples, RDF/XML or JSON-LD"),
            )
        })?;
    let mut parser = RdfParser::from_format(format);
    if let Some(base) = base {
        parser = parser
            .with_base_iri(base.as_str())
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
    }
    let does_not_parse = |e: &dyn std::fmt::Display| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the {} body does not parse: {e}; nothing was changed", format.name()),
        )
    };
    let mut triples = Vec::new();
    for quad in parser.for_slice(body) {
        let quad = quad.map_err(|e| does_not_parse(&e))?;
        if !quad.graph_name.is_default_graph() {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                format!(
                    "the {} body names the graph {}: a Graph Store write takes the triples of one graph, named by ?graph=",
                    format.name(),
                    quad.graph_name
                ),
            ));
        }
        triples.push(Triple::from(quad));
    }
    Ok(triples)
}

async fn store_write(
    state: AppState,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: Bytes,
    replace: bool,
) -> Result<StatusCode, ApiError> {
    authorise(&state, &headers)?;
    let graph = target_graph(&uri)?;
    let triples = parse_triples(&headers, &body, graph.as_ref())?;
    crate::store::blank_nodes::check(triples.iter().map(Triple::as_ref)).map_err(|nesting| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the body is refused: {nesting}; nothing was changed"),
        )
    })?;
    write(&state, move |state| {
        let existed = match &graph {
            Some(graph) => state.store.contains_graph(graph).map_err(internal)?,
            None => true,
        };
        // The default graph is the merge: what is written to it is kept in a named graph of its own.
        let graph = graph.unwrap_or_else(|| state.ids.default_writes_graph());
        if replace {
            let quads: Vec<_> = triples.into_iter().map(|t| t.in_graph(graph.clone())).collect();
            state.store.replace_graph(&graph, &quads)
        } else {
            state.store.add_to_graph(&graph, &triples)
        }
        .map_err(internal)?;
        Ok(if existed {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::CREATED
        })
    })
    .await
}

/// `PUT /store?graph=IRI` (or `?default`): replaces the graph with the body, atomically.
pub(super) async fn store_put(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: Bytes,
) -> Response {
    store_write(state, headers, uri, body, true)
        .await
        .map_or_else(challenge, IntoResponse::into_response)
}

/// `POST /store?graph=IRI` (or `?default`): adds the body's triples to the graph.
pub(super) async fn store_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: Bytes,
) -> Response {
    store_write(state, headers, uri, body, false)
        .await
        .map_or_else(challenge, IntoResponse::into_response)
}

/// `DELETE /store?graph=IRI` (or `?default`): removes the graph; 404 when there is none.
pub(super) async fn store_delete(State(state): State<AppState>, headers: HeaderMap, uri: axum::http::Uri) -> Response {
    let result = async {
        authorise(&state, &headers)?;
        let graph = target_graph(&uri)?;
        let existed = write(&state, move |state| {
            let graph = graph.unwrap_or_else(|| state.ids.default_writes_graph());
            state.store.drop_graph(&graph).map_err(internal)
        })
        .await?;
        if existed {
            Ok(StatusCode::NO_CONTENT)
        } else {
            Err(ApiError::new(StatusCode::NOT_FOUND, "there is no such graph"))
        }
    }
    .await;
    result.map_or_else(challenge, IntoResponse::into_response)
}

/// `POST /import?name=FILE` with the newsletter as the body (text, Markdown or HTML, any
/// supported encoding): extracted and stored like `esam-kg import FILE`; answers what was found.
pub(super) async fn import(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: Bytes,
) -> Response {
    let result = async {
        authorise(&state, &headers)?;
        let name = param(&pairs(uri.query().unwrap_or("")), "name")
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "give the file name: /import?name=esam-nyhetsbrev-2024-01.txt",
                )
            })?;
        // Only the final component: the name says which document this is, never where to read.
        let name = name.rsplit(['/', '\\']).next().unwrap_or(&name).to_string();
        let importer = state
            .importer
            .clone()
            .ok_or_else(|| ApiError::new(StatusCode::FORBIDDEN, "this server does not import"))?;
        let refused = |e: crate::import::ImportError| {
            let status = match e {
                crate::import::ImportError::Duplicate { .. } => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            ApiError::new(status, e.to_string())
        };
        // Extraction needs no lock: readers wait only while the prepared graph is stored.
        let preparing = Arc::clone(&importer);
        let prepared = super::evaluate::blocking(move || preparing.prepare_bytes(&name, &body))
            .await?
            .map_err(refused)?;
        let report = write(&state, move |state| {
            importer.store_prepared(&state.store, prepared).map_err(refused)
        })
        .await?;
        let counts = json!({
            "document": state.ids.document(&report.id).as_str(),
            "id": report.id,
            "source": report.source,
            "encoding": report.encoding.name(),
            "triples": report.triples,
            "organisations": report.extraction.organisations.len(),
            "people": report.extraction.people.len(),
            "groups": report.extraction.groups.len(),
            "events": report.extraction.events.len(),
            "decisions": report.extraction.decisions.len(),
        });
        Ok::<_, ApiError>(axum::Json(counts))
    }
    .await;
    result.map_or_else(challenge, IntoResponse::into_response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_in_full() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secreT", b"secret"));
        assert!(!constant_time_eq(b"secret-and-more", b"secret"));
        assert!(!constant_time_eq(b"", b"secret"));
        assert!(!constant_time_eq(b"sec", b"secret"));
    }

    fn rdf_xml(body: &str) -> Result<Vec<Triple>, ApiError> {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/rdf+xml"));
        parse_triples(&headers, body.as_bytes(), None)
    }

    /// The vendored oxrdfxml's patch (vendor/oxrdfxml/VENDORED.md), through the parser the
    /// server uses: a document cut anywhere before its root element closes, or without one,
    /// is an error — released oxrdfxml 0.2.5 read the triples so far as a complete graph.
    #[test]
    fn rdf_xml_cut_short_is_refused_wherever_it_is_cut() {
        let whole = "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns:ex='http://example.com/'><rdf:Description rdf:about='http://example.com/s'><ex:p>o</ex:p><ex:q rdf:parseType='Literal'><b>x</b></ex:q></rdf:Description><ex:T rdf:about='http://example.com/t'/></rdf:RDF>";
        assert_eq!(rdf_xml(whole).map(|t| t.len()).ok(), Some(3));
        let root_ends = whole.rfind("</rdf:RDF>").unwrap_or_default();
        for cut in 0..root_ends {
            let error = rdf_xml(&whole[..cut]).err().map(|e| e.message);
            assert!(error.is_some(), "cut at {cut} parsed: {:?}", &whole[..cut]);
        }
        let unclosed = rdf_xml("<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>").err();
        assert!(unclosed.is_some_and(|e| e.message.contains("not closed")));
        for empty in ["", "  \n", "<?xml version='1.0'?>", "<!-- nothing -->"] {
            let error = rdf_xml(empty).err();
            assert!(
                error.is_some_and(|e| e.message.contains("no root element")),
                "{empty:?}"
            );
        }
        // Complete documents: a node element as the root, an empty rdf:RDF.
        let node_root = "<ex:T xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns:ex='http://example.com/' rdf:about='http://example.com/t'/>";
        assert_eq!(rdf_xml(node_root).map(|t| t.len()).ok(), Some(1));
        let empty_rdf = "<?xml version='1.0'?>\n<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/>\n";
        assert_eq!(rdf_xml(empty_rdf).map(|t| t.len()).ok(), Some(0));
    }
}
