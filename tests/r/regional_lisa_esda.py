"""Reference local Moran pseudo p-values from PySAL's ``esda.Moran_Local``.

Not part of the test suite and not a dependency: run it in a throwaway environment, from the
repository root::

    python -m venv /tmp/esda_venv && /tmp/esda_venv/bin/pip install esda libpysal
    /tmp/esda_venv/bin/python tests/r/regional_lisa_esda.py

The synthetic province input without XPCC and with the Hainan–Guangdong ``sea_convention``
link (no unit without neighbours), row-standardised binary contiguity from the bundled
``province_adjacency.csv``; ``Moran_Local(permutations=99999, seed=20210301)`` with esda's
default conditional-randomisation alternative "directed" (the p-value folded to the tail of
the observed I_i: (1 + min(L, P − L)) / (P + 1), L = #{I_sim ≥ I_i}). Writes ``tests/fixtures/r/regional/lisa_esda.csv`` (code, Ii, p_sim, permutations).
The tests compare egoveval's own permutation p-values with these within Monte Carlo error.
"""

from pathlib import Path

FX = Path("tests/fixtures/r/regional")
PERMUTATIONS = 99_999


def main() -> None:
    from importlib.metadata import version

    import numpy as np
    import pandas as pd
    from esda.moran import Moran_Local  # only in the throwaway environment
    from libpysal.weights import W

    d = pd.read_csv(FX / "provinces_synthetic_input.csv", dtype={"code": str})
    d = d[d["code"] != "660000"].reset_index(drop=True)
    adj = pd.read_csv("src/egoveval/units/data/province_adjacency.csv", dtype={"code_a": str, "code_b": str})
    codes = list(d["code"])
    neighbours = {c: [] for c in codes}
    for a, b in zip(adj["code_a"], adj["code_b"]):
        if a in neighbours and b in neighbours:
            neighbours[a].append(b)
            neighbours[b].append(a)
    w = W({c: sorted(v) for c, v in neighbours.items()}, id_order=codes)
    w.transform = "r"
    lm = Moran_Local(d["value_synthetic"].to_numpy(float), w, permutations=PERMUTATIONS,
                     seed=20210301)  # esda 2.9: conditional randomisation "directed" by default
    out = pd.DataFrame({"code": codes, "Ii": [f"{v:.17g}" for v in lm.Is],
                        "p_sim": [f"{v:.17g}" for v in lm.p_sim], "permutations": PERMUTATIONS})
    out.to_csv(FX / "lisa_esda.csv", index=False)
    print(out)
    print("esda", version("esda"), "libpysal", version("libpysal"), "numpy", np.__version__)


if __name__ == "__main__":
    main()
