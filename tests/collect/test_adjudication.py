"""The adjudication file C: invalid decisions are problems with file/row/column (exit 2);
the filled-in discrepancies.xlsx works as C; comparison rules at the tolerance edges."""

from __future__ import annotations

import copy
from datetime import datetime

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
    c["decision"], c["checked_by"], c["checked_at"] = "A", "synthetic checker", "2021-03-20"
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
        (TJ, "mp_alipay"): {"decision": "value", "value": "七成开通", "source": "https://example.org/synthetic"},
        (XZ, "ios_rating"): {"decision": "B"},  # B has no Tibet
        (XZ, "ios_updates"): {"decision": "value", "value": "3.5", "source": "app store"},  # must be whole
        (XZ, "ios_release"): {"decision": "value", "value": "", "source": "app store"},
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
        ws.cell(r, keys.index("source") + 1).value = "https://example.org/synthetic" if recollect else None
        ws.cell(r, keys.index("checked_by") + 1).value = "synthetic checker"
        ws.cell(r, keys.index("checked_at") + 1).value = datetime(2021, 3, 20)  # a date cell, as Excel keeps it
    c_path = tmp_path / "C_filled_synthetic.xlsx"
    wb.save(c_path)
    final = tmp_path / "final"
    result = run_cli(reconcile, [a_path, b_path, "--adjudication", c_path, "--out", final])
    assert result.exit_code == 0, result.output
    verified = read_out(final / "verified.csv").set_index(["unit_code", "indicator"])
    assert verified.loc[(BJ, "ios_rating"), "value"] == "3.3"
    assert verified.loc[(BJ, "ios_rating"), "from"] == "third_check"
    assert verified.loc[(XZ, "ios_rating"), "from"] == "A"
    assert verified.loc[(XZ, "ios_rating"), "checked_at"] == "2021-03-20"


def test_tolerance_edges():
    fw = load_framework("provincial-channels")
    rating, downloads, count = (fw.indicator(i) for i in ("ios_rating", "android_downloads", "ios_updates"))
    assert within_tolerance(4.10, 4.15, rating) and within_tolerance(4.15, 4.10, rating)
    assert not within_tolerance(4.10, 4.1501, rating)
    assert within_tolerance(1_000_000, 1_010_000, downloads)  # 10,000 ≤ 1% of 1,010,000
    assert not within_tolerance(1_000_000, 1_010_300, downloads)  # 10,300 > 10,103
    assert within_tolerance(7, 7, count) and not within_tolerance(7, 8, count)  # default: exact


