"""Helpers for the double-collection tests: synthetic truth, filled templates, C files.

All data here are synthetic (seeded), never real collections.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from egoveval.collect.template import write_template
from egoveval.frameworks import load_framework
from egoveval.units import provinces

FW_ID = "provincial-channels"
UNBUILT = "未建设"


@pytest.fixture(scope="session")
def fw():
    return load_framework(FW_ID)


@pytest.fixture(scope="session")
def units():
    return provinces()


def synthetic_truth(seed: int = 20210301) -> dict[str, dict[str, object]]:
    """One synthetic value per province × indicator (raw form a collector would type)."""
    rng = np.random.default_rng(seed)
    reg = provinces()
    truth: dict[str, dict[str, object]] = {}
    for code in reg.codes:
        items_p, items_l = int(rng.integers(500, 3000)), int(rng.integers(500, 3000))
        stores = int(rng.integers(3, 20))
        row = {
            "nat_personal_items": items_p, "nat_legal_items": items_l,
            "nat_personal_online": int(rng.integers(100, items_p)),
            "nat_legal_online": int(rng.integers(100, items_l)),
            "local_personal_login": int(rng.integers(2, 9)), "local_legal_login": int(rng.integers(2, 9)),
            "android_stores": stores, "android_latest": int(rng.integers(0, stores + 1)),
            "android_rating": round(float(rng.uniform(2, 5)), 2),
            "android_downloads": int(rng.integers(10_000, 10_000_000)),
            "ios_release": datetime(int(rng.integers(2012, 2021)), int(rng.integers(1, 13)), int(rng.integers(1, 29))),
            "ios_updates": int(rng.integers(5, 120)), "ios_rating": round(float(rng.uniform(1.5, 5)), 2),
            "ios_rating_count": int(rng.integers(10, 50_000)),
            "mp_wechat": int(rng.integers(0, 2)), "mp_alipay": int(rng.integers(0, 3)),
        }
        truth[code] = row
    return truth


def _text(cell, value: str) -> None:
    """A text cell as a collector's typed text (a leading = stays text, not a formula)."""
    cell.value = value
    cell.data_type = "s"


def fill_template(template: Path, out: Path, data: dict[str, dict[str, object]], *,
                  drop: tuple[str, ...] = (), duplicate: dict[str, dict[str, object]] | None = None,
                  notes: dict[str, str] | None = None, sources: dict[str, str] | None = None,
                  epoch_1904: bool = False) -> Path:
    """Fill a copy of the template's data sheet like a collector would (synthetic)."""
    wb = openpyxl.load_workbook(template)
    ws = wb["数据 data"]
    headers = [c.value for c in ws[1]]
    col = {}
    for i, h in enumerate(headers, 1):
        if h and "(" in h:
            col[h.split("(")[-1].rstrip(")")] = i
    note_col = headers.index("备注 note") + 1
    source_col = headers.index("来源/网址 source/url") + 1
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for code, values in data.items():
        r = rows[code]
        for ind, value in values.items():
            ws.cell(r, col[ind]).value = value
        if notes and code in notes:
            _text(ws.cell(r, note_col), notes[code])
        if sources and code in sources:
            _text(ws.cell(r, source_col), sources[code])
    for code, values in (duplicate or {}).items():
        r = ws.max_row + 1
        ws.cell(r, 1).value = code
        ws.cell(r, 2).value = ws.cell(rows[code], 2).value
        for ind, value in values.items():
            ws.cell(r, col[ind]).value = value
    for code in sorted(drop, key=lambda c: -rows[c]):
        ws.delete_rows(rows[code])
    if epoch_1904:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904
        wb.epoch = CALENDAR_MAC_1904
    wb.save(out)
    return out


@pytest.fixture(scope="session")
def template_path(tmp_path_factory, fw, units):
    path = tmp_path_factory.mktemp("template") / "template_synthetic.xlsx"
    return write_template(fw, units, path, collector="synthetic collector")


def run_cli(command, args):
    result = CliRunner().invoke(command, [str(a) for a in args], catch_exceptions=False)
    return result


def read_out(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
