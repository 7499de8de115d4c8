//! What the importer reads in the two bundled newsletters: people with their
//! organisations and roles, groups with members and leads, events and
//! decisions — expected values written by reading the texts, checked through
//! SPARQL with the contract's terms.

use std::sync::OnceLock;

use crate::support::TestStore;

fn store() -> &'static TestStore {
    static STORE: OnceLock<TestStore> = OnceLock::new();
    STORE.get_or_init(TestStore::with_newsletters)
}

const DOC_2021: &str = "http://127.0.0.1:7878/id/newsletter/2021-12";
const DOC_2023: &str = "http://127.0.0.1:7878/id/newsletter/2023-12";

/// (name, organisation, role) of every person in a document.
fn people(document: &str) -> Vec<(String, String, String)> {
    let rows = store().select(&format!(
        "SELECT ?name (SAMPLE(?orgName) AS ?org) (SAMPLE(?roleName) AS ?role) WHERE {{ GRAPH <{document}> {{
            ?p a foaf:Person ; foaf:name ?name .
            OPTIONAL {{ ?m a org:Membership ; org:member ?p ; org:organization ?o . ?o a org:Organization ; skos:prefLabel ?orgName }}
            OPTIONAL {{ ?m2 a org:Membership ; org:member ?p ; org:role/skos:prefLabel ?roleName . FILTER NOT EXISTS {{ ?m2 org:organization/a org:OrganizationalCollaboration }} }}
        }} }} GROUP BY ?name ORDER BY ?name"
    ));
    rows.into_iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
        .collect()
}

fn person(name: &str, org: &str, role: &str) -> (String, String, String) {
    (name.into(), org.into(), role.into())
}

#[test]
fn people_of_the_2021_newsletter_with_organisation_and_role() {
    assert_eq!(
        people(DOC_2021),
        vec![
            person("Annemieke Ålenius", "E-hälsomyndigheten", "avdelningschef"),
            person("Christina Wikström", "Wikström & Partners Advokatbyrå AB", ""),
            person("Fia Ekelöf", "eSamverkansprogrammet", "kanslichef"),
            person("Jonas Öhrnell", "Bolagsverket", ""),
            person(
                "Katrin Westling Palm",
                "Skatteverket",
                "ordförande för eSams styrgrupp och GD"
            ),
            person(
                "Kenneth Edwall",
                "Försäkringskassan",
                "en av medlemmarna i arbetsgruppen"
            ),
            person("Linda Lindström", "eSamverkansprogrammet", "jurist"),
            person(
                "Patrik Sundström",
                "Sveriges Kommuner och Regioner",
                "Chief Digital Officer"
            ),
        ]
    );
}

#[test]
fn people_of_the_2023_newsletter_with_organisation_and_role() {
    assert_eq!(
        people(DOC_2023),
        vec![
            // Lena Höglund and Camilla Persson lead the groups whose "färdledarna" the item
            // introduces (as the gold reading has it).
            person("Camilla Persson", "Statens tjänstepensionsverk", "färdledare"),
            person("Eric Thorén", "Skatteverket", "färdledare"),
            person("Fia Ekelöf", "eSamverkansprogrammet", "kanslichef"),
            person("Lena Höglund", "Arbetsförmedlingen", "färdledare"),
        ]
    );
}

#[test]
fn a_person_named_in_two_newsletters_is_one_node() {
    let graphs = store()
        .column("SELECT DISTINCT ?g WHERE { GRAPH ?g { <http://127.0.0.1:7878/id/person/fia-ekelof> a foaf:Person } }");
    assert_eq!(graphs, vec![DOC_2021.to_string(), DOC_2023.to_string()]);
}

fn members(group: &str) -> Vec<String> {
    store().column(&format!(
        "SELECT DISTINCT ?name WHERE {{ ?g skos:prefLabel \"{group}\"@sv ; org:hasMember ?o . ?o skos:prefLabel ?name FILTER(lang(?name) = 'sv') }}"
    ))
}

