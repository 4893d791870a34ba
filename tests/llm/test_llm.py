"""The LLM fallback: routing, grounding, merging, cache, budget and faults on the wire."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from conftest import DOCS, load_golden
from fake_llm_server import FakeLLM, tool_reply

from extractor.config import Settings
from extractor.errors import LLMTransportError
from extractor.llm.cache import CachedClient, ResponseCache
from extractor.llm.client import ScriptedClient, TableReply
from extractor.llm.openai_client import OpenAICompatibleClient
from extractor.llm.schemas import row_layout
from extractor.llm.stage import LLMStage
from extractor.pipeline import extract_file
from extractor.records import Usage

SEED_001 = DOCS / "001_c9c993418e881905.txt"
SEED_003 = DOCS / "003_c676913514f69321.txt"
SEED_004 = DOCS / "004_fb0219a4b427aef6.txt"


def rows(cells: dict[str, object], table: str, edition: str,
         **override: list[float] | None) -> dict[str, list[float] | None]:
    out: dict[str, list[float] | None] = {}
    for key, ids in row_layout(table, edition).items():
        values = [cells.get(c) for c in ids]
        out[key] = None if any(v is None for v in values) else [float(v) for v in values]  # type: ignore[arg-type]
    out.update(override)
    return out


def reply(r: dict[str, list[float] | None], tokens: int = 100) -> TableReply:
    return TableReply(rows=r, raw=json.dumps(r), usage=Usage(calls=1, input_tokens=tokens, output_tokens=tokens))


def settings(tmp_path: Path, **kw: object) -> Settings:
    base: dict[str, object] = dict(llm="fallback", llm_base_url="http://127.0.0.1:9/v1", llm_model="m",
                                   llm_cache=str(tmp_path / "cache.sqlite"))
    base.update(kw)
    return Settings(**base)  # type: ignore[arg-type]


def choice(n: int) -> TableReply:
    return reply({"choice": [float(n)]}, tokens=10)


def test_only_the_gaps_are_asked_each_with_its_own_lines(tmp_path: Path) -> None:
    golden = load_golden(SEED_001.name)
    client = ScriptedClient([choice(1), choice(1), choice(1)])
    record = extract_file(SEED_001, settings(tmp_path), LLMStage(settings(tmp_path), client))
    # 001's rows 新收, 部分公开 and 总计 each read 6 ways: three questions, each with its row's line
    assert [(r.table, r.rows, r.choices) for r in client.requests] == [
        ("t3", ("new",), 6), ("t3", ("partial",), 6), ("t3", ("total",), 6)]
    first = client.requests[0]
    assert first.section_text.startswith("一、本年新收政府信息公开申请数量") and "\n" not in first.section_text
    assert first.prompt == "gap@v1" and "1: [1, 0, 0, 0, 0, 0, 1]" in first.messages[1][1]
    cell = record.cells["t3.new.natural_person"]
    assert cell.value == golden["t3.new.natural_person"] == 1 and cell.method.value == "llm"
    # the identities hold for every reading: the pick is kept, flagged, with the other readings
    assert "llm_unconfirmed" in cell.flags and "ambiguous_alignment" not in cell.flags
    assert record.usage is not None and record.usage.calls == 3


def test_a_forced_disagreement_keeps_both_values_and_is_flagged(tmp_path: Path) -> None:
    golden = load_golden(SEED_001.name)
    moved = [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0]
    s = settings(tmp_path, llm="force")
    client = ScriptedClient([reply(rows(golden, "t2", "2021")),
                             reply(rows(golden, "t3", "2021", new=moved, partial=moved, total=moved)),
                             reply(rows(golden, "t4", "2021"))])
    record = extract_file(SEED_001, s, LLMStage(s, client))
    cell = record.cells["t3.new.commercial"]
    assert "llm_disagrees" in cell.flags
    assert cell.alternatives == {"rule": 0, "llm": 1}


def test_nothing_is_asked_of_a_table_the_page_cuts_off(tmp_path: Path) -> None:
    client = ScriptedClient([])
    record = extract_file(SEED_004, settings(tmp_path), LLMStage(settings(tmp_path), client))
    rules = extract_file(SEED_004, Settings())
    assert client.requests == [] and record.usage is None
    assert {c: x.value for c, x in record.cells.items()} == {c: x.value for c, x in rules.cells.items()}


def test_forced_llm_values_are_grounded_and_checked(tmp_path: Path) -> None:
    golden = load_golden(SEED_003.name)
    t3 = rows(golden, "t3", "2019", granted=[15.0, 0, 0, 0, 0, 0, 51.0])  # 51: not in the text
    client = ScriptedClient([reply(rows(golden, "t2", "2019")), reply(t3), reply(rows(golden, "t4", "2019"))])
    s = settings(tmp_path, llm="force")
    record = extract_file(SEED_003, s, LLMStage(s, client))
    bad = record.cells["t3.granted.total"]
    assert bad.value == 51 and bad.method.value == "llm"
    assert {"not_in_source", "llm_disagrees", "checksum_failed"} <= set(bad.flags)
    good = record.cells["t2.procurement.amount"]
    assert good.value == pytest.approx(199.927) and good.method.value == "llm" and good.prompt == "table2@v1"
    assert good.evidence is not None and "199.927" in good.evidence.text


def test_a_second_run_is_answered_by_the_cache(tmp_path: Path) -> None:
    s = settings(tmp_path)
    cache = ResponseCache(tmp_path / "c.sqlite")
    inner = ScriptedClient([choice(1), choice(2), choice(1)])
    first = extract_file(SEED_001, s, LLMStage(s, CachedClient(inner, cache)))
    second = extract_file(SEED_001, s, LLMStage(s, CachedClient(inner, cache)))
    assert first.usage and first.usage.calls == 3
    assert second.usage and second.usage.calls == 0 and second.usage.cached_calls == 3
    assert len(inner.requests) == 3
    assert second.cells["t3.partial.commercial"].value == first.cells["t3.partial.commercial"].value == 1
    assert second.cells["t3.new.natural_person"].value == first.cells["t3.new.natural_person"].value


def test_a_spent_budget_flags_the_remaining_tables_without_dropping_them(tmp_path: Path) -> None:
    golden = load_golden(SEED_003.name)
    s = settings(tmp_path, llm="force", llm_budget_tokens_batch=150, llm_concurrency=1)
    client = ScriptedClient([reply(rows(golden, "t2", "2019"), tokens=100)])
    record = extract_file(SEED_003, s, LLMStage(s, client))
    assert len(client.requests) == 1
    cell = record.cells["t3.new.natural_person"]
    assert cell.value == 17 and "llm_skipped" in cell.flags
    assert any("budget" in n for n in record.notes)


# ---------------------------------------------------------------- the wire


def _request(table: str = "t4"):  # type: ignore[no-untyped-def]
    from extractor.llm.fallback import build_request

    return build_request("x.txt", table, "2021", "行政复议\n0\t0\t0\t0\t0", endpoint="e", model="fake",
                         prompt_version="v1", max_reasks=1)


GOOD_T4 = {"review": [0, 0, 0, 0, 0], "litigation_direct": [0, 0, 0, 0, 0],
           "litigation_after_review": [0, 0, 0, 0, 0]}


async def _read(fake: FakeLLM, **kw: object) -> TableReply:
    client = OpenAICompatibleClient(fake.url, "sk-test", timeout=2.0, retries=2, **kw)  # type: ignore[arg-type]
    return await client.read_table(_request())


@pytest.mark.asyncio
async def test_429_and_500_are_retried_apart_from_reasks() -> None:
    with FakeLLM() as fake:
        fake.script.extend([("status", 429), ("status", 500), ("json", tool_reply(GOOD_T4))])
        r = await _read(fake)
    assert r.valid and r.usage.transport_retries == 2 and r.usage.reasks == 0
    assert r.rows["review"] == [0, 0, 0, 0, 0]


@pytest.mark.asyncio
async def test_persistent_server_errors_raise_a_transport_error() -> None:
    with FakeLLM() as fake:
        fake.script.extend([("status", 500)] * 3)
        with pytest.raises(LLMTransportError, match="after 3 tries"):
            await _read(fake)


@pytest.mark.asyncio
async def test_a_slow_response_times_out_and_is_retried() -> None:
    with FakeLLM() as fake:
        fake.script.extend([("sleep", 3.0, tool_reply(GOOD_T4)), ("json", tool_reply(GOOD_T4))])
        r = await _read(fake)
    assert r.valid and r.usage.transport_retries >= 1


@pytest.mark.asyncio
async def test_malformed_and_off_schema_json_are_reasked() -> None:
    with FakeLLM() as fake:
        fake.script.extend([("json", tool_reply("{not json")),
                            ("json", tool_reply({"review": [1, 2]})),
                            ("json", tool_reply(GOOD_T4))])
        client = OpenAICompatibleClient(fake.url, "k", timeout=5.0, retries=0)
        request = _request()
        from dataclasses import replace

        r = await client.read_table(replace(request, max_reasks=2))
    assert r.valid and r.attempts == 3 and r.usage.reasks == 2
    assert r.usage.input_tokens == 300


@pytest.mark.asyncio
async def test_an_identity_failure_is_reasked_quoting_it() -> None:
    wrong = dict(GOOD_T4, review=[2, 1, 0, 0, 0])
    with FakeLLM() as fake:
        fake.script.extend([("json", tool_reply(wrong)), ("json", tool_reply(wrong))])
        client = OpenAICompatibleClient(fake.url, "k", timeout=5.0, retries=0)
        r = await client.read_table(_request())
        reask = json.dumps(fake.requests[-1]["messages"], ensure_ascii=False)
    assert not r.valid and r.attempts == 2
    assert "总计 = 维持 + 纠正 + 其他 + 尚未审结: 0 vs 3" in reask


def test_the_api_key_never_lands_on_disk_or_in_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    secret = "sk-NIANBAO-SECRET-4242"
    golden = load_golden(SEED_001.name)
    t3 = {k: None if v is None else [int(x) for x in v] for k, v in rows(golden, "t3", "2021").items()}
    caplog.set_level(logging.DEBUG)
    with FakeLLM() as fake:
        fake.script.extend([("status", 500), ("json", tool_reply(t3))])
        s = settings(tmp_path, llm_base_url=fake.url, llm_api_key=secret, llm_timeout=5.0)
        from extractor.batch import run_batch

        out = tmp_path / "out.jsonl"
        run_batch([SEED_001], out, s)
        assert any(secret in v for h in fake.headers for k, v in h.items() if k.lower() == "authorization")
    from extractor.llm.client import save_recording
    from extractor.llm.fallback import build_request

    save_recording(tmp_path / "rec", build_request("d", "t4", "2021", "x", endpoint=fake.url, model="m",
                                                   prompt_version="v1", max_reasks=0), TableReply(GOOD_T4, "{}"))
    assert secret not in repr(s) and secret not in caplog.text
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def test_extract_cli_shows_a_second_run_answered_from_the_cache(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from extractor.cli import main

    with FakeLLM() as fake:
        fake.script.extend([("json", tool_reply({"choice": 1}))] * 3)
        env = {"NIANBAO_LLM_BASE_URL": fake.url, "NIANBAO_LLM_MODEL": "fake",
               "NIANBAO_LLM_CACHE": str(tmp_path / "cache.sqlite")}
        runs = [CliRunner().invoke(main, ["extract", str(SEED_001), "-o", str(tmp_path / f"r{i}.jsonl"), *extra],
                                   env=env) for i, extra in enumerate([[], [], ["--llm", "none"]])]
        first, second, none = runs
        assert len(fake.requests) == 3
    assert first.exit_code == 0, first.output
    assert "LLM: 3 calls, 0 answered from the cache" in first.output
    assert "LLM: 0 calls, 3 answered from the cache" in second.output
    assert "LLM:" not in none.output
