"""tables.xlsx: a contents sheet, one formatted sheet per table (bilingual headers, frozen
header rows, number formats, widths), readable by openpyxl and convertible by LibreOffice."""

from __future__ import annotations

import subprocess

import openpyxl

from egoveval.report.formats import resolve_formats


def _book(run_dir):
    return openpyxl.load_workbook(run_dir / "tables.xlsx")


def test_contents_sheet_lists_every_table_and_the_spec(sample_run_dir, sample_result):
    wb = _book(sample_run_dir)
    assert wb.sheetnames[0] == "contents"
    sheets = wb.sheetnames[1:]
    assert len(sheets) == len(sample_result.tables), "one sheet per table, nothing else"
    assert all(len(s) <= 31 for s in sheets), "Excel limits sheet names to 31 characters"
    for table in sample_result.tables:  # long names are cut to 31 characters, never dropped
        assert table in sheets or table[:31] in sheets, f"no sheet for table {table}"
    ws = wb["contents"]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("合成" in t and "SYNTHETIC" in t for t in texts), "synthetic banner missing"
    assert "study.framework" in texts and "provincial-channels" in texts
    assert any(t.startswith("inputs_sha256.") for t in texts)
    links = [c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink is not None]
    assert "'cluster_means'!A1" in links


def test_table_sheets_have_bilingual_frozen_headers(sample_run_dir):
    wb = _book(sample_run_dir)
    ws = wb["cluster_means"]
    assert str(ws["A1"].value).startswith("表 ") and "Table" in str(ws["A1"].value)
    zh = [c.value for c in ws[2]]
    en = [c.value for c in ws[3]]
    assert zh[:2] == ["类别", "个人服务项目数"], zh[:3]
    assert en[:2] == ["Cluster", "Personal service items"], en[:3]
    assert ws.freeze_panes == "A4", ws.freeze_panes
    for name in wb.sheetnames[1:]:
        assert wb[name].freeze_panes in ("A3", "A4"), (name, wb[name].freeze_panes)


def test_numbers_are_numbers_with_declared_formats(sample_run_dir, sample_result):
    ws = _book(sample_run_dir)["cluster_means"]
    header = [c.value for c in ws[3]]
    col = header.index("Downloads") + 1
    cell = ws.cell(row=6, column=col)  # cluster 3
    assert cell.data_type == "n" and abs(cell.value - 12453.6667) < 1e-3, (cell.data_type, cell.value)
    assert cell.number_format == "#,##0.00", f"expected #,##0.00, got {cell.number_format}"
    rating = ws.cell(row=6, column=header.index("App store rating") + 1)
    assert rating.number_format == "0.00", rating.number_format  # means: at least 2 decimals
    kinds = resolve_formats(sample_result["schedule"])
    ws = _book(sample_run_dir)["schedule"]
    header = [c.value for c in ws[3]]
    assert ws.cell(row=4, column=header.index("Coefficient") + 1).number_format == kinds["coefficient"].excel()
    assert ws.column_dimensions["A"].width >= 8


def test_libreoffice_converts_the_workbook(sample_run_dir, soffice, tmp_path):
    profile = tmp_path / "lo-profile"
    run = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                          "--outdir", str(tmp_path), str(sample_run_dir / "tables.xlsx")],
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr
    pdf = tmp_path / "tables.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000, run.stdout + run.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
