"""The regional stage: one outcome per unit → region tables, tests, inequality, Moran, LISA.

Layers (CONVENTIONS.md): the kernels live in :mod:`.exact`, :mod:`.groups`,
:mod:`.inequality`, :mod:`.spatial`; :func:`prepare_units` checks and matches the input
table; :func:`regional_analysis` computes everything for a numeric (``value``) or a
categorical (``category``) outcome and returns a frozen :class:`RegionalAnalysis`;
:func:`add_to_result` stores it in a :class:`~egoveval.result.Result`.

Defaults, all said in the notes: NBS four regions; XPCC in the West but left out of the
spatial statistics; Hainan without the sea link (an island with zero spatial lag);
999 permutations with seed ``DEFAULT_SEED``; units without a value left out and listed.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..messages import Message, msg, text
from .crosstab import category_order, crosstab
from .exact import EXACT_MAX_WORK
from .groups import anova_oneway, describe_by_group, dunn_holm, kruskal_wallis
from .inequality import between_share_test, inequality_detail, inequality_table
from .schemes import RegionScheme, region_scheme, registry_for
from .spatial import GUANGDONG, HAINAN, XPCC, adjacency_matrix, local_moran, moran, row_standardise

__all__ = ["DEFAULT_SEED", "DEFAULT_PERMUTATIONS", "RegionalOptions", "RegionalAnalysis",
           "prepare_units", "regional_analysis", "add_to_result", "TESTS_COLUMNS",
           "INEQUALITY_COLUMNS", "MORAN_COLUMNS", "MORAN_DETAIL_COLUMNS"]

DEFAULT_SEED = 20210301
DEFAULT_PERMUTATIONS = 999
TESTS_COLUMNS = ["test", "statistic", "df", "p", "effect"]
INEQUALITY_COLUMNS = ["measure", "total", "between", "within", "between_share"]
MORAN_COLUMNS = ["I", "expectation", "variance", "z", "p_randomisation", "p_permutation"]
MORAN_DETAIL_COLUMNS = ["n", "n_effective", "n_islands", "islands", "links", "hainan_link",
                        "xpcc", "excluded", "permutations", "seed", "alternative"]
_MISSING = {"", "na", "n/a", "nan", "null", "none", "-", "—", "/", "无", "缺失"}


@dataclass(frozen=True)
class RegionalOptions:
    """Settings of the regional stage (the CLI flags of ``egoveval regions``)."""

    units: str = "provinces"
    scheme: str = "nbs4"
    hainan_link: bool = False
    include_xpcc: bool = False
    permutations: int = DEFAULT_PERMUTATIONS
    seed: int = DEFAULT_SEED


@dataclass(frozen=True)
class RegionalAnalysis:
    """All regional tables of one outcome, the notes that go with them, and the inputs used."""

    outcome: str
    kind: str  # "value" or "category"
    data: pd.DataFrame
    tables: Mapping[str, pd.DataFrame]
    notes: tuple[Message, ...]
    options: RegionalOptions
    scheme: RegionScheme = field(repr=False)


# -- input checking --------------------------------------------------------------------

def _number(cell):
    """float, None for a blank/NA cell, or ``...`` for text that is not a number."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return None
    if isinstance(cell, bool):
        return ...
    if isinstance(cell, (int, float, np.integer, np.floating)):
        return float(cell)
    s = unicodedata.normalize("NFKC", str(cell)).strip().replace(",", "")
    if s.lower() in _MISSING:
        return None
    try:
        return float(s)
    except ValueError:
        return ...


