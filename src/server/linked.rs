//! Dereferencing: `GET /id/…` answers 303 See Other to the description at `/doc/…`
//! (DIGG's profile for persistent identifiers), 308 for a replaced identifier, 410
//! for a retired one, 404 for an unknown one. `GET /doc/…` is the description, by
//! content negotiation (`Vary: Accept`) or by suffix (`.html`, `.ttl`, `.nt`,
//! `.jsonld`, `.rdf`), with `Link` headers to the alternates; `/context.jsonld` is
//! the published JSON-LD context.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::model::NamedNode;

use super::{ApiError, AppState, header_text, internal, pick};
use crate::linked::{self, Status, page};
use crate::vocab;

const SUFFIXES: [(&str, Option<RdfFormat>); 5] = [
    (".html", None),
    (".ttl", Some(RdfFormat::Turtle)),
    (".nt", Some(RdfFormat::NTriples)),
    (
        ".jsonld",
        Some(RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        }),
    ),
    (".rdf", Some(RdfFormat::RdfXml)),
];

fn status_error(status: &Status, iri: &NamedNode) -> Option<Response> {
    match status {
        Status::Known => None,
        Status::Replaced(by) => {
            let mut response = (StatusCode::PERMANENT_REDIRECT, format!("{iri} is replaced by {by}\n")).into_response();
            if let Ok(location) = HeaderValue::from_str(by.as_str()) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            Some(response)
        }
        Status::Retired => Some(
            ApiError::new(
                StatusCode::GONE,
                format!("{iri} was retired and is no longer described"),
            )
            .into_response(),
        ),
        Status::Unknown => {
            Some(ApiError::new(StatusCode::NOT_FOUND, format!("nothing is known about {iri}")).into_response())
        }
    }
}

async fn status_of(state: &AppState, iri: &NamedNode) -> Result<Status, ApiError> {
    if state.suppressed.contains(iri) {
        return Ok(Status::Retired);
    }
    let (store, iri) = (state.store.clone(), iri.clone());
    super::evaluate::blocking(move || linked::status(&store, &iri))
        .await?
        .map_err(ApiError::from)
}

/// A description in an RDF format, or (`None`) as the HTML page of `iri` in the
/// preferred `languages`; with its media type.
fn describe_as(
    triples: Vec<oxigraph::model::Triple>,
    format: Option<RdfFormat>,
    iri: &NamedNode,
    document_path: &str,
    site: &str,
    languages: &[&str],
) -> Result<(Vec<u8>, &'static str), ApiError> {
    let Some(format) = format else {
        let labels = linked::labels(&triples, languages);
        let context = page::PageContext {
            iri,
            labels: &labels,
            document_path,
            site,
            lang: crate::html::Lang::from_accept(languages),
        };
        return Ok((
            page::render(&context, &triples).into_bytes(),
            "text/html; charset=utf-8",
        ));
    };
    let mut body = Vec::new();
    crate::store::write_graph(triples, format, &mut body).map_err(internal)?;
    Ok((body, format.media_type()))
}

/// `GET /id/…`: the thing itself.
pub(super) async fn thing(State(state): State<AppState>, Path(rest): Path<String>) -> Result<Response, ApiError> {
    let iri = state
        .ids
        .from_path(&format!("id/{rest}"))
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "not an identifier"))?;
    // The dataset description's nodes are described together, at /dataset.
    let description = if rest.starts_with("dcat/") {
        "/dataset".to_string()
    } else {
        let status = status_of(&state, &iri).await?;
        if let Some(response) = status_error(&status, &iri) {
            return Ok(response);
        }
        format!("/doc/{rest}")
    };
    let mut response = (StatusCode::SEE_OTHER, format!("described at {description}\n")).into_response();
    let headers = response.headers_mut();
    headers.insert(header::LOCATION, HeaderValue::from_str(&description).map_err(internal)?);
    headers.insert(
        header::LINK,
        HeaderValue::from_str(&format!("<{description}>; rel=\"describedby\"")).map_err(internal)?,
    );
    Ok(response)
}

