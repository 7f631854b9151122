"""Settings declared once — (name, default, help, choices, type) — and merged with one rule.

defaults < study file < command line. Unknown keys fail at start with a hint
(the closest known key); a value outside its ``choices`` or not of its ``type``
(:data:`TYPES`: ``bool`` must be a real YAML true/false, not the text "no"; ``number``,
``int``, ``int>=0``, ``int>=1``, ``k_range``, ``labels``, ``schemes``, ``name_or_file``)
is a problem naming the file, the key, the value and what is accepted — every problem
at once, for the study file and the command line alike. The same declarations drive
validation, ``egoveval settings`` and the documentation (datasette's ``SETTINGS``).

>>> merged = merge_settings({"cluster": {"k": 3}}, {"cluster.k": 5})
>>> merged["cluster"]["k"], merged["standardize"]["method"]
(5, 'z')
"""

from __future__ import annotations

import difflib
import math
import os
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from .errors import InputError, Problem
from .messages import bilingual, text

__all__ = ["Setting", "SETTINGS", "TYPES", "defaults", "merge_settings", "setting"]


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default, English help, and what it accepts — ``choices``
    (the value must be one of them) and/or ``type`` (a name in :data:`TYPES`); for a
    ``name_or_file`` setting, ``names`` are its built-in names (any other value is a file)."""

    name: str  # "section.key"
    default: Any
    help: str  # English help; the message catalogue holds user-facing wording
    choices: tuple | None = None
    type: str | None = None
    names: tuple[str, ...] = ()

    def file_of(self, value: Any) -> str | None:
        """The file a ``name_or_file`` value names (None for a built-in name or another type).

        >>> setting("coverage.benchmarks").file_of("published"), setting("coverage.benchmarks").file_of("b.csv")
        (None, 'b.csv')
        """
        if self.type != "name_or_file" or not isinstance(value, str) or value in self.names:
            return None
        return value

    @property
    def section(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def key(self) -> str:
        return self.name.split(".", 1)[1]


def _whole(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _text(v) -> bool:
    return isinstance(v, str) and v.strip() != ""


def _k_range(v) -> bool:
    return (isinstance(v, (list, tuple)) and len(v) == 2 and all(_whole(x) and x >= 1 for x in v)
            and 2 <= v[0] <= v[1])


def _labels(v) -> bool:
    """None, or a non-empty list whose items are a label (both languages) or a [zh, en] pair."""
    return v is None or (isinstance(v, list) and len(v) > 0 and all(
        _text(lab) or (isinstance(lab, list) and len(lab) == 2 and all(_text(x) for x in lab)) for lab in v))


def _schemes(v) -> bool:
    return isinstance(v, list) and len(v) > 0 and all(x in REGION_SCHEMES for x in v)


REGION_SCHEMES = ("nbs4", "belt3")  # the built-in region schemes (egoveval.regional.schemes.SCHEMES)


TYPES: Mapping[str, Callable[[Any], bool]] = {
    "bool": lambda v: isinstance(v, bool),
    "number": _number,
    "int": _whole,
    "int>=0": lambda v: _whole(v) and v >= 0,
    "int>=1": lambda v: _whole(v) and v >= 1,
    "name_or_file": _text,
    "k_range": _k_range,
    "labels": _labels,
    "schemes": _schemes,
}
"""Setting types by name; ``settings.expect.<name>`` in the message catalogue says in Chinese
and English what each accepts."""


_DECLARED: tuple[Setting, ...] = (
    Setting("quantify.unbuilt_value", 0, "Constant given to every indicator of a channel the unit has not built.",
            type="number"),
    Setting("quantify.missing", "error", "What to do with missing values: error, listwise deletion or mean imputation.",
            choices=("error", "listwise", "mean")),
    Setting("quantify.drop_constant", True, "Drop indicators that are constant across units (they cannot separate clusters).",
            type="bool"),
    Setting("standardize.method", "z", "Standardisation before distances (SPSS): z (n−1 SD), none, range01.",
            choices=("z", "none", "range01", "range11", "max1", "mean1", "sd1")),
    Setting("cluster.method", "ward", "Linkage method.",
            choices=("ward", "average", "complete", "single", "centroid", "median")),
    Setting("cluster.metric", "euclidean", "Distance between units.",
            choices=("euclidean", "sqeuclidean", "manhattan", "chebyshev", "correlation")),
    Setting("cluster.k", 4, "Number of clusters reported (the study's k).", type="int>=1"),
    Setting("cluster.k_range", [2, 8], "Range of k for memberships and diagnostics.", type="k_range"),
    Setting("cluster.diagnostics", True, "Choice of k, stability, ties, per-indicator tests and typed descriptions.",
            type="bool"),
    Setting("cluster.use_suggested_k", False, "Use the k most indices vote for instead of cluster.k (both are reported).",
            type="bool"),
    Setting("cluster.bootstrap", 200, "Bootstrap resamples for the clusterboot Jaccard stability (0 = off).",
            type="int>=0"),
    Setting("cluster.permutations", 100, "Random unit orders for the partition-stability check (0 = off).",
            type="int>=0"),
    Setting("cluster.gap_b", 100, "Reference data sets for the gap statistic.", type="int>=1"),
    Setting("cluster.seed", 20210301, "Seed for the gap statistic, bootstrap and permutations.",
            type="int"),
    Setting("cluster.jobs", max(1, min(2, os.cpu_count() or 1)), "Worker processes for the resampling loops of the "
            "diagnostics (default: min(2, CPUs)); the results do not depend on it.", type="int>=1"),
    Setting("types.labels", None, "Type labels per cluster rank (highest level first): "
            "each a label or a [zh, en] pair; overrides the defaults.", type="labels"),
    Setting("regions.schemes", ["nbs4", "belt3"], "Region schemes for the cluster × region count tables.",
            type="schemes"),
    Setting("regions.statistics", True, "Run the regional statistics (exact tests, inequality, Moran's I, LISA, maps).",
            type="bool"),
    Setting("regions.test_scheme", "nbs4", "Region scheme for the tests and inequality decomposition: nbs4, belt3 "
            "or a mapping file (unit, region).", type="name_or_file", names=REGION_SCHEMES),
    Setting("regions.hainan_link", False, "Add the Hainan–Guangdong sea link to the province adjacency.",
            type="bool"),
    Setting("regions.include_xpcc", False, "Keep the XPCC in the spatial statistics (it has no territory of its own).",
            type="bool"),
    Setting("regions.permutations", 999, "Permutations for Moran's I, LISA and the between-share test.",
            type="int>=1"),
    Setting("regions.seed", 20210301, "Seed for the permutation tests.", type="int"),
    Setting("index.enabled", True, "Build the composite index (channel sub-indices, ranks, tiers).",
            type="bool"),
    Setting("coverage.benchmarks", "auto", "Benchmark rates compared with the measured adoption rates of a "
            "channel × area survey: auto (the published 2014 figures for the built-in city-multichannel "
            "framework, else none), none, published, or a file (channel, area, group, rate, source).",
            type="name_or_file", names=("auto", "none", "published")),
    Setting("coverage.rank_method", "competition", "Ranking of the city coverage scores (ties: 1,1,3 or 1,1,2).",
            choices=("competition", "dense")),
    Setting("coverage.city_map", True, "Draw the city-level map of the coverage score.", type="bool"),
    Setting("report.lang", "both", "Report language.", choices=("zh", "en", "both")),
)

def _index_settings() -> tuple[Setting, ...]:
    """The composite index's options are declared once, in :data:`egoveval.index.build.INDEX_OPTIONS`."""
    from .index.build import INDEX_OPTIONS

    return tuple(Setting(f"index.{o.name}", o.default, o.help,
                         choices=o.choices if o.choices and None not in o.choices else None)
                 for o in INDEX_OPTIONS.values())


