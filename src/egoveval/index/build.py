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
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..messages import Message, msg, text
from .aggregate import AGGREGATORS, aggregate, needs_nonnegative
from .normalise import NORMALISERS, normalise
from .rank import RANKERS, rank_scores
from .tiers import TierScheme, TierSpecError, parse_tiers, presets_help
from .uncertainty import ASSUMPTIONS, UncertaintySpec, plan_assumptions, run_uncertainty
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
    IndexOption("indicator_weights", None, "Mapping indicator id → weight, overriding the "
                "framework's weights (with weights: framework); unknown ids are problems."),
    IndexOption("channel_weights", None, "Mapping channel id → weight (default: the framework's, "
                "else equal); unknown ids are problems."),
    IndexOption("rank", "competition", "Rank rule.", tuple(RANKERS)),
    IndexOption("tiers", "un", f"{presets_help()}, a list of thresholds (x ≥ T moves up), "
                "{thresholds: [...], labels: [...]} with labels highest first (texts or {zh, en} "
                "pairs), or a TierScheme."),
    IndexOption("decimals", 4, "Round the score to this many decimals before ranking and tiering "
                "(UN practice); None keeps full precision."),
    IndexOption("uncertainty", None, "None, or a mapping of UncertaintySpec fields "
                "(n, seed, assumptions, weight_noise, normalisers, aggregators, …); the nominal "
                "normaliser and aggregator are always among the alternatives (prepended when "
                "missing)."),
)}


def _problem(rule: str, **kw) -> Problem:
    return Problem.of(rule, **kw)


def _invalid(column: str, value: object, expect: str) -> Problem:
    """``index.option_invalid``: ``value`` of ``column`` is not what the catalogue text
    ``expect`` (``settings.expect.*`` or ``index.expect.*``) says, in both languages."""
    return _problem("index.option_invalid", column=column, value=value,
                    expected_zh=text(expect, "zh"), expected_en=text(expect, "en"))


def tier_problem(exc: TierSpecError, column: str, value: object) -> Problem:
    """The :class:`~egoveval.errors.Problem` for a tier specification that failed to parse."""
    params = dict(exc.params)
    return _problem(exc.rule, column=column, value=params.pop("value", value), **params)


_LISTS = ("assumptions", "normalisers", "aggregators")


def _as_tuple(value: Any) -> Any:
    """A list, or a comma-separated text, as a tuple (other values are left to the checks)."""
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _whole_from(value: object, low: int) -> bool:
    """A whole number (not a bool) ≥ ``low``."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= low


def _real(value: object) -> bool:
    """A finite int or float (not a bool, not a text)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and bool(np.isfinite(value))


