#!/usr/bin/env bash
# Change-to-reload latency of `barometre serve` on a 10,000-pages-per-language corpus.
#   bash bench/serve_latency.sh [PAGES_PER_LANGUAGE] [EDITS]
# Generates the shared corpus on /dev/shm (shared/bench/gen_corpus.py), converts it to a
# barometre project (20 editions x N/20 pages, fr + ar: bench/make_corpus.py), builds the
# release binary and times one-page edits (bench/serve_latency.py): median of EDITS edits.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000}"
EDITS="${2:-15}"
WORK="${BENCH_DIR:-/dev/shm/barometre-bench-$N}"
GEN="${GEN_CORPUS:-../shared/bench/gen_corpus.py}"
[ -f "$GEN" ] || GEN=/work/shared/bench/gen_corpus.py
if [ ! -d "$WORK/project" ]; then
  python3 "$GEN" "$N" "$WORK/gen" >/dev/null
  python3 bench/make_corpus.py "$WORK/gen/corpus" "$WORK/project"
  rm -rf "$WORK/gen"
fi
cargo build --release --locked -q
python3 bench/serve_latency.py target/release/barometre "$WORK/project" "$EDITS"
