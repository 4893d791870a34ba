"""Bad input gets a clear error or a flagged record; one bad document never stops a batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DOCS

from extractor.batch import discover, run_batch
from extractor.config import Settings
from extractor.pipeline import extract_file

SEED = (DOCS / "002_49469f21e3e534d6.txt").read_text("utf-8")
NEWS = "市教育局召开2022年度工作会议\n\n会议总结了一年来的工作，部署了明年的任务。" * 20
NO_TABLES = ("某市教育局2022年政府信息公开工作年度报告\n一、总体情况\n正文。\n二、主动公开政府信息情况\n"
             "本年度无。\n三、收到和处理政府信息公开申请情况\n本年度未收到申请。\n"
             "四、政府信息公开行政复议、行政诉讼情况\n无。\n")

BAD = {
    "empty.txt": (b"", "failed", "empty"),
    "junk.txt": (bytes(range(256)) * 64, "failed", "not readable text"),
    "news.txt": (NEWS.encode(), "failed", "not a 政府信息公开工作年度报告"),
    "no_tables.txt": (NO_TABLES.encode(), "failed", "none of its tables"),
    "program.exe": (b"MZ\x90\x00", "failed", "unsupported file type"),
    "gbk report.txt": (SEED.encode("gbk"), "ok", None),
    "截断.html": (b"<html><body><h1>\xe5\xb9\xb4\xe5\xba\xa6\xe6\x8a\xa5\xe5\x91\x8a</h1><table><tr><td>",
                "failed", "not a 政府信息公开工作年度报告"),
    "truncated_table.txt": (SEED[: SEED.index("4. 保护第三方")].encode(), "needs_review", None),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_input_gives_a_clear_record(tmp_path: Path, name: str) -> None:
    data, status, message = BAD[name]
    path = tmp_path / name
    path.write_bytes(data)
    record = extract_file(path)
    assert record.status == status, record.error
    if message:
        assert message in (record.error or "")
        assert record.cells == {}
    if name == "truncated_table.txt":
        assert record.cells["t3.denied_third_party.total"].value is None
        assert "missing_in_source" in record.cells["t3.denied_third_party.total"].flags
        assert record.cells["t3.denied_state_secret.total"].value == 0


def test_a_batch_goes_on_past_bad_documents_and_loses_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    (folder / "sub dir").mkdir(parents=True)
    for name, (data, _, _) in BAD.items():
        (folder / name).write_bytes(data)
    (folder / "sub dir" / "seed.txt").write_text(SEED, "utf-8")
    out = tmp_path / "out.jsonl"
    paths = discover([folder])
    summary = run_batch(paths, out, Settings())
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(lines) == len(paths) == summary.documents
    assert "program.exe" not in {r["document"] for r in lines}  # not a report type: not picked up
    assert summary.statuses["failed"] == 5
    assert {r["document"] for r in lines if r["status"] != "failed"} == {
        "gbk report.txt", "truncated_table.txt", "seed.txt"}


def test_an_unreadable_file_is_a_failed_record(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(SEED, "utf-8")
    path.chmod(0)
    try:
        record = extract_file(path)
        if record.status != "failed":  # running as root: permissions do not apply
            pytest.skip("file permissions are not enforced for this user")
        assert "cannot read" in (record.error or "")
    finally:
        path.chmod(0o644)
