"""Review load: scored records → how much a person has to decide and how often a decision finds an error.

Cells are grouped into review items as the review queue groups them (``review_items``). An item holds
an error when any of its cells is wrong; its confidence is its least sure cell's, so the reliability
table says whether that confidence orders items by the chance they are wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from ..records import Record
from ..review_items import queued_cells, review_items
from .match import DocumentScore

REVIEW_THRESHOLD = 0.8
"""The confidence under which a cell is queued without a flag (``Settings.review_threshold``'s default)."""
ITEM_EDGES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
"""Item confidence bins of the reliability table; the last is closed."""


class ReliabilityBin(BaseModel):
    """Items whose confidence falls in [low, high): predicted vs observed error rate."""

    model_config = ConfigDict(extra="forbid")

    low: float
    high: float
    items: int
    wrong: int
    predicted_error: float | None
    """1 − the items' mean confidence."""
    observed_error: float | None
    """Share of the items holding an error."""


class ReviewLoad(BaseModel):
    """What the review queue asks of a person for these documents."""

    model_config = ConfigDict(extra="forbid")

    documents: int = 0
    items: int = 0
    """Decisions queued (a truncated table, an ambiguous row, a failed identity count once)."""
    cells: int = 0
    """Cells queued."""
    cells_with_error: int = 0
    """Queued cells that are wrong: with one item per cell, the share of decisions finding an error."""
    items_with_error: int = 0
    item_precision: float | None = None
    """items_with_error / items: the share of decisions that find an error."""
    wrong_cells: int = 0
    """Wrong cells of the scored documents, queued or not."""
    queue_recall: float | None = None
    """Share of the wrong cells that are queued: a person sees them (flag recall counts flags)."""
    items_per_document: float | None = None
    cells_per_document: float | None = None
    reliability: list[ReliabilityBin] = Field(default_factory=list)


def review_load(records: Sequence[Record], documents: Sequence[DocumentScore],
                threshold: float = REVIEW_THRESHOLD) -> ReviewLoad:
    """The review items of the scored, not failed records, and how many hold a wrong cell."""
    scored = {d.document for d in documents if not d.failed}
    wrong = {(d.document, s.cell) for d in documents for s in d.scores if s.is_error and d.document in scored}
    pairs: list[tuple[float, bool]] = []
    n_docs = cells = cells_wrong = 0
    seen: set[tuple[str, str]] = set()
    for record in records:
        if record.document not in scored:
            continue
        n_docs += 1
        queued = queued_cells(record, threshold)
        cells += len(queued)
        cells_wrong += sum((record.document, c) in wrong for c in queued)
        seen |= {(record.document, c) for c in queued}
        for item in review_items(record, queued):
            confidence = min(record.cells[c].confidence for c in item.cells)
            pairs.append((confidence, any((record.document, c) in wrong for c in item.cells)))
    items = len(pairs)
    with_error = sum(w for _, w in pairs)
    return ReviewLoad(documents=n_docs, items=items, cells=cells, cells_with_error=cells_wrong,
                      items_with_error=with_error,
                      item_precision=with_error / items if items else None,
                      wrong_cells=len(wrong), queue_recall=len(wrong & seen) / len(wrong) if wrong else None,
                      items_per_document=items / n_docs if n_docs else None,
                      cells_per_document=cells / n_docs if n_docs else None,
                      reliability=reliability(pairs))


def reliability(pairs: Iterable[tuple[float, bool]]) -> list[ReliabilityBin]:
    """Predicted (1 − mean confidence) and observed error rate per item confidence bin."""
    edges = ITEM_EDGES
    bins: list[list[float]] = [[0, 0, 0.0] for _ in edges[:-1]]
    for confidence, was_wrong in pairs:
        i = next((j for j in range(len(edges) - 2) if confidence < edges[j + 1]), len(edges) - 2)
        bins[i][0] += 1
        bins[i][1] += was_wrong
        bins[i][2] += confidence
    return [ReliabilityBin(low=edges[i], high=edges[i + 1], items=int(n), wrong=int(w),
                           predicted_error=1 - total / n if n else None,
                           observed_error=w / n if n else None)
            for i, (n, w, total) in enumerate(bins)]
