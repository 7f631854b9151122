"""The Result of a run: named tables and figures added by stages, plus the recipe.

A Result is immutable. Each stage returns a new Result with its tables added
(:meth:`Result.with_table`); adding a name twice is an error, so no stage can
overwrite another's output. Every renderer (HTML, XLSX, CSV, JSON) reads from one
Result. Following COINr's ``dset=``/``write_to=`` discipline.

>>> import pandas as pd
>>> r = Result.empty({"title": "demo"})
>>> r2 = r.with_table("quantified", pd.DataFrame({"a": [1]}), stage="quantify", title="table.quantified")
>>> sorted(r2.tables), sorted(r.tables)
(['quantified'], [])
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Mapping

import pandas as pd

from .messages import Message

__all__ = ["Table", "Figure", "Result"]


@dataclass(frozen=True)
class Table:
    """A named table. ``title`` is a message key; ``params`` fill it."""

    name: str
    data: pd.DataFrame
    stage: str
    title: str
    params: tuple[tuple[str, object], ...] = ()
    note: Message | None = None


@dataclass(frozen=True)
class Figure:
    """A rendered figure in PNG (300 dpi) and SVG."""

    name: str
    png: bytes
    svg: bytes
    stage: str
    title: str
    params: tuple[tuple[str, object], ...] = ()


def _frozen(d: Mapping) -> Mapping:
    return MappingProxyType(dict(d))


@dataclass(frozen=True)
class Result:
    spec: Mapping[str, Any]
    tables: Mapping[str, Table] = field(default_factory=lambda: _frozen({}))
    figures: Mapping[str, Figure] = field(default_factory=lambda: _frozen({}))
    values: Mapping[str, Any] = field(default_factory=lambda: _frozen({}))
    recipe: Mapping[str, Any] = field(default_factory=lambda: _frozen({}))
    warnings: tuple[Message, ...] = ()

    @classmethod
    def empty(cls, spec: Mapping[str, Any], recipe: Mapping[str, Any] | None = None) -> "Result":
        return cls(spec=_frozen(spec), recipe=_frozen(recipe or {}))

    # -- adding -------------------------------------------------------------
    def with_table(self, name: str, data: pd.DataFrame, *, stage: str, title: str,
                   note: Message | None = None, **params) -> "Result":
        if name in self.tables:
            raise ValueError(f"table {name!r} already in the Result; stages never overwrite")
        table = Table(name, data.copy(), stage, title, tuple(sorted(params.items())), note)
        return replace(self, tables=_frozen({**self.tables, name: table}))

    def with_figure(self, name: str, png: bytes, svg: bytes, *, stage: str, title: str,
                    **params) -> "Result":
        if name in self.figures:
            raise ValueError(f"figure {name!r} already in the Result")
        fig = Figure(name, png, svg, stage, title, tuple(sorted(params.items())))
        return replace(self, figures=_frozen({**self.figures, name: fig}))

    def with_value(self, name: str, value: Any) -> "Result":
        """A non-tabular stage output (a linkage matrix, a chosen k, a scheme name)."""
        if name in self.values:
            raise ValueError(f"value {name!r} already in the Result")
        return replace(self, values=_frozen({**self.values, name: value}))

    def with_recipe(self, **entries: Any) -> "Result":
        clash = set(entries) & set(self.recipe)
        if clash:
            raise ValueError(f"recipe entries already set: {sorted(clash)}")
        return replace(self, recipe=_frozen({**self.recipe, **entries}))

    def with_warning(self, message: Message) -> "Result":
        """Add a note; the same note twice is kept once."""
        if message in self.warnings:
            return self
        return replace(self, warnings=self.warnings + (message,))

    # -- reading ------------------------------------------------------------
    def __getitem__(self, name: str) -> pd.DataFrame:
        """A copy of the table's data, so callers cannot alter the Result."""
        return self.tables[name].data.copy()

    def __contains__(self, name: str) -> bool:
        return name in self.tables

    def stages(self) -> list[str]:
        seen: list[str] = []
        for t in self.tables.values():
            if t.stage not in seen:
                seen.append(t.stage)
        return seen
