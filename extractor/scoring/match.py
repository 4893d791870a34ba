"""Score one document's record against its golden, cell by cell.

In: a ``Golden`` and the ``Record`` extracted from the same document.
Out: one ``CellScore`` per golden cell (correct, wrong, wrong_flagged,
hallucinated or missing), with what a reviewer needs to see why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath

from pydantic import BaseModel, ConfigDict, Field

from ..read.formats import format_of
from ..records import Cell, Record, Value
from ..template import is_amount
from .goldens import Golden

AMOUNT_TOLERANCE = 1e-6
"""万元 amounts match when they differ by at most this much (float noise of 元 → 万元)."""


class Verdict(StrEnum):
    """How one golden cell fared."""

    CORRECT = "correct"
    WRONG = "wrong"
    """The value differs and the cell carries no flag: a silent error."""
    WRONG_FLAGGED = "wrong_flagged"
    """The value differs and a flag sends it to review: a caught error."""
    HALLUCINATED = "hallucinated"
    """A value where the golden is null (the number is not in the source)."""
    MISSING = "missing"
    """The golden cell is absent from a record that did not fail: a silent error."""
    FAILED = "failed"
    """The document failed (the record says why): a visible failure, so a caught error."""


class CellScore(BaseModel):
    """The score of one golden cell, with its explanation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    document: str
    cell: str
    outcome: Verdict
    want: Value
    """The golden value."""
    got: Value = None
    """The record's value (None also when the cell is missing)."""
    flags: list[str] = Field(default_factory=list)
    method: str | None = None
    """The record cell's method; None when the cell is missing."""
    confidence: float | None = None
    evidence: str | None = None
    """The evidence text of the record cell, for the error list."""

    @property
    def table(self) -> str:
        """The id prefix: ``meta``, ``t2``, ``t3`` or ``t4``."""
        return self.cell.split(".", 1)[0]

    @property
    def flagged(self) -> bool:
        """Sent to a person: the cell carries a flag, or its whole document failed visibly."""
        return bool(self.flags) or self.outcome is Verdict.FAILED

    @property
    def is_error(self) -> bool:
        return self.outcome is not Verdict.CORRECT

    @property
    def silent(self) -> bool:
        """Wrong and nothing sends it to review."""
        return self.is_error and not self.flagged

    def explain(self) -> str:
        """One line in the words of the report: ``golden 18, got 81, flagged: no``."""
        if self.outcome is Verdict.MISSING:
            return f"golden {_show(self.want)}, missing from the record"
        if self.outcome is Verdict.FAILED:
            return f"golden {_show(self.want)}, the document failed"
        flagged = ", ".join(self.flags) if self.flags else "no"
        return f"golden {_show(self.want)}, got {_show(self.got)}, flagged: {flagged}"


@dataclass(frozen=True)
class DocumentScore:
    """All cell scores of one document, and what the record said about itself."""

    document: str
    format: str
    status: str
    error: str | None
    scores: tuple[CellScore, ...]
    extra_cells: tuple[str, ...]
    """Record cells the golden does not have (another edition's cells, unknown ids)."""

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def _show(value: Value) -> str:
    return "null" if value is None else repr(value) if isinstance(value, str) else str(value)


def _number(value: Value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def values_equal(cell: str, got: Value, want: Value) -> bool:
    """Whether a record value matches the golden value of ``cell``.

    Numbers compare by value whatever their representation (``7 == 7.0``):
    exactly for counts, within ``AMOUNT_TOLERANCE`` for 万元 amounts. Strings
    compare after stripping. A number never equals a string.
    """
    if want is None or got is None:
        return want is None and got is None
    if isinstance(want, str) or isinstance(got, str):
        return isinstance(want, str) and isinstance(got, str) and want.strip() == got.strip()
    g, w = _number(got), _number(want)
    if g is None or w is None or not math.isfinite(g):
        return False
    if is_amount(cell):
        return abs(g - w) <= AMOUNT_TOLERANCE
    return g == w


def score_cell(document: str, cell: str, want: Value, got: Cell | None) -> CellScore:
    """Score one golden cell against the record's cell (None when the record lacks it)."""
    if got is None:
        return CellScore(document=document, cell=cell, outcome=Verdict.MISSING, want=want)
    if values_equal(cell, got.value, want):
        outcome = Verdict.CORRECT
    elif want is None:
        outcome = Verdict.HALLUCINATED
    elif got.flags:
        outcome = Verdict.WRONG_FLAGGED
    else:
        outcome = Verdict.WRONG
    return CellScore(
        document=document, cell=cell, outcome=outcome, want=want, got=got.value,
        flags=list(got.flags), method=str(got.method), confidence=got.confidence,
        evidence=got.evidence.text if got.evidence is not None else None,
    )


def record_format(record: Record) -> str:
    """The input format: the record's ``format`` field, else the document's extension."""
    if record.format:
        return record.format
    return format_of(record.document) or PurePath(record.document).suffix.lstrip(".") or "unknown"


def score_record(golden: Golden, record: Record) -> DocumentScore:
    """Score every golden cell of a document.

    A failed record is a visible failure (shared/schema/README.md): each
    golden cell with a value is ``failed`` — wrong but caught — and each
    golden null is correct; the failure itself is kept in ``status`` and ``error``.
    """
    if record.status == "failed":
        scores = tuple(CellScore(document=golden.document, cell=cell, want=want,
                                 outcome=Verdict.CORRECT if want is None else Verdict.FAILED)
                       for cell, want in golden.cells.items())
    else:
        scores = tuple(score_cell(golden.document, cell, want, record.cells.get(cell))
                       for cell, want in golden.cells.items())
    extra = tuple(sorted(set(record.cells) - set(golden.cells)))
    return DocumentScore(document=golden.document, format=record_format(record),
                         status=record.status, error=record.error, scores=scores,
                         extra_cells=extra)
