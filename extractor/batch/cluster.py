"""The rule path on a Dask cluster the user already runs: paths in → records out, in input order.

The same chunks as the local pool (``pool.py``) go to the cluster as tasks;
on a worker each chunk runs in that thread's ``Sandbox`` (a child process, so
each document's time and memory limits hold there too). Documents travel as
paths on storage the workers share, or as their bytes (``send="bytes"``),
copied to a temporary folder on the worker and recorded under their original
path. A worker that dies mid-task is the scheduler's business: it runs the
task again on another worker, and only the one answer the client waits for
is written, so no record is lost or doubled. A chunk whose workers keep
dying (``KilledWorker``) is retried one document at a time, and only the
document that kills them gets a failed record, as in the local pool.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from types import TracebackType

from distributed import Client, Future, KilledWorker

from ..config import Settings
from ..pipeline import failed_record
from ..records import Record
from .guarded import extract_one
from .pool import CHUNK, IN_FLIGHT_PER_WORKER, Task, as_task
from .sandbox import Sandbox, SandboxTask
from .writers import Finished

log = logging.getLogger(__name__)

SENDS = ("paths", "bytes")
RETRIES = 2
"""Retries of a task that raised (a worker's full disk, say); a worker's death is rescheduled by the scheduler."""

ClusterTask = tuple[str, str | None, bytes | None]
"""A document for the cluster: its path, the name its record gives, and its bytes (None: read the path)."""

_local = threading.local()


def cluster_chunk(tasks: list[ClusterTask], settings: Settings) -> list[Finished]:
    """The task a Dask worker runs: one chunk in this thread's sandbox, bytes copied to a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="nianbao-") as tmp:
        local: list[SandboxTask] = []
        for i, (path, name, data) in enumerate(tasks):
            if data is None:
                local.append((path, name, None))
                continue
            copy = Path(tmp, str(i), Path(path).name)
            copy.parent.mkdir()
            copy.write_bytes(data)
            local.append((str(copy), name, path))
        return _sandbox(settings).run_chunk(local)


def _sandbox(settings: Settings) -> Sandbox:
    """This worker thread's sandbox for these settings, kept for the thread's life."""
    if not hasattr(_local, "boxes"):
        _local.boxes = {}
    boxes: dict[Settings, Sandbox] = _local.boxes
    if settings not in boxes:
        boxes[settings] = Sandbox(settings)
    return boxes[settings]


@dataclass
class _Chunk:
    """A chunk in flight: its documents, the cluster's future, and the records made here instead."""

    tasks: list[Task]
    future: Future[list[Finished]] | None
    here: dict[int, Finished] = field(default_factory=dict)
    """Records of documents not sent: as bytes, a file over the size limit or unreadable fails here."""


class ClusterPool:
    """The rule path on a Dask cluster at ``address`` (``tcp://host:8786``); use as a context manager."""

    def __init__(self, settings: Settings, address: str, *, chunk: int = CHUNK, send: str = "paths"):
        if send not in SENDS:
            raise ValueError(f"send must be one of {SENDS}, not {send!r}")
        self.settings = settings
        self.address = address
        self.chunk = max(1, chunk)
        self.send = send
        self._client: Client | None = None

    @property
    def client(self) -> Client:
        if self._client is None:
            self._client = Client(self.address, set_as_default=False)
        return self._client

    @property
    def workers(self) -> int:
        """Worker threads on the cluster now (each runs one chunk at a time)."""
        return max(1, int(sum(self.client.nthreads().values())))

    def __enter__(self) -> ClusterPool:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def map(self, items: Iterable[Path | tuple[Path, str]]) -> Iterator[Finished]:
        """The records of the documents in the order given, read lazily; an item may name its record."""
        source = map(as_task, items)
        window: deque[_Chunk] = deque()
        limit = self.workers * IN_FLIGHT_PER_WORKER

        def top_up() -> None:
            while len(window) < limit:
                tasks = list(islice(source, self.chunk))
                if not tasks:
                    return
                window.append(self._submit(tasks))

        try:
            top_up()
            while window:
                yield from self._records(window.popleft())
                top_up()
        finally:  # stopped early (the service stopping, Ctrl-C): the cluster need not finish them
            for pending in window:
                if pending.future is not None:
                    pending.future.cancel()

    def _submit(self, tasks: list[Task]) -> _Chunk:
        pending = _Chunk(tasks, None)
        sent: list[ClusterTask] = []
        for i, (path, name) in enumerate(tasks):
            if self.send == "paths":
                sent.append((path, name, None))
                continue
            data = self._bytes(Path(path))
            if data is None:
                pending.here[i] = Finished.of(_named(extract_one(Path(path), self.settings), name))
            else:
                sent.append((path, name, data))
        if sent:
            pending.future = self.client.submit(cluster_chunk, sent, self.settings, pure=False, retries=RETRIES)
        return pending

    def _bytes(self, path: Path) -> bytes | None:
        """The file to send; None for one that fails here at once (over the size limit, unreadable)."""
        limit = self.settings.max_file_mb
        try:
            if limit > 0 and path.stat().st_size > limit * 1024 * 1024:
                return None
            return path.read_bytes()
        except OSError:
            return None

    def _records(self, pending: _Chunk, *, alone: bool = False) -> list[Finished]:
        sent: list[Finished] = []
        if pending.future is not None:
            try:
                sent = pending.future.result()
            except KilledWorker:
                if alone:
                    raise
                sent = list(self._isolate([t for i, t in enumerate(pending.tasks) if i not in pending.here]))
        answers = iter(sent)
        return [pending.here[i] if i in pending.here else next(answers) for i in range(len(pending.tasks))]

    def _isolate(self, tasks: list[Task]) -> Iterator[Finished]:
        """A chunk whose workers kept dying: each document alone, so the one that kills them is named."""
        for task in tasks:
            pending = self._submit([task])
            try:
                yield from self._records(pending, alone=True)
            except KilledWorker:
                path, name = task
                log.error("the cluster's workers kept dying on %s", path)
                yield Finished.of(_named(_died(Path(path)), name))


def _named(record: Record, name: str | None) -> Record:
    if name is not None:
        record.document = name
    return record


def _died(path: Path) -> Record:
    return failed_record(path.name, RuntimeError(
        "the cluster's worker processes died reading this document (a crash in a reader library, or out of "
        "memory); the rest of the batch went on"), path=str(path))
