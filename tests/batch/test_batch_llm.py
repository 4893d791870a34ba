"""An LLM batch writes each document's record as soon as it and the ones before it are answered,
and an interrupted one keeps what it wrote and the replies it got."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import DOCS
from fake_llm_server import FakeLLM, tool_reply

from extractor.batch import run_batch
from extractor.batch.writers import Finished, read_records
from extractor.config import Settings
from extractor.llm.cache import ResponseCache
from extractor.llm.client import ScriptedClient, TableReply
from extractor.llm.stage import LLMStage
from extractor.pipeline import read_report
from extractor.read.load import load_path

NIANBAO = str(Path(sys.executable).with_name("nianbao"))
# gap questions: 003 asks two (a pick in 二, a derived 总计), 002 and 004 none (004's gaps are cut off),
# 001 three (three rows several readings fit)
SEEDS = [DOCS / name for name in ("003_c676913514f69321.txt", "002_49469f21e3e534d6.txt",
                                  "004_fb0219a4b427aef6.txt", "001_c9c993418e881905.txt")]
EMPTY = tool_reply({})
"""Every row null: a reply that changes nothing (a whole table's is valid; a gap's fits no schema)."""
NONE = tool_reply({"choice": 0})
"""A pick of none: a valid reply to a choice question that changes nothing."""


def nothing(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A reply that fills nothing: none of the choices, or an empty object (re-asked once, then the
    question fails and its cells keep their rule values)."""
    return ("json", NONE if "choice" in str(body.get("response_format")) else EMPTY)


def llm_settings(tmp_path: Path, url: str, **kw: object) -> Settings:
    base: dict[str, object] = dict(llm="fallback", llm_base_url=url, llm_model="fake", llm_rpm=0,
                                   llm_cache=str(tmp_path / "cache.sqlite"))
    base.update(kw)
    return Settings(**base)  # type: ignore[arg-type]


def sections_of(path: Path, settings: Settings) -> list[str]:
    """The section texts a document's LLM tables send."""
    stage = LLMStage(settings, ScriptedClient([]))
    return [plan.request.section_text for plan in stage.plan(read_report(load_path(path)))]


def sent_for(body: dict[str, Any], sections: list[str]) -> bool:
    # the rendered prompt is stripped, so a section at its end may lose trailing blanks
    return any(s.strip() in str(m.get("content")) for m in body.get("messages", []) for s in sections)


def wait_for(check: Any, seconds: float = 30.0) -> None:
    give_up = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < give_up, "timed out"
        time.sleep(0.05)


def written(out: Path) -> list[str]:
    return [r.document for r in read_records(out)] if out.exists() else []


def test_records_are_written_while_the_last_document_waits_for_its_tables(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    gate = threading.Event()
    with FakeLLM() as fake:
        s = llm_settings(tmp_path, fake.url)
        last = sections_of(SEEDS[-1], s)
        fake.answer = lambda body: ("gate", gate, NONE) if sent_for(body, last) else nothing(body)
        batch = threading.Thread(target=run_batch, args=(SEEDS, out, s))
        batch.start()
        try:
            wait_for(lambda: len(written(out)) == 3, 60)
            # the last document's questions were sent with the others and are still unanswered
            wait_for(lambda: sum(sent_for(b, last) for b in fake.requests) == 3, 60)
            wait_for(lambda: fake.answered == 3, 30)  # 003's pick, and its 总计 question asked twice
            # (counted by the server's thread just after it replies: waited for, not raced)
            assert written(out) == [p.name for p in SEEDS[:3]]
        finally:
            gate.set()
            batch.join(60)
    assert written(out) == [p.name for p in SEEDS]
    assert read_records(out)[-1].usage is not None and read_records(out)[-1].usage.calls == 3  # type: ignore[union-attr]


def test_an_interrupted_batch_keeps_its_records_and_the_replies_it_got(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with FakeLLM() as fake:
        s = llm_settings(tmp_path, fake.url)
        last = sections_of(SEEDS[-1], s)
        fake.answer = lambda body: ("hang",) if sent_for(body, last) else nothing(body)

        def stop_at_the_third(done: Finished) -> None:
            if done.document == SEEDS[2].name:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            run_batch(SEEDS, out, s, on_record=stop_at_the_third)
    assert written(out) == [p.name for p in SEEDS[:3]]  # the one in flight is lost, nothing else
    with ResponseCache(tmp_path / "cache.sqlite") as cache:
        tables = {row[0] for row in cache.db.execute("SELECT document FROM replies")}
    assert tables == {SEEDS[0].name}  # 003's valid reply; a re-run asks only for the lost document's questions


def test_a_killed_llm_batch_keeps_its_records_and_a_rerun_asks_only_for_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with FakeLLM() as fake:
        last = sections_of(SEEDS[-1], llm_settings(tmp_path, fake.url))
        fake.answer = lambda body: ("hang",) if sent_for(body, last) else nothing(body)
        env = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
        env.update(HOME=str(tmp_path / "home"), NIANBAO_LLM_BASE_URL=fake.url, NIANBAO_LLM_MODEL="fake",
                   NIANBAO_LLM_RPM="0", NIANBAO_LLM_CACHE=str(tmp_path / "cache.sqlite"))
        cmd = [NIANBAO, "extract", *map(str, SEEDS), "-o", str(out)]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        try:
            wait_for(lambda: len(written(out)) == 3, 120)
            proc.send_signal(signal.SIGTERM)
            _, stderr = proc.communicate(timeout=30)
        finally:
            proc.kill()
        assert proc.returncode == 130, stderr
        assert "interrupted: 3 documents written" in stderr and "in the LLM cache" in stderr
        assert written(out) == [p.name for p in SEEDS[:3]]
        asked = len(fake.requests)
        fake.answer = nothing
        again = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert again.returncode == 0, again.stderr
    assert len(fake.requests) - asked == 3  # only the lost document's three questions (the others' records kept)
    assert written(out) == [p.name for p in SEEDS]


def test_a_bug_while_a_document_is_in_flight_fails_that_document_alone(tmp_path: Path) -> None:
    s = llm_settings(tmp_path, "http://127.0.0.1:9/v1", llm_concurrency=1)  # tables asked in document order
    empty = TableReply(rows={}, raw="{}")
    client = ScriptedClient([empty, RuntimeError("a bug"), empty, empty, empty])  # 003's two, 001's three
    run_batch(SEEDS, tmp_path / "out.jsonl", s, llm=LLMStage(s, client))
    records = read_records(tmp_path / "out.jsonl")
    assert [r.document for r in records] == [p.name for p in SEEDS]
    assert [r.status == "failed" for r in records] == [True, False, False, False]
    assert "internal error" in (records[0].error or "") and "RuntimeError: a bug" in (records[0].error or "")
    assert len(client.requests) == 5
