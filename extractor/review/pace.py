"""Reviewer pace: decision rows → items decided per reviewer per hour, and the time the queue has left.

An item is one act (the decisions made by one answer share it, ``decisions.act``); skips and undone or
stale decisions do not count. A reviewer's hours run from their first decision to their last.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .store import ReviewStore


@dataclass(frozen=True)
class Pace:
    reviewer: str
    items: int
    """Items decided (one act each)."""
    cells: int
    hours: float
    """From the first decision to the last."""

    @property
    def items_per_hour(self) -> float | None:
        return self.items / self.hours if self.hours > 0 and self.items > 1 else None


@dataclass(frozen=True)
class QueueLeft:
    items: int
    """Review items with a cell still undecided."""
    cells: int
    hours: float | None
    """At the reviewers' summed pace; None before anyone has a pace."""


def paces(store: ReviewStore) -> list[Pace]:
    rows = store.db.execute(
        "SELECT reviewer, count(DISTINCT coalesce(act, id)) AS items, count(*) AS cells, "
        "min(decided_at) AS first, max(decided_at) AS last FROM decisions "
        "WHERE undone = 0 AND stale = 0 AND action != 'skip' GROUP BY reviewer ORDER BY reviewer").fetchall()
    return [Pace(r["reviewer"], r["items"], r["cells"],
                 (_time(r["last"]) - _time(r["first"])).total_seconds() / 3600) for r in rows]


def queue_left(store: ReviewStore, pace: list[Pace] | None = None) -> QueueLeft:
    row = store.db.execute(
        "SELECT count(DISTINCT CASE WHEN i.grp = '' THEN 'cell:' || i.id ELSE i.sha256 || ':' || i.grp END) "
        "AS items, count(*) AS cells FROM items i LEFT JOIN decisions d ON d.id = i.decision_id "
        "WHERE i.state = 'queued' AND (d.id IS NULL OR d.action = 'skip')").fetchone()
    rate = sum(p.items_per_hour or 0.0 for p in (pace if pace is not None else paces(store)))
    return QueueLeft(row["items"], row["cells"], row["items"] / rate if rate else None)


def _time(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
