//! The curated views over HTTP (in process): each view's rows on the bundled
//! newsletters, parameter validation and injection, every output form, the
//! catalogue as HTML, RDF and OpenAPI.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;

use crate::support::TestStore;

const BASE: &str = "http://127.0.0.1:7878/id/";

struct Response {
    status: StatusCode,
    content_type: String,
    body: String,
}

async fn get_with(router: &axum::Router, path: &str, accept: &str) -> Response {
    let request = Request::get(path)
        .header(header::ACCEPT, accept)
        .body(Body::empty())
        .unwrap();
    let (status, content_type, body) = crate::support::send(router.clone(), request).await;
    Response {
        status,
        content_type,
        body,
    }
}

fn router() -> (TestStore, axum::Router) {
    let test = TestStore::with_newsletters();
    let policy = esam_kg::sparql::QueryPolicy {
        time_limit: std::time::Duration::from_secs(5),
        max_rows: Some(1000),
        memory_limit: Some(esam_kg::sparql::memory::DEFAULT_QUERY_MEMORY),
    };
    let router = esam_kg::server::router(
        test.store.clone(),
        esam_kg::ids::Ids::default(),
        esam_kg::server::Settings::new(policy, crate::support::views()),
    );
    (test, router)
}

/// The JSON rows of a view (all of them: a large page).
async fn rows(router: &axum::Router, view_and_params: &str) -> Vec<Value> {
    let separator = if view_and_params.contains('?') { '&' } else { '?' };
    let response = get_with(
        router,
        &format!("/views/{view_and_params}{separator}limit=1000"),
        "application/json",
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{view_and_params}: {}", response.body);
    assert_eq!(response.content_type, "application/json");
    let json: Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(
        json["total"].as_u64().unwrap() as usize,
        json["rows"].as_array().unwrap().len()
    );
    json["rows"].as_array().unwrap().clone()
}

fn field<'a>(row: &'a Value, key: &str) -> &'a str {
    row[key].as_str().unwrap_or("")
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn participation_lists_organisations_in_groups_with_the_sentence() {
    let (_store, router) = router();
    let all = rows(&router, "participation").await;
    let af = all
        .iter()
        .find(|r| {
            field(r, "organisationName") == "Arbetsförmedlingen"
                && field(r, "groupName") == "Digital samarbetsplattform för offentlig sektor"
        })
        .expect("Arbetsförmedlingen in the collaboration platform project");
    assert!(field(af, "quote").contains("Arbetsförmedlingen"), "{af}");
    assert_eq!(field(af, "newsletter"), format!("{BASE}newsletter/2021-12"));
    let finansiell: Vec<&str> = all
        .iter()
        .filter(|r| field(r, "groupName") == "Finansiell status")
        .map(|r| field(r, "organisationName"))
        .collect();
    assert_eq!(finansiell.len(), 8, "{finansiell:?}");
    assert!(finansiell.contains(&"Centrala studiestödsnämnden"));
    // eSam membership is not participation in a project.
    assert!(all.iter().all(|r| !field(r, "groupName").starts_with("eSam")));

    // By name, genitive and all; by IRI; by period.
    let skatteverket = rows(&router, "participation?organisation=Skatteverkets").await;
    let groups: Vec<&str> = skatteverket.iter().map(|r| field(r, "groupName")).collect();
    assert_eq!(
        groups,
        ["Digital samarbetsplattform för offentlig sektor", "Finansiell status"]
    );
    let by_iri = rows(
        &router,
        &format!(
            "participation?organisation={}",
            encode(&format!("{BASE}org/skatteverket"))
        ),
    )
    .await;
    assert_eq!(by_iri, skatteverket);
    // An IRI must name a labelled organisation of the data: not a group, not an unknown one.
    for (iri, why) in [
        (format!("{BASE}group/finansiell-status"), "a group"),
        (format!("{BASE}org/no-such-authority"), "unknown"),
    ] {
        let response = get_with(
            &router,
            &format!("/views/participation?organisation={}", encode(&iri)),
            "application/json",
        )
        .await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{why}: {}", response.body);
        assert!(response.body.contains("in this dataset"), "{why}: {}", response.body);
    }
    assert!(rows(&router, "participation?to=2021-11-30").await.is_empty());
    assert!(rows(&router, "participation?from=2022-01-01").await.is_empty());
    assert_eq!(
        rows(&router, "participation?from=2021-12-01&to=2021-12-31").await.len(),
        all.len()
    );
    let group = rows(&router, "participation?group=finansiell+status&organisation=CSN").await;
    assert_eq!(group.len(), 1);
}

