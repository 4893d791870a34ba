"""A resumed batch redoes exactly the records the settings of this run would make differently."""

from __future__ import annotations

import shutil
from pathlib import Path

import hostile
import pytest
from click.testing import CliRunner
from conftest import DOCS, SEEDS

import extractor.llm.prompts
from extractor.batch import run_batch
from extractor.batch.writers import read_records
from extractor.cli import main
from extractor.config import Settings
from extractor.fingerprint import fingerprint


@pytest.fixture
def seeds(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    return [Path(shutil.copy(DOCS / doc, folder / doc)) for doc in SEEDS]


def test_an_unchanged_rerun_redoes_nothing(seeds: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    run_batch(seeds, out, Settings())
    before = out.read_bytes()
    summary = run_batch(seeds, out, Settings(workers=3, llm_concurrency=9), resume=True)
    assert (summary.skipped, summary.extracted, sum(summary.redone.values())) == (len(seeds), 0, 0)
    assert out.read_bytes() == before


def test_a_changed_threshold_redoes_every_record_and_says_why(seeds: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    run_batch(seeds, out, Settings())
    assert "ok" in {r.status for r in read_records(out)}
    summary = run_batch(seeds, out, Settings(review_threshold=0.999), resume=True)
    assert summary.skipped == 0 and summary.redone == {"settings, model or nianbao version changed": len(seeds)}
    assert {r.status for r in read_records(out)} == {"needs_review"}, "as a fresh run marks them"


def test_the_command_redoes_records_when_the_environment_changes_a_setting(seeds: list[Path],
                                                                            tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    runner = CliRunner()
    assert runner.invoke(main, ["extract", str(seeds[0].parent), "-o", str(out)]).exit_code == 0
    statuses = [r.status for r in read_records(out)]
    result = runner.invoke(main, ["extract", str(seeds[0].parent), "-o", str(out)],
                           env={"NIANBAO_REVIEW_THRESHOLD": "0.999"})
    assert result.exit_code == 0, result.output
    assert [r.status for r in read_records(out)] == ["needs_review"] * len(statuses) != statuses
    again = runner.invoke(main, ["extract", str(seeds[0].parent), "-o", str(out), "--encoding", "utf-8"],
                          env={"NIANBAO_REVIEW_THRESHOLD": "0.999"})
    assert again.exit_code == 0
    assert {r.fingerprint for r in read_records(out)} == {
        fingerprint(Settings(review_threshold=0.999, encoding="utf-8"))}


def test_a_failed_record_is_redone_when_its_limit_is_raised_others_are_kept(seeds: list[Path],
                                                                           tmp_path: Path) -> None:
    pages = hostile.many_pages_pdf(seeds[0].parent)
    paths = [*seeds, pages]
    out = tmp_path / "r.jsonl"
    run_batch(paths, out, Settings())
    summary = run_batch(paths, out, Settings(max_pages=0, doc_timeout=120), resume=True)
    assert summary.skipped == len(seeds) and summary.redone == {"limits changed (the document had failed)": 1}
    assert "no text layer" in (read_records(out)[-1].error or ""), "read this time, past the old limit"


def test_the_model_the_endpoint_and_the_prompt_text_are_part_of_the_fingerprint(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    llm = Settings(llm="fallback", llm_base_url="http://127.0.0.1:9/v1", llm_model="qwen-0.5b")
    assert fingerprint(llm) != fingerprint(Settings())
    assert fingerprint(llm) != fingerprint(Settings(llm="fallback", llm_base_url="http://127.0.0.1:9/v1",
                                                    llm_model="qwen-1.5b"))
    assert fingerprint(llm) != fingerprint(Settings(llm="force", llm_base_url="http://127.0.0.1:9/v1",
                                                    llm_model="qwen-0.5b"))
    assert fingerprint(llm) == fingerprint(Settings(llm="fallback", llm_base_url="http://127.0.0.1:9/v1",
                                                    llm_model="qwen-0.5b", llm_api_key="secret", workers=7))
    prompts = tmp_path / "prompts"
    shutil.copytree(extractor.llm.prompts.PROMPTS_DIR, prompts)
    before = fingerprint(llm)
    fingerprint.cache_clear()
    monkeypatch.setattr(extractor.llm.prompts, "PROMPTS_DIR", prompts)
    (prompts / "table3.v1.md").write_text((prompts / "table3.v1.md").read_text("utf-8") + "\n", "utf-8")
    try:
        assert fingerprint(llm) != before, "the same version label, another prompt text"
    finally:
        fingerprint.cache_clear()
