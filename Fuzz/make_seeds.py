#!/usr/bin/env python3
"""Writes the hostile seed corpus for the ZipIndex fuzz targets.

    python3 Fuzz/make_seeds.py            # (re)writes Fuzz/corpus/<target>/
    python3 Fuzz/make_seeds.py --check    # verifies the committed seeds are current

Deterministic: no clocks, no randomness, no zipfile (every byte is laid out
here), so two runs write identical files. The fixtures (Fixtures/*.zip,
*.jar) are the other half of the seed corpus; Fuzz/run.sh adds them at run
time rather than committing second copies.

Targets:
  archive    open from memory, list, look up every name, read every entry
  importer   ZipImporter finds over a fuzzed archive (same seeds, fewer)
  endrecord  the end record and ZIP64 locator/record alone

Every seed is named after what it exercises. The whole corpus stays small
(well under 2 MB); the two 70 KB inputs and the deep-name seeds, 60 to 80
KB, are the largest.
"""

import os
import struct
import sys
import zlib

ROOT = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(ROOT, "corpus")

SIG_LOCAL = 0x04034B50
SIG_CENTRAL = 0x02014B50
SIG_END = 0x06054B50
SIG_ZIP64_END = 0x06064B50
SIG_ZIP64_LOCATOR = 0x07064B50
SIG_DESCRIPTOR = 0x08074B50

DOS_TIME = 0x1882  # 03:04:04
DOS_DATE = 0x5022  # 2020-01-02


# --- Records -----------------------------------------------------------------

def local_header(name, *, method=0, crc=0, csize=0, usize=0, flags=0, extra=b"", version=20,
                 time=DOS_TIME, date=DOS_DATE):
    return struct.pack("<IHHHHHIIIHH", SIG_LOCAL, version, flags, method, time, date,
                       crc, csize, usize, len(name), len(extra)) + name + extra


def central_header(name, *, method=0, crc=0, csize=0, usize=0, offset=0, flags=0, extra=b"",
                   comment=b"", made_by=0x031E, version=20, disk=0, internal=0,
                   external=0o100644 << 16, time=DOS_TIME, date=DOS_DATE):
    return struct.pack("<IHHHHHHIIIHHHHHII", SIG_CENTRAL, made_by, version, flags, method,
                       time, date, crc, csize, usize, len(name), len(extra), len(comment),
                       disk, internal, external, offset) + name + extra + comment


def end_record(count, size, offset, *, comment=b"", disk=0, cd_disk=0, on_disk=None,
               comment_length=None):
    return struct.pack("<IHHHHIIH", SIG_END, disk, cd_disk, count if on_disk is None else on_disk,
                       count, size, offset,
                       len(comment) if comment_length is None else comment_length) + comment


def zip64_end_record(count, size, offset, *, record_size=44, disk=0, cd_disk=0, on_disk=None,
                     extensible=b""):
    return struct.pack("<IQHHIIQQQQ", SIG_ZIP64_END, record_size, 45, 45, disk, cd_disk,
                       count if on_disk is None else on_disk, count, size, offset) + extensible


def zip64_locator(record_offset, *, disk=0, disks=1):
    return struct.pack("<IIQI", SIG_ZIP64_LOCATOR, disk, record_offset, disks)


def zip64_extra(*values):
    body = b"".join(struct.pack("<Q", v) for v in values)
    return struct.pack("<HH", 0x0001, len(body)) + body


def unicode_path_extra(raw_name, unicode_name):
    body = b"\x01" + struct.pack("<I", zlib.crc32(raw_name)) + unicode_name
    return struct.pack("<HH", 0x7075, len(body)) + body


def deflate(data, level=9):
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15, 9)
    return compressor.compress(data) + compressor.flush()


# --- Archives ------------------------------------------------------------------

