//! Fuzzes the Genius XML importer: a domain and profiles separated by NUL bytes.

#![no_main]

#[path = "import_common.rs"]
mod import_common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| import_common::check(data, truce_scenario::import::import_genius));
