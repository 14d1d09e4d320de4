//! Arbitrary bytes through the HTML scanner of the link check (`syntax/scan.rs`):
//! `cargo +nightly fuzz run scan` (from the repository root). See `fuzz/harness.rs` and
//! `fuzz/README.md`.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::scan(data));
