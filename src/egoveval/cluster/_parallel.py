"""Process-parallel map for the resampling loops (SciPy's linkage holds the GIL, so threads
do not help). Tasks carry their own random streams, so results do not depend on ``n_jobs``.
The shared data array is handed to forked workers through a module global (no pickling)."""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Sequence

import numpy as np

__all__ = ["pmap", "shared"]

_SHARED: dict[str, np.ndarray] = {}


def shared(name: str) -> np.ndarray:
    return _SHARED[name]


def pmap(func: Callable, tasks: Sequence, n_jobs: int = 1, **arrays: np.ndarray) -> list:
    """``[func(t) for t in tasks]``, in ``n_jobs`` forked processes when ``n_jobs > 1``."""
    _SHARED.clear()
    _SHARED.update(arrays)
    try:
        if n_jobs <= 1 or len(tasks) < 2 or "fork" not in mp.get_all_start_methods():
            return [func(t) for t in tasks]
        chunk = max(1, len(tasks) // (4 * n_jobs))
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=mp.get_context("fork")) as ex:
            return list(ex.map(func, tasks, chunksize=chunk))
    finally:
        _SHARED.clear()
