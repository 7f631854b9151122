"""The structure of the report as data: which tables and figures go into which section.

Sections follow the source study (Tables 1–5) and then the diagnostics, the index, the
regional analysis, the city survey and the methods. An entry names a table or figure, or
a pattern (``regional_*``) that collects the rest of a stage's outputs; the first entry
that matches takes an item (the appendix's entries claim theirs first, so a section's
pattern does not pull in the detail tables the appendix names). A section appears when any of its items is in the Result
(that is, when its stage ran); warnings go to the section whose prefixes match their
message key (the longest matching prefix wins; the rest go to "data quality"). Tables that no section names are rendered
generically in the appendix, so nothing is lost.

Per table, ``columns`` chooses the columns shown in the HTML report (the workbook and the
CSV keep them all), ``group`` merges repeated values of the first column (the channel of
Table 1), ``min_decimals`` gives indicator columns at least that many decimals (means) and
``formats`` declares the format of numeric columns (``"*"``: all). ``max_rows`` caps the
rows printed in the HTML/PDF report (:data:`MAX_ROWS` unless an entry says otherwise;
``None``: all rows): a longer table shows its first rows and a line naming the workbook
sheet and the CSV file that hold it whole, and it is placed after the section's figures
and short tables. The workbook and the CSV files always hold every row.

:data:`CAPTION_QUALIFIERS` adds the outcome a table describes (and "details") to its
caption, so captions are unique: the regional tests of the development types and of the
composite index are two different tables.

>>> [s.id for s in SECTIONS][:3]
['framework', 'data', 'clusters']
>>> find_entry("regional_lisa", "table")[0].id
'regions'
>>> find_entry("something_new", "table") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Mapping

from .formats import Fmt

__all__ = ["Entry", "Section", "SECTIONS", "APPENDIX", "MAX_ROWS", "CAPTION_QUALIFIERS", "find_entry",
           "caption_qualifiers", "T", "F", "V"]

#: Rows of a table printed in the HTML/PDF report (the workbook and the CSV keep all rows).
MAX_ROWS = 50


@dataclass(frozen=True)
class Entry:
    name: str  # a table/figure/value name or an fnmatch pattern
    kind: str  # table | figure | value
    columns: tuple[str, ...] | None = None
    group: bool = False
    min_decimals: int = 0
    formats: Mapping[str, Fmt] = field(default_factory=dict)
    max_rows: int | None = MAX_ROWS

    def matches(self, name: str, kind: str) -> bool:
        return kind == self.kind and fnmatchcase(name, self.name)


@dataclass(frozen=True)
class Section:
    id: str
    title: str  # message key
    intro: str | None  # message key
    entries: tuple[Entry, ...]
    warning_prefixes: tuple[str, ...] = ()


def T(name: str, **kw) -> Entry:  # noqa: N802 — short constructors keep the registry readable
    return Entry(name, "table", **kw)


def F(name: str) -> Entry:  # noqa: N802
    return Entry(name, "figure")


def V(name: str) -> Entry:  # noqa: N802
    return Entry(name, "value")


_Z = {"*": Fmt("float", 3)}
# the city survey (coverage stage): id columns are shown by their names, rates as percentages
_COV_CELL = ("channel_zh", "channel_en", "area_zh", "area_en")
_COV_RATE = ("n", "provided", "rate", "ci_low", "ci_high")
_COV_PCT = {c: Fmt("pct", 1) for c in ("rate", "ci_low", "ci_high", "measured", "benchmark", "difference",
                                       "rate_key", "rate_prefecture", "diff_ci_low", "diff_ci_high", "share_both")}
_ORDER = {"share_changed": Fmt("pct", 1), "ari_min": Fmt("float", 3), "ari_max": Fmt("float", 3)}

SECTIONS: tuple[Section, ...] = (
    Section("framework", "report.section.framework", "report.intro.framework", (
        T("framework", group=True, max_rows=None,
          columns=("channel_zh", "channel_en", "indicator_zh", "indicator_en", "kind", "unit_zh", "unit_en",
                   "direction", "levels", "definition_zh", "definition_en", "source")),
    )),
    Section("data", "report.section.data", "report.intro.data", (
        T("quantification_standard", group=True, max_rows=None,
          columns=("channel_zh", "channel_en", "indicator_zh", "indicator_en", "rule_zh", "rule_en",
                   "unbuilt_zh", "unbuilt_en")),
        T("reconciliation_agreement"), T("reconciliation_discrepancies"), T("reconciliation_audit"),
        T("reconciliation_*"), T("provenance"),
        T("unbuilt", columns=("unit", "name_zh", "name_en", "channel_zh", "channel_en", "value")),
        T("dropped"), T("missing_handled"),
    ), warning_prefixes=("pipeline.", "io.", "quantify.", "collect.", "validate.")),
    Section("clusters", "report.section.clusters", "report.intro.clusters", (
        T("membership"), T("cluster_sizes", columns=("cluster", "size", "members_zh", "members_en")),
        F("dendrogram"), T("schedule"),
        T("kstats"), T("kvotes"), T("gap"), F("kdiagnostics"), F("silhouette"), T("silhouette"),
        T("stability"), T("null_stability"), T("order_stability", formats=_ORDER), T("ties"),
    ), warning_prefixes=("cluster.", "pipeline.suggested_k")),
    Section("profiles", "report.section.profiles", "report.intro.profiles", (
        T("cluster_means", min_decimals=2), T("cluster_means_standardized", formats=_Z),
        F("heatmap"), F("profiles"), T("separation_tests"), T("strengths"),
    ), warning_prefixes=("profile.",)),
    Section("types", "report.section.types", "report.intro.types", (
        T("types", columns=("cluster", "rank", "label_zh", "label_en", "level", "size", "members_zh",
                            "members_en")),
        T("descriptions"),
    ), warning_prefixes=("types.", "describe.")),
    Section("index", "report.section.index", "report.intro.index", (
        T("index", columns=("code", "name_zh", "name_en", "score", "rank", "tier_zh", "tier_en",
                            "rank_p05", "rank_median", "rank_p95", "p_*")),
        T("index_tiers", columns=("tier_zh", "tier_en", "interval", "n_units")),
        F("index_ranks"), T("index_subindices", formats=_Z),
        F("index_heatmap"), T("index_sensitivity"), T("index_normalized", formats=_Z), T("index_weights"),
        T("index_pca_loadings"), T("index_outliers"), T("index_zeros"),
        T("index_*"), F("index_*"),
    ), warning_prefixes=("index.",)),
    Section("regions", "report.section.regions", "report.intro.regions", (
        T("regions_crosstab"), T("regional_*crosstab"), T("regional_*crosstab_tests"), T("regional_*by_region"),
        T("regional_*tests"), T("regional_*dunn"), T("regional_*inequality"), T("regional_*inequality_detail"),
        T("regional_*moran"), T("regional_*moran_detail"),
        F("map_types"), V("map_interactive_types"), F("map_clusters"), F("map_index"), V("map_interactive_index"),
        V("map_interactive"), T("regional_*lisa"),
        T("regional_*"), F("map_*"), F("regional_*"), V("map_*"),
    ), warning_prefixes=("regional.", "maps.")),
    # coverage: names (zh/en) instead of ids, rates as percentages; the workbook keeps every column
    Section("coverage", "report.section.coverage", "report.intro.coverage", (
        T("coverage_adoption", formats=_COV_PCT, columns=(*_COV_CELL, "group_zh", "group_en", *_COV_RATE)),
        T("coverage_by_region", formats=_COV_PCT,
          columns=(*_COV_CELL, "group_zh", "group_en", "region_zh", "region", *_COV_RATE)),
        T("coverage_comparison", formats=_COV_PCT,
          columns=(*_COV_CELL, "group_zh", "group_en", "n", "provided", "measured", "ci_low", "ci_high",
                   "benchmark", "difference", "within_ci", "binom_p")),
        T("coverage_gaps", columns=("code", "name_zh", "name_en", "group_zh", "group_en", "region_zh", "region",
                                    *_COV_CELL, "status_zh", "status_en")),
        T("coverage_city_scores", columns=("code", "name_zh", "name_en", "group_zh", "group_en", "province",
                                           "region_zh", "region", "observed", "provided", "score", "rank",
                                           "rank_in_group", "n_gaps", "channels_absent", "areas_uncovered")),
        F("coverage_heatmap"), F("coverage_map"),
        T("coverage_tests", formats=_COV_PCT,
          columns=(*_COV_CELL, "rate_key", "rate_prefecture", "difference", "diff_ci_low", "diff_ci_high",
                   "odds_ratio", "p", "p_holm")),
        T("coverage_region_tests", columns=(*_COV_CELL, "group_zh", "group_en", "regions", "n", "p", "p_holm",
                                            "cramers_v", "method_zh", "method_en")),
        T("coverage_cooccurrence", formats=_COV_PCT,
          columns=("scope_zh", "scope_en", "channel_a_zh", "channel_a_en", "channel_b_zh", "channel_b_en", "n",
                   "both", "a_only", "b_only", "neither", "share_both", "phi", "jaccard")),
        T("coverage_*"), F("coverage_*"),
    ), warning_prefixes=("coverage.",)),
)

#: Data tables shown after the methods; unknown tables and figures follow them.
APPENDIX = Section("appendix", "report.section.appendix", "report.intro.appendix", (
    T("quantified"), T("standardized", formats=_Z), T("heights"), T("regional_*tests_detail"),
    T("regional_*units"), T("observations"),
))


#: (table-name pattern, message key): every matching pattern adds its words to the caption,
#: in this order — "地区差异检验（综合指数；详细结果）" / "Tests of regional differences
#: (composite index; details)". A caption that already names them is left as it is.
CAPTION_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("regional_types_*", "report.outcome.types"),
    ("regional_index_*", "report.outcome.index"),
    ("*_detail", "report.caption.detail"),
)


def caption_qualifiers(name: str) -> tuple[str, ...]:
    """The message keys :data:`CAPTION_QUALIFIERS` adds to the caption of table ``name``.

    >>> caption_qualifiers("regional_index_tests_detail")
    ('report.outcome.index', 'report.caption.detail')
    >>> caption_qualifiers("membership")
    ()
    """
    return tuple(key for pattern, key in CAPTION_QUALIFIERS if fnmatchcase(name, pattern))


def find_entry(name: str, kind: str) -> tuple[Section, Entry] | None:
    """The section and entry that take ``name`` (the appendix first, then report order)."""
    for section in (APPENDIX, *SECTIONS):
        for entry in section.entries:
            if entry.matches(name, kind):
                return section, entry
    return None
