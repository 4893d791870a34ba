"""The response cache keeps only valid replies, keyed on what changes the reply."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from extractor.llm.cache import CachedClient, ResponseCache
from extractor.llm.client import RecordingMissing, ReplayClient, ScriptedClient, TableReply, save_recording
from extractor.llm.fallback import build_request
from extractor.llm.prompts import PROMPTS_DIR, load_prompt
from extractor.records import Usage

T4 = {"review": [0, 0, 0, 0, 0], "litigation_direct": [0, 0, 0, 0, 0], "litigation_after_review": [0, 0, 0, 0, 0]}
SECTION = "行政复议\n0\t0\t0\t0\t0"


def t4_request(max_reasks: int = 2):  # type: ignore[no-untyped-def]
    return build_request("x.txt", "t4", "2021", SECTION, endpoint="http://127.0.0.1:8000/v1", model="m",
                         prompt_version="v1", max_reasks=max_reasks)


def answer(valid: bool = True) -> TableReply:
    return TableReply(rows=T4, raw=json.dumps(T4), usage=Usage(calls=1, input_tokens=10), valid=valid)


@pytest.mark.asyncio
async def test_a_reply_that_failed_validation_is_not_cached(tmp_path: Path) -> None:
    inner = ScriptedClient([answer(valid=False), answer()])
    client = CachedClient(inner, ResponseCache(tmp_path / "c.sqlite"))
    first = await client.read_table(t4_request())
    second = await client.read_table(t4_request())  # asked again: the broken reply was not kept
    third = await client.read_table(t4_request())  # the valid one was
    assert (first.valid, first.cached, second.valid, second.cached, third.cached) == (False, False, True, False, True)
    assert len(inner.requests) == 2


@pytest.mark.asyncio
async def test_another_prompt_text_or_reask_count_misses_the_cache(tmp_path: Path) -> None:
    edited = tmp_path / "prompts"
    shutil.copytree(PROMPTS_DIR, edited)
    prompt_file = edited / "table4.v1.md"
    prompt_file.write_text(prompt_file.read_text("utf-8").replace("## user", "## user\nRead carefully.", 1), "utf-8")
    base = t4_request()
    reworded = replace(base, messages=load_prompt("t4", "v1", edited).render("t4", "2021", SECTION))
    assert reworded.prompt == base.prompt == "table4@v1"  # the same version label
    cache = ResponseCache(tmp_path / "c.sqlite")
    inner = ScriptedClient([answer(), answer(), answer()])
    client = CachedClient(inner, cache)
    for request in (base, reworded, replace(base, max_reasks=0)):
        assert cache.get(request) is None
        await client.read_table(request)
        assert cache.get(request) is not None
    assert len(inner.requests) == 3
    assert cache.get(replace(base, section_text=SECTION)) is not None  # the same request still hits


@pytest.mark.asyncio
async def test_recordings_carry_the_new_key_and_older_ones_replay_by_theirs(tmp_path: Path) -> None:
    request = t4_request()
    path = save_recording(tmp_path, request, answer())
    entry = json.loads(path.read_text("utf-8"))
    assert path.stem == request.cache_key() == entry["key"] and entry["max_reasks"] == 2
    reworded = replace(request, messages=(("system", "other words"), request.messages[1]))
    replay = ReplayClient(tmp_path)
    assert (await replay.read_table(request)).rows == T4
    with pytest.raises(RecordingMissing):  # a new recording is not found by its legacy key
        await replay.read_table(reworded)
    # a recording from before the prompt's text was in the key: found by the key it was saved under
    del entry["prompt_sha256"], entry["max_reasks"]
    path.unlink()
    (tmp_path / f"{request.legacy_key()}.json").write_text(json.dumps(entry), "utf-8")
    assert (await replay.read_table(reworded)).rows == T4
    assert replay.used == {request.cache_key(), request.legacy_key()}
