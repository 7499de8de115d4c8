//! esam-kg patch: cancellation reaches the loops over solutions held in memory (see VENDORED.md).
//!
//! Each `cancels_*` test runs one query in a child process (this test binary again, filtered to
//! `esam_kg_patch_tests::child`, with `ESAM_KG_SCENARIO` set, under `sh -c 'ulimit -v 4194304'`)
//! and kills it after `CHILD_LIMIT`, so a query that does not stop fails the test instead of
//! hanging the run or eating the machine's memory. The child cancels the token from another
//! thread 100 ms after the evaluation starts (by then the subqueries
//! `{ SELECT ?x { ?x <urn:p> ?o } GROUP BY ?x }` have read the dataset, and what is left is work
//! in memory; 1 s for the property paths), or, for loops that only start late, from the custom
//! function `<urn:cancel>` the first time the query calls it. A test passes if the evaluation
//! reports `QueryEvaluationError::Cancelled` within `BOUND` of the cancellation.

#![expect(clippy::panic, clippy::print_stdout)]

use crate::{CancellationToken, QueryEvaluationError, QueryEvaluator, QueryResults};
use oxrdf::{Dataset, GraphName, Literal, NamedNode, Quad, Term};
use spargebra::SparqlParser;
use std::fmt::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const SCENARIO: &str = "ESAM_KG_SCENARIO";
/// How soon after the cancellation the evaluation must report it
const BOUND: Duration = Duration::from_secs(10);
/// When the parent kills the child
const CHILD_LIMIT: Duration = Duration::from_secs(40);

enum Cancel {
    /// From another thread, this long after the evaluation starts
    After(Duration),
    /// When the query calls `<urn:cancel>` for the first time
    InQuery,
}

/// `n` subjects `<urn:s{i}>`, each with `<urn:p> "{i}"` and `<urn:k> <urn:key>`
fn subjects(n: usize) -> Dataset {
    let mut dataset = Dataset::new();
    for i in 0..n {
        let subject = NamedNode::new_unchecked(format!("urn:s{i}"));
        dataset.insert(&Quad::new(
            subject.clone(),
            NamedNode::new_unchecked("urn:p"),
            Literal::from(i.to_string()),
            GraphName::DefaultGraph,
        ));
        dataset.insert(&Quad::new(
            subject,
            NamedNode::new_unchecked("urn:k"),
            NamedNode::new_unchecked("urn:key"),
            GraphName::DefaultGraph,
        ));
    }
    dataset
}

/// `n` nodes, each with `degree` edges to other nodes, alternately `<urn:p>` and `<urn:q>`
fn graph(n: usize, degree: usize) -> Dataset {
    let mut dataset = Dataset::new();
    for i in 0..n {
        for j in 1..=degree {
            dataset.insert(&Quad::new(
                NamedNode::new_unchecked(format!("urn:n{i}")),
                NamedNode::new_unchecked(if j % 2 == 0 { "urn:p" } else { "urn:q" }),
                NamedNode::new_unchecked(format!("urn:n{}", (i * 7 + j * 13) % n)),
                GraphName::DefaultGraph,
            ));
        }
    }
    dataset
}

/// The distinct subjects of `<urn:p>` as `?x`, read from the dataset before anything else
fn all(x: &str) -> String {
    format!("{{ SELECT ?{x} WHERE {{ ?{x} <urn:p> ?{x}_o }} GROUP BY ?{x} }}")
}

/// Same, with `?key` always `<urn:key>`
fn keyed(x: &str) -> String {
    format!("{{ SELECT ?{x} ?key WHERE {{ ?{x} <urn:k> ?key }} GROUP BY ?{x} ?key }}")
}

/// `0 1 2 ...`
fn numbers(n: usize) -> String {
    (0..n).map(|i| i.to_string()).collect::<Vec<_>>().join(" ")
}

