"""The adjudication file C: invalid decisions are problems with file/row/column (exit 2);
the filled-in discrepancies.xlsx works as C; comparison rules at the tolerance edges."""

from __future__ import annotations

import copy

import openpyxl
import pandas as pd
import pytest

from egoveval.cli.reconcile import reconcile
from egoveval.collect.compare import within_tolerance
from egoveval.collect.reconcile import reconcile_collections
from egoveval.errors import InputError
from egoveval.frameworks import load_framework

from .conftest import read_out, run_cli, synthetic_truth
from .files import rows_of, write_csv_rows

BJ, TJ, HE, XZ = "110000", "120000", "130000", "540000"


@pytest.fixture()
def files(tmp_path):
    truth = synthetic_truth(3)
    b = copy.deepcopy(truth)
    b[BJ]["ios_rating"] = 1.0 if truth[BJ]["ios_rating"] > 2 else 4.5
    b[TJ]["mp_alipay"] = (truth[TJ]["mp_alipay"] + 1) % 3
    del b[XZ]
    a_path = write_csv_rows(tmp_path / "A_synthetic.csv", rows_of(truth))
    b_path = write_csv_rows(tmp_path / "B_synthetic.csv", rows_of(b))
    first = reconcile_collections(a_path, b_path)
    return truth, a_path, b_path, first.discrepancies


def _write_c(tmp_path, disc, edits):
    c = disc.copy()
    c["decision"] = "A"
    for (code, ind), values in edits.items():
        mask = (c.unit_code == code) & (c.indicator == ind)
        for col, value in values.items():
            c.loc[mask, col] = value
    path = tmp_path / "C_synthetic.csv"
    c.to_csv(path, index=False, encoding="utf-8-sig")
    return path, c


def _row_of(c, code, ind):
    return int(c.index[(c.unit_code == code) & (c.indicator == ind)][0]) + 2  # header is row 1


def test_all_a_decisions_verify(files, tmp_path):
    truth, a_path, b_path, disc = files
    c_path, _ = _write_c(tmp_path, disc, {})
    result = reconcile_collections(a_path, b_path, c_path)
    assert result.complete and result.open_items == 0
    assert len(result.audit) == len(disc) == 2 + 16


def test_invalid_decisions_are_problems_with_row_and_column(files, tmp_path):
    truth, a_path, b_path, disc = files
    extra = disc.iloc[[0]].copy()
    extra["indicator"] = "nat_legal_items"  # Beijing/nat_legal_items agreed: not in the list
    disc = pd.concat([disc, extra], ignore_index=True)
    c_path, c = _write_c(tmp_path, disc, {
        (BJ, "ios_rating"): {"decision": "maybe"},
        (TJ, "mp_alipay"): {"decision": "value", "value": "七成开通"},
        (XZ, "ios_rating"): {"decision": "B"},  # B has no Tibet
        (XZ, "ios_updates"): {"decision": "value", "value": "3.5"},  # a count must be whole
        (XZ, "ios_release"): {"decision": "value", "value": ""},
        (XZ, "mp_wechat"): {"decision": "A", "value": "否" if truth[XZ]["mp_wechat"] else "是"},
    })
    with pytest.raises(InputError) as info:
        reconcile_collections(a_path, b_path, c_path)
    got = {(p.rule, p.row, p.column) for p in info.value.errors}
    expected = {
        ("adj.bad_decision", _row_of(c, BJ, "ios_rating"), "decision"),
        ("cell.not_level", _row_of(c, TJ, "mp_alipay"), "value"),
        ("adj.side_absent", _row_of(c, XZ, "ios_rating"), "decision"),
        ("cell.not_integer", _row_of(c, XZ, "ios_updates"), "value"),
        ("adj.value_required", _row_of(c, XZ, "ios_release"), "value"),
        ("adj.value_conflicts", _row_of(c, XZ, "mp_wechat"), "value"),
        ("adj.not_in_list", len(c) + 1, "unit_code"),
    }
    assert got == expected, f"missing {expected - got}, unexpected {got - expected}"
    assert all(p.file.endswith("C_synthetic.csv") for p in info.value.errors)
    result = run_cli(reconcile, [a_path, b_path, "--adjudication", c_path, "--out", tmp_path / "out"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_list_made_from_older_files_is_refused(files, tmp_path):
    truth, a_path, b_path, disc = files
    c_path, c = _write_c(tmp_path, disc, {(BJ, "ios_rating"): {"value_A": "0.5"}})
    with pytest.raises(InputError) as info:
        reconcile_collections(a_path, b_path, c_path)
    assert [(p.rule, p.row, p.column) for p in info.value.errors] == \
        [("adj.stale", _row_of(c, BJ, "ios_rating"), "value_A")]


def test_filled_discrepancies_xlsx_is_a_valid_adjudication_file(files, tmp_path):
    truth, a_path, b_path, disc = files
    out = tmp_path / "first"
    assert run_cli(reconcile, [a_path, b_path, "--out", out]).exit_code == 3
    wb = openpyxl.load_workbook(out / "discrepancies.xlsx")
    ws = wb.worksheets[0]
    keys = [c.value.split("\n")[-1] for c in ws[1]]
    assert any(dv.type == "list" for dv in ws.data_validations.dataValidation)
    for r in range(2, ws.max_row + 1):
        key = (ws.cell(r, keys.index("unit_code") + 1).value, ws.cell(r, keys.index("indicator") + 1).value)
        recollect = key == (BJ, "ios_rating")
        ws.cell(r, keys.index("decision") + 1).value = "value" if recollect else "a"
        ws.cell(r, keys.index("value") + 1).value = 3.3 if recollect else None
        ws.cell(r, keys.index("checked_by") + 1).value = "synthetic checker"
    c_path = tmp_path / "C_filled_synthetic.xlsx"
    wb.save(c_path)
    final = tmp_path / "final"
    result = run_cli(reconcile, [a_path, b_path, "--adjudication", c_path, "--out", final])
    assert result.exit_code == 0, result.output
    verified = read_out(final / "verified.csv").set_index(["unit_code", "indicator"])
    assert verified.loc[(BJ, "ios_rating"), "value"] == "3.3"
    assert verified.loc[(BJ, "ios_rating"), "from"] == "third_check"
    assert verified.loc[(XZ, "ios_rating"), "from"] == "A"


def test_tolerance_edges():
    fw = load_framework("provincial-channels")
    rating, downloads, count = (fw.indicator(i) for i in ("ios_rating", "android_downloads", "ios_updates"))
    assert within_tolerance(4.10, 4.15, rating) and within_tolerance(4.15, 4.10, rating)
    assert not within_tolerance(4.10, 4.1501, rating)
    assert within_tolerance(1_000_000, 1_010_000, downloads)  # 10,000 ≤ 1% of 1,010,000
    assert not within_tolerance(1_000_000, 1_010_300, downloads)  # 10,300 > 10,103
    assert within_tolerance(7, 7, count) and not within_tolerance(7, 8, count)  # default: exact
