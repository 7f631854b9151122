"""Figures render (PNG + SVG) with Chinese labels and no Matplotlib warnings."""

import warnings

import numpy as np
import pandas as pd

from egoveval.index import build_index
from egoveval.index.figures import ranked_bar, subindex_heatmap


def _result(with_uncertainty):
    q = pd.DataFrame({"门户网站": [0.9, 0.5, 0.2, 0.7, 0.4], "移动端": [0.8, 0.6, 0.1, 0.3, 0.5],
                      "热线": [0.2, 0.9, 0.4, 0.6, 0.1]},
                     index=["北京（synthetic）", "上海", "西藏", "广东", "甘肃"])
    fw = {"门户网站": {"channel": "网上"}, "移动端": {"channel": "掌上"}, "热线": {"channel": "热线"}}
    opts = {"tiers": "cn"}
    if with_uncertainty:
        opts["uncertainty"] = {"n": 64, "seed": 1, "n_boot": 0}
    return build_index(q, fw, opts)


def test_ranked_bar_and_heatmap_render_without_warnings():
    for unc in (False, True):
        res = _result(unc)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            png, svg = ranked_bar(res)
            png2, svg2 = subindex_heatmap(res)
        for p, s in ((png, svg), (png2, svg2)):
            assert p[:8] == b"\x89PNG\r\n\x1a\n" and b"<svg" in s


def test_figures_are_byte_identical_on_rerun():
    res = _result(True)
    assert ranked_bar(res) == ranked_bar(res)


def _large(n=200, seed=3):
    rng = np.random.default_rng(seed)
    q = pd.DataFrame(rng.uniform(size=(n, 3)), columns=["a", "b", "c"],
                     index=[f"synthetic city {i}" for i in range(n)])
    fw = {"a": {"channel": "x"}, "b": {"channel": "x"}, "c": {"channel": "y"}}
    return build_index(q, fw, {"tiers": "un"})


def _png_size(png: bytes) -> tuple[int, int]:
    import struct

    return struct.unpack(">II", png[16:24])


def test_many_units_show_the_best_and_worst_only():
    """200 synthetic units: the figures show 30 + 30 rows (not 200), say so in the title, and
    keep the best and the worst units; 40 units are drawn whole."""
    from egoveval.index.figures import MAX_UNITS

    big, small = _large(200), _large(40)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        big_bar, big_svg = ranked_bar(big, lang="en")
        small_bar, _ = ranked_bar(small, lang="en")
        heat_png, heat_svg = subindex_heatmap(big, lang="en")
    ranked = big.index.sort_values(ascending=False, kind="stable")
    best, worst, middle = ranked.index[0], ranked.index[-1], ranked.index[100]
    for svg in (big_svg.decode(), heat_svg.decode()):
        assert f"top and bottom {MAX_UNITS // 2} of 200 units" in svg
        assert best in svg and worst in svg and middle not in svg
    w, h = _png_size(big_bar)
    _, h_small = _png_size(small_bar)
    assert h < 2 * h_small, f"expected the 200-unit chart about as tall as a 60-unit one, got {h} vs {h_small}"
    assert _png_size(heat_png)[1] < 6000
