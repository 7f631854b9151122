"""Understanding one cell according to its indicator's kind.

:func:`parse_cell` returns a :class:`Cell`: a status (``ok``, ``missing``,
``unbuilt``, ``error``), the parsed value and, for errors, the rule broken.
Accepted forms, after full-width → half-width normalisation:

* numbers: ``1,234``, ``１２３``, ``3.5分`` (the indicator's unit or a common
  Chinese measure word after the number), ``1.2万``/``3亿`` multipliers, ``35%``;
* binary: 是/否, 有/无, 已开通/未开通, yes/no, true/false, 1/0, ✓/×, plus the
  framework's aliases; ordinal: a level's code, Chinese or English label or alias;
* dates: ``datetime`` cells, ISO ``2019-03-05``, ``2019/3/5``, ``2019.3.5``,
  ``20190305``, ``2019年3月5日``, and Excel serial numbers (1900 or 1904 system) from
  :data:`EXCEL_SERIAL_MIN` (1954-10-03) on — a bare number like ``2019`` is not a date;
* missing: blank, ``NA``, ``N/A``, ``-``, ``—``, ``缺失``, ``无数据``;
* unbuilt channel: ``未建设``, ``未建``, ``无此渠道``, ``unbuilt``, ``not built``;
* Excel error values (``#N/A``, ``#VALUE!``, …) are always problems.

>>> from egoveval.frameworks import load_framework
>>> fw = load_framework("provincial-channels")
>>> parse_cell("1,234", fw.indicator("android_downloads")).value
1234.0
>>> parse_cell("3.5分", fw.indicator("ios_rating")).value
3.5
>>> parse_cell("已开通", fw.indicator("mp_wechat")).value
1
>>> parse_cell("2019年3月5日", fw.indicator("ios_release")).value
datetime.date(2019, 3, 5)
>>> parse_cell("6分", fw.indicator("ios_rating")).rule
'cell.out_of_range'
>>> parse_cell(43529, fw.indicator("ios_release")).value, parse_cell(2019, fw.indicator("ios_release")).rule
(datetime.date(2019, 3, 5), 'cell.number_not_date')
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..frameworks.schema import Indicator

__all__ = ["Cell", "parse_cell", "MISSING_TOKENS", "UNBUILT_TOKENS", "EXCEL_ERRORS", "normalise_text",
           "EXCEL_SERIAL_MIN", "EXCEL_SERIAL_MAX"]

MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "-", "—", "--", "——", "缺失", "无数据", "不详",
                            "missing", "#", "?"})
UNBUILT_TOKENS = frozenset({"未建设", "未建", "未构建", "未开发", "无此渠道", "unbuilt", "notbuilt",
                            "not built", "nb"})
EXCEL_ERRORS = frozenset({"#n/a", "#value!", "#ref!", "#div/0!", "#num!", "#name?", "#null!",
                          "#getting_data", "#spill!", "#calc!"})
_MEASURE_WORDS = ("人次", "分", "项", "个", "次", "种", "家", "条", "件", "人", "款", "月")
_MULTIPLIERS = {"万": 1e4, "亿": 1e8, "千": 1e3, "k": 1e3}
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_SEPARATORS = re.compile(r"[、,，;；/|]+")
#: Numbers read as Excel serial dates: from 20000 (1954-10-03, long before any e-government
#: channel) to Excel's last day (9999-12-31); a smaller number such as a bare year is a problem.
EXCEL_SERIAL_MIN, EXCEL_SERIAL_MAX = 20000, 2958465


@dataclass(frozen=True)
class Cell:
    status: str  # ok | missing | unbuilt | error
    value: object = None
    rule: str | None = None
    params: tuple[tuple[str, object], ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _error(rule: str, **params) -> Cell:
    return Cell("error", None, rule, tuple(sorted(params.items())))


def normalise_text(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value))
    text = text.replace("\u3000", " ").replace("。", ".")
    return re.sub(r"\s+", " ", text).strip()


def _as_number(value: object, indicator: Indicator) -> float | Cell:
    if isinstance(value, bool):
        return _error("cell.not_number")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return _error("cell.not_number")
        return float(value)
    if isinstance(value, (datetime, date)):
        return _error("cell.date_in_number")
    text = normalise_text(value).replace(" ", "")
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    for unit in sorted({indicator.unit_zh, *_MEASURE_WORDS} - {""}, key=len, reverse=True):
        if text.endswith(unit) and len(text) > len(unit):
            text = text[: -len(unit)]
            break
    factor = 1.0
    if text and text[-1] in _MULTIPLIERS and len(text) > 1:
        factor = _MULTIPLIERS[text[-1]]
        text = text[:-1]
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        return _error("cell.not_number")
    number = float(text) * factor
    if percent:
        if indicator.kind != "share":
            return _error("cell.percent_not_share")
        number /= 100.0
    return number


def _check_range(number: float, indicator: Indicator) -> Cell | None:
    lo, hi = indicator.range
    if indicator.kind == "share":
        lo = 0.0 if lo is None else lo
        hi = 1.0 if hi is None else hi
    if indicator.kind == "count" and lo is None:
        lo = 0.0
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        return _error("cell.out_of_range", low="−∞" if lo is None else f"{lo:g}",
                      high="∞" if hi is None else f"{hi:g}")
    return None


def _match_level(token: str, indicator: Indicator):
    key = token.casefold().replace(" ", "")
    for level in indicator.all_levels():
        names = {str(level.value), level.zh, level.en, *level.aliases}
        if key in {n.casefold().replace(" ", "") for n in names}:
            return level.value
    return None


def _parse_date(value: object, epoch: datetime) -> date | Cell:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not (EXCEL_SERIAL_MIN <= value <= EXCEL_SERIAL_MAX):  # 2019 is a year, not 1905-07-11
            return _error("cell.number_not_date", low=EXCEL_SERIAL_MIN)
        serial = float(value)
        if epoch.year == 1899 and serial < 61:  # Excel's phantom 1900-02-29
            serial += 1
        return (epoch + timedelta(days=int(serial))).date()
    text = normalise_text(value).replace(" ", "")
    if re.fullmatch(r"\d{1,7}(\.\d+)?", text):  # a number as text: an Excel serial, or a bare year
        return _parse_date(float(text), epoch)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return _error("cell.bad_date")
    return _error("cell.not_date")


def parse_cell(value: object, indicator: Indicator, epoch: datetime = datetime(1899, 12, 30)) -> Cell:
    """Parse one raw cell for ``indicator``; never raises for bad content."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Cell("missing")
    if isinstance(value, str):
        text = normalise_text(value)
        folded = text.casefold()
        if folded in EXCEL_ERRORS:
            return _error("cell.excel_error")
        if folded in UNBUILT_TOKENS or folded.replace(" ", "") in UNBUILT_TOKENS:
            return Cell("unbuilt")
        if indicator.is_categorical:
            level = _match_level(text, indicator)
            if level is not None:
                return Cell("ok", level)
        if folded in MISSING_TOKENS:
            return Cell("missing")
    kind = indicator.kind
    if kind in ("binary", "ordinal"):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
            level = _match_level(str(int(value)), indicator)
            if level is not None:
                return Cell("ok", level)
        if isinstance(value, bool) and kind == "binary":
            return Cell("ok", int(value))
        labels = "、".join(f"{lv.value}={lv.zh}" for lv in indicator.all_levels())
        return _error("cell.not_level", levels=labels)
    if kind == "multi_choice":
        chosen = set()
        for token in _SEPARATORS.split(normalise_text(value)):
            if not token.strip():
                continue
            level = _match_level(token.strip(), indicator)
            if level is None:
                labels = "、".join(f"{lv.value}={lv.zh}" for lv in indicator.all_levels())
                return _error("cell.not_level", levels=labels)
            chosen.add(level)
        return Cell("ok", frozenset(chosen))
    if kind == "date":
        parsed = _parse_date(value, epoch)
        return parsed if isinstance(parsed, Cell) else Cell("ok", parsed)
    number = _as_number(value, indicator)
    if isinstance(number, Cell):
        return number
    if kind == "count" and not float(number).is_integer():
        return _error("cell.not_integer")
    problem = _check_range(number, indicator)
    return problem or Cell("ok", number)
