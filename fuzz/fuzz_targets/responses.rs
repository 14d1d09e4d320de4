//! A responses CSV through the model's aggregation, with the fixed definition of `fuzz/fixture/`:
//! `cargo +nightly fuzz run responses` (from the repository root). See `fuzz/harness.rs` and
//! `fuzz/README.md`.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::responses(data));
