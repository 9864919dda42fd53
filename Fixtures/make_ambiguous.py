#!/usr/bin/env python3
"""Writes the ambiguity table: Fixtures/ambiguous/*.zip and expected.json.

Each case is an archive that two reasonable zip readers could read two ways
(the types of "My ZIP isn't your ZIP", You et al., USENIX Security 2025:
A redundant metadata, B file names, C structure), or a control that looks
irregular but reads the same for everyone. `expected.json` has the shape of
the hostile table (Fixtures/hostile/expected.json):

    {"open": "ok", "entries": [name, ...], "reads": ["ok" | CODE, ...],
     "overlapping": N, "content": {index: "hex of the entry's bytes"},
     "type": "A2", "note": "...", "control": true, "pending": "check"}
    {"open": CODE, "type": ..., "note": ...}

CODE is a `ZipError.Code` case name. "type" is the paper's type id (as the
artifact's constructions, ouuan/ZipDiff zip-diff/src/construction, number
them: A1 method, A2 sizes and data descriptor, A3 names and the Unicode Path
field, A4 file type, A5 encryption flag, B1-B4 path hazards, C1 local
headers outside the directory, C2 end record choice, C3 counts and sizes,
C4 prepended data, C5 ZIP64 end records); "none" for a case that is no
ambiguity. "control": the case must read. "pending": ZipIndex does not make
that check yet; the expectation records what it does today.

    python3 Fixtures/make_ambiguous.py            # (re)write the table
    python3 Fixtures/make_ambiguous.py --check [--zipls PATH]
                                                  # also hold zipls to it

Deterministic: fixed times, no randomness; two runs give identical files
(deflate output is zlib's, so another zlib version may differ). Stdlib only.
"""
import io
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "ambiguous")
DT = (2020, 1, 2, 3, 4, 6)
DOS_TIME = (DT[3] << 11) | (DT[4] << 5) | (DT[5] // 2)
DOS_DATE = ((DT[0] - 1980) << 9) | (DT[1] << 5) | DT[2]

BIT_ENCRYPTED = 1 << 0
BIT_DESCRIPTOR = 1 << 3
BIT_UTF8 = 1 << 11
SAT32 = 0xFFFFFFFF


def le16(v):
    return struct.pack("<H", v)


def le32(v):
    return struct.pack("<I", v)


def le64(v):
    return struct.pack("<Q", v)


def crc(data):
    return zlib.crc32(data) & 0xFFFFFFFF


def deflate(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15, 8)
    return c.compress(data) + c.flush()


# ------------------------------------------------------------ records ---

def extra_field(tag, body):
    return le16(tag) + le16(len(body)) + body


def zip64_extra(*values):
    return extra_field(0x0001, b"".join(le64(v) for v in values))


def unicode_path(name_for_crc, unicode_name, version=1, crc_value=None):
    value = crc(name_for_crc) if crc_value is None else crc_value
    return extra_field(0x7075, bytes([version]) + le32(value) + unicode_name)


def local_header(f):
    return (le32(0x04034B50) + le16(f["version"]) + le16(f["flags"]) + le16(f["method"])
            + le16(DOS_TIME) + le16(DOS_DATE) + le32(f["crc"]) + le32(f["csize"]) + le32(f["usize"])
            + le16(len(f["name"])) + le16(len(f["extra"])) + f["name"] + f["extra"])


def central_header(f):
    return (le32(0x02014B50) + le16(f["made_by"]) + le16(f["version"]) + le16(f["flags"])
            + le16(f["method"]) + le16(DOS_TIME) + le16(DOS_DATE) + le32(f["crc"])
            + le32(f["csize"]) + le32(f["usize"]) + le16(len(f["name"])) + le16(len(f["extra"]))
            + le16(len(f["comment"])) + le16(0) + le16(0) + le32(f["external"]) + le32(f["offset"])
            + f["name"] + f["extra"] + f["comment"])


def descriptor(crc_value, csize, usize, signed=True, wide=False):
    sizes = le64(csize) + le64(usize) if wide else le32(csize) + le32(usize)
    return (le32(0x08074B50) if signed else b"") + le32(crc_value) + sizes


def end_record(count, size, offset, comment=b"", comment_length=None):
    length = len(comment) if comment_length is None else comment_length
    return (le32(0x06054B50) + le16(0) + le16(0) + le16(count) + le16(count)
            + le32(size) + le32(offset) + le16(length) + comment)


def zip64_end_record(count, size, offset):
    return (le32(0x06064B50) + le64(44) + le16(45) + le16(45) + le32(0) + le32(0)
            + le64(count) + le64(count) + le64(size) + le64(offset))


def zip64_locator(record_offset):
    return le32(0x07064B50) + le32(0) + le64(record_offset) + le32(1)


class Entry:
    """One member. `local` and `central` override header fields
    (flags, method, crc, csize, usize, name, extra, version; central also
    offset, made_by, external, comment). `descriptor` is None, or a dict
    for `descriptor()` (signed, wide, crc, csize, usize), written after
    `gap` bytes that follow the data; `after` bytes follow the record."""

    def __init__(self, name, data, method=0, flags=0, local=None, central=None,
                 descriptor=None, gap=b"", after=b"", payload=None):
        self.name, self.data, self.method, self.flags = name, data, method, flags
        self.payload = payload if payload is not None else (deflate(data) if method == 8 else data)
        self.local = local or {}
        self.central = central or {}
        self.descriptor, self.gap, self.after = descriptor, gap, after

    def base_fields(self):
        return {"version": 20, "flags": self.flags, "method": self.method, "crc": crc(self.data),
                "csize": len(self.payload), "usize": len(self.data), "name": self.name, "extra": b""}

    def record(self):
        f = self.base_fields()
        f.update(self.local)
        out = local_header(f) + self.payload + self.gap
        if self.descriptor is not None:
            d = dict(self.descriptor)
            out += descriptor(d.get("crc", crc(self.data)), d.get("csize", len(self.payload)),
                              d.get("usize", len(self.data)), d.get("signed", True), d.get("wide", False))
        return out + self.after

    def central_fields(self, offset):
        f = self.base_fields()
        f.update({"made_by": 0x0314, "external": 0o100644 << 16, "comment": b"", "offset": offset})
        f.update(self.central)
        return f


def archive(entries, prefix=b"", comment=b"", relative=False, between=b"", tail=b"",
            directory_suffix=b"", directory_size=None, end=None):
    """Local records, the central directory, the end record. Offsets are
    absolute unless `relative` (then relative to the end of `prefix`, as
    after `cat stub archive`). `between` goes between the last record and
    the directory; `directory_suffix` after the last header, inside the
    declared directory; `tail` after the comment."""
    out = bytearray(prefix)
    base = len(prefix) if relative else 0
    offsets = []
    for e in entries:
        offsets.append(len(out) - base)
        out += e.record()
    out += between
    directory_offset = len(out) - base
    directory = b"".join(central_header(e.central_fields(o)) for e, o in zip(entries, offsets))
    directory += directory_suffix
    out += directory
    size = len(directory) if directory_size is None else directory_size
    out += end(len(entries), size, directory_offset) if end else end_record(len(entries), size, directory_offset, comment)
    return bytes(out + tail)


# ------------------------------------------------------------ the table ---

cases = {}


def add(name, data, type_, note, expectation, control=False, pending=None, structure=None, hazards=None):
    assert name not in cases, name
    assert note.endswith("."), name
    expectation = dict(expectation)
    expectation["type"] = type_
    expectation["note"] = note
    if control:
        expectation["control"] = True
    if pending:
        expectation["pending"] = pending
    if structure:
        # What ZipArchive.verifyStructure() (zipls test) must find: "hidden"
        # entries or a "truncating" data descriptor; archives that open and
        # say nothing here must be clean.
        expectation["structure"] = structure
    if hazards:
        # ZipArchive.audit()'s name hazards by entry index (NameHazards
        # identifiers); archives that open and say nothing here have none.
        expectation["hazards"] = {str(k): v for k, v in sorted(hazards.items())}
    cases[name] = (bytes(data), expectation)


def ok(entries, reads=None, content=None, overlapping=0):
    names = [e.name.decode("utf-8") if isinstance(e, Entry) else e for e in entries]
    reads = reads if reads is not None else ["ok"] * len(names)
    assert len(reads) == len(names)
    out = {"open": "ok", "entries": names, "reads": reads, "overlapping": overlapping}
    if content is None:  # every entry that reads, unless told
        content = {i: e.data for i, e in enumerate(entries) if isinstance(e, Entry) and reads[i] == "ok"}
    if content:
        out["content"] = {str(k): v.hex() for k, v in sorted(content.items())}
    return out


def fails(code):
    return {"open": code}


def good(name=b"good.txt"):
    return Entry(name, b"this entry is fine and reads the same everywhere\n")


TEXT = b"The quick brown fox jumps over the lazy dog. " * 4
PAYLOAD = b"payload\n"  # 8 bytes

# --- A1: compression method ---

e = Entry(b"test.txt", TEXT, method=8, local={"method": 0})
add("a1-method-local-stored.zip", archive([good(), e]), "A1",
    "The local header says stored, the directory deflated (sizes agree): a streaming reader would copy the deflate stream out as the content.",
    ok([good(), e], reads=["ok", "localHeaderMismatch"]))

e = Entry(b"test.txt", TEXT, method=8, central={"method": 0})
add("a1-method-central-stored.zip", archive([good(), e]), "A1",
    "The directory says stored, the local header deflated (sizes agree): a directory reader would copy the deflate stream out.",
    ok([good(), e], reads=["ok", "localHeaderMismatch"]))

# --- A2 / A5: flags that change how the bytes are read ---

e = Entry(b"test.txt", TEXT, method=8, local={"flags": BIT_DESCRIPTOR}, descriptor={})
add("a2-descriptor-flag-local-only.zip", archive([good(), e]), "A2",
    "Flag bit 3 (data descriptor) is set in the local header only; a descriptor follows the data, all values agree.",
    ok([good(), e], reads=["ok", "localHeaderMismatch"]))

e = Entry(b"test.txt", TEXT, method=8, central={"flags": BIT_DESCRIPTOR}, descriptor={})
add("a2-descriptor-flag-central-only.zip", archive([good(), e]), "A2",
    "Flag bit 3 (data descriptor) is set in the directory only; a descriptor follows the data, all values agree.",
    ok([good(), e], reads=["ok", "localHeaderMismatch"]))

e = Entry(b"test.txt", TEXT, local={"flags": BIT_ENCRYPTED})
add("a5-encryption-flag-local-only.zip", archive([e, good()]), "A5",
    "Flag bit 0 (encrypted) is set in the first local header only: a streaming reader asks for a password or skips it, a directory reader extracts it.",
    ok([e, good()], reads=["localHeaderMismatch", "ok"]))

e = Entry(b"test.txt", TEXT, central={"flags": BIT_ENCRYPTED})
add("a5-encryption-flag-central-only.zip", archive([e, good()]), "A5",
    "Flag bit 0 (encrypted) is set in the directory only: a streaming reader extracts the plain data, a directory reader treats it as encrypted; ZipIndex refuses it as encrypted first (decodability comes before the local header).",
    ok([e, good()], reads=["encrypted", "ok"]))

# --- A2: sizes, CRC-32 and the data descriptor ---

e = Entry(b"update.bin", PAYLOAD, flags=BIT_DESCRIPTOR, central={"crc": 0, "csize": 0, "usize": 0}, descriptor={})
add("a2-crc0-forged.zip", archive([good(), e]), "A2",
    "Bit 3 entry whose directory says 0 bytes with CRC-32 0 (a valid empty file) while its local header and descriptor say 8 bytes with their real CRC-32.",
    ok([good(), e], reads=["ok", "localHeaderMismatch"]))

e = Entry(b"update.bin", PAYLOAD, flags=BIT_DESCRIPTOR, central={"crc": 0, "csize": 0, "usize": 0},
          local={"crc": 0, "csize": 0, "usize": 0}, descriptor={})
add("a2-crc0-forged-descriptor-only.zip", archive([good(), e]), "A2",
    "As a2-crc0-forged.zip, but the local header defers (zeros): only the descriptor after the 8 bytes says 8 bytes, the directory says an empty file.",
    ok([good(), e], reads=["ok", "dataDescriptorMismatch"]))

e = Entry(b"test.txt", TEXT, method=8, local={"usize": len(TEXT) + 1})
add("a2-local-size-differs.zip", archive([good(), e]), "A2",
    "No data descriptor; the local uncompressed size is one more than the directory's.",
    ok([good(), e], reads=["ok", "localHeaderMismatch"]))

ZEROS = {"crc": 0, "csize": 0, "usize": 0}
e = Entry(b"test.txt", TEXT, method=8, flags=BIT_DESCRIPTOR, local=ZEROS, descriptor={"usize": len(TEXT) + 1})
add("a2-descriptor-size-differs.zip", archive([good(), e]), "A2",
    "Bit 3 entry whose descriptor gives an uncompressed size one more than the directory's.",
    ok([good(), e], reads=["ok", "dataDescriptorMismatch"]))

e = Entry(b"test.txt", TEXT, method=8, flags=BIT_DESCRIPTOR, local=ZEROS, descriptor={"crc": crc(TEXT) ^ 1})
add("a2-descriptor-crc-differs.zip", archive([good(), e]), "A2",
    "Bit 3 entry whose descriptor's CRC-32 differs from the directory's.",
    ok([good(), e], reads=["ok", "dataDescriptorMismatch"]))

e = Entry(b"test.txt", TEXT, method=8, flags=BIT_DESCRIPTOR, local=ZEROS)
add("a2-descriptor-missing.zip", archive([e, good()]), "A2",
    "Bit 3 entry with no data descriptor at all: the next local header follows its data.",
    ok([e, good()], reads=["dataDescriptorMismatch", "ok"]))

e = Entry(b"test.txt", TEXT, method=8, flags=BIT_DESCRIPTOR, local=ZEROS, descriptor={}, gap=b"\x00" * 6)
add("a2-descriptor-after-gap.zip", archive([e, good()]), "A2",
    "Bit 3 entry whose (correct) descriptor comes 6 bytes after the end of the data, not where the directory's compressed size ends it.",
    ok([e, good()], reads=["dataDescriptorMismatch", "ok"]))

e = Entry(b"test.txt", TEXT, local={"csize": SAT32, "usize": SAT32, "version": 45,
                                   "extra": zip64_extra(len(TEXT) + 16, len(TEXT) + 16)})
add("a2-zip64-local-sizes-differ.zip", archive([e, good()]), "A2",
    "Stored entry whose local header holds its sizes in a ZIP64 field (16 bytes more than the data) while the directory gives the real sizes.",
    ok([e, good()], reads=["localHeaderMismatch", "ok"]))

e = Entry(b"test.txt", TEXT, central={"csize": SAT32, "usize": SAT32, "version": 45,
                                     "extra": zip64_extra(len(TEXT), len(TEXT)) + zip64_extra(8, 8)})
add("a2-two-zip64-central.zip", archive([e]), "A2",
    "The central header has two ZIP64 fields with different sizes: readers take the first or the last.",
    fails("invalidExtraField"))

e = Entry(b"test.txt", TEXT, local={"csize": SAT32, "usize": SAT32, "version": 45,
                                   "extra": zip64_extra(len(TEXT), len(TEXT)) + zip64_extra(8, 8)})
add("a2-two-zip64-local.zip", archive([e, good()]), "A2",
    "The local header has two ZIP64 fields with different sizes: streaming readers take the first or the last.",
    ok([e, good()], reads=["invalidExtraField", "ok"]))

# A descriptor-shaped record inside stored data: a streaming reader of a
# stored bit 3 entry must search for the descriptor, and stops at the first
# one whose CRC-32 and size fit the bytes before it; the rest of the data
# then reads as a local header of an entry the directory does not have.
hidden = Entry(b"hidden.txt", b"only a streaming reader sees this\n")
head = b"first part\n"
inner = head + descriptor(crc(head), len(head), len(head)) + hidden.record()
e = Entry(b"carrier.bin", inner, flags=BIT_DESCRIPTOR, local=ZEROS, descriptor={})
add("a2-stored-descriptor-in-data.zip", archive([e, good()]), "A2",
    "Stored bit 3 entry whose data holds a descriptor that fits its first 11 bytes, then a local header: a streaming reader ends the entry early and finds a hidden entry.",
    ok([e, good()]), structure="truncating")

# --- A3: names and the Unicode Path field ---

e = Entry(b"a.txt", PAYLOAD, local={"name": b"../evil"})
add("a3-local-name-differs.zip", archive([good(), e]), "A3",
    "The directory names the entry a.txt, its local header ../evil.",
    ok([good(), e], reads=["ok", "localNameMismatch"]))

RAW = b"original.txt"
up1, up2 = unicode_path(RAW, b"first.txt"), unicode_path(RAW, b"second.txt")
e = Entry(RAW, PAYLOAD, central={"extra": up1 + up2})
add("a3-two-unicode-path-central.zip", archive([e]), "A3",
    "The central header has two Unicode Path fields (both version 1, both with the raw name's CRC-32) naming the entry differently.",
    fails("invalidExtraField"))

e = Entry(RAW, PAYLOAD, local={"extra": up1 + up2}, central={"extra": up1})
add("a3-two-unicode-path-local.zip", archive([e, good()]), "A3",
    "The local header has two Unicode Path fields (the directory one, the first of them); streaming readers take either.",
    ok([Entry(b"first.txt", PAYLOAD), good()], reads=["invalidExtraField", "ok"]),
    hazards={0: ["undeclaredEncoding"]})

upv2 = unicode_path(RAW, b"renamed.txt", version=2)
e = Entry(RAW, PAYLOAD, local={"extra": upv2}, central={"extra": upv2})
add("a3-unicode-path-version2.zip", archive([e]), "A3",
    "A Unicode Path field of version 2 (only 1 exists): readers ignore it or use it.",
    fails("invalidExtraField"))

up = unicode_path(RAW, b"renamed.txt")
e = Entry(RAW, PAYLOAD, local={"extra": up})
add("a3-unicode-path-local-only.zip", archive([e, good()]), "A3",
    "Only the local header has a Unicode Path field (renamed.txt): streaming readers that honour it use another name.",
    ok([e, good()], reads=["localHeaderMismatch", "ok"]))

e = Entry(RAW, PAYLOAD, central={"extra": up})
add("a3-unicode-path-central-only.zip", archive([e, good()]), "A3",
    "Only the central header has a Unicode Path field (renamed.txt): streaming readers name the entry original.txt.",
    ok([Entry(b"renamed.txt", PAYLOAD), good()], reads=["localHeaderMismatch", "ok"]),
    hazards={0: ["undeclaredEncoding"]})

e = Entry(RAW, PAYLOAD, local={"extra": unicode_path(RAW, b"lfh.txt")}, central={"extra": unicode_path(RAW, b"cdh.txt")})
add("a3-unicode-path-differs.zip", archive([e, good()]), "A3",
    "Local and central Unicode Path fields name the entry differently (lfh.txt, cdh.txt).",
    ok([Entry(b"cdh.txt", PAYLOAD), good()], reads=["localHeaderMismatch", "ok"]),
    hazards={0: ["undeclaredEncoding"]})

e = Entry(RAW, PAYLOAD, flags=BIT_UTF8, local={"extra": up}, central={"extra": up})
add("a3-utf8-flag-unicode-path.zip", archive([e]), "A3",
    "Bit 11 declares the name original.txt UTF-8 while a valid Unicode Path field renames it renamed.txt: readers differ on which wins.",
    fails("invalidName"))

stale = unicode_path(b"something else", b"renamed.txt")
e = Entry(RAW, PAYLOAD, local={"extra": stale}, central={"extra": stale})
add("a3-unicode-path-stale-crc.zip", archive([e]), "A3",
    "A Unicode Path field whose CRC-32 is not the raw name's (stale): ZipIndex, like Info-ZIP, keeps original.txt; a reader that skips the CRC check would say renamed.txt.",
    ok([e]))

CP437 = b"caf\x82.txt"
upc = unicode_path(CP437, "café.txt".encode())
e = Entry(CP437, PAYLOAD, local={"extra": upc}, central={"extra": upc})
add("ok-unicode-path.zip", archive([e, good()]), "A3",
    "Control: the same valid Unicode Path field (café.txt for the CP437 name caf\\x82.txt) in both headers.",
    ok([Entry("café.txt".encode(), PAYLOAD), good()]), control=True,
    hazards={0: ["undeclaredEncoding"]})

e = Entry(b"ascii-name.txt", PAYLOAD, central={"flags": BIT_UTF8})
add("ok-utf8-flag-central-only.zip", archive([e, good()]), "A3",
    "Control: bit 11 (UTF-8 name) set only in the directory on an ASCII name, which decodes the same either way.",
    ok([e, good()]), control=True)

# --- A4, B1-B4: names that collide or change meaning: read, and reported
# as name hazards by the audit (zipls info); unsafe names have no
# safeRelativePath, so extraction refuses them ---

e = Entry(b"test\\", b"test")
add("a4-backslash-directory.zip", archive([e]), "A4",
    "An entry named test\\ with content: a directory to readers that take the backslash as a separator, a file to the others.",
    ok([e]), hazards={0: ["backslash"]})

a, b = Entry(b"dup.txt", b"first\n"), Entry(b"dup.txt", b"second\n")
add("b1-duplicate-names.zip", archive([a, b]), "B1",
    "Two entries named dup.txt with different content: readers keep the first or the last.",
    ok([a, b]), hazards={0: ["collision"], 1: ["collision"]})

e = Entry(b"a\x00b.txt", PAYLOAD)
add("b2-nul-in-name.zip", archive([e]), "B2",
    "A name with a NUL byte: C readers and Python cut it at the NUL (a), others keep it.",
    ok([e]), hazards={0: ["nul"]})

a, b = Entry(b"a/b", b"slash\n"), Entry(b"a\\b", b"backslash\n")
add("b3-backslash-collision.zip", archive([a, b]), "B3",
    "Entries a/b and a\\b: the same path to readers that take the backslash as a separator.",
    ok([a, b]), hazards={0: ["collision"], 1: ["backslash", "collision"]})

a, b = Entry(b"test.txt", b"lower\n"), Entry(b"test.TXT", b"upper\n")
add("b4-case-collision.zip", archive([a, b]), "B4",
    "Entries test.txt and test.TXT: one file on a case-insensitive file system.",
    ok([a, b]), hazards={0: ["caseCollision"], 1: ["caseCollision"]})

# --- C1: local records the directory does not list (not checked yet) ---

hidden = Entry(b"hidden.txt", b"listed by no directory\n")
first, second = Entry(b"a.txt", b"first listed entry\n", after=hidden.record()), Entry(b"b.txt", b"second listed entry\n")
add("c1-hidden-local-between-entries.zip", archive([first, second]), "C1",
    "A complete local record (hidden.txt) between the two listed entries: streaming readers extract three files, directory readers two.",
    ok([first, second]), structure="hidden")

hidden = Entry(b"hidden.txt", b"listed by no directory\n")
first = Entry(b"a.txt", b"first listed entry\n")
add("c1-local-without-central.zip", archive([first], between=hidden.record()), "C1",
    "A complete local record (hidden.txt) after the last listed entry, just before the directory.",
    ok([first]), structure="hidden")

# --- C2: which end record ---

def chain(names, comment_lengths):
    """Archives laid end to end, each complete with absolute offsets; each
    end record's comment runs on over the archives after it, plus a NUL
    byte of its own (ZipDiff's eocdr_selection)."""
    parts = []
    for name in names:
        start = sum(len(p) for p in parts)
        e = Entry(name, b"content of " + name + b"\n")
        record = e.record()
        directory = central_header(e.central_fields(start))
        parts.append(record + directory + end_record(1, len(directory), start + len(record), b"\x00", 0))
    sizes = [len(p) for p in parts]
    out = bytearray()
    for part, length in zip(parts, comment_lengths):
        part = bytearray(part)
        part[-3:-1] = le16(length)
        out += part
    assert len(set(sizes)) == 1
    return bytes(out), sizes[0]


_, size = chain([b"a.txt", b"b.txt"], [0, 0])
data, _ = chain([b"a.txt", b"b.txt"], [size + 1, 1])
add("c2-second-end-record-in-comment.zip", data, "C2",
    "An archive (b.txt) in the comment of another (a.txt): both end records end exactly at the end of the file.",
    fails("ambiguousStructure"))

_, size = chain([b"a.txt", b"b.txt", b"c.txt"], [0, 0, 0])
data, _ = chain([b"a.txt", b"b.txt", b"c.txt"], [2 * size, size + 1, 0])
add("c2-end-record-chain-short-comment.zip", data, "C2",
    "Three archives end to end (ZipDiff's short comment variant): only the middle end record's comment ends the file exactly; the last one leaves a byte over.",
    fails("ambiguousStructure"))

data, _ = chain([b"a.txt", b"b.txt", b"c.txt"], [2 * size + 2, size + 1, 2])
add("c2-end-record-chain-long-comment.zip", data, "C2",
    "Three archives end to end (ZipDiff's long comment variant): the last end record's comment runs a byte past the end of the file, the middle one's ends it.",
    fails("commentPastEndOfFile"))

e = Entry(b"test.txt", PAYLOAD)
add("c2-control-signature-in-comment.zip", archive([e], comment=b"A comment that ends with PK\x05\x06 text."), "C2",
    "Control: the end record signature appears in the last 21 bytes of the comment, too close to the end for a record.",
    ok([e]), control=True)

add("c2-signature-deep-in-comment.zip",
    archive([e], comment=b"PK\x05\x06 appears early in this archive comment, followed by plain text."), "C2",
    "The end record signature starts a 67-byte comment: it is the last candidate, and its comment length field (text) runs past the end of the file.",
    fails("commentPastEndOfFile"))

# --- C4: prepended data ---

body_entry = Entry(b"real.txt", b"the entry after the prepended data\n" * 4)
decoy = Entry(b"evil.txt", b"decoy\n")  # a name as long as real.txt: one directory size fits both
decoy_record = decoy.record()
real_directory_offset = len(body_entry.record())  # relative to the zip data
assert len(decoy_record) <= real_directory_offset
decoy_directory = central_header(decoy.central_fields(0))
prefix = decoy_record + b"\x00" * (real_directory_offset - len(decoy_record)) + decoy_directory + b"\x00" * 16
add("c4-prepended-two-directories.zip", archive([body_entry], prefix=prefix, relative=True), "C4",
    "Offsets relative to the zip data after a prefix, and the prefix holds another directory (evil.txt) at the unadjusted directory offset.",
    fails("ambiguousStructure"))

def forge_crc(data, target):
    """`data` plus 4 bytes whose CRC-32 is `target` (CRC-32 is affine in
    the appended bits: solve for them over GF(2))."""
    base = crc(data + b"\x00" * 4)
    columns = [crc(data + (1 << bit).to_bytes(4, "little")) ^ base for bit in range(32)]
    want = target ^ base
    # Gaussian elimination: rows are (mask of columns, value bit).
    rows = [(sum(((columns[b] >> r) & 1) << b for b in range(32)), (want >> r) & 1) for r in range(32)]
    solution, pivots = 0, []
    for bit in range(32):
        row = next((i for i in range(len(rows)) if rows[i][0] >> bit & 1 and i not in [p for p, _ in pivots]), None)
        assert row is not None
        for i in range(len(rows)):
            if i != row and rows[i][0] >> bit & 1:
                rows[i] = (rows[i][0] ^ rows[row][0], rows[i][1] ^ rows[row][1])
        pivots.append((row, bit))
    for row, bit in pivots:
        solution |= rows[row][1] << bit
    out = data + solution.to_bytes(4, "little")
    assert crc(out) == target
    return out


def two_readings_of_one_offset():
    """ZipDiff's C4 cd_offset layout, with no prepended data at all:

        [LFH stream][CDH stream][LFH head][LFH twin: A][CDH head][LFH twin: B][CDH twin][end]

    The end record's offset names CDH head; the directory that ends at the
    end record is CDH twin, as long as CDH head. A reader going by the
    offset lists head; one going by the end record's position lists twin,
    at the offset CDH twin states (content A) or shifted by the base that
    position implies (content B); a streaming reader lists stream. A and B
    have one CRC-32, so both readings of twin check out."""
    stream = Entry(b"stream", b"s")
    dir_entry = Entry(b"head", b"h")  # a name as long as twin: the two directories are one size
    directory_size = len(central_header(dir_entry.central_fields(0)))
    width = directory_size - len(local_header(Entry(b"twin", b"").base_fields()))
    a_content = b"A" * width
    b_content = forge_crc(b"B" * (width - 4), crc(a_content))
    twin_a, twin_b = Entry(b"twin", a_content), Entry(b"twin", b_content)
    assert len(twin_b.record()) == directory_size
    out = bytearray(stream.record())
    out += central_header(stream.central_fields(0))
    dir_offset = len(out)
    out += dir_entry.record()
    twin_a_offset = len(out)
    out += twin_a.record()
    directory_offset = len(out)
    out += central_header(dir_entry.central_fields(dir_offset))
    out += twin_b.record()
    twin_directory = central_header(twin_a.central_fields(twin_a_offset))
    assert len(twin_directory) == directory_size
    out += twin_directory
    return bytes(out + end_record(1, directory_size, directory_offset))


add("c4-one-offset-two-directories.zip", two_readings_of_one_offset(), "C4",
    "ZipDiff's cd_offset layout without a prefix: the end record's offset names one directory, the directory ending at the end record is another of the same size, whose entry reads two ways with one CRC-32.",
    fails("ambiguousStructure"))


stub = b"#!/bin/sh\nexec python3 \"$0\" \"$@\"\n"
e = Entry(b"__main__.py", b"print('hello')\n")
add("c4-control-prepended.zip", archive([e], prefix=stub, relative=True), "C4",
    "Control: a shell stub before an archive whose offsets are relative to the zip data (cat stub archive).",
    ok([e]), control=True)

# --- C3 / C5: directory size, digital signature, ZIP64 end records ---

e = Entry(b"test.txt", PAYLOAD)
signature = le32(0x05054B50) + le16(8) + b"\x01" * 8
add("c5-digital-signature-junk.zip", archive([e], directory_suffix=signature + b"junk after the signature"), "C5",
    "A digital signature record ends the directory, but 24 more bytes follow it inside the declared directory size.",
    fails("invalidCentralDirectory"))

add("ok-digital-signature.zip", archive([e], directory_suffix=signature), "C5",
    "Control: a digital signature record that ends the directory exactly.",
    ok([e]), control=True)

directory_size = len(central_header(e.central_fields(0)))
add("c3-inferred-size-trailing-bytes.zip",
    archive([e], directory_suffix=b"sixteen bytes!!!", directory_size=directory_size), "C3",
    "The end record's directory size leaves out 16 bytes that follow the one header: the size must be inferred, and the 16 bytes are read by no reader.",
    fails("invalidCentralDirectory"))


a, b = Entry(b"a.txt", b"content of a.txt\n"), Entry(b"b.txt", b"content of b.txt\n")
add("c3-directory-size-one-header.zip", archive([a, b], directory_size=len(central_header(a.central_fields(0)))), "C3",
    "Two entries, but the end record's directory size covers one header: counted back from the end record, the directory starts at the second header (b.txt alone, after 'prepended' bytes); by its offset, at the first.",
    fails("ambiguousStructure"))


def zip64_archive(entries, record_gap=b"", locator_gap=b"", saturated=True, entry_zip64=True):
    out = bytearray()
    offsets = []
    for e in entries:
        offsets.append(len(out))
        out += e.record()
    directory_offset = len(out)
    directory = b""
    for e, o in zip(entries, offsets):
        f = e.central_fields(o)
        if entry_zip64:
            f.update({"csize": SAT32, "usize": SAT32, "offset": SAT32, "version": 45,
                      "extra": zip64_extra(len(e.data), len(e.payload), o)})
        directory += central_header(f)
    out += directory
    record_offset = len(out)
    out += zip64_end_record(len(entries), len(directory), directory_offset) + record_gap
    out += zip64_locator(record_offset) + locator_gap
    if saturated:
        out += end_record(0xFFFF, SAT32, SAT32)
    else:
        out += end_record(len(entries), len(directory), directory_offset)
    return bytes(out)


def z64_entry(name, data):
    return Entry(name, data, local={"csize": SAT32, "usize": SAT32, "version": 45,
                                    "extra": zip64_extra(len(data), len(data))})


one, two = z64_entry(b"one.txt", b"first member\n"), z64_entry(b"two.txt", b"second member, a little longer\n")
add("ok-zip64.zip", zip64_archive([one, two]), "C5",
    "Control: ZIP64 end record and locator, saturated 32-bit end record, ZIP64 fields in every local and central header.",
    ok([one, two]), control=True)

add("c5-zip64-record-gap.zip", zip64_archive([one, two], record_gap=b"\x00" * 4), "C5",
    "Four bytes between the ZIP64 end record and its locator (the locator points at the record; the 32-bit end record is saturated).",
    fails("invalidZip64EndRecord"))


def zip64_in_comment(record_gap=b"", locator_gap=b""):
    """ZipDiff's use_zip64_eocdr: a 32-bit end record (not saturated) for
    a.txt and b.txt, and hidden in b.txt's central comment a second archive
    (c.txt) with a ZIP64 end record and locator just before the end record."""
    a, b = Entry(b"a.txt", b"content of a.txt\n"), Entry(b"b.txt", b"content of b.txt\n")
    records = a.record() + b.record()
    directory_a = central_header(a.central_fields(0))
    b_fields = b.central_fields(len(a.record()))
    start = len(records) + len(directory_a) + len(central_header(b_fields))  # where b's comment begins
    c = Entry(b"c.txt", b"content of c.txt\n")
    inner = c.record()
    inner_directory = central_header(c.central_fields(start))
    record_offset = start + len(inner) + len(inner_directory)
    inner += inner_directory + zip64_end_record(1, len(inner_directory), start + len(c.record()))
    inner += record_gap + zip64_locator(record_offset) + locator_gap
    b_fields["comment"] = inner
    directory = directory_a + central_header(b_fields)
    assert len(records) + len(directory) - len(inner) == start
    return records + directory + end_record(2, len(directory), len(records)), [a, b]


data, listed = zip64_in_comment()
add("c5-zip64-disagrees-with-end-record.zip", data, "C5",
    "ZipDiff's use_zip64_eocdr: a 32-bit end record (not saturated) lists a.txt and b.txt, the ZIP64 end record before it (hidden in a comment) lists c.txt.",
    fails("invalidZip64EndRecord"))

data, listed = zip64_in_comment(record_gap=b"\x00")
add("c5-zip64-record-gap-unsaturated.zip", data, "C5",
    "As c5-zip64-disagrees-with-end-record.zip with one byte between the ZIP64 end record and its locator (which points at the record).",
    fails("invalidZip64EndRecord"))

data, listed = zip64_in_comment(locator_gap=b"\x00")
add("c5-zip64-locator-gap.zip", data, "C5",
    "As c5-zip64-disagrees-with-end-record.zip with one byte between the ZIP64 locator and the 32-bit end record: a reader that searches for the locator finds c.txt.",
    fails("ambiguousStructure"))

# --- damage stays local ---

entries = [Entry(b"one.txt", b"first\n"), Entry(b"two.txt", b"second\n", central={"offset": 0x7FFF0000}),
           Entry(b"three.txt", b"third\n")]
add("local-offset-past-directory.zip", archive(entries), "none",
    "The middle entry's local header offset lies past the central directory: the archive opens, only that entry fails; its real local record, which the directory does not reach, is a hidden entry to the structure check.",
    ok(entries, reads=["ok", "invalidLocalHeader", "ok"]), structure="hidden")

# --- positive controls: data descriptors in every form ---

for signed in (True, False):
    for wide in (False, True):
        name = f"ok-descriptor-{'signed' if signed else 'unsigned'}-{64 if wide else 32}.zip"
        local = dict(ZEROS)
        if wide:
            local.update({"csize": SAT32, "usize": SAT32, "version": 45, "extra": zip64_extra(0, 0)})
        e = Entry(b"test.txt", TEXT, method=8, flags=BIT_DESCRIPTOR, local=local,
                  descriptor={"signed": signed, "wide": wide})
        add(name, archive([e, good()]), "A2",
            f"Control: a deflated bit 3 entry with a {'signed' if signed else 'unsigned'} {12 + 4 * signed + 8 * wide}-byte data descriptor"
            + (" (local ZIP64 field, sizes deferred)." if wide else " (local values zero)."),
            ok([e, good()]), control=True)

e = Entry(b"test.txt", TEXT, method=8, flags=BIT_DESCRIPTOR, descriptor={})
add("ok-descriptor-local-values.zip", archive([e, good()]), "A2",
    "Control: a bit 3 entry whose local header already holds the real CRC-32 and sizes, as some writers do.",
    ok([e, good()]), control=True)

e = Entry(b"stored.txt", TEXT, flags=BIT_DESCRIPTOR, local=ZEROS, descriptor={})
add("ok-descriptor-stored.zip", archive([e, good()]), "A2",
    "Control: a stored bit 3 entry with a signed descriptor (streaming readers must search for it).",
    ok([e, good()]), control=True)


def python_deflated():
    buffer = io.BytesIO()
    members = [("hello.txt", b"hello, world\n"), ("dir/text.txt", TEXT), ("empty.txt", b"")]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=DT)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            z.writestr(info, data)
    return buffer.getvalue(), [Entry(n.encode(), d) for n, d in members]


