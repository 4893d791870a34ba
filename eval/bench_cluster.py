"""Benchmark of the rule path on a local Dask cluster (and Ray, when installed) against the local pool.

    python eval/bench_cluster.py                    # 1,000 documents; 1, 2 and 4 workers
    python eval/bench_cluster.py --docs 400 --workers 1 2 --engines ray dask pool

For each worker count it prints documents/s of the local pool (``RulePool``,
worker processes) and of a Dask ``LocalCluster`` of that many worker
processes of one thread each (``ClusterPool``: chunks of 8, each run in the
worker thread's sandbox process), with Ray's when it is importable (a
``ray.remote`` task running the same chunk function). It also prints the
cost of one task with nothing in it — a round trip through each engine —,
the CPU time the whole process tree spent per document (the engine's own
processes included; on a busy machine this stays put while documents/s
move) and how long each engine takes to start. Every run's records are checked against
the local pool's. Measure on an idle machine: a busy one reads slower.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.batch.pool import CHUNK, RulePool, as_task, extract_chunk  # noqa: E402
from extractor.batch.writers import Finished  # noqa: E402
from extractor.config import Settings  # noqa: E402
from extractor.render.corpus import make_corpus  # noqa: E402

EMPTY_TASKS = 200


def records(done: Iterable[Finished]) -> list[dict[str, Any]]:
    out = []
    for d in done:
        record = json.loads(d.line)
        record.pop("seconds", None)
        out.append(record)
    return out


CPU_SPENT: dict[str, float] = {}
"""CPU seconds the whole process tree spent on the last timed run (psutil): robust to a busy machine."""


def tree_cpu() -> float:
    import psutil

    total = 0.0
    me = psutil.Process()
    for process in [me, *me.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def timed(run: Callable[[], list[Finished]]) -> tuple[float, list[Finished]]:
    cpu = tree_cpu()
    started = time.perf_counter()
    done = run()
    seconds = time.perf_counter() - started
    CPU_SPENT["last"] = tree_cpu() - cpu
    return seconds, done


def bench_pool(paths: list[Path], workers: int) -> tuple[float, float, list[Finished]]:
    with RulePool(Settings(), workers) as pool:
        list(pool.map(paths[: workers * CHUNK]))  # start the processes
        seconds, done = timed(lambda: list(pool.map(paths)))
        executor = pool._executor()
        started = time.perf_counter()
        for _ in range(EMPTY_TASKS):
            executor.submit(extract_chunk, [], pool.settings).result()
        overhead = (time.perf_counter() - started) / EMPTY_TASKS
    return seconds, overhead, done


def bench_dask(paths: list[Path], workers: int) -> tuple[float, float, float, list[Finished]]:
    from distributed import LocalCluster

    from extractor.batch.cluster import ClusterPool, cluster_chunk

    started = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, worker_dashboard_address=None) as local, \
            ClusterPool(Settings(), local.scheduler_address) as pool:
        list(pool.map(paths[: workers * CHUNK]))  # start the workers' sandboxes
        startup = time.perf_counter() - started
        seconds, done = timed(lambda: list(pool.map(paths)))
        started = time.perf_counter()
        for _ in range(EMPTY_TASKS):
            pool.client.submit(cluster_chunk, [], pool.settings, pure=False).result()
        overhead = (time.perf_counter() - started) / EMPTY_TASKS
    return startup, seconds, overhead, done


def ray_chunks(paths: list[Path], run: Any, settings: Any, workers: int) -> Iterator[Finished]:
    """The chunks in order, a few per worker in flight, as the pools keep them."""
    import ray

    tasks = [as_task(p) for p in paths]
    chunks = [tasks[i:i + CHUNK] for i in range(0, len(tasks), CHUNK)]
    window: list[Any] = []
    for chunk in chunks:
        window.append(run.remote(chunk, settings))
        if len(window) >= 4 * workers:
            yield from ray.get(window.pop(0))
    for ref in window:
        yield from ray.get(ref)


def bench_ray(paths: list[Path], workers: int) -> tuple[float, float, float, list[Finished]]:
    import ray

    started = time.perf_counter()
    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}})
    try:
        run = ray.remote(max_retries=3)(extract_chunk)
        settings = ray.put(Settings())
        list(ray_chunks(paths[: workers * CHUNK], run, settings, workers))
        startup = time.perf_counter() - started
        seconds, done = timed(lambda: list(ray_chunks(paths, run, settings, workers)))
        started = time.perf_counter()
        for _ in range(EMPTY_TASKS):
            ray.get(run.remote([], settings))
        overhead = (time.perf_counter() - started) / EMPTY_TASKS
    finally:
        ray.shutdown()
    return startup, seconds, overhead, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--engines", nargs="+", choices=["pool", "dask", "ray"], default=["pool", "dask", "ray"],
                        help="The engines to run, in this order (Ray only when it is installed).")
    args = parser.parse_args()
    try:
        import ray  # noqa: F401
        engines = args.engines
    except ImportError:
        engines = [e for e in args.engines if e != "ray"]
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-cluster-") as tmp:
        paths = make_corpus(Path(tmp), args.docs)
        print(f"{args.docs} documents, {os.cpu_count()} cores; {EMPTY_TASKS} empty tasks for the overhead")
        print(f"{'engine':<6} {'workers':>7} {'start s':>8} {'docs/s':>8} {'CPU ms/doc':>10} {'ms/task':>8}  "
              "same records")
        reference: list[dict[str, Any]] | None = None
        for workers in args.workers:
            for engine in engines:
                startup = 0.0
                if engine == "pool":
                    seconds, overhead, done = bench_pool(paths, workers)
                elif engine == "dask":
                    startup, seconds, overhead, done = bench_dask(paths, workers)
                else:
                    startup, seconds, overhead, done = bench_ray(paths, workers)
                got = records(done)
                if reference is None:
                    reference = got
                cpu_ms = CPU_SPENT["last"] * 1000 / len(paths)
                print(f"{engine:<6} {workers:>7} {startup:>8.1f} {len(paths) / seconds:>8.1f} {cpu_ms:>10.1f} "
                      f"{overhead * 1000:>8.2f}  {'yes' if got == reference else 'NO'}", flush=True)


if __name__ == "__main__":
    main()
