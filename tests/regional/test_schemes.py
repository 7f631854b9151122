"""Region schemes: built-in counts, cities, XPCC, custom files and their errors."""

import pytest

from egoveval.errors import InputError
from egoveval.regional.schemes import region_scheme


def _counts(scheme, units="provinces"):
    s = region_scheme(scheme, units)
    return {r: sum(1 for v in s.mapping.values() if v == r) for r in s.regions}


def test_nbs4_and_belt3_counts_with_xpcc_in_the_west():
    assert _counts("nbs4") == {"East": 10, "Central": 6, "West": 13, "Northeast": 3}
    assert _counts("belt3") == {"East": 11, "Central": 8, "West": 13}
    assert region_scheme("nbs4").region_of("660000") == "West"
    assert region_scheme("belt3").region_of("220000") == "Central"


def test_cities_take_their_province_region():
    s = region_scheme("nbs4", "cities")
    assert s.region_of("210200") == "Northeast"  # Dalian, Liaoning
    assert region_scheme("belt3", "cities").region_of("210200") == "East"
    assert s.region_of("659001") == "West"  # Shihezi (XPCC city, Xinjiang)


def test_labels_are_translated():
    s = region_scheme("nbs4")
    assert s.label("Northeast", "zh") == "东北" and s.label("West", "en") == "West"


def test_custom_file_for_provinces_and_cities(tmp_path):
    f = tmp_path / "scheme.csv"
    rows = ["unit,region", "广东,South", "海南,South", "北京,North", "110000,North"]
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    s = region_scheme(f)
    assert s.regions == ("South", "North")
    assert s.region_of("440000") == "South" and s.region_of("310000") is None
    f2 = tmp_path / "city.csv"
    f2.write_text("unit,region\n广东,Lingnan\n深圳,Shenzhen\n", encoding="utf-8")
    c = region_scheme(f2, "cities")
    assert c.region_of("440100") == "Lingnan" and c.region_of("440300") == "Shenzhen"


def test_custom_file_gb18030(tmp_path):
    f = tmp_path / "scheme.csv"
    f.write_bytes("unit,region\n广东,南方\n北京,北方\n".encode("gb18030"))
    assert region_scheme(f).region_of("110000") == "北方"


def test_custom_file_reports_every_problem(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("unit,region\n火星,X\n广东,South\n广东,North\n北京,\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        region_scheme(f)
    rules = sorted(p.rule for p in exc.value.problems)
    assert rules == ["regional.scheme_conflict", "regional.scheme_region_empty", "units.unknown"]
    assert [p.row for p in exc.value.problems] == [2, 4, 5]