data, members = python_deflated()
add("ok-python-deflated.zip", data, "none",
    "Control: an ordinary deflated archive written by Python's zipfile.",
    ok(members), control=True)


# ---------------------------------------------------------------- write ---

def write():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".zip"):
            os.remove(os.path.join(OUT, old))
    manifest = {}
    for name in sorted(cases):
        data, expectation = cases[name]
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        manifest[name] = expectation
    with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(cases)} ambiguity cases to {OUT}")


# ---------------------------------------------------------------- check ---

def summaries():
    """ZipError summary sentence -> code name, from ZipError.swift."""
    with open(os.path.join(ROOT, "Sources/ZipIndex/ZipError.swift"), encoding="utf-8") as f:
        source = f.read()
    found = re.findall(r'case \.(\w+): "((?:[^"\\]|\\.)*)"', source)
    assert found, "no summaries found in ZipError.swift"
    return sorted(((text, code) for code, text in found), key=lambda t: -len(t[0]))


def code_of(line, archive_path, table):
    prefix = f"zipls: {archive_path}: "
    if not line.startswith(prefix):
        return "?" + line
    text = line[len(prefix):]
    for summary, code in table:
        if text.startswith(summary):
            return code
    return "?" + text


def run(zipls, *args):
    return subprocess.run([zipls, *args], capture_output=True, timeout=10)


