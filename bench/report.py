#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The benchmark report: raw results in, bench/report.md and charts out.

Every number in the report is computed here from one CSV of raw results
(schema in bench/README.md): one row per benchmark, metric, configuration,
run and value. Nothing is typed in by hand; what the CSV lacks is reported
as "not measured". The report holds, in order:

  - the targets of issue 8 with a computed verdict each;
  - the answer checks (ok=1 in every run);
  - each configuration's median and spread per metric;
  - ratios Kitten / Linux and guest / native for every metric;
  - the physical limit: each configuration's time above the user-mode
    instruction count of the timed region (valgrind), which under
    QEMU -icount shift=0 is one nanosecond per instruction;
  - a compute job's kernel overhead (issue 13): Kitten's and Linux's
    time above that limit and their ratio, and the kernel entries of
    Kitten's job by kind (`tools/kitten run --stats`);
  - VM exits per second of guest time, by reason;
  - the same medians and ratios for wall-clock runs, marked noisy;
  - parameters that must agree across configurations, and facts that bear
    on each missed target; then the charts and an optional closing note.

Four subcommands (run with -h for details):
  report RESULTS.csv [-o bench/report.md]   write the report and charts
  rows --config C --run N [FILE...]         "bench ..." lines to CSV rows
  callgrind --benchmark B --metric M FILE   a callgrind count as CSV rows
  entries --benchmark B --run N [FILE...]   a --stats table as CSV rows

It runs with Debian's python3; the charts (drawn by report_charts.py)
need python3-matplotlib, and without it the report is still written and
says that the charts are missing.
"""

import argparse
import csv
import math
import os
import re
import statistics
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

HEADER = ['benchmark', 'metric', 'config', 'run', 'value']

# Configurations: the two kernels run natively, Palacios guests with
# nested or shadow paging (a Linux guest unless named -kitten), "-wall"
# for runs timed without -icount, and valgrind for the physical limit.
CONFIG_RE = re.compile(
    r'^(?:(linux|kitten|palacios-(?:nested|shadow)(?:-linux|-kitten)?)'
    r'(-wall)?|valgrind)$')
GUESTS = ['palacios-nested', 'palacios-shadow', 'palacios-nested-kitten',
          'palacios-shadow-kitten']
STANDARD = ['linux', 'kitten', 'palacios-nested', 'palacios-shadow']
NAME_RE = re.compile(r'^[a-z0-9][a-z0-9_.-]*$')
LINE_RE = re.compile(r'^bench ([a-z0-9][a-z0-9_.-]*)((?: [a-z0-9_.]+=\S+)+)$')

CG = [('cg-serial', 'serial'), ('cg-omp', 'OpenMP')]  # benchmark, label


class CsvError(Exception):
    """The CSV cannot be used; the message names the file and line."""


def native_of(config):
    """The native configuration a guest configuration is compared with."""
    base = config[:-len('-wall')] if config.endswith('-wall') else config
    native = 'kitten' if base.endswith('-kitten') else 'linux'
    return native + ('-wall' if config.endswith('-wall') else '')


def metric_kind(metric):
    """What a metric is, from its name (bench/README.md, "Metric names")."""
    if metric == 'ok':
        return 'check'
    if metric.startswith('ir.'):
        return 'limit'
    if metric.startswith('exits.'):
        return 'exits'
    if metric.startswith(('entries.', 'entry_cycles.')):
        return 'entries'
    if metric == 'guest_s':
        return 'window'
    if metric in ('ns', 'max_over_min') or metric.endswith(('_s', '_ns')):
        return 'lower'
    if metric.endswith(('mbs', 'mflops', '_per_s')):
        return 'higher'
    return 'info'


# --- reading -----------------------------------------------------------------

def parse_value(text):
    """A finite float, or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def check_row(row, where):
    """Refuse a row that does not fit the schema; return it typed."""
    if len(row) != len(HEADER):
        raise CsvError(f'{where}: {len(row)} fields, want {len(HEADER)} '
                       f'({",".join(HEADER)})')
    bench, metric, config, run, value = (field.strip() for field in row)
    for name, text in (('benchmark', bench), ('metric', metric)):
        if not NAME_RE.match(text):
            raise CsvError(f'{where}: bad {name} {text!r}: lower-case '
                           'letters, digits, "_", "." and "-" only')
    if not CONFIG_RE.match(config):
        raise CsvError(f'{where}: unknown configuration {config!r} '
                       '(bench/README.md lists them)')
    kind = metric_kind(metric)
    if (config == 'valgrind') != (kind == 'limit'):
        raise CsvError(f'{where}: metric {metric!r} in configuration '
                       f'{config!r}: "ir.*" metrics, and only they, '
                       'belong to valgrind')
    if kind in ('exits', 'window') and not config.startswith('palacios-'):
        raise CsvError(f'{where}: {metric!r} is a VM metric but '
                       f'{config!r} is not a Palacios configuration')
    if kind == 'entries' and config != 'kitten':
        raise CsvError(f'{where}: {metric!r} counts Kitten\'s kernel '
                       f'entries but the configuration is {config!r}')
    if not run.isdigit() or int(run) < 1:
        raise CsvError(f'{where}: bad run {run!r}: want 1, 2, ...')
    number = parse_value(value)
    if number is None:
        raise CsvError(f'{where}: bad value {value!r}: want a finite number')
    return bench, metric, config, int(run), number


