"""zipindex.zipimporter behaves as zipimport.zipimporter, compared member by
member with the stock class, and where it differs it is on purpose."""

import importlib
import importlib.resources
import importlib.util
import marshal
import os
import pkgutil
import sys
import unittest
import zipfile
import zipimport

import zipindex
from zipindex import _importer

from support import ImportTestCase, make_zip

STOCK = _importer._stock_zipimporter

MEMBERS = {
    'mod.py': 'value = "mod"\n',
    'pkg/__init__.py': 'value = "pkg"\n',
    'pkg/sub.py': 'value = "pkg.sub"\n',
    'pkg/data.txt': 'resource text',
    'pkg/inner/__init__.py': '',
    'pkg/inner/deep.py': 'value = "deep"\n',
    'ns/': '',
    'ns/part.py': 'value = "ns.part"\n',
    'both.py': 'value = "source"\n',
}


class ZipimporterTests(ImportTestCase):
    def setUp(self):
        super().setUp()
        self.archive = make_zip(self.path('app.zip'), MEMBERS)

    def test_it_is_a_zipimport_zipimporter(self):
        self.assertTrue(issubclass(zipindex.zipimporter, STOCK))
        self.assertIs(zipindex.ZipImportError, zipimport.ZipImportError)

    def test_archive_and_prefix_are_split_as_zipimport_splits_them(self):
        for inner in ('', '/', '/pkg', '/pkg/', '//pkg', '/pkg/inner', '/does/not/exist'):
            with self.subTest(inner=inner):
                ours = zipindex.zipimporter(self.archive + inner)
                stock = STOCK(self.archive + inner)
                self.assertEqual((ours.archive, ours.prefix), (stock.archive, stock.prefix))

    def test_construction_errors_are_zipimports(self):
        os.mkdir(self.path('directory'))
        with open(self.path('not-a-zip'), 'wb') as file:
            file.write(b'a' * 22)
        with open(self.path('empty'), 'wb'):
            pass
        for bad in ('', self.path('missing.zip'), self.path('directory'), self.path('not-a-zip'),
                    self.path('empty'), self.path('x' * 4000)):
            with self.subTest(path=bad[-40:]):
                self.assertRaises(zipimport.ZipImportError, zipindex.zipimporter, bad)
        for wrong in (None, b'app.zip', bytearray(b'app.zip'), ['app.zip']):
            with self.subTest(argument=wrong):
                self.assertRaises(TypeError, zipindex.zipimporter, wrong)

    def test_find_spec_matches_stock_for_modules_packages_and_namespaces(self):
        for inner, names in (('', ('mod', 'pkg', 'ns', 'both', 'missing', 'pkg.sub')),
                             ('/pkg', ('pkg.sub', 'pkg.inner', 'pkg.missing', 'pkg.data'))):
            ours = zipindex.zipimporter(self.archive + inner)
            stock = STOCK(self.archive + inner)
            for name in names:
                with self.subTest(inner=inner, name=name):
                    mine, theirs = ours.find_spec(name), stock.find_spec(name)
                    if theirs is None:
                        self.assertIsNone(mine)
                        continue
                    self.assertEqual(mine.origin, theirs.origin)
                    self.assertEqual(mine.submodule_search_locations, theirs.submodule_search_locations)
                    self.assertEqual(mine.has_location, theirs.has_location)
                    self.assertEqual(mine.cached, theirs.cached)
                    self.assertIs(mine.loader is None, theirs.loader is None)

    def test_methods_match_stock(self):
        ours, stock = zipindex.zipimporter(self.archive), STOCK(self.archive)
        for name in ('mod', 'pkg', 'both'):
            with self.subTest(name=name):
                self.assertEqual(ours.is_package(name), stock.is_package(name))
                self.assertEqual(ours.get_source(name), stock.get_source(name))
                self.assertEqual(ours.get_filename(name), stock.get_filename(name))
                mine, theirs = ours.get_code(name), stock.get_code(name)
                self.assertEqual((mine.co_code, mine.co_consts, mine.co_names, mine.co_filename),
                                 (theirs.co_code, theirs.co_consts, theirs.co_names, theirs.co_filename))
        for key in ('pkg/data.txt', self.archive + '/pkg/data.txt', 'ns/'):
            self.assertEqual(ours.get_data(key), stock.get_data(key))
        for method in (ours.is_package, ours.get_source, ours.get_code):
            self.assertRaises(zipimport.ZipImportError, method, 'missing')
        self.assertRaises(zipimport.ZipImportError, ours.is_package, 'ns')
        self.assertRaises(OSError, ours.get_data, 'missing.txt')
        self.assertIn('zipimporter object', repr(ours))

    def test_arguments_of_the_wrong_type_raise_type_error(self):
        importer = zipindex.zipimporter(self.archive)
        for method in (importer.find_spec, importer.is_package, importer.get_code, importer.get_source,
                       importer.get_data, importer.get_filename):
            for wrong in (None, b'mod', 3):
                with self.subTest(method=method.__name__, argument=wrong):
                    self.assertRaises(TypeError, method, wrong)

    def test_modules_import_through_the_hook(self):
        zipindex.install()
        self.addCleanup(zipindex.uninstall)
        sys.path.insert(0, self.archive)
        self.assertEqual(importlib.import_module('pkg.inner.deep').value, 'deep')
        self.assertEqual(importlib.import_module('ns.part').value, 'ns.part')
        module = importlib.import_module('pkg.sub')
        self.assertIsInstance(module.__loader__, zipindex.zipimporter)
        self.assertEqual(module.__file__, self.archive + '/pkg/sub.py')

    def test_find_spec_does_not_compile_so_a_syntax_error_surfaces_at_exec(self):
        archive = make_zip(self.path('broken.zip'), {'broken.py': 'def (:\n'})
        importer = zipindex.zipimporter(archive)
        spec = importer.find_spec('broken')
        self.assertEqual(spec.origin, archive + '/broken.py')
        module = importlib.util.module_from_spec(spec)
        with self.assertRaises(SyntaxError):
            spec.loader.exec_module(module)

    def test_a_pyc_with_a_bad_magic_number_falls_back_to_source_and_file_follows(self):
        code = compile('value = "bytecode"\n', 'm.py', 'exec')
        pyc = bytearray(importlib.util.MAGIC_NUMBER + b'\0' * 12 + marshal.dumps(code))
        pyc[0] ^= 0x04
        archive = make_zip(self.path('magic.zip'), {'m.py': 'value = "source"\n', 'm.pyc': bytes(pyc)})
        spec = zipindex.zipimporter(archive).find_spec('m')
        self.assertEqual(spec.origin, archive + '/m.pyc', 'picked without reading the .pyc')
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        self.assertEqual(module.value, 'source')
        self.assertEqual(module.__file__, archive + '/m.py')
        self.assertEqual(spec.origin, archive + '/m.py')

    def test_resources_are_read_through_zipindex(self):
        zipindex.install()
        self.addCleanup(zipindex.uninstall)
        sys.path.insert(0, self.archive)
        files = importlib.resources.files('pkg')
        self.assertEqual(files.joinpath('data.txt').read_text(encoding='utf-8'), 'resource text')
        self.assertEqual(sorted(child.name for child in files.iterdir()),
                         ['__init__.py', 'data.txt', 'inner', 'sub.py'])
        self.assertTrue(files.joinpath('inner').is_dir())
        self.assertFalse(files.joinpath('missing.txt').is_file())
        with self.assertRaises(FileNotFoundError):
            files.joinpath('missing.txt').read_bytes()
        reader = sys.modules['pkg'].__spec__.loader.get_resource_reader('pkg')
        self.assertEqual(type(reader).__module__, 'zipindex._resources')

    def test_private_member_views_list_exactly_the_members(self):
        importer = zipindex.zipimporter(self.archive)
        self.assertEqual(set(importer._get_files().keys()), set(MEMBERS))
        self.assertEqual(importer._files.keys(), importer._get_files().keys())
        entry = importer._get_files()['mod.py']
        stock_entry = zipimport._read_directory(self.archive)['mod.py']
        self.assertEqual(entry, stock_entry)

    def test_paths_that_are_not_utf8_work(self):
        directory = os.fsdecode(os.path.join(os.fsencode(self.scratch), b'caf\xe9-\xff'))
        os.mkdir(directory)
        archive = make_zip(os.path.join(directory, 'lib.zip'), {'odd.py': 'value = 1\n'})
        self.assertIn('\udcff', archive)
        importer = zipindex.zipimporter(archive + '/')
        self.assertEqual(importer.archive, archive)
        spec = importer.find_spec('odd')
        self.assertEqual(spec.origin, archive + '/odd.py')
        self.assertEqual(importer.get_data(archive + '/odd.py'), b'value = 1\n')
        self.assertTrue(zipindex.invalidate_caches(archive))


