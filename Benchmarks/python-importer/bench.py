#!/usr/bin/env python3
"""Stock zipimport against zipindex, in one run, under the interpreter that runs this.

    PYTHON bench.py [--quick] [--json OUT] [--keep]

PYTHON's environment must have zipindex installed. "Stock" children run with
ZIPINDEX_HOOK unset (zipimport), "zipindex" children with ZIPINDEX_HOOK=1 (the
installed zipindex.pth installs zipindex's importer); each child checks which
importer it got, and the two sides alternate. README.md describes the
scenarios. Progress goes to stderr, the table to stdout, --json OUT writes
every figure. The archives are generated in a temporary directory (--keep
keeps it). Standard library only.
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

DATE_TIME, SEED = (2024, 1, 1, 12, 0, 0), 103200
# zipindex re-reads an archive changed within 2 s of reading it (Git's racy-clean
# rule): measuring starts once every archive is older than this.
SETTLE_SECONDS = 3.0
PYSPARK_MODULES, PY4J_MODULES, MANY_ARCHIVES, COLD_PACKAGES, COLD_MODULES = 1600, 58, 100, 25, 20
DEEP = ('pyspark.sql.connect.proto.base_pb2', 'py4j.tests.java_gateway_test')  # the gh-103200 loop's modules
PYSPARK_PACKAGES = ['pyspark' + p for p in '''
    /cloudpickle /errors /errors/exceptions /ml /ml/connect /ml/deepspeed /ml/linalg /ml/param /ml/tests
    /ml/tests/connect /ml/torch /ml/torch/tests /mllib /mllib/linalg /mllib/stat /mllib/tests /pandas
    /pandas/data_type_ops /pandas/indexes /pandas/missing /pandas/plot /pandas/spark /pandas/tests
    /pandas/tests/computation /pandas/tests/connect /pandas/tests/connect/computation
    /pandas/tests/connect/data_type_ops /pandas/tests/connect/frame /pandas/tests/connect/groupby
    /pandas/tests/connect/indexes /pandas/tests/connect/series /pandas/tests/data_type_ops /pandas/tests/frame
    /pandas/tests/groupby /pandas/tests/indexes /pandas/tests/series /pandas/typedef /pandas/usage_logging
    /resource /resource/tests /sql /sql/avro /sql/connect /sql/connect/avro /sql/connect/client
    /sql/connect/proto /sql/connect/protobuf /sql/connect/streaming /sql/pandas /sql/protobuf /sql/streaming
    /sql/tests /sql/tests/connect /sql/tests/connect/client /sql/tests/pandas /sql/tests/streaming /streaming
    /streaming/tests /testing /tests'''.split()]
PYSPARK_PACKAGES.insert(0, 'pyspark')
PYSPARK_NAMED = {
    'pyspark': 'context conf rdd broadcast accumulators serializers shuffle worker daemon java_gateway version util',
    'pyspark/sql': 'functions types column dataframe session readwriter group window udf catalog conf utils',
    'pyspark/sql/connect/proto': 'base_pb2 commands_pb2 common_pb2 expressions_pb2 relations_pb2 types_pb2 catalog_pb2 '
                                 'base_pb2_grpc'}
PY4J_NAMED = {'py4j': 'java_gateway protocol clientserver java_collections finalizer compat signals version backport',
              'py4j/tests': 'java_gateway_test client_server_test java_list_test java_map_test java_callback_test '
                            'finalizer_test'}
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


# -- Archives -----------------------------------------------------------------

def write_archive(path, packages, bytecode=False):
    """{directory: [module files]} in `zip -r` order (each directory's entry, then
    its files), deflated, fixed dates; bytecode: timestamp .pyc instead of .py.
    Returns the number of entries."""
    count = 0
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as archive:
        for index, directory in enumerate(sorted(packages)):
            info = zipfile.ZipInfo(directory + '/', DATE_TIME)
            info.external_attr = (0o40755 << 16) | 0x10
            archive.writestr(info, b'')
            for name in sorted(packages[directory]):
                member = f'{directory}/{name}'
                function = 'compute_' + name.replace('.py', '').replace('-', '_')
                data = SOURCE.format(name=member, function=function, index=index).encode()
                if bytecode:
                    member += 'c'
                    code = compile(data, member[:-1], 'exec', dont_inherit=True)
                    data = importlib.util.MAGIC_NUMBER + bytes(12) + marshal.dumps(code)
                info = zipfile.ZipInfo(member, DATE_TIME)
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
            count += 1 + len(packages[directory])
    return count


def fill(rng, packages, total, named={}):
    """`total` .py files over `packages`: each gets __init__.py and its named modules."""
    tree = {p: ['__init__.py'] + [n + '.py' for n in named.get(p, '').split()] for p in packages}
    for serial in range(total - sum(len(files) for files in tree.values())):
        tree[rng.choice(packages)].append(f'module_{serial:04d}.py')
    return tree


def generate(directory):
    """Every archive and the cold-start drivers; returns their description."""
    rng, made = random.Random(SEED), {}
    for key, packages, total, named in (('pyspark', PYSPARK_PACKAGES, PYSPARK_MODULES, PYSPARK_NAMED),
                                        ('py4j', ['py4j', 'py4j/tests', 'py4j/tests/memory'], PY4J_MODULES, PY4J_NAMED)):
        path = os.path.join(directory, f'{key}-like.zip')
        made[key] = {'path': path, 'entries': write_archive(path, fill(rng, packages, total, named))}
    many, sizes = [], []
    for k in range(MANY_ARCHIVES):
        top, wanted = f'lib{k:03d}', 200 + (k * 389) % 801  # 200 .. 1,000 entries, spread evenly
        packages = [top] + [f'{top}/sub{j:02d}' for j in range(max(1, wanted // 60))]
        many.append(os.path.join(directory, f'{top}.zip'))
        sizes.append(write_archive(many[-1], fill(rng, packages, wanted - len(packages))))
    made['many'] = {'paths': many, 'entries': sum(sizes), 'min_entries': min(sizes), 'max_entries': max(sizes)}
    tree = {f'coldapp{p:02d}': ['__init__.py'] + [f'mod{m:02d}.py' for m in range(COLD_MODULES)]
            for p in range(COLD_PACKAGES)}
    for key, bytecode in (('cold', False), ('coldpyc', True)):
        path = os.path.join(directory, f'{key}500.zip')
        driver = os.path.join(directory, f'import500{"pyc" * bytecode}.py')
        with open(driver, 'w') as file:
            file.write(COLD_DRIVER.format(archive=path, packages=COLD_PACKAGES, modules=COLD_MODULES))
        made[key] = {'path': path, 'entries': write_archive(path, tree, bytecode),
                     'modules': COLD_PACKAGES * COLD_MODULES, 'driver': driver}
    newest = max(max(s.st_mtime, s.st_ctime) for s in map(os.stat, many + [made[k]['path'] for k in
                                                                          ('pyspark', 'py4j', 'cold', 'coldpyc')]))
    time.sleep(max(0, newest + SETTLE_SECONDS - time.time()))
    return made


# -- Children -------------------------------------------------------------------

def importer_kind(path):
    finder, zi = sys.path_importer_cache.get(path), sys.modules.get('zipindex')
    if zi is not None and isinstance(finder, zi.zipimporter):
        return 'zipindex'
    return f'{type(finder).__module__}.{type(finder).__name__}'


def sample(function, budget, least, most):
    """Calls of function() timed one by one: at least `least`, then until `budget`
    seconds have passed or `most` calls, with the garbage collector off. In ns."""
    samples, clock = [], time.perf_counter_ns
    gc.collect()
    gc.disable()
    deadline = time.perf_counter() + budget
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
        archives = made['many']['paths'] if kind == 'invalidate100' else [made['pyspark']['path'], made['py4j']['path']]
        sys.path[:0] = archives
        for top in [os.path.basename(p)[:-4] for p in archives] if kind == 'invalidate100' else ['pyspark', 'py4j']:
            importlib.import_module(top)  # one import from each archive
        result['importers'] = sorted({importer_kind(p) for p in archives})
        if kind == 'gh103200':
            for name in DEEP:  # imports the parent packages once
                importlib.import_module(name.rpartition('.')[0])
            find_spec = importlib.util.find_spec

            def iteration():
                importlib.invalidate_caches()
                if find_spec(DEEP[0]) is None or find_spec(DEEP[1]) is None:
                    raise SystemExit('gh103200: a deep module was not found')

            iteration()
            result['samples_ns'] = sample(iteration, budget, least, most)
            for name, archive in zip(DEEP, archives):
                if not find_spec(name).origin.startswith(archive + os.sep):
                    raise SystemExit(f'gh103200: {name} found at {find_spec(name).origin}, not in {archive}')
            parents = [p for p in sys.path_importer_cache if p.startswith(tuple(archives))]
            result['importers'], result['path_importers'] = sorted({importer_kind(p) for p in parents}), len(parents)
        else:
            importlib.invalidate_caches()  # the first call imports what it needs
            result['samples_ns'] = sample(importlib.invalidate_caches, budget, least, most)
    elif kind == 'pth':  # what site.addpackage does with zipindex.pth at start-up, hook unset
        import site
        pth = next((os.path.join(d, 'zipindex.pth') for d in site.getsitepackages()
                    if os.path.exists(os.path.join(d, 'zipindex.pth'))), None)
        if os.environ.get('ZIPINDEX_HOOK') or pth is None:
            raise SystemExit(f'pth: ZIPINDEX_HOOK must be unset and zipindex.pth in {site.getsitepackages()}')
        with open(pth, encoding='utf-8') as file:
            lines = [line.rstrip() for line in file if line.startswith(('import ', 'import\t'))]
        if not lines:
            raise SystemExit(f'pth: {pth} has no import line')
        namespace = {}

        def line():
            for text in lines:
                exec(text, namespace)

        line()
        result['pth'], result['line_samples_ns'] = pth, sample(line, budget, least, most)
        known = set()
        result['addpackage_samples_ns'] = sample(lambda: site.addpackage(os.path.dirname(pth), 'zipindex.pth', known),
                                                 budget, least, most)
        result['imported_zipindex'] = 'zipindex' in sys.modules
    elif kind == 'probe':
        zi = sys.modules.get('zipindex')
        result.update(zipindex_loaded=zi is not None, hook_installed=zi is not None and zi.zipimporter in sys.path_hooks,
                      zipindex_version=getattr(zi, '__version__', None))
    print(json.dumps(result))


# -- Parent -------------------------------------------------------------------------

def environment(ours):
    env = {k: v for k, v in os.environ.items() if k != 'ZIPINDEX_HOOK'}
    return dict(env, ZIPINDEX_HOOK='1') if ours else env


def say(message):
    print(f'[bench {platform.python_version()}] {message}', file=sys.stderr, flush=True)


def run_child(kind, ours, directory, budget=0, least=0, most=0):
    done = subprocess.run([sys.executable, os.path.abspath(__file__), '--child', kind, '--dir', directory, '--budget',
                           str(budget), '--least', str(least), '--most', str(most)],
                          env=environment(ours), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f'child {kind} ({"zipindex" if ours else "stock"}) failed ({done.returncode}):\n'
                         f'{done.stderr}{done.stdout}')
    return json.loads(done.stdout.strip().splitlines()[-1])


def orders(rounds):
    """Stock first in even rounds, zipindex first in odd ones."""
    return [(False, True) if index % 2 == 0 else (True, False) for index in range(rounds)]


def in_process(kind, directory, settings):
    """Rounds of stock and zipindex children: pooled samples (µs) and round medians per side."""
    pooled, medians, extra = {False: [], True: []}, {False: [], True: []}, {}
    for order in orders(settings['rounds']):
        for ours in order:
            result = run_child(kind, ours, directory, settings['budget'], settings['least'], settings['most'])
            wanted = ['zipindex'] if ours else ['zipimport.zipimporter']
            if result.get('importers') != wanted:
                raise SystemExit(f'child {kind}: importers {result.get("importers")}, expected {wanted}')
            samples = [ns / 1000 for ns in result['samples_ns']]
            pooled[ours] += samples
            medians[ours].append(statistics.median(samples))
            extra.update({k: result[k] for k in ('path_importers',) if k in result})
    return pooled, medians, extra


def wall(command, runs):
    """Whole processes, stock and zipindex alternating after one untimed run of each: µs."""
    times = {False: [], True: []}
    for ours in (False, True):
        subprocess.run(command, env=environment(ours), stdout=subprocess.DEVNULL, check=True)
    for order in orders(runs):
        for ours in order:
            start = time.perf_counter()
            done = subprocess.run(command, env=environment(ours), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            times[ours].append((time.perf_counter() - start) * 1e6)
            if done.returncode != 0:
                raise SystemExit(f'{command} failed:\n{done.stderr.decode(errors="replace")}')
    return times


def row(scenario, label, stock, ours, target=None, met=None, **extra):
    ratio = stock and ours and stock / ours
    return dict(scenario=scenario, label=label, stock_us=stock, zipindex_us=ours, speedup=ratio or None,
                zipindex_over_stock=ratio and 1 / ratio or None, target=target, target_met=met, **extra)


def fmt_time(us):
    if us is None:
        return '—'
    return f'{us:.1f} µs' if us < 1000 else f'{us / 1000:.2f} ms' if us < 1e6 else f'{us / 1e6:.2f} s'


def fmt_ratio(speedup):
    if speedup is None:
        return '—'
    x = speedup if speedup >= 1 else 1 / speedup
    return f'{x:.{0 if x >= 100 else 1 if x >= 10 else 2}f}× ' + ('faster' if speedup >= 1 else 'slower')


def table(report):
    lines = [f'CPython {report["python"]}' + ' (quick)' * report['quick'],
             f'{"scenario":<46}{"stock":>12}{"zipindex":>12}  {"ratio":<16}target / note']
    for e in report['scenarios']:
        target = (e['target'] or '') + ('' if e['target_met'] is None else ': met' if e['target_met'] else ': NOT MET')
        lines.append(f'{e["label"]:<46}{fmt_time(e["stock_us"]):>12}{fmt_time(e["zipindex_us"]):>12}  '
                     f'{fmt_ratio(e["speedup"]):<16}{target}'.rstrip())
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description='stock zipimport against zipindex')
    parser.add_argument('--quick', action='store_true', help='fewer repetitions (smoke test)')
    parser.add_argument('--json', metavar='OUT', help='also write every figure as JSON')
    parser.add_argument('--keep', action='store_true', help='keep the generated archives')
    for hidden, kind in (('--child', str), ('--dir', str), ('--budget', float), ('--least', int), ('--most', int)):
        parser.add_argument(hidden, type=kind, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.dir, args.budget, args.least, args.most)

    # Each child samples for a time budget: stock 3.11 and 3.12 re-read every archive in every call.
    if args.quick:
        settings, pth, cold_runs, startup_runs = {'rounds': 1, 'budget': 0.25, 'least': 5, 'most': 500}, \
            {'budget': 0.2, 'least': 20, 'most': 2000}, 5, 7
    else:
        settings, pth, cold_runs, startup_runs = {'rounds': 5, 'budget': 1.5, 'least': 5, 'most': 5000}, \
            {'budget': 1.0, 'least': 100, 'most': 20000}, 11, 21
    directory, began, scenarios = tempfile.mkdtemp(prefix='zipindex-bench-'), time.perf_counter(), []
    try:
        probe = run_child('probe', True, directory)
        if not probe['hook_installed']:
            raise SystemExit(f'{sys.executable}: ZIPINDEX_HOOK=1 did not install zipindex (is it installed?) {probe}')
        if run_child('probe', False, directory)['zipindex_loaded']:
            raise SystemExit('zipindex is loaded at start-up without ZIPINDEX_HOOK')
        say('generating archives')
        made = generate(directory)
        with open(os.path.join(directory, 'archives.json'), 'w') as file:
            json.dump(made, file)
        say(f'archives: pyspark-like {made["pyspark"]["entries"]} entries, py4j-like {made["py4j"]["entries"]}, '
            f'{MANY_ARCHIVES} of {made["many"]["min_entries"]}-{made["many"]["max_entries"]} ({made["many"]["entries"]} '
            f'in all), cold500 {made["cold"]["entries"]} (.py and .pyc)')

        for kind, name, label in (('invalidate2', 'invalidate_caches_2', 'invalidate_caches(), 2 zips'),
                                  ('invalidate100', 'invalidate_caches_100', f'invalidate_caches(), {MANY_ARCHIVES} zips'),
                                  ('gh103200', 'gh103200', 'gh-103200 loop (invalidate + 2 find_spec)')):
            say(label)
            pooled, medians, extra = in_process(kind, directory, settings)
            stock, ours = statistics.median(pooled[False]), statistics.median(pooled[True])
            target, met = {'invalidate2': ('≤ 50 µs', ours <= 50), 'invalidate100': (None, None),
                           'gh103200': ('≥ 100× faster', stock / ours >= 100) if sys.version_info < (3, 13) else
                           ('faster', ours < stock)}[kind]
            scenarios.append(row(name, label, stock, ours, target, met, **extra,
                                 round_medians_us={'stock': medians[False], 'zipindex': medians[True]},
                                 samples={'stock': len(pooled[False]), 'zipindex': len(pooled[True])},
                                 **({'modules': list(DEEP)} if kind == 'gh103200' else {})))

        for key, label, name, target in (('cold', 'process importing 500 modules (.py)', 'cold_import_500',
                                          'zipindex/stock ≤ 1.05'),
                                         ('coldpyc', 'process importing 500 modules (.pyc)', 'cold_import_500_pyc', None)):
            say(f'{label}: whole process')
            for ours in (False, True):
                done = subprocess.run([sys.executable, made[key]['driver'], '--check'], env=environment(ours),
                                      capture_output=True, text=True, check=True)
                expected = f'{"zipindex" if ours else "zipimport.zipimporter"} {made[key]["modules"]}'
                if done.stdout.split() != expected.split():
                    raise SystemExit(f'{label} check: {done.stdout!r}, expected {expected}')
            times = wall([sys.executable, made[key]['driver']], cold_runs)
            stock, ours = statistics.median(times[False]), statistics.median(times[True])
            scenarios.append(row(name, label, stock, ours, target, (ours / stock <= 1.05) if target else None,
                                 runs_us={'stock': times[False], 'zipindex': times[True]}))

        say('start-up: zipindex.pth with ZIPINDEX_HOOK unset')
        result = run_child('pth', False, directory, pth['budget'], pth['least'], pth['most'])
        if result['imported_zipindex']:
            raise SystemExit('pth child: the .pth line imported zipindex with ZIPINDEX_HOOK unset')
        for name, label, samples in (('pth_line_unset', 'zipindex.pth line, hook unset', 'line_samples_ns'),
                                     ('pth_addpackage_unset', 'site.addpackage(zipindex.pth), hook unset',
                                      'addpackage_samples_ns')):
            us = statistics.median(result[samples]) / 1000
            scenarios.append(row(name, label, None, us, '< 2 ms', us < 2000, samples=len(result[samples]),
                                 **({'pth': result['pth']} if samples == 'line_samples_ns' else {})))

        say('start-up: python -c pass, hook unset (stock) and ZIPINDEX_HOOK=1')
        times = wall([sys.executable, '-c', 'pass'], startup_runs)
        stock, ours = statistics.median(times[False]), statistics.median(times[True])
        scenarios.append(row('startup_pass', 'python -c pass (hook unset vs =1)', stock, ours,
                             f'+{fmt_time(ours - stock)} to load zipindex', None,
                             runs_us={'stock': times[False], 'zipindex': times[True]}))
    finally:
        if args.keep:
            say(f'archives kept in {directory}')
        else:
            shutil.rmtree(directory, ignore_errors=True)
    report = {'python': platform.python_version(), 'executable': sys.executable, 'quick': args.quick,
              'zipindex_version': probe['zipindex_version'], 'platform': platform.platform(), 'cpus': os.cpu_count(),
              'archives': {k: v['entries'] for k, v in made.items()},
              'settings': {'in_process': settings, 'pth': pth, 'cold_runs': cold_runs, 'startup_runs': startup_runs},
              'seconds': round(time.perf_counter() - began, 1), 'scenarios': scenarios}
    say(f'done in {report["seconds"]} s')
    print(table(report))
    if args.json:
        with open(args.json, 'w') as file:
            json.dump(report, file, indent=1, ensure_ascii=False)
            file.write('\n')


if __name__ == '__main__':
    main()
