"""The bundled SYNTHETIC sample study, end to end: outputs, clusters, types, regions and the
patterns the source study reports (which the generator builds in)."""

from __future__ import annotations

import json
from html import unescape
from html.parser import HTMLParser

import numpy as np
import pandas as pd
from click.testing import CliRunner

from egoveval.cli import cli
from egoveval.samples.provincial import (SAMPLE_FILE, STUDY_CLUSTERS, generate_provincial, render_collection,
                                         sample_study_path)
from egoveval.units import provinces

ISSUE_OUTPUTS = ["framework.csv", "quantified.csv", "standardized.csv", "membership.csv", "schedule.csv",
                 "cluster_means.csv", "types.csv", "regions_crosstab.csv", "tables.xlsx", "dendrogram.png",
                 "dendrogram.svg", "report.html", "manifest.json"]


def test_bundled_collection_is_what_the_seeded_generator_writes():
    bundled = pd.read_csv(sample_study_path().parent / SAMPLE_FILE, dtype=str, keep_default_na=False,
                          encoding="utf-8-sig")
    regenerated = render_collection(generate_provincial()).astype(str)
    pd.testing.assert_frame_equal(bundled, regenerated.replace("nan", ""), check_dtype=False)
    assert "synthetic" in SAMPLE_FILE and "synthetic" in sample_study_path().name


def test_run_writes_every_listed_output(sample_run_dir):
    missing = [f for f in ISSUE_OUTPUTS if not (sample_run_dir / f).exists()]
    assert not missing, f"missing outputs: {missing}"
    leftovers = [p.name for p in sample_run_dir.parent.iterdir() if p.name.endswith(".partial")]
    assert not leftovers
    assert (sample_run_dir / "report.html").stat().st_mode & 0o044, "outputs must be readable by others"


def test_sample_reproduces_the_studys_four_clusters(sample_result):
    membership = sample_result["membership"].set_index("code")["cluster"]
    reg = provinces()
    for cluster, names in STUDY_CLUSTERS.items():
        got = {int(membership[reg.match(n)]) for n in names}
        assert got == {cluster}, f"study cluster {cluster} ({names}) split into {got}"


def test_types_follow_the_studys_labels(sample_result):
    types = sample_result["types"].set_index("cluster")
    assert types.loc[3, "label_zh"] == "引领开拓型"
    assert types.loc[1, "label_zh"] == "稳健进取型"
    assert types.loc[2, "label_zh"] == "稳步推进型"
    assert types.loc[4, "label_zh"] == "相对滞后型"
    assert list(types.sort_values("rank").index) == [3, 1, 2, 4]


def test_sample_mirrors_the_reported_patterns(sample_result):
    q = sample_result["quantified"]
    means = sample_result["cluster_means"].set_index("cluster")
    tibet = provinces().match("西藏")
    assert q.at[tibet, "nat_personal_items"] > 4000 and q.at[tibet, "nat_legal_items"] > 4000
    for col in ("android_rating", "ios_rating"):
        assert (means.loc[[1, 2, 3, 4], col] < 3).all()
        assert list(means.loc[[1, 2, 3, 4], col].sort_values(ascending=False).index) == [3, 1, 2, 4]
    assert abs(means.at[3, "android_downloads"] - 12453.72) < 1
    assert means.at[2, "mp_wechat"] == 0
    assert means.at[3, "mp_alipay"] == 2
    membership = sample_result["membership"].set_index("code")["cluster"]
    c2 = membership.index[membership == 2]
    assert (q.loc[c2, "android_stores"] == q.loc[c2, "android_latest"]).all()
    assert list(means.loc[[1, 2, 3, 4], "ios_rating_count"].sort_values(ascending=False).index) == [3, 2, 1, 4]


def test_unbuilt_channels_are_recorded_not_missing(sample_result):
    unbuilt = sample_result["unbuilt"]
    reg = provinces()
    assert set(zip(unbuilt["unit"], unbuilt["channel"])) == {
        (reg.match("兵团"), "android_app"), (reg.match("兵团"), "ios_app"), (reg.match("西藏"), "ios_app")}
    assert len(sample_result["missing_handled"]) == 0


