"""``egoveval index``: a composite index of any numeric table, with ranks, tiers and
(optionally) Monte Carlo rank intervals and Sobol sensitivity.

Writes ``index.csv`` (id column, ``score``, ``rank``, ``tier``; with ``--uncertainty`` also
``rank_p05``, ``rank_median``, ``rank_p95`` and ``p_<tier>`` per tier, highest first) and,
with ``--uncertainty``, ``sensitivity.csv`` (``assumption, first_order, total, ci_low,
ci_high``; ``ci_low``/``ci_high`` are the 95 % bootstrap interval of the **total** index,
not of the first-order one). With ``--figures`` also ``index_bar.png`` (ranked bars in
tier colours, with rank intervals). Ranks are whole numbers; a unit with a blank cell gets
empty score, rank and tier. The console lists the tier boundaries with their inclusive
sides and, for a geometric mean, the units and columns whose zero decided a score.

All columns form one channel; ``--weights`` gives one weight per column (normalised to
sum to 1). ``--tier-labels`` names the tiers from the highest down. In the Monte Carlo
(``--uncertainty N``) the uncertain assumptions are, unless ``--uncertain`` narrows them:
weights ±``--weight-noise``; normalisation (the chosen method vs ``rank``, only for the
bounded ``minmax``/``z-minmax``/``rank``); aggregation (arithmetic vs geometric, only when
every normalised value is ≥ 0); dropping one column. If none of those marked can vary
(e.g. ``--normalize none --uncertain normalisation``) the run is refused (exit 2).
"""

from __future__ import annotations

import click
import numpy as np

from ..errors import InputError, Problem
from ..index.tiers import presets_help
from ..io.numeric import parse_column_list, read_numeric_table
from ..io.writers import output_dir, write_bytes, write_csv
from ..messages import bilingual, first_items, pick
from .common import console, handles_errors, print_problems

__all__ = ["index"]

_NORMALIZE = ("none", "minmax", "zscore", "z-minmax", "rank")
_ASSUMPTIONS = ("weights", "normalisation", "aggregation", "drop")


def _parse_weights(text: str | None) -> tuple[list[float] | None, list[Problem]]:
    if text is None:
        return None, []
    out, problems = [], []
    for item in text.split(","):
        try:
            w = float(item.strip())
            if not np.isfinite(w) or w < 0:
                raise ValueError
            out.append(w)
        except ValueError:
            problems.append(Problem.of("index.weight_invalid", column="--weights", value=item.strip()))
    return out, problems


def _uncertainty_spec(n, seed, normalize, aggregate, data, uncertain, weight_noise, progress):
    assumptions = tuple(_ASSUMPTIONS if uncertain is None else parse_column_list(uncertain))
    if normalize in ("minmax", "z-minmax"):
        normalisers = (normalize, "rank")
    elif normalize == "rank":
        normalisers = ("rank", "minmax")
    else:
        normalisers = (normalize,)
    nonneg = normalize not in ("zscore", "none") or (normalize == "none" and (data.min() >= 0).all())
    aggregators = ("arithmetic", "geometric") if nonneg else (aggregate,)
    if aggregate not in aggregators:
        aggregators = (aggregate,)
    return {"n": n, "seed": seed, "assumptions": assumptions, "weight_noise": weight_noise,
            "normalisers": normalisers, "aggregators": aggregators, "progress": progress}


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--id", "id_column", required=True, help="Column naming the units / 标识列")
@click.option("--columns", help="Comma-separated indicator columns (default: every numeric column)")
@click.option("--weights", help="One weight per column, e.g. 1,1,1 (default equal)")
@click.option("--normalize", type=click.Choice(_NORMALIZE), default="minmax", show_default=True,
              help="minmax/z-minmax/rank map to 0–1 (0–100 with --tiers cn)")
@click.option("--aggregate", type=click.Choice(["arithmetic", "geometric"]), default="arithmetic",
              show_default=True, help="Geometric: a zero value gives a zero score (reported)")
@click.option("--tiers", default="un", show_default=True,
              help=f"{presets_help()} or thresholds T1,T2,… (a score x ≥ T moves up; tier_1 = top)")
@click.option("--tier-labels", help="Tier names from the highest tier down, e.g. A,B,C "
                                    "(one more than the thresholds)")
@click.option("--rank", "rank_rule", type=click.Choice(["competition", "dense"]), default="competition",
              show_default=True)
@click.option("--decimals", type=click.IntRange(0, 12), default=4, show_default=True,
              help="Scores are rounded to this many decimals; ranks and tiers use the rounded score")
@click.option("--uncertainty", "n_runs", type=int,
              help="Monte Carlo sample size N (N·(d+2) runs); also writes sensitivity.csv whose "
                   "ci_low,ci_high bound the total Sobol index")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed for --uncertainty")
