"""Outputs: records → JSONL (appended and flushed per document), long and wide CSV.

A JSONL line is committed by its newline: a line without one was torn by a
crash and is cut off (``repair_tail``) before the file is appended to again.
The CSVs are plain UTF-8 with a header row, quoted where needed, so
``pandas.read_csv(path)`` reads them with no options; text a spreadsheet would
run as a formula is escaped (``spreadsheet_safe``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from ..records import Record, Usage, Value
from ..template import cell_specs

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel or LibreOffice read a cell as a formula (OWASP, CSV injection)."""
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")

LONG_COLUMNS = ("document", "sha256", "cell", "value", "confidence", "method", "flags")
WIDE_COLUMNS = ("document", "sha256", "status", "template", "error")
"""The wide CSV's leading columns; one column per cell of ``cells.csv`` follows."""


@dataclass(frozen=True)
class Finished:
    """A record serialised where it was made (a worker), with what a batch summary needs of it.

    Workers send this instead of the ``Record``: unpickling a record of 200
    cells costs the parent as much as a third of extracting it.
    """

    line: str
    """The record as one JSON line (no newline)."""
    document: str
    status: str
    error: str | None
    cells: int
    flagged: int
    """Cells with at least one flag."""
    seconds: float
    usage: Usage | None = None

    @classmethod
    def of(cls, record: Record) -> Finished:
        return cls(record.model_dump_json(exclude_none=False), record.document, record.status,
                   record.error, len(record.cells), sum(1 for c in record.cells.values() if c.flags),
                   record.seconds or 0.0, record.usage)

    def record(self) -> Record:
        return Record.model_validate_json(self.line)


class JsonlWriter:
    """Writes records one line at a time; a crash loses at most the line being written."""

    def __init__(self, path: Path, *, append: bool = False):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if append:
            repair_tail(path)
        self._fh: IO[str] = path.open("a" if append else "w", encoding="utf-8")

    def write(self, record: Record) -> None:
        self.write_line(record.model_dump_json(exclude_none=False))

    def write_line(self, line: str) -> None:
        """A record already serialised (one line, no newline)."""
        self._fh.write(line + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def repair_tail(path: Path) -> int:
    """Cut a torn last line (no newline: the writer was killed mid-line); returns the bytes cut."""
    if not path.exists():
        return 0
    with path.open("rb+") as fh:
        size = fh.seek(0, os.SEEK_END)
        end = size
        while end > 0:
            start = max(0, end - 65536)
            fh.seek(start)
            block = fh.read(end - start)
            if end == size and block.endswith(b"\n"):
                return 0
            newline = block.rfind(b"\n")
            if newline >= 0:
                keep = start + newline + 1
                break
            end = start
        else:
            keep = 0
        fh.truncate(keep)
    return size - keep


def iter_lines(path: Path) -> Iterator[tuple[str, dict[str, Any] | None]]:
    """Every line of a JSONL file with its parsed object (None for a line that is not a record)."""
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                yield line, None
                continue
            ok = isinstance(data, dict) and isinstance(data.get("document"), str) and "status" in data
            yield line, data if ok else None


def iter_records(path: Path) -> Iterator[Record]:
    """The complete records of a JSONL file, one at a time (torn or foreign lines are skipped)."""
    for _, data in iter_lines(path):
        if data is None:
            continue
        try:
            yield Record.model_validate(data)
        except ValueError:
            continue


def read_records(path: Path) -> list[Record]:
    """Every complete record of a JSONL file (a torn last line is skipped)."""
    return list(iter_records(path))


def csv_value(value: Value) -> str:
    """A cell value as CSV text: empty for null, numbers as written in JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    return value if isinstance(value, str) else json.dumps(value)


def long_rows(records: Iterable[Record]) -> Iterator[tuple[str, ...]]:
    """One row per cell: document, sha256, cell, value, confidence, method, flags (``;``-joined)."""
    for r in records:
        for cell_id, c in r.cells.items():
            yield (r.document, r.sha256 or "", cell_id, csv_value(c.value), repr(c.confidence),
                   c.method.value, ";".join(c.flags))


def wide_header() -> tuple[str, ...]:
    return (*WIDE_COLUMNS, *cell_specs())


def wide_rows(records: Iterable[Record]) -> Iterator[tuple[str, ...]]:
    """One row per document; a cell its edition lacks (or a failed document's) is empty."""
    cells = tuple(cell_specs())
    for r in records:
        values = (csv_value(r.cells[c].value) if c in r.cells else "" for c in cells)
        yield (r.document, r.sha256 or "", r.status, r.template or "", r.error or "", *values)


def spreadsheet_safe(field: str) -> str:
    """A CSV field a spreadsheet shows as written: text that starts like a formula gets a leading ``'``.

    Document names, agency text, notes and review comments come from uploads
    and people; ``=cmd|' /C calc'!A0`` in one would run when the CSV is
    opened. A number (``-3``, ``-0.5``) is left as it is: it is not a formula.
    """
    if field.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(field):
        return "'" + field
    return field


def safe_row(row: Iterable[str]) -> list[str]:
    """Every field of a row through ``spreadsheet_safe``: the one way a CSV row is written."""
    return [spreadsheet_safe(field) for field in row]


def write_csv(path: Path, header: Iterable[str], rows: Iterable[tuple[str, ...]]) -> int:
    """Write a CSV atomically (a temporary file renamed into place); returns the data rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    n = 0
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(safe_row(header))
        for row in rows:
            writer.writerow(safe_row(row))
            n += 1
    os.replace(tmp, path)
    return n


def csv_rows_text(header: Iterable[str], rows: Iterable[tuple[str, ...]]) -> Iterator[str]:
    """The same CSV as ``write_csv``, as text chunks to stream (an HTTP response)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
        if buf.tell() > 65536:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def write_csv_long(records: Iterable[Record], path: Path) -> int:
    return write_csv(path, LONG_COLUMNS, long_rows(records))


def write_csv_wide(records: Iterable[Record], path: Path) -> int:
    return write_csv(path, wide_header(), wide_rows(records))
