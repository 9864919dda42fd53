#!/usr/bin/env bash
# compare.sh: ZipIndex against its peers and the C floor, in one run.
#
#   Benchmarks/compare.sh            full run (about 15 minutes here, builds warm):
#                                    writes Benchmarks/BENCHMARKS.md and
#                                    Benchmarks/open-index.svg
#   Benchmarks/compare.sh --quick    fewer repetitions, slow peers run once at
#                                    1M, cached archives (2.5-5 minutes once
#                                    built): writes .build-results/BENCHMARKS-quick.md
#                                    and .build-results/open-index-quick.svg, so
#                                    a quick run never replaces the published one
#
# Options:
#   --write                 with --quick: write BENCHMARKS.md and the plot anyway
#   --no-package-benchmark  skip the package-benchmark allocation suite (full run)
#   --only LIST             comma-separated scenarios: parse, lookup, inflate,
#                           process, memory, invalidate, gh103200, tools
#                           (tools: whole zipls test / extract processes against
#                           unzip and bsdtar, on the large archives and two real
#                           wheels fetched into .archives/wheels/)
#
# Needs: Swift 6.1+, cc, zlib, python3 (pyenv 3.11.7 and 3.13.0), and for the
# peers golang-1.19-go, libzip-dev and unzip (apt). A peer whose toolchain is
# missing is skipped with the reason in the report, as are zipbench
# subcommands that do not exist yet (invalidate, gh103200), zipls when the
# root package does not build it and the ISA-L rows (ZipIndex's ISAL trait,
# the C ISA-L floor, zipls --traits ISAL) without libisal-dev. The tools
# scenario also needs bsdtar (libarchive-tools) and, the first time, pip and
# the network for its two wheels (offline: the wheel rows are skipped).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
PEERS="$BENCH/.build-peers"
RESULTS="$BENCH/.build-results"
QUICK=0
WRITE=0
PACKAGE_BENCHMARK=1
ONLY=""
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --write) WRITE=1 ;;
        --no-package-benchmark) PACKAGE_BENCHMARK=0 ;;
        --only) ONLY="$2"; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
        *) echo "compare.sh: unknown option $1" >&2; exit 64 ;;
    esac
    shift
done
START=$(date +%s)
say() { echo "[compare.sh $(( $(date +%s) - START ))s] $*" >&2; }
# True when scenario $1 runs (every scenario without --only).
selected() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }
mkdir -p "$PEERS" "$RESULTS"

# ---- build ------------------------------------------------------------------
say "building zipbench, zipindex-once, zipfoundation-bench (release)"
for product in zipbench zipindex-once zipfoundation-bench; do
    swift build -c release --package-path "$BENCH" --product "$product" 2>&1 | grep -E "error|warning: unre|Compiling|Build complete" | grep -v "^\[" >&2 || true
    test -x "$BENCH/.build/release/$product" || { echo "compare.sh: $product did not build" >&2; exit 1; }
done

# zipbench again with ZipIndex's ISAL trait (ISA-L inflate and CRC-32), in a
# scratch path of its own so that it never replaces the default build above.
# Without libisal-dev it does not build: its rows are skipped with the reason.
# build_isal PRODUCT PACKAGE SCRATCH: builds PRODUCT of PACKAGE with the ISAL
# trait into SCRATCH; sets BUILT to the binary, or WHY to why it did not build.
build_isal() {
    local product="$1" package="$2" scratch="$3" log="$RESULTS/$1-isal-build.log"
    BUILT="" WHY=""
    say "building $product with the ISAL trait (release, $(basename "$scratch"))"
    if swift build -c release --package-path "$package" --product "$product" --traits ISAL \
            --scratch-path "$scratch" >"$log" 2>&1 && [ -x "$scratch/release/$product" ]; then
        BUILT="$scratch/release/$product"
    else
        WHY="$product does not build with --traits ISAL (apt-get install libisal-dev): $(grep -m1 'error' "$log" || tail -1 "$log")"
        say "$WHY (skipping its rows)"
    fi
}
build_isal zipbench "$BENCH" "$BENCH/.build-isal"
ZIPBENCH_ISAL="$BUILT" ZIPBENCH_ISAL_WHY="$WHY"

