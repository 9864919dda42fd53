"""zipindex.zipimporter: zipimport's importer over the Swift Importer.

The archive's table, every lookup, every read of member data and all
caching go through the Swift extension (`zipindex._zipindex`); what stays
in Python is what zipimport also does in Python and what needs the
interpreter: compiling source, checking `.pyc` files (magic number, and
timestamp or hash against the source member), and building specs.
"""

import _frozen_importlib as _bootstrap
import _frozen_importlib_external as _bootstrap_external
import _imp
import marshal
import os
import stat as _stat
import sys
import time
import _warnings
import zipimport

__all__ = ['zipimporter', 'ZipImportError']

ZipImportError = zipimport.ZipImportError
# The class this one replaces; also the base, so isinstance checks written
# for zipimport keep working.
_stock_zipimporter = zipimport.zipimporter

path_sep = _bootstrap_external.path_sep
alt_path_sep = _bootstrap_external.path_separators[1:]

_module_type = type(sys)

# zipimport's search order: a package's __init__ first, bytecode before
# source. The Swift side resolves names in the same order.
_search_order = (
    (path_sep + '__init__.pyc', True, True),
    (path_sep + '__init__.py', False, True),
    ('.pyc', True, False),
    ('.py', False, False),
)

# Codes of _native.Error(code, message).
_OPEN_EMPTY, _OPEN_NOT_FOUND, _OPEN_UNREADABLE, _OPEN_NOT_A_ZIP = 1, 2, 3, 4
_READ_MISSING, _READ_UNAVAILABLE, _READ_DAMAGED = 1, 2, 3

_KIND_MODULE, _KIND_PACKAGE, _KIND_NAMESPACE = 0, 1, 2

# The Swift extension, loaded by the first importer made: a process that
# installs the hook but never imports from an archive does not pay for
# loading it (the Swift runtime and libstdc++, 2-3 ms). Every use of it
# comes after an importer exists, or through native_if_loaded().
_native = None


def native():
    """The extension module, loaded if it is not yet."""
    global _native
    if _native is None:
        from . import _zipindex
        _native = _zipindex
    return _native


def native_if_loaded():
    """The extension module, or None if no importer was made yet (then it
    holds no table either)."""
    return _native


