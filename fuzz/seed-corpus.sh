#!/bin/sh
# Seeds the fuzzer's corpus with every Markdown file of the example site (content/**/*.md)
# and the hand-written seeds of fuzz/seeds/. Run from anywhere; copies, never moves.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
corpus="$here/corpus/brief"
mkdir -p "$corpus"
find "$root/content" -name '*.md' -type f | while read -r f; do
    rel=${f#"$root/content/"}
    cp "$f" "$corpus/site-$(printf '%s' "$rel" | tr '/' '_')"
done
if [ -d "$here/seeds" ]; then
    cp "$here/seeds/"* "$corpus/"
fi
echo "$(ls "$corpus" | wc -l) files in $corpus"
