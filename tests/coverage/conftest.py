"""A hand-checkable coverage case: 2 channels × 2 areas, 5 real cities."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from egoveval.frameworks.loading import parse_framework
from egoveval.units import cities

TINY_FRAMEWORK = {
    "id": "tiny-coverage",
    "name": {"zh": "小例", "en": "tiny"},
    "units": "cities",
    "areas": [{"id": "x", "name_zh": "甲域", "name_en": "Area X"},
              {"id": "y", "name_zh": "乙域", "name_en": "Area Y"}],
    "channels": [
        {"id": "A", "name_zh": "渠道A", "name_en": "Channel A", "indicators": [
            {"id": "A__x", "name_zh": "渠道A·甲域", "kind": "binary", "area": "x"},
            {"id": "A__y", "name_zh": "渠道A·乙域", "kind": "binary", "area": "y"}]},
        {"id": "B", "name_zh": "渠道B", "name_en": "Channel B", "indicators": [
            {"id": "B__x", "name_zh": "渠道B·甲域", "kind": "binary", "area": "x"},
            {"id": "B__y", "name_zh": "渠道B·乙域", "kind": "binary", "area": "y"}]},
    ],
}
NAN = math.nan
# city: A__x, A__y, B__x, B__y   (北京 上海 天津: key, East; 唐山: prefecture, East; 大同: prefecture, Central)
TINY_VALUES = {
    "110000": (1, 1, 1, 0),
    "310000": (1, 0, 0, 0),
    "120000": (0, 0, 0, 0),
    "130200": (0, 0, 1, NAN),
    "140200": (1, 0, 0, 0),
}


@pytest.fixture(scope="session")
def tiny_framework():
    return parse_framework(TINY_FRAMEWORK, "tiny.yaml")


@pytest.fixture()
def tiny_values():
    return pd.DataFrame.from_dict(TINY_VALUES, orient="index", columns=["A__x", "A__y", "B__x", "B__y"])


@pytest.fixture(scope="session")
def city_units():
    return cities()
