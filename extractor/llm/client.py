"""The LLM seam: one protocol with one method, ``read_table(request) -> reply``.

``OpenAICompatibleClient`` (``openai_client.py``) talks to a server; the
``ReplayClient`` answers from recorded replies; the ``ScriptedClient`` from a
queue, for unit tests. The cache key hashes only what changes the output:
endpoint, model, prompt version, schema version, the messages as sent (prompt
text and input) and the re-asks allowed.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..errors import LLMError
from ..records import Usage


@dataclass(frozen=True)
class TableRequest:
    """What is sent for one table of one document."""

    document: str
    table: str
    """``t2``, ``t3`` or ``t4``."""
    edition: str
    section_text: str
    """The table's section only (with its header), never the whole report."""
    endpoint: str
    model: str
    prompt_id: str
    prompt_version: str
    schema_version: str
    messages: tuple[tuple[str, str], ...] = ()
    """(role, content) pairs, rendered from the prompt file."""
    max_reasks: int = 2
    rows: tuple[str, ...] = ()
    """A gap question (``gaps.py``): the rows of ``table`` asked for (empty: the whole table)."""
    choices: int = 0
    """A gap question that picks one of this many readings (its answer: ``{"choice": [k]}``)."""
    known: tuple[tuple[str, float | int | None], ...] = ()
    """A gap question's rule values of the table, which the answer's identities are checked with."""

    def cache_key(self) -> str:
        """The reply's key: a prompt edited under the same version label, or another number of
        re-asks allowed, may change the reply, so both are in it (timeouts and retries are not).
        A gap question's messages hold the question and its window; its known values are added."""
        extra = [json.dumps(self.known)] if self.rows or self.choices else []
        return _key(self._key_parts() + [self.prompt_sha256, f"reasks={self.max_reasks}", *extra])

    @property
    def is_gap(self) -> bool:
        return bool(self.rows or self.choices)

    def legacy_key(self) -> str:
        """The key before the prompt's text and the re-asks were in it: the recordings made then."""
        return _key(self._key_parts())

    @property
    def prompt_sha256(self) -> str:
        """A hash of the messages as sent: the prompt file's text, rendered with the section."""
        return hashlib.sha256(json.dumps(self.messages, ensure_ascii=False).encode("utf-8")).hexdigest()

    def _key_parts(self) -> list[str]:
        digest = hashlib.sha256(self.section_text.encode("utf-8")).hexdigest()
        return [self.endpoint.rstrip("/"), self.model, f"{self.prompt_id}@{self.prompt_version}",
                f"{self.table}-{self.edition}@{self.schema_version}", digest]

    @property
    def prompt(self) -> str:
        return f"{self.prompt_id}@{self.prompt_version}"


@dataclass
class TableReply:
    """The parsed table, and what it cost."""

    rows: dict[str, list[float] | None]
    """Row key → numbers in column order (None: the row is not in the text)."""
    raw: str
    usage: Usage = field(default_factory=Usage)
    attempts: int = 1
    valid: bool = True
    """False when every re-ask still broke the table's arithmetic."""
    cached: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "raw": self.raw, "usage": self.usage.model_dump(mode="json"),
                "attempts": self.attempts, "valid": self.valid}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TableReply:
        return cls(rows=data["rows"], raw=data.get("raw", ""), usage=Usage.model_validate(data.get("usage", {})),
                   attempts=data.get("attempts", 1), valid=data.get("valid", True))


class TableReader(Protocol):
    async def read_table(self, request: TableRequest) -> TableReply: ...


class ScriptedClient:
    """Answers from a queue of replies and keeps every request (for tests of the fallback)."""

    def __init__(self, replies: Iterable[TableReply | Exception]):
        self.replies: deque[TableReply | Exception] = deque(replies)
        self.requests: list[TableRequest] = []

    async def read_table(self, request: TableRequest) -> TableReply:
        self.requests.append(request)
        if not self.replies:
            raise AssertionError(f"ScriptedClient has no reply left for {request.document} {request.table}")
        reply = self.replies.popleft()
        if isinstance(reply, Exception):
            raise reply
        return reply


class RecordingMissing(LLMError):
    pass


class ReplayClient:
    """Answers from ``<dir>/<cache key>.json``: recorded replies of a real model.

    A recording made before the key held the prompt's text and the re-asks is
    found by its older key (``legacy_key``), so it replays without re-recording.
    """

    def __init__(self, directory: Path):
        self.directory = directory
        self.used: set[str] = set()

    async def read_table(self, request: TableRequest) -> TableReply:
        key = request.cache_key()
        path = self.directory / f"{key}.json"
        if not path.is_file() and _is_legacy(self.directory / f"{request.legacy_key()}.json"):
            key = request.legacy_key()
            path = self.directory / f"{key}.json"
        if not path.is_file():
            raise RecordingMissing(
                f"no recorded reply {key} for {request.document} {request.table} "
                f"({request.model}, {request.prompt}); record it with: nianbao llm record "
                f"--recordings {self.directory} DOCUMENTS (needs a running model server)")
        self.used.add(key)
        reply = TableReply.from_json(json.loads(path.read_text("utf-8"))["reply"])
        reply.cached = False
        return reply


def save_recording(directory: Path, request: TableRequest, reply: TableReply) -> Path:
    """Write one reply as a recording: the cache entry, without any credential."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{request.cache_key()}.json"
    entry = {"key": request.cache_key(), "document": request.document, "table": request.table,
             "edition": request.edition, "endpoint": request.endpoint, "model": request.model,
             "prompt": request.prompt, "prompt_sha256": request.prompt_sha256,
             "max_reasks": request.max_reasks, "schema_version": request.schema_version,
             "reply": reply.to_json()}
    if request.is_gap:
        entry |= {"rows": list(request.rows), "choices": request.choices, "messages": request.messages}
    path.write_text(json.dumps(entry, ensure_ascii=False, indent=1), "utf-8")
    return path


def _key(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def _is_legacy(path: Path) -> bool:
    """A recording written before ``prompt_sha256`` was stored (and keyed)."""
    return path.is_file() and "prompt_sha256" not in json.loads(path.read_text("utf-8"))
