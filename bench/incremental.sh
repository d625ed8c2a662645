#!/usr/bin/env bash
# Incremental builds and shards on the shared corpus, one run, figures in
# bench/results/incremental.md.
#
#   bench/incremental.sh              # N = 5000 schools, PDFs on
#   N=1000 SHARDS=4 bench/incremental.sh
#
# Steps, each timed with GNU time (wall, user+sys CPU, peak RSS):
#   clean        first build into an empty output (and empty cache)
#   unchanged    the same build again: every handbook reused
#   one-school   one school file edited (its anniversary moved by a day)
#   chapter      one chapter edited: every handbook of that locale is rendered again
#   shard K/N    each shard of a fresh full build, one after the other
#   merge        the shards merged into one site (must be byte-identical to "clean")
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
SHARED="${SHARED_BENCH:-$ROOT/../shared/bench}"
N="${N:-5000}"
SHARDS="${SHARDS:-4}"
WORK="${WORK:-/tmp/handbuch-incremental}"
RESULTS="${RESULTS:-$HERE/results}"
TODAY=2026-01-15

cargo build --release --manifest-path "$ROOT/Cargo.toml"
BIN="$ROOT/target/release/handbuch"
rm -rf "$WORK" && mkdir -p "$WORK" "$RESULTS"
python3 "$SHARED/gen_corpus.py" "$N" "$WORK/corpus" >/dev/null
PROJECT="$WORK/corpus/handbuch"
rm -rf "$WORK/corpus/hugo" "$WORK/corpus/hugo_data" "$WORK/corpus/mdbook"
TABLE="$RESULTS/incremental.md"

row() { # name, build arguments...
    local name="$1"; shift
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" \
        "$BIN" build --root "$PROJECT" --today "$TODAY" "$@" >"$WORK/log" 2>&1 || { cat "$WORK/log"; exit 1; }
    read -r wall user sys rss <"$WORK/time"
    printf '| %s | %s | %.2f | %d |\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))" | tee -a "$TABLE"
}

{
    echo "# Incremental builds and shards, N = $N schools, PDFs on ($(date -u +%F), $(nproc) cores)"
    echo
    echo "| step | wall s | CPU s | peak RSS MB |"
    echo "|---|---:|---:|---:|"
} >"$TABLE"
row clean --out "$WORK/site"
row unchanged --out "$WORK/site"
first="$(ls "$PROJECT/content/schools" | sed -n 1p)"
sed -i 's/^anniversary = \(....\)-\(..\)-\(..\)/anniversary = \1-\2-28/' "$PROJECT/content/schools/$first"
row "one school edited" --out "$WORK/site"
chapter="$(ls "$PROJECT"/content/guide/de/*.md | sed -n 1p)"
echo "Ein Satz mehr." >>"$chapter"
row "one chapter edited" --out "$WORK/site"

# Shards of the same inputs, then the merge, compared with the full build above.
for k in $(seq 1 "$SHARDS"); do
    row "shard $k/$SHARDS" --shard "$k/$SHARDS" --out "$WORK/shard-$k"
done
row "merge of $SHARDS shards" --merge $(for k in $(seq 1 "$SHARDS"); do echo "$WORK/shard-$k"; done) --out "$WORK/merged"
if diff -r "$WORK/site" "$WORK/merged" >/dev/null; then
    echo "| merged site byte-identical to the full build | yes | | |" | tee -a "$TABLE"
else
    echo "| merged site byte-identical to the full build | **NO** | | |" | tee -a "$TABLE"; exit 1
fi
