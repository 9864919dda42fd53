#!/usr/bin/env python3
"""Helper for Fixtures/generate.sh: writes, crafts or post-processes the
fixtures that Info-ZIP / jar cannot produce by themselves, and checks that
every fixture has the property it is named after.

Usage:
    make_fixtures.py build NAME OUT [IN]   write one fixture (see BUILDERS)
    make_fixtures.py check DIR             verify all fixtures in DIR

Everything is deterministic: fixed timestamps, fixed contents, no randomness.
"""
import hashlib
import io
import os
import struct
import subprocess
import sys
import warnings
import zipfile
import zlib

DT = (2020, 1, 2, 3, 4, 6)          # DOS date/time used for every entry
UNIX_MTIME = 1577934246             # 2020-01-02T03:04:06Z
FILE_ATTR = 0o100644 << 16          # -rw-r--r-- regular file
DIR_ATTR = (0o040755 << 16) | 0x10  # drwxr-xr-x + MS-DOS directory bit

SIG_LOCAL = 0x04034B50
SIG_CENTRAL = 0x02014B50
SIG_EOCD = 0x06054B50
SIG_EOCD64 = 0x06064B50
SIG_LOC64 = 0x07064B50
SIG_DD = 0x08074B50


# --------------------------------------------------------------------------
# small helpers

def text(lines, fmt):
    return "".join(fmt % i for i in range(1, lines + 1)).encode()


LOREM = text(60, "Line %03d: The quick brown fox jumps over the lazy dog.\n")


def zinfo(name, method=zipfile.ZIP_STORED, attr=FILE_ATTR, dt=DT):
    zi = zipfile.ZipInfo(name, date_time=dt)
    zi.compress_type = method
    zi.create_system = 3
    zi.external_attr = attr
    return zi


def dos_time(dt):
    y, mo, d, h, mi, s = dt
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


