//! The views describing themselves, all from the parsed view files: as RDF (each
//! view a `sh:SPARQLSelectExecutable` with `sh:parameter`s, the query's text in
//! `sh:select`), as an OpenAPI 3 document, and as the HTML index.

use std::fmt::Write as _;

use oxigraph::model::{BlankNode, Literal, NamedNode, Term, Triple};
use serde_json::{Map, Value, json};

use super::{Param, ParamKind, Views};
use crate::html::{self, escape};
use crate::ids::Ids;
use crate::vocab::{dcterms, rdf, rdfs, schema, sh, xsd};

fn en(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "en")
}

fn datatype(param: &Param) -> Option<NamedNode> {
    match param.kind {
        ParamKind::Date => Some(xsd::DATE.into_owned()),
        ParamKind::Integer => Some(xsd::INTEGER.into_owned()),
        ParamKind::Text => Some(xsd::STRING.into_owned()),
        ParamKind::Iri(_) => None,
    }
}

/// The catalogue as RDF triples.
pub fn triples(views: &Views, ids: &Ids) -> Vec<Triple> {
    let mut out = Vec::new();
    let mut add = |s: &Term, p: oxigraph::model::NamedNodeRef<'_>, o: Term| {
        if let Term::NamedNode(s) = s {
            out.push(Triple::new(s.clone(), p.into_owned(), o));
        } else if let Term::BlankNode(s) = s {
            out.push(Triple::new(s.clone(), p.into_owned(), o));
        }
    };
    for view in views.iter() {
        let node: Term = ids.view(&view.name).into();
        add(&node, rdf::TYPE, sh::SPARQL_SELECT_EXECUTABLE.into_owned().into());
        add(&node, rdfs::LABEL, en(&view.title).into());
        add(&node, rdfs::COMMENT, en(&view.description).into());
        add(
            &node,
            dcterms::IDENTIFIER,
            Literal::new_simple_literal(&view.name).into(),
        );
        add(&node, sh::SELECT, Literal::new_simple_literal(&view.query).into());
        add(
            &node,
            schema::URL,
            Literal::new_typed_literal(format!("{}views/{}", ids.site(), view.name), xsd::ANY_URI).into(),
        );
        for (order, param) in view.params.iter().enumerate() {
            let p: Term = BlankNode::default().into();
            add(&node, sh::PARAMETER, p.clone());
            add(&p, rdf::TYPE, sh::PARAMETER_CLASS.into_owned().into());
            add(&p, sh::NAME, Literal::new_simple_literal(&param.name).into());
            add(&p, sh::DESCRIPTION, en(&param.description).into());
            add(&p, sh::ORDER, Literal::from(order as i64).into());
            add(&p, sh::OPTIONAL, Literal::from(!param.required).into());
            if let Some(datatype) = datatype(param) {
                add(&p, sh::DATATYPE, datatype.into());
            }
            if let ParamKind::Iri(classes) = &param.kind {
                for class in classes {
                    add(&p, sh::CLASS, class.clone().into());
                }
            }
            if let Some(default) = &param.default {
                add(&p, sh::DEFAULT_VALUE, Literal::new_simple_literal(default).into());
            }
        }
    }
    out
}

fn schema_of(param: &Param) -> Value {
    let mut schema = match &param.kind {
        ParamKind::Date => json!({"type": "string", "format": "date"}),
        ParamKind::Integer => json!({"type": "integer"}),
        ParamKind::Text => json!({"type": "string", "maxLength": 200}),
        ParamKind::Iri(_) => json!({"type": "string"}),
    };
    if !param.values.is_empty() {
        schema["enum"] = json!(param.values);
    }
    if let Some(default) = param.default.as_ref().filter(|d| *d != "today") {
        schema["default"] = match param.kind {
            ParamKind::Integer => default.parse::<i64>().map_or(json!(default), |n| json!(n)),
            _ => json!(default),
        };
    }
    schema
}

fn describe_param(param: &Param) -> String {
    let mut text = param.description.clone();
    if let ParamKind::Iri(classes) = &param.kind {
        let classes: Vec<String> = classes.iter().map(|c| c.as_str().to_string()).collect();
        let _ = write!(
            text,
            " An IRI{}, or a name that resolves to exactly one (case, diacritics and a genitive -s are ignored).",
            if classes.is_empty() {
                String::new()
            } else {
                format!(" of a {}", classes.join(" or "))
            }
        );
    }
    if param.default.as_deref() == Some("today") {
        text.push_str(" Defaults to today.");
    }
    text.trim().to_string()
}

