"""Where a rendered text prints each cell: ``Marked`` text carries a span per value cell, row label and title.

A text layout writes its document as ``Marked`` pieces instead of bare
strings, so the offsets of every cell's characters are known as they are
written — never by reading the output back. ``cut.py`` needs them to say
which cells a document cut off at a given character still conveys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum


class Role(StrEnum):
    """What a span prints, which decides when a reader has seen all of it (``cut.close_of``)."""

    VALUE = "value"
    """A value cell: its text, or for a blank cell the (whitespace or empty) text before its separator."""
    DROPPED = "dropped"
    """A blank cell the layout leaves out altogether (zero width, at its row's end): closed by the next row."""
    LABEL = "label"
    """A row's own label (the id is the row's, ``t3.granted``)."""
    TITLE = "title"


@dataclass(frozen=True)
class Span:
    """The characters ``start`` … ``end`` of a text print ``id`` (a cell id, a row id, or ``title``)."""

    id: str
    role: Role
    start: int
    end: int

    def shifted(self, by: int) -> Span:
        return replace(self, start=self.start + by, end=self.end + by)


@dataclass(frozen=True)
class Marked:
    """A text and the spans of the cells, labels and title it prints, in writing order."""

    text: str = ""
    spans: tuple[Span, ...] = ()

    def __add__(self, other: Marked | str) -> Marked:
        other = marked(other)
        n = len(self.text)
        return Marked(self.text + other.text, self.spans + tuple(s.shifted(n) for s in other.spans))

    def __len__(self) -> int:
        return len(self.text)

    def insert(self, at: int, text: str) -> Marked:
        """``text`` put in at offset ``at``: spans after it move on, a span it falls inside grows.

        A span that ends at ``at`` keeps its end (the insertion follows it); a zero-width span at
        ``at`` moves with what follows.
        """
        n = len(text)

        def moved(s: Span) -> Span:
            start = s.start + n if s.start >= at else s.start
            end = s.end + n if s.end > at or (s.end == s.start and s.start >= at) else s.end
            return replace(s, start=start, end=end)

        return Marked(self.text[:at] + text + self.text[at:], tuple(moved(s) for s in self.spans))

    def converted(self, convert: Callable[[str], str]) -> Marked:
        """The text through a character-for-character conversion (simplified → traditional script).

        Raises ValueError when the conversion changes the text's length: the spans could not follow it.
        """
        text = convert(self.text)
        if len(text) != len(self.text):
            raise ValueError("a conversion that changes the text's length would misplace its cell spans")
        return Marked(text, self.spans)

    def expanded(self, pieces: Sequence[str]) -> Marked:
        """Each character ``i`` replaced by ``pieces[i]`` (a pinyin annotation after it): spans stretch along."""
        offsets = [0]
        for piece in pieces:
            offsets.append(offsets[-1] + len(piece))
        return Marked("".join(pieces), tuple(replace(s, start=offsets[s.start], end=offsets[s.end])
                                             for s in self.spans))


def marked(text: Marked | str) -> Marked:
    return text if isinstance(text, Marked) else Marked(text)


def piece(text: str, id: str, role: Role = Role.VALUE) -> Marked:
    """``text`` as one span of ``id`` (``""`` for no span)."""
    return Marked(text, (Span(id, role, 0, len(text)),) if id else ())


def join(sep: str, items: Iterable[Marked | str]) -> Marked:
    """``sep.join(items)`` keeping every item's spans."""
    texts: list[str] = []
    spans: list[Span] = []
    at = 0
    for i, item in enumerate(items):
        if i:
            texts.append(sep)
            at += len(sep)
        item = marked(item)
        texts.append(item.text)
        spans += (s.shifted(at) for s in item.spans)
        at += len(item.text)
    return Marked("".join(texts), tuple(spans))
