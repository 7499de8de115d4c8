//! Operating the endpoint (in process): compression, Prometheus metrics, results
//! streamed past the commit size, the row cap stated in JSON, and queries beyond the
//! concurrency limit refused with 503 and `Retry-After`.

use std::time::Duration;

use axum::body::{Body, HttpBody, to_bytes};
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

use crate::support::{TestStore, send};

fn router(max_rows: Option<usize>, slots: usize, time_limit: Duration) -> (TestStore, axum::Router) {
    let test = TestStore::with_newsletters();
    let settings = esam_kg::server::Settings {
        max_concurrent_queries: slots,
        ..esam_kg::server::Settings::new(
            esam_kg::sparql::QueryPolicy {
                time_limit,
                max_rows,
                memory_limit: Some(esam_kg::sparql::memory::DEFAULT_QUERY_MEMORY),
            },
            crate::support::views(),
        )
    };
    let router = esam_kg::server::router(test.store.clone(), esam_kg::ids::Ids::default(), settings);
    (test, router)
}

fn get(path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = Request::get(path);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::empty()).unwrap()
}

fn query_path(query: &str) -> String {
    format!(
        "/sparql?query={}",
        form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
    )
}

const ALL: &str = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }";

#[tokio::test]
async fn responses_are_compressed_when_asked() {
    let (_store, router) = router(Some(100_000), 4, Duration::from_secs(10));
    for (encoding, magic) in [("gzip", &[0x1f_u8, 0x8b][..]), ("br", &[][..])] {
        let response = router
            .clone()
            .oneshot(get(&query_path(ALL), &[("accept-encoding", encoding)]))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_ENCODING], encoding);
        let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert!(body.starts_with(magic));
        let plain = send(router.clone(), get(&query_path(ALL), &[])).await.2;
        assert!(
            body.len() * 4 < plain.len(),
            "{encoding}: {} vs {}",
            body.len(),
            plain.len()
        );
    }
    let response = router.clone().oneshot(get(&query_path(ALL), &[])).await.unwrap();
    assert!(!response.headers().contains_key(header::CONTENT_ENCODING));
    // Sent plain to a client that asked for no encoding, the answer still tells caches that
    // it varies with Accept-Encoding (as well as with Accept), as when compression is asked for.
    let vary: Vec<String> = response
        .headers()
        .get_all(header::VARY)
        .iter()
        .map(|value| value.to_str().unwrap().to_ascii_lowercase())
        .collect();
    assert!(vary.iter().any(|v| v == "accept-encoding"), "{vary:?}");
    assert!(vary.iter().any(|v| v == "accept"), "{vary:?}");
    // An answer too small to compress is sent plain either way, without the Vary.
    let small = router
        .clone()
        .oneshot(get(&query_path("ASK {}"), &[("accept-encoding", "gzip")]))
        .await
        .unwrap();
    assert!(!small.headers().contains_key(header::CONTENT_ENCODING));
    assert!(
        !small
            .headers()
            .get_all(header::VARY)
            .iter()
            .any(|v| v.as_bytes().eq_ignore_ascii_case(b"accept-encoding"))
    );
}

