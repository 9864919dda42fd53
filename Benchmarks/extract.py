#!/usr/bin/env python3
"""Extract whole archives into fresh empty directories: zipls against its peers,
and the tree check compare.py's tools scenario uses.

    extract.py [--zipls PATH] [--quick] [--rounds N] [--scratch DIR] [--python PATH] [ARCHIVE ...]

Tools, one process per run so that start-up counts for all alike: `zipls
extract A -d D`, `unzip -q A -d D`, `bsdtar -xf A -C D` and Python's
`ZipFile(A).extractall(D)`; a missing tool is skipped. Round by round, every
tool runs in turn on each archive; making the empty directory, removing the
tree and checking it are not timed. Wall time is time.perf_counter() around
subprocess.run, CPU time the children's user+sys. In the first round each tree
is checked against zipfile's reading (the set of paths, every file's SHA-256).
ARCHIVE is a path or a name in .archives/ (default entries-10k.zip
entries-100k.zip data-100mb.zip pyspark-like.zip; --quick: entries-1k.zip and
pyspark-like.zip, 3 rounds). Prints a Markdown table, then one JSON line;
exits 1 when a check failed or zipls failed.
"""
import argparse
import hashlib
import json
import os
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


def digest(stream):
    h, size = hashlib.sha256(), 0
    while chunk := stream.read(1 << 20):
        h.update(chunk)
        size += len(chunk)
    return size, h.hexdigest()


def expected_tree(path):
    """({file: (size, sha256)}, {directory}) as zipfile reads the archive."""
    files, dirs = {}, set()
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            name = info.filename.rstrip("/")
            parts = name.split("/")
            dirs.update("/".join(parts[:i]) for i in range(1, len(parts)))
            if info.is_dir():
                dirs.add(name)
            else:
                with archive.open(info) as member:
                    files[name] = digest(member)
    return files, dirs


def check_tree(dest, expected):
    """What differs between dest and the expected tree (empty: nothing)."""
    files, dirs = expected
    seen, seen_dirs, others = {}, set(), []
    for top, dirnames, filenames in os.walk(dest):
        prefix = os.path.relpath(top, dest).replace(os.sep, "/") + "/"
        prefix = "" if prefix == "./" else prefix
        for name in dirnames:
            if os.path.islink(os.path.join(top, name)):
                others.append(prefix + name)
            else:
                seen_dirs.add(prefix + name)
        for name in filenames:
            full = os.path.join(top, name)
            if os.path.islink(full) or not os.path.isfile(full):
                others.append(prefix + name)
            else:
                seen[prefix + name] = full
    differing = []
    for name in files.keys() & seen.keys():
        with open(seen[name], "rb") as f:
            if digest(f) != files[name]:
                differing.append(name)
    problems = []
    for what, items in (("files missing", files.keys() - seen.keys()), ("unexpected files", seen.keys() - files.keys()),
                        ("unexpected links or special files", others), ("directories missing", dirs - seen_dirs),
                        ("unexpected directories", seen_dirs - dirs), ("files differ", differing)):
        if items:
            some = sorted(items)
            problems.append(f"{len(some)} {what}: {', '.join(some[:3])}" + (", ..." if len(some) > 3 else ""))
    return problems


def fresh_dir(dest):
    if os.path.lexists(dest):
        shutil.rmtree(dest)
    os.mkdir(dest)