class Entry:
    """One member. Fields left None are computed from the data."""

    def __init__(self, name, data=b"", *, method=0, compressed=None, crc=None, csize=None,
                 usize=None, flags=0, local_name=None, local_extra=b"", central_extra=b"",
                 comment=b"", offset=None, zip64=False, descriptor=False):
        self.name = name
        self.data = data
        self.method = method
        if compressed is None:
            compressed = deflate(data) if method == 8 else data
        self.compressed = compressed
        self.crc = zlib.crc32(data) if crc is None else crc
        self.csize = len(compressed) if csize is None else csize
        self.usize = len(data) if usize is None else usize
        self.flags = flags | (0x08 if descriptor else 0)
        self.local_name = name if local_name is None else local_name
        self.local_extra = local_extra
        self.central_extra = central_extra
        self.comment = comment
        self.offset = offset
        self.zip64 = zip64
        self.descriptor = descriptor


def build(entries, *, prefix=b"", comment=b"", count=None, cd_size=None, cd_offset=None,
          zip64=False, relative=True, between=b"", after_cd=b"", end_kwargs=None):
    """Lays out prefix, local headers and data, the central directory, an
    optional ZIP64 record and locator, and the end record.

    Offsets are relative to the end of `prefix` when `relative` (a
    self-extractor whose offsets were not adjusted), else absolute."""
    base = 0 if relative else len(prefix)
    body = bytearray()
    centrals = bytearray()
    for e in entries:
        offset = base + len(body)
        if e.zip64:
            lextra = zip64_extra(e.usize, e.csize) + e.local_extra
            body += local_header(e.local_name, method=e.method, crc=e.crc, csize=0xFFFFFFFF,
                                 usize=0xFFFFFFFF, flags=e.flags, extra=lextra, version=45)
        elif e.descriptor:
            body += local_header(e.local_name, method=e.method, flags=e.flags, extra=e.local_extra)
        else:
            body += local_header(e.local_name, method=e.method, crc=e.crc, csize=e.csize,
                                 usize=e.usize, flags=e.flags, extra=e.local_extra)
        body += e.compressed
        if e.descriptor:
            body += struct.pack("<IIII", SIG_DESCRIPTOR, e.crc, e.csize, e.usize)
        stated_offset = offset if e.offset is None else e.offset
        if e.zip64:
            cextra = zip64_extra(e.usize, e.csize, stated_offset) + e.central_extra
            centrals += central_header(e.name, method=e.method, crc=e.crc, csize=0xFFFFFFFF,
                                       usize=0xFFFFFFFF, offset=0xFFFFFFFF, flags=e.flags,
                                       extra=cextra, comment=e.comment, version=45)
        else:
            centrals += central_header(e.name, method=e.method, crc=e.crc, csize=e.csize,
                                       usize=e.usize, offset=stated_offset, flags=e.flags,
                                       extra=e.central_extra, comment=e.comment)
    body += between
    directory_offset = base + len(body)
    out = bytearray(prefix) + body + centrals + after_cd
    n = len(entries) if count is None else count
    size = len(centrals) if cd_size is None else cd_size
    offset = directory_offset if cd_offset is None else cd_offset
    if zip64:
        record_offset = len(out) - len(prefix) + base
        out += zip64_end_record(n, size, offset)
        out += zip64_locator(record_offset)
        out += end_record(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, comment=comment, **(end_kwargs or {}))
    else:
        out += end_record(n, size, offset, comment=comment, **(end_kwargs or {}))
    return bytes(out)


TEXT = b"Hello, fuzzer. " * 12
BASIC = [
    Entry(b"hello.txt", TEXT),
    Entry(b"dir/deflated.txt", TEXT * 3, method=8),
    Entry(b"dir/", b""),
    Entry(b"pkg/__init__.py", b"x = 1\n"),
    Entry(b"pkg/mod.py", b"def f():\n    return 42\n", method=8),
]


def basic():
    return build(BASIC)


def end_of(archive):
    return archive.rindex(struct.pack("<I", SIG_END))


