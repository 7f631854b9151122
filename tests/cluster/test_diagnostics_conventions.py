"""What the diagnostics state and warn about (issue 4 review): silhouettes of Ward on squared
distances, the null reference's fresh permutations and spread, the gap's vote outside the
k range, the order-dependence warning (from the unit-order check, not from ties alone) and
where the report puts all of it. Data are real (UN 2018) or synthetic (named so)."""

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy.spatial.distance import squareform

from egoveval.cluster import build_tree, cut
from egoveval.cluster import diagnose as diagnose_module
from egoveval.cluster import kchoice
from egoveval.cluster.diagnose import diagnose
from egoveval.cluster.fastcut import cut_many
from egoveval.cluster.kchoice import GapResult, choose_k, index_table, k_statistics, silhouette_samples
from egoveval.cluster.notes import order_warning
from egoveval.cluster.stability import clusterboot, null_clusterboot, null_design
from egoveval.cluster.tree import pairwise
from egoveval.messages import catalogue
from egoveval.report.present import plan, present_table
from egoveval.samples.provincial import sample_study_path
from egoveval.standardize import standardize
from egoveval.study import load_study, run_until

from .conftest import FIX


# -- silhouettes of Euclidean-only linkages ------------------------------------------------

@pytest.mark.parametrize("metric", ["euclidean", "sqeuclidean"])
def test_ward_silhouette_is_euclidean_whatever_the_metric(un, metric):
    """R: cluster::silhouette(cutree(hclust(dist(z), "ward.D2"), k), dist(z)). On squared
    distances the widths were inflated (k = 2: 0.705 instead of 0.504)."""
    z = standardize(un, "z").data.to_numpy()
    t = build_tree(z, list(un.index), "ward", metric)
    r = pd.read_csv(FIX / "diag_un_kstats.csv")
    got = k_statistics(z, t, (2, 8), gap_b=0).table["silhouette"].to_numpy()
    assert np.max(np.abs(got - r["silhouette"].to_numpy())) < 1e-9, f"{metric}: {got[:2]} vs R {r['silhouette'][:2].tolist()}"
    d = diagnose(pd.DataFrame(z, index=un.index), un, t, 4, k_range=None, bootstrap=0, permutations=0,
                 figures=False)
    r4 = pd.read_csv(FIX / "diag_un_silhouette_k4.csv")
    assert np.max(np.abs(d.silhouette["sil_width"].to_numpy() - r4["sil_width"].to_numpy())) < 1e-12


def test_average_linkage_on_squared_distances_keeps_its_own_dissimilarity(un):
    """Average linkage really clusters squared distances: its silhouettes use them."""
    z = standardize(un, "z").data.to_numpy()
    t = build_tree(z, list(un.index), "average", "sqeuclidean")
    lab = cut_many(t.Z, [3])[3]
    expected = silhouette_samples(squareform(pairwise(z, "sqeuclidean")), lab)[0].mean()
    assert index_table(z, t, [3])["silhouette"].iloc[0] == pytest.approx(expected, abs=1e-12)


# -- the null reference ------------------------------------------------------------------

def _synthetic_blobs(n_per, p, sep, seed):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=sep, size=(3, p))
    return np.repeat(centres, n_per, axis=0) + rng.normal(size=(3 * n_per, p))


def test_null_reference_draws_fresh_permutations_and_reports_its_spread():
    X = _synthetic_blobs(12, 4, 4.0, seed=3)  # synthetic
    null = null_clusterboot(X, 3, B=200, seed=5)
    sets, resamples = null_design(200)
    assert null.jaccard.shape == (sets, 3) and null.resamples == resamples
    # each set is its own permuted data set: the sets' stabilities differ
    assert len(np.unique(null.jaccard.round(12).mean(axis=1))) > sets // 2
    table = null.table().iloc[0]
    vals = null.jaccard.ravel()
    assert table["jaccard_p05"] == pytest.approx(np.percentile(vals, 5))
    assert table["jaccard_p95"] == pytest.approx(np.percentile(vals, 95))
    assert table["jaccard_p05"] < table["jaccard_mean"] < table["jaccard_p95"]
    assert np.array_equal(null.jaccard, null_clusterboot(X, 3, B=200, seed=5, n_jobs=2).jaccard)


