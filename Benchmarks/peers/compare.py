#!/usr/bin/env python3
"""Run every reader on the same archives in one run and report.

Called by compare.sh once everything is built and the archives exist; see
compare.sh for the options. Every measurement is one process that prints one
JSON line; this script runs them, in rounds (the fast readers interleaved,
so that a noisy minute hits them alike), keeps every raw result in
.build-results/results.json, prints one table per scenario and writes
BENCHMARKS.md and the plot.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)  # Benchmarks/
ARCHIVES = os.path.join(BENCH, ".archives")
RESULTS = os.path.join(BENCH, ".build-results")

SIZES = [("1k", 1_000), ("10k", 10_000), ("100k", 100_000), ("1m", 1_000_000)]
SIZE_LABEL = {"1k": "1k", "10k": "10k", "100k": "100k", "1m": "1M"}

STARTED = time.monotonic()


def log(message):
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def archive(name):
    return os.path.join(ARCHIVES, name)


def entries_archive(size):
    return archive(f"entries-{size}.zip")


# --------------------------------------------------------------------------
# Running one measurement
# --------------------------------------------------------------------------


# The whole-process row of zipls built as the README installs it.
ZIPLS_STATIC = "zipls (--static-swift-stdlib)"

# The entries of large-data.zip (gen_archives.py): text, JSON lines, binary.
LARGE_DATA_ENTRIES = ("text.log", "events.jsonl", "table.bin")
ZIPINDEX_ZLIB = "ZipIndex (zlib, default build)"
ZIPINDEX_ISAL = "ZipIndex (ISA-L trait)"
FLOOR_ZLIB = "floor: C zlib inflate + CRC"
FLOOR_ISAL = "floor: C ISA-L inflate + CRC"  # floor/inflate.c built with -DFLOOR_ISAL

# The commands of the tools scenario (whole zipls processes against unzip and bsdtar).
TOOLS_UNZIP_TEST = "unzip -tqq"
TOOLS_ZIPLS_TEST = "zipls test (default build)"
TOOLS_ISAL_TEST = "zipls test (ISA-L build)"
TOOLS_ISAL_TEST_J1 = "zipls test -j 1 (ISA-L build, one thread)"
TOOLS_UNZIP_EXTRACT = "unzip -q -d DIR"
TOOLS_BSDTAR_EXTRACT = "bsdtar -xf -C DIR"
TOOLS_ZIPLS_EXTRACT = "zipls extract -d DIR (default build)"
TOOLS_ISAL_EXTRACT = "zipls extract -d DIR (ISA-L build)"

# The modules the gh-103200 loop finds, ZipIndex and CPython alike.
GH103200_MODULES = ("pyspark.sql.connect.proto.deep_module", "py4j.tests.java_gateway_test")

class Runner:
    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        b = os.path.join(BENCH, ".build", "release")
        p = os.path.join(BENCH, ".build-peers")
        f = os.path.join(BENCH, ".build-floor")
        self.bin = {
            "zipbench": os.path.join(b, "zipbench"),
            "zipindex-once": os.path.join(b, "zipindex-once"),
            "zipfoundation": os.path.join(b, "zipfoundation-bench"),
            "cd_walk": os.path.join(f, "cd_walk"),
            "cd_index": os.path.join(f, "cd_index"),
            "inflate": os.path.join(f, "inflate"),
            # compare.sh passes "" (and the reason) when libisal is missing.
            "inflate_isal": os.path.join(f, "inflate_isal") if args.floor_isal is None else args.floor_isal,
            "gozip": os.path.join(p, "gozip"),
            "libzip": os.path.join(p, "libzip_bench"),
            "floor_once": os.path.join(p, "floor_once"),
            "proctime": os.path.join(p, "proctime"),
            "zipls": args.zipls,
            "zipls-static": args.zipls_static,
            "zipbench-isal": args.zipbench_isal,
            "zipls-isal": args.zipls_isal,
        }
        self.pybench = os.path.join(HERE, "python", "pybench.py")
        self.gh103200 = os.path.join(HERE, "python", "gh103200.py")
        self.target_ms = "500" if self.quick else "1500"
        self.raw = []  # every measurement, in order

    def python(self, version):
        """The interpreter itself (not pyenv's shim, which costs a process
        or two per start and picks its version from the environment)."""
        path = {"3.11.7": self.args.python311, "3.13.0": self.args.python313}[version]
        return [path] if path else ["python-" + version + "-not-found"]

    def run(self, label, argv, env=None, timeout=900):
        """Runs argv; returns its last JSON line as a dict, or {"error": ...}."""
        full_env = dict(os.environ, BENCH_TARGET_MS=self.target_ms)
        full_env.update(env or {})
        started = time.monotonic()
        missing = [a for a in argv[:3] if isinstance(a, str) and (a.endswith("-not-found") or
                   (os.path.isabs(a) and "/.build" in a and not os.access(a, os.X_OK)))]
        try:
            if missing:
                raise OSError(f"{os.path.basename(missing[0]).replace('-not-found', ' not found')}"
                              f"{'' if missing[0].endswith('-not-found') else ' was not built'} (see compare.sh's output)")
            p = subprocess.run(argv, capture_output=True, text=True, env=full_env, timeout=timeout)
        except subprocess.TimeoutExpired:
            result = {"error": f"timed out after {timeout}s"}
        except OSError as e:
            result = {"error": str(e)}
        else:
            lines = [line for line in p.stdout.splitlines() if line.strip()]
            result = None
            if p.returncode == 0 and lines:
                try:
                    result = json.loads(lines[-1])
                except json.JSONDecodeError:
                    pass
            if result is None:
                message = (p.stderr.strip().splitlines() or ["(no output)"])[-1]
                result = {"error": f"exit {p.returncode}: {message}"[:300], "stderr": p.stderr[-2000:]}
        seconds = time.monotonic() - started
        self.raw.append({"label": label, "argv": [str(a) for a in argv],
                         "env": env or {}, "seconds": round(seconds, 2), "result": result})
        shown = result.get("error") or summary(result)
        log(f"{label}: {shown} ({seconds:.1f}s)")
        return result


def summary(r):
    for key in ("medianNs", "hitNs", "perIterationNs", "invalidatePerArchiveNs", "mbPerSec"):
        if key in r:
            return f"{key}={r[key]}"
    return json.dumps(r)[:80]


def unsupported(result):
    """True when zipbench does not know the subcommand (yet)."""
    text = (result.get("error", "") + result.get("stderr", "")).lower()
    return "error" in result and ("unknown command" in text or "usage" in text)


# --------------------------------------------------------------------------
# Aggregation
# --------------------------------------------------------------------------


class Series:
    """Repeated measurements of one (reader, size): per-round medians."""

    def __init__(self):
        self.samples = []
        self.errors = []

    def add(self, result, key="medianNs", low="minNs", high="maxNs"):
        if "error" in result:
            self.errors.append(result["error"])
            return
        self.samples.append({"median": float(result[key]),
                             "min": float(result.get(low, result[key])),
                             "max": float(result.get(high, result[key])),
                             "raw": result})

    @property
    def ok(self):
        return bool(self.samples)

    @property
    def median(self):
        return statistics.median(s["median"] for s in self.samples)

    @property
    def low(self):
        return min(s["min"] for s in self.samples)

    @property
    def high(self):
        return max(s["max"] for s in self.samples)

    def raw(self, key, default=None):
        values = [s["raw"][key] for s in self.samples if key in s["raw"]]
        return statistics.median(values) if values else default

    def describe_error(self):
        return self.errors[-1] if self.errors else "not run"


def fmt_ns(ns):
    if ns is None:
        return "–"
    if ns < 1:
        return f"{ns:.3g} ns"  # invalidateCaches() per archive: an O(1) flip shared by all
    if ns < 1_000:
        return f"{ns:.1f} ns" if ns < 100 else f"{ns:.0f} ns"
    if ns < 1_000_000:
        return f"{ns / 1e3:.1f} µs" if ns < 100_000 else f"{ns / 1e3:.0f} µs"
    if ns < 1_000_000_000:
        return f"{ns / 1e6:.2f} ms" if ns < 10_000_000 else f"{ns / 1e6:.1f} ms"
    return f"{ns / 1e9:.2f} s"


def fmt_range(series):
    if not any("minNs" in s["raw"] for s in series.samples):
        return "– (median only)" if len(series.samples) < 2 else f"{fmt_ns(series.low)} – {fmt_ns(series.high)} (round medians)"
    return f"{fmt_ns(series.low)} – {fmt_ns(series.high)}"


def fmt_ratio(ours, theirs):
    if not ours or not theirs:
        return "–"
    r = ours / theirs
    if r >= 0.01:
        return f"{r:.2f}×"
    return f"1/{1 / r:,.3g}×" if 1 / r < 1e4 else f"1/{1 / r:,.0f}×"


def table(headers, rows):
    out = ["| " + " | ".join(headers) + " |",
           "|" + "|".join("---" if i == 0 else "---:" for i in range(len(headers))) + "|"]
    for row in rows:
        out.append("| " + " | ".join(str(c) for c in row) + " |")
    return "\n".join(out)


# --------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------


class Comparison:
    def __init__(self, runner):
        self.r = runner
        self.quick = runner.quick
        self.rounds = 1 if self.quick else 3
        self.target_rounds = 2 if self.quick else 6  # ZipIndex and the floor at 100k and 1M
        self.sections = []  # (title, markdown body)
        self.targets = []   # rows of the headline table
        self.skipped = []   # (what, why)
        self.data = {}      # for the plot and results.json
        self.ran = set()

    def series(self, *key):
        return self.data.setdefault(key, Series())

    # ---- open + index ----------------------------------------------------

    PARSE_READERS = [
        # (name, kind); kind picks the command line below
        ("ZipIndex", "zipbench"),
        ("floor: walk (C)", "cd_walk"),
        ("floor: table+index (C)", "cd_index"),
        ("Go archive/zip", "go"),
        ("libzip", "libzip"),
        ("Python zipfile 3.11", "zipfile"),
        ("zipimport._read_directory 3.11", "zipimport311"),
        ("zipimport._read_directory 3.13", "zipimport313"),
        ("ZIPFoundation", "zipfoundation"),
    ]
    SLOW = {"zipfile", "zipimport311", "zipimport313", "zipfoundation"}
    # In --quick, these take their 1M figure from the one-shot process of the
    # memory scenario (one cold run) instead of a run of their own.
    QUICK_1M_FROM_ONCE = {"libzip": "libzip", "zipfile": "Python zipfile 3.11", "zipfoundation": "ZIPFoundation"}

    def parse_command(self, kind, size):
        r, a = self.r, entries_archive(size)
        big, mid = size == "1m", size == "100k"
        env = {}
        if kind == "zipbench":
            return [r.bin["zipbench"], "parse", a], env
        if kind in ("cd_walk", "cd_index"):
            # --quick: about half a second each instead of the default 1.5 s.
            reps = {"cd_walk": {"1k": 20000, "10k": 3000, "100k": 300, "1m": 10},
                    "cd_index": {"1k": 10000, "10k": 1000, "100k": 40, "1m": 4}}[kind][size]
            return [r.bin[kind], a] + ([str(reps)] if self.quick else []), env
        if kind == "go":
            if big:
                return [r.bin["gozip"], "parse", a, "1" if self.quick else "3"], {"BENCH_SKIP_WARMUP": "1"}
            return [r.bin["gozip"], "parse", a], env
        if kind == "libzip":
            if big:
                return [r.bin["libzip"], "parse", a, "3"], {"BENCH_SKIP_WARMUP": "1"}
            if mid and self.quick:
                return [r.bin["libzip"], "parse", a, "2"], {"BENCH_SKIP_WARMUP": "1"}
            return [r.bin["libzip"], "parse", a], env
        if kind in ("zipfile", "zipimport311", "zipimport313"):
            version = "3.13.0" if kind == "zipimport313" else "3.11.7"
            command = "parse" if kind == "zipfile" else "zipimport"
            reps = []
            if big:
                reps, env = (["1"] if self.quick else ["3"]), {"BENCH_SKIP_WARMUP": "1"}
            elif mid and self.quick:
                reps, env = ["3"], {"BENCH_SKIP_WARMUP": "1"}
            return r.python(version) + [r.pybench, command, a] + reps, env
        if kind == "zipfoundation":
            reps = []
            if big:
                reps, env = (["1"] if self.quick else ["2"]), {"BENCH_SKIP_WARMUP": "1"}
            elif mid:
                reps, env = (["2"] if self.quick else ["5"]), {"BENCH_SKIP_WARMUP": "1"}
            return [r.bin["zipfoundation"], "parse", a] + reps, env
        raise ValueError(kind)

    def run_parse(self):
        for round_index in range(self.rounds):
            for size, _ in SIZES:
                for name, kind in self.PARSE_READERS:
                    if round_index > 0 and kind in self.SLOW:
                        continue
                    if self.quick and size == "1m" and kind in self.QUICK_1M_FROM_ONCE:
                        continue
                    argv, env = self.parse_command(kind, size)
                    result = self.r.run(f"parse {size} {name} (round {round_index + 1})", argv, env)
                    self.series("parse", name, size).add(result)
        # The targets compare ZipIndex with the C table+index floor at 100k and
        # 1M: alternate those two a few more times, so that a noisy minute
        # lands on both.
        for round_index in range(self.rounds, self.target_rounds):
            for size in ("100k", "1m"):
                for name, kind in (("ZipIndex", "zipbench"), ("floor: table+index (C)", "cd_index")):
                    argv, env = self.parse_command(kind, size)
                    result = self.r.run(f"parse {size} {name} (round {round_index + 1})", argv, env)
                    self.series("parse", name, size).add(result)

    def report_parse(self):
        rows = []
        for size, count in SIZES:
            ours = self.series("parse", "ZipIndex", size)
            for name, kind in self.PARSE_READERS:
                s = self.series("parse", name, size)
                if not s.ok:
                    if self.quick and size == "1m" and kind in self.QUICK_1M_FROM_ONCE and "memory" not in self.ran:
                        why = "--quick takes it from the memory scenario, which did not run"
                    else:
                        why = s.describe_error()
                    rows.append([SIZE_LABEL[size], name, "skipped: " + why, "", "", ""])
                    continue
                entries = s.raw("entries")
                wrong = entries is not None and int(entries) != count
                note = f" (reads {int(entries):,} of {count:,} entries: no ratio)" if wrong else ""
                if s.samples[0]["raw"].get("once"):
                    note += " (one cold process, --quick)"
                ratio = "1.00×" if kind == "zipbench" else (fmt_ratio(ours.median, s.median) if ours.ok and not wrong else "–")
                rows.append([SIZE_LABEL[size], name + note, fmt_ns(s.median),
                             fmt_range(s) if len(s.samples) > 1 or s.low != s.high else "1 run",
                             f"{s.median / count:.1f}", ratio])
        body = table(["entries", "reader", "median", "min – max", "ns/entry", "ZipIndex ÷ reader"], rows)
        runs = (("1 round (--quick)" if self.rounds == 1 else
                 f"{self.rounds} interleaved rounds for the fast readers, 1 for Python and ZIPFoundation") + "; ZipIndex and the C "
                f"table+index floor alternate {self.target_rounds} times at 100k and 1M. Median of the round medians; min and max "
                f"over all runs")
        body += (f"\n\nOpen the archive and make it ready for lookups by name, in process, repeated ({runs}). "
                 "ZipIndex: `ZipArchive(path:)` (zipbench parse). Floor: `cd_walk` decodes every central header and keeps nothing; "
                 "`cd_index` builds the 40-byte-record table, name arena and hash index. Go: `zip.OpenReader` + a `map[string]*zip.File`. "
                 "libzip: `zip_open(ZIP_RDONLY)` (builds its name hash). Python: `zipfile.ZipFile(a)`; `zipimport._read_directory(a)` is what a zipimporter "
                 "(and 3.11's `invalidate_caches()`) pays. ZIPFoundation has no index: `Archive(url:accessMode: .read)` then iterating every entry and reading its path "
                 "(its iterator also reads each local header). At 1M entries libzip, Python and ZIPFoundation run "
                 f"{'once' if self.quick else 'a few times'} (seconds per run). "
                 "The ratio column is ZipIndex's median over the reader's: below 1 means ZipIndex is faster.")
        self.sections.append(("Open + index", body))
        # 10k: the speed issue's target (a fixed cost per open dominated there).
        for size, limit in (("10k", 1.3), ("100k", 1.5), ("1m", 1.5)):
            ours = self.series("parse", "ZipIndex", size)
            floor = self.series("parse", "floor: table+index (C)", size)
            self.target(f"open + index at {SIZE_LABEL[size]} ≤ {limit}× C table+index floor",
                        ours.ok and floor.ok and ours.median / floor.median,
                        lambda v: f"{v:.2f}× ({fmt_ns(ours.median)} vs {fmt_ns(floor.median)}; ratio of minimums "
                                  f"{ours.low / floor.low:.2f}×)",
                        lambda v: v <= limit,
                        None if ours.ok and floor.ok else (ours if not ours.ok else floor).describe_error())

    def target(self, what, value, show, passes, why_skipped=None):
        if value is False or value is None:
            self.targets.append([what, "–", "SKIPPED: " + (why_skipped or "not measured")])
        else:
            self.targets.append([what, show(value), "PASS" if passes(value) else "MISS"])

    # ---- memory ------------------------------------------------------------

    def once_commands(self):
        r = self.r
        commands = [
            ("ZipIndex (zipindex-once)", [r.bin["zipindex-once"]]),
            ("floor: table+index (C, floor_once)", [r.bin["floor_once"]]),
            ("Go archive/zip", [r.bin["gozip"], "once"]),
            ("libzip", [r.bin["libzip"], "once"]),
            ("Python zipfile 3.11", r.python("3.11.7") + [r.pybench, "once"]),
            ("ZIPFoundation", [r.bin["zipfoundation"], "once"]),
            ("unzip -Z1 (lists, keeps no index)", ["unzip", "-Z1"]),
        ]
        if r.bin["zipls"]:
            commands.append(("zipls (lists)", [r.bin["zipls"]]))
        return commands

    RSS_FROM_PROCESS = {
        "ZipIndex (zipindex-once)": "ZipIndex open once (zipindex-once)",
        "floor: table+index (C, floor_once)": "floor: table+index (C, floor_once)",
        "unzip -Z1 (lists, keeps no index)": "unzip -Z1",
        "zipls (lists)": "zipls",
    }

    def run_memory(self):
        tiny = archive("importer-10.zip")
        from_once = {v: k for k, v in self.QUICK_1M_FROM_ONCE.items()}
        for name, command in self.once_commands():
            proctime = [self.r.bin["proctime"], "--capture"]
            base = self.r.run(f"rss baseline {name}", proctime + ["3"] + command + [tiny])
            self.series("rss", name, "10").add(base, key="maxRssKb", low="maxRssKb", high="maxRssKb")
            # The whole-process scenario already ran these at 1M: reuse its peak RSS.
            process_name = self.RSS_FROM_PROCESS.get(name)
            if process_name and self.series("process", process_name, "1m").ok:
                rss = self.series("process", process_name, "1m").raw("maxRssKb")
                self.series("rss", name, "1m").add({"maxRssKb": rss}, key="maxRssKb", low="maxRssKb", high="maxRssKb")
                continue
            # One run: peak RSS does not need a warm-up, the file is in the page cache.
            big = self.r.run(f"rss 1M {name}", proctime + ["--no-warmup", "1"] + command + [entries_archive("1m")],
                             timeout=1200)
            self.series("rss", name, "1m").add(big, key="maxRssKb", low="maxRssKb", high="maxRssKb")
            child = big.get("child", {})
            if self.quick and name in from_once and "onceNs" in child:
                self.series("parse", name, "1m").add({"medianNs": child["onceNs"], "entries": child.get("entries"),
                                                      "once": True})

    def report_memory(self):
        ours = self.series("parse", "ZipIndex", "1m")
        floor = self.series("parse", "floor: table+index (C)", "1m")
        rows = []
        n = 1_000_000
        if ours.ok:
            table_bytes, name_bytes = ours.raw("tableBytes"), ours.raw("nameBytes")
            rows.append(["ZipIndex table (exact: buffer capacities)", f"{table_bytes / 2**20:.1f} MiB",
                         f"{(table_bytes - name_bytes) / n:.1f} + {name_bytes / n:.1f} names", "–"])
        if floor.ok:
            tb, nb = floor.raw("tableBytes"), floor.raw("nameBytes")
            rows.append(["floor table (exact)", f"{(tb + nb) / 2**20:.1f} MiB",
                         f"{tb / n:.1f} + {nb / n:.1f} names", "–"])
        for name, _ in self.once_commands():
            base, big = self.series("rss", name, "10"), self.series("rss", name, "1m")
            if not (base.ok and big.ok):
                rows.append([name + " (peak RSS)", "skipped: " + (big if not big.ok else base).describe_error(), "", ""])
                continue
            delta = (big.median - base.median) * 1024
            none = " (keeps no index)" if abs(delta) < 2**20 else ""
            rows.append([name + " (peak RSS − 10-entry baseline)", f"{delta / 2**20:.1f} MiB{none}",
                         f"{delta / n:.1f}", f"{big.median / 1024:.1f} MiB / {base.median / 1024:.1f} MiB"])
        body = table(["reader", "memory at 1M entries", "bytes/entry", "peak RSS 1M / 10 entries"], rows)
        body += ("\n\nZipIndex's and the floor's table sizes are exact (`tableBytes` from buffer capacities; names are the "
                 "archive's name bytes, stored once). Every other row is whole-process peak RSS (`ru_maxrss` from `wait4`, the "
                 "number `/usr/bin/time -v` reports as maximum resident set size) of a program that opens the 1M-entry archive "
                 "once and exits, minus the same program on a 10-entry archive. RSS includes the allocator's slack, the page "
                 "cache pages of a memory-mapped file and, for Python and Go, the garbage collector's headroom. `unzip -Z1` "
                 "and ZIPFoundation stream the directory and keep no index, so they grow by nothing: ZIPFoundation pays "
                 "for that with an O(n) scan per lookup (below).")
        self.sections.append(("Memory", body))
        if ours.ok:
            per = ours.raw("bytesPerEntry")
            self.target("table memory at 1M ≤ 48 bytes/entry plus names", per,
                        lambda v: f"{v:.1f} B/entry + {ours.raw('nameBytes') / n:.1f} B names", lambda v: v <= 48)
        else:
            self.target("table memory at 1M ≤ 48 bytes/entry plus names", None, None, None, ours.describe_error())

    # ---- lookup --------------------------------------------------------------

    def run_lookup(self):
        r = self.r
        a = entries_archive("1m")
        readers = [
            ("ZipIndex", [r.bin["zipbench"], "lookup", a], False),
            ("floor: table+index (C)", [r.bin["cd_index"], "lookup", a], False),
            ("Go archive/zip (map)", [r.bin["gozip"], "lookup", a], False),
        ]
        # Opening 1M entries takes libzip and Python seconds: --quick asks them at 100k.
        slow_size = "100k" if self.quick else "1m"
        slow_label = f" (at {SIZE_LABEL[slow_size]})" if self.quick else ""
        readers += [
            ("libzip (zip_name_locate)" + slow_label, [r.bin["libzip"], "lookup", entries_archive(slow_size)], False),
            ("Python zipfile 3.11 (getinfo)" + slow_label,
             r.python("3.11.7") + [r.pybench, "lookup", entries_archive(slow_size)], True),
        ]
        zf_size = "10k" if self.quick else "1m"
        readers.append((f"ZIPFoundation (archive[path], at {SIZE_LABEL[zf_size]})",
                        [r.bin["zipfoundation"], "lookup", entries_archive(zf_size)], True))
        for round_index in range(self.rounds):
            for name, argv, slow in readers:
                if slow and round_index > 0:
                    continue
                env = {"BENCH_LOOKUP_MS": "1"} if "ZIPFoundation" in name and zf_size == "1m" else {}
                result = r.run(f"lookup {name} (round {round_index + 1})", argv, env, timeout=1200)
                self.series("hit", name).add(result, key="hitNs", low="hitNs", high="hitNs")
                self.series("miss", name).add(result, key="missNs", low="missNs", high="missNs")
        self.lookup_readers = [name for name, _, _ in readers]

    def report_lookup(self):
        ours_hit, ours_miss = self.series("hit", "ZipIndex"), self.series("miss", "ZipIndex")
        rows = []
        for name in self.lookup_readers:
            hit, miss = self.series("hit", name), self.series("miss", name)
            if not hit.ok:
                rows.append([name, "skipped: " + hit.describe_error(), "", "", ""])
                continue
            extra = ""
            if hit.raw("hitQueries") is not None:
                extra = f" ({int(hit.raw('hitQueries'))} hit / {int(hit.raw('missQueries'))} miss queries)"
            spread = lambda s: f"{fmt_ns(s.low)} – {fmt_ns(s.high)}" if len(s.samples) > 1 else "1 round"
            rows.append([name + extra, fmt_ns(hit.median), fmt_ns(miss.median),
                         f"{spread(hit)}; {spread(miss)}",
                         f"{fmt_ratio(ours_hit.median, hit.median)} / {fmt_ratio(ours_miss.median, miss.median)}"
                         if ours_hit.ok else "–"])
        body = table(["reader (1M entries unless noted)", "hit", "miss", "range over rounds (hit; miss)", "ZipIndex ÷ reader (hit / miss)"], rows)
        body += ("\n\nMedian time per lookup of random existing names (hit) and of existing names with one byte changed "
                 "(miss, checked absent), in batches (ZipIndex: 4,096 names per batch, `entry(utf8Name:)`; C floor, Go and "
                 "libzip: 1,024; Python: 1,024 `getinfo` calls, a miss paying for its `KeyError`). "
                 "ZIPFoundation's `archive[path]` is a linear scan that re-reads the central directory (and every local "
                 "header) from the file for each lookup, so it is timed per query with the number of queries capped by "
                 f"time ({'at 10k entries in --quick' if self.quick else 'one query each at 1M entries'}); its cost grows linearly "
                 "with the entry count.")
        self.sections.append(("Lookup by name", body))
        for kind, s in (("hit", ours_hit), ("miss", ours_miss)):
            self.target(f"lookup {kind} at 1M ≤ 100 ns", s.ok and s.median, lambda v: fmt_ns(v),
                        lambda v: v <= 100, None if s.ok else s.describe_error())

    # ---- inflate ---------------------------------------------------------------

    def run_inflate(self):
        r = self.r
        a = archive("data-100mb.zip")
        q = self.quick
        readers = [
            ("ZipIndex", [r.bin["zipbench"], "inflate", a, "data.bin"], False),
            ("floor: C zlib inflate + CRC", [r.bin["inflate"], a, "data.bin"] + (["3"] if q else []), False),
            ("Go archive/zip", [r.bin["gozip"], "inflate", a, "data.bin"] + (["2"] if q else []), False),
            ("libzip", [r.bin["libzip"], "inflate", a, "data.bin"] + (["2"] if q else []), False),
            ("Python zipfile 3.11", r.python("3.11.7") + [r.pybench, "inflate", a, "data.bin"] + (["2"] if q else []), True),
            ("ZIPFoundation", [r.bin["zipfoundation"], "inflate", a, "data.bin"] + (["2"] if q else ["5"]), True),
        ]
        whole = [("unzip -t (whole process)", ["unzip", "-tqq", a])]
        if r.bin["zipls"]:
            whole.append(("zipls test (whole process)", [r.bin["zipls"], "test", a]))
        for round_index in range(self.rounds):
            for name, argv, slow in readers:
                if slow and round_index > 0:
                    continue
                self.series("inflate", name).add(r.run(f"inflate {name} (round {round_index + 1})", argv))
            if round_index == 0:
                for name, argv in whole:
                    result = r.run(f"inflate {name}", [r.bin["proctime"], "2" if q else "5"] + argv)
                    self.series("inflate", name).add(result)
        self.inflate_readers = [name for name, _, _ in readers] + [name for name, _ in whole]

        # The three large-data entries: two C floors (zlib, and the same loop
        # with ISA-L's inflate and CRC-32) against zipbench built twice, with
        # zlib (the default) and with the ISAL trait. Inflate speed depends on
        # the data, so each kind gets its own ratio.
        large = archive("large-data.zip")
        large_readers = [
            (FLOOR_ZLIB, lambda entry: [r.bin["inflate"], large, entry] + (["3"] if q else [])),
            (FLOOR_ISAL, lambda entry: [r.bin["inflate_isal"], large, entry] + (["3"] if q else [])),
            (ZIPINDEX_ZLIB, lambda entry: [r.bin["zipbench"], "inflate", large, entry]),
            (ZIPINDEX_ISAL, lambda entry: [r.bin["zipbench-isal"], "inflate", large, entry]),
        ]
        not_built = {  # reader: (binary, why it was not built)
            FLOOR_ISAL: (r.bin["inflate_isal"], r.args.floor_isal_why or "floor/inflate_isal was not built"),
            ZIPINDEX_ISAL: (r.bin["zipbench-isal"], r.args.zipbench_isal_why or "zipbench with the ISAL trait was not built"),
        }
        for round_index in range(self.rounds):
            for entry in LARGE_DATA_ENTRIES:
                for name, command in large_readers:
                    s = self.series("inflate-large", name, entry)
                    binary, why = not_built.get(name, ("built", None))
                    if not binary:
                        if not s.errors:
                            s.errors.append(why)
                        continue
                    s.add(r.run(f"inflate {entry} {name} (round {round_index + 1})", command(entry)))
        self.large_readers = [name for name, _ in large_readers]

    def report_inflate(self):
        size = 104857600
        ours = self.series("inflate", "ZipIndex")
        rows = []
        for name in self.inflate_readers:
            s = self.series("inflate", name)
            if not s.ok:
                rows.append([name, "skipped: " + s.describe_error(), "", "", ""])
                continue
            mbps = size / 1e6 / (s.median / 1e9)
            rows.append([name, fmt_ns(s.median), fmt_range(s), f"{mbps:.0f}",
                         fmt_ratio(ours.median, s.median) if ours.ok else "–"])
        body = table(["reader (data.bin: 100 MiB, deflated 3.4×)", "median", "min – max", "MB/s", "ZipIndex ÷ reader (time)"], rows)
        body += ("\n\nEach run opens the archive, finds `data.bin` and streams it to the end with its CRC-32 checked: "
                 "ZipIndex `read(entry) { chunk in }`; the floor inflates with zlib into a 256 KiB buffer; Go `io.Copy(io.Discard, f.Open())`; "
                 "libzip `zip_fread`; Python reads `ZipFile.open()` in 256 KiB chunks; ZIPFoundation `extract(entry, consumer:)` "
                 "(its CRC compared with the entry's by the harness). `unzip -t` and `zipls test` are whole processes.")
        self.sections.append(("Inflate with CRC-32", body))
        floor = self.series("inflate", "floor: C zlib inflate + CRC")
        self.target("inflate with CRC ≥ 0.95× C zlib (throughput)", ours.ok and floor.ok and floor.median / ours.median,
                    lambda v: f"{v:.2f}× ({size / 1e6 / (ours.median / 1e9):.0f} vs {size / 1e6 / (floor.median / 1e9):.0f} MB/s)",
                    lambda v: v >= 0.95, None if ours.ok and floor.ok else (ours if not ours.ok else floor).describe_error())
        self.report_inflate_large()

    def report_inflate_large(self):
        # Sizes from the archive itself, so that the table follows gen_archives.py.
        try:
            with zipfile.ZipFile(archive("large-data.zip")) as z:
                sizes = {i.filename: (i.file_size, i.compress_size) for i in z.infolist()}
        except (OSError, zipfile.BadZipFile):
            sizes = {}
        rows = []
        # floor time ÷ reader time, per entry: against the zlib floor (the
        # targets) and against the ISA-L floor (ISA-L's own speed).
        speedups = {name: {} for name in self.large_readers if name != FLOOR_ZLIB}
        of_isal = {name: {} for name in self.large_readers if name != FLOOR_ISAL}
        for entry in LARGE_DATA_ENTRIES:
            size, compressed = sizes.get(entry, (None, None))
            label = f"{entry} ({size / 2**20:.0f} MiB, deflated {size / compressed:.1f}×)" if size else entry
            floor = self.series("inflate-large", FLOOR_ZLIB, entry)
            floor_isal = self.series("inflate-large", FLOOR_ISAL, entry)
            for name in self.large_readers:
                s = self.series("inflate-large", name, entry)
                if not s.ok:
                    rows.append([label, name, "skipped: " + s.describe_error(), "", "", "", ""])
                    continue
                if name in speedups and floor.ok:
                    speedups[name][entry] = floor.median / s.median
                if name in of_isal and floor_isal.ok:
                    of_isal[name][entry] = floor_isal.median / s.median
                mbps = f"{size / 1e6 / (s.median / 1e9):.0f}" if size else "–"
                rows.append([label, name, fmt_ns(s.median), fmt_range(s), mbps,
                             fmt_ratio(floor.median, s.median) if floor.ok else "–",
                             fmt_ratio(floor_isal.median, s.median) if floor_isal.ok else "–"])
        body = table(["entry of large-data.zip", "reader", "median", "min – max", "MB/s",
                      "C zlib floor ÷ reader (time; above 1: faster than the zlib floor)",
                      "C ISA-L floor ÷ reader (time; 1: as fast as ISA-L's own loop)"], rows)
        body += ("\n\nThe same measurement as above on the three 64 MiB entries of `large-data.zip`: log-like text "
                 "(`text.log`), JSON lines of nested event records (`events.jsonl`) and fixed-size binary records "
                 "(`table.bin`). The floor is the C zlib loop (`floor/inflate`); ZipIndex is `zipbench inflate` built "
                 "twice: `swift build -c release` (zlib) and `swift build -c release --traits ISAL --scratch-path "
                 "Benchmarks/.build-isal` (ISA-L's inflate and CRC-32). The second floor, `floor/inflate_isal`, is the "
                 "same C loop (`floor/inflate.c` built with `-DFLOOR_ISAL`) decoding with ISA-L's `isal_inflate` and "
                 "`crc32_gzip_refl`: its ratio to the zlib floor is what ISA-L itself gains on each kind of data, the "
                 "ceiling for the ISA-L trait, and the last column shows how close ZipIndex's ISA-L build gets to it. "
                 "The four run in turn, one run each per round.")
        own, reached = speedups.get(FLOOR_ISAL, {}), of_isal.get(ZIPINDEX_ISAL, {})
        if len(own) == len(LARGE_DATA_ENTRIES):
            names = " / ".join(LARGE_DATA_ENTRIES)
            body += (f" In this run ISA-L's own loop is {' / '.join(f'{own[e]:.2f}×' for e in LARGE_DATA_ENTRIES)} "
                     f"the zlib loop ({names})")
            if len(reached) == len(LARGE_DATA_ENTRIES):
                body += (f"; ZipIndex with the ISA-L trait runs at "
                         f"{' / '.join(f'{reached[e]:.2f}×' for e in LARGE_DATA_ENTRIES)} of its speed")
            body += "."
        self.sections.append(("Inflate with CRC-32: the three large-data entries", body))
        for name, what, bound in ((ZIPINDEX_ISAL, "ISA-L trait", 2.5), (ZIPINDEX_ZLIB, "default build", 0.95)):
            by_entry = speedups[name]
            missing = [e for e in LARGE_DATA_ENTRIES if e not in by_entry]
            why = None
            if missing:
                s = self.series("inflate-large", name, missing[0])
                floor = self.series("inflate-large", FLOOR_ZLIB, missing[0])
                why = (s if not s.ok else floor).describe_error()
                if name != ZIPINDEX_ISAL or self.r.bin["zipbench-isal"]:
                    why = f"{missing[0]}: {why}"  # a failed run, not a missing build
            # The bound holds on each entry when it holds on the lowest ratio.
            self.target(f"inflate with CRC, {what} ≥ {bound}× C zlib on each large-data entry",
                        not missing and min(by_entry.values()),
                        lambda v, by_entry=by_entry: f"{v:.2f}× (lowest of " + ", ".join(
                            f"{e} {by_entry[e]:.2f}×" for e in LARGE_DATA_ENTRIES) + ")",
                        lambda v, bound=bound: v >= bound, why)

    # ---- whole process -----------------------------------------------------------

    def run_whole(self):
        r = self.r
        programs = [
            ("floor: table+index (C, floor_once)", [r.bin["floor_once"]]),
            ("floor: table+index+list names (C, floor_once --list)", [r.bin["floor_once"], "--list"]),
            ("ZipIndex open once (zipindex-once)", [r.bin["zipindex-once"]]),
            ("unzip -Z1", ["unzip", "-Z1"]),
        ]
        if r.bin["zipls"]:
            programs.insert(3, ("zipls", [r.bin["zipls"]]))
            if r.bin["zipls-static"]:
                programs.insert(4, (ZIPLS_STATIC, [r.bin["zipls-static"]]))
        else:
            self.skipped.append(("zipls", self.r.args.zipls_why or "not built"))
        self.whole_programs = [name for name, _ in programs]
        for round_index in range(self.rounds):
            for size, _ in SIZES:
                runs = {"1k": 20, "10k": 20, "100k": 15, "1m": 2}[size] if self.quick else \
                       {"1k": 40, "10k": 40, "100k": 30, "1m": 5}[size]
                for name, command in programs:
                    if size == "1m" and "unzip" in name and round_index > 0:
                        continue
                    n = 1 if (size == "1m" and "unzip" in name and self.quick) else runs
                    result = r.run(f"process {size} {name} (round {round_index + 1})",
                                   [r.bin["proctime"], str(n)] + command + [entries_archive(size)])
                    self.series("process", name, size).add(result)

    def report_whole(self):
        rows = []
        for size, count in SIZES:
            floor = self.series("process", "floor: table+index (C, floor_once)", size)
            for name in self.whole_programs:
                s = self.series("process", name, size)
                if not s.ok:
                    rows.append([SIZE_LABEL[size], name, "skipped: " + s.describe_error(), "", "", ""])
                    continue
                rows.append([SIZE_LABEL[size], name, fmt_ns(s.median), fmt_range(s),
                             f"{s.raw('maxRssKb') / 1024:.1f} MiB",
                             fmt_ratio(s.median, floor.median) if floor.ok else "–"])
        body = table(["entries", "process (stdout to /dev/null)", "median wall", "min – max", "peak RSS", "÷ C floor process"], rows)
        body += ("\n\nWhole processes, fork to exit, stdout to /dev/null, timed by `proctime` after one untimed warm-up run "
                 "(archives in the page cache). `floor_once` builds the C floor's table once and exits; with `--list` it also "
                 "writes every name, as `zipls ARCHIVE` and `unzip -Z1 ARCHIVE` do. `zipls` is `swift build -c release`; "
                 "the static one adds `--static-swift-stdlib`, as the README installs it, so that start-up links no "
                 "Swift runtime or Foundation library. The last column divides by the index-only C process.")
        self.sections.append(("Whole process: list an archive", body))
        dynamic = self.series("process", "zipls", "100k")
        static = self.series("process", ZIPLS_STATIC, "100k")
        zipls = static if static.ok else dynamic
        floor = self.series("process", "floor: table+index (C, floor_once)", "100k")
        also = (f"; dynamically linked {dynamic.median / floor.median:.2f}×" if static.ok and dynamic.ok else "")
        self.target("`zipls ARCHIVE > /dev/null` at 100k ≤ 1.5× C table+index floor (whole process)",
                    zipls.ok and floor.ok and zipls.median / floor.median,
                    lambda v: f"{v:.2f}× ({fmt_ns(zipls.median)} vs {fmt_ns(floor.median)}; ratio of minimums "
                              f"{zipls.low / floor.low:.2f}×{also})", lambda v: v <= 1.5,
                    (self.r.args.zipls_why or "zipls not built") if not self.r.bin["zipls"] else
                    (zipls if not zipls.ok else floor).describe_error())

    # ---- tools: whole zipls processes against unzip and bsdtar ----------------------

    def tool_archive(self, label, path, why=None):
        """(label, path, why it cannot be used) for one archive of the tools scenario."""
        if not path:
            return label, path, why or "not found"
        if not os.path.isfile(path):
            return label, path, why or f"{path} does not exist"
        return label, path, None

    def tools_commands(self):
        """The test and the extract commands: (name, argv maker, why skipped)."""
        r = self.r

        def binary(path, why):
            if not path:
                return why
            return None if os.access(path, os.X_OK) else f"no executable at {path}"

        def on_path(tool, package):
            return None if shutil.which(tool) else f"{tool} is not on PATH (apt-get install {package})"

        zipls, isal = r.bin["zipls"], r.bin["zipls-isal"]
        zipls_why = binary(zipls, r.args.zipls_why or "zipls was not built")
        isal_why = binary(isal, r.args.zipls_isal_why or "zipls with the ISAL trait was not built")
        test = [
            (TOOLS_UNZIP_TEST, lambda a: ["unzip", "-tqq", a], on_path("unzip", "unzip")),
            (TOOLS_ZIPLS_TEST, lambda a: [zipls, "test", a], zipls_why),
            (TOOLS_ISAL_TEST, lambda a: [isal, "test", a], isal_why),
            (TOOLS_ISAL_TEST_J1, lambda a: [isal, "test", "-j", "1", a], isal_why),
        ]
        extract = [
            (TOOLS_UNZIP_EXTRACT, lambda a, d: ["unzip", "-q", a, "-d", d], on_path("unzip", "unzip")),
            (TOOLS_BSDTAR_EXTRACT, lambda a, d: ["bsdtar", "-xf", a, "-C", d], on_path("bsdtar", "libarchive-tools")),
            (TOOLS_ZIPLS_EXTRACT, lambda a, d: [zipls, "extract", a, "-d", d], zipls_why),
            (TOOLS_ISAL_EXTRACT, lambda a, d: [isal, "extract", a, "-d", d], isal_why),
        ]
        return test, extract

    def time_process(self, label, argv, prepare=None, timeout=1200):
        """Runs argv once, stdout and stderr to /dev/null; returns its wall time
        (perf_counter around subprocess.run) and the child's user+sys CPU time,
        or {"error": ...} when it does not exit 0 (then it runs once more,
        untimed and after prepare(), to say why)."""
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        try:
            p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=timeout)
        except subprocess.TimeoutExpired:
            result = {"error": f"timed out after {timeout}s"}
        except OSError as e:
            result = {"error": str(e)}
        else:
            wall = time.perf_counter() - started
            cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
            if p.returncode == 0:
                ns = round(wall * 1e9)
                result = {"medianNs": ns, "minNs": ns, "maxNs": ns, "cpuNs": round(cpu * 1e9)}
            else:
                message = "(no output)"
                try:
                    if prepare:
                        prepare()
                    again = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.PIPE, text=True, errors="replace", timeout=timeout)
                    message = (again.stderr.strip().splitlines() or [message])[-1]
                except (OSError, subprocess.SubprocessError):
                    pass
                result = {"error": f"exit {p.returncode}: {message}"[:300]}
        self.r.raw.append({"label": label, "argv": [str(a) for a in argv], "env": {},
                           "seconds": round(time.perf_counter() - started, 3), "result": result})
        log(f"{label}: {result.get('error') or fmt_ns(result['medianNs'])}")
        return result

    def run_tools(self):
        r = self.r
        # Whole processes of a second or so each: 3 rounds even in --quick (a
        # target is a ratio of two medians, and a median of one run is a coin).
        rounds = 3 if self.quick else 5
        self.tools_rounds = rounds
        wheels = []
        for spec in r.args.wheel:
            name, _, path = spec.partition("=")
            wheels.append(self.tool_archive(f"{name} wheel", path, r.args.wheels_why or None))
        test_archives = [self.tool_archive("large-data.zip", archive("large-data.zip")),
                         self.tool_archive("entries-1m.zip", entries_archive("1m"))] + wheels
        extract_archives = ([self.tool_archive("entries-100k.zip", entries_archive("100k"))] + wheels +
                            [self.tool_archive("data-100mb.zip", archive("data-100mb.zip"))])
        test, extract = self.tools_commands()
        self.tools_test = ([a[:2] for a in test_archives], [c[0] for c in test])
        self.tools_extract = ([a[:2] for a in extract_archives], [c[0] for c in extract])
        self.tools_problems = {}  # (command, archive label): what the first round's tree check found
        self.tools_archive_notes = {}
        for kind, archives, commands in (("test", test_archives, test), ("extract", extract_archives, extract)):
            for label, path, why in archives:
                for name, _, command_why in commands:
                    if why or command_why:
                        self.series("tools-" + kind, name, label).errors.append(why or command_why)
        for label, path, why in test_archives + extract_archives:
            if why is None and label not in self.tools_archive_notes and path.endswith(".whl"):
                with zipfile.ZipFile(path) as z:
                    self.tools_archive_notes[label] = f"{len(z.infolist()):,} entries"

        # The trees are checked against zipfile in the first round, with
        # extract.py's check (every path, every file's SHA-256), untimed.
        checker = None
        try:
            import importlib.util
            spec = importlib.util.spec_from_file_location("extract_bench", os.path.join(BENCH, "extract.py"))
            checker = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(checker)
        except Exception as e:  # the timings stand without the check
            log(f"tools: cannot load extract.py ({e}): the extracted trees are not checked")
            checker = None
        self.tools_checked = checker is not None
        shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
        import tempfile
        scratch = tempfile.mkdtemp(prefix="zipindex-compare-tools-", dir=shm)
        self.tools_scratch = "/dev/shm (tmpfs)" if shm else os.path.dirname(scratch)
        dest = os.path.join(scratch, "dest")

        def fresh():
            if os.path.lexists(dest):
                shutil.rmtree(dest)
            os.mkdir(dest)

        expected = {}
        try:
            for round_index in range(rounds):
                for label, path, why in test_archives:
                    if why:
                        continue
                    for name, argv, command_why in test:
                        if command_why:
                            continue
                        result = self.time_process(f"tools test {label} {name} (round {round_index + 1})", argv(path))
                        self.series("tools-test", name, label).add(result)
                for label, path, why in extract_archives:
                    if why:
                        continue
                    if round_index == 0 and checker and any(not why for _, _, why in extract):
                        expected[label] = checker.expected_tree(path)
                    for name, argv, command_why in extract:
                        if command_why:
                            continue
                        fresh()
                        result = self.time_process(f"tools extract {label} {name} (round {round_index + 1})",
                                                   argv(path, dest), prepare=fresh)
                        if round_index == 0 and checker and "error" not in result:
                            problems = checker.check_tree(dest, expected[label])
                            if problems:
                                self.tools_problems[(name, label)] = problems
                                log(f"tools: CHECK FAILED {name} on {label}: {'; '.join(problems)}")
                        shutil.rmtree(dest)
                        self.series("tools-extract", name, label).add(result)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def tools_table(self, kind, base, header):
        archives, commands = getattr(self, "tools_" + kind)
        rows = []
        notes = []
        for label, path in archives:
            extra = []
            if path and os.path.isfile(path):
                extra.append(f"{os.path.getsize(path) / 1e6:.0f} MB")
            if label in self.tools_archive_notes:
                extra.append(self.tools_archive_notes[label])
            shown = f"{label} ({', '.join(extra)})" if extra else label
            unzip = self.series("tools-" + kind, base, label)
            for name in commands:
                s = self.series("tools-" + kind, name, label)
                if not s.ok:
                    rows.append([shown, name, "skipped: " + s.describe_error(), "", "", ""])
                    continue
                mark = ""
                if (name, label) in self.tools_problems:
                    mark = " †"
                    notes.append(f"† {name} on {label}: the tree differs from zipfile's reading: "
                                 + "; ".join(self.tools_problems[(name, label)]) + ".")
                if s.errors:
                    mark += f" ({len(s.errors)} failed run{'s' if len(s.errors) > 1 else ''}: {s.errors[-1]})"
                cpu = s.raw("cpuNs")
                rows.append([shown, name + mark, fmt_ns(s.median),
                             f"{fmt_ns(s.low)} – {fmt_ns(s.high)}" if len(s.samples) > 1 else "1 run",
                             fmt_ns(cpu) if cpu is not None else "–",
                             fmt_ratio(s.median, unzip.median) if unzip.ok else "–"])
        body = table(["archive", "command", "median wall", "min – max", "CPU user+sys (median)", header], rows)
        if notes:
            body += "\n\n" + "\n".join(notes)
        return body

    def report_tools(self):
        cores = os.cpu_count()
        rounds = self.tools_rounds
        wheels_why = ""
        if self.r.args.wheels_why:
            wheels_why = f" Wheels: {self.r.args.wheels_why}."
        builds = ("`zipls` twice from the root package, `swift build -c release --product zipls` "
                  "(zlib: the default build, `--scratch-path .build-release-bench`) and the same with `--traits ISAL` "
                  "(ISA-L's inflate and CRC-32, `--scratch-path .build-isal-release`)")
        test_body = self.tools_table("test", TOOLS_UNZIP_TEST, "÷ unzip -t (wall)")
        test_body += (f"\n\nWhole processes, one run each per round, {rounds} rounds interleaved (every command on every "
                      "archive in turn, then the next round); wall time is `time.perf_counter()` around `subprocess.run`, "
                      "stdout and stderr to /dev/null, and every run must exit 0. CPU is the child's user+sys time "
                      f"(`getrusage(RUSAGE_CHILDREN)`): above the wall time when zipls decodes on several of the "
                      f"{cores} processors. " + builds + "; `zipls test` decodes entries on every processor, "
                      "`-j 1` on one, to show what the cores add. The wheels are real ones from PyPI "
                      "(`pip download --no-deps --only-binary=:all: --python-version 3.11 --platform "
                      "manylinux2014_x86_64 scipy==1.11.4 pyarrow==14.0.1`), kept in `.archives/wheels/`." + wheels_why)
        self.sections.append(("Whole process: zipls test against unzip -t", test_body))
        extract_body = self.tools_table("extract", TOOLS_UNZIP_EXTRACT, "÷ unzip -q (wall)")
        check = ("In the first round each tree is checked against Python's zipfile with `extract.py`'s check (the set of "
                 "paths, every file's SHA-256; untimed): a tree that differs is marked †." if self.tools_checked else
                 "The trees were not checked (`extract.py` could not be loaded).")
        extract_body += (f"\n\nWhole processes as above ({rounds} rounds, interleaved), each writing into a fresh empty "
                         f"directory on {self.tools_scratch}, the same file system for every tool; removing the previous "
                         "tree and making the empty directory are not timed. " + check + " unzip, bsdtar and zipls restore "
                         "permissions and modification times; zipls writes each file unnamed, links it into place after "
                         "its size and CRC-32 check out, and writes entries on every processor.")
        self.sections.append(("Whole process: zipls extract against unzip and bsdtar", extract_body))

        def target(kind, label, path, bound, what, min_mb=None):
            base = TOOLS_UNZIP_TEST if kind == "test" else TOOLS_UNZIP_EXTRACT
            ours_name = TOOLS_ISAL_TEST if kind == "test" else TOOLS_ISAL_EXTRACT
            default_name = TOOLS_ZIPLS_TEST if kind == "test" else TOOLS_ZIPLS_EXTRACT
            unzip = self.series("tools-" + kind, base, label)
            ours = self.series("tools-" + kind, ours_name, label)
            default = self.series("tools-" + kind, default_name, label)
            problems = self.tools_problems.get((ours_name, label))
            why = None if ours.ok and unzip.ok else (ours if not ours.ok else unzip).describe_error()
            if min_mb and path and os.path.isfile(path) and os.path.getsize(path) <= min_mb * 1e6:
                why = f"{label} is {os.path.getsize(path) / 1e6:.0f} MB, not over {min_mb} MB"
            also = f"; default build {default.median / unzip.median:.2f}×" if default.ok and unzip.ok else ""
            self.target(what, why is None and ours.median / unzip.median,
                        lambda v: (f"{v:.2f}× ({fmt_ns(ours.median)} vs {fmt_ns(unzip.median)}; ratio of minimums "
                                   f"{ours.low / unzip.low:.2f}×; ISA-L build, not the better of the two{also})"
                                   + (" — tree check FAILED" if problems else "")),
                        lambda v: v <= bound and not problems, why)

        test_archives = dict(self.tools_test[0])
        extract_archives = dict(self.tools_extract[0])
        test_labels = [label for label, _ in self.tools_test[0]]
        extract_labels = [label for label, _ in self.tools_extract[0]]
        for label in test_labels:
            wheel = label.endswith(" wheel")
            bound = 0.5 if label == "entries-1m.zip" else 0.35
            target("test", label, test_archives[label], bound,
                   f"`zipls test` (ISA-L build, {cores} cores) ≤ {bound}× `unzip -t` wall time on "
                   + (f"a wheel > 20 MB ({label})" if wheel else label), min_mb=20 if wheel else None)
        for label in extract_labels:
            if label == "entries-100k.zip":
                bound, on = 1.0, label
            elif label.endswith(" wheel"):
                bound, on = 0.5, f"a large wheel ({label})"
            else:
                continue  # data-100mb.zip: measured, no target
            target("extract", label, extract_archives[label], bound,
                   f"`zipls extract` (ISA-L build) into an empty directory ≤ {bound}× `unzip -q` wall time on {on}",
                   min_mb=20 if label.endswith(" wheel") else None)

    # ---- invalidate ----------------------------------------------------------------

    def many(self, entries):
        directory = os.path.join(ARCHIVES, f"many-{entries}")
        return sorted(os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".zip"))

    def run_invalidate(self):
        r = self.r
        # Three rounds even with --quick: a round takes under a second, and
        # the figure is a few nanoseconds for all 1,000 archives, so one
        # round can be 50% off (the ±20% comparison needs the median).
        rounds = max(self.rounds, 3)
        self.invalidate_rows = []
        probe = r.run("invalidate probe", [r.bin["zipbench"], "invalidate", entries_archive("1k")])
        zipbench_ok = not unsupported(probe)
        if not zipbench_ok:
            self.skipped.append(("zipbench invalidate (ZipIndex side of the invalidate scenarios)",
                                 "this zipbench has no `invalidate` subcommand yet: " + probe["error"]))
        for entries in (10, 1000):
            paths = self.many(entries)
            if zipbench_ok:
                for opt_out in (False, True):
                    name = f"ZipIndex{' --opt-out' if opt_out else ''}"
                    for round_index in range(rounds):
                        argv = [r.bin["zipbench"], "invalidate"] + (["--opt-out"] if opt_out else []) + paths
                        result = r.run(f"invalidate {entries} {name} (round {round_index + 1})", argv)
                        self.series("invalidate", name, entries).add(
                            result, key="invalidatePerArchiveNs", low="invalidatePerArchiveNs", high="invalidatePerArchiveNs")
            for version in ("3.11.7", "3.13.0"):
                if self.quick and entries == 1000:
                    self.series("invalidate", f"CPython {version} importlib.invalidate_caches()", entries).errors.append(
                        "not in --quick (reading 1,000 directories of 1,000 entries takes CPython about 10 s a time)")
                    continue
                runs = "1" if entries == 1000 and version == "3.11.7" else "3"
                result = r.run(f"invalidate {entries} CPython {version}",
                               r.python(version) + [r.pybench, "invalidate"] + paths, {"BENCH_RUNS": runs}, timeout=1200)
                self.series("invalidate", f"CPython {version} importlib.invalidate_caches()", entries).add(
                    result, key="invalidatePerArchiveNs", low="invalidatePerArchiveNs", high="invalidatePerArchiveNs")
        if zipbench_ok:
            for round_index in range(rounds):
                result = r.run(f"first find after invalidate 100k (round {round_index + 1})",
                               [r.bin["zipbench"], "invalidate", entries_archive("100k")])
                self.series("firstfind", "ZipIndex").add(result, key="firstFindAfterNs", low="firstFindAfterNs",
                                                         high="firstFindAfterNs")
        self.zipbench_invalidate = zipbench_ok
        self.invalidate_probe = probe

    def report_invalidate(self):
        names = ["ZipIndex", "ZipIndex --opt-out", "CPython 3.11.7 importlib.invalidate_caches()",
                 "CPython 3.13.0 importlib.invalidate_caches()"]
        rows = []
        for name in names:
            cells = [name]
            for entries in (10, 1000):
                s = self.series("invalidate", name, entries)
                if s.ok:
                    cells.append(fmt_ns(s.median))
                elif name.startswith("ZipIndex") and not self.zipbench_invalidate:
                    cells.append("skipped: no `zipbench invalidate` yet")
                else:
                    cells.append("skipped: " + s.describe_error())
            a, b = self.series("invalidate", name, 10), self.series("invalidate", name, 1000)
            cells.append(f"{(b.median / a.median - 1) * 100:+.0f}%" if a.ok and b.ok and a.median else "–")
            rows.append(cells)
        body = table(["reader: invalidate, 1,000 archives", "per archive (10 entries each)",
                      "per archive (1,000 entries each)", "1,000 vs 10 entries"], rows)
        ff = self.series("firstfind", "ZipIndex")
        body += "\n\n" + table(["first find after invalidating an unchanged 100k-entry archive", "median"],
                               [["ZipIndex", fmt_ns(ff.median) if ff.ok else
                                 "skipped: " + (ff.describe_error() if self.zipbench_invalidate else "no `zipbench invalidate` yet")]])
        body += ("\n\n`zipbench invalidate ARCHIVE...` (all 1,000 archives of `--many-archives 1000`); `--opt-out` is "
                 "its opted-out variant. CPython (`peers/python/pybench.py invalidate`): every archive on `sys.path` with its "
                 "zipimporter made and its directory read, one untimed call (the first also imports `importlib.metadata`), "
                 "then `importlib.invalidate_caches()` timed, every directory read again before each call. 3.11's zipimporter re-reads every archive's directory inside the call; "
                 "3.13's drops its cached directory (the call pays for freeing it) and re-reads it at the next import.")
        self.sections.append(("Invalidate caches", body))
        for entries in (10, 1000):
            s = self.series("invalidate", "ZipIndex", entries)
            self.target(f"invalidateCaches(), 1,000 archives of {entries:,} entries ≤ 20 ns/archive",
                        s.ok and s.median, lambda v: f"{fmt_ns(v)} ({fmt_ns(v * 1000)} for all 1,000)", lambda v: v <= 20,
                        None if s.ok else self.skip_reason(s))
        a, b = self.series("invalidate", "ZipIndex", 10), self.series("invalidate", "ZipIndex", 1000)
        self.target("invalidateCaches() 10- vs 1,000-entry archives within ±20%",
                    a.ok and b.ok and b.median / a.median - 1, lambda v: f"{v * 100:+.0f}%", lambda v: abs(v) <= 0.20,
                    None if a.ok and b.ok else self.skip_reason(a))
        self.target("first find after invalidating an unchanged 100k archive ≤ 10 µs", ff.ok and ff.median,
                    lambda v: fmt_ns(v), lambda v: v <= 10_000, None if ff.ok else self.skip_reason(ff))

    def skip_reason(self, s):
        if not getattr(self, "zipbench_invalidate", True):
            return "zipbench has no `invalidate` subcommand yet"
        if not getattr(self, "zipbench_gh103200", True):
            return "zipbench has no `gh103200` subcommand yet"
        return s.describe_error()

    # ---- gh-103200 ------------------------------------------------------------------

    def run_gh103200(self):
        r = self.r
        pyspark, py4j = archive("pyspark-like.zip"), archive("py4j-like.zip")
        self.zipbench_gh103200 = True
        for round_index in range(self.rounds):
            result = r.run(f"gh103200 ZipIndex (round {round_index + 1})", [
                r.bin["zipbench"], "gh103200", f"{pyspark}:{GH103200_MODULES[0]}", f"{py4j}:{GH103200_MODULES[1]}"])
            if unsupported(result):
                self.zipbench_gh103200 = False
                self.skipped.append(("zipbench gh103200 (ZipIndex side of the gh-103200 loop)",
                                     "this zipbench has no `gh103200` subcommand yet: " + result["error"]))
                break
            self.series("gh103200", "ZipIndex").add(result, key="perIterationNs", low="perIterationNs", high="perIterationNs")
        for version in ("3.11.7", "3.13.0"):
            result = r.run(f"gh103200 CPython {version}", r.python(version) + [
                r.gh103200, f"{pyspark}:{GH103200_MODULES[0]}", f"{py4j}:{GH103200_MODULES[1]}"])
            self.series("gh103200", f"CPython {version}").add(result, key="perIterationNs")

    def report_gh103200(self):
        ours = self.series("gh103200", "ZipIndex")
        rows = []
        for name in ("ZipIndex", "CPython 3.11.7", "CPython 3.13.0"):
            s = self.series("gh103200", name)
            if not s.ok:
                reason = "no `zipbench gh103200` yet" if name == "ZipIndex" and not self.zipbench_gh103200 else s.describe_error()
                rows.append([name, "skipped: " + reason, "", ""])
                continue
            rows.append([name, fmt_ns(s.median), fmt_range(s) if name != "ZipIndex" or len(s.samples) > 1 else "–",
                         fmt_ratio(ours.median, s.median) if ours.ok else "–"])
        body = table(["reader", "per iteration (median)", "min – max", "ZipIndex ÷ reader"], rows)
        body += ("\n\nThe loop from CPython issue gh-103200 with `pyspark-like.zip` (1,500 entries) and `py4j-like.zip` (300) "
                 "on the path: each iteration invalidates the caches, then finds "
                 "`pyspark.sql.connect.proto.deep_module` and `py4j.tests.java_gateway_test` "
                 "(CPython: `importlib.invalidate_caches()` + `importlib.util.find_spec`, parents imported once beforehand).")
        self.sections.append(("gh-103200 loop", body))

    # ---- the package-benchmark suite (optional) ------------------------------------

    def report_package_benchmark(self, path):
        if not path or not os.path.exists(path):
            return
        with open(path) as f:
            text = f.read().strip()
        if text:
            self.sections.append(("Allocations (package-benchmark suite)", text))


# --------------------------------------------------------------------------
# Machine, versions, plot, BENCHMARKS.md
# --------------------------------------------------------------------------


def command_output(argv, env=None):
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, **(env or {})))
        return (p.stdout + p.stderr).strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return {
        "nproc": command_output(["nproc"]),
        "cpu": cpu or platform.processor(),
        "memory": memory,
        "kernel": platform.release(),
        "os": command_output(["sh", "-c", ". /etc/os-release 2>/dev/null && echo \"$PRETTY_NAME\""]),
        "load": open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else [],
    }


def resolved_version(identity):
    try:
        with open(os.path.join(BENCH, "Package.resolved")) as f:
            for pin in json.load(f)["pins"]:
                if pin["identity"].lower() == identity.lower():
                    return pin["state"].get("version") or pin["state"].get("revision", "")[:12]
    except (OSError, KeyError, json.JSONDecodeError):
        pass
    return "?"


def versions(runner):
    first = lambda text: text.splitlines()[0] if text else "?"
    v = {
        "Swift": first(command_output(["swift", "--version"])),
        "Go": first(command_output(["/usr/lib/go-1.19/bin/go", "version"])),
        "libzip": command_output(["pkg-config", "--modversion", "libzip"]) or "?",
        "zlib (C floor, libzip, ZipIndex)": command_output(["pkg-config", "--modversion", "zlib"]) or "?",
        "ISA-L (ZipIndex's ISAL trait, C ISA-L floor)": command_output(["pkg-config", "--modversion", "libisal"]) or "?",
        "Info-ZIP unzip": first(command_output(["unzip", "-v"])),
        "bsdtar (tools scenario)": first(command_output(["bsdtar", "--version"])),
        "Python (zipfile, zipimport, gh-103200)": ", ".join(
            command_output(runner.python(ver) + ["-c", "import platform; print(platform.python_version())"])
            for ver in ("3.11.7", "3.13.0")),
        "ZIPFoundation": resolved_version("zipfoundation"),
        "package-benchmark": resolved_version("benchmark"),
        "C compiler (floor, libzip peer)": first(command_output(["cc", "--version"])),
    }
    return v


def plot(comparison, path_svg):
    readers = [
        ("ZipIndex", ("parse", "ZipIndex"), "#d62728"),
        ("C floor: walk", ("parse", "floor: walk (C)"), "#7f7f7f"),
        ("C floor: table+index", ("parse", "floor: table+index (C)"), "#000000"),
        ("Go archive/zip", ("parse", "Go archive/zip"), "#17becf"),
        ("libzip", ("parse", "libzip"), "#9467bd"),
        ("Python zipfile 3.11", ("parse", "Python zipfile 3.11"), "#1f77b4"),
        ("ZIPFoundation", ("parse", "ZIPFoundation"), "#ff7f0e"),
        ("unzip -Z1 (whole process)", ("process", "unzip -Z1"), "#2ca02c"),
    ]
    lines = []
    for label, key, color in readers:
        points = [(count, comparison.series(*key, size).median) for size, count in SIZES
                  if comparison.series(*key, size).ok]
        if points:
            lines.append((label, color, points))
    title = "Open + index time vs entry count (log-log)"
    try:
        import matplotlib
        matplotlib.use("Agg")
        matplotlib.rcParams["svg.hashsalt"] = "zipindex"
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(8, 5.5))
        for label, color, points in lines:
            ax.plot([p[0] for p in points], [p[1] / 1e6 for p in points], marker="o", label=label, color=color,
                    linewidth=2.5 if label == "ZipIndex" else 1.5,
                    linestyle="--" if "floor" in label or "unzip" in label else "-")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("entries in the archive")
        ax.set_ylabel("median time (ms)")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(path_svg, format="svg", metadata={"Date": None})
        plt.close(fig)
        return "matplotlib"
    except ImportError:
        write_svg_by_hand(lines, title, path_svg)
        return "hand-written SVG (matplotlib not installed)"


def write_svg_by_hand(lines, title, path):
    import math
    width, height, left, right, top, bottom = 800, 520, 80, 230, 40, 60
    xs = [p[0] for _, _, pts in lines for p in pts] or [1e3, 1e6]
    ys = [p[1] / 1e6 for _, _, pts in lines for p in pts] or [1e-3, 1e3]
    x0, x1 = math.floor(math.log10(min(xs))), math.ceil(math.log10(max(xs)))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)
    px = lambda x: left + (math.log10(x) - x0) / (x1 - x0) * (width - left - right)
    py = lambda y: height - bottom - (math.log10(y) - y0) / (y1 - y0) * (height - top - bottom)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="24" text-anchor="middle" font-size="15">{title}</text>']
    for e in range(x0, x1 + 1):
        x = px(10 ** e)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle">10^{e}</text>')
    for e in range(y0, y1 + 1):
        y = py(10 ** e)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{10.0 ** e:g} ms</text>')
    out.append(f'<text x="{(left + width - right) / 2}" y="{height - 15}" text-anchor="middle">entries in the archive</text>')
    for i, (label, color, points) in enumerate(lines):
        d = " ".join(f"{px(x):.1f},{py(y / 1e6):.1f}" for x, y in points)
        out.append(f'<polyline points="{d}" fill="none" stroke="{color}" stroke-width="{3 if label == "ZipIndex" else 1.5}"/>')
        for x, y in points:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y / 1e6):.1f}" r="3" fill="{color}"/>')
        ly = top + 10 + i * 20
        out.append(f'<line x1="{width - right + 15}" y1="{ly}" x2="{width - right + 40}" y2="{ly}" stroke="{color}" stroke-width="3"/>')
        out.append(f'<text x="{width - right + 46}" y="{ly + 4}">{label}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--zipls", default="")
    parser.add_argument("--zipls-static", default="")
    parser.add_argument("--zipls-why", default="")
    parser.add_argument("--zipls-isal", default="", help="zipls built with --traits ISAL, if it built")
    parser.add_argument("--zipls-isal-why", default="", help="why it did not build")
    parser.add_argument("--wheel", action="append", default=[], metavar="NAME=PATH",
                        help="a real wheel for the tools scenario (PATH empty: not fetched, see --wheels-why)")
    parser.add_argument("--wheels-why", default="", help="why a wheel is missing")
    parser.add_argument("--zipbench-isal", default="", help="zipbench built with --traits ISAL, if it built")
    parser.add_argument("--zipbench-isal-why", default="", help="why it did not build")
    parser.add_argument("--floor-isal", default=None,
                        help="the C ISA-L floor (.build-floor/inflate_isal), or empty when it was not built")
    parser.add_argument("--floor-isal-why", default="", help="why it was not built")
    parser.add_argument("--python311", default="", help="path of the CPython 3.11.7 interpreter")
    parser.add_argument("--python313", default="", help="path of the CPython 3.13.0 interpreter")
    parser.add_argument("--output", required=True, help="BENCHMARKS.md to write")
    parser.add_argument("--plot", required=True, help="SVG to write")
    parser.add_argument("--package-benchmark", default="", help="markdown with the allocation table, if run")
    parser.add_argument("--command", default="compare.sh")
    parser.add_argument("--only", default="", help="comma-separated scenarios (for development)")
    args = parser.parse_args()

    runner = Runner(args)
    c = Comparison(runner)
    host = machine()
    log(f"{'quick' if args.quick else 'full'} run on {host['nproc']} × {host['cpu']}, load {' '.join(host['load'])}")
    scenarios = [("parse", c.run_parse), ("lookup", c.run_lookup), ("inflate", c.run_inflate),
                 ("process", c.run_whole), ("memory", c.run_memory), ("invalidate", c.run_invalidate),
                 ("gh103200", c.run_gh103200), ("tools", c.run_tools)]
    only = set(filter(None, args.only.split(",")))
    ran = c.ran = set()
    for name, function in scenarios:
        if only and name not in only:
            continue
        try:
            function()
        except Exception:  # one broken scenario must not lose the others
            import traceback
            log(f"scenario {name} failed:\n{traceback.format_exc()}")
            c.skipped.append((f"scenario {name}", "the harness failed: " + traceback.format_exc().strip().splitlines()[-1]))
            continue
        ran.add(name)
    reports = [("parse", c.report_parse), ("memory", c.report_memory), ("lookup", c.report_lookup),
               ("invalidate", c.report_invalidate), ("inflate", c.report_inflate),
               ("process", c.report_whole), ("tools", c.report_tools), ("gh103200", c.report_gh103200)]
    for name, function in reports:
        if name in ran:
            try:
                function()
            except Exception:
                import traceback
                log(f"report {name} failed:\n{traceback.format_exc()}")
                c.skipped.append((f"report {name}", "the harness failed: " + traceback.format_exc().strip().splitlines()[-1]))
    c.report_package_benchmark(args.package_benchmark)
    elapsed = time.monotonic() - STARTED
    host_after = machine()

    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "results.json"), "w") as f:
        json.dump({"quick": args.quick, "machine": host, "measurements": runner.raw}, f, indent=1)
    plotted = plot(c, args.plot) if "parse" in ran else None

    v = versions(runner)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    md = [f"# ZipIndex benchmarks: against its peers and the C floor",
          "",
          f"Written by `Benchmarks/{args.command}` on {now} ({'quick run: fewer repetitions' if args.quick else 'full run'}, "
          f"{elapsed / 60:.1f} minutes). Every number in a table comes from this one run, on the same files "
          "(`gen_archives.py`: deterministic). Rerun with `Benchmarks/compare.sh` (full) or `Benchmarks/compare.sh --quick`.",
          "",
          "## Machine",
          "",
          table(["", ""], [["CPUs (`nproc`)", host["nproc"]], ["CPU", host["cpu"]], ["memory", host["memory"]],
                           ["OS, kernel", f"{host['os']}, {host['kernel']}"],
                           ["load average at start / end", f"{' '.join(host['load'])} / {' '.join(host_after['load'])}"]]),
          "",
          "The machine is shared and noisy (2 cores, other builds running): medians are reported with the full "
          "min – max range, the fast readers run in interleaved rounds, and ratios compare medians from the same run. "
          "A target measured within about 25% of its bound can come out either way from one run to the next here "
          "(the open + index ratio at 100k has read anywhere from 1.1× to 1.8× in runs minutes apart): the ratio of "
          "minimums is printed beside it as a second, noise-resistant estimate; rerun before concluding.",
          "",
          "## Versions",
          "",
          table(["component", "version"], [[k, val] for k, val in v.items()]),
          "",
          "## Targets",
          "",
          table(["target", "measured (same run)", "result"], c.targets),
          ""]
    if plotted:
        md += [f"![Open + index time against entry count, log-log]({os.path.basename(args.plot)})", "",
               f"[Plot: open + index time against entry count]({os.path.basename(args.plot)}) ({plotted}); "
               "unzip -Z1 is a whole process (start-up included), the others are in-process medians.", ""]
    for title, body in c.sections:
        md += [f"## {title}", "", body, ""]
    if c.skipped:
        md += ["## Skipped", "", "\n".join(f"- {what}: {why}" for what, why in c.skipped), ""]
    md += ["## Method", "",
           "- Archives: `gen_archives.py` (see README.md): N stored entries with 20–80-byte path-like names; archives over 65,535 "
           "entries carry ZIP64 end records. `data-100mb.zip` holds one 100 MiB deflated entry; `large-data.zip`, "
           "three 64 MiB deflated entries (log text, JSON lines, binary records).",
           "- In-process timings use each program's monotonic clock around the operation, after a warm-up run, with the "
           "archive in the page cache. Each program prints one JSON line; the raw lines are in `.build-results/results.json`.",
           "- Whole-process timings and peak RSS: `.build-peers/proctime` (fork/exec to exit; `ru_maxrss`).",
           "- Peers' sources: `peers/go/main.go`, `peers/c/libzip_bench.c`, `peers/python/pybench.py`, "
           "`peers/python/gh103200.py`, `peers/zipfoundation/main.swift`; the C floor is `floor/` (README.md).",
           ""]
    with open(args.output, "w") as f:
        f.write("\n".join(md))
    print("\n".join(md))
    log(f"wrote {args.output}" + (f" and {args.plot}" if plotted else ""))


if __name__ == "__main__":
    main()
