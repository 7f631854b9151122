"""The stages of a run. Each stage reads named tables/values from the Result, calls the
library and adds new tables; none overwrites another's output.

=========== ============================================== ==========================
stage       reads                                          adds
=========== ============================================== ==========================
load        study files                                    framework, observations
quantify    observations                                   quantification_standard, quantified,
                                                           unbuilt, dropped, missing_handled
standardize quantified                                     standardized
cluster     standardized                                   schedule, heights, membership, dendrogram
profile     quantified, standardized, membership           cluster_sizes, cluster_means,
                                                           cluster_means_standardized
types       cluster_means_standardized                     types
regions     membership, types                              regions_crosstab
diagnostics standardized, quantified, tree                 kstats, stability, ties, descriptions, …
index       quantified                                     index, index_subindices, …
regional    membership, types, index                       regional_types_*, regional_index_*, maps
coverage    observations (frameworks with service areas)   coverage_adoption, coverage_by_region,
                                                           coverage_city_scores, coverage_gaps,
                                                           coverage_comparison, …
=========== ============================================== ==========================
"""

from __future__ import annotations

import platform
from importlib import metadata

import numpy as np
import pandas as pd

from .errors import IncompleteAdjudication, InputError, Problem
from .messages import msg
from .result import Result
from .study import Study, sha256

