"""Reconciling two independent collections (A, B) with a third check (C).

Procedure (EpiData/REDCap-style double entry, with tolerances and a re-collecting
third check):

1. Read A and B with the observation reader (:func:`egoveval.io.observations.scan_observations`);
   units are matched by normalised name, columns by id or Chinese name in any order.
   Unreadable cells, unknown units or columns are problems (exit 2) — they must be fixed
   in the collection, not adjudicated.
2. For every unit of the study and every indicator, compare A and B
   (:mod:`egoveval.collect.compare`). Differences become rows of the discrepancy list,
   of kind ``value``, ``missing in A``, ``missing in B``, ``unit missing from a file``
   (a unit absent from A or B: one row per indicator, as its values were collected once)
   or ``duplicate unit`` (a unit twice in a file: one row per indicator, all its values shown).
   A unit absent from *both* files is not a discrepancy — nobody collected it, so there is
   nothing to decide: one warning lists such units and they are left out of the verified
   data (a loader that requires every unit of the list says so when it reads them).
3. Agreement statistics over the units present once in both files (:mod:`.agreement`).
4. With an adjudication file C (the discrepancy list filled in), every discrepancy needs
   a decision A | B | value (:mod:`.adjudication`). When all are decided, the verified
   data hold every value with its provenance ``from``: ``agreed`` (A and B agree; within a
   numeric tolerance A's value is kept and B's is shown beside it), ``A``, ``B`` or
   ``third_check`` (re-collected), with the check's source, checker, date and note.
   Otherwise the result is incomplete (``complete=False``, no verified data); what the
   third check wrote on undecided rows is carried into the new discrepancy list.

Nothing here reads the clock: the same inputs give the same tables.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import __version__
from ..errors import InputError, Problem
from ..frameworks import load_framework
from ..frameworks.schema import Framework
from ..io.cells import Cell
from ..io.observations import ObservationScan, Observations, scan_observations
from ..messages import Message, first_items, msg
from ..units.registry import UnitRegistry, load_units
from .adjudication import NOTE_COLUMNS, Adjudication, Item, read_adjudication
from .agreement import PairSet, agreement_table
from .compare import compare_cells
from .values import canonical, display

__all__ = ["ReconcileResult", "reconcile_collections", "DISCREPANCY_COLUMNS", "VERIFIED_COLUMNS",
           "AUDIT_COLUMNS", "KINDS", "file_digest"]

KINDS = {"value": "disc.kind.value", "missing in A": "disc.kind.missing_a", "missing in B": "disc.kind.missing_b",
         "unit missing from a file": "disc.kind.unit_missing", "duplicate unit": "disc.kind.duplicate"}
DISCREPANCY_COLUMNS = ["unit_code", "unit", "indicator", "indicator_name", "kind", "value_A", "value_B",
                       "row_A", "row_B", "note_A", "note_B",
                       "decision", "value", "source", "checked_by", "checked_at", "note"]
VERIFIED_COLUMNS = ["unit_code", "unit", "indicator", "indicator_name", "value", "status", "from",
                    "value_A", "value_B", "source", "checked_by", "checked_at", "note"]
AUDIT_COLUMNS = ["who", "when", "what", "why", "unit_code", "unit", "indicator", "kind", "value_A", "value_B",
                 "decision", "value", "from", "source", "adjudication_row"]


@dataclass(frozen=True)
class ReconcileResult:
    """Everything a reconciliation produced.

    ``discrepancies`` (the list to adjudicate, decisions filled in from C where given),
    ``agreement`` (per indicator and overall), ``audit`` (one row per decision),
    ``verified_table`` (long: one row per unit × indicator with provenance) and
    ``verified`` (:class:`~egoveval.io.observations.Observations`) — both None unless
    ``complete``; ``open_items`` and ``open_summary`` say what is still undecided;
    ``manifest`` the inputs' hashes and the settings; ``absent`` the unit codes found in
    neither file (left out of everything but the warning).
    """

    discrepancies: pd.DataFrame
    agreement: pd.DataFrame
    audit: pd.DataFrame
    verified_table: pd.DataFrame | None
    verified: Observations | None
    complete: bool
    open_items: int
    open_summary: Message | None
    manifest: dict
    warnings: tuple[Problem, ...] = ()
    absent: tuple[str, ...] = ()


def file_digest(path: str | Path) -> dict:
    data = Path(path).read_bytes()
    return {"file": Path(path).name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def _scan_all(paths: dict[str, str | Path], framework: Framework, units: UnitRegistry,
              ids: list[str]) -> tuple[dict[str, ObservationScan], list[Problem]]:
    scans, problems = {}, []
    for label, path in paths.items():
        try:
            scan = scan_observations(path, framework, units, required=ids)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        scans[label] = scan
        problems.extend(scan.problems)
        problems.extend(p for rec in scan.records for p in rec.problems)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return scans, problems


def _join(parts) -> str:
    return " | ".join(parts)


def _note(rec) -> str:
    value = rec.meta.get("note") if rec is not None else None
    return display(value).strip()


def _source(rec) -> str:
    value = rec.meta.get("source") if rec is not None else None
    return display(value).strip()


def reconcile_collections(a_path: str | Path, b_path: str | Path, adjudication_path: str | Path | None = None,
                          framework: Framework | str = "provincial-channels",
                          units: UnitRegistry | str | None = None, *, indicators: list[str] | None = None,
                          weights: str = "linear") -> ReconcileResult:
    """Compare collections A and B, apply the adjudication C if given, and build the
    verified data when every discrepancy is decided.

    ``framework`` a :class:`Framework` or a framework id/file; ``units`` a registry, a spec
    (``provinces``, ``cities``, a unit file) or None for the framework's units — every unit
    of the registry is expected in both files. ``indicators`` compares a subset.
    ``weights`` is the weighting of the ordinal kappa (``linear`` or ``quadratic``).
    Raises :class:`~egoveval.errors.InputError` with every problem in A, B or C.
    """
    fw = framework if isinstance(framework, Framework) else load_framework(framework)
    reg = units if isinstance(units, UnitRegistry) else load_units(units or fw.units)
    ids = list(indicators) if indicators else fw.ids
    unknown = [i for i in ids if i not in fw.ids]
    if unknown:
        raise InputError([Problem.of("reconcile.indicators_unknown", value=i) for i in unknown])
    ids = [i for i in fw.ids if i in ids]
    scans, warnings = _scan_all({"A": a_path, "B": b_path}, fw, reg, ids)
    a, b = scans["A"], scans["B"]
    first_a, first_b = a.first(), b.first()
    dups_a, dups_b = a.duplicates(), b.duplicates()
    names = dict(zip(reg.table["code"], reg.table["name"]))
    absent = [c for c in reg.codes if c not in first_a and c not in first_b]
    codes = [c for c in reg.codes if c not in absent]
    if absent:
        warnings = [*warnings, _absent_warning(absent, names, a_path, b_path)]

    rows: list[dict] = []
    items: dict[tuple[str, str], Item] = {}
    pairs = {i: PairSet(fw.indicator(i)) for i in ids}
    for code in codes:
        recs_a = dups_a.get(code) or ([first_a[code]] if code in first_a else [])
        recs_b = dups_b.get(code) or ([first_b[code]] if code in first_b else [])
        for ind_id in ids:
            indicator = fw.indicator(ind_id)
            if len(recs_a) > 1 or len(recs_b) > 1:
                kind = "duplicate unit"
            elif not recs_a or not recs_b:
                kind = "unit missing from a file"
            else:
                ca, cb = recs_a[0].cells[ind_id], recs_b[0].cells[ind_id]
                pairs[ind_id].add(ca.status, ca.value, cb.status, cb.value)
                comparison = compare_cells(ca, cb, indicator)
                if comparison.agree:
                    continue
                kind = comparison.kind
            shown_a = _join(display(r.raw[ind_id]) for r in recs_a)
            shown_b = _join(display(r.raw[ind_id]) for r in recs_b)
            items[(code, ind_id)] = Item(code, ind_id, kind, tuple(r.cells[ind_id] for r in recs_a),
                                         tuple(r.cells[ind_id] for r in recs_b), shown_a, shown_b)
            rows.append({
                "unit_code": code, "unit": names[code], "indicator": ind_id, "indicator_name": indicator.name_zh,
                "kind": kind, "value_A": shown_a, "value_B": shown_b,
                "row_A": _join(str(r.row) for r in recs_a), "row_B": _join(str(r.row) for r in recs_b),
                "note_A": _join(x for x in dict.fromkeys(_note(r) for r in recs_a) if x),
                "note_B": _join(x for x in dict.fromkeys(_note(r) for r in recs_b) if x),
                "decision": "", "value": "", "source": "", "checked_by": "", "checked_at": "", "note": "",
            })
    discrepancies = pd.DataFrame(rows, columns=DISCREPANCY_COLUMNS, dtype=object)
    agreement = agreement_table(pairs, weights)

    adjudication = read_adjudication(adjudication_path, items, fw, reg) if adjudication_path is not None \
        else Adjudication()
    decisions = adjudication.decisions
    _fill_in(discrepancies, rows, adjudication, fw)

    audit = _audit(rows, decisions, fw)
    open_keys = [k for k in items if k not in decisions]
    complete = not open_keys
    summary = None
    verified_table = verified = None
    if complete:
        verified_table = _verified_table(codes, ids, names, fw, first_a, first_b, dups_a, dups_b, items, decisions)
        verified = _observations(verified_table, fw, ids, codes)
    else:
        # named as discrepancies.xlsx names them (Chinese names), the "… (+N more)" in each language
        listed = [f"{names[c]}/{fw.indicator(i).name_zh}" for c, i in open_keys]
        summary = msg("adj.open", open=len(open_keys), total=len(items), path="discrepancies.xlsx",
                      items=first_items(listed, 5, "zh", "；"), items_en=first_items(listed, 5, "en", "; "))

    warnings = [p for p in warnings if p.severity == "warning"]
    inputs = {"a": file_digest(a_path), "b": file_digest(b_path)}
    if adjudication_path is not None:
        inputs["adjudication"] = file_digest(adjudication_path)
    counts = discrepancies["kind"].value_counts().reindex(list(KINDS), fill_value=0)
    manifest = {
        "tool": "egoveval", "version": __version__, "command": "reconcile",
        "framework": {"id": fw.id, "version": fw.version}, "units": {"kind": reg.kind, "count": len(reg)},
        "indicators": ids, "inputs": inputs,
        "settings": {"kappa_weights": weights, "numeric_agreement": "lin_ccc",
                     "tolerance_rule": "|a-b| <= max(tol_abs, tol_rel*max(|a|,|b|))",
                     "blank_pairs": "pairs blank in both files are not compared"},
        "discrepancies": {"total": len(items), "decided": len(decisions), "open": len(open_keys),
                          "by_kind": {k: int(v) for k, v in counts.items()}},
        "complete": complete,
        "units_absent_from_both": [names[c] for c in absent],
        "warnings": [_warning_record(p) for p in warnings],
        "files_A": {"sheet": a.sheet, "rows": len(a.records)}, "files_B": {"sheet": b.sheet, "rows": len(b.records)},
    }
    return ReconcileResult(discrepancies, agreement, audit, verified_table, verified, complete, len(open_keys),
                           summary, manifest, tuple(warnings), tuple(absent))


def _warning_record(problem: Problem) -> dict:
    """A warning as manifest.json records it (file by name, so the manifest does not depend on
    where the inputs were)."""
    row = problem.as_row()
    row["file"] = Path(row["file"]).name if row["file"] else ""
    return row


def _absent_warning(absent: list[str], names: dict, a_path, b_path) -> Problem:
    shown = first_items([names[c] for c in absent], 20, "both")
    return Problem.of("collect.units_absent_both", file=f"{Path(a_path).name}, {Path(b_path).name}",
                      value=shown, count=len(absent), severity="warning")


def _fill_in(discrepancies: pd.DataFrame, rows: list[dict], adjudication: Adjudication, fw: Framework) -> None:
    """Write C's decisions, and the notes of its open rows, into the discrepancy list (in place)."""
    for pos, row in enumerate(rows):
        key = (row["unit_code"], row["indicator"])
        d = adjudication.decisions.get(key)
        if d is not None:
            indicator = fw.indicator(row["indicator"])
            discrepancies.loc[pos, ["decision", *NOTE_COLUMNS]] = [
                d.decision, canonical(d.cell, indicator) if d.decision == "value" else "", d.source,
                d.checked_by, d.checked_at, d.note]
        elif key in adjudication.pending:
            texts = adjudication.pending[key]
            discrepancies.loc[pos, list(NOTE_COLUMNS)] = [texts[k] for k in NOTE_COLUMNS]


