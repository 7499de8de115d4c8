//! The ontology's documentation page, generated from `ontology/esam.ttl`:
//! classes, properties (with domain and range), datatypes and individuals, each
//! with its Swedish and English label and comment, and an example query.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Literal, NamedNodeRef, Term, Triple};

use crate::html::{self, escape, url_component};
use crate::vocab::{esam, owl, rdf, rdfs};

/// One term's statements, by predicate.
type Statements = BTreeMap<String, Vec<Term>>;

fn terms(ontology: &str) -> BTreeMap<String, Statements> {
    let mut terms: BTreeMap<String, Statements> = BTreeMap::new();
    for quad in RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(ontology.as_bytes())
        .flatten()
    {
        let triple = Triple::from(quad);
        if let oxigraph::model::NamedOrBlankNode::NamedNode(subject) = &triple.subject
            && subject.as_str().starts_with(esam::NS)
        {
            terms
                .entry(subject.as_str().to_string())
                .or_default()
                .entry(triple.predicate.as_str().to_string())
                .or_default()
                .push(triple.object);
        }
    }
    terms
}

fn text_in(statements: &Statements, predicate: NamedNodeRef<'_>, language: &str) -> String {
    statements
        .get(predicate.as_str())
        .into_iter()
        .flatten()
        .find_map(|t| match t {
            Term::Literal(l) if l.language() == Some(language) => Some(l.value().to_string()),
            _ => None,
        })
        .unwrap_or_default()
}

fn local(iri: &str) -> &str {
    iri.rsplit(['#', '/']).next().unwrap_or(iri)
}

fn curie(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => crate::vocab::PREFIXES
            .iter()
            .find_map(|(p, ns)| n.as_str().strip_prefix(ns).map(|l| format!("{p}:{l}")))
            .unwrap_or_else(|| n.as_str().to_string()),
        Term::Literal(l) => Literal::value(l).to_string(),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

/// The sections of the page: anchor, Swedish and English heading.
const GROUPS: [(&str, &str, &str); 4] = [
    ("classes", "Klasser", "Classes"),
    ("properties", "Egenskaper", "Properties"),
    ("functions", "SPARQL-funktioner", "SPARQL functions"),
    ("other", "Övrigt", "Other"),
];

/// The HTML page, its own words in `lang` (each term's labels and comments in both languages).
pub fn page(ontology: &str, lang: html::Lang) -> String {
    let terms = terms(ontology);
    let kind_of = |statements: &Statements| -> &'static str {
        let types: Vec<&str> = statements
            .get(rdf::TYPE.as_str())
            .into_iter()
            .flatten()
            .filter_map(|t| {
                if let Term::NamedNode(n) = t {
                    Some(n.as_str())
                } else {
                    None
                }
            })
            .collect();
        if types.contains(&owl::CLASS.as_str()) {
            "classes"
        } else if types.contains(&owl::OBJECT_PROPERTY.as_str()) || types.contains(&owl::DATATYPE_PROPERTY.as_str()) {
            "properties"
        } else if types.iter().any(|t| t.ends_with("Function")) {
            "functions"
        } else {
            "other"
        }
    };
    let mut body = format!(
        "<h1>{}</h1><p>{} <code>{}</code>. {} <a href=\"/ns.ttl\">/ns.ttl</a>.</p><nav aria-label=\"{}\"><ul>",
        lang.pick("esam-kg-ontologin", "The esam-kg ontology"),
        lang.pick("Namnrymd", "Namespace"),
        escape(esam::NS),
        lang.pick(
            "Ontologin återanvänder ORG, FOAF, schema.org, PROV-O, DCTERMS och SKOS; här står de egna termerna. Som Turtle:",
            "The ontology reuses ORG, FOAF, schema.org, PROV-O, DCTERMS and SKOS; these are its own terms. As Turtle:"
        ),
        lang.pick("Innehåll", "Contents"),
    );
    for (anchor, sv, en) in GROUPS {
        let _ = write!(body, "<li><a href=\"#{anchor}\">{}</a></li>", lang.pick(sv, en));
    }
    body.push_str("</ul></nav>");
    for (group, sv, en) in GROUPS {
        let members: Vec<(&String, &Statements)> = terms.iter().filter(|(_, s)| kind_of(s) == group).collect();
        if members.is_empty() {
            continue;
        }
        let _ = write!(
            body,
            "<section aria-labelledby=\"{group}\"><h2 id=\"{group}\">{}</h2>",
            lang.pick(sv, en)
        );
        for (iri, statements) in members {
            let name = local(iri);
            let _ = write!(
                body,
                "<article id=\"{name}\"><h3>esam:{name}</h3><p lang=\"sv\"><strong>{}</strong> — {}</p>\
                 <p lang=\"en\"><strong>{}</strong> — {}</p>",
                escape(&text_in(statements, rdfs::LABEL, "sv")),
                escape(&text_in(statements, rdfs::COMMENT, "sv")),
                escape(&text_in(statements, rdfs::LABEL, "en")),
                escape(&text_in(statements, rdfs::COMMENT, "en")),
                name = escape(name),
            );
            let mut facts = Vec::new();
            for (label, predicate) in [
                (lang.pick("Typ", "Type"), rdf::TYPE.as_str()),
                (lang.pick("Underklass till", "Subclass of"), rdfs::SUB_CLASS_OF.as_str()),
                (
                    lang.pick("Underegenskap till", "Subproperty of"),
                    rdfs::SUB_PROPERTY_OF.as_str(),
                ),
                (
                    lang.pick("Domän", "Domain"),
                    "http://www.w3.org/2000/01/rdf-schema#domain",
                ),
                (
                    lang.pick("Värdemängd", "Range"),
                    "http://www.w3.org/2000/01/rdf-schema#range",
                ),
            ] {
                if let Some(values) = statements.get(predicate) {
                    let values: Vec<String> = values
                        .iter()
                        .map(|v| format!("<code>{}</code>", escape(&curie(v))))
                        .collect();
                    facts.push(format!("<dt>{label}</dt><dd>{}</dd>", values.join(", ")));
                }
            }
            if !facts.is_empty() {
                let _ = write!(body, "<dl>{}</dl>", facts.concat());
            }
            let example = match group {
                "classes" => Some(format!("SELECT ?resource WHERE {{ ?resource a esam:{name} }} LIMIT 20")),
                "properties" => Some(format!(
                    "SELECT ?subject ?value WHERE {{ ?subject esam:{name} ?value }} LIMIT 20"
                )),
                _ => None,
            };
            if let Some(example) = example {
                let _ = write!(
                    body,
                    "<p>{}: <a href=\"/sparql#query={}\"><code>{}</code></a></p>",
                    lang.pick("Exempel", "Example"),
                    escape(&url_component(&example)),
                    escape(&example)
                );
            }
            body.push_str("</article>");
        }
        body.push_str("</section>");
    }
    html::page_in(lang, lang.pick("Ontologi", "Ontology"), &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_term_has_a_section() {
        let page = page(crate::reference::ONTOLOGY_TTL, html::Lang::Sv);
        let english = super::page(crate::reference::ONTOLOGY_TTL, html::Lang::En);
        assert!(english.contains("<html lang=\"en\">") && english.contains(">Classes</h2>"));
        assert!(page.contains("<html lang=\"sv\">") && page.contains(">Klasser</h2>"));
        for term in crate::vocab::ESAM_TERMS {
            assert!(
                page.contains(&format!("<h3>esam:{}</h3>", local(term.as_str()))),
                "{term}"
            );
        }
        assert!(page.contains("Organisationsnummer"));
    }
}
