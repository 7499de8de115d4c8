//! Curated query views: the `.rq` files in `queries/`, each a SPARQL query with a
//! header of metadata (title, description, typed parameters, sort, picture).
//! This module owns loading them, binding request parameters as RDF terms (never
//! by splicing text), running them under the query policy, and writing the
//! result as plain JSON, SPARQL JSON, CSV, an HTML table, an SVG picture, and the
//! catalogue itself as RDF and as an OpenAPI document. Adding a view is adding a file.

pub mod describe;
pub mod params;
pub mod render;
pub mod spec;
pub mod svg;

use std::path::{Path, PathBuf};

use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;

pub use params::Bound;
pub use spec::{Param, ParamKind, Picture, View};

use crate::sparql::{self, Dataset, QueryPolicy, SparqlError};
use crate::store::Store;

/// Why a view could not be loaded or answered.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    /// The views directory cannot be read.
    #[error("cannot read the views in {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A view file is malformed.
    #[error("{path}: {source}")]
    Spec {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the line.
        source: spec::SpecError,
    },
    /// A view's query does not parse.
    #[error("{path}: {source}")]
    Query {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        source: SparqlError,
    },
    /// No view has this name.
    #[error("there is no view {0:?}")]
    Unknown(String),
    /// A request parameter is wrong.
    #[error("parameter {name:?}: {message}")]
    Param {
        /// The parameter.
        name: String,
        /// What was expected.
        message: String,
    },
    /// The query failed or ran out of time.
    #[error(transparent)]
    Sparql(#[from] SparqlError),
    /// The store could not be read.
    #[error("reading the store: {0}")]
    Store(#[from] oxigraph::store::StorageError),
}

/// Every view, by name.
#[derive(Debug, Clone, Default)]
pub struct Views {
    views: Vec<View>,
    /// Where they were read from.
    pub dir: PathBuf,
}

impl Views {
    /// Reads and checks every `*.rq` file in `dir`: headers parse, queries parse.
    pub fn load(dir: &Path) -> Result<Self, ViewError> {
        let io = |source| ViewError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut views = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            let Some(name) = spec::view_name(&path) else {
                continue;
            };
            let text = std::fs::read_to_string(&path).map_err(|source| ViewError::Io {
                path: path.clone(),
                source,
            })?;
            let view = View::parse(name, &text).map_err(|source| ViewError::Spec {
                path: path.clone(),
                source,
            })?;
            sparql::prepare(&view.query, &Dataset::default()).map_err(|source| ViewError::Query {
                path: path.clone(),
                source,
            })?;
            views.push(view);
        }
        views.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Self {
            views,
            dir: dir.to_path_buf(),
        })
    }

    /// The view called `name`.
    pub fn get(&self, name: &str) -> Result<&View, ViewError> {
        self.views
            .iter()
            .find(|v| v.name == name)
            .ok_or_else(|| ViewError::Unknown(name.to_string()))
    }

    /// All views, by name.
    pub fn iter(&self) -> impl Iterator<Item = &View> {
        self.views.iter()
    }
}

/// One page of a view's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column (variable) names, in the query's order.
    pub columns: Vec<String>,
    /// The rows of this page; `None` where a variable is unbound.
    pub rows: Vec<Vec<Option<Term>>>,
    /// How many rows the whole result has.
    pub total: usize,
    /// Rows skipped before this page.
    pub offset: usize,
    /// Page size asked for.
    pub limit: usize,
}

impl Table {
    /// The index of a column.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The columns that label `column`'s IRIs, by the views' convention: `<column>Name`, then
    /// `<column>Label`, those that exist.
    pub fn label_columns<'t>(&'t self, column: &str) -> impl Iterator<Item = usize> + 't {
        let names = ["Name", "Label"].map(|suffix| format!("{column}{suffix}"));
        names.into_iter().filter_map(move |name| self.column(&name))
    }
}

/// Runs `view` with validated parameters under the time limit of `policy`.
pub fn run(store: &Store, view: &View, bound: &Bound, policy: QueryPolicy) -> Result<Table, ViewError> {
    let query = sparql::prepare_with_params(&view.query, &Dataset::default(), bound.bindings.clone())?;
    let table = sparql::with_limits(store, query, policy, |results| {
        let QueryResults::Solutions(solutions) = results else {
            return Err(SparqlError::FormatMismatch {
                format: "a table",
                form: "CONSTRUCT/DESCRIBE/ASK",
            });
        };
        let columns: Vec<String> = solutions.variables().iter().map(|v| v.as_str().to_string()).collect();
        let mut rows = Vec::new();
        let mut total = 0;
        for solution in solutions {
            let solution = solution?;
            if total >= bound.offset && rows.len() < bound.limit {
                rows.push(solution.values().to_vec());
            }
            total += 1;
        }
        Ok(Table {
            columns,
            rows,
            total,
            offset: bound.offset,
            limit: bound.limit,
        })
    })?;
    Ok(table)
}

/// Labels in the reader's language. The views select Swedish labels (and an organisation's
/// name as it was when the newsletter was issued); a reader whose first language is another
/// gets, in the label column of each IRI column ([`Table::label_columns`]), the IRI's
/// `skos:prefLabel` or `foaf:name` in that language — the Swedish label stays where there is none.
pub fn relabel(store: &Store, table: &mut Table, languages: &[&str]) -> Result<(), ViewError> {
    let Some(&first) = languages.first() else { return Ok(()) };
    if first == "sv" {
        return Ok(());
    }
    let pairs: Vec<(usize, usize)> = (0..table.columns.len())
        .filter_map(|iri_column| {
            let label_column = table.label_columns(&table.columns[iri_column]).next()?;
            Some((iri_column, label_column))
        })
        .collect();
    let mut cache: std::collections::HashMap<oxigraph::model::NamedNode, Option<Term>> = Default::default();
    for row in &mut table.rows {
        for &(iri_column, label_column) in &pairs {
            let Some(Some(Term::NamedNode(iri))) = row.get(iri_column) else {
                continue;
            };
            let label = match cache.get(iri) {
                Some(label) => label.clone(),
                None => {
                    let label = label_in(store, iri, first)?;
                    cache.insert(iri.clone(), label.clone());
                    label
                }
            };
            if let Some(label) = label {
                row[label_column] = Some(label);
            }
        }
    }
    Ok(())
}

/// An IRI's `skos:prefLabel` or `foaf:name` in `language`, from any graph.
fn label_in(store: &Store, iri: &oxigraph::model::NamedNode, language: &str) -> Result<Option<Term>, ViewError> {
    for predicate in [crate::vocab::skos::PREF_LABEL, crate::vocab::foaf::NAME] {
        for quad in store
            .oxigraph()
            .quads_for_pattern(Some(iri.as_ref().into()), Some(predicate), None, None)
        {
            let quad = quad?;
            if let Term::Literal(label) = &quad.object
                && label.language() == Some(language)
            {
                return Ok(Some(quad.object));
            }
        }
    }
    Ok(None)
}

/// Where the views are read from: `ESAM_KG_VIEWS`, else `queries/` in the working
/// directory, else the `queries/` of the source tree this binary was built from.
pub fn default_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ESAM_KG_VIEWS") {
        return PathBuf::from(dir);
    }
    let local = PathBuf::from("queries");
    if local.is_dir() {
        return local;
    }
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/queries"))
}