def prepare_units(frame: pd.DataFrame, id_column: str, outcome: str, *, kind: str = "value",
                  weight: str | None = None, units: str = "provinces", scheme: str | Path = "nbs4",
                  file=None, rows=None) -> tuple[pd.DataFrame, RegionScheme]:
    """Match ids to units, parse the outcome (and weights), attach regions.

    Returns a frame with ``code, name, region, outcome, weight, row`` (outcome NaN/None when
    missing) and the scheme. Every problem — missing columns, unknown or ambiguous names,
    duplicates, non-numbers, units outside the scheme — is raised at once as an InputError.
    """
    if units not in ("provinces", "cities"):
        raise InputError([Problem.of("regional.units_choice", value=units)])
    columns = [str(c) for c in frame.columns]
    problems = [Problem.of("regional.column_missing", file=file, column=c, name=c, columns="、".join(columns))
                for c in (id_column, outcome, weight) if c is not None and c not in columns]
    if problems:
        raise InputError(problems)
    reg = registry_for(units)
    sch = region_scheme(scheme, reg)
    rows = list(rows) if rows is not None else list(range(2, len(frame) + 2))
    seen: dict[str, int] = {}
    out = []
    for pos, (ident, cell) in enumerate(zip(frame[id_column], frame[outcome])):
        row = rows[pos]
        if isinstance(ident, float) and ident.is_integer():
            ident = str(int(ident))  # a code read from a spreadsheet as a number
        if ident is None or (isinstance(ident, float) and math.isnan(ident)) or str(ident).strip() == "":
            continue
        where = dict(file=file, row=row)
        problem = reg.problem_for(str(ident).strip(), column=id_column, **where)
        if problem is not None:
            problems.append(problem)
            continue
        code = reg.lookup(str(ident).strip())
        if code in seen:
            problems.append(Problem.of("regional.duplicate_unit", column=id_column, value=ident,
                                       first=seen[code], **where))
            continue
        seen[code] = row
        if kind == "value":
            value = _number(cell)
            if value is ...:
                problems.append(Problem.of("regional.not_number", column=outcome, value=cell, **where))
                continue
        else:
            value = None if _number(cell) is None else unicodedata.normalize("NFKC", str(cell)).strip()
            if isinstance(cell, float) and not math.isnan(cell) and cell.is_integer():
                value = str(int(cell))
        w = 1.0
        if weight is not None:
            w = _number(frame[weight].iloc[pos])
            if w is ... or w is None or w < 0:
                problems.append(Problem.of("regional.weight_invalid", column=weight,
                                           value=frame[weight].iloc[pos], **where))
                continue
        region = sch.region_of(code)
        if region is None:
            problems.append(Problem.of("regional.no_region", column=id_column, value=ident, **where))
            continue
        out.append({"code": code, "name": reg.name_of(code), "region": region, "outcome": value,
                    "weight": w, "row": row})
    if problems:
        raise InputError(problems)
    data = pd.DataFrame(out, columns=["code", "name", "region", "outcome", "weight", "row"])
    if weight is not None:
        _check_weight_totals(data, weight, file)
    return data, sch


def _check_weight_totals(data: pd.DataFrame, weight: str, file) -> None:
    """Weights must give the units with a value, and every region among them, a positive
    total (shares w_i / Σw and region means μ_k are undefined otherwise)."""
    used = data[data["outcome"].notna()]
    if len(used) and used["weight"].sum() <= 0:
        raise InputError([Problem.of("regional.weight_all_zero", file=file, column=weight,
                                     value=f"Σ = {used['weight'].sum():g}")])
    totals = used.groupby("region", sort=False)["weight"].sum()
    problems = [Problem.of("regional.weight_region_zero", file=file, column=weight, value=region,
                           region=region) for region, total in totals.items() if total <= 0]
    if problems:
        raise InputError(problems)


# -- the analysis ----------------------------------------------------------------------

