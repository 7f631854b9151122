"""``egoveval regions``: the output contract, both outcome kinds, bad input → exit 2."""

import pandas as pd
import pytest
from click.testing import CliRunner

from egoveval.cli import cli


@pytest.fixture()
def data_file(tmp_path, synthetic_frame):
    d = synthetic_frame
    path = tmp_path / "provinces_synthetic.csv"
    d.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _run(*args):
    return CliRunner().invoke(cli, ["regions", *map(str, args)], catch_exceptions=False)


def test_value_outputs(tmp_path, data_file):
    out = tmp_path / "out"
    r = _run(data_file, "--id", "name", "--value", "value_synthetic", "--permutations", "99",
             "--seed", "1", "--out", out)
    assert r.exit_code == 0, r.output
    for name in ("by_region", "tests", "inequality", "moran", "lisa"):
        assert (out / f"{name}.csv").exists(), name
    assert (out / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (out / "map.svg").read_bytes()[:400]
    assert not (out / "crosstab.csv").exists()
    detail = pd.read_csv(out / "inequality_detail.csv")
    assert {"gini_net_between", "gini_transvariation", "between", "Total"} <= set(detail["region"])
    assert pd.read_csv(out / "moran_detail.csv").loc[0, "n"] == 31
    tests = pd.read_csv(out / "tests.csv")
    assert list(tests.columns) == ["test", "statistic", "df", "p", "effect"]
    assert any("kruskal" in t for t in tests["test"]) and any("anova" in t for t in tests["test"])
    ineq = pd.read_csv(out / "inequality.csv")
    assert list(ineq.columns) == ["measure", "total", "between", "within", "between_share"]
    assert ineq["measure"].tolist() == ["cv", "gini", "theil_t", "theil_l"]
    moran = pd.read_csv(out / "moran.csv")
    assert list(moran.columns) == ["I", "expectation", "variance", "z", "p_randomisation", "p_permutation"]
    assert moran.loc[0, "expectation"] == pytest.approx(-1 / 29)  # 31 provinces, Hainan an island
    notes = pd.read_csv(out / "notes.csv")
    assert "regional.note.xpcc_excluded" in set(notes["key"])


def test_rerun_is_byte_identical(tmp_path, data_file):
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        assert _run(data_file, "--id", "name", "--value", "value_synthetic", "--permutations", "49",
                    "--out", out).exit_code == 0
    for name in ("tests.csv", "moran.csv", "lisa.csv", "map.png"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_category_outputs_with_hainan_link_and_belts(tmp_path, data_file):
    out = tmp_path / "cat"
    r = _run(data_file, "--id", "name", "--category", "cluster_synthetic", "--scheme", "belt3",
             "--hainan-link", "--out", out)
    assert r.exit_code == 0, r.output
    assert (out / "crosstab.csv").exists() and (out / "map.png").exists()
    tests = pd.read_csv(out / "tests.csv")
    assert tests["test"].str.contains("fisher").all()
    assert pd.read_csv(out / "by_region.csv")["region"].tolist() == ["East", "Central", "West"]


def test_bad_input_exits_2_and_writes_nothing(tmp_path, data_file):
    d = pd.read_csv(data_file)
    d.loc[0, "name"] = "北平"
    d.loc[5, "name"] = "火星"
    bad = tmp_path / "bad.csv"
    d.to_csv(bad, index=False)
    out = tmp_path / "never"
    r = CliRunner().invoke(cli, ["regions", str(bad), "--id", "name", "--value", "value_synthetic",
                                 "--out", str(out)])
    assert r.exit_code == 2
    assert "北平" in r.output and "火星" in r.output
    assert not out.exists()


def test_value_and_category_are_exclusive(tmp_path, data_file):
    r = CliRunner().invoke(cli, ["regions", str(data_file), "--id", "name", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
