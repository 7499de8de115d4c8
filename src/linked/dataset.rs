//! The dataset description for open-data portals: a DCAT-AP-SE 3.0.1 catalogue
//! (catalogue, dataset, distributions for the canonical dumps with their SHA-256,
//! the SPARQL endpoint as a data service, publisher, contact point) and VoID
//! statistics, with every node an IRI (the portal forbids blank nodes for these).
//! Temporal coverage and counts are computed from the data.

use oxigraph::model::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};

use crate::ids::Ids;
use crate::sparql::{self, SparqlError};
use crate::store::Store;
use crate::vocab::{dcat, dcterms, foaf, owl, rdf, spdx, vcard, void, xsd};

/// Who publishes the dataset: set by the operator; the defaults are placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    /// The publisher's name.
    pub publisher_name: String,
    /// The publisher's Swedish organisation number (ten digits); gives the portal's publisher IRI.
    pub publisher_orgnr: Option<String>,
    /// The contact e-mail address.
    pub contact_email: String,
    /// The licence of the data (an IRI).
    pub licence: String,
}

impl Default for Publication {
    fn default() -> Self {
        Self {
            publisher_name: "Ej angiven utgivare (sätt --publisher-name)".into(),
            publisher_orgnr: None,
            contact_email: "ej-angiven@example.invalid".into(),
            licence: "http://creativecommons.org/licenses/by/4.0/".into(),
        }
    }
}

impl Publication {
    /// What is still a placeholder, for the operator's warning.
    pub fn placeholders(&self) -> Vec<&'static str> {
        let defaults = Self::default();
        let mut missing = Vec::new();
        if self.publisher_name == defaults.publisher_name {
            missing.push("--publisher-name");
        }
        if self.publisher_orgnr.is_none() {
            missing.push("--publisher-orgnr");
        }
        if self.contact_email == defaults.contact_email {
            missing.push("--contact-email");
        }
        missing
    }
}

/// A dump as a distribution: file name, media type, EU file type, SHA-256.
pub struct DumpFile<'a> {
    /// File name under the site (`dump.nq`).
    pub name: &'a str,
    /// IANA media type.
    pub media_type: &'a str,
    /// The EU file-type authority code (`RDF_N_QUADS`).
    pub file_type: &'a str,
    /// SHA-256, hex.
    pub sha256: &'a str,
}

const EU_AUTHORITY: &str = "http://publications.europa.eu/resource/authority/";

fn iri(text: &str) -> NamedNode {
    NamedNode::new_unchecked(text)
}

fn sv(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "sv")
}

fn en(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "en")
}

struct Builder(Vec<Triple>);

impl Builder {
    fn add(&mut self, subject: &NamedNode, predicate: oxigraph::model::NamedNodeRef<'_>, object: impl Into<Term>) {
        self.0
            .push(Triple::new(subject.clone(), predicate.into_owned(), object.into()));
    }
}

fn count(store: &Store, query: &str) -> Result<u64, SparqlError> {
    sparql::count(store, query)
}

/// The first and last dates the newsletters report (issue dates and dated facts).
fn coverage(store: &Store) -> Result<Option<(String, String)>, SparqlError> {
    let query = "SELECT (MIN(?d) AS ?first) (MAX(?d) AS ?last) WHERE { \
        { ?x dcterms:issued ?v } UNION { ?x schema:startDate ?v } UNION { ?x dcterms:date ?v } \
        ?x (dcterms:isPartOf|prov:wasDerivedFrom/dcterms:isPartOf)? ?doc . ?doc a esam:Newsletter \
        BIND(STR(?v) AS ?d) }";
    let prepared = sparql::prepare(query, &sparql::Dataset::default())?;
    if let oxigraph::sparql::QueryResults::Solutions(mut rows) = sparql::execute(store, prepared)?
        && let Some(row) = rows.next()
    {
        let row = row?;
        if let (Some(Term::Literal(first)), Some(Term::Literal(last))) = (row.get("first"), row.get("last")) {
            return Ok(Some((first.value().to_string(), last.value().to_string())));
        }
    }
    Ok(None)
}

/// A partial date as an `xsd:date` (a month's or year's first or last day).
fn day(value: &str, end: bool) -> Literal {
    let text = match (value.len(), end) {
        (4, false) => format!("{value}-01-01"),
        (4, true) => format!("{value}-12-31"),
        (7, false) => format!("{value}-01"),
        (7, true) => {
            let (year, month) = (value[..4].parse().unwrap_or(2000), value[5..].parse().unwrap_or(1));
            let last = crate::views::params::days_in_month(year, month).unwrap_or(31);
            format!("{value}-{last}")
        }
        _ => value.chars().take(10).collect(),
    };
    Literal::new_typed_literal(text, xsd::DATE)
}

