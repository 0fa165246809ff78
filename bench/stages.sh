#!/usr/bin/env bash
# How each stage of a build grows with the corpus: builds two generated corpora of the
# same shape (N and 5N briefs by default), alternating, and prints each stage's median
# wall-clock and CPU time and their ratio.
#
#   bench/stages.sh [SMALL [LARGE]]     default 10000 50000
#
# Environment:
#   BENCH_DIR   where the corpora are generated (default /tmp/briefly-bench); a corpus
#               already there (corpus-N) is reused
#   BENCH_OUT   where the builds write (default $BENCH_DIR)
#   RUNS        measured runs per size (default 3)
#   SEED        corpus seed (default 42)
#
# CPU time is the whole process's (every thread, user and system) during the stage, as
# `briefly build --timings` prints it. See bench/README.md.
set -euo pipefail

SMALL=${1:-10000}
LARGE=${2:-50000}
for n in "$SMALL" "$LARGE"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [SMALL [LARGE]]" >&2; exit 2; }
done
RUNS=${RUNS:-3}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive integer" >&2; exit 2; }
SEED=${SEED:-42}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/briefly-bench}
BENCH_OUT=${BENCH_OUT:-$BENCH_DIR}
mkdir -p "$BENCH_DIR" "$BENCH_OUT"

# Checked before the runs, so that the report says what they had: both outputs (about
# 100 KB a brief each), the larger build's peak (30 KB a brief) and 2 GiB to spare.
# shellcheck source=bench/memory.sh
source "$ROOT/bench/memory.sh"
MEMORY_NOTE=$(memory_note $(((SMALL + LARGE) * 100 + LARGE * 30 + 2 * 1048576)))

cd "$ROOT"
echo "building briefly..." >&2
cargo build --release >&2
BIN=$ROOT/target/release/briefly

for n in "$SMALL" "$LARGE"; do
    if [[ ! -f $BENCH_DIR/corpus-$n/briefly/site.yaml ]]; then
        # The generator is std only: rustc builds it without rebuilding the library.
        GEN=$BENCH_DIR/gen-corpus-stages
        rustc -O --edition 2021 examples/gen-corpus.rs -o "$GEN" >&2
        echo "generating $n briefs..." >&2
        "$GEN" --briefs "$n" --seed "$SEED" --out "$BENCH_DIR/corpus-$n" >&2
    fi
done

# run N I: one build of corpus N into a clean folder; its stage lines go to stages-N-I.
run() {
    local out=$BENCH_OUT/out-stages-$1
    rm -rf "$out"
    "$BIN" build --root "$BENCH_DIR/corpus-$1/briefly" --output "$out" --timings \
        >"$BENCH_OUT/stages-$1.log" 2>&1 || { tail -n 30 "$BENCH_OUT/stages-$1.log" >&2; exit 1; }
    grep -E '^  [a-z -]+ +[0-9.]+ ms +[0-9.]+ ms' "$BENCH_OUT/stages-$1.log" >"$BENCH_OUT/stages-$1-$2"
    echo "  $1 briefs, run $2: $(tail -n 1 "$BENCH_OUT/stages-$1.log")" >&2
}

run "$SMALL" 0
run "$LARGE" 0
for i in $(seq 1 "$RUNS"); do
    run "$SMALL" "$i"
    run "$LARGE" "$i"
done
rm -rf "$BENCH_OUT/out-stages-$SMALL" "$BENCH_OUT/out-stages-$LARGE"

