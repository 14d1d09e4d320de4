#!/usr/bin/env bash
# Seeds the fuzz corpora (fuzz/corpus/<target>/, not committed) from the kept regression
# inputs and the project's own files. Run from the repository root:
#   bash fuzz/seed.sh [path/to/barometre]   # the binary renders the demo site for `scan`
set -euo pipefail
c=fuzz/corpus
mkdir -p "$c"/{loaders,responses,chart,page,scan}
name() { echo "seed-$(echo "$1" | tr '/' '_')"; }
# loaders: every YAML and Markdown file, and the kept inputs.
find tests/fuzz-regressions -maxdepth 1 -type f -exec cp {} "$c/loaders/" \;
find editions examples themes tests/fixtures -type f \( -name '*.yaml' -o -name '*.md' \) |
  while read -r f; do cp "$f" "$c/loaders/$(name "$f")"; done
# responses: the kept inputs (the fixture's columns) and the real exports' shapes.
cp tests/fuzz-regressions/responses/* "$c/responses/"
find editions examples tests/fixtures -name '*.csv' | while read -r f; do cp "$f" "$c/responses/$(name "$f")"; done
# chart: the body of every ```chart block of the pages.
cp tests/fuzz-regressions/chart/* "$c/chart/"
find editions examples -name '*.md' | while read -r f; do
  awk -v out="$c/chart/$(name "$f")" '
    /^```chart/ { on = 1; n++; next }
    /^```/ && on { on = 0; next }
    on { print > (out "-" n) }' "$f"
done
# page: every Markdown page.
cp tests/fuzz-regressions/page/* "$c/page/"
find editions examples content tests/fixtures -name '*.md' 2>/dev/null | while read -r f; do cp "$f" "$c/page/$(name "$f")"; done
# scan: the kept inputs, and the pages of the demonstration site as rendered.
cp tests/fuzz-regressions/scan/* "$c/scan/"
bin=${1:-target/debug/barometre}
if [ -x "$bin" ]; then
  out=$(mktemp -d)
  "$bin" -C examples/demo-wave --themes themes build --out "$out/site" >/dev/null 2>&1 || true
  find "$out/site" -name '*.html' | head -200 | while read -r f; do
    cp "$f" "$c/scan/seed-$(echo "${f#"$out"/}" | tr '/' '_')"
  done
  rm -rf "$out"
fi
for t in loaders responses chart page scan; do echo "$t: $(ls "$c/$t" | wc -l) inputs"; done
