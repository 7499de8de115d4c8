//! Every namespace and vocabulary term the graph uses, spelled once.
//!
//! Terms are `NamedNodeRef` constants so that the rest of the crate never
//! assembles a vocabulary IRI by string concatenation. The esam ontology's own
//! terms are declared in `ontology/esam.ttl`; a tidy test checks that every
//! `esam::` constant here is declared there.

use oxigraph::model::NamedNodeRef;

/// Declares a vocabulary module: its namespace and its terms.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $module:ident, $ns:literal, { $($term:ident = $local:literal),* $(,)? }) => {
        $(#[$doc])*
        pub mod $module {
            use super::NamedNodeRef;
            /// The namespace IRI.
            pub const NS: &str = $ns;
            $(
                #[doc = concat!("`", $ns, $local, "`")]
                pub const $term: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(concat!($ns, $local));
            )*
        }
    };
}

vocabulary!(
    /// The esam-kg ontology (`ontology/esam.ttl`).
    esam, "https://w3id.org/esam-kg/ns#", {
    NEWSLETTER = "Newsletter",
    SECTION = "Section",
    MENTION = "Mention",
    DECISION = "Decision",
    ROLE = "Role",
    EVENT_TYPE = "EventType",
    RECOGNITION_METHOD = "RecognitionMethod",
    BY_REFERENCE = "byReference",
    BY_PATTERN = "byPattern",
    ORGANISATIONSNUMMER = "Organisationsnummer",
    QUOTE = "quote",
    CHAR_START = "charStart",
    CHAR_END = "charEnd",
    MENTION_OF = "mentionOf",
    SURFACE_FORM = "surfaceForm",
    RECOGNISED_BY = "recognisedBy",
    DECIDED_BY = "decidedBy",
    CONCERNS = "concerns",
    EVENT_TYPE_PROP = "eventType",
    PARTICIPANT_COUNT = "participantCount",
    STATED_MEMBER_COUNT = "statedMemberCount",
    LED_BY = "ledBy",
    DATE_INFERRED_FROM = "dateInferredFrom",
    FOLD = "fold",
    PARAM = "param",
    BUILDING_BLOCK = "BuildingBlock",
    RESPONSIBLE = "responsible",
    ORGANISATION_NAME = "OrganisationName",
    HAS_NAME = "hasName",
    TEXT_DIGEST = "textDigest",
});

vocabulary!(
    /// RDF.
    rdf, "http://www.w3.org/1999/02/22-rdf-syntax-ns#", { TYPE = "type" });

vocabulary!(
    /// RDF Schema.
    rdfs, "http://www.w3.org/2000/01/rdf-schema#", {
    LABEL = "label",
    COMMENT = "comment",
    SUB_CLASS_OF = "subClassOf",
    SUB_PROPERTY_OF = "subPropertyOf",
});

vocabulary!(
    /// OWL.
    owl, "http://www.w3.org/2002/07/owl#", {
    SAME_AS = "sameAs",
    DEPRECATED = "deprecated",
    CLASS = "Class",
    OBJECT_PROPERTY = "ObjectProperty",
    DATATYPE_PROPERTY = "DatatypeProperty",
});

vocabulary!(
    /// XML Schema datatypes.
    xsd, "http://www.w3.org/2001/XMLSchema#", {
    DATE = "date",
    G_YEAR_MONTH = "gYearMonth",
    G_YEAR = "gYear",
    INTEGER = "integer",
    NON_NEGATIVE_INTEGER = "nonNegativeInteger",
    STRING = "string",
    DECIMAL = "decimal",
    ANY_URI = "anyURI",
    HEX_BINARY = "hexBinary",
});

vocabulary!(
    /// W3C Organization Ontology.
    org, "http://www.w3.org/ns/org#", {
    ORGANIZATION = "Organization",
    FORMAL_ORGANIZATION = "FormalOrganization",
    ORGANIZATIONAL_UNIT = "OrganizationalUnit",
    ORGANIZATIONAL_COLLABORATION = "OrganizationalCollaboration",
    MEMBERSHIP = "Membership",
    ROLE = "Role",
    MEMBER = "member",
    ORGANIZATION_PROP = "organization",
    ROLE_PROP = "role",
    HAS_MEMBER = "hasMember",
    MEMBER_OF = "memberOf",
    HAS_MEMBERSHIP = "hasMembership",
    IDENTIFIER = "identifier",
    UNIT_OF = "unitOf",
    HAS_UNIT = "hasUnit",
    MEMBER_DURING = "memberDuring",
});

