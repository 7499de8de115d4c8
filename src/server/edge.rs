//! What every request passes through: the request time limit, the request log and metrics
//! ([`super::ops`]) in one service of ours, and tower-http's CORS (`cors`) and compression
//! layers as they come.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::header::HeaderName;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};
use tower_http::cors::{Any, CorsLayer};

use super::{AppState, ops};

/// The time limit, the log line and the metrics of every request.
#[derive(Clone)]
pub(super) struct EdgeLayer(pub(super) AppState);

impl<S> Layer<S> for EdgeLayer {
    type Service = Edge<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Edge {
            inner,
            state: self.0.clone(),
        }
    }
}

/// The service of [`EdgeLayer`].
#[derive(Clone)]
pub(super) struct Edge<S> {
    inner: S,
    state: AppState,
}

impl<S> Service<Request> for Edge<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let started = Instant::now();
        let method = ops::method_label(request.method());
        let uri = request.uri().clone();
        let route = request.extensions().get::<MatchedPath>().cloned();
        let answer = self.inner.call(request);
        let state = self.state.clone();
        Box::pin(async move {
            let response = match tokio::time::timeout(state.request_limit(), answer).await {
                Ok(Ok(response)) => response,
                Ok(Err(never)) => match never {},
                Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
            };
            ops::record(&state, method, uri.path(), route.as_ref(), started, &response);
            Ok(response)
        })
    }
}

/// Browsers (YASGUI, Comunica) may query from any origin; every response exposes the
/// headers a client needs (ETag, the row-cap notice), and a preflight says what may be sent.
pub(super) fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([header::ACCEPT, header::CONTENT_TYPE, header::IF_NONE_MATCH])
        .expose_headers([header::ETAG, HeaderName::from_static(super::ROWS_CAPPED_HEADER)])
        .max_age(Duration::from_secs(86_400))
}
