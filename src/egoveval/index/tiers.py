"""Tiers (level groups) of a composite score, with the inclusive side of every boundary stated.

A :class:`TierScheme` has ascending thresholds t_1 < … < t_k and k + 1 labels from the
lowest tier to the highest. For each threshold, ``upper_closed[j]`` says where a score
exactly equal to t_j goes: ``False`` (default) → the tier *above* (x ≥ t_j moves up),
``True`` → the tier *below* (only x > t_j moves up). A missing score is reported as
missing (``None``), never given a tier.

Presets
-------
``un`` — UN E-Government Survey level groups on the 0–1 EGDI. The UN's own wording is
"Very High (greater than 0.75), High (between 0.50 and 0.75), Middle (between 0.25 and
0.50), Low (less than 0.25)". Hence 0.75 exactly is **High** (not greater than 0.75),
0.25 exactly is **Middle** (not less than 0.25); "between 0.50 and 0.75" and "between
0.25 and 0.50" leave 0.50 open, and we put 0.50 in **High** (lower bound inclusive, as
for 0.25; the 2020+ surveys write the groups as 0.50–0.7499 etc.). So:
Very High x > 0.75; High 0.50 ≤ x ≤ 0.75; Middle 0.25 ≤ x < 0.50; Low x < 0.25.
On the bundled 2018 data no country lies on a boundary (at 4 decimals), so the
published counts 40 / 71 / 66 / 16 hold under either convention and cannot decide it.

``cn`` — Chinese national evaluation of provincial online government services on
0–100: 非常高 x ≥ 90; 高 80 ≤ x < 90; 中 60 ≤ x < 80; 低 x < 60 (the 低 tier is common in
reports but not confirmed for the national evaluation). All lower bounds inclusive.

Custom thresholds (``parse_tiers("0.3,0.6")``) are lower-inclusive and labelled
``tier_1`` (top) … ``tier_{k+1}`` (bottom), like 第一梯队 for the leading group.

>>> TIER_PRESETS["un"].assign([0.75, 0.7501, 0.5, 0.25, 0.2499, None])
['High', 'Very High', 'High', 'Middle', 'Low', None]
>>> TIER_PRESETS["cn"].assign([90, 89.99, 80, 60, 59.9])
['非常高', '高', '高', '中', '低']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

__all__ = ["TierScheme", "TIER_PRESETS", "parse_tiers"]


@dataclass(frozen=True)
class TierScheme:
    """Thresholds (ascending), labels (lowest → highest) and the closed side of each threshold."""

    name: str
    thresholds: tuple[float, ...]
    labels: tuple[str, ...]
    upper_closed: tuple[bool, ...]
    scale: float = 1.0  # the score scale the thresholds assume (1 or 100)

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.thresholds) + 1:
            raise ValueError("need one more label than thresholds")
        if len(self.upper_closed) != len(self.thresholds):
            raise ValueError("need one closed-side flag per threshold")
        if any(b <= a for a, b in zip(self.thresholds, self.thresholds[1:])):
            raise ValueError("thresholds must increase strictly")
        if len(set(self.labels)) != len(self.labels):
            raise ValueError("tier labels must be distinct")

    @property
    def labels_high_first(self) -> list[str]:
        return list(reversed(self.labels))

    def codes(self, scores: np.ndarray) -> np.ndarray:
        """Tier index (0 = lowest) for each score; −1 for a missing score. Works on any shape."""
        x = np.asarray(scores, dtype=float)
        code = np.zeros(x.shape, dtype=np.int16)
        for t, closed in zip(self.thresholds, self.upper_closed):
            code += (x > t) if closed else (x >= t)
        return np.where(np.isnan(x), -1, code).astype(np.int16)

    def assign(self, scores: Sequence[float | None]) -> list[str | None]:
        """Labels for each score (``None`` where the score is missing)."""
        x = np.array([np.nan if s is None else s for s in scores], dtype=float)
        return [None if c < 0 else self.labels[c] for c in self.codes(x)]

    def describe(self) -> list[str]:
        """One line per tier with its interval, highest first, e.g. ``High: 0.5 ≤ x ≤ 0.75``."""
        out = []
        k = len(self.thresholds)
        for i, label in enumerate(self.labels):
            lo = None if i == 0 else (self.thresholds[i - 1], not self.upper_closed[i - 1])
            hi = None if i == k else (self.thresholds[i], self.upper_closed[i])
            parts = []
            if lo:
                parts.append(f"{lo[0]:g} {'≤' if lo[1] else '<'} x")
            if hi:
                parts.append(f"x {'≤' if hi[1] else '<'} {hi[0]:g}" if not parts else
                             f"{'≤' if hi[1] else '<'} {hi[0]:g}")
            out.append(f"{label}: {' '.join(parts)}")
        return list(reversed(out))


TIER_PRESETS: Mapping[str, TierScheme] = {
    "un": TierScheme("un", (0.25, 0.50, 0.75), ("Low", "Middle", "High", "Very High"),
                     (False, False, True), scale=1.0),
    "cn": TierScheme("cn", (60.0, 80.0, 90.0), ("低", "中", "高", "非常高"),
                     (False, False, False), scale=100.0),
}


def parse_tiers(spec: str | Sequence[float] | TierScheme,
                labels: Sequence[str] | None = None) -> TierScheme:
    """A preset name, a comma-separated list of thresholds, a list of numbers, or a scheme.

    Raises ``ValueError`` for text that is neither a preset nor increasing numbers.

    >>> s = parse_tiers("0.3,0.6")
    >>> s.labels_high_first, s.assign([0.3, 0.29, 0.6])
    (['tier_1', 'tier_2', 'tier_3'], ['tier_2', 'tier_3', 'tier_1'])
    """
    if isinstance(spec, TierScheme):
        return spec
    if isinstance(spec, str):
        key = spec.strip().lower()
        if key in TIER_PRESETS:
            return TIER_PRESETS[key]
        values = [float(v) for v in spec.split(",") if v.strip() != ""]
    else:
        values = [float(v) for v in spec]
    if not values or not all(np.isfinite(values)):
        raise ValueError("thresholds must be finite numbers")
    k = len(values)
    if labels is None:
        labels = [f"tier_{k + 1 - i}" for i in range(k + 1)]
    return TierScheme("custom", tuple(values), tuple(labels), (False,) * k,
                      scale=100.0 if max(values) > 1 else 1.0)
