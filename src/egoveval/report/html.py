"""The self-contained HTML report: inline CSS, a few lines of inline JS and images as data
URIs (vector SVG, or PNG for very large drawings); no fonts, scripts or images from the
network. Rendered with Jinja2 with autoescaping on, so user-supplied text (unit names,
labels, notes, study titles) can never become markup. Sections come from
:mod:`egoveval.report.sections`; print CSS starts each section on a new page, repeats
table headers and keeps figures whole.
"""

from __future__ import annotations

import base64
import re
import shlex
from typing import Mapping

import yaml
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .context import Context, context_of
from .present import bi, figure_title, methods_number, plan, present_table, value_in

__all__ = ["render_html", "study_title", "rerun_commands", "spec_for_report", "safe_svg", "format_cell"]

_MAX_SVG = 1_500_000  # bytes; larger drawings are embedded as PNG


def format_cell(value) -> str:
    """Kept for callers of the first report: a cell formatted by its own type."""
    from .formats import Fmt, format_value

    if isinstance(value, float) and not value.is_integer():
        return format_value(value, Fmt("float", 3, abs(value) >= 10000))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_value(value, Fmt("int", 0, abs(value) >= 10000))
    return format_value(value, Fmt("text"))


def study_title(spec: Mapping) -> dict:
    """The study's title in both languages (a plain string serves both)."""
    title = spec.get("title") or {}
    if isinstance(title, Mapping):
        zh, en = str(title.get("zh") or ""), str(title.get("en") or "")
        zh, en = zh or en, en or zh
    else:
        zh = en = str(title)
    fallback = bi("report.title")
    return {"zh": zh or fallback["zh"], "en": en or fallback["en"]}


def spec_for_report(spec: Mapping) -> dict:
    """The study spec as shown and saved: without the output folder, which names the machine
    and folder of one run, not the study (so re-runs elsewhere give identical files)."""
    return {k: v for k, v in spec.items() if k != "output"}


def _bundled_sample(study_file: str) -> str | None:
    """The name of the bundled sample whose study file this is (``egoveval run --sample NAME``)."""
    from ..samples import SAMPLES, sample_path

    return next((name for name in SAMPLES if sample_path(name).name == study_file), None)


def rerun_commands(result) -> dict:
    """The command that reproduces the run, and the one that re-renders its report."""
    settings = result.recipe.get("settings", {})
    study_file = str(result.recipe.get("study_file") or "STUDY.yaml")
    opts = []
    if "cluster" in settings and "k" in settings["cluster"]:
        opts += ["--k", str(settings["cluster"]["k"])]
    if "report" in settings and "lang" in settings["report"]:
        opts += ["--lang", str(settings["report"]["lang"])]
    sample = _bundled_sample(study_file) if result.spec.get("synthetic") else None
    bundled = sample is not None
    run = ["egoveval", "run"] + (["--sample", sample] if bundled else [study_file]) + opts
    return {"run": " ".join(shlex.quote(x) for x in run), "bundled": bundled,
            "report": "egoveval report RUN_DIR --lang both --format html --format xlsx"}


_SCRIPT = re.compile(r"<\s*script\b.*?<\s*/\s*script\s*>", re.I | re.S)
_ON_ATTR = re.compile(r"\s+on[a-z]+\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I)
_HREF = re.compile(r"\s+(?:xlink:)?href\s*=\s*(\"(?!#)[^\"]*\"|'(?!#)[^']*')", re.I)


def safe_svg(svg: str) -> Markup:
    """An SVG drawing for inline use: no scripts, event handlers or outside links, and no
    XML namespace URL (inline SVG in HTML needs none)."""
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>", "", svg)
    svg = _SCRIPT.sub("", svg)
    svg = _ON_ATTR.sub("", svg)
    svg = _HREF.sub("", svg)
    svg = re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", svg)
    return Markup(svg.strip())


def _image_src(png: bytes, svg: bytes) -> str:
    if svg and len(svg) <= _MAX_SVG:
        return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _caption(word_key: str, number: int | None, title: dict) -> dict:
    word = bi(word_key)
    if number is None:
        return title
    return {"zh": f"{word['zh']} {number} {title['zh']}", "en": f"{word['en']} {number}. {title['en']}"}


def _methods(result) -> dict:
    settings = result.recipe.get("settings", {})
    options = [(f"{section}.{k}", _plain(v)) for section, entries in settings.items()
               for k, v in dict(entries).items()]
    spec = spec_for_report(result.spec)
    return {
        "study_file": str(result.recipe.get("study_file") or ""),
        "options": options,
        "versions": list(dict(result.recipe.get("versions", {})).items()),
        "inputs": list(dict(result.recipe.get("inputs", {})).items()),
        "commands": rerun_commands(result),
        "spec": yaml.safe_dump(_jsonable(spec), allow_unicode=True, sort_keys=False, width=100),
    }


def _plain(value) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(str, value)) + "]"
    return "—" if value is None else str(value)


def _jsonable(value):
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def render_html(result, lang: str = "both", *, ctx: Context | None = None) -> str:
    """The report as one HTML document in ``lang`` (zh, en or both)."""
    if lang not in ("zh", "en", "both"):
        raise ValueError(f"lang must be zh, en or both, not {lang!r}")
    ctx = ctx or context_of(result)
    env = Environment(loader=PackageLoader("egoveval.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    sections = []
    planned = plan(result)
    for ps in planned:
        items = []
        for item in ps.items:
            if item.kind == "table":
                t = present_table(result, item, lang, ctx=ctx)
                empty = {lg: bi("report.empty_table", title=t.title[lg])[lg] for lg in ("zh", "en")}
                items.append({"kind": "table", "id": f"table-{item.name}", "table": t,
                              "caption": _caption("report.table", t.number, t.title),
                              "empty": empty if t.empty else None})
            elif item.kind == "figure":
                f = result.figures[item.name]
                items.append({"kind": "figure", "id": f"figure-{item.name}",
                              "caption": _caption("report.figure", item.number, figure_title(result, item.name)),
                              "src": _image_src(f.png, f.svg)})
            else:
                items.append({"kind": "map", "id": f"map-{item.name}", "caption": bi("report.map_interactive"),
                              "svg": safe_svg(value_in(result, item.name, lang) or "")})
        sections.append({"id": f"s-{ps.section.id}", "number": ps.number, "title": bi(ps.section.title),
                         "intro": bi(ps.section.intro) if ps.section.intro else None,
                         "warnings": [{"zh": w.zh, "en": w.en} for w in ps.warnings],
                         "items": items, "appendix": ps.section.id == "appendix"})
    main = [s for s in sections if not s["appendix"]]
    appendix = [s for s in sections if s["appendix"]]
    methods = {"id": "s-methods", "number": methods_number(planned), "title": bi("report.section.methods")}
    version = dict(result.recipe.get("versions", {})).get("egoveval", "")
    return env.get_template("report.html.j2").render(
        lang=lang, html_lang="en" if lang == "en" else "zh-CN",
        title=study_title(result.spec), report_title=bi("report.title"),
        synthetic=bool(result.spec.get("synthetic")), synthetic_text=bi("report.synthetic"),
        notes_title=bi("report.warnings"), contents=bi("report.contents"),
        sections=main, appendix=appendix, methods=methods, m=_methods(result),
        generated=bi("report.generated", version=version),
        L={k: bi(f"report.methods.{k}") for k in ("study", "options", "versions", "inputs", "rerun", "rerun_text",
                                                   "rerun_sample", "rerender_text", "spec", "key", "value", "file", "package",
                                                   "version")},
    )
