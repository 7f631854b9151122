"""Settings declared once — (name, default, help, check) — and merged with one rule.

defaults < study file < command line. Unknown keys fail at start with a hint
(the closest known key). The same declarations drive validation, ``--help`` and
the documentation (datasette's ``SETTINGS``).

>>> merged = merge_settings({"cluster": {"k": 3}}, {"cluster.k": 5})
>>> merged["cluster"]["k"], merged["standardize"]["method"]
(5, 'z')
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from .errors import InputError, Problem

__all__ = ["Setting", "SETTINGS", "defaults", "merge_settings", "setting"]


@dataclass(frozen=True)
class Setting:
    name: str  # "section.key"
    default: Any
    help: str  # English help; the message catalogue holds user-facing wording
    choices: tuple | None = None
    check: Callable[[Any], bool] | None = None
    check_text: str = ""

    @property
    def section(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def key(self) -> str:
        return self.name.split(".", 1)[1]


def _positive_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 1


def _k_range(v) -> bool:
    return (isinstance(v, (list, tuple)) and len(v) == 2 and all(_positive_int(x) for x in v)
            and 2 <= v[0] <= v[1])


_DECLARED: tuple[Setting, ...] = (
    Setting("quantify.unbuilt_value", 0, "Constant given to every indicator of a channel the unit has not built."),
    Setting("quantify.missing", "error", "What to do with missing values: error, listwise deletion or mean imputation.",
            choices=("error", "listwise", "mean")),
    Setting("quantify.drop_constant", True, "Drop indicators that are constant across units (they cannot separate clusters)."),
    Setting("standardize.method", "z", "Standardisation before distances (SPSS): z (n−1 SD), none, range01.",
            choices=("z", "none", "range01", "range11", "max1", "mean1", "sd1")),
    Setting("cluster.method", "ward", "Linkage method.",
            choices=("ward", "average", "complete", "single", "centroid", "median")),
    Setting("cluster.metric", "euclidean", "Distance between units.",
            choices=("euclidean", "sqeuclidean", "manhattan", "chebyshev", "correlation")),
    Setting("cluster.k", 4, "Number of clusters reported (the study's k).", check=_positive_int,
            check_text="a whole number ≥ 1"),
    Setting("cluster.k_range", [2, 8], "Range of k for memberships and diagnostics.", check=_k_range,
            check_text="[low, high] with 2 ≤ low ≤ high"),
    Setting("cluster.diagnostics", True, "Choice of k, stability, ties, per-indicator tests and typed descriptions."),
    Setting("cluster.use_suggested_k", False, "Use the k most indices vote for instead of cluster.k (both are reported)."),
    Setting("cluster.bootstrap", 200, "Bootstrap resamples for the clusterboot Jaccard stability (0 = off).",
            check=lambda v: isinstance(v, int) and v >= 0, check_text="a whole number ≥ 0"),
    Setting("cluster.permutations", 100, "Random unit orders for the partition-stability check (0 = off).",
            check=lambda v: isinstance(v, int) and v >= 0, check_text="a whole number ≥ 0"),
    Setting("cluster.gap_b", 100, "Reference data sets for the gap statistic.", check=_positive_int,
            check_text="a whole number ≥ 1"),
    Setting("cluster.seed", 20210301, "Seed for the gap statistic, bootstrap and permutations.",
            check=lambda v: isinstance(v, int), check_text="a whole number"),
    Setting("types.labels", None, "Type labels per cluster rank (highest level first); overrides the defaults."),
    Setting("regions.schemes", ["nbs4", "belt3"], "Region schemes for the cluster × region count tables."),
    Setting("regions.statistics", True, "Run the regional statistics (exact tests, inequality, Moran's I, LISA, maps)."),
    Setting("regions.test_scheme", "nbs4", "Region scheme for the tests and inequality decomposition: nbs4, belt3 "
            "or a mapping file (unit, region)."),
    Setting("regions.hainan_link", False, "Add the Hainan–Guangdong sea link to the province adjacency."),
    Setting("regions.include_xpcc", False, "Keep the XPCC in the spatial statistics (it has no territory of its own)."),
    Setting("regions.permutations", 999, "Permutations for Moran's I, LISA and the between-share test.",
            check=_positive_int, check_text="a whole number ≥ 1"),
    Setting("regions.seed", 20210301, "Seed for the permutation tests.", check=lambda v: isinstance(v, int),
            check_text="a whole number"),
    Setting("index.enabled", True, "Build the composite index (channel sub-indices, ranks, tiers)."),
    Setting("coverage.benchmarks", "auto", "Benchmark rates compared with the measured adoption rates of a "
            "channel × area survey: auto (the published 2014 figures for the built-in city-multichannel "
            "framework, else none), none, published, or a file (channel, area, group, rate, source).",
            check=lambda v: isinstance(v, str) and v.strip() != "", check_text="auto, none, published or a file name"),
    Setting("coverage.rank_method", "competition", "Ranking of the city coverage scores (ties: 1,1,3 or 1,1,2).",
            choices=("competition", "dense")),
    Setting("coverage.city_map", True, "Draw the city-level map of the coverage score."),
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
    if s.choices is not None and value not in s.choices:
        return [Problem.of("settings.choice", file=origin, column=name, value=value,
                           choices=", ".join(map(str, s.choices)))]
    if s.check is not None and not s.check(value):
        return [Problem.of("settings.invalid", file=origin, column=name, value=value,
                           expected=s.check_text)]
    return []


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
        found = _problems_for(name, value, "command line")
        problems.extend(found)
        if not found:
            section, key = name.split(".", 1)
            merged[section][key] = value
    if problems:
        raise InputError(problems)
    return merged
