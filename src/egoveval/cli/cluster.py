"""``egoveval cluster``: hierarchical clustering of any numeric table, with the diagnostics
reviewers ask for.

Always writes ``membership.csv`` (id column, then ``k<K>`` per k, numbered as R ``cutree``),
``schedule.csv`` (SPSS agglomeration schedule), ``heights.csv`` (R ``hclust`` heights),
``dendrogram.png``, and for the chosen k: ``tests.csv`` (Kruskal–Wallis and ANOVA per
variable), ``descriptions.md`` (typed descriptions, Chinese and English), ``ties.csv``
(the schedule with tied merges flagged), ``heatmap.png``, ``profiles.png`` and
``silhouette.png``, and ``notes.md`` (the conventions used — linkage and distance, the
silhouettes' distance, the gap statistic's reference distribution, B, seed and rule, the
null reference's design, the unit-order check — and the warnings, in both languages).
With ``--k-range``: ``kstats.csv``, ``votes.csv`` (``index,k,vote_note``; an index whose k
is outside the range has no k and a note) and ``k_panel.png``; with ``--bootstrap``:
``stability.csv``; with ``--permutations``: ``order_stability.csv``.

Warnings are also printed: columns with no spread (standardised to 0), a partition that
changes under permutations of the unit order, tied merges that were not checked. The
resampling loops run in ``--jobs`` processes; the results do not depend on it.
"""

from __future__ import annotations

import click

from ..errors import InputError, Problem
from ..io.numeric import parse_column_list, read_numeric_table
from ..io.writers import output_dir, write_bytes, write_csv
from ..messages import bilingual, msg
from ..settings import setting
from .common import console, handles_errors

__all__ = ["cluster"]

_METHODS = ("ward", "average", "complete", "single", "centroid", "median")
_METRICS = ("euclidean", "sqeuclidean", "manhattan", "chebyshev", "correlation")
_STANDARDIZE = ("z", "range11", "range01", "max1", "mean1", "sd1", "none")


def parse_k_range(text: str) -> tuple[int, int]:
    try:
        lo, hi = (int(x) for x in text.split("-", 1))
    except ValueError:
        raise InputError([Problem.of("cluster.bad_k_range", column="--k-range", value=text)]) from None
    if not 2 <= lo <= hi:
        raise InputError([Problem.of("cluster.bad_k_range", column="--k-range", value=text)])
    return lo, hi


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--id", "id_column", required=True, help="Column naming the units / 标识列")
@click.option("--columns", help="Comma-separated variables (default: every numeric column)")
@click.option("--k", "k", type=int,
              help="The chosen number of clusters (default 4; with --k-range and no --k: the k most "
                   "indices vote for) / 采用的类数")
@click.option("--k-range", "k_range",
              help="Range of k for the diagnostics and memberships, e.g. 2-8; writes kstats.csv. "
                   "Without --k the chosen k is the one most indices vote for (silhouette, "
                   "Calinski-Harabasz, Davies-Bouldin, gap, elbow; ties to the smaller k)")
@click.option("--use-suggested-k", is_flag=True,
              help="Use the suggested k even when --k is given (needs --k-range) / 采用建议的 k")
@click.option("--standardize", type=click.Choice(_STANDARDIZE), default="z", show_default=True,
              help="SPSS standardisation: z (n-1 SD), range11, range01, max1, mean1, sd1, none")
@click.option("--method", type=click.Choice(_METHODS), default="ward", show_default=True,
              help="Linkage; ward, centroid and median need (sq)euclidean")
@click.option("--metric", type=click.Choice(_METRICS), default="euclidean", show_default=True,
              help="Distance between units")
@click.option("--bootstrap", "bootstrap", type=click.IntRange(min=1),
              help="Bootstrap resamples for cluster stability (fpc::clusterboot), beside a column-permuted "
                   "null; writes stability.csv. Off unless given; egoveval run uses 200 (cluster.bootstrap)")
@click.option("--permutations", type=click.IntRange(min=1),
              help="Random orders of the units to test order dependence; writes order_stability.csv")
@click.option("--gap-b", type=click.IntRange(min=0), default=100, show_default=True,
              help="Reference sets for the gap statistic (0 = skip)")
@click.option("--seed", type=int, default=20210301, show_default=True, help="Random seed / 随机种子")
@click.option("--jobs", type=click.IntRange(min=1), default=lambda: setting("cluster.jobs").default,
              show_default="min(2, CPUs), as cluster.jobs",
              help="Worker processes for the resampling loops (results do not depend on it) / 并行进程数")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=str))
