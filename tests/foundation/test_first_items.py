""""The first n items … (+N more)": one helper (``messages.first_items``) with the wording in
the catalogue (``core.more_items``), used wherever a long list is cut short."""

from __future__ import annotations

import pandas as pd

from egoveval.messages import first_items, text


def test_first_items_cuts_after_the_limit_and_counts_the_rest():
    items = [f"u{i}" for i in range(1, 8)]  # synthetic names
    assert first_items(items, 7, "en") == ", ".join(items)
    got = first_items(items, 3, "en")
    assert got == "u1, u2, u3 " + text("core.more_items", "en", n=4), got
    assert "u4" not in got and "4" in got
    zh = first_items(items, 3, "zh")
    assert zh.startswith("u1、u2、u3 ") and text("core.more_items", "zh", n=4) in zh
    assert first_items(items, 3, "zh", "；").startswith("u1；u2；u3 ")


def test_units_outside_the_population_are_named_up_to_ten():
    from egoveval.coverage import coverage_tables
    from egoveval.frameworks import load_framework
    from egoveval.units import cities

    fw = load_framework("city-multichannel")
    reg = cities()
    county = list(reg.table.loc[reg.table["group"] == "county_level", "code"][:12])
    codes = ["110000", "420100", *county]
    ids = [i.id for i in fw.indicators]
    values = pd.DataFrame([[1] * len(ids)] * len(codes), index=codes, columns=ids)  # synthetic
    res = coverage_tables(values, fw, reg, figures=False)
    (warning,) = [w for w in res.warnings if w.key == "coverage.outside_population"]
    assert text("core.more_items", "en", n=2) in warning.en, warning.en
    assert text("core.more_items", "zh", n=2) in warning.zh, warning.zh
    name_11 = reg.row(county[10])["name"]
    assert name_11 not in warning.zh and reg.row(county[9])["name"] in warning.zh


def test_index_cli_names_twenty_units_with_a_zero():
    from egoveval.cli.index import _zero_items

    zeros = pd.DataFrame({"unit": [f"synthetic{i}" for i in range(23)], "indicator": ["x1"] * 23})
    en, zh = _zero_items(zeros, "en"), _zero_items(zeros, "zh")
    assert en.endswith(text("core.more_items", "en", n=3)) and en.count("synthetic") == 20, en
    assert zh.endswith(text("core.more_items", "zh", n=3)), zh
