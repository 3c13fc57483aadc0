#!/usr/bin/env bash
# What the site search costs on generated corpora: the time `--timings` gives the
# search (building the index and writing its files), the whole build's time and peak
# memory, the index's size and files, and the bytes a reader's browser loads for a word
# on every page and for a word on one page (benches/search-bytes.cjs). See
# benches/README.md.
#
# usage: benches/search.sh [SIZES...] [--runs N]   (default: 1000 10000, 3 runs)
set -euo pipefail

sizes=()
runs=3
while (($# > 0)); do
    case "$1" in
        --runs)
            runs="${2:?--runs needs a number}"
            shift 2
            ;;
        -h | --help)
            echo "usage: benches/search.sh [SIZES...] [--runs N]"
            exit 0
            ;;
        *)
            if ! [[ "$1" =~ ^[1-9][0-9]*$ ]]; then
                echo "search.sh: not a page count: $1" >&2
                exit 2
            fi
            sizes+=("$1")
            shift
            ;;
    esac
done
if ((${#sizes[@]} == 0)); then
    sizes=(1000 10000)
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$(cd "$repo/.." && pwd)/shared/bench"
if [[ ! -f "$shared/gen-corpus" ]]; then
    echo "search.sh: $shared/gen-corpus is missing: the corpus generator is expected" >&2
    echo "beside this repository, as ../shared/bench." >&2
    exit 1
fi
for tool in python3 cargo node /usr/bin/time; do
    if ! command -v "$tool" >/dev/null; then
        echo "search.sh: $tool is missing" >&2
        exit 1
    fi
done
if [[ -d /dev/shm && -w /dev/shm ]]; then
    work="$(mktemp -d /dev/shm/yorisoi-search.XXXXXX)"
else
    work="$(mktemp -d -t yorisoi-search.XXXXXX)"
fi
trap 'rm -rf "$work"' EXIT

(cd "$repo" && cargo build --release --quiet --bin yorisoi)
target_dir="$(cd "$repo" && cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
yorisoi="$target_dir/release/yorisoi"

median() {
    printf '%s\n' "$@" | LC_ALL=C sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.0f", m
    }'
}

for n in "${sizes[@]}"; do
    dir="$work/corpus-$n"
    python3 "$shared/gen-corpus" "$n" "$dir" yorisoi >&2
    cp "$repo/benches/site.toml" "$repo/benches/sources.toml" "$dir/content/"
    mkdir -p "$dir/themes"
    ln -s "$repo/themes/default" "$dir/themes/default"
    searches=()
    totals=()
    peaks=()
    for ((run = 1; run <= runs; run++)); do
        rm -rf "$dir/public"
        /usr/bin/time -f '%M' -o "$work/rss" "$yorisoi" build --content "$dir/content" \
            --output "$dir/public" --now 2026-11-25 --timings --messages en >/dev/null 2>"$work/err" || {
            cat "$work/err" >&2
            exit 1
        }
        searches+=("$(awk 'NF == 2 && $2 == "search" { print $1 }' "$work/err")")
        totals+=("$(awk 'NF == 2 && $2 == "total" { print $1 }' "$work/err")")
        peaks+=("$(tail -1 "$work/rss")")
    done
    files="$(find "$dir/public/_search" -type f | wc -l)"
    bytes="$(du -sb "$dir/public/_search" | cut -f1)"
    echo "== $n pages (median of $runs builds)"
    echo "search (index built and written): $(median "${searches[@]}") ms; whole build: $(median "${totals[@]}") ms; peak memory: $(($(median "${peaks[@]}") / 1024)) MiB"
    echo "index: $files files, $((bytes / 1024)) KiB"
    for lang in ja en; do
        node "$repo/benches/search-bytes.cjs" "$dir/public" "$lang"
    done
    rm -rf "$dir"
done