#[tokio::test]
async fn organisation_and_group_profiles() {
    let (_store, router) = router();
    let fk = rows(&router, "organisation?organisation=FK").await;
    let relations: Vec<(&str, &str)> = fk
        .iter()
        .map(|r| (field(r, "relation"), field(r, "itemName")))
        .collect();
    assert!(
        relations.contains(&("deltar i", "Digital samarbetsplattform för offentlig sektor")),
        "{relations:?}"
    );
    assert!(relations.contains(&("person", "Kenneth Edwall")), "{relations:?}");
    assert!(relations.iter().any(|(r, _)| *r == "omnämnd i"), "{relations:?}");

    let hsam = rows(&router, "group?group=hSam").await;
    let lead = hsam.iter().find(|r| field(r, "relation") == "leds av").expect("a lead");
    assert_eq!(field(lead, "itemName"), "Lena Höglund");
    assert!(
        hsam.iter()
            .any(|r| field(r, "relation") == "angivet antal deltagare" && field(r, "itemName") == "11"),
        "{hsam:?}"
    );
    let steering = rows(&router, "group?group=eSams+styrgrupp").await;
    assert!(
        steering
            .iter()
            .any(|r| field(r, "relation") == "beslut" && field(r, "quote").contains("välkomna tre nya medlemmar")),
        "{steering:?}"
    );
}

#[tokio::test]
async fn people_events_and_decisions() {
    let (_store, router) = router();
    let fia = rows(&router, "people?person=Fia+Ekel%C3%B6f").await;
    assert!(
        fia.iter()
            .any(|r| field(r, "role") == "kanslichef" && field(r, "organisationName") == "eSamverkansprogrammet"),
        "{fia:?}"
    );
    let af_people = rows(&router, "people?organisation=Arbetsf%C3%B6rmedlingen").await;
    assert!(
        af_people.iter().any(|r| field(r, "personName") == "Lena Höglund"),
        "{af_people:?}"
    );

    let november = rows(&router, "events?from=2021-11-01&to=2021-11-30").await;
    let names: Vec<&str> = november.iter().map(|r| field(r, "name")).collect();
    assert!(names.contains(&"Informationsmöte – Finansiell status"), "{names:?}");
    assert!(
        november.iter().all(|r| field(r, "date").starts_with("2021-11")),
        "{november:?}"
    );
    let theme = rows(&router, "events?type=tem%C3%A4m%C3%B6te").await;
    assert!(!theme.is_empty() && theme.iter().all(|r| field(r, "typeName") == "temamöte"));
    let all_events = rows(&router, "events").await;
    // Dated events first, in order.
    let dates: Vec<&str> = all_events
        .iter()
        .map(|r| field(r, "date"))
        .filter(|d| !d.is_empty())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");

    let steering = rows(&router, "decisions?body=styrgruppen").await;
    let welcomed = steering
        .iter()
        .find(|r| field(r, "label").contains("välkomna tre nya medlemmar"))
        .expect("the decision welcoming three members");
    assert_eq!(field(welcomed, "date"), "2021-12-01");
    for name in [
        "Ekonomistyrningsverket",
        "Folkhälsomyndigheten",
        "Statens institutionsstyrelse",
    ] {
        assert!(field(welcomed, "concerns").contains(name), "{welcomed}");
    }
    assert!(steering.iter().all(|r| field(r, "bodyName") == "eSams styrgrupp"));
    assert!(rows(&router, "decisions?from=2024-01-01").await.is_empty());
}

