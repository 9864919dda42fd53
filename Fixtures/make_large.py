#!/usr/bin/env python3
"""Write a large (many-entry) stored archive, fast and deterministically.

    python3 Fixtures/make_large.py --entries N [--mod65536] OUT

Entries are named f00000.py, f00001.py, ... (at least five digits) and hold
b"# fNNNNN.py\\n".  Every entry is stored (method 0), dated 2020-01-02
03:04:06, version 2.0, made by Unix, mode 0644, no extras, no comments.

Default mode: byte-for-byte what CPython's ZipFile.writestr() writes for the
same ZipInfo values; in particular when N > 65,535 there is a ZIP64 end of
central directory record + locator, and the classic end record's entry
counts are 0xFFFF.

--mod65536 (alias --no-zip64-mod): never write ZIP64 records; the classic
end record's two entry counts are N modulo 65,536 (old Info-ZIP behaviour).
Everything else (offsets, sizes, central directory) is valid.
"""
import argparse
import struct
import sys
import zlib

DOS_TIME = (3 << 11) | (4 << 5) | (6 // 2)
DOS_DATE = ((2020 - 1980) << 9) | (1 << 5) | 2
EXTERNAL_ATTR = 0o100644 << 16

LOCAL = struct.Struct("<IHHHHHIIIHH")
CENTRAL = struct.Struct("<IBBHHHHHIIIHHHHHII")
END = struct.Struct("<IHHHHIIH")
END64 = struct.Struct("<IQHHIIQQQQ")
LOCATOR = struct.Struct("<IIQI")


def build(n, mod65536=False):
    width = max(5, len(str(n - 1)))
    local_parts, central_parts = [], []
    offset = 0
    for i in range(n):
        name = b"f%0*d.py" % (width, i)
        data = b"# " + name + b"\n"
        crc = zlib.crc32(data)
        size = len(data)
        lh = LOCAL.pack(0x04034B50, 20, 0, 0, DOS_TIME, DOS_DATE, crc, size, size,
                        len(name), 0)
        local_parts += (lh, name, data)
        central_parts += (CENTRAL.pack(0x02014B50, 20, 3, 20, 0, 0, DOS_TIME, DOS_DATE,
                                       crc, size, size, len(name), 0, 0, 0, 0,
                                       EXTERNAL_ATTR, offset), name)
        offset += len(lh) + len(name) + size
    central = b"".join(central_parts)
    cd_offset, cd_size = offset, len(central)
    tail = []
    if mod65536:
        count = n % 0x10000
    else:
        count = n
        if n > 0xFFFF or cd_offset > 0xFFFFFFFF or cd_size > 0xFFFFFFFF:
            end64_pos = cd_offset + cd_size
            tail.append(END64.pack(0x06064B50, 44, 45, 45, 0, 0, n, n, cd_size, cd_offset))
            tail.append(LOCATOR.pack(0x07064B50, 0, end64_pos, 1))
            count = min(n, 0xFFFF)
            cd_size, cd_offset = min(cd_size, 0xFFFFFFFF), min(cd_offset, 0xFFFFFFFF)
    tail.append(END.pack(0x06054B50, 0, 0, count, count, cd_size, cd_offset, 0))
    return b"".join(local_parts) + central + b"".join(tail)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entries", type=int, required=True, metavar="N")
    ap.add_argument("--mod65536", "--no-zip64-mod", dest="mod65536", action="store_true",
                    help="no ZIP64 records; end record counts are N %% 65536")
    ap.add_argument("out")
    args = ap.parse_args(argv)
    if args.entries < 0:
        ap.error("--entries must be >= 0")
    with open(args.out, "wb") as f:
        f.write(build(args.entries, args.mod65536))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
