//! The body of a chart block through the real figure embedding of the demonstration project:
//! `cargo +nightly fuzz run chart` (from the repository root). See `fuzz/harness.rs` and
//! `fuzz/README.md`.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::chart(data));
