#!/usr/bin/env bash
# run_all.sh: bench.py under each interpreter, one after another, then every table.
#
#   Benchmarks/python-importer/run_all.sh [--quick] [--json-dir DIR] [PYTHON|VENV ...]
#
# Each argument is a Python executable or a virtual environment directory
# (DIR/bin/python is used); each must have zipindex installed. Without
# arguments: /tmp/venv3.11.7, /tmp/venv3.12.1 and /tmp/venv3.13.0.
# --quick      bench.py --quick (a smoke test: under a minute per interpreter)
# --json-dir   write DIR/bench-<version>.json for each interpreter
# Progress goes to stderr; the tables are printed as each run ends and again,
# all together, at the end. Exits non-zero if any run failed.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
QUICK=()
JSON_DIR=""
PYTHONS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=(--quick) ;;
        --json-dir) JSON_DIR="$2"; shift ;;
        -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d'; exit 0 ;;
        -*) echo "run_all.sh: unknown option $1" >&2; exit 64 ;;
        *) PYTHONS+=("$1") ;;
    esac
    shift
done
if [ ${#PYTHONS[@]} -eq 0 ]; then
    PYTHONS=(/tmp/venv3.11.7 /tmp/venv3.12.1 /tmp/venv3.13.0)
fi
[ -n "$JSON_DIR" ] && mkdir -p "$JSON_DIR"

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
STATUS=0
INDEX=0
for candidate in "${PYTHONS[@]}"; do
    PY="$candidate"
    [ -d "$candidate" ] && PY="$candidate/bin/python"
    if [ ! -x "$PY" ]; then
        echo "run_all.sh: $candidate: no Python executable" >&2
        STATUS=1; continue
    fi
    VERSION="$("$PY" -c 'import platform; print(platform.python_version())')"
    JSON=()
    [ -n "$JSON_DIR" ] && JSON=(--json "$JSON_DIR/bench-$VERSION.json")
    INDEX=$((INDEX + 1))
    echo "run_all.sh: $PY (CPython $VERSION)" >&2
    if ! "$PY" "$HERE/bench.py" "${QUICK[@]}" "${JSON[@]}" | tee "$OUT/$INDEX.txt"; then
        echo "run_all.sh: bench.py failed under $PY" >&2
        STATUS=1
    fi
    echo
done

echo "==== all tables ===="
for table in "$OUT"/*.txt; do
    [ -s "$table" ] || continue
    echo
    cat "$table"
done
exit $STATUS
