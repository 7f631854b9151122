"""The framework data model: frozen dataclasses for channels, indicators and levels.

Indicator kinds and their default quantification (the study's Table-2 rules):

========== ==================================== =========================
kind       raw value                            quantified
========== ==================================== =========================
count      whole number ≥ 0 ("1,234", "1.2万")    the number
number     any number                            the number
rating     number on a scale ("3.5分")           the number
share      proportion ("35%" or 0.35)            proportion 0–1
binary     是/否, 已开通/未开通, 1/0                 1 / 0
ordinal    a level label or its code             the level's code 0, 1, 2, …
multi_choice several level labels                number of levels chosen
date       ISO, 2019年3月5日, Excel serial         months before collection date
========== ==================================== =========================

A framework may name an indicator's ``quantification`` explicitly, but only a rule that
can turn a parsed value of its kind into a number (:data:`ALLOWED_QUANTIFICATIONS`):
a count cannot be quantified as months before a date, nor a date as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["KINDS", "QUANTIFICATIONS", "DEFAULT_QUANTIFICATION", "ALLOWED_QUANTIFICATIONS", "Level",
           "Indicator", "Channel", "Framework", "Area", "BINARY_LEVELS"]

KINDS = ("count", "number", "rating", "share", "binary", "ordinal", "multi_choice", "date")
QUANTIFICATIONS = ("as_is", "binary", "levels", "count_choices", "months_before")
ALLOWED_QUANTIFICATIONS = {  # the rules that can turn a parsed value of each kind into a number,
    # the default first
    "count": ("as_is",), "number": ("as_is",), "rating": ("as_is",), "share": ("as_is",),
    "binary": ("binary", "as_is"), "ordinal": ("levels", "as_is"),  # the level code itself
    "multi_choice": ("count_choices",), "date": ("months_before",),
}
DEFAULT_QUANTIFICATION = {kind: rules[0] for kind, rules in ALLOWED_QUANTIFICATIONS.items()}
"""The rule an indicator of each kind gets when it names none (the first allowed rule).

>>> DEFAULT_QUANTIFICATION["ordinal"], DEFAULT_QUANTIFICATION["date"]
('levels', 'months_before')
"""


@dataclass(frozen=True)
class Level:
    value: int
    zh: str
    en: str
    aliases: tuple[str, ...] = ()


BINARY_LEVELS = (
    Level(1, "是", "yes", ("有", "已开通", "开通", "已上线", "上线", "已建设", "true", "y", "✓", "√", "1")),
    Level(0, "否", "no", ("无", "未开通", "没有", "未上线", "false", "n", "×", "✗", "0")),
)


@dataclass(frozen=True)
class Indicator:
    id: str
    name_zh: str
    name_en: str
    channel: str
    kind: str
    unit_zh: str = ""
    unit_en: str = ""
    direction: int = 1
    range: tuple[float | None, float | None] = (None, None)
    quantification: str = "as_is"
    weight: float = 1.0
    tolerance_abs: float = 0.0
    tolerance_rel: float = 0.0
    definition_zh: str = ""
    definition_en: str = ""
    source: str = "text"
    levels: tuple[Level, ...] = ()
    decimals: int | None = None
    area: str = ""  # optional service area id (frameworks that cross channels with areas)

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    @property
    def is_categorical(self) -> bool:
        return self.kind in ("binary", "ordinal", "multi_choice")

    def all_levels(self) -> tuple[Level, ...]:
        return self.levels or (BINARY_LEVELS if self.kind == "binary" else ())


@dataclass(frozen=True)
class Channel:
    id: str
    name_zh: str
    name_en: str
    indicators: tuple[Indicator, ...]
    weight: float = 1.0
    can_be_unbuilt: bool = False
    where_zh: str = ""
    where_en: str = ""

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class Area:
    """A service area (e.g. 住房 housing) that indicators can be crossed with (optional)."""

    id: str
    name_zh: str
    name_en: str
    definition_zh: str = ""
    definition_en: str = ""

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class Framework:
    id: str
    name_zh: str
    name_en: str
    channels: tuple[Channel, ...]
    units: str = "provinces"
    version: int = 1
    citation_zh: str = ""
    citation_en: str = ""
    path: str = ""
    _by_id: dict = field(default_factory=dict, repr=False, compare=False)
    areas: tuple[Area, ...] = ()  # optional; declared areas in display order

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for c in self.channels for i in c.indicators)

    def indicator(self, indicator_id: str) -> Indicator:
        if not self._by_id:
            self._by_id.update({i.id: i for i in self.indicators})
        return self._by_id[indicator_id]

    def channel(self, channel_id: str) -> Channel:
        return next(c for c in self.channels if c.id == channel_id)

    def area(self, area_id: str) -> Area:
        return next(a for a in self.areas if a.id == area_id)

    @property
    def ids(self) -> list[str]:
        return [i.id for i in self.indicators]

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en
