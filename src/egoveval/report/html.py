"""The self-contained HTML report (inline CSS and images; no network), rendered from a
Result with Jinja2 (autoescaping on, so unit names and notes can never inject markup)."""

from __future__ import annotations

import base64
import math

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from ..messages import text

__all__ = ["render_html", "format_cell"]

SECTIONS = (
    ("report.section.framework", ("framework",), ()),
    ("report.section.data", ("quantification_standard", "unbuilt", "dropped", "missing_handled", "quantified"), ()),
    ("report.section.clusters", ("membership", "schedule"), ("dendrogram",)),
    ("report.section.profiles", ("cluster_sizes", "cluster_means", "cluster_means_standardized"), ()),
    ("report.section.types", ("types",), ()),
    ("report.section.regions", ("regions_crosstab",), ()),
)


def format_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}" if abs(value) >= 10000 else str(int(value))
        return f"{value:,.2f}" if abs(value) >= 1000 else f"{value:.3f}"
    if isinstance(value, (list, tuple)):
        return "、".join(map(str, value))
    return str(value)


def _label(key: str, lang: str, **params) -> str:
    if lang == "both":
        return f"{text(key, 'zh', **params)} / {text(key, 'en', **params)}"
    return text(key, lang, **params)


def render_html(result, lang: str = "both") -> str:
    env = Environment(loader=PackageLoader("egoveval.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    from .outputs import export_table

    sections = []
    number = {"table": 0, "figure": 0}
    for key, table_names, figure_names in SECTIONS:
        items = []
        for name in table_names:
            if name not in result.tables:
                continue
            frame: pd.DataFrame = export_table(result, name)
            number["table"] += 1
            t = result.tables[name]
            items.append({"kind": "table", "number": number["table"],
                          "caption": _label(t.title, lang, **dict(t.params)),
                          "columns": [str(c) for c in frame.columns],
                          "rows": [[format_cell(v) for v in row] for row in frame.itertuples(index=False)]})
        for name in figure_names:
            if name not in result.figures:
                continue
            number["figure"] += 1
            f = result.figures[name]
            items.append({"kind": "figure", "number": number["figure"],
                          "caption": _label(f.title, lang, **dict(f.params)),
                          "src": "data:image/png;base64," + base64.b64encode(f.png).decode("ascii")})
        if items:
            sections.append({"title": _label(key, lang), "items": items})
    title = result.spec.get("title") or {}
    if isinstance(title, dict):
        title_text = title.get("zh", "") if lang == "zh" else title.get("en", "") if lang == "en" else \
            " / ".join(x for x in (title.get("zh"), title.get("en")) if x)
    else:
        title_text = str(title)
    warnings = [w.zh if lang == "zh" else w.en if lang == "en" else f"{w.zh} / {w.en}" for w in result.warnings]
    return env.get_template("report.html.j2").render(
        lang="zh-CN" if lang != "en" else "en",
        title=title_text or _label("report.title", lang),
        synthetic=bool(result.spec.get("synthetic")),
        synthetic_text=_label("report.synthetic", lang),
        warnings_title=_label("report.warnings", lang),
        warnings=warnings,
        sections=sections,
        table_word=_label("report.table", lang),
        figure_word=_label("report.figure", lang),
        recipe_title=_label("report.section.methods", lang),
        inputs=dict(result.recipe.get("inputs", {})),
        versions=dict(result.recipe.get("versions", {})),
        settings={k: dict(v) for k, v in result.recipe.get("settings", {}).items()},
    )