def raw_deflate(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def extra_field(tag, payload):
    return struct.pack("<HH", tag, len(payload)) + payload


def unicode_path_extra(raw_name, utf8_name, crc=None):
    """Info-ZIP Unicode Path extra field (0x7075), version 1."""
    if crc is None:
        crc = zlib.crc32(raw_name)
    return extra_field(0x7075, struct.pack("<BI", 1, crc) + utf8_name.encode("utf-8"))


def iter_extra(extra):
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        yield tag, extra[i + 4:i + 4 + size]
        i += 4 + size


class RawEntry:
    """One member for raw_zip(): every header field is under our control."""

    def __init__(self, name, data, method=0, flags=0, local_extra=b"",
                 central_extra=None, comment=b"", create_system=3,
                 create_version=20, extract_version=20, external_attr=FILE_ATTR,
                 dt=DT, descriptor=None):
        self.name, self.data, self.method, self.flags = name, data, method, flags
        self.local_extra = local_extra
        self.central_extra = local_extra if central_extra is None else central_extra
        self.comment, self.create_system = comment, create_system
        self.create_version, self.extract_version = create_version, extract_version
        self.external_attr, self.dt = external_attr, dt
        self.descriptor = descriptor  # None, "sig" or "nosig"


def raw_zip(entries, comment=b""):
    out, cd = bytearray(), bytearray()
    for e in entries:
        comp = raw_deflate(e.data) if e.method == 8 else e.data
        crc, t, d = zlib.crc32(e.data), *dos_time(e.dt)
        flags = e.flags | (0x08 if e.descriptor else 0)
        off = len(out)
        lcrc, lcs, lus = (0, 0, 0) if e.descriptor else (crc, len(comp), len(e.data))
        out += struct.pack("<IHHHHHIIIHH", SIG_LOCAL, e.extract_version, flags,
                           e.method, t, d, lcrc, lcs, lus, len(e.name),
                           len(e.local_extra))
        out += e.name + e.local_extra + comp
        if e.descriptor == "sig":
            out += struct.pack("<IIII", SIG_DD, crc, len(comp), len(e.data))
        elif e.descriptor == "nosig":
            out += struct.pack("<III", crc, len(comp), len(e.data))
        cd += struct.pack("<IBBHHHHHIIIHHHHHII", SIG_CENTRAL, e.create_version,
                          e.create_system, e.extract_version, flags, e.method, t, d,
                          crc, len(comp), len(e.data), len(e.name),
                          len(e.central_extra), len(e.comment), 0, 0,
                          e.external_attr, off)
        cd += e.name + e.central_extra + e.comment
    cd_off = len(out)
    out += cd
    out += struct.pack("<IHHHHIIH", SIG_EOCD, 0, 0, len(entries), len(entries),
                       len(cd), cd_off, len(comment)) + comment
    return bytes(out)


def parse(data):
    """Minimal parser for well-formed, prefix-free archives (used for
    patching and checking).  Returns (eocd dict, [entry dict])."""
    pos = data.rfind(b"PK\x05\x06")
    if pos < 0:
        raise ValueError("no end record")
    (_, disk, cd_disk, n_disk, n, cd_size, cd_off,
     clen) = struct.unpack_from("<IHHHHIIH", data, pos)
    eocd = dict(pos=pos, count=n, cd_size=cd_size, cd_off=cd_off, comment_len=clen,
                comment=data[pos + 22:pos + 22 + clen])
    if pos >= 20 and data[pos - 20:pos - 16] == b"PK\x06\x07":
        e64 = struct.unpack_from("<Q", data, pos - 12)[0]
        f = struct.unpack_from("<IQHHIIQQQQ", data, e64)
        if f[0] != SIG_EOCD64:
            raise ValueError("bad zip64 end record")
        n, cd_size, cd_off = f[7], f[8], f[9]
    cd_off, cd_size = int(cd_off), int(cd_size)
    entries, p = [], cd_off
    for _ in range(n):
        f = struct.unpack_from("<IBBHHHHHIIIHHHHHII", data, p)
        if f[0] != SIG_CENTRAL:
            raise ValueError("bad central header at %d" % p)
        nl, xl, cl, lho = f[11], f[12], f[13], f[17]
        name = data[p + 46:p + 46 + nl]
        cextra = data[p + 46 + nl:p + 46 + nl + xl]
        ccomment = data[p + 46 + nl + xl:p + 46 + nl + xl + cl]
        e = dict(cd=p, create_version=f[1], create_system=f[2], extract_version=f[3],
                 flags=f[4], method=f[5], time=f[6], date=f[7], crc=f[8],
                 csize=f[9], usize=f[10], name=name, cextra=cextra,
                 comment=ccomment, attr=f[16], lho=lho)
        lf = struct.unpack_from("<IHHHHHIIIHH", data, lho)
        if lf[0] != SIG_LOCAL:
            raise ValueError("bad local header at %d" % lho)
        e.update(lflags=lf[2], lcrc=lf[6], lcsize=lf[7], lusize=lf[8],
                 lname=data[lho + 30:lho + 30 + lf[9]],
                 lextra=data[lho + 30 + lf[9]:lho + 30 + lf[9] + lf[10]],
                 data_off=lho + 30 + lf[9] + lf[10])
        csize = e["csize"]
        for tag, payload in iter_extra(cextra):
            if tag == 1 and csize == 0xFFFFFFFF:
                vals = struct.unpack_from("<%dQ" % (len(payload) // 8), payload)
                csize = vals[1] if e["usize"] == 0xFFFFFFFF else vals[0]
        e["real_csize"] = csize
        entries.append(e)
        p += 46 + nl + xl + cl
    return eocd, entries


def put(buf, off, fmt, *vals):
    struct.pack_into(fmt, buf, off, *vals)


# --------------------------------------------------------------------------
# ZipCrypto (traditional PKWARE encryption), used to make `zip -P` output
# deterministic: Info-ZIP fills the 12-byte encryption header with random
# bytes, so we decrypt and re-encrypt each member with a fixed header.

CRC_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0xEDB88320 if _c & 1 else _c >> 1
    CRC_TABLE.append(_c)


class ZipCrypto:
    def __init__(self, password):
        self.k = [0x12345678, 0x23456789, 0x34567890]
        for ch in password:
            self.update(ch)

    def update(self, ch):
        k = self.k
        k[0] = (k[0] >> 8) ^ CRC_TABLE[(k[0] ^ ch) & 0xFF]
        k[1] = (k[1] + (k[0] & 0xFF)) & 0xFFFFFFFF
        k[1] = (k[1] * 134775813 + 1) & 0xFFFFFFFF
        k[2] = (k[2] >> 8) ^ CRC_TABLE[(k[2] ^ (k[1] >> 24)) & 0xFF]

    def stream(self):
        t = (self.k[2] | 2) & 0xFFFF
        return ((t * (t ^ 1)) >> 8) & 0xFF

    def decrypt(self, data):
        out = bytearray()
        for c in data:
            p = c ^ self.stream()
            self.update(p)
            out.append(p)
        return bytes(out)

    def encrypt(self, data):
        out = bytearray()
        for p in data:
            out.append(p ^ self.stream())
            self.update(p)
        return bytes(out)


def normalize_crypt(src, dst, password=b"secret"):
    data = bytearray(open(src, "rb").read())
    _, entries = parse(bytes(data))
    for e in entries:
        if not e["flags"] & 1:
            continue
        start, size = e["data_off"], e["real_csize"]
        plain = ZipCrypto(password).decrypt(data[start:start + size])
        check = (e["time"] >> 8) if e["flags"] & 8 else (e["crc"] >> 24)
        if plain[11] != check & 0xFF:
            raise SystemExit("wrong password / check byte for %r" % e["name"])
        header = hashlib.sha256(b"zipcrypto-header:" + e["name"]).digest()[:11]
        data[start:start + size] = ZipCrypto(password).encrypt(header + plain[11:])
    open(dst, "wb").write(data)


# --------------------------------------------------------------------------
# builders: each writes OUT (and may read IN, an Info-ZIP made archive)

class NonSeekable(io.RawIOBase):
    """A write-only stream without tell()/seek(), like a pipe."""

    def __init__(self):
        self.buf = bytearray()

    def writable(self):
        return True

    def seekable(self):
        return False

    def tell(self):
        raise OSError("not seekable")

    def write(self, b):
        self.buf += b
        return len(b)


def b_mixed(out):
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zinfo("stored.txt", zipfile.ZIP_STORED), LOREM[:700])
        zf.writestr(zinfo("deflated.txt", zipfile.ZIP_DEFLATED), LOREM)
        zf.writestr(zinfo("small-stored.txt"), b"tiny\n")
        zf.writestr(zinfo("dir/deflated-again.txt", zipfile.ZIP_DEFLATED), LOREM[:1500])


def b_empty(out):
    with zipfile.ZipFile(out, "w"):
        pass


def b_empty_entry(out):
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zinfo("empty-stored.txt", zipfile.ZIP_STORED), b"")
        zf.writestr(zinfo("empty-deflated.txt", zipfile.ZIP_DEFLATED), b"")
        zf.writestr(zinfo("not-empty.txt", zipfile.ZIP_DEFLATED), b"not empty\n")


def max_comment_bytes():
    pat = b"max-comment 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ\n"
    return (pat * (65535 // len(pat) + 1))[:65535]


def b_max_comment(out):
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zinfo("hello.txt", zipfile.ZIP_DEFLATED), b"Hello, world!\n")
        zf.comment = max_comment_bytes()


def b_entry_comments(out):
    with zipfile.ZipFile(out, "w") as zf:
        zi = zinfo("first.txt", zipfile.ZIP_DEFLATED)
        zi.comment = b"comment on the first entry"
        zf.writestr(zi, b"first\n")
        zf.writestr(zinfo("no-comment.txt"), b"second\n")
        zi = zinfo("third.txt")
        zi.comment = b"third entry: a longer comment, with punctuation; and digits 12345."
        zf.writestr(zi, b"third\n")
        zf.comment = b"archive comment next to entry comments"


def b_zip64_python(out):
    with zipfile.ZipFile(out, "w") as zf:
        for zi, data in ((zinfo("deflated.txt", zipfile.ZIP_DEFLATED), LOREM),
                         (zinfo("stored.txt"), b"stored with force_zip64\n")):
            with zf.open(zi, "w", force_zip64=True) as f:
                f.write(data)


def b_data_descriptor_python(out):
    stream = NonSeekable()
    with zipfile.ZipFile(stream, "w") as zf:
        zf.writestr(zinfo("deflated.txt", zipfile.ZIP_DEFLATED), LOREM)
        zf.writestr(zinfo("stored.txt"), b"stored, written to a pipe\n")
        zf.writestr(zinfo("empty.txt", zipfile.ZIP_DEFLATED), b"")
    open(out, "wb").write(bytes(stream.buf))


def b_data_descriptor_nosig(out):
    open(out, "wb").write(raw_zip([
        RawEntry(b"deflated.txt", LOREM, method=8, descriptor="nosig"),
        RawEntry(b"stored.txt", b"stored, descriptor without signature\n",
                 descriptor="nosig"),
    ]))


def b_utf8_flag(out):
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zinfo("ascii.txt"), b"plain ascii name\n")
        zf.writestr(zinfo("\u4e16\u754c.txt"), "\u4e16\u754c\n".encode())
        zf.writestr(zinfo("caf\u00e9/", attr=DIR_ATTR), b"")
        zf.writestr(zinfo("caf\u00e9/na\u00efve.txt", zipfile.ZIP_DEFLATED),
                    "na\u00efve caf\u00e9\n".encode())


def b_cp437(out):
    # An MS-DOS style archive: version made by 2.0 / FAT, DOS attributes,
    # names in code page 437, general purpose bit 11 clear.
    dos = dict(create_system=0, external_attr=0x20)
    open(out, "wb").write(raw_zip([
        RawEntry(b"caf\x82.txt", "caf\u00e9 (CP437 0x82)\n".encode(), **dos),
        RawEntry(b"\x8e\x99\x9a.txt", "\u00c4\u00d6\u00dc (CP437 0x8e 0x99 0x9a)\n".encode(),
                 method=8, **dos),
        RawEntry(b"plain.txt", b"ascii name\n", **dos),
    ]))


def b_unicode_path_extra(out):
    ut = extra_field(0x5455, struct.pack("<BI", 1, UNIX_MTIME))
    entries = []
    # 1. CP437 raw name + matching Unicode Path extra (after a UT extra).
    #    The euro sign has no CP437 code, so the raw name has "_" there:
    #    CP437 decoding gives "caf\u00e9-_.txt", the extra "caf\u00e9-\u20ac.txt".
    raw = b"caf\x82-_.txt"
    entries.append(RawEntry(raw, b"cafe euro, raw name CP437\n", create_system=0,
                            external_attr=0x20,
                            local_extra=ut + unicode_path_extra(raw, "caf\u00e9-\u20ac.txt")))
    # 2. ASCII stand-in raw name + matching Unicode Path extra.
    raw = b"_bersicht.txt"
    entries.append(RawEntry(raw, b"Uebersicht, raw name ASCII\n", method=8,
                            local_extra=unicode_path_extra(raw, "\u00dcbersicht.txt")))
    # 3. Stale extra: its CRC is of another name, so readers must ignore it
    #    and use the raw name "stale.txt".
    raw = b"stale.txt"
    entries.append(RawEntry(raw, b"the 0x7075 extra of this entry must be ignored\n",
                            local_extra=unicode_path_extra(
                                raw, "ignored-\u00fcn\u00efcode.txt",
                                crc=zlib.crc32(b"renamed.txt"))))
    # 4. Plain entry without any extra.
    entries.append(RawEntry(b"plain.txt", b"no extra\n"))
    open(out, "wb").write(raw_zip(entries))


def b_lzma(out):
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zinfo("lorem.txt", zipfile.ZIP_LZMA), LOREM)
        zf.writestr(zinfo("short.txt", zipfile.ZIP_LZMA), b"lzma\n")


