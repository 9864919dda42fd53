"""The cache behaviour CPython got wrong (gh-103200): lazy O(1)
invalidation, the opt-out, targeted invalidation, the TTL, write_module,
and never serving a rewritten or deleted archive stale."""

import importlib
import importlib.machinery
import importlib.util
import os
import shutil
import sys
import time
import unittest
import zipfile

import zipindex

from support import ImportTestCase, make_zip, wait_until_settled


class InvalidationTests(ImportTestCase):
    def setUp(self):
        super().setUp()
        zipindex.install()
        self.addCleanup(zipindex.uninstall)

    def importer(self, path):
        """The importer the path hook makes for `path` on sys.path, the one
        importlib.invalidate_caches() reaches."""
        sys.path.insert(0, path)
        importer = importlib.machinery.PathFinder._path_importer_cache(path)
        self.assertIsInstance(importer, zipindex.zipimporter)
        return importer

    def test_global_invalidation_revalidates_lazily_and_keeps_an_unchanged_table(self):
        archive = make_zip(self.path('a.zip'), {'one.py': ''})
        wait_until_settled(archive)
        importer = self.importer(archive)
        # 3.13's invalidate_caches() imports importlib.metadata the first
        # time, through sys.path: get that done before counting.
        importlib.invalidate_caches()
        self.assertIsNotNone(importer.find_spec('one'))
        before = zipindex.statistics()
        importlib.invalidate_caches()
        after_invalidate = zipindex.statistics()
        self.assertEqual(after_invalidate['revalidations'], before['revalidations'], 'no I/O at invalidation')
        self.assertIsNotNone(importer.find_spec('one'))
        after = zipindex.statistics()
        self.assertEqual(after['revalidations'], before['revalidations'] + 1)
        self.assertEqual(after['reloads'], before['reloads'], 'an unchanged archive is not re-read')

    def test_a_changed_archive_is_seen_after_invalidation_by_every_importer(self):
        archive = make_zip(self.path('a.zip'), {'pkg/__init__.py': '', 'one.py': ''})
        root, inner = self.importer(archive), self.importer(archive + '/pkg')
        make_zip(archive, {'two.py': '', 'pkg/three.py': ''}, mode='a')
        root.invalidate_caches()
        self.assertIsNotNone(root.find_spec('two'))
        self.assertIsNotNone(inner.find_spec('pkg.three'))

    def test_a_deleted_archive_finds_nothing_and_raises_nothing(self):
        archive = make_zip(self.path('a.zip'), {'one.py': ''})
        importer = self.importer(archive)
        os.remove(archive)
        importlib.invalidate_caches()
        self.assertIsNone(importer.find_spec('one'))
        self.assertFalse(importer._get_files())
        self.assertRaises(OSError, importer.get_data, 'one.py')
        make_zip(archive, {'one.py': ''})
        importer.invalidate_caches()
        self.assertIsNotNone(importer.find_spec('one'))

    def test_an_archive_rewritten_in_place_is_never_served_stale(self):
        archive = make_zip(self.path('a.zip'), {'m1.py': 'A' * 40, 'm2.py': 'B' * 40},
                           compression=zipfile.ZIP_STORED)
        importer = self.importer(archive)
        self.assertEqual(importer.get_data('m1.py'), b'A' * 40)
        # Same names and sizes, different content and order, no invalidation:
        # zipimport 3.10-3.13 return the bytes of the other member here.
        with open(archive, 'r+b') as file:
            with zipfile.ZipFile(self.path('b.zip'), 'w', zipfile.ZIP_STORED) as other:
                other.writestr(zipfile.ZipInfo('m2.py', (2020, 1, 2, 3, 4, 6)), 'D' * 40)
                other.writestr(zipfile.ZipInfo('m1.py', (2020, 1, 2, 3, 4, 6)), 'C' * 40)
            with open(self.path('b.zip'), 'rb') as replacement:
                file.write(replacement.read())
                file.truncate()
        self.assertEqual(importer.get_data('m1.py'), b'C' * 40)
        self.assertEqual(importer.get_data('m2.py'), b'D' * 40)

    def test_an_archive_opted_out_ignores_global_invalidation_but_not_a_targeted_one(self):
        archive = make_zip(self.path('a.zip'), {'one.py': ''})
        other = make_zip(self.path('b.zip'), {'x.py': ''})
        zipindex.set_policy(archive, global_invalidation=False)
        self.assertEqual(zipindex.get_policy(archive), (False, None))
        sys.path[:0] = [archive, other]
        importlib.import_module('one')
        make_zip(archive, {'two.py': ''}, mode='a')
        make_zip(other, {'y.py': ''}, mode='a')
        importlib.invalidate_caches()
        zipindex.invalidate_caches()
        self.assertIsNone(importlib.util.find_spec('two'), 'opted out: still the old table')
        self.assertIsNotNone(importlib.util.find_spec('y'), 'the other archive follows')
        self.assertTrue(zipindex.invalidate_caches(archive))
        self.assertIsNotNone(importlib.util.find_spec('two'))
        zipindex.set_policy(archive)

    def test_targeted_invalidation_reaches_one_archive_only(self):
        first = make_zip(self.path('a.zip'), {'a1.py': ''})
        second = make_zip(self.path('b.zip'), {'b1.py': ''})
        a, b = self.importer(first), self.importer(second)
        make_zip(first, {'a2.py': ''}, mode='a')
        make_zip(second, {'b2.py': ''}, mode='a')
        self.assertTrue(zipindex.invalidate_caches(first + '/inner/path'))
        self.assertIsNotNone(a.find_spec('a2'))
        self.assertIsNone(b.find_spec('b2'))
        self.assertFalse(zipindex.invalidate_caches(self.path('never-opened.zip')))

    def test_a_time_to_live_gives_eventual_consistency_without_invalidation(self):
        archive = make_zip(self.path('a.zip'), {'one.py': ''})
        importer = self.importer(archive)
        zipindex.set_policy(archive, ttl=0.3)
        self.assertEqual(zipindex.get_policy(archive), (True, 0.3))
        self.assertIsNotNone(importer.find_spec('one'))
        make_zip(archive, {'two.py': ''}, mode='a')
        deadline = time.monotonic() + 5
        while importer.find_spec('two') is None and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertIsNotNone(importer.find_spec('two'))
        with self.assertRaises(ValueError):
            zipindex.set_policy(archive, ttl=-1)
        zipindex.set_policy(archive)

    def test_targeted_invalidation_of_a_directory_reaches_its_file_finder(self):
        directory = self.path('lib')
        os.mkdir(directory)
        sys.path.insert(0, directory)
        self.assertIsNone(importlib.util.find_spec('late'))
        mtime = os.stat(directory).st_mtime_ns
        with open(os.path.join(directory, 'late.py'), 'w') as file:
            file.write('value = 1\n')
        os.utime(directory, ns=(mtime, mtime))  # a change FileFinder cannot see
        self.assertIsNone(importlib.util.find_spec('late'), 'control: the stale listing misses it')
        self.assertTrue(zipindex.invalidate_caches(directory))
        self.assertIsNotNone(importlib.util.find_spec('late'))


