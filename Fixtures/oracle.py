#!/usr/bin/env python3
"""Differential-test oracle: print ONE JSON object describing what CPython's
zipfile module sees in an archive.

    python3 Fixtures/oracle.py ARCHIVE

Success:
  {"ok": true, "comment_hex": "...", "entries": [
     {"name", "method", "compressedSize", "uncompressedSize", "crc32",
      "headerOffset", "isDir", "flags", "externalAttr", "createSystem",
      "dateTime": [y, m, d, H, M, S], "sha256": hex|null, "readError": str|null}]}
Failure to open:
  {"ok": false, "error": "<exception class name>", "message": "..."}

Entries are in central-directory order and each is read through its own
ZipInfo (not by name), so duplicate names are reported per entry.
headerOffset is ZipInfo.header_offset: absolute, i.e. including any data
prepended to the archive.  readError is the exception class name raised by
ZipFile.read (e.g. BadZipFile for a CRC mismatch, NotImplementedError for an
unsupported method, RuntimeError for an encrypted entry without password).
Works with Python 3.8+ (tested with 3.11 and 3.13).
"""
import hashlib
import json
import sys
import warnings
import zipfile


def describe(path):
    try:
        zf = zipfile.ZipFile(path)
    except Exception as e:  # noqa: BLE001 - we report any failure
        return {"ok": False, "error": type(e).__name__, "message": str(e)}
    entries = []
    with zf:
        for info in zf.infolist():
            sha, err = None, None
            try:
                sha = hashlib.sha256(zf.read(info)).hexdigest()
            except Exception as e:  # noqa: BLE001
                err = type(e).__name__
            entries.append({
                "name": info.filename,
                "method": info.compress_type,
                "compressedSize": info.compress_size,
                "uncompressedSize": info.file_size,
                "crc32": info.CRC,
                "headerOffset": info.header_offset,
                "isDir": info.is_dir(),
                "flags": info.flag_bits,
                "externalAttr": info.external_attr,
                "createSystem": info.create_system,
                "dateTime": list(info.date_time),
                "sha256": sha,
                "readError": err,
            })
        comment = zf.comment
    return {"ok": True, "comment_hex": comment.hex(), "entries": entries}


def main(argv):
    if len(argv) != 2:
        print("usage: oracle.py ARCHIVE", file=sys.stderr)
        return 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # e.g. duplicate names, bad extras
        result = describe(argv[1])
    # ensure_ascii keeps the output 7-bit; JSON decoders restore the text.
    sys.stdout.write(json.dumps(result, ensure_ascii=True, sort_keys=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
