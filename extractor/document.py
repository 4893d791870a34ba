"""The typed values passed between the stages: a decoded ``Document``, its normalised ``Text``,
the ``Structure`` of sections, and each section's table as a ``Grid`` of rows and cells.

Frozen dataclasses: a stage returns new values and never edits its input.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

Format = Literal["text", "html", "pdf", "docx", "image"]
"""How a document came: text (.txt .md), HTML, PDF, DOCX or page images (OCR'd)."""


@dataclass(frozen=True)
class Box:
    """Where a span of ``Document.raw`` sits on a page (PDF, DOCX rendered pages)."""

    start: int
    end: int
    """Offsets into ``Document.raw``."""
    page: int
    """1-based page number."""
    bbox: tuple[float, float, float, float]
    """x0, top, x1, bottom in PDF points."""
    source: Literal["ruled", "words", "text"] = "text"
    """``ruled``: a cell of a ruled table; ``words``: placed by x/y positions (less sure)."""
    ocr: float | None = None
    """The lowest OCR score of the characters in the box (0 … 1); None when the page was not OCR'd."""


@dataclass(frozen=True)
class Document:
    """A decoded input document."""

    name: str
    """File name (no directories): the record's ``document`` field."""
    sha256: str
    """Hash of the raw bytes."""
    format: Format
    raw: str
    """The decoded text as read (HTML, PDF and DOCX reduced to text with tables as tab rows)."""
    encoding: str
    path: str | None = None
    boxes: tuple[Box, ...] = ()
    """Page positions of spans of ``raw``, sorted by ``start`` (PDF and page images only)."""
    pages: int | None = None
    replaced: int = 0
    """Undecodable bytes of the file replaced by U+FFFD: a few flipped or cut bytes, not a binary file."""

    @cached_property
    def _box_starts(self) -> list[int]:
        """Where each box starts, listed once per document (``box_at`` runs for every cell)."""
        return [b.start for b in self.boxes]

    def box_at(self, raw_offset: int) -> Box | None:
        """The box holding a raw offset, if the document has page positions."""
        if not self.boxes:
            return None
        i = bisect_right(self._box_starts, raw_offset) - 1
        if i >= 0 and self.boxes[i].start <= raw_offset < self.boxes[i].end:
            return self.boxes[i]
        return None


@dataclass(frozen=True)
class Text:
    """Normalised text plus a map from each of its characters back into ``Document.raw``."""

    text: str
    raw_index: list[int]
    """``raw_index[i]`` is the raw offset the i-th normalised character came from."""

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        if not self.raw_index:
            return (0, 0)
        s = self.raw_index[min(start, len(self.raw_index) - 1)]
        e = self.raw_index[min(max(end - 1, 0), len(self.raw_index) - 1)] + 1
        return (s, e)



@dataclass(frozen=True)
class Section:
    number: int
    """1 … 6 for sections 一 … 六."""
    start: int
    end: int
    heading: str
    inferred: bool = False
    """True when the heading was missing and the section was found by its table."""


@dataclass(frozen=True)
class GridCell:
    text: str
    start: int
    end: int

    @property
    def is_blank(self) -> bool:
        return self.text.strip() == ""


@dataclass(frozen=True)
class Row:
    """One table row as laid out: its label cells, then its value cells (blanks kept)."""

    labels: tuple[GridCell, ...]
    values: tuple[GridCell, ...]

    @property
    def label(self) -> str:
        return "".join(c.text for c in self.labels)


@dataclass(frozen=True)
class Grid:
    """The rows of one section's table, as the layout gives them."""

    layout: Literal["pipe", "tab", "lines", "flat"]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Structure:
    """What the segmenter found: the edition, the sections and the report's meta."""

    sections: dict[int, Section]
    body_end: int
    """End of the first copy of the report; a page that repeats it is read once."""
    notes: tuple[str, ...] = field(default=())

