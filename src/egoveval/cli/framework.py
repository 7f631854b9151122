"""``egoveval framework show [ID]`` and ``egoveval framework export ID --out FILE.xlsx``."""

from __future__ import annotations

import click
from rich.table import Table

from ..messages import bilingual, pick
from .common import console, handles_errors

__all__ = ["framework"]


@click.group()
def framework():
    """Indicator systems. / 指标体系。"""


# each column ``show`` prints: the Table-1 columns (``framework export``) it shows in Chinese and
# in English, whose catalogue headers it uses
SHOWN = (("channel_zh", "channel_en"), ("indicator_id", "indicator_id"), ("indicator_zh", "indicator_en"),
         ("kind", "kind"), ("unit_zh", "unit_en"), ("direction", "direction"), ("range", "range"),
         ("rule_zh", "rule_en"), ("source", "source"))


def _headers(lang: str) -> list[str]:
    from ..frameworks import column_header

    return [pick(column_header(zh, "zh"), column_header(en, "en"), lang) for zh, en in SHOWN]


def _print_framework(fw, lang: str) -> None:
    from ..frameworks import range_text, rule_text

    table = Table(title=pick(fw.name_zh, fw.name_en, lang), show_lines=False)
    for header in _headers(lang):
        table.add_column(header, overflow="fold")
    for ch in fw.channels:
        for ind in ch.indicators:
            table.add_row(pick(ch.name_zh, ch.name_en, lang), ind.id, pick(ind.name_zh, ind.name_en, lang),
                          ind.kind, pick(ind.unit_zh, ind.unit_en, lang, " "), f"{ind.direction:+d}",
                          range_text(ind), pick(rule_text(ind, "zh"), rule_text(ind, "en"), lang), ind.source)
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
