"""Figures: the channel × area heat map of adoption rates by city group, and a city map.

:func:`heatmap` draws one panel per city group (key, prefecture-level, all), channels
down, areas across, each cell coloured by its rate (0–1, one shared colour scale) and
labelled with the percentage; cells without observed cities are grey and labelled "—".
:func:`coverage_map` draws the per-city coverage score on the city-level choropleth of
:mod:`egoveval.regional.maps`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..messages import in_lang, pick
from .labels import group_name
from .layout import Layout

__all__ = ["heatmap", "coverage_map"]


def _group_label(group: str, lang: str) -> str:
    return pick(group_name(group, "zh"), group_name(group, "en"), lang)


def _tick(layout: Layout, kind: str, ident: str, lang: str) -> str:
    return pick(layout.label(kind, ident, "zh"), layout.label(kind, ident, "en"), lang, "\n")


def heatmap(adoption: pd.DataFrame, layout: Layout, groups, *, lang: str = "zh",
            synthetic: bool = False) -> tuple[bytes, bytes]:
    """PNG and SVG bytes of the heat map (``groups`` in panel order, e.g. key, prefecture, all)."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize

    from ..report.fonts import figure_style, render

    groups = list(groups)
    channels, areas = list(layout.channels), list(layout.areas)
    both = lang == "both"
    with figure_style():
        width = 1.0 + len(groups) * (0.72 * len(areas) + (1.2 if both else 0.6))
        fig, axes = plt.subplots(1, len(groups), figsize=(width, 0.55 * len(channels) + (2.6 if both else 2.0)),
                                 sharey=True, squeeze=False)
        cmap = plt.get_cmap("YlGnBu").with_extremes(bad="#dddddd")
        norm = Normalize(0.0, 1.0)
        image = None
        for ax, group in zip(axes[0], groups):
            part = adoption[adoption["group"] == group].set_index(["channel", "area"])
            grid = np.full((len(channels), len(areas)), np.nan)
            for i, c in enumerate(channels):
                for j, a in enumerate(areas):
                    if (c, a) in part.index and part.at[(c, a), "n"] > 0:
                        grid[i, j] = part.at[(c, a), "rate"]
            image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")
            for i in range(len(channels)):
                for j in range(len(areas)):
                    v = grid[i, j]
                    label = "—" if np.isnan(v) else f"{100 * v:.0f}%"
                    colour = "white" if (not np.isnan(v) and v > 0.6) else "#222222"
                    ax.text(j, i, label, ha="center", va="center", fontsize=7, color=colour)
            n = part["n"].max() if len(part) else 0
            ax.set_title(f"{_group_label(group, lang)}\n(n = {int(n)})", fontsize=9)
            ax.set_xticks(range(len(areas)))
            ax.set_xticklabels([_tick(layout, "area", a, lang) for a in areas], rotation=45, ha="right",
                               rotation_mode="anchor", fontsize=7)
            ax.set_yticks(range(len(channels)))
            ax.set_yticklabels([_tick(layout, "channel", c, lang) for c in channels], fontsize=7.5)
            ax.tick_params(length=0)
            for spine in ax.spines.values():
                spine.set_visible(False)
        title = in_lang("coverage.heatmap.title", lang)
        if synthetic:
            title += f"（{in_lang('coverage.synthetic', lang)}）" if lang == "zh" else f" ({in_lang('coverage.synthetic', lang)})"
        fig.suptitle(title, fontsize=10)
        bar = fig.colorbar(image, ax=axes[0].tolist(), fraction=0.025, pad=0.02)
        bar.ax.set_title(in_lang("coverage.heatmap.colorbar", lang).replace(" / ", "\n"), fontsize=8, loc="left")
        bar.ax.yaxis.set_major_formatter(lambda x, _: f"{100 * x:.0f}%")
        bar.ax.tick_params(labelsize=7)
        return render(fig)


def coverage_map(city_scores: pd.DataFrame, *, lang: str = "zh", synthetic: bool = False) -> tuple[bytes, bytes]:
    """City-level choropleth of the coverage score (grey: no score)."""
    from ..regional.maps import choropleth

    values = {str(c): (None if pd.isna(s) else float(s)) for c, s in zip(city_scores["code"], city_scores["score"])}
    title = in_lang("coverage.map.title", lang)
    if synthetic:
        title += f"（{in_lang('coverage.synthetic', lang)}）" if lang == "zh" else f" ({in_lang('coverage.synthetic', lang)})"
    return choropleth(values, level="cities", kind="continuous", title=title,
                      legend_title=in_lang("coverage.map.legend", lang),
                      lang=lang)
