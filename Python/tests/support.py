"""Helpers shared by zipindex's Python tests (plain unittest, stdlib only)."""

import os
import shutil
import sys
import tempfile
import time
import unittest
import zipfile

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOSTILE = os.path.join(REPOSITORY, 'Fixtures', 'hostile')
FIXTURES = os.path.join(REPOSITORY, 'Fixtures')

# zipindex trusts an unchanged stamp only for files whose last change is
# more than this long before the table was read (the racy-clean rule).
GRANULARITY = 2.0


def make_zip(path, members, mode='w', compression=zipfile.ZIP_DEFLATED, date_time=(2020, 1, 2, 3, 4, 6)):
    """Writes `members` ({name: str | bytes}) into the zip at `path`."""
    with zipfile.ZipFile(path, mode, compression) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = compression
            archive.writestr(info, data.encode() if isinstance(data, str) else data)
    return path


def wait_until_settled(*paths):
    """Sleeps until every path's last change is older than the racy
    granularity, so that zipindex trusts its stamp."""
    newest = max(max(os.stat(path).st_mtime, os.stat(path).st_ctime) for path in paths)
    delay = newest + GRANULARITY + 0.1 - time.time()
    if delay > 0:
        time.sleep(delay)


class ImportTestCase(unittest.TestCase):
    """Gives each test a scratch directory and restores the import state
    (sys.path, sys.modules, the path importer cache) afterwards."""

    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix='zipindex-test-')
        self.addCleanup(shutil.rmtree, self.scratch, ignore_errors=True)
        saved_path = list(sys.path)
        saved_modules = set(sys.modules)
        saved_cache = dict(sys.path_importer_cache)

        def restore():
            sys.path[:] = saved_path
            for name in set(sys.modules) - saved_modules:
                del sys.modules[name]
            sys.path_importer_cache.clear()
            sys.path_importer_cache.update(saved_cache)
        self.addCleanup(restore)

    def path(self, *parts):
        return os.path.join(self.scratch, *parts)
