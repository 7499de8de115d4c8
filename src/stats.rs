//! Counts reported by `esam-kg stats` (and, later, the home page), as SPARQL
//! over the union graph with the contract's terms.

/// (label, query returning one `?n`).
pub const COUNTS: &[(&str, &str)] = &[
    (
        "documents",
        "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a esam:Newsletter }",
    ),
    (
        "organisations mentioned",
        "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?d schema:mentions ?o . ?o a org:Organization }",
    ),
    (
        "organisations in reference data",
        "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a org:Organization ; skos:prefLabel ?l }",
    ),
    ("people", "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a foaf:Person }"),
    (
        "groups",
        "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?d a esam:Newsletter ; schema:mentions ?g . { ?g a org:OrganizationalCollaboration } UNION { ?g a org:OrganizationalUnit } FILTER NOT EXISTS { ?g a org:FormalOrganization } }",
    ),
    (
        "events",
        "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a schema:Event }",
    ),
    (
        "decisions",
        "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a esam:Decision }",
    ),
    (
        "mentions",
        "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a esam:Mention }",
    ),
];
