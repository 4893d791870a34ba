"""A batch on a Dask cluster: a worker killed mid-run loses and doubles nothing, the records and the Parquet
equal a single-process run's, a resumed run skips what is done, documents travel as paths or bytes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from corpus import comparable, make_corpus
from distributed import Client, KilledWorker, LocalCluster

from extractor.batch import run_batch
from extractor.batch.cluster import ClusterPool, cluster_chunk
from extractor.batch.writers import Finished
from extractor.cli import main
from extractor.config import Settings
from extractor.crossyear import check_file


@pytest.fixture
def cluster(dask_cluster: LocalCluster) -> LocalCluster:
    return dask_cluster


NIANBAO = str(Path(sys.executable).with_name("nianbao"))


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    env["HOME"] = str(tmp_path / "home")
    return env


def long_table(folder: Path) -> pd.DataFrame:
    table = pd.read_parquet(folder / "long")
    table["year"] = table["year"].astype("Int32")
    return table.sort_values(["document", "cell"]).reset_index(drop=True)


def wide_table(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "wide").sort_values("document").reset_index(drop=True)


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(cluster: LocalCluster, tmp_path: Path) -> None:
    paths = make_corpus(tmp_path / "corpus", 2000)
    serial = tmp_path / "serial.jsonl"
    # the single-process run beside the cluster's, in a process of its own: on 2 cores the two together
    # take less time than one after the other
    single = subprocess.Popen([NIANBAO, "extract", str(tmp_path / "corpus"), "-o", str(serial), "--workers", "1",
                               "--parquet", str(tmp_path / "serial-parquet")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(tmp_path))
    with Client(cluster.scheduler_address) as watcher:
        pids: dict[str, int] = watcher.run(os.getpid)
        killed: dict[str, object] = {}

        def kill_a_busy_worker(done: Finished) -> None:
            if killed or done.document != paths[500].name:
                return
            busy = {worker: tasks for worker, tasks in watcher.processing().items() if tasks}
            victim = sorted(busy)[0]
            os.kill(pids[victim], signal.SIGKILL)
            killed.update(worker=victim, tasks=len(busy[victim]))

        out = tmp_path / "cluster.jsonl"
        with ClusterPool(Settings(), cluster.scheduler_address) as pool:
            summary = run_batch(paths, out, Settings(), pool=pool, on_record=kill_a_busy_worker,
                                parquet=tmp_path / "cluster-parquet")
    _, errors = single.communicate(timeout=600)
    assert single.returncode == 0, errors
    assert killed and int(str(killed["tasks"])) > 0, "no worker was killed while it held tasks"
    with pytest.raises(ProcessLookupError):
        os.kill(pids[str(killed["worker"])], 0)
    assert summary.documents == len(paths) and summary.workers == 2
    assert comparable(out) == comparable(serial)  # the same records, in the same order, each once
    pd.testing.assert_frame_equal(long_table(tmp_path / "cluster-parquet"), long_table(tmp_path / "serial-parquet"))
    pd.testing.assert_frame_equal(wide_table(tmp_path / "cluster-parquet"), wide_table(tmp_path / "serial-parquet"))


def test_the_cli_resumes_a_cluster_run_and_writes_parquet(cluster: LocalCluster, tmp_path: Path) -> None:
    paths = make_corpus(tmp_path / "corpus", 40)
    serial = tmp_path / "serial.jsonl"
    run_batch(paths, serial, Settings())
    check_file(serial, review_threshold=Settings().review_threshold)  # as nianbao extract does at its end
    out = tmp_path / "out.jsonl"
    cmd = ["extract", "-o", str(out), "--cluster", cluster.scheduler_address, "--parquet", str(tmp_path / "pq")]
    first = CliRunner().invoke(main, [*cmd, *map(str, paths[:15])])
    assert first.exit_code == 0, first.output
    done_first = out.read_text("utf-8").splitlines()
    again = CliRunner().invoke(main, [*cmd, *map(str, paths)])
    assert again.exit_code == 0, again.output
    kept = [json.loads(line) for line in out.read_text("utf-8").splitlines()[:15]]
    # kept, not extracted again (their timings are the first run's); the cross-year check may have updated
    # them, now that the batch holds the same agencies' other years
    assert [r["seconds"] for r in kept] == [json.loads(line)["seconds"] for line in done_first]
    assert comparable(out) == comparable(serial)
    wide = wide_table(tmp_path / "pq")
    assert wide["document"].tolist() == sorted(p.name for p in paths)  # kept and new records, each once
    assert len(long_table(tmp_path / "pq")) == sum(len(r["cells"]) for r in comparable(serial))


def test_documents_sent_as_bytes_give_the_records_of_their_paths(cluster: LocalCluster, tmp_path: Path) -> None:
    paths = make_corpus(tmp_path / "corpus", 24)
    serial = tmp_path / "serial.jsonl"
    run_batch(paths, serial, Settings())
    out = tmp_path / "bytes.jsonl"
    with ClusterPool(Settings(), cluster.scheduler_address, send="bytes") as pool:
        run_batch(paths, out, Settings(), pool=pool)
    assert comparable(out) == comparable(serial)


def test_a_chunk_sent_as_bytes_needs_no_file_on_the_worker(tmp_path: Path) -> None:
    [path] = make_corpus(tmp_path / "corpus", 1)
    elsewhere = "/nowhere/on/this/worker/" + path.name
    [done] = cluster_chunk([(elsewhere, None, path.read_bytes())], Settings())
    [local] = cluster_chunk([(str(path), None, None)], Settings())
    record, want = done.record(), local.record()
    assert record.path == elsewhere and record.document == path.name and record.status != "failed"
    assert record.model_dump(exclude={"path", "seconds"}) == want.model_dump(exclude={"path", "seconds"})


def test_a_file_over_the_limit_is_not_sent_as_bytes(cluster: LocalCluster, tmp_path: Path) -> None:
    paths = make_corpus(tmp_path / "corpus", 3)
    small = Settings(max_file_mb=0.001)
    serial = tmp_path / "serial.jsonl"
    run_batch(paths, serial, small)
    out = tmp_path / "bytes.jsonl"
    with ClusterPool(small, cluster.scheduler_address, send="bytes") as pool:
        run_batch(paths, out, small, pool=pool)
    assert comparable(out) == comparable(serial)
    assert {r["status"] for r in comparable(out)} == {"failed"}


class _Answer:
    """A Dask future that is already done: a value, or the error its workers' deaths raised."""

    def __init__(self, value: list[Finished] | None = None, error: Exception | None = None):
        self.value, self.error = value, error

    def result(self) -> list[Finished]:
        if self.error is not None:
            raise self.error
        assert self.value is not None
        return self.value

    def cancel(self) -> None:
        pass


