"""Names beside the ids of the coverage tables, for readers (report, workbook).

The CSV files of ``egoveval coverage`` keep ids (``weibo``, ``whole_gov``, ``key``, ``East``,
``not_provided``, ``pooled_areas``), as their contract says. The tables a run keeps in its
Result — shown in the report and the workbook — also carry each id's name in Chinese and
English right after the id column: ``<column>_zh`` and ``<column>_en`` (for ``region`` only
``region_zh``: the NBS region ids are English words). :func:`labelled` adds them;
:func:`csv_view` takes them off again, so ``egoveval run`` writes into ``coverage/``
exactly the bytes ``egoveval coverage`` writes.

Names come from the framework (channels, areas), the message catalogue
(``coverage.group.*``, ``coverage.area.all``, ``coverage.scope.*``, ``coverage.basis.*``,
``coverage.status.*``, ``coverage.method.*``, ``coverage.test.*``) and the regional catalogue (``regional.region.*``); an id the
catalogue does not know is shown as itself.

>>> import pandas as pd
>>> from egoveval.frameworks import load_framework
>>> from egoveval.coverage.layout import coverage_layout
>>> lay = coverage_layout(load_framework("city-multichannel"))
>>> t = labelled(pd.DataFrame({"channel": ["weibo"], "area": ["all"], "group": ["key"]}), lay.labels)
>>> t.iloc[0].tolist()
['weibo', '政务微博', 'Government Weibo (microblog)', 'all', '全部领域（合计）', 'All areas (pooled)', 'key', '重点城市', 'Key cities']
>>> list(csv_view("coverage_adoption", t).columns)
['channel', 'area', 'group']
"""

from __future__ import annotations

from typing import Callable, Mapping

import pandas as pd

from ..messages import catalogue, text

__all__ = ["LABELLED", "labelled", "csv_view", "label_columns", "name_of", "group_name"]

# id column -> how its ids are named: ("framework", kind) or ("catalogue", key prefix)
LABELLED: Mapping[str, tuple[str, str]] = {
    "channel": ("framework", "channel"),
    "channel_a": ("framework", "channel"),
    "channel_b": ("framework", "channel"),
    "area": ("framework", "area"),
    "scope": ("framework", "area"),
    "group": ("catalogue", "coverage.group"),
    "region": ("catalogue", "regional.region"),
    "basis": ("catalogue", "coverage.basis"),
    "status": ("catalogue", "coverage.status"),
    "method": ("catalogue", "coverage.method"),
    "test": ("catalogue", "coverage.test"),
}
_ZH_ONLY = {"region"}  # the English twin is the id itself
#: Name columns the CLI's files carry themselves (kept by :func:`csv_view`).
CSV_NAME_COLUMNS: Mapping[str, tuple[str, ...]] = {"coverage_gaps": ("channel_zh", "area_zh")}
_SPECIAL = {("area", "all"): "coverage.area.all", ("scope", "all"): "coverage.area.all",
            ("scope", "any_area"): "coverage.scope.any_area"}


def _namer(column: str, labels: pd.DataFrame) -> Callable[[object, str], str]:
    source, what = LABELLED[column]
    names = {}
    if source == "framework":
        part = labels[labels["kind"] == what]
        names = {str(i): (str(zh), str(en)) for i, zh, en in zip(part["id"], part["zh"], part["en"])}

    def name(value, lang: str) -> str:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return ""
        ident = str(value)
        key = _SPECIAL.get((column, ident)) or (f"{what}.{ident}" if source == "catalogue" else None)
        if key is not None and key in catalogue():
            return text(key, lang)
        if ident in names:
            return names[ident][0 if lang == "zh" else 1]
        return ident

    return name


_NO_LABELS = pd.DataFrame(columns=["kind", "id", "zh", "en"])


def name_of(column: str, value, lang: str, labels: pd.DataFrame | None = None) -> str:
    """The ``lang`` name of one id of the id column ``column`` (:data:`LABELLED`); ``labels``
    (the layout's kind, id, zh, en table) is needed for channels and areas only.

    >>> name_of("group", "key", "en"), name_of("region", "East", "zh"), name_of("group", "other", "en")
    ('Key cities', '东部', 'other')
    """
    return _namer(column, _NO_LABELS if labels is None else labels)(value, lang)


def group_name(group: str, lang: str) -> str:
    """A city group's name (``coverage.group.<id>``), or the id for groups the catalogue lacks."""
    return name_of("group", group, lang)


def label_columns(column: str) -> tuple[str, ...]:
    """The name columns :func:`labelled` puts after an id column."""
    return (f"{column}_zh",) if column in _ZH_ONLY else (f"{column}_zh", f"{column}_en")


def labelled(frame: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``<id>_zh`` / ``<id>_en`` after each id column of :data:`LABELLED`
    (names already present are kept). ``labels``: the layout's kind, id, zh, en table."""
    out = frame.copy()
    for column in [c for c in frame.columns if c in LABELLED]:
        name = _namer(column, labels)
        at = out.columns.get_loc(column) + 1
        for new in label_columns(column):
            if new not in out.columns:
                lang = new.rsplit("_", 1)[1]
                out.insert(at, new, [name(v, lang) for v in out[column]])
            at = out.columns.get_loc(new) + 1
    return out


def csv_view(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table as the CLI writes it: without the name columns :func:`labelled` added."""
    keep = set(CSV_NAME_COLUMNS.get(name, ()))
    added = {c for col in LABELLED if col in frame.columns for c in label_columns(col)} - keep
    return frame[[c for c in frame.columns if c not in added]]