def b_bzip2_python(out):
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zinfo("lorem.txt", zipfile.ZIP_BZIP2), LOREM)
        zf.writestr(zinfo("short.txt", zipfile.ZIP_BZIP2), b"bzip2\n")


def _patch_written(out, write, patch):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        write(zf)
    data = bytearray(buf.getvalue())
    _, entries = parse(bytes(data))
    for e in entries:
        patch(data, e)
    open(out, "wb").write(data)


def b_crc_corrupt(out):
    def write(zf):
        zf.writestr(zinfo("good.txt", zipfile.ZIP_DEFLATED), LOREM[:600])
        zf.writestr(zinfo("bad-crc.txt", zipfile.ZIP_DEFLATED), LOREM[600:1400])

    def patch(data, e):
        if e["name"] == b"bad-crc.txt":
            wrong = e["crc"] ^ 0xFFFFFFFF
            put(data, e["cd"] + 16, "<I", wrong)
            put(data, e["lho"] + 14, "<I", wrong)
    _patch_written(out, write, patch)


def b_crc_corrupt_stored(out):
    def write(zf):
        zf.writestr(zinfo("good.txt"), b"good stored member\n")
        zf.writestr(zinfo("flipped.txt"), b"hello world, one byte of me is flipped\n")

    def patch(data, e):
        if e["name"] == b"flipped.txt":
            data[e["data_off"]] ^= 0x20   # 'h' -> 'H', CRC fields untouched
    _patch_written(out, write, patch)


