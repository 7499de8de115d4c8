//! SPARQL policy shared by the CLI and the server: parsing with the usual
//! prefixes, the default graph as the merge of all graphs (unless the request
//! names its dataset), no federated SERVICE calls, and the standard result
//! formats.

pub mod memory;
pub mod nesting;
mod params;
mod watchdog;

pub use watchdog::cancel_all as cancel_all_queries;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Term};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator, SparqlSyntaxError};

use crate::store::{Store, with_prefixes};
use crate::vocab::{self, xsd};

/// Why a query could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum SparqlError {
    /// The query does not parse; the message has the line and column.
    #[error("the query does not parse: {0}")]
    Syntax(#[from] SparqlSyntaxError),
    /// Evaluation failed.
    #[error("the query failed: {0}")]
    Evaluation(QueryEvaluationError),
    /// The query ran longer than the time limit and was stopped.
    #[error("the query was stopped after the time limit of {0:?}")]
    TimedOut(Duration),
    /// The query held more memory than its budget (bytes) and was stopped.
    #[error("the query was stopped past its memory budget of {}", memory::describe(*.0))]
    OverMemory(u64),
    /// No result format matches what the client accepts.
    #[error("no result format matches Accept: {0}")]
    NotAcceptable(String),
    /// The query calls a remote endpoint, which this service does not do.
    #[error("SERVICE calls to other endpoints are disabled on this server: {0}")]
    ServiceDisabled(String),
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
    /// An update failed while it ran (nothing was changed).
    #[error("the update failed: {0}")]
    Update(#[from] oxigraph::sparql::UpdateEvaluationError),
    /// The store failed while the merged default graph was kept after an update.
    #[error("the store failed: {0}")]
    Store(#[from] oxigraph::store::StorageError),
    /// The request names a dataset (using-graph-uri, using-named-graph-uri) and the update
    /// names its own (USING, WITH): the protocol forbids both.
    #[error(
        "the request gives using-graph-uri/using-named-graph-uri and the update has USING or WITH of its own; give one or the other"
    )]
    DatasetConflict,
    /// The update has a `LOAD`, which would fetch a document from the web: this server
    /// fetches nothing (as with SERVICE).
    #[error(
        "LOAD is disabled on this server: it fetches nothing from other servers; send the data itself with the Graph Store protocol (PUT/POST /store?graph=IRI) or INSERT DATA"
    )]
    LoadDisabled,
    /// The text nests deeper, or chains longer, than the limits (checked before parsing).
    #[error("the query or update is refused before parsing: {0}")]
    TooComplex(#[from] nesting::TooComplex),
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
    /// What relative IRIs in the request resolve against (the server's base IRI, so that
    /// `<org/skatteverket>` names the organisation).
    pub base: Option<String>,
}

impl Dataset {
    /// Whether the request named graphs of its own (the protocol's dataset parameters).
    fn is_given(&self) -> bool {
        !self.default_graphs.is_empty() || !self.named_graphs.is_empty()
    }
}

/// Limits applied to every query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryPolicy {
    /// Evaluation (including writing the results) is stopped after this long.
    pub time_limit: Duration,
    /// At most this many solutions are returned (`None`: no cap).
    pub max_rows: Option<usize>,
    /// A query whose evaluating thread holds more than this many bytes it allocated since the
    /// query began is stopped (`None`: no budget; see [`memory`]).
    pub memory_limit: Option<u64>,
}

impl QueryPolicy {
    /// For the operator's own command line: no row cap, a day's time.
    pub const LOCAL: Self = Self {
        time_limit: Duration::from_secs(24 * 3600),
        max_rows: None,
        memory_limit: None,
    };
}

/// A parsed query, ready to run.
pub struct PreparedQuery {
    inner: oxigraph::sparql::PreparedSparqlQuery,
    cancellation: CancellationToken,
    /// The memory budget the evaluator's periodic check holds the query to (0: none), set
    /// when the query runs, and whether the check found it spent.
    budget: Arc<MemoryBudget>,
}

