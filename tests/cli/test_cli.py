from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import DOCS

from extractor.cli import main


def test_extract_writes_one_record_per_document_and_exits_0(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    result = CliRunner().invoke(main, ["extract", str(DOCS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["document"] for r in records] == sorted(p.name for p in DOCS.glob("*.txt"))
    assert {r["status"] for r in records} == {"ok", "needs_review"}
    assert "needs_review" in result.output and "slowest documents" in result.output


def test_extract_exits_1_when_a_document_failed_but_keeps_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DOCS / "002_49469f21e3e534d6.txt", folder)
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path / "r.jsonl"
    result = CliRunner().invoke(main, ["extract", str(folder), "-o", str(out)])
    assert result.exit_code == 1
    statuses = {json.loads(x)["document"]: json.loads(x)["status"]
                for x in out.read_text("utf-8").splitlines()}
    assert statuses == {"002_49469f21e3e534d6.txt": "ok", "empty.txt": "failed"}
    assert "empty.txt: the file is empty" in result.output


def test_review_threshold_comes_from_the_environment(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    result = CliRunner().invoke(main, ["extract", str(DOCS / "002_49469f21e3e534d6.txt"), "-o",
                                       str(out)], env={"NIANBAO_REVIEW_THRESHOLD": "0.999"})
    assert result.exit_code == 0
    assert json.loads(out.read_text("utf-8"))["status"] == "needs_review"


def test_debug_prints_every_stage() -> None:
    result = CliRunner().invoke(main, ["debug", str(DOCS / "003_c676913514f69321.txt")])
    assert result.exit_code == 0, result.output
    for needle in ("sections", "grid of section 三", "t3.new.natural_person", "edition 2019"):
        assert needle in result.output


def test_debug_of_a_page_that_is_not_a_report_shows_what_each_stage_found(tmp_path: Path) -> None:
    page = tmp_path / "notice.txt"
    page.write_text("某市教育局关于开展2022年度工作检查的通知\n一、总体情况\n各单位：请于月底前报送材料。\n", "utf-8")
    result = CliRunner().invoke(main, ["debug", str(page)])
    assert result.exit_code == 1
    assert "请于月底前报送材料" in result.output  # the text stage
    assert "总体情况" in result.output  # the sections stage: the heading it found
    assert "failed at the cells stage" in result.output and "none of its tables" in result.output
