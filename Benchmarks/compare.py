#!/usr/bin/env python3
"""compare.py: ZipIndex against its peers and the C floor, in one run.

    compare.py                 full run (about 15 minutes here, builds warm): writes
                               BENCHMARKS.md and open-index.svg
    compare.py --quick         fewer repetitions, cached archives (a few minutes)
    compare.py --sizes 1k,10k  only these entries-N archives; the largest stands in for 1m
    compare.py --only LIST     or --skip LIST, of: parse lookup inflate process memory
                               invalidate gh103200 tools allocations (allocations: the
                               package-benchmark suite, in full runs or when named)
    compare.py --smoke         CI: builds the package and runs each program once

A partial run writes .build-results/BENCHMARKS-quick.md and open-index-quick.svg
unless --write. Raw results go to .build-results/results.json. What is missing
(Go, libzip, libisal, bsdtar, a CPython, the wheels when offline) is skipped
with the reason; README.md lists what each scenario needs and times.
"""
import argparse
import datetime
import glob
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
ARCHIVES, RESULTS = os.path.join(BENCH, ".archives"), os.path.join(BENCH, ".build-results")
PEERS, FLOOR = os.path.join(BENCH, ".build-peers"), os.path.join(BENCH, ".build-floor")
sys.path.insert(0, BENCH)
import extract  # noqa: E402  (the tools scenario's timing and tree check)

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
LABEL = {"1k": "1k", "10k": "10k", "100k": "100k", "1m": "1M"}
SCENARIOS = "parse lookup inflate process memory invalidate gh103200 tools allocations".split()
LARGE = ("text.log", "events.jsonl", "table.bin")  # the entries of large-data.zip
MODULES = ("pyspark.sql.connect.proto.deep_module", "py4j.tests.java_gateway_test")
ZIPINDEX, INDEX_FLOOR, FLOOR_ONCE = "ZipIndex", "floor: table+index (C)", "floor: table+index (C, floor once)"
FLOOR_ZLIB, FLOOR_ISAL = "floor: C zlib inflate + CRC", "floor: C ISA-L inflate + CRC"
ZIPINDEX_ZLIB, ZIPINDEX_ISAL = "ZipIndex (zlib, default build)", "ZipIndex (ISA-L trait)"
ZIPLS_STATIC = "zipls (--static-swift-stdlib)"
STARTED = time.monotonic()


def log(message):
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def archive(name):
    return os.path.join(ARCHIVES, name)


def entries(size):
    return archive(f"entries-{size}.zip")


def output(argv, **kwargs):
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, **kwargs)
        return (done.stdout + done.stderr).strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def first_error(text):
    return next((line for line in text.splitlines() if "error" in line.lower()), text.strip()[-200:]).strip()


# ---- building and preparing -------------------------------------------------------

def build(tools):
    """Every program: {name: path}, or "<why it is missing>" in place of the path."""
    os.makedirs(PEERS, exist_ok=True)
    os.makedirs(FLOOR, exist_ok=True)
    programs = {}

    def record(name, argv, path=None, library=None, **kwargs):
        path = path or argv[argv.index("-o") + 1]
        if library:
            flags = subprocess.run(["pkg-config", "--cflags", "--libs", library], capture_output=True, text=True)
            if flags.returncode:
                programs[name] = f"<{name} needs {library} (apt-get install {library}-dev)>"
                return
            argv = argv + flags.stdout.split()
        log(f"building {name}")
        done = subprocess.run(argv, capture_output=True, text=True, **kwargs)
        ok = done.returncode == 0 and os.access(path, os.X_OK)
        programs[name] = path if ok else f"<{name} did not build: {first_error(done.stdout + done.stderr)}>"

    swift = [("zipbench", BENCH, ".build", []), ("zipindex-once", BENCH, ".build", []),
             ("zipfoundation-bench", BENCH, ".build", []), ("zipbench-isal", BENCH, ".build-isal", ["--traits", "ISAL"]),
             ("zipls", ROOT, ".build-release-bench", []), ("zipls-static", ROOT, ".build-static", ["--static-swift-stdlib"])]
    for name, package, scratch, extra in swift + [("zipls-isal", ROOT, ".build-isal-release", ["--traits", "ISAL"])] * tools:
        product, scratch = re.sub("-isal|-static", "", name), os.path.join(package, scratch)
        record(name, ["swift", "build", "-c", "release", "--package-path", package, "--product", product,
                      "--scratch-path", scratch] + extra, os.path.join(scratch, "release", product))
    cc, c = [os.environ.get("CC", "cc"), "-O2", "-std=gnu11", "-Wall", "-Wextra"], lambda p: os.path.join(BENCH, p)
    record("floor", cc + ["-o", os.path.join(FLOOR, "floor"), c("floor/floor.c"), "-lz"])
    record("floor-isal", cc + ["-DFLOOR_ISAL", "-o", os.path.join(FLOOR, "floor_isal"), c("floor/floor.c")], library="libisal")
    record("proctime", cc + ["-o", os.path.join(PEERS, "proctime"), c("peers/c/proctime.c")])
    record("libzip", cc + ["-o", os.path.join(PEERS, "libzip_bench"), c("peers/c/libzip_bench.c")], library="libzip")
    go = next((g for g in (os.environ.get("GO"), "/usr/lib/go-1.19/bin/go", shutil.which("go")) if g and os.access(g, os.X_OK)), None)
    if go:
        record("gozip", [go, "build", "-o", os.path.join(PEERS, "gozip"), "."], cwd=c("peers/go"),
               env=dict(os.environ, GOFLAGS="-mod=mod", GOPROXY="off", GOCACHE=os.path.join(PEERS, "gocache")))
    else:
        programs["gozip"] = "<Go is not installed (apt-get install golang-1.19-go)>"
    for name in ("zipls", "zipls-static", "zipls-isal"):  # must list an archive as unzip -Z1 does
        if not programs.get(name, "<").startswith("<") and \
                output([programs[name], entries("1k")]) != output(["unzip", "-Z1", entries("1k")]):
            programs[name] = f"<{name} lists entries-1k.zip differently from unzip -Z1>"
    return programs


def python_path(version):
    """The interpreter itself, not pyenv's shim (which costs a process or two per start)."""
    for path in (output(["pyenv", "which", "python3"], env=dict(os.environ, PYENV_VERSION=version)),
                 shutil.which("python" + version.rsplit(".", 1)[0])):
        if path and output([path, "-c", "import platform; print(platform.python_version())"]) == version:
            return path
    return f"<CPython {version} not found>"


def prepare_archives(quick, tools):
    """The archives (gen_archives.py), 1,000 importer archives of 10 and of 1,000 entries,
    and for the tools scenario two real wheels: [(label, path, why it is missing)]."""
    log("generating archives")
    gen = [sys.executable, os.path.join(BENCH, "gen_archives.py")]
    subprocess.run(gen + [ARCHIVES] + ["--quick"] * quick, check=True, stdout=sys.stderr)
    version = re.search(r'GENERATOR_VERSION = "(.*)"', open(gen[1]).read()).group(1)
    for count in (10, 1000):
        directory, stamp = archive(f"many-{count}"), f"{version} 1000 {count}"
        if not (quick and output(["cat", os.path.join(directory, ".stamp")]) == stamp):
            shutil.rmtree(directory, ignore_errors=True)
            subprocess.run(gen + ["--many-archives", "1000", "--entries-per-archive", str(count), directory],
                           check=True, stdout=sys.stderr)
            open(os.path.join(directory, ".stamp"), "w").write(stamp)
    wheels, directory, cache = [], archive("wheels"), os.environ.get("WHEEL_CACHE", "/tmp/bigwheels")
    for spec in ("scipy==1.11.4", "pyarrow==14.0.1") if tools else ():
        name = spec.replace("==", "-")
        found = lambda d: (sorted(glob.glob(os.path.join(d, name + "-*.whl"))) or [""])[0]  # noqa: E731
        os.makedirs(directory, exist_ok=True)
        why = None
        if not found(directory) and found(cache):
            shutil.copy(found(cache), directory)
        elif not found(directory):
            log(f"downloading the {spec} wheel into {directory}")
            failed = output([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--python-version",
                             "3.11", "--platform", "manylinux2014_x86_64", "--retries", "1", "--timeout", "30", spec, "-d", directory])
            why = None if found(directory) else f"pip download {spec} failed (offline?): {first_error(failed)}"
        wheels.append((f"{name} wheel", found(directory), why))
    return wheels


