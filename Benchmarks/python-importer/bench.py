#!/usr/bin/env python3
"""Stock zipimport against zipindex, in one run, under the interpreter that runs this.

    PYTHON bench.py [--quick] [--json OUT]

PYTHON must be an interpreter whose environment has zipindex installed (a
venv with `pip install Python/`): "stock" children run it as it is, with
ZIPINDEX_HOOK unset, so imports from archives go through zipimport;
"zipindex" children run it with ZIPINDEX_HOOK=1, so zipindex.pth installs
zipindex's importer at start-up. Each child checks which importer it got.
Stock and zipindex children alternate; each figure is a median.

Scenarios (README.md says more):
  1. importlib.invalidate_caches(), 2 archives (pyspark-like, py4j-like) and
     100 archives on sys.path, after one import from each: per call.
  2. gh-103200's loop: invalidate_caches(), then find_spec of two deep
     modules (one per archive): per iteration.
  3. A process that imports 500 modules from an archive: wall time.
  4. Start-up: zipindex.pth with ZIPINDEX_HOOK unset (the line alone, and
     site.addpackage of the file), and `python -c pass` with the hook unset
     and set.

The archives are generated in a temporary directory, removed at the end.
Only the standard library is used. Progress goes to stderr, the table to
stdout, and --json OUT writes every figure (and the per-round medians).
"""

import argparse
import gc
import importlib
import importlib.util
import json
import marshal
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

DATE_TIME = (2024, 1, 1, 12, 0, 0)
SEED = 103200

# zipindex re-reads the table of an archive whose mtime or ctime is within
# its timestamp granularity (2 s) of the moment it was read (Git's
# racy-clean rule). Measurements start once every archive is older than this.
SETTLE_SECONDS = 3.0

PYSPARK_MODULES = 1600          # .py files, __init__.py included
PY4J_MODULES = 58
MANY_ARCHIVES = 100
COLD_PACKAGES, COLD_MODULES = 25, 20

# The gh-103200 loop's two deep modules, one in each archive.
DEEP_PYSPARK = 'pyspark.sql.connect.proto.base_pb2'
DEEP_PY4J = 'py4j.tests.java_gateway_test'

PYSPARK_PACKAGES = [
    'pyspark', 'pyspark/cloudpickle', 'pyspark/errors', 'pyspark/errors/exceptions',
    'pyspark/ml', 'pyspark/ml/connect', 'pyspark/ml/deepspeed', 'pyspark/ml/linalg',
    'pyspark/ml/param', 'pyspark/ml/tests', 'pyspark/ml/tests/connect', 'pyspark/ml/torch',
    'pyspark/ml/torch/tests', 'pyspark/mllib', 'pyspark/mllib/linalg', 'pyspark/mllib/stat',
    'pyspark/mllib/tests', 'pyspark/pandas', 'pyspark/pandas/data_type_ops',
    'pyspark/pandas/indexes', 'pyspark/pandas/missing', 'pyspark/pandas/plot',
    'pyspark/pandas/spark', 'pyspark/pandas/tests', 'pyspark/pandas/tests/computation',
    'pyspark/pandas/tests/connect', 'pyspark/pandas/tests/connect/computation',
    'pyspark/pandas/tests/connect/data_type_ops', 'pyspark/pandas/tests/connect/frame',
    'pyspark/pandas/tests/connect/groupby', 'pyspark/pandas/tests/connect/indexes',
    'pyspark/pandas/tests/connect/series', 'pyspark/pandas/tests/data_type_ops',
    'pyspark/pandas/tests/frame', 'pyspark/pandas/tests/groupby',
    'pyspark/pandas/tests/indexes', 'pyspark/pandas/tests/series', 'pyspark/pandas/typedef',
    'pyspark/pandas/usage_logging', 'pyspark/resource', 'pyspark/resource/tests',
    'pyspark/sql', 'pyspark/sql/avro', 'pyspark/sql/connect', 'pyspark/sql/connect/avro',
    'pyspark/sql/connect/client', 'pyspark/sql/connect/proto',
    'pyspark/sql/connect/protobuf', 'pyspark/sql/connect/streaming', 'pyspark/sql/pandas',
    'pyspark/sql/protobuf', 'pyspark/sql/streaming', 'pyspark/sql/tests',
    'pyspark/sql/tests/connect', 'pyspark/sql/tests/connect/client',
    'pyspark/sql/tests/pandas', 'pyspark/sql/tests/streaming', 'pyspark/streaming',
    'pyspark/streaming/tests', 'pyspark/testing', 'pyspark/tests',
]
PYSPARK_NAMED = {
    'pyspark': ['context', 'conf', 'rdd', 'broadcast', 'accumulators', 'serializers',
                'shuffle', 'worker', 'daemon', 'java_gateway', 'version', 'util'],
    'pyspark/sql': ['functions', 'types', 'column', 'dataframe', 'session', 'readwriter',
                    'group', 'window', 'udf', 'catalog', 'conf', 'utils'],
    'pyspark/sql/connect/proto': ['base_pb2', 'commands_pb2', 'common_pb2', 'expressions_pb2',
                                  'relations_pb2', 'types_pb2', 'catalog_pb2',
                                  'base_pb2_grpc'],
}

