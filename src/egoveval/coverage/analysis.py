"""The pipeline-ready step: coverage observations → every table and figure of the survey.

:func:`coverage_tables` runs, in order: validation of the data against the framework's
channel × area layout (:mod:`.layout`); adoption rates with Wilson intervals per group
and over all cities (:mod:`.rates`); rates by NBS region; key vs prefecture-level exact
tests and regional exact tests (:mod:`.tests_exact`); channel co-occurrence
(:mod:`.cooccurrence`); city scores, ranks and gaps (:mod:`.scores`); the comparison with
benchmarks (:mod:`.benchmarks`); the heat map and, optionally, the city map
(:mod:`.figures`). :func:`add_to_result` adds the lot to a :class:`~egoveval.result.Result`.

>>> from egoveval.frameworks import load_framework
>>> from egoveval.units import cities
>>> from egoveval.samples.city import generate_city
>>> res = coverage_tables(generate_city(), load_framework("city-multichannel"), cities(), figures=False)
>>> row = res.adoption.query("channel == 'weibo' and area == 'whole_gov' and group == 'key'")
>>> int(row["n"].iloc[0]), bool(row["ci_low"].iloc[0] <= row["rate"].iloc[0] <= row["ci_high"].iloc[0])
(36, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import pandas as pd

from ..errors import Problem
from ..frameworks.schema import Framework
from ..messages import Message, first_items, msg
from ..units.registry import UnitRegistry, population_groups
from .benchmarks import COMPARISON_COLUMNS, compare, parse_benchmarks, read_benchmarks
from .cooccurrence import cooccurrence
from .labels import csv_view, group_name, labelled
from .layout import coverage_data
from .rates import adoption_rates, rates_by_region
from .scores import city_scores, gaps
from .tests_exact import group_tests, region_tests

__all__ = ["CoverageResult", "coverage_tables", "add_to_result", "write_coverage_files", "group_name", "TABLES",
           "FOLDER", "FOLDER_FIGURES", "HEATMAP", "HEATMAP_FILE"]

#: Sub-folder of a run's output holding the files ``egoveval coverage`` writes.
FOLDER = "coverage"

# Result table name -> (CoverageResult attribute, title key, CSV file written by the CLI)
TABLES: Mapping[str, tuple[str, str, str]] = {
    "coverage_adoption": ("adoption", "table.coverage_adoption", "adoption.csv"),
    "coverage_by_region": ("by_region", "table.coverage_by_region", "by_region.csv"),
    "coverage_city_scores": ("city_scores", "table.coverage_city_scores", "city_scores.csv"),
    "coverage_gaps": ("gaps", "table.coverage_gaps", "gaps.csv"),
    "coverage_comparison": ("comparison", "table.coverage_comparison", "comparison.csv"),
    "coverage_cooccurrence": ("cooccurrence", "table.coverage_cooccurrence", "cooccurrence.csv"),
    "coverage_tests": ("tests", "table.coverage_tests", "tests.csv"),
    "coverage_region_tests": ("region_tests", "table.coverage_region_tests", "region_tests.csv"),
}
#: The heat map: its Result figure name, and its file name in ``FOLDER`` (``heatmap.png``/``.svg``).
HEATMAP, HEATMAP_FILE = "coverage_heatmap", "heatmap"
#: Result figures written into ``FOLDER`` rather than beside the tables.
FOLDER_FIGURES = (HEATMAP,)
FIGURES: Mapping[str, tuple[str, str]] = {
    HEATMAP_FILE: (HEATMAP, "figure.coverage_heatmap"),
    "map": ("coverage_map", "figure.coverage_map"),
}


@dataclass(frozen=True)
class CoverageResult:
    """Every output of the coverage step.

    adoption     channel, area, group, n, provided, rate, ci_low, ci_high (groups + ``all``)
    by_region    the same per group × NBS region (column ``region``)
    city_scores  one row per city: score (share of cells provided), rank, rank_in_group, gaps
    gaps         one row per city × cell not provided (or missing)
    comparison   measured vs benchmark (empty, with its columns, when there are none)
    cooccurrence channel × channel: share of cities providing both, phi, Jaccard
    tests        key vs prefecture-level per channel × area: Fisher 2×2, odds ratio, difference
    region_tests provided × region per channel × area × group: Fisher–Freeman–Halton
    labels       kind (channel/area), id, zh, en — names for the ids used in the tables
    figures      name → (png, svg): ``heatmap`` (and ``map`` when asked for)
    warnings     Messages for the report (missing cells, …)
    """

    adoption: pd.DataFrame
    by_region: pd.DataFrame
    city_scores: pd.DataFrame
    gaps: pd.DataFrame
    comparison: pd.DataFrame
    cooccurrence: pd.DataFrame
    tests: pd.DataFrame
    region_tests: pd.DataFrame
    labels: pd.DataFrame
    figures: Mapping[str, tuple[bytes, bytes]] = field(default_factory=dict)
    warnings: tuple[Message, ...] = ()

    def tables(self) -> dict[str, pd.DataFrame]:
        """Result table name → DataFrame."""
        return {name: getattr(self, attr) for name, (attr, _, _) in TABLES.items()}


def _benchmarks(benchmarks, layout, groups) -> pd.DataFrame | None:
    if benchmarks is None:
        return None
    if isinstance(benchmarks, pd.DataFrame):
        if {"channel", "area", "group", "rate"} <= set(benchmarks.columns) and "row" in benchmarks.columns:
            return benchmarks  # already parsed
        from ..io.readers import RawTable

        raw = RawTable(benchmarks.astype(object), tuple(range(2, len(benchmarks) + 2)), "benchmarks")
        return parse_benchmarks(raw, layout, groups)
    return read_benchmarks(Path(benchmarks), layout, groups)


def _population_warnings(data, framework: Framework) -> list[Message]:
    """A warning when units outside the framework's survey population (its ``units`` spec,
    e.g. ``cities:key,prefecture``) appear in the data."""
    population = population_groups(framework.units)
    if not population:
        return []
    outside = data.units[~data.units["group"].isin(population)]
    if outside.empty:
        return []
    names = list(outside["name"])
    groups = list(dict.fromkeys(outside["group"]))
    return [msg("coverage.outside_population", count=len(names), units=first_items(names, 10, "zh"),
                units_en=first_items(names, 10, "en"),
                population_zh="、".join(group_name(g, "zh") for g in population),
                population_en=", ".join(group_name(g, "en") for g in population),
                groups_zh="、".join(group_name(g, "zh") for g in groups),
                groups_en=", ".join(group_name(g, "en") for g in groups))]


def coverage_tables(observations_or_values, framework: Framework, units: UnitRegistry,
                    benchmarks=None, *, rank_method: str = "competition", lang: str = "zh",
                    synthetic: bool = False, figures: bool = True, city_map: bool = False,
                    level: float = 0.95) -> CoverageResult:
    """All coverage tables (and figures) for a city survey.

    Parameters
    ----------
    observations_or_values : Observations or DataFrame
        Parsed observations (``read_observations``), or a frame indexed by unit code with
        the framework's indicator ids as columns and 1/0/missing cells.
    framework : Framework
        A framework with binary indicators crossed with declared areas (``city-multichannel``).
    units : UnitRegistry
        The units (``cities()``): ``group`` gives key / prefecture, ``region4`` the region.
    benchmarks : path, DataFrame or None
        A benchmark file or frame (``channel, area, group, rate, source``); parsed benchmarks
        (``published_benchmarks(layout)``) are used as they are. None: no comparison rows.
    rank_method : {"competition", "dense"}
    lang : {"zh", "en", "both"}
        Language of figure labels and of the ``channels_absent``/``areas_uncovered`` lists.
    synthetic : bool
        Say "synthetic" in the figure titles.
    figures, city_map : bool
        Draw the heat map; also draw the city map (slower).

    Raises
    ------
    InputError
        With every problem in the data, framework or benchmarks.
    """
    data = coverage_data(observations_or_values, framework, units)
    layout = data.layout
    bench = _benchmarks(benchmarks, layout, data.groups)
    adoption = adoption_rates(data, level)
    by_region = rates_by_region(data, level)
    scores = city_scores(data, framework, rank_method, "zh" if lang == "both" else lang)
    comparison = compare(adoption, bench, level) if bench is not None and len(bench) else \
        pd.DataFrame(columns=COMPARISON_COLUMNS)
    warnings = _population_warnings(data, framework)
    missing = int(data.values.isna().sum().sum())
    if missing:
        warnings.append(msg("coverage.missing_cells", count=missing))
    figs: dict[str, tuple[bytes, bytes]] = {}
    if figures:
        from .figures import coverage_map, heatmap

        figs[HEATMAP_FILE] = heatmap(adoption, layout, (*data.groups, "all"), lang=lang, synthetic=synthetic)
        if city_map:
            figs["map"] = coverage_map(scores, lang=lang, synthetic=synthetic)
    return CoverageResult(
        adoption=adoption, by_region=by_region, city_scores=scores, gaps=gaps(data), comparison=comparison,
        cooccurrence=cooccurrence(data), tests=group_tests(adoption, level=level),
        region_tests=region_tests(data, by_region), labels=layout.labels.copy(), figures=figs,
        warnings=tuple(warnings))


def _comparison_note(comparison: pd.DataFrame) -> Message | None:
    """The sources of the benchmarks (one note instead of a long column) and how pooled rates
    are tested."""
    if comparison.empty:
        return None
    sources = [s for s in dict.fromkeys(comparison["source"].astype(str)) if s.strip()]
    return msg("coverage.comparison_note", sources="; ".join(sources) or "—")


def add_to_result(result, coverage: CoverageResult, *, stage: str = "coverage"):
    """Add every coverage table and figure to a Result (names in ``TABLES``/``FIGURES``).

    The tables carry the names of their ids (channels, areas, groups, regions, …) in both
    languages beside the ids (:func:`~egoveval.coverage.labels.labelled`); the CSV files of
    :func:`write_coverage_files` leave them out again."""
    notes = {"coverage_comparison": _comparison_note(coverage.comparison)}
    for name, (attr, title, _) in TABLES.items():
        result = result.with_table(name, labelled(getattr(coverage, attr), coverage.labels), stage=stage,
                                   title=title, note=notes.get(name))
    for key, (png, svg) in coverage.figures.items():
        name, title = FIGURES[key]
        result = result.with_figure(name, png, svg, stage=stage, title=title)
    for warning in coverage.warnings:
        result = result.with_warning(warning)
    return result


def write_coverage_files(tables: Mapping[str, pd.DataFrame], heatmap: tuple[bytes, bytes] | None,
                         folder: Path) -> list[str]:
    """The files of ``egoveval coverage`` (``adoption.csv``, ``by_region.csv``,
    ``city_scores.csv``, ``gaps.csv``, ``comparison.csv``, … and ``heatmap.png``/``.svg``)
    written into ``folder`` from Result table names (``TABLES``); returns the file names.
    The CLI and ``egoveval run`` share it, so both write the same files."""
    from ..io.writers import write_bytes, write_csv

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (_, _, filename) in TABLES.items():
        if name in tables:
            write_csv(csv_view(name, tables[name]), folder / filename)
            written.append(filename)
    if heatmap is not None:
        write_bytes(heatmap[0], folder / f"{HEATMAP_FILE}.png")
        write_bytes(heatmap[1], folder / f"{HEATMAP_FILE}.svg")
        written += [f"{HEATMAP_FILE}.png", f"{HEATMAP_FILE}.svg"]
    return written
