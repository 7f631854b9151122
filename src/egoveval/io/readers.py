"""Reading tables as people send them: CSV in UTF-8, UTF-8 with BOM or GB18030, and XLSX.

Every cell is kept as the user wrote it (text, number, date), with the row number
the user sees (the header is row 1), so later problems can point at the cell.

* CSV: strict UTF-8 (with or without BOM) first, then GB18030 (what Chinese Excel
  saves); anything else is a problem naming the file.
* XLSX: read with openpyxl (which parses XML with defusedxml when installed, so entity
  expansion is refused); the archive is checked first, before openpyxl sees it, against
  an uncompressed size over :data:`MAX_XLSX_UNCOMPRESSED`, a member compressed more than
  :data:`MAX_COMPRESSION_RATIO` : 1 (XLSX XML rarely exceeds ~30 : 1) and more than
  :data:`MAX_XLSX_CELLS` cells (counted by streaming the XML; openpyxl builds every cell of
  every sheet in memory, about 30 µs and 0.5 KiB per cell: a 0.8 MB file of 420,000 cells
  took 13 s and 260 MiB); formulas are read as their cached values; merged
  ranges are filled from their top-left cell (reported as a warning); the 1904 date
  system is recorded so serial dates convert correctly; XML with a DTD or entity
  declarations (billion laughs) is refused with a problem, not a traceback.
* Blank rows and columns are dropped; row numbers still refer to the file.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem

__all__ = ["RawTable", "read_table", "visible_sheets", "MAX_XLSX_UNCOMPRESSED", "MAX_COMPRESSION_RATIO",
           "MAX_XLSX_CELLS", "DATA_SHEET_NAMES"]

# Limits for XLSX files (collection workbooks, data and unit files). A collection of 3,000
# units x 80 columns is 240,000 cells (a few MiB of XML); larger tables belong in CSV.
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024  # bytes, all members together
MAX_COMPRESSION_RATIO = 200  # per member above 1 MiB; XLSX XML rarely compresses beyond ~30
MAX_XLSX_CELLS = 250_000  # cells in all worksheets together (openpyxl loads them all)
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
DATA_SHEET_NAMES = ("数据", "data", "数据 data", "Data", "数据表")


@dataclass(frozen=True)
class RawTable:
    """A table as read: ``frame`` holds raw cells (object dtype, header as columns);
    ``rows`` the 1-based file row number of each frame row."""

    frame: pd.DataFrame
    rows: tuple[int, ...]
    file: str
    sheet: str | None = None
    epoch: datetime = datetime(1899, 12, 30)
    warnings: tuple[Problem, ...] = field(default=())
    sheets: tuple[str, ...] = ()  # XLSX: the workbook's visible sheets, in order


    def row_of(self, position: int) -> int:
        return self.rows[position]


def read_table(path: str | Path, sheet: str | None = None) -> RawTable:
    path = Path(path)
    if not path.exists():
        raise InputError([Problem.of("io.not_found", file=path)])
    if path.is_dir():
        raise InputError([Problem.of("io.is_dir", file=path)])
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix in (".xls", ".et", ".ods", ".numbers"):
        raise InputError([Problem.of("io.format", file=path, value=suffix)])
    return _read_csv(path)


def visible_sheets(path: str | Path) -> tuple[str, ...]:
    """The visible sheets of an XLSX workbook, in order (empty for other files)."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return ()
    import openpyxl

    _check_archive(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 - read_table reports why the file cannot be read
        return ()
    try:
        return tuple(ws.title for ws in wb.worksheets if ws.sheet_state == "visible")
    finally:
        wb.close()


# -- CSV ---------------------------------------------------------------------
def _decode(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise InputError([Problem.of("io.empty", file=path)])
    if data.startswith(b"PK\x03\x04"):
        raise InputError([Problem.of("io.xlsx_named_csv", file=path)])
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise InputError([Problem.of("io.encoding", file=path)])


def _read_csv(path: Path) -> RawTable:
    text = _decode(path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return _from_rows(rows, path, None, datetime(1899, 12, 30), [])


# -- XLSX --------------------------------------------------------------------
def _mib(size: float) -> str:
    return f"{size / 2**20:.1f} MiB"


def _count_cells(zf: zipfile.ZipFile, info: zipfile.ZipInfo, chunk: int = 1 << 20) -> int:
    """Cell elements (``<c …>``, with or without a namespace prefix) in one XML member that
    holds rows (``<row …>``), streamed so that memory stays at one chunk; 0 for a member
    without rows.

    A worksheet's cells sit in rows, and openpyxl reads cells only from rows; the calculation
    chain (``xl/calcChain.xml``) has one row-less ``<c>`` per formula cell, which must not
    count the formula cells twice. Rows are looked for in every part (not by name or content
    type), because openpyxl finds sheets through the workbook's relationships, wherever
    they are and whatever their declared type."""
    count = rows = 0
    tail = b""
    with zf.open(info) as fh:
        while block := fh.read(chunk):
            data = tail + block
            # a tag cut at the chunk's end is counted with the next chunk
            cut = max(len(data) - 64, 0)
            count += sum(1 for m in _CELL_TAG.finditer(data) if m.start() < cut)
            rows = rows or any(m.start() < cut for m in _ROW_TAG.finditer(data))
            tail = data[cut:]
    rows = rows or _ROW_TAG.search(tail) is not None
    return count + len(_CELL_TAG.findall(tail)) if rows else 0


def _check_archive(path: Path) -> None:
    """Refuse an XLSX that would cost openpyxl too much memory or time, before it is opened:
    over :data:`MAX_XLSX_UNCOMPRESSED` unpacked, a member above 1 MiB compressed more than
    :data:`MAX_COMPRESSION_RATIO` : 1, or more than :data:`MAX_XLSX_CELLS` cells."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            for info in members:
                ratio = info.file_size / info.compress_size if info.compress_size else 0
                if ratio > MAX_COMPRESSION_RATIO and info.file_size > 1024 * 1024:
                    raise InputError([Problem.of("io.zip_bomb", file=path, value=info.filename,
                                                 ratio=f"{ratio:.0f}", limit=MAX_COMPRESSION_RATIO)])
            total = sum(info.file_size for info in members)
            if total > MAX_XLSX_UNCOMPRESSED:
                raise InputError([Problem.of("io.too_large", file=path, value=_mib(total),
                                             limit=_mib(MAX_XLSX_UNCOMPRESSED))])
            # every XML part with rows, not only xl/worksheets/: the workbook may place its sheets anywhere
            cells = sum(_count_cells(zf, info) for info in members if info.filename.lower().endswith(".xml"))
            if cells > MAX_XLSX_CELLS:
                raise InputError([Problem.of("io.too_many_cells", file=path, value=f"{cells:,}",
                                             limit=f"{MAX_XLSX_CELLS:,}")])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error):
        raise InputError([Problem.of("io.bad_xlsx", file=path)]) from None


def _defused_cause(exc: BaseException):
    """The defusedxml refusal behind ``exc`` (openpyxl re-raises it as ValueError), if any."""
    from defusedxml import DefusedXmlException

    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DefusedXmlException):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def _read_xlsx(path: Path, sheet: str | None) -> RawTable:
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise RuntimeError("defusedxml is required to read XLSX safely")
    _check_archive(path)
    try:
        wb = openpyxl.load_workbook(path, data_only=True, read_only=False)
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many types for broken or hostile files
        defused = _defused_cause(exc)
        if defused is not None:  # entity expansion, DTDs, external references (openpyxl wraps them)
            raise InputError([Problem.of("io.xml_forbidden", file=path,
                                         detail=type(defused).__name__)]) from None
        raise InputError([Problem.of("io.bad_xlsx_detail", file=path,
                                     detail=f"{type(exc).__name__}: {exc}"[:200])]) from None
    try:
        visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise InputError([Problem.of("io.sheet_missing", file=path, value=sheet,
                                             sheets="、".join(wb.sheetnames))])
            name = sheet
        else:
            named = [s for s in wb.sheetnames if s.strip() in DATA_SHEET_NAMES]
            name = named[0] if named else visible[0] if visible else wb.sheetnames[0]
        ws = wb[name]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        warnings: list[Problem] = []
        for merged in list(ws.merged_cells.ranges):
            top = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row - 1 < len(rows) else None
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if r - 1 < len(rows) and c - 1 < len(rows[r - 1]):
                        rows[r - 1][c - 1] = top
            warnings.append(Problem.of("io.merged", file=path, row=merged.min_row,
                                       value=str(merged), severity="warning"))
        epoch = datetime(1904, 1, 1) if wb.epoch.year == 1904 else datetime(1899, 12, 30)
    finally:
        wb.close()
    uncached = _uncached_formulas(path, name, rows)
    if uncached:
        raise InputError(uncached)
    return _from_rows(rows, path, name, epoch, warnings, tuple(visible))


def _uncached_formulas(path: Path, sheet: str, values: list[list]) -> list[Problem]:
    """Formula cells without a stored result. openpyxl reads the value Excel saved with the
    formula; a workbook written by a program that does not compute formulas has none, and the
    cell would read as blank. Each becomes a problem rather than a silent missing value."""
    import openpyxl

    if not any(v is None for row in values for v in row):
        return []
    wb = openpyxl.load_workbook(path, data_only=False, read_only=True)
    try:
        problems = []
        for r, row in enumerate(wb[sheet].iter_rows(values_only=True)):
            for c, formula in enumerate(row):
                if (isinstance(formula, str) and formula.startswith("=") and r < len(values)
                        and c < len(values[r]) and values[r][c] is None):
                    problems.append(Problem.of("io.formula_uncached", file=path, row=r + 1,
                                               column=_column_letter(c), value=formula[:80]))
        return problems
    finally:
        wb.close()


# -- shared ------------------------------------------------------------------
def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _from_rows(rows: list[list], path: Path, sheet: str | None, epoch: datetime,
               warnings: list[Problem], sheets: tuple[str, ...] = ()) -> RawTable:
    numbered = [(i + 1, r) for i, r in enumerate(rows) if not all(_blank(v) for v in r)]
    if not numbered:
        raise InputError([Problem.of("io.empty", file=path)])
    if len(numbered) == 1:
        raise InputError([Problem.of("io.empty", file=path)])
    header_row, header = numbered[0]
    width = max(len(r) for _, r in numbered)
    header = list(header) + [None] * (width - len(header))
    body = [(n, list(r) + [None] * (width - len(r))) for n, r in numbered[1:]]
    keep = [c for c in range(width) if not _blank(header[c]) or any(not _blank(r[c]) for _, r in body)]
    problems = []
    names: list[str] = []
    for c in keep:
        if _blank(header[c]):
            problems.append(Problem.of("io.blank_header", file=path, row=header_row,
                                       column=_column_letter(c)))
            names.append(f"<{_column_letter(c)}>")
        else:
            names.append(str(header[c]).strip())
    seen: dict[str, int] = {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
    for name, count in seen.items():
        if count > 1:
            problems.append(Problem.of("io.duplicate_header", file=path, row=header_row, column=name))
    if problems:
        raise InputError(problems)
    data = [[r[c] for c in keep] for _, r in body]
    frame = pd.DataFrame(data, columns=names, dtype=object)
    return RawTable(frame, tuple(n for n, _ in body), str(path), sheet, epoch, tuple(warnings), sheets)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
