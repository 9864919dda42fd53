"""What must never happen through the bridge: a crash or hang of the
interpreter on a hostile archive, a child forked during reads that hangs,
the GIL held during I/O; and what must always work: subinterpreters,
start-up through the .pth, an interpreter with an empty environment."""

import os
import signal
import site
import subprocess
import sys
import textwrap
import threading
import time
import unittest
import warnings
import zipfile
import zipimport

import zipindex

from support import HOSTILE, FIXTURES, ImportTestCase, make_zip


def run_python(code, env=None, timeout=120, args=()):
    return subprocess.run([sys.executable, *args, '-c', code], capture_output=True, text=True,
                          env=env, timeout=timeout)


class HostileArchiveTests(unittest.TestCase):
    def test_every_hostile_archive_gives_an_exception_or_none_never_a_crash(self):
        # In a child, so that a crash is reported as such, with the file it was on.
        archives = sorted(os.path.join(HOSTILE, name) for name in os.listdir(HOSTILE) if name.endswith('.zip'))
        archives += sorted(os.path.join(FIXTURES, name) for name in os.listdir(FIXTURES) if name.endswith('.zip'))
        self.assertGreater(len(archives), 20)
        code = textwrap.dedent('''
            import sys, zipimport, zipindex
            for path in sys.argv[1:]:
                print('archive', path, flush=True)
                try:
                    importer = zipindex.zipimporter(path)
                except zipimport.ZipImportError:
                    continue
                names = list(importer._get_files())
                stems = {name.rsplit('.', 1)[0].rsplit('/', 1)[-1] for name in names} | {'x', ''}
                for name in names[:2000]:
                    try:
                        importer.get_data(name)
                    except (OSError, zipimport.ZipImportError):
                        pass
                for stem in sorted(stems)[:500]:
                    spec = importer.find_spec(stem)
                    if spec is not None and spec.loader is not None:
                        try:
                            importer.get_code(stem)
                        except (ImportError, SyntaxError, ValueError, EOFError, TypeError):
                            pass
                importer.invalidate_caches()
                importer.find_spec('anything')
            print('done', flush=True)
        ''')
        result = subprocess.run([sys.executable, '-c', code, *archives], capture_output=True, text=True, timeout=300)
        last = [line for line in result.stdout.splitlines() if line.startswith('archive ')][-1:]
        self.assertEqual(result.returncode, 0, f'child died ({result.returncode}) on {last}: {result.stderr[-2000:]}')
        self.assertTrue(result.stdout.rstrip().endswith('done'))

    def test_a_damaged_member_is_an_import_error_naming_it(self):
        path = os.path.join(FIXTURES, 'crc-corrupt.zip')
        importer = zipindex.zipimporter(path)
        with zipfile.ZipFile(path) as archive:
            self.assertEqual(importer.get_data('good.txt'), archive.read('good.txt'), 'one bad entry stays one')
        name = 'bad-crc.txt'
        with self.assertRaises(zipimport.ZipImportError) as caught:
            importer.get_data(name)
        self.assertIn(name, str(caught.exception))
        self.assertIn('CRC', str(caught.exception))


class ForkTests(ImportTestCase):
    @unittest.skipUnless(hasattr(os, 'fork'), 'needs fork')
    def test_children_forked_while_other_threads_read_never_hang(self):
        archive = make_zip(self.path('big.zip'), {
            'big.bin': os.urandom(1 << 20) * 8,
            'mod.py': 'value = 7\n',
        })
        importer = zipindex.zipimporter(archive)
        stop = threading.Event()
        reads = [0]

        def reader():
            while not stop.is_set():
                importer.get_data('big.bin')
                importer.invalidate_caches()
                importer.find_spec('mod')
                reads[0] += 1

        threads = [threading.Thread(target=reader) for _ in range(3)]
        for thread in threads:
            thread.start()
        hung = []
        try:
            for _ in range(150):
                with warnings.catch_warnings():
                    # 3.12+ warn that forking a threaded process may deadlock the
                    # child: that is exactly what this test shows does not happen.
                    warnings.simplefilter('ignore', DeprecationWarning)
                    pid = os.fork()
                if pid == 0:
                    # The child uses every lock the readers may have held.
                    code = 1
                    try:
                        child = zipindex.zipimporter(archive)
                        child.invalidate_caches()
                        if child.find_spec('mod') is not None and len(child.get_data('mod.py')) == 10:
                            code = 0
                    finally:
                        os._exit(code)
                deadline = time.monotonic() + 20
                while True:
                    done, status = os.waitpid(pid, os.WNOHANG)
                    if done:
                        self.assertEqual(os.waitstatus_to_exitcode(status), 0)
                        break
                    if time.monotonic() > deadline:
                        os.kill(pid, signal.SIGKILL)
                        os.waitpid(pid, 0)
                        hung.append(pid)
                        break
                    time.sleep(0.001)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        self.assertEqual(hung, [])
        self.assertGreater(reads[0], 0)


