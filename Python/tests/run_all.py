#!/usr/bin/env python3
"""Every Python-side check of zipindex, as CI runs it.

For each of pyenv's CPython 3.11.7, 3.12.1 and 3.13.0, in a throwaway
virtual environment (never pyenv's own site-packages):
  1. `pip install --no-index ./Python` (the in-tree backend runs swift build);
  2. zipindex's own unittest suite (Python/tests/test_*.py);
  3. CPython's Lib/test/test_zipimport.py, unchanged, against zipindex
     (cpython_zipimport.py: the stock reader patched to raise);
  4. test_zipimport_support, test_pkgutil, test_runpy, test_zipapp and
     test_cmd_line_script with the hook installed through the .pth
     (ZIPINDEX_HOOK=1), instrumented in every process they start
     (strict/zipindex_strict.py) to prove zipimport's reader never ran.
Then `pip wheel --no-index ./Python` must give one cp311-abi3 wheel whose
extension needs no libswift* and exports only PyInit__zipindex, and the
benchmark (Benchmarks/python-importer/bench.py --quick) must run on the
last version (no timing assertions: CI machines are noisy).

Prints each phase's duration and closes with 'N passed, N failed'.
Usage: python3 Python/tests/run_all.py [--versions 3.13.0 ...] [--keep]
"""

import argparse
import glob
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import zipfile

TESTS = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(TESTS)
PYENV = os.environ.get('PYENV_ROOT', '/root/.pyenv')
VERSIONS = ['3.11.7', '3.12.1', '3.13.0']
BENCHMARK = os.path.join(os.path.dirname(PYTHON_DIR), 'Benchmarks', 'python-importer', 'bench.py')
HOOKED_SUITES = ['test_zipimport_support', 'test_pkgutil', 'test_runpy', 'test_zipapp', 'test_cmd_line_script']

results = []


def run(arguments, **options):
    print('$ ' + ' '.join(arguments), flush=True)
    return subprocess.run(arguments, **options)


def check(name, action):
    """Runs one check, prints its duration and verdict, records it."""
    started = time.monotonic()
    try:
        ok = bool(action())
    except Exception as error:  # a check that cannot run has failed
        print(f'{name}: {type(error).__name__}: {error}', flush=True)
        ok = False
    print(f'== {name}: {"ok" if ok else "FAILED"} ({time.monotonic() - started:.1f} s)', flush=True)
    results.append((name, ok))
    return ok


def make_venv(version, scratch):
    interpreter = os.path.join(PYENV, 'versions', version, 'bin', 'python3')
    if not os.path.exists(interpreter):
        raise FileNotFoundError(interpreter)
    venv = os.path.join(scratch, f'venv-{version}')
    run([interpreter, '-m', 'venv', venv], check=True)
    python = os.path.join(venv, 'bin', 'python')
    run([python, '-m', 'pip', 'install', '-q', '--no-index', '--disable-pip-version-check', PYTHON_DIR], check=True)
    purelib = subprocess.run([python, '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'],
                             check=True, capture_output=True, text=True).stdout.strip()
    for name in ('zipindex_strict.py', 'zipindex_strict.pth'):
        shutil.copy(os.path.join(TESTS, 'strict', name), purelib)
    return python


def hooked_suites(python, scratch, version):
    log = os.path.join(scratch, f'strict-{version}.log')
    environment = dict(os.environ, ZIPINDEX_HOOK='1', ZIPINDEX_STRICT='1', ZIPINDEX_STRICT_LOG=log)
    outcome = run([python, '-m', 'test', *HOOKED_SUITES], env=environment)
    lines = open(log, encoding='utf-8').read().splitlines() if os.path.exists(log) else []
    started = [line for line in lines if line.startswith('STARTED')]
    violations = [line for line in lines if line.startswith('VIOLATION')]
    print(f'{len(started)} Python processes ran with the hook and the strict checks; '
          f'{len(violations)} violations')
    for line in violations[:20]:
        print('  ' + line)
    return outcome.returncode == 0 and not violations and len(started) >= 10


def wheel_check(python, scratch):
    dist = os.path.join(scratch, 'dist')
    run([python, '-m', 'pip', 'wheel', '-q', '--no-index', '--disable-pip-version-check', '-w', dist, PYTHON_DIR],
        check=True)
    wheels = glob.glob(os.path.join(dist, '*.whl'))
    platform = sysconfig.get_platform().replace('-', '_').replace('.', '_')
    print(f'wheels: {[os.path.basename(w) for w in wheels]}')
    if len(wheels) != 1 or not wheels[0].endswith(f'-cp311-abi3-{platform}.whl'):
        return False
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
        library = os.path.join(scratch, '_zipindex.abi3.so')
        with open(library, 'wb') as file:
            file.write(wheel.read('zipindex/_zipindex.abi3.so'))
    print(f'wheel members: {names}')
    needed = subprocess.run(['readelf', '-d', library], check=True, capture_output=True, text=True).stdout
    needed = [line.split('[')[1].rstrip(']') for line in needed.splitlines() if '(NEEDED)' in line]
    symbols = subprocess.run(['nm', '-D', '--defined-only', library], check=True, capture_output=True,
                             text=True).stdout.split('\n')
    exported = sorted(line.split()[-1] for line in symbols if len(line.split()) == 3 and line.split()[1].isupper())
    size = os.path.getsize(library)
    print(f'extension: {size / 1e6:.1f} MB, needs {needed}, exports {exported}')
    return (not any('swift' in library_name for library_name in needed)
            and exported == ['PyInit__zipindex'] and 'zipindex.pth' in names)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--versions', nargs='*', default=VERSIONS)
    parser.add_argument('--keep', action='store_true', help='keep the virtual environments')
    parser.add_argument('--no-benchmark', action='store_true', help='skip the benchmark smoke run')
    options = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix='zipindex-ci-')
    try:
        first_python = last_python = None
        for version in options.versions:
            holder = {}
            if not check(f'{version}: pip install --no-index ./Python',
                         lambda: holder.setdefault('python', make_venv(version, scratch))):
                continue
            python = holder['python']
            first_python = first_python or python
            last_python = python
            check(f'{version}: zipindex unittest suite',
                  lambda: run([python, '-m', 'unittest', 'discover', '-s', TESTS, '-t', TESTS, '-p', 'test_*.py'],
                              cwd=TESTS).returncode == 0)
            check(f'{version}: CPython test_zipimport against zipindex',
                  lambda: run([python, os.path.join(TESTS, 'cpython_zipimport.py')], cwd=scratch).returncode == 0)
            check(f'{version}: {", ".join(HOOKED_SUITES)} with the .pth hook',
                  lambda: hooked_suites(python, scratch, version))
        if first_python:
            check('pip wheel: one cp311-abi3 wheel, no libswift, one export', lambda: wheel_check(first_python, scratch))
        if last_python and not options.no_benchmark:
            check('benchmark smoke (bench.py --quick)',
                  lambda: run([last_python, BENCHMARK, '--quick'], cwd=scratch).returncode == 0)
    finally:
        if options.keep:
            print(f'kept {scratch}')
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    failed = [name for name, ok in results if not ok]
    for name in failed:
        print(f'FAILED: {name}')
    print(f'{len(results) - len(failed)} passed, {len(failed)} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
