"""The issue's round trip: template → two synthetic collections with planted differences →
reconcile finds exactly those → an adjudication resolves them → verified = intended truth."""

from __future__ import annotations

import copy
from datetime import datetime

import pandas as pd
import pytest

from egoveval.cli.reconcile import reconcile
from egoveval.collect.reconcile import reconcile_collections
from egoveval.collect.values import canonical
from egoveval.io.cells import parse_cell

from .conftest import UNBUILT, fill_template, read_out, run_cli, synthetic_truth

BJ, TJ, HE, SX, SH, JS, ZJ, GD, XZ, QH, SD, CQ = ("110000", "120000", "130000", "140000", "310000", "320000",
                                                  "330000", "440000", "540000", "630000", "370000", "500000")
ANDROID = ("android_stores", "android_latest", "android_rating", "android_downloads")


def _plan():
    """Truth, the two synthetic collections, the planted differences and their resolution."""
    truth = synthetic_truth()
    truth[SX]["local_legal_login"] = None  # nobody found it: blank in both files → not a difference
    for ind in ANDROID:  # Qinghai has no Android app: unbuilt in both files
        truth[QH][ind] = UNBUILT
    truth[ZJ]["android_rating"] = 4.10
    truth[SD]["android_rating"] = 4.10
    truth[ZJ]["android_downloads"] = 1_000_000
    truth[SD]["android_downloads"] = 1_000_000
    a = copy.deepcopy(truth)
    b = copy.deepcopy(truth)
    # planted: (unit, indicator) -> (kind, decision, value in C or None)
    planted: dict[tuple[str, str], tuple[str, str, object]] = {}
    b[BJ]["nat_personal_items"] = truth[BJ]["nat_personal_items"] + 5
    planted[(BJ, "nat_personal_items")] = ("value", "A", None)
    b[ZJ]["android_rating"] = 4.15  # tolerance edge (abs 0.05): agrees
    b[SD]["android_rating"] = 4.16  # just beyond: a difference
    planted[(SD, "android_rating")] = ("value", "A", None)
    b[ZJ]["android_downloads"] = 1_010_000  # rel 0.01 of the larger value: agrees
    b[SD]["android_downloads"] = 1_011_000  # beyond
    planted[(SD, "android_downloads")] = ("value", "A", None)
    a[TJ]["ios_updates"] = None
    planted[(TJ, "ios_updates")] = ("missing in A", "B", None)
    b[HE]["mp_wechat"] = None
    planted[(HE, "mp_wechat")] = ("missing in B", "A", None)
    a[GD]["mp_alipay"] = 2 if truth[GD]["mp_alipay"] != 2 else 1
    planted[(GD, "mp_alipay")] = ("value", "B", None)
    # the same date written differently agrees; a different date does not
    b[CQ]["ios_release"] = truth[CQ]["ios_release"].strftime("%Y年%-m月%-d日")
    a[JS]["ios_release"] = datetime(2015, 1, 1) if truth[JS]["ios_release"].year != 2015 else datetime(2016, 1, 1)
    planted[(JS, "ios_release")] = ("value", "B", None)
    # both wrong: the third check re-collects the value
    a[JS]["ios_rating_count"] = truth[JS]["ios_rating_count"] + 1000
    b[JS]["ios_rating_count"] = truth[JS]["ios_rating_count"] + 3000
    planted[(JS, "ios_rating_count")] = ("value", "value", truth[JS]["ios_rating_count"])
    # a unit missing from B; a duplicate unit in A (second row differs in one cell)
    for ind in truth[XZ]:
        planted[(XZ, ind)] = ("unit missing from a file", "A", None)
    dup = copy.deepcopy(truth[SH])
    dup["ios_updates"] = truth[SH]["ios_updates"] + 7
    for ind in truth[SH]:
        planted[(SH, ind)] = ("duplicate unit", "B" if ind == "ios_updates" else "A", None)
    return truth, a, b, dup, planted


@pytest.fixture(scope="module")
def collections(tmp_path_factory, template_path):
    truth, a, b, dup, planted = _plan()
    d = tmp_path_factory.mktemp("roundtrip")
    a_path = fill_template(template_path, d / "A_synthetic.xlsx", a, duplicate={SH: dup},
                           notes={BJ: "=HYPERLINK(\"http://evil.example\",\"x\")"},
                           sources={BJ: "@SUM(1+1)"})
    b_path = fill_template(template_path, d / "B_synthetic.xlsx", {k: v for k, v in b.items() if k != XZ},
                           drop=(XZ,))
    return truth, a_path, b_path, planted, d


def _fill_c(disc: pd.DataFrame, planted, who="王五 (synthetic)") -> pd.DataFrame:
    c = disc.copy()
    for i, row in c.iterrows():
        kind, decision, value = planted[(row["unit_code"], row["indicator"])]
        c.loc[i, "decision"] = decision
        c.loc[i, "value"] = "" if value is None else str(value)
        c.loc[i, "checked_by"] = who
        c.loc[i, "checked_at"] = "2021-03-20"
        c.loc[i, "source"] = "https://example.org/synthetic" if decision == "value" else ""
        c.loc[i, "note"] = "re-collected on the platform" if decision == "value" else f"{decision} matches the platform"
    return c


