"""``Draft``: one cell before validation — its value, where it came from and what is doubtful about it.

Made by the table readers (``cells``) and ``meta``, changed by the LLM stage,
turned into an output ``Cell`` by ``checks``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..document import GridCell
from ..records import Alignment, Flag, Method, Value


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
