from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "un_egdi_2018.csv"


@pytest.fixture(scope="session")
def egdi() -> pd.DataFrame:
    """UN E-Government Survey 2018 (193 countries), real published values."""
    return pd.read_csv(DATA).set_index("iso3")


@pytest.fixture(scope="session")
def egdi_path() -> Path:
    return DATA
