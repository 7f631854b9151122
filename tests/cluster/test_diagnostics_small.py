"""Hand-checked tiny cases, invariants (Hypothesis), ties under permutation, diagnose() and
the CLI contract of ``egoveval cluster`` (issue 4)."""

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn import metrics as skm

from egoveval.cli import cli
from egoveval.cluster import build_tree, cut
from egoveval.cluster.diagnose import diagnose
from egoveval.cluster.fastcut import cut_many, first_appearance
from egoveval.cluster.kchoice import (calinski_harabasz, davies_bouldin, elbow_scores, gap_rule,
                                      r_squared, silhouette_samples, within_ss)
from egoveval.cluster.separation import strengths_weaknesses
from egoveval.cluster.stability import (adjusted_rand, jaccard_max, order_stability, stability_band,
                                        tied_merges)
from egoveval.errors import InputError


def test_jaccard_by_hand():
    # original {a,b} {c,d}; new {a,b,c} {d}: J({a,b},{a,b,c}) = 2/3, J({c,d},{d}) = 1/2
    got = jaccard_max(np.array([1, 1, 2, 2]), np.array([1, 1, 1, 2]), 2)
    assert np.allclose(got, [2 / 3, 0.5]), f"expected [0.667, 0.5], got {got}"


def test_bands():
    got = [stability_band(j) for j in (0.5, 0.55, 0.6, 0.74, 0.75, 0.85)]
    assert got == ["dissolved", "not_trustworthy", "doubtful", "doubtful", "stable", "highly_stable"]


def test_within_ss_and_r2_by_hand():
    X = np.array([[0.0], [2.0], [10.0], [12.0]])
    lab = np.array([1, 1, 2, 2])
    assert within_ss(X, lab) == pytest.approx(4.0), "expected W = 1+1+1+1 = 4"
    t = build_tree(X, list("abcd"))
    # T = 36 + 16 + 16 + 36 = 104 (mean 6): R² = 1 − 4/104, CH = (100/1)/(4/2) = 50
    assert r_squared(X, t, 2) == pytest.approx(1 - 4 / 104, abs=1e-12)
    assert calinski_harabasz(X, lab) == pytest.approx(50.0)


def test_gap_rule_by_hand():
    # Gap(1)=0.1 < Gap(2)−s2 = 0.5−0.1; Gap(2)=0.5 ≥ Gap(3)−s3 = 0.55−0.1 → k̂ = 2
    assert gap_rule(np.array([0.1, 0.5, 0.55]), np.array([0.1, 0.1, 0.1]), [1, 2, 3]) == (2, True)
    assert gap_rule(np.array([0.1, 0.2, 0.3]), np.array([0.01] * 3), [1, 2, 3]) == (3, False)  # holds nowhere


def test_elbow_by_hand():
    # Ward on 0, 1, 10, 11, 30: W(1..4) = 581.2, 101, 1, 0.5; ratios k=2: 480.2/100,
    # k=3: 100/0.5 = 200 → elbow at k = 3
    t = build_tree(np.array([[0.0], [1.0], [10.0], [11.0], [30.0]]), list("abcde"))
    e = elbow_scores(t, [2, 3])
    assert e.round(6).to_dict() == {2: 4.802, 3: 200.0}, f"got {e.to_dict()}"


def test_silhouette_and_db_equal_sklearn():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 3))
    lab = cut(build_tree(X, [str(i) for i in range(40)]), 4)
    D = np.linalg.norm(X[:, None] - X[None], axis=2)
    s, _ = silhouette_samples(D, lab)
    assert np.allclose(s, skm.silhouette_samples(X, lab))
    assert davies_bouldin(X, lab) == pytest.approx(skm.davies_bouldin_score(X, lab), rel=1e-12)
    other = first_appearance(rng.integers(0, 3, 40))
    assert adjusted_rand(lab, other) == pytest.approx(skm.adjusted_rand_score(lab, other), abs=1e-12)


def test_non_euclidean_ward_is_a_bilingual_input_error():
    with pytest.raises(InputError) as err:
        build_tree(np.eye(3), list("abc"), "ward", "manhattan")
    p = err.value.problems[0]
    assert p.rule == "cluster.method_needs_euclidean"
    assert p.message("zh").startswith("Ward 离差平方和法只能使用欧氏距离"), p.message("zh")  # not the raw id "ward 法"
    assert "Ward's method" in p.message("en")


