"""What one table may cost: one layer of transport retries, re-asks counted apart, one deadline."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DOCS
from fake_llm_server import FakeLLM, tool_reply

from extractor.batch import run_batch
from extractor.batch.writers import read_records
from extractor.config import Settings
from extractor.errors import LLMTransportError
from extractor.llm.cache import ResponseCache
from extractor.llm.fallback import build_request
from extractor.llm.openai_client import OpenAICompatibleClient
from extractor.llm.schemas import row_layout
from extractor.pipeline import extract_file

SEED_001 = DOCS / "001_c9c993418e881905.txt"
SEED_004 = DOCS / "004_fb0219a4b427aef6.txt"
GOOD_T4 = {"review": [0, 0, 0, 0, 0], "litigation_direct": [0, 0, 0, 0, 0],
           "litigation_after_review": [0, 0, 0, 0, 0]}


def llm_settings(tmp_path: Path, url: str, **kw: object) -> Settings:
    base: dict[str, object] = dict(llm="fallback", llm_base_url=url, llm_model="fake", llm_rpm=0,
                                   llm_cache=str(tmp_path / "cache.sqlite"))
    base.update(kw)
    return Settings(**base)  # type: ignore[arg-type]


def t4_request(max_reasks: int = 1):  # type: ignore[no-untyped-def]
    return build_request("x.txt", "t4", "2021", "行政复议\n0\t0\t0\t0\t0", endpoint="e", model="fake",
                         prompt_version="v1", max_reasks=max_reasks)


@pytest.mark.asyncio
@pytest.mark.parametrize("retries", [0, 2])
async def test_server_errors_are_retried_by_one_layer_only(retries: int) -> None:
    with FakeLLM() as fake:  # an empty script answers every request with HTTP 500
        client = OpenAICompatibleClient(fake.url, "k", timeout=5.0, retries=retries)
        with pytest.raises(LLMTransportError, match=f"HTTP 500.*after {retries + 1} tries") as raised:
            await client.read_table(t4_request(max_reasks=2))
    assert len(fake.requests) == retries + 1  # not (retries + 1) × our tries × instructor's re-asks
    assert raised.value.attempts == retries + 1


def test_the_retries_setting_reaches_the_wire_and_the_table_is_flagged(tmp_path: Path) -> None:
    with FakeLLM() as fake:
        s = llm_settings(tmp_path, fake.url, llm_retries=1)
        run_batch([SEED_001], tmp_path / "out.jsonl", s)
    assert len(fake.requests) == 6  # 001's three gap questions, each tried twice
    (record,) = read_records(tmp_path / "out.jsonl")
    assert "llm_failed" in record.cells["t3.new.natural_person"].flags


@pytest.mark.asyncio
async def test_transport_retries_and_reasks_are_counted_apart() -> None:
    with FakeLLM() as fake:
        fake.script.extend([("status", 503), ("json", tool_reply({"review": [1, 2]})),  # off-schema: re-asked
                            ("status", 429), ("json", tool_reply(GOOD_T4))])
        client = OpenAICompatibleClient(fake.url, "k", timeout=5.0, retries=2)
        reply = await client.read_table(t4_request(max_reasks=2))
    assert len(fake.requests) == 4
    assert reply.valid and reply.attempts == 2
    assert (reply.usage.calls, reply.usage.reasks, reply.usage.transport_retries) == (2, 1, 2)
    assert reply.usage.input_tokens == 200


def test_a_table_never_answered_is_skipped_at_its_deadline_and_every_record_is_written(tmp_path: Path) -> None:
    with FakeLLM() as fake:
        fake.answer = lambda body: ("hang",)
        s = llm_settings(tmp_path, fake.url, llm_table_deadline=2.0)
        summary = run_batch([SEED_001, SEED_004], tmp_path / "out.jsonl", s)
        assert len(fake.requests) == 3 and fake.answered == 0  # 001's three gap questions; 004 has none
    records = {r.document: r for r in read_records(tmp_path / "out.jsonl")}
    assert summary.documents == 2 and set(records) == {SEED_001.name, SEED_004.name}
    for doc, rows in ((SEED_001, ["new", "partial", "total"]), (SEED_004, [])):
        record, rules = records[doc.name], extract_file(doc, Settings())
        assert {c: cell.value for c, cell in record.cells.items()} == {c: cell.value for c, cell in rules.cells.items()}
        layout = row_layout("t3", record.template or "")
        skipped = {c for c, cell in record.cells.items() if "llm_skipped" in cell.flags}
        assert skipped == {c for row in rows for c in layout[row]}, doc.name
        for row in rows:
            assert any(n.startswith(f"LLM t3 (gap pick {row})") and "deadline passed" in n for n in record.notes)
    with ResponseCache(tmp_path / "cache.sqlite") as cache:
        assert cache.db.execute("SELECT count(*) FROM replies").fetchone()[0] == 0


def test_the_deadline_and_the_retries_are_settings() -> None:
    assert (Settings().llm_table_deadline, Settings().llm_retries) == (900.0, 2)
    s = Settings.from_env({"NIANBAO_LLM_TABLE_DEADLINE": "2.5", "NIANBAO_LLM_RETRIES": "0"})
    assert (s.llm_table_deadline, s.llm_retries) == (2.5, 0)
