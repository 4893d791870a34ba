"""Generated report corpora for batch and service tests (text layouts of random goldens)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from extractor.render import LAYOUTS, render
from extractor.render.synth import random_golden

TEXT_LAYOUTS = [layout for layout in LAYOUTS.values() if layout.kind != "html"]


def make_corpus(folder: Path, n: int, seed: int = 3) -> list[Path]:
    """``n`` generated reports in the text and HTML layouts, named in a stable order."""
    rng = random.Random(seed)
    layouts = list(LAYOUTS.values())
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        layout = layouts[i % len(layouts)]
        path = folder / f"{i:05d}_{layout.name}{layout.suffix}"
        path.write_bytes(render(random_golden(rng), layout))
        paths.append(path)
    return paths


def comparable(jsonl: Path) -> list[dict[str, object]]:
    """The records of a JSONL file without their timings, in file order."""
    out = []
    for line in jsonl.read_text("utf-8").splitlines():
        record = json.loads(line)
        record.pop("seconds", None)
        out.append(record)
    return out