fn scenario(name: &str) -> (Dataset, String, Cancel) {
    let after = Cancel::After(Duration::from_millis(100));
    let (a, b, c) = (all("a"), all("b"), all("c"));
    match name {
        // Cartesian products (build and probe) under COUNT
        "count_over_product" => (
            subjects(2000),
            format!("SELECT (COUNT(*) AS ?n) WHERE {{ {a} {b} {c} }}"),
            after,
        ),
        // Hash join on ?key whose bucket holds everything (cancelled by the first tuple of the
        // subquery, once it has read the dataset)
        "hash_join" => (
            subjects(20000),
            format!(
                "SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?key {{{} }} {{ {} FILTER(<urn:cancel>()) }} }}",
                " <urn:key>".repeat(4000),
                keyed("a"),
            ),
            Cancel::InQuery,
        ),
        // Sort input
        "order_by" => (
            subjects(2000),
            format!("SELECT ?a WHERE {{ {a} {b} {c} }} ORDER BY ?c ?b LIMIT 1"),
            after,
        ),
        // The sort itself (cancelled at its first comparison)
        "order_by_sort" => (
            subjects(1000),
            format!("SELECT ?a WHERE {{ {a} {b} }} ORDER BY <urn:cancel>(?a) ?b ?a LIMIT 1"),
            Cancel::InQuery,
        ),
        // Aggregate building a big value
        "group_concat" => (
            subjects(2000),
            format!("SELECT (GROUP_CONCAT(?c) AS ?s) WHERE {{ {a} {b} {c} }}"),
            after,
        ),
        "distinct" => (
            subjects(2000),
            format!("SELECT DISTINCT ?a WHERE {{ {a} {b} {c} }}"),
            after,
        ),
        // Without optimizations, as the optimizer turns REDUCED into DISTINCT
        "reduced" => (
            subjects(2000),
            format!(
                "SELECT REDUCED ?x WHERE {{ {a} {b} VALUES ?v {{ {} }} BIND(\"x\" AS ?x) }}",
                numbers(1000)
            ),
            after,
        ),
        "filter" => (
            subjects(2000),
            format!("SELECT ?a WHERE {{ {a} {b} {c} FILTER(STR(?a) = CONCAT(STR(?b), STR(?c))) }}"),
            after,
        ),
        // OPTIONAL: the loop over the right side (cancelled in its filter)
        "optional" => (
            subjects(20000),
            format!(
                "SELECT (COUNT(*) AS ?n) WHERE {{ {a} OPTIONAL {{ {b} FILTER(<urn:cancel>(?a, ?b) && STR(?a) = STR(?b)) }} }}"
            ),
            Cancel::InQuery,
        ),
        // MINUS: the right tuples share ?key with the left ones, but not ?a (cancelled by the
        // first left tuple, once the right ones are read)
        "minus" => (
            subjects(20000),
            format!(
                "SELECT (COUNT(*) AS ?n) WHERE {{ {{ {} FILTER(<urn:cancel>()) }} MINUS {{ SELECT ?a ?key WHERE {{ ?x <urn:k> ?key BIND(STR(?x) AS ?a) }} GROUP BY ?a ?key }} }}",
                keyed("a")
            ),
            Cancel::InQuery,
        ),
        "not_exists" => (
            subjects(2000),
            format!(
                "SELECT (COUNT(*) AS ?n) WHERE {{ {a} {b} {c} FILTER NOT EXISTS {{ ?a <urn:none> ?c }} }}"
            ),
            after,
        ),
        "filter_exists" => (
            subjects(2000),
            format!("SELECT ?a WHERE {{ {a} {b} {c} FILTER EXISTS {{ ?a <urn:none> ?c }} }}"),
            after,
        ),
        // Subquery with OFFSET (slice)
        "subquery_offset" => (
            subjects(2000),
            format!(
                "SELECT ?a WHERE {{ {{ SELECT ?a ?b ?c WHERE {{ {a} {b} {c} }} OFFSET 1000000000000 }} }}"
            ),
            after,
        ),
        "values_product" => (
            subjects(2000),
            format!(
                "SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?v {{ {} }} {a} {b} }}",
                numbers(1000)
            ),
            after,
        ),
        // Property path closures: their work lists (the released crate went on looking up every
        // node left in them, one by one, after the cancellation)
        "path_closure" => (
            graph(2000, 100),
            "SELECT (COUNT(*) AS ?n) WHERE { ?s (<urn:p>|!<urn:p>)* ?o }".into(),
            Cancel::After(Duration::from_secs(1)),
        ),
        "path_negated_inverse" => (
            graph(2000, 200),
            "SELECT (COUNT(*) AS ?n) WHERE { ?s (!^<urn:p>)+ ?o }".into(),
            Cancel::After(Duration::from_secs(1)),
        ),
        // Each BIND doubles the string
        "concat_doubling" => {
            let mut dataset = Dataset::new();
            dataset.insert(&Quad::new(
                NamedNode::new_unchecked("urn:s"),
                NamedNode::new_unchecked("urn:p"),
                Literal::from("ab"),
                GraphName::DefaultGraph,
            ));
            let mut query = "SELECT (STRLEN(?s40) AS ?l) WHERE { ?x <urn:p> ?s0 ".to_owned();
            for i in 1..=40 {
                write!(query, "BIND(CONCAT(?s{0}, ?s{0}) AS ?s{1}) ", i - 1, i).unwrap();
            }
            query.push('}');
            (dataset, query, after)
        }
        _ => panic!("unknown scenario {name}"),
    }
}

