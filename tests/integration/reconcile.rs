//! The W3C Reconciliation Service API over HTTP (in process), as OpenRefine calls it:
//! the manifest, and queries by GET and by form POST.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;

use crate::support::{TestStore, send};

const FK: &str = "http://127.0.0.1:7878/id/org/forsakringskassan";

fn router(test: &TestStore) -> axum::Router {
    esam_kg::server::router(
        test.store.clone(),
        esam_kg::ids::Ids::default(),
        esam_kg::server::Settings::new(
            esam_kg::sparql::QueryPolicy {
                time_limit: std::time::Duration::from_secs(10),
                max_rows: Some(100),
                memory_limit: Some(esam_kg::sparql::memory::DEFAULT_QUERY_MEMORY),
            },
            crate::support::views(),
        ),
    )
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn the_manifest_says_what_the_service_reconciles() {
    let test = TestStore::with_newsletters();
    let (status, content_type, body) =
        send(router(&test), Request::get("/reconcile").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/json");
    let manifest: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(manifest["identifierSpace"], "http://127.0.0.1:7878/id/");
    assert!(manifest["versions"].as_array().unwrap().contains(&Value::from("0.2")));
    assert_eq!(
        manifest["defaultTypes"][0]["id"],
        "http://www.w3.org/ns/org#Organization"
    );
    assert_eq!(manifest["view"]["url"], "{{id}}");
    let (_, content_type, jsonp) = send(
        router(&test),
        Request::get("/reconcile?callback=cb").body(Body::empty()).unwrap(),
    )
    .await;
    assert!(content_type.starts_with("application/javascript"));
    assert!(jsonp.starts_with("cb({") && jsonp.ends_with("});"));
}

#[tokio::test]
async fn forms_of_a_name_find_the_organisation_first() {
    let test = TestStore::with_newsletters();
    let router = router(&test);
    let queries = serde_json::json!({
        "q0": {"query": "Forsakringskassan", "type": "http://www.w3.org/ns/org#Organization"},
        "q1": {"query": "FK", "type": "http://www.w3.org/ns/org#Organization", "limit": 5},
        "q2": {"query": "Försäkringskassans"},
        "q3": {"query": "Forsäkringskasan"},
        "q4": {"query": "Fia Ekelöf", "type": "http://xmlns.com/foaf/0.1/Person"},
        "q5": {"query": "zzzz nothing like it"},
    });
    // OpenRefine posts a form; a GET with the same parameter answers the same.
    let post = Request::post("/reconcile")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("queries={}", encode(&queries.to_string()))))
        .unwrap();
    let (status, _, body) = send(router.clone(), post).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let results: Value = serde_json::from_str(&body).unwrap();
    let (_, _, by_get) = send(
        router.clone(),
        Request::get(format!("/reconcile?queries={}", encode(&queries.to_string())))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(serde_json::from_str::<Value>(&by_get).unwrap(), results);
    for key in ["q0", "q1", "q2", "q3"] {
        let first = &results[key]["result"][0];
        assert_eq!(first["id"], FK, "{key}: {}", results[key]);
        assert_eq!(first["name"], "Försäkringskassan", "{key}");
        assert_eq!(first["type"][0]["id"], "http://www.w3.org/ns/org#Organization");
    }
    assert_eq!(results["q0"]["result"][0]["match"], true);
    assert_eq!(results["q2"]["result"][0]["match"], true);
    assert_eq!(
        results["q4"]["result"][0]["id"],
        "http://127.0.0.1:7878/id/person/fia-ekelof"
    );
    assert_eq!(results["q5"]["result"].as_array().unwrap().len(), 0);
    assert!(results["q1"]["result"].as_array().unwrap().len() <= 5);

    let (status, _, body) = send(
        router.clone(),
        Request::get(format!(
            "/reconcile?queries={}",
            encode("{\"q0\": {\"query\": \"x\", \"type\": \"http://example.org/Thing\"}}")
        ))
        .body(Body::empty())
        .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("unknown type"), "{body}");
    let (status, _, _) = send(
        router.clone(),
        Request::get("/reconcile?queries=not-json").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
