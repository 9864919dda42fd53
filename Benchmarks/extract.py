"""The tools scenario's helpers (compare.py --only tools): whole processes timed
one run at a time, and the check of an extracted tree against zipfile's reading
of the archive (the set of paths, every file's size and SHA-256)."""
import hashlib
import os
import resource
import shutil
import subprocess
import time
import zipfile


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
