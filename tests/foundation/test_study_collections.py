"""A study that declares two collections: `egoveval run` reconciles first, refuses unverified
data (exit 3, pointing at discrepancies.xlsx) and analyses once a third check decided."""

from __future__ import annotations

import hashlib

import pandas as pd
import yaml
from click.testing import CliRunner

from egoveval.cli import cli
from egoveval.samples.provincial import SAMPLE_FILE, sample_study_path


def write_study(tmp_path, adjudication=None):
    spec = yaml.safe_load(sample_study_path().read_text(encoding="utf-8"))
    spec.pop("data")
    spec["collections"] = {"a": "A.csv", "b": "B.csv"}
    if adjudication:
        spec["collections"]["adjudication"] = adjudication
    spec["output"] = "out"
    spec["index"] = {"enabled": False}
    (tmp_path / "study.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return tmp_path / "study.yaml"


def _digests(*paths):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_run_reconciles_refuses_then_analyses(tmp_path):
    a = pd.read_csv(sample_study_path().parent / SAMPLE_FILE, dtype=str, keep_default_na=False,
                    encoding="utf-8-sig")
    a.to_csv(tmp_path / "A.csv", index=False, encoding="utf-8-sig")
    b = a.copy()
    b.loc[b["地区"] == "天津市", "版本更新次数"] = "99"  # collector B mistyped one count (synthetic data)
    b.to_csv(tmp_path / "B.csv", index=False, encoding="utf-8-sig")
    runner = CliRunner()
    first = runner.invoke(cli, ["run", str(write_study(tmp_path))], env={"COLUMNS": "300"}, catch_exceptions=False)
    assert first.exit_code == 3, first.output
    assert "discrepancies.xlsx" in first.output
    assert not (tmp_path / "out").exists(), "unverified data must not be analysed"
    folder = tmp_path / "out-reconciliation"
    disc = pd.read_csv(folder / "discrepancies.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(disc) == 1 and disc.at[0, "value_B"] == "99"
    disc["decision"] = "A"
    disc["checked_by"] = "third checker"
    disc["checked_at"] = "2021-03-20"
    disc["note"] = "rechecked on the platform"
    disc.to_csv(tmp_path / "C.csv", index=False, encoding="utf-8-sig")
    before = _digests(tmp_path / "A.csv", tmp_path / "B.csv", tmp_path / "C.csv")
    second = runner.invoke(cli, ["run", str(write_study(tmp_path, "C.csv"))], catch_exceptions=False)
    assert second.exit_code == 0, second.output
    assert _digests(tmp_path / "A.csv", tmp_path / "B.csv", tmp_path / "C.csv") == before
    out = tmp_path / "out"
    agreement = pd.read_csv(out / "reconciliation_agreement.csv", encoding="utf-8-sig")
    assert not agreement.empty
    quantified = pd.read_csv(out / "quantified.csv", dtype={"code": str}, encoding="utf-8-sig").set_index("code")
    assert quantified.at["120000", "ios_updates"] == int(a.loc[a["地区"] == "天津市", "版本更新次数"].iloc[0])
    audit = pd.read_csv(out / "reconciliation_audit.csv", encoding="utf-8-sig")
    assert "third checker" in audit.to_string()
    # the verified data are written with their provenance, and the observations point at them
    verified = pd.read_csv(out / "reconciliation_verified.csv", dtype=str, keep_default_na=False,
                           encoding="utf-8-sig")
    assert len(verified) == 32 * 16
    tj = verified[(verified.unit_code == "120000") & (verified.indicator == "ios_updates")].iloc[0]
    assert (tj["from"], tj["value_B"], tj["checked_by"]) == ("A", "99", "third checker")
    assert set(verified["from"]) == {"agreed", "A"} and (verified["from"] == "A").sum() == 1
    observations = pd.read_csv(out / "observations.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for unit, row in zip(observations["unit"], observations["row"].astype(int)):
        assert verified.iloc[row - 2]["unit_code"] == unit, (unit, row)  # header is row 1
        assert row - 2 == verified.index[verified.unit_code == unit][0]


def test_run_refuses_an_adjudication_file_inside_the_reconciliation_folder(tmp_path):
    """The folder is replaced whole; a C file kept in it must stop the run (exit 2), not be deleted."""
    a = pd.read_csv(sample_study_path().parent / SAMPLE_FILE, dtype=str, keep_default_na=False,
                    encoding="utf-8-sig")
    a.to_csv(tmp_path / "A.csv", index=False, encoding="utf-8-sig")
    b = a.copy()
    b.loc[b["地区"] == "天津市", "版本更新次数"] = "99"  # synthetic difference
    b.loc[b["地区"] == "北京市", "版本更新次数"] = "98"
    b.to_csv(tmp_path / "B.csv", index=False, encoding="utf-8-sig")
    runner = CliRunner()
    first = runner.invoke(cli, ["run", str(write_study(tmp_path))], catch_exceptions=False)
    assert first.exit_code == 3, first.output
    folder = tmp_path / "out-reconciliation"
    disc = pd.read_csv(folder / "discrepancies.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    disc.loc[0, ["decision", "checked_by", "checked_at"]] = ["A", "third checker", "2021-03-20"]  # one still open
    c = folder / "discrepancies.csv"
    disc.to_csv(c, index=False, encoding="utf-8-sig")
    before = _digests(tmp_path / "A.csv", tmp_path / "B.csv", c)
    second = runner.invoke(cli, ["run", str(write_study(tmp_path, "out-reconciliation/discrepancies.csv"))],
                           env={"COLUMNS": "300"}, catch_exceptions=False)
    assert second.exit_code == 2, second.output
    assert "io.output_holds_input" in second.output and "Traceback" not in second.output
    assert c.is_file() and _digests(tmp_path / "A.csv", tmp_path / "B.csv", c) == before


def test_run_refuses_units_neither_collection_holds(tmp_path):
    """Both collectors left out Tibet (synthetic): reconcile only warns, but the study's unit
    list requires every province, so run refuses as it does for a `data:` file without it."""
    a = pd.read_csv(sample_study_path().parent / SAMPLE_FILE, dtype=str, keep_default_na=False,
                    encoding="utf-8-sig")
    a = a[a["地区"] != "西藏自治区"]
    a.to_csv(tmp_path / "A.csv", index=False, encoding="utf-8-sig")
    a.to_csv(tmp_path / "B.csv", index=False, encoding="utf-8-sig")
    result = CliRunner().invoke(cli, ["run", str(write_study(tmp_path))], env={"COLUMNS": "300"},
                                catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert "obs.unit_absent" in result.output and "西藏自治区" in result.output
    assert not (tmp_path / "out").exists()
