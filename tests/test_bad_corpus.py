"""A corpus of 25+ kinds of bad input through one parallel batch: each gets a clear record, none stops it."""

from __future__ import annotations

import json
import random
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DOCS, FIXTURES

from extractor.batch import discover, run_batch
from extractor.config import Settings

SEED = (DOCS / "002_49469f21e3e534d6.txt").read_text("utf-8")
LINES = SEED.splitlines()
TITLE = "\n".join(LINES[:6])
SECTION_3 = "\n".join(LINES[37:71])
OTHER_KIND = ("某市人民政府2022年政府工作报告\n一、2022年工作回顾\n全市地区生产总值增长5.2%。\n"
              "二、2023年工作安排\n坚持稳中求进。\n") * 30
NEWS_HTML = ("<html><head><meta charset='utf-8'><title>新闻</title></head><body><h1>市教育局召开工作会议</h1>"
             "<p>会议部署了明年的任务。</p></body></html>")


def _html(declared: str) -> str:
    body = "".join(f"<p>{line}</p>" for line in LINES)
    return f"<html><head><meta charset='{declared}'></head><body>{body}</body></html>"


def _zip_of_text() -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes/readme.txt", "这不是Word文档")
    return buf.getvalue()


def _blank_scan(fmt: str) -> bytes:
    """A scanned page with nothing on it: grey paper, a few specks."""
    import io

    from PIL import Image, ImageDraw

    page = Image.new("RGB", (1240, 1754), (226, 222, 214))
    for k in range(40):
        ImageDraw.Draw(page).point(((k * 997) % 1240, (k * 613) % 1754), fill=(90, 90, 90))
    buf = io.BytesIO()
    page.save(buf, fmt, resolution=150)
    return buf.getvalue()


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as fh:
        fh.truncate(size)


Maker = Callable[[Path], None]


def _bytes(data: bytes) -> Maker:
    return lambda p: p.write_bytes(data)


def _fixture(name: str) -> Maker:
    def make(p: Path) -> None:
        shutil.copyfile(FIXTURES / name, p)  # a committed fixture: missing is a failure, not a skip
    return make


# name → (how to make it, expected status, a phrase of the error or a flag the record must carry)
KINDS: dict[str, tuple[Maker, str, str | None]] = {
    "empty.txt": (_bytes(b""), "failed", "empty"),
    "whitespace.txt": (_bytes(b" \r\n\t\n  \n"), "failed", "empty"),
    "binary.txt": (_bytes(random.Random(1).randbytes(20000)), "failed", "not readable text"),
    "nul_bytes.txt": (_bytes(b"\0" * 4096), "failed", "not readable text"),
    "huge.txt": (lambda p: _sparse(p, 100_000_000), "failed", "over the 50 MB limit"),
    # a download cut off in section 一: what it says (agency, year) is kept, every table cell null
    "truncated.html": (_bytes(SEED.encode()[:1500].join([b"<html><body><table><tr><td>", b""])), "needs_review",
                       "truncated"),
    "declared utf-8 really gbk.html": (_bytes(_html("utf-8").encode("gbk")), "ok", None),
    "declared gbk really utf-8.html": (_bytes(_html("gbk").encode("utf-8")), "ok", None),
    "gbk.txt": (_bytes(SEED.encode("gbk")), "ok", None),
    "utf16 bom.txt": (_bytes(SEED.encode("utf-16")), "ok", None),
    "utf16 no bom.txt": (_bytes(SEED.encode("utf-16-le")), "ok", None),
    "blank scan.pdf": (_bytes(_blank_scan("PDF")), "failed", "no text layer, and OCR found no text"),
    "blank page.png": (_bytes(_blank_scan("PNG")), "failed", "OCR found no text in the image"),
    "encrypted.pdf": (_fixture("pdf_encrypted.pdf"), "failed", "encrypted"),
    "truncated.pdf": (_fixture("pdf_truncated.pdf"), "failed", None),
    # OCR'd, its glyphs read as no report
    "cid garbage.pdf": (_fixture("pdf_cid_garbage.pdf"), "failed", "not a 政府信息公开工作年度报告"),
    "zip of something else.docx": (_bytes(_zip_of_text()), "failed", "not a Word document"),
    "text renamed.docx": (_bytes(SEED.encode()), "failed", "not a DOCX file"),
    "a pdf named.txt": (_fixture("pdf_000.pdf"), "ok", None),
    "other kind.txt": (_bytes(OTHER_KIND.encode()), "failed", "not a 政府信息公开工作年度报告"),
    "news page.html": (_bytes(NEWS_HTML.encode()), "failed", "not a 政府信息公开工作年度报告"),
    "only section 3.txt": (_bytes((TITLE + "\n" + SECTION_3 + "\n").encode()), "needs_review",
                           "missing_in_source"),
    "truncated mid table.txt": (_bytes(SEED[: SEED.index("4. 保护第三方")].encode()), "needs_review",
                                "truncated"),
    "duplicate a.txt": (_bytes(SEED.encode()), "ok", None),
    "duplicate b.txt": (_bytes(SEED.encode()), "ok", None),
    "path with spaces/report one.txt": (_bytes(SEED.encode()), "ok", None),
    "中文目录/鹤岗市教育局年度报告.txt": (_bytes(SEED.encode()), "ok", None),
    "report.md": (_bytes(SEED.encode()), "ok", None),
    "word.docx": (_fixture("docx_000.docx"), "ok", None),
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, dict[str, object]], object, int]:
    root = tmp_path_factory.mktemp("bad")
    folder = root / "in"
    for name, (make, _, _) in KINDS.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        make(path)
    out = root / "out.jsonl"
    paths = discover([folder])
    summary = run_batch(paths, out, Settings(), workers=2)
    by_name = {}
    for line in out.read_text("utf-8").splitlines():
        record = json.loads(line)
        key = str(Path(record["path"]).relative_to(folder))
        by_name[key] = record
    return by_name, summary, len(paths)


