//! Shared by the fuzz targets: bytes under a file name → ingestion → extraction with the
//! bundled reference data, as `esam-kg import` does it (only the store is left out).

use std::sync::LazyLock;

use esam_kg::ids::Ids;
use esam_kg::ingest::{IngestLimits, parse_bytes};
use esam_kg::reference::Reference;

static REFERENCE: LazyLock<Reference> =
    LazyLock::new(|| Reference::load(&Ids::default()).expect("the bundled reference data parses"));

/// Reads `bytes` as the file `name` and extracts it; a refusal (binary, empty) is fine, a
/// panic is what the fuzzer looks for.
pub fn read_and_extract(name: &str, bytes: &[u8]) {
    if let Ok(document) = parse_bytes(name, bytes, IngestLimits::default()) {
        let extraction = esam_kg::extract::extract(&document, &REFERENCE.lexicon, None);
        // The graph is built from every fact: offsets, dates and keys must all hold together.
        let source = esam_kg::graph::SourceInfo {
            id: "fuzz",
            file_name: name,
            text_digest: "0",
        };
        let _ = esam_kg::graph::document_quads(&Ids::default(), &source, &extraction);
    }
}
