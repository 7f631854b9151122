"""The ``egoveval`` command line: thin — parse, call the library, turn domain errors
into messages. Exit codes: 0 success, 2 bad input, 3 reconciliation still open,
1 internal error. Each command lives in its own module and is registered here.
"""

from __future__ import annotations

import importlib

import click

from .common import EgovGroup

__all__ = ["main", "cli"]

# (module, command name) — one line per command module in this package.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("run", "run"),
    ("validate", "validate"),
    ("framework", "framework"),
    ("cluster", "cluster"),
    ("settings", "settings"),
    ("template", "template"),
    ("reconcile", "reconcile"),
    ("index", "index"),
    ("regions", "regions"),
    ("report", "report"),
    ("coverage", "coverage"),
)


@click.group(cls=EgovGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="egoveval")
def cli() -> None:
    """egoveval — 政务服务渠道发展水平评价 / evaluating government online service channels."""


for _module, _name in COMMANDS:
    cli.add_command(getattr(importlib.import_module(f"{__name__}.{_module}"), _name))


def main() -> None:
    cli(prog_name="egoveval")