vocabulary!(
    /// FOAF.
    foaf, "http://xmlns.com/foaf/0.1/", {
    PERSON = "Person",
    NAME = "name",
    HOMEPAGE = "homepage",
    AGENT = "Agent",
    ORGANIZATION = "Organization",
});

vocabulary!(
    /// schema.org.
    schema, "http://schema.org/", {
    NEWS_ARTICLE = "NewsArticle",
    WEB_PAGE_ELEMENT = "WebPageElement",
    EVENT = "Event",
    NAME = "name",
    START_DATE = "startDate",
    END_DATE = "endDate",
    MENTIONS = "mentions",
    POSITION = "position",
    ORGANIZER = "organizer",
    ABOUT = "about",
    ADDITIONAL_TYPE = "additionalType",
    HEADLINE = "headline",
    URL = "url",
    VALID_FROM = "validFrom",
    VALID_THROUGH = "validThrough",
    FOUNDING_DATE = "foundingDate",
    DISSOLUTION_DATE = "dissolutionDate",
});

vocabulary!(
    /// Dublin Core terms.
    dcterms, "http://purl.org/dc/terms/", {
    TITLE = "title",
    ISSUED = "issued",
    DATE = "date",
    LANGUAGE = "language",
    SOURCE = "source",
    IS_PART_OF = "isPartOf",
    HAS_PART = "hasPart",
    IDENTIFIER = "identifier",
    CREATOR = "creator",
    DESCRIPTION = "description",
    LICENSE = "license",
    MODIFIED = "modified",
    SUBJECT = "subject",
    REPLACES = "replaces",
    RELATION = "relation",
    IS_REPLACED_BY = "isReplacedBy",
    PUBLISHER = "publisher",
    SPATIAL = "spatial",
    TEMPORAL = "temporal",
    ACCESS_RIGHTS = "accessRights",
    CONFORMS_TO = "conformsTo",
    PERIOD_OF_TIME = "PeriodOfTime",
    FORMAT = "format",
    TYPE = "type",
});

vocabulary!(
    /// SKOS.
    skos, "http://www.w3.org/2004/02/skos/core#", {
    CONCEPT = "Concept",
    CONCEPT_SCHEME = "ConceptScheme",
    PREF_LABEL = "prefLabel",
    ALT_LABEL = "altLabel",
    HIDDEN_LABEL = "hiddenLabel",
    IN_SCHEME = "inScheme",
    NOTATION = "notation",
});

vocabulary!(
    /// PROV-O.
    prov, "http://www.w3.org/ns/prov#", {
    ENTITY = "Entity",
    ACTIVITY = "Activity",
    WAS_DERIVED_FROM = "wasDerivedFrom",
    WAS_ASSOCIATED_WITH = "wasAssociatedWith",
    VALUE = "value",
    WAS_GENERATED_BY = "wasGeneratedBy",
    HAD_PRIMARY_SOURCE = "hadPrimarySource",
});

vocabulary!(
    /// OWL-Time.
    time, "http://www.w3.org/2006/time#", {
    INTERVAL = "Interval",
    INSTANT = "Instant",
    HAS_BEGINNING = "hasBeginning",
    IN_XSD_DATE = "inXSDDate",
    IN_XSD_G_YEAR_MONTH = "inXSDgYearMonth",
    IN_XSD_G_YEAR = "inXSDgYear",
    HAS_END = "hasEnd",
});

vocabulary!(
    /// ADMS (identifiers with their scheme).
    adms, "http://www.w3.org/ns/adms#", {
    IDENTIFIER = "Identifier",
    IDENTIFIER_PROP = "identifier",
    SCHEME_AGENCY = "schemeAgency",
});

vocabulary!(
    /// SHACL (the views describe themselves as SPARQL executables with parameters).
    sh, "http://www.w3.org/ns/shacl#", {
    SPARQL_SELECT_EXECUTABLE = "SPARQLSelectExecutable",
    SELECT = "select",
    PARAMETER = "parameter",
    PARAMETER_CLASS = "Parameter",
    PATH = "path",
    DATATYPE = "datatype",
    CLASS = "class",
    OPTIONAL = "optional",
    DEFAULT_VALUE = "defaultValue",
    DESCRIPTION = "description",
    NAME = "name",
    IN = "in",
    ORDER = "order",
});

