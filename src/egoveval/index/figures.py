"""Figures of the index: ranked bars in tier colours with Monte Carlo rank intervals, and a
heatmap of the channel sub-indices. Both use :func:`egoveval.report.fonts.figure_style`
(CJK text renders with the bundled Noto Sans SC) and return ``(png, svg)`` bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch

from ..messages import in_lang, pick
from ..report.fonts import figure_style, render

if TYPE_CHECKING:  # pragma: no cover
    from .build import IndexResult

__all__ = ["ranked_bar", "subindex_heatmap", "tier_legend", "shown_units", "TIER_COLOURS", "MAX_UNITS"]

#: Above this many units a figure shows the best and the worst MAX_UNITS // 2 only (one row
#: per unit stays legible; 337 cities would make a figure some 20,000 pixels tall).
MAX_UNITS = 60

#: Colours from the highest tier to the lowest (colour-blind safe, ColorBrewer RdYlBu-like).
TIER_COLOURS = ("#2166ac", "#67a9cf", "#fdb863", "#d6604d", "#b2182b", "#7f7f7f", "#1b7837")


def tier_legend(scheme, label: str, lang: str) -> str:
    """A tier's name in the figure language (``both``: Chinese and English when they differ).

    >>> from .tiers import TIER_PRESETS
    >>> tier_legend(TIER_PRESETS["cn"], "中", "en"), tier_legend(TIER_PRESETS["cn"], "中", "both")
    ('Middle', '中 Middle')
    """
    return pick(scheme.name_of(label, "zh"), scheme.name_of(label, "en"), lang, " ")


def shown_units(order, limit: int = MAX_UNITS) -> tuple[list, int | None]:
    """The units a per-unit figure shows, in ``order``: all of them up to ``limit``, else
    the first and the last ``limit // 2``; and the position of the gap between the two
    blocks (None when nothing is left out).

    >>> shown_units(list("abcdef"), limit=4)
    (['a', 'b', 'e', 'f'], 2)
    >>> shown_units(list("abc"), limit=4)
    (['a', 'b', 'c'], None)
    """
    order = list(order)
    if len(order) <= limit:
        return order, None
    half = limit // 2
    return order[:half] + order[-half:], half


def _with_gap(values: np.ndarray, gap: int | None) -> np.ndarray:
    """Row positions for the shown units, one blank row left at the gap."""
    y = np.arange(len(values), dtype=float)
    if gap is not None:
        y[gap:] += 1
    return y


def _figure_title(key: str, lang: str, n_total: int, n_shown: int) -> str:
    title = in_lang(key, lang, "\n")
    if n_shown < n_total:
        title += "\n" + in_lang("index.figure.truncated", lang, half=n_shown // 2, n=n_total)
    return title


def ranked_bar(result: "IndexResult", *, lang: str = "both", limit: int = MAX_UNITS) -> tuple[bytes, bytes]:
    """Horizontal bars of the score, best first, coloured by tier; with uncertainty, a second
    panel shows each unit's 5th–95th percentile rank interval and median rank.

    Units without a score are left out (they have no rank and no tier). Above ``limit``
    units only the best and the worst ``limit // 2`` are drawn, with a gap between them and
    the title saying so (the full ranking is the index table).
    """
    ranked = result.index.dropna().sort_values(ascending=False, kind="stable")
    keep, gap = shown_units(ranked.index, limit)
    scores = ranked.loc[keep]
    names = [str(u) for u in scores.index]
    labels = result.tier_scheme.labels_high_first
    colour = {lab: TIER_COLOURS[i % len(TIER_COLOURS)] for i, lab in enumerate(labels)}
    tiers = result.tiers.reindex(scores.index)
    unc = result.uncertainty
    n = len(scores)
    with figure_style():
        ncols = 2 if unc is not None else 1
        fig, axes = plt.subplots(1, ncols, figsize=(8 if ncols == 2 else 6, max(3.0, 0.22 * n + 1.8)),
                                 sharey=True, squeeze=False)
        ax = axes[0, 0]
        y = _with_gap(scores.to_numpy(), gap)
        ax.barh(y, scores.to_numpy(), color=[colour[t] for t in tiers], height=0.8)
        ax.set_yticks(y, labels=names, fontsize=7 if n > 40 else 9)
        ax.invert_yaxis()
        if gap is not None:
            ax.text(0, gap, "⋮", ha="left", va="center", fontsize=9)
        ax.set_xlabel(in_lang("index.figure.score_axis", lang))
        ax.set_title(_figure_title("index.figure.bar", lang, len(ranked), n), fontsize=10)
        present = [lab for lab in labels if lab in set(tiers)]
        ax.legend(handles=[Patch(color=colour[lab], label=tier_legend(result.tier_scheme, lab, lang))
                           for lab in present], fontsize=8,
                  loc="lower right")
        if unc is not None:
            u = unc.reindex(scores.index)
            ax2 = axes[0, 1]
            med = u["rank_median"].to_numpy(dtype=float)
            lo = med - u["rank_p05"].to_numpy(dtype=float)
            hi = u["rank_p95"].to_numpy(dtype=float) - med
            ax2.errorbar(med, y, xerr=[lo, hi], fmt="o", ms=3, color="#333333", ecolor="#999999")
            nominal = result.ranks.reindex(scores.index).to_numpy(dtype=float)
            ax2.plot(nominal, y, "|", color="#b2182b", ms=8)
            ax2.set_xlabel(in_lang("index.figure.rank_axis", lang))
            ax2.set_title(in_lang("index.figure.rank_interval", lang, "\n"), fontsize=10)
        fig.tight_layout()
        return render(fig)


def subindex_heatmap(result: "IndexResult", *, lang: str = "both", limit: int = MAX_UNITS) -> tuple[bytes, bytes]:
    """Heatmap of channel sub-indices (units sorted by the index, channels as columns); above
    ``limit`` units, the best and the worst ``limit // 2`` with a blank row between them."""
    order = result.index.sort_values(ascending=False, kind="stable", na_position="last").index
    keep, gap = shown_units(order, limit)
    sub = result.sub_indices.reindex(keep)
    data = sub.to_numpy(dtype=float)
    labels = [str(u) for u in sub.index]
    if gap is not None:
        data = np.insert(data, gap, np.nan, axis=0)
        labels.insert(gap, "⋮")
    with figure_style():
        fig, ax = plt.subplots(figsize=(1.2 * sub.shape[1] + 3, max(3.0, 0.22 * len(labels) + 1.8)))
        im = ax.imshow(np.ma.masked_invalid(data), aspect="auto", cmap="YlGnBu", interpolation="nearest")
        ax.set_xticks(np.arange(sub.shape[1]), labels=[str(c) for c in sub.columns], rotation=30,
                      ha="right")
        ax.set_yticks(np.arange(len(labels)), labels=labels, fontsize=7 if len(labels) > 40 else 9)
        if data.size <= 400:
            for (i, j), v in np.ndenumerate(data):
                if np.isfinite(v):
                    ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7,
                            color="white" if v > np.nanmean(data) else "black")
        fig.colorbar(im, ax=ax, shrink=0.8)
        ax.set_title(_figure_title("index.figure.heatmap", lang, len(order), len(keep)), fontsize=10)
        fig.tight_layout()
        return render(fig)
