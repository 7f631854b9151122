"""The missing-value notes of a run name the first units/cells only and point to the table
``missing_handled`` (a 337-city survey would otherwise list thousands). Data are synthetic."""

import pandas as pd
import pytest

from egoveval.frameworks import load_framework
from egoveval.pipeline import MISSING_LISTED, _missing_warnings
from egoveval.units import provinces


@pytest.fixture(scope="module")
def framework_units():
    return load_framework("provincial-channels"), provinces()


def _handled(action: str, n_units: int, indicators: list[str]) -> pd.DataFrame:
    codes = list(provinces().table["code"])[:n_units]
    rows = [{"unit": c, "indicator": i, "action": action, "value": 1.5 if action == "mean" else ""}
            for c in codes for i in indicators]
    return pd.DataFrame(rows, columns=["unit", "indicator", "action", "value"])


def test_listwise_names_the_first_units_and_counts_the_rest(framework_units):
    framework, units = framework_units
    (note,) = _missing_warnings(_handled("listwise", 25, ["nat_personal_items"]), framework, units)
    assert note.key == "quantify.listwise_dropped"
    zh, en = note.zh, note.en
    assert "25" in zh and "25" in en
    assert "北京" in zh and "Beijing" in en
    last_named = units.name_of(list(units.table["code"])[MISSING_LISTED - 1], "en")
    first_left = units.name_of(list(units.table["code"])[MISSING_LISTED], "en")
    assert last_named in en and first_left not in en
    assert f"(+{25 - MISSING_LISTED} more)" in en and f"另 {25 - MISSING_LISTED} 项" in zh
    assert "缺失值处理" in zh and "Missing values handled" in en


def test_mean_imputation_lists_at_most_the_limit_of_cells(framework_units):
    framework, units = framework_units
    handled = _handled("mean", 31, ["nat_personal_items", "nat_legal_items"])  # 62 cells
    (note,) = _missing_warnings(handled, framework, units)
    assert note.key == "quantify.mean_imputed"
    assert note.en.count(" = 1.5") == MISSING_LISTED and note.zh.count(" = 1.5") == MISSING_LISTED
    assert f"(+{62 - MISSING_LISTED} more)" in note.en
    assert "Missing values handled" in note.en


def test_few_units_are_all_named_without_a_more_marker(framework_units):
    framework, units = framework_units
    (note,) = _missing_warnings(_handled("listwise", 3, ["nat_personal_items"]), framework, units)
    assert "Beijing, Tianjin, Hebei" in note.en and "more" not in note.en
