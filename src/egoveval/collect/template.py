"""The collection workbook (``egoveval template``).

Sheets:

* ``说明 Instructions`` — title, framework and citation, collector and collection date,
  the procedure of double collection, and one row per indicator: channel, name, id,
  kind, unit of measure, allowed values, definition, where to look and the tolerance;
* ``数据`` / ``data`` / ``数据 data`` (by language) — one row per unit (code and name
  pre-filled), one column per indicator headed ``中文名 (id)``, with the English name on a
  second line in English and bilingual workbooks (``中文名\\nName (id)``), then source/URL,
  note, collector (pre-filled when given) and date columns. The header row is frozen with the
  unit columns. Every indicator column has a data validation with its input message
  and error alert switched on: drop-down lists for binary/ordinal indicators (drawn from
  the hidden ``lists`` sheet — inline lists over 255 characters are dropped by Excel,
  and ``showDropDown`` stays False, which *shows* the arrow), whole numbers or decimals
  within the indicator's range, dates. Channels that may be unbuilt get "warning"
  alerts so that 未建设 can still be typed; the others "stop" alerts.
* ``lists`` (hidden) — the allowed labels per categorical indicator.

openpyxl never enforces validation and Excel users can paste past it, so the reader
re-checks every cell (:mod:`egoveval.io.cells`).

``fmt="csv"`` writes only the data sheet's header, the unit codes and names and the
collector's name.

Tolerances are shown as set: ``±0.05（绝对）以内``, ``±1%（相对）以内``, both, or 须完全一致
(exact); a text that is empty in both languages (the unit of a yes/no indicator) stays empty.

>>> from egoveval.frameworks import load_framework
>>> from egoveval.units import provinces
>>> wb = build_template(load_framework("provincial-channels"), provinces(), collector="synthetic")
>>> wb.sheetnames, wb["lists"].sheet_state
(['说明 Instructions', '数据 data', 'lists'], 'hidden')
>>> wb["数据 data"]["C1"].value, wb["数据 data"].max_row
('个人服务项目数\\nPersonal service items (nat_personal_items)', 33)
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..frameworks.schema import Channel, Framework, Indicator
from ..io.writers import write_csv
from ..messages import in_lang, msg, pick
from ..units.registry import UnitRegistry
from .xlsx import put, save_workbook

__all__ = ["LANGS", "DATA_SHEET", "META_COLUMNS", "data_headers", "build_template", "write_template",
           "indicator_header", "allowed_text"]

LANGS = ("zh", "en", "both")
DATA_SHEET = {"zh": "数据", "en": "data", "both": "数据 data"}
INSTRUCTIONS_SHEET = {"zh": "说明", "en": "Instructions", "both": "说明 Instructions"}
LISTS_SHEET = "lists"
# Headers the observation reader recognises (egoveval.io.observations.UNIT_HEADERS, META_HEADERS).
META_COLUMNS = {
    "code": {"zh": "代码", "en": "code", "both": "代码 code"},
    "unit": {"zh": "地区", "en": "unit", "both": "地区 unit"},
    "source": {"zh": "来源/网址", "en": "source/url", "both": "来源/网址 source/url"},
    "note": {"zh": "备注", "en": "note", "both": "备注 note"},
    "collector": {"zh": "采集人", "en": "collector", "both": "采集人 collector"},
    "collected_at": {"zh": "采集日期", "en": "collected_at", "both": "采集日期 collected_at"},
}
UNBUILT_LABEL = {"zh": "未建设", "en": "not built", "both": "未建设"}
_DATE_LOW, _DATE_HIGH = date(2000, 1, 1), date(2099, 12, 31)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")


_t = partial(in_lang, sep="\n")  # a catalogue text in the template's language (both: two lines)


def indicator_header(ind: Indicator, lang: str) -> str:
    """``中文名 (id)``; ``中文名\\nEnglish name (id)`` for an English or bilingual template
    (the Chinese name and the id always; the reader matches any of the parts)."""
    if lang == "zh" or not ind.name_en:
        return f"{ind.name_zh} ({ind.id})"
    return f"{ind.name_zh}\n{ind.name_en} ({ind.id})"


def data_headers(framework: Framework, lang: str, indicators: list[str] | None = None) -> list[str]:
    ids = indicators or framework.ids
    return ([META_COLUMNS["code"][lang], META_COLUMNS["unit"][lang]]
            + [indicator_header(framework.indicator(i), lang) for i in ids]
            + [META_COLUMNS[k][lang] for k in ("source", "note", "collector", "collected_at")])


def _level_labels(ind: Indicator, channel: Channel, lang: str) -> list[str]:
    labels = [lv.en if lang == "en" else lv.zh for lv in ind.all_levels()]
    if channel.can_be_unbuilt:
        labels.append(UNBUILT_LABEL[lang])
    return labels


def _range_text(low, high) -> str:
    lo = "−∞" if low is None else f"{low:g}"
    hi = "∞" if high is None else f"{high:g}"
    return f"[{lo}, {hi}]"


def _bounds(ind: Indicator) -> tuple[float | None, float | None]:
    lo, hi = ind.range
    if ind.kind == "share":
        lo, hi = (0.0 if lo is None else lo), (1.0 if hi is None else hi)
    if ind.kind == "count" and lo is None:
        lo = 0.0
    return lo, hi


def allowed_text(ind: Indicator, channel: Channel, lang: str) -> str:
    lo, hi = _bounds(ind)
    if ind.kind in ("binary", "ordinal"):
        levels = "、".join(f"{lv.value}={lv.en if lang == 'en' else lv.zh}" for lv in ind.all_levels())
        text = _t("template.allowed.levels", lang, levels=levels)
    elif ind.kind == "multi_choice":
        levels = "、".join(lv.en if lang == "en" else lv.zh for lv in ind.all_levels())
        text = _t("template.allowed.multi", lang, levels=levels)
    elif ind.kind == "date":
        text = _t("template.allowed.date", lang)
    elif ind.kind == "count":
        text = _t("template.allowed.whole", lang, range=_range_text(lo, hi))
    else:
        text = _t("template.allowed.decimal", lang, range=_range_text(lo, hi), decimals=ind.decimals)
    if channel.can_be_unbuilt:
        text += _t("template.allowed.unbuilt", lang) if lang != "both" else \
            msg("template.allowed.unbuilt").zh + " / " + msg("template.allowed.unbuilt").en.lstrip("; ")
    return text


def _tolerance_text(ind: Indicator, lang: str) -> str:
    """Only the tolerances that are set: absolute, relative, both, or exact.

    >>> from egoveval.frameworks import load_framework
    >>> fw = load_framework("provincial-channels")
    >>> [_tolerance_text(fw.indicator(i), "zh") for i in ("ios_rating", "android_downloads", "ios_updates")]
    ['±0.05（绝对）以内', '±1%（相对）以内', '须完全一致']
    """
    tol_abs = ind.tolerance_abs if ind.kind in ("count", "number", "rating", "share") else 0
    tol_rel = ind.tolerance_rel if ind.kind in ("count", "number", "rating", "share") else 0
    shown_abs, shown_rel = f"{tol_abs:g}", f"{tol_rel * 100:.4g}%"
    if tol_abs and tol_rel:
        return _t("template.tolerance.value", lang, abs=shown_abs, rel=shown_rel)
    if tol_abs:
        return _t("template.tolerance.abs", lang, abs=shown_abs)
    if tol_rel:
        return _t("template.tolerance.rel", lang, rel=shown_rel)
    return _t("template.tolerance.exact", lang)


def _excel_serial(d: date) -> int:
    return (d - date(1899, 12, 30)).days


def _validation(ind: Indicator, channel: Channel, lang: str, list_ref: str | None) -> DataValidation | None:
    lo, hi = _bounds(ind)
    style = "warning" if channel.can_be_unbuilt else "stop"
    if ind.kind in ("binary", "ordinal"):
        dv = DataValidation(type="list", formula1=list_ref, allow_blank=True)
    elif ind.kind == "multi_choice":
        dv = DataValidation(type="custom", formula1="TRUE", allow_blank=True)  # message only
        style = "information"
    elif ind.kind == "date":
        dv = DataValidation(type="date", operator="between", formula1=str(_excel_serial(_DATE_LOW)),
                            formula2=str(_excel_serial(_DATE_HIGH)), allow_blank=True)
    else:
        vtype = "whole" if ind.kind == "count" else "decimal"
        if lo is not None and hi is not None:
            dv = DataValidation(type=vtype, operator="between", formula1=f"{lo:g}", formula2=f"{hi:g}",
                                allow_blank=True)
        elif lo is not None:
            dv = DataValidation(type=vtype, operator="greaterThanOrEqual", formula1=f"{lo:g}", allow_blank=True)
        elif hi is not None:
            dv = DataValidation(type=vtype, operator="lessThanOrEqual", formula1=f"{hi:g}", allow_blank=True)
        else:
            dv = DataValidation(type=vtype, operator="between", formula1="-1E+15", formula2="1E+15",
                                allow_blank=True)
    allowed = allowed_text(ind, channel, lang)
    unit = ind.unit_en if lang == "en" else ind.unit_zh
    prompt = f"{allowed}" + (f" ({unit})" if unit else "") + "\n" + _t("template.blank_note", lang)
    dv.showInputMessage = True
    dv.showErrorMessage = True
    dv.showDropDown = False  # False shows the in-cell arrow (the attribute's name is inverted)
    dv.errorStyle = style
    dv.promptTitle = (ind.name_en if lang == "en" else ind.name_zh)[:32]
    dv.prompt = prompt[:255]
    dv.errorTitle = _t("template.error_title", lang).replace("\n", " / ")[:32]
    dv.error = allowed[:255]
    return dv


def _instructions(ws, framework: Framework, units: UnitRegistry, collector: str | None, lang: str,
                  data_sheet: str, ids: list[str]) -> None:
    bold = Font(bold=True)
    put(ws, 1, 1, _t("template.title", lang, framework=framework.name_en if lang == "en" else framework.name_zh)
        if lang != "both" else f"{framework.name_zh}\n{framework.name_en}").font = Font(bold=True, size=14)
    rows = [
        ("template.framework", f"{framework.id} (v{framework.version})"),
        ("template.citation", framework.citation_en if lang == "en" else
         framework.citation_zh if lang == "zh" else f"{framework.citation_zh}\n{framework.citation_en}"),
        ("template.units", f"{len(units)}"),
        ("template.collector", collector or ""),
        ("template.date", None),
    ]
    r = 3
    for key, value in rows:
        put(ws, r, 1, _t(key, lang)).font = bold
        if key == "template.collector" and not collector:
            put(ws, r, 2, _t("template.fill_in", lang)).fill = _INPUT_FILL
        elif key == "template.date":
            cell = put(ws, r, 2, None, "yyyy-mm-dd")
            cell.fill = _INPUT_FILL
            dv = DataValidation(type="date", operator="between", formula1=str(_excel_serial(_DATE_LOW)),
                                formula2=str(_excel_serial(_DATE_HIGH)), allow_blank=True,
                                showInputMessage=True, showErrorMessage=True)
            dv.promptTitle = _t("template.date", lang).replace("\n", " / ")[:32]
            dv.prompt = _t("template.allowed.date", lang)[:255]
            dv.error = _t("template.allowed.date", lang)[:255]
            ws.add_data_validation(dv)
            dv.add(cell.coordinate)
        else:
            put(ws, r, 2, value)
        r += 1
    r += 1
    put(ws, r, 1, _t("template.procedure", lang)).font = bold
    r += 1
    for step in range(1, 8):
        params = {"sheet": data_sheet} if step == 2 else {}
        put(ws, r, 1, _t(f"template.step{step}", lang, **params)).alignment = Alignment(wrap_text=True,
                                                                                         vertical="top")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=9)
        ws.row_dimensions[r].height = 48 if lang == "both" else 32
        r += 1
    r += 1
    columns = ("channel", "indicator", "id", "kind", "unit", "allowed", "definition", "where", "tolerance")
    for c, key in enumerate(columns, 1):
        cell = put(ws, r, c, _t(f"template.col.{key}", lang))
        cell.font, cell.fill = bold, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    r += 1
    shown = lambda zh, en: pick(zh, en, lang, "\n")  # noqa: E731  (both: the two lines, or the one set)
    for ch in framework.channels:
        for ind in ch.indicators:
            if ind.id not in ids:
                continue
            values = (shown(ch.name_zh, ch.name_en), shown(ind.name_zh, ind.name_en), ind.id,
                      _t(f"template.kind.{ind.kind}", lang), shown(ind.unit_zh, ind.unit_en),
                      allowed_text(ind, ch, lang), shown(ind.definition_zh, ind.definition_en),
                      shown(ch.where_zh, ch.where_en), _tolerance_text(ind, lang))
            for c, value in enumerate(values, 1):
                put(ws, r, c, value).alignment = Alignment(wrap_text=True, vertical="top")
            r += 1
    for c, width in enumerate((22, 22, 20, 10, 14, 30, 48, 40, 22), 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.column_dimensions["A"].width = 26


def build_template(framework: Framework, units: UnitRegistry, *, collector: str | None = None,
                   lang: str = "both", indicators: list[str] | None = None) -> Workbook:
    """The collection workbook for ``framework`` and ``units`` (see the module notes)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}")
    ids = indicators or framework.ids
    wb = Workbook()
    info = wb.active
    info.title = INSTRUCTIONS_SHEET[lang]
    data = wb.create_sheet(DATA_SHEET[lang])
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    _instructions(info, framework, units, collector, lang, DATA_SHEET[lang], ids)

    headers = data_headers(framework, lang, ids)
    for c, h in enumerate(headers, 1):
        cell = put(data, 1, c, h)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    n = len(units)
    for r, row in enumerate(units.table.itertuples(index=False), 2):
        put(data, r, 1, str(row.code))
        put(data, r, 2, str(row.name))
        if collector:
            put(data, r, len(headers) - 1, collector)
        put(data, r, len(headers), None, "yyyy-mm-dd")
    last = n + 1
    list_col = 0
    channel_of = {i.id: ch for ch in framework.channels for i in ch.indicators}
    for offset, ind_id in enumerate(ids):
        ind = framework.indicator(ind_id)
        col = get_column_letter(3 + offset)
        ref = None
        if ind.kind in ("binary", "ordinal"):
            list_col += 1
            letter = get_column_letter(list_col)
            put(lists, 1, list_col, ind.id)
            labels = _level_labels(ind, channel_of[ind_id], lang)
            for i, label in enumerate(labels, 2):
                put(lists, i, list_col, label)
            ref = f"{LISTS_SHEET}!${letter}$2:${letter}${len(labels) + 1}"
        dv = _validation(ind, channel_of[ind_id], lang, ref)
        data.add_data_validation(dv)
        dv.add(f"{col}2:{col}{last}")
        if ind.kind == "date":
            for r in range(2, last + 1):
                data[f"{col}{r}"].number_format = "yyyy-mm-dd"
        data.column_dimensions[col].width = 16
    date_col = get_column_letter(len(headers))
    dv = _validation_date_column(lang)
    data.add_data_validation(dv)
    dv.add(f"{date_col}2:{date_col}{last}")
    data.column_dimensions["A"].width = 10
    data.column_dimensions["B"].width = 18
    for k in range(4):
        data.column_dimensions[get_column_letter(len(headers) - 3 + k)].width = (36, 30, 14, 14)[k]
    data.row_dimensions[1].height = 45
    data.freeze_panes = "C2"
    wb.active = 1
    return wb


