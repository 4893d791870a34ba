"""A wall-clock limit on one document's rule path, so that no document can hang a worker.

The limit is a SIGALRM timer: it interrupts pure-Python work anywhere, and
``DocumentTimeout`` derives from ``BaseException`` so that the readers'
``except Exception`` handlers cannot mistake it for a damaged file. Signals
reach only a process's main thread; elsewhere (a server thread) the limit is
not armed, and the caller runs the rule path in a worker process instead,
whose parent also kills it when even the alarm cannot get through (a C
library that never returns to Python).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class DocumentTimeout(BaseException):
    """The document took longer than the limit (a ``BaseException``: no reader may swallow it)."""

    def __init__(self, seconds: float):
        super().__init__(f"timed out after {seconds:g} s: the document took longer than the limit for one "
                         "document (raise it with --doc-timeout, NIANBAO_DOC_TIMEOUT); the rest of the "
                         "batch went on")
        self.seconds = seconds


def can_interrupt() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


_granted: list[float] = []
"""The seconds each armed limit allows so far (innermost last): ``extend_time_limit`` adds to it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``DocumentTimeout`` in the block after ``seconds`` (0, or not the main thread: no limit)."""
    if seconds <= 0 or not can_interrupt():
        yield
        return
    _granted.append(seconds)

    def on_alarm(signum: int, frame: object) -> None:
        raise DocumentTimeout(_granted[-1])

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _granted.pop()


def extend_time_limit(seconds: float) -> None:
    """Give the armed limit ``seconds`` more (a reader that meets slow work, e.g. a page to OCR);
    nothing when no limit is armed."""
    if not _granted or not can_interrupt():
        return
    left, _ = signal.getitimer(signal.ITIMER_REAL)
    if left > 0:
        signal.setitimer(signal.ITIMER_REAL, left + seconds)
        _granted[-1] += seconds