def b_ntfs_time(out):
    def ticks(unix, frac):
        return (unix + 11644473600) * 10_000_000 + frac
    mtime = ticks(UNIX_MTIME, 1234567)
    atime = ticks(UNIX_MTIME + 3600, 0)
    ctime = ticks(UNIX_MTIME - 86400, 7654321)
    ntfs = extra_field(0x000A, struct.pack("<IHHQQQ", 0, 0x0001, 24, mtime, atime, ctime))
    with zipfile.ZipFile(out, "w") as zf:
        zi = zinfo("ntfs.txt", zipfile.ZIP_DEFLATED, attr=0x20)
        zi.create_system = 0
        zi.extra = ntfs
        zf.writestr(zi, b"entry with an NTFS (0x000a) timestamp extra\n")
        zi = zinfo("plain.txt", attr=0x20)
        zi.create_system = 0
        zf.writestr(zi, b"no extra\n")


def b_duplicate_names(out):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(out, "w") as zf:
            zf.writestr(zinfo("dup.txt"), b"first version\n")
            zf.writestr(zinfo("other.txt"), b"unrelated\n")
            zf.writestr(zinfo("dup.txt", zipfile.ZIP_DEFLATED),
                        b"second version, this one wins\n")


def b_truncated(out, src):
    data = open(src, "rb").read()
    eocd, entries = parse(data)
    cut = eocd["cd_off"] + eocd["cd_size"] // 2
    open(out, "wb").write(data[:cut])


def b_bad_dir_size(out, src):
    data = bytearray(open(src, "rb").read())
    eocd, _ = parse(bytes(data))
    put(data, eocd["pos"] + 12, "<I", eocd["cd_size"] - 16)
    open(out, "wb").write(data)


def b_comment_truncated(out, src):
    data = open(src, "rb").read()
    eocd, _ = parse(data)
    if eocd["comment_len"] < 10:
        raise SystemExit("need an input with a comment")
    open(out, "wb").write(data[:-10])   # comment length now runs 10 bytes past EOF