# --- The zip quine -------------------------------------------------------------
#
# A zip whose one member, r/r.zip, inflates to the whole archive, built the
# way Russ Cox built Go's r.zip ("Zip Files All The Way Down"): a DEFLATE
# stream of 5-byte literal (stored block) and repeat (fixed-Huffman block)
# opcodes that prints P + itself + S, where P is the local header and S the
# central directory and end record. The CRC-32 field must hold the CRC of the
# file that contains it: CRC-32 is affine over GF(2), so the fixed point is
# solved for, not searched. This is a reconstruction, not Go's r.zip byte for
# byte.

OP = 5  # every opcode is 5 bytes

# DEFLATE fixed-Huffman length codes: (base length, extra bits) for 257..285.
LENGTH_CODES = [(3, 0), (4, 0), (5, 0), (6, 0), (7, 0), (8, 0), (9, 0), (10, 0), (11, 1), (13, 1),
                (15, 1), (17, 1), (19, 2), (23, 2), (27, 2), (31, 2), (35, 3), (43, 3), (51, 3),
                (59, 3), (67, 4), (83, 4), (99, 4), (115, 4), (131, 5), (163, 5), (195, 5),
                (227, 5), (258, 0)]
DISTANCE_CODES = [(1, 0), (2, 0), (3, 0), (4, 0), (5, 1), (7, 1), (9, 2), (13, 2), (17, 3),
                  (25, 3), (33, 4), (49, 4), (65, 5), (97, 5), (129, 6), (193, 6), (257, 7),
                  (385, 7), (513, 8), (769, 8), (1025, 9), (1537, 9), (2049, 10), (3073, 10),
                  (4097, 11), (6145, 11), (8193, 12), (12289, 12), (16385, 13), (24577, 13)]


class Bits:
    def __init__(self):
        self.bits = []

    def value(self, v, n):  # LSB first: header fields and extra bits
        self.bits += [(v >> i) & 1 for i in range(n)]

    def code(self, v, n):  # MSB first: Huffman codes
        self.bits += [(v >> (n - 1 - i)) & 1 for i in range(n)]

    def tobytes(self):
        out = bytearray()
        for i in range(0, len(self.bits), 8):
            out.append(sum(b << j for j, b in enumerate(self.bits[i:i + 8])))
        return bytes(out)


def fixed_length(bits, length):
    index = max(i for i, (b, _) in enumerate(LENGTH_CODES) if b <= length)
    if length == 258:
        index = 28
    base, extra = LENGTH_CODES[index]
    symbol = 257 + index
    if symbol <= 279:
        bits.code(symbol - 256, 7)
    else:
        bits.code(0xC0 + symbol - 280, 8)
    bits.value(length - base, extra)


def fixed_distance(bits, distance):
    index = max(i for i, (b, _) in enumerate(DISTANCE_CODES) if b <= distance)
    base, extra = DISTANCE_CODES[index]
    bits.code(index, 5)
    bits.value(distance - base, extra)


def literal_op(n, final=False):
    return bytes([1 if final else 0]) + struct.pack("<HH", n, n ^ 0xFFFF)


def repeat_op(n, final=False):
    """Copies the last n bytes: one fixed-Huffman block of copies at distance
    n, then empty fixed blocks, exactly 40 bits (the last one at most 40)."""
    def splits(total, parts):
        if parts == 1:
            if 3 <= total <= 258:
                yield [total]
            return
        for first in range(3, min(258, total - 3) + 1):
            for rest in splits(total - first, parts - 1):
                yield [first] + rest

    for parts in (1, 2, 3):
        for lengths in splits(n, parts):
            for empties in (0, 1, 2):
                bits = Bits()
                bits.value(1 if final and empties == 0 else 0, 1)
                bits.value(1, 2)  # BTYPE 01, fixed Huffman
                for length in lengths:
                    fixed_length(bits, length)
                    fixed_distance(bits, n)
                bits.code(0, 7)  # end of block
                for k in range(empties):
                    bits.value(1 if final and k == empties - 1 else 0, 1)
                    bits.value(1, 2)
                    bits.code(0, 7)
                if len(bits.bits) == 8 * OP or (final and len(bits.bits) <= 8 * OP):
                    bits.bits += [0] * (8 * OP - len(bits.bits))
                    return bits.tobytes()
    return None