say "building the C floor"
make -s -C "$BENCH/floor" >&2
# floor/Makefile builds inflate_isal (inflate.c with ISA-L) only when
# pkg-config finds libisal; without it that floor's rows are skipped.
FLOOR_ISAL="$BENCH/.build-floor/inflate_isal"
FLOOR_ISAL_WHY=""
if ! pkg-config --exists libisal 2>/dev/null; then
    FLOOR_ISAL=""
    FLOOR_ISAL_WHY="the C ISA-L floor needs libisal (apt-get install libisal-dev)"
elif [ ! -x "$FLOOR_ISAL" ]; then
    FLOOR_ISAL=""
    FLOOR_ISAL_WHY="floor/Makefile did not build inflate_isal"
fi
[ -z "$FLOOR_ISAL_WHY" ] || say "$FLOOR_ISAL_WHY (skipping its rows)"

say "building the C peers and tools"
CC="${CC:-cc}"
CFLAGS="-O2 -std=gnu11 -Wall -Wextra"
$CC $CFLAGS -o "$PEERS/proctime" "$BENCH/peers/c/proctime.c"
$CC $CFLAGS -o "$PEERS/floor_once" "$BENCH/peers/c/floor_once.c" \
    "$BENCH/floor/file_table.c" "$BENCH/floor/central_directory.c" "$BENCH/floor/zip_io.c" "$BENCH/floor/bench.c" -lz
if pkg-config --exists libzip 2>/dev/null; then
    $CC $CFLAGS -o "$PEERS/libzip_bench" "$BENCH/peers/c/libzip_bench.c" $(pkg-config --cflags --libs libzip)
else
    say "libzip-dev not installed: the libzip peer will be skipped (apt-get install libzip-dev)"
    rm -f "$PEERS/libzip_bench"
fi

GO="${GO:-}"
for candidate in "$GO" /usr/lib/go-1.19/bin/go "$(command -v go || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then GO="$candidate"; break; fi
done
if [ -n "$GO" ] && [ -x "$GO" ]; then
    say "building the Go peer with $("$GO" version)"
    (cd "$BENCH/peers/go" && GOFLAGS=-mod=mod GOPROXY=off GOCACHE="$PEERS/gocache" "$GO" build -o "$PEERS/gozip" .)
else
    say "Go not installed: the Go peer will be skipped (apt-get install golang-1.19-go)"
    rm -f "$PEERS/gozip"
fi

# zipls in a scratch path of its own (.build-release-bench, as extract.py
# builds it), so that it never waits on or replaces the root package's .build.
ZIPLS=""
ZIPLS_WHY=""
say "building zipls from the root package (release, .build-release-bench)"
if swift build -c release --package-path "$ROOT" --product zipls \
        --scratch-path "$ROOT/.build-release-bench" >"$RESULTS/zipls-build.log" 2>&1 \
        && [ -x "$ROOT/.build-release-bench/release/zipls" ]; then
    ZIPLS="$ROOT/.build-release-bench/release/zipls"
else
    ZIPLS_WHY="zipls does not build yet: $(grep -m1 'error' "$RESULTS/zipls-build.log" || tail -1 "$RESULTS/zipls-build.log")"
    say "$ZIPLS_WHY (skipping the zipls scenario)"
fi

# The same zipls with the Swift runtime linked in (--static-swift-stdlib), as
# the README installs it: start-up then costs no dynamic linking of
# libswiftCore and Foundation (3.7 ms instead of 5.1 ms for an empty archive).
ZIPLS_STATIC=""
if [ -n "$ZIPLS" ]; then
    say "building zipls with --static-swift-stdlib (release, .build-static)"
    if swift build -c release --package-path "$ROOT" --product zipls --static-swift-stdlib \
            --scratch-path "$ROOT/.build-static" >"$RESULTS/zipls-static-build.log" 2>&1; then
        ZIPLS_STATIC="$ROOT/.build-static/release/zipls"
    else
        say "zipls does not build with --static-swift-stdlib: see $RESULTS/zipls-static-build.log"
    fi
fi

