"""The collection template: structure, validations (read back with openpyxl), the CSV
form, the CLI, and a clean conversion with LibreOffice headless."""

from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest

from egoveval.cli.template import template
from egoveval.collect.template import DATA_SHEET, data_headers
from egoveval.io.observations import scan_observations

from .conftest import read_out, run_cli

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _validations(ws):
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0].rstrip("0123456789")] = (dv, str(rng.coord))
    return out


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_template_structure_and_validations(tmp_path, fw, units, lang):
    out = tmp_path / f"template_{lang}.xlsx"
    result = run_cli(template, ["--framework", "provincial-channels", "--collector", "张三", "--lang", lang,
                                "--out", out])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    ws = wb[DATA_SHEET[lang]]
    assert wb.sheetnames[0] != DATA_SHEET[lang] and wb["lists"].sheet_state == "hidden"
    headers = [c.value for c in ws[1]]
    assert headers == data_headers(fw, lang)
    # the Chinese name and the id always; the English name too in English and bilingual workbooks
    expected = "应用评分 (ios_rating)" if lang == "zh" else "应用评分\nApp rating (ios_rating)"
    assert expected in headers, headers
    assert ws.freeze_panes == "C2"
    assert ws.max_row == 1 + len(units)
    assert [ws.cell(r, 2).value for r in range(2, ws.max_row + 1)] == list(units.table["name"])
    assert {ws.cell(r, len(headers) - 1).value for r in range(2, ws.max_row + 1)} == {"张三"}
    found = _validations(ws)
    for offset, ind in enumerate(fw.indicators):
        col = openpyxl.utils.get_column_letter(3 + offset)
        dv, coord = found[col]
        assert coord == f"{col}2:{col}{len(units) + 1}"
        assert dv.showErrorMessage and dv.showInputMessage, ind.id
        assert not dv.showDropDown, ind.id  # False shows the arrow
        assert dv.prompt and dv.error and len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32
        expected_type = {"count": "whole", "rating": "decimal", "date": "date", "binary": "list",
                         "ordinal": "list"}[ind.kind]
        assert dv.type == expected_type, ind.id
        if ind.kind in ("binary", "ordinal"):
            assert dv.formula1.startswith("lists!$")  # from the hidden sheet, never an inline list
            ref = dv.formula1.split("!")[1].replace("$", "")
            labels = [c.value for row in wb["lists"][ref] for c in row]
            want = [(lv.en if lang == "en" else lv.zh) for lv in ind.all_levels()]
            assert labels == want, (ind.id, labels)
        if ind.id == "ios_rating":
            assert (dv.operator, dv.formula1, dv.formula2) == ("between", "0", "5")
        if ind.id == "android_downloads":
            assert (dv.operator, dv.formula1) == ("greaterThanOrEqual", "0")
    # the reader understands the empty template as it is
    scan = scan_observations(out, fw, units)
    assert not [p for p in scan.problems if p.severity == "error"]
    assert len(scan.records) == len(units) and set(scan.columns) == set(fw.ids)


