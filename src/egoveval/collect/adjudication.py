"""Reading the third check: the filled-in discrepancy list (file C).

Each row of C names a unit and an indicator from the discrepancy list and a
``decision``: ``A`` or ``B`` (take that collector's value) or ``value`` (the third
check re-collected the value and wrote it in ``value``). ``source``, ``checked_by``,
``checked_at`` and ``note`` become the value's provenance and the audit trail: every
decision needs ``checked_by`` (who) and ``checked_at`` (when), and a ``value`` decision
its ``source`` (where the value was re-collected).

Headers are matched by key (``decision``) or by the bilingual XLSX header
(``决定\\ndecision``); unit by code or name, indicator by id or Chinese name. Rows without
a decision are open; what the third check already wrote on them (value, source, checker,
date, note) is kept (:attr:`Adjudication.pending`) and carried into the next discrepancy
list. Every invalid row is a :class:`~egoveval.errors.Problem` with
file, row and column: an unknown decision; a value that does not parse for the
indicator; ``A``/``B`` where that file has no record of the unit or holds different
duplicates; a value contradicting the side chosen; a missing checker, date or (for a
re-collected value) source; a unit/indicator not in the list;
the same key twice; a row whose ``value_A``/``value_B`` no longer match the files
(a list made from older versions of A or B).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..errors import InputError, Problem
from ..frameworks.schema import Framework
from ..io.cells import Cell, normalise_text, parse_cell
from ..io.observations import match_header
from ..io.readers import read_table
from ..units.matching import normalise_name
from ..units.registry import UnitRegistry
from .compare import compare_cells
from .values import display, unneutralise

__all__ = ["Item", "Decision", "Adjudication", "read_adjudication", "parse_decision", "COLUMN_LABELS",
           "DECISIONS", "NOTE_COLUMNS", "REQUIRED"]

# key -> Chinese label; XLSX headers are "label\nkey", CSV headers the key.
COLUMN_LABELS = {
    "unit_code": "代码", "unit": "地区", "indicator": "指标", "indicator_name": "指标名称", "kind": "类型",
    "value_A": "A值", "value_B": "B值", "row_A": "A行号", "row_B": "B行号", "note_A": "A备注",
    "note_B": "B备注", "decision": "决定", "value": "核实值", "source": "核查来源", "checked_by": "核查人",
    "checked_at": "核查日期", "note": "理由",
}
DECISIONS = {
    "A": {"a", "采用a", "取a", "选a"},
    "B": {"b", "采用b", "取b", "选b"},
    "value": {"value", "值", "新值", "核实值", "重新采集", "recollected", "re-collected", "third_check",
              "third check", "c"},
}
# What the third check writes beside a decision (kept on open rows for the next round).
NOTE_COLUMNS = ("value", "source", "checked_by", "checked_at", "note")
# The audit trail's who and when for every decision; where from for a re-collected value.
REQUIRED = {"A": ("checked_by", "checked_at"), "B": ("checked_by", "checked_at"),
            "value": ("checked_by", "checked_at", "source")}


@dataclass(frozen=True)
class Item:
    """One discrepancy as the adjudication sees it: the cells of each side
    (empty: the file has no record of the unit; several: duplicates)."""

    code: str
    indicator: str
    kind: str
    cells_a: tuple[Cell, ...]
    cells_b: tuple[Cell, ...]
    display_a: str
    display_b: str


@dataclass(frozen=True)
class Decision:
    decision: str  # A | B | value
    cell: Cell
    source: str = ""
    checked_by: str = ""
    checked_at: str = ""
    note: str = ""
    row: int | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Adjudication:
    """What file C says: ``decisions`` per (unit code, indicator id), and ``pending`` — the
    text already written on rows without a decision (:data:`NOTE_COLUMNS` → text), kept so
    that the next discrepancy list does not lose the third check's notes."""

    decisions: dict[tuple[str, str], Decision] = field(default_factory=dict)
    pending: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)


def parse_decision(text: object) -> str | None:
    """'A', 'B', 'value', '' (blank) or None (not understood).

    >>> [parse_decision(x) for x in ("a", " Ｂ ", "value", "重新采集", "", None, "maybe")]
    ['A', 'B', 'value', 'value', '', '', None]
    """
    if text is None:
        return ""
    key = normalise_text(text).casefold()
    if not key:
        return ""
    for decision, names in DECISIONS.items():
        if key in names or key.replace(" ", "") in names:
            return decision
    return None


def _header_map(columns) -> dict[str, str]:
    found: dict[str, str] = {}
    labels = {normalise_name(v): k for k, v in COLUMN_LABELS.items()}
    keys = {k.casefold(): k for k in COLUMN_LABELS}
    for col in columns:
        text = str(col)
        tokens = [t.casefold() for t in text.split()]
        key = next((keys[t] for t in reversed(tokens) if t in keys), None)
        if key is None:
            key = labels.get(normalise_name(text))
        if key is not None and key not in found:
            found[key] = col
    return found


def _text(value: object) -> str:
    value = unneutralise(value)
    if isinstance(value, (datetime, date)) or isinstance(value, (int, float)):
        return display(value)
    return "" if value is None else str(value).strip()


def _side_cell(item: Item, side: str, indicator) -> tuple[Cell | None, str | None]:
    cells = item.cells_a if side == "A" else item.cells_b
    if not cells:
        return None, "adj.side_absent"
    first = cells[0]
    if any(not compare_cells(first, c, indicator).agree for c in cells[1:]):
        return None, "adj.side_ambiguous"
    return first, None