/// The memory budget of one query, as its cancellation check sees it.
#[derive(Default)]
struct MemoryBudget {
    bytes: AtomicU64,
    spent: AtomicBool,
}

impl MemoryBudget {
    /// Whether the query's evaluating thread holds more than 7/8 of the budget (see
    /// [`memory`]); consulted by the evaluator about every thousand steps of its in-memory
    /// loops. The eighth is for what the allocator keeps resident beside what is held, and for a
    /// collection that doubles between two checks: stopped at the whole budget, an ORDER BY over
    /// a product grew a release server by 1,092 MiB with a budget of 1,024 (2026-12-07).
    fn spent(&self) -> bool {
        let bytes = self.bytes.load(Ordering::Relaxed);
        if bytes != 0 && memory::used() > bytes - bytes / 8 {
            self.spent.store(true, Ordering::Relaxed);
        }
        self.spent.load(Ordering::Relaxed)
    }
}

/// Parses `query`; the default graph is the union of all graphs unless the query
/// (FROM/FROM NAMED) or `dataset` says otherwise. `SERVICE` is refused at evaluation.
pub fn prepare(query: &str, dataset: &Dataset) -> Result<PreparedQuery, SparqlError> {
    prepare_with_params(query, dataset, Vec::new())
}

/// Like [`prepare`], with `esam:param("name")` answering the given terms (and
/// nothing, i.e. unbound, for other names). This is how view parameters reach a
/// query: as RDF terms through a function, never spliced into its text.
pub fn prepare_with_params(
    query: &str,
    dataset: &Dataset,
    params: Vec<(String, Term)>,
) -> Result<PreparedQuery, SparqlError> {
    prepare_params(query, dataset, params, true)
}

/// Like [`prepare_with_params`], with the parameters reaching the query only through
/// `esam:param` at evaluation, never as constants the planner sees: the reference the
/// constants are checked against (the views' tests), slower on a large store.
#[doc(hidden)]
pub fn prepare_with_param_function(
    query: &str,
    dataset: &Dataset,
    params: Vec<(String, Term)>,
) -> Result<PreparedQuery, SparqlError> {
    prepare_params(query, dataset, params, false)
}

fn prepare_params(
    query: &str,
    dataset: &Dataset,
    params: Vec<(String, Term)>,
    as_constants: bool,
) -> Result<PreparedQuery, SparqlError> {
    nesting::check(query)?;
    let budget = Arc::new(MemoryBudget::default());
    let checked = Arc::clone(&budget);
    let cancellation = CancellationToken::with_check(move || checked.spent());
    let params_for_planner = if as_constants { params.clone() } else { Vec::new() };
    let evaluator = base_evaluator(dataset.base.as_deref())?
        .with_cancellation_token(cancellation.clone())
        .with_custom_function(vocab::esam::PARAM.into_owned(), move |args: &[Term]| match args {
            [Term::Literal(name)] => params
                .iter()
                .find(|(key, _)| key == name.value())
                .map(|(_, term)| term.clone()),
            _ => None,
        });
    // Given parameters become constants the planner can use (`sparql::params`); without any,
    // the evaluator's own parser, whose prefixes are already parsed, is the cheaper path.
    let mut prepared = if params_for_planner.is_empty() {
        evaluator.parse_query(query)?
    } else {
        let mut parsed = query_parser(dataset.base.as_deref())?.parse_query(query)?;
        params::substitute(&mut parsed, &params_for_planner);
        evaluator.for_query(parsed)
    };
    let spec = prepared.dataset_mut();
    // The protocol's dataset is exactly the graphs it names: given only default graphs, no
    // named graph is visible, and the other way round (SPARQL 1.1 Protocol §2.1.4).
    if dataset.is_given() {
        spec.set_default_graph(dataset.default_graphs.iter().cloned().map(GraphName::from).collect());
        spec.set_available_named_graphs(
            dataset
                .named_graphs
                .iter()
                .cloned()
                .map(NamedOrBlankNode::from)
                .collect(),
        );
    }
    // Otherwise the default graph stays the store's, which holds the merge of all graphs.
    Ok(PreparedQuery {
        inner: prepared,
        cancellation,
        budget,
    })
}

