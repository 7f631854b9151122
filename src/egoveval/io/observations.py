"""From a raw table to validated observations: one value per (unit, indicator).

Layouts:

* **wide** — one row per unit, one column per indicator; headers may be the
  indicator id, its Chinese or English name, or both (``个人服务项目数 (nat_personal_items)``,
  ``个人服务项目数\\nnat_personal_items``); columns are matched whatever their order;
* **long** — columns unit, indicator, value (``地区/指标/数值`` in Chinese); rows are
  grouped by the unit their name matches (北京 and 北京市 are one unit), so a second value for
  the same unit and indicator is a duplicate however the unit is spelled;

Metadata columns (source/URL, note, collector, date) are kept beside the values.
Every problem in the file is gathered before anything is raised.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from ..frameworks.schema import Framework
from ..units.matching import normalise_name
from ..units.registry import UnitRegistry
from .cells import parse_cell
from .readers import RawTable, read_table, visible_sheets

__all__ = ["Observations", "read_observations", "scan_observations", "ObservationScan", "UnitRecord",
           "UNIT_HEADERS", "META_HEADERS", "match_header"]

UNIT_HEADERS = ("unit", "地区", "省份", "省份名称", "地区名称", "单位", "名称", "name", "province",
                "省", "城市", "city", "unit_name", "地区 unit", "地区/unit", "region_name")
CODE_HEADERS = ("code", "代码", "行政区划代码", "unit_code", "代码 code")
META_HEADERS = {
    "source": ("source", "来源", "来源/url", "来源/网址", "url", "网址", "source/url", "来源网址", "来源 source", "来源/网址 source/url"),
    "note": ("note", "备注", "说明", "备注 note", "notes"),
    "collector": ("collector", "采集人", "采集人 collector"),
    "collected_at": ("collected_at", "采集日期", "采集时间", "date collected", "采集日期 collected_at"),
}
LONG_HEADERS = {
    "indicator": ("indicator", "指标", "指标编号", "indicator_id", "指标 indicator"),
    "value": ("value", "数值", "值", "取值", "数值 value"),
}


@dataclass(frozen=True)
class Observations:
    """Parsed observations.

    ``values``: units (index: code) × indicator ids, parsed values (None where missing
    or unbuilt); ``status``: same shape, ``ok``/``missing``/``unbuilt``; ``raw``:
    the cells as written; ``rows``: file row per unit; ``meta``: source/note/… per unit.
    """

    values: pd.DataFrame
    status: pd.DataFrame
    raw: pd.DataFrame
    rows: pd.Series
    meta: pd.DataFrame
    file: str
    warnings: tuple[Problem, ...] = ()


def _key(text: object) -> str:
    return normalise_name(text).strip("()（）[]【】:：")


def match_header(header: str, framework: Framework) -> str | None:
    """The indicator id a column header refers to, or None.

    >>> from egoveval.frameworks import load_framework
    >>> fw = load_framework("provincial-channels")
    >>> [match_header(h, fw) for h in ("ios_rating", "应用评分", "应用评分 (ios_rating)", "App rating", "x")]
    ['ios_rating', 'ios_rating', 'ios_rating', 'ios_rating', None]
    """
    keys = {}
    for ind in framework.indicators:
        for name in (ind.id, ind.name_zh, ind.name_en):
            keys.setdefault(_key(name), ind.id)
    whole = _key(header)
    if whole in keys:
        return keys[whole]
    # "name (id)", "name\nid", "name / id": any part naming an indicator decides if they agree
    parts = [p for p in re.split(r"[()（）\[\]【】\n/|]+", str(header)) if p.strip()]
    found = {keys[_key(p)] for p in parts if _key(p) in keys}
    return found.pop() if len(found) == 1 else None


def _find(columns, names) -> str | None:
    wanted = {normalise_name(n) for n in names}
    for col in columns:
        if normalise_name(col) in wanted:
            return col
    return None


def _unit_key(name: object, units: UnitRegistry) -> str:
    """The unit a long-format row belongs to: its code when the name matches one unit (so
    北京 and 北京市 are the same unit), else the normalised name as written (reported later)."""
    blank = name is None or (isinstance(name, str) and not name.strip())
    code = None if blank else units.lookup(name)
    return code if code is not None else "?" + ("" if blank else normalise_name(name))


def _long_to_wide(raw: RawTable, unit_col: str, framework: Framework, units: UnitRegistry,
                  problems: list[Problem]):
    frame = raw.frame
    ind_col = _find(frame.columns, LONG_HEADERS["indicator"])
    val_col = _find(frame.columns, LONG_HEADERS["value"])
    records: dict[tuple[str, str], tuple[object, int]] = {}
    written: dict[str, object] = {}  # unit key -> the name as first written, in file order
    for pos, (unit, ind, val) in enumerate(zip(frame[unit_col], frame[ind_col], frame[val_col])):
        row = raw.rows[pos]
        ind_id = match_header(str(ind), framework) if ind is not None else None
        if ind_id is None:
            problems.append(Problem.of("obs.unknown_indicator", file=raw.file, row=row, column=ind_col,
                                       value=ind, hint=_closest(str(ind), framework)))
            continue
        key = (_unit_key(unit, units), ind_id)
        if key in records:
            problems.append(Problem.of("obs.duplicate_long", file=raw.file, row=row, column=ind_col,
                                       value=f"{unit} / {ind}", first=records[key][1]))
            continue
        records[key] = (val, row)
        written.setdefault(key[0], unit)
    wide_rows, row_numbers = [], []
    for unit, name in written.items():
        cells = {"__unit__": name}
        rows = []
        for ind in framework.ids:
            val, row = records.get((unit, ind), (None, None))
            cells[ind] = val
            if row is not None:
                rows.append(row)
        wide_rows.append(cells)
        row_numbers.append(min(rows))  # the unit's first row in the file
    frame_w = pd.DataFrame(wide_rows, dtype=object)
    return frame_w, row_numbers, {ind: ind for ind in framework.ids}, "__unit__", ind_col


def _closest(header: str, framework: Framework) -> str:
    names = [i.name_zh for i in framework.indicators] + framework.ids
    close = difflib.get_close_matches(str(header), names, n=2, cutoff=0.4)
    return "、".join(close) if close else "—"


@dataclass(frozen=True)
class UnitRecord:
    """One data row whose unit name matched the registry: its cells as written (``raw``),
    as parsed (``cells``, :class:`~egoveval.io.cells.Cell` per indicator id), the metadata
    (source, note, collector, collected_at) and the cell problems of that row."""

    code: str
    name: object
    row: int | None
    raw: dict
    cells: dict
    meta: dict
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class ObservationScan:
    """Everything :func:`scan_observations` found in a file, before any judgement about
    which units should be there.

    ``records`` holds every matched row in file order — duplicates included, the
    first occurrence of a unit first; ``problems`` the structural problems (columns,
    unknown or blank unit names) and the warnings, but neither cell problems (they are
    on each record) nor duplicate or absent units (the caller decides what they mean).
    """

    file: str
    sheet: str | None
    columns: dict  # indicator id -> header as written
    unit_column: str
    records: tuple[UnitRecord, ...]
    problems: tuple[Problem, ...]

    def first(self) -> dict[str, UnitRecord]:
        """The first record of each unit."""
        out: dict[str, UnitRecord] = {}
        for rec in self.records:
            out.setdefault(rec.code, rec)
        return out

    def duplicates(self) -> dict[str, list[UnitRecord]]:
        """Units that occur more than once, with all their records (first one first)."""
        by_code: dict[str, list[UnitRecord]] = {}
        for rec in self.records:
            by_code.setdefault(rec.code, []).append(rec)
        return {c: recs for c, recs in by_code.items() if len(recs) > 1}


def _looks_like_data(frame: pd.DataFrame, framework: Framework) -> bool:
    return (_find(frame.columns, UNIT_HEADERS) or _find(frame.columns, CODE_HEADERS)) is not None \
        and any(match_header(c, framework) for c in frame.columns)


def _choose_sheet(raw: RawTable, path, framework: Framework) -> tuple[RawTable, list[Problem]]:
    """The wrong sheet: when no sheet was named and the one read (a sheet called 数据/data,
    else the first visible one) holds no data table, use the first visible sheet that does."""
    if _looks_like_data(raw.frame, framework) or len(raw.sheets) < 2:
        return raw, []
    for name in raw.sheets:
        if name == raw.sheet:
            continue
        try:
            other = read_table(path, name)
        except InputError:
            continue
        if _looks_like_data(other.frame, framework):
            return other, [Problem.of("obs.sheet_chosen", file=other.file, value=name, sheet=name,
                                      severity="warning")]
    return raw, []


def scan_observations(path: str | Path, framework: Framework, units: UnitRegistry, *,
                      sheet: str | None = None, required: list[str] | None = None) -> ObservationScan:
    """Read and match a data file without deciding about duplicate or absent units.

    Raises :class:`InputError` only when no table can be read at all (no file, no unit
    column, a hostile archive); every other problem is returned.
    """
    chosen: list[Problem] = []
    try:
        raw = read_table(path, sheet)
    except InputError as exc:  # an empty first sheet (notes) in front of the data sheet
        others = visible_sheets(path) if sheet is None else ()
        if {p.rule for p in exc.errors} != {"io.empty"} or len(others) < 2:
            raise
        raw = RawTable(pd.DataFrame(), (), str(path), others[0], sheets=others)
    if sheet is None:
        raw, chosen = _choose_sheet(raw, path, framework)
        if raw.frame.empty and not raw.rows and not len(raw.frame.columns):
            raise InputError([Problem.of("io.empty", file=path)])
    frame = raw.frame
    problems: list[Problem] = list(chosen)
    file = raw.file
    unit_col = _find(frame.columns, UNIT_HEADERS) or _find(frame.columns, CODE_HEADERS)
    if unit_col is None:
        raise InputError([Problem.of("obs.no_unit_column", file=file, row=raw.rows[0] - 1 if raw.rows else 1,
                                     value="、".join(map(str, frame.columns[:6])))])
    is_long = (_find(frame.columns, LONG_HEADERS["indicator"]) is not None
               and _find(frame.columns, LONG_HEADERS["value"]) is not None
               and not any(match_header(c, framework) for c in frame.columns))
    meta_cols = {k: _find(frame.columns, v) for k, v in META_HEADERS.items()}
    if is_long:
        wide, row_numbers, col_map, unit_key, _ = _long_to_wide(raw, unit_col, framework, units, problems)
        meta = pd.DataFrame(index=range(len(wide)))
    else:
        wide = frame
        row_numbers = list(raw.rows)
        unit_key = unit_col
        col_map = {}
        code_col = _find(frame.columns, CODE_HEADERS)
        ignorable = {unit_col, code_col, *[c for c in meta_cols.values() if c]}
        for col in frame.columns:
            if col in ignorable:
                continue
            ind = match_header(col, framework)
            if ind is None:
                problems.append(Problem.of("obs.unknown_column", file=file, row=raw.rows[0] - 1 if raw.rows else 1,
                                           column=col, hint=_closest(col, framework)))
            elif ind in col_map.values():
                problems.append(Problem.of("obs.duplicate_column", file=file, column=col, value=ind))
            else:
                col_map[col] = ind
        meta = pd.DataFrame({k: frame[c] if c else None for k, c in meta_cols.items()}, index=frame.index)
    needed = required if required is not None else framework.ids
    for ind in needed:
        if ind not in col_map.values():
            problems.append(Problem.of("obs.missing_column", file=file, column=framework.indicator(ind).name_zh,
                                       value=ind))
    ids = [ind for ind in framework.ids if ind in col_map.values()]
    inverse = {v: k for k, v in col_map.items()}
    records: list[UnitRecord] = []
    for pos, name in enumerate(wide[unit_key]):
        row = row_numbers[pos]
        if name is None or (isinstance(name, str) and not name.strip()):
            problems.append(Problem.of("obs.blank_unit", file=file, row=row, column=str(unit_col)))
            continue
        problem = units.problem_for(name, file=file, row=row, column=str(unit_col))
        if problem is not None:
            problems.append(problem)
            continue
        cells, raws, cell_problems = {}, {}, []
        for ind in ids:
            cell_value = wide.iloc[pos][inverse[ind]]
            cell = parse_cell(cell_value, framework.indicator(ind), raw.epoch)
            if cell.status == "error":
                cell_problems.append(Problem.of(cell.rule, file=file, row=row, column=str(inverse[ind]),
                                                value=cell_value, **dict(cell.params)))
            cells[ind], raws[ind] = cell, cell_value
        statuses = {"_": {ind: c.status for ind, c in cells.items()}}
        cell_problems.extend(_unbuilt_consistency(statuses, framework, file, {"_": row}, inverse))
        records.append(UnitRecord(units.lookup(name), name, row, raws, cells,
                                  meta.iloc[pos].to_dict() if len(meta.columns) else {},
                                  tuple(cell_problems)))
    problems.extend(raw.warnings)
    return ObservationScan(file, raw.sheet, inverse, str(unit_col), tuple(records), tuple(problems))


def read_observations(path: str | Path, framework: Framework, units: UnitRegistry, *,
                      sheet: str | None = None, expect_all_units: bool = True,
                      required: list[str] | None = None) -> Observations:
    """Read, match and parse a data file; raise :class:`InputError` with every problem."""
    scan = scan_observations(path, framework, units, sheet=sheet, required=required)
    file, unit_col = scan.file, scan.unit_column
    problems = [p for p in scan.problems if p.severity == "error"]
    seen: dict[str, int | None] = {}
    kept: list[UnitRecord] = []
    for rec in scan.records:
        if rec.code in seen:
            problems.append(Problem.of("obs.duplicate_unit", file=file, row=rec.row, column=unit_col,
                                       value=rec.name, first=seen[rec.code]))
            continue
        seen[rec.code] = rec.row
        kept.append(rec)
    if expect_all_units:
        for code in units.codes:
            if code not in seen:
                problems.append(Problem.of("obs.unit_absent", file=file, column=unit_col,
                                           value=units.row(code)["name"]))
    for rec in kept:
        problems.extend(rec.problems)
    warnings = [p for p in scan.problems if p.severity == "warning"] + \
        [p for rec in kept for p in rec.problems if p.severity == "warning"]
    if any(p.severity == "error" for p in problems):
        raise InputError([*problems, *warnings])
    ids = [ind for ind in framework.ids if ind in scan.columns]
    values = {r.code: {i: r.cells[i].value for i in ids} for r in kept}
    status = {r.code: {i: r.cells[i].status for i in ids} for r in kept}
    raws = {r.code: {i: r.raw[i] for i in ids} for r in kept}
    rows = {r.code: r.row for r in kept}
    metas = [(r.code, r.meta) for r in kept]
    order = [c for c in units.codes if c in values] + [c for c in values if c not in units.codes]
    as_frame = lambda d: pd.DataFrame.from_dict(d, orient="index", dtype=object).reindex(index=order, columns=ids)
    meta_frame = pd.DataFrame({c: m for c, m in metas}).T.reindex(order) if metas and metas[0][1] else \
        pd.DataFrame(index=order)
    return Observations(as_frame(values), as_frame(status), as_frame(raws),
                        pd.Series(rows).reindex(order), meta_frame, file, tuple(warnings))


def _unbuilt_consistency(status: dict, framework: Framework, file: str, rows: dict, inverse: dict):
    """A channel is unbuilt for a unit when its cells say so; mixing 'unbuilt' with values is an
    error, and only channels that can be unbuilt may be."""
    problems = []
    for code, s_row in status.items():
        for ch in framework.channels:
            ids = [i.id for i in ch.indicators if i.id in s_row]
            states = {s_row[i] for i in ids}
            if "unbuilt" not in states:
                continue
            first = next(i for i in ids if s_row[i] == "unbuilt")
            if not ch.can_be_unbuilt:
                problems.append(Problem.of("obs.unbuilt_not_allowed", file=file, row=rows[code],
                                           column=str(inverse[first]), value=ch.name_zh))
            elif states - {"unbuilt", "missing"}:
                problems.append(Problem.of("obs.unbuilt_mixed", file=file, row=rows[code],
                                           column=str(inverse[first]), value=ch.name_zh))
    return problems
