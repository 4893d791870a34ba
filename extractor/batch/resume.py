"""Resuming a batch: the output so far + the input paths → the documents still to do.

A document is done when the output holds a record for the same path, with
the sha256 of the file as it is now and the current pipeline version. Lines
that no longer hold (the file changed, the pipeline moved on, a second record
for one path, a line that is not a record) are dropped by rewriting the file
to a temporary name and renaming it into place, so a crash during a resume
cannot lose the records already written either.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..pipeline import file_sha256
from ..records import PIPELINE_VERSION
from .writers import iter_lines, repair_tail

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ResumePlan:
    """What a re-run has left to do."""

    todo: list[Path]
    """The documents with no valid record yet, in input order."""
    done: int
    """Documents skipped: their record is in the output already."""
    dropped: int
    """Lines removed from the output: stale records, duplicates, a torn or corrupt line."""
    torn_bytes: int
    """Bytes of a torn last line cut off (a batch killed mid-write)."""


def plan_resume(paths: Sequence[Path], out: Path,
                on_done: Callable[[dict[str, Any]], None] | None = None) -> ResumePlan:
    """Repair the output and work out which documents are done; ``on_done`` sees each kept record."""
    if not out.exists():
        return ResumePlan(list(paths), 0, 0, 0)
    torn = repair_tail(out)
    if torn:
        log.warning("%s: cut a torn last line of %d bytes (the previous run was killed mid-write)",
                    out, torn)
    wanted = {str(p) for p in paths}
    hashes: dict[str, str | None] = {}
    seen: set[str] = set()
    drop: set[int] = set()
    for i, (_, data) in enumerate(iter_lines(out)):
        if data is None:
            drop.add(i)
            continue
        path = data.get("path")
        if not isinstance(path, str) or path not in wanted:
            continue  # a record of some other input: not ours to judge
        if path not in hashes:
            hashes[path] = file_sha256(Path(path))
        current = (data.get("pipeline_version") == PIPELINE_VERSION and data.get("sha256") is not None
                   and data.get("sha256") == hashes[path] and path not in seen)
        if not current:
            drop.add(i)
            continue
        seen.add(path)
        if on_done is not None:
            on_done(data)
    if drop:
        _rewrite_without(out, drop)
    return ResumePlan([p for p in paths if str(p) not in seen], len(seen), len(drop), torn)


def _rewrite_without(out: Path, drop: set[int]) -> None:
    tmp = out.with_name(f".{out.name}.resume-tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for i, (line, _) in enumerate(iter_lines(out)):
            if i not in drop:
                fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, out)
    log.info("%s: dropped %d stale or corrupt lines", out, len(drop))
