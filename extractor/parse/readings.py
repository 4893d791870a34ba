"""``Candidate``: one reading of a table row — a value per cell id and the token each came from;
``Shape``: the columns a row's values go into.

Made by ``alignment`` (how a row's values may be placed) and read by
``solver`` (which readings of the table's rows make its identities hold).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..document import GridCell
from ..records import Alignment, Value


@dataclass(frozen=True)
class Candidate:
    """One reading of a row: a value per cell id, and the token each came from."""

    values: Mapping[str, Value]
    tokens: Mapping[str, GridCell | None]
    derived: frozenset[str] = frozenset()
    """Cells computed from the others (a blank 总计 given as the row sum)."""
    alignment: Alignment = Alignment.POSITIONAL
    extra: bool = False
    """The row had more values than columns and this reading dropped some."""
    cut: frozenset[str] = frozenset()
    """Cells the text ends before (a page cut off): null, never a blank."""
    cut_short: frozenset[str] = frozenset()
    """Cells of a row the text ends in: read, but the row (or the number at the very end) may be cut short."""
    columns_known: bool = False
    """The row the text ends in is of a table that prints every column: ``cut`` cells are surely unread."""

    def key(self) -> tuple[object, ...]:
        return tuple((c, self.values[c], c in self.derived) for c in sorted(self.values))


@dataclass(frozen=True)
class Shape:
    """The columns a row's values go into: consecutive groups, each maybe ending in its 总计."""

    groups: tuple[int, ...]
    totals: bool

    @property
    def n(self) -> int:
        return sum(self.groups)


Reader = Callable[[tuple[GridCell | None, ...], Alignment, bool], Candidate]
"""Turns one placement of a row's tokens into a reading (a blank 总计 beside numbers becomes their sum)."""
