"""City-level units: county-level units form their own group; the survey population; usual
short names of autonomous prefectures, 地区 and 盟; ambiguous names are problems."""

from __future__ import annotations

import pandas as pd
import pytest

from egoveval.errors import InputError
from egoveval.frameworks import load_framework
from egoveval.units import cities, load_units
from egoveval.units.registry import city_registry, read_reference

REFERENCE = read_reference("city_units.csv")
AUTONOMOUS = REFERENCE[REFERENCE["name"].str.endswith("自治州")]


def test_county_level_units_have_their_own_group():
    reg = cities()
    counts = reg.table["group"].value_counts().to_dict()
    assert counts == {"prefecture": 301, "key": 36, "county_level": 30}, counts
    county = set(REFERENCE.loc[REFERENCE["unit_type"] == "province_administered_county_level", "code"])
    assert set(reg.table.loc[reg.table["group"] == "county_level", "code"]) == county
    for name in ("石河子市", "济源市", "神农架林区", "五指山市"):
        assert reg.row(reg.match(name))["group"] == "county_level", name


def test_the_framework_population_is_the_36_key_and_301_prefecture_level_cities():
    fw = load_framework("city-multichannel")
    units = load_units(fw.units)
    assert units.kind == "cities" and len(units) == 337
    assert units.table["group"].value_counts().to_dict() == {"prefecture": 301, "key": 36}
    assert units.lookup("石河子") is None and units.lookup("武汉") == "420100"
    assert len(load_units("cities:county_level")) == 30


def test_unknown_city_group_is_an_input_error():
    with pytest.raises(InputError) as info:
        load_units("cities:key,towns")
    assert info.value.problems[0].rule == "units.city_groups"
    assert "towns" in info.value.problems[0].message("en")


def test_template_lists_the_survey_population(tmp_path):
    from click.testing import CliRunner

    from egoveval.cli import cli

    out = tmp_path / "t.csv"
    res = CliRunner().invoke(cli, ["template", "--framework", "city-multichannel", "--format", "csv",
                                   "--out", str(out)])
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert len(frame) == 337
    assert "石河子市" not in set(frame.iloc[:, 1])


@pytest.mark.parametrize("code, full", list(zip(AUTONOMOUS["code"], AUTONOMOUS["name"])))
def test_every_autonomous_prefecture_matches_its_usual_names(code, full):
    reg = cities()
    short = reg.row(code)["name_short"]
    assert "族" not in short and not short.endswith(("自治州", "蒙古", "哈萨克", "柯尔克孜")), short
    assert len(short) >= 2
    for name in (full, short, f"{short}州", f"{short}自治州", full.removesuffix("自治州")):
        assert reg.lookup(name) == code, f"{name}: expected {code}, got {reg.candidates(name)}"


@pytest.mark.parametrize("name, full", [
    ("恩施", "恩施土家族苗族自治州"), ("恩施州", "恩施土家族苗族自治州"), ("大理", "大理白族自治州"),
    ("凉山", "凉山彝族自治州"), ("湘西", "湘西土家族苗族自治州"), ("黔东南", "黔东南苗族侗族自治州"),
    ("阿坝", "阿坝藏族羌族自治州"), ("海北州", "海北藏族自治州"), ("延边", "延边朝鲜族自治州"),
    ("博尔塔拉", "博尔塔拉蒙古自治州"), ("巴州", None), ("伊犁", "伊犁哈萨克自治州"),
    ("克孜勒苏", "克孜勒苏柯尔克孜自治州"), ("海西州", "海西蒙古族藏族自治州"),
    ("阿里", "阿里地区"), ("大兴安岭", "大兴安岭地区"), ("喀什", "喀什地区"), ("兴安", "兴安盟"),
    ("锡林郭勒", "锡林郭勒盟"), ("阿拉善", "阿拉善盟"), ("白沙", "白沙黎族自治县"), ("白沙县", "白沙黎族自治县"),
])
def test_usual_short_names(name, full):
    reg = cities()
    if full is None:  # not a usual form the registry knows: a problem, never a guess
        assert reg.lookup(name) is None
        return
    assert reg.row(reg.match(name))["name"] == full


def test_short_names_in_the_table_drop_ethnic_names():
    reg = cities().table.set_index("code")
    assert reg.at["222400", "name_short"] == "延边" and reg.at["422800", "name_short"] == "恩施"
    assert reg.at["652800", "name_short"] == "巴音郭楞" and reg.at["632800", "name_short"] == "海西"


def test_names_shared_by_two_units_are_ambiguous_with_candidates():
    # synthetic reference rows: two autonomous prefectures whose short names coincide
    ref = pd.DataFrame({"code": ["990100", "990200", "990300"],
                        "name": ["甲乙藏族自治州", "甲乙回族自治州", "丙丁市"],
                        "province": ["青海省", "甘肃省", "河北省"],
                        "unit_type": ["prefecture_level"] * 3})
    reg = city_registry(ref)
    for name in ("甲乙", "甲乙州"):
        assert reg.lookup(name) is None
        problem = reg.problem_for(name)
        assert problem.rule == "units.ambiguous", problem
        assert "甲乙藏族自治州" in problem.message("zh") and "甲乙回族自治州" in problem.message("zh")
    assert reg.match("甲乙藏族自治州") == "990100" and reg.match("丙丁") == "990300"


def test_units_outside_the_population_are_their_own_group_with_a_warning():
    from egoveval.coverage import coverage_tables

    fw = load_framework("city-multichannel")
    ids = [i.id for i in fw.indicators]
    # synthetic values: two key cities, one prefecture-level city, two county-level units
    codes = ["110000", "420100", "130200", "659001", "429004"]
    values = pd.DataFrame([[1] * len(ids), [0] * len(ids), [1] * len(ids), [1] * len(ids), [0] * len(ids)],
                          index=codes, columns=ids)
    res = coverage_tables(values, fw, cities(), figures=False)
    a = res.adoption[(res.adoption["channel"] == "weibo") & (res.adoption["area"] == "whole_gov")]
    got = dict(zip(a["group"], zip(a["n"], a["provided"])))
    assert got == {"key": (2, 1), "prefecture": (1, 1), "county_level": (2, 1), "all": (5, 3)}, got
    warning = [w for w in res.warnings if w.key == "coverage.outside_population"]
    assert len(warning) == 1
    assert "石河子市" in warning[0].zh and "仙桃市" in warning[0].en and "2" in warning[0].en
    assert "省直辖县级单位" in warning[0].zh and "County-level" in warning[0].en
    clean = coverage_tables(values.loc[codes[:3]], fw, cities(), figures=False)
    assert not [w for w in clean.warnings if w.key == "coverage.outside_population"]
