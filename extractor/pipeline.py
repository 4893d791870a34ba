"""The pipeline: document → normalised text → sections → grids → cells → validation → record.

``run`` keeps every intermediate value (for ``nianbao debug``); ``extract_*``
return only the record. An unreadable document gives a failed record, never
an exception.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .cells import Draft, TableResult, t2_cells, t3_cells, t4_cells
from .checks import validate
from .config import Settings
from .errors import InputError, NoTables, NotAReport
from .grids import section_to_grid
from .identities import IdentityResult
from .load import load_bytes, load_path
from .meta import detect_edition, read_meta
from .normalise import normalise
from .records import Alignment, Cell, Document, Flag, Grid, Record, Structure, Text
from .sections import segment
from .template import cells_for


@dataclass
class Extraction:
    """Every stage's output for one document."""

    document: Document
    text: Text
    structure: Structure
    edition: str
    grids: dict[int, Grid] = field(default_factory=dict)
    tables: dict[str, TableResult] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)
    identities: list[IdentityResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def run(doc: Document) -> Extraction:
    text = normalise(doc)
    structure = segment(text)
    meta = read_meta(text, structure)
    year = meta["meta.year"].value
    edition, certain, why = detect_edition(text, structure, year if isinstance(year, int) else None)
    ex = Extraction(doc, text, structure, edition, notes=[*structure.notes, why])
    sections = structure.sections
    for n in (2, 3, 4):
        if n in sections:
            ex.grids[n] = section_to_grid(text, sections[n])
    if 2 in ex.grids:
        ex.tables["t2"] = t2_cells(ex.grids[2], edition)
    if 3 in ex.grids:
        ex.tables["t3"] = t3_cells(ex.grids[3], edition)
    if 4 in ex.grids:
        ex.tables["t4"] = t4_cells(ex.grids[4].rows)
    elif "t3" in ex.tables and ex.tables["t3"].leftover:
        ex.tables["t4"] = t4_cells(ex.tables["t3"].leftover, inferred=True)
        ex.notes.append("section 四 has no heading; its table was found after table 三")
    if not ex.tables or not any(
        d.alignment is not Alignment.ABSENT for t in ex.tables.values() for d in t.cells.values()
    ):
        if not sections:
            raise NotAReport("not a 政府信息公开工作年度报告: none of the template's section "
                             "headings or tables was found", stage="sections")
        raise NoTables("the report's sections were found but none of its tables "
                       "(二, 三, 四) holds any value", stage="cells")
    drafts: dict[str, Draft] = dict(meta)
    template = Draft(value=edition, alignment=Alignment.META, note=why)
    if not certain:
        template.flags.add(Flag.META_UNCERTAIN)
    drafts["meta.template"] = template
    for t in ex.tables.values():
        drafts.update(t.cells)
        ex.notes += t.notes
    ordered = {c: drafts[c] for c in cells_for(edition) if c in drafts}
    for c in cells_for(edition):
        if c not in ordered:  # a whole table is absent
            d = Draft(value=None, alignment=Alignment.ABSENT, note="the table is not in the source")
            d.flags.add(Flag.MISSING_IN_SOURCE)
            ordered[c] = d
    ex.cells, ex.identities = validate(ordered, edition, text, doc)
    return ex


def to_record(ex: Extraction, settings: Settings) -> Record:
    flagged = any(c.flags or c.confidence < settings.review_threshold for c in ex.cells.values())
    return Record(document=ex.document.name, sha256=ex.document.sha256, template=ex.edition,
                  status="needs_review" if flagged else "ok", cells=ex.cells,
                  format=ex.document.format, path=ex.document.path, notes=ex.notes)


def failed_record(name: str, error: Exception, sha256: str | None = None,
                  fmt: str | None = None) -> Record:
    return Record(document=name, sha256=sha256, status="failed", error=str(error), format=fmt)


def extract_document(doc: Document, settings: Settings | None = None) -> Record:
    settings = settings or Settings()
    started = time.perf_counter()
    try:
        record = to_record(run(doc), settings)
    except InputError as exc:
        record = failed_record(doc.name, exc, doc.sha256, doc.format)
    record.seconds = round(time.perf_counter() - started, 4)
    return record


def extract_file(path: Path, settings: Settings | None = None) -> Record:
    settings = settings or Settings()
    started = time.perf_counter()
    try:
        doc = load_path(path) if settings.encoding is None else load_bytes(
            path.read_bytes(), name=path.name, path=str(path), encoding=settings.encoding)
    except InputError as exc:
        record = failed_record(path.name, exc, _sha(path), _format_of(path))
        record.path = str(path)
        record.seconds = round(time.perf_counter() - started, 4)
        return record
    except OSError as exc:
        record = failed_record(path.name, InputError(f"cannot read the file: {exc.strerror}"))
        record.path = str(path)
        return record
    return extract_document(doc, settings)


def extract_bytes(data: bytes, name: str, settings: Settings | None = None) -> Record:
    settings = settings or Settings()
    try:
        doc = load_bytes(data, name=name, encoding=settings.encoding)
    except InputError as exc:
        import hashlib

        return failed_record(name, exc, hashlib.sha256(data).hexdigest())
    return extract_document(doc, settings)


def _sha(path: Path) -> str | None:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _format_of(path: Path) -> str:
    s = path.suffix.lower()
    return "html" if s in (".html", ".htm") else s.lstrip(".") or "text"
