#!/usr/bin/env bash
# Builds the libFuzzer targets into Fuzz/out/bin/.
#
#   Fuzz/build.sh [TARGET...]      # default: every target in Fuzz/Targets/
#
# Each target is one swiftc invocation: Fuzz/Targets/<target>.swift compiled
# together with every Swift file under Sources/ZipIndex as a single module
# (ZipIndexFuzz), so the targets reach internal API without @testable.
# The importer target is built the same way with Sources/Importer/*.swift in
# a second module (Importer) on top of a ZipIndex module.
#
# Flags: -sanitize=fuzzer,address -O -g -swift-version 6, whole-module
# (-wmo: a third of the time of batch mode here). A target is rebuilt
# only when a source is newer than its binary (FORCE=1 rebuilds anyway).
# SWIFTC overrides the compiler (default: swiftc on PATH). FUZZ_TRAITS=ISAL
# builds with the ISA-L inflate backend (the package's ISAL trait) into
# Fuzz/out-isal/.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/Fuzz/out${FUZZ_TRAITS:+-$(tr 'A-Z' 'a-z' <<<"$FUZZ_TRAITS")}
BIN=$OUT/bin
mkdir -p "$BIN" "$OUT/build" "$OUT/module-cache"
SWIFTC=${SWIFTC:-swiftc}

FLAGS=(-sanitize=fuzzer,address -O -g -swift-version 6 -parse-as-library
       -module-cache-path "$OUT/module-cache"
       -I "$ROOT/Sources/CZlib" -I "$ROOT/Fuzz/Support/CFuzzerMutate")
# ld.gold, the default linker here, warns about every ASan helper symbol;
# lld does not. Use it when the toolchain has it.
if command -v ld.lld >/dev/null 2>&1 || [ -x "$(dirname "$(command -v "$SWIFTC")")/ld.lld" ]; then
    FLAGS+=(-use-ld=lld)
fi

if [ $# -gt 0 ]; then
    TARGETS=("$@")
else
    TARGETS=()
    for f in Fuzz/Targets/*.swift; do TARGETS+=("$(basename "$f" .swift)"); done
fi

mapfile -t ZIPINDEX_SOURCES < <(find "$ROOT/Sources/ZipIndex" -name "*.swift" | sort)
SYSTEM_SOURCES=("$ROOT"/Sources/SystemFiles/*.swift)
# SystemFiles (the system-call loops ZipIndex shares with the Importer and
# zipls) is a module of its own with `package` access: build it once, as
# SwiftPM does, and let every target import it.
SYSTEM=$OUT/build/SystemFiles
FLAGS+=(-package-name zipindex -I "$SYSTEM" -L "$SYSTEM" -lSystemFiles)
if [ "${FUZZ_TRAITS:-}" = ISAL ]; then
    FLAGS+=(-D ISAL -I "$ROOT/Sources/CISAL" -lisal)
elif [ -n "${FUZZ_TRAITS:-}" ]; then
    echo "build.sh: unknown trait $FUZZ_TRAITS" >&2; exit 2
fi

# up_to_date BINARY SOURCE...: whether BINARY exists and is newer than every SOURCE.
up_to_date() {
    local binary=$1; shift
    [ -z "${FORCE:-}" ] && [ -x "$binary" ] || return 1
    local source
    for source in "$@" Fuzz/build.sh; do
        [ "$source" -nt "$binary" ] && return 1
    done
    return 0
}

build_target() {
    local target=$1
    local binary=$BIN/$target
    local log=$OUT/build/$target.log
    # swiftc -wmo -g leaves <module>-1.swiftmodule and friends in the working
    # directory: run it in a scratch one (this function runs in a subshell).
    local work=$OUT/build/$target
    case $target in
    importer)
        local importer_sources=("$ROOT"/Sources/Importer/*.swift)
        up_to_date "$binary" "${ZIPINDEX_SOURCES[@]}" "${SYSTEM_SOURCES[@]}" "${importer_sources[@]}" "Fuzz/Targets/$target.swift" && return 0
        rm -rf "$work" && mkdir -p "$work" && cd "$work"
        # ZipIndex and Importer as real modules (Importer says `import ZipIndex`),
        # then the target linked against both.
        "$SWIFTC" "${FLAGS[@]}" -module-name ZipIndex -emit-module -emit-module-path "$work/ZipIndex.swiftmodule" \
            -emit-library -static -o "$work/libZipIndex.a" -wmo "${ZIPINDEX_SOURCES[@]}" >"$log" 2>&1 &&
        "$SWIFTC" "${FLAGS[@]}" -module-name Importer -I "$work" -emit-module -emit-module-path "$work/Importer.swiftmodule" \
            -emit-library -static -o "$work/libImporter.a" -wmo "${importer_sources[@]}" >>"$log" 2>&1 &&
        "$SWIFTC" "${FLAGS[@]}" -module-name ImporterFuzz -I "$work" -L "$work" -lImporter -lZipIndex -lz \
            "$ROOT/Fuzz/Targets/$target.swift" -o "$binary" >>"$log" 2>&1
        ;;
    *)
        up_to_date "$binary" "${ZIPINDEX_SOURCES[@]}" "${SYSTEM_SOURCES[@]}" "Fuzz/Targets/$target.swift" && return 0
        rm -rf "$work" && mkdir -p "$work" && cd "$work"
        "$SWIFTC" "${FLAGS[@]}" -module-name ZipIndexFuzz -lz -wmo \
            "${ZIPINDEX_SOURCES[@]}" "$ROOT/Fuzz/Targets/$target.swift" -o "$binary" >"$log" 2>&1
        ;;
    esac
}

if ! up_to_date "$SYSTEM/libSystemFiles.a" "${SYSTEM_SOURCES[@]}"; then
    echo "building SystemFiles"
    rm -rf "$SYSTEM" && mkdir -p "$SYSTEM"
    (cd "$SYSTEM" && "$SWIFTC" -sanitize=fuzzer,address -O -g -swift-version 6 -parse-as-library -package-name zipindex \
        -module-cache-path "$OUT/module-cache" -module-name SystemFiles -emit-module -emit-module-path "$SYSTEM/SystemFiles.swiftmodule" \
        -emit-library -static -o "$SYSTEM/libSystemFiles.a" -wmo "${SYSTEM_SOURCES[@]}") >"$OUT/build/SystemFiles.log" 2>&1 ||
        { cat "$OUT/build/SystemFiles.log" >&2; echo "build.sh: SystemFiles did not build" >&2; exit 1; }
fi

# Two at a time (about 15 s each with -wmo on an idle machine).
pids=()
names=()
status=0
for target in "${TARGETS[@]}"; do
    [ -f "Fuzz/Targets/$target.swift" ] || { echo "build.sh: no target $target" >&2; exit 2; }
    echo "building $target"
    build_target "$target" &
    pids+=($!)
    names+=("$target")
    if [ ${#pids[@]} -ge 2 ]; then
        if ! wait "${pids[0]}"; then
            echo "build.sh: ${names[0]} failed; see Fuzz/out/build/${names[0]}.log" >&2
            tail -n 30 "$OUT/build/${names[0]}.log" >&2
            status=1
        fi
        pids=("${pids[@]:1}")
        names=("${names[@]:1}")
    fi
done
for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
        echo "build.sh: ${names[$i]} failed; see Fuzz/out/build/${names[$i]}.log" >&2
        tail -n 30 "$OUT/build/${names[$i]}.log" >&2
        status=1
    fi
done
exit $status
