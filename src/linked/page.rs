//! The HTML page of a resource: label and types, every property with linked and
//! labelled values, outbound links (Wikidata, websites) marked as such, the links
//! pointing here, and the sources of every fact — newsletter, section and the
//! quoted sentence. Everything printed is escaped.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};

use super::is_outbound;
use crate::html::{self, escape};
use crate::vocab::{self, dcterms, esam, prov, rdf, schema};

/// What a page needs besides the triples.
pub struct PageContext<'a> {
    /// The resource.
    pub iri: &'a NamedNode,
    /// Best label per IRI.
    pub labels: &'a HashMap<String, String>,
    /// Where the description's other formats are (`/doc/…` without suffix).
    pub document_path: &'a str,
    /// The site root (`http://127.0.0.1:7878/`): IRIs under it are shown as local links.
    pub site: &'a str,
    /// The language of the page's own words.
    pub lang: html::Lang,
}

/// `prefix:local` for an IRI in a known namespace, else the IRI.
fn compact(iri: &str) -> String {
    vocab::PREFIXES
        .iter()
        .find_map(|(prefix, ns)| iri.strip_prefix(ns).map(|local| format!("{prefix}:{local}")))
        .unwrap_or_else(|| iri.to_string())
}

impl PageContext<'_> {
    fn label(&self, iri: &str) -> String {
        self.labels.get(iri).cloned().unwrap_or_else(|| {
            let short = compact(iri);
            if short != iri {
                return short;
            }
            iri.strip_prefix(self.site).unwrap_or(iri).to_string()
        })
    }

    /// A link to a resource: local IRIs go to their page; others open as external links.
    fn link(&self, iri: &str) -> String {
        // Vocabulary terms are neither local pages nor links out of the dataset.
        let outside = !iri.starts_with(self.site) && compact(iri) == iri;
        format!(
            "<a href=\"{}\"{}>{}</a>{}",
            escape(iri),
            if outside { " rel=\"external\"" } else { "" },
            escape(&self.label(iri)),
            if outside {
                " <span class=\"muted\">(extern)</span>"
            } else {
                ""
            }
        )
    }

    fn value(&self, term: &Term) -> String {
        match term {
            Term::NamedNode(node) => self.link(node.as_str()),
            Term::BlankNode(node) => format!("<code>_:{}</code>", escape(node.as_str())),
            Term::Literal(literal) => {
                let mut text = escape(literal.value());
                if let Some(language) = literal.language() {
                    let _ = write!(text, " <span class=\"muted\">@{}</span>", escape(language));
                }
                text
            }
        }
    }
}

fn subject_iri(triple: &Triple) -> Option<&str> {
    match &triple.subject {
        NamedOrBlankNode::NamedNode(node) => Some(node.as_str()),
        NamedOrBlankNode::BlankNode(_) => None,
    }
}

/// An organisation's names with their validity (`esam:hasName`), oldest first: an agency
/// keeps its identity across renames, and a newsletter names it as it was called then.
fn names_over_time(context: &PageContext<'_>, triples: &[Triple], own: &[&Triple], body: &mut String) {
    let mut records: Vec<&str> = own
        .iter()
        .filter(|t| t.predicate.as_ref() == esam::HAS_NAME)
        .filter_map(|t| match &t.object {
            Term::NamedNode(node) => Some(node.as_str()),
            _ => None,
        })
        .collect();
    if records.is_empty() {
        return;
    }
    records.sort_unstable();
    let date_of = |record: &str, predicate| {
        triples
            .iter()
            .find(|t| subject_iri(t) == Some(record) && t.predicate.as_ref() == predicate)
            .and_then(|t| match &t.object {
                Term::Literal(date) => Some(escape(date.value())),
                _ => None,
            })
    };
    let unknown = context.lang.pick("okänt", "unknown");
    let _ = write!(
        body,
        "<section aria-labelledby=\"names\"><h2 id=\"names\">{}</h2><ul>",
        context.lang.pick("Namn över tid", "Names over time")
    );
    for record in records {
        let from = date_of(record, schema::VALID_FROM).unwrap_or_else(|| unknown.to_string());
        let through = date_of(record, schema::VALID_THROUGH);
        let _ = write!(
            body,
            "<li>{} <span class=\"muted\">({} {from}, {})</span></li>",
            context.link(record),
            context.lang.pick("från", "from"),
            match through {
                Some(through) => format!("{} {through}", context.lang.pick("till", "through")),
                None => context
                    .lang
                    .pick("inget slutdatum angivet", "no end stated")
                    .to_string(),
            }
        );
    }
    body.push_str("</ul></section>");
}

