"""SQLite, opened one way for every store (the review queue, the service's jobs, the LLM cache).

WAL journal and a busy timeout let threads and processes share a file; the
schema is a list of migrations applied in order, ``PRAGMA user_version``
counting those done, each in a write transaction, so a file made by an
older nianbao is brought up to date and one made by a newer nianbao is refused.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar, Self

from .errors import ConfigError

BUSY_TIMEOUT_S = 30.0


class SQLiteStore:
    """One connection to one of nianbao's SQLite files; open one per thread, or use ``with``."""

    MIGRATIONS: ClassVar[Sequence[str]] = ()
    """The store's schema, one migration at a time."""
    FOREIGN_KEYS: ClassVar[bool] = False

    def __init__(self, path: Path):
        self.path = path
        self.db = connect(path, self.MIGRATIONS, foreign_keys=self.FOREIGN_KEYS)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction taken up front (``BEGIN IMMEDIATE``): writers never interleave."""
        return write_transaction(self.db)


def connect(path: Path, migrations: Sequence[str], *, foreign_keys: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), rows as ``sqlite3.Row``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    if foreign_keys:
        db.execute("PRAGMA foreign_keys=ON")
    try:
        migrate(db, migrations, path)
    except BaseException:
        db.close()
        raise
    return db


@contextmanager
def write_transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (rolled back on error); nested uses join the open one."""
    if db.in_transaction:
        yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def migrate(db: sqlite3.Connection, migrations: Sequence[str], path: Path) -> None:
    """Apply the migrations this file has not had yet; the version is re-read under the write lock."""
    if _version(db) == len(migrations):
        return
    with write_transaction(db):
        version = _version(db)
        if version > len(migrations):
            raise ConfigError(f"{path} has schema version {version}, newer than this nianbao knows "
                              f"({len(migrations)}): upgrade nianbao, or use another file")
        for n in range(version, len(migrations)):
            for statement in statements(migrations[n]):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {n + 1}")


def statements(script: str) -> list[str]:
    """A SQL script split into complete statements (executescript would commit our transaction)."""
    out: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            out.append(pending.strip())
            pending = ""
    if pending.strip() and sqlite3.complete_statement(pending + ";"):
        out.append(pending.strip())
    elif pending.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {pending.strip()[:80]}")
    return out


def _version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def utc_now() -> str:
    """A timestamp as the stores keep it: UTC, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")
