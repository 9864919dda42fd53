"""The in-tree PEP 517 backend of the zipindex distribution.

build_wheel runs `swift build -c release` on Python/Package.swift (the
Swift runtime linked statically, only PyInit__zipindex exported), strips
the library and packs it as zipindex/_zipindex.abi3.so with the Python
package and the start-up .pth into one wheel tagged cp311-abi3-<platform>,
which every CPython from 3.11 loads. It needs nothing from the package
index: the standard library, `swift` on PATH and Python's headers.
"""

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import tomllib
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ABI_TAG = 'cp311-abi3'
# The .pth line: os is already imported by site, so without the variable
# start-up pays for one dictionary lookup.
PTH_LINE = ('import os; os.environ.get("ZIPINDEX_HOOK") == "1" '
            'and __import__("zipindex._startup")\n')


def _project():
    with open(os.path.join(HERE, 'pyproject.toml'), 'rb') as file:
        return tomllib.load(file)['project']


def _check_interpreter():
    if sys.version_info < (3, 11):
        raise RuntimeError('zipindex needs CPython 3.11 or later')
    if sysconfig.get_config_var('Py_GIL_DISABLED'):
        raise RuntimeError("zipindex does not support CPython's free-threaded build: "
                           'its extension relies on the GIL (see Python/README.md)')


def _platform_tag():
    return sysconfig.get_platform().replace('-', '_').replace('.', '_')


def _build_library():
    """Runs swift build and returns the path of the built library."""
    swift = shutil.which('swift')
    if swift is None:
        raise RuntimeError('building zipindex needs a Swift toolchain (6.1 or later) on PATH')
    include = sysconfig.get_paths()['include']
    if not os.path.exists(os.path.join(include, 'Python.h')):
        raise RuntimeError(f"Python's headers are not in {include}: install the development files")
    arguments = [
        swift, 'build', '-c', 'release', '--product', '_zipindex',
        '-Xswiftc', '-static-stdlib',
        '-Xcc', f'-I{include}',
        '-Xlinker', f'--version-script={os.path.join(HERE, "exports.map")}',
    ]
    print(' '.join(arguments), file=sys.stderr, flush=True)
    subprocess.run(arguments, cwd=HERE, check=True, stdout=sys.stderr)
    bin_path = subprocess.run(arguments[:4] + ['--show-bin-path'], cwd=HERE, check=True,
                              capture_output=True, text=True).stdout.strip()
    library = os.path.join(bin_path, 'lib_zipindex.so')
    if not os.path.exists(library):
        raise RuntimeError(f'swift build did not produce {library}')
    return library


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
    return f'{path},sha256={digest},{len(data)}'


def _wheel_files(library):
    """(archive name, bytes) of every file of the wheel but RECORD."""
    project = _project()
    name, version = project['name'], project['version']
    dist_info = f'{name}-{version}.dist-info'
    files = []
    package = os.path.join(HERE, 'zipindex')
    for entry in sorted(os.listdir(package)):
        if entry.endswith('.py'):
            with open(os.path.join(package, entry), 'rb') as file:
                files.append((f'zipindex/{entry}', file.read()))
    with tempfile.TemporaryDirectory() as scratch:
        stripped = os.path.join(scratch, 'lib.so')
        shutil.copyfile(library, stripped)
        strip = shutil.which('strip')
        if strip is not None:
            subprocess.run([strip, '--strip-unneeded', stripped], check=True)
        with open(stripped, 'rb') as file:
            files.append(('zipindex/_zipindex.abi3.so', file.read()))
    files.append(('zipindex.pth', PTH_LINE.encode()))
    readme = ''
    readme_path = os.path.join(HERE, 'README.md')
    if os.path.exists(readme_path):
        with open(readme_path, encoding='utf-8') as file:
            readme = file.read()
    metadata = [
        'Metadata-Version: 2.1',
        f'Name: {name}',
        f'Version: {version}',
        f'Summary: {project.get("description", "")}',
        f'Requires-Python: {project.get("requires-python", ">=3.11")}',
        f'License: {project.get("license", {}).get("text", "")}',
    ]
    metadata += [f'Classifier: {classifier}' for classifier in project.get('classifiers', [])]
    metadata += ['Description-Content-Type: text/markdown', '', readme]
    files.append((f'{dist_info}/METADATA', '\n'.join(metadata).encode()))
    tag = f'{ABI_TAG}-{_platform_tag()}'
    wheel = ['Wheel-Version: 1.0', 'Generator: zipindex_build', 'Root-Is-Purelib: false', f'Tag: {tag}', '']
    files.append((f'{dist_info}/WHEEL', '\n'.join(wheel).encode()))
    files.append((f'{dist_info}/top_level.txt', b'zipindex\n'))
    return dist_info, tag, files


# -- PEP 517 hooks -----------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _check_interpreter()
    library = _build_library()
    dist_info, tag, files = _wheel_files(library)
    project = _project()
    filename = f'{project["name"]}-{project["version"]}-{tag}.whl'
    record = [_record_line(path, data) for path, data in files] + [f'{dist_info}/RECORD,,']
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), 'w', zipfile.ZIP_DEFLATED) as wheel:
        for path, data in files:
            info = zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o755 if path.endswith('.so') else 0o644) << 16
            wheel.writestr(info, data)
        wheel.writestr(f'{dist_info}/RECORD', '\n'.join(record) + '\n')
    return filename


def build_sdist(sdist_directory, config_settings=None):
    raise RuntimeError('zipindex builds from a checkout of the ZipIndex repository (the Swift '
                       'package above Python/ is part of the build): use '
                       '`python3 -m pip wheel ./Python` or `python3 -m pip install ./Python`')
