#!/usr/bin/env bash
# Measures yorisoi against the floor of a static-site build (../shared/bench/floor: read
# every page, render its Markdown, write it) on generated corpora, and prints one table.
# Both programs run in turns in the same run, so machine noise hits both alike and their
# ratio holds on a busy machine. See benches/README.md.
#
# usage: benches/bench.sh [SIZES...] [--runs N]
#        (default sizes: 1000 10000 50000; default runs: 5)
set -euo pipefail

usage() {
    echo "usage: benches/bench.sh [SIZES...] [--runs N]" >&2
    echo "       (default sizes: 1000 10000 50000; default runs: 5)" >&2
}

sizes=()
runs=5
while (($# > 0)); do
    case "$1" in
        --runs)
            if (($# < 2)); then
                usage
                exit 2
            fi
            runs="$2"
            shift 2
            ;;
        --runs=*)
            runs="${1#--runs=}"
            shift
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            if ! [[ "$1" =~ ^[1-9][0-9]*$ ]]; then
                echo "bench.sh: not a page count: $1" >&2
                usage
                exit 2
            fi
            sizes+=("$1")
            shift
            ;;
    esac
done
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
    echo "bench.sh: --runs needs a whole number of at least 1, not: $runs" >&2
    exit 2
fi
if ((${#sizes[@]} == 0)); then
    sizes=(1000 10000 50000)
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$(cd "$repo/.." && pwd)/shared/bench"
if [[ ! -f "$shared/gen-corpus" || ! -f "$shared/floor/Cargo.toml" ]]; then
    echo "bench.sh: $shared is missing (or lacks gen-corpus and floor/)." >&2
    echo "It holds the corpus generator and the floor program this benchmark compares" >&2
    echo "against, and is expected beside this repository, as ../shared/bench." >&2
    exit 1
fi
if [[ ! -x /usr/bin/time ]]; then
    echo "bench.sh: /usr/bin/time is missing; on Debian or Ubuntu: apt-get install time" >&2
    exit 1
fi
for tool in python3 cargo; do
    if ! command -v "$tool" >/dev/null; then
        echo "bench.sh: $tool is missing" >&2
        exit 1
    fi
done

# A tmpfs keeps the disk out of the figures: both programs write thousands of files.
if [[ -d /dev/shm && -w /dev/shm ]]; then
    work="$(mktemp -d /dev/shm/yorisoi-bench.XXXXXX)"
    where="tmpfs (/dev/shm)"
else
    work="$(mktemp -d -t yorisoi-bench.XXXXXX)"
    where="$work (not a tmpfs: disk time is included)"
fi
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

echo "== building yorisoi (release), its incremental and reload benchmarks, and the floor program" >&2
(cd "$repo" && cargo build --release --quiet --bin yorisoi)
for bench in incremental reload; do
    (cd "$repo" && cargo bench --quiet --bench "$bench" --no-run 2>/dev/null) || {
        echo "bench.sh: could not build the $bench benchmark:" >&2
        (cd "$repo" && cargo bench --bench "$bench" --no-run)
        exit 1
    }
done
target_dir="$(cd "$repo" && cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
yorisoi="$target_dir/release/yorisoi"
# The floor is built outside both repositories: shared/ may be read-only, and its build
# must not land in this repository's target folder. FLOOR_TARGET_DIR keeps it between
# runs if set.
floor_target="${FLOOR_TARGET_DIR:-$work/floor-target}"
CARGO_TARGET_DIR="$floor_target" cargo build --release --quiet \
    --manifest-path "$shared/floor/Cargo.toml"
floor="$floor_target/release/floor"

# Runs a command under /usr/bin/time -v, its output discarded unless it fails. Sets WALL
# (seconds) and RSS (peak resident set, KiB). The wall time is taken with bash's
# microsecond clock around the run: GNU time's "Elapsed (wall clock)" counts hundredths
# of a second, too coarse for the floor on small corpora; it is the fallback where the
# shell has no such clock (bash before 5).
timed() {
    local log="$work/time.log" err="$work/stderr.log" t0 t1
    t0="${EPOCHREALTIME:-}"
    if ! /usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$err"; then
        echo "bench.sh: this failed: $*" >&2
        cat "$err" "$log" >&2
        exit 1
    fi
    t1="${EPOCHREALTIME:-}"
    if [[ -n "$t0" && -n "$t1" ]]; then
        WALL="$(awk -v a="${t0/,/.}" -v b="${t1/,/.}" 'BEGIN { printf "%.6f", b - a }')"
    else
        WALL="$(awk -F': ' '/Elapsed \(wall clock\) time/ {
            n = split($2, part, ":"); s = 0
            for (i = 1; i <= n; i++) s = s * 60 + part[i]
            printf "%.6f", s
        }' "$log")"
    fi
    RSS="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")"
    if [[ -z "$WALL" || -z "$RSS" ]]; then
        echo "bench.sh: could not read /usr/bin/time -v's report:" >&2
        cat "$log" >&2
        exit 1
    fi
}

# The median of the numbers given, one per argument.
median() {
    printf '%s\n' "$@" | LC_ALL=C sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.6f", m
    }'
}

rows=()
for n in "${sizes[@]}"; do
    dir="$work/corpus-$n"
    echo "== $n pages: generating the corpus" >&2
    python3 "$shared/gen-corpus" "$n" "$dir" yorisoi >&2
    cp "$repo/benches/site.toml" "$repo/benches/sources.toml" "$dir/content/"
    mkdir -p "$dir/themes"
    ln -s "$repo/themes/default" "$dir/themes/default"

    floor_walls=()
    yorisoi_walls=()
    yorisoi_rss=()
    for ((run = 1; run <= runs; run++)); do
        echo "== $n pages: run $run of $runs (floor, then yorisoi)" >&2
        # Every run starts with no output, so each is a cold build.
        rm -rf "$dir/floor-out"
        timed "$floor" par "$dir/content" "$dir/floor-out"
        floor_walls+=("$WALL")
        rm -rf "$dir/public"
        timed "$yorisoi" build --content "$dir/content" --output "$dir/public" \
            --now 2026-11-25
        yorisoi_walls+=("$WALL")
        yorisoi_rss+=("$RSS")
    done
    rm -rf "$dir/floor-out" "$dir/public"

    echo "== $n pages: incremental rebuilds" >&2
    incremental_out="$(cd "$repo" && cargo bench --quiet --bench incremental -- "$dir/content")"
    echo "$incremental_out" >&2
    incremental="$(sed -n 's/.*median \([0-9.]*\) ms.*/\1/p' <<<"$incremental_out")"
    if [[ -z "$incremental" ]]; then
        echo "bench.sh: the incremental benchmark printed no median" >&2
        exit 1
    fi

    echo "== $n pages: save to reload in serve" >&2
    reload_out="$(cd "$repo" && cargo bench --quiet --bench reload -- "$dir/content" guides/guide-00001.ja.md)"
    echo "$reload_out" >&2
    reload="$(sed -n 's/^save to reload event: median \([0-9.]*\) ms.*/\1/p' <<<"$reload_out")"
    if [[ -z "$reload" ]]; then
        echo "bench.sh: the reload benchmark printed no median" >&2
        exit 1
    fi

    floor_median="$(median "${floor_walls[@]}")"
    yorisoi_median="$(median "${yorisoi_walls[@]}")"
    rss_median="$(median "${yorisoi_rss[@]}")"
    rows+=("$(awk -v n="$n" -v f="$floor_median" -v y="$yorisoi_median" \
        -v r="$rss_median" -v i="$incremental" -v s="$reload" 'BEGIN {
        printf "| %d | %.3f | %.3f | %.1f | %.0f | %.2f | %.1f |", n, f, y, y / f, r / 1024, i, s
    }')")
    rm -rf "$dir"
done

echo
echo "Median of $runs runs each, floor and yorisoi in turns; work folder on $where."
echo
echo "| pages | floor (s) | yorisoi (s) | ratio | yorisoi peak RSS (MiB) | incremental (ms) | save to reload (ms) |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${rows[@]}"
