//! Linked-data publication over HTTP (in process): every kind of entity IRI
//! dereferences (303 → description) in every format, each format parses back to
//! the same graph, unknown/retired/replaced identifiers, suffixes and `Vary`,
//! escaping on pages, the home page, and canonical dumps with stable digests.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNode, Triple};
use tower::ServiceExt;

use crate::support::{TestStore, send};

const BASE: &str = "http://127.0.0.1:7878/id/";
const TOKEN: &str = "a-long-enough-test-token";

fn router(test: &TestStore) -> axum::Router {
    crate::support::app(
        &test.store,
        esam_kg::server::Settings {
            update_token: Some(TOKEN.into()),
            importer: Some(crate::support::importer()),
            ..crate::support::settings(10, 10_000)
        },
    )
}

async fn raw(router: &axum::Router, path: &str, accept: &str) -> axum::response::Response {
    router
        .clone()
        .oneshot(
            Request::get(path)
                .header(header::ACCEPT, accept)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap()
}

fn graph(format: RdfFormat, body: &str) -> Graph {
    let mut graph = Graph::new();
    for quad in RdfParser::from_format(format).for_slice(body.as_bytes()) {
        graph.insert(&Triple::from(quad.unwrap()));
    }
    graph
}

/// Runs a SPARQL update with the token; it must succeed.
async fn sparql_update(router: &axum::Router, update: &str) {
    let (status, _, body) = send(
        router.clone(),
        Request::post("/update")
            .header(header::CONTENT_TYPE, "application/sparql-update")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::from(update.to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
}

/// Same graph up to blank-node names (both canonicalised with RDFC-1.0).
fn isomorphic(a: &Graph, b: &Graph) -> bool {
    use oxigraph::model::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
    let algorithm = CanonicalizationAlgorithm::Rdfc10 {
        hash_algorithm: CanonicalizationHashAlgorithm::Sha256,
    };
    let (mut a, mut b) = (a.clone(), b.clone());
    a.canonicalize(algorithm);
    b.canonicalize(algorithm);
    a == b
}

/// One entity of each kind, as the bundled newsletters produce them.
const ENTITIES: &[&str] = &[
    "org/skatteverket",
    "person/fia-ekelof",
    "group/finansiell-status",
    "event/2021-12-1",
    "decision/2021-12-1",
    "newsletter/2023-12",
    "newsletter/2021-12/membership/22",
];

#[tokio::test]
async fn every_kind_dereferences_in_every_format_to_the_same_graph() {
    let test = TestStore::with_newsletters();
    let router = router(&test);
    for entity in ENTITIES {
        let response = raw(&router, &format!("/id/{entity}"), "text/turtle").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{entity}");
        assert_eq!(response.headers()[header::LOCATION], format!("/doc/{entity}"));
        assert!(
            response.headers()[header::LINK]
                .to_str()
                .unwrap()
                .contains("rel=\"describedby\"")
        );

        let iri = NamedNode::new(format!("{BASE}{entity}")).unwrap();
        let expected: Graph = esam_kg::linked::describe(&test.store, &iri).unwrap().iter().collect();
        assert!(
            expected.iter().any(|t| t.subject == iri.as_ref().into()),
            "{entity} has statements of its own"
        );
        for (accept, suffix, format) in [
            ("text/turtle", ".ttl", RdfFormat::Turtle),
            ("application/n-triples", ".nt", RdfFormat::NTriples),
            (
                "application/ld+json",
                ".jsonld",
                RdfFormat::JsonLd {
                    profile: oxigraph::io::JsonLdProfileSet::empty(),
                },
            ),
            ("application/rdf+xml", ".rdf", RdfFormat::RdfXml),
        ] {
            let negotiated = raw(&router, &format!("/doc/{entity}"), accept).await;
            assert_eq!(negotiated.status(), StatusCode::OK, "{entity} {accept}");
            assert_eq!(negotiated.headers()[header::CONTENT_TYPE], format.media_type());
            assert!(negotiated.headers()[header::VARY].to_str().unwrap().contains("Accept"));
            let links = negotiated.headers()[header::LINK].to_str().unwrap().to_string();
            assert!(
                links.contains(&format!("</doc/{entity}.ttl>; rel=\"alternate\"")),
                "{links}"
            );
            let body = axum::body::to_bytes(negotiated.into_body(), usize::MAX).await.unwrap();
            let parsed = graph(format, std::str::from_utf8(&body).unwrap());
            assert!(
                isomorphic(&parsed, &expected),
                "{entity} as {accept} differs from the store's description"
            );

            let (status, content_type, text) = send(
                router.clone(),
                Request::get(format!("/doc/{entity}{suffix}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(content_type, format.media_type());
            assert!(isomorphic(&graph(format, &text), &expected), "{entity}{suffix}");
        }
        let html = raw(&router, &format!("/doc/{entity}"), "text/html").await;
        assert_eq!(html.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
    }
    // The description holds what the store says about the resource, including what points at it.
    let expected = test.select(&format!(
        "SELECT (COUNT(*) AS ?n) WHERE {{ <{BASE}org/skatteverket> ?p ?o }}"
    ));
    let own: usize = expected[0][0].parse().unwrap();
    let described =
        esam_kg::linked::describe(&test.store, &NamedNode::new(format!("{BASE}org/skatteverket")).unwrap()).unwrap();
    let subject = NamedNode::new(format!("{BASE}org/skatteverket")).unwrap();
    assert_eq!(
        described
            .iter()
            .filter(|t| t.subject == subject.as_ref().into())
            .count(),
        own
    );
    assert!(
        described
            .iter()
            .any(|t| t.object == subject.clone().into() && t.predicate.as_str().ends_with("mentionOf"))
    );
}

#[tokio::test]
async fn pages_show_labels_links_and_sources() {
    let test = TestStore::with_newsletters();
    let router = router(&test);
    let (status, _, page) = send(
        router.clone(),
        Request::get("/doc/org/skatteverket")
            .header(header::ACCEPT, "text/html")
            .header(header::ACCEPT_LANGUAGE, "sv")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<h1>Skatteverket</h1>"), "Swedish label first");
    assert!(
        page.contains("href=\"http://www.wikidata.org/entity/Q836916\" rel=\"external\""),
        "outbound link"
    );
    assert!(page.contains("Finansiell status"), "incoming membership, labelled");
    assert!(
        page.contains("<blockquote lang=\"sv\">Projektet Finansiell status är ett samarbete"),
        "the source sentence"
    );
    let (_, _, english) = send(
        router.clone(),
        Request::get("/doc/org/skatteverket.html")
            .header(header::ACCEPT_LANGUAGE, "en")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        english.contains("<h1>Swedish Tax Agency</h1>"),
        "Accept-Language chooses the label"
    );
    // ... and the language of the page's own words.
    assert!(
        english.contains("<html lang=\"en\">")
            && english.contains(">Properties</h2>")
            && english.contains(">Sources</h2>")
    );
    assert!(page.contains("<html lang=\"sv\">") && page.contains(">Egenskaper</h2>") && page.contains(">Källor</h2>"));
}

#[tokio::test]
async fn unknown_retired_and_replaced_identifiers() {
    let test = TestStore::with_newsletters();
    let router = router(&test);
    for path in ["/id/org/nonesuch", "/doc/org/nonesuch", "/doc/org/nonesuch.ttl"] {
        let response = raw(&router, path, "text/turtle").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let update = format!(
        "INSERT DATA {{ <{BASE}org/old-name> dcterms:isReplacedBy <{BASE}org/skatteverket> . \
         <{BASE}org/gone> owl:deprecated true }}"
    );
    sparql_update(&router, &update).await;
    let replaced = raw(&router, "/id/org/old-name", "text/html").await;
    assert_eq!(replaced.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(replaced.headers()[header::LOCATION], format!("{BASE}org/skatteverket"));
    assert_eq!(
        raw(&router, "/id/org/gone", "text/html").await.status(),
        StatusCode::GONE
    );
    assert_eq!(
        raw(&router, "/doc/org/gone.ttl", "*/*").await.status(),
        StatusCode::GONE
    );
    assert_eq!(
        raw(&router, "/doc/org/skatteverket", "image/png").await.status(),
        StatusCode::NOT_ACCEPTABLE
    );
}

#[tokio::test]
async fn pages_escape_what_they_print() {
    let test = TestStore::with_newsletters();
    let router = router(&test);
    let update = format!(
        "INSERT DATA {{ <{BASE}org/skatteverket> skos:altLabel \"<script>alert('x')</script> & \\\"quoted\\\"\"@sv . \
         <{BASE}person/x> foaf:name \"<img src=x onerror=alert(1)>\" ; org:memberOf <{BASE}org/skatteverket> }}"
    );
    sparql_update(&router, &update).await;
    for path in ["/doc/org/skatteverket.html", "/doc/person/x.html"] {
        let (_, _, page) = send(router.clone(), Request::get(path).body(Body::empty()).unwrap()).await;
        assert!(!page.contains("<script>alert"), "{path}");
        assert!(!page.contains("<img src=x"), "{path}");
    }
    let (_, _, page) = send(
        router.clone(),
        Request::get("/doc/org/skatteverket.html").body(Body::empty()).unwrap(),
    )
    .await;
    assert!(
        page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"),
        "shown as text"
    );
}

#[tokio::test]
async fn the_home_page_counts_and_links() {
    let test = TestStore::with_newsletters();
    let router = router(&test);
    let (status, content_type, page) = send(router.clone(), Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"));
    for needle in [
        "<th scope=\"row\">nyhetsbrev</th><td>2</td>",
        "href=\"http://127.0.0.1:7878/id/newsletter/2023-12\"",
        "href=\"/views\"",
        "href=\"/sparql\"",
        "href=\"/dump.nq\"",
        "href=\"/dataset\"",
        "action=\"/views/search\"",
    ] {
        assert!(page.contains(needle), "{needle} missing");
    }
    let (_, _, english) = send(
        router.clone(),
        Request::get("/")
            .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        english.contains("<h1>The eSam graph</h1>") && english.contains("<th scope=\"row\">documents</th><td>2</td>")
    );
}

async fn dump(router: &axum::Router, name: &str) -> (String, Vec<u8>) {
    let response = raw(router, name, "*/*").await;
    assert_eq!(response.status(), StatusCode::OK, "{name}");
    let etag = response
        .headers()
        .get(header::ETAG)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    (etag, body)
}

#[tokio::test]
async fn dumps_are_canonical_and_their_digest_moves_only_with_the_data() {
    let first_store = TestStore::with_newsletters();
    let second_store = TestStore::with_newsletters();
    let (first, second) = (router(&first_store), router(&second_store));
    for name in ["/dump.nq", "/dump.nq.gz", "/dump.ttl"] {
        let (tag_a, body_a) = dump(&first, name).await;
        let (tag_b, body_b) = dump(&second, name).await;
        assert_eq!(body_a, body_b, "{name} differs between two imports of the same files");
        assert_eq!(tag_a, tag_b);
        assert_eq!(tag_a, format!("\"sha256-{}\"", esam_kg::dump::sha256_hex(&body_a)));
    }
    let (_, nquads) = dump(&first, "/dump.nq").await;
    let text = String::from_utf8(nquads.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
    assert_eq!(lines.len(), first_store.store.len().unwrap());
    let (_, sums) = dump(&first, "/dump.sha256").await;
    assert!(
        String::from_utf8(sums)
            .unwrap()
            .contains(&format!("{}  esam-kg-dump.nq\n", esam_kg::dump::sha256_hex(&nquads)))
    );

    // A new newsletter changes the dump and its digest.
    let (status, _, body) = send(
        first.clone(),
        Request::post("/import?name=esam-nyhetsbrev-2024-01.txt")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::from(
                "Nyhetsbrev från eSam, januari 2024\n\nSkatteverket och Bolagsverket.\n",
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (tag_after, after) = dump(&first, "/dump.nq").await;
    assert_ne!(after, nquads);
    assert_eq!(tag_after, format!("\"sha256-{}\"", esam_kg::dump::sha256_hex(&after)));
}

#[tokio::test]
async fn the_dataset_description_in_each_format_with_the_portal_publisher() {
    let test = TestStore::with_newsletters();
    let router = crate::support::app(
        &test.store,
        esam_kg::server::Settings {
            publication: esam_kg::linked::dataset::Publication {
                publisher_name: "Myndigheten för digital förvaltning".into(),
                publisher_orgnr: Some("2021006883".into()),
                contact_email: "info@example.se".into(),
                licence: "http://creativecommons.org/publicdomain/zero/1.0/".into(),
            },
            ..crate::support::settings(10, 10_000)
        },
    );
    let thing = raw(&router, "/id/dcat/dataset", "text/turtle").await;
    assert_eq!(thing.status(), StatusCode::SEE_OTHER);
    assert_eq!(thing.headers()[header::LOCATION], "/dataset");
    let (_, content_type, rdfxml) = send(router.clone(), Request::get("/dataset").body(Body::empty()).unwrap()).await;
    assert_eq!(content_type, "application/rdf+xml", "what the portal harvests");
    let described = graph(RdfFormat::RdfXml, &rdfxml);
    let (_, _, turtle) = send(
        router.clone(),
        Request::get("/dataset.ttl").body(Body::empty()).unwrap(),
    )
    .await;
    assert!(isomorphic(&graph(RdfFormat::Turtle, &turtle), &described));
    assert!(
        turtle.contains("<http://dataportal.se/organisation/SE2021006883>"),
        "{turtle}"
    );
    assert!(turtle.contains("<http://creativecommons.org/publicdomain/zero/1.0/>"));
    assert!(
        turtle.contains("dcat:startDate \"2021-11-09\"^^xsd:date"),
        "coverage from the data: {turtle}"
    );
    // The published checksum is the dump's.
    let (_, nquads) = dump(&router, "/dump.nq").await;
    assert!(turtle.contains(&esam_kg::dump::sha256_hex(&nquads)));
    let (_, content_type, html) = send(
        router.clone(),
        Request::get("/dataset")
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(content_type.starts_with("text/html"));
    assert!(html.contains("Deltagande, personer, händelser och beslut"), "{html}");
}

#[tokio::test]
async fn the_ontology_is_served_at_its_page() {
    let test = TestStore::with_newsletters();
    let router = router(&test);
    let (status, content_type, page) = send(
        router.clone(),
        Request::get("/ns")
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"));
    assert!(page.contains("<h3>esam:Decision</h3>") && page.contains("lang=\"en\""));
    let (_, content_type, turtle) = send(router.clone(), Request::get("/ns.ttl").body(Body::empty()).unwrap()).await;
    assert!(content_type.starts_with("text/turtle"));
    assert!(graph(RdfFormat::Turtle, &turtle).len() > 50);
}

#[tokio::test]
async fn the_atom_feed_follows_imports() {
    let test = TestStore::with_newsletters();
    let router = crate::support::app(
        &test.store,
        esam_kg::server::Settings {
            update_token: Some(TOKEN.into()),
            importer: Some(crate::support::importer()),
            ..crate::support::settings(10, 100)
        },
    );
    let (status, content_type, feed) = send(
        router.clone(),
        Request::get("/changes.atom").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/atom+xml; charset=utf-8");
    crate::support::assert_well_formed_xml(&feed);
    assert_eq!(feed.matches("<entry>").count(), 2, "one entry per imported newsletter");
    assert!(feed.contains("Nytt: esam-nyhetsbrev-2021-12.txt"), "{feed}");

    // Re-import the 2023 newsletter with one organisation more: the feed says what came.
    let text = std::fs::read_to_string(crate::support::root().join("data/newsletters/esam-nyhetsbrev-2023-12.txt"))
        .unwrap()
        + "\n\nSjöfartsverket deltar också.\n";
    let (status, _, body) = send(
        router.clone(),
        Request::post("/import?name=esam-nyhetsbrev-2023-12.txt")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::from(text))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, _, feed) = send(
        router.clone(),
        Request::get("/changes.atom").body(Body::empty()).unwrap(),
    )
    .await;
    crate::support::assert_well_formed_xml(&feed);
    let newest = &feed[feed.find("<entry>").unwrap()..feed.find("</entry>").unwrap()];
    assert!(
        newest.contains("Importerat på nytt: esam-nyhetsbrev-2023-12.txt"),
        "{newest}"
    );
    assert!(newest.contains("Tillkom: 1."), "{newest}");
    assert!(newest.contains("id/org/sjofartsverket"), "{newest}");
}

#[tokio::test]
async fn suppressed_people_are_not_published() {
    let dir = temp_dir::TempDir::new().unwrap();
    let store = esam_kg::store::Store::open(&dir.path().join("store")).unwrap();
    let importer = crate::support::importer().with_suppressed(vec!["Fia Ekelöf".into()]);
    importer.store_reference(&store).unwrap();
    for file in crate::support::newsletters() {
        importer.import_file(&store, &file).unwrap();
    }
    let router = crate::support::app(
        &store,
        esam_kg::server::Settings {
            suppressed: vec!["Fia Ekelöf".into()],
            ..crate::support::settings(10, 100)
        },
    );
    // Neither her person node nor her name in any quote or label; the sentences stay, redacted.
    let (_, _, dump) = send(router.clone(), Request::get("/dump.nq").body(Body::empty()).unwrap()).await;
    assert!(
        !dump.contains("Ekelöf") && !dump.contains("fia-ekelof"),
        "the dump still names her"
    );
    assert!(
        dump.contains("[namn borttaget]"),
        "the quotes are kept, with the name removed"
    );
    assert_eq!(
        raw(&router, "/id/person/fia-ekelof", "text/html").await.status(),
        StatusCode::GONE
    );
    // Others are published as before.
    assert_eq!(
        raw(&router, "/id/person/jonas-ohrnell", "text/html").await.status(),
        StatusCode::SEE_OTHER
    );
}

/// No route reads a file named by the request: traversal in any path that serves content
/// (the UI's assets, descriptions, views, identifiers, dumps) answers 404 or 400 and never the
/// file's text.
#[tokio::test]
async fn path_traversal_reaches_no_file() {
    let test = crate::support::TestStore::with_newsletters();
    let router = crate::support::app(&test.store, crate::support::settings(10, 1000));
    for path in [
        "/ui/../Cargo.toml",
        "/ui/%2e%2e/%2e%2e/etc/passwd",
        "/ui/..%2F..%2F..%2Fetc%2Fpasswd",
        "/doc/org/..%2F..%2F..%2Fetc%2Fpasswd",
        "/doc/org/skatteverket%2F..%2F..%2FCargo.toml.ttl",
        "/id/..%2F..%2FCargo.toml",
        "/views/..%2F..%2FCargo.toml",
        "/views/%2e%2e%2fCargo.toml?format=html",
        "/dump.nq%2F..%2F..%2Fetc%2Fpasswd",
        "/ns/..%2F..%2Fontology%2Fesam.ttl",
        "/import?name=..%2F..%2Fetc%2Fpasswd",
    ] {
        let request = axum::http::Request::get(path).body(axum::body::Body::empty()).unwrap();
        let (status, _, body) = crate::support::send(router.clone(), request).await;
        assert!(
            status.is_client_error(),
            "{path}: {status} {}",
            &body[..body.len().min(200)]
        );
        assert!(
            !body.contains("root:") && !body.contains("[package]") && !body.contains("@prefix esam:"),
            "{path} leaked a file"
        );
    }
}
