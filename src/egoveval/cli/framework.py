"""``egoveval framework show [ID]`` and ``egoveval framework export ID --out FILE.xlsx``."""

from __future__ import annotations

import click
from rich.table import Table

from ..messages import bilingual
from .common import console, handles_errors

__all__ = ["framework"]


@click.group()
def framework():
    """Indicator systems. / 指标体系。"""


def _in(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en if lang == "en" else (zh if zh == en else f"{zh} / {en}")


def _print_framework(fw, lang: str) -> None:
    from ..frameworks import range_text, rule_text

    table = Table(title=_in(lang, fw.name_zh, fw.name_en), show_lines=False)
    for col in ("渠道 channel", "编号 id", "指标 indicator", "类型 kind", "单位 unit", "方向", "范围 range",
                "量化 rule", "来源 source"):
        table.add_column(col, overflow="fold")
    for ch in fw.channels:
        for ind in ch.indicators:
            table.add_row(_in(lang, ch.name_zh, ch.name_en), ind.id, _in(lang, ind.name_zh, ind.name_en), ind.kind,
                          f"{ind.unit_zh} {ind.unit_en}".strip(), f"{ind.direction:+d}", range_text(ind),
                          _in(lang, rule_text(ind, "zh"), rule_text(ind, "en")), ind.source)
    console.print(table)


@framework.command("show")
@click.argument("framework_id", required=False, default=None)
@click.option("--lang", type=click.Choice(["zh", "en", "both"]), default="both", show_default=True)
@handles_errors
def show(framework_id, lang):
    """Print a framework (no ID: list the built-in ones, then show the default). / 显示指标体系。"""
    from ..frameworks import DEFAULT_FRAMEWORK, builtin_ids, load_framework

    if framework_id is None:
        for fid in builtin_ids():
            fw = load_framework(fid)
            console.print(bilingual("framework.listed", id=fid, name_zh=fw.name_zh, name_en=fw.name_en,
                                    channels=len(fw.channels), indicators=len(fw.indicators)))
        console.print(bilingual("framework.default", id=DEFAULT_FRAMEWORK))
        framework_id = DEFAULT_FRAMEWORK
    _print_framework(load_framework(framework_id), lang)


@framework.command("export")
@click.argument("framework_id")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=str))
@handles_errors
def export(framework_id, out_file):
    """Write a framework as Table 1 (XLSX or CSV), with bilingual headers. / 将指标体系导出为表 1。"""
    from pathlib import Path

    from ..frameworks import load_framework, table1
    from ..io.writers import write_bytes, write_csv
    from ..messages import text
    from ..report.xlsx import workbook_bytes

    fw = load_framework(framework_id)
    table = table1(fw)
    out = Path(out_file)
    if out.suffix.lower() == ".csv":
        write_csv(table, out)
    else:
        caption = f"{text('framework.table1', 'zh', name=fw.name_zh)} / {text('framework.table1', 'en', name=fw.name_en)}"
        write_bytes(workbook_bytes([("Table 1", table, caption)]), out)
    console.print(bilingual("framework.exported", path=out))