def _validation_date_column(lang: str) -> DataValidation:
    dv = DataValidation(type="date", operator="between", formula1=str(_excel_serial(_DATE_LOW)),
                        formula2=str(_excel_serial(_DATE_HIGH)), allow_blank=True)
    dv.showInputMessage = dv.showErrorMessage = True
    dv.showDropDown = False
    dv.promptTitle = _t("template.date", lang).replace("\n", " / ")[:32]
    dv.prompt = dv.error = _t("template.allowed.date", lang)[:255]
    dv.errorTitle = _t("template.error_title", lang).replace("\n", " / ")[:32]
    return dv


def write_template(framework: Framework, units: UnitRegistry, path: str | Path, *, collector: str | None = None,
                   lang: str = "both", fmt: str = "xlsx", indicators: list[str] | None = None) -> Path:
    """Write the workbook (``fmt="xlsx"``) or the bare data sheet (``fmt="csv"``) to ``path``."""
    path = Path(path)
    if fmt == "csv":
        headers = data_headers(framework, lang, indicators)
        frame = pd.DataFrame({h: [""] * len(units) for h in headers}, dtype=object)
        frame[headers[0]] = list(units.table["code"])
        frame[headers[1]] = list(units.table["name"])
        if collector:
            frame[META_COLUMNS["collector"][lang]] = collector
        return write_csv(frame, path)
    if fmt != "xlsx":
        raise ValueError("fmt must be 'xlsx' or 'csv'")
    return save_workbook(build_template(framework, units, collector=collector, lang=lang,
                                        indicators=indicators), path)
