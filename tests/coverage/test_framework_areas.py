"""The schema's optional service areas: validated with every other problem, backwards compatible."""

from __future__ import annotations

import pytest

from egoveval.errors import InputError
from egoveval.frameworks import load_framework
from egoveval.frameworks.loading import parse_framework

from .conftest import TINY_FRAMEWORK


def test_areas_parse(tiny_framework):
    assert [a.id for a in tiny_framework.areas] == ["x", "y"]
    assert tiny_framework.indicator("B__y").area == "y"
    assert tiny_framework.area("x").name_en == "Area X"


def test_area_problems_are_reported_with_the_others():
    spec = {**TINY_FRAMEWORK,
            "areas": [{"id": "x", "name_zh": "甲"}, {"id": "x", "name_zh": "甲2"}, {"id": "y", "name_zh": "乙", "nme_en": "Y"}, "bad"],
            "channels": [{"id": "A", "name_zh": "A", "indicators": [
                {"id": "A__x", "name_zh": "a", "kind": "binary", "area": "xx"},
                {"id": "A__y", "name_zh": "b", "kind": "countt", "area": "y"}]}]}
    with pytest.raises(InputError) as info:
        parse_framework(spec, "f.yaml")
    rules = sorted(p.rule for p in info.value.problems)
    assert rules == sorted(["framework.duplicate_area", "framework.unknown_key", "framework.area_mapping",
                            "framework.unknown_area", "framework.kind"]), rules
    unknown = next(p for p in info.value.problems if p.rule == "framework.unknown_area")
    assert "x" in unknown.message("en")


def test_area_without_declared_areas_and_empty_areas():
    spec = {k: v for k, v in TINY_FRAMEWORK.items() if k != "areas"}
    with pytest.raises(InputError) as info:
        parse_framework(spec)
    assert {p.rule for p in info.value.problems} == {"framework.unknown_area"}
    with pytest.raises(InputError) as info:
        parse_framework({**TINY_FRAMEWORK, "areas": []})
    assert "framework.areas" in {p.rule for p in info.value.problems}


def test_frameworks_without_areas_are_unchanged():
    fw = load_framework("provincial-channels")
    assert fw.areas == () and all(i.area == "" for i in fw.indicators)
