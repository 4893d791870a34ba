"""The narrative as a witness: checked cells + the report's own sentences → cells confirmed or flagged.

Where a sentence states what the table holds, the cells' confidence rises (a derived or ambiguous cell
too: a second source agrees). Where it states something else, the cells are flagged
``narrative_mismatch`` with the sentence in the note and both readings in ``alternatives``; the table's
value is kept. Reports disagree with themselves often enough that the record must say so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..document import Structure
from ..records import Cell, Flag
from .extraction import Extraction
from .narrative import Statement, read_statements

AGREEMENT_WEIGHT = 0.6
"""The share of the remaining doubt an agreeing sentence removes (as one identity that holds does)."""
MISMATCH_CONFIDENCE = 0.4


@dataclass(frozen=True)
class Verdict:
    statement: Statement
    table: float | None
    """The sum of the statement's cells in the table; None when one is null."""
    known: float = 0.0
    """The sum of the cells that are not null: with counts never negative, a floor for the whole sum."""

    @property
    def agrees(self) -> bool | None:
        """None when not checkable: a null cell, and the others do not already exceed the number stated."""
        if self.table is None:
            return False if self.known > self.statement.value else None
        return abs(self.table - self.statement.value) < 1e-6


@dataclass(frozen=True)
class Witnessed:
    cells: dict[str, Cell]
    verdicts: list[Verdict]

    def note(self) -> str | None:
        checked = [v for v in self.verdicts if v.agrees is not None]
        if not self.verdicts:
            return None
        disagree = sum(1 for v in checked if not v.agrees)
        return (f"narrative: {len(self.verdicts)} numbers stated in sentences, {len(checked)} checkable, "
                f"{len(checked) - disagree} agree with the table, {disagree} disagree")


def narrative_regions(structure: Structure, tables: Mapping[int, tuple[int, int]]) -> list[tuple[int, int]]:
    """The text of sections 一–四 outside their tables (the whole body before 五 when headings are lost)."""
    sections = structure.sections
    later = [s.start for n, s in sections.items() if n >= 5]
    end = min(later, default=structure.body_end)
    start = min((s.start for n, s in sections.items() if n <= 4), default=0)
    regions = [(start, end)]
    for a, b in sorted(tables.values()):
        regions = [piece for r0, r1 in regions for piece in ((r0, min(r1, a)), (max(r0, b), r1)) if piece[1] > piece[0]]
    return regions


def statements_of(ex: Extraction) -> list[Statement]:
    """What an extracted document's narrative states."""
    return read_statements(ex.text.text, ex.edition, narrative_regions(ex.structure, ex.spans))


def judge(statements: Sequence[Statement], values: Mapping[str, object]) -> list[Verdict]:
    """Each statement against the values of its cells (a table's, or a golden's)."""
    return [Verdict(s, _sum([values.get(c) for c in s.cells]),
                    _sum([v for c in s.cells if _is_number(v := values.get(c))]) or 0.0) for s in statements]


def witness(cells: Mapping[str, Cell], text: str, edition: str, regions: Sequence[tuple[int, int]]) -> Witnessed:
    """The cells with the narrative's verdicts applied (new ``Cell`` objects; the input is not changed)."""
    verdicts = judge(read_statements(text, edition, regions), {k: c.value for k, c in cells.items()})
    out = dict(cells)
    confirmed: dict[str, Verdict] = {}
    for v in verdicts:
        if v.agrees:
            for c in v.statement.cells:
                confirmed.setdefault(c, v)
    for cell_id, v in confirmed.items():
        cell = out[cell_id]
        out[cell_id] = cell.model_copy(update={
            "confidence": round(min(cell.confidence + (1 - cell.confidence) * AGREEMENT_WEIGHT, 0.999), 3),
            "note": _joined(cell.note, f"confirmed by the narrative: {v.statement.quote()}")})
    for v in verdicts:
        if v.agrees is False:
            for cell_id in _suspects(v.statement, out):
                out[cell_id] = mismatch(out[cell_id], v)
    return Witnessed(out, verdicts)


def mismatch(cell: Cell, v: Verdict) -> Cell:
    s = v.statement
    single = len(s.cells) == 1
    table = _number(v.known if v.table is None else v.table)
    if v.table is None:
        what = f"the {len(s.cells)} table cells it sums give at least {table} (the others are null)"
    else:
        what = f"the table gives {table}" if single else f"the {len(s.cells)} table cells it sums give {table}"
    return cell.model_copy(update={
        "flags": sorted({*cell.flags, Flag.NARRATIVE_MISMATCH.value}),
        "confidence": min(cell.confidence, MISMATCH_CONFIDENCE),
        "note": _joined(cell.note, f"narrative_mismatch: {s.quote()}; {what}"),
        "alternatives": {**(cell.alternatives or {}), _table_key(v): table,
                         "narrative": s.value}})


def _table_key(v: Verdict) -> str:
    if len(v.statement.cells) == 1:
        return "table"
    return "table sum" if v.table is not None else "table sum, known cells"


def _suspects(s: Statement, cells: Mapping[str, Cell]) -> list[str]:
    """The cells a disagreement points at: the one cell, or the non-zero terms of a sum (all when none is)."""
    if len(s.cells) == 1:
        return list(s.cells)
    nonzero = [c for c in s.cells if cells[c].value not in (0, None)]
    return nonzero or list(s.cells)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _sum(values: Sequence[object]) -> float | None:
    if any(not isinstance(v, int | float) or isinstance(v, bool) for v in values):
        return None
    return float(sum(values))  # type: ignore[arg-type]


def _number(x: float | None) -> int | float | None:
    return int(x) if x is not None and float(x).is_integer() else x


def _joined(note: str | None, more: str) -> str:
    return f"{note}; {more}" if note else more
