"""The review queue of ``nianbao review`` (``extractor.review``) over HTTP, and the reviewer's page.

One router serves both the service (``nianbao serve``, beside the jobs) and
``nianbao review DB --web`` (``review_app``): the same SQLite file, claims,
identity re-checks, token, body limit and error answers. The page
(``/review/``) is static; it reads the token from its URL fragment
(``#token=…``), so the token never reaches a server log.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from ..review import (
    CLAIM_SECONDS,
    ClaimConflict,
    DecisionResult,
    InvalidDecision,
    Item,
    NotInQueue,
    ReviewStore,
    decide,
    decide_item,
    progress,
    undo,
    view,
)
from ..review.page_image import ZOOMS, NoPageImage, cache_folder, page_png
from .models import (
    DecisionIn,
    DecisionOut,
    ItemDecisionIn,
    NextItem,
    Problem,
    Reviewer,
    ReviewItem,
    ReviewItemList,
    ReviewItemSummary,
    ReviewProgress,
    UndoOut,
)
from .security import SECURED, secure

ItemId = Annotated[int, PathParam(ge=1, le=2**53, description="A review item's id")]
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": Problem, "description": "Missing or wrong bearer token"},
    404: {"model": Problem, "description": "No such item"},
}
PAGE_FILES = {"": ("index.html", "text/html; charset=utf-8"),
              "app.js": ("app.js", "text/javascript; charset=utf-8"),
              "style.css": ("style.css", "text/css; charset=utf-8")}


@dataclass(frozen=True)
class ReviewSite:
    """Which queue the router serves (``app.state.review``)."""

    db: Path
    claim_seconds: float = CLAIM_SECONDS
    """How long a claimed cell stays the reviewer's."""


def open_store(request: Request) -> Iterator[ReviewStore]:
    site: ReviewSite = request.app.state.review
    with ReviewStore(site.db) as store:
        yield store


Store = Annotated[ReviewStore, Depends(open_store)]


