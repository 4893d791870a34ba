"""Cross-year check: a batch's records → the same records with this year's 上年结转 checked against the
year before's 结转下年度继续办理, column by column, for every agency with consecutive years.

Agreement raises both cells' confidence; disagreement flags both ``cross_year_mismatch``, naming the other
document, with both readings in ``alternatives``. Section 二's 现行有效件数 is not checked: it does not chain
in real series (see ``compare.in_force_chain``, shown, never flagged). The check is idempotent: what an
earlier run added (note segments, flags, readings, the confidence it replaced) is taken back first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..records import Cell, Flag, Record
from ..template import T3_COLUMNS, cell_specs
from .agency import agency_of, year_of

PAIRS = tuple((f"t3.carried_over.{c}", f"t3.carried_forward.{c}") for c in T3_COLUMNS)
"""(this year's cell, last year's cell) that must be equal."""
AGREEMENT_WEIGHT = 0.6
MISMATCH_CONFIDENCE = 0.4
NOTE_PREFIXES = ("cross-year: ", "cross_year_mismatch: ")
RECORD_NOTE = "cross-year check: "
THIS = "this report"
_BEFORE = re.compile(r" \[confidence before ([0-9.]+)\]")


@dataclass
class CrossYearResult:
    records: list[Record]
    agencies: int = 0
    """Agencies with at least two consecutive years."""
    compared: int = 0
    """Cell pairs compared."""
    agreed: int = 0
    mismatched: list[str] = field(default_factory=list)
    """One line per disagreement: the two documents and cells."""
    notes: list[str] = field(default_factory=list)
    """Why some records were left out (no agency, no year, two reports of one year)."""


def check_series(records: Sequence[Record], groups: Mapping[str, str] | None = None,
                 review_threshold: float = 0.8) -> CrossYearResult:
    """The records (new objects, in the same order) with the cross-year identity applied."""
    out = [clear(r) for r in records]
    result = CrossYearResult(out)
    by_agency: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, r in enumerate(out):
        agency, year = agency_of(r, groups), year_of(r)
        if r.status != "failed" and agency is not None and year is not None:
            by_agency[agency][year].append(i)
    partners: dict[int, list[str]] = defaultdict(list)
    for agency, years in sorted(by_agency.items()):
        linked = False
        for year, found in sorted(years.items()):
            if len(found) > 1:
                names = ", ".join(out[i].document for i in found)
                result.notes.append(f"{agency} {year}: {len(found)} reports ({names}); not checked across years")
                continue
            earlier = years.get(year - 1, [])
            if len(earlier) != 1:
                continue
            linked = True
            _link(out, earlier[0], found[0], result)
            partners[found[0]].append(f"{out[earlier[0]].document} ({year - 1})")
            partners[earlier[0]].append(f"{out[found[0]].document} ({year})")
        result.agencies += linked
    for i, record in enumerate(out):
        if i in partners or record != records[i]:
            out[i] = _finish(record, partners.get(i, []), review_threshold)
    return result


def _link(out: list[Record], earlier: int, later: int, result: CrossYearResult) -> None:
    last, this = out[earlier], out[later]
    for now_id, last_id in PAIRS:
        now, before = this.cells.get(now_id), last.cells.get(last_id)
        if now is None or before is None or not _number(now.value) or not _number(before.value):
            continue
        result.compared += 1
        last_name, this_name = _named(last), _named(this)
        now_label, last_label = _label(now_id), _label(last_id)
        if now.value == before.value:
            result.agreed += 1
            this.cells[now_id] = _confirmed(now, f"agrees with {last_name} {last_label} = {before.value}")
            last.cells[last_id] = _confirmed(before, f"agrees with {this_name} {now_label} = {now.value}")
        else:
            result.mismatched.append(f"{this.document} {now_id} = {now.value} vs {last.document} {last_id} = "
                                     f"{before.value}")
            this.cells[now_id] = _mismatch(now, last_name, f"{last_label} = {before.value}, this report's "
                                                           f"{now_label} = {now.value}", before.value)
            last.cells[last_id] = _mismatch(before, this_name, f"{now_label} = {now.value}, this report's "
                                                               f"{last_label} = {before.value}", now.value)


def _confirmed(cell: Cell, why: str) -> Cell:
    confidence = round(min(cell.confidence + (1 - cell.confidence) * AGREEMENT_WEIGHT, 0.999), 3)
    return cell.model_copy(update={
        "confidence": confidence if cell.value is not None else cell.confidence,
        "note": _joined(cell.note, f"cross-year: {why} [confidence before {cell.confidence}]")})


def _mismatch(cell: Cell, other: str, why: str, other_value: object) -> Cell:
    return cell.model_copy(update={
        "flags": sorted({*cell.flags, Flag.CROSS_YEAR_MISMATCH.value}),
        "confidence": min(cell.confidence, MISMATCH_CONFIDENCE),
        "note": _joined(cell.note, f"cross_year_mismatch: {other} gives {why} [confidence before "
                                   f"{cell.confidence}]"),
        "alternatives": {**(cell.alternatives or {}), THIS: cell.value, other: other_value}})


def clear(record: Record) -> Record:
    """The record without what an earlier cross-year check added (a copy; cells untouched are shared)."""
    cells = dict(record.cells)
    for cell_id, cell in record.cells.items():
        if not cell.note or not any(p in cell.note for p in NOTE_PREFIXES):
            continue
        kept, confidence = [], cell.confidence
        for part in cell.note.split("; "):
            if part.startswith(NOTE_PREFIXES):
                before = _BEFORE.search(part)
                confidence = float(before.group(1)) if before else confidence
            else:
                kept.append(part)
        ours = {THIS} | {k for k in (cell.alternatives or {}) if k.endswith(")") and " (" in k}
        alternatives = {k: v for k, v in (cell.alternatives or {}).items() if k not in ours} or None
        cells[cell_id] = cell.model_copy(update={
            "note": "; ".join(kept) or None, "confidence": confidence, "alternatives": alternatives,
            "flags": [f for f in cell.flags if f != Flag.CROSS_YEAR_MISMATCH.value]})
    notes = [n for n in record.notes if not n.startswith(RECORD_NOTE)]
    return record.model_copy(update={"cells": cells, "notes": notes})


def _finish(record: Record, partners: list[str], threshold: float) -> Record:
    flagged = any(c.flags or c.confidence < threshold for c in record.cells.values())
    said = [RECORD_NOTE + "上年结转/结转下年度 compared with " + ", ".join(partners)] if partners else []
    return record.model_copy(update={"status": "needs_review" if flagged else "ok", "notes": [*record.notes, *said]})


def _named(record: Record) -> str:
    year = record.cells["meta.year"].value
    return f"{record.document} ({year})"


def _label(cell_id: str) -> str:
    spec = cell_specs()[cell_id]
    row = "上年结转" if "carried_over" in cell_id else "结转下年度继续办理"
    return f"{row} {spec.col_zh.split(' / ')[-1]}"


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _joined(note: str | None, more: str) -> str:
    return f"{note}; {more}" if note else more
