//! The command line as scripts use it: import, query, export, stats.

use crate::support::{esam_kg, newsletters, stderr, stdout};

#[test]
fn import_then_query_lists_organisations_by_official_name() {
    let dir = temp_dir::TempDir::new().unwrap();
    let store = dir.path().join("s");
    let files: Vec<String> = newsletters().iter().map(|p| p.display().to_string()).collect();
    let mut args = vec!["import", "--store", store.to_str().unwrap()];
    args.extend(files.iter().map(String::as_str));
    let output = esam_kg(&args, &store);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("2 documents"), "{}", stdout(&output));

    let output = esam_kg(
        &[
            "query",
            "--store",
            store.to_str().unwrap(),
            "--format",
            "csv",
            "SELECT ?doc ?name WHERE { ?doc a esam:Newsletter ; schema:mentions ?o . ?o skos:prefLabel ?name FILTER(lang(?name) = 'sv') } ORDER BY ?doc ?name",
        ],
        &store,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let csv = stdout(&output);
    assert!(csv.starts_with("doc,name\r\n"), "{csv}");
    assert!(
        // MSB, by its official name now: the agency renamed Myndigheten för civilt försvar.
        csv.contains("http://127.0.0.1:7878/id/newsletter/2021-12,Myndigheten för civilt försvar"),
        "{csv}"
    );
    assert!(
        csv.contains("http://127.0.0.1:7878/id/newsletter/2023-12,Statens tjänstepensionsverk"),
        "{csv}"
    );
}

#[test]
fn importing_twice_leaves_a_byte_identical_sorted_export() {
    let dir = temp_dir::TempDir::new().unwrap();
    let store = dir.path().join("s");
    let store_arg = store.to_str().unwrap();
    let export = || {
        let output = esam_kg(&["export", "--store", store_arg, "--format", "nq"], &store);
        assert!(output.status.success(), "{}", stderr(&output));
        output.stdout
    };
    assert!(
        esam_kg(&["import", "--store", store_arg, "data/newsletters"], &store)
            .status
            .success()
    );
    let first = export();
    assert!(
        esam_kg(&["import", "--store", store_arg, "data/newsletters"], &store)
            .status
            .success()
    );
    let second = export();
    assert!(first.len() > 10_000);
    assert!(first == second, "the second import changed the store");
}

#[test]
fn import_reports_unreadable_file_and_imports_the_rest() {
    let dir = temp_dir::TempDir::new().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for file in newsletters() {
        std::fs::copy(&file, input.join(file.file_name().unwrap())).unwrap();
    }
    std::fs::write(input.join("broken.txt"), b"%PDF-1.7 binary").unwrap();
    let missing = dir.path().join("does-not-exist.txt");
    let store = dir.path().join("s");
    let output = esam_kg(
        &[
            "import",
            "--store",
            store.to_str().unwrap(),
            input.to_str().unwrap(),
            missing.to_str().unwrap(),
        ],
        &store,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let errors = stderr(&output);
    assert!(errors.contains("broken.txt") && errors.contains("PDF"), "{errors}");
    assert!(errors.contains("does-not-exist.txt"), "{errors}");
    assert!(stdout(&output).contains("2 documents"), "{}", stdout(&output));
}

#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_read_is_named_and_the_rest_imported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir::TempDir::new().unwrap();
    let locked = dir.path().join("locked.txt");
    std::fs::write(&locked, "Skatteverket deltog den 1 december 2021.").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        // Running as root, where permissions do not stop reading: a dangling
        // symbolic link is a file that cannot be read either.
        std::fs::remove_file(&locked).unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone.txt"), &locked).unwrap();
    }
    let store = dir.path().join("s");
    let files = newsletters();
    let output = esam_kg(
        &[
            "import",
            "--store",
            store.to_str().unwrap(),
            locked.to_str().unwrap(),
            files[0].to_str().unwrap(),
        ],
        &store,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("locked.txt: cannot read"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).contains("1 documents"));
}

#[test]
fn stats_and_export_formats_work_on_an_imported_store() {
    let dir = temp_dir::TempDir::new().unwrap();
    let store = dir.path().join("s");
    let store_arg = store.to_str().unwrap();
    assert!(
        esam_kg(&["import", "--store", store_arg, "data/newsletters"], &store)
            .status
            .success()
    );
    let stats = stdout(&esam_kg(&["stats", "--store", store_arg], &store));
    assert!(stats.contains("documents: 2"), "{stats}");
    let trig = esam_kg(&["export", "--store", store_arg, "--format", "trig"], &store);
    assert!(trig.status.success() && stdout(&trig).contains("esam:Newsletter"));
    let graph = esam_kg(
        &[
            "export",
            "--store",
            store_arg,
            "--format",
            "ttl",
            "--graph",
            "http://127.0.0.1:7878/id/newsletter/2023-12",
        ],
        &store,
    );
    let turtle = stdout(&graph);
    assert!(
        turtle.contains("Nyhetsbrev från eSam") && !turtle.contains("2021-12"),
        "{turtle}"
    );
}

