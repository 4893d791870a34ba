"""Generated report corpora for batch and service tests (text layouts of random goldens), and the generated
goldens the web layouts are tried on."""

from __future__ import annotations

import json
import random
from pathlib import Path

from extractor.render import LAYOUTS
from extractor.render.corpus import make_corpus  # noqa: F401 - the batch tests' corpus, here with the rest
from extractor.render.synth import random_golden

TEXT_LAYOUTS = [layout for layout in LAYOUTS.values() if layout.kind != "html"]


def comparable(jsonl: Path) -> list[dict[str, object]]:
    """The records of a JSONL file without their timings, in file order."""
    out = []
    for line in jsonl.read_text("utf-8").splitlines():
        record = json.loads(line)
        record.pop("seconds", None)
        out.append(record)
    return out


WEB_SYNTHETIC = [(seed, ("2019", "2021")[seed % 2], seed >= 10) for seed in range(20)]
"""(seed, edition, large): the generated goldens every web layout is tried on — both editions, half of
them with multi-digit counts whose flattened digit runs can split more than one way."""


def web_golden(seed: int, edition: str, large: bool) -> dict[str, object]:
    return random_golden(random.Random(seed), edition, large=large)


CUT_SYNTHETIC = [(seed, ("2019", "2021")[seed % 2], seed >= 6) for seed in range(10)]
"""(seed, edition, large): the generated goldens the cut and odd layouts are tried on — both editions, four of
them with multi-digit counts."""
