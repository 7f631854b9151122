"""Cell parsing per indicator kind (hand-checked)."""

from datetime import date, datetime

import pytest

from egoveval.frameworks import load_framework
from egoveval.io.cells import parse_cell

FW = load_framework("provincial-channels")


@pytest.mark.parametrize("raw, indicator, expected", [
    ("1,234", "android_downloads", 1234.0),
    ("１２３", "android_downloads", 123.0),
    ("１，２３４", "android_downloads", 1234.0),
    ("1.2万", "android_downloads", 12000.0),
    (" 56 ", "ios_updates", 56.0),
    (56, "ios_updates", 56.0),
    ("3.5分", "ios_rating", 3.5),
    ("３．５", "ios_rating", 3.5),
    (4.0, "ios_rating", 4.0),
    ("是", "mp_wechat", 1), ("否", "mp_wechat", 0), ("已开通", "mp_wechat", 1), ("未开通", "mp_wechat", 0),
    ("yes", "mp_wechat", 1), (1, "mp_wechat", 1), ("√", "mp_wechat", 1),
    ("全部开通", "mp_alipay", 2), ("部分开通", "mp_alipay", 1), ("未开通", "mp_alipay", 0), ("all", "mp_alipay", 2),
    (2, "mp_alipay", 2),
    ("2019年3月5日", "ios_release", date(2019, 3, 5)),
    ("2019-03-05", "ios_release", date(2019, 3, 5)),
    ("2019/3/5", "ios_release", date(2019, 3, 5)),
    ("20190305", "ios_release", date(2019, 3, 5)),
    (43529, "ios_release", date(2019, 3, 5)),
    ("43529", "ios_release", date(2019, 3, 5)),
    (20000, "ios_release", date(1954, 10, 3)),  # the smallest number read as an Excel serial
    (datetime(2019, 3, 5, 10, 0), "ios_release", date(2019, 3, 5)),
])
def test_accepted_forms(raw, indicator, expected):
    cell = parse_cell(raw, FW.indicator(indicator))
    assert cell.status == "ok", f"{raw!r} for {indicator}: {cell}"
    assert cell.value == expected, f"{raw!r}: expected {expected!r}, got {cell.value!r}"


def test_1904_date_system():
    cell = parse_cell(42067, FW.indicator("ios_release"), datetime(1904, 1, 1))
    assert cell.value == date(2019, 3, 5)


@pytest.mark.parametrize("raw, indicator, rule", [
    ("abc", "android_downloads", "cell.not_number"),
    ("12.5", "android_downloads", "cell.not_integer"),
    ("-3", "android_downloads", "cell.out_of_range"),
    ("6分", "ios_rating", "cell.out_of_range"),
    ("也许", "mp_wechat", "cell.not_level"),
    ("3", "mp_alipay", "cell.not_level"),
    ("2019年2月30日", "ios_release", "cell.bad_date"),
    ("昨天", "ios_release", "cell.not_date"),
    (2019, "ios_release", "cell.number_not_date"),  # a year, not Excel's 1905-07-11
    ("2019", "ios_release", "cell.number_not_date"),
    (2019.0, "ios_release", "cell.number_not_date"),
    (19999, "ios_release", "cell.number_not_date"),
    ("#N/A", "android_downloads", "cell.excel_error"),
    ("#VALUE!", "mp_wechat", "cell.excel_error"),
    ("35%", "android_downloads", "cell.percent_not_share"),
])
def test_rejected_forms(raw, indicator, rule):
    cell = parse_cell(raw, FW.indicator(indicator))
    assert cell.status == "error" and cell.rule == rule, f"{raw!r}: expected {rule}, got {cell}"


@pytest.mark.parametrize("raw, status", [(None, "missing"), ("", "missing"), ("  ", "missing"), ("N/A", "missing"),
                                         ("—", "missing"), ("未建设", "unbuilt"), ("not built", "unbuilt")])
def test_missing_and_unbuilt(raw, status):
    assert parse_cell(raw, FW.indicator("ios_updates")).status == status


def test_a_numeric_table_parses_each_cell_once(tmp_path, monkeypatch):
    """Choosing the numeric columns and reading their values use the same parsed cells."""
    import egoveval.io.numeric as numeric

    calls = []
    original = numeric.parse_cell
    monkeypatch.setattr(numeric, "parse_cell", lambda value, *a, **kw: calls.append(value) or original(value, *a, **kw))
    path = tmp_path / "synthetic.csv"
    path.write_text("id,x,y,note\nA,1,2,text\nB,3,4,more text\nC,5,,x\n", encoding="utf-8")
    table = numeric.read_numeric_table(path, "id", allow_missing=True)
    assert list(table.data.columns) == ["x", "y"] and table.data.loc["A", "y"] == 2.0
    assert len(calls) == 3 * 3, calls  # three non-id columns × three rows, each cell once
