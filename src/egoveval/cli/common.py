"""What every command shares: error handling, problem tables, language option."""

from __future__ import annotations

import functools
import sys
import traceback

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import IncompleteAdjudication, InputError, Problem
from ..messages import Message

__all__ = ["EgovGroup", "handles_errors", "print_problems", "warning_line", "lang_option", "console",
           "err_console"]

class _Console:
    """A Rich console made at print time, so it writes to the current sys.stdout/stderr and
    honours COLUMNS as set when the command runs (tests, pipes). Markup is off: printed
    text carries user strings (unit names, cell values) in which ``[..]`` is not markup;
    the few styled lines ask for it with ``markup=True``."""

    def __init__(self, stderr: bool = False):
        self.stderr = stderr

    def print(self, *args, **kwargs) -> None:
        Console(stderr=self.stderr, highlight=False, soft_wrap=True, markup=False).print(*args, **kwargs)


console = _Console()
err_console = _Console(stderr=True)

lang_option = click.option("--lang", type=click.Choice(["zh", "en", "both"]), default="both",
                           show_default=True, help="Language of messages and reports / 语言")


def print_problems(problems, to=None) -> None:
    """All problems as one table: file, row, column, value, rule and the message in zh and en."""
    out = to or err_console
    table = Table(title="问题 / Problems", show_lines=False)
    for col in ("#", "级别 severity", "文件 file", "行 row", "列 column", "值 value", "规则 rule",
                "说明", "message"):
        table.add_column(col, overflow="fold")
    for i, p in enumerate(problems, 1):
        r = p.as_row()
        table.add_row(str(i), r["severity"], r["file"], str(r["row"]), r["column"], r["value"],
                      r["rule"], r["message_zh"], r["message_en"])
    out.print(table)


def warning_line(warning: Problem | Message) -> str:
    """``• FILE:ROW:COLUMN 中文 / English``: a warning with its place when it has one — a
    Problem's file (by name), row and column, or those of the Problem a run's warning was made
    from (:meth:`~egoveval.errors.Problem.as_message` passes them as parameters).

    >>> from egoveval.errors import Problem
    >>> line = warning_line(Problem.of("io.merged", file="/x/B.xlsx", row=3, column="C", value="a",
    ...                                severity="warning"))
    >>> line.startswith("• B.xlsx:3:C ")
    True
    """
    from pathlib import Path

    m = warning.as_message() if isinstance(warning, Problem) else warning
    params = dict(m.params)
    place = (Path(str(params["file"])).name if params.get("file") else "", params.get("row") or "",
             params.get("column") or "")
    where = ":".join(str(x) for x in place if x)
    return f"• {where + ' ' if where else ''}{m.both()}"


def handles_errors(func):
    """Bad input → problem table, exit 2; open adjudication → exit 3; a bug → exit 1 with a short
    message (the traceback only with EGOVEVAL_DEBUG=1)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            print_problems(exc.problems)
            n = len(exc.errors)
            err_console.print(f"[bold red]{n} 个错误，未生成输出 / {n} error(s); nothing was written.[/]", markup=True)
            sys.exit(2)
        except IncompleteAdjudication as exc:
            err_console.print(exc.summary)
            sys.exit(3)
        except click.exceptions.Exit:
            raise
        except (click.ClickException, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 — the edge where bugs become messages
            import os

            if os.environ.get("EGOVEVAL_DEBUG"):
                traceback.print_exc()
            err_console.print(f"[bold red]内部错误 / internal error:[/] {type(exc).__name__}: {escape(str(exc))}\n"
                              "请报告此问题 / please report this (set EGOVEVAL_DEBUG=1 for details).", markup=True)
            sys.exit(1)

    return wrapper


class EgovGroup(click.Group):
    """Click group whose usage errors keep click's exit code 2 and bilingual hint."""

    def main(self, *args, **kwargs):
        return super().main(*args, **kwargs)


def problem_rows(problems: list[Problem]):
    return [p.as_row() for p in problems]
