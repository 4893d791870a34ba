"""A SQLite response cache keyed like the recordings: a re-run costs no tokens.

The key hashes endpoint, model, prompt version, schema version, the messages
as sent and the re-asks allowed (``TableRequest.cache_key``); nothing else, and
never a credential. Only replies that passed validation are kept: a table
whose arithmetic still failed after every re-ask is asked again next run.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from ..database import SQLiteStore
from ..records import Usage
from .client import TableReader, TableReply, TableRequest, save_recording

SCHEMA_MIGRATIONS = ("""
CREATE TABLE IF NOT EXISTS replies (
    key TEXT PRIMARY KEY,
    created REAL NOT NULL,
    endpoint TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt TEXT NOT NULL,
    schema_version TEXT NOT NULL,
    document TEXT NOT NULL,
    table_name TEXT NOT NULL,
    reply TEXT NOT NULL
);
""", """
DELETE FROM replies;
""")
"""The schema, one migration at a time (``PRAGMA user_version`` counts those applied). The second
drops the rows of the first key, which no request can hit again, and the invalid replies kept then."""


class ResponseCache(SQLiteStore):
    """Replies by cache key, in one SQLite file shared by runs and processes."""

    MIGRATIONS = SCHEMA_MIGRATIONS

    def get(self, request: TableRequest) -> TableReply | None:
        row = self.db.execute("SELECT reply FROM replies WHERE key = ?", (request.cache_key(),)).fetchone()
        if row is None:
            return None
        reply = TableReply.from_json(json.loads(row[0]))
        reply.cached = True
        reply.usage = Usage(cached_calls=1)
        return reply

    def put(self, request: TableRequest, reply: TableReply) -> None:
        self.db.execute("INSERT OR REPLACE INTO replies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (request.cache_key(), time.time(), request.endpoint, request.model,
                         request.prompt, request.schema_version, request.document, request.table,
                         json.dumps(reply.to_json(), ensure_ascii=False)))


class CachedClient:
    """Looks a request up in the cache first; stores every new valid reply (and, optionally,
    records every reply: a recording keeps what the model said, valid or not)."""

    def __init__(self, inner: TableReader, cache: ResponseCache | None,
                 record_to: Path | None = None):
        self.inner = inner
        self.cache = cache
        self.record_to = record_to

    async def read_table(self, request: TableRequest) -> TableReply:
        if self.cache is not None:
            hit = self.cache.get(request)
            if hit is not None:
                if self.record_to is not None:
                    save_recording(self.record_to, request, hit)
                return hit
        reply = await self.inner.read_table(request)
        if self.cache is not None and reply.valid:
            self.cache.put(request, reply)
        if self.record_to is not None:
            save_recording(self.record_to, request, reply)
        return reply
