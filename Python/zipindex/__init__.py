"""zipindex: zipimport with the archive cache CPython should have had.

Importing from zip archives on sys.path, with the directory of each
archive read once by ZipIndex (Swift) into a compact table shared by
every importer of it. importlib.invalidate_caches() costs O(1) per
archive and does no I/O (CPython gh-103200); the next lookup revalidates
with one stat, and re-reads the directory only if the archive changed.
Member data is verified (local header, size, CRC-32), so an archive
rewritten in place is never served stale.

    import zipindex
    zipindex.install()            # replace zipimport's hook in sys.path_hooks

or, for every Python process started with this environment (even with -E):

    ZIPINDEX_HOOK=1 python3 app.py

The API:
    zipimporter(path)                     drop-in for zipimport.zipimporter
    install() / uninstall()               swap the hook in sys.path_hooks
    invalidate_caches(path=None)          global, or targeted at one path
    set_policy(path, *, global_invalidation=True, ttl=None)
    get_policy(path)                      -> (global_invalidation, ttl)
    write_module(name, source, directory, *, package=False)
    statistics()                          -> {'hits', 'misses', 'revalidations', 'reloads'}
"""

import sys

if 't' in getattr(sys, 'abiflags', ''):
    raise ImportError("zipindex does not support CPython's free-threaded build "
                      f"({sys.version.split()[0]}{sys.abiflags}): use a standard build")

import os
import zipimport

from . import _importer
from ._importer import ZipImportError, zipimporter, _stock_zipimporter

__all__ = ['zipimporter', 'ZipImportError', 'install', 'uninstall', 'invalidate_caches',
           'set_policy', 'get_policy', 'write_module', 'statistics']

__version__ = '0.1.0'


def install():
    """Make zipindex's importer handle archives on sys.path.

    Replaces zipimport's hook in sys.path_hooks in place (or puts ours
    first if zipimport's is not there), and drops the zipimport finders
    cached in sys.path_importer_cache (and the tables zipimport read for
    them), so that every archive is next found through zipindex. While
    installed, zipindex's class also stands in for zipimport.zipimporter
    (and is named so), so code that makes importers itself, or checks for
    them, gets this one. Calling it again does nothing.
    """
    zipimport.zipimporter = zipimporter
    zipimporter.__module__ = 'zipimport'
    hooks = sys.path_hooks
    if zipimporter not in hooks:
        for index, hook in enumerate(hooks):
            if hook is _stock_zipimporter:
                hooks[index] = zipimporter
                break
        else:
            hooks.insert(0, zipimporter)
    _drop_cached_finders(lambda finder: type(finder) is _stock_zipimporter)
    # Tables that zipimport read before the hook was installed (CPython's
    # own start-up imports scan zips on PYTHONPATH before any .pth runs)
    # now belong to no finder: free them. A zipimport importer that someone
    # still holds reads its archive again if it needs it.
    zipimport._zip_directory_cache.clear()
    _pkgutil_support()


def uninstall():
    """Undo install(): zipimport's hook comes back in place of ours, and
    finders of ours cached in sys.path_importer_cache are dropped."""
    zipimport.zipimporter = _stock_zipimporter
    zipimporter.__module__ = _importer.__name__
    hooks = sys.path_hooks
    for index, hook in enumerate(hooks):
        if hook is zipimporter:
            if _stock_zipimporter in hooks:
                del hooks[index]
            else:
                hooks[index] = _stock_zipimporter
            break
    _drop_cached_finders(lambda finder: isinstance(finder, zipimporter))


def invalidate_caches(path=None):
    """Invalidate cached archive tables, with no I/O.

    With no path: every archive, except those whose policy opts out of
    global invalidation, revalidates on its next lookup: one atomic
    increment however many archives are cached.

    With a path (Brett Cannon's 2013 proposal): only what that path names,
    whatever its policy: an archive, or a directory or member inside one
    ('app.zip/pkg'); or a directory (or a file in it), whose finders in
    sys.path_importer_cache (CPython's FileFinder) then re-list it.
    Returns whether anything was invalidated.
    """
    extension = _importer.native_if_loaded()
    if path is None:
        if extension is not None:
            extension.invalidate_all()
        return True
    path = os.fspath(path)
    if extension is not None and extension.invalidate_path(os.fsencode(path)):
        return True
    directory = path if os.path.isdir(path) else os.path.dirname(path) or os.curdir
    return _invalidate_directory_finders({os.path.realpath(directory)})


