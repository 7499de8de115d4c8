//! HTTP for the curated views: `GET /views` (index as HTML or RDF), `GET /views/NAME`
//! (one page of the result in the negotiated form, or its picture) and
//! `GET /openapi.json`. Parameters are validated before any SPARQL runs.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{ApiError, AppState, header_text, internal, pairs, pick};
use crate::sparql::ResultFormat;
use crate::views::render::{self, ViewFormat};
use crate::views::{self, ViewError, describe, params, svg};

impl From<ViewError> for ApiError {
    fn from(error: ViewError) -> Self {
        match error {
            ViewError::Sparql(error) => error.into(),
            ViewError::Unknown(_) => Self::new(StatusCode::NOT_FOUND, format!("{error}; see /views")),
            ViewError::Param { .. } => Self::new(StatusCode::BAD_REQUEST, error.to_string()),
            ViewError::Io { .. } | ViewError::Spec { .. } | ViewError::Query { .. } | ViewError::Store(_) => {
                internal(error)
            }
        }
    }
}

/// `GET /views`: HTML for browsers, the catalogue as RDF for RDF clients.
pub(super) async fn index(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Result<Response, ApiError> {
    let pairs = pairs(uri.query().unwrap_or(""));
    let accept = header_text(&headers, header::ACCEPT).unwrap_or("text/html");
    let format = match super::param(&pairs, "format") {
        Some(name) if name == "html" => None,
        Some(name) => Some(
            ResultFormat::from_name(&name)
                .filter(|f| matches!(f, ResultFormat::Graph(_)))
                .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, format!("unknown format {name:?}")))?,
        ),
        None => pick(
            accept,
            &[
                ("text/html", None),
                ("text/turtle", ResultFormat::from_name("ttl")),
                ("application/n-triples", ResultFormat::from_name("nt")),
                ("application/ld+json", ResultFormat::from_name("jsonld")),
                ("application/rdf+xml", ResultFormat::from_name("rdfxml")),
            ],
        )
        .flatten(),
    };
    let Some(ResultFormat::Graph(format)) = format else {
        return Ok(with_vary((
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            describe::index_html(&state.views, super::page_lang(&headers)),
        )));
    };
    let mut body = Vec::new();
    crate::store::write_graph(describe::triples(&state.views, &state.ids), format, &mut body).map_err(internal)?;
    Ok(with_vary(([(header::CONTENT_TYPE, format.media_type())], body)))
}

/// `GET /openapi.json`.
pub(super) async fn openapi(State(state): State<AppState>) -> Response {
    axum::Json(describe::openapi(&state.views, &state.ids)).into_response()
}

fn with_vary(response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept, Accept-Language"));
    response
}

/// The format of a view response: `format` (and `dialect`), else `Accept`, else JSON.
fn view_format(pairs: &[(String, String)], headers: &HeaderMap) -> Result<ViewFormat, ApiError> {
    let dialect = super::param(pairs, "dialect");
    if let Some(name) = super::param(pairs, "format") {
        return ViewFormat::from_name(&name, dialect.as_deref()).ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("parameter \"format\": {name:?} (dialect {dialect:?}) is not json, srj, csv, html or svg (dialect: standard or sv)"),
            )
        });
    }
    let accept = header_text(headers, header::ACCEPT).unwrap_or("application/json");
    pick(
        accept,
        &[
            ("application/json", ViewFormat::Json),
            ("application/sparql-results+json", ViewFormat::SparqlJson),
            ("text/csv", ViewFormat::Csv(render::CsvDialect::Standard)),
            ("text/html", ViewFormat::Html),
            ("image/svg+xml", ViewFormat::Svg),
        ],
    )
    .ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_ACCEPTABLE,
            format!("a view answers as JSON, SPARQL JSON, CSV, HTML or SVG, none of which matches Accept: {accept}"),
        )
    })
}

/// `GET /views/NAME?param=…`.
pub(super) async fn view(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Result<Response, ApiError> {
    let pairs = pairs(uri.query().unwrap_or(""));
    let format = view_format(&pairs, &headers)?;
    let languages = crate::linked::languages(header_text(&headers, header::ACCEPT_LANGUAGE));
    let lang = crate::html::Lang::from_accept(&languages);
    let etag = super::entity_tag_of(
        &state.version(),
        &("view", &name, &pairs, format.media_type(), &languages),
    );
    if let Some(response) = super::not_modified(&headers, &etag) {
        return Ok(response);
    }
    let cached = state.cache.get(&etag).map(|hit| hit.body);
    let body = match cached {
        Some(body) => body,
        None => {
            let body = Bytes::from(compute(&state, name, pairs, format, languages, lang).await?);
            state.cache.put(
                &etag,
                super::cache::Cached {
                    media_type: format.media_type(),
                    headers: Vec::new(),
                    body: body.clone(),
                },
            );
            body
        }
    };
    let mut response = with_vary(([(header::CONTENT_TYPE, format.media_type())], body));
    response
        .headers_mut()
        .insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
    super::cache_headers(&mut response, &etag)?;
    Ok(response)
}

/// A view's answer in `format`, evaluated in a query slot.
async fn compute(
    state: &AppState,
    name: String,
    pairs: Vec<(String, String)>,
    format: ViewFormat,
    languages: Vec<&'static str>,
    lang: crate::html::Lang,
) -> Result<Vec<u8>, ApiError> {
    let policy = state.policy;
    let task_state = state.clone();
    super::evaluate::bounded(state, move || {
        let state = task_state;
        let view = state.views.get(&name)?;
        let max_limit = policy.max_rows.unwrap_or(params::MAX_PAGE);
        let mut bound = params::bind(&state.store, view, &pairs, &params::today(), max_limit)?;
        if format == ViewFormat::Svg {
            if view.picture.is_none() {
                return Err(ApiError::new(
                    StatusCode::NOT_ACCEPTABLE,
                    format!("the view {name:?} has no picture"),
                ));
            }
            // A picture shows the whole result (up to the row cap), not a page.
            bound.offset = 0;
            bound.limit = max_limit;
        }
        let mut table = views::run(&state.store, view, &bound, policy)?;
        views::relabel(&state.store, &mut table, &languages)?;
        Ok::<_, ApiError>(match format {
            ViewFormat::Json => render::json(view, &table),
            ViewFormat::SparqlJson => render::sparql_json(&table).map_err(internal)?,
            ViewFormat::Csv(dialect) => render::csv(&table, dialect),
            ViewFormat::Html => render::html(view, &table, &bound, &pairs, lang),
            ViewFormat::Text => render::text(&table),
            ViewFormat::Svg => svg::draw(view, &table).map_err(internal)?.into_bytes(),
        })
    })
    .await
}
