"""A machine-readable copy of a Result in the run folder, so a finished run re-renders
without recomputing (``egoveval report RUN_DIR``).

Layout (under ``RUN_DIR/result/``)::

    result.json          format, spec (without the output folder), recipe, warnings
                         (key, params, zh, en), table and figure metadata, values,
                         the report context (indicator names/decimals, unit names)
    tables/<name>.json   one table: columns, dtypes, index and rows (exact floats)
    values/<name>.svg    string values such as the interactive map

Figures are referenced by the file names the run folder already holds (``<name>.png``,
``<name>.svg``). Python objects in ``Result.values`` (framework, units, tree) are not
saved; the context snapshot replaces what the renderers need of them. Loading needs
neither the pipeline nor the study's input files.

>>> import pandas as pd
>>> df = pd.DataFrame({"x": [1.5, float("nan")], "n": [1, 2], "s": ["a", None]},
...                   index=pd.Index(["u1", "u2"], name="code"))
>>> back = table_from_json(table_to_json(df))
>>> back.equals(df), list(back.dtypes.astype(str)) == list(df.dtypes.astype(str)), back.index.name
(True, True, 'code')
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..messages import Message
from ..result import Figure, Result, Table, _frozen
from .context import Context, context_of
from .html import spec_for_report

__all__ = ["FORMAT", "save_result", "load_result", "table_to_json", "table_from_json", "SAVED_DIR"]

FORMAT = "egoveval-result/1"
SAVED_DIR = "result"


# -- values ----------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """A JSON value: numbers (non-finite floats as strings), text, lists, dicts."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        return x if math.isfinite(x) else ("NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity"))
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _column_values(series: pd.Series) -> list:
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    if pd.api.types.is_datetime64_any_dtype(series) or pd.api.types.is_timedelta64_dtype(series):
        return [None if pd.isna(v) else str(v) for v in series]
    if pd.api.types.is_float_dtype(series):
        return [_plain(v) for v in series.to_numpy(dtype=float, na_value=np.nan)]
    return [None if (not isinstance(v, (list, tuple, np.ndarray, dict)) and pd.isna(v)) else _plain(v)
            for v in series.tolist()]


def _dtype(series: pd.Series) -> Any:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return {"category": _plain(list(series.cat.categories)), "ordered": bool(series.cat.ordered)}
    return str(series.dtype)


def _restore(values: list, dtype: Any) -> pd.Series:
    if isinstance(dtype, dict) and "category" in dtype:
        return pd.Series(pd.Categorical(values, categories=dtype["category"], ordered=dtype["ordered"]))
    if dtype == "object":
        return pd.Series(values, dtype=object)
    if dtype.startswith(("float", "Float")):
        return pd.Series([np.nan if v is None else float(v) for v in values]).astype(dtype)
    if dtype.startswith(("datetime", "timedelta")):
        return pd.Series(pd.to_datetime(values) if dtype.startswith("datetime") else pd.to_timedelta(values))\
            .astype(dtype)
    try:
        return pd.Series(values).astype(dtype)
    except (TypeError, ValueError):
        return pd.Series(values, dtype=object)


def table_to_json(frame: pd.DataFrame) -> dict:
    """A table with its dtypes and index; floats keep every digit."""
    index = frame.index
    levels = [index.get_level_values(i) for i in range(index.nlevels)]
    return {
        "columns": [_plain(c) if not isinstance(c, tuple) else " / ".join(map(str, c)) for c in frame.columns],
        "columns_name": _plain(frame.columns.name),
        "dtypes": [_dtype(frame.iloc[:, j]) for j in range(frame.shape[1])],
        "index": {"names": [_plain(n) for n in index.names],
                  "dtypes": [_dtype(pd.Series(lv)) for lv in levels],
                  "levels": [_column_values(pd.Series(lv)) for lv in levels],
                  "range": isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1},
        "data": [_column_values(frame.iloc[:, j]) for j in range(frame.shape[1])],
    }


def table_from_json(data: dict) -> pd.DataFrame:
    idx = data["index"]
    n = len(idx["levels"][0]) if idx["levels"] else 0
    if idx.get("range"):
        index = pd.RangeIndex(n, name=idx["names"][0])
    else:
        arrays = [pd.Index(_restore(v, d), name=name)
                  for v, d, name in zip(idx["levels"], idx["dtypes"], idx["names"])]
        index = arrays[0] if len(arrays) == 1 else pd.MultiIndex.from_arrays(arrays)
    cols = {}
    frame = pd.DataFrame(index=index)
    for j, (col, dtype, values) in enumerate(zip(data["columns"], data["dtypes"], data["data"])):
        series = _restore(values, dtype)
        series.index = index
        cols[j] = series
    frame = pd.concat([cols[j] for j in range(len(cols))], axis=1) if cols else frame
    frame.columns = pd.Index(data["columns"], name=data.get("columns_name"), dtype=object) \
        if any(not isinstance(c, str) for c in data["columns"]) else pd.Index(data["columns"],
                                                                               name=data.get("columns_name"))
    frame.index = index
    return frame


