"""Name normalisation for matching unit names typed by people.

Full-width characters become half-width (NFKC), whitespace of every kind and
zero-width characters disappear, Latin letters are case-folded. Suffixes such as
省/市/自治区 are handled by the registry, which tries the name with and without them.

>>> normalise_name(" 北 京　市 ")
'北京市'
>>> normalise_name("ＢＥＩＪＩＮＧ")
'beijing'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise_name", "strip_suffix", "SUFFIXES"]

_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")

# Longest first, so 维吾尔自治区 is removed whole rather than leaving 新疆维吾尔.
SUFFIXES: tuple[str, ...] = (
    "壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "自治州", "地区", "省", "市", "盟",
)


def normalise_name(name: object) -> str:
    text = unicodedata.normalize("NFKC", str(name))
    return _INVISIBLE.sub("", text).casefold()


def strip_suffix(name: str) -> str:
    """Remove one administrative suffix, if something remains.

    >>> strip_suffix("广西壮族自治区"), strip_suffix("市")
    ('广西', '市')
    """
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name
