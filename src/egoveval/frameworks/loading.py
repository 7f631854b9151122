"""Loading and validating framework YAML files; Table 1 as a DataFrame.

Every problem in a framework file is reported at once (unknown keys with the
closest known one, duplicate ids, bad kinds, ranges, levels, weights, a version that is
not a whole number ≥ 1, a quantification rule that cannot apply to the indicator's kind —
:data:`~egoveval.frameworks.schema.ALLOWED_QUANTIFICATIONS`).

Optional service areas: a top-level ``areas`` list (``id``, ``name_zh``, ``name_en``,
``definition``) declares areas that indicators cross with their channel; an indicator
names its area with ``area: <id>`` (see the built-in ``city-multichannel``). Frameworks
without areas are unaffected.

>>> fw = load_framework("provincial-channels")
>>> len(fw.channels), len(fw.indicators)
(5, 16)
"""

from __future__ import annotations

import difflib
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..errors import InputError, Problem
from ..messages import catalogue, in_lang, text
from .schema import (ALLOWED_QUANTIFICATIONS, DEFAULT_QUANTIFICATION, KINDS, QUANTIFICATIONS, Area,
                     Channel, Framework, Indicator, Level)

__all__ = ["BUILTIN", "DEFAULT_FRAMEWORK", "builtin_ids", "load_framework", "parse_framework", "framework_table",
           "table1", "column_header", "range_text", "rule_text"]

DEFAULT_FRAMEWORK = "provincial-channels"  # the source study's indicator system

_BUILTIN_DIR = "builtin"
TOP_KEYS = {"id", "version", "name", "citation", "units", "channels", "default_source", "areas"}
CHANNEL_KEYS = {"id", "name_zh", "name_en", "weight", "can_be_unbuilt", "where", "indicators"}
INDICATOR_KEYS = {"id", "name_zh", "name_en", "kind", "unit", "direction", "range", "quantification",
                  "weight", "tolerance", "definition", "source", "levels", "decimals", "area"}
AREA_KEYS = {"id", "name_zh", "name_en", "definition"}


def builtin_ids() -> list[str]:
    folder = resources.files(__package__).joinpath(_BUILTIN_DIR)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


BUILTIN = builtin_ids


def load_framework(spec: str | Path, base: Path | None = None) -> Framework:
    """A built-in framework by id, or a YAML file (relative paths against ``base``)."""
    spec_s = str(spec)
    if spec_s in builtin_ids():
        res = resources.files(__package__).joinpath(_BUILTIN_DIR, f"{spec_s}.yaml")
        return parse_framework(yaml.safe_load(res.read_text(encoding="utf-8")), f"builtin:{spec_s}")
    path = Path(spec_s) if base is None or Path(spec_s).is_absolute() else base / spec_s
    if not path.exists():
        raise InputError([Problem.of("framework.not_found", file=path, value=spec_s,
                                     builtin=", ".join(builtin_ids()))])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError([Problem.of("framework.yaml", file=path, detail=str(exc).splitlines()[0])])
    return parse_framework(data, str(path))


def _unknown(keys, allowed, where, file, problems):
    for key in keys:
        if key not in allowed:
            hint = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            problems.append(Problem.of("framework.unknown_key", file=file, column=where, value=key,
                                       hint=hint[0] if hint else "—"))


def _bilingual(value: Any) -> tuple[str, str]:
    if isinstance(value, dict):
        return str(value.get("zh", "")), str(value.get("en", ""))
    return (str(value), str(value)) if value is not None else ("", "")


def _number(value, where, file, problems, *, allow_none=False) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(Problem.of("framework.not_number", file=file, column=where, value=value))
        return None
    return float(value)