def quine_stream(p, s):
    """The DEFLATE stream Q with inflate(Q) == p + Q + s."""
    P, S = len(p), len(s)
    L, R = literal_op, repeat_op
    ops = [
        L(P + OP) + p + L(P + OP),
        R(P + OP),
        L(OP) + R(P + OP),
        L(OP) + L(OP),
        L(4 * OP) + R(P + OP) + L(OP) + L(OP) + L(4 * OP),
        R(4 * OP),
        L(4 * OP) + R(4 * OP) + L(4 * OP) + R(4 * OP) + L(4 * OP),
        R(4 * OP),
        L(4 * OP) + R(4 * OP) + L(0) + L(0) + L(S + OP),
        R(4 * OP),
        L(0),
        L(0),
        L(S + OP) + R(S + OP, final=True) + s,
        R(S + OP, final=True),
    ]
    return b"".join(ops)


def quine():
    name = b"r/r.zip"
    for pad in range(0, 64):  # pad the local extra until every repeat fits 40 bits
        local_extra = struct.pack("<HH", 0xCAFE, pad) + b"\0" * pad if pad else b""
        p_len = 30 + len(name) + len(local_extra)
        s_len = 46 + len(name) + 22
        if None in (repeat_op(p_len + OP), repeat_op(4 * OP), repeat_op(s_len + OP, final=True)):
            continue
        q_len = len(quine_stream(b"\0" * p_len, b"\0" * s_len))
        total = p_len + q_len + s_len

        def assemble(crc):
            p = local_header(name, method=8, crc=crc, csize=q_len, usize=total, extra=local_extra)
            s = central_header(name, method=8, crc=crc, csize=q_len, usize=total, offset=0)
            s += end_record(1, 46 + len(name), p_len + q_len)
            return p + quine_stream(p, s) + s

        # crc32(assemble(x)) is affine in x: find x with crc32(assemble(x)) == x.
        zero = zlib.crc32(assemble(0))
        columns = [zlib.crc32(assemble(1 << i)) ^ zero for i in range(32)]
        # Solve (A + I) x = zero over GF(2); rows are output bits.
        rows = []
        for bit in range(32):
            row = 0
            for i in range(32):
                if (columns[i] >> bit) & 1:
                    row |= 1 << i
            row ^= 1 << bit
            rows.append([row, (zero >> bit) & 1])
        solution = solve_gf2(rows)
        if solution is None:
            continue
        archive = assemble(solution)
        assert zlib.crc32(archive) == solution
        assert zlib.decompressobj(-15).decompress(archive[p_len:p_len + q_len]) == archive
        return archive
    raise SystemExit("could not build the quine")


