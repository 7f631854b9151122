"""A CJK font for Matplotlib that works on a fresh machine.

Matplotlib's default font (DejaVu Sans) has no CJK glyphs. We register Noto Sans SC,
shipped on PyPI by ``pylopdf-fonts-zh-cn`` (SIL Open Font License), and put it
after DejaVu Sans in the sans-serif fallback list, so Latin text keeps its usual
look and Chinese text falls back to Noto. A system "Noto Sans CJK SC" is used
when present. ``axes.unicode_minus`` is switched off because CJK fonts often lack
U+2212.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")  # figures are files; never need a display

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

__all__ = ["cjk_font_family", "figure_style", "render"]

_SYSTEM_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei")


@lru_cache(maxsize=1)
def cjk_font_family() -> str:
    """Register the bundled Noto Sans SC and return the CJK family name to use."""
    available = {f.name for f in font_manager.fontManager.ttflist}
    for family in _SYSTEM_FAMILIES:
        if family in available:
            return family
    import pylopdf_fonts_zh_cn

    path = pylopdf_fonts_zh_cn.sans_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def _families() -> list[str]:
    return ["DejaVu Sans", cjk_font_family()]




@contextmanager
def figure_style():
    """Matplotlib settings for every egoveval figure (fonts, minus sign, SVG text as paths,
    no timestamps or random ids in SVG so re-runs are byte-identical)."""
    rc = {
        "font.family": _families(),
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "egoveval",
        "figure.dpi": 100,
        "savefig.dpi": 300,
    }
    with plt.rc_context(rc):
        yield


def render(fig) -> tuple[bytes, bytes]:
    """PNG (300 dpi) and SVG bytes of a figure, without metadata that changes per run."""
    import io

    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png", dpi=300, bbox_inches="tight", metadata={"Software": None})
    fig.savefig(svg, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return png.getvalue(), svg.getvalue()
