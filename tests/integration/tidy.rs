//! Invariants of the repository: bundled data byte-identical to the shared
//! corpus, every vocab term declared in the ontology.

use crate::support::root;

#[test]
fn bundled_newsletters_are_byte_identical_to_the_shared_corpus() {
    let shared = root().join("../shared/newsletters");
    if !shared.exists() {
        return; // a clone without ../shared beside it
    }
    for entry in std::fs::read_dir(&shared).unwrap() {
        let path = entry.unwrap().path();
        let bundled = root().join("data/newsletters").join(path.file_name().unwrap());
        assert_eq!(
            std::fs::read(&path).unwrap(),
            std::fs::read(&bundled).unwrap(),
            "{}",
            bundled.display()
        );
    }
}

#[test]
fn every_esam_term_is_declared_in_the_ontology() {
    let ontology = std::fs::read_to_string(root().join("ontology/esam.ttl")).unwrap();
    for term in esam_kg::vocab::ESAM_TERMS {
        let local = term.as_str().rsplit('#').next().unwrap();
        assert!(
            ontology.contains(&format!("\nesam:{local} a ")),
            "esam:{local} is not declared in ontology/esam.ttl"
        );
    }
}

#[test]
fn every_query_file_parses_and_runs_on_the_bundled_data() {
    let store = crate::support::TestStore::with_newsletters();
    let mut count = 0;
    for entry in std::fs::read_dir(root().join("queries")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rq") {
            let query = std::fs::read_to_string(&path).unwrap();
            let rows = store.select(&query);
            assert!(
                !rows.is_empty(),
                "{} returns nothing on the bundled data",
                path.display()
            );
            count += 1;
        }
    }
    assert!(count >= 2);
}
