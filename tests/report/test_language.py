"""The English report is English: no Chinese characters outside the places listed in
ALLOWED (unit names, data as recorded, the study file as written), each with its reason."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from egoveval.report.context import context_of

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
ANY = r"[\s\S]*"

#: (id of the enclosing element, pattern the whole text must match, why Chinese is right there)
ALLOWED: tuple[tuple[str, str, str], ...] = (
    ("study-spec", ANY, "the study file as written (its title has a Chinese version)"),
    ("table-observations", ANY, "the collected data as recorded (是/否, 2.7分, 2016年5月7日)"),
    ("table-provenance", ANY, "sources and notes as recorded"),
    ("table-framework", r"(-?\d+=[^;=]+/[^;=]+(; |$))+", "the input words each level accepts (1=是/yes)"),
)

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Texts(HTMLParser):
    """Text nodes with the id of their innermost enclosing element that has one."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.found: list[tuple[str, str]] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag not in _VOID:
            self.stack.append((tag, dict(attrs).get("id")))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.skip or not data.strip():
            return
        where = next((i for _, i in reversed(self.stack) if i), "")
        self.found.append((where, data.strip()))


def chinese_outside_allowed(html: str, unit_names: set[str]) -> list[tuple[str, str]]:
    parser = _Texts()
    parser.feed(html)
    bad = []
    for where, text in parser.found:
        if not CJK.search(text) or text in unit_names:
            continue
        place = re.sub(r"-caption$", "", where)
        if any(place == pid and re.fullmatch(pattern, text) for pid, pattern, _ in ALLOWED):
            continue
        bad.append((place, text[:80]))
    return bad


def test_parser_finds_chinese_by_place():
    html = ('<div id="table-x"><p id="table-x-caption">表</p><table><tr><td>北京</td><td>中</td></tr></table></div>'
            '<pre id="study-spec">标题</pre><img alt="图"><p>ok</p>')
    assert chinese_outside_allowed(html, {"北京"}) == [("table-x", "表"), ("table-x", "中")]


def test_english_report_has_no_chinese_outside_unit_names_and_data(lang_run_dirs, sample_result):
    html = (lang_run_dirs["en"] / "report.html").read_text(encoding="utf-8")
    ctx = context_of(sample_result)
    names = {zh for zh, _ in ctx.units.values()}
    bad = chinese_outside_allowed(html, names)
    places = sorted({p for p, _ in bad})
    assert not bad, f"Chinese in the English report at {places}: {bad[:12]}"
