"""The synthetic city multi-channel sample study (SYNTHETIC data, seeded).

Units: the framework's survey population ``cities:key,prefecture`` — the 36 key cities and
the 301 other prefecture-level units (地级市, 自治州, 地区, 盟) of the reference table
(``units/data/city_units.csv``): 337 cities. The 2014 survey covered 36 key cities and 302
prefecture-level cities (including the then-new 三沙) without listing them; the reference
table reflects later changes (e.g. 莱芜 merged into 济南 in 2019, so 36 + 301 = 337 rather
than 338), and the 30 county-level units administered directly by a province (e.g. 石河子,
group ``county_level``) are not prefecture-level cities, so they are left out.

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
figures are consistent, and the sample's adoption *probabilities* are set to them:

* key cities, whole-of-government: the published rate (64 / 25 / 72 %);
* prefecture-level, whole-of-government: implied by the national average,
  (N·p_all − n_key·p_key) / n_pref, e.g. (337·0.44 − 36·0.64)/301 = 41.6 % for Weibo
  (*not published*; a consequence of the reading);
* each group's five sector areas: (6·p_pooled − p_whole_gov)/5 on average, spread over
  the areas in the fixed proportions ``SECTOR_PROFILE`` (*not published*).

The other four channels (online service hall, consultation, e-mail, hotline) have no
published rates; ``ASSUMED_RATES`` sets plausible values following the text (online
consultation the most mature channel; key cities ahead). They are assumptions.

**Drawing.** Each city × channel × area is a Bernoulli draw (seeded) with probability
``expit(α + η_i)``. The city's linear predictor η_i is the region effect
``REGION_EFFECT`` (East > Central/Northeast > West, and an extra micro-portal deficit in
the Centre and West, as the text says) + a city-level capacity (shared by all cells of a
city, so channels co-occur) + a city × channel affinity, plus, for the sector areas, a bonus
when the city provides the channel for whole-of-government services. The intercept α of
each group × channel × area is solved (Brent's method) so that the group's mean
probability equals the calibrated rate: mean_i expit(α + η_i) = p. The expected rates are
the published ones; the measured rates differ from them by sampling error (binomial for a
single cell; larger than binomial for rates pooled over areas, whose cells are correlated
within a city). On the bundled sample (seed ``SAMPLE_SEED``) every one of the twelve
published figures lies inside the 95 % Wilson interval of its measured rate, and no exact
binomial test rejects it at the 5 % level (``tests/coverage/test_sample.py`` checks 99 % / 1 %).

What the sample can reproduce: the twelve published rates (within sampling error) and an
East-first regional gradient. What it cannot: the real cities' values, sector-by-sector
rates, the four unpublished channels, the true strength of regional differences or
co-occurrence. Any finding from it reflects how it was generated.

The study file names the survey population as its unit list (``city-multichannel_units.csv``,
written by the same code), so reading and reconciling expect exactly these 337 cities.

Raw cells are written as collectors write them: 是/否 or 已开通/未开通 (one style per city).

Reference: Brent, R. P. (1973). *Algorithms for Minimization without Derivatives*, ch. 4
(scipy.optimize.brentq).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from scipy.optimize import brentq
from scipy.special import expit

from ..frameworks import load_framework
from ..units import cities, load_units
from ..units.registry import population_groups

__all__ = ["SAMPLE_SEED", "SAMPLE_FILE", "STUDY_FILE", "PUBLISHED", "ASSUMED_RATES", "SECTOR_PROFILE",
           "REGION_EFFECT", "UNITS_FILE", "POPULATION", "survey_units", "calibration", "generate_city", "render_city_collection",
           "write_city_sample", "city_study_path", "study_text"]

SAMPLE_SEED = 20141231
SAMPLE_FILE = "city-multichannel_sample_synthetic.csv"
STUDY_FILE = "city-multichannel_sample_synthetic.yaml"
UNITS_FILE = "city-multichannel_units.csv"  # the survey population (real units, not synthetic)
FRAMEWORK = "city-multichannel"
POPULATION = load_framework(FRAMEWORK).units  # the framework's units: 36 key + 301 prefecture-level cities
GROUPS = population_groups(POPULATION)  # ("key", "prefecture")
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
    """code, name, group, province, region of the 337 sample cities (key cities first, table order)."""
    table = load_units(POPULATION).table
    out = pd.concat([table[table["group"] == "key"], table[table["group"] == "prefecture"]])
    return out[["code", "name", "group", "province", "region4"]].rename(columns={"region4": "region"}).reset_index(drop=True)


def calibration() -> pd.DataFrame:
    """The adoption probability of each group × channel × area (``rate``) and its ``basis``
    (``published``: derived from the twelve published figures; ``assumed``)."""
    units = survey_units()
    n = {g: int((units["group"] == g).sum()) for g in GROUPS}
    total = n["key"] + n["prefecture"]
    weights = np.array([SECTOR_PROFILE[a] for a in SECTORS], dtype=float)
    weights = weights / weights.mean()
    rows = []
    for ch in ("weibo", "wechat", "microportal", *ASSUMED_RATES):
        if ch in ASSUMED_RATES:
            kw, kp, pw, pp = ASSUMED_RATES[ch]
            wg, pooled, basis = {"key": kw, "prefecture": pw}, {"key": kp, "prefecture": pp}, "assumed"
        else:
            p_key = PUBLISHED[("key", "whole_gov")][ch]
            p_pref = (total * PUBLISHED[("all", "whole_gov")][ch] - n["key"] * p_key) / n["prefecture"]
            wg = {"key": p_key, "prefecture": p_pref}
            pooled = {g: PUBLISHED[(g, "all")][ch] for g in GROUPS}
            basis = "published"
        for g in GROUPS:
            sector_mean = (len(AREAS) * pooled[g] - wg[g]) / len(SECTORS)
            rates = dict(zip(SECTORS, sector_mean * weights))
            if not 0 < wg[g] < 1 or not all(0 < r < 1 for r in rates.values()):
                raise ValueError(f"calibration out of range for {g} × {ch}")
            for area in AREAS:
                rows.append({"group": g, "channel": ch, "area": area, "n": n[g],
                             "rate": wg[g] if area == "whole_gov" else float(rates[area]), "basis": basis})
    return pd.DataFrame(rows)


def _intercept(eta: np.ndarray, rate: float) -> float:
    """α with mean(expit(α + η)) = rate (Brent's root finder; the mean is increasing in α)."""
    return float(brentq(lambda a: float(expit(a + eta).mean()) - rate, -50.0, 50.0, xtol=1e-12))


def _draw(rng: np.random.Generator, eta: np.ndarray, rate: float) -> np.ndarray:
    """Bernoulli draws (0/1) with probabilities expit(α + η) calibrated to ``rate``."""
    return (rng.random(eta.size) < expit(_intercept(eta, rate) + eta)).astype(int)


def generate_city(seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """Typed values (SYNTHETIC): cities (index: code) × indicator ids (``<channel>__<area>``), 1/0,
    each cell a seeded Bernoulli draw with the calibrated probability (module docstring)."""
    rng = np.random.default_rng(seed)
    units = survey_units()
    cal = calibration().set_index(["group", "channel", "area"])["rate"]
    capacity = rng.normal(0.0, CAPACITY_SD, len(units))
    region = units["region"].to_numpy()
    group = units["group"].to_numpy()
    channels = list(dict.fromkeys(cal.index.get_level_values("channel")))
    out = pd.DataFrame(0, index=pd.Index(units["code"], name="code"),
                       columns=[f"{c}__{a}" for c in channels for a in AREAS])
    for ch in channels:
        affinity = rng.normal(0.0, AFFINITY_SD, len(units))
        base = np.array([REGION_EFFECT.get(r, 0.0) for r in region]) + capacity + affinity
        if ch == "microportal":
            base = base + np.array([MICROPORTAL_DEFICIT.get(r, 0.0) for r in region])
        for g in GROUPS:
            idx = np.flatnonzero(group == g)
            wg = _draw(rng, base[idx], float(cal[(g, ch, "whole_gov")]))
            out.iloc[idx, out.columns.get_loc(f"{ch}__whole_gov")] = wg
            for area in SECTORS:
                drawn = _draw(rng, base[idx] + WHOLE_GOV_BONUS * wg, float(cal[(g, ch, area)]))
                out.iloc[idx, out.columns.get_loc(f"{ch}__{area}")] = drawn
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
# egoveval.samples.city (seed {SAMPLE_SEED}) with adoption probabilities calibrated to the rates
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