_DECLARED = _DECLARED + _index_settings()

SETTINGS: Mapping[str, Setting] = {s.name: s for s in _DECLARED}


def setting(name: str) -> Setting:
    return SETTINGS[name]


def defaults() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for s in _DECLARED:
        value = list(s.default) if isinstance(s.default, list) else s.default
        out.setdefault(s.section, {})[s.key] = value
    return out


def _problems_for(name: str, value: Any, origin: str) -> list[Problem]:
    if name not in SETTINGS:
        hint = difflib.get_close_matches(name, SETTINGS, n=1)
        return [Problem.of("settings.unknown", file=origin, column=name, value=value,
                           hint=hint[0] if hint else "—")]
    s = SETTINGS[name]
    if s.choices is not None and not any(_same(value, c) for c in s.choices):
        return [Problem.of("settings.choice", file=origin, column=name, value=value,
                           choices=", ".join(map(str, s.choices)))]
    if s.type is not None and not TYPES[s.type](value):
        return [Problem.of("settings.invalid", file=origin, column=name, value=value,
                           expected_zh=text(f"settings.expect.{s.type}", "zh"),
                           expected_en=text(f"settings.expect.{s.type}", "en"))]
    return []


def _same(value: Any, choice: Any) -> bool:
    """Equal and of the same kind: ``1`` is not the choice ``True``, ``"1"`` not ``1``."""
    return type(value) is type(choice) and value == choice


def merge_settings(study: Mapping[str, Mapping[str, Any]] | None = None,
                   cli: Mapping[str, Any] | None = None,
                   origin: str = "study") -> dict[str, dict[str, Any]]:
    """Merge defaults < study sections < command-line ``section.key`` overrides.

    Every unknown key or invalid value is reported at once as an :class:`InputError`.
    """
    merged = defaults()
    problems: list[Problem] = []
    for section, entries in (study or {}).items():
        if not isinstance(entries, Mapping):
            problems.append(Problem.of("settings.section", file=origin, column=section, value=entries))
            continue
        for key, value in entries.items():
            name = f"{section}.{key}"
            found = _problems_for(name, value, origin)
            problems.extend(found)
            if not found:
                merged[section][key] = value
    for name, value in (cli or {}).items():
        if value is None:
            continue
        found = _problems_for(name, value, bilingual("settings.origin_cli"))
        problems.extend(found)
        if not found:
            section, key = name.split(".", 1)
            merged[section][key] = value
    if problems:
        raise InputError(problems)
    return merged
