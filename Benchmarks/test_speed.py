#!/usr/bin/env python3
"""zipls test against unzip -t, whole processes, in one run.

    python3 Benchmarks/test_speed.py --zipls NAME=PATH [--zipls NAME=PATH ...]
                                     [--rounds N] ARCHIVE...

Each round runs every command once on every archive, interleaved, so that
machine noise hits all alike; the table gives each command's median wall
time and its ratio to `unzip -tq`'s median. A command's `-j N` is part of
its NAME=PATH[,ARGS] (for example `isal-j1=.build-isal/release/zipls,-j,1`).
Every run must exit 0, or the script says which and exits 1.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--zipls", action="append", default=[], help="NAME=PATH[,ARG...]")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("archives", nargs="+")
    options = parser.parse_args()
    commands = [("unzip -t", ["unzip", "-tq"])]
    for spec in options.zipls:
        name, _, rest = spec.partition("=")
        path, *args = rest.split(",")
        commands.append((name, [path, "test", "-q", *args]))
    times = {(a, n): [] for a in options.archives for n, _ in commands}
    failed = False
    for round_ in range(options.rounds):
        for archive in options.archives:
            for name, command in commands:
                start = time.perf_counter()
                done = subprocess.run(command + [archive], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                elapsed = time.perf_counter() - start
                if done.returncode != 0:
                    failed = True
                    print(f"{name} on {archive} exited {done.returncode}: {done.stderr.decode()[:200]}", file=sys.stderr)
                times[(archive, name)].append(elapsed)
    print(f"| archive | {' | '.join(n for n, _ in commands)} |")
    print(f"|---|{'---:|' * len(commands)}")
    for archive in options.archives:
        base = statistics.median(times[(archive, 'unzip -t')])
        cells = []
        for name, _ in commands:
            median = statistics.median(times[(archive, name)])
            cells.append(f"{median * 1000:.0f} ms ({median / base:.2f}×)")
        print(f"| {os.path.basename(archive)} | {' | '.join(cells)} |")
    print(f"{options.rounds} rounds, medians; ratio = command's median / unzip -t's median. "
          f"{os.cpu_count()} processors.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
