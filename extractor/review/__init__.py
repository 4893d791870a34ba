"""The review queue: flagged cells → SQLite queue → reviewer decisions → corrected records and goldens.

``sync_records`` queues the cells of extraction records; ``decide``/``undo``
store decisions; ``reviewed_records`` and ``promote`` write the results. The
terminal (``tui``) and browser (``web``) front ends sit on top.
"""

from __future__ import annotations

from .decisions import Outcome, decide, parse_value, undo
from .export import promote, reviewed_record, reviewed_records, write_csv, write_jsonl
from .present import ItemView, Progress, progress, view
from .queue import SyncSummary, needs_review, sync_record, sync_records
from .store import CLAIM_SECONDS, Decision, Item, ReviewError, ReviewStore

__all__ = ["CLAIM_SECONDS", "Decision", "Item", "ItemView", "Outcome", "Progress", "ReviewError",
           "ReviewStore", "SyncSummary", "decide", "needs_review", "parse_value", "progress",
           "promote", "reviewed_record", "reviewed_records", "sync_record", "sync_records", "undo",
           "view", "write_csv", "write_jsonl"]