class _DeadlyClient:
    """A cluster whose workers die whenever a task holds the document named ``deadly.txt``."""

    def __init__(self) -> None:
        self.submitted: list[list[str]] = []

    def nthreads(self) -> dict[str, int]:
        return {"tcp://127.0.0.1:1": 1}

    def submit(self, fn: Any, tasks: list[Any], settings: Settings, **kwargs: Any) -> _Answer:
        names = [Path(path).name for path, _, _ in tasks]
        self.submitted.append(names)
        if "deadly.txt" in names:
            return _Answer(error=KilledWorker("cluster_chunk-1", None, 3))  # type: ignore[arg-type]
        return _Answer(fn(tasks, settings))

    def close(self) -> None:
        pass


def test_a_document_that_keeps_killing_workers_fails_alone(tmp_path: Path) -> None:
    paths = make_corpus(tmp_path / "corpus", 6)
    deadly = tmp_path / "deadly.txt"
    deadly.write_bytes(paths[0].read_bytes())
    inputs = [*paths[:3], deadly, *paths[3:]]
    client = _DeadlyClient()
    pool = ClusterPool(Settings(), "tcp://127.0.0.1:1", chunk=4)
    pool._client = client  # type: ignore[assignment]
    done = list(pool.map(inputs))
    assert [d.document for d in done] == [p.name for p in inputs]
    assert [d.document for d in done if d.status == "failed"] == ["deadly.txt"]
    assert "died" in (done[3].error or "")
    assert [n for n in client.submitted if len(n) == 1] == [[p.name] for p in inputs[:4]]  # retried one by one