# ---- measuring ------------------------------------------------------------------------

class Series:
    """Repeated measurements of one reader on one input: (value, low, high, raw result)."""

    def __init__(self):
        self.samples, self.errors = [], []

    def add(self, result, key="medianNs", low="minNs", high="maxNs"):
        if "error" in result:
            self.errors.append(result["error"])
        else:
            self.samples.append((float(result[key]), float(result.get(low, result[key])),
                                 float(result.get(high, result[key])), result))
        return self

    ok = property(lambda self: bool(self.samples))
    median = property(lambda self: statistics.median(s[0] for s in self.samples) if self.samples else None)
    low = property(lambda self: min(s[1] for s in self.samples))
    high = property(lambda self: max(s[2] for s in self.samples))

    def raw(self, key):
        values = [s[3][key] for s in self.samples if key in s[3]]
        return statistics.median(values) if values else None

    def why(self):
        return self.errors[-1] if self.errors else "not run"


def fmt_ns(ns):
    if ns is None:
        return "–"
    if ns < 1:
        return f"{ns:.3g} ns"  # invalidateCaches() per archive: one flip shared by all archives
    for unit, scale, digits in (("ns", 1, 1), ("µs", 1e3, 1), ("ms", 1e6, 2)):
        if ns < 1000 * scale:
            value = ns / scale
            return f"{value:.{digits if value < 10 else 1 if value < 100 or unit == 'ms' else 0}f} {unit}"
    return f"{ns / 1e9:.2f} s"


def fmt_range(s):
    if len(s.samples) > 1 and not any("minNs" in sample[3] for sample in s.samples):
        return f"{fmt_ns(s.low)} – {fmt_ns(s.high)} (round medians)"
    return f"{fmt_ns(s.low)} – {fmt_ns(s.high)}" if len(s.samples) > 1 or s.low != s.high else "1 run"


def fmt_ratio(ours, theirs):
    if not ours or not theirs:
        return "–"
    r = ours / theirs
    return f"{r:.2f}×" if r >= 0.01 else f"1/{1 / r:,.3g}×" if 1 / r < 1e4 else f"1/{1 / r:,.0f}×"


def table(headers, rows):
    return "\n".join(["| " + " | ".join(headers) + " |", "|---" + "|---:" * (len(headers) - 1) + "|"]
                     + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])


