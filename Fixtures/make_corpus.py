#!/usr/bin/env python3
"""Fetch the real-world corpus: zip-format archives made by tools nobody here wrote.

What it is for
--------------
The hand-made fixtures in Fixtures/ each exercise one behaviour. This corpus is
the opposite check, "no false positives": wheels, jars, APKs, OOXML and ODF
documents and EPUBs written by build backends, JDKs, Android tooling, office
suites, e-book tools and Debian's packaging, taken as published on PyPI and in
Debian bookworm. Every one of them is accepted by Info-ZIP `unzip -t` and by
CPython's `zipfile`, so ZipIndex must read and verify every one clean: a
warning or an error on any of them is a bug in ZipIndex, not in the archive.

Only this script and the manifest are committed; the archives are fetched into
Fixtures/corpus/files/ (and the downloads cached in Fixtures/corpus/.downloads/),
both ignored by git.

Manifest (Fixtures/corpus/manifest.json)
----------------------------------------
    {"files": [
      {"category": "wheel" | "jar" | "apk" | "ooxml" | "odf" | "epub",
       "file":     "name under Fixtures/corpus/files/ (unique, no '/')",
       "source":   {"pypi": "project==version", "artifact": "<exact file name on PyPI>"}
                 | {"debian": "package=version"},
       "member":   "path inside the artifact" (omitted when the artifact itself is
                   the file; for a .deb, the path inside data.tar without "./";
                   for a sdist, the path inside the .tar.gz, top folder included),
       "sha256":   "<hex digest of the file>",
       "size":     <bytes of the file>,
       "note":     "who made it, and what is special about it"},
      ...]}

PyPI artifacts are fetched with `pip download --no-deps`: a sdist with
`--no-binary PROJECT`, a wheel with `--only-binary :all:` and the
--platform/--python-version/--implementation/--abi flags read from the wheel's
own file name, so the same file is picked on any machine. pip checks the
file's hash against the index. Debian packages are fetched with
`apt-get download PACKAGE=VERSION` (apt checks the hash against the signed
Release), and the .deb is unpacked here with the standard library (ar, then
data.tar.xz/.gz/.bz2; .zst needs the `zstd` program). Either way the script
fails loudly if the registry hands over a different file than the manifest
names, and every extracted file must match the manifest's size and SHA-256.

Commands
--------
    python3 Fixtures/make_corpus.py                # fetch what is missing or wrong, then verify all
    python3 Fixtures/make_corpus.py --check        # verify only, no network
    python3 Fixtures/make_corpus.py --print-sizes  # corpus and cached-download sizes, no network

Exit status 0 only when every manifest file is present with the right size and
SHA-256. A run with everything present does no network access (it only hashes
the files). Needs Python 3.11+, pip, and apt-get for the Debian entries; as
root, a download that apt's lists cannot place runs `apt-get update` once.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
MANIFEST = CORPUS / "manifest.json"
FILES = CORPUS / "files"
DOWNLOADS = CORPUS / ".downloads"

CATEGORIES = ("wheel", "jar", "apk", "ooxml", "odf", "epub")
# A registry that hangs must not hang the run; 300 s is far above what the
# largest artifact here (a ~12 MB wheel) needs on a normal connection.
DOWNLOAD_TIMEOUT = 300
DECOMPRESS_TIMEOUT = 120


class CorpusError(Exception):
    """A failure to report for one artifact or entry; the run goes on with the rest."""


# ---------------------------------------------------------------- manifest

def load_manifest() -> list[dict]:
    try:
        data = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise SystemExit(f"make_corpus: cannot read {MANIFEST}: {e}")
    entries = data.get("files") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise SystemExit(f"make_corpus: {MANIFEST} has no \"files\" list")
    problems, seen = [], set()
    for i, e in enumerate(entries):
        where = f"entry {i} ({e.get('file', '?') if isinstance(e, dict) else '?'})"
        if not isinstance(e, dict):
            problems.append(f"{where}: not an object")
            continue
        name = e.get("file")
        # The name becomes a path under files/: keep it one plain component.
        if not isinstance(name, str) or not name or "/" in name or "\\" in name \
                or name in (".", "..") or name.startswith("."):
            problems.append(f"{where}: bad \"file\"")
        elif name in seen:
            problems.append(f"{where}: duplicate \"file\"")
        seen.add(name)
        if e.get("category") not in CATEGORIES:
            problems.append(f"{where}: \"category\" must be one of {', '.join(CATEGORIES)}")
        if not isinstance(e.get("sha256"), str) or not re.fullmatch(r"[0-9a-f]{64}", e["sha256"]):
            problems.append(f"{where}: \"sha256\" must be 64 lowercase hex digits")
        if not isinstance(e.get("size"), int) or e["size"] < 0:
            problems.append(f"{where}: \"size\" must be a non-negative integer")
        if "member" in e and (not isinstance(e["member"], str) or not e["member"]):
            problems.append(f"{where}: \"member\" must be a non-empty string when present")
        try:
            artifact_key(e)
        except CorpusError as err:
            problems.append(f"{where}: {err}")
    if problems:
        raise SystemExit("make_corpus: bad manifest:\n  " + "\n  ".join(problems))
    return entries


def artifact_key(entry: dict) -> tuple:
    """('pypi', project, version, artifact) or ('debian', package, version)."""
    src = entry.get("source")
    if isinstance(src, dict) and set(src) == {"pypi", "artifact"}:
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^=\s]+)", str(src["pypi"]))
        art = src["artifact"]
        if not m or not isinstance(art, str) or "/" in art or not art:
            raise CorpusError("\"source\" pypi needs \"project==version\" and an artifact file name")
        if not (art.endswith(".whl") or art.endswith(".tar.gz") or art.endswith(".zip")):
            raise CorpusError(f"unsupported PyPI artifact type: {art}")
        return ("pypi", m.group(1), m.group(2), art)
    if isinstance(src, dict) and set(src) == {"debian"}:
        m = re.fullmatch(r"([a-z0-9][a-z0-9.+-]+)=([0-9][A-Za-z0-9.+~:-]*)", str(src["debian"]))
        if not m:
            raise CorpusError("\"source\" debian needs \"package=version\"")
        return ("debian", m.group(1), m.group(2))
    raise CorpusError("\"source\" must be {\"pypi\", \"artifact\"} or {\"debian\"}")


def describe(key: tuple) -> str:
    if key[0] == "pypi":
        return f"pypi {key[1]}=={key[2]} {key[3]}"
    return f"debian {key[1]}={key[2]}"


# ---------------------------------------------------------------- checking

def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_problem(entry: dict) -> str | None:
    """None when files/<file> is present with the manifest's size and SHA-256."""
    path = FILES / entry["file"]
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return "missing"
    if not path.is_file():
        return "not a regular file"
    if size != entry["size"]:
        return f"size {size}, manifest says {entry['size']}"
    digest = sha256_file(path)
    if digest != entry["sha256"]:
        return f"sha256 {digest}, manifest says {entry['sha256']}"
    return None


