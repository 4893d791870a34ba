"""The service reads a scanned PDF and a page image like any other upload (OCR, from the [ocr] extra)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from conftest import FIXTURES, load_golden, seed_doc, silent_errors
from live_server import LiveServer

from extractor.records import Record


def test_a_scanned_pdf_and_a_page_image_go_through_a_job(tmp_path: Path) -> None:
    files = [FIXTURES / "scan_realism_003.pdf", FIXTURES / "scan_pages_001" / "scan_001_p2.png"]
    with LiveServer(tmp_path / "data", "--workers", "1") as live, live.client() as client:
        response = client.post("/jobs", files=[("files", (p.name, p.read_bytes(), "application/octet-stream"))
                                               for p in files])
        assert response.status_code == 202, response.text
        job_id = response.json()["id"]
        deadline = time.monotonic() + 900  # OCR: seconds a page, more on a busy machine
        job: dict[str, Any] = {}
        while time.monotonic() < deadline and job.get("state") != "done":
            time.sleep(0.5)
            job = client.get(f"/jobs/{job_id}").json()
        assert job.get("state") == "done", job
        records = {r["document"]: Record.model_validate(r)
                   for r in client.get(f"/jobs/{job_id}/records").json()["records"]}
    scanned = records["scan_realism_003.pdf"]
    assert scanned.status != "failed", scanned.error
    assert silent_errors(scanned, load_golden(seed_doc("003"))) == []
    page = records["scan_001_p2.png"]  # one page alone: section 三 and its table, read from the image
    assert page.format == "image" and page.status != "failed", page.error
    assert page.cells["t3.new.total"].value == load_golden(seed_doc("001"))["t3.new.total"]
    assert page.cells["t3.new.total"].evidence is not None and page.cells["t3.new.total"].evidence.page == 1