#[test]
fn project_members_from_lists_of_participants() {
    let mut expected = vec![
        "Kronofogdemyndigheten",
        "Bolagsverket",
        "Centrala studiestödsnämnden",
        "Sveriges Kommuner och Regioner",
        "Lantmäteriet",
        "Migrationsverket",
        "Skatteverket",
        "Transportstyrelsen",
    ];
    expected.sort();
    assert_eq!(members("Finansiell status"), expected);
    let mut expected = vec![
        "Skatteverket",
        "Kronofogdemyndigheten",
        "Arbetsförmedlingen",
        "Bolagsverket",
        "Försäkringskassan",
        "Länsstyrelserna",
        // MSB, by its official name now (the views name it as it was then).
        "Myndigheten för civilt försvar",
        "Trafikverket",
    ];
    expected.sort();
    assert_eq!(members("Digital samarbetsplattform för offentlig sektor"), expected);
}

#[test]
fn contributors_are_not_members() {
    let members = members("Digital samarbetsplattform för offentlig sektor");
    assert!(!members.contains(&"Boverket".to_string()));
    assert!(!members.contains(&"Jämställdhetsmyndigheten".to_string()));
}

#[test]
fn group_leads_and_stated_counts() {
    let leads = store().select(
        "SELECT ?group ?person WHERE { ?g esam:ledBy ?p ; skos:prefLabel ?group . ?p foaf:name ?person } ORDER BY ?group",
    );
    let leads: Vec<(String, String)> = leads.into_iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    assert_eq!(
        leads,
        vec![
            ("AI-mönster för tillämpningar".into(), "Jonas Öhrnell".into()),
            ("KomSam".into(), "Camilla Persson".into()),
            ("hSam".into(), "Lena Höglund".into()),
        ]
    );
    let counts = store()
        .select("SELECT ?group ?n WHERE { ?g esam:statedMemberCount ?n ; skos:prefLabel ?group } ORDER BY ?group");
    assert!(
        counts.contains(&vec!["hSam".to_string(), "11".to_string()]),
        "{counts:?}"
    );
    assert!(
        counts.contains(&vec!["KomSam".to_string(), "11".to_string()]),
        "{counts:?}"
    );
    assert!(
        counts.contains(&vec!["AI-mönster för tillämpningar".to_string(), "11".to_string()]),
        "{counts:?}"
    );
}

#[test]
fn groups_and_bodies_of_both_newsletters() {
    let groups = store().column(
        "SELECT DISTINCT ?name WHERE { ?d a esam:Newsletter ; schema:mentions ?g . { ?g a org:OrganizationalCollaboration } UNION { ?g a org:OrganizationalUnit } ?g skos:prefLabel ?name FILTER NOT EXISTS { ?g a org:FormalOrganization } }",
    );
    for expected in [
        "Finansiell status",
        "AI-mönster för tillämpningar",
        "Digital samarbetsplattform för offentlig sektor",
        "hSam",
        "KomSam",
        "dSam",
        "eSams styrgrupp",
        "expertgrupp juridik",
        "koordineringsgrupp arkitektur",
        "Samordningsgruppen",
        "sakområdesgrupp kommunikation",
        "expert- och sakområdesgrupp säkerhet",
        "utvecklingsforums utskott",
        "sakområdesgrupp arkitektur",
    ] {
        assert!(
            groups.contains(&expected.to_string()),
            "missing {expected} in {groups:#?}"
        );
    }
    for not_a_group in ["Teams", "Nextcloud", "Vision e-hälsa 2025", "Kalendarium"] {
        assert!(!groups.contains(&not_a_group.to_string()), "{not_a_group}");
    }
    let steering = store().ask("ASK { <http://127.0.0.1:7878/id/group/esams-styrgrupp> a org:OrganizationalUnit ; org:unitOf <http://127.0.0.1:7878/id/org/esamverkansprogrammet> }");
    assert!(steering);
}