# ---------------------------------------------------------------- running tools

def run(cmd: list[str], cwd: Path, timeout: int = DOWNLOAD_TIMEOUT) -> None:
    try:
        p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=timeout)
    except FileNotFoundError:
        raise CorpusError(f"{cmd[0]} not found")
    except subprocess.TimeoutExpired:
        raise CorpusError(f"timed out after {timeout} s: {' '.join(cmd)}")
    if p.returncode != 0:
        tail = "\n".join((p.stdout + p.stderr).strip().splitlines()[-15:])
        raise CorpusError(f"exit {p.returncode}: {' '.join(cmd)}\n{tail}")


def wheel_target_flags(filename: str) -> list[str]:
    """pip flags that make exactly this wheel's tags the acceptable ones.

    Without them pip picks the best wheel for the running interpreter and
    platform, which differs between machines; with them, any machine asks for
    the same file (pip then only downloads, never installs, so a foreign
    platform is fine). --ignore-requires-python: a generic tag such as "py3"
    gives pip the version "3", which a Requires-Python of ">=3.8" would reject.
    """
    parts = filename[:-len(".whl")].split("-")
    if len(parts) not in (5, 6):
        raise CorpusError(f"not a wheel file name: {filename}")
    pytags, abis, plats = parts[-3].split("."), parts[-2].split("."), parts[-1].split(".")
    # Prefer a CPython tag (cp311 -> implementation cp, version 3.11), else the
    # highest generic one (py2.py3 -> py, 3).
    cp = [t for t in pytags if re.fullmatch(r"cp\d+", t)]
    tag = cp[0] if cp else sorted(pytags)[-1]
    m = re.fullmatch(r"([a-z]+)(\d)(\d*)", tag)
    if not m:
        raise CorpusError(f"cannot read the python tag of {filename}")
    impl, major, minor = m.groups()
    version = f"{major}.{minor}" if minor else major
    flags = ["--only-binary", ":all:", "--ignore-requires-python",
             "--implementation", impl, "--python-version", version]
    for abi in abis:
        flags += ["--abi", abi]
    for plat in plats:
        flags += ["--platform", plat]
    return flags