def regional_analysis(frame: pd.DataFrame, id_column: str, *, value: str | None = None,
                      category: str | None = None, weight: str | None = None,
                      options: RegionalOptions = RegionalOptions(), file=None,
                      rows=None, categories=None, category_names=None,
                      tests_only: bool = False) -> RegionalAnalysis:
    """Regional differentiation of one outcome column (exactly one of ``value``/``category``).

    Tables: ``by_region``, ``tests`` (``test, statistic, df, p, effect``), ``tests_detail``,
    ``inequality`` (``measure, total, between, within, between_share``),
    ``inequality_detail`` (per region, see :func:`~.inequality.inequality_detail`), ``moran``
    (``I, expectation, variance, z, p_randomisation, p_permutation``), ``moran_detail``
    (n used, islands, links, the Hainan and XPCC choices), ``lisa``, ``units`` (``status``:
    ``used``, ``missing``, ``not_spatial`` or ``island``); ``dunn`` for a value, ``crosstab``
    for a category (rows in the order of ``categories`` when given, e.g. development types
    by rank; else natural order; ``category_names`` — id → (zh, en) — adds ``category_zh``
    and ``category_en``).

    ``tests_only`` (a category outcome only): just ``crosstab``, ``by_region`` and the tests
    with their notes — the inequality measures and Moran's I/LISA are not defined for a
    category, so their tables (and ``units`` with its spatial status) are left out rather
    than filled with empty values.
    """
    if (value is None) == (category is None):
        raise ValueError("give exactly one of value= or category=")
    kind, outcome = ("value", value) if value is not None else ("category", category)
    if tests_only and kind != "category":
        raise ValueError("tests_only is for a category outcome")
    data, sch = prepare_units(frame, id_column, outcome, kind=kind, weight=weight, units=options.units,
                              scheme=options.scheme, file=file, rows=rows)
    present = data["outcome"].notna()
    used = data[present].reset_index(drop=True)
    regions = [r for r in sch.regions if (used["region"] == r).any()]
    if len(regions) < 2:
        raise InputError([Problem.of("regional.too_few_regions", file=file, count=len(regions))])
    counts = {r: int((used["region"] == r).sum()) for r in regions}
    notes = [msg("regional.note.scheme", scheme=sch.name,
                 regions="、".join(f"{sch.label(r, 'zh')} {n}" for r, n in counts.items()),
                 regions_en=", ".join(f"{sch.label(r, 'en')} {n}" for r, n in counts.items()))]
    missing = data[~present]
    if len(missing):
        notes.append(msg("regional.note.missing", count=len(missing), units="、".join(missing["name"])))
    tables: dict[str, pd.DataFrame] = {}
    if kind == "value":
        _value_tables(used, regions, sch, weight, options, tables, notes)
    else:
        _category_tables(used, regions, sch, options, tables, notes, outcome, categories, category_names,
                         empty_parts=not tests_only)
    if not tests_only:
        spatial_status = _spatial_tables(used, kind, sch, options, tables, notes, outcome)
        tables["units"] = _units_table(data, sch, spatial_status)
    return RegionalAnalysis(outcome, kind, data, MappingProxyType(tables), tuple(notes), options, sch)


def _labelled(frame: pd.DataFrame, sch: RegionScheme) -> pd.DataFrame:
    frame.insert(frame.columns.get_loc("region") + 1, "region_zh",
                 [sch.label(r, "zh") for r in frame["region"]])
    return frame


def _value_tables(used, regions, sch, weight, options, tables, notes) -> None:
    x = used["outcome"].to_numpy(dtype=float)
    g = used["region"].to_numpy(dtype=object)
    w = used["weight"].to_numpy(dtype=float) if weight else None
    tables["by_region"] = _labelled(describe_by_group(x, g, regions), sch)
    if np.all(x == x[0]):
        notes.append(msg("regional.note.constant", count=len(x), value=f"{x[0]:g}"))
    kw, av = kruskal_wallis(x, g, regions), anova_oneway(x, g, regions)
    rows = [dict(test=t.test, statistic=t.statistic, df=t.df, p=t.p, effect=t.effect,
                 df2=t.df2, effect_name=t.effect_name, method="asymptotic", replicates=0, seed=None)
            for t in (kw, av)]
    notes.append(msg("regional.note.kruskal", df1=int(av.df), df2=int(av.df2)))
    ineq = inequality_table(x, g, w)
    tables["inequality"] = ineq[INEQUALITY_COLUMNS]
    tables["inequality_detail"] = _labelled(inequality_detail(x, g, w, regions), sch)
    notes.append(msg("regional.note.inequality"))
    notes.append(msg("regional.note.weighted", column=weight) if weight else msg("regional.note.unweighted"))
    if np.any(x <= 0):
        notes.append(msg("regional.note.nonpositive"))
    if options.permutations > 0 and np.all(x >= 0):
        pt = between_share_test(x, g, w, measure="theil_t", permutations=options.permutations,
                                seed=options.seed)
        rows.append(dict(test="theil_t_between_share_permutation", statistic=pt.observed, df=np.nan,
                         p=pt.p, effect=pt.observed, df2=None, effect_name="between_share",
                         method="permutation", replicates=pt.permutations, seed=pt.seed))
        notes.append(msg("regional.note.theil_permutation", permutations=options.permutations,
                         seed=options.seed))
    detail = pd.DataFrame(rows)
    detail["seed"] = detail["seed"].astype("Int64")
    tables["tests"] = detail[TESTS_COLUMNS]
    tables["tests_detail"] = detail
    dunn = dunn_holm(x, g, regions)
    for col in ("region_b", "region_a"):
        dunn.insert(dunn.columns.get_loc(col) + 1, f"{col}_zh", [sch.label(r, "zh") for r in dunn[col]])
    tables["dunn"] = dunn


