"""The framework schema and the built-in provincial framework."""

import pytest
import yaml

from egoveval.errors import InputError
from egoveval.frameworks import framework_table, load_framework
from egoveval.frameworks.loading import parse_framework

STUDY_INDICATORS = {
    "国家政务服务平台": ["个人服务项目数", "法人服务项目数", "个人服务可在线办数", "法人服务可在线办数"],
    "地方政务服务平台": ["个人注册登录方式", "法人注册登录方式"],
    "Android政务APP": ["应用商城总上架数", "最新版本在架数", "应用商城评分", "应用商城下载量"],
    "iOS政务APP": ["应用发布日期", "版本更新次数", "应用评分", "评分人次"],
    "第三方政务小程序": ["微信小程序开通情况", "支付宝小程序开通情况"],
}


def test_provincial_framework_has_the_studys_channels_and_indicators():
    fw = load_framework("provincial-channels")
    got = {ch.name_zh: [i.name_zh for i in ch.indicators] for ch in fw.channels}
    assert got == STUDY_INDICATORS
    for ind in fw.indicators:
        assert ind.name_en and ind.definition_zh and ind.definition_en, ind.id
        assert ind.source in ("text", "addition")
        assert ind.direction in (1, -1)
    assert fw.indicator("mp_alipay").kind == "ordinal"
    assert [lv.value for lv in fw.indicator("mp_alipay").levels] == [0, 1, 2]
    assert fw.indicator("ios_release").quantification == "months_before"
    assert fw.indicator("android_rating").range == (0.0, 5.0)


def test_table1_has_one_row_per_indicator():
    table = framework_table(load_framework("provincial-channels"))
    assert len(table) == 16
    assert {"indicator_zh", "indicator_en", "kind", "unit_zh", "direction", "quantification", "source"} <= set(table)


def test_every_problem_in_a_framework_is_reported_at_once():
    bad = yaml.safe_load("""
id: broken
name: {zh: 坏, en: broken}
channelz: []
channels:
  - id: c1
    name_zh: 渠道
    indicators:
      - {id: a, name_zh: 甲, kind: countt, direction: 2}
      - {id: a, name_zh: 乙, kind: ordinal}
      - {id: b, name_zh: 丙, kind: rating, range: [5, 0], weight: -1}
""")
    with pytest.raises(InputError) as info:
        parse_framework(bad, "broken.yaml")
    rules = sorted(p.rule for p in info.value.problems)
    assert rules == sorted(["framework.unknown_key", "framework.kind", "framework.direction",
                            "framework.levels_required", "framework.duplicate_indicator", "framework.range",
                            "framework.weight"]), rules
    unknown = next(p for p in info.value.problems if p.rule == "framework.unknown_key")
    assert "channels" in unknown.message("en")
    assert all(p.file == "broken.yaml" for p in info.value.problems)


def _one_indicator(**fields):
    return yaml.safe_load(f"""
id: t
name: t
channels:
  - id: c
    name_zh: 渠道
    indicators:
      - {yaml.safe_dump(dict(id="a", name_zh="甲", **fields), default_flow_style=True).strip()}
""")


@pytest.mark.parametrize("kind, rule", [("count", "months_before"), ("date", "as_is"), ("rating", "levels"),
                                        ("binary", "count_choices"), ("multi_choice", "binary")])
def test_quantification_rule_must_fit_the_kind(kind, rule):
    fields = dict(kind=kind, quantification=rule)
    if kind == "multi_choice":
        fields["levels"] = [{"value": 1, "zh": "甲"}, {"value": 2, "zh": "乙"}]
    with pytest.raises(InputError) as info:
        parse_framework(_one_indicator(**fields), "fw.yaml")
    (problem,) = info.value.problems
    assert (problem.rule, problem.column, problem.value) == ("framework.quantification_kind", "c.a", rule)
    assert kind in problem.message("en") and kind in problem.message("zh")


@pytest.mark.parametrize("kind, rule", [("count", "as_is"), ("date", "months_before"), ("binary", "as_is"),
                                        ("binary", "binary"), ("ordinal", "levels")])
def test_fitting_rules_are_accepted(kind, rule):
    fields = dict(kind=kind, quantification=rule)
    if kind == "ordinal":
        fields["levels"] = [{"value": 0, "zh": "否"}, {"value": 1, "zh": "是"}]
    assert parse_framework(_one_indicator(**fields)).indicator("a").quantification == rule


@pytest.mark.parametrize("version", ["abc", 0, 1.5, True, None])
def test_version_must_be_a_whole_number(version):
    data = _one_indicator(kind="count")
    data["version"] = version
    with pytest.raises(InputError) as info:
        parse_framework(data, "fw.yaml")
    assert [(p.rule, p.value) for p in info.value.problems] == [("framework.version", version)]


