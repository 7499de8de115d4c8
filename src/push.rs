//! `push`: copies the store's graphs into another triple store with the SPARQL 1.1 Graph Store
//! HTTP Protocol — one `PUT` of Turtle per named graph (every document, the reference data, the
//! ontology), so a second push replaces what the first wrote rather than adding to it. Failures
//! that may pass (no connection, a time-out, 5xx, 429) are retried with a growing pause; the
//! rest are reported at once. A dry run lists what would be sent and sends nothing.
//!
//! This is how esam-kg feeds a national or agency store (Virtuoso, GraphDB, Fuseki, Neptune,
//! another esam-kg) that aggregates many sources.

use std::time::Duration;

use oxhttp::model::{Method, Request, StatusCode, header};
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode};

use crate::store::{ExportFormat, Store, StoreError};

/// Why a push could not start (a graph that fails is reported, not an error).
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The target is not an http(s) URL.
    #[error("--to {0:?} is not an http:// or https:// URL of a Graph Store endpoint")]
    BadUrl(String),
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A header value (the token) is not valid in HTTP.
    #[error("the token contains characters that cannot be sent in an HTTP header")]
    BadToken,
}

/// Where and how to push.
#[derive(Debug, Clone)]
pub struct Target {
    /// The Graph Store endpoint (`http://host:8890/sparql-graph-crud`, `…/store`).
    pub url: String,
    /// Sent as `Authorization: Bearer TOKEN` when given.
    pub token: Option<String>,
    /// Attempts after the first for a failure that may pass.
    pub retries: u32,
    /// Time limit of one request (connect, send, answer).
    pub timeout: Duration,
    /// Pause before the first retry; doubled for each further one.
    pub backoff: Duration,
}

impl Target {
    /// A target with three retries, a minute per request and a half-second first pause.
    pub fn new(url: &str) -> Result<Self, PushError> {
        let valid =
            (url.starts_with("http://") || url.starts_with("https://")) && url.parse::<oxhttp::model::Uri>().is_ok();
        if !valid {
            return Err(PushError::BadUrl(url.to_string()));
        }
        Ok(Self {
            url: url.to_string(),
            token: None,
            retries: 3,
            timeout: Duration::from_secs(60),
            backoff: Duration::from_millis(500),
        })
    }

    /// The request URL for one graph: `?graph=IRI` (indirect graph identification).
    fn graph_url(&self, graph: &NamedNode) -> String {
        let separator = if self.url.contains('?') { '&' } else { '?' };
        let iri: String = form_urlencoded::byte_serialize(graph.as_str().as_bytes()).collect();
        format!("{}{separator}graph={iri}", self.url)
    }
}

/// What happened to one graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Dry run: nothing was sent.
    NotSent,
    /// The store accepted it.
    Stored {
        /// Its status code (200, 201 or 204).
        status: u16,
        /// Requests made.
        attempts: u32,
    },
    /// It could not be stored.
    Failed {
        /// The last status or error.
        reason: String,
        /// Requests made.
        attempts: u32,
    },
}

/// One graph's push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphPush {
    /// The graph's IRI.
    pub graph: String,
    /// Its triples.
    pub triples: usize,
    /// The Turtle sent (or that would be), in bytes.
    pub bytes: usize,
    /// What happened.
    pub outcome: Outcome,
}

/// Pushes every named graph of `store` to `target`, in IRI order; `dry_run` sends nothing.
/// `each` sees every graph's result as it comes (for progress).
pub fn push(
    store: &Store,
    target: &Target,
    dry_run: bool,
    mut each: impl FnMut(&GraphPush),
) -> Result<Vec<GraphPush>, PushError> {
    let client = oxhttp::Client::new()
        .with_global_timeout(target.timeout)
        .with_user_agent(concat!("esam-kg/", env!("CARGO_PKG_VERSION")))
        .map_err(|_| PushError::BadToken)?;
    let authorization = target
        .token
        .as_ref()
        .map(|token| header::HeaderValue::try_from(format!("Bearer {}", token.trim())))
        .transpose()
        .map_err(|_| PushError::BadToken)?;
    let mut graphs: Vec<NamedNode> = store
        .graphs()?
        .into_iter()
        .filter_map(|g| match g {
            NamedOrBlankNode::NamedNode(n) => Some(n),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .collect();
    graphs.sort();
    let mut report = Vec::with_capacity(graphs.len());
    for graph in graphs {
        let triples = store
            .oxigraph()
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph.as_ref())))
            .count();
        let mut turtle = Vec::new();
        store.export(ExportFormat::Turtle, Some(&graph), &mut turtle)?;
        let bytes = turtle.len();
        let outcome = if dry_run {
            Outcome::NotSent
        } else {
            put_with_retries(&client, target, authorization.as_ref(), &graph, turtle)
        };
        let pushed = GraphPush {
            graph: graph.as_str().to_string(),
            triples,
            bytes,
            outcome,
        };
        each(&pushed);
        report.push(pushed);
    }
    Ok(report)
}

