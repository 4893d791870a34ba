"""The record written per document, in the shared format: ``Record`` → ``Cell`` → ``Evidence``,
with the ``Flag``, ``Method`` and ``Alignment`` vocabularies and LLM ``Usage``.

What crosses a file boundary is a pydantic model; the stage values are in ``document.py``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

PIPELINE_VERSION = "6"

Value = int | float | str | None
"""A cell value: a count, an amount in 万元, a string (meta) or None (unknowable)."""


class Flag(StrEnum):
    """Why a value may be wrong. Any flag sends the cell to review."""

    CHECKSUM_FAILED = "checksum_failed"
    AMBIGUOUS_ALIGNMENT = "ambiguous_alignment"
    MISSING_IN_SOURCE = "missing_in_source"
    TRUNCATED = "truncated"
    OTHER_EDITION = "other_edition"
    DAMAGED_TEXT = "damaged_text"
    DERIVED_TOTAL = "derived_total"
    DERIVED_FROM_MERGED_ROW = "derived_from_merged_row"
    EXTRA_VALUES = "extra_values"
    SECTION_HEADING_MISSING = "section_heading_missing"
    BLANK_TABLE = "blank_table"
    META_UNCERTAIN = "meta_uncertain"
    OCR_UNCERTAIN = "ocr_uncertain"
    NOT_IN_SOURCE = "not_in_source"
    LLM_DISAGREES = "llm_disagrees"
    LLM_SKIPPED = "llm_skipped"
    LLM_FAILED = "llm_failed"
    LLM_UNCONFIRMED = "llm_unconfirmed"
    """Filled by an LLM gap answer that no identity reaching beyond its row confirms."""
    NARRATIVE_MISMATCH = "narrative_mismatch"
    CROSS_YEAR_MISMATCH = "cross_year_mismatch"


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
    SPLIT = "split"
    """The row's numbers ran together ("640020470"); the table's arithmetic left one split."""
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


class Usage(BaseModel):
    """What the LLM cost: a record's ``usage`` for one document, or a sum over a batch or an eval."""

    model_config = ConfigDict(extra="ignore")

    calls: int = 0
    """Requests sent to the model (re-asks included)."""
    cached_calls: int = 0
    """Tables answered from the response cache (no tokens spent)."""
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    """As the client priced it; 0 means "compute from the config's prices"."""
    latency_s: float = 0.0
    """Seconds spent waiting on the model."""
    transport_retries: int = 0
    """Requests repeated after a transport fault (429, 5xx, timeout), apart from re-asks."""
    reasks: int = 0
    """Requests repeated because the reply broke the table's arithmetic."""

    def add(self, other: Usage) -> None:
        """Add another document's (or batch's) usage to this one."""
        for name in Usage.model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @field_serializer("cost_usd", "latency_s")
    def _rounded(self, value: float) -> float:
        return round(value, 6)


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
    """Both readings where the rule path and the LLM disagree (``{"rule": …, "llm": …}``), or an ambiguous
    row's equally good readings (``{"reading 1": …, "reading 2": …}``, the first the value given)."""
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
    usage: Usage | None = None
    """LLM accounting for this document; None when no LLM was asked."""
    path: str | None = None
    """Where the document was read from (for review and re-runs); None for bytes."""
    pipeline_version: str = PIPELINE_VERSION
    fingerprint: str | None = None
    """What the record was made with (``fingerprint.py``): a resumed batch redoes it when that changed."""
    notes: list[str] = Field(default_factory=list)
    seconds: float | None = None
