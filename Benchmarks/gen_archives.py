#!/usr/bin/env python3
"""Write the deterministic archives the benchmarks read.

    gen_archives.py OUTDIR [--quick]
    gen_archives.py --many-archives COUNT [--entries-per-archive K] OUTDIR

The first form writes the standard set (ARCHIVES); --quick keeps the
expensive ones when they exist and OUTDIR's .gen_archives.version matches
GENERATOR_VERSION. The second writes COUNT archives a0000.zip ... of K stored
modules mod0.py ... each. Every byte is a function of SEED: fixed timestamps,
one seeded random.Random per archive; bump GENERATOR_VERSION whenever the
output changes. Records are packed with struct (APPNOTE.TXT), several times
faster than zipfile at a million entries.
"""
import argparse
import itertools
import json
import os
import random
import struct
import sys
import time
import uuid
import zlib

GENERATOR_VERSION = "1"
SEED = 20240101
DOS_TIME, DOS_DATE = 12 << 11, ((2024 - 1980) << 9) | (1 << 5) | 1  # 2024-01-01 12:00:00
MADE_BY_UNIX, VERSION, VERSION_ZIP64 = 3 << 8, 20, 45
LOCAL = struct.Struct("<IHHHHHIIIHH")                # APPNOTE 4.3.7
CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")        # 4.3.12
END = struct.Struct("<IHHHHIIH")                     # 4.3.16
ZIP64_END = struct.Struct("<IQHHIIQQQQ")             # 4.3.14
ZIP64_LOCATOR = struct.Struct("<IIQI")               # 4.3.15
U16_MAX, U32_MAX = 0xFFFF, 0xFFFFFFFF
TABLE_RECORD_BYTES = 64


class ZipWriter:
    """Packs every record itself; ZIP64 end records only when the counts or
    offsets overflow, with the end record saturated as Python's zipfile does."""

    def __init__(self, path):
        self.file = open(path, "wb")
        self.central = []

    def _entry(self, name, method, crc, csize, usize, offset, is_dir=False):
        attrs = (0o040755 << 16) | 0x10 if is_dir else 0o100644 << 16
        if max(offset, csize, usize) >= U32_MAX:
            raise ValueError("entries and offsets must stay below 4 GiB")
        self.central.append(CENTRAL.pack(0x02014B50, MADE_BY_UNIX | VERSION, VERSION, 0, method, DOS_TIME,
                                         DOS_DATE, crc, csize, usize, len(name), 0, 0, 0, 0, attrs, offset) + name)

    def add(self, name, data=b"", *, deflate=False, is_dir=False):
        name, crc, offset = name.encode("ascii") if isinstance(name, str) else name, zlib.crc32(data), self.file.tell()
        payload, method = data, 0
        if deflate and data:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            payload, method = compressor.compress(data) + compressor.flush(), 8
        self.file.write(LOCAL.pack(0x04034B50, VERSION, 0, method, DOS_TIME, DOS_DATE, crc, len(payload),
                                   len(data), len(name), 0) + name + payload)
        self._entry(name, method, crc, len(payload), len(data), offset, is_dir)

    def add_deflated_stream(self, name, chunks):
        """One deflated entry from an iterable of chunks; the local header's
        CRC and sizes are patched afterwards. Returns (crc, csize, usize)."""
        name, offset = name.encode("ascii"), self.file.tell()
        self.file.write(LOCAL.pack(0x04034B50, VERSION, 0, 8, DOS_TIME, DOS_DATE, 0, 0, 0, len(name), 0) + name)
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        crc = usize = 0
        for chunk in chunks:
            crc = zlib.crc32(chunk, crc)
            usize += len(chunk)
            self.file.write(compressor.compress(chunk))
        self.file.write(compressor.flush())
        end = self.file.tell()
        csize = end - offset - LOCAL.size - len(name)
        self.file.seek(offset + 14)
        self.file.write(struct.pack("<III", crc, csize, usize))
        self.file.seek(end)
        self._entry(name, 8, crc, csize, usize, offset)
        return crc, csize, usize

    def close(self):
        offset = self.file.tell()
        central = b"".join(self.central)
        count, size = len(self.central), len(central)
        self.file.write(central)
        if count > U16_MAX or size >= U32_MAX or offset >= U32_MAX:
            # The record's size excludes its first 12 bytes (APPNOTE 4.3.14.1).
            self.file.write(ZIP64_END.pack(0x06064B50, ZIP64_END.size - 12, MADE_BY_UNIX | VERSION_ZIP64,
                                           VERSION_ZIP64, 0, 0, count, count, size, offset)
                            + ZIP64_LOCATOR.pack(0x07064B50, 0, offset + size, 1))
        self.file.write(END.pack(0x06054B50, 0, 0, min(count, U16_MAX), min(count, U16_MAX),
                                 min(size, U32_MAX), min(offset, U32_MAX), 0))
        self.file.close()
        return count


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
    """`count` (name, content) pairs: unique path-like names of 20-80 bytes
    (b'pkg_ab/sub_cd/module_xyz123.py'), 0-16 bytes of content."""
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
    """A package archive in `zip -r` order: each directory right before its contents."""
    writer, written = ZipWriter(path), set()
    for module in sorted(modules):
        parts = module.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            directory = "/".join(parts[:depth]) + "/"
            if directory not in written:
                written.add(directory)
                writer.add(directory, is_dir=True)
        writer.add(module, python_source(rng, module), deflate=True)
    return writer.close()