/// (type, date, participants) of the dated events of a document.
fn events(document: &str) -> Vec<(String, String, String)> {
    store()
        .select(&format!(
            "SELECT ?type ?date ?n WHERE {{ GRAPH <{document}> {{ ?e a schema:Event ; esam:eventType/skos:prefLabel ?type . OPTIONAL {{ ?e schema:startDate ?date }} OPTIONAL {{ ?e esam:participantCount ?n }} }} }} ORDER BY ?date ?type"
        ))
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
        .collect()
}

fn event(kind: &str, date: &str, n: &str) -> (String, String, String) {
    (kind.into(), date.into(), n.into())
}

#[test]
fn events_of_the_2021_newsletter_with_dates_and_participants() {
    assert_eq!(
        events(DOC_2021),
        vec![
            event("nätverksträff", "", ""),
            event("informationsmöte", "2021-11-09", "70"),
            event("temamöte", "2021-11-19", "65"),
            event("utbildning", "2021-11-25", "75"),
            event("möte", "2021-12-01", ""),
            event("möte", "2021-12-03", ""),
            event("möte", "2021-12-08", ""),
            event("temamöte", "2021-12-08", ""),
            event("möte", "2021-12-14", ""),
            event("möte", "2021-12-15", ""),
            event("möte", "2021-12-16", ""),
            event("möte", "2021-12-16", ""),
        ]
    );
    let organiser = store().column(&format!(
        "SELECT DISTINCT ?name WHERE {{ GRAPH <{DOC_2021}> {{ ?e esam:eventType/skos:prefLabel \"nätverksträff\"@sv ; schema:organizer ?o }} ?o skos:prefLabel ?name FILTER(lang(?name) = 'sv') }}"
    ));
    assert_eq!(organiser, vec!["Länsstyrelserna"]);
}

#[test]
fn events_of_the_2023_newsletter() {
    assert_eq!(
        events(DOC_2023),
        vec![event("hackaton", "", "30"), event("temamöte", "", "")]
    );
}

/// (decided by, date) of every decision in a document.
fn decisions(document: &str) -> Vec<(String, String)> {
    store()
        .select(&format!(
            "SELECT ?by ?date WHERE {{ GRAPH <{document}> {{ ?d a esam:Decision . OPTIONAL {{ ?d esam:decidedBy/skos:prefLabel ?by }} OPTIONAL {{ ?d dcterms:date ?date }} }} }} ORDER BY ?by ?date"
        ))
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect()
}

#[test]
fn decisions_of_the_2021_newsletter() {
    let pair = |by: &str, date: &str| (by.to_string(), date.to_string());
    assert_eq!(
        decisions(DOC_2021),
        vec![
            pair("", "2021-12-01"),
            pair("Försäkringskassan", ""),
            pair("eSams styrgrupp", ""),
            pair("eSams styrgrupp", "2021-12-01"),
            pair("eSams styrgrupp", "2021-12-01"),
        ]
    );
}

#[test]
fn decisions_of_the_2023_newsletter() {
    let pair = |by: &str, date: &str| (by.to_string(), date.to_string());
    assert_eq!(decisions(DOC_2023), vec![pair("", ""), pair("eSams styrgrupp", "")]);
}

#[test]
fn membership_of_esam_changes_by_decision() {
    let rows = store().select(
        "SELECT DISTINCT ?name ?role ?from WHERE { ?m a org:Membership ; org:organization <http://127.0.0.1:7878/id/org/esamverkansprogrammet> ; org:member ?o ; org:role/skos:prefLabel ?role . ?o skos:prefLabel ?name FILTER(lang(?name) = 'sv') OPTIONAL { ?m schema:startDate ?from } } ORDER BY ?name",
    );
    assert_eq!(
        rows,
        vec![
            // Welcomed by the steering group's decision of 1 December 2021: members from that day.
            vec!["Folkhälsomyndigheten".to_string(), "medlem".into(), "2021-12-01".into()],
            vec![
                "Statens institutionsstyrelse".to_string(),
                "medlem".into(),
                "2021-12-01".into()
            ],
            // Ekonomistyrningsverket, by its official name now.
            vec!["Statskontoret".to_string(), "medlem".into(), "2021-12-01".into()],
            vec![
                "Sveriges Kommuner och Regioner".to_string(),
                "adjungerad".into(),
                "2022-01-01".into()
            ],
        ]
    );
}

