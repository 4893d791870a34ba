"""Removing jobs: DELETE /jobs/{id} and the retention sweep → job rows, records and unshared blobs gone.

Uploads are stored and their job created under ``BLOBS_LOCK``, and removals
take it too, so a blob is never unlinked between an upload that stores the
same content again and the job that will reference it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .jobs import JobStore

log = logging.getLogger(__name__)

BLOBS_LOCK = threading.Lock()


@dataclass(frozen=True)
class Swept:
    """What one sweep removed."""

    jobs: list[str]
    """Finished jobs past the retention."""
    orphans: int
    """Blobs no job referenced (the files stored before a request was rejected)."""


def remove_job(store: JobStore, job_id: str, blobs: Path) -> bool:
    """Delete a done job and unlink the blobs no other job shares; False for an unknown job.

    Raises ``JobNotDone`` for a job the worker still has: it is refused, not
    cancelled, so a record is never written for a job already gone.
    """
    with BLOBS_LOCK:
        freed = store.delete(job_id)
        if freed is None:
            return False
        for name in freed:
            (blobs / name).unlink(missing_ok=True)
    log.info("job %s deleted with %d blobs no other job used", job_id, len(freed))
    return True


def remove_orphans(store: JobStore, blobs: Path) -> int:
    """Unlink the blobs no job references; an upload being written (``.upload-…``) is left alone."""
    if not blobs.is_dir():
        return 0
    removed = 0
    with BLOBS_LOCK:
        referenced = store.blob_names()
        for path in blobs.iterdir():
            if path.is_file() and not path.name.startswith(".") and path.name not in referenced:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def sweep(jobs_db: Path, blobs: Path, retention_days: float, now: datetime | None = None) -> Swept:
    """Remove the jobs finished more than ``retention_days`` ago (none when it is 0) and orphaned blobs."""
    with JobStore(jobs_db) as store:
        removed: list[str] = []
        if retention_days > 0:
            cutoff = (now or datetime.now(UTC)) - timedelta(days=retention_days)
            for job_id in store.finished_before(cutoff.isoformat(timespec="seconds")):
                if remove_job(store, job_id, blobs):
                    removed.append(job_id)
        orphans = remove_orphans(store, blobs)
    if removed or orphans:
        log.info("retention: removed %d jobs finished over %g days ago and %d orphaned blobs",
                 len(removed), retention_days, orphans)
    return Swept(removed, orphans)


async def sweep_every(seconds: float, jobs_db: Path, blobs: Path, retention_days: float) -> None:
    """Sweep now and then, for as long as the server runs (the task is cancelled at shutdown)."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await asyncio.to_thread(sweep, jobs_db, blobs, retention_days)
        except Exception:  # a failed sweep must not end the loop: the next one tries again
            log.exception("the retention sweep failed; trying again in %g s", seconds)