/// Runs the scenario of `ESAM_KG_SCENARIO`, if set (see the module documentation)
#[test]
fn child() {
    let Ok(name) = std::env::var(SCENARIO) else {
        return;
    };
    let (dataset, query, cancel) = scenario(&name);
    let query = SparqlParser::new().parse_query(&query).unwrap();
    let token = CancellationToken::new();
    let cancelled_at = Arc::new(Mutex::new(None));
    let mut evaluator = QueryEvaluator::new();
    if name == "reduced" {
        evaluator = evaluator.without_optimizations();
    }
    let evaluator = evaluator
        .with_cancellation_token(token.clone())
        .with_custom_function(NamedNode::new_unchecked("urn:cancel"), {
            let token = token.clone();
            let cancelled_at = Arc::clone(&cancelled_at);
            move |_| {
                if !token.is_cancelled() {
                    *cancelled_at.lock().unwrap() = Some(Instant::now());
                    token.cancel();
                }
                Some(Literal::from(true).into())
            }
        });
    if let Cancel::After(delay) = cancel {
        let token = token.clone();
        let cancelled_at = Arc::clone(&cancelled_at);
        thread::spawn(move || {
            thread::sleep(delay);
            *cancelled_at.lock().unwrap() = Some(Instant::now());
            token.cancel();
        });
    }
    let outcome = match evaluator.prepare(&query).execute(&dataset) {
        Ok(QueryResults::Solutions(solutions)) => first_error(solutions),
        Ok(QueryResults::Graph(triples)) => first_error(triples),
        Ok(QueryResults::Boolean(_)) => None,
        Err(error) => Some(error),
    };
    let since_cancel = cancelled_at
        .lock()
        .unwrap()
        .map_or(u128::MAX, |at| at.elapsed().as_millis());
    let outcome = match outcome {
        Some(QueryEvaluationError::Cancelled) => "cancelled".to_owned(),
        Some(error) => format!("error:{error}"),
        None => "finished".to_owned(),
    };
    println!("ESAM_KG_OUTCOME {outcome} {since_cancel}");
}

fn first_error<T>(
    mut iter: impl Iterator<Item = Result<T, QueryEvaluationError>>,
) -> Option<QueryEvaluationError> {
    iter.find_map(Result::err)
}