impl PreparedQuery {
    /// Seeds evaluation with `variable` bound to `term` (Oxigraph's initial bindings):
    /// every pattern is evaluated with it bound, so lookups use it. FILTERs do not see
    /// such a binding, and in a SELECT the variable must be projected; for values a
    /// query needs in expressions, use [`prepare_with_params`] and `esam:param`.
    pub fn substitute(mut self, variable: &str, term: impl Into<Term>) -> Self {
        self.inner = self
            .inner
            .substitute_variable(oxigraph::model::Variable::new_unchecked(variable), term);
        self
    }
}

/// `esam:fold(text)`: the text lower-cased with diacritics removed ("Försäkringskassan"
/// → "forsakringskassan"), for searches that ignore case and accents. Plain strings
/// and language-tagged literals are folded; anything else is an error (unbound).
fn fold_function(args: &[Term]) -> Option<Term> {
    match args {
        [Term::Literal(text)] if text.datatype() == xsd::STRING || text.language().is_some() => {
            Some(Literal::new_simple_literal(fold(text.value())).into())
        }
        _ => None,
    }
}

/// Lower case without diacritics: the form names are compared in.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// The evaluator every query and update starts from: the base IRI, `esam:fold` and the
/// predeclared prefixes; made once per base and thread, and cloned. Parsing the prefixes' IRIs
/// for every request took about 50,000 instructions, a fifth of what a trivial query costs the
/// server (callgrind, `ASK {}`).
fn base_evaluator(base: Option<&str>) -> Result<SparqlEvaluator, SparqlError> {
    // One per thread, not one behind a lock: with a thread per connection, a shared one was
    // a lock every query of every connection took.
    thread_local! {
        static KEPT: std::cell::RefCell<Option<(Option<String>, SparqlEvaluator)>> =
            const { std::cell::RefCell::new(None) };
    }
    KEPT.with_borrow_mut(|kept| {
        if let Some((kept_base, evaluator)) = &*kept
            && kept_base.as_deref() == base
        {
            return Ok(evaluator.clone());
        }
        let plain = match base {
            Some(base) => base_iri_evaluator(base)?,
            None => SparqlEvaluator::new(),
        }
        .with_custom_function(vocab::esam::FOLD.into_owned(), fold_function);
        let evaluator = with_prefixes_of(plain)?;
        *kept = Some((base.map(str::to_string), evaluator.clone()));
        Ok(evaluator)
    })
}

fn sparql_setup_error(error: &dyn std::fmt::Display) -> SparqlError {
    SparqlError::Output(std::io::Error::other(error.to_string()))
}

/// An evaluator that resolves relative IRIs against `base`.
fn base_iri_evaluator(base: &str) -> Result<SparqlEvaluator, SparqlError> {
    SparqlEvaluator::new()
        .with_base_iri(base)
        .map_err(|e| sparql_setup_error(&e))
}

/// `evaluator` with the predeclared prefixes.
fn with_prefixes_of(mut evaluator: SparqlEvaluator) -> Result<SparqlEvaluator, SparqlError> {
    for (prefix, iri) in vocab::PREFIXES {
        evaluator = evaluator
            .with_prefix(*prefix, *iri)
            .map_err(|e| sparql_setup_error(&e))?;
    }
    Ok(evaluator)
}

/// The parser of queries and updates: the predeclared prefixes, relative IRIs against `base`.
fn query_parser(base: Option<&str>) -> Result<spargebra::SparqlParser, SparqlError> {
    let mut parser = spargebra::SparqlParser::new();
    if let Some(base) = base {
        parser = parser.with_base_iri(base).map_err(|e| sparql_setup_error(&e))?;
    }
    for (prefix, iri) in vocab::PREFIXES {
        parser = parser.with_prefix(*prefix, *iri).map_err(|e| sparql_setup_error(&e))?;
    }
    Ok(parser)
}

