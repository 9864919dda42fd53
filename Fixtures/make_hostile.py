#!/usr/bin/env python3
"""Writes the hostile table: Fixtures/hostile/*.zip and expected.json.

Each case is an archive no honest writer makes: structures that point past
the end of the file, counts that lie, overlapping entries, names that
escape, Go's and CVE reproducers. `expected.json` says, per file, what a
correct reader does with it:

    {"open": "ok", "entries": [name, ...], "reads": ["ok" | CODE, ...],
     "overlapping": N, "content": {index: "hex of the entry's bytes"}}
    {"open": CODE}

CODE is a `ZipError.Code` case name. `HostileTableTests` (the library) and
`HostileBinaryTests` (the `zipls` executable) hold ZipIndex to it; the fuzz
targets take the files as seeds.

    python3 Fixtures/make_hostile.py [GO_SOURCE_DIR]

The Go cases are read from Go's own archive/zip tests
(/usr/lib/go-1.19/src/archive/zip by default, from Debian's golang-1.19-go)
so that they are byte for byte Go's; without that directory the committed
copies are kept. Deterministic: two runs give identical files.
"""
import io
import json
import os
import re
import struct
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "hostile")
GO = sys.argv[1] if len(sys.argv) > 1 else "/usr/lib/go-1.19/src/archive/zip"
DT = (2020, 1, 2, 3, 4, 6)

cases = {}  # file name -> (bytes, expectation)


def ok(entries, reads=None, overlapping=0, content=None, hidden=0):
    reads = reads if reads is not None else ["ok"] * len(entries)
    assert len(reads) == len(entries)
    out = {"open": "ok", "entries": entries, "reads": reads, "overlapping": overlapping}
    if hidden:
        # Local records the directory does not reach (ZipArchive.verifyStructure).
        out["hidden"] = hidden
    if content:
        out["content"] = {str(k): v.hex() for k, v in content.items()}
    return out


def fails(code):
    return {"open": code}


def add(name, data, expectation):
    assert name not in cases, name
    cases[name] = (bytes(data), expectation)


