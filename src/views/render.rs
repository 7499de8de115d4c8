//! A view's table written out: plain JSON rows, SPARQL JSON, CSV (plain or the
//! Swedish spreadsheet dialect), an aligned text table for the terminal, and an
//! HTML page with the parameters as a form, paging and the query shown.

use std::fmt::Write as _;
use std::sync::Arc;

use oxigraph::model::{Term, Variable};
use oxigraph::sparql::QuerySolution;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use serde_json::{Map, Value, json};

use super::{Bound, Table, View};
use crate::html::{self, escape};
use crate::vocab::xsd;

/// The output forms of a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewFormat {
    /// `{"total": …, "rows": [{column: value}]}`: easy for scripts.
    Json,
    /// The SPARQL 1.1 JSON results format.
    SparqlJson,
    /// CSV with a header row.
    Csv(CsvDialect),
    /// A readable page.
    Html,
    /// The view's picture.
    Svg,
    /// An aligned plain-text table (the CLI's default).
    Text,
}

/// CSV conventions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvDialect {
    /// RFC 4180: `,` and CRLF.
    Standard,
    /// What Swedish spreadsheet programs open without an import dialog: `;`, a UTF-8 BOM.
    Swedish,
}

impl ViewFormat {
    /// From a `format` value (and `dialect=sv` for CSV).
    pub fn from_name(name: &str, dialect: Option<&str>) -> Option<Self> {
        let dialect = match dialect {
            None | Some("" | "standard") => CsvDialect::Standard,
            Some("sv" | "excel-sv") => CsvDialect::Swedish,
            Some(_) => return None,
        };
        Some(match name {
            "json" => Self::Json,
            "srj" | "sparql-json" => Self::SparqlJson,
            "csv" => Self::Csv(dialect),
            "html" => Self::Html,
            "svg" => Self::Svg,
            "table" | "text" => Self::Text,
            _ => return None,
        })
    }

    /// The media type of the response.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::SparqlJson => "application/sparql-results+json",
            Self::Csv(_) => "text/csv; charset=utf-8",
            Self::Html => "text/html; charset=utf-8",
            Self::Svg => "image/svg+xml",
            Self::Text => "text/plain; charset=utf-8",
        }
    }
}

/// A term as a person reads it: IRIs whole, literals by their lexical form.
pub fn plain(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n.as_str().to_string(),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => l.value().to_string(),
    }
}

fn json_value(term: &Term) -> Value {
    if let Term::Literal(literal) = term {
        let datatype = literal.datatype().as_str();
        if datatype.starts_with(xsd::NS)
            && ["integer", "nonNegativeInteger", "int", "long", "decimal"].contains(&&datatype[xsd::NS.len()..])
            && let Ok(n) = literal.value().parse::<serde_json::Number>()
        {
            return Value::Number(n);
        }
        if datatype == "http://www.w3.org/2001/XMLSchema#boolean" {
            return Value::Bool(literal.value() == "true");
        }
    }
    Value::String(plain(term))
}

/// Plain JSON: the view, the paging and one object per row (unbound columns left out).
pub fn json(view: &View, table: &Table) -> Vec<u8> {
    let rows: Vec<Value> = table
        .rows
        .iter()
        .map(|row| {
            let mut object = Map::new();
            for (column, value) in table.columns.iter().zip(row) {
                if let Some(term) = value {
                    object.insert(column.clone(), json_value(term));
                }
            }
            Value::Object(object)
        })
        .collect();
    let document = json!({
        "view": view.name,
        "title": view.title,
        "total": table.total,
        "offset": table.offset,
        "limit": table.limit,
        "columns": table.columns,
        "rows": rows,
    });
    let mut out = serde_json::to_vec_pretty(&document).unwrap_or_default();
    out.push(b'\n');
    out
}

/// The page as SPARQL JSON results.
pub fn sparql_json(table: &Table) -> std::io::Result<Vec<u8>> {
    let variables: Arc<[Variable]> = table.columns.iter().map(Variable::new_unchecked).collect();
    let mut out = QueryResultsSerializer::from_format(QueryResultsFormat::Json)
        .serialize_solutions_to_writer(Vec::new(), variables.to_vec())?;
    for row in &table.rows {
        out.serialize(&QuerySolution::from((Arc::clone(&variables), row.clone())))?;
    }
    out.finish()
}

