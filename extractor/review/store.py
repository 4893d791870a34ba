"""The review database: SQLite schema, atomic claims and decision rows.

One file holds the documents' records, the queued cells (``items``) and every
decision ever made (``decisions``, never deleted: undo and staleness are flags).
WAL mode and ``BEGIN IMMEDIATE`` let several reviewers share one file.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..database import SQLiteStore, utc_now
from ..errors import NianbaoError
from ..records import Cell, Record, Value

CLAIM_SECONDS = 600.0
"""How long a reviewer holds a cell before another reviewer may take it."""

ACTIONS = ("accept", "correct", "unknown", "skip")

SCHEMA_MIGRATIONS = ("""
CREATE TABLE IF NOT EXISTS documents (
    sha256 TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    path TEXT,
    template TEXT,
    record TEXT NOT NULL,
    threshold REAL NOT NULL,
    synced_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES documents(sha256),
    cell TEXT NOT NULL,
    tbl TEXT NOT NULL,
    position INTEGER NOT NULL,
    extracted TEXT NOT NULL,
    value TEXT NOT NULL,
    confidence REAL NOT NULL,
    flags TEXT NOT NULL,
    tier INTEGER NOT NULL,
    doc_rank REAL NOT NULL,
    table_rank REAL NOT NULL,
    context_json TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'resolved', 'gone')),
    decision_id INTEGER REFERENCES decisions(id),
    claimed_by TEXT,
    claimed_until REAL NOT NULL DEFAULT 0,
    UNIQUE (sha256, cell)
);
CREATE INDEX IF NOT EXISTS items_order ON items (state, doc_rank, sha256, table_rank, tbl, tier,
                                                 confidence, position);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    sha256 TEXT NOT NULL,
    cell TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('accept', 'correct', 'unknown', 'skip')),
    value TEXT,
    original TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    stale INTEGER NOT NULL DEFAULT 0,
    undone INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS decisions_by_reviewer ON decisions (reviewer, undone, stale, id);
