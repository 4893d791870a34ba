"""Bad input gets a clear error or a flagged record; one bad document never stops a batch."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from conftest import DOCS

from extractor.batch import discover, run_batch
from extractor.config import Settings
from extractor.pipeline import extract_bytes, extract_file

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
        assert "truncated" in record.cells["t3.denied_third_party.total"].flags
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
    path = tmp_path / "locked.txt"  # a folder named like a report: no user can read it as a file
    path.mkdir()
    record = extract_file(path)
    assert record.status == "failed" and "cannot read" in (record.error or "")


# ---------------------------------------------------------------- a few bad bytes are not a binary file


def _mutations(data: bytes, encoding: str, seed: int) -> dict[str, bytes]:
    """What downloads, disks and crawlers do to a file's bytes, deterministically."""
    rng = random.Random(seed)
    out: dict[str, bytes] = {}
    for flips in (1, 10, 50):
        b = bytearray(data)
        for _ in range(flips):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
        out[f"{flips} flipped bytes"] = bytes(b)
    i = rng.randrange(len(data))
    out["junk inserted"] = data[:i] + bytes(rng.randrange(256) for _ in range(20)) + data[i:]
    out["NUL before each newline"] = data.replace(b"\n", b"\x00\n")
    middle = data.index("三、收到和".encode(encoding)) + 1  # inside a character of two or three bytes
    out["cut in a character"] = data[:middle]
    i = len(data) // 3
    out["a byte range duplicated"] = data[:i + 1000] + data[i + 7:i + 600] + data[i + 1000:]
    return out


@pytest.mark.parametrize("seed", ["000_c177902358b96c63.txt", "002_49469f21e3e534d6.txt"])
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_few_bad_bytes_are_read_around_and_said(seed: str, encoding: str) -> None:
    data = (DOCS / seed).read_text("utf-8").encode(encoding)
    for kind, mutated in _mutations(data, encoding, 7).items():
        record = extract_bytes(mutated, f"{kind}.txt")
        assert record.status != "failed" or "none of its tables" in (record.error or ""), (kind, record.error)
        if "undecodable" in " ".join(record.notes):
            damaged = [c for c in record.cells.values() if c.evidence and "\ufffd" in c.evidence.text]
            assert all("damaged_text" in c.flags for c in damaged), kind


def test_binary_data_is_still_refused() -> None:
    noise = random.Random(3).randbytes(20_000)
    record = extract_bytes(noise, "noise.txt")
    assert record.status == "failed" and "not readable text" in (record.error or "")
    assert extract_bytes(b"\x00" * 4096, "nuls.txt").status == "failed"