def review_router() -> APIRouter:
    """The queue's endpoints (token required) and the page's static files (no data, no token)."""
    router = APIRouter(prefix="/review")
    api = APIRouter(tags=["review"], dependencies=SECURED)

    @api.get("/progress", responses={401: ERRORS[401]})
    def get_progress(store: Store, sha256: Annotated[str | None, Query(max_length=64)] = None) -> ReviewProgress:
        """How much of the queue is decided (of one document, with ``sha256``)."""
        return _progress(store, sha256)

    @api.get("/items", responses={401: ERRORS[401]})
    def list_items(store: Store, sha256: Annotated[str | None, Query(max_length=64)] = None,
                   state: Literal["queued", "resolved", "gone", "all"] = "queued",
                   offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
                   limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> ReviewItemList:
        """Queued cells, riskiest first (the order ``nianbao review`` shows them in)."""
        items = _items(store, sha256, state)
        return ReviewItemList(items=[_summary(i) for i in items[offset:offset + limit]], total=len(items),
                              progress=_progress(store, sha256))

    @api.get("/items/{item_id}", responses=ERRORS)
    def get_item(item_id: ItemId, store: Store) -> ReviewItem:
        """One cell with its flags, failing identities, row and source text."""
        try:
            item = store.item(item_id)
        except NotInQueue as exc:
            raise HTTPException(404, str(exc)) from None
        return ReviewItem(item=_shown(view(store, item).to_json()))

    @api.post("/next", responses={401: ERRORS[401]})
    def claim_next(body: Reviewer, request: Request, store: Store) -> NextItem:
        """Claim the riskiest undecided cell for this reviewer (held for a while); null when done."""
        site: ReviewSite = request.app.state.review
        item = store.claim_next(body.reviewer.strip() or "reviewer", seconds=site.claim_seconds,
                                sha256=body.sha256, include_skipped=body.include_skipped)
        return NextItem(item=None if item is None else _shown(view(store, item, body.sha256).to_json()),
                        progress=_progress(store, body.sha256))

    @api.post("/items/{item_id}/decision", responses={
        **ERRORS, 409: {"model": Problem, "description": "Another reviewer holds the cell, or it left the queue"},
        422: {"model": Problem, "description": "The value does not fit the cell"}})
    def post_decision(item_id: ItemId, body: DecisionIn, store: Store) -> DecisionOut:
        """Decide a cell: ``accept`` the value, ``correct`` it (``value``), mark it ``unknown``, or ``skip``."""
        with _decision_errors():
            outcome = decide(store, item_id, body.reviewer.strip(), body.action, body.value)
        return _outcome(outcome, _progress(store, None))

    @api.post("/items/{item_id}/item-decision", responses={
        **ERRORS, 409: {"model": Problem, "description": "Another reviewer holds a cell, or the item left the queue"},
        422: {"model": Problem, "description": "A value does not fit its cell, or no such reading"}})
    def post_item_decision(item_id: ItemId, body: ItemDecisionIn, store: Store) -> DecisionOut:
        """Settle every cell of the cell's review item at once: ``accept`` them, ``choose`` a reading,
        type ``values`` (the rest accepted), or ``skip``."""
        with _decision_errors():
            outcome = decide_item(store, item_id, body.reviewer.strip(), body.action, choice=body.choice,
                                  values=body.values)
        return _outcome(outcome, _progress(store, None))

    @api.get("/items/{item_id}/page.png", response_class=Response, responses={
        **ERRORS, 200: {"content": {"image/png": {}}, "description": "The page region, the cell outlined"}})
    def get_page_image(item_id: ItemId, request: Request, store: Store,
                       zoom: Annotated[int, Query(ge=min(ZOOMS), le=max(ZOOMS))] = 1) -> Response:
        """The PDF page region around the cell, its bbox outlined and its row and column shaded."""
        site: ReviewSite = request.app.state.review
        try:
            item = store.item(item_id)
            evidence = item.extracted.evidence
            if evidence is None or evidence.page is None or evidence.bbox is None:
                raise NoPageImage(f"{item.cell} has no page position")
            data = page_png(store.record(item.sha256), evidence.page, evidence.bbox, zoom,
                            cache_folder(site.db))
        except (NotInQueue, NoPageImage) as exc:
            raise HTTPException(404, str(exc)) from None
        return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    @api.post("/undo", responses={401: ERRORS[401]})
    def post_undo(body: Reviewer, request: Request, store: Store) -> UndoOut:
        """Undo this reviewer's last decision; the cell is claimed for them again."""
        site: ReviewSite = request.app.state.review
        done = undo(store, body.reviewer.strip(), site.claim_seconds)
        now = _progress(store, None)
        return UndoOut(undone=None if done is None else _outcome(done, now), progress=now)

    @router.get("/", include_in_schema=False)
    def page() -> Response:
        return _page_file("")

    @router.get("/static/{name}", include_in_schema=False)
    def page_file(name: str) -> Response:
        return _page_file(name)

    router.include_router(api)
    return router


def review_app(site: ReviewSite, token: str, max_body_bytes: int = 1_000_000) -> FastAPI:
    """An app serving only the review queue and its page (``nianbao review DB --web``)."""
    app = FastAPI(title="nianbao review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.review = site
    secure(app, token, max_body_bytes)
    app.include_router(review_router())
    return app


def page_url(base: str, token: str, **params: str) -> str:
    """The page's address with the token (and reviewer, document …) in its fragment."""
    return f"{base.rstrip('/')}/review/#" + urlencode({"token": token, **{k: v for k, v in params.items() if v}})


def _page_file(name: str) -> Response:
    if name not in PAGE_FILES:
        raise HTTPException(404, f"no page file {name!r}")
    file, kind = PAGE_FILES[name]
    data = resources.files("extractor.review").joinpath("static", file).read_bytes()
    return Response(data, media_type=kind, headers={"Cache-Control": "no-store"})


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


@contextmanager
def _decision_errors() -> Iterator[None]:
    """A decision the queue refuses, as the HTTP status that says why."""
    try:
        yield
    except NotInQueue as exc:
        raise HTTPException(404, str(exc)) from None
    except ClaimConflict as exc:
        raise HTTPException(409, str(exc)) from None
    except InvalidDecision as exc:
        raise HTTPException(422, str(exc)) from None


def _outcome(outcome: DecisionResult, now: ReviewProgress) -> DecisionOut:
    d = outcome.decision
    return DecisionOut(cell=d.cell, action=d.action, value=d.value, reviewer=d.reviewer, cells=outcome.cells,
                       resolved=outcome.resolved, requeued=outcome.requeued, progress=now)