def test_every_decision_needs_who_and_when_and_a_recollected_value_its_source(files, tmp_path):
    truth, a_path, b_path, disc = files
    c_path, c = _write_c(tmp_path, disc, {
        (BJ, "ios_rating"): {"decision": "B", "checked_by": "", "checked_at": ""},
        (TJ, "mp_alipay"): {"decision": "value", "value": "1", "source": "", "checked_at": ""},
        (XZ, "ios_rating"): {"checked_by": "  "},
    })
    with pytest.raises(InputError) as info:
        reconcile_collections(a_path, b_path, c_path)
    got = {(p.rule, p.row, p.column) for p in info.value.errors}
    expected = {
        ("adj.checked_by_required", _row_of(c, BJ, "ios_rating"), "checked_by"),
        ("adj.checked_at_required", _row_of(c, BJ, "ios_rating"), "checked_at"),
        ("adj.checked_at_required", _row_of(c, TJ, "mp_alipay"), "checked_at"),
        ("adj.source_required", _row_of(c, TJ, "mp_alipay"), "source"),
        ("adj.checked_by_required", _row_of(c, XZ, "ios_rating"), "checked_by"),
    }
    assert got == expected, f"missing {expected - got}, unexpected {got - expected}"
    result = run_cli(reconcile, [a_path, b_path, "--adjudication", c_path, "--out", tmp_path / "out"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_c_file_with_only_decisions_and_no_checker_columns_is_refused(files, tmp_path):
    truth, a_path, b_path, disc = files
    c = disc[["unit_code", "unit", "indicator", "kind", "value_A", "value_B"]].copy()
    c["decision"] = "B"
    c.loc[c.kind == "unit missing from a file", "decision"] = "A"  # B has no Tibet
    c_path = tmp_path / "C_decisions_only_synthetic.csv"
    c.to_csv(c_path, index=False, encoding="utf-8-sig")
    with pytest.raises(InputError) as info:
        reconcile_collections(a_path, b_path, c_path)
    rules = [(p.rule, p.column) for p in info.value.errors]
    assert sorted(set(rules)) == [("adj.checked_at_required", "checked_at"), ("adj.checked_by_required", "checked_by")]
    assert len(rules) == 2 * len(c)  # every row, both fields, all at once


def test_notes_on_undecided_rows_are_carried_into_the_next_list(files, tmp_path):
    truth, a_path, b_path, disc = files
    notes = {"value": "4.4", "source": "https://example.org/synthetic", "checked_by": "赵六 (synthetic)",
             "checked_at": "2021-03-21", "note": "platform down, retry tomorrow"}
    c_path, c = _write_c(tmp_path, disc, {(BJ, "ios_rating"): {"decision": "", **notes},
                                          (TJ, "mp_alipay"): {"decision": "", "checked_by": "", "checked_at": "",
                                                              "note": "ask collector B"}})
    out = tmp_path / "second"
    result = run_cli(reconcile, [a_path, b_path, "--adjudication", c_path, "--out", out])
    assert result.exit_code == 3, result.output
    again = read_out(out / "discrepancies.csv").set_index(["unit_code", "indicator"])
    assert again.loc[(BJ, "ios_rating"), "decision"] == ""
    assert again.loc[(BJ, "ios_rating"), list(notes)].to_dict() == notes
    assert again.loc[(TJ, "mp_alipay"), ["decision", "checked_by", "note"]].tolist() == ["", "", "ask collector B"]
    assert again.loc[(XZ, "ios_rating"), ["decision", "checked_by"]].tolist() == ["A", "synthetic checker"]
    # the carried list, with the two decisions added, is a valid C: nothing was lost on the way
    third = again.reset_index()
    third.loc[(third.unit_code == BJ) & (third.indicator == "ios_rating"), "decision"] = "value"
    third.loc[(third.unit_code == TJ) & (third.indicator == "mp_alipay"),
              ["decision", "checked_by", "checked_at"]] = ["B", "赵六 (synthetic)", "2021-03-22"]
    c3 = tmp_path / "C3_synthetic.csv"
    third.to_csv(c3, index=False, encoding="utf-8-sig")
    final = reconcile_collections(a_path, b_path, c3)
    assert final.complete
    row = final.verified_table.set_index(["unit_code", "indicator"]).loc[(BJ, "ios_rating")]
    assert (row["value"], row["from"], row["note"]) == ("4.4", "third_check", notes["note"])


def test_reconcile_leaves_the_inputs_untouched_and_refuses_c_inside_its_output(files, tmp_path):
    import hashlib

    truth, a_path, b_path, disc = files
    out = tmp_path / "rec"
    digest = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()  # noqa: E731
    before = {p: digest(p) for p in (a_path, b_path)}
    assert run_cli(reconcile, [a_path, b_path, "--out", out]).exit_code == 3
    assert {p: digest(p) for p in (a_path, b_path)} == before
    c_path, _ = _write_c(tmp_path, disc, {})
    before[c_path] = digest(c_path)
    assert run_cli(reconcile, [a_path, b_path, "--adjudication", c_path, "--out", out]).exit_code == 0
    assert {p: digest(p) for p in before} == before
    # the reviewer fills in the list where it was written and names it as C: refused, not deleted
    inside = out / "discrepancies.csv"
    filled = pd.read_csv(c_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    filled.to_csv(inside, index=False, encoding="utf-8-sig")
    kept = inside.read_bytes()
    result = run_cli(reconcile, [a_path, b_path, "--adjudication", inside, "--out", out])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert inside.read_bytes() == kept and (out / "verified.csv").is_file()
