"""CSV writing: formula-like text is neutralised, plain numbers held as text are not (so
negative ids and values read back as numbers), and the UTF-8 BOM stays."""

from __future__ import annotations

import pandas as pd
import pytest

from egoveval.frameworks.schema import Indicator
from egoveval.io.cells import parse_cell
from egoveval.io.writers import neutralise, write_csv


@pytest.mark.parametrize("text", ["-3", "-0.5", "+7", "0", "12.25", "-1e-3", "+2.5E3"])
def test_plain_numbers_as_text_are_left_alone(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"y\")", "-1+2", "+1-1", "@SUM(A1:A9)",
                                  "+cmd|' /C calc'!A0", "-3 ", "-", "--3", "-3,5", "\t=1", "\r=1", "=1"])
def test_formula_like_text_is_prefixed(text):
    assert neutralise(text) == "'" + text


def test_csv_round_trip_keeps_negative_ids_and_values_numeric(tmp_path):
    synthetic = pd.DataFrame({"id": ["-3", "-2", "x"], "value": ["-0.5", "1.25", "=1+1"]})
    path = write_csv(synthetic, tmp_path / "synthetic.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    assert back["id"].tolist() == ["-3", "-2", "x"]
    assert back["value"].tolist() == ["-0.5", "1.25", "'=1+1"]
    number = Indicator(id="v", name_zh="数值", name_en="value", channel="c", kind="number")
    assert parse_cell(back.at[0, "value"], number).value == -0.5


def test_the_output_marker_says_in_both_languages_what_it_is(tmp_path):
    """The marker's text comes from the catalogue (io.marker), English then Chinese."""
    from egoveval.io.writers import MARKER, output_dir
    from egoveval.messages import text

    with output_dir(tmp_path / "out") as tmp:
        (tmp / "synthetic.csv").write_text("x\n", encoding="utf-8")
    lines = (tmp_path / "out" / MARKER).read_text(encoding="utf-8").splitlines()
    assert lines == [text("io.marker", "en"), text("io.marker", "zh")], lines
