//! The SPARQL endpoint in process (the router, without a socket).

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

use crate::support::TestStore;

async fn call(request: Request<Body>) -> (StatusCode, String, String) {
    let test = TestStore::with_newsletters();
    let router = esam_kg::server::router(test.store.clone(), esam_kg::ids::Ids::default());
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, content_type, String::from_utf8_lossy(&body).into_owned())
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