class zipimporter(_stock_zipimporter):
    """zipimporter(archivepath) -> zipimporter object

    zipimport's importer, with the archive's directory read, cached and
    revalidated by ZipIndex: one table per archive shared by every
    importer of it, invalidation in O(1), and member data verified
    (local header, size, CRC-32), so a rewritten archive is never served
    stale. 'archivepath' is a path to a zip file, optionally followed by a
    directory inside it ('/tmp/app.zip/lib').

    ZipImportError is raised if 'archivepath' doesn't point to a valid zip
    archive. The 'archive' attribute is the zip file's path and 'prefix'
    the directory inside it ('' or ending in a separator).
    """

    def __init__(self, path):
        if not isinstance(path, str):
            raise TypeError(f"expected str, not {type(path)!r}")
        if not path:
            raise ZipImportError('archive path is empty', path=path)
        if alt_path_sep:
            path = path.replace(alt_path_sep, path_sep)
        try:
            encoded = os.fsencode(path)
        except UnicodeEncodeError:
            raise ZipImportError('not a Zip file', path=path) from None
        if not _may_hold_archive(encoded):
            raise ZipImportError('not a Zip file', path=path)
        extension = native()
        try:
            handle, archive_length, prefix = extension.open(encoded)
        except extension.Error as error:
            code, message = error.args
            if code in (_OPEN_EMPTY, _OPEN_NOT_FOUND):
                raise ZipImportError('not a Zip file', path=path) from None
            if code == _OPEN_UNREADABLE:
                raise ZipImportError(f"can't open Zip file: {path!r} ({message})", path=path) from None
            raise ZipImportError(f"not a Zip file: {path!r} ({message})", path=path) from None
        self._handle = handle
        self.archive = os.fsdecode(encoded[:archive_length])
        self.prefix = os.fsdecode(prefix)

    # -- Finding -------------------------------------------------------

    def find_spec(self, fullname, target=None):
        """Create a ModuleSpec for the specified module.

        Returns None if the module cannot be found. The origin is the first
        member in zipimport's search order; the module is not compiled until
        it is executed, so a SyntaxError surfaces from exec_module, as for
        modules in directories.
        """
        found = _native.find(self._handle, fullname)
        if found is None:
            return None
        kind, member = found
        if kind == _KIND_NAMESPACE:
            spec = _bootstrap.ModuleSpec(name=fullname, loader=None, is_package=True)
            spec.submodule_search_locations.append(f'{self.archive}{path_sep}{member}')
            return spec
        return _bootstrap_external.spec_from_file_location(
            fullname, f'{self.archive}{path_sep}{member}', loader=self,
            submodule_search_locations=[] if kind == _KIND_PACKAGE else None)

    def is_package(self, fullname):
        """is_package(fullname) -> bool.

        Return True if the module specified by fullname is a package.
        Raise ZipImportError if the module couldn't be found.
        """
        found = _native.find(self._handle, fullname)
        if found is None or found[0] == _KIND_NAMESPACE:
            raise ZipImportError(f"can't find module {fullname!r}", name=fullname)
        return found[0] == _KIND_PACKAGE

    if hasattr(_stock_zipimporter, 'find_loader'):
        def find_loader(self, fullname, path=None):
            """find_loader(fullname, path=None) -> self, str or None.

            Deprecated since Python 3.10. Use find_spec() instead.
            """
            _warnings.warn("zipimporter.find_loader() is deprecated and slated for "
                           "removal in Python 3.12; use find_spec() instead",
                           DeprecationWarning)
            found = _native.find(self._handle, fullname)
            if found is None:
                return None, []
            if found[0] == _KIND_NAMESPACE:
                return None, [f'{self.archive}{path_sep}{found[1]}']
            return self, []

    if hasattr(_stock_zipimporter, 'find_module'):
        def find_module(self, fullname, path=None):
            """find_module(fullname, path=None) -> self or None.

            Deprecated since Python 3.10. Use find_spec() instead.
            """
            _warnings.warn("zipimporter.find_module() is deprecated and slated for "
                           "removal in Python 3.12; use find_spec() instead",
                           DeprecationWarning)
            found = _native.find(self._handle, fullname)
            if found is None or found[0] == _KIND_NAMESPACE:
                return None
            return self

    # -- Loading -------------------------------------------------------

    def get_code(self, fullname):
        """get_code(fullname) -> code object.

        Return the code object for the specified module. Raise ZipImportError
        if the module couldn't be imported.
        """
        return self._module_code(fullname)[0]

    def get_filename(self, fullname):
        """get_filename(fullname) -> filename string.

        Return the filename for the specified module or raise ZipImportError
        if it couldn't be imported. Like zipimport, this works out where the
        code would come from, so it reads and compiles the module.
        """
        return self._module_code(fullname)[2]

    def create_module(self, spec):
        """Use the default module creation."""
        return None

    def exec_module(self, module):
        """Execute the module.

        If the member named by the spec's origin does not load (a .pyc with
        a bad magic number, or stale against its source), the next one in
        zipimport's order is used, and __file__ and the spec's origin follow
        it, as they would have had the module been compiled at find time.
        """
        code, _, modpath = self._module_code(module.__name__)
        if getattr(module, '__file__', None) != modpath:
            spec = getattr(module, '__spec__', None)
            if spec is not None and spec.origin != modpath:
                spec.origin = modpath
                spec.cached = _bootstrap_external._get_cached(modpath)
                if hasattr(module, '__cached__'):
                    module.__cached__ = spec.cached
            module.__file__ = modpath
        _bootstrap._call_with_frames_removed(exec, code, module.__dict__)

    def load_module(self, fullname):
        """load_module(fullname) -> module.

        Deprecated since Python 3.10. Use exec_module() instead.
        """
        _warnings.warn("zipimport.zipimporter.load_module() is deprecated and slated for "
                       "removal in Python 3.12; use exec_module() instead",
                       DeprecationWarning)
        code, ispackage, modpath = self._module_code(fullname)
        mod = sys.modules.get(fullname)
        if mod is None or not isinstance(mod, _module_type):
            mod = _module_type(fullname)
            sys.modules[fullname] = mod
        mod.__loader__ = self
        try:
            if ispackage:
                path = self.prefix + fullname.rpartition('.')[2]
                mod.__path__ = [_bootstrap_external._path_join(self.archive, path)]
            if not hasattr(mod, '__builtins__'):
                mod.__builtins__ = __builtins__
            _bootstrap_external._fix_up_module(mod.__dict__, fullname, modpath)
            exec(code, mod.__dict__)
        except:
            del sys.modules[fullname]
            raise
        try:
            mod = sys.modules[fullname]
        except KeyError:
            raise ImportError(f'Loaded module {fullname!r} not found in sys.modules')
        _bootstrap._verbose_message('import {} # loaded from Zip {}', fullname, modpath)
        return mod

    # -- Data and resources --------------------------------------------

    def get_data(self, pathname):
        """get_data(pathname) -> string with file data.

        Return the data associated with 'pathname' (a path under the
        archive, or relative to its root). Raise OSError if the file wasn't
        found.
        """
        if not isinstance(pathname, str):
            raise TypeError(f'get_data() argument must be str, not {type(pathname).__name__}')
        if alt_path_sep:
            pathname = pathname.replace(alt_path_sep, path_sep)
        key = pathname
        if pathname.startswith(self.archive + path_sep):
            key = pathname[len(self.archive + path_sep):]
        data = self._read(key)
        if data is None:
            raise OSError(0, '', key)
        return data

    def get_source(self, fullname):
        """get_source(fullname) -> source string.

        Return the source code for the specified module. Raise ZipImportError
        if the module couldn't be found, return None if the archive does
        contain the module, but has no source for it.
        """
        ispackage = self.is_package(fullname)
        path = self.prefix + fullname.rpartition('.')[2]
        fullpath = _bootstrap_external._path_join(path, '__init__.py') if ispackage else f'{path}.py'
        data = self._read(fullpath)
        if data is None:
            return None
        return data.decode()

    def get_resource_reader(self, fullname):
        """Return the resource reader for a module in the archive: files
        under it are read through ZipIndex, not through zipfile."""
        if sys.version_info < (3, 13):
            # 3.11 and 3.12 give readers for packages only.
            try:
                if not self.is_package(fullname):
                    return None
            except ZipImportError:
                return None
        from ._resources import ArchiveReader
        return ArchiveReader(self, fullname)

    # -- Cache ---------------------------------------------------------

    def invalidate_caches(self):
        """Global invalidation, as importlib.invalidate_caches() asks of
        every finder: every cached archive table, this one's included, is
        marked for revalidation in O(1) with no I/O (one atomic increment,
        however many archives and importers there are). The next lookup in
        each archive stats it and re-reads its directory only if it changed.
        Archives whose policy opts out of global invalidation are left
        alone; zipindex.invalidate_caches(path) reaches one archive,
        whatever its policy."""
        _native.invalidate_all()

    def _get_files(self):
        """zipimport's private view of the archive's members (3.13):
        a read-only mapping from member name to a zipimport-style entry."""
        from ._toc import TableView
        return TableView(self)

    @property
    def _files(self):
        """zipimport's private view of the archive's members (3.10-3.12)."""
        return self._get_files()

    def __repr__(self):
        return f'<zipimporter object "{self.archive}{path_sep}{self.prefix}">'

    # -- Internals -----------------------------------------------------

    def _read(self, name):
        """The verified bytes of member `name`, or None if there is none
        (or the archive is gone). A damaged member raises ZipImportError."""
        try:
            return _native.read(self._handle, name)
        except _native.Error as error:
            code, message = error.args
            if code in (_READ_MISSING, _READ_UNAVAILABLE):
                return None
            raise ZipImportError(f'bad member {name!r} in {self.archive!r}: {message}',
                                 path=self.archive) from None

    def _module_code(self, fullname):
        """(code, ispackage, modpath) of the first member in zipimport's
        order that loads, as zipimport's _get_module_code."""
        if not isinstance(fullname, str):
            raise TypeError(f'module name must be str, not {type(fullname).__name__}')
        path = self.prefix + fullname.rpartition('.')[2]
        import_error = None
        for suffix, isbytecode, ispackage in _search_order:
            fullpath = path + suffix
            _bootstrap._verbose_message('trying {}{}{}', self.archive, path_sep, fullpath, verbosity=2)
            data = self._read(fullpath)
            if data is None:
                continue
            modpath = _bootstrap_external._path_join(self.archive, fullpath)
            if isbytecode:
                try:
                    code = self._unmarshal_code(modpath, fullpath, fullname, data)
                except ImportError as exc:
                    import_error = exc
                    code = None
            else:
                code = _compile_source(modpath, data)
            if code is None:
                # Bad magic number, or stale against the source: try the next.
                continue
            return code, ispackage, modpath
        if import_error:
            raise ZipImportError(f"module load failed: {import_error}", name=fullname) from import_error
        raise ZipImportError(f"can't find module {fullname!r}", name=fullname)

    def _unmarshal_code(self, pathname, fullpath, fullname, data):
        """The code object in .pyc `data`, or None if it is stale against
        its source member. Raises ImportError for a bad magic number or a
        hash mismatch, as zipimport does."""
        exc_details = {'name': fullname, 'path': fullpath}
        flags = _bootstrap_external._classify_pyc(data, fullname, exc_details)
        if flags & 0b1:
            # Hash-based .pyc (PEP 552).
            check_source = flags & 0b10 != 0
            if (_imp.check_hash_based_pycs != 'never' and
                    (check_source or _imp.check_hash_based_pycs == 'always')):
                source_bytes = self._read(fullpath[:-1])
                if source_bytes is not None:
                    source_hash = _imp.source_hash(_bootstrap_external._RAW_MAGIC_NUMBER, source_bytes)
                    _bootstrap_external._validate_hash_pyc(data, source_hash, fullname, exc_details)
        else:
            source = _native.entry(self._handle, fullpath[:-1])
            if source is not None:
                date_time, source_size = source[3], source[2]
                source_mtime = _parse_dostime(date_time >> 16, date_time & 0xFFFF)
                # zipimport's lenient check: DOS times have 2 s resolution.
                if source_mtime and (
                        abs(_bootstrap_external._unpack_uint32(data[8:12]) - source_mtime) > 1 or
                        _bootstrap_external._unpack_uint32(data[12:16]) != source_size):
                    _bootstrap._verbose_message(f'bytecode is stale for {fullname!r}')
                    return None
        code = marshal.loads(data[16:])
        if not isinstance(code, _code_type):
            raise TypeError(f'compiled module {pathname!r} is not a code object')
        return code


