"""Tiers (level groups) of a composite score, with the inclusive side of every boundary stated.

A :class:`TierScheme` has ascending thresholds t_1 < … < t_k and k + 1 labels from the
lowest tier to the highest. For each threshold, ``upper_closed[j]`` says where a score
exactly equal to t_j goes: ``False`` (default) → the tier *above* (x ≥ t_j moves up),
``True`` → the tier *below* (only x > t_j moves up). A missing score is reported as
missing (``None``), never given a tier. :meth:`TierScheme.table` states every tier's
interval with its closed sides (the report's tier table; the CLI prints
:meth:`TierScheme.describe`).

Every tier has a label (``labels``: what ``index.csv`` writes) and a Chinese and an
English name (``labels_zh``, ``labels_en``; by default the label itself) for bilingual
reports.

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
Chinese names (our rendering, as the cn tiers): 非常高 / 高 / 中 / 低.

``cn`` — Chinese national evaluation of provincial online government services on
0–100: 非常高 x ≥ 90; 高 80 ≤ x < 90; 中 60 ≤ x < 80; 低 x < 60 (the 低 tier is common in
reports but not confirmed for the national evaluation). All lower bounds inclusive.
English names: Very high / High / Middle / Low (the labels written stay Chinese).

Custom thresholds (``parse_tiers("0.3,0.6")``) are lower-inclusive and labelled
``tier_1`` (top) … ``tier_{k+1}`` (bottom), like 第一梯队 for the leading group. Own
labels are given **highest tier first** (``labels=["A", "B", "C"]``), each a text, a
``{zh, en}`` pair or a ``[zh, en]`` list; in a study, ``tiers: {thresholds: [60, 80], labels: [...]}``
(``thresholds`` may also name a preset to relabel it).

>>> TIER_PRESETS["un"].assign([0.75, 0.7501, 0.5, 0.25, 0.2499, None])
['High', 'Very High', 'High', 'Middle', 'Low', None]
>>> TIER_PRESETS["cn"].assign([90, 89.99, 80, 60, 59.9])
['非常高', '高', '高', '中', '低']
>>> TIER_PRESETS["cn"].name_of("中", "en")
'Middle'
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["TierScheme", "TIER_PRESETS", "TierSpecError", "parse_tiers", "presets_help"]


class TierSpecError(ValueError):
    """A tier specification that cannot be used; ``rule`` is a message-catalogue key."""

    def __init__(self, rule: str, **params: object):
        self.rule = rule
        self.params = params
        super().__init__(rule)


@dataclass(frozen=True)
class TierScheme:
    """Thresholds (ascending), labels (lowest → highest) and the closed side of each threshold."""

    name: str
    thresholds: tuple[float, ...]
    labels: tuple[str, ...]
    upper_closed: tuple[bool, ...]
    scale: float = 1.0  # the score scale the thresholds assume (1 or 100)
    labels_zh: tuple[str, ...] | None = None  # Chinese names (lowest → highest); None: the labels
    labels_en: tuple[str, ...] | None = None  # English names (lowest → highest); None: the labels

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.thresholds) + 1:
            raise ValueError("need one more label than thresholds")
        if len(self.upper_closed) != len(self.thresholds):
            raise ValueError("need one closed-side flag per threshold")
        if any(b <= a for a, b in zip(self.thresholds, self.thresholds[1:])):
            raise ValueError("thresholds must increase strictly")
        if len(set(self.labels)) != len(self.labels):
            raise ValueError("tier labels must be distinct")
        for names in (self.labels_zh, self.labels_en):
            if names is not None and len(names) != len(self.labels):
                raise ValueError("need one name per tier")

    @property
    def labels_high_first(self) -> list[str]:
        return list(reversed(self.labels))

    def names(self, lang: str) -> tuple[str, ...]:
        """Tier names in ``lang`` ("zh" or "en"), lowest → highest."""
        names = self.labels_zh if lang == "zh" else self.labels_en if lang == "en" else None
        return names if names is not None else self.labels

    def name_of(self, label: str | None, lang: str) -> str | None:
        """The ``lang`` name of a tier label (``None`` stays ``None``)."""
        if label is None:
            return None
        return self.names(lang)[self.labels.index(label)]

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

    def table(self) -> pd.DataFrame:
        """One row per tier, highest first: ``tier`` (the label), ``tier_zh``, ``tier_en``,
        ``lower``/``upper`` (empty when unbounded), ``lower_inclusive``/``upper_inclusive``
        and ``interval`` (e.g. ``0.5 ≤ x ≤ 0.75``; x is the score).

        >>> TIER_PRESETS["un"].table()[["tier", "interval"]].values.tolist()[:2]
        [['Very High', '0.75 < x'], ['High', '0.5 ≤ x ≤ 0.75']]
        """
        rows = []
        k = len(self.thresholds)
        for i, label in enumerate(self.labels):
            lower = self.thresholds[i - 1] if i > 0 else None
            lower_in = None if i == 0 else not self.upper_closed[i - 1]
            upper = self.thresholds[i] if i < k else None
            upper_in = None if i == k else self.upper_closed[i]
            parts = []
            if lower is not None:
                parts.append(f"{lower:g} {'≤' if lower_in else '<'} x")
            if upper is not None:
                parts.append(f"x {'≤' if upper_in else '<'} {upper:g}" if not parts else
                             f"{'≤' if upper_in else '<'} {upper:g}")
            rows.append({"tier": label, "tier_zh": self.names("zh")[i], "tier_en": self.names("en")[i],
                         "lower": lower, "lower_inclusive": lower_in, "upper": upper,
                         "upper_inclusive": upper_in, "interval": " ".join(parts)})
        return pd.DataFrame(rows[::-1])

    def describe(self) -> list[str]:
        """One line per tier with its interval, highest first, e.g. ``High: 0.5 ≤ x ≤ 0.75``."""
        return [f"{r.tier}: {r.interval}" for r in self.table().itertuples()]

    def relabelled(self, labels: Sequence[object]) -> "TierScheme":
        """The same thresholds with own labels, given highest first (texts or ``{zh, en}``)."""
        zh, en = _labels(labels, len(self.thresholds) + 1)
        return replace(self, labels=zh, labels_zh=zh, labels_en=en)  # labelled by the Chinese name


TIER_PRESETS: Mapping[str, TierScheme] = {
    "un": TierScheme("un", (0.25, 0.50, 0.75), ("Low", "Middle", "High", "Very High"),
                     (False, False, True), scale=1.0, labels_zh=("低", "中", "高", "非常高")),
    "cn": TierScheme("cn", (60.0, 80.0, 90.0), ("低", "中", "高", "非常高"),
                     (False, False, False), scale=100.0,
                     labels_en=("Low", "Middle", "High", "Very high")),
}


def presets_help() -> str:
    """The presets with their score scale and boundaries as :meth:`TierScheme.describe`
    states them, for help texts (``egoveval index --help``, the ``index.tiers`` setting).

    >>> presets_help().split(", cn")[0]
    'un (0–1; Very High: 0.75 < x; High: 0.5 ≤ x ≤ 0.75; Middle: 0.25 ≤ x < 0.5; Low: x < 0.25)'
    """
    return ", ".join(f"{name} (0–{scheme.scale:g}; {'; '.join(scheme.describe())})"
                     for name, scheme in TIER_PRESETS.items())


def _labels(labels: Sequence[object], n: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(zh names, en names), lowest → highest, from labels given highest first; a text is
    both names, a ``{zh, en}`` pair (or a ``[zh, en]`` list, as for ``types.labels``) gives each."""
    if isinstance(labels, str):
        labels = [s.strip() for s in labels.split(",")]
    labels = list(labels)
    if len(labels) != n:
        raise TierSpecError("index.tier_labels_count", given=len(labels), expected=n)
    zh, en = [], []
    for item in labels:
        if isinstance(item, (list, tuple)) and len(item) == 2:  # [zh, en], as types.labels
            item = {"zh": item[0], "en": item[1]}
        if isinstance(item, Mapping):
            pair = {k: item.get(k) for k in ("zh", "en")}
            if set(item) - {"zh", "en"} or not all(isinstance(v, str) and v.strip() for v in pair.values()):
                raise TierSpecError("index.tier_labels_invalid", value=item)
            zh.append(pair["zh"].strip())
            en.append(pair["en"].strip())
        elif isinstance(item, str) and item.strip():
            zh.append(item.strip())
            en.append(item.strip())
        else:
            raise TierSpecError("index.tier_labels_invalid", value=item)
    if len(set(zh)) != n or len(set(en)) != n:
        raise TierSpecError("index.tier_labels_invalid", value=", ".join(zh))
    return tuple(zh[::-1]), tuple(en[::-1])


