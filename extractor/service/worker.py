"""The background worker: pending documents of the job store → records, one slice of a job at a time.

It runs in a thread of the server; the rule path runs on worker processes
(``pool.RulePool``, bounded in time and memory per document) so the API
stays responsive and a hostile upload fails alone — or on a Dask cluster
(``cluster.ClusterPool``, the same limits on its workers). With an LLM
configured, worker processes send back each document's extraction and the
LLM stage, async within its limits, completes it in the thread. When a
job's last document is done its records are queued for review.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from ..batch import extract_stream
from ..batch.pool import RulePool
from ..config import Settings
from ..llm.stage import LLMStage
from ..review import sync_records
from .jobs import JobStore

if TYPE_CHECKING:
    from ..batch.cluster import ClusterPool

log = logging.getLogger(__name__)

SLICE = 32
"""Documents taken from one job before the next job gets a turn."""


class JobWorker(threading.Thread):
    """Extracts jobs until stopped; a restarted server's worker picks up where the last one was killed."""
    def __init__(self, jobs_db: Path, review_db: Path, settings: Settings, workers: int,
                 poll_seconds: float = 1.0, *, cluster: str | None = None, cluster_send: str = "bytes"):
        super().__init__(name="nianbao-jobs", daemon=True)
        self.jobs_db = jobs_db
        self.review_db = review_db
        self.settings = settings
        self.workers = workers
        self.poll_seconds = poll_seconds
        self.cluster = cluster
        self.cluster_send = cluster_send
        self._wake = threading.Event()
        self._stopping = threading.Event()

    def wake(self) -> None:
        """A job was submitted: look now, not at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wake.set()
        self.join(timeout)

    def run(self) -> None:
        uses_llm = self.settings.llm_mode != "none"
        # the rule path always in worker processes (or on the cluster's), with or without an LLM: a hostile
        # upload then fails alone, within the workers' time and memory limits, and never takes the server
        # down; with an LLM the local workers send back extractions (``RulePool.read``)
        pool = self._rule_pool() if not uses_llm else RulePool(self.settings, max(1, self.workers))
        llm = None
        if uses_llm:  # one stage for the server's life: its cache, limits and batch budget hold across jobs
            llm = LLMStage(self.settings)
        try:
            with JobStore(self.jobs_db) as store:
                while not self._stopping.is_set():
                    try:
                        worked = self._step(store, pool, llm)
                    except Exception:  # never let one bad step end the worker
                        log.exception("the job worker failed a step; going on")
                        worked = False
                    if not worked:
                        self._wake.wait(self.poll_seconds)
                        self._wake.clear()
        finally:
            pool.close()

    def _rule_pool(self) -> RulePool | ClusterPool:
        if self.cluster is None:
            return RulePool(self.settings, max(1, self.workers))
        from ..batch.cluster import ClusterPool  # distributed is the [cluster] extra

        return ClusterPool(self.settings, self.cluster, send=self.cluster_send)

    def _step(self, store: JobStore, pool: RulePool | ClusterPool | None, llm: LLMStage | None) -> bool:
        """One slice of the next job; False when there was nothing to do."""
        work = store.next_work(SLICE)
        if work is None:
            return False
        job_id, pending = work
        items = [(p.blob, p.name) for p in pending]
        stream = extract_stream(items, self.settings, llm, workers=1, pool=pool)
        try:
            for doc, done in zip(pending, stream, strict=False):
                store.finish_document(job_id, doc.position, done)
                if self._stopping.is_set():
                    return True
        finally:
            stream.close()
        if len(pending) < SLICE and not self._stopping.is_set():
            summary = sync_records(self.review_db, store.iter_records(job_id), self.settings.review_threshold)
            store.mark_done(job_id)
            log.info("job %s done; review queue: %s", job_id, summary)
        return True
