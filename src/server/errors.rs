//! Errors as a person reads them: a status and a plain-text message, with `Retry-After` where
//! waiting helps; SPARQL errors mapped to their statuses.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::sparql::SparqlError;

/// An HTTP error with a message a person can read.
#[derive(Debug)]
pub struct ApiError {
    pub(super) status: StatusCode,
    pub(super) message: String,
    retry_after: Option<u32>,
}

impl ApiError {
    pub(super) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            retry_after: None,
        }
    }

    /// Tells the client when to try again (with a 503).
    pub(super) fn retry_after(mut self, seconds: u32) -> Self {
        self.retry_after = Some(seconds);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut message = self.message;
        message.push('\n');
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            message,
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<SparqlError> for ApiError {
    fn from(error: SparqlError) -> Self {
        let status = match error {
            SparqlError::Syntax(_)
            | SparqlError::FormatMismatch { .. }
            | SparqlError::ServiceDisabled(_)
            | SparqlError::LoadDisabled
            | SparqlError::TooComplex(_)
            | SparqlError::DatasetConflict => StatusCode::BAD_REQUEST,
            SparqlError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            SparqlError::TimedOut(_) => StatusCode::SERVICE_UNAVAILABLE,
            SparqlError::OverMemory(_) => StatusCode::INSUFFICIENT_STORAGE,
            SparqlError::Evaluation(_) | SparqlError::Output(_) | SparqlError::Update(_) | SparqlError::Store(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        Self::new(status, error.to_string())
    }
}

pub(super) async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, format!("nothing at {}", uri.path()))
}

pub(super) fn internal(error: impl std::fmt::Display) -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, error.to_string())
}
