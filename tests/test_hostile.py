"""Hostile documents fail alone, within their time and memory limits: in a batch, in the pool, in the service."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import hostile
import pytest
from conftest import DOCS, FIXTURES
from live_server import LiveServer

from extractor.batch import run_batch
from extractor.batch.pool import RulePool, Task, extract_chunk
from extractor.batch.writers import Finished, read_records
from extractor.config import Settings
from extractor.pipeline import extract_file
from extractor.records import Flag

ROW_SIZES = (20, 24, 30, 200)


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    files = {f"row{n}": hostile.many_numbers_row(folder, n) for n in ROW_SIZES}
    files |= {"shuffled": hostile.shuffled_lines(folder), "pages": hostile.many_pages_pdf(folder),
              "bomb": hostile.zip_bomb_docx(folder), "deep": hostile.deep_html(folder)}
    return files


def expect_hostile(records: dict[str, dict[str, object]], files: dict[str, Path]) -> None:
    """What each hostile file must give: a flagged record for the rows, a clear failure past a limit."""
    for n in ROW_SIZES:
        record = records[files[f"row{n}"].name]
        assert record["status"] == "needs_review", (n, record.get("error"))
        cells = record["cells"]
        assert isinstance(cells, dict)
        assert Flag.EXTRA_VALUES in cells["t3.new.natural_person"]["flags"], n
    assert records[files["shuffled"].name]["status"] in ("failed", "needs_review")
    assert "timed out" not in str(records[files["shuffled"].name].get("error"))
    assert "5,000 pages, over the limit of 300" in str(records[files["pages"].name]["error"])
    assert "unpacks to 120 MB" in str(records[files["bomb"].name]["error"])
    assert "nests elements more than 255 deep" in str(records[files["deep"].name]["error"])


def test_files_past_a_limit_are_refused_before_parsing_and_the_limits_can_be_raised(
        hostile_files: dict[str, Path]) -> None:
    pages = hostile_files["pages"]
    refused = extract_file(pages, Settings())
    assert refused.status == "failed" and "--max-pages" in (refused.error or "")
    read = extract_file(pages, Settings(max_pages=0))
    assert read.status == "failed" and "no text layer" in (read.error or ""), "read, then found empty"
    bomb = extract_file(hostile_files["bomb"], Settings(max_unpacked_mb=50))
    assert "over the limit of 50 MB" in (bomb.error or "") and "--max-unpacked-mb" in (bomb.error or "")


def test_a_hostile_batch_gives_every_document_its_record(hostile_files: dict[str, Path], tmp_path: Path) -> None:
    seeds = sorted(DOCS.glob("*.txt"))
    paths = [seeds[0], *hostile_files.values(), seeds[1]]
    out = tmp_path / "out.jsonl"
    run_batch(paths, out, Settings(doc_timeout=30))
    records = {r.document: r.model_dump(mode="json") for r in read_records(out)}
    assert list(records) == [p.name for p in paths]
    expect_hostile(records, hostile_files)
    assert records[seeds[0].name]["status"] != "failed" and records[seeds[1].name]["status"] != "failed"


def test_the_pool_bounds_each_worker_in_memory(hostile_files: dict[str, Path], tmp_path: Path) -> None:
    hog = hostile.huge_table_html(tmp_path, rows=150_000)
    seeds = sorted(DOCS.glob("*.txt"))
    paths = [*seeds[:3], hog, *hostile_files.values(), *sorted(FIXTURES.glob("pdf_00*.pdf"))]
    with RulePool(Settings(max_memory_mb=300, doc_timeout=60), 2, chunk=2) as pool:
        done = {d.document: json.loads(d.line) for d in pool.map(paths)}
    assert list(done) == [p.name for p in paths]
    assert "out of memory" in done[hog.name]["error"] and "--max-memory-mb" in done[hog.name]["error"]
    expect_hostile(done, hostile_files)
    assert all(done[p.name]["status"] != "failed" for p in [*seeds[:3], *FIXTURES.glob("pdf_00*.pdf")])


def test_a_document_over_the_time_limit_fails_alone(tmp_path: Path) -> None:
    pdf = FIXTURES / "pdf_000.pdf"
    late = extract_file(pdf, Settings(doc_timeout=0.001))
    assert late.status == "failed" and "timed out after 0.001 s" in (late.error or "")
    assert late.sha256 is not None, "the record says which file timed out"
    on_time = extract_file(pdf, Settings(doc_timeout=60))
    assert on_time.status != "failed"


def stuck_in_c(tasks: list[Task], settings: Settings) -> list[Finished]:
    """A worker stuck where no alarm reaches it (as in a C library) on a document named ``stuck``."""
    if any("stuck" in path for path, _ in tasks):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(3600)
    return extract_chunk(tasks, settings)


def test_a_worker_that_never_answers_is_killed_and_its_document_fails(tmp_path: Path) -> None:
    seeds = sorted(DOCS.glob("*.txt"))
    stuck = tmp_path / "stuck.txt"
    stuck.write_bytes(seeds[0].read_bytes())
    paths = [*seeds, stuck, *seeds]
    started = time.monotonic()
    with RulePool(Settings(doc_timeout=1), 2, chunk=2, worker=stuck_in_c, grace=1) as pool:
        done = list(pool.map(paths))
    assert time.monotonic() - started < 60
    assert [d.document for d in done] == [p.name for p in paths]
    assert [d.document for d in done if d.status == "failed"] == ["stuck.txt"]
    assert "timed out after 1 s" in (done[len(seeds)].error or "")


def test_the_service_survives_hostile_uploads(hostile_files: dict[str, Path], tmp_path: Path) -> None:
    seed = sorted(DOCS.glob("*.txt"))[0]
    paths = [seed, *hostile_files.values()]
    with LiveServer(tmp_path / "data", "--doc-timeout", "30") as live, live.client() as client:
        response = client.post("/jobs", files=[("files", (p.name, p.read_bytes(), "application/octet-stream"))
                                               for p in paths])
        assert response.status_code == 202, response.text
        job = response.json()
        deadline = time.monotonic() + 120
        while client.get(f"/jobs/{job['id']}").json()["state"] != "done":
            assert time.monotonic() < deadline, "the job did not finish"
            time.sleep(0.2)
        records = {r["document"]: r for r in client.get(f"/jobs/{job['id']}/records",
                                                          params={"limit": 100}).json()["records"]}
        expect_hostile(records, hostile_files)
        assert records[seed.name]["status"] != "failed"
        assert client.get("/health").status_code == 200
        assert live.proc is not None and live.proc.poll() is None
    assert os.path.exists(tmp_path / "data")
