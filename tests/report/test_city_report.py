"""The city survey's report (337 cities, 10,260 gap rows; SYNTHETIC sample) stays readable:
long tables show their first rows and say where the rest is, the figures come before the
long tables, the page and the PDF have a bounded size, and the workbook keeps every row.
The run takes a minute or two, so it is made once for this module."""

from __future__ import annotations

import csv
import re

import openpyxl
import pytest
from click.testing import CliRunner

from egoveval.cli import cli
from egoveval.report.sections import MAX_ROWS

#: Bounds well above what the capped report needs and far below the uncapped one
#: (767,000 px and 447 PDF pages when every row was printed).
MAX_HEIGHT_PX = 160_000
MAX_PDF_PAGES = 110
UNCAPPED = ("framework", "quantification_standard")  # the study's Tables 1 and 2, printed whole


@pytest.fixture(scope="module")
def city_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("city") / "run"
    res = CliRunner().invoke(cli, ["run", "--sample", "city-multichannel", "--out", str(out)],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return out


def _rows(path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def test_city_report_in_the_browser(city_run, browser, open_page, artifacts):
    gaps = _rows(city_run / "coverage" / "gaps.csv")
    assert gaps > 10 * MAX_ROWS, gaps
    page, events = open_page(browser, city_run / "report.html")
    try:
        bad = [(t, m) for t, m in events["console"] if t in ("error", "warning")] + events["errors"]
        assert not bad, f"console messages: {bad}"
        outside = [u for u in events["requests"] if not u.startswith(("file:", "data:", "about:"))]
        assert not outside, f"network requests: {outside}"
        height = page.evaluate("document.documentElement.scrollHeight")
        (artifacts / "city_report_height.txt").write_text(f"{height}\n")
        assert height <= MAX_HEIGHT_PX, f"the city report is {height:,} px tall (bound {MAX_HEIGHT_PX:,})"
        shown = dict(page.evaluate("Array.from(document.querySelectorAll('div.tbl')).map("
                                   "d => [d.id, d.querySelectorAll('tbody tr').length])"))
        over = {k: n for k, n in shown.items() if n > MAX_ROWS and k.removeprefix("table-") not in UNCAPPED}
        assert not over, f"tables printing more than {MAX_ROWS} rows: {over}"
        more = page.locator("#table-coverage_gaps-more").inner_text()
        assert f"{MAX_ROWS} of {gaps:,} rows" in more and "coverage/gaps.csv" in more, more
        order = page.evaluate("Array.from(document.querySelectorAll('#s-coverage figure, #s-coverage div.tbl'))"
                              ".map(e => e.id)")
        assert order.index("figure-coverage_heatmap") < order.index("table-coverage_gaps"), order
        assert order.index("figure-coverage_map") < order.index("table-coverage_city_scores"), order
        page.screenshot(path=str(artifacts / "city_report_top.png"))
    finally:
        page.close()
    book = openpyxl.load_workbook(city_run / "tables.xlsx", read_only=True)
    sheet = book["coverage_gaps"]
    data_rows = sum(1 for row in sheet.iter_rows(min_row=4, values_only=True) if any(v is not None for v in row))
    book.close()
    assert data_rows == gaps, f"the workbook keeps every row: expected {gaps}, got {data_rows}"


def test_city_report_prints_to_a_bounded_pdf(city_run, browser, open_page, artifacts):
    page, _ = open_page(browser, city_run / "report.html")
    try:
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    finally:
        page.close()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    (artifacts / "city_report_pages.txt").write_text(f"{pages}\n")
    assert 8 <= pages <= MAX_PDF_PAGES, f"expected at most {MAX_PDF_PAGES} pages, got {pages}"