@click.option("--uncertain", help="Assumptions to vary (default weights,normalisation,aggregation,drop)")
@click.option("--weight-noise", type=click.FloatRange(0, 1), default=0.25, show_default=True,
              help="Weight perturbation ±fraction")
@click.option("--progress/--no-progress", default=False, help="Show a progress bar")
@click.option("--figures", is_flag=True, help="Also write index_bar.png")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=str))
@handles_errors
def index(file, id_column, columns, weights, normalize, aggregate, tiers, tier_labels, rank_rule,
          decimals, n_runs, seed, uncertain, weight_noise, progress, figures, out_dir):
    """Composite index, ranks and tiers of a numeric table. / 计算综合指数、排名与等级。"""
    from ..index import build_index
    from ..index.build import tier_problem
    from ..index.tiers import TierSpecError, parse_tiers
    from ..index.uncertainty import SENSITIVITY_COLUMNS

    problems: list[Problem] = []
    wlist, wprob = _parse_weights(weights)
    problems += wprob
    scheme = None
    try:
        scheme = parse_tiers(tiers)
    except TierSpecError as exc:
        problems.append(tier_problem(exc, "--tiers", tiers))
    if scheme is not None and tier_labels is not None:
        try:
            scheme = scheme.relabelled(tier_labels)
        except TierSpecError as exc:
            problems.append(tier_problem(exc, "--tier-labels", tier_labels))
    if n_runs is not None and n_runs < 2:
        problems.append(Problem.of("index.uncertainty_n", column="--uncertainty", value=n_runs, min=2))
    if uncertain is not None:
        for a in parse_column_list(uncertain):
            if a not in _ASSUMPTIONS:
                problems.append(Problem.of("index.option_choice", column="--uncertain", value=a,
                                           choices=", ".join(_ASSUMPTIONS)))
    table = None
    try:
        table = read_numeric_table(file, id_column, parse_column_list(columns), allow_missing=True)
    except InputError as exc:
        problems += list(exc.problems)
    wanted = (table.data.shape[1] if table is not None else
              len(parse_column_list(columns)) if columns else None)
    given = len(weights.split(",")) if weights is not None else None
    if given is not None and wanted is not None and given != wanted:
        problems.append(Problem.of("index.weights_count", column="--weights", value=weights,
                                   given=given, expected=wanted))
    if problems:
        raise InputError(problems)

    data = table.data
    warnings = [Problem.of("index.missing_value", file=table.file, row=int(table.rows[uid]),
                           column=str(col), severity="warning")
                for col in data.columns for uid in data.index[data[col].isna()]]
    framework = {c: {"weight": (wlist[j] if wlist else 1.0)} for j, c in enumerate(data.columns)}
    options = {"normalize": normalize, "aggregate": aggregate, "tiers": scheme, "rank": rank_rule,
               "decimals": decimals}
    if n_runs is not None:
        options["uncertainty"] = _uncertainty_spec(n_runs, seed, normalize, aggregate,
                                                   data.dropna(), uncertain, weight_noise, progress)
    try:
        result = build_index(data, framework, options)
    except InputError as exc:
        raise InputError([Problem(p.rule, p.file or table.file, p.row, p.column, p.value,
                                  p.severity, p.params) for p in exc.problems]) from None

    out_table = result.table(id_column)
    with output_dir(out_dir, inputs=[file]) as tmp:
        write_csv(out_table, tmp / "index.csv")
        if result.sensitivity is not None:
            write_csv(result.sensitivity[list(SENSITIVITY_COLUMNS)], tmp / "sensitivity.csv")
        if figures:
            from ..index.figures import ranked_bar

            png, _svg = ranked_bar(result)
            write_bytes(png, tmp / "index_bar.png")
    if warnings:
        print_problems(warnings)
    for m in result.warnings:
        if m.key != "index.unit_missing":
            console.print(m.both())
    if len(result.zeros):
        console.print(bilingual("index.cli.zeros", items=_zero_items(result.zeros, "zh"),
                                items_en=_zero_items(result.zeros, "en")))
    _print_tiers(result.tier_scheme)
    console.print(bilingual("index.done", path=out_dir))


def _zero_items(zeros, lang: str, limit: int = 20) -> str:
    """``unit: column, column; unit: column`` for the first ``limit`` units (then "… (+n more)"
    in ``lang``)."""
    by_unit = zeros.groupby("unit", sort=False)["indicator"].agg(lambda s: ", ".join(map(str, s)))
    return first_items([f"{u}: {cols}" for u, cols in by_unit.items()], limit, lang, "; ")


def _print_tiers(scheme) -> None:
    """The tier boundaries, highest first, with the inclusive side of each."""
    console.print(bilingual("index.cli.tiers"))
    for row in scheme.table().itertuples():
        console.print(f"  {pick(row.tier_zh, row.tier_en, 'both')}: {row.interval}")