#[tokio::test]
async fn members_as_of_a_day() {
    let (_store, router) = router();
    let names = |rows: &[Value]| {
        rows.iter()
            .map(|r| format!("{} {}", field(r, "organisationName"), field(r, "role")))
            .collect::<Vec<_>>()
    };
    let mid_december = rows(&router, "members?at=2021-12-15").await;
    assert_eq!(
        names(&mid_december),
        [
            "Ekonomistyrningsverket medlem",
            "Folkhälsomyndigheten medlem",
            "Statens institutionsstyrelse medlem"
        ]
    );
    assert!(mid_december.iter().all(|r| field(r, "start") == "2021-12-01"));
    let february = rows(&router, "members?at=2022-02-01").await;
    assert!(names(&february).contains(&"Sveriges Kommuner och Regioner adjungerad".to_string()));
    assert!(rows(&router, "members?at=2021-11-30").await.is_empty());
}

#[tokio::test]
async fn co_participation_search_and_sources() {
    let (_store, router) = router();
    let pairs = rows(&router, "co-participation").await;
    let top = &pairs[0];
    assert_eq!(top["shared"], 2, "{top}");
    let organisation = rows(&router, "co-participation?organisation=Lantm%C3%A4teriet").await;
    assert!(!organisation.is_empty());
    assert!(
        organisation
            .iter()
            .all(|r| field(r, "organisationName") == "Lantmäteriet" || field(r, "otherName") == "Lantmäteriet")
    );

    let found = rows(&router, "search?q=forsakringskassan").await;
    assert_eq!(field(&found[0], "entity"), format!("{BASE}org/forsakringskassan"));
    assert_eq!(field(&found[0], "label"), "Försäkringskassan");
    assert_eq!(found[0]["match"], 0);
    let partial = rows(&router, "search?q=SAMARBETSPLATTFORM").await;
    assert!(
        partial
            .iter()
            .any(|r| field(r, "label") == "Digital samarbetsplattform för offentlig sektor")
    );

    let evidence = rows(&router, "sources?about=Skatteverket").await;
    assert!(
        evidence
            .iter()
            .any(|r| field(r, "quote").starts_with("Projektet Finansiell status är ett samarbete")),
        "{evidence:?}"
    );
    assert!(evidence.iter().all(|r| r["start"].as_u64() < r["end"].as_u64()));
}

#[tokio::test]
async fn parameters_are_terms_never_query_text() {
    let (_store, router) = router();
    for hostile in [
        "\" } SELECT * WHERE { ?s ?p ?o } #",
        "x\"@sv . ?s ?p ?o",
        "a>b",
        "line\nbreak",
        "} UNION { ?s ?p ?o }",
        "DELETE WHERE { ?s ?p ?o }",
    ] {
        // Free text is a literal: it finds nothing, and the query keeps its shape.
        let found = rows(&router, &format!("search?q={}", encode(hostile))).await;
        assert!(found.is_empty(), "{hostile:?} found {found:?}");
        // An IRI parameter must name something real.
        let response = get_with(
            &router,
            &format!("/views/participation?organisation={}", encode(hostile)),
            "application/json",
        )
        .await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{hostile:?}");
        assert!(response.body.contains("\"organisation\""), "{}", response.body);
        // A date is a date.
        let response = get_with(
            &router,
            &format!("/views/events?from={}", encode(hostile)),
            "application/json",
        )
        .await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST);
        assert!(response.body.contains("\"from\"") && response.body.contains("YYYY-MM-DD"));
    }
    // The data is untouched.
    assert_eq!(rows(&router, "participation").await.len(), 16);
}

