"""Pipe- and tab-delimited rows → ``Grid``; empty cells keep their positions."""

from __future__ import annotations

import re

from ...document import Grid, GridCell, Row
from ...values import CellKind, classify


def split_line(text: str, start: int, end: int, sep: str) -> list[GridCell]:
    """The cells of one line, each with its stripped span in ``text``."""
    cells: list[GridCell] = []
    pos = start
    while pos <= end:
        nxt = text.find(sep, pos, end)
        stop = end if nxt < 0 else nxt
        raw = text[pos:stop]
        lead = len(raw) - len(raw.lstrip())
        content = raw.strip()
        s = pos + lead
        cells.append(GridCell(content, s, s + len(content)))
        if nxt < 0:
            break
        pos = nxt + 1
    if sep == "|":
        # "| a | b |": the outer pipes frame the row and add no cell.
        line = text[start:end].strip()
        if cells and cells[0].is_blank and line.startswith("|"):
            cells = cells[1:]
        if cells and cells[-1].is_blank and line.endswith("|"):
            cells = cells[:-1]
    return cells


def line_to_row(cells: list[GridCell]) -> Row:
    """Label cells, then value cells: the values start after the last label. A short cell of digits and
    a stray mark beside a number ("0口", a stamp or speck read into a cell) is a damaged value, not a
    label: taken as one, it would turn the numbers before it into labels and lose them."""
    kinds = [classify(c.text) for c in cells]
    filled = [i for i, k in enumerate(kinds) if k is not CellKind.BLANK]
    last_label = -1
    for n, i in enumerate(filled):
        if kinds[i] is not CellKind.LABEL:
            continue
        beside = [kinds[j] for j in filled[max(0, n - 1):n] + filled[n + 1:n + 2]]
        if not (CellKind.VALUE in beside and _DAMAGED_NUMBER.fullmatch(cells[i].text)):
            last_label = i
    labels = tuple(c for c in cells[: last_label + 1] if not c.is_blank)
    return Row(labels=labels, values=tuple(cells[last_label + 1:]))


_DAMAGED_NUMBER = re.compile(r"\d+\D{1,2}|\D{1,2}\d+|\d+\D\d+")


def delimited_to_grid(text: str, start: int, end: int, sep: str) -> Grid:
    rows: list[Row] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        line = text[pos:stop]
        if line.strip() and not _is_rule(line):
            row = line_to_row(split_line(text, pos, stop, sep) if sep in line
                              else [_whole(text, pos, stop)])
            if rows and _continues(rows[-1], row):
                rows[-1] = Row(rows[-1].labels, row.values)
            else:
                rows.append(row)
        pos = stop + 1
    return Grid(layout="pipe" if sep == "|" else "tab", rows=tuple(rows))


def _whole(text: str, start: int, end: int) -> GridCell:
    raw = text[start:end]
    lead = len(raw) - len(raw.lstrip())
    content = raw.strip()
    return GridCell(content, start + lead, start + lead + len(content))


def _is_rule(line: str) -> bool:
    """A Markdown separator row such as |---|:--:|."""
    s = line.replace("|", "").replace(":", "").replace("-", "").strip()
    return not s and "---" in line


def _continues(prev: Row, row: Row) -> bool:
    """A row broken across lines: the label on one line, its values alone on the next. A label that
    prints its blank cells (two separators or more after it) is a whole row of blanks: a number on the
    next line is not its (a page cut off after the item number of the next row: "…信息\t\t\t\t\t\t\t\n7")."""
    has_values = any(not c.is_blank for c in row.values)
    prev_empty = len(prev.values) <= 1 and all(c.is_blank for c in prev.values)
    return bool(prev.labels) and prev_empty and not row.labels and has_values
