"""Reading what collectors send, through ``reconcile``: collection A is a clean synthetic
CSV; each B holds the *same* values written the way people write them, so reconcile must
find no discrepancy (or exactly the one planted)."""

from __future__ import annotations

import copy
from datetime import datetime

import openpyxl
import pytest

from egoveval.collect.reconcile import reconcile_collections
from egoveval.errors import InputError

from .conftest import synthetic_truth
from .files import FW, excel_serial, rows_of, set_cached_values, write_csv_rows, write_xlsx_rows

BJ, TJ = "110000", "120000"


@pytest.fixture(scope="module")
def truth():
    return synthetic_truth(99)


@pytest.fixture()
def a_path(tmp_path, truth):
    return write_csv_rows(tmp_path / "A_clean_synthetic.csv", rows_of(truth))


def _agree(a, b):
    result = reconcile_collections(a, b)
    kinds = list(zip(result.discrepancies["unit_code"], result.discrepancies["indicator"],
                     result.discrepancies["kind"]))
    assert kinds == [], f"expected no discrepancies, got {kinds[:5]}"
    return result


def _xlsx_values(truth):
    """Typed cells: numbers as numbers, dates as datetimes."""
    return rows_of(truth, fmt=None)


def test_merged_cells(tmp_path, a_path, truth):
    same = copy.deepcopy(truth)
    same[TJ]["mp_wechat"] = same[BJ]["mp_wechat"]
    a = write_csv_rows(tmp_path / "A_synthetic.csv", rows_of(same))
    b = write_xlsx_rows(tmp_path / "B_merged_synthetic.xlsx", _xlsx_values(same))
    wb = openpyxl.load_workbook(b)
    ws = wb.active
    col = [c.value for c in ws[1]].index("微信小程序开通情况") + 1
    ws.cell(3, col).value = None
    ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    wb.save(b)
    result = _agree(a, b)
    assert "io.merged" in {p.rule for p in result.warnings}


def test_numbers_stored_as_text(tmp_path, a_path, truth):
    rows = rows_of(truth)  # every value a text cell, as pasted from a web page
    _agree(a_path, write_xlsx_rows(tmp_path / "B_text_numbers_synthetic.xlsx", rows))


def test_full_width_digits(tmp_path, a_path, truth):
    wide = str.maketrans("0123456789.", "０１２３４５６７８９．")
    rows = rows_of(truth, fmt=lambda v: "" if v is None else
                   (v.date().isoformat() if isinstance(v, datetime) else str(v).translate(wide)))
    _agree(a_path, write_csv_rows(tmp_path / "B_fullwidth_synthetic.csv", rows))


def test_thousands_separators_and_chinese_punctuation(tmp_path, a_path, truth):
    def fmt(v):
        if isinstance(v, datetime):
            return f"{v.year}年{v.month}月{v.day}日"
        if isinstance(v, float):
            return str(v).replace(".", "。") + "分"
        if isinstance(v, int) and v >= 1000:
            return f"{v:,}".replace(",", "，") if v % 2 else f"{v:,}"
        return str(v)
    _agree(a_path, write_csv_rows(tmp_path / "B_punctuation_synthetic.csv", rows_of(truth, fmt=fmt)))


@pytest.mark.parametrize("epoch_1904", [False, True])
def test_serial_dates_in_both_date_systems(tmp_path, a_path, truth, epoch_1904):
    def fmt(v):
        return excel_serial(v.date(), epoch_1904) if isinstance(v, datetime) else v
    b = write_xlsx_rows(tmp_path / f"B_serial_{int(epoch_1904)}_synthetic.xlsx", rows_of(truth, fmt=fmt),
                        epoch_1904=epoch_1904)
    _agree(a_path, b)