def load_csv(path):
    """The results in path, as Results; CsvError if malformed."""
    try:
        with open(path, newline='') as f:
            rows = list(csv.reader(f))
    except OSError as e:
        raise CsvError(f'{path}: {e.strerror}') from e
    except csv.Error as e:
        raise CsvError(f'{path}: not CSV: {e}') from e
    if not rows or [h.strip() for h in rows[0]] != HEADER:
        raise CsvError(f'{path}:1: the header must be {",".join(HEADER)}')
    if len(rows) == 1:
        raise CsvError(f'{path}: no results after the header')
    values = {}
    for number, row in enumerate(rows[1:], start=2):
        bench, metric, config, run, value = check_row(row, f'{path}:{number}')
        runs = values.setdefault((bench, metric, config), {})
        if run in runs:
            raise CsvError(f'{path}:{number}: {bench} {metric} {config} '
                           f'run {run} appears twice')
        runs[run] = value
    return Results(values)


class Results:
    """Values by (benchmark, metric, config), each a dict run -> value."""

    def __init__(self, values):
        self.values = values

    def runs(self, bench, metric, config):
        got = self.values.get((bench, metric, config), {})
        return [got[run] for run in sorted(got)]

    def by_run(self, bench, metric, config):
        return self.values.get((bench, metric, config), {})

    def median(self, bench, metric, config):
        runs = self.runs(bench, metric, config)
        return statistics.median(runs) if runs else None

    def benchmarks(self):
        return sorted({b for b, _, _ in self.values})

    def metrics(self, bench, kinds=None):
        return sorted({m for b, m, _ in self.values if b == bench and
                       (kinds is None or metric_kind(m) in kinds)},
                      key=metric_order)

    def configs(self):
        return {c for _, _, c in self.values}

    def has(self, bench, metric, config):
        return (bench, metric, config) in self.values


def metric_order(metric):
    """Time metrics first, then rates, then the rest, each by name."""
    rank = {'lower': 0, 'higher': 1}.get(metric_kind(metric), 2)
    return (rank, metric != 'solve_s', metric)


def config_order(config):
    base = config[:-5] if config.endswith('-wall') else config
    order = STANDARD + GUESTS[2:] + ['valgrind']
    return (config.endswith('-wall'), order.index(base), config)


# --- arithmetic --------------------------------------------------------------

def ratio(num, den):
    if num is None or den is None or den == 0:
        return None
    return num / den


def within(value, bound_text):
    """value <= the bound as written ("1.005"), no rounding in its favour."""
    return value <= float(bound_text)


def four_decimals_one(value):
    """FWQ's target: max/min reads 1.0000 when printed to four decimals."""
    return f'{value:.4f}' == '1.0000'


def limit_seconds(results, bench, metric, shift):
    """The physical limit of a timed metric: instructions x 2^shift ns."""
    ir = results.median(bench, 'ir.' + metric, 'valgrind')
    return None if ir is None else ir * (1 << shift) * 1e-9


def exit_rates(results, bench, config):
    """Median exits per second of guest time by reason, or {}."""
    window = results.by_run(bench, 'guest_s', config)
    rates = {}
    for metric in results.metrics(bench, ('exits',)):
        counts = results.by_run(bench, metric, config)
        per_run = [counts[r] / window[r] for r in counts
                   if r in window and window[r] > 0]
        if per_run:
            rates[metric[len('exits.'):]] = statistics.median(per_run)
    return rates


# --- formatting --------------------------------------------------------------

NOT_MEASURED = 'not measured'


def num(value):
    if value is None:
        return NOT_MEASURED
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f'{value:.7g}'


def fratio(value, decimals=4):
    return NOT_MEASURED if value is None else f'{value:.{decimals}f}'


def fseconds(value):
    if value is None:
        return NOT_MEASURED
    if abs(value) < 1e-3:
        return f'{value * 1e6:.1f} µs'
    if abs(value) < 1:
        return f'{value * 1e3:.3f} ms'
    return f'{value:.6f} s'


def table(header, rows):
    """A markdown table; every row has as many cells as the header."""
    lines = ['| ' + ' | '.join(header) + ' |',
             '|' + '|'.join('---' for _ in header) + '|']
    for row in rows:
        assert len(row) == len(header), (header, row)
        lines.append('| ' + ' | '.join(str(cell) for cell in row) + ' |')
    return '\n'.join(lines) + '\n'


