"""``egoveval regions``: regional differentiation of one outcome column.

Writes ``by_region.csv``, ``tests.csv`` (``test,statistic,df,p,effect``), ``inequality.csv``
(``measure,total,between,within,between_share``), ``moran.csv``
(``I,expectation,variance,z,p_randomisation,p_permutation``), ``lisa.csv``, ``map.png``
and ``map.svg``; with ``--category`` also ``crosstab.csv``; always ``tests_detail.csv``,
``moran_detail.csv`` (n used, islands, links, Hainan and XPCC choices), ``units.csv``,
``notes.csv``; for ``--value`` also ``dunn.csv`` and ``inequality_detail.csv`` (per-region
contributions, Dagum's between parts).
"""

from __future__ import annotations

import click
import pandas as pd

from ..io.writers import output_dir, write_bytes, write_csv
from ..messages import bilingual
from .common import console, handles_errors

__all__ = ["regions"]


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--id", "id_column", required=True, help="Column naming the units / 单位列")
@click.option("--value", "value", help="Numeric outcome column / 数值结果列")
@click.option("--category", "category", help="Categorical outcome column (cluster, tier) / 分类结果列")
@click.option("--weight", "weight", help="Population weights column for inequality / 人口权重列")
@click.option("--scheme", default="nbs4", show_default=True,
              help="nbs4 | belt3 | a CSV/XLSX file with columns unit,region / 地区划分")
@click.option("--units", type=click.Choice(["provinces", "cities"]), default="provinces", show_default=True)
@click.option("--hainan-link", is_flag=True, help="Add the Hainan–Guangdong sea link / 添加海南—广东连接")
@click.option("--include-xpcc", is_flag=True, help="Keep XPCC in Moran/LISA (as an island) / 兵团纳入空间分析")
@click.option("--permutations", type=click.IntRange(0, 100_000), default=999, show_default=True)
@click.option("--seed", type=int, default=20210301, show_default=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=str))
@handles_errors
def regions(file, id_column, value, category, weight, scheme, units, hainan_link, include_xpcc,
            permutations, seed, out_dir):
    """Regional differences: tests, inequality, Moran's I, LISA, map. / 地区差异分析。"""
    from ..regional.analysis import RegionalOptions, regional_analysis
    from ..regional.figures import regional_figure
    if (value is None) == (category is None):
        raise click.UsageError("give exactly one of --value or --category / --value 与 --category 二选一")
    raw = _read(file)
    options = RegionalOptions(units=units, scheme=scheme, hainan_link=hainan_link,
                              include_xpcc=include_xpcc, permutations=permutations, seed=seed)
    analysis = regional_analysis(raw["frame"], id_column, value=value, category=category, weight=weight,
                                 options=options, file=file, rows=raw["rows"])
    png, svg, fig_note = regional_figure(analysis)
    notes = list(analysis.notes) + ([fig_note] if fig_note else [])
    with output_dir(out_dir, inputs=[file, scheme]) as tmp:
        for name, table in analysis.tables.items():
            write_csv(table, tmp / f"{name}.csv")
        write_csv(pd.DataFrame({"key": [n.key for n in notes], "zh": [n.zh for n in notes],
                                "en": [n.en for n in notes]}), tmp / "notes.csv")
        write_bytes(png, tmp / "map.png")
        write_bytes(svg, tmp / "map.svg")
    for note in notes:
        console.print(f"• {note.both()}")
    console.print(bilingual("regional.cli.done", path=out_dir))


def _read(file: str) -> dict:
    """Raw cells and the file row numbers."""
    from ..io.readers import read_table

    raw = read_table(file)
    return {"frame": raw.frame, "rows": raw.rows}