/// The catalogue as triples.
pub fn triples(
    store: &Store,
    ids: &Ids,
    publication: &Publication,
    dumps: &[DumpFile<'_>],
) -> Result<Vec<Triple>, SparqlError> {
    let site = ids.site();
    let node = |name: &str| ids.publication(name);
    let (catalog, dataset, service, contact) = (node("catalog"), node("dataset"), node("sparql"), node("contact"));
    let publisher = match &publication.publisher_orgnr {
        Some(orgnr) => iri(&format!(
            "http://dataportal.se/organisation/SE{}",
            orgnr.replace('-', "")
        )),
        None => node("publisher"),
    };
    let licence =
        NamedNode::new(&publication.licence).unwrap_or_else(|_| iri("http://creativecommons.org/licenses/by/4.0/"));
    let sweden = iri(&format!("{EU_AUTHORITY}country/SWE"));
    let mut g = Builder(Vec::new());

    g.add(&catalog, rdf::TYPE, dcat::CATALOG.into_owned());
    g.add(&catalog, dcterms::TITLE, sv("eSam-grafen"));
    g.add(&catalog, dcterms::TITLE, en("The eSam graph"));
    g.add(
        &catalog,
        dcterms::DESCRIPTION,
        sv("Katalog över den länkade datamängden som byggs ur eSamverkansprogrammets nyhetsbrev."),
    );
    g.add(
        &catalog,
        dcterms::DESCRIPTION,
        en("Catalogue of the linked dataset built from the newsletters of the eSam collaboration programme."),
    );
    g.add(&catalog, dcterms::PUBLISHER, publisher.clone());
    g.add(&catalog, dcterms::LICENSE, licence.clone());
    g.add(&catalog, dcat::DATASET_PROP, dataset.clone());
    g.add(&catalog, dcat::SERVICE, service.clone());
    g.add(&catalog, dcterms::LANGUAGE, iri(&format!("{EU_AUTHORITY}language/SWE")));
    g.add(&catalog, foaf::HOMEPAGE, iri(site));
    g.add(&catalog, dcterms::SPATIAL, sweden.clone());
    g.add(
        &catalog,
        dcat::THEME_TAXONOMY,
        iri(&format!("{EU_AUTHORITY}data-theme")),
    );

    g.add(&dataset, rdf::TYPE, dcat::DATASET.into_owned());
    g.add(&dataset, rdf::TYPE, void::DATASET.into_owned());
    g.add(
        &dataset,
        dcterms::TITLE,
        sv("Deltagande, personer, händelser och beslut i eSams nyhetsbrev"),
    );
    g.add(
        &dataset,
        dcterms::TITLE,
        en("Participation, people, events and decisions in the eSam newsletters"),
    );
    g.add(&dataset, dcterms::DESCRIPTION, sv("Vilka myndigheter som deltog i vilka arbetsgrupper och projekt inom eSam, vem som leder vad, styrgruppens beslut och programmets möten, utbildningar och temadagar — varje uppgift med nyhetsbrevet, avsnittet och den citerade meningen den kommer från. Uppgifterna är maskinellt utlästa ur texten."));
    g.add(&dataset, dcterms::DESCRIPTION, en("Which Swedish authorities took part in which eSam working groups and projects, who leads what, the steering group's decisions and the programme's meetings, trainings and theme days — each fact with the newsletter, section and quoted sentence it comes from. The facts are extracted from the text by machine."));
    g.add(&dataset, dcterms::PUBLISHER, publisher.clone());
    g.add(&dataset, dcat::CONTACT_POINT, contact.clone());
    for keyword in [
        "eSam",
        "eSamverkansprogrammet",
        "digital förvaltning",
        "myndighetssamverkan",
        "länkade data",
    ] {
        g.add(&dataset, dcat::KEYWORD, sv(keyword));
    }
    g.add(&dataset, dcat::THEME, iri(&format!("{EU_AUTHORITY}data-theme/GOVE")));
    g.add(&dataset, dcterms::SPATIAL, sweden);
    g.add(
        &dataset,
        dcterms::ACCESS_RIGHTS,
        iri(&format!("{EU_AUTHORITY}access-right/PUBLIC")),
    );
    g.add(&dataset, dcterms::LICENSE, licence.clone());
    g.add(&dataset, dcterms::CONFORMS_TO, iri("https://w3id.org/esam-kg/ns"));
    if let Some((first, last)) = coverage(store)? {
        let period = node("period");
        g.add(&dataset, dcterms::TEMPORAL, period.clone());
        g.add(&period, rdf::TYPE, dcterms::PERIOD_OF_TIME.into_owned());
        g.add(&period, dcat::START_DATE, day(&first, false));
        g.add(&period, dcat::END_DATE, day(&last, true));
    }

    // VoID statistics and the links out.
    let stat = |q: &str| count(store, q);
    g.add(
        &dataset,
        void::TRIPLES,
        Literal::from(stat("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")? as i64),
    );
    g.add(
        &dataset,
        void::ENTITIES,
        Literal::from(stat("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c }")? as i64),
    );
    g.add(
        &dataset,
        void::CLASSES,
        Literal::from(stat("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }")? as i64),
    );
    g.add(&dataset, void::SPARQL_ENDPOINT, iri(&format!("{site}sparql")));
    g.add(&dataset, void::URI_SPACE, Literal::new_simple_literal(ids.base()));
    let wikidata = node("linkset-wikidata");
    g.add(&wikidata, rdf::TYPE, void::LINKSET.into_owned());
    g.add(&wikidata, void::SUBSET_OF, dataset.clone());
    g.add(&wikidata, void::TARGET, dataset.clone());
    g.add(&wikidata, void::TARGET, iri("http://www.wikidata.org/"));
    g.add(&wikidata, void::LINK_PREDICATE, owl::SAME_AS.into_owned());
    g.add(&wikidata, void::TRIPLES, Literal::from(stat("SELECT (COUNT(*) AS ?n) WHERE { ?s owl:sameAs ?o FILTER(STRSTARTS(STR(?o), \"http://www.wikidata.org/\")) }")? as i64));

    for dump in dumps {
        let distribution = node(&format!("distribution-{}", dump.name.replace('.', "-")));
        let url = iri(&format!("{site}{}", dump.name));
        g.add(&dataset, dcat::DISTRIBUTION, distribution.clone());
        g.add(&dataset, void::DATA_DUMP, url.clone());
        g.add(&distribution, rdf::TYPE, dcat::DISTRIBUTION_CLASS.into_owned());
        g.add(
            &distribution,
            dcterms::TITLE,
            sv(&format!("Hela datamängden ({})", dump.name)),
        );
        g.add(
            &distribution,
            dcterms::DESCRIPTION,
            sv("Kanonisk form (RDFC-1.0, sorterade påståenden): samma data ger samma byte och samma SHA-256."),
        );
        g.add(&distribution, dcat::ACCESS_URL, url.clone());
        g.add(&distribution, dcat::DOWNLOAD_URL, url);
        g.add(
            &distribution,
            dcat::MEDIA_TYPE,
            iri(&format!(
                "http://www.iana.org/assignments/media-types/{}",
                dump.media_type
            )),
        );
        g.add(
            &distribution,
            dcterms::FORMAT,
            iri(&format!("{EU_AUTHORITY}file-type/{}", dump.file_type)),
        );
        g.add(&distribution, dcterms::LICENSE, licence.clone());
        let checksum = BlankNode::default();
        g.0.push(Triple::new(
            distribution.clone(),
            spdx::CHECKSUM.into_owned(),
            checksum.clone(),
        ));
        let checksum = NamedOrBlankNode::from(checksum);
        g.0.push(Triple::new(
            checksum.clone(),
            rdf::TYPE.into_owned(),
            spdx::CHECKSUM_CLASS.into_owned(),
        ));
        g.0.push(Triple::new(
            checksum.clone(),
            spdx::ALGORITHM.into_owned(),
            spdx::SHA256.into_owned(),
        ));
        g.0.push(Triple::new(
            checksum,
            spdx::CHECKSUM_VALUE.into_owned(),
            Literal::new_typed_literal(dump.sha256, xsd::HEX_BINARY),
        ));
    }

    g.add(&service, rdf::TYPE, dcat::DATA_SERVICE.into_owned());
    g.add(&service, dcterms::TITLE, sv("SPARQL-ändpunkt för eSam-grafen"));
    g.add(&service, dcterms::TITLE, en("SPARQL endpoint of the eSam graph"));
    g.add(&service, dcat::ENDPOINT_URL, iri(&format!("{site}sparql")));
    g.add(&service, dcat::ENDPOINT_DESCRIPTION, iri(&format!("{site}sparql")));
    g.add(&service, dcat::SERVES_DATASET, dataset.clone());
    g.add(
        &service,
        dcterms::CONFORMS_TO,
        iri("https://www.w3.org/TR/sparql11-protocol/"),
    );
    g.add(&service, dcterms::FORMAT, iri(&format!("{EU_AUTHORITY}file-type/JSON")));
    g.add(&service, dcat::CONTACT_POINT, contact.clone());
    g.add(&service, dcterms::LICENSE, licence);

    g.add(&publisher, rdf::TYPE, foaf::AGENT.into_owned());
    g.add(&publisher, rdf::TYPE, foaf::ORGANIZATION.into_owned());
    g.add(&publisher, foaf::NAME, sv(&publication.publisher_name));
    g.add(
        &publisher,
        dcterms::TYPE,
        iri("http://purl.org/adms/publishertype/NationalAuthority"),
    );
    if let Some(orgnr) = &publication.publisher_orgnr {
        g.add(&publisher, dcterms::IDENTIFIER, Literal::new_simple_literal(orgnr));
    }

    g.add(&contact, rdf::TYPE, vcard::ORGANIZATION.into_owned());
    g.add(&contact, vcard::FN, sv(&publication.publisher_name));
    g.add(
        &contact,
        vcard::HAS_EMAIL,
        iri(&format!("mailto:{}", publication.contact_email)),
    );
    Ok(g.0)
}