def test_regions_crosstab_counts_every_unit_once_per_scheme(sample_result):
    crosstab = sample_result["regions_crosstab"]
    for scheme, frame in crosstab.groupby("scheme"):
        assert frame["total"].sum() == 32, scheme
    nbs = crosstab[crosstab["scheme"] == "nbs4"].set_index("cluster")
    assert nbs.at[3, "East"] == 5 and nbs.at[3, "Central"] == 1  # Anhui leads from the Centre
    assert nbs.at[4, "East"] == 0


def test_schedule_last_coefficient_is_n_minus_1_times_p(sample_result):
    schedule = sample_result["schedule"]
    n, p = sample_result["standardized"].shape
    assert abs(schedule["coefficient"].iloc[-1] - (n - 1) * p) < 1e-9


def test_manifest_records_the_recipe(sample_run_dir):
    manifest = json.loads((sample_run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["inputs_sha256"]) == {SAMPLE_FILE, sample_study_path().name}
    assert manifest["options"]["cluster"]["k"] == 4
    assert manifest["study"]["synthetic"] is True
    assert "numpy" in manifest["versions"] and "scipy" in manifest["versions"]
    assert manifest["dropped_indicators"] == []


def test_report_is_self_contained_and_says_synthetic(sample_run_dir):
    html = (sample_run_dir / "report.html").read_text(encoding="utf-8")
    assert "synthetic" in html.lower() and "合成" in html
    assert "http://" not in html and "https://" not in html
    assert "data:image/" in html  # figures are inline
    for heading in ("指标体系", "Indicator system", "聚类", "Cluster means", "发展类型"):
        assert heading in html


def test_rerun_is_byte_identical_apart_from_the_manifest(tmp_path):
    runner = CliRunner()
    outs = []
    for name in ("a", "b"):
        res = runner.invoke(cli, ["run", "--out", str(tmp_path / name)], catch_exceptions=False)
        assert res.exit_code == 0, res.output
        outs.append(tmp_path / name)
    files = sorted(str(p.relative_to(outs[0])) for p in outs[0].rglob("*") if p.is_file())
    assert files == sorted(str(p.relative_to(outs[1])) for p in outs[1].rglob("*") if p.is_file())
    assert "result/result.json" in files  # the saved Result is part of the outputs
    differing = [f for f in files if (outs[0] / f).read_bytes() != (outs[1] / f).read_bytes()]
    assert differing == ["manifest.json"], differing
    m = [json.loads((o / "manifest.json").read_text()) for o in outs]
    for d in m:
        d.pop("created")
        d["study"].pop("output")
    assert m[0] == m[1]


def test_run_adds_index_ranks_tiers_and_uncertainty(sample_result):
    index = sample_result["index"]
    assert len(index) == 32 and index["score"].notna().all()
    assert set(index["tier"]) <= {"非常高", "高", "中", "低"}
    # dense ranks (the sample study asks for Chinese practice): ranks 1..m without gaps
    assert sorted(set(index["rank"])) == list(range(1, index["rank"].max() + 1))
    assert (index["rank_p05"] <= index["rank_median"]).all() and (index["rank_median"] <= index["rank_p95"]).all()
    tiers = [c for c in index.columns if c.startswith("p_")]
    assert np.allclose(index[tiers].sum(axis=1), 1.0)
    assert "index_ranks" in sample_result.figures and "index_heatmap" in sample_result.figures


def test_run_tests_types_against_regions_exactly(sample_result):
    from egoveval.regional.exact import fisher_exact_rxc

    tests = sample_result["regional_types_tests"]
    p = float(tests.loc[tests["test"].str.contains("fisher"), "p"].iloc[0])
    crosstab = sample_result["regions_crosstab"]
    counts = crosstab[crosstab["scheme"] == "nbs4"][["East", "Central", "West", "Northeast"]].to_numpy()
    assert abs(p - fisher_exact_rxc(counts).p) < 1e-12
    assert "map_types" in sample_result.figures and "map_index" in sample_result.figures
    moran = sample_result["regional_index_moran"]
    assert list(moran.columns) == ["I", "expectation", "variance", "z", "p_randomisation", "p_permutation"]


def test_run_adds_cluster_diagnostics_and_descriptions(sample_result):
    kstats = sample_result["kstats"]
    assert list(kstats.columns) == ["k", "silhouette", "calinski_harabasz", "davies_bouldin", "r2", "gap", "gap_se"]
    assert kstats["k"].tolist() == list(range(2, 9))
    stability = sample_result["stability"]
    assert list(stability.columns) == ["cluster", "size", "jaccard_mean", "band", "null_jaccard_mean",
                                       "null_jaccard_p05", "null_jaccard_p95"]
    assert stability["size"].sum() == 32
    descriptions = sample_result["descriptions"].set_index("cluster")
    assert descriptions.at[3, "label_zh"] == "引领开拓型" and descriptions.at[3, "label_en"] == "Leading and pioneering"
    assert "稳健进取型" in descriptions.at[3, "text_zh"]  # compared with the next type
    assert "上海" in descriptions.at[3, "text_zh"]
    for fig in ("heatmap", "profiles", "silhouette", "kdiagnostics"):
        assert fig in sample_result.figures


class _ById(HTMLParser):
    """Collects the attributes and text of the element with a given id (no nested same tag)."""

    def __init__(self, element_id):
        super().__init__()
        self.element_id, self.attrs, self.text, self._depth = element_id, None, "", 0

    def handle_starttag(self, tag, attrs):
        if self._depth:
            self._depth += 1
        elif dict(attrs).get("id") == self.element_id:
            self.attrs, self._depth = dict(attrs) | {"tag": tag}, 1

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.text += data


def _element(html, element_id):
    parser = _ById(element_id)
    parser.feed(html)
    return parser


def test_report_banner_element_says_synthetic(sample_run_dir):
    from egoveval.messages import text

    banner = _element((sample_run_dir / "report.html").read_text(encoding="utf-8"), "synthetic-banner")
    assert banner.attrs is not None, "no element with id synthetic-banner"
    assert "banner" in banner.attrs.get("class", "").split()
    assert text("report.synthetic", "zh") in banner.text and text("report.synthetic", "en") in banner.text


def test_no_banner_when_the_study_is_not_marked_synthetic(sample_result):
    import dataclasses

    from egoveval.report.html import render_html

    real = dataclasses.replace(sample_result, spec={**sample_result.spec, "synthetic": False})
    assert _element(render_html(real), "synthetic-banner").attrs is None
    assert _element(render_html(sample_result), "synthetic-banner").attrs is not None


def test_schedule_note_says_cases_are_membership_rows_in_code_order(sample_result, sample_run_dir):
    from egoveval.messages import text

    assert sample_result.tables["schedule"].note.key == "foundation.schedule_cases"
    html = unescape((sample_run_dir / "report.html").read_text(encoding="utf-8"))
    for lang in ("zh", "en"):
        assert text("foundation.schedule_cases", lang) in html
    membership = pd.read_csv(sample_run_dir / "membership.csv", dtype={"code": str}, encoding="utf-8-sig")
    assert membership["code"].tolist() == provinces().codes  # code order, as the note says
    # stage 1 joins the closest pair of units; its case numbers are their membership.csv rows
    z = sample_result["standardized"].loc[membership["code"]].to_numpy()
    d = np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=2)) + np.diag(np.full(len(z), np.inf))
    i, j = np.unravel_index(np.argmin(d), d.shape)
    first = sample_result["schedule"].iloc[0]
    assert (int(first["cluster_1"]), int(first["cluster_2"])) == (min(i, j) + 1, max(i, j) + 1)
