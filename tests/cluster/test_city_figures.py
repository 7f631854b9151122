"""Cluster figures stay usable for a city survey (337 units × 42 indicators; SYNTHETIC data):
the dendrogram is truncated beyond 80 units, the heat map and profiles are not metres wide."""

from __future__ import annotations

import re
import struct
import warnings

import numpy as np
import pandas as pd
import pytest

from egoveval.cluster import build_tree
from egoveval.cluster.cut import cut
from egoveval.cluster.diagnostic_figures import heatmap_figure, profiles_figure
from egoveval.cluster.figures import MAX_LABELLED_LEAVES, TRUNCATED_LEAVES, dendrogram_figure


def _size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def _synthetic(n: int, p: int = 42, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.normal(size=(n, p)), index=[f"u{i:03d}" for i in range(n)],
                        columns=[f"ind{j:02d}" for j in range(p)])


@pytest.fixture(scope="module")
def city_sized():
    z = _synthetic(337)
    return z, build_tree(z.to_numpy(), list(z.index), method="ward", metric="euclidean")


def test_dendrogram_of_337_units_is_truncated(city_sized):
    z, tree = city_sized
    names = [f"合成{i}" for i in range(len(z))]  # synthetic unit names
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "Glyph missing"
        png, svg = dendrogram_figure(tree, names, 4, lang="both")
    width, height = _size(png)
    assert height < 4_000, f"expected a truncated tree, got {width} × {height} px"
    text = svg.decode("utf-8")
    assert text.count("合成") <= TRUNCATED_LEAVES  # only singleton leaves of the truncated tree
    assert re.search(r"<!-- \(\d+\) -->", text), "leaf counts of the truncated leaves, e.g. (12)"


def test_small_dendrogram_keeps_every_label():
    z = _synthetic(MAX_LABELLED_LEAVES, p=5)
    tree = build_tree(z.to_numpy(), list(z.index), method="ward", metric="euclidean")
    png, svg = dendrogram_figure(tree, list(z.index), 3, lang="en")
    text = svg.decode("utf-8")
    assert all(name in text for name in z.index)
    assert _size(png)[1] > 6_000  # 0.28 in per leaf


def test_heatmap_and_profiles_of_42_indicators_have_a_sensible_width(city_sized):
    z, tree = city_sized
    means = z.groupby(cut(tree, 4)).mean()
    channels = {c: f"ch{int(c[3:]) // 6}" for c in z.columns}
    png, _ = heatmap_figure(means, channels=channels, lang="en")
    assert _size(png)[0] < 6_000, _size(png)
    png, _ = profiles_figure(means, channels=channels, lang="en")
    assert _size(png)[0] < 6_500, _size(png)
