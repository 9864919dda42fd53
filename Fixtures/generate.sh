#!/usr/bin/env bash
# Regenerates every fixture archive in Fixtures/ from scratch, using the real
# tools (Info-ZIP zip 3.0, OpenJDK jar, CPython zipfile) plus
# make_fixtures.py for what has to be crafted or patched.
#
#   Fixtures/generate.sh            # rebuild Fixtures/*.zip, Fixtures/*.jar, then check them
#   PYTHON=python3.13 Fixtures/generate.sh
#
# Output is deterministic: running it twice gives byte-identical files.
# Machine-dependent bits (documented in README.md): the uid/gid in the ux
# extras of extended-time*.zip, and the "Created-By" JDK version in sample.jar.
set -euo pipefail

export TZ=UTC LC_ALL=C
umask 022

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=${PYTHON:-python3}
MK() { "$PY" "$HERE/make_fixtures.py" build "$@"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/zipindex-fixtures.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
OUT=$WORK/out
mkdir -p "$OUT"

STAMP='2020-01-02 03:04:06'
# Fixed mtime+atime for files, directories and symlinks (not their targets).
stamp() { find "$@" -exec touch -h -d "$STAMP" {} +; }
# zip -@ with a sorted list: independent of readdir order.
zip_list() { LC_ALL=C sort | zip -q "$@" -@; }

# ---------------------------------------------------------------- inputs ---
mkdir -p "$WORK/text" && cd "$WORK/text"
for i in 1 2 3 4; do printf 'Hello, world!\n'; done > hello.txt
for i in $(seq 1 60); do
  printf 'Line %03d: The quick brown fox jumps over the lazy dog.\n' "$i"
done > lorem.txt
seq 1 200 > numbers.txt
for i in $(seq 1 40); do printf 'Line %03d: secret data, secret data.\n' "$i"; done > secret.txt
printf 'hi\n' > tiny.txt
stamp .

# ------------------------------------------------------- Info-ZIP basics ---
printf '%s\n' hello.txt lorem.txt numbers.txt | zip_list -X -0 "$OUT/stored.zip"
printf '%s\n' hello.txt lorem.txt numbers.txt | zip_list -X -9 "$OUT/deflated.zip"
printf '%s\n' lorem.txt numbers.txt | zip_list -X -Z bzip2 "$OUT/bzip2.zip"
printf '%s\n' hello.txt lorem.txt | zip_list -X -fz "$OUT/zip64.zip"
printf '%s\n' hello.txt lorem.txt | zip_list -X "$WORK/base.zip"

# Archive comment read from stdin (-z); Info-ZIP drops the final newline.
printf 'This is a zipfile comment.\n' | zip -q -X -z "$OUT/comment.zip" hello.txt

# Streaming to a pipe: bit 3 + signed data descriptors (32-bit sizes).
zip -q -X - hello.txt lorem.txt | cat > "$OUT/data-descriptor.zip"
# Streaming stdin to a pipe: size unknown up front, so Info-ZIP writes a
# 0x0001 local extra and a 24-byte ZIP64 data descriptor. Info-ZIP stamps
# stdin with the current time; patch-time fixes the DOS time afterwards.
cat lorem.txt | zip -q -X - - | cat > "$WORK/stdin.zip"
MK patch-time "$OUT/data-descriptor-zip64.zip" "$WORK/stdin.zip"

# Traditional PKWARE encryption; the random 12-byte encryption headers are
# replaced by fixed ones (decrypt + re-encrypt, same password).
printf '%s\n' secret.txt tiny.txt | zip_list -X -P secret "$WORK/enc.zip"
MK normalize-crypt "$OUT/encrypted.zip" "$WORK/enc.zip"

# ------------------------------------------------------------ prepended ---
{
  printf '#!/bin/sh\necho hello\nexit 0\n'
  printf '#%.0s' $(seq 1 35); printf '\n'
} > "$WORK/stub.sh"                        # 64 bytes
cat "$WORK/stub.sh" "$WORK/base.zip" > "$OUT/prepended.zip"
cp "$OUT/prepended.zip" "$OUT/prepended-adjusted.zip"
zip -q -A "$OUT/prepended-adjusted.zip"

# ---------------------------------------------------------- directories ---
mkdir -p "$WORK/tree/a/b" "$WORK/tree/empty" && cd "$WORK/tree"
printf 'c\n' > a/b/c.txt
printf 'top\n' > top.txt
stamp .
find . -mindepth 1 | sed 's|^\./||' | zip_list -X "$OUT/directories.zip"

# ------------------------------------------------------------- symlinks ---
mkdir -p "$WORK/link" && cd "$WORK/link"
printf 'I am the target.\n' > target.txt
ln -s target.txt link
stamp .
printf '%s\n' link target.txt | zip_list -X -y "$OUT/symlink.zip"

# -------------------------------------- UTF-8 names, no bit 11 (Info-ZIP) ---
# Info-ZIP 3.0 on Unix stores the raw (UTF-8) bytes and sets neither bit 11
# nor a 0x7075 extra, whatever the locale.
mkdir -p "$WORK/utf8" && cd "$WORK/utf8"
mkdir $'caf\xc3\xa9'
printf 'na\xc3\xafve caf\xc3\xa9\n' > $'caf\xc3\xa9/na\xc3\xafve.txt'
printf '\xe4\xb8\x96\xe7\x95\x8c\n' > $'\xe4\xb8\x96\xe7\x95\x8c.txt'
stamp .
find . -mindepth 1 | sed 's|^\./||' | zip_list -X "$OUT/utf8-noflag.zip"

# ------------------------------------- extended timestamps (no zip -X) ---
mkdir -p "$WORK/ext" && cd "$WORK/ext"
printf 'extended timestamp extras UT + ux\n' > ext.txt
printf 'second file\n' > other.txt
# Re-stamp right before each zip run: the local UT extra holds the atime.
stamp ext.txt other.txt
zip -q "$OUT/extended-time.zip" ext.txt other.txt
# Same file, zipped with TZ=EST5: the DOS time is local (2020-01-01 22:04:06)
# while UT still says 2020-01-02T03:04:06Z.
stamp ext.txt other.txt
TZ=EST5 zip -q "$OUT/extended-time-offset.zip" ext.txt other.txt

# ------------------------------------------------------ wheel-like tree ---
mkdir -p "$WORK/wheel/pkg/sub" "$WORK/wheel/ns/only" && cd "$WORK/wheel"
printf '"""pkg."""\nfrom . import mod\n' > pkg/__init__.py
printf 'def hello():\n    return "hello"\n' > pkg/mod.py
printf '' > pkg/sub/__init__.py
printf 'DEPTH = 2\n' > pkg/sub/deep.py
printf 'package data\n' > pkg/data.txt
printf '# namespace package module\nX = 1\n' > ns/only/mod.py
printf 'import pkg\n' > top.py
stamp .
find . -type f | sed 's|^\./||' | zip_list -X -D "$OUT/wheel-like.zip"

# ------------------------------------------------------------------ jar ---
# Every directory below com/ has exactly one child, so jar's (readdir order)
# recursion is deterministic; the other inputs are given in order.
mkdir -p "$WORK/jar/com/example" && cd "$WORK/jar"
printf 'Hello from a jar resource.\n' > com/example/Hello.txt
printf 'key=value\nother=thing\n' > data.properties
printf 'A sample jar made by the jar tool.\n' > readme.txt
stamp .
jar --create --file "$OUT/sample.jar" --date=2020-01-02T03:04:06Z \
  com data.properties readme.txt

# ------------------------------------------------ Python zipfile / craft ---
for name in mixed empty empty-entry max-comment entry-comments zip64-python \
            data-descriptor-python data-descriptor-nosig utf8-flag cp437 \
            unicode-path-extra lzma bzip2-python crc-corrupt crc-corrupt-stored \
            ntfs-time duplicate-names; do
  MK "$name" "$OUT/$name.zip"
done

# ------------------------------------------- damaged Info-ZIP archives ---
MK truncated "$OUT/truncated.zip" "$OUT/deflated.zip"
MK bad-dir-size "$OUT/bad-dir-size.zip" "$WORK/base.zip"
MK comment-truncated "$OUT/comment-truncated.zip" "$OUT/comment.zip"
MK trailing-junk "$OUT/trailing-junk.zip" "$WORK/base.zip"

# -------------------------------------------------------------- install ---
cd "$HERE"
rm -f -- "$HERE"/*.zip "$HERE"/*.jar
cp -- "$OUT"/*.zip "$OUT"/*.jar "$HERE"/
echo "wrote $(ls "$OUT" | wc -l) fixtures to $HERE"
"$PY" "$HERE/make_fixtures.py" check "$HERE"

# ------------------------------------------------------- hostile table ---
# Fixtures/hostile/: crafted damage on zipfile-made archives, and Go's own
# malicious test inputs read from its source (see make_hostile.py).
"$PY" "$HERE/make_hostile.py"
