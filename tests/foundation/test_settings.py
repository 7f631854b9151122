"""Settings are type-checked by their declaration, in the study file and on the command line
alike: every bad value is a problem naming the file, the key, the value and what is accepted."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from egoveval.cli import cli
from egoveval.errors import InputError
from egoveval.messages import catalogue, text
from egoveval.samples.provincial import sample_study_path
from egoveval.settings import SETTINGS, TYPES, merge_settings
from egoveval.study import load_study

BAD = [  # (section, key, value, rule) — each failed with a traceback or was silently accepted before
    ("quantify", "unbuilt_value", "zero", "settings.invalid"),
    ("quantify", "drop_constant", "no", "settings.invalid"),
    ("cluster", "diagnostics", "yes", "settings.invalid"),
    ("cluster", "use_suggested_k", 1, "settings.invalid"),
    ("cluster", "bootstrap", True, "settings.invalid"),
    ("cluster", "seed", 1.5, "settings.invalid"),
    ("cluster", "k_range", [8, 2], "settings.invalid"),
    ("types", "labels", 5, "settings.invalid"),
    ("types", "labels", [["a"], ["b"], ["c"], ["d"]], "settings.invalid"),
    ("types", "labels", [["a", "A", "x"]], "settings.invalid"),
    ("types", "labels", [], "settings.invalid"),
    ("regions", "schemes", ["nbs5"], "settings.invalid"),
    ("regions", "schemes", "nbs4", "settings.invalid"),
    ("regions", "test_scheme", "", "settings.invalid"),
    ("regions", "statistics", "false", "settings.invalid"),
    ("index", "enabled", 0, "settings.invalid"),
    ("index", "outliers", 1, "settings.choice"),
    ("quantify", "missing", "drop", "settings.choice"),
]


@pytest.mark.parametrize("section, key, value, rule", BAD, ids=[f"{s}.{k}={v!r}" for s, k, v, _ in BAD])
def test_bad_value_in_the_study_file_is_a_problem(section, key, value, rule):
    with pytest.raises(InputError) as info:
        merge_settings({section: {key: value}}, origin="my-study.yaml")
    (problem,) = info.value.problems
    assert (problem.rule, problem.file, problem.column, problem.value) == \
        (rule, "my-study.yaml", f"{section}.{key}", value)
    if rule == "settings.invalid":  # the message says what is accepted, in both languages
        accepts = SETTINGS[f"{section}.{key}"].type
        assert text(f"settings.expect.{accepts}", "zh") in problem.message("zh")
        assert text(f"settings.expect.{accepts}", "en") in problem.message("en")


@pytest.mark.parametrize("section, key, value, rule", BAD, ids=[f"{s}.{k}={v!r}" for s, k, v, _ in BAD])
def test_bad_value_on_the_command_line_is_the_same_problem(section, key, value, rule):
    with pytest.raises(InputError) as info:
        merge_settings({}, {f"{section}.{key}": value})
    (problem,) = info.value.problems
    assert problem.rule == rule and problem.column == f"{section}.{key}"
    assert problem.file == f"{text('settings.origin_cli', 'zh')} / {text('settings.origin_cli', 'en')}"


def test_every_problem_is_reported_at_once():
    study = {"quantify": {"unbuilt_value": "zero", "drop_constant": "no"}, "types": {"labels": 5},
             "cluster": {"diagnostics": "yes", "k": 4}}
    with pytest.raises(InputError) as info:
        merge_settings(study, {"cluster.gap_b": 0}, origin="s.yaml")
    got = sorted(p.column for p in info.value.problems)
    assert got == ["cluster.diagnostics", "cluster.gap_b", "quantify.drop_constant", "quantify.unbuilt_value",
                   "types.labels"], got


@pytest.mark.parametrize("section, key, value", [
    ("quantify", "unbuilt_value", -1.5), ("quantify", "drop_constant", False), ("cluster", "diagnostics", False),
    ("types", "labels", [["领先", "Top"], "较好", ["一般", "Fair"], "落后"]), ("types", "labels", None),
    ("regions", "schemes", ["belt3"]), ("regions", "test_scheme", "regions.csv"), ("index", "outliers", True),
])
def test_good_values_are_kept(section, key, value):
    assert merge_settings({section: {key: value}})[section][key] == value


def test_yaml_booleans_are_real_booleans_but_quoted_text_is_not():
    spec = yaml.safe_load("quantify: {drop_constant: no}\ncluster: {diagnostics: \"no\"}\n")
    with pytest.raises(InputError) as info:
        merge_settings(spec)
    assert [p.column for p in info.value.problems] == ["cluster.diagnostics"]
    assert merge_settings({"quantify": spec["quantify"]})["quantify"]["drop_constant"] is False


def test_every_declared_type_has_a_check_and_bilingual_wording():
    used = {s.type for s in SETTINGS.values() if s.type is not None}
    assert used <= set(TYPES), used - set(TYPES)
    for name in TYPES:
        assert f"settings.expect.{name}" in catalogue(), name


def _study(tmp_path, **sections):
    spec = yaml.safe_load(sample_study_path().read_text(encoding="utf-8"))
    spec.update(data=str(sample_study_path().parent / spec["data"]), output="out", **sections)
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def test_load_study_names_the_study_file(tmp_path):
    path = _study(tmp_path, quantify={"unbuilt_value": "zero"})
    with pytest.raises(InputError) as info:
        load_study(path)
    (problem,) = info.value.problems
    assert problem.file == str(path) and problem.column == "quantify.unbuilt_value"


@pytest.mark.parametrize("sections", [
    {"quantify": {"unbuilt_value": "zero"}}, {"types": {"labels": 5}}, {"types": {"labels": [["a"]] * 4}},
])
def test_run_exits_2_without_a_traceback(tmp_path, sections):
    result = CliRunner().invoke(cli, ["run", str(_study(tmp_path, **sections))], env={"COLUMNS": "400"},
                                catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "settings.invalid" in result.output
    assert not (tmp_path / "out").exists()