def _category_tables(used, regions, sch, options, tables, notes, outcome, categories=None, names=None,
                     empty_parts: bool = True) -> None:
    ct = crosstab(used["outcome"], used["region"], regions=regions, seed=options.seed,
                  order=categories)
    counts, pct = ct.counts, ct.row_pct
    wide = pd.concat([counts.add_prefix("n_"), counts.sum(axis=1).rename("n_total"),
                      pct.add_prefix("pct_")], axis=1).reset_index()
    total = {"category": "Total", **{f"n_{r}": int(counts[r].sum()) for r in regions},
             "n_total": int(counts.to_numpy().sum()),
             **{f"pct_{r}": 100 * counts[r].sum() / counts.to_numpy().sum() for r in regions}}
    tables["crosstab"] = pd.concat([wide, pd.DataFrame([total])], ignore_index=True)
    if names is not None:
        _with_category_names(tables["crosstab"], names)
    by_region = pd.DataFrame({"region": regions, "n": [int(counts[r].sum()) for r in regions]})
    for cat in counts.index:
        by_region[f"n_{cat}"] = [int(counts.at[cat, r]) for r in regions]
    for cat in counts.index:
        by_region[f"pct_{cat}"] = [100 * counts.at[cat, r] / max(counts[r].sum(), 1) for r in regions]
    tables["by_region"] = _labelled(by_region, sch)
    f = ct.fisher
    name = "fisher_freeman_halton_exact" if f.method == "exact" else "fisher_freeman_halton_monte_carlo"
    row = dict(test=name, statistic=np.nan, df=np.nan, p=f.p, effect=ct.cramers_v, df2=None,
               effect_name="cramers_v", method=f.method, replicates=f.replicates,
               seed=f.seed, se=f.se)
    tables["tests"] = pd.DataFrame([row])[TESTS_COLUMNS]
    tables["tests_detail"] = pd.DataFrame([row])
    if f.method == "exact":
        notes.append(msg("regional.note.fisher_exact"))
    else:
        notes.append(msg("regional.note.fisher_mc", max_work=f"{EXACT_MAX_WORK:,}",
                         replicates=f.replicates, seed=f.seed, se=f"{f.se:.2g}"))
    if empty_parts:
        tables["inequality"] = pd.DataFrame({"measure": ["cv", "gini", "theil_t", "theil_l"],
                                             **{c: np.nan for c in INEQUALITY_COLUMNS[1:]}})
        notes.append(msg("regional.note.spatial_categorical", column=outcome))


def _with_category_names(crosstab: pd.DataFrame, names) -> None:
    """``category_zh``/``category_en`` after ``category``: each id's names, the total row's
    from the catalogue (``value.regional.category.Total``)."""
    total = {lang: text("value.regional.category.Total", lang) for lang in ("zh", "en")}
    at = crosstab.columns.get_loc("category") + 1
    for j, lang in ((1, "en"), (0, "zh")):
        crosstab.insert(at, f"category_{lang}",
                        [total[lang] if c == "Total" else str(names.get(c, (c, c))[j]) for c in crosstab["category"]])