class Comparison:
    # Repetitions (full run, --quick) where a program should not size them itself
    # (to 1.5 s, 0.5 s with --quick): runs of seconds, and the floor with --quick.
    REPS = {"walk": {"1k": (None, 20000), "10k": (None, 3000), "100k": (None, 300), "1m": (None, 10)},
            "index": {"1k": (None, 10000), "10k": (None, 1000), "100k": (None, 40), "1m": (None, 4)},
            "go": {"1m": (3, 1)}, "libzip": {"100k": (None, 2), "1m": (3, 3)},
            "python": {"100k": (None, 3), "1m": (3, 1)}, "zipfoundation": {"100k": (5, 2), "1m": (2, 1)}}

    def __init__(self, args, programs, pythons, wheels):
        self.quick, self.sizes, self.b, self.wheels = args.quick, args.sizes, programs, wheels
        self.big = self.sizes[-1]  # stands in for 1M
        self.rounds = 1 if self.quick else 3
        self.py311, self.py313 = [pythons["3.11.7"], os.path.join(BENCH, "peers/python/pybench.py")], \
            [pythons["3.13.0"], os.path.join(BENCH, "peers/python/pybench.py")]
        self.raw, self.data, self.sections, self.targets = [], {}, [], []
        self.skipped = [(name, path.strip("<>")) for name, path in programs.items() if path.startswith("<")]

    def s(self, *key):
        return self.data.setdefault(key, Series())

    def run(self, label, argv, env=None, timeout=900):
        """Runs argv: its last line of JSON as a dict, or {"error": ...}."""
        started = time.monotonic()
        try:
            missing = next((a for a in argv if a.startswith("<")), None)
            if missing:
                raise OSError(missing.strip("<>"))
            done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                                  env=dict(os.environ, BENCH_TARGET_MS="500" if self.quick else "1500", **(env or {})))
            result = json.loads((done.stdout.strip().splitlines() or ["null"])[-1]) if done.returncode == 0 else None
            if not isinstance(result, dict):
                result = {"error": f"exit {done.returncode}: {(done.stderr.strip().splitlines() or ['no output'])[-1][:250]}"}
        except subprocess.TimeoutExpired:
            result = {"error": f"timed out after {timeout}s"}
        except (OSError, ValueError) as e:
            result = {"error": str(e)}
        self.raw.append({"label": label, "argv": argv, "env": env or {}, "seconds": round(time.monotonic() - started, 2),
                         "result": result})
        shown = [f"{k}={result[k]}" for k in ("medianNs", "hitNs", "perIterationNs", "invalidatePerArchiveNs") if k in result]
        log(f"{label}: {result.get('error') or (shown + [''])[0]}")
        return result

    def measure(self, key, label, argv, env=None, value="medianNs", low="minNs", high="maxNs", timeout=900):
        return self.s(*key).add(self.run(label, argv, env, timeout), value, low, high)

    def target(self, what, value, show, passes, why):
        self.targets.append([what, "–", "SKIPPED: " + why] if value is None or value is False else
                            [what, show(value), "PASS" if passes(value) else "MISS"])

    def ratio_target(self, what, ours, theirs, limit, extra="", failed=""):
        """ours ≤ limit × theirs (medians), with the ratio of minimums beside it."""
        self.target(what, ours.ok and theirs.ok and ours.median / theirs.median,
                    lambda v: f"{v:.2f}× ({fmt_ns(ours.median)} vs {fmt_ns(theirs.median)}; ratio of minimums "
                              f"{ours.low / theirs.low:.2f}×{extra}){failed}", lambda v: v <= limit and not failed,
                    (theirs if ours.ok else ours).why())

    def row(self, cells, s, *more):
        """cells, then the median, its range and more(s) ..., or why it was skipped."""
        return cells + ([fmt_ns(s.median), fmt_range(s)] + [f(s) for f in more] if s.ok else
                        ["skipped: " + s.why()] + [""] * (len(more) + 1))

    def section(self, title, headers, rows, text):
        self.sections.append((title, table(headers, rows) + "\n\n" + text))

    # ---- open + index ----------------------------------------------------------------

    def parse_readers(self, size):
        a, b = entries(size), self.b
        return [(ZIPINDEX, "zipbench", [b["zipbench"], "parse", a]), ("floor: walk (C)", "walk", [b["floor"], "walk", a]),
                (INDEX_FLOOR, "index", [b["floor"], "index", a]), ("Go archive/zip", "go", [b["gozip"], "parse", a]),
                ("libzip", "libzip", [b["libzip"], "parse", a]), ("Python zipfile 3.11", "python", self.py311 + ["parse", a]),
                ("zipimport._read_directory 3.11", "python", self.py311 + ["zipimport", a]),
                ("zipimport._read_directory 3.13", "python", self.py313 + ["zipimport", a]),
                ("ZIPFoundation", "zipfoundation", [b["zipfoundation-bench"], "parse", a])]

    def run_parse(self):
        def measure(name, kind, argv, size, round_index):
            reps = self.REPS.get(kind, {}).get(size, (None, None))[self.quick]
            # With explicit repetitions the floor still warms up; the peers' first run is then cold.
            env = {} if reps is None or kind in ("walk", "index") else {"BENCH_SKIP_WARMUP": "1"}
            self.measure(("parse", name, size), f"parse {size} {name} (round {round_index + 1})",
                         argv + [str(reps)] * (reps is not None), env)
        for round_index in range(self.rounds):  # Python and ZIPFoundation: one round
            for size in self.sizes:
                for name, kind, argv in self.parse_readers(size):
                    if round_index == 0 or kind not in ("python", "zipfoundation"):
                        measure(name, kind, argv, size, round_index)
        # The targets compare ZipIndex with the floor at 100k and 1M: alternate those
        # two a few more times, so that a noisy minute lands on both.
        for round_index in range(self.rounds, 2 if self.quick else 6):
            for size in {"100k", "1m"} & set(self.sizes):
                for name, kind, argv in self.parse_readers(size)[0:3:2]:
                    measure(name, kind, argv, size, round_index)

    def report_parse(self):
        rows = []
        for size in self.sizes:
            count, ours = SIZES[size], self.s("parse", ZIPINDEX, size)
            for name, _, _ in self.parse_readers(size):
                s = self.s("parse", name, size)
                read = s.raw("entries")
                note = f" (reads {int(read):,} of {count:,} entries: no ratio)" if read is not None and read != count else ""
                rows.append(self.row([LABEL[size], name + note], s, lambda s: f"{s.median / count:.1f}",
                                     lambda s: "–" if note else fmt_ratio(ours.median, s.median)))
        self.section("Open + index", ["entries", "reader", "median", "min – max", "ns/entry", "ZipIndex ÷ reader"], rows,
                     "Open an archive and make it ready for lookups by name, in process, repeated: "
                     f"{self.rounds} interleaved round{'s' * (self.rounds > 1)} (Python and ZIPFoundation: one), ZipIndex "
                     "and the C table+index floor alternating more at 100k and 1M; medians of the round medians, min and "
                     "max over all runs. "
                     "Below 1 in the last column, ZipIndex is faster. README.md says what each reader does.")
        for size, limit in (("10k", 1.3), ("100k", 1.5), ("1m", 1.5)):
            if size in self.sizes:
                self.ratio_target(f"open + index at {LABEL[size]} ≤ {limit}× C table+index floor",
                                  self.s("parse", ZIPINDEX, size), self.s("parse", INDEX_FLOOR, size), limit)

    # ---- memory -----------------------------------------------------------------------

    def once_commands(self):
        b = self.b
        return [("ZipIndex (zipindex-once)", [b["zipindex-once"]], "ZipIndex open once (zipindex-once)"),
                (FLOOR_ONCE, [b["floor"], "once"], FLOOR_ONCE), ("Go archive/zip", [b["gozip"], "once"], None),
                ("libzip", [b["libzip"], "once"], None), ("Python zipfile 3.11", self.py311 + ["once"], None),
                ("ZIPFoundation", [b["zipfoundation-bench"], "once"], None),
                ("unzip -Z1 (lists, keeps no index)", ["unzip", "-Z1"], "unzip -Z1"), ("zipls (lists)", [self.b["zipls"]], "zipls")]

    def run_memory(self):
        """Peak RSS of one process at the largest size, less the same on 10 entries."""
        rss = ("maxRssKb",) * 3
        for name, command, process in self.once_commands():
            proctime = [self.b["proctime"], "--capture"]
            self.measure(("rss", name, "10"), f"rss baseline {name}", proctime + ["3"] + command + [archive("importer-10.zip")],
                         None, *rss)
            measured = self.s("process", process, self.big)  # by the process scenario already
            if process and measured.ok:
                self.s("rss", name, self.big).add({"maxRssKb": measured.raw("maxRssKb")}, *rss)
            else:
                self.measure(("rss", name, self.big), f"rss {self.big} {name}",
                             proctime + ["--no-warmup", "1"] + command + [entries(self.big)], None, *rss, timeout=1200)

    def report_memory(self):
        n, big = SIZES[self.big], LABEL[self.big]
        ours, floor, rows = self.s("parse", ZIPINDEX, self.big), self.s("parse", INDEX_FLOOR, self.big), []
        if ours.ok:  # ZipIndex's tableBytes includes the names, the floor's does not
            t, names = ours.raw("tableBytes"), ours.raw("nameBytes")
            rows.append(["ZipIndex table (exact: buffer capacities)", f"{t / 2**20:.1f} MiB", f"{(t - names) / n:.1f} + {names / n:.1f} names", "–"])
        if floor.ok:
            t, names = floor.raw("tableBytes"), floor.raw("nameBytes")
            rows.append(["floor table (exact)", f"{(t + names) / 2**20:.1f} MiB", f"{t / n:.1f} + {names / n:.1f} names", "–"])
        for name, _, _ in self.once_commands():
            base, s = self.s("rss", name, "10"), self.s("rss", name, self.big)
            delta = base.ok and s.ok and (s.median - base.median) * 1024
            rows.append([f"{name} (peak RSS − 10-entry baseline)", f"{delta / 2**20:.1f} MiB" + " (keeps no index)" * (abs(delta) < n),
                         f"{delta / n:.1f}", f"{s.median / 1024:.1f} MiB / {base.median / 1024:.1f} MiB"] if delta is not False else
                        [name + " (peak RSS)", "skipped: " + (base if s.ok else s).why(), "", ""])
        self.section("Memory", ["reader", f"memory at {big} entries", "bytes/entry", f"peak RSS {big} / 10 entries"], rows,
                     "ZipIndex's and the floor's table sizes are exact (`tableBytes`; names stored once). The other rows are "
                     f"whole-process peak RSS (`ru_maxrss`) of a program that opens the {big}-entry archive once and exits, "
                     "less the same on a 10-entry archive: allocator slack, mapped page cache and garbage-collector headroom "
                     "included. `unzip -Z1` and ZIPFoundation keep no index (ZIPFoundation scans per lookup, below).")
        self.target(f"table memory at {big} ≤ 48 bytes/entry plus names", ours.ok and ours.raw("bytesPerEntry"),
                    lambda v: f"{v:.1f} B/entry + {ours.raw('nameBytes') / n:.1f} B names", lambda v: v <= 48, ours.why())

    # ---- lookup -----------------------------------------------------------------------

    def run_lookup(self):
        b, a = self.b, entries(self.big)
        slow = self.sizes[-2] if self.quick and len(self.sizes) > 1 else self.big  # libzip and Python open for seconds
        zf = "10k" if self.quick and "10k" in self.sizes else self.big
        at = lambda size: f" (at {LABEL[size]})" * (size != self.big)  # noqa: E731
        self.lookup = [(ZIPINDEX, [b["zipbench"], "lookup", a]), (INDEX_FLOOR, [b["floor"], "lookup", a]),
                       ("Go archive/zip (map)", [b["gozip"], "lookup", a]),
                       ("libzip (zip_name_locate)" + at(slow), [b["libzip"], "lookup", entries(slow)]),
                       ("Python zipfile 3.11 (getinfo)" + at(slow), self.py311 + ["lookup", entries(slow)]),
                       (f"ZIPFoundation (archive[path], at {LABEL[zf]})", [b["zipfoundation-bench"], "lookup", entries(zf)])]
        for round_index in range(self.rounds):
            for name, argv in self.lookup[:4] if round_index else self.lookup:  # Python and ZIPFoundation: one round
                # ZIPFoundation scans the whole directory per lookup: one query each at 1M.
                r = self.run(f"lookup {name} (round {round_index + 1})", argv,
                             {"BENCH_LOOKUP_MS": "1"} if "ZIPFoundation" in name and zf == "1m" else {}, 1200)
                self.s("hit", name).add(r, *("hitNs",) * 3)
                self.s("miss", name).add(r, *("missNs",) * 3)

    def report_lookup(self):
        hit0, miss0, rows = self.s("hit", ZIPINDEX), self.s("miss", ZIPINDEX), []
        spread = lambda s: f"{fmt_ns(s.low)} – {fmt_ns(s.high)}" if len(s.samples) > 1 else "1 round"  # noqa: E731
        for name, _ in self.lookup:
            hit, miss = self.s("hit", name), self.s("miss", name)
            queries = f" ({hit.raw('hitQueries'):.0f} hit / {hit.raw('missQueries'):.0f} miss queries)" if hit.raw("hitQueries") else ""
            rows.append([name + queries, fmt_ns(hit.median), fmt_ns(miss.median), f"{spread(hit)}; {spread(miss)}",
                         f"{fmt_ratio(hit0.median, hit.median)} / {fmt_ratio(miss0.median, miss.median)}"] if hit.ok else
                        [name, "skipped: " + hit.why(), "", "", ""])
        self.section("Lookup by name", [f"reader ({LABEL[self.big]} entries unless noted)", "hit", "miss",
                                        "range over rounds (hit; miss)", "ZipIndex ÷ reader (hit / miss)"], rows,
                     "Median time per lookup of random existing names (hit) and of the same names with one byte changed "
                     "(miss), in batches of 4,096 (ZipIndex) or 1,024 names. ZIPFoundation's `archive[path]` re-reads the "
                     "directory for each lookup, so its queries are few and timed one by one.")
        for kind, s in (("hit", hit0), ("miss", miss0)):
            self.target(f"lookup {kind} at {LABEL[self.big]} ≤ 100 ns", s.ok and s.median, fmt_ns, lambda v: v <= 100, s.why())

    # ---- inflate ----------------------------------------------------------------------

    def run_inflate(self):
        b, a, q = self.b, archive("data-100mb.zip"), self.quick
        reps = lambda quick, full=None: [str(quick if q else full)] * bool(quick if q else full)  # noqa: E731
        self.inflate = [(ZIPINDEX, [b["zipbench"], "inflate", a, "data.bin"]),
                        (FLOOR_ZLIB, [b["floor"], "inflate", a, "data.bin"] + reps(3)),
                        ("Go archive/zip", [b["gozip"], "inflate", a, "data.bin"] + reps(2)),
                        ("libzip", [b["libzip"], "inflate", a, "data.bin"] + reps(2)),
                        ("Python zipfile 3.11", self.py311 + ["inflate", a, "data.bin"] + reps(2)),
                        ("ZIPFoundation", [b["zipfoundation-bench"], "inflate", a, "data.bin"] + reps(2, 5)),
                        ("unzip -t (whole process)", [b["proctime"], "2" if q else "5", "unzip", "-tqq", a]),
                        ("zipls test (whole process)", [b["proctime"], "2" if q else "5", b["zipls"], "test", a])]
        for round_index in range(self.rounds):
            for name, argv in self.inflate[:4] if round_index else self.inflate:  # the slow and whole ones: one round
                self.measure(("inflate", name), f"inflate {name} (round {round_index + 1})", argv)
        # The large-data entries: the C floor with zlib and with ISA-L, zipbench built with each.
        readers = [(FLOOR_ZLIB, [b["floor"]]), (FLOOR_ISAL, [b["floor-isal"]]), (ZIPINDEX_ZLIB, [b["zipbench"]]),
                   (ZIPINDEX_ISAL, [b["zipbench-isal"]])]
        for round_index in range(self.rounds):
            for entry in LARGE:
                for name, argv in readers:
                    self.measure(("large", name, entry), f"inflate {entry} {name} (round {round_index + 1})",
                                 argv + ["inflate", archive("large-data.zip"), entry] + reps(3 * ("floor" in name)))

    def report_inflate(self):
        size, ours = 104857600, self.s("inflate", ZIPINDEX)
        rows = [self.row([name], self.s("inflate", name), lambda s: f"{size / s.median * 1e3:.0f}",
                         lambda s: fmt_ratio(ours.median, s.median)) for name, _ in self.inflate]
        self.section("Inflate with CRC-32", ["reader (data.bin: 100 MiB, deflated 3.4×)", "median", "min – max", "MB/s",
                                             "ZipIndex ÷ reader (time)"], rows,
                     "Each run opens the archive, finds `data.bin` and streams it to the end with its CRC-32 checked, "
                     "in 256 KiB chunks where the reader lets the caller choose. `unzip -t` and `zipls test` are whole processes.")
        floor = self.s("inflate", FLOOR_ZLIB)
        self.target("inflate with CRC ≥ 0.95× C zlib (throughput)", ours.ok and floor.ok and floor.median / ours.median,
                    lambda v: f"{v:.2f}× ({size / ours.median * 1e3:.0f} vs {size / floor.median * 1e3:.0f} MB/s)",
                    lambda v: v >= 0.95, (floor if ours.ok else ours).why())
        with zipfile.ZipFile(archive("large-data.zip")) as z:
            sizes = {i.filename: (i.file_size, i.compress_size) for i in z.infolist()}
        rows, speed = [], {}  # speed[floor][reader][entry]: floor time ÷ reader time
        for entry in LARGE:
            size, packed = sizes[entry]
            floors = [self.s("large", f, entry) for f in (FLOOR_ZLIB, FLOOR_ISAL)]
            for name in (FLOOR_ZLIB, FLOOR_ISAL, ZIPINDEX_ZLIB, ZIPINDEX_ISAL):
                s = self.s("large", name, entry)
                for f, floor in zip((FLOOR_ZLIB, FLOOR_ISAL), floors):
                    if s.ok and floor.ok:
                        speed.setdefault(f, {}).setdefault(name, {})[entry] = floor.median / s.median
                rows.append(self.row([f"{entry} ({size / 2**20:.0f} MiB, deflated {size / packed:.1f}×)", name], s,
                                     lambda s: f"{size / s.median * 1e3:.0f}", *(lambda s, f=f: fmt_ratio(f.median, s.median) for f in floors)))
        own, reached = speed.get(FLOOR_ZLIB, {}).get(FLOOR_ISAL, {}), speed.get(FLOOR_ISAL, {}).get(ZIPINDEX_ISAL, {})
        self.section("Inflate with CRC-32: the three large-data entries",
                     ["entry of large-data.zip", "reader", "median", "min – max", "MB/s",
                      "C zlib floor ÷ reader (time; above 1: faster than the zlib floor)",
                      "C ISA-L floor ÷ reader (time; 1: as fast as ISA-L's own loop)"], rows,
                     "The same on the three 64 MiB entries of `large-data.zip` (log text, JSON lines, binary records), one "
                     "run of each reader in turn per round. `floor_isal` is `floor/floor.c` built with `-DFLOOR_ISAL` (ISA-L's "
                     "`isal_inflate` and `crc32_gzip_refl`): ISA-L's own speed, the ceiling for ZipIndex's ISAL trait "
                     "(`zipbench` built with `--traits ISAL`)." + (
                         f" In this run ISA-L's own loop is {' / '.join(f'{own[e]:.2f}×' for e in LARGE)} the zlib loop "
                         f"({' / '.join(LARGE)}); ZipIndex with the ISA-L trait runs at "
                         f"{' / '.join(f'{reached.get(e, 0):.2f}×' for e in LARGE)} of its speed." if len(own) == 3 else ""))
        for name, what, bound in ((ZIPINDEX_ISAL, "ISA-L trait", 2.5), (ZIPINDEX_ZLIB, "default build", 0.95)):
            by_entry = speed.get(FLOOR_ZLIB, {}).get(name, {})
            missing = next((e for e in LARGE if e not in by_entry), None)
            self.target(f"inflate with CRC, {what} ≥ {bound}× C zlib on each large-data entry",
                        not missing and min(by_entry.values()), lambda v, by_entry=by_entry: f"{v:.2f}× (lowest of " +
                        ", ".join(f"{e} {by_entry[e]:.2f}×" for e in LARGE) + ")", lambda v, bound=bound: v >= bound,
                        missing and f"{missing}: " + next((s.why() for s in (self.s("large", name, missing),
                                                                          self.s("large", FLOOR_ZLIB, missing)) if not s.ok), ""))

    # ---- whole process: list an archive -------------------------------------------------

    def run_process(self):
        b = self.b
        self.programs = [(FLOOR_ONCE, [b["floor"], "once"]),
                         ("floor: table+index+list names (C, floor once --list)", [b["floor"], "once", "--list"]),
                         ("ZipIndex open once (zipindex-once)", [b["zipindex-once"]]), ("zipls", [b["zipls"]]),
                         (ZIPLS_STATIC, [b["zipls-static"]]), ("unzip -Z1", ["unzip", "-Z1"])]
        runs = {"1k": 20, "10k": 20, "100k": 15, "1m": 2} if self.quick else {"1k": 40, "10k": 40, "100k": 30, "1m": 5}
        for round_index in range(self.rounds):
            for size in self.sizes:
                for name, command in self.programs:
                    unzip_1m = size == "1m" and "unzip" in name  # a second a run: one round
                    if not (unzip_1m and round_index):
                        self.measure(("process", name, size), f"process {size} {name} (round {round_index + 1})",
                                     [b["proctime"], str(1 if unzip_1m and self.quick else runs[size])] + command + [entries(size)])

    def report_process(self):
        rows = [self.row([LABEL[size], name], self.s("process", name, size), lambda s: f"{s.raw('maxRssKb') / 1024:.1f} MiB",
                         lambda s, size=size: fmt_ratio(s.median, self.s("process", FLOOR_ONCE, size).median))
                for size in self.sizes for name, _ in self.programs]
        self.section("Whole process: list an archive", ["entries", "process (stdout to /dev/null)", "median wall",
                                                        "min – max", "peak RSS", "÷ C floor process"], rows,
                     "Whole processes, spawn to exit, timed by `proctime` after one untimed run. `floor once` builds the C "
                     "floor's table and exits; `--list` also writes every name, as `zipls ARCHIVE` and `unzip -Z1 ARCHIVE` do. "
                     "The static zipls is built with `--static-swift-stdlib`, as the README installs it.")
        if "100k" in self.sizes:
            dynamic, static, floor = (self.s("process", n, "100k") for n in ("zipls", ZIPLS_STATIC, FLOOR_ONCE))
            self.ratio_target("`zipls ARCHIVE > /dev/null` at 100k ≤ 1.5× C table+index floor (whole process)",
                              static if static.ok else dynamic, floor, 1.5,
                              f"; dynamically linked {fmt_ratio(dynamic.median, floor.median)}" if static.ok else "")

    # ---- tools: whole zipls processes against unzip and bsdtar ----------------------------

    def tools_plan(self):
        zipls, isal, big = self.b["zipls"], self.b["zipls-isal"], f"entries-{self.big}.zip"
        extract_size = "100k" if "100k" in self.sizes else self.big
        return {"test": ([("large-data.zip", archive("large-data.zip"), None), (big, entries(self.big), None)] + self.wheels,
                         [("unzip -tqq", lambda a, d: ["unzip", "-tqq", a]),
                          ("zipls test (default build)", lambda a, d: [zipls, "test", a]),
                          ("zipls test (ISA-L build)", lambda a, d: [isal, "test", a]),
                          ("zipls test -j 1 (ISA-L build, one thread)", lambda a, d: [isal, "test", "-j", "1", a])]),
                "extract": ([(f"entries-{extract_size}.zip", entries(extract_size), None)] + self.wheels +
                            [("data-100mb.zip", archive("data-100mb.zip"), None)],
                            [("unzip -q -d DIR", lambda a, d: ["unzip", "-q", a, "-d", d]),
                             ("bsdtar -xf -C DIR", lambda a, d: ["bsdtar", "-xf", a, "-C", d]),
                             ("zipls extract -d DIR (default build)", lambda a, d: [zipls, "extract", a, "-d", d]),
                             ("zipls extract -d DIR (ISA-L build)", lambda a, d: [isal, "extract", a, "-d", d])])}

    def run_tools(self):
        """Each command once per archive per round, interleaved; extraction into a fresh
        empty directory, its tree checked against zipfile's reading in the first round."""
        self.problems, self.tools_rounds = {}, 3 if self.quick else 5  # a median of one run is a coin
        shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
        self.scratch, scratch = shm or tempfile.gettempdir(), tempfile.mkdtemp(prefix="zipindex-tools-", dir=shm)
        dest, expected = os.path.join(scratch, "dest"), {}
        try:
            for round_index in range(self.tools_rounds):
                for kind, (archives, commands) in self.tools_plan().items():
                    for label, path, why in archives:
                        if kind == "extract" and not round_index and not why:
                            expected[label] = extract.expected_tree(path)
                        for name, command in commands:
                            argv = command(path, dest)
                            skip = why or (argv[0].strip("<>") if argv[0].startswith("<") else None) or \
                                (None if shutil.which(argv[0]) else f"{argv[0]} is not on PATH")
                            if skip:
                                self.s("tools", kind, name, label).errors[:] = [skip]
                                continue
                            extract.fresh_dir(dest)
                            wall, cpu, status, stderr = extract.timed_run(argv)
                            result = {"medianNs": wall * 1e9, "minNs": wall * 1e9, "maxNs": wall * 1e9, "cpuNs": cpu * 1e9} \
                                if status == 0 else \
                                {"error": f"exit {status}: {first_error(stderr)}"}
                            if kind == "extract" and not round_index and not status:
                                self.problems[(name, label)] = extract.check_tree(dest, expected[label])
                            self.raw.append({"label": f"tools {kind} {label} {name}", "argv": argv, "result": result})
                            log(f"tools {kind} {label} {name} (round {round_index + 1}): {result.get('error') or fmt_ns(wall * 1e9)}")
                            self.s("tools", kind, name, label).add(result)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def report_tools(self):
        cores = os.cpu_count()
        for kind, (archives, commands) in self.tools_plan().items():
            rows, notes = [], []
            base, default, isal = commands[0][0], commands[2][0], commands[3][0]
            for label, path, _ in archives:
                size = [f"{os.path.getsize(path) / 1e6:.0f} MB"] if os.path.isfile(path) else []
                if path.endswith(".whl") and size:
                    size.append(f"{len(zipfile.ZipFile(path).infolist()):,} entries")
                unzip = self.s("tools", kind, base, label)
                for name, _ in commands:
                    s, problems = self.s("tools", kind, name, label), self.problems.get((name, label))
                    if problems:
                        notes.append(f"† {name} on {label}: the tree differs from zipfile's reading: {'; '.join(problems)}.")
                    rows.append(self.row([f"{label} ({', '.join(size)})" if size else label, name + " †" * bool(problems)
                                          + (f" ({len(s.errors)} failed runs: {s.errors[-1]})" if s.ok and s.errors else "")], s,
                                         lambda s: fmt_ns(s.raw("cpuNs")), lambda s: fmt_ratio(s.median, unzip.median)))
                wheel = label.endswith(" wheel")
                bound = (0.35 if wheel or label == "large-data.zip" else 0.5) if kind == "test" else \
                    0.5 if wheel else 1.0 if label.startswith("entries-") else None  # data-100mb.zip: no target
                what = f"`zipls test` (ISA-L build, {cores} cores) ≤ {bound}× `unzip -t` wall time on " + \
                    (f"a wheel > 20 MB ({label})" if wheel else label) if kind == "test" else \
                    f"`zipls extract` (ISA-L build) into an empty directory ≤ {bound}× `unzip -q` wall time on " + \
                    (f"a large wheel ({label})" if wheel else label)
                also, ours = self.s("tools", kind, default, label), self.s("tools", kind, isal, label)
                if bound and wheel and size and os.path.getsize(path) <= 20e6:
                    self.target(what, None, None, None, f"{label} is not over 20 MB")
                elif bound:
                    self.ratio_target(what, ours, unzip, bound, "; ISA-L build, not the better of the two" +
                                      f"; default build {fmt_ratio(also.median, unzip.median)}" * also.ok,
                                      " — tree check FAILED" * bool(self.problems.get((isal, label))))
            rounds = f"{self.tools_rounds} rounds"
            self.section("Whole process: " + ("zipls test against unzip -t" if kind == "test" else
                                              "zipls extract against unzip and bsdtar"),
                         ["archive", "command", "median wall", "min – max", "CPU user+sys (median)",
                          "÷ unzip -t (wall)" if kind == "test" else "÷ unzip -q (wall)"], rows, "\n".join(notes + [""]) + (
                f"Whole processes, one run each per round, {rounds} interleaved; wall time around `subprocess.run`, and "
                "every run must exit 0. CPU is the child's user+sys time: above the wall time when zipls works on several of "
                f"the {cores} processors (`-j 1`: one). zipls is built twice from the root package, with zlib "
                "(`.build-release-bench`) and with `--traits ISAL` (`.build-isal-release`). The wheels are real ones from "
                "PyPI (scipy 1.11.4, pyarrow 14.0.1 for CPython 3.11, manylinux2014_x86_64), kept in `.archives/wheels/`."
                if kind == "test" else
                f"Whole processes as above ({rounds}), each into a fresh empty directory on {self.scratch}, made and removed "
                "untimed; in the first round each tree is checked against Python's zipfile with `extract.py`'s check (every "
                "path, every file's SHA-256): a tree that differs is marked †. unzip, bsdtar and zipls restore permissions "
                "and modification times."))

    # ---- invalidate, gh-103200 -----------------------------------------------------------

    def run_invalidate(self):
        b, per_archive = self.b, ("invalidatePerArchiveNs",) * 3
        for count in (10, 1000):
            paths = sorted(glob.glob(os.path.join(archive(f"many-{count}"), "*.zip")))
            for name in (ZIPINDEX, "ZipIndex --opt-out"):
                for round_index in range(3):  # even with --quick: a few ns for all 1,000 archives vary
                    self.measure(("invalidate", name, count), f"invalidate {count} {name} (round {round_index + 1})",
                                 [b["zipbench"], "invalidate"] + name.split()[1:] + paths, None, *per_archive)
            for version, python in (("3.11.7", self.py311), ("3.13.0", self.py313)):
                name = f"CPython {version} importlib.invalidate_caches()"
                if self.quick and count == 1000:
                    self.s("invalidate", name, count).errors.append("not in --quick (10 s a call for CPython)")
                else:
                    self.measure(("invalidate", name, count), f"invalidate {count} {name}", python + ["invalidate"] + paths,
                                 {"BENCH_RUNS": "1" if count == 1000 and version == "3.11.7" else "3"}, *per_archive, timeout=1200)
        self.first = "100k" if "100k" in self.sizes else self.big
        for round_index in range(3):
            self.measure(("firstfind",), f"first find after invalidate (round {round_index + 1})",
                         [b["zipbench"], "invalidate", entries(self.first)], None, *("firstFindAfterNs",) * 3)

    def report_invalidate(self):
        rows = []
        for name in (ZIPINDEX, "ZipIndex --opt-out", "CPython 3.11.7 importlib.invalidate_caches()",
                     "CPython 3.13.0 importlib.invalidate_caches()"):
            a, b = self.s("invalidate", name, 10), self.s("invalidate", name, 1000)
            rows.append([name] + [fmt_ns(s.median) if s.ok else "skipped: " + s.why() for s in (a, b)] +
                        [f"{(b.median / a.median - 1) * 100:+.0f}%" if a.ok and b.ok and a.median else "–"])
        ff = self.s("firstfind")
        self.section("Invalidate caches", ["reader: invalidate, 1,000 archives", "per archive (10 entries each)",
                                           "per archive (1,000 entries each)", "1,000 vs 10 entries"], rows,
                     table([f"first find after invalidating an unchanged {LABEL[self.first]}-entry archive", "median"],
                           [[ZIPINDEX, fmt_ns(ff.median) if ff.ok else "skipped: " + ff.why()]]) + "\n\n"
                     "`zipbench invalidate` over the 1,000 archives (`--opt-out`: the opted-out variant). CPython "
                     "(`pybench.py invalidate`): every archive on `sys.path` with its directory read, then "
                     "`importlib.invalidate_caches()` timed; 3.11 re-reads every directory inside the call, 3.13 frees it "
                     "and reads it at the next import.")
        for count in (10, 1000):
            s = self.s("invalidate", ZIPINDEX, count)
            self.target(f"invalidateCaches(), 1,000 archives of {count:,} entries ≤ 20 ns/archive", s.ok and s.median,
                        lambda v: f"{fmt_ns(v)} ({fmt_ns(v * 1000)} for all 1,000)", lambda v: v <= 20, s.why())
        a, b = self.s("invalidate", ZIPINDEX, 10), self.s("invalidate", ZIPINDEX, 1000)
        self.target("invalidateCaches() 10- vs 1,000-entry archives within ±20%", a.ok and b.ok and b.median / a.median - 1,
                    lambda v: f"{v * 100:+.0f}%", lambda v: abs(v) <= 0.20, (b if a.ok else a).why())
        self.target(f"first find after invalidating an unchanged {LABEL[self.first]} archive ≤ 10 µs", ff.ok and ff.median,
                    fmt_ns, lambda v: v <= 10_000, ff.why())

    def run_gh103200(self):
        pairs = [f"{archive('pyspark-like.zip')}:{MODULES[0]}", f"{archive('py4j-like.zip')}:{MODULES[1]}"]
        for round_index in range(self.rounds):
            self.measure(("gh103200", ZIPINDEX), f"gh103200 ZipIndex (round {round_index + 1})",
                         [self.b["zipbench"], "gh103200"] + pairs, None, *("perIterationNs",) * 3)
        for version, python in (("3.11.7", self.py311), ("3.13.0", self.py313)):
            self.measure(("gh103200", f"CPython {version}"), f"gh103200 CPython {version}", python + ["gh103200"] + pairs,
                         None, "perIterationNs")

    def report_gh103200(self):
        ours = self.s("gh103200", ZIPINDEX)
        self.section("gh-103200 loop", ["reader", "per iteration (median)", "min – max", "ZipIndex ÷ reader"],
                     [self.row([name], self.s("gh103200", name), lambda s: fmt_ratio(ours.median, s.median))
                      for name in (ZIPINDEX, "CPython 3.11.7", "CPython 3.13.0")],
                     "The loop from CPython issue gh-103200 with `pyspark-like.zip` (1,500 entries) and `py4j-like.zip` (300) "
                     f"on the path: each iteration invalidates the caches, then finds `{MODULES[0]}` and `{MODULES[1]}` "
                     "(CPython: `importlib.invalidate_caches()` + `importlib.util.find_spec`, parents imported beforehand).")

    # ---- allocations: the package-benchmark suite -------------------------------------------

    def run_allocations(self):
        log("running the package-benchmark suite")
        done = subprocess.run(["swift", "package", "benchmark", "--format", "markdown", "--no-progress"],
                              cwd=BENCH, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError("swift package benchmark failed: " + first_error(done.stderr))
        self.allocations = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout).strip()

    def report_allocations(self):
        """One row per benchmark: mallocs, malloc bytes and wall clock (p50, p0 – p100), then the raw output."""
        benchmarks = {}
        for line in self.allocations.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if line.startswith("### "):
                metrics = benchmarks[line[4:].strip()] = {}
            elif benchmarks and len(cells) == 9 and not cells[0].startswith((":", "Metric")):
                metrics[cells[0]] = cells[1:]

        def pick(metrics, prefix):
            key, values = next(((k, v) for k, v in metrics.items() if k.startswith(prefix)), (None, None))
            return f"{values[2]} {(re.findall(r'[(]([^)]*)[)]', key)[1:] or [''])[-1]}".strip() + \
                f" ({values[0]} – {values[6]})" if key else "–"
        self.section("Allocations (package-benchmark suite)",
                     ["benchmark", "mallocs, p50 (p0 – p100)", "malloc bytes, p50", "wall clock, p50 (p0 – p100)", "samples"],
                     [[name, pick(m, "Malloc (total)"), pick(m, "Malloc (bytes total)"), pick(m, "Time (wall clock)"),
                       next(iter(m.values()), ["–"] * 8)[7]] for name, m in sorted(benchmarks.items())],
                     "From `swift package benchmark` (package-benchmark's MallocInterposer counts mallocs). Lookup rows are "
                     "per lookup (1,000 per sample, scaled), the others per run. Mallocs per parse must stay far below one "
                     "per entry: the table is a few large buffers.\n\n<details><summary>Raw package-benchmark output"
                     f"</summary>\n\n{self.allocations}\n\n</details>")


