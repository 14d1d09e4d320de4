#!/usr/bin/env bash
# Every test of the project: formatting, lints, unit and integration tests (fixtures and the
# shipped editions), then the checks of the built shipped site. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --check

echo "== cargo clippy"
cargo clippy --locked --all-targets -- -D warnings

echo "== minimum Rust version (rust-version in Cargo.toml)"
python3 tests/msrv.py

echo "== cargo test"
cargo test --locked

echo "== barometre check (shipped site, strict translations)"
cargo run --locked -q -- check --strict

echo "== browser tests (Chromium: navigation, offline search, mirror, packages, axe-core, PDF, Nu HTML Checker)"
cargo build --locked -q
(
  cd tests/browser
  # --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime; the
  # machine's java runs the jar.
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  BAROMETRE_BIN="$PWD/../../target/debug/barometre" npm test
)
