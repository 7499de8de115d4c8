//! Test harness: a temporary store with the bundled newsletters, SPARQL helpers,
//! and a runner for the real `esam-kg` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use esam_kg::config::Config;
use esam_kg::import::Importer;
use esam_kg::reference::Reference;
use esam_kg::sparql;
use esam_kg::store::Store;
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Fails the test for want of `what`: the scripts install every tool a test uses
/// (scripts/ensure-test-deps), so a missing one is a broken set-up, never a pass.
pub fn missing_tool(what: &str) -> ! {
    panic!(
        "{what} is missing: run scripts/ensure-test-deps (scripts/test does), and see what it says it could not install"
    )
}

/// The bundled newsletters.
pub fn newsletters() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("data/newsletters"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// An importer with the default base IRI and limits.
pub fn importer() -> Importer {
    let config = Config::new(None, None, None).unwrap();
    Importer::new(
        config.ids.clone(),
        Reference::load(&config.ids).unwrap(),
        config.limits,
        None,
    )
}

/// A store in a temporary directory, with reference data and both newsletters imported.
pub struct TestStore {
    pub store: Store,
    _dir: temp_dir::TempDir,
}

impl TestStore {
    pub fn with_newsletters() -> Self {
        let dir = temp_dir::TempDir::new().unwrap();
        let store = Store::open(&dir.path().join("store")).unwrap();
        let importer = importer();
        importer.store_reference(&store).unwrap();
        for file in newsletters() {
            importer.import_file(&store, &file).unwrap();
        }
        Self { store, _dir: dir }
    }

    /// Rows of a SELECT, each value as its lexical form (IRIs without brackets).
    pub fn select(&self, query: &str) -> Vec<Vec<String>> {
        select(&self.store, query)
    }

    /// The first column of a SELECT, sorted.
    pub fn column(&self, query: &str) -> Vec<String> {
        let mut values: Vec<String> = self
            .select(query)
            .into_iter()
            .filter_map(|row| row.into_iter().next())
            .collect();
        values.sort();
        values
    }

    pub fn ask(&self, query: &str) -> bool {
        match sparql::execute(&self.store, sparql::prepare(query, &Default::default()).unwrap()).unwrap() {
            QueryResults::Boolean(value) => value,
            _ => panic!("not an ASK query: {query}"),
        }
    }
}

pub fn select(store: &Store, query: &str) -> Vec<Vec<String>> {
    let QueryResults::Solutions(solutions) =
        sparql::execute(store, sparql::prepare(query, &Default::default()).unwrap()).unwrap()
    else {
        panic!("not a SELECT query: {query}");
    };
    let variables = solutions.variables().to_vec();
    solutions
        .map(|solution| {
            let solution = solution.unwrap();
            variables
                .iter()
                .map(|v| match solution.get(v) {
                    Some(Term::NamedNode(n)) => n.as_str().to_string(),
                    Some(Term::Literal(l)) => l.value().to_string(),
                    Some(other) => other.to_string(),
                    None => String::new(),
                })
                .collect()
        })
        .collect()
}

/// Runs the built `esam-kg` binary.
pub fn esam_kg(args: &[&str], store: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_esam-kg"))
        .args(args)
        .env("ESAM_KG_STORE", store)
        .current_dir(root())
        .output()
        .unwrap()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The curated views of the repository (`queries/`).
pub fn views() -> esam_kg::views::Views {
    esam_kg::views::Views::load(&root().join("queries")).unwrap()
}

/// Fails unless `text` is well-formed XML (checked by Python's parser, which `.ci/run` has).
pub fn assert_well_formed_xml(text: &str) {
    use std::io::Write;
    let mut child = Command::new("python3")
        .args([
            "-c",
            "import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())",
        ])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "not well-formed XML: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Sends one request to an in-process router: (status, content type, body as text).
pub async fn send(
    router: axum::Router,
    request: axum::http::Request<axum::body::Body>,
) -> (axum::http::StatusCode, String, String) {
    use tower::ServiceExt;
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, content_type, String::from_utf8_lossy(&body).into_owned())
}

/// Server settings for in-process tests: a time limit, a row cap, the repository's views.
pub fn settings(seconds: u64, max_rows: usize) -> esam_kg::server::Settings {
    esam_kg::server::Settings::new(
        esam_kg::sparql::QueryPolicy {
            time_limit: std::time::Duration::from_secs(seconds),
            max_rows: Some(max_rows),
            memory_limit: Some(esam_kg::sparql::memory::DEFAULT_QUERY_MEMORY),
        },
        views(),
    )
}

/// The router over `store` with the default base IRI.
pub fn app(store: &Store, settings: esam_kg::server::Settings) -> axum::Router {
    esam_kg::server::router(store.clone(), esam_kg::ids::Ids::default(), settings)
}