class WriteModuleTests(ImportTestCase):
    def test_a_written_module_is_seen_by_the_very_next_import(self):
        directory = self.path('lib')
        os.mkdir(directory)
        sys.path.insert(0, directory)
        self.assertIsNone(importlib.util.find_spec('generated'))
        mtime = os.stat(directory).st_mtime_ns
        target = zipindex.write_module('generated', 'value = 42\n', directory)
        os.utime(directory, ns=(mtime, mtime))  # even where the mtime did not move
        self.assertEqual(target, os.path.join(directory, 'generated.py'))
        self.assertEqual(importlib.import_module('generated').value, 42)
        self.assertEqual([n for n in os.listdir(directory) if n.endswith('.tmp')], [])

    def test_packages_and_submodules_are_written_into_place(self):
        directory = self.path('lib')
        os.mkdir(directory)
        sys.path.insert(0, directory)
        zipindex.write_module('gen', b'# -*- coding: latin-1 -*-\nname = "caf\xe9"\n', directory, package=True)
        self.assertEqual(importlib.import_module('gen').name, 'caf\u00e9')
        importlib.import_module('gen')
        zipindex.write_module('gen.child', 'value = "child"\n', directory)
        self.assertEqual(importlib.import_module('gen.child').value, 'child')

    def test_bad_names_and_directories_are_refused(self):
        with self.assertRaises(ValueError):
            zipindex.write_module('a..b', '', self.scratch)
        with self.assertRaises(NotADirectoryError):
            zipindex.write_module('m', '', self.path('missing'))


if __name__ == '__main__':
    unittest.main()
