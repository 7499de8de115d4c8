//! The query UI: YASGUI (vendored in `assets/yasgui/`, compiled into the binary,
//! so it works without internet) on the page browsers get at `GET /sparql`, with
//! one tab per curated view and the ontology's prefixes declared in each.
//! `#query=…` in the page's address opens that query; `#run` runs the first tab.

use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use super::AppState;
use crate::html;
use crate::vocab;

const YASGUI_JS: &[u8] = include_bytes!("../../assets/yasgui/yasgui.min.js");
const YASGUI_CSS: &[u8] = include_bytes!("../../assets/yasgui/yasgui.min.css");

/// The assets never change within a build: cache them for a day.
fn asset(body: &'static [u8], media_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    response
}

/// `GET /ui/yasgui.min.js`.
pub(super) async fn script() -> Response {
    asset(YASGUI_JS, "text/javascript; charset=utf-8")
}

/// `GET /ui/yasgui.min.css`.
pub(super) async fn style() -> Response {
    asset(YASGUI_CSS, "text/css; charset=utf-8")
}

/// The `PREFIX` lines of every prefix the endpoint predeclares.
fn prologue() -> String {
    vocab::PREFIXES
        .iter()
        .map(|(prefix, iri)| format!("PREFIX {prefix}: <{iri}>\n"))
        .collect()
}

/// The query without its `#` header lines.
fn without_header(query: &str) -> String {
    query
        .lines()
        .skip_while(|line| line.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The UI page: YASGUI, and the views as example tabs (participation first).
pub(super) fn page(state: &AppState, lang: html::Lang) -> Html<String> {
    let mut views: Vec<_> = state.views.iter().collect();
    views.sort_by_key(|v| (v.name != "participation", v.name.clone()));
    let examples: Vec<_> = views
        .iter()
        .map(|view| {
            json!({
                "title": view.title,
                "query": format!("# {}\n{}{}", view.title, prologue(), without_header(&view.query)),
            })
        })
        .collect();
    // JSON inside <script>: no "<" may appear raw, or "</script>" in data would end it.
    let examples = serde_json::to_string(&examples)
        .unwrap_or_else(|_| "[]".into())
        .replace('<', "\\u003c");
    let intro = lang.pick(
        "Frågor mot hela grafen (standardgrafen är alla nyhetsbrev och referensdata). \
         Flikarna är de <a href=\"/views\">kurerade vyerna</a>; parametrarna (<code>esam:param</code>) är obundna här.",
        "Queries over the whole graph (the default graph is every newsletter and the reference data). \
         The tabs are the <a href=\"/views\">curated views</a>; their parameters (<code>esam:param</code>) are unbound here.",
    );
    let body = format!(
        "<h1>SPARQL</h1><p>{intro}</p>\
         <div id=\"yasgui\"></div>\
         <script type=\"application/json\" id=\"examples\">{examples}</script>\
         <script src=\"/ui/yasgui.min.js\"></script>\
         <script>{SCRIPT}</script>"
    );
    let page = html::page_in(lang, "SPARQL", &body).replace(
        "</head>",
        "<link rel=\"stylesheet\" href=\"/ui/yasgui.min.css\"></head>",
    );
    Html(page)
}

const SCRIPT: &str = r#"
(function () {
  var examples = JSON.parse(document.getElementById("examples").textContent);
  var hash = new URLSearchParams(location.hash.slice(1));
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: new URL("/sparql", location.href).href, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false
  });
  var first = yasgui.getTab();
  var tabs = examples.slice();
  if (hash.get("query")) {
    tabs.unshift({ title: "Fråga", query: hash.get("query") });
  }
  if (tabs.length > 0) {
    first.setName(tabs[0].title);
    first.setQuery(tabs[0].query);
  }
  tabs.slice(1).forEach(function (example) {
    // A tab that is not shown has no editor yet: its query goes in its configuration.
    yasgui.addTab(false, { name: example.title, yasqe: { value: example.query } });
  });
  if (hash.has("run")) {
    first.query();
  }
  window.esamYasgui = yasgui;
})();
"#;
