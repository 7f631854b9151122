"""Every message key the code names exists in the catalogue with both languages, (checked where the code names keys literally)."""

from __future__ import annotations

import re
from pathlib import Path

from egoveval.messages import catalogue

SRC = Path(__file__).resolve().parents[2] / "src" / "egoveval"
KEY_CALL = re.compile(r"""(?:Problem\.of|msg|text|in_lang|bilingual|_problem|_label|add)\(\s*["']([a-z_0-9]+(?:\.[a-zA-Z_0-9]+)+)["']""")


def test_every_literal_key_is_in_the_catalogue():
    known = catalogue()
    missing = []
    for path in SRC.rglob("*.py"):
        for key in KEY_CALL.findall(path.read_text(encoding="utf-8")):
            if key not in known:
                missing.append(f"{path.relative_to(SRC)}: {key}")
    assert not missing, "\n".join(missing)


def test_every_entry_has_chinese_and_english():
    empty = [key for key, entry in catalogue().items() if not (entry["zh"].strip() and entry["en"].strip())]
    assert not empty, empty


def test_pick_and_in_lang_give_one_language_or_the_bilingual_form():
    import pytest

    from egoveval.messages import in_lang, pick

    assert pick("中文", "English", "zh") == "中文" and pick("中文", "English", "en") == "English"
    assert pick("中文", "English", "both") == "中文 / English"
    assert pick("中文", "English", "both", "\n") == "中文\nEnglish"
    assert pick("Moran's I", "Moran's I", "both") == "Moran's I"  # equal texts once
    assert pick("", "English", "both") == "English" and pick(None, "English", "zh") == ""
    assert in_lang("run.done", "both", "\n", path="o") == "报告已写入 o\nReport written to o"
    with pytest.raises(ValueError):
        pick("中文", "English", "fr")
    with pytest.raises(ValueError):
        in_lang("run.done", "fr", path="o")
