"""Long-format files (unit, indicator, value) are keyed by the unit a name matches, not by the
string as written (synthetic values from the bundled sample collection)."""

from __future__ import annotations

import pandas as pd
import pytest

from egoveval.errors import InputError
from egoveval.frameworks import load_framework
from egoveval.io.observations import read_observations
from egoveval.samples.provincial import SAMPLE_FILE, sample_study_path
from egoveval.units import provinces

FW = load_framework("provincial-channels")


def sample_long() -> pd.DataFrame:
    wide = pd.read_csv(sample_study_path().parent / SAMPLE_FILE, dtype=str, keep_default_na=False,
                       encoding="utf-8-sig").drop(columns=["来源", "备注"])
    return wide.melt(id_vars="地区", var_name="指标", value_name="数值")


def write(frame: pd.DataFrame, path) -> str:
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return str(path)


def test_one_unit_spelled_two_ways_is_one_unit(tmp_path):
    long = sample_long()
    beijing = long["地区"] == "北京市"
    assert beijing.sum() == len(FW.indicators)
    first_half = beijing & long["指标"].isin([i.name_zh for i in FW.indicators[:8]])
    long.loc[first_half, "地区"] = "北京"  # the other half keeps 北京市
    obs = read_observations(write(long, tmp_path / "long.csv"), FW, provinces())
    reference = read_observations(write(sample_long(), tmp_path / "ref.csv"), FW, provinces())
    pd.testing.assert_frame_equal(obs.values, reference.values)
    assert obs.rows["110000"] == reference.rows["110000"] == 2  # the unit's first row in the file


def test_a_duplicate_spelled_differently_is_still_a_duplicate(tmp_path):
    long = sample_long()
    row = long[(long["地区"] == "北京市") & (long["指标"] == "应用评分")].copy()
    row["地区"], row["数值"] = "北京", "4.9"
    long = pd.concat([long, row], ignore_index=True)
    with pytest.raises(InputError) as info:
        read_observations(write(long, tmp_path / "long.csv"), FW, provinces())
    rules = [p.rule for p in info.value.problems]
    assert rules == ["obs.duplicate_long"], rules
    problem = info.value.problems[0]
    assert problem.row == len(long) + 1 and "北京" in str(problem.value)
    assert dict(problem.params)["first"] == 1 + 1 + long.index[(long["地区"] == "北京市")
                                                               & (long["指标"] == "应用评分")][0]


def test_unknown_names_are_still_reported_once_each(tmp_path):
    long = sample_long()
    long.loc[long["地区"] == "天津市", "地区"] = "北平"
    with pytest.raises(InputError) as info:
        read_observations(write(long, tmp_path / "long.csv"), FW, provinces())
    unknown = [p for p in info.value.problems if p.rule == "units.unknown"]
    assert [p.value for p in unknown] == ["北平"]
    assert {p.rule for p in info.value.problems} == {"units.unknown", "obs.unit_absent"}
