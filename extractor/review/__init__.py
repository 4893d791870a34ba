"""The review queue: flagged cells → SQLite queue → reviewer decisions → corrected records and goldens.

``sync_records`` queues the cells of extraction records; ``decide``/``undo``
store decisions; ``reviewed_records`` and ``promote`` write the results. The
terminal front end (``tui``) sits on top; the browser page is served by the
service's review router (``service.review_api``) with its static files here.
"""

from __future__ import annotations

from ..review_items import needs_review
from .decisions import DecisionResult, decide, decide_item, parse_correction, undo
from .export import promote, reviewed_record, reviewed_records, write_jsonl, write_reviewed_csv
from .present import ItemView, Progress, progress, view
from .queue import SyncSummary, sync_record, sync_records
from .store import (
    CLAIM_SECONDS,
    ClaimConflict,
    Decision,
    InvalidDecision,
    Item,
    NotInQueue,
    ReviewError,
    ReviewStore,
)

__all__ = ["CLAIM_SECONDS", "ClaimConflict", "Decision", "DecisionResult", "InvalidDecision", "Item",
           "ItemView", "NotInQueue", "Progress", "ReviewError", "ReviewStore", "SyncSummary", "decide", "decide_item",
           "needs_review", "parse_correction", "progress", "promote", "reviewed_record", "reviewed_records",
           "sync_record", "sync_records", "undo", "view", "write_jsonl", "write_reviewed_csv"]
