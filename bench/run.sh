#!/usr/bin/env bash
# handbuch side by side with Hugo and mdBook, in one run, on the shared corpus
# (../shared/bench: gen_corpus.py writes the same text for every tool; run_peers.sh times them).
#
#   bench/run.sh                                  # N = 100 1000 5000, all tools below
#   SIZES="100 1000" RUNS=3 bench/run.sh
#   TOOLS="hugo_data handbuch handbuch_pdf" bench/run.sh
#
# Tools: hugo, hugo_data (Hugo substituting the school data itself, the same job as
# handbuch), mdbook, handbuch_html (HTML only), handbuch_pdf (HTML + one PDF per school) and
# handbuch_pdf_1core (the same on one thread: its time per school is the ms per PDF on one
# core). Needs: apt-get install -y hugo hyperfine time; cargo install mdbook --locked.
# Results: bench/results/results.md (table), results.csv, versions.txt.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
SHARED="${SHARED_BENCH:-$ROOT/../shared/bench}"

cargo build --release --manifest-path "$ROOT/Cargo.toml"
export HANDBUCH="$ROOT/target/release/handbuch"

# Extra tools for run_peers.sh (which sources tools.sh, whose "handbuch" is HTML only).
# Each writes into "$2/site", so its handbook cache (".site.cache/", beside the output) is
# inside the folder run_peers.sh deletes before every run: every timed run is a clean build.
tool_handbuch_html_available() { command -v "$HANDBUCH" >/dev/null; }
tool_handbuch_html_version()   { "$HANDBUCH" --version; }
tool_handbuch_html_cmd()       { echo "'$HANDBUCH' build --root '$1/handbuch' --out '$2/site' --no-pdf --today 2026-01-15"; }
tool_handbuch_pdf_available() { command -v "$HANDBUCH" >/dev/null; }
tool_handbuch_pdf_version()   { "$HANDBUCH" --version; }
tool_handbuch_pdf_cmd()       { echo "'$HANDBUCH' build --root '$1/handbuch' --out '$2/site' --today 2026-01-15"; }
tool_handbuch_pdf_1core_available() { tool_handbuch_pdf_available; }
tool_handbuch_pdf_1core_version()   { tool_handbuch_pdf_version; }
tool_handbuch_pdf_1core_cmd() {
    echo "env RAYON_NUM_THREADS=1 '$HANDBUCH' build --root '$1/handbuch' --out '$2/site' --today 2026-01-15"
}
export -f tool_handbuch_html_available tool_handbuch_html_version tool_handbuch_html_cmd \
    tool_handbuch_pdf_available tool_handbuch_pdf_version tool_handbuch_pdf_cmd \
    tool_handbuch_pdf_1core_available tool_handbuch_pdf_1core_version tool_handbuch_pdf_1core_cmd

export TOOLS="${TOOLS:-hugo hugo_data mdbook handbuch_html handbuch_pdf handbuch_pdf_1core}"
export SIZES="${SIZES:-100 1000 5000}"
export RESULTS="${RESULTS:-$HERE/results}"
export WORK="${WORK:-/tmp/handbuch-bench}"
bash "$SHARED/run_peers.sh"

# ms per PDF on one core: the single-thread build time per school, minus nothing (the HTML
# part is ~1% of it, see the handbuch row), printed per N.
python3 - "$RESULTS/results.csv" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["median_s"]]
print("\nms per school on one core (HTML + PDF):")
for r in rows:
    if r["tool"] == "handbuch_pdf_1core":
        print(f"  N={r['schools']}: {1000 * float(r['median_s']) / int(r['schools']):.1f} ms")
PY
