"""From a Result to what a reader sees: the numbered plan of sections, tables with labelled
columns and formatted cells, figures with captions. HTML and the workbook draw on the same
plan, so Table 3 is Table 3 in both, section 9 is section 9 in both (the methods section,
rendered by the HTML only, keeps its number in the plan: :func:`methods_number`) and every
table has one sheet name (:func:`sheet_names`) and one CSV file (:func:`csv_file`).

>>> from egoveval.result import Result
>>> import pandas as pd
>>> r = Result.empty({}).with_table("kstats", pd.DataFrame({"k": [2, 3], "silhouette": [0.41, 0.5]}),
...                                stage="cluster", title="table.kstats")
>>> [(s.section.id, [(i.kind, i.name, i.number) for i in s.items]) for s in plan(r)]
[('clusters', [('table', 'kstats', 1)])]
>>> t = present_table(r, plan(r)[0].items[0], "en")
>>> [c.en for c in t.columns], [c.text for c in t.rows[0]]
(['k', 'Silhouette'], ['2', '0.410'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Iterable

import pandas as pd

from ..messages import Message, catalogue, text
from .context import Context, context_of
from .formats import Fmt, format_value, resolve_formats
from .sections import APPENDIX, SECTIONS, Entry, Section, T, caption_qualifiers

__all__ = ["Item", "PlannedSection", "Column", "Cell", "PresentedTable", "plan", "present_table",
           "export_table", "column_label", "bi", "table_title", "figure_title", "methods_number",
           "sheet_names", "csv_file", "LIST_SEP", "REPORT_LANGS", "per_language", "value_in"]

#: How a list in one cell is joined, per report language.
LIST_SEP = {"zh": "、", "en": ", ", "both": "、"}
_QUALIFIER_SEP = {"zh": "；", "en": "; "}
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
#: Report languages; a text value (an interactive map) may be stored once per language.
REPORT_LANGS = ("zh", "en", "both")
_PER_LANGUAGE = re.compile(r"^(?P<name>.+)\.(?:zh|en|both)$")


def per_language(name: str, lang: str) -> str:
    """The Result value name of the ``lang`` version of the text value ``name``.

    >>> per_language("map_interactive_types", "en")
    'map_interactive_types.en'
    """
    if lang not in REPORT_LANGS:
        raise ValueError(f"lang must be one of {REPORT_LANGS}, not {lang!r}")
    return f"{name}.{lang}"


def value_in(result, name: str, lang: str) -> str | None:
    """The text value ``name`` for a report in ``lang``: its ``lang`` version
    (:func:`per_language`) when the run stored one, else the value stored once.

    >>> from egoveval.result import Result
    >>> r = Result.empty({}).with_value("m.zh", "<svg>中</svg>").with_value("m.en", "<svg>en</svg>")
    >>> value_in(r, "m", "en"), value_in(r, "m", "zh"), value_in(r, "m", "both")
    ('<svg>en</svg>', '<svg>中</svg>', None)
    """
    for key in (per_language(name, lang), name):
        if isinstance(result.values.get(key), str):
            return result.values[key]
    return None


def _text_values(result) -> dict[str, str]:
    """Text values by report item name: a value stored per language counts once, by its base name."""
    out = {}
    for key, value in result.values.items():
        if isinstance(value, str):
            m = _PER_LANGUAGE.match(key)
            out.setdefault(m.group("name") if m else key, value)
    return out


@dataclass(frozen=True)
class Item:
    kind: str  # table | figure | value
    name: str
    entry: Entry
    number: int | None = None  # tables and figures are numbered separately; empty tables are not
    sheet: str | None = None  # a table's sheet in tables.xlsx


@dataclass(frozen=True)
class PlannedSection:
    section: Section
    number: int
    items: tuple[Item, ...]
    warnings: tuple[Message, ...] = ()


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    en: str
    fmt: Fmt
    nowrap: bool = False  # short texts (codes, names) stay on one line


@dataclass(frozen=True)
class Cell:
    text: str
    num: bool = False
    rowspan: int = 1  # 0: covered by the cell above
    en: str | None = None  # the English line of a merged zh/en column pair (bilingual report)


@dataclass(frozen=True)
class PresentedTable:
    name: str
    number: int | None
    title: dict
    note: dict | None
    columns: list[Column]
    rows: list[list[Cell]]
    frame: pd.DataFrame = field(repr=False, default=None)
    total_rows: int = 0  # rows of the whole table (the report may show fewer)
    more: dict | None = None  # {zh, en}: the line saying where the rows not shown are

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def wide(self) -> bool:
        return len(self.columns) > 9


def bi(key: str, **params) -> dict:
    """A catalogue text in both languages: ``{"zh": ..., "en": ...}``."""
    return {"zh": text(key, "zh", **params), "en": text(key, "en", **params)}


def _title(key: str, params, name: str) -> dict:
    if key in catalogue():
        try:
            return bi(key, **dict(params))
        except (KeyError, IndexError, ValueError):
            pass
    return {"zh": name, "en": name}


def table_title(result, name: str) -> dict:
    """A table's title with the qualifiers of :data:`~egoveval.report.sections.CAPTION_QUALIFIERS`
    (the outcome a regional table describes, "details"), each left out when the title names it."""
    t = result.tables[name]
    title = _title(t.title, t.params, name)
    words = [bi(k) for k in caption_qualifiers(name)]
    out = {}
    for lang in ("zh", "en"):
        missing = [w[lang] for w in words if w[lang].lower() not in title[lang].lower()]
        out[lang] = text("report.caption.qualified", lang, title=title[lang],
                         qualifiers=_QUALIFIER_SEP[lang].join(missing)) if missing else title[lang]
    return out


def figure_title(result, name: str) -> dict:
    f = result.figures[name]
    return _title(f.title, f.params, name)


def _items_of(result, section: Section, taken: set) -> list[Item]:
    items = []
    values = _text_values(result)
    for entry in section.entries:
        pool = {"table": result.tables, "figure": result.figures, "value": values}[entry.kind]
        names = [entry.name] if entry.name in pool else sorted(n for n in pool if fnmatchcase(n, entry.name))
        for name in names:
            if (entry.kind, name) in taken:
                continue
            taken.add((entry.kind, name))
            items.append(Item(entry.kind, name, entry))
    return items


def _long(result, item: Item) -> bool:
    cap = item.entry.max_rows
    return item.kind == "table" and cap is not None and len(result.tables[item.name].data) > cap


def plan(result) -> list[PlannedSection]:
    """The sections present in ``result``, in report order, with numbered tables and figures.

    Within a section, tables longer than their entry's ``max_rows`` follow the figures and
    short tables (a 10,000-row table never hides the maps). The methods section is not
    listed (it is always present, after these sections and before the appendix, and has the
    number :func:`methods_number`); the appendix ends the list when it has items.
    """
    taken: set = set()
    appendix = _items_of(result, APPENDIX, taken)  # claimed first: its entries name what goes last
    drafts = [(s, _items_of(result, s, taken)) for s in SECTIONS] + [(APPENDIX, appendix)]
    extra = [Item("table", n, T(n)) for n in result.tables if ("table", n) not in taken] + \
            [Item("figure", n, Entry(n, "figure")) for n in result.figures if ("figure", n) not in taken]
    drafts[-1] = (APPENDIX, drafts[-1][1] + extra)
    warnings = _route_warnings(result, [s for s, items in drafts if items])
    present = [(s, [i for i in items if not _long(result, i)] + [i for i in items if _long(result, i)])
               for s, items in drafts if items]
    sheets = sheet_names(i.name for _, items in present for i in items if i.kind == "table")
    out, counters = [], {"table": 0, "figure": 0}
    for number, (section, items) in enumerate(present, 1):
        numbered = []
        for item in items:
            n = None
            if item.kind == "figure" or (item.kind == "table" and len(result.tables[item.name].data)):
                counters[item.kind] += 1
                n = counters[item.kind]
            numbered.append(Item(item.kind, item.name, item.entry, n,
                                 sheets.get(item.name) if item.kind == "table" else None))
        if section is APPENDIX:  # last, after the methods section that follows the study's sections
            number = methods_number(out) + 1
        out.append(PlannedSection(section, number, tuple(numbered), tuple(warnings.get(section.id, ()))))
    return out


def methods_number(planned: list[PlannedSection]) -> int:
    """The number of the methods section: after the study's sections, before the appendix."""
    return sum(1 for ps in planned if ps.section is not APPENDIX) + 1


