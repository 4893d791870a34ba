"""The service's request and response bodies (pydantic): what the OpenAPI spec shows a client."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from ..records import Record

JobState = Literal["queued", "running", "done"]


class Problem(BaseModel):
    """Every error answer: what went wrong and how to fix it (never a stack trace)."""

    detail: str | list[dict[str, Any]]


class Health(BaseModel):
    status: Literal["ok"]
    worker: bool
    """Whether the background worker that extracts jobs is alive."""
    jobs_unfinished: int


class Version(BaseModel):
    nianbao: str
    pipeline_version: str
    """Records carry it; a new version re-extracts documents on resume."""
    api: str


class JobProgress(BaseModel):
    total: int
    done: int
    ok: int
    needs_review: int
    failed: int


class JobDocument(BaseModel):
    position: int
    """0-based order of the upload."""
    name: str
    """The uploaded file name (shown, never used as a path)."""
    sha256: str
    size: int
    status: Literal["ok", "needs_review", "failed"] | None
    """None while the document waits."""
    error: str | None


class Job(BaseModel):
    id: str
    state: JobState
    created_at: str
    updated_at: str
    progress: JobProgress
    documents: list[JobDocument] | None = None
    """Each document's status (in a job's own view, not in the list of jobs)."""


class JobList(BaseModel):
    jobs: list[Job]
    total: int


class RecordPage(BaseModel):
    job: str
    state: JobState
    total: int
    """Records ready so far (a running job's grow)."""
    offset: int
    records: list[Record]


class ReviewProgress(BaseModel):
    total: int
    decided: int
    skipped: int
    pending: int
    resolved: int
    done: int
    text: str


class ReviewItemSummary(BaseModel):
    id: int
    document: str
    sha256: str
    cell: str
    table: str
    value: int | float | str | None
    confidence: float
    method: str
    flags: list[str]
    state: Literal["queued", "resolved", "gone"]
    decision: str | None
    """The action of the cell's live decision, if any."""
    claimed_by: str | None


class ReviewItemList(BaseModel):
    items: list[ReviewItemSummary]
    total: int
    progress: ReviewProgress


class ReviewItem(BaseModel):
    """Everything a reviewer needs for one cell: value, flags, identities, the row, the source text."""

    item: dict[str, Any]


class NextItem(BaseModel):
    item: dict[str, Any] | None
    """The claimed cell (as in GET /review/items/{id}), or None when the queue is done."""
    progress: ReviewProgress


class Reviewer(BaseModel):
    reviewer: str = Field(min_length=1, max_length=100)
    sha256: str | None = Field(default=None, max_length=64)
    """Only this document's cells (for /review/next)."""
    include_skipped: bool = False
    """Bring back the cells skipped earlier (for /review/next)."""


class DecisionIn(BaseModel):
    reviewer: str = Field(min_length=1, max_length=100)
    action: Literal["accept", "correct", "unknown", "skip"]
    value: int | float | str | None = None
    """The corrected value, for ``correct`` (a count, an amount in 万元, or text such as ``36500元``)."""


class ItemDecisionIn(BaseModel):
    """One answer for every undecided cell of a review item (a truncated table, an ambiguous row, an identity)."""

    reviewer: str = Field(min_length=1, max_length=100)
    action: Literal["accept", "choose", "values", "skip"]
    choice: int | None = Field(default=None, ge=1, le=9)
    """For ``choose``: the reading, 1-based."""
    values: dict[str, int | float | str | None] = Field(default_factory=dict, max_length=200)
    """For ``values``: cell id → the typed value (empty or null: unknown); cells left out are accepted."""


class DecisionOut(BaseModel):
    """What a decision did."""

    cell: str
    action: str
    value: int | float | str | None
    reviewer: str
    cells: list[str] = Field(default_factory=list)
    """Every cell this action decided (or undid)."""
    resolved: list[str]
    """Cells that left the queue: their identities hold after this decision."""
    requeued: list[str]
    progress: ReviewProgress


class UndoOut(BaseModel):
    undone: DecisionOut | None
    progress: ReviewProgress