/// `GET /doc/…[.suffix]`: the description.
pub(super) async fn document(
    State(state): State<AppState>,
    Path(rest): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let suffixed = SUFFIXES.iter().find(|(suffix, _)| rest.ends_with(suffix));
    let bare = suffixed.map_or(rest.as_str(), |(suffix, _)| &rest[..rest.len() - suffix.len()]);
    let iri = state
        .ids
        .from_path(&format!("id/{bare}"))
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "not an identifier"))?;
    // None: HTML.
    let format: Option<RdfFormat> = match suffixed {
        Some((_, format)) => *format,
        None => {
            let accept = header_text(&headers, header::ACCEPT).unwrap_or("text/html");
            pick(
                accept,
                &[
                    ("text/html", None),
                    ("application/xhtml+xml", None),
                    ("text/turtle", Some(RdfFormat::Turtle)),
                    ("application/n-triples", Some(RdfFormat::NTriples)),
                    ("application/ld+json", SUFFIXES[3].1),
                    ("application/rdf+xml", Some(RdfFormat::RdfXml)),
                ],
            )
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::NOT_ACCEPTABLE,
                    format!(
                        "a description is HTML, Turtle, N-Triples, JSON-LD or RDF/XML; none matches Accept: {accept}"
                    ),
                )
            })?
        }
    };
    let etag = super::entity_tag_of(
        &state.version(),
        &(
            "doc",
            &rest,
            format.map(|f| f.media_type()),
            header_text(&headers, header::ACCEPT_LANGUAGE),
        ),
    );
    if let Some(response) = super::not_modified(&headers, &etag) {
        return Ok(response);
    }
    let document_path = format!("/doc/{bare}");
    // The entity tag names the data version, so a kept page is this data's page.
    let (body, media_type) = match state.kept(&etag) {
        Some(kept) => kept,
        None => {
            let status = status_of(&state, &iri).await?;
            if let Some(response) = status_error(&status, &iri) {
                return Ok(response);
            }
            let languages = linked::languages(header_text(&headers, header::ACCEPT_LANGUAGE));
            let task_state = state.clone();
            let task_path = document_path.clone();
            state
                .made_and_kept(&etag, move || {
                    let triples = linked::describe(&task_state.store, &iri)?;
                    describe_as(triples, format, &iri, &task_path, task_state.ids.site(), &languages)
                })
                .await?
        }
    };
    let mut response = body.into_response();
    let response_headers = response.headers_mut();
    response_headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    if suffixed.is_none() {
        response_headers.insert(header::VARY, HeaderValue::from_static("Accept, Accept-Language"));
    }
    let alternates = format!(
        "<{document_path}.html>; rel=\"alternate\"; type=\"text/html\", \
         <{document_path}.ttl>; rel=\"alternate\"; type=\"text/turtle\", \
         <{document_path}.nt>; rel=\"alternate\"; type=\"application/n-triples\", \
         <{document_path}.jsonld>; rel=\"alternate\"; type=\"application/ld+json\", \
         <{document_path}.rdf>; rel=\"alternate\"; type=\"application/rdf+xml\", \
         </context.jsonld>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\""
    );
    response_headers.insert(header::LINK, HeaderValue::from_str(&alternates).map_err(internal)?);
    super::cache_headers(&mut response, &etag)?;
    Ok(response)
}

/// `GET /context.jsonld`: the prefixes of the published data as a JSON-LD context.
pub(super) async fn context() -> Response {
    let mut context = serde_json::Map::new();
    for (prefix, iri) in vocab::PREFIXES {
        context.insert((*prefix).to_string(), serde_json::Value::String((*iri).to_string()));
    }
    let mut response = axum::Json(serde_json::json!({ "@context": context })).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/ld+json"));
    response
}

