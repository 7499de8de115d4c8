//! esam-kg: a linked-data knowledge graph of the eSam newsletters.
//!
//! Modules are listed in the order data flows, grouped by stage: bytes are read by `ingest`,
//! recognised by `extract` into `model` types, turned into quads by `graph` with the terms of
//! `vocab` and the IRIs of `ids`, kept by `store`, and answered by `sparql`, the curated
//! `views` and `linked` through the `server` or the `cli`. See ARCHITECTURE.md.

// Shared by every stage: settings, the vocabulary, the one place IRIs are minted.
pub mod config;
pub mod ids;
pub mod vocab;

// 1. Read: bytes → a decoded document of blocks with source offsets.
pub mod ingest;

// 2. Recognise: document → organisations, people, groups, events, decisions (no RDF), with
//    the reference data they are matched against; readings and their scores.
pub mod extract;
pub mod model;
pub mod reference;
pub mod score;
pub mod summary;

// 3. Describe: an extraction → the quads of its document's named graph.
pub mod graph;

// 4. Keep: the store (one named graph per document, the merge as default graph), the import
//    pipeline that fills it, and the checks of its invariants.
pub mod check;
pub mod explain;
pub mod import;
pub mod store;

// 5. Answer: SPARQL under limits, curated views, linked-data pages, dumps, reconciliation,
//    the change feed, counts.
pub mod changes;
pub mod dump;
pub mod html;
pub mod linked;
pub mod reconcile;
pub mod sparql;
pub mod stats;
pub mod views;

// 6. Publish and operate: the HTTP server, pushing into another store, synthetic corpora,
//    and the command line over all of it.
pub mod cli;
pub mod corpus;
pub mod push;
pub mod server;

/// The unit tests allocate as the binary does (`main.rs`), so that what is measured through
/// jemalloc's counters (`sparql::memory`) is measured in them too.
#[cfg(all(test, feature = "jemalloc"))]
#[global_allocator]
static TEST_ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
