"""``egoveval reconcile``: compare two collections, apply the third check, write the verified data.

Exit codes: 0 all discrepancies decided (``verified.csv`` written), 2 bad input (A, B or
the adjudication file), 3 discrepancies still open (every output but ``verified.csv``).
Warnings (merged cells filled, another sheet used, units in neither file, …) are printed
one a line and recorded in ``manifest.json``.
"""

from __future__ import annotations

import click

from ..errors import IncompleteAdjudication
from ..messages import msg
from .common import console, handles_errors, warning_line

__all__ = ["reconcile"]


@click.command("reconcile")
@click.argument("a", type=click.Path(dir_okay=False))
@click.argument("b", type=click.Path(dir_okay=False))
@click.option("--adjudication", default=None, type=click.Path(dir_okay=False),
              help="The discrepancy list filled in by the third check (C) / 第三方核查文件")
@click.option("--framework", "framework_id", default="provincial-channels", show_default=True,
              help="Framework id or YAML file / 指标体系")
@click.option("--units", "units_spec", default=None,
              help="provinces | cities | a unit file; default: the framework's units")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output folder / 输出目录")
@handles_errors
def reconcile(a: str, b: str, adjudication: str | None, framework_id: str, units_spec: str | None,
              out: str) -> None:
    """核对两份独立采集结果 / Reconcile two independent collections."""
    from ..collect.outputs import write_reconciliation
    from ..collect.reconcile import reconcile_collections

    result = reconcile_collections(a, b, adjudication, framework_id, units_spec)
    path = write_reconciliation(result, out, inputs=[a, b, adjudication])
    for warning in result.warnings:
        console.print(warning_line(warning))
    if not result.complete:
        raise IncompleteAdjudication(result.open_items, result.open_summary.both("\n"))
    total = len(result.discrepancies)
    key = "reconcile.done" if total else "reconcile.identical"
    console.print(msg(key, total=total, path=path).both("\n"))
