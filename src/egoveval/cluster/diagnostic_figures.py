"""Diagnostic figures: heatmap of standardised cluster means (clusters × indicators grouped
by channel), a profile per cluster (parallel coordinates, small multiples), the silhouette
plot and the k-diagnostics panel. Each returns ``(png, svg)`` bytes rendered with
:func:`egoveval.report.fonts.figure_style` so Chinese text renders; titles come from
``messages/cluster_describe.yaml``. ``lang="both"`` stacks Chinese over English.
"""

from __future__ import annotations

from functools import partial
from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..messages import in_lang, pick
from ..report.fonts import figure_style, render
from .describe import bilingual_name
from .figures import CLUSTER_COLOURS
from .kchoice import KChoice
from .schedule import coefficients
from .tree import Tree

__all__ = ["heatmap_figure", "heatmap_axes", "profiles_figure", "silhouette_figure", "k_panel_figure",
           "wrap_to_width"]


_t = partial(in_lang, sep="\n")  # a catalogue text in the figure's language (both: two lines)


def _name(names, key, lang: str, sep: str = "\n") -> str:
    return pick(bilingual_name(names, key, "zh"), bilingual_name(names, key, "en"), lang, sep)


def _ordered(columns: Sequence[str], channels: Mapping[str, str] | None) -> tuple[list[str], list[tuple[str, int, int]]]:
    """Indicators grouped by channel (framework order) and the (channel, start, end) spans."""
    channels = channels or {}
    order: dict[str, list[str]] = {}
    for c in columns:
        order.setdefault(channels.get(c, ""), []).append(c)
    cols, spans = [], []
    for ch, members in order.items():
        spans.append((ch, len(cols), len(cols) + len(members)))
        cols += members
    return cols, spans


def _heatmap_size(p: int, k: int) -> tuple[float, float]:
    """Inches: 0.75 per indicator up to 16 indicators, 0.36 beyond (42 indicators: 18 in wide)."""
    return max(6.0, (0.75 if p <= 16 else 0.36) * p + 3.0), max(2.8, 0.75 * k + 2.6)


def _profiles_size(p: int, ncol: int, nrow: int) -> tuple[float, float]:
    """Inches: a panel 0.35 in per indicator up to 16 indicators, 0.2 in beyond."""
    return max(4.5, (0.35 if p <= 16 else 0.2) * p + 2.0) * ncol, 2.4 * nrow + 2.4


def _row_labels(z_means: pd.DataFrame, type_labels: Mapping[int, tuple[str, str]] | None, lang: str) -> list[str]:
    out = []
    for c in z_means.index:
        if type_labels and c in type_labels:
            out.append(f"{c}: " + _name({c: type_labels[c]}, c, lang, sep=" / "))
        else:
            out.append(str(c))
    return out


def _text_width(line: str, fontsize: float) -> float:
    """Estimated width in points: CJK characters 1 em, other characters 0.6 em (generous)."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.6 for ch in line) * fontsize


def wrap_to_width(label: str, width: float, fontsize: float) -> str:
    r"""Break each line of ``label`` so that no line is wider than ``width`` points (as far as
    a single word or character allows): Latin text at spaces, CJK text between characters.

    >>> wrap_to_width("Government service platform", 60, 7.5)
    'Government\nservice\nplatform'
    >>> wrap_to_width("国家政务服务平台", 32, 8)
    '国家政务\n服务平台'
    """
    out: list[str] = []
    for line in label.split("\n"):
        tokens = line.split(" ") if " " in line else list(line)
        joiner = " " if " " in line else ""
        current = ""
        for tok in tokens:
            trial = f"{current}{joiner}{tok}" if current else tok
            if current and _text_width(trial, fontsize) > width:
                out.append(current)
                current = tok
            else:
                current = trial
        out.append(current)
    return "\n".join(out)


def heatmap_figure(z_means: pd.DataFrame, **kw) -> tuple[bytes, bytes]:
    """Clusters (rows, in the order given) × indicators (columns grouped by channel); the
    channel names above each group are wrapped to the group's width."""
    with figure_style():
        return render(heatmap_axes(z_means, **kw))