/// The page.
pub fn render(context: &PageContext<'_>, triples: &[Triple]) -> String {
    let iri = context.iri.as_str();
    let own: Vec<&Triple> = triples.iter().filter(|t| subject_iri(t) == Some(iri)).collect();
    let title = context.label(iri);
    let mut body = String::new();
    let _ = write!(body, "<h1>{}</h1><p><code>{}</code></p>", escape(&title), escape(iri));
    let types: Vec<String> = own
        .iter()
        .filter(|t| t.predicate.as_ref() == rdf::TYPE)
        .map(|t| context.value(&t.object))
        .collect();
    if !types.is_empty() {
        let _ = write!(
            body,
            "<p>{}: {}</p>",
            context.lang.pick("Typ", "Type"),
            types.join(", ")
        );
    }

    names_over_time(context, triples, &own, &mut body);

    // Properties, grouped by predicate; outbound links apart.
    let mut properties: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut outbound = Vec::new();
    for triple in &own {
        let predicate = triple.predicate.as_str();
        if triple.predicate.as_ref() == rdf::TYPE {
            continue;
        }
        if is_outbound(predicate) {
            outbound.push(context.value(&triple.object));
        }
        properties
            .entry(compact(predicate))
            .or_default()
            .push(context.value(&triple.object));
    }
    if !outbound.is_empty() {
        let _ = write!(
            body,
            "<section aria-labelledby=\"out\"><h2 id=\"out\">{}</h2><ul><li>{}</li></ul></section>",
            context.lang.pick("Länkar ut", "Links out"),
            outbound.join("</li><li>")
        );
    }
    let _ = write!(
        body,
        "<section aria-labelledby=\"props\"><h2 id=\"props\">{}</h2><div class=\"scroll\"><table>\
         <thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        context.lang.pick("Egenskaper", "Properties"),
        context.lang.pick("Egenskap", "Property"),
        context.lang.pick("Värde", "Value"),
    );
    for (predicate, values) in &properties {
        let _ = write!(
            body,
            "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td></tr>",
            escape(predicate),
            values.join("<br>")
        );
    }
    body.push_str("</tbody></table></div></section>");

    // Links pointing here, by predicate.
    let mut incoming: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for triple in triples {
        if let (Some(subject), Term::NamedNode(object)) = (subject_iri(triple), &triple.object)
            && object.as_str() == iri
            && subject != iri
        {
            incoming
                .entry(compact(triple.predicate.as_str()))
                .or_default()
                .push(context.link(subject));
        }
    }
    if !incoming.is_empty() {
        let _ = write!(
            body,
            "<section aria-labelledby=\"in\"><h2 id=\"in\">{}</h2>",
            context.lang.pick("Länkar hit", "Links here")
        );
        for (predicate, subjects) in &incoming {
            let _ = write!(
                body,
                "<h3><code>{}</code> ({})</h3><ul><li>{}</li></ul>",
                escape(predicate),
                subjects.len(),
                subjects.join("</li><li>")
            );
        }
        body.push_str("</section>");
    }

    // Sources: every fact (this resource or one pointing here) with its sentence.
    let mut facts: BTreeMap<&str, Vec<&Triple>> = BTreeMap::new();
    for triple in triples {
        if let Some(subject) = subject_iri(triple) {
            facts.entry(subject).or_default().push(triple);
        }
    }
    let quoted: Vec<(&str, &Vec<&Triple>)> = facts
        .iter()
        .filter(|(_, ts)| ts.iter().any(|t| t.predicate.as_ref() == esam::QUOTE))
        .map(|(s, ts)| (*s, ts))
        .collect();
    if !quoted.is_empty() {
        let _ = write!(
            body,
            "<section aria-labelledby=\"sources\"><h2 id=\"sources\">{}</h2>",
            context.lang.pick("Källor", "Sources")
        );
        for (fact, statements) in quoted {
            let find = |predicate: oxigraph::model::NamedNodeRef<'_>| {
                statements
                    .iter()
                    .find(|t| t.predicate.as_ref() == predicate)
                    .map(|t| t.object.clone())
            };
            let quote = match find(esam::QUOTE) {
                Some(Term::Literal(quote)) => quote.value().to_string(),
                _ => continue,
            };
            let section = find(prov::WAS_DERIVED_FROM);
            let section_facts = section.as_ref().and_then(|s| {
                if let Term::NamedNode(n) = s {
                    facts.get(n.as_str())
                } else {
                    None
                }
            });
            let heading = section_facts.and_then(|ts| {
                ts.iter()
                    .find(|t| t.predicate.as_ref() == dcterms::TITLE)
                    .map(|t| t.object.clone())
            });
            let newsletter = section_facts.and_then(|ts| {
                ts.iter()
                    .find(|t| t.predicate.as_ref() == dcterms::IS_PART_OF)
                    .map(|t| t.object.clone())
            });
            let _ = write!(
                body,
                "<figure><blockquote lang=\"sv\">{}</blockquote><figcaption>",
                escape(&quote)
            );
            if let Some(newsletter) = &newsletter {
                body.push_str(&context.value(newsletter));
            }
            if let Some(Term::Literal(heading)) = &heading {
                let _ = write!(
                    body,
                    ", {} ”{}”",
                    context.lang.pick("avsnitt", "section"),
                    escape(heading.value())
                );
            }
            let _ = write!(
                body,
                " · {}: {}</figcaption></figure>",
                context.lang.pick("fakta", "fact"),
                context.link(fact)
            );
        }
        body.push_str("</section>");
    }

    let path = escape(context.document_path);
    let _ = write!(
        body,
        "<p>{}: <a href=\"{path}.ttl\">Turtle</a> · <a href=\"{path}.nt\">N-Triples</a> · \
         <a href=\"{path}.jsonld\">JSON-LD</a> · <a href=\"{path}.rdf\">RDF/XML</a> · \
         <a href=\"/views/sources?about={}&amp;format=html\">{}</a></p>",
        context.lang.pick("Som data", "As data"),
        escape(&html::url_component(iri)),
        context.lang.pick("alla källor", "all sources"),
    );
    html::page_in(context.lang, &title, &body)
}
