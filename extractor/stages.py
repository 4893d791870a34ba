"""Seconds spent per pipeline stage, summed over documents: for the benchmark's breakdown.

Off unless ``record_stages`` turned it on, when each ``stage`` block costs a
dictionary update; the pipeline marks load, normalise, sections, grids,
cells, checks and record.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

_totals: dict[str, float] | None = None


def record_stages() -> dict[str, float]:
    """Start summing stage times (from zero) into the dictionary returned."""
    global _totals
    _totals = {}
    return _totals


@contextmanager
def stage(name: str) -> Iterator[None]:
    if _totals is None:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        _totals[name] = _totals.get(name, 0.0) + time.perf_counter() - started
