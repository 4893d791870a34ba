"""The witnesses on a rendered series: a synthetic agency's five years extracted and checked across years,
clean and with coherent corruptions in one year's table (the narrative stating the true numbers). Every
corruption that breaks a narrative or cross-year identity must be flagged, and nothing on the clean series.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..corruptions import coherent_corruptions
from ..crossyear import check_series
from ..crossyear.chain import PAIRS
from ..pipeline import extract_bytes
from ..records import Flag, Record
from ..template import OUTCOME_KEYS, t3_rows
from .series import agency_series, render_stated

WITNESS_FLAGS = frozenset({Flag.NARRATIVE_MISMATCH.value, Flag.CROSS_YEAR_MISMATCH.value})


@dataclass
class SeriesStudy:
    documents: int = 0
    flags_on_clean: list[str] = field(default_factory=list)
    """Witness flags on the clean series (must be none)."""
    injected: int = 0
    """Coherent corruptions injected into the series' tables."""
    breaking: int = 0
    """Of those, corruptions that break a narrative or cross-year identity."""
    caught: int = 0
    """Of those, corruptions with every broken identity's cells flagged."""
    missed: list[str] = field(default_factory=list)


def series_study(seed: int = 1, years: int = 5) -> SeriesStudy:
    """A synthetic agency's series, extracted and checked clean, then once per corruption of one year."""
    rng = random.Random(seed)
    series = agency_series(rng, "示例市交通运输局", 2021, years)
    study = SeriesStudy(documents=years)
    clean = _extract_series(series, series, seed)
    study.flags_on_clean = [f"{r.document} {k}: {', '.join(c.flags)}" for r in clean
                            for k, c in r.cells.items() if WITNESS_FLAGS & set(c.flags)]
    for i, year_cells in enumerate(series):
        for corruption in coherent_corruptions(year_cells, "2021"):
            study.injected += 1
            tables = [*series[:i], corruption.cells, *series[i + 1:]]
            expected = broken_witnesses(tables, series, i)
            if not expected:
                continue
            study.breaking += 1
            records = _extract_series(tables, series, seed)
            flagged = {(j, k) for j, r in enumerate(records) for k, c in r.cells.items()
                       if WITNESS_FLAGS & set(c.flags)}
            unflagged = [group for group in expected if not group & flagged]
            if unflagged:
                study.missed.append(f"{series[i]['meta.year']} {corruption.name}: {sorted(unflagged[0])}")
            else:
                study.caught += 1
    return study


def broken_witnesses(tables: list[dict[str, object]], truth: list[dict[str, object]],
                     i: int) -> list[set[tuple[int, str]]]:
    """The narrative and cross-year identities the corrupted year ``i`` breaks, each as the set of
    (year index, cell) of which at least one must be flagged."""
    out: list[set[tuple[int, str]]] = []
    statements = {
        ("t3.new.total",), ("t3.carried_over.total",), ("t3.carried_forward.total",),
        tuple(f"t3.{k}.total" for k in OUTCOME_KEYS if any(r.key == k for r in t3_rows("2021"))),
        ("t4.review.total",), ("t4.litigation_direct.total", "t4.litigation_after_review.total")}
    for cells in statements:
        if _sum([tables[i][c] for c in cells]) != _sum([truth[i][c] for c in cells]):
            out.append({(i, c) for c in cells})
    for now, before in PAIRS:
        if i > 0 and tables[i][now] != tables[i - 1][before]:
            out.append({(i, now), (i - 1, before)})
        if i + 1 < len(tables) and tables[i + 1][now] != tables[i][before]:
            out.append({(i + 1, now), (i, before)})
    return out


def _extract_series(tables: list[dict[str, object]], truth: list[dict[str, object]], seed: int) -> list[Record]:
    rng = random.Random(seed)
    records = [extract_bytes(render_stated(t, s, rng), f"{s['meta.year']}.txt") for t, s in zip(tables, truth,
                                                                                                strict=True)]
    return check_series(records).records


def _sum(values: list[object]) -> int | float | None:
    if any(not isinstance(v, int | float) or isinstance(v, bool) for v in values):
        return None
    return sum(values)  # type: ignore[arg-type]
