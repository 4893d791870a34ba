"""Batches: files and folders → records on disk, one bad document never stopping the rest.

Records are appended and flushed as each document finishes, in input order;
with ``resume`` a re-run skips the documents already in the output
(``resume.py``). The rule path runs on worker processes (``pool.py``) when
there are enough documents; with an LLM the batch stays in this process,
whose async LLM stage sends the tables of the documents read ahead together
and hands back each document as soon as it and those before it are answered.
"""

from __future__ import annotations

import json
import logging
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..fingerprint import fingerprint
from ..llm.stage import LLMStage
from ..parse.extraction import Extraction, ExtractionStage, StageSession
from ..pipeline import extract_documents, settle_heap, to_record
from ..records import Record
from .guarded import internal_failure, load_named, read_one
from .pool import CHUNK, DocumentPool, RulePool, default_workers
from .resume import plan_resume
from .summary import BatchSummary
from .writers import Finished, JsonlWriter

if TYPE_CHECKING:
    from .parquet import ParquetWriter

log = logging.getLogger(__name__)


def _extract_alone(path: Path, name: str | None, settings: Settings) -> Record:
    """One document on the rule path; a bug in nianbao gives it a failed record."""
    try:
        return extract_documents([load_named(path, name, settings)], settings)[0]
    except Exception as exc:
        return internal_failure(path, name, exc)


def worker_count(settings: Settings, workers: int | None = None) -> int:
    """Workers asked for (an argument, else ``settings.workers``); 0 means one per core."""
    n = settings.workers if workers is None else workers
    return n if n > 0 else default_workers()


def extract_stream(items: Sequence[Path | tuple[Path, str]], settings: Settings,
                   llm: ExtractionStage | None = None, workers: int = 1,
                   pool: DocumentPool | None = None) -> Generator[Finished, None, None]:
    """The records of the documents in order: on worker processes, or here when an LLM is used.

    An item is a path, or a path and the name its record gives (the service's uploads).

    The LLM stage stays in this process: its calls are async within their
    limits and take seconds each. With a ``pool`` (the service) the rule path
    still runs on its workers, which send back each document's extraction, so
    that a hostile document is bounded in time and memory there too.
    """
    if llm is None and settings.llm_mode != "none":
        llm = LLMStage(settings)
    if llm is None and pool is not None:
        yield from pool.map(items)
        return
    if llm is None and workers > 1 and len(items) > workers * CHUNK:
        with RulePool(settings, workers) as own:
            yield from own.map(items)
        return
    named = [it if isinstance(it, tuple) else (it, None) for it in items]
    if llm is None:
        for path, name in named:
            yield Finished.of(_extract_alone(path, name, settings))
        return
    reads = (pool.read(named) if isinstance(pool, RulePool)
             else (read_one(path, name, settings) for path, name in named))
    with closing(llm.session()) as session:
        for record in _extract_ahead(named, reads, settings, session, ahead=max(1, settings.llm_concurrency * 2)):
            yield Finished.of(record)


@dataclass
class _InFlight:
    """A document read, its LLM tables sent, its record not yet made."""

    path: Path
    name: str | None
    started: float
    extraction: Extraction | Record


def _extract_ahead(items: Sequence[tuple[Path, str | None]], reads: Iterator[Extraction | Record],
                   settings: Settings, session: StageSession, ahead: int) -> Iterator[Record]:
    """Records in input order, each as soon as it and the ones before it are answered.

    Up to ``ahead`` documents are read (rules) with their tables sent, so the
    tables of several documents are in flight together; only those documents
    are lost if the batch is stopped.
    """
    flying: deque[_InFlight] = deque()
    for (path, name), read in zip(items, reads, strict=True):
        flying.append(_start(path, name, read, session))
        if len(flying) >= ahead:
            yield _finish(flying.popleft(), settings, session)
    while flying:
        yield _finish(flying.popleft(), settings, session)


def _start(path: Path, name: str | None, ex: Extraction | Record, session: StageSession) -> _InFlight:
    started = time.perf_counter()
    try:
        if isinstance(ex, Extraction):
            session.submit(ex)
    except Exception as exc:  # a bug in one document: it alone fails
        ex = internal_failure(path, name, exc)
    return _InFlight(path, name, started, ex)


def _finish(doc: _InFlight, settings: Settings, session: StageSession) -> Record:
    if isinstance(doc.extraction, Record):
        record = doc.extraction
    else:
        try:
            session.finish(doc.extraction)
            record = to_record(doc.extraction, settings)
        except Exception as exc:
            record = internal_failure(doc.path, doc.name, exc)
    if record.seconds is None:
        record.seconds = round(time.perf_counter() - doc.started, 4)
    return record


def run_batch(paths: list[Path], out: Path, settings: Settings,
              on_record: Callable[[Finished], None] | None = None,
              llm: ExtractionStage | None = None, *, workers: int = 1, resume: bool = False,
              on_skip: Callable[[int], None] | None = None, pool: DocumentPool | None = None,
              parquet: Path | None = None) -> BatchSummary:
    """Extract ``paths`` into ``out``; with ``resume``, keep what is done and append the rest.

    Without ``resume`` the output is written afresh. ``on_skip`` hears how
    many documents a resumed run found done, before the first new record.
    ``pool`` runs the rule path elsewhere (a cluster, ``cluster.py``);
    ``parquet`` also writes every record of ``out`` as Parquet (``parquet.py``).
    """
    summary = BatchSummary()
    started = time.perf_counter()
    settle_heap()
    tables = _parquet_writer(parquet) if parquet is not None else None
    todo = paths
    if resume:
        plan = plan_resume(paths, out, fingerprint(settings),
                           on_done=summary.add_done if tables is None else _both(summary.add_done, tables.add))
        todo, summary.dropped, summary.redone = plan.todo, plan.dropped, plan.redone
        if on_skip is not None:
            on_skip(plan.done)
    uses_llm = llm is not None or settings.llm_mode != "none"
    summary.workers = 1 if uses_llm or len(todo) <= workers * CHUNK else workers
    if pool is not None and not uses_llm:
        summary.workers = pool.workers
    with JsonlWriter(out, append=resume) as writer, tables if tables is not None else nullcontext():
        for done in extract_stream(todo, settings, llm, workers=summary.workers, pool=pool):
            writer.write_line(done.line)
            if tables is not None:
                tables.add(json.loads(done.line))
            summary.add(done)
            if on_record:
                on_record(done)
    summary.seconds = time.perf_counter() - started
    return summary


def _both(first: Callable[[dict[str, Any]], None],
          second: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def both(data: dict[str, Any]) -> None:
        first(data)
        second(data)

    return both


def _parquet_writer(folder: Path) -> ParquetWriter:
    from .parquet import ParquetWriter  # pyarrow is the [parquet] extra

    return ParquetWriter(folder)
