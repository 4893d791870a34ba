"""What the witnesses beyond one table are worth: the narrative and the same agency's other years.

- ``narrative_agreement``: the goldens' hand-read ``narrative`` blocks against what the narrative reader
  finds in the same documents (recall, extra statements) and against the goldens' own tables (how often
  a report agrees with itself).
- ``corruption_study``: each bundled golden's cells corrupted on purpose, once a cell at a time (+1) and
  once coherently (a count moved so that every identity of the table still holds, the misreading
  identities cannot see); counted: caught by the identities, by the narrative, by the narrative alone.
- ``series_study``: a rendered five-year series extracted and checked across years, clean and with
  coherent corruptions in its tables (the narrative stating the true numbers): every corruption that
  breaks a narrative or cross-year identity must be flagged, and nothing on the clean series.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..crossyear import check_series
from ..crossyear.chain import PAIRS
from ..identities import check_all
from ..parse.narrative import Statement
from ..parse.narrative_check import judge, statements_of
from ..pipeline import extract_bytes, run
from ..read.load import load_path
from ..records import Flag, Record
from ..render.series import agency_series, render_stated
from ..template import OUTCOME_KEYS, t3_rows
from .goldens import Golden

WITNESS_FLAGS = frozenset({Flag.NARRATIVE_MISMATCH.value, Flag.CROSS_YEAR_MISMATCH.value})


@dataclass
class Agreement:
    """The narrative of the goldens that carry one."""

    documents: int = 0
    stated: int = 0
    """Statements in the goldens' narrative blocks."""
    found: int = 0
    """Of those, read by the narrative reader with the same cells and value."""
    extra: int = 0
    """Read by the reader but not in the golden's block."""
    checkable: int = 0
    """Golden statements whose cells the golden's table gives (no null)."""
    agreeing: int = 0
    """Of those, equal to the table's sum: the report agrees with itself."""
    disagreeing: list[str] = field(default_factory=list)


def narrative_agreement(docs: Path, goldens: Mapping[str, Golden]) -> Agreement:
    out = Agreement()
    for name, golden in sorted(goldens.items()):
        if golden.narrative is None or not (docs / name).is_file():
            continue
        out.documents += 1
        read = {("+".join(s.cells), s.value) for s in statements_of(run(load_path(docs / name)))}
        stated = set(golden.narrative.items())
        out.stated += len(stated)
        out.found += len(stated & read)
        out.extra += len(read - stated)
        for key, value in stated:
            total = _sum([golden.cells.get(c) for c in key.split("+")])
            if total is None:
                continue
            out.checkable += 1
            if total == value:
                out.agreeing += 1
            else:
                out.disagreeing.append(f"{name}: {key} stated {value}, table {total}")
    return out


@dataclass(frozen=True)
class Corruption:
    name: str
    cells: dict[str, object]


@dataclass
class Catches:
    injected: int = 0
    by_identities: int = 0
    by_narrative: int = 0
    by_narrative_only: int = 0
    missed_by_both: int = 0


@dataclass
class CorruptionStudy:
    single: Catches = field(default_factory=Catches)
    """One witnessed cell +1."""
    coherent: Catches = field(default_factory=Catches)
    """A count moved so that every identity of the table still holds."""


def corruption_study(docs: Path, goldens: Mapping[str, Golden]) -> CorruptionStudy:
    """Corrupt each golden's cells that its narrative (as read) speaks of, and count who notices."""
    study = CorruptionStudy()
    for name, golden in sorted(goldens.items()):
        edition = golden.edition
        if edition is None or not (docs / name).is_file():
            continue
        statements = statements_of(run(load_path(docs / name)))
        witnessed = sorted({c for s in statements for c in s.cells})
        values: dict[str, object] = dict(golden.cells)
        for cell in witnessed:
            if isinstance(values.get(cell), int):
                _tally(study.single, values, {**values, cell: _int(values[cell]) + 1}, edition, statements)
        for corruption in coherent_corruptions(values, edition):
            _tally(study.coherent, values, corruption.cells, edition, statements)
    return study


def _tally(catches: Catches, clean: Mapping[str, object], corrupted: Mapping[str, object], edition: str,
           statements: list[Statement]) -> None:
    catches.injected += 1
    identities = _failing(check_all(edition, corrupted)) - _failing(check_all(edition, clean))
    narrative = sum(1 for v in judge(statements, corrupted) if v.agrees is False) > sum(
        1 for v in judge(statements, clean) if v.agrees is False)
    catches.by_identities += bool(identities)
    catches.by_narrative += narrative
    catches.by_narrative_only += narrative and not identities
    catches.missed_by_both += not narrative and not identities


def _failing(results: list) -> set[str]:  # type: ignore[type-arg]
    return {r.identity.name for r in results if r.holds is False}


def coherent_corruptions(cells: Mapping[str, object], edition: str) -> Iterator[Corruption]:
    """Misreadings every identity of the table still passes, one per witnessed quantity where the
    counts allow: a request moved between 新收 and 上年结转, between two 办理结果 rows; one more
    结转下年度 (with one more 新收); one more 办结; one more 行政复议, 行政诉讼, 规范性文件."""
    outcomes = [k for k in OUTCOME_KEYS if any(r.key == k for r in t3_rows(edition))]
    col = "natural_person"

    def moved(changes: dict[str, int]) -> Corruption | None:
        out = dict(cells)
        for cell, delta in changes.items():
            value = out.get(cell)
            if not isinstance(value, int) or value + delta < 0:
                return None
            out[cell] = value + delta
            row = cell.rsplit(".", 1)[0]
            if cell.startswith("t3.") and not cell.endswith(".total"):
                total = out.get(f"{row}.total")
                if not isinstance(total, int):
                    return None
                out[f"{row}.total"] = total + delta
        return Corruption(", ".join(f"{c} {d:+d}" for c, d in changes.items()), out)

    candidates = [
        {f"t3.carried_over.{col}": +1, f"t3.new.{col}": -1},
        {f"t3.carried_over.{col}": -1, f"t3.new.{col}": +1},
        {f"t3.carried_forward.{col}": +1, f"t3.new.{col}": +1},
        {f"t3.granted.{col}": +1, f"t3.total.{col}": +1, f"t3.new.{col}": +1},
        {f"t3.granted.{col}": -1, f"t3.partial.{col}": +1},
        {f"t3.partial.{col}": -1, f"t3.granted.{col}": +1},
        *({f"t3.{k}.{col}": -1, f"t3.{outcomes[0]}.{col}": +1} for k in outcomes[2:]),
        {"t4.review.upheld": +1, "t4.review.total": +1},
        {"t4.litigation_direct.upheld": +1, "t4.litigation_direct.total": +1},
        {("t2.normative.issued" if edition == "2021" else "t2.normative.new_made"): +1},
    ]
    for changes in candidates:
        corruption = moved(changes)
        if corruption is not None:
            yield corruption


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


def _int(value: object) -> int:
    assert isinstance(value, int)
    return value