def _spec_problems(spec: UncertaintySpec) -> list[Problem]:
    """Fields of the uncertainty spec that cannot work (n is checked by the caller):
    seed a whole number ≥ 0; the lists lists; 0 ≤ weight_noise ≤ 1; n_boot ≥ 0; 0 < conf < 1
    (the bootstrap interval's level); chunk, workers ≥ 1; progress true/false; a known sampler."""
    out = []
    if not _whole_from(spec.seed, 0):  # numpy.random.default_rng takes seeds ≥ 0
        out.append(_invalid("uncertainty.seed", spec.seed, "settings.expect.int>=0"))
    for key in _LISTS:
        if not isinstance(getattr(spec, key), tuple):
            out.append(_invalid(f"uncertainty.{key}", getattr(spec, key), "index.expect.names"))
    noise = spec.weight_noise
    if not _real(noise) or not 0 <= noise <= 1:
        out.append(_invalid("uncertainty.weight_noise", noise, "index.expect.noise"))
    if not _whole_from(spec.n_boot, 0):
        out.append(_invalid("uncertainty.n_boot", spec.n_boot, "settings.expect.int>=0"))
    if not _real(spec.conf) or not 0 < spec.conf < 1:
        out.append(_invalid("uncertainty.conf", spec.conf, "index.expect.conf"))
    for key in ("chunk", "workers"):
        if not _whole_from(getattr(spec, key), 1):
            out.append(_invalid(f"uncertainty.{key}", getattr(spec, key), "settings.expect.int>=1"))
    if not isinstance(spec.progress, bool):
        out.append(_invalid("uncertainty.progress", spec.progress, "settings.expect.bool"))
    if spec.sampler not in ("random", "sobol"):
        out.append(_problem("index.option_choice", column="uncertainty.sampler", value=spec.sampler,
                            choices="random, sobol"))
    return out


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
        problems.append(_invalid("decimals", out["decimals"], "index.expect.decimals"))
    try:
        scheme = parse_tiers(out["tiers"])
    except TierSpecError as exc:
        problems.append(tier_problem(exc, "tiers", out["tiers"]))
        scheme = None
    for key in ("indicator_weights", "channel_weights"):
        if out[key] is not None and not isinstance(out[key], Mapping):
            problems.append(_invalid(key, out[key], "index.expect.weights"))
    if out["scale"] is None:
        out["scale"] = 100 if scheme is not None and scheme.scale == 100 else 1
    out["tiers"] = scheme
    unc = out["uncertainty"]
    if unc is not None and not isinstance(unc, (Mapping, UncertaintySpec)):
        problems.append(_invalid("uncertainty", unc, "index.expect.uncertainty"))
        unc = out["uncertainty"] = None
    if unc is not None:
        if isinstance(unc, UncertaintySpec):
            unc = unc.__dict__
        fields = UncertaintySpec.__dataclass_fields__
        bad = [k for k in unc if k not in fields]
        for k in bad:
            hint = difflib.get_close_matches(k, list(fields), n=1)
            problems.append(_problem("index.option_unknown", column=f"uncertainty.{k}", value=k,
                                     hint=hint[0] if hint else "—"))
        spec_kw = {k: _as_tuple(v) if k in _LISTS else v for k, v in unc.items() if k in fields}
        spec = UncertaintySpec(**spec_kw)
        problems += _spec_problems(spec)
        if any(not isinstance(getattr(spec, key), tuple) for key in _LISTS):
            raise InputError(problems)
        # the nominal method is always one of the alternatives, so that rank intervals
        # describe this index and not only others
        if out["normalize"] not in spec.normalisers:
            spec = replace(spec, normalisers=(out["normalize"], *spec.normalisers))
        if out["aggregate"] not in spec.aggregators:
            spec = replace(spec, aggregators=(out["aggregate"], *spec.aggregators))
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
                                         value=",".join(spec.normalisers), nominal=out["normalize"]))
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
    sensitivity: pd.DataFrame | None  # SENSITIVITY_COLUMNS + first_ci_low, first_ci_high
    pca_loadings: pd.DataFrame | None
    options: Mapping[str, Any]
    warnings: tuple[Message, ...] = field(default=())

    def table(self, id_name: str = "unit") -> pd.DataFrame:
        """id, score, rank, tier (+ rank_p05, rank_median, rank_p95, p_<tier>… with uncertainty).

        Ranks are nullable integers: a unit without a score has an empty rank, the others
        stay whole numbers (``1``, not ``1.0``) in the CSV.
        """
        out = pd.DataFrame({id_name: list(self.index.index), "score": self.index.to_numpy(),
                            "rank": _whole(self.ranks.to_numpy(dtype=float, na_value=np.nan)),
                            "tier": self.tiers.to_numpy()})
        if self.uncertainty is not None:
            unc = self.uncertainty.reindex(self.index.index)
            for col in unc.columns:
                values = unc[col].to_numpy(dtype=float)
                out[col] = _whole(values) if col.startswith("rank_") else values
        return out

    def tier_names(self, lang: str) -> pd.Series:
        """Each unit's tier in ``lang`` ("zh" or "en"); ``None`` where the score is missing."""
        return pd.Series([self.tier_scheme.name_of(t, lang) for t in self.tiers], index=self.tiers.index,
                         dtype=object, name=f"tier_{lang}")

    def tiers_table(self) -> pd.DataFrame:
        """The tier boundaries (:meth:`TierScheme.table`, highest first) with ``n_units`` per tier."""
        table = self.tier_scheme.table()
        counts = self.tiers.value_counts()
        table["n_units"] = [int(counts.get(t, 0)) for t in table["tier"]]
        return table