echo "## Stages at $SMALL and $LARGE briefs"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); host: $(uname -sr), nproc $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- briefly: commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown); $RUNS runs per size after a warm-up, alternating; medians"
echo "$MEMORY_NOTE"
echo
echo "| stage | wall $SMALL | wall $LARGE | ratio | CPU $SMALL | CPU $LARGE | ratio | CPU ratio range | user ratio | system ratio |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
# Lines look like "  markdown  1325.2 ms  2600.1 ms  40.1 ms  21103" (wall, CPU, the system's
# part of the CPU, minor page faults; stage names may hold a space or dash). User time is
# CPU less system time.
awk -v small="$SMALL" -v large="$LARGE" -v runs="$RUNS" '
    # The least and the most of the runs of key.
    function least(key,   i, m) {
        m = val[key, 1]
        for (i = 2; i <= count[key]; i++) if (val[key, i] < m) m = val[key, i]
        return m
    }
    function most(key,   i, m) {
        m = val[key, 1]
        for (i = 2; i <= count[key]; i++) if (val[key, i] > m) m = val[key, i]
        return m
    }
    # The ratios the runs allow: the least large run over the most small one, up to the
    # most large run over the least small one.
    function range(small_key, large_key,   lo, hi) {
        lo = most(small_key) > 0 ? least(large_key) / most(small_key) : 0
        hi = least(small_key) > 0 ? most(large_key) / least(small_key) : 0
        return sprintf("%.1f-%.1f", lo, hi)
    }
    # large over small, or "-" when small is too little to divide by (under 5 ms).
    function ratio(s, l) {
        return s >= 5 ? sprintf("%.1f", l / s) : "-"
    }
    function median(key,   n, i, j, t, v) {
        n = count[key]
        for (i = 1; i <= n; i++) v[i] = val[key, i]
        for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    {
        size = FILENAME; sub(/.*stages-/, "", size); sub(/-[0-9]+$/, "", size)
        run = FILENAME; sub(/.*-/, "", run)
        if (run == 0) next
        name = $0; sub(/^ +/, "", name); sub(/ +[0-9.]+ ms +[0-9.]+ ms +[0-9.]+ ms +[0-9]+ *$/, "", name)
        wall = $(NF - 6); cpu = $(NF - 4); sys = $(NF - 2)
        if (!(name in seen)) { seen[name] = 1; order[++stages] = name }
        key = name SUBSEP size SUBSEP "wall"; val[key, ++count[key]] = wall
        key = name SUBSEP size SUBSEP "cpu"; val[key, ++count[key]] = cpu
        key = name SUBSEP size SUBSEP "user"; val[key, ++count[key]] = cpu - sys
        key = name SUBSEP size SUBSEP "sys"; val[key, ++count[key]] = sys
        tu[size, run] += cpu - sys; ts[size, run] += sys
        tw[size, run] += wall; tc[size, run] += cpu
    }
    END {
        for (s = 1; s <= stages; s++) {
            n = order[s]
            ws = median(n SUBSEP small SUBSEP "wall"); wl = median(n SUBSEP large SUBSEP "wall")
            cs = median(n SUBSEP small SUBSEP "cpu"); cl = median(n SUBSEP large SUBSEP "cpu")
            us = median(n SUBSEP small SUBSEP "user"); ul = median(n SUBSEP large SUBSEP "user")
            ss = median(n SUBSEP small SUBSEP "sys"); sl = median(n SUBSEP large SUBSEP "sys")
            printf "| %s | %.0f ms | %.0f ms | %.1f | %.0f ms | %.0f ms | %.1f | %s | %s | %s |\n", n, ws, wl, (ws > 0 ? wl / ws : 0), cs, cl, (cs > 0 ? cl / cs : 0), range(n SUBSEP small SUBSEP "cpu", n SUBSEP large SUBSEP "cpu"), ratio(us, ul), ratio(ss, sl)
        }
        for (r = 1; r <= runs; r++) {
            val["tws", r] = tw[small, r]; val["twl", r] = tw[large, r]
            val["tcs", r] = tc[small, r]; val["tcl", r] = tc[large, r]
            val["tus", r] = tu[small, r]; val["tul", r] = tu[large, r]
            val["tss", r] = ts[small, r]; val["tsl", r] = ts[large, r]
        }
        count["tws"] = count["twl"] = count["tcs"] = count["tcl"] = runs
        count["tus"] = count["tul"] = count["tss"] = count["tsl"] = runs
        ws = median("tws"); wl = median("twl"); cs = median("tcs"); cl = median("tcl")
        printf "| **all stages** | %.0f ms | %.0f ms | %.1f | %.0f ms | %.0f ms | %.1f | %s | %s | %s |\n", ws, wl, wl / ws, cs, cl, cl / cs, range("tcs", "tcl"), ratio(median("tus"), median("tul")), ratio(median("tss"), median("tsl"))
    }
' "$BENCH_OUT"/stages-"$SMALL"-[0-9]* "$BENCH_OUT"/stages-"$LARGE"-[0-9]*
