"""The table solver: exact against brute force on small tables, bounded on hostile ones."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence

from extractor.identities import Identity, evaluate
from extractor.parse.alignment import solve
from extractor.parse.readings import Candidate
from extractor.parse.solver import search
from extractor.records import Value

COLS = ("a", "b", "t")


def _cand(row: str, values: Sequence[int], derived: frozenset[str] = frozenset()) -> Candidate:
    cells = {f"{row}.{c}": v for c, v in zip(COLS, values, strict=True)}
    return Candidate(cells, dict.fromkeys(cells), derived)


def _identities(rows: Sequence[str]) -> list[Identity]:
    """Each row's 总计 = a + b, and per column: the first row = the sum of the others."""
    out = [Identity(f"{r} total", (f"{r}.t",), (f"{r}.a", f"{r}.b"), "row") for r in rows]
    for c in COLS:
        out.append(Identity(f"column {c}", (f"{rows[0]}.{c}",), tuple(f"{r}.{c}" for r in rows[1:]), "outcomes"))
    return out


def _brute_force(rows: Sequence[Sequence[Candidate]], identities: Sequence[Identity],
                 base: Mapping[str, Value]) -> tuple[int, list[int], list[set[int]]]:
    """What enumerating every combination gives: the best score, the first best, the best sets."""
    best, first, sets = -1, [], [set() for _ in rows]
    for combo in itertools.product(*(range(len(r)) for r in rows)):
        values = dict(base)
        derived: set[str] = set()
        for r, k in enumerate(combo):
            values.update(rows[r][k].values)
            derived |= rows[r][k].derived
        score = sum(1 for i in identities if evaluate(i, values).holds
                    and not (i.kind == "row" and derived & set(i.left)))
        if score > best:
            best, first, sets = score, list(combo), [{k} for k in combo]
        elif score == best:
            for r, k in enumerate(combo):
                sets[r].add(k)
    return best, first, sets


def test_the_search_finds_what_brute_force_finds() -> None:
    rng = random.Random(7)
    names = ["r0", "r1", "r2", "r3", "r4"]
    for _ in range(300):
        rows = []
        for name in names[1:]:
            options = {(rng.randint(0, 3), rng.randint(0, 3)) for _ in range(rng.randint(1, 4))}
            cands = []
            for a, b in sorted(options):
                total = a + b if rng.random() < 0.8 else a + b + 1
                derived = frozenset({f"{name}.t"}) if rng.random() < 0.1 else frozenset()
                cands.append(_cand(name, (a, b, total), derived))
            rows.append(cands)
        head = [_cand("r0", (rng.randint(0, 8), rng.randint(0, 8), rng.randint(0, 16))) for _ in range(2)]
        rows.insert(0, head)
        identities = _identities(names)
        found = search(rows, identities, {})
        best, first, sets = _brute_force(rows, identities, {})
        assert found.complete
        assert (found.score, found.choice, found.best) == (best, first, sets)


def test_a_null_base_cell_makes_its_identity_count_for_no_reading() -> None:
    rows = [[_cand("r1", (1, 0, 1)), _cand("r1", (0, 1, 1))]]
    ident = [Identity("x", ("r0.a",), ("r1.a",), "outcomes")]
    found = search(rows, ident, {"r0.a": None})
    assert found.score == 0 and found.best == [{0, 1}]


def test_a_hostile_table_stops_at_the_budget_and_every_open_row_is_flagged() -> None:
    names = [f"r{i}" for i in range(30)]
    rows = {n: [_cand(n, (a, 3 - a, 3)) for a in range(4)] for n in names[1:]}
    rows["r0"] = [_cand("r0", (40, 47, 87))]
    solution = solve(rows, _identities(names))
    assert any("search stopped" in note for note in solution.notes)
    assert set(solution.ambiguous) == set(names[1:])
    assert all(solution.ambiguous[n] == {f"{n}.a", f"{n}.b"} for n in names[1:])


def test_column_sums_settle_rows_their_own_total_cannot() -> None:
    # r1 reads (2,1) or (1,2); the column sums with r0 = (3,3) and r2 = (1,2) leave one reading.
    rows = {"r0": [_cand("r0", (3, 3, 6))], "r1": [_cand("r1", (2, 1, 3)), _cand("r1", (1, 2, 3))],
            "r2": [_cand("r2", (1, 2, 3))]}
    solution = solve(rows, _identities(["r0", "r1", "r2"]))
    assert solution.chosen["r1"].values["r1.a"] == 2 and solution.ambiguous == {}