def timed_run(argv):
    """Runs argv once: (wall seconds, the children's CPU seconds, exit status, stderr)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done.returncode, done.stderr.decode(errors="replace")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--zipls", help="default: swift build -c release --product zipls into .build-release-bench")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--scratch", help="where the trees go (default: a new directory under /tmp)")
    parser.add_argument("--python", default=sys.executable, help="the Python that runs extractall")
    parser.add_argument("archives", nargs="*")
    args = parser.parse_args()
    names = args.archives or (["entries-1k.zip", "pyspark-like.zip"] if args.quick else
                              ["entries-10k.zip", "entries-100k.zip", "data-100mb.zip", "pyspark-like.zip"])
    archives = [os.path.abspath(n if os.sep in n else os.path.join(BENCH, ".archives", n)) for n in names]
    for path in archives:
        if not os.path.isfile(path):
            sys.exit(f"extract.py: no archive {path} (python3 Benchmarks/gen_archives.py Benchmarks/.archives)")
    rounds = args.rounds or (3 if args.quick else 7)
    zipls = args.zipls
    if zipls is None:
        build = ["swift", "build", "-c", "release", "--product", "zipls", "--package-path", ROOT,
                 "--scratch-path", os.path.join(ROOT, ".build-release-bench")]
        subprocess.run(build, stdout=sys.stderr, check=True)
        zipls = os.path.join(subprocess.run(build + ["--show-bin-path"], capture_output=True, text=True,
                                            check=True).stdout.strip(), "zipls")
    tools = {"zipls": lambda a, d: [zipls, "extract", a, "-d", d], "unzip": lambda a, d: ["unzip", "-q", a, "-d", d],
             "bsdtar": lambda a, d: ["bsdtar", "-xf", a, "-C", d],
             "zipfile": lambda a, d: [args.python, "-c", "import sys, zipfile\n"
                                      "with zipfile.ZipFile(sys.argv[1]) as z: z.extractall(sys.argv[2])", a, d]}
    for name, command in list(tools.items()):
        if not shutil.which(command("", "")[0]):
            if name == "zipls":
                sys.exit(f"extract.py: no zipls at {zipls}")
            print(f"skipping {name}: {command('', '')[0]} not found", file=sys.stderr)
            del tools[name]
    scratch = tempfile.mkdtemp(prefix="zipls-extract-", dir=args.scratch)
    results = {}
    try:
        for archive in archives:
            expected = expected_tree(archive)
            runs = results[os.path.basename(archive)] = {name: {"wall": [], "cpu": [], "problems": []} for name in tools}
            for round_index in range(rounds):
                for name, command in tools.items():
                    dest = os.path.join(scratch, name)
                    fresh_dir(dest)
                    wall, cpu, status, stderr = timed_run(command(archive, dest))
                    runs[name]["wall"].append(wall)
                    runs[name]["cpu"].append(cpu)
                    if status:
                        runs[name]["problems"].append(f"exit {status}: {stderr.strip()[-200:]}")
                    elif round_index == 0:
                        runs[name]["problems"] += check_tree(dest, expected)
                    shutil.rmtree(dest)
                print(f"{os.path.basename(archive)} round {round_index + 1}/{rounds} done", file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"Extraction into a fresh empty directory, medians of {rounds} rounds (wall time includes start-up).\n")
    print("| archive | tool | wall (median) | CPU user+sys (median) | wall min–max | ÷ zipls |\n|---|---|---:|---:|---:|---:|")
    summary, notes = {}, []
    for archive, runs in results.items():
        base = statistics.median(runs["zipls"]["wall"])
        for name, r in runs.items():
            wall, cpu = statistics.median(r["wall"]), statistics.median(r["cpu"])
            summary.setdefault(archive, {})[name] = {"wallMedianS": round(wall, 6), "cpuMedianS": round(cpu, 6),
                                                     "ratioToZipls": round(wall / base, 3), "ok": not r["problems"]}
            if r["problems"]:
                notes.append(f"† {name} on {archive}: {'; '.join(r['problems'])}")
            print(f"| {archive} | {name}{' †' if r['problems'] else ''} | {wall * 1e3:.1f} ms | {cpu * 1e3:.1f} ms | "
                  f"{min(r['wall']) * 1e3:.1f}–{max(r['wall']) * 1e3:.1f} ms | {wall / base:.2f}× |")
    print("\n".join(["", *notes]) if notes else "")
    print(json.dumps(summary))
    return 1 if notes else 0


if __name__ == "__main__":
    sys.exit(main())
