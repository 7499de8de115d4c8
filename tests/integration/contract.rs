//! The public graph contract, checked through SPARQL with standard terms on the
//! two bundled newsletters. Expected facts were written by reading the texts.

use crate::support::TestStore;
use std::sync::OnceLock;

fn store() -> &'static TestStore {
    static STORE: OnceLock<TestStore> = OnceLock::new();
    STORE.get_or_init(TestStore::with_newsletters)
}

const DOC_2021: &str = "http://127.0.0.1:7878/id/newsletter/2021-12";
const DOC_2023: &str = "http://127.0.0.1:7878/id/newsletter/2023-12";

fn organisations_of(document: &str) -> Vec<String> {
    store().column(&format!(
        "SELECT DISTINCT ?name WHERE {{ GRAPH <{document}> {{ <{document}> schema:mentions ?o }} ?o a org:Organization ; skos:prefLabel ?name FILTER(lang(?name) = 'sv') }}"
    ))
}

#[test]
fn each_document_is_a_named_graph_with_its_metadata() {
    let rows = store().select(
        "SELECT ?doc ?issued (DATATYPE(?issued) AS ?type) ?title ?lang ?source WHERE { GRAPH ?doc { ?doc a esam:Newsletter, schema:NewsArticle ; dcterms:issued ?issued ; dcterms:title ?title ; dcterms:language ?lang ; dcterms:source ?source } } ORDER BY ?doc",
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][0], DOC_2021);
    assert_eq!(rows[0][1], "2021-12");
    assert_eq!(rows[0][2], "http://www.w3.org/2001/XMLSchema#gYearMonth");
    assert_eq!(rows[0][4], "sv");
    assert_eq!(rows[0][5], "esam-nyhetsbrev-2021-12.txt");
    assert_eq!(rows[1][0], DOC_2023);
    assert_eq!(rows[1][1], "2023-12");
    assert_eq!(rows[1][3], "Nyhetsbrev från eSam");
}

#[test]
fn the_2021_newsletter_is_dated_by_its_content_and_the_2023_one_by_its_date_line() {
    let rows = store().select("SELECT ?doc ?basis WHERE { ?doc esam:dateInferredFrom ?basis } ORDER BY ?doc");
    assert_eq!(
        rows,
        vec![
            vec![DOC_2021.to_string(), "content".into()],
            vec![DOC_2023.to_string(), "date line".into()]
        ]
    );
}

#[test]
fn organisations_of_the_2021_newsletter_by_official_name() {
    let found = organisations_of(DOC_2021);
    for expected in [
        "eSamverkansprogrammet",
        // Renamed since, and listed by their official names now (the IRIs stay the same).
        "Statskontoret",
        "Statens institutionsstyrelse",
        "Folkhälsomyndigheten",
        "Myndigheten för civilt försvar",
        "Försäkringskassan",
        "Skatteverket",
        "Kronofogdemyndigheten",
        "Arbetsförmedlingen",
        "Bolagsverket",
        "Länsstyrelserna",
        "Trafikverket",
        "Myndigheten för tillväxtpolitiska utvärderingar och analyser",
        "Jämställdhetsmyndigheten",
        "Boverket",
        "Sveriges Kommuner och Regioner",
        "Myndigheten för digital förvaltning",
        "E-hälsomyndigheten",
        "Centrala studiestödsnämnden",
        "Lantmäteriet",
        "Migrationsverket",
        "Transportstyrelsen",
        "Domstolsverket",
        "Wikström & Partners Advokatbyrå AB",
        "Kammarkollegiet",
    ] {
        assert!(
            found.contains(&expected.to_string()),
            "missing {expected} in {found:#?}"
        );
    }
    for not_an_organisation in [
        "Teams",
        "Nextcloud",
        "SAFOS",
        "Vision e-hälsa 2025",
        "Finansiell status",
        "Tillitsramverk",
    ] {
        assert!(
            !found.contains(&not_an_organisation.to_string()),
            "{not_an_organisation} typed as organisation"
        );
    }
    assert_eq!(found.len(), 25, "unexpected organisations: {found:#?}");
}

#[test]
fn organisations_of_the_2023_newsletter_include_typo_and_eu_bodies() {
    let found = organisations_of(DOC_2023);
    for expected in [
        "eSamverkansprogrammet",
        "Skatteverket",
        "Arbetsförmedlingen",
        "Statens tjänstepensionsverk",
        "Europaparlamentet",
        "Europeiska unionens råd",
    ] {
        assert!(
            found.contains(&expected.to_string()),
            "missing {expected} in {found:#?}"
        );
    }
    assert_eq!(found.len(), 6, "unexpected organisations: {found:#?}");
}