def _missing_fields(decision: str, texts: dict[str, str], cols: dict, file: str, row: int) -> list[Problem]:
    """One problem per required field (:data:`REQUIRED`) left blank on a decided row."""
    return [Problem.of(f"adj.{key}_required", file=file, row=row, column=str(cols.get(key, key)))
            for key in REQUIRED[decision] if not texts[key]]


def read_adjudication(path: str | Path, items: dict[tuple[str, str], Item], framework: Framework,
                      units: UnitRegistry) -> Adjudication:
    """The decisions in C, keyed by (unit code, indicator id), and the notes on its open
    rows; raise :class:`InputError` with every invalid row."""
    raw = read_table(path)
    frame, file = raw.frame, raw.file
    header_row = raw.rows[0] - 1 if raw.rows else 1
    cols = _header_map(frame.columns)
    problems: list[Problem] = []
    for needed in ("decision", "indicator"):
        if needed not in cols:
            problems.append(Problem.of("adj.no_key_column", file=file, row=header_row, column=needed))
    if "unit_code" not in cols and "unit" not in cols:
        problems.append(Problem.of("adj.no_key_column", file=file, row=header_row, column="unit_code / unit"))
    if problems:
        raise InputError(problems)
    decisions: dict[tuple[str, str], Decision] = {}
    pending: dict[tuple[str, str], dict[str, str]] = {}
    first_row: dict[tuple[str, str], int] = {}
    get = lambda pos, key: frame.iloc[pos][cols[key]] if key in cols else None
    for pos in range(len(frame)):
        row = raw.rows[pos]
        decision_raw = get(pos, "decision")
        decision = parse_decision(unneutralise(decision_raw))
        texts = {k: _text(get(pos, k)) for k in NOTE_COLUMNS}
        if not _text(decision_raw) and not any(texts.values()):
            continue  # an untouched row: open, whatever it refers to
        # which discrepancy?
        code = None
        code_text = _text(get(pos, "unit_code"))
        if code_text:
            code = units.lookup(code_text)
        if code is None:
            name = get(pos, "unit")
            code = units.lookup(name) if name is not None else None
        ind_text = _text(get(pos, "indicator"))
        ind_id = match_header(ind_text, framework) if ind_text else None
        if ind_id is None:
            problems.append(Problem.of("adj.unknown_indicator", file=file, row=row, column=str(cols["indicator"]),
                                       value=ind_text))
            continue
        key = (code, ind_id)
        if code is None or key not in items:
            where = cols.get("unit_code") or cols.get("unit")
            problems.append(Problem.of("adj.not_in_list", file=file, row=row, column=str(where),
                                       value=f"{code_text or _text(get(pos, 'unit'))} / {ind_text}"))
            continue
        if key in first_row:
            problems.append(Problem.of("adj.duplicate_row", file=file, row=row, column=str(cols["indicator"]),
                                       value=ind_text, first=first_row[key]))
            continue
        first_row[key] = row
        item = items[key]
        indicator = framework.indicator(ind_id)
        # stale list: the values shown for A/B must still be the files' values
        if item.kind in ("value", "missing in A", "missing in B"):
            for side, shown_col, current, cells in (("A", "value_A", item.display_a, item.cells_a),
                                                    ("B", "value_B", item.display_b, item.cells_b)):
                if shown_col not in cols:
                    continue
                shown = unneutralise(get(pos, shown_col))
                old = parse_cell(shown, indicator, raw.epoch)
                same = (old.status != "error" and compare_cells(old, cells[0], indicator).agree) \
                    if old.status != "error" else normalise_text(shown) == normalise_text(current)
                if not same:
                    problems.append(Problem.of("adj.stale", file=file, row=row, column=str(cols[shown_col]),
                                               value=_text(shown), side=side, old=_text(shown) or "∅",
                                               new=current or "∅"))
        if decision is None:
            problems.append(Problem.of("adj.bad_decision", file=file, row=row, column=str(cols["decision"]),
                                       value=decision_raw))
            continue
        if decision == "":
            if any(texts.values()):  # open; what is written is kept for the next round
                pending[key] = texts
            continue
        missing = _missing_fields(decision, texts, cols, file, row)
        problems.extend(missing)
        value_raw = unneutralise(get(pos, "value"))
        value_cell = parse_cell(value_raw, indicator, raw.epoch)
        value_given = _text(value_raw) != ""
        if decision == "value":
            if not value_given:
                problems.append(Problem.of("adj.value_required", file=file, row=row,
                                           column=str(cols.get("value", "value"))))
                continue
            if value_cell.status == "error":
                problems.append(Problem.of(value_cell.rule, file=file, row=row, column=str(cols["value"]),
                                           value=value_raw, **dict(value_cell.params)))
                continue
            chosen = value_cell
        else:
            chosen, rule = _side_cell(item, decision, indicator)
            if rule is not None:
                problems.append(Problem.of(rule, file=file, row=row, column=str(cols["decision"]),
                                           value=decision_raw, side=decision))
                continue
            if value_given and (value_cell.status == "error"
                                or not compare_cells(value_cell, chosen, indicator).agree):
                problems.append(Problem.of("adj.value_conflicts", file=file, row=row, column=str(cols["value"]),
                                           value=value_raw, side=decision))
                continue
        if missing:
            continue
        decisions[key] = Decision(decision, chosen, texts["source"], texts["checked_by"], texts["checked_at"],
                                  texts["note"], row)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return Adjudication(decisions, pending)
