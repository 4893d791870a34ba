"""``Extraction``: every stage's output for one document, kept for ``nianbao debug`` and the LLM stage.

The rule path fills it (``pipeline.run``); the LLM stage changes its drafts
and calls ``revalidate``; ``pipeline.to_record`` turns it into the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ..document import Document, Grid, Structure, Text
from ..errors import InputError
from ..identities import IdentityResult
from ..records import Cell, Usage
from .cells import TableResult
from .checks import validate
from .draft import Draft


@dataclass
class Extraction:
    """Every stage's output for one document."""

    document: Document
    text: Text
    structure: Structure
    edition: str
    grids: dict[int, Grid] = field(default_factory=dict)
    tables: dict[str, TableResult] = field(default_factory=dict)
    drafts: dict[str, Draft] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)
    identities: list[IdentityResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)
    """Section number → where its table's text lies (the section, or a table found by shape)."""
    usage: Usage | None = None
    ends_in: int | None = None
    """The section whose table the document's text ends in (a page cut off), if it does."""
    failure: InputError | None = None
    """Why the document is not a report on the template (the stages that ran are kept)."""

    def table_span(self, section: int) -> tuple[int, int] | None:
        """Where the section's table lies; for one not found, the text between the sections found
        before and after it (its heading lost and its table unrecognised, the LLM may still read it)."""
        if section in self.spans:
            return self.spans[section]
        found = self.structure.sections
        start = max((s.start + len(s.heading) for n, s in found.items() if n < section), default=0)
        end = min((s.start for n, s in found.items() if n > section), default=self.structure.body_end)
        return (start, end) if end > start else None

    def revalidate(self) -> None:
        """Check the identities again after the drafts changed (the LLM stage)."""
        self.cells, self.identities = validate(self.drafts, self.edition, self.text, self.document)


class ExtractionStage(Protocol):
    """A stage that revisits the extractions of several documents together (the LLM fallback):
    it may change their drafts, and then calls ``revalidate`` on each."""

    def process(self, extractions: list[Extraction]) -> None: ...

    def session(self) -> StageSession:
        """The same for a stream of documents, each finished on its own."""
        ...


class StageSession(Protocol):
    """Documents submitted as they are read and finished one at a time, the others' work going on."""

    def submit(self, ex: Extraction) -> None: ...

    def finish(self, ex: Extraction) -> None: ...

    def close(self) -> None:
        """Drop the work of the documents not finished."""
        ...
