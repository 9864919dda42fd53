#!/usr/bin/env python3
"""Time extracting an archive into a fresh empty directory: zipls against its peers.

Usage:
    extract.py [--zipls PATH] [--archives NAME|PATH ...] [--quick] [--rounds N]
               [--scratch DIR] [--output FILE]

The tools, each run as its own process so that start-up counts for all alike:
    zipls    zipls extract ARCHIVE -d DIR
    unzip    unzip -q ARCHIVE -d DIR                    (Info-ZIP)
    bsdtar   bsdtar -xf ARCHIVE -C DIR                  (libarchive-tools)
    zipfile  PYTHON -c '...ZipFile(ARCHIVE).extractall(DIR)'

For each archive the tools run interleaved, round by round (zipls unzip
bsdtar zipfile, zipls unzip bsdtar zipfile, ...), so that machine noise hits
them alike. Before every run the destination is removed and made again as an
empty directory; neither step is timed, nor is the check. What is timed is
time.perf_counter() around subprocess.run, and the children's user+sys CPU
time from resource.getrusage(RUSAGE_CHILDREN) deltas.

In the first round each tool's tree is checked against Python's zipfile: the
set of file paths, and every file's bytes (SHA-256 of what zipfile reads);
directory entries must exist as directories and nothing else may appear. A
tool whose check fails, or that exits non-zero, has its figures marked.

Prints a Markdown table (median wall time, median CPU time, the ratio of each
peer's median wall time to zipls's) and, last, one JSON line:
    {"ARCHIVE": {"TOOL": {"wallMedianS": ..., "cpuMedianS": ..., "ratioToZipls": ...,
                          "ok": true}}}
Exits 1 when a check failed or zipls failed, 2 on a usage or set-up error.

Python 3 standard library only.
"""

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
DEFAULT_ARCHIVE_DIR = os.path.join(BENCH, ".archives")
DEFAULT_PYTHON = "/root/.pyenv/versions/3.13.0/bin/python3"
DEFAULT_ARCHIVES = ["entries-10k.zip", "entries-100k.zip", "data-100mb.zip", "pyspark-like.zip"]
QUICK_ARCHIVES = ["entries-1k.zip", "pyspark-like.zip"]
DEFAULT_ROUNDS = 7
QUICK_ROUNDS = 3
RELEASE_SCRATCH = os.path.join(ROOT, ".build-release-bench")

PYTHON_EXTRACT = ("import sys, zipfile\n"
                  "with zipfile.ZipFile(sys.argv[1]) as z:\n"
                  "    z.extractall(sys.argv[2])\n")


def log(message):
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------


class Tool:
    def __init__(self, name, command, version_command=None):
        self.name = name
        self.command = command  # (archive, dest) -> argv
        self.version_command = version_command
        self.skip_reason = None
        self.version = ""

    def find_version(self):
        if not self.version_command:
            return
        try:
            result = subprocess.run(self.version_command, capture_output=True, text=True, timeout=30)
            text = (result.stdout or result.stderr).strip()
            self.version = text.splitlines()[0] if text else ""
        except (OSError, subprocess.SubprocessError):
            pass


def executable(path):
    return path is not None and os.path.isfile(path) and os.access(path, os.X_OK)


def build_zipls():
    """Build zipls in release into ROOT/.build-release-bench; return the binary's path."""
    base = ["swift", "build", "-c", "release", "--product", "zipls",
            "--package-path", ROOT, "--scratch-path", RELEASE_SCRATCH]
    if shutil.which("swift") is None:
        return None, "swift is not on PATH (pass --zipls PATH)"
    log("building zipls: " + " ".join(base))
    # The build's chatter goes to stderr; stdout is the table.
    if subprocess.run(base, stdout=sys.stderr).returncode != 0:
        return None, "swift build failed"
    result = subprocess.run(base + ["--show-bin-path"], capture_output=True, text=True)
    if result.returncode != 0:
        return None, "swift build --show-bin-path failed"
    return os.path.join(result.stdout.strip(), "zipls"), None