# --- targets -----------------------------------------------------------------

class Target:
    """One target of issue 8 and its computed verdict."""

    def __init__(self, name, bound, measured, verdict, facts=()):
        self.name, self.bound, self.measured = name, bound, measured
        self.verdict, self.facts = verdict, list(facts)


def verdict(ok):
    return 'pass' if ok else 'MISS'


def cg_targets(results, bench, label, shift):
    out = []
    linux = results.median(bench, 'solve_s', 'linux')
    kitten = results.median(bench, 'solve_s', 'kitten')
    measured = fratio(ratio(kitten, linux))
    if label == 'OpenMP':
        # the target is for 2 CPUs: say so if the runs used another count
        label += ' on 2 CPUs'
        threads = {results.median(bench, 'threads', c)
                   for c in ('linux', 'kitten')} - {None}
        if threads - {2}:
            measured += (' (ran with ' + ', '.join(map(num, sorted(threads)))
                         + ' threads)')
    r = ratio(kitten, linux)
    out.append(Target(f'CG solve, {label}: Kitten ÷ Linux (median)',
                      '≤ 1.000', measured, NOT_MEASURED if r is None else
                      verdict(within(r, '1.000')),
                      phase_facts(results, bench, 'kitten', 'linux')))

    limit = limit_seconds(results, bench, 'solve_s', shift)
    name = (f'CG solve, {label}: Kitten\'s time above the physical limit '
            '÷ Linux\'s')
    if None in (limit, linux, kitten):
        out.append(Target(name, '≤ 0.1', NOT_MEASURED, NOT_MEASURED))
    else:
        over_l, over_k = linux - limit, kitten - limit
        facts = [f'physical limit {fseconds(limit)}; above it: Linux '
                 f'{fseconds(over_l)}, Kitten {fseconds(over_k)}']
        facts += clock_facts(results, bench)
        facts += phase_facts(results, bench, 'kitten', 'linux')
        if over_l <= 0:
            facts.append('Linux is not above the limit: the count does not '
                         'describe the timed run (binary, clock or shift)')
            out.append(Target(name, '≤ 0.1', 'Linux at or below the limit',
                              'MISS', facts))
        else:
            q = over_k / over_l
            out.append(Target(name, '≤ 0.1',
                              f'{q:.4f} ({fseconds(over_k)} vs '
                              f'{fseconds(over_l)})',
                              verdict(within(q, '0.1')), facts))
    return out


def phase_facts(results, bench, config, base):
    """Where the time went: per-phase differences between two configs."""
    facts = []
    for metric in results.metrics(bench, ('lower',)):
        a, b = (results.median(bench, metric, c) for c in (config, base))
        if a is not None and b is not None:
            facts.append(f'{metric}: {config} {num(a)}, {base} {num(b)}, '
                         f'difference {fseconds(a - b)}')
    return facts


def clock_facts(results, bench):
    reads = results.median(bench, 'clock_reads', 'linux')
    if reads is None:
        return []
    return [f'the timed region reads the clock {num(reads)} times '
            '(a vDSO call on Linux and on Kitten)']


def guest_targets(results, bench, label, config, bound):
    native = native_of(config)
    g = results.median(bench, 'solve_s', config)
    n = results.median(bench, 'solve_s', native)
    r = ratio(g, n)
    # exits counted for this benchmark, else for the whole VM session
    rates, scope = exit_rates(results, bench, config), ''
    if not rates:
        rates, scope = exit_rates(results, 'vm', config), ', whole VM session'
    measured = fratio(r)
    if r is not None and rates:
        measured += f' ({sum(rates.values()):.1f} exits/s{scope})'
    paging = 'nested' if '-nested' in config else 'shadow'
    guest = 'Kitten' if config.endswith('-kitten') else 'Linux'
    facts = phase_facts(results, bench, config, native)
    facts += [f'exits/s {reason}: {rate:.1f}'
              for reason, rate in sorted(rates.items(), key=lambda x: -x[1])]
    return Target(f'CG solve, {label}, {guest} guest, {paging} paging: '
                  'guest ÷ native (median)', f'≤ {bound}', measured,
                  NOT_MEASURED if r is None else verdict(within(r, bound)),
                  facts)


