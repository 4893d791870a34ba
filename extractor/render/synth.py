"""Synthetic goldens: random reports whose tables add up, for benchmarks and large test corpora."""

from __future__ import annotations

import random

from ..template import APPLICANTS, T4_COLUMNS, T4_GROUPS, cells_for, t3_rows
from .layouts import blank_golden

AGENCIES = ("杭州市教育局", "郑州市财政局", "乐清市人力资源和社会保障局", "鹤岗市自然资源局",
            "永康市卫生健康委员会", "成都市生态环境局", "南宁市住房和城乡建设局", "大连市交通运输局")


def random_golden(rng: random.Random, edition: str | None = None) -> dict[str, object]:
    """A golden whose every identity holds; most cells zero, as in real reports."""
    edition = edition or rng.choice(("2019", "2021"))
    cells = blank_golden(edition, agency=rng.choice(AGENCIES),
                         year=rng.randint(2019, 2020) if edition == "2019" else rng.randint(2021, 2024))
    outcome_keys = [r.key for r in t3_rows(edition)
                    if r.key not in ("new", "carried_over", "total", "carried_forward")]
    for col in APPLICANTS:
        active = col == "natural_person" or rng.random() < 0.3
        counts = {k: (rng.choice((0, 0, 0, 1, 2, 5, 13)) if active else 0) for k in outcome_keys}
        total = sum(counts.values())
        forward = rng.choice((0, 0, 1)) if active else 0
        carried = min(rng.choice((0, 0, 1, 2)), total + forward) if active else 0
        new = total + forward - carried
        for k, v in counts.items():
            cells[f"t3.{k}.{col}"] = v
        cells[f"t3.total.{col}"] = total
        cells[f"t3.new.{col}"] = new
        cells[f"t3.carried_over.{col}"] = carried
        cells[f"t3.carried_forward.{col}"] = forward
    for r in t3_rows(edition):
        cells[f"t3.{r.key}.total"] = sum(int(str(cells[f"t3.{r.key}.{a}"])) for a in APPLICANTS)
    for g in T4_GROUPS:
        parts = [rng.choice((0, 0, 0, 1, 2)) for _ in T4_COLUMNS[:-1]]
        for c, v in zip(T4_COLUMNS[:-1], parts, strict=True):
            cells[f"t4.{g}.{c}"] = v
        cells[f"t4.{g}.total"] = sum(parts)
    for cid in cells_for(edition):
        if cid.startswith("t2."):
            if cid.endswith(".amount"):
                cells[cid] = rng.choice((0, 0, 7, 3.65, 199.927))
            elif cid.endswith(".change"):
                cells[cid] = rng.choice((0, 0, 1, -2))
            else:
                cells[cid] = rng.choice((0, 0, 1, 4, 19, 551, 4303))
    return cells
