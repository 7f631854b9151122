"""Reference Dunn's tests with Holm adjustment from scikit-posthocs (``posthoc_dunn``).

R's ``dunn.test`` and ``FSA`` are not packaged in Debian, so the established implementation
used is scikit-posthocs. Not part of the test suite and not a dependency: run it in a
throwaway environment, from the repository root::

    python -m venv /tmp/posthocs_venv && /tmp/posthocs_venv/bin/pip install scikit-posthocs
    /tmp/posthocs_venv/bin/python tests/r/regional_dunn_posthocs.py

Reads ``tests/fixtures/r/regional/kruskal_input.csv`` (written by ``regional_kruskal.R``) and
writes ``tests/fixtures/r/regional/dunn.csv`` (region_a, region_b, p, p_holm): the
tie-corrected two-sided p-values and their Holm adjustment over the six pairs.
"""

from itertools import combinations
from pathlib import Path

FX = Path("tests/fixtures/r/regional")
ORDER = ["East", "Central", "West", "Northeast"]


def main() -> None:
    from importlib.metadata import version

    import pandas as pd
    import scikit_posthocs as sp  # only in the throwaway environment

    d = pd.read_csv(FX / "kruskal_input.csv")
    raw = sp.posthoc_dunn(d, val_col="value", group_col="region", p_adjust=None)
    holm = sp.posthoc_dunn(d, val_col="value", group_col="region", p_adjust="holm")
    rows = [{"region_a": a, "region_b": b, "p": f"{raw.loc[a, b]:.17g}", "p_holm": f"{holm.loc[a, b]:.17g}"}
            for a, b in combinations(ORDER, 2)]
    pd.DataFrame(rows).to_csv(FX / "dunn.csv", index=False)
    print(pd.DataFrame(rows))
    print("scikit-posthocs", version("scikit-posthocs"))


if __name__ == "__main__":
    main()