SOURCE = '''"""{name}: generated for the zipindex importer benchmark."""

__all__ = ["{function}", "Record{index}"]

SCALE = {index}


def {function}(value, scale=SCALE):
    return [value * scale + step for step in range(3)]


class Record{index}:
    __slots__ = ("key", "value")

    def __init__(self, key, value):
        self.key = key
        self.value = value

    def __repr__(self):
        return f"Record{index}({{self.key!r}}, {{self.value!r}})"
'''


# -- Archives -----------------------------------------------------------------

def _source(name, index):
    function = 'compute_' + name.rsplit('/', 1)[-1].replace('.py', '').replace('-', '_')
    return SOURCE.format(name=name, function=function, index=index).encode()


def _pyc(member, source):
    """A timestamp-based .pyc for this interpreter, as a sourceless archive
    holds it (no .py member, so nothing to check it against)."""
    code = compile(source, member[:-1], 'exec', dont_inherit=True)
    return importlib.util.MAGIC_NUMBER + bytes(12) + marshal.dumps(code)


def write_archive(path, packages, bytecode=False):
    """packages: {directory: [module file names]}, written in `zip -r` order
    (each directory's entry, then its files), deflated, with fixed dates.
    bytecode: write each module as .pyc instead of .py. Returns the number
    of entries."""
    entries = 0
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as archive:
        for index, directory in enumerate(sorted(packages)):
            info = zipfile.ZipInfo(directory + '/', DATE_TIME)
            info.external_attr = (0o40755 << 16) | 0x10
            archive.writestr(info, b'')
            entries += 1
            for name in sorted(packages[directory]):
                member = f'{directory}/{name}'
                data = _source(member, index)
                if bytecode:
                    member += 'c'
                    data = _pyc(member, data)
                info = zipfile.ZipInfo(member, DATE_TIME)
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
                entries += 1
    return entries


def _fill(rng, packages, total, named=None):
    """Distribute `total` .py files over `packages` (each gets __init__.py)."""
    tree = {package: ['__init__.py'] + [n + '.py' for n in (named or {}).get(package, [])]
            for package in packages}
    count = sum(len(files) for files in tree.values())
    serial = 0
    while count < total:
        package = rng.choice(packages)
        tree[package].append(f'module_{serial:04d}.py')
        serial += 1
        count += 1
    return tree


