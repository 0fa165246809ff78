#!/usr/bin/env bash
# What search costs a build: `briefly build` of the same corpus with search (the
# default) and without (`search: false` in a copy of site.yaml), alternately, from a
# clean output each time; then what a one-word query transfers
# (examples/search-transfer.rs).
#
#   bench/search.sh N          N = number of briefs (e.g. 10000, 50000)
#
# Environment:
#   BENCH_DIR   where corpora are generated (default /tmp/briefly-bench): corpus-N/
#   BENCH_OUT   where the builds write (default /dev/shm if writable, else $BENCH_DIR)
#   RUNS        measured runs of each (default 3), after one warm-up each
#   SEED        corpus seed (default 42)
#
# See bench/README.md.
set -euo pipefail

usage() {
    echo "usage: $0 N   (N = number of briefs, e.g. 10000)" >&2
    exit 2
}

[[ $# -eq 1 ]] || usage
N=$1
[[ $N =~ ^[1-9][0-9]*$ ]] || usage
RUNS=${RUNS:-3}
SEED=${SEED:-42}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/briefly-bench}
if [[ -z ${BENCH_OUT:-} ]]; then
    if [[ -d /dev/shm && -w /dev/shm ]]; then BENCH_OUT=/dev/shm/briefly-search; else BENCH_OUT=$BENCH_DIR; fi
fi
[[ -x /usr/bin/time ]] || { echo "error: GNU time not found at /usr/bin/time: apt-get install -y time" >&2; exit 1; }

cd "$ROOT"
cargo build --release --quiet --bin briefly --example gen-corpus --example search-transfer
BIN=$ROOT/target/release/briefly
corpus=$BENCH_DIR/corpus-$N
if [[ ! -f $corpus/briefly/site.yaml ]]; then
    target/release/examples/gen-corpus --briefs "$N" --out "$corpus" --seed "$SEED" >/dev/null
fi

# The same site with search off: a copy of the corpus whose site.yaml says so.
mkdir -p "$BENCH_OUT"
off=$BENCH_OUT/corpus-$N-nosearch
if [[ ! -f $off/site.yaml ]]; then
    rm -rf "$off"
    cp -r "$corpus/briefly" "$off"
    printf '\nsearch: false\n' >>"$off/site.yaml"
fi

echo "## Search cost, $N briefs"
echo
echo "- commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- output: $BENCH_OUT ($(df -T "$BENCH_OUT" | awk 'NR==2 {print $2}')), $RUNS runs each after a warm-up"
echo

# run NAME SITE: one timed build into a clean folder; appends "wall rss" to NAME.times.
run() {
    local out=$BENCH_OUT/out-$1-$N
    rm -rf "$out"
    /usr/bin/time -f '%e %M' -o "$BENCH_OUT/$1.last" "$BIN" build --root "$2" --output "$out" --timings \
        >"$BENCH_OUT/$1.log" 2>&1 || { tail -n 30 "$BENCH_OUT/$1.log" >&2; exit 1; }
    echo "  $1: $(awk '{printf "%.2f s, %.0f MiB", $1, $2 / 1024}' "$BENCH_OUT/$1.last")" >&2
}

: >"$BENCH_OUT/with.times"
: >"$BENCH_OUT/without.times"
run with "$corpus/briefly"
run without "$off"
for i in $(seq 1 "$RUNS"); do
    run with "$corpus/briefly"; cat "$BENCH_OUT/with.last" >>"$BENCH_OUT/with.times"
    run without "$off"; cat "$BENCH_OUT/without.last" >>"$BENCH_OUT/without.times"
done

median() {
    awk -v c="$1" '{print $c}' "$2" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
w=$(median 1 "$BENCH_OUT/with.times"); wo=$(median 1 "$BENCH_OUT/without.times")
wr=$(median 2 "$BENCH_OUT/with.times"); wor=$(median 2 "$BENCH_OUT/without.times")
out=$BENCH_OUT/out-with-$N
echo "| build | median wall | median peak RSS | raw runs (s) |"
echo "| --- | ---: | ---: | --- |"
printf '| with search | %.2f s | %.0f MiB | %s |\n' "$w" "$(echo "$wr / 1024" | bc -l)" "$(awk '{print $1}' "$BENCH_OUT/with.times" | paste -sd, -)"
printf '| without search | %.2f s | %.0f MiB | %s |\n' "$wo" "$(echo "$wor / 1024" | bc -l)" "$(awk '{print $1}' "$BENCH_OUT/without.times" | paste -sd, -)"
printf '| **ratio** | **%.2f** | %.2f | |\n' "$(echo "$w / $wo" | bc -l)" "$(echo "$wr / $wor" | bc -l)"
echo
echo "Stages of the last build with search:"
echo
grep -E '^  [a-z -]+ +[0-9.]+ ms' "$BENCH_OUT/with.log" | sed 's/^/    /' || true
echo
echo "Search files: $(find "$out/search" -type f | wc -l) ($(du -sh "$out/search" | cut -f1)); chunks $(find "$out/search/terms" -type f | wc -l), entry $(stat -c %s "$out/search/index.json.gz") bytes"
echo
echo "### What one-word queries transfer"
echo
target/release/examples/search-transfer "$out"
