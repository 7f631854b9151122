"""Monte Carlo uncertainty of ranks and tiers over the assumptions marked uncertain.

Assumptions (COINr ``get_sensitivity`` / OECD–JRC Handbook §7), each one Sobol factor:

``weights``
    every indicator weight (within its channel) **and every channel weight** is
    multiplied by 1 + ε·(2u − 1), u ~ U(0,1) independently per weight, ε =
    ``weight_noise`` (0.25 → ±25 %), then renormalised (within each channel, and across
    channels) — a group factor of m + c columns for m indicators in c channels. Perturbing
    the channel weights too means that a framework with one indicator per channel still has
    weight uncertainty. The factor is inactive (skipped with a note) when ε = 0 or fewer than
    two indicators carry weight: then no perturbation can change a score;
``normalisation``
    one of ``normalisers`` with equal probability (they must share the output range so
    that tiers keep their meaning, e.g. ``minmax`` and ``rank``; the nominal method is
    always one of them — :func:`egoveval.index.build.resolve_options` prepends it);
``aggregation``
    one of ``aggregators`` with equal probability (the nominal one always among them);
``drop``
    none or exactly one indicator left out, each of the m + 1 cases equally likely
    (its channel is renormalised; a channel left empty drops out).

Runs follow the Saltelli design of :mod:`.sensitivity`: N·(d + 2) runs for d active
assumptions. The per-unit distribution uses the N runs of matrix A (an ordinary Monte
Carlo sample): median rank and the 5th and 95th percentile rank (inverted-CDF
quantiles, so ranks stay whole numbers: the smallest rank r with P(rank ≤ r) ≥ q) and
the probability of each tier. Ranks in every run are computed like the nominal ones
(scores rounded to ``decimals``, then ``rank``). The Sobol output is the mean absolute
rank shift against the nominal ranks, (1/n) Σ_u |rank_u − nominal_u| (COINr's default
``"abs_rank_change"`` summary), so the indices say which assumption moves ranks most.
When no run moves any rank, that output has no variance and the Sobol indices are
undefined: they are reported as missing, with a note.

All runs are evaluated in chunks of ``chunk`` runs: one matrix product per
(normaliser, aggregator) pair and one sort per chunk — no Python loop over runs.
Randomness only from ``seed``.

Memory: the rank quantiles come from a per-unit histogram of ranks, an n × n table of
64-bit counts (n units) kept once for the total and once per worker thread for its
chunk: about (1 + ``workers``)·8·n² bytes — 216 MB for 3,000 units with 2 workers,
2.4 GB for 10,000. Above roughly 5,000 units use ``workers=1`` or check the memory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from ..messages import Message, msg
from .aggregate import aggregate_matrix
from .rank import rank_matrix
from .sensitivity import SobolResult, jansen_indices, saltelli_matrices, saltelli_sample
from .tiers import TierScheme
from .weights import effective_weights

__all__ = ["ASSUMPTIONS", "SENSITIVITY_COLUMNS", "UncertaintySpec", "UncertaintyResult",
           "plan_assumptions", "run_uncertainty", "rank_quantiles"]

ASSUMPTIONS: tuple[str, ...] = ("weights", "normalisation", "aggregation", "drop")

#: The columns of ``sensitivity.csv`` (the CLI contract); ``ci_low``/``ci_high`` bound the
#: total index. :attr:`UncertaintyResult.sensitivity` adds ``first_ci_low``/``first_ci_high``.
SENSITIVITY_COLUMNS: tuple[str, ...] = ("assumption", "first_order", "total", "ci_low", "ci_high")


@dataclass(frozen=True)
class UncertaintySpec:
    """What is uncertain and how many runs. Defaults follow COINr's examples (±25 %)."""

    n: int = 1000
    seed: int = 0
    assumptions: tuple[str, ...] = ASSUMPTIONS
    weight_noise: float = 0.25
    normalisers: tuple[str, ...] = ("minmax", "rank")
    aggregators: tuple[str, ...] = ("arithmetic", "geometric")
    n_boot: int = 500
    conf: float = 0.95
    sampler: str = "random"
    progress: bool = False
    chunk: int = 500
    workers: int = field(default_factory=lambda: min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class UncertaintyResult:
    """Per-unit rank interval and tier probabilities, and the Sobol indices."""

    units: pd.DataFrame  # rank_p05, rank_median, rank_p95, p_<tier>… (index = units)
    sobol: SobolResult | None
    assumptions: tuple[str, ...]  # the active ones (factors), in order
    n_runs: int
    notes: tuple[Message, ...] = field(default=())

    @property
    def sensitivity(self) -> pd.DataFrame:
        """:data:`SENSITIVITY_COLUMNS` (interval of the total index), then the first-order
        index's interval ``first_ci_low``, ``first_ci_high``."""
        cols = [*SENSITIVITY_COLUMNS, "first_ci_low", "first_ci_high"]
        if self.sobol is None:
            return pd.DataFrame(columns=cols)
        return self.sobol.table()[cols]


def rank_quantiles(counts: np.ndarray, q: Sequence[float]) -> np.ndarray:
    """Inverted-CDF quantiles of ranks from per-unit histograms ``counts`` (n_units, n_ranks).

    >>> rank_quantiles(np.array([[2, 1, 1, 0]]), [0.05, 0.5, 0.95]).tolist()
    [[1, 1, 3]]
    """
    cum = np.cumsum(counts, axis=1)
    total = cum[:, -1:]
    out = [np.argmax(cum >= qq * total - 1e-9 * total, axis=1) + 1 for qq in q]
    return np.stack(out, axis=1)


@dataclass(frozen=True)
class _Problem:
    x: dict[str, np.ndarray]  # normaliser -> (n, m) normalised data
    w_ind: np.ndarray  # (m,) within-channel weights
    membership: np.ndarray  # (m, c)
    w_chan: np.ndarray  # (c,)
    normaliser: str
    aggregator: str
    power: float
    rank: str
    decimals: int | None
    tiers: TierScheme | None


def plan_assumptions(spec: UncertaintySpec, effective: np.ndarray,
                     n_channels: int) -> tuple[list[str], list[int], list[Message]]:
    """The assumptions that can vary, each factor's column count, and a note for each one
    marked uncertain that cannot (see the module docstring).

    ``effective`` holds the nominal effective weights (m,). The nominal normaliser and
    aggregator are expected among ``spec.normalisers`` / ``spec.aggregators``.

    >>> spec = UncertaintySpec(normalisers=("minmax",))
    >>> active, sizes, notes = plan_assumptions(spec, np.array([0.5, 0.5]), 1)
    >>> active, sizes, [n.key for n in notes]
    (['weights', 'aggregation', 'drop'], [3, 1, 1], ['index.note.single_normaliser'])
    """
    m = int(np.asarray(effective).size)
    weighted = int(np.sum(np.asarray(effective) > 0))
    active, sizes, notes = [], [], []
    for a in spec.assumptions:
        if a not in ASSUMPTIONS:
            raise KeyError(a)
        if a == "weights" and not (spec.weight_noise > 0 and weighted >= 2):
            notes.append(msg("index.note.weights_inactive", noise=spec.weight_noise, n=weighted))
            continue
        if a == "normalisation" and len(set(spec.normalisers)) < 2:
            notes.append(msg("index.note.single_normaliser", methods=", ".join(spec.normalisers)))
            continue
        if a == "aggregation" and len(set(spec.aggregators)) < 2:
            notes.append(msg("index.note.single_aggregator", methods=", ".join(spec.aggregators)))
            continue
        if a == "drop" and weighted < 2:
            notes.append(msg("index.note.drop_inactive", n=weighted))
            continue
        active.append(a)
        sizes.append(m + n_channels if a == "weights" else 1)
    return active, sizes, notes


def _pick(u: np.ndarray, k: int) -> np.ndarray:
    return np.minimum((u * k).astype(np.int64), k - 1)


def _scores(p: _Problem, spec: UncertaintySpec, active: list[str], sizes: list[int],
            u: np.ndarray) -> np.ndarray:
    """Scores (n_units, r) for r runs given their inputs ``u`` (r, D)."""
    r, m, k = u.shape[0], p.w_ind.size, p.w_chan.size
    cols = dict(zip(active, np.cumsum([0] + sizes[:-1])))
    w = np.tile(p.w_ind, (r, 1))
    v = np.tile(p.w_chan, (r, 1))
    if "weights" in cols:  # m indicator columns, then k channel columns
        c = cols["weights"]
        w = w * (1 + spec.weight_noise * (2 * u[:, c:c + m] - 1))
        v = v * (1 + spec.weight_noise * (2 * u[:, c + m:c + m + k] - 1))
    if "drop" in cols:
        drop = _pick(u[:, cols["drop"]], m + 1) - 1  # −1 = none
        rows = np.nonzero(drop >= 0)[0]
        w[rows, drop[rows]] = 0.0
    w = effective_weights(w, p.membership, v)
    norm_idx = (_pick(u[:, cols["normalisation"]], len(spec.normalisers))
                if "normalisation" in cols else None)
    agg_idx = (_pick(u[:, cols["aggregation"]], len(spec.aggregators))
               if "aggregation" in cols else None)
    norms = list(spec.normalisers) if norm_idx is not None else [p.normaliser]
    aggs = list(spec.aggregators) if agg_idx is not None else [p.aggregator]
    n_units = next(iter(p.x.values())).shape[0]
    out = np.empty((n_units, r))
    for i, nm in enumerate(norms):
        for j, ag in enumerate(aggs):
            sel = np.ones(r, dtype=bool)
            if norm_idx is not None:
                sel &= norm_idx == i
            if agg_idx is not None:
                sel &= agg_idx == j
            if sel.any():
                out[:, sel] = aggregate_matrix(p.x[nm], w[sel], ag, p.power)
    if p.decimals is not None:
        out = np.round(out, p.decimals)
    return out


def run_uncertainty(x: dict[str, np.ndarray], *, w_ind: np.ndarray, membership: np.ndarray,
                    w_chan: np.ndarray, normaliser: str, aggregator: str, power: float = 2.0,
                    rank: str = "competition", decimals: int | None = 4,
                    tiers: TierScheme | None = None, nominal_ranks: np.ndarray,
                    units: Sequence[object], spec: UncertaintySpec,
                    plan: tuple[list[str], list[int], list[Message]] | None = None) -> UncertaintyResult:
    """Run the Monte Carlo and the Sobol design on complete, normalised data.

    ``x`` maps each normaliser that may be used (the nominal one and, when normalisation
    is uncertain, every one in ``spec.normalisers``) to its (n_units, m) matrix. ``plan``:
    :func:`plan_assumptions` of ``spec`` for these weights when the caller has it already
    (:func:`~egoveval.index.build.build_index` checks it first); computed here otherwise.
    """
    p = _Problem(x, np.asarray(w_ind, float), np.asarray(membership, float),
                 np.asarray(w_chan, float), normaliser, aggregator, power, rank, decimals, tiers)
    n_units, m = next(iter(x.values())).shape
    if plan is None:
        plan = plan_assumptions(spec, effective_weights(p.w_ind[None, :], p.membership, p.w_chan)[0],
                                p.w_chan.size)
    active, sizes, notes = list(plan[0]), list(plan[1]), list(plan[2])
    rng = np.random.default_rng(spec.seed)
    nominal = np.asarray(nominal_ranks, dtype=float)
    if not active:
        raise ValueError("no uncertain assumption is active")
    a, b = saltelli_sample(spec.n, int(sum(sizes)), rng, spec.sampler)
    design = saltelli_matrices(a, b, sizes)
    total_runs = design.shape[0]
    y = np.empty(total_runs)
    counts = np.zeros((n_units, n_units), dtype=np.int64)
    n_tiers = len(tiers.labels) if tiers is not None else 0
    tier_counts = np.zeros((n_units, max(n_tiers, 1)), dtype=np.int64)
    unit_idx = np.arange(n_units)[:, None]
    def chunk(bounds: tuple[int, int]):
        start, stop = bounds
        sc = _scores(p, spec, active, sizes, design[start:stop])
        r = rank_matrix(sc, rank)
        y_part = np.mean(np.abs(r - nominal[:, None]), axis=0)
        in_a = min(stop, spec.n) - start  # runs of matrix A in this chunk
        c_inc = t_inc = None
        if in_a > 0:
            c_inc = np.bincount((unit_idx * n_units + r[:, :in_a] - 1).ravel(),
                                minlength=n_units * n_units).reshape(n_units, n_units)
            if tiers is not None:
                codes = tiers.codes(sc[:, :in_a])
                t_inc = np.bincount((unit_idx * n_tiers + codes).ravel(),
                                    minlength=n_units * n_tiers).reshape(n_units, n_tiers)
        return start, stop, y_part, c_inc, t_inc

    bounds = [(a0, min(a0 + spec.chunk, total_runs)) for a0 in range(0, total_runs, spec.chunk)]
    progress = None
    if spec.progress:
        from rich.progress import Progress

        progress = Progress(transient=True)
        task = progress.add_task("Monte Carlo", total=total_runs)
        progress.start()
    # NumPy's sorts and matrix products release the GIL: chunks run on ``workers`` threads;
    # results are combined in order, so the outcome does not depend on the thread count.
    from concurrent.futures import ThreadPoolExecutor

    try:
        with ThreadPoolExecutor(max_workers=max(1, spec.workers)) as pool:
            for start, stop, y_part, c_inc, t_inc in pool.map(chunk, bounds):
                y[start:stop] = y_part
                if c_inc is not None:
                    counts += c_inc
                if t_inc is not None:
                    tier_counts += t_inc
                if progress is not None:
                    progress.update(task, advance=stop - start)
    finally:
        if progress is not None:
            progress.stop()
    q = rank_quantiles(counts, [0.05, 0.5, 0.95])
    table = pd.DataFrame({"rank_p05": q[:, 0], "rank_median": q[:, 1], "rank_p95": q[:, 2]},
                         index=pd.Index(list(units)))
    if tiers is not None:
        for k in reversed(range(n_tiers)):
            table[f"p_{tiers.labels[k]}"] = tier_counts[:, k] / spec.n
    yy = y.reshape(len(active) + 2, spec.n)
    sob = jansen_indices(yy[0], yy[1], yy[2:], names=active, n_boot=spec.n_boot, conf=spec.conf,
                         rng=rng)
    if not np.ptp(yy[:2]) > 0:
        notes.append(msg("index.note.no_variance"))
    return UncertaintyResult(table, sob, tuple(active), total_runs, tuple(notes))
