#!/usr/bin/env python3
"""Writes Fixtures/large/deflated-4gib.zip: one entry, zeros.bin, of
4 GiB + 4097 bytes of zeros, deflated by Python's zipfile (ZIP64 sizes in
the local and central headers), about 4 MB on disk. Its uncompressed size
does not fit 32 bits, so reading it exercises the 64-bit size and offset
paths of both inflate backends and the CRC-32 over more than 4 GiB.

Takes about 20 seconds; the file is kept (gitignored) and made again only
when missing. The tests call this script themselves.

    python3 Fixtures/make_4gib.py [--force]
"""
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, "large", "deflated-4gib.zip")
SIZE = (4 << 30) + 4097


def main():
    if os.path.exists(PATH) and "--force" not in sys.argv:
        print(PATH)
        return
    os.makedirs(os.path.dirname(PATH), exist_ok=True)
    temporary = PATH + ".tmp"
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        info = zipfile.ZipInfo("zeros.bin", date_time=(2024, 1, 1, 12, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as entry:
            left = SIZE
            while left > 0:
                piece = min(left, len(chunk))
                entry.write(chunk[:piece])
                left -= piece
    os.replace(temporary, PATH)
    print(PATH)


if __name__ == "__main__":
    main()
