"""``egoveval template``: the collection workbook for a framework and a set of units."""

from __future__ import annotations

import click

from ..frameworks import load_framework
from ..messages import msg
from ..units.registry import load_units
from .common import console, handles_errors

__all__ = ["template"]


@click.command("template")
@click.option("--framework", "framework_id", required=True, help="Framework id or YAML file / 指标体系")
@click.option("--units", "units_spec", default=None,
              help="provinces | cities | a unit file (CSV/XLSX with code, name); default: the framework's units")
@click.option("--collector", default=None, help="Collector's name, pre-filled / 采集人")
@click.option("--lang", type=click.Choice(["zh", "en", "both"]), default="both", show_default=True,
              help="Language of the workbook / 语言")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True,
              help="xlsx: full workbook; csv: the data sheet's header and unit names only")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Output file / 输出文件")
@handles_errors
def template(framework_id: str, units_spec: str | None, collector: str | None, lang: str, fmt: str,
             out: str) -> None:
    """生成数据采集表 / Write a data collection template."""
    from ..collect.template import write_template

    framework = load_framework(framework_id)
    units = load_units(units_spec or framework.units)
    path = write_template(framework, units, out, collector=collector, lang=lang, fmt=fmt)
    console.print(msg("template.written", path=path, units=len(units),
                      indicators=len(framework.indicators)).both())
