"""``BatchSummary``: what a batch did, counted as records arrive (and as a resumed run finds them)."""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..records import Record, Usage
from .writers import Finished

KEEP_FAILURES = 1000
"""Failures listed in the summary (all are counted; every record says why)."""


@dataclass
class BatchSummary:
    statuses: Counter[str] = field(default_factory=Counter)
    """Documents per status, including those a resumed run found done."""
    flagged_cells: int = 0
    cells: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    """(document, error) of the first ``KEEP_FAILURES`` failed documents."""
    seconds: float = 0.0
    llm: Usage = field(default_factory=Usage)
    """LLM usage summed over the batch."""
    skipped: int = 0
    """Documents a resumed run found already done."""
    dropped: int = 0
    """Stale, duplicate or torn lines a resumed run removed from the output."""
    redone: Counter[str] = field(default_factory=Counter)
    """Why a resumed run redid documents that had a record: reason → documents."""
    workers: int = 1
    """Processes that ran the rule path."""
    _slow: list[tuple[float, str]] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return sum(self.statuses.values())

    @property
    def extracted(self) -> int:
        """Documents extracted by this run (not skipped)."""
        return self.documents - self.skipped

    def slowest(self, n: int = 5) -> list[tuple[float, str]]:
        return sorted(self._slow, reverse=True)[:n]

    def add(self, done: Finished | Record) -> None:
        if isinstance(done, Record):
            done = Finished.of(done)
        self._count(done.status, done.error, done.document, done.cells, done.flagged, done.usage)
        item = (done.seconds, done.document)
        if len(self._slow) < 20:
            heapq.heappush(self._slow, item)
        else:
            heapq.heappushpop(self._slow, item)

    def add_done(self, data: dict[str, Any]) -> None:
        """A record a resumed run found in the output (parsed JSON, not re-validated)."""
        cells = data.get("cells") or {}
        self.skipped += 1
        self._count(str(data.get("status")), data.get("error"), str(data.get("document")), len(cells),
                    sum(1 for c in cells.values() if isinstance(c, dict) and c.get("flags")),
                    Usage.model_validate(data["usage"]) if data.get("usage") else None)

    def _count(self, status: str, error: str | None, document: str, cells: int, flagged: int,
               usage: Usage | None) -> None:
        self.statuses[status] += 1
        self.cells += cells
        self.flagged_cells += flagged
        if status == "failed" and len(self.failures) < KEEP_FAILURES:
            self.failures.append((document, error or ""))
        if usage is not None:
            self.llm.add(usage)
