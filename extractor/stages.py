"""Seconds spent per pipeline stage, summed over documents: for the benchmark's breakdown.

Off unless ``record_stages`` turned it on, when each ``stage`` block costs a
dictionary update; the pipeline marks load, normalise, sections, grids,
cells, checks and record.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_totals: dict[str, float] | None = None
_clock: Callable[[], float] = time.perf_counter


def record_stages(clock: Callable[[], float] = time.perf_counter) -> dict[str, float]:
    """Start summing stage times (from zero) into the dictionary returned, read from ``clock``
    (``time.process_time``: CPU seconds, steady on a busy machine)."""
    global _totals, _clock
    _totals, _clock = {}, clock
    return _totals


@contextmanager
def stage(name: str) -> Iterator[None]:
    if _totals is None:
        yield
        return
    started = _clock()
    try:
        yield
    finally:
        _totals[name] = _totals.get(name, 0.0) + _clock() - started