def test_cli_reports_the_kind_rule_mismatch_not_an_internal_error(tmp_path):
    from click.testing import CliRunner

    from egoveval.cli import cli

    data = _one_indicator(kind="count", quantification="months_before")
    data["version"] = "abc"
    path = tmp_path / "fw.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["framework", "show", str(path)], env={"COLUMNS": "400"})
    assert result.exit_code == 2, result.output
    assert "framework.version" in result.output and "framework.quantification_kind" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_range_message_keeps_its_brackets(tmp_path):
    """Rich markup once swallowed "[low, high]" (the English message read "range must be  with …")."""
    from click.testing import CliRunner

    from egoveval.cli import cli
    from egoveval.messages import text

    path = tmp_path / "fw.yaml"
    path.write_text(yaml.safe_dump(_one_indicator(kind="rating", range=[5, 1])), encoding="utf-8")
    result = CliRunner().invoke(cli, ["framework", "show", str(path)], env={"COLUMNS": "400"})
    assert result.exit_code == 2
    assert text("framework.range", "en") in result.output and "[low, high]" in result.output
    assert text("framework.range", "zh") in result.output


def _export(tmp_path, name="t1.xlsx"):
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from egoveval.cli import cli

    res = CliRunner().invoke(cli, ["framework", "export", "provincial-channels", "--out", str(tmp_path / name)])
    assert res.exit_code == 0, res.output
    rows = list(load_workbook(tmp_path / name).active.values)
    header = rows[1]
    return header, {r[header.index("指标编号 / Indicator id")]: dict(zip(header, r)) for r in rows[2:]}


def test_export_has_bilingual_headers_from_the_column_catalogue(tmp_path):
    from egoveval.messages import text

    header, _ = _export(tmp_path)
    for column in ("indicator_zh", "range", "quantification", "rule_zh", "rule_en", "definition_en"):
        label = f"{text(f'column.{column}', 'zh')} / {text(f'column.{column}', 'en')}"
        assert label in header, f"{label!r} not in {header}"
    assert not any(h in ("indicator_zh", "range", "rule_zh") for h in header)


def test_export_states_rules_in_words_and_leaves_inapplicable_ranges_blank(tmp_path):
    from egoveval.messages import text

    _, rows = _export(tmp_path)
    zh, en = "量化标准 / Rule (Chinese)", "量化标准（英文） / Rule"
    assert rows["ios_release"][zh] == text("quantify.rule.months_before", "zh")
    assert rows["ios_release"][en] == text("quantify.rule.months_before", "en")
    assert rows["android_downloads"][en] == text("quantify.rule.as_is", "en")
    assert rows["mp_wechat"][zh] == "是=1；否=0" and rows["mp_alipay"][en] == "none = 0; some = 1; all = 2"
    rng = "取值范围 / Range"
    assert rows["ios_release"][rng] is None and rows["mp_wechat"][rng] is None  # blank, not "[, ]"
    assert rows["android_rating"][rng] == "[0, 5]" and rows["android_downloads"][rng] == "≥ 0"
    assert not any("[, ]" in str(r[rng]) for r in rows.values())


def test_show_without_id_lists_then_prints_the_default(tmp_path):
    from click.testing import CliRunner

    from egoveval.cli import cli
    from egoveval.frameworks import DEFAULT_FRAMEWORK, builtin_ids

    out = CliRunner().invoke(cli, ["framework", "show"], env={"COLUMNS": "400"})
    assert out.exit_code == 0, out.output
    listed = [out.output.index(f"{fid}：") for fid in builtin_ids()]
    default = load_framework(DEFAULT_FRAMEWORK)
    table_at = out.output.index(default.indicators[0].name_zh)
    assert DEFAULT_FRAMEWORK == "provincial-channels" and max(listed) < table_at
    for ind in default.indicators:
        assert ind.id in out.output


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_show_heads_its_columns_as_export_does(lang):
    """``framework show`` uses the column catalogue's headers, the ones ``export`` writes."""
    from click.testing import CliRunner

    from egoveval.cli import cli
    from egoveval.frameworks import column_header, table1

    out = CliRunner().invoke(cli, ["framework", "show", "provincial-channels", "--lang", lang],
                             env={"COLUMNS": "400"})
    assert out.exit_code == 0, out.output
    exported = list(table1(load_framework("provincial-channels")).columns)
    for zh, en in (("channel_zh", "channel_en"), ("rule_zh", "rule_en"), ("range", "range")):
        assert column_header(zh) in exported and column_header(en) in exported
        if lang != "en":
            assert column_header(zh, "zh") in out.output, (zh, out.output[:600])
        if lang != "zh":
            assert column_header(en, "en") in out.output, (en, out.output[:600])
    assert "量化 rule" not in out.output and "渠道 channel" not in out.output
    assert ("一级指标（渠道）" in out.output) == (lang != "en")


def test_every_kind_has_allowed_rules_and_its_default_is_the_first():
    from egoveval.frameworks.schema import ALLOWED_QUANTIFICATIONS, DEFAULT_QUANTIFICATION, KINDS, QUANTIFICATIONS

    assert set(ALLOWED_QUANTIFICATIONS) == set(KINDS) == set(DEFAULT_QUANTIFICATION)
    for kind, rules in ALLOWED_QUANTIFICATIONS.items():
        assert rules and set(rules) <= set(QUANTIFICATIONS), kind
        assert DEFAULT_QUANTIFICATION[kind] == rules[0], kind
    # an indicator naming no rule gets its kind's default
    fw = parse_framework(_one_indicator(kind="ordinal", levels=[{"value": 0, "zh": "无", "en": "no"},
                                                                {"value": 1, "zh": "有", "en": "yes"}]), "synthetic")
    assert fw.indicators[0].quantification == "levels"
