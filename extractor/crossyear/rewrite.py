"""A results file rewritten in place, atomically: read every line, change the records, write a temporary
file beside it and rename it over the original. A crash leaves the old file whole; a re-run redoes it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..batch.writers import iter_lines
from ..records import Record


def rewrite_records(path: Path, change: Callable[[list[Record]], list[Record]]) -> int:
    """Apply ``change`` to the file's records (lines that are not records are kept as they are);
    returns how many records changed."""
    lines: list[str] = []
    records: list[Record] = []
    slots: list[int] = []
    for line, data in iter_lines(path):
        record = _record(data)
        if record is not None:
            slots.append(len(lines))
            records.append(record)
        lines.append(line)
    changed = change(records)
    n = 0
    for slot, old, new in zip(slots, records, changed, strict=True):
        if new != old:
            lines[slot] = new.model_dump_json(exclude_none=False)
            n += 1
    if n:
        torn = _torn(path)  # a last line without its newline stays so: the next batch cuts it off
        tmp = path.with_name(f".{path.name}.tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            body = "".join(line + "\n" for line in lines)
            fh.write(body[:-1] if torn else body)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    return n


def _torn(path: Path) -> bool:
    with path.open("rb") as fh:
        if fh.seek(0, os.SEEK_END) == 0:
            return False
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) != b"\n"


def _record(data: dict[str, object] | None) -> Record | None:
    if data is None:
        return None
    try:
        return Record.model_validate(data)
    except ValueError:
        return None
