"""``t2_lines_pipe``: section 二 printed one cell a line, each cell followed by a pipe.

What a page converted from a Word table by a careless tool gives: every cell
of section 二 on its own line with a trailing `` |`` (``行政许可 |`` / ``6 |`` /
``减4 |`` / ``2 |``), or the pipe on a line of its own (``规章`` / ``|`` /
``0`` / ``|``). The 2019 edition's signed changes (本年增/减) are written as
reports write them, drawn per value: ``减4`` or ``-4``, ``增10`` or ``10``.
Sections 三 and 四 are ordinary tab rows.
"""

from __future__ import annotations

import random

from .spans import Marked, Role, Span
from .tables import AS_IS, Cells, t2_table
from .text_rows import t2_rows


def signed(value: int, rng: random.Random) -> str:
    """A 本年增/减 value as a report writes it: 减4 or -4, 增10 or 10, 0."""
    if value < 0:
        return rng.choice((f"减{-value}", f"-{-value}"))
    if value > 0:
        return rng.choice((f"增{value}", str(value)))
    return "0"


def t2_cell_lines(cells: Cells, edition: str, rng: random.Random, *, pipe_alone: bool) -> list[Marked]:
    """Section 二's cells one a line: ``cell |``, or (``pipe_alone``) ``cell`` then ``|`` on the next line."""
    out: list[Marked] = []
    for row in t2_rows(t2_table(cells, edition, AS_IS)):
        for cell in row:
            change = next((s.id for s in cell.spans if s.role == Role.VALUE and s.id.endswith(".change")), None)
            if change is not None and isinstance(cells.get(change), int):
                text = signed(int(str(cells[change])), rng)
                cell = Marked(text, (Span(change, Role.VALUE, 0, len(text)),))
            out += [cell, Marked("|")] if pipe_alone else [cell + " |"]
    return out