def _sheet_name(name: str, used: set) -> str:
    base = _BAD_SHEET.sub("_", name)[:31] or "sheet"
    out, n = base, 1
    while out.lower() in used:
        n += 1
        out = f"{base[:28]}_{n}"
    used.add(out.lower())
    return out


def sheet_names(names: Iterable[str]) -> dict[str, str]:
    """Table name → sheet name (≤ 31 characters, unique, no forbidden characters).

    >>> sorted(sheet_names(["x" * 40, "x" * 35, "a/b"]).values())
    ['a_b', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxx_2', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx']
    """
    used = {"contents"}
    return {n: _sheet_name(n, used) for n in names}


def csv_file(name: str) -> str:
    """The CSV file of table ``name`` in a run folder: the file ``egoveval coverage`` writes
    (in ``coverage/``) for a city-survey table, ``<name>.csv`` for every other table.

    >>> csv_file("membership"), csv_file("coverage_gaps")
    ('membership.csv', 'coverage/gaps.csv')
    """
    from ..coverage.analysis import FOLDER, TABLES

    if name in TABLES:
        return f"{FOLDER}/{TABLES[name][2]}"
    return f"{name}.csv"


def _route_warnings(result, present: list[Section]) -> dict[str, list[Message]]:
    routed: dict[str, list[Message]] = {}
    default = next((s.id for s in present if s.id == "data"), present[0].id if present else "data")
    for w in result.warnings:
        best = max(((len(p), s.id) for s in present for p in s.warning_prefixes if w.key.startswith(p)),
                   default=(0, default))
        routed.setdefault(best[1], []).append(w)
    return routed