#[test]
fn every_fact_node_has_provenance() {
    let missing = store().select(
        "SELECT ?x WHERE { { ?x a org:Membership } UNION { ?x a schema:Event } UNION { ?x a esam:Decision } FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?s ; esam:quote ?q ; esam:charStart ?a ; esam:charEnd ?b } }",
    );
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn the_html_edition_yields_the_same_facts_as_the_text() {
    use esam_kg::ingest::{IngestLimits, parse_bytes, read_file};
    let reference = esam_kg::reference::Reference::load(&esam_kg::ids::Ids::default()).unwrap();
    let read = |document: &esam_kg::ingest::Document| esam_kg::extract::extract(document, &reference.lexicon, None);
    let text = read_file(
        &crate::support::root().join("data/newsletters/esam-nyhetsbrev-2023-12.txt"),
        IngestLimits::default(),
    )
    .unwrap();
    let html_bytes = std::fs::read(crate::support::root().join("tests/fixtures/esam-nyhetsbrev-2023-12.html")).unwrap();
    let html = parse_bytes("esam-nyhetsbrev-2023-12.html", &html_bytes, IngestLimits::default()).unwrap();
    let (from_text, from_html) = (read(&text), read(&html));
    assert_eq!(from_html.issued, from_text.issued);
    assert_eq!(from_html.title, from_text.title);
    let keys = |e: &esam_kg::model::Extraction| {
        (
            e.organisations.keys().cloned().collect::<Vec<_>>(),
            e.people.keys().cloned().collect::<Vec<_>>(),
            e.groups.keys().cloned().collect::<Vec<_>>(),
        )
    };
    assert_eq!(keys(&from_html), keys(&from_text));
    let ties = |e: &esam_kg::model::Extraction| {
        let mut ties: Vec<_> = e
            .affiliations
            .iter()
            .map(|a| (a.person.clone(), a.organisation.clone(), a.role.clone()))
            .collect();
        ties.sort();
        ties
    };
    assert_eq!(ties(&from_html), ties(&from_text));
    let leads = |e: &esam_kg::model::Extraction| {
        e.leads
            .iter()
            .map(|l| (l.group.clone(), l.person.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(leads(&from_html), leads(&from_text));
    let events = |e: &esam_kg::model::Extraction| {
        e.events
            .iter()
            .map(|v| (v.kind.clone(), v.date, v.participants))
            .collect::<Vec<_>>()
    };
    assert_eq!(events(&from_html), events(&from_text));
    let decisions =
        |e: &esam_kg::model::Extraction| e.decisions.iter().map(|d| (d.by.clone(), d.date)).collect::<Vec<_>>();
    assert_eq!(decisions(&from_html), decisions(&from_text));
    assert!(
        !from_html
            .mentions
            .iter()
            .any(|m| m.evidence.quote.contains("c/o Skatteverket")),
        "footer leaked"
    );
}

/// eSam's membership over time, as ORG states it: each stated start is the beginning
/// of the membership's interval — the three members welcomed at the steering group's
/// meeting on 1 December 2021 from that day, SKR as adjunct from 1 January 2022.
#[test]
fn esam_memberships_begin_when_the_newsletter_says() {
    let store = crate::support::TestStore::with_newsletters();
    let rows = store.select(
        "SELECT ?name ?role ?begins WHERE { ?m org:member ?o ; org:organization ?esam ; org:role/skos:prefLabel ?role ; \
         org:memberDuring ?interval . ?interval a time:Interval ; time:hasBeginning/time:inXSDDate ?begins . \
         ?esam skos:altLabel \"eSam\"@sv . ?o skos:prefLabel ?name FILTER(lang(?name) = 'sv') } ORDER BY ?name",
    );
    assert_eq!(
        rows,
        [
            ["Folkhälsomyndigheten", "medlem", "2021-12-01"],
            ["Statens institutionsstyrelse", "medlem", "2021-12-01"],
            // Ekonomistyrningsverket, by its official name now.
            ["Statskontoret", "medlem", "2021-12-01"],
            ["Sveriges Kommuner och Regioner", "adjungerad", "2022-01-01"],
        ]
        .map(|r| r.map(String::from).to_vec())
    );
}

/// "byggblock Tillitsramverk" in the Finansiell status section of the December 2021
/// newsletter links the project to DIGG's building block, whose responsible authority
/// and sources come from the reference data.
#[test]
fn projects_are_linked_to_the_building_blocks_they_name() {
    let store = crate::support::TestStore::with_newsletters();
    let rows = store.select(
        "SELECT ?project ?block ?owner WHERE { ?g dcterms:relation ?b ; skos:prefLabel ?project . \
         ?b a esam:BuildingBlock ; skos:prefLabel ?block ; esam:responsible/skos:prefLabel ?owner ; dcterms:source ?source \
         FILTER(lang(?block) = 'sv' && lang(?owner) = 'sv') } ",
    );
    assert!(
        rows.contains(&vec![
            "Finansiell status".into(),
            "Tillitsramverk".into(),
            "E-hälsomyndigheten".into()
        ]),
        "{rows:?}"
    );
    assert!(store.ask(
        "ASK { ?m esam:mentionOf <http://127.0.0.1:7878/id/building-block/tillitsramverk> ; \
         esam:quote ?q FILTER(CONTAINS(?q, 'byggblock Tillitsramverk')) }"
    ));
    // Ordinary words are not blocks: no other block is named in the two newsletters.
    let named = store.column("SELECT DISTINCT ?b WHERE { ?m esam:mentionOf ?b . ?b a esam:BuildingBlock }");
    assert_eq!(named, ["http://127.0.0.1:7878/id/building-block/tillitsramverk"]);
}

/// The reference graph is versioned and describes organisations over time: renames keep the
/// identity (name records with validity and sources), ended agencies have their end date,
/// predecessors are linked, and eSam's bodies are units of eSam under the IRIs the importer
/// gives them — so "eSams styrgrupp beslutade" links the decision to the reference body.
#[test]
fn reference_data_is_versioned_and_describes_organisations_over_time() {
    let store = crate::support::TestStore::with_newsletters();
    let reference = "http://127.0.0.1:7878/id/graph/reference";
    assert!(store.ask(&format!(
        "ASK {{ GRAPH <{reference}> {{ <{reference}> a dcat:Dataset ; owl:versionInfo ?v ; dcterms:modified ?m \
         FILTER(datatype(?m) = xsd:date) }} }}"
    )));
    // Ekonomistyrningsverket took the name Statskontoret on 2026-01-01; the old Statskontoret ended.
    let names = store.select(
        "SELECT ?name ?from ?through WHERE { <http://127.0.0.1:7878/id/org/ekonomistyrningsverket> esam:hasName ?n . \
         ?n skos:prefLabel ?name FILTER(lang(?name) = 'sv') OPTIONAL { ?n schema:validFrom ?from } \
         OPTIONAL { ?n schema:validThrough ?through } ?n dcterms:source ?source } ORDER BY ?n",
    );
    let names: Vec<String> = names.iter().map(|row| row.join(" ")).collect();
    assert_eq!(
        names.first().map(String::as_str),
        Some("Ekonomistyrningsverket 1998-07-01 2025-12-31"),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.starts_with("Statskontoret 2026-01-01")),
        "{names:?}"
    );
    assert!(store.ask(
        "ASK { <http://127.0.0.1:7878/id/org/statskontoret-gamla> skos:prefLabel 'Statskontoret'@sv ; \
         org:identifier ?nr ; schema:dissolutionDate ?end FILTER(STR(?nr) = '202100-0852') }"
    ));
    // Agencies past and present, with predecessors.
    let ended = store.column(
        "SELECT ?o WHERE { GRAPH <http://127.0.0.1:7878/id/graph/reference> { ?o schema:dissolutionDate ?end } }",
    );
    assert!(ended.len() > 300, "{}", ended.len());
    assert!(store.ask(
        "ASK { <http://127.0.0.1:7878/id/org/myndigheten-for-samhallsskydd-och-beredskap> dcterms:replaces ?old . \
         ?old skos:prefLabel 'Krisberedskapsmyndigheten'@sv ; schema:dissolutionDate ?end }"
    ));
    // The ministries (units of the Government Offices), as the register names them.
    assert!(store.ask(
        "ASK { ?m skos:prefLabel 'Finansdepartementet'@sv ; org:unitOf ?rk . ?rk skos:prefLabel 'Regeringskansliet'@sv }"
    ));
    // eSam's bodies are reference entries, and the importer's steering group is the same node.
    let bodies = store.column(
        "SELECT ?label WHERE { GRAPH <http://127.0.0.1:7878/id/graph/reference> { \
         ?b a org:OrganizationalUnit ; org:unitOf <http://127.0.0.1:7878/id/org/esamverkansprogrammet> ; \
         skos:prefLabel ?label ; dcterms:source ?s FILTER(lang(?label) = 'sv') } } ORDER BY ?label",
    );
    for body in [
        "eSams styrgrupp",
        "eSams kansli",
        "Samordningsgruppen",
        "Utvecklingsforum",
        "expertgrupp juridik",
    ] {
        assert!(bodies.contains(&body.to_string()), "{body} not in {bodies:?}");
    }
    assert!(store.ask(
        "ASK { ?decision a esam:Decision ; esam:decidedBy ?body . \
         GRAPH <http://127.0.0.1:7878/id/graph/reference> { ?body a org:OrganizationalUnit ; skos:prefLabel 'eSams styrgrupp'@sv } }"
    ));
    // One Swedish name per body in the merged graph: the importer names them as the reference does.
    let doubly_named = store.column(
        "SELECT ?b WHERE { ?b a org:OrganizationalUnit ; skos:prefLabel ?a, ?c \
         FILTER(lang(?a) = 'sv' && lang(?c) = 'sv' && ?a != ?c) }",
    );
    assert!(doubly_named.is_empty(), "{doubly_named:?}");
}

/// Every organisation of the reference data has a Swedish name and a source (the check a
/// SHACL shape would make, as SPARQL over the reference graph).
#[test]
fn every_reference_organisation_has_a_swedish_name_and_a_source() {
    let store = crate::support::TestStore::with_newsletters();
    let unnamed = store.column(
        "SELECT ?o WHERE { GRAPH <http://127.0.0.1:7878/id/graph/reference> { ?o a org:Organization \
         FILTER NOT EXISTS { ?o skos:prefLabel ?l FILTER(lang(?l) = 'sv') } } }",
    );
    assert!(unnamed.is_empty(), "{unnamed:?}");
    let unsourced = store.column(
        "SELECT ?o WHERE { GRAPH <http://127.0.0.1:7878/id/graph/reference> { ?o a org:Organization \
         FILTER NOT EXISTS { ?o dcterms:source ?s } } }",
    );
    assert!(unsourced.is_empty(), "{unsourced:?}");
    let blocks = store.column(
        "SELECT ?b WHERE { ?b a esam:BuildingBlock FILTER NOT EXISTS { ?b dcterms:source ?s ; skos:prefLabel ?l } }",
    );
    assert!(blocks.is_empty(), "{blocks:?}");
}
