#!/usr/bin/env bash
# Compare `briefly build` with Hugo on the same generated corpus.
#
#   bench/compare.sh N          N = number of briefs (e.g. 1000, 10000)
#
# Environment:
#   BENCH_DIR   work folder (default /tmp/briefly-bench); the corpus goes to
#               $BENCH_DIR/corpus-N, outputs to $BENCH_OUT/out-{briefly,hugo}-N
#   BENCH_OUT   where both tools write (default $BENCH_DIR); e.g. /dev/shm to take the
#               disk out of the comparison
#   RUNS        measured runs per tool (default 5), after one warm-up each
#   SEED        corpus seed (default 42)
#   SETTLE      seconds to wait after deleting an output before the next run (default 6)
#   CORE        1 also times briefly with search, feeds and pictures off (default 0):
#               the kinds of output the Hugo site has no counterpart of
#
# See bench/README.md.
set -euo pipefail

usage() {
    echo "usage: $0 N   (N = number of briefs, e.g. 1000)" >&2
    exit 2
}

[[ $# -eq 1 ]] || usage
N=$1
[[ $N =~ ^[1-9][0-9]*$ ]] || usage
RUNS=${RUNS:-5}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive integer" >&2; exit 2; }
SEED=${SEED:-42}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/briefly-bench}
WORK=$BENCH_DIR/corpus-$N
BENCH_OUT=${BENCH_OUT:-$BENCH_DIR}
OUT_B=$BENCH_OUT/out-briefly-$N
OUT_H=$BENCH_OUT/out-hugo-$N
OUT_C=$BENCH_OUT/out-briefly-core-$N
CORE=${CORE:-0}
[[ $CORE == 0 || $CORE == 1 ]] || { echo "CORE must be 0 or 1" >&2; exit 2; }
LOGS=$BENCH_DIR/logs-$N

# --- dependencies -----------------------------------------------------------

missing=0
if ! command -v cargo >/dev/null 2>&1; then
    echo "error: cargo not found (install Rust: https://rustup.rs)" >&2
    missing=1
fi
if ! command -v hugo >/dev/null 2>&1; then
    echo "error: hugo not found: apt-get install -y hugo   (0.111 or newer)" >&2
    missing=1
fi
if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time --version 2>&1 | grep -q GNU; then
    echo "error: GNU time not found at /usr/bin/time: apt-get install -y time" >&2
    missing=1
fi
[[ $missing -eq 0 ]] || exit 1

# --- environment ------------------------------------------------------------

cpu_model=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
mem_total=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || true)
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)

echo "## briefly vs Hugo, $N briefs"
echo
echo "- date:    $(date -u +%Y-%m-%dT%H:%MZ)"
echo "- host:    $(uname -sr), nproc $(nproc), ${cpu_model:-unknown CPU}"
echo "- memory:  ${mem_total:-unknown}"
echo "- load:    $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "- rustc:   $(rustc --version 2>/dev/null || echo unknown)"
echo "- cargo:   $(cargo --version)"
echo "- hugo:    $(hugo version | head -1)"
echo "- briefly: commit $commit"
echo "- runs:    1 warm-up + $RUNS measured per tool, alternating; corpus seed $SEED"
mkdir -p "$BENCH_OUT"
echo "- output:  $BENCH_OUT ($(df -T "$BENCH_OUT" 2>/dev/null | awk 'NR==2 {print $2}'))"
# Both outputs (briefly's about 100 KB a brief, Hugo's 25) and Hugo's peak (about 290 KB
# a brief), plus 2 GiB to spare.
# shellcheck source=bench/memory.sh
source "$ROOT/bench/memory.sh"
# The core site's output (CORE=1) is about 75 KB a brief more.
memory_note $((N * (415 + 75 * CORE) + 2 * 1048576))
echo

# --- build and generate -----------------------------------------------------

cd "$ROOT"
echo "building briefly (cargo build --release)..." >&2
cargo build --release >&2
BRIEFLY=$ROOT/target/release/briefly
[[ -x $BRIEFLY ]] || { echo "error: $BRIEFLY was not built" >&2; exit 1; }

mkdir -p "$BENCH_DIR" "$LOGS"
echo "generating corpus into $WORK..." >&2
cargo run --release --quiet --example gen-corpus -- --briefs "$N" --out "$WORK" --seed "$SEED" \
    | sed 's/^/- corpus:  /'
echo "- corpus size: briefly $(du -sh "$WORK/briefly" | cut -f1), hugo $(du -sh "$WORK/hugo" | cut -f1)"
if [[ $CORE -eq 1 ]]; then
    # The same site with the outputs Hugo's layouts have no counterpart of turned off.
    rm -rf "$WORK/briefly-core"
    cp -r "$WORK/briefly" "$WORK/briefly-core"
    printf 'search: false\nfeeds: false\npictures: false\n' >>"$WORK/briefly-core/site.yaml"
    echo "- core:    a copy of the site with \`search: false\`, \`feeds: false\`, \`pictures: false\`"
