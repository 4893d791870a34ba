"""The words fallback: a PDF table drawn without rules → rows of cells placed by x/y position.

Lines are split into phrases at wide gaps; a run of lines holding several
phrases and numbers is a table (with the narrow lines of labels wrapped in
their cells, however many). Its value columns come from the numbers'
x-ranges and the header's words (a header word over no number is a column
too, e.g. one left blank in every row); words to the left are row labels.
Rows are anchored on their numbers, each wrapped label kept whole beside
them (``pdf_word_rows``). Cells read this way carry ``source="words"``
boxes: they are less sure.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..values import CellKind, classify
from .cell_lines import join_cell_lines
from .pdf_geometry import Line, make_line
from .pdf_word_rows import TableLine, block_cell, word_rows

BBox = tuple[float, float, float, float]
GridRow = list[tuple[str, int, BBox]]


@dataclass
class WordTable:
    """A run of lines on one page that reads as a table."""

    page: int
    lines: list[Line]

    @property
    def bbox(self) -> BBox:
        return (min(ln.x0 for ln in self.lines), min(ln.top for ln in self.lines),
                max(ln.x1 for ln in self.lines), max(ln.bottom for ln in self.lines))


def phrases(line: Line) -> list[Line]:
    """The line split where the gap between two characters is wider than half a character."""
    out: list[Line] = []
    start = 0
    chars = line.chars
    for i in range(1, len(chars) + 1):
        if i == len(chars) or chars[i].x0 - chars[i - 1].x1 > 0.5 * max(chars[i].size, chars[i - 1].size):
            out.append(make_line(line.page, chars[start:i]))
            start = i
    return out


def is_number(text: str) -> bool:
    return classify(unicodedata.normalize("NFKC", text)) is CellKind.VALUE


def find_word_tables(lines: list[Line]) -> list[Line | WordTable]:
    """The page's lines, with each run that reads as a table gathered into a ``WordTable``."""
    split = [phrases(ln) for ln in lines]
    tabular = [len(p) >= 2 or any(is_number(x.text) for x in p) for p in split]
    out: list[Line | WordTable] = []
    i = 0
    while i < len(lines):
        # a label wrapped over a page break opens the page, just above the table's next rows
        opens_page = i == 0 and _opens_page(lines, tabular)
        if not tabular[i] and not opens_page:
            out.append(lines[i])
            i += 1
            continue
        j = i + 1
        while j < len(lines) and _continues(lines, tabular, j, _width(lines, tabular, i, j)):
            j += 1
        wide = _width(lines, tabular, i, j)
        while j > i + 1 and not tabular[j - 1] and not _narrow(lines[j - 1], wide):
            j -= 1
        run = lines[i:j]
        numbers = sum(1 for k in range(i, j) for x in split[k] if is_number(x.text))
        if sum(tabular[i:j]) >= 2 and numbers:
            out.append(WordTable(lines[i].page, run))
        else:
            out += run
        i = j
    return out


def _opens_page(lines: list[Line], tabular: list[bool]) -> bool:
    """The page opens with the rest of a label cut by the page break: narrow lines, close above a tabular one."""
    k = next((n for n, t in enumerate(tabular) if t), len(lines))
    return 0 < k < len(lines) and all(_close(lines, n) for n in range(1, k + 1)) and all(
        _narrow(lines[n], lines[k].x1 - lines[k].x0) for n in range(k))


def _continues(lines: list[Line], tabular: list[bool], j: int, wide: float) -> bool:
    """Line ``j`` belongs to the table above: close below it, and tabular, a short label line just above
    tabular ones, or a narrow line (a label wrapped in its cell, however many lines it takes)."""
    if not _close(lines, j):
        return False
    if tabular[j] or _narrow(lines[j], wide):
        return True
    return any(tabular[k] for k in range(j + 1, min(j + 3, len(lines))))


def _width(lines: list[Line], tabular: list[bool], i: int, j: int) -> float:
    """The widest tabular line of the run ``i:j``: the table's width."""
    return max((lines[k].x1 - lines[k].x0 for k in range(i, j) if tabular[k]), default=0.0)


def _narrow(line: Line, wide: float) -> bool:
    """A line no wider than a third of the table: a wrapped label's line, not a paragraph or a heading."""
    return line.x1 - line.x0 <= wide / 3


def _close(lines: list[Line], j: int) -> bool:
    """Line ``j`` sits right under line ``j - 1``: a row or a wrapped line, not a new paragraph."""
    return lines[j].top - lines[j - 1].bottom <= 1.6 * lines[j].size


# ---------------------------------------------------------------- columns and rows


