"""The HTTP API: uploads → jobs → records (JSON, CSV), plus the review queue, behind a bearer token.

``create_app`` builds the FastAPI app for a ``ServeConfig``; its lifespan
removes the jobs past their retention, then starts the background worker,
which resumes any job a previous server left unfinished, and the periodic
retention sweep. Errors answer ``{"detail": …}`` and never carry a stack trace.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import Response, StreamingResponse

from ..batch.writers import LONG_COLUMNS, csv_rows_text, long_rows, wide_header, wide_rows
from ..fingerprint import nianbao_version
from ..read.formats import listing
from ..records import PIPELINE_VERSION, Record
from .cleanup import BLOBS_LOCK, remove_job, sweep, sweep_every
from .config import ServeConfig
from .jobs import JobNotDone, JobRow, JobStore
from .models import Health, Job, JobDocument, JobList, JobProgress, Problem, RecordPage, Version
from .review_api import ReviewSite, review_router
from .security import SECURED, secure
from .uploads import UploadRejected, store_upload
from .worker import JobWorker

log = logging.getLogger(__name__)

API_VERSION = "1"
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": Problem, "description": "Missing or wrong bearer token"},
    404: {"model": Problem, "description": "No such job or item"},
}
JobId = Annotated[str, PathParam(pattern="^[0-9a-f]{32}$", description="The job's id, from POST /jobs")]


def config_of(request: Request) -> ServeConfig:
    config: ServeConfig = request.app.state.config
    return config


def open_jobs(request: Request) -> Iterator[JobStore]:
    with JobStore(config_of(request).jobs_db) as store:
        yield store


Store = Annotated[JobStore, Depends(open_jobs)]


def create_app(config: ServeConfig) -> FastAPI:
    """The API over one data folder; the worker runs while the app is served."""
    worker = JobWorker(config.jobs_db, config.review_path, config.settings, config.workers,
                       cluster=config.cluster, cluster_send=config.cluster_send)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        JobStore(config.jobs_db).close()  # create the schema before the first request
        sweep(config.jobs_db, config.blobs, config.retention_days)
        worker.start()
        sweeper = asyncio.create_task(sweep_every(config.sweep_every_s, config.jobs_db, config.blobs,
                                                  config.retention_days))
        yield
        sweeper.cancel()
        await asyncio.to_thread(worker.stop)

    app = FastAPI(title="nianbao", version=nianbao_version(), lifespan=lifespan,
                  description="Extract the numbers of 政府信息公开工作年度报告: submit documents as a job, "
                              "poll it, fetch its records, review flagged cells. Every endpoint but "
                              "/health and /version needs `Authorization: Bearer TOKEN`.")
    app.state.config = config
    app.state.review = ReviewSite(config.review_path)
    secure(app, config.token, int(config.max_upload_mb * 1_000_000))

    @app.get("/health", tags=["meta"])
    def health(store: Store) -> Health:
        """Whether the server and its worker are up (no token needed)."""
        return Health(status="ok", worker=worker.is_alive(), jobs_unfinished=store.unfinished())

    @app.get("/version", tags=["meta"])
    def get_version() -> Version:
        """nianbao's version, the pipeline version records carry, and the API version (no token needed)."""
        return Version(nianbao=nianbao_version(), pipeline_version=PIPELINE_VERSION, api=API_VERSION)

    @app.post("/jobs", status_code=202, dependencies=SECURED, tags=["jobs"], responses={
        401: ERRORS[401], 413: {"model": Problem, "description": "A file or the request is over the size limit"},
        415: {"model": Problem, "description": f"A file is not one of {listing()}"}})
    def submit(files: Annotated[list[UploadFile], File(description="One or more documents")],
               store: Store) -> Job:
        """Submit documents as a job; it is extracted in the background (poll GET /jobs/{id})."""
        if not files:
            raise HTTPException(422, "send at least one file")
        if len(files) > config.max_files:
            raise HTTPException(413, f"{len(files)} files: a job takes at most {config.max_files}")
        with BLOBS_LOCK:  # a deletion must not unlink a blob between its upload and its job
            try:
                uploads = [store_upload(f.filename, f.file, config.blobs, config.max_file_bytes) for f in files]
            except UploadRejected as exc:
                raise HTTPException(exc.status, str(exc)) from None
            job_id = store.create(uploads)
        worker.wake()
        return _job(store, job_id, with_documents=True)

    @app.get("/jobs", dependencies=SECURED, tags=["jobs"], responses={401: ERRORS[401]})
    def list_jobs(store: Store, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> JobList:
        """Jobs, newest first, with their progress."""
        rows, total = store.jobs(offset, limit)
        return JobList(jobs=[_job_model(r) for r in rows], total=total)

    @app.get("/jobs/{job_id}", dependencies=SECURED, tags=["jobs"], responses=ERRORS)
    def get_job(job_id: JobId, store: Store) -> Job:
        """A job's state (queued, running, done), progress and each document's status."""
        return _job(store, job_id, with_documents=True)

    @app.delete("/jobs/{job_id}", status_code=204, dependencies=SECURED, tags=["jobs"], response_class=Response,
                responses={**ERRORS, 204: {"description": "The job is gone"},
                           409: {"model": Problem, "description": "The job is not done yet"}})
    def delete_job(job_id: JobId, store: Store) -> Response:
        """Remove a done job: its records and the uploads no other job shares (the review queue keeps its cells).

        A job still queued or running answers 409 and goes on: it is not
        cancelled; delete it once GET /jobs/{id} says it is done.
        """
        try:
            found = remove_job(store, job_id, config.blobs)
        except JobNotDone:
            raise HTTPException(409, f"job {job_id} is not done yet: delete it once GET /jobs/{job_id} "
                                     "says done") from None
        if not found:
            raise _no_such_job(job_id)
        return Response(status_code=204)

    @app.get("/jobs/{job_id}/records", dependencies=SECURED, tags=["jobs"], responses=ERRORS)
    def get_records(job_id: JobId, store: Store, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
                    limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> RecordPage:
        """The records made so far, in upload order (page with offset and limit)."""
        row = _job_row(store, job_id)
        lines = store.record_lines(job_id, offset, limit)
        return RecordPage(job=job_id, state=row.state, total=row.done, offset=offset,  # type: ignore[arg-type]
                          records=[_public(Record.model_validate_json(line)) for line in lines])

    @app.get("/jobs/{job_id}/records.csv", dependencies=SECURED, tags=["jobs"], response_class=StreamingResponse,
             responses={**ERRORS, 200: {"content": {"text/csv": {}}, "description": "UTF-8 CSV"}})
    def get_records_csv(job_id: JobId, store: Store,
                        layout: Literal["long", "wide"] = "long") -> StreamingResponse:
        """The records as CSV: ``long`` (one row per cell) or ``wide`` (one row per document)."""
        _job_row(store, job_id)
        records = store.iter_records(job_id)
        body = (csv_rows_text(LONG_COLUMNS, long_rows(records)) if layout == "long"
                else csv_rows_text(wide_header(), wide_rows(records)))
        return StreamingResponse(body, media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{job_id}-{layout}.csv"'})

    app.include_router(review_router())
    return app


def _public(record: Record) -> Record:
    """A record as the API shows it: where the server keeps the upload is not the client's business."""
    record.path = None
    return record


def _job_row(store: JobStore, job_id: str) -> JobRow:
    row = store.job(job_id)
    if row is None:
        raise _no_such_job(job_id)
    return row


def _no_such_job(job_id: str) -> HTTPException:
    return HTTPException(404, f"no job {job_id}; POST /jobs makes one, GET /jobs lists them")


def _job_model(row: JobRow, documents: list[JobDocument] | None = None) -> Job:
    return Job(id=row.id, state=row.state, created_at=row.created_at,  # type: ignore[arg-type]
               updated_at=row.updated_at, documents=documents,
               progress=JobProgress(total=row.total, done=row.done, ok=row.ok, needs_review=row.needs_review,
                                 failed=row.failed))


def _job(store: JobStore, job_id: str, *, with_documents: bool) -> Job:
    row = _job_row(store, job_id)
    docs = [JobDocument(**dict(d)) for d in store.documents(job_id)] if with_documents else None
    return _job_model(row, docs)