def check(zipls):
    table = summaries()
    failures = 0
    for name in sorted(cases):
        _, want = cases[name]
        path = os.path.join(OUT, name)
        got = {}
        listing = run(zipls, "list", "--json", path)
        if listing.returncode == 2:
            lines = listing.stderr.decode("utf-8", "replace").splitlines()
            got["open"] = code_of(lines[0], path, table) if lines else "?"
        else:
            got["open"] = "ok"
            got["entries"] = [e["name"] for e in json.loads(listing.stdout)["entries"]]
            test = run(zipls, "test", path)
            reads = ["ok"] * len(got["entries"])
            for line in test.stderr.decode("utf-8", "replace").splitlines():
                # The structure check's own findings: compared with "structure".
                if "hidden entry at offset" in line:
                    got["structure"] = "hidden"
                    continue
                if "earlier data descriptor" in line:
                    got["structure"] = "truncating"
                    continue
                m = re.search(r' in entry "(.*?)"( at offset|: |$)', line)
                index = next((i for i, n in enumerate(got["entries"])
                              if reads[i] == "ok" and m and n == m.group(1)), None)
                if index is None:
                    got.setdefault("unmatched", []).append(line)
                else:
                    reads[index] = code_of(line, path, table)
            got["reads"] = reads
            info = json.loads(run(zipls, "info", "--json", path).stdout)
            got["overlapping"] = info["overlappingEntries"]
            got["hazards"] = {str(n["index"]): n["hazards"] for n in info["names"]}
            content = {}
            for index, entry in enumerate(got["entries"]):
                if (str(index) in want.get("content", {}) and "\x00" not in entry
                        and got["entries"].count(entry) == 1):
                    cat = run(zipls, "cat", path, entry)
                    content[str(index)] = cat.stdout.hex() if cat.returncode == 0 else "error"
            got["content"] = content
        problems = []
        for key in ("open", "entries", "reads", "overlapping", "structure"):
            if (key in want or key == "structure") and got.get(key) != want.get(key):
                problems.append(f"{key}: expected {want[key]!r}, zipls {got.get(key)!r}")
        for index, value in got.get("content", {}).items():
            if want["content"][index] != value:
                problems.append(f"content[{index}]: expected {want['content'][index]}, zipls {value}")
        if got.get("open") == "ok" and got.get("hazards") != want.get("hazards", {}):
            problems.append(f"hazards: expected {want.get('hazards', {})!r}, zipls {got.get('hazards')!r}")
        if got.get("unmatched"):
            problems.append(f"unmatched stderr: {got['unmatched']}")
        label = f"{name} [{want['type']}]" + (f" (pending: {want['pending']})" if "pending" in want else "")
        if problems:
            failures += 1
            print(f"MISMATCH {label}")
            for p in problems:
                print(f"    {p}")
        else:
            verdict = want["open"] if want["open"] != "ok" else "ok " + ",".join(want["reads"])
            print(f"ok       {label}: {verdict}")
    print(f"{len(cases) - failures} cases match zipls, {failures} differ")
    return failures == 0


if __name__ == "__main__":
    args = sys.argv[1:]
    write()
    if "--check" in args:
        zipls = os.path.join(ROOT, ".build/release/zipls")
        if "--zipls" in args:
            zipls = args[args.index("--zipls") + 1]
        sys.exit(0 if check(zipls) else 1)
