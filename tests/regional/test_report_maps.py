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
    tests = r.tables["regional_types_tests"]
    assert tests.note is not None and "Cramér" in tests.note.en
    assert tests.note.key not in keys, "the test's note is shown with its table, not again as a warning"
    assert "regional.note.scheme" in keys
    assert not {"regional_types_moran", "regional_types_lisa", "regional_types_inequality"} & set(r.tables)
    from egoveval.report.present import table_title

    assert table_title(r, "regional_types_tests")["zh"].endswith("发展类型")
    assert table_title(r, "regional_index_tests")["en"].startswith("Tests of regional differences: Score")
    # crosstab rows by type rank, by cluster id with the type names beside them
    types = r["types"].sort_values("rank")
    ct = r["regional_types_crosstab"]
    assert ct["category"].tolist()[:-1] == [str(c) for c in types["cluster"]]
    assert ct["category_zh"].tolist()[:-1] == types["label_zh"].tolist()
    assert ct["category_en"].tolist() == [*types["label_en"], "Total"]


def test_types_by_region_columns_are_headed_by_the_type_names(sample_result):
    from egoveval.report.context import context_of
    from egoveval.report.present import column_label

    r, ctx = sample_result, context_of(sample_result)
    types = r["types"].set_index("cluster")
    by_region = r["regional_types_by_region"]
    for c in types.index:
        assert f"n_{c}" in by_region.columns and f"pct_{c}" in by_region.columns
        zh, en = column_label(f"pct_{c}", ctx, "regional")
        assert zh == f"{types.at[c, 'label_zh']}（%）" and en == f"{types.at[c, 'label_en']} (%)"


def test_interactive_maps_are_stored_per_report_language(sample_result):
    from egoveval.report.present import REPORT_LANGS, value_in

    cjk = re.compile(r"[\u4e00-\u9fff]")
    for name in ("map_interactive_types", "map_interactive_index"):
        maps = {lang: value_in(sample_result, name, lang) for lang in REPORT_LANGS}
        assert all(m and m.lstrip().startswith("<svg") for m in maps.values()), name
        texts = {lang: " ".join(re.findall(r">([^<>]+)<", m)) for lang, m in maps.items()}
        assert not cjk.search(texts["en"]), f"{name}.en has Chinese: {cjk.findall(texts['en'])[:10]}"
        assert "Beijing" in texts["en"] and "北京" in texts["zh"] and "Beijing" not in texts["zh"]
        assert "北京 Beijing" in texts["both"]