def download_pypi(key: tuple, dest_dir: Path) -> Path:
    _, project, version, artifact = key
    with tempfile.TemporaryDirectory(prefix="pip-", dir=dest_dir) as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-input",
               "--disable-pip-version-check", "--progress-bar", "off", "-d", tmp]
        if artifact.endswith(".whl"):
            cmd += wheel_target_flags(artifact)
        else:
            # --no-binary for this project only: with ":all:" pip would also
            # build the sdist's build requirements (e.g. maturin) from source
            # when it prepares the sdist's metadata.
            cmd += ["--no-binary", project]
        cmd.append(f"{project}=={version}")
        run(cmd, cwd=Path(tmp))
        got = sorted(os.listdir(tmp))
        if got != [artifact]:
            raise CorpusError(f"pip gave {got or 'nothing'}, the manifest names {artifact}")
        final = dest_dir / artifact
        os.replace(Path(tmp) / artifact, final)
    return final


# Set once `apt-get update` has run in this process.
APT_UPDATED: list = []


def deb_glob(package: str, version: str) -> str:
    # apt names the file PACKAGE_VERSION_ARCH.deb with ':' (epoch) quoted as %3a.
    return f"{package}_{version.replace(':', '%3a')}_*.deb"


def download_debian(key: tuple, dest_dir: Path) -> Path:
    _, package, version = key
    with tempfile.TemporaryDirectory(prefix="apt-", dir=dest_dir) as tmp:
        # Sandbox::User=root: as root apt would otherwise try to write as _apt
        # into this private temp dir and only warn when it cannot.
        command = ["apt-get", "download", "-q", "-o", "APT::Sandbox::User=root", f"{package}={version}"]
        try:
            run(command, cwd=Path(tmp))
        except CorpusError as err:
            # A fresh machine's package lists may be missing or older than
            # the pin: as root, refresh them once and try again.
            if os.geteuid() != 0 or APT_UPDATED:
                raise CorpusError(f"{err}\n(apt knows only what its lists say: "
                                  "has `apt-get update` been run on a bookworm system?)")
            print("apt-get update (the package lists do not have the pinned version)", flush=True)
            run(["apt-get", "update", "-qq"], cwd=Path(tmp))
            APT_UPDATED.append(True)
            run(command, cwd=Path(tmp))
        debs = sorted(Path(tmp).glob(deb_glob(package, version)))
        others = sorted(set(os.listdir(tmp)) - {d.name for d in debs})
        if len(debs) != 1 or others:
            raise CorpusError(f"apt-get gave {sorted(os.listdir(tmp)) or 'nothing'}, "
                              f"expected one {deb_glob(package, version)}")
        final = dest_dir / debs[0].name
        os.replace(debs[0], final)
    return final


def cached_artifact(key: tuple) -> Path | None:
    if key[0] == "pypi":
        p = DOWNLOADS / "pypi" / key[3]
        return p if p.is_file() else None
    found = sorted((DOWNLOADS / "debian").glob(deb_glob(key[1], key[2])))
    return found[0] if found else None


