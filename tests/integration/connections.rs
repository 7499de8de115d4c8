//! Connections over real sockets (in process, `server::serve`): those on a thread of their own
//! evaluate in place, answers larger than what is held back still arrive whole, and
//! connections beyond the cap of such threads are served on the shared runtime.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use crate::support::TestStore;

/// `server::serve` on a free loopback port, with at most `threads` connection threads, on a
/// runtime of its own in the background (it lives until the test binary ends).
fn serve(threads: usize) -> (TestStore, u16) {
    let test = TestStore::with_newsletters();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let settings = esam_kg::server::Settings {
        connection_threads: threads,
        cache: false,
        ..esam_kg::server::Settings::new(
            esam_kg::sparql::QueryPolicy {
                time_limit: Duration::from_secs(30),
                max_rows: Some(100_000),
                memory_limit: Some(esam_kg::sparql::memory::DEFAULT_QUERY_MEMORY),
            },
            crate::support::views(),
        )
    };
    let store = test.store.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let bind = format!("127.0.0.1:{port}");
        let _ = runtime.block_on(esam_kg::server::serve(
            store,
            esam_kg::ids::Ids::default(),
            settings,
            &bind,
        ));
    });
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not come up"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    (test, port)
}

fn query_path(query: &str) -> String {
    format!(
        "/sparql?query={}",
        form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
    )
}

/// Sends a GET for `path` on `stream` (kept alive) and reads one response with a
/// `Content-Length` body: (status line, body).
fn exchange(stream: &mut TcpStream, path: &str) -> (String, String) {
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/sparql-results+json\r\n\r\n"
    )
    .unwrap();
    let mut head = Vec::new();
    let mut byte = [0_u8];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    let length: usize = head
        .lines()
        .find_map(|line| {
            line.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_else(|| panic!("no content-length in {head}"))
        .parse()
        .unwrap();
    let mut body = vec![0_u8; length];
    stream.read_exact(&mut body).unwrap();
    (
        head.lines().next().unwrap().to_string(),
        String::from_utf8(body).unwrap(),
    )
}

/// An HTTP/1.0 GET (answered without chunked encoding, ended by closing): the whole body.
fn fetch_whole(port: u16, path: &str) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: application/sparql-results+json\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    (head, response[split + 4..].to_vec())
}

fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream
}

#[test]
fn an_answer_larger_than_what_is_held_back_arrives_whole_from_a_connection_thread() {
    let (_test, port) = serve(4);
    let count = |path: &str| -> usize {
        let (_, body) = exchange(&mut connect(port), path);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        json["results"]["bindings"][0]["n"]["value"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    let triples = count(&query_path("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"));
    // Every triple with a kilobyte more: several megabytes, more than is held back.
    let padding = "x".repeat(1000);
    let large = format!("SELECT ?x WHERE {{ ?s ?p ?o BIND(CONCAT(STR(?p), \"{padding}\") AS ?x) }}");
    let (head, body) = fetch_whole(port, &query_path(&large));
    assert!(
        head.starts_with("HTTP/1.0 200") || head.starts_with("HTTP/1.1 200"),
        "{head}"
    );
    assert!(
        body.len() > esam_kg::server::STREAM_COMMIT_BYTES,
        "{} bytes",
        body.len()
    );
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let rows = json["results"]["bindings"].as_array().unwrap();
    assert_eq!(rows.len(), triples);
    assert!(
        rows.iter()
            .all(|row| row["x"]["value"].as_str().unwrap().ends_with(&padding))
    );
    // The connection thread is still there for the next connection.
    let (status, body) = exchange(&mut connect(port), &query_path("ASK {}"));
    assert!(status.contains("200") && body.contains("true"), "{status} {body}");
}

#[test]
fn connections_beyond_the_cap_are_served_on_the_runtime() {
    let (_test, port) = serve(1);
    // The first holds the only connection thread while it stays open.
    let mut first = connect(port);
    let mut others: Vec<TcpStream> = (0..3).map(|_| connect(port)).collect();
    for round in 0..3 {
        for stream in std::iter::once(&mut first).chain(others.iter_mut()) {
            let (status, body) = exchange(stream, &query_path(&format!("SELECT ({round} AS ?n) {{}}")));
            assert!(status.contains("200"), "{status} {body}");
            assert!(body.contains(&format!("\"value\":\"{round}\"")), "{body}");
        }
    }
    // A query that fails is a clear error on either kind of connection.
    for stream in [&mut first, &mut others[0]] {
        let (status, body) = exchange(stream, &query_path("SELECT WHERE {"));
        assert!(status.contains("400"), "{status} {body}");
    }
}

#[test]
fn without_connection_threads_every_connection_is_served() {
    let (_test, port) = serve(0);
    let mut streams: Vec<TcpStream> = (0..3).map(|_| connect(port)).collect();
    for stream in &mut streams {
        let (status, body) = exchange(stream, &query_path("ASK {}"));
        assert!(status.contains("200") && body.contains("true"), "{status} {body}");
    }
}
