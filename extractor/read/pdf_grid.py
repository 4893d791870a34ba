"""Ruled PDF tables → one true grid of rows: a merged cell in every position it covers, page parts joined.

A table over several pages is one grid on the columns of all its parts. A
header repeated at the top of a later part is dropped; a row that a page break
cut in two (the part before ends open, the next starts open: ``pdf_rules``)
is read as one row, each cell's text read on from one half into the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from .cell_lines import join_cell_lines, spans_again
from .pdf_geometry import cluster, nearest

BBox = tuple[float, float, float, float]
GridRow = list[tuple[str, int, BBox]]
"""One row as the reader writes it: per cell its text, page and box."""


@dataclass
class RuledCell:
    """One ruled cell as pdfplumber found it, with its text."""
    bbox: BBox
    text: str = ""
    page: int = 0


@dataclass
class RuledPart:
    """The part of a ruled table that lies on one page."""
    page: int
    bbox: BBox
    cells: list[RuledCell]
    open_top: bool = False
    """A page break cut the table here: its first row is the rest of the last row of the page before."""
    open_bottom: bool = False


COLUMN_TOLERANCE = 3.5
"""Points within which two parts' column rules are one column: no real column is this narrow."""

Slots = list[RuledCell]
"""A row on the grid's columns: the cell covering each position (a blank one made where none does)."""


def ruled_rows(parts: list[RuledPart]) -> list[GridRow]:
    """The parts as one grid; a repeated header dropped, a row cut by a page break made whole."""
    # one column's rule lies a point or two apart from page to page (pdfplumber snaps a rule drawn as a
    # thin rectangle to either side of it): the columns of all parts are one set
    xs = cluster([v for p in parts for c in p.cells for v in (c.bbox[0], c.bbox[2])], tolerance=COLUMN_TOLERANCE)
    rows: list[Slots] = []
    head: list[list[str]] = []
    for k, part in enumerate(parts):
        grid = _part_slots(part, xs)
        if k == 0:
            head = [_texts(r) for r in grid]
        elif parts[k - 1].open_bottom and part.open_top and rows and grid:
            rows[-1] = _rejoin(rows[-1], grid[0])
            grid = grid[1:]
        else:
            n = 0
            while n < min(len(head), len(grid) - 1) and _texts(grid[n]) == head[n]:
                n += 1
            grid = grid[n:]
        rows += grid
    return [_emit(r) for r in rows]


def _texts(row: Slots) -> list[str]:
    return [t for t, _, _ in _emit(row)]


def _part_slots(part: RuledPart, xs: list[float]) -> list[Slots]:
    ys = cluster([v for c in part.cells for v in (c.bbox[1], c.bbox[3])])
    width, height = len(xs) - 1, len(ys) - 1
    grid: list[list[RuledCell | None]] = [[None] * width for _ in range(height)]
    for cell in part.cells:
        cell.page = part.page
        x0, top, x1, bottom = cell.bbox
        c0, c1 = nearest(xs, x0), nearest(xs, x1)
        r0, r1 = nearest(ys, top), nearest(ys, bottom)
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                if grid[r][c] is None:
                    grid[r][c] = cell
    return [[c if c is not None else RuledCell((xs[i], ys[r], xs[i + 1], ys[r + 1]), "", part.page)
             for i, c in enumerate(row)]
            for r, row in enumerate(grid) if any(c is not None for c in row)]


def _emit(row: Slots) -> GridRow:
    """A cell merged across columns stands once, unless its text is a label (``spans_again``)."""
    return [(c.text, c.page, c.bbox) for i, c in enumerate(row)
            if i == 0 or row[i - 1] is not c or spans_again(c.text)]


def _rejoin(above: Slots, below: Slots) -> Slots:
    """A row cut by a page break, from its two halves: each cell's text read on, on the box of the
    half that holds it (a label's lines lie in both halves, a value in one)."""
    merged: dict[tuple[int, int], RuledCell] = {}  # one cell for each pair, so merges stay merges
    out: Slots = []
    for a, b in zip(above, below, strict=True):
        key = (id(a), id(b))
        if key not in merged:
            if not b.text or a.text == b.text:
                merged[key] = RuledCell(a.bbox, a.text, a.page)
            elif not a.text:
                merged[key] = RuledCell(b.bbox, b.text, b.page)
            else:
                merged[key] = RuledCell(a.bbox, join_cell_lines([a.text, b.text]), a.page)
        out.append(merged[key])
    return out