/// CSV with a header row; fields quoted when they need it.
pub fn csv(table: &Table, dialect: CsvDialect) -> Vec<u8> {
    let separator = match dialect {
        CsvDialect::Standard => ',',
        CsvDialect::Swedish => ';',
    };
    let mut out = String::new();
    if dialect == CsvDialect::Swedish {
        out.push('\u{feff}');
    }
    let field = |out: &mut String, text: &str| {
        if text.contains([separator, '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&text.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(text);
        }
    };
    let line = |out: &mut String, cells: Vec<String>| {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(separator);
            }
            field(out, cell);
        }
        out.push_str("\r\n");
    };
    line(&mut out, table.columns.clone());
    for row in &table.rows {
        let cells = row.iter().map(|v| v.as_ref().map(plain).unwrap_or_default());
        let cells = match dialect {
            CsvDialect::Standard => cells.collect(),
            CsvDialect::Swedish => cells.map(neutralised).collect(),
        };
        line(&mut out, cells);
    }
    out.into_bytes()
}

/// A cell a spreadsheet would read as a formula (text from a newsletter that begins with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) made inert with a leading `'`, as OWASP
/// recommends against CSV injection; numbers (`-12`, `+3,5`) stay numbers. Only the Swedish
/// spreadsheet dialect does this: plain CSV is for programs and keeps the data as it is.
fn neutralised(cell: String) -> String {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = cell.replace(',', ".").parse::<f64>().is_ok_and(f64::is_finite);
    if formula && !number { format!("'{cell}") } else { cell }
}

