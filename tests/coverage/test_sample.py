"""The synthetic city sample: bundled files = generator output; calibration reproduces the
published rates within sampling error; the framework loads and the sample reads."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import pytest

from egoveval.coverage import coverage_layout, coverage_tables, published_benchmarks
from egoveval.frameworks import framework_table, load_framework
from egoveval.io.observations import read_observations
from egoveval.samples import city
from egoveval.units import cities


@pytest.fixture(scope="module")
def framework():
    return load_framework("city-multichannel")


@pytest.fixture(scope="module")
def observations(framework):
    return read_observations(city.city_study_path().with_name(city.SAMPLE_FILE), framework, cities(),
                             expect_all_units=False)


@pytest.fixture(scope="module")
def result(observations, framework):
    return coverage_tables(observations, framework, cities(), published_benchmarks(coverage_layout(framework)),
                           figures=False, synthetic=True)


def test_framework_is_seven_channels_by_six_areas(framework):
    assert [c.name_zh for c in framework.channels] == ["政务微博", "政务微信", "政务微门户", "在线办事大厅",
                                                      "在线咨询", "电子邮箱", "服务热线"]
    assert [a.name_zh for a in framework.areas] == ["整体政府综合服务", "住房", "教育", "交通", "医疗", "环保"]
    assert framework.units == "cities:key,prefecture" and len(framework.indicators) == 42
    for ind in framework.indicators:
        assert ind.kind == "binary" and ind.id == f"{ind.channel}__{ind.area}"
        assert ind.definition_zh and ind.definition_en and ind.weight == 1
    table = framework_table(framework)
    assert list(table.columns[6:9]) == ["area_id", "area_zh", "area_en"]
    assert "area_id" not in framework_table(load_framework("provincial-channels"))


def test_bundled_files_equal_the_generator(tmp_path):
    data, study = city.write_city_sample(tmp_path)
    bundled = resources.files("egoveval.samples").joinpath("data")
    assert data.read_bytes() == bundled.joinpath(city.SAMPLE_FILE).read_bytes()
    assert study.read_bytes() == bundled.joinpath(city.STUDY_FILE).read_bytes()
    assert (tmp_path / city.UNITS_FILE).read_bytes() == bundled.joinpath(city.UNITS_FILE).read_bytes()
    assert "synthetic: true" in study.read_text(encoding="utf-8")
    assert "synthetic" in city.SAMPLE_FILE and "synthetic" in city.STUDY_FILE


def test_sample_reads_with_collector_cells(observations):
    assert observations.values.shape == (337, 42)
    raw = set(observations.raw.stack())
    assert raw == {"是", "否", "已开通", "未开通"}
    assert set(observations.values.stack()) == {0, 1}
    groups = cities().table.set_index("code").loc[observations.values.index, "group"]
    assert groups.value_counts().to_dict() == {"prefecture": 301, "key": 36}


def test_sample_study_file_loads_with_its_survey_population():
    from egoveval.pipeline import stage_load
    from egoveval.result import Result
    from egoveval.study import load_study

    study = load_study(city.city_study_path())
    assert study.synthetic and study.spec["framework"] == "city-multichannel"
    loaded = stage_load(study, Result.empty({}))  # every unit of the list must be in the data
    units = loaded.values["units"]
    assert len(units) == 337 and units.table["group"].value_counts().to_dict() == {"prefecture": 301, "key": 36}
    assert set(units.table["region4"]) == {"East", "Central", "West", "Northeast"}
    assert loaded.values["observations"].values.shape == (337, 42)


def test_reconcile_two_collections_of_the_sample(tmp_path):
    from click.testing import CliRunner

    from egoveval.cli import cli

    data = city.city_study_path().with_name(city.SAMPLE_FILE)
    rows = data.read_text(encoding="utf-8-sig").splitlines()
    cells = rows[1].split(",")
    cells[1] = "否" if cells[1] in ("是", "已开通") else "是"
    b = tmp_path / "B.csv"
    b.write_text("\n".join([rows[0], ",".join(cells), *rows[2:]]) + "\n", encoding="utf-8-sig")
    res = CliRunner().invoke(cli, ["reconcile", str(data), str(b), "--framework", "city-multichannel",
                                   "--units", str(data.with_name(city.UNITS_FILE)), "--out", str(tmp_path / "r")])
    assert res.exit_code == 3, res.output  # exactly one discrepancy awaits the third check
    assert "1 of 1" in res.output


def test_published_rates_lie_within_sampling_error(framework, observations):
    """The closing note of issue 7: on the bundled sample every published figure lies inside the
    99 % Wilson interval of its measured rate and no exact binomial test rejects it at 1 %; the
    measured rates are draws, not the published figures by construction."""
    res = coverage_tables(observations, framework, cities(), published_benchmarks(coverage_layout(framework)),
                          figures=False, level=0.99)
    comp = res.comparison
    assert len(comp) == 12  # every published figure of seed 003
    for row in comp.itertuples():
        assert row.within_ci and row.binom_p > 0.01, row
    whole = 1 / 36  # one key city
    assert (comp["difference"].abs() > whole / 2).any(), comp[["channel", "area", "group", "difference"]]


def _published_measured(values) -> dict:
    """The twelve published figures' measured rates from a generated 0/1 frame (by hand)."""
    groups = city.survey_units().set_index("code")["group"].reindex(values.index)
    out = {}
    for (group, area), rates in city.PUBLISHED.items():
        rows = values if group == "all" else values[(groups == group).to_numpy()]
        for channel in rates:
            cols = [f"{channel}__{a}" for a in city.AREAS] if area == "all" else [f"{channel}__{area}"]
            out[(channel, area, group)] = float(rows[cols].to_numpy().mean())
    return out


