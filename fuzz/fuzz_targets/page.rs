//! A Markdown page body through the real page hooks (links, images, raw HTML, the URL policy):
//! `cargo +nightly fuzz run page` (from the repository root). See `fuzz/harness.rs` and
//! `fuzz/README.md`.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::page(data));
