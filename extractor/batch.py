"""Batches: files and folders → records on disk, one bad document never stopping the rest."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Settings
from .load import SUPPORTED_SUFFIXES
from .output import JsonlWriter
from .pipeline import extract_documents, extract_file, failed_record, load_or_fail
from .records import Record

if TYPE_CHECKING:
    from .llm.stage import LLMStage

log = logging.getLogger(__name__)


@dataclass
class BatchSummary:
    statuses: Counter[str] = field(default_factory=Counter)
    flagged_cells: int = 0
    cells: int = 0
    timings: list[tuple[float, str]] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    llm: dict[str, float] = field(default_factory=dict)
    """LLM usage summed over the batch: calls, cached_calls, input/output tokens, cost_usd."""

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
        for key, value in (record.usage or {}).items():
            self.llm[key] = self.llm.get(key, 0) + value


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


def extract_one(path: Path, settings: Settings, llm: LLMStage | None = None) -> Record:
    try:
        return extract_file(path, settings, llm)
    except Exception as exc:  # a bug must not stop the batch: record it, log the traceback
        log.exception("internal error on %s", path)
        return failed_record(path.name, RuntimeError(
            f"internal error (a bug in nianbao, please report it): {type(exc).__name__}: {exc}"),
            path=str(path))


def _extract_window(paths: list[Path], settings: Settings, llm: LLMStage | None) -> list[Record]:
    """A window of documents: rules for each, their LLM tables sent together."""
    try:
        records = extract_documents([load_or_fail(p, settings) for p in paths], settings, llm)
    except Exception:  # a bug in one document: redo the window one by one, so only it fails
        log.exception("internal error in a window; retrying its documents one by one")
        return [extract_one(p, settings, llm) for p in paths]
    return records


def run_batch(paths: list[Path], out: Path, settings: Settings,
              on_record: Callable[[Record], None] | None = None,
              llm: LLMStage | None = None) -> BatchSummary:
    summary = BatchSummary()
    started = time.perf_counter()
    if llm is None and settings.llm_mode != "none":
        from .llm.stage import LLMStage

        llm = LLMStage(settings)
    window = max(1, settings.llm_concurrency * 2) if llm is not None else 1
    with JsonlWriter(out) as writer:
        for i in range(0, len(paths), window):
            for record in _extract_window(paths[i:i + window], settings, llm):
                writer.write(record)
                summary.add(record)
                if on_record:
                    on_record(record)
    summary.seconds = time.perf_counter() - started
    return summary
