"""The report's general mechanisms: long tables capped in the HTML (the workbook keeps every
row) and placed after the figures, one section numbering for HTML and workbook, unique
captions naming the outcome, and number formats declared per column family.

Synthetic Results are built here from scratch; the sample study's run (also synthetic)
checks the same rules on real output."""

from __future__ import annotations

import io
import re

import openpyxl
import pandas as pd
import pytest

from egoveval.report.formats import Fmt, format_value, resolve_formats
from egoveval.report.html import render_html
from egoveval.report.present import plan, present_table, table_title
from egoveval.report.sections import MAX_ROWS
from egoveval.report.xlsx import report_workbook
from egoveval.result import Result

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def _synthetic(n_long: int) -> Result:
    """A synthetic Result: a membership table of ``n_long`` units, a short schedule, a figure."""
    membership = pd.DataFrame({"code": [f"synthetic{i:03d}" for i in range(n_long)],
                               "cluster": [i % 3 + 1 for i in range(n_long)]})
    schedule = pd.DataFrame({"stage": [1, 2], "coefficient": [0.5, 1.5]})
    return (Result.empty({"synthetic": True, "title": "synthetic"}, {})
            .with_table("membership", membership, stage="cluster", title="table.membership")
            .with_table("schedule", schedule, stage="cluster", title="table.schedule")
            .with_figure("dendrogram", b"", SVG, stage="cluster", title="figure.dendrogram",
                         method_zh="Ward", method_en="Ward"))


def _table_html(html: str, name: str) -> str:
    m = re.search(rf'<div class="tbl" id="table-{name}">(.*?)</div>\s*(?=<div class="tbl"|<figure|</section>)',
                  html, flags=re.S)
    assert m, f"table {name} not in the HTML"
    return m.group(1)


def test_long_table_shows_its_first_rows_and_names_the_full_table():
    n = MAX_ROWS + 70
    result = _synthetic(n)
    html = render_html(result, "en")
    block = _table_html(html, "membership")
    body = block.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr>") == MAX_ROWS, f"expected {MAX_ROWS} rows shown, got {body.count('<tr>')}"
    assert f"synthetic{MAX_ROWS - 1:03d}" in body and f"synthetic{MAX_ROWS:03d}" not in body
    assert (f"Showing the first {MAX_ROWS} of {n} rows; the full table is sheet membership of tables.xlsx "
            "and membership.csv") in block, block[-400:]
    zh = _table_html(render_html(result, "zh"), "membership")
    assert f"共 {n} 行" in zh and "工作表 membership" in zh
    short = _table_html(html, "schedule")
    assert short.split("<tbody>")[1].count("<tr>") == 2 and "Showing the first" not in short
    book = openpyxl.load_workbook(io.BytesIO(report_workbook(result, "both")))
    ws = book["membership"]
    codes = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    assert codes.count("synthetic000") == 1 and f"synthetic{n - 1:03d}" in codes, "the workbook keeps all rows"
    assert sum(1 for c in codes if str(c).startswith("synthetic")) == n


def test_long_tables_follow_the_figures_of_their_section():
    long = [i.name for i in plan(_synthetic(MAX_ROWS + 1))[0].items]
    short = [i.name for i in plan(_synthetic(MAX_ROWS))[0].items]
    assert short == ["membership", "dendrogram", "schedule"], short
    assert long == ["dendrogram", "schedule", "membership"], long
    numbers = {i.name: i.number for i in plan(_synthetic(MAX_ROWS + 1))[0].items}
    assert (numbers["schedule"], numbers["membership"]) == (1, 2), "tables are numbered in the order shown"


def test_an_entry_without_cap_prints_every_row():
    n = MAX_ROWS + 10
    frame = pd.DataFrame({"indicator_zh": [f"合成指标{i}" for i in range(n)],
                          "indicator_en": [f"synthetic indicator {i}" for i in range(n)]})
    result = Result.empty({"synthetic": True}, {}).with_table("framework", frame, stage="load",
                                                              title="table.framework")
    item = plan(result)[0].items[0]
    assert item.entry.max_rows is None
    t = present_table(result, item, "en")
    assert len(t.rows) == n and t.more is None


def test_sections_have_one_numbering_in_html_and_workbook(sample_run_dir):
    html = (sample_run_dir / "report.html").read_text(encoding="utf-8")
    heads = dict((sid, int(num)) for sid, num in re.findall(r'<section class="sec" id="s-([a-z]+)">\s*<h2>(\d+) ', html))
    assert heads["methods"] == heads["appendix"] - 1, heads
    ws = openpyxl.load_workbook(sample_run_dir / "tables.xlsx")["contents"]
    sections = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=3).value for r in range(1, ws.max_row + 1)}
    for sheet, sid in (("quantified", "appendix"), ("cluster_means", "profiles"), ("membership", "clusters")):
        assert str(sections[sheet]).startswith(f"{heads[sid]} "), (sheet, sections[sheet], heads[sid])