def _may_hold_archive(path):
    """Whether the longest existing prefix of `path` (bytes) is a regular
    file. The path hook is asked about every sys.path entry, directories and
    the interpreter's missing pythonXY.zip included: answering those here
    keeps the extension unloaded in processes that never meet an archive.
    The Swift side splits the path again, authoritatively."""
    while True:
        try:
            return _stat.S_ISREG(os.stat(path).st_mode)
        except (OSError, ValueError):
            head, _, _ = path.rpartition(b'/')
            if not head or head == path:
                return False
            path = head


_code_type = type(_may_hold_archive.__code__)


def _compile_source(pathname, source):
    """Compile source bytes, with DOS and Mac line endings made Unix ones."""
    source = source.replace(b'\r\n', b'\n').replace(b'\r', b'\n')
    return compile(source, pathname, 'exec', dont_inherit=True)


def _parse_dostime(d, t):
    """A DOS date and time as a local-time timestamp, as .pyc files hold."""
    try:
        return time.mktime((
            (d >> 9) + 1980,    # bits 9..15: year
            (d >> 5) & 0xF,     # bits 5..8: month
            d & 0x1F,           # bits 0..4: day
            t >> 11,            # bits 11..15: hours
            (t >> 5) & 0x3F,    # bits 5..10: minutes
            (t & 0x1F) * 2,     # bits 0..4: seconds / 2
            -1, -1, -1))
    except (OverflowError, ValueError):
        return 0
