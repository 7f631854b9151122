"""The figure of a regional analysis: a choropleth map of China, or a bar chart fallback.

:func:`regional_figure` draws the outcome with :func:`egoveval.regional.maps.choropleth`
(provinces or cities; a category as a categorical map, a value as a continuous one). When
the map module is not available it draws a bar chart of the units grouped by region and
says so with the ``regional.note.map_fallback`` message.
"""

from __future__ import annotations

import numpy as np

from ..messages import Message, msg, pick, text

__all__ = ["regional_figure", "regional_interactive", "map_values", "bar_chart"]


def _texts(analysis, lang: str, label: tuple[str, str] | None) -> tuple[str, str]:
    """Title and legend title in ``lang`` (``both``: "中文 / English")."""
    zh, en = label or (analysis.outcome, analysis.outcome)
    key = "regional.figure.values" if analysis.kind == "value" else "regional.figure.categories"
    return pick(text(key, "zh", column=zh), text(key, "en", column=en), lang), pick(zh, en, lang)


def map_values(analysis) -> tuple[dict, dict]:
    """The choropleth arguments of an analysis: values by unit code and the map options."""
    data = analysis.data[analysis.data["outcome"].notna()]
    if analysis.kind == "value":
        return {c: float(v) for c, v in zip(data["code"], data["outcome"])}, {"kind": "continuous"}
    from .crosstab import category_order

    order = category_order(data["outcome"])
    return dict(zip(data["code"], data["outcome"])), {"kind": "categorical",
                                                      "labels": {c: str(c) for c in order}}


def regional_figure(analysis, lang: str = "zh", label: tuple[str, str] | None = None
                    ) -> tuple[bytes, bytes, Message | None]:
    """(png, svg, note) — ``note`` is None for a map, the fallback message for a bar chart.

    ``lang`` is zh, en or both (bilingual title, legend and map texts); ``label`` (zh, en)
    names the outcome (default: its column name).
    """
    title, legend = _texts(analysis, lang, label)
    try:
        from .maps import choropleth
    except ImportError:
        return (*bar_chart(analysis, title, "zh" if lang == "both" else lang), msg("regional.note.map_fallback"))
    values, how = map_values(analysis)
    png, svg = choropleth(values, level=analysis.options.units, title=title, legend_title=legend,
                          lang=lang, **how)
    return png, svg, None


def regional_interactive(analysis, lang: str = "zh", label: tuple[str, str] | None = None) -> str:
    """The interactive SVG map of an analysis for the HTML report (tooltips "unit: value")."""
    from .maps import interactive_svg

    title, legend = _texts(analysis, lang, label)
    values, how = map_values(analysis)
    return interactive_svg(values, level=analysis.options.units, title=title, legend_title=legend,
                           lang=lang, **how)


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