def test_tied_ordinal_data_change_under_permutation_and_are_flagged():
    """Synthetic ordinal data (32 units × 5 indicators scored 0/1/2): many equal Ward merge
    costs, so the 4-cluster partition depends on the order of the units."""
    rng = np.random.default_rng(7)
    X = rng.integers(0, 3, size=(32, 5)).astype(float)
    t = build_tree(X, [f"synthetic{i}" for i in range(32)])
    lab = cut(t, 4)
    o = order_stability(X, lab, P=50, seed=1)
    ties = tied_merges(X, t)
    assert o.share_changed > 0, "expected the partition to change under some permutation"
    assert o.ari_range[0] < 1
    assert ties["tied"].sum() > 0 and ties["candidates"].max() > 1


def test_three_equally_spaced_points_flag_the_first_merge():
    t = build_tree(np.array([[0.0], [1.0], [2.0]]), list("abc"))
    ties = tied_merges(np.array([[0.0], [1.0], [2.0]]), t)
    assert ties["candidates"].tolist() == [2, 1], f"expected [2, 1], got {ties['candidates'].tolist()}"


def test_strengths_respect_direction_and_channel():
    zm = pd.DataFrame({"a": [0.8, -0.8], "b": [0.6, -0.6], "c": [0.1, 0.2]}, index=[1, 2])
    sw = strengths_weaknesses(zm, {"b": -1}, {"a": "X", "b": "Y", "c": "X"})
    got = sw[["cluster", "kind", "channel", "indicator"]].values.tolist()
    assert got == [[1, "strength", "X", "a"], [1, "weakness", "Y", "b"],
                   [2, "strength", "Y", "b"], [2, "weakness", "X", "a"]]


@settings(max_examples=40, deadline=None)
@given(arrays(float, st.tuples(st.integers(6, 25), st.integers(1, 4)),
              elements=st.floats(-100, 100, allow_nan=False, width=32)),
       st.integers(0, 2 ** 32 - 1), st.sampled_from(["ward", "average", "complete", "single"]))
def test_memberships_invariant_to_unit_order_without_ties(X, seed, method):
    X = X + np.random.default_rng(seed).normal(scale=1e-3, size=X.shape)  # break exact ties
    n = len(X)
    t = build_tree(X, [str(i) for i in range(n)], method)
    if tied_merges(X, t)["tied"].any():
        return
    perm = np.random.default_rng(seed).permutation(n)
    tp = build_tree(X[perm], [str(i) for i in perm], method)
    for k in (2, 3):
        back = np.empty(n, dtype=int)
        back[perm] = cut(tp, k)
        assert adjusted_rand(cut(t, k), first_appearance(back)) == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(arrays(float, st.tuples(st.integers(4, 30), st.integers(1, 3)),
              elements=st.floats(-10, 10, allow_nan=False, width=32)), st.integers(2, 3))
def test_silhouette_in_unit_interval_and_fastcut_equals_cut(X, k):
    n = len(X)
    t = build_tree(X, [str(i) for i in range(n)])
    lab = cut_many(t.Z, [k])[k]
    assert np.array_equal(lab, cut(t, k))
    D = np.linalg.norm(X[:, None] - X[None], axis=2)
    s, _ = silhouette_samples(D, lab)
    assert np.all((s >= -1 - 1e-12) & (s <= 1 + 1e-12))


@pytest.fixture(scope="module")
def synthetic_study():
    """Synthetic 12-unit, 4-indicator, 2-channel table (seeded)."""
    rng = np.random.default_rng(2021)
    base = np.repeat([[2.0, 2.0, 1.0, 1.0], [0.0, 0.0, 2.0, 2.0], [-2.0, -1.0, -1.0, -2.0]], 4, axis=0)
    q = pd.DataFrame(base + rng.normal(scale=0.3, size=base.shape), columns=["p1", "p2", "a1", "a2"],
                     index=[f"synthetic_{i:02d}" for i in range(12)])
    return q