def _whole(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Float ranks → nullable integers (NaN → <NA>)."""
    return pd.array(np.where(np.isnan(values), None, values), dtype="Int64")


def _number(value: object) -> float | None:
    """A finite number, else None."""
    if isinstance(value, bool):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


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
            problems.append(_invalid(str(ind), d, "index.expect.direction"))
            d = 1
        directions[ind] = int(d)
        w = _number(spec.get("weight", 1.0))
        if w is None or w < 0:
            problems.append(_problem("index.weight_invalid", column=str(ind), value=spec.get("weight")))
            w = 1.0
        weights[ind] = w
        if "target" in spec:
            target = _number(spec["target"])
            if target is None:
                problems.append(_invalid(str(ind), spec["target"], "index.expect.target"))
            else:
                params[ind] = {"target": target}
    if not framework_like:
        problems.append(_problem("index.no_columns"))
    return channels, directions, weights, params, problems


def _weight_overrides(given: Mapping[str, Any] | None, known: list[str], option: str,
                      rule_unknown: str) -> tuple[dict[str, float], list[Problem]]:
    """Check an id → weight mapping against the known ids; every bad entry is a problem."""
    out, problems = {}, []
    for key, value in (given or {}).items():
        if key not in known:
            hint = difflib.get_close_matches(str(key), [str(k) for k in known], n=1)
            problems.append(_problem(rule_unknown, column=f"{option}.{key}", value=key,
                                     available=", ".join(map(str, known)), hint=hint[0] if hint else "—"))
            continue
        w = _number(value)
        if w is None or w < 0:
            problems.append(_problem("index.weight_invalid", column=f"{option}.{key}", value=value))
            continue
        out[key] = w
    return out, problems


def _target_problems(data: pd.DataFrame, directions: Mapping[str, int],
                     params: Mapping[str, Mapping[str, float]]) -> list[Problem]:
    """dist2target: a target at or behind the worst value would leave the column empty."""
    problems = []
    for col in data.columns:
        if "target" not in params.get(col, {}):
            problems.append(_problem("index.target_missing", column=str(col)))
            continue
        d = directions.get(col, 1)
        x = data[col].dropna() * d
        target = params[col]["target"]
        if x.size and not target * d > x.min():
            problems.append(_problem("index.target_not_beyond_worst", column=str(col), value=target,
                                     worst=float(x.min() * d)))
    return problems


def _planned_uncertainty(spec: UncertaintySpec, w, channels: Mapping[str, str], cols: list[str]):
    """The assumptions of the Monte Carlo that can vary (:func:`plan_assumptions`, computed
    once and handed to :func:`run_uncertainty`); a run in which none can vary is refused."""
    effective = w.table.set_index("indicator").loc[cols, "effective"].to_numpy(dtype=float)
    plan = plan_assumptions(spec, effective, len(set(channels.values())))
    if not plan[0]:
        raise InputError([_problem("index.uncertain_none", column="uncertainty.assumptions",
                                   value=",".join(spec.assumptions), noise=spec.weight_noise,
                                   normalisers=", ".join(spec.normalisers),
                                   aggregators=", ".join(spec.aggregators),
                                   n=int(np.sum(effective > 0)))])
    return plan


def build_index(quantified: pd.DataFrame, framework_like: Mapping[str, Mapping[str, Any]],
                options: Mapping[str, Any] | None = None) -> IndexResult:
    """Build the composite index of ``quantified`` (units × indicators, numeric).

    ``framework_like`` maps each indicator to ``{channel, direction, weight}`` (defaults:
    one channel ``"index"``, +1, 1; ``target`` for ``dist2target``). ``options`` as in
    :data:`INDEX_OPTIONS` (``indicator_weights`` override the framework's weights,
    ``channel_weights`` the equal channel weights). Bad input raises
    :class:`~egoveval.errors.InputError` with every problem. Units with a missing value
    get no score, rank or tier (a warning each).
    """
    opts = resolve_options(options)
    channels, directions, weights_given, params, problems = _framework(framework_like,
                                                                        list(quantified.columns))
    cols = list(channels)
    overrides, found = _weight_overrides(opts["indicator_weights"], cols, "indicator_weights",
                                         "index.weight_unknown_indicator")
    problems += found
    if opts["indicator_weights"] and opts["weights"] != "framework":
        problems.append(_problem("index.weights_conflict", column="indicator_weights",
                                 value=opts["weights"]))
    chan_w, found = _weight_overrides(opts["channel_weights"], list(dict.fromkeys(channels.values())),
                                      "channel_weights", "index.weight_unknown_channel")
    problems += found
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
    if opts["normalize"] == "dist2target":
        problems += _target_problems(data, directions, params)
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
    ind_w = {**weights_given, **overrides}
    if opts["weights"] == "equal":
        ind_w = {c: 1.0 for c in cols}
    elif opts["weights"] == "pca":
        pw = pca_weights(ndata, channels)
        ind_w, loadings = pw.weights, pw.loadings
    try:
        w = make_weights(channels, ind_w, chan_w)
    except ValueError:
        raise InputError([_problem("index.weights_zero", column="weights")]) from None
    spec: UncertaintySpec | None = opts["uncertainty"]
    plan = _planned_uncertainty(spec, w, channels, cols) if spec is not None else None

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
    if spec is not None:
        complete = score.notna()
        if complete.sum() < 3:
            raise InputError([_problem("index.no_complete_units", n=int(complete.sum()))])
        mats = {}
        names = {opts["normalize"]}
        if "normalisation" in spec.assumptions:
            names |= set(spec.normalisers)
        aggs = {opts["aggregate"]}
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
            spec=spec, plan=plan)
        unc_table = res.units
        sens_table = res.sensitivity
        warnings.extend(res.notes)

    return IndexResult(
        normalized=ndata, sub_indices=agg.sub_indices, index=score.rename("score"),
        index_unrounded=exact.rename("score"), ranks=ranks, tiers=tiers, weights=w.table,
        tier_scheme=scheme, outliers=nz.outliers, zeros=agg.zeros, uncertainty=unc_table,
        sensitivity=sens_table, pca_loadings=loadings,
        options=MappingProxyType({k: v for k, v in opts.items()}), warnings=tuple(warnings))
