#!/usr/bin/env python3
"""Write the deterministic zip archives that the ZipIndex benchmarks read.

Usage:
    gen_archives.py OUTDIR [--quick] [--verify]
    gen_archives.py --many-archives COUNT --entries-per-archive K OUTDIR/sub

The first form writes the standard set (see ARCHIVES below) plus a
manifest.json. With --quick, the expensive archives (entries-1m.zip,
data-100mb.zip, large-data.zip) are kept when they exist, are in OUTDIR's
manifest and OUTDIR's version stamp matches GENERATOR_VERSION. The second form writes COUNT small archives a0000.zip,
a0001.zip, ... with K stored modules each: mod0.py, mod1.py, ...

Every byte is a function of SEED and GENERATOR_VERSION: the timestamps are
fixed and all randomness comes from one seeded random.Random per archive.
Bump GENERATOR_VERSION whenever the output changes.

Records are packed with struct rather than written through zipfile.ZipFile,
which is several times slower at a million entries. Field layouts follow
PKWARE's APPNOTE.TXT; section numbers are cited where it matters.
"""

import argparse
import itertools
import json
import os
import random
import struct
import subprocess
import sys
import time
import uuid
import zipfile
import zlib

GENERATOR_VERSION = "1"
SEED = 20240101

# Every entry gets the same DOS timestamp: 2024-01-01 12:00:00 (APPNOTE 4.4.6).
DOS_TIME = 12 << 11
DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1

# Version made by: upper byte 3 = UNIX, lower byte = spec version (APPNOTE 4.4.2).
MADE_BY_UNIX = 3 << 8
VERSION_DEFAULT = 20  # 2.0: deflate, directories
VERSION_ZIP64 = 45  # 4.5: ZIP64 extensions

METHOD_STORED = 0
METHOD_DEFLATED = 8

EXTERNAL_ATTR_FILE = 0o100644 << 16
EXTERNAL_ATTR_DIR = (0o040755 << 16) | 0x10  # UNIX mode + MS-DOS directory bit

U16_MAX = 0xFFFF
U32_MAX = 0xFFFFFFFF

# APPNOTE 4.3.7 local file header: signature .. extra field length (30 bytes).
LOCAL_FILE_HEADER = struct.Struct("<IHHHHHIIIHH")
LOCAL_FILE_HEADER_SIGNATURE = 0x04034B50
# APPNOTE 4.3.12 central directory header (46 bytes).
CENTRAL_DIRECTORY_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")
CENTRAL_DIRECTORY_HEADER_SIGNATURE = 0x02014B50
# APPNOTE 4.3.16 end of central directory record (22 bytes).
END_OF_CENTRAL_DIRECTORY = struct.Struct("<IHHHHIIH")
END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054B50
# APPNOTE 4.3.14 zip64 end of central directory record (56 bytes, no extensible data).
ZIP64_END_OF_CENTRAL_DIRECTORY = struct.Struct("<IQHHIIQQQQ")
ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06064B50
# APPNOTE 4.3.15 zip64 end of central directory locator (20 bytes).
ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR = struct.Struct("<IIQI")
ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR_SIGNATURE = 0x07064B50
# APPNOTE 4.5.3 zip64 extended information extra field, header id 0x0001.
ZIP64_EXTRA_ID = 0x0001

PREPENDED_JUNK_BYTES = 64 * 1024
DATA_ENTRY_BYTES = 100 * 2**20
LARGE_ENTRY_BYTES = 64 * 2**20  # each entry of large-data.zip
TABLE_RECORD_BYTES = 64
DEFLATE_LEVEL = 6


# --------------------------------------------------------------------------
# Archive writer
# --------------------------------------------------------------------------


