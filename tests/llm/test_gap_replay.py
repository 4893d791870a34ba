"""Gap questions against recorded replies of the real local models (Qwen2.5-Coder 0.5B and 1.5B).

Recorded once on the hard-layout gap set (``eval/gap_set.py``) with
``nianbao eval --docs SET/docs --goldens SET --config rule-qwen-1_5b --record tests/recordings/gaps``;
replayed here with no server: prompt, schema, parsing, grounding, identities and the gap-filling
counts all run on what the models said. Every recording must be used (a stale one fails).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from conftest import ROOT

from extractor.config import Settings
from extractor.llm.client import ReplayClient
from extractor.llm.stage import LLMStage
from extractor.pipeline import extract_file
from extractor.scoring.configs import load_configs
from extractor.scoring.gap_fill import gap_fill
from extractor.scoring.goldens import load_goldens

RECORDINGS = ROOT / "tests" / "recordings" / "gaps"
CONFIGS = load_configs(ROOT / "eval" / "configs.toml")
FILL_AT_LEAST = {"rule-qwen-0_5b": 0.65, "rule-qwen-1_5b": 0.75}
"""Below what was measured when recording (README, eval/runs/llm-gaps): a change that loses fills fails."""


@pytest.fixture(scope="module")
def gap_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.spec_from_file_location("gap_set", ROOT / "eval" / "gap_set.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("gap_set")
    module.build(out)
    return out


@pytest.mark.parametrize("name", sorted(FILL_AT_LEAST))
def test_recorded_gap_answers_fill_gaps_with_no_silent_error(name: str, gap_set: Path) -> None:
    config = CONFIGS[name]
    assert config.llm is not None
    mine = {p.stem for p in RECORDINGS.glob("*.json")
            if json.loads(p.read_text("utf-8"))["model"] == config.llm.model}
    assert mine, f"no recordings of {config.llm.model} in {RECORDINGS}"
    settings = Settings(**config.settings_overrides(), llm_replay=str(RECORDINGS))
    client = ReplayClient(RECORDINGS)
    stage = LLMStage(settings, client)
    records = [extract_file(doc, settings, stage) for doc in sorted((gap_set / "docs").iterdir())]
    rules = {r.document: r for r in (extract_file(doc, Settings()) for doc in sorted((gap_set / "docs").iterdir()))}
    goldens = load_goldens(gap_set)
    g = gap_fill(records, goldens)
    assert g.filled_wrong_silent == 0
    assert g.fill_rate is not None and g.fill_rate >= FILL_AT_LEAST[name], g
    assert not any("llm_failed" in c.flags for r in records for c in r.cells.values())
    for record in records:  # only gap cells change; every other cell is the rules' own
        before = rules[record.document]
        changed = {c for c, cell in record.cells.items() if cell.value != before.cells[c].value}
        assert all((record.cells[c].prompt or "").startswith("gap@") for c in changed), record.document
    assert mine - client.used == set(), "recordings not used by the replay: stale, re-record them"
