"""Export: the review database → records with the decisions applied (JSONL, CSV) and goldens.

A decided cell gets method ``review``, no flags, and a note naming the
reviewer and the value it replaced. A fully decided document can be promoted
to a golden file in the shared format, validated like a hand-written one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from ..batch.writers import JsonlWriter, csv_value, write_csv
from ..records import Cell, Flag, Method, Record, Value
from ..review_items import any_queued
from ..scoring.goldens import Golden
from ..scoring.lint import check_golden
from ..template import cells_for
from .decisions import identities_of
from .present import shown
from .store import Decision, ReviewError, ReviewStore

CSV_COLUMNS = ("document", "sha256", "status", "cell", "value", "method", "confidence", "flags",
               "note")
_VERB = {"accept": "accepted", "correct": "corrected", "unknown": "marked unknown"}


def review_note(decision: Decision) -> str:
    """``reviewed by alice at …: corrected, was 81 (rule; checksum_failed)``."""
    was = decision.original
    why = f"{was.method.value}; {', '.join(was.flags)}" if was.flags else was.method.value
    return (f"reviewed by {decision.reviewer} at {decision.decided_at}: "
            f"{_VERB[decision.action]}, was {shown(was.value)} ({why})")


def reviewed_record(store: ReviewStore, sha256: str) -> Record:
    """The document's record with its settled decisions applied."""
    record = store.record(sha256)
    threshold = store.db.execute("SELECT threshold FROM documents WHERE sha256 = ?",
                                 (sha256,)).fetchone()[0]
    items = store.items_of(sha256)
    cells = dict(record.cells)
    values: dict[str, Value] = {c: cell.value for c, cell in cells.items()}
    reviewers: set[str] = set()
    for item in items:
        d = item.decision
        if item.cell in cells and d is not None and d.settles:
            reviewers.add(d.reviewer)
            values[item.cell] = d.value
            cells[item.cell] = cells[item.cell].model_copy(update={
                "value": d.value, "confidence": 1.0, "method": Method.REVIEW, "flags": [],
                "note": review_note(d)})
    for item in items:
        if item.state == "resolved" and item.cell in cells:
            cells[item.cell] = _confirmed(cells[item.cell], item.cell, record.template, values)
    pending = any(i.state == "queued" and (i.decision is None or not i.decision.settles)
                  for i in items)
    flagged = any_queued(cells, record.template, threshold)
    notes = list(record.notes)
    if reviewers:
        notes.append(f"reviewed by {', '.join(sorted(reviewers))}")
    return record.model_copy(update={
        "cells": cells, "notes": notes,
        "status": "needs_review" if pending or flagged else "ok"})


def _confirmed(cell: Cell, cell_id: str, edition: str | None, values: dict[str, Value]) -> Cell:
    """A checksum-only cell whose identities hold after the corrections: the flag goes."""
    holding = sum(1 for r in identities_of(cell_id, edition, values) if r.holds)
    conf = cell.confidence
    for _ in range(min(holding, 3)):  # as in checks.validate: each identity that holds confirms
        conf += (1 - conf) * 0.6
    flags = [f for f in cell.flags if f != Flag.CHECKSUM_FAILED.value]
    note = "its identities hold with the reviewed values" + (
        f" (was: {cell.note})" if cell.note else "")
    return cell.model_copy(update={"flags": flags, "confidence": round(min(conf, 0.999), 3),
                                   "note": note})


def reviewed_records(store: ReviewStore) -> list[Record]:
    return [reviewed_record(store, row["sha256"]) for row in store.documents()]


def write_jsonl(records: Iterable[Record], path: Path) -> int:
    n = 0
    with JsonlWriter(path) as out:
        for record in records:
            out.write(record)
            n += 1
    return n


def reviewed_csv_rows(records: Iterable[Record]) -> Iterator[tuple[str, ...]]:
    """One row per cell, with its status and the reviewer's note (``CSV_COLUMNS``)."""
    for r in records:
        for cell_id, c in r.cells.items():
            yield (r.document, r.sha256 or "", r.status, cell_id, csv_value(c.value), c.method.value,
                   repr(c.confidence), ";".join(c.flags), c.note or "")


def write_reviewed_csv(records: Iterable[Record], path: Path) -> int:
    """The reviewed cells as CSV; returns the number of rows."""
    return write_csv(path, CSV_COLUMNS, reviewed_csv_rows(records))


def undecided(store: ReviewStore, sha256: str) -> list[str]:
    """Queued cells of the document without a settled decision (pending or skipped)."""
    return [i.cell for i in store.items_of(sha256)
            if i.state == "queued" and (i.decision is None or not i.decision.settles)]


def golden_of(store: ReviewStore, sha256: str, notes: str = "") -> Golden:
    """The fully reviewed document as a golden; raises ``ReviewError`` when it is not ready."""
    record = reviewed_record(store, sha256)
    left = undecided(store, sha256)
    if left:
        raise ReviewError(
            f"{record.document}: {len(left)} queued cells are not decided yet "
            f"({', '.join(left[:5])}{', …' if len(left) > 5 else ''}); review them first "
            f"(`nianbao review {store.path} --document {record.document} --skipped`)")
    edition = record.template or ""
    missing = [c for c in cells_for(edition) if c not in record.cells]
    if missing:
        raise ReviewError(f"{record.document} has no value for {', '.join(missing[:5])}; "
                          "it cannot become a golden")
    decisions = [i.decision for i in store.items_of(sha256)
                 if i.decision is not None and i.decision.settles]
    counts = {v: sum(1 for d in decisions if d.action == k) for k, v in _VERB.items()}
    who = ", ".join(sorted({d.reviewer for d in decisions})) or "nobody (no cell was flagged)"
    text = (f"Promoted from review on {datetime.now(UTC).date().isoformat()} (sha256 {sha256}): "
            f"{len(decisions)} flagged cells decided by {who} "
            f"({', '.join(f'{n} {verb}' for verb, n in counts.items())}); every other cell is "
            f"as extracted by nianbao pipeline {record.pipeline_version}, unflagged.")
    golden = Golden(document=record.document, notes=f"{text} {notes}".strip(),
                    cells={c: record.cells[c].value for c in cells_for(edition)})
    problems = check_golden(golden)
    if problems:
        raise ReviewError(f"{record.document} does not make a valid golden: "
                          + "; ".join(str(p) for p in problems)
                          + " (if the source itself is inconsistent, say so with --note)")
    return golden


def promote(store: ReviewStore, document: str, out_dir: Path, *, notes: str = "",
            force: bool = False) -> Path:
    """Write the reviewed document as ``out_dir/<stem>.json``; returns the path."""
    sha = store.find_document(document)
    golden = golden_of(store, sha, notes)
    path = out_dir / (Path(golden.document).stem + ".json")
    if path.exists() and not force:
        raise ReviewError(f"{path} already exists; pass --force to replace it")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = golden.model_dump(exclude={"narrative"} if golden.narrative is None else None)  # read by hand only
    path.write_text(json.dumps(written, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return path
