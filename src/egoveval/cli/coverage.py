"""``egoveval coverage``: the city multi-channel survey from one data file.

``egoveval coverage FILE [--framework city-multichannel] [--benchmarks FILE] --out DIR``
writes ``adoption.csv`` (``channel,area,group,n,provided,rate,ci_low,ci_high``; groups
key, prefecture — county_level too when the unit list brings them — and ``all``), ``by_region.csv``, ``city_scores.csv``, ``gaps.csv``,
``comparison.csv``, ``heatmap.png``/``heatmap.svg`` and, beside them, ``tests.csv``
(key vs prefecture-level), ``region_tests.csv`` and ``cooccurrence.csv``. Without
``--benchmarks`` the built-in ``city-multichannel`` framework is compared with the bundled
published 2014 rates; other frameworks get a comparison table with no rows.
Bad input: every problem at once, exit 2, nothing written.
"""

from __future__ import annotations

import click

from ..errors import InputError
from ..messages import msg
from .common import console, handles_errors

__all__ = ["coverage"]


@click.command("coverage")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--framework", "framework_id", default="city-multichannel", show_default=True,
              help="Framework id or YAML file / 指标体系")
@click.option("--units", "units_spec", default=None,
              help="cities | cities:key,prefecture | a unit file (CSV/XLSX with code, name, group, province); "
                   "default: the framework's units (city-multichannel: the 36 key + 301 prefecture-level cities)")
@click.option("--benchmarks", "benchmarks_file", default=None, type=click.Path(dir_okay=False),
              help="Benchmark rates: CSV/XLSX with channel, area, group, rate, source / 基准比例")
@click.option("--rank", "rank_method", type=click.Choice(["competition", "dense"]), default="competition",
              show_default=True, help="Ranking of coverage scores (1224 or 1223)")
@click.option("--lang", type=click.Choice(["zh", "en", "both"]), default="zh", show_default=True,
              help="Language of the heat map's labels / 图表语言")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output folder / 输出目录")
@handles_errors
def coverage(file: str, framework_id: str, units_spec: str | None, benchmarks_file: str | None,
             rank_method: str, lang: str, out: str) -> None:
    """城市多渠道政务服务覆盖率分析 / Adoption rates, gaps and benchmarks of a city channel survey."""
    from ..coverage import coverage_layout, coverage_tables, published_benchmarks, read_benchmarks
    from ..coverage.analysis import HEATMAP_FILE, write_coverage_files
    from ..frameworks import load_framework
    from ..io.observations import read_observations
    from ..io.writers import output_dir
    from ..units.registry import load_units

    framework = load_framework(framework_id)
    units = load_units(units_spec or framework.units)
    layout = coverage_layout(framework)
    groups = tuple(g for g in ("key", "prefecture") if g in set(units.table["group"])) or ("key", "prefecture")
    problems, obs, bench = [], None, None
    try:
        obs = read_observations(file, framework, units, expect_all_units=False)
    except InputError as exc:
        problems += list(exc.problems)
    try:
        if benchmarks_file is not None:
            bench = read_benchmarks(benchmarks_file, layout, groups)
        elif framework.path == "builtin:city-multichannel":
            bench = published_benchmarks(layout, groups)
    except InputError as exc:
        problems += list(exc.problems)
    if problems:
        raise InputError(problems)
    result = coverage_tables(obs, framework, units, bench, rank_method=rank_method, lang=lang)
    with output_dir(out, inputs=[file, units_spec, benchmarks_file]) as tmp:
        write_coverage_files(result.tables(), result.figures[HEATMAP_FILE], tmp)
    for warning in result.warnings:
        console.print(warning.both())
    console.print(msg("coverage.done", units=len(result.city_scores), cells=len(layout.cells), path=out).both())
