"""Confidence intervals for proportions and their differences (pure kernels on arrays).

**Wilson score interval** (Wilson 1927). For ``k`` successes in ``n`` trials,
:math:`\\hat p = k/n` and :math:`z = \\Phi^{-1}(1 - \\alpha/2)`:

.. math::

    \\frac{\\hat p + \\frac{z^2}{2n}}{1 + \\frac{z^2}{n}} \\pm
    \\frac{z}{1 + \\frac{z^2}{n}} \\sqrt{\\frac{\\hat p (1 - \\hat p)}{n} + \\frac{z^2}{4 n^2}}

It is the set of :math:`p` not rejected by the score test, stays inside [0, 1] and
behaves well for small ``n`` and rates near 0 or 1 (Agresti & Coull 1998; Brown, Cai &
DasGupta 2001). Equal to R's ``prop.test(k, n, correct = FALSE)$conf.int`` and to
statsmodels' ``proportion_confint(k, n, method="wilson")``. ``n = 0`` gives NaN.

**Newcombe's hybrid score interval** for :math:`p_1 - p_2` (Newcombe 1998, method 10),
from the two Wilson intervals :math:`(l_i, u_i)`:

.. math::

    \\hat d - \\sqrt{(\\hat p_1 - l_1)^2 + (u_2 - \\hat p_2)^2},\\quad
    \\hat d + \\sqrt{(u_1 - \\hat p_1)^2 + (\\hat p_2 - l_2)^2}

(statsmodels ``confint_proportions_2indep(..., method="newcomb")``).

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
inference. *JASA*, 22(158), 209–212.
Newcombe, R. G. (1998). Interval estimation for the difference between independent
proportions: comparison of eleven methods. *Statistics in Medicine*, 17, 873–890.

>>> lo, hi = wilson_interval(23, 36)
>>> round(float(lo), 4), round(float(hi), 4)
(0.4758, 0.7752)
>>> [round(float(x), 4) for x in wilson_interval(0, 10)]
[0.0, 0.2775]
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

__all__ = ["wilson_interval", "newcombe_interval", "z_value"]


def z_value(level: float = 0.95) -> float:
    """The two-sided normal quantile for a confidence level (1.959964 for 95 %)."""
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    return float(norm.ppf(1 - (1 - level) / 2))


def wilson_interval(k, n, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for ``k`` of ``n`` (arrays broadcast); NaN where n = 0.

    The bounds are exactly 0 when k = 0 and exactly 1 when k = n.

    >>> [float(x) for x in wilson_interval(5, 5)[1:]]
    [1.0]
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        lo = np.clip(centre - half, 0.0, 1.0)
        hi = np.clip(centre + half, 0.0, 1.0)
    lo = np.where(k == 0, 0.0, lo)
    hi = np.where(k == n, 1.0, hi)
    bad = ~(n > 0)
    return np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)


def newcombe_interval(k1, n1, k2, n2, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Newcombe's hybrid score interval for p1 − p2 (method 10).

    >>> [round(float(x), 4) for x in newcombe_interval(23, 36, 45, 301)]
    [0.3202, 0.6304]
    """
    k1, n1, k2, n2 = (np.asarray(v, dtype=float) for v in (k1, n1, k2, n2))
    l1, u1 = wilson_interval(k1, n1, level)
    l2, u2 = wilson_interval(k2, n2, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = k1 / n1, k2 / n2
    d = p1 - p2
    lo = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    hi = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return lo, hi
