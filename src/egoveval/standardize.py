"""Standardisation before distances, as SPSS CLUSTER's /STANDARDIZE options.

========= ===================================== =============================
name      SPSS                                  transform
========= ===================================== =============================
z         Z scores                              (x − mean) / SD, SD with n − 1
range11   Range −1 to 1                         x / (max − min)
range01   Range 0 to 1                          (x − min) / (max − min)
max1      Maximum magnitude of 1                x / max|x|
mean1     Mean of 1                             x / mean
sd1       Standard deviation of 1               x / SD
none      —                                     x
========= ===================================== =============================

scikit-learn's StandardScaler divides by the n-denominator SD and so differs from
SPSS; ``z`` here matches SPSS and R's ``scale()``. Columns with zero spread (or
zero mean / maximum for the ratio forms) become 0 and are reported in ``zero_spread``.
"Zero" is relative to the column's own magnitude: a denominator d is zero when
|d| ≤ ``rtol`` · max|x| (``rtol`` = 1e-12, far above rounding error, far below any
measured spread), so a column measured in small units (SD 1e-9 on values ~1e-8) is
standardised, while a constant column whose SD is rounding noise (1e-17) is not.

>>> import pandas as pd
>>> standardize(pd.DataFrame({"a": [1.0, 2.0, 3.0]}), "z").data["a"].tolist()
[-1.0, 0.0, 1.0]
>>> tiny = pd.DataFrame({"a": [1e-9, 2e-9, 3e-9], "b": [0.1, 0.1, 0.1]})
>>> r = standardize(tiny, "z"); r.data["a"].round(12).tolist(), r.zero_spread
([-1.0, 0.0, 1.0], ('b',))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

__all__ = ["STANDARDIZERS", "standardize", "Standardized", "zero_denominator"]


def _z(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    sd = x.std(axis=0, ddof=1)
    return (x - x.mean(axis=0)), sd


def _range11(x):
    return x, x.max(axis=0) - x.min(axis=0)


def _range01(x):
    return x - x.min(axis=0), x.max(axis=0) - x.min(axis=0)


def _max1(x):
    return x, np.abs(x).max(axis=0)


def _mean1(x):
    return x, x.mean(axis=0)


def _sd1(x):
    return x, x.std(axis=0, ddof=1)


def _none(x):
    return x, np.ones(x.shape[1])


STANDARDIZERS: dict[str, Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]] = {
    "z": _z, "range11": _range11, "range01": _range01, "max1": _max1, "mean1": _mean1, "sd1": _sd1,
    "none": _none,
}


@dataclass(frozen=True)
class Standardized:
    data: pd.DataFrame
    method: str
    zero_spread: tuple[str, ...]


def zero_denominator(x: np.ndarray, denominator: np.ndarray, rtol: float = 1e-12) -> np.ndarray:
    """Per column: |d| ≤ rtol · max|x| (or d not finite), see the module docstring."""
    scale = np.abs(x).max(axis=0) if len(x) else np.zeros(x.shape[1])
    with np.errstate(invalid="ignore"):
        return ~np.isfinite(denominator) | (np.abs(denominator) <= rtol * scale)


def standardize(data: pd.DataFrame, method: str = "z") -> Standardized:
    if method not in STANDARDIZERS:
        raise ValueError(f"unknown standardisation {method!r}; choose from {sorted(STANDARDIZERS)}")
    x = data.to_numpy(dtype=float)
    numerator, denominator = STANDARDIZERS[method](x)
    zero = zero_denominator(x, denominator)
    safe = np.where(zero, 1.0, denominator)
    out = np.where(zero, 0.0, numerator / safe)
    return Standardized(pd.DataFrame(out, index=data.index, columns=data.columns), method,
                        tuple(c for c, z in zip(data.columns, zero) if z))