/// Runs `scenario` in a child process and checks it was cancelled in time
fn assert_cancelled(scenario: &str) {
    let mut child = Command::new("sh")
        .args(["-c", "ulimit -v 4194304 && exec \"$@\"", "sh"])
        .arg(std::env::current_exe().unwrap())
        .args(["esam_kg_patch_tests::child", "--exact", "--nocapture"])
        .args(["--test-threads", "1"])
        .env(SCENARIO, scenario)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > CHILD_LIMIT {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        thread::sleep(Duration::from_millis(20));
    };
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let outcome = stdout
        .lines()
        .find_map(|line| Some(line.split_once("ESAM_KG_OUTCOME ")?.1));
    let Some(status) = status else {
        panic!("{scenario}: still running after {CHILD_LIMIT:?}, killed");
    };
    let Some((outcome, millis)) = outcome.and_then(|o| o.split_once(' ')) else {
        panic!(
            "{scenario}: the child failed ({status}): {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let millis: u128 = millis.parse().unwrap();
    assert_eq!(
        outcome, "cancelled",
        "{scenario}: {outcome} {millis} ms after the cancellation"
    );
    assert!(
        millis <= BOUND.as_millis(),
        "{scenario}: cancelled after {millis} ms"
    );
    println!("{scenario}: cancelled {millis} ms after the cancellation");
}

#[test]
fn cancels_count_over_product() {
    assert_cancelled("count_over_product");
}

#[test]
fn cancels_hash_join() {
    assert_cancelled("hash_join");
}

#[test]
fn cancels_order_by() {
    assert_cancelled("order_by");
}

#[test]
fn cancels_order_by_sort() {
    assert_cancelled("order_by_sort");
}

#[test]
fn cancels_group_concat() {
    assert_cancelled("group_concat");
}

#[test]
fn cancels_distinct() {
    assert_cancelled("distinct");
}

#[test]
fn cancels_reduced() {
    assert_cancelled("reduced");
}

#[test]
fn cancels_filter() {
    assert_cancelled("filter");
}

#[test]
fn cancels_optional() {
    assert_cancelled("optional");
}

#[test]
fn cancels_minus() {
    assert_cancelled("minus");
}

#[test]
fn cancels_not_exists() {
    assert_cancelled("not_exists");
}

#[test]
fn cancels_filter_exists() {
    assert_cancelled("filter_exists");
}

#[test]
fn cancels_subquery_offset() {
    assert_cancelled("subquery_offset");
}

#[test]
fn cancels_values_product() {
    assert_cancelled("values_product");
}

#[test]
fn cancels_path_closure() {
    assert_cancelled("path_closure");
}

#[test]
fn cancels_path_negated_inverse() {
    assert_cancelled("path_negated_inverse");
}

#[test]
fn cancels_concat_doubling() {
    assert_cancelled("concat_doubling");
}

/// ORDER BY over more than one sorted run (three runs of 16384: merged, and one carried over)
/// gives the same order as a plain sort.
#[test]
fn order_by_over_many_runs_is_sorted() {
    let dataset = subjects(40000);
    let query = SparqlParser::new()
        .parse_query("SELECT ?a ?o WHERE { ?a <urn:p> ?o } ORDER BY DESC(STRLEN(?o)) ?o")
        .unwrap();
    let QueryResults::Solutions(solutions) = QueryEvaluator::new()
        .prepare(&query)
        .execute(&dataset)
        .unwrap()
    else {
        panic!("solutions expected")
    };
    let values = solutions
        .map(|s| match s.unwrap().get("o") {
            Some(Term::Literal(o)) => o.value().to_owned(),
            _ => panic!("literal expected"),
        })
        .collect::<Vec<_>>();
    let mut expected = (0..40000).map(|i| i.to_string()).collect::<Vec<_>>();
    expected.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    assert_eq!(values, expected);
}

// The check hook of `CancellationToken::with_check` (not in the released crate).
mod check_hook {
    use super::*;

    /// A token whose check returns `true` from its `n`th call on, and the call counter
    fn token_failing_at(n: usize) -> (CancellationToken, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let token = CancellationToken::with_check({
            let calls = Arc::clone(&calls);
            move || calls.fetch_add(1, Ordering::Relaxed) + 1 >= n
        });
        (token, calls)
    }

    fn first_error_of(
        token: &CancellationToken,
        dataset: &Dataset,
        query: &str,
    ) -> Option<QueryEvaluationError> {
        let query = SparqlParser::new().parse_query(query).unwrap();
        let evaluator = QueryEvaluator::new().with_cancellation_token(token.clone());
        match evaluator.prepare(&query).execute(dataset) {
            Ok(QueryResults::Solutions(solutions)) => first_error(solutions),
            Ok(_) => None,
            Err(error) => Some(error),
        }
    }

    /// The in-memory loops poll the check, which cancels the token for good.
    #[test]
    fn check_cancels_a_product() {
        let (token, calls) = token_failing_at(5);
        let (a, b, c) = (all("a"), all("b"), all("c"));
        let error = first_error_of(
            &token,
            &subjects(300),
            &format!("SELECT (COUNT(*) AS ?n) WHERE {{ {a} {b} {c} }}"),
        );
        assert!(matches!(error, Some(QueryEvaluationError::Cancelled)));
        assert_eq!(calls.load(Ordering::Relaxed), 5);
        assert!(token.is_cancelled());
        // Neither is_cancelled nor a new evaluation run the check of a cancelled token
        assert!(token.is_cancelled());
        let error = first_error_of(
            &token,
            &subjects(300),
            &format!("SELECT * WHERE {{ {a} {b} }}"),
        );
        assert!(matches!(error, Some(QueryEvaluationError::Cancelled)));
        assert_eq!(calls.load(Ordering::Relaxed), 5);
    }

    /// CONCAT runs the check before it returns 64 KiB or more: the doubling stops at 256 KiB.
    #[test]
    fn check_stops_concat_doubling() {
        let (token, calls) = token_failing_at(3);
        let (dataset, query, _) = scenario("concat_doubling");
        let error = first_error_of(&token, &dataset, &query);
        assert!(matches!(error, Some(QueryEvaluationError::Cancelled)));
        assert_eq!(calls.load(Ordering::Relaxed), 3); // at 64, 128 and 256 KiB
    }

    /// A query that stays small never runs the check and is not cancelled.
    #[test]
    fn check_is_not_run_by_small_queries() {
        let (token, calls) = token_failing_at(1);
        let error = first_error_of(
            &token,
            &subjects(20),
            "SELECT ?s (CONCAT(?o, ?o) AS ?c) WHERE { ?s <urn:p> ?o } ORDER BY ?o",
        );
        assert!(error.is_none());
        assert_eq!(calls.load(Ordering::Relaxed), 0);
        assert!(!token.is_cancelled());
    }
}
