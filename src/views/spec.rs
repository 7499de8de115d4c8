//! A view file: the metadata header in `#` comments and the SPARQL below it.
//!
//! ```text
//! # title: Participation
//! # description: Which organisations took part in which working group or project.
//! # param: organisation iri(org:Organization) -- Only this organisation (an IRI or a name)
//! # param: from date -- Only what was reported on or after this day
//! # param: type string values=möte,temadag default=möte -- The event type
//! # param: at date required default=today -- Membership as of this day
//! # param: group iri(org:OrganizationalUnit) example=Finansiell+status -- The group
//! # sort: group, organisation
//! # picture: matrix rows=organisationName columns=groupName
//! SELECT …
//! ```
//!
//! A parameter reaches the query as an RDF term through the function
//! `esam:param("name")`, which the query binds where it needs it:
//! `BIND(esam:param("organisation") AS ?organisation)` first in the group makes
//! it a constraint when given and no constraint when not. The query's text never
//! changes with the request.

use std::path::Path;

use oxigraph::model::NamedNode;

use crate::vocab;

/// What a parameter accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamKind {
    /// An IRI of one of these classes (any class when empty), or a name that resolves to one.
    Iri(Vec<NamedNode>),
    /// A day, `YYYY-MM-DD` (`today` as a default means the day of the request).
    Date,
    /// Free text (bounded in length), optionally one of `values`.
    Text,
    /// A whole number.
    Integer,
}

impl ParamKind {
    /// The short name used in headers and documentation.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Iri(_) => "iri",
            Self::Date => "date",
            Self::Text => "string",
            Self::Integer => "integer",
        }
    }
}

/// One declared parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The parameter name, which is also the bound variable's name.
    pub name: String,
    /// What it accepts.
    pub kind: ParamKind,
    /// Whether a request must give it (a default counts as giving it).
    pub required: bool,
    /// The value used when the request gives none.
    pub default: Option<String>,
    /// The allowed values, when the view lists them.
    pub values: Vec<String>,
    /// A value that works on the bundled data, for documentation and generated clients.
    pub example: Option<String>,
    /// What it does, for people.
    pub description: String,
}

/// How a view's result is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picture {
    /// A grid: one row per value of `rows`, one column per value of `columns`, a mark where a row has both.
    Matrix {
        /// The column of the result whose values label the rows.
        rows: String,
        /// The column whose values label the columns.
        columns: String,
    },
    /// A network: an edge from `source` to `target`, as thick as `weight`.
    Network {
        /// Column of one end.
        source: String,
        /// Column of the other end.
        target: String,
        /// Numeric column giving the edge's weight.
        weight: String,
    },
    /// A timeline: one mark per row at `date`, labelled `label`.
    Timeline {
        /// Column holding the date.
        date: String,
        /// Column holding the label.
        label: String,
    },
}

impl Picture {
    /// The result columns the picture reads.
    pub fn columns(&self) -> Vec<&str> {
        match self {
            Self::Matrix { rows, columns } => vec![rows, columns],
            Self::Network { source, target, weight } => vec![source, target, weight],
            Self::Timeline { date, label } => vec![date, label],
        }
    }
}

/// A parsed view file.
#[derive(Debug, Clone)]
pub struct View {
    /// The file stem: the view's name in URLs.
    pub name: String,
    /// A short title.
    pub title: String,
    /// What the view answers.
    pub description: String,
    /// The parameters, in declaration order.
    pub params: Vec<Param>,
    /// The default sort, as documented (the query's ORDER BY implements it).
    pub sort: Option<String>,
    /// The picture, if the view has one.
    pub picture: Option<Picture>,
    /// The SPARQL text (the whole file: comments are SPARQL comments).
    pub query: String,
}

/// Parameter names every view takes; a view may not declare them.
pub const GLOBAL_PARAMS: &[&str] = &["format", "limit", "offset", "dialect"];

/// A problem in a view file, with the line it is on (1-based; 0 for the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct SpecError {
    /// The line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

fn error(line: usize, message: impl Into<String>) -> SpecError {
    SpecError {
        line,
        message: message.into(),
    }
}

