"""The words fallback's rows: a table's lines → rows anchored on their numbers, wrapped labels kept whole.

A row of a table drawn without rules is found by its numbers: the lines that
hold numbers are its anchors. A label wrapped over several lines of a narrow
cell is one block: a line continues the one above it in its column when that
one is full (the next character would not have fitted: that is why the text
wrapped). A block goes with the numbers beside it — above, below or on its
middle line, however the cells are aligned; numbers on several lines beside
one label, in different columns, are one row (a cell centred lower than its
neighbours). A block beside two rows' numbers is two labels that happened to
fill their last lines: it is cut where the table's cells start (at the lower
row's numbers when cells are top-aligned, half way between when centred).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cell_lines import join_cell_lines
from .pdf_geometry import Line

BBox = tuple[float, float, float, float]


@dataclass
class TableLine:
    """One line of the table: its page, its label phrases (left of the value columns) and the rest."""

    page: int
    line: Line
    labels: list[Line]
    values: list[Line]
    numbers: set[int] = field(default_factory=set)
    """The value columns its numbers fill."""


@dataclass
class Block:
    """A label's phrases, one a line, top to bottom (a label wrapped in its cell)."""

    phrases: list[tuple[int, Line]]
    """(line index, phrase)."""

    @property
    def x0(self) -> float:
        return min(p.x0 for _, p in self.phrases)


@dataclass
class Row:
    """A row of the table: the lines holding its numbers and the label blocks beside them."""

    lines: list[int]
    blocks: list[Block] = field(default_factory=list)


def word_rows(lines: list[TableLine]) -> list[Row]:
    """The rows anchored on numbers, each with its label blocks, top to bottom."""
    anchors = _anchor_groups(lines)
    blocks = _label_blocks(lines, anchors)
    top = _top_aligned(blocks, anchors, lines)
    blocks = [piece for b in blocks for piece in _cut(b, anchors, lines, top)]
    rows = _merge(blocks, anchors, lines)
    for b in blocks:
        near = _beside(b, rows, lines)
        if near:
            min(near, key=lambda r: _distance(b, r, lines)).blocks.append(b)
    return rows


def block_cell(b: Block, lines: list[TableLine]) -> tuple[str, int, BBox]:
    """A block as one label cell, on the page and box of its first line there."""
    page = lines[b.phrases[0][0]].page
    here = [p for i, p in b.phrases if lines[i].page == page]
    box = (min(p.x0 for p in here), min(p.top for p in here), max(p.x1 for p in here),
           max(p.bottom for p in here))
    return join_cell_lines(p.text for _, p in b.phrases), page, box


# ---------------------------------------------------------------- anchors and blocks


def _anchor_groups(lines: list[TableLine]) -> list[list[int]]:
    """Consecutive number lines that overlap and fill other columns are one group."""
    groups: list[list[int]] = []
    for i, tl in enumerate(lines):
        if not tl.numbers:
            continue
        if groups:
            last = lines[groups[-1][-1]]
            if (last.page == tl.page and tl.line.top < last.line.bottom - 0.1 * tl.line.size
                    and not _filled(groups[-1], lines) & tl.numbers):
                groups[-1].append(i)
                continue
        groups.append([i])
    return groups


def _filled(group: list[int], lines: list[TableLine]) -> set[int]:
    return set().union(*(lines[k].numbers for k in group))


def _label_blocks(lines: list[TableLine], anchors: list[list[int]]) -> list[Block]:
    """The label phrases chained into blocks, each line onto the full line above it in its column."""
    group_of = {i: g for g, members in enumerate(anchors) for i in members}
    edges = [(p.x0, p.x1) for tl in lines for p in tl.labels]
    blocks: list[Block] = []
    for i, tl in enumerate(lines):
        for p in tl.labels:
            above = _block_above(blocks, i, p)
            if above is not None and _continues(above, i, p, lines, group_of, edges):
                above.phrases.append((i, p))
            else:
                blocks.append(Block([(i, p)]))
    return blocks


def _block_above(blocks: list[Block], i: int, p: Line) -> Block | None:
    """The block whose last phrase is the nearest label above ``p`` in its column."""
    best: Block | None = None
    for b in blocks:
        j, q = b.phrases[-1]
        if j < i and _overlap((q.x0, q.x1), (p.x0, p.x1)) > 0 and (best is None or j > best.phrases[-1][0]):
            best = b
    return best


def _continues(block: Block, i: int, p: Line, lines: list[TableLine], group_of: dict[int, int],
               edges: list[tuple[float, float]]) -> bool:
    j, q = block.phrases[-1]
    if any(_overlap((q.x0, q.x1), (r.x0, r.x1)) > 0 for k in range(j + 1, i) for r in lines[k].labels):
        return False
    if lines[j].page == lines[i].page:
        if p.top - q.bottom > 0.8 * p.size:
            return False
    elif any(lines[k].labels for k in range(j + 1, i)):
        return False  # over a page break: the last label of one page, the first of the next
    if j in group_of and i in group_of and group_of[j] != group_of[i]:
        return False  # two rows' labels, each beside its own numbers
    if abs(p.x0 - q.x0) > 0.5 * p.size and abs((p.x0 + p.x1) / 2 - (q.x0 + q.x1) / 2) > 0.5 * p.size:
        return False  # a wrapped line starts where the line above starts, or is centred under it
    return _full(q, lines[j], p, edges)


