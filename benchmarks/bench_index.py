"""Benchmark: index Monte Carlo + Sobol for 3,000 synthetic units × 30 indicators, N = 10,000.

Run:  .venv/bin/python benchmarks/bench_index.py [--units 3000] [--indicators 30] [--n 10000]

All four assumptions are uncertain (indicator and channel weights ±25 %, normalisation minmax/rank, aggregation
arithmetic/geometric, drop one indicator), so the Saltelli design has N·(4 + 2) = 60,000 runs
for N = 10,000. Data are synthetic (seeded). Prints machine information and timings.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np
import pandas as pd


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            names = [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            kb = int(f.readline().split()[1])
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs{mem}; "
            f"Python {platform.python_version()}, NumPy {np.__version__}, pandas {pd.__version__}")


def synthetic(units: int, indicators: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    level = rng.normal(size=(units, 1))
    x = level + rng.normal(scale=0.8, size=(units, indicators))
    return pd.DataFrame(x, index=[f"synthetic_{i:05d}" for i in range(units)],
                        columns=[f"ind{j:02d}" for j in range(indicators)])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=3000)
    ap.add_argument("--indicators", type=int, default=30)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--boot", type=int, default=500)
    ap.add_argument("--progress", action="store_true")
    args = ap.parse_args()

    from egoveval.index import build_index

    print(machine())
    q = synthetic(args.units, args.indicators)
    fw = {c: {"channel": f"channel_{j % 5}"} for j, c in enumerate(q.columns)}
    t0 = time.perf_counter()
    build_index(q, fw, {})
    t1 = time.perf_counter()
    res = build_index(q, fw, {"uncertainty": {"n": args.n, "seed": 1, "n_boot": args.boot,
                                              "progress": args.progress}})
    t2 = time.perf_counter()
    runs = args.n * (len(res.sensitivity) + 2)
    print(f"synthetic data: {args.units} units × {args.indicators} indicators in 5 channels")
    print(f"nominal index: {t1 - t0:.2f} s")
    print(f"uncertainty N = {args.n} ({runs} runs, {args.boot} bootstrap resamples): {t2 - t1:.1f} s")
    print(res.sensitivity.round(4).to_string(index=False))


if __name__ == "__main__":
    main()
