"""Regional differentiation: region schemes, exact tests, inequality, spatial statistics, maps.

Kernels: :mod:`.schemes` (NBS four regions, three belts, custom files), :mod:`.exact`
(Fisher–Freeman–Halton), :mod:`.crosstab`, :mod:`.groups` (Kruskal–Wallis, Dunn, ANOVA),
:mod:`.inequality` (CV, Gini, Theil T/L with decompositions), :mod:`.spatial` (Moran's I,
LISA); the stage: :mod:`.analysis`; figures: :mod:`.figures`, :mod:`.maps`.
Submodules are imported on first use, so ``import egoveval.regional`` stays light.
"""

from importlib import import_module

__all__ = ["regional_analysis", "RegionalOptions", "RegionalAnalysis", "add_to_result",
           "region_scheme", "fisher_exact_rxc", "cramers_v", "crosstab", "kruskal_wallis",
           "dunn_holm", "anova_oneway", "describe_by_group", "theil_t", "theil_l", "cv", "gini",
           "inequality_table", "between_share_test", "adjacency_matrix", "row_standardise",
           "moran", "local_moran"]

_HOME = {
    "regional_analysis": "analysis", "RegionalOptions": "analysis", "RegionalAnalysis": "analysis",
    "add_to_result": "analysis", "region_scheme": "schemes", "fisher_exact_rxc": "exact",
    "cramers_v": "exact", "crosstab": "crosstab", "kruskal_wallis": "groups", "dunn_holm": "groups",
    "anova_oneway": "groups", "describe_by_group": "groups", "theil_t": "inequality",
    "theil_l": "inequality", "cv": "inequality", "gini": "inequality",
    "inequality_table": "inequality", "between_share_test": "inequality",
    "adjacency_matrix": "spatial", "row_standardise": "spatial", "moran": "spatial",
    "local_moran": "spatial",
}


def __getattr__(name):
    if name in _HOME:
        return getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(name)
