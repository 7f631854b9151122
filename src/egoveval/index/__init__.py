"""Composite index: normalise → weight → aggregate (channels, then overall) → rank → tier,
with Monte Carlo uncertainty and Sobol sensitivity (COINr-like, registries by name).

Modules: :mod:`.normalise` (``NORMALISERS``, outlier rule), :mod:`.weights`,
:mod:`.aggregate` (``AGGREGATORS``), :mod:`.rank` (``RANKERS``), :mod:`.tiers`
(``TIER_PRESETS``), :mod:`.uncertainty`, :mod:`.sensitivity`, :mod:`.figures`,
:mod:`.build` (:func:`build_index`, the pipeline step).
"""

from .aggregate import AGGREGATORS, aggregate, aggregate_matrix
from .build import INDEX_OPTIONS, IndexResult, build_index
from .normalise import NORMALISERS, normalise, treat_outliers
from .rank import RANKERS, rank_matrix, rank_scores
from .sensitivity import ISHIGAMI_ANALYTIC, ishigami, sobol_indices
from .tiers import TIER_PRESETS, TierScheme, parse_tiers
from .uncertainty import UncertaintySpec, run_uncertainty
from .weights import make_weights, pca_weights

__all__ = ["AGGREGATORS", "aggregate", "aggregate_matrix", "INDEX_OPTIONS", "IndexResult",
           "build_index", "NORMALISERS", "normalise", "treat_outliers", "RANKERS", "rank_matrix",
           "rank_scores", "ISHIGAMI_ANALYTIC", "ishigami", "sobol_indices", "TIER_PRESETS",
           "TierScheme", "parse_tiers", "UncertaintySpec", "run_uncertainty", "make_weights",
           "pca_weights"]