#[test]
fn abbreviations_and_short_forms_are_alt_labels() {
    for (name, alt) in [
        ("Kronofogdemyndigheten", "Kronofogden"),
        ("Myndigheten för civilt försvar", "MSB"),
        (
            "Myndigheten för civilt försvar",
            "Myndigheten för samhällsskydd och beredskap",
        ),
        ("Sveriges Kommuner och Regioner", "SKR"),
        ("Centrala studiestödsnämnden", "CSN"),
    ] {
        assert!(
            store().ask(&format!(
                "ASK {{ ?o a org:Organization ; skos:prefLabel \"{name}\"@sv ; skos:altLabel \"{alt}\"@sv }}"
            )),
            "{name} / {alt}"
        );
    }
}

#[test]
fn genitives_map_to_the_base_organisation() {
    let surfaces = store().column(
        "SELECT ?surface WHERE { ?m a esam:Mention ; esam:mentionOf <http://127.0.0.1:7878/id/org/sveriges-kommuner-och-regioner> ; esam:surfaceForm ?surface }",
    );
    assert!(surfaces.contains(&"SKR:s".to_string()), "{surfaces:?}");
    assert!(surfaces.contains(&"SKR".to_string()), "{surfaces:?}");
}

#[test]
fn every_mention_carries_its_section_and_quoted_sentence() {
    let missing = store().select(
        "SELECT ?m WHERE { ?m a esam:Mention . FILTER NOT EXISTS { ?m prov:wasDerivedFrom ?s . ?s a esam:Section . ?m esam:quote ?q ; esam:charStart ?a ; esam:charEnd ?b } }",
    );
    assert!(missing.is_empty(), "{missing:?}");
    let quotes = store().column(
        "SELECT ?q WHERE { ?m esam:mentionOf <http://127.0.0.1:7878/id/org/statens-institutionsstyrelse> ; esam:quote ?q ; prov:wasDerivedFrom ?s . ?s dcterms:title \"Nya medlemmar i eSam\"@sv }",
    );
    assert_eq!(
        quotes,
        vec!["Ekonomistyrningsverket, Statens institutionsstyrelse och Folkhälsomyndigheten tar nu plats i eSam."]
    );
}

#[test]
fn quote_offsets_point_into_the_source_file() {
    let rows = store().select(&format!(
        "SELECT ?q ?a ?b WHERE {{ GRAPH <{DOC_2021}> {{ ?m esam:quote ?q ; esam:charStart ?a ; esam:charEnd ?b ; esam:surfaceForm \"Kronofogden\" }} }}"
    ));
    let source =
        std::fs::read_to_string(crate::support::root().join("data/newsletters/esam-nyhetsbrev-2021-12.txt")).unwrap();
    assert!(!rows.is_empty());
    for row in rows {
        let (start, end): (usize, usize) = (row[1].parse().unwrap(), row[2].parse().unwrap());
        let quoted: String = source.chars().skip(start).take(end - start).collect();
        assert_eq!(quoted.replace("**", ""), row[0]);
    }
}

#[test]
fn every_document_graph_records_its_triple_count() {
    for document in [DOC_2021, DOC_2023] {
        let rows = store().select(&format!(
            "SELECT ?declared (COUNT(*) AS ?actual) WHERE {{ GRAPH <{document}> {{ <{document}> void:triples ?declared . ?s ?p ?o }} }} GROUP BY ?declared"
        ));
        assert_eq!(rows[0][0], rows[0][1], "{document}");
    }
}

#[test]
fn reference_data_and_ontology_live_in_their_own_graphs() {
    let graphs = store().column("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }");
    assert!(graphs.contains(&"http://127.0.0.1:7878/id/graph/reference".to_string()));
    assert!(graphs.contains(&"http://127.0.0.1:7878/id/graph/ontology".to_string()));
    assert!(store().ask(
        "ASK { GRAPH <http://127.0.0.1:7878/id/graph/reference> { <http://127.0.0.1:7878/id/org/skatteverket> org:identifier \"202100-5448\"^^esam:Organisationsnummer ; owl:sameAs <http://www.wikidata.org/entity/Q836916> } }"
    ));
}

#[test]
fn the_default_graph_is_the_merge_of_all_graphs_each_triple_once() {
    // Skatteverket's label is stated in the reference graph and in both document graphs.
    let graphs = store().column(
        "SELECT ?g WHERE { GRAPH ?g { <http://127.0.0.1:7878/id/org/skatteverket> skos:prefLabel \"Skatteverket\"@sv } }",
    );
    assert_eq!(graphs.len(), 3, "{graphs:?}");
    let labels = store().select(
        "SELECT ?name WHERE { <http://127.0.0.1:7878/id/org/skatteverket> skos:prefLabel ?name FILTER(lang(?name) = 'sv') }",
    );
    assert_eq!(labels, vec![vec!["Skatteverket".to_string()]]);
    for pattern in [
        "?s ?p ?o",
        "?s a ?o",
        "?s skos:prefLabel ?o",
        "?s ?p \"Skatteverket\"@sv",
    ] {
        let all = store().select(&format!("SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"));
        let distinct = store().select(&format!(
            "SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT * WHERE {{ {pattern} }} }}"
        ));
        assert_eq!(all, distinct, "{pattern}");
    }
}
