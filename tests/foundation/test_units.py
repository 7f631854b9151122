"""Unit registries and name matching (hand-checked cases)."""

import pytest

from egoveval.errors import InputError
from egoveval.units import cities, provinces


@pytest.mark.parametrize("name, code", [
    ("北京", "110000"), ("北京市", "110000"), ("京", "110000"), ("Beijing", "110000"), ("ＢＥＩＪＩＮＧ", "110000"),
    (" 北 京 ", "110000"), ("北京\u3000市", "110000"), ("11", "110000"), ("110000", "110000"),
    ("广西壮族自治区", "450000"), ("广西", "450000"), ("桂", "450000"), ("内蒙古自治区", "450000" if False else "150000"),
    ("内蒙", "150000"), ("新疆", "650000"), ("新疆维吾尔自治区", "650000"), ("新", "650000"),
    ("新疆生产建设兵团", "660000"), ("兵团", "660000"), ("新疆兵团", "660000"), ("XPCC", "660000"),
    ("Shanxi", "140000"), ("Shaanxi", "610000"), ("陕", "610000"), ("秦", "610000"), ("晋", "140000"),
    ("上海", "310000"), ("沪", "310000"), ("申", "310000"), ("西藏", "540000"), ("Xizang", "540000"),
])
def test_province_names_match(name, code):
    got = provinces().match(name)
    assert got == code, f"{name!r}: expected {code}, got {got}"


@pytest.mark.parametrize("name", ["新疆生产建设兵团", "兵团", "新疆兵团", "Bingtuan"])
def test_xpcc_never_matches_xinjiang(name):
    assert provinces().match(name) == "660000"
    assert provinces().match(name) != provinces().match("新疆")


def test_no_substring_or_prefix_guessing():
    reg = provinces()
    for name in ("新疆生产", "新疆建设", "兵", "北", "江"):
        assert reg.lookup(name) is None, f"{name!r} must not match anything"


def test_unknown_name_lists_closest_candidates():
    with pytest.raises(InputError) as info:
        provinces().match("黑龙江省份")
    problem = info.value.problems[0]
    assert problem.rule == "units.unknown"
    assert "黑龙江" in problem.message("zh")
    assert "candidates" in problem.message("en")


def test_registry_has_32_units_with_regions():
    reg = provinces()
    table = reg.table
    assert len(table) == 32
    assert table["region4"].value_counts().to_dict() == {"West": 13, "East": 10, "Central": 6, "Northeast": 3}
    assert table["region3"].value_counts().to_dict() == {"West": 13, "East": 11, "Central": 8}
    assert reg.row("660000")["region4"] == "West"


def test_cities_take_their_provinces_region_and_group():
    reg = cities()
    assert (reg.table["group"] == "key").sum() == 36
    shenzhen = reg.row(reg.match("深圳"))
    assert shenzhen["group"] == "key" and shenzhen["region4"] == "East"
    # 吉林市 (a city) and 吉林省 (a province) are different registries
    assert reg.match("吉林市") == "220200"
    assert reg.row(reg.match("石河子市"))["region4"] == "West"


def test_custom_unit_list_and_ambiguous_alias(tmp_path):
    from egoveval.units import load_units

    path = tmp_path / "units.csv"
    path.write_text("code,name,province,aliases\nA1,东区政务中心,北京,中心|东区\nB2,西区政务中心,上海,中心|西区\n",
                    encoding="utf-8")
    reg = load_units(path)
    assert reg.match("东区") == "A1" and reg.match("西区政务中心") == "B2"
    assert reg.row("B2")["region4"] == "East"  # taken from the province
    problem = reg.problem_for("中心")
    assert problem.rule == "units.ambiguous"
    assert "东区政务中心" in problem.message("zh") and "西区政务中心" in problem.message("zh")


@pytest.mark.parametrize("name, expected", [("山", {"山东省", "山西省"}), ("江", {"江苏省", "江西省"})])
def test_a_shared_first_character_is_ambiguous_with_candidates(name, expected):
    reg = provinces()
    assert reg.lookup(name) is None
    problem = reg.problem_for(name)
    assert problem.rule == "units.ambiguous", problem
    assert all(n in problem.message("zh") and n in problem.message("en") for n in expected)


def test_a_city_named_like_its_province_is_not_the_province():
    reg = provinces()
    problem = reg.problem_for("吉林市")
    assert problem is not None and problem.rule == "units.unknown"
    assert "吉林省" in problem.message("zh")
    for city in ("长春市", "吉林 市"):
        assert reg.lookup(city) is None, city


@pytest.mark.parametrize("name, code", [("北京市", "110000"), ("天津市", "120000"), ("上海市", "310000"),
                                        ("重庆市", "500000"), ("吉林省", "220000"), ("重庆 市", "500000")])
def test_municipalities_and_provinces_keep_their_suffixes(name, code):
    assert provinces().match(name) == code
