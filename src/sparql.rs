//! SPARQL policy shared by the CLI and the server: parsing with the usual
//! prefixes, the default graph as the union of all graphs (unless the request
//! names its dataset), no federated SERVICE calls, and the standard result
//! formats.

use std::io::Write;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, SparqlEvaluator, SparqlSyntaxError};

use crate::store::{Store, with_prefixes};
use crate::vocab;

/// Why a query could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum SparqlError {
    /// The query does not parse; the message has the line and column.
    #[error("the query does not parse: {0}")]
    Syntax(#[from] SparqlSyntaxError),
    /// Evaluation failed.
    #[error("the query failed: {0}")]
    Evaluation(#[from] QueryEvaluationError),
    /// The requested format does not fit the query form.
    #[error("{format} cannot represent the result of a {form} query")]
    FormatMismatch {
        /// The format asked for.
        format: &'static str,
        /// SELECT/ASK or CONSTRUCT/DESCRIBE.
        form: &'static str,
    },
    /// Writing the results failed.
    #[error("cannot write the results: {0}")]
    Output(#[from] std::io::Error),
}

/// Every output format of a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    /// A SELECT/ASK results format.
    Solutions(QueryResultsFormat),
    /// An RDF format for CONSTRUCT/DESCRIBE.
    Graph(RdfFormat),
}

impl ResultFormat {
    /// Parses a short name: json, xml, csv, tsv, ttl, nt, jsonld, rdfxml, nq, trig.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "json" | "srj" => Self::Solutions(QueryResultsFormat::Json),
            "xml" | "srx" => Self::Solutions(QueryResultsFormat::Xml),
            "csv" => Self::Solutions(QueryResultsFormat::Csv),
            "tsv" => Self::Solutions(QueryResultsFormat::Tsv),
            "ttl" | "turtle" => Self::Graph(RdfFormat::Turtle),
            "nt" | "ntriples" | "n-triples" => Self::Graph(RdfFormat::NTriples),
            "jsonld" | "json-ld" => Self::Graph(RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            }),
            "rdf" | "rdfxml" | "rdf/xml" => Self::Graph(RdfFormat::RdfXml),
            "nq" | "nquads" => Self::Graph(RdfFormat::NQuads),
            "trig" => Self::Graph(RdfFormat::TriG),
            _ => return None,
        })
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Solutions(f) => f.media_type(),
            Self::Graph(f) => f.media_type(),
        }
    }
}

/// The dataset a query runs on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dataset {
    /// `default-graph-uri`: these graphs merged form the default graph.
    pub default_graphs: Vec<NamedNode>,
    /// `named-graph-uri`: only these named graphs are visible.
    pub named_graphs: Vec<NamedNode>,
}

/// A parsed query, ready to run.
pub struct PreparedQuery {
    inner: oxigraph::sparql::PreparedSparqlQuery,
}

/// Parses `query`; the default graph is the union of all graphs unless the query
/// (FROM/FROM NAMED) or `dataset` says otherwise.
pub fn prepare(query: &str, dataset: &Dataset) -> Result<PreparedQuery, SparqlError> {
    let mut evaluator = SparqlEvaluator::new();
    for (prefix, iri) in vocab::PREFIXES {
        evaluator = evaluator
            .with_prefix(*prefix, *iri)
            .map_err(|e| SparqlError::Output(std::io::Error::other(e.to_string())))?;
    }
    let mut prepared = evaluator.parse_query(query)?;
    let spec = prepared.dataset_mut();
    if !dataset.default_graphs.is_empty() || !dataset.named_graphs.is_empty() {
        spec.set_default_graph(dataset.default_graphs.iter().cloned().map(GraphName::from).collect());
        if !dataset.named_graphs.is_empty() {
            spec.set_available_named_graphs(
                dataset
                    .named_graphs
                    .iter()
                    .cloned()
                    .map(NamedOrBlankNode::from)
                    .collect(),
            );
        }
    } else if spec.is_default_dataset() {
        spec.set_default_graph_as_union();
    }
    Ok(PreparedQuery { inner: prepared })
}

/// Runs a prepared query.
pub fn execute(store: &Store, query: PreparedQuery) -> Result<QueryResults<'static>, SparqlError> {
    Ok(query.inner.on_store(store.oxigraph()).execute()?)
}

/// The natural format for a result when none was asked for.
pub fn default_format(results: &QueryResults<'_>) -> ResultFormat {
    match results {
        QueryResults::Graph(_) => ResultFormat::Graph(RdfFormat::Turtle),
        _ => ResultFormat::Solutions(QueryResultsFormat::Json),
    }
}

/// Writes `results` in `format`, streaming solution by solution.
pub fn write_results(results: QueryResults<'_>, format: ResultFormat, writer: impl Write) -> Result<(), SparqlError> {
    match (results, format) {
        (QueryResults::Solutions(solutions), ResultFormat::Solutions(format)) => {
            let mut out = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(writer, solutions.variables().to_vec())?;
            for solution in solutions {
                out.serialize(&solution?)?;
            }
            out.finish()?;
        }
        (QueryResults::Boolean(value), ResultFormat::Solutions(format)) => {
            QueryResultsSerializer::from_format(format).serialize_boolean_to_writer(writer, value)?;
        }
        (QueryResults::Graph(triples), ResultFormat::Graph(format)) => {
            let mut out = with_prefixes(RdfSerializer::from_format(format)).for_writer(writer);
            for triple in triples {
                out.serialize_triple(&triple?)?;
            }
            out.finish()?;
        }
        (QueryResults::Graph(_), ResultFormat::Solutions(format)) => {
            return Err(SparqlError::FormatMismatch {
                format: format.name(),
                form: "CONSTRUCT/DESCRIBE",
            });
        }
        (_, ResultFormat::Graph(format)) => {
            return Err(SparqlError::FormatMismatch {
                format: format.name(),
                form: "SELECT/ASK",
            });
        }
    }
    Ok(())
}

/// Runs `query` on `store` and writes the results (in `format`, or the natural one).
pub fn run(store: &Store, query: &str, format: Option<ResultFormat>, writer: impl Write) -> Result<(), SparqlError> {
    let results = execute(store, prepare(query, &Dataset::default())?)?;
    let format = format.unwrap_or_else(|| default_format(&results));
    write_results(results, format, writer)
}

/// Runs a query whose first solution binds `?n` to a number (a COUNT), and returns it.
pub fn count(store: &Store, query: &str) -> Result<u64, SparqlError> {
    if let QueryResults::Solutions(mut solutions) = execute(store, prepare(query, &Dataset::default())?)?
        && let Some(solution) = solutions.next()
        && let Some(oxigraph::model::Term::Literal(n)) = solution?.get("n")
    {
        return Ok(n.value().parse().unwrap_or(0));
    }
    Ok(0)
}