def compute_targets(results, shift=0):
    """Every target of issue 8, in the order the issue lists them."""
    targets = []
    for bench, label in CG:
        targets += cg_targets(results, bench, label, shift)

    runs = results.runs('fwq', 'max_over_min', 'kitten')
    linux = results.median('fwq', 'max_over_min', 'linux')
    name = 'FWQ on Kitten: max/min, every run (Linux beside it)'
    if runs:
        worst = max(runs)
        facts = []
        spread = [results.median('fwq', m, 'kitten')
                  for m in ('max_ns', 'min_ns')]
        if None not in spread:
            facts.append(f'Kitten max - min: {num(spread[0] - spread[1])} ns '
                         'in one sample (at one instruction per ns, that '
                         'many instructions the kernel ran)')
        targets.append(Target(name, '= 1.0000',
                              f'{worst:.4f} (Linux {fratio(linux)})',
                              verdict(four_decimals_one(worst)), facts))
    else:
        targets.append(Target(name, '= 1.0000', NOT_MEASURED, NOT_MEASURED))

    k = results.median('null_syscall', 'ns', 'kitten')
    lx = results.median('null_syscall', 'ns', 'linux')
    r = ratio(k, lx)
    targets.append(Target('Null system call: Kitten ÷ Linux (median)',
                          '≤ 0.5', fratio(r) if r is None else
                          f'{r:.4f} ({num(k)} ns vs {num(lx)} ns)',
                          NOT_MEASURED if r is None else
                          verdict(within(r, '0.5'))))

    configs = results.configs()
    for bench, label in CG:
        for config, bound in (('palacios-nested', '1.005'),
                              ('palacios-shadow', '1.01'),
                              ('palacios-nested-kitten', '1.005'),
                              ('palacios-shadow-kitten', '1.01')):
            # Kitten guests are optional ("where it runs"): listed if run.
            if config in STANDARD or config in configs:
                targets.append(guest_targets(results, bench, label, config,
                                             bound))
    return targets


# --- the report --------------------------------------------------------------

def section_targets(targets):
    rows = [[t.name, t.bound, t.measured,
             '**MISS**' if t.verdict == 'MISS' else t.verdict]
            for t in targets]
    passed = sum(t.verdict == 'pass' for t in targets)
    missed = sum(t.verdict == 'MISS' for t in targets)
    return ('## Targets\n\n'
            'Computed from this run\'s CSV; a bound is met only if the '
            'value is within it as written (FWQ: to four decimals). '
            f'{passed} pass, {missed} missed, '
            f'{len(targets) - passed - missed} not measured.\n\n' +
            table(['target', 'bound', 'measured', 'verdict'], rows))


def section_checks(results):
    rows = []
    for bench in results.benchmarks():
        if not any(results.has(bench, 'ok', c) for c in results.configs()):
            continue
        row = [bench]
        for config in sorted(results.configs() - {'valgrind'},
                             key=config_order):
            runs = results.runs(bench, 'ok', config)
            good = sum(v == 1 for v in runs)
            row.append(NOT_MEASURED if not runs else
                       f'{good}/{len(runs)} ok' if good == len(runs) else
                       f'**{len(runs) - good}/{len(runs)} WRONG**')
        rows.append(row)
    if not rows:
        return '## Answer checks\n\nNo benchmark reported ok=.\n'
    header = ['benchmark'] + sorted(results.configs() - {'valgrind'},
                                    key=config_order)
    return ('## Answer checks\n\nEvery run of a benchmark that checks its '
            'answer (ok=1: CG\'s residual and error, STREAM\'s values, the '
            'page-touch read-back).\n\n' + table(header, rows))


def stats_cell(runs):
    """median (min – max, relative spread, n) of one metric's runs."""
    if not runs:
        return NOT_MEASURED
    med = statistics.median(runs)
    spread = (max(runs) - min(runs)) / abs(med) if med else 0
    count = f'n={len(runs)}' + (' (fewer than 3)' if len(runs) < 3 else '')
    return (f'{num(med)} ({num(min(runs))} – {num(max(runs))}, '
            f'{100 * spread:.3f}%, {count})')


def stats_rows(results, configs):
    """One row per metric, one column per configuration."""
    rows = [[bench, metric] + [stats_cell(results.runs(bench, metric, c))
                               for c in configs]
            for bench in results.benchmarks()
            for metric in results.metrics(bench, ('lower', 'higher'))]
    return table(['benchmark', 'metric'] + configs, rows)


def ratio_pairs(configs, wall):
    """(numerator, denominator, label) for Kitten/Linux and guest/native."""
    suffix = '-wall' if wall else ''
    pairs = [('kitten' + suffix, 'linux' + suffix, 'Kitten ÷ Linux')]
    for guest in GUESTS:
        if guest in STANDARD or guest + suffix in configs:
            pairs.append((guest + suffix, native_of(guest + suffix),
                          f'{guest} ÷ {native_of(guest)}'))
    return pairs


def ratio_rows(results, pairs):
    rows = []
    for bench in results.benchmarks():
        for metric in results.metrics(bench, ('lower', 'higher')):
            row = [bench, metric, metric_kind(metric)]
            for num_c, den_c, _ in pairs:
                row.append(fratio(ratio(results.median(bench, metric, num_c),
                                        results.median(bench, metric, den_c))))
            rows.append(row)
    return table(['benchmark', 'metric', 'better'] +
                 [label for _, _, label in pairs], rows)