def fetch_artifact(key: tuple) -> Path:
    dest = DOWNLOADS / key[0]
    dest.mkdir(parents=True, exist_ok=True)
    if key[0] == "pypi":
        return download_pypi(key, dest)
    return download_debian(key, dest)


# ---------------------------------------------------------------- extracting

def norm_member(name: str) -> str:
    while name.startswith("./"):
        name = name[2:]
    return name.lstrip("/")


def read_ar(path: Path) -> dict[str, bytes]:
    """Members of a Debian ar archive (common format, names up to 16 bytes)."""
    data = path.read_bytes()
    if not data.startswith(b"!<arch>\n"):
        raise CorpusError(f"{path.name} is not an ar archive")
    out, pos = {}, 8
    while pos + 60 <= len(data):
        header = data[pos:pos + 60]
        if header[58:60] != b"`\n":
            raise CorpusError(f"{path.name}: bad ar header at {pos}")
        name = header[:16].decode("ascii").strip().rstrip("/")
        size = int(header[48:58].decode("ascii").strip())
        out[name] = data[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)  # members are padded to an even offset
    return out


def deb_data_tar(path: Path) -> tarfile.TarFile:
    members = read_ar(path)
    for name, blob in members.items():
        if not name.startswith("data.tar"):
            continue
        suffix = name[len("data.tar"):]
        if suffix in ("", ".gz", ".xz", ".bz2"):
            return tarfile.open(fileobj=io.BytesIO(blob), mode="r:" + suffix.lstrip("."))
        if suffix == ".zst":
            # The standard library reads zstd only from Python 3.14 on.
            try:
                from compression import zstd  # type: ignore[import-not-found]
                return tarfile.open(fileobj=io.BytesIO(zstd.decompress(blob)), mode="r:")
            except ImportError:
                pass
            try:
                p = subprocess.run(["zstd", "-dc"], input=blob, capture_output=True,
                                   timeout=DECOMPRESS_TIMEOUT)
            except FileNotFoundError:
                raise CorpusError(f"{path.name} has data.tar.zst: install zstd")
            if p.returncode != 0:
                raise CorpusError(f"zstd failed on {path.name}: {p.stderr.decode(errors='replace')}")
            return tarfile.open(fileobj=io.BytesIO(p.stdout), mode="r:")
        raise CorpusError(f"{path.name}: unsupported {name}")
    raise CorpusError(f"{path.name} has no data.tar member")


def extract_from_tar(tf: tarfile.TarFile, wanted: set[str], label: str) -> dict[str, bytes]:
    out = {}
    for info in tf:
        name = norm_member(info.name)
        if name not in wanted:
            continue
        if not info.isreg():
            raise CorpusError(f"{label}: {name} is not a regular file in the archive")
        f = tf.extractfile(info)
        assert f is not None
        out[name] = f.read()
    return out


def extract_members(artifact: Path, members: set[str]) -> dict[str, bytes]:
    """{member: bytes} for every wanted member found; '' stands for the artifact itself."""
    out = {}
    if "" in members:
        out[""] = artifact.read_bytes()
    wanted = {m for m in members if m}
    if not wanted:
        return out
    name = artifact.name
    try:
        if name.endswith(".deb"):
            with deb_data_tar(artifact) as tf:
                out.update(extract_from_tar(tf, wanted, name))
        elif name.endswith(".tar.gz"):
            with tarfile.open(artifact, "r:gz") as tf:
                out.update(extract_from_tar(tf, wanted, name))
        elif name.endswith(".whl") or name.endswith(".zip"):
            with zipfile.ZipFile(artifact) as zf:
                for m in wanted:
                    try:
                        out[m] = zf.read(m)
                    except KeyError:
                        pass
        else:
            raise CorpusError(f"do not know how to open {name}")
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
        raise CorpusError(f"cannot read {name}: {e}")
    return out