def make_tools(args):
    zipls_path = args.zipls
    zipls_reason = None
    if zipls_path is None:
        zipls_path, zipls_reason = build_zipls()
    tools = [
        Tool("zipls", lambda a, d: [zipls_path, "extract", a, "-d", d], [zipls_path, "--version"]),
        Tool("unzip", lambda a, d: ["unzip", "-q", a, "-d", d], ["unzip", "-v"]),
        Tool("bsdtar", lambda a, d: ["bsdtar", "-xf", a, "-C", d], ["bsdtar", "--version"]),
        Tool("zipfile", lambda a, d: [args.python, "-c", PYTHON_EXTRACT, a, d],
             [args.python, "--version"]),
    ]
    if zipls_reason is None and not executable(zipls_path):
        zipls_reason = f"no executable at {zipls_path}"
    tools[0].skip_reason = zipls_reason
    for tool in tools[1:3]:
        if shutil.which(tool.name) is None:
            tool.skip_reason = f"{tool.name} is not on PATH"
    if not executable(args.python):
        tools[3].skip_reason = f"no Python at {args.python} (--python PATH)"
    for tool in tools:
        if tool.skip_reason:
            log(f"skipping {tool.name}: {tool.skip_reason}")
        else:
            tool.find_version()
    return tools


# --------------------------------------------------------------------------
# Archives
# --------------------------------------------------------------------------


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_archives", os.path.join(BENCH, "gen_archives.py"))
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen


def resolve_archives(names, archive_dir):
    """Map each NAME or PATH to an existing archive; write a missing standard
    archive into archive_dir with gen_archives.py, as ci-smoke.sh does."""
    gen = None
    paths = []
    for name in names:
        candidates = [name] if os.sep in name else [os.path.join(archive_dir, name)]
        if not candidates[0].endswith(".zip"):
            candidates.append(candidates[0] + ".zip")
        found = next((c for c in candidates if os.path.isfile(c)), None)
        if found is None:
            gen = gen or load_generator()
            base = os.path.basename(candidates[-1])
            writer = next((w for n, w, _ in gen.ARCHIVES if n == base), None)
            if writer is None or os.sep in name:
                log(f"extract.py: no archive {name}")
                raise SystemExit(2)
            os.makedirs(archive_dir, exist_ok=True)
            found = os.path.join(archive_dir, base)
            log(f"writing {found} with gen_archives.py")
            gen.write_atomically(found, writer)
        paths.append(os.path.abspath(found))
    return paths


def expected_tree(path):
    """What a correct extraction holds, as zipfile reads it:
    ({relative file path: (size, sha256)}, {relative directory path})."""
    files, dirs = {}, set()
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            name = info.filename.rstrip("/")
            if info.is_dir():
                dirs.add(name)
                continue
            digest = hashlib.sha256()
            size = 0
            with archive.open(info) as member:
                while chunk := member.read(1 << 20):
                    digest.update(chunk)
                    size += len(chunk)
            files[name] = (size, digest.hexdigest())
            # Parent directories are implied.
            parts = name.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                dirs.add("/".join(parts[:i]))
    return files, dirs


