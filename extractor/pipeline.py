"""The pipeline: document → normalised text → sections → grids → cells → validation → record.

``run`` keeps every intermediate value (for ``nianbao debug``); ``extract_*``
return only the record. An unreadable document gives a failed record, never
an exception.
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Sequence
from pathlib import Path

from .config import Settings
from .document import Document
from .errors import InputError
from .fingerprint import fingerprint
from .llm.stage import LLMStage
from .parse.extraction import Extraction, ExtractionStage
from .parse.meta import detect_edition, read_meta
from .parse.narrative_check import narrative_regions, witness
from .parse.normalise import normalise
from .parse.sections import segment
from .parse.tables import assemble, not_a_report, read_tables
from .read.formats import format_of
from .read.limits import Limits
from .read.load import load_bytes, load_path
from .records import Flag, Record
from .review_items import any_queued
from .stages import stage
from .time_limit import DocumentTimeout, time_limit


def run(doc: Document) -> Extraction:
    """The rule path; raises an ``InputError`` when the document is not a report on the template."""
    ex = read_report(doc)
    if ex.failure is not None:
        raise ex.failure
    return ex


def read_report(doc: Document) -> Extraction:
    """Every rule stage in turn. A document that is not a report keeps what the stages found
    (for ``nianbao debug``), with ``failure`` saying why."""
    with stage("normalise"):
        text = normalise(doc)
    with stage("sections"):
        structure = segment(text)
        meta = read_meta(text, structure)
        year = meta["meta.year"].value
        edition, certain, why = detect_edition(text, structure, year if isinstance(year, int) else None)
    ex = Extraction(doc, text, structure, edition, notes=[*structure.notes, why])
    if doc.replaced:
        ex.notes.append(f"{doc.replaced} undecodable byte(s) of the file were replaced (U+FFFD): the text is "
                        "read around them, and cells whose evidence touches one are flagged damaged_text")
    read_tables(ex)
    titled = isinstance(year, int) and Flag.META_UNCERTAIN not in meta["meta.year"].flags
    ex.failure = not_a_report(ex, titled)
    if ex.failure is None:
        with stage("checks"):
            ex.drafts = assemble(ex, meta, certain, why)
            ex.revalidate()
    return ex


def read_or_fail(doc: Document | Record, settings: Settings) -> Extraction | Record:
    """The rule path's extraction (within the time limit), or the failed record that says why not."""
    if isinstance(doc, Record):
        return doc
    try:
        with time_limit(settings.doc_timeout):
            return run(doc)
    except (InputError, DocumentTimeout) as exc:
        return failed_record(doc.name, exc, doc.sha256, doc.format, doc.path, settings)


def to_record(ex: Extraction, settings: Settings) -> Record:
    told = witness(ex.cells, ex.text.text, ex.edition, narrative_regions(ex.structure, ex.spans))
    flagged = any_queued(told.cells, ex.edition, settings.review_threshold)
    return Record(document=ex.document.name, sha256=ex.document.sha256, template=ex.edition,
                  status="needs_review" if flagged else "ok", cells=told.cells,
                  format=ex.document.format, path=ex.document.path, notes=[*ex.notes, *filter(None, [told.note()])],
                  usage=ex.usage, fingerprint=fingerprint(settings))


def failed_record(name: str, error: BaseException, sha256: str | None = None,
                  fmt: str | None = None, path: str | None = None, settings: Settings | None = None) -> Record:
    """``settings``: what the record was made with (None: unknown, so a resumed batch redoes it)."""
    return Record(document=name, sha256=sha256, status="failed", error=str(error), format=fmt, path=path,
                  fingerprint=fingerprint(settings) if settings is not None else None)


def extract_documents(docs: Sequence[Document | Record], settings: Settings,
                      llm: ExtractionStage | None = None) -> list[Record]:
    """Rules for each document, then the LLM stage for all of them together, then records.

    An item that is already a (failed) record passes through; the LLM stage
    runs only when the settings ask for it.
    """
    started = time.perf_counter()
    done = [read_or_fail(doc, settings) for doc in docs]
    extractions = [e for e in done if isinstance(e, Extraction)]
    if extractions and (llm is not None or settings.llm_mode != "none"):
        (llm or LLMStage(settings)).process(extractions)
    share = round((time.perf_counter() - started) / max(len(docs), 1), 4)
    with stage("record"):
        records = [to_record(e, settings) if isinstance(e, Extraction) else e for e in done]
    for r in records:
        if r.seconds is None:
            r.seconds = share
    return records


def extract_document(doc: Document, settings: Settings | None = None,
                     llm: ExtractionStage | None = None) -> Record:
    return extract_documents([doc], settings or Settings(), llm)[0]


def load_or_fail(path: Path, settings: Settings) -> Document | Record:
    """The decoded document, or the failed record that says why it cannot be read."""
    try:
        too_big = _over_size_limit(path, settings.max_file_mb)
        if too_big:
            return failed_record(path.name, too_big, file_sha256(path), format_of(path), str(path), settings)
        with time_limit(settings.doc_timeout), stage("load"):
            return load_path(path, encoding=settings.encoding, limits=file_limits(settings))
    except (InputError, DocumentTimeout) as exc:
        return failed_record(path.name, exc, file_sha256(path), format_of(path), str(path), settings)
    except OSError as exc:
        return failed_record(path.name, InputError(f"cannot read the file: {exc.strerror}"),
                             None, format_of(path), str(path))


def extract_file(path: Path, settings: Settings | None = None, llm: ExtractionStage | None = None) -> Record:
    settings = settings or Settings()
    started = time.perf_counter()
    record = extract_documents([load_or_fail(path, settings)], settings, llm)[0]
    record.seconds = round(time.perf_counter() - started, 4)
    return record


def extract_bytes(data: bytes, name: str, settings: Settings | None = None) -> Record:
    settings = settings or Settings()
    try:
        with time_limit(settings.doc_timeout):
            doc: Document | Record = load_bytes(data, name=name, encoding=settings.encoding,
                                                limits=file_limits(settings))
    except (InputError, DocumentTimeout) as exc:
        doc = failed_record(name, exc, hashlib.sha256(data).hexdigest(), settings=settings)
    return extract_documents([doc], settings)[0]


def settle_heap() -> None:
    """Keep what is alive now (the imported modules, compiled patterns, dictionaries) out of the cyclic
    garbage collector's passes. A batch allocates many short-lived objects per document and so triggers
    many passes; each walked the whole of this long-lived heap, a sixth of the rule path's time.
    Once per process: a long-running service must not freeze what its later requests leave behind."""
    global _settled
    if not _settled:
        _settled = True
        gc.freeze()


_settled = False


def file_limits(settings: Settings) -> Limits:
    return Limits(max_pages=settings.max_pages, max_unpacked_mb=settings.max_unpacked_mb)


def file_sha256(path: Path) -> str | None:
    """The sha256 of a file's bytes, read in blocks (a huge file is never held in memory)."""
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def _over_size_limit(path: Path, limit_mb: float) -> InputError | None:
    size = path.stat().st_size
    if limit_mb <= 0 or size <= limit_mb * 1_000_000:
        return None
    return InputError(f"the file is {size / 1_000_000:.1f} MB, over the {limit_mb:g} MB limit for one "
                      "document; raise it with --max-file-mb (NIANBAO_MAX_FILE_MB) if it really is a report",
                      path=str(path), stage="load")
