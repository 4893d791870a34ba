"""The HTTP service on a real uvicorn server on 127.0.0.1: auth, jobs, records, review, limits, spec."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest
from conftest import DOCS, ROOT
from live_server import NIANBAO, TOKEN, LiveServer

from extractor.records import PIPELINE_VERSION
from extractor.service import ServeConfig, create_app

SEEDS = sorted(DOCS.glob("*.txt"))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server of the test's own: an empty queue and no jobs, whatever ran before."""
    with LiveServer(tmp_path / "data", "--workers", "1", "--max-file-mb", "1") as live:
        yield live


def _wait(client: httpx.Client, job_id: str, timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/jobs/{job_id}").json()
        if job["state"] == "done":
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} not done in {timeout} s")


def _submit(client: httpx.Client, paths: list[Path]) -> dict[str, Any]:
    response = client.post("/jobs", files=[("files", (p.name, p.read_bytes(), "text/plain")) for p in paths])
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    return body


def test_health_and_version_need_no_token(server: LiveServer) -> None:
    assert httpx.get(f"{server.url}/health").json()["status"] == "ok"
    version = httpx.get(f"{server.url}/version").json()
    assert version["pipeline_version"] == PIPELINE_VERSION and version["api"] == "1"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token-wrong-token"},
                                     {"Authorization": f"Basic {TOKEN}"}])
