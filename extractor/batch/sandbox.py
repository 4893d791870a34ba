"""The rule path in a child process of one's own: chunks of documents in → records out, each document limited.

A cluster engine runs tasks on threads of its worker processes, where the
SIGALRM of ``time_limit`` cannot be armed, and Dask's worker processes are
daemonic, so they may not start a ``multiprocessing`` pool either. A
``Sandbox`` is a plain child process (``python -m extractor.batch.sandbox``)
kept for the worker thread's life: in its main thread each document's time
limit holds as in the local pool, its address space is capped, and a child
that does not answer even so (stuck in a C library) is killed by the thread
after the limit and a grace period. Chunks and records cross its stdin and
stdout as length-prefixed pickles.
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from ..config import Settings
from ..pipeline import failed_record, file_sha256
from ..read.formats import format_of
from ..records import Record
from ..time_limit import DocumentTimeout
from .guarded import extract_one
from .pool import GRACE_S, limit_memory
from .writers import Finished

log = logging.getLogger(__name__)

SandboxTask = tuple[str, str | None, str | None]
"""A document: the path to read, the name its record gives (None: the file name) and the path its record
names (None: the path read; a copy sent as bytes names its original)."""
_HEADER = struct.Struct("!Q")


class SandboxDied(RuntimeError):
    """The child process ended (or went silent past its limit) before answering."""


def extract_tasks(tasks: list[SandboxTask], settings: Settings) -> list[Finished]:
    """The child's work for one chunk: the rule path for each document, serialised here."""
    out = []
    for path, name, origin in tasks:
        record = extract_one(Path(path), settings)
        if name is not None:
            record.document = name
        if origin is not None:
            record.path = origin
        out.append(Finished.of(record))
    return out


COMMAND = (sys.executable, "-m", "extractor.batch.sandbox")


class Sandbox:
    """One child process running chunks for one thread; started on first use, restarted after a death."""

    def __init__(self, settings: Settings, grace: float = GRACE_S, command: Sequence[str] = COMMAND):
        self.settings = settings
        self.grace = grace
        self.command = list(command)
        self._child: subprocess.Popen[bytes] | None = None

    def close(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._child.wait()
            self._child = None

    def _started(self) -> subprocess.Popen[bytes]:
        if self._child is None or self._child.poll() is not None:
            self._child = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            assert self._child.stdin is not None
            _send(self._child.stdin, self.settings)
        return self._child

    def _patience(self, documents: int) -> float | None:
        limit = self.settings.doc_timeout
        return None if limit <= 0 else 2 * limit * documents + self.grace

    def run(self, tasks: list[SandboxTask]) -> list[Finished]:
        """The records of a chunk in order; raises ``SandboxDied`` when the child does not answer."""
        try:
            child = self._started()
            assert child.stdin is not None and child.stdout is not None
            _send(child.stdin, tasks)
            answer = _receive(child.stdout, self._patience(len(tasks)))
        except (OSError, EOFError, TimeoutError) as exc:
            timed_out = isinstance(exc, TimeoutError)
            self.close()
            raise SandboxDied("timed out" if timed_out else "died") from exc
        return list(answer)

    def run_chunk(self, tasks: list[SandboxTask]) -> list[Finished]:
        """A chunk's records whatever happens: after a death each document runs alone, as in ``RulePool``."""
        try:
            return self.run(tasks)
        except SandboxDied:
            return list(self._isolate(tasks))

    def _isolate(self, tasks: list[SandboxTask]) -> Iterator[Finished]:
        for task in tasks:
            try:
                yield from self.run([task])
            except SandboxDied as exc:
                yield Finished.of(self._lost(task, timed_out=str(exc) == "timed out"))

    def _lost(self, task: SandboxTask, *, timed_out: bool) -> Record:
        path, name, origin = task
        read = Path(path)
        error: BaseException
        if timed_out:
            log.error("the child process reading %s did not answer in time; killed it", origin or path)
            error = DocumentTimeout(self.settings.doc_timeout)
        else:
            log.error("the child process died reading %s", origin or path)
            error = RuntimeError("the worker process reading this document died (a crash in a reader library, "
                                 "or out of memory); the rest of the batch went on")
        return failed_record(name or read.name, error, file_sha256(read), format_of(read), origin or path,
                             self.settings if timed_out else None)


def _send(fh: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    fh.write(_HEADER.pack(len(data)) + data)
    fh.flush()


def _read_exactly(fh: IO[bytes], n: int, deadline: float | None) -> bytes:
    fd = fh.fileno()
    parts = []
    while n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def _receive(fh: IO[bytes], timeout: float | None) -> Any:
    deadline = None if timeout is None else time.monotonic() + timeout
    (size,) = _HEADER.unpack(_read_exactly(fh, _HEADER.size, deadline))
    return pickle.loads(_read_exactly(fh, size, deadline))


def main() -> None:
    """The child: settings first, then chunk after chunk until stdin closes (its thread or worker ended)."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a reader library printing to stdout must not corrupt the answers
    requests = sys.stdin.buffer
    try:
        settings = _receive(requests, None)
    except EOFError:
        return
    limit_memory(settings.max_memory_mb)
    while True:
        try:
            tasks = _receive(requests, None)
        except EOFError:
            return
        _send(answers, extract_tasks(tasks, settings))


if __name__ == "__main__":
    main()
