"""``egoveval index`` with click's CliRunner: exit codes, files, columns, blank cells, errors."""

import importlib
import importlib.util
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import egoveval

COMPONENTS = "osi,hci,tii"


def _load_index_command():
    """The command object. While sibling command modules listed in ``cli.COMMANDS`` are still
    being written by others, importing the package fails; then load cli/index.py on its own."""
    try:
        return importlib.import_module("egoveval.cli.index").index
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("egoveval.cli."):
            raise
    folder = Path(egoveval.__file__).parent / "cli"
    pkg = types.ModuleType("egoveval.cli")
    pkg.__path__ = [str(folder)]
    saved = sys.modules.get("egoveval.cli")
    sys.modules["egoveval.cli"] = pkg
    try:
        spec = importlib.util.spec_from_file_location("egoveval.cli.index", folder / "index.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["egoveval.cli.index"] = module
        spec.loader.exec_module(module)
        return module.index
    finally:
        if saved is None:
            sys.modules.pop("egoveval.cli", None)
        else:
            sys.modules["egoveval.cli"] = saved


@pytest.fixture(scope="module")
def index_cmd():
    return _load_index_command()


def runner():
    # a wide terminal so that the problem table does not fold rule names
    return CliRunner(env={"COLUMNS": "400"})


def run(cmd, args):
    return runner().invoke(cmd, [str(a) for a in args], catch_exceptions=False)


def read(path):
    return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=True)


def test_registered_in_commands():
    source = (Path(egoveval.__file__).parent / "cli" / "__init__.py").read_text(encoding="utf-8")
    assert '("index", "index")' in source


def test_un_egdi_reproduced_by_cli(index_cmd, egdi_path, egdi, tmp_path):
    out = tmp_path / "out"
    res = run(index_cmd, [egdi_path, "--id", "iso3", "--columns", COMPONENTS, "--weights", "1,1,1",
                          "--normalize", "none", "--tiers", "un", "--rank", "competition", "--out", out])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["index.csv"]
    t = read(out / "index.csv").set_index("iso3")
    assert list(t.columns) == ["score", "rank", "tier"]
    assert (t["score"] - egdi["egdi"]).abs().max() <= 1e-4
    assert (t["rank"] == egdi["egdi_rank"]).all()
    assert t["tier"].value_counts()[["Very High", "High", "Middle", "Low"]].tolist() == [40, 71, 66, 16]


def test_uncertainty_outputs(index_cmd, egdi_path, tmp_path):
    out = tmp_path / "unc"
    res = run(index_cmd, [egdi_path, "--id", "iso3", "--columns", COMPONENTS, "--normalize", "minmax",
                          "--uncertainty", 200, "--seed", 5, "--out", out])
    assert res.exit_code == 0, res.output
    t = read(out / "index.csv")
    assert list(t.columns) == ["iso3", "score", "rank", "tier", "rank_p05", "rank_median", "rank_p95",
                               "p_Very High", "p_High", "p_Middle", "p_Low"]
    s = read(out / "sensitivity.csv")
    assert list(s.columns) == ["assumption", "first_order", "total", "ci_low", "ci_high"]
    assert s["assumption"].tolist() == ["weights", "normalisation", "aggregation", "drop"]
    again = tmp_path / "unc2"
    run(index_cmd, [egdi_path, "--id", "iso3", "--columns", COMPONENTS, "--normalize", "minmax",
                    "--uncertainty", 200, "--seed", 5, "--out", again])
    assert (out / "index.csv").read_bytes() == (again / "index.csv").read_bytes()


