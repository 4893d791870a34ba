"""Office table variants seen in real reports: the template's tables redrawn with merged and narrow cells.

- Section 二 with its column header first (信息内容 | 本年制发件数 … opens the
  table, each block's title 第二十条第（一）项 a row under its header) and its
  label column drawn as two grid columns, so that 信息内容, 规章, 行政规范性文件
  … are cells merged across both.
- Table 三's label columns narrow, so that the labels (and the group labels
  （三）不予公开 … merged over their sub-rows) wrap over several lines.
- （六）其他处理's sub-row 3.其他 in a cell merged across the group column.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from .docx_xml import Element, cells, row_like, rows, span_of
from .labels import T2_BLOCKS

T2_LABEL_GRID = (1100, 1335)
"""Section 二's first grid column (2435 twips in the template) split in two."""
T3_NARROW_LABELS = (560, 640, 980)
"""Table 三's label columns in twips (the template's 754, 921, 3271): 2, 2 and 4 characters a line."""


def header_first_t2(tbl: Element, edition: str, rpr: Element | None,
                    show: Callable[[str], str], shown_header: Callable[[str], str]) -> None:
    """Section 二 redrawn: per block its header row, then its title row, then its items; labels merged
    across a label column of two grid columns."""
    heading, header, item = (copy.deepcopy(tr) for tr in rows(tbl)[:3])
    for tr in rows(tbl):
        tbl.remove(tr)
    _split_first_grid_column(tbl, T2_LABEL_GRID)
    width = len(T2_LABEL_GRID) + 3
    for proto in (header, item):
        _span(cells(proto)[0], len(T2_LABEL_GRID))
    for tc in cells(header):  # the template leaves it to the title row above; here the header is on top
        top = tc.find(qn("w:tcPr")).find(qn("w:tcBorders")).find(qn("w:top"))
        for key, value in (("w:val", "single"), ("w:color", "auto"), ("w:sz", "8"), ("w:space", "0")):
            top.set(qn(key), value)
    for title, headers, items in T2_BLOCKS[edition]:
        tbl.append(row_like(header, ["信息内容", *(shown_header(h) for h in headers)], rpr, width))
        tbl.append(row_like(heading, [title], rpr, width))
        for key, label, cols in items:
            tbl.append(row_like(item, [label, *(show(f"t2.{key}.{c}") for c in cols)], rpr, width))


def narrow_t3_labels(tbl: Element, widths: tuple[int, ...] = T3_NARROW_LABELS) -> None:
    """Table 三's label columns narrowed (the value columns take the rest): its labels wrap."""
    grid = tbl.find(qn("w:tblGrid"))
    cols = list(grid.findall(qn("w:gridCol")))
    total = sum(int(c.get(qn("w:w"))) for c in cols)
    rest = (total - sum(widths)) // (len(cols) - len(widths))
    new = [*widths, *([rest] * (len(cols) - len(widths)))]
    for col, w in zip(cols, new, strict=True):
        col.set(qn("w:w"), str(w))
    for tr in rows(tbl):
        at = 0
        for tc in cells(tr):
            span = span_of(tc)
            tcw = tc.find(qn("w:tcPr")).find(qn("w:tcW"))
            if tcw is not None:
                tcw.set(qn("w:w"), str(sum(new[at:at + span])))
            at += span


def merge_other_other(tr: Element) -> None:
    """Row 3.其他: its label cell merged across the group column (（六）其他处理 then spans two rows)."""
    parent, group, label, *_ = cells(tr)
    tr.remove(group)
    _span(label, 2)
    label_w, group_w = (tc.find(qn("w:tcPr")).find(qn("w:tcW")) for tc in (label, group))
    if label_w is not None and group_w is not None:
        label_w.set(qn("w:w"), str(int(label_w.get(qn("w:w"))) + int(group_w.get(qn("w:w")))))


def _span(tc: Element, n: int) -> None:
    pr = tc.find(qn("w:tcPr"))
    gs = pr.find(qn("w:gridSpan"))
    if gs is None:
        gs = OxmlElement("w:gridSpan")
        tcw = pr.find(qn("w:tcW"))
        if tcw is not None:
            tcw.addnext(gs)
        else:
            pr.insert(0, gs)
    gs.set(qn("w:val"), str(n))


def _split_first_grid_column(tbl: Element, widths: tuple[int, ...]) -> None:
    first = tbl.find(qn("w:tblGrid")).find(qn("w:gridCol"))
    first.set(qn("w:w"), str(widths[0]))
    for w in reversed(widths[1:]):
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(w))
        first.addnext(col)