def b_trailing_junk(out, src):
    open(out, "wb").write(open(src, "rb").read() + b"some nonsense\n")


def b_patch_time(out, src):
    """Give entries a fixed DOS time (Info-ZIP stamps stdin with 'now')."""
    data = bytearray(open(src, "rb").read())
    _, entries = parse(bytes(data))
    t, d = dos_time(DT)
    for e in entries:
        put(data, e["cd"] + 12, "<HH", t, d)
        put(data, e["lho"] + 10, "<HH", t, d)
    open(out, "wb").write(data)


def b_normalize_crypt(out, src):
    normalize_crypt(src, out)


BUILDERS = {
    "mixed": b_mixed,
    "empty": b_empty,
    "empty-entry": b_empty_entry,
    "max-comment": b_max_comment,
    "entry-comments": b_entry_comments,
    "zip64-python": b_zip64_python,
    "data-descriptor-python": b_data_descriptor_python,
    "data-descriptor-nosig": b_data_descriptor_nosig,
    "utf8-flag": b_utf8_flag,
    "cp437": b_cp437,
    "unicode-path-extra": b_unicode_path_extra,
    "lzma": b_lzma,
    "bzip2-python": b_bzip2_python,
    "crc-corrupt": b_crc_corrupt,
    "crc-corrupt-stored": b_crc_corrupt_stored,
    "ntfs-time": b_ntfs_time,
    "duplicate-names": b_duplicate_names,
    # post-processors of an Info-ZIP made input
    "truncated": b_truncated,
    "bad-dir-size": b_bad_dir_size,
    "comment-truncated": b_comment_truncated,
    "trailing-junk": b_trailing_junk,
    "patch-time": b_patch_time,
    "normalize-crypt": b_normalize_crypt,
}


# --------------------------------------------------------------------------
# checks

class Checker:
    def __init__(self, d):
        self.d, self.failures, self.lines = d, [], []

    def read(self, name):
        return open(os.path.join(self.d, name), "rb").read()

    def unzip_t(self, name, *opts):
        r = subprocess.run(["unzip", "-tqq", *opts, os.path.join(self.d, name)],
                           capture_output=True)
        return r.returncode

    def ok(self, name, cond, what):
        if not cond:
            self.failures.append("%s: %s" % (name, what))
        return cond

    def done(self, name, what):
        self.lines.append("%-28s %s" % (name, what))


def has_tag(extra, tag):
    return any(t == tag for t, _ in iter_extra(extra))


