#!/usr/bin/env bash
# Runs one fuzz target for a while: fuzz/run.sh TARGET SECONDS
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). The corpus
# (fuzz/corpus/TARGET, kept between runs, not in git) starts from the bundled site's own
# files and the hand-picked inputs in fuzz/seeds/TARGET. Anything that makes a target
# fail lands in fuzz/artifacts/TARGET; copy it to fuzz/regressions/TARGET/ so that
# `cargo test` replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: fuzz/run.sh TARGET SECONDS}"
seconds="${2:-600}"
corpus="fuzz/corpus/$target"
mkdir -p "$corpus"
case "$target" in
    page_file)
        for f in content/*.md content/*/*.md; do cp "$f" "$corpus/seed-$(basename "$f")"; done ;;
    markdown)
        for f in content/*.md content/*/*.md; do
            # The Markdown after the front matter.
            awk 'n >= 2 { print } /^\+\+\+$/ { n++ }' "$f" > "$corpus/seed-$(basename "$f")"
        done ;;
    data_file)
        i=0
        for name in site sources directory publications helplines glossary; do
            if [[ -f "content/$name.toml" ]]; then
                { printf "\\x$(printf %02x $i)"; cat "content/$name.toml"; } > "$corpus/seed-$name"
            fi
            i=$((i + 1))
        done ;;
esac
if [[ -d "fuzz/seeds/$target" ]]; then
    cp fuzz/seeds/"$target"/* "$corpus/"
fi
cargo +nightly fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -max_len=65536
