"""importlib.resources for modules in archives, read through ZipIndex.

CPython's zipimport hands out `importlib.readers.ZipReader`, which opens
the archive again with zipfile and parses its directory on every call.
This reader answers from the importer's shared table and reads members
verified, like every other read.
"""

import io
import posixpath

from importlib.resources.abc import Traversable, TraversableResources

from . import _zipindex as _native
from ._importer import _KIND_MODULE


class ArchiveReader(TraversableResources):
    """The resources of one module's directory in an archive."""

    def __init__(self, importer, fullname):
        prefix = importer.prefix.replace('\\', '/')
        found = _native.find(importer._handle, fullname)
        if found is not None and found[0] != _KIND_MODULE:  # a package or namespace: its own directory
            prefix += fullname.rpartition('.')[2] + '/'
        self._importer = importer
        self._directory = prefix.rstrip('/')

    def files(self):
        return ArchivePath(self._importer, self._directory)

    def open_resource(self, resource):
        try:
            return super().open_resource(resource)
        except KeyError as exc:
            raise FileNotFoundError(exc.args[0])

    def is_resource(self, path):
        return self.files().joinpath(path).is_file()


class ArchivePath(Traversable):
    """A file or directory inside an archive, by its path from the root."""

    def __init__(self, importer, at=''):
        self._importer = importer
        self._at = at.strip('/')

    def __repr__(self):
        return f'ArchivePath({self._importer.archive!r}, {self._at!r})'

    def __eq__(self, other):
        return (isinstance(other, ArchivePath) and other._at == self._at
                and other._importer.archive == self._importer.archive)

    def __hash__(self):
        return hash((self._importer.archive, self._at))

    @property
    def name(self):
        return posixpath.basename(self._at)

    def is_dir(self):
        return self._at == '' or _native.is_dir(self._importer._handle, self._at)

    def is_file(self):
        return self._at != '' and _native.entry(self._importer._handle, self._at) is not None

    def iterdir(self):
        if not self.is_dir():
            raise NotADirectoryError(self._at)
        for name in _native.listdir(self._importer._handle, self._at):
            yield self.joinpath(name.rstrip('/'))

    def joinpath(self, *descendants):
        at = self._at
        for part in descendants:
            for piece in str(part).replace('\\', '/').split('/'):
                if piece in ('', '.'):
                    continue
                at = posixpath.dirname(at) if piece == '..' else (f'{at}/{piece}' if at else piece)
        return ArchivePath(self._importer, at)

    __truediv__ = joinpath

    def read_bytes(self):
        if not self.is_file():
            raise FileNotFoundError(self._at)
        return self._importer.get_data(self._at)

    def read_text(self, encoding=None, errors=None):
        return self.read_bytes().decode(encoding or 'utf-8', errors or 'strict')

    def open(self, mode='r', *args, **kwargs):
        if mode not in ('r', 'rb'):
            raise ValueError(f'resources in an archive are read-only (mode {mode!r})')
        data = io.BytesIO(self.read_bytes())
        return data if mode == 'rb' else io.TextIOWrapper(data, *args, **kwargs)
