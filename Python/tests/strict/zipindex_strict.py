"""Test instrumentation, installed by run_all.py into throwaway virtual
environments only (with zipindex_strict.pth): in every Python process
started there with ZIPINDEX_STRICT=1, even with -E, it proves that no
import went through zipimport's own directory reader.

- zipimport._read_directory is replaced by a function that records the
  call and raises, so nothing can pass by falling back to the stock reader;
- at exit, zipimport._zip_directory_cache must be empty;
- zipindex's hook must have been installed at start-up (zipindex.pth runs
  first: .pth files are read in name order).
Findings are appended to the file named by ZIPINDEX_STRICT_LOG, one line
each; every instrumented process also records that it started.
"""

import atexit
import os
import sys
import zipimport

_log = os.environ.get('ZIPINDEX_STRICT_LOG')


def _record(kind, detail=''):
    if _log:
        with open(_log, 'a', encoding='utf-8', errors='backslashreplace') as file:
            file.write(f'{kind} pid={os.getpid()} argv={sys.argv!r} {detail}\n')


def _refuse(archive):
    _record('VIOLATION', f'zipimport._read_directory({archive!r}) was called')
    raise AssertionError(f'zipimport._read_directory({archive!r}) called while zipindex is installed')


def _check_at_exit():
    if zipimport._zip_directory_cache:
        _record('VIOLATION', f'zipimport._zip_directory_cache holds {sorted(zipimport._zip_directory_cache)!r}')


zipimport._read_directory = _refuse
_installed = 'zipindex' in sys.modules and sys.modules['zipindex'].zipimporter in sys.path_hooks
_record('STARTED' if _installed else 'VIOLATION', '' if _installed else 'zipindex hook not installed at start-up')
atexit.register(_check_at_exit)