def generate(directory):
    """Write every archive and the cold-start driver; returns their description."""
    rng = random.Random(SEED)
    made = {}

    pyspark = os.path.join(directory, 'pyspark-like.zip')
    made['pyspark'] = {'path': pyspark, 'entries': write_archive(
        pyspark, _fill(rng, PYSPARK_PACKAGES, PYSPARK_MODULES, PYSPARK_NAMED))}

    py4j = os.path.join(directory, 'py4j-like.zip')
    py4j_named = {'py4j': ['java_gateway', 'protocol', 'clientserver', 'java_collections',
                           'finalizer', 'compat', 'signals', 'version', 'backport'],
                  'py4j/tests': ['java_gateway_test', 'client_server_test', 'java_list_test',
                                 'java_map_test', 'java_callback_test', 'finalizer_test']}
    made['py4j'] = {'path': py4j, 'entries': write_archive(
        py4j, _fill(rng, ['py4j', 'py4j/tests', 'py4j/tests/memory'], PY4J_MODULES, py4j_named))}

    many = []
    total = 0
    for k in range(MANY_ARCHIVES):
        top = f'lib{k:03d}'
        wanted = 200 + (k * 389) % 801          # 200 .. 1,000 entries, spread evenly
        subpackages = max(1, wanted // 60)
        packages = [top] + [f'{top}/sub{j:02d}' for j in range(subpackages)]
        path = os.path.join(directory, f'{top}.zip')
        entries = write_archive(path, _fill(rng, packages, wanted - len(packages)))
        many.append(path)
        total += entries
    made['many'] = {'paths': many, 'entries': total,
                    'min_entries': None, 'max_entries': None}
    sizes = [len(zipfile.ZipFile(p).namelist()) for p in many]
    made['many']['min_entries'], made['many']['max_entries'] = min(sizes), max(sizes)

    tree = {f'coldapp{p:02d}': ['__init__.py'] + [f'mod{m:02d}.py' for m in range(COLD_MODULES)]
            for p in range(COLD_PACKAGES)}
    for key, bytecode in (('cold', False), ('coldpyc', True)):
        cold = os.path.join(directory, f'{key}500.zip')
        made[key] = {'path': cold, 'entries': write_archive(cold, tree, bytecode),
                     'modules': COLD_PACKAGES * COLD_MODULES}
        driver = os.path.join(directory, f'import500{"pyc" if bytecode else ""}.py')
        with open(driver, 'w') as file:
            file.write(COLD_DRIVER.format(archive=cold, packages=COLD_PACKAGES,
                                          modules=COLD_MODULES))
        made[key]['driver'] = driver
    return made


COLD_DRIVER = '''import sys
sys.path.insert(0, {archive!r})
for p in range({packages}):
    for m in range({modules}):
        __import__(f"coldapp{{p:02d}}.mod{{m:02d}}")
if sys.argv[1:] == ["--check"]:
    finder = sys.path_importer_cache[{archive!r}]
    zi = sys.modules.get("zipindex")
    kind = "zipindex" if zi is not None and isinstance(finder, zi.zipimporter) else type(finder).__module__ + "." + type(finder).__name__
    loaded = [n for n, m in sys.modules.items() if n.startswith("coldapp") and "." in n
              and getattr(m, "__file__", "").startswith({archive!r})]
    print(kind, len(loaded))
'''


def settle(made):
    """Wait until every archive's mtime and ctime are SETTLE_SECONDS old."""
    paths = [made[key]['path'] for key in ('pyspark', 'py4j', 'cold', 'coldpyc')]
    paths += made['many']['paths']
    newest = 0.0
    for path in paths:
        info = os.stat(path)
        newest = max(newest, info.st_mtime, info.st_ctime)
    wait = newest + SETTLE_SECONDS - time.time()
    if wait > 0:
        time.sleep(wait)


# -- Children -----------------------------------------------------------------

def _importer_kind(path):
    finder = sys.path_importer_cache.get(path)
    zi = sys.modules.get('zipindex')
    if zi is not None and isinstance(finder, zi.zipimporter):
        return 'zipindex'
    return f'{type(finder).__module__}.{type(finder).__name__}'


def _sample(function, budget, least, most):
    """Time calls of function() one by one: at least `least`, then until
    `budget` seconds have passed or `most` calls. Returns nanoseconds."""
    samples = []
    gc.collect()
    gc.disable()
    deadline = time.perf_counter() + budget
    clock = time.perf_counter_ns
    while len(samples) < least or (len(samples) < most and time.perf_counter() < deadline):
        start = clock()
        function()
        samples.append(clock() - start)
    gc.enable()
    return samples


def child(kind, directory, budget, least, most):
    result = {'python': platform.python_version()}
    if kind in ('invalidate2', 'invalidate100', 'gh103200'):
        with open(os.path.join(directory, 'archives.json')) as file:
            made = json.load(file)
        if kind == 'invalidate100':
            archives = made['many']['paths']
            tops = [os.path.basename(p)[:-4] for p in archives]
        else:
            archives = [made['pyspark']['path'], made['py4j']['path']]
            tops = ['pyspark', 'py4j']
        sys.path[:0] = archives
        for top in tops:
            importlib.import_module(top)            # one import from each archive
        result['importers'] = sorted({_importer_kind(p) for p in archives})
        if kind == 'gh103200':
            deep = [DEEP_PYSPARK, DEEP_PY4J]
            for name in deep:                       # imports the parent packages once
                importlib.import_module(name.rpartition('.')[0])
            find_spec = importlib.util.find_spec

            def iteration():
                importlib.invalidate_caches()
                if find_spec(deep[0]) is None or find_spec(deep[1]) is None:
                    raise SystemExit('gh103200: a deep module was not found')

            iteration()
            samples = _sample(iteration, budget, least, most)
            for name, archive in zip(deep, archives):
                origin = find_spec(name).origin
                if not origin.startswith(archive + os.sep):
                    raise SystemExit(f'gh103200: {name} found at {origin}, not in {archive}')
            parents = [p for p in sys.path_importer_cache if p.startswith(tuple(archives))]
            result['importers'] = sorted({_importer_kind(p) for p in parents})
            result['path_importers'] = len(parents)
        else:
            importlib.invalidate_caches()           # first call imports what it needs
            samples = _sample(importlib.invalidate_caches, budget, least, most)
        result['samples_ns'] = samples
    elif kind == 'pth':
        import site
        if os.environ.get('ZIPINDEX_HOOK'):
            raise SystemExit('pth: ZIPINDEX_HOOK must be unset')
        for sitedir in site.getsitepackages():
            pth = os.path.join(sitedir, 'zipindex.pth')
            if os.path.exists(pth):
                break
        else:
            raise SystemExit(f'pth: no zipindex.pth in {site.getsitepackages()}')
        with open(pth, encoding='utf-8') as file:
            lines = [line.rstrip() for line in file
                     if line.startswith(('import ', 'import\t'))]
        if not lines:
            raise SystemExit(f'pth: {pth} has no import line')
        namespace = {}

        def line():                                 # what site.addpackage does per line
            for text in lines:
                exec(text, namespace)

        line()
        result['pth'] = pth
        result['line_samples_ns'] = _sample(line, budget, least, most)
        known = set()
        result['addpackage_samples_ns'] = _sample(
            lambda: site.addpackage(sitedir, 'zipindex.pth', known), budget, least, most)
        result['imported_zipindex'] = 'zipindex' in sys.modules
    elif kind == 'probe':
        zi = sys.modules.get('zipindex')
        result['zipindex_loaded'] = zi is not None
        result['zipindex_version'] = getattr(zi, '__version__', None)
        result['hook_installed'] = zi is not None and zi.zipimporter in sys.path_hooks
        if zi is None:
            try:
                import zipindex
                result['zipindex_version'] = zipindex.__version__
            except ImportError as error:
                result['import_error'] = str(error)
    else:
        raise SystemExit(f'unknown child {kind}')
    print(json.dumps(result))


# -- Parent -------------------------------------------------------------------

def environment(ours):
    env = dict(os.environ)
    env.pop('ZIPINDEX_HOOK', None)
    if ours:
        env['ZIPINDEX_HOOK'] = '1'
    return env


def say(message):
    print(f'[bench {platform.python_version()}] {message}', file=sys.stderr, flush=True)


def run_child(kind, ours, directory, budget, least, most):
    command = [sys.executable, os.path.abspath(__file__), '--child', kind, '--dir', directory,
               '--budget', str(budget), '--least', str(least), '--most', str(most)]
    done = subprocess.run(command, env=environment(ours), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f'child {kind} ({"zipindex" if ours else "stock"}) failed '
                         f'({done.returncode}):\n{done.stderr}{done.stdout}')
    return json.loads(done.stdout.strip().splitlines()[-1])


def orders(rounds):
    """Alternate which side goes first: stock/ours, ours/stock, ..."""
    for index in range(rounds):
        yield (False, True) if index % 2 == 0 else (True, False)


def expect_importers(kind, ours, result):
    wanted = ['zipindex'] if ours else ['zipimport.zipimporter']
    if result.get('importers') != wanted:
        raise SystemExit(f'child {kind} ({"zipindex" if ours else "stock"}): importers '
                         f'{result.get("importers")}, expected {wanted}')


def in_process(kind, directory, settings):
    """Rounds of stock and zipindex children; pooled samples (µs) per side."""
    pooled = {False: [], True: []}
    medians = {False: [], True: []}
    extra = {}
    for order in orders(settings['rounds']):
        for ours in order:
            result = run_child(kind, ours, directory, settings['budget'], settings['least'],
                               settings['most'])
            expect_importers(kind, ours, result)
            samples = [ns / 1000 for ns in result['samples_ns']]
            pooled[ours].extend(samples)
            medians[ours].append(statistics.median(samples))
            if 'path_importers' in result:
                extra['path_importers'] = result['path_importers']
    return pooled, medians, extra


def wall(command, runs):
    """Alternating stock/zipindex runs of a whole process; seconds → µs."""
    times = {False: [], True: []}
    for ours in (False, True):                      # warm the page cache, untimed
        subprocess.run(command, env=environment(ours), stdout=subprocess.DEVNULL, check=True)
    for order in orders(runs):
        for ours in order:
            start = time.perf_counter()
            done = subprocess.run(command, env=environment(ours), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                raise SystemExit(f'{command} failed:\n{done.stderr.decode(errors="replace")}')
            times[ours].append(elapsed * 1e6)
    return times


def row(scenario, label, stock_us, ours_us, target=None, met=None, **extra):
    entry = {'scenario': scenario, 'label': label, 'stock_us': stock_us, 'zipindex_us': ours_us,
             'speedup': (stock_us / ours_us) if stock_us and ours_us else None,
             'zipindex_over_stock': (ours_us / stock_us) if stock_us and ours_us else None,
             'target': target, 'target_met': met}
    entry.update(extra)
    return entry


def fmt_time(us):
    if us is None:
        return '—'
    if us < 1000:
        return f'{us:.1f} µs'
    if us < 1_000_000:
        return f'{us / 1000:.2f} ms'
    return f'{us / 1e6:.2f} s'


def fmt_factor(x):
    if x >= 100:
        return f'{x:.0f}×'
    if x >= 10:
        return f'{x:.1f}×'
    return f'{x:.2f}×'


def fmt_ratio(entry):
    speedup = entry['speedup']
    if speedup is None:
        return '—'
    if speedup >= 1:
        return f'{fmt_factor(speedup)} faster'
    return f'{fmt_factor(1 / speedup)} slower'


def table(report):
    lines = [f'CPython {report["python"]}' + (' (quick)' if report['quick'] else '')]
    lines.append(f'{"scenario":<46}{"stock":>12}{"zipindex":>12}  {"ratio":<16}target / note')
    for entry in report['scenarios']:
        target = entry['target'] or ''
        if entry['target_met'] is not None:
            target += ': met' if entry['target_met'] else ': NOT MET'
        lines.append(f'{entry["label"]:<46}{fmt_time(entry["stock_us"]):>12}'
                     f'{fmt_time(entry["zipindex_us"]):>12}  {fmt_ratio(entry):<16}{target}'.rstrip())
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description='stock zipimport against zipindex')
    parser.add_argument('--quick', action='store_true', help='fewer repetitions (smoke test)')
    parser.add_argument('--json', metavar='OUT', help='also write every figure as JSON')
    parser.add_argument('--keep', action='store_true', help='keep the generated archives')
    parser.add_argument('--child', help=argparse.SUPPRESS)
    parser.add_argument('--dir', help=argparse.SUPPRESS)
    parser.add_argument('--budget', type=float, help=argparse.SUPPRESS)
    parser.add_argument('--least', type=int, help=argparse.SUPPRESS)
    parser.add_argument('--most', type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.dir, args.budget, args.least, args.most)

    if args.quick:
        invalidate = {'rounds': 1, 'budget': 0.25, 'least': 5, 'most': 500}
        pth = {'budget': 0.2, 'least': 20, 'most': 2000}
        cold_runs, startup_runs = 5, 7
    else:
        invalidate = {'rounds': 5, 'budget': 1.5, 'least': 5, 'most': 5000}
        pth = {'budget': 1.0, 'least': 100, 'most': 20000}
        cold_runs, startup_runs = 11, 21
    version_info = sys.version_info
    slow_stock = version_info < (3, 13)             # eager re-read in invalidate_caches()

    directory = tempfile.mkdtemp(prefix='zipindex-bench-')
    began = time.perf_counter()
    try:
        probe = run_child('probe', True, directory, 0, 0, 0)
        if not probe['hook_installed']:
            raise SystemExit(f'{sys.executable}: ZIPINDEX_HOOK=1 did not install zipindex '
                             f'(is zipindex installed in this environment?) {probe}')
        if run_child('probe', False, directory, 0, 0, 0)['zipindex_loaded']:
            raise SystemExit('zipindex is loaded at start-up without ZIPINDEX_HOOK')
        say('generating archives')
        made = generate(directory)
        with open(os.path.join(directory, 'archives.json'), 'w') as file:
            json.dump(made, file)
        settle(made)
        say(f'archives ready: pyspark-like {made["pyspark"]["entries"]} entries, py4j-like '
            f'{made["py4j"]["entries"]}, {MANY_ARCHIVES} archives of '
            f'{made["many"]["min_entries"]}-{made["many"]["max_entries"]} '
            f'({made["many"]["entries"]} in all), cold500 {made["cold"]["entries"]} '
            f'(.py and .pyc)')

        scenarios = []

        say('1. invalidate_caches(), 2 archives')
        pooled, medians, _ = in_process('invalidate2', directory, invalidate)
        stock, ours = statistics.median(pooled[False]), statistics.median(pooled[True])
        scenarios.append(row('invalidate_caches_2', 'invalidate_caches(), 2 zips', stock, ours,
                             '≤ 50 µs', ours <= 50, round_medians_us=medians_json(medians),
                             samples=counts(pooled)))

        say(f'1. invalidate_caches(), {MANY_ARCHIVES} archives')
        pooled, medians, _ = in_process('invalidate100', directory, invalidate)
        stock, ours = statistics.median(pooled[False]), statistics.median(pooled[True])
        scenarios.append(row('invalidate_caches_100', f'invalidate_caches(), {MANY_ARCHIVES} zips',
                             stock, ours, None, None, round_medians_us=medians_json(medians),
                             samples=counts(pooled)))

        say('2. gh-103200 loop')
        pooled, medians, extra = in_process('gh103200', directory, invalidate)
        stock, ours = statistics.median(pooled[False]), statistics.median(pooled[True])
        if slow_stock:
            target, met = '≥ 100× faster', stock / ours >= 100
        else:
            target, met = 'faster', ours < stock
        scenarios.append(row('gh103200', 'gh-103200 loop (invalidate + 2 find_spec)', stock, ours,
                             target, met, round_medians_us=medians_json(medians),
                             samples=counts(pooled), modules=[DEEP_PYSPARK, DEEP_PY4J], **extra))

        for key, label, name, target in (
                ('cold', 'process importing 500 modules (.py)', 'cold_import_500',
                 'zipindex/stock ≤ 1.05'),
                ('coldpyc', 'process importing 500 modules (.pyc)', 'cold_import_500_pyc', None)):
            say(f'3. {label}: whole process')
            driver = made[key]['driver']
            for ours in (False, True):
                done = subprocess.run([sys.executable, driver, '--check'], env=environment(ours),
                                      capture_output=True, text=True, check=True)
                kind, loaded = done.stdout.split()
                expected = 'zipindex' if ours else 'zipimport.zipimporter'
                if kind != expected or int(loaded) != made[key]['modules']:
                    raise SystemExit(f'{label} check: {done.stdout!r}, expected {expected} '
                                     f'{made[key]["modules"]}')
            times = wall([sys.executable, driver], cold_runs)
            stock, ours = statistics.median(times[False]), statistics.median(times[True])
            scenarios.append(row(name, label, stock, ours, target,
                                 (ours / stock <= 1.05) if target else None,
                                 runs_us={'stock': times[False], 'zipindex': times[True]}))

        say('4. start-up: zipindex.pth with ZIPINDEX_HOOK unset')
        result = run_child('pth', False, directory, pth['budget'], pth['least'], pth['most'])
        if result['imported_zipindex']:
            raise SystemExit('pth child: the .pth line imported zipindex with ZIPINDEX_HOOK unset')
        line = statistics.median(result['line_samples_ns']) / 1000
        addpackage = statistics.median(result['addpackage_samples_ns']) / 1000
        scenarios.append(row('pth_line_unset', 'zipindex.pth line, hook unset', None, line,
                             '< 2 ms', line < 2000, pth=result['pth'],
                             samples=len(result['line_samples_ns'])))
        scenarios.append(row('pth_addpackage_unset', 'site.addpackage(zipindex.pth), hook unset',
                             None, addpackage, '< 2 ms', addpackage < 2000,
                             samples=len(result['addpackage_samples_ns'])))

        say('4. start-up: python -c pass, hook unset (stock) and ZIPINDEX_HOOK=1')
        times = wall([sys.executable, '-c', 'pass'], startup_runs)
        stock, ours = statistics.median(times[False]), statistics.median(times[True])
        scenarios.append(row('startup_pass', 'python -c pass (hook unset vs =1)', stock, ours,
                             f'+{fmt_time(ours - stock)} to load zipindex', None,
                             runs_us={'stock': times[False], 'zipindex': times[True]}))

        report = {'python': platform.python_version(), 'executable': sys.executable,
                  'quick': args.quick, 'zipindex_version': probe['zipindex_version'],
                  'platform': platform.platform(), 'cpus': os.cpu_count(),
                  'archives': {'pyspark_like_entries': made['pyspark']['entries'],
                               'py4j_like_entries': made['py4j']['entries'],
                               'many_archives': MANY_ARCHIVES,
                               'many_entries_total': made['many']['entries'],
                               'many_entries_min': made['many']['min_entries'],
                               'many_entries_max': made['many']['max_entries'],
                               'cold_entries': made['cold']['entries'],
                               'cold_pyc_entries': made['coldpyc']['entries']},
                  'settings': {'in_process': invalidate, 'pth': pth, 'cold_runs': cold_runs,
                               'startup_runs': startup_runs},
                  'seconds': None, 'scenarios': scenarios}
    finally:
        if args.keep:
            say(f'archives kept in {directory}')
        else:
            shutil.rmtree(directory, ignore_errors=True)
    report['seconds'] = round(time.perf_counter() - began, 1)
    say(f'done in {report["seconds"]} s')
    print(table(report))
    if args.json:
        with open(args.json, 'w') as file:
            json.dump(report, file, indent=1, ensure_ascii=False)
            file.write('\n')


def medians_json(medians):
    return {'stock': medians[False], 'zipindex': medians[True]}


def counts(pooled):
    return {'stock': len(pooled[False]), 'zipindex': len(pooled[True])}


if __name__ == '__main__':
    main()