def write_atomically(path: Path, data: bytes) -> None:
    # Write to a temp file beside the target and rename, so an interrupted
    # run never leaves a half-written file that looks present.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def install_from(artifact: Path, entries: list[dict]) -> list[str]:
    """Extract and write the entries' files; return the problems (empty when all match)."""
    members = {norm_member(e.get("member", "")) for e in entries}
    blobs = extract_members(artifact, members)
    problems = []
    for e in entries:
        m = norm_member(e.get("member", ""))
        data = blobs.get(m)
        if data is None:
            problems.append(f"{e['file']}: no member {m!r} in {artifact.name}")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if len(data) != e["size"] or digest != e["sha256"]:
            what = f"{m} in {artifact.name}" if m else artifact.name
            problems.append(f"{e['file']}: {what} has size {len(data)} sha256 {digest}, "
                            f"manifest says size {e['size']} sha256 {e['sha256']}")
            continue
        write_atomically(FILES / e["file"], data)
    return problems


def fetch(entries: list[dict]) -> int:
    todo: dict[tuple, list[dict]] = {}
    present = 0
    for e in entries:
        if file_problem(e) is None:
            present += 1
        else:
            todo.setdefault(artifact_key(e), []).append(e)
    failures: list[str] = []
    fetched = 0
    if todo:
        FILES.mkdir(parents=True, exist_ok=True)
    for key, group in todo.items():
        start = time.monotonic()
        try:
            artifact = cached_artifact(key)
            how = "cached"
            if artifact is not None:
                try:
                    problems = install_from(artifact, group)
                except CorpusError as err:
                    problems = [str(err)]
                if problems:
                    # A stale or damaged cache entry: fetch a fresh copy once.
                    artifact.unlink()
                    artifact = None
            if artifact is None:
                artifact, how = fetch_artifact(key), "downloaded"
                problems = install_from(artifact, group)
        except CorpusError as err:
            failures.append(f"{describe(key)}: {err}")
            print(f"FAILED  {describe(key)}", flush=True)
            continue
        ok = len(group) - len(problems)
        fetched += ok
        failures += problems
        size = artifact.stat().st_size
        print(f"{how:10s} {describe(key)}  {size / 1e6:.2f} MB  "
              f"{time.monotonic() - start:.1f} s  -> {ok}/{len(group)} files", flush=True)
    print(f"{present} files present, {fetched} fetched"
          + (f", {len(entries) - present - fetched} FAILED" if failures else ""))
    for f in failures:
        print(f"make_corpus: {f}", file=sys.stderr)
    return 1 if failures else 0


def check(entries: list[dict]) -> int:
    bad = [(e["file"], p) for e in entries if (p := file_problem(e)) is not None]
    print(f"{len(entries) - len(bad)} files present and verified, {len(bad)} missing or wrong")
    for name, problem in bad:
        print(f"make_corpus: {name}: {problem}", file=sys.stderr)
    return 1 if bad else 0


def print_sizes(entries: list[dict]) -> int:
    keys = list(dict.fromkeys(artifact_key(e) for e in entries))
    by_cat: dict[str, list[int]] = {}
    for e in entries:
        by_cat.setdefault(e["category"], []).append(e["size"])
    for cat in CATEGORIES:
        sizes = by_cat.get(cat, [])
        print(f"{cat:6s} {len(sizes):3d} files  {sum(sizes) / 1e6:8.2f} MB")
    print(f"corpus {len(entries):3d} files  {sum(e['size'] for e in entries) / 1e6:8.2f} MB "
          f"from {len(keys)} artifacts")
    cached = [p for k in keys if (p := cached_artifact(k)) is not None]
    total = sum(p.stat().st_size for p in cached)
    print(f"downloads: {len(cached)} of {len(keys)} artifacts cached, {total / 1e6:.2f} MB")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="verify only, no network")
    mode.add_argument("--print-sizes", action="store_true",
                      help="print corpus and cached-download sizes, no network")
    args = ap.parse_args()
    entries = load_manifest()
    if args.check:
        return check(entries)
    if args.print_sizes:
        return print_sizes(entries)
    return fetch(entries)


if __name__ == "__main__":
    sys.exit(main())