/// An aligned text table, for the terminal.
pub fn text(table: &Table) -> Vec<u8> {
    let cells: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|row| row.iter().map(|v| v.as_ref().map(plain).unwrap_or_default()).collect())
        .collect();
    let widths: Vec<usize> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain([c.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut text = String::new();
        for (cell, width) in cells.iter().zip(&widths) {
            let _ = write!(text, "{cell:<width$}  ");
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&table.columns);
    line(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>());
    for row in &cells {
        line(row);
    }
    let _ = writeln!(
        out,
        "({} of {} rows, from row {})",
        table.rows.len(),
        table.total,
        table.offset + 1
    );
    out.into_bytes()
}

/// The text a cell links with: the row's `<column>Name`/`<column>Label` when there is one.
fn link_text(table: &Table, row: &[Option<Term>], column: &str, iri: &str) -> String {
    table
        .label_columns(column)
        .find_map(|index| row.get(index)?.as_ref().map(plain))
        .unwrap_or_else(|| iri.rsplit(['/', '#']).next().unwrap_or(iri).to_string())
}

/// The HTML page: title, description, a form of the parameters, the table with
/// links, paging with the real total, other formats, and the query with a link to the UI.
/// The page's own words are in `lang`; a view's title and description are written in
/// English in its file, and marked so on a Swedish page.
pub fn html(view: &View, table: &Table, bound: &Bound, pairs: &[(String, String)], lang: html::Lang) -> Vec<u8> {
    let mut body = String::new();
    let view_lang = lang.mark(html::Lang::En);
    let _ = write!(
        body,
        "<h1{view_lang}>{}</h1><p{view_lang}>{}</p>",
        escape(&view.title),
        escape(&view.description)
    );
    if !view.params.is_empty() {
        body.push_str("<form class=\"params\" method=\"get\">");
        for param in &view.params {
            let value = pairs
                .iter()
                .find(|(k, _)| *k == param.name)
                .map(|(_, v)| v.as_str())
                .unwrap_or("");
            let _ = write!(
                body,
                "<label>{name}{req} <span class=\"muted\">({kind})</span>\
                 <input name=\"{name}\" value=\"{value}\" placeholder=\"{placeholder}\" title=\"{description}\"{view_lang}></label>",
                name = escape(&param.name),
                req = if param.required { " *" } else { "" },
                kind = param.kind.name(),
                value = escape(value),
                placeholder = escape(param.default.as_deref().unwrap_or("")),
                description = escape(&param.description),
            );
        }
        let _ = write!(
            body,
            "<button type=\"submit\">{}</button></form>",
            lang.pick("Visa", "Show")
        );
    }
    let first = table.offset + usize::from(!table.rows.is_empty());
    let _ = write!(
        body,
        "<p role=\"status\">{} {first}–{} {} {}.</p>",
        lang.pick("Rad", "Rows"),
        table.offset + table.rows.len(),
        lang.pick("av", "of"),
        table.total
    );
    body.push_str("<div class=\"scroll\"><table><thead><tr>");
    for column in &table.columns {
        let _ = write!(body, "<th scope=\"col\">{}</th>", escape(column));
    }
    body.push_str("</tr></thead><tbody>");
    for row in &table.rows {
        body.push_str("<tr>");
        for (column, value) in table.columns.iter().zip(row) {
            body.push_str("<td>");
            match value {
                Some(Term::NamedNode(iri)) => {
                    let _ = write!(
                        body,
                        "<a href=\"{}\">{}</a>",
                        escape(iri.as_str()),
                        escape(&link_text(table, row, column, iri.as_str()))
                    );
                }
                Some(term) => body.push_str(&escape(&plain(term))),
                None => {}
            }
            body.push_str("</td>");
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table></div>");
    let with = |changes: &[(&str, String)]| {
        let mut kept: Vec<(&str, &str)> = pairs
            .iter()
            .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        kept.extend(changes.iter().map(|(k, v)| (*k, v.as_str())));
        escape(&html::query_string(kept))
    };
    let _ = write!(body, "<nav aria-label=\"{}\"><p>", lang.pick("Sidor", "Pages"));
    if table.offset > 0 {
        let previous = table.offset.saturating_sub(bound.limit).to_string();
        let _ = write!(
            body,
            "<a href=\"{}\">← {}</a> ",
            with(&[("offset", previous)]),
            lang.pick("Föregående", "Previous")
        );
    }
    if table.offset + table.rows.len() < table.total {
        let next = (table.offset + bound.limit).to_string();
        let _ = write!(
            body,
            "<a href=\"{}\">{} →</a>",
            with(&[("offset", next)]),
            lang.pick("Nästa", "Next")
        );
    }
    let _ = write!(body, "</p></nav><p>{}: ", lang.pick("Andra format", "Other formats"));
    for (label, format) in [("JSON", "json"), ("SPARQL JSON", "srj"), ("CSV", "csv")] {
        let _ = write!(
            body,
            "<a href=\"{}\">{label}</a> · ",
            with(&[("format", format.into())])
        );
    }
    let _ = write!(
        body,
        "<a href=\"{}\">{}</a>",
        with(&[("format", "csv".into()), ("dialect", "sv".into())]),
        lang.pick("CSV för Excel (;)", "CSV for Swedish Excel (;)")
    );
    if view.picture.is_some() {
        let _ = write!(
            body,
            " · <a href=\"{}\">{} (SVG)</a>",
            with(&[("format", "svg".into())]),
            lang.pick("Bild", "Picture")
        );
    }
    body.push_str("</p><h2>SPARQL</h2>");
    let mut bindings = String::new();
    for (name, term) in &bound.bindings {
        let _ = writeln!(bindings, "# ?{name} = {term}");
    }
    let _ = write!(
        body,
        "<pre tabindex=\"0\" aria-label=\"SPARQL\"><code>{}{}</code></pre><p><a href=\"/sparql#query={}\">{}</a></p>",
        escape(&bindings),
        escape(&view.query),
        escape(&html::url_component(&view.query)),
        lang.pick("Öppna i frågegränssnittet", "Open in the query UI")
    );
    html::page_in(lang, &view.title, &body).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Literal;

    fn table(cells: &[&str]) -> Table {
        Table {
            columns: vec!["quote".into()],
            rows: cells.iter().map(|c| vec![Some(Literal::from(*c).into())]).collect(),
            total: cells.len(),
            offset: 0,
            limit: cells.len(),
        }
    }

    #[test]
    fn formulas_are_neutralised_in_the_spreadsheet_dialect_only() {
        let cells = [
            "=HYPERLINK(\"http://evil.example\")",
            "+46 8 123",
            "-2+3",
            "@SUM(A1)",
            "\tTab",
            "\rReturn",
            "-12",
            "+3,5",
            "Skatteverket",
        ];
        let swedish = String::from_utf8(csv(&table(&cells), CsvDialect::Swedish)).unwrap();
        let lines: Vec<&str> = swedish.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines[1],
            "'=HYPERLINK(\"\"http://evil.example\"\")".replace("'=", "\"'=") + "\""
        );
        assert_eq!(&lines[2..5], ["'+46 8 123", "'-2+3", "'@SUM(A1)"]);
        assert_eq!(lines[5], "'\tTab");
        assert_eq!(lines[6], "\"'\rReturn\"", "quoted: it holds a carriage return");
        assert_eq!(&lines[7..10], ["-12", "+3,5", "Skatteverket"]);
        let standard = String::from_utf8(csv(&table(&cells), CsvDialect::Standard)).unwrap();
        assert!(
            standard.contains("\r\n@SUM(A1)\r\n") && standard.contains("\r\n-2+3\r\n"),
            "{standard}"
        );
    }
}
