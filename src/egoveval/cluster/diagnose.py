"""One call for everything reviewers ask about a cut tree: choice of k, stability against a
null, ties and unit order, per-indicator tests, strengths/weaknesses, typed descriptions
and figures. Pipeline-ready: takes the stage tables, returns a frozen :class:`Diagnostics`.

The study's k is kept (``study_k``); the indices' suggestion is reported beside it
(``suggested_k``) and used (``k``) only with ``use_suggested=True`` or when there is no
study k (``k=None``: the caller lets the vote choose). Randomness (gap reference sets,
bootstrap resamples, null permutations, unit orders) derives from ``seed`` alone;
results do not depend on ``n_jobs``. A :class:`~.kchoice.KChoice` computed earlier for the
same tree and k range (the pipeline needs the suggested k before this stage) is passed
as ``kchoice`` and reused, so the gap statistic is computed once.

Silhouettes of Ward, centroid and median trees are computed on Euclidean distances
whatever ``metric`` says (see :func:`~.kchoice.silhouette_metric`); Davies–Bouldin and
Calinski–Harabasz are Euclidean by definition.

Speed: the ~600 trees of the resampling loops (bootstrap B, null ≈ B + √B, P unit orders,
gap reference sets) are all started in one pool of ``n_jobs`` forked workers that share
the data and the partition read-only (tasks carry index vectors and seeds);
the tables and figures are made while they run. From 1,001 units the bootstrap, null and
gap trees are built by fastcluster when installed (same merges as SciPy without exact
ties; see :mod:`._parallel`); ``settings["resample_engine"]`` says which engine ran.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.spatial.distance import squareform

from ..messages import pick
from .describe import Descriptions, describe_clusters
from .fastcut import cut_many
from ._parallel import Pool, resample_engine
from .kchoice import (GapResult, KChoice, choose_k, gap_k_max, index_table, k_range_of, silhouette_band,
                      silhouette_metric, silhouette_samples, start_gap)
from .separation import cluster_z_means, indicator_tests, strengths_weaknesses
from .stability import (NullReference, OrderStability, start_clusterboot, start_null_clusterboot,
                        start_order_stability, tied_merges)
from .tree import Tree, pairwise
from .typology import type_clusters

__all__ = ["Diagnostics", "diagnose"]


@dataclass(frozen=True)
class Diagnostics:
    k: int  # the k used for everything below
    study_k: int | None  # None: no study k was given (the vote chose k)
    suggested_k: int
    kstats: pd.DataFrame  # KSTATS_COLUMNS
    votes: pd.DataFrame  # index, k
    gap: pd.DataFrame | None  # k, log_w, e_log_w, gap, se (k = 1..)
    membership: pd.Series  # unit → 1..k (R cutree numbering)
    silhouette: pd.DataFrame  # unit, cluster, neighbor, sil_width
    silhouette_band: str
    stability: pd.DataFrame | None  # STABILITY_COLUMNS + null_jaccard_p05, null_jaccard_p95
    null_stability: pd.DataFrame | None  # one row: NULL_COLUMNS (the null reference's design and spread)
    ties: pd.DataFrame  # SPSS schedule + candidates, tied
    order: OrderStability | None
    tests: pd.DataFrame  # indicator, kw_h, kw_p, epsilon2, anova_f, anova_p, eta2
    z_means: pd.DataFrame  # cluster × indicator (z-scores of quantified)
    types: pd.DataFrame  # cluster, level, rank, label_zh, label_en
    strengths: pd.DataFrame  # cluster, kind, channel, indicator, z_mean, signed
    descriptions: Descriptions
    figures: Mapping[str, tuple[bytes, bytes]] = field(default_factory=dict)
    settings: Mapping[str, object] = field(default_factory=dict)

    @property
    def descriptions_zh(self) -> str:
        return self.descriptions.markdown_zh

    @property
    def descriptions_en(self) -> str:
        return self.descriptions.markdown_en

    @property
    def tied_stages(self) -> list[int]:
        return [int(s) for s in self.ties.loc[self.ties["tied"], "stage"]]

    @property
    def order_dependent(self) -> bool:
        """True when some random order of the units changed the partition."""
        return self.order is not None and self.order.P > 0 and bool(self.order.changed.any())

    @property
    def order_summary(self) -> pd.DataFrame:
        """One row: permutations, share_changed, ari_min, ari_max."""
        if self.order is None:
            return pd.DataFrame(columns=["permutations", "share_changed", "ari_min", "ari_max"])
        lo, hi = self.order.ari_range
        return pd.DataFrame([{"permutations": self.order.P, "share_changed": self.order.share_changed,
                              "ari_min": lo, "ari_max": hi}])


def diagnose(standardized: pd.DataFrame, quantified: pd.DataFrame, tree: Tree, k: int | None, *,
             k_range: tuple[int, int] | None = (2, 8), bootstrap: int = 200, permutations: int = 100,
             seed: int = 20210301, channels: Mapping[str, str] | None = None,
             directions: Mapping[str, int] | None = None, names: Mapping | None = None,
             indicator_names: Mapping | None = None, channel_names: Mapping | None = None,
             type_labels: Sequence | None = None, gap_b: int = 100, gap_space: str = "original",
             use_suggested: bool = False, kchoice: KChoice | None = None, figures: bool = True,
             lang: str = "both", n_jobs: int = 1) -> Diagnostics:
    """Diagnose the cut of ``tree`` (built on ``standardized``) at ``k``.

    ``standardized`` is the clustered table (rows = units in any order, reindexed to the
    tree's case order); ``quantified`` the same units before standardisation (tests,
    z-score profiles, descriptions). ``bootstrap=0`` / ``permutations=0`` / ``gap_b=0``
    skip those parts; ``k_range=None`` skips the choice of k. ``k=None`` (with a k range)
    uses the suggested k and records no study k. ``n_jobs`` worker processes run the
    resampling trees (2 on a 2-core machine roughly halves the time at large n).
    """
    units = list(tree.labels)
    X = standardized.loc[units].to_numpy(dtype=float)
    Q = quantified.loc[units]
    D = squareform(pairwise(X, silhouette_metric(tree.method, tree.metric)))
    study_k = None if k is None else int(k)
    method, metric = tree.method, tree.metric
    ks = k_range_of(tree, k_range) if k_range is not None else None
    if study_k is None and ks is None:
        raise ValueError("k=None needs a k range to choose k from")
    want_gap = ks is not None and bool(gap_b) and gap_b > 0
    kc: KChoice | None = kchoice
    if kc is not None and (ks is None or [int(x) for x in kc.table["k"]] != ks):
        raise ValueError(f"the given kchoice covers k = {list(kc.table['k'])}, not {ks}")
    gap: GapResult | None = None
    k_table = index_table(X, tree, ks, D) if ks is not None and kc is None else None
    choose_first = use_suggested or study_k is None
    if choose_first and ks is not None and kc is None:
        # the k used depends on the vote, which needs the gap: resample it first
        if want_gap:
            with Pool(n_jobs, X=X) as pool:
                gap = start_gap(pool, "X", method, metric, gap_k_max(tree, ks), gap_b, seed, gap_space, tree.Z)()
        kc = choose_k(k_table, tree, k_range, gap)
    k_used = int(kc.suggested_k) if (kc is not None and choose_first) else study_k
    labels = cut_many(tree.Z, [k_used])[k_used]
    membership = pd.Series(labels, index=pd.Index(units, name="unit"), name="cluster")

    # Every resampling loop is started in one pool of forked workers (the data and the
    # partition are shared, not pickled); tables and figures are made meanwhile.
    do_boot = bool(bootstrap) and k_used >= 2
    with Pool(n_jobs, X=X, labels=labels) as pool:
        get_gap = (start_gap(pool, "X", method, metric, gap_k_max(tree, ks), gap_b, seed, gap_space, tree.Z)
                   if want_gap and kc is None else None)
        get_order = (start_order_stability(pool, "X", "labels", method, metric, permutations, seed)
                     if permutations and k_used >= 2 else None)
        get_boot = start_clusterboot(pool, "X", "labels", method, metric, bootstrap, seed) if do_boot else None
        get_null = (start_null_clusterboot(pool, "X", k_used, method, metric, bootstrap, seed)
                    if do_boot else None)

        if k_used >= 2:
            s, neighbour = silhouette_samples(D, labels)
        else:
            s, neighbour = np.zeros(len(units)), np.zeros(len(units), dtype=int)
        sil = pd.DataFrame({"unit": units, "cluster": labels, "neighbor": neighbour, "sil_width": s})
        ties = tied_merges(X, tree)
        tests = indicator_tests(Q, labels)
        zm = cluster_z_means(Q, labels)
        types = type_clusters(zm, dict(directions or {}), type_labels)
        sw = strengths_weaknesses(zm, directions, channels)
        figs: dict[str, tuple[bytes, bytes]] = {}
        if figures:
            from .diagnostic_figures import heatmap_figure, profiles_figure, silhouette_figure

            ordered = zm.loc[list(types.sort_values("rank")["cluster"])]
            tl = {int(r.cluster): (r.label_zh, r.label_en) for r in types.itertuples()}
            figs["heatmap"] = heatmap_figure(ordered, channels=channels, indicator_names=indicator_names,
                                             channel_names=channel_names, type_labels=tl, lang=lang)
            figs["profiles"] = profiles_figure(ordered, channels=channels, indicator_names=indicator_names,
                                               type_labels=tl, lang=lang)
            if k_used >= 2:
                unit_names = [_display(names, u, lang) for u in units]
                figs["silhouette"] = silhouette_figure(s, labels, unit_names, lang=lang)

        if get_gap is not None:
            gap = get_gap()
        if kc is None and ks is not None:
            kc = choose_k(k_table, tree, k_range, gap)
        stab = null_tab = None
        null: NullReference | None = None
        if do_boot:
            boot, null = get_boot(), get_null()
            stab = boot.table(null)
            null_tab = null.table()
        order = get_order() if get_order is not None else None

    desc = describe_clusters(Q, membership, method=tree.method, directions=directions, channels=channels,
                             names=names, indicator_names=indicator_names, channel_names=channel_names,
                             type_labels=type_labels, tests=tests, stability=stab)
    if figures and kc is not None:
        from .diagnostic_figures import k_panel_figure

        figs["k_panel"] = k_panel_figure(kc, tree, k_used, study_k=study_k, lang=lang)
    settings = {"k_range": k_range, "bootstrap": bootstrap, "permutations": permutations, "seed": seed,
                "gap_b": gap_b, "gap_space": gap_space, "use_suggested": use_suggested,
                "method": tree.method, "metric": tree.metric,
                "resample_engine": resample_engine(len(units), tree.method)}
    return Diagnostics(
        k=k_used, study_k=study_k, suggested_k=kc.suggested_k if kc is not None else k_used,
        kstats=kc.table if kc is not None else pd.DataFrame(), votes=kc.votes if kc is not None else pd.DataFrame(),
        gap=kc.gap.table if (kc is not None and kc.gap is not None) else None,
        membership=membership, silhouette=sil, silhouette_band=silhouette_band(float(s.mean())),
        stability=stab, null_stability=null_tab, ties=ties, order=order, tests=tests, z_means=zm,
        types=types, strengths=sw, descriptions=desc, figures=figs, settings=settings)


def _display(names, unit, lang) -> str:
    from .describe import bilingual_name

    return pick(bilingual_name(names, unit, "zh"), bilingual_name(names, unit, "en"), lang, " ")