def test_formulas_with_cached_values_and_na(tmp_path, a_path, truth):
    rows = _xlsx_values(truth)
    col = rows[0].index("个人服务项目数")
    letter = openpyxl.utils.get_column_letter(col + 1)
    value = truth[BJ]["nat_personal_items"]
    rows[1][col] = f"={value - 1}+1"
    b = write_xlsx_rows(tmp_path / "B_formulas_synthetic.xlsx", rows)
    set_cached_values(b, {f"{letter}2": value})
    _agree(a_path, b)
    # the same file with a formula whose cached result is #N/A: a problem at that cell
    rows[2][col] = "=VLOOKUP(1,Z1:Z2,2,FALSE)"
    bad = write_xlsx_rows(tmp_path / "B_na_synthetic.xlsx", rows)
    set_cached_values(bad, {f"{letter}2": value, f"{letter}3": "#N/A"})
    with pytest.raises(InputError) as info:
        reconcile_collections(a_path, bad)
    (problem,) = info.value.errors
    assert (problem.rule, problem.row, problem.column, problem.value) == ("cell.excel_error", 3, "个人服务项目数", "#N/A")


def test_gb18030_csv(tmp_path, a_path, truth):
    b = write_csv_rows(tmp_path / "B_gb18030_synthetic.csv", rows_of(truth), encoding="gb18030")
    assert b.read_bytes().decode("gb18030")  # really GB18030, not UTF-8
    with pytest.raises(UnicodeDecodeError):
        b.read_bytes().decode("utf-8")
    _agree(a_path, b)


def test_blank_rows_and_columns_keep_file_row_numbers(tmp_path, a_path, truth):
    changed = copy.deepcopy(truth)
    changed[TJ]["ios_updates"] += 2
    rows = rows_of(changed)
    width = len(rows[0])
    rows = [rows[0], [""] * width, rows[1], [""] * width, [""] * width] + rows[2:]  # Tianjin now on row 6
    rows = [r[:3] + [""] + r[3:] for r in rows]  # a blank column
    result = reconcile_collections(a_path, write_csv_rows(tmp_path / "B_blank_synthetic.csv", rows))
    disc = result.discrepancies
    assert len(disc) == 1 and disc.loc[0, "unit_code"] == TJ and disc.loc[0, "row_B"] == "6"


def test_reordered_and_renamed_columns(tmp_path, a_path, truth):
    ids = list(reversed(FW.ids))
    styles = {i: ("id", "both", "zh", "en")[n % 4] for n, i in enumerate(ids)}
    rows = rows_of(truth, ids=ids, styles=styles)
    _agree(a_path, write_csv_rows(tmp_path / "B_reordered_synthetic.csv", rows))


def test_the_wrong_sheet(tmp_path, a_path, truth):
    b = write_xlsx_rows(tmp_path / "B_wrong_sheet_synthetic.xlsx", _xlsx_values(truth), sheet="Sheet2",
                        before=["说明", "备注"])
    result = _agree(a_path, b)
    assert "obs.sheet_chosen" in {p.rule for p in result.warnings}
    assert result.manifest["files_B"]["sheet"] == "Sheet2"


def test_reconcile_prints_warnings_and_records_them_in_the_manifest(tmp_path, truth):
    import json

    from egoveval.cli.reconcile import reconcile

    from .conftest import run_cli

    same = copy.deepcopy(truth)
    same[TJ]["mp_wechat"] = same[BJ]["mp_wechat"]
    a = write_csv_rows(tmp_path / "A_synthetic.csv", rows_of(same))
    b = write_xlsx_rows(tmp_path / "B_merged_behind_notes_synthetic.xlsx", _xlsx_values(same), sheet="Sheet2",
                        before=["说明"])
    wb = openpyxl.load_workbook(b)
    ws = wb["Sheet2"]
    col = [c.value for c in ws[1]].index("微信小程序开通情况") + 1
    ws.cell(3, col).value = None
    ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    merged = f"{openpyxl.utils.get_column_letter(col)}2:{openpyxl.utils.get_column_letter(col)}3"
    wb.save(b)
    out = tmp_path / "out"
    result = run_cli(reconcile, [a, b, "--out", out])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("•")]
    assert len(lines) == 2, result.output
    assert any("Sheet2" in line and "工作表" in line and "sheet" in line for line in lines), lines
    assert any(f"{b.name}:2 " in line and merged in line and "合并单元格" in line and "Merged" in line
               for line in lines), lines
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    recorded = {(w["rule"], w["file"], w["row"], w["value"]) for w in manifest["warnings"]}
    assert recorded == {("obs.sheet_chosen", b.name, "", "Sheet2"), ("io.merged", b.name, 2, merged)}
    assert all(w["message_zh"] and w["message_en"] for w in manifest["warnings"])


