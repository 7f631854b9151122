"""The synthetic provincial sample study (SYNTHETIC data, seeded).

Values for the 32 provincial units are drawn around cluster profiles that mirror what
the source study reports (上官莉娜等, data of Feb–Mar 2021):

* its four clusters — 1: 辽宁 贵州 广西 海南 北京 河北 湖北 天津 吉林 内蒙古 山西 江苏 重庆 宁夏;
  2: 四川 黑龙江 甘肃 河南 青海 江西; 3: 浙江 山东 广东 上海 福建 安徽;
  4: 云南 陕西 西藏 湖南 新疆 新疆生产建设兵团;
* Tibet lists 4,000+ personal and legal-person items on the national platform;
* store ratings below 3 in every cluster (order 3 > 1 > 2 > 4);
* cluster 3's mean Android downloads about 12,453.72;
* cluster 2 has every Android store on the latest version, and no WeChat mini program;
* every Alipay mini program is live in cluster 3;
* rating counts ordered 3 > 2 > 1 > 4; iOS release age and updates higher in 1 and 3.

The XPCC has built no app and Tibet no iOS app (those channels are *unbuilt*).
Because the profiles are built in, the clusters a run finds reflect how the data were
generated, not a finding about China's provinces.
"""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..units import provinces

__all__ = ["SAMPLE_SEED", "STUDY_CLUSTERS", "COLLECTION_DATE", "generate_provincial", "render_collection",
           "write_provincial_sample", "sample_study_path", "build_sample", "SAMPLE_FILE", "STUDY_FILE"]

SAMPLE_SEED = 20210315
COLLECTION_DATE = date(2021, 3, 15)
SAMPLE_FILE = "provincial-channels_sample_synthetic.csv"
STUDY_FILE = "provincial-channels_sample_synthetic.yaml"

STUDY_CLUSTERS: dict[int, tuple[str, ...]] = {
    1: ("辽宁", "贵州", "广西", "海南", "北京", "河北", "湖北", "天津", "吉林", "内蒙古", "山西", "江苏", "重庆", "宁夏"),
    2: ("四川", "黑龙江", "甘肃", "河南", "青海", "江西"),
    3: ("浙江", "山东", "广东", "上海", "福建", "安徽"),
    4: ("云南", "陕西", "西藏", "湖南", "新疆", "新疆生产建设兵团"),
}

# (mean per cluster 1..4, spread) in the indicator's own units
_PROFILES: dict[str, tuple[tuple[float, float, float, float], float]] = {
    "nat_personal_items": ((1500, 1480, 1900, 1250), 60),
    "nat_legal_items": ((1300, 1280, 1700, 1050), 60),
    "nat_personal_online": ((1150, 800, 1600, 550), 50),
    "nat_legal_online": ((1000, 700, 1400, 450), 50),
    "local_personal_login": ((4, 7, 5, 3), 0.3),
    "local_legal_login": ((3, 3, 5, 2), 0.3),
    "android_stores": ((9, 6, 10, 4), 0.4),
    "android_latest": ((7, 6, 8, 3), 0.4),
    "android_rating": ((2.6, 2.4, 2.85, 2.1), 0.06),
    "android_downloads": ((8000, 5000, 12453.72, 2000), 600),
    "ios_release": ((60, 30, 66, 20), 3),  # months before the collection date
    "ios_updates": ((40, 20, 55, 12), 3),
    "ios_rating": ((2.7, 2.5, 2.9, 2.2), 0.06),
    "ios_rating_count": ((900, 1500, 3000, 300), 80),
}
_TIBET_ITEMS = {"nat_personal_items": 4312, "nat_legal_items": 4087}
_UNBUILT = {"新疆生产建设兵团": ("android_app", "ios_app"), "西藏": ("ios_app",)}
_APP_CHANNELS = {"android_app": ("android_stores", "android_latest", "android_rating", "android_downloads"),
                 "ios_app": ("ios_release", "ios_updates", "ios_rating", "ios_rating_count")}
# mini programs per cluster: WeChat opened (1/0) and Alipay level (0 none, 1 some, 2 all)
_WECHAT = {1: 1, 2: 0, 3: 1, 4: 0}
_ALIPAY = {1: 1, 2: 1, 3: 2, 4: 0}


def _integer_with_mean(rng: np.random.Generator, n: int, mean: float, spread: float) -> np.ndarray:
    """n whole numbers around ``mean`` whose sum is round(n·mean) (so the cluster mean is ``mean``
    to within 1/n)."""
    draws = np.round(mean + rng.normal(0, spread, n))
    draws[-1] += round(n * mean) - draws.sum()
    return draws