#[test]
fn read_verbs_on_a_missing_store_say_so() {
    let dir = temp_dir::TempDir::new().unwrap();
    let store = dir.path().join("nothing-here");
    let output = esam_kg(&["query", "--store", store.to_str().unwrap(), "ASK {}"], &store);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no store at"), "{}", stderr(&output));
}

#[test]
fn a_malformed_query_reports_line_and_column() {
    let dir = temp_dir::TempDir::new().unwrap();
    let store = dir.path().join("s");
    assert!(
        esam_kg(
            &["import", "--store", store.to_str().unwrap(), "data/newsletters"],
            &store
        )
        .status
        .success()
    );
    let output = esam_kg(
        &["query", "--store", store.to_str().unwrap(), "SELECT * WHERE { ?s ?p }"],
        &store,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("does not parse"), "{}", stderr(&output));
}

#[test]
fn standard_input_is_imported_and_named_by_its_issue_date() {
    use std::io::Write;
    let dir = temp_dir::TempDir::new().unwrap();
    let store = dir.path().join("s");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_esam-kg"))
        .args(["import", "--store", store.to_str().unwrap(), "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let text = std::fs::read(crate::support::root().join("data/newsletters/esam-nyhetsbrev-2023-12.txt")).unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stdout(&output));
    let output = esam_kg(
        &[
            "query",
            "--store",
            store.to_str().unwrap(),
            "--format",
            "tsv",
            "SELECT ?d WHERE { ?d a esam:Newsletter }",
        ],
        &store,
    );
    assert!(
        stdout(&output).contains("<http://127.0.0.1:7878/id/newsletter/2023-12>"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn the_cli_runs_the_same_views() {
    let (_dir, store) = imported_store();
    let s = store.to_str().unwrap();

    let output = esam_kg(&["view", "--store", s, "--list"], &store);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("--param organisation=<iri>"),
        "{}",
        stdout(&output)
    );

    let output = esam_kg(
        &[
            "view",
            "participation",
            "--store",
            s,
            "--param",
            "organisation=Skatteverkets",
            "--format",
            "csv",
        ],
        &store,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let csv = stdout(&output);
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.contains("Finansiell status"), "{csv}");

    let output = esam_kg(&["view", "members", "--store", s, "-p", "at=2021-12-15"], &store);
    assert!(
        stdout(&output).contains("(3 of 3 rows, from row 1)"),
        "{}",
        stdout(&output)
    );

    let output = esam_kg(&["view", "events", "--store", s, "-p", "from=yesterday"], &store);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("parameter \"from\": expected a date YYYY-MM-DD"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn canonical_export_is_stable_and_states_its_digest() {
    let (_dir, store) = imported_store();
    let s = store.to_str().unwrap();
    let first = esam_kg(&["export", "--store", s, "--canonical"], &store);
    let second = esam_kg(&["export", "--store", s, "--canonical", "--format", "nq"], &store);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(
        stderr(&first).trim(),
        format!("sha256 {}", esam_kg::dump::sha256_hex(&first.stdout))
    );
    let trig = esam_kg(&["export", "--store", s, "--canonical", "--format", "trig"], &store);
    assert_eq!(trig.status.code(), Some(2));
    assert!(stderr(&trig).contains("not trig"), "{}", stderr(&trig));
}

/// A temporary store with both bundled newsletters imported by the binary.
fn imported_store() -> (temp_dir::TempDir, std::path::PathBuf) {
    let dir = temp_dir::TempDir::new().unwrap();
    let store = dir.path().join("s");
    let files: Vec<String> = newsletters().iter().map(|p| p.display().to_string()).collect();
    let mut args = vec!["import", "--store", store.to_str().unwrap()];
    args.extend(files.iter().map(String::as_str));
    assert!(esam_kg(&args, &store).status.success());
    (dir, store)
}

/// Every organisation the bundled newsletters name is in the reference list (none only by
/// pattern); `reference check` says so, and lists a new name found only by pattern.
#[test]
fn reference_check_lists_names_found_only_by_pattern() {
    let dir = temp_dir::TempDir::new().unwrap();
    let store = dir.path().join("unused");
    let output = esam_kg(&["reference", "check"], &store);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("0 name(s) recognised only by pattern in 2 file(s)"));

    let text = dir.path().join("esam-nyhetsbrev-2024-01.txt");
    std::fs::write(
        &text,
        "Nyhetsbrev från eSam, januari 2024\n\nStatens kvalitetsverk och Skatteverket samarbetar.\n",
    )
    .unwrap();
    let output = esam_kg(&["reference", "check", text.to_str().unwrap()], &store);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("Statens kvalitetsverk\t(by pattern in esam-nyhetsbrev-2024-01.txt)"),
        "{}",
        stdout(&output)
    );
    assert!(!stdout(&output).contains("Skatteverket"));
}
