"""The rule path on worker processes: paths in → records out, in input order, memory bounded.

Documents go to the workers in chunks; at most a few chunks per worker are in
flight, so a batch of any size holds only a window of records. A worker that
dies (a crash in a PDF library, the OOM killer) breaks the pool: the pool is
started again and the documents that were in flight are retried one at a
time, so only the document that kills a worker gets a failed record.

Each worker is bounded: its address space by ``max_memory_mb`` (a document
that needs more fails with MemoryError, alone), each document's rule path by
``doc_timeout`` (an alarm inside the worker). Should a worker not answer even
so — stuck in a C library — the parent kills it after the limit and a grace
period, and that document's record says it timed out.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Protocol, TypeVar

from ..config import Settings
from ..parse.extraction import Extraction
from ..pipeline import failed_record, file_sha256, settle_heap
from ..read.formats import format_of
from ..read.ocr_budget import ocr_allowance
from ..records import Record
from ..time_limit import DocumentTimeout
from .guarded import extract_one, read_one
from .writers import Finished

log = logging.getLogger(__name__)

CHUNK = 8
"""Documents per task: large enough to amortise the pickling, small enough to keep order cheap."""
IN_FLIGHT_PER_WORKER = 4
GRACE_S = 10.0
"""Seconds past its documents' limits before a silent worker is killed (the alarm inside comes first)."""

Task = tuple[str, str | None]
"""A document for a worker: its path, and the name its record gives (None: the file name)."""
Worker = Callable[[list[Task], Settings], list[Finished]]
T = TypeVar("T")


def extract_chunk(tasks: list[Task], settings: Settings) -> list[Finished]:
    """The task a worker runs: the rule path for each document of a chunk, serialised here."""
    out = []
    for path, name in tasks:
        record = extract_one(Path(path), settings)
        if name is not None:
            record.document = name
        out.append(Finished.of(record))
    return out


def read_chunk(tasks: list[Task], settings: Settings) -> list[Extraction | Record]:
    """The task a worker runs for the LLM path: the rule path's extraction of each document of a chunk."""
    return [read_one(Path(path), name, settings) for path, name in tasks]


def as_task(item: Path | tuple[Path, str | None]) -> Task:
    return (str(item[0]), item[1]) if isinstance(item, tuple) else (str(item), None)


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def limit_memory(mb: int) -> None:
    """A worker's initializer: cap its address space, so a hostile document fails alone (MemoryError)."""
    if mb <= 0:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = mb * 1024 * 1024 if hard == resource.RLIM_INFINITY else min(mb * 1024 * 1024, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def start_worker(mb: int) -> None:
    """A worker's initializer: its memory capped (``limit_memory``), its imports settled (``settle_heap``)."""
    limit_memory(mb)
    settle_heap()


def _context() -> multiprocessing.context.BaseContext:
    # fork would copy the parent's threads' locks (rich's refresh thread, the service's server)
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class DocumentPool(Protocol):
    """Runs the rule path somewhere else: here on worker processes, or on a cluster (``cluster.py``)."""

    @property
    def workers(self) -> int: ...

    def map(self, items: Iterable[Path | tuple[Path, str]]) -> Iterator[Finished]: ...


class RulePool:
    """A pool of worker processes for the rule path; use as a context manager."""

    def __init__(self, settings: Settings, workers: int, *, chunk: int = CHUNK,
                 worker: Worker = extract_chunk, grace: float = GRACE_S):
        self.settings = settings
        self.grace = grace
        self.workers = max(1, workers)
        self.chunk = max(1, chunk)
        self.worker = worker
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> RulePool:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=_context(), initializer=start_worker,
                                             initargs=(self.settings.max_memory_mb,))
        return self._pool

    def _restart(self, *, kill: bool = False) -> None:
        if self._pool is not None:
            if kill:  # the executor cannot stop a running task: its processes are ended here
                for process in list(getattr(self._pool, "_processes", {}).values()):
                    process.kill()
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None

    def _patience(self, tasks: list[Task]) -> float | None:
        """How long to wait for a task: loading and rules may each take the limit, OCR its pages' allowance."""
        limit = self.settings.doc_timeout
        if limit <= 0:
            return None
        return sum(2 * limit + ocr_allowance(Path(path)) for path, _ in tasks) + self.grace

    def map(self, items: Iterable[Path | tuple[Path, str | None]]) -> Iterator[Finished]:
        """The records of the documents in the order given, read lazily; an item may name its record."""
        return self._ordered(items, self.worker, Finished.of)

    def read(self, items: Iterable[Path | tuple[Path, str | None]]) -> Iterator[Extraction | Record]:
        """The rule path's extractions (or failed records) in the order given, for the LLM stage here."""
        return self._ordered(items, read_chunk, _as_is)

    def _ordered(self, items: Iterable[Path | tuple[Path, str | None]],
                 worker: Callable[[list[Task], Settings], list[T]], wrap: Callable[[Record], T]) -> Iterator[T]:
        """``worker``'s results in input order, a window of chunks in flight; ``wrap`` makes a failed record one."""
        source = map(as_task, items)
        window: deque[tuple[list[Task], Future[list[T]]]] = deque()
        limit = self.workers * IN_FLIGHT_PER_WORKER

        def top_up() -> None:
            while len(window) < limit:
                chunk = list(islice(source, self.chunk))
                if not chunk:
                    return
                window.append((chunk, self._executor().submit(worker, chunk, self.settings)))

        top_up()
        while window:
            chunk, future = window.popleft()
            try:
                results = future.result(timeout=self._patience(chunk))
            except (BrokenProcessPool, FutureTimeout) as exc:
                suspects = chunk + [p for c, _ in window for p in c]
                window.clear()
                self._restart(kill=isinstance(exc, FutureTimeout))
                results = list(self._isolate(suspects, worker, wrap))
            yield from results
            top_up()

    def _isolate(self, tasks: list[Task], worker: Callable[[list[Task], Settings], list[T]],
                 wrap: Callable[[Record], T]) -> Iterator[T]:
        """After a worker died: each document alone, so the one that kills a worker is named."""
        for path, name in tasks:
            future = self._executor().submit(worker, [(path, name)], self.settings)
            try:
                yield from future.result(timeout=self._patience([(path, name)]))
            except FutureTimeout:
                log.error("the worker reading %s did not answer in time; killed it", path)
                self._restart(kill=True)
                yield wrap(failed_record(name or Path(path).name, DocumentTimeout(self.settings.doc_timeout),
                                         file_sha256(Path(path)), format_of(Path(path)), path, self.settings))
            except BrokenProcessPool:
                log.error("a worker process died reading %s", path)
                self._restart()
                yield wrap(failed_record(name or Path(path).name, RuntimeError(
                    "the worker process reading this document died (a crash in a reader library, or "
                    "out of memory); the rest of the batch went on"), path=path))


def _as_is(record: Record) -> Extraction | Record:
    return record
