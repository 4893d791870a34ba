"""``nianbao serve --cluster``: the jobs' documents are read on the Dask cluster, the records are a local run's."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from corpus import comparable, make_corpus
from distributed import Client, LocalCluster
from live_server import LiveServer

from extractor.batch import run_batch
from extractor.config import Settings


def chunks_run(dask_scheduler: Any) -> int:
    prefix = dask_scheduler.task_prefixes.get("cluster_chunk")
    return 0 if prefix is None else int(prefix.state_counts["memory"])


def test_a_job_runs_on_the_cluster(dask_cluster: LocalCluster, tmp_path: Path) -> None:
    paths = make_corpus(tmp_path / "corpus", 30)
    unbroken = tmp_path / "unbroken.jsonl"
    run_batch(paths, unbroken, Settings())
    with Client(dask_cluster.scheduler_address) as watcher:
        before = watcher.run_on_scheduler(chunks_run)
        with LiveServer(tmp_path / "data", "--cluster", dask_cluster.scheduler_address) as live, \
                live.client() as client:
            files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in paths]
            job = client.post("/jobs", files=files).json()
            deadline = time.monotonic() + 120
            while client.get(f"/jobs/{job['id']}").json()["state"] != "done":
                assert time.monotonic() < deadline, "the job did not finish"
                time.sleep(0.1)
            page = client.get(f"/jobs/{job['id']}/records", params={"limit": 100}).json()
        assert watcher.run_on_scheduler(chunks_run) > before, "no chunk ran on the cluster"
    got = [{**r, "seconds": None, "path": None} for r in page["records"]]
    want = [{**r, "seconds": None, "path": None} for r in comparable(unbroken)]
    assert got == want
