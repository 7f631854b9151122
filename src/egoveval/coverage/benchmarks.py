"""Benchmark rates (e.g. published figures) and their comparison with measured rates.

A benchmark file (CSV or XLSX, one row per benchmark) has the columns
``channel, area, group, rate, source`` (``note`` optional):

* ``channel`` / ``area``: an id, Chinese or English name from the framework; ``area = all``
  (全部) means the rate pooled over all areas (:func:`~egoveval.coverage.rates.pooled_rates`);
* ``group``: a city group of the units (``key``/重点城市, ``prefecture``/地级城市) or ``all``
  (全部/全国);
* ``rate``: 0–1 or a percentage (``64%``).

Every problem in the file is reported at once. :func:`published_benchmarks` returns the
bundled figures of the 2014 survey as quoted in seed 003 (``data/benchmarks_published_2014.csv``;
see its ``note`` column for how each figure is read).

**Comparison** (:func:`compare`): for each benchmark, the measured rate with its Wilson
95 % interval, ``difference = measured − benchmark``, ``within_ci`` (the benchmark lies in
the interval) and ``binom_p``, the exact two-sided binomial test of
H0: p = benchmark (scipy.stats.binomtest, which sums the probabilities of outcomes no
more likely than the observed one, as R's ``binom.test``).
"""

from __future__ import annotations

import difflib
import math
import re
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from ..errors import InputError, Problem
from ..io.readers import RawTable, read_table
from ..units.matching import normalise_name
from .intervals import wilson_interval
from .layout import Layout
from .rates import pooled_rates

__all__ = ["BENCHMARK_COLUMNS", "COMPARISON_COLUMNS", "read_benchmarks", "published_benchmarks",
           "published_benchmarks_path", "parse_benchmarks", "compare"]

BENCHMARK_COLUMNS = ["channel", "area", "group", "rate", "source"]
COMPARISON_COLUMNS = ["channel", "area", "group", "basis", "n", "provided", "measured", "ci_low", "ci_high",
                      "benchmark", "difference", "within_ci", "binom_p", "source", "note"]
PUBLISHED_FILE = "benchmarks_published_2014.csv"
_ALL_AREAS = {"all", "全部", "全部领域", "合计", "all areas", "allareas"}
_GROUP_ALIASES = {"重点城市": "key", "key cities": "key", "keycities": "key", "地级城市": "prefecture",
                  "地级市": "prefecture", "prefecture-level": "prefecture", "全部": "all", "全国": "all",
                  "全部城市": "all", "allcities": "all", "national": "all"}
_PERCENT = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*%\s*$")


def published_benchmarks_path() -> Path:
    return Path(str(resources.files(__package__).joinpath("data", PUBLISHED_FILE)))