def generate_provincial(seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """Typed values (SYNTHETIC): one row per unit (index: code), one column per indicator,
    plus ``study_cluster``. Unbuilt channels hold None."""
    rng = np.random.default_rng(seed)
    reg = provinces()
    rows: dict[str, dict] = {}
    for cluster, names in STUDY_CLUSTERS.items():
        codes = [reg.match(n) for n in names]
        n = len(codes)
        columns: dict[str, np.ndarray] = {}
        for ind, (means, spread) in _PROFILES.items():
            mean = means[cluster - 1]
            if ind in ("android_rating", "ios_rating"):
                columns[ind] = np.round(np.clip(mean + rng.normal(0, spread, n), 0, 2.99), 1)
            else:
                columns[ind] = _integer_with_mean(rng, n, mean, spread)
        if cluster == 2:  # all stores carry the latest version
            columns["android_latest"] = columns["android_stores"].copy()
        else:
            columns["android_latest"] = np.minimum(columns["android_latest"], columns["android_stores"])
        for i, code in enumerate(codes):
            row = {ind: columns[ind][i] for ind in _PROFILES}
            row["mp_wechat"] = _WECHAT[cluster] if not (cluster == 4 and i % 3 == 0) else 1
            row["mp_alipay"] = _ALIPAY[cluster]
            row["study_cluster"] = cluster
            rows[code] = row
    tibet = reg.match("西藏")
    rows[tibet].update(_TIBET_ITEMS)
    for name, channels in _UNBUILT.items():
        code = reg.match(name)
        for channel in channels:
            for ind in _APP_CHANNELS[channel]:
                rows[code][ind] = None
    frame = pd.DataFrame.from_dict(rows, orient="index").reindex(reg.codes)
    frame.index.name = "code"
    return frame


def _release_date(months: float, rng: np.random.Generator) -> date:
    year, month = COLLECTION_DATE.year, COLLECTION_DATE.month - int(months)
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1) + timedelta(days=int(rng.integers(0, 14)))


def render_collection(values: pd.DataFrame, seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """The raw collection file a team would type (SYNTHETIC): Chinese headers, cells such as
    "1,523", "2.6分", "是"/"否", "全部开通", "2016年3月5日", "未建设"."""
    from ..frameworks import load_framework

    fw = load_framework("provincial-channels")
    rng = np.random.default_rng(seed + 1)
    reg = provinces()
    alipay = {lv.value: lv.zh for lv in fw.indicator("mp_alipay").levels}
    out = []
    for code, row in values.iterrows():
        cells = {"地区": reg.row(code)["name"]}
        for ind in fw.indicators:
            v = row[ind.id]
            if v is None or (isinstance(v, float) and np.isnan(v)):
                cells[ind.name_zh] = "未建设"
            elif ind.kind == "date":
                d = _release_date(v, rng)
                cells[ind.name_zh] = f"{d.year}年{d.month}月{d.day}日" if rng.random() < 0.5 else d.isoformat()
            elif ind.kind == "rating":
                cells[ind.name_zh] = f"{v:.1f}分"
            elif ind.kind == "binary":
                cells[ind.name_zh] = "是" if v == 1 else "否"
            elif ind.kind == "ordinal":
                cells[ind.name_zh] = alipay[int(v)]
            elif v >= 1000:
                cells[ind.name_zh] = f"{int(v):,}"
            else:
                cells[ind.name_zh] = str(int(v))
        cells["来源"] = "synthetic / 合成数据"
        cells["备注"] = ""
        out.append(cells)
    return pd.DataFrame(out)


def sample_study_path() -> Path:
    """The bundled sample study file (its data file sits beside it)."""
    return Path(str(resources.files(__package__).joinpath("data", STUDY_FILE)))


def write_provincial_sample(folder: Path, seed: int = SAMPLE_SEED) -> Path:
    """Write the SYNTHETIC collection file into ``folder`` (UTF-8 with BOM) and return its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SAMPLE_FILE
    render_collection(generate_provincial(seed), seed).to_csv(path, index=False, encoding="utf-8-sig",
                                                              lineterminator="\n")
    return path


def build_sample(up_to: str = "result"):
    """The bundled sample study run up to a stage: ``observations``, ``quantified`` or ``result``."""
    from ..study import load_study, run, run_until

    study = load_study(sample_study_path())
    if up_to == "result":
        return run(study)
    return run_until(study, up_to)
