"""The channel × area layout of a coverage framework and the 0/1 data it describes.

A coverage framework (e.g. the built-in ``city-multichannel``) has binary indicators,
each with a channel (its parent) and a service area (the indicator's ``area`` field).
:func:`coverage_layout` checks that and returns one row per indicator;
:func:`coverage_data` turns observations into a units × indicators float matrix of
1 (provided), 0 (not provided) and NaN (missing), joined to the units' group
(``key`` / ``prefecture``) and region (NBS four regions, ``region4``).

>>> from egoveval.frameworks import load_framework
>>> lay = coverage_layout(load_framework("city-multichannel"))
>>> len(lay.cells), lay.channels[:3], lay.areas[:2]
(42, ('weibo', 'wechat', 'microportal'), ('whole_gov', 'housing'))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..frameworks.schema import Framework
from ..units.registry import UnitRegistry

__all__ = ["Layout", "CoverageData", "coverage_layout", "coverage_data", "group_order", "REGION_ORDER"]

REGION_ORDER = ("East", "Central", "West", "Northeast")
_GROUP_FIRST = ("key", "prefecture")


@dataclass(frozen=True)
class Layout:
    """``cells``: indicator, channel, area (framework order); names in both languages."""

    cells: pd.DataFrame
    channels: tuple[str, ...]
    areas: tuple[str, ...]
    labels: pd.DataFrame  # kind (channel/area), id, zh, en

    def indicator(self, channel: str, area: str) -> str | None:
        hit = self.cells[(self.cells["channel"] == channel) & (self.cells["area"] == area)]
        return None if hit.empty else str(hit["indicator"].iloc[0])

    def label(self, kind: str, ident: str, lang: str) -> str:
        row = self.labels[(self.labels["kind"] == kind) & (self.labels["id"] == ident)]
        if row.empty:
            return ident
        zh, en = str(row["zh"].iloc[0]), str(row["en"].iloc[0])
        return zh if lang == "zh" else en if lang == "en" else f"{zh} / {en}"


@dataclass(frozen=True)
class CoverageData:
    """``values``: units (index: code) × indicator ids, 1.0 / 0.0 / NaN; ``units``: code, name,
    group, province, region (rows aligned with ``values``)."""

    values: pd.DataFrame
    units: pd.DataFrame
    layout: Layout

    @property
    def groups(self) -> tuple[str, ...]:
        return group_order(self.units["group"])


def group_order(groups) -> tuple[str, ...]:
    """City groups in display order: key, prefecture, then any others sorted.

    >>> group_order(["prefecture", "key", "other", "key"])
    ('key', 'prefecture', 'other')
    """
    present = [str(g) for g in dict.fromkeys(groups) if str(g)]
    return tuple([g for g in _GROUP_FIRST if g in present] + sorted(g for g in present if g not in _GROUP_FIRST))


def coverage_layout(framework: Framework) -> Layout:
    """Check that every indicator is binary and has an area; each channel × area once."""
    problems: list[Problem] = []
    if not framework.areas:
        problems.append(Problem.of("coverage.no_areas", value=framework.id))
    rows, seen = [], {}
    for ind in framework.indicators:
        if ind.kind != "binary":
            problems.append(Problem.of("coverage.not_binary", column=ind.id, value=ind.kind))
        if not ind.area:
            problems.append(Problem.of("coverage.no_area", column=ind.id))
            continue
        key = (ind.channel, ind.area)
        if key in seen:
            problems.append(Problem.of("coverage.duplicate_cell", column=ind.id, value=f"{ind.channel} × {ind.area}",
                                       first=seen[key]))
            continue
        seen[key] = ind.id
        rows.append({"indicator": ind.id, "channel": ind.channel, "area": ind.area})
    if problems:
        raise InputError(problems)
    labels = [{"kind": "channel", "id": c.id, "zh": c.name_zh, "en": c.name_en} for c in framework.channels]
    labels += [{"kind": "area", "id": a.id, "zh": a.name_zh, "en": a.name_en} for a in framework.areas]
    cells = pd.DataFrame(rows, columns=["indicator", "channel", "area"])
    used_areas = set(cells["area"])
    return Layout(cells, tuple(c.id for c in framework.channels),
                  tuple(a.id for a in framework.areas if a.id in used_areas), pd.DataFrame(labels))


def _as_float(value) -> float | None:
    """1/0 (also True/False, "1"/"0") → float; missing → NaN; anything else → None."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return float("nan")
    if isinstance(value, (bool, np.bool_)):
        return float(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and float(value) in (0.0, 1.0):
        return float(value)
    if isinstance(value, str) and value.strip() in ("0", "1"):
        return float(value.strip())
    if value is pd.NA:
        return float("nan")
    return None


def coverage_data(observations_or_values, framework: Framework, units: UnitRegistry) -> CoverageData:
    """Validated 0/1/NaN matrix and unit attributes.

    ``observations_or_values`` is an :class:`~egoveval.io.observations.Observations` (its
    parsed ``values``) or a DataFrame indexed by unit code with indicator-id columns.
    Every problem (unknown units, cells that are not 0/1, absent indicator columns) is
    raised at once as an :class:`InputError`.
    """
    layout = coverage_layout(framework)
    values = observations_or_values
    if not isinstance(values, pd.DataFrame):
        values = getattr(observations_or_values, "values", None)
    if not isinstance(values, pd.DataFrame):
        raise TypeError("observations_or_values must be Observations or a DataFrame")
    problems: list[Problem] = []
    ids = list(layout.cells["indicator"])
    for ind in ids:
        if ind not in values.columns:
            problems.append(Problem.of("coverage.missing_indicator", column=ind))
    table = units.table.set_index("code")
    codes = [str(c) for c in values.index]
    for code in codes:
        if code not in table.index:
            problems.append(Problem.of("coverage.unknown_unit", value=code))
    if len(set(codes)) != len(codes):
        for code in sorted({c for c in codes if codes.count(c) > 1}):
            problems.append(Problem.of("coverage.duplicate_unit", value=code))
    if not codes:
        problems.append(Problem.of("coverage.no_units"))
    out = pd.DataFrame(np.nan, index=pd.Index(codes, name="code"), columns=ids)
    for ind in (i for i in ids if i in values.columns):
        for code, value in zip(codes, values[ind]):
            parsed = _as_float(value)
            if parsed is None:
                problems.append(Problem.of("coverage.not_01", column=ind, value=f"{code}: {value}"))
            else:
                out.at[code, ind] = parsed
    if problems:
        raise InputError(problems)
    rows = table.loc[codes]
    unit_frame = pd.DataFrame({
        "code": codes, "name": list(rows["name"]),
        "group": list(rows["group"].fillna("")), "province": list(rows["province"].fillna("")),
        "region": list(rows["region4"].fillna("")),
    })
    return CoverageData(out, unit_frame, layout)