def zip_of(members, method=zipfile.ZIP_STORED):
    """A well-formed archive from Python's zipfile (the base to damage)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=DT)
            info.compress_type = method
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            z.writestr(info, data)
    return bytearray(buffer.getvalue())


def end_record(data):
    """Offset of the last end of central directory record (APPNOTE 4.3.16)."""
    position = data.rfind(b"PK\x05\x06")
    assert position >= 0
    return position


def le16(v):
    return struct.pack("<H", v)


def le32(v):
    return struct.pack("<I", v)


def le64(v):
    return struct.pack("<Q", v)


def local_header(name, data, declared=None, crc=None):
    import zlib
    crc = zlib.crc32(data) if crc is None else crc
    size = len(data) if declared is None else declared
    return (le32(0x04034B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21)
            + le32(crc) + le32(len(data)) + le32(size) + le16(len(name)) + le16(0) + name)


def central_header(name, data, offset, declared=None, extra=b"", offset_field=None):
    import zlib
    size = len(data) if declared is None else declared
    return (le32(0x02014B50) + le16(0x0314) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21)
            + le32(zlib.crc32(data)) + le32(len(data)) + le32(size) + le16(len(name))
            + le16(len(extra)) + le16(0) + le16(0) + le16(0) + le32(0o100644 << 16)
            + le32(offset if offset_field is None else offset_field) + name + extra)


def eocd(count, size, offset, comment=b"", declared_comment=None):
    length = len(comment) if declared_comment is None else declared_comment
    return (le32(0x06054B50) + le16(0) + le16(0) + le16(count) + le16(count)
            + le32(size) + le32(offset) + le16(length) + comment)


def handmade(members, comment=b""):
    """Stored members; a member is (name, data) or a dict with overrides:
    "at" (share another member's local header), "declared" (uncompressed
    size), "local_name" (the local header's name), "offset64" (a ZIP64
    local header offset)."""
    out = bytearray()
    central = bytearray()
    offsets = []
    for member in members:
        m = member if isinstance(member, dict) else {"name": member[0], "data": member[1]}
        if "at" in m:
            offsets.append(offsets[m["at"]])
            continue
        offsets.append(len(out))
        out += local_header(m.get("local_name", m["name"]), m["data"], m.get("declared"))
        out += m["data"]
    directory = len(out)
    for member, offset in zip(members, offsets):
        m = member if isinstance(member, dict) else {"name": member[0], "data": member[1]}
        extra = b""
        field = None
        if "offset64" in m:
            extra = le16(0x0001) + le16(8) + le64(m["offset64"])
            field = 0xFFFFFFFF
        central += central_header(m["name"], m["data"], offset, m.get("declared"), extra, field)
    out += central
    out += eocd(len(members), len(central), directory, comment)
    return out


TWO = [(b"one.txt", b"first member\n"), (b"two.txt", b"second member, a little longer\n")]
TWO_NAMES = ["one.txt", "two.txt"]

# ------------------------------------------------ the end record lies ---

base = zip_of([(n.decode(), d) for n, d in TWO])
e = end_record(base)

damaged = bytearray(base)
damaged[e + 16:e + 20] = le32(0x7FFF0000)
add("directory-offset-past-end.zip", damaged, fails("invalidCentralDirectory"))

damaged = bytearray(base)
damaged[e + 8:e + 12] = le16(7) + le16(7)
add("count-too-large.zip", damaged, fails("entryCountMismatch"))

damaged = bytearray(base)
damaged[e + 8:e + 12] = le16(1) + le16(1)
add("count-too-small.zip", damaged, fails("entryCountMismatch"))

damaged = bytearray(base)
damaged[e + 20:e + 22] = le16(200)
damaged += b"only forty bytes of the promised comment"
add("comment-past-end.zip", damaged, fails("commentPastEndOfFile"))

add("zeros-70k.zip", bytes(70_000), fails("notAZipArchive"))
# The last candidate's comment length is "PK": past the end of the file.
# An error, not a reason to try the 17,499 earlier ones (Go issue 66869).
add("end-signatures-70k.zip", b"PK\x05\x06" * 17_500, fails("commentPastEndOfFile"))

# ZIP64: a real ZIP64 archive (zipfile writes ZIP64 end records when
# forced), then the ZIP64 end record's count set to 2^64-1 (CVE-2021-33196's
# idea on an archive of our own) and its offset and size near 2^64 (Go's
# TestBaseOffsetPlusOverflow).
def zip64_archive():
    data = zip_of([(n.decode(), d) for n, d in TWO])
    # zipfile only writes ZIP64 end records past 65,535 entries or 4 GiB;
    # splice them in by hand (APPNOTE 4.3.14, 4.3.15) before the end record.
    e = end_record(data)
    count, = struct.unpack_from("<H", data, e + 10)
    size, offset = struct.unpack_from("<II", data, e + 12)
    record = (le32(0x06064B50) + le64(44) + le16(45) + le16(45) + le32(0) + le32(0)
              + le64(count) + le64(count) + le64(size) + le64(offset))
    locator = le32(0x07064B50) + le32(0) + le64(e) + le32(1)
    tail = bytearray(eocd(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF))
    return data[:e] + record + locator + tail, e


z64, record = zip64_archive()
add("zip64-valid.zip", z64, ok(TWO_NAMES, content={0: TWO[0][1], 1: TWO[1][1]}))

damaged = bytearray(z64)
damaged[record + 24:record + 40] = le64(2**64 - 1) + le64(2**64 - 1)
add("zip64-count-max.zip", damaged, fails("entryCountMismatch"))

damaged = bytearray(z64)
damaged[record + 40:record + 56] = le64(2**64 - 21) + le64(2**64 - 11)
add("zip64-base-offset-overflow.zip", damaged, fails("invalidCentralDirectory"))

# The kind of archive that traps ZIPFoundation 0.9.20 (Data.readStruct;
# this 218-byte one does too): a ZIP64 extra sets the local header offset to
# 2^64 - 256, past the central directory. A bad entry, not a bad archive:
# listed, refused when read, and the other entry reads (as Python, Go and
# UnZip do). Its real local record, which the directory no longer reaches,
# is a hidden entry to the structure check.
add("zip64-offset-2-64-minus-256.zip",
    handmade([{"name": b"a.txt", "data": b"hello\n"},
              {"name": b"b.txt", "data": b"world\n", "offset64": 2**64 - 256}]),
    ok(["a.txt", "b.txt"], reads=["ok", "invalidLocalHeader"], content={0: b"hello\n"}, hidden=1))

# ------------------------------------------------------ entries lie ---

add("huge-declared-size.zip",
    handmade([{"name": b"big", "data": b"tiny", "declared": 0xFFFFFFF0}]),
    ok(["big"], reads=["sizeMismatch"]))

add("local-name-differs.zip",
    handmade([(b"good.txt", b"fine\n"),
              {"name": b"innocent.txt", "data": b"payload\n", "local_name": b"../../evil"}]),
    ok(["good.txt", "innocent.txt"], reads=["ok", "localNameMismatch"]))

# Names that would escape when extracted: listed verbatim, read fine.
escaping = [b"../x", b"/x", b"a\\b", b"nul\x00name", b"C:\\windows", b"dup", b"dup"]
add("escaping-names.zip",
    handmade([(n, b"data of " + n) for n in escaping]),
    ok([n.decode() for n in escaping], content={6: b"data of dup"}))

# ------------------------------------------------ overlapping entries ---

kernel = b"kernel data " * 8
inner = local_header(b"b", kernel) + kernel
quoted = bytearray(local_header(b"a", inner) + inner)
directory = len(quoted)
central = central_header(b"a", inner, 0) + central_header(b"b", kernel, len(local_header(b"a", inner)))
quoted += central + eocd(2, len(central), directory)
add("overlap-quoted.zip", quoted,
    ok(["a", "b"], reads=["overlappingEntries", "ok"], overlapping=1, content={1: kernel}))

bomb = b"z" * 1000
add("overlap-full.zip",
    handmade([(b"k", bomb), {"name": b"k", "data": bomb, "at": 0}, {"name": b"k", "data": bomb, "at": 0}]),
    ok(["k", "k", "k"], reads=["overlappingEntries"] * 3, overlapping=3))

# ------------------------------------------------- Go's test inputs ---

GO_CASES = {
    # name: (Go function holding the data, expectation)
    # Its end record names disk 0x3030 ("00").
    "go-10956-bogus-zip64.zip": ("TestIssue10956", fails("multiDiskArchive")),
    # Not ZIP64: the locator signature 20 bytes before the end record is
    # data. Python refuses it as multi-disk; Go reads it, and so do we.
    "go-12449-stray-zip64-signatures.zip": ("TestIssue12449", ok(["\u2569dU"])),
    # Go opens these and fails reading; their end records are damaged
    # beyond that: disks numbered 0x3030, and a 38-byte directory that
    # cannot hold the one 46-byte header it declares (Python: "Truncated
    # central directory").
    "go-10957-short-data.zip": ("TestIssue10957", fails("multiDiskArchive")),
    "go-11146-truncated-descriptor.zip": ("TestIssue11146", fails("entryCountMismatch")),
    "go-cve-2021-27919.zip": ("TestCVE202127919", ok(["../test.txt"])),
    "go-cve-2021-33196.zip": ("TestCVE202133196", fails("entryCountMismatch")),
    "go-cve-2021-39293.zip": ("TestCVE202139293", fails("invalidZip64EndRecord")),
    "go-cve-2021-41772.zip": ("TestCVE202141772", ok(["/", "//", "\\", "/test.txt"])),
    "go-r-quine.zip": ("rZipBytes", None),
}


def go_function(source, name):
    start = source.index("func " + name + "(")
    end = source.index("\n}\n", start)
    return source[start:end]


def go_string_bytes(body):
    """The bytes of the concatenated Go string literals in `data := ...`."""
    literal = re.search(r"data := \[\]byte\((.*?)\)\n", body, re.S).group(1)
    out = bytearray()
    simple = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, '"': 34, "'": 39}
    for part in re.findall(r'"((?:[^"\\]|\\.)*)"', literal):
        i = 0
        while i < len(part):
            c = part[i]
            if c != "\\":
                out += c.encode()
                i += 1
            elif part[i + 1] == "x":
                out.append(int(part[i + 2:i + 4], 16))
                i += 4
            elif part[i + 1] in "01234567":
                out.append(int(part[i + 1:i + 4], 8))
                i += 4
            else:
                out.append(simple[part[i + 1]])
                i += 2
    return out


def go_byte_array(body):
    literal = re.search(r"data := \[\]byte\{(.*?)\}", body, re.S).group(1)
    return bytearray(int(v, 16) for v in re.findall(r"0x([0-9a-fA-F]{2})", literal))


def go_hex_dump(body):
    dump = re.search(r"s := `(.*?)`", body, re.S).group(1)
    out = bytearray()
    for line in dump.strip().splitlines():
        out += bytes(int(v, 16) for v in line.split()[1:])
    return out


def go_case(source, function):
    body = go_function(source, function)
    if "s := `" in body:
        return go_hex_dump(body)
    if "data := []byte{" in body:
        return go_byte_array(body)
    return go_string_bytes(body)


go_source = None
reader_test = os.path.join(GO, "reader_test.go")
if os.path.exists(reader_test):
    with open(reader_test, encoding="utf-8") as f:
        go_source = f.read()
else:
    print(f"make_hostile.py: {reader_test} not found; keeping the committed Go cases", file=sys.stderr)

for name, (function, expectation) in GO_CASES.items():
    if go_source is not None:
        data = go_case(go_source, function)
    else:
        with open(os.path.join(OUT, name), "rb") as f:
            data = f.read()
    if expectation is None:  # the quine: its one entry is itself
        expectation = ok(["r/r.zip"], content={0: data})
    add(name, data, expectation)

# ---------------------------------------------------------------- write ---

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
print(f"wrote {len(cases)} hostile cases to {OUT}")