class ZipWriter:
    """Append-only zip writer that packs every record itself.

    prefix: bytes written before the archive. Offsets stay relative to the
        archive's own start (they are not adjusted), as `cat junk a.zip` does.
    force_zip64: give every entry a ZIP64 extra field with saturated 32-bit
        fields, and saturate every 32-bit field of the end record.
    """

    def __init__(self, path, *, prefix=b"", force_zip64=False):
        self._file = open(path, "wb")
        self._file.write(prefix)
        self._base = len(prefix)
        self._offset = 0  # next local header, relative to the archive start
        self._central = []
        self._force_zip64 = force_zip64
        self.count = 0

    def add(self, name, data=b"", *, deflate=False, is_dir=False):
        """Add one entry; `data` is the uncompressed content."""
        if isinstance(name, str):
            name = name.encode("ascii")
        crc = zlib.crc32(data)
        if deflate and data:
            compressor = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
            payload = compressor.compress(data) + compressor.flush()
            method = METHOD_DEFLATED
        else:
            payload = data
            method = METHOD_STORED
        offset = self._offset
        local = self._local_header(name, method, crc, len(payload), len(data))
        self._file.write(local + payload)
        self._offset += len(local) + len(payload)
        self._add_central(name, method, crc, len(payload), len(data), offset, is_dir)

    def add_deflated_stream(self, name, chunks):
        """Add one deflated entry whose content arrives as an iterable of chunks.

        The local header is written with zero crc/sizes and patched afterwards,
        so the content never has to be held in memory at once.
        """
        assert not self._force_zip64, "streaming is only used for ordinary entries"
        name = name.encode("ascii")
        offset = self._offset
        self._file.write(self._local_header(name, METHOD_DEFLATED, 0, 0, 0))
        compressor = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
        crc = usize = csize = 0
        for chunk in chunks:
            crc = zlib.crc32(chunk, crc)
            usize += len(chunk)
            out = compressor.compress(chunk)
            csize += len(out)
            self._file.write(out)
        out = compressor.flush()
        csize += len(out)
        self._file.write(out)
        if csize >= U32_MAX or usize >= U32_MAX:
            raise ValueError("streamed entries must stay below 4 GiB")
        end = self._file.tell()
        # Patch crc-32, compressed size, uncompressed size (header bytes 14..25).
        self._file.seek(self._base + offset + 14)
        self._file.write(struct.pack("<III", crc, csize, usize))
        self._file.seek(end)
        self._offset = end - self._base
        self._add_central(name, METHOD_DEFLATED, crc, csize, usize, offset, False)
        return crc, csize, usize

    def close(self):
        """Write the central directory and end records, then close the file."""
        cd_offset = self._offset
        central = b"".join(self._central)
        self._file.write(central)
        cd_size = len(central)
        end_offset = cd_offset + cd_size
        count = self.count
        needs_zip64 = (
            self._force_zip64
            or count > U16_MAX
            or cd_size >= U32_MAX
            or cd_offset >= U32_MAX
        )
        if needs_zip64:
            # The record's size field excludes its leading 12 bytes (APPNOTE 4.3.14.1).
            record = ZIP64_END_OF_CENTRAL_DIRECTORY.pack(
                ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE,
                ZIP64_END_OF_CENTRAL_DIRECTORY.size - 12,
                MADE_BY_UNIX | VERSION_ZIP64, VERSION_ZIP64,
                0, 0, count, count, cd_size, cd_offset,
            )
            locator = ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR.pack(
                ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR_SIGNATURE, 0, end_offset, 1
            )
            self._file.write(record + locator)
        if self._force_zip64:
            eocd_count, eocd_size, eocd_offset = U16_MAX, U32_MAX, U32_MAX
        else:
            # Saturate only what overflows, as Python's zipfile does.
            eocd_count = min(count, U16_MAX)
            eocd_size = min(cd_size, U32_MAX)
            eocd_offset = min(cd_offset, U32_MAX)
        self._file.write(END_OF_CENTRAL_DIRECTORY.pack(
            END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0, 0,
            eocd_count, eocd_count, eocd_size, eocd_offset, 0,
        ))
        self._file.close()

    def _local_header(self, name, method, crc, csize, usize):
        if self._force_zip64:
            # APPNOTE 4.5.3: the local extra must hold both sizes.
            extra = struct.pack("<HHQQ", ZIP64_EXTRA_ID, 16, usize, csize)
            return LOCAL_FILE_HEADER.pack(
                LOCAL_FILE_HEADER_SIGNATURE, VERSION_ZIP64, 0, method,
                DOS_TIME, DOS_DATE, crc, U32_MAX, U32_MAX, len(name), len(extra),
            ) + name + extra
        return LOCAL_FILE_HEADER.pack(
            LOCAL_FILE_HEADER_SIGNATURE, VERSION_DEFAULT, 0, method,
            DOS_TIME, DOS_DATE, crc, csize, usize, len(name), 0,
        ) + name

    def _add_central(self, name, method, crc, csize, usize, offset, is_dir):
        attrs = EXTERNAL_ATTR_DIR if is_dir else EXTERNAL_ATTR_FILE
        if self._force_zip64:
            # Values appear in the fixed order usize, csize, offset (APPNOTE 4.5.3).
            extra = struct.pack("<HHQQQ", ZIP64_EXTRA_ID, 24, usize, csize, offset)
            header = CENTRAL_DIRECTORY_HEADER.pack(
                CENTRAL_DIRECTORY_HEADER_SIGNATURE,
                MADE_BY_UNIX | VERSION_ZIP64, VERSION_ZIP64, 0, method,
                DOS_TIME, DOS_DATE, crc, U32_MAX, U32_MAX,
                len(name), len(extra), 0, 0, 0, attrs, U32_MAX,
            )
            self._central.append(header + name + extra)
        else:
            if offset >= U32_MAX or csize >= U32_MAX or usize >= U32_MAX:
                raise ValueError("per-entry ZIP64 is only produced with force_zip64")
            header = CENTRAL_DIRECTORY_HEADER.pack(
                CENTRAL_DIRECTORY_HEADER_SIGNATURE,
                MADE_BY_UNIX | VERSION_DEFAULT, VERSION_DEFAULT, 0, method,
                DOS_TIME, DOS_DATE, crc, csize, usize,
                len(name), 0, 0, 0, 0, attrs, offset,
            )
            self._central.append(header + name)
        self.count += 1


# --------------------------------------------------------------------------
# Entry content
# --------------------------------------------------------------------------