def section_limit(results, shift):
    out = ['## The physical limit\n\n',
           f'The user-mode instructions of each timed region, counted by '
           f'valgrind (callgrind, --toggle-collect on the region), at '
           f'{1 << shift} ns each (-icount shift={shift}). A configuration\'s '
           'time above it is what its kernel, and VMM, cost the program.\n']
    rows = []
    for bench in results.benchmarks():
        for metric in results.metrics(bench, ('lower',)):
            limit = limit_seconds(results, bench, metric, shift)
            if limit is None:
                continue
            ir = results.median(bench, 'ir.' + metric, 'valgrind')
            linux = results.median(bench, metric, 'linux')
            over_l = None if linux is None else linux - limit
            for config in STANDARD + [g for g in GUESTS[2:]
                                      if g in results.configs()]:
                t = results.median(bench, metric, config)
                over = None if t is None else t - limit
                below = over is not None and over < 0
                rows.append([bench, metric, config, num(ir), fseconds(limit),
                             fseconds(t), fseconds(over) +
                             (' (below the limit!)' if below else ''),
                             NOT_MEASURED if over is None else
                             f'{100 * over / limit:.4f}%',
                             fratio(ratio(over, over_l))])
    if not rows:
        out.append('\nNot measured: the CSV has no valgrind counts.\n')
    else:
        if any('below the limit' in row[6] for row in rows):
            out.append('\nA time below the limit means the count does not '
                       'describe the timed run: another binary or problem '
                       'size, a clock that is not -icount, or another '
                       'shift.\n')
        out.append('\n' + table(['benchmark', 'metric', 'configuration',
                                 'instructions', 'limit', 'median time',
                                 'above limit', 'above, % of limit',
                                 '÷ Linux\'s'], rows))
    return ''.join(out)


ENTRY_KINDS = ['syscall', 'page_fault', 'exception', 'interrupt', 'nested',
               'switches']


def section_overhead(results, shift):
    """Issue 13's figure: a compute job's time above the user-mode
    instruction limit on Kitten and on Linux, and the kernel entries of
    Kitten's job that account for it."""
    out = ['## A compute job\'s kernel overhead\n\n'
           'Time above the user-mode instruction limit of the timed '
           'region (above), as a share of the limit; the goal (issue 13) '
           'is Kitten at most a tenth of Linux.\n\n']
    for bench, label in CG:
        limit = limit_seconds(results, bench, 'solve_s', shift)
        linux = results.median(bench, 'solve_s', 'linux')
        kitten = results.median(bench, 'solve_s', 'kitten')
        if None in (limit, linux, kitten):
            out.append(f'- {bench}: {NOT_MEASURED}\n')
            continue
        over_k, over_l = (kitten - limit) / limit, (linux - limit) / limit
        out.append(f'- {bench} ({label}): Kitten {100 * over_k:.4f}%, '
                   f'Linux {100 * over_l:.4f}%; Kitten ÷ Linux '
                   f'{fratio(ratio(over_k, over_l))} (goal ≤ 0.1)\n')
    rows = []
    for bench in results.benchmarks():
        for kind in ENTRY_KINDS:
            count = results.median(bench, 'entries.' + kind, 'kitten')
            cycles = results.median(bench, 'entry_cycles.' + kind, 'kitten')
            if count:
                rows.append([bench, kind, num(count),
                             '' if cycles is None else num(cycles),
                             num(round(cycles / count)) if cycles else ''])
        calls = [m for m in results.metrics(bench, ('entries',))
                 if m.startswith('entries.sys.')]
        for metric in sorted(calls, key=lambda m: -(results.median(
                bench, 'entry_cycles.' + m[len('entries.'):], 'kitten') or 0)):
            name = metric[len('entries.'):]
            count = results.median(bench, metric, 'kitten')
            cycles = results.median(bench, 'entry_cycles.' + name, 'kitten')
            rows.append([bench, name.replace('sys.', 'syscall '), num(count),
                         num(cycles),
                         num(round(cycles / count)) if count and cycles
                         else ''])
    if rows:
        out.append('\nKitten\'s kernel entries over the whole job (start-up '
                   'included), from one more run with `tools/kitten run '
                   '--stats` (its times are not used above: counting costs '
                   'a little); cycles are instructions under -icount. '
                   '"nested" entries are interrupts taken in the kernel, '
                   'inside the entries above them; "switches" counts the '
                   'job\'s tasks switched back in.\n\n' +
                   table(['benchmark', 'entry', 'count', 'cycles', 'mean'],
                         rows))
    return ''.join(out)


