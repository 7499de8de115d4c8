//! The SPARQL endpoint in process (the router, without a socket).

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

use crate::support::TestStore;

/// The router over a store with the bundled newsletters, with a short time limit
/// (the store is returned too: it must outlive the requests).
fn router(max_rows: usize) -> (TestStore, axum::Router) {
    let test = TestStore::with_newsletters();
    let policy = esam_kg::sparql::QueryPolicy {
        time_limit: std::time::Duration::from_secs(2),
        max_rows: Some(max_rows),
        memory_limit: Some(esam_kg::sparql::memory::DEFAULT_QUERY_MEMORY),
    };
    let router = esam_kg::server::router(
        test.store.clone(),
        esam_kg::ids::Ids::default(),
        esam_kg::server::Settings::new(policy, crate::support::views()),
    );
    (test, router)
}

async fn call(request: Request<Body>) -> (StatusCode, String, String) {
    let (_store, router) = router(100);
    crate::support::send(router, request).await
}

fn encode(query: &str) -> String {
    form_urlencoded::byte_serialize(query.as_bytes()).collect()
}

#[tokio::test]
async fn get_select_answers_json_from_both_newsletters() {
    let query = "SELECT DISTINCT ?doc WHERE { ?doc a esam:Newsletter ; schema:mentions <http://127.0.0.1:7878/id/org/skatteverket> } ORDER BY ?doc";
    let request = Request::get(format!("/sparql?query={}", encode(query)))
        .body(Body::empty())
        .unwrap();
    let (status, content_type, body) = call(request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(content_type, "application/sparql-results+json");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let docs: Vec<&str> = json["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["doc"]["value"].as_str().unwrap())
        .collect();
    assert_eq!(
        docs,
        vec![
            "http://127.0.0.1:7878/id/newsletter/2021-12",
            "http://127.0.0.1:7878/id/newsletter/2023-12"
        ]
    );
}

#[tokio::test]
async fn post_forms_and_direct_bodies_are_accepted() {
    let request = Request::post("/sparql")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/csv")
        .body(Body::from(format!(
            "query={}",
            encode("SELECT (COUNT(*) AS ?n) WHERE { ?d a esam:Newsletter }")
        )))
        .unwrap();
    let (status, content_type, body) = call(request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(content_type, "text/csv; charset=utf-8");
    assert_eq!(body, "n\r\n2\r\n");

    let request = Request::post("/sparql")
        .header(header::CONTENT_TYPE, "application/sparql-query")
        .header(header::ACCEPT, "text/turtle")
        .body(Body::from("CONSTRUCT { ?o skos:prefLabel ?l } WHERE { <http://127.0.0.1:7878/id/org/skatteverket> skos:prefLabel ?l BIND(<http://127.0.0.1:7878/id/org/skatteverket> AS ?o) }"))
        .unwrap();
    let (status, content_type, body) = call(request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(content_type, "text/turtle");
    assert!(body.contains("\"Skatteverket\"@sv"), "{body}");
}

#[tokio::test]
async fn protocol_errors_are_plain_text() {
    let (status, content_type, body) = call(
        Request::get(format!("/sparql?query={}", encode("SELECT * WHERE {")))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        content_type.starts_with("text/plain") && body.contains("does not parse"),
        "{body}"
    );

    let request = Request::get(format!("/sparql?query={}", encode("ASK {}")))
        .header(header::ACCEPT, "image/png")
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(request).await.0, StatusCode::NOT_ACCEPTABLE);

    let request = Request::post("/sparql")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("ASK {}"))
        .unwrap();
    assert_eq!(call(request).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn default_graph_uri_restricts_the_dataset() {
    let query = encode("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a esam:Newsletter }");
    let graph = encode("http://127.0.0.1:7878/id/newsletter/2023-12");
    let request = Request::get(format!("/sparql?query={query}&default-graph-uri={graph}"))
        .header(header::ACCEPT, "text/csv")
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = call(request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "n\r\n1\r\n");
}

#[tokio::test]
async fn an_explosive_query_is_stopped_at_the_time_limit() {
    // A chain of joins over every triple: evaluation keeps reading the store and is cancelled there.
    let chain = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?b ?q ?c . ?c ?r ?d . ?d ?s ?e . ?e ?t ?f . ?f ?u ?g }";
    let started = std::time::Instant::now();
    let (status, _, body) = call(
        Request::get(format!("/sparql?query={}", encode(chain)))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("time limit"), "{body}");
    // A two-second limit; the margin covers building the test store on a loaded machine.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn service_calls_to_other_endpoints_are_refused() {
    let query = encode("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }");
    let (status, _, body) = call(
        Request::get(format!("/sparql?query={query}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("SERVICE"), "{body}");
}

#[tokio::test]
async fn capped_results_say_so_in_a_header() {
    let query = encode("SELECT ?s WHERE { ?s ?p ?o }");
    let request = Request::get(format!("/sparql?query={query}"))
        .header(header::ACCEPT, "text/csv")
        .body(Body::empty())
        .unwrap();
    let (_store, router) = router(100);
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers().get(esam_kg::server::ROWS_CAPPED_HEADER).unwrap(),
        "100"
    );
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    assert_eq!(String::from_utf8_lossy(&body).lines().count(), 101);
}

#[tokio::test]
async fn wrong_methods_oversized_bodies_and_unknown_paths() {
    let (status, _, _) = call(Request::delete("/sparql").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let big = "x".repeat(2 * 1024 * 1024);
    let request = Request::post("/sparql")
        .header(header::CONTENT_TYPE, "application/sparql-query")
        .body(Body::from(big))
        .unwrap();
    assert_eq!(call(request).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, content_type, body) = call(Request::get("/nothing-here").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(content_type.starts_with("text/plain") && body.contains("/nothing-here"));
}

#[tokio::test]
async fn graph_store_protocol_reads_one_graph_or_the_merged_default() {
    let graph = encode("http://127.0.0.1:7878/id/newsletter/2023-12");
    let request = Request::get(format!("/store?graph={graph}"))
        .header(header::ACCEPT, "application/n-triples")
        .body(Body::empty())
        .unwrap();
    let (status, content_type, body) = call(request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(content_type, "application/n-triples");
    let triples: Vec<&str> = body.lines().collect();
    assert!(triples.iter().any(|t| t.contains("Nyhetsbrev från eSam")));
    assert!(!body.contains("2021-12"), "another document's triples leaked");
    // The graph states its own size.
    let declared = triples.iter().find(|t| t.contains("rdfs.org/ns/void#triples")).unwrap();
    assert!(
        declared.contains(&format!("\"{}\"", triples.len())),
        "{declared} vs {}",
        triples.len()
    );

    let (status, content_type, body) = call(Request::get("/store?default").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "text/turtle");
    assert!(body.contains("2021-12") && body.contains("2023-12"));

    let missing = encode("http://127.0.0.1:7878/id/newsletter/1999-01");
    assert_eq!(
        call(
            Request::get(format!("/store?graph={missing}"))
                .body(Body::empty())
                .unwrap()
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(Request::get("/store").body(Body::empty()).unwrap()).await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn health_answers_when_the_store_does() {
    let (status, _, body) = call(Request::get("/health").body(Body::empty()).unwrap()).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok\n"));
}

#[tokio::test]
async fn responses_carry_an_etag_and_a_matching_if_none_match_gets_304() {
    let (_store, router) = router(100);
    let uri = format!(
        "/sparql?query={}",
        encode("SELECT (COUNT(*) AS ?n) WHERE { ?d a esam:Newsletter }")
    );
    let response = router
        .clone()
        .oneshot(Request::get(&uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get(header::CACHE_CONTROL).is_some());
    let etag = response.headers().get(header::ETAG).unwrap().clone();
    let again = Request::get(&uri)
        .header(header::IF_NONE_MATCH, etag.clone())
        .body(Body::empty())
        .unwrap();
    let response = router.clone().oneshot(again).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    let other = Request::get(&uri)
        .header(header::IF_NONE_MATCH, "\"something-else\"")
        .body(Body::empty())
        .unwrap();
    assert_eq!(router.clone().oneshot(other).await.unwrap().status(), StatusCode::OK);
    let csv = Request::get(&uri)
        .header(header::ACCEPT, "text/csv")
        .header(header::IF_NONE_MATCH, etag)
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        router.oneshot(csv).await.unwrap().status(),
        StatusCode::OK,
        "another format is another entity"
    );
}

#[tokio::test]
async fn cors_is_open_for_queries_and_preflights() {
    let (_store, router) = router(100);
    let preflight = Request::options("/sparql")
        .header(header::ORIGIN, "https://yasgui.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
        .body(Body::empty())
        .unwrap();
    let response = router.clone().oneshot(preflight).await.unwrap();
    // Any 2xx is an "ok status" for a preflight (Fetch, CORS-preflight fetch); tower-http says 200.
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(
        response.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
        "*"
    );
    assert!(
        response
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_METHODS)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("POST")
    );
    let query = Request::get(format!("/sparql?query={}", encode("ASK {}")))
        .header(header::ORIGIN, "https://yasgui.example")
        .body(Body::empty())
        .unwrap();
    let response = router.oneshot(query).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
        "*"
    );
    // A script on another origin can read the ETag and the row-cap notice.
    let exposed = response.headers()[header::ACCESS_CONTROL_EXPOSE_HEADERS]
        .to_str()
        .unwrap();
    assert!(
        exposed.contains("etag") && exposed.contains("x-esam-rows-capped"),
        "{exposed}"
    );
}

#[tokio::test]
async fn default_and_named_graph_parameters_give_different_etags() {
    let (_store, router) = router(100);
    let query = encode("SELECT * WHERE { ?s ?p ?o } LIMIT 1");
    let graph = encode("http://127.0.0.1:7878/id/newsletter/2023-12");
    let mut tags = Vec::new();
    for parameter in ["default-graph-uri", "named-graph-uri"] {
        let request = Request::get(format!("/sparql?query={query}&{parameter}={graph}"))
            .body(Body::empty())
            .unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        tags.push(response.headers().get(header::ETAG).unwrap().clone());
    }
    assert_ne!(tags[0], tags[1]);
}

/// NOW() and arithmetic with durations of months go through the vendored oxsdatatypes'
/// patched `normalize_day` (vendor/oxsdatatypes/VENDORED.md): month ends, leap years and
/// spans of centuries still come out as the calendar has them. (Released Oxigraph 0.5.13
/// leaves `xsd:date("2024-02-28") + "P1D"^^xsd:dayTimeDuration` unbound, patched or not: that
/// path does not go through `normalize_day`, and is not asked here.)
#[test]
fn now_and_date_arithmetic_keep_the_calendar() {
    let dir = temp_dir::TempDir::new().unwrap();
    let store = esam_kg::store::Store::open(&dir.path().join("store")).unwrap();
    let query = r#"SELECT (YEAR(NOW()) AS ?year)
        (xsd:date("2023-01-31") + "P1M"^^xsd:yearMonthDuration AS ?month_end)
        (xsd:date("2024-01-31") + "P1M"^^xsd:yearMonthDuration AS ?leap_month_end)
        (xsd:date("2023-12-15") + "P14M"^^xsd:yearMonthDuration AS ?months)
        (xsd:dateTime("2023-12-15T10:00:00Z") + "P1Y2M3DT4H"^^xsd:duration AS ?mixed)
        (xsd:dateTime("1999-12-31T23:00:00Z") + "P400Y0M1DT1H"^^xsd:duration AS ?centuries)
        (xsd:dateTime("2026-12-02T00:00:00Z") + "P3M400D"^^xsd:duration AS ?over_a_leap_day)
        (xsd:dateTime("2026-12-02T00:00:00Z") - "P3M400D"^^xsd:duration AS ?back)
        WHERE {}"#;
    let rows = crate::support::select(&store, query);
    let row = &rows[0];
    assert!(row[0].parse::<i32>().unwrap() >= 2026, "{row:?}");
    assert_eq!(
        &row[1..],
        [
            "2023-02-28",
            "2024-02-29",
            "2025-02-15",
            "2025-02-18T14:00:00Z",
            "2400-01-02T00:00:00Z",
            "2028-04-05T00:00:00Z",
            "2025-07-29T00:00:00Z"
        ],
        "{row:?}"
    );
}
