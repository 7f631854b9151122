"""`egoveval cluster` on real data, against R (fixtures from tests/r/cluster_ward_un.R)."""

from pathlib import Path

import numpy as np
import pandas as pd
from click.testing import CliRunner

from egoveval.cli import cli

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "fixtures" / "r" / "cluster"


def test_cluster_command_matches_r(tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["cluster", str(ROOT / "data" / "un_egdi_2018.csv"), "--id", "iso3",
                                   "--columns", "osi,hci,tii", "--k-range", "2-8", "--out", str(out)],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    membership = pd.read_csv(out / "membership.csv", encoding="utf-8-sig")
    r = pd.read_csv(FIX / "ward_un_membership.csv")
    assert list(membership.columns) == ["iso3"] + [f"k{k}" for k in range(2, 9)]
    pd.testing.assert_frame_equal(membership, r)
    schedule = pd.read_csv(out / "schedule.csv", encoding="utf-8-sig")
    assert list(schedule.columns) == ["stage", "cluster_1", "cluster_2", "coefficient", "first_appears_1",
                                      "first_appears_2", "next_stage"]
    assert (schedule["cluster_1"] < schedule["cluster_2"]).all()
    heights = pd.read_csv(out / "heights.csv", encoding="utf-8-sig")
    r_h = pd.read_csv(FIX / "ward_un_heights.csv")
    assert np.max(np.abs(heights["height"] - r_h["height"])) < 1e-9
    assert (out / "dendrogram.png").read_bytes()[:4] == b"\x89PNG"


def test_schedule_bookkeeping_is_consistent(tmp_path):
    out = tmp_path / "out"
    CliRunner().invoke(cli, ["cluster", str(ROOT / "data" / "un_egdi_2018.csv"), "--id", "iso3",
                             "--columns", "osi,hci,tii", "--k", "4", "--out", str(out)], catch_exceptions=False)
    s = pd.read_csv(out / "schedule.csv", encoding="utf-8-sig").set_index("stage")
    for stage, row in s.iterrows():
        for side in ("1", "2"):
            first = row[f"first_appears_{side}"]
            if first:
                assert s.at[first, "next_stage"] == stage
                assert s.at[first, "cluster_1"] == row[f"cluster_{side}"]
    assert s["next_stage"].iloc[-1] == 0


def test_columns_default_to_every_numeric_column(tmp_path):
    data = tmp_path / "t.csv"
    pd.DataFrame({"id": list("abcdef"), "x": [1, 2, 3, 10, 11, 12], "y": [1, 1, 2, 9, 9, 8],
                  "label": list("uvwxyz")}).to_csv(data, index=False)
    res = CliRunner().invoke(cli, ["cluster", str(data), "--id", "id", "--k", "2", "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    m = pd.read_csv(tmp_path / "o" / "membership.csv", encoding="utf-8-sig")
    assert m["k2"].tolist() == [1, 1, 1, 2, 2, 2]