def _rate(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        x = float(value)
    else:
        text = str(value).strip()
        m = _PERCENT.match(text)
        try:
            x = float(m.group(1)) / 100 if m else float(text)
        except ValueError:
            return None
    return x if math.isfinite(x) and 0 <= x <= 1 else None


def _lookup(value, kind: str, layout: Layout) -> str | None:
    key = normalise_name(value)
    for row in layout.labels[layout.labels["kind"] == kind].itertuples():
        if key in (normalise_name(row.id), normalise_name(row.zh), normalise_name(row.en)):
            return row.id
    return None


def parse_benchmarks(raw: RawTable, layout: Layout, groups) -> pd.DataFrame:
    """Validate a raw benchmark table; return channel, area, group, rate, source, note, row."""
    frame, file = raw.frame, raw.file
    cols = {normalise_name(c): c for c in frame.columns}
    problems = [Problem.of("coverage.bench_column", file=file, column=c) for c in BENCHMARK_COLUMNS
                if c not in cols]
    if problems:
        raise InputError(problems)
    allowed = [*groups, "all"]
    out, seen = [], {}
    for pos in range(len(frame)):
        row = raw.rows[pos]
        get = lambda c: frame.iloc[pos][cols[c]]  # noqa: E731
        ch_raw, ar_raw, gr_raw, rate_raw = get("channel"), get("area"), get("group"), get("rate")
        channel = _lookup(ch_raw, "channel", layout)
        if channel is None:
            hint = difflib.get_close_matches(str(ch_raw), list(layout.channels), n=1)
            problems.append(Problem.of("coverage.bench_channel", file=file, row=row, column=cols["channel"],
                                       value=ch_raw, hint=hint[0] if hint else "—"))
        area = "all" if normalise_name(ar_raw) in _ALL_AREAS else _lookup(ar_raw, "area", layout)
        if area is None:
            hint = difflib.get_close_matches(str(ar_raw), list(layout.areas), n=1)
            problems.append(Problem.of("coverage.bench_area", file=file, row=row, column=cols["area"],
                                       value=ar_raw, hint=hint[0] if hint else "—"))
        g = normalise_name(gr_raw)
        group = _GROUP_ALIASES.get(g, g)
        if group not in allowed:
            problems.append(Problem.of("coverage.bench_group", file=file, row=row, column=cols["group"],
                                       value=gr_raw, groups=", ".join(allowed)))
            group = None
        rate = _rate(rate_raw)
        if rate is None:
            problems.append(Problem.of("coverage.bench_rate", file=file, row=row, column=cols["rate"], value=rate_raw))
        if None in (channel, area, group, rate):
            continue
        key = (channel, area, group)
        if key in seen:
            problems.append(Problem.of("coverage.bench_duplicate", file=file, row=row, column=cols["channel"],
                                       value=" × ".join(key), first=seen[key]))
            continue
        seen[key] = row
        source = get("source")
        note = get("note") if "note" in cols else ""
        out.append({"channel": channel, "area": area, "group": group, "rate": rate,
                    "source": "" if source is None else str(source), "note": "" if note is None else str(note),
                    "row": row})
    if problems:
        raise InputError(problems)
    return pd.DataFrame(out, columns=["channel", "area", "group", "rate", "source", "note", "row"])


def read_benchmarks(path: str | Path, layout: Layout, groups=("key", "prefecture")) -> pd.DataFrame:
    """Read and validate a benchmark file (all problems at once)."""
    path = Path(path)
    if not path.exists():
        raise InputError([Problem.of("coverage.bench_not_found", file=path)])
    return parse_benchmarks(read_table(path), layout, groups)


def published_benchmarks(layout: Layout, groups=("key", "prefecture")) -> pd.DataFrame:
    """The bundled published rates of the 2014 city survey (seed 003)."""
    return read_benchmarks(published_benchmarks_path(), layout, groups)


def compare(adoption: pd.DataFrame, benchmarks: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Measured against benchmark, one row per benchmark (columns ``COMPARISON_COLUMNS``).

    ``basis`` is ``cell`` (one channel × area) or ``pooled_areas`` (area = all: city × area
    cells pooled, n counts cells). Groups without observed cities give NaN and no test.
    """
    measured = pd.concat([adoption, pooled_rates(adoption, level)], ignore_index=True)
    measured = measured.set_index(["channel", "area", "group"])
    rows = []
    for b in benchmarks.itertuples(index=False):
        key = (b.channel, b.area, b.group)
        n = int(measured.at[key, "n"]) if key in measured.index else 0
        k = int(measured.at[key, "provided"]) if key in measured.index else 0
        lo, hi = (float(v) for v in wilson_interval(k, n, level))
        rate = k / n if n else math.nan
        p = float(binomtest(k, n, b.rate).pvalue) if n else math.nan
        rows.append({"channel": b.channel, "area": b.area, "group": b.group,
                     "basis": "pooled_areas" if b.area == "all" else "cell", "n": n, "provided": k,
                     "measured": rate, "ci_low": lo, "ci_high": hi, "benchmark": float(b.rate),
                     "difference": rate - float(b.rate),
                     "within_ci": bool(lo <= b.rate <= hi) if n else None, "binom_p": p,
                     "source": b.source, "note": b.note})
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
