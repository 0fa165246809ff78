#!/usr/bin/env bash
# Save-to-served-page latency of `briefly serve`: edits briefs in place and polls the
# served pages until the change shows (examples/save-latency.rs).
#
#   bench/save-latency.sh N [N...]     N = number of briefs (e.g. 1000 10000)
#
# Environment:
#   BENCH_DIR   where the corpora are generated (default /tmp/briefly-bench): corpus-N/
#   TMP_DIR     where each run copies its site (default /dev/shm, else /tmp)
#   EDITS       edits per kind (default 20)
#   BIN         the server binary (default target/release/briefly, built first)
#   SEED        corpus seed (default 42)
#
# See bench/README.md.
set -euo pipefail

usage() {
    echo "usage: $0 N [N...]   (N = number of briefs, e.g. 1000)" >&2
    exit 2
}

[[ $# -ge 1 ]] || usage
for n in "$@"; do [[ $n =~ ^[1-9][0-9]*$ ]] || usage; done
EDITS=${EDITS:-20}
SEED=${SEED:-42}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/briefly-bench}
if [[ -z ${TMP_DIR:-} ]]; then
    if [[ -d /dev/shm && -w /dev/shm ]]; then TMP_DIR=/dev/shm; else TMP_DIR=/tmp; fi
fi

cd "$ROOT"
cargo build --release --quiet --bin briefly --example gen-corpus --example save-latency
BIN=${BIN:-$ROOT/target/release/briefly}

echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, $(uptime | sed 's/.*load/load/')"
for n in "$@"; do
    corpus=$BENCH_DIR/corpus-$n
    if [[ ! -f $corpus/briefly/site.yaml ]]; then
        target/release/examples/gen-corpus --briefs "$n" --out "$corpus" --seed "$SEED"
    fi
    target/release/examples/save-latency --root "$corpus/briefly" --bin "$BIN" \
        --edits "$EDITS" --tmp "$TMP_DIR"
done
