//! Atomicity under crashes: an import of many newsletters is killed with SIGKILL at
//! twenty moments; after each, the reopened store answers queries and every document
//! graph is either complete (its stated triple count matches) or absent. A failed
//! re-import leaves the previous version of that document untouched.

use std::process::{Command, Stdio};
use std::time::Duration;

use esam_kg::store::Store;

use crate::support::{esam_kg, newsletters, select};

/// Newsletter graphs whose triple count differs from the count they state, and the
/// reference/ontology graphs whose size is not `expected_sizes` (reference, ontology).
fn incomplete_graphs(store: &Store, expected_sizes: &(usize, usize)) -> Vec<String> {
    use oxigraph::model::{GraphNameRef, NamedOrBlankNode, Term};
    let inner = store.oxigraph();
    let mut bad = Vec::new();
    for graph in store.graphs().unwrap() {
        let NamedOrBlankNode::NamedNode(graph) = graph else {
            continue;
        };
        let name = GraphNameRef::NamedNode(graph.as_ref());
        let actual = inner.quads_for_pattern(None, None, None, Some(name)).count();
        let expected = if graph.as_str().ends_with("/graph/reference") {
            Some(expected_sizes.0)
        } else if graph.as_str().ends_with("/graph/ontology") {
            Some(expected_sizes.1)
        } else {
            inner
                .quads_for_pattern(
                    Some(graph.as_ref().into()),
                    Some(esam_kg::vocab::void::TRIPLES),
                    None,
                    Some(name),
                )
                .filter_map(Result::ok)
                .find_map(|q| match q.object {
                    Term::Literal(n) => n.value().parse().ok(),
                    _ => None,
                })
        };
        if expected != Some(actual) {
            bad.push(format!("{graph}: {actual} triples, expected {expected:?}"));
        }
    }
    bad
}

/// Newsletters per import (copies of the bundled two under other names).
const DOCUMENTS: usize = 12;

#[cfg(unix)]
#[test]
fn killing_an_import_never_leaves_a_partial_document() {
    let dir = temp_dir::TempDir::new().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let originals: Vec<Vec<u8>> = newsletters().iter().map(|p| std::fs::read(p).unwrap()).collect();
    for n in 0..DOCUMENTS {
        let name = format!("esam-nyhetsbrev-{}-{:02}.txt", 2030 + n / 12, n % 12 + 1);
        // Each copy differs by a closing line: the same text under two names is refused.
        let mut text = originals[n % originals.len()].clone();
        text.extend_from_slice(format!("\n\nKopia {n} för provet.\n").as_bytes());
        std::fs::write(input.join(name), text).unwrap();
    }
    // How long an uninterrupted import takes here: the kills are spread over it.
    let scratch = dir.path().join("scratch");
    let started = std::time::Instant::now();
    assert!(
        esam_kg(
            &["import", "--store", scratch.to_str().unwrap(), input.to_str().unwrap()],
            &scratch
        )
        .status
        .success()
    );
    let full = started.elapsed().as_millis() as u64;
    let reference = esam_kg::reference::Reference::load(&esam_kg::ids::Ids::default()).unwrap();
    let expected = (reference.reference_quads.len(), reference.ontology_quads.len());
    let store_dir = dir.path().join("store");
    let mut complete_seen = 0;
    for round in 0..20_u64 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_esam-kg"))
            .args([
                "import",
                "--store",
                store_dir.to_str().unwrap(),
                input.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills evenly from start-up to twice an undisturbed run (other tests
        // may slow this one down), with a pseudo-random jitter so they land at odd moments.
        let at = full.max(100) * (round + 1) / 10 + (round * 7919) % 97;
        std::thread::sleep(Duration::from_millis(at));
        child.kill().unwrap();
        let _ = child.wait();

        let store = Store::open(&store_dir).unwrap();
        let bad = incomplete_graphs(&store, &expected);
        assert!(bad.is_empty(), "round {round}: {bad:?}");
        let check = esam_kg::check::check(&store).unwrap();
        assert!(check.is_sound(), "round {round}: {:?}", check.problems);
        let documents = select(
            &store,
            "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a esam:Newsletter }",
        );
        complete_seen = complete_seen.max(documents[0][0].parse::<usize>().unwrap());
    }
    assert!(
        complete_seen > 0,
        "no import got as far as one document: the kills were too early to test anything"
    );
    // Finally a whole import completes on the same store.
    let output = esam_kg(
        &[
            "import",
            "--store",
            store_dir.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
        &store_dir,
    );
    assert!(output.status.success());
    let check = esam_kg(&["check", "--store", store_dir.to_str().unwrap()], &store_dir);
    assert!(check.status.success(), "{}", crate::support::stdout(&check));
    let store = Store::open(&store_dir).unwrap();
    assert!(incomplete_graphs(&store, &expected).is_empty());
    let documents = select(
        &store,
        "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a esam:Newsletter }",
    );
    assert_eq!(documents[0][0], DOCUMENTS.to_string());
}

#[test]
fn a_failed_reimport_keeps_the_previous_version() {
    let dir = temp_dir::TempDir::new().unwrap();
    let store_dir = dir.path().join("store");
    let input = dir.path().join("esam-nyhetsbrev-2023-12.txt");
    std::fs::copy(&newsletters()[1], &input).unwrap();
    assert!(
        esam_kg(
            &[
                "import",
                "--store",
                store_dir.to_str().unwrap(),
                input.to_str().unwrap()
            ],
            &store_dir
        )
        .status
        .success()
    );
    let graph =
        "SELECT ?s ?p ?o WHERE { GRAPH <http://127.0.0.1:7878/id/newsletter/2023-12> { ?s ?p ?o } } ORDER BY ?s ?p ?o";
    let before = select(&Store::open(&store_dir).unwrap(), graph);
    // The same document, now unreadable (a PNG under its name): refused, nothing changes.
    std::fs::write(&input, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let output = esam_kg(
        &[
            "import",
            "--store",
            store_dir.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
        &store_dir,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(crate::support::stderr(&output).contains("esam-nyhetsbrev-2023-12.txt"));
    assert_eq!(select(&Store::open(&store_dir).unwrap(), graph), before);
}