/// Parses and runs a SPARQL 1.1 Update with the usual prefixes, in one transaction.
/// `using` (the protocol's `using-graph-uri`/`using-named-graph-uri`) is the dataset of every
/// operation; an update that names its own (`USING`, `WITH`) as well is refused, as the
/// protocol says (§2.2.3).
/// What it writes into the default graph is kept in `default_writes` (see [`Store::update_with`]).
pub fn update(store: &Store, text: &str, using: &Dataset, default_writes: &NamedNode) -> Result<(), SparqlError> {
    nesting::check(text)?;
    let evaluator = base_evaluator(using.base.as_deref())?;
    let parsed = query_parser(using.base.as_deref())?.parse_update(text)?;
    if parsed
        .operations
        .iter()
        .any(|operation| matches!(operation, spargebra::GraphUpdateOperation::Load { .. }))
    {
        return Err(SparqlError::LoadDisabled);
    }
    let mut prepared = evaluator.for_update(parsed);
    if using.is_given() {
        if prepared.using_datasets().any(|d| !d.is_default_dataset()) {
            return Err(SparqlError::DatasetConflict);
        }
        for spec in prepared.using_datasets_mut() {
            spec.set_default_graph(using.default_graphs.iter().cloned().map(GraphName::from).collect());
            spec.set_available_named_graphs(using.named_graphs.iter().cloned().map(NamedOrBlankNode::from).collect());
        }
    }
    store.update_with(default_writes, |transaction| {
        prepared
            .on_transaction(transaction)
            .execute()
            .map_err(SparqlError::from)
    })
}

/// Runs a prepared query (evaluation is lazy: limits apply while results are read).
pub fn execute(store: &Store, query: PreparedQuery) -> Result<QueryResults<'static>, SparqlError> {
    // Natively, on one snapshot: the store keeps the merge as its default graph.
    query
        .inner
        .on_store(store.oxigraph())
        .execute()
        .map_err(SparqlError::from)
}

impl From<QueryEvaluationError> for SparqlError {
    /// `SERVICE` failures say that SERVICE is disabled here; the rest are evaluation errors.
    fn from(error: QueryEvaluationError) -> Self {
        match error {
            QueryEvaluationError::UnsupportedService(name) => Self::ServiceDisabled(name.to_string()),
            QueryEvaluationError::UnboundService | QueryEvaluationError::InvalidServiceName(_) => {
                Self::ServiceDisabled("SERVICE".into())
            }
            other => Self::Evaluation(other),
        }
    }
}

/// What writing the results produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Written {
    /// Solutions or triples written.
    pub rows: usize,
    /// Whether the row cap cut the results short.
    pub capped: bool,
}

/// Parses, evaluates and writes a query under `policy`: evaluation and writing
/// are cancelled when the time limit passes.
pub fn run_with_policy(
    store: &Store,
    query: PreparedQuery,
    format: impl FnOnce(&QueryResults<'_>) -> Result<ResultFormat, SparqlError>,
    policy: QueryPolicy,
    writer: impl Write,
) -> Result<(Written, ResultFormat), SparqlError> {
    let token = query.cancellation.clone();
    with_limits(store, query, policy, |results| {
        let format = format(&results)?;
        // Checked per row as well: a result computed in memory (a cross product) reads
        // no store between rows, where the evaluator would notice.
        let limited = Cancellable { inner: writer, token };
        write_results(results, format, policy.max_rows, limited).map(|written| (written, format))
    })
}

/// A writer that fails once the query is cancelled, so writing stops with it.
struct Cancellable<W> {
    inner: W,
    token: CancellationToken,
}

impl<W: Write> Write for Cancellable<W> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.token.is_cancelled() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the query was cancelled",
            ));
        }
        self.inner.write(data)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Evaluates `query` and hands the (lazy) results to `consume`; evaluation and consumption are
