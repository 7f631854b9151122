"""build_index: options, validation (all problems at once), missing units, result layout."""

import numpy as np
import pandas as pd
import pytest

from egoveval.errors import InputError
from egoveval.index import INDEX_OPTIONS, build_index


Q = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [4.0, 1.0, 2.0, 3.0], "c": [0.1, 0.2, 0.3, 0.9]},
                 index=["synthetic_A", "synthetic_B", "synthetic_C", "synthetic_D"])


def rules(exc):
    return sorted(p.rule for p in exc.value.problems)


def test_every_option_declared_with_help():
    assert all(o.help for o in INDEX_OPTIONS.values())


def test_unknown_option_with_hint():
    with pytest.raises(InputError) as exc:
        build_index(Q, {"a": {}}, {"normalise": "minmax", "agregate": "x"})
    hints = sorted(dict(p.params)["hint"] for p in exc.value.problems)
    assert hints == ["aggregate", "normalize"]


def test_all_problems_at_once():
    with pytest.raises(InputError) as exc:
        build_index(Q, {"a": {"weight": -1}, "zz": {}, "b": {"direction": 2}},
                    {"rank": "olympic"})
    assert rules(exc) == ["index.option_choice"]  # options are checked first
    with pytest.raises(InputError) as exc:
        build_index(Q, {"a": {"weight": -1}, "zz": {}, "b": {"direction": 2}})
    assert rules(exc) == ["index.column_unknown", "index.option_invalid", "index.weight_invalid"]


def test_direction_and_weights_from_framework():
    res = build_index(Q, {"a": {"weight": 3}, "b": {"direction": -1, "weight": 1}}, {"decimals": None})
    # minmax: a → 0, 1/3, 2/3, 1 ; b reversed → 0, 1, 2/3, 1/3
    exp = 0.75 * np.array([0, 1 / 3, 2 / 3, 1]) + 0.25 * np.array([0, 1, 2 / 3, 1 / 3])
    np.testing.assert_allclose(res.index.to_numpy(), exp)


def test_missing_unit_has_no_score_rank_or_tier_and_a_warning():
    q = Q.copy()
    q.loc["synthetic_B", "a"] = np.nan
    res = build_index(q, {"a": {}, "b": {}}, {"uncertainty": {"n": 32, "seed": 1, "n_boot": 0}})
    assert np.isnan(res.index["synthetic_B"]) and pd.isna(res.ranks["synthetic_B"])
    assert res.tiers["synthetic_B"] is None
    assert [m.key for m in res.warnings] == ["index.unit_missing"]
    t = res.table("id")
    assert pd.isna(t.loc[1, "rank_median"]) and t["rank"].notna().sum() == 3


def test_cn_scale_is_0_100():
    res = build_index(Q, {"a": {}, "b": {}}, {"tiers": "cn"})
    assert res.index.max() <= 100 and res.index.max() > 1
    assert set(res.tiers) <= {"非常高", "高", "中", "低"}


def test_mismatched_uncertain_normalisers_refused():
    with pytest.raises(InputError) as exc:
        build_index(Q, {"a": {}, "b": {}}, {"uncertainty": {"n": 8, "normalisers": ["minmax", "zscore"],
                                                           "aggregators": ["arithmetic"]}})
    assert rules(exc) == ["index.uncertain_ranges"]


def test_dist2target_needs_targets():
    with pytest.raises(InputError) as exc:
        build_index(Q, {"a": {"target": 3}, "b": {}}, {"normalize": "dist2target"})
    assert rules(exc) == ["index.target_missing"]
    res = build_index(Q, {"a": {"target": 3}, "b": {"target": 3}}, {"normalize": "dist2target",
                                                                     "decimals": None})
    np.testing.assert_allclose(res.normalized["a"], [0, 0.5, 1, 1])


def test_result_is_frozen():
    res = build_index(Q, {"a": {}}, {})
    with pytest.raises(Exception):
        res.index = None