#[tokio::test]
async fn bad_requests_name_what_was_wrong() {
    let (_store, router) = router();
    let cases: &[(&str, StatusCode, &str)] = &[
        ("/views/nonesuch", StatusCode::NOT_FOUND, "nonesuch"),
        ("/views/events?colour=red", StatusCode::BAD_REQUEST, "\"colour\""),
        (
            "/views/organisation",
            StatusCode::BAD_REQUEST,
            "\"organisation\": is required",
        ),
        ("/views/events?from=2021-02-30", StatusCode::BAD_REQUEST, "\"from\""),
        ("/views/events?limit=0", StatusCode::BAD_REQUEST, "\"limit\""),
        (
            "/views/events?limit=5000",
            StatusCode::BAD_REQUEST,
            "between 1 and 1000",
        ),
        ("/views/events?offset=-1", StatusCode::BAD_REQUEST, "\"offset\""),
        ("/views/events?format=pdf", StatusCode::BAD_REQUEST, "\"format\""),
        (
            "/views/events?from=2021-01-01&from=2022-01-01",
            StatusCode::BAD_REQUEST,
            "more than once",
        ),
        (
            "/views/people?organisation=Nowhere+Agency",
            StatusCode::BAD_REQUEST,
            "nothing named",
        ),
        ("/views/people?format=svg", StatusCode::NOT_ACCEPTABLE, "no picture"),
    ];
    for (path, status, needle) in cases {
        let response = get_with(&router, path, "application/json").await;
        assert_eq!(response.status, *status, "{path}: {}", response.body);
        assert!(response.content_type.starts_with("text/plain"), "{path}");
        assert!(response.body.contains(needle), "{path}: {}", response.body);
    }
    let response = get_with(&router, "/views/events", "image/png").await;
    assert_eq!(response.status, StatusCode::NOT_ACCEPTABLE);
}

#[tokio::test]
async fn every_output_form() {
    let (_store, router) = router();
    // Paging reports the real total.
    let page = get_with(&router, "/views/participation?limit=3&offset=2", "application/json").await;
    let json: Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(
        (json["total"].as_u64(), json["rows"].as_array().unwrap().len()),
        (Some(16), 3)
    );
    assert_eq!(json["offset"], 2);

    let srj = get_with(
        &router,
        "/views/participation?limit=2",
        "application/sparql-results+json",
    )
    .await;
    assert_eq!(srj.content_type, "application/sparql-results+json");
    let srj: Value = serde_json::from_str(&srj.body).unwrap();
    assert_eq!(srj["results"]["bindings"].as_array().unwrap().len(), 2);
    assert_eq!(srj["results"]["bindings"][0]["organisation"]["type"], "uri");

    let csv = get_with(&router, "/views/participation?format=csv", "*/*").await;
    assert!(csv.content_type.starts_with("text/csv"));
    let mut lines = csv.body.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("organisation,organisationName,group,groupName")
    );
    assert_eq!(lines.count(), 16);
    let swedish = get_with(&router, "/views/participation?format=csv&dialect=sv", "*/*").await;
    assert!(swedish.body.starts_with("\u{feff}organisation;organisationName;"));
    // Fields with the separator are quoted.
    assert!(
        csv.body
            .contains("\"Projektets arbetsgrupp har bestått av representanter från Skatteverket, Kronofogden")
    );

    let html = get_with(&router, "/views/participation?organisation=Skatteverket", "text/html").await;
    assert!(html.content_type.starts_with("text/html"));
    assert!(html.body.contains("<table>") && html.body.contains("Rad 1–2 av 2"));
    assert!(
        html.body
            .contains(&format!("<a href=\"{BASE}org/skatteverket\">Skatteverket</a>"))
    );
    assert!(
        html.body.contains("esam:param(&quot;organisation&quot;)"),
        "the query is shown, escaped"
    );
    assert!(html.body.contains("/sparql#query="));

    for view in ["participation", "co-participation", "events"] {
        let svg = get_with(&router, &format!("/views/{view}?format=svg"), "*/*").await;
        assert_eq!(svg.status, StatusCode::OK, "{view}: {}", svg.body);
        assert_eq!(svg.content_type, "image/svg+xml");
        assert!(svg.body.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.body.trim_end().ends_with("</svg>"));
        crate::support::assert_well_formed_xml(&svg.body);
    }
    let etag = get_with(&router, "/views/events", "application/json").await;
    assert_eq!(etag.status, StatusCode::OK);
}

