"""Degenerate input: a constant outcome, zero weights — a note with NaN p-values or a
Problem (exit 2), never a NumPy/SciPy warning or a traceback."""

import warnings

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from egoveval.cli import cli
from egoveval.errors import InputError
from egoveval.regional.analysis import RegionalOptions, regional_analysis
from egoveval.regional.groups import anova_oneway, dunn_holm, kruskal_wallis
from egoveval.regional.inequality import between_share_test
from egoveval.regional.spatial import adjacency_matrix, local_moran, moran, row_standardise


@pytest.fixture()
def constant_frame(provinces_synthetic):
    d = provinces_synthetic[["name"]].copy()
    d["score_synthetic"] = 5.0
    return d


def test_constant_outcome_gives_nan_p_values_a_note_and_no_warning(constant_frame):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning fails the test
        a = regional_analysis(constant_frame, "name", value="score_synthetic",
                              options=RegionalOptions(permutations=49, seed=1))
    keys = [n.key for n in a.notes]
    # one note: note.constant already says Moran's I and LISA are undefined
    assert "regional.note.constant" in keys and "regional.note.spatial_constant" not in keys
    tests = a.tables["tests"].set_index("test")
    assert tests["p"].isna().all(), tests
    assert a.tables["dunn"]["p"].isna().all() and a.tables["dunn"]["p_holm"].isna().all()
    moran_row = a.tables["moran"].iloc[0]
    assert np.isnan(moran_row["I"]) and np.isnan(moran_row["p_permutation"]), moran_row.to_dict()
    lisa = a.tables["lisa"]
    assert lisa["p_permutation"].isna().all()
    assert set(lisa["cluster"]) <= {"undefined", "island"} and "LL" not in set(lisa["quadrant"])
    assert (a.tables["inequality"]["total"] == 0).all()


def test_spatial_constant_note_when_only_the_spatial_units_are_constant(constant_frame):
    d = constant_frame.copy()
    d.loc[d["name"] == "兵团", "score_synthetic"] = 7.0  # XPCC is left out of the spatial statistics
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = regional_analysis(d, "name", value="score_synthetic", options=RegionalOptions(permutations=19, seed=1))
    keys = [n.key for n in a.notes]
    assert "regional.note.constant" not in keys and keys.count("regional.note.spatial_constant") == 1


def test_kernels_on_constant_values_by_hand():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(kruskal_wallis([3, 3, 3, 3], list("aabb")).p)
        assert np.isnan(anova_oneway([3, 3, 3, 3], list("aabb")).statistic)
        # regions constant but different: F = ∞, p = 0, η² = 1 (SciPy would warn)
        f = anova_oneway([1, 1, 2, 2], list("aabb"))
        assert (f.statistic, f.p, f.effect) == (np.inf, 0.0, 1.0)
        assert dunn_holm([3, 3, 3, 3], list("aabb"))["z"].isna().all()
        assert np.isnan(between_share_test([2, 2, 2, 2], list("aabb"), permutations=9, seed=1).p)
        w = row_standardise(adjacency_matrix(["110000", "120000", "130000", "140000", "150000"]))
        m = moran(np.full(5, 1.0), w, permutations=9, seed=1)
        assert np.isnan(m.I) and np.isnan(m.p_randomisation) and np.isnan(m.p_permutation)
        assert m.expectation == pytest.approx(-1 / 4)
        lisa = local_moran(np.full(5, 1.0), w, permutations=9, seed=1)
        assert lisa["Ii"].isna().all() and (lisa["quadrant"] == "undefined").all()


def test_all_zero_weights_are_a_problem(provinces_synthetic):
    d = provinces_synthetic[["name", "value_synthetic"]].copy()
    d["pop"] = 0
    with pytest.raises(InputError) as exc:
        regional_analysis(d, "name", value="value_synthetic", weight="pop")
    assert [p.rule for p in exc.value.problems] == ["regional.weight_all_zero"]
    d["pop"] = [0 if r in ("Northeast",) else 1 for r in provinces_synthetic["region4"]]
    with pytest.raises(InputError) as exc:
        regional_analysis(d, "name", value="value_synthetic", weight="pop")
    assert [(p.rule, p.value) for p in exc.value.problems] == [("regional.weight_region_zero", "Northeast")]


def test_cli_constant_and_zero_weight(tmp_path, constant_frame):
    f = tmp_path / "constant_synthetic.csv"
    constant_frame.assign(pop=0).to_csv(f, index=False)
    run = lambda *a: CliRunner().invoke(cli, ["regions", str(f), "--id", "name", "--value",
                                              "score_synthetic", "--permutations", "19", *a])
    ok = run("--out", str(tmp_path / "ok"))
    assert ok.exit_code == 0, ok.output
    assert "RuntimeWarning" not in ok.output and "Warning" not in ok.output
    assert pd.read_csv(tmp_path / "ok" / "moran.csv")["p_permutation"].isna().all()
    bad = run("--weight", "pop", "--out", str(tmp_path / "bad"))
    assert bad.exit_code == 2, bad.output
    assert "internal error" not in bad.output and not (tmp_path / "bad").exists()
