"""The regional part of `egoveval run`: interactive maps in the HTML report, the kept notes
and tables of the development types × region analysis (synthetic sample study)."""

import re


def test_report_html_has_the_interactive_maps_with_tooltips(sample_result):
    from egoveval.report.html import render_html

    html = render_html(sample_result, "both")
    for name in ("map_interactive_types", "map_interactive_index"):
        m = re.search(rf'<figure class="map-box" id="map-{name}">(.*?)</figure>', html, re.S)
        assert m, f"{name} is not in report.html"
        box = m.group(1)
        assert "<svg" in box and 'data-code="110000"' in box
        assert re.search(r"<title>北京 Beijing：[^<]+</title>", box), "tooltip with unit name and value"
        assert "南海诸岛" in box and "http" not in box.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_types_analysis_keeps_by_region_notes_and_labelled_captions(sample_result):
    r = sample_result
    assert "regional_types_by_region" in r.tables and "regional_types_crosstab" in r.tables
    keys = {w.key for w in r.warnings}
    assert keys & {"regional.note.fisher_exact", "regional.note.fisher_mc"}
    tests = r.tables["regional_types_tests"]
    assert tests.note is not None and "Cramér" in tests.note.en
    from egoveval.report.present import table_title

    assert table_title(r, "regional_types_tests")["zh"].endswith("发展类型")
    assert table_title(r, "regional_index_tests")["en"].startswith("Tests of regional differences: Score")
    # crosstab rows by type rank, not by Unicode order of the labels
    types = r["types"].sort_values("rank")
    assert r["regional_types_crosstab"]["category"].tolist()[:-1] == [
        t for t in types["label_zh"] if t in set(r["regional_types_crosstab"]["category"])]