@handles_errors
def cluster(file, id_column, columns, k, k_range, use_suggested_k, standardize, method, metric,
            bootstrap, permutations, gap_b, seed, jobs, out_dir):
    """Cluster the rows of a numeric table (SPSS schedule, R-numbered memberships) and diagnose
    the cut. / 对数值表做系统聚类并给出诊断。"""
    import pandas as pd

    from ..cluster import build_tree, heights, memberships, spss_schedule
    from ..cluster.diagnose import diagnose
    from ..cluster.figures import dendrogram_figure
    from ..cluster.notes import notes_markdown, notes_of, order_warning
    from ..cluster.stability import STABILITY_COLUMNS
    from ..cluster.tree import check_method
    from ..standardize import standardize as standardize_table

    check_method(method, metric)
    table = read_numeric_table(file, id_column, parse_column_list(columns))
    n = len(table.data)
    if n < 2:
        raise InputError([Problem.of("cluster.too_few_units", file=file, n=n)])
    rng = parse_k_range(k_range) if k_range else None
    ks = list(range(rng[0], rng[1] + 1)) if rng else []
    if k is not None and k not in ks:
        ks = sorted(set(ks) | {k})
    if not ks:
        ks = [4]
    if max(ks) > n or min(ks) < 1:
        raise InputError([Problem.of("cluster.k_too_large", file=file, value=max(ks), n=n)])
    if use_suggested_k and not rng:
        raise InputError([Problem.of("cluster.use_suggested_needs_range", column="--use-suggested-k",
                                     value="--use-suggested-k")])
    standardized = standardize_table(table.data, standardize)
    z = standardized.data
    tree = build_tree(z.to_numpy(), list(table.data.index), method=method, metric=metric)
    study_k = k if k is not None else (ks[0] if not rng else None)
    diag = diagnose(z, table.data, tree, study_k, k_range=(rng[0], min(rng[1], n - 1)) if rng else None,
                    bootstrap=bootstrap or 0, permutations=permutations or 0, seed=seed, gap_b=gap_b,
                    use_suggested=bool(rng) and use_suggested_k, n_jobs=jobs)
    warnings = [w for w in (_zero_spread_warning(standardized.zero_spread), order_warning(diag)) if w is not None]
    members = memberships(tree, ks).reset_index().rename(columns={"unit": id_column})
    schedule = spss_schedule(tree)
    hs = heights(tree)

    with output_dir(out_dir, inputs=[file]) as tmp:
        write_csv(members, tmp / "membership.csv")
        write_csv(schedule, tmp / "schedule.csv")
        write_csv(pd.DataFrame({"stage": range(1, len(hs) + 1), "height": hs}), tmp / "heights.csv")
        png, _svg = dendrogram_figure(tree, list(table.data.index), diag.k, lang="both")
        write_bytes(png, tmp / "dendrogram.png")
        write_csv(diag.tests, tmp / "tests.csv")
        (tmp / "descriptions.md").write_text(diag.descriptions.markdown + "\n", encoding="utf-8")
        (tmp / "notes.md").write_text(notes_markdown(notes_of(diag), warnings), encoding="utf-8")
        write_csv(diag.ties[["stage", "cluster_1", "cluster_2", "coefficient", "candidates", "tied"]],
                  tmp / "ties.csv")
        if rng:
            write_csv(diag.kstats, tmp / "kstats.csv")
            write_csv(diag.votes, tmp / "votes.csv")
        if diag.stability is not None:
            write_csv(diag.stability[STABILITY_COLUMNS], tmp / "stability.csv")
        if diag.order is not None:
            write_csv(diag.order_summary, tmp / "order_stability.csv")
        for name, (png, _svg) in diag.figures.items():
            write_bytes(png, tmp / f"{name}.png")
    for warning in warnings:
        console.print(warning.both())
    console.print(bilingual("cluster.done", path=out_dir))
    if diag.study_k is None:
        console.print(bilingual("cluster.k_summary.auto", k=diag.k))
    elif not rng:
        console.print(bilingual("cluster.k_summary.fixed", k=diag.k))
    else:
        console.print(bilingual("cluster.k_summary", k=diag.k, study=diag.study_k, suggested=diag.suggested_k))


def _zero_spread_warning(columns):
    return msg("cluster.zero_spread", columns=", ".join(map(str, columns))) if columns else None
