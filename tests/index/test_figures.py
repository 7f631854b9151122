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