def test_reconcile_finds_exactly_the_planted_differences(collections, tmp_path):
    truth, a_path, b_path, planted, _ = collections
    out = tmp_path / "out"
    result = run_cli(reconcile, [a_path, b_path, "--out", out])
    assert result.exit_code == 3, result.output
    assert not (out / "verified.csv").exists()
    disc = read_out(out / "discrepancies.csv")
    found = {(r.unit_code, r.indicator): r.kind for r in disc.itertuples()}
    expected = {k: v[0] for k, v in planted.items()}
    assert found == expected, f"expected {sorted(set(expected) ^ set(found))} to be empty"
    assert (disc[["decision", "value", "source", "checked_by", "note"]] == "").all().all()
    for name in ("discrepancies.xlsx", "agreement.csv", "audit.csv", "manifest.json"):
        assert (out / name).exists(), name


def test_adjudication_resolves_to_the_truth_with_provenance(collections, tmp_path):
    truth, a_path, b_path, planted, d = collections
    first = tmp_path / "first"
    run_cli(reconcile, [a_path, b_path, "--out", first])
    c = _fill_c(read_out(first / "discrepancies.csv"), planted)
    c_path = tmp_path / "C_synthetic.csv"
    c.to_csv(c_path, index=False, encoding="utf-8-sig")
    out = tmp_path / "final"
    result = run_cli(reconcile, [a_path, b_path, "--adjudication", c_path, "--out", out])
    assert result.exit_code == 0, result.output
    verified = read_out(out / "verified.csv")
    assert len(verified) == 32 * 16
    result_api = reconcile_collections(a_path, b_path, c_path, "provincial-channels")
    fw = result_api.verified.values.columns
    from egoveval.frameworks import load_framework

    framework = load_framework("provincial-channels")
    for row in verified.itertuples():
        ind = framework.indicator(row.indicator)
        want = canonical(parse_cell(truth[row.unit_code][row.indicator], ind), ind)
        assert row.value == want, f"{row.unit_code}/{row.indicator}: expected {want!r}, got {row.value!r}"
        key = (row.unit_code, row.indicator)
        expected_from = "agreed" if key not in planted else \
            {"A": "A", "B": "B", "value": "third_check"}[planted[key][1]]
        assert row._7 == expected_from, f"{key}: expected from={expected_from}, got {row._7}"
        if key in planted:
            assert row.checked_by == "王五 (synthetic)" and row.checked_at == "2021-03-20"
    recollected = verified[(verified.unit_code == "320000") & (verified.indicator == "ios_rating_count")].iloc[0]
    assert recollected["from"] == "third_check" and recollected["source"] == "https://example.org/synthetic"
    edge = verified[(verified.unit_code == "330000") & (verified.indicator == "android_rating")].iloc[0]
    assert (edge["from"], edge["value"], edge["value_B"]) == ("agreed", "4.1", "4.15")
    blank = verified[(verified.unit_code == "140000") & (verified.indicator == "local_legal_login")].iloc[0]
    assert (blank["status"], blank["value"], blank["from"]) == ("missing", "", "agreed")
    unbuilt = verified[(verified.unit_code == "630000") & (verified.indicator == "android_rating")].iloc[0]
    assert (unbuilt["status"], unbuilt["value"]) == ("unbuilt", "未建设")
    # the Observations view holds the same values
    obs = result_api.verified
    assert obs.values.shape == (32, 16)
    assert obs.values.loc["320000", "ios_rating_count"] == float(truth["320000"]["ios_rating_count"])
    assert obs.status.loc["630000", "android_stores"] == "unbuilt"
    # audit: one row per decision, who/when/what/why from C
    audit = read_out(out / "audit.csv")
    assert len(audit) == len(planted)
    assert set(audit["who"]) == {"王五 (synthetic)"} and set(audit["when"]) == {"2021-03-20"}
    assert audit["what"].str.len().min() > 0 and (audit["why"] != "").all()


def test_partial_adjudication_exits_3_and_lists_what_is_open(collections, tmp_path):
    truth, a_path, b_path, planted, d = collections
    first = tmp_path / "first"
    run_cli(reconcile, [a_path, b_path, "--out", first])
    c = _fill_c(read_out(first / "discrepancies.csv"), planted)
    c.loc[c.index[:3], "decision"] = ""
    c.loc[c.index[:3], "value"] = ""
    c_path = tmp_path / "C_partial_synthetic.csv"
    c.to_csv(c_path, index=False, encoding="utf-8-sig")
    out = tmp_path / "partial"
    result = run_cli(reconcile, [a_path, b_path, "--adjudication", c_path, "--out", out])
    assert result.exit_code == 3
    assert "3" in result.output and "verified.csv" in result.output
    assert not (out / "verified.csv").exists()
    audit = read_out(out / "audit.csv")
    assert len(audit) == len(planted) - 3


def test_outputs_are_deterministic(collections, tmp_path):
    truth, a_path, b_path, planted, d = collections
    run_cli(reconcile, [a_path, b_path, "--out", tmp_path / "one"])
    run_cli(reconcile, [a_path, b_path, "--out", tmp_path / "two"])
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "two").iterdir())
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_manifest_hashes_the_inputs(collections, tmp_path):
    import hashlib
    import json

    truth, a_path, b_path, planted, d = collections
    run_cli(reconcile, [a_path, b_path, "--out", tmp_path / "o"])
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"]["a"]["sha256"] == hashlib.sha256(a_path.read_bytes()).hexdigest()
    assert manifest["inputs"]["b"]["sha256"] == hashlib.sha256(b_path.read_bytes()).hexdigest()
    assert manifest["discrepancies"]["total"] == len(planted)
    assert manifest["complete"] is False
