"""Alignment: which value of a row belongs in which column, when the layout dropped or added cells.

A row's value cells are placed in three ways, in order of trust:
positional (one cell per column, blanks kept), compacted (the non-empty cells
match the columns one to one) and, failing both, every order-preserving
placement is a candidate. ``solve`` then picks, across the whole table, the
candidates that satisfy the most arithmetic identities; cells whose value
still differs between equally good choices are ambiguous.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from ..document import GridCell
from ..identities import Identity, evaluate
from ..records import Alignment, Value
from ..values import CellKind, classify, parse_value
from .readings import Candidate, Reader, Shape
from .runs import run_candidates
from .solver import search

MAX_READINGS = 9
"""Readings of an ambiguous row offered to a reviewer as choices (keys 1–9)."""

MAX_PLACEMENTS = 2000
"""Ways to drop a row's extra numbers weighed at most; past it the row is flagged, not enumerated
(a row of 30 numbers for 15 columns has 155 million)."""


@dataclass
class Solution:
    chosen: dict[str, Candidate] = field(default_factory=dict)
    ambiguous: dict[str, set[str]] = field(default_factory=dict)
    """Row → cell ids whose value differs between equally good readings."""
    readings: dict[str, list[Candidate]] = field(default_factory=dict)
    """Row → its equally good readings, the chosen one first (at most ``MAX_READINGS``): a reviewer's choices."""
    notes: list[str] = field(default_factory=list)


def placements(values: Sequence[GridCell], shape: Shape) -> tuple[Alignment, list[tuple[GridCell | None, ...]]]:
    """The ways to put a row's value cells into the shape's columns, most trusted first.

    Non-empty cells matching the columns one to one win over positions, since
    tab and pipe rows often carry padding cells at their ends. When cells were
    dropped, placements are built group by group and placements of a group
    that read the same (a blank reads as 0, except a blank 总计) are one.
    """
    n = shape.n
    cells = [c if classify(c.text) is not CellKind.BLANK else None for c in values]
    tokens = [c for c in cells if c is not None]
    if len(tokens) == n:
        return Alignment.COMPACTED, [tuple(tokens)]
    if len(cells) == n:
        return Alignment.POSITIONAL, [tuple(cells)]
    lo, hi = 0, len(cells)
    while lo < hi and cells[lo] is None:
        lo += 1
    while hi > lo and cells[hi - 1] is None:
        hi -= 1
    if hi - lo == n:
        return Alignment.POSITIONAL, [tuple(cells[lo:hi])]
    if len(tokens) > n:
        if math.comb(len(tokens), n) > MAX_PLACEMENTS:  # bounded: flagged, never enumerated
            return Alignment.AMBIGUOUS, [tuple(tokens[:n])]
        return Alignment.SOLVED, [tuple(tokens[i] for i in keep)
                                  for keep in itertools.combinations(range(len(tokens)), n)]
    scored = _grouped(tokens, shape.groups, shape.totals)
    best = max(score for score, _ in scored)
    return Alignment.SOLVED, [slots for score, slots in scored if score == best]


Scored = list[tuple[int, tuple[GridCell | None, ...]]]


def _grouped(tokens: list[GridCell], groups: tuple[int, ...], totals: bool) -> Scored:
    """Placements group by group, each scored by how many groups' 总计 add up."""
    if not groups:
        return [(0, ())] if not tokens else []
    size, rest = groups[0], groups[1:]
    room_after = sum(rest)
    out: Scored = []
    for m in range(max(0, len(tokens) - room_after), min(size, len(tokens)) + 1):
        score, heads = _group_options(tokens[:m], size, totals)
        tails = _grouped(tokens[m:], rest, totals)  # once per split, not once per head
        out += [(score + s, h + t) for h in heads for s, t in tails]
    return out


