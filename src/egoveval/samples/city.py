"""The synthetic city multi-channel sample study (SYNTHETIC data, seeded).

Units: the 36 key cities and the 301 prefecture-level units of the reference table
(``units/data/city_units.csv``, unit type ``prefecture_level``) that are not key cities —
337 cities. The 2014 survey covered 36 key cities and 302 prefecture-level cities
(including the then-new 三沙) without listing them; the reference table reflects later
changes (e.g. 莱芜 merged into 济南 in 2019), and the 30 county-level units administered
directly by a province are not cities of the survey, so they are left out.

**Calibration.** Seed 003 publishes, for whole-of-government services (整体政府综合服务),
the key-city rates of government Weibo 64 %, WeChat 25 %, micro-portal 72 % and their
"national averages" 44 %, 22 %, 49 %; and, in a separate sentence, prefecture-level
rates of 15 %, 5 %, 16 % "below the key-city averages of 39 %, 12 %, 24 %". As a weighted
mean of 64 % (36 key cities) and 15 % (302 prefecture-level cities) the national Weibo
average would be 20 %, not 44 %, so the figures cannot all be whole-of-government rates.
The second sentence gives a key-city average (39 %) that differs from the key cities'
whole-of-government rate (64 %), so it is about a different quantity; we read it — and
the prefecture-level 15 % / 5 % / 16 % — as the rate *pooled over the six service areas*
(the share of city × area cells provided), and the national average as the
whole-of-government rate over all surveyed cities. Under this reading all twelve
figures are consistent, and the sample reproduces them:

* key cities, whole-of-government: the published rate (64 / 25 / 72 %);
* prefecture-level, whole-of-government: implied by the national average,
  round(N·p_all) − (key-city count), i.e. 125/301 = 41.5 %, 65/301 = 21.6 %, 139/301 = 46.2 %
  (*not published*; a consequence of the reading);
* each group's five sector areas together: round(6·n·p_pooled) − (whole-of-government count),
  spread over the areas in the fixed proportions ``SECTOR_PROFILE`` (*not published*).

The other four channels (online service hall, consultation, e-mail, hotline) have no
published rates; ``ASSUMED_RATES`` sets plausible values following the text (online
consultation the most mature channel; key cities ahead). They are assumptions.

Counts are fixed, not drawn: in each group × cell exactly the calibrated number of cities
provide the channel, so the measured rates equal the published ones up to rounding to
whole cities (e.g. 23/36 = 63.9 % for 64 %). *Which* cities provide it is random (seeded):
weighted sampling without replacement (Efraimidis & Spirakis 2006) with log-weights
``REGION_EFFECT`` (East > Central/Northeast > West, and an extra micro-portal deficit in
the Centre and West, as the text says) + a city-level capacity (shared by all cells of
a city, so channels co-occur) + a city × channel affinity + a bonus for sectors when the
city provides the channel for whole-of-government services.

What the sample can reproduce: the twelve published rates (within rounding, hence
within any confidence interval) and an East-first regional gradient. What it cannot: the
real cities' values, sector-by-sector rates, the four unpublished channels, the true
strength of regional differences or co-occurrence, and sampling variability (the counts
are fixed). Any finding from it reflects how it was generated.

The study file names the survey population as its unit list (``city-multichannel_units.csv``,
written by the same code), so reading and reconciling expect exactly these 337 cities.

Raw cells are written as collectors write them: 是/否 or 已开通/未开通 (one style per city).

Reference: Efraimidis, P. S., & Spirakis, P. G. (2006). Weighted random sampling with a
reservoir. *Information Processing Letters*, 97(5), 181–185.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..units import cities
from ..units.registry import read_reference

__all__ = ["SAMPLE_SEED", "SAMPLE_FILE", "STUDY_FILE", "PUBLISHED", "ASSUMED_RATES", "SECTOR_PROFILE",
           "REGION_EFFECT", "UNITS_FILE", "survey_units", "calibration", "generate_city", "render_city_collection",
           "write_city_sample", "city_study_path", "study_text"]

SAMPLE_SEED = 20141231
SAMPLE_FILE = "city-multichannel_sample_synthetic.csv"
STUDY_FILE = "city-multichannel_sample_synthetic.yaml"
UNITS_FILE = "city-multichannel_units.csv"  # the survey population (real units, not synthetic)
FRAMEWORK = "city-multichannel"
AREAS = ("whole_gov", "housing", "education", "transport", "health", "environment")
SECTORS = AREAS[1:]

# Published (seed 003): whole-of-government key-city and national rates; rates pooled over
# the six areas for prefecture-level and key cities (see the module docstring).
PUBLISHED = {
    ("key", "whole_gov"): {"weibo": 0.64, "wechat": 0.25, "microportal": 0.72},
    ("all", "whole_gov"): {"weibo": 0.44, "wechat": 0.22, "microportal": 0.49},
    ("prefecture", "all"): {"weibo": 0.15, "wechat": 0.05, "microportal": 0.16},
    ("key", "all"): {"weibo": 0.39, "wechat": 0.12, "microportal": 0.24},
}
# ASSUMED (no published figure): (key whole-of-gov, key pooled, prefecture whole-of-gov, prefecture pooled)
ASSUMED_RATES = {
    "service_hall": (0.83, 0.60, 0.55, 0.30),
    "consultation": (0.92, 0.74, 0.75, 0.50),
    "email": (0.75, 0.45, 0.50, 0.27),
    "hotline": (0.86, 0.60, 0.62, 0.35),
}
# relative adoption of the five sector areas (ASSUMED; mean 1)
SECTOR_PROFILE = {"housing": 1.0, "education": 1.05, "transport": 1.15, "health": 1.1, "environment": 0.7}
REGION_EFFECT = {"East": 0.9, "Central": 0.0, "Northeast": 0.0, "West": -0.6}
MICROPORTAL_DEFICIT = {"Central": -0.4, "West": -0.4}
CAPACITY_SD, AFFINITY_SD, WHOLE_GOV_BONUS = 1.0, 0.5, 1.0
_STYLES = (("是", "否"), ("已开通", "未开通"))


def survey_units() -> pd.DataFrame:
    """code, name, group, region of the 337 sample cities (key cities first, table order)."""
    table = cities().table
    kinds = read_reference("city_units.csv").set_index("code")["unit_type"]
    keep = (table["group"] == "key") | ((table["group"] == "prefecture") & (table["code"].map(kinds) == "prefecture_level"))
    sub = table[keep]
    out = pd.concat([sub[sub["group"] == "key"], sub[sub["group"] == "prefecture"]])
    return out[["code", "name", "group", "province", "region4"]].rename(columns={"region4": "region"}).reset_index(drop=True)


def _allocate(total: int, profile: dict[str, float], cap: int) -> dict[str, int]:
    """Split ``total`` over the sectors in proportion to ``profile`` (largest remainder, ≤ cap)."""
    if not 0 <= total <= cap * len(profile):
        raise ValueError("calibration total out of range")
    w = np.array([profile[s] for s in SECTORS], dtype=float)
    share = total * w / w.sum()
    counts = np.minimum(np.floor(share).astype(int), cap)
    order = np.argsort(-(share - np.floor(share)), kind="stable")
    i = 0
    while counts.sum() < total:
        j = order[i % len(order)]
        if counts[j] < cap:
            counts[j] += 1
        i += 1
    return dict(zip(SECTORS, counts.tolist()))


def calibration() -> pd.DataFrame:
    """The number of providing cities per group × channel × area (and where it comes from)."""
    units = survey_units()
    n = {g: int((units["group"] == g).sum()) for g in ("key", "prefecture")}
    total = n["key"] + n["prefecture"]
    rows = []
    channels = ("weibo", "wechat", "microportal", *ASSUMED_RATES)
    for ch in channels:
        if ch in ASSUMED_RATES:
            kw, kp, pw, pp = ASSUMED_RATES[ch]
            wg = {"key": round(n["key"] * kw), "prefecture": round(n["prefecture"] * pw)}
            pooled = {"key": kp, "prefecture": pp}
            basis = "assumed"
        else:
            wg_key = round(n["key"] * PUBLISHED[("key", "whole_gov")][ch])
            wg = {"key": wg_key, "prefecture": round(total * PUBLISHED[("all", "whole_gov")][ch]) - wg_key}
            pooled = {g: PUBLISHED[(g, "all")][ch] for g in ("key", "prefecture")}
            basis = "published"
        for g in ("key", "prefecture"):
            sectors = _allocate(round(6 * n[g] * pooled[g]) - wg[g], SECTOR_PROFILE, n[g])
            for area in AREAS:
                k = wg[g] if area == "whole_gov" else sectors[area]
                rows.append({"group": g, "channel": ch, "area": area, "n": n[g], "provided": k, "basis": basis})
    return pd.DataFrame(rows)


def _choose(rng: np.random.Generator, log_w: np.ndarray, k: int) -> np.ndarray:
    """k indices without replacement, weights exp(log_w) (Efraimidis–Spirakis keys u^(1/w))."""
    u = rng.random(log_w.size)
    keys = np.log(u) * np.exp(-log_w)  # log(u^(1/w)) = log(u)/w: larger is chosen first
    chosen = np.zeros(log_w.size, dtype=bool)
    chosen[np.argsort(-keys, kind="stable")[:k]] = True
    return chosen


def generate_city(seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """Typed values (SYNTHETIC): cities (index: code) × indicator ids (``<channel>__<area>``), 1/0."""
    rng = np.random.default_rng(seed)
    units = survey_units()
    cal = calibration()
    capacity = rng.normal(0.0, CAPACITY_SD, len(units))
    region = units["region"].to_numpy()
    out = pd.DataFrame(0, index=pd.Index(units["code"], name="code"),
                       columns=[f"{c}__{a}" for c in dict.fromkeys(cal["channel"]) for a in AREAS])
    for ch in dict.fromkeys(cal["channel"]):
        affinity = rng.normal(0.0, AFFINITY_SD, len(units))
        base = np.array([REGION_EFFECT.get(r, 0.0) for r in region]) + capacity + affinity
        if ch == "microportal":
            base = base + np.array([MICROPORTAL_DEFICIT.get(r, 0.0) for r in region])
        for g in ("key", "prefecture"):
            idx = np.flatnonzero(units["group"].to_numpy() == g)
            part = cal[(cal["channel"] == ch) & (cal["group"] == g)].set_index("area")["provided"]
            wg = _choose(rng, base[idx], int(part["whole_gov"]))
            out.iloc[idx, out.columns.get_loc(f"{ch}__whole_gov")] = wg.astype(int)
            for area in SECTORS:
                chosen = _choose(rng, base[idx] + WHOLE_GOV_BONUS * wg, int(part[area]))
                out.iloc[idx, out.columns.get_loc(f"{ch}__{area}")] = chosen.astype(int)
    return out


def render_city_collection(values: pd.DataFrame, seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """The raw collection file (SYNTHETIC): 城市 + one column per indicator (Chinese name),
    cells 是/否 or 已开通/未开通 (one style per city), 来源, 备注."""
    from ..frameworks import load_framework

    fw = load_framework(FRAMEWORK)
    rng = np.random.default_rng(seed + 1)
    names = cities().table.set_index("code")["name"]
    rows = []
    for code, row in values.iterrows():
        yes, no = _STYLES[int(rng.integers(0, len(_STYLES)))]
        cells = {"城市": names[code]}
        for ind in fw.indicators:
            cells[ind.name_zh] = yes if int(row[ind.id]) == 1 else no
        cells["来源"] = "synthetic / 合成数据"
        cells["备注"] = ""
        rows.append(cells)
    return pd.DataFrame(rows)


def study_text() -> str:
    """The sample study file (written by :func:`write_city_sample`)."""
    return f"""# The bundled city multi-channel sample study. Its data are SYNTHETIC: generated by
