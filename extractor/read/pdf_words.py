"""The words fallback: a PDF table drawn without rules → rows of cells placed by x/y position.

Lines are split into phrases at wide gaps; a run of lines holding several
phrases and numbers is a table. Its value columns come from the numbers'
x-ranges and the header's words (a header word over no number is a column
too, e.g. one left blank in every row); words to the left are row labels,
and a label wrapped onto a line of its own is joined to the row above.
Cells read this way carry ``source="words"`` boxes: they are less sure.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..values import CellKind, classify
from .cell_lines import join_cell_lines
from .pdf_geometry import Line, make_line

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
        opens_page = i == 0 and len(lines) > 1 and tabular[1] and _close(lines, 1)
        if not tabular[i] and not opens_page:
            out.append(lines[i])
            i += 1
            continue
        j = i + 1
        while j < len(lines) and _continues(lines, tabular, j):
            j += 1
        while j > i + 1 and not tabular[j - 1] and not (opens_page and j == 1):
            j -= 1
        run = lines[i:j]
        numbers = sum(1 for k in range(i, j) for x in split[k] if is_number(x.text))
        if sum(tabular[i:j]) >= 2 and numbers:
            out.append(WordTable(lines[i].page, run))
        else:
            out += run
        i = j
    return out


def _continues(lines: list[Line], tabular: list[bool], j: int) -> bool:
    """Line ``j`` belongs to the table above: close below it, and tabular or a short label line."""
    if not _close(lines, j):
        return False
    if tabular[j]:
        return True
    return any(tabular[k] for k in range(j + 1, min(j + 3, len(lines))))


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
    """The table's rows: label cells, then one cell per value column (blank where no word)."""
    lines = [(part.page, ln) for part in parts for ln in part.lines]
    split = [phrases(ln) for _, ln in lines]
    cols = _columns(split)
    left = cols[0][0] if cols else float("inf")
    rows: list[GridRow] = []
    row_lines: list[Line] = []
    has_values: list[bool] = []
    for (page, line), ph in zip(lines, split, strict=True):
        labels = [p for p in ph if p.x1 <= left + 1]
        values = [p for p in ph if p.x1 > left + 1]
        if (not values and rows and has_values[-1]
                and line.top - row_lines[-1].bottom < 0.6 * line.size):
            _extend_labels(rows[-1], labels, len(cols))
            row_lines[-1] = line
            continue
        cells: list[list[Line]] = [[] for _ in cols]
        for p in values:
            for k in _columns_of(p, cols):
                cells[k].append(p)
        row: GridRow = [(p.text, page, p.bbox) for p in labels]
        for k, members in enumerate(cells):
            if members:
                box = (min(m.x0 for m in members), min(m.top for m in members),
                       max(m.x1 for m in members), max(m.bottom for m in members))
                row.append((join_cell_lines(m.text for m in members), page, box))
            else:
                row.append(("", page, (cols[k][0], line.top, cols[k][1], line.bottom)))
        rows.append(row)
        row_lines.append(line)
        has_values.append(any(is_number(p.text) for p in values))
    return _drop_repeated_header(rows, parts)


def _columns_of(p: Line, cols: list[tuple[float, float]]) -> list[int]:
    """The columns a phrase fills: its own for a number, every one it covers for a spanning header."""
    overlaps = [(_overlap((p.x0, p.x1), c), k) for k, c in enumerate(cols)]
    if is_number(p.text):
        return [max(overlaps)[1]]
    covered = [k for ov, k in overlaps if ov > 0.25 * (cols[k][1] - cols[k][0])]
    return covered or [max(overlaps)[1]]


def _extend_labels(row: GridRow, labels: list[Line], n_values: int) -> None:
    """A label line wrapped under its row: each piece joins the label cell it sits under."""
    n_labels = len(row) - n_values
    for p in labels:
        best, best_overlap = -1, 0.0
        for k in range(n_labels):
            text, page, box = row[k]
            ov = _overlap((p.x0, p.x1), (box[0], box[2]))
            if ov > best_overlap:
                best, best_overlap = k, ov
        if best < 0:
            continue
        text, page, box = row[best]
        row[best] = (join_cell_lines([text, p.text]), page,
                     (min(box[0], p.x0), box[1], max(box[2], p.x1), max(box[3], p.bottom)))


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