def _group_options(tokens: list[GridCell], size: int, total: bool) -> tuple[int, list[tuple[GridCell | None, ...]]]:
    """Distinct placements of ``tokens`` in one group: those whose 总计 adds up (score 1), if any."""
    seen: dict[tuple[float | None, ...], tuple[GridCell | None, ...]] = {}
    for pos in itertools.combinations(range(size), len(tokens)):
        slots: list[GridCell | None] = [None] * size
        for p, tok in zip(pos, tokens, strict=True):
            slots[p] = tok
        sig: tuple[float | None, ...] = tuple(
            _number(t.text) if t is not None else (None if total and i == size - 1 else 0.0)
            for i, t in enumerate(slots))
        seen.setdefault(sig, tuple(slots))
    options = list(seen.items())
    if total:
        adds_up = [slots for sig, slots in options
                   if sig[-1] is not None and abs(sum(v or 0.0 for v in sig[:-1]) - sig[-1]) < 1e-9]
        if adds_up:
            return 1, adds_up
    return 0, [slots for _, slots in options]


@cache
def _number(text: str) -> float:
    try:
        return float(parse_value(text) or 0)
    except ValueError:
        return float("nan")


def row_candidates(values: Sequence[GridCell], shape: Shape, read: Reader, *,
                   runs: bool = False) -> list[Candidate]:
    """Distinct readings of a row (placements that give the same numbers are one reading).

    With ``runs`` the row comes from a flattened table: its numbers ran
    together and are split by ``runs.run_candidates``.
    """
    if runs:
        return run_candidates(values, shape, read)
    alignment, options = placements(values, shape)
    extra = sum(1 for c in values if classify(c.text) is not CellKind.BLANK) > shape.n
    if len(options) == 1:  # most rows: one placement, nothing to tell apart
        return [read(options[0], alignment, extra)]
    seen: dict[tuple[object, ...], Candidate] = {}
    for option in options:
        cand = read(option, alignment, extra)
        seen.setdefault(cand.key(), cand)
    return list(seen.values())


def solve(rows: Mapping[str, list[Candidate]], identities: Sequence[Identity],
          fixed: Mapping[str, Value] | None = None) -> Solution:
    """Choose one candidate per row so that the most identities hold."""
    solution = Solution()
    base: dict[str, Value] = dict(fixed or {})
    open_rows: dict[str, list[Candidate]] = {}
    for key, cands in rows.items():
        if len(cands) > 1:
            cands = _prefer_own_identity(cands, identities) or cands
        if len(cands) == 1:
            solution.chosen[key] = cands[0]
            base.update(cands[0].values)
        else:
            open_rows[key] = cands
    if not open_rows:
        return solution
    keys = list(open_rows)
    found = search([open_rows[k] for k in keys], identities, base)
    if not found.complete:
        size = math.prod(len(open_rows[k]) for k in keys)
        solution.notes.append(f"{size} readings of the table: the search stopped after {found.nodes - 1} "
                              "steps; the rows it left open are flagged")
    for r, k in enumerate(keys):
        cands = open_rows[k]
        if not found.complete:
            solution.chosen[k] = cands[found.choice[r] if found.choice else 0]
            solution.ambiguous[k] = _differing(cands)
            solution.readings[k] = _choices(solution.chosen[k], cands)
            continue
        solution.chosen[k] = cands[found.choice[r]]
        best = [cands[i] for i in sorted(found.best[r])]
        differing = _differing(best)
        if differing:
            solution.ambiguous[k] = differing
            solution.readings[k] = _choices(solution.chosen[k], best)
    return solution


def _choices(chosen: Candidate, cands: Sequence[Candidate]) -> list[Candidate]:
    return [chosen, *(c for c in cands if c is not chosen)][:MAX_READINGS]


def _prefer_own_identity(cands: list[Candidate], identities: Sequence[Identity]) -> list[Candidate]:
    """Readings whose own row total adds up from read (not derived) cells."""
    cells = set(cands[0].values)  # every reading of a row gives the same cells
    own = [i for i in identities if i.kind in ("row", "t4") and cells.issuperset(i.cells)]
    if not own:
        return []
    return [cand for cand in cands
            if all(cand.derived.isdisjoint(i.cells) and evaluate(i, cand.values).holds for i in own)]


def _differing(cands: Sequence[Candidate]) -> set[str]:
    """Cells whose value (or derived status) is not the same in every one of these readings."""
    first = cands[0]
    return {c for c in first.values
            if any(o.values.get(c) != first.values[c] or (c in o.derived) != (c in first.derived)
                   for o in cands[1:])}