def _message(m: Message) -> dict:
    params = {k: _plain(v) for k, v in m.params}
    out = {"key": m.key, "params": params}
    try:
        out.update(zh=m.zh, en=m.en)
    except (KeyError, IndexError, ValueError):
        pass
    return out


def _message_back(d: dict | None) -> Message | None:
    if d is None:
        return None
    return Message(d["key"], tuple(sorted(d.get("params", {}).items())))


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False, allow_nan=False) + "\n"


# -- saving and loading ------------------------------------------------------------
def save_result(result: Result, folder: Path, *, figure_files: dict[str, tuple[str, str]] | None = None) -> list[str]:
    """Write ``result/`` into ``folder``; returns the files written (relative to ``folder``)."""
    folder = Path(folder)
    base = folder / SAVED_DIR
    (base / "tables").mkdir(parents=True, exist_ok=True)
    files = []
    tables = []
    for i, (name, t) in enumerate(result.tables.items()):
        fname = f"tables/{i:03d}_{_safe(name)}.json"
        (base / fname).write_text(_dumps(table_to_json(t.data)), encoding="utf-8")
        files.append(f"{SAVED_DIR}/{fname}")
        tables.append({"name": name, "stage": t.stage, "title": t.title, "params": _plain(dict(t.params)),
                       "note": None if t.note is None else _message(t.note), "file": fname})
    figure_files = figure_files or {n: (f"{n}.png", f"{n}.svg") for n in result.figures}
    figures = [{"name": n, "stage": f.stage, "title": f.title, "params": _plain(dict(f.params)),
                "png": figure_files[n][0], "svg": figure_files[n][1]} for n, f in result.figures.items()]
    values, value_files = {}, {}
    for name, value in result.values.items():
        if isinstance(value, str):
            ext = "svg" if value.lstrip().startswith("<svg") else "txt"
            fname = f"values/{_safe(name)}.{ext}"
            (base / "values").mkdir(exist_ok=True)
            (base / fname).write_text(value, encoding="utf-8")
            files.append(f"{SAVED_DIR}/{fname}")
            value_files[name] = fname
        elif value is None or isinstance(value, (bool, int, float, np.integer, np.floating)):
            values[name] = _plain(value)
    doc = {
        "format": FORMAT,
        "spec": _plain(spec_for_report(result.spec)),
        "recipe": _plain(dict(result.recipe)),
        "warnings": [_message(w) for w in result.warnings],
        "tables": tables, "figures": figures,
        "values": values, "value_files": value_files,
        "context": context_of(result).to_json(),
    }
    (base / "result.json").write_text(_dumps(doc), encoding="utf-8")
    files.append(f"{SAVED_DIR}/result.json")
    return files


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)


def load_result(run_dir: Path) -> Result:
    """The Result saved in ``run_dir`` (figures read from the run folder)."""
    run_dir = Path(run_dir)
    base = run_dir / SAVED_DIR
    path = base / "result.json"
    if not path.is_file():
        raise InputError([Problem.of("report.saved.missing", file=run_dir, path=run_dir)])
    doc = json.loads(path.read_text(encoding="utf-8"))
    if doc.get("format") != FORMAT:
        raise InputError([Problem.of("report.saved.version", file=path, found=doc.get("format"),
                                     expected=FORMAT)])
    tables = {}
    for t in doc["tables"]:
        data = table_from_json(json.loads((base / t["file"]).read_text(encoding="utf-8")))
        tables[t["name"]] = Table(t["name"], data, t["stage"], t["title"], tuple(sorted(t["params"].items())),
                                  _message_back(t.get("note")))
    figures = {}
    for f in doc["figures"]:
        png, svg = run_dir / f["png"], run_dir / f["svg"]
        figures[f["name"]] = Figure(f["name"], png.read_bytes() if png.exists() else b"",
                                    svg.read_bytes() if svg.exists() else b"", f["stage"], f["title"],
                                    tuple(sorted(f["params"].items())))
    values: dict[str, Any] = dict(doc.get("values", {}))
    for name, fname in doc.get("value_files", {}).items():
        values[name] = (base / fname).read_text(encoding="utf-8")
    values["report_context"] = Context.from_json(doc.get("context", {}))
    spec = dict(doc["spec"])
    spec["output"] = str(run_dir)
    return Result(spec=_frozen(spec), tables=_frozen(tables), figures=_frozen(figures), values=_frozen(values),
                  recipe=_frozen(doc.get("recipe", {})),
                  warnings=tuple(_message_back(w) for w in doc.get("warnings", [])))
