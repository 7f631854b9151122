"""Writing a finished run: every table as CSV, the workbook, figures, the HTML report, the
saved Result (``result/``) and the manifest — into a temporary folder that replaces the
output folder only when complete. :func:`render_run` re-renders a finished run from its
saved Result (nothing is recomputed; the pipeline is not imported).

Re-running gives byte-identical files apart from the manifest's ``created`` timestamp.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from ..io.writers import output_dir, write_bytes, write_csv, write_json
from ..result import Result
from .context import context_of
from .html import render_html
from .present import export_table
from .saved import save_result
from .xlsx import report_workbook

__all__ = ["write_outputs", "export_table", "manifest", "render_run", "FORMATS"]

FORMATS = ("html", "xlsx", "pdf")


def manifest(result: Result, files: list[str]) -> dict:
    q = result.values.get("quantified")
    if q is not None:
        dropped = list(q.dropped["indicator"])
    elif "dropped" in result.tables and "indicator" in result.tables["dropped"].data:
        dropped = list(result.tables["dropped"].data["indicator"])
    else:
        dropped = []
    return {
        "egoveval": result.recipe.get("versions", {}).get("egoveval"),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "study": dict(result.spec),
        "study_file": result.recipe.get("study_file"),
        "inputs_sha256": dict(result.recipe.get("inputs", {})),
        "options": {k: dict(v) for k, v in result.recipe.get("settings", {}).items()},
        "versions": dict(result.recipe.get("versions", {})),
        "dropped_indicators": dropped,
        "warnings": [{"key": w.key, "zh": w.zh, "en": w.en} for w in result.warnings],
        "tables": list(result.tables),
        "figures": list(result.figures),
        "files": sorted(files),
    }


def _coverage_files(result: Result, tmp: Path) -> list[str]:
    """A city survey's run also holds, in ``coverage/``, the files ``egoveval coverage`` writes."""
    from ..coverage.analysis import FOLDER, HEATMAP, TABLES, write_coverage_files

    tables = {name: result.tables[name].data for name in TABLES if name in result.tables}
    if not tables:
        return []
    fig = result.figures.get(HEATMAP)
    names = write_coverage_files(tables, None if fig is None else (fig.png, fig.svg), tmp / FOLDER)
    return [f"{FOLDER}/{n}" for n in names]


def _in_coverage_folder() -> set[str]:
    """Tables and figures of a city survey that go to ``coverage/`` (the files of
    ``egoveval coverage``) instead of the top level; the workbook keeps their sheets."""
    from ..coverage.analysis import FOLDER_FIGURES, TABLES

    return {*TABLES, *FOLDER_FIGURES}


def write_outputs(result: Result, out: Path, lang: str = "both", inputs=()) -> Path:
    """All outputs of ``result`` in ``out`` (replaced as a whole, atomically; refused when
    ``out`` holds one of ``inputs`` or is a foreign non-empty folder)."""
    out = Path(out)
    ctx = context_of(result)
    with output_dir(out, inputs=inputs) as tmp:
        files = []
        in_folder = _in_coverage_folder()  # written once, into coverage/, not also here
        for name in (n for n in result.tables if n not in in_folder):
            write_csv(export_table(result, name, ctx), tmp / f"{name}.csv")
            files.append(f"{name}.csv")
        write_bytes(report_workbook(result, lang, ctx=ctx), tmp / "tables.xlsx")
        files.append("tables.xlsx")
        for name, fig in ((n, f) for n, f in result.figures.items() if n not in in_folder):
            write_bytes(fig.png, tmp / f"{name}.png")
            write_bytes(fig.svg, tmp / f"{name}.svg")
            files += [f"{name}.png", f"{name}.svg"]
        files += _coverage_files(result, tmp)
        write_bytes(render_html(result, lang, ctx=ctx).encode("utf-8"), tmp / "report.html")
        files.append("report.html")
        files += save_result(result, tmp)
        files.append("manifest.json")
        write_json(manifest(result, files), tmp / "manifest.json")
    return out


def render_run(run_dir: Path, lang: str = "both", formats: Iterable[str] = ("html",),
               out: Path | None = None) -> list[Path]:
    """Re-render a finished run from ``run_dir/result`` into ``out`` (default: ``run_dir``).

    ``formats``: html (``report.html``), xlsx (``tables.xlsx``), pdf (``report.pdf``, via
    headless Chromium). Each file is replaced atomically; returns the files written.
    """
    from .saved import load_result

    run_dir = Path(run_dir)
    out = Path(out) if out is not None else run_dir
    result = load_result(run_dir)
    ctx = context_of(result)
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown formats {unknown}; choose from {FORMATS}")
    written = []
    html = None
    if "html" in formats or "pdf" in formats:
        html = render_html(result, lang, ctx=ctx).encode("utf-8")
    if "html" in formats:
        written.append(write_bytes(html, out / "report.html"))
    if "xlsx" in formats:
        written.append(write_bytes(report_workbook(result, lang, ctx=ctx), out / "tables.xlsx"))
    if "pdf" in formats:
        import tempfile

        from .pdf import html_to_pdf

        with tempfile.TemporaryDirectory(prefix="egoveval-pdf-") as tmp:
            page = Path(tmp) / "report.html"
            page.write_bytes(html)
            written.append(html_to_pdf(page, out / "report.pdf"))
    return written
