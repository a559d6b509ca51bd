# SPDX-License-Identifier: GPL-2.0
"""The report's PNG charts, drawn with matplotlib (python3-matplotlib).

report.py decides what each chart shows (chart_specs) and imports this
module only to draw, so that a missing matplotlib costs the charts and
nothing else: the import fails and report.py says so.

Every chart is horizontal grouped bars: one group per row, top to bottom
(metric names stay readable however many there are), one bar per series,
the value printed at the end of each bar. Ratio charts get a line at 1
and an axis zoomed on the values, which sit near 1.
"""

import matplotlib

matplotlib.use('Agg')  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402 (after choosing the backend)


def bar_chart(path, spec):
    """Draw one spec (report.chart_specs) to path; groups and series with
    no value at all are left out."""
    series = {name: vs for name, vs in spec['series'].items()
              if any(v is not None for v in vs)}
    keep = [i for i in range(len(spec['groups']))
            if any(vs[i] is not None for vs in series.values())]
    groups = [spec['groups'][i] for i in keep]
    series = {name: [vs[i] for i in keep] for name, vs in series.items()}
    height = 0.8 / len(series)
    fig, ax = plt.subplots(
        figsize=(10, 1.5 + 0.25 * len(groups) * len(series)))
    for i, (name, values) in enumerate(series.items()):
        ys = [g + (i - (len(series) - 1) / 2) * height
              for g in range(len(groups))]
        bars = ax.barh([y for y, v in zip(ys, values) if v is not None],
                       [v for v in values if v is not None], height,
                       label=name)
        ax.bar_label(bars, fmt=spec['fmt'], fontsize=7, padding=2)
    values = [v for vs in series.values() for v in vs if v is not None]
    reference = spec['reference']
    if reference is not None:
        ax.axvline(reference, color='black', linewidth=0.8)
        low, high = min(values + [reference]), max(values + [reference])
        pad = max(high - low, 1e-3) * 0.35
        ax.set_xlim(max(0, low - pad), high + pad)
    else:
        ax.set_xlim(min(0, min(values)) * 1.3, max(0, max(values)) * 1.3)
    ax.set_yticks(range(len(groups)), groups, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(spec['xlabel'])
    ax.set_title(spec['caption'])
    ax.legend(fontsize=8, loc='upper left', bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def draw(specs, stem):
    """Each spec to <stem>-<name>.png; a list of (file, caption)."""
    drawn = []
    for spec in specs:
        path = f'{stem}-{spec["name"]}.png'
        bar_chart(path, spec)
        drawn.append((path, spec['caption']))
    return drawn