/// stopped when the policy's time limit passes or its memory budget is spent.
pub fn with_limits<T>(
    store: &Store,
    query: PreparedQuery,
    policy: QueryPolicy,
    consume: impl FnOnce(QueryResults<'_>) -> Result<T, SparqlError>,
) -> Result<T, SparqlError> {
    let limit = policy.time_limit;
    query
        .budget
        .bytes
        .store(policy.memory_limit.unwrap_or(0), Ordering::Relaxed);
    let watch = watchdog::watch(query.cancellation.clone(), limit);
    let budget = Arc::clone(&query.budget);
    // What this thread holds from here on is the query's (it is evaluated, and its results
    // written, on this thread).
    memory::start();
    let outcome = execute(store, query).and_then(consume);
    let timed_out = watch.fired();
    drop(watch);
    let over_budget = budget
        .spent
        .load(Ordering::Relaxed)
        .then(|| budget.bytes.load(Ordering::Relaxed));
    match outcome {
        Err(_) if over_budget.is_some() => Err(SparqlError::OverMemory(over_budget.unwrap_or_default())),
        Err(SparqlError::Evaluation(QueryEvaluationError::Cancelled)) => Err(SparqlError::TimedOut(limit)),
        Err(_) if timed_out => Err(SparqlError::TimedOut(limit)),
        other => other,
    }
}

/// The natural format for a result when none was asked for.
pub fn default_format(results: &QueryResults<'_>) -> ResultFormat {
    match results {
        QueryResults::Graph(_) => ResultFormat::Graph(RdfFormat::Turtle),
        _ => ResultFormat::Solutions(QueryResultsFormat::Json),
    }
}

/// Writes `results` in `format`, solution by solution, at most `max_rows` of them.
pub fn write_results(
    results: QueryResults<'_>,
    format: ResultFormat,
    max_rows: Option<usize>,
    writer: impl Write,
) -> Result<Written, SparqlError> {
    let cap = max_rows.unwrap_or(usize::MAX);
    let mut written = Written::default();
    match (results, format) {
        (QueryResults::Solutions(solutions), ResultFormat::Solutions(format)) => {
            let mut out = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(writer, solutions.variables().to_vec())?;
            for solution in solutions {
                if written.rows == cap {
                    written.capped = true;
                    break;
                }
                out.serialize(&solution?)?;
                written.rows += 1;
            }
            out.finish()?;
        }
        (QueryResults::Boolean(value), ResultFormat::Solutions(format)) => {
            QueryResultsSerializer::from_format(format).serialize_boolean_to_writer(writer, value)?;
            written.rows = 1;
        }
        (QueryResults::Graph(triples), ResultFormat::Graph(format)) => {
            let mut out = with_prefixes(RdfSerializer::from_format(format)).for_writer(writer);
            for triple in triples {
                if written.rows == cap {
                    written.capped = true;
                    break;
                }
                out.serialize_triple(&triple?)?;
                written.rows += 1;
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
    Ok(written)
}

/// Runs `query` on `store` and writes the results (in `format`, or the natural one).
pub fn run(store: &Store, query: &str, format: Option<ResultFormat>, writer: impl Write) -> Result<(), SparqlError> {
    run_with_policy(
        store,
        prepare(query, &Dataset::default())?,
        |results| Ok(format.unwrap_or_else(|| default_format(results))),
        QueryPolicy::LOCAL,
        writer,
    )
    .map(|_| ())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_with_and_without_the_predeclared_prefixes_parse_on_one_thread() {
        let dataset = Dataset::default();
        for _ in 0..2 {
            assert!(prepare("ASK { ?s ?p ?o }", &dataset).is_ok());
            assert!(prepare("ASK { ?s rdf:type esam:Newsletter }", &dataset).is_ok());
            assert!(prepare("ASK { ?s ?p ?o . ?o rdfs:label ?l }", &dataset).is_ok());
            assert!(prepare("ASK { ?s nosuchprefix:p ?o }", &dataset).is_err());
        }
        let based = Dataset {
            base: Some("http://127.0.0.1:7878/".to_string()),
            ..Dataset::default()
        };
        assert!(prepare("ASK { <id/org/skatteverket> ?p ?o }", &based).is_ok());
        assert!(prepare("ASK { <id/org/skatteverket> rdfs:label ?o }", &based).is_ok());
    }
}
