"""``egoveval report RUN_DIR [--lang zh|en|both] [--format html|xlsx|pdf] [--out DIR]``:
re-render a finished run from its saved Result (``RUN_DIR/result``) without recomputing."""

from __future__ import annotations

import click

from ..messages import bilingual
from .common import console, handles_errors

__all__ = ["report"]


@click.command()
@click.argument("run_dir", type=click.Path(file_okay=False, path_type=str))
@click.option("--lang", type=click.Choice(["zh", "en", "both"]), default="both", show_default=True,
              help="Report language / 报告语言")
@click.option("--format", "formats", type=click.Choice(["html", "xlsx", "pdf"]), multiple=True,
              help="What to render (repeatable; default html) / 输出格式（可重复，默认 html）")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=str),
              help="Write here instead of RUN_DIR / 输出目录（默认 RUN_DIR）")
@handles_errors
def report(run_dir, lang, formats, out_dir):
    """Re-render a finished run's report without recomputing. / 从已完成的运行结果重新生成报告（不重新计算）。"""
    from ..report.outputs import render_run

    for path in render_run(run_dir, lang, formats or ("html",), out=out_dir):
        console.print(bilingual("report.rendered", path=path))
