"""Outputs: records → JSONL, one line per document, appended and flushed as each finishes."""

from __future__ import annotations

import json
from pathlib import Path
from types import TracebackType
from typing import IO

from .records import Record


class JsonlWriter:
    """Writes records one line at a time; a crash loses at most the line being written."""

    def __init__(self, path: Path, *, append: bool = False):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh: IO[str] = path.open("a" if append else "w", encoding="utf-8")

    def write(self, record: Record) -> None:
        line = record.model_dump_json(exclude_none=False)
        self._fh.write(line + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def read_records(path: Path) -> list[Record]:
    """Every complete record of a JSONL file (a torn last line is skipped)."""
    out: list[Record] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                out.append(Record.model_validate(json.loads(line)))
            except (json.JSONDecodeError, ValueError):
                continue
    return out