def test_instructions_sheet_has_procedure_definitions_units_and_where(tmp_path, fw, units):
    out = tmp_path / "t.xlsx"
    run_cli(template, ["--framework", "provincial-channels", "--lang", "both", "--out", out])
    ws = openpyxl.load_workbook(out)["说明 Instructions"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    for ind in fw.indicators:
        assert ind.id in text and ind.definition_zh in text and ind.definition_en in text
    for ch in fw.channels:
        assert ch.where_zh in text and ch.where_en in text
    for needle in ("操作步骤", "Procedure", "采集人", "Collector", "容差", "gjzwfw.gov.cn", "人次", "±0.05"):
        assert needle in text, needle


def test_template_csv_has_header_and_units_only(tmp_path, fw, units):
    out = tmp_path / "t.csv"
    result = run_cli(template, ["--framework", "provincial-channels", "--format", "csv", "--lang", "zh",
                                "--out", out])
    assert result.exit_code == 0, result.output
    frame = read_out(out)
    assert list(frame.columns) == data_headers(fw, "zh")
    assert list(frame["地区"]) == list(units.table["name"])
    assert (frame.drop(columns=["代码", "地区"]) == "").all().all()


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_template_csv_fills_the_collector(tmp_path, fw, units, lang):
    out = tmp_path / "t.csv"
    result = run_cli(template, ["--framework", "provincial-channels", "--format", "csv", "--lang", lang,
                                "--collector", "李四 (synthetic)", "--out", out])
    assert result.exit_code == 0, result.output
    frame = read_out(out)
    collector = {"zh": "采集人", "en": "collector", "both": "采集人 collector"}[lang]
    assert list(frame[collector]) == ["李四 (synthetic)"] * len(units)
    # the CSV template reads back: every indicator column found, collector kept as metadata
    scan = scan_observations(out, fw, units)
    assert not [p for p in scan.problems if p.severity == "error"] and set(scan.columns) == set(fw.ids)
    assert {rec.meta["collector"] for rec in scan.records} == {"李四 (synthetic)"}


@pytest.mark.parametrize("framework_id", ["provincial-channels", "city-multichannel"])
@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_every_header_names_the_chinese_name_and_id_and_reads_back(framework_id, lang):
    from egoveval.collect.template import indicator_header
    from egoveval.frameworks import load_framework
    from egoveval.io.observations import match_header

    framework = load_framework(framework_id)
    for ind in framework.indicators:
        header = indicator_header(ind, lang)
        assert ind.name_zh in header and f"({ind.id})" in header, header
        assert (ind.name_en in header) == (lang != "zh"), header
        assert match_header(header, framework) == ind.id, header


def test_instructions_show_only_the_tolerances_and_units_that_are_set(tmp_path, fw):
    from egoveval.collect.template import build_template
    from egoveval.units import provinces

    for lang in ("zh", "en", "both"):
        ws = build_template(fw, provinces(), lang=lang).worksheets[0]
        rows = {row[2]: row for row in ws.iter_rows(values_only=True) if row[2] in fw.ids}
        unit = {i: rows[i][4] for i in rows}
        tolerance = {i: rows[i][8] for i in rows}
        assert unit["mp_wechat"] in ("", None) and unit["mp_alipay"] in ("", None), (lang, unit["mp_wechat"])
        assert unit["ios_rating"] == {"zh": "分", "en": "points", "both": "分\npoints"}[lang]
        # ios_rating: absolute 0.05 only; android_downloads: relative 1% only; ios_updates: exact
        assert tolerance["ios_rating"] == {"zh": "±0.05（绝对）以内", "en": "within ±0.05 (absolute)",
                                           "both": "±0.05（绝对）以内\nwithin ±0.05 (absolute)"}[lang]
        assert tolerance["android_downloads"] == {"zh": "±1%（相对）以内", "en": "within ±1% (relative)",
                                                  "both": "±1%（相对）以内\nwithin ±1% (relative)"}[lang]
        assert tolerance["ios_updates"] == {"zh": "须完全一致", "en": "exact", "both": "须完全一致\nexact"}[lang]
        text = "\n".join(str(v) for v in tolerance.values())
        assert "0.00%" not in text and "±0（" not in text and "±0 (" not in text


def test_template_is_deterministic(tmp_path):
    for name in ("one.xlsx", "two.xlsx"):
        run_cli(template, ["--framework", "provincial-channels", "--collector", "x", "--out", tmp_path / name])
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()


def test_template_with_a_custom_unit_file(tmp_path, fw):
    units_file = tmp_path / "units_synthetic.csv"
    units_file.write_text("code,name\nc1,甲市\nc2,乙市\n", encoding="utf-8")
    out = tmp_path / "t.xlsx"
    result = run_cli(template, ["--framework", "provincial-channels", "--units", units_file, "--out", out])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["数据 data"]
    assert [ws.cell(r, 2).value for r in (2, 3)] == ["甲市", "乙市"] and ws.max_row == 3


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; CI installs Debian's "
                                             "libreoffice-calc-nogui")
def test_template_converts_cleanly_with_libreoffice(tmp_path):
    src = tmp_path / "template.xlsx"
    run_cli(template, ["--framework", "provincial-channels", "--collector", "synthetic", "--out", src])
    profile = tmp_path / "lo-profile"
    cmd = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]
    done = subprocess.run(cmd + ["--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                          capture_output=True, text=True, timeout=240)
    pdf = tmp_path / "template.pdf"
    assert done.returncode == 0, done.stderr
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    assert "error" not in done.stderr.lower()
    # LibreOffice keeps the validations: convert to XLSX and read them back with openpyxl
    again = tmp_path / "again"
    again.mkdir()
    done = subprocess.run(cmd + ["--convert-to", "xlsx", "--outdir", str(again), str(src)],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    ws = openpyxl.load_workbook(again / "template.xlsx")["数据 data"]
    kinds = sorted({dv.type for dv in ws.data_validations.dataValidation})
    assert {"date", "decimal", "list", "whole"} <= set(kinds)
    assert all(dv.showErrorMessage for dv in ws.data_validations.dataValidation)
    assert all(dv.showInputMessage and dv.prompt for dv in ws.data_validations.dataValidation)
