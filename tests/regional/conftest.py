"""Shared fixture paths for the regional tests."""

from pathlib import Path

import pandas as pd
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "r" / "regional"


@pytest.fixture(scope="session")
def fx() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def provinces_synthetic() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "provinces_synthetic_input.csv", dtype={"code": str})


# synthetic cluster memberships of the 32 units in province_regions.csv order
SYNTHETIC_CLUSTERS = ["1", "1", "2", "3", "4", "3", "3", "4", "1", "1", "2", "2", "2", "3", "1", "3",
                      "2", "3", "1", "4", "2", "3", "3", "4", "4", "4", "3", "4", "4", "4", "4", "4"]


@pytest.fixture()
def synthetic_frame(provinces_synthetic) -> pd.DataFrame:
    """Names, a synthetic score and synthetic clusters of the 32 provincial units."""
    d = provinces_synthetic[["name", "value_synthetic"]].astype(object).copy()
    d["cluster_synthetic"] = SYNTHETIC_CLUSTERS
    return d