def test_diagnose_is_deterministic_and_complete(synthetic_study):
    from egoveval.standardize import standardize

    q = synthetic_study
    z = standardize(q, "z").data
    t = build_tree(z.to_numpy(), list(q.index))
    kw = dict(k_range=(2, 5), bootstrap=30, permutations=10, seed=9, gap_b=20,
              channels={"p1": "platform", "p2": "platform", "a1": "app", "a2": "app"},
              channel_names={"platform": ("政务服务平台", "service platform"), "app": ("政务APP", "government app")},
              indicator_names={"p1": ("服务事项数", "services"), "p2": ("可在线办数", "online services"),
                               "a1": ("评分", "rating"), "a2": ("下载量", "downloads")})
    d1 = diagnose(z, q, t, 3, **kw)
    d2 = diagnose(z, q, t, 3, figures=False, **kw)
    assert d1.descriptions_zh == d2.descriptions_zh and d1.descriptions_en == d2.descriptions_en
    assert d1.suggested_k == 3 and d1.k == 3
    assert list(d1.stability.columns) == ["cluster", "size", "jaccard_mean", "band", "null_jaccard_mean",
                                          "null_jaccard_p05", "null_jaccard_p95"]
    assert set(d1.figures) == {"heatmap", "profiles", "silhouette", "k_panel"}
    assert all(png[:4] == b"\x89PNG" and b"<svg" in svg for png, svg in d1.figures.values())
    assert "政务服务平台（" in d1.descriptions_zh and "服务事项数 +" in d1.descriptions_zh
    assert "service platform (" in d1.descriptions_en and "services +" in d1.descriptions_en
    # the lowest type's description names its weaknesses
    low = d1.descriptions.table.iloc[-1]
    assert "Weaknesses:" in low["text_en"] and "短板" in low["text_zh"]


def test_cli_writes_the_contract(tmp_path, synthetic_study):
    src = tmp_path / "synthetic_units.csv"
    synthetic_study.rename_axis("unit").reset_index().to_csv(src, index=False)
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["cluster", str(src), "--id", "unit", "--k", "3", "--k-range", "2-5",
                                   "--bootstrap", "20", "--permutations", "5", "--gap-b", "10",
                                   "--method", "average", "--standardize", "range01", "--out", str(out)])
    assert res.exit_code == 0, res.output
    read = lambda name: pd.read_csv(out / name, encoding="utf-8-sig")  # noqa: E731
    assert list(read("kstats.csv").columns) == ["k", "silhouette", "calinski_harabasz", "davies_bouldin",
                                                "r2", "gap", "gap_se"]
    assert list(read("stability.csv").columns) == ["cluster", "size", "jaccard_mean", "band",
                                                   "null_jaccard_mean"]
    assert list(read("tests.csv").columns) == ["indicator", "kw_h", "kw_p", "epsilon2", "anova_f",
                                               "anova_p", "eta2"]
    assert list(read("membership.csv").columns) == ["unit", "k2", "k3", "k4", "k5"]
    assert (out / "descriptions.md").read_text(encoding="utf-8").count("###") == 6
    for name in ("schedule.csv", "heights.csv", "dendrogram.png"):
        assert (out / name).exists()


def test_cli_without_k_range_writes_no_kstats_and_rejects_bad_metric(tmp_path, synthetic_study):
    src = tmp_path / "synthetic_units.csv"
    synthetic_study.rename_axis("unit").reset_index().to_csv(src, index=False)
    res = CliRunner().invoke(cli, ["cluster", str(src), "--id", "unit", "--k", "3", "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    assert not (tmp_path / "o" / "kstats.csv").exists() and (tmp_path / "o" / "tests.csv").exists()
    res = CliRunner().invoke(cli, ["cluster", str(src), "--id", "unit", "--method", "median", "--metric",
                                   "correlation", "--out", str(tmp_path / "o2")], env={"COLUMNS": "400"})
    assert res.exit_code == 2 and not (tmp_path / "o2").exists()
    out = " ".join(res.output.split())
    assert "cluster.method_needs_euclidean" in out and "correlation" in out
    assert "中位数法只能使用欧氏距离或平方欧氏距离" in out, out
    assert "This linkage (the median method) needs Euclidean or squared Euclidean distances" in out, out