class GILTests(ImportTestCase):
    def test_other_threads_run_while_a_large_member_is_read(self):
        data = bytes(range(256)) * (1 << 18)  # 64 MiB: inflating takes a while
        archive = make_zip(self.path('large.zip'), {'large.bin': data})
        importer = zipindex.zipimporter(archive)
        reads = []
        ticks = []
        finished = threading.Event()

        def read():
            for _ in range(3):
                started = time.perf_counter()
                importer.get_data('large.bin')
                reads.append((started, time.perf_counter()))
            finished.set()

        thread = threading.Thread(target=read)
        thread.start()
        while not finished.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.0005)
        thread.join()
        # Held, the GIL would let this thread tick at most once or twice
        # (around a thread switch) while a read is under way; released, it
        # ticks every half millisecond, however loaded the machine is.
        during = [sum(1 for tick in ticks if started < tick < ended) for started, ended in reads]
        longest = max(ended - started for started, ended in reads)
        self.assertGreaterEqual(max(during), 5, f'ticks during each read: {during}; reads took up to {longest:.3f} s')


class InterpreterTests(ImportTestCase):
    def test_the_extension_loads_in_a_subinterpreter(self):
        try:
            import _testcapi
        except ImportError:
            self.skipTest('needs _testcapi')
        archive = make_zip(self.path('s.zip'), {'sub_mod.py': 'value = 3\n'})
        script = textwrap.dedent(f'''
            import sys, zipindex
            zipindex.install()
            sys.path.insert(0, {archive!r})
            import sub_mod
            assert sub_mod.value == 3, sub_mod.value
            assert isinstance(sub_mod.__loader__, zipindex.zipimporter)
        ''')
        self.assertEqual(_testcapi.run_in_subinterp(script), 0)
        self.assertEqual(_testcapi.run_in_subinterp(script), 0, 'twice: per-interpreter module state')

    def test_the_pth_installs_the_hook_only_when_asked_even_with_dash_E(self):
        archive = make_zip(self.path('p.zip'), {'pth_mod.py': 'value = 5\n'})
        code = "import sys; print('zipindex' in sys.modules)"
        environment = dict(os.environ)
        environment.pop('ZIPINDEX_HOOK', None)
        off = run_python(code, env=environment, args=('-E',))
        self.assertEqual(off.stdout.split()[0], 'False', off.stderr)
        environment['ZIPINDEX_HOOK'] = '1'
        on = run_python(f'import sys; sys.path.insert(0, {archive!r}); import pth_mod, zipindex; '
                        'print(type(pth_mod.__loader__) is zipindex.zipimporter)', env=environment, args=('-E',))
        self.assertEqual(on.stdout.strip(), 'True', on.stderr)

    def test_the_extension_loads_only_when_an_archive_is_met(self):
        archive = make_zip(self.path('l.zip'), {'lazy_mod.py': ''})
        environment = dict(os.environ, ZIPINDEX_HOOK='1')
        code = ("import sys, importlib; "
                "print('zipindex._zipindex' in sys.modules, end=' '); "
                f"sys.path.insert(0, {archive!r}); importlib.import_module('lazy_mod'); "
                "print('zipindex._zipindex' in sys.modules)")
        result = run_python(code, env=environment)
        self.assertEqual(result.stdout.split(), ['False', 'True'], result.stderr)

    def test_it_loads_with_an_empty_environment(self):
        archive = make_zip(self.path('e.zip'), {'env_mod.py': 'value = 9\n'})
        result = subprocess.run(['env', '-i', sys.executable, '-c',
                                 f'import sys, zipindex; zipindex.install(); sys.path.insert(0, {archive!r}); '
                                 'import env_mod; print(env_mod.value)'],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.stdout.strip(), '9', result.stderr)

    def test_the_pth_line_costs_nothing_without_the_variable(self):
        pth = next((os.path.join(d, 'zipindex.pth') for d in site.getsitepackages()
                    if os.path.exists(os.path.join(d, 'zipindex.pth'))), None)
        self.assertIsNotNone(pth, 'zipindex.pth is installed')
        with open(pth) as file:
            line = file.read()
        environment = dict(os.environ)
        environment.pop('ZIPINDEX_HOOK', None)
        result = run_python(f'import sys; exec({line!r}); print("zipindex" in sys.modules)', env=environment)
        self.assertEqual(result.stdout.strip(), 'False', result.stderr)


if __name__ == '__main__':
    unittest.main()
