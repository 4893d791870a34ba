"""Ruled tables of one PDF page (pdfplumber's ``find_tables``), a table cut open by a page break closed.

A browser (and a word processor letting rows break across pages) prints a
table over a page break with no rule where the page cuts it: its column rules
simply stop. pdfplumber builds cells only between rules, so the cut row's
text would fall out of the table, its values lost. Where two or more column
rules end at one height with no rule across them, a rule is added there, and
the table is marked open on that side — where the added rule reaches its
right edge, so the page cut a row and not only merged label cells running on
— so that the two halves of the cut row are read as one (``pdf_grid``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Any, NamedTuple

BBox = tuple[float, float, float, float]
_TOL = 1.5
"""Points within which two rule ends are one height, and a rule meets another."""
_MIN_RULE = 3.0


class RuledTable(NamedTuple):
    bbox: BBox
    cells: list[BBox]
    open_top: bool
    """The table's top was cut by the page break: no rule closed it on the page."""
    open_bottom: bool


def find_ruled_tables(page: Any) -> list[RuledTable]:
    """The page's ruled tables; cut ends closed and reported (``page`` is a ``pdfplumber`` page)."""
    edges = page.edges
    vertical = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] >= _MIN_RULE]
    horizontal = [e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] >= _MIN_RULE]
    closing = open_ends(vertical, horizontal, "top") + open_ends(vertical, horizontal, "bottom")
    settings = {"explicit_horizontal_lines": [_line(x0, x1, y) for x0, x1, y in closing]} if closing else {}
    out: list[RuledTable] = []
    for table in page.find_tables(settings):
        x0, top, x1, bottom = table.bbox
        out.append(RuledTable(table.bbox, list(table.cells),
                              _closes(closing, top, x0, x1), _closes(closing, bottom, x0, x1)))
    return out


def open_ends(vertical: Sequence[dict[str, Any]], horizontal: Sequence[dict[str, Any]],
              side: str) -> list[tuple[float, float, float]]:
    """(x0, x1, y) for each height where two or more column rules end with no rule across them."""
    columns = _Index(vertical, "x0")
    rows = _Index(horizontal, "top")
    loose: dict[float, list[float]] = {}
    for v in vertical:
        y, x = float(v[side]), float(v["x0"])
        if _continued(v, columns, side) or _met(x, y, rows):
            continue
        key = next((k for k in loose if abs(k - y) <= _TOL), y)
        loose.setdefault(key, []).append(x)
    return [(min(xs), max(xs), y) for y, xs in loose.items() if len(xs) >= 2]


class _Index:
    """Rules sorted by one coordinate, to visit only those near a value (each then tested exactly)."""

    def __init__(self, rules: Sequence[dict[str, Any]], key: str) -> None:
        self.rules = sorted(rules, key=lambda r: float(r[key]))
        self.keys = [float(r[key]) for r in self.rules]

    def near(self, value: float) -> Sequence[dict[str, Any]]:
        """The rules whose coordinate is within a little more than ``_TOL`` of ``value``."""
        return self.rules[bisect_left(self.keys, value - 2 * _TOL):bisect_right(self.keys, value + 2 * _TOL)]


def _continued(v: dict[str, Any], columns: _Index, side: str) -> bool:
    """Another segment of the same column rule goes on past this end (a rule drawn cell by cell)."""
    x, y = float(v["x0"]), float(v[side])
    for w in columns.near(x):
        if w is v or abs(float(w["x0"]) - x) > _TOL:
            continue
        if side == "bottom" and abs(float(w["top"]) - y) <= _TOL:
            return True
        if side == "top" and abs(float(w["bottom"]) - y) <= _TOL:
            return True
    return False


def _met(x: float, y: float, rows: _Index) -> bool:
    return any(abs(float(h["top"]) - y) <= _TOL and h["x0"] - _TOL <= x <= h["x1"] + _TOL for h in rows.near(y))


def _closes(closing: Sequence[tuple[float, float, float]], y: float, x0: float, x1: float) -> bool:
    """A rule was added across this side of the table as far as its right edge: the page cut a row. (Where
    only the first columns are open, merged label cells go on over the break, but the rows do not.)"""
    return any(abs(cy - y) <= _TOL and cx0 < x1 and cx1 >= x1 - 2 * _TOL for cx0, cx1, cy in closing)


def _line(x0: float, x1: float, y: float) -> dict[str, Any]:
    return {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0}
