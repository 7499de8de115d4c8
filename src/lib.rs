//! esam-kg: a linked-data knowledge graph of the eSam newsletters.
//!
//! Modules are listed in the order data flows: bytes are read by `ingest`,
//! read by `extract` into `model` types, turned into quads by `graph` with the
//! terms of `vocab` and the IRIs of `ids`, stored by `store`, and answered by
//! `sparql` and the curated `views` through the `cli` or the `server`
//! (whose pages use `html`). See ARCHITECTURE.md.

pub mod changes;
pub mod check;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod dump;
pub mod explain;
pub mod extract;
pub mod graph;
pub mod html;
pub mod ids;
pub mod import;
pub mod ingest;
pub mod linked;
pub mod model;
pub mod push;
pub mod reconcile;
pub mod reference;
pub mod score;
pub mod server;
pub mod sparql;
pub mod stats;
pub mod store;
pub mod summary;
pub mod views;
pub mod vocab;

/// The unit tests allocate as the binary does (`main.rs`), so that what is measured through
/// jemalloc's counters (`sparql::memory`) is measured in them too.
#[cfg(all(test, feature = "jemalloc"))]
#[global_allocator]
static TEST_ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