def test_blank_cell_gives_empty_score_and_a_warning(index_cmd, tmp_path):
    f = tmp_path / "in.csv"
    f.write_text("unit,a,b\n北京,0.9,0.8\n上海,,0.6\n天津,0.2,0.1\n广东,0.5,0.5\n", encoding="utf-8")
    out = tmp_path / "out"
    res = run(index_cmd, [f, "--id", "unit", "--normalize", "none", "--tiers", "cn", "--out", out])
    assert res.exit_code == 0, res.output
    t = read(out / "index.csv").set_index("unit")
    assert np.isnan(t.loc["上海", "score"]) and np.isnan(t.loc["上海", "rank"])
    assert pd.isna(t.loc["上海", "tier"])
    assert t.loc["北京", "score"] == pytest.approx(0.85) and t.loc["北京", "rank"] == 1
    assert t["rank"].dropna().astype(int).tolist() == [1, 3, 2]
    assert "index.missing_value" in res.output  # the warning table names the rule


def test_dense_ranks_and_custom_tiers(index_cmd, tmp_path):
    f = tmp_path / "in.csv"
    f.write_text("id,x\nA,90\nB,90\nC,70\nD,50\n", encoding="utf-8")
    out = tmp_path / "o"
    res = run(index_cmd, [f, "--id", "id", "--normalize", "none", "--rank", "dense",
                          "--tiers", "60,90", "--out", out])
    assert res.exit_code == 0, res.output
    t = read(out / "index.csv")
    assert t["rank"].tolist() == [1, 1, 2, 3]
    assert t["tier"].tolist() == ["tier_1", "tier_1", "tier_2", "tier_3"]


def test_geometric_zero_is_reported(index_cmd, tmp_path):
    f = tmp_path / "in.csv"
    f.write_text("id,x,y\nA,1,4\nB,2,2\nC,3,1\n", encoding="utf-8")
    out = tmp_path / "o"
    res = run(index_cmd, [f, "--id", "id", "--aggregate", "geometric", "--out", out])
    assert res.exit_code == 0, res.output
    t = read(out / "index.csv")
    # min–max: x → 0, 0.5, 1; y → 1, 1/3, 0; geometric: A and C have a zero → 0
    assert t["score"].tolist() == [0.0, round(np.sqrt(0.5 / 3), 4), 0.0]
    # the console names each unit with the column whose zero decided its score
    assert "Units and indicators with a zero: A: x; C: y" in res.output
    assert "Geometric mean: 2 zero value(s) in 2 unit(s)" in res.output