# zipls again with the ISAL trait (ISA-L inflate and CRC-32) for the tools
# scenario, in .build-isal-release; without libisal-dev its rows are skipped.
ZIPLS_ISAL=""
ZIPLS_ISAL_WHY="the tools scenario was not selected"
if selected tools; then
    build_isal zipls "$ROOT" "$ROOT/.build-isal-release"
    ZIPLS_ISAL="$BUILT" ZIPLS_ISAL_WHY="$WHY"
fi

# ---- interpreters ---------------------------------------------------------------
# The interpreters themselves, not pyenv's shims: a shim is a shell script that
# costs a process or two per start (whole-process timings) and, once inside a
# pyenv-run Python, PYENV_VERSION no longer selects anything.
python_path() {
    local version="$1" path=""
    path="$(PYENV_VERSION="$version" pyenv which python3 2>/dev/null)" || path=""
    [ -x "$path" ] || path="$(command -v "python${version%.*}" 2>/dev/null)" || path=""
    if [ -x "$path" ] && [ "$("$path" -c 'import platform; print(platform.python_version())')" = "$version" ]; then
        echo "$path"
    else
        say "CPython $version not found: its rows will be skipped" ; echo ""
    fi
}
PY311="$(python_path 3.11.7)"
PY313="$(python_path 3.13.0)"

# ---- archives -----------------------------------------------------------------
say "generating archives"
if [ "$QUICK" = 1 ]; then
    python3 "$BENCH/gen_archives.py" "$BENCH/.archives" --quick >&2
else
    python3 "$BENCH/gen_archives.py" "$BENCH/.archives" >&2
fi
VERSION="$(sed -n 's/^GENERATOR_VERSION = "\(.*\)"/\1/p' "$BENCH/gen_archives.py")"
for entries in 10 1000; do
    dir="$BENCH/.archives/many-$entries"
    stamp="$VERSION 1000 $entries"
    if [ "$QUICK" = 1 ] && [ "$(cat "$dir/.stamp" 2>/dev/null)" = "$stamp" ]; then
        say "keeping $dir"
    else
        rm -rf "$dir"
        python3 "$BENCH/gen_archives.py" --many-archives 1000 --entries-per-archive "$entries" "$dir" >&2
        echo "$stamp" >"$dir/.stamp"
    fi
done
# zipls must list an archive as unzip -Z1 does, or its scenarios are skipped.
if [ -n "$ZIPLS" ] && ! "$ZIPLS" "$BENCH/.archives/entries-1k.zip" 2>"$RESULTS/zipls-check.log" \
        | cmp -s - <(unzip -Z1 "$BENCH/.archives/entries-1k.zip"); then
    ZIPLS_WHY="zipls built, but its listing of entries-1k.zip differs from unzip -Z1's: $(head -1 "$RESULTS/zipls-check.log")"
    say "$ZIPLS_WHY (skipping the zipls scenario)"
    ZIPLS=""
fi

if [ -n "$ZIPLS_ISAL" ] && ! "$ZIPLS_ISAL" "$BENCH/.archives/entries-1k.zip" 2>"$RESULTS/zipls-isal-check.log" \
        | cmp -s - <(unzip -Z1 "$BENCH/.archives/entries-1k.zip"); then
    ZIPLS_ISAL_WHY="zipls (ISAL trait) built, but its listing of entries-1k.zip differs from unzip -Z1's: $(head -1 "$RESULTS/zipls-isal-check.log")"
    say "$ZIPLS_ISAL_WHY (skipping its rows)"
    ZIPLS_ISAL=""
fi

