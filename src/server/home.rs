//! `GET /`: the home page — what the dataset is, counts by kind, the latest newsletters, and
//! the ways in (views, SPARQL, dumps, the dataset description), in Swedish or English.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::{ApiError, AppState, entity_tag_of, header_text};
use crate::html;
use crate::sparql::{self, Dataset, SparqlError};

/// `GET /`: what the dataset is, counts by kind, the newsletters, the views, the query UI, the dumps.
pub(super) async fn home(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let task_state = state.clone();
    let lang = page_lang(&headers);
    let tag = entity_tag_of(&state.version(), &("home", format!("{lang:?}")));
    let (page, media_type) = match state.kept(&tag) {
        Some(kept) => kept,
        None => {
            state
                .made_and_kept(&tag, move || {
                    Ok((home_page(&task_state, lang)?.into_bytes(), "text/html; charset=utf-8"))
                })
                .await?
        }
    };
    let mut response = page.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    Ok(response)
}

/// The Swedish words for the counts `stats` names in English.
fn count_label(label: &str, lang: html::Lang) -> &str {
    let swedish = match label {
        "documents" => "nyhetsbrev",
        "organisations mentioned" => "organisationer som nämns",
        "organisations in reference data" => "organisationer i referensdata",
        "people" => "personer",
        "groups" => "arbetsgrupper och projekt",
        "events" => "händelser",
        "decisions" => "beslut",
        "mentions" => "omnämnanden",
        other => other,
    };
    lang.pick(swedish, label)
}

fn home_page(state: &AppState, lang: html::Lang) -> Result<String, ApiError> {
    use std::fmt::Write as _;
    let t = |sv: &'static str, en: &'static str| lang.pick(sv, en);
    let mut body = format!(
        "<h1>{}</h1><p>{}</p><form method=\"get\" action=\"/views/search\" role=\"search\"><label>{} \
         <input name=\"q\" required minlength=\"2\"></label><input type=\"hidden\" name=\"format\" value=\"html\"> \
         <button type=\"submit\">{}</button></form><h2>{}</h2><table><tbody>",
        t("eSam-grafen", "The eSam graph"),
        t(
            "En länkad datamängd byggd ur eSams nyhetsbrev: vilka myndigheter som deltog i vilka arbetsgrupper och \
             projekt, vem som leder vad, vad styrgruppen beslutade och vilka möten som hölls — varje uppgift med \
             nyhetsbrevet, avsnittet och meningen den kommer från.",
            "A linked dataset built from the eSam newsletters: which authorities took part in which working groups \
             and projects, who leads what, what the steering group decided and which meetings took place — each \
             fact with the newsletter, section and sentence it comes from.",
        ),
        t("Sök", "Search"),
        t("Sök", "Search"),
        t("Innehåll", "Contents"),
    );
    for (label, query) in crate::stats::COUNTS {
        let n = sparql::count(&state.store, query)?;
        let _ = write!(
            body,
            "<tr><th scope=\"row\">{}</th><td>{n}</td></tr>",
            html::escape(count_label(label, lang))
        );
    }
    let _ = write!(body, "</tbody></table><h2>{}</h2><ul>", t("Nyhetsbrev", "Newsletters"));
    let newsletters = "SELECT ?d ?title ?issued WHERE { ?d a esam:Newsletter ; dcterms:title ?title . \
                       OPTIONAL { ?d dcterms:issued ?issued } } ORDER BY DESC(STR(?issued)) ?d LIMIT 24";
    if let oxigraph::sparql::QueryResults::Solutions(rows) =
        sparql::execute(&state.store, sparql::prepare(newsletters, &Dataset::default())?)?
    {
        for row in rows {
            let row = row.map_err(|e| ApiError::from(SparqlError::from(e)))?;
            let (Some(oxigraph::model::Term::NamedNode(doc)), Some(title)) = (row.get("d"), row.get("title")) else {
                continue;
            };
            let issued = row.get("issued").map(crate::views::render::plain).unwrap_or_default();
            let _ = write!(
                body,
                "<li><a href=\"{}\">{}</a> {}</li>",
                html::escape(doc.as_str()),
                html::escape(&crate::views::render::plain(title)),
                html::escape(&issued)
            );
        }
    }
    let _ = write!(
        body,
        "</ul><h2>{}</h2><ul><li><a href=\"/views\">{}</a> — {} (<a href=\"/openapi.json\">OpenAPI</a>)</li>\
         <li><a href=\"/sparql\">SPARQL</a> — {}</li>\
         <li><a href=\"/dump.nq\">{}</a> (N-Quads, <a href=\"/dump.nq.gz\">gzip</a>, <a href=\"/dump.ttl\">Turtle</a>)</li>\
         <li><a href=\"/dataset\">{}</a> (DCAT-AP-SE) · <a href=\"/ns\">{}</a> · <a href=\"/changes.atom\">{}</a></li></ul>\
         <p class=\"muted\">{} <code>{}</code>.</p>",
        t("Använd datan", "Use the data"),
        t("Vyer", "Views"),
        t(
            "färdiga frågor som tabeller, CSV, JSON och bilder",
            "ready-made questions as tables, CSV, JSON and pictures"
        ),
        t(
            "frågegränssnitt och SPARQL 1.1-ändpunkt",
            "query interface and SPARQL 1.1 endpoint"
        ),
        t("Hela datamängden", "The whole dataset"),
        t("Beskrivning av datamängden", "Dataset description"),
        t("ontologin", "the ontology"),
        t("ändringar (Atom)", "changes (Atom)"),
        t("Identifierare skapas under", "Identifiers are minted under"),
        html::escape(state.ids.base())
    );
    Ok(html::page_in(lang, t("eSam-grafen", "The eSam graph"), &body))
}

/// The language of a page's own words for this request (`Accept-Language`, Swedish first).
pub(super) fn page_lang(headers: &HeaderMap) -> html::Lang {
    html::Lang::from_accept(&crate::linked::languages(header_text(headers, header::ACCEPT_LANGUAGE)))
}
