"""One message catalogue for every user-facing text, in Chinese and English.

The catalogue is the union of the YAML files in this folder (one per domain, so
that modules own their wording). Each key maps to ``{zh: ..., en: ...}``; texts are
``str.format`` templates.

>>> text("run.done", "en", path="out")
'Report written to out'
>>> text("run.done", "zh", path="out")
'报告已写入 out'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml

__all__ = ["LANGS", "Lang", "Message", "catalogue", "msg", "text", "bilingual"]

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    folder = resources.files(__name__)
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yaml"):
            continue
        data = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
        for key, value in data.items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} defined twice ({entry.name})")
            if not isinstance(value, dict) or set(value) != {"zh", "en"}:
                raise RuntimeError(f"message {key!r} in {entry.name} needs exactly zh and en")
            merged[key] = value
    return merged


@dataclass(frozen=True)
class Message:
    """A catalogue entry filled with its parameters, renderable in either language."""

    key: str
    params: tuple[tuple[str, object], ...] = ()

    def render(self, lang: Lang) -> str:
        return text(self.key, lang, **dict(self.params))

    @property
    def zh(self) -> str:
        return self.render("zh")

    @property
    def en(self) -> str:
        return self.render("en")

    def both(self, sep: str = " / ") -> str:
        return f"{self.zh}{sep}{self.en}"


def msg(key: str, **params: object) -> Message:
    if key not in catalogue():
        raise KeyError(f"unknown message key {key!r}")
    return Message(key, tuple(sorted(params.items())))


def text(key: str, lang: Lang, **params: object) -> str:
    try:
        template = catalogue()[key][lang]
    except KeyError as exc:
        raise KeyError(f"unknown message key {key!r} or language {lang!r}") from exc
    return template.format(**params)


def bilingual(key: str, **params: object) -> str:
    """Both languages on one line: ``中文 / English``."""
    return msg(key, **params).both()
