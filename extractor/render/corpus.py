"""A folder of generated reports (random goldens rendered in the text and HTML layouts in turn), for the
batch and cluster tests and the benchmarks: the same documents for the same ``n`` and ``seed``."""

from __future__ import annotations

import random
from pathlib import Path

from .layouts import LAYOUTS, render
from .synth import random_golden


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
