# SPDX-License-Identifier: GPL-2.0
"""Tests of bench/report.py on synthetic results whose ratios and verdicts
are known by construction.

    python3 -m unittest bench/test_report.py     (from the top of the tree)
"""

import contextlib
import importlib.util
import io
import os
import sys
import tempfile
import unittest
from unittest import mock

# report.py imports report_charts from its own directory, as when run;
# no __pycache__ in the source tree
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402


def rows(bench, metric, config, values):
    return [f'{bench},{metric},{config},{run},{value}'
            for run, value in enumerate(values, start=1)]


# Medians by construction: Linux CG 2.000 s, Kitten 1.998 s (0.9990),
# limit 1.996 s (Kitten 2 ms above it, Linux 4 ms: 0.5, a miss), nested
# guest 2.006 s (1.0030, pass), shadow 2.030 s (1.0150, a miss), null
# system call 80 ns vs 200 ns (0.4, pass), FWQ on Kitten at worst 1.00004
# (1.0000 to four decimals, pass). cg-omp ran on Linux only.
SYNTHETIC = ['benchmark,metric,config,run,value']
SYNTHETIC += rows('cg-serial', 'solve_s', 'linux', [2.000, 2.004, 1.999])
SYNTHETIC += rows('cg-serial', 'solve_s', 'kitten', [1.998, 1.9982, 1.9979])
SYNTHETIC += rows('cg-serial', 'solve_s', 'palacios-nested',
                  [2.006, 2.0061, 2.0059])
SYNTHETIC += rows('cg-serial', 'solve_s', 'palacios-shadow',
                  [2.030, 2.031, 2.029])
SYNTHETIC += rows('cg-serial', 'ir.solve_s', 'valgrind', [1996000000])
SYNTHETIC += rows('cg-serial', 'spmv_s', 'linux', [1.5, 1.5, 1.5])
SYNTHETIC += rows('cg-serial', 'spmv_s', 'kitten', [1.498, 1.498, 1.498])
for config in ('linux', 'kitten', 'palacios-nested'):
    SYNTHETIC += rows('cg-serial', 'ok', config, [1, 1, 1])
    SYNTHETIC += rows('cg-serial', 'iters', config, [55, 55, 55])
SYNTHETIC += rows('cg-serial', 'ok', 'palacios-shadow', [1, 0, 1])
SYNTHETIC += rows('cg-serial', 'iters', 'palacios-shadow', [55, 56, 55])
SYNTHETIC += rows('cg-serial', 'exits.npf', 'palacios-nested', [100] * 3)
SYNTHETIC += rows('cg-serial', 'exits.io', 'palacios-nested', [50] * 3)
SYNTHETIC += rows('cg-serial', 'guest_s', 'palacios-nested', [2.0] * 3)
SYNTHETIC += rows('vm', 'exits.npf', 'palacios-shadow', [3000])
SYNTHETIC += rows('vm', 'guest_s', 'palacios-shadow', [10])
SYNTHETIC += rows('cg-omp', 'solve_s', 'linux', [2.1, 2.1, 2.1])
SYNTHETIC += rows('fwq', 'max_over_min', 'kitten', [1.00001, 1.00002, 1.00004])
SYNTHETIC += rows('fwq', 'max_over_min', 'linux', [1.02, 1.03, 1.025])
SYNTHETIC += rows('null_syscall', 'ns', 'linux', [200, 210, 190])
SYNTHETIC += rows('null_syscall', 'ns', 'kitten', [80, 81, 79])
SYNTHETIC += rows('stream', 'triad_mbs', 'linux', [1000, 1000, 1000])
SYNTHETIC += rows('stream', 'triad_mbs', 'kitten', [1100, 1100, 1100])
SYNTHETIC += rows('exit_cost', 'io_instr', 'palacios-nested', [1500])
SYNTHETIC += rows('exit_cost', 'mmio_instr', 'palacios-nested', [2300])
SYNTHETIC += rows('exit_cost', 'io_instr', 'palacios-shadow', [1510])
SYNTHETIC += rows('stream', 'triad_mbs', 'palacios-nested', [900, 950])
SYNTHETIC += rows('cg-serial', 'solve_s', 'linux-wall', [0.1, 0.11, 0.1])
SYNTHETIC += rows('cg-serial', 'solve_s', 'kitten-wall', [0.09, 0.1, 0.09])


