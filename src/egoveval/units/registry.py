"""Unit registries: reference tables plus a name matcher.

A :class:`UnitRegistry` holds one row per unit (``code``, ``name``, ``name_short``,
``name_en``, ``group``, ``province``, ``region4``, ``region3``) and an index from
normalised names, short names, aliases, English names, codes and unambiguous
one-character abbreviations to codes. Matching never uses substrings or fuzzy
guesses, so 新疆生产建设兵团 / 兵团 can never become 新疆; unknown or ambiguous
names are problems that list the closest candidates.

>>> reg = provinces()
>>> [reg.match(n) for n in ("北京", "ＢＥＩＪＩＮＧ", "京", "广西壮族自治区", "兵团", "新疆")]
['110000', '110000', '110000', '450000', '660000', '650000']
>>> reg.lookup("Shanxi") != reg.lookup("Shaanxi")
True
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Mapping

import pandas as pd

from ..errors import InputError, Problem
from .matching import normalise_name, shared_initial, strip_suffix

__all__ = ["UnitRegistry", "provinces", "cities", "key_cities", "load_units", "read_reference", "CITY_GROUPS",
           "BUILTIN_UNITS", "population_groups", "is_unit_file", "city_registry"]

COLUMNS = ["code", "name", "name_short", "name_en", "group", "province", "region4", "region3"]


def read_reference(filename: str) -> pd.DataFrame:
    with resources.files(__package__).joinpath("data", filename).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


@dataclass(frozen=True)
class UnitRegistry:
    kind: str  # "provinces", "cities", "custom"
    table: pd.DataFrame
    _index: dict[str, frozenset[str]] = field(repr=False, default_factory=dict)

    @classmethod
    def build(cls, kind: str, table: pd.DataFrame, extra_keys: dict[str, list[str]] | None = None,
              weak_keys: dict[str, list[str]] | None = None) -> "UnitRegistry":
        """Index a unit table.

        ``extra_keys`` (aliases) always count; ``weak_keys`` (one-character
        abbreviations) count only where they point at exactly one unit and do not
        collide with a strong key.
        """
        table = table.reset_index(drop=True)
        index: dict[str, set[str]] = {}

        def add(key: str, code: str, into: dict[str, set[str]]) -> None:
            key = normalise_name(key)
            if key:
                into.setdefault(key, set()).add(code)

        for row in table.itertuples(index=False):
            for key in (row.code, row.name, row.name_short, row.name_en,
                        *(extra_keys or {}).get(row.code, [])):
                if key:
                    add(key, row.code, index)
        weak: dict[str, set[str]] = {}
        for code, keys in (weak_keys or {}).items():
            for key in keys:
                add(key, code, weak)
        for key, codes in weak.items():
            if key not in index and len(codes) == 1:
                index[key] = codes
        frozen = {k: frozenset(v) for k, v in index.items()}
        return cls(kind, table[COLUMNS].copy(), frozen)

    # -- matching -------------------------------------------------------------
    def candidates(self, name: object) -> frozenset[str]:
        key = normalise_name(name)
        found = self._index.get(key)
        if found is None:
            found = self._index.get(strip_suffix(key, self.kind))
        return found or frozenset()

    def lookup(self, name: object) -> str | None:
        found = self.candidates(name)
        return next(iter(found)) if len(found) == 1 else None

    def closest(self, name: object, n: int = 3) -> list[str]:
        key = normalise_name(name)
        names = list(self.table["name"])
        close = difflib.get_close_matches(key, [normalise_name(x) for x in names], n=n, cutoff=0.3)
        by_norm = {normalise_name(x): x for x in names}
        out = [by_norm[c] for c in close]
        if not out:  # a short or foreign name: show names sharing a character
            out = [x for x in names if set(key) & set(normalise_name(x))][:n]
        return out

    def problem_for(self, name: object, **where) -> Problem | None:
        """None if ``name`` matches exactly one unit, else a Problem with candidates."""
        found = self.candidates(name)
        if len(found) == 1:
            return None
        if not found:  # 山 → 山东、山西: a first character several units share is ambiguous
            found = frozenset(shared_initial(normalise_name(name), zip(self.table["code"], self.table["name_short"])))
        if not found:
            return Problem.of("units.unknown", value=name, candidates="、".join(self.closest(name)) or "—",
                              **where)
        names = self.table.set_index("code").loc[sorted(found), "name"]
        return Problem.of("units.ambiguous", value=name, candidates="、".join(names), **where)

    def match(self, name: object) -> str:
        problem = self.problem_for(name)
        if problem is not None:
            raise InputError([problem])
        return self.lookup(name)  # type: ignore[return-value]

    # -- attributes -----------------------------------------------------------
    def row(self, code: str) -> pd.Series:
        return self.table.set_index("code").loc[code]

    def name_of(self, code: str, lang: str = "zh") -> str:
        return str(self.row(code)["name_short" if lang == "zh" else "name_en"])

    def region_of(self, codes, scheme: str = "region4") -> pd.Series:
        return self.table.set_index("code").loc[list(codes), scheme]

    def subset(self, codes) -> "UnitRegistry":
        keep = self.table[self.table["code"].isin(set(codes))]
        kept = frozenset(keep["code"])
        index = {k: v & kept for k, v in self._index.items()}
        return UnitRegistry(self.kind, keep.reset_index(drop=True),
                            {k: v for k, v in index.items() if v})

    @property
    def codes(self) -> list[str]:
        return list(self.table["code"])

    def __len__(self) -> int:
        return len(self.table)


@lru_cache(maxsize=1)
def provinces() -> UnitRegistry:
    """The 31 provincial units and the XPCC (code 660000 by convention, West)."""
    ref = read_reference("province_regions.csv")
    table = pd.DataFrame({
        "code": ref["code"], "name": ref["name_full"], "name_short": ref["name_short"],
        "name_en": ref["name_en"], "group": ref["unit_type"], "province": ref["name_short"],
        "region4": ref["region4_nbs"], "region3": ref["region3_post2000"],
    })
    aliases = {c: [a for a in al.split("|") if a] + [code2]
               for c, al, code2 in zip(ref["code"], ref["aliases"], ref["code2"])}
    abbreviations = {c: [x for x in (a, b) if x] for c, a, b in zip(ref["code"], ref["abbr"], ref["alt_abbr"])}
    return UnitRegistry.build("provinces", table, aliases, abbreviations)


@lru_cache(maxsize=1)
def key_cities() -> pd.DataFrame:
    return read_reference("key_cities.csv")


#: City groups: the 36 key cities, the other prefecture-level units (地级市, 自治州, 地区, 盟) and
#: the county-level units administered directly by a province (省直辖县级行政单位, incl. the
#: XPCC cities), which are not prefecture-level cities.
CITY_GROUPS = ("key", "prefecture", "county_level")
_COUNTY_LEVEL_TYPE = "province_administered_county_level"


def _city_group(code: str, unit_type: str, keys: set[str]) -> str:
    if code in keys:
        return "key"
    return "county_level" if unit_type == _COUNTY_LEVEL_TYPE else "prefecture"


@lru_cache(maxsize=1)
def cities() -> UnitRegistry:
    """City-level units; ``group`` is ``key`` for the 36 key cities, ``county_level`` for the
    30 county-level units administered by a province, else ``prefecture``.

    Short names drop the unit type and, for autonomous units, the ethnic names
    (恩施土家族苗族自治州 → 恩施; aliases 恩施州, 恩施土家族苗族): see :mod:`.city_names`.
    Region comes from the unit's province (XPCC cities belong to 新疆 and so to the West).

    >>> reg = cities()
    >>> [reg.name_of(reg.match(n)) for n in ("恩施州", "大理", "海北州", "锡林郭勒", "阿里")]
    ['恩施', '大理', '海北', '锡林郭勒', '阿里']
    >>> reg.row(reg.match("石河子"))["group"], reg.table["group"].value_counts().to_dict()
    ('county_level', {'prefecture': 301, 'key': 36, 'county_level': 30})
    """
    return city_registry(read_reference("city_units.csv"))


def city_registry(ref: pd.DataFrame) -> UnitRegistry:
    """A city registry from a reference table (code, name, province, unit_type), as :func:`cities`.

    Two units sharing a short name or alias make that name ambiguous: matching it is a
    problem listing both (``units.ambiguous``), never a guess.
    """
    from .city_names import city_aliases, city_short_name

    prov = provinces()
    prov_code = [prov.lookup(p) for p in ref["province"]]
    prov_rows = prov.table.set_index("code").loc[prov_code]
    keys = set(key_cities()["code"])
    table = pd.DataFrame({
        "code": ref["code"], "name": ref["name"],
        "name_short": [city_short_name(n) for n in ref["name"]],
        "name_en": "", "group": [_city_group(c, t, keys) for c, t in zip(ref["code"], ref["unit_type"])],
        "province": list(prov_rows["name_short"]), "region4": list(prov_rows["region4"]),
        "region3": list(prov_rows["region3"]),
    })
    table["unit_type"] = ref["unit_type"]
    aliases = {c: city_aliases(n) for c, n in zip(ref["code"], ref["name"])}
    return UnitRegistry.build("cities", table, aliases)


#: The built-in unit lists by the name a study or framework gives (``units: provinces``); any
#: other spec is ``cities:<groups>`` or a unit list file.
BUILTIN_UNITS: Mapping[str, Callable[[], UnitRegistry]] = MappingProxyType({"provinces": provinces,
                                                                           "cities": cities})


def population_groups(spec: str | Path) -> tuple[str, ...] | None:
    """The city groups a unit spec restricts to (``cities:key,prefecture`` → ("key",
    "prefecture")), else None.

    >>> population_groups("cities:key,prefecture"), population_groups("cities")
    (('key', 'prefecture'), None)
    """
    head, sep, tail = str(spec).partition(":")
    if head != "cities" or not sep:
        return None
    return tuple(g.strip() for g in tail.split(",") if g.strip())


def is_unit_file(spec: str | Path) -> bool:
    """Whether a unit spec names a file: not one of :data:`BUILTIN_UNITS` and not
    ``cities:<groups>``.

    >>> is_unit_file("provinces"), is_unit_file("cities:key"), is_unit_file("my_units.csv")
    (False, False, True)
    """
    return str(spec) not in BUILTIN_UNITS and population_groups(spec) is None


def load_units(spec: str | Path, base: Path | None = None) -> UnitRegistry:
    """``provinces``, ``cities``, ``cities:<group>,<group>…`` (the city-level units of those
    groups, e.g. ``cities:key,prefecture`` — the 36 key and 301 other prefecture-level
    cities; still of kind ``cities``) or a CSV/XLSX file with at least ``code`` and ``name``.

    Optional columns: name_short, name_en, group, province, region4, region3, aliases
    (``|``-separated). Missing regions are taken from ``province`` when it names a
    provincial unit.
    """
    if str(spec) in BUILTIN_UNITS:
        return BUILTIN_UNITS[str(spec)]()
    groups = population_groups(spec)
    if groups is not None:
        unknown = [g for g in groups if g not in CITY_GROUPS]
        if unknown or not groups:
            raise InputError([Problem.of("units.city_groups", value=str(spec), groups=", ".join(CITY_GROUPS))])
        table = cities().table
        return cities().subset(table.loc[table["group"].isin(groups), "code"])
    from ..io.readers import read_table

    path = Path(spec) if base is None else (base / spec)
    raw = read_table(path)
    frame = raw.frame
    problems = []
    for col in ("code", "name"):
        if col not in frame.columns:
            problems.append(Problem.of("units.file_column", file=path, column=col))
    if problems:
        raise InputError(problems)
    table = pd.DataFrame({"code": frame["code"].str.strip(), "name": frame["name"].str.strip()})
    for col in ("name_short", "name_en", "group", "province", "region4", "region3"):
        table[col] = frame[col].str.strip() if col in frame.columns else ""
    prov = provinces()
    for i, p in enumerate(table["province"]):
        code = prov.lookup(p) if p else None
        if code:
            for scheme in ("region4", "region3"):
                if not table.at[i, scheme]:
                    table.at[i, scheme] = prov.row(code)[scheme]
    dup = table["code"][table["code"].duplicated()]
    if len(dup):
        raise InputError([Problem.of("units.duplicate_code", file=path, column="code", value=c) for c in dup])
    aliases = {}
    if "aliases" in frame.columns:
        aliases = {c: [a for a in str(al).split("|") if a] for c, al in zip(table["code"], frame["aliases"])}
    builtin = None if aliases else _builtin_subset(table)
    return builtin if builtin is not None else UnitRegistry.build("custom", table, aliases)


def _builtin_subset(table: pd.DataFrame) -> UnitRegistry | None:
    """The built-in registry restricted to the file's units, when the file lists built-in
    units (same code, a name of that unit, the same group if one is given) — so a survey
    population of cities keeps the cities' adjacency, map and regions; else None."""
    for registry in (provinces(), cities()):
        known = registry.table.set_index("code")
        if not table["code"].isin(known.index).all():
            continue
        same = all(registry.lookup(name) == code and (not group or group == known.at[code, "group"])
                   for code, name, group in zip(table["code"], table["name"], table["group"]))
        if same:
            return registry.subset(table["code"])
    return None
