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


@framework.command("show")
@click.argument("framework_id", required=False, default=None)
@click.option("--lang", type=click.Choice(["zh", "en", "both"]), default="both", show_default=True)
@handles_errors
def show(framework_id, lang):
    """Print a framework (no ID: list the built-in ones). / 显示指标体系。"""
    from ..frameworks import builtin_ids, load_framework

    if framework_id is None:
        for fid in builtin_ids():
            fw = load_framework(fid)
            console.print(f"{fid}: {fw.name_zh} / {fw.name_en} ({len(fw.channels)} channels, "
                          f"{len(fw.indicators)} indicators)")
        return
    fw = load_framework(framework_id)
    title = fw.name_zh if lang == "zh" else fw.name_en if lang == "en" else f"{fw.name_zh} / {fw.name_en}"
    table = Table(title=title, show_lines=False)
    for col in ("渠道 channel", "编号 id", "指标 indicator", "类型 kind", "单位 unit", "方向", "范围 range",
                "量化 rule", "来源 source"):
        table.add_column(col, overflow="fold")
    for ch in fw.channels:
        for ind in ch.indicators:
            name = ind.name_zh if lang == "zh" else ind.name_en if lang == "en" else f"{ind.name_zh} / {ind.name_en}"
            chan = ch.name_zh if lang == "zh" else ch.name_en if lang == "en" else f"{ch.name_zh} / {ch.name_en}"
            lo, hi = ind.range
            table.add_row(chan, ind.id, name, ind.kind, f"{ind.unit_zh} {ind.unit_en}".strip(),
                          f"{ind.direction:+d}", f"[{'' if lo is None else f'{lo:g}'}, {'' if hi is None else f'{hi:g}'}]",
                          ind.quantification, ind.source)
    console.print(table)


@framework.command("export")
@click.argument("framework_id")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=str))
@handles_errors
def export(framework_id, out_file):
    """Write a framework as Table 1 (XLSX or CSV). / 将指标体系导出为表 1。"""
    from pathlib import Path

    from ..frameworks import framework_table, load_framework
    from ..io.writers import write_bytes, write_csv
    from ..report.xlsx import workbook_bytes

    fw = load_framework(framework_id)
    table = framework_table(fw)
    out = Path(out_file)
    if out.suffix.lower() == ".csv":
        write_csv(table, out)
    else:
        write_bytes(workbook_bytes([("Table 1", table, f"表1 {fw.name_zh} / Table 1 {fw.name_en}")]), out)
    console.print(bilingual("framework.exported", path=out))