def test_captions_are_unique_and_name_the_outcome(sample_run_dir, sample_result):
    html = (sample_run_dir / "report.html").read_text(encoding="utf-8")
    captions = [re.sub(r"<[^>]+>", " ", c) for c in re.findall(r'<p class="caption"[^>]*>(.*?)</p>', html)]
    titles = [re.sub(r"^表 \d+ ", "", c) for c in captions]
    repeated = sorted({t for t in titles if titles.count(t) > 1})
    assert not repeated, f"captions shown more than once: {repeated}"
    types, index = table_title(sample_result, "regional_types_tests"), table_title(sample_result, "regional_index_tests")
    assert "发展类型" in types["zh"] and "development types" in types["en"], types
    assert "综合指数" in index["zh"] and "composite index" in index["en"], index
    detail = table_title(sample_result, "regional_index_tests_detail")
    assert detail != index and "details" in detail["en"], detail


def test_tier_probabilities_are_not_p_values():
    frame = pd.DataFrame({"p_高": [0.0, 0.25], "p_低": [1.0, 0.75], "p_holm": [0.0004, 0.2],
                          "kw_p": [0.0002, 0.5], "p_permutation": [0.001, 0.3]})
    f = resolve_formats(frame)
    assert [format_value(v, f["p_高"]) for v in frame["p_高"]] == ["0.000", "0.250"]
    assert format_value(1.0, f["p_低"]) == "1.000"
    assert format_value(0.0004, f["p_holm"]) == "<0.001"
    assert format_value(0.0002, f["kw_p"]) == "<0.001"
    assert f["p_permutation"].kind == "p"


def test_rank_percentiles_are_whole_numbers():
    frame = pd.DataFrame({"rank_p05": [9.0, 13.0], "rank_median": [10.0, 16.0], "rank_p95": [13.0, 18.0]})
    f = resolve_formats(frame)
    assert [format_value(v, f["rank_p05"]) for v in frame["rank_p05"]] == ["9", "13"]
    assert {f[c].kind for c in frame} == {"int"}


def test_statistics_read_together_share_their_decimals(sample_run_dir):
    frame = pd.DataFrame({"n": [10, 6], "mean": [71.36849, 54.6399], "median": [71.407, 53.1017],
                          "sd": [12.9, 16.8], "min": [58.0, 33.0], "max": [85.0042, 82.1485]})
    f = resolve_formats(frame)
    assert len({(f[c].kind, f[c].decimals) for c in ("mean", "median", "sd", "min", "max")}) == 1, f
    assert f["n"].kind == "int"
    parts = resolve_formats(pd.DataFrame({"total": [0.2], "between": [0.05], "within": [0.15]}))
    assert len({p.decimals for p in parts.values()}) == 1, parts
    ws = openpyxl.load_workbook(sample_run_dir / "tables.xlsx")["regional_index_by_region"]
    header = [c.value for c in ws[3]]
    shown = {ws.cell(row=4, column=header.index(h) + 1).number_format for h in ("Mean", "Median", "SD", "Min", "Max")}
    assert len(shown) == 1, f"one number format for the statistics of by_region, got {shown} ({header})"


def test_lists_in_cells_follow_the_report_language():
    assert format_value(["110000", "120000"], Fmt("text"), sep=", ") == "110000, 120000"
    assert format_value(["110000", "120000"], Fmt("text")) == "110000、120000"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_provenance_table_is_in_the_data_section(sample_result, lang_run_dirs, lang):
    planned = {ps.section.id: [i.name for i in ps.items] for ps in plan(sample_result)}
    assert "provenance" in planned["data"], planned["data"]
    frame = sample_result["provenance"]
    assert "source" in frame.columns and frame["source"].notna().all()
    t = present_table(sample_result, next(i for ps in plan(sample_result) for i in ps.items if i.name == "provenance"),
                      lang)
    assert len(t.rows) == len(frame)
    # in the report of that language: inside the data section, captioned in that language only
    html = (lang_run_dirs[lang] / "report.html").read_text(encoding="utf-8")
    data = html[html.index('id="s-data"'):]
    data = data[:data.index('<section', 1)] if '<section' in data[1:] else data
    caption = re.search(r'id="table-provenance-caption">([^<]*)<', data)
    assert caption, "the provenance table is not in the data section of the report"
    other = "en" if lang == "zh" else "zh"
    assert t.title[lang] in caption.group(1) and t.title[other] not in caption.group(1), caption.group(1)