fi
echo

# --- runs -------------------------------------------------------------------

: >"$LOGS/briefly.times"
: >"$LOGS/hugo.times"
: >"$LOGS/briefly-core.times"

# run_one TOOL OUTDIR RECORD(0|1) COMMAND...
run_one() {
    local tool=$1 out=$2 record=$3
    shift 3
    local tfile=$LOGS/$tool.last-time log=$LOGS/$tool.last-log
    rm -rf "$out"
    # Write the deletions back and let them age: ext4 without a journal skips inodes
    # deleted in the last 5 s (300 s while their table block is still dirty) when it
    # allocates new ones, so back-to-back runs would each be slower than the last.
    sync
    sleep "${SETTLE:-6}"
    if ! /usr/bin/time -f '%e %M' -o "$tfile" "$@" >"$log" 2>&1; then
        echo "error: $tool build failed: $*" >&2
        tail -n 40 "$log" >&2
        exit 1
    fi
    if [[ $record -eq 1 ]]; then
        tail -n 1 "$tfile" >>"$LOGS/$tool.times"
    fi
    echo "  $tool: $(tail -n 1 "$tfile" | awk '{printf "%.2f s, %.0f MiB", $1, $2 / 1024}')" >&2
}

run_briefly() { run_one briefly "$OUT_B" "$1" "$BRIEFLY" build --root "$WORK/briefly" --output "$OUT_B"; }
run_hugo() { run_one hugo "$OUT_H" "$1" hugo --source "$WORK/hugo" --destination "$OUT_H" --quiet; }
run_core() {
    [[ $CORE -eq 1 ]] || return 0
    run_one briefly-core "$OUT_C" "$1" "$BRIEFLY" build --root "$WORK/briefly-core" --output "$OUT_C"
}

echo "warm-up..." >&2
run_briefly 0
run_hugo 0
run_core 0
for i in $(seq 1 "$RUNS"); do
    echo "run $i/$RUNS..." >&2
    run_briefly 1
    run_hugo 1
    run_core 1
done

# --- report -----------------------------------------------------------------

# median COLUMN FILE
median() {
    awk -v c="$1" '{print $c}' "$2" | sort -n | awk '
        { v[NR] = $1 }
        END {
            if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
            print m
        }'
}

b_time=$(median 1 "$LOGS/briefly.times")
h_time=$(median 1 "$LOGS/hugo.times")
b_rss=$(median 2 "$LOGS/briefly.times" | awk '{printf "%.1f", $1 / 1024}')
h_rss=$(median 2 "$LOGS/hugo.times" | awk '{printf "%.1f", $1 / 1024}')
b_html=$(find "$OUT_B" -name '*.html' | wc -l)
h_html=$(find "$OUT_H" -name '*.html' | wc -l)
b_index=$(find "$OUT_B" -name 'index.html' | wc -l)
h_index=$(find "$OUT_H" -name 'index.html' | wc -l)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

echo "| tool | median wall (s) | median peak RSS (MiB) | .html files | index.html pages |"
echo "| --- | ---: | ---: | ---: | ---: |"
printf '| briefly | %.2f | %s | %d | %d |\n' "$b_time" "$b_rss" "$b_html" "$b_index"
printf '| hugo | %.2f | %s | %d | %d |\n' "$h_time" "$h_rss" "$h_html" "$h_index"
printf '| briefly/hugo | %s | %s | | |\n' "$(ratio "$b_time" "$h_time")" "$(ratio "$b_rss" "$h_rss")"
if [[ $CORE -eq 1 ]]; then
    c_time=$(median 1 "$LOGS/briefly-core.times")
    c_rss=$(median 2 "$LOGS/briefly-core.times" | awk '{printf "%.1f", $1 / 1024}')
    c_html=$(find "$OUT_C" -name '*.html' | wc -l)
    c_index=$(find "$OUT_C" -name 'index.html' | wc -l)
    printf '| briefly core (search, feeds, pictures off) | %.2f | %s | %d | %d |\n' "$c_time" "$c_rss" "$c_html" "$c_index"
    printf '| briefly core/hugo | %s | %s | | |\n' "$(ratio "$c_time" "$h_time")" "$(ratio "$c_rss" "$h_rss")"
fi
echo
files_and_size() { printf '%s files, %s' "$(find "$1" -type f | wc -l)" "$(du -sh "$1" | cut -f1)"; }
echo "Output: briefly $(files_and_size "$OUT_B"); hugo $(files_and_size "$OUT_H")$([[ $CORE -eq 1 ]] && echo "; briefly core $(files_and_size "$OUT_C")")."
echo
echo "Raw runs (wall s, peak RSS KiB): briefly: $(paste -sd, "$LOGS/briefly.times" | sed 's/,/; /g'); hugo: $(paste -sd, "$LOGS/hugo.times" | sed 's/,/; /g')$([[ $CORE -eq 1 ]] && echo "; briefly core: $(paste -sd, "$LOGS/briefly-core.times" | sed 's/,/; /g')")"
