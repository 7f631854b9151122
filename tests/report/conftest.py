"""Fixtures for the report tests: the sample run rendered in each language, a headless
Chromium (Debian's, through Playwright's ``executable_path``; never a downloaded browser)
and LibreOffice."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def lang_run_dirs(tmp_path_factory, sample_result):
    """The sample study written once per report language."""
    from egoveval.report.outputs import write_outputs

    out = {}
    for lang in ("zh", "en", "both"):
        out[lang] = write_outputs(sample_result, tmp_path_factory.mktemp(f"run_{lang}") / "out", lang)
    return out


@pytest.fixture(scope="session")
def chromium_path() -> str:
    from egoveval.report.pdf import find_chromium

    found = find_chromium()
    if found is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)")
    return found


@pytest.fixture(scope="session")
def browser(chromium_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the test extra installs playwright")
    from egoveval.report.pdf import chromium_flags

    profile = tempfile.mkdtemp(prefix="egoveval-test-chromium-")
    flags = [f for f in chromium_flags(profile) if not f.startswith(("--headless", "--user-data-dir"))]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, headless=True, args=flags)
        yield browser
        browser.close()
    shutil.rmtree(profile, ignore_errors=True)


def _open_page(browser, path, *, width=1200):
    """``path`` opened in a new page; the page and what it logged (console, page errors, requests)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    events = {"console": [], "errors": [], "requests": []}
    page.on("console", lambda m: events["console"].append((m.type, m.text)))
    page.on("pageerror", lambda e: events["errors"].append(str(e)))
    page.on("request", lambda r: events["requests"].append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(200)
    return page, events


@pytest.fixture(scope="session")
def open_page():
    """Open a report in the test browser: ``page, events = open_page(browser, path)``."""
    return _open_page


@pytest.fixture(scope="session")
def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)")
    return found
