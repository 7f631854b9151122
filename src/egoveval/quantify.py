"""Quantification (the study's Table 2): raw observations → numbers ready for clustering.

Rules per indicator (``Indicator.quantification``):

* ``as_is`` — counts, ratings, numbers and shares are used as they are;
* ``binary`` — yes/no → 1/0; ``levels`` — an ordinal level → its code 0, 1, 2, …;
* ``count_choices`` — a multiple choice → the number of options chosen;
* ``months_before`` — a date → whole months before the collection date,
  m = 12·(Y_c − Y_d) + (M_c − M_d) − [D_c < D_d].

A channel the unit has not built is *unbuilt*, not missing: all its indicators take
one uniform constant (``unbuilt_value``, 0 by default), as the source study did
("采取统一定值"), and this is recorded. Indicators constant across units cannot
separate clusters and are dropped and reported. Missing values are an error unless
``missing="listwise"`` (drop units) or ``missing="mean"`` (impute the indicator's
mean) is chosen; either choice is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from .errors import InputError, Problem
from .frameworks.loading import rule_text
from .frameworks.schema import Framework
from .io.observations import Observations
from .messages import text

__all__ = ["Quantified", "quantify", "months_before", "quantification_table"]


@dataclass(frozen=True)
class Quantified:
    data: pd.DataFrame  # units × kept indicators, float
    unbuilt: pd.DataFrame  # unit, channel, value
    dropped: pd.DataFrame  # indicator, reason, value
    handled_missing: pd.DataFrame  # unit, indicator, action, value
    all_indicators: pd.DataFrame  # units × all indicators before dropping constants


def months_before(day: date, collection: date) -> int:
    """Whole months from ``day`` to ``collection``.

    >>> months_before(date(2019, 3, 5), date(2021, 3, 15)), months_before(date(2019, 3, 20), date(2021, 3, 15))
    (24, 23)
    """
    return 12 * (collection.year - day.year) + (collection.month - day.month) - (collection.day < day.day)


def _quantify_value(value, rule: str, collection: date | None):
    if rule in ("as_is", "binary", "levels"):
        return float(value)
    if rule == "count_choices":
        return float(len(value))
    if rule == "months_before":
        return float(months_before(value, collection))
    raise ValueError(f"unknown quantification rule {rule!r}")  # the schema prevents this


def quantify(obs: Observations, framework: Framework, *, collection_date: date | None,
             unbuilt_value: float = 0.0, missing: str = "error", drop_constant: bool = True) -> Quantified:
    problems: list[Problem] = []
    ids = list(obs.values.columns)
    needs_date = [i for i in ids if framework.indicator(i).quantification == "months_before"]
    if needs_date and collection_date is None:
        raise InputError([Problem.of("quantify.no_collection_date", column="collection_date",
                                     value="、".join(needs_date))])
    data = pd.DataFrame(np.nan, index=obs.values.index, columns=ids, dtype=float)
    unbuilt_rows = []
    for code in obs.values.index:
        for ind_id in ids:
            state = obs.status.at[code, ind_id]
            ind = framework.indicator(ind_id)
            if state == "ok":
                value = _quantify_value(obs.values.at[code, ind_id], ind.quantification, collection_date)
                if ind.quantification == "months_before" and value < 0:
                    problems.append(Problem.of("quantify.after_collection", file=obs.file,
                                               row=int(obs.rows[code]), column=ind.name_zh,
                                               value=obs.values.at[code, ind_id], date=collection_date))
                data.at[code, ind_id] = value
            elif state == "unbuilt":
                data.at[code, ind_id] = float(unbuilt_value)
    for code in obs.values.index:
        for ch in framework.channels:
            members = [i.id for i in ch.indicators if i.id in ids]
            if members and all(obs.status.at[code, i] == "unbuilt" for i in members):
                unbuilt_rows.append({"unit": code, "channel": ch.id, "channel_zh": ch.name_zh,
                                     "channel_en": ch.name_en, "value": float(unbuilt_value)})
    handled = []
    is_missing = data.isna()
    if is_missing.any().any():
        if missing == "error":
            for code, ind_id in zip(*np.nonzero(is_missing.to_numpy())):
                unit, ind = data.index[code], ids[ind_id]
                problems.append(Problem.of("quantify.missing", file=obs.file, row=int(obs.rows[unit]),
                                           column=framework.indicator(ind).name_zh, value=""))
        elif missing == "listwise":
            for unit in data.index[is_missing.any(axis=1)]:
                lacking = [i for i in ids if is_missing.at[unit, i]]
                handled.append({"unit": unit, "indicator": "、".join(lacking), "action": "listwise", "value": ""})
            data = data.loc[~is_missing.any(axis=1)]
        elif missing == "mean":
            means = data.mean()
            for unit, ind in zip(*np.nonzero(is_missing.to_numpy())):
                u, i = data.index[unit], ids[ind]
                handled.append({"unit": u, "indicator": i, "action": "mean", "value": float(means[i])})
            data = data.fillna(means)
    if problems:
        raise InputError(problems)
    full = data.copy()
    dropped = []
    if drop_constant and len(data) > 0:
        for ind in ids:
            column = data[ind]
            if column.nunique(dropna=True) <= 1:
                dropped.append({"indicator": ind, "reason": "constant",
                                "value": float(column.iloc[0]) if len(column) else np.nan})
        data = data.drop(columns=[d["indicator"] for d in dropped])
    return Quantified(
        data,
        pd.DataFrame(unbuilt_rows, columns=["unit", "channel", "channel_zh", "channel_en", "value"]),
        pd.DataFrame(dropped, columns=["indicator", "reason", "value"]),
        pd.DataFrame(handled, columns=["unit", "indicator", "action", "value"]),
        full,
    )


def quantification_table(framework: Framework, unbuilt_value: float = 0.0) -> pd.DataFrame:
    """Table 2: how each indicator is turned into a number."""
    rows = []
    for ch in framework.channels:
        for ind in ch.indicators:
            zh, en = rule_text(ind, "zh"), rule_text(ind, "en")
            rows.append({
                "channel_zh": ch.name_zh, "channel_en": ch.name_en, "indicator_id": ind.id,
                "indicator_zh": ind.name_zh, "indicator_en": ind.name_en, "kind": ind.kind,
                "rule": ind.quantification, "rule_zh": zh, "rule_en": en,
                "unbuilt_zh": text("quantify.rule.unbuilt", "zh", value=unbuilt_value) if ch.can_be_unbuilt else "",
                "unbuilt_en": text("quantify.rule.unbuilt", "en", value=unbuilt_value) if ch.can_be_unbuilt else "",
            })
    return pd.DataFrame(rows)
