#!/usr/bin/env bash
# Count the instructions of a full `briefly build` (valgrind's callgrind, one thread): a
# measure of CPU work that does not move with the machine's noise, for comparing two
# versions of the code. Wall and CPU times on a shared two-core VM vary by 15-25 % from
# run to run; instruction counts of the same binary and corpus vary by about 0.01 %.
#
#   bench/instructions.sh [N] [BIN...]
#
#   N     briefs in the generated corpus (default 1000)
#   BIN   binaries to measure, in turn (default: the working tree, built for callgrind)
#
# Environment:
#   BENCH_DIR   work folder (default /tmp/briefly-bench): corpus-N, the build for
#               callgrind (target-callgrind/), outputs and callgrind files
#   SEED        corpus seed (default 42)
#   TOP         how many of briefly's functions to list by inclusive count (default 25)
#
# A binary for callgrind must be built with `RUSTFLAGS="--cfg rustix_use_libc"`: rustix's
# own vDSO lookup reads memory valgrind does not map, and the process is killed
# (SIGSEGV) before it starts building. The script builds the working tree that way.
# Instructions are not time (a cache miss costs many), so a change that moves memory
# around still needs `bench/compare.sh` or `bench/stages.sh`. See bench/README.md.
set -euo pipefail

usage() {
    echo "usage: $0 [N] [BIN...]   (N = number of briefs, default 1000)" >&2
    exit 2
}

N=${1:-1000}
[[ $N =~ ^[1-9][0-9]*$ ]] || usage
shift || true
SEED=${SEED:-42}
TOP=${TOP:-25}
[[ $TOP =~ ^[0-9]+$ ]] || { echo "TOP must be a number" >&2; exit 2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/briefly-bench}
WORK=$BENCH_DIR/corpus-$N
OUT=$BENCH_DIR/out-callgrind-$N

for tool in cargo valgrind callgrind_annotate; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: $tool not found (valgrind: apt-get install -y valgrind)" >&2
        exit 1
    fi
done

mkdir -p "$BENCH_DIR"
if [[ ! -d $WORK/briefly ]]; then
    echo "generating corpus-$N (seed $SEED) ..." >&2
    (cd "$ROOT" && cargo run --quiet --release --example gen-corpus -- \
        --briefs "$N" --out "$WORK" --seed "$SEED" >&2)
fi

BINS=("$@")
if [[ ${#BINS[@]} -eq 0 ]]; then
    echo "building the working tree for callgrind ..." >&2
    (cd "$ROOT" && RUSTFLAGS="--cfg rustix_use_libc" CARGO_TARGET_DIR="$BENCH_DIR/target-callgrind" \
        cargo build --quiet --release >&2)
    BINS=("$BENCH_DIR/target-callgrind/release/briefly")
fi

echo "## Instructions of a full build: $N briefs, one thread"
echo
echo "- commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
echo "- valgrind: $(valgrind --version)"
echo
for bin in "${BINS[@]}"; do
    [[ -x $bin ]] || { echo "error: $bin is not an executable" >&2; exit 1; }
    out=$BENCH_DIR/callgrind-$N-$(basename "$bin").out
    rm -rf "$OUT"
    if ! RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$out" \
        "$bin" build --root "$WORK/briefly" --output "$OUT" >"$BENCH_DIR/callgrind-$N.log" 2>&1; then
        echo "error: the build of $bin failed under valgrind; end of its log:" >&2
        tail -20 "$BENCH_DIR/callgrind-$N.log" >&2
        exit 1
    fi
    rm -rf "$OUT"
    total=$(grep -m1 '^summary:\|^totals:' "$out" | awk '{print $2}' || true)
    if [[ -z $total ]]; then
        echo "error: $out holds no instruction total (is it a callgrind file?)" >&2
        exit 1
    fi
    echo "### $bin"
    echo
    printf 'total: %s instructions\n\n' "$(echo "$total" | sed -E ':a;s/([0-9])([0-9]{3})($|,)/\1,\2\3/;ta')"
    if [[ $TOP -gt 0 ]]; then
        echo '| inclusive | share | function |'
        echo '| ---: | ---: | --- |'
        callgrind_annotate --inclusive=yes "$out" 2>/dev/null |
            grep -E '^ *[0-9,]+ \( *[0-9.]+%\) .*briefly::' |
            grep -v 'rayon\|core::ops::function' |
            sed -E 's/ \[[^]]*\]$//; s/^ *([0-9,]+) \( *([0-9.]+%)\) +[^:]*:(.*)$/| \1 | \2 | `\3` |/' |
            awk -F'|' '!seen[$4]++' | head -n "$TOP"
        echo
    fi
    echo "callgrind file: $out"
    echo
done
