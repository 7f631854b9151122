"""Audit fixes of issue 5 in the library: the Monte Carlo always contains the nominal method,
refuses a run where nothing can vary, perturbs channel weights too, leaks no NumPy warning;
indicator-weight overrides, custom tier labels, dist2target targets. Data are synthetic."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from egoveval.errors import InputError
from egoveval.index import build_index
from egoveval.index.tiers import TIER_PRESETS, TierSpecError, parse_tiers
from egoveval.index.uncertainty import UncertaintySpec, plan_assumptions


def rules(exc):
    return sorted(p.rule for p in exc.value.problems)


def synthetic(n=30, m=4, seed=0, skew=False):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, m)) + rng.normal(size=(n, 1))
    if skew:
        x = np.exp(1.5 * x)  # min–max and rank normalisation then order units differently
    return pd.DataFrame(x, index=[f"synthetic_{i:02d}" for i in range(n)],
                        columns=[f"ind{j}" for j in range(m)])


# --- 2: nothing uncertain can vary → an input problem, not an internal error ----------------

@pytest.mark.parametrize("options", [
    {"normalize": "none", "uncertainty": {"n": 20, "assumptions": ["normalisation"], "normalisers": ["none"]}},
    {"normalize": "zscore", "uncertainty": {"n": 20, "assumptions": ["aggregation", "drop"],
                                            "aggregators": ["arithmetic"]}},
    {"uncertainty": {"n": 20, "assumptions": ["weights"], "weight_noise": 0}},
])
def test_nothing_can_vary_is_an_input_problem(options):
    q = synthetic(m=1)
    with pytest.raises(InputError) as exc:
        build_index(q, {"ind0": {}}, options)
    assert rules(exc) == ["index.uncertain_none"]


def test_single_indicator_weights_are_skipped_with_a_note_and_no_numpy_warning():
    q = synthetic(m=1, skew=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning (0/0, all-NaN slice) would fail here
        res = build_index(q, {"ind0": {}}, {"uncertainty": {"n": 64, "seed": 2, "n_boot": 30,
                                                            "assumptions": ["weights", "normalisation"]}})
    keys = [m.key for m in res.warnings]
    assert "index.note.weights_inactive" in keys
    assert res.sensitivity["assumption"].tolist() == ["normalisation"]


def test_no_rank_change_gives_undefined_indices_without_warnings():
    q = synthetic(n=12, m=3, seed=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = build_index(q, {c: {} for c in q.columns},
                          {"uncertainty": {"n": 64, "seed": 1, "assumptions": ["weights"],
                                           "weight_noise": 1e-9, "n_boot": 20}})
    assert res.sensitivity[["first_order", "total", "ci_low", "ci_high"]].isna().all().all()
    assert "index.note.no_variance" in [m.key for m in res.warnings]


# --- 3: the nominal normaliser / aggregator is always among the alternatives ----------------

def test_nominal_normaliser_is_prepended_and_its_range_checked():
    q = synthetic()
    with pytest.raises(InputError) as exc:  # zscore vs the default minmax, rank: ranges differ
        build_index(q, {c: {} for c in q.columns}, {"normalize": "zscore",
                                                    "uncertainty": {"n": 16, "aggregators": ["arithmetic"]}})
    assert rules(exc) == ["index.uncertain_ranges"]
    res = build_index(q, {c: {} for c in q.columns},
                      {"normalize": "rank", "aggregate": "generalised",
                       "uncertainty": {"n": 16, "n_boot": 0, "normalisers": ["minmax"]}})
    spec = res.options["uncertainty"]
    assert spec.normalisers == ("rank", "minmax") and spec.aggregators[0] == "generalised"


def test_rank_intervals_describe_the_nominal_index():
    # only normalisation is uncertain and the user lists two methods that both differ from the
    # nominal rank normalisation: a third of the runs must still be the nominal index, so every
    # unit's nominal rank lies inside its 5–95 % interval
    q = synthetic(n=40, m=4, seed=3, skew=True)
    fw = {c: {} for c in q.columns}
    res = build_index(q, fw, {"normalize": "rank", "decimals": None,
                              "uncertainty": {"n": 300, "seed": 5, "n_boot": 0, "assumptions": ["normalisation"],
                                              "normalisers": ["minmax", "z-minmax"]}})
    other = build_index(q, fw, {"normalize": "minmax", "decimals": None})
    assert (other.ranks != res.ranks).sum() > 5, "synthetic data must separate the two methods"
    u = res.uncertainty
    nominal = res.ranks.astype(int)
    inside = (u["rank_p05"] <= nominal) & (nominal <= u["rank_p95"])
    assert inside.all(), u[~inside]


# --- 7: channel weights are perturbed too ----------------------------------------------------

def test_one_indicator_per_channel_still_has_weight_uncertainty():
    q = synthetic(n=30, m=3, seed=6)
    fw = {c: {"channel": f"ch_{c}"} for c in q.columns}  # every channel holds one indicator
    res = build_index(q, fw, {"decimals": None, "uncertainty": {"n": 200, "seed": 1, "n_boot": 0,
                                                                "assumptions": ["weights"]}})
    u = res.uncertainty
    assert (u["rank_p95"] > u["rank_p05"]).sum() >= 5  # within-channel noise alone moves nothing
    assert res.sensitivity.set_index("assumption").loc["weights", "total"] > 0.5


def test_plan_counts_channel_columns_in_the_weight_group():
    active, sizes, _ = plan_assumptions(UncertaintySpec(assumptions=("weights", "drop")),
                                        np.array([0.25, 0.25, 0.5]), 2)
    assert active == ["weights", "drop"] and sizes == [3 + 2, 1]


# --- 5: indicator weights overridable in a study ----------------------------------------------

def test_indicator_weights_override_the_framework():
    q = pd.DataFrame({"a": [0.0, 1.0, 0.5], "b": [1.0, 0.0, 0.5]}, index=["s1", "s2", "s3"])
    res = build_index(q, {"a": {"weight": 1}, "b": {"weight": 1}},
                      {"normalize": "none", "indicator_weights": {"a": 3}})
    assert res.index.tolist() == [0.25, 0.75, 0.5]  # a: 3/4, b: 1/4


def test_weight_overrides_unknown_ids_and_conflicts_are_problems():
    q = synthetic(m=2)
    fw = {"ind0": {"channel": "X"}, "ind1": {"channel": "Y"}}
    with pytest.raises(InputError) as exc:
        build_index(q, fw, {"indicator_weights": {"ind9": 1, "ind0": -1}, "channel_weights": {"Z": 1}})
    assert rules(exc) == ["index.weight_invalid", "index.weight_unknown_channel",
                          "index.weight_unknown_indicator"]
    with pytest.raises(InputError) as exc:
        build_index(q, fw, {"weights": "equal", "indicator_weights": {"ind0": 2}})
    assert rules(exc) == ["index.weights_conflict"]


# --- 6: custom tier labels ----------------------------------------------------------------------

def test_tier_mapping_with_bilingual_labels_in_a_study():
    q = pd.DataFrame({"a": [95.0, 85.0, 50.0]}, index=["s1", "s2", "s3"])
    tiers = {"thresholds": [60, 90], "labels": [{"zh": "领先", "en": "Leading"}, "中游", {"zh": "落后", "en": "Lagging"}]}
    res = build_index(q, {"a": {}}, {"normalize": "none", "tiers": tiers})
    assert res.tiers.tolist() == ["领先", "中游", "落后"]
    assert res.tier_names("en").tolist() == ["Leading", "中游", "Lagging"]
    assert res.tier_scheme.scale == 100


def test_zh_en_list_pairs_as_for_type_labels():
    s = parse_tiers({"thresholds": [0.5], "labels": [["上", "Upper"], ["下", "Lower"]]})
    assert s.assign([0.5, 0.4]) == ["上", "下"] and s.names("en") == ("Lower", "Upper")


def test_relabelling_a_preset_keeps_its_boundaries():
    s = parse_tiers({"thresholds": "un", "labels": ["A", "B", "C", "D"]})
    assert s.assign([0.75, 0.7501, 0.25]) == ["B", "A", "C"]


@pytest.mark.parametrize("spec, rule", [
    ({"thresholds": [1, 2], "labels": ["a", "b"]}, "index.tier_labels_count"),
    ({"thresholds": [1, 2], "labels": ["a", "a", "b"]}, "index.tier_labels_invalid"),
    ({"thresholds": [1, 2], "labels": ["a", {"zh": "乙"}, "c"]}, "index.tier_labels_invalid"),
    ({"limits": [1, 2]}, "index.tiers_mapping"),
    ({"labels": ["a", "b"]}, "index.tiers_mapping"),
    ({"thresholds": "1,x"}, "index.tiers_invalid"),
])
def test_bad_tier_labels_name_their_rule(spec, rule):
    with pytest.raises(TierSpecError) as exc:
        parse_tiers(spec)
    assert exc.value.rule == rule
    with pytest.raises(InputError) as exc2:
        build_index(synthetic(m=1), {"ind0": {}}, {"tiers": spec})
    assert rules(exc2) == [rule]


def test_cn_preset_has_english_names_and_un_chinese_ones():
    assert TIER_PRESETS["cn"].names("en") == ("Low", "Middle", "High", "Very high")
    assert TIER_PRESETS["un"].names("zh") == ("低", "中", "高", "非常高")
    assert TIER_PRESETS["cn"].labels == ("低", "中", "高", "非常高")  # what index.csv writes


# --- 9: dist2target target at or behind the worst value ------------------------------------

@pytest.mark.parametrize("direction, target", [(1, 1.0), (1, 0.5), (-1, 5.0), (-1, 9.0)])
def test_target_not_beyond_the_worst_value_is_a_problem(direction, target):
    q = pd.DataFrame({"a": [1.0, 3.0, 5.0]})
    with pytest.raises(InputError) as exc:
        build_index(q, {"a": {"target": target, "direction": direction}}, {"normalize": "dist2target"})
    assert rules(exc) == ["index.target_not_beyond_worst"]


def test_target_beyond_the_worst_value_for_a_lower_is_better_indicator():
    q = pd.DataFrame({"a": [1.0, 3.0, 5.0]})
    res = build_index(q, {"a": {"target": 2.0, "direction": -1}}, {"normalize": "dist2target", "decimals": None})
    np.testing.assert_allclose(res.normalized["a"], [1.0, 2 / 3, 0.0])  # (5 − x)/(5 − 2), capped at 1


@pytest.mark.parametrize("unc, column", [
    (100, "uncertainty"), ({"n": 10, "assumptions": 3}, "uncertainty.assumptions"),
    ({"n": 10, "seed": "x"}, "uncertainty.seed"), ({"n": 10, "seed": -1}, "uncertainty.seed"),
    ({"n": 10, "weight_noise": 2}, "uncertainty.weight_noise"),
    ({"n": 10, "weight_noise": "0.1"}, "uncertainty.weight_noise"),
    ({"n": 10, "sampler": "halton"}, "uncertainty.sampler"),
    ({"n": 10, "conf": "x"}, "uncertainty.conf"), ({"n": 10, "conf": 1.5}, "uncertainty.conf"),
    ({"n": 10, "conf": 0}, "uncertainty.conf"), ({"n": 10, "conf": True}, "uncertainty.conf"),
    ({"n": 10, "chunk": 0}, "uncertainty.chunk"), ({"n": 10, "chunk": 2.5}, "uncertainty.chunk"),
    ({"n": 10, "workers": "two"}, "uncertainty.workers"), ({"n": 10, "workers": 0}, "uncertainty.workers"),
    ({"n": 10, "progress": "yes"}, "uncertainty.progress"), ({"n": 10, "n_boot": -1}, "uncertainty.n_boot"),
])
def test_bad_uncertainty_settings_are_problems_naming_the_key(unc, column):
    with pytest.raises(InputError) as exc:
        build_index(synthetic(m=2), {"ind0": {}, "ind1": {}}, {"uncertainty": unc})
    assert [p.column for p in exc.value.problems] == [column]


def test_every_bad_uncertainty_field_is_reported_at_once():
    with pytest.raises(InputError) as exc:
        build_index(synthetic(m=2), {"ind0": {}, "ind1": {}},
                    {"uncertainty": {"n": 10, "conf": 1.5, "chunk": 0, "workers": "two", "progress": 1}})
    got = sorted(p.column for p in exc.value.problems)
    assert got == ["uncertainty.chunk", "uncertainty.conf", "uncertainty.progress", "uncertainty.workers"]


def test_good_edge_values_of_the_run_settings_are_accepted():
    res = build_index(synthetic(m=2), {"ind0": {}, "ind1": {}},
                      {"uncertainty": {"n": 16, "n_boot": 10, "conf": 0.9, "chunk": 1, "workers": 1,
                                       "progress": False, "assumptions": ["weights"]}})
    assert res.uncertainty is not None and len(res.sensitivity) == 1


@pytest.mark.parametrize("options, expected_zh, expected_en", [
    ({"uncertainty": {"n": 10, "conf": 1.5}}, "0 与 1 之间", "strictly between 0 and 1"),
    ({"uncertainty": {"n": 10, "chunk": 0}}, "不小于 1 的整数", "a whole number ≥ 1"),
    ({"uncertainty": {"n": 10, "progress": "yes"}}, "true 或 false", "true or false"),
    ({"decimals": -1}, "None 或不小于 0 的整数", "None or a whole number ≥ 0"),
    ({"channel_weights": [1, 2]}, "编号 → 权重的映射", "a mapping id → weight"),
])
def test_option_problems_say_what_is_expected_in_each_language(options, expected_zh, expected_en):
    with pytest.raises(InputError) as exc:
        build_index(synthetic(m=2), {"ind0": {}, "ind1": {}}, options)
    (problem,) = exc.value.problems
    zh, en = problem.message("zh"), problem.message("en")
    assert expected_zh in zh and expected_en in en
    assert not re.search(r"[A-Za-z]{3,}", zh.replace("None", "").replace("true", "").replace("false", "")), \
        f"English words in the Chinese message: {zh}"


def test_direction_and_target_problems_are_bilingual():
    q = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]})
    with pytest.raises(InputError) as exc:
        build_index(q, {"a": {"direction": 2}, "b": {"target": "high"}}, {"normalize": "dist2target"})
    zh = sorted(p.message("zh") for p in exc.value.problems if p.rule == "index.option_invalid")
    assert zh == ["取值无效，应为一个数值（目标值）", "取值无效，应为方向 +1 或 −1"]


def test_the_uncertainty_plan_is_computed_once(monkeypatch):
    from egoveval.index import build, uncertainty

    calls = []
    real = uncertainty.plan_assumptions

    def counted(*args, **kw):
        calls.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(build, "plan_assumptions", counted)
    monkeypatch.setattr(uncertainty, "plan_assumptions", counted)
    res = build_index(synthetic(m=2), {"ind0": {}, "ind1": {}},
                      {"uncertainty": {"n": 16, "n_boot": 0, "assumptions": ["weights", "drop"]}})
    assert len(calls) == 1 and res.sensitivity["assumption"].tolist() == ["weights", "drop"]


def test_tiers_help_states_the_presets_as_they_assign():
    from egoveval.index.build import INDEX_OPTIONS

    help_text = INDEX_OPTIONS["tiers"].help
    for name, scheme in TIER_PRESETS.items():
        assert "; ".join(scheme.describe()) in help_text, name
    assert "High: 0.5 ≤ x ≤ 0.75" in help_text  # 0.75 exactly is High (UN: "greater than 0.75")


def test_uncertain_lists_may_be_comma_separated_text():
    res = build_index(synthetic(m=2), {"ind0": {}, "ind1": {}},
                      {"uncertainty": {"n": 16, "n_boot": 0, "assumptions": "weights, drop"}})
    assert res.sensitivity["assumption"].tolist() == ["weights", "drop"]
