//! Invariants of the repository: bundled data and gold readings byte-identical to the
//! shared ones, every vocab term declared in the ontology.

use crate::support::root;

#[test]
fn bundled_newsletters_are_byte_identical_to_the_shared_corpus() {
    assert_copied_byte_for_byte("../shared/newsletters", "data/newsletters");
}

#[test]
fn the_gold_readings_are_byte_identical_to_the_shared_ones() {
    assert_copied_byte_for_byte("../shared/gold", "tests/gold");
}

/// Every file of `shared` (when a clone has ../shared beside it) is in `copy`, unchanged.
fn assert_copied_byte_for_byte(shared: &str, copy: &str) {
    let shared = root().join(shared);
    if !shared.exists() {
        // A clone without ../shared beside it; CI always has it.
        assert!(std::env::var_os("CI").is_none(), "{} is missing", shared.display());
        return;
    }
    for entry in std::fs::read_dir(&shared).unwrap() {
        let path = entry.unwrap().path();
        let copied = root().join(copy).join(path.file_name().unwrap());
        assert_eq!(
            std::fs::read(&path).unwrap(),
            std::fs::read(&copied).unwrap(),
            "{}",
            copied.display()
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
fn every_view_loads_and_answers_on_the_bundled_data_with_its_examples() {
    let store = crate::support::TestStore::with_newsletters();
    let views = crate::support::views();
    let files = std::fs::read_dir(root().join("queries"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "rq"))
        .count();
    assert_eq!(views.iter().count(), files, "every .rq file is a view");
    for view in views.iter() {
        assert!(!view.description.is_empty(), "{} has no description", view.name);
        let pairs: Vec<(String, String)> = view
            .params
            .iter()
            .filter(|p| p.required && p.default.is_none())
            .map(|p| {
                let example = p.example.clone();
                (
                    p.name.clone(),
                    example.unwrap_or_else(|| panic!("{}: required {} needs an example", view.name, p.name)),
                )
            })
            .collect();
        let bound = esam_kg::views::params::bind(&store.store, view, &pairs, "2026-01-01", 10_000).unwrap();
        let table = esam_kg::views::run(&store.store, view, &bound, esam_kg::sparql::QueryPolicy::LOCAL).unwrap();
        assert!(table.total > 0, "{} returns nothing on the bundled data", view.name);
    }
}
