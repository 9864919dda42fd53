#!/usr/bin/env python3
"""Python's zipfile and zipimport on the same scenarios as zipbench.

Each subcommand prints one JSON line. Run it under the interpreter to
measure (python3 is 3.11.7 here, PYENV_VERSION=3.13.0 python3 is 3.13.0).

    pybench.py parse ARCHIVE [R]      zipfile.ZipFile(ARCHIVE): reads the central
                                      directory into ZipInfo objects and the
                                      name -> ZipInfo dict; close() untimed.
    pybench.py zipimport ARCHIVE [R]  zipimport._read_directory(ARCHIVE): the
                                      directory read that zipimporter (and so
                                      importlib.invalidate_caches()) pays.
    pybench.py lookup ARCHIVE [R]     ZipFile.getinfo(name) of random existing
                                      names (hit) and of names with one byte
                                      changed (miss, KeyError caught), in
                                      batches of 1,024; median per lookup.
    pybench.py inflate ARCHIVE NAME [R]
                                      ZipFile(ARCHIVE).open(NAME) read in
                                      256 KiB chunks to the end (ZipExtFile
                                      checks the CRC-32 at EOF).
    pybench.py invalidate ARCHIVE...  every archive on sys.path, each one's
                                      zipimporter made (a find_spec of a missing
                                      module) with its directory read, then
                                      importlib.invalidate_caches() timed: total
                                      and per archive, after one untimed call.
                                      Before each call (BENCH_RUNS, default 5)
                                      every directory is read again, untimed.
    pybench.py once ARCHIVE           ZipFile(ARCHIVE) once and exit: for
                                      whole-process time and peak RSS; prints
                                      {"entries", "onceNs"}.

Without R, repetitions fill BENCH_TARGET_MS (default 1500) after one warm-up
run, at least 5 (at least 1 when one run takes over 2 s) and at most 100,000.
With R and BENCH_SKIP_WARMUP set, the warm-up run is skipped. `invalidate`
times BENCH_RUNS (default 5) calls.
"""

import gc
import importlib
import importlib.util
import json
import os
import sys
import time
import zipfile
import zipimport

now = time.perf_counter_ns


def emit(**fields):
    print(json.dumps(fields), flush=True)


def run(repetitions, body, cleanup=None):
    """Times body(); returns (runs, median, min, max) in ns."""
    cleanup = cleanup or (lambda: None)
    warm = 0
    if repetitions is None or "BENCH_SKIP_WARMUP" not in os.environ:
        t0 = now()
        body()
        warm = now() - t0
        cleanup()
    if repetitions is not None:
        runs = int(repetitions)
    else:
        target = int(os.environ.get("BENCH_TARGET_MS", "1500")) * 1_000_000
        if warm > 2_000_000_000:
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


def timing(entries, stats):
    runs, med, lo, hi = stats
    return dict(entries=entries, runs=runs, medianNs=med, minNs=lo, maxNs=hi,
                nsPerEntry=round(med / max(entries, 1), 2))


def parse(path, repetitions=None):
    state = {}

    def body():
        state["zf"] = zipfile.ZipFile(path)

    def cleanup():
        zf = state.pop("zf")
        state["entries"] = len(zf.infolist())
        zf.close()

    stats = run(repetitions, body, cleanup)
    emit(**timing(state["entries"], stats))


def read_directory(path, repetitions=None):
    state = {}

    def body():
        state["files"] = zipimport._read_directory(path)

    def cleanup():
        state["entries"] = len(state.pop("files"))

    stats = run(repetitions, body, cleanup)
    emit(**timing(state["entries"], stats))


