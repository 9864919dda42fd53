#!/usr/bin/env bash
# run_all.sh [--quick] [--json-dir DIR] [PYTHON|VENV ...]: bench.py under each
# interpreter (a Python, or a venv's bin/python; each with zipindex installed;
# default /tmp/venv3.11.7 /tmp/venv3.12.1 /tmp/venv3.13.0), one after another,
# then every table again. --json-dir DIR writes DIR/bench-VERSION.json.
# Exits non-zero if any run failed.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ARGS=() JSON_DIR="" PYTHONS=() STATUS=0 TABLES=""
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) ARGS+=(--quick) ;;
        --json-dir) JSON_DIR="$2"; mkdir -p "$JSON_DIR"; shift ;;
        -*) echo "run_all.sh: unknown option $1" >&2; exit 64 ;;
        *) PYTHONS+=("$1") ;;
    esac
    shift
done
[ ${#PYTHONS[@]} -gt 0 ] || PYTHONS=(/tmp/venv3.11.7 /tmp/venv3.12.1 /tmp/venv3.13.0)
for PY in "${PYTHONS[@]}"; do
    [ -d "$PY" ] && PY="$PY/bin/python"
    VERSION="$("$PY" -c 'import platform; print(platform.python_version())')" || { STATUS=1; continue; }
    echo "run_all.sh: $PY (CPython $VERSION)" >&2
    JSON=()
    [ -z "$JSON_DIR" ] || JSON=(--json "$JSON_DIR/bench-$VERSION.json")
    if TABLE="$("$PY" "$HERE/bench.py" ${ARGS[@]+"${ARGS[@]}"} "${JSON[@]+"${JSON[@]}"}")"; then
        printf '%s\n\n' "$TABLE"
        TABLES+="$TABLE"$'\n\n'
    else
        echo "run_all.sh: bench.py failed under $PY" >&2
        STATUS=1
    fi
done
printf '==== all tables ====\n\n%s' "$TABLES"
exit $STATUS
