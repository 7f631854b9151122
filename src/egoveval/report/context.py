"""What the renderers need to know beyond the tables: indicator names, kinds and decimals
(from the framework), unit names (from the units registry), and the names of the ids that
columns are named after — channels, tiers (``p_<tier>``, from ``index_tiers``) and
development types (``n_<cluster>``, from ``types``).

A live Result holds the framework and the registry as Python objects; a saved Result
(:mod:`egoveval.report.saved`) holds this snapshot instead, so a finished run re-renders
without the study's files.

>>> ctx = Context(indicators={"a": {"name_zh": "甲", "name_en": "A", "kind": "count", "decimals": None}},
...               units={"110000": ("北京", "Beijing")})
>>> ctx.indicator_name("a", "en"), ctx.unit_name("110000", "zh"), ctx.unit_name("x", "en")
('A', '北京', 'x')
>>> Context.from_json(ctx.to_json()) == ctx
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

__all__ = ["Context", "context_of"]


@dataclass(frozen=True)
class Context:
    indicators: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    units: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    channels: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    tiers: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # tier label → (zh, en)
    types: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # cluster id → (zh, en)

    def channel_name(self, ch: str, lang: str) -> str:
        names = self.channels.get(str(ch))
        if names is None:
            return str(ch)
        return names[1] if lang == "en" else names[0]

    def indicator_name(self, ind: str, lang: str) -> str:
        info = self.indicators.get(ind)
        if info is None:
            return ind
        return str(info.get(f"name_{lang}") or info.get("name_zh") or ind)

    def unit_name(self, code: str, lang: str) -> str:
        names = self.units.get(str(code))
        if names is None:
            return str(code)
        zh, en = names
        return (en or zh) if lang == "en" else zh

    def to_json(self) -> dict:
        return {"indicators": {k: dict(v) for k, v in self.indicators.items()},
                "units": {k: list(v) for k, v in self.units.items()},
                "channels": {k: list(v) for k, v in self.channels.items()},
                "tiers": {k: list(v) for k, v in self.tiers.items()},
                "types": {k: list(v) for k, v in self.types.items()}}

    @classmethod
    def from_json(cls, data: Mapping) -> "Context":
        return cls(indicators={k: dict(v) for k, v in data.get("indicators", {}).items()},
                   units={k: (v[0], v[1]) for k, v in data.get("units", {}).items()},
                   channels={k: (v[0], v[1]) for k, v in data.get("channels", {}).items()},
                   tiers={k: (v[0], v[1]) for k, v in data.get("tiers", {}).items()},
                   types={k: (v[0], v[1]) for k, v in data.get("types", {}).items()})


def context_of(result) -> Context:
    """The context of a live or a re-loaded Result."""
    saved = result.values.get("report_context")
    if isinstance(saved, Context):
        return saved
    indicators: dict[str, dict] = {}
    channels: dict[str, tuple[str, str]] = {}
    framework = result.values.get("framework")
    if framework is not None:
        for ch in framework.channels:
            channels[ch.id] = (ch.name_zh, ch.name_en)
            for ind in ch.indicators:
                indicators[ind.id] = {"name_zh": ind.name_zh, "name_en": ind.name_en, "kind": ind.kind,
                                      "decimals": ind.decimals, "channel": ch.id,
                                      "unit_zh": ind.unit_zh, "unit_en": ind.unit_en}
    units: dict[str, tuple[str, str]] = {}
    registry = result.values.get("units")
    if registry is not None:
        for row in registry.table.itertuples(index=False):
            zh = str(row.name_short or row.name)
            units[str(row.code)] = (zh, str(row.name_en or ""))
    return Context(indicators, units, channels, _names(result, "index_tiers", "tier", "tier"),
                   _names(result, "types", "cluster", "label"))


def _names(result, table: str, ident: str, stem: str) -> dict[str, tuple[str, str]]:
    """id → (zh, en) from the ``<stem>_zh``/``<stem>_en`` columns of a table of the run."""
    t = result.tables.get(table)
    if t is None or not {ident, f"{stem}_zh", f"{stem}_en"} <= set(t.data.columns):
        return {}
    return {str(i): (str(zh), str(en)) for i, zh, en in zip(t.data[ident], t.data[f"{stem}_zh"], t.data[f"{stem}_en"])}
