//! The importer against a careful reader: `esam-kg score` on the bundled newsletters and the
//! hand-made readings of `tests/gold/` (copied byte for byte from `../shared/gold/`), and
//! `esam-kg read`, the reading it scores.

use serde_json::Value;

use crate::support::{esam_kg, root, stderr, stdout};

fn gold_dir() -> String {
    root().join("tests/gold").display().to_string()
}

fn newsletters_dir() -> String {
    root().join("data/newsletters").display().to_string()
}

fn run(args: &[&str]) -> std::process::Output {
    let dir = temp_dir::TempDir::new().unwrap();
    esam_kg(args, &dir.path().join("unused-store"))
}

fn scores() -> Value {
    let output = run(&["score", "--json", "--gold", &gold_dir(), &newsletters_dir()]);
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).unwrap()
}

/// The floors are what the importer measured when they were set (TESTING.md, "Gold"): a
/// change that reads the bundled newsletters worse than that fails here.
#[test]
fn the_importer_reads_the_bundled_newsletters_as_the_careful_reader_does() {
    let scores = scores();
    assert_eq!(scores["not_read"], serde_json::json!([]), "{scores:#}");
    for (kind, precision, recall) in FLOORS {
        let facts = &scores["facts"][kind];
        let (p, r) = (facts["precision"].as_f64().unwrap(), facts["recall"].as_f64().unwrap());
        assert!(
            p >= *precision && r >= *recall,
            "{kind}: precision {p:.2} (floor {precision}), recall {r:.2} (floor {recall}): {facts}"
        );
    }
    for (detail, floor) in DETAIL_FLOORS {
        let detail_scores = &scores["details"][detail];
        let (agreed, compared) = (
            detail_scores["agreed"].as_u64().unwrap(),
            detail_scores["compared"].as_u64().unwrap(),
        );
        assert!(
            agreed >= *floor,
            "{detail}: {agreed} of {compared} agree, floor {floor}"
        );
    }
}

/// (kind, precision floor, recall floor).
const FLOORS: &[(&str, f64, f64)] = &[
    ("organisations", 1.0, 1.0),
    ("people", 1.0, 1.0),
    ("groups", 1.0, 1.0),
    ("group members", 1.0, 1.0),
    ("group leads", 1.0, 1.0),
    ("events", 1.0, 1.0),
    ("decisions", 1.0, 1.0),
];

/// (detail, pairs that must agree). Measured: every pair agrees except one event type (the
/// reader's "möte" for "Digitalt informationsmöte", which we type "informationsmöte") and
/// one decision's body (the reader's "deltagarna vid temamötet", a body we do not name).
const DETAIL_FLOORS: &[(&str, u64)] = &[
    ("person organisation", 12),
    ("person role", 12),
    ("event date", 14),
    ("event type", 13),
    ("event participants", 14),
    ("decision by", 6),
    ("decision date", 7),
];

#[test]
fn the_table_names_every_kind_of_fact() {
    let output = run(&["score", "--gold", &gold_dir(), &newsletters_dir()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let table = stdout(&output);
    for kind in esam_kg::score::KINDS.iter().chain(&["all"]) {
        assert!(table.lines().any(|l| l.starts_with(kind)), "{kind} in {table}");
    }
}

#[test]
fn organisations_are_read_under_the_name_they_bore_when_the_newsletter_was_issued() {
    let output = run(&[
        "read",
        &root()
            .join("data/newsletters/esam-nyhetsbrev-2021-12.txt")
            .display()
            .to_string(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let readings: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let reading = &readings[0];
    assert_eq!(reading["doc"], "esam-nyhetsbrev-2021-12");
    assert_eq!(reading["issued"], "2021-12");
    let organisations: Vec<&str> = reading["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    // MSB and ESV in 2021, whatever they are called now.
    assert!(
        organisations.contains(&"Myndigheten för samhällsskydd och beredskap"),
        "{organisations:?}"
    );
    assert!(organisations.contains(&"Ekonomistyrningsverket"), "{organisations:?}");
    assert!(!organisations.contains(&"Statskontoret"), "{organisations:?}");
    assert!(
        !organisations.contains(&"Myndigheten för civilt försvar"),
        "{organisations:?}"
    );
    // The reading is the one `score` compares: it parses as a careful reading does.
    let parsed: esam_kg::summary::Reading = serde_json::from_value(reading.clone()).unwrap();
    assert_eq!(parsed.doc, "esam-nyhetsbrev-2021-12");
}

#[test]
fn a_broken_reading_is_refused_with_its_file_and_line() {
    let dir = temp_dir::TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("good.json"),
        std::fs::read(root().join("tests/gold/esam-nyhetsbrev-2023-12.json")).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("broken.json"),
        "{\n  \"doc\": \"x\",\n  \"people\": 3\n}\n",
    )
    .unwrap();
    let output = run(&["score", "--gold", dir.path().to_str().unwrap(), &newsletters_dir()]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("broken.json is not a reading") && message.contains("line"),
        "{message}"
    );

    let empty = temp_dir::TempDir::new().unwrap();
    let output = run(&["score", "--gold", empty.path().to_str().unwrap(), &newsletters_dir()]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("holds no readings"), "{}", stderr(&output));
}