def write(lines):
    f = tempfile.NamedTemporaryFile('w', suffix='.csv', delete=False)
    f.write('\n'.join(lines) + '\n')
    f.close()
    return f.name


class ReportTest(unittest.TestCase):
    def setUp(self):
        self.path = write(SYNTHETIC)
        self.results = report.load_csv(self.path)

    def tearDown(self):
        os.unlink(self.path)

    def verdicts(self):
        return {t.name: (t.verdict, t.measured)
                for t in report.compute_targets(self.results)}

    def test_targets(self):
        v = self.verdicts()
        self.assertEqual(
            v['CG solve, serial: Kitten ÷ Linux (median)'],
            ('pass', '0.9990'))
        verdict, measured = v['CG solve, serial: Kitten\'s time above the '
                              'physical limit ÷ Linux\'s']
        self.assertEqual(verdict, 'MISS')
        self.assertTrue(measured.startswith('0.5000'), measured)
        self.assertEqual(
            v['CG solve, OpenMP on 2 CPUs: Kitten ÷ Linux (median)'],
            ('not measured', 'not measured'))
        self.assertEqual(
            v['FWQ on Kitten: max/min, every run (Linux beside it)'],
            ('pass', '1.0000 (Linux 1.0250)'))
        self.assertEqual(v['Null system call: Kitten ÷ Linux (median)'][0],
                         'pass')
        nested = v['CG solve, serial, Linux guest, nested paging: guest ÷ '
                   'native (median)']
        self.assertEqual(nested, ('pass', '1.0030 (75.0 exits/s)'))
        self.assertEqual(
            v['CG solve, serial, Linux guest, shadow paging: guest ÷ native '
              '(median)'],
            ('MISS', '1.0150 (300.0 exits/s, whole VM session)'))
        self.assertEqual(
            v['CG solve, OpenMP, Linux guest, shadow paging: guest ÷ native '
              '(median)'][0], 'not measured')

    def test_bounds(self):
        self.assertTrue(report.within(1.005, '1.005'))
        self.assertFalse(report.within(1.0051, '1.005'))
        self.assertTrue(report.four_decimals_one(1.00004))
        self.assertFalse(report.four_decimals_one(1.00005))

    def test_markdown(self):
        md = report.render(self.results, 'Not drawn: test.')
        # ratios of medians, Kitten ÷ Linux and guest ÷ native
        self.assertIn('| cg-serial | solve_s | lower | 0.9990 | 1.0030 | '
                      '1.0150 |', md)
        self.assertIn('| stream | triad_mbs | higher | 1.1000 | 0.9250 | '
                      'not measured |', md)
        self.assertIn('| CG solve, serial, Linux guest, shadow paging: '
                      'guest ÷ native (median) | ≤ 1.01 | 1.0150 (300.0 '
                      'exits/s, whole VM session) | **MISS** |', md)
        self.assertIn('| vm | palacios-shadow | npf | 3000 | 300.0 |', md)
        # instructions per exit round trip, per paging mode
        self.assertIn('| port I/O (OUT to port 0x80) | 1500 | 1510 |', md)
        self.assertIn('| MMIO load, decoded and emulated | 2300 | '
                      'not measured |', md)
        self.assertIn('4 pass, 2 missed, 4 not measured', md)
        # the physical limit: 4 ms and 2 ms above 1.996 s
        self.assertIn('| cg-serial | solve_s | kitten | 1996000000 | '
                      '1.996000 s | 1.998000 s | 2.000 ms | 0.1002% | '
                      '0.5000 |', md)
        # exits per second of guest time
        self.assertIn('| cg-serial | palacios-nested | npf | 100 | 50.0 |',
                      md)
        self.assertIn('**1/3 WRONG**', md)
        self.assertIn('**differs**: 55 in kitten, linux, palacios-nested, '
                      'palacios-shadow; 56 in palacios-shadow', md)
        # spread: (2.004 - 1.999) / 2.000
        self.assertIn('2 (1.999 – 2.004, 0.250%, n=3)', md)
        self.assertIn('925 (900 – 950, 5.405%, n=2 (fewer than 3))', md)
        # wall clock: marked noisy, ratio 0.09 / 0.1
        self.assertIn('## Wall-clock (noisy)', md)
        self.assertIn('| cg-serial | solve_s | lower | 0.9000 |', md)
        self.assertIn('Missed targets: what the data says', md)
        self.assertIn('spmv_s: kitten 1.498, linux 1.5, difference '
                      '-2.000 ms', md)
        self.assertIn('Not drawn: test.', md)

    def test_tables_well_formed(self):
        md = report.render(self.results, 'none')
        for line in md.splitlines():
            if line.startswith('|'):
                self.assertTrue(line.endswith('|'), line)
        blocks = [b for b in md.split('\n\n') if b.startswith('|')]
        for block in blocks:
            widths = {line.count(' | ') for line in block.splitlines()
                      if not line.startswith('|---')}
            self.assertEqual(len(widths), 1, block)

    def test_nothing_invented(self):
        # a CSV with Linux only: every other configuration "not measured"
        path = write(SYNTHETIC[:1] + rows('cg-serial', 'solve_s', 'linux',
                                          [2.0, 2.0, 2.0]))
        try:
            md = report.render(report.load_csv(path), 'none')
        finally:
            os.unlink(path)
        self.assertIn('not measured: kitten, palacios-nested, '
                      'palacios-shadow', md)
        self.assertIn('0 pass, 0 missed', md)

    def test_refuses_malformed(self):
        good = SYNTHETIC[:2]
        cases = {
            'header': ['bench,metric,config,run,value'] + good[1:],
            '3 fields': good + ['cg-serial,solve_s,linux'],
            'bad value': good + ['cg-serial,spmv_s,linux,1,fast'],
            'finite': good + ['cg-serial,spmv_s,linux,1,nan'],
            'bad run': good + ['cg-serial,spmv_s,linux,0,1.0'],
            'unknown configuration': good + ['cg-serial,spmv_s,freebsd,1,1'],
            'twice': good + [good[1]],
            'belong to valgrind': good + ['cg-serial,ir.solve_s,linux,1,5'],
            'not a Palacios': good + ['cg-serial,exits.io,kitten,1,5'],
            'bad benchmark': good + ['CG Serial,solve_s,linux,2,1'],
            'no results': good[:1],
        }
        for message, lines in cases.items():
            path = write(lines)
            try:
                with self.assertRaises(report.CsvError, msg=message) as cm:
                    report.load_csv(path)
                self.assertIn(message, str(cm.exception))
            finally:
                os.unlink(path)

    def test_cli_refuses_with_message(self):
        path = write(SYNTHETIC[:2] + ['cg-serial,solve_s,linux,2'])
        err = io.StringIO()
        try:
            with contextlib.redirect_stderr(err):
                status = report.main(['report', path, '-o', path + '.md'])
        finally:
            os.unlink(path)
        self.assertEqual(status, 2)
        self.assertIn(':3: 4 fields, want 5', err.getvalue())
        self.assertFalse(os.path.exists(path + '.md'))

    def test_without_matplotlib(self):
        # None in sys.modules makes "import report_charts" fail
        with tempfile.TemporaryDirectory() as out, \
                mock.patch.dict(sys.modules, {'report_charts': None}):
            err = io.StringIO()
            with contextlib.redirect_stderr(err), \
                    contextlib.redirect_stdout(io.StringIO()):
                status = report.main(['report', self.path, '-o',
                                      os.path.join(out, 'report.md')])
            with open(os.path.join(out, 'report.md')) as f:
                md = f.read()
        self.assertEqual(status, 0)
        self.assertIn('python3-matplotlib', err.getvalue())
        self.assertIn('Not drawn: matplotlib is not installed', md)

    @unittest.skipUnless(importlib.util.find_spec('matplotlib'),
                         'matplotlib not installed')
    def test_charts(self):
        with tempfile.TemporaryDirectory() as out:
            with contextlib.redirect_stdout(io.StringIO()):
                report.main(['report', self.path, '-o',
                             os.path.join(out, 'report.md')])
            names = sorted(os.listdir(out))
            with open(os.path.join(out, 'report.md')) as f:
                md = f.read()
        self.assertEqual(names, ['report-cg.png', 'report-fwq.png',
                                 'report-overhead.png', 'report-ratios.png',
                                 'report-wall.png', 'report.md'])
        self.assertIn('![CG solve time ÷ Linux, with the physical limit]'
                      '(report-cg.png)', md)

    def test_rows_from_program_output(self):
        output = ('kitten: noise\r\n'
                  'bench null_syscall calls=100 ns=81.5\r\n'
                  'bench cg-serial iters=55 solve_s=2.0 ok=1\n')
        out = io.StringIO()
        with mock.patch('sys.stdin', io.StringIO(output)), \
                contextlib.redirect_stdout(out):
            status = report.main(['rows', '--config', 'kitten', '--run', '2',
                                  '--header'])
        self.assertEqual(status, 0)
        self.assertEqual(out.getvalue().splitlines(), [
            'benchmark,metric,config,run,value',
            'null_syscall,calls,kitten,2,100',
            'null_syscall,ns,kitten,2,81.5',
            'cg-serial,iters,kitten,2,55',
            'cg-serial,solve_s,kitten,2,2.0',
            'cg-serial,ok,kitten,2,1'])

    def test_rows_refuses_bad_lines(self):
        for text in ('bench cg-serial solve_s=fast\n', 'no results\n'):
            with mock.patch('sys.stdin', io.StringIO(text)), \
                    contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()):
                self.assertNotEqual(
                    report.main(['rows', '--config', 'linux', '--run', '1']),
                    0)

    def test_entries_from_stats_table(self):
        """A --stats table: kinds and named calls become kitten rows, the
        "(the others)" line does not; the rows load and are reported."""
        table = ('stats: kind      name        count   cycles   mean\n'
                 'stats: kind      syscall       3     900     300\n'
                 'stats: kind      page fault    0       0       0\n'
                 'stats: total     (all but nested)  3  900  300\n'
                 'stats: syscall   futex (202)   2     800     400\n'
                 'stats: syscall   (the others)  1     100     100\n'
                 'stats: switches 7 (the job\'s tasks switched back in)\n')
        out = io.StringIO()
        with mock.patch('sys.stdin', io.StringIO(table)), \
                contextlib.redirect_stdout(out):
            status = report.main(['entries', '--benchmark', 'cg-omp'])
        self.assertEqual(status, 0)
        got = out.getvalue().splitlines()
        self.assertEqual(got, [
            'cg-omp,entries.syscall,kitten,1,3',
            'cg-omp,entry_cycles.syscall,kitten,1,900',
            'cg-omp,entries.page_fault,kitten,1,0',
            'cg-omp,entry_cycles.page_fault,kitten,1,0',
            'cg-omp,entries.sys.futex,kitten,1,2',
            'cg-omp,entry_cycles.sys.futex,kitten,1,800',
            'cg-omp,entries.switches,kitten,1,7'])
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'r.csv')
            with open(path, 'w') as f:
                f.write('\n'.join([','.join(report.HEADER)] + got) + '\n')
            text = report.render(report.load_csv(path), 'none')
        self.assertIn('| cg-omp | syscall futex | 2 | 800 | 400 |', text)
        self.assertIn('| cg-omp | switches | 7 |', text)

    def test_entries_only_for_kitten(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'r.csv')
            with open(path, 'w') as f:
                f.write(','.join(report.HEADER) +
                        '\ncg-omp,entries.syscall,linux,1,3\n')
            with self.assertRaises(report.CsvError):
                report.load_csv(path)


if __name__ == '__main__':
    unittest.main()