def _spatial_tables(used, kind, sch, options, tables, notes, outcome) -> dict[str, str]:
    """Moran and LISA; returns unit code → spatial status (``not_spatial`` / ``island``)."""
    status: dict[str, str] = {}
    provinces = options.units == "provinces"
    if provinces and (used["code"] == XPCC).any():
        if options.include_xpcc:
            notes.append(msg("regional.note.xpcc_island"))
        else:
            status[XPCC] = "not_spatial"
            notes.append(msg("regional.note.xpcc_excluded"))
    if options.hainan_link and not provinces:
        notes.append(msg("regional.note.hainan_link_cities"))
    sp = used[~used["code"].isin(status)].reset_index(drop=True)
    empty_lisa = pd.DataFrame(columns=["code", "name", "region", "region_zh", "value", "Ii", "z", "lag",
                                       "quadrant", "n_neighbours", "p_permutation", "cluster"])
    nan_moran = pd.DataFrame([{c: np.nan for c in MORAN_COLUMNS}])
    link = options.hainan_link and provinces
    detail = {"n": len(sp), "n_effective": np.nan, "n_islands": np.nan, "islands": "", "links": np.nan,
              "hainan_link": "yes" if link else ("no" if provinces else "n/a"),
              "xpcc": ("included" if options.include_xpcc else "excluded") if provinces else "n/a",
              "excluded": "、".join(used.loc[used["code"].isin(status), "name"]),
              "permutations": options.permutations, "seed": options.seed, "alternative": "greater"}
    if kind != "value":
        tables["moran"], tables["lisa"] = nan_moran, empty_lisa
        tables["moran_detail"] = _moran_detail(detail)
        return status
    a = adjacency_matrix(sp["code"], options.units, hainan_link=link)
    w = row_standardise(a)
    islands = sp["code"][a.sum(axis=1) == 0].tolist()
    status.update({c: "island" for c in islands})
    detail.update(n_effective=len(sp) - len(islands), n_islands=len(islands), links=int(a.sum() // 2),
                  islands="、".join(sp.loc[sp["code"].isin(islands), "name"]))
    tables["moran_detail"] = _moran_detail(detail)
    if provinces and (sp["code"] == HAINAN).any():
        notes.append(msg("regional.note.hainan_link" if link and (sp["code"] == GUANGDONG).any()
                         else "regional.note.hainan_island"))
    others = [n for c, n in zip(sp["code"], sp["name"]) if c in islands and c not in (HAINAN, XPCC)]
    if others:
        notes.append(msg("regional.note.islands", units="、".join(others)))
    x = sp["outcome"].to_numpy(dtype=float)
    if len(sp) - len(islands) < 4:
        notes.append(msg("regional.note.spatial_too_small"))
        tables["moran"], tables["lisa"] = nan_moran, empty_lisa
        return status
    constant = bool(np.all(x == x[0]))
    m = moran(x, w, permutations=options.permutations, seed=options.seed)
    tables["moran"] = pd.DataFrame([{c: getattr(m, c) for c in MORAN_COLUMNS}])
    if not constant:
        notes.append(msg("regional.note.moran", permutations=options.permutations, seed=options.seed))
    lisa = local_moran(x, w, permutations=options.permutations, seed=options.seed)
    lisa.insert(0, "value", x)
    lisa.insert(0, "region_zh", [sch.label(r, "zh") for r in sp["region"]])
    lisa.insert(0, "region", sp["region"].to_numpy())
    lisa.insert(0, "name", sp["name"].to_numpy())
    lisa.insert(0, "code", sp["code"].to_numpy())
    tables["lisa"] = lisa
    if constant and not any(n.key == "regional.note.constant" for n in notes):
        notes.append(msg("regional.note.spatial_constant"))  # the outcome's note says it otherwise
    else:
        notes.append(msg("regional.note.lisa", permutations=options.permutations, seed=options.seed))
    return status


def _moran_detail(detail: dict) -> pd.DataFrame:
    """One row: units used, units without neighbours, links, and the Hainan/XPCC choices."""
    out = pd.DataFrame([detail], columns=MORAN_DETAIL_COLUMNS)
    for col in ("n", "n_effective", "n_islands", "links", "permutations", "seed"):
        out[col] = out[col].astype("Int64")
    return out


def _units_table(data: pd.DataFrame, sch: RegionScheme, spatial: dict[str, str]) -> pd.DataFrame:
    out = data[["code", "name", "region", "outcome", "weight", "row"]].copy()
    out = _labelled(out, sch)
    out["status"] = ["missing" if pd.isna(value) else spatial.get(code, "used")
                     for code, value in zip(out["code"], out["outcome"])]  # ids: value.regional.status.*
    return out


_NOTE_OF = {"tests": ("regional.note.fisher_exact", "regional.note.fisher_mc", "regional.note.kruskal")}


def add_to_result(result, analysis: RegionalAnalysis, *, stage: str = "regional", prefix: str = "regional",
                  label: tuple[str, str] | None = None, notes=None):
    """Store every table of ``analysis`` in ``result`` (names ``{prefix}_{table}``) and the
    notes as warnings; returns the new Result.

    ``label`` (zh, en) names the outcome in the titles (default: the column name); ``notes``
    limits the notes to those keys. The test table carries the note on its method (exact
    Fisher–Freeman–Halton with Cramér's V, or Kruskal–Wallis/ANOVA) as its table note; a
    note shown with its table is not repeated as a warning.
    """
    zh, en = label or (analysis.outcome, analysis.outcome)
    shown = []  # the table notes (Messages compared by value)
    for name, table in analysis.tables.items():
        note = next((n for n in analysis.notes if n.key in _NOTE_OF.get(name, ())), None)
        shown.append(note)
        result = result.with_table(f"{prefix}_{name}", table, stage=stage, title=f"regional.table.{name}",
                                   note=note, outcome_zh=zh, outcome_en=en)
    for note in analysis.notes:
        if note not in shown and (notes is None or note.key in notes):
            result = result.with_warning(note)
    return result