def test_real_clusters_beat_the_null_band_and_noise_matches_the_null():
    """Synthetic separated blobs in 10 dimensions (permuting columns leaves no structure):
    every cluster's Jaccard is above the null's 95th percentile. Synthetic noise (no
    structure, six data sets): the clusters' mean Jaccard is what the null says noise gives."""
    blobs = _synthetic_blobs(12, 10, 3.0, seed=3)
    lab = cut_many(build_tree(blobs, [f"synthetic{i}" for i in range(36)]).Z, [3])[3]
    table = clusterboot(blobs, lab, B=100, seed=1).table(null_clusterboot(blobs, 3, B=100, seed=1))
    assert (table["jaccard_mean"] > table["null_jaccard_p95"]).all(), table
    real, null = [], []
    for seed in range(6):
        noise = np.random.default_rng(100 + seed).normal(size=(36, 4))
        lab = cut_many(build_tree(noise, [f"synthetic{i}" for i in range(36)]).Z, [3])[3]
        table = clusterboot(noise, lab, B=60, seed=seed).table(null_clusterboot(noise, 3, B=60, seed=seed))
        real += list(table["jaccard_mean"])
        null.append(table["null_jaccard_mean"].iloc[0])
    assert abs(np.mean(real) - np.mean(null)) < 0.08, f"noise clusters {np.mean(real):.3f}, null {np.mean(null):.3f}"


# -- the gap's vote --------------------------------------------------------------------------

def _fake_gap(k_best, found):
    ks = list(range(1, 10))
    return GapResult(pd.DataFrame({"k": ks, "log_w": 0.0, "e_log_w": 0.0, "gap": 0.0, "se": 0.0}), k_best, 10,
                     "original", 0, found)


@pytest.mark.parametrize("k_best,found,note", [(9, False, "none_in_range"), (1, True, "no_structure"),
                                               (5, True, "")])
def test_gap_vote_outside_the_range_is_none_not_a_number(un, k_best, found, note):
    z = standardize(un, "z").data.to_numpy()
    t = build_tree(z, list(un.index))
    table = index_table(z, t, list(range(2, 9)))
    kc = choose_k(table, t, (2, 8), _fake_gap(k_best, found))
    row = kc.votes.set_index("index").loc["gap"]
    assert row["vote_note"] == note
    if note:
        assert pd.isna(row["k"]), f"expected no k, got {row['k']}"
    else:
        assert row["k"] == k_best
    counted = kc.votes.dropna(subset=["k"])["k"].astype(int).value_counts()
    assert kc.suggested_k == min(k for k, c in counted.items() if c == counted.max())


# -- order dependence -------------------------------------------------------------------------

def test_ties_without_order_dependence_raise_no_warning():
    """Synthetic well-separated data with duplicate rows: many tied merge costs, but every
    unit order gives the same partition, so no warning (the old flag fired here)."""
    base = np.array([[0.0, 0.0], [0.3, 0.1], [10.0, 10.0], [10.2, 9.9], [-10.0, 10.0], [-9.8, 10.1]])
    X = np.repeat(base, 4, axis=0)  # each unit four times
    units = [f"synthetic{i}" for i in range(len(X))]
    frame = pd.DataFrame(X, index=units, columns=["a", "b"])
    d = diagnose(frame, frame, build_tree(X, units), 3, k_range=None, bootstrap=0, permutations=30,
                 figures=False)
    assert len(d.tied_stages) > 10 and d.order.share_changed == 0
    assert order_warning(d) is None