# ---- the report ---------------------------------------------------------------------------

def machine():
    cpu = re.search(r"model name\s*: (.*)", output(["cat", "/proc/cpuinfo"]))
    memory = re.search(r"MemTotal:\s*(\d+)", output(["cat", "/proc/meminfo"]))
    return {"nproc": str(os.cpu_count()), "cpu": cpu.group(1) if cpu else platform.processor(),
            "memory": f"{int(memory.group(1)) / 2**20:.1f} GiB" if memory else "", "kernel": platform.release(),
            "os": output(["sh", "-c", '. /etc/os-release && echo "$PRETTY_NAME"']),
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def versions(c):
    first = lambda argv: (output(argv).splitlines() or ["?"])[0]  # noqa: E731
    try:
        pins = {p["identity"].lower(): p["state"].get("version") for p in
                json.load(open(os.path.join(BENCH, "Package.resolved")))["pins"]}
    except (OSError, KeyError, ValueError):
        pins = {}
    return {"Swift": first(["swift", "--version"]), "Go": first(["/usr/lib/go-1.19/bin/go", "version"]),
            "libzip": first(["pkg-config", "--modversion", "libzip"]),
            "zlib (C floor, libzip, ZipIndex)": first(["pkg-config", "--modversion", "zlib"]),
            "ISA-L (ZipIndex's ISAL trait, C ISA-L floor)": first(["pkg-config", "--modversion", "libisal"]),
            "Info-ZIP unzip": first(["unzip", "-v"]), "bsdtar (tools scenario)": first(["bsdtar", "--version"]),
            "Python (zipfile, zipimport, gh-103200)": ", ".join(
                first(p[:1] + ["-c", "import platform; print(platform.python_version())"]) for p in (c.py311, c.py313)),
            "ZIPFoundation": pins.get("zipfoundation", "?"), "package-benchmark": pins.get("benchmark", "?"),
            "C compiler (floor, libzip peer)": first(["cc", "--version"])}


def plot(c, path):
    """Open + index time against entry count, log-log, as SVG."""
    readers = [("ZipIndex", ZIPINDEX, "#d62728"), ("C floor: walk", "floor: walk (C)", "#7f7f7f"),
               ("C floor: table+index", INDEX_FLOOR, "#000000"), ("Go archive/zip", "Go archive/zip", "#17becf"),
               ("libzip", "libzip", "#9467bd"), ("Python zipfile 3.11", "Python zipfile 3.11", "#1f77b4"),
               ("ZIPFoundation", "ZIPFoundation", "#ff7f0e"), ("unzip -Z1 (whole process)", "unzip -Z1", "#2ca02c")]
    lines = [(label, color, [(SIZES[size], c.s("process" if "unzip" in label else "parse", name, size).median / 1e6)
                             for size in c.sizes if c.s("process" if "unzip" in label else "parse", name, size).ok])
             for label, name, color in readers]
    lines = [line for line in lines if line[2]]
    w, h, left, right, top, bottom = 800, 520, 80, 230, 40, 60
    points = [p for _, _, pts in lines for p in pts] or [(1e3, 1e-3), (1e6, 1e3)]
    (x0, x1), (y0, y1) = ((math.floor(math.log10(min(v))), max(math.ceil(math.log10(max(v))), math.floor(math.log10(min(v))) + 1))
                          for v in zip(*points))
    px = lambda x: left + (math.log10(x) - x0) / (x1 - x0) * (w - left - right)  # noqa: E731
    py = lambda y: h - bottom - (math.log10(y) - y0) / (y1 - y0) * (h - top - bottom)  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w / 2}" y="24" text-anchor="middle" font-size="15">Open + index time vs entry count (log-log)</text>']
    for e in range(x0, x1 + 1):
        out += [f'<line x1="{px(10 ** e):.1f}" y1="{top}" x2="{px(10 ** e):.1f}" y2="{h - bottom}" stroke="#ddd"/>',
                f'<text x="{px(10 ** e):.1f}" y="{h - bottom + 18}" text-anchor="middle">10^{e}</text>']
    for e in range(y0, y1 + 1):
        out += [f'<line x1="{left}" y1="{py(10 ** e):.1f}" x2="{w - right}" y2="{py(10 ** e):.1f}" stroke="#ddd"/>',
                f'<text x="{left - 6}" y="{py(10 ** e) + 4:.1f}" text-anchor="end">{10.0 ** e:g} ms</text>']
    out.append(f'<text x="{(left + w - right) / 2}" y="{h - 15}" text-anchor="middle">entries in the archive</text>')
    for i, (label, color, pts) in enumerate(lines):
        out.append(f'<polyline points="{" ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)}" fill="none" '
                   f'stroke="{color}" stroke-width="{3 if label == "ZipIndex" else 1.5}"/>')
        out += [f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{color}"/>' for x, y in pts]
        y = top + 10 + i * 20
        out += [f'<line x1="{w - right + 15}" y1="{y}" x2="{w - right + 40}" y2="{y}" stroke="{color}" stroke-width="3"/>',
                f'<text x="{w - right + 46}" y="{y + 4}">{label}</text>']
    with open(path, "w") as f:
        f.write("\n".join(out + ["</svg>"]) + "\n")


def report(c, args, host, ran, path, plot_path):
    now = datetime.datetime.now(datetime.timezone.utc)
    md = ["# ZipIndex benchmarks: against its peers and the C floor", "",
          f"Written by `Benchmarks/{' '.join(['compare.py'] + sys.argv[1:])}` on {now:%Y-%m-%d %H:%M UTC} "
          f"({'quick run: fewer repetitions' if args.quick else 'full run'}, {(time.monotonic() - STARTED) / 60:.1f} minutes). "
          "Every number in a table comes from this one run, on the same files (`gen_archives.py`: deterministic). Rerun "
          "with `Benchmarks/compare.py` (full) or `Benchmarks/compare.py --quick`.", "", "## Machine", "",
          table(["", ""], [["CPUs (`nproc`)", host["nproc"]], ["CPU", host["cpu"]], ["memory", host["memory"]],
                           ["OS, kernel", f"{host['os']}, {host['kernel']}"],
                           ["load average at start / end", f"{host['load']} / {machine()['load']}"]]), "",
          "The machine is shared and noisy (2 cores, other builds running): medians are reported with the full min – max "
          "range, the fast readers run in interleaved rounds, and ratios compare medians from the same run. A target "
          "within about 25% of its bound can come out either way from one run to the next: the ratio of minimums beside "
          "it is a second, noise-resistant estimate; rerun before concluding.", "",
          "## Versions", "", table(["component", "version"], list(versions(c).items())), "",
          "## Targets", "", table(["target", "measured (same run)", "result"], c.targets), ""]
    if "parse" in ran:
        md += [f"![Open + index time against entry count, log-log]({os.path.basename(plot_path)})", "",
               "unzip -Z1 is a whole process (start-up included), the others are in-process medians.", ""]
    for title, body in c.sections:
        md += [f"## {title}", "", body, ""]
    if c.skipped:
        md += ["## Skipped", "", "\n".join(f"- {what}: {why}" for what, why in c.skipped), ""]
    md += ["## Method", "", "Archives: `gen_archives.py`. In-process timings use each program's monotonic clock around "
           "the operation, after a warm-up run, with the archive in the page cache; whole processes and peak RSS: "
           "`.build-peers/proctime`. Each program prints one JSON line, kept in `.build-results/results.json`. The "
           "programs: `floor/floor.c`, `peers/` and `Sources/zipbench` (README.md).", ""]
    with open(path, "w") as f:
        f.write("\n".join(md))


def smoke():
    """The package builds, and every program runs once and prints its JSON line."""
    swift = ["swift", "build", "-c", "release", "--package-path", BENCH]
    subprocess.run(swift, check=True)
    bin_dir = subprocess.run(swift + ["--show-bin-path"], stdout=subprocess.PIPE, text=True, check=True).stdout.strip()
    import gen_archives as gen
    with tempfile.TemporaryDirectory() as work:
        a, spark, py4j = (os.path.join(work, n) for n in ("entries-1k.zip", "pyspark-like.zip", "py4j-like.zip"))
        gen.write_entries(a, 1_000, gen.SEED + 1)
        gen.write_tree(spark, gen.PYSPARK_PACKAGES, 1500, gen.SEED + 8)
        gen.write_tree(py4j, gen.PY4J_PACKAGES, 300, gen.SEED + 9)
        name, z = zipfile.ZipFile(a).namelist()[0], os.path.join(bin_dir, "zipbench")
        checks = [("zipbench parse", "entries", [z, "parse", a]), ("zipbench lookup", "hitNs", [z, "lookup", a]),
                  ("zipbench inflate", "bytes", [z, "inflate", a, name]),
                  ("zipbench invalidate", "invalidatePerArchiveNs", [z, "invalidate", a]),
                  ("zipbench gh103200", "perIterationNs", [z, "gh103200", spark, py4j]),
                  ("zipindex-once", "entries", [os.path.join(bin_dir, "zipindex-once"), a]),
                  ("zipfoundation-bench once", "entries", [os.path.join(bin_dir, "zipfoundation-bench"), "once", a])]
        cc = os.environ.get("CC", "cc")
        if shutil.which(cc):
            floor = os.path.join(work, "floor")
            subprocess.run([cc, "-O2", "-std=gnu11", "-o", floor, os.path.join(BENCH, "floor/floor.c"), "-lz"], check=True)
            checks += [("floor walk", "entries", [floor, "walk", a, "3"]), ("floor index", "tableBytes", [floor, "index", a, "3"]),
                       ("floor inflate", "crc32", [floor, "inflate", a, name, "3"]), ("floor once", "onceNs", [floor, "once", a])]
        for label, key, argv in checks:
            done = subprocess.run(argv, capture_output=True, text=True)
            last = (done.stdout.strip().splitlines() or [""])[-1]
            try:
                ok = done.returncode == 0 and key in json.loads(last)
            except ValueError:
                ok = False
            if not ok:
                sys.exit(f"smoke: FAIL: {label}: exit {done.returncode}: {last}\n{done.stderr}")
            print(f"smoke: ok: {label}: {last}", flush=True)
    if not os.access(os.path.join(bin_dir, "ZipIndexBenchmarks"), os.X_OK):
        sys.exit("smoke: FAIL: the package-benchmark suite did not build")
    print(f"smoke: {len(checks) + 1} passed, 0 failed")


def main():
    parser = argparse.ArgumentParser(usage=__doc__.split("\n\n")[1], epilog=__doc__.split("\n\n")[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    for flag in ("--quick", "--smoke", "--write"):
        parser.add_argument(flag, action="store_true")
    parser.add_argument("--only", default="")
    parser.add_argument("--skip", default="")
    parser.add_argument("--sizes", default=",".join(SIZES))
    args = parser.parse_args()
    if args.smoke:
        return smoke()
    args.sizes = [s for s in SIZES if s in args.sizes.split(",")]
    only, skip = set(filter(None, args.only.split(","))), set(filter(None, args.skip.split(",")))
    if not args.sizes or (only | skip) - set(SCENARIOS):
        parser.error(f"--sizes takes {','.join(SIZES)}; --only and --skip take {','.join(SCENARIOS)}")
    selected = [s for s in SCENARIOS if (s in only if only else s != "allocations" or not args.quick) and s not in skip]
    partial = args.quick or only or skip or len(args.sizes) < len(SIZES)
    out, plot_path = (os.path.join(RESULTS, "BENCHMARKS-quick.md"), os.path.join(RESULTS, "open-index-quick.svg")) \
        if partial and not args.write else (os.path.join(BENCH, "BENCHMARKS.md"), os.path.join(BENCH, "open-index.svg"))
    os.makedirs(RESULTS, exist_ok=True)
    host = machine()
    wheels = prepare_archives(args.quick, "tools" in selected)
    c = Comparison(args, build("tools" in selected), {v: python_path(v) for v in ("3.11.7", "3.13.0")}, wheels)
    log(f"{'quick' if args.quick else 'full'} run on {host['nproc']} × {host['cpu']}, load {host['load']}: {' '.join(selected)}")
    ran = []
    for name in selected:
        try:  # one broken scenario must not lose the others
            getattr(c, "run_" + name)()
            ran.append(name)
        except Exception as e:
            log(f"scenario {name} failed: {e!r}")
            c.skipped.append((f"scenario {name}", f"it failed: {e!r}"))
    with open(os.path.join(RESULTS, "results.json"), "w") as f:
        json.dump({"quick": args.quick, "machine": host, "measurements": c.raw}, f, indent=1)
    for name in [n for n in ("parse", "memory", "lookup", "invalidate", "inflate", "process", "tools", "gh103200",
                             "allocations") if n in ran]:
        try:
            getattr(c, "report_" + name)()
        except Exception as e:
            log(f"report {name} failed: {e!r}")
            c.skipped.append((f"report {name}", f"it failed: {e!r}"))
    if "parse" in ran:
        plot(c, plot_path)
    report(c, args, host, ran, out, plot_path)
    log(f"wrote {out}")


if __name__ == "__main__":
    sys.exit(main())