impl View {
    /// Parses a view file named `name` (the file stem).
    pub fn parse(name: &str, text: &str) -> Result<Self, SpecError> {
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(error(
                0,
                format!("view name {name:?}: use lower-case letters, digits and '-'"),
            ));
        }
        let mut view = View {
            name: name.to_string(),
            title: String::new(),
            description: String::new(),
            params: Vec::new(),
            sort: None,
            picture: None,
            query: text.to_string(),
        };
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let Some(comment) = line.trim_start().strip_prefix('#') else {
                break;
            };
            let Some((key, value)) = comment.split_once(':') else {
                continue;
            };
            let (key, value) = (key.trim(), value.trim());
            match key {
                "title" => view.title = value.to_string(),
                "description" => {
                    if !view.description.is_empty() {
                        view.description.push(' ');
                    }
                    view.description.push_str(value);
                }
                "sort" => view.sort = Some(value.to_string()),
                "param" => {
                    let param = parse_param(value).map_err(|message| error(number, message))?;
                    if view.params.iter().any(|p| p.name == param.name) {
                        return Err(error(number, format!("parameter {:?} is declared twice", param.name)));
                    }
                    view.params.push(param);
                }
                "picture" => view.picture = Some(parse_picture(value).map_err(|message| error(number, message))?),
                // Other comments with a colon are prose.
                _ => {}
            }
        }
        if view.title.is_empty() {
            return Err(error(0, "the header has no '# title:' line"));
        }
        for param in &view.params {
            if !view.query.contains(&format!("esam:param(\"{}\")", param.name)) {
                return Err(error(
                    0,
                    format!(
                        "parameter {:?} is not used: the query has no esam:param(\"{}\")",
                        param.name, param.name
                    ),
                ));
            }
        }
        for used in used_params(&view.query) {
            if view.param(used).is_none() {
                return Err(error(
                    0,
                    format!("the query uses esam:param(\"{used}\"), which the header does not declare"),
                ));
            }
        }
        Ok(view)
    }

    /// The declared parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// `NAME TYPE [required] [default=V] [values=a,b] [example=V] -- description`.
fn parse_param(spec: &str) -> Result<Param, String> {
    let (head, description) = match spec.split_once("--") {
        Some((head, description)) => (head, description.trim()),
        None => (spec, ""),
    };
    let mut words = head.split_whitespace();
    let name = words.next().ok_or("a parameter needs a name and a type")?;
    if !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return Err(format!("parameter name {name:?}: use lower-case letters"));
    }
    if GLOBAL_PARAMS.contains(&name) {
        return Err(format!("{name:?} is a parameter of every view and cannot be declared"));
    }
    let kind = parse_kind(words.next().ok_or(format!("parameter {name:?} has no type"))?)?;
    let mut param = Param {
        name: name.to_string(),
        kind,
        required: false,
        default: None,
        values: Vec::new(),
        example: None,
        description: description.to_string(),
    };
    for word in words {
        match word.split_once('=') {
            None if word == "required" => param.required = true,
            Some(("default", value)) => param.default = Some(value.to_string()),
            Some(("values", list)) => param.values = list.split(',').map(str::to_string).collect(),
            // Examples may contain spaces: written with '+' for a space ("example=Finansiell+status").
            Some(("example", value)) => param.example = Some(value.replace('+', " ")),
            _ => return Err(format!("parameter {name:?}: unknown option {word:?}")),
        }
    }
    Ok(param)
}

fn parse_kind(word: &str) -> Result<ParamKind, String> {
    Ok(match word {
        "date" => ParamKind::Date,
        "string" => ParamKind::Text,
        "integer" => ParamKind::Integer,
        "iri" => ParamKind::Iri(Vec::new()),
        _ => {
            let classes = word
                .strip_prefix("iri(")
                .and_then(|rest| rest.strip_suffix(')'))
                .ok_or(format!(
                    "unknown type {word:?}: use iri, iri(CLASS|…), date, string or integer"
                ))?;
            ParamKind::Iri(classes.split('|').map(expand).collect::<Result<_, _>>()?)
        }
    })
}

