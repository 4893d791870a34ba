"""Batches: files and folders → records on disk, one bad document never stopping the rest.

Records are appended and flushed as each document finishes, in input order;
with ``resume`` a re-run skips the documents already in the output
(``resume.py``). The rule path runs on worker processes (``pool.py``) when
there are enough documents; with an LLM the batch stays in this process,
whose async LLM stage sends the tables of a window of documents together.
"""

from __future__ import annotations

import heapq
import logging
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Settings
from .load import SUPPORTED_SUFFIXES
from .output import Finished, JsonlWriter
from .pipeline import extract_documents, extract_file, failed_record, load_or_fail
from .pool import CHUNK, RulePool, default_workers
from .records import Document, Record
from .resume import plan_resume

if TYPE_CHECKING:
    from .llm.stage import LLMStage

log = logging.getLogger(__name__)

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
    llm: dict[str, float] = field(default_factory=dict)
    """LLM usage summed over the batch: calls, cached_calls, input/output tokens, cost_usd."""
    skipped: int = 0
    """Documents a resumed run found already done."""
    dropped: int = 0
    """Stale, duplicate or torn lines a resumed run removed from the output."""
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
                    data.get("usage"))

    def _count(self, status: str, error: str | None, document: str, cells: int, flagged: int,
               usage: dict[str, float | int] | None) -> None:
        self.statuses[status] += 1
        self.cells += cells
        self.flagged_cells += flagged
        if status == "failed" and len(self.failures) < KEEP_FAILURES:
            self.failures.append((document, error or ""))
        for key, value in (usage or {}).items():
            self.llm[key] = self.llm.get(key, 0) + value


def discover(inputs: Iterable[Path]) -> list[Path]:
    """The readable documents under the given files and folders, in a stable order, each once."""
    found: list[Path] = []
    for p in inputs:
        if p.is_dir():
            found += sorted(f for f in p.rglob("*")
                            if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES - {""}
                            and not any(part.startswith(".") for part in f.relative_to(p).parts))
        else:
            found.append(p)
    unique: dict[str, Path] = {}
    for f in found:
        unique.setdefault(str(f.absolute()), f)
    return list(unique.values())


def extract_one(path: Path, settings: Settings, llm: LLMStage | None = None) -> Record:
    try:
        return extract_file(path, settings, llm)
    except Exception as exc:  # a bug must not stop the batch: record it, log the traceback
        log.exception("internal error on %s", path)
        return failed_record(path.name, RuntimeError(
            f"internal error (a bug in nianbao, please report it): {type(exc).__name__}: {exc}"),
            path=str(path))


def _load_named(path: Path, name: str | None, settings: Settings) -> Document | Record:
    doc = load_or_fail(path, settings)
    if name is None:
        return doc
    if isinstance(doc, Record):
        doc.document = name
        return doc
    return replace(doc, name=name)


def _extract_window(items: Sequence[tuple[Path, str | None]], settings: Settings,
                    llm: LLMStage | None) -> list[Record]:
    """A window of documents: rules for each, their LLM tables sent together."""
    try:
        return extract_documents([_load_named(p, name, settings) for p, name in items], settings, llm)
    except Exception:  # a bug in one document: redo the window one by one, so only it fails
        log.exception("internal error in a window; retrying its documents one by one")
    records = []
    for p, name in items:
        record = extract_one(p, settings, llm)
        record.document = name or record.document
        records.append(record)
    return records


def worker_count(settings: Settings, workers: int | None = None) -> int:
    """Workers asked for (an argument, else ``settings.workers``); 0 means one per core."""
    n = settings.workers if workers is None else workers
    return n if n > 0 else default_workers()


def extract_stream(items: Sequence[Path | tuple[Path, str]], settings: Settings,
                   llm: LLMStage | None = None, workers: int = 1,
                   pool: RulePool | None = None) -> Generator[Finished, None, None]:
    """The records of the documents in order: on worker processes, or here when an LLM is used.

    An item is a path, or a path and the name its record gives (the service's uploads).

    The LLM path stays in this process: its calls are async within their
    limits and take seconds each, while the rules take milliseconds, so
    shipping the intermediate values to workers would cost more than it saves.
    """
    if llm is None and settings.llm_mode != "none":
        from .llm.stage import LLMStage

        llm = LLMStage(settings)
    if llm is None and pool is not None:
        yield from pool.map(items)
        return
    if llm is None and workers > 1 and len(items) > workers * CHUNK:
        with RulePool(settings, workers) as own:
            yield from own.map(items)
        return
    window = max(1, settings.llm_concurrency * 2) if llm is not None else 1
    for i in range(0, len(items), window):
        part = [it if isinstance(it, tuple) else (it, None) for it in items[i:i + window]]
        for record in _extract_window(part, settings, llm):
            yield Finished.of(record)


def run_batch(paths: list[Path], out: Path, settings: Settings,
              on_record: Callable[[Finished], None] | None = None,
              llm: LLMStage | None = None, *, workers: int = 1, resume: bool = False,
              on_skip: Callable[[int], None] | None = None) -> BatchSummary:
    """Extract ``paths`` into ``out``; with ``resume``, keep what is done and append the rest.

    Without ``resume`` the output is written afresh. ``on_skip`` hears how
    many documents a resumed run found done, before the first new record.
    """
    summary = BatchSummary()
    started = time.perf_counter()
    todo = paths
    if resume:
        plan = plan_resume(paths, out, on_done=summary.add_done)
        todo, summary.dropped = plan.todo, plan.dropped
        if on_skip is not None:
            on_skip(plan.done)
    uses_llm = llm is not None or settings.llm_mode != "none"
    summary.workers = 1 if uses_llm or len(todo) <= workers * CHUNK else workers
    with JsonlWriter(out, append=resume) as writer:
        for done in extract_stream(todo, settings, llm, workers=summary.workers):
            writer.write_line(done.line)
            summary.add(done)
            if on_record:
                on_record(done)
    summary.seconds = time.perf_counter() - started
    return summary