def test_generator_is_calibrated_on_average():
    """Across seeds, the mean measured rate of each published figure equals the published rate
    within 4 standard errors of that mean (the probabilities, not the counts, are calibrated)."""
    draws = pd.DataFrame([_published_measured(city.generate_city(seed)) for seed in range(20)])
    for (channel, area, group), column in draws.items():
        target = city.PUBLISHED[(group, area)][channel]
        se = column.std(ddof=1) / np.sqrt(len(column))
        assert column.std(ddof=1) > 0, (channel, area, group)  # the rate varies from seed to seed
        assert abs(column.mean() - target) < 4 * se + 1e-9, (channel, area, group, column.mean(), target, se)


def test_calibration_probabilities_reproduce_the_published_figures():
    cal = city.calibration()
    n = cal.drop_duplicates("group").set_index("group")["n"]
    rate = cal.set_index(["group", "channel", "area"])["rate"].sort_index()
    for channel in ("weibo", "wechat", "microportal"):
        for group in ("key", "prefecture"):
            pooled = rate.loc[(group, channel)].mean()  # six areas, equal weight
            assert pooled == pytest.approx(city.PUBLISHED[(group, "all")][channel], abs=1e-12)
        national = (n["key"] * rate[("key", channel, "whole_gov")] +
                    n["prefecture"] * rate[("prefecture", channel, "whole_gov")]) / n.sum()
        assert national == pytest.approx(city.PUBLISHED[("all", "whole_gov")][channel], abs=1e-12)
        assert rate[("key", channel, "whole_gov")] == city.PUBLISHED[("key", "whole_gov")][channel]


def test_regional_gradient(result):
    r = result.by_region
    whole = r[(r.group == "prefecture") & (r.area == "whole_gov")].groupby("region")
    east = whole.apply(lambda g: g["provided"].sum() / g["n"].sum(), include_groups=False)
    assert east["East"] > east["Central"] > east["West"]
    assert (result.tests.query("area != 'whole_gov' and channel == 'weibo'")["difference"] > 0).all()


def test_generator_is_seeded_and_draws():
    assert city.generate_city(1).equals(city.generate_city(1))
    assert city.generate_city(city.SAMPLE_SEED).equals(city.generate_city())
    one, two = city.generate_city(1), city.generate_city(2)
    assert not one.equals(two)
    assert (one.sum() != two.sum()).any()  # counts are drawn, not fixed