# egoveval.samples.city (seed {SAMPLE_SEED}) with adoption counts calibrated to the rates
# published for the 2014 city survey (seed 003); see that module for the reading of the
# published figures and what the sample can and cannot reproduce.
# Written by code (egoveval.samples.city.write_city_sample); do not edit by hand.
title:
  zh: 城市电子政务多渠道服务提供调查（合成样例数据）
  en: City e-government multi-channel service delivery survey (synthetic sample data)
synthetic: true
framework: {FRAMEWORK}
units: {UNITS_FILE}
data: {SAMPLE_FILE}
output: egoveval-output/city-multichannel-sample-synthetic
report:
  lang: both
"""


def city_study_path() -> Path:
    """The bundled city sample study file (its data file sits beside it)."""
    return Path(str(resources.files(__package__).joinpath("data", STUDY_FILE)))


def write_city_sample(folder: Path, seed: int = SAMPLE_SEED) -> tuple[Path, Path]:
    """Write the SYNTHETIC collection file (UTF-8 with BOM), the unit list of the survey
    population (``UNITS_FILE``: code, name, group, province — real units, a subset of
    ``cities``) and the study file into ``folder``; return (data, study)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data, study = folder / SAMPLE_FILE, folder / STUDY_FILE
    survey_units()[["code", "name", "group", "province"]].to_csv(folder / UNITS_FILE, index=False,
                                                                 encoding="utf-8-sig", lineterminator="\n")
    render_city_collection(generate_city(seed), seed).to_csv(data, index=False, encoding="utf-8-sig",
                                                             lineterminator="\n")
    study.write_text(study_text(), encoding="utf-8", newline="\n")
    return data, study