def section_exits(results):
    rows = []
    for bench in results.benchmarks():
        for config in sorted(results.configs(), key=config_order):
            if not config.startswith('palacios-'):
                continue
            rates = exit_rates(results, bench, config)
            for metric in results.metrics(bench, ('exits',)):
                if not results.has(bench, metric, config):
                    continue
                reason = metric[len('exits.'):]
                rows.append([bench, config, reason,
                             num(results.median(bench, metric, config)),
                             f'{rates[reason]:.1f}' if reason in rates
                             else 'no guest_s'])
            if rates:
                rows.append([bench, config, '**all**', '',
                             f'{sum(rates.values()):.1f}'])
    if not rows:
        return '## VM exits\n\nNot measured: the CSV has no exit counts.\n'
    return ('## VM exits\n\nMedian count per run and median exits per second '
            'of guest time (guest_s), by reason.\n\n' +
            table(['benchmark', 'configuration', 'reason', 'count',
                   'exits/s'], rows))


EXIT_KINDS = (('io', 'port I/O (OUT to port 0x80)'),
              ('hypercall', 'hypercall (VMMCALL, echo)'),
              ('cpuid', 'CPUID'),
              ('mmio', 'MMIO load, decoded and emulated'))


def section_exit_cost(results):
    """Instructions per VM exit round trip (bench/guests/exit_cost.asm)."""
    configs = [c for c in sorted(results.configs(), key=config_order)
               if any(results.has('exit_cost', f'{k}_instr', c)
                      for k, _ in EXIT_KINDS)]
    if not configs:
        return ('## VM exit round trips\n\nNot measured: the CSV has no '
                'exit_cost rows.\n')
    rows = [[label] + [num(results.median('exit_cost', f'{kind}_instr', c))
                       if results.has('exit_cost', f'{kind}_instr', c)
                       else 'not measured' for c in configs]
            for kind, label in EXIT_KINDS]
    return ('## VM exit round trips\n\nInstructions from the guest\'s '
            'exit to its next instruction, less the loop\'s own, per exit '
            '(the exit_cost guest, 10,000 of each; under -icount the '
            'guest\'s TSC counts every instruction the machine executes).'
            '\n\n' + table(['exit'] + configs, rows))


def section_wall(results):
    configs = results.configs()
    walls = sorted((c for c in configs if c.endswith('-wall')),
                   key=config_order)
    head = ('## Wall-clock (noisy)\n\nThe same programs timed without '
            '-icount: host load, caches and TLBs all show, so these ratios '
            'are noisy and no target is judged on them.\n')
    if not walls:
        return head + '\nNot measured: the CSV has no -wall runs.\n'
    standard = [c + '-wall' for c in STANDARD]
    shown = standard + [c for c in walls if c not in standard]
    return (head + '\n### Median and spread\n\n' +
            stats_rows(results, shown) + '\n### Ratios\n\n' +
            ratio_rows(results, ratio_pairs(configs, wall=True)))


def section_consistency(results):
    """Parameters (problem sizes, iterations...) must agree everywhere."""
    rows = []
    for bench in results.benchmarks():
        for metric in results.metrics(bench, ('info',)):
            seen = {}
            for config in sorted(results.configs(), key=config_order):
                for value in results.runs(bench, metric, config):
                    seen.setdefault(value, set()).add(config)
            verdict_text = ('same everywhere' if len(seen) == 1 else
                            '**differs**: ' + '; '.join(
                                f'{num(v)} in {", ".join(sorted(c))}'
                                for v, c in sorted(seen.items())))
            rows.append([bench, metric,
                         num(next(iter(seen))) if len(seen) == 1 else '',
                         verdict_text])
    if not rows:
        return ''
    return ('## Parameters\n\nWhat every run of a benchmark should share '
            '(problem size, iterations, threads, residual). A difference '
            'means the configurations did not run the same problem.\n\n' +
            table(['benchmark', 'parameter', 'value', 'across runs'], rows))


def section_misses(targets):
    missed = [t for t in targets if t.verdict == 'MISS']
    if not missed:
        return ''
    out = ['## Missed targets: what the data says\n\n'
           'Facts computed from the CSV for each missed target; the closing '
           'note says why and what would close it.\n']
    for t in missed:
        out.append(f'\n**{t.name}** ({t.measured}; bound {t.bound})\n\n')
        out += [f'- {fact}\n' for fact in t.facts] or ['- no further data\n']
    return ''.join(out)


