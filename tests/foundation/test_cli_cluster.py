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


def _synthetic_table(tmp_path, **extra):
    """Synthetic 12 units × 3 variables in three separated groups (seeded)."""
    rng = np.random.default_rng(4)
    base = np.repeat([[0.0, 0.0, 0.0], [5.0, 5.0, 0.0], [0.0, 5.0, 5.0]], 4, axis=0)
    frame = pd.DataFrame(base + rng.normal(scale=0.5, size=base.shape), columns=["x", "y", "w"])
    frame.insert(0, "unit", [f"synthetic{i:02d}" for i in range(12)])
    for name, values in extra.items():
        frame[name] = values
    path = tmp_path / "synthetic.csv"
    frame.to_csv(path, index=False)
    return path


def test_results_do_not_depend_on_jobs(tmp_path):
    src = _synthetic_table(tmp_path)
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"o{jobs}"
        res = CliRunner().invoke(cli, ["cluster", str(src), "--id", "unit", "--k-range", "2-5", "--bootstrap", "30",
                                       "--permutations", "10", "--gap-b", "20", "--jobs", jobs, "--out", str(out)])
        assert res.exit_code == 0, res.output
        outs.append(out)
    for name in ("kstats.csv", "votes.csv", "stability.csv", "order_stability.csv", "tests.csv", "membership.csv",
                 "descriptions.md", "notes.md"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), f"{name} differs with --jobs 2"


def test_jobs_default_is_the_setting(tmp_path, monkeypatch):
    """Without --jobs, the command runs with the cluster.jobs setting's default, whatever it is."""
    from dataclasses import replace

    import egoveval.cluster.diagnose
    from egoveval import settings

    monkeypatch.setitem(settings.SETTINGS, "cluster.jobs", replace(settings.SETTINGS["cluster.jobs"], default=3))
    seen = []
    original = egoveval.cluster.diagnose.diagnose

    def recording(*args, n_jobs, **kwargs):
        seen.append(n_jobs)
        return original(*args, n_jobs=1, **kwargs)

    monkeypatch.setattr(egoveval.cluster.diagnose, "diagnose", recording)
    res = CliRunner().invoke(cli, ["cluster", str(ROOT / "data" / "un_egdi_2018.csv"), "--id", "iso3",
                                   "--columns", "osi,hci,tii", "--k", "3", "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    assert seen == [3], seen
    res = CliRunner().invoke(cli, ["cluster", str(ROOT / "data" / "un_egdi_2018.csv"), "--id", "iso3",
                                   "--columns", "osi,hci,tii", "--k", "3", "--jobs", "1", "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    assert seen == [3, 1], seen


def test_one_bad_cell_is_a_problem_not_a_dropped_column(tmp_path):
    src = _synthetic_table(tmp_path)
    frame = pd.read_csv(src)
    frame["y"] = frame["y"].astype(object)
    frame.loc[5, "y"] = "n.a.x"
    frame.to_csv(src, index=False)
    res = CliRunner().invoke(cli, ["cluster", str(src), "--id", "unit", "--k", "3", "--out", str(tmp_path / "o")],
                             env={"COLUMNS": "400"})
    assert res.exit_code == 2, res.output
    out = " ".join(res.output.split())
    assert "table.not_number" in out and "n.a.x" in out and " 7 " in out and " y " in out, out  # file row 7
    assert not (tmp_path / "o").exists()


def test_zero_spread_columns_are_reported_and_tiny_spread_is_kept(tmp_path):
    src = _synthetic_table(tmp_path, flat=[3.0] * 12, tiny=np.linspace(1e-9, 2e-9, 12))
    out = tmp_path / "o"
    res = CliRunner().invoke(cli, ["cluster", str(src), "--id", "unit", "--k", "3", "--out", str(out)],
                             env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "standardised to 0 and cannot separate clusters: flat" in text and "没有离散" in text, text
    assert "tiny" not in text.split("cannot separate clusters:")[1].split("/")[0]
    notes = (out / "notes.md").read_text(encoding="utf-8")
    assert "flat" in notes and "tiny" not in notes
    tests = pd.read_csv(out / "tests.csv", encoding="utf-8-sig").set_index("indicator")
    assert np.isfinite(tests.at["tiny", "kw_h"]) and np.isnan(tests.at["flat", "kw_h"])  # tiny is kept as a variable
    assert "k = 3 used (no choice of k was made" in text


def test_notes_state_the_conventions_and_the_closing_line_is_bilingual(tmp_path):
    src = _synthetic_table(tmp_path)
    out = tmp_path / "o"
    res = CliRunner().invoke(cli, ["cluster", str(src), "--id", "unit", "--k", "3", "--k-range", "2-5",
                                   "--bootstrap", "20", "--permutations", "5", "--gap-b", "15", "--seed", "7",
                                   "--method", "average", "--out", str(out)], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    assert "采用 k = 3（研究的 k = 3，建议的 k = " in res.output and "k = 3 used (the study's k = 3" in res.output
    notes = (out / "notes.md").read_text(encoding="utf-8")
    for part in ("B = 15", "seed 7", "Tibs2001SEmax", "d.power = 2", "k = 1…6", "average (between-groups) linkage",
                 "方法说明", "组间平均联接法", "Null reference", "Unit-order check: 5 random orders"):
        assert part in notes, part
    votes = pd.read_csv(out / "votes.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(votes.columns) == ["index", "k", "vote_note"]
    stability = pd.read_csv(out / "stability.csv", encoding="utf-8-sig")
    assert list(stability.columns) == ["cluster", "size", "jaccard_mean", "band", "null_jaccard_mean"]


def test_cli_choosing_k_itself_says_so(tmp_path):
    src = _synthetic_table(tmp_path)
    res = CliRunner().invoke(cli, ["cluster", str(src), "--id", "unit", "--k-range", "2-5", "--gap-b", "10",
                                   "--out", str(tmp_path / "o")], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    assert "k = 3 used: the suggested k (no study k was given)" in res.output, res.output
    res = CliRunner().invoke(cli, ["cluster", str(src), "--id", "unit", "--use-suggested-k", "--out",
                                   str(tmp_path / "o2")], env={"COLUMNS": "400"})
    assert res.exit_code == 2 and "--use-suggested-k needs --k-range" in " ".join(res.output.split())