def heatmap_axes(z_means: pd.DataFrame, *, channels: Mapping[str, str] | None = None,
                 indicator_names: Mapping | None = None, channel_names: Mapping | None = None,
                 type_labels: Mapping[int, tuple[str, str]] | None = None, lang: str = "both"):
    """The heatmap's matplotlib figure (call inside :func:`figure_style`)."""
    cols, spans = _ordered(list(z_means.columns), channels)
    data = z_means[cols].to_numpy(dtype=float)
    k, p = data.shape
    lim = max(1.0, float(np.nanmax(np.abs(data))) if data.size else 1.0)
    fig, ax = plt.subplots(figsize=_heatmap_size(p, k))
    im = ax.imshow(data, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto", interpolation="nearest")
    for i in range(k):
        for j in range(p):
            v = data[i, j]
            ax.text(j, i, f"{v:+.2f}", ha="center", va="center", fontsize=7,
                    color="white" if abs(v) > 0.6 * lim else "#222222")
    ax.set_yticks(range(k), _row_labels(z_means, type_labels, lang), fontsize=8)
    ax.set_xticks(range(p), [_name(indicator_names, c, lang) for c in cols], rotation=60,
                  ha="right", rotation_mode="anchor", fontsize=7)
    for ch, a, b in spans:
        if a > 0:
            ax.axvline(a - 0.5, color="black", linewidth=1.2)
    cb = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
    cb.set_label(_t("cluster.figure.heatmap.colorbar", lang, sep=" / "), fontsize=8)
    ax.set_title(_t("cluster.figure.heatmap", lang), fontsize=10)
    fig.tight_layout()
    if any(ch for ch, _, _ in spans):
        size = 7.5
        column = ax.get_position().width * fig.get_figwidth() * 72 / max(p, 1)  # points per column
        top = ax.secondary_xaxis("top")
        top.set_xticks([(a + b - 1) / 2 for _, a, b in spans],
                       [wrap_to_width(_name(channel_names, ch, lang), 0.92 * column * (b - a), size) if ch else ""
                        for ch, a, b in spans], fontsize=size)
        top.tick_params(length=0)
        fig.tight_layout()
    return fig


def profiles_figure(z_means: pd.DataFrame, *, channels: Mapping[str, str] | None = None,
                    indicator_names: Mapping | None = None,
                    type_labels: Mapping[int, tuple[str, str]] | None = None,
                    threshold: float = 0.5, lang: str = "both") -> tuple[bytes, bytes]:
    """One panel per cluster: its standardised means across indicators (parallel coordinates),
    the other clusters in grey, the ±threshold band shaded."""
    cols, spans = _ordered(list(z_means.columns), channels)
    data = z_means[cols].to_numpy(dtype=float)
    k, p = data.shape
    ncol = min(2, k)
    nrow = int(np.ceil(k / ncol))
    lim = max(1.0, float(np.nanmax(np.abs(data)))) * 1.1
    labels = _row_labels(z_means, type_labels, lang)
    x = np.arange(p)
    with figure_style():
        fig, axes = plt.subplots(nrow, ncol, figsize=_profiles_size(p, ncol, nrow),
                                 sharey=True, sharex=True, squeeze=False)
        for idx, ax in enumerate(axes.flat):
            if idx >= k:
                ax.set_visible(False)
                continue
            ax.axhspan(-threshold, threshold, color="#eeeeee", zorder=0)
            ax.axhline(0, color="#999999", linewidth=0.8)
            for other in range(k):
                if other != idx:
                    ax.plot(x, data[other], color="#c8c8c8", linewidth=0.9)
            colour = CLUSTER_COLOURS[(int(z_means.index[idx]) - 1) % len(CLUSTER_COLOURS)]
            ax.plot(x, data[idx], color=colour, linewidth=2, marker="o", markersize=3.5)
            for _, a, _b in spans:
                if a > 0:
                    ax.axvline(a - 0.5, color="#777777", linewidth=0.6, linestyle=":")
            ax.set_ylim(-lim, lim)
            ax.set_title(labels[idx], fontsize=9)
            ax.set_xticks(x)
            if idx + ncol >= k:  # lowest panel of its column: indicator names
                ax.set_xticklabels([_name(indicator_names, c, lang, sep=" ") for c in cols], rotation=60,
                                   ha="right", rotation_mode="anchor", fontsize=6.5)
                ax.tick_params(axis="x", labelbottom=True)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        fig.suptitle(_t("cluster.figure.profiles", lang), fontsize=10)
        fig.tight_layout()
        return render(fig)


def silhouette_figure(s: np.ndarray, labels: np.ndarray, unit_names: Sequence[str], *,
                      lang: str = "both") -> tuple[bytes, bytes]:
    """Silhouette widths by cluster, sorted within cluster (Rousseeuw 1987), average marked."""
    s = np.asarray(s, dtype=float)
    labels = np.asarray(labels)
    k, n = int(labels.max()), len(labels)
    show_names = n <= 60
    with figure_style():
        fig, ax = plt.subplots(figsize=(7, max(3.5, (0.2 if show_names else 0.012) * n + 1.8)))
        y, ticks, names = 0, [], []
        for c in range(1, k + 1):
            idx = np.flatnonzero(labels == c)
            idx = idx[np.lexsort((np.arange(len(idx)), -s[idx]))]
            ys = np.arange(y, y + len(idx))
            ax.barh(ys, s[idx], height=0.85 if show_names else 1.0,
                    color=CLUSTER_COLOURS[(c - 1) % len(CLUSTER_COLOURS)], edgecolor="none")
            ax.text(-0.02 if s[idx].mean() >= 0 else 0.02, y + len(idx) / 2, str(c), ha="right" if s[idx].mean() >= 0 else "left",
                    va="center", fontsize=9)
            ticks += list(ys)
            names += [unit_names[i] for i in idx]
            y += len(idx) + 1
        avg = float(s.mean())
        ax.axvline(avg, color="#444444", linestyle="--", linewidth=1)
        ax.invert_yaxis()
        if show_names:
            ax.set_yticks(ticks, names, fontsize=7)
        else:
            ax.set_yticks([])
        ax.set_xlim(min(-0.1, float(s.min()) - 0.05), 1.0)
        ax.set_xlabel(_t("cluster.figure.silhouette.axis", lang, sep=" / "))
        ax.set_title(_t("cluster.figure.silhouette", lang, k=k, avg=avg), fontsize=10)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.tight_layout()
        return render(fig)


def _k_panel_title(k: int, study_k: int | None, suggested: int, lang: str) -> str:
    """The panel's title says which line is which, and which k is used.

    >>> _k_panel_title(4, 4, 6, "en")
    "Choosing k (dashed: the study's k = 4, used; dotted: suggested k = 6)"
    >>> _k_panel_title(6, 4, 6, "en")
    "Choosing k (dashed: the study's k = 4; dotted: suggested k = 6, used)"
    >>> _k_panel_title(3, None, 3, "en")
    'Choosing k (dotted: suggested k = 3, used; no study k was given)'
    """
    if study_k is None:
        key = "cluster.figure.kpanel.auto"
    elif study_k == suggested:
        key = "cluster.figure.kpanel.same"
    else:
        key = "cluster.figure.kpanel" if k == study_k else "cluster.figure.kpanel.use_suggested"
    return _t(key, lang, k=study_k, suggested=suggested)


def k_panel_figure(kchoice: KChoice, tree: Tree, k: int, *, study_k: int | None = None,
                   lang: str = "both") -> tuple[bytes, bytes]:
    """Six panels over the k range: silhouette, CH, DB, R², gap ± s_k and the schedule curve;
    dashed: the study's k (when given), dotted: the suggested k. ``k`` is the k used."""
    t = kchoice.table
    ks = t["k"].to_numpy()
    c = coefficients(tree)
    n = tree.n
    elbow_y = np.array([c[n - kk - 1] if kk < n else 0.0 for kk in ks])
    panels = [("silhouette", t["silhouette"], None), ("calinski_harabasz", t["calinski_harabasz"], None),
              ("davies_bouldin", t["davies_bouldin"], None), ("r2", t["r2"], None),
              ("gap", t["gap"], t["gap_se"]), ("elbow", elbow_y, None)]
    with figure_style():
        fig, axes = plt.subplots(2, 3, figsize=(11, 6.4))
        for ax, (key, y, err) in zip(axes.flat, panels):
            y = np.asarray(y, dtype=float)
            if np.all(np.isnan(y)):
                ax.set_visible(False)
                continue
            if err is not None:
                ax.errorbar(ks, y, yerr=np.asarray(err, dtype=float), color="#1f77b4", marker="o",
                            markersize=4, capsize=3, linewidth=1.4)
            else:
                ax.plot(ks, y, color="#1f77b4", marker="o", markersize=4, linewidth=1.4)
            if study_k is not None:
                ax.axvline(study_k, color="#d62728", linestyle="--", linewidth=1)
            if kchoice.suggested_k != study_k:
                ax.axvline(kchoice.suggested_k, color="#2ca02c", linestyle=":", linewidth=1.5)
            ax.set_title(_t(f"cluster.figure.kpanel.{key}", lang), fontsize=9)
            ax.set_xticks(ks)
            ax.set_xlabel(_t("cluster.figure.k_axis", lang, sep=" / "), fontsize=8)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        fig.suptitle(_k_panel_title(k, study_k, kchoice.suggested_k, lang), fontsize=10)
        fig.tight_layout()
        return render(fig)