def _audit(rows: list[dict], decisions: dict, fw: Framework) -> pd.DataFrame:
    out = []
    for row in rows:
        d = decisions.get((row["unit_code"], row["indicator"]))
        if d is None:
            continue
        indicator = fw.indicator(row["indicator"])
        value = canonical(d.cell, indicator)
        origin = "third_check" if d.decision == "value" else d.decision
        what = f"{row['unit']} / {indicator.name_zh} ({indicator.id}): {row['kind']}; " \
               f"A={row['value_A'] or '∅'}, B={row['value_B'] or '∅'} → {value or '∅'} ({origin})"
        out.append({"who": d.checked_by, "when": d.checked_at, "what": what, "why": d.note,
                    "unit_code": row["unit_code"], "unit": row["unit"], "indicator": row["indicator"],
                    "kind": row["kind"], "value_A": row["value_A"], "value_B": row["value_B"],
                    "decision": d.decision, "value": value, "from": origin, "source": d.source,
                    "adjudication_row": d.row})
    return pd.DataFrame(out, columns=AUDIT_COLUMNS, dtype=object)


def _verified_table(codes, ids, names, fw, first_a, first_b, dups_a, dups_b, items, decisions) -> pd.DataFrame:
    out = []
    for code in codes:
        ra, rb = first_a.get(code), first_b.get(code)
        for ind_id in ids:
            indicator = fw.indicator(ind_id)
            key = (code, ind_id)
            item = items.get(key)
            if item is None:  # agreed
                cell: Cell = ra.cells[ind_id]
                row = {"from": "agreed", "value_A": display(ra.raw[ind_id]), "value_B": display(rb.raw[ind_id]),
                       "source": _source(ra) or _source(rb), "checked_by": "", "checked_at": "", "note": ""}
            else:
                d = decisions[key]
                cell = d.cell
                side_rec = ra if d.decision == "A" else rb if d.decision == "B" else None
                row = {"from": "third_check" if d.decision == "value" else d.decision,
                       "value_A": item.display_a, "value_B": item.display_b,
                       "source": d.source or _source(side_rec), "checked_by": d.checked_by,
                       "checked_at": d.checked_at, "note": d.note}
            out.append({"unit_code": code, "unit": names[code], "indicator": ind_id,
                        "indicator_name": indicator.name_zh, "value": canonical(cell, indicator),
                        "status": cell.status, **row})
    return pd.DataFrame(out, columns=VERIFIED_COLUMNS, dtype=object)


def _observations(table: pd.DataFrame, fw: Framework, ids: list[str], codes: list[str]) -> Observations:
    """The verified long table as :class:`Observations` (file ``verified.csv``; ``rows`` are the
    verified.csv rows of each unit's first value, the header being row 1)."""
    from ..io.cells import parse_cell

    values: dict = {c: {} for c in codes}
    status: dict = {c: {} for c in codes}
    raw: dict = {c: {} for c in codes}
    rows: dict = {}
    for pos, rec in enumerate(table.itertuples(index=False)):
        cell = parse_cell(rec.value or None, fw.indicator(rec.indicator))
        values[rec.unit_code][rec.indicator] = cell.value
        status[rec.unit_code][rec.indicator] = rec.status
        raw[rec.unit_code][rec.indicator] = rec.value
        rows.setdefault(rec.unit_code, pos + 2)
    frame = lambda d: pd.DataFrame.from_dict(d, orient="index", dtype=object).reindex(index=codes, columns=ids)
    return Observations(frame(values), frame(status), frame(raw), pd.Series(rows).reindex(codes),
                        pd.DataFrame(index=codes), "verified.csv")