# -- tables -------------------------------------------------------------------
def export_table(result, name: str, ctx: Context | None = None) -> pd.DataFrame:
    """A table as exported: unit-indexed tables get code and names as leading columns."""
    ctx = ctx or context_of(result)
    frame = result[name]
    index = frame.index
    if not isinstance(index, pd.MultiIndex) and index.name in (None, "code") and ctx.units and len(index) \
            and set(map(str, index)) <= set(ctx.units):
        lead = pd.DataFrame({"code": [str(c) for c in index],
                             "name_zh": [ctx.unit_name(c, "zh") for c in index],
                             "name_en": [ctx.unit_name(c, "en") for c in index]})
        return pd.concat([lead, frame.reset_index(drop=True)], axis=1)
    if isinstance(index, pd.MultiIndex) or index.name is not None:
        return frame.reset_index()
    return frame.reset_index(drop=True)


def _with_names(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Names beside codes: unit names (zh, en) beside a column of unit codes, indicator and
    channel names beside their ids. A lone ``name`` column beside unit codes is replaced by
    the two names."""
    frame = frame.copy()
    frame.columns = [str(c) for c in frame.columns]
    for col, lookup, prefix in (("code", "units", "name"), ("unit", "units", "name"),
                                ("unit_code", "units", "name"), ("indicator", "indicators", "indicator"),
                                ("indicator_id", "indicators", "indicator"), ("channel", "channels", "channel"),
                                ("channel_id", "channels", "channel")):
        if col not in frame.columns or f"{prefix}_zh" in frame.columns or f"{prefix}_en" in frame.columns \
                or not len(frame):
            continue
        known = getattr(ctx, lookup)
        values = frame[col].dropna().astype(str)
        if not len(values) or not set(values) <= set(known):
            continue
        name = {"units": ctx.unit_name, "indicators": ctx.indicator_name, "channels": ctx.channel_name}[lookup]
        if prefix == "name" and "name" in frame.columns:
            frame = frame.drop(columns="name")
        at = frame.columns.get_loc(col) + 1
        frame.insert(at, f"{prefix}_en", [name(str(v), "en") for v in frame[col]])
        frame.insert(at, f"{prefix}_zh", [name(str(v), "zh") for v in frame[col]])
    return frame


def _pairs(cols: list[str]) -> dict[str, str]:
    """Chinese column → its English twin: ``x_zh`` with ``x_en``, or with ``x`` when there is
    no ``x_en`` (``region_zh`` beside ``region``)."""
    out = {}
    for c in cols:
        if c.endswith("_zh"):
            base = c[:-3]
            if f"{base}_en" in cols:
                out[c] = f"{base}_en"
            elif base in cols:
                out[c] = base
    return out


def _shown_columns(frame: pd.DataFrame, entry: Entry, lang: str) -> list[str]:
    """The entry's columns (names or fnmatch patterns such as ``p_*``, in the entry's order),
    then one language of each zh/en pair (both for ``both``)."""
    cols = [str(c) for c in frame.columns]
    if entry.columns is not None:
        wanted = list(dict.fromkeys(c for pattern in entry.columns for c in cols if fnmatchcase(c, pattern)))
        cols = wanted or cols
    pairs = _pairs(cols)
    if lang == "zh":
        cols = [c for c in cols if c not in set(pairs.values())]
    elif lang == "en":
        cols = [c for c in cols if c not in pairs]
    return cols


def column_label(col: str, ctx: Context, scope: str | None = None) -> tuple[str, str]:
    """(zh, en) header of a column: indicator or channel names, the column catalogue, or the
    name itself. With a ``scope`` (the table's stage), ``column.<scope>.<col>`` comes first.
    A column ``<stem>_<id>`` named after a channel, a tier or a development type takes the
    template ``column.<scope>.<stem>_<kind>`` (else ``column.<stem>_<kind>``; kind
    ``channel``, ``tier`` or ``type``) filled with that id's name: ``score_weibo`` →
    得分·政务微博, ``p_Very High`` → P(Very High), ``n_3`` (a type's count) → 高水平型（n）."""
    if col in ctx.indicators:
        return ctx.indicator_name(col, "zh"), ctx.indicator_name(col, "en")
    if col in ctx.channels:
        return ctx.channel_name(col, "zh"), ctx.channel_name(col, "en")
    if scope and f"column.{scope}.{col}" in catalogue():
        return text(f"column.{scope}.{col}", "zh"), text(f"column.{scope}.{col}", "en")
    named = _named_after_id(col, ctx, scope)
    if named is not None:
        return named
    key = f"column.{col}"
    if key in catalogue():
        return text(key, "zh"), text(key, "en")
    return col, col


def _named_after_id(col: str, ctx: Context, scope: str | None) -> tuple[str, str] | None:
    """The header of a ``<stem>_<id>`` column from its kind's template (see :func:`column_label`)."""
    for kind, names in (("channel", ctx.channels), ("tier", ctx.tiers), ("type", ctx.types)):
        for ident in sorted(names, key=len, reverse=True):
            if not col.endswith(f"_{ident}") or len(col) == len(ident) + 1:
                continue
            stem = col[:-len(ident) - 1]
            keys = ([f"column.{scope}.{stem}_{kind}"] if scope else []) + [f"column.{stem}_{kind}"]
            for key in keys:
                if key in catalogue():
                    zh, en = names[ident]
                    return text(key, "zh", **{kind: zh}), text(key, "en", **{kind: en})
    return None


def present_table(result, item: Item, lang: str, *, ctx: Context | None = None,
                  all_columns: bool = False) -> PresentedTable:
    """Labelled, formatted rows of one table. ``all_columns``: every column, both languages
    (the workbook); otherwise the entry's columns in ``lang`` (the HTML report)."""
    ctx = ctx or context_of(result)
    entry = item.entry
    frame = _with_names(export_table(result, item.name, ctx), ctx)
    formats = resolve_formats(frame, indicators=ctx.indicators, declared=entry.formats,
                              min_decimals=entry.min_decimals)
    cols = [str(c) for c in frame.columns] if all_columns else _shown_columns(frame, entry, lang)
    yes_no = {"zh": ("是", "否"), "en": ("yes", "no")}.get(lang, ("是 yes", "否 no"))
    pairs = {} if all_columns or lang != "both" else _pairs(cols)
    shown = [c for c in cols if c not in set(pairs.values())]
    scope = result.tables[item.name].stage
    coded = {c for c in cols if any(k.startswith((f"value.{scope}.{c}.", f"value.{c}.")) for k in catalogue())}
    columns = []
    for c in shown:
        zh, en = column_label(c, ctx, scope)
        if c in pairs:
            en = column_label(pairs[c], ctx, scope)[1]
        columns.append(Column(c, zh, en, Fmt("text") if c in coded else formats[c]))
    rows = []
    position = {c: j for j, c in enumerate(cols)}

    def show(col: str, value, fmt: Fmt) -> str:
        if col in coded and not isinstance(value, (list, tuple)):
            raw = value
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            key = _value_key(scope, col, raw)
            if key is not None:
                label = bi(key)
                return label[lang] if lang in ("zh", "en") else label["zh"] if label["zh"] == label["en"] \
                    else f"{label['zh']} {label['en']}"
        return format_value(value, fmt, yes_no=yes_no, sep=LIST_SEP.get(lang, "、"))

    cap = None if all_columns else entry.max_rows
    shown_frame = frame[cols] if cap is None else frame[cols].head(cap)
    for tup in shown_frame.itertuples(index=False):
        values = {c: tup[j] for c, j in position.items()}
        row = []
        for col in columns:
            cell = Cell(show(col.name, values[col.name], col.fmt), col.fmt.numeric)
            if col.name in pairs:
                en = show(pairs[col.name], values[pairs[col.name]], formats[pairs[col.name]])
                cell = Cell(cell.text, False, 1, en if en not in (cell.text, "–") else None)
            row.append(cell)
        rows.append(row)
    columns = [Column(c.name, c.zh, c.en, c.fmt,
                      not c.fmt.numeric and bool(rows)
                      and all(len(r[j].text) <= 12 and len(r[j].en or "") <= 28 for r in rows))
               for j, c in enumerate(columns)]
    if entry.group and rows and not all_columns:
        rows = _grouped(rows, columns)
    t = result.tables[item.name]
    note = {"zh": t.note.zh, "en": t.note.en} if t.note is not None else None
    more = None
    if len(shown_frame) < len(frame):
        more = bi("report.truncated", shown=f"{len(shown_frame):,}", total=f"{len(frame):,}",
                  sheet=item.sheet or item.name, csv=csv_file(item.name))
    return PresentedTable(item.name, item.number, table_title(result, item.name), note, columns, rows,
                          frame[cols], len(frame), more)


def _value_key(scope: str, col: str, value) -> str | None:
    """The catalogue label of a coded value: ``value.<stage>.<column>.<value>`` first (the
    regional stage's ``method``/``test`` ids are not the coverage stage's), then
    ``value.<column>.<value>``.

    >>> _value_key("regional", "method", "exact"), _value_key("coverage", "method", "exact")
    ('value.regional.method.exact', None)
    """
    for key in (f"value.{scope}.{col}.{value}", f"value.{col}.{value}"):
        if key in catalogue():
            return key
    return None


def _grouped(rows: list[list[Cell]], columns: list[Column]) -> list[list[Cell]]:
    """Merge runs of equal values in the first column (and its language twin) with rowspan."""
    stem = columns[0].name.rsplit("_", 1)[0]
    lead = [j for j, c in enumerate(columns) if j == 0 or (c.name.rsplit("_", 1)[0] == stem and j < 2)]
    out = [list(r) for r in rows]
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i][0].text != rows[start][0].text:
            for j in lead:
                out[start][j] = Cell(rows[start][j].text, rows[start][j].num, i - start, rows[start][j].en)
                for r in range(start + 1, i):
                    out[r][j] = Cell("", rows[r][j].num, 0)
            start = i
    return out