def render(results, charts, notes=None, shift=0, source='results.csv'):
    """The whole report as markdown. charts: list of (file, caption), or a
    string saying why there are none."""
    configs = results.configs()
    targets = compute_targets(results, shift)
    icount = STANDARD + [c for c in GUESTS[2:] if c in configs]
    missing = [c for c in STANDARD if c not in configs]
    parts = [
        '# Benchmarks: Linux, Kitten and Kitten + Palacios\n\n'
        f'Generated by bench/report.py from `{source}`; every number below '
        'is computed from it. Under QEMU with -icount shift=0 guest time '
        'counts instructions (1 ns each), so configurations are compared '
        'by ratios. Configurations measured: '
        f'{", ".join(sorted(configs, key=config_order)) or "none"}'
        + (f'; not measured: {", ".join(missing)}' if missing else '')
        + '.\n',
        section_targets(targets),
        section_checks(results),
        '## Median and spread per configuration\n\nOver the runs of each '
        'configuration (the issue asks for at least 3); spread is '
        '(max - min) / median. Each cell: median (min – max, spread, '
        'runs).\n\n' +
        stats_rows(results, icount),
        '## Ratios\n\nRatios of medians, Kitten ÷ Linux and each guest ÷ '
        'its native kernel, for every metric; "better" says which way is '
        'good for the metric.\n\n' +
        ratio_rows(results, ratio_pairs(configs, wall=False)),
        section_limit(results, shift),
        section_overhead(results, shift),
        section_exits(results),
        section_exit_cost(results),
        section_wall(results),
        section_consistency(results),
        section_misses(targets),
    ]
    if isinstance(charts, str):
        parts.append(f'## Charts\n\n{charts}\n')
    elif charts:
        names = [(os.path.basename(path), caption) for path, caption in charts]
        parts.append('## Charts\n\n' + ''.join(
            f'![{caption}]({name})\n\n`{name}`: {caption}\n\n'
            for name, caption in names))
    else:
        parts.append('## Charts\n\nNo chart: nothing to draw.\n')
    if notes:
        parts.append('## Closing note\n\n' + notes.strip() + '\n')
    return '\n'.join(p for p in parts if p)


# --- charts ------------------------------------------------------------------

def chart_specs(results, shift):
    """What to draw (report_charts.py draws it): a list of dicts with the
    chart's name, caption, groups, series (name -> one value or None per
    group), axis label, number format and reference line; only charts
    with something measured."""
    configs = results.configs()
    specs = []

    def add(name, caption, groups, series, xlabel, fmt, reference=None):
        if any(v is not None for vs in series.values() for v in vs):
            specs.append(dict(name=name, caption=caption, groups=groups,
                              series=series, xlabel=xlabel, fmt=fmt,
                              reference=reference))

    perf = [(b, m) for b in results.benchmarks()
            for m in results.metrics(b, ('lower', 'higher'))]
    for wall, name, caption in (
            (False, 'ratios', 'every metric, ratio to the native kernel'),
            (True, 'wall', 'every metric, ratio to the native kernel, '
             'wall clock (noisy)')):
        series = {label: [ratio(results.median(b, m, n),
                                results.median(b, m, d)) for b, m in perf]
                  for n, d, label in ratio_pairs(configs, wall)}
        add(name, caption, [f'{b} {m}' for b, m in perf], series, 'ratio',
            '%.4f', 1.0)

    cg = [b for b, _ in CG]
    series = {c: [ratio(results.median(b, 'solve_s', c),
                        results.median(b, 'solve_s', 'linux')) for b in cg]
              for c in STANDARD if c in configs}
    series['physical limit'] = [
        ratio(limit_seconds(results, b, 'solve_s', shift),
              results.median(b, 'solve_s', 'linux')) for b in cg]
    add('cg', 'CG solve time ÷ Linux, with the physical limit', cg, series,
        'time ÷ Linux', '%.4f', 1.0)

    over = {}
    for c in STANDARD:
        over[c] = []
        for b in cg:
            t = results.median(b, 'solve_s', c)
            limit = limit_seconds(results, b, 'solve_s', shift)
            over[c].append(None if None in (t, limit) else (t - limit) * 1e3)
    add('overhead', 'CG solve: time above the physical limit (ms)', cg, over,
        'ms', '%.3f')

    fwq = {c: [results.median('fwq', 'max_over_min', c)]
           for c in sorted(configs - {'valgrind'}, key=config_order)}
    add('fwq', 'FWQ max/min (1 = no noise)', ['fwq'], fwq, 'max / min',
        '%.4f', 1.0)
    return specs


# --- subcommands -------------------------------------------------------------

def cmd_report(args):
    try:
        results = load_csv(args.csv)
    except CsvError as e:
        print(f'report: refusing the CSV: {e}', file=sys.stderr)
        return 2
    notes = None
    if args.notes:
        with open(args.notes) as f:
            notes = f.read()
    out_dir = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(out_dir, exist_ok=True)
    stem = os.path.splitext(os.path.abspath(args.output))[0]
    try:
        import report_charts  # needs matplotlib
        charts = report_charts.draw(chart_specs(results, args.icount_shift),
                                    stem)
    except ImportError as e:
        charts = ('Not drawn: matplotlib is not installed (Debian package '
                  f'python3-matplotlib; {e}).')
        print(f'report: {charts}', file=sys.stderr)
    with open(args.output, 'w') as f:
        f.write(render(results, charts, notes, args.icount_shift,
                       args.csv))
    print(f'report: wrote {args.output}' + ''.join(
        f', {path}' for path, _ in (charts if isinstance(charts, list)
                                    else [])))
    return 0


