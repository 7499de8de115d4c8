//! `esam-kg push` into a real triple store from the package registries, started by the test on
//! loopback: Virtuoso Open Source (Debian's `virtuoso-opensource`, installed by
//! scripts/ensure-test-deps). Afterwards, through Virtuoso's own SPARQL endpoint, every graph
//! has the triple count it has here, the participation question gets the same answers, and a
//! second push changes nothing. A running `esam-kg serve` (its Graph Store endpoint, with the
//! token) is a second target: a read replica filled by push.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{esam_kg, newsletters, stderr, stdout};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// One HTTP request over loopback; (status code, body).
fn http(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body).ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        dechunk(body)
    } else {
        body.to_string()
    };
    Some((status, body))
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// A SELECT over a SPARQL endpoint at `path` on `port`, as rows of the named variables.
fn select(port: u16, path: &str, query: &str, variables: &[&str]) -> BTreeSet<Vec<String>> {
    let encoded: String = form_urlencoded::byte_serialize(query.as_bytes()).collect();
    let (status, body) = http(
        port,
        "POST",
        path,
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "application/sparql-results+json"),
        ],
        format!("query={encoded}").as_bytes(),
    )
    .unwrap_or_else(|| panic!("no answer from 127.0.0.1:{port}{path}"));
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    json["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            variables
                .iter()
                .map(|v| row[*v]["value"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .collect()
}

/// Triples per named graph, on an endpoint.
fn counts(port: u16, path: &str, graphs: &[String]) -> Vec<(String, String)> {
    graphs
        .iter()
        .map(|graph| {
            let rows = select(
                port,
                path,
                &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"),
                &["n"],
            );
            (graph.clone(), rows.into_iter().next().unwrap()[0].clone())
        })
        .collect()
}

/// Virtuoso in a temporary directory, on free loopback ports, with SPARQL writes granted to
/// the anonymous SPARQL user (so `/sparql-graph-crud` accepts PUT).
struct Virtuoso {
    child: Child,
    http_port: u16,
    _dir: temp_dir::TempDir,
}

impl Drop for Virtuoso {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Virtuoso {
    /// Fails the test when Virtuoso is not installed (scripts/ensure-test-deps installs
    /// Debian's virtuoso-opensource).
    fn start() -> Self {
        if Command::new("virtuoso-t").arg("-?").output().is_err() {
            crate::support::missing_tool("virtuoso-t (Debian's virtuoso-opensource)");
        }
        let dir = temp_dir::TempDir::new().unwrap();
        let (sql_port, http_port) = (free_port(), free_port());
        let ini = ini(dir.path(), sql_port, http_port);
        let child = Command::new("virtuoso-t")
            .args(["+foreground", "+configfile"])
            .arg(&ini)
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("virtuoso-t starts");
        let virtuoso = Self {
            child,
            http_port,
            _dir: dir,
        };
        let started = Instant::now();
        while http(http_port, "GET", "/sparql?query=ASK%7B%7D", &[], b"").is_none_or(|(s, _)| s != 200) {
            assert!(started.elapsed() < Duration::from_secs(120), "Virtuoso did not come up");
            std::thread::sleep(Duration::from_millis(300));
        }
        let grant = Command::new("isql-vt")
            .args([
                &sql_port.to_string(),
                "dba",
                "dba",
                "exec=GRANT SPARQL_UPDATE TO \"SPARQL\";",
            ])
            .output()
            .expect("isql-vt runs");
        assert!(grant.status.success(), "{}", String::from_utf8_lossy(&grant.stderr));
        virtuoso
    }
}

/// Debian's virtuoso.ini with every file in `dir` and the two ports changed.
fn ini(dir: &Path, sql_port: u16, http_port: u16) -> PathBuf {
    let original = std::fs::read_to_string("/etc/virtuoso-opensource-7/virtuoso.ini")
        .expect("Debian's virtuoso.ini (package virtuoso-opensource)");
    let mut section = String::new();
    let mut out = String::new();
    for line in original.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.to_string();
        }
        let key = trimmed.split('=').next().unwrap_or("").trim();
        let replaced = match (section.as_str(), key) {
            ("[Parameters]", "ServerPort") => format!("ServerPort = {sql_port}"),
            ("[HTTPServer]", "ServerPort") => format!("ServerPort = {http_port}"),
            ("[HTTPServer]", "ServerRoot") => format!("ServerRoot = {}", dir.display()),
            _ => line.replace("/var/lib/virtuoso-opensource-7/db/", &format!("{}/", dir.display())),
        };
        out.push_str(&replaced);
        out.push('\n');
    }
    let path = dir.join("virtuoso.ini");
    std::fs::write(&path, out).unwrap();
    path
}

/// A store with both bundled newsletters, and its graphs.
fn imported_store(dir: &Path) -> (PathBuf, Vec<String>) {
    let store = dir.join("store");
    let mut args = vec!["import".to_string(), "--store".into(), store.display().to_string()];
    args.extend(newsletters().iter().map(|p| p.display().to_string()));
    let output = esam_kg(&args.iter().map(String::as_str).collect::<Vec<_>>(), &store);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = esam_kg(
        &[
            "query",
            "--store",
            store.to_str().unwrap(),
            "--format",
            "tsv",
            "SELECT ?g WHERE { GRAPH ?g { } } ORDER BY ?g",
        ],
        &store,
    );
    let graphs: Vec<String> = stdout(&output)
        .lines()
        .skip(1)
        .map(|l| l.trim_matches(['<', '>']).to_string())
        .collect();
    assert_eq!(graphs.len(), 4, "{graphs:?}");
    (store, graphs)
}

fn push(store: &Path, to: &str, extra: &[&str]) -> Output {
    let mut args = vec!["push", "--store", store.to_str().unwrap(), "--to", to];
    args.extend(extra);
    esam_kg(&args, store)
}

use std::process::Output;

/// The same store queried through esam-kg's own endpoint (a server on the pushed-from store).
struct Serve(Child, u16);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(store: &Path, extra: &[&str]) -> Serve {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_esam-kg"))
        .args([
            "serve",
            "--store",
            store.to_str().unwrap(),
            "--bind",
            &format!("127.0.0.1:{port}"),
        ])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while http(port, "GET", "/health", &[], b"").is_none_or(|(s, _)| s != 200) {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "esam-kg serve did not come up"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    Serve(child, port)
}

const PARTICIPATION_VARIABLES: [&str; 5] = ["organisation", "organisationName", "group", "groupName", "newsletter"];

fn participation() -> String {
    std::fs::read_to_string(crate::support::root().join("tests/queries/participation-portable.rq")).unwrap()
}

#[test]
fn pushing_into_virtuoso_gives_the_same_answers_and_a_second_push_changes_nothing() {
    let virtuoso = Virtuoso::start();
    let dir = temp_dir::TempDir::new().unwrap();
    let (store, graphs) = imported_store(dir.path());
    let gsp = format!("http://127.0.0.1:{}/sparql-graph-crud", virtuoso.http_port);

    // A dry run lists the graphs and sends nothing.
    let dry = push(&store, &gsp, &["--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert_eq!(stdout(&dry).matches("would send").count(), 4, "{}", stdout(&dry));
    assert!(
        counts(virtuoso.http_port, "/sparql", &graphs)
            .iter()
            .all(|(_, n)| n == "0")
    );

    let first = push(&store, &gsp, &[]);
    assert!(first.status.success(), "{}\n{}", stdout(&first), stderr(&first));
    assert!(stdout(&first).contains("pushed 4 graphs"), "{}", stdout(&first));

    let ours = {
        let server = serve(&store, &[]);
        (
            counts(server.1, "/sparql", &graphs),
            select(server.1, "/sparql", &participation(), &PARTICIPATION_VARIABLES),
        )
    };
    let theirs = counts(virtuoso.http_port, "/sparql", &graphs);
    assert_eq!(theirs, ours.0, "triples per graph differ");
    assert!(ours.1.len() > 10, "{}", ours.1.len());
    let answers = select(
        virtuoso.http_port,
        "/sparql",
        &participation(),
        &PARTICIPATION_VARIABLES,
    );
    assert_eq!(answers, ours.1, "the participation answers differ");

    // Again: replaced, not added to.
    let second = push(&store, &gsp, &[]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(counts(virtuoso.http_port, "/sparql", &graphs), ours.0);
    assert_eq!(
        select(
            virtuoso.http_port,
            "/sparql",
            &participation(),
            &PARTICIPATION_VARIABLES
        ),
        ours.1
    );
}

/// A read replica: an empty `esam-kg serve` with a token, filled by push through its Graph
/// Store endpoint; a wrong token is refused and reported; a store that is down is retried.
#[test]
fn pushing_into_another_esam_kg_fills_a_replica() {
    let dir = temp_dir::TempDir::new().unwrap();
    let (store, graphs) = imported_store(dir.path());
    let token = "replica-token-0123456789";
    // The replica's own store starts with the bundled newsletters too (serve imports them into
    // an empty store): pushing replaces them graph for graph.
    let replica_store = dir.path().join("replica");
    let replica = serve(&replica_store, &["--update-token", token]);
    let gsp = format!("http://127.0.0.1:{}/store", replica.1);

    let refused = push(&store, &gsp, &["--token", "wrong-token-0123456789", "--retries", "0"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stdout(&refused).contains("FAILED after 1 attempts: 403"),
        "{}",
        stdout(&refused)
    );

    let pushed = push(&store, &gsp, &["--token", token]);
    assert!(pushed.status.success(), "{}\n{}", stdout(&pushed), stderr(&pushed));
    let source = serve(&store, &[]);
    assert_eq!(
        counts(replica.1, "/sparql", &graphs),
        counts(source.1, "/sparql", &graphs)
    );
    assert_eq!(
        select(replica.1, "/sparql", &participation(), &PARTICIPATION_VARIABLES),
        select(source.1, "/sparql", &participation(), &PARTICIPATION_VARIABLES)
    );

    // Nobody listening: retried, then reported.
    let down = format!("http://127.0.0.1:{}/store", free_port());
    let failed = push(&store, &down, &["--retries", "2", "--dry-run"]);
    assert!(failed.status.success(), "a dry run sends nothing, so nothing fails");
    let failed = push(&store, &down, &["--retries", "2"]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        stdout(&failed).contains("FAILED after 3 attempts"),
        "{}",
        stdout(&failed)
    );
}
