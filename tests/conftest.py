"""Shared fixtures: the sample study's run is computed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def sample_result():
    from egoveval.samples import build_sample

    return build_sample("result")


@pytest.fixture(scope="session")
def sample_run_dir(tmp_path_factory, sample_result):
    from egoveval.report.outputs import write_outputs

    out = tmp_path_factory.mktemp("sample") / "out"
    write_outputs(sample_result, out, "both")
    return out
