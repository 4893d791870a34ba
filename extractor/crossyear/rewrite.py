"""A results file read record by record and rewritten in place, atomically: the changed records are
written with the others into a temporary file beside it, renamed over the original. A crash leaves the
old file whole; a re-run redoes it. One record at a time is in memory, however large the batch."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any, TypeVar

from ..batch.writers import iter_lines
from ..records import Record

T = TypeVar("T")


def scan_records(path: Path, read: Callable[[dict[str, Any]], T]) -> Iterator[T]:
    """``read`` of each record line of the file, as parsed JSON, in order; other lines are skipped, and
    the indices match ``rewrite_records``'s."""
    for _, data in iter_lines(path):
        if data is not None:
            yield read(data)


def rewrite_records(path: Path, change: Callable[[int, Record], Record], only: Collection[int]) -> int:
    """Apply ``change`` to the records whose index is in ``only`` and rewrite the file if one changed
    (lines that are not records are kept as they are); returns how many records changed."""
    if not only:  # nothing to change: the file is not read again (a batch with no series ends sooner)
        return 0
    tmp = path.with_name(f".{path.name}.tmp")
    changed = 0
    torn = _torn(path)  # a last line without its newline stays so: the next batch cuts it off
    with tmp.open("w", encoding="utf-8") as fh:
        index, pending = 0, ""
        for line, data in iter_lines(path):
            if data is not None:
                record = _record(data) if index in only else None
                if record is not None:
                    new = change(index, record)
                    if new != record:
                        line = new.model_dump_json(exclude_none=False)
                        changed += 1
                index += 1
            fh.write(pending)
            pending = line + "\n"
        fh.write(pending[:-1] if torn else pending)
        fh.flush()
        os.fsync(fh.fileno())
    if changed:
        os.replace(tmp, path)
    else:
        tmp.unlink()
    return changed


def _torn(path: Path) -> bool:
    """The file ends in a line with no newline (a batch killed mid-line), not merely in blanks."""
    with path.open("rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        fh.seek(max(0, size - 65536))
        tail = fh.read()
    return bool(tail.rsplit(b"\n", 1)[-1].strip())


def _record(data: dict[str, object]) -> Record | None:
    try:
        return Record.model_validate(data)
    except ValueError:
        return None
