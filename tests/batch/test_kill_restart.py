"""kill -9 mid-run, then run again: a batch and a service job finish with the records of an unbroken run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from corpus import comparable, make_corpus
from live_server import LiveServer

from extractor.batch import run_batch
from extractor.config import Settings

NIANBAO = str(Path(sys.executable).with_name("nianbao"))


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    env["HOME"] = str(tmp_path / "home")
    return env


def test_a_batch_killed_midway_resumes_to_the_same_records(tmp_path: Path) -> None:
    paths = make_corpus(tmp_path / "corpus", 240)
    gate = tmp_path / "gate.txt"  # a named pipe while killed: the batch cannot get past it, however fast
    gate.write_bytes(paths[0].read_bytes())
    inputs = [*paths[:120], gate, *paths[120:]]
    unbroken = tmp_path / "unbroken.jsonl"
    run_batch(inputs, unbroken, Settings())
    out = tmp_path / "out.jsonl"
    cmd = [NIANBAO, "extract", *map(str, inputs), "-o", str(out), "--workers", "2"]
    gate.unlink()
    os.mkfifo(gate)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(tmp_path),
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while _lines(out) < 120 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None and _lines(out) == 120, "the batch did not stop at the gate"
    os.killpg(proc.pid, signal.SIGKILL)  # the parent and its worker processes, busy past the gate
    proc.wait(10)
    gate.unlink()
    gate.write_bytes(paths[0].read_bytes())
    again = subprocess.run(cmd, capture_output=True, text=True, env=_env(tmp_path), timeout=300)
    assert again.returncode == 0, again.stderr
    assert "120 done earlier" in again.stderr
    assert comparable(out) == comparable(unbroken)


def test_a_job_on_a_killed_server_finishes_after_a_restart(tmp_path: Path) -> None:
    paths = make_corpus(tmp_path / "corpus", 150)
    unbroken = tmp_path / "unbroken.jsonl"
    run_batch(paths, unbroken, Settings())
    data = tmp_path / "data"
    server = LiveServer(data, "--workers", "1").start()
    try:
        with server.client() as client:
            files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in paths]
            job = client.post("/jobs", files=files).json()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                done = client.get(f"/jobs/{job['id']}").json()["progress"]["done"]
                if done >= 5:
                    break
                time.sleep(0.02)
        server.kill()
        assert 0 < done < len(paths), "the job was not killed midway"
    finally:
        server.kill()
    with LiveServer(data, "--workers", "1") as restarted, restarted.client() as client:
        deadline = time.monotonic() + 120
        state = None
        while time.monotonic() < deadline:
            state = client.get(f"/jobs/{job['id']}").json()
            if state["state"] == "done":
                break
            time.sleep(0.1)
        assert state is not None and state["state"] == "done"
        assert state["progress"]["done"] == len(paths)
        page = client.get(f"/jobs/{job['id']}/records", params={"limit": 1000}).json()
    got = [{**r, "seconds": None, "path": None} for r in page["records"]]
    want = [{**r, "seconds": None, "path": None} for r in comparable(unbroken)]
    assert got == want