def set_policy(path, *, global_invalidation=True, ttl=None):
    """Set when the table of the archive at `path` is checked against the
    file, for every importer of it (gh-103200's opt-out, PJ Eby's TTL).

    global_invalidation=False: importlib.invalidate_caches() and
        invalidate_caches() without a path leave this archive's table alone
        (at no cost); invalidate_caches(path) still reaches it.
    ttl=None: the table is trusted until invalidated (zipimport's rule).
    ttl=seconds: eventual consistency: once the table is older than this,
        the next lookup stats the archive (and re-reads it if it changed),
        with no invalidation needed. ttl=0 checks on every lookup.

    `path` is an archive, optionally followed by a directory inside it.
    Raises ZipImportError if it names no readable archive.
    """
    ttl_ns = -1
    if ttl is not None:
        seconds = float(ttl)
        if not seconds >= 0:
            raise ValueError(f'ttl must be None or a number of seconds >= 0, not {ttl!r}')
        ttl_ns = min(int(seconds * 1e9), 2**63 - 1)
    importer = zipimporter(os.fspath(path))
    _importer.native().set_policy(importer._handle, ttl_ns, bool(global_invalidation))


def get_policy(path):
    """The policy of the archive at `path`: (global_invalidation, ttl),
    with ttl in seconds or None."""
    importer = zipimporter(os.fspath(path))
    ttl_ns, follows = _importer.native().get_policy(importer._handle)
    return follows, (None if ttl_ns < 0 else ttl_ns / 1e9)


def write_module(name, source, directory, *, package=False):
    """Write module `name` (str or bytes source) into `directory` so that
    the very next import sees it (PJ Eby's write_module, 2013).

    'pkg.mod' becomes directory/pkg/mod.py (package=True: directory/pkg/
    __init__.py); missing directories are created. The file is written to a
    temporary name, fsync'ed and renamed into place, so no import ever sees
    half of it. Then CPython's finders for the directories that changed are
    invalidated, so the next import finds the module without a global
    importlib.invalidate_caches(), however coarse the file system's
    timestamps. Returns the path written.
    """
    if isinstance(source, str):
        source = source.encode('utf-8')
    directory = os.fspath(directory)
    extension = _importer.native()
    try:
        target = os.fsdecode(extension.write_module(name, bytes(source), os.fsencode(directory), package))
    except extension.Error as error:
        code, message = error.args
        if code == 1:
            raise ValueError(message) from None
        if code == 2:
            raise NotADirectoryError(message) from None
        raise OSError(message) from None
    root = os.path.realpath(directory)
    changed = {root}
    parent = os.path.realpath(os.path.dirname(target))
    while parent.startswith(root) and parent not in changed:
        changed.add(parent)
        parent = os.path.dirname(parent)
    _invalidate_directory_finders(changed)
    return target


def statistics():
    """The shared cache's counters, summed over every archive:
    hits (lookups answered from a valid table), misses (lookups that had to
    revalidate), revalidations (identity checks), reloads (directory reads)."""
    extension = _importer.native_if_loaded()
    hits, misses, revalidations, reloads = extension.statistics() if extension is not None else (0, 0, 0, 0)
    return {'hits': hits, 'misses': misses, 'revalidations': revalidations, 'reloads': reloads}


def _drop_cached_finders(predicate):
    cache = sys.path_importer_cache
    for key, finder in list(cache.items()):
        if finder is not None and predicate(finder):
            del cache[key]


def _invalidate_directory_finders(directories):
    """Invalidate the cached path-entry finders (FileFinder) whose directory
    is one of `directories` (real paths). Returns whether any was."""
    found = False
    for key, finder in list(sys.path_importer_cache.items()):
        if finder is None or isinstance(finder, zipimporter):
            continue
        location = getattr(finder, 'path', None)
        if isinstance(location, str) and os.path.realpath(location or os.curdir) in directories:
            invalidate = getattr(finder, 'invalidate_caches', None)
            if invalidate is not None:
                invalidate()
                found = True
    return found


def _pkgutil_support():
    """Teach pkgutil.iter_modules() our importer: without importing
    pkgutil now (it is slow to import) if it is not imported yet."""
    from . import _pkgutil
    _pkgutil.register()
