"""Benchmark of the full cluster diagnostics (issue 4): k = 2–10, B = 200 bootstrap
resamples (the null: 15 column-permuted data sets × (1 + 14) trees), 100 unit-order
permutations, gap with 100 reference sets,
figures included, on synthetic data (n = 32 × 14 and n = 3,000 × 20). Each line gives the
1-minute load average before the run (the machine is shared) and the resampling engine.

Run:  .venv/bin/python benchmarks/bench_cluster.py [--jobs 1 2] [--repeat 3] [--sizes 32x14 3000x20]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np
import pandas as pd

from egoveval.cluster import build_tree
from egoveval.cluster.diagnose import diagnose
from egoveval.standardize import standardize


def synthetic(n: int, p: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=2.0, size=(4, p))
    X = centres[rng.integers(0, 4, n)] + rng.normal(size=(n, p))
    return pd.DataFrame(X, columns=[f"x{j}" for j in range(p)], index=[f"synthetic{i}" for i in range(n)])


def run(n: int, p: int, jobs: int) -> dict:
    q = synthetic(n, p)
    t0 = time.perf_counter()
    z = standardize(q, "z").data
    tree = build_tree(z.to_numpy(), list(q.index))
    d = diagnose(z, q, tree, 4, k_range=(2, 10), bootstrap=200, permutations=100, gap_b=100, seed=1,
                 n_jobs=jobs)
    total = time.perf_counter() - t0
    return {"n": n, "p": p, "jobs": jobs, "seconds": round(total, 1), "suggested_k": d.suggested_k,
            "engine": d.settings["resample_engine"]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--sizes", nargs="+", default=["32x14", "3000x20"])
    args = ap.parse_args()
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    for size in args.sizes:
        n, p = (int(x) for x in size.split("x"))
        for _ in range(args.repeat):
            for jobs in args.jobs:
                load = os.getloadavg()[0]
                print({**run(n, p, jobs), "load_before": round(load, 2)}, flush=True)


if __name__ == "__main__":
    main()
