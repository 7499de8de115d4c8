//! `esam-kg serve` as a real process on a loopback port: first start on an
//! empty store imports the bundled newsletters, queries over a socket, and
//! SIGTERM shuts it down cleanly.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A free loopback port (released just before the server binds it).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// One HTTP/1.1 GET, returning (status line, body).
fn get(port: u16, path_and_query: &str) -> Option<(String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    write!(stream, "GET {path_and_query} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/sparql-results+json\r\nConnection: close\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    Some((head.lines().next()?.to_string(), body.to_string()))
}

struct Server(Child);

/// `esam-kg serve` on an empty store in a temporary directory, once it answers /health.
fn start_server() -> (temp_dir::TempDir, u16, Server) {
    start_server_with(&[], Stdio::null())
}

/// [`start_server`] with extra arguments and where its standard error goes.
fn start_server_with(extra: &[&str], stderr: Stdio) -> (temp_dir::TempDir, u16, Server) {
    let dir = temp_dir::TempDir::new().unwrap();
    let port = free_port();
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_esam-kg"))
            .args([
                "serve",
                "--store",
                dir.path().join("s").to_str().unwrap(),
                "--bind",
                &format!("127.0.0.1:{port}"),
            ])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    while get(port, "/health").is_none_or(|(status, _)| !status.contains("200")) {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the server did not come up"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    (dir, port, server)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[cfg(unix)]
#[test]
fn serve_imports_the_bundled_data_answers_over_http_and_stops_on_sigterm() {
    let (dir, port, mut server) = start_server();
    let query: String =
        form_urlencoded::byte_serialize(b"SELECT DISTINCT ?d WHERE { ?d a esam:Newsletter } ORDER BY ?d").collect();
    let (status, body) = get(port, &format!("/sparql?query={query}")).unwrap();
    assert!(status.contains("200"), "{status}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let documents: Vec<&str> = json["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["d"]["value"].as_str().unwrap())
        .collect();
    assert_eq!(
        documents,
        vec![
            "http://127.0.0.1:7878/id/newsletter/2021-12",
            "http://127.0.0.1:7878/id/newsletter/2023-12"
        ]
    );

    // The server holds the store: an import says so instead of failing obscurely.
    let import = Command::new(env!("CARGO_BIN_EXE_esam-kg"))
        .args([
            "import",
            "--store",
            dir.path().join("s").to_str().unwrap(),
            "data/newsletters",
        ])
        .current_dir(crate::support::root())
        .output()
        .unwrap();
    assert_eq!(import.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&import.stderr).contains("in use by another process"),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );

    let pid = server.0.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let stopped = Instant::now();
    loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(stopped.elapsed() < Duration::from_secs(30), "no shutdown after SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Runs a Python client script from `tests/clients/` with one argument; its report (stdout)
/// when it succeeds.
fn python_client(script: &str, argument: &str) -> String {
    python_client_with(script, &[argument])
}

/// [`python_client`] with several arguments.
fn python_client_with(script: &str, arguments: &[&str]) -> String {
    let mut python = Command::new("python3");
    python
        .arg(crate::support::root().join("tests/clients").join(script))
        .args(arguments);
    client_report(
        python,
        script,
        "python3 runs (its packages are installed by scripts/ensure-test-deps)",
    )
}

/// Runs a client and returns its report (stdout); it must succeed.
fn client_report(mut client: Command, script: &str, runs: &str) -> String {
    let output = client.output().expect(runs);
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{script} failed:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    report
}

/// Python's SPARQLWrapper and rdflib (installed by `.ci/run`) against a running server.
#[cfg(unix)]
#[test]
fn python_sparql_clients_work_unchanged() {
    let (_dir, port, _server) = start_server();
    let report = python_client("python_clients.py", &format!("http://127.0.0.1:{port}/sparql"));
    assert_eq!(report.lines().filter(|l| l.starts_with("ok ")).count(), 15, "{report}");
}

/// Where the npm packages the browser and federation tests use are (installed by
/// scripts/ensure-test-deps); the test fails when `package` is not there.
fn node_modules(package: &str) -> std::path::PathBuf {
    let modules = std::env::var_os("ESAM_KG_NODE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(std::env::var_os("HOME").unwrap_or("/root".into())).join(".cache/esam-kg/node")
        })
        .join("node_modules");
    if !modules.join(package).exists() {
        crate::support::missing_tool(&format!("the npm package {package} (in {})", modules.display()));
    }
    modules
}

/// Runs a Node.js client script from `tests/clients/` with the npm packages in `modules`; its
/// report (stdout) when it succeeds.
fn node_client(modules: &std::path::Path, script: &str, arguments: &[&str]) -> String {
    let mut node = Command::new("node");
    node.arg(crate::support::root().join("tests/clients").join(script))
        .args(arguments)
        .env("ESAM_KG_NODE_MODULES", modules);
    client_report(
        node,
        script,
        "node runs (the machine's Node.js; its packages are installed by scripts/ensure-test-deps)",
    )
}

/// Comunica (`@comunica/query-sparql` from npm) federates from the client side: one query
/// joins a local Turtle file (an architect's own systems and their owners) with our endpoint
/// (which projects those owners take part in).
#[cfg(unix)]
#[test]
fn comunica_joins_our_endpoint_with_a_local_file() {
    let modules = node_modules("@comunica/query-sparql");
    let (dir, port, _server) = start_server();
    let local = dir.path().join("systems.ttl");
    std::fs::write(
        &local,
        "@prefix ex: <http://example.org/architecture#> .\n\
         ex:Skattekonto ex:ownedBy <http://127.0.0.1:7878/id/org/skatteverket> .\n\
         ex:Foretagsregistret ex:ownedBy <http://127.0.0.1:7878/id/org/bolagsverket> .\n\
         ex:Okand ex:ownedBy <http://example.org/not-in-the-graph> .\n",
    )
    .unwrap();
    let query = "PREFIX org: <http://www.w3.org/ns/org#> PREFIX ex: <http://example.org/architecture#> \
        SELECT DISTINCT ?system ?group WHERE { ?system ex:ownedBy ?owner . \
        ?membership org:member ?owner ; org:organization ?group . }";
    let text = node_client(
        &modules,
        "comunica_federation.cjs",
        &[
            &format!("http://127.0.0.1:{port}/sparql"),
            local.to_str().unwrap(),
            query,
        ],
    );
    let json: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let rows: Vec<(String, String)> = json
        .iter()
        .map(|r| {
            (
                r["system"].as_str().unwrap().to_string(),
                r["group"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        rows.contains(&(
            "http://example.org/architecture#Skattekonto".into(),
            "http://127.0.0.1:7878/id/group/finansiell-status".into()
        )),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|(system, _)| system.ends_with("#Foretagsregistret")),
        "{rows:?}"
    );
    assert!(!rows.iter().any(|(system, _)| system.ends_with("#Okand")), "{rows:?}");
}

/// The views' OpenAPI document validates (openapi-spec-validator, installed by
/// `.ci/run`) and every documented view answers each documented media type.
#[cfg(unix)]
#[test]
fn openapi_document_validates_and_every_view_answers_as_documented() {
    let (_dir, port, _server) = start_server();
    let report = python_client("openapi_check.py", &format!("http://127.0.0.1:{port}"));
    assert!(
        report.lines().filter(|l| l.starts_with("ok ")).count() >= 25,
        "{report}"
    );
}

/// Where tests leave artefacts for people (screenshots): `$ESAM_KG_ARTEFACTS`, else `target/test-artefacts`.
fn artefact_dir() -> std::path::PathBuf {
    let dir = std::env::var_os("ESAM_KG_ARTEFACTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| crate::support::root().join("target/test-artefacts"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Headless Chromium (installed by `.ci/run`) on a page of the running server: its DOM,
/// and a screenshot saved as `NAME.png` among the artefacts. The browser may reach nothing
/// but the loopback server (`--proxy-server` pointing nowhere, loopback bypassed).
fn chromium(url: &str, name: &str) -> String {
    chromium_with(url, name, &[])
}

/// [`chromium`] with extra flags (e.g. a virtual-time budget for pages that run scripts).
fn chromium_with(url: &str, name: &str, flags: &[&str]) -> String {
    let profile = temp_dir::TempDir::new().unwrap();
    let screenshot = artefact_dir().join(format!("{name}.png"));
    let _ = std::fs::remove_file(&screenshot);
    let common = [
        "--headless".to_string(),
        "--no-sandbox".to_string(),
        "--disable-gpu".to_string(),
        "--disable-dev-shm-usage".to_string(),
        "--proxy-server=http://0.0.0.0:9".to_string(),
        "--proxy-bypass-list=127.0.0.1".to_string(),
        format!("--user-data-dir={}", profile.path().display()),
        "--window-size=1280,1000".to_string(),
    ];
    let run = |extra: &str| {
        let output = Command::new("chromium")
            .args(&common)
            .args(flags)
            .args(["--enable-logging=stderr", "--v=0"])
            .arg(extra)
            .arg(url)
            .output()
            .expect("chromium runs (installed by scripts/ensure-test-deps)");
        let log = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{log}");
        // Console messages of the page (errors, uncaught exceptions) fail the test.
        let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
        assert!(console.is_empty(), "{name}: console messages: {console:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    run(&format!("--screenshot={}", screenshot.display()));
    let size = std::fs::metadata(&screenshot).map(|m| m.len()).unwrap_or(0);
    assert!(size > 2_000, "{name}: no real screenshot ({size} bytes)");
    run("--dump-dom")
}

/// Each view's picture renders in a real browser (no parse error page) and is kept as a screenshot.
#[cfg(unix)]
#[test]
fn view_pictures_open_in_headless_chromium() {
    let (_dir, port, _server) = start_server();
    for view in ["participation", "co-participation", "events"] {
        let dom = chromium(
            &format!("http://127.0.0.1:{port}/views/{view}?format=svg"),
            &format!("view-{view}"),
        );
        assert!(dom.contains("<svg"), "{view}: {dom}");
        assert!(!dom.contains("parsererror"), "{view}: {dom}");
        assert!(dom.contains("<text"), "{view}: {dom}");
    }
    let dom = chromium(
        &format!("http://127.0.0.1:{port}/views/participation?format=html"),
        "view-participation-table",
    );
    // Chromium asks for English: the agency is labelled by its English name, linked by its IRI.
    assert!(
        dom.contains("/id/org/arbetsformedlingen") && dom.contains("Swedish Public Employment Service"),
        "{dom}"
    );
}

/// The query UI (YASGUI, served from the binary) loads in headless Chromium with no
/// network beyond the server, runs its first example (participation) and shows a result table.
#[cfg(unix)]
#[test]
fn query_ui_runs_the_participation_example_offline() {
    let (_dir, port, _server) = start_server();
    let page = get(port, "/sparql").unwrap();
    assert!(page.0.contains("200"));
    let dom = chromium_with(
        &format!("http://127.0.0.1:{port}/sparql#run"),
        "query-ui-participation",
        &["--virtual-time-budget=20000", "--run-all-compositor-stages-before-draw"],
    );
    assert!(
        dom.contains("class=\"yasgui"),
        "YASGUI did not start: {}",
        &dom[..dom.len().min(2000)]
    );
    assert!(dom.contains("Participation"), "no participation tab");
    assert!(dom.contains("<table"), "no result table");
    assert!(
        dom.contains("Arbetsförmedlingen"),
        "the participation rows are not shown"
    );
}

/// Every kind of page, in Swedish and in English, meets WCAG 2.1 A and AA as axe-core
/// checks it in Chromium, can be used with the keyboard alone (Tab reaches every link and
/// control, with a visible focus) and reflows at 320 CSS pixels (tests/clients/a11y_check.cjs;
/// playwright-core and axe-core from npm, installed by scripts/ensure-test-deps).
#[cfg(unix)]
#[test]
fn pages_meet_wcag_2_1_aa_in_a_real_browser() {
    let modules = node_modules("axe-core");
    let (_dir, port, _server) = start_server();
    let pages = [
        "/",
        "/views",
        "/views/participation?format=html",
        "/views/members?format=html&at=2021-12-15",
        "/id/org/skatteverket",
        "/id/org/myndigheten-for-samhallsskydd-och-beredskap",
        "/id/group/finansiell-status",
        "/id/person/fia-ekelof",
        "/id/newsletter/2021-12",
        "/dataset",
        "/ns",
    ];
    let specs: Vec<String> = pages
        .iter()
        .flat_map(|page| ["sv-SE", "en-GB"].map(|locale| format!("http://127.0.0.1:{port}{page}|{locale}")))
        .collect();
    let specs: Vec<&str> = specs.iter().map(String::as_str).collect();
    let report = node_client(&modules, "a11y_check.cjs", &specs);
    let pages: Vec<serde_json::Value> = serde_json::from_str(&report).unwrap();
    assert_eq!(pages.len(), specs.len());
    for page in &pages {
        assert_eq!(page["status"], 200, "{page}");
        let expected_lang = if page["locale"] == "en-GB" { "en" } else { "sv" };
        assert_eq!(page["lang"], expected_lang, "{page}");
        assert!(
            page["rules_checked"].as_u64().unwrap_or(0) > 10,
            "axe checked almost nothing: {page}"
        );
    }
}

/// An oversized request line (a megabyte of URL) is refused with a 4xx before any query is
/// parsed, and the server goes on answering.
#[cfg(unix)]
#[test]
fn oversized_urls_are_refused_and_the_server_goes_on() {
    let (_dir, port, _server) = start_server();
    let query: String =
        form_urlencoded::byte_serialize(format!("ASK {{ ?s ?p \"{}\" }}", "x".repeat(1 << 20)).as_bytes()).collect();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    // The server may close the connection before the whole request is written.
    let _ = write!(
        stream,
        "GET /sparql?query={query} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    );
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let status = response.lines().next().unwrap_or("");
    assert!(
        status.contains(" 414 ") || status.contains(" 431 ") || status.contains(" 400 ") || status.contains(" 413 "),
        "{status:?}"
    );
    let (status, body) = get(port, "/sparql?query=ASK%20%7B%7D").unwrap();
    assert!(status.contains("200") && body.contains("true"), "{status} {body}");
}

/// A client that never finishes its request head is disconnected after the header
/// time-out, while others are served; every request is logged as one JSON object.
#[cfg(unix)]
#[test]
fn slow_clients_are_cut_off_and_requests_are_logged() {
    let logs = temp_dir::TempDir::new().unwrap();
    let log_path = logs.child("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let (_dir, port, server) = start_server_with(&["--log-format", "json"], Stdio::from(log.try_clone().unwrap()));
    let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap();
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .unwrap();
    let started = Instant::now();
    // Others are served meanwhile.
    let query: String = form_urlencoded::byte_serialize(b"ASK { ?s ?p ?o }").collect();
    let (status, body) = get(port, &format!("/sparql?query={query}")).unwrap();
    assert!(status.contains("200") && body.contains("true"), "{status} {body}");
    slow.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(9) && waited < Duration::from_secs(25),
        "closed after {waited:?}"
    );
    drop(server);
    let logged = std::fs::read_to_string(&log_path).unwrap();
    let request = logged
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|event| event["path"] == "/sparql")
        .unwrap_or_else(|| panic!("no JSON request log for /sparql in:\n{logged}"));
    assert_eq!(request["method"], "GET");
    assert_eq!(request["status"], 200);
    assert!(request["latency_ms"].as_f64().is_some(), "{request}");
    assert_eq!(request["query_hash"].as_str().unwrap().len(), 16, "{request}");
}

/// The home page and resource pages (through the identifier's 303) load in headless
/// Chromium without console errors; screenshots are kept.
#[cfg(unix)]
#[test]
fn pages_load_in_headless_chromium_without_console_errors() {
    let (_dir, port, _server) = start_server();
    let home = chromium(&format!("http://127.0.0.1:{port}/"), "home");
    // Chromium asks for English (en-US): the page's own words follow.
    assert!(
        home.contains("The eSam graph") && home.contains("lang=\"en\""),
        "{home}"
    );
    for (path, name, needle) in [
        ("/id/org/skatteverket", "page-organisation", "Finansiell status"),
        ("/id/group/finansiell-status", "page-group", "Bolagsverket"),
        ("/id/person/fia-ekelof", "page-person", "kanslichef"),
    ] {
        let dom = chromium(&format!("http://127.0.0.1:{port}{path}"), name);
        assert!(dom.contains("<h1>"), "{name}");
        assert!(dom.contains(needle), "{name} lacks {needle}");
    }
}

/// The dataset description validates against SHACL shapes for DCAT-AP-SE's mandatory
/// properties (pySHACL, installed by `.ci/run`), and the shapes catch broken descriptions.
#[cfg(unix)]
#[test]
fn dataset_description_conforms_to_dcat_ap_se() {
    let (_dir, port, _server) = start_server();
    let shapes = crate::support::root().join("tests/shapes/dcat-ap-se.ttl");
    let report = python_client_with(
        "dcat_check.py",
        &[&format!("http://127.0.0.1:{port}"), shapes.to_str().unwrap()],
    );
    assert_eq!(report.lines().filter(|l| l.starts_with("ok ")).count(), 9, "{report}");
}

/// Request logs are written in batches (server/logs.rs); a request answered just before
/// SIGTERM is still in the log when the process has ended.
#[cfg(unix)]
#[test]
fn the_last_requests_are_logged_when_the_server_stops() {
    let logs = temp_dir::TempDir::new().unwrap();
    let log_path = logs.child("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let (_dir, port, mut server) = start_server_with(&[], Stdio::from(log.try_clone().unwrap()));
    let (status, _) = get(port, "/no-such-page-answered-before-sigterm").unwrap();
    assert!(status.contains("404"), "{status}");
    let pid = server.0.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = server.0.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let logged = std::fs::read_to_string(&log_path).unwrap();
    // tracing-subscriber's text format: `path="/…" status=404`.
    assert!(
        logged
            .lines()
            .any(|line| line.contains("/no-such-page-answered-before-sigterm") && line.contains("status=404")),
        "{logged}"
    );
}
