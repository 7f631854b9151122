"""Region schemes: which macro region each unit belongs to.

Built-in schemes (``SCHEMES``):

* ``nbs4`` (default) — the National Bureau of Statistics' four regions: East 10, Central 6,
  West 12, Northeast 3 (NBS, 东西中部和东北地区划分方法, 2011);
* ``belt3`` — the three belts after 2000: East 11 (with Liaoning), Central 8 (with Jilin,
  Heilongjiang), West 12.

The XPCC (兵团, code 660000) is placed in the West in both. Cities take their province's
region (XPCC cities belong to Xinjiang, hence the West).

A custom scheme is a CSV/XLSX file with two columns, ``unit`` (a name or code) and
``region`` (any label). For a city study, a row may name a province (all its cities take
that region) or a city (overrides its province's row). Regions keep the order of their
first appearance in the file.

>>> s = region_scheme("nbs4")
>>> s.regions, s.region_of("440000"), s.region_of("660000")
(('East', 'Central', 'West', 'Northeast'), 'East', 'West')
>>> region_scheme("belt3").region_of("210000")
'East'
>>> region_scheme("nbs4", units="cities").region_of("440100")
'East'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import pandas as pd

from ..errors import InputError, Problem
from ..messages import catalogue, text
from ..units import UnitRegistry, cities, provinces

__all__ = ["SCHEMES", "RegionScheme", "region_scheme", "read_scheme_file", "registry_for",
           "read_input_table"]

# scheme name -> (column of the unit table, region order)
SCHEMES: Mapping[str, tuple[str, tuple[str, ...]]] = MappingProxyType({
    "nbs4": ("region4", ("East", "Central", "West", "Northeast")),
    "belt3": ("region3", ("East", "Central", "West")),
})


@dataclass(frozen=True)
class RegionScheme:
    """A mapping of unit codes to region labels, with the regions in display order."""

    name: str
    regions: tuple[str, ...]
    mapping: Mapping[str, str]

    def region_of(self, code: str) -> str | None:
        return self.mapping.get(str(code))

    def label(self, region: str, lang: str = "zh") -> str:
        """Display name of a region (built-in labels are translated; custom ones kept)."""
        key = f"regional.region.{region}"
        return text(key, lang) if key in catalogue() else str(region)


def registry_for(units: str | UnitRegistry) -> UnitRegistry:
    """``"provinces"``, ``"cities"`` or a ready registry."""
    if isinstance(units, UnitRegistry):
        return units
    if units == "provinces":
        return provinces()
    if units == "cities":
        return cities()
    raise ValueError(f"units must be 'provinces' or 'cities', not {units!r}")


def region_scheme(spec: str | Path = "nbs4", units: str | UnitRegistry = "provinces") -> RegionScheme:
    """A built-in scheme by name (``nbs4``, ``belt3``) or a custom mapping file."""
    reg = registry_for(units)
    if str(spec) in SCHEMES:
        column, order = SCHEMES[str(spec)]
        mapping = dict(zip(reg.table["code"], reg.table[column]))
        return RegionScheme(str(spec), order, MappingProxyType(mapping))
    return read_scheme_file(Path(spec), reg)


def read_input_table(path: Path) -> pd.DataFrame:
    """A table as written (CSV in UTF-8/GB18030 or XLSX), cells as read, via the shared reader."""
    from ..io.readers import read_table

    return read_table(Path(path)).frame


def read_scheme_file(path: Path, units: str | UnitRegistry = "provinces") -> RegionScheme:
    """A custom scheme from a file with columns ``unit`` and ``region``.

    Every unknown unit name, and every unit given two different regions, is reported at
    once as an :class:`~egoveval.errors.InputError`.
    """
    reg = registry_for(units)
    frame = read_input_table(path)
    cols = {c.strip().lower(): c for c in frame.columns}
    if {"unit", "region"} <= set(cols):
        unit_col, region_col = cols["unit"], cols["region"]
    elif len(frame.columns) == 2:
        unit_col, region_col = frame.columns
    else:
        raise InputError([Problem.of("regional.scheme_columns", file=path)])
    prov = provinces()
    problems: list[Problem] = []
    direct: dict[str, str] = {}
    by_province: dict[str, str] = {}
    order: list[str] = []
    for i, (unit, region) in enumerate(zip(frame[unit_col], frame[region_col]), start=2):
        unit, region = str(unit).strip(), str(region).strip()
        if not unit and not region:
            continue
        where = dict(file=path, row=i, column=str(unit_col))
        if not region:
            problems.append(Problem.of("regional.scheme_region_empty", value=unit, **{**where, "column": str(region_col)}))
            continue
        target, code = direct, reg.lookup(unit)
        if code is None and reg.kind == "cities" and prov.lookup(unit):
            target, code = by_province, prov.row(prov.lookup(unit))["name_short"]
        if code is None:
            problems.append(reg.problem_for(unit, **where) or Problem.of("units.unknown", value=unit,
                                                                           candidates="—", **where))
            continue
        if target.get(code, region) != region:
            problems.append(Problem.of("regional.scheme_conflict", value=unit, first=target[code],
                                       second=region, **where))
            continue
        target[code] = region
        if region not in order:
            order.append(region)
    if problems:
        raise InputError(problems)
    mapping = {}
    for code, province in zip(reg.table["code"], reg.table["province"]):
        region = direct.get(code, by_province.get(province))
        if region is not None:
            mapping[code] = region
    return RegionScheme(Path(path).name, tuple(order), MappingProxyType(mapping))
