"""The LLM path against recorded replies of a real model (Qwen2.5-Coder via llama.cpp).

The replies were recorded once from the local server (`nianbao eval --config
llm-qwen-… --record tests/recordings`); here they are replayed, so the whole
path — prompt, schema, parsing, grounding, merging, checks — runs on what a
real model said, with no server. Every recording must be used: a stale one
fails the test.
"""

from __future__ import annotations

import json

import pytest
from conftest import DOCS, ROOT, load_golden, same

from extractor.llm.client import ReplayClient
from extractor.llm.stage import LLMStage
from extractor.pipeline import extract_file
from extractor.scoring.configs import load_configs

RECORDINGS = ROOT / "tests" / "recordings"
SEEDS = ["001_c9c993418e881905.txt", "003_c676913514f69321.txt", "004_fb0219a4b427aef6.txt"]
CONFIGS = load_configs(ROOT / "eval" / "configs.toml")


def _recorded_models() -> set[str]:
    return {json.loads(p.read_text("utf-8"))["model"] for p in RECORDINGS.glob("*.json")}


@pytest.mark.parametrize("name", ["llm-qwen-0_5b", "llm-qwen-1_5b"])
def test_forced_llm_replay_has_no_unflagged_wrong_llm_number(name: str) -> None:
    from extractor.config import Settings

    config = CONFIGS[name]
    assert config.llm is not None
    assert config.llm.model in _recorded_models(), f"no recordings of {config.llm.model} in {RECORDINGS}"
    settings = Settings(**config.settings_overrides(), llm_replay=str(RECORDINGS))
    client = ReplayClient(RECORDINGS)
    stage = LLMStage(settings, client)
    llm_cells = 0
    for doc in SEEDS:
        record = extract_file(DOCS / doc, settings, stage)
        golden = load_golden(doc)
        for cid, want in golden.items():
            cell = record.cells[cid]
            if cell.method.value == "llm":
                llm_cells += 1
            if not same(cell.value, want):
                assert cell.flags, f"{doc} {cid}: got {cell.value}, golden {want}, unflagged ({cell.method})"
        if doc.startswith("004"):
            assert all(record.cells[c].value is None for c, v in golden.items() if v is None)
        assert record.usage and record.usage.calls >= 1
    assert llm_cells > 0
    mine = {p.stem for p in RECORDINGS.glob("*.json")
            if json.loads(p.read_text("utf-8"))["model"] == config.llm.model}
    assert mine - client.used == set(), "recordings not used by the replay: stale, re-record them"


def test_with_a_pool_the_rules_run_in_its_workers_and_the_llm_here_with_the_same_records(tmp_path) -> None:
    """The service's way: worker processes read each document (bounded in time and memory), this process
    asks the model; the records are those of reading here."""
    import hostile

    from extractor.batch import extract_stream
    from extractor.batch.pool import RulePool
    from extractor.config import Settings

    settings = Settings(**CONFIGS["llm-qwen-0_5b"].settings_overrides(), llm_replay=str(RECORDINGS))
    items = [DOCS / doc for doc in SEEDS] + [hostile.many_pages_pdf(tmp_path)]
    here = [json.loads(f.line) for f in extract_stream(items, settings, LLMStage(settings, ReplayClient(RECORDINGS)))]
    with RulePool(settings, 2) as pool:
        there = [json.loads(f.line) for f in extract_stream(
            items, settings, LLMStage(settings, ReplayClient(RECORDINGS)), pool=pool)]
    for record in here + there:
        record.pop("seconds")
    assert there == here
    assert here[0]["usage"]["calls"] >= 1 and "over the limit of 300" in here[-1]["error"]