# Two real wheels over 20 MB for the tools scenario, fetched once into
# .archives/wheels/ (copied from $WHEEL_CACHE when it holds them). Offline,
# the wheel's rows are skipped with the reason.
WHEELS="$BENCH/.archives/wheels"
WHEEL_CACHE="${WHEEL_CACHE:-/tmp/bigwheels}"
WHEEL_ARGS=()
WHEELS_WHY=""
first_wheel() {  # first_wheel DIR NAME-VERSION: the wheel's path, or nothing
    local f
    for f in "$1/$2"-*.whl; do
        if [ -f "$f" ]; then echo "$f"; return 0; fi
    done
}
if selected tools; then
    mkdir -p "$WHEELS"
    for spec in scipy==1.11.4 pyarrow==14.0.1; do
        name="${spec%%==*}-${spec##*==}"
        wheel="$(first_wheel "$WHEELS" "$name")"
        if [ -z "$wheel" ] && [ -n "$(first_wheel "$WHEEL_CACHE" "$name")" ]; then
            say "copying $(first_wheel "$WHEEL_CACHE" "$name") into $WHEELS"
            cp "$(first_wheel "$WHEEL_CACHE" "$name")" "$WHEELS/"
        elif [ -z "$wheel" ]; then
            say "downloading the $spec wheel into $WHEELS"
            if ! python3 -m pip download --no-deps --only-binary=:all: --python-version 3.11 \
                    --platform manylinux2014_x86_64 --retries 1 --timeout 30 "$spec" -d "$WHEELS" \
                    >"$RESULTS/wheel-download.log" 2>&1; then
                WHEELS_WHY="pip download $spec failed (offline?): $(grep -m1 -i 'error' "$RESULTS/wheel-download.log" || tail -1 "$RESULTS/wheel-download.log")"
                say "$WHEELS_WHY (skipping its rows)"
            fi
        fi
        WHEEL_ARGS+=(--wheel "$name=$(first_wheel "$WHEELS" "$name")")
    done
fi

if [ -n "$ZIPLS_STATIC" ] && ! "$ZIPLS_STATIC" "$BENCH/.archives/entries-1k.zip" 2>/dev/null \
        | cmp -s - <(unzip -Z1 "$BENCH/.archives/entries-1k.zip"); then
    say "the static zipls lists entries-1k.zip differently from unzip -Z1 (skipping it)"
    ZIPLS_STATIC=""
fi

# ---- package-benchmark allocation suite (full run) ------------------------------
PB_MD=""
if [ "$QUICK" = 0 ] && [ "$PACKAGE_BENCHMARK" = 1 ] && [ -z "$ONLY" ]; then
    say "running the package-benchmark suite (allocations)"
    PB_RAW="$RESULTS/package-benchmark.txt"
    if (cd "$BENCH" && swift package benchmark --format markdown --no-progress) >"$PB_RAW" 2>"$RESULTS/package-benchmark.log"; then
        PB_MD="$RESULTS/package-benchmark.md"
        python3 "$BENCH/peers/allocations.py" "$PB_RAW" >"$PB_MD"
    else
        say "swift package benchmark failed: see $RESULTS/package-benchmark.log"
    fi
fi

# ---- measure and report ---------------------------------------------------------
if [ "$QUICK" = 1 ] && [ "$WRITE" = 0 ]; then
    OUT="$RESULTS/BENCHMARKS-quick.md"; PLOT="$RESULTS/open-index-quick.svg"
else
    OUT="$BENCH/BENCHMARKS.md"; PLOT="$BENCH/open-index.svg"
fi
COMMAND="compare.sh"
[ "$QUICK" = 0 ] || COMMAND="compare.sh --quick"
ARGS=(--output "$OUT" --plot "$PLOT" --zipls "$ZIPLS" --zipls-static "$ZIPLS_STATIC" --zipls-why "$ZIPLS_WHY"
      --zipbench-isal "$ZIPBENCH_ISAL" --zipbench-isal-why "$ZIPBENCH_ISAL_WHY"
      --zipls-isal "$ZIPLS_ISAL" --zipls-isal-why "$ZIPLS_ISAL_WHY"
      ${WHEEL_ARGS[@]+"${WHEEL_ARGS[@]}"} --wheels-why "$WHEELS_WHY"
      --floor-isal "$FLOOR_ISAL" --floor-isal-why "$FLOOR_ISAL_WHY"
      --package-benchmark "$PB_MD"
      --python311 "$PY311" --python313 "$PY313" --command "$COMMAND")
if [ "$QUICK" = 1 ]; then ARGS+=(--quick); fi
if [ -n "$ONLY" ]; then ARGS+=(--only "$ONLY"); fi
say "measuring"
python3 "$BENCH/peers/compare.py" "${ARGS[@]}"
say "done in $(( $(date +%s) - START ))s: $OUT"
