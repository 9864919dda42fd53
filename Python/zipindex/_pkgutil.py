"""pkgutil.iter_modules() over archives read by zipindex.

pkgutil registers, for zipimport's class, a function that reads
zipimport._zip_directory_cache directly (and so fails with KeyError after
an invalidation on 3.13, gh-121342). zipindex's importer subclasses
zipimport's, so it needs its own registration; this module makes it
without importing pkgutil before someone else does.
"""

import sys

from ._importer import native, zipimporter


def iter_modules(importer, prefix=''):
    """(name, ispkg) for each module and package directly under the
    importer's prefix, as pkgutil's iter_zipimport_modules yields them."""
    import inspect
    import os
    names = sorted(name.replace('/', os.sep) for name in native().names(importer._handle))
    _prefix = importer.prefix
    plen = len(_prefix)
    yielded = {}
    for fn in names:
        if not fn.startswith(_prefix):
            continue
        fn = fn[plen:].split(os.sep)
        if len(fn) == 2 and fn[1].startswith('__init__.py'):
            if fn[0] not in yielded:
                yielded[fn[0]] = 1
                yield prefix + fn[0], True
        if len(fn) != 1:
            continue
        modname = inspect.getmodulename(fn[0])
        if modname == '__init__':
            continue
        if modname and '.' not in modname and modname not in yielded:
            yielded[modname] = 1
            yield prefix + modname, False


def register():
    """Register iter_modules with pkgutil now if it is imported, else when
    it is: a finder at the front of sys.meta_path waits for pkgutil and
    wraps its loader to register once the module has run."""
    pkgutil = sys.modules.get('pkgutil')
    if pkgutil is not None:
        pkgutil.iter_importer_modules.register(zipimporter, iter_modules)
    elif not any(isinstance(finder, _PkgutilWatcher) for finder in sys.meta_path):
        sys.meta_path.insert(0, _PkgutilWatcher())


class _PkgutilWatcher:
    """Finds nothing itself: when pkgutil is about to be imported, it takes
    the spec the other finders give and wraps its loader, then leaves."""

    def find_spec(self, name, path=None, target=None):
        if name != 'pkgutil':
            return None
        try:
            sys.meta_path.remove(self)
        except ValueError:
            pass
        import _frozen_importlib as bootstrap
        spec = bootstrap._find_spec(name, path, target)
        if spec is not None and spec.loader is not None and hasattr(spec.loader, 'exec_module'):
            spec.loader = _RegisteringLoader(spec.loader)
        return spec

    def invalidate_caches(self):
        pass


class _RegisteringLoader:
    """Runs pkgutil with its own loader, registers, and puts the loader back."""

    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        create = getattr(self._loader, 'create_module', None)
        return create(spec) if create is not None else None

    def exec_module(self, module):
        loader = self._loader
        module.__loader__ = loader
        if module.__spec__ is not None:
            module.__spec__.loader = loader
        loader.exec_module(module)
        module.iter_importer_modules.register(zipimporter, iter_modules)

    def __getattr__(self, name):
        return getattr(self._loader, name)