def cmd_rows(args):
    """Result lines of the benchmark programs, as CSV rows for one run."""
    if not CONFIG_RE.match(args.config) or args.config == 'valgrind':
        print(f'report: unknown configuration {args.config!r}',
              file=sys.stderr)
        return 2
    if args.run < 1:
        print(f'report: bad run {args.run}: want 1, 2, ...', file=sys.stderr)
        return 2
    writer = csv.writer(sys.stdout, lineterminator='\n')
    if args.header:
        writer.writerow(HEADER)
    seen, count = set(), 0
    for path in args.files or ['-']:
        f = sys.stdin if path == '-' else open(path, errors='replace')
        for line in f:
            line = line.rstrip('\r\n').rstrip('\r').strip()
            match = LINE_RE.match(line)
            if not match:
                continue
            bench = match.group(1)
            for pair in match.group(2).split():
                key, value = pair.split('=', 1)
                if parse_value(value) is None or (bench, key) in seen:
                    print(f'report: bad result line: {line}',
                          file=sys.stderr)
                    return 2
                seen.add((bench, key))
                writer.writerow([bench, key, args.config, args.run, value])
                count += 1
    if not count:
        print('report: no "bench ..." result lines in the input',
              file=sys.stderr)
        return 1
    return 0


def cmd_callgrind(args):
    """The region's instruction count from callgrind output files, one
    run per file, as valgrind rows."""
    writer = csv.writer(sys.stdout, lineterminator='\n')
    for run, path in enumerate(args.files, start=1):
        total = None
        with open(path) as f:
            for line in f:
                if line.startswith(('totals:', 'summary:')):
                    total = int(line.split()[1])
        if total is None:
            print(f'report: {path}: no totals: line', file=sys.stderr)
            return 2
        writer.writerow([args.benchmark, 'ir.' + args.metric, 'valgrind',
                         run, total])
    return 0


def cmd_entries(args):
    """The "stats: " table of a `tools/kitten run --stats` job as kitten
    rows: entries.KIND and entry_cycles.KIND per kind, entries.sys.NAME
    and entry_cycles.sys.NAME per system call, entries.switches."""
    writer = csv.writer(sys.stdout, lineterminator='\n')
    count = 0
    for path in args.files or ['-']:
        f = sys.stdin if path == '-' else open(path, errors='replace')
        for line in f:
            words = line.split()
            if len(words) >= 3 and words[:2] == ['stats:', 'switches']:
                writer.writerow([args.benchmark, 'entries.switches',
                                 'kitten', args.run, words[2]])
                count += 1
            if (len(words) < 6 or words[0] != 'stats:' or
                    words[1] not in ('kind', 'syscall') or
                    not all(w.isdigit() for w in words[-3:])):
                continue
            name = '_'.join(words[2:-3])
            if words[1] == 'syscall':
                name = 'sys.' + re.sub(r'_\(\d+\)$', '', name)
                if not NAME_RE.match(name):
                    continue    # "(the others)": not one call
            for prefix, value in (('entries.', words[-3]),
                                  ('entry_cycles.', words[-2])):
                writer.writerow([args.benchmark, prefix + name, 'kitten',
                                 args.run, value])
                count += 1
    if not count:
        print('report: no "stats:" table in the input', file=sys.stderr)
        return 1
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        description='Benchmark results to bench/report.md (bench/README.md)')
    sub = parser.add_subparsers(dest='command', required=True)

    p = sub.add_parser('report', help='write the report and charts')
    p.add_argument('csv', help='raw results (schema: bench/README.md)')
    p.add_argument('-o', '--output', default='bench/report.md',
                   help='the markdown; charts go beside it (default '
                   'bench/report.md)')
    p.add_argument('--notes', help='markdown appended as the closing note')
    p.add_argument('--icount-shift', type=int, default=0,
                   help='QEMU -icount shift: 2^shift ns per instruction')
    p.set_defaults(func=cmd_report)

    p = sub.add_parser('rows', help='"bench ..." lines to CSV rows')
    p.add_argument('--config', required=True)
    p.add_argument('--run', type=int, required=True, help='1, 2, ...')
    p.add_argument('--header', action='store_true',
                   help='print the CSV header first')
    p.add_argument('files', nargs='*', help='program output (default stdin)')
    p.set_defaults(func=cmd_rows)

    p = sub.add_parser('callgrind', help='callgrind counts to CSV rows')
    p.add_argument('--benchmark', required=True)
    p.add_argument('--metric', default='solve_s',
                   help='the time metric the region is (default solve_s)')
    p.add_argument('files', nargs='+', help='callgrind.out files, one a run')
    p.set_defaults(func=cmd_callgrind)

    p = sub.add_parser('entries',
                       help='a tools/kitten run --stats table to CSV rows')
    p.add_argument('--benchmark', required=True)
    p.add_argument('--run', type=int, default=1, help='1, 2, ...')
    p.add_argument('files', nargs='*', help='its output (default stdin)')
    p.set_defaults(func=cmd_entries)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == '__main__':
    sys.exit(main())
