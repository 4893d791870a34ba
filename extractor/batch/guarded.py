"""One document → its record (or its extraction, for the LLM stage), whatever happens: a bug in nianbao
or a document that exhausts a worker's memory becomes a failed record, not a crash, so one document never
stops a batch (used by the batch here and by the pool's workers)."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from ..config import Settings
from ..document import Document
from ..errors import InputError, InternalError
from ..parse.extraction import Extraction, ExtractionStage
from ..pipeline import extract_file, failed_record, file_sha256, load_or_fail, read_or_fail
from ..read.formats import format_of
from ..records import Record

log = logging.getLogger(__name__)


def extract_one(path: Path, settings: Settings, llm: ExtractionStage | None = None) -> Record:
    try:
        return extract_file(path, settings, llm)
    except MemoryError:
        return out_of_memory(path, None, settings)
    except Exception as exc:  # a bug must not stop the batch: record it, log the traceback
        return internal_failure(path, None, exc)


def read_one(path: Path, name: str | None, settings: Settings) -> Extraction | Record:
    """The rule path's extraction of one document, for the LLM stage to complete; a failed record if none."""
    try:
        return read_or_fail(load_named(path, name, settings), settings)
    except MemoryError:
        return out_of_memory(path, name, settings)
    except Exception as exc:
        return internal_failure(path, name, exc)


def load_named(path: Path, name: str | None, settings: Settings) -> Document | Record:
    """The document (or why it cannot be read), under the name its record gives (None: the file name)."""
    doc = load_or_fail(path, settings)
    if name is None:
        return doc
    if isinstance(doc, Record):
        doc.document = name
        return doc
    return replace(doc, name=name)


def out_of_memory(path: Path, name: str | None, settings: Settings) -> Record:
    log.error("out of memory on %s", path)
    return failed_record(name or path.name, InputError(
        f"out of memory: reading this document needed more than the worker's {settings.max_memory_mb} MiB "
        "(raise it with --max-memory-mb, NIANBAO_MAX_MEMORY_MB); the rest of the batch went on",
        path=str(path), stage="extract"), file_sha256(path), format_of(path), str(path), settings)


def internal_failure(path: Path, name: str | None, exc: Exception) -> Record:
    """The failed record of a document that hit a bug in nianbao (the traceback goes to the log)."""
    log.exception("internal error on %s", path)
    return failed_record(name or path.name, InternalError(
        f"internal error (a bug in nianbao, please report it): {type(exc).__name__}: {exc}",
        path=str(path), stage="extract"), path=str(path))
