//! The one integration-test binary (each binary links RocksDB again), with a
//! module per capability.

mod cli;
mod contract;
mod newsletters;
mod sparql_endpoint;
mod support;
mod tidy;