_ALNUM = b"abcdefghijklmnopqrstuvwxyz0123456789"
# Maps any byte to [a-z0-9]; the slight bias from 256 % 36 does not matter here.
_TO_ALNUM = bytes(_ALNUM[i % len(_ALNUM)] for i in range(256))
_DIR_WORDS = [w.encode() for w in (
    "pkg", "sub", "lib", "api", "src", "ext", "gen", "cfg",
    "net", "app", "sdk", "dev", "ops", "web", "svc", "dat",
)]
_FILE_PREFIXES = [b"module_", b"mod_", b"test_", b"util_", b"impl_", b"m_"]
_FILE_SUFFIXES = [b".py", b".py", b".py", b".py", b".pyi", b".txt", b".json", b".pyc"]


def random_entries(rng, count):
    """Yield `count` (name, content) pairs: unique path-like names of 20-80
    bytes such as b'pkg_ab/sub_cd/module_xyz123.py', content of 0-16 bytes."""
    seen = set()
    while len(seen) < count:
        # One RNG call per attempt keeps this fast. Byte layout of r:
        # 0 length, 1 depth, 2 file prefix, 3 suffix, 4 content length,
        # 8..87 name characters, 88..91 directory words, 96..111 content.
        r = rng.randbytes(112)
        length = 20 + r[0] % 61
        # Each directory is 'xxx_yy/' (7 bytes); keep at least 'm_' + 3 + '.py'.
        depth = 1 + r[1] % min(4, (length - 8) // 7)
        chars = r[8:88].translate(_TO_ALNUM)
        parts = []
        for level in range(depth):
            word = _DIR_WORDS[r[88 + level] % len(_DIR_WORDS)]
            parts.append(word + b"_" + chars[2 * level:2 * level + 2] + b"/")
        prefix = _FILE_PREFIXES[r[2] % len(_FILE_PREFIXES)]
        suffix = _FILE_SUFFIXES[r[3] % len(_FILE_SUFFIXES)]
        fill = length - 7 * depth - len(prefix) - len(suffix)
        if fill < 3:
            prefix, suffix = b"m_", b".py"
            fill = length - 7 * depth - 5
        name = b"".join(parts) + prefix + chars[8:8 + fill] + suffix
        if name in seen:
            continue
        seen.add(name)
        yield name, r[96:96 + r[4] % 17]


def python_source(rng, module):
    """A plausible Python module of roughly 0.3-6 KB, different per call."""
    words = ("value", "frame", "column", "schema", "row", "session", "conf",
             "buffer", "result", "reader", "writer", "index", "partition", "key",
             "batch", "record", "context", "name", "path", "options")
    lines = [f'"""Generated stand-in for {module}."""', "",
             "from typing import Any, Optional", ""]
    for _ in range(rng.randint(1, 14)):
        fn = f"{rng.choice(words)}_{rng.choice(words)}"
        args = ", ".join(rng.sample(words, rng.randint(0, 3)))
        lines += ["", f"def {fn}({args}) -> Optional[Any]:",
                  f'    """Return the {rng.choice(words)} for {rng.choice(words)}."""']
        for _ in range(rng.randint(1, 8)):
            a, b = rng.choice(words), rng.choice(words)
            lines.append(f"    {a} = {b!r} if {a} is None else {a}  # {rng.getrandbits(32):08x}")
        lines.append(f"    return {rng.choice(words)}")
    return ("\n".join(lines) + "\n").encode()


def write_package_tree(path, rng, modules):
    """Write a package archive like `zip -r`: each directory entry comes right
    before its contents. `modules` is a list of 'pkg/sub/name.py' paths."""
    writer = ZipWriter(path)
    written_dirs = set()
    for module in sorted(modules):
        parts = module.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            directory = "/".join(parts[:depth]) + "/"
            if directory not in written_dirs:
                written_dirs.add(directory)
                writer.add(directory, is_dir=True)
        writer.add(module, python_source(rng, module), deflate=True)
    writer.close()
    return writer.count


def package_modules(rng, packages, target):
    """Turn {package: [module stems]} into module paths, adding __init__.py to
    every package and generated test modules until there are `target` entries
    (directories included)."""
    modules = set()
    for package, stems in packages.items():
        modules.add(f"{package}/__init__.py")
        modules.update(f"{package}/{stem}.py" for stem in stems)
    dirs = {"/".join(m.split("/")[:i]) for m in modules for i in range(1, m.count("/") + 1)}
    test_packages = sorted(p for p in packages if p.endswith("/tests"))
    topics = ("basic", "types", "arrow", "serde", "udf", "window", "join", "group",
              "io", "schema", "column", "parity", "errors", "config", "stats", "plot")
    while len(modules) + len(dirs) < target:
        package = rng.choice(test_packages)
        modules.add(f"{package}/test_{rng.choice(topics)}_{rng.choice(topics)}"
                    f"_{rng.randint(0, 99)}.py")
    return sorted(modules)


PYSPARK_PACKAGES = {
    "pyspark": ["accumulators", "broadcast", "conf", "context", "daemon", "files",
                "find_spark_home", "install", "java_gateway", "join", "profiler",
                "rdd", "rddsampler", "resultiterable", "serializers", "shell",
                "shuffle", "statcounter", "status", "storagelevel", "taskcontext",
                "traceback_utils", "util", "version", "worker", "_globals"],
    "pyspark/cloudpickle": ["cloudpickle", "cloudpickle_fast", "compat"],
    "pyspark/errors": ["error_classes", "utils"],
    "pyspark/errors/exceptions": ["base", "captured", "connect"],
    "pyspark/ml": ["base", "classification", "clustering", "common", "evaluation",
                   "feature", "fpm", "functions", "image", "model_cache", "pipeline",
                   "recommendation", "regression", "stat", "tree", "tuning", "util",
                   "wrapper"],
    "pyspark/ml/linalg": [],
    "pyspark/ml/param": ["shared", "_shared_params_code_gen"],
    "pyspark/ml/torch": ["distributor", "log_communication", "torch_run_process_wrapper"],
    "pyspark/ml/connect": ["base", "classification", "evaluation", "feature", "io_utils",
                           "pipeline", "summarizer", "tuning", "util"],
    "pyspark/ml/tests": [],
    "pyspark/mllib": ["classification", "clustering", "common", "evaluation", "feature",
                      "fpm", "random", "recommendation", "regression", "tree", "util"],
    "pyspark/mllib/linalg": ["distributed"],
    "pyspark/mllib/stat": ["KernelDensity", "distribution", "test", "_statistics"],
    "pyspark/mllib/tests": [],
    "pyspark/pandas": ["accessors", "base", "categorical", "config", "correlation",
                       "datetimes", "exceptions", "extensions", "frame", "generic",
                       "groupby", "indexing", "internal", "mlflow", "namespace",
                       "numpy_compat", "resample", "series", "sql_formatter",
                       "sql_processor", "strings", "utils", "window"],
    "pyspark/pandas/data_type_ops": ["base", "binary_ops", "boolean_ops", "categorical_ops",
                                     "complex_ops", "date_ops", "datetime_ops", "null_ops",
                                     "num_ops", "string_ops", "timedelta_ops", "udt_ops"],
    "pyspark/pandas/indexes": ["base", "category", "datetimes", "multi", "timedelta"],
    "pyspark/pandas/missing": ["common", "frame", "general_functions", "groupby",
                               "indexes", "resample", "scalars", "series", "window"],
    "pyspark/pandas/plot": ["core", "matplotlib", "plotly"],
    "pyspark/pandas/spark": ["accessors", "functions", "utils"],
    "pyspark/pandas/typedef": ["typehints"],
    "pyspark/pandas/usage_logging": ["usage_logger"],
    "pyspark/pandas/tests": [],
    "pyspark/pandas/tests/computation": [],
    "pyspark/pandas/tests/data_type_ops": [],
    "pyspark/pandas/tests/indexes": [],
    "pyspark/pandas/tests/plot": [],
    "pyspark/resource": ["information", "profile", "requests"],
    "pyspark/sql": ["catalog", "column", "conf", "context", "dataframe", "functions",
                    "group", "observation", "readwriter", "session", "sql_formatter",
                    "types", "udf", "udtf", "utils", "window"],
    "pyspark/sql/avro": ["functions"],
    "pyspark/sql/protobuf": ["functions"],
    "pyspark/sql/pandas": ["conversion", "functions", "group_ops", "map_ops",
                           "serializers", "typehints", "types", "utils"],
    "pyspark/sql/pandas/_typing": [],
    "pyspark/sql/streaming": ["listener", "query", "readwriter", "state"],
    "pyspark/sql/connect": ["catalog", "column", "conf", "conversion", "dataframe",
                            "expressions", "functions", "group", "plan", "readwriter",
                            "session", "types", "udf", "udtf", "utils", "window"],
    "pyspark/sql/connect/client": ["artifact", "core", "reattach", "retries"],
    "pyspark/sql/connect/proto": ["base_pb2", "base_pb2_grpc", "catalog_pb2", "commands_pb2",
                                  "common_pb2", "example_plugins_pb2", "expressions_pb2",
                                  "relations_pb2", "types_pb2", "deep_module"],
    "pyspark/sql/connect/streaming": ["query", "readwriter"],
    "pyspark/sql/connect/streaming/worker": ["foreach_batch_worker", "listener_worker"],
    "pyspark/sql/tests": [],
    "pyspark/sql/tests/connect": [],
    "pyspark/sql/tests/pandas": [],
    "pyspark/sql/tests/streaming": [],
    "pyspark/streaming": ["context", "dstream", "kinesis", "listener", "util"],
    "pyspark/streaming/tests": [],
    "pyspark/testing": ["connectutils", "mllibutils", "mlutils", "pandasutils",
                        "sqlutils", "streamingutils", "utils"],
    "pyspark/tests": [],
}

PY4J_PACKAGES = {
    "py4j": ["clientserver", "compat", "finalizer", "java_collections", "java_gateway",
             "protocol", "signals", "version"],
    "py4j/tests": ["client_server_test", "finalizer_test", "java_array_test",
                   "java_callback_test", "java_gateway_test", "java_list_test",
                   "java_map_test", "java_set_test", "memory_leak_test",
                   "multithreadtest", "py4j_callback_example", "signals_test"],
    "py4j/tests/integration": [],
    "py4j/tests/callback": [],
    "py4j/tests/collections": [],
}


def data_chunks(rng, total, chunk_size=2**20):
    """Yield `total` bytes of log-like text mixed with random runs, about 3-4x
    compressible with deflate level 6. Lines come from a bank too large to
    repeat within deflate's 32 KiB window, so the ratio reflects the text
    itself rather than long-distance repetition."""
    levels = ("INFO ", "DEBUG", "WARN ", "ERROR", "TRACE")
    components = ("scheduler", "executor", "shuffle", "storage", "netty", "driver",
                  "catalog", "planner", "codegen", "broadcast")
    routes = ("/api/v2/items", "/api/v2/users", "/static/js", "/jobs/stage",
              "/sql/query", "/metrics/json", "/health", "/executors/threadDump")
    bank = []
    for _ in range(100_000):
        bank.append(
            (f"2024-01-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:"
             f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}."
             f"{rng.randint(0, 999):03d}Z {rng.choice(levels)} "
             f"[{rng.choice(components)}-{rng.randint(0, 15):02d}] "
             f"req={rng.getrandbits(32):08x} user=user_{rng.randint(0, 9999)} "
             f"path={rng.choice(routes)}/{rng.randint(0, 99999)} "
             f"status={rng.choice((200, 200, 200, 201, 304, 404, 500))} "
             f"bytes={rng.randint(0, 99999)} latency_ms={rng.randint(0, 9999) / 10}\n"
             ).encode())
    produced = 0
    while produced < total:
        pieces = []
        size = 0
        while size < chunk_size:
            if rng.random() < 0.07:
                piece = rng.randbytes(rng.randint(256, 4096))
            else:
                piece = b"".join(rng.choices(bank, k=32))
            pieces.append(piece)
            size += len(piece)
        chunk = b"".join(pieces)[:min(chunk_size, total - produced)]
        produced += len(chunk)
        yield chunk


