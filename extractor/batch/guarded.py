"""One document → its record, whatever happens: a bug in nianbao becomes a failed record, not a crash,
so one document never stops a batch (used by the batch here and by the pool's workers)."""

from __future__ import annotations

import logging
from pathlib import Path

from ..config import Settings
from ..errors import InternalError
from ..parse.extraction import ExtractionStage
from ..pipeline import extract_file, failed_record
from ..records import Record

log = logging.getLogger(__name__)


def extract_one(path: Path, settings: Settings, llm: ExtractionStage | None = None) -> Record:
    try:
        return extract_file(path, settings, llm)
    except Exception as exc:  # a bug must not stop the batch: record it, log the traceback
        log.exception("internal error on %s", path)
        return failed_record(path.name, InternalError(
            f"internal error (a bug in nianbao, please report it): {type(exc).__name__}: {exc}",
            path=str(path), stage="extract"), path=str(path))
