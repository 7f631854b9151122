"""Malformed inputs: each gives the right bilingual message naming the problem, exit code 2,
no traceback and no half-written output folder."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from openpyxl import Workbook

from egoveval.cli import cli
from egoveval.messages import catalogue
from egoveval.samples.provincial import SAMPLE_FILE, sample_study_path

SAMPLE_CSV = sample_study_path().parent / SAMPLE_FILE


def sample_frame() -> pd.DataFrame:
    return pd.read_csv(SAMPLE_CSV, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def write_csv(frame: pd.DataFrame, path: Path, encoding="utf-8-sig") -> Path:
    frame.to_csv(path, index=False, encoding=encoding)
    return path


def edited(tmp_path, edit, name="data.csv"):
    frame = sample_frame()
    frame = edit(frame) if edit else frame
    return write_csv(frame, tmp_path / name)


def set_cell(unit, column, value):
    def edit(frame):
        frame.loc[frame["地区"] == unit, column] = value
        return frame
    return edit


def invoke(args):
    runner = CliRunner()
    return runner.invoke(cli, args, env={"COLUMNS": "2000"}, catch_exceptions=False)  # wide: no wrapping


def _literal_parts(template: str) -> list[str]:
    """The fixed text of a catalogue template, split where its {placeholders} go."""
    parts = re.split(r"(?<!\{)\{[^{}]*\}(?!\})", template)
    return [" ".join(p.replace("{{", "{").replace("}}", "}").split()) for p in parts if p.strip()]


def check(result, rule, *fragments):
    text = result.output
    assert result.exit_code == 2, f"expected exit 2, got {result.exit_code}: {text}"
    assert "Traceback" not in text
    assert rule in text, f"rule {rule} not reported in:\n{text}"
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in output:\n{text}"
    flat = " ".join(text.split())
    for lang in ("zh", "en"):  # the rule's own message, as the catalogue words it, in both languages
        for part in _literal_parts(catalogue()[rule][lang]):
            assert part in flat, f"{lang} message of {rule} ({part!r}) not in output:\n{text}"


# -- `egoveval validate` on a broken data file -----------------------------------
CASES = {
    "wrong encoding": ("地区,x\n".encode("utf-16"), "io.encoding"),
    "empty file": (b"", "io.empty"),
    "header only": ("地区,个人服务项目数\n".encode(), "io.empty"),
    "blank header over data": ("地区,,个人服务项目数\n北京,3,4\n".encode(), "io.blank_header"),
    "duplicate header": ("地区,应用评分,应用评分\n北京,3,4\n".encode(), "io.duplicate_header"),
    "no unit column": ("省名,应用评分\n北京,3\n".encode(), "obs.no_unit_column"),
    "xlsx saved as csv": (b"PK\x03\x04" + b"\0" * 64, "io.xlsx_named_csv"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_files(tmp_path, case):
    content, rule = CASES[case]
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    check(invoke(["validate", str(path)]), rule, "data.csv")


EDITS = {
    "unknown unit": (set_cell("北京市", "地区", "北平"), "units.unknown", "北平"),
    "unit name like closing markup": (set_cell("北京市", "地区", "[/x]北京"), "units.unknown", "[/x]北京"),
    "unit name like markup": (set_cell("北京市", "地区", "[bold]北京[/bold]"), "units.unknown", "[bold]北京[/bold]"),
    "duplicate unit": (lambda f: pd.concat([f, f.iloc[[0]]]), "obs.duplicate_unit", "北京市"),
    "missing unit": (lambda f: f.iloc[1:], "obs.unit_absent", "北京市"),
    "blank unit name": (set_cell("天津市", "地区", ""), "obs.blank_unit"),
    "missing column": (lambda f: f.drop(columns=["评分人次"]), "obs.missing_column", "ios_rating_count"),
    "extra column": (lambda f: f.assign(**{"网站访问量": "1"}), "obs.unknown_column", "网站访问量"),
    "text in numeric cell": (set_cell("天津市", "版本更新次数", "很多"), "cell.not_number", "很多"),
    "rating out of range": (set_cell("天津市", "应用评分", "6.2分"), "cell.out_of_range", "6.2分"),
    "count not whole": (set_cell("天津市", "评分人次", "12.5"), "cell.not_integer"),
    "unknown yes/no label": (set_cell("天津市", "微信小程序开通情况", "也许"), "cell.not_level", "也许"),
    "impossible date": (set_cell("天津市", "应用发布日期", "2019年2月30日"), "cell.bad_date"),
    "bare year as a date": (set_cell("天津市", "应用发布日期", "2019"), "cell.number_not_date", "2019"),
    "excel error value": (set_cell("天津市", "应用商城下载量", "#N/A"), "cell.excel_error"),
    "unbuilt where not allowed": (set_cell("天津市", "个人服务项目数", "未建设"), "obs.unbuilt_not_allowed"),
    "unbuilt mixed with values": (set_cell("天津市", "应用评分", "未建设"), "obs.unbuilt_mixed"),
}


@pytest.mark.parametrize("case", sorted(EDITS))
def test_broken_cells(tmp_path, case):
    edit, rule, *fragments = EDITS[case]
    path = edited(tmp_path, edit)
    check(invoke(["validate", str(path)]), rule, *fragments)


def test_all_problems_reported_at_once(tmp_path):
    def edit(frame):
        frame = set_cell("天津市", "应用评分", "6.2分")(frame)
        frame = set_cell("河北省", "版本更新次数", "很多")(frame)
        return set_cell("山西省", "地区", "北平")(frame)
    result = invoke(["validate", str(edited(tmp_path, edit))])
    for rule in ("cell.out_of_range", "cell.not_number", "units.unknown", "obs.unit_absent"):
        assert rule in result.output
    assert result.exit_code == 2


def test_file_not_found_and_folder(tmp_path):
    check(invoke(["validate", str(tmp_path / "nope.csv")]), "io.not_found")
    check(invoke(["validate", str(tmp_path)]), "io.is_dir")


def test_old_xls_and_broken_xlsx(tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    check(invoke(["validate", str(tmp_path / "old.xls")]), "io.format")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip at all")
    check(invoke(["validate", str(tmp_path / "broken.xlsx")]), "io.bad_xlsx")


def test_missing_sheet(tmp_path):
    wb = Workbook()
    wb.active.title = "数据"
    frame = sample_frame()
    wb.active.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        wb.active.append(list(row))
    wb.save(tmp_path / "data.xlsx")
    check(invoke(["validate", str(tmp_path / "data.xlsx"), "--sheet", "Sheet9"]), "io.sheet_missing", "数据")
    ok = invoke(["validate", str(tmp_path / "data.xlsx")])
    assert ok.exit_code == 0, ok.output


def test_gb18030_and_bom_files_are_read(tmp_path):
    frame = sample_frame()
    for enc in ("gb18030", "utf-8", "utf-8-sig"):
        path = write_csv(frame, tmp_path / f"{enc}.csv", encoding=enc)
        result = invoke(["validate", str(path)])
        assert result.exit_code == 0, f"{enc}: {result.output}"


# -- `egoveval run` on a broken study ---------------------------------------------
def make_study(tmp_path, data_edit=None, **changes) -> Path:
    spec = yaml.safe_load(sample_study_path().read_text(encoding="utf-8"))
    data = edited(tmp_path, data_edit, name="collection.csv")
    spec["data"] = data.name
    spec["output"] = "out"
    spec.update(changes)
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


RUN_CASES = {
    "unknown study key": (dict(clusters={"k": 4}), None, "study.unknown_key", "cluster"),
    "invalid setting": (dict(cluster={"k": "four"}), None, "settings.invalid", "cluster.k"),
    "unknown setting": (dict(cluster={"kk": 4}), None, "settings.unknown", "cluster.k"),
    "missing value": ({}, set_cell("天津市", "评分人次", ""), "quantify.missing", "评分人次"),
    "date after collection": ({}, set_cell("天津市", "应用发布日期", "2022-01-01"), "quantify.after_collection"),
    "data file absent": (dict(data="nowhere.csv"), None, "study.file_missing", "nowhere.csv"),
    "wrong label count": (dict(types={"labels": ["甲", "乙"]}), None, "pipeline.labels_count"),
}


@pytest.mark.parametrize("case", sorted(RUN_CASES))
def test_broken_studies_write_nothing(tmp_path, case):
    changes, edit, rule, *fragments = RUN_CASES[case]
    study = make_study(tmp_path, edit, **changes)
    before = sorted(p.name for p in tmp_path.iterdir())
    check(invoke(["run", str(study)]), rule, *fragments)
    after = sorted(p.name for p in tmp_path.iterdir())
    assert after == before, f"output left behind: {set(after) - set(before)}"


def test_broken_yaml(tmp_path):
    path = tmp_path / "study.yaml"
    path.write_text("framework: [unclosed\n", encoding="utf-8")
    check(invoke(["run", str(path)]), "study.yaml")


def test_inputs_are_never_modified(tmp_path):
    study = make_study(tmp_path)
    data = tmp_path / "collection.csv"
    before = (study.read_bytes(), data.read_bytes(), data.stat().st_mtime_ns)
    result = invoke(["run", str(study)])
    assert result.exit_code == 0, result.output
    assert (study.read_bytes(), data.read_bytes(), data.stat().st_mtime_ns) == before


def test_formula_without_stored_result_is_a_problem_not_a_blank(tmp_path):
    # openpyxl writes formulas without computing them, as some export tools do
    wb = Workbook()
    frame = sample_frame()
    wb.active.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        wb.active.append(list(row))
    wb.active["C3"] = "=C2*2"
    wb.save(tmp_path / "formula.xlsx")
    result = invoke(["validate", str(tmp_path / "formula.xlsx")])
    check(result, "io.formula_uncached", "=C2*2", "formula.xlsx")
    assert "C" in result.output and " 3 " in result.output
