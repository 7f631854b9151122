"""Short names and aliases of city-level units, as people write them.

An autonomous prefecture is usually called by its place name alone or with 州:
恩施土家族苗族自治州 → 恩施, 恩施州. :func:`city_short_name` removes the unit-type
suffix (自治州, 自治县, 地区, 盟, 林区, 县, 市) and, for autonomous units, the names of the
ethnic groups before it (with or without 族: 博尔塔拉蒙古自治州 → 博尔塔拉);
:func:`city_aliases` adds the ``X州`` / ``X县`` form. The ethnic names are the 55
minority nationalities recognised by the State Council (国家民族事务委员会, 中国的民族).
A bare name without 族 is removed only for names of two or more characters (蒙古,
哈萨克, 柯尔克孜), so a one-character name never eats a place name.

>>> city_short_name("恩施土家族苗族自治州"), city_aliases("恩施土家族苗族自治州")
('恩施', ['恩施州', '恩施土家族苗族'])
>>> city_short_name("博尔塔拉蒙古自治州"), city_short_name("克孜勒苏柯尔克孜自治州")
('博尔塔拉', '克孜勒苏')
>>> city_short_name("白沙黎族自治县"), city_short_name("大兴安岭地区"), city_short_name("兴安盟")
('白沙', '大兴安岭', '兴安')
>>> city_short_name("神农架林区"), city_short_name("定安县"), city_short_name("石家庄市")
('神农架', '定安', '石家庄')
"""

from __future__ import annotations

__all__ = ["ETHNIC_GROUPS", "city_short_name", "city_aliases"]

#: The 55 minority nationalities (without 族).
ETHNIC_GROUPS: tuple[str, ...] = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼",
    "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克",
    "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)
# longest first, so 土家族 is removed whole rather than leaving 土家 → 土…
_WITH_ZU = tuple(sorted((f"{e}族" for e in ETHNIC_GROUPS), key=len, reverse=True))
_BARE = tuple(sorted((e for e in ETHNIC_GROUPS if len(e) >= 2), key=len, reverse=True))
_AUTONOMOUS = ("自治州", "自治县")
_OTHER = ("地区", "林区", "盟", "县", "市")
_MIN_LEFT = 2  # a short name keeps at least two characters


def _strip_ethnic(stem: str) -> str:
    """Remove trailing ethnic names (with or without 族) while two characters remain."""
    changed = True
    while changed:
        changed = False
        for ending in (*_WITH_ZU, *_BARE):
            if stem.endswith(ending) and len(stem) - len(ending) >= _MIN_LEFT:
                stem = stem[: -len(ending)]
                changed = True
                break
    return stem


def _split(name: str) -> tuple[str, str, str]:
    """(place, ethnic part, suffix) of a city-level unit's full name."""
    for suffix in (*_AUTONOMOUS, *_OTHER):
        if name.endswith(suffix) and len(name) - len(suffix) >= _MIN_LEFT:
            stem = name[: -len(suffix)]
            place = _strip_ethnic(stem) if suffix in _AUTONOMOUS else stem
            return place, stem[len(place):], suffix
    return name, "", ""


def city_short_name(name: str) -> str:
    """The usual short name: place name without unit type or ethnic names."""
    return _split(name)[0]


def city_aliases(name: str) -> list[str]:
    """Other usual forms: ``X州`` for an autonomous prefecture, ``X县`` for an autonomous
    county, and the name without its suffix but with the ethnic names (恩施土家族苗族)."""
    place, ethnic, suffix = _split(name)
    out = []
    if suffix in _AUTONOMOUS:
        out.append(place + suffix[-1])
        if ethnic:
            out.append(place + ethnic)
    return out