def _thresholds(spec: object) -> list[float]:
    items = spec.split(",") if isinstance(spec, str) else spec
    try:
        values = [float(v) for v in items if not (isinstance(v, str) and v.strip() == "")]
    except (TypeError, ValueError):
        raise TierSpecError("index.tiers_invalid") from None
    if not values or not all(np.isfinite(values)):
        raise TierSpecError("index.tiers_invalid")
    if any(b <= a for a, b in zip(values, values[1:])):
        raise TierSpecError("index.tiers_invalid")
    return values


def parse_tiers(spec: str | Sequence[float] | Mapping[str, object] | TierScheme,
                labels: Sequence[object] | str | None = None) -> TierScheme:
    """A preset name, thresholds (comma-separated text or numbers), a mapping
    ``{thresholds: ..., labels: [...]}``, or a scheme; ``labels`` (highest tier first,
    texts or ``{zh, en}`` pairs) relabel any of them.

    Raises :class:`TierSpecError` (a ``ValueError``) naming the broken rule.

    >>> s = parse_tiers("0.3,0.6")
    >>> s.labels_high_first, s.assign([0.3, 0.29, 0.6])
    (['tier_1', 'tier_2', 'tier_3'], ['tier_2', 'tier_3', 'tier_1'])
    >>> s = parse_tiers({"thresholds": [60, 80], "labels": [{"zh": "领先", "en": "Leading"}, "中", "低"]})
    >>> s.assign([80, 79])[0], s.name_of("领先", "en"), s.scale
    ('领先', 'Leading', 100.0)
    """
    if isinstance(spec, Mapping):
        unknown = set(spec) - {"thresholds", "labels"}
        if unknown or "thresholds" not in spec:
            raise TierSpecError("index.tiers_mapping", keys=", ".join(map(str, spec)) or "—")
        if labels is None:
            labels = spec.get("labels")
        spec = spec["thresholds"]
    if isinstance(spec, TierScheme):
        scheme = spec
    elif isinstance(spec, str) and spec.strip().lower() in TIER_PRESETS:
        scheme = TIER_PRESETS[spec.strip().lower()]
    elif isinstance(spec, (str, Sequence)):
        values = _thresholds(spec)
        k = len(values)
        scheme = TierScheme("custom", tuple(values), tuple(f"tier_{k + 1 - i}" for i in range(k + 1)),
                            (False,) * k, scale=100.0 if max(values) > 1 else 1.0)
    else:
        raise TierSpecError("index.tiers_invalid")
    return scheme if labels is None else scheme.relabelled(labels)
