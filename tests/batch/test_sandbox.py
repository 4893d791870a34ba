"""The sandbox a cluster worker's thread runs chunks in: each document's time limit holds off the main
thread, a child stuck past it is killed and one that dies is replaced, failing only their own document."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from conftest import DOCS, FIXTURES

from extractor.batch.sandbox import Sandbox, SandboxTask
from extractor.batch.writers import Finished
from extractor.config import Settings

ODD = (sys.executable, str(Path(__file__).with_name("odd_sandbox.py")))


def in_a_thread(sandbox: Sandbox, tasks: list[SandboxTask]) -> list[Finished]:
    """As a Dask worker runs a task: off the main thread, where no SIGALRM can be armed."""
    out: list[Finished] = []
    thread = threading.Thread(target=lambda: out.extend(sandbox.run_chunk(tasks)))
    thread.start()
    thread.join(120)
    sandbox.close()
    return out


def test_the_time_limit_holds_off_the_main_thread() -> None:
    pdf = str(FIXTURES / "pdf_000.pdf")
    [late] = in_a_thread(Sandbox(Settings(doc_timeout=0.001)), [(pdf, None, None)])
    assert late.status == "failed" and "timed out after 0.001 s" in (late.error or "")
    [on_time] = in_a_thread(Sandbox(Settings(doc_timeout=60)), [(pdf, None, None)])
    assert on_time.status != "failed"


def test_a_stuck_child_is_killed_and_a_dead_one_replaced(tmp_path: Path) -> None:
    seeds = sorted(DOCS.glob("*.txt"))
    for name in ("stuck.txt", "crash.txt"):
        (tmp_path / name).write_bytes(seeds[0].read_bytes())
    tasks: list[SandboxTask] = [(str(p), None, None) for p in
                                (seeds[0], tmp_path / "stuck.txt", seeds[1], tmp_path / "crash.txt", seeds[2])]
    started = time.monotonic()
    done = in_a_thread(Sandbox(Settings(doc_timeout=0.5), grace=1, command=ODD), tasks)
    assert time.monotonic() - started < 60
    assert [d.document for d in done] == [Path(p).name for p, _, _ in tasks]
    assert [d.document for d in done if d.status == "failed"] == ["stuck.txt", "crash.txt"]
    assert "timed out after 0.5 s" in (done[1].error or "")
    assert "died" in (done[3].error or "")
    assert done[1].record().sha256 is not None, "the record says which file timed out"
