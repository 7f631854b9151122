"""The pipeline-ready step: quantified data + framework → :class:`IndexResult`.

Order (COINr): outlier treatment (optional) → normalise (direction applied) → weights
(framework, equal or PCA) → channel sub-indices → overall index → round to
``decimals`` (the reported score) → ranks → tiers → optional Monte Carlo + Sobol.

Options are declared once in :data:`INDEX_OPTIONS` (name, default, help, allowed) and
checked at the start; unknown keys fail with the closest known key as a hint.

>>> import pandas as pd
>>> q = pd.DataFrame({"a": [0.9, 0.5, 0.2], "b": [0.8, 0.6, 0.1]}, index=["u1", "u2", "u3"])
>>> res = build_index(q, {"a": {}, "b": {}}, {"normalize": "none"})
>>> res.index.tolist(), res.ranks.tolist(), res.tiers.tolist()
([0.85, 0.55, 0.15], [1, 2, 3], ['Very High', 'High', 'Low'])
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..messages import Message, msg
from .aggregate import AGGREGATORS, aggregate, needs_nonnegative
from .normalise import NORMALISERS, normalise
from .rank import RANKERS, rank_scores
from .tiers import TIER_PRESETS, TierScheme, parse_tiers
from .uncertainty import ASSUMPTIONS, UncertaintySpec, run_uncertainty
from .weights import make_weights, pca_weights

__all__ = ["IndexOption", "INDEX_OPTIONS", "IndexResult", "build_index", "resolve_options"]


@dataclass(frozen=True)
class IndexOption:
    name: str
    default: Any
    help: str
    choices: tuple | None = None


INDEX_OPTIONS: Mapping[str, IndexOption] = {o.name: o for o in (
    IndexOption("normalize", "minmax", "Normaliser (see egoveval.index.normalise).", tuple(NORMALISERS)),
    IndexOption("scale", None, "Top of the 0–top scale of min–max/rank normalisers: 1 or 100; "
                "default 100 with the cn tiers or thresholds above 1, else 1.", (None, 1, 100)),
    IndexOption("outliers", False, "Apply COINr's outlier rule before normalising.", (True, False)),
    IndexOption("aggregate", "arithmetic", "Aggregator within and across channels.", tuple(AGGREGATORS)),
    IndexOption("power", 2.0, "Power p of the generalised mean."),
    IndexOption("weights", "framework", "framework (weights given per indicator, default 1), "
                "equal, or pca.", ("framework", "equal", "pca")),
    IndexOption("channel_weights", None, "Mapping channel → weight (default equal)."),
    IndexOption("rank", "competition", "Rank rule.", tuple(RANKERS)),
    IndexOption("tiers", "un", "un, cn, a list of thresholds, or a TierScheme."),
    IndexOption("decimals", 4, "Round the score to this many decimals before ranking and tiering "
                "(UN practice); None keeps full precision."),
    IndexOption("uncertainty", None, "None, or a mapping of UncertaintySpec fields "
                "(n, seed, assumptions, weight_noise, normalisers, aggregators, …)."),
)}


def _problem(rule: str, **kw) -> Problem:
    return Problem.of(rule, **kw)


def resolve_options(options: Mapping[str, Any] | None) -> dict[str, Any]:
    """Defaults < given options; every bad key or value reported at once."""
    options = dict(options or {})
    problems = []
    for key in options:
        if key not in INDEX_OPTIONS:
            hint = difflib.get_close_matches(key, list(INDEX_OPTIONS), n=1)
            problems.append(_problem("index.option_unknown", column=key, value=key,
                                     hint=hint[0] if hint else "—"))
    out = {k: o.default for k, o in INDEX_OPTIONS.items()}
    out.update({k: v for k, v in options.items() if k in INDEX_OPTIONS})
    for key in ("normalize", "aggregate", "weights", "rank", "scale"):
        choices = INDEX_OPTIONS[key].choices
        if out[key] not in choices:
            problems.append(_problem("index.option_choice", column=key, value=out[key],
                                     choices=", ".join(str(c) for c in choices)))
    if out["decimals"] is not None and (not isinstance(out["decimals"], int) or out["decimals"] < 0):
        problems.append(_problem("index.option_invalid", column="decimals", value=out["decimals"],
                                 expected="None or a whole number ≥ 0"))
    try:
        scheme = parse_tiers(out["tiers"])
    except (ValueError, TypeError):
        problems.append(_problem("index.tiers_invalid", column="tiers", value=out["tiers"]))
        scheme = None
    if out["scale"] is None:
        out["scale"] = 100 if scheme is not None and scheme.scale == 100 else 1
    out["tiers"] = scheme
    unc = out["uncertainty"]
    if unc is not None:
        if isinstance(unc, UncertaintySpec):
            unc = unc.__dict__
        fields = UncertaintySpec.__dataclass_fields__
        bad = [k for k in unc if k not in fields]
        for k in bad:
            hint = difflib.get_close_matches(k, list(fields), n=1)
            problems.append(_problem("index.option_unknown", column=f"uncertainty.{k}", value=k,
                                     hint=hint[0] if hint else "—"))
        spec_kw = {k: (tuple(v) if isinstance(v, list) else v) for k, v in unc.items() if k in fields}
        spec = UncertaintySpec(**spec_kw)
        if not isinstance(spec.n, int) or spec.n < 2:
            problems.append(_problem("index.uncertainty_n", column="uncertainty.n", value=spec.n, min=2))
        for a in spec.assumptions:
            if a not in ASSUMPTIONS:
                problems.append(_problem("index.option_choice", column="uncertainty.assumptions",
                                         value=a, choices=", ".join(ASSUMPTIONS)))
        for nm in spec.normalisers:
            if nm not in NORMALISERS:
                problems.append(_problem("index.option_choice", column="uncertainty.normalisers",
                                         value=nm, choices=", ".join(NORMALISERS)))
        for ag in spec.aggregators:
            if ag not in AGGREGATORS:
                problems.append(_problem("index.option_choice", column="uncertainty.aggregators",
                                         value=ag, choices=", ".join(AGGREGATORS)))
        if not problems and "normalisation" in spec.assumptions and len(spec.normalisers) > 1:
            ranges = {NORMALISERS[nm].range_for(out["scale"]) for nm in spec.normalisers}
            if len(ranges) > 1:
                problems.append(_problem("index.uncertain_ranges", column="uncertainty.normalisers",
                                         value=",".join(spec.normalisers)))
        out["uncertainty"] = spec
    if problems:
        raise InputError(problems)
    return out


@dataclass(frozen=True)
class IndexResult:
    """Everything the index step produces; ``table()`` is the ``index.csv`` layout."""

    normalized: pd.DataFrame
    sub_indices: pd.DataFrame
    index: pd.Series  # the reported score (rounded to ``decimals``)
    index_unrounded: pd.Series
    ranks: pd.Series
    tiers: pd.Series
    weights: pd.DataFrame
    tier_scheme: TierScheme
    outliers: pd.DataFrame
    zeros: pd.DataFrame
    uncertainty: pd.DataFrame | None
    sensitivity: pd.DataFrame | None
    pca_loadings: pd.DataFrame | None
    options: Mapping[str, Any]
    warnings: tuple[Message, ...] = field(default=())

    def table(self, id_name: str = "unit") -> pd.DataFrame:
        """id, score, rank, tier (+ rank_p05, rank_median, rank_p95, p_<tier>… with uncertainty)."""
        out = pd.DataFrame({id_name: list(self.index.index), "score": self.index.to_numpy(),
                            "rank": self.ranks.to_numpy(), "tier": self.tiers.to_numpy()})
        if self.uncertainty is not None:
            unc = self.uncertainty.reindex(self.index.index)
            for col in unc.columns:
                values = unc[col].to_numpy()
                if col.startswith("rank_"):
                    values = pd.array(np.where(np.isnan(values.astype(float)), None, values),
                                      dtype="Int64")
                out[col] = values
        return out


def _framework(framework_like: Mapping[str, Mapping[str, Any]], columns) -> tuple[dict, dict, dict, dict, list]:
    channels, directions, weights, params, problems = {}, {}, {}, {}, []
    for ind, spec in framework_like.items():
        spec = dict(spec or {})
        if ind not in columns:
            problems.append(_problem("index.column_unknown", column=str(ind), value=ind,
                                     available=", ".join(map(str, columns))))
            continue
        channels[ind] = str(spec.get("channel", "index"))
        d = spec.get("direction", 1)
        if d not in (1, -1):
            problems.append(_problem("index.option_invalid", column=str(ind), value=d,
                                     expected="direction +1 or −1"))
            d = 1
        directions[ind] = int(d)
        w = spec.get("weight", 1.0)
        try:
            w = float(w)
            ok = np.isfinite(w) and w >= 0
        except (TypeError, ValueError):
            ok = False
        if not ok:
            problems.append(_problem("index.weight_invalid", column=str(ind), value=w))
            w = 1.0
        weights[ind] = w
        if "target" in spec:
            params[ind] = {"target": spec["target"]}
    if not framework_like:
        problems.append(_problem("index.no_columns"))
    return channels, directions, weights, params, problems


def build_index(quantified: pd.DataFrame, framework_like: Mapping[str, Mapping[str, Any]],
                options: Mapping[str, Any] | None = None) -> IndexResult:
    """Build the composite index of ``quantified`` (units × indicators, numeric).

    ``framework_like`` maps each indicator to ``{channel, direction, weight}`` (defaults:
    one channel ``"index"``, +1, 1; ``target`` for ``dist2target``). ``options`` as in
    :data:`INDEX_OPTIONS`. Bad input raises :class:`~egoveval.errors.InputError` with every
    problem. Units with a missing value get no score, rank or tier (a warning each).
    """
    opts = resolve_options(options)
    channels, directions, weights_given, params, problems = _framework(framework_like,
                                                                        list(quantified.columns))
    cols = list(channels)
    data = quantified[cols] if cols else quantified.iloc[:, :0]
    for col in cols:
        if not pd.api.types.is_numeric_dtype(data[col]):
            problems.append(_problem("index.not_numeric", column=str(col)))
    if problems:
        raise InputError(problems)
    data = data.astype(float)
    norm = NORMALISERS[opts["normalize"]]
    for col in cols:
        x = data[col].dropna()
        if norm.needs_spread and (x.size < 2 or x.max() == x.min()):
            problems.append(_problem("index.constant", column=str(col), method=norm.name))
    if problems:
        raise InputError(problems)
    if opts["normalize"] == "dist2target":
        for col in cols:
            if "target" not in params.get(col, {}):
                problems.append(_problem("index.target_missing", column=str(col)))
    if problems:
        raise InputError(problems)

    nz = normalise(data, opts["normalize"], directions=directions, scale=opts["scale"],
                   params=params, outliers=opts["outliers"])
    ndata = nz.data
    if needs_nonnegative(opts["aggregate"], opts["power"]):
        for col in cols:
            if (ndata[col] < 0).any():
                problems.append(_problem("index.negative_for_geometric", column=str(col),
                                         method=opts["aggregate"], normalise=opts["normalize"]))
    if problems:
        raise InputError(problems)

    warnings: list[Message] = []
    loadings = None
    ind_w = dict(weights_given)
    if opts["weights"] == "equal":
        ind_w = {c: 1.0 for c in cols}
    elif opts["weights"] == "pca":
        pw = pca_weights(ndata, channels)
        ind_w, loadings = pw.weights, pw.loadings
    try:
        w = make_weights(channels, ind_w, opts["channel_weights"])
    except ValueError:
        raise InputError([_problem("index.weights_zero", column="weights")]) from None

    agg = aggregate(ndata, w, opts["aggregate"], opts["power"])
    exact = agg.index
    score = exact.round(opts["decimals"]) if opts["decimals"] is not None else exact.copy()
    ranks = rank_scores(score, opts["rank"])
    scheme: TierScheme = opts["tiers"]
    tiers = pd.Series(scheme.assign(list(score.to_numpy())), index=score.index, name="tier",
                      dtype=object)
    missing = score.index[score.isna()]
    for unit in missing:
        warnings.append(msg("index.unit_missing", unit=unit))
    if len(agg.zeros):
        warnings.append(msg("index.zero_score", n=len(agg.zeros),
                            units=agg.zeros["unit"].nunique()))
    top = np.nanmax(score.to_numpy()) if score.notna().any() else np.nan
    if np.isfinite(top) and ((scheme.scale == 1 and top > 1.5) or (scheme.scale == 100 and top <= 1)):
        warnings.append(msg("index.tiers_scale", scale=scheme.scale, top=round(float(top), 4)))

    unc_table = sens_table = None
    spec: UncertaintySpec | None = opts["uncertainty"]
    if spec is not None:
        complete = score.notna()
        if complete.sum() < 3:
            raise InputError([_problem("index.no_complete_units", n=int(complete.sum()))])
        mats = {}
        names = set([opts["normalize"]])
        if "normalisation" in spec.assumptions:
            names |= set(spec.normalisers)
        aggs = set([opts["aggregate"]])
        if "aggregation" in spec.assumptions:
            aggs |= set(spec.aggregators)
        for nm in sorted(names):
            full = ndata if nm == opts["normalize"] else normalise(
                data, nm, directions=directions, scale=opts["scale"], params=params,
                outliers=opts["outliers"]).data
            mat = full.loc[complete, cols].to_numpy(dtype=float)
            if any(needs_nonnegative(a, opts["power"]) for a in aggs) and (mat < 0).any():
                raise InputError([_problem("index.negative_for_geometric", column="uncertainty",
                                           method="geometric", normalise=nm)])
            mats[nm] = mat
        chan_order = w.channels
        membership = np.array([[1.0 if channels[c] == ch else 0.0 for ch in chan_order] for c in cols])
        tab = w.table.set_index("indicator")
        w_chan = tab.drop_duplicates("channel").set_index("channel").loc[chan_order, "channel_weight"]
        res = run_uncertainty(
            mats, w_ind=tab.loc[cols, "weight"].to_numpy(), membership=membership,
            w_chan=w_chan.to_numpy(dtype=float), normaliser=opts["normalize"],
            aggregator=opts["aggregate"], power=opts["power"], rank=opts["rank"],
            decimals=opts["decimals"], tiers=scheme,
            nominal_ranks=ranks[complete].to_numpy(dtype=float), units=list(score.index[complete]),
            spec=spec)
        unc_table = res.units
        sens_table = res.sensitivity
        for note in res.notes:
            warnings.append(msg("index.uncertainty_note", note=note))

    return IndexResult(
        normalized=ndata, sub_indices=agg.sub_indices, index=score.rename("score"),
        index_unrounded=exact.rename("score"), ranks=ranks, tiers=tiers, weights=w.table,
        tier_scheme=scheme, outliers=nz.outliers, zeros=agg.zeros, uncertainty=unc_table,
        sensitivity=sens_table, pca_loadings=loadings,
        options=MappingProxyType({k: v for k, v in opts.items()}), warnings=tuple(warnings))
