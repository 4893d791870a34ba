"""PDF geometry: characters → text lines, and clustering of coordinates into edges.

Shared by the ruled-table reader (``pdf_text``) and the words fallback
(``pdf_words``). Coordinates are PDF points from the page's top-left corner.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from .cell_lines import join_cell_lines


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    upright: bool = True
    rise: float = 0.0
    """The text matrix's b: > 0 for text running upwards, < 0 for text running downwards."""


@dataclass
class Line:
    """Characters sharing a baseline, left to right; ``text`` has spaces where gaps are wide. Its
    ``chars`` are not changed once it is made (its extent is computed once)."""

    page: int
    chars: list[Char] = field(default_factory=list)
    text: str = ""

    @cached_property
    def x0(self) -> float:
        return min(c.x0 for c in self.chars)

    @cached_property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @cached_property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @cached_property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    @cached_property
    def size(self) -> float:
        return max(c.size for c in self.chars)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)

    def merged(self, other: Line) -> Line:
        return Line(self.page, self.chars + other.chars, join_cell_lines([self.text, other.text]))


def chars_to_lines(chars: Iterable[Char], page: int = 0) -> list[Line]:
    """Group characters into lines (top to bottom); vertical text gives one line per column.

    A character joins a line whose height holds its middle and whose type is about its size: a
    title in large type beside a sidebar's small lines is a line of its own, not one with them."""
    chars = list(chars)
    if not chars:
        return []
    if sum(1 for c in chars if not c.upright) > len(chars) / 2:
        return _vertical_lines(chars, page)
    groups: list[tuple[float, float, list[Char]]] = []
    for ch in sorted(chars, key=lambda c: (c.top, c.x0)):
        mid = (ch.top + ch.bottom) / 2
        for top, bottom, members in reversed(groups[-4:]):
            if top <= mid <= bottom and _same_size(ch.size, members[0].size):
                members.append(ch)
                break
        else:
            groups.append((ch.top, ch.bottom, [ch]))
    return [make_line(page, sorted(members, key=lambda c: c.x0), horizontal=True)
            for _, _, members in groups]


def _same_size(a: float, b: float) -> bool:
    return max(a, b) <= 1.3 * min(a, b)


def split_columns(line: Line, gap: float = 3.0) -> list[Line]:
    """A text line split where ``gap`` characters' width of nothing separates two runs: columns of a
    page (a sidebar's link beside the article's line) that only share a baseline."""
    out: list[Line] = []
    start = 0
    chars = line.chars
    for i in range(1, len(chars) + 1):
        if i == len(chars) or chars[i].x0 - chars[i - 1].x1 > gap * max(chars[i].size, chars[i - 1].size):
            out.append(make_line(line.page, chars[start:i]) if (start, i) != (0, len(chars)) else line)
            start = i
    return out


def _vertical_lines(chars: list[Char], page: int) -> list[Line]:
    """Rotated text: columns of characters, read down (or up) each column."""
    upwards = sum(c.rise for c in chars) > 0
    cols: list[tuple[float, float, list[Char]]] = []
    for ch in sorted(chars, key=lambda c: c.x0):
        mid = (ch.x0 + ch.x1) / 2
        for x0, x1, members in reversed(cols[-4:]):
            if x0 <= mid <= x1:
                members.append(ch)
                break
        else:
            cols.append((ch.x0, ch.x1, [ch]))
    ordered = cols if upwards else list(reversed(cols))
    return [make_line(page, sorted(m, key=lambda c: c.top, reverse=upwards), horizontal=False)
            for _, _, m in ordered]


def make_line(page: int, chars: list[Char], *, horizontal: bool = True) -> Line:
    """A line of ``chars`` (in reading order); a wide gap between two characters reads as a space."""
    out: list[str] = []
    prev: Char | None = None
    for ch in chars:
        if prev is not None and horizontal and ch.x0 - prev.x1 > 0.4 * max(ch.size, prev.size):
            out.append(" ")
        out.append(ch.text)
        prev = ch
    return Line(page, chars, "".join(out))


def cluster(values: Iterable[float], tolerance: float = 2.0) -> list[float]:
    """Sorted coordinates with near-equal ones merged (each group gives its first value)."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def nearest(edges: list[float], value: float) -> int:
    """The index of the edge closest to ``value``."""
    i = bisect_left(edges, value)
    if i == 0:
        return 0
    if i == len(edges):
        return len(edges) - 1
    return i if edges[i] - value < value - edges[i - 1] else i - 1
