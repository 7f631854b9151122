"""The figure of a regional analysis: a choropleth map of China, or a bar chart fallback.

:func:`regional_figure` draws the outcome with :func:`egoveval.regional.maps.choropleth`
(provinces or cities; a category as a categorical map, a value as a continuous one). When
the map module is not available it draws a bar chart of the units grouped by region and
says so with the ``regional.note.map_fallback`` message.
"""

from __future__ import annotations

import numpy as np

from ..messages import Message, msg, text

__all__ = ["regional_figure", "bar_chart"]


def regional_figure(analysis, lang: str = "zh") -> tuple[bytes, bytes, Message | None]:
    """(png, svg, note) — ``note`` is None for a map, the fallback message for a bar chart."""
    data = analysis.data[analysis.data["outcome"].notna()]
    key = "regional.figure.values" if analysis.kind == "value" else "regional.figure.categories"
    title = text(key, lang, column=analysis.outcome)
    try:
        from .maps import choropleth
    except ImportError:
        return (*bar_chart(analysis, title, lang), msg("regional.note.map_fallback"))
    if analysis.kind == "value":
        values = {c: float(v) for c, v in zip(data["code"], data["outcome"])}
        png, svg = choropleth(values, level=analysis.options.units, kind="continuous", title=title,
                              legend_title=analysis.outcome, lang=lang)
    else:
        from .crosstab import category_order

        order = category_order(data["outcome"])
        values = dict(zip(data["code"], data["outcome"]))
        png, svg = choropleth(values, level=analysis.options.units, kind="categorical", title=title,
                              legend_title=analysis.outcome, labels={c: str(c) for c in order},
                              lang=lang)
    return png, svg, None


def bar_chart(analysis, title: str, lang: str = "zh") -> tuple[bytes, bytes]:
    """Values of the units as bars grouped by region (a category: counts per region)."""
    import matplotlib.pyplot as plt

    from ..report.fonts import figure_style, render

    data = analysis.data[analysis.data["outcome"].notna()]
    sch = analysis.scheme
    regions = [r for r in sch.regions if (data["region"] == r).any()]
    colours = plt.get_cmap("Set2")(np.arange(max(len(regions), 3)))
    with figure_style():
        fig, ax = plt.subplots(figsize=(max(6.0, 0.22 * len(data) + 2), 4.0))
        if analysis.kind == "value":
            pos = 0
            for i, region in enumerate(regions):
                part = data[data["region"] == region].sort_values("outcome", ascending=False)
                xs = np.arange(pos, pos + len(part))
                ax.bar(xs, part["outcome"].astype(float), color=colours[i], label=sch.label(region, lang))
                for x, name in zip(xs, part["name"]):
                    ax.text(x, 0, name, rotation=90, ha="center", va="bottom", fontsize=6)
                pos += len(part) + 1
            ax.set_xticks([])
            ax.set_ylabel(analysis.outcome)
        else:
            from .crosstab import category_order

            bottom = np.zeros(len(regions))
            for j, cat in enumerate(category_order(data["outcome"])):
                counts = np.array([((data["region"] == r) & (data["outcome"] == cat)).sum() for r in regions])
                ax.bar([sch.label(r, lang) for r in regions], counts, bottom=bottom,
                       color=plt.get_cmap("Set3")(j % 12), label=str(cat))
                bottom += counts
            ax.set_ylabel(text("regional.figure.count", lang))
        ax.set_title(title)
        ax.legend(fontsize=7, frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        return render(fig)
