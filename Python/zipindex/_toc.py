"""The zipimport-compatible view of an archive's members.

zipimport keeps `{name: toc_entry}` dicts in `_zip_directory_cache`, and
some code (CPython's own tests, setuptools, pkgutil) reads them through the
private `zi._files` (3.10-3.12) or `zi._get_files()` (3.13). zipindex keeps
no such dict: this read-only mapping answers from the Swift table.
"""

from collections.abc import Mapping

from . import _zipindex as _native
from ._importer import path_sep


class TableView(Mapping):
    """Member name -> (path, compress, data_size, file_size, file_offset,
    time, date, crc), as zipimport's toc entries. Empty while the archive is
    unavailable. Names use the platform's separator, as zipimport's keys."""

    __slots__ = ('_importer',)

    def __init__(self, importer):
        self._importer = importer

    def _key(self, name):
        return name.replace('/', path_sep) if path_sep != '/' else name

    def __getitem__(self, key):
        if not isinstance(key, str):
            raise KeyError(key)
        name = key.replace(path_sep, '/') if path_sep != '/' else key
        entry = _native.entry(self._importer._handle, name)
        if entry is None:
            raise KeyError(key)
        method, compressed, uncompressed, date_time, crc, offset = entry
        return (f'{self._importer.archive}{path_sep}{key}', method, compressed, uncompressed,
                offset, date_time & 0xFFFF, date_time >> 16, crc)

    def __contains__(self, key):
        if not isinstance(key, str):
            return False
        name = key.replace(path_sep, '/') if path_sep != '/' else key
        return _native.entry(self._importer._handle, name) is not None

    def __iter__(self):
        return iter(dict.fromkeys(self._key(name) for name in _native.names(self._importer._handle)))

    def __len__(self):
        return len(dict.fromkeys(_native.names(self._importer._handle)))

    def __repr__(self):
        return f'<zipindex member table of {self._importer.archive!r}>'
