#!/usr/bin/env bash
# Change-to-reload latency of `barometre serve` on a 10,000-pages-per-language corpus.
#   bash bench/serve_latency.sh [PAGES_PER_LANGUAGE] [EDITS]
# Generates the shared corpus on /dev/shm (bench/gen_corpus.py), converts it to a barometre
# project with the default theme (20 editions x N/20 pages, fr + ar: bench/to_barometre.py), builds the
# release binary and times one-page edits (bench/serve_latency.py): median of EDITS edits.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000}"
EDITS="${2:-15}"
WORK="${BENCH_DIR:-/dev/shm/barometre-bench-$N}"
if [ ! -d "$WORK/barometre" ]; then
  python3 bench/gen_corpus.py "$N" "$WORK" >/dev/null
  python3 bench/to_barometre.py "$WORK" --theme default
fi
cargo build --release --locked -q
python3 bench/serve_latency.py target/release/barometre "$WORK/barometre" "$EDITS"
