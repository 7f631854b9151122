"""``egoveval settings``: every study setting with its default and help (declared once in
:mod:`egoveval.settings`)."""

from __future__ import annotations

import click
from rich.table import Table

from .common import console

__all__ = ["settings"]


@click.command()
def settings():
    """List the study-file settings, their defaults and meaning. / 列出研究文件的全部设置项。"""
    from ..settings import SETTINGS

    table = Table(title="设置 / Settings (defaults < study file < command line)")
    for col in ("name", "default", "choices", "help"):
        table.add_column(col, overflow="fold")
    for s in SETTINGS.values():
        table.add_row(s.name, repr(s.default), ", ".join(map(str, s.choices or ())), s.help)
    console.print(table)