def test_tied_ordinal_data_warn_from_the_order_check():
    rng = np.random.default_rng(7)
    X = rng.integers(0, 3, size=(32, 5)).astype(float)  # synthetic ordinal scores 0/1/2
    units = [f"synthetic{i}" for i in range(32)]
    frame = pd.DataFrame(X, index=units, columns=[f"o{j}" for j in range(5)])
    d = diagnose(frame, frame, build_tree(X, units), 4, k_range=None, bootstrap=0, permutations=40, seed=1,
                 figures=False)
    w = order_warning(d)
    assert d.order.share_changed > 0 and w is not None and w.key == "cluster.order_dependent"
    assert f"{d.order.share_changed:.0%}" in w.en and f"{d.order.ari_range[0]:.3f}" in w.en
    none = diagnose(frame, frame, build_tree(X, units), 4, k_range=None, bootstrap=0, permutations=0, figures=False)
    assert order_warning(none).key == "cluster.ties_unchecked"


def _ordinal_study(folder):
    """A SYNTHETIC study: the 32 provincial units, five ordinal indicators scored 0/1/2 (seeded),
    clustered without standardisation, so many Ward merge costs are tied."""
    from egoveval.units import provinces

    levels = [{"value": v, "zh": zh, "en": en} for v, zh, en in ((0, "低", "low"), (1, "中", "mid"), (2, "高", "high"))]
    framework = {"id": "synthetic-ordinal", "version": 1, "name": {"zh": "合成有序指标", "en": "Synthetic ordinal"},
                 "units": "provinces",
                 "channels": [{"id": "synthetic", "name_zh": "合成渠道", "name_en": "Synthetic channel",
                               "indicators": [{"id": f"o{j}", "name_zh": f"合成指标{j}", "name_en": f"Synthetic {j}",
                                               "kind": "ordinal", "levels": levels} for j in range(1, 6)]}]}
    (folder / "framework.yaml").write_text(yaml.safe_dump(framework, allow_unicode=True), encoding="utf-8")
    names = list(provinces().table["name"])
    X = np.random.default_rng(7).integers(0, 3, size=(len(names), 5))
    data = pd.DataFrame({"地区": names, **{f"合成指标{j}": X[:, j - 1] for j in range(1, 6)}})
    data.to_csv(folder / "synthetic_ordinal.csv", index=False, encoding="utf-8-sig")
    spec = {"title": "synthetic ordinal data", "synthetic": True, "framework": "framework.yaml", "units": "provinces",
            "data": "synthetic_ordinal.csv", "output": "out", "standardize": {"method": "none"},
            "cluster": {"k": 4, "bootstrap": 10, "permutations": 30}}
    (folder / "study.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return folder / "study.yaml"


def test_pipeline_flags_order_dependence_in_the_clusters_section(tmp_path):
    result = run_until(load_study(_ordinal_study(tmp_path)), "diagnostics")
    d = result.values["diagnostics"]
    assert len(d.ties) == 31 and d.order.share_changed > 0
    keys = [w.key for w in result.warnings]
    assert "cluster.order_dependent" in keys and "pipeline.ties" not in keys
    sections = {w.key: ps.section.id for ps in plan(result) for w in ps.warnings}
    assert sections["cluster.order_dependent"] == "clusters"


# -- cluster.use_suggested_k ------------------------------------------------------------------

def test_use_suggested_k_keeps_the_study_k_and_computes_the_gap_once(monkeypatch):
    calls = []
    real = kchoice.start_gap

    def counting(*args, **kwargs):
        calls.append(args[5] if len(args) > 5 else kwargs.get("B"))
        return real(*args, **kwargs)

    monkeypatch.setattr(kchoice, "start_gap", counting)
    monkeypatch.setattr(diagnose_module, "start_gap", counting)
    study = load_study(sample_study_path(), overrides={"cluster.use_suggested_k": True, "cluster.bootstrap": 10,
                                                       "cluster.permutations": 5, "cluster.gap_b": 30})
    result = run_until(study, "diagnostics")
    d = result.values["diagnostics"]
    assert len(calls) == 1, f"the gap statistic was computed {len(calls)} times"
    assert d.study_k == 4 and d.k == d.suggested_k == result.values["k"] != 4
    membership = result["membership"]
    assert (membership["cluster"] == membership[f"k{d.k}"]).all() and "k4" in membership
    warning = next(w for w in result.warnings if w.key == "cluster.using_suggested_k")
    assert f"k = 4" in warning.en and f"k = {d.k}" in warning.en
    sections = {w.key: ps.section.id for ps in plan(result) for w in ps.warnings}
    assert sections["cluster.using_suggested_k"] == "clusters"


def test_use_suggested_k_is_noted_even_without_diagnostics():
    study = load_study(sample_study_path(), overrides={"cluster.use_suggested_k": True, "cluster.diagnostics": False,
                                                       "cluster.gap_b": 10})
    result = run_until(study, "diagnostics")
    assert "diagnostics" not in result.values and result.values["k"] != 4
    assert [w for w in result.warnings if w.key == "cluster.using_suggested_k"]


# -- the report: sections, labels, formats, notes -----------------------------------------

def test_cluster_tables_sit_in_the_clusters_section_with_labels(sample_result):
    clusters = next(ps for ps in plan(sample_result) if ps.section.id == "clusters")
    names = [i.name for i in clusters.items if i.kind == "table"]
    for name in ("kstats", "kvotes", "gap", "silhouette", "stability", "null_stability", "order_stability", "ties"):
        assert name in names, f"{name} is not in the Clusters section"
    known = catalogue()
    for item in clusters.items:
        if item.kind != "table" or sample_result.tables[item.name].stage != "diagnostics":
            continue
        for col in present_table(sample_result, item, "both", all_columns=True).columns:
            assert f"column.{col.name}" in known, f"{item.name}: no label for column {col.name}"
    order = next(i for i in clusters.items if i.name == "order_stability")
    row = present_table(sample_result, order, "en").rows[0]
    shown = [c.text for c in row]
    assert shown == ["100", "0.0%", "1.000", "1.000"], shown


def test_gap_and_null_conventions_are_stated_under_their_tables(sample_result):
    gap_note = sample_result.tables["kstats"].note
    assert gap_note is not None and gap_note.key == "cluster.note.gap"
    for part in ("B = 100", "20210301", "Tibs2001SEmax", "d.power = 2", "spaceH0 = \"original\"", "k = 1…9"):
        assert part in gap_note.en, part
    null_note = sample_result.tables["stability"].note
    sets, resamples = null_design(200)
    assert null_note.key == "cluster.note.null" and f"{sets} data sets" in null_note.en
    assert f"B₀ = {resamples}" in null_note.en
    votes = sample_result["kvotes"]
    assert list(votes.columns) == ["index", "k", "vote_note"]


def test_two_types_compare_with_the_other_type():
    from egoveval.cluster.describe import describe_clusters

    q = pd.DataFrame({"a": [1.0, 2.0, 9.0, 10.0], "b": [5.0, 4.0, 1.0, 0.0]},
                     index=[f"synthetic{i}" for i in range(4)])
    d = describe_clusters(q, pd.Series([1, 1, 2, 2], index=q.index), directions={"b": -1})
    top, bottom = d.table["text_en"]
    assert "above that of the other type, Level 2 of 2 (lowest)" in top
    assert "below that of the other type, Level 1 of 2 (highest)" in bottom
    assert not any(w in top + bottom for w in ("second-ranked", "next-to-last"))
    assert "比另一类" in d.table["text_zh"].iloc[1] and "倒数第二" not in d.table["text_zh"].iloc[1]
    assert d.markdown_zh.count("个单位聚为 2 类（聚类方法：Ward 离差平方和法）") == 1
