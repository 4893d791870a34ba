"""``Draft``: one cell before validation — its value, where it came from and what is doubtful about it.

Made by the table readers (``cells``) and ``meta``, changed by the LLM stage,
turned into an output ``Cell`` by ``checks``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..document import GridCell
from ..records import Alignment, Flag, Method, Value


class Unread(StrEnum):
    """Why the source leaves a cell unread (null): each says how sure the null is (``confidence``)."""

    PAST_END = "past_end"
    """The text ends before the cell's row or table (a page cut off)."""
    CUT_ROW = "cut_row"
    """The text ends in the cell's row, before the cell: it may be printed blank or hold a number."""
    ABSENT = "absent"
    """The source has no such row or table."""
    NOT_STATED = "not_stated"
    """The reporting body or year is not where a report states it (the title, the line above it, the
    signature): most such pages lack it (a body without its title), some state it elsewhere."""


@dataclass
class Draft:
    """A cell before validation: its value and where it came from."""

    value: Value
    method: Method = Method.RULE
    alignment: Alignment = Alignment.POSITIONAL
    flags: set[Flag] = field(default_factory=set)
    token: GridCell | None = None
    label: GridCell | None = None
    note: str | None = None
    alternatives: dict[str, Value] | None = None
    """Both readings where the rule path and the LLM disagree, or an ambiguous row's readings."""
    prompt: str | None = None
    """The prompt id and version an LLM value came from."""
    unread: Unread | None = None
    """Why a null cell is null, when the source leaves it unread."""
    cut_short: bool = False
    """Read in the row the text ends in: its column or its last digits may be cut short."""