def package_modules(rng, packages, target):
    """Module paths: every package's __init__.py and named modules, then test
    modules until there are `target` entries (directories included)."""
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


def packages(text):
    """{package: [module stems]} from lines "package: stem stem ..." (an
    indented line continues the one before)."""
    return {package.strip(): stems.split() for package, _, stems in
            (line.partition(":") for line in text.strip().replace("\n    ", " ").splitlines())}


PYSPARK_PACKAGES = packages("""
pyspark: accumulators broadcast conf context daemon files find_spark_home install java_gateway join
    profiler rdd rddsampler resultiterable serializers shell shuffle statcounter status storagelevel
    taskcontext traceback_utils util version worker _globals
pyspark/cloudpickle: cloudpickle cloudpickle_fast compat
pyspark/errors: error_classes utils
pyspark/errors/exceptions: base captured connect
pyspark/ml: base classification clustering common evaluation feature fpm functions image model_cache
    pipeline recommendation regression stat tree tuning util wrapper
pyspark/ml/linalg:
pyspark/ml/param: shared _shared_params_code_gen
pyspark/ml/torch: distributor log_communication torch_run_process_wrapper
pyspark/ml/connect: base classification evaluation feature io_utils pipeline summarizer tuning util
pyspark/ml/tests:
pyspark/mllib: classification clustering common evaluation feature fpm random recommendation
    regression tree util
pyspark/mllib/linalg: distributed
pyspark/mllib/stat: KernelDensity distribution test _statistics
pyspark/mllib/tests:
pyspark/pandas: accessors base categorical config correlation datetimes exceptions extensions frame
    generic groupby indexing internal mlflow namespace numpy_compat resample series sql_formatter
    sql_processor strings utils window
pyspark/pandas/data_type_ops: base binary_ops boolean_ops categorical_ops complex_ops date_ops
    datetime_ops null_ops num_ops string_ops timedelta_ops udt_ops
pyspark/pandas/indexes: base category datetimes multi timedelta
pyspark/pandas/missing: common frame general_functions groupby indexes resample scalars series
    window
pyspark/pandas/plot: core matplotlib plotly
pyspark/pandas/spark: accessors functions utils
pyspark/pandas/typedef: typehints
pyspark/pandas/usage_logging: usage_logger
pyspark/pandas/tests:
pyspark/pandas/tests/computation:
pyspark/pandas/tests/data_type_ops:
pyspark/pandas/tests/indexes:
pyspark/pandas/tests/plot:
pyspark/resource: information profile requests
pyspark/sql: catalog column conf context dataframe functions group observation readwriter session
    sql_formatter types udf udtf utils window
pyspark/sql/avro: functions
pyspark/sql/protobuf: functions
pyspark/sql/pandas: conversion functions group_ops map_ops serializers typehints types utils
pyspark/sql/pandas/_typing:
pyspark/sql/streaming: listener query readwriter state
pyspark/sql/connect: catalog column conf conversion dataframe expressions functions group plan
    readwriter session types udf udtf utils window
pyspark/sql/connect/client: artifact core reattach retries
pyspark/sql/connect/proto: base_pb2 base_pb2_grpc catalog_pb2 commands_pb2 common_pb2
    example_plugins_pb2 expressions_pb2 relations_pb2 types_pb2 deep_module
pyspark/sql/connect/streaming: query readwriter
pyspark/sql/connect/streaming/worker: foreach_batch_worker listener_worker
pyspark/sql/tests:
pyspark/sql/tests/connect:
pyspark/sql/tests/pandas:
pyspark/sql/tests/streaming:
pyspark/streaming: context dstream kinesis listener util
pyspark/streaming/tests:
pyspark/testing: connectutils mllibutils mlutils pandasutils sqlutils streamingutils utils
pyspark/tests:
""")
PY4J_PACKAGES = packages("""
py4j: clientserver compat finalizer java_collections java_gateway protocol signals version
py4j/tests: client_server_test finalizer_test java_array_test java_callback_test java_gateway_test
    java_list_test java_map_test java_set_test memory_leak_test multithreadtest py4j_callback_example
    signals_test
py4j/tests/integration:
py4j/tests/callback:
py4j/tests/collections:
""")


