"""The review queue: records → queued cells, ordered by risk, synced without losing decisions.

A cell is queued when it has a flag, or a confidence under the threshold that no identity of read
cells confirms (``review_items.queued_cells``); cells one decision settles share a review item. Items
are keyed by document sha256 + cell id, so re-running a batch updates them in
place; a decision whose extracted value has changed since becomes stale.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..database import utc_now
from ..records import Cell, Flag, Record, Value
from ..review_items import item_of, queued_cells, review_items
from ..template import cells_for
from .context import context_for, source_text
from .decisions import recheck, same_value
from .store import ReviewStore

log = logging.getLogger(__name__)

FIRST = frozenset({Flag.CHECKSUM_FAILED.value, Flag.LLM_DISAGREES.value, Flag.NARRATIVE_MISMATCH.value,
                   Flag.CROSS_YEAR_MISMATCH.value})
"""Flags that say the number is probably wrong, not merely unsure: reviewed first."""


def tier(cell: Cell) -> int:
    """0: a failed identity, or a disagreement (LLM, narrative, other year); 1: another flag; 2: low confidence only."""
    if FIRST & set(cell.flags):
        return 0
    return 1 if cell.flags else 2


def rank(cell: Cell) -> float:
    """Lower is riskier: the tier first, then the confidence."""
    return tier(cell) * 2 + cell.confidence


def table_of(cell_id: str) -> str:
    """``t2``, ``t3``, ``t4`` or ``meta``."""
    return cell_id.split(".", 1)[0]


def document_key(record: Record) -> str:
    return record.sha256 or f"name:{record.document}"


@dataclass(frozen=True)
class SyncSummary:
    """What a sync did to the queue."""

    documents: int = 0
    queued: int = 0
    """Cells in the queue for the synced documents."""
    new: int = 0
    kept: int = 0
    decided_earlier: int = 0
    """Kept cells whose decision still applies."""
    requeued: int = 0
    """Kept cells whose value changed since they were decided: the decision went stale."""
    left: int = 0
    """Cells queued before that are no longer flagged."""

    def __add__(self, other: SyncSummary) -> SyncSummary:
        return SyncSummary(*(a + b for a, b in zip(_fields(self), _fields(other), strict=True)))

    def __str__(self) -> str:
        out = (f"{self.queued} cells queued ({self.new} new, {self.kept} kept), "
               f"{self.decided_earlier} decided earlier")
        if self.requeued:
            out += f", {self.requeued} re-queued (the value changed since the decision)"
        if self.left:
            out += f", {self.left} no longer flagged"
        return out


def _fields(s: SyncSummary) -> tuple[int, ...]:
    return (s.documents, s.queued, s.new, s.kept, s.decided_earlier, s.requeued, s.left)


def sync_records(db_path: Path, records: Iterable[Record], threshold: float) -> SyncSummary:
    """Queue every flagged or unsure cell of the records in the review database at ``db_path``."""
    total = SyncSummary()
    with ReviewStore(db_path) as store:
        for record in records:
            total = total + sync_record(store, record, threshold)
    return total


def sync_record(store: ReviewStore, record: Record, threshold: float) -> SyncSummary:
    """Store one document's record and bring its queued cells up to date."""
    if record.status == "failed" or not record.cells:
        return SyncSummary()
    sha = document_key(record)
    order = {c: i for i, c in enumerate((*cells_for(record.template or "2021"), *record.cells))}
    wanted = {c: record.cells[c] for c in queued_cells(record, threshold)}
    grouped = item_of(review_items(record, wanted))
    text = source_text(record) if wanted else None
    doc_rank = min((rank(c) for c in wanted.values()), default=0.0)
    table_rank: dict[str, float] = {}
    for cell_id, cell in wanted.items():
        t = table_of(cell_id)
        table_rank[t] = min(table_rank.get(t, 9.0), rank(cell))
    new = kept = earlier = requeued = left = 0
    with store.transaction() as db:
        db.execute(
            "INSERT INTO documents (sha256, document, path, template, record, threshold, synced_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET "
            "document = excluded.document, path = excluded.path, template = excluded.template, "
            "record = excluded.record, threshold = excluded.threshold, synced_at = excluded.synced_at",
            (sha, record.document, record.path, record.template, record.model_dump_json(),
             threshold, utc_now()))
        existing = {r["cell"]: r for r in db.execute(
            "SELECT id, cell, value, state, decision_id FROM items WHERE sha256 = ?", (sha,))}
        for cell_id, row in existing.items():
            current = record.cells.get(cell_id)
            now_value: Value = None if current is None else current.value
            if not same_value(json.loads(row["value"]), now_value) and store.mark_stale(row["id"]):
                requeued += 1
            if cell_id not in wanted and row["state"] != "gone":
                left += 1
                db.execute("UPDATE items SET state = 'gone' WHERE id = ?", (row["id"],))
            if current is not None and cell_id not in wanted:
                db.execute("UPDATE items SET extracted = ?, value = ? WHERE id = ?",
                           (current.model_dump_json(), json.dumps(current.value), row["id"]))
        for cell_id, queued in wanted.items():
            context = context_for(queued.evidence, text, record.format)
            unit = grouped[cell_id]
            group = "" if unit.kind == "cell" else unit.key
            fields = (queued.model_dump_json(), json.dumps(queued.value, ensure_ascii=False),
                      queued.confidence, json.dumps(queued.flags), tier(queued), doc_rank,
                      table_rank[table_of(cell_id)],
                      json.dumps(context.to_json(), ensure_ascii=False),
                      order.get(cell_id, len(order)), group, unit.kind)
            if cell_id in existing:
                kept += 1
                db.execute(
                    "UPDATE items SET extracted = ?, value = ?, confidence = ?, flags = ?, tier = ?,"
                    " doc_rank = ?, table_rank = ?, context_json = ?, position = ?, grp = ?, kind = ?, "
                    "state = 'queued' WHERE id = ?", (*fields, existing[cell_id]["id"]))
            else:
                new += 1
                db.execute(
                    "INSERT INTO items (extracted, value, confidence, flags, tier, doc_rank, "
                    "table_rank, context_json, position, grp, kind, sha256, cell, tbl) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*fields, sha, cell_id, table_of(cell_id)))
        recheck(store, sha)
        earlier = db.execute(
            "SELECT count(*) FROM items WHERE sha256 = ? AND state != 'gone' "
            "AND decision_id IS NOT NULL", (sha,)).fetchone()[0]
    log.info("%s: %d queued (%d new, %d kept)", record.document, len(wanted), new, kept)
    return SyncSummary(documents=1, queued=len(wanted), new=new, kept=kept,
                       decided_earlier=earlier, requeued=requeued, left=left)
