"""Every message key the code names exists in the catalogue with both languages, (checked where the code names keys literally)."""

from __future__ import annotations

import re
from pathlib import Path

from egoveval.messages import catalogue

SRC = Path(__file__).resolve().parents[2] / "src" / "egoveval"
KEY_CALL = re.compile(r"""(?:Problem\.of|msg|text|bilingual|_problem|_label|add)\(\s*["']([a-z_0-9]+(?:\.[a-zA-Z_0-9]+)+)["']""")


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