def _full(q: Line, tl: TableLine, p: Line, edges: list[tuple[float, float]]) -> bool:
    """Whether ``q`` filled its cell: the next character (``p``'s first) would not have fitted after it.
    The cell reaches no further than any label in its column (one over it) does, and ends before the
    next label on its line, less the cells' padding."""
    limit = max(x1 for x0, x1 in edges if _overlap((x0, x1), (q.x0, q.x1)) > 0)
    right = [r.x0 for r in tl.labels if r.x0 > q.x1]
    if right:
        limit = min(limit, min(right) - 0.5 * q.size)
    first = p.chars[0]
    return q.x1 + (first.x1 - first.x0) > limit + 0.5


# ---------------------------------------------------------------- blocks beside numbers


def _span(phrases: list[tuple[int, Line]], page: int, lines: list[TableLine]) -> tuple[float, float] | None:
    """How far down the page the phrases on it reach (None: none is on it)."""
    here = [p for i, p in phrases if lines[i].page == page]
    return (min(p.top for p in here), max(p.bottom for p in here)) if here else None


def _group_span(group: list[int], lines: list[TableLine]) -> tuple[int, float, float]:
    page = lines[group[0]].page
    return page, min(lines[k].line.top for k in group), max(lines[k].line.bottom for k in group)


def _overlapping(b: Block, groups: list[list[int]], lines: list[TableLine]) -> list[int]:
    """The groups whose numbers lie beside the block (their heights overlap), top to bottom."""
    out = []
    for g, members in enumerate(groups):
        page, top, bottom = _group_span(members, lines)
        span = _span(b.phrases, page, lines)
        if span is not None and _overlap(span, (top, bottom)) > 0:
            out.append(g)
    return out


def _top_aligned(blocks: list[Block], groups: list[list[int]], lines: list[TableLine]) -> bool:
    """Whether the table's cells are top-aligned: a wrapped label beside one row's numbers starts on their line."""
    votes = 0
    for b in blocks:
        near = _overlapping(b, groups, lines)
        if len(near) == 1 and len(b.phrases) > 1:
            _, top, _ = _group_span(groups[near[0]], lines)
            votes += 1 if abs(b.phrases[0][1].top - top) < 0.5 * b.phrases[0][1].size else -1
    return votes >= 0


def _cut(b: Block, groups: list[list[int]], lines: list[TableLine], top: bool) -> list[Block]:
    """A block beside the numbers of rows that fill the same columns is cut between them."""
    near = _overlapping(b, groups, lines)
    for upper, lower in zip(near, near[1:], strict=False):
        if not _filled(groups[upper], lines) & _filled(groups[lower], lines):
            continue
        _, _, up_bottom = _group_span(groups[upper], lines)
        page, low_top, _ = _group_span(groups[lower], lines)
        at = low_top - 1.0 if top else (up_bottom + low_top) / 2
        k = next((n for n, (i, p) in enumerate(b.phrases) if lines[i].page == page
                  and (p.top >= at if top else (p.top + p.bottom) / 2 > at)), len(b.phrases))
        if 0 < k < len(b.phrases):
            return [Block(b.phrases[:k]), *_cut(Block(b.phrases[k:]), groups, lines, top)]
    return [b]


def _merge(blocks: list[Block], groups: list[list[int]], lines: list[TableLine]) -> list[Row]:
    """Number groups beside one block that fill different columns are one row."""
    root = list(range(len(groups)))

    def find(g: int) -> int:
        while root[g] != g:
            g = root[g]
        return g

    for b in blocks:
        near = _overlapping(b, groups, lines)
        for upper, lower in zip(near, near[1:], strict=False):
            if not _filled(groups[upper], lines) & _filled(groups[lower], lines):
                root[find(lower)] = find(upper)
    rows: dict[int, Row] = {}
    for g, members in enumerate(groups):
        rows.setdefault(find(g), Row([])).lines.extend(members)
    return list(rows.values())


def _beside(b: Block, rows: list[Row], lines: list[TableLine]) -> list[Row]:
    return [r for r in rows if _overlapping(b, [r.lines], lines)]


def _distance(b: Block, r: Row, lines: list[TableLine]) -> float:
    page, top, bottom = _group_span(r.lines, lines)
    span = _span(b.phrases, page, lines) or (top, bottom)
    return abs((span[0] + span[1]) / 2 - (top + bottom) / 2)


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return min(a[1], b[1]) - max(a[0], b[0])
