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

__all__ = ["LANGS", "Lang", "Message", "catalogue", "msg", "text", "bilingual", "pick", "in_lang",
           "first_items"]

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


def pick(zh: str | None, en: str | None, lang: str, sep: str = " / ") -> str:
    """The text in ``lang``; ``both`` gives ``zh{sep}en``, or the one text when they are equal
    or one is empty.

    >>> pick("上海", "Shanghai", "en"), pick("上海", "Shanghai", "both")
    ('Shanghai', '上海 / Shanghai')
    >>> pick("Moran's I", "Moran's I", "both"), pick("标题", "", "both", sep="\\n")
    ("Moran's I", '标题')
    >>> pick("类型", "Type", "both", sep="\\n")
    '类型\\nType'
    """
    if lang == "zh":
        return zh or ""
    if lang == "en":
        return en or ""
    if lang != "both":
        raise ValueError(f"unknown language {lang!r} (zh, en or both)")
    return sep.join(dict.fromkeys(t for t in (zh, en) if t))


def in_lang(key: str, lang: str, sep: str = " / ", **params: object) -> str:
    """A catalogue text in ``lang`` (``zh``, ``en`` or ``both``, joined as :func:`pick` does).

    >>> in_lang("run.done", "both", path="out")
    '报告已写入 out / Report written to out'
    >>> in_lang("run.done", "en", path="out")
    'Report written to out'
    """
    if lang in LANGS:
        return text(key, lang, **params)
    return pick(text(key, "zh", **params), text(key, "en", **params), lang, sep)


def first_items(items, limit: int, lang: str, sep: str | None = None) -> str:
    """The first ``limit`` items joined by ``sep`` (``、`` in Chinese, ``, `` otherwise), then
    the catalogue's "… (+N more)" (``core.more_items``) in ``lang`` for the rest.

    >>> first_items(["甲", "乙", "丙"], 2, "zh")
    '甲、乙 …（另 1 项）'
    >>> first_items(["a", "b", "c", "d"], 2, "en"), first_items(["a", "b"], 2, "en")
    ('a, b … (+2 more)', 'a, b')
    >>> first_items(["甲", "乙", "丙"], 1, "both")
    '甲 …（另 2 项） / … (+2 more)'
    """
    items = [str(i) for i in items]
    if sep is None:
        sep = "、" if lang == "zh" or lang == "both" else ", "
    shown = sep.join(items[:limit])
    if len(items) <= limit:
        return shown
    return f"{shown} {in_lang('core.more_items', lang, n=len(items) - limit)}"
