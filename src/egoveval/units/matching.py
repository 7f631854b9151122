"""Name normalisation for matching unit names typed by people.

Full-width characters become half-width (NFKC), whitespace of every kind and
zero-width characters disappear, Latin letters are case-folded. Suffixes such as
省/市/自治区 are handled by the registry, which tries the name with and without them
(for provinces 市 only before a municipality: :func:`strip_suffix`); a one-character name
that begins several units' names is ambiguous (:func:`shared_initial`).

>>> normalise_name(" 北 京　市 ")
'北京市'
>>> normalise_name("ＢＥＩＪＩＮＧ")
'beijing'
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

__all__ = ["normalise_name", "strip_suffix", "shared_initial", "SUFFIXES", "MUNICIPALITIES"]

_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")

# Longest first, so 维吾尔自治区 is removed whole rather than leaving 新疆维吾尔.
SUFFIXES: tuple[str, ...] = (
    "壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "自治州", "地区", "省", "市", "盟",
)


def normalise_name(name: object) -> str:
    text = unicodedata.normalize("NFKC", str(name))
    return _INVISIBLE.sub("", text).casefold()


#: The provincial units whose full name ends in 市 (直辖市).
MUNICIPALITIES: tuple[str, ...] = ("北京", "天津", "上海", "重庆")


def strip_suffix(name: str, kind: str = "") -> str:
    """Remove one administrative suffix, if something remains.

    For provincial units (``kind="provinces"``) 市 is removed only when a municipality
    remains: 北京市 is Beijing, but 吉林市 is a city in 吉林省, not the province.

    >>> strip_suffix("广西壮族自治区"), strip_suffix("市"), strip_suffix("深圳市")
    ('广西', '市', '深圳')
    >>> strip_suffix("北京市", "provinces"), strip_suffix("吉林市", "provinces"), strip_suffix("吉林省", "provinces")
    ('北京', '吉林市', '吉林')
    """
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if kind == "provinces" and suffix == "市" and stem not in MUNICIPALITIES:
                return name
            return stem
    return name


def shared_initial(key: str, names: Iterable[tuple[str, str]]) -> list[str]:
    """Codes of the units whose short name begins with the one character ``key``, when more
    than one does: such a name is ambiguous (山 → 山东、山西; 江 → 江苏、江西), never a guess.
    One unit alone is not a match either (only the declared abbreviations are).

    ``names`` holds (code, short name) pairs; ``key`` is normalised.

    >>> shared_initial("山", [("370000", "山东"), ("140000", "山西"), ("110000", "北京")])
    ['370000', '140000']
    >>> shared_initial("北", [("110000", "北京"), ("130000", "河北")]), shared_initial("山东", [])
    ([], [])
    """
    if len(key) != 1:
        return []
    found = [code for code, short in names if normalise_name(short).startswith(key)]
    return found if len(found) > 1 else []
