"""The job store: uploaded documents → jobs and their records, in SQLite.

A job is a list of uploaded documents; each document's record is stored the
moment it is made, so a server killed mid-job loses at most the documents
being extracted, and its restart finishes the rest. WAL mode and a busy
timeout let the API threads and the worker share the file.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..batch.writers import Finished
from ..database import SQLiteStore, utc_now
from ..records import Record

SCHEMA_MIGRATIONS = ("""
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    served REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, served, created_at);
CREATE TABLE IF NOT EXISTS job_documents (
    job_id TEXT NOT NULL REFERENCES jobs(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    blob TEXT NOT NULL,
    status TEXT,
    error TEXT,
    record TEXT,
    PRIMARY KEY (job_id, position)
);
""",)
"""The schema, one migration at a time (``PRAGMA user_version`` counts those applied)."""


@dataclass(frozen=True)
class Upload:
    """A stored upload: the name shown, and the blob it was saved as (named by its sha256)."""

    name: str
    sha256: str
    size: int
    blob: Path


@dataclass(frozen=True)
class JobRow:
    id: str
    state: str
    created_at: str
    updated_at: str
    total: int
    done: int
    ok: int
    needs_review: int
    failed: int


@dataclass(frozen=True)
class Pending:
    """A document still to extract."""

    position: int
    name: str
    blob: Path


class JobNotDone(Exception):
    """The worker still has the job (queued or running): it cannot be deleted yet."""


class JobStore(SQLiteStore):
    """One connection to the jobs database; open one per thread."""

    MIGRATIONS = SCHEMA_MIGRATIONS

    def create(self, uploads: list[Upload]) -> str:
        job_id = uuid.uuid4().hex
        stamp = utc_now()
        with self.transaction():
            self.db.execute("INSERT INTO jobs (id, state, created_at, updated_at) VALUES (?, 'queued', ?, ?)",
                            (job_id, stamp, stamp))
            self.db.executemany(
                "INSERT INTO job_documents (job_id, position, name, sha256, size, blob) VALUES (?, ?, ?, ?, ?, ?)",
                [(job_id, i, u.name, u.sha256, u.size, str(u.blob)) for i, u in enumerate(uploads)])
        return job_id

    _JOB = ("SELECT j.id, j.state, j.created_at, j.updated_at, count(d.position) AS total, "
            "coalesce(sum(d.status IS NOT NULL), 0) AS done, coalesce(sum(d.status = 'ok'), 0) AS ok, "
            "coalesce(sum(d.status = 'needs_review'), 0) AS needs_review, "
            "coalesce(sum(d.status = 'failed'), 0) AS failed "
            "FROM jobs j LEFT JOIN job_documents d ON d.job_id = j.id")

    def job(self, job_id: str) -> JobRow | None:
        row = self.db.execute(f"{self._JOB} WHERE j.id = ? GROUP BY j.id", (job_id,)).fetchone()
        return None if row is None else JobRow(**dict(row))

    def jobs(self, offset: int, limit: int) -> tuple[list[JobRow], int]:
        rows = self.db.execute(f"{self._JOB} GROUP BY j.id ORDER BY j.created_at DESC, j.id "
                               "LIMIT ? OFFSET ?", (limit, offset)).fetchall()
        total = self.db.execute("SELECT count(*) FROM jobs").fetchone()[0]
        return [JobRow(**dict(r)) for r in rows], int(total)

    def documents(self, job_id: str) -> list[sqlite3.Row]:
        return list(self.db.execute("SELECT position, name, sha256, size, status, error FROM job_documents "
                                    "WHERE job_id = ? ORDER BY position", (job_id,)))

    def unfinished(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM jobs WHERE state != 'done'").fetchone()[0])

    def next_work(self, limit: int) -> tuple[str, list[Pending]] | None:
        """Up to ``limit`` pending documents of the unfinished job served least recently.

        Taking turns by slices lets a small job overtake a big one submitted earlier.
        """
        row = self.db.execute("SELECT id FROM jobs WHERE state != 'done' ORDER BY served, created_at, id "
                              "LIMIT 1").fetchone()
        if row is None:
            return None
        job_id = str(row["id"])
        self.db.execute("UPDATE jobs SET state = 'running', served = ?, updated_at = ? WHERE id = ?",
                        (time.time(), utc_now(), job_id))
        docs = self.db.execute("SELECT position, name, blob FROM job_documents WHERE job_id = ? AND "
                               "status IS NULL ORDER BY position LIMIT ?", (job_id, limit)).fetchall()
        return job_id, [Pending(r["position"], r["name"], Path(r["blob"])) for r in docs]

    def finish_document(self, job_id: str, position: int, done: Finished) -> None:
        self.db.execute("UPDATE job_documents SET status = ?, error = ?, record = ? "
                        "WHERE job_id = ? AND position = ?", (done.status, done.error, done.line, job_id, position))
        self.db.execute("UPDATE jobs SET updated_at = ? WHERE id = ?", (utc_now(), job_id))

    def mark_done(self, job_id: str) -> None:
        self.db.execute("UPDATE jobs SET state = 'done', updated_at = ? WHERE id = ?", (utc_now(), job_id))

    def record_lines(self, job_id: str, offset: int = 0, limit: int = -1) -> list[str]:
        rows = self.db.execute("SELECT record FROM job_documents WHERE job_id = ? AND record IS NOT NULL "
                               "ORDER BY position LIMIT ? OFFSET ?", (job_id, limit, offset))
        return [str(r["record"]) for r in rows]

    def iter_records(self, job_id: str) -> Iterator[Record]:
        """The job's records in upload order, one at a time (a new connection: safe to stream)."""
        with JobStore(self.path) as own:
            cursor = own.db.execute("SELECT record FROM job_documents WHERE job_id = ? AND record IS NOT NULL "
                                    "ORDER BY position", (job_id,))
            for row in cursor:
                yield Record.model_validate_json(row["record"])

    def delete(self, job_id: str) -> list[str] | None:
        """Remove a done job and its records; the names of its blobs no other job uses (None: no such job).

        Blobs are matched by name (``<sha256><suffix>``), not by the path
        stored, which depends on how the data folder was spelled at upload.
        """
        with self.transaction():
            row = self.db.execute("SELECT state FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                return None
            if row["state"] != "done":
                raise JobNotDone(job_id)
            docs = self.db.execute("SELECT DISTINCT sha256, blob FROM job_documents WHERE job_id = ?",
                                   (job_id,)).fetchall()
            self.db.execute("DELETE FROM job_documents WHERE job_id = ?", (job_id,))
            self.db.execute("DELETE FROM jobs WHERE id = ?", (job_id,))
            shas = sorted({str(d["sha256"]) for d in docs})
            kept = {Path(r["blob"]).name for r in self.db.execute(
                f"SELECT DISTINCT blob FROM job_documents WHERE sha256 IN ({', '.join('?' * len(shas))})", shas)}
        return sorted({Path(d["blob"]).name for d in docs} - kept)

    def finished_before(self, stamp: str) -> list[str]:
        """The done jobs last updated (finished) before ``stamp``, a ``utc_now`` timestamp."""
        rows = self.db.execute("SELECT id FROM jobs WHERE state = 'done' AND updated_at < ? ORDER BY updated_at",
                               (stamp,))
        return [str(r["id"]) for r in rows]

    def blob_names(self) -> set[str]:
        """The file names of every blob a job references."""
        return {Path(r["blob"]).name for r in self.db.execute("SELECT DISTINCT blob FROM job_documents")}
