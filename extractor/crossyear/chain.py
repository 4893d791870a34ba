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
from typing import Any

from ..records import Cell, Flag, Record
from ..review_items import any_queued
from ..template import T3_COLUMNS, cell_specs
from .agency import agency_from

PAIRS = tuple((f"t3.carried_over.{c}", f"t3.carried_forward.{c}") for c in T3_COLUMNS)
"""(this year's cell, last year's cell) that must be equal."""
AGREEMENT_WEIGHT = 0.6
MISMATCH_CONFIDENCE = 0.4
NOTE_PREFIXES = ("cross-year: ", "cross_year_mismatch: ")
RECORD_NOTE = "cross-year check: "
THIS = "this report"
_BEFORE = re.compile(r" \[confidence before ([0-9.]+)\]")


@dataclass(frozen=True)
class Entry:
    """What the check needs of one record, so that a large batch is never held in memory whole."""

    document: str
    agency: str | None
    year: int | None
    failed: bool
    values: dict[str, object]
    """The values of the cells of ``PAIRS``."""
    marked: bool
    """It carries what an earlier check added (to be taken back)."""

    @property
    def named(self) -> str:
        return f"{self.document} ({self.year})"


def entry_of(record: Record, groups: Mapping[str, str] | None = None) -> Entry:
    return entry_from(record.model_dump(include={"document", "status", "cells"}), groups)


def entry_from(data: Mapping[str, Any], groups: Mapping[str, str] | None = None) -> Entry:
    """The entry of a record as parsed JSON: a batch's first pass need not validate every record."""
    cells = data.get("cells") or {}

    def value(cell_id: str) -> object:
        cell = cells.get(cell_id)
        return cell.get("value") if isinstance(cell, dict) else None

    year = value("meta.year")
    notes = (c.get("note") or "" for c in cells.values() if isinstance(c, dict))
    return Entry(str(data.get("document")), agency_from(str(data.get("document")), value("meta.agency"), groups),
                 year if isinstance(year, int) and not isinstance(year, bool) else None,
                 data.get("status") == "failed", {c: value(c) for pair in PAIRS for c in pair if c in cells},
                 any(p in note for note in notes for p in NOTE_PREFIXES))


@dataclass(frozen=True)
class Links:
    earlier: int | None = None
    """The index of the same agency's report of the year before, if the batch has exactly one."""
    later: int | None = None
    """… and of the year after."""


@dataclass
class CrossYearResult:
    links: dict[int, Links] = field(default_factory=dict)
    """Record index → its partners; a record with none is left as it is (unless an earlier check marked it)."""
    agencies: int = 0
    """Agencies with at least two consecutive years."""
    compared: int = 0
    """Cell pairs compared."""
    agreed: int = 0
    mismatched: list[str] = field(default_factory=list)
    """One line per disagreement: the two documents and cells."""
    notes: list[str] = field(default_factory=list)
    """Why some records were left out (two reports of one year)."""
    records: list[Record] = field(default_factory=list)
    """The records with the check applied (``check_series``; empty from ``plan``)."""


def plan(entries: Sequence[Entry | None]) -> CrossYearResult:
    """Which record to compare with which, and what the comparisons find (None: not a record)."""
    result = CrossYearResult()
    by_agency: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, e in enumerate(entries):
        if e is not None and not e.failed and e.agency is not None and e.year is not None:
            by_agency[e.agency][e.year].append(i)
    for agency, years in sorted(by_agency.items()):
        linked = False
        for year, found in sorted(years.items()):
            if len(found) > 1:
                names = ", ".join(_entry(entries, i).document for i in found)
                result.notes.append(f"{agency} {year}: {len(found)} reports ({names}); not checked across years")
                continue
            earlier = years.get(year - 1, [])
            if len(earlier) != 1:
                continue
            linked = True
            last, this = earlier[0], found[0]
            result.links[this] = Links(last, result.links.get(this, Links()).later)
            result.links[last] = Links(result.links.get(last, Links()).earlier, this)
            _count(_entry(entries, last), _entry(entries, this), result)
        result.agencies += linked
    return result


def _count(last: Entry, this: Entry, result: CrossYearResult) -> None:
    for now_id, last_id in PAIRS:
        now, before = this.values.get(now_id), last.values.get(last_id)
        if not _number(now) or not _number(before):
            continue
        result.compared += 1
        if now == before:
            result.agreed += 1
        else:
            result.mismatched.append(f"{this.document} {now_id} = {now} vs {last.document} {last_id} = {before}")


def apply(record: Record, links: Links | None, entries: Sequence[Entry | None],
          review_threshold: float = 0.8) -> Record:
    """The record with an earlier check taken back and this one's comparisons applied."""
    out = clear(record)
    links = links or Links()
    partners = []
    if links.earlier is not None:
        last = _entry(entries, links.earlier)
        partners.append(last.named)
        for now_id, last_id in PAIRS:
            _compare(out, now_id, last.values.get(last_id), last.named, _label(last_id), _label(now_id))
    if links.later is not None:
        after = _entry(entries, links.later)
        partners.append(after.named)
        for now_id, last_id in PAIRS:
            _compare(out, last_id, after.values.get(now_id), after.named, _label(now_id), _label(last_id))
    return _finish(out, partners, review_threshold) if partners or out != record else record


def _compare(out: Record, cell_id: str, other: object, other_name: str, other_label: str, label: str) -> None:
    cell = out.cells.get(cell_id)
    if cell is None or not _number(cell.value) or not _number(other):
        return
    if cell.value == other:
        out.cells[cell_id] = _confirmed(cell, f"agrees with {other_name} {other_label} = {other}")
    else:
        out.cells[cell_id] = _mismatch(cell, other_name, f"{other_label} = {other}, this report's {label} = "
                                                         f"{cell.value}", other)


def check_series(records: Sequence[Record], groups: Mapping[str, str] | None = None,
                 review_threshold: float = 0.8) -> CrossYearResult:
    """The check over records in memory: ``result.records`` are new objects, in the same order."""
    entries = [entry_of(r, groups) for r in records]
    result = plan(entries)
    result.records = [apply(r, result.links.get(i), entries, review_threshold)
                      if i in result.links or entries[i].marked else r for i, r in enumerate(records)]
    return result


def _entry(entries: Sequence[Entry | None], i: int) -> Entry:
    entry = entries[i]
    assert entry is not None, "a link to a line that is not a record"
    return entry


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
    flagged = any_queued(record.cells, record.template, threshold)
    said = [RECORD_NOTE + "上年结转/结转下年度 compared with " + ", ".join(partners)] if partners else []
    return record.model_copy(update={"status": "needs_review" if flagged else "ok", "notes": [*record.notes, *said]})


def _label(cell_id: str) -> str:
    spec = cell_specs()[cell_id]
    row = "上年结转" if "carried_over" in cell_id else "结转下年度继续办理"
    return f"{row} {spec.col_zh.split(' / ')[-1]}"


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _joined(note: str | None, more: str) -> str:
    return f"{note}; {more}" if note else more