__all__ = ["STAGES", "run_stages"]


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("egoveval", "numpy", "pandas", "scipy", "matplotlib", "openpyxl", "PyYAML", "Jinja2"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:  # pragma: no cover
            out[pkg] = "not installed"
    return out


def _names(units, codes) -> pd.DataFrame:
    table = units.table.set_index("code")
    return pd.DataFrame({"code": list(codes), "name_zh": [table.at[c, "name_short"] for c in codes],
                         "name_en": [table.at[c, "name_en"] or table.at[c, "name_short"] for c in codes]})


def _with_provenance(result: Result, obs) -> Result:
    """The table ``provenance``: source/URL, note, collector and date of each unit's
    observations as collected (``obs.meta``), for the units that have any of them; columns
    empty throughout are left out, and no table is added when nothing was recorded."""
    blank = lambda v: v is None or (isinstance(v, float) and np.isnan(v)) or not str(v).strip()
    meta = obs.meta.map(lambda v: None if blank(v) else str(v)) if len(obs.meta.columns) else obs.meta
    meta = meta.dropna(axis=1, how="all").dropna(axis=0, how="all")
    if meta.empty:
        return result
    return result.with_table("provenance", meta.rename_axis("code"), stage="load", title="report.table.provenance")


# -- stages ------------------------------------------------------------------
def stage_load(study: Study, result: Result) -> Result:
    from .frameworks import framework_table, load_framework
    from .io.observations import read_observations
    from .units import load_units

    framework = load_framework(study.spec["framework"], study.base)
    units = load_units(study.spec.get("units", framework.units), study.base)
    if "data" in study.spec:
        obs = read_observations(study.resolve(study.spec["data"]), framework, units, sheet=study.spec.get("sheet"))
    else:
        obs, result = _reconciled(study, framework, units, result)
    inputs = {label: sha256(path) for label, path in study.inputs.items()}
    for warning in obs.warnings:
        result = result.with_warning(warning.as_message())
    result = _with_provenance(result, obs)
    raw_text = obs.raw.map(lambda v: "" if v is None else str(v))
    raw_text.insert(0, "row", obs.rows)
    return (result.with_value("framework", framework).with_value("units", units).with_value("observations", obs)
            .with_recipe(inputs=inputs)
            .with_table("framework", framework_table(framework), stage="load", title="table.framework")
            .with_table("observations", raw_text.rename_axis("unit").reset_index(), stage="load",
                        title="table.observations"))


def _reconciled(study: Study, framework, units, result: Result):
    """Two collections → verified observations, or a refusal pointing at discrepancies.xlsx.

    The verified data become the table ``reconciliation_verified`` (one row per unit ×
    indicator with its provenance ``from``); the observations' file and row numbers point at
    that table as written (``reconciliation_verified.csv``, header row 1). Units of the study's
    list that neither collection holds are refused as with ``data:`` (``obs.unit_absent``).
    """
    import dataclasses

    from .collect.outputs import write_reconciliation
    from .collect.reconcile import reconcile_collections

    coll = study.spec["collections"]
    paths = {k: study.resolve(v) for k, v in coll.items()}
    rec = reconcile_collections(paths["a"], paths["b"], paths.get("adjudication"), framework, units)
    if not rec.complete:
        folder = study.output.parent / f"{study.output.name}-reconciliation"
        write_reconciliation(rec, folder, inputs=study.input_paths)
        refusal = msg("study.unverified", open=rec.open_items, path=folder / "discrepancies.xlsx")
        raise IncompleteAdjudication(rec.open_items, refusal.both("\n"))
    if rec.absent:
        where = f"{coll['a']}, {coll['b']}"
        raise InputError([Problem.of("obs.unit_absent", file=where, value=units.row(c)["name"]) for c in rec.absent])
    for warning in rec.warnings:
        result = result.with_warning(warning.as_message())
    for name in ("discrepancies", "agreement", "audit", "verified"):
        table = rec.verified_table if name == "verified" else getattr(rec, name)
        result = result.with_table(f"reconciliation_{name}", table, stage="reconcile",
                                   title=f"table.reconciliation_{name}")
    return dataclasses.replace(rec.verified, file="reconciliation_verified.csv"), result


def stage_quantify(study: Study, result: Result) -> Result:
    from .quantify import quantification_table, quantify

    s = study.settings["quantify"]
    framework = result.values["framework"]
    q = quantify(result.values["observations"], framework, collection_date=study.collection_date,
                 unbuilt_value=s["unbuilt_value"], missing=s["missing"], drop_constant=s["drop_constant"])
    if q.data.shape[1] == 0:
        raise InputError([Problem.of("pipeline.no_indicators")])
    for row in q.dropped.itertuples():
        result = result.with_warning(msg("pipeline.dropped_constant", indicator=framework.indicator(row.indicator).name_zh,
                                         indicator_en=framework.indicator(row.indicator).name_en, value=row.value))
    for row in q.unbuilt.itertuples():
        result = result.with_warning(msg("pipeline.unbuilt", unit=result.values["units"].name_of(row.unit),
                                         unit_en=result.values["units"].name_of(row.unit, "en") or row.unit,
                                         channel=row.channel_zh, channel_en=row.channel_en, value=row.value))
    for warning in _missing_warnings(q.handled_missing, framework, result.values["units"]):
        result = result.with_warning(warning)
    return (result.with_value("quantified", q)
            .with_table("quantification_standard", quantification_table(framework, s["unbuilt_value"]),
                        stage="quantify", title="table.quantification_standard")
            .with_table("quantified", q.data, stage="quantify", title="table.quantified")
            .with_table("unbuilt", q.unbuilt, stage="quantify", title="table.unbuilt")
            .with_table("dropped", q.dropped, stage="quantify", title="table.dropped")
            .with_table("missing_handled", q.handled_missing, stage="quantify", title="table.missing_handled"))


#: Units or cells a missing-value warning names before "… (+N more)"; the table
#: ``missing_handled`` lists them all.
MISSING_LISTED = 10


def _missing_warnings(handled: pd.DataFrame, framework, units) -> list:
    """One bilingual note per missing-value policy used: the units dropped (listwise) or the
    cells imputed with the indicator's mean, with their count; the first
    :data:`MISSING_LISTED` are named (:func:`~egoveval.messages.first_items`), the note
    points to the table ``missing_handled`` for all of them."""
    from .messages import first_items, text

    name = lambda code, lang: units.name_of(code, lang) or units.name_of(code, "zh") or code
    ind = lambda i, lang: framework.indicator(i).name(lang)
    table = {"table": text("table.missing_handled", "zh"), "table_en": text("table.missing_handled", "en")}
    out = []
    dropped = handled[handled["action"] == "listwise"]
    if len(dropped):
        out.append(msg("quantify.listwise_dropped", n=len(dropped), **table,
                       units=first_items([name(u, "zh") for u in dropped["unit"]], MISSING_LISTED, "zh"),
                       units_en=first_items([name(u, "en") for u in dropped["unit"]], MISSING_LISTED, "en")))
    imputed = handled[handled["action"] == "mean"]
    if len(imputed):
        cell = lambda r, lang, sep: f"{name(r.unit, lang)}{sep}{ind(r.indicator, lang)} = {r.value:.6g}"
        cells = lambda lang, sep, join: first_items([cell(r, lang, sep) for r in imputed.itertuples()],
                                                    MISSING_LISTED, lang, join)
        out.append(msg("quantify.mean_imputed", n=len(imputed), **table,
                       cells=cells("zh", "·", "；"), cells_en=cells("en", ", ", "; ")))
    return out


def stage_standardize(study: Study, result: Result) -> Result:
    from .standardize import standardize

    z = standardize(result["quantified"], study.settings["standardize"]["method"])
    return result.with_table("standardized", z.data, stage="standardize", title="table.standardized")


def stage_cluster(study: Study, result: Result) -> Result:
    from .cluster import build_tree, heights, memberships, spss_schedule
    from .cluster.figures import dendrogram_figure
    from .cluster.notes import method_note
    from .cluster.tree import method_names

    s = study.settings["cluster"]
    z = result["standardized"]
    n = len(z)
    if n < 3:
        raise InputError([Problem.of("cluster.too_few_units", n=n)])
    k = s["k"]
    lo, hi = s["k_range"]
    ks = sorted({*range(lo, min(hi, n - 1) + 1), k})
    if k >= n:
        raise InputError([Problem.of("cluster.k_too_large", column="cluster.k", value=k, n=n)])
    tree = build_tree(z.to_numpy(), list(z.index), method=s["method"], metric=s["metric"])
    kchoice = None
    if s["use_suggested_k"]:  # the vote (and its gap statistic) once, here; diagnostics reuse it
        from .cluster.kchoice import k_statistics

        kchoice = k_statistics(z.to_numpy(), tree, _diagnostic_k_range(s, n), gap_b=s["gap_b"], seed=s["seed"],
                               n_jobs=_cluster_jobs(s))
        k = int(kchoice.suggested_k)
        ks = sorted({*ks, k})
    units = result.values["units"]
    names = _names(units, z.index)
    members = memberships(tree, ks).reset_index(drop=True)
    membership = pd.concat([names, members], axis=1)
    membership["cluster"] = membership[f"k{k}"]
    schedule = spss_schedule(tree)
    hs = pd.DataFrame({"stage": range(1, n), "height": heights(tree)})
    lang = study.settings["report"]["lang"]
    label_lang = "en" if lang == "en" else "zh"
    png, svg = dendrogram_figure(tree, list(names[f"name_{label_lang}"]), k, lang=lang)
    if kchoice is not None:
        result = result.with_value("kchoice", kchoice)
        if k != s["k"]:
            result = result.with_warning(msg("cluster.using_suggested_k", k=s["k"], suggested=k))
    return (result.with_value("tree", tree).with_value("k", k)
            .with_table("schedule", schedule, stage="cluster", title="table.schedule",
                        note=msg("foundation.schedule_cases"))
            .with_table("heights", hs, stage="cluster", title="table.heights")
            .with_table("membership", membership, stage="cluster", title="table.membership",
                        note=method_note(s["method"], s["metric"], n))
            .with_figure("dendrogram", png, svg, stage="cluster", title="figure.dendrogram",
                         **method_names(s["method"])))


def _diagnostic_k_range(s, n: int) -> tuple[int, int]:
    """The k range of the choice of k (the vote and the diagnostics use the same one)."""
    lo, hi = s["k_range"]
    return lo, max(lo, min(hi, n - 2))


def _cluster_jobs(s) -> int:
    """Worker processes of the resampling loops (``cluster.jobs``; results do not depend on it)."""
    return int(s.get("jobs") or 1)


def stage_profile(study: Study, result: Result) -> Result:
    from .cluster.profile import profile

    membership = result["membership"].set_index("code")["cluster"]
    p = profile(result["quantified"], result["standardized"], membership)
    units = result.values["units"]
    sizes = p.sizes.copy()
    sizes["members_zh"] = ["、".join(units.name_of(c, "zh") for c in m) for m in sizes["members"]]
    sizes["members_en"] = [", ".join(units.name_of(c, "en") or units.name_of(c, "zh") for c in m)
                           for m in sizes["members"]]
    sizes["members"] = [" ".join(m) for m in sizes["members"]]
    return (result.with_table("cluster_sizes", sizes, stage="profile", title="table.cluster_sizes")
            .with_table("cluster_means", p.means_quantified.reset_index(), stage="profile",
                        title="table.cluster_means")
            .with_table("cluster_means_standardized", p.means_standardized.reset_index(), stage="profile",
                        title="table.cluster_means_standardized"))


def stage_types(study: Study, result: Result) -> Result:
    from .cluster.typology import type_clusters

    framework = result.values["framework"]
    means = result["cluster_means_standardized"].set_index("cluster")
    directions = {i.id: i.direction for i in framework.indicators}
    labels = study.settings["types"]["labels"]
    k = result.values["k"]
    if labels is not None and len(labels) != k:
        raise InputError([Problem.of("pipeline.labels_count", column="types.labels", value=len(labels), k=k)])
    types = type_clusters(means, directions, labels)
    sizes = result["cluster_sizes"].set_index("cluster")
    types["size"] = [int(sizes.at[c, "size"]) for c in types["cluster"]]
    types["members_zh"] = [sizes.at[c, "members_zh"] for c in types["cluster"]]
    types["members_en"] = [sizes.at[c, "members_en"] for c in types["cluster"]]
    return result.with_table("types", types, stage="types", title="table.types")


_SCHEME_COLUMNS = {"nbs4": "region4", "belt3": "region3"}
_REGION_ORDER = ("East", "Central", "West", "Northeast")


def stage_regions(study: Study, result: Result) -> Result:
    units = result.values["units"].table.set_index("code")
    membership = result["membership"].set_index("code")["cluster"]
    types = result["types"].set_index("cluster")
    frames = []
    for scheme in study.settings["regions"]["schemes"]:
        if scheme not in _SCHEME_COLUMNS:
            raise InputError([Problem.of("pipeline.scheme", column="regions.schemes", value=scheme,
                                         schemes=", ".join(_SCHEME_COLUMNS))])
        region = units.loc[membership.index, _SCHEME_COLUMNS[scheme]]
        table = pd.crosstab(membership, region).reindex(columns=[r for r in _REGION_ORDER if r in set(region)],
                                                        fill_value=0)
        table["total"] = table.sum(axis=1)
        table = table.reset_index().rename(columns={"cluster": "cluster"})
        table.insert(0, "scheme", scheme)
        table.insert(2, "label_zh", [types.at[c, "label_zh"] for c in table["cluster"]])
        table.insert(3, "label_en", [types.at[c, "label_en"] for c in table["cluster"]])
        frames.append(table)
    crosstab = pd.concat(frames, ignore_index=True).fillna(0)
    for col in _REGION_ORDER:
        if col in crosstab:
            crosstab[col] = crosstab[col].astype(int)
    return result.with_table("regions_crosstab", crosstab, stage="regions", title="table.regions_crosstab")


def stage_diagnostics(study: Study, result: Result) -> Result:
    """Choice of k, stability (bootstrap Jaccard beside a permuted-data null), ties, partition
    stability under unit order, per-indicator tests and the typed descriptions (Table 5)."""
    from .cluster import notes
    from .cluster.diagnose import diagnose

    s = study.settings["cluster"]
    if not s["diagnostics"]:
        return result
    framework = result.values["framework"]
    units = result.values["units"]
    quantified = result["quantified"]
    ids = list(quantified.columns)
    lang = study.settings["report"]["lang"]
    n = len(quantified)
    d = diagnose(result["standardized"], quantified, result.values["tree"], s["k"],
                 k_range=_diagnostic_k_range(s, n), bootstrap=s["bootstrap"], permutations=s["permutations"],
                 seed=s["seed"], gap_b=s["gap_b"], use_suggested=s["use_suggested_k"],
                 kchoice=result.values.get("kchoice"),
                 channels={i: framework.indicator(i).channel for i in ids},
                 directions={i: framework.indicator(i).direction for i in ids},
                 names={c: (units.name_of(c, "zh"), units.name_of(c, "en") or units.name_of(c, "zh"))
                        for c in quantified.index},
                 indicator_names={i: (framework.indicator(i).name_zh, framework.indicator(i).name_en) for i in ids},
                 channel_names={c.id: (c.name_zh, c.name_en) for c in framework.channels},
                 type_labels=study.settings["types"]["labels"], lang=lang, n_jobs=_cluster_jobs(s))
    result = result.with_value("diagnostics", d)
    tables = {"kstats": d.kstats, "kvotes": d.votes, "gap": d.gap, "silhouette": d.silhouette,
              "stability": d.stability, "null_stability": d.null_stability, "ties": d.ties,
              "order_stability": d.order_summary, "separation_tests": d.tests, "strengths": d.strengths,
              "descriptions": d.descriptions.table}
    table_notes = {"kstats": notes.gap_note(d), "gap": notes.gap_note(d), "stability": notes.null_note(d),
                   "null_stability": notes.null_note(d), "order_stability": notes.order_note(d),
                   "silhouette": notes.silhouette_note(d.settings["method"], d.settings["metric"])}
    for name, table in tables.items():
        if table is not None and len(table):
            result = result.with_table(name, table, stage="diagnostics", title=f"table.{name}",
                                       note=table_notes.get(name))
    if d.k == d.study_k != d.suggested_k:  # (using the suggested k is noted by stage_cluster)
        result = result.with_warning(msg("pipeline.suggested_k", k=d.study_k, suggested=d.suggested_k))
    order_warning = notes.order_warning(d)
    if order_warning is not None:
        result = result.with_warning(order_warning)
    for name, (png, svg) in d.figures.items():
        result = result.with_figure({"k_panel": "kdiagnostics"}.get(name, name), png, svg, stage="diagnostics",
                                    title=f"figure.{name}")
    return result


def _display_names(units, codes, lang: str) -> list[str]:
    """Unit names for figures; codes where names would collide."""
    names = [units.name_of(c, "en" if lang == "en" else "zh") or c for c in codes]
    return names if len(set(names)) == len(names) else list(codes)


def _index_options(study: Study, framework, present: list[str]) -> dict:
    """The study's index settings for :func:`egoveval.index.build_index`: channel weights from
    the framework unless the study gives them; weight overrides of indicators (or channels)
    that the framework has but the data lost (dropped as constant) are left out, unknown
    ids stay in so that build_index reports them."""
    s = dict(study.settings["index"])
    s.pop("enabled")
    channels_present = [c.id for c in framework.channels if any(i.id in present for i in c.indicators)]
    s["channel_weights"] = s["channel_weights"] or {c.id: c.weight for c in framework.channels
                                                    if c.id in channels_present}
    lost = {"indicator_weights": {i.id for i in framework.indicators} - set(present),
            "channel_weights": {c.id for c in framework.channels} - set(channels_present)}
    for key, gone in lost.items():
        if isinstance(s.get(key), dict):
            s[key] = {k: v for k, v in s[key].items() if k not in gone}
    return s


def _index_tables(idx, by_name: dict) -> list[tuple[str, pd.DataFrame, str, object]]:
    """(name, table, title key, note) of every table of the index stage, units by code."""
    recode = lambda frame: frame.set_axis([by_name[n] for n in frame.index], axis=0)
    table = idx.table("name")
    table.insert(0, "code", [by_name[n] for n in table["name"]])
    table = table.drop(columns="name")
    at = table.columns.get_loc("tier") + 1
    table.insert(at, "tier_en", idx.tier_names("en").to_numpy())
    table.insert(at, "tier_zh", idx.tier_names("zh").to_numpy())
    out = [("index", table, "table.index", None),  # with rank intervals and p_<tier> when uncertain
           ("index_tiers", idx.tiers_table(), "index.table.tiers", None)]
    out += [("index_subindices", recode(idx.sub_indices), "table.index_subindices", None),
            ("index_normalized", recode(idx.normalized), "table.index_normalized", None),
            ("index_weights", idx.weights, "table.index_weights", None)]
    if idx.pca_loadings is not None:
        out.append(("index_pca_loadings", idx.pca_loadings, "index.table.pca_loadings", None))
    if len(idx.outliers):
        out.append(("index_outliers", idx.outliers, "index.table.outliers", None))
    if len(idx.zeros):
        zeros = pd.DataFrame({"code": [by_name[u] for u in idx.zeros["unit"]],
                              "indicator": list(idx.zeros["indicator"])})
        out.append(("index_zeros", zeros, "index.table.zeros", None))
    if idx.sensitivity is not None:
        conf = f"{idx.options['uncertainty'].conf:.0%}"
        out.append(("index_sensitivity", idx.sensitivity.rename(columns={"total": "total_order"}),
                    "table.index_sensitivity", msg("index.note.sensitivity_columns", conf=conf)))
    return out


def stage_index(study: Study, result: Result) -> Result:
    """Composite index (issue 5): scores, ranks and tiers (in both languages), the tier
    boundaries, rank intervals and tier probabilities, sub-indices, weights, PCA loadings,
    outlier treatment, geometric-mean zeros and the Sobol indices, with two figures."""
    from .index.build import build_index
    from .index.figures import ranked_bar, subindex_heatmap

    if not study.settings["index"]["enabled"]:
        return result
    framework = result.values["framework"]
    units = result.values["units"]
    quantified = result["quantified"]
    lang = study.settings["report"]["lang"]
    names = _display_names(units, quantified.index, lang)
    by_name = dict(zip(names, quantified.index))
    spec = {i: {"channel": framework.indicator(i).channel, "direction": framework.indicator(i).direction,
                "weight": framework.indicator(i).weight} for i in quantified.columns}
    idx = build_index(quantified.set_axis(names, axis=0), spec,
                      _index_options(study, framework, list(quantified.columns)))
    for w in idx.warnings:
        result = result.with_warning(w)
    result = result.with_value("index", idx)
    for name, table, title, note in _index_tables(idx, by_name):
        result = result.with_table(name, table, stage="index", title=title, note=note)
    png, svg = ranked_bar(idx, lang=lang)
    result = result.with_figure("index_ranks", png, svg, stage="index", title="figure.index_ranks")
    png, svg = subindex_heatmap(idx, lang=lang)
    return result.with_figure("index_heatmap", png, svg, stage="index", title="figure.index_heatmap")


def _types_map_args(result: Result, lang: str) -> tuple[dict, dict]:
    """Development types on the map, legend from the highest type down, colours as in the
    dendrogram; titles, legend and map texts in both languages when ``lang`` is both."""
    from .cluster.figures import CLUSTER_COLOURS
    from .messages import in_lang, pick

    types = result["types"].sort_values("rank")
    membership = result["membership"]
    units = result.values["units"]
    labels = {int(r.cluster): pick(r.label_zh, r.label_en, lang, " ") for r in types.itertuples()}
    palette = {int(c): CLUSTER_COLOURS[(int(c) - 1) % len(CLUSTER_COLOURS)] for c in types["cluster"]}
    values = dict(zip(membership["code"], membership["cluster"].astype(int)))
    return values, dict(level=units.kind, kind="categorical", title=in_lang("figure.map_types", lang),
                        legend_title=in_lang("map.legend.types", lang), labels=labels, palette=palette,
                        lang=lang)


def stage_regional(study: Study, result: Result) -> Result:
    """Regional differentiation of the development types (exact test, maps) and of the composite
    index (Kruskal–Wallis, ANOVA, inequality decomposition, Moran's I, LISA, map). The types
    are analysed by cluster id (names in ``category_zh``/``category_en``, by_region columns
    ``n_<cluster>``/``pct_<cluster>`` headed by the type names), so every report language reads
    them. Both maps are also stored as interactive SVG for the HTML report, once per report
    language (values ``map_interactive_types.<lang>``/``map_interactive_index.<lang>``, see
    :func:`egoveval.report.present.per_language`), so a re-rendered report in another
    language shows its own."""
    from .messages import text
    from .regional.analysis import RegionalOptions, add_to_result, regional_analysis
    from .regional.figures import regional_figure, regional_interactive
    from .regional.maps import choropleth, interactive_svg
    from .report.present import REPORT_LANGS, per_language

    s = study.settings["regions"]
    if not s["statistics"]:
        return result
    units = result.values["units"]
    if units.kind not in ("provinces", "cities"):
        return result.with_warning(msg("pipeline.regional_custom_units"))
    options = RegionalOptions(units=units.kind, scheme=s["test_scheme"] if s["test_scheme"] in ("nbs4", "belt3")
                              else str(study.resolve(s["test_scheme"])), hainan_link=s["hainan_link"],
                              include_xpcc=s["include_xpcc"], permutations=s["permutations"], seed=s["seed"])
    lang = study.settings["report"]["lang"]
    types = result["types"].sort_values("rank")
    ids = [str(c) for c in types["cluster"]]  # rows by type rank
    frame = pd.DataFrame({"code": result["membership"]["code"], "type": result["membership"]["cluster"].astype(str)})
    clusters = regional_analysis(frame, "code", category="type", options=options, categories=ids, tests_only=True,
                                 category_names=dict(zip(ids, zip(types["label_zh"], types["label_en"]))))
    bi_label = lambda key: (text(key, "zh"), text(key, "en"))
    result = add_to_result(result, clusters, prefix="regional_types", label=bi_label("map.legend.types"))
    values, how = _types_map_args(result, lang)
    result = result.with_figure("map_types", *choropleth(values, **how), stage="regional", title="figure.map_types")
    for lg in REPORT_LANGS:
        values, how = _types_map_args(result, lg)
        result = result.with_value(per_language("map_interactive_types", lg), interactive_svg(values, **how))
    if "index" in result:
        scores = result["index"][["code", "score"]]
        analysis = regional_analysis(scores, "code", value="score", options=options)
        result = add_to_result(result, analysis, prefix="regional_index", label=bi_label("column.score"))
        png, svg, note = regional_figure(analysis, lang=lang, label=bi_label("column.score"))
        result = result.with_figure("map_index", png, svg, stage="regional", title="figure.map_index")
        for lg in REPORT_LANGS:
            result = result.with_value(per_language("map_interactive_index", lg),
                                       regional_interactive(analysis, lang=lg, label=bi_label("column.score")))
    return result


def _benchmarks(study: Study, framework, units):
    """The benchmark table the study asks for (``coverage.benchmarks``), or None."""
    from .coverage import coverage_layout, published_benchmarks, read_benchmarks

    choice = study.settings["coverage"]["benchmarks"]
    builtin = framework.path == "builtin:city-multichannel"
    if choice == "none" or (choice == "auto" and not builtin):
        return None
    layout = coverage_layout(framework)
    groups = tuple(g for g in ("key", "prefecture") if g in set(units.table["group"])) or ("key", "prefecture")
    if choice in ("auto", "published"):
        return published_benchmarks(layout, groups)
    return read_benchmarks(study.resolve(choice), layout, groups)


def stage_coverage(study: Study, result: Result) -> Result:
    """The channel × service-area survey (seed 003): adoption rates with Wilson intervals by
    city group, region and overall, exact tests, co-occurrence, city scores, ranks and gaps,
    the comparison with benchmark rates, the heat map and the city map. Runs when the
    framework declares service areas."""
    from .coverage import add_to_result, coverage_tables

    framework = result.values["framework"]
    if not framework.areas:
        return result
    units = result.values["units"]
    s = study.settings["coverage"]
    bench = _benchmarks(study, framework, units)
    coverage = coverage_tables(result.values["observations"], framework, units, bench,
                               rank_method=s["rank_method"], lang=study.settings["report"]["lang"],
                               synthetic=study.synthetic, city_map=s["city_map"] and units.kind == "cities")
    return add_to_result(result.with_value("coverage", coverage), coverage)  # file hashes: stage_load


STAGES = (
    ("load", stage_load),
    ("quantify", stage_quantify),
    ("standardize", stage_standardize),
    ("cluster", stage_cluster),
    ("profile", stage_profile),
    ("types", stage_types),
    ("regions", stage_regions),
    ("diagnostics", stage_diagnostics),
    ("index", stage_index),
    ("regional", stage_regional),
    ("coverage", stage_coverage),
)


def run_stages(study: Study, until: str | None = None) -> Result:
    spec = dict(study.spec)
    result = Result.empty(spec, {"settings": study.settings, "versions": _versions(),
                                 "study_file": str(study.path.name) if study.path else ""})
    names = [n for n, _ in STAGES]
    if until is not None and until not in names:
        raise ValueError(f"unknown stage {until!r}; stages: {names}")
    for name, stage in STAGES:
        result = stage(study, result)
        if name == until:
            break
    return result