def _columns(rows: list[list[Line]]) -> list[tuple[float, float]]:
    """Value columns: the numbers' x-ranges merged, plus header words above no number."""
    spans: list[list[float]] = []
    for x0, x1 in sorted((p.x0, p.x1) for row in rows for p in row if is_number(p.text)):
        if spans and x0 <= spans[-1][1] + 1:
            spans[-1][1] = max(spans[-1][1], x1)
        else:
            spans.append([x0, x1])
    if not spans:
        return []
    left = spans[0][0]
    for row in rows:
        for p in row:
            if is_number(p.text) or p.x1 <= left + 1:
                continue
            if not any(_overlap((p.x0, p.x1), (a, b)) > 0 for a, b in spans):
                spans.append([p.x0, p.x1])
    return sorted((a, b) for a, b in spans)


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return min(a[1], b[1]) - max(a[0], b[0])


def word_table_rows(parts: list[WordTable]) -> list[GridRow]:
    """The table's rows: label cells, then one cell per value column (blank where no word); a row with
    no number has no value cells (``pdf_word_rows``)."""
    lines: list[TableLine] = []
    split = [(part.page, ln, phrases(ln)) for part in parts for ln in part.lines]
    cols = _columns([ph for _, _, ph in split])
    left = cols[0][0] if cols else float("inf")
    for page, ln, ph in split:
        values = [p for p in ph if p.x1 > left + 1]
        numbers = {_columns_of(p, cols)[0] for p in values if is_number(p.text)}
        lines.append(TableLine(page, ln, [p for p in ph if p.x1 <= left + 1], values, numbers))
    rows: list[tuple[int, GridRow]] = []
    used: set[int] = set()  # the label phrases placed in a row (by id)
    anchored: set[int] = set()  # the lines holding a row's numbers
    for row in word_rows(lines):
        labels = [block_cell(b, lines) for b in sorted(row.blocks, key=lambda b: b.x0)]
        used |= {id(p) for b in row.blocks for _, p in b.phrases}
        anchored |= set(row.lines)
        rows.append((min(row.lines), labels + _value_cells(lines, sorted(row.lines), cols)))
    for i, tl in enumerate(lines):
        rest = [p for p in tl.labels if id(p) not in used]
        if i in anchored or not (rest or tl.values):
            continue
        cells: GridRow = [(p.text, tl.page, p.bbox) for p in rest]
        rows.append((i, cells + (_value_cells(lines, [i], cols) if tl.values else [])))
    return _drop_repeated_header([r for _, r in sorted(rows, key=lambda r: r[0])], parts)


def _value_cells(lines: list[TableLine], members: list[int], cols: list[tuple[float, float]]) -> GridRow:
    """One cell per value column: the words placed in it on the row's lines, or a blank."""
    page = lines[members[0]].page
    top = min(lines[k].line.top for k in members)
    bottom = max(lines[k].line.bottom for k in members)
    cells: list[list[Line]] = [[] for _ in cols]
    for k in members:
        for p in lines[k].values:
            for c in _columns_of(p, cols):
                cells[c].append(p)
    out: GridRow = []
    for c, found in enumerate(cells):
        if found:
            box = (min(m.x0 for m in found), min(m.top for m in found), max(m.x1 for m in found),
                   max(m.bottom for m in found))
            out.append((join_cell_lines(m.text for m in found), page, box))
        else:
            out.append(("", page, (cols[c][0], top, cols[c][1], bottom)))
    return out


def _columns_of(p: Line, cols: list[tuple[float, float]]) -> list[int]:
    """The columns a phrase fills: its own for a number, every one it covers for a spanning header."""
    overlaps = [(_overlap((p.x0, p.x1), c), k) for k, c in enumerate(cols)]
    if is_number(p.text):
        return [max(overlaps)[1]]
    covered = [k for ov, k in overlaps if ov > 0.25 * (cols[k][1] - cols[k][0])]
    return covered or [max(overlaps)[1]]


def _drop_repeated_header(rows: list[GridRow], parts: list[WordTable]) -> list[GridRow]:
    """Rows at the top of a later page that repeat the table's first rows are dropped."""
    if len(parts) < 2:
        return rows
    texts = [[t for t, _, _ in r] for r in rows]
    first_page = parts[0].page
    out: list[GridRow] = []
    head_i = 0
    page = first_page
    for r, row in enumerate(rows):
        if row and row[0][1] != page:
            page, head_i = row[0][1], 0
        if page != first_page and head_i < r and texts[r] == texts[head_i]:
            head_i += 1
            continue
        head_i = len(rows)
        out.append(row)
    return out
