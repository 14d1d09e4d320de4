//! Replays every input kept in `tests/fuzz-regressions/` (findings of the fuzz targets, and
//! seeds) through the fuzz harness on stable Rust: each once made something panic or broke an
//! invariant. Inputs of the `loaders` target sit at the top of the folder, those of the other
//! targets in a subfolder named after the target (`responses/`, `chart/`, `page/`, `scan/`).

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::Path;

/// Runs every file of `tests/fuzz-regressions/<sub>` through `run`; returns how many.
fn replay(sub: &str, run: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(sub);
    let mut n = 0;
    let mut failed = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    for path in paths {
        let data = std::fs::read(&path).expect("read input");
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            failed.push(path.display().to_string());
        }
        n += 1;
    }
    assert!(failed.is_empty(), "these inputs panic: {failed:#?}");
    assert!(n > 0, "no inputs in {}", dir.display());
    n
}

#[test]
fn kept_fuzz_inputs_do_not_panic() {
    replay("", harness::run);
}

#[test]
fn kept_responses_inputs_hold() {
    replay("responses", harness::responses);
}

#[test]
fn kept_chart_inputs_hold() {
    replay("chart", harness::chart);
}

#[test]
fn kept_page_inputs_hold() {
    replay("page", harness::page);
}

#[test]
fn kept_scan_inputs_hold() {
    replay("scan", harness::scan);
}
