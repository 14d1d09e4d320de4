//! Coverage-guided fuzzing of the loaders and the author tools' text edits:
//! `cargo +nightly fuzz run loaders` (from the repository root). See `fuzz/harness.rs`.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run(data));
