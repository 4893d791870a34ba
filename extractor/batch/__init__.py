"""Batches: inputs → records on disk, one bad document never stopping the rest.

``walk`` finds the documents, ``run`` streams their records in input order
(here, or on the worker processes of ``pool``), ``guarded`` turns a bug into a
failed record, ``resume`` works out what a re-run has left, ``writers`` writes
JSONL and CSV, ``summary`` counts what happened.
"""

from __future__ import annotations

from .run import extract_stream, run_batch, worker_count
from .summary import BatchSummary
from .walk import discover

__all__ = ["BatchSummary", "discover", "extract_stream", "run_batch", "worker_count"]
