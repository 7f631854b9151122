"""The HTML report in a real browser: no console errors, no network requests, the sections
and numbered captions are there, the print layout gives a PDF; screenshots (zh, en, both)
go to tests/artifacts/ for people to look at."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_report_opens_without_errors_or_network(browser, open_page, lang_run_dirs, artifacts, lang):
    html = lang_run_dirs[lang] / "report.html"
    page, events = open_page(browser, html)
    try:
        bad = [(t, m) for t, m in events["console"] if t in ("error", "warning")]
        assert not bad, f"console messages: {bad}"
        assert not events["errors"], f"page errors: {events['errors']}"
        outside = [u for u in events["requests"] if not u.startswith(("file:", "data:", "about:"))]
        assert not outside, f"network requests: {outside}"
        broken = page.evaluate("Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
                               ".map(i => i.alt)")
        assert not broken, f"images that did not load: {broken}"
        assert page.locator("#synthetic-banner").is_visible()
        headings = page.locator("section.sec > h2").all_inner_texts()
        assert len(headings) >= 6, headings
        captions = page.locator("p.caption").all_inner_texts()
        word = {"zh": "表", "en": "Table", "both": "表"}[lang]
        numbers = [int(m.group(1)) for c in captions if (m := re.match(rf"{word} (\d+)", c))]
        assert numbers == list(range(1, len(numbers) + 1)), f"tables not numbered 1..n: {numbers}"
        if lang == "en":
            assert not re.search(r"[\u4e00-\u9fff]", page.locator("#s-clusters h2").inner_text())
        page.screenshot(path=str(artifacts / f"report_{lang}.png"), full_page=True)
        page.screenshot(path=str(artifacts / f"report_{lang}_top.png"))
    finally:
        page.close()


def test_numbers_are_right_aligned(browser, open_page, lang_run_dirs):
    page, _ = open_page(browser, lang_run_dirs["en"] / "report.html")
    try:
        align = page.evaluate("getComputedStyle(document.querySelector('#table-cluster_means td.num')).textAlign")
        assert align == "right", f"expected right-aligned numbers, got {align}"
    finally:
        page.close()


def test_printed_report_has_sensible_pages(browser, open_page, lang_run_dirs, artifacts):
    """Print CSS: each section starts a page; the PDF of the bilingual sample report has a
    plausible page count (recorded in tests/artifacts/report_both_pages.txt)."""
    page, _ = open_page(browser, lang_run_dirs["both"] / "report.html")
    try:
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    finally:
        page.close()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    sections = len(re.findall(rb'class="sec"', (lang_run_dirs["both"] / "report.html").read_bytes()))
    (artifacts / "report_both.pdf").write_bytes(pdf)
    (artifacts / "report_both_pages.txt").write_text(f"{pages}\n")
    assert sections <= pages <= 80, f"expected between {sections} and 80 pages, got {pages}"
