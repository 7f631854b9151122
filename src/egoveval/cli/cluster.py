"""``egoveval cluster``: hierarchical clustering of any numeric table.

Writes ``membership.csv`` (id column, then ``k<K>`` per k, numbered as R ``cutree``),
``schedule.csv`` (SPSS agglomeration schedule), ``heights.csv`` (R ``hclust`` heights)
and ``dendrogram.png``.
"""

from __future__ import annotations

import click

from ..errors import InputError, Problem
from ..io.numeric import parse_column_list, read_numeric_table
from ..io.writers import output_dir, write_bytes, write_csv
from ..messages import bilingual
from .common import console, handles_errors

__all__ = ["cluster"]


def parse_k_range(text: str) -> tuple[int, int]:
    try:
        lo, hi = (int(x) for x in text.split("-", 1))
    except ValueError:
        raise InputError([Problem.of("cluster.bad_k_range", column="--k-range", value=text)]) from None
    if not 2 <= lo <= hi:
        raise InputError([Problem.of("cluster.bad_k_range", column="--k-range", value=text)])
    return lo, hi


@click.command()
@click.argument("file", type=click.Path(path_type=str))
@click.option("--id", "id_column", required=True, help="Column naming the units / 标识列")
@click.option("--columns", help="Comma-separated variables (default: every numeric column)")
@click.option("--k", "k", type=int, help="Number of clusters")
@click.option("--k-range", "k_range", help="Range of k, e.g. 2-8")
@click.option("--standardize", type=click.Choice(["z", "none", "range01"]), default="z", show_default=True)
@click.option("--method", type=click.Choice(["ward"]), default="ward", show_default=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=str))
@handles_errors
def cluster(file, id_column, columns, k, k_range, standardize, method, out_dir):
    """Cluster the rows of a numeric table (SPSS schedule, R-numbered memberships). / 对数值表做系统聚类。"""
    from ..cluster import build_tree, heights, memberships, spss_schedule
    from ..cluster.figures import dendrogram_figure
    from ..standardize import standardize as standardize_table

    table = read_numeric_table(file, id_column, parse_column_list(columns))
    n = len(table.data)
    if n < 2:
        raise InputError([Problem.of("cluster.too_few_units", file=file, n=n)])
    if k_range:
        lo, hi = parse_k_range(k_range)
        ks = list(range(lo, hi + 1))
    else:
        ks = [k if k else 4]
    if max(ks) > n or min(ks) < 1:
        raise InputError([Problem.of("cluster.k_too_large", file=file, value=max(ks), n=n)])
    z = standardize_table(table.data, standardize).data
    tree = build_tree(z.to_numpy(), list(table.data.index), method=method)
    members = memberships(tree, ks).reset_index().rename(columns={"unit": id_column})
    schedule = spss_schedule(tree)
    hs = heights(tree)
    import pandas as pd

    with output_dir(out_dir) as tmp:
        write_csv(members, tmp / "membership.csv")
        write_csv(schedule, tmp / "schedule.csv")
        write_csv(pd.DataFrame({"stage": range(1, len(hs) + 1), "height": hs}), tmp / "heights.csv")
        png, svg = dendrogram_figure(tree, list(table.data.index), k if k else (ks[0] if len(ks) == 1 else None),
                                     lang="both")
        write_bytes(png, tmp / "dendrogram.png")
    console.print(bilingual("cluster.done", path=out_dir))
