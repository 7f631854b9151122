"""Domain errors: an :class:`InputError` carries *every* problem found, not just the first.

A :class:`Problem` names where it is (file, row, column), what was there (value),
the rule it broke (a message-catalogue key) and its severity. The CLI turns an
InputError into a table and exit code 2; it never shows a traceback for bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal

from .messages import Lang, msg

__all__ = ["Problem", "InputError", "ProblemLog", "IncompleteAdjudication"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem in the input.

    ``rule`` is a message-catalogue key; ``params`` fill its template. ``row`` is the
    1-based row number as the user sees it in the file (header = row 1 in CSV/XLSX).
    """

    rule: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    severity: Severity = "error"
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, rule: str, *, file=None, row=None, column=None, value=None,
           severity: Severity = "error", **params) -> "Problem":
        problem = cls(rule, None if file is None else str(file), row, column,
                      value, severity, tuple(sorted(params.items())))
        problem.message("en")  # fail fast on unknown keys or missing parameters
        return problem

    def as_message(self):
        """The problem as a catalogue Message (templates may use file, row, column, value)."""
        fields = {"file": self.file or "", "row": self.row or "", "column": self.column or "",
                  "value": "" if self.value is None else self.value}
        return msg(self.rule, **{**fields, **dict(self.params)})

    def message(self, lang: Lang) -> str:
        return self.as_message().render(lang)

    def as_row(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "file": self.file or "",
            "row": "" if self.row is None else self.row,
            "column": self.column or "",
            "value": "" if self.value is None else str(self.value),
            "rule": self.rule,
            "message_zh": self.message("zh"),
            "message_en": self.message("en"),
        }


class InputError(Exception):
    """Bad input: holds all problems found (errors and the warnings seen alongside)."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        first = self.problems[0]
        super().__init__(f"{len(self.problems)} input problem(s); first: {first.message('en')}")

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


class IncompleteAdjudication(Exception):
    """Reconciliation finished but discrepancies remain open (CLI exit code 3)."""

    def __init__(self, open_items: int, summary: str = ""):
        self.open_items = open_items
        self.summary = summary
        super().__init__(f"{open_items} discrepancies still open")


@dataclass
class ProblemLog:
    """Collects problems while a stage works, then raises them all at once."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, rule: str, **kwargs) -> None:
        self.problems.append(Problem.of(rule, **kwargs))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise InputError(self.problems)
