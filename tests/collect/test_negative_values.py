"""Negative numbers survive the whole double collection: A and B → reconcile → a third check
that re-collects a negative value → verified.csv → read back as a study's ``data:`` file.
Plain numbers held as text (``-0.5``) are written as they are, not prefixed with ' as formulas
would be, so the loader reads them as numbers. Framework, units and values are synthetic."""

from __future__ import annotations

import pandas as pd
import pytest

from egoveval.cli.reconcile import reconcile
from egoveval.pipeline import stage_load
from egoveval.result import Result
from egoveval.study import load_study

from .conftest import read_out, run_cli

FRAMEWORK = """\
id: synthetic-negatives
version: 1
name: {zh: 合成指标体系（含负值）, en: Synthetic framework with negative values}
citation: {zh: 合成数据, en: synthetic data}
units: units_synthetic.csv
channels:
  - id: finance
    name_zh: 财政
    name_en: Finance
    where: {zh: 合成, en: synthetic}
    can_be_unbuilt: false
    indicators:
      - id: balance_change
        name_zh: 收支变化
        name_en: Balance change
        kind: number
        unit: {zh: 亿元, en: 100 million yuan}
        range: [-100, 100]
        decimals: 2
        tolerance: {abs: 0.1}
        definition: {zh: 合成指标, en: synthetic indicator}
      - id: items
        name_zh: 事项数
        name_en: Items
        kind: count
        unit: {zh: 项, en: items}
        range: [0, null]
        definition: {zh: 合成指标, en: synthetic indicator}
"""


@pytest.fixture()
def study_dir(tmp_path):
    (tmp_path / "framework_synthetic.yaml").write_text(FRAMEWORK, encoding="utf-8")
    (tmp_path / "units_synthetic.csv").write_text("code,name\nc1,甲市\nc2,乙市\nc3,丙市\n", encoding="utf-8")
    (tmp_path / "A.csv").write_text("地区,收支变化,事项数\n甲市,-0.5,3\n乙市,-12.25,4\n丙市,+2.5,5\n",
                                    encoding="utf-8")
    (tmp_path / "B.csv").write_text("地区,收支变化,事项数\n甲市,-0.55,3\n乙市,-11,4\n丙市,2.5,5\n",
                                    encoding="utf-8")
    return tmp_path


def test_negative_values_round_trip_to_a_data_file(study_dir):
    d = study_dir
    args = [d / "A.csv", d / "B.csv", "--framework", d / "framework_synthetic.yaml", "--units",
            d / "units_synthetic.csv"]
    first = run_cli(reconcile, [*args, "--out", d / "first"])
    assert first.exit_code == 3, first.output
    disc = read_out(d / "first" / "discrepancies.csv")
    assert disc[["unit", "value_A", "value_B"]].values.tolist() == [["乙市", "-12.25", "-11"]]
    disc[["decision", "value", "source", "checked_by", "checked_at"]] = \
        ["value", "-12.3", "https://example.org/synthetic", "synthetic checker", "2021-03-20"]
    disc.to_csv(d / "C.csv", index=False, encoding="utf-8-sig")
    final = run_cli(reconcile, [*args, "--adjudication", d / "C.csv", "--out", d / "final"])
    assert final.exit_code == 0, final.output
    text = (d / "final" / "verified.csv").read_text(encoding="utf-8-sig")
    assert "'-" not in text  # numbers are written as numbers
    verified = read_out(d / "final" / "verified.csv").set_index(["unit_code", "indicator"])
    assert verified.loc[("c1", "balance_change"), ["value", "from"]].tolist() == ["-0.5", "agreed"]
    assert verified.loc[("c2", "balance_change"), ["value", "from"]].tolist() == ["-12.3", "third_check"]
    # verified.csv as the study's data file: the loader reads every value back as the number it was
    spec = (f"title: {{zh: 合成研究, en: synthetic study}}\nsynthetic: true\nframework: framework_synthetic.yaml\n"
            f"units: units_synthetic.csv\ndata: final/verified.csv\noutput: out\n")
    (d / "study.yaml").write_text(spec, encoding="utf-8")
    study = load_study(d / "study.yaml")
    result = stage_load(study, Result.empty(study.spec))
    obs = result.values["observations"]
    assert obs.values.loc[["c1", "c2", "c3"], "balance_change"].tolist() == [-0.5, -12.3, 2.5]
    assert set(obs.status["balance_change"]) == {"ok"}
    assert pd.api.types.is_float(obs.values.at["c2", "balance_change"])
