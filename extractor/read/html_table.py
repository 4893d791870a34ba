"""HTML tables → true grids: rowspan/colspan expanded, each cell one clean line of text.

A cell is repeated into every position it covers, so every row has the same
width and blanks keep their places (a row of blanks, an empty ``<tr>``, stays
a row of blanks). A grid column no cell starts in is taken back out: every row
only spans across it, as when a 商业企业 column is written ``colspan=2`` top to
bottom, and it would print each of its values twice (Word's empty spacer row,
one cell per grid column, is not taken as evidence of a column).
"""

from __future__ import annotations

import re

from lxml.etree import _Element

from .cell_lines import join_cell_lines, spans_again
from .headings import heading_number, is_number, label_hits
from .html_tree import text_content

_WS = re.compile(r"[ \t\r\n\u00a0\u3000]+")
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3001\u3002\uff08\uff09\uff0c"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_LINE_BREAKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre",
                "blockquote", "section", "dd", "dt", "center"}
_LONG_CELL = 200
"""More text than any template label: a cell this long holds prose, so its table is layout."""


def html_table_rows(table: _Element) -> list[list[str]]:
    """The table as a true grid of cell texts, spans expanded."""
    rows = owned_rows(table)
    grid: dict[tuple[int, int], tuple[int, str]] = {}  # position → (column the cell starts in, text)
    again: set[tuple[int, int]] = set()  # a number's positions after its first: not shown
    for r, tr in enumerate(rows):
        c = 0
        for td in _cells(tr):
            while (r, c) in grid:
                c += 1
            text = cell_text(td)
            rs, cs = _span(td.get("rowspan")), _span(td.get("colspan"))
            for dr in range(rs):
                for dc in range(cs):
                    if (r + dr, c + dc) not in grid:
                        grid[(r + dr, c + dc)] = (c, text)
                        if dc and not spans_again(text):
                            again.add((r + dr, c + dc))
            c += cs
    width = max((col + 1 for _, col in grid), default=0)
    filled = {r for (r, _), (_, text) in grid.items() if text}
    starts = {start for (r, _), (start, _) in grid.items() if r in filled}
    # A column no cell starts in is only ever the right half of a spanned cell: not a column. Rows
    # with no text (Word's spacer row, one empty cell per grid column) do not count.
    keep = [c for c in range(width) if c in starts]
    return [[grid.get((r, c), (c, ""))[1] for c in keep if (r, c) not in again] for r in range(len(rows))]


def table_to_tsv(table: _Element) -> str:
    """Tab-separated rows; a row holding nothing but a section heading is that heading alone."""
    lines = []
    for row in html_table_rows(table):
        texts = {t for t in row if t}
        only = next(iter(texts)) if len(texts) == 1 else ""
        lines.append(only if only and heading_number(only) else "\t".join(row))
    return "\n".join(lines)


def is_layout_table(table: _Element) -> bool:
    """A table used to lay out a page, not to hold data: it nests a table, has one cell, or holds prose."""
    cells = [td for tr in owned_rows(table) for td in _cells(tr)]
    if len(cells) <= 1 or table.find(".//table") is not None:
        return True
    for td in cells:
        text = text_content(td)
        if len(text) > _LONG_CELL and len(_WS.sub("", text)) > _LONG_CELL:
            return True
    return False


class Tables:
    """A page's tables as the reader sees them, each worked out once per page: layout or data, and a
    data table's tab rows (the body finder and the text writer both ask)."""

    def __init__(self) -> None:
        self._layout: dict[_Element, bool] = {}
        self._tsv: dict[_Element, str] = {}

    def is_layout(self, table: _Element) -> bool:
        if table not in self._layout:
            self._layout[table] = is_layout_table(table)
        return self._layout[table]

    def is_report(self, table: _Element) -> bool:
        return not self.is_layout(table) and holds_report_labels(table)

    def tsv(self, table: _Element) -> str:
        if table not in self._tsv:
            self._tsv[table] = table_to_tsv(table)
        return self._tsv[table]


def holds_report_labels(table: _Element) -> bool:
    """Whether a data table holds the template's labels (and a number, unless it holds many labels).

    Link text is not counted: a sidebar of links (行政许可 | 行政处罚 | …) is navigation.
    """
    hits = label_hits(_text_outside_links(table))
    if hits >= 4:
        return True
    return hits >= 2 and any(is_number(text_content(td))
                             for tr in owned_rows(table) for td in _cells(tr))


def _text_outside_links(el: _Element) -> str:
    """The element's text, less what its links (``<a>`` inside it) hold: one XPath pass in C."""
    if el.tag == "a":
        return ""
    links_above = sum(1 for _ in el.iterancestors("a"))
    return "".join(el.xpath(".//text()[count(ancestor::a) = $n]", n=links_above))


def owned_rows(table: _Element) -> list[_Element]:
    """The table's own ``<tr>``s, in order (those of nested tables excluded)."""
    return [tr for tr in table.iter("tr") if _owning_table(tr) is table]


def cell_text(td: _Element) -> str:
    """The cell as one line: its paragraphs and ``<br>`` lines joined as one label (三、本/年度办 → 三、本年度办)."""
    parts: list[str] = []
    _cell_parts(td, parts, top=True)
    return _CJK_GAP.sub("", join_cell_lines("".join(parts).split("\n")))


def _cell_parts(el: _Element, parts: list[str], top: bool = False) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    brk = tag in _LINE_BREAKS
    if brk:
        parts.append("\n")
    if el.text and tag:
        parts.append(el.text)
    for child in el:
        _cell_parts(child, parts)
    if brk:
        parts.append("\n")
    if el.tail and not top:
        parts.append(el.tail)


def _cells(tr: _Element) -> list[_Element]:
    return [td for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]


def _owning_table(tr: _Element) -> _Element | None:
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _span(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or 1), 100))
    except ValueError:
        return 1
