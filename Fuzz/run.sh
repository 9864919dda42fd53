#!/usr/bin/env bash
# Builds and runs every fuzz target for SECONDS each, one after another.
#
#   Fuzz/run.sh SECONDS [TARGET...]     # CI: Fuzz/run.sh 60
#
# Per target: the working corpus is Fuzz/out/corpus/<target>/ (gitignored),
# seeded with Fuzz/corpus/<target>/, the fixtures (Fixtures/*.zip, *.jar) and
# the hostile table (Fixtures/hostile/*.zip);
# libFuzzer runs with -max_total_time=SECONDS
# -rss_limit_mb=2048 -timeout=5 -dict=Fuzz/zip.dict -print_final_stats=1.
# Prints executions per second and total executions per target, and exits
# non-zero if any target crashed (or failed to build), after copying each
# crashing input into Fuzz/regressions/<target>/, where `swift test`
# (FuzzRegressionTests) replays it from then on. Each crashing input up to
# 64 KB is also printed as base64, so that one found in CI can be committed
# from its log.
#
# Environment: JOBS=N runs N libFuzzer workers per target (default 1);
# FUZZ_FLAGS adds libFuzzer flags; FORCE=1 rebuilds the targets;
# FUZZ_TRAITS=ISAL builds and runs the ISA-L build in Fuzz/out-isal/.
set -uo pipefail

usage() { echo "usage: Fuzz/run.sh SECONDS [TARGET...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
SECONDS_PER_TARGET=$1; shift
[[ $SECONDS_PER_TARGET =~ ^[0-9]+$ ]] && [ "$SECONDS_PER_TARGET" -gt 0 ] || usage

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/Fuzz/out${FUZZ_TRAITS:+-$(tr 'A-Z' 'a-z' <<<"$FUZZ_TRAITS")}  # as build.sh

if [ $# -gt 0 ]; then
    TARGETS=("$@")
else
    TARGETS=()
    for f in Fuzz/Targets/*.swift; do TARGETS+=("$(basename "$f" .swift)"); done
fi

# A Swift runtime failure (overflow, bounds, precondition) traps with SIGILL;
# let libFuzzer's deadly-signal handler report it and save the input. Swift's
# own backtracer would race it, and trips ASan reading the stack.
export SWIFT_BACKTRACE=enable=no
# Symbolized ASan stacks.
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && command -v llvm-symbolizer >/dev/null 2>&1; then
    export ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer)
fi

status=0
declare -A RESULT

if ! Fuzz/build.sh "${TARGETS[@]}"; then
    echo "run.sh: build failed" >&2
    status=1
fi

for target in "${TARGETS[@]}"; do
    binary=$OUT/bin/$target
    if [ ! -x "$binary" ]; then
        RESULT[$target]="not built"
        status=1
        continue
    fi
    corpus=$OUT/corpus/$target
    artifacts=$OUT/artifacts/$target
    log=$OUT/logs/$target.log
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    rm -f "$artifacts"/*
    # Seed the working corpus (files from earlier runs stay). Regressions are
    # not seeds: swift test replays them, and one not yet fixed would stop
    # (or, if slow, starve) every run until it is.
    for seed in Fuzz/corpus/"$target"/* Fixtures/*.zip Fixtures/*.jar Fixtures/hostile/*.zip; do
        [ -f "$seed" ] && cp -n "$seed" "$corpus/" 2>/dev/null
    done

    flags=(-max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -timeout=5
           -dict="$ROOT/Fuzz/zip.dict" -print_final_stats=1
           -artifact_prefix="$artifacts/")
    case $target in
    endrecord) flags+=(-use_value_profile=1) ;;  # its branches are comparisons of magic values
    esac
    if [ "${JOBS:-1}" -gt 1 ]; then
        flags+=(-jobs="$JOBS" -workers="$JOBS")
    fi
    # shellcheck disable=SC2206
    extra=(${FUZZ_FLAGS:-})

    echo "== $target: ${SECONDS_PER_TARGET}s"
    rm -f "$OUT"/logs/fuzz-*.log
    (cd "$OUT/logs" && "$binary" "${flags[@]}" "${extra[@]}" "$corpus") >"$log" 2>&1
    code=$?

    # With -jobs, each worker writes fuzz-N.log; fold them in.
    [ "${JOBS:-1}" -gt 1 ] && cat "$OUT"/logs/fuzz-*.log >>"$log" 2>/dev/null
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
    rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')

    crashes=()
    for artifact in "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*; do
        [ -f "$artifact" ] || continue
        mkdir -p "Fuzz/regressions/$target"
        cp "$artifact" "Fuzz/regressions/$target/"
        crashes+=("Fuzz/regressions/$target/$(basename "$artifact")")
    done
    if [ $code -ne 0 ] || [ ${#crashes[@]} -gt 0 ]; then
        status=1
        RESULT[$target]=$(printf '%12s execs %8s exec/s  CRASHED (exit %s): %s' "$execs" "$rate" "$code" "${crashes[*]:-no artifact}")
        echo "-- $target crashed; the report:"
        grep -m1 -B2 -A40 -E '^==[0-9]+==ERROR|^Fatal error|fuzz invariant violated|ERROR: libFuzzer' "$log" | head -n 60
        echo "-- full log: $log"
        # A crash found by CI lives only in CI's clone: print each input, so
        # that it can be committed from the log into Fuzz/regressions/.
        for crash in "${crashes[@]}"; do
            size=$(wc -c <"$crash")
            if [ "$size" -le 65536 ]; then
                echo "-- $crash ($size bytes), recreate with: base64 -d > $crash <<'EOF'"
                base64 -w 76 "$crash"
                echo "EOF"
            else
                echo "-- $crash ($size bytes): too large to print"
            fi
        done
    else
        RESULT[$target]=$(printf '%12s execs %8s exec/s  ok' "$execs" "$rate")
    fi
    echo "   ${RESULT[$target]}"
done

echo
echo "== summary (${SECONDS_PER_TARGET}s per target)"
for target in "${TARGETS[@]}"; do
    printf '%-10s %s\n' "$target" "${RESULT[$target]:-not run}"
done
exit $status
