"""Writing outputs: atomically, and safe from spreadsheet formula injection.

* :func:`output_dir` builds everything in a temporary sibling folder and moves it
  into place only when the block finishes without error; on error nothing is left.
* :func:`neutralise` prefixes text that a spreadsheet would evaluate (starting with
  ``=``, ``+``, ``-``, ``@``, tab or carriage return) with ``'`` (OWASP CSV-injection
  guidance). Numbers are never touched, nor is text that is a plain number (``-3``,
  ``+0.5``, ``-1e-3``: :data:`PLAIN_NUMBER`) — a spreadsheet reads it as that number, not
  a formula, and a prefix would turn ids and values into text the loaders reject.
* :func:`write_csv` writes UTF-8 with BOM so Excel shows Chinese correctly.

>>> neutralise("=HYPERLINK(\\"x\\")"), neutralise("-1+2"), neutralise("@SUM(A1)"), neutralise("北京")
('\\'=HYPERLINK("x")', "'-1+2", "'@SUM(A1)", '北京')
>>> neutralise("-3"), neutralise("-0.5"), neutralise("+2.5e3"), neutralise(-3)
('-3', '-0.5', '+2.5e3', -3)
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator

import pandas as pd

from ..messages import text

__all__ = ["neutralise", "neutralise_frame", "PLAIN_NUMBER", "write_csv", "write_json", "write_bytes",
           "output_dir", "atomic_file", "check_output_target", "MARKER"]

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")
"""A signed decimal: a spreadsheet reads it as a number, so it needs no prefix."""


def neutralise(value: Any) -> Any:
    """``'`` + text that a spreadsheet would evaluate as a formula; anything else unchanged."""
    if isinstance(value, str) and value.startswith(_DANGEROUS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: Path, *, index: bool = False) -> Path:
    """UTF-8 with BOM, LF line ends, formula-safe text."""
    path = Path(path)
    safe = neutralise_frame(frame)
    with atomic_file(path) as tmp:
        safe.to_csv(tmp, index=index, encoding="utf-8-sig", lineterminator="\n")
    return path


def write_json(data: Any, path: Path) -> Path:
    path = Path(path)
    with atomic_file(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n",
                       encoding="utf-8")
    return path


def write_bytes(data: bytes, path: Path) -> Path:
    path = Path(path)
    with atomic_file(path) as tmp:
        tmp.write_bytes(data)
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename over ``path`` on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; outputs are meant to be shared
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


MARKER = ".egoveval-output"
"""File that marks a folder as egoveval's own output, which a later run may replace whole."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output_target(final: Path, inputs: Iterable[str | Path] = ()) -> None:
    """Refuse an output folder whose replacement would destroy something not ours.

    An output folder is replaced as a whole, so it must not be a file, must not hold
    any of the run's inputs, and, when it exists and is not empty, must carry
    :data:`MARKER` (written into every folder :func:`output_dir` makes). Every
    problem is reported at once as an :class:`~egoveval.errors.InputError`.
    """
    from ..errors import InputError, Problem

    final = Path(final).resolve()
    problems = []
    if final.exists() and not final.is_dir():
        problems.append(Problem.of("io.output_is_file", file=str(final)))
    for item in inputs:
        if item is None or not Path(item).exists():
            continue
        path = Path(item).resolve()
        if _inside(path, final):
            problems.append(Problem.of("io.output_holds_input", file=str(final), value=str(path)))
    if (final.is_dir() and any(final.iterdir()) and not (final / MARKER).is_file()
            and not any(p.rule == "io.output_holds_input" for p in problems)):
        problems.append(Problem.of("io.output_not_ours", file=str(final)))
    if problems:
        raise InputError(problems)


@contextlib.contextmanager
def output_dir(final: Path, *, inputs: Iterable[str | Path] = ()) -> Iterator[Path]:
    """Yield a fresh temporary folder; on success it replaces ``final`` as a whole.

    Files in an existing ``final`` folder are replaced only after the new outputs are
    complete (the old folder is moved aside, then removed), so a failed run never
    leaves a half-written folder and never destroys the previous results. Before
    anything is written, :func:`check_output_target` refuses a target that is a file,
    holds one of ``inputs``, or is a non-empty folder that egoveval did not write.
    """
    final = Path(final).resolve()
    check_output_target(final, inputs)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".partial", dir=final.parent))
    try:
        yield tmp
        (tmp / MARKER).write_text(f"{text('io.marker', 'en')}\n{text('io.marker', 'zh')}\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    os.chmod(tmp, 0o777 & ~_umask())
    os.chmod(tmp / MARKER, 0o666 & ~_umask())
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, old)
    os.replace(tmp, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