/// `org:Organization` → the full IRI, with the prefixes every query has.
fn expand(curie: &str) -> Result<NamedNode, String> {
    let (prefix, local) = curie.split_once(':').ok_or(format!("{curie:?} is not prefix:Name"))?;
    let namespace = vocab::PREFIXES
        .iter()
        .find(|(p, _)| *p == prefix)
        .map(|(_, ns)| *ns)
        .ok_or(format!("unknown prefix in {curie:?}"))?;
    NamedNode::new(format!("{namespace}{local}")).map_err(|e| format!("{curie:?}: {e}"))
}

fn parse_picture(spec: &str) -> Result<Picture, String> {
    let mut words = spec.split_whitespace();
    let kind = words
        .next()
        .ok_or("a picture needs a kind: matrix, network or timeline")?;
    let options: Vec<(&str, &str)> = words.filter_map(|w| w.split_once('=')).collect();
    let get = |key: &str| {
        options
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_string())
            .ok_or(format!("a {kind} picture needs {key}=COLUMN"))
    };
    Ok(match kind {
        "matrix" => Picture::Matrix {
            rows: get("rows")?,
            columns: get("columns")?,
        },
        "network" => Picture::Network {
            source: get("source")?,
            target: get("target")?,
            weight: get("weight")?,
        },
        "timeline" => Picture::Timeline {
            date: get("date")?,
            label: get("label")?,
        },
        other => return Err(format!("unknown picture {other:?}: use matrix, network or timeline")),
    })
}

/// The names the query passes to `esam:param`.
fn used_params(query: &str) -> Vec<&str> {
    query
        .match_indices("esam:param(\"")
        .filter_map(|(at, needle)| {
            let rest = &query[at + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// The file stem of a view file, if it is one (`*.rq`).
pub fn view_name(path: &Path) -> Option<&str> {
    (path.extension()? == "rq").then(|| path.file_stem()?.to_str())?
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEW: &str = "# title: T\n# description: One\n# description: two.\n\
        # param: organisation iri(org:Organization|org:OrganizationalUnit) required -- Who\n\
        # param: from date default=2020-01-01\n# picture: matrix rows=a columns=b\n\
        SELECT * WHERE { BIND(esam:param(\"organisation\") AS ?organisation) ?organisation ?p ?o \
        FILTER(?o > esam:param(\"from\")) }\n";

    #[test]
    fn header_is_read() {
        let view = View::parse("t", VIEW).unwrap();
        assert_eq!(view.title, "T");
        assert_eq!(view.description, "One two.");
        assert_eq!(view.params.len(), 2);
        assert_eq!(
            view.params[0].kind,
            ParamKind::Iri(vec![
                vocab::org::ORGANIZATION.into_owned(),
                vocab::org::ORGANIZATIONAL_UNIT.into_owned()
            ])
        );
        assert!(view.params[0].required);
        assert_eq!(view.params[0].description, "Who");
        assert_eq!(view.params[1].default.as_deref(), Some("2020-01-01"));
        assert_eq!(
            view.picture,
            Some(Picture::Matrix {
                rows: "a".into(),
                columns: "b".into()
            })
        );
    }

    #[test]
    fn mistakes_name_the_line() {
        let bad_type = "# title: T\n# param: x number\nSELECT * { ?x ?p ?o }";
        assert_eq!(View::parse("t", bad_type).unwrap_err().line, 2);
        let unused = "# title: T\n# param: y date\nSELECT * { ?x ?p ?y }";
        assert!(View::parse("t", unused).unwrap_err().message.contains("not used"));
        let undeclared = "# title: T\nSELECT * { ?x ?p ?o FILTER(?o = esam:param(\"z\")) }";
        assert!(
            View::parse("t", undeclared)
                .unwrap_err()
                .message
                .contains("does not declare")
        );
        let reserved = "# title: T\n# param: limit integer\nSELECT * { ?limit ?p ?o }";
        assert!(View::parse("t", reserved).is_err());
        assert!(View::parse("t", "SELECT * {}").is_err(), "no title");
        assert!(View::parse("Bad Name", "# title: T\nASK {}").is_err());
    }
}
