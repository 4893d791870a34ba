"""The typed data passed between the stages, and the record written per document.

Internal stage values are frozen dataclasses; what crosses a file boundary
(``Cell``, ``Evidence``, ``Record``) is a pydantic model in the shared format.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PIPELINE_VERSION = "1"

Value = int | float | str | None
"""A cell value: a count, an amount in 万元, a string (meta) or None (unknowable)."""


class Flag(StrEnum):
    """Why a value may be wrong. Any flag sends the cell to review."""

    CHECKSUM_FAILED = "checksum_failed"
    AMBIGUOUS_ALIGNMENT = "ambiguous_alignment"
    MISSING_IN_SOURCE = "missing_in_source"
    DERIVED_TOTAL = "derived_total"
    DERIVED_FROM_MERGED_ROW = "derived_from_merged_row"
    EXTRA_VALUES = "extra_values"
    UNPARSEABLE_VALUE = "unparseable_value"
    SECTION_HEADING_MISSING = "section_heading_missing"
    BLANK_TABLE = "blank_table"
    META_UNCERTAIN = "meta_uncertain"
    NOT_IN_SOURCE = "not_in_source"
    LLM_DISAGREES = "llm_disagrees"
    LLM_SKIPPED = "llm_skipped"
    LLM_FAILED = "llm_failed"


class Method(StrEnum):
    RULE = "rule"
    LLM = "llm"
    DERIVED = "derived"
    REVIEW = "review"


class Alignment(StrEnum):
    """How a value was placed in its column (in the spirit of langextract's AlignmentStatus)."""

    POSITIONAL = "positional"
    """The row had exactly one cell per column; blanks kept their places."""
    COMPACTED = "compacted"
    """Empty cells were padding: the non-empty cells matched the columns one to one."""
    SOLVED = "solved"
    """Cells were dropped; the table's arithmetic left one placement."""
    AMBIGUOUS = "ambiguous"
    """Cells were dropped and several placements fit the arithmetic."""
    DERIVED = "derived"
    """Not read but computed from other cells."""
    ABSENT = "absent"
    """The row is not in the source."""
    META = "meta"
    """Read from the narrative, not from a table."""
    LLM = "llm"
    """Given by the LLM fallback (then grounded and checked)."""


# ---------------------------------------------------------------- stage values


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


@dataclass(frozen=True)
class Document:
    """A decoded input document."""

    name: str
    """File name (no directories): the record's ``document`` field."""
    sha256: str
    """Hash of the raw bytes."""
    format: Literal["text", "html", "pdf", "docx"]
    raw: str
    """The decoded text as read (HTML, PDF and DOCX reduced to text with tables as tab rows)."""
    encoding: str
    path: str | None = None
    boxes: tuple[Box, ...] = ()
    """Page positions of spans of ``raw``, sorted by ``start`` (PDF only)."""
    pages: int | None = None

    def box_at(self, raw_offset: int) -> Box | None:
        """The box holding a raw offset, if the document has page positions."""
        if not self.boxes:
            return None
        i = bisect_right([b.start for b in self.boxes], raw_offset) - 1
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

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset)


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

    layout: Literal["pipe", "tab", "lines"]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Structure:
    """What the segmenter found: the edition, the sections and the report's meta."""

    sections: dict[int, Section]
    body_end: int
    """End of the first copy of the report; a page that repeats it is read once."""
    notes: tuple[str, ...] = field(default=())


def line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def line_number(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset) - 1


# ---------------------------------------------------------------- records


class Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    """The source text the value came from: row label … value."""
    start: int
    """Offset into the normalised text of the document."""
    end: int
    raw_start: int | None = None
    """The same span in the decoded input, through the offset map."""
    raw_end: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None


class Cell(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: int | float | str | None
    """Counts as int, amounts in 万元, meta as str/int; None when the source does not give it."""
    confidence: float = Field(ge=0.0, le=1.0)
    method: Method
    flags: list[str] = Field(default_factory=list)
    """Why the value may be wrong; any flag sends the cell to review."""
    evidence: Evidence | None = None
    alignment: Alignment | None = None
    """How the value was placed in its column."""
    note: str | None = None
    """A sentence for the reviewer: the identity that failed, the placements that fit."""
    alternatives: dict[str, int | float | str | None] | None = None
    """Both readings where the rule path and the LLM disagree: ``{"rule": …, "llm": …}``."""
    prompt: str | None = None
    """For LLM cells: the prompt id and version (``table3@v1``)."""


class Record(BaseModel):
    """One document's result, one JSONL line."""

    model_config = ConfigDict(extra="forbid")

    document: str
    sha256: str | None = None
    template: str | None = None
    status: Literal["ok", "needs_review", "failed"]
    error: str | None = None
    cells: dict[str, Cell] = Field(default_factory=dict)
    format: str | None = None
    usage: dict[str, float | int] | None = None
    """LLM accounting for this document: calls, cached_calls, input/output tokens, cost_usd, latency_s."""
    path: str | None = None
    """Where the document was read from (for review and re-runs); None for bytes."""
    pipeline_version: str = PIPELINE_VERSION
    notes: list[str] = Field(default_factory=list)
    seconds: float | None = None