def test_the_corpus_has_at_least_20_kinds() -> None:
    assert len(KINDS) >= 20


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_kind_gets_a_clear_record(batch: tuple[dict[str, dict[str, object]], object, int],
                                       name: str) -> None:
    records, _, _ = batch
    _, status, phrase = KINDS[name]
    record = records[name]
    if status == "ok":  # a readable report: ok, or needs review for its own flags
        assert record["status"] in ("ok", "needs_review"), record["error"]
    else:
        assert record["status"] == status, record["error"]
    if status == "failed":
        assert record["error"] and len(str(record["error"])) > 10
        assert record["cells"] == {}
    if phrase and status == "failed":
        assert phrase in str(record["error"]), record["error"]
    elif phrase:
        flags = {f for c in record["cells"].values() for f in c["flags"]}  # type: ignore[union-attr]
        assert phrase in flags


def test_the_batch_finishes_and_the_summary_counts_every_kind(
        batch: tuple[dict[str, dict[str, object]], object, int]) -> None:
    records, summary, n = batch
    assert len(records) == n == len(KINDS) == summary.documents  # type: ignore[attr-defined]
    failed = sum(1 for _, status, _ in KINDS.values() if status == "failed")
    assert summary.statuses["failed"] == failed  # type: ignore[attr-defined]
    assert len(summary.failures) == failed  # type: ignore[attr-defined]


def test_duplicates_each_get_their_record(batch: tuple[dict[str, dict[str, object]], object, int]) -> None:
    records, _, _ = batch
    a, b = records["duplicate a.txt"], records["duplicate b.txt"]
    assert a["sha256"] == b["sha256"] and a["document"] != b["document"]


def test_an_unreadable_file_fails_and_the_batch_goes_on(tmp_path: Path) -> None:
    # a path that names no readable file (here a folder called like a report: unreadable for root too)
    unreadable = tmp_path / "locked.txt"
    unreadable.mkdir()
    fine = tmp_path / "fine.txt"
    fine.write_text(SEED, "utf-8")
    summary = run_batch([unreadable, fine], tmp_path / "out.jsonl", Settings())
    assert summary.statuses["failed"] == 1 and summary.statuses["ok"] == 1
    assert "cannot read" in summary.failures[0][1]


def test_the_size_limit_is_a_setting(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(SEED, "utf-8")
    out = tmp_path / "out.jsonl"
    run_batch([path], out, Settings(max_file_mb=0.001))
    record = json.loads(out.read_text("utf-8"))
    assert record["status"] == "failed" and "MB limit" in record["error"] and record["sha256"]