_SYLLABLES = ("ka", "lo", "mi", "ra", "ten", "vo", "zu", "shi", "bel", "dor", "fa", "gri",
              "hal", "jin", "ko", "lum", "mar", "nel", "or", "pi", "qua", "ros", "sa", "tor",
              "ul", "ven", "wil", "xa", "yor", "zen", "an", "e", "i", "u", "ber", "cas")


def jsonl_chunks(rng, total, chunk_size=2**20):
    """Yield JSON lines of web and app event records, whole lines only (the
    entry ends with the line that reaches `total`), about 4.5x compressible
    with deflate level 6. Records are nested (user, device, geo, a payload
    whose keys depend on the event type, optional experiment attributes);
    names, paths, messages and keys come from banks too large to repeat
    within deflate's 32 KiB window, and every record has its own uuid,
    timestamp and numbers. Events of one session repeat its context, as
    interleaved sessions do in a real event log."""
    def word(low=2, high=4):
        return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(low, high)))

    countries = ("US", "DE", "FR", "GB", "JP", "BR", "IN", "CA", "ES", "IT", "NL", "SE", "PL", "KR", "MX")
    places = [{"country": rng.choice(countries), "city": word().title(),
               "lat": round(rng.uniform(-60, 70), 4), "lon": round(rng.uniform(-180, 180), 4)}
              for _ in range(5_000)]
    users = [{"id": rng.randint(100_000, 9_999_999), "name": f"{word().title()} {word().title()}",
              "email": f"{word()}.{word(1, 3)}@{word(1, 2)}.{rng.choice(('com', 'org', 'net', 'io', 'de'))}",
              "plan": rng.choice(("free", "free", "free", "pro", "team", "enterprise")),
              "signup": f"20{rng.randint(15, 23)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
             for _ in range(30_000)]
    platforms = ("Windows NT 10.0; Win64; x64", "Macintosh; Intel Mac OS X 10_15_7", "X11; Linux x86_64",
                 "iPhone; CPU iPhone OS 17_1 like Mac OS X", "Linux; Android 14; Pixel 8")
    agents = [f"Mozilla/5.0 ({rng.choice(platforms)}) AppleWebKit/537.36 (KHTML, like Gecko) "
              f"Chrome/{rng.randint(100, 120)}.0.{rng.randint(1000, 6999)}.{rng.randint(0, 250)} Safari/537.36"
              for _ in range(3_000)]
    sdks = [f"{rng.choice(('web-sdk', 'ios-sdk', 'android-sdk'))}/{rng.randint(1, 5)}.{rng.randint(0, 20)}."
            f"{rng.randint(0, 9)}" for _ in range(200)]
    sections = ("products", "blog", "docs", "account", "search", "category", "help", "cart")
    paths = [f"/{rng.choice(sections)}/{word()}-{word()}/{rng.randint(1, 99999)}" for _ in range(40_000)]
    skus = [f"SKU-{word(1, 2).upper()}-{rng.randint(1000, 99999)}" for _ in range(20_000)]
    exceptions = ("TimeoutError", "ValueError", "KeyError", "ConnectionResetError", "PermissionError",
                  "HTTPError", "IntegrityError", "OutOfMemoryError")
    verbs = ("failed for", "not found in", "rejected by", "timed out waiting for", "missing from")
    messages = [f"{rng.choice(exceptions)}: {word()} {rng.choice(verbs)} {word()}_{word(1, 2)} "
                f"(attempt {rng.randint(1, 5)})" for _ in range(20_000)]
    frames = [f"{word()}/{word()}.py:{rng.randint(1, 2000)} in {word()}_{word(1, 2)}" for _ in range(20_000)]
    attribute_keys = [f"exp_{word(1, 3)}_{word(1, 2)}" for _ in range(8_000)]
    types = ("page_view", "page_view", "page_view", "click", "click", "api_call", "api_call",
             "purchase", "error", "login")
    screens = ([1920, 1080], [1440, 900], [390, 844], [412, 915], [2560, 1440])

    def new_session():
        return {"id": f"s_{rng.getrandbits(48):012x}",
                "source": {"sdk": rng.choice(sdks), "env": "production"},
                "user": rng.choice(users) if rng.random() < 0.85 else None,
                "device": {"ua": rng.choice(agents), "ip": ".".join(str(rng.randint(1, 254)) for _ in range(4)),
                           "screen": rng.choice(screens)},
                "geo": rng.choice(places)}

    def attribute():
        kind = rng.randrange(4)
        if kind == 0:
            return rng.random() < 0.5
        if kind == 1:
            return rng.randint(0, 100)
        return word(1, 3) if kind == 2 else round(rng.random(), 3)

    def payload(kind):
        if kind == "page_view":
            return {"page": rng.choice(paths), "referrer": rng.choice(paths) if rng.random() < 0.6 else None,
                    "duration_ms": rng.randint(50, 120_000), "scroll": round(rng.random(), 2)}
        if kind == "click":
            return {"page": rng.choice(paths), "element": f"#{word(1, 2)}-{word(1, 2)}",
                    "x": rng.randint(0, 1920), "y": rng.randint(0, 1080)}
        if kind == "api_call":
            return {"method": rng.choice(("GET", "GET", "GET", "POST", "PUT", "DELETE")),
                    "route": rng.choice(paths).replace("/", "/api/v2/", 1),
                    "status": rng.choice((200, 200, 200, 200, 201, 204, 304, 400, 404, 500)),
                    "latency_ms": round(rng.lognormvariate(3, 1), 2), "bytes": rng.randint(0, 500_000)}
        if kind == "purchase":
            items = [{"sku": rng.choice(skus), "qty": rng.randint(1, 5), "price": rng.randint(99, 49_999) / 100}
                     for _ in range(rng.randint(1, 4))]
            return {"order_id": f"ord_{rng.getrandbits(40):010x}", "items": items,
                    "currency": rng.choice(("USD", "EUR", "GBP", "JPY")),
                    "total": round(sum(i["qty"] * i["price"] for i in items), 2),
                    "coupon": word().upper() if rng.random() < 0.2 else None}
        if kind == "error":
            return {"code": rng.choice((400, 401, 403, 404, 409, 500, 502, 503)), "message": rng.choice(messages),
                    "stack": rng.sample(frames, rng.randint(1, 4)), "retryable": rng.random() < 0.3}
        return {"method": rng.choice(("password", "sso", "oauth_google", "oauth_github")),
                "success": rng.random() < 0.9, "mfa": rng.random() < 0.4}

    # 200 sessions active at a time, 1% of events replace one: about 4.5x.
    # (500 and 2% give 4.2x; 100 and 1%, 4.8x.)
    sessions = [new_session() for _ in range(200)]
    clock_ms = 1_704_110_400_000  # 2024-01-01T12:00:00Z
    seq = produced = 0
    while produced < total:
        lines = []
        size = 0
        while size < chunk_size and produced + size < total:
            seq += 1
            clock_ms += rng.randint(0, 40)
            if rng.random() < 0.01:
                sessions[rng.randrange(len(sessions))] = new_session()
            session = rng.choice(sessions)
            kind = rng.choice(types)
            seconds, ms = divmod(clock_ms, 1000)
            record = {"ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{ms:03d}Z",
                      "event_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                      "seq": seq, "type": kind, "schema": 3, "source": session["source"],
                      "session": session["id"], "user": session["user"], "device": session["device"],
                      "geo": session["geo"], "payload": payload(kind)}
            if rng.random() < 0.5:
                record["attrs"] = {key: attribute() for key in rng.sample(attribute_keys, rng.randint(1, 4))}
            line = (json.dumps(record) + "\n").encode()
            lines.append(line)
            size += len(line)
        chunk = b"".join(lines)
        produced += len(chunk)
        yield chunk


def table_chunks(rng, total, chunk_size=2**20):
    """Yield `total` bytes of fixed-size little-endian sensor records,
    TABLE_RECORD_BYTES each, about 1.6x compressible with deflate level 6.

    Layout: 0 int64 id, 8 int64 time (ns), 16 uint32 device, 20 uint8 kind,
    21 uint8 status, 22 uint16 flags, 24 float64 reading, 32 float32
    temperature, 36 float32 pressure, 40 uint32 count, 44 uint32 reserved (0),
    48 8 random bytes (a digest), 56 float64 voltage. Ids and times increase
    by small random steps; kinds and statuses are skewed enums.

    Records are built a column at a time (struct.pack of a whole column, then
    strided slice assignment into the chunk), which is about ten times faster
    than packing each record."""
    assert total % TABLE_RECORD_BYTES == 0 and chunk_size % TABLE_RECORD_BYTES == 0
    devices = [rng.getrandbits(32) for _ in range(4096)]
    baselines = [rng.uniform(-50, 250) for _ in devices]
    kinds = bytes(rng.choices(range(6), weights=(50, 20, 12, 10, 5, 3), k=65536))
    statuses = bytes(rng.choices(range(4), weights=(90, 6, 3, 1), k=65536))
    next_id = 1_000_000
    clock_ns = 1_704_110_400 * 10**9  # 2024-01-01T12:00:00Z
    produced = 0
    while produced < total:
        n = min(chunk_size, total - produced) // TABLE_RECORD_BYTES
        ids = list(itertools.accumulate((1 + (b & 7) for b in rng.randbytes(n)), initial=next_id))
        next_id = ids.pop()
        steps = struct.unpack(f"<{n}I", rng.randbytes(4 * n))
        times = list(itertools.accumulate((s & 0xFFFFF for s in steps), initial=clock_ns))
        clock_ns = times.pop()
        enums = struct.unpack(f"<{n}I", rng.randbytes(4 * n))
        which = [rng.randrange(len(devices)) for _ in range(n)]
        columns = [
            (0, struct.pack(f"<{n}q", *ids)),
            (8, struct.pack(f"<{n}q", *times)),
            (16, struct.pack(f"<{n}I", *[devices[d] for d in which])),
            (20, bytes(kinds[e & 0xFFFF] for e in enums)),
            (21, bytes(statuses[e >> 16] for e in enums)),
            (22, struct.pack(f"<{n}H", *[1 << (s >> 28) if s >> 28 < 5 else 0 for s in steps])),
            (24, struct.pack(f"<{n}d", *[baselines[d] + rng.gauss(0, 2) for d in which])),
            (32, struct.pack(f"<{n}f", *[round(rng.gauss(21, 4), 1) for _ in range(n)])),
            (36, struct.pack(f"<{n}f", *[round(rng.gauss(1013.25, 8), 2) for _ in range(n)])),
            (40, struct.pack(f"<{n}I", *[int(rng.expovariate(0.01)) for _ in range(n)])),
            (48, rng.randbytes(8 * n)),
            (56, struct.pack(f"<{n}d", *[round(rng.uniform(3.0, 4.2), 3) for _ in range(n)])),
        ]
        chunk = bytearray(n * TABLE_RECORD_BYTES)  # the reserved field stays 0
        for offset, column in columns:
            width = len(column) // n
            for lane in range(width):
                chunk[offset + lane::TABLE_RECORD_BYTES] = column[lane::width]
        produced += len(chunk)
        yield bytes(chunk)


# --------------------------------------------------------------------------
# The archives
# --------------------------------------------------------------------------


def write_entries(path, count, *, seed, prefix=b"", force_zip64=False):
    writer = ZipWriter(path, prefix=prefix, force_zip64=force_zip64)
    for name, data in random_entries(random.Random(seed), count):
        writer.add(name, data)
    writer.close()
    return {"entries": writer.count}


def write_data(path):
    writer = ZipWriter(path)
    crc, csize, usize = writer.add_deflated_stream(
        "data.bin", data_chunks(random.Random(SEED + 7), DATA_ENTRY_BYTES))
    writer.close()
    return {"entries": 1, "name": "data.bin", "crc32": crc,
            "compressedSize": csize, "uncompressedSize": usize}


# (entry name, generator, seed offset) of large-data.zip: inflate speed
# depends on the data, so the inflate targets are checked on three kinds.
LARGE_DATA_ENTRIES = [
    ("text.log", data_chunks, 10),
    ("events.jsonl", jsonl_chunks, 11),
    ("table.bin", table_chunks, 12),
]


def write_large_data(path):
    writer = ZipWriter(path)
    members = {}
    for name, chunks, offset in LARGE_DATA_ENTRIES:
        crc, csize, usize = writer.add_deflated_stream(
            name, chunks(random.Random(SEED + offset), LARGE_ENTRY_BYTES))
        members[name] = {"crc32": crc, "compressedSize": csize, "uncompressedSize": usize}
    writer.close()
    return {"entries": len(members), "members": members}


def write_pyspark(path):
    rng = random.Random(SEED + 8)
    count = write_package_tree(path, rng, package_modules(rng, PYSPARK_PACKAGES, 1500))
    return {"entries": count, "deepModule": "pyspark/sql/connect/proto/deep_module.py"}


def write_py4j(path):
    rng = random.Random(SEED + 9)
    count = write_package_tree(path, rng, package_modules(rng, PY4J_PACKAGES, 300))
    return {"entries": count}


def write_importer_archive(path, archive_index, entries):
    """Stored modules mod0.py .. mod{entries-1}.py; each module records where
    it came from, so a benchmark can check which archive won."""
    writer = ZipWriter(path)
    for i in range(entries):
        writer.add(f"mod{i}.py",
                   f"ARCHIVE = {archive_index}\nINDEX = {i}\n".encode())
    writer.close()
    return {"entries": entries, "firstModule": "mod0.py"}


# (file name, writer, expensive): expensive archives are kept by --quick.
ARCHIVES = [
    ("entries-1k.zip", lambda p: write_entries(p, 1_000, seed=SEED + 1), False),
    ("entries-10k.zip", lambda p: write_entries(p, 10_000, seed=SEED + 2), False),
    ("entries-100k.zip", lambda p: write_entries(p, 100_000, seed=SEED + 3), False),
    ("entries-1m.zip", lambda p: write_entries(p, 1_000_000, seed=SEED + 4), True),
    ("zip64-10k.zip", lambda p: write_entries(p, 10_000, seed=SEED + 5, force_zip64=True), False),
    ("prepended-10k.zip", lambda p: write_entries(
        p, 10_000, seed=SEED + 6,
        prefix=random.Random(SEED + 60).randbytes(PREPENDED_JUNK_BYTES)), False),
    ("data-100mb.zip", write_data, True),
    ("large-data.zip", write_large_data, True),
    ("pyspark-like.zip", write_pyspark, False),
    ("py4j-like.zip", write_py4j, False),
    ("importer-10.zip", lambda p: write_importer_archive(p, 0, 10), False),
    ("importer-1000.zip", lambda p: write_importer_archive(p, 0, 1000), False),
]


def write_atomically(path, writer):
    """Run writer(tmp) and rename into place, so an interrupted run never
    leaves a truncated archive that --quick would mistake for a good one."""
    tmp = path + ".tmp"
    info = writer(tmp)
    os.replace(tmp, path)
    return info


def verify(path, info):
    """Check an archive with Python's zipfile and, when small, with unzip."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if len(infos) != info["entries"]:
            raise SystemExit(f"{path}: zipfile sees {len(infos)} entries, "
                             f"expected {info['entries']}")
        if len(infos) <= 20_000:
            bad = archive.testzip()
        else:
            # Reading a member checks its CRC; sample instead of reading all.
            bad = None
            for member in random.Random(0).sample(infos, 2_000) + [infos[0], infos[-1]]:
                archive.read(member)
        if bad is not None:
            raise SystemExit(f"{path}: bad member {bad}")
    if info["entries"] <= 20_000:
        result = subprocess.run(["unzip", "-tq", path], capture_output=True, text=True)
        # unzip exits 1 (warning) for the prepended junk but still tests every entry.
        if result.returncode not in (0, 1) or "No errors detected" not in result.stdout:
            raise SystemExit(f"{path}: unzip -tq failed:\n{result.stdout}{result.stderr}")


def generate_standard(outdir, quick, check):
    os.makedirs(outdir, exist_ok=True)
    stamp_path = os.path.join(outdir, ".gen_archives.version")
    manifest_path = os.path.join(outdir, "manifest.json")
    stamp_ok = (os.path.exists(stamp_path)
                and open(stamp_path).read().strip() == GENERATOR_VERSION)
    old_manifest = {}
    if stamp_ok and os.path.exists(manifest_path):
        old_manifest = json.load(open(manifest_path)).get("archives", {})
    # Invalidate the stamp until this run finishes.
    if os.path.exists(stamp_path):
        os.remove(stamp_path)

    manifest = {}
    for name, writer, expensive in ARCHIVES:
        path = os.path.join(outdir, name)
        started = time.perf_counter()
        if quick and expensive and stamp_ok and os.path.exists(path) and name in old_manifest:
            info, action = old_manifest[name], "kept"
        else:
            info, action = write_atomically(path, writer), "wrote"
        seconds = time.perf_counter() - started
        info["bytes"] = os.path.getsize(path)
        manifest[name] = info
        line = f"{action} {name}: {info['entries']} entries, {info['bytes']} bytes, {seconds:.2f}s"
        if check:
            started = time.perf_counter()
            verify(path, info)
            line += f", verified in {time.perf_counter() - started:.2f}s"
        print(line, flush=True)

    with open(manifest_path, "w") as f:
        json.dump({"generatorVersion": GENERATOR_VERSION, "archives": manifest}, f, indent=2)
        f.write("\n")
    with open(stamp_path, "w") as f:
        f.write(GENERATOR_VERSION + "\n")


def generate_many(outdir, count, entries, check):
    os.makedirs(outdir, exist_ok=True)
    started = time.perf_counter()
    for index in range(count):
        path = os.path.join(outdir, f"a{index:04d}.zip")
        info = write_atomically(path, lambda p: write_importer_archive(p, index, entries))
        if check:
            verify(path, info)
    print(f"wrote {count} archives of {entries} entries to {outdir} "
          f"in {time.perf_counter() - started:.2f}s", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("--quick", action="store_true",
                        help="keep entries-1m.zip, data-100mb.zip and large-data.zip when up to date")
    parser.add_argument("--verify", action="store_true",
                        help="check each archive with zipfile (and unzip -tq when small)")
    parser.add_argument("--many-archives", type=int, metavar="COUNT",
                        help="write COUNT importer archives a0000.zip.. instead")
    parser.add_argument("--entries-per-archive", type=int, default=10, metavar="K")
    args = parser.parse_args()
    if args.many_archives is not None:
        if not 0 < args.many_archives <= 10_000 or args.entries_per_archive < 1:
            parser.error("need 1 <= COUNT <= 10000 and K >= 1")
        generate_many(args.outdir, args.many_archives, args.entries_per_archive, args.verify)
    else:
        generate_standard(args.outdir, args.quick, args.verify)


if __name__ == "__main__":
    sys.exit(main())