def check_all(d):
    c = Checker(d)
    P = lambda n: os.path.join(d, n)

    def basic(name, expect_unzip=0, pywork=True):
        data = c.read(name)
        c.ok(name, len(data) < 100_000 or name == "max-comment.zip", "too big")
        if expect_unzip is not None:
            c.ok(name, c.unzip_t(name) == expect_unzip, "unzip -t rc != %s" % expect_unzip)
        if pywork:
            with zipfile.ZipFile(P(name)) as zf:
                c.ok(name, zf.testzip() is None, "python testzip failed")
        return data

    # stored / deflated / mixed
    for name, methods in (("stored.zip", {0}), ("deflated.zip", {8}),
                          ("mixed.zip", {0, 8})):
        data = basic(name)
        _, es = parse(data)
        c.ok(name, {e["method"] for e in es} == methods, "methods")
        c.ok(name, max(e["usize"] for e in es) > 2000, "no multi-KB member")
        c.done(name, "methods %s, %d entries, largest %d B, unzip -t ok"
               % (sorted(methods), len(es), max(e["usize"] for e in es)))

    data = basic("empty.zip", expect_unzip=None)
    c.ok("empty.zip", data == struct.pack("<IHHHHIIH", SIG_EOCD, 0, 0, 0, 0, 0, 0, 0),
         "not a bare 22-byte end record")
    c.done("empty.zip", "22 bytes: only an end record, 0 entries")

    data = basic("empty-entry.zip")
    _, es = parse(data)
    z = [(e["method"], e["csize"]) for e in es if e["usize"] == 0]
    c.ok("empty-entry.zip", (0, 0) in z and any(m == 8 for m, _ in z), "empty members")
    c.done("empty-entry.zip", "zero-length members: stored (csize 0) and deflated (csize %d)"
           % [s for m, s in z if m == 8][0])

    data = basic("directories.zip")
    _, es = parse(data)
    names = [e["name"] for e in es]
    c.ok("directories.zip", names == [b"a/", b"a/b/", b"a/b/c.txt", b"empty/", b"top.txt"],
         "names %r" % names)
    c.ok("directories.zip", all((e["attr"] >> 16) & 0o170000 == 0o040000 and e["attr"] & 0x10
                                for e in es if e["name"].endswith(b"/")), "dir attrs")
    c.done("directories.zip", "explicit a/, a/b/, empty/ entries (S_IFDIR + 0x10), a/b/c.txt")

    data = basic("comment.zip")
    eocd, _ = parse(data)
    c.ok("comment.zip", eocd["comment"] == b"This is a zipfile comment.", "comment")
    c.done("comment.zip", "archive comment %r" % eocd["comment"].decode())

    data = basic("max-comment.zip")
    eocd, _ = parse(data)
    c.ok("max-comment.zip", eocd["comment_len"] == 65535 and data.endswith(eocd["comment"])
         and len(eocd["comment"]) == 65535, "comment length")
    c.done("max-comment.zip", "comment length 65535, end record at EOF-65557")

    data = basic("entry-comments.zip")
    eocd, es = parse(data)
    c.ok("entry-comments.zip", [bool(e["comment"]) for e in es] == [True, False, True],
         "entry comments")
    c.done("entry-comments.zip", "entry comments on entries 1 and 3 + archive comment")

    stub_len = None
    for name in ("prepended.zip", "prepended-adjusted.zip"):
        data = c.read(name)
        c.ok(name, data.startswith(b"#!/bin/sh\necho hello\nexit 0\n"), "stub")
        stub_len = data.index(b"PK\x03\x04")
        r = subprocess.run(["unzip", "-tqq", P(name)], capture_output=True)
        with zipfile.ZipFile(P(name)) as zf:
            offs = [i.header_offset for i in zf.infolist()]
            c.ok(name, zf.testzip() is None, "python")
        c.ok(name, offs[0] == stub_len, "python header_offset")
        eocd = struct.unpack_from("<IHHHHIIH", data, data.rfind(b"PK\x05\x06"))
        cd_first_lho = struct.unpack_from("<I", data, stub_len + eocd[6] + 42)[0] \
            if name == "prepended.zip" else struct.unpack_from("<I", data, eocd[6] + 42)[0]
        if name == "prepended.zip":
            c.ok(name, eocd[6] + stub_len + eocd[5] == data.rfind(b"PK\x05\x06"), "offsets")
            c.ok(name, cd_first_lho == 0, "stored offset should be 0")
            c.ok(name, r.returncode in (0, 1), "unzip rc %d" % r.returncode)
            c.done(name, "%d-byte sh stub, offsets NOT adjusted (first stored lho 0, "
                   "dir offset %d), unzip warns rc=%d" % (stub_len, eocd[6], r.returncode))
        else:
            c.ok(name, cd_first_lho == stub_len, "adjusted offset")
            c.ok(name, r.returncode == 0, "unzip rc %d" % r.returncode)
            c.done(name, "same stub, zip -A: stored offsets include the %d bytes, unzip -t ok"
                   % stub_len)

    data = basic("zip64.zip")
    eocd, es = parse(data)
    loc = data.rfind(b"PK\x06\x07")
    e64 = data.rfind(b"PK\x06\x06")
    c.ok("zip64.zip", loc == eocd["pos"] - 20 and e64 >= 0, "zip64 records")
    c.ok("zip64.zip", struct.unpack_from("<Q", data, loc + 8)[0] == e64, "locator target")
    c.ok("zip64.zip", all(has_tag(e["cextra"], 1) for e in es), "0x0001 central")
    c.ok("zip64.zip", all(has_tag(e["lextra"], 1) for e in es), "0x0001 local")
    c.done("zip64.zip", "zip -fz: ZIP64 end record @%d + locator @%d, 0x0001 extras in local "
           "and central headers, EOCD dir offset 0x%08x" % (e64, loc, eocd["cd_off"]))

    data = basic("zip64-python.zip")
    eocd, es = parse(data)
    c.ok("zip64-python.zip", all(has_tag(e["lextra"], 1) and e["lcsize"] == 0xFFFFFFFF
                                 for e in es), "local zip64")
    c.ok("zip64-python.zip", all(e["extract_version"] == 45 for e in es), "version 45")
    c.done("zip64-python.zip", "force_zip64: local 0xFFFFFFFF sizes + 0x0001; central has real "
           "sizes, no 0x0001 (central zip64: %s), needs 4.5"
           % any(has_tag(e["cextra"], 1) for e in es))

    for name, sig, desc in (("data-descriptor.zip", True, 16),
                            ("data-descriptor-python.zip", True, 16),
                            ("data-descriptor-nosig.zip", False, 12),
                            ("data-descriptor-zip64.zip", True, 24)):
        data = basic(name)
        _, es = parse(data)
        c.ok(name, all(e["flags"] & 8 for e in es), "bit 3")
        c.ok(name, all(e["lcrc"] == 0 for e in es), "local crc zero")
        for e in es:
            end = e["data_off"] + e["real_csize"]
            dd = data[end:end + desc]
            got_sig = dd[:4] == b"PK\x07\x08"
            c.ok(name, got_sig == sig, "descriptor sig")
            body = dd[4:] if sig else dd
            c.ok(name, struct.unpack_from("<I", body)[0] == e["crc"], "descriptor crc")
        c.done(name, "bit 3 on all, local crc 0, %d-byte descriptors %s signature"
               % (desc, "with" if sig else "without"))

    data = basic("utf8-flag.zip")
    _, es = parse(data)
    c.ok("utf8-flag.zip", all(bool(e["flags"] & 0x800) == (max(e["name"]) >= 0x80)
                              for e in es), "bit 11")
    c.done("utf8-flag.zip", "bit 11 set on %s"
           % [e["name"].decode() for e in es if e["flags"] & 0x800])

    data = basic("utf8-noflag.zip")
    _, es = parse(data)
    c.ok("utf8-noflag.zip", all(not (e["flags"] | e["lflags"]) & 0x800 for e in es), "bit 11")
    c.ok("utf8-noflag.zip", {e["name"].decode("utf-8") for e in es} >=
         {"\u4e16\u754c.txt", "caf\u00e9/na\u00efve.txt"}, "names")
    c.ok("utf8-noflag.zip", not any(has_tag(e["cextra"], 0x7075) for e in es), "no 7075")
    c.done("utf8-noflag.zip", "Info-ZIP: raw UTF-8 names, bit 11 clear local+central, no 0x7075")

    data = basic("cp437.zip")
    _, es = parse(data)
    c.ok("cp437.zip", es[0]["name"] == b"caf\x82.txt" and not es[0]["flags"] & 0x800, "name")
    with zipfile.ZipFile(P("cp437.zip")) as zf:
        c.ok("cp437.zip", zf.namelist()[:2] == ["caf\u00e9.txt", "\u00c4\u00d6\u00dc.txt"],
             "python cp437 decode %r" % zf.namelist())
    c.done("cp437.zip", "names caf\\x82.txt, \\x8e\\x99\\x9a.txt; bit 11 clear; made by FAT")

    data = basic("unicode-path-extra.zip")
    _, es = parse(data)
    good = []
    for e in es[:3]:
        for where in ("lextra", "cextra"):
            up = [p for t, p in iter_extra(e[where]) if t == 0x7075]
            c.ok("unicode-path-extra.zip", len(up) == 1, "0x7075 in " + where)
        ver, crc = struct.unpack_from("<BI", up[0])
        good.append(crc == zlib.crc32(e["name"]))
    c.ok("unicode-path-extra.zip", good == [True, True, False], "crc pattern %r" % good)
    c.done("unicode-path-extra.zip", "0x7075 v1 in local+central; CRC matches for 2, "
           "mismatches for stale.txt; entry 4 has none")

    data = basic("symlink.zip")
    _, es = parse(data)
    link = [e for e in es if e["name"] == b"link"][0]
    c.ok("symlink.zip", (link["attr"] >> 16) & 0o170000 == 0o120000, "S_IFLNK")
    c.ok("symlink.zip", data[link["data_off"]:link["data_off"] + link["csize"]]
         == b"target.txt", "link target")
    c.done("symlink.zip", "link: S_IFLNK (0%o), stored data 'target.txt'" % (link["attr"] >> 16))

    data = basic("encrypted.zip", expect_unzip=None, pywork=False)
    c.ok("encrypted.zip", c.unzip_t("encrypted.zip", "-P", "secret") == 0, "unzip -P")
    _, es = parse(data)
    c.ok("encrypted.zip", all(e["flags"] & 1 for e in es), "bit 0")
    with zipfile.ZipFile(P("encrypted.zip")) as zf:
        zf.setpassword(b"secret")
        c.ok("encrypted.zip", zf.testzip() is None, "python pwd")
    c.done("encrypted.zip", "ZipCrypto bit 0 (+bit 3), methods %s, unzip -t -P secret ok"
           % sorted({e["method"] for e in es}))

    for name, m in (("bzip2.zip", 12), ("bzip2-python.zip", 12), ("lzma.zip", 14)):
        data = basic(name, expect_unzip=0 if m == 12 else None)
        _, es = parse(data)
        c.ok(name, all(e["method"] == m for e in es), "method")
        c.done(name, "all entries method %d" % m + (", unzip -t ok" if m == 12 else
                                                      ", bit 1 (EOS) %s" % all(e["flags"] & 2 for e in es)))

    for name, bad in (("crc-corrupt.zip", "bad-crc.txt"), ("crc-corrupt-stored.zip", "flipped.txt")):
        data = basic(name, expect_unzip=2, pywork=False)
        _, es = parse(data)
        with zipfile.ZipFile(P(name)) as zf:
            c.ok(name, zf.testzip() == bad, "python testzip")
        e = [e for e in es if e["name"] == bad.encode()][0]
        c.ok(name, e["crc"] == e["lcrc"], "local/central crc agree")
        payload = data[e["data_off"]:e["data_off"] + e["csize"]]
        plain = zlib.decompress(payload, -15) if e["method"] == 8 else payload
        c.ok(name, zlib.crc32(plain) != e["crc"] and len(plain) == e["usize"], "crc mismatch")
        c.done(name, "%s (method %d) decodes to %d bytes, CRC %08x != stored %08x"
               % (bad, e["method"], len(plain), zlib.crc32(plain), e["crc"]))

    data = c.read("truncated.zip")
    c.ok("truncated.zip", b"PK\x05\x06" not in data and b"PK\x01\x02" in data, "cut")
    c.done("truncated.zip", "%d bytes, cut inside the central directory, no end record" % len(data))

    for name in ("extended-time.zip", "extended-time-offset.zip"):
        data = basic(name)
        _, es = parse(data)
        c.ok(name, all(has_tag(e[w], 0x5455) and has_tag(e[w], 0x7875)
                       for e in es for w in ("lextra", "cextra")), "UT/ux")
        e = es[0]
        ut = [p for t, p in iter_extra(e["cextra"]) if t == 0x5455][0]
        mt = struct.unpack_from("<I", ut, 1)[0]
        c.ok(name, mt == UNIX_MTIME, "UT mtime")
        dos = "%04x/%04x" % (e["date"], e["time"])
        c.done(name, "UT+ux local and central; UT mtime %d; DOS date/time %s" % (mt, dos))

    data = basic("ntfs-time.zip")
    _, es = parse(data)
    c.ok("ntfs-time.zip", has_tag(es[0]["lextra"], 0xA) and has_tag(es[0]["cextra"], 0xA), "0x000a")
    c.done("ntfs-time.zip", "0x000a (tag 1, 24 bytes) in local+central of ntfs.txt")

    data = basic("duplicate-names.zip")
    _, es = parse(data)
    c.ok("duplicate-names.zip", [e["name"] for e in es].count(b"dup.txt") == 2, "dups")
    with zipfile.ZipFile(P("duplicate-names.zip")) as zf:
        c.ok("duplicate-names.zip", zf.read("dup.txt").startswith(b"second"), "last wins")
    c.done("duplicate-names.zip", "dup.txt twice (stored, then deflated); python getinfo -> 2nd")

    data = c.read("bad-dir-size.zip")
    eocd, _ = parse(data)
    c.ok("bad-dir-size.zip", eocd["pos"] - eocd["cd_size"] - eocd["cd_off"] == 16, "base 16")
    c.done("bad-dir-size.zip", "EOCD dir size %d (16 short): computed base offset 16, real 0"
           % eocd["cd_size"])

    data = c.read("comment-truncated.zip")
    pos = data.rfind(b"PK\x05\x06")
    clen = struct.unpack_from("<H", data, pos + 20)[0]
    c.ok("comment-truncated.zip", pos + 22 + clen == len(data) + 10, "comment past EOF")
    c.done("comment-truncated.zip", "comment length %d, only %d bytes left" %
           (clen, len(data) - pos - 22))

    data = c.read("trailing-junk.zip")
    pos = data.rfind(b"PK\x05\x06")
    c.ok("trailing-junk.zip", data[pos + 20:pos + 22] == b"\0\0" and
         data[pos + 22:] == b"some nonsense\n", "junk")
    c.ok("trailing-junk.zip", c.unzip_t("trailing-junk.zip") in (0, 1), "unzip")
    c.done("trailing-junk.zip", "comment length 0 + 14 bytes 'some nonsense\\n' after end record")

    data = basic("sample.jar")
    _, es = parse(data)
    c.ok("sample.jar", es[0]["name"] == b"META-INF/" and has_tag(es[0]["cextra"], 0xCAFE)
         and has_tag(es[0]["lextra"], 0xCAFE), "0xCAFE")
    c.ok("sample.jar", es[1]["name"] == b"META-INF/MANIFEST.MF", "manifest")
    c.done("sample.jar", "META-INF/ with 0xCAFE extra (local+central), MANIFEST.MF, "
           "bit 3 on deflated entries: %s" % all(e["flags"] & 8 for e in es if e["method"] == 8))

    data = basic("wheel-like.zip")
    _, es = parse(data)
    names = [e["name"].decode() for e in es]
    c.ok("wheel-like.zip", not any(n.endswith("/") for n in names), "dir entries")
    c.ok("wheel-like.zip", "ns/only/mod.py" in names and "top.py" in names, "members")
    c.done("wheel-like.zip", "%d files, no directory entries (zip -D)" % len(names))

    for line in c.lines:
        print(line)
    if c.failures:
        print("\nFAILURES:\n  " + "\n  ".join(c.failures))
        return 1
    return 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "build" and argv[1] in BUILDERS:
        BUILDERS[argv[1]](*argv[2:])
        return 0
    if len(argv) == 2 and argv[0] == "check":
        return check_all(argv[1])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