class XorShift:
    """xorshift64*, the generator of the C floor's lookup mode."""

    def __init__(self):
        self.state = 0x9E3779B97F4A7C15

    def next(self):
        s = self.state
        s ^= s >> 12
        s ^= (s << 25) & 0xFFFFFFFFFFFFFFFF
        s ^= s >> 27
        self.state = s
        return (s * 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF


def lookup(path, repetitions=None):
    zf = zipfile.ZipFile(path)
    names = zf.namelist()
    rng = XorShift()
    batch = 1024
    hits = [names[rng.next() % len(names)] for _ in range(batch * 16)]
    misses = []
    present = set(names)
    while len(misses) < batch * 16:
        name = names[rng.next() % len(names)]
        if not name:
            continue
        middle = len(name) // 2
        changed = name[:middle] + chr(ord(name[middle]) ^ 0x20) + name[middle + 1:]
        if changed not in present:
            misses.append(changed)

    def time_batches(queries, expect_hit):
        getinfo = zf.getinfo
        samples = []
        batches = [queries[i:i + batch] for i in range(0, len(queries), batch)]
        deadline = now() + 500_000_000
        found = 0
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

    hit = time_batches(hits, True)
    miss = time_batches(misses, False)
    emit(entries=len(names), hitNs=hit, missNs=miss)


def inflate(path, name, repetitions=None):
    state = {"bytes": 0}

    def body():
        total = 0
        with zipfile.ZipFile(path) as zf, zf.open(name) as f:
            while True:
                chunk = f.read(256 * 1024)
                if not chunk:
                    break
                total += len(chunk)
        state["bytes"] = total

    runs, med, lo, hi = run(repetitions, body)
    emit(bytes=state["bytes"], runs=runs, medianNs=med, minNs=lo, maxNs=hi,
         mbPerSec=round(state["bytes"] / 1e6 / (med / 1e9), 2))


def refill(paths):
    """Untimed: every zipimporter reads its directory again, as the next import
    from each archive would. (3.11 keeps it in _files and re-reads it inside
    invalidate_caches() itself; 3.12+ drops it there and reads it lazily.)"""
    for path in paths:
        importer = sys.path_importer_cache[path]
        if hasattr(importer, "_get_files"):
            importer._get_files()


def invalidate(paths):
    paths = [os.path.abspath(p) for p in paths]
    sys.path[:0] = paths
    importlib.util.find_spec("zipindex_benchmark_no_such_module")  # makes the zipimporters
    # Warm-up, untimed: the first invalidate_caches() of a process also
    # imports importlib.metadata (3.12+), every import of which probes all
    # the archives on sys.path.
    importlib.invalidate_caches()
    refill(paths)
    importers = sum(isinstance(sys.path_importer_cache.get(p), zipimport.zipimporter)
                    for p in paths)
    if importers != len(paths):
        sys.exit(f"pybench: only {importers} of {len(paths)} archives got a zipimporter")
    samples = []
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    for run_index in range(runs):
        t0 = now()
        importlib.invalidate_caches()
        samples.append(now() - t0)
        if run_index + 1 < runs:
            refill(paths)
    samples.sort()
    med = samples[len(samples) // 2]
    emit(archives=len(paths), runs=len(samples), invalidateTotalNs=med,
         invalidatePerArchiveNs=round(med / len(paths), 2), minNs=samples[0], maxNs=samples[-1])


def once(path):
    t0 = now()
    zf = zipfile.ZipFile(path)
    elapsed = now() - t0
    emit(entries=len(zf.infolist()), onceNs=elapsed)
    zf.close()


def main(argv):
    gc.disable()  # as timeit does: collections would land in random runs
    commands = {
        "parse": (parse, 1, 2), "zipimport": (read_directory, 1, 2),
        "lookup": (lookup, 1, 2), "inflate": (inflate, 2, 3), "once": (once, 1, 1),
    }
    if len(argv) >= 2 and argv[0] == "invalidate":
        return invalidate(argv[1:])
    if not argv or argv[0] not in commands:
        sys.exit(__doc__)
    function, least, most = commands[argv[0]]
    if not least <= len(argv) - 1 <= most:
        sys.exit(__doc__)
    function(*argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