def test_everything_else_needs_the_token(server: LiveServer, headers: dict[str, str]) -> None:
    for method, path in (("GET", "/jobs"), ("GET", "/review/items"), ("POST", "/review/next")):
        response = httpx.request(method, f"{server.url}{path}", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert TOKEN not in response.text


def test_submit_poll_fetch_and_review(server: LiveServer) -> None:
    with server.client() as client:
        job = _submit(client, SEEDS)
        assert job["state"] in ("queued", "running") and job["progress"]["total"] == len(SEEDS)
        done = _wait(client, job["id"])
        assert done["progress"]["done"] == len(SEEDS)
        assert [d["name"] for d in done["documents"]] == [p.name for p in SEEDS]
        page = client.get(f"/jobs/{job['id']}/records", params={"limit": 2, "offset": 1}).json()
        assert page["total"] == len(SEEDS) and [r["document"] for r in page["records"]] == [
            p.name for p in SEEDS[1:3]]
        assert all(r["path"] is None for r in page["records"])  # the server's folders stay private
        long = pd.read_csv(io.StringIO(client.get(f"/jobs/{job['id']}/records.csv").text))
        assert set(long.document) == {p.name for p in SEEDS}
        wide_response = client.get(f"/jobs/{job['id']}/records.csv", params={"layout": "wide"})
        assert wide_response.headers["content-type"].startswith("text/csv")
        wide = pd.read_csv(io.StringIO(wide_response.text))
        assert len(wide) == len(SEEDS) and "t3.new.total" in wide.columns

        listed = client.get("/review/items").json()
        assert listed["total"] > 0 and listed["progress"]["pending"] == listed["total"]
        first = listed["items"][0]
        detail = client.get(f"/review/items/{first['id']}").json()["item"]
        assert detail["cell"] == first["cell"] and "text" in detail["context"] and detail["path"] is None
        claimed = client.post("/review/next", json={"reviewer": "ann"}).json()["item"]
        assert claimed["item_id"] == first["id"]
        held = client.post(f"/review/items/{first['id']}/decision", json={"reviewer": "bob", "action": "accept"})
        assert held.status_code == 409
        count = next(i for i in listed["items"] if i["cell"].startswith("t3."))
        bad = client.post(f"/review/items/{count['id']}/decision",
                          json={"reviewer": "ann", "action": "correct", "value": "many"})
        assert bad.status_code == 422 and "type" in bad.json()["detail"]
        outcome = client.post(f"/review/items/{first['id']}/decision",
                              json={"reviewer": "ann", "action": "accept"}).json()
        assert outcome["action"] == "accept" and outcome["progress"]["decided"] == 1
        undone = client.post("/review/undo", json={"reviewer": "ann"}).json()
        assert undone["undone"]["cell"] == first["cell"] and undone["progress"]["decided"] == 0
        assert client.get("/jobs").json()["total"] >= 1


def test_the_review_queue_is_the_one_nianbao_review_opens(server: LiveServer) -> None:
    from extractor.review import ReviewStore

    with server.client() as client:
        _wait(client, _submit(client, SEEDS[:2])["id"])
        listed = client.get("/review/items").json()
    with ReviewStore(server.data_dir / "review.db") as store:
        assert {row["document"] for row in store.documents()} == {p.name for p in SEEDS[:2]}
        queued = sum(len(store.items_of(row["sha256"])) for row in store.documents())
    assert queued == listed["total"] > 0


def test_unknown_jobs_and_items_are_404(server: LiveServer) -> None:
    with server.client() as client:
        assert client.get(f"/jobs/{'0' * 32}").status_code == 404
        assert client.get("/jobs/not-a-job").status_code == 422
        assert client.get("/review/items/999999").status_code == 404


def test_uploads_are_checked_and_stored_by_hash(server: LiveServer) -> None:
    with server.client() as client:
        wrong = client.post("/jobs", files=[("files", ("tool.exe", b"MZ", "application/octet-stream"))])
        assert wrong.status_code == 415 and ".exe" in wrong.json()["detail"]
        big = client.post("/jobs", files=[("files", ("big.txt", b"x" * 1_100_000, "text/plain"))])
        assert big.status_code == 413 and "limit" in big.json()["detail"]
        sneaky = client.post("/jobs", files=[("files", ("../../escape.txt", SEEDS[0].read_bytes(), "text/plain"))])
        assert sneaky.status_code == 202
        assert sneaky.json()["documents"][0]["name"] == "escape.txt"
        assert not (server.data_dir.parent / "escape.txt").exists()
        none = client.post("/jobs")
        assert none.status_code == 422 and "Traceback" not in none.text
    blobs = {p.name for p in (server.data_dir / "blobs").iterdir()}
    assert all(len(name.split(".")[0]) == 64 for name in blobs)


def test_the_request_size_limit_answers_413(tmp_path: Path) -> None:
    with LiveServer(tmp_path / "data", "--max-upload-mb", "0.5") as live, live.client() as client:
        response = client.post("/jobs", files=[("files", ("a.txt", b"x" * 600_000, "text/plain"))])
        assert response.status_code == 413 and "upload limit" in response.json()["detail"]
        body = (b'--XX\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\n'
                + b"x" * 800_000 + b"\r\n--XX--\r\n")
        chunked = client.post("/jobs", content=(body[i:i + 65536] for i in range(0, len(body), 65536)),
                              headers={"Content-Type": "multipart/form-data; boundary=XX"})  # no Content-Length
        assert chunked.status_code == 413
        assert client.get("/jobs").json()["total"] == 0


def test_several_clients_at_once(server: LiveServer) -> None:
    def one(i: int) -> dict[str, Any]:
        with server.client() as client:
            job = _submit(client, [SEEDS[i % len(SEEDS)], SEEDS[(i + 1) % len(SEEDS)]])
            return _wait(client, job["id"])

    with ThreadPoolExecutor(6) as pool:
        jobs = list(pool.map(one, range(6)))
    assert all(j["progress"]["done"] == 2 for j in jobs)
    assert len({j["id"] for j in jobs}) == 6


def test_the_generated_token_stays_out_of_the_log_which_names_its_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    live = LiveServer(data, token=None).start()  # stdout and stderr go to a file, as a service's do
    live.stop()
    token_file = data / "token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    token = token_file.read_text("utf-8").strip()
    log = live.log.read_text("utf-8")
    assert token not in log
    assert str(token_file) in log
    again = LiveServer(data, token=None)
    again.log = tmp_path / "second.log"
    with again, again.client(token) as client:
        assert client.get("/jobs").status_code == 200
    assert token not in again.log.read_text("utf-8") and str(token_file) in again.log.read_text("utf-8")


def test_the_generated_token_is_shown_once_on_a_terminal(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    terminal, tty = pty.openpty()
    log = tmp_path / "stderr.log"
    with log.open("wb") as stderr:
        proc = subprocess.Popen([NIANBAO, "serve", "--port", "0", "--data-dir", str(data)], stdout=tty,
                                stderr=stderr, env=env, start_new_session=True)
    os.close(tty)
    try:
        shown = b""
        deadline = time.monotonic() + 30
        while b"\n" not in shown and time.monotonic() < deadline and proc.poll() is None:
            if select.select([terminal], [], [], 0.5)[0]:
                shown += os.read(terminal, 4096)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)
        os.close(terminal)
    token = (data / "token").read_text("utf-8").strip()
    assert token in shown.decode("utf-8")
    assert token not in log.read_text("utf-8")


def test_the_committed_openapi_spec_is_the_apps() -> None:
    app = create_app(ServeConfig(data_dir=Path("/nonexistent"), token="x" * 32))
    committed = json.loads((ROOT / "docs" / "openapi.json").read_text("utf-8"))
    assert committed == app.openapi(), "regenerate it: nianbao serve --openapi docs/openapi.json"


def test_schemathesis_finds_no_server_errors(server: LiveServer, tmp_path: Path) -> None:
    schemathesis = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [str(schemathesis), "run", f"{server.url}/openapi.json", "-H", f"Authorization: Bearer {TOKEN}",
         "--checks", "not_a_server_error", "--phases", "coverage,fuzzing", "-n", "3", "--max-time", "10",
         "--generation-deterministic", "--request-timeout", "10"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)  # its cache folder lands there
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Server error" not in result.stdout
    log = server.log.read_text("utf-8")
    assert "Traceback" not in log, log[-3000:]