/// The OpenAPI 3 document of every view.
pub fn openapi(views: &Views, ids: &Ids) -> Value {
    let mut paths = Map::new();
    for view in views.iter() {
        let mut parameters: Vec<Value> = view
            .params
            .iter()
            .map(|param| {
                let mut described = json!({
                    "name": param.name,
                    "in": "query",
                    "required": param.required && param.default.is_none(),
                    "description": describe_param(param),
                    "schema": schema_of(param),
                });
                if let Some(example) = &param.example {
                    described["example"] = json!(example);
                }
                described
            })
            .collect();
        for shared in ["format", "dialect", "limit", "offset"] {
            parameters.push(json!({"$ref": format!("#/components/parameters/{shared}")}));
        }
        let mut responses = json!({
            "200": {
                "description": "One page of the result.",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ViewResult"}},
                    "application/sparql-results+json": {"schema": {"type": "object"}},
                    "text/csv": {"schema": {"type": "string"}},
                    "text/html": {"schema": {"type": "string"}},
                }
            },
            "400": {"$ref": "#/components/responses/BadRequest"},
            "503": {"$ref": "#/components/responses/TimedOut"},
        });
        if view.picture.is_some() {
            responses["200"]["content"]["image/svg+xml"] = json!({"schema": {"type": "string"}});
        }
        paths.insert(
            format!("/views/{}", view.name),
            json!({"get": {
                "operationId": view.name.replace('-', "_"),
                "summary": view.title,
                "description": format!("{}{}", view.description,
                    view.sort.as_ref().map(|s| format!(" Sorted by {s}.")).unwrap_or_default()),
                "tags": ["views"],
                "parameters": parameters,
                "responses": responses,
            }}),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "esam-kg views",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Curated, parameterised questions over the eSam newsletter knowledge graph. \
                Each view is a SPARQL query in the service's queries/ directory; parameters are bound as \
                RDF terms, never spliced into the query text.",
        },
        "servers": [{"url": ids.site().trim_end_matches('/')}],
        "paths": paths,
        "components": {
            "parameters": {
                "format": {"name": "format", "in": "query", "required": false,
                    "description": "Output form; otherwise chosen by the Accept header (JSON by default).",
                    "schema": {"type": "string", "enum": ["json", "srj", "csv", "html", "svg"]}},
                "dialect": {"name": "dialect", "in": "query", "required": false,
                    "description": "With format=csv: 'sv' gives ';'-separated CSV with a UTF-8 byte order mark, which Swedish spreadsheet programs open directly.",
                    "schema": {"type": "string", "enum": ["standard", "sv"]}},
                "limit": {"name": "limit", "in": "query", "required": false,
                    "description": "Rows per page.",
                    "schema": {"type": "integer", "minimum": 1, "default": super::params::DEFAULT_LIMIT}},
                "offset": {"name": "offset", "in": "query", "required": false,
                    "description": "Rows to skip.",
                    "schema": {"type": "integer", "minimum": 0, "default": 0}},
            },
            "schemas": {
                "ViewResult": {
                    "type": "object",
                    "required": ["view", "total", "offset", "limit", "columns", "rows"],
                    "properties": {
                        "view": {"type": "string"},
                        "title": {"type": "string"},
                        "total": {"type": "integer", "description": "Rows in the whole result, not just this page."},
                        "offset": {"type": "integer"},
                        "limit": {"type": "integer"},
                        "columns": {"type": "array", "items": {"type": "string"}},
                        "rows": {"type": "array", "items": {"type": "object",
                            "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]}}},
                    }
                }
            },
            "responses": {
                "BadRequest": {"description": "A parameter is missing or not of its declared type; the body names it.",
                    "content": {"text/plain": {"schema": {"type": "string"}}}},
                "TimedOut": {"description": "The query ran past the time limit.",
                    "content": {"text/plain": {"schema": {"type": "string"}}}},
            }
        }
    })
}

/// The HTML index: every view with its parameters and links to its forms.
pub fn index_html(views: &Views, lang: html::Lang) -> String {
    let mut body = String::from(lang.pick(
        "<h1>Vyer</h1><p>Färdiga frågor över eSams nyhetsbrev. Varje vy finns som tabell (HTML), \
         JSON, SPARQL JSON och CSV; beskrivningen finns även som <a href=\"/openapi.json\">OpenAPI</a> \
         och <a href=\"/views?format=ttl\">RDF</a>.</p><dl>",
        "<h1>Views</h1><p>Ready-made queries over eSam's newsletters. Each view is available as a table \
         (HTML), JSON, SPARQL JSON and CSV; the catalogue is also published as \
         <a href=\"/openapi.json\">OpenAPI</a> and <a href=\"/views?format=ttl\">RDF</a>.</p><dl>",
    ));
    // The views' titles and descriptions are written in English.
    let view_lang = lang.mark(html::Lang::En);
    for view in views.iter() {
        let _ = write!(
            body,
            "<dt><a href=\"/views/{name}\"{view_lang}>{title}</a> <code>{name}</code></dt><dd><span{view_lang}>{description}</span>",
            name = escape(&view.name),
            title = escape(&view.title),
            description = escape(&view.description)
        );
        if !view.params.is_empty() {
            let _ = write!(
                body,
                "<br><span class=\"muted\">{}: ",
                lang.pick("Parametrar", "Parameters")
            );
            let names: Vec<String> = view
                .params
                .iter()
                .map(|p| {
                    format!(
                        "<code>{}</code> ({}{})",
                        escape(&p.name),
                        p.kind.name(),
                        if p.required {
                            lang.pick(", krävs", ", required")
                        } else {
                            ""
                        }
                    )
                })
                .collect();
            body.push_str(&names.join(", "));
            body.push_str("</span>");
        }
        if view.picture.is_some() {
            let _ = write!(
                body,
                " · <a href=\"/views/{}?format=svg\">{}</a>",
                escape(&view.name),
                lang.pick("bild", "picture")
            );
        }
        body.push_str("</dd>");
    }
    body.push_str("</dl>");
    html::page_in(lang, lang.pick("Vyer", "Views"), &body)
}
