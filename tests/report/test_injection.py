"""User-supplied text (unit names from a custom unit list, notes and sources in the data file,
the study title) is escaped in the HTML report and neutralised in the workbook and the CSV
files. The text is planted in the real input files and the real ``egoveval run`` output is
checked: the notes reach the report through the pipeline's ``provenance`` table."""

from __future__ import annotations

import csv
import re

import openpyxl
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from egoveval.cli import cli
from egoveval.samples import sample_study_path
from egoveval.samples.provincial import SAMPLE_FILE
from egoveval.units import provinces

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="module")
def planted_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("planted")
    reg = provinces().table.copy()
    units = pd.DataFrame({"code": reg["code"], "name": reg["name"], "name_short": reg["name_short"],
                          "name_en": reg["name_en"], "province": reg["name_short"],
                          "aliases": reg["name"] + "|" + reg["name_short"]})
    beijing, tianjin = units["code"] == "110000", units["code"] == "120000"
    units.loc[beijing, ["name", "name_short", "name_en"]] = [SCRIPT, SCRIPT, SCRIPT]
    units.loc[tianjin, ["name", "name_short", "name_en"]] = [FORMULA, FORMULA, FORMULA]
    units.to_csv(folder / "units_custom.csv", index=False, encoding="utf-8")
    data = pd.read_csv(sample_study_path().parent / SAMPLE_FILE, dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")
    data.loc[0, "备注"] = SCRIPT
    data.loc[1, "备注"] = FORMULA
    data.loc[2, "来源"] = FORMULA
    data.to_csv(folder / "data.csv", index=False, encoding="utf-8-sig")
    spec = yaml.safe_load(sample_study_path().read_text(encoding="utf-8"))
    spec.update(units="units_custom.csv", data="data.csv", output="out",
                title={"zh": f"标题 {SCRIPT}", "en": FORMULA})
    spec.pop("index", None)
    (folder / "study.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    out = folder / "out"
    res = CliRunner().invoke(cli, ["run", str(folder / "study.yaml"), "--out", str(out)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return out


def test_notes_and_sources_reach_the_report(planted_run):
    with (planted_run / "provenance.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_code = {r["code"]: r for r in rows}
    beijing, tianjin, hebei = by_code["110000"], by_code["120000"], by_code["130000"]
    assert beijing["note"] == SCRIPT and beijing["name_zh"] == SCRIPT, beijing
    assert tianjin["note"] == "'" + FORMULA and tianjin["name_en"] == "'" + FORMULA, tianjin
    assert hebei["source"] == "'" + FORMULA, hebei
    html = (planted_run / "report.html").read_text(encoding="utf-8")
    block = html.split('id="table-provenance"')[1].split("</table>")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in block and "<script" not in block
    assert "=HYPERLINK(&#34;http://x&#34;,&#34;y&#34;)" in block or '=HYPERLINK("http://x","y")' in block, block[:600]
    ws = openpyxl.load_workbook(planted_run / "tables.xlsx")["provenance"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert len(cells) >= 3 and all(c.data_type == "s" and c.value.startswith("'") for c in cells), \
        [(c.coordinate, c.value) for c in cells]


def test_html_has_no_live_script(planted_run):
    html = (planted_run / "report.html").read_text(encoding="utf-8")
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S)
    assert len(scripts) == 1 and "alert" not in scripts[0], "only the report's own script may run"
    assert "标题 &lt;script&gt;" in html.split("</title>")[0], "the study title is escaped in <title>"


def test_html_in_a_browser_raises_no_dialog(planted_run, browser):
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto((planted_run / "report.html").as_uri(), wait_until="load")
    page.wait_for_timeout(300)
    text = page.locator("body").inner_text()
    page.close()
    assert not dialogs, f"a planted script ran: {dialogs}"
    assert SCRIPT in text and FORMULA in text, "the planted text is shown as text"


def test_workbook_cells_are_text_not_formulas(planted_run):
    wb = openpyxl.load_workbook(planted_run / "tables.xlsx")
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {ws.title}!{cell.coordinate}: {cell.value}"
                if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
                    assert cell.value.startswith("'") or not cell.value.startswith(("=", "+", "-", "@")), \
                        f"{ws.title}!{cell.coordinate}: {cell.value}"
                    assert cell.data_type == "s"
                    seen += 1
    assert seen >= 3, "the planted formula should appear (neutralised) in several sheets"
    raw = (planted_run / "tables.xlsx").read_bytes()
    assert b"<f>" not in raw


def test_csv_fields_are_neutralised(planted_run):
    seen = 0
    for path in planted_run.glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for field in row:
                    assert not field.startswith(("=", "+", "@")), f"{path.name}: {field}"
                    if "HYPERLINK" in field:
                        assert field.startswith("'") or "HYPERLINK" not in field[:1], field
                        seen += 1
    assert seen >= 3


def test_saved_result_keeps_the_text_verbatim(planted_run):
    from egoveval.report.saved import load_result

    loaded = load_result(planted_run)
    assert SCRIPT in set(loaded["provenance"].astype(str).to_numpy().ravel())
    assert loaded.spec["title"]["en"] == FORMULA
