//! Writes over HTTP (in process): the token on every write (absent, wrong, right),
//! SPARQL Update, the Graph Store Protocol's PUT/POST/DELETE, importing a newsletter
//! into a running server, and ETags that change with the data.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::support::{TestStore, send};

const TOKEN: &str = "a-long-enough-test-token";
const GRAPH: &str = "http://example.org/graph/extra";

fn router(token: Option<&str>) -> (TestStore, axum::Router) {
    let test = TestStore::with_newsletters();
    let router = esam_kg::server::router(
        test.store.clone(),
        esam_kg::ids::Ids::default(),
        esam_kg::server::Settings {
            update_token: token.map(str::to_string),
            importer: Some(crate::support::importer()),
            ..esam_kg::server::Settings::new(
                esam_kg::sparql::QueryPolicy {
                    time_limit: std::time::Duration::from_secs(5),
                    max_rows: Some(1000),
                    memory_limit: Some(esam_kg::sparql::memory::DEFAULT_QUERY_MEMORY),
                },
                crate::support::views(),
            )
        },
    );
    (test, router)
}

fn request(method: &str, path: &str, content_type: &str, auth: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(path);
    if !content_type.is_empty() {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    if let Some(auth) = auth {
        builder = builder.header(header::AUTHORIZATION, auth);
    }
    builder.body(body.into()).unwrap()
}

async fn ask(router: &axum::Router, query: &str) -> bool {
    let path = format!(
        "/sparql?query={}",
        form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
    );
    let (status, _, body) = send(router.clone(), request("GET", &path, "", None, Body::empty())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.contains("true")
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// `POST /import?name=NAME` of `text` with the token: status, content type and body.
async fn import_as(
    router: &axum::Router,
    name: &str,
    content_type: &str,
    text: impl Into<Body>,
) -> (StatusCode, String, String) {
    let path = format!("/import?name={name}");
    send(
        router.clone(),
        request("POST", &path, content_type, Some(&bearer(TOKEN)), text),
    )
    .await
}

const INSERT: &str =
    "INSERT DATA { GRAPH <http://example.org/graph/extra> { <http://example.org/s> <http://example.org/p> \"o\" } }";
const PRESENT: &str =
    "ASK { GRAPH <http://example.org/graph/extra> { <http://example.org/s> <http://example.org/p> \"o\" } }";

#[tokio::test]
async fn writes_need_the_token_and_change_nothing_without_it() {
    let (_store, router) = router(Some(TOKEN));
    let attempts: Vec<(Option<String>, StatusCode)> = vec![
        (None, StatusCode::UNAUTHORIZED),
        (Some(bearer("wrong-token-of-some-length")), StatusCode::FORBIDDEN),
        (Some(bearer(&TOKEN[..TOKEN.len() - 1])), StatusCode::FORBIDDEN),
        (Some(format!("Basic {TOKEN}")), StatusCode::FORBIDDEN),
    ];
    for (auth, expected) in &attempts {
        let writes = [
            request("POST", "/update", "application/sparql-update", auth.as_deref(), INSERT),
            request(
                "PUT",
                &format!("/store?graph={GRAPH}"),
                "text/turtle",
                auth.as_deref(),
                "<a:s> <a:p> <a:o> .",
            ),
            request(
                "POST",
                "/store?default",
                "text/turtle",
                auth.as_deref(),
                "<a:s> <a:p> <a:o> .",
            ),
            request(
                "DELETE",
                "/store?graph=http://127.0.0.1:7878/id/newsletter/2021-12",
                "",
                auth.as_deref(),
                Body::empty(),
            ),
            request(
                "POST",
                "/import?name=x.txt",
                "text/plain",
                auth.as_deref(),
                "Nyhetsbrev från eSam",
            ),
        ];
        for write in writes {
            let what = format!("{} {}", write.method(), write.uri());
            let (status, content_type, body) = send(router.clone(), write).await;
            assert_eq!(status, *expected, "{what} with {auth:?}: {body}");
            assert!(content_type.starts_with("text/plain") && !body.is_empty());
        }
    }
    assert!(!ask(&router, PRESENT).await);
    assert!(
        ask(
            &router,
            "ASK { GRAPH <http://127.0.0.1:7878/id/newsletter/2021-12> { ?s ?p ?o } }"
        )
        .await
    );
    assert!(!ask(&router, "ASK { <a:s> <a:p> <a:o> }").await);

    // Without a token configured, writes are off altogether.
    let (_store, read_only) = router_without_token();
    let (status, _, body) = send(
        read_only,
        request(
            "POST",
            "/update",
            "application/sparql-update",
            Some(&bearer(TOKEN)),
            INSERT,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("--update-token"), "{body}");
}

fn router_without_token() -> (TestStore, axum::Router) {
    router(None)
}

#[tokio::test]
async fn sparql_update_with_the_token() {
    let (_store, router) = router(Some(TOKEN));
    let auth = bearer(TOKEN);
    let (status, _, body) = send(
        router.clone(),
        request("POST", "/update", "application/sparql-update", Some(&auth), INSERT),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert!(ask(&router, PRESENT).await);

    let form = format!(
        "update={}",
        form_urlencoded::byte_serialize(b"DELETE WHERE { GRAPH ?g { <http://example.org/s> ?p ?o } }")
            .collect::<String>()
    );
    let (status, _, body) = send(
        router.clone(),
        request(
            "POST",
            "/update",
            "application/x-www-form-urlencoded",
            Some(&auth),
            form,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert!(!ask(&router, PRESENT).await);

    let (status, _, body) = send(
        router.clone(),
        request(
            "POST",
            "/update",
            "application/sparql-update",
            Some(&auth),
            "INSERT DATA { <x> }",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("1:"), "line and column: {body}");
    let (status, _, _) = send(
        router.clone(),
        request("POST", "/update", "text/plain", Some(&auth), INSERT),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn graph_store_put_post_delete() {
    let (_store, router) = router(Some(TOKEN));
    let auth = bearer(TOKEN);
    let path = format!("/store?graph={GRAPH}");
    let (status, _, body) = send(
        router.clone(),
        request(
            "PUT",
            &path,
            "text/turtle",
            Some(&auth),
            "<http://example.org/s> <http://example.org/p> \"o\" .",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(ask(&router, PRESENT).await);
    let (status, _, _) = send(
        router.clone(),
        request(
            "POST",
            &path,
            "application/n-triples",
            Some(&auth),
            "<http://example.org/s> <http://example.org/p> \"two\" .\n",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(ask(&router, PRESENT).await, "POST adds");
    assert!(
        ask(
            &router,
            "ASK { GRAPH <http://example.org/graph/extra> { ?s ?p \"two\" } }"
        )
        .await
    );
    let (status, _, _) = send(
        router.clone(),
        request(
            "PUT",
            &path,
            "text/turtle",
            Some(&auth),
            "<http://example.org/s> <http://example.org/p> \"three\" .",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(!ask(&router, PRESENT).await, "PUT replaces");

    // A body that does not parse changes nothing.
    let (status, _, body) = send(
        router.clone(),
        request(
            "PUT",
            &path,
            "text/turtle",
            Some(&auth),
            "<http://example.org/s> <broken",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("does not parse"), "{body}");
    assert!(
        ask(
            &router,
            "ASK { GRAPH <http://example.org/graph/extra> { ?s ?p \"three\" } }"
        )
        .await
    );
    let (status, _, _) = send(
        router.clone(),
        request("PUT", &path, "application/pdf", Some(&auth), "x"),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let (status, _, _) = send(router.clone(), request("DELETE", &path, "", Some(&auth), Body::empty())).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(!ask(&router, "ASK { GRAPH <http://example.org/graph/extra> { ?s ?p ?o } }").await);
    let (status, _, _) = send(router.clone(), request("DELETE", &path, "", Some(&auth), Body::empty())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_newsletter_is_imported_into_the_running_server_and_etags_change() {
    let (_store, router) = router(Some(TOKEN));
    let query = "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fd%20a%20esam%3ANewsletter%20%7D";
    let first = etag(&router, query).await;
    let text = "Nyhetsbrev från eSam, januari 2024\n\nTemamöte om arkitektur\n\n\
        Den 17 januari hade eSams koordineringsgrupp arkitektur ett temamöte. Projektet Finansiell status \
        är ett samarbete mellan Skatteverket, Bolagsverket och Kronofogden.\n";
    let (status, content_type, body) = import_as(
        &router,
        "esam-nyhetsbrev-2024-01.txt",
        "text/plain; charset=utf-8",
        text,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(content_type, "application/json");
    let report: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(report["document"], "http://127.0.0.1:7878/id/newsletter/2024-01");
    assert!(report["organisations"].as_u64().unwrap() >= 3, "{report}");
    assert!(ask(&router, "ASK { GRAPH <http://127.0.0.1:7878/id/newsletter/2024-01> { ?m org:member <http://127.0.0.1:7878/id/org/bolagsverket> } }").await);
    let second = etag(&router, query).await;
    assert_ne!(first, second, "the ETag follows the data");

    // The same newsletter under another name is the same newsletter: 409, naming the first.
    let (status, _, body) = import_as(&router, "kopia-av-januari.txt", "text/plain; charset=utf-8", text).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body.contains("already imported as http://127.0.0.1:7878/id/newsletter/2024-01"),
        "{body}"
    );

    // Bad input is refused by name and stores nothing.
    let (status, _, body) = import_as(&router, "empty.txt", "text/plain", "   \n").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("empty.txt"), "{body}");
    let (status, _, _) = send(
        router.clone(),
        request("POST", "/import", "text/plain", Some(&bearer(TOKEN)), text),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn etag(router: &axum::Router, path: &str) -> String {
    use tower::ServiceExt;
    let response = router
        .clone()
        .oneshot(request("GET", path, "", None, Body::empty()))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.headers()[header::ETAG].to_str().unwrap().to_string()
}

/// Readers keep querying while a newsletter is re-imported again and again through the
/// server (two versions of it, of different sizes): no response is an error, and every
/// answer sees the document whole — its triple count equals the count it states.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn readers_never_see_a_document_half_replaced() {
    let (test, router) = router(Some(TOKEN));
    let original =
        std::fs::read_to_string(crate::support::root().join("data/newsletters/esam-nyhetsbrev-2023-12.txt")).unwrap();
    let longer = format!(
        "{original}\n\nExtra\n\nProjektet Finansiell status är ett samarbete mellan Skatteverket, Bolagsverket, \
         Lantmäteriet och Kronofogden.\n"
    );
    let graph = "http://127.0.0.1:7878/id/newsletter/2023-12";
    let check = format!(
        "SELECT ?n ?declared WHERE {{ {{ SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} }} \
         GRAPH <{graph}> {{ <{graph}> void:triples ?declared }} }}"
    );
    let path = format!(
        "/sparql?query={}",
        form_urlencoded::byte_serialize(check.as_bytes()).collect::<String>()
    );
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut readers = Vec::new();
    for _ in 0..3 {
        let (router, path, stop) = (router.clone(), path.clone(), stop.clone());
        readers.push(tokio::spawn(async move {
            let mut answers = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let (status, _, body) = send(router.clone(), request("GET", &path, "", None, Body::empty())).await;
                assert_eq!(status, StatusCode::OK, "{body}");
                let json: serde_json::Value = serde_json::from_str(&body).unwrap();
                let rows = json["results"]["bindings"].as_array().unwrap();
                assert_eq!(rows.len(), 1, "a reader saw the document missing: {body}");
                let row = &rows[0];
                assert_eq!(
                    row["n"]["value"], row["declared"]["value"],
                    "a reader saw a partial graph: {row}"
                );
                answers += 1;
            }
            answers
        }));
    }
    for round in 0..12 {
        let text = if round % 2 == 0 {
            longer.clone()
        } else {
            original.clone()
        };
        let (status, _, body) = import_as(&router, "esam-nyhetsbrev-2023-12.txt", "text/plain", text).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut answers = 0;
    for reader in readers {
        answers += reader.await.unwrap();
    }
    assert!(answers >= 3, "the readers answered {answers} times");
    let check = esam_kg::check::check(&test.store).unwrap();
    assert!(check.is_sound(), "{:?}", check.problems);
}
