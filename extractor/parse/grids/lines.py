"""One cell per line → ``Grid``: a run of label lines followed by a run of value lines is a row.

Empty lines separate cells; a line holding only spaces (an NBSP in the page)
is a blank cell. With ``pipes`` a cell may carry the pipe that ended it in a
table converted line by line ("行政许可 |", "6 |") and a line of only "|" is a
separator, not a cell.
"""

from __future__ import annotations

from ...document import Grid, GridCell, Row
from ...values import CellKind, classify


def lines_to_grid(text: str, start: int, end: int, *, pipes: bool = False) -> Grid:
    rows: list[Row] = []
    labels: list[GridCell] = []
    values: list[GridCell] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        line_start = pos
        raw = text[line_start:stop]
        pos = stop + 1
        if raw == "" or (pipes and raw.strip() == "|"):
            continue
        if pipes:
            raw = raw.replace("|", " ")
        lead = len(raw) - len(raw.lstrip())
        content = raw.strip()
        cell = GridCell(content, line_start + lead, line_start + lead + len(content))
        kind = classify(content)
        if kind is CellKind.LABEL:
            if values:
                rows.append(Row(tuple(labels), tuple(values)))
                labels, values = [], []
            labels.append(cell)
        elif labels or values:
            values.append(cell)
        elif kind is CellKind.VALUE:
            values.append(cell)
    if labels or values:
        rows.append(Row(tuple(labels), tuple(values)))
    return Grid(layout="lines", rows=tuple(rows))
