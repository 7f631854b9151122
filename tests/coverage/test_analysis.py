"""The coverage tables on a hand-checkable case (see conftest: 5 cities, 2 channels × 2 areas)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from egoveval.coverage import coverage_tables
from egoveval.coverage.rates import ADOPTION_COLUMNS
from egoveval.errors import InputError
from egoveval.frameworks.loading import parse_framework

from .conftest import TINY_FRAMEWORK


def _run(values, fw, units, **kw):
    return coverage_tables(values, fw, units, figures=False, **kw)


def test_adoption_rates_by_hand(tiny_values, tiny_framework, city_units):
    res = _run(tiny_values, tiny_framework, city_units)
    a = res.adoption
    assert list(a.columns) == ADOPTION_COLUMNS
    assert list(a["group"].unique()) == ["key", "prefecture", "all"]
    got = a.set_index(["channel", "area", "group"])[["n", "provided"]].apply(tuple, axis=1).to_dict()
    expected = {
        ("A", "x", "key"): (3, 2), ("A", "x", "prefecture"): (2, 1), ("A", "x", "all"): (5, 3),
        ("A", "y", "key"): (3, 1), ("A", "y", "prefecture"): (2, 0), ("A", "y", "all"): (5, 1),
        ("B", "x", "key"): (3, 1), ("B", "x", "prefecture"): (2, 1), ("B", "x", "all"): (5, 2),
        ("B", "y", "key"): (3, 0), ("B", "y", "prefecture"): (1, 0), ("B", "y", "all"): (4, 0),
    }
    assert got == expected, f"expected {expected}, got {got}"
    row = a[(a.channel == "A") & (a.area == "x") & (a.group == "all")].iloc[0]
    assert row["rate"] == pytest.approx(0.6)
    # Wilson for 3 of 5 by hand: centre (0.6 + z²/10)/(1 + z²/5) = 0.556552, half 0.325829 (R: prop.test)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((0.230723, 0.882381), abs=2e-6)
    assert res.warnings and res.warnings[0].key == "coverage.missing_cells"


def test_rates_by_region(tiny_values, tiny_framework, city_units):
    r = _run(tiny_values, tiny_framework, city_units).by_region
    sel = r[(r.channel == "A") & (r.area == "x") & (r.group == "all")]
    assert list(sel["region"]) == ["East", "Central"]
    assert list(sel["n"]) == [4, 1] and list(sel["provided"]) == [2, 1]
    assert set(r["group"]) == {"key", "prefecture", "all"}


def test_scores_ranks_and_gaps(tiny_values, tiny_framework, city_units):
    res = _run(tiny_values, tiny_framework, city_units)
    s = res.city_scores.set_index("code")
    assert s.loc["110000", "score"] == 0.75 and s.loc["310000", "score"] == 0.25
    assert s.loc["140200", "score"] == 0.25 and s.loc["120000", "score"] == 0.0
    assert pd.isna(s.loc["130200", "score"]) and pd.isna(s.loc["130200", "rank"])  # a missing cell
    assert s.loc["130200", "observed"] == 3 and s.loc["130200", "provided"] == 1
    assert [s.loc[c, "rank"] for c in ("110000", "310000", "140200", "120000")] == [1, 2, 2, 4]
    assert s.loc["140200", "rank_in_group"] == 1
    assert s.loc["120000", "channels_absent"] == "渠道A、渠道B"
    assert s.loc["120000", "areas_uncovered"] == "甲域、乙域"
    assert s.loc["130200", "channels_absent"] == "渠道A" and s.loc["130200", "areas_uncovered"] == "乙域"
    assert s.loc["110000", "channels_absent"] == "" and s.loc["110000", "score_B"] == 0.5
    dense = _run(tiny_values, tiny_framework, city_units, rank_method="dense").city_scores.set_index("code")
    assert dense.loc["120000", "rank"] == 3
    g = res.gaps
    bj = g[g.code == "110000"]
    assert list(zip(bj.channel, bj.area, bj.status)) == [("B", "y", "not_provided")]
    ts = g[g.code == "130200"]
    assert list(zip(ts.channel, ts.area, ts.status)) == [("A", "x", "not_provided"), ("A", "y", "not_provided"),
                                                         ("B", "y", "missing")]
    assert len(g[g.code == "120000"]) == 4


def test_cooccurrence_by_hand(tiny_values, tiny_framework, city_units):
    c = _run(tiny_values, tiny_framework, city_units).cooccurrence
    ab = c[(c.channel_a == "A") & (c.channel_b == "B")].iloc[0]
    # A present: 北京 上海 大同; B present: 北京 唐山 → both 1, A only 2, B only 1, neither 1
    assert (ab["both"], ab["a_only"], ab["b_only"], ab["neither"]) == (1, 2, 1, 1)
    assert ab["share_both"] == pytest.approx(0.2)
    assert ab["phi"] == pytest.approx((1 * 1 - 2 * 1) / math.sqrt(3 * 2 * 2 * 3))
    assert ab["jaccard"] == pytest.approx(0.25)
    aa = c[(c.channel_a == "A") & (c.channel_b == "A")].iloc[0]
    assert aa["phi"] == pytest.approx(1.0)


def test_comparison_with_benchmarks(tiny_values, tiny_framework, city_units):
    bench = pd.DataFrame({"channel": ["A", "渠道A", "Channel B"], "area": ["x", "all", "甲域"],
                          "group": ["all", "重点城市", "prefecture"], "rate": ["0.6", "90%", 0.5],
                          "source": ["s1", "s2", "s3"]})
    comp = _run(tiny_values, tiny_framework, city_units, benchmarks=bench).comparison
    first = comp.iloc[0]
    assert (first["n"], first["provided"], first["measured"], first["difference"]) == (5, 3, 0.6, 0.0)
    assert bool(first["within_ci"]) and first["binom_p"] == pytest.approx(1.0)
    pooled = comp.iloc[1]  # key cells of channel A: A__x 1,1,0 and A__y 1,0,0
    assert (pooled["basis"], pooled["n"], pooled["provided"]) == ("pooled_areas", 6, 3)
    assert not bool(pooled["within_ci"])  # Wilson (0.188, 0.812) excludes 0.9
    assert pooled["binom_p"] == pytest.approx(0.01585, rel=1e-9)  # R: binom.test(3, 6, 0.9)$p.value
    assert comp.iloc[2]["group"] == "prefecture" and comp.iloc[2]["measured"] == 0.5


def test_all_benchmark_problems_at_once(tiny_values, tiny_framework, city_units):
    bench = pd.DataFrame({"channel": ["C", "A", "A"], "area": ["x", "z", "x"], "group": ["all", "nation", "all"],
                          "rate": ["0.5", "1.5", "x"], "source": ["", "", ""]})
    with pytest.raises(InputError) as info:
        _run(tiny_values, tiny_framework, city_units, benchmarks=bench)
    rules = sorted(p.rule for p in info.value.problems)
    assert rules == sorted(["coverage.bench_channel", "coverage.bench_area", "coverage.bench_group",
                            "coverage.bench_rate", "coverage.bench_rate"]), rules


def test_bad_values_and_units_are_all_reported(tiny_values, tiny_framework, city_units):
    bad = tiny_values.copy().astype(object)
    bad.loc["110000", "A__x"] = 2
    bad.loc["310000", "B__y"] = "是"
    bad = bad.drop(columns="B__x")
    bad.loc["999999"] = [1, 1, 1]
    with pytest.raises(InputError) as info:
        _run(bad, tiny_framework, city_units)
    rules = sorted(p.rule for p in info.value.problems)
    assert rules == sorted(["coverage.not_01", "coverage.not_01", "coverage.missing_indicator",
                            "coverage.unknown_unit"]), rules


def test_a_non_coverage_framework_is_refused(city_units, tiny_values):
    spec = {**TINY_FRAMEWORK, "channels": [{**TINY_FRAMEWORK["channels"][0], "indicators": [
        {"id": "A__x", "name_zh": "甲", "kind": "count", "area": "x"},
        {"id": "A__y", "name_zh": "乙", "kind": "binary"}]}]}
    with pytest.raises(InputError) as info:
        _run(tiny_values, parse_framework(spec), city_units)
    assert sorted(p.rule for p in info.value.problems) == ["coverage.no_area", "coverage.not_binary"]
    from egoveval.frameworks import load_framework

    with pytest.raises(InputError) as info:
        _run(tiny_values, load_framework("provincial-channels"), city_units)
    assert "coverage.no_areas" in {p.rule for p in info.value.problems}