def test_ranks_are_whole_numbers_in_the_csv_text_when_a_unit_is_missing(index_cmd, tmp_path):
    f = tmp_path / "in.csv"
    f.write_text("id,a,b\nA,0.9,0.8\nB,,0.6\nC,0.2,0.1\nD,0.5,0.5\n", encoding="utf-8")
    out = tmp_path / "o"
    assert run(index_cmd, [f, "--id", "id", "--normalize", "none", "--out", out]).exit_code == 0
    lines = (out / "index.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["id,score,rank,tier", "A,0.85,1,Very High", "B,,,", "C,0.15,3,Low", "D,0.5,2,High"]


def test_rank_intervals_are_whole_numbers_with_a_missing_unit(index_cmd, tmp_path):
    f = tmp_path / "in.csv"
    rows = "\n".join(f"u{i},{i},{(7 * i) % 11}" for i in range(1, 12))
    f.write_text(f"id,a,b\n{rows}\nu12,,3\n", encoding="utf-8")
    out = tmp_path / "o"
    assert run(index_cmd, [f, "--id", "id", "--uncertainty", 16, "--out", out]).exit_code == 0
    lines = (out / "index.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[-1].startswith("u12,,,,,,,")
    first = lines[1].split(",")
    assert all("." not in v for v in first[2:3] + first[4:7]), first  # rank, rank_p05/median/p95


@pytest.mark.parametrize("content, args", [
    ("id,a,b\nA,1,2\nB,3,1\nC,5,6\n", ["--normalize", "none", "--uncertainty", 20, "--uncertain", "normalisation"]),
    ("id,a\nA,1\nB,2\nC,3\nD,5\n", ["--normalize", "zscore", "--uncertainty", 20, "--uncertain", "aggregation,drop"]),
    ("id,a\nA,1\nB,2\nC,3\nD,5\n", ["--uncertainty", 20, "--uncertain", "weights"]),
])
def test_nothing_uncertain_can_vary_exits_2(index_cmd, tmp_path, content, args):
    out = _bad(index_cmd, tmp_path, args, content=content)
    assert "index.uncertain_none" in out and "internal error" not in out


def test_tier_boundaries_are_printed_with_inclusive_sides(index_cmd, tmp_path):
    f = tmp_path / "in.csv"
    f.write_text("id,a\nA,0.9\nB,0.5\nC,0.1\n", encoding="utf-8")
    res = run(index_cmd, [f, "--id", "id", "--normalize", "none", "--out", tmp_path / "o"])
    lines = [ln.strip() for ln in res.output.splitlines()]
    i = lines.index("等级边界（x 为得分）： / Tier boundaries (x is the score):")
    assert lines[i + 1:i + 5] == ["非常高 / Very High: 0.75 < x", "高 / High: 0.5 ≤ x ≤ 0.75",
                                  "中 / Middle: 0.25 ≤ x < 0.5", "低 / Low: x < 0.25"]


def test_tiers_help_states_where_050_goes(index_cmd):
    res = runner().invoke(index_cmd, ["--help"], terminal_width=400)
    help_text = " ".join(res.output.split())
    assert "High: 0.5 ≤ x ≤ 0.75" in help_text and "Middle: 0.25 ≤ x < 0.5" in help_text
    assert "非常高: 90 ≤ x" in help_text
    assert "ci_low,ci_high bound the total Sobol index" in help_text


def test_tier_labels_option(index_cmd, tmp_path):
    f = tmp_path / "in.csv"
    f.write_text("id,x\nA,90\nB,70\nC,50\nD,65\nE,30\n", encoding="utf-8")
    out = tmp_path / "o"
    res = run(index_cmd, [f, "--id", "id", "--normalize", "none", "--tiers", "60,80",
                          "--tier-labels", "领先,中游,落后", "--uncertainty", 16, "--uncertain", "aggregation",
                          "--out", out])
    assert res.exit_code == 0, res.output
    t = read(out / "index.csv")
    assert t["tier"].tolist() == ["领先", "中游", "落后", "中游", "落后"]
    assert [c for c in t.columns if c.startswith("p_")] == ["p_领先", "p_中游", "p_落后"]


def test_tier_labels_count_is_checked(index_cmd, tmp_path):
    out = _bad(index_cmd, tmp_path, ["--tiers", "cn", "--tier-labels", "A,B"], content="id,a\nA,1\nB,2\n")
    assert "index.tier_labels_count" in out


def test_xlsx_and_gb18030(index_cmd, tmp_path):
    df = pd.DataFrame({"地区": ["北京", "上海", "广东"], "甲": [1.0, 2.0, 3.0]})
    x = tmp_path / "in.xlsx"
    df.to_excel(x, index=False)
    g = tmp_path / "gb.csv"
    g.write_bytes(df.to_csv(index=False).encode("gb18030"))
    for f in (x, g):
        out = tmp_path / f"o_{f.suffix[1:]}"
        res = run(index_cmd, [f, "--id", "地区", "--out", out])
        assert res.exit_code == 0, res.output
        assert read(out / "index.csv")["地区"].tolist() == ["北京", "上海", "广东"]


def _bad(index_cmd, tmp_path, args, content="id,a,b\nA,1,2\nB,3,x\nC,5,6\n"):
    f = tmp_path / "in.csv"
    f.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    res = runner().invoke(index_cmd, [str(f), "--id", "id", *map(str, args), "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert not out.exists(), "nothing may be written on bad input"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")], "no temp folder left"
    return res.output


def test_non_numeric_cell_names_row_and_column(index_cmd, tmp_path):
    out = _bad(index_cmd, tmp_path, ["--columns", "a,b"])
    row = [line for line in out.splitlines() if "table.not_number" in line]
    assert len(row) == 1, out
    cells = [c.strip() for c in row[0].split("│")]
    assert cells[4:7] == ["3", "b", "x"], cells  # file row 3 (header = 1), column b, value x


def test_default_columns_are_the_numeric_ones(index_cmd, tmp_path):
    f = tmp_path / "in.csv"
    f.write_text("id,a,note\nA,1,good\nB,3,bad\n", encoding="utf-8")
    out = tmp_path / "o"
    assert run(index_cmd, [f, "--id", "id", "--weights", "1", "--out", out]).exit_code == 0


def test_unknown_column(index_cmd, tmp_path):
    out = _bad(index_cmd, tmp_path, ["--columns", "a,zz"], content="id,a\nA,1\nB,2\n")
    assert "zz" in out


def test_bad_weights_count_and_value_reported_together(index_cmd, tmp_path):
    out = _bad(index_cmd, tmp_path, ["--weights", "1,-2,1"], content="id,a,b\nA,1,2\nB,3,4\n")
    assert "index.weights_count" in out and "index.weight_invalid" in out


def test_all_problems_at_once(index_cmd, tmp_path):
    out = _bad(index_cmd, tmp_path, ["--columns", "a,b", "--weights", "1", "--tiers", "0.9,0.1"])
    for rule in ("table.not_number", "index.weights_count", "index.tiers_invalid"):
        assert rule in out, f"{rule} missing from\n{out}"


def test_constant_column(index_cmd, tmp_path):
    out = _bad(index_cmd, tmp_path, [], content="id,a,b\nA,1,2\nB,1,3\nC,1,4\n")
    assert "index.constant" in out


def test_geometric_on_zscores_is_refused(index_cmd, tmp_path):
    out = _bad(index_cmd, tmp_path, ["--normalize", "zscore", "--aggregate", "geometric"],
               content="id,a\nA,1\nB,2\nC,3\n")
    assert "index.negative_for_geometric" in out


def test_uncertainty_needs_two_runs(index_cmd, tmp_path):
    out = _bad(index_cmd, tmp_path, ["--uncertainty", 1], content="id,a\nA,1\nB,2\nC,3\n")
    assert "index.uncertainty_n" in out


def test_previous_output_survives_a_failed_run(index_cmd, tmp_path):
    f = tmp_path / "in.csv"
    f.write_text("id,a\nA,1\nB,2\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run(index_cmd, [f, "--id", "id", "--out", out]).exit_code == 0
    before = (out / "index.csv").read_bytes()
    f.write_text("id,a\nA,1\nB,zz\n", encoding="utf-8")
    res = runner().invoke(index_cmd, [str(f), "--id", "id", "--out", str(out)])
    assert res.exit_code == 2
    assert (out / "index.csv").read_bytes() == before


def test_figures_flag(index_cmd, egdi_path, tmp_path):
    out = tmp_path / "fig"
    res = run(index_cmd, [egdi_path, "--id", "iso3", "--columns", COMPONENTS, "--uncertainty", 64,
                          "--figures", "--out", out])
    assert res.exit_code == 0, res.output
    assert (out / "index_bar.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- egoveval run: the simple index overrides -------------------------------------------------

def _run_cmd():
    return importlib.import_module("egoveval.cli.run").run


def test_run_passes_tiers_and_rank_to_the_study(tmp_path, monkeypatch):
    import egoveval.study

    seen = {}

    def fake_run(loaded):
        seen.update(loaded.settings["index"])
        raise SystemExit(0)  # stop before minutes of work

    monkeypatch.setattr(egoveval.study, "run", fake_run)
    res = runner().invoke(_run_cmd(), ["--tiers", "0.3,0.6", "--rank", "competition",
                                       "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    assert seen["tiers"] == "0.3,0.6" and seen["rank"] == "competition"  # the sample asks for cn, dense


def test_run_refuses_bad_tiers_before_running(tmp_path, monkeypatch):
    import egoveval.study

    monkeypatch.setattr(egoveval.study, "run", lambda loaded: pytest.fail("the study must not run"))
    res = runner().invoke(_run_cmd(), ["--tiers", "0.9,0.1", "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "index.tiers_invalid" in res.output
