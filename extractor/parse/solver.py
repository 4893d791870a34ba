"""Choose one reading per row so that the most identities of the table hold: a bounded branch and bound.

In: each open row's candidate readings, the values fixed already, and the
identities. Out: the best number of identities that hold, the first best
assignment (rows in the order given, each row's candidates in their order —
what enumerating every combination would pick first), and per row the
candidates that appear in *some* best assignment (the cells that differ
between those are ambiguous).

The search is exact but bounded: a node budget caps it, so a hostile table
costs at most ``max_nodes`` steps; past it the result says it is incomplete
and the caller flags every open row instead of guessing. Pruning keeps real
tables far below the budget: an identity whose remaining rows cannot bring
its two sides together any more is counted as failed at once, and a branch
whose best possible score falls below the best found is dropped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..identities import Identity
from ..records import Value
from .readings import Candidate

MAX_NODES = 2_000
"""Search steps per table at most (a 25-row table of real digit runs needs a few hundred)."""
TOLERANCE = 1e-6


@dataclass
class SearchResult:
    choice: list[int]
    """The first best assignment: a candidate index per open row."""
    best: list[set[int]]
    """Per open row, the candidates that appear in some best assignment."""
    score: int
    complete: bool = True
    """False when the node budget ran out: ``choice`` is the best found so far."""
    nodes: int = 0


@dataclass
class _Sum:
    """One identity over several open rows: left − right = const + Σ row deltas must be 0."""

    const: float
    rows: list[int] = field(default_factory=list)
    """Open rows touching it, in search order."""
    deltas: dict[int, list[float]] = field(default_factory=dict)
    """Row → the delta each of its candidates adds (NaN: that reading cannot make it hold)."""


def search(rows: Sequence[Sequence[Candidate]], identities: Sequence[Identity],
           base: Mapping[str, Value], max_nodes: int = MAX_NODES) -> SearchResult:
    """The readings of ``rows`` under which the most ``identities`` hold (see the module docstring)."""
    owner = {c: r for r, cands in enumerate(rows) for c in cands[0].values}
    own = [[0] * len(cands) for cands in rows]
    sums: list[_Sum] = []
    for ident in identities:
        touched = sorted({owner[c] for c in ident.cells if c in owner})
        if not touched or any(c not in owner and not _is_number(base.get(c)) for c in ident.cells):
            continue  # fixed by the base alone, or a cell is null: the same for every reading
        const = _side(ident.left, base, owner) - _side(ident.right, base, owner)
        if len(touched) == 1:
            r = touched[0]
            signed = _signed(ident, owner, r)
            for k, cand in enumerate(rows[r]):
                if _counts(ident, cand) and _holds(const + _delta(signed, cand)):
                    own[r][k] += 1
            continue
        deltas: dict[int, list[float]] = {}
        for r in touched:
            signed = _signed(ident, owner, r)
            deltas[r] = [_delta(signed, cand) for cand in rows[r]]
        sums.append(_Sum(const, touched, deltas))
    order = _search_order(len(rows), [len(c) for c in rows], sums)
    at = {r: d for d, r in enumerate(order)}
    moved = [_Sum(s.const, sorted(at[r] for r in s.rows), {at[r]: d for r, d in s.deltas.items()}) for s in sums]
    found = _Search([rows[r] for r in order], [own[r] for r in order], moved, max_nodes, order).run()
    result = SearchResult(choice=[0] * len(rows) if found.choice else [], best=[set() for _ in rows],
                          score=found.score, complete=found.complete, nodes=found.nodes)
    for d, r in enumerate(order):
        if found.choice:
            result.choice[r] = found.choice[d]
        result.best[r] = found.best[d]
    return result


def _search_order(n: int, sizes: Sequence[int], sums: Sequence[_Sum]) -> list[int]:
    """Rows in the order that decides identities soonest: next, a row of the identity with the fewest
    rows still open (then the row in most identities, then the one with fewest readings). Pruning
    then starts early; which best assignment comes first does not depend on it (see ``_Search``)."""
    order: list[int] = []
    left = [set(s.rows) for s in sums]
    touching = [sum(1 for s in sums if r in s.deltas) for r in range(n)]
    remaining = set(range(n))
    while remaining:
        def urgency(r: int) -> tuple[int, int, int, int]:
            closest = min((len(rows) for rows in left if r in rows), default=n + 1)
            return (closest, -touching[r], sizes[r], r)
        r = min(remaining, key=urgency)
        order.append(r)
        remaining.discard(r)
        for rows in left:
            rows.discard(r)
    return order


def _counts(ident: Identity, cand: Candidate) -> bool:
    """A derived total makes its own row's identity true by construction: that is no evidence."""
    return not (ident.kind in ("row", "t4") and cand.derived & set(ident.left))


def _is_number(v: Value) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _side(cells: Sequence[str], base: Mapping[str, Value], owner: Mapping[str, int]) -> float:
    total = 0.0
    for c in cells:
        v = base.get(c)
        if c not in owner and isinstance(v, int | float):
            total += float(v)
    return total


def _signed(ident: Identity, owner: Mapping[str, int], row: int) -> list[tuple[str, float]]:
    """The identity's cells in that row, each with its side's sign, in the identity's order."""
    return [(c, sign) for cells, sign in ((ident.left, 1.0), (ident.right, -1.0)) for c in cells
            if owner.get(c) == row]