#[tokio::test]
async fn metrics_count_requests_and_the_store() {
    let (_store, router) = router(Some(100), 4, Duration::from_secs(10));
    send(router.clone(), get(&query_path("ASK {}"), &[])).await;
    send(router.clone(), get("/views/events", &[])).await;
    send(router.clone(), get("/views/nonesuch", &[])).await;
    let (status, content_type, text) = send(router.clone(), get("/metrics", &[])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/plain; version=0.0.4"));
    for line in [
        "esam_kg_http_requests_total{route=\"/sparql\",method=\"GET\",status=\"200\"} 1",
        "esam_kg_http_requests_total{route=\"/views/{name}\",method=\"GET\",status=\"200\"} 1",
        "esam_kg_http_requests_total{route=\"/views/{name}\",method=\"GET\",status=\"404\"} 1",
        "esam_kg_http_request_duration_seconds_count 3",
        "esam_kg_query_timeouts_total 0",
    ] {
        assert!(text.contains(line), "{line} missing in\n{text}");
    }
    let quads: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("esam_kg_store_quads "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(quads > 1000, "{quads}");
    // What the memory is made of: the two answers kept (the ASK and the view; the 404 is not).
    let gauge = |name: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
            .unwrap_or_else(|| panic!("{name} missing in\n{text}"))
            .parse()
            .unwrap()
    };
    assert_eq!(gauge("esam_kg_answer_cache_entries"), 2);
    assert!(gauge("esam_kg_answer_cache_bytes") > 0);
    assert!(gauge("esam_kg_process_resident_bytes") > 1 << 20);
    if cfg!(feature = "jemalloc") {
        let allocated = gauge("esam_kg_allocator_allocated_bytes");
        assert!(allocated > 0 && allocated <= gauge("esam_kg_allocator_resident_bytes"));
    }
}

#[tokio::test]
async fn large_results_stream_and_small_ones_are_complete() {
    let (_store, router) = router(None, 4, Duration::from_secs(30));
    // Every triple four times over: several megabytes of JSON.
    let large = "SELECT ?s ?p ?o ?n WHERE { ?s ?p ?o VALUES ?n { 1 2 3 4 } }";
    let response = router.clone().oneshot(get(&query_path(large), &[])).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/sparql-results+json"
    );
    assert_eq!(response.body().size_hint().exact(), None, "a large result streams");
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    assert!(body.len() > esam_kg::server::STREAM_COMMIT_BYTES, "{}", body.len());
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let total = json["results"]["bindings"].as_array().unwrap().len();
    let triples = send(
        router.clone(),
        get(
            &query_path("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
            &[("accept", "text/csv")],
        ),
    )
    .await
    .2;
    let triples: usize = triples.lines().nth(1).unwrap().parse().unwrap();
    assert_eq!(total, 4 * triples);

    let response = router.clone().oneshot(get(&query_path("ASK {}"), &[])).await.unwrap();
    assert!(
        response.body().size_hint().exact().is_some(),
        "a small result is sent whole"
    );
}

#[tokio::test]
async fn a_capped_json_result_says_so_in_a_field_and_a_header() {
    let (_store, router) = router(Some(7), 4, Duration::from_secs(10));
    let response = router.clone().oneshot(get(&query_path(ALL), &[])).await.unwrap();
    assert_eq!(response.headers()[esam_kg::server::ROWS_CAPPED_HEADER], "7");
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["results"]["bindings"].as_array().unwrap().len(), 7);
    assert_eq!(json[esam_kg::server::ROWS_CAPPED_JSON_MEMBER], 7);
    // Not capped: no field.
    let (_, _, body) = send(router.clone(), get(&query_path("SELECT * WHERE { } "), &[])).await;
    assert!(!body.contains("rowsCapped"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn queries_beyond_the_limit_are_refused_with_retry_after() {
    let (_store, router) = router(Some(100), 1, Duration::from_secs(6));
    let chain = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?b ?q ?c . ?c ?r ?d . ?d ?s ?e . ?e ?t ?f . ?f ?u ?g }";
    let busy = tokio::spawn(send(router.clone(), get(&query_path(chain), &[])));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let response = router.clone().oneshot(get(&query_path("ASK {}"), &[])).await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()[header::RETRY_AFTER], "5");
    let (status, _, body) = busy.await.unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("time limit"), "{body}");
    // The slot is free again once the runaway query has been stopped.
    let (status, _, _) = send(router.clone(), get(&query_path("ASK {}"), &[])).await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, metrics) = send(router.clone(), get("/metrics", &[])).await;
    assert!(metrics.contains("esam_kg_queries_refused_total 1"), "{metrics}");
    assert!(metrics.contains("esam_kg_query_timeouts_total 1"), "{metrics}");
}

/// Answers are kept by data version: the same query again is answered from the cache (the
/// metrics count the hit), and a write makes the next answer new — never a stale one.
#[tokio::test]
async fn answers_are_kept_until_the_data_changes() {
    let test = TestStore::with_newsletters();
    let token = "cache-test-token-0123456789";
    let settings = esam_kg::server::Settings {
        update_token: Some(token.into()),
        ..crate::support::settings(10, 1000)
    };
    let router = esam_kg::server::router(test.store.clone(), esam_kg::ids::Ids::default(), settings);
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://example.org/Thing> }";
    let ask = |router: axum::Router| async move {
        let (status, _, body) = send(router, get(&query_path(count), &[("accept", "text/csv")])).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    };
    let metric = |router: axum::Router, name: &'static str| async move {
        let (_, _, text) = send(router, get("/metrics", &[])).await;
        text.lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().parse::<u64>().unwrap()))
            .unwrap()
    };
    assert_eq!(ask(router.clone()).await, "n\r\n0\r\n");
    let hits = metric(router.clone(), "esam_kg_cache_hits_total").await;
    assert_eq!(ask(router.clone()).await, "n\r\n0\r\n");
    assert_eq!(metric(router.clone(), "esam_kg_cache_hits_total").await, hits + 1);
    let update = Request::post("/update")
        .header(header::CONTENT_TYPE, "application/sparql-update")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(
            "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> a <http://example.org/Thing> } }",
        ))
        .unwrap();
    let (status, _, body) = send(router.clone(), update).await;
    assert!(status.is_success(), "{status} {body}");
    assert_eq!(
        ask(router.clone()).await,
        "n\r\n1\r\n",
        "the answer after a write is new"
    );
}
