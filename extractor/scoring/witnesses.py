"""What the witnesses beyond one table are worth: the narrative and the same agency's other years.

- ``narrative_agreement``: the goldens' hand-read ``narrative`` blocks against what the narrative reader
  finds in the same documents (recall, extra statements) and against the goldens' own tables (how often
  a report agrees with itself).
- ``corruption_study``: each bundled golden's cells corrupted on purpose, once a cell at a time (+1) and
  once coherently (a count moved so that every identity of the table still holds, the misreading
  identities cannot see); counted: caught by the identities, by the narrative, by the narrative alone.

The same on a rendered five-year series is ``render.series_study``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..corruptions import coherent_corruptions
from ..identities import check_all
from ..parse.narrative import Statement
from ..parse.narrative_check import judge, statements_of
from ..pipeline import run
from ..read.load import load_path
from .goldens import Golden


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
        if not golden.narrative or not (docs / name).is_file():
            continue
        out.documents += 1
        read = {("+".join(s.cells), s.value) for s in statements_of(run(load_path(docs / name)))}
        stated = set(golden.narrative.items())
        out.stated += len(stated)
        out.found += len(stated & read)
        out.extra += len(read - stated)
        for key, value in sorted(stated):
            terms = [golden.cells.get(c) for c in key.split("+")]
            total = _sum(terms)
            known = sum(t for t in terms if isinstance(t, int | float))
            if total is None and known <= value:
                continue  # a null term, and the others do not already exceed the number stated
            out.checkable += 1
            if total == value:
                out.agreeing += 1
            else:
                table = total if total is not None else f"at least {known}"
                shown = key if key.count("+") < 3 else f"{key.split('+')[0]}+… ({key.count('+') + 1} cells)"
                out.disagreeing.append(f"{name}: {shown} stated {value}, table {table}")
    return out


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


def _sum(values: Sequence[object]) -> int | float | None:
    if any(not isinstance(v, int | float) or isinstance(v, bool) for v in values):
        return None
    return sum(values)  # type: ignore[arg-type]


def _int(value: object) -> int:
    assert isinstance(value, int)
    return value