def _delta(signed: Sequence[tuple[str, float]], cand: Candidate) -> float:
    """What a reading of a row adds to left − right (NaN: a cell of it is not a number)."""
    total = 0.0
    values = cand.values
    for c, sign in signed:
        if c not in values:
            continue
        v = values[c]
        if not isinstance(v, int | float) or isinstance(v, bool):
            return math.nan
        total += sign * float(v)
    return total


def _holds(x: float) -> bool:
    return abs(x) < TOLERANCE


class _Search:
    def __init__(self, rows: Sequence[Sequence[Candidate]], own: list[list[int]], sums: list[_Sum],
                 max_nodes: int, priority: Sequence[int]):
        self.n = len(rows)
        self.priority = priority
        """The row's place in the order the caller gave: which best assignment counts as first."""
        self.sizes = [len(c) for c in rows]
        self.own = own
        self.sums = sums
        self.max_nodes = max_nodes
        self.touching = [[i for i, s in enumerate(sums) if r in s.deltas] for r in range(self.n)]
        # optimistic bounds of what the rows from depth d on can still add, per identity and own score
        self.own_rest = [0] * (self.n + 1)
        for r in range(self.n - 1, -1, -1):
            self.own_rest[r] = self.own_rest[r + 1] + max(own[r])
        self.lo = [[0.0] * (self.n + 1) for _ in sums]
        self.hi = [[0.0] * (self.n + 1) for _ in sums]
        for i, s in enumerate(sums):
            for r in range(self.n - 1, -1, -1):
                finite = [d for d in s.deltas.get(r, [0.0]) if not math.isnan(d)]
                low, high = (min(finite), max(finite)) if finite else (math.inf, -math.inf)
                self.lo[i][r] = self.lo[i][r + 1] + low
                self.hi[i][r] = self.hi[i][r + 1] + high
        self.partial = [s.const for s in sums]
        self.left = [len(s.rows) for s in sums]
        self.undecided = [[i for i, s in enumerate(sums) if s.rows[-1] >= depth] for depth in range(self.n + 1)]
        """Per depth, the identities with a row at that depth or later: the only ones still open there."""
        self.choice = [0] * self.n
        self.result = SearchResult(choice=[], best=[set() for _ in range(self.n)], score=-1)
        self.forced: dict[int, int] = {}
        self.target: int | None = None
        self.hit: list[int] | None = None

    def run(self) -> SearchResult:
        """The best score; which readings reach it; then the first best assignment in the caller's
        row order (each row's earliest reading that a best assignment allows, row by row)."""
        result = self.result
        self._visit(0, 0)
        if not result.complete or not result.choice:
            return result
        result.best = [{k} for k in result.choice]
        self.target = result.score
        for r in range(self.n):
            for k in range(self.sizes[r]):
                if k not in result.best[r] and self._reaches({r: k}):
                    for row, cand in enumerate(self.hit or ()):
                        result.best[row].add(cand)
                if not result.complete:
                    return result
        fixed = {r: next(iter(b)) for r, b in enumerate(result.best) if len(b) == 1}
        for r in sorted(range(self.n), key=lambda d: self.priority[d]):
            if r in fixed:
                continue
            for k in sorted(result.best[r]):
                if self._reaches({**fixed, r: k}):
                    fixed[r] = k
                    result.choice = list(self.hit or result.choice)
                    break
                if not result.complete:
                    return result
        return result

    def _reaches(self, forced: dict[int, int]) -> bool:
        """Whether some assignment with these readings reaches the best score (it is ``hit``)."""
        self.forced, self.hit = forced, None
        self._visit(0, 0)
        return self.hit is not None

    def _open_identities(self, depth: int) -> int:
        """Identities not yet decided whose remaining rows can still make them hold."""
        n = 0
        partial, lo, hi = self.partial, self.lo, self.hi
        for i in self.undecided[depth]:
            p = partial[i]
            if p + lo[i][depth] - TOLERANCE <= 0 <= p + hi[i][depth] + TOLERANCE:  # False for a NaN
                n += 1
        return n

    def _visit(self, depth: int, score: int) -> bool:
        """Depth-first over the rows' readings; True stops the search (a hit, or the budget spent).

        Without a target: look for a strictly better assignment than the best so far. With one:
        look for any assignment reaching it with the forced reading.
        """
        result = self.result
        result.nodes += 1
        if result.nodes > self.max_nodes:
            result.complete = False
            return True
        if depth == self.n:
            if self.target is None and score > result.score:
                result.score, result.choice = score, list(self.choice)
            elif self.target is not None and score >= self.target:
                self.hit = list(self.choice)
                return True
            return False
        bound = score + self.own_rest[depth] + self._open_identities(depth)
        if (bound <= result.score) if self.target is None else (bound < self.target):
            return False
        touching = self.touching[depth]
        saved = [self.partial[i] for i in touching]
        options = [self.forced[depth]] if depth in self.forced else range(self.sizes[depth])
        for k in options:
            gained = self.own[depth][k]
            for i in touching:
                self.partial[i] += self.sums[i].deltas[depth][k]
                self.left[i] -= 1
                if self.left[i] == 0 and _holds(self.partial[i]):
                    gained += 1
            self.choice[depth] = k
            stop = self._visit(depth + 1, score + gained)
            for i, before in zip(touching, saved, strict=True):
                self.partial[i] = before  # restored, not subtracted: a NaN must not stick
                self.left[i] += 1
            if stop:
                return True
        return False
