"""Synthetic goldens: random reports whose tables add up, for benchmarks and large test corpora."""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..template import APPLICANTS, T4_COLUMNS, T4_GROUPS, t3_rows
from .layouts import blank_golden

AGENCIES = ("杭州市教育局", "郑州市财政局", "乐清市人力资源和社会保障局", "鹤岗市自然资源局",
            "永康市卫生健康委员会", "成都市生态环境局", "南宁市住房和城乡建设局", "大连市交通运输局")


@dataclass(frozen=True)
class Scale:
    """The counts a generated report draws from (each tuple is sampled uniformly, so repeats weigh)."""

    person: tuple[int, ...]
    """A 办理结果 count of the 自然人 column."""
    org: tuple[int, ...]
    """A 办理结果 count of an organisation column that has requests at all."""
    org_active: float
    """The chance an organisation column has requests."""
    forward: tuple[int, ...]
    carried: tuple[int, ...]
    t4: tuple[int, ...]


SMALL = Scale(person=(0, 0, 0, 1, 2, 5, 13), org=(0, 0, 0, 1, 2, 5, 13), org_active=0.3,
              forward=(0, 0, 1), carried=(0, 0, 1, 2), t4=(0, 0, 0, 1, 2))
LARGE = Scale(person=(0,) * 8 + (1, 2, 3, 6, 12, 17, 25, 38, 64, 103, 251),
              org=(0,) * 6 + (1, 2, 3, 4, 11, 16, 30), org_active=0.5,
              forward=(0, 0, 1, 3, 12, 27), carried=(0, 0, 2, 5, 14, 31), t4=(0, 0, 0, 1, 2, 3, 7, 12, 21))
"""A city bureau's report: hundreds of requests, so rows such as 12,3,0,0,0,1,16 print runs of digits that
a flattened page (``123000116``) leaves open to several splits."""


def random_golden(rng: random.Random, edition: str | None = None, *, large: bool = False) -> dict[str, object]:
    """A golden whose every identity holds; most cells zero, as in real reports.

    ``large`` draws multi-digit counts (``LARGE``); the default draws small ones. Section 二 follows
    what reports print (``section_two``) either way.
    """
    scale = LARGE if large else SMALL
    edition = edition or rng.choice(("2019", "2021"))
    cells = blank_golden(edition, agency=rng.choice(AGENCIES),
                         year=rng.randint(2019, 2020) if edition == "2019" else rng.randint(2021, 2024))
    outcome_keys = [r.key for r in t3_rows(edition)
                    if r.key not in ("new", "carried_over", "total", "carried_forward")]
    for col in APPLICANTS:
        person = col == "natural_person"
        active = person or rng.random() < scale.org_active
        draws = scale.person if person else scale.org
        counts = {k: (rng.choice(draws) if active else 0) for k in outcome_keys}
        total = sum(counts.values())
        forward = rng.choice(scale.forward) if active else 0
        carried = min(rng.choice(scale.carried), total + forward) if active else 0
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
        parts = [rng.choice(scale.t4) for _ in T4_COLUMNS[:-1]]
        for c, v in zip(T4_COLUMNS[:-1], parts, strict=True):
            cells[f"t4.{g}.{c}"] = v
        cells[f"t4.{g}.total"] = sum(parts)
    cells.update(section_two(rng, edition))
    return cells


def section_two(rng: random.Random, edition: str) -> dict[str, object]:
    """Section 二 as reports print it: few documents issued in a year, more in force; few rules
    (only governments make 规章); decisions by the hundred or thousand; small signed changes."""
    out: dict[str, object] = {}
    documents = (0, 0, 1, 2, 3, 5, 8, 12, 20, 31)
    for row in ("rules", "normative"):
        quiet = row == "rules" and rng.random() < 0.85
        made = 0 if quiet else rng.choice(documents)
        if edition == "2021":
            out |= {f"t2.{row}.issued": made, f"t2.{row}.repealed": 0 if quiet else rng.choice((0, 0, 1, 2, 3, 7)),
                    f"t2.{row}.in_force": made + (0 if quiet else rng.choice((0, 3, 10, 25, 60, 140)))}
        else:
            published = made if rng.random() < 0.8 else rng.randint(0, made)
            out |= {f"t2.{row}.new_made": made, f"t2.{row}.new_published": published,
                    f"t2.{row}.total_published": published + (0 if quiet else rng.choice((0, 5, 20, 80)))}
    decisions = (0, 0, 0, 3, 17, 62, 551, 4303)
    if edition == "2021":
        for row in ("licensing", "punishment", "coercion"):
            out[f"t2.{row}.decisions"] = rng.choice(decisions)
        out["t2.fees.amount"] = rng.choice((0, 0, 0, 7, 3.65, 282.1))
        return out
    for row in ("licensing", "other_services", "punishment", "coercion"):
        out |= {f"t2.{row}.prev_items": rng.choice((0, 0, 2, 4, 12, 35, 120)),
                f"t2.{row}.change": rng.choice((0, 0, 0, 1, -1, 2, -3, 5)),
                f"t2.{row}.decisions": rng.choice(decisions)}
    out |= {"t2.fees.prev_items": rng.choice((0, 1, 2, 4)), "t2.fees.change": rng.choice((0, 0, 0, -1, 1)),
            "t2.procurement.items": rng.choice((0, 0, 3, 12, 32)),
            "t2.procurement.amount": rng.choice((0, 7, 3.65, 199.927, 1234.5))}
    return out
