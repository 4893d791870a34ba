"""What a flattened table leaves open: the ways a row's run of digits splits into its cells.

A crawler that joins a row's cell texts with nothing between them prints
12,3,0,0,0,1,16 as ``123000116``. The run's digits are all there, but where
one value ends is not; only the row's own arithmetic (总计 = the six applicant
columns, a section 四 group's 总计 = its four results) narrows the splits. A
cell is *open* when two splits that satisfy that arithmetic give it different
values: a perfect reader cannot be sure of it from the row alone, and may
only be right or flag it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .tables import Table

MAX_SPLITS = 64
"""Past this many splits every cell of the run counts as open (the search stops there)."""

_INT = re.compile(r"0|[1-9]\d*")
_SIGNED = re.compile(r"-?(?:0|[1-9]\d*)")
_AMOUNT = re.compile(r"(?:0|[1-9]\d*)(?:\.\d*[1-9])?")


@dataclass(frozen=True)
class Run:
    """One table row's value cells, printed back to back."""

    cells: tuple[str, ...]
    texts: tuple[str, ...]
    sums: tuple[tuple[int, int], ...]
    """``(first, last)``: the cell at ``last`` is the sum of the cells ``first`` … ``last - 1``."""

    @property
    def text(self) -> str:
        return "".join(self.texts)


def table_runs(table: Table) -> list[Run]:
    """Every row of the table that prints values, as the run of its value cells."""
    runs = []
    for row in table.rows:
        values = [td for td in row if td.cell]
        if not values:
            continue
        cells = tuple(td.cell for td in values)
        runs.append(Run(cells, tuple(td.text for td in values), row_sums(table.name, len(cells))))
    return runs


def row_sums(table: str, width: int) -> tuple[tuple[int, int], ...]:
    """A row's own arithmetic: table 三's 总计 adds the six applicant columns, each section 四 group's its four."""
    if table == "t3":
        return ((0, width - 1),)
    if table == "t4":
        return tuple((g, g + 4) for g in range(0, width, 5))
    return ()


def open_cells(run: Run) -> set[str]:
    """The run's cells whose value the run and its arithmetic do not settle."""
    if any(t == "" for t in run.texts):
        return set(run.cells)  # a blank cell leaves no trace in a run: its neighbours' places are open
    splits = []
    totals = {last: first for first, last in run.sums}
    for split in _splits(run.text, [_pattern(c) for c in run.cells], totals):
        splits.append(split)
        if len(splits) > MAX_SPLITS:
            return set(run.cells)
    return {cell for i, cell in enumerate(run.cells) if len({s[i] for s in splits}) > 1}


def _pattern(cell: str) -> re.Pattern[str]:
    if cell.endswith(".amount"):
        return _AMOUNT
    if cell.endswith(".change"):
        return _SIGNED
    return _INT


def _splits(text: str, patterns: Sequence[re.Pattern[str]], totals: dict[int, int],
            done: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every way to cut ``text`` into one token per pattern, each token canonical, every total holding.

    ``totals`` maps a total's position to the first of the cells it adds up; a total is not
    searched for but computed, which keeps the search small.
    """
    i = len(done)
    if i == len(patterns):
        if text == "":
            yield done
        return
    if i in totals:
        token = str(sum(int(t) for t in done[totals[i]:i]))
        if text.startswith(token):
            yield from _splits(text[len(token):], patterns, totals, (*done, token))
        return
    for end in range(1, len(text) + 1):
        token = text[:end]
        if patterns[i].fullmatch(token):
            yield from _splits(text[end:], patterns, totals, (*done, token))
