//! The one integration-test binary (each binary links RocksDB again), with a
//! module per capability.

// A test harness fails by panicking; `unwrap` is how its helpers say "this must hold".
#![allow(clippy::unwrap_used)]

mod cli;
mod connections;
mod contract;
mod crash;
mod gold;
mod governance;
mod inputs;
mod integrity;
mod linked_data;
mod newsletters;
mod operations;
mod push;
mod reconcile;
mod server_process;
mod sparql_endpoint;
mod support;
mod tidy;
mod views;
mod w3c_protocol;
mod writes;
