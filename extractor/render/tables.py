"""The template's three tables as a golden prints them: printed values, and the spanning grid of the web page.

One structure (rows of ``Td`` with rowspan/colspan, each value cell naming its
cell id) feeds every layout that starts from HTML — the page, the CMS and Word
exports, the crawler's flattened text, the Markdown conversions — so they all
print the same table the way the national template draws it.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from ..template import T3_COLUMNS, T4_CELLS
from .labels import (
    APPLICANT_HEADERS,
    T2_BLOCKS,
    T3_NOTE,
    T3_PARENT,
    T4_COLUMN_LABELS,
    T4_HEADER_GROUPS,
    T4_HEADER_TOP,
    T2Block,
    t3_labels,
)

Cells = Mapping[str, object]


class Style(Protocol):
    """How values are printed: the fields of a layout that change a value's text."""

    @property
    def blank_zeros(self) -> bool: ...
    @property
    def yuan(self) -> bool: ...
    @property
    def truncate_after(self) -> str | None: ...


@dataclass(frozen=True)
class Printing:
    """A ``Style`` of its own, for layouts that print every value as the golden holds it."""

    blank_zeros: bool = False
    yuan: bool = False
    truncate_after: str | None = None


AS_IS = Printing()


def show_value(value: object, cell: str = "", *, blank_zeros: bool, yuan: bool) -> str:
    """A golden value as a report prints it: blank for null (or 0, if zeros are blank), 元 if asked."""
    if value is None or (value == 0 and blank_zeros):
        return ""
    if cell.endswith(".amount") and yuan and isinstance(value, int | float):
        amount = round(float(value) * 10000, 2)
        return f"{int(amount) if amount.is_integer() else amount}元"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def layout_rng(cells: Cells, name: str) -> random.Random:
    """A generator seeded by the golden and the layout's name: a golden renders to the same bytes every time,
    and different goldens vary."""
    key = json.dumps(dict(cells), sort_keys=True, ensure_ascii=False, default=str) + name
    return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))


def show(value: object, style: Style, cell: str = "") -> str:
    return show_value(value, cell, blank_zeros=style.blank_zeros, yuan=style.yuan)


# ---------------------------------------------------------------- printed rows


class T3Line(NamedTuple):
    """One printed row of table 三: its group label (``（三）不予公开`` or ""), its label and values."""

    key: str
    group: str
    label: str
    values: tuple[str, ...]


def t3_lines(cells: Cells, edition: str, style: Style) -> list[T3Line]:
    """The rows of table 三 the document prints: up to the golden's cut, or the layout's."""
    rows = []
    for key, group, label in t3_labels(edition):
        raw = [cells.get(f"t3.{key}.{c}") for c in T3_COLUMNS]
        if all(v is None for v in raw):
            break  # the golden's table is cut off here: so is the rendered one
        rows.append(T3Line(key, group, label, tuple(show(v, style) for v in raw)))
        if key == style.truncate_after:
            break
    return rows


def t4_values(cells: Cells, style: Style) -> list[str]:
    return [show(cells.get(c), style) for c in T4_CELLS]


# ---------------------------------------------------------------- the spanning grid