/// `GET /dataset[.html|.ttl|.rdf|.jsonld|.nt]`: the DCAT-AP-SE catalogue. RDF/XML is what
/// Sweden's data portal harvests, so it is the answer to `*/*`; browsers get HTML.
pub(super) async fn dataset(
    State(state): State<AppState>,
    Path(suffix): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let format: Option<RdfFormat> = match suffix.as_str() {
        "" => {
            let accept = header_text(&headers, header::ACCEPT).unwrap_or("*/*");
            pick(
                accept,
                &[
                    ("application/rdf+xml", Some(RdfFormat::RdfXml)),
                    ("text/html", None),
                    ("text/turtle", Some(RdfFormat::Turtle)),
                    ("application/ld+json", SUFFIXES[3].1),
                    ("application/n-triples", Some(RdfFormat::NTriples)),
                ],
            )
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::NOT_ACCEPTABLE,
                    format!("no description format matches Accept: {accept}"),
                )
            })?
        }
        other => SUFFIXES
            .iter()
            .find(|(s, _)| s.trim_start_matches('.') == other)
            .map(|(_, f)| *f)
            .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("no /dataset.{other}")))?,
    };
    let tag = super::entity_tag_of(
        &state.version(),
        &(
            "dataset",
            format.map(|f| f.media_type()),
            header_text(&headers, header::ACCEPT_LANGUAGE),
        ),
    );
    // Kept: the description counts everything, and its dumps' checksums are the dumps'.
    let (body, media_type) = match state.kept(&tag) {
        Some(kept) => kept,
        None => dataset_description(&state, &tag, format, &headers).await?,
    };
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    if suffix.is_empty() {
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static("Accept, Accept-Language"));
    }
    Ok(response)
}

/// The dataset description in `format` (HTML for `None`), made and kept under `tag`.
async fn dataset_description(
    state: &AppState,
    tag: &str,
    format: Option<RdfFormat>,
    headers: &HeaderMap,
) -> Result<(axum::body::Bytes, &'static str), ApiError> {
    let dumps = super::dumps::current(state).await?;
    let task_state = state.clone();
    let languages = linked::languages(header_text(headers, header::ACCEPT_LANGUAGE));
    state
        .made_and_kept(tag, move || {
            let files: Vec<linked::dataset::DumpFile<'_>> = dumps
                .digests()
                .map(|(name, sha256)| {
                    let (media_type, file_type) = match name {
                        "dump.nq" => ("application/n-quads", "RDF_N_QUADS"),
                        "dump.nq.gz" => ("application/gzip", "GZIP"),
                        _ => ("text/turtle", "RDF_TURTLE"),
                    };
                    linked::dataset::DumpFile {
                        name,
                        media_type,
                        file_type,
                        sha256,
                    }
                })
                .collect();
            let triples =
                linked::dataset::triples(&task_state.store, &task_state.ids, &task_state.publication, &files)?;
            let iri = task_state.ids.publication("dataset");
            describe_as(triples, format, &iri, "/dataset", task_state.ids.site(), &languages)
        })
        .await
}

/// `GET /ns` (HTML for browsers, else Turtle) and `/ns.ttl`: the ontology at its documentation address.
pub(super) async fn ontology(headers: HeaderMap, uri: axum::http::Uri) -> Response {
    let accept = header_text(&headers, header::ACCEPT).unwrap_or("text/turtle");
    let html = uri.path() == "/ns"
        && pick(
            accept,
            &[
                ("text/html", true),
                ("text/turtle", false),
                ("application/x-turtle", false),
            ],
        )
        .unwrap_or(false);
    let mut response = if html {
        let lang = super::page_lang(&headers);
        axum::response::Html(crate::linked::ontology::page(crate::reference::ONTOLOGY_TTL, lang)).into_response()
    } else {
        (
            [(header::CONTENT_TYPE, "text/turtle; charset=utf-8")],
            crate::reference::ONTOLOGY_TTL,
        )
            .into_response()
    };
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}

/// `GET /changes.atom`: the latest imports as an Atom feed.
pub(super) async fn changes(State(state): State<AppState>) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let changes = super::evaluate::blocking(move || crate::changes::latest(&store, 50)).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        crate::changes::atom(&changes, state.ids.site()),
    )
        .into_response())
}