def solve_gf2(rows):
    rows = [r[:] for r in rows]
    pivots = []
    r = 0
    for col in range(32):
        pivot = next((i for i in range(r, 32) if (rows[i][0] >> col) & 1), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        for i in range(32):
            if i != r and (rows[i][0] >> col) & 1:
                rows[i][0] ^= rows[r][0]
                rows[i][1] ^= rows[r][1]
        pivots.append(col)
        r += 1
    if any(row[0] == 0 and row[1] for row in rows):
        return None
    x = 0
    for i, col in enumerate(pivots):
        if rows[i][1]:
            x |= 1 << col
    return x


# --- Seeds -----------------------------------------------------------------------

def hostile():
    """(name, bytes) for every hand-made seed, for the archive target."""
    seeds = {}
    good = basic()
    end = end_of(good)
    cd_offset = struct.unpack_from("<I", good, end + 16)[0]
    cd_size = struct.unpack_from("<I", good, end + 12)[0]
    seeds["basic.zip"] = good

    # Truncations: inside the end record, the directory, a local header, the data.
    for label, cut in [("end-record", end + 10), ("directory", cd_offset + cd_size // 2),
                       ("local-header", 12), ("data", 30 + 9 + 40), ("last-byte", len(good) - 1)]:
        seeds[f"truncated-{label}.zip"] = good[:cut]
    z64 = build([Entry(b"big.txt", TEXT, zip64=True), Entry(b"small.txt", b"small")], zip64=True)
    seeds["zip64.zip"] = z64
    seeds["truncated-zip64-record.zip"] = z64[:end_of(z64) - 20 - 30] + z64[end_of(z64) - 20:]
    seeds["truncated-zip64-locator.zip"] = z64[:end_of(z64) - 8] + z64[end_of(z64):]

    # The directory's offset past the end of the file, or overflowing.
    seeds["cd-offset-past-eof.zip"] = build(BASIC, cd_offset=len(good) + 1000)
    seeds["cd-size-past-eof.zip"] = build(BASIC, cd_size=0x7FFFFFFF)
    seeds["cd-offset-max.zip"] = build(BASIC, cd_offset=0xFFFFFFFE)
    seeds["base-offset-negative.zip"] = build(BASIC, cd_offset=cd_offset + 7, cd_size=cd_size + 9)
    seeds["base-offset-overflow-zip64.zip"] = (
        lambda body: body + zip64_end_record(1, 2**64 - 16, 2**64 - 16)
        + zip64_locator(len(body)) + end_record(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF))(
        build([Entry(b"a", b"a")])[:-22])
    seeds["base-offset-overflow-prepended.zip"] = build(
        [Entry(b"a", b"a", zip64=True, offset=2**64 - 256)], prefix=b"#!/bin/sh\n" * 8)

    # Entry counts that disagree with the directory.
    seeds["count-too-high.zip"] = build(BASIC, count=len(BASIC) + 3)
    seeds["count-too-low.zip"] = build(BASIC, count=1)
    seeds["count-zero.zip"] = build(BASIC, count=0)
    seeds["count-on-disk-differs.zip"] = build(BASIC, end_kwargs={"on_disk": 2})
    seeds["count-65535-zip32.zip"] = build(BASIC, count=0xFFFF)
    # CVE-2021-33196: a ZIP64 count of 2^64 - 1 must not size an allocation.
    small = build([Entry(b"a", b"a")], zip64=True)
    z = bytearray(small)
    rec = end_of(small) - 20 - 56
    struct.pack_into("<QQ", z, rec + 24, 2**64 - 1, 2**64 - 1)
    seeds["count-2pow64-1-zip64.zip"] = bytes(z)
    struct.pack_into("<QQ", z, rec + 24, 2**62, 2**62)
    seeds["count-2pow62-zip64.zip"] = bytes(z)

    # A ZIP64 extra moving the local header offset to 2^64 - 256.
    seeds["zip64-extra-offset-2pow64-256.zip"] = build(
        [Entry(b"a.txt", TEXT, zip64=True, offset=2**64 - 256), Entry(b"b.txt", b"b")])
    seeds["zip64-extra-sizes-huge.zip"] = build(
        [Entry(b"a.txt", TEXT, method=8, zip64=True, usize=2**64 - 1, csize=2**63)])
    seeds["zip64-extra-usize-max.zip"] = build(
        [Entry(b"a.txt", TEXT, method=8, zip64=True, usize=2**64 - 1),
         Entry(b"b.txt", TEXT, zip64=True, usize=2**64 - 1, csize=len(TEXT))])
    seeds["zip64-extra-short.zip"] = build(
        [Entry(b"a.txt", b"x", usize=0xFFFFFFFF, central_extra=struct.pack("<HHI", 1, 4, 1))])

    # Comments.
    seeds["comment-past-eof.zip"] = build(BASIC, comment=b"short", end_kwargs={"comment_length": 100})
    seeds["comment-max-declared.zip"] = build(BASIC, end_kwargs={"comment_length": 0xFFFF})
    seeds["comment-with-end-signature.zip"] = build(
        BASIC, comment=b"PK\x05\x06" + b"\0" * 18)
    seeds["comment-cp437.zip"] = build(BASIC, comment=bytes(range(128, 256)))

    # Big and repetitive.
    seeds["zeros-70k.bin"] = b"\0" * (70 * 1024)
    seeds["end-signatures-70k.bin"] = struct.pack("<I", SIG_END) * (70 * 1024 // 4)

    # Go issue 10956: a bogus ZIP64 end record with huge values.
    bogus = bytearray(build([Entry(b"a", b"a")])[:-22])
    record_at = len(bogus)
    bogus += zip64_end_record(2**64 - 1, 2**64 - 1, 2**63, record_size=2**64 - 1,
                              on_disk=7, disk=0xFFFFFFFF)
    bogus += zip64_locator(record_at)
    bogus += end_record(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    seeds["go-10956-bogus-zip64-record.zip"] = bytes(bogus)
    seeds["zip64-locator-past-eof.zip"] = (lambda b: b + zip64_locator(2**40)
                                           + end_record(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF))(
        build([Entry(b"a", b"a")])[:-22])
    seeds["zip64-locator-points-at-itself.zip"] = (lambda b: b + zip64_locator(len(b))
                                                   + end_record(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF))(
        build([Entry(b"a", b"a")])[:-22])
    seeds["zip64-record-size-small.zip"] = (
        lambda b: b + zip64_end_record(1, 0, 0, record_size=12) + zip64_locator(len(b))
        + end_record(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF))(build([Entry(b"a", b"a")])[:-22])
    seeds["zip64-multidisk-locator.zip"] = (
        lambda b: b + zip64_end_record(1, 0, 0) + zip64_locator(len(b), disk=3, disks=5)
        + end_record(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF))(build([Entry(b"a", b"a")])[:-22])
    seeds["zip64-disagrees-with-end-record.zip"] = (
        lambda b: b[:-6] + struct.pack("<IH", 12345, 0))(z64)
    seeds["zip64-prepended.zip"] = build([Entry(b"big.txt", TEXT, zip64=True)], zip64=True,
                                         prefix=b"MZ" + b"\0" * 62)
    seeds["multidisk.zip"] = build(BASIC, end_kwargs={"disk": 1, "cd_disk": 1})

    # Go issue 12449: stray ZIP64 signatures where nothing needs ZIP64.
    stray = Entry(b"stray.bin", struct.pack("<IIQI", SIG_ZIP64_LOCATOR, 0, 0, 1))
    seeds["go-12449-stray-locator-in-data.zip"] = build([Entry(b"a", b"a"), stray])
    # The last central header's comment ends with a locator, 20 bytes before
    # the end record; the end record has no saturated field.
    seeds["go-12449-stray-locator-before-end.zip"] = build(
        [Entry(b"a", b"a"), Entry(b"b", b"b", comment=zip64_locator(0))])
    seeds["go-12449-stray-zip64-record-in-comment.zip"] = build(
        [Entry(b"a", b"a")], comment=zip64_end_record(1, 47, 0) + zip64_locator(0))

    # Names.
    seeds["names-hostile.zip"] = build([
        Entry(b"../x", b"dotdot"), Entry(b"/x", b"absolute"), Entry(b"a\\b", b"backslash"),
        Entry(b"a\0b", b"nul"), Entry(b"", b"empty name"), Entry(b"./x", b"dot"),
        Entry(b"x/../../y", b"deep"), Entry(b"C:\\x", b"drive"), Entry(b"//", b""),
        Entry(b"a//b", b"double slash"), Entry(b"\xff\xfe", b"cp437"),
        Entry(b"caf\xc3\xa9", b"utf8", flags=0x800),
    ])
    seeds["name-invalid-utf8-flagged.zip"] = build([Entry(b"\xc3\x28", b"x", flags=0x800)])
    seeds["name-unicode-path-extra.zip"] = build([
        Entry(b"caf\x82", b"x", central_extra=unicode_path_extra(b"caf\x82", "café".encode())),
        Entry(b"bad", b"y", central_extra=unicode_path_extra(b"other", b"\xff")),
    ])
    seeds["names-duplicate.zip"] = build([
        Entry(b"dup.txt", b"first"), Entry(b"dup.txt", b"second", method=8),
        Entry(b"d/", b""), Entry(b"d", b"file named like a dir"), Entry(b"d/", b""),
    ])
    seeds["names-long.zip"] = build([Entry(b"a/" * 300 + b"z", b"deep"), Entry(b"n" * 1000, b"long")])
    # Names thousands of components deep: every name is scanned for
    # hazards, resolved into a path, keyed for collisions and split into
    # directories, and each of those must stay linear in the name's length
    # (the 32,000-slash name in Fuzz/regressions/archive/ found the first).
    seeds["names-deep-components.zip"] = build([
        Entry(b"a/" * 4000 + b"f", b"deep"), Entry(b"./" * 4000 + b"f", b"dots"),
        Entry(b"../" * 2500 + b"f", b"climbs"), Entry(b"con/" * 2000 + b"f", b"devices"),
    ])
    seeds["names-deep-collisions.zip"] = build([
        Entry(b"A" * 8000, b"upper"), Entry(b"a" * 8000, b"lower"),
        Entry("é/".encode() * 2500 + b"f", b"lower", flags=0x800),
        Entry("É/".encode() * 2500 + b"f", b"upper", flags=0x800),
        Entry(b"\\" * 8000, b"backslashes"),
    ])
    seeds["local-name-differs.zip"] = build([Entry(b"central.txt", b"x", local_name=b"local.txt")])
    seeds["local-name-longer.zip"] = build([Entry(b"a", b"x", local_name=b"a" * 300)])

    # Sizes that lie.
    seeds["huge-declared-size-deflated.zip"] = build(
        [Entry(b"bomb.txt", b"tiny", method=8, usize=0xFFFFFFFE)])
    seeds["huge-declared-size-stored.zip"] = build(
        [Entry(b"big.txt", b"tiny", usize=0xFFFFFFFE, csize=0xFFFFFFFE)])
    seeds["huge-declared-size-zip64.zip"] = build(
        [Entry(b"big.txt", b"tiny", method=8, zip64=True, usize=2**62)])
    seeds["size-too-small-deflated.zip"] = build(
        [Entry(b"a.txt", TEXT * 4, method=8, usize=10)])
    seeds["bomb-1mb.zip"] = build([Entry(b"zeros", b"\0" * (1 << 20), method=8)])
    seeds["deflate-truncated-stream.zip"] = build(
        [Entry(b"a.txt", TEXT, method=8, compressed=deflate(TEXT)[:-6])])
    seeds["deflate-garbage.zip"] = build(
        [Entry(b"a.txt", TEXT, method=8, compressed=b"\xff" * 40)])
    seeds["crc-wrong.zip"] = build([Entry(b"a.txt", TEXT, crc=0xDEADBEEF)])

    # Flags and methods.
    seeds["data-descriptor.zip"] = build([Entry(b"dd.txt", TEXT, method=8, descriptor=True),
                                          Entry(b"dd2.txt", b"stored", descriptor=True)])
    seeds["encrypted-flag.zip"] = build([Entry(b"secret", b"x", flags=1)])
    seeds["methods-unsupported.zip"] = build([Entry(b"m%d" % m, b"x", method=m) for m in
                                              (1, 6, 9, 12, 14, 93, 95, 99, 0xFFFF)])
    seeds["local-header-bad-signature.zip"] = (lambda b: b"XX" + b[2:])(basic())
    seeds["local-offset-inside-directory.zip"] = build(
        [Entry(b"a", b"a", offset=len(local_header(b"a")) + 1)])
    seeds["overlapping-entries.zip"] = build(
        [Entry(b"a", TEXT), Entry(b"b", TEXT, offset=0), Entry(b"c", TEXT, offset=0)])
    seeds["prepended.zip"] = build(BASIC, prefix=b"#!/usr/bin/env python3\n")
    seeds["prepended-absolute.zip"] = build(BASIC, prefix=b"#!/usr/bin/env python3\n",
                                            relative=False)
    seeds["digital-signature-record.zip"] = build(
        BASIC, after_cd=struct.pack("<IH", 0x05054B50, 3) + b"sig")
    seeds["empty.zip"] = end_record(0, 0, 0)

    # Zip files all the way down.
    seeds["quine-r.zip"] = quine()
    return seeds


END_RECORD_SEEDS = [
    "basic.zip", "zip64.zip", "zip64-prepended.zip", "prepended.zip", "empty.zip",
    "truncated-end-record.zip", "truncated-zip64-record.zip", "truncated-zip64-locator.zip",
    "cd-offset-past-eof.zip", "cd-size-past-eof.zip", "cd-offset-max.zip",
    "base-offset-negative.zip", "base-offset-overflow-zip64.zip", "count-on-disk-differs.zip",
    "count-2pow64-1-zip64.zip", "comment-past-eof.zip", "comment-max-declared.zip",
    "comment-with-end-signature.zip", "zeros-70k.bin", "end-signatures-70k.bin",
    "go-10956-bogus-zip64-record.zip", "zip64-locator-past-eof.zip",
    "zip64-locator-points-at-itself.zip", "zip64-record-size-small.zip",
    "zip64-multidisk-locator.zip", "zip64-disagrees-with-end-record.zip", "multidisk.zip",
    "go-12449-stray-locator-in-data.zip", "go-12449-stray-locator-before-end.zip",
    "go-12449-stray-zip64-record-in-comment.zip", "digital-signature-record.zip",
]


def python_package():
    """A small importable tree for the importer target."""
    return build([
        Entry(b"pkg/__init__.py", b""), Entry(b"pkg/mod.py", b"x = 1\n", method=8),
        Entry(b"pkg/sub/__init__.py", b""), Entry(b"pkg/sub/leaf.py", b"y = 2\n"),
        Entry(b"ns/portion.py", b"z = 3\n"), Entry(b"top.py", b"print('top')\n"),
        Entry(b"lib/pkg2/__init__.py", b""), Entry(b"data/", b""),
        Entry(b"dup.py", b"a"), Entry(b"dup.py", b"b"), Entry(b"dup/__init__.py", b""),
        Entry(b"weird..py", b""), Entry(b".py", b""), Entry(b"__init__.py", b"root"),
    ])


IMPORTER_SEEDS = ["basic.zip", "names-hostile.zip", "names-duplicate.zip", "prepended.zip",
                  "zip64.zip", "quine-r.zip", "local-name-differs.zip", "count-too-high.zip"]


def corpus():
    seeds = hostile()
    result = {"archive": dict(seeds)}
    result["endrecord"] = {name: seeds[name] for name in END_RECORD_SEEDS}
    result["importer"] = {name: seeds[name] for name in IMPORTER_SEEDS}
    result["importer"]["python-package.zip"] = python_package()
    return result


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for target, seeds in corpus().items():
        directory = os.path.join(CORPUS, target)
        os.makedirs(directory, exist_ok=True)
        present = set(os.listdir(directory))
        for name, data in sorted(seeds.items()):
            path = os.path.join(directory, name)
            if check:
                with open(path, "rb") as f:
                    if f.read() != data:
                        stale.append(path)
            else:
                with open(path, "wb") as f:
                    f.write(data)
            present.discard(name)
        for name in sorted(present):
            if check:
                stale.append(os.path.join(directory, name) + " (not generated)")
            else:
                os.remove(os.path.join(directory, name))
        total = sum(len(d) for d in seeds.values())
        print(f"{target}: {len(seeds)} seeds, {total} bytes")
    if stale:
        print("stale:\n  " + "\n  ".join(stale))
        sys.exit(1)


if __name__ == "__main__":
    main()
