"""A study that declares two collections: `egoveval run` reconciles first, refuses unverified
data (exit 3, pointing at discrepancies.xlsx) and analyses once a third check decided."""

from __future__ import annotations

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
    second = runner.invoke(cli, ["run", str(write_study(tmp_path, "C.csv"))], catch_exceptions=False)
    assert second.exit_code == 0, second.output
    out = tmp_path / "out"
    agreement = pd.read_csv(out / "reconciliation_agreement.csv", encoding="utf-8-sig")
    assert not agreement.empty
    quantified = pd.read_csv(out / "quantified.csv", dtype={"code": str}, encoding="utf-8-sig").set_index("code")
    assert quantified.at["120000", "ios_updates"] == int(a.loc[a["地区"] == "天津市", "版本更新次数"].iloc[0])
    audit = pd.read_csv(out / "reconciliation_audit.csv", encoding="utf-8-sig")
    assert "third checker" in audit.to_string()
