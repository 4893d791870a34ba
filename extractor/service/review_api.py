"""The review endpoints: the queue of ``nianbao review`` (``extractor.review``) over HTTP.

The service queues a job's flagged cells when the job is done; reviewers
list, claim and decide them here or with ``nianbao review DATA_DIR/review.db``
— the same SQLite file, the same claims, the same identity re-checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam

from ..review import Item, Outcome, ReviewError, ReviewStore, decide, progress, undo, view
from .config import ServeConfig
from .models import (
    DecisionIn,
    NextItem,
    Problem,
    Reviewer,
    ReviewItem,
    ReviewItemList,
    ReviewItemSummary,
    ReviewProgress,
    UndoOutcome,
)
from .models import Outcome as OutcomeModel

ItemId = Annotated[int, PathParam(ge=1, le=2**53, description="A review item's id")]
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": Problem, "description": "Missing or wrong bearer token"},
    404: {"model": Problem, "description": "No such item"},
}


def open_store(request: Request) -> Iterator[ReviewStore]:
    config: ServeConfig = request.app.state.config
    with ReviewStore(config.review_path) as store:
        yield store


Store = Annotated[ReviewStore, Depends(open_store)]


def review_router() -> APIRouter:
    router = APIRouter(prefix="/review", tags=["review"])

    @router.get("/progress", responses={401: ERRORS[401]})
    def get_progress(store: Store, sha256: Annotated[str | None, Query(max_length=64)] = None) -> ReviewProgress:
        """How much of the queue is decided (of one document, with ``sha256``)."""
        return _progress(store, sha256)

    @router.get("/items", responses={401: ERRORS[401]})
    def list_items(store: Store, sha256: Annotated[str | None, Query(max_length=64)] = None,
                   state: Literal["queued", "resolved", "gone", "all"] = "queued",
                   offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
                   limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> ReviewItemList:
        """Queued cells, riskiest first (the order ``nianbao review`` shows them in)."""
        items = _items(store, sha256, state)
        return ReviewItemList(items=[_summary(i) for i in items[offset:offset + limit]], total=len(items),
                              progress=_progress(store, sha256))

    @router.get("/items/{item_id}", responses=ERRORS)
    def get_item(item_id: ItemId, store: Store) -> ReviewItem:
        """One cell with its flags, failing identities, row and source text."""
        try:
            item = store.item(item_id)
        except ReviewError as exc:
            raise HTTPException(404, str(exc)) from None
        return ReviewItem(item=_shown(view(store, item).to_json()))

    @router.post("/next", responses={401: ERRORS[401]})
    def claim_next(body: Reviewer, store: Store) -> NextItem:
        """Claim the riskiest undecided cell for this reviewer (held for 10 minutes); null when done."""
        item = store.claim_next(body.reviewer.strip() or "reviewer", sha256=body.sha256)
        return NextItem(item=None if item is None else _shown(view(store, item, body.sha256).to_json()),
                        progress=_progress(store, body.sha256))

    @router.post("/items/{item_id}/decision", responses={
        **ERRORS, 409: {"model": Problem, "description": "Another reviewer holds the cell"},
        422: {"model": Problem, "description": "The value does not fit the cell"}})
    def post_decision(item_id: ItemId, body: DecisionIn, store: Store) -> OutcomeModel:
        """Decide a cell: ``accept`` the value, ``correct`` it (``value``), mark it ``unknown``, or ``skip``."""
        try:
            store.item(item_id)
        except ReviewError as exc:
            raise HTTPException(404, str(exc)) from None
        try:
            outcome = decide(store, item_id, body.reviewer.strip(), body.action, body.value)
        except ReviewError as exc:
            raise HTTPException(409 if "being reviewed" in str(exc) else 422, str(exc)) from None
        return _outcome(outcome, _progress(store, None))

    @router.post("/undo", responses={401: ERRORS[401]})
    def post_undo(body: Reviewer, store: Store) -> UndoOutcome:
        """Undo this reviewer's last decision; the cell is claimed for them again."""
        done = undo(store, body.reviewer.strip())
        now = _progress(store, None)
        return UndoOutcome(undone=None if done is None else _outcome(done, now), progress=now)

    return router


def _shown(item: dict[str, Any]) -> dict[str, Any]:
    item["path"] = None  # where the server keeps the upload
    return item


def _items(store: ReviewStore, sha256: str | None, state: str) -> list[Item]:
    if state == "queued":
        return store.queue(sha256)
    everything = [i for row in store.documents() if sha256 in (None, row["sha256"])
                  for i in store.items_of(row["sha256"])]
    return everything if state == "all" else [i for i in everything if i.state == state]


def _summary(item: Item) -> ReviewItemSummary:
    c = item.extracted
    return ReviewItemSummary(id=item.id, document=item.document, sha256=item.sha256, cell=item.cell,
                             table=item.table, value=c.value, confidence=c.confidence, method=c.method.value,
                             flags=list(c.flags), state=item.state,  # type: ignore[arg-type]
                             decision=None if item.decision is None else item.decision.action,
                             claimed_by=item.claimed_by)


def _progress(store: ReviewStore, sha256: str | None) -> ReviewProgress:
    p = progress(store, sha256)
    return ReviewProgress(total=p.total, decided=p.decided, skipped=p.skipped, pending=p.pending,
                          resolved=p.resolved, done=p.done, text=str(p))


def _outcome(outcome: Outcome, now: ReviewProgress) -> OutcomeModel:
    d = outcome.decision
    return OutcomeModel(cell=d.cell, action=d.action, value=d.value, reviewer=d.reviewer,
                        resolved=outcome.resolved, requeued=outcome.requeued, progress=now)
