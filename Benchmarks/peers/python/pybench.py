#!/usr/bin/env python3
"""Python's zipfile and zipimport on the same scenarios as zipbench, under the
interpreter that runs this. Each subcommand prints one JSON line.

    pybench.py parse ARCHIVE [R]      zipfile.ZipFile(ARCHIVE) (ZipInfo objects and
                                      the name dict); close() untimed
    pybench.py zipimport ARCHIVE [R]  zipimport._read_directory(ARCHIVE): what a
                                      zipimporter (and 3.11's invalidate_caches()) pays
    pybench.py lookup ARCHIVE         getinfo(name) of random existing names and of
                                      names with one byte changed (KeyError caught),
                                      in batches of 1,024: median per lookup
    pybench.py inflate ARCHIVE NAME [R]  ZipFile.open(NAME) read in 256 KiB chunks
                                      (the CRC-32 is checked at the end)
    pybench.py invalidate ARCHIVE...  every archive on sys.path with its zipimporter
                                      made and directory read, one untimed call, then
                                      BENCH_RUNS (5) importlib.invalidate_caches()
                                      timed, every directory read again before each
    pybench.py gh103200 ARCHIVE:MODULE...  CPython gh-103200's loop: parents imported
                                      once, then invalidate_caches() and find_spec of
                                      every MODULE, per iteration (BENCH_TARGET_MS)
    pybench.py once ARCHIVE           ZipFile(ARCHIVE) once: whole-process time, RSS

Without R, repetitions fill BENCH_TARGET_MS (1500) after a warm-up run: at
least 5 (1 when one run takes over 2 s), at most 100,000. With R and
BENCH_SKIP_WARMUP set, there is no warm-up run.
"""

import gc
import importlib
import importlib.util
import json
import os
import platform
import sys
import time
import zipfile
import zipimport

now = time.perf_counter_ns


def emit(**fields):
    print(json.dumps(fields), flush=True)


