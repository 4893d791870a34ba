"""Batches: files and folders → records on disk, one bad document never stopping the rest."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings
from .load import SUPPORTED_SUFFIXES
from .output import JsonlWriter
from .pipeline import extract_file, failed_record
from .records import Record

log = logging.getLogger(__name__)


@dataclass
class BatchSummary:
    statuses: Counter[str] = field(default_factory=Counter)
    flagged_cells: int = 0
    cells: int = 0
    timings: list[tuple[float, str]] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def documents(self) -> int:
        return sum(self.statuses.values())

    def slowest(self, n: int = 5) -> list[tuple[float, str]]:
        return sorted(self.timings, reverse=True)[:n]

    def add(self, record: Record) -> None:
        self.statuses[record.status] += 1
        self.cells += len(record.cells)
        self.flagged_cells += sum(1 for c in record.cells.values() if c.flags)
        self.timings.append((record.seconds or 0.0, record.document))
        if record.status == "failed":
            self.failures.append((record.document, record.error or ""))


def discover(inputs: Iterable[Path]) -> list[Path]:
    """The readable documents under the given files and folders, in a stable order."""
    found: list[Path] = []
    for p in inputs:
        if p.is_dir():
            found += sorted(f for f in p.rglob("*")
                            if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES - {""}
                            and not any(part.startswith(".") for part in f.relative_to(p).parts))
        else:
            found.append(p)
    return found


def extract_one(path: Path, settings: Settings) -> Record:
    try:
        return extract_file(path, settings)
    except Exception as exc:  # a bug must not stop the batch: record it, log the traceback
        log.exception("internal error on %s", path)
        return failed_record(path.name, RuntimeError(
            f"internal error (a bug in nianbao, please report it): {type(exc).__name__}: {exc}"))


def run_batch(paths: list[Path], out: Path, settings: Settings,
              on_record: Callable[[Record], None] | None = None) -> BatchSummary:
    summary = BatchSummary()
    started = time.perf_counter()
    with JsonlWriter(out) as writer:
        for path in paths:
            record = extract_one(path, settings)
            writer.write(record)
            summary.add(record)
            if on_record:
                on_record(record)
    summary.seconds = time.perf_counter() - started
    return summary
