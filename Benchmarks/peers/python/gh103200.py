#!/usr/bin/env python3
"""The loop from CPython issue gh-103200, timed per iteration.

    gh103200.py ARCHIVE:MODULE [ARCHIVE:MODULE ...]

Puts every ARCHIVE at the front of sys.path, imports each MODULE's parent
packages once (find_spec of a dotted name imports them; they then stay in
sys.modules), and then repeats, for about BENCH_TARGET_MS (default 1500;
at least 20 iterations):

    importlib.invalidate_caches()
    for each MODULE: importlib.util.find_spec(MODULE)

Prints {"python", "iterations", "perIterationNs" (median), "minNs", "maxNs"}.
Every find_spec must return a spec whose origin lies inside its archive.
"""

import gc
import importlib
import importlib.util
import json
import os
import platform
import sys
import time


def main(argv):
    if not argv or any(":" not in a for a in argv):
        sys.exit(__doc__)
    pairs = [a.rsplit(":", 1) for a in argv]
    archives = [os.path.abspath(archive) for archive, _ in pairs]
    modules = [module for _, module in pairs]
    sys.path[:0] = archives

    def find_all():
        for archive, module in zip(archives, modules):
            spec = importlib.util.find_spec(module)
            if spec is None or not spec.origin or not spec.origin.startswith(archive):
                sys.exit(f"gh103200: {module} not found in {archive} (spec: {spec})")

    find_all()  # imports the parent packages, makes the zipimporters
    gc.disable()
    target = int(os.environ.get("BENCH_TARGET_MS", "1500")) * 1_000_000
    samples = []
    start = time.perf_counter_ns()
    while len(samples) < 20 or (time.perf_counter_ns() - start < target and len(samples) < 100_000):
        t0 = time.perf_counter_ns()
        importlib.invalidate_caches()
        find_all()
        samples.append(time.perf_counter_ns() - t0)
    samples.sort()
    print(json.dumps({"python": platform.python_version(), "iterations": len(samples),
                      "perIterationNs": samples[len(samples) // 2],
                      "minNs": samples[0], "maxNs": samples[-1]}))


if __name__ == "__main__":
    main(sys.argv[1:])
