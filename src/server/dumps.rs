//! `GET /dump.nq`, `/dump.nq.gz`, `/dump.ttl` and `/dump.sha256`: the canonical
//! dumps (see [`crate::dump`]), computed once per data version. Each dump's
//! strong ETag is its SHA-256; `/dump.sha256` lists them as `sha256sum` does.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::{ApiError, AppState, internal};
use crate::dump;

/// The dumps of one data version, with their digests.
#[derive(Debug)]
pub struct Dumps {
    version: String,
    files: Vec<(&'static str, &'static str, Vec<u8>, String)>,
}

impl Dumps {
    /// (file name, SHA-256 hex) of each dump.
    pub fn digests(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.files.iter().map(|(name, _, _, digest)| (*name, digest.as_str()))
    }

    /// The bytes the dumps hold.
    pub fn bytes(&self) -> usize {
        self.files.iter().map(|(_, _, bytes, _)| bytes.len()).sum()
    }
}

/// The dumps of the current data, computing them if the data changed.
pub(super) async fn current(state: &AppState) -> Result<Arc<Dumps>, ApiError> {
    let version = state.version();
    let kept = || {
        state
            .dumps
            .lock()
            .ok()
            .and_then(|cache| cache.as_ref().filter(|d| d.version == version).map(Arc::clone))
    };
    if let Some(dumps) = kept() {
        return Ok(dumps);
    }
    // One computation at a time: requests for a new version wait for the one under way
    // instead of each canonicalising the whole store (in memory) beside it.
    let _computing = state.dumping.lock().await;
    if let Some(dumps) = kept() {
        return Ok(dumps);
    }
    let store = state.store.clone();
    let task_version = version.clone();
    let dumps = super::evaluate::bounded(state, move || {
        let canonical = dump::canonical(&store).map_err(internal)?;
        let gzipped = dump::gzip(&canonical.nquads).map_err(internal)?;
        let mut files = Vec::new();
        for (name, media_type, bytes) in [
            ("dump.nq", "application/n-quads", canonical.nquads),
            ("dump.nq.gz", "application/gzip", gzipped),
            ("dump.ttl", "text/turtle", canonical.turtle),
        ] {
            let digest = dump::sha256_hex(&bytes);
            files.push((name, media_type, bytes, digest));
        }
        Ok(Arc::new(Dumps {
            version: task_version,
            files,
        }))
    })
    .await?;
    if let Ok(mut cache) = state.dumps.lock() {
        *cache = Some(Arc::clone(&dumps));
    }
    Ok(dumps)
}

async fn file(state: AppState, headers: HeaderMap, name: &str) -> Result<Response, ApiError> {
    let dumps = current(&state).await?;
    let (_, media_type, bytes, digest) = dumps
        .files
        .iter()
        .find(|(n, ..)| *n == name)
        .ok_or_else(|| internal("no such dump"))?;
    let etag = format!("\"sha256-{digest}\"");
    if let Some(response) = super::not_modified(&headers, &etag) {
        return Ok(response);
    }
    let mut response = bytes.clone().into_response();
    let response_headers = response.headers_mut();
    response_headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    response_headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"esam-kg-{name}\"")).map_err(internal)?,
    );
    super::cache_headers(&mut response, &etag)?;
    Ok(response)
}

/// `GET /dump.nq`.
pub(super) async fn nquads(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    file(state, headers, "dump.nq").await
}

/// `GET /dump.nq.gz`.
pub(super) async fn nquads_gz(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    file(state, headers, "dump.nq.gz").await
}

/// `GET /dump.ttl`.
pub(super) async fn turtle(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    file(state, headers, "dump.ttl").await
}

/// `GET /dump.sha256`: `DIGEST  NAME` lines.
pub(super) async fn checksums(State(state): State<AppState>) -> Result<Response, ApiError> {
    let dumps = current(&state).await?;
    let text: String = dumps
        .digests()
        .map(|(name, digest)| format!("{digest}  esam-kg-{name}\n"))
        .collect();
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}