@dataclass(frozen=True)
class Td:
    """One table cell as the HTML page writes it."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    cell: str = ""
    """The cell id a value cell prints; "" for a label or a header."""


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Td, ...], ...]
    head: int
    """How many leading rows are column headers."""
    name: str
    """``t2``, ``t3`` or ``t4``."""

    def texts(self) -> list[list[str]]:
        return [[td.text for td in row] for row in self.rows]


def t2_table(cells: Cells, edition: str, style: Style, blocks: Sequence[T2Block] | None = None) -> Table:
    """Section 二: per 第二十条 item a heading row, a header row and its item rows, four columns wide.

    ``blocks`` replaces the edition's items (a report mixing the editions' headers).
    """
    rows: list[tuple[Td, ...]] = []
    for heading, headers, items in T2_BLOCKS[edition] if blocks is None else blocks:
        rows.append((Td(heading, colspan=4),))
        head = list(headers)
        if style.yuan:
            head = [h.replace("（单位：万元）", "") for h in head]
        rows.append(_widen_last([Td("信息内容"), *(Td(h) for h in head)]))
        for key, label, cols in items:
            ids = [f"t2.{key}.{c}" for c in cols]
            rows.append(_widen_last([Td(label), *(Td(show(cells.get(i), style, i), cell=i) for i in ids)]))
    return Table(tuple(rows), 0, "t2")


def _widen_last(tds: list[Td]) -> tuple[Td, ...]:
    last = tds[-1]
    span = 4 - len(tds) + 1
    return (*tds[:-1], Td(last.text, last.rowspan, span, last.cell))


def t3_table(lines: Sequence[T3Line], *, note: str = T3_NOTE) -> Table:
    """Table 三: a three-row header, then 一 and 二, the 办理结果 rows under their rowspan groups, （七） and 四."""
    rows: list[tuple[Td, ...]] = [
        (Td(note, rowspan=3, colspan=3), Td("申请人情况", colspan=7)),
        (Td("自然人", rowspan=2), Td("法人或其他组织", colspan=5), Td("总计", rowspan=2)),
        tuple(Td(h) for h in APPLICANT_HEADERS[1:]),
    ]
    outcome_rows = [r for r in lines if r.label.startswith("（") and r.label != "（七）总计" or r.group]
    group_sizes: dict[str, int] = {}
    for line in lines:
        if line.group:
            group_sizes[line.group] = group_sizes.get(line.group, 0) + 1
    parent_open = False
    seen_groups: set[str] = set()
    for line in lines:
        tds: list[Td] = []
        in_outcomes = (line.group or line.label.startswith("（")) and line.label != "（七）总计"
        if in_outcomes and not parent_open:
            tds.append(Td(T3_PARENT, rowspan=len(outcome_rows)))
            parent_open = True
        if line.group:
            if line.group not in seen_groups:
                tds.append(Td(line.group, rowspan=group_sizes[line.group]))
                seen_groups.add(line.group)
            tds.append(Td(line.label))
        elif in_outcomes:
            tds.append(Td(line.label, colspan=2))
        else:
            tds.append(Td(line.label, colspan=3))
        tds += [Td(v, cell=f"t3.{line.key}.{c}") for v, c in zip(line.values, T3_COLUMNS, strict=True)]
        rows.append(tuple(tds))
    return Table(tuple(rows), 3, "t3")


def t4_table(values: Sequence[str]) -> Table:
    """Section 四: 行政复议 (5 columns) beside 行政诉讼 (two groups of 5), one row of 15 values."""
    rows = (
        (Td(T4_HEADER_TOP[0], colspan=5), Td(T4_HEADER_TOP[1], colspan=10)),
        (*(Td(c, rowspan=2) for c in T4_COLUMN_LABELS),
         Td(T4_HEADER_GROUPS[0], colspan=5), Td(T4_HEADER_GROUPS[1], colspan=5)),
        tuple(Td(c) for c in T4_COLUMN_LABELS * 2),
        tuple(Td(v, cell=c) for v, c in zip(values, T4_CELLS, strict=True)),
    )
    return Table(rows, 3, "t4")


def span_attrs(td: Td) -> str:
    return (f' rowspan="{td.rowspan}"' if td.rowspan > 1 else "") + (
        f' colspan="{td.colspan}"' if td.colspan > 1 else "")


def table_html(table: Table) -> str:
    """The table as the ``html`` layout writes it: bare ``<td>``s, escaped text, a 1-pixel border."""
    trs = ("".join(f"<td{span_attrs(td)}>{html_lib.escape(td.text)}</td>" for td in row)
           for row in table.rows)
    return "<table border=\"1\">" + "".join(f"<tr>{t}</tr>" for t in trs) + "</table>"