""", """
ALTER TABLE items ADD COLUMN grp TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN kind TEXT NOT NULL DEFAULT 'cell';
ALTER TABLE decisions ADD COLUMN act INTEGER;
""")
"""The schema, one migration at a time (``PRAGMA user_version`` counts those applied)."""

ORDER = "i.doc_rank, i.sha256, i.table_rank, i.tbl, i.tier, i.confidence, i.position"
"""Riskiest document first, then its riskiest table, then the riskiest cells of that table."""


class ReviewError(NianbaoError):
    """A review operation that cannot be done as asked."""


class NotInQueue(ReviewError):
    """No such document or queued cell."""


class ClaimConflict(ReviewError):
    """Another reviewer holds the cell, or it left the queue meanwhile."""


class InvalidDecision(ReviewError):
    """The decision or the typed value does not fit the cell."""


@dataclass(frozen=True)
class Item:
    """One queued cell as stored."""

    id: int
    sha256: str
    document: str
    cell: str
    table: str
    extracted: Cell
    """The extraction as last synced: the value the reviewer is asked about."""
    state: str
    """``queued``, ``resolved`` (its identities hold after corrections) or ``gone`` (no longer flagged)."""
    decision: Decision | None
    claimed_by: str | None
    claimed_until: float
    context: dict[str, Any]
    """The source text around the evidence (see ``context.py``)."""
    group: str = ""
    """The review item (``review_items.ReviewItem.key``) the cell belongs to: one decision settles them all."""
    kind: str = "cell"
    """``truncated``, ``ambiguous``, ``identity`` or ``cell``."""


@dataclass(frozen=True)
class Decision:
    id: int
    item_id: int
    sha256: str
    cell: str
    action: str
    value: Value
    """The decided value (the extracted one for ``accept``, None for ``unknown`` and ``skip``)."""
    original: Cell
    """The extraction the reviewer saw, kept beside the decision."""
    reviewer: str
    decided_at: str
    act: int | None = None
    """Decisions made by one action on a review item share it (the first one's id): undone together."""

    @property
    def settles(self) -> bool:
        """Whether the decision fixes the cell's value (a skip does not)."""
        return self.action != "skip"


class ReviewStore(SQLiteStore):
    """A connection to one review database; open one per thread or process."""

    MIGRATIONS = SCHEMA_MIGRATIONS
    FOREIGN_KEYS = True

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time):
        super().__init__(path)
        self.clock = clock

    # ------------------------------------------------------------ documents

    def record(self, sha256: str) -> Record:
        row = self.db.execute("SELECT record FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            raise NotInQueue(f"no document with sha256 {sha256} in {self.path}")
        return Record.model_validate_json(row["record"])

    def documents(self) -> list[sqlite3.Row]:
        return list(self.db.execute("SELECT sha256, document, path, template, synced_at "
                                    "FROM documents ORDER BY document, sha256"))

    def find_document(self, name: str) -> str:
        """The sha256 of a document given by file name, path, sha256 or a sha256 prefix."""
        rows = self.db.execute(
            "SELECT sha256 FROM documents WHERE document = ? OR path = ? OR sha256 LIKE ?",
            (Path(name).name, name, f"{name}%")).fetchall()
        if len(rows) == 1:
            return str(rows[0]["sha256"])
        if not rows:
            raise NotInQueue(f"no document {name!r} in {self.path}; `nianbao review status "
                              f"{self.path}` lists them")
        raise ReviewError(f"{name!r} names {len(rows)} documents; give its sha256")

    # ------------------------------------------------------------ items

    def _items(self, where: str, params: tuple[Any, ...]) -> list[Item]:
        rows = self.db.execute(
            "SELECT i.*, d.document FROM items i JOIN documents d ON d.sha256 = i.sha256 "
            f"WHERE {where} ORDER BY {ORDER}", params).fetchall()
        decisions = self._decisions_by_id([r["decision_id"] for r in rows if r["decision_id"]])
        return [Item(id=r["id"], sha256=r["sha256"], document=r["document"], cell=r["cell"],
                     table=r["tbl"], extracted=Cell.model_validate_json(r["extracted"]),
                     state=r["state"], decision=decisions.get(r["decision_id"]),
                     claimed_by=r["claimed_by"], claimed_until=r["claimed_until"],
                     context=json.loads(r["context_json"]), group=r["grp"], kind=r["kind"])
                for r in rows]

    def item(self, item_id: int) -> Item:
        found = self._items("i.id = ?", (item_id,))
        if not found:
            raise NotInQueue(f"no queued cell with id {item_id}")
        return found[0]

    def items_of(self, sha256: str) -> list[Item]:
        return self._items("i.sha256 = ?", (sha256,))

    def queue(self, sha256: str | None = None) -> list[Item]:
        """The cells in the queue (decided or not), in review order."""
        if sha256 is None:
            return self._items("i.state = 'queued'", ())
        return self._items("i.state = 'queued' AND i.sha256 = ?", (sha256,))

    def group_of(self, item: Item) -> list[Item]:
        """The queued cells of the item's review item (just the item when it stands alone)."""
        if not item.group:
            return [item]
        return self._items("i.sha256 = ? AND i.grp = ? AND i.state = 'queued'", (item.sha256, item.group))

    def set_state(self, item_id: int, state: str) -> None:
        self.db.execute("UPDATE items SET state = ? WHERE id = ?", (state, item_id))

    # ------------------------------------------------------------ claims

    def claim_next(self, reviewer: str, *, seconds: float = CLAIM_SECONDS,
                   sha256: str | None = None, include_skipped: bool = False) -> Item | None:
        """Claim the riskiest undecided cell nobody else holds, in one atomic UPDATE.

        A reviewer's own live claim comes back first, so a reload shows the same cell.
        """
        now = self.clock()
        eligible = ("i.state = 'queued' AND (i.decision_id IS NULL OR "
                    "(:skipped AND d.action = 'skip')) AND (:sha IS NULL OR i.sha256 = :sha) "
                    # nor a cell of a review item another reviewer holds a cell of
                    "AND (i.grp = '' OR NOT EXISTS (SELECT 1 FROM items g WHERE g.sha256 = i.sha256 "
                    "AND g.grp = i.grp AND g.claimed_by != :me AND g.claimed_until >= :now))")
        row = self.db.execute(
            "UPDATE items SET claimed_by = :me, claimed_until = :until "
            "WHERE (claimed_until < :now OR claimed_by = :me) AND id = ("
            "  SELECT i.id FROM items i LEFT JOIN decisions d ON d.id = i.decision_id "
            f"  WHERE {eligible} AND (i.claimed_until < :now OR i.claimed_by = :me) "
            f"  ORDER BY (i.claimed_by = :me AND i.claimed_until >= :now) DESC, {ORDER} LIMIT 1"
            ") RETURNING id",
            {"me": reviewer, "now": now, "until": now + seconds, "sha": sha256,
             "skipped": include_skipped}).fetchone()
        if row is None:
            return None
        head = self.item(int(row["id"]))
        if head.group:  # one decision settles the whole item: nobody else gets its other cells
            self.db.execute(
                "UPDATE items SET claimed_by = ?, claimed_until = ? WHERE sha256 = ? AND grp = ? "
                "AND (claimed_until < ? OR claimed_by = ?)",
                (reviewer, now + seconds, head.sha256, head.group, now, reviewer))
        return head

    def claim(self, item_id: int, reviewer: str, seconds: float = CLAIM_SECONDS) -> bool:
        """Claim one given cell; False when another reviewer holds it."""
        now = self.clock()
        row = self.db.execute(
            "UPDATE items SET claimed_by = ?, claimed_until = ? "
            "WHERE id = ? AND (claimed_until < ? OR claimed_by = ?) RETURNING id",
            (reviewer, now + seconds, item_id, now, reviewer)).fetchone()
        return row is not None

    def release(self, item_id: int, reviewer: str) -> None:
        """Let go of a claimed cell, and of the other cells of its review item."""
        self.db.execute(
            "UPDATE items SET claimed_by = NULL, claimed_until = 0 WHERE claimed_by = ? AND (id = ? OR "
            "(grp != '' AND (sha256, grp) = (SELECT sha256, grp FROM items WHERE id = ?)))",
            (reviewer, item_id, item_id))

    def held_by_other(self, item: Item, reviewer: str) -> str | None:
        """Who else holds the cell now, if anyone."""
        if item.claimed_by and item.claimed_by != reviewer and item.claimed_until >= self.clock():
            return item.claimed_by
        return None

    # ------------------------------------------------------------ decisions

    def _decisions_by_id(self, ids: list[int]) -> dict[int, Decision]:
        if not ids:
            return {}
        out: dict[int, Decision] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(f"SELECT * FROM decisions WHERE id IN ({marks})", chunk):
                out[r["id"]] = _decision(r)
        return out

    def add_decision(self, item: Item, action: str, value: Value, reviewer: str,
                     act: int | None = None) -> Decision:
        """Store a decision beside the extraction it was made on; the item points at it.

        ``act``: the first decision of the same action on a review item (None: this one starts it).
        """
        if action not in ACTIONS:
            raise InvalidDecision(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
        cur = self.db.execute(
            "INSERT INTO decisions (item_id, sha256, cell, action, value, original, reviewer, "
            "decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (item.id, item.sha256, item.cell, action,
             None if action == "skip" else json.dumps(value, ensure_ascii=False),
             item.extracted.model_dump_json(), reviewer, utc_now()))
        decision_id = int(cur.lastrowid or 0)
        self.db.execute("UPDATE decisions SET act = ? WHERE id = ?", (act or decision_id, decision_id))
        self.db.execute("UPDATE items SET decision_id = ?, claimed_by = NULL, claimed_until = 0 "
                        "WHERE id = ?", (decision_id, item.id))
        return self._decisions_by_id([decision_id])[decision_id]

    def last_decision(self, reviewer: str) -> Decision | None:
        row = self.db.execute("SELECT * FROM decisions WHERE reviewer = ? AND undone = 0 "
                              "AND stale = 0 ORDER BY id DESC LIMIT 1", (reviewer,)).fetchone()
        return None if row is None else _decision(row)

    def mark_undone(self, decision: Decision) -> list[int]:
        """Undo a decision and those of the same act: each item falls back to its previous live
        decision, or none. Returns the items touched."""
        rows = self.db.execute(
            "UPDATE decisions SET undone = 1 WHERE undone = 0 AND stale = 0 AND (id = ? OR act = ?) "
            "RETURNING item_id", (decision.id, decision.act or decision.id)).fetchall()
        items = sorted({int(r["item_id"]) for r in rows})
        for item_id in items:
            self._relink(item_id)
        return items

    def mark_stale(self, item_id: int) -> int:
        """The extracted value changed since the item's decisions: they no longer apply."""
        cur = self.db.execute("UPDATE decisions SET stale = 1 WHERE item_id = ? AND undone = 0 "
                              "AND stale = 0", (item_id,))
        self._relink(item_id)
        return cur.rowcount

    def _relink(self, item_id: int) -> None:
        self.db.execute(
            "UPDATE items SET decision_id = (SELECT max(id) FROM decisions WHERE item_id = ? "
            "AND undone = 0 AND stale = 0) WHERE id = ?", (item_id, item_id))



def _decision(r: sqlite3.Row) -> Decision:
    return Decision(id=r["id"], item_id=r["item_id"], sha256=r["sha256"], cell=r["cell"],
                    action=r["action"], value=None if r["value"] is None else json.loads(r["value"]),
                    original=Cell.model_validate_json(r["original"]), reviewer=r["reviewer"],
                    decided_at=r["decided_at"], act=r["act"])
