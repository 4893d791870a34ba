"""The template's tables as rows of marked cell texts, and how a text layout writes a row as lines.

A row is a list of ``Marked`` pieces: each value cell a span of its cell id,
the row's own label a span of the row id, headers and group labels bare.
``add_row`` writes one in a layout's manner (tab, pipe, one cell per line
with NBSP or empty lines for blanks), keeping the spans, so every text layout
built on these rows knows where each cell lies.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..template import T3_COLUMNS, T4_CELLS
from .labels import APPLICANT_HEADERS, T3_NOTE, T3_PARENT, T4_COLUMN_LABELS, T4_HEADER_GROUPS, T4_HEADER_TOP
from .spans import Marked, Role, Span, join, piece
from .tables import T3Line, Table, Td

Row = list[Marked]

ROW_KINDS = ("tab", "pipe", "lines", "lines_blank")
"""How ``add_row`` writes a row: tab-separated, ``a | b |``, one cell a line (blank cells as NBSP lines, or
as empty lines)."""


def row_id(cell: str) -> str:
    """The row a cell id belongs to: ``t3.granted.total`` → ``t3.granted``."""
    return cell.rsplit(".", 1)[0]


def td_row(tds: Sequence[Td]) -> Row:
    """A table row's cells as pieces: values as their cell ids, the label just before them as the row's id."""
    first_value = next((i for i, td in enumerate(tds) if td.cell), None)
    out: Row = []
    for i, td in enumerate(tds):
        if td.cell:
            out.append(piece(td.text, td.cell))
        elif first_value is not None and i == first_value - 1:
            out.append(piece(td.text, row_id(tds[first_value].cell), Role.LABEL))
        else:
            out.append(Marked(td.text))
    return out


def t2_rows(table: Table) -> list[Row]:
    """Section 二 as ``t2_table`` draws it: per 第二十条 item a heading row, a header row, the item rows."""
    return [td_row(row) for row in table.rows]


def t3_header() -> list[Row]:
    return [[Marked(T3_NOTE), Marked("申请人情况")],
            [Marked(""), Marked("自然人"), Marked("法人或其他组织"), Marked("总计")],
            [Marked(""), Marked(""), *map(Marked, APPLICANT_HEADERS[1:])]]


def t3_rows(lines: Sequence[T3Line]) -> list[Row]:
    """Table 三's printed rows: 三、本年度办理结果 before the first outcome row, a group label before its first row."""
    rows: list[Row] = []
    parent_done = False
    last_group = ""
    for line in lines:
        labels: Row = []
        if (line.label.startswith("（") or line.group) and not parent_done:
            labels.append(Marked(T3_PARENT))
            parent_done = True
        if line.group and line.group != last_group:
            labels.append(Marked(line.group))
        last_group = line.group
        labels.append(piece(line.label, f"t3.{line.key}", Role.LABEL))
        values = [piece(v, f"t3.{line.key}.{c}") for v, c in zip(line.values, T3_COLUMNS, strict=True)]
        rows.append([*labels, *values])
    return rows


def t4_rows(values: Sequence[str]) -> list[Row]:
    """Section 四: three header rows, then its fifteen values as one row."""
    return [list(map(Marked, T4_HEADER_TOP)),
            [*map(Marked, T4_COLUMN_LABELS), *map(Marked, T4_HEADER_GROUPS)],
            list(map(Marked, T4_COLUMN_LABELS * 2)),
            [piece(v, c) for v, c in zip(values, T4_CELLS, strict=True)]]


def add_row(out: list[Marked], row: Row, kind: str, *, drop_blanks: bool = False) -> None:
    """Append ``row`` to ``out`` as the layout writes it: one line (tab, pipe) or a line per cell.

    A blank cell the layout drops leaves a zero-width span where its row ends: in a one-row-a-line
    layout the line break closes it; where each cell has its line only the next row's text does.
    """
    dropped: tuple[Span, ...] = ()
    if drop_blanks:
        dropped = tuple(s for c in row if c.text == "" for s in c.spans)
        row = [c for c in row if c.text != ""]
    if kind == "tab":
        lines = [join("\t", row)]
    elif kind == "pipe":
        lines = [join(" | ", row) + " |"]
    elif kind == "lines":
        lines = [c if c.text else Marked("\u00a0", tuple(Span(s.id, s.role, 0, 1) for s in c.spans)) for c in row]
    elif kind == "lines_blank":
        lines = list(row)
    else:
        raise ValueError(f"unknown row kind {kind!r}: expected one of {ROW_KINDS}")
    out += lines
    if dropped:
        role = Role.VALUE if kind in ("tab", "pipe") else Role.DROPPED
        if not out:
            raise ValueError("a dropped blank cell needs a line before it to sit at")
        out[-1] = out[-1] + Marked("", tuple(Span(s.id, role, 0, 0) for s in dropped))