def data_chunks(rng, total, chunk_size=2**20):
    """`total` bytes of log-like text mixed with random runs (deflates about
    3.4x); lines come from a bank too large to repeat within deflate's window."""
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
    """JSON lines of nested web and app event records up to `total` bytes
    (deflates about 4.65x); the banks are too large to repeat within deflate's
    window, and events of one session repeat its context, as in a real log."""
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
    """`total` bytes of 64-byte little-endian sensor records (deflates about
    1.58x): ids, times, device, skewed enums, flags, readings, a digest. Built a
    column at a time, about ten times faster than packing each record."""
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


def write_entries(path, count, seed):
    writer = ZipWriter(path)
    for name, data in random_entries(random.Random(seed), count):
        writer.add(name, data)
    return writer.close()


def write_streams(path, members):
    """Deflated entries streamed from (name, chunk generator, seed offset, bytes)."""
    writer = ZipWriter(path)
    for name, chunks, offset, size in members:
        writer.add_deflated_stream(name, chunks(random.Random(SEED + offset), size))
    return writer.close()


def write_importer_archive(path, archive_index, entries):
    """Stored mod0.py ...; each module records which archive it came from."""
    writer = ZipWriter(path)
    for i in range(entries):
        writer.add(f"mod{i}.py", f"ARCHIVE = {archive_index}\nINDEX = {i}\n".encode())
    return writer.close()


def write_tree(path, packages_, target, seed):
    rng = random.Random(seed)
    return write_package_tree(path, rng, package_modules(rng, packages_, target))


# (file name, writer, expensive: kept by --quick)
ARCHIVES = [
    ("entries-1k.zip", lambda p: write_entries(p, 1_000, SEED + 1), False),
    ("entries-10k.zip", lambda p: write_entries(p, 10_000, SEED + 2), False),
    ("entries-100k.zip", lambda p: write_entries(p, 100_000, SEED + 3), False),
    ("entries-1m.zip", lambda p: write_entries(p, 1_000_000, SEED + 4), True),
    ("data-100mb.zip", lambda p: write_streams(p, [("data.bin", data_chunks, 7, 100 * 2**20)]), True),
    # Three kinds of data, since inflate speed depends on it.
    ("large-data.zip", lambda p: write_streams(p, [("text.log", data_chunks, 10, 64 * 2**20),
                                                   ("events.jsonl", jsonl_chunks, 11, 64 * 2**20),
                                                   ("table.bin", table_chunks, 12, 64 * 2**20)]), True),
    ("pyspark-like.zip", lambda p: write_tree(p, PYSPARK_PACKAGES, 1500, SEED + 8), False),
    ("py4j-like.zip", lambda p: write_tree(p, PY4J_PACKAGES, 300, SEED + 9), False),
    ("importer-10.zip", lambda p: write_importer_archive(p, 0, 10), False),
]


def write_atomically(path, writer):
    """An interrupted run never leaves a truncated archive for --quick to keep."""
    entries = writer(path + ".tmp")
    os.replace(path + ".tmp", path)
    return entries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("--quick", action="store_true", help="keep the expensive archives when up to date")
    parser.add_argument("--many-archives", type=int, metavar="COUNT")
    parser.add_argument("--entries-per-archive", type=int, default=10, metavar="K")
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    if args.many_archives is not None:
        for index in range(args.many_archives):
            write_atomically(os.path.join(args.outdir, f"a{index:04d}.zip"),
                             lambda p: write_importer_archive(p, index, args.entries_per_archive))
        print(f"wrote {args.many_archives} archives of {args.entries_per_archive} entries to {args.outdir}")
        return
    stamp = os.path.join(args.outdir, ".gen_archives.version")
    current = os.path.exists(stamp) and open(stamp).read().strip() == GENERATOR_VERSION
    if os.path.exists(stamp):
        os.remove(stamp)  # until this run finishes
    for name, writer, expensive in ARCHIVES:
        path, started = os.path.join(args.outdir, name), time.perf_counter()
        if args.quick and expensive and current and os.path.exists(path):
            print(f"kept {name}", flush=True)
            continue
        entries = write_atomically(path, writer)
        print(f"wrote {name}: {entries} entries, {os.path.getsize(path)} bytes, "
              f"{time.perf_counter() - started:.2f}s", flush=True)
    with open(stamp, "w") as f:
        f.write(GENERATOR_VERSION + "\n")


if __name__ == "__main__":
    sys.exit(main())
