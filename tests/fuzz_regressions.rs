//! Replays every input kept in `tests/fuzz-regressions/` (crashes found by the fuzz target,
//! and seeds) through the fuzz harness on stable Rust: each once made something panic.

#[path = "../fuzz/harness.rs"]
mod harness;

#[test]
fn kept_fuzz_inputs_do_not_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fuzz-regressions") {
        let path = entry.expect("entry").path();
        let data = std::fs::read(&path).expect("read input");
        let result = std::panic::catch_unwind(|| harness::run(&data));
        assert!(result.is_ok(), "{} panics", path.display());
        n += 1;
    }
    assert!(n > 0, "no inputs in {}", dir.display());
}