def test_units_absent_from_both_files_are_one_warning_not_discrepancies(tmp_path, truth):
    """Both collectors left out the same units (synthetic): nothing to decide, one warning;
    verified.csv leaves them out and reading it with the full unit list says they are absent."""
    from egoveval.cli.reconcile import reconcile
    from egoveval.io.observations import read_observations
    from egoveval.units import provinces

    from .conftest import read_out, run_cli

    dropped = ("540000", "650000")  # Tibet and Xinjiang in neither file
    kept = {c: v for c, v in truth.items() if c not in dropped}
    a = write_csv_rows(tmp_path / "A_synthetic.csv", rows_of(kept))
    b = write_csv_rows(tmp_path / "B_synthetic.csv", rows_of(kept))
    result = reconcile_collections(a, b)
    assert result.complete and len(result.discrepancies) == 0
    (warning,) = [p for p in result.warnings if p.rule == "collect.units_absent_both"]
    assert "西藏自治区" in warning.message("zh") and "新疆维吾尔自治区" in warning.message("en")
    assert dict(warning.params)["count"] == 2 and result.absent == dropped
    assert set(result.verified_table["unit_code"]) == set(kept)
    assert list(result.verified.values.index) == list(kept)
    assert result.manifest["units_absent_from_both"] == ["西藏自治区", "新疆维吾尔自治区"]
    out = tmp_path / "out"
    cli = run_cli(reconcile, [a, b, "--out", out])
    assert cli.exit_code == 0, cli.output
    assert sum(line.startswith("•") and "西藏自治区" in line for line in cli.output.splitlines()) == 1
    assert len(read_out(out / "verified.csv")) == 30 * 16
    with pytest.raises(InputError) as info:
        read_observations(out / "verified.csv", FW, provinces())
    assert sorted(p.value for p in info.value.errors) == ["新疆维吾尔自治区", "西藏自治区"]
    assert {p.rule for p in info.value.errors} == {"obs.unit_absent"}
    # a unit missing from one file only is still a discrepancy per indicator
    one_side = write_csv_rows(tmp_path / "B_one_side_synthetic.csv",
                              rows_of({c: v for c, v in kept.items() if c != BJ}))
    partly = reconcile_collections(a, one_side)
    assert set(partly.discrepancies["kind"]) == {"unit missing from a file"} and len(partly.discrepancies) == 16


def test_reconcile_lists_five_open_discrepancies_and_counts_the_others(tmp_path):
    """The open list names five (as discrepancies.xlsx names them) and counts the rest."""
    from egoveval.messages import text

    truth = synthetic_truth(7)
    changed = copy.deepcopy(truth)
    for code in list(changed)[:8]:  # eight planted discrepancies, synthetic
        changed[code]["ios_updates"] += 1
    a = write_csv_rows(tmp_path / "A_synthetic.csv", rows_of(truth))
    b = write_csv_rows(tmp_path / "B_synthetic.csv", rows_of(changed))
    result = reconcile_collections(a, b)
    assert not result.complete and result.open_items == 8
    assert result.open_summary.en.endswith(text("core.more_items", "en", n=3)), result.open_summary.en
    assert result.open_summary.zh.endswith(text("core.more_items", "zh", n=3)), result.open_summary.zh
    listed = result.open_summary.zh.split("未处理：")[1]
    assert listed.count("/") == 5 and "内蒙古自治区" in listed and "辽宁省" not in listed, listed
