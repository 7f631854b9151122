"""Shared fixtures: the real UN E-Government Survey 2018 table (osi, hci, tii) and the R fixtures."""

from pathlib import Path

import pandas as pd
import pytest

TESTS = Path(__file__).resolve().parents[1]
FIX = TESTS / "fixtures" / "r" / "cluster"


@pytest.fixture(scope="module")
def un():
    data = pd.read_csv(TESTS / "data" / "un_egdi_2018.csv")
    return data.set_index("iso3")[["osi", "hci", "tii"]]
