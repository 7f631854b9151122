"""Reference Theil T decompositions from PySAL's ``inequality.theil.TheilD``.

Not part of the test suite and not a dependency: run it in a throwaway environment,
from the repository root::

    python -m venv /tmp/pysal_venv && /tmp/pysal_venv/bin/pip install inequality
    /tmp/pysal_venv/bin/python tests/r/regional_theil_pysal.py

Writes ``tests/fixtures/r/regional/theil_pysal.csv`` (case, T, bg, wg) for the synthetic
province input (32 units with XPCC, NBS four regions and the three belts) and the
Kruskal–Wallis input (32 units, four regions).
"""

from pathlib import Path

FX = Path("tests/fixtures/r/regional")


def main() -> None:
    from importlib.metadata import version

    import numpy as np
    import pandas as pd
    from inequality.theil import TheilD  # only in the throwaway environment

    prov = pd.read_csv(FX / "provinces_synthetic_input.csv", dtype={"code": str})
    regions = pd.read_csv("src/egoveval/units/data/province_regions.csv", dtype={"code": str})
    prov = prov.merge(regions[["code", "region3_post2000"]], on="code")
    kw = pd.read_csv(FX / "kruskal_input.csv")
    cases = {
        "provinces_nbs4": (prov["value_synthetic"], prov["region4"]),
        "provinces_belt3": (prov["value_synthetic"], prov["region3_post2000"]),
        "kruskal_input_nbs4": (kw["value"], kw["region"]),
    }
    rows = []
    for case, (y, g) in cases.items():
        part = pd.factorize(g)[0]
        t = TheilD(np.asarray(y, dtype=float), part)
        rows.append({"case": case, "T": repr(float(np.squeeze(t.T))),
                     "bg": repr(float(np.squeeze(t.bg))), "wg": repr(float(np.squeeze(t.wg)))})
    out = pd.DataFrame(rows)
    out.to_csv(FX / "theil_pysal.csv", index=False)
    print(out.to_string(index=False))
    print("inequality", version("inequality"))


if __name__ == "__main__":
    main()