def _levels(raw, where, file, problems) -> tuple[Level, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        problems.append(Problem.of("framework.levels", file=file, column=where, value=raw))
        return ()
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or "value" not in item or "zh" not in item:
            problems.append(Problem.of("framework.levels", file=file, column=f"{where}[{i}]", value=item))
            continue
        if isinstance(item["value"], bool) or not isinstance(item["value"], int):
            problems.append(Problem.of("framework.level_value", file=file, column=f"{where}[{i}]",
                                       value=item["value"]))
            continue
        out.append(Level(item["value"], str(item["zh"]), str(item.get("en", item["zh"])),
                         tuple(str(a) for a in item.get("aliases", []) or [])))
    values = [lv.value for lv in out]
    if len(set(values)) != len(values):
        problems.append(Problem.of("framework.level_duplicate", file=file, column=where, value=values))
    return tuple(out)


def _areas(raw, file, problems) -> tuple[Area, ...]:
    """The optional top-level ``areas`` list."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        problems.append(Problem.of("framework.areas", file=file, column="areas", value=raw))
        return ()
    out, seen = [], set()
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not item.get("id") or not item.get("name_zh"):
            problems.append(Problem.of("framework.area_mapping", file=file, column=f"areas[{i}]", value=item))
            continue
        aid = str(item["id"])
        _unknown(item, AREA_KEYS, f"areas.{aid}", file, problems)
        if aid in seen:
            problems.append(Problem.of("framework.duplicate_area", file=file, column="areas", value=aid))
            continue
        seen.add(aid)
        def_zh, def_en = _bilingual(item.get("definition"))
        out.append(Area(aid, str(item["name_zh"]), str(item.get("name_en", aid)), def_zh, def_en))
    return tuple(out)


def _indicator(raw, channel_id, default_source, file, problems) -> Indicator | None:
    where = f"{channel_id}.{raw.get('id', '?')}" if isinstance(raw, dict) else channel_id
    if not isinstance(raw, dict):
        problems.append(Problem.of("framework.indicator_mapping", file=file, column=where, value=raw))
        return None
    _unknown(raw, INDICATOR_KEYS, where, file, problems)
    for key in ("id", "name_zh", "kind"):
        if not raw.get(key):
            problems.append(Problem.of("framework.required", file=file, column=where, value=key))
    kind = raw.get("kind")
    if kind and kind not in KINDS:
        hint = difflib.get_close_matches(str(kind), KINDS, n=1)
        problems.append(Problem.of("framework.kind", file=file, column=where, value=kind,
                                   kinds=", ".join(KINDS), hint=hint[0] if hint else "—"))
        kind = None
    direction = raw.get("direction", 1)
    if direction not in (1, -1):
        problems.append(Problem.of("framework.direction", file=file, column=where, value=direction))
        direction = 1
    rng = raw.get("range", [None, None])
    lo = hi = None
    if not (isinstance(rng, list) and len(rng) == 2):
        problems.append(Problem.of("framework.range", file=file, column=where, value=rng))
    else:
        lo = _number(rng[0], where, file, problems, allow_none=True)
        hi = _number(rng[1], where, file, problems, allow_none=True)
        if lo is not None and hi is not None and lo > hi:
            problems.append(Problem.of("framework.range", file=file, column=where, value=rng))
    quant = raw.get("quantification", DEFAULT_QUANTIFICATION.get(kind or "", "as_is"))
    if quant not in QUANTIFICATIONS:
        problems.append(Problem.of("framework.quantification", file=file, column=where, value=quant,
                                   rules=", ".join(QUANTIFICATIONS)))
    elif kind and quant not in ALLOWED_QUANTIFICATIONS[kind]:
        problems.append(Problem.of("framework.quantification_kind", file=file, column=where, value=quant,
                                   kind=kind, rules=", ".join(ALLOWED_QUANTIFICATIONS[kind])))
    levels = _levels(raw.get("levels"), where, file, problems)
    if kind in ("ordinal", "multi_choice") and not levels:
        problems.append(Problem.of("framework.levels_required", file=file, column=where, value=kind))
    weight = _number(raw.get("weight", 1), where, file, problems)
    if weight is not None and weight < 0:
        problems.append(Problem.of("framework.weight", file=file, column=where, value=weight))
    tol = raw.get("tolerance", {}) or {}
    if not isinstance(tol, dict) or set(tol) - {"abs", "rel"}:
        problems.append(Problem.of("framework.tolerance", file=file, column=where, value=tol))
        tol = {}
    t_abs = _number(tol.get("abs", 0), where, file, problems) or 0.0
    t_rel = _number(tol.get("rel", 0), where, file, problems) or 0.0
    source = raw.get("source", default_source)
    if source not in ("text", "addition"):
        problems.append(Problem.of("framework.source", file=file, column=where, value=source))
    decimals = raw.get("decimals")
    if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0):
        problems.append(Problem.of("framework.decimals", file=file, column=where, value=decimals))
        decimals = None
    unit_zh, unit_en = _bilingual(raw.get("unit"))
    def_zh, def_en = _bilingual(raw.get("definition"))
    if kind is None or not raw.get("id"):
        return None
    return Indicator(
        id=str(raw["id"]), name_zh=str(raw.get("name_zh", "")), name_en=str(raw.get("name_en", raw["id"])),
        channel=channel_id, kind=kind, unit_zh=unit_zh, unit_en=unit_en, direction=direction,
        range=(lo, hi), quantification=quant, weight=weight if weight is not None else 1.0,
        tolerance_abs=t_abs, tolerance_rel=t_rel, definition_zh=def_zh, definition_en=def_en,
        source=source, levels=levels, area=str(raw.get("area") or ""),
        decimals=decimals if decimals is not None else (0 if kind in ("count", "binary", "ordinal", "multi_choice", "date") else 2),
    )


def parse_framework(data: Any, file: str = "") -> Framework:
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InputError([Problem.of("framework.top", file=file, value=type(data).__name__)])
    _unknown(data, TOP_KEYS, "framework", file, problems)
    for key in ("id", "name", "channels"):
        if key not in data:
            problems.append(Problem.of("framework.required", file=file, column="framework", value=key))
    version = data.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.append(Problem.of("framework.version", file=file, column="version", value=version))
        version = 1
    default_source = data.get("default_source", "addition")
    areas = _areas(data.get("areas"), file, problems)
    area_ids = [a.id for a in areas]
    channels: list[Channel] = []
    seen_ind: set[str] = set()
    seen_ch: set[str] = set()
    raw_channels = data.get("channels") or []
    if not isinstance(raw_channels, list) or not raw_channels:
        problems.append(Problem.of("framework.channels", file=file, column="channels", value=raw_channels))
        raw_channels = []
    for raw in raw_channels:
        if not isinstance(raw, dict):
            problems.append(Problem.of("framework.channel_mapping", file=file, column="channels", value=raw))
            continue
        cid = str(raw.get("id", ""))
        _unknown(raw, CHANNEL_KEYS, cid or "channel", file, problems)
        if not cid or not raw.get("name_zh"):
            problems.append(Problem.of("framework.required", file=file, column=cid or "channel",
                                       value="id/name_zh"))
        if cid in seen_ch:
            problems.append(Problem.of("framework.duplicate_channel", file=file, column=cid, value=cid))
        seen_ch.add(cid)
        indicators = []
        raw_inds = raw.get("indicators") or []
        if not isinstance(raw_inds, list) or not raw_inds:
            problems.append(Problem.of("framework.indicators", file=file, column=cid, value=raw_inds))
            raw_inds = []
        for raw_ind in raw_inds:
            raw_id = raw_ind.get("id") if isinstance(raw_ind, dict) else None
            if raw_id is not None:
                if str(raw_id) in seen_ind:
                    problems.append(Problem.of("framework.duplicate_indicator", file=file, column=cid, value=raw_id))
                seen_ind.add(str(raw_id))
            ind = _indicator(raw_ind, cid, default_source, file, problems)
            if ind is not None and ind.area and ind.area not in area_ids:
                hint = difflib.get_close_matches(ind.area, area_ids, n=1)
                problems.append(Problem.of("framework.unknown_area", file=file, column=f"{cid}.{ind.id}",
                                           value=ind.area, areas=", ".join(area_ids) or "—",
                                           hint=hint[0] if hint else "—"))
            if ind is not None:
                indicators.append(ind)
        weight = _number(raw.get("weight", 1), cid, file, problems)
        where_zh, where_en = _bilingual(raw.get("where"))
        channels.append(Channel(cid, str(raw.get("name_zh", "")), str(raw.get("name_en", cid)),
                                tuple(indicators), weight if weight is not None else 1.0,
                                bool(raw.get("can_be_unbuilt", False)), where_zh, where_en))
    if problems:
        raise InputError(problems)
    name_zh, name_en = _bilingual(data["name"])
    cit_zh, cit_en = _bilingual(data.get("citation"))
    return Framework(str(data["id"]), name_zh, name_en, tuple(channels), str(data.get("units", "provinces")),
                     version, cit_zh, cit_en, file, areas=areas)


_NO_RANGE_KINDS = ("binary", "ordinal", "multi_choice", "date")  # a range applies to numbers only


def range_text(ind: Indicator) -> str:
    """An indicator's range as written in Table 1: ``[0, 5]``, ``≥ 0``, ``≤ 1``, or blank
    when it has no bound or its kind takes no range (dates and categories).

    >>> fw = load_framework("provincial-channels")
    >>> [range_text(fw.indicator(i)) for i in ("android_rating", "android_downloads", "ios_release", "mp_wechat")]
    ['[0, 5]', '≥ 0', '', '']
    """
    lo, hi = ind.range
    if ind.kind == "count" and lo is None:
        lo = 0.0  # counts are never negative (cells.py checks this too)
    if ind.kind in _NO_RANGE_KINDS or (lo is None and hi is None):
        return ""
    if lo is not None and hi is not None:
        return f"[{_fmt(lo)}, {_fmt(hi)}]"
    return f"≥ {_fmt(lo)}" if lo is not None else f"≤ {_fmt(hi)}"


def rule_text(ind: Indicator, lang: str) -> str:
    """How an indicator becomes a number, in words (the study's Table-2 rule): the level
    codes of a yes/no or ordinal indicator, else the catalogue's wording of its rule
    (``quantify.rule.<rule>``).

    >>> fw = load_framework("provincial-channels")
    >>> rule_text(fw.indicator("mp_wechat"), "zh"), rule_text(fw.indicator("ios_release"), "en")
    ('是=1；否=0', 'whole months before the collection date')
    """
    levels = ind.all_levels()
    if levels and ind.quantification in ("binary", "levels", "as_is"):
        if lang == "zh":
            return "；".join(f"{lv.zh}={lv.value}" for lv in levels)
        return "; ".join(f"{lv.en} = {lv.value}" for lv in levels)
    return text(f"quantify.rule.{ind.quantification}", lang)


def framework_table(fw: Framework) -> pd.DataFrame:
    """Table 1: the indicator system, one row per indicator (with ``area_id``, ``area_zh``,
    ``area_en`` after the indicator columns when the framework declares areas); the
    quantification rule also in words (``rule_zh``, ``rule_en``)."""
    rows = []
    areas = {a.id: a for a in fw.areas}
    for ch in fw.channels:
        for ind in ch.indicators:
            levels = "; ".join(f"{lv.value}={lv.zh}/{lv.en}" for lv in ind.all_levels())
            row = {
                "channel_id": ch.id, "channel_zh": ch.name_zh, "channel_en": ch.name_en,
                "indicator_id": ind.id, "indicator_zh": ind.name_zh, "indicator_en": ind.name_en,
            }
            if areas:
                area = areas.get(ind.area)
                row.update({"area_id": ind.area, "area_zh": area.name_zh if area else "",
                            "area_en": area.name_en if area else ""})
            rows.append({
                **row,
                "kind": ind.kind, "unit_zh": ind.unit_zh, "unit_en": ind.unit_en,
                "direction": ind.direction,
                "range": range_text(ind),
                "quantification": ind.quantification, "rule_zh": rule_text(ind, "zh"),
                "rule_en": rule_text(ind, "en"), "levels": levels, "weight": ind.weight,
                "channel_weight": ch.weight, "tolerance_abs": ind.tolerance_abs,
                "tolerance_rel": ind.tolerance_rel, "definition_zh": ind.definition_zh,
                "definition_en": ind.definition_en, "source": ind.source,
                "channel_can_be_unbuilt": ch.can_be_unbuilt,
            })
    return pd.DataFrame(rows)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def table1(fw: Framework) -> pd.DataFrame:
    """Table 1 for people (``egoveval framework export``): :func:`framework_table` with
    bilingual headers from the column catalogue (``column.<name>``: "中文 / English")."""
    table = framework_table(fw)
    return table.rename(columns={c: column_header(c) for c in table.columns})


def column_header(column: str, lang: str = "both") -> str:
    """A Table-1 column's header from the column catalogue (``column.<name>``) in ``lang``
    (``both``: "中文 / English"); the column name itself when the catalogue lacks it.

    >>> column_header("channel_zh"), column_header("channel_en", "en"), column_header("x_synthetic")
    ('一级指标（渠道） / Channel (Chinese)', 'Channel', 'x_synthetic')
    """
    key = f"column.{column}"
    return in_lang(key, lang) if key in catalogue() else column