/// One graph: `PUT` until stored, refused for good, or out of retries.
fn put_with_retries(
    client: &oxhttp::Client,
    target: &Target,
    authorization: Option<&header::HeaderValue>,
    graph: &NamedNode,
    turtle: Vec<u8>,
) -> Outcome {
    let url = target.graph_url(graph);
    let mut pause = target.backoff;
    let mut attempts = 0;
    loop {
        attempts += 1;
        let mut request = Request::builder()
            .method(Method::PUT)
            .uri(&url)
            .header(header::CONTENT_TYPE, "text/turtle; charset=utf-8");
        if let Some(authorization) = authorization {
            request = request.header(header::AUTHORIZATION, authorization.clone());
        }
        let (reason, may_pass) = match request.body(turtle.clone()) {
            Err(error) => (format!("cannot build the request: {error}"), false),
            Ok(request) => match client.request(request) {
                Ok(response) if response.status().is_success() => {
                    return Outcome::Stored {
                        status: response.status().as_u16(),
                        attempts,
                    };
                }
                Ok(response) => {
                    let status = response.status();
                    let body = response.into_body().to_string().unwrap_or_default();
                    let may_pass = status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS;
                    (format!("{status}: {}", first_line(&body)), may_pass)
                }
                Err(error) => (error.to_string(), true),
            },
        };
        if !may_pass || attempts > target.retries {
            return Outcome::Failed { reason, attempts };
        }
        std::thread::sleep(pause);
        pause *= 2;
    }
}

fn first_line(text: &str) -> &str {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    match line.char_indices().nth(200) {
        Some((cut, _)) => &line[..cut],
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_http_urls_and_graphs_go_in_the_query() {
        assert!(Target::new("ftp://x/").is_err() && Target::new("not a url").is_err());
        let target = Target::new("http://127.0.0.1:8890/sparql-graph-crud").unwrap();
        let graph = NamedNode::new("http://127.0.0.1:7878/id/newsletter/2021-12").unwrap();
        assert_eq!(
            target.graph_url(&graph),
            "http://127.0.0.1:8890/sparql-graph-crud?graph=http%3A%2F%2F127.0.0.1%3A7878%2Fid%2Fnewsletter%2F2021-12"
        );
        let with_query = Target::new("https://store.example/gsp?repo=esam").unwrap();
        assert!(
            with_query
                .graph_url(&graph)
                .starts_with("https://store.example/gsp?repo=esam&graph=")
        );
    }

    /// A server that fails twice with 503, then accepts: the push retries and reports three
    /// attempts; a 400 is not retried.
    #[test]
    fn failures_that_may_pass_are_retried_and_the_others_are_not() {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            for status in [
                "503 Service Unavailable",
                "503 Service Unavailable",
                "204 No Content",
                "400 Bad Request",
            ] {
                let (mut stream, _) = listener.accept().unwrap();
                let mut request = Vec::new();
                let mut buffer = [0u8; 65536];
                // Read the head and the announced body.
                loop {
                    let n = stream.read(&mut buffer).unwrap();
                    request.extend_from_slice(&buffer[..n]);
                    let text = String::from_utf8_lossy(&request);
                    if let Some((head, body)) = text.split_once("\r\n\r\n") {
                        let length: usize = head
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse().unwrap())
                            })
                            .unwrap_or(0);
                        if body.len() >= length {
                            break;
                        }
                    }
                }
                let body = if status.starts_with("400") {
                    "syntax error in line 1"
                } else {
                    ""
                };
                write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
                .unwrap();
            }
        });
        let store = Store::in_memory().unwrap();
        let graph = NamedNode::new("http://example.org/g").unwrap();
        let quad = oxigraph::model::Quad::new(graph.clone(), graph.clone(), graph.clone(), graph.clone());
        store.replace_graph(&graph, &[quad]).unwrap();
        let mut target = Target::new(&format!("http://127.0.0.1:{port}/store")).unwrap();
        target.backoff = Duration::from_millis(10);
        let report = push(&store, &target, false, |_| {}).unwrap();
        assert_eq!(
            report[0].outcome,
            Outcome::Stored {
                status: 204,
                attempts: 3
            }
        );
        assert_eq!(report[0].triples, 1);
        let report = push(&store, &target, false, |_| {}).unwrap();
        assert_eq!(
            report[0].outcome,
            Outcome::Failed {
                reason: "400 Bad Request: syntax error in line 1".into(),
                attempts: 1
            }
        );
        server.join().unwrap();
        let dry = push(&store, &target, true, |_| {}).unwrap();
        assert_eq!(dry[0].outcome, Outcome::NotSent);
        assert!(dry[0].bytes > 20);
    }
}
