"""Removing jobs: DELETE /jobs/{id} and the retention sweep, checked on the rows and blob files left."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from conftest import DOCS
from fastapi.testclient import TestClient
from live_server import TOKEN, LiveServer

from extractor.service import ServeConfig, create_app
from extractor.service.cleanup import remove_job, sweep
from extractor.service.jobs import JobNotDone, JobStore
from extractor.service.uploads import store_upload

SEEDS = sorted(DOCS.glob("*.txt"))
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _blob(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() + ".txt"


def _done(client: httpx.Client, paths: list[Path]) -> str:
    response = client.post("/jobs", files=[("files", (p.name, p.read_bytes(), "text/plain")) for p in paths])
    assert response.status_code == 202, response.text
    job_id: str = response.json()["id"]
    deadline = time.monotonic() + 60
    while client.get(f"/jobs/{job_id}").json()["state"] != "done":
        assert time.monotonic() < deadline, f"job {job_id} not done"
        time.sleep(0.05)
    return job_id


def _job_ids(client: httpx.Client) -> set[str]:
    return {j["id"] for j in client.get("/jobs").json()["jobs"]}


def _rows(jobs_db: Path, job_id: str) -> int:
    with sqlite3.connect(jobs_db) as db:
        return int(db.execute("SELECT count(*) FROM job_documents WHERE job_id = ?", (job_id,)).fetchone()[0])


def test_delete_removes_the_job_its_records_and_only_unshared_blobs(tmp_path: Path) -> None:
    with LiveServer(tmp_path / "data", "--workers", "1") as live, live.client() as client:
        gone = _done(client, SEEDS[:2])
        kept = _done(client, SEEDS[1:3])
        blobs = live.data_dir / "blobs"
        assert all((blobs / _blob(p)).is_file() for p in SEEDS[:3])

        assert httpx.delete(f"{live.url}/jobs/{gone}").status_code == 401
        response = client.delete(f"/jobs/{gone}")
        assert response.status_code == 204 and response.content == b""

        assert not (blobs / _blob(SEEDS[0])).exists()  # only the deleted job had it
        assert (blobs / _blob(SEEDS[1])).is_file() and (blobs / _blob(SEEDS[2])).is_file()
        assert _job_ids(client) == {kept}
        assert client.get(f"/jobs/{gone}").status_code == 404
        assert client.get(f"/jobs/{gone}/records").status_code == 404
        assert _rows(live.data_dir / "jobs.db", gone) == 0
        assert [r["document"] for r in client.get(f"/jobs/{kept}/records").json()["records"]] == [
            p.name for p in SEEDS[1:3]]
        assert client.delete(f"/jobs/{gone}").status_code == 404
        assert client.delete(f"/jobs/{'0' * 32}").status_code == 404


def test_a_job_not_done_is_refused_with_409_and_keeps_going(tmp_path: Path) -> None:
    app = create_app(ServeConfig(data_dir=tmp_path / "data", token=TOKEN))
    client = TestClient(app, headers=AUTH)  # no lifespan: no worker, so the job stays queued
    job = client.post("/jobs", files=[("files", (SEEDS[0].name, SEEDS[0].read_bytes(), "text/plain"))]).json()
    response = client.delete(f"/jobs/{job['id']}")
    assert response.status_code == 409 and "not done" in response.json()["detail"]
    assert client.get(f"/jobs/{job['id']}").json()["state"] == "queued"
    assert (tmp_path / "data" / "blobs" / _blob(SEEDS[0])).is_file()


def _finished_job(store: JobStore, blobs: Path, content: bytes, finished: datetime) -> str:
    """A done job of one document, as the worker leaves it, finished at ``finished``."""
    upload = store_upload("report.txt", io.BytesIO(content), blobs, 1_000_000)
    with store.transaction():  # one transaction: a running worker never sees it queued
        job_id = store.create([upload])
        store.db.execute("UPDATE jobs SET state = 'done', updated_at = ? WHERE id = ?",
                         (finished.isoformat(timespec="seconds"), job_id))
    return job_id


def test_the_sweep_removes_jobs_past_the_retention_and_orphaned_blobs(tmp_path: Path) -> None:
    blobs = tmp_path / "blobs"
    now = datetime(2026, 6, 1, tzinfo=UTC)
    with JobStore(tmp_path / "jobs.db") as store:
        old = _finished_job(store, blobs, b"old", now - timedelta(days=31))
        recent = _finished_job(store, blobs, b"recent", now - timedelta(days=29))
        running = store.create([store_upload("a.txt", io.BytesIO(b"running"), blobs, 1_000_000)])
    (blobs / ("0" * 64 + ".txt")).write_bytes(b"stored before its request was rejected")
    (blobs / ".upload-being-written").write_bytes(b"half")

    forever = sweep(tmp_path / "jobs.db", blobs, 0, now)
    assert forever.jobs == [] and forever.orphans == 1
    swept = sweep(tmp_path / "jobs.db", blobs, 30, now)
    assert swept.jobs == [old] and swept.orphans == 0

    with JobStore(tmp_path / "jobs.db") as store:
        assert {j.id for j in store.jobs(0, 10)[0]} == {recent, running}
        with pytest.raises(JobNotDone):
            remove_job(store, running, blobs)
    names = {p.name for p in blobs.iterdir()}
    assert names == {hashlib.sha256(b).hexdigest() + ".txt" for b in (b"recent", b"running")} | {
        ".upload-being-written"}


def test_an_old_finished_job_is_removed_at_start_and_a_recent_one_kept(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with LiveServer(data, "--workers", "1") as live, live.client() as client:
        old = _done(client, [SEEDS[0]])
        recent = _done(client, [SEEDS[1]])
    long_ago = (datetime.now(UTC) - timedelta(days=40)).isoformat(timespec="seconds")
    with sqlite3.connect(data / "jobs.db") as db:
        db.execute("UPDATE jobs SET updated_at = ? WHERE id = ?", (long_ago, old))

    with LiveServer(data, "--workers", "1", "--job-retention-days", "30") as live, live.client() as client:
        assert _job_ids(client) == {recent}
    assert _rows(data / "jobs.db", old) == 0 and _rows(data / "jobs.db", recent) == 1
    assert not (data / "blobs" / _blob(SEEDS[0])).exists()
    assert (data / "blobs" / _blob(SEEDS[1])).is_file()


def test_the_running_server_sweeps_periodically(tmp_path: Path) -> None:
    config = ServeConfig(data_dir=tmp_path / "data", token=TOKEN, retention_days=30, sweep_every_s=0.05)
    with TestClient(create_app(config), headers=AUTH) as client:
        with JobStore(config.jobs_db) as store:
            old = _finished_job(store, config.blobs, b"old", datetime.now(UTC) - timedelta(days=31))
        deadline = time.monotonic() + 10
        while client.get("/jobs").json()["total"]:
            assert time.monotonic() < deadline, f"the periodic sweep did not remove job {old}"
            time.sleep(0.05)
    assert list(config.blobs.iterdir()) == []
