"""Runs CPython's own Lib/test/test_zipimport.py, unchanged, against
zipindex: zipimport.zipimporter is zipindex's class (zipindex.install()),
zipimport._read_directory raises, and zipimport._zip_directory_cache must
stay empty. Exits non-zero on any failure outside ALLOWED.

Run it with the interpreter under test: python cpython_zipimport.py
"""

import sys
import unittest
import zipimport

import zipindex

# Tests of zipimport's own bootstrap that cannot apply to zipindex, each
# with the reason (also in Python/README.md).
ALLOWED = {
    # Asserts that zipimport refuses to decompress an archive holding a
    # zlib.py, because its own `import zlib` would recurse. zipindex inflates
    # with C zlib and imports nothing, so that module imports fine.
    'test.test_zipimport.CompressedZipImportTestCase.testAFakeZlib',
}


def main():
    zipindex.install()
    refused = []

    def refuse(archive):
        refused.append(archive)
        raise AssertionError(f'zipimport._read_directory({archive!r}) was called')

    zipimport._read_directory = refuse
    from test import test_zipimport
    suite = unittest.defaultTestLoader.loadTestsFromModule(test_zipimport)
    result = unittest.TextTestRunner(verbosity=1, stream=sys.stdout).run(suite)
    problems = [test.id() for test, _ in result.failures + result.errors + result.unexpectedSuccesses
                if not isinstance(test, str)]
    unexpected = sorted(set(problems) - ALLOWED)
    allowed = sorted(set(problems) & ALLOWED)
    passed = result.testsRun - len(problems) - len(result.skipped)
    print(f'test_zipimport on {sys.version.split()[0]}: {result.testsRun} run, {passed} passed, '
          f'{len(result.skipped)} skipped, {len(allowed)} allowed failures {allowed}')
    failed = False
    if unexpected:
        print(f'unexpected failures: {unexpected}')
        failed = True
    if refused:
        print(f'zipimport._read_directory was called for {refused}')
        failed = True
    if zipimport._zip_directory_cache:
        print(f'zipimport._zip_directory_cache is not empty: {sorted(zipimport._zip_directory_cache)}')
        failed = True
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
