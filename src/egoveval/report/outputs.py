"""Writing a finished run: every table as CSV, the workbook, figures, the HTML report and
the manifest — into a temporary folder that replaces the output folder only when complete.

Re-running gives byte-identical files apart from the manifest's ``created`` timestamp.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from ..io.writers import output_dir, write_bytes, write_csv, write_json
from ..messages import text
from ..result import Result
from .html import render_html
from .xlsx import workbook_bytes

__all__ = ["write_outputs", "export_table", "manifest"]


def export_table(result: Result, name: str) -> pd.DataFrame:
    """A table as exported: unit-indexed tables get code and names as leading columns."""
    frame = result[name]
    if isinstance(frame.index, pd.Index) and frame.index.name in (None, "code") and \
            "units" in result.values and set(frame.index) <= set(result.values["units"].codes):
        units = result.values["units"]
        lead = pd.DataFrame({"code": list(frame.index),
                             "name_zh": [units.name_of(c, "zh") for c in frame.index],
                             "name_en": [units.name_of(c, "en") for c in frame.index]})
        return pd.concat([lead, frame.reset_index(drop=True)], axis=1)
    return frame.reset_index(drop=True)


def manifest(result: Result, files: list[str]) -> dict:
    q = result.values.get("quantified")
    return {
        "egoveval": result.recipe.get("versions", {}).get("egoveval"),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "study": dict(result.spec),
        "study_file": result.recipe.get("study_file"),
        "inputs_sha256": dict(result.recipe.get("inputs", {})),
        "options": {k: dict(v) for k, v in result.recipe.get("settings", {}).items()},
        "versions": dict(result.recipe.get("versions", {})),
        "dropped_indicators": [] if q is None else list(q.dropped["indicator"]),
        "warnings": [{"key": w.key, "zh": w.zh, "en": w.en} for w in result.warnings],
        "tables": list(result.tables),
        "figures": list(result.figures),
        "files": sorted(files),
    }


def write_outputs(result: Result, out: Path, lang: str = "both") -> Path:
    out = Path(out)
    with output_dir(out) as tmp:
        files = []
        sheets = []
        for name, table in result.tables.items():
            frame = export_table(result, name)
            write_csv(frame, tmp / f"{name}.csv")
            files.append(f"{name}.csv")
            title_lang = "zh" if lang in ("zh", "both") else "en"
            sheets.append((name, frame, text(table.title, title_lang, **dict(table.params))))
        contents = pd.DataFrame({
            "sheet": [s[0][:31] for s in sheets],
            "title_zh": [text(t.title, "zh", **dict(t.params)) for t in result.tables.values()],
            "title_en": [text(t.title, "en", **dict(t.params)) for t in result.tables.values()],
        })
        write_bytes(workbook_bytes(sheets, contents), tmp / "tables.xlsx")
        files.append("tables.xlsx")
        for name, fig in result.figures.items():
            write_bytes(fig.png, tmp / f"{name}.png")
            write_bytes(fig.svg, tmp / f"{name}.svg")
            files += [f"{name}.png", f"{name}.svg"]
        (tmp / "report.html").write_text(render_html(result, lang), encoding="utf-8")
        files.append("report.html")
        files.append("manifest.json")
        write_json(manifest(result, files), tmp / "manifest.json")
    return out