vocabulary!(
    /// DCAT (the dataset description).
    dcat, "http://www.w3.org/ns/dcat#", {
    CATALOG = "Catalog",
    DATASET = "Dataset",
    DISTRIBUTION_CLASS = "Distribution",
    DATA_SERVICE = "DataService",
    DATASET_PROP = "dataset",
    SERVICE = "service",
    DISTRIBUTION = "distribution",
    CONTACT_POINT = "contactPoint",
    KEYWORD = "keyword",
    THEME = "theme",
    THEME_TAXONOMY = "themeTaxonomy",
    START_DATE = "startDate",
    END_DATE = "endDate",
    ACCESS_URL = "accessURL",
    DOWNLOAD_URL = "downloadURL",
    MEDIA_TYPE = "mediaType",
    ENDPOINT_URL = "endpointURL",
    ENDPOINT_DESCRIPTION = "endpointDescription",
    SERVES_DATASET = "servesDataset",
});

vocabulary!(
    /// vCard (contact points).
    vcard, "http://www.w3.org/2006/vcard/ns#", {
    ORGANIZATION = "Organization",
    FN = "fn",
    HAS_EMAIL = "hasEmail",
});

vocabulary!(
    /// SPDX (checksums of distributions).
    spdx, "http://spdx.org/rdf/terms#", {
    CHECKSUM = "checksum",
    CHECKSUM_CLASS = "Checksum",
    ALGORITHM = "algorithm",
    CHECKSUM_VALUE = "checksumValue",
    SHA256 = "checksumAlgorithm_sha256",
});

vocabulary!(
    /// VoID (dataset statistics).
    void, "http://rdfs.org/ns/void#", {
    TRIPLES = "triples",
    DATASET = "Dataset",
    ENTITIES = "entities",
    CLASSES = "classes",
    SPARQL_ENDPOINT = "sparqlEndpoint",
    URI_SPACE = "uriSpace",
    LINKSET = "Linkset",
    SUBSET_OF = "subset",
    TARGET = "target",
    LINK_PREDICATE = "linkPredicate",
    DATA_DUMP = "dataDump",
});

/// The prefixes used when serialising Turtle or writing SPARQL for people.
pub const PREFIXES: &[(&str, &str)] = &[
    ("esam", esam::NS),
    ("rdf", rdf::NS),
    ("rdfs", rdfs::NS),
    ("owl", owl::NS),
    ("xsd", xsd::NS),
    ("org", org::NS),
    ("foaf", foaf::NS),
    ("schema", schema::NS),
    ("dcterms", dcterms::NS),
    ("skos", skos::NS),
    ("prov", prov::NS),
    ("time", time::NS),
    ("adms", adms::NS),
    ("void", void::NS),
    ("sh", sh::NS),
    ("dcat", dcat::NS),
    ("vcard", vcard::NS),
    ("spdx", spdx::NS),
];

/// Every esam ontology term defined above, for the tidy test against `ontology/esam.ttl`.
pub const ESAM_TERMS: &[NamedNodeRef<'static>] = &[
    esam::NEWSLETTER,
    esam::SECTION,
    esam::MENTION,
    esam::DECISION,
    esam::ROLE,
    esam::EVENT_TYPE,
    esam::RECOGNITION_METHOD,
    esam::BY_REFERENCE,
    esam::BY_PATTERN,
    esam::ORGANISATIONSNUMMER,
    esam::QUOTE,
    esam::CHAR_START,
    esam::CHAR_END,
    esam::MENTION_OF,
    esam::SURFACE_FORM,
    esam::RECOGNISED_BY,
    esam::DECIDED_BY,
    esam::CONCERNS,
    esam::EVENT_TYPE_PROP,
    esam::PARTICIPANT_COUNT,
    esam::STATED_MEMBER_COUNT,
    esam::LED_BY,
    esam::DATE_INFERRED_FROM,
    esam::FOLD,
    esam::PARAM,
    esam::BUILDING_BLOCK,
    esam::RESPONSIBLE,
    esam::ORGANISATION_NAME,
    esam::HAS_NAME,
    esam::TEXT_DIGEST,
];