def run(repetitions, body, cleanup=lambda: None):
    """Times body(); returns (runs, median, min, max) in ns."""
    warm = 0
    if repetitions is None or "BENCH_SKIP_WARMUP" not in os.environ:
        t0 = now()
        body()
        warm = now() - t0
        cleanup()
    target = int(os.environ.get("BENCH_TARGET_MS", "1500")) * 1_000_000
    if repetitions is not None:
        runs = int(repetitions)
    elif warm > 2_000_000_000:
        runs = max(1, target // warm)
    else:
        t0 = now()
        body()
        one = max(now() - t0, 1)
        cleanup()
        runs = min(max(5, target // one), 100_000)
    samples = []
    for _ in range(runs):
        t0 = now()
        body()
        samples.append(now() - t0)
        cleanup()
    samples.sort()
    return runs, samples[len(samples) // 2], samples[0], samples[-1]


def directory(path, repetitions, read, count):
    """Times read(path); count(result) is the entry count, taken untimed."""
    state = {}

    def body():
        state["result"] = read(path)

    def cleanup():
        state["entries"] = count(state.pop("result"))

    runs, med, lo, hi = run(repetitions, body, cleanup)
    emit(entries=state["entries"], runs=runs, medianNs=med, minNs=lo, maxNs=hi,
         nsPerEntry=round(med / max(state["entries"], 1), 2))


def close(zf):
    zf.close()
    return len(zf.infolist())


def parse(path, repetitions=None):
    directory(path, repetitions, zipfile.ZipFile, close)


def read_directory(path, repetitions=None):
    directory(path, repetitions, zipimport._read_directory, len)


def xorshift():
    """xorshift64*, the generator of the C floor's lookup mode."""
    s = 0x9E3779B97F4A7C15
    while True:
        s ^= s >> 12
        s ^= (s << 25) & 0xFFFFFFFFFFFFFFFF
        s ^= s >> 27
        yield (s * 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF


def lookup(path):
    zf = zipfile.ZipFile(path)
    names = zf.namelist()
    rng = xorshift()
    batch = 1024
    hits = [names[next(rng) % len(names)] for _ in range(batch * 16)]
    misses, present = [], set(names)
    while len(misses) < batch * 16:
        name = names[next(rng) % len(names)]
        if name:
            middle = len(name) // 2
            changed = name[:middle] + chr(ord(name[middle]) ^ 0x20) + name[middle + 1:]
            if changed not in present:
                misses.append(changed)

    def time_batches(queries, expect_hit):
        getinfo, samples, found = zf.getinfo, [], 0
        batches = [queries[i:i + batch] for i in range(0, len(queries), batch)]
        deadline = now() + 500_000_000
        while len(samples) < 64 or (now() < deadline and len(samples) < 2048):
            for chunk in batches:
                t0 = now()
                for q in chunk:
                    try:
                        getinfo(q)
                        found += 1
                    except KeyError:
                        pass
                samples.append(now() - t0)
        if (found > 0) != expect_hit:
            sys.exit("pybench: lookup returned the wrong kind of result")
        samples.sort()
        return round(samples[len(samples) // 2] / batch, 2)

    emit(entries=len(names), hitNs=time_batches(hits, True), missNs=time_batches(misses, False))


def inflate(path, name, repetitions=None):
    state = {"bytes": 0}

    def body():
        total = 0
        with zipfile.ZipFile(path) as zf, zf.open(name) as f:
            while chunk := f.read(256 * 1024):
                total += len(chunk)
        state["bytes"] = total

    runs, med, lo, hi = run(repetitions, body)
    emit(bytes=state["bytes"], runs=runs, medianNs=med, minNs=lo, maxNs=hi,
         mbPerSec=round(state["bytes"] / 1e6 / (med / 1e9), 2))


def refill(paths):
    """Untimed: every zipimporter reads its directory again, as the next import
    would (3.11 re-reads it inside invalidate_caches(); 3.12+ drops it there)."""
    for path in paths:
        importer = sys.path_importer_cache[path]
        if hasattr(importer, "_get_files"):
            importer._get_files()


def invalidate(*paths):
    paths = [os.path.abspath(p) for p in paths]
    sys.path[:0] = paths
    importlib.util.find_spec("zipindex_benchmark_no_such_module")  # makes the zipimporters
    # Untimed: the first call of a process also imports importlib.metadata
    # (3.12+), every import of which probes all the archives.
    importlib.invalidate_caches()
    refill(paths)
    importers = sum(isinstance(sys.path_importer_cache.get(p), zipimport.zipimporter) for p in paths)
    if importers != len(paths):
        sys.exit(f"pybench: only {importers} of {len(paths)} archives got a zipimporter")
    samples = []
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    for index in range(runs):
        t0 = now()
        importlib.invalidate_caches()
        samples.append(now() - t0)
        if index + 1 < runs:
            refill(paths)
    samples.sort()
    med = samples[len(samples) // 2]
    emit(archives=len(paths), runs=len(samples), invalidateTotalNs=med,
         invalidatePerArchiveNs=round(med / len(paths), 2), minNs=samples[0], maxNs=samples[-1])


def gh103200(*pairs):
    pairs = [p.rsplit(":", 1) for p in pairs]
    archives = [os.path.abspath(archive) for archive, _ in pairs]
    modules = [module for _, module in pairs]
    sys.path[:0] = archives

    def find_all():
        for archive, module in zip(archives, modules):
            spec = importlib.util.find_spec(module)
            if spec is None or not spec.origin or not spec.origin.startswith(archive):
                sys.exit(f"gh103200: {module} not found in {archive} (spec: {spec})")

    gc.enable()
    find_all()  # imports the parent packages, makes the zipimporters
    gc.disable()
    target = int(os.environ.get("BENCH_TARGET_MS", "1500")) * 1_000_000
    samples, start = [], now()
    while len(samples) < 20 or (now() - start < target and len(samples) < 100_000):
        t0 = now()
        importlib.invalidate_caches()
        find_all()
        samples.append(now() - t0)
    samples.sort()
    emit(python=platform.python_version(), iterations=len(samples),
         perIterationNs=samples[len(samples) // 2], minNs=samples[0], maxNs=samples[-1])


def once(path):
    t0 = now()
    zf = zipfile.ZipFile(path)
    elapsed = now() - t0
    emit(entries=len(zf.infolist()), onceNs=elapsed)


COMMANDS = {"parse": (parse, 1, 2), "zipimport": (read_directory, 1, 2), "lookup": (lookup, 1, 1),
            "inflate": (inflate, 2, 3), "once": (once, 1, 1),
            "invalidate": (invalidate, 1, 10**6), "gh103200": (gh103200, 1, 10**6)}

if __name__ == "__main__":
    gc.disable()  # as timeit does: collections would land in random runs
    command, *arguments = sys.argv[1:] or [""]
    function, least, most = COMMANDS.get(command, (None, 1, 0))
    if function is None or not least <= len(arguments) <= most:
        sys.exit(__doc__)
    function(*arguments)