#[tokio::test]
async fn the_catalogue_describes_itself() {
    let (_store, router) = router();
    let index = get_with(&router, "/views", "text/html").await;
    for view in [
        "participation",
        "organisation",
        "group",
        "people",
        "events",
        "decisions",
        "members",
        "co-participation",
        "search",
        "sources",
    ] {
        assert!(index.body.contains(&format!("href=\"/views/{view}\"")), "{view}");
    }
    let turtle = get_with(&router, "/views", "text/turtle").await;
    assert_eq!(turtle.content_type, "text/turtle");
    let graph: Vec<_> = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(turtle.body.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    let selects = graph
        .iter()
        .filter(|q| q.predicate.as_str() == "http://www.w3.org/ns/shacl#select")
        .count();
    assert!(selects >= 10, "{selects}");

    let openapi = get_with(&router, "/openapi.json", "*/*").await;
    let document: Value = serde_json::from_str(&openapi.body).unwrap();
    assert_eq!(document["openapi"], "3.0.3");
    let participation = &document["paths"]["/views/participation"]["get"];
    let names: Vec<&str> = participation["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, ["organisation", "group", "from", "to"]);
    assert!(participation["responses"]["200"]["content"]["image/svg+xml"].is_object());
}

#[tokio::test]
async fn building_blocks_view_links_projects_to_blocks() {
    let (_store, router) = router();
    let all = rows(&router, "building-blocks").await;
    let row = all
        .iter()
        .find(|r| field(r, "groupName") == "Finansiell status" && field(r, "blockName") == "Tillitsramverk")
        .expect("Finansiell status touches Tillitsramverk");
    assert_eq!(field(row, "responsibleName"), "E-hälsomyndigheten");
    assert!(field(row, "quote").contains("byggblock Tillitsramverk"), "{row}");
    assert_eq!(
        rows(&router, "building-blocks?block=tillitsramverk").await.len(),
        all.len()
    );
}

/// An agency keeps its identity across renames: the views name it as it was called when the
/// newsletter was issued, and a name two agencies bore means the one that bore it then
/// (Statskontoret before 2026 is the old agency; from 2026 it is the former Ekonomistyrningsverket).
#[tokio::test]
async fn organisations_are_named_as_they_were_when_the_newsletter_was_issued() {
    let test = TestStore::with_newsletters();
    let importer = crate::support::importer();
    let item = |month: &str| {
        format!(
            "Nyhetsbrev från eSam\n\n{month}\n\nNytt projekt\n\nProjektet Gemensam styrning är ett samarbete mellan \
             Statskontoret, Skatteverket och Försäkringskassan.\n"
        )
    };
    for (name, month) in [
        ("esam-nyhetsbrev-2021-03.txt", "Mars 2021"),
        ("esam-nyhetsbrev-2026-03.txt", "Mars 2026"),
    ] {
        importer
            .import_bytes(&test.store, name, item(month).as_bytes())
            .unwrap();
    }
    let router = esam_kg::server::router(
        test.store.clone(),
        esam_kg::ids::Ids::default(),
        crate::support::settings(5, 1000),
    );
    let statskontoret: Vec<(String, String)> = rows(&router, "participation?group=Gemensam+styrning")
        .await
        .iter()
        .filter(|r| field(r, "organisationName") == "Statskontoret")
        .map(|r| (field(r, "newsletter").to_string(), field(r, "organisation").to_string()))
        .collect();
    assert_eq!(
        statskontoret,
        [
            (
                format!("{BASE}newsletter/2021-03"),
                format!("{BASE}org/statskontoret-gamla")
            ),
            (
                format!("{BASE}newsletter/2026-03"),
                format!("{BASE}org/ekonomistyrningsverket")
            ),
        ]
    );
    // MSB in December 2021: still named as then, though its official name is now another.
    let msb = format!("{BASE}org/myndigheten-for-samhallsskydd-och-beredskap");
    let rows_2021 = rows(&router, &format!("participation?organisation={}", encode(&msb))).await;
    assert!(!rows_2021.is_empty());
    assert!(
        rows_2021
            .iter()
            .all(|r| field(r, "organisationName") == "Myndigheten för samhällsskydd och beredskap"),
        "{rows_2021:?}"
    );
    assert!(test.ask(&format!(
        "ASK {{ <{msb}> skos:prefLabel \"Myndigheten för civilt försvar\"@sv ; \
         esam:hasName [ skos:prefLabel \"Myndigheten för samhällsskydd och beredskap\"@sv ; schema:validFrom ?from ] }}"
    )));
    // A reader who prefers English gets English labels, in JSON as in HTML.
    let request = Request::get(format!("/views/participation?organisation={}", encode(&msb)))
        .header(header::ACCEPT, "application/json")
        .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9,sv;q=0.5")
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = crate::support::send(router.clone(), request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let json: Value = serde_json::from_str(&body).unwrap();
    let first = &json["rows"][0];
    assert_eq!(
        field(first, "organisationName"),
        "Swedish Civil Defence and Resilience Agency"
    );
    let request = Request::get("/views/participation?format=html")
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(Body::empty())
        .unwrap();
    let (_, _, page) = crate::support::send(router.clone(), request).await;
    assert!(
        page.contains("<html lang=\"en\">") && page.contains("Other formats"),
        "{page}"
    );
    assert!(page.contains("Swedish Public Employment Service"));
}

type Prepare = fn(
    &str,
    &esam_kg::sparql::Dataset,
    Vec<(String, oxigraph::model::Term)>,
) -> Result<esam_kg::sparql::PreparedQuery, esam_kg::sparql::SparqlError>;

/// The rows of `view` prepared by `prepare`, as sorted text.
fn sorted_rows(
    store: &esam_kg::store::Store,
    prepare: Prepare,
    view: &esam_kg::views::View,
    bindings: &[(String, oxigraph::model::Term)],
) -> Vec<String> {
    let query = prepare(&view.query, &esam_kg::sparql::Dataset::default(), bindings.to_vec()).unwrap();
    let oxigraph::sparql::QueryResults::Solutions(solutions) = esam_kg::sparql::execute(store, query).unwrap() else {
        panic!("{} is not a SELECT", view.name)
    };
    let mut rows: Vec<String> = solutions.map(|row| format!("{:?}", row.unwrap().values())).collect();
    rows.sort();
    rows
}

/// Parameters as constants the planner sees (`sparql::params`) answer exactly what the same
/// parameters answer through `esam:param` at evaluation: every view, each parameter with an
/// example (or a typical value) given alone, with the required ones.
#[test]
fn parameters_as_constants_answer_as_the_parameter_function_does() {
    let store = TestStore::with_newsletters();
    let views = crate::support::views();
    let mut compared = 0;
    for view in views.iter() {
        let required: Vec<(String, String)> = view
            .params
            .iter()
            .filter(|p| p.required && p.default.is_none())
            .filter_map(|p| Some((p.name.clone(), p.example.clone()?)))
            .collect();
        let mut sets = vec![required.clone()];
        for param in view.params.iter().filter(|p| !p.required) {
            let typical = match param.name.as_str() {
                "organisation" | "about" => Some("Skatteverket"),
                "group" => Some("hSam"),
                "from" | "at" => Some("2022-01-01"),
                "to" => Some("2023-06-30"),
                _ => None,
            };
            if let Some(example) = param.example.as_deref().or(typical) {
                let mut set = required.clone();
                set.push((param.name.clone(), example.to_string()));
                sets.push(set);
            }
        }
        for pairs in sets {
            let bound = esam_kg::views::params::bind(&store.store, view, &pairs, "2026-01-01", 10_000).unwrap();
            let constants = sorted_rows(
                &store.store,
                esam_kg::sparql::prepare_with_params,
                view,
                &bound.bindings,
            );
            let function = sorted_rows(
                &store.store,
                esam_kg::sparql::prepare_with_param_function,
                view,
                &bound.bindings,
            );
            assert_eq!(constants, function, "{} with {pairs:?}", view.name);
            compared += 1;
        }
    }
    assert!(compared > 20, "only {compared} parameter sets compared");
}
