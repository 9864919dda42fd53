#!/usr/bin/env bash
# ci-smoke.sh: the benchmarks still build and run. No timing assertions.
#
# Builds the Benchmarks package in release (zipbench, the peers' Swift
# targets and the package-benchmark suite), generates the small archives,
# and runs each zipbench subcommand once on a 1k-entry archive, checking
# that each prints its JSON line. Exits non-zero on any failure. Build time
# dominates (a few minutes cold, seconds warm).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
say() { echo "ci-smoke: $*"; }

say "swift build -c release (Benchmarks/)"
swift build -c release --package-path "$BENCH"
BIN="$(swift build -c release --package-path "$BENCH" --show-bin-path)"

say "generating the small archives"
# The standard set minus the two expensive archives would need --quick with a
# cache; a fresh CI clone has none, so make just what the smoke test reads.
python3 - "$BENCH" "$WORK" <<'PY'
import importlib.util, os, random, sys
bench, out = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location("gen_archives", os.path.join(bench, "gen_archives.py"))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
gen.write_entries(os.path.join(out, "entries-1k.zip"), 1_000, seed=gen.SEED + 1)
gen.write_pyspark(os.path.join(out, "pyspark-like.zip"))
gen.write_py4j(os.path.join(out, "py4j-like.zip"))
PY

check() { # NAME KEY COMMAND...: COMMAND's last line must be JSON with KEY
    local name="$1" key="$2"; shift 2
    local out
    if ! out="$("$@" 2>"$WORK/stderr")"; then
        cat "$WORK/stderr" >&2
        say "FAIL: $name exited non-zero"; exit 1
    fi
    if ! printf '%s\n' "$out" | tail -1 | python3 -c "import json,sys; d=json.loads(sys.stdin.read()); assert '$key' in d, d" ; then
        say "FAIL: $name printed no JSON line with \"$key\": $out"; exit 1
    fi
    say "ok: $name: $(printf '%s\n' "$out" | tail -1)"
    PASSED=$((PASSED + 1))
}
PASSED=0

A="$WORK/entries-1k.zip"
NAME="$(python3 -c "import zipfile,sys; print(zipfile.ZipFile(sys.argv[1]).namelist()[0])" "$A")"
check "zipbench parse" entries "$BIN/zipbench" parse "$A"
check "zipbench lookup" hitNs "$BIN/zipbench" lookup "$A"
check "zipbench inflate" bytes "$BIN/zipbench" inflate "$A" "$NAME"
check "zipindex-once" entries "$BIN/zipindex-once" "$A"
check "zipfoundation-bench once" entries "$BIN/zipfoundation-bench" once "$A"
test -x "$BIN/ZipIndexBenchmarks" || { say "FAIL: the package-benchmark suite did not build"; exit 1; }
PASSED=$((PASSED + 1))

# invalidate and gh103200 are newer: run them when this zipbench has them.
for sub in invalidate gh103200; do
    if "$BIN/zipbench" "$sub" "$A" >/dev/null 2>"$WORK/stderr" || ! grep -qi "unknown command\|usage" "$WORK/stderr"; then
        case "$sub" in
            invalidate) check "zipbench invalidate" invalidatePerArchiveNs "$BIN/zipbench" invalidate "$A" ;;
            gh103200) check "zipbench gh103200" perIterationNs "$BIN/zipbench" gh103200 "$WORK/pyspark-like.zip" "$WORK/py4j-like.zip" ;;
        esac
    else
        say "skip: zipbench has no $sub subcommand yet"
    fi
done
say "$PASSED passed, 0 failed"