class HookTests(ImportTestCase):
    def test_install_replaces_the_hook_in_place_and_uninstall_restores_it(self):
        before = list(sys.path_hooks)
        self.assertIn(STOCK, before)
        archive = make_zip(self.path('a.zip'), {'a.py': ''})
        sys.path_importer_cache[archive] = STOCK(archive)
        zipindex.install()
        try:
            self.assertEqual(sys.path_hooks.index(zipindex.zipimporter), before.index(STOCK))
            self.assertNotIn(STOCK, sys.path_hooks)
            self.assertNotIn(archive, sys.path_importer_cache, 'stale zipimport finder dropped')
            self.assertIs(zipimport.zipimporter, zipindex.zipimporter)
            zipindex.install()
            self.assertEqual(sys.path_hooks.count(zipindex.zipimporter), 1)
        finally:
            zipindex.uninstall()
        self.assertEqual(sys.path_hooks, before)
        self.assertIs(zipimport.zipimporter, STOCK)

    def test_pkgutil_iterates_an_archive_even_after_invalidation(self):
        archive = make_zip(self.path('p.zip'), MEMBERS)
        zipindex.install()
        self.addCleanup(zipindex.uninstall)
        expected = sorted(pkgutil.iter_zipimport_modules(STOCK(archive)))
        listed = sorted((info.name, info.ispkg) for info in pkgutil.iter_modules([archive]))
        self.assertEqual(listed, expected)
        self.assertIn(('pkg', True), listed)
        importlib.invalidate_caches()  # gh-121342: 3.13's own importer raises KeyError here
        self.assertEqual(sorted((i.name, i.ispkg) for i in pkgutil.iter_modules([archive])), expected)
        inner = sorted((i.name, i.ispkg) for i in pkgutil.iter_modules([archive + '/pkg']))
        self.assertEqual(inner, [('inner', True), ('sub', False)])


if __name__ == '__main__':
    unittest.main()