def check_tree(dest, expected):
    """Return a list of problems (empty when dest holds exactly `expected`)."""
    files, dirs = expected
    seen_files, seen_dirs, others = {}, set(), []
    for top, dirnames, filenames in os.walk(dest):
        rel_top = os.path.relpath(top, dest)
        prefix = "" if rel_top == "." else rel_top.replace(os.sep, "/") + "/"
        for d in dirnames:
            full = os.path.join(top, d)
            if os.path.islink(full):
                others.append(prefix + d + " (symlink)")
            else:
                seen_dirs.add(prefix + d)
        for f in filenames:
            full = os.path.join(top, f)
            if os.path.islink(full) or not os.path.isfile(full):
                others.append(prefix + f + " (not a regular file)")
            else:
                seen_files[prefix + f] = full
    problems = []

    def some(items):
        items = sorted(items)
        return ", ".join(items[:3]) + (f", ... ({len(items)} in all)" if len(items) > 3 else "")

    missing = files.keys() - seen_files.keys()
    extra = seen_files.keys() - files.keys()
    if missing:
        problems.append(f"{len(missing)} files missing: {some(missing)}")
    if extra:
        problems.append(f"{len(extra)} unexpected files: {some(extra)}")
    if others:
        problems.append(f"{len(others)} unexpected items: {some(others)}")
    if dirs - seen_dirs:
        problems.append(f"{len(dirs - seen_dirs)} directories missing: {some(dirs - seen_dirs)}")
    if seen_dirs - dirs:
        problems.append(f"{len(seen_dirs - dirs)} unexpected directories: {some(seen_dirs - dirs)}")
    differing = []
    for name in files.keys() & seen_files.keys():
        size, want = files[name]
        full = seen_files[name]
        if os.path.getsize(full) != size:
            differing.append(name)
            continue
        digest = hashlib.sha256()
        with open(full, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
        if digest.hexdigest() != want:
            differing.append(name)
    if differing:
        problems.append(f"{len(differing)} files differ: {some(differing)}")
    return problems


# --------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fresh_dir(dest):
    if os.path.lexists(dest):
        shutil.rmtree(dest)
    os.mkdir(dest)


def timed_run(argv):
    """Run argv once; return (wall seconds, CPU seconds, exit status, stderr)."""
    cpu_before = children_cpu()
    started = time.perf_counter()
    result = subprocess.run(argv, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    cpu = children_cpu() - cpu_before
    return wall, cpu, result.returncode, result.stderr.decode(errors="replace")


def bench_archive(archive, tools, rounds, scratch):
    """Run every tool `rounds` times on `archive`, interleaved; return
    {tool name: {"wall": [...], "cpu": [...], "problems": [...], "exit": [...]}}."""
    log(f"{os.path.basename(archive)}: reading the expected tree with zipfile")
    expected = expected_tree(archive)
    log(f"{os.path.basename(archive)}: {len(expected[0])} files, {len(expected[1])} directories; "
        f"{rounds} rounds")
    results = {t.name: {"wall": [], "cpu": [], "problems": [], "exit": []} for t in tools}
    for round_index in range(rounds):
        line = []
        for tool in tools:
            dest = os.path.join(scratch, "extract-" + tool.name)
            fresh_dir(dest)
            wall, cpu, status, stderr = timed_run(tool.command(archive, dest))
            entry = results[tool.name]
            entry["wall"].append(wall)
            entry["cpu"].append(cpu)
            entry["exit"].append(status)
            if status != 0 and len([s for s in entry["exit"] if s != 0]) == 1:
                tail = stderr.strip().splitlines()[-3:]
                log(f"  {tool.name} exited {status}: " + " | ".join(tail))
            if round_index == 0:
                entry["problems"] = check_tree(dest, expected)
                for problem in entry["problems"]:
                    log(f"  CHECK FAILED {tool.name}: {problem}")
            shutil.rmtree(dest)
            line.append(f"{tool.name} {format_seconds(wall)}")
        log(f"  round {round_index + 1}/{rounds}: " + ", ".join(line))
    return results


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def format_seconds(seconds):
    if seconds is None:
        return "—"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.3f} s"


def summarise(all_results):
    """{archive: {tool: figures}} with medians and ratios to zipls."""
    summary = {}
    for archive, results in all_results.items():
        per_tool = {}
        for name, entry in results.items():
            per_tool[name] = {
                "wallMedianS": round(statistics.median(entry["wall"]), 6),
                "cpuMedianS": round(statistics.median(entry["cpu"]), 6),
                "wallMinS": min(entry["wall"]),
                "wallMaxS": max(entry["wall"]),
                "ok": not entry["problems"] and not any(entry["exit"]),
                "checkFailed": bool(entry["problems"]),
                "problems": entry["problems"],
                "exitStatuses": sorted({s for s in entry["exit"] if s != 0}),
            }
        base = per_tool.get("zipls")
        for figures in per_tool.values():
            ratio = None
            if base and base["ok"] and base["wallMedianS"] > 0:
                ratio = round(figures["wallMedianS"] / base["wallMedianS"], 3)
            figures["ratioToZipls"] = ratio
        summary[archive] = per_tool
    return summary


def markdown(summary, tools, rounds):
    lines = [
        f"Extraction into a fresh empty directory, median of {rounds} "
        f"round{'s' if rounds != 1 else ''} "
        f"(tools interleaved; wall time includes process start-up).",
        "",
        "| Archive | Tool | Wall (median) | CPU user+sys (median) | Wall min–max | Ratio to zipls |",
        "|---|---|---:|---:|---:|---:|",
    ]
    notes = []
    for archive, per_tool in summary.items():
        for name, f in per_tool.items():
            mark = ""
            if not f["ok"]:
                mark = " †"
                why = []
                if f["checkFailed"]:
                    why.append("output check failed (" + "; ".join(f["problems"]) + ")")
                if f["exitStatuses"]:
                    why.append("exit status " + "/".join(map(str, f["exitStatuses"])))
                notes.append(f"† {name} on {archive}: {', '.join(why)}.")
            ratio = "—" if f["ratioToZipls"] is None else f"{f['ratioToZipls']:.2f}x"
            lines.append(
                f"| {archive} | {name}{mark} | {format_seconds(f['wallMedianS'])} | "
                f"{format_seconds(f['cpuMedianS'])} | "
                f"{format_seconds(f['wallMinS'])}–{format_seconds(f['wallMaxS'])} | {ratio} |")
    lines.append("")
    lines.extend(notes)
    for tool in tools:
        if tool.skip_reason:
            lines.append(f"Skipped {tool.name}: {tool.skip_reason}.")
    versions = "; ".join(f"{t.name}: {t.version}" for t in tools if not t.skip_reason and t.version)
    lines.append(f"Versions: {versions}. Host: {platform.machine()}, {os.cpu_count()} CPUs, "
                 f"{platform.system()} {platform.release()}.")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--zipls", metavar="PATH",
                        help="the zipls binary (default: swift build -c release into "
                             "ROOT/.build-release-bench)")
    parser.add_argument("--archives", nargs="+", metavar="ARCHIVE",
                        help=f"names in --archive-dir or paths (default: {' '.join(DEFAULT_ARCHIVES)})")
    parser.add_argument("--archive-dir", default=DEFAULT_ARCHIVE_DIR, metavar="DIR",
                        help="where named archives live; missing standard ones are written "
                             "(default: Benchmarks/.archives)")
    parser.add_argument("--quick", action="store_true",
                        help=f"{' and '.join(QUICK_ARCHIVES)}, {QUICK_ROUNDS} rounds")
    parser.add_argument("--rounds", type=int, metavar="N",
                        help=f"runs per tool per archive (default {DEFAULT_ROUNDS})")
    parser.add_argument("--scratch", metavar="DIR",
                        help="where the destinations go (default: a new directory under /tmp)")
    parser.add_argument("--python", default=DEFAULT_PYTHON, metavar="PATH",
                        help=f"the Python that runs zipfile's extractall (default {DEFAULT_PYTHON})")
    parser.add_argument("--output", metavar="FILE", help="also write the Markdown table here")
    args = parser.parse_args()

    rounds = args.rounds or (QUICK_ROUNDS if args.quick else DEFAULT_ROUNDS)
    if rounds < 1:
        parser.error("--rounds must be at least 1")
    names = args.archives or (QUICK_ARCHIVES if args.quick else DEFAULT_ARCHIVES)
    if args.zipls:
        args.zipls = os.path.abspath(args.zipls)
    args.python = os.path.abspath(args.python)

    archives = resolve_archives(names, args.archive_dir)
    tools = make_tools(args)
    active = [t for t in tools if not t.skip_reason]
    if not active:
        log("extract.py: no tool to run")
        return 2

    if args.scratch:
        os.makedirs(args.scratch, exist_ok=True)
        scratch, owned = os.path.abspath(args.scratch), False
    else:
        scratch, owned = tempfile.mkdtemp(prefix="zipls-extract-", dir="/tmp"), True
    log(f"scratch: {scratch}")
    all_results = {}
    try:
        for archive in archives:
            all_results[os.path.basename(archive)] = bench_archive(archive, active, rounds, scratch)
    finally:
        if owned:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            for tool in active:
                shutil.rmtree(os.path.join(scratch, "extract-" + tool.name), ignore_errors=True)

    summary = summarise(all_results)
    table = markdown(summary, tools, rounds)
    sys.stdout.write(table)
    if args.output:
        with open(args.output, "w") as f:
            f.write(table)
    json_summary = {
        archive: {name: {k: f[k] for k in ("wallMedianS", "cpuMedianS", "ratioToZipls", "ok")}
                  for name, f in per_tool.items()}
        for archive, per_tool in summary.items()
    }
    print(json.dumps(json_summary, sort_keys=False), flush=True)

    failed = any(f["checkFailed"] for per_tool in summary.values() for f in per_tool.values())
    zipls_failed = tools[0].skip_reason is not None or any(
        not per_tool["zipls"]["ok"] for per_tool in summary.values())
    if zipls_failed:
        log("extract.py: zipls " + (tools[0].skip_reason or "failed"))
    return 1 if failed or zipls_failed else 0


if __name__ == "__main__":
    sys.exit(main())
