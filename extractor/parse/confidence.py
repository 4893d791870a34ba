"""Confidence: one place for the rules that turn how a cell was read and checked into the chance it is right.

A value starts from how it was placed (``BASE_CONFIDENCE``), falls when a flag or a failing identity
doubts it, and rises with each identity that holds. A null cell's confidence says how sure the null is,
by why the source leaves it unread: past the end of a cut-off text it cannot be anything else; a row the
source lacks is almost always truly absent; a cell of the row the text ends in may have been printed
blank (0) or held a number; a body or year not stated where reports state it is more often absent than
missed; an unreadable one is a guess. A value read in that row may be cut short.
"""

from __future__ import annotations

from ..records import Alignment, Flag
from .draft import Draft, Unread

BASE_CONFIDENCE = {
    Alignment.POSITIONAL: 0.95,
    Alignment.COMPACTED: 0.93,
    Alignment.SOLVED: 0.85,
    Alignment.SPLIT: 0.85,
    Alignment.AMBIGUOUS: 0.35,
    Alignment.DERIVED: 0.7,
    Alignment.ABSENT: 0.0,
    Alignment.META: 0.9,
    Alignment.LLM: 0.7,
}
IDENTITY_WEIGHT = 0.6
"""The share of the remaining doubt each identity that holds removes (three at most)."""
NULL_CONFIDENCE = {Unread.PAST_END: 0.99, Unread.ABSENT: 0.95, Unread.CUT_ROW: 0.75, Unread.NOT_STATED: 0.6}
"""How sure a null is, by why the source leaves the cell unread."""
UNREADABLE = 0.3
"""A null where the source prints something that is not a number (``0口``)."""
CUT_SHORT = 0.8
"""At most, a value read in the row the text ends in: it may be cut short ("64" of "640")."""


def cell_confidence(d: Draft, *, holds: int, fails: bool) -> float:
    """A value's confidence from its placement, flags and identities: ``holds`` identities hold with it,
    ``fails`` one fails."""
    conf = BASE_CONFIDENCE[d.alignment]
    if d.flags - {Flag.DERIVED_TOTAL}:
        conf = min(conf, 0.5)
    if d.alternatives:
        conf = min(conf, 0.4)
    if fails:
        conf = min(conf, 0.3)
    elif holds and d.alignment not in (Alignment.AMBIGUOUS, Alignment.ABSENT):
        for _ in range(min(holds, 3)):  # each identity that holds independently confirms the value
            conf += (1 - conf) * IDENTITY_WEIGHT
    if d.cut_short:
        conf = min(conf, CUT_SHORT)
    return conf


def null_confidence(d: Draft) -> float:
    """How sure a null cell is: by why the source leaves it unread; 0 when it should hold a number."""
    if d.unread is not None:
        return NULL_CONFIDENCE[d.unread]
    if Flag.DAMAGED_TEXT in d.flags:
        return UNREADABLE
    return 0.0
