"""One document → its record, whatever happens: a bug in nianbao becomes a failed record, not a crash,
so one document never stops a batch (used by the batch here and by the pool's workers)."""

from __future__ import annotations

import logging
from pathlib import Path

from ..config import Settings
from ..errors import InputError, InternalError
from ..parse.extraction import ExtractionStage
from ..pipeline import extract_file, failed_record, file_sha256
from ..read.formats import format_of
from ..records import Record

log = logging.getLogger(__name__)


def extract_one(path: Path, settings: Settings, llm: ExtractionStage | None = None) -> Record:
    try:
        return extract_file(path, settings, llm)
    except MemoryError:
        log.error("out of memory on %s", path)
        return failed_record(path.name, InputError(
            f"out of memory: reading this document needed more than the worker's {settings.max_memory_mb} MiB "
            "(raise it with --max-memory-mb, NIANBAO_MAX_MEMORY_MB); the rest of the batch went on",
            path=str(path), stage="extract"), file_sha256(path), format_of(path), str(path), settings)
    except Exception as exc:  # a bug must not stop the batch: record it, log the traceback
        return internal_failure(path, None, exc)


def internal_failure(path: Path, name: str | None, exc: Exception) -> Record:
    """The failed record of a document that hit a bug in nianbao (the traceback goes to the log)."""
    log.exception("internal error on %s", path)
    return failed_record(name or path.name, InternalError(
        f"internal error (a bug in nianbao, please report it): {type(exc).__name__}: {exc}",
        path=str(path), stage="extract"), path=str(path))
