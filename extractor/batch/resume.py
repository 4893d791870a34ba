"""Resuming a batch: the output so far + the input paths → the documents still to do.

A document is done when the output holds a record for the same path, with
the sha256 of the file as it is now, the current pipeline version and the
fingerprint of the settings it would be made with now (``fingerprint.py``:
the threshold, the encoding, the LLM endpoint, model and prompts…; for a
failed record also the limits). Lines that no longer hold (the file changed,
the settings or the pipeline moved on, a second record for one path, a line
that is not a record) are dropped, each counted under its reason, by
rewriting the file to a temporary name and renaming it into place, so a crash
during a resume cannot lose the records already written either.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..fingerprint import differences
from ..pipeline import file_sha256
from ..records import PIPELINE_VERSION
from .writers import iter_lines, repair_tail

log = logging.getLogger(__name__)

DUPLICATE = "a second record of the same file"


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
    redone: Counter[str] = field(default_factory=Counter)
    """Why the dropped records of these inputs are redone: reason → records."""


def plan_resume(paths: Sequence[Path], out: Path, fingerprint: str,
                on_done: Callable[[dict[str, Any]], None] | None = None) -> ResumePlan:
    """Repair the output and work out which documents are done under the settings whose ``fingerprint``
    is given; ``on_done`` sees each kept record."""
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
    redone: Counter[str] = Counter()
    for i, (_, data) in enumerate(iter_lines(out)):
        if data is None:
            drop.add(i)
            continue
        path = data.get("path")
        if not isinstance(path, str) or path not in wanted:
            continue  # a record of some other input: not ours to judge
        if path not in hashes:
            hashes[path] = file_sha256(Path(path))
        stale = _stale(data, hashes[path], fingerprint, duplicate=path in seen)
        if stale is not None:
            drop.add(i)
            if stale != DUPLICATE:  # the first record of the file stands
                redone[stale] += 1
            continue
        seen.add(path)
        if on_done is not None:
            on_done(data)
    if drop:
        _rewrite_without(out, drop)
    return ResumePlan([p for p in paths if str(p) not in seen], len(seen), len(drop), torn, redone)


def _stale(data: dict[str, Any], sha256: str | None, fingerprint: str, *, duplicate: bool) -> str | None:
    """Why a record can no longer stand for its file (None: it is current)."""
    if duplicate:
        return DUPLICATE
    if data.get("sha256") is None or data.get("sha256") != sha256:
        return "the file changed" if data.get("status") != "failed" or data.get("sha256") else "it had failed"
    if data.get("pipeline_version") != PIPELINE_VERSION:
        return "an older pipeline version"
    return differences(data.get("fingerprint"), fingerprint, failed=data.get("status") == "failed")


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
