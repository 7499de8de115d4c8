//! Fuzz target: arbitrary bytes read as a `.txt` newsletter and extracted.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| common::read_and_extract("fuzz.txt", bytes));
